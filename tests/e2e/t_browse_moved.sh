# `saker browse DB` when the DB's trace is gone: the hits still list and
# open, and the evidence says the trace is missing; given the trace's new
# place after the DB, the evidence shows the hit's event again.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need tmux
need sqlite3

gen a.skr -n 20000 -k 5000 -S 5000 -s 5
cat > r.yaml << 'EOF'
- rule: Passwd read
  desc: anyone reads /etc/passwd
  condition: evt.type=openat and fd.name=/etc/passwd
  output: "Passwd read by %proc.name (file=%fd.name)"
  priority: WARNING
EOF
sk replay -q -r r.yaml --db h.db a.skr
[ "$rc" -le 1 ] || fail "saker replay: exit status $rc: $(first_line sk.err)"
ev=$(sqlite3 h.db 'SELECT evnum FROM hits ORDER BY time_ns, id LIMIT 1')
[ -n "$ev" ] || fail "the replay stored no hit"
mkdir moved
mv a.skr moved/a.skr

sess=b
. "$(dirname "$E2E_LIB")/tmux.sh"
quit() {
    keys q
    _i=0
    while [ ! -s rc ] && [ $_i -lt 200 ]; do sleep 0.1; _i=$((_i + 1)); done
    [ "$(cat rc 2> /dev/null)" = 0 ] || fail "$1: exit status $(cat rc 2> /dev/null): $(head -c 300 err)"
}

$TM new-session -d -s b -x 80 -y 24 "'$SAKER' browse h.db 2> err; echo \$? > rc; sleep 30"
wait_for 'Passwd read' "the hits of a DB without its trace"
keys Enter
wait_for 'the trace is missing' "the detail's lineage without the trace"
keys e
wait_for 'evidence: the trace is missing' "the evidence without the trace"
quit "DB alone"

rm -f rc
sess=b2 # a second session: killing the only one would stop the server
$TM new-session -d -s b2 -x 80 -y 24 "'$SAKER' browse h.db moved/a.skr 2> err; echo \$? > rc; sleep 30"
wait_for 'Passwd read' "the hits with the moved trace"
keys e
wait_for ">> $ev " "the hit's event from the moved trace"
quit "DB and moved trace"
pass
