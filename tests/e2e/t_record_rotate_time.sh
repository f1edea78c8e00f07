# saker record -G 1 -M 4 of a shell running cat in a loop: with a
# strftime pattern (r-%H%M%S.skr) the files are named by the time they were
# opened, without a number; without one (r.skr) they are r.skr.0, r.skr.1,
# ... Either way at least 3 files, each readable alone with its index and
# starting with a checkpoint, and the merged read numbers every event once,
# from 1, in order.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need_bpf

# check_files WHAT FILES...: each file whole and readable, all together
# consecutive from event 1.
check_files() {
    _what=$1
    shift
    [ $# -ge 3 ] || fail "$_what: $# files with -G 1 -M 4: $*"
    _total=0
    for _f in "$@"; do
        sk info "$_f"
        expect_clean "saker info $_f"
        grep -q '^index:       present$' sk.out || fail "saker info $_f: $(grep '^index:' sk.out)"
        grep -q '^checkpoint:  block 1, ' sk.out || fail "$_f does not start with a checkpoint"
        _ev=$(field events sk.out)
        sk read "$_f"
        expect_clean "saker read $_f"
        expect_lines "$_ev" sk.out "saker read $_f (info says $_ev events)"
        _total=$((_total + _ev))
    done
    [ $_total -gt 0 ] || fail "$_what: no event recorded with cat running"
    sk read "$@"
    expect_clean "saker read $* (merged)"
    expect_lines $_total sk.out "saker read (merged, $_what)"
    check_numbers sk.out 1 "saker read (merged, $_what)"
}

# The loop outlives -M 4, which ends each recording (and it ends by itself
# after some 10 s); recording it, not the whole host, keeps the files small
# on a busy machine.
trap 'touch stop1 stop2' EXIT
# shellcheck disable=SC2016 # expanded by the recorded sh
loop='i=0; while [ ! -e "$1" ] && [ $i -lt 200 ]; do cat /etc/hostname > /dev/null; sleep 0.05; i=$((i + 1)); done'
rec -w 'r-%H%M%S.skr' -G 1 -M 4 -- sh -c "$loop" sh stop1
touch stop1
expect_rc 0 "saker record -w r-%H%M%S.skr -G 1 -M 4"
rec -w r.skr -G 1 -M 4 -- sh -c "$loop" sh stop2
touch stop2
expect_rc 0 "saker record -w r.skr -G 1 -M 4"

# shellcheck disable=SC2046 # the names have no blanks
set -- $(find . -maxdepth 1 -name 'r-*' | sed 's|^\./||' | sort)
for f in "$@"; do
    case $f in
    r-[0-2][0-9][0-5][0-9][0-6][0-9].skr) ;;
    *) fail "file '$f' not named by r-%H%M%S.skr" ;;
    esac
done
check_files "r-%H%M%S.skr" "$@"

# shellcheck disable=SC2046 # the names have no blanks
set -- $(find . -maxdepth 1 -name 'r.skr*' | sed 's|^\./||' | sort -t . -k 3n)
[ ! -e r.skr ] || fail "r.skr written besides the numbered files"
i=0
for f in "$@"; do
    [ "$f" = "r.skr.$i" ] || fail "files $*: expected r.skr.0, r.skr.1, ..."
    i=$((i + 1))
done
check_files "r.skr" "$@"
pass
