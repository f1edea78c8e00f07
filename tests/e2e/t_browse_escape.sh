# Hits whose process names, file names and outputs hold terminal escape
# sequences (a gentrace -x trace replayed through a rule that prints them)
# are shown escaped in every panel that shows them -- the list, the
# detail, the evidence, the process tree -- and nothing of theirs reaches
# the terminal raw (the terminal's own output is copied with tmux
# pipe-pane and searched for the traced bytes).
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need tmux
need sqlite3

gen x.skr -n 20000 -k 5000 -S 5000 -s 5 -x
cat > r.yaml << 'EOF'
- rule: Evil open
  desc: a process with a hostile name opens a file
  condition: evt.type=openat and proc.name startswith evil
  output: "open by %proc.name of %fd.name"
  priority: ERROR
EOF
sk replay -q -r r.yaml --db h.db x.skr
[ "$rc" -le 1 ] || fail "saker replay: exit status $rc: $(first_line sk.err)"
n=$(sqlite3 h.db 'SELECT count(*) FROM hits')
[ "$n" -gt 0 ] || fail "no hit for the hostile names"
# saker replay stores its strings escaped already (no double escaping
# then); a DB written by anything else may hold raw control bytes: the
# first hit gets some (the browser escapes them)
sqlite3 h.db "UPDATE hits SET proc_name = 'raw' || char(27) || '[2Jx',
              output = 'raw out ' || char(27) || ']0;pwned' || char(7)
              WHERE id = (SELECT id FROM hits ORDER BY time_ns, id LIMIT 1)" ||
    fail "cannot put control bytes into the DB"

. "$(dirname "$E2E_LIB")/tmux.sh"

$TM new-session -d -s b -x 180 -y 30 \
    "while [ ! -f go ]; do sleep 0.1; done; '$SAKER' browse h.db 2> err; echo \$? > rc; sleep 30"
$TM pipe-pane -t b -o 'cat >> tty.raw'
touch go
wait_for "1/$n" "the hit list"
wait_for 'raw\x1b[2Jx' "raw control bytes from the DB escaped in the list"
grep -qF 'raw out \x1b]0;pwned\x07' screen.txt || fail "the raw output is not shown escaped"
grep -qF 'evil\x1b[2J' screen.txt || fail "the escaped name is not shown as it is (double escaped?)"
grep -qF 'evil\\x1b' screen.txt && fail "a name stored escaped is escaped twice"
keys Down Enter
wait_for 'OUTPUT FIELDS' "the detail"
grep -qF 'open by evil\x1b[2J\x1b[H' screen.txt || fail "the output is not shown escaped in the detail"
keys e
wait_for '>> ' "the evidence"
grep -qF 'evil\x1b[2J\x1b[H' screen.txt || fail "the evidence lacks the escaped name"
keys t
wait_for 'process tree of' "the tree"
grep -qF 'evil\x1b[2J\x1b[H' screen.txt || fail "the tree lacks the escaped name"
keys q
i=0
while [ ! -s rc ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(cat rc 2> /dev/null)" = 0 ] || fail "exit status $(cat rc 2> /dev/null): $(head -c 300 err)"
$TM pipe-pane -t b 2> /dev/null
[ -s tty.raw ] || skip "tmux pipe-pane gave no copy of the output"
grep -aqF 'evil\x1b[2J' tty.raw || fail "the copy of the output lacks the escaped name"
for raw in 'evil\033[2J' '\033]0;pwned' '\033[31mred' 'raw\033[2Jx'; do
    # shellcheck disable=SC2059 # the pattern is a printf format on purpose
    if grep -aqF "$(printf "$raw")" tty.raw; then
        fail "a traced escape sequence reached the terminal raw: $raw"
    fi
done
pass
