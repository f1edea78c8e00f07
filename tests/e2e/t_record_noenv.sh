# saker record --no-env: no environment reaches the trace, neither from exec
# events nor from the checkpoint's /proc snapshot; without it both are kept
# (proc.env shows the variable), so the check can fail.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need_bpf

# The recorded sh inherits the variable; the recorder's own process (in the
# checkpoint, as the sh's parent) has it too.
SAKER_T_SECRET=s3cr3t-$$ "$SAKER" record -q -w env.skr -- sh -c 'cat /dev/null' \
    > sk.out 2> sk.err < /dev/null
rc=$?
_check_run "saker record (environments kept)" sk.out sk.err
expect_rc 0 "saker record (environments kept)"
SAKER_T_SECRET=s3cr3t-$$ "$SAKER" record -q --no-env -w noenv.skr -- sh -c 'cat /dev/null' \
    > sk.out 2> sk.err < /dev/null
rc=$?
_check_run "saker record --no-env" sk.out sk.err
expect_rc 0 "saker record --no-env"

sk read env.skr -p '*%proc.env %proc.aenv[1]'
expect_clean "saker read env.skr"
grep -q "SAKER_T_SECRET=s3cr3t-$$" sk.out || fail "without --no-env: the environment is not in the trace"

sk read noenv.skr -p '*%proc.env %proc.aenv[1]'
expect_clean "saker read noenv.skr"
[ -s sk.out ] || fail "saker read noenv.skr: no events"
! grep -q "s3cr3t" sk.out || fail "--no-env: an environment is in the trace: $(grep -m 1 s3cr3t sk.out | cut -c 1-120)"
sk info noenv.skr
grep -q '^option: *environment=omitted' sk.out || fail "saker info: no environment=omitted option"
pass
