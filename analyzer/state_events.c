/* state_events.c -- which handler an event name gets, how handlers read
 * parameters by name, and the handlers of process events: the clone
 * family, exec, procexit, chdir/fchdir/chroot, credentials, capset, prctl.
 * (fd events are state_events_fd.c's.)
 *
 * Clone, as saker records it (capture/record_proc.bpf.h): the parent's
 * event (res = child tid) carries the raw clone(2) flags in "flags" and
 * the parent's own ids; the child's event (res 0) carries the child's ids
 * (tid, pid = its tgid, ptid = its parent process) but no flags. Either
 * may come first, so whichever does makes the child and marks it waiting
 * for the other (STI_WAIT_*); the other then only completes it. An
 * existing thread that is not waiting is an earlier thread whose tid was
 * reused: it is removed and the child replaces it. fork's and vfork's
 * "flags" are whatever the first argument register held and are ignored;
 * clone3's "flags" is its first argument, a pointer to struct clone_args,
 * so a value with bits above CLONE_INTO_CGROUP (1 << 33) is taken as
 * unknown and the child's own event decides thread or process (pid ==
 * tid). Without CLONE_FILES known, a process child gets a copy of the
 * parent's fds (libsinsp does the same in parse_clone_exit_caller). */
#include <stdlib.h>
#include <string.h>

#include "state_int.h"

#define CLONE_VM_ 0x100u           /* include/uapi/linux/sched.h */
#define CLONE_FILES_ 0x400u
#define CLONE_VFORK_ 0x4000u
#define CLONE_THREAD_ 0x10000u
#define PR_SET_NAME_ 15            /* include/uapi/linux/prctl.h */
#define PR_SET_CHILD_SUBREAPER_ 36

const char *const st_pnames[SP_COUNT] = {
    "res", "fd", "dirfd", "name", "flags", "mode", "dev", "ino", "exe", "args",
    "tid", "pid", "ptid", "cwd", "comm", "cgroups", "env", "tty", "vpgid",
    "loginuid", "cap_inheritable", "cap_permitted", "cap_effective", "exe_ino",
    "exe_ino_ctime", "exe_ino_mtime", "uid", "gid", "trusted_exepath", "pgid",
    "vtid", "vpid", "filename", "pathname", "oldfd", "newfd", "cmd", "arg",
    "fd1", "fd2", "tuple", "addr", "path", "oldpath", "newpath", "olddirfd",
    "newdirfd", "reaper_tid", "euid", "ruid", "egid", "rgid", "option", "domain",
    "type", "proto", "source", "peer", "arg2_str", "arg2_int",
};

bool st_arg_b(const struct st_call *c, enum st_pname p, const uint8_t **ptr, size_t *len)
{
    const struct skr_value *x = st_arg(c, p);
    if (!x)
        return false;
    *ptr = x->ptr ? x->ptr : (const uint8_t *)"";
    *len = x->ptr ? x->len : 0;
    return true;
}

/* A string parameter into *dst when present and not empty. */
static void take_str(const struct st_call *c, enum st_pname p, char **dst)
{
    const uint8_t *s;
    size_t n;
    if (st_arg_b(c, p, &s, &n) && n)
        st_set_str(dst, s, strnlen((const char *)s, n));
}

static void take_blob(const struct st_call *c, enum st_pname p, char **dst, size_t *dlen)
{
    const uint8_t *s;
    size_t n;
    if (st_arg_b(c, p, &s, &n) && n)
        st_set_blob(dst, dlen, s, n);
}

static void take_u32(const struct st_call *c, enum st_pname p, uint32_t *dst)
{
    uint64_t u;
    if (st_arg_u(c, p, &u))
        *dst = (uint32_t)u;
}

/* The cgroups of the event, and the container they name. */
static void take_cgroups(struct st_call *c, struct st_thr *t)
{
    const uint8_t *s;
    size_t n;
    if (!st_arg_b(c, SP_CGROUPS, &s, &n) || !n)
        return;
    st_set_blob(&t->pub.cgroups, &t->pub.cgroups_len, s, n);
    char cid[16];
    st_container_of_cgroups(t->pub.cgroups, t->pub.cgroups_len, cid);
    st_set_str(&t->pub.container_id, cid, strlen(cid));
    if (*cid)
        st_container_get(c->st, cid, true);
}

