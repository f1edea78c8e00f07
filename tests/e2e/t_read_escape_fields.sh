# Hostile strings (gentrace -x: escape sequences, control bytes, bytes that
# are not UTF-8) in paths and process names never reach the output raw,
# whether printed by the default line, -p fields, or -j; JSON stays valid.
# (sk fails the case on any raw control byte in stdout or stderr.)
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen x.skr -n 4000 -k 500 -x
for args in "" "-p %evt.num|%proc.name|%fd.name|%evt.args" "-p *%proc.name|%fd.name|%proc.exe" "-j" \
    "-j -p *%proc.name%fd.name"; do
    # shellcheck disable=SC2086 # split on purpose
    sk read $args x.skr
    expect_clean "saker read $args x.skr"
    [ -s sk.out ] || fail "saker read $args x.skr: no output"
    utf8_ok sk.out || fail "saker read $args x.skr: output not UTF-8"
done
json_check sk.out "saker read -j -p x.skr" 'assert len(docs) == 4000, "%d objects" % len(docs)'
# the escapes are there: ESC as \x1b
sk read x.skr
grep -q '\\x1b' sk.out || fail "saker read x.skr: no \\x1b escape for the hostile names"
# a filter reading the hostile strings
sk read x.skr 'fd.name contains red'
expect_clean "saker read x.skr 'fd.name contains red'"
pass
