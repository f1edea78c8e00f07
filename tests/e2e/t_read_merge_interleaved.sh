# Files whose times interleave (traces of several hosts): `saker read`
# merges them in time order, every event exactly once, each file's events
# in their own order.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen a.skr -n 3000 -s 11 -t "$T0" -b 8192
gen b.skr -n 3000 -s 12 -t $((T0 + 333)) -e 100001 -b 4096 -k 700
gen c.skr -n 1000 -s 13 -t $((T0 + 777)) -e 200001 -S 50
: > each.out
for f in a.skr b.skr c.skr; do
    sk read $f
    expect_clean "saker read $f"
    cp sk.out "$f.out"
    cat sk.out >> each.out
done
sort each.out > each.sorted

for order in "a.skr b.skr c.skr" "c.skr a.skr b.skr"; do
    # shellcheck disable=SC2086 # split on purpose
    sk read $order
    expect_clean "saker read $order"
    cp sk.out merged.out
    expect_lines 7000 merged.out "saker read $order"
    check_times merged.out "saker read $order"
    sort merged.out | cmp -s each.sorted - || fail "saker read $order: not every event exactly once"
    # The files are told apart by their numbers: a 1.., b 100001.., c 200001..
    awk '$1 < 100000' merged.out | cmp -s a.skr.out - || fail "saker read $order: a.skr's events out of order"
    awk '$1 > 100000 && $1 < 200000' merged.out | cmp -s b.skr.out - || fail "saker read $order: b.skr's events out of order"
    awk '$1 > 200000' merged.out | cmp -s c.skr.out - || fail "saker read $order: c.skr's events out of order"
    # They really interleave: the first 100 lines come from all three.
    [ "$(head -n 100 merged.out | awk '{ print ($1 > 200000) ? "c" : ($1 > 100000) ? "b" : "a" }' | sort -u | wc -l)" -eq 3 ] ||
        fail "saker read $order: the first 100 events do not mix the three files"
done
# The same file twice: each event twice, side by side. The process column
# is left out: one timeline has one state, and the second copy of a
# procexit finds its thread already gone.
sk read c.skr c.skr
expect_clean "saker read c.skr c.skr"
awk '{ $4 = ""; print; print }' c.skr.out > twice.out
awk '{ $4 = ""; print }' sk.out | cmp -s twice.out - || fail "saker read c.skr c.skr: not each event twice in a row"
pass