/* Linux CLONE_* flags of the event; false when they cannot be known. */
static bool clone_flags(const struct st_call *c, uint32_t *flags)
{
    const char *name = c->ev->def->name;
    uint64_t raw = 0;
    *flags = 0;
    if (!strcmp(name, "fork"))
        return true;
    if (!strcmp(name, "vfork")) {
        *flags = CLONE_VM_ | CLONE_VFORK_;
        return true;
    }
    if (!st_arg_u(c, SP_FLAGS, &raw))
        return false;
    if (!c->combined) {
        /* PPM_CL_CLONE_FILES 1 << 0, THREAD 1 << 13, VFORK 1 << 27 */
        *flags = (raw & 1 ? CLONE_FILES_ : 0) | (raw & (1u << 13) ? CLONE_THREAD_ : 0) |
                 (raw & (1u << 27) ? CLONE_VFORK_ : 0);
        return true;
    }
    if (raw >> 34)
        return false;
    *flags = (uint32_t)raw;
    return true;
}

/* Makes t share the fd table of main (a thread, or a CLONE_FILES child). */
static void share_fds(struct st_thr *t, struct st_thread *with)
{
    if (!with || t->pub.fds == with->fds)
        return;
    st_fdt_unref(t->pub.fds);
    t->pub.fds = with->fds;
    st_fdt_ref(t->pub.fds);
}

static void copy_fds(struct state *st, struct st_thr *t, const struct st_thread *from)
{
    struct st_fdtable *n = st_fdt_copy(st, from ? from->fds : NULL);
    /* out of memory: at least not the caller's table (the child's own
     * starts shared with it, st_thread_new) */
    if (!n && t->pub.fds == (from ? from->fds : NULL))
        n = st_fdt_new();
    if (!n)
        return;
    st_fdt_unref(t->pub.fds);
    t->pub.fds = n;
}

static void clone_parent(struct st_call *c, int64_t child)
{
    struct state *st = c->st;
    struct st_thr *caller = c->th;
    if (!caller || child == caller->pub.tid)
        return; /* a thread cannot be its own child: corrupt */
    /* A caller inside a pid namespace gets the child's id in that
     * namespace: libsinsp then leaves the child to its own clone event. */
    if (!c->combined && caller->pub.vtid > 0 && caller->pub.vtid != caller->pub.tid)
        return;
    uint32_t flags;
    bool known = clone_flags(c, &flags);
    int64_t v;
    if (caller->pub.flags & ST_TH_INCOMPLETE) {
        /* what the event says of the caller itself */
        if (st_arg_s(c, SP_PID, &v) && v > 0)
            st_thread_set_pid(st, caller, v);
        if (st_arg_s(c, SP_PTID, &v))
            st_thread_set_ppid(st, caller, v);
        take_str(c, SP_EXE, &caller->pub.exe);
        take_blob(c, SP_ARGS, &caller->pub.args, &caller->pub.args_len);
        take_str(c, SP_COMM, &caller->pub.comm);
        const uint8_t *p;
        size_t n;
        if (st_arg_b(c, SP_CWD, &p, &n) && n)
            st_set_dir(&caller->pub.cwd, NULL, p, n);
        caller->pub.flags &= ~(uint32_t)ST_TH_INCOMPLETE;
    }
    struct st_thr *t = st_hash_get(&st->threads, child);
    if (t && (t->iflags & STI_WAIT_PARENT)) {
        t->iflags &= ~(uint32_t)STI_WAIT_PARENT;
        if (known && (flags & CLONE_FILES_) && !(flags & CLONE_THREAD_))
            share_fds(t, &caller->pub);
        if (known && (flags & CLONE_VFORK_))
            t->pub.flags |= ST_TH_VFORK_CHILD;
        return;
    }
    for (unsigned i = 0; i < 32; i++)
        if (st->gone_children[i] == child) {
            /* the child came and went before this event: nothing to make */
            st->gone_children[i] = 0;
            return;
        }
    if (t)
        st_thread_purge(st, t); /* pid reuse */
    bool thread = known && (flags & CLONE_THREAD_);
    t = st_thread_new(st, child, thread ? caller->pub.pid : child, &caller->pub);
    if (!t)
        return;
    take_str(c, SP_COMM, &t->pub.comm);
    st_thread_set_ppid(st, t, thread ? caller->pub.ppid : caller->pub.pid);
    if (thread || (flags & CLONE_FILES_))
        share_fds(t, &caller->pub);
    else
        copy_fds(st, t, &caller->pub);
    if (caller->pub.vtid == caller->pub.tid) {
        /* the caller is in the initial pid namespace, so is the child */
        t->pub.vtid = child;
        t->pub.vpid = t->pub.pid;
    }
    if (!thread)
        t->pub.exec_ts = 0;
    t->pub.clone_ts = c->ev->ts;
    if (flags & CLONE_VFORK_)
        t->pub.flags |= ST_TH_VFORK_CHILD;
    t->iflags |= STI_WAIT_CHILD;
}

