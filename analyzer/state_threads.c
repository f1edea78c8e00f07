/* state_threads.c -- the thread table: creating, removing and evicting
 * threads, thread groups (processes), and the lineage lookups of state.h.
 *
 * Design: threads live in st->threads keyed by tid. The threads of one
 * process (one pid) are linked in a ring, so exec can drop a process's
 * other threads and an exit can tell whether it was the last one without
 * scanning the table. As in libsinsp (thread_manager.cpp remove_thread),
 * a main thread that exits before its other threads stays, marked dead,
 * until the last of them goes: it holds what the whole process shares.
 * A main thread counts its child processes (nchildren) so the death of a
 * process scans the table for orphans only when it has some.
 *
 * Eviction: st->lru_* orders threads by last use. A new thread past
 * max_threads evicts the least recently used one that is not pinned by the
 * event being applied; when all are pinned the table overflows for that
 * event rather than failing. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "state_int.h"

/* What a thread nobody has named yet holds: shared, never written, never
 * freed. A thread is made for nearly every new tid of a trace, and six
 * strings allocated only to be freed with it were a tenth of the state's
 * malloc and free calls (perf, 10M gentrace events). */
static char no_str[] = "", root_str[] = "/";

void st_str_free(char *s)
{
    if (s != no_str && s != root_str)
        free(s);
}

bool st_set_str(char **dst, const void *p, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        return false;
    if (n)
        memcpy(s, p, n);
    s[n] = 0;
    st_str_free(*dst);
    *dst = s;
    return true;
}

bool st_set_blob(char **dst, size_t *dlen, const void *p, size_t n)
{
    char *s = NULL;
    if (n) {
        s = malloc(n);
        if (!s)
            return false;
        memcpy(s, p, n);
    }
    free(*dst);
    *dst = s;
    *dlen = n;
    return true;
}

static void lru_unlink(struct state *st, struct st_thr *t)
{
    if (t->lru_prev)
        t->lru_prev->lru_next = t->lru_next;
    else
        st->lru_head = t->lru_next;
    if (t->lru_next)
        t->lru_next->lru_prev = t->lru_prev;
    else
        st->lru_tail = t->lru_prev;
    t->lru_prev = t->lru_next = NULL;
}

static void lru_append(struct state *st, struct st_thr *t)
{
    t->lru_prev = st->lru_tail;
    t->lru_next = NULL;
    if (st->lru_tail)
        st->lru_tail->lru_next = t;
    else
        st->lru_head = t;
    st->lru_tail = t;
}

void st_thread_touch(struct state *st, struct st_thr *t)
{
    if (st->lru_tail == t)
        return;
    lru_unlink(st, t);
    lru_append(st, t);
}

static bool is_main(const struct st_thr *t)
{
    return t->pub.tid == t->pub.pid;
}

/* Counts t, a main thread, in its parent's nchildren (delta +1 or -1). */
static void count_child(struct state *st, struct st_thr *t, int delta)
{
    if (!is_main(t) || t->pub.ppid <= 0 || t->pub.ppid == t->pub.pid)
        return;
    struct st_thr *p = st_hash_get(&st->threads, t->pub.ppid);
    if (!p)
        return;
    if (delta > 0)
        p->nchildren++;
    else if (p->nchildren)
        p->nchildren--;
}

static void ring_leave(struct st_thr *t)
{
    t->grp_prev->grp_next = t->grp_next;
    t->grp_next->grp_prev = t->grp_prev;
    t->grp_next = t->grp_prev = t;
}

static void ring_join(struct state *st, struct st_thr *t)
{
    struct st_thr *m = st_hash_get(&st->threads, t->pub.pid);
    if (!m || m == t)
        return;
    t->grp_next = m->grp_next;
    t->grp_prev = m;
    m->grp_next->grp_prev = t;
    m->grp_next = t;
}

static void thread_free(struct st_thr *t)
{
    struct st_thread *p = &t->pub;
    st_str_free(p->comm);
    st_str_free(p->exe);
    st_str_free(p->exepath);
    free(p->args);
    free(p->env);
    st_str_free(p->cwd);
    st_str_free(p->root);
    st_str_free(p->container_id);
    free(p->cgroups);
    st_fdt_unref(p->fds);
    free(t->enter);
    free(t->enter_bytes);
    free(t);
}

