/* state.c -- the state's lifecycle and state_apply, the driver that turns
 * one event into a handler call (state_events.c).
 *
 * Design: an event's definition (ev->def) is resolved once, on first
 * sight, into a handler (by event name) and the position of every
 * parameter the handlers read (by parameter name); the result is cached by
 * definition address, with the name and parameter count kept to notice a
 * definition freed and another allocated at the same address. So saker's
 * COMBINED events and imported ENTER/EXIT pairs go through the same
 * handlers, and numeric event ids are never used.
 *
 * What state.h promises the fields of an event still see is honoured by
 * deferring two things to the start of the next state_apply: removing the
 * fd a close closed, and removing the thread a procexit ended. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cjson/cJSON.h>
#include <stdio.h>

#include "../reader/scap.h"
#include "state_int.h"

struct st_evinfo {
    const struct skr_event_def *def;
    char *name;
    uint32_t serial;        /* def->serial when made */
    uint8_t nparams, dir;
    st_handler handler;
    bool clone;
    bool enter_only;        /* an ENTER event with no EXIT: handled at once */
    uint8_t thr_mode;       /* enum thr_mode (scap captures) */
    bool fd_event;          /* libs flags it as making, using or closing an fd */
    bool unpaired;          /* no syscall half: leaves the pairing alone */
    bool fd_event_new;      /* fd_event by sysdig 0.36's libs */
    bool newer_syscall;     /* a syscall event libs 0.9 did not have */
    int8_t pos[SP_COUNT];
};

/* libs ppm_event_category bit */
enum { EC_SYSCALL = 0x200 };

/* How an imported capture's event finds its thread, as libsinsp 0.29
 * does: procinfo and switch only look it up (never invent one for an
 * unknown tid),
 * the other internal events (EF_SKIPPARSERESET: container metadata, drops,
 * notifications...) belong to no thread at all. */
enum thr_mode { TM_NORMAL, TM_FIND, TM_NONE };

static const char *const no_thread_events[] = {
    "container", "cpu_hotplug", "drop", "infra", "k8s", "mesos", "notification", NULL,
};

/* The events libs 0.9's event table (the one sysdig 0.29.3 reads with)
 * flags EF_CREATES_FD, EF_USES_FD or EF_DESTROYS_FD: only these have fd.*
 * values in sysdig, whatever parameters they carry (mmap has an fd but no
 * flag). Events newer than that table are added with their current flags. */
static const char *const fd_events[] = {
    "accept", "accept4", "bind", "bpf", "close", "connect", "copy_file_range", "creat",
    "dup", "dup2", "dup3", "eventfd", "eventfd2", "fchdir", "fcntl", "flock", "fstat",
    "fstat64", "getdents", "getdents64", "getsockopt", "inotify_init", "inotify_init1",
    "io_uring_enter", "io_uring_register", "io_uring_setup", "ioctl", "listen", "llseek",
    "lseek", "open", "open_by_handle_at", "openat", "openat2", "pipe", "pipe2", "pread",
    "preadv", "pwrite", "pwritev", "read", "readv", "recv", "recvfrom", "recvmmsg",
    "recvmsg", "send", "sendfile", "sendmmsg", "sendmsg", "sendto", "setns", "setsockopt",
    "shutdown", "signalfd", "signalfd4", "socket", "socketpair", "splice", "timerfd_create",
    "userfaultfd", "write", "writev", "memfd_create", "pidfd_getfd", "pidfd_open",
    "epoll_create", "epoll_create1", NULL,
};

/* The same for the libs of sysdig 0.36 (libs 0.14/0.15, 2024): the
 * newer-libs captures are read by these. */
