/* fields_evtarg.c -- an event's parameters as the evt.arg, evt.args and
 * evt.rawarg fields show them: found by name (the ENTER event's when the
 * EXIT lacks one), and rendered the way sysdig renders them -- a value and,
 * where libsinsp resolves one, a text for it: fds as "<f>/etc/passwd",
 * negative results as errno names, flags as "O_RDONLY|O_CLOEXEC", modes as
 * "S_IRUSR|...", uids as user names, signals as "SIGKILL", relative paths
 * made absolute.
 *
 * Flag and enum values are Linux's (what saker records; scap imports are
 * converted to them), so the name tables below are Linux's constants,
 * keyed by event and parameter name. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "fields_int.h"

int fieldarg_find(const struct skr_event_def *def, const char *name)
{
    if (!def)
        return -1;
    for (int i = 0; i < def->nparams; i++)
        if (def->params[i].name && def->params[i].name[0] == name[0] &&
            !strcmp(def->params[i].name, name))
            return i;
    return -1;
}

const struct skr_value *fieldarg_get(const struct fld_ctx *ctx, const char *name,
                                     const struct skr_param_def **pdef)
{
    const struct skr_event *ev = ctx->ev;
    int i = fieldarg_find(ev->def, name);
    if (i >= 0 && i < ev->nparams) {
        *pdef = &ev->def->params[i];
        return &ev->params[i];
    }
    const struct skr_event *en = ctx->se ? ctx->se->enter : NULL;
    i = en ? fieldarg_find(en->def, name) : -1;
    if (i >= 0 && i < en->nparams) {
        *pdef = &en->def->params[i];
        return &en->params[i];
    }
    return NULL;
}

bool fieldarg_res(const struct skr_event *ev, int64_t *res)
{
    const struct skr_event_def *d = ev->def;
    if (!d || d->dir == SKR_DIR_ENTER)
        return false;
    int i = fieldarg_find(d, "res");
    if (i < 0 && d->nparams > 0 && d->params[0].name && !strcmp(d->params[0].name, "fd"))
        i = 0;
    if (i < 0 || i >= ev->nparams)
        return false;
    *res = d->params[i].wire == SKR_WIRE_ZIGZAG ? ev->params[i].s : (int64_t)ev->params[i].u;
    return true;
}

const char *fieldarg_errno_name(int64_t e)
{
    if (e >= 0 || e <= -4096)
        return NULL;
    /* the kernel's internal codes (include/linux/errno.h), which the
     * kernel side of libs reports and sysdig names */
    static const char *const internal[] = {
        "ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD",
        "ERESTART_RESTARTBLOCK", "EPROBE_DEFER", "EOPENSTALE", "ENOPARAM",
    };
    if (-e >= 512 && -e < 512 + (int64_t)(sizeof internal / sizeof internal[0]))
        return internal[-e - 512];
    return strerrorname_np((int)-e);
}

/* ---- name tables ---- */

struct flagname {
    uint64_t v;
    const char *name;
};
#define END { 0, NULL }

