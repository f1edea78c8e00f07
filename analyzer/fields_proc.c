/* fields_proc.c -- the proc.* and thread.* field classes: their table,
 * and what a process is (names, arguments, environment, executable,
 * times). Its place in the process tree (parent, ancestors, session,
 * process group) is in fields_proc_tree.c; thread.*, thread and fd counts
 * in fields_proc_thread.c.
 *
 * Design: every value is read from the replayed state (state.h) at the
 * moment of the event; nothing is cached across events. The thread of the
 * event is se->thread; process-wide values (exe, args, env, cwd, tty, ids
 * of session and group, executable inode) are taken from the process's
 * main thread, because a checkpoint gives them only for the thread group
 * leader (saker-trace(5) §8.1). When the main thread is unknown the
 * thread's own copy is used. Strings built from parts (proc.cmdline, caps)
 * go to the per-event scratch arena; if it has no room the field has no
 * value rather than a truncated one.
 *
 * Semantics follow falcosecurity/libs (sinsp_filtercheck_thread.cpp): the
 * format of cmdline/exeline/args/env, the "oldest shell" rule of
 * proc.loginshellid, capability names in bit order. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "fields_proc_int.h"

/* ---- where values come from ---- */

struct st_thread *fproc_thread(const struct fld_ctx *c)
{
    return c->se ? c->se->thread : NULL;
}

const struct st_thread *fproc_process_of(const struct fld_ctx *c, const struct st_thread *th)
{
    const struct st_thread *p = c->st ? state_process(c->st, th) : NULL;
    /* state.h promises p->pid == th->pid; a trace whose events contradict
     * each other (a tid reused as another process's thread) can leave a
     * thread whose leader's tid now belongs to someone else: then th's own
     * copy is the better answer than another process's. */
    return p && p->pid == th->pid ? p : th;
}

const struct st_thread *fproc_process(const struct fld_ctx *c)
{
    const struct st_thread *th = fproc_thread(c);
    return th ? fproc_process_of(c, th) : NULL;
}

char *fproc_scratch(const struct fld_ctx *c, size_t n)
{
    /* One byte more for a NUL: values carry their length, but a NUL-ended
     * buffer is harmless and makes debugging output safe. */
    char *p = c->scratch && n < SIZE_MAX ? fld_scratch_alloc(c->scratch, n + 1) : NULL;
    if (p)
        p[n] = '\0';
    return p;
}

void fproc_str(struct fvals *o, const char *s)
{
    if (s)
        fvals_str(o, s, strlen(s));
}

void fproc_time(struct fvals *o, uint8_t type, uint64_t ns)
{
    assert(type == FT_ABSTIME || type == FT_RELTIME);
    if (o->n < FVALS_MAX)
        o->v[o->n++] = (struct fval){ .type = type, .u = ns };
}

