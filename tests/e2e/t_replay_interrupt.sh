# Ctrl-C during `saker replay`: the replay stops between two events, what
# it found is printed (no line cut), the summary says it was interrupted,
# the exit status is 130, and the database keeps every hit printed, with
# the run unfinished (finished NULL). The replay is held on a full pipe
# (stdout to a fifo nobody reads) so the signal arrives mid-run, after its
# first hits were written.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need mkfifo
need python3
python3 -c 'import sqlite3' 2> /dev/null || skip "python3 has no sqlite3 module"

gen a.skr -n 200000 -k 50000 -s 6
cat > r.yaml << 'EOF2'
- rule: Every open
  desc: d
  condition: evt.type = openat
  output: "open %fd.name by %proc.name (pid=%proc.pid cmd=%proc.cmdline)"
  priority: NOTICE
EOF2
"$SAKER" replay -q --no-db -r r.yaml a.skr > all.out 2> /dev/null || fail "replay (whole): exit $?"
[ "$(wc -c < all.out)" -gt 500000 ] || fail "test data: too little output to fill a pipe"

mkfifo out.fifo
"$SAKER" replay --no-progress -r r.yaml --db i.db a.skr > out.fifo 2> sk.err &
pid=$!
exec 3< out.fifo
# the first line arrives once the loop runs (signal handlers set)
IFS= read -r first <&3 || fail "no output from the replay"
kill -INT "$pid"
{ printf '%s\n' "$first"; cat <&3; } > got.out
exec 3<&-
wait "$pid"
status=$?
[ "$status" -eq 130 ] || fail "interrupted replay: exit status $status, expected 130: $(first_line sk.err)"
rc=0 # 130 is saker's own exit status here, not a death by signal
_check_run "saker replay (interrupted)" got.out sk.err
grep -q '^saker: replay: interrupted after [0-9]* events; the hits found so far are in the database' sk.err ||
    fail "no interruption message: $(tail -n 1 sk.err)"
grep -q '^hits: ' sk.err || fail "no summary"
n=$(nlines got.out)
[ "$n" -gt 0 ] && [ "$n" -lt "$(nlines all.out)" ] || fail "$n hits printed of $(nlines all.out)"
head -n "$n" all.out | cmp -s - got.out || fail "the printed hits are not the first $n of a whole run"
_msg=$(python3 -c '
import sqlite3, sys
db = sqlite3.connect("i.db")
runs = db.execute("select finished, hits from runs").fetchall()
n = db.execute("select count(*) from hits").fetchone()[0]
assert len(runs) == 1 and runs[0][0] is None, runs
assert n == int(sys.argv[1]), (n, sys.argv[1])
' "$n" 2>&1) || fail "database after the interrupt: $(echo "$_msg" | tail -n 1)"
pass
