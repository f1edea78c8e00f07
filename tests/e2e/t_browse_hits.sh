# `saker browse` on a hit database made from the recorded samples, driven
# through tmux at 80x24: the hit list shows the hits, sorts, filters with
# the filter bar (fewer rows, none below the asked priority), opens a
# hit's detail (output fields, rule description, lineage) and its
# evidence (the hit's event is on screen, marked), survives a resize, and
# q quits with status 0 and the terminal restored.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need tmux
need sqlite3
set -- "$E2E_ROOT"/samples/*.skr
[ -f "$1" ] || skip "no recorded samples in samples/"

sk replay -q --db s.db "$@"
[ "$rc" -le 1 ] || fail "saker replay: exit status $rc: $(first_line sk.err)"
nhits=$(sqlite3 s.db 'SELECT count(*) FROM hits')
[ "$nhits" -gt 2 ] || fail "the samples gave $nhits hits"

. "$(dirname "$E2E_LIB")/tmux.sh"

$TM new-session -d -s b -x 80 -y 24 \
    "stty -a > stty.before; '$SAKER' browse s.db 2> err; echo \$? > rc; stty -a > stty.after; sleep 30"
wait_for "1/$nhits" "the list opens with every hit"

# rows: the first hit (by time) is on the first row
first_rule=$(sqlite3 s.db 'SELECT substr(rule, 1, 12) FROM hits ORDER BY time_ns, id LIMIT 1')
sed -n 3p screen.txt | grep -qF -- "$first_rule" || fail "row 1 is not the first hit ($first_rule): $(sed -n 3p screen.txt)"
grep -q '^TIME^ *PRIO *RULE *PROCESS *CONTAINER *OUTPUT' screen.txt || fail "no column headings: $(sed -n 2p screen.txt)"

# sort by priority: the most severe first
keys '>'
wait_for 'PRIO^' "sorting by priority"
top=$(sqlite3 s.db 'SELECT min(priority) FROM hits')
names="EMERG ALERT CRIT ERROR WARN NOTIC INFO DEBUG"
want=$(echo "$names" | cut -d' ' -f$((top + 1)))
sed -n 3p screen.txt | grep -q " $want " || fail "sorted by priority, row 1 is not $want: $(sed -n 3p screen.txt)"
keys I
wait_for 'PRIOv' "inverting the sort"
keys '<'
wait_for 'TIMEv' "back to sorting by time"
keys I
wait_for 'TIME^' "time ascending again"

# filter: only error and worse
nsev=$(sqlite3 s.db 'SELECT count(*) FROM hits WHERE priority <= 3')
[ "$nsev" -lt "$nhits" ] || skip "every sample hit is error or worse: nothing to filter out"
keys F4
wait_for 'filter:' "the filter bar"
keys 'rule.priority >= error' Enter
wait_for "1/$nsev" "the priority filter"
grep -Eq ' (WARN|NOTIC|INFO|DEBUG) ' screen.txt && fail "a hit below error shows after the filter"
grep -qF 'filter: rule.priority >= error' screen.txt || fail "the title does not show the filter"
# a bad filter says why and keeps the view
keys F4 C-u 'proc.name startswith' Enter
wait_for "filter: 1:" "an error for a bad filter"
grep -qF "1/$nsev" screen.txt || fail "a bad filter changed the view"
keys u
wait_for "1/$nhits" "u removes the filter"

# detail of the first hit
ev=$(sqlite3 s.db 'SELECT evnum FROM hits ORDER BY time_ns, id LIMIT 1')
rule=$(sqlite3 s.db 'SELECT substr(rule, 1, 30) FROM hits ORDER BY time_ns, id LIMIT 1')
keys Home Enter
wait_for 'OUTPUT FIELDS' "the hit's detail"
grep -qF -- "$rule" screen.txt || fail "the detail does not name the rule $rule"
grep -q '^desc: ' screen.txt || fail "no rule description line"
grep -q "^trace: .* event $ev " screen.txt || fail "the detail does not give event $ev"

# evidence: the hit's event is shown, marked >>
keys e
wait_for ">> $ev " "the hit's event in the evidence"
grep -qF 'evidence of' screen.txt || fail "the evidence panel has no title"
grep -qF "same process" screen.txt || fail "the evidence does not start in process mode"
keys m
wait_for "all events" "evidence mode: all"
grep -qF ">> $ev " screen.txt || fail "the hit's event is gone in 'all events' mode"
keys m
wait_for "same thread" "evidence mode: thread"
grep -qF ">> $ev " screen.txt || fail "the hit's event is gone in thread mode"

# the process tree at the hit
keys t
wait_for 'process tree of thread' "the process tree"
grep -q '^PID ' screen.txt || fail "no tree heading"

# back to the list, help, resize
keys Escape Escape Escape
wait_for "1/$nhits" "Esc back to the list"
keys '?'
wait_re '^KEY +WHERE +WHAT' "the help"
grep -q '^q F10 ' screen.txt || fail "the help does not list q"
keys Escape
wait_for "1/$nhits" "out of the help"
$TM resize-window -t b -x 120 -y 30 2> /dev/null || $TM resize-pane -t b -x 120 -y 30
wait_for 'PRIORITY' "the counts panel after a resize to 120 columns"
[ "$(awk 'length > 0' screen.txt | wc -l)" -ge 26 ] || fail "the screen did not grow with the window"

keys q
i=0
while [ ! -f rc ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
[ -f rc ] || fail "q did not quit"
[ "$(cat rc)" = 0 ] || fail "exit status $(cat rc) after q: $(head -c 300 err)"
[ ! -s err ] || fail "stderr: $(head -c 300 err)"
sleep 0.3
# the terminal as it was before
for m in icanon echo; do
    grep -q -- "-$m " stty.after && fail "terminal left with -$m"
done
pass