static void remove_now(struct state *st, struct st_thr *t, bool evicted);

/* The least recently used thread that may go, or NULL. */
static struct st_thr *victim(struct state *st)
{
    for (struct st_thr *t = st->lru_head; t; t = t->lru_next)
        if (!(t->iflags & STI_PINNED))
            return t;
    return NULL;
}

struct st_thr *st_thread_new(struct state *st, int64_t tid, int64_t pid,
                             const struct st_thread *proc)
{
    assert(!st_hash_get(&st->threads, tid));
    while (st->threads.n >= st->lim.max_threads) {
        struct st_thr *v = victim(st);
        if (!v)
            break;
        remove_now(st, v, true);
    }
    struct st_thr *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    struct st_thread *p = &t->pub;
    t->lastfd = 0; /* libsinsp's m_lastevent_fd starts at 0 */
    p->tid = tid;
    p->pid = pid;
    p->ppid = -1;
    p->vtid = p->vpid = p->sid = p->pgid = p->vpgid = -1;
    p->uid = p->gid = p->euid = p->egid = p->loginuid = 0xffffffffu;
    /* A clone's child starts as a copy of its caller, fd table shared
     * until the clone handler copies it: no empty strings and table are
     * made only to be replaced (a malloc and a free each, per clone). */
    if (proc)
        st_thread_copy_proc(t, proc);
    if (proc && proc->fds) {
        p->fds = proc->fds;
        st_fdt_ref(p->fds);
    } else {
        p->fds = st_fdt_new();
    }
    p->comm = p->comm ? p->comm : no_str;
    p->exe = p->exe ? p->exe : no_str;
    p->exepath = p->exepath ? p->exepath : no_str;
    p->cwd = p->cwd ? p->cwd : no_str;
    p->root = p->root ? p->root : root_str;
    p->container_id = p->container_id ? p->container_id : no_str;
    if (!p->fds || !st_hash_put(&st->threads, tid, t)) {
        thread_free(t);
        return NULL;
    }
    t->grp_next = t->grp_prev = t;
    ring_join(st, t);
    lru_append(st, t);
    st->stats.threads_created++;
    return t;
}

void st_thread_set_pid(struct state *st, struct st_thr *t, int64_t pid)
{
    if (t->pub.pid == pid)
        return;
    count_child(st, t, -1);
    ring_leave(t);
    t->pub.pid = pid;
    ring_join(st, t);
    count_child(st, t, +1);
}

void st_thread_set_ppid(struct state *st, struct st_thr *t, int64_t ppid)
{
    if (t->pub.ppid == ppid)
        return;
    count_child(st, t, -1);
    t->pub.ppid = ppid;
    count_child(st, t, +1);
}

/* Another thread of t's process that has not exited. */
static struct st_thr *live_sibling(struct st_thr *t)
{
    for (struct st_thr *o = t->grp_next; o != t; o = o->grp_next)
        if (!(o->pub.flags & ST_TH_DEAD))
            return o;
    return NULL;
}

static struct st_thr *main_of(struct state *st, const struct st_thr *t)
{
    return st_hash_get(&st->threads, t->pub.pid);
}

/* Who adopts the orphans of dead (a dying process): the reaper the exit
 * event named, else the nearest live ancestor that made itself a
 * subreaper, else the init of the pid namespace: pid 1 on the host, the
 * ancestor whose vpid is 1 inside a container (kernel/exit.c
 * find_new_reaper). */
static int64_t reaper_for(struct state *st, struct st_thr *dead, int64_t hint)
{
    if (hint > 0 && hint != dead->pub.pid) {
        struct st_thr *r = st_hash_get(&st->threads, hint);
        return r ? r->pub.pid : hint;
    }
    bool in_ns = dead->pub.vpid > 0 && dead->pub.vpid != dead->pub.pid;
    int64_t pid = dead->pub.ppid;
    for (int depth = 0; pid > 0 && depth < 256; depth++) {
        struct st_thr *a = st_hash_get(&st->threads, pid);
        if (!a)
            break;
        if (!(a->pub.flags & ST_TH_DEAD) && (a->iflags & STI_SUBREAPER))
            return a->pub.pid;
        if (in_ns && a->pub.vpid == 1)
            return a->pub.pid;
        if (a->pub.ppid == pid)
            break;
        pid = a->pub.ppid;
    }
    return 1;
}

