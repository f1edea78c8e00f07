# The hit list's side panels at 120x30: the counts by priority and rule
# (Tab, Enter filters by a line), the timeline (T) where a range picked
# with Space and the arrows becomes a time filter whose hits are exactly
# the ones the timeline counted, the priority keys (4: warning and worse)
# and / search.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need tmux
need sqlite3

gen a.skr -n 40000 -k 10000 -S 10000 -s 5
cat > r.yaml << 'EOF'
- rule: Passwd read
  desc: anyone reads /etc/passwd
  condition: evt.type=openat and fd.name=/etc/passwd
  output: "Passwd read by %proc.name (file=%fd.name)"
  priority: WARNING
- rule: Curl connects
  desc: network
  condition: evt.type=connect and proc.name=curl
  output: "curl connects (fd=%fd.name)"
  priority: NOTICE
EOF
sk replay -q -r r.yaml --db h.db a.skr
[ "$rc" -le 1 ] || fail "saker replay: exit status $rc: $(first_line sk.err)"
n=$(sqlite3 h.db 'SELECT count(*) FROM hits')
nw=$(sqlite3 h.db 'SELECT count(*) FROM hits WHERE priority <= 4')
ncurl=$(sqlite3 h.db "SELECT count(*) FROM hits WHERE rule = 'Curl connects'")
if [ "$nw" -eq 0 ] || [ "$ncurl" -eq 0 ]; then fail "the replay did not hit both rules ($nw, $ncurl)"; fi

. "$(dirname "$E2E_LIB")/tmux.sh"

$TM new-session -d -s b -x 120 -y 30 "'$SAKER' browse h.db 2> err; echo \$? > rc; sleep 30"
wait_for "1/$n" "the hit list"
wait_for 'PRIORITY' "the counts panel at 120 columns"
grep -Eq "Warning +$nw( |$)" screen.txt || fail "the counts do not give $nw warnings"

# counts: Tab, down to the rule lines, Enter on "Curl connects"
keys Tab
keys '/' 'Curl connects' Enter
keys Enter
wait_for "1/$ncurl" "Enter on a rule's count filters by it"
grep -qF 'rule.name = "Curl connects"' screen.txt || fail "the filter does not name the rule"
keys u
wait_for "1/$n" "u clears the rule filter"

# priority key
keys 4
wait_for "1/$nw" "4: warning and worse"
keys u
wait_for "1/$n" "u clears the priority filter"

# search: the cursor goes to the first match after the first row, whose
# detail then opens
keys '/' 'curl connects' Enter
keys Enter
wait_for 'OUTPUT FIELDS' "the detail of the hit found"
grep -q '^Notice  Curl connects' screen.txt || fail "search did not select a 'curl connects' hit"
keys Escape
wait_for "/$n" "back from the detail"

# timeline: a range of buckets, then Enter
keys T
wait_re '^ timeline ' "the timeline"
grep -q '#' screen.txt || fail "no bars in the timeline"
keys Home Space
wait_re '^range ' "a marked range"
# one Right at a time, each seen on the screen before the next: the range
# read below is then the one Enter applies
for i in 1 2 3 4 5 6 7 8 9 10; do
    before=$(grep '^range ' screen.txt)
    keys Right
    j=0
    while [ $j -lt 200 ]; do
        shot
        now=$(grep '^range ' screen.txt)
        [ -n "$now" ] && [ "$now" != "$before" ] && break
        sleep 0.1
        j=$((j + 1))
    done
    [ $j -lt 200 ] || fail "Right did not move the range's end"
done
grep -Eq '^range .*: [0-9]+ hits,' screen.txt || fail "no hit count for the range"
want=$(sed -n 's/^range .*: \([0-9]*\) hits,.*/\1/p' screen.txt)
[ -n "$want" ] || fail "no hit count for the range"
keys Enter
wait_for 'evt.time >= ' "Enter filters the hits to the range"
wait_for "/$want " "the $want hits the timeline counted in the range"

keys q
i=0
while [ ! -s rc ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(cat rc 2> /dev/null)" = 0 ] || fail "exit status $(cat rc 2> /dev/null): $(head -c 300 err)"
pass
