# `saker read`: one line per event (as many as info counts), numbered 1..N
# without gaps, times never going back, in the documented line format;
# -n/--count stops after COUNT; -e continues the numbering.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

N=5000
gen a.skr -n $N -k 1000 -S 500 -b 16384
sk info a.skr
expect_clean "saker info a.skr"
[ "$(field events sk.out)" = $N ] || fail "info a.skr: events '$(field events sk.out)', expected $N"

sk read a.skr
expect_clean "saker read a.skr"
cp sk.out all.out
expect_lines $N all.out "saker read a.skr"
check_numbers all.out 1 "saker read a.skr"
check_times all.out "saker read a.skr"
# NUMBER TIME CPU PROCESS (TID) DIR TYPE NAME=VALUE... (sysdig's default line)
bad=$(grep -Evn '^[0-9]+ [0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{9} [0-9]+ [^ ]+ \(-?[0-9]+\) [=<>] [a-z_0-9]+( [a-z_0-9]+=[^ ]*.*)?$' all.out | head -n 1 | cut -c 1-120)
[ -z "$bad" ] || fail "saker read a.skr: line not in the format NUMBER TIME CPU PROCESS (TID) DIR TYPE NAME=VALUE...: $bad"
grep -q '^1 22:13:20\.' all.out || fail "saker read a.skr: first event not at 22:13:20 UTC (gentrace's start)"

for n in 5 1 4999 5000; do
    sk read -n $n a.skr
    expect_clean "saker read -n $n a.skr"
    expect_lines $n sk.out "saker read -n $n a.skr"
    head -n $n all.out | cmp -s - sk.out || fail "saker read -n $n a.skr: not the first $n events"
done
for args in "-n 10000" "--count 5" "--count=5" "-n5"; do
    # shellcheck disable=SC2086 # split on purpose
    sk read $args a.skr
    expect_clean "saker read $args a.skr"
    want=5
    [ "$args" = "-n 10000" ] && want=$N
    expect_lines $want sk.out "saker read $args a.skr"
    head -n $want all.out | cmp -s - sk.out || fail "saker read $args a.skr: not the first $want events"
done

# A file that continues a rotated set starts at its first number.
gen c.skr -n 300 -e 123457 -s 3
sk read c.skr
expect_clean "saker read c.skr"
expect_lines 300 sk.out "saker read c.skr (-e 123457)"
check_numbers sk.out 123457 "saker read c.skr (-e 123457)"

# Many small blocks, and no events at all.
gen d.skr -n 3000 -b 1024 -s 4
sk read d.skr
expect_clean "saker read d.skr (-b 1024)"
expect_lines 3000 sk.out "saker read d.skr (-b 1024)"
check_numbers sk.out 1 "saker read d.skr (-b 1024)"
check_times sk.out "saker read d.skr (-b 1024)"
gen e.skr -n 0
sk read e.skr
expect_clean "saker read e.skr (no events)"
[ ! -s sk.out ] || fail "saker read e.skr: output for a trace without events"
pass
