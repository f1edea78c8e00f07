# Falco's official rules on `saker replay` (skipped without the shared
# rules corpus): falco_rules.yaml, then with the incubating and sandbox
# files stacked, load unchanged (`saker rules validate`: no rule fails to
# compile) and replay a generated trace: exit 0, every hit a JSON alert of
# an enabled rule of those files, the summary's counts add up, and
# --rule-matching first never reports more hits than all.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

corpus=$E2E_ROOT/../shared/corpus/rules
[ -d "$corpus/stable" ] || skip "no rules corpus at $corpus"
s=$corpus/stable
gen a.skr -n 50000 -k 10000 -S 10000 -s 11

sk rules validate -q "$s/falco_rules.yaml"
expect_clean "rules validate falco_rules.yaml"
grep -q '^25 rules: 25 to evaluate, 0 disabled' sk.out || fail "validate: $(first_line sk.out)"
sk rules validate -q "$s/falco_rules.yaml" "$s/falco-incubating_rules.yaml" "$s/falco-sandbox_rules.yaml"
expect_clean "rules validate stable+incubating+sandbox"
grep -q '^93 rules: 81 to evaluate, 12 disabled' sk.out || fail "validate x3: $(first_line sk.out)"

sk replay --no-db -o json -r "$s/falco_rules.yaml" a.skr
expect_rc 0 "replay falco_rules.yaml"
[ -s sk.out ] || fail "replay falco_rules.yaml: no hit on the generated trace"
cp sk.out all.json
cp sk.err all.err
sk rules list -q "$s/falco_rules.yaml"
sed -n 's/^[A-Za-z]* *enabled *\(.*\) \[.*/\1/p' sk.out > enabled.txt
[ "$(nlines enabled.txt)" -eq 25 ] || fail "rules list: $(nlines enabled.txt) enabled rules"
json_check all.json "stable hits" '
names = set(l.rstrip("\n") for l in open(args[0]))
for d in docs:
    assert d["rule"] in names, d["rule"]
    assert d["source"] == "syscall" and d["output"].split(": ", 1)[1].startswith(d["priority"] + " "), d
' enabled.txt
n=$(nlines all.json)
grep -q "^hits: $n (" all.err || fail "summary: $(grep '^hits' all.err), printed $n"
grep -q '25 rules evaluated' all.err || fail "summary: $(first_line all.err)"

sk replay -q --no-db --rule-matching first -r "$s/falco_rules.yaml" a.skr
expect_clean "replay --rule-matching first"
[ "$(nlines sk.out)" -le "$n" ] || fail "first: $(nlines sk.out) hits, all: $n"

sk replay --no-db -r "$s/falco_rules.yaml" -r "$s/falco-incubating_rules.yaml" \
    -r "$s/falco-sandbox_rules.yaml" a.skr
expect_rc 0 "replay stable+incubating+sandbox"
grep -q '81 rules evaluated' sk.err || fail "x3 summary: $(first_line sk.err)"
[ "$(nlines sk.out)" -ge "$n" ] || fail "x3: fewer hits ($(nlines sk.out)) than falco_rules.yaml alone ($n)"
pass