static const char *const fd_events_036[] = {
    "accept", "accept4", "bind", "bpf", "close", "connect", "copy_file_range", "creat",
    "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "eventfd", "eventfd2", "fchdir",
    "fchmod", "fchown", "fcntl", "finit_module", "flock", "fsconfig", "fstat", "fstat64",
    "getdents", "getdents64", "getsockopt", "inotify_init", "inotify_init1",
    "io_uring_enter", "io_uring_register", "io_uring_setup", "ioctl", "listen", "llseek",
    "lseek", "memfd_create", "mknodat", "newfstatat", "open", "open_by_handle_at", "openat",
    "openat2", "pidfd_getfd", "pidfd_open", "pipe", "pipe2", "pread", "preadv", "pwrite",
    "pwritev", "read", "readv", "recv", "recvfrom", "recvmsg", "send", "sendfile", "sendmsg",
    "sendto", "setns", "setsockopt", "shutdown", "signalfd", "signalfd4", "socket",
    "socketpair", "splice", "timerfd_create", "userfaultfd", "write", "writev", NULL,
};
static const char *const fd_exit_only_036[] = {
    "fchmod", "fchown", "finit_module", "fsconfig", "getsockopt", "io_uring_enter",
    "io_uring_register", "mknodat", "newfstatat", "setsockopt", NULL,
};

/* fd events whose ENTER half carries no fd (libs flags only the EXIT) */
static const char *const fd_exit_only[] = {
    "getsockopt", "io_uring_enter", "io_uring_register", "setsockopt", NULL,
};

/* Events that are no half of a syscall: they neither pair with an EXIT nor
 * disturb the pairing of the syscall around them (libsinsp leaves the
 * thread's last event alone for them). */
static const char *const unpaired_events[] = {
    "switch", "procinfo", "signaldeliver", "page_fault", "drop", "container",
    "notification", "infra", "cpu_hotplug", "sysdigevent", "scapevent", "useradded",
    "userdeleted", "groupadded", "groupdeleted", "k8s", "mesos", "tracer",
    "pluginevent", "asyncevent", NULL,
};

static bool in_list(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (!strcmp(*list, name))
            return true;
    return false;
}

struct state *state_new(const struct state_limits *limits)
{
    struct state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->lim = (struct state_limits){ 131072, 65536, 4096 };
    if (limits)
        st->lim = *limits;
    st->remove_tid = -1;
    st->close_fd = -1;
    return st;
}

static void evinfo_free_all(struct st_hash *h)
{
    for (size_t i = 0; i < h->cap; i++) {
        struct st_evinfo *in = h->slots[i].val;
        if (in) {
            free(in->name);
            free(in);
        }
    }
    st_hash_free(h);
}

void state_free(struct state *st)
{
    if (!st)
        return;
    st_fdt_unref(st->close_tab);
    st_thread_free_detached(st->ct_thr);
    st_thread_free_all(st);
    st_tables_free(&st->tabs);
    evinfo_free_all(&st->evinfo);
    st_fd_pool_free(st);
    free(st);
}

void state_set_boot_ns(struct state *st, uint64_t boot_ns)
{
    st->boot_ns = boot_ns;
}

const struct state_stats *state_stats(const struct state *st)
{
    return &st->stats;
}

/* Does what the previous event deferred (see the file comment). */
static void flush_deferred(struct state *st)
{
    if (st->named_fd) {
        st->named_fd->pub.name_changed = false;
        st->named_fd = NULL;
    }
    if (st->close_tab) {
        st_fd_del(st, st->close_tab, st->close_fd);
        st_fdt_unref(st->close_tab);
        st->close_tab = NULL;
        st->close_fd = -1;
    }
    if (st->remove_tid >= 0) {
        struct st_thr *t = st_hash_get(&st->threads, st->remove_tid);
        st->remove_tid = -1;
        if (t)
            st_thread_remove(st, t);
        st->reaper_hint = 0;
    }
}

int state_load_checkpoint(struct state *st, const uint8_t *payload, size_t len, bool replace,
                          char *err, size_t errlen)
{
    flush_deferred(st);
    return st_checkpoint_load(st, payload, len, replace, err, errlen);
}

/* strcmp() == 0 inline: event names are short, and this runs for every
 * event (the call was a few percent of a replay). */
