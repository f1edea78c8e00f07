# A trace whose trailer (the last 32 bytes) or index block and trailer are
# missing, as a recorder killed while closing leaves it: the index is
# rebuilt by scanning, nothing is damaged (exit 0), every event is read and
# info says what it said of the whole file.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

N=5000
gen d.skr -n $N -k 1000 -S 500 -b 16384
sk read d.skr
expect_clean "saker read d.skr"
cp sk.out orig.out
sk info d.skr
expect_clean "saker info d.skr"
# what does not depend on the file's size or index
grep -Ev '^(file|size|bytes/event|index): ' sk.out > orig.info
sz=$(size d.skr)
blocks d.skr > blocks.txt
ix=$(awk '$3 == 5 { print $2 }' blocks.txt)
[ -n "$ix" ] || fail "no index block found in d.skr"

for cut in trailer index; do
    f=no-$cut.skr
    if [ $cut = trailer ]; then head -c $((sz - 32)) d.skr > $f; else head -c "$ix" d.skr > $f; fi
    sk info $f
    expect_clean "saker info $f"
    grep -q '^index: .*rebuilt by scanning' sk.out || fail "saker info $f: index not said rebuilt: $(grep '^index:' sk.out)"
    grep -q '^damage:      none found$' sk.out || fail "saker info $f: $(grep '^damage:' sk.out | head -n 1)"
    grep -Ev '^(file|size|bytes/event|index): ' sk.out > cut.info
    cmp -s orig.info cut.info || fail "saker info $f: says other things than of the whole file: $(diff orig.info cut.info | sed -n 2p)"
    sk info --check $f
    expect_clean "saker info --check $f"
    [ "$(field events sk.out)" = $N ] || fail "saker info --check $f: events '$(field events sk.out)', expected $N"
    sk info --json $f
    expect_clean "saker info --json $f"
    json_check sk.out "saker info --json $f" '
d = docs[0]
assert d["index_present"] is False, "index_present %r" % d["index_present"]
assert "rebuilt" in d.get("index_rebuilt", ""), "index_rebuilt %r" % d.get("index_rebuilt")
assert d["damage"] == [], "damage %r" % d["damage"]
assert d["events"] == int(args[0]), "events %r" % d["events"]
' $N
    for opt in "" --no-prefetch; do
        # shellcheck disable=SC2086 # split on purpose
        sk read $opt $f
        expect_clean "saker read $opt $f"
        cmp -s orig.out sk.out || fail "saker read $opt $f: not the events of the whole file"
    done
done
pass
