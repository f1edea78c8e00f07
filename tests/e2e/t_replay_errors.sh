# `saker replay` on bad input: usage errors, rules that do not load, files
# that are not traces, a damaged trace (exit 1, the rest replayed), a trace
# with control bytes in names (escaped on every output); each error is one
# line naming what is wrong (a full disk on stdout too), and nothing is
# printed raw.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen a.skr -n 5000 -k 2000 -s 4
cat > r.yaml << 'EOF'
- rule: Any open
  desc: every openat
  condition: evt.type=openat
  output: "open %fd.name by %proc.name"
  priority: INFO
EOF

one_error() { # WHAT TEXT ARGS...
    _w=$1 _t=$2
    shift 2
    sk replay "$@"
    expect_rc 2 "$_w"
    expect_one_error "$_w" "$_t"
    [ ! -s sk.out ] || fail "$_w: output on stdout"
}
one_error "no trace" "no trace file" -r r.yaml
one_error "bad -o" "'xml'" -r r.yaml -o xml a.skr
one_error "bad --min-priority" "'loud'" -r r.yaml --min-priority loud a.skr
one_error "bad --rule-matching" "'some'" -r r.yaml --rule-matching some a.skr
one_error "unknown option" "--frob" -r r.yaml --frob a.skr
one_error "-r without value" "-r" a.skr -r
one_error "empty --tags" "--tags" -r r.yaml --tags '' a.skr
one_error "missing rules file" "nope.yaml" -r nope.yaml a.skr --no-db
one_error "missing trace" "nope.skr" -r r.yaml nope.skr --no-db
printf 'hello\n' > text.skr
one_error "not a trace" "text.skr" -r r.yaml text.skr --no-db
mkdir empty
one_error "empty rules dir" "empty" -r empty a.skr --no-db
printf -- '- rule: broken\n  desc: d\n  condition: proc.nmae=cat\n  output: o\n  priority: INFO\n' > bad.yaml
one_error "bad rule" "bad.yaml:1:3" -r bad.yaml a.skr --no-db
one_error "bad --from" "--from" -r r.yaml --from yesterday a.skr --no-db
[ ! -e saker.db ] || fail "a failed replay created saker.db"

# a full disk on stdout: one line, exit 2
if [ -w /dev/full ]; then
    "$SAKER" replay -q --no-db -r r.yaml a.skr > /dev/full 2> full.err
    rc=$?
    [ "$rc" -eq 2 ] || fail "replay > /dev/full: exit status $rc, expected 2"
    grep -q '^saker: replay: writing output: No space left on device$' full.err ||
        fail "replay > /dev/full: $(first_line full.err)"
fi

# --help prints the usage (its examples run in t_replay_help.sh)
sk replay --help
expect_clean "replay --help"
grep -q '^usage: saker replay' sk.out || fail "--help: $(first_line sk.out)"

# damage: a flipped byte in the middle block; exit 1, later hits still come
gen d.skr -n 40000 -k 10000 -b 65536 -s 4
sk replay -q -r r.yaml --no-db d.skr
expect_clean "replay d.skr (intact)"
all=$(nlines sk.out)
mid=$(blocks d.skr | awk '$3 == 2 { n++; if (n == 3) { print $2 + 56 + $4 + 10; exit } }')
[ -n "$mid" ] || fail "test data: no third events block"
flip_byte d.skr "$mid"
sk replay -q -r r.yaml --no-db d.skr
expect_rc 1 "replay of a damaged trace"
grep -q 'd.skr' sk.err || fail "damage not reported: $(first_line sk.err)"
[ "$(nlines sk.out)" -lt "$all" ] && [ "$(nlines sk.out)" -gt $((all / 2)) ] ||
    fail "damaged trace: $(nlines sk.out) hits of $all"

# control bytes in process names and paths: escaped in text and JSON
gen x.skr -n 5000 -x -s 4
sk replay -q -r r.yaml --no-db x.skr
expect_clean "replay x.skr (text)"
grep -q '\\x' sk.out || fail "test data: nothing escaped in the hits"
sk replay -q -r r.yaml --no-db -o json x.skr
expect_clean "replay x.skr (json)"
utf8_ok sk.out || fail "JSON hits are not UTF-8"
pass
