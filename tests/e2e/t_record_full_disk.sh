# saker record into a 2 MiB tmpfs, of a command making more trace than
# that: exit 1 with one line on stderr naming the file and "No space left
# on device"; the file keeps what was written (whole blocks, no damage,
# the index rebuilt by scanning), and saker read prints it, numbered from 1.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need_bpf
need mount
need umount

mkdir disk
if ! mount -t tmpfs -o size=2m tmpfs disk 2> mount.err; then
    # root with BPF can mount: where BPF is required (CI), so is this case
    [ "${SAKER_REQUIRE_BPF:-0}" != 1 ] || fail "cannot mount a tmpfs: $(first_line mount.err)"
    skip "cannot mount a tmpfs: $(first_line mount.err)"
fi
# unmounted however the case ends, a timeout's SIGTERM included
trap 'umount disk 2> /dev/null || umount -l disk' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

rec -w disk/f.skr -- sh -c 'dd if=/dev/urandom of=/dev/null bs=256 count=70000 2> /dev/null'
expect_rc 1 "saker record into a full tmpfs"
expect_one_error "saker record into a full tmpfs" "No space left on device"
expect_one_error "saker record into a full tmpfs" "disk/f.skr"
[ -s disk/f.skr ] || fail "disk/f.skr is empty"

sk info disk/f.skr
expect_clean "saker info disk/f.skr (disk full)"
grep -q '^index: .*rebuilt' sk.out || fail "saker info disk/f.skr (disk full): $(grep '^index:' sk.out)"
grep -q '^damage:      none found$' sk.out || fail "saker info disk/f.skr (disk full): $(grep '^damage:' sk.out)"
grep -q '^checkpoint:  block 1, ' sk.out || fail "disk/f.skr does not start with a checkpoint"
ev=$(field events sk.out)
[ "$ev" -ge 1000 ] || fail "disk/f.skr (disk full): only $ev events kept"
sk read disk/f.skr
expect_clean "saker read disk/f.skr (disk full)"
expect_lines "$ev" sk.out "saker read disk/f.skr (disk full; info says $ev events)"
check_numbers sk.out 1 "saker read disk/f.skr (disk full)"
pass
