/* event_table.c -- the recorder's event schema: for each event type saker
 * records, its name, category and parameters (name, type, wire type).
 *
 * Event names are the syscall names Falco and sysdig use as evt.type, and
 * parameter names are those of falcosecurity/libs (its exit event, which
 * there already carries the entry arguments), in libs' order, so rules that
 * say evt.arg.NAME, evt.rawarg.NAME or evt.arg[N] mean the same thing on a
 * saker recording. The types are ours (enum skr_ptype); each parameter's
 * wire type is the one its type implies (man/saker-trace.5 §5.1). */
#include "event_table.h"

/* A parameter: P("fd", FD) is { "fd", SKR_PT_FD, SKR_WIRE_ZIGZAG }. */
#define P(name, t) { (name), SKR_PT_##t, WIRE_##t }
#define WIRE_INT       SKR_WIRE_ZIGZAG
#define WIRE_FD        SKR_WIRE_ZIGZAG
#define WIRE_PID       SKR_WIRE_ZIGZAG
#define WIRE_ERRNO     SKR_WIRE_ZIGZAG
#define WIRE_UINT      SKR_WIRE_VARINT
#define WIRE_HEX       SKR_WIRE_VARINT
#define WIRE_UID       SKR_WIRE_VARINT
#define WIRE_GID       SKR_WIRE_VARINT
#define WIRE_MODE      SKR_WIRE_VARINT
#define WIRE_FLAGS     SKR_WIRE_VARINT
#define WIRE_TIME      SKR_WIRE_VARINT
#define WIRE_DURATION  SKR_WIRE_VARINT
#define WIRE_SIGNAL    SKR_WIRE_VARINT
#define WIRE_STRING    SKR_WIRE_BYTES
#define WIRE_PATH      SKR_WIRE_BYTES
#define WIRE_DATA      SKR_WIRE_BYTES
#define WIRE_STRLIST   SKR_WIRE_BYTES
#define WIRE_SOCKADDR  SKR_WIRE_BYTES
#define WIRE_SOCKTUPLE SKR_WIRE_BYTES

/* An event: the designator [ID] and .id = ID make the id equal to the
 * array position by construction (a repeated id is an -Woverride-init
 * warning under -Wextra); nparams is counted from the list itself. */
#define NPARAMS(...) \
    ((uint8_t)(sizeof((struct skr_param_def[]){ __VA_ARGS__ }) / \
               sizeof(struct skr_param_def)))
#define EV(ID, NAME, CAT, ...)                                        \
    [ID] = { .id = (ID), .dir = SKR_DIR_COMBINED, .name = (NAME),     \
             .category = (CAT), .nparams = NPARAMS(__VA_ARGS__),      \
             .params = { __VA_ARGS__ } }

/* What execve and execveat report about the new program: everything the
 * proc.* fields need (libs' execve exit parameters 0..29). */
#define EXEC_PARAMS                                                        \
    P("res", ERRNO), P("exe", STRING), P("args", STRLIST), P("tid", PID),  \
    P("pid", PID), P("ptid", PID), P("cwd", PATH), P("fdlimit", UINT),     \
    P("pgft_maj", UINT), P("pgft_min", UINT), P("vm_size", UINT),          \
    P("vm_rss", UINT), P("vm_swap", UINT), P("comm", STRING),              \
    P("cgroups", STRLIST), P("env", STRLIST), P("tty", UINT),              \
    P("vpgid", PID), P("loginuid", UID), P("flags", FLAGS),                \
    P("cap_inheritable", HEX), P("cap_permitted", HEX),                    \
    P("cap_effective", HEX), P("exe_ino", UINT), P("exe_ino_ctime", TIME), \
    P("exe_ino_mtime", TIME), P("uid", UID), P("trusted_exepath", PATH),   \
    P("pgid", PID), P("gid", GID)

/* What clone, clone3, fork and vfork report, in the parent (res is the
 * child's tid) and in the child (res 0). */