static bool same_name(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* A definition decoded from a trace has a serial of its own (schema.h),
 * which is enough to know it is the one cached: comparing its name was 3%
 * of a replay (perf, 10M gentrace events). A caller's table has none and
 * is compared in full. */
static bool evinfo_fits(const struct st_evinfo *in, const struct skr_event_def *d)
{
    if (in->serial != d->serial)
        return false;
    return in->nparams == d->nparams && in->dir == d->dir &&
           (d->serial || (d->name && same_name(in->name, d->name)));
}

static struct st_evinfo *evinfo_make(struct state *st, const struct skr_event_def *d);

static __attribute__((noinline)) struct st_evinfo *evinfo_miss(struct state *st,
                                                               const struct skr_event_def *d,
                                                               struct st_evinfo **slot)
{
    return *slot = evinfo_make(st, d);
}

/* Inline, with the miss out of line: every event asks. */
static inline const struct st_evinfo *evinfo(struct state *st, const struct skr_event_def *d)
{
    struct st_evinfo **slot = &st->evcache[d->id % SKR_MAX_EVENT_TYPES];
    struct st_evinfo *in = *slot;
    if (in && in->def == d && evinfo_fits(in, d))
        return in;
    return evinfo_miss(st, d, slot);
}

/* The hash keeps every definition's evinfo (several schemas may be in
 * play at once: merged traces); evcache only the last one per id. */
static struct st_evinfo *evinfo_make(struct state *st, const struct skr_event_def *d)
{
    struct st_evinfo *in = st_hash_get(&st->evinfo, (int64_t)(uintptr_t)d);
    if (in && evinfo_fits(in, d))
        return in;
    if (!in) {
        in = calloc(1, sizeof *in);
        if (!in || !st_hash_put(&st->evinfo, (int64_t)(uintptr_t)d, in)) {
            free(in);
            return NULL;
        }
    }
    const char *name = d->name ? d->name : "";
    free(in->name);
    in->name = strdup(name);
    if (!in->name) {
        st_hash_del(&st->evinfo, (int64_t)(uintptr_t)d);
        memset(st->evcache, 0, sizeof st->evcache); /* in may be cached under another id */
        free(in);
        return NULL;
    }
    in->def = d;
    in->serial = d->serial;
    in->nparams = d->nparams;
    in->dir = d->dir;
    in->handler = st_handler_for(name);
    in->clone = st_is_clone(name);
    in->enter_only = !strcmp(name, "procexit");
    in->thr_mode = !strcmp(name, "procinfo") || !strcmp(name, "switch") ? TM_FIND
                   : in_list(no_thread_events, name) ? TM_NONE : TM_NORMAL;
    in->fd_event = in_list(fd_events, name) &&
                   !(d->dir == SKR_DIR_ENTER && in_list(fd_exit_only, name));
    in->fd_event_new = in_list(fd_events_036, name) &&
                       !(d->dir == SKR_DIR_ENTER && in_list(fd_exit_only_036, name));
    in->newer_syscall = d->dir != SKR_DIR_COMBINED && d->id >= SKR_SCAP_EVENT_MAX_SYSDIG_0_29 &&
                        d->id < SKR_SCAP_EVENT_MAX && (skr_scap_events[d->id].category & EC_SYSCALL);
    in->unpaired = in_list(unpaired_events, name);
    for (int p = 0; p < SP_COUNT; p++) {
        in->pos[p] = -1;
        for (int i = 0; i < d->nparams && i < SKR_MAX_PARAMS; i++)
            if (d->params[i].name && !strcmp(d->params[i].name, st_pnames[p])) {
                in->pos[p] = (int8_t)i;
                break;
            }
    }
    return in;
}

/* Keeps a copy of an ENTER event's parameters on its thread, for the EXIT
 * that follows (libsinsp's store_event/retrieve_enter_event). */
static void stash_enter(struct st_thr *t, const struct skr_event *ev)
{
    t->enter_valid = false;
    if (!t->enter && !(t->enter = malloc(sizeof *t->enter)))
        return;
    size_t need = 0;
    for (int i = 0; i < ev->nparams; i++)
        need += ev->params[i].len;
    if (need > t->enter_cap) {
        uint8_t *b = realloc(t->enter_bytes, need);
        if (!b)
            return;
        t->enter_bytes = b;
        t->enter_cap = need;
    }
    *t->enter = *ev;
    size_t off = 0;
    for (int i = 0; i < ev->nparams; i++) {
        struct skr_value *v = &t->enter->params[i];
        if (v->ptr && v->len) {
            memcpy(t->enter_bytes + off, v->ptr, v->len);
            v->ptr = t->enter_bytes + off;
            off += v->len;
        }
    }
    t->enter_valid = true;
}

/* sysdig 0.29 gives a capture's container event a thread of its own, in
 * no table: tid and pid -1, parent 0, named "container:ID", in container
 * ID (libsinsp sinsp_container_info::get_tinfo). NULL when the event names
 * no container. */
static struct st_thr *container_thread(struct state *st, const struct skr_event *ev)
{
    if (ev->nparams < 1 || !ev->params[0].ptr || !ev->params[0].len)
        return NULL;
    char *id = NULL;
    const char *p = (const char *)ev->params[0].ptr;
    size_t n = ev->params[0].len;
    if (p[0] == '{') {
        cJSON *root = cJSON_ParseWithLength(p, n);
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "container");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "id");
        if (cJSON_IsString(v) && v->valuestring)
            id = strdup(v->valuestring);
        cJSON_Delete(root);
    } else {
        id = strndup(p, n);
    }
    if (!id)
        return NULL;
    struct st_thr *t = st->ct_thr;
    if (!t) {
        t = calloc(1, sizeof *t);
        if (!t || !(t->pub.fds = st_fdt_new())) {
            free(t);
            free(id);
            return NULL;
        }
        t->grp_next = t->grp_prev = t;
        st->ct_thr = t;
    }
    struct st_thread *th = &t->pub;
    th->tid = th->pid = -1;
    th->ppid = 0;
    th->vtid = th->vpid = -2;
    th->sid = th->pgid = th->vpgid = -1;
    th->uid = th->gid = th->euid = th->egid = 0;
    th->loginuid = 0xffffffffu;
    t->lastfd = -1;
    char name[160];
    snprintf(name, sizeof name, "container:%s", id);
    bool ok = st_set_str(&th->comm, name, strlen(name)) &&
              st_set_str(&th->exe, name, strlen(name)) && st_set_str(&th->exepath, "", 0) &&
              st_set_str(&th->cwd, "", 0) && st_set_str(&th->root, "/", 1) &&
              st_set_str(&th->container_id, id, strlen(id));
    free(id);
    return ok ? t : NULL;
}

