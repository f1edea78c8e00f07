# The older kernels' path (before 6.10: no sched_prepare_exec), forced on
# this one with SAKER_RECORD_ENTER_PROG=1: exec's arguments and the exit
# calls are taken by the sys_enter program. A successful exec, a failed one
# and exit_group must come out as they do on the default path.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need_bpf

SAKER_RECORD_ENTER_PROG=1 "$SAKER" record -v -q --no-env -w ep.skr -- \
    sh -c './saker-no-such-file; /bin/true a1 b2; exit 7' > rec.out 2> rec.err < /dev/null
rc=$?
expect_rc 0 "saker record (SAKER_RECORD_ENTER_PROG=1)"
grep -q 'taken at sys_enter (SAKER_RECORD_ENTER_PROG=1)' rec.err ||
    fail "SAKER_RECORD_ENTER_PROG=1 did not select the sys_enter program: $(head -c 300 rec.err)"

sk read ep.skr 'evt.type=execve and proc.name in (sh, true)' -p '%proc.name %evt.res %evt.arg.filename %proc.args'
expect_clean "saker read ep.skr"
grep -q '^sh SUCCESS [^ ]*/sh -c ./saker-no-such-file; /bin/true a1 b2; exit 7$' sk.out ||
    fail "no execve of sh with its arguments: $(tr '\n' '|' < sk.out)"
grep -q '^sh ENOENT [^ ]*/saker-no-such-file -c ' sk.out || fail "no failed execve (ENOENT): $(tr '\n' '|' < sk.out)"
grep -qx 'true SUCCESS /bin/true a1 b2' sk.out || fail "no execve of true with its arguments: $(tr '\n' '|' < sk.out)"
sk read ep.skr 'evt.type=exit_group' -p '%proc.name %evt.arg.status'
expect_clean "saker read ep.skr (exit_group)"
grep -qx 'sh 7' sk.out || fail "no exit_group(7) of sh: $(tr '\n' ' ' < sk.out)"
grep -qx 'true 0' sk.out || fail "no exit_group(0) of true: $(tr '\n' ' ' < sk.out)"
pass
