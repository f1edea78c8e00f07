/* state_int.h -- what the state_*.c files share and nothing else sees: the
 * tid-keyed hash, the internal thread/fd/fd-table records that wrap the
 * public ones of state.h, the per-schema handler cache and the helpers
 * each file exports to the others.
 *
 * Files:
 *   state_hash.c        st_hash, an open-addressing int64 -> pointer map
 *   state.c             lifecycle, lookups, state_apply's driver, the
 *                       per-event-definition cache, deferred removals
 *   state_threads.c     the thread table: create, remove, evict, groups,
 *                       lineage, reparenting
 *   state_fds.c         fd tables (shared, refcounted), paths, socket names
 *   state_containers.c  containers, users, groups
 *   state_checkpoint.c  §8 checkpoint decoding (replace or merge)
 *   state_events.c      handler lookup, parameters by name, process events
 *   state_events_fd.c   fd events (open, close, dup, pipes, sockets, ...) */
#ifndef SAKER_STATE_INT_H
#define SAKER_STATE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../reader/format.h"
#include "state.h"

/* ---- state_hash.c: int64 key -> non-NULL pointer, linear probing with
 * backward-shift deletion (no tombstones, so lookups stay short however
 * many removals a long trace makes). */
struct st_hslot {
    int64_t key;
    void *val;            /* NULL = empty slot */
};
struct st_hash {
    struct st_hslot *slots; /* key and value side by side: one cache miss a probe */
    size_t cap;           /* power of two, or 0 */
    size_t n;
    bool oom;             /* an insertion failed for memory */
};
static inline size_t st_hash_slot(int64_t key, size_t cap)
{
    /* Fibonacci hashing spreads dense keys (tids, fds) over the table. */
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32 ^ h) & (cap - 1);
}
/* Inline: every event looks up its thread and usually an fd. */
static inline void *st_hash_get(const struct st_hash *h, int64_t key)
{
    if (!h->cap)
        return NULL;
    for (size_t i = st_hash_slot(key, h->cap);; i = (i + 1) & (h->cap - 1)) {
        const struct st_hslot *s = &h->slots[i];
        if (!s->val)
            return NULL;
        if (s->key == key)
            return s->val;
    }
}
/* Inserts or replaces; returns false when out of memory (h->oom set). */
bool st_hash_put(struct st_hash *h, int64_t key, void *val);
void *st_hash_del(struct st_hash *h, int64_t key);
void st_hash_free(struct st_hash *h);
/* Iteration: for (size_t i = 0; i < h->cap; i++) if (h->slots[i].val) ... */

/* ---- fd tables (state_fds.c) */
struct st_fdi {
    struct st_fd pub;     /* first: a struct st_fd * is a struct st_fdi * */
    struct st_fdi *older, *newer; /* insertion order, for eviction */
};

struct st_fdtable {
    struct st_hash by_num;
    struct st_fdi *oldest, *newest;
    size_t n;
    unsigned refs;        /* threads pointing at this table */
};

/* ---- threads (state_threads.c) */
enum {
    /* internal flags (struct st_thr.iflags) */
    STI_WAIT_PARENT = 1,  /* made by the child's clone event; the parent's is due */
    STI_WAIT_CHILD = 2,   /* made by the parent's clone event; the child's is due */
    STI_SUBREAPER = 4,    /* prctl(PR_SET_CHILD_SUBREAPER) */
    STI_PINNED = 8,       /* in use by the event being applied: not evictable */
};

struct st_thr {
    struct st_thread pub;           /* first member */
    struct st_thr *grp_next, *grp_prev; /* ring of the threads with one pid */
    struct st_thr *lru_prev, *lru_next; /* least recently used first */
    uint32_t iflags;
    uint32_t nchildren;             /* main threads: processes whose ppid is this pid */
    /* ENTER/EXIT captures: the last ENTER event's params, copied */
    struct skr_event *enter;
    uint8_t *enter_bytes;
    size_t enter_cap;
    bool enter_valid;
    int64_t lastfd;                 /* scap captures: libsinsp's m_lastevent_fd */
};

/* ---- containers, users, groups (state_containers.c) */
struct st_tables {
    struct st_hash containers;      /* fnv(id) -> chain */
    struct st_hash users;           /* fnv(cid) ^ uid -> chain */
    struct st_hash groups;
    size_t ncontainers;
};

/* ---- the state */
struct st_evinfo;                   /* per event definition, state.c */

