# Agreement with sysdig on the scap corpus (saker issue 5): every field of
# every event of every capture equal to `sysdig -D -r FILE -p FORMAT`, the
# two modern__ captures equal to the stored sysdig 0.36 output, and
# libs__curl_google_comments.scap read exactly as libs__curl_google.scap;
# any difference not listed in tests/conformance/KNOWN_DIFFERENCES.md
# fails. Skipped without the corpus or sysdig (Debian's, 0.29.3).
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

corpus=$E2E_ROOT/../shared/corpus/scap
[ -d "$corpus" ] || skip "no corpus at $corpus"
need sysdig
need python3
need zstd
sysdig --version 2> /dev/null | grep -q ' 0\.29\.' ||
    skip "sysdig is not 0.29.x (the reference the known differences are for): $(sysdig --version 2>&1 | head -n 1)"
sh "$E2E_ROOT/tests/conformance/run" "$SAKER" "$corpus" > conf.out 2>&1
rc=$?
[ "$rc" -eq 77 ] && skip "$(tail -n 1 conf.out)"
if grep -Eq 'Sanitizer|runtime error:' conf.out; then
    fail "sanitizer report: $(grep -Em 1 'Sanitizer|runtime error:' conf.out | cut -c 1-200)"
fi
grep -q '^conformance: [0-9]* passed, 0 failed$' conf.out ||
    fail "$(grep -E 'UNEXPLAINED|failed|differs|Traceback' conf.out | head -n 3 | tr -d '\000-\037\177' | cut -c 1-300)"
[ "$rc" -eq 0 ] || fail "tests/conformance/run exited $rc"
n=$(grep -c ' events x [0-9]* fields: ' conf.out)
[ "$n" -ge 36 ] || fail "only $n captures compared"
pass
