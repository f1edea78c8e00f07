# `saker replay --rule-matching first` against Falco's own expectations on
# the shared corpus's .scap captures (skipped when the corpus or .scap
# reading is absent): single_rule.yaml on falco__cat_write.scap prints
# exactly Falco's 8 alerts (same times, same text; JSON the same objects
# but the host name), and every test of falcosecurity/testing's legacy
# suite with a capture in the corpus holds (tests/e2e/replay_falco.py),
# except the known failures listed below with their reason.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need python3

corpus=$E2E_ROOT/../shared/corpus/scap
exp=$corpus/expected
[ -f "$exp/falco-testing_legacy_expectations.md" ] || skip "no scap corpus at $corpus"
cw=$corpus/falco__cat_write.scap
sk info "$cw"
[ "$rc" -eq 0 ] || skip "saker cannot read .scap captures yet: $(first_line sk.err)"

# Falco's output file for this test, to the byte (its last line has no \n)
sk replay -q --no-db --rule-matching first --iso8601 -r "$exp/falco-test/rules/single_rule.yaml" "$cw"
expect_clean "replay single_rule.yaml falco__cat_write.scap"
expect_lines 8 sk.out "single_rule on cat_write"
printf '\n' | cat "$exp/falco-test/output_files/single_rule_with_cat_write.txt" - | cmp -s - sk.out ||
    fail "single_rule on cat_write: $(printf '\n' | cat "$exp/falco-test/output_files/single_rule_with_cat_write.txt" - | diff - sk.out | sed -n 2p)"
# the default time format: evt.time, local (TZ=UTC here)
sk replay -q --no-db --rule-matching first -r "$exp/falco-test/rules/single_rule.yaml" "$cw"
head -n 1 sk.out | grep -qx '16:17:57.881781397: Warning An open was seen (command=cat /dev/null)' ||
    fail "default time format: $(first_line sk.out)"

sk replay -q --no-db --rule-matching first --iso8601 -o json \
    -r "$exp/falco-test/rules/single_rule_with_tags.yaml" "$cw"
expect_clean "replay -o json single_rule_with_tags.yaml"
cp sk.out got.json
json_check got.json "JSON alerts vs Falco's" '
want = [json.loads(l) for l in open(args[0]) if l.strip()]
assert len(docs) == len(want) == 8, (len(docs), len(want))
for d, w in zip(docs, want):
    d.pop("hostname"); w.pop("hostname")
    assert d == w, (d, w)
' "$exp/falco-test/output_files/single_rule_with_cat_write.json"

# Known failures, one test name a line with the reason above it (none
# today: all applicable tests pass).
printf '' > known.txt
python3 "$E2E_ROOT/tests/e2e/replay_falco.py" "$SAKER" "$exp" "$corpus" known.txt > falco.out 2>&1 ||
    fail "Falco's expectations: $(grep -m 3 '^FAIL' falco.out | tr '\n' '|' | cut -c 1-400) $(tail -n 1 falco.out)"
grep -q '^falco-expectations: [0-9]* passed' falco.out || fail "replay_falco.py: $(tail -n 1 falco.out)"
grep -q '^Traceback' falco.out && fail "replay_falco.py crashed: $(tail -n 1 falco.out)"
# the result line, for the log
tail -n 1 falco.out
pass