bool fproc_arg_number(const struct field_ref *r, int64_t *n)
{
    if (!r->has_arg)
        return false;
    if (!r->arg_key) {
        *n = r->arg_index;
        return true;
    }
    /* A field taking an index or a key (proc.aenv[2], proc.aenv[HOME]):
     * a key made of digits only is an index. */
    const char *k = r->arg_key;
    int64_t v = 0;
    if (!*k)
        return false;
    for (; *k; k++) {
        if (*k < '0' || *k > '9' || v > (INT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (*k - '0');
    }
    *n = v;
    return true;
}

/* ---- NUL-separated lists (args, env, cgroups: state.h) ---- */

/* The length of a list without its final terminator. */
static size_t list_body(const char *list, size_t len)
{
    return list && len && list[len - 1] == '\0' ? len - 1 : (list ? len : 0);
}

bool fproc_list_nth(const char *list, size_t len, size_t n, const char **s, size_t *slen)
{
    size_t pos = 0;
    for (size_t i = 0; list && pos < len; i++) {
        const char *e = memchr(list + pos, '\0', len - pos);
        size_t l = e ? (size_t)(e - (list + pos)) : len - pos;
        if (i == n) {
            *s = list + pos;
            *slen = l;
            return true;
        }
        pos += l + 1;
    }
    return false;
}

size_t fproc_list_count(const char *list, size_t len)
{
    size_t n = 0, pos = 0;
    while (list && pos < len) {
        const char *e = memchr(list + pos, '\0', len - pos);
        pos = e ? (size_t)(e - list) + 1 : len;
        n++;
    }
    return n;
}

/* Copies a list to dst with its entries joined by single spaces, as libs
 * joins argv and environ; returns the bytes written. */
static size_t list_join(char *dst, const char *list, size_t len)
{
    size_t n = list_body(list, len);
    if (n)
        memcpy(dst, list, n);
    for (size_t i = 0; i < n; i++)
        if (dst[i] == '\0')
            dst[i] = ' ';
    return n;
}

/* prefix + (prefix && list ? " " : "") + joined list, in scratch. With
 * always_space, the space follows the prefix even with no list (libs's
 * proc.exeline does this). */
static void put_joined(const struct fld_ctx *c, struct fvals *o, const char *prefix,
                       const char *list, size_t len, bool always_space)
{
    size_t plen = prefix ? strlen(prefix) : 0;
    size_t body = list_body(list, len);
    bool space = prefix && (body || always_space);
    size_t total = plen + (space ? 1 : 0) + body;
    char *buf = fproc_scratch(c, total);
    if (!buf)
        return;
    memcpy(buf, prefix ? prefix : "", plen);
    if (space)
        buf[plen] = ' ';
    list_join(buf + plen + (space ? 1 : 0), list, len);
    fvals_str(o, buf, total);
}

void fproc_put_list(const struct fld_ctx *c, struct fvals *o, const char *list, size_t len)
{
    put_joined(c, o, NULL, list, len, false);
}

void fproc_put_cmdline(const struct fld_ctx *c, struct fvals *o, const struct st_thread *th)
{
    /* sysdig 0.29 joins the thread's own arguments (a capture's threads
     * each carry theirs) */
    bool scap = c->ev && c->ev->def && c->ev->def->dir != SKR_DIR_COMBINED;
    const struct st_thread *p = scap ? th : fproc_process_of(c, th);
    /* libs appends " ARG" per argument: an empty argument still adds its space */
    put_joined(c, o, th->comm ? th->comm : "", p->args, p->args_len, p->args_len > 0);
}

void fproc_put_args(const struct fld_ctx *c, struct fvals *o, const struct st_thread *p)
{
    put_joined(c, o, NULL, p->args, p->args_len, false);
}

void fproc_put_env(const struct fld_ctx *c, struct fvals *o, const struct st_thread *p)
{
    put_joined(c, o, NULL, p->env, p->env_len, false);
}

/* The value of NAME in an environment, spaces around it stripped, or ""
 * when absent or empty (libs's get_env). */
bool fproc_env_get(const struct st_thread *p, const char *name, const char **val, size_t *vlen)
{
    size_t nlen = strlen(name);
    const char *s;
    size_t l;
    for (size_t i = 0; fproc_list_nth(p->env, p->env_len, i, &s, &l); i++) {
        if (l <= nlen + 1 || s[nlen] != '=' || memcmp(s, name, nlen) != 0)
            continue;
        size_t a = nlen + 1, b = l;
        while (a < b && s[a] == ' ')
            a++;
        while (b > a && s[b - 1] == ' ')
            b--;
        *val = s + a;
        *vlen = b - a;
        return true;
    }
    *val = "";
    *vlen = 0;
    return false;
}

/* ---- the process itself ---- */

static void x_pid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    if (th)
        fvals_int(o, th->pid);
}

static void x_vpid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    if (th && th->vpid >= 0)
        fvals_int(o, th->vpid);
}

static void x_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    if (th)
        fproc_str(o, th->comm);
}

static void x_exe(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p)
        fproc_str(o, p->exe);
}

static void x_exepath(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p)
        fproc_str(o, p->exepath);
}

static void x_cwd(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p)
        fproc_str(o, p->cwd);
}

