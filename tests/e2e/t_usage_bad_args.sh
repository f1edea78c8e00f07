# Arguments saker checks itself: no file, a count that is not a count.
# Exit 2, one line on stderr starting "saker: ", nothing on stdout.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen t.skr -n 10
for args in "info" "read" "info --json" "read -n 5" "read -n 0 t.skr" "read -n abc t.skr" \
    "read -n -3 t.skr" "read -n 5x t.skr" "read --count= t.skr" "read -n 99999999999999999999999 t.skr"; do
    # shellcheck disable=SC2086 # split on purpose
    sk $args
    expect_rc 2 "saker $args"
    expect_one_error "saker $args" ""
    [ ! -s sk.out ] || fail "saker $args: output on stdout"
done
pass
