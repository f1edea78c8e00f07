# An unknown option, or an option without its argument, exits 2 with one
# line on stderr starting "saker: " (saker(1), DIAGNOSTICS: every error is
# one line), and nothing on stdout.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen t.skr -n 10
for args in "info --frobnicate t.skr" "info -Z t.skr" "read --frobnicate t.skr" "read -Z t.skr" \
    "read --count" "read -n" "info --json=yes t.skr"; do
    # shellcheck disable=SC2086 # split on purpose
    sk $args
    expect_rc 2 "saker $args"
    expect_one_error "saker $args" ""
    [ ! -s sk.out ] || fail "saker $args: output on stdout"
done
pass
