# A trace cut short (head -c), as a killed recorder or a full disk leaves
# it. Cut inside a block: info and read exit 1 and report "saker: FILE:
# block N at offset X: truncated..." (N counted from 0 for the header
# block, X exact); read prints the events of the whole blocks before the
# cut, identical to the original's first events. Cut between two blocks:
# nothing is damaged, exit 0, the same events.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

N=5000
middle_block_fixture
before=$((first - 1))
[ "$(awk -v o="$off" '$3 == 2 && $2 < o { s += $6 } END { print s + 0 }' blocks.txt)" = $before ] ||
    fail "events blocks before block $no do not hold events 1..$before"

# cut KIND BYTES: d.skr cut to BYTES, read and info checked.
cut_at() {
    kind=$1 at=$2
    f=cut-$kind.skr
    head -c "$at" d.skr > "$f"
    sk read "$f"
    if [ "$kind" = boundary ]; then
        expect_clean "saker read $f (cut at a block boundary, offset $at)"
    else
        expect_rc 1 "saker read $f (cut at offset $at)"
        expect_one_error "saker read $f" "saker: $f: block $no at offset $off: truncated"
    fi
    cp sk.err read.err
    expect_lines $before sk.out "saker read $f (whole blocks before the cut)"
    head -n $before orig.out | cmp -s - sk.out || fail "saker read $f: not the original's first $before events"
    cp sk.out cut.out
    sk read --no-prefetch "$f"
    cmp -s cut.out sk.out || fail "saker read --no-prefetch $f: other events than with prefetch"
    cmp -s read.err sk.err || fail "saker read --no-prefetch $f: other damage report than with prefetch"

    sk info "$f"
    if [ "$kind" = boundary ]; then
        expect_clean "saker info $f"
        grep -q '^damage:      none found$' sk.out || fail "saker info $f: $(grep '^damage:' sk.out | head -n 1)"
    else
        expect_rc 1 "saker info $f"
        cmp -s read.err sk.err || fail "saker info $f: another damage report than read's: $(first_line sk.err)"
        # a cut inside the sync marker may be called corrupt: too short to
        # be known as the start of a block
        dk=truncated
        [ "$kind" = sync ] && dk='[a-z]*'
        grep -q "^damage:      $dk: block $no at offset $off: " sk.out ||
            fail "saker info $f: no 'damage: $dk: block $no at offset $off' line: $(grep '^damage:' sk.out | head -n 1)"
    fi
    [ "$(field events sk.out)" = $before ] || fail "saker info $f: events '$(field events sk.out)', expected $before"
    grep -q '^index: .*rebuilt' sk.out || fail "saker info $f: index not said rebuilt: $(grep '^index:' sk.out)"
    sk info --json "$f"
    json_check sk.out "saker info --json $f" '
d = docs[0]
kind, no, off, count, events = args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4])
assert d["events"] == events, "events %r, expected %d" % (d["events"], events)
assert d["index_present"] is False, "index_present %r" % d["index_present"]
if kind == "boundary":
    assert d["damage"] == [], "damage %r" % d["damage"]
else:
    assert len(d["damage"]) == 1, "damage %r" % d["damage"]
    x = d["damage"][0]
    assert x["block"] == no and x["offset"] == off, "damage %r" % x
    assert x["kind"] == "truncated" or kind == "sync", "damage %r" % x
    if kind == "payload":
        assert x["events_lost"] == count, "events_lost %r, the cut block held %d" % (x["events_lost"], count)
' "$kind" "$no" "$off" "$count" "$before"
}

cut_at payload $((off + 56 + meta + stored / 2))
cut_at header $((off + 20))
cut_at sync $((off + 3))
cut_at boundary "$off"
pass
