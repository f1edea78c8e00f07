# A filtered read over a damaged block: the damage is reported (one line,
# as without a filter), exit 1, and the matching events of the other
# blocks are all printed, with and without state, with --from too.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

N=5000
middle_block_fixture
last=$((first + count - 1))
flip_byte d.skr $((off + 56 + meta + stored / 2))
awk -v a="$first" -v b="$last" '($1 < a || $1 > b) && $7 == "openat" { print $1, $7 }' orig.out > want.out
[ -s want.out ] || fail "test data: no openat outside the damaged block"

for args in "-p %evt.num|%evt.type" "-p %evt.num|%evt.type|%proc.name" "--no-prefetch -p %evt.num|%evt.type"; do
    # shellcheck disable=SC2086 # split on purpose
    sk read $args d.skr evt.type=openat
    expect_rc 1 "saker read $args d.skr evt.type=openat (damaged block)"
    expect_one_error "saker read $args d.skr evt.type=openat" "saker: d.skr: block $no at offset $off: "
    cut -d '|' -f 1,2 sk.out | tr '|' ' ' | cmp -s want.out - ||
        fail "saker read $args d.skr evt.type=openat: not the openat events outside block $no"
done
sk read -c d.skr evt.type=openat
expect_rc 1 "saker read -c d.skr evt.type=openat"
[ "$(cat sk.out)" = "$(nlines want.out)" ] || fail "saker read -c: '$(first_line sk.out)', expected $(nlines want.out)"
pass
