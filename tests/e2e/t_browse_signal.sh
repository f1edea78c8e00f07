# `saker browse` ended by a signal puts the terminal back as it found it:
# Ctrl-C (SIGINT) and SIGTERM (also while the filter bar reads a line) end
# it with status 128+N, and the shell after it has its line editing
# (icanon) and echo again.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need tmux
need ps

gen t.skr -n 2000

. "$(dirname "$E2E_LIB")/tmux.sh"
wait_rc() {
    _i=0
    while [ ! -s rc ] && [ $_i -lt 200 ]; do sleep 0.1; _i=$((_i + 1)); done
    [ -s rc ] || fail "$1: saker did not end"
    sleep 0.3
}

# run HOW: starts the browser in a fresh session, ends it HOW, checks
# status and terminal.
run() {
    rm -f rc stty.after err
    sess=$1 # a session each: killing the last one would stop the server
    $TM new-session -d -s "$sess" -x 80 -y 24 \
        "'$SAKER' browse t.skr 2> err; echo \$? > rc; stty -a > stty.after; sleep 30"
    wait_for 'events | all events' "$1: the browser starts"
    case $1 in
    SIGINT) $TM send-keys -t "$sess" C-c; want=130 ;;
    SIGTERM|PROMPT)
        if [ "$1" = PROMPT ]; then
            # in the filter bar's own input loop
            $TM send-keys -t "$sess" F4
            wait_for 'event filter:' "$1: the filter bar"
        fi
        shell=$($TM display -p -t "$sess" '#{pane_pid}')
        pid=$(ps -o pid= --ppid "$shell" | head -n 1 | tr -d ' ')
        [ -n "$pid" ] || fail "SIGTERM: no saker process under the pane's shell"
        kill -TERM "$pid"
        want=143
        ;;
    esac
    wait_rc "$1"
    [ "$(cat rc)" = "$want" ] || fail "$1: exit status $(cat rc), expected $want"
    if grep -Eq 'Sanitizer|runtime error:' err; then
        fail "$1: sanitizer report: $(grep -Em 1 'Sanitizer|runtime error:' err)"
    fi
    [ -s stty.after ] || fail "$1: no stty output after saker"
    for m in icanon echo; do
        grep -Eq "(^| )-$m( |$)" stty.after && fail "$1: terminal left with -$m"
    done
}
run SIGINT
run SIGTERM
run PROMPT
pass
