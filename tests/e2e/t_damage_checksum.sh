# One byte flipped in the middle of an events block's payload: read exits
# 1 and reports "saker: FILE: block N at offset X: payload checksum
# mismatch, C events skipped" (one line); every other event is printed,
# identical to the original's. info --check finds the same. A flipped
# byte in a block header: that block is skipped the same way, with the
# index and without it (resynchronising on the next block).
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

N=5000
middle_block_fixture
last=$((first + count - 1))
left=$((N - count))

# check_skipped FILE WHAT: FILE holds every event of orig.out but those of
# the damaged block, each line as in orig.out.
check_skipped() {
    expect_lines $left "$1" "$2"
    # Column 4 (the process name) comes from replayed state, which the lost
    # events may have changed (a clone or exec in the damaged block).
    awk -v a="$first" -v b="$last" '$1 < a || $1 > b { $4 = ""; print }' orig.out > skipped.want
    awk '{ $4 = ""; print }' "$1" | cmp -s skipped.want - ||
        fail "$2: not every event but $first..$last, as in the original"
}

# ---- payload
cp d.skr p.skr
flip_byte p.skr $((off + 56 + meta + stored / 2))
sk read p.skr
expect_rc 1 "saker read p.skr (payload byte flipped)"
expect_one_error "saker read p.skr" "saker: p.skr: block $no at offset $off: "
grep -q "checksum mismatch, $count events skipped" sk.err ||
    fail "saker read p.skr: not 'checksum mismatch, $count events skipped': $(first_line sk.err)"
check_skipped sk.out "saker read p.skr"
cp sk.out p.out
cp sk.err p.err
sk read --no-prefetch p.skr
expect_rc 1 "saker read --no-prefetch p.skr"
cmp -s p.out sk.out || fail "saker read --no-prefetch p.skr: other events than with prefetch"
cmp -s p.err sk.err || fail "saker read --no-prefetch p.skr: other report than with prefetch"

sk info --check p.skr
expect_rc 1 "saker info --check p.skr"
cmp -s p.err sk.err || fail "saker info --check p.skr: another report than read's: $(first_line sk.err)"
[ "$(field events sk.out)" = $left ] || fail "saker info --check p.skr: events '$(field events sk.out)', expected $left"
grep -q "^damage:      corrupt: block $no at offset $off: .*checksum mismatch" sk.out ||
    fail "saker info --check p.skr: no damage line: $(grep '^damage:' sk.out | head -n 1)"
sk info --check --json p.skr
expect_rc 1 "saker info --check --json p.skr"
json_check sk.out "saker info --check --json p.skr" '
d = docs[0]
no, off, count, left = map(int, args)
assert d["events"] == left, "events %r, expected %d" % (d["events"], left)
assert sum(d["events_by_type"].values()) == left, "events_by_type sums to %d" % sum(d["events_by_type"].values())
assert len(d["damage"]) == 1, "damage %r" % d["damage"]
x = d["damage"][0]
assert x["kind"] == "corrupt" and x["block"] == no and x["offset"] == off and x["events_lost"] == count, "damage %r" % x
assert "checksum mismatch" in x["what"], "damage %r" % x
' "$no" "$off" "$count" "$left"

# ---- block header (its count field), with the index
cp d.skr h.skr
flip_byte h.skr $((off + 20))
sk read h.skr
expect_rc 1 "saker read h.skr (header byte flipped)"
expect_one_error "saker read h.skr" "saker: h.skr: block $no at offset $off: "
grep -q "$count events skipped" sk.err || fail "saker read h.skr: not '$count events skipped': $(first_line sk.err)"
check_skipped sk.out "saker read h.skr"

# ---- block header, without the index: found by scanning
sz=$(size h.skr)
head -c $((sz - 32)) h.skr > hs.skr
sk read hs.skr
expect_rc 1 "saker read hs.skr (header byte flipped, no trailer)"
expect_one_error "saker read hs.skr" "saker: hs.skr: block $no at offset $off: "
grep -q "$count events lost" sk.err || fail "saker read hs.skr: not '$count events lost': $(first_line sk.err)"
check_skipped sk.out "saker read hs.skr"
sk info hs.skr
expect_rc 1 "saker info hs.skr"
[ "$(field events sk.out)" = $left ] || fail "saker info hs.skr: events '$(field events sk.out)', expected $left"
pass
