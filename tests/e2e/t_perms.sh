# A trace holds command lines and data: gentrace (saker's writer) leaves
# it mode 0600 whatever the umask, even over an existing 0644 or 0666 file.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

# shellcheck disable=SC2012 # plain names
mode() { ls -ln "$1" | cut -c 1-10; }

gen new.skr -n 10
[ "$(mode new.skr)" = "-rw-------" ] || fail "new trace: mode $(mode new.skr), expected -rw-------"
(umask 000 && "$GENTRACE" -o open.skr -n 10) || fail "gentrace with umask 000 failed"
[ "$(mode open.skr)" = "-rw-------" ] || fail "new trace under umask 000: mode $(mode open.skr), expected -rw-------"
for m in 644 666 604; do
    echo old > old$m.skr
    chmod $m old$m.skr
    gen old$m.skr -n 10
    [ "$(mode old$m.skr)" = "-rw-------" ] || fail "trace over a $m file: mode $(mode old$m.skr), expected -rw-------"
    sk info old$m.skr
    expect_clean "saker info old$m.skr"
    [ "$(field events sk.out)" = 10 ] || fail "trace over a $m file: events '$(field events sk.out)'"
done
pass