#define CLONE_PARAMS                                                       \
    P("res", PID), P("exe", STRING), P("args", STRLIST), P("tid", PID),    \
    P("pid", PID), P("ptid", PID), P("cwd", PATH), P("fdlimit", INT),      \
    P("pgft_maj", UINT), P("pgft_min", UINT), P("vm_size", UINT),          \
    P("vm_rss", UINT), P("vm_swap", UINT), P("comm", STRING),              \
    P("cgroups", STRLIST), P("flags", FLAGS), P("uid", UID),               \
    P("gid", GID), P("vtid", PID), P("vpid", PID),                         \
    P("pidns_init_start_ts", UINT)

struct skr_event_def saker_evt_table[SAKER_EVT_COUNT] = {
    /* meta. "syscall" stands for any syscall without an event of its own:
     * ID is its native number on the recording's architecture. */
    EV(SAKER_EVT_SYSCALL, "syscall", "meta",
       P("ID", UINT), P("res", ERRNO)),
    EV(SAKER_EVT_PROCEXIT, "procexit", "process",
       P("status", INT), P("ret", INT), P("sig", SIGNAL), P("core", UINT),
       P("reaper_tid", PID)),

    /* process */
    EV(SAKER_EVT_EXECVE, "execve", "process",
       EXEC_PARAMS, P("filename", PATH)),
    /* libs keeps dirfd and pathname on the entry event only; they come
     * last here (its entry "flags" is the exit's "flags" name, so the
     * AT_* flags are not a separate parameter). */
    EV(SAKER_EVT_EXECVEAT, "execveat", "process",
       EXEC_PARAMS, P("dirfd", FD), P("pathname", PATH)),
    EV(SAKER_EVT_CLONE, "clone", "process", CLONE_PARAMS),
    EV(SAKER_EVT_CLONE3, "clone3", "process", CLONE_PARAMS),
    EV(SAKER_EVT_FORK, "fork", "process", CLONE_PARAMS),
    EV(SAKER_EVT_VFORK, "vfork", "process", CLONE_PARAMS),
    /* exit and exit_group never return; libs has no event for them. */
    EV(SAKER_EVT_EXIT, "exit", "process", P("status", INT)),
    EV(SAKER_EVT_EXIT_GROUP, "exit_group", "process", P("status", INT)),

    /* file descriptors */
    EV(SAKER_EVT_OPEN, "open", "file",
       P("fd", FD), P("name", PATH), P("flags", FLAGS), P("mode", MODE),
       P("dev", HEX), P("ino", UINT)),
    EV(SAKER_EVT_OPENAT, "openat", "file",
       P("fd", FD), P("dirfd", FD), P("name", PATH), P("flags", FLAGS),
       P("mode", MODE), P("dev", HEX), P("ino", UINT)),
    EV(SAKER_EVT_OPENAT2, "openat2", "file",
       P("fd", FD), P("dirfd", FD), P("name", PATH), P("flags", FLAGS),
       P("mode", MODE), P("resolve", FLAGS), P("dev", HEX), P("ino", UINT)),
    EV(SAKER_EVT_CREAT, "creat", "file",
       P("fd", FD), P("name", PATH), P("mode", MODE), P("dev", HEX),
       P("ino", UINT), P("creat_flags", FLAGS)),
    EV(SAKER_EVT_CLOSE, "close", "io",
       P("res", ERRNO), P("fd", FD)),
    EV(SAKER_EVT_DUP, "dup", "io",
       P("res", FD), P("oldfd", FD)),
    EV(SAKER_EVT_DUP2, "dup2", "io",
       P("res", FD), P("oldfd", FD), P("newfd", FD)),
    EV(SAKER_EVT_DUP3, "dup3", "io",
       P("res", FD), P("oldfd", FD), P("newfd", FD), P("flags", FLAGS)),
    EV(SAKER_EVT_FCNTL, "fcntl", "io",
       P("res", FD), P("fd", FD), P("cmd", FLAGS), P("arg", HEX)),
    EV(SAKER_EVT_PIPE, "pipe", "ipc",
       P("res", ERRNO), P("fd1", FD), P("fd2", FD), P("ino", UINT)),
    EV(SAKER_EVT_PIPE2, "pipe2", "ipc",
       P("res", ERRNO), P("fd1", FD), P("fd2", FD), P("ino", UINT),
       P("flags", FLAGS)),

