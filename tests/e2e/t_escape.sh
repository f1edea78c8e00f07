# Hostile strings in a trace (gentrace -x: terminal escape sequences, other
# control bytes, NUL, DEL, bytes that are not UTF-8, C1 controls and bidi
# overrides as UTF-8, backslashes) and in file names: `saker read` and
# `saker info` (text and JSON) show them escaped as \xNN, never raw, keep
# valid UTF-8, and stay valid UTF-8 themselves. (Every saker run of every
# case is also checked for raw control bytes: see sk in lib.sh.)
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

N=3000
gen x.skr -n $N -k 500 -S 500 -x
sk read x.skr
expect_clean "saker read x.skr"
cp sk.out x.out
# one line per event: no raw newline from a string
expect_lines $N x.out "saker read x.skr"
check_numbers x.out 1 "saker read x.skr"
utf8_ok x.out || fail "saker read x.skr: output is not valid UTF-8"
for s in '/tmp/\x1b[31mred\x1b[0m' '/tmp/ctl\x07\x08\x09\x0d\x0a\x0b\x0c\x7f' '/tmp/nul\x00byte' \
    '/tmp/bad-utf8-\xff\xfe\xc3(' '/tmp/c1-\xc2\x9b31m' '/tmp/bidi-\xe2\x80\xaetxt.exe' \
    '/tmp/back\\slash' '/tmp/café-日本' '=\x1b]0;pwned\x07' '=evil\x1b[2J\x1b[H' '=tab\x09here' '=bs\x08\x08\x7f'; do
    grep -qF -- "$s" x.out || fail "saker read x.skr: does not show $s"
done
# the \r\n in the data buffers of every trace
grep -qF 'HTTP/1.1\x0d\x0aHost' x.out || fail "saker read x.skr: data buffer not escaped as \\x0d\\x0a"

sk info x.skr
expect_clean "saker info x.skr"
utf8_ok sk.out || fail "saker info x.skr: output is not valid UTF-8"
grep -qF 'host:        gen-\x1b[31mhost\x1b[0m, Linux' sk.out || fail "saker info x.skr: hostname not escaped: $(grep '^host:' sk.out)"
sk info --check x.skr
expect_clean "saker info --check x.skr"
sk info --json x.skr
expect_clean "saker info --json x.skr"
json_check sk.out "saker info --json x.skr" '
d = docs[0]
assert d["hostname"] == "gen-\\x1b[31mhost\\x1b[0m", "hostname %r" % d["hostname"]
assert d["events"] == int(args[0]), "events %r" % d["events"]
' $N

# File names holding control bytes and UTF-8, in every message and line.
name=$(printf 'tr\033[2J\007ace-\302\265s\\.skr')
shown='tr\x1b[2J\x07ace-µs\\.skr'
gen "$name" -n 3000 -b 8192 -- "$(printf 'arg\033]0;x\007')"
sk info "$name"
expect_clean "saker info (control bytes in the name)"
utf8_ok sk.out || fail "saker info (control bytes in the name): output not valid UTF-8"
grep -qF "file:        $shown" sk.out || fail "saker info: file name not escaped: $(grep '^file:' sk.out)"
grep -qF 'arg\x1b]0;x\x07)' sk.out || fail "saker info: recorder command line not escaped: $(grep '^recorder:' sk.out)"
sk info --json "$name"
expect_clean "saker info --json (control bytes in the name)"
json_check sk.out "saker info --json (control bytes in the name)" '
d = docs[0]
assert d["file"] == args[0], "file %r, expected %r" % (d["file"], args[0])
assert d["cmdline"][-1] == "arg\\x1b]0;x\\x07", "cmdline %r" % d["cmdline"]
' "$shown"
sk read "$name"
expect_clean "saker read (control bytes in the name)"
expect_lines 3000 sk.out "saker read (control bytes in the name)"

# ... and in error messages: a missing file, a damaged one.
sk read "$name.missing"
expect_rc 2 "saker read (missing, control bytes in the name)"
expect_one_error "saker read (missing, control bytes in the name)" "$shown.missing"
# cut inside the second events block
cut=$(blocks "$name" | awk '$3 == 2 && ++n == 2 { print $2 + 60; exit }')
[ -n "$cut" ] || fail "no events block in the trace"
head -c "$cut" "$name" > "$name.cut"
sk read "$name.cut"
expect_rc 1 "saker read (cut, control bytes in the name)"
expect_one_error "saker read (cut, control bytes in the name)" "saker: $shown.cut: block "
sk read "$(printf 'x\033[31m')"
expect_rc 2 "saker read ESC[31m"
expect_one_error "saker read ESC[31m" 'x\x1b[31m'
sk "$(printf 'in\033[31mfo')" x.skr
expect_rc 2 "saker in-ESC[31m-fo (unknown command)"
expect_one_error "saker in-ESC[31m-fo (unknown command)" 'in\x1b[31mfo'
pass