/* sysdig 0.36's libs name a unix socket at connect's ENTER, from its
 * addr parameter (family byte, then the path), whatever the connect does. */
static void connect_enter_name(struct st_call *c, struct st_thr *th)
{
    const uint8_t *p;
    size_t n;
    if (th->lastfd < 0 || !st_arg_b(c, SP_ADDR, &p, &n) || n < 2 || p[0] != AF_UNIX)
        return;
    struct st_fdi *f = st_fd_get(th->pub.fds, th->lastfd);
    if (f && f->pub.type == ST_FD_UNIX)
        st_set_str(&f->pub.name, (const char *)p + 1, strnlen((const char *)p + 1, n - 1));
}

/* An imported capture's event gets the fd libsinsp gives it: the thread's
 * "last event fd", set from an ENTER event's fd argument (-1 without one),
 * kept by the EXIT that follows it directly, and replaced by the fd an
 * EXIT made. fd.* fields exist only for fd events (st_event.fd_event). */
static void scap_fd(struct st_call *c, const struct st_evinfo *in, struct st_thr *th, bool paired)
{
    struct st_event *out = c->out;
    int64_t made = out->fdnum;
    struct st_fd *made_fd = out->fd;
    out->fdnum = -1;
    out->fd = NULL;
    bool fd_event = c->st->scap_new ? in->fd_event_new : in->fd_event;
    out->fd_event = fd_event && th;
    if (!th || in->unpaired)
        return;
    int64_t fd;
    if (c->ev->def->dir == SKR_DIR_ENTER) {
        th->lastfd = -1;
        if (fd_event && st_arg_s(c, SP_FD, &fd))
            th->lastfd = fd;
        else if (fd_event && !strcmp(c->ev->def->name, "splice") && c->ev->nparams > 0)
            th->lastfd = c->ev->params[0].s; /* fd_in: libs' fd of a splice */
        if (c->st->scap_new && !strcmp(c->ev->def->name, "connect"))
            connect_enter_name(c, th);
    } else {
        /* an EXIT without its ENTER: newer libsinsp forgets the last fd,
         * 0.29's keeps it (0 for a thread that never had one) */
        if (!paired && c->st->scap_new)
            th->lastfd = -1;
        /* libsinsp's last fd is the last one the exit added (a pipe's or
         * socketpair's second) */
        const char *n = c->ev->def->name;
        if (made >= 0 && (!strcmp(n, "pipe") || !strcmp(n, "pipe2") || !strcmp(n, "socketpair")) &&
            st_arg_s(c, SP_FD2, &fd) && fd >= 0) {
            made = fd;
            made_fd = (struct st_fd *)st_fd_get(th->pub.fds, fd);
        }
        bool dup = !strcmp(n, "fcntl") || !strncmp(n, "dup", 3);
        int64_t res;
        if (made >= 0 && dup) {
            /* the duplicate (the result), when libsinsp knew the original */
            if (th->lastfd >= 0 && st_fd_get(th->pub.fds, th->lastfd) &&
                st_arg_s(c, SP_RES, &res) && res >= 0) {
                th->lastfd = res;
                made = res;
                made_fd = (struct st_fd *)st_fd_get(th->pub.fds, res);
            }
        } else if (made >= 0) {
            th->lastfd = made;
        } else if (th->lastfd == -1 && fd_event && c->st->scap_new &&
                   (!strcmp(n, "fchmod") || !strcmp(n, "fchown") || !strcmp(n, "getsockopt")) &&
                   st_arg_s(c, SP_FD, &fd)) {
            /* sysdig 0.36's libs read these EXITs' own fd (their ENTER has
             * none); not setsockopt's, as its output shows */
            th->lastfd = fd;
        }
    }
    if (!fd_event)
        return;
    out->fdnum = th->lastfd;
    if (made >= 0 && made == th->lastfd)
        out->fd = made_fd;
    else if (th->lastfd >= 0)
        out->fd = (struct st_fd *)st_fd_get(th->pub.fds, th->lastfd);
}

