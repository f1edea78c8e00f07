# A rotated set (gentrace -e continues the numbering, -t starts later):
# `saker read` prints one timeline, every event once, numbered 1..N
# without gaps, whatever the order the files are named in.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

# Each file spans at most 2000 events x 2 us = 4 ms; they start 10 ms apart.
gen r0.skr -n 2000 -s 1 -t "$T0" -k 500
gen r1.skr -n 2000 -s 2 -e 2001 -t $((T0 + 10000000)) -k 500
gen r2.skr -n 1500 -s 3 -e 4001 -t $((T0 + 20000000)) -S 100
: > each.out
for f in r0.skr r1.skr r2.skr; do
    sk read $f
    expect_clean "saker read $f"
    cat sk.out >> each.out
done
expect_lines 5500 each.out "the three files read one by one"

for order in "r0.skr r1.skr r2.skr" "r2.skr r0.skr r1.skr" "r1.skr r2.skr r0.skr"; do
    # shellcheck disable=SC2086 # split on purpose
    sk read $order
    expect_clean "saker read $order"
    expect_lines 5500 sk.out "saker read $order"
    check_numbers sk.out 1 "saker read $order"
    check_times sk.out "saker read $order"
    cmp -s each.out sk.out || fail "saker read $order: not the files' events one after another"
done
sk read -n 2500 r2.skr r1.skr r0.skr
expect_clean "saker read -n 2500 r2.skr r1.skr r0.skr"
head -n 2500 each.out | cmp -s - sk.out || fail "saker read -n 2500 (rotated set): not the first 2500 events"
pass
