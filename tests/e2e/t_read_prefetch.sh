# `saker read --no-prefetch` prints exactly what the prefetching reader
# prints: one file, many small blocks, several files, with -n.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen a.skr -n 5000 -k 1000 -S 500 -b 16384
gen b.skr -n 4000 -b 512 -s 5 -t $((T0 + 777))
gen c.skr -n 2000 -b 65536 -s 6 -e 9001 -t $((T0 + 3000000))
for files in "a.skr" "b.skr" "c.skr" "a.skr b.skr c.skr" "c.skr b.skr"; do
    for n in "" "-n 333"; do
        # shellcheck disable=SC2086 # split on purpose
        sk read $n $files
        expect_clean "saker read $n $files"
        [ -s sk.out ] || fail "saker read $n $files: no output"
        cp sk.out pre.out
        # shellcheck disable=SC2086
        sk read --no-prefetch $n $files
        expect_clean "saker read --no-prefetch $n $files"
        cmp -s pre.out sk.out || fail "saker read --no-prefetch $n $files differs from saker read: $(cmp pre.out sk.out 2>&1 | head -n 1)"
    done
done
pass
