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

#include "state_int.h"

struct st_evinfo {
    char *name;
    uint8_t nparams, dir;
    st_handler handler;
    bool clone;
    bool enter_only;        /* an ENTER event with no EXIT: handled at once */
    int8_t pos[SP_COUNT];
};

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
        struct st_evinfo *in = h->vals[i];
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
    st_thread_free_all(st);
    st_tables_free(&st->tabs);
    evinfo_free_all(&st->evinfo);
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
        st_fd_del(st->close_tab, st->close_fd);
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

static const struct st_evinfo *evinfo(struct state *st, const struct skr_event_def *d)
{
    struct st_evinfo *in = st_hash_get(&st->evinfo, (int64_t)(uintptr_t)d);
    if (in && in->nparams == d->nparams && in->dir == d->dir && d->name &&
        !strcmp(in->name, d->name))
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
        free(in);
        return NULL;
    }
    in->nparams = d->nparams;
    in->dir = d->dir;
    in->handler = st_handler_for(name);
    in->clone = st_is_clone(name);
    in->enter_only = !strcmp(name, "procexit");
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
    struct st_thr *th = ev->tid > 0 ? st_hash_get(&st->threads, ev->tid) : NULL;
    if (d->dir == SKR_DIR_EXIT && th && th->enter_valid && th->enter->def &&
        th->enter->def->name && !strcmp(th->enter->def->name, in->name)) {
        const struct st_evinfo *ein = evinfo(st, th->enter->def);
        if (ein) {
            c.enter = th->enter;
            c.epos = ein->pos;
            out->enter = th->enter;
        }
        th->enter_valid = false;
    }
    /* A clone child's own event (res 0) makes its thread: the thread is
     * not unknown, just new. */
    int64_t res = -1;
    bool child_clone = in->clone && d->dir != SKR_DIR_ENTER && st_arg_s(&c, SP_RES, &res) &&
                       res == 0;
    if (!th && ev->tid > 0 && !child_clone) {
        th = st_thread_new(st, ev->tid, ev->tid);
        if (th) {
            th->pub.flags |= ST_TH_INCOMPLETE;
            st->stats.unknown_threads++;
        }
    }
    if (th) {
        st_thread_touch(st, th);
        th->pub.last_ts = ev->ts;
        th->iflags |= STI_PINNED;
    }
    c.th = th;
    out->thread = th ? &th->pub : NULL;
    /* libs has a few events with no EXIT half (procexit is an ENTER event
     * in scap captures): those are handled as they come. */
    if (d->dir == SKR_DIR_ENTER && !in->enter_only) {
        if (th)
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