    /* network */
    EV(SAKER_EVT_SOCKET, "socket", "net",
       P("fd", FD), P("domain", FLAGS), P("type", UINT), P("proto", UINT),
       P("flags", FLAGS)),
    EV(SAKER_EVT_SOCKETPAIR, "socketpair", "ipc",
       P("res", ERRNO), P("fd1", FD), P("fd2", FD), P("source", HEX),
       P("peer", HEX), P("domain", FLAGS), P("type", UINT), P("proto", UINT)),
    EV(SAKER_EVT_CONNECT, "connect", "net",
       P("res", ERRNO), P("tuple", SOCKTUPLE), P("fd", FD),
       P("addr", SOCKADDR)),
    EV(SAKER_EVT_ACCEPT, "accept", "net",
       P("fd", FD), P("tuple", SOCKTUPLE), P("queuepct", UINT),
       P("queuelen", UINT), P("queuemax", UINT)),
    EV(SAKER_EVT_ACCEPT4, "accept4", "net",
       P("fd", FD), P("tuple", SOCKTUPLE), P("queuepct", UINT),
       P("queuelen", UINT), P("queuemax", UINT), P("flags", FLAGS)),
    EV(SAKER_EVT_BIND, "bind", "net",
       P("res", ERRNO), P("addr", SOCKADDR), P("fd", FD)),
    EV(SAKER_EVT_LISTEN, "listen", "net",
       P("res", ERRNO), P("fd", FD), P("backlog", INT)),
    EV(SAKER_EVT_SENDTO, "sendto", "io",
       P("res", ERRNO), P("data", DATA), P("fd", FD), P("size", UINT),
       P("tuple", SOCKTUPLE)),
    EV(SAKER_EVT_RECVFROM, "recvfrom", "io",
       P("res", ERRNO), P("data", DATA), P("tuple", SOCKTUPLE), P("fd", FD),
       P("size", UINT)),
    EV(SAKER_EVT_SENDMSG, "sendmsg", "io",
       P("res", ERRNO), P("data", DATA), P("fd", FD), P("size", UINT),
       P("tuple", SOCKTUPLE)),
    EV(SAKER_EVT_RECVMSG, "recvmsg", "io",
       P("res", ERRNO), P("size", UINT), P("data", DATA),
       P("tuple", SOCKTUPLE), P("msgcontrol", DATA), P("fd", FD)),

    /* I/O */
    EV(SAKER_EVT_READ, "read", "io",
       P("res", ERRNO), P("data", DATA), P("fd", FD), P("size", UINT)),
    EV(SAKER_EVT_WRITE, "write", "io",
       P("res", ERRNO), P("data", DATA), P("fd", FD), P("size", UINT)),
    EV(SAKER_EVT_PREAD, "pread", "io",
       P("res", ERRNO), P("data", DATA), P("fd", FD), P("size", UINT),
       P("pos", UINT)),
    EV(SAKER_EVT_PWRITE, "pwrite", "io",
       P("res", ERRNO), P("data", DATA), P("fd", FD), P("size", UINT),
       P("pos", UINT)),
    EV(SAKER_EVT_READV, "readv", "io",
       P("res", ERRNO), P("size", UINT), P("data", DATA), P("fd", FD)),
    EV(SAKER_EVT_WRITEV, "writev", "io",
       P("res", ERRNO), P("data", DATA), P("fd", FD), P("size", UINT)),

