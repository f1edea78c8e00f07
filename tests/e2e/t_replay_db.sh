# `saker replay` into the hit database (man/saker-db.5): the default file is
# saker.db in the current directory; every printed hit is a row with its
# rule, priority, output, tags, process columns and the evidence's place
# (absolute trace path, sha256, event number, block); the run is finished
# with its totals; replaying again adds a run but no duplicate hit; --no-db
# and --db none write nothing; an unusable database is one error line.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need python3
python3 -c 'import sqlite3' 2> /dev/null || skip "python3 has no sqlite3 module"

gen a.skr -n 20000 -k 5000 -S 5000 -s 5
cat > r.yaml << 'EOF'
- rule: Passwd read
  desc: anyone reads /etc/passwd
  condition: evt.type=openat and fd.name=/etc/passwd
  output: "Passwd read by %proc.name (file=%fd.name cmd=%proc.cmdline)"
  priority: WARNING
  tags: [filesystem, t1]
- rule: Curl connects
  desc: network
  condition: evt.type=connect and proc.name=curl
  output: "curl connects (fd=%fd.name)"
  priority: CRITICAL
EOF

sk replay -r r.yaml a.skr
expect_rc 0 "saker replay (default database)"
[ -s saker.db ] || fail "no saker.db in the current directory"
grep -Eq '^database: saker.db, run 1: [0-9]+ hits stored, [0-9]+ of them new$' sk.err ||
    fail "summary: no database line: $(grep -v '^ ' sk.err | tr '\n' '|')"
cp sk.out hits1.out
sk read a.skr -p '%evt.num' 'evt.type=openat and fd.name=/etc/passwd or evt.type=connect and proc.name=curl'
cp sk.out evnums.out
[ -s evnums.out ] || fail "test data: no hit"

db_check() {
    _what=$1 _code=$2
    _msg=$(python3 -c '
import sqlite3, json, sys
db = sqlite3.connect("saker.db")
q = lambda s, *a: db.execute(s, a).fetchall()
try:
    exec(sys.argv[1])
except AssertionError as e:
    print(e); sys.exit(1)
' "$_code" 2>&1) || fail "$_what: $(echo "$_msg" | tail -n 1)"
}

n=$(nlines hits1.out)
db_check "first run" "
n = $n
runs = q('select id, finished, events, hits, drops, options from runs')
assert len(runs) == 1, runs
r = runs[0]
assert r[1] is not None and r[2] == 20000 and r[3] == n and r[4] == 0, r
o = json.loads(r[5])
assert o['rule_matching'] == 'all' and o['argv'][0] == 'replay', o
assert q('select count(*) from hits')[0][0] == n
evnums = sorted(int(l) for l in open('evnums.out'))
got = sorted(x[0] for x in q('select evnum from hits'))
assert got == evnums, (got[:5], evnums[:5])
for (rule, pri, out, tags, path, block, fields, name, pid, tid, cont) in q(
        'select rule, priority, output, tags, trace_path, block, fields, proc_name, pid, tid, container_id from hits'):
    assert path.startswith('/') and path.endswith('/a.skr'), path
    assert block >= 1, block
    f = json.loads(fields)
    assert isinstance(f['evt.time'], int), f
    if rule == 'Passwd read':
        assert pri == 4 and json.loads(tags) == ['filesystem', 't1'], (pri, tags)
        assert out.startswith('Passwd read by ') and f['fd.name'] == '/etc/passwd', out
        assert out == 'Passwd read by %s (file=/etc/passwd cmd=%s)' % (f['proc.name'] if f['proc.name'] is not None else '<NA>', f['proc.cmdline'] if f['proc.cmdline'] is not None else '<NA>'), (out, f)
    else:
        assert rule == 'Curl connects' and pri == 2 and name == 'curl', (rule, pri, name)
        assert pid > 0 and tid > 0 and cont == 'host', (pid, tid, cont)
texts = sorted(l.split(': ', 1)[1].split(' ', 1)[1].rstrip('\n') for l in open('hits1.out'))
assert texts == sorted(x[0] for x in q('select output from hits')), 'outputs differ from the printed lines'
"

# again: a second run, no duplicate
sk replay -q -r r.yaml a.skr
expect_clean "saker replay (second run)"
cmp -s hits1.out sk.out || fail "second run printed other hits"
db_check "second run" "
runs = q('select id, finished, hits from runs order by id')
assert len(runs) == 2 and runs[1][1] is not None and runs[1][2] == $n, runs
assert q('select count(*) from hits')[0][0] == $n, 'duplicates'
assert q('select count(*) from hits where run = 2')[0][0] == 0
"

# --no-db, --db none: nothing written; --db FILE elsewhere
rm -f saker.db saker.db-wal saker.db-shm
sk replay -q -r r.yaml --no-db a.skr
expect_clean "--no-db"
sk replay -q -r r.yaml --db none a.skr
expect_clean "--db none"
[ ! -e saker.db ] && [ ! -e none ] || fail "--no-db/--db none wrote a database"
mkdir sub
sk replay -r r.yaml --db sub/case.db a.skr
expect_rc 0 "--db sub/case.db"
[ -s sub/case.db ] || fail "--db sub/case.db: no file"
grep -q '^database: sub/case.db, run 1: ' sk.err || fail "--db: $(grep database sk.err)"

# a database that is not one, or cannot be created: one line, exit 2
printf 'not a database, just text that is long enough to fill a header of sqlite.....\n' > bad.db
sk replay -q -r r.yaml --db bad.db a.skr
expect_rc 2 "--db bad.db"
expect_one_error "--db bad.db" "bad.db"
sk replay -q -r r.yaml --db no/such/dir.db a.skr
expect_rc 2 "--db no/such/dir.db"
expect_one_error "--db no/such/dir.db" "no/such/dir.db"
pass
