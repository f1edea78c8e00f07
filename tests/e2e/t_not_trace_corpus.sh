# Real files that are neither saker traces nor scap captures, from
# ../shared/corpus/scap/not-scap (skipped when absent): `saker info` and
# `saker read` exit 2 with exactly one line on stderr starting "saker: "
# and naming the file, nothing on stdout, no crash. (The .scap captures
# themselves are read: t_scap_*.sh.)
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

corpus=$E2E_ROOT/../shared/corpus/scap
[ -d "$corpus/not-scap" ] || skip "no corpus at $corpus"
n=0
for f in "$corpus"/not-scap/*; do
    [ -f "$f" ] || continue
    for cmd in info read; do
        sk $cmd "$f"
        expect_rc 2 "saker $cmd $f"
        expect_one_error "saker $cmd $f" "$f"
        [ ! -s sk.out ] || fail "saker $cmd $f: output on stdout"
    done
    n=$((n + 1))
done
[ "$n" -gt 0 ] || skip "no files in $corpus/not-scap"
# a gzip'd file that is not a capture, and a cut section header
printf 'hello\n' | gzip > notcap.gz
sk read notcap.gz
expect_rc 2 "saker read notcap.gz"
expect_one_error "saker read notcap.gz" "gzip-compressed data"
printf '\012\015\015\012\040\000\000\000' > cut.scap
sk info cut.scap
expect_rc 2 "saker info cut.scap"
expect_one_error "saker info cut.scap" "scap section header"
pass
