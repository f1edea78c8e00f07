# `saker info --check` reads and decodes every block; on an intact file it
# agrees with the index: the same text and JSON as without --check.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen a.skr -n 5000 -k 1000 -S 500 -b 16384
gen b.skr -n 2000 -s 7 -b 4096 -z 1
for f in a.skr b.skr; do
    sk info $f
    expect_clean "saker info $f"
    cp sk.out plain
    sk info --check $f
    expect_clean "saker info --check $f"
    cmp -s plain sk.out || fail "info --check $f differs from info $f: $(diff plain sk.out | sed -n 2p)"
    sk info -c $f
    cmp -s plain sk.out || fail "info -c $f differs from info $f"
    sk info --json $f
    expect_clean "saker info --json $f"
    cp sk.out plain.json
    sk info --json --check $f
    expect_clean "saker info --json --check $f"
    cmp -s plain.json sk.out || fail "info --json --check $f differs from info --json $f"
done
sk info --check a.skr b.skr
expect_clean "saker info --check a.skr b.skr"
[ "$(grep -c '^events: ' sk.out)" = 2 ] || fail "info --check a.skr b.skr: not two descriptions"
pass
