# Files that are not usable traces: /dev/null, an empty file, 1 MB of
# random bytes, a directory, a missing path, text, other formats' magic,
# a cut or damaged preamble or header block, another major version.
# `saker info` and `saker read`: exit 2, exactly one line on stderr
# starting "saker: " and naming the file, nothing on stdout, no crash.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen good.skr -n 2000 -b 16384
: > empty.skr
head -c 1048576 /dev/urandom > random.skr
[ "$(size random.skr)" = 1048576 ] || fail "could not make 1 MB of random bytes"
mkdir dir.skr
printf 'hello, world\n' > text.skr
printf '\037\213\010\000\000\000\000\000\000\003' > gzip.skr
printf '\050\265\057\375\000\000\000\000' > zstd.skr
printf '\324\303\262\241\002\000\004\000' > pcap.skr
head -c 10 good.skr > preamble-cut.skr
head -c 16 good.skr > preamble-only.skr
head -c 40 good.skr > header-cut.skr
cp good.skr version2.skr
flip_byte version2.skr 8
cp good.skr hdr-crc.skr
flip_byte hdr-crc.skr 40
# the header block's payload (after its 56-byte header) damaged
cp good.skr hdr-payload.skr
flip_byte hdr-payload.skr 100
{ head -c 16 good.skr; head -c 4096 random.skr; } > magic-then-random.skr

files="/dev/null empty.skr random.skr dir.skr missing.skr text.skr gzip.skr zstd.skr pcap.skr
       preamble-cut.skr preamble-only.skr header-cut.skr version2.skr hdr-crc.skr hdr-payload.skr
       magic-then-random.skr"
for f in $files; do
    for cmd in info "info --json" "info --check" read "read --no-prefetch"; do
        # shellcheck disable=SC2086 # split on purpose
        sk $cmd "$f"
        expect_rc 2 "saker $cmd $f"
        expect_one_error "saker $cmd $f" "$f"
        [ ! -s sk.out ] || fail "saker $cmd $f: output on stdout: $(first_line sk.out)"
    done
done

# What the message says, for a few.
sk info /dev/null
grep -q 'empty' sk.err || fail "saker info /dev/null: does not say the file is empty: $(first_line sk.err)"
sk info dir.skr
grep -q 'directory' sk.err || fail "saker info dir.skr: does not say it is a directory: $(first_line sk.err)"
sk info missing.skr
grep -q 'No such file' sk.err || fail "saker info missing.skr: does not say it does not exist: $(first_line sk.err)"
sk info version2.skr
grep -q 'version' sk.err || fail "saker info version2.skr: does not name the version: $(first_line sk.err)"

# Mixed with a good file: read prints nothing, info describes the good one.
sk read good.skr random.skr
expect_rc 2 "saker read good.skr random.skr"
expect_one_error "saker read good.skr random.skr" random.skr
[ ! -s sk.out ] || fail "saker read good.skr random.skr: output on stdout"
sk info good.skr random.skr
expect_rc 2 "saker info good.skr random.skr"
expect_one_error "saker info good.skr random.skr" random.skr
[ "$(field file sk.out)" = good.skr ] || fail "saker info good.skr random.skr: good.skr not described"
pass
