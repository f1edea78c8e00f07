# tests/e2e/tmux.sh -- what the `saker browse` cases share to drive the
# browser through tmux: a private tmux server (killed on exit), and
#   shot             the screen of session $sess (default b) in screen.txt
#   wait_for TEXT WHAT, wait_re REGEX WHAT
#                    polls the screen until it shows (up to 20 s: no timing
#                    is asserted; sanitizer builds are slow), then leaves
#                    the whole screen in screen.txt; fails the case with
#                    WHAT when it never does, or as soon as the browser
#                    wrote its exit status to ./rc
#   keys KEY...      tmux send-keys to the session
# Sourced after lib.sh.
# shellcheck shell=sh

TM="tmux -L saker-e2e-$$ -f /dev/null"
sess=${sess:-b}
trap '$TM kill-server 2> /dev/null' EXIT
shot() { $TM capture-pane -p -t "$sess" > screen.txt; }
# shellcheck disable=SC2317 # not every case uses it
wait_re() { _grep=-qE wait_for "$@"; }
wait_for() {
    _i=0
    while [ $_i -lt 200 ]; do
        shot
        if grep "${_grep:--qF}" -- "$1" screen.txt; then
            # the terminal may have been caught mid-update: once more
            sleep 0.2
            shot
            return 0
        fi
        [ -s rc ] && break
        sleep 0.1
        _i=$((_i + 1))
    done
    fail "$2: '$1' not on the screen: $(head -n 3 screen.txt | tr '\n' '|')"
}
# shellcheck disable=SC2317 # not every case uses it
keys() { $TM send-keys -t "$sess" "$@"; }