void state_apply(struct state *st, const struct skr_event *ev, struct st_event *out)
{
    flush_deferred(st);
    st->stats.events++;
    *out = (struct st_event){ .ev = ev, .fdnum = -1 };
    const struct skr_event_def *d = ev->def;
    const struct st_evinfo *in = d ? evinfo(st, d) : NULL;
    if (!in)
        return;
    struct st_call c = { .st = st, .ev = ev, .pos = in->pos, .out = out,
                         .combined = d->dir == SKR_DIR_COMBINED };
    bool scap = d->dir != SKR_DIR_COMBINED;
    if (scap)
        st->scap = true;
    /* A syscall event sysdig 0.29's libs never knew: the capture was made
     * by a newer libs, whose reading rules saker follows from here on
     * (sysdig 0.29 cannot read such captures at all). */
    if (in->newer_syscall)
        st->scap_new = true;
    out->scap_new = st->scap_new;
    struct st_thr *th = ev->tid > 0 && !(scap && in->thr_mode == TM_NONE)
                            ? st_hash_get(&st->threads, ev->tid) : NULL;
    bool paired = false;
    if (d->dir == SKR_DIR_EXIT && th && th->enter_valid && th->enter->def &&
        th->enter->def->name && !strcmp(th->enter->def->name, in->name)) {
        const struct st_evinfo *ein = evinfo(st, th->enter->def);
        if (ein) {
            c.enter = th->enter;
            c.epos = ein->pos;
            out->enter = th->enter;
            paired = true;
        }
        th->enter_valid = false;
    }
    /* A clone child's own event (res 0) makes its thread: the thread is
     * not unknown, just new. */
    int64_t res = -1;
    bool child_clone = in->clone && d->dir != SKR_DIR_ENTER && st_arg_s(&c, SP_RES, &res) &&
                       res == 0;
    if (!th && ev->tid > 0 && !child_clone && !(scap && in->thr_mode != TM_NORMAL)) {
        th = st_thread_new(st, ev->tid, ev->tid, NULL);
        if (th) {
            th->pub.flags |= ST_TH_INCOMPLETE;
            st->stats.unknown_threads++;
            /* libsinsp's stand-in for a thread it cannot look up */
            if (scap) {
                st_set_str(&th->pub.comm, "<NA>", 4);
                st_set_str(&th->pub.exe, "<NA>", 4);
            }
        }
    }
    if (th) {
        st_thread_touch(st, th);
        th->pub.last_ts = ev->ts;
        th->iflags |= STI_PINNED;
    }
    if (scap && !th && !strcmp(in->name, "container") && !st->scap_new)
        th = container_thread(st, ev);
    c.th = th;
    out->thread = th ? &th->pub : NULL;
    /* libs has a few events with no EXIT half (procexit is an ENTER event
     * in scap captures): those are handled as they come. */
    if (d->dir == SKR_DIR_ENTER && !in->enter_only) {
        if (th && !(scap && in->unpaired))
            stash_enter(th, ev);
    } else if (in->handler) {
        in->handler(&c);
    }
    th = c.th;  /* a handler may have made or replaced it */
    out->thread = th ? &th->pub : NULL;
    if (th)
        th->iflags &= ~(uint32_t)STI_PINNED;
    /* The fd the event works on, when no handler said otherwise. */
    int64_t fd;
    if (scap) {
        scap_fd(&c, in, th, paired);
        return;
    }
    if (out->fdnum < 0 && !out->fd && st_arg_s(&c, SP_FD, &fd) && fd >= 0) {
        out->fdnum = fd;
        if (th)
            out->fd = (struct st_fd *)st_fd_get(th->pub.fds, fd);
    }
}

