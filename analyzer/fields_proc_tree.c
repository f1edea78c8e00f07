/* fields_proc_tree.c -- proc.* fields that look beyond the process of the
 * event: its parent (proc.p*), its ancestors (proc.a*[N], and with no index
 * every ancestor), the oldest login shell, and the leaders of its session
 * and process group.
 *
 * Design: ancestors are walked one parent at a time with state_parent, at
 * most ANCESTORS_MAX steps, so a loop in the state (pid reuse the replay
 * could not see) costs a bounded walk and never hangs. Leaders follow libs
 * (sinsp_filtercheck_thread.cpp): the process whose pid is the session or
 * group id when it is known, else the eldest ancestor that still has the
 * same id, else the process itself. */
#include <string.h>

#include "fields_proc_int.h"

/* Deeper than any real process tree, and the list cap of struct fvals. */
#define ANCESTORS_MAX FVALS_MAX
/* An index beyond this finds nothing without walking (rules use < 10). */
#define INDEX_MAX 4096

static const struct st_thread *parent_of(const struct fld_ctx *c, const struct st_thread *th)
{
    const struct st_thread *pp = c->st ? state_parent(c->st, th) : NULL;
    return pp == th ? NULL : pp; /* a process that is its own parent ends the walk */
}

const struct st_thread *fproc_parent(const struct fld_ctx *c)
{
    const struct st_thread *th = fproc_thread(c);
    return th ? parent_of(c, th) : NULL;
}

/* The Nth ancestor of the event's process: 0 the process, 1 its parent. */
static const struct st_thread *ancestor(const struct fld_ctx *c, int64_t n)
{
    const struct st_thread *p = fproc_process(c);
    if (n < 0 || n > INDEX_MAX)
        return NULL;
    for (int64_t i = 0; p && i < n; i++)
        p = parent_of(c, p);
    return p;
}

typedef void (*put_fn)(const struct fld_ctx *c, struct fvals *o, const struct st_thread *p);

/* proc.aX[N] puts X of the Nth ancestor; proc.aX with no index puts X of
 * every ancestor from the parent up (the filter then matches if any
 * does, as libs's compare_full_aname). */
static void ancestors(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o,
                      put_fn put)
{
    int64_t n;
    if (fproc_arg_number(r, &n)) {
        const struct st_thread *a = ancestor(c, n);
        if (a)
            put(c, o, a);
        return;
    }
    const struct st_thread *p = fproc_process(c);
    for (int i = 0; p && i < ANCESTORS_MAX; i++) {
        p = parent_of(c, p);
        if (p)
            put(c, o, p);
    }
}

static void put_pid(const struct fld_ctx *c, struct fvals *o, const struct st_thread *p)
{
    (void)c;
    fvals_int(o, p->pid);
}

static void put_name(const struct fld_ctx *c, struct fvals *o, const struct st_thread *p)
{
    (void)c;
    fproc_str(o, p->comm);
}

static void put_exe(const struct fld_ctx *c, struct fvals *o, const struct st_thread *p)
{
    (void)c;
    fproc_str(o, p->exe);
}

static void put_exepath(const struct fld_ctx *c, struct fvals *o, const struct st_thread *p)
{
    (void)c;
    fproc_str(o, p->exepath);
}

static void put_vpid(const struct fld_ctx *c, struct fvals *o, const struct st_thread *p)
{
    (void)c;
    if (p->vpid >= 0)
        fvals_int(o, p->vpid);
}

/* ---- the parent ---- */

void fproc_x_ppid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p)
        fvals_int(o, p->ppid);
}

static void parent_put(const struct fld_ctx *c, struct fvals *o, put_fn put)
{
    const struct st_thread *pp = fproc_parent(c);
    if (pp)
        put(c, o, pp);
}

void fproc_x_pname(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    parent_put(c, o, put_name);
}

void fproc_x_pcmdline(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    parent_put(c, o, fproc_put_cmdline);
}

void fproc_x_pexe(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    parent_put(c, o, put_exe);
}

void fproc_x_pexepath(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    parent_put(c, o, put_exepath);
}

void fproc_x_pvpid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    parent_put(c, o, put_vpid);
}

/* ---- ancestors ---- */

void fproc_x_apid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    ancestors(r, c, o, put_pid);
}

void fproc_x_aname(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    ancestors(r, c, o, put_name);
}

void fproc_x_aexe(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    ancestors(r, c, o, put_exe);
}

void fproc_x_aexepath(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    ancestors(r, c, o, put_exepath);
}

void fproc_x_acmdline(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    ancestors(r, c, o, fproc_put_cmdline);
}

void fproc_x_aargs(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    ancestors(r, c, o, fproc_put_args);
}