struct state {
    struct state_limits lim;
    struct state_stats stats;
    uint64_t boot_ns;               /* for START_NS of checkpoints */
    struct st_hash threads;         /* tid -> struct st_thr */
    struct st_thr *lru_head, *lru_tail;
    struct st_tables tabs;
    struct st_hash evinfo;          /* (uintptr_t)def -> struct st_evinfo */
    /* by def->id: the last evinfo found for that id (its def checked on
     * use), sparing the hash lookup on nearly every event */
    struct st_evinfo *evcache[SKR_MAX_EVENT_TYPES];
    /* deferred to the next state_apply (state.h: close, procexit) */
    struct st_fdtable *close_tab;
    int64_t close_fd;
    int64_t remove_tid;             /* -1: none */
    int64_t reaper_hint;            /* procexit's reaper_tid while it is applied */
    bool scap;                      /* replaying an imported capture (ENTER/EXIT
                                       events): libsinsp 0.29's rules apply */
    bool scap_new;                  /* ... made by a newer libs (state.c) */
    struct st_thr *ct_thr;          /* scap container events' thread (state.c) */
    struct st_fdi *named_fd;        /* its name_changed is cleared by the next event */
    /* closed fds' records, kept for reuse (a replay opens and closes fds
     * all the time); linked by newer (state_fds.c) */
    struct st_fdi *fd_pool;
    unsigned fd_pool_n;
    /* recently removed children whose parent's clone event is still due */
    int64_t gone_children[32];
    unsigned gone_next;
    /* a scap capture's network interfaces, in its order (state_checkpoint.c;
     * libsinsp completes UDP ends from them: state_events_fd.c) */
    struct st_iface { uint8_t family, addr[16], mask[16]; } ifaces[16];
    unsigned nifaces;
};

/* state_threads.c */
/* A new thread: empty, or with proc's process-wide fields (as
 * st_thread_copy_proc) and proc's fd table shared. */
struct st_thr *st_thread_new(struct state *st, int64_t tid, int64_t pid,
                             const struct st_thread *proc);
void st_thread_remove(struct state *st, struct st_thr *t);
void st_thread_mark_dead(struct state *st, struct st_thr *t);
void st_thread_touch(struct state *st, struct st_thr *t);
/* Moves t into process pid's group (its fds too when share). */
void st_thread_set_pid(struct state *st, struct st_thr *t, int64_t pid);
void st_thread_set_ppid(struct state *st, struct st_thr *t, int64_t ppid);
void st_thread_free_all(struct state *st);
/* Frees a thread that is in no table (state.c's container thread). */
void st_thread_free_detached(struct st_thr *t);
/* Takes t (detached from any table) into st's table. */
void st_thread_adopt(struct state *st, struct st_thr *t);
void st_recount_children(struct state *st);
/* Removes every other thread of t's process (exec, fs/exec.c de_thread). */
void st_thread_drop_others(struct state *st, struct st_thr *t);
/* Removes t and its whole group at once (its tid was reused). */
void st_thread_purge(struct state *st, struct st_thr *t);
/* Copies the process-wide fields (exe, args, env, cwd, ...) of from into t. */
void st_thread_copy_proc(struct st_thr *t, const struct st_thread *from);
void st_thread_reparent_children(struct state *st, struct st_thr *dead);
/* Replaces *dst by a copy of p[0..n), NUL-ended; false when out of
 * memory (then *dst is as it was). */
bool st_set_str(char **dst, const void *p, size_t n);
/* Frees a thread's string (comm, exe, exepath, cwd, root, container_id):
 * those of a new thread are shared and stay. Whatever drops one of them
 * must use it (st_set_str, st_set_dir, thread_free and h_exec do). */
void st_str_free(char *s);
bool st_set_blob(char **dst, size_t *dlen, const void *p, size_t n);

/* state_fds.c */
struct st_fdtable *st_fdt_new(void);
void st_fdt_ref(struct st_fdtable *t);
void st_fdt_unref(struct st_fdtable *t);
struct st_fdtable *st_fdt_copy(struct state *st, const struct st_fdtable *t);
static inline struct st_fdi *st_fd_get(const struct st_fdtable *t, int64_t num)
{
    return t ? st_hash_get(&t->by_num, num) : NULL;
}
/* A fresh fd num in t, replacing (closing) any fd already there. */
struct st_fdi *st_fd_add(struct state *st, struct st_fdtable *t, int64_t num);
/* Closes fd num of t; its record goes to st's pool for the next st_fd_add. */
void st_fd_del(struct state *st, struct st_fdtable *t, int64_t num);
void st_fd_pool_free(struct state *st);
/* dst becomes a copy of src, keeping its own number. */
void st_fd_copy_into(struct st_fdi *dst, const struct st_fdi *src);
void st_fdt_close_on_exec(struct state *st, struct st_fdtable *t);
/* Absolute, normalised path of name relative to dir ("" = cwd unknown). */
char *st_path_join(const char *dir, const void *name, size_t n);
/* Sets *dst to that path as a directory (ending with '/'). */
bool st_set_dir(char **dst, const char *base, const void *name, size_t n);
/* name of a socket from its tuple, as sysdig prints it. */
void st_fd_name_tuple(struct st_fdi *f);
bool st_tuple_decode(struct st_tuple *t, const uint8_t *p, size_t n, char *upath, size_t upcap,
                     uint64_t *usrc, uint64_t *udst);

