# A system-wide saker record, with cat running in a loop, killed with
# SIGKILL once its file holds an events block: the file has no index, and
# saker info says it was rebuilt; exit 0, or 1 when the last block was cut
# in the middle (then that one truncation is the only damage, reported in
# one line). saker read prints the events of the whole blocks, at least
# 1000, numbered from 1 with no gap. SIGINT and SIGTERM instead end the
# recording cleanly: exit 0, the index written, nothing damaged.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need_bpf

# Stops the loop and any recorder still running when the case ends.
recpid=""
trap 'touch stop; [ -z "$recpid" ] || kill -9 "$recpid" 2> /dev/null' EXIT
busy 30 &

"$SAKER" record -q -w k.skr > bg.out 2> bg.err < /dev/null &
recpid=$!
wait_block k.skr 2 15
kill -9 $recpid
wait $recpid
rc=$?
recpid=""
[ $rc -eq 137 ] || fail "saker record: exit status $rc after SIGKILL (stderr: $(first_line bg.err))"

sk info k.skr
[ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "saker info k.skr (killed): exit status $rc: $(first_line sk.err)"
grep -q '^index: .*rebuilt' sk.out || fail "saker info k.skr (killed): $(grep '^index:' sk.out)"
if [ $rc -eq 0 ]; then
    [ ! -s sk.err ] || fail "saker info k.skr (killed): exit 0 but stderr: $(first_line sk.err)"
    grep -q '^damage:      none found$' sk.out || fail "saker info k.skr (killed): $(grep '^damage:' sk.out)"
else
    expect_one_error "saker info k.skr (killed)" "saker: k.skr: block "
    grep -q '^saker: k\.skr: block [0-9]* at offset [0-9]*: truncated' sk.err ||
        fail "saker info k.skr (killed): exit 1, not for a cut last block: $(first_line sk.err)"
    [ "$(grep -c '^damage:' sk.out)" -eq 1 ] || fail "saker info k.skr (killed): $(grep -c '^damage:' sk.out) damage lines"
    grep -q '^damage:      truncated: block ' sk.out || fail "saker info k.skr (killed): $(grep '^damage:' sk.out)"
fi
irc=$rc
ev=$(field events sk.out)
sk read k.skr
[ $rc -eq $irc ] || fail "saker read k.skr (killed): exit status $rc, info's was $irc: $(first_line sk.err)"
expect_lines "$ev" sk.out "saker read k.skr (killed; info says $ev events)"
[ "$ev" -ge 1000 ] || fail "saker read k.skr (killed): only $ev events"
check_numbers sk.out 1 "saker read k.skr (killed)"

# stop_with SIG: a recording ended by SIG is finished like any other.
stop_with() {
    f=$1.skr
    "$SAKER" record -q -w "$f" > bg.out 2> bg.err < /dev/null &
    recpid=$!
    # a stats block comes from the main loop: the handlers are set
    wait_block "$f" 4 15
    kill -"$1" $recpid
    _i=0
    while kill -0 $recpid 2> /dev/null && [ $_i -lt 50 ]; do
        sleep 0.2
        _i=$((_i + 1))
    done
    kill -0 $recpid 2> /dev/null && fail "saker record still running 10 s after SIG$1"
    wait $recpid
    rc=$?
    recpid=""
    _check_run "saker record (SIG$1)" bg.out bg.err
    [ $rc -eq 0 ] || fail "saker record: exit status $rc after SIG$1 (stderr: $(first_line bg.err))"
    [ ! -s bg.err ] || fail "saker record -q (SIG$1): stderr: $(first_line bg.err)"
    sk info "$f"
    expect_clean "saker info $f (SIG$1)"
    grep -q '^index:       present$' sk.out || fail "saker info $f (SIG$1): $(grep '^index:' sk.out)"
    grep -q '^damage:      none found$' sk.out || fail "saker info $f (SIG$1): $(grep '^damage:' sk.out)"
    [ "$(field events sk.out)" -gt 0 ] || fail "$f (SIG$1): no event with cat running"
}
stop_with INT
stop_with TERM
pass
