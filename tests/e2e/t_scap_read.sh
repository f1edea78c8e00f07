# `saker read` and `saker info` on every sysdig/Falco capture of
# ../shared/corpus/scap (skipped when absent): exit 0, no stderr, one line
# per event numbered 1, 2, ... with '>'/'<' directions, source format
# "scap" in info, and info's event count equal to read's line count.
# A capture cut short reads what precedes the cut and exits 1 with the
# damage named.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

corpus=$E2E_ROOT/../shared/corpus/scap
[ -d "$corpus" ] || skip "no corpus at $corpus"
n=0
for f in "$corpus"/*.scap; do
    [ -f "$f" ] || continue
    sk read -D "$f"    # -D: the internal events too, so every number shows
    expect_clean "saker read -D $f"
    awk -v f="$f" '$1 != NR { print "numbering: line " NR ": " $1; exit 1 }
        $6 != ">" && $6 != "<" { print "direction: line " NR ": " $6; exit 1 }' sk.out > bad ||
        fail "saker read $f: $(cat bad)"
    lines=$(nlines sk.out)
    sk info "$f"
    expect_clean "saker info $f"
    [ "$(field events sk.out)" = "$lines" ] ||
        fail "saker info $f: events '$(field events sk.out)', read printed $lines"
    grep -q '^format: .*(scap)' sk.out || fail "saker info $f: format line: $(grep '^format' sk.out)"
    n=$((n + 1))
done
[ "$n" -ge 30 ] || fail "only $n captures in $corpus"

f=$corpus/sysflow__setuid_setuid.scap
[ -f "$f" ] || skip "no $f"
head -c 400000 "$f" > cut.scap
sk read -D cut.scap
expect_rc 1 "saker read cut.scap"
expect_one_error "saker read cut.scap" "truncated"
[ -s sk.out ] || fail "saker read cut.scap: no events before the cut"
pass