/* state_containers.c */
void st_tables_free(struct st_tables *t);
void st_tables_merge(struct state *st, struct st_tables *src, bool replace);
struct st_container *st_container_get(struct state *st, const char *id, bool create);
struct st_user *st_user_get(struct state *st, uint32_t uid, const char *cid, bool create);
struct st_group *st_group_get(struct state *st, uint32_t gid, const char *cid, bool create);
/* The container id a set of "controller=path" entries names, or "". */
void st_container_of_cgroups(const char *cg, size_t len, char out[16]);

/* state_checkpoint.c */
int st_checkpoint_load(struct state *st, const uint8_t *p, size_t len, bool replace, char *err,
                       size_t errlen);

/* state_events.c */
/* One event being applied: the handlers' single argument. pos and epos
 * give the position of each enum st_pname parameter in ev and enter
 * (-1: absent), resolved once per event definition (state.c). */
struct st_call {
    struct state *st;
    struct st_thr *th;
    const struct skr_event *ev, *enter;
    const int8_t *pos, *epos;
    struct st_event *out;
    bool combined;          /* a saker recording: Linux flag values */
};
typedef void (*st_handler)(struct st_call *c);
st_handler st_handler_for(const char *name);
/* True for the clone family (the child's event may create its thread). */
bool st_is_clone(const char *name);

/* Parameter names the handlers use, resolved to positions per definition. */
enum st_pname {
    SP_RES, SP_FD, SP_DIRFD, SP_NAME, SP_FLAGS, SP_MODE, SP_DEV, SP_INO, SP_EXE, SP_ARGS,
    SP_TID, SP_PID, SP_PTID, SP_CWD, SP_COMM, SP_CGROUPS, SP_ENV, SP_TTY, SP_VPGID,
    SP_LOGINUID, SP_CAPI, SP_CAPP, SP_CAPE, SP_EXE_INO, SP_EXE_CTIME, SP_EXE_MTIME, SP_UID,
    SP_GID, SP_EXEPATH, SP_PGID, SP_VTID, SP_VPID, SP_FILENAME, SP_PATHNAME, SP_OLDFD,
    SP_NEWFD, SP_CMD, SP_ARG, SP_FD1, SP_FD2, SP_TUPLE, SP_ADDR, SP_PATH, SP_OLDPATH,
    SP_NEWPATH, SP_OLDDIRFD, SP_NEWDIRFD, SP_REAPER, SP_EUID, SP_RUID, SP_EGID, SP_RGID,
    SP_OPTION, SP_DOMAIN, SP_TYPE, SP_PROTO, SP_SOURCE, SP_PEER, SP_ARG2_STR, SP_ARG2_INT,
    SP_COUNT
};
extern const char *const st_pnames[SP_COUNT];

/* A parameter by name, from the event or else its ENTER; NULL when
 * neither has it. Inline, as the number getters: handlers and state_apply
 * ask several per event (the calls were 1.5% of a replay, perf). */
static inline const struct skr_value *st_arg(const struct st_call *c, enum st_pname p)
{
    int i = c->pos[p];
    if (i >= 0 && i < c->ev->nparams)
        return &c->ev->params[i];
    if (c->enter && c->epos) {
        i = c->epos[p];
        if (i >= 0 && i < c->enter->nparams)
            return &c->enter->params[i];
    }
    return NULL;
}
static inline bool st_arg_s(const struct st_call *c, enum st_pname p, int64_t *v)
{
    const struct skr_value *x = st_arg(c, p);
    if (x)
        *v = x->s;
    return x != NULL;
}
static inline bool st_arg_u(const struct st_call *c, enum st_pname p, uint64_t *v)
{
    const struct skr_value *x = st_arg(c, p);
    if (x)
        *v = x->u;
    return x != NULL;
}
/* Byte parameters: false when absent. */
bool st_arg_b(const struct st_call *c, enum st_pname p, const uint8_t **ptr, size_t *len);

/* Handlers of fd events (state_events_fd.c). */
void st_h_open(struct st_call *c);
void st_h_close(struct st_call *c);
void st_h_dup(struct st_call *c);
void st_h_fcntl(struct st_call *c);
void st_h_pipe(struct st_call *c);
void st_h_socket(struct st_call *c);
void st_h_socketpair(struct st_call *c);
void st_h_connect(struct st_call *c);
void st_h_accept(struct st_call *c);
void st_h_bind(struct st_call *c);
void st_h_sendrecv(struct st_call *c);
void st_h_memfd(struct st_call *c);
void st_h_anonfd(struct st_call *c);
/* Linux O_* flags of an event's open flags (scap captures carry PPM_O_*). */
uint32_t st_open_flags(const struct st_call *c, uint64_t raw);

#endif
