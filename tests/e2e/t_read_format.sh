# `saker read -p FORMAT`: %field values as sysdig prints them, matching the
# default line's columns; %(field), %Nfield (padded or cut), %% and literal
# text; without a leading '*' an event missing a field is not printed,
# with it the field shows <NA>; -p with a filter.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen a.skr -n 5000 -k 1000 -b 16384
sk read a.skr
expect_clean "saker read a.skr"
cp sk.out all.out

# fmt_is AWK_PROGRAM ARGS...: saker read ARGS prints what awk makes of the
# full read.
fmt_is() {
    _prog=$1
    shift
    sk read "$@"
    expect_clean "saker read $*"
    awk "$_prog" all.out > want.out
    cmp -s want.out sk.out ||
        fail "saker read $*: not as expected (first difference: $(diff want.out sk.out | sed -n '2p;4p' | tr '\n' '|' | cut -c 1-200))"
}

fmt_is '{ print $1, $7 }' -p '%evt.num %evt.type' a.skr
fmt_is '{ print $1 "|" $3 "|" $7 }' -p '%evt.num|%evt.cpu|%(evt.type)' a.skr
fmt_is '{ print "100% " $7 }' -p '100%% %evt.type' a.skr
# proc.name as the default line shows it; the line shows an empty name as
# <NA> (to keep its columns), the field may give it as "".
sk read -p '*%thread.tid:%proc.name' a.skr
expect_clean "saker read -p '*%thread.tid:%proc.name' a.skr"
sed 's/:<NA>$/:/' sk.out > got.out
awk '{ gsub(/[()]/, "", $5); print $5 ":" ($4 == "<NA>" ? "" : $4) }' all.out | cmp -s - got.out ||
    fail "saker read -p '*%thread.tid:%proc.name': not the default line's names"
fmt_is '{ printf "%-8.8s|\n", $7 }' -p '%8evt.type|' a.skr
fmt_is '$7 == "openat" { print $1, $5 }' -p '%evt.num (%thread.tid)' a.skr evt.type=openat
fmt_is '{ print $2 }' -p '%evt.time' a.skr

# Missing values: fd.name has none on events without an fd (execve).
sk read -p '%evt.type %fd.name' a.skr evt.type=execve
expect_clean "saker read -p '%evt.type %fd.name' a.skr evt.type=execve"
[ ! -s sk.out ] || fail "saker read -p '%evt.type %fd.name' evt.type=execve: printed events missing fd.name: $(first_line sk.out)"
sk read -p '*%evt.type %fd.name' a.skr evt.type=execve
expect_clean "saker read -p '*%evt.type %fd.name' a.skr evt.type=execve"
[ "$(nlines sk.out)" -eq "$(awk '$7 == "execve"' all.out | wc -l)" ] ||
    fail "saker read -p '*...': $(nlines sk.out) lines, expected one per execve"
grep -qv '^execve <NA>$' sk.out && fail "saker read -p '*%evt.type %fd.name': line other than 'execve <NA>': $(grep -v '^execve <NA>$' sk.out | head -n 1)"
pass
