# `saker convert IN.scap OUT.skr` on corpus captures (skipped when absent):
# the native trace reads exactly like the capture (same lines from `saker
# read`), keeps source format "scap", refuses to overwrite without -f,
# refuses a non-capture with exit 2 and one line, and --help examples name
# the command.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

corpus=$E2E_ROOT/../shared/corpus/scap
[ -d "$corpus" ] || skip "no corpus at $corpus"
for name in falco__cat_write libs__curl_google_comments sysflow__rename_rename \
            modern__sysdig036_benign_gz_snaplen256; do
    f=$corpus/$name.scap
    [ -f "$f" ] || continue
    sk convert "$f" "$name.skr"
    expect_clean "saker convert $f"
    sk read "$f"
    cp sk.out want
    sk read "$name.skr"
    expect_clean "saker read $name.skr"
    cmp -s want sk.out || fail "saker read $name.skr differs from the capture: $(diff want sk.out | head -n 3)"
    sk info "$name.skr"
    grep -q '^format: .*(scap)' sk.out || fail "info $name.skr: $(grep '^format' sk.out)"
    grep -q '^index: *present' sk.out || fail "info $name.skr: no index"
    [ "$(size "$name.skr")" -lt "$(size "$f")" ] || [ "$name" = libs__curl_google_comments ] ||
        [ "$name" = falco__cat_write ] || [ "$name" = modern__sysdig036_benign_gz_snaplen256 ] ||
        fail "$name.skr is not smaller than the raw capture"
done
sk convert "$corpus/falco__cat_write.scap" falco__cat_write.skr
expect_rc 2 "convert onto an existing file"
expect_one_error "convert onto an existing file" "exists"
sk convert -f "$corpus/falco__cat_write.scap" falco__cat_write.skr
expect_clean "convert -f"
printf 'not a capture\n' > junk
sk convert junk out.skr
expect_rc 2 "convert junk"
expect_one_error "convert junk" junk
[ ! -e out.skr ] || fail "convert junk left out.skr"
# every example of --help runs as shown (with corpus captures by its names)
sk convert --help
expect_clean "convert --help"
awk '/^examples:/ { on = 1; next } on && /^[ \t]*$/ { exit }
     on { sub(/^[ \t]+/, ""); sub(/[ \t]+#.*$/, ""); print }' sk.out > examples.txt
[ "$(nlines examples.txt)" -ge 3 ] || fail "convert --help: too few examples"
cp "$corpus/falco__cat_write.scap" capture.scap
cp "$corpus/falco__cat_write.scap" falco.scap.gz
while IFS= read -r ex; do
    # shellcheck disable=SC2086 # split on purpose
    set -- $ex
    shift
    sk "$@"
    expect_clean "$ex"
done < examples.txt
[ -s capture.skr ] && [ -s small.skr ] || fail "convert examples wrote nothing"
pass