void st_thread_reparent_children(struct state *st, struct st_thr *dead)
{
    /* sysdig 0.29 never reparents: orphans keep their parent's pid */
    if (!dead->nchildren || st->scap)
        return;
    int64_t pid = dead->pub.pid, reaper = reaper_for(st, dead, st->reaper_hint);
    struct st_hash *h = &st->threads;
    /* Collected first: setting a ppid does not move table slots, but keep
     * the loop free of that assumption. */
    size_t n = 0, cap = 16;
    struct st_thr **kids = malloc(cap * sizeof *kids);
    for (size_t i = 0; kids && i < h->cap; i++) {
        struct st_thr *c = h->slots[i].val;
        if (!c || c->pub.ppid != pid || c->pub.pid == pid)
            continue;
        if (n == cap) {
            struct st_thr **g = realloc(kids, 2 * cap * sizeof *kids);
            if (!g)
                break;
            kids = g;
            cap *= 2;
        }
        kids[n++] = c;
    }
    for (size_t i = 0; i < n; i++)
        st_thread_set_ppid(st, kids[i], reaper);
    free(kids);
    dead->nchildren = 0;
}

static void remove_now(struct state *st, struct st_thr *t, bool evicted)
{
    if (st->remove_tid == t->pub.tid)
        st->remove_tid = -1;
    if (t->iflags & STI_WAIT_PARENT)
        st->gone_children[st->gone_next++ % 32] = t->pub.tid;
    struct st_thr *m = is_main(t) ? NULL : main_of(st, t);
    if (!live_sibling(t))
        st_thread_reparent_children(st, t);
    count_child(st, t, -1);
    ring_leave(t);
    lru_unlink(st, t);
    st_hash_del(&st->threads, t->pub.tid);
    if (evicted)
        st->stats.threads_evicted++;
    else
        st->stats.threads_removed++;
    thread_free(t);
    /* A dead main thread kept for its group goes with the group's last. */
    if (m && (m->pub.flags & ST_TH_DEAD) && !(m->iflags & STI_PINNED) && m->grp_next == m)
        remove_now(st, m, false);
}

void st_thread_remove(struct state *st, struct st_thr *t)
{
    t->pub.flags |= ST_TH_DEAD;
    if (is_main(t) && t->grp_next != t) {
        /* Kept until its last thread goes; its orphans are adopted when
         * the process is gone, not before. */
        if (!live_sibling(t))
            st_thread_reparent_children(st, t);
        return;
    }
    remove_now(st, t, false);
}

void st_thread_mark_dead(struct state *st, struct st_thr *t)
{
    t->pub.flags |= ST_TH_DEAD;
    st->remove_tid = t->pub.tid;
}

void st_thread_drop_others(struct state *st, struct st_thr *t)
{
    /* pinned: a dead leader t must outlive the loop (remove_now frees a
     * dead leader with its last thread) */
    uint32_t pinned = t->iflags & STI_PINNED;
    t->iflags |= STI_PINNED;
    while (t->grp_next != t) {
        struct st_thr *o = t->grp_next;
        /* The thread of the event being applied is never freed under it
         * (a corrupt trace can make it a member of this group): it only
         * leaves the group. */
        if (o->iflags & STI_PINNED)
            ring_leave(o);
        else
            remove_now(st, o, false);
    }
    t->iflags = (t->iflags & ~(uint32_t)STI_PINNED) | pinned;
}

void st_thread_purge(struct state *st, struct st_thr *t)
{
    st_thread_drop_others(st, t);
    remove_now(st, t, false);
}

void st_thread_free_detached(struct st_thr *t)
{
    if (t)
        thread_free(t);
}

void st_thread_free_all(struct state *st)
{
    struct st_hash *h = &st->threads;
    for (size_t i = 0; i < h->cap; i++)
        if (h->slots[i].val)
            thread_free(h->slots[i].val);
    st_hash_free(h);
    st->lru_head = st->lru_tail = NULL;
    st->remove_tid = -1;
}

static void copy_str(char **dst, const char *src)
{
    if (src)
        st_set_str(dst, src, strlen(src));
}

