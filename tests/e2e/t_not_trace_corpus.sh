# Real files of other formats from ../shared/corpus/scap (skipped when
# absent): every sysdig/Falco .scap capture (raw or gzip'd) and every file
# in not-scap/. `saker info` and `saker read`: exit 2, exactly one line on
# stderr starting "saker: " and naming the file, nothing on stdout, no
# crash; a raw .scap is named as a sysdig/Falco .scap capture.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

corpus=$E2E_ROOT/../shared/corpus/scap
[ -d "$corpus" ] || skip "no corpus at $corpus"
n=0 nscap=0
for f in "$corpus"/*.scap "$corpus"/not-scap/*; do
    [ -f "$f" ] || continue
    for cmd in info read; do
        sk $cmd "$f"
        expect_rc 2 "saker $cmd $f"
        expect_one_error "saker $cmd $f" "$f"
        [ ! -s sk.out ] || fail "saker $cmd $f: output on stdout"
    done
    case $f in
    */not-scap/*) ;;
    *)
        # a raw .scap starts with the pcapng-style section header block
        if [ "$(od -An -tx1 -N 4 "$f" | tr -d ' ')" = 0a0d0d0a ]; then
            grep -q 'sysdig/Falco .scap capture' sk.err ||
                fail "saker read $f: not named a sysdig/Falco .scap capture: $(first_line sk.err)"
            nscap=$((nscap + 1))
        fi
        ;;
    esac
    n=$((n + 1))
done
[ "$n" -gt 0 ] || skip "no files in $corpus"
[ "$nscap" -gt 0 ] || fail "no raw .scap file in $corpus"
pass
