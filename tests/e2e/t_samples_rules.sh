# The default ruleset and its samples keep each other honest: rules/ loads
# and compiles with no warning; every enabled rule has a desc, an output with
# %fields, a priority and MITRE tags, and fires in at least one sample's
# expected hits; every expected hit names a rule that exists; every sample
# is under 1 MiB, was made by a samples/record-NAME.sh and has expected
# hits. With PyYAML, samples/hits_by_read.py (each rule's condition run
# through `saker read`) reproduces every expected file, so the hits do not
# rest on the rules engine alone.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
samples=$E2E_ROOT/samples
rules=$E2E_ROOT/rules

sk rules "$rules"/*.yaml
expect_clean "saker rules rules/*.yaml"
sk rules -l "$rules"/*.yaml
expect_clean "saker rules -l"
sed 's/^[^ ]*  *[^ ]*  *[^ ]*  *//; s/ \[[^]]*\]$//' sk.out > names.txt
cp sk.out list.txt
[ "$(nlines names.txt)" -ge 20 ] || fail "only $(nlines names.txt) rules"
awk '$2 != "enabled"' list.txt | grep -q . && fail "a default rule is disabled: $(awk '$2 != "enabled"' list.txt | head -n 1)"
grep -Evq '\[.*mitre_[a-z_]+.*\]$' list.txt && fail "a rule without a mitre_ tag"
grep -Evq '\[.*T[0-9]{4}.*\]$' list.txt && fail "a rule without a MITRE technique id"

cat "$samples"/expected/*.hits | grep -v '^#' | cut -f 2 | sort -u > fired.txt
while IFS= read -r rule; do
    grep -qxF "$rule" fired.txt || fail "rule '$rule' fires in no sample"
    sk rules -s "$rule" "$rules"/*.yaml
    expect_clean "saker rules -s '$rule'"
    grep -q '^output: .*%[a-z]' sk.out || fail "rule '$rule': no %field in its output"
done < names.txt
while IFS= read -r rule; do
    grep -qxF "$rule" names.txt || fail "expected hits name an unknown rule '$rule'"
done < fired.txt
# desc present for every rule (saker rules checks the required keys)
[ "$(grep -c '^  desc:' "$rules"/*.yaml | awk -F: '{ s += $NF } END { print s }')" -ge "$(nlines names.txt)" ] ||
    fail "a rule without desc"

for trace in "$samples"/*.skr; do
    name=$(basename "$trace" .skr)
    [ "$(size "$trace")" -lt 1048576 ] || fail "$name.skr is $(size "$trace") bytes, over 1 MiB"
    [ -f "$samples/record-$name.sh" ] || fail "$name.skr: no samples/record-$name.sh"
    [ -f "$samples/expected/$name.hits" ] || fail "$name.skr: no expected hits"
    grep -q "$name" "$samples/README.md" || fail "$name.skr: not in samples/README.md"
    sk info "$trace"
    expect_clean "saker info $name.skr"
    grep -q '^damage:      none found' sk.out || fail "$name.skr: $(grep '^damage' sk.out)"
done
for script in "$samples"/record-*.sh; do
    name=$(basename "$script" .sh)
    name=${name#record-}
    [ -f "$samples/$name.skr" ] || fail "$script: no samples/$name.skr"
done

# an independent evaluation: the conditions through saker read
if python3 -c 'import yaml' 2> /dev/null; then
    for exp in "$samples"/expected/*.hits; do
        name=$(basename "$exp" .hits)
        (cd "$E2E_ROOT" && SAKER=$SAKER python3 samples/hits_by_read.py "samples/$name.skr") > "$name.read" 2> "$name.err" ||
            fail "hits_by_read.py $name.skr: $(first_line "$name.err")"
        grep -v '^#' "$exp" | diff - "$name.read" > "$name.diff" ||
            fail "$name: saker read's hits differ from the expected ones: $(head -n 3 "$name.diff" | tr '\n' ' ')"
    done
else
    echo "no PyYAML: hits_by_read.py cross-check left out" >&2
fi
pass