static const struct flagname open_flags[] = {
    { 01, "O_WRONLY" }, { 02, "O_RDWR" }, { 0100, "O_CREAT" }, { 0200, "O_EXCL" },
    { 0400, "O_NOCTTY" }, { 01000, "O_TRUNC" }, { 02000, "O_APPEND" },
    { 04000, "O_NONBLOCK" }, { 010000, "O_DSYNC" }, { 020000, "O_ASYNC" },
    { 040000, "O_DIRECT" }, { 0100000, "O_LARGEFILE" }, { 0200000, "O_DIRECTORY" },
    { 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" }, { 02000000, "O_CLOEXEC" },
    { 04000000, "O_SYNC" }, { 010000000, "O_PATH" }, { 020000000, "O_TMPFILE" }, END,
};
/* libsinsp lists the low bits first. */
static const struct flagname mode_bits[] = {
    { 01, "S_IXOTH" }, { 02, "S_IWOTH" }, { 04, "S_IROTH" }, { 010, "S_IXGRP" },
    { 020, "S_IWGRP" }, { 040, "S_IRGRP" }, { 0100, "S_IXUSR" }, { 0200, "S_IWUSR" },
    { 0400, "S_IRUSR" }, { 01000, "S_ISVTX" }, { 02000, "S_ISGID" }, { 04000, "S_ISUID" },
    END,
};
static const struct flagname clone_flags[] = {
    { 0x100, "CLONE_VM" }, { 0x200, "CLONE_FS" }, { 0x400, "CLONE_FILES" },
    { 0x800, "CLONE_SIGHAND" }, { 0x1000, "CLONE_PIDFD" }, { 0x2000, "CLONE_PTRACE" },
    { 0x4000, "CLONE_VFORK" }, { 0x8000, "CLONE_PARENT" }, { 0x10000, "CLONE_THREAD" },
    { 0x20000, "CLONE_NEWNS" }, { 0x40000, "CLONE_SYSVSEM" }, { 0x80000, "CLONE_SETTLS" },
    { 0x100000, "CLONE_PARENT_SETTID" }, { 0x200000, "CLONE_CHILD_CLEARTID" },
    { 0x400000, "CLONE_DETACHED" }, { 0x800000, "CLONE_UNTRACED" },
    { 0x1000000, "CLONE_CHILD_SETTID" }, { 0x2000000, "CLONE_NEWCGROUP" },
    { 0x4000000, "CLONE_NEWUTS" }, { 0x8000000, "CLONE_NEWIPC" },
    { 0x10000000, "CLONE_NEWUSER" }, { 0x20000000, "CLONE_NEWPID" },
    { 0x40000000, "CLONE_NEWNET" }, { 0x80000000, "CLONE_IO" }, END,
};
static const struct flagname prot_flags[] = {
    { 1, "PROT_READ" }, { 2, "PROT_WRITE" }, { 4, "PROT_EXEC" }, { 0x01000000, "PROT_GROWSDOWN" },
    { 0x02000000, "PROT_GROWSUP" }, END,
};
static const struct flagname mmap_flags[] = {
    { 0x01, "MAP_SHARED" }, { 0x02, "MAP_PRIVATE" }, { 0x10, "MAP_FIXED" },
    { 0x20, "MAP_ANONYMOUS" }, { 0x100, "MAP_GROWSDOWN" }, { 0x800, "MAP_DENYWRITE" },
    { 0x1000, "MAP_EXECUTABLE" }, { 0x2000, "MAP_LOCKED" }, { 0x4000, "MAP_NORESERVE" },
    { 0x8000, "MAP_POPULATE" }, { 0x10000, "MAP_NONBLOCK" }, { 0x20000, "MAP_STACK" },
    { 0x40000, "MAP_HUGETLB" }, END,
};
static const struct flagname at_flags[] = {
    { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" }, { 0x400, "AT_SYMLINK_FOLLOW" },
    { 0x800, "AT_NO_AUTOMOUNT" }, { 0x1000, "AT_EMPTY_PATH" }, END,
};
static const struct flagname rename_flags[] = {
    { 1, "RENAME_NOREPLACE" }, { 2, "RENAME_EXCHANGE" }, { 4, "RENAME_WHITEOUT" }, END,
};
static const struct flagname memfd_flags[] = {
    { 1, "MFD_CLOEXEC" }, { 2, "MFD_ALLOW_SEALING" }, { 4, "MFD_HUGETLB" },
    { 8, "MFD_NOEXEC_SEAL" }, { 0x10, "MFD_EXEC" }, END,
};
static const struct flagname exe_flags[] = {
    { 1, "EXE_WRITABLE" }, { 2, "EXE_UPPER_LAYER" }, { 4, "EXE_FROM_MEMFD" },
    { 8, "EXE_LOWER_LAYER" }, END,
};
static const struct flagname cloexec_flags[] = { { 02000000, "O_CLOEXEC" }, END };
static const struct flagname sock_flags[] = {
    { 04000, "SOCK_NONBLOCK" }, { 02000000, "SOCK_CLOEXEC" }, END,
};
static const struct flagname mount_flags[] = {
    { 1, "RDONLY" }, { 2, "NOSUID" }, { 4, "NODEV" }, { 8, "NOEXEC" },
    { 16, "SYNCHRONOUS" }, { 32, "REMOUNT" }, { 64, "MANDLOCK" }, { 128, "DIRSYNC" },
    { 1024, "NOATIME" }, { 2048, "NODIRATIME" }, { 4096, "BIND" }, { 8192, "MOVE" },
    { 16384, "REC" }, { 32768, "SILENT" }, END,
};
static const struct flagname umount_flags[] = {
    { 1, "MNT_FORCE" }, { 2, "MNT_DETACH" }, { 4, "MNT_EXPIRE" }, { 8, "UMOUNT_NOFOLLOW" }, END,
};

/* Enumerations: the value is one of these, not a set of bits. */
static const struct flagname ptrace_reqs[] = {
    { 0, "PTRACE_TRACEME" }, { 1, "PTRACE_PEEKTEXT" }, { 2, "PTRACE_PEEKDATA" },
    { 3, "PTRACE_PEEKUSR" }, { 4, "PTRACE_POKETEXT" }, { 5, "PTRACE_POKEDATA" },
    { 6, "PTRACE_POKEUSR" }, { 7, "PTRACE_CONT" }, { 8, "PTRACE_KILL" },
    { 9, "PTRACE_SINGLESTEP" }, { 12, "PTRACE_GETREGS" }, { 13, "PTRACE_SETREGS" },
    { 14, "PTRACE_GETFPREGS" }, { 15, "PTRACE_SETFPREGS" }, { 16, "PTRACE_ATTACH" },
    { 17, "PTRACE_DETACH" }, { 18, "PTRACE_GETFPXREGS" }, { 19, "PTRACE_SETFPXREGS" },
    { 24, "PTRACE_SYSCALL" }, { 31, "PTRACE_SYSEMU" }, { 32, "PTRACE_SYSEMU_SINGLESTEP" },
    { 0x4200, "PTRACE_SETOPTIONS" }, { 0x4201, "PTRACE_GETEVENTMSG" },
    { 0x4202, "PTRACE_GETSIGINFO" }, { 0x4203, "PTRACE_SETSIGINFO" },
    { 0x4204, "PTRACE_GETREGSET" }, { 0x4205, "PTRACE_SETREGSET" }, { 0x4206, "PTRACE_SEIZE" },
    { 0x4207, "PTRACE_INTERRUPT" }, { 0x4208, "PTRACE_LISTEN" },
    { 0x4209, "PTRACE_PEEKSIGINFO" }, { 0x420a, "PTRACE_GETSIGMASK" },
    { 0x420b, "PTRACE_SETSIGMASK" }, { 0x420c, "PTRACE_SECCOMP_GET_FILTER" },
    { 0x420e, "PTRACE_GET_SYSCALL_INFO" }, END,
};
static const struct flagname bpf_cmds[] = {
    { 0, "BPF_MAP_CREATE" }, { 1, "BPF_MAP_LOOKUP_ELEM" }, { 2, "BPF_MAP_UPDATE_ELEM" },
    { 3, "BPF_MAP_DELETE_ELEM" }, { 4, "BPF_MAP_GET_NEXT_KEY" }, { 5, "BPF_PROG_LOAD" },
    { 6, "BPF_OBJ_PIN" }, { 7, "BPF_OBJ_GET" }, { 8, "BPF_PROG_ATTACH" },
    { 9, "BPF_PROG_DETACH" }, { 10, "BPF_PROG_TEST_RUN" }, { 11, "BPF_PROG_GET_NEXT_ID" },
    { 12, "BPF_MAP_GET_NEXT_ID" }, { 13, "BPF_PROG_GET_FD_BY_ID" },
    { 14, "BPF_MAP_GET_FD_BY_ID" }, { 15, "BPF_OBJ_GET_INFO_BY_FD" }, { 16, "BPF_PROG_QUERY" },
    { 17, "BPF_RAW_TRACEPOINT_OPEN" }, { 18, "BPF_BTF_LOAD" }, { 19, "BPF_BTF_GET_FD_BY_ID" },
    { 20, "BPF_TASK_FD_QUERY" }, { 21, "BPF_MAP_LOOKUP_AND_DELETE_ELEM" },
    { 22, "BPF_MAP_FREEZE" }, { 23, "BPF_BTF_GET_NEXT_ID" }, { 24, "BPF_MAP_LOOKUP_BATCH" },
    { 25, "BPF_MAP_LOOKUP_AND_DELETE_BATCH" }, { 26, "BPF_MAP_UPDATE_BATCH" },
    { 27, "BPF_MAP_DELETE_BATCH" }, { 28, "BPF_LINK_CREATE" }, { 29, "BPF_LINK_UPDATE" },
    { 30, "BPF_LINK_GET_FD_BY_ID" }, { 31, "BPF_LINK_GET_NEXT_ID" }, { 32, "BPF_ENABLE_STATS" },
    { 33, "BPF_ITER_CREATE" }, { 34, "BPF_LINK_DETACH" }, { 35, "BPF_PROG_BIND_MAP" }, END,
};
static const struct flagname socket_families[] = {
    { 0, "AF_UNSPEC" }, { 1, "AF_UNIX" }, { 2, "AF_INET" }, { 3, "AF_AX25" },
    { 4, "AF_IPX" }, { 5, "AF_APPLETALK" }, { 6, "AF_NETROM" }, { 7, "AF_BRIDGE" },
    { 8, "AF_ATMPVC" }, { 9, "AF_X25" }, { 10, "AF_INET6" }, { 11, "AF_ROSE" },
    { 12, "AF_DECnet" }, { 13, "AF_NETBEUI" }, { 14, "AF_SECURITY" }, { 15, "AF_KEY" },
    { 16, "AF_NETLINK" }, { 17, "AF_PACKET" }, { 18, "AF_ASH" }, { 19, "AF_ECONET" },
    { 20, "AF_ATMSVC" }, { 21, "AF_RDS" }, { 22, "AF_SNA" }, { 23, "AF_IRDA" },
    { 24, "AF_PPPOX" }, { 25, "AF_WANPIPE" }, { 26, "AF_LLC" }, { 27, "AF_IB" },
    { 28, "AF_MPLS" }, { 29, "AF_CAN" }, { 30, "AF_TIPC" }, { 31, "AF_BLUETOOTH" },
    { 32, "AF_IUCV" }, { 33, "AF_RXRPC" }, { 34, "AF_ISDN" }, { 35, "AF_PHONET" },
    { 36, "AF_IEEE802154" }, { 37, "AF_CAIF" }, { 38, "AF_ALG" }, { 39, "AF_NFC" },
    { 40, "AF_VSOCK" }, { 41, "AF_KCM" }, { 42, "AF_QIPCRTR" }, { 43, "AF_SMC" },
    { 44, "AF_XDP" }, END,
};
static const struct flagname fcntl_cmds[] = {
    { 0, "F_DUPFD" }, { 1, "F_GETFD" }, { 2, "F_SETFD" }, { 3, "F_GETFL" }, { 4, "F_SETFL" },
    { 5, "F_GETLK" }, { 6, "F_SETLK" }, { 7, "F_SETLKW" }, { 8, "F_SETOWN" },
    { 9, "F_GETOWN" }, { 10, "F_SETSIG" }, { 11, "F_GETSIG" }, { 1024, "F_SETLEASE" },
    { 1025, "F_GETLEASE" }, { 1026, "F_NOTIFY" }, { 1030, "F_DUPFD_CLOEXEC" },
    { 1031, "F_SETPIPE_SZ" }, { 1032, "F_GETPIPE_SZ" }, END,
};

struct nametable {
    const char *event;        /* NULL: any event */
    const char *param;
    bool is_enum;
    const struct flagname *names;
};

static const struct nametable tables[] = {
    { "open", "flags", false, open_flags },
    { "openat", "flags", false, open_flags },
    { "openat2", "flags", false, open_flags },
    { "clone", "flags", false, clone_flags },
    { "clone3", "flags", false, clone_flags },
    { "fork", "flags", false, clone_flags },
    { "vfork", "flags", false, clone_flags },
    { "unshare", "flags", false, clone_flags },
    { "setns", "nstype", false, clone_flags },
    { "mmap", "prot", false, prot_flags },
    { "mprotect", "prot", false, prot_flags },
    { "mmap", "flags", false, mmap_flags },
    { "unlinkat", "flags", false, at_flags },
    { "linkat", "flags", false, at_flags },
    { "fchownat", "flags", false, at_flags },
    { "renameat2", "flags", false, rename_flags },
    { "memfd_create", "flags", false, memfd_flags },
    { "execve", "flags", false, exe_flags },
    { "execveat", "flags", false, exe_flags },
    { "dup3", "flags", false, cloexec_flags },
    { "pipe2", "flags", false, cloexec_flags },
    { "accept4", "flags", false, sock_flags },
    { "socket", "flags", false, sock_flags },
    { "mount", "flags", false, mount_flags },
    { "umount2", "flags", false, umount_flags },
    { "ptrace", "request", true, ptrace_reqs },
    { "bpf", "cmd", true, bpf_cmds },
    { "fcntl", "cmd", true, fcntl_cmds },
    { "socket", "domain", true, socket_families },
    { "socketpair", "domain", true, socket_families },
    { NULL, "mode", false, mode_bits },
};

static const struct nametable *table_for(const char *event, const char *param)
{
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        const struct nametable *t = &tables[i];
        if ((!t->event || !strcmp(t->event, event)) && !strcmp(t->param, param))
            return t;
    }
    return NULL;
}

uint64_t fieldarg_open_flags(const struct skr_event *ev, uint64_t raw)
{
    if (ev->def->dir == SKR_DIR_COMBINED)
        return raw;
    /* libs' PPM_O_* bits (driver/ppm_events_public.h), in Linux order */
    static const struct { uint32_t ppm, lx; } map[] = {
        { 1u << 2, 0100 }, { 1u << 3, 02000 }, { 1u << 4, 010000 }, { 1u << 5, 0200 },
        { 1u << 6, 04000 }, { 1u << 7, 04010000 }, { 1u << 8, 01000 }, { 1u << 9, 040000 },
        { 1u << 10, 0200000 }, { 1u << 11, 0100000 }, { 1u << 12, 02000000 },
        { 1u << 13, 020200000 },
    };
    uint64_t f = (raw & 3) == 3 ? 02 : (raw & 2) ? 01 : 0;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (raw & map[i].ppm)
            f |= map[i].lx;
    return f;
}

/* Appends the names of v; false when there is nothing to show. */
static bool put_names(struct skr_buf *b, const struct nametable *t, uint64_t v)
{
    if (t->is_enum) {
        for (const struct flagname *f = t->names; f->name; f++)
            if (f->v == v) {
                skr_put_raw(b, f->name, strlen(f->name));
                return true;
            }
        return false;
    }
    bool any = false;
    if (t->names == open_flags && (v & 3) == 0) {
        /* O_RDONLY is the absence of the access bits, as sysdig shows it. */
        skr_put_raw(b, "O_RDONLY", 8);
        any = true;
    }
    for (const struct flagname *f = t->names; f->name; f++) {
        if ((v & f->v) != f->v)
            continue;
        if (any)
            skr_put_u8(b, '|');
        skr_put_raw(b, f->name, strlen(f->name));
        any = true;
    }
    return any;
}

/* ---- rendering ---- */

static void put_s(struct skr_buf *b, const char *s) { skr_put_raw(b, s, strlen(s)); }

static void put_fmt(struct skr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_fmt(struct skr_buf *b, const char *fmt, ...)
{
    char t[96];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t, sizeof t, fmt, ap);
    va_end(ap);
    if (n > 0)
        skr_put_raw(b, t, (size_t)n < sizeof t ? (size_t)n : sizeof t - 1);
}

/* Ports are little-endian in §5.2/§5.3. */
static uint16_t port_le(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static void put_ipport(struct skr_buf *b, int fam, const uint8_t *a, uint16_t port)
{
    char ip[INET6_ADDRSTRLEN];
    if (!inet_ntop(fam, a, ip, sizeof ip))
        snprintf(ip, sizeof ip, "?");
    put_fmt(b, "%s:%u", ip, port);
}

/* man/saker-trace.5 §5.2 */
static void put_sockaddr(struct skr_buf *b, const uint8_t *p, size_t n)
{
    if (n >= 7 && p[0] == AF_INET)
        put_ipport(b, AF_INET, p + 1, port_le(p + 5));
    else if (n >= 19 && p[0] == AF_INET6)
        put_ipport(b, AF_INET6, p + 1, port_le(p + 17));
    else if (n >= 1 && p[0] == AF_UNIX)
        skr_put_raw(b, p + 1, n - 1);
    else if (n >= 1)
        put_fmt(b, "family=%u", p[0]);
    else
        put_s(b, "NULL");
}

/* man/saker-trace.5 §5.3 */
static void put_socktuple(struct skr_buf *b, const uint8_t *p, size_t n)
{
    if (n >= 13 && p[0] == AF_INET) {
        put_ipport(b, AF_INET, p + 1, port_le(p + 5));
        put_s(b, "->");
        put_ipport(b, AF_INET, p + 7, port_le(p + 11));
    } else if (n >= 37 && p[0] == AF_INET6) {
        put_ipport(b, AF_INET6, p + 1, port_le(p + 17));
        put_s(b, "->");
        put_ipport(b, AF_INET6, p + 19, port_le(p + 35));
    } else if (n >= 17 && p[0] == AF_UNIX) {
        struct skr_cur c = skr_cur_make(p + 1, 16);
        uint64_t src = skr_get_u64(&c), dst = skr_get_u64(&c);
        put_fmt(b, "%" PRIx64 "->%" PRIx64 " ", src, dst);
        skr_put_raw(b, p + 17, n - 17);
    } else if (n >= 1) {
        put_fmt(b, "family=%u", p[0]);
    } else {
        put_s(b, "NULL");
    }
}

/* The dirfd parameter a path parameter is relative to, libs' names. */
static const char *dirfd_param_of(const char *path_param)
{
    if (!strcmp(path_param, "oldpath"))
        return "olddirfd";
    if (!strcmp(path_param, "newpath"))
        return "newdirfd";
    if (!strcmp(path_param, "linkpath"))
        return "linkdirfd";
    return "dirfd";
}

static const char *dirfd_alt_of(const char *path_param)
{
    if (!strcmp(path_param, "oldpath"))
        return "olddir";
    if (!strcmp(path_param, "newpath"))
        return "newdir";
    return NULL;
}

/* Resolved text of a relative path argument; false when the path is
 * absolute or there is nothing to resolve it against. */
static bool resolve_path(const struct fld_ctx *ctx, const char *pname, const struct skr_value *v,
                         struct skr_buf *b)
{
    if (v->len == 0 || v->ptr[0] == '/')
        return false;
    const struct skr_param_def *dpd;
    const struct skr_value *dv = fieldarg_get(ctx, dirfd_param_of(pname), &dpd);
    const char *alt = dirfd_alt_of(pname);
    if (!dv && alt)
        dv = fieldarg_get(ctx, alt, &dpd);
    size_t blen = 0;
    const char *base = fieldfd_base(ctx, dv ? dv->s : 0, dv != NULL, &blen);
    if (!base || !blen)
        return false;
    fieldpath_resolve(b, base, blen, v->ptr, v->len);
    return true;
}

/* The thread's container, for user and group lookups. */
static const char *container_of(const struct fld_ctx *ctx)
{
    const struct st_thread *th = ctx->se ? ctx->se->thread : NULL;
    return th && th->container_id ? th->container_id : "";
}

/* Appends the resolved text of a value; false when libsinsp has none. */
static bool put_resolved(const struct fld_ctx *ctx, const struct skr_event *ev,
                         const struct skr_param_def *pd, const struct skr_value *v,
                         struct skr_buf *b)
{
    switch (pd->type) {
    case SKR_PT_FD: {
        if (v->s == -100) {
            put_s(b, "AT_FDCWD");
            return true;
        }
        const char *e = fieldarg_errno_name(v->s);
        if (e) {
            put_s(b, e);
            return true;
        }
        const struct st_fd *fd = fieldfd_lookup(ctx, v->s);
        if (!fd || !fd->name)
            return false;
        /* sysdig adds the protocol to an IP socket's letter: <4t>, <6u> */
        char l4 = 0;
        if (fd->type == ST_FD_IPV4 || fd->type == ST_FD_IPV6)
            l4 = fd->tuple.l4proto == 6 ? 't' : fd->tuple.l4proto == 17 ? 'u'
               : fd->tuple.l4proto == 1 || fd->tuple.l4proto == 58 ? 'i'
               : fd->tuple.l4proto == 255 ? 'r' : 0;
        if (l4)
            put_fmt(b, "<%c%c>", fd->type, l4);
        else
            put_fmt(b, "<%c>", fd->type ? fd->type : '?');
        put_s(b, fd->name);
        return true;
    }
    case SKR_PT_ERRNO: {
        const char *e = fieldarg_errno_name(v->s);
        if (e)
            put_s(b, e);
        return e != NULL;
    }
    case SKR_PT_SIGNAL: {
        const char *n = v->u < 128 ? sigabbrev_np((int)v->u) : NULL;
        if (n)
            put_fmt(b, "SIG%s", n);
        return n != NULL;
    }
    case SKR_PT_UID: {
        if (!ctx->st || v->u > UINT32_MAX)
            return false;
        const struct st_user *u = state_user(ctx->st, (uint32_t)v->u, container_of(ctx));
        if (u && u->name)
            put_s(b, u->name);
        return u && u->name;
    }
    case SKR_PT_GID: {
        if (!ctx->st || v->u > UINT32_MAX)
            return false;
        const struct st_group *g = state_group(ctx->st, (uint32_t)v->u, container_of(ctx));
        if (g && g->name)
            put_s(b, g->name);
        return g && g->name;
    }
    case SKR_PT_FLAGS:
    case SKR_PT_MODE:
    case SKR_PT_HEX:
    case SKR_PT_UINT: {
        const struct nametable *t = table_for(ev->def->name, pd->name);
        if (!t)
            return false;
        return put_names(b, t, t->names == open_flags ? fieldarg_open_flags(ev, v->u) : v->u);
    }
    case SKR_PT_PATH:
        return resolve_path(ctx, pd->name, v, b);
    default:
        return false;
    }
}

static void put_value(const struct skr_param_def *pd, const struct skr_value *v,
                      struct skr_buf *b)
{
    switch (pd->type) {
    case SKR_PT_INT:
    case SKR_PT_FD:
    case SKR_PT_PID:
    case SKR_PT_ERRNO:
        put_fmt(b, "%" PRId64, v->s);
        return;
    case SKR_PT_HEX:
        put_fmt(b, "%" PRIX64, v->u);
        return;
    case SKR_PT_MODE:
        put_fmt(b, v->u ? "0%" PRIo64 : "%" PRIo64, v->u);
        return;
    case SKR_PT_UINT:
    case SKR_PT_UID:
    case SKR_PT_GID:
    case SKR_PT_FLAGS:
    case SKR_PT_TIME:
    case SKR_PT_DURATION:
    case SKR_PT_SIGNAL:
        put_fmt(b, "%" PRIu64, v->u);
        return;
    case SKR_PT_STRLIST:
        /* entries joined by a space, the trailing NUL dropped */
        for (uint32_t i = 0; i < v->len; i++)
            skr_put_u8(b, v->ptr[i] ? v->ptr[i] : (i + 1 < v->len ? ' ' : 0));
        if (b->len && v->len && !v->ptr[v->len - 1])
            b->len--;
        return;
    case SKR_PT_SOCKADDR:
        put_sockaddr(b, v->ptr, v->len);
        return;
    case SKR_PT_SOCKTUPLE:
        put_socktuple(b, v->ptr, v->len);
        return;
    default:
        if (pd->wire == SKR_WIRE_BYTES)
            skr_put_raw(b, v->ptr, v->len);
        else if (pd->wire == SKR_WIRE_ZIGZAG)
            put_fmt(b, "%" PRId64, v->s);
        else
            put_fmt(b, "%" PRIu64, v->u);
        return;
    }
}

void fieldarg_render(const struct fld_ctx *ctx, const struct skr_event *ev, int idx,
                     enum fieldarg_style style, struct skr_buf *out)
{
    const struct skr_param_def *pd = &ev->def->params[idx];
    const struct skr_value *v = &ev->params[idx];
    if (style == FA_VALUE) {
        size_t mark = out->len;
        if (put_resolved(ctx, ev, pd, v, out))
            return;
        out->len = mark;
        put_value(pd, v, out);
        return;
    }
    put_value(pd, v, out);
    size_t mark = out->len;
    skr_put_u8(out, '(');
    if (put_resolved(ctx, ev, pd, v, out))
        skr_put_u8(out, ')');
    else
        out->len = mark;
}

uint8_t fieldarg_raw_type(int ptype)
{
    switch (ptype) {
    case SKR_PT_INT:
    case SKR_PT_FD:
    case SKR_PT_PID:
    case SKR_PT_ERRNO:
        return FT_INT;
    case SKR_PT_UINT:
    case SKR_PT_HEX:
    case SKR_PT_UID:
    case SKR_PT_GID:
    case SKR_PT_MODE:
    case SKR_PT_FLAGS:
    case SKR_PT_SIGNAL:
        return FT_UINT;
    case SKR_PT_TIME:
        return FT_ABSTIME;
    case SKR_PT_DURATION:
        return FT_RELTIME;
    case SKR_PT_DATA:
        return FT_BYTES;
    default:
        return FT_STRING;
    }
}

void fieldarg_raw_value(const struct skr_param_def *pd, const struct skr_value *v,
                        uint8_t want, struct fvals *out)
{
    bool is_bytes = pd->wire == SKR_WIRE_BYTES;
    int64_t sv = pd->wire == SKR_WIRE_ZIGZAG ? v->s : (int64_t)v->u;
    uint64_t uv = pd->wire == SKR_WIRE_ZIGZAG ? (uint64_t)v->s : v->u;
    if (out->n >= FVALS_MAX)
        return;
    struct fval *f = &out->v[out->n];
    switch (want) {
    case FT_INT:
        if (is_bytes)
            return;
        *f = (struct fval){ .type = FT_INT, .i = sv };
        break;
    case FT_UINT:
    case FT_ABSTIME:
    case FT_RELTIME:
        if (is_bytes)
            return;
        *f = (struct fval){ .type = want, .u = uv };
        break;
    case FT_BYTES:
    case FT_STRING:
        if (!is_bytes)
            return;
        *f = (struct fval){ .type = want, .s = (const char *)v->ptr, .len = v->len };
        break;
    default:
        return;
    }
    out->n++;
}