struct st_fd *state_fd(struct state *st, const struct st_thread *th, int64_t fd)
{
    (void)st;
    return th ? (struct st_fd *)st_fd_get(th->fds, fd) : NULL;
}

size_t state_nfds(struct state *st, const struct st_thread *th)
{
    (void)st;
    return th && th->fds ? th->fds->n : 0;
}

static int by_num(const void *a, const void *b)
{
    const struct st_fdi *x = *(const struct st_fdi *const *)a;
    const struct st_fdi *y = *(const struct st_fdi *const *)b;
    return (x->pub.num > y->pub.num) - (x->pub.num < y->pub.num);
}

void state_foreach_fd(struct state *st, const struct st_thread *th,
                      void (*fn)(void *ctx, const struct st_fd *fd), void *ctx)
{
    (void)st;
    if (!th || !th->fds || !th->fds->n)
        return;
    const struct st_fdtable *t = th->fds;
    struct st_fdi **v = malloc(t->n * sizeof *v);
    if (!v)
        return;
    size_t n = 0;
    for (struct st_fdi *f = t->oldest; f && n < t->n; f = f->newer)
        v[n++] = f;
    qsort(v, n, sizeof *v, by_num);
    for (size_t i = 0; i < n; i++)
        fn(ctx, &v[i]->pub);
    free(v);
}
