# Every bundled sample (samples/*.skr), replayed with the default rules
# (rules/), gives exactly its expected hits (samples/expected/NAME.hits:
# EVTNUM<TAB>RULE per hit): the same rules on the same events, no more, no
# fewer, in text and JSON output; and `saker replay` with rules/ as a
# directory and the default rules agrees with the files named one by one.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need python3
samples=$E2E_ROOT/samples
rules=$E2E_ROOT/rules
n=0
for trace in "$samples"/*.skr; do
    name=$(basename "$trace" .skr)
    exp=$samples/expected/$name.hits
    [ -f "$exp" ] || fail "$name: no $exp"
    grep -v '^#' "$exp" > "$name.exp"
    [ -s "$name.exp" ] || fail "$name: $exp lists no hit"

    # the expected events' times: JSON alerts carry evt.time, not evt.num
    nums=$(cut -f 1 "$name.exp" | sort -un | paste -sd, -)
    sk read -p '%evt.num %evt.rawtime' "$trace" "evt.num in ($nums)"
    expect_clean "saker read $name.skr"
    cp sk.out "$name.times"

    sk replay -r "$rules" --no-db -o json "$trace"
    expect_rc 0 "saker replay -o json $name.skr"
    cp sk.out "$name.json"
    json_check "$name.json" "saker replay -o json $name.skr" '
import collections
exp_file, times_file, name = args
t = dict(line.split() for line in open(times_file))
want = collections.Counter()
for line in open(exp_file):
    num, rule = line.rstrip("\n").split("\t")
    want[(int(t[num]), rule)] += 1
got = collections.Counter((d["output_fields"]["evt.time"], d["rule"]) for d in docs)
missing = want - got
extra = got - want
assert not missing, "%s: expected hits missing: %s" % (name, sorted(missing)[:3])
assert not extra, "%s: unexpected hits: %s" % (name, sorted(extra)[:3])
for d in docs:
    assert d["output"] and "%" not in d["output"], "%s: output not formatted: %s" % (name, d["output"][:100])
' "$name.exp" "$name.times" "$name"

    # text alerts: one line per hit, and the summary on stderr counts them
    sk replay -r "$rules/saker_rules.yaml" --no-db "$trace"
    expect_rc 0 "saker replay $name.skr"
    expect_lines "$(nlines "$name.exp")" sk.out "saker replay $name.skr (text)"
    grep -q "^hits: $(nlines "$name.exp") " sk.err || fail "$name: summary: $(grep '^hits' sk.err)"
    n=$((n + 1))
done
[ "$n" -ge 7 ] || fail "only $n samples in $samples"

# the default rules (no -r) are rules/ when run from the project root
(cd "$E2E_ROOT" && "$SAKER" replay -q --no-db samples/tamper.skr) > default.out 2> default.err ||
    fail "saker replay with the default rules: $(first_line default.err)"
expect_lines "$(grep -vc '^#' "$samples/expected/tamper.hits")" default.out "replay with the default rules"
pass
