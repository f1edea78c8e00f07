# Without root (or CAP_BPF and CAP_PERFMON) saker record says so in one line
# and exits 2, writing nothing.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
[ "$(id -u)" = 0 ] || {
    sk record -w x.skr -- true
    expect_rc 2 "saker record as non-root"
    expect_one_error "saker record as non-root" "root"
    pass
}
need setpriv
chmod 755 . 2> /dev/null
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
    "$SAKER" record -w "$(pwd)/x.skr" -- true > sk.out 2> sk.err < /dev/null
rc=$?
_check_run "saker record as nobody" sk.out sk.err
expect_rc 2 "saker record as nobody"
expect_one_error "saker record as nobody" "CAP_BPF"
[ ! -e x.skr ] || fail "a trace file was created"
pass
