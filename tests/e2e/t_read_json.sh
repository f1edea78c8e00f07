# `saker read -j`: one JSON object per line, valid UTF-8 even for hostile
# strings; the default keys (evt.num, evt.time as exact ns, evt.cpu,
# evt.dir, evt.type, proc.name, thread.tid, evt.args) agree with the
# default line; with -p, its fields are the keys.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen a.skr -n 3000 -k 1000 -x
sk read a.skr
expect_clean "saker read a.skr"
cp sk.out all.out
sk read -j a.skr
expect_clean "saker read -j a.skr"
cp sk.out all.json
expect_lines 3000 all.json "saker read -j a.skr"
awk '{ gsub(/[()]/, "", $5); print $1, $3, $6, $7, $5 }' all.out > cols.txt
json_check all.json "saker read -j a.skr" '
cols = [l.split(" ") for l in open(args[0]).read().splitlines()]
assert len(cols) == len(docs), "%d objects for %d lines" % (len(docs), len(cols))
for d, c in zip(docs, cols):
    for k in ("evt.num", "evt.time", "evt.cpu", "evt.dir", "evt.type", "proc.name", "thread.tid", "evt.args"):
        assert k in d, "no %s in %s" % (k, d)
    assert [str(d["evt.num"]), str(d["evt.cpu"]), d["evt.dir"], d["evt.type"], str(d["thread.tid"])] == c, "%s vs line %s" % (d, c)
    assert isinstance(d["evt.args"], dict), "evt.args not an object"
    assert isinstance(d["evt.time"], int) and d["evt.time"] >= 1700000000000000000, "evt.time %r" % d["evt.time"]
assert docs[0]["evt.num"] == 1 and docs[-1]["evt.num"] == 3000, "numbers"
assert any(d["evt.type"] == "openat" and "name" in d["evt.args"] for d in docs), "openat without name"
assert any(isinstance(d["proc.name"], str) for d in docs), "no proc.name known"
' cols.txt
# exact nanoseconds: the first time is gentrace's first event
first_ns=$(sed -n '1s/.*"evt.time":\([0-9]*\).*/\1/p' all.json)
case $first_ns in 1700000000*) ;; *) fail "saker read -j: evt.time '$first_ns' not exact ns" ;; esac

# -j -p: the fields as keys, with JSON types
sk read -j -p '%evt.num %evt.type %proc.name %thread.tid' a.skr evt.type=openat
expect_clean "saker read -j -p ... evt.type=openat"
[ "$(nlines sk.out)" -eq "$(awk '$7 == "openat"' all.out | wc -l)" ] || fail "saker read -j -p: not one object per openat"
json_check sk.out "saker read -j -p" '
for d in docs:
    assert sorted(d) == ["evt.num", "evt.type", "proc.name", "thread.tid"], "keys %s" % sorted(d)
    assert d["evt.type"] == "openat" and isinstance(d["evt.num"], int), "%s" % d
'
sk read -j -n 1 a.skr evt.type=ptrace
expect_clean "saker read -j a.skr evt.type=ptrace"
[ ! -s sk.out ] || fail "saker read -j with no match: output"
pass