/* A capture's thread whose process's main thread is unknown: libsinsp
 * looks the main thread up "from /proc", which a capture cannot, and keeps
 * a stand-in (no name, no parent) that the process-wide fields then read. */
static struct st_thr *stub_main(struct state *st, int64_t pid)
{
    struct st_thr *m = st_thread_new(st, pid, pid, NULL);
    if (m) {
        m->pub.flags |= ST_TH_INCOMPLETE;
        st_set_str(&m->pub.comm, "<NA>", 4);
        st_set_str(&m->pub.exe, "<NA>", 4);
    }
    return m;
}

/* The child's own event: its ids as the kernel saw them. */
static void clone_child(struct st_call *c)
{
    struct state *st = c->st;
    int64_t tid = c->ev->tid, pid = tid, ptid = -1, v;
    st_arg_s(c, SP_PID, &pid);
    st_arg_s(c, SP_PTID, &ptid);
    if (pid <= 0)
        pid = tid;
    uint32_t flags = 0;
    bool known = clone_flags(c, &flags) && !c->combined;
    struct st_thr *t = c->th;
    bool by_parent = t && (t->iflags & STI_WAIT_CHILD);
    if (by_parent) {
        t->iflags &= ~(uint32_t)STI_WAIT_CHILD;
        if (t->pub.pid != pid) {
            /* the parent's flags were unknown and guessed wrong */
            st_thread_set_pid(st, t, pid);
            struct st_thr *m = st_hash_get(&st->threads, pid);
            if (m && m != t)
                share_fds(t, &m->pub);
        }
    } else {
        bool fill = t && (t->pub.flags & ST_TH_INCOMPLETE);
        if (t && !fill)
            st_thread_purge(st, t); /* pid reuse */
        if (!fill && !(t = st_thread_new(st, tid, pid, NULL)))
            return;
        if (fill)
            st_thread_set_pid(st, t, pid);
        t->iflags |= STI_PINNED;
        c->th = t;
        /* what the child inherits: from its process (a thread) or its
         * parent process (a new process) */
        struct st_thr *from = st_hash_get(&st->threads, pid != tid ? pid : ptid);
        if (from == t)
            from = NULL;
        if (!from && pid != tid && !c->combined)
            from = stub_main(st, pid);
        if (from)
            st_thread_copy_proc(t, &from->pub);
        if (pid != tid || (known && (flags & CLONE_FILES_)))
            share_fds(t, from ? &from->pub : NULL);
        else if (from)
            copy_fds(st, t, &from->pub);
        t->pub.exec_ts = pid != tid && from ? from->pub.exec_ts : 0;
        t->pub.clone_ts = c->ev->ts;
        t->pub.flags &= ~(uint32_t)ST_TH_INCOMPLETE;
        t->iflags |= STI_WAIT_PARENT;
    }
    /* libsinsp keeps the parent its caller's clone event gave the child
     * (the caller, even under CLONE_PARENT) */
    if (ptid > 0 && !(by_parent && !c->combined))
        st_thread_set_ppid(st, t, ptid);
    if (st_arg_s(c, SP_VTID, &v) && v > 0)
        t->pub.vtid = v;
    if (st_arg_s(c, SP_VPID, &v) && v > 0)
        t->pub.vpid = v;
    take_str(c, SP_EXE, &t->pub.exe);
    take_blob(c, SP_ARGS, &t->pub.args, &t->pub.args_len);
    take_str(c, SP_COMM, &t->pub.comm);
    take_u32(c, SP_UID, &t->pub.uid);
    take_u32(c, SP_GID, &t->pub.gid);
    const uint8_t *p;
    size_t n;
    /* libsinsp gives a clone child its parent's cwd, whatever a capture's
     * clone event says (older drivers leave the parameter empty). */
    if (c->combined && st_arg_b(c, SP_CWD, &p, &n) && n)
        st_set_dir(&t->pub.cwd, NULL, p, n);
    take_cgroups(c, t);
    if (known && (flags & CLONE_VFORK_))
        t->pub.flags |= ST_TH_VFORK_CHILD;
}

