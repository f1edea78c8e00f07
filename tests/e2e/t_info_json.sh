# `saker info --json`: one JSON object per file and line, valid UTF-8, with
# events, events_by_type (summing to events), blocks, checkpoints, drops,
# index_present true, damage []; integers exact, times in ns since the
# epoch (saker-info(1)).
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

N=5000
T=1700000000123456789
gen a.skr -n $N -k 1000 -S 500 -b 16384 -t $T
gen b.skr -n 300 -s 2
sk info --json a.skr
expect_clean "saker info --json a.skr"
expect_lines 1 sk.out "saker info --json a.skr"
json_check sk.out "info --json a.skr" '
d = docs[0]
N, T = int(args[0]), int(args[1])
assert d["file"] == "a.skr", "file %r" % d["file"]
assert d["events"] == N, "events %r, expected %d" % (d["events"], N)
bt = d["events_by_type"]
assert isinstance(bt, dict) and bt, "events_by_type %r" % bt
assert all(type(v) is int and v > 0 for v in bt.values()), "events_by_type values %r" % bt
assert sum(bt.values()) == N, "events_by_type sums to %d" % sum(bt.values())
assert d["index_present"] is True, "index_present %r" % d["index_present"]
assert d["damage"] == [], "damage %r" % d["damage"]
assert d["blocks"]["checkpoints"] == 5 and d["blocks"]["stats"] == 10, "blocks %r" % d["blocks"]
assert d["blocks"]["events"] >= 10, "blocks %r" % d["blocks"]
assert [c["next_event"] for c in d["checkpoints"]] == [1, 1001, 2001, 3001, 4001], "checkpoints %r" % d["checkpoints"]
assert d["drops"] == 0 and d["drops_by_cpu"] == [0, 0, 0, 0], "drops %r %r" % (d["drops"], d["drops_by_cpu"])
assert d["hostname"] == "gen-host" and d["ncpus"] == 4, "host %r %r" % (d["hostname"], d["ncpus"])
assert d["created_ns"] == T, "created_ns %r, expected %d exactly" % (d["created_ns"], T)
assert d["boot_ns"] == T - 3600000000000, "boot_ns %r, expected %d exactly" % (d["boot_ns"], T - 3600000000000)
assert type(d["first_ts"]) is int and type(d["last_ts"]) is int, "times not integers: %r %r" % (d["first_ts"], d["last_ts"])
assert T + 200 <= d["first_ts"] < T + 2000, "first_ts %r: gentrace starts at %d + 200..1999 ns" % (d["first_ts"], T)
assert d["first_ts"] < d["last_ts"] < T + N * 2000, "last_ts %r" % d["last_ts"]
assert d["checkpoints"][0]["ts"] == T, "first checkpoint ts %r, expected %d" % (d["checkpoints"][0]["ts"], T)
assert d["file_bytes"] > 0 and d["raw_bytes"] > 0, "sizes %r %r" % (d["file_bytes"], d["raw_bytes"])
' $N $T

# The same numbers as the text form.
sk info a.skr
expect_clean "saker info a.skr"
awk '/^events:/ { on = 1; next } on && /^  / { print $1, $2; next } { on = 0 }' sk.out | sort > text.bytype
sk info --json a.skr
python3 -c 'import json, sys
for t, n in json.loads(open(sys.argv[1]).read())["events_by_type"].items(): print(t, n)' sk.out | sort > json.bytype
cmp -s text.bytype json.bytype || fail "info --json: events_by_type differs from the text form"

# Several files: one object per line; a file without stats has drops null.
sk info --json a.skr b.skr
expect_clean "saker info --json a.skr b.skr"
expect_lines 2 sk.out "saker info --json a.skr b.skr"
json_check sk.out "info --json a.skr b.skr" '
a, b = docs
assert a["file"] == "a.skr" and b["file"] == "b.skr", "files %r %r" % (a["file"], b["file"])
assert b["events"] == 300 and sum(b["events_by_type"].values()) == 300, "b.skr events %r" % b["events"]
assert b["drops"] is None and b["drops_by_cpu"] == [], "b.skr drops %r %r" % (b["drops"], b["drops_by_cpu"])
assert b["checkpoints"] == [] and b["blocks"]["checkpoints"] == 0, "b.skr checkpoints %r" % b["checkpoints"]
assert b["index_present"] is True and b["damage"] == [], "b.skr index/damage"
'
sk info -j b.skr
expect_clean "saker info -j b.skr"
json_check sk.out "info -j b.skr" 'assert docs[0]["events"] == 300, "events %r" % docs[0]["events"]'
pass
