# Long strings: a header string longer than info's line buffers, in UTF-8
# and with control bytes, must still come out as valid UTF-8 (a cut must
# not split a character) and valid JSON, escaped.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

# 1500 x "é" (2 bytes each), then 300 x ESC, as gentrace arguments (they
# are recorded in the header's command line).
long_utf8=$(awk 'BEGIN { for (i = 0; i < 1500; i++) printf "\303\251" }')
long_ctl=$(awk 'BEGIN { for (i = 0; i < 300; i++) printf "\033" }')
gen l.skr -n 10 -- "$long_utf8" "$long_ctl" "x$long_utf8"
sk info l.skr
expect_clean "saker info l.skr"
utf8_ok sk.out || fail "saker info l.skr: output is not valid UTF-8 (a long string cut inside a character)"
sk info --json l.skr
expect_clean "saker info --json l.skr"
json_check sk.out "saker info --json l.skr" '
cmd = docs[0]["cmdline"]
assert len(cmd) >= 3, "cmdline %r" % cmd
u, c, x = cmd[-3:]
assert u and set(u) == {"é"}, "cmdline argument %r..." % u[:20]
assert "\x1b" not in c and c.startswith("\\x1b\\x1b"), "cmdline argument %r..." % c[:20]
assert x.startswith("xé") and set(x[1:]) == {"é"}, "cmdline argument %r..." % x[:20]
'
pass