/* libs: proc.aenv and proc.aenv[0] are proc.env; proc.aenv[N] the whole
 * environment of the Nth ancestor; proc.aenv[NAME] the value of NAME in
 * the nearest ancestor (parent first, at most 20 up) where it is not
 * empty, else "". */
void fproc_x_aenv(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    const struct st_thread *p = fproc_process(c);
    int64_t n;
    if (!p)
        return;
    if (!r->has_arg || (fproc_arg_number(r, &n) && n == 0)) {
        fproc_put_env(c, o, p);
        return;
    }
    if (fproc_arg_number(r, &n)) {
        const struct st_thread *a = ancestor(c, n);
        if (a)
            fproc_put_env(c, o, a);
        return;
    }
    const char *v = "";
    size_t l = 0;
    for (int i = 0; i < 20 && (p = parent_of(c, p)) != NULL; i++)
        if (fproc_env_get(p, r->arg_key, &v, &l) && l)
            break;
    fvals_str(o, v, l);
}

/* The oldest shell: libs takes any name ending in "sh" (bash, zsh, sh,
 * ssh too) and keeps the last one met going up. */
void fproc_x_loginshellid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    bool found = false;
    int64_t pid = 0;
    for (int i = 0; p && i <= ANCESTORS_MAX; i++, p = parent_of(c, p)) {
        size_t l = p->comm ? strlen(p->comm) : 0;
        if (l >= 2 && p->comm[l - 2] == 's' && p->comm[l - 1] == 'h') {
            found = true;
            pid = p->pid;
        }
    }
    if (found)
        fvals_int(o, pid);
}

/* ---- session and process group ---- */

enum group_kind { G_SID, G_PGID, G_VPGID };

static int64_t group_id(const struct st_thread *p, enum group_kind g)
{
    return g == G_SID ? p->sid : g == G_PGID ? p->pgid : p->vpgid;
}

/* libs's is_in_pid_namespace without the clone flag we do not keep. */
static bool in_pidns(const struct st_thread *th)
{
    return th->vtid >= 0 && th->vtid != th->tid;
}

static const struct st_thread *group_leader(const struct fld_ctx *c, enum group_kind g)
{
    const struct st_thread *th = fproc_thread(c);
    if (!th)
        return NULL;
    const struct st_thread *p = fproc_process_of(c, th);
    int64_t id = group_id(p, g);
    if (c->st) {
        const struct st_thread *l = NULL;
        if (g == G_SID)
            l = state_session_leader(c->st, th);
        else if (g == G_PGID || !in_pidns(th))
            /* a group id is its leader's pid (setpgid(2)) */
            l = state_thread(c->st, id);
        if (l)
            return fproc_process_of(c, l);
    }
    /* The leader is gone or its id is from another pid namespace: the
     * eldest ancestor with the same id stands for it. */
    const struct st_thread *best = p;
    for (int i = 0; i < ANCESTORS_MAX; i++) {
        const struct st_thread *pp = parent_of(c, best);
        if (!pp || group_id(pp, g) != id)
            break;
        best = pp;
    }
    return best;
}

static void group_put(const struct fld_ctx *c, struct fvals *o, enum group_kind g, put_fn put)
{
    const struct st_thread *l = group_leader(c, g);
    if (l)
        put(c, o, l);
}

static void group_id_put(const struct fld_ctx *c, struct fvals *o, enum group_kind g)
{
    const struct st_thread *p = fproc_process(c);
    if (p)
        fvals_int(o, group_id(p, g));
}

void fproc_x_sid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    group_id_put(c, o, G_SID);
}

void fproc_x_sname(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    group_put(c, o, G_SID, put_name);
}

void fproc_x_sid_exe(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    group_put(c, o, G_SID, put_exe);
}

void fproc_x_sid_exepath(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    group_put(c, o, G_SID, put_exepath);
}

void fproc_x_is_sid_leader(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p)
        fvals_bool(o, p->sid == p->vpid);
}

void fproc_x_pgid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    group_id_put(c, o, G_PGID);
}

void fproc_x_pgid_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    group_put(c, o, G_PGID, put_name);
}

void fproc_x_pgid_exe(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    group_put(c, o, G_PGID, put_exe);
}

void fproc_x_pgid_exepath(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    group_put(c, o, G_PGID, put_exepath);
}

void fproc_x_is_pgid_leader(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p)
        fvals_bool(o, p->pgid == p->pid);
}

void fproc_x_vpgid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    group_id_put(c, o, G_VPGID);
}

void fproc_x_vpgid_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    group_put(c, o, G_VPGID, put_name);
}

void fproc_x_vpgid_exe(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    group_put(c, o, G_VPGID, put_exe);
}

void fproc_x_vpgid_exepath(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    group_put(c, o, G_VPGID, put_exepath);
}

void fproc_x_is_vpgid_leader(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p)
        fvals_bool(o, p->vpgid == p->vpid);
}