static void h_clone(struct st_call *c)
{
    int64_t res = -1;
    if (!st_arg_s(c, SP_RES, &res) || res < 0)
        return;
    if (res > 0)
        clone_parent(c, res);
    else
        clone_child(c);
}

/* The executable's full path when the event has no trusted_exepath
 * (libsinsp parse_execve_exit: the filename against cwd or dirfd). */
static void exepath_from_filename(struct st_call *c, struct st_thr *t)
{
    const uint8_t *p;
    size_t n;
    int64_t dirfd = -100;
    const char *dir = t->pub.cwd;
    if (!(st_arg_b(c, SP_FILENAME, &p, &n) && n) && !(st_arg_b(c, SP_PATHNAME, &p, &n) && n))
        return;
    if (st_arg_s(c, SP_DIRFD, &dirfd) && dirfd != -100) {
        struct st_fdi *d = st_fd_get(t->pub.fds, dirfd);
        dir = d ? d->pub.name : NULL;
    }
    if (p[0] != '/' && (!dir || dir[0] != '/'))
        return;
    char *full = st_path_join(dir, p, n);
    if (full) {
        st_str_free(t->pub.exepath);
        t->pub.exepath = full;
    }
}

static void h_exec(struct st_call *c)
{
    struct state *st = c->st;
    struct st_thr *t = c->th;
    int64_t res = -1, v;
    uint64_t u;
    if (!t || !st_arg_s(c, SP_RES, &res) || res < 0)
        return;
    if (st_arg_s(c, SP_PID, &v) && v > 0)
        st_thread_set_pid(st, t, v);
    if (st_arg_s(c, SP_PTID, &v) && v > 0 && (t->pub.flags & ST_TH_INCOMPLETE))
        st_thread_set_ppid(st, t, v);
    /* fs/exec.c de_thread: the other threads are gone, the exec'ing one
     * is the leader; unshare_files: the fd table is the process's own. */
    st_thread_drop_others(st, t);
    if (t->pub.fds && t->pub.fds->refs > 1)
        copy_fds(st, t, &t->pub);
    t->pub.flags &= ~(uint32_t)(ST_TH_DEAD | ST_TH_INCOMPLETE | ST_TH_VFORK_CHILD);
    if (st->remove_tid == t->pub.tid)
        st->remove_tid = -1;
    take_str(c, SP_EXE, &t->pub.exe);
    st_set_blob(&t->pub.args, &t->pub.args_len, NULL, 0);
    take_blob(c, SP_ARGS, &t->pub.args, &t->pub.args_len);
    const uint8_t *p;
    size_t n;
    if (st_arg_b(c, SP_COMM, &p, &n) && n)
        st_set_str(&t->pub.comm, p, strnlen((const char *)p, n));
    else
        st_set_str(&t->pub.comm, t->pub.exe, strlen(t->pub.exe));
    /* libsinsp keeps the cwd the thread had over an exec (the exec event's
     * cwd parameter is not read), so a capture's thread first seen at its
     * exec has none. */
    if (c->combined && st_arg_b(c, SP_CWD, &p, &n) && n)
        st_set_dir(&t->pub.cwd, NULL, p, n);
    take_blob(c, SP_ENV, &t->pub.env, &t->pub.env_len);
    take_cgroups(c, t);
    take_u32(c, SP_TTY, &t->pub.tty);
    take_u32(c, SP_LOGINUID, &t->pub.loginuid);
    /* newer libsinsp (sysdig 0.36) sets the uid at exec but keeps the user
     * record it had: remember whose name user.name still shows */
    if (!c->combined && !t->pub.user_stale) {
        t->pub.user_stale = true;
        t->pub.stale_uid = t->pub.euid != 0xffffffffu ? t->pub.euid : t->pub.uid;
    }
    take_u32(c, SP_UID, &t->pub.uid);
    take_u32(c, SP_GID, &t->pub.gid);
    if (t->pub.euid == 0xffffffffu)
        t->pub.euid = t->pub.uid;
    if (t->pub.egid == 0xffffffffu)
        t->pub.egid = t->pub.gid;
    if (st_arg_s(c, SP_VPGID, &v))
        t->pub.vpgid = v;
    if (st_arg_s(c, SP_PGID, &v))
        t->pub.pgid = v;
    if (st_arg_u(c, SP_CAPE, &u)) {
        t->pub.cap_effective = u;
        st_arg_u(c, SP_CAPP, &t->pub.cap_permitted);
        st_arg_u(c, SP_CAPI, &t->pub.cap_inheritable);
    }
    if (st_arg_u(c, SP_EXE_INO, &u) && u) {
        t->pub.exe_ino = u;
        st_arg_u(c, SP_EXE_CTIME, &t->pub.exe_ino_ctime);
        st_arg_u(c, SP_EXE_MTIME, &t->pub.exe_ino_mtime);
    }
    /* saker's "flags" are the kernel's task flags (PF_*), libs' are
     * PPM_EXE_* whose four low bits are ST_EXE_*. */
    if (!c->combined && st_arg_u(c, SP_FLAGS, &u))
        t->pub.exe_flags = (uint32_t)u & 0xf;
    if (st_arg_b(c, SP_EXEPATH, &p, &n) && n)
        st_set_str(&t->pub.exepath, p, strnlen((const char *)p, n));
    else
        exepath_from_filename(c, t);
    t->pub.exec_ts = c->ev->ts;
    st_fdt_close_on_exec(c->st, t->pub.fds);
}

