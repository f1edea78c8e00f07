# `saker read FILE FILTER`: a filter keeps exactly the events a full read
# shows with the same values (type, process name from the replayed state,
# tid), whichever fields it reads (evt.* only: blocks skipped by type;
# proc.*: replayed through the state); the words after the files are the
# filter; -c counts; -n counts printed events.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen a.skr -n 20000 -k 5000 -b 16384
sk read a.skr
expect_clean "saker read a.skr"
cp sk.out all.out

# check_filter WANT_AWK ARGS...: saker read ARGS gives the lines of the full
# read that the awk condition selects.
check_filter() {
    _cond=$1
    shift
    sk read "$@"
    expect_clean "saker read $*"
    awk "$_cond" all.out > want.out
    [ -s want.out ] || fail "test data: no event satisfies $_cond"
    cmp -s want.out sk.out ||
        fail "saker read $*: $(nlines sk.out) lines, expected the $(nlines want.out) with $_cond (first difference: $(diff want.out sk.out | sed -n 2p | cut -c 1-160))"
}

check_filter '$7 == "openat"' a.skr evt.type=openat
check_filter '$7 == "openat"' a.skr 'evt.type = openat'
check_filter '$7 == "openat"' a.skr evt.type = openat
check_filter '$7 == "read" || $7 == "write"' a.skr 'evt.type in (read, write)'
check_filter '$7 != "read"' a.skr not evt.type=read
tid=$(awk '$7 == "close" { gsub(/[()]/, "", $5); print $5; exit }' all.out)
check_filter "\$7 == \"close\" && \$5 == \"($tid)\"" a.skr evt.type=close and thread.tid="$tid"
# A state field: the process name of the default line is the one filters see.
name=$(awk '$4 != "<NA>" { print $4; exit }' all.out)
[ -n "$name" ] || fail "saker read a.skr: no event shows a process name (checkpoints not loaded?)"
check_filter "\$4 == \"$name\"" a.skr proc.name="$name"
check_filter "\$4 == \"$name\" && \$7 == \"openat\"" a.skr evt.type=openat and proc.name="$name"
check_filter "\$4 == \"$name\" || \$7 == \"execve\"" a.skr "proc.name=$name or evt.type=execve"
# Several files: one timeline, filtered.
gen b.skr -n 3000 -s 7 -e 100001 -t $((T0 + 5000000))
sk read a.skr b.skr
expect_clean "saker read a.skr b.skr"
cp sk.out all.out
check_filter '$7 == "connect"' a.skr b.skr evt.type=connect

# -c: the number of matches; -n: at most N printed.
sk read -c a.skr b.skr evt.type=connect
expect_clean "saker read -c a.skr b.skr evt.type=connect"
[ "$(cat sk.out)" = "$(awk '$7 == "connect"' all.out | wc -l | tr -d ' ')" ] ||
    fail "saker read -c: printed '$(first_line sk.out)', expected the number of connect events"
sk read -n 3 a.skr evt.type=connect
expect_clean "saker read -n 3 a.skr evt.type=connect"
expect_lines 3 sk.out "saker read -n 3 a.skr evt.type=connect"

# Small blocks, so that many hold no execve: a filter and output on evt.*
# fields only skip those blocks by their type bitmaps (no state is kept);
# the events must be the same as the full read's.
gen s.skr -n 20000 -b 1024 -s 5
sk read s.skr
expect_clean "saker read s.skr"
cp sk.out all.out
check_filter '$7 == "execve" { print $1, $7 }' -p '%evt.num %evt.type' s.skr evt.type=execve
check_filter '$7 == "execve" || $7 == "clone" { print $1, $7 }' -p '%evt.num %evt.type' s.skr evt.type in '(execve, clone)'
sk read -c s.skr evt.type=execve
[ "$(cat sk.out)" = "$(awk '$7 == "execve"' all.out | wc -l | tr -d ' ')" ] ||
    fail "saker read -c s.skr evt.type=execve: '$(first_line sk.out)', not the number of execve events"
# the same with state (the default line names the process)
check_filter '$7 == "execve"' s.skr evt.type=execve

# A filter nothing matches: no output, exit 0.
sk read a.skr evt.type=ptrace
expect_clean "saker read a.skr evt.type=ptrace"
[ ! -s sk.out ] || fail "saker read a.skr evt.type=ptrace: output"
pass