void st_thread_copy_proc(struct st_thr *t, const struct st_thread *f)
{
    struct st_thread *p = &t->pub;
    copy_str(&p->comm, f->comm);
    copy_str(&p->exe, f->exe);
    copy_str(&p->exepath, f->exepath);
    copy_str(&p->cwd, f->cwd);
    copy_str(&p->root, f->root);
    copy_str(&p->container_id, f->container_id);
    st_set_blob(&p->args, &p->args_len, f->args, f->args_len);
    st_set_blob(&p->env, &p->env_len, f->env, f->env_len);
    st_set_blob(&p->cgroups, &p->cgroups_len, f->cgroups, f->cgroups_len);
    p->sid = f->sid;
    p->pgid = f->pgid;
    p->vpgid = f->vpgid;
    p->uid = f->uid;
    p->gid = f->gid;
    p->euid = f->euid;
    p->egid = f->egid;
    p->loginuid = f->loginuid;
    p->tty = f->tty;
    p->cap_inheritable = f->cap_inheritable;
    p->cap_permitted = f->cap_permitted;
    p->cap_effective = f->cap_effective;
    p->exe_ino = f->exe_ino;
    p->exe_ino_ctime = f->exe_ino_ctime;
    p->exe_ino_mtime = f->exe_ino_mtime;
    p->exe_flags = f->exe_flags;
    p->exec_ts = f->exec_ts;
}

/* ---- lookups (state.h) */

struct st_thread *state_thread(struct state *st, int64_t tid)
{
    struct st_thr *t = st_hash_get(&st->threads, tid);
    return t ? &t->pub : NULL;
}

struct st_thread *state_process(struct state *st, const struct st_thread *th)
{
    if (!th)
        return NULL;
    if (th->tid == th->pid)
        return (struct st_thread *)(uintptr_t)th;
    return state_thread(st, th->pid);
}

struct st_thread *state_parent(struct state *st, const struct st_thread *th)
{
    const struct st_thread *p = state_process(st, th);
    if (!p)
        p = th;
    if (!p || p->ppid <= 0 || p->ppid == p->pid)
        return NULL;
    return state_process(st, state_thread(st, p->ppid));
}

struct st_thread *state_ancestor(struct state *st, const struct st_thread *th, int level)
{
    if (level <= 0)
        return level == 0 ? state_process(st, th) : NULL;
    const struct st_thread *a = th;
    for (int i = 0; i < level && a; i++)
        a = state_parent(st, a);
    return (struct st_thread *)(uintptr_t)a;
}

struct st_thread *state_session_leader(struct state *st, const struct st_thread *th)
{
    const struct st_thread *p = state_process(st, th);
    if (!p)
        p = th;
    if (!p || p->sid <= 0)
        return NULL;
    return state_process(st, state_thread(st, p->sid));
}

void state_foreach_thread(struct state *st, void (*fn)(void *ctx, struct st_thread *th),
                          void *ctx)
{
    struct st_hash *h = &st->threads;
    for (size_t i = 0; i < h->cap; i++) {
        struct st_thr *t = h->slots[i].val;
        if (t && !(t->pub.flags & ST_TH_DEAD))
            fn(ctx, &t->pub);
    }
}

/* ---- moving threads in from a checkpoint (state_checkpoint.c) */

void st_thread_adopt(struct state *st, struct st_thr *t)
{
    while (st->threads.n >= st->lim.max_threads) {
        struct st_thr *v = victim(st);
        if (!v)
            break;
        remove_now(st, v, true);
    }
    if (!st_hash_put(&st->threads, t->pub.tid, t)) {
        thread_free(t);
        return;
    }
    t->grp_next = t->grp_prev = t;
    t->lru_prev = t->lru_next = NULL;
    t->nchildren = 0;
    ring_join(st, t);
    lru_append(st, t);
}

void st_recount_children(struct state *st)
{
    struct st_hash *h = &st->threads;
    for (size_t i = 0; i < h->cap; i++)
        if (h->slots[i].val)
            ((struct st_thr *)h->slots[i].val)->nchildren = 0;
    for (size_t i = 0; i < h->cap; i++)
        if (h->slots[i].val)
            count_child(st, h->slots[i].val, +1);
}