static void h_procexit(struct st_call *c)
{
    int64_t reaper = 0;
    if (!c->th)
        return;
    st_arg_s(c, SP_REAPER, &reaper);
    c->st->reaper_hint = reaper;
    /* removed at the next state_apply, so this event still sees it */
    st_thread_mark_dead(c->st, c->th);
}

/* CLONE_FS is what threads share in practice: a chdir moves them all. */
static void set_cwd_all(struct st_thr *t, const char *dir)
{
    struct st_thr *o = t;
    do {
        st_set_str(&o->pub.cwd, dir, strlen(dir));
        o = o->grp_next;
    } while (o != t);
}

static void h_chdir(struct st_call *c)
{
    int64_t res = -1, fd;
    const uint8_t *p;
    size_t n;
    char *dir = NULL;
    if (!c->th || !st_arg_s(c, SP_RES, &res) || res < 0)
        return;
    if (!strcmp(c->ev->def->name, "fchdir")) {
        struct st_fdi *f = st_arg_s(c, SP_FD, &fd) ? st_fd_get(c->th->pub.fds, fd) : NULL;
        if (!f || !f->pub.name || f->pub.name[0] != '/')
            return;
        st_set_dir(&dir, NULL, f->pub.name, strlen(f->pub.name));
    } else if (st_arg_b(c, SP_PATH, &p, &n) && n) {
        const char *cwd = c->th->pub.cwd;
        if (p[0] != '/' && (!cwd || cwd[0] != '/'))
            return;
        st_set_dir(&dir, cwd, p, n);
    }
    if (!dir)
        return;
    if (!strcmp(c->ev->def->name, "chroot"))
        st_set_str(&c->th->pub.root, dir, strlen(dir));
    else
        set_cwd_all(c->th, dir);
    free(dir);
}

/* getcwd: the kernel's answer is the process's cwd (libsinsp trusts it
 * over what chdir tracking gave). */
static void h_getcwd(struct st_call *c)
{
    int64_t res = -1;
    const uint8_t *p;
    size_t n;
    char *dir = NULL;
    if (!c->th || !st_arg_s(c, SP_RES, &res) || res < 0 || !st_arg_b(c, SP_PATH, &p, &n) ||
        !n || p[0] != '/')
        return;
    st_set_dir(&dir, NULL, p, n);
    if (dir)
        set_cwd_all(c->th, dir);
    free(dir);
}