static void x_args(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    const struct st_thread *p = fproc_process(c);
    int64_t n;
    if (!p)
        return;
    if (fproc_arg_number(r, &n)) {
        const char *s;
        size_t l;
        if (n >= 0 && fproc_list_nth(p->args, p->args_len, (size_t)n, &s, &l))
            fvals_str(o, s, l);
        return;
    }
    fproc_put_args(c, o, p);
}

static void x_cmdnargs(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p)
        fvals_uint(o, fproc_list_count(p->args, p->args_len));
}

static void x_cmdlenargs(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (!p)
        return;
    /* The bytes of the arguments, without separators. */
    size_t body = list_body(p->args, p->args_len), count = fproc_list_count(p->args, p->args_len);
    fvals_uint(o, count ? body + 1 - count : 0);
}

static void x_cmdline(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    if (th)
        fproc_put_cmdline(c, o, th);
}

static void x_exeline(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p)
        put_joined(c, o, p->exe ? p->exe : "", p->args, p->args_len, true);
}

static void x_env(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    const struct st_thread *p = fproc_process(c);
    if (!p)
        return;
    if (r->has_arg && r->arg_key) {
        const char *v;
        size_t l;
        fproc_env_get(p, r->arg_key, &v, &l);
        fvals_str(o, v, l);
        return;
    }
    fproc_put_env(c, o, p);
}

static void x_tty(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p)
        fvals_uint(o, p->tty);
}

/* ---- times ---- */

static uint64_t event_ts(const struct fld_ctx *c)
{
    return c->ev ? c->ev->ts : 0;
}

/* As libs, the start of the thread of the event (for a main thread, the
 * process). */
static void x_duration(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    uint64_t now = event_ts(c);
    if (th && th->clone_ts && now >= th->clone_ts)
        fproc_time(o, FT_RELTIME, now - th->clone_ts);
}

static void x_pid_ts(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    if (th && th->clone_ts)
        fproc_time(o, FT_RELTIME, th->clone_ts);
}

static void x_ppid_ts(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *pp = fproc_parent(c);
    if (pp && pp->clone_ts)
        fproc_time(o, FT_RELTIME, pp->clone_ts);
}

static void x_ppid_duration(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *pp = fproc_parent(c);
    uint64_t now = event_ts(c);
    if (pp && pp->clone_ts && now >= pp->clone_ts)
        fproc_time(o, FT_RELTIME, now - pp->clone_ts);
}

/* ---- the executable file ---- */

static void x_exe_ino(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p && p->exe_ino) /* inode 0: not known (as libs) */
        fvals_int(o, (int64_t)p->exe_ino);
}

static void x_exe_ctime(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p && p->exe_ino_ctime)
        fproc_time(o, FT_ABSTIME, p->exe_ino_ctime);
}

static void x_exe_mtime(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p && p->exe_ino_mtime)
        fproc_time(o, FT_ABSTIME, p->exe_ino_mtime);
}

/* How long after the executable's inode last changed this process was
 * started from it: small values mean "dropped and run". */
static void x_exe_ctime_proc(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p && p->exe_ino_ctime && p->clone_ts > p->exe_ino_ctime)
        fproc_time(o, FT_ABSTIME, p->clone_ts - p->exe_ino_ctime);
}

/* Needs the start of the pid namespace, which traces do not record. */
static void x_never(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    (void)c;
    (void)o;
}

static void exe_flag(const struct fld_ctx *c, struct fvals *o, uint32_t flag)
{
    const struct st_thread *p = fproc_process(c);
    if (p)
        fvals_bool(o, (p->exe_flags & flag) != 0);
}

static void x_exe_writable(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    exe_flag(c, o, ST_EXE_WRITABLE);
}

static void x_exe_upper(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    exe_flag(c, o, ST_EXE_UPPER_LAYER);
}

static void x_exe_lower(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    exe_flag(c, o, ST_EXE_LOWER_LAYER);
}

static void x_exe_memfd(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    exe_flag(c, o, ST_EXE_FROM_MEMFD);
}

/* Health probes are recognized by asking the container runtime for the
 * container's probe commands; offline there is no runtime, so a process is
 * never known to be one. */
static void x_false(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    if (fproc_thread(c))
        fvals_bool(o, false);
}

