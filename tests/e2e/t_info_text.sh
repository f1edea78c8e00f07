# `saker info` on gentrace files: events (as asked with -n) and events by
# type (summing to the total and agreeing with what `read` prints), blocks,
# every checkpoint (-k), drops from the stats blocks (-S), index present,
# no damage; several files one after another.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

N=5000
gen a.skr -n $N -k 1000 -S 500 -b 16384
sk info a.skr
expect_clean "saker info a.skr"
cp sk.out a.info

[ "$(field file a.info)" = a.skr ] || fail "info: file is '$(field file a.info)', expected a.skr"
[ "$(field events a.info)" = $N ] || fail "info: events '$(field events a.info)', expected $N"
grep -q '^host: *gen-host, Linux 6.1.0-synthetic x86_64, 4 CPUs$' a.info || fail "info: host line wrong: $(grep '^host:' a.info)"
grep -q '^recorder: *gentrace 1 (.*gentrace -o a.skr -n 5000 ' a.info || fail "info: recorder line wrong: $(grep '^recorder:' a.info)"
grep -q '^option: *generator=gentrace$' a.info || fail "info: option line missing"
for f in format created "first event" "last event" duration size; do
    grep -q "^$f: " a.info || fail "info: no '$f:' line"
done

# Events by type: the indented lines after "events:", largest first.
awk '/^events:/ { on = 1; next } on && /^  / { print $1, $2; next } { on = 0 }' a.info > bytype
[ -s bytype ] || fail "info: no events by type"
sum=$(awk '{ s += $2 } END { print s }' bytype)
[ "$sum" = $N ] || fail "info: events by type sum to $sum, not $N"
sort -k2,2nr -c bytype 2> /dev/null || fail "info: events by type not largest first"
sk read a.skr
expect_clean "saker read a.skr"
awk '{ n[$7]++ } END { for (t in n) print t, n[t] }' sk.out | sort > read.bytype
sort bytype > info.bytype
cmp -s info.bytype read.bytype || fail "info: events by type differ from the types read prints: $(diff info.bytype read.bytype | head -n 3 | tr '\n' ' ')"

# Blocks: with -k 1000, 5 checkpoints (before events 1, 1001, ...); with
# -S 500 a stats block every 500 events after the first and one at the end.
blk=$(field blocks a.info)
case $blk in
*" events, 5 checkpoints, 10 stats") ;;
*) fail "info: blocks '$blk', expected N events, 5 checkpoints, 10 stats" ;;
esac
nev=${blk%% *}
[ "$nev" -ge 10 ] || fail "info: only $nev events blocks with -b 16384"
grep '^checkpoint: ' a.info | sed -n 's/.*, before event \([0-9]*\), 16 records$/\1/p' | tr '\n' ' ' > cps
[ "$(cat cps)" = "1 1001 2001 3001 4001 " ] || fail "info: checkpoints before events '$(cat cps)', expected 1 1001 2001 3001 4001"
[ "$(grep -c '^checkpoint: ' a.info)" = 5 ] || fail "info: $(grep -c '^checkpoint: ' a.info) checkpoint lines, expected 5"

grep -q '^drops: *0 (cpu0 0, cpu1 0, cpu2 0, cpu3 0)$' a.info || fail "info: drops line wrong: $(grep '^drops:' a.info)"
grep -q '^index:       present$' a.info || fail "info: index line wrong: $(grep '^index:' a.info)"
grep -q '^damage:      none found$' a.info || fail "info: damage line wrong: $(grep '^damage:' a.info)"

# Without -k and -S: no checkpoints, drops unknown.
gen b.skr -n 777 -s 9
sk info b.skr
expect_clean "saker info b.skr"
cp sk.out b.info
[ "$(field events b.info)" = 777 ] || fail "info b.skr: events '$(field events b.info)', expected 777"
case $(field blocks b.info) in
*" events, 0 checkpoints, 0 stats") ;;
*) fail "info b.skr: blocks '$(field blocks b.info)', expected 0 checkpoints, 0 stats" ;;
esac
! grep -q '^checkpoint:' b.info || fail "info b.skr: a checkpoint line without checkpoints"
grep -q '^drops: *unknown' b.info || fail "info b.skr: drops line wrong: $(grep '^drops:' b.info)"

# Several files: each described in turn, the same as alone.
sk info a.skr b.skr
expect_clean "saker info a.skr b.skr"
{ cat a.info; echo; cat b.info; } > ab.info
cmp -s sk.out ab.info || fail "info a.skr b.skr differs from info a.skr, a blank line, info b.skr"

# An empty trace (no events).
gen e.skr -n 0
sk info e.skr
expect_clean "saker info e.skr (no events)"
[ "$(field events sk.out)" = 0 ] || fail "info e.skr: events '$(field events sk.out)', expected 0"
pass
