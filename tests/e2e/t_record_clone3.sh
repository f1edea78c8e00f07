# clone3's flags come from its struct clone_args (not the pointer to it):
# a thread started by python3 (glibc uses clone3) shows glibc's thread flags, and a
# thread's events belong to its process.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need_bpf
need python3
rec -w c3.skr -- python3 -c 'import threading; t = threading.Thread(target=open, args=("/dev/null",)); t.start(); t.join()'
expect_rc 0 "saker record -- python3 (a thread)"
sk read c3.skr 'evt.type=clone3 and evt.rawres > 0' -p '%proc.name %evt.arg.flags'
expect_clean "saker read c3.skr"
# glibc's flags for a new thread, exactly (a pointer read as flags would
# not give these)
grep -q '^python3 CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID$' sk.out ||
    fail "no clone3 of python3 with a thread's flags: $(first_line sk.out)"
sk read c3.skr 'evt.type=openat and fd.name=/dev/null and thread.ismain=false' -p '%proc.name %proc.pid %thread.tid'
expect_clean "saker read c3.skr (the thread's open)"
awk '$1 == "python3" && $2 != $3 { ok = 1 } END { exit !ok }' sk.out ||
    fail "the thread's open is not python3's with its own tid: $(first_line sk.out)"
pass