    /* file system */
    EV(SAKER_EVT_UNLINK, "unlink", "file",
       P("res", ERRNO), P("path", PATH)),
    EV(SAKER_EVT_UNLINKAT, "unlinkat", "file",
       P("res", ERRNO), P("dirfd", FD), P("name", PATH), P("flags", FLAGS)),
    EV(SAKER_EVT_RENAME, "rename", "file",
       P("res", ERRNO), P("oldpath", PATH), P("newpath", PATH)),
    EV(SAKER_EVT_RENAMEAT, "renameat", "file",
       P("res", ERRNO), P("olddirfd", FD), P("oldpath", PATH),
       P("newdirfd", FD), P("newpath", PATH)),
    EV(SAKER_EVT_RENAMEAT2, "renameat2", "file",
       P("res", ERRNO), P("olddirfd", FD), P("oldpath", PATH),
       P("newdirfd", FD), P("newpath", PATH), P("flags", FLAGS)),
    EV(SAKER_EVT_MKDIR, "mkdir", "file",
       P("res", ERRNO), P("path", PATH), P("mode", MODE)),
    EV(SAKER_EVT_MKDIRAT, "mkdirat", "file",
       P("res", ERRNO), P("dirfd", FD), P("path", PATH), P("mode", MODE)),
    EV(SAKER_EVT_RMDIR, "rmdir", "file",
       P("res", ERRNO), P("path", PATH)),
    /* A symlink's target is stored as given, not resolved: a string. */
    EV(SAKER_EVT_SYMLINK, "symlink", "file",
       P("res", ERRNO), P("target", STRING), P("linkpath", PATH)),
    EV(SAKER_EVT_SYMLINKAT, "symlinkat", "file",
       P("res", ERRNO), P("target", STRING), P("linkdirfd", FD),
       P("linkpath", PATH)),
    EV(SAKER_EVT_LINK, "link", "file",
       P("res", ERRNO), P("oldpath", PATH), P("newpath", PATH)),
    EV(SAKER_EVT_LINKAT, "linkat", "file",
       P("res", ERRNO), P("olddir", FD), P("oldpath", PATH),
       P("newdir", FD), P("newpath", PATH), P("flags", FLAGS)),
    EV(SAKER_EVT_CHMOD, "chmod", "file",
       P("res", ERRNO), P("filename", PATH), P("mode", MODE)),
    EV(SAKER_EVT_FCHMOD, "fchmod", "file",
       P("res", ERRNO), P("fd", FD), P("mode", MODE)),
    EV(SAKER_EVT_FCHMODAT, "fchmodat", "file",
       P("res", ERRNO), P("dirfd", FD), P("filename", PATH), P("mode", MODE)),
    EV(SAKER_EVT_CHOWN, "chown", "file",
       P("res", ERRNO), P("path", PATH), P("uid", UID), P("gid", GID)),
    EV(SAKER_EVT_FCHOWN, "fchown", "file",
       P("res", ERRNO), P("fd", FD), P("uid", UID), P("gid", GID)),
    EV(SAKER_EVT_LCHOWN, "lchown", "file",
       P("res", ERRNO), P("path", PATH), P("uid", UID), P("gid", GID)),
    EV(SAKER_EVT_FCHOWNAT, "fchownat", "file",
       P("res", ERRNO), P("dirfd", FD), P("pathname", PATH), P("uid", UID),
       P("gid", GID), P("flags", FLAGS)),
    EV(SAKER_EVT_MOUNT, "mount", "file",
       P("res", ERRNO), P("dev", STRING), P("dir", PATH), P("type", STRING),
       P("flags", FLAGS)),
    EV(SAKER_EVT_UMOUNT2, "umount2", "file",
       P("res", ERRNO), P("name", PATH), P("flags", FLAGS)),
    EV(SAKER_EVT_CHDIR, "chdir", "file",
       P("res", ERRNO), P("path", PATH)),
    EV(SAKER_EVT_FCHDIR, "fchdir", "file",
       P("res", ERRNO), P("fd", FD)),
    EV(SAKER_EVT_CHROOT, "chroot", "process",
       P("res", ERRNO), P("path", PATH)),

