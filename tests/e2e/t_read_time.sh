# `saker read --from/--to`: absolute (ISO 8601 with zone or not, clock
# time, ns since the epoch) and relative (+OFFSET from the first event)
# times select [from, to) of the full read on a multi-block trace with
# checkpoints: the same lines, process names included (the state is
# rebuilt from the newest checkpoint before the start); several files too.
# Times are compared as text: TZ=UTC and everything within one second.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

# 40000 events about 1 us apart: 22:13:20.000 to about .040, one
# checkpoint at the start (a single one, so a replay from it and a full
# replay must agree on every process name).
gen a.skr -n 40000 -k 100000 -b 16384
[ "$(blocks a.skr | awk '$3 == 2' | wc -l)" -ge 8 ] || fail "gentrace wrote too few blocks for a seek test"
sk read a.skr
expect_clean "saker read a.skr"
cp sk.out all.out
first=$(awk '{ print $2; exit }' all.out)

# sel FROM TO: the lines of all.out with FROM <= time < TO (HH:MM:SS.nnnnnnnnn)
sel() { awk -v a="$1" -v b="$2" '$2 >= a && $2 < b' all.out; }
# check_range FROM TO ARGS...
check_range() {
    _a=$1 _b=$2
    shift 2
    sk read "$@"
    expect_clean "saker read $*"
    sel "$_a" "$_b" > want.out
    [ -s want.out ] || fail "test data: nothing between $_a and $_b"
    cmp -s want.out sk.out ||
        fail "saker read $*: $(nlines sk.out) lines, expected the $(nlines want.out) from $_a to $_b (first difference: $(diff want.out sk.out | sed -n 2p | cut -c 1-160))"
}

check_range 22:13:20.010000000 22:13:20.020000000 --from 1700000000010000000 --to 1700000000020000000 a.skr
check_range 22:13:20.010000000 22:13:20.020000000 --from 2023-11-14T22:13:20.010Z --to 2023-11-14T22:13:20.02Z a.skr
check_range 22:13:20.010000000 22:13:20.020000000 --from '2023-11-14 22:13:20.010' --to 2023-11-14T23:13:20.020+01:00 a.skr
check_range 22:13:20.010000000 22:13:20.020000000 --from 22:13:20.01 --to=22:13:20.020 a.skr
check_range 22:13:20.025000000 23:00:00 --from 22:13:20.025 a.skr
check_range 00:00:00 22:13:20.005000000 --to 22:13:20.005 a.skr
# relative to the first event (not to the header's creation time)
rel=$(echo "$first" | awk -F. '{ printf "%s.%09d", $1, $2 + 12500000 }')
rel2=$(echo "$first" | awk -F. '{ printf "%s.%09d", $1, $2 + 13500000 }')
check_range "$rel" "$rel2" --from +12500us --to +13.5ms a.skr
check_range "$rel" "$rel2" --from +12ms500us --to +0.0135s a.skr
# with a filter and a format
# (the default line shows an empty name as <NA>, the field may give "")
sk read --from 22:13:20.01 --to 22:13:20.02 -p '*%evt.num %proc.name' a.skr evt.type=openat
expect_clean "saker read --from --to -p ... evt.type=openat"
sed 's/ <NA>$/ /' sk.out > got.out
sel 22:13:20.010000000 22:13:20.020000000 | awk '$7 == "openat" { print $1, ($4 == "<NA>" ? "" : $4) }' |
    cmp -s - got.out || fail "saker read --from --to -p '*%evt.num %proc.name' evt.type=openat: not the openat events of the range"
# an empty range, and one after the end
sk read --from 22:13:20.02 --to 22:13:20.02 a.skr
expect_clean "saker read (empty range)"
[ ! -s sk.out ] || fail "saker read --from T --to T: output"
sk read --from +1h a.skr
expect_clean "saker read --from +1h"
[ ! -s sk.out ] || fail "saker read --from +1h: output"

# Periodic checkpoints: the events are the same; a process name may come
# from the checkpoint loaded (gentrace's checkpoints do not follow its own
# execs), so that column is left out.
gen c.skr -n 40000 -k 3000 -b 16384
sk read c.skr
expect_clean "saker read c.skr"
awk '{ $4 = ""; print }' sk.out > call.out
sk read --from 22:13:20.0205 --to 22:13:20.031 c.skr
expect_clean "saker read --from --to c.skr"
[ -s sk.out ] || fail "saker read --from --to c.skr: no output"
awk '{ $4 = ""; print }' sk.out > part.out
awk '$2 >= "22:13:20.020500000" && $2 < "22:13:20.031000000"' call.out | cmp -s - part.out ||
    fail "saker read --from --to c.skr (checkpoints every 3000 events): not the events of the range"

# Several files as one timeline, seeking into the second.
gen r0.skr -n 20000 -k 5000 -s 1 -e 1 -b 16384
gen r1.skr -n 20000 -k 5000 -s 2 -e 20001 -t $((T0 + 30000000)) -b 16384
sk read r0.skr r1.skr
expect_clean "saker read r0.skr r1.skr"
awk '{ $4 = ""; print }' sk.out > call.out
sk read --from 22:13:20.035 --to 22:13:20.040 r0.skr r1.skr
expect_clean "saker read --from --to r0.skr r1.skr"
awk '{ $4 = ""; print }' sk.out > part.out
[ -s part.out ] || fail "saker read --from --to r0.skr r1.skr: no output"
awk '$2 >= "22:13:20.035000000" && $2 < "22:13:20.040000000"' call.out | cmp -s - part.out ||
    fail "saker read --from --to r0.skr r1.skr: not the events of the range"
pass
