# saker record -C 1 on a command making about 5 MiB of trace (dd of random
# data, which compresses little): files r.skr.0, r.skr.1, ... (at least 3,
# no gap), each one readable alone, with its index, starting with a
# checkpoint (block 1), and each but the last at least 1 MiB on disk (-C
# counts bytes on disk) and not far over it; the event numbers go on from
# one file to the next, and `saker read r.skr.*` gives every event once, in
# order. The summary line names no malformed record.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need_bpf

sk record -w r.skr -C 1 -- sh -c 'dd if=/dev/urandom of=/dev/null bs=256 count=70000 2> /dev/null'
expect_rc 0 "saker record -C 1"
expect_lines 1 sk.err "saker record -C 1 (stderr: the summary)"
grep -q '^saker: record: [0-9]* events in [0-9]* file(s), ' sk.err || fail "no summary line: $(first_line sk.err)"
! grep -q malformed sk.err || fail "malformed records: $(first_line sk.err)"
[ ! -e r.skr ] || fail "r.skr written besides the numbered files"

n=$(find . -maxdepth 1 -name 'r.skr.*' | wc -l)
[ "$n" -ge 3 ] || fail "$n files at -C 1: $(find . -name 'r.skr*' | tr '\n' ' ')"
summary_files=$(sed -n 's/^saker: record: [0-9]* events in \([0-9]*\) file(s).*/\1/p' sk.err)
[ "$summary_files" = "$n" ] || fail "the summary says $summary_files files, $n written"

next=1 total=0 i=0
while [ $i -lt "$n" ]; do
    f=r.skr.$i
    [ -f "$f" ] || fail "$f missing among $n files"
    sk info "$f"
    expect_clean "saker info $f"
    grep -q '^index:       present$' sk.out || fail "saker info $f: $(grep '^index:' sk.out)"
    grep -q '^damage:      none found$' sk.out || fail "saker info $f: $(grep '^damage:' sk.out)"
    grep -q "^checkpoint:  block 1, .*, before event $next, " sk.out ||
        fail "$f does not start with a checkpoint before event $next: $(grep '^checkpoint:' sk.out | head -n 1)"
    ev=$(field events sk.out)
    [ "$ev" -gt 0 ] || fail "$f holds no event"
    sk read "$f"
    expect_clean "saker read $f"
    expect_lines "$ev" sk.out "saker read $f (info says $ev events)"
    check_numbers sk.out $next "saker read $f"
    if [ $i -lt $((n - 1)) ]; then
        sz=$(size "$f")
        [ "$sz" -ge 1048576 ] || fail "$f: $sz bytes, finished before reaching -C 1 (1048576)"
        # over it by the blocks in flight at most: a few compressed blocks
        [ "$sz" -le 3145728 ] || fail "$f: $sz bytes, far over -C 1"
    fi
    next=$((next + ev))
    total=$((total + ev))
    i=$((i + 1))
done

sk read r.skr.*
expect_clean "saker read r.skr.* (merged)"
expect_lines $total sk.out "saker read r.skr.* (merged: the files hold $total events)"
check_numbers sk.out 1 "saker read r.skr.* (merged)"
pass