/* setuid family: the ids that changed (-1 leaves one as it is). */
static void h_setid(struct st_call *c)
{
    int64_t res = -1;
    uint64_t u;
    const char *name = c->ev->def->name;
    struct st_thr *t = c->th;
    if (!t || !st_arg_s(c, SP_RES, &res) || res < 0)
        return;
    bool gid = strstr(name, "gid") != NULL;
    if (!gid)
        t->pub.user_stale = false; /* libsinsp looks the user up again */
    uint32_t *real = gid ? &t->pub.gid : &t->pub.uid, *eff = gid ? &t->pub.egid : &t->pub.euid;
    if (st_arg_u(c, gid ? SP_GID : SP_UID, &u)) {
        *real = *eff = (uint32_t)u;
        return;
    }
    if (st_arg_u(c, gid ? SP_RGID : SP_RUID, &u) && (uint32_t)u != 0xffffffffu)
        *real = (uint32_t)u;
    if (st_arg_u(c, gid ? SP_EGID : SP_EUID, &u) && (uint32_t)u != 0xffffffffu)
        *eff = (uint32_t)u;
}

static void h_capset(struct st_call *c)
{
    int64_t res = -1;
    if (!c->th || !st_arg_s(c, SP_RES, &res) || res < 0)
        return;
    st_arg_u(c, SP_CAPI, &c->th->pub.cap_inheritable);
    st_arg_u(c, SP_CAPP, &c->th->pub.cap_permitted);
    st_arg_u(c, SP_CAPE, &c->th->pub.cap_effective);
}

static void h_prctl(struct st_call *c)
{
    int64_t res = -1, arg = 0;
    uint64_t opt = 0;
    if (!c->th || !st_arg_s(c, SP_RES, &res) || res < 0 || !st_arg_u(c, SP_OPTION, &opt))
        return;
    if (opt == PR_SET_NAME_) {
        take_str(c, SP_ARG2_STR, &c->th->pub.comm);
    } else if (opt == PR_SET_CHILD_SUBREAPER_ && st_arg_s(c, SP_ARG2_INT, &arg)) {
        if (arg)
            c->th->iflags |= STI_SUBREAPER;
        else
            c->th->iflags &= ~(uint32_t)STI_SUBREAPER;
    }
}

static const struct { const char *name; st_handler fn; } handlers[] = {
    { "clone", h_clone }, { "clone3", h_clone }, { "fork", h_clone }, { "vfork", h_clone },
    { "execve", h_exec }, { "execveat", h_exec }, { "procexit", h_procexit },
    { "chdir", h_chdir }, { "fchdir", h_chdir }, { "chroot", h_chdir },
    { "getcwd", h_getcwd },
    { "setuid", h_setid }, { "setgid", h_setid }, { "setreuid", h_setid },
    { "setregid", h_setid }, { "setresuid", h_setid }, { "setresgid", h_setid },
    { "capset", h_capset }, { "prctl", h_prctl },
    { "open", st_h_open }, { "openat", st_h_open }, { "openat2", st_h_open },
    { "creat", st_h_open }, { "close", st_h_close }, { "dup", st_h_dup },
    { "dup2", st_h_dup }, { "dup3", st_h_dup }, { "fcntl", st_h_fcntl },
    { "pipe", st_h_pipe }, { "pipe2", st_h_pipe }, { "socket", st_h_socket },
    { "socketpair", st_h_socketpair }, { "connect", st_h_connect },
    { "accept", st_h_accept }, { "accept4", st_h_accept }, { "bind", st_h_bind },
    { "sendto", st_h_sendrecv }, { "recvfrom", st_h_sendrecv },
    { "sendmsg", st_h_sendrecv }, { "recvmsg", st_h_sendrecv },
    { "memfd_create", st_h_memfd }, { "userfaultfd", st_h_anonfd },
    { "io_uring_setup", st_h_anonfd }, { "bpf", st_h_anonfd },
    { "epoll_create", st_h_anonfd }, { "epoll_create1", st_h_anonfd },
    { "eventfd", st_h_anonfd }, { "eventfd2", st_h_anonfd }, { "signalfd", st_h_anonfd },
    { "signalfd4", st_h_anonfd }, { "timerfd_create", st_h_anonfd },
    { "inotify_init", st_h_anonfd }, { "inotify_init1", st_h_anonfd },
};

st_handler st_handler_for(const char *name)
{
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
        if (!strcmp(handlers[i].name, name))
            return handlers[i].fn;
    return NULL;
}

bool st_is_clone(const char *name)
{
    return st_handler_for(name) == h_clone;
}
