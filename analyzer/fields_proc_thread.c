/* fields_proc_thread.c -- the thread.* field class, and the proc.* fields
 * that count what a process holds: its live threads (proc.nthreads,
 * proc.nchilds) and open fds (proc.fdopencount, proc.stdin.* and the other
 * standard descriptors). The table is in fields_proc.c.
 *
 * Capability names are listed in bit order, as libs's caps_to_string
 * prints them; thread.cgroup.SUBSYS matches one controller of a
 * "controllers=path" entry (state.h). */
#include <string.h>

#include "fields_int.h"
#include "fields_proc_int.h"

/* ---- the threads and fds of the process ---- */

struct count_ctx {
    int64_t pid;
    uint64_t all, leaders;
};

static void count_thread(void *arg, struct st_thread *th)
{
    struct count_ctx *cc = arg;
    if (th->pid != cc->pid || (th->flags & ST_TH_DEAD))
        return;
    cc->all++;
    if (th->tid == th->pid)
        cc->leaders++;
}

/* Walks every thread: fine for a field rules rarely use; a per-process
 * counter in the state would be the fix if it ever shows in a profile. */
static bool count_threads(const struct fld_ctx *c, struct count_ctx *cc)
{
    const struct st_thread *th = fproc_thread(c);
    if (!th || !c->st)
        return false;
    *cc = (struct count_ctx){ .pid = th->pid };
    state_foreach_thread(c->st, count_thread, cc);
    return true;
}

void fproc_x_nthreads(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    struct count_ctx cc;
    if (count_threads(c, &cc))
        fvals_uint(o, cc.all);
}

void fproc_x_nchilds(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    struct count_ctx cc;
    if (count_threads(c, &cc))
        fvals_uint(o, cc.all - cc.leaders);
}

void fproc_x_fdopencount(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    if (th && c->st)
        fvals_uint(o, state_nfds(c->st, th));
}

static const struct st_fd *std_fd(const struct fld_ctx *c, int64_t num)
{
    const struct st_thread *th = fproc_thread(c);
    return th && c->st ? state_fd(c->st, th, num) : NULL;
}

static void std_type(const struct fld_ctx *c, struct fvals *o, int64_t num)
{
    const struct st_fd *fd = std_fd(c, num);
    if (fd) {
        /* libs's type strings (fields_fd.c); an unknown type has no value */
        const char *t = fieldfd_type_name(fd->type);
        fproc_str(o, strcmp(t, "unknown") ? t : NULL);
    }
}

static void std_name(const struct fld_ctx *c, struct fvals *o, int64_t num)
{
    const struct st_fd *fd = std_fd(c, num);
    if (fd)
        fproc_str(o, fd->name);
}

void fproc_x_stdin_type(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    std_type(c, o, 0);
}

void fproc_x_stdout_type(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    std_type(c, o, 1);
}

void fproc_x_stderr_type(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    std_type(c, o, 2);
}

void fproc_x_stdin_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    std_name(c, o, 0);
}

void fproc_x_stdout_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    std_name(c, o, 1);
}

void fproc_x_stderr_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    std_name(c, o, 2);
}

/* ---- thread.* ---- */

void fproc_x_tid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    /* As libs: the event's tid, known even without a thread. */
    const struct st_thread *th = fproc_thread(c);
    if (c->ev)
        fvals_int(o, c->ev->tid);
    else if (th)
        fvals_int(o, th->tid);
}

void fproc_x_vtid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    if (th && th->vtid >= 0)
        fvals_int(o, th->vtid);
}

void fproc_x_ismain(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    if (th)
        fvals_bool(o, th->tid == th->pid);
}

/* Capability names by bit number (linux/capability.h), as libs prints
 * them. */
static const char *const cap_names[] = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
    "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
    "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
    "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
    "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};
#define NCAPS (sizeof cap_names / sizeof cap_names[0])

/* "CAP_CHOWN CAP_KILL": the names of the set bits, in bit order; bits
 * with no name (newer kernels) are left out, as libs does. */
size_t fproc_caps_format(uint64_t caps, char *buf, size_t len)
{
    size_t n = 0;
    if (len)
        buf[0] = '\0';
    for (size_t i = 0; i < NCAPS; i++) {
        if (!(caps & (1ull << i)))
            continue;
        size_t l = strlen(cap_names[i]) + (n ? 1 : 0);
        if (n + l >= len)
            break;
        memcpy(buf + n, n ? " " : "", n ? 1 : 0);
        memcpy(buf + n + (n ? 1 : 0), cap_names[i], l - (n ? 1 : 0));
        n += l;
        buf[n] = '\0';
    }
    return n;
}

static void put_caps(const struct fld_ctx *c, struct fvals *o, uint64_t caps)
{
    char tmp[1024]; /* 41 names of at most 22 bytes */
    size_t n = fproc_caps_format(caps, tmp, sizeof tmp);
    char *buf = fproc_scratch(c, n);
    if (!buf)
        return;
    memcpy(buf, tmp, n);
    fvals_str(o, buf, n);
}

void fproc_x_cap_permitted(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    if (th)
        put_caps(c, o, th->cap_permitted);
}

void fproc_x_cap_effective(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    if (th)
        put_caps(c, o, th->cap_effective);
}

void fproc_x_cap_inheritable(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    if (th)
        put_caps(c, o, th->cap_inheritable);
}

/* libs measures it between scheduler switch events, which saker does not
 * record: 0 on every other event, as libs gives. */
void fproc_x_exectime(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    (void)c;
    fproc_time(o, FT_RELTIME, 0);
}

void fproc_x_cgroups(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p && p->cgroups_len)
        fproc_put_list(c, o, p->cgroups, p->cgroups_len);
}

/* thread.cgroup.SUBSYS: the path of the hierarchy whose controller list
 * ("cpu,cpuacct") names SUBSYS. Entries are "controllers=path"; the last
 * '=' before the path splits them ("name=systemd=/x" has two). */
void fproc_x_cgroup(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    const struct st_thread *p = fproc_process(c);
    const char *want = r->arg_key;
    if (!p || !want)
        return;
    size_t wl = strlen(want);
    const char *s;
    size_t l;
    for (size_t i = 0; fproc_list_nth(p->cgroups, p->cgroups_len, i, &s, &l); i++) {
        const char *slash = memchr(s, '/', l);
        size_t upto = slash ? (size_t)(slash - s) : l;
        size_t eq = upto;
        while (eq > 0 && s[eq - 1] != '=')
            eq--;
        if (eq == 0)
            continue;
        size_t ctl_len = eq - 1;
        /* match one comma-separated controller */
        for (size_t a = 0; a <= ctl_len;) {
            const char *comma = memchr(s + a, ',', ctl_len - a);
            size_t b = comma ? (size_t)(comma - s) : ctl_len;
            if (b - a == wl && memcmp(s + a, want, wl) == 0) {
                fvals_str(o, s + eq, l - eq);
                return;
            }
            a = b + 1;
        }
    }
}