    /* credentials */
    EV(SAKER_EVT_SETUID, "setuid", "security",
       P("res", ERRNO), P("uid", UID)),
    EV(SAKER_EVT_SETGID, "setgid", "security",
       P("res", ERRNO), P("gid", GID)),
    EV(SAKER_EVT_SETREUID, "setreuid", "security",
       P("res", ERRNO), P("ruid", UID), P("euid", UID)),
    EV(SAKER_EVT_SETREGID, "setregid", "security",
       P("res", ERRNO), P("rgid", GID), P("egid", GID)),
    EV(SAKER_EVT_SETRESUID, "setresuid", "security",
       P("res", ERRNO), P("ruid", UID), P("euid", UID), P("suid", UID)),
    EV(SAKER_EVT_SETRESGID, "setresgid", "security",
       P("res", ERRNO), P("rgid", GID), P("egid", GID), P("sgid", GID)),
    EV(SAKER_EVT_CAPSET, "capset", "security",
       P("res", ERRNO), P("cap_inheritable", HEX), P("cap_permitted", HEX),
       P("cap_effective", HEX)),

    /* signals */
    EV(SAKER_EVT_KILL, "kill", "signal",
       P("res", ERRNO), P("pid", PID), P("sig", SIGNAL)),
    EV(SAKER_EVT_TKILL, "tkill", "signal",
       P("res", ERRNO), P("tid", PID), P("sig", SIGNAL)),
    EV(SAKER_EVT_TGKILL, "tgkill", "signal",
       P("res", ERRNO), P("pid", PID), P("tid", PID), P("sig", SIGNAL)),

    /* memory. mmap's res is the mapping's address, or -errno. */
    EV(SAKER_EVT_MMAP, "mmap", "memory",
       P("res", ERRNO), P("vm_size", UINT), P("vm_rss", UINT),
       P("vm_swap", UINT), P("addr", HEX), P("length", UINT),
       P("prot", FLAGS), P("flags", FLAGS), P("fd", FD), P("offset", UINT)),
    EV(SAKER_EVT_MPROTECT, "mprotect", "memory",
       P("res", ERRNO), P("addr", HEX), P("length", UINT), P("prot", FLAGS)),
    EV(SAKER_EVT_MEMFD_CREATE, "memfd_create", "memory",
       P("fd", FD), P("name", STRING), P("flags", FLAGS)),
    EV(SAKER_EVT_USERFAULTFD, "userfaultfd", "memory",
       P("res", ERRNO), P("flags", FLAGS)),

    /* kernel, namespaces, tracing. ptrace's addr and data mean different
     * things per request; they are kept raw. */
    EV(SAKER_EVT_PTRACE, "ptrace", "process",
       P("res", ERRNO), P("addr", HEX), P("data", HEX), P("request", FLAGS),
       P("pid", PID)),
    EV(SAKER_EVT_BPF, "bpf", "security",
       P("fd", FD), P("cmd", FLAGS)),
    EV(SAKER_EVT_INIT_MODULE, "init_module", "security",
       P("res", ERRNO), P("img", DATA), P("length", UINT),
       P("uargs", STRING)),
    EV(SAKER_EVT_FINIT_MODULE, "finit_module", "security",
       P("res", ERRNO), P("fd", FD), P("uargs", STRING), P("flags", FLAGS)),
    EV(SAKER_EVT_UNSHARE, "unshare", "process",
       P("res", ERRNO), P("flags", FLAGS)),
    EV(SAKER_EVT_SETNS, "setns", "process",
       P("res", ERRNO), P("fd", FD), P("nstype", FLAGS)),
    EV(SAKER_EVT_PRCTL, "prctl", "process",
       P("res", ERRNO), P("option", FLAGS), P("arg2_str", STRING),
       P("arg2_int", INT)),
    EV(SAKER_EVT_IO_URING_SETUP, "io_uring_setup", "io",
       P("res", ERRNO), P("entries", UINT), P("sq_entries", UINT),
       P("cq_entries", UINT), P("flags", FLAGS), P("sq_thread_cpu", UINT),
       P("sq_thread_idle", UINT), P("features", FLAGS)),
};

_Static_assert(sizeof saker_evt_table / sizeof saker_evt_table[0] ==
                   SAKER_EVT_COUNT,
               "one table entry per event id");
_Static_assert(SAKER_EVT_COUNT <= SKR_MAX_EVENT_TYPES,
               "event ids must fit the block bitmap");
