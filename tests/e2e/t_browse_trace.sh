# `saker browse TRACE` without a database: the trace's events from its
# start, escaped (a gentrace -x trace names processes with terminal escape
# sequences: they show as \x1b text and no raw control byte reaches the
# terminal), End/Home, / through the trace, a process's events (p), its
# fd's (f), data bytes as hex (x), the process tree (Enter) and the
# timeline (T); q quits 0.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need tmux

gen t.skr -n 5000 -k 2000 -S 1000 -s 3 -x

. "$(dirname "$E2E_LIB")/tmux.sh"

# script(1)-like raw copy of everything saker writes to the terminal
# (saker starts once the copy runs: the file go)
$TM new-session -d -s b -x 80 -y 24 \
    "while [ ! -f go ]; do sleep 0.1; done; '$SAKER' browse t.skr 2> err; echo \$? > rc; sleep 30"
$TM pipe-pane -t b -o 'cat >> tty.raw'
touch go
wait_for 'events | all events' "the events panel"
sed -n 3p screen.txt | grep -q '^1 ' || fail "the first row is not event 1: $(sed -n 3p screen.txt)"

keys End
wait_for '-- end of the trace --' "End: the last events"
grep -q '^5000 ' screen.txt || fail "End does not show event 5000"
# the evil process names are shown escaped
found=0
for i in 1 2 3 4 5 6 7 8 9 10; do
    grep -qF 'evil\x1b[2J\x1b[H' screen.txt && { found=1; break; }
    keys PPage
    sleep 0.2
    shot
done
[ "$found" = 1 ] || fail "no escaped 'evil\\x1b[2J\\x1b[H' process name near the end"
keys Home
wait_re '^1 [0-9]' "Home: event 1"

# / reads on through the trace past the lines loaded (200 after the start)
keys '/' '4990 22:13' Enter
wait_re '^4990 22:13' "search beyond the loaded events"
keys Home
wait_re '^1 [0-9]' "Home again"

# a read event: its process, its fd, its data as hex
keys '/' ' = read res=64' Enter
wait_for 'data=GET' "search for a read"
keys x
wait_for 'as text' "the data bytes as text"
keys x
wait_for '0000  47 45 54 20' "the data bytes as hex (GET )"
keys x p
wait_for 'proc.pid = ' "drill into the process"
keys Escape f
wait_re '^ fd .*fd\.' "drill into the fd (a panel titled fd, filtered on fd.*)"
keys Escape
keys Enter
wait_for 'process tree of thread' "the process tree at an event"
keys Escape T
wait_re '^ timeline ' "the timeline"
grep -q '^events' screen.txt || fail "no events histogram in the timeline"
keys Escape q
i=0
while [ ! -f rc ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(cat rc 2> /dev/null)" = 0 ] || fail "exit status $(cat rc 2> /dev/null) after q: $(head -c 300 err)"
[ ! -s err ] || fail "stderr: $(head -c 300 err)"
$TM pipe-pane -t b 2> /dev/null
# No traced control byte reached the terminal: ESC appears only in the
# terminal's own sequences, never followed by what the trace holds.
[ -s tty.raw ] || skip "tmux pipe-pane gave no copy of the output"
grep -aqF 'evil\x1b[2J' tty.raw || fail "the copy of the output lacks the escaped name"
if grep -aqF "$(printf 'evil\033[2J')" tty.raw; then
    fail "the raw escape sequence of a traced name reached the terminal"
fi
if grep -aqF "$(printf '\033]0;pwned')" tty.raw; then
    fail "a traced OSC title sequence reached the terminal"
fi
pass
