# An unknown command (also through `saker help`) exits 2 with one line on
# stderr starting "saker: " that names it, and nothing on stdout.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

for args in "frobnicate" "frobnicate trace.skr" "--frobnicate" "help frobnicate" "INFO"; do
    # shellcheck disable=SC2086 # split on purpose
    sk $args
    expect_rc 2 "saker $args"
    expect_one_error "saker $args" "${args%% *}"
    [ ! -s sk.out ] || fail "saker $args: output on stdout"
done
pass
