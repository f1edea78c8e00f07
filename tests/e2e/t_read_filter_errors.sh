# A bad filter or -p format: exit 2, one line on stderr naming the position
# (line:column) and the problem, nothing on stdout; checked before the
# files are read. A missing file written like a path is reported as one.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen a.skr -n 500

# bad_filter EXPECTED_STDERR ARGS...
bad_filter() {
    _want=$1
    shift
    sk read "$@"
    expect_rc 2 "saker read $*"
    expect_one_error "saker read $*" "$_want"
    [ ! -s sk.out ] || fail "saker read $*: output on stdout: $(first_line sk.out)"
}

bad_filter "saker: filter: 1:1: unknown field 'proc.nmae'" a.skr proc.nmae=bash
[ "$(cat sk.err)" = "saker: filter: 1:1: unknown field 'proc.nmae'" ] ||
    fail "saker read a.skr proc.nmae=bash: stderr '$(first_line sk.err)', expected exactly \"saker: filter: 1:1: unknown field 'proc.nmae'\""
# the column counts in the words joined by single spaces
bad_filter "saker: filter: 1:21: unknown field 'proc.nmae'" a.skr evt.type=openat and proc.nmae=bash
bad_filter "saker: filter: 1:21: unknown field 'proc.nmae'" a.skr 'evt.type=openat and proc.nmae=bash'
bad_filter "saker: filter: 1:" a.skr 'evt.type=openat and'
bad_filter "saker: filter: 1:" a.skr '(evt.type=openat'
bad_filter "saker: filter: 1:" a.skr 'proc.name ='
# the filter is checked first: a bad filter on a file that is not a trace
bad_filter "saker: filter: 1:1: unknown field 'proc.nmae'" /dev/null proc.nmae=bash
# a second file that does not exist is a file, not a filter
bad_filter "missing.skr" a.skr missing.skr
bad_filter "nodir/x" a.skr nodir/x

# -p: the column in the format text
bad_p() {
    sk read -p "$1" a.skr
    expect_rc 2 "saker read -p '$1'"
    expect_one_error "saker read -p '$1'" "$2"
    [ ! -s sk.out ] || fail "saker read -p '$1': output on stdout"
}
bad_p '%evt.num %proc.nmae' "saker: read: -p: 1:11: unknown field 'proc.nmae'"
bad_p 'x %' "saker: read: -p: 1:"
bad_p '%(proc.name' "saker: read: -p: 1:"
bad_p '' "saker: read: -p: empty"
bad_p '%%% ' "saker: read: -p: 1:"

# time arguments
for t in "--from yesterday" "--to +5x" "--from 2026-13-01T00:00:00" "--from 25:00:00" "--to +" "--from 12"; do
    # shellcheck disable=SC2086 # split on purpose
    sk read $t a.skr
    expect_rc 2 "saker read $t"
    expect_one_error "saker read $t" "bad time"
done
pass