/* ---- the table ---- */

#define ANC (FF_ARG_ALLOWED | FF_ARG_INDEX | FF_NO_RHS | FF_LIST)

const struct field_def fields_proc[] = {
    { "proc.pid", FT_INT, "INT64", 0, "id of the process of the event", x_pid },
    { "proc.exe", FT_STRING, "CHARBUF", 0, "argv[0] of the process as it was started", x_exe },
    { "proc.name", FT_STRING, "CHARBUF", 0, "the kernel's name of the thread (comm, at most 15 characters)", x_name },
    { "proc.args", FT_STRING, "CHARBUF", FF_ARG_ALLOWED | FF_ARG_INDEX,
      "arguments after argv[0] joined by spaces, or argument N (from 0)", x_args },
    { "proc.cmdnargs", FT_UINT, "UINT64", 0, "how many arguments follow argv[0]", x_cmdnargs },
    { "proc.cmdlenargs", FT_UINT, "UINT64", 0, "total length of the arguments after argv[0], separators not counted", x_cmdlenargs },
    { "proc.env", FT_STRING, "CHARBUF", FF_ARG_ALLOWED | FF_ARG_KEY,
      "environment as NAME=value entries joined by spaces, or the value of variable KEY", x_env },
    { "proc.aenv", FT_STRING, "CHARBUF", FF_ARG_ALLOWED | FF_ARG_KEY | FF_ARG_INDEX | FF_NO_RHS,
      "proc.env of ancestor N, or variable KEY of the nearest ancestor that sets it", fproc_x_aenv },
    { "proc.cmdline", FT_STRING, "CHARBUF", 0, "proc.name and the arguments, joined by spaces", x_cmdline },
    { "proc.exeline", FT_STRING, "CHARBUF", 0, "proc.exe and the arguments, joined by spaces", x_exeline },
    { "proc.cwd", FT_STRING, "CHARBUF", 0, "current working directory of the process", x_cwd },
    { "proc.nthreads", FT_UINT, "UINT64", 0, "live threads of the process, main thread included", fproc_x_nthreads },
    { "proc.nchilds", FT_UINT, "UINT64", 0, "live threads of the process other than the main thread", fproc_x_nchilds },
    { "proc.ppid", FT_INT, "INT64", 0, "id of the parent process", fproc_x_ppid },
    { "proc.pname", FT_STRING, "CHARBUF", 0, "proc.name of the parent process", fproc_x_pname },
    { "proc.pcmdline", FT_STRING, "CHARBUF", 0, "proc.cmdline of the parent process", fproc_x_pcmdline },
    { "proc.pexe", FT_STRING, "CHARBUF", 0, "proc.exe of the parent process", fproc_x_pexe },
    { "proc.pexepath", FT_STRING, "CHARBUF", 0, "proc.exepath of the parent process", fproc_x_pexepath },
    { "proc.pvpid", FT_INT, "INT64", 0, "id of the parent process in its own pid namespace", fproc_x_pvpid },
    { "proc.apid", FT_INT, "INT64", ANC,
      "pid of ancestor N (0 the process, 1 its parent...); without N, of every ancestor", fproc_x_apid },
    { "proc.aname", FT_STRING, "CHARBUF", ANC,
      "proc.name of ancestor N (0 the process, 1 its parent...); without N, of every ancestor", fproc_x_aname },
    { "proc.aexe", FT_STRING, "CHARBUF", ANC,
      "proc.exe of ancestor N; without N, of every ancestor", fproc_x_aexe },
    { "proc.aexepath", FT_STRING, "CHARBUF", ANC,
      "proc.exepath of ancestor N; without N, of every ancestor", fproc_x_aexepath },
    { "proc.acmdline", FT_STRING, "CHARBUF", ANC,
      "proc.cmdline of ancestor N; without N, of every ancestor", fproc_x_acmdline },
    { "proc.aargs", FT_STRING, "CHARBUF", FF_ARG_ALLOWED | FF_ARG_INDEX | FF_LIST,
      "proc.args of ancestor N; without N, of every ancestor", fproc_x_aargs },
    { "proc.loginshellid", FT_INT, "INT64", 0,
      "pid of the oldest shell (a name ending in \"sh\") among the process and its ancestors", fproc_x_loginshellid },
    { "proc.duration", FT_RELTIME, "RELTIME", 0, "ns since the thread of the event (for a main thread, the process) started", x_duration },
    { "proc.ppid.duration", FT_RELTIME, "RELTIME", 0, "ns since the parent process started", x_ppid_duration },
    { "proc.pid.ts", FT_RELTIME, "RELTIME", 0, "when the thread of the event started, ns since the epoch", x_pid_ts },
    { "proc.ppid.ts", FT_RELTIME, "RELTIME", 0, "when the parent process started, ns since the epoch", x_ppid_ts },
    { "proc.fdopencount", FT_UINT, "UINT64", 0, "open file descriptors of the process", fproc_x_fdopencount },
    { "proc.fdlimit", FT_INT, "INT64", 0, "fd limit of the process (not recorded: never has a value)", x_never },
    { "proc.vpid", FT_INT, "INT64", 0, "id of the process in its own pid namespace", x_vpid },
    { "proc.sid", FT_INT, "INT64", 0, "session id of the process", fproc_x_sid },
    { "proc.sname", FT_STRING, "CHARBUF", 0, "proc.name of the session leader", fproc_x_sname },
    { "proc.sid.exe", FT_STRING, "CHARBUF", 0, "proc.exe of the session leader", fproc_x_sid_exe },
    { "proc.sid.exepath", FT_STRING, "CHARBUF", 0, "proc.exepath of the session leader", fproc_x_sid_exepath },
    { "proc.is_sid_leader", FT_BOOL, "BOOL", 0, "true if the process leads its session (proc.sid = proc.vpid)", fproc_x_is_sid_leader },
    { "proc.pgid", FT_INT, "INT64", 0, "process group id, as the host sees it", fproc_x_pgid },
    { "proc.pgid.name", FT_STRING, "CHARBUF", 0, "proc.name of the process group leader", fproc_x_pgid_name },
    { "proc.pgid.exe", FT_STRING, "CHARBUF", 0, "proc.exe of the process group leader", fproc_x_pgid_exe },
    { "proc.pgid.exepath", FT_STRING, "CHARBUF", 0, "proc.exepath of the process group leader", fproc_x_pgid_exepath },
    { "proc.is_pgid_leader", FT_BOOL, "BOOL", 0, "true if the process leads its process group (proc.pgid = proc.pid)", fproc_x_is_pgid_leader },
    { "proc.vpgid", FT_INT, "INT64", 0, "process group id in the process's pid namespace", fproc_x_vpgid },
    { "proc.vpgid.name", FT_STRING, "CHARBUF", 0, "proc.name of the process group leader (by proc.vpgid)", fproc_x_vpgid_name },
    { "proc.vpgid.exe", FT_STRING, "CHARBUF", 0, "proc.exe of the process group leader (by proc.vpgid)", fproc_x_vpgid_exe },
    { "proc.vpgid.exepath", FT_STRING, "CHARBUF", 0, "proc.exepath of the process group leader (by proc.vpgid)", fproc_x_vpgid_exepath },
    { "proc.is_vpgid_leader", FT_BOOL, "BOOL", 0, "true if the process leads its process group (proc.vpgid = proc.vpid)", fproc_x_is_vpgid_leader },
    { "proc.tty", FT_UINT, "UINT32", 0, "controlling terminal as the kernel numbers it, 0 for none", x_tty },
    { "proc.exepath", FT_STRING, "CHARBUF", 0, "full path of the executable file", x_exepath },
    { "proc.exe_ino", FT_INT, "INT64", 0, "inode number of the executable file", x_exe_ino },
    { "proc.exe_ino.ctime", FT_ABSTIME, "ABSTIME", 0, "last status change of the executable file, ns since the epoch", x_exe_ctime },
    { "proc.exe_ino.mtime", FT_ABSTIME, "ABSTIME", 0, "last modification of the executable file, ns since the epoch", x_exe_mtime },
    { "proc.exe_ino.ctime_duration_proc_start", FT_ABSTIME, "ABSTIME", 0,
      "ns from the executable file's last status change to the start of the process", x_exe_ctime_proc },
    { "proc.exe_ino.ctime_duration_pidns_start", FT_ABSTIME, "ABSTIME", 0,
      "ns from the pid namespace's start to the executable's ctime (not recorded: never has a value)", x_never },
    { "proc.is_exe_writable", FT_BOOL, "BOOL", 0, "true if the user running the process can write its executable", x_exe_writable },
    { "proc.is_exe_upper_layer", FT_BOOL, "BOOL", 0, "true if the executable is in the upper layer of an overlayfs", x_exe_upper },
    { "proc.is_exe_lower_layer", FT_BOOL, "BOOL", 0, "true if the executable is in a lower layer of an overlayfs", x_exe_lower },
    { "proc.is_exe_from_memfd", FT_BOOL, "BOOL", 0, "true if the executable is an anonymous memfd file", x_exe_memfd },
    { "proc.is_container_healthcheck", FT_BOOL, "BOOL", FF_DEPRECATED,
      "true for a container health check (needs the runtime: false offline)", x_false },
    { "proc.is_container_liveness_probe", FT_BOOL, "BOOL", FF_DEPRECATED,
      "true for a Kubernetes liveness probe (needs the runtime: false offline)", x_false },
    { "proc.is_container_readiness_probe", FT_BOOL, "BOOL", FF_DEPRECATED,
      "true for a Kubernetes readiness probe (needs the runtime: false offline)", x_false },
    { "proc.stdin.type", FT_STRING, "CHARBUF", 0, "fd.type of descriptor 0 of the process", fproc_x_stdin_type },
    { "proc.stdin.name", FT_STRING, "CHARBUF", 0, "fd.name of descriptor 0 of the process", fproc_x_stdin_name },
    { "proc.stdout.type", FT_STRING, "CHARBUF", 0, "fd.type of descriptor 1 of the process", fproc_x_stdout_type },
    { "proc.stdout.name", FT_STRING, "CHARBUF", 0, "fd.name of descriptor 1 of the process", fproc_x_stdout_name },
    { "proc.stderr.type", FT_STRING, "CHARBUF", 0, "fd.type of descriptor 2 of the process", fproc_x_stderr_type },
    { "proc.stderr.name", FT_STRING, "CHARBUF", 0, "fd.name of descriptor 2 of the process", fproc_x_stderr_name },
    { "thread.tid", FT_INT, "INT64", 0, "id of the thread of the event", fproc_x_tid },
    { "thread.vtid", FT_INT, "INT64", 0, "id of the thread in its own pid namespace", fproc_x_vtid },
    { "thread.ismain", FT_BOOL, "BOOL", 0, "true if the thread is its process's main thread", fproc_x_ismain },
    { "thread.cap_permitted", FT_STRING, "CHARBUF", 0, "permitted capabilities, as names joined by spaces", fproc_x_cap_permitted },
    { "thread.cap_effective", FT_STRING, "CHARBUF", 0, "effective capabilities, as names joined by spaces", fproc_x_cap_effective },
    { "thread.cap_inheritable", FT_STRING, "CHARBUF", 0, "inheritable capabilities, as names joined by spaces", fproc_x_cap_inheritable },
    { "thread.exectime", FT_RELTIME, "RELTIME", 0, "CPU time of the last scheduled thread (needs switch events: always 0)", fproc_x_exectime },
    { "thread.cgroups", FT_STRING, "CHARBUF", 0, "every cgroup of the thread as controllers=path, joined by spaces", fproc_x_cgroups },
    { "thread.cgroup", FT_STRING, "CHARBUF", FF_ARG_REQUIRED | FF_ARG_KEY | FF_ARG_DOT,
      "thread.cgroup.SUBSYS: the thread's cgroup path for one controller, e.g. thread.cgroup.cpu", fproc_x_cgroup },
};
const size_t fields_proc_count = sizeof fields_proc / sizeof fields_proc[0];
