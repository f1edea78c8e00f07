/* evsrc.c -- event windows and process trees for the browser (evsrc.h),
 * all through analyzer/replay.h and the state lookups of analyzer/state.h. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evsrc.h"
#include "../analyzer/evtfmt.h"
#include "../analyzer/filter.h"
#include "../analyzer/replay.h"
#include "../analyzer/state.h"
#include "../reader/codec.h"

struct evsrc {
    struct replay *rp;
    char **paths;
    size_t npaths;
    struct filter *filter;
    bool positioned;        /* the replay stands right after the window's last event */
};

struct evsrc *evsrc_open(const char *const *paths, size_t n, char *err, size_t errlen)
{
    struct evsrc *es = calloc(1, sizeof *es);
    if (!es) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    /* Damage is counted by the reader, not printed: the terminal is ours. */
    if (replay_open(paths, n, NULL, NULL, &es->rp, err, errlen) < 0) {
        free(es);
        return NULL;
    }
    if (!(es->paths = calloc(n, sizeof *es->paths)))
        goto oom;
    for (es->npaths = 0; es->npaths < n; es->npaths++)
        if (!(es->paths[es->npaths] = strdup(paths[es->npaths])))
            goto oom;
    return es;
oom:
    snprintf(err, errlen, "out of memory");
    evsrc_close(es);
    return NULL;
}

struct evsrc *evsrc_dup(const struct evsrc *es, char *err, size_t errlen)
{
    return evsrc_open((const char *const *)es->paths, es->npaths, err, errlen);
}

void evsrc_close(struct evsrc *es)
{
    if (!es)
        return;
    replay_close(es->rp);
    filter_free(es->filter);
    for (size_t i = 0; i < es->npaths; i++)
        free(es->paths[i]);
    free(es->paths);
    free(es);
}

uint64_t evsrc_first_ts(const struct evsrc *es) { return replay_first_ts(es->rp); }
uint64_t evsrc_last_ts(const struct evsrc *es) { return replay_last_ts(es->rp); }

void evsrc_histogram(struct evsrc *es, uint64_t from, uint64_t to, uint64_t *buckets, size_t nb)
{
    memset(buckets, 0, nb * sizeof *buckets);
    if (to <= from || !nb)
        return;
    double width = (double)(to - from) / (double)nb;
    struct skr_merge *m = replay_merge(es->rp);
    for (size_t f = 0; f < skr_merge_nreaders(m); f++) {
        struct skr_reader *r = skr_merge_reader(m, f);
        for (size_t i = 0; i < skr_reader_nblocks(r); i++) {
            const struct skr_block_info *b = skr_reader_block(r, i);
            if (!b->count || b->max_ts < from || b->min_ts >= to || b->max_ts < b->min_ts)
                continue;
            /* spread evenly over the block's buckets */
            /* differences first: a double holds 1e18 only to 256 ns */
            double lo = (double)((b->min_ts < from ? from : b->min_ts) - from) / width;
            double hi = (double)((b->max_ts >= to ? to - 1 : b->max_ts) - from) / width;
            size_t a = (size_t)lo, z = (size_t)hi;
            if (z >= nb)
                z = nb - 1;
            if (a > z)
                a = z;
            uint64_t per = b->count / (z - a + 1), rest = b->count % (z - a + 1);
            for (size_t k = a; k <= z; k++)
                buckets[k] += per + (k == a ? rest : 0);
        }
    }
}

int evsrc_set_filter(struct evsrc *es, const char *text, char *err, size_t errlen)
{
    struct filter *f = NULL;
    if (text && *text) {
        struct filter_error ferr;
        if (!(f = filter_compile(text, NULL, &ferr))) {
            snprintf(err, errlen, "%s", ferr.msg);
            return -1;
        }
    }
    filter_free(es->filter);
    es->filter = f;
    es->positioned = false;
    return 0;
}

static void line_free(struct ev_line *l)
{
    free(l->text);
    free(l->fdname);
    free(l->data);
}

void evsrc_window_free(struct ev_window *w)
{
    for (size_t i = 0; i < w->n; i++)
        line_free(&w->lines[i]);
    free(w->lines);
    *w = (struct ev_window){ .target = -1 };
}

/* Builds the line for the event replay_next just gave. */
static int make_line(const struct fld_ctx *ctx, struct ev_line *l)
{
    const struct skr_event *ev = ctx->ev;
    const struct st_thread *th = ctx->se ? ctx->se->thread : NULL;
    struct skr_buf b = { 0 };
    evtfmt_line(&b, ev, th && th->comm && th->comm[0] ? th->comm : NULL);
    while (b.len && (b.data[b.len - 1] == '\n'))
        b.len--;
    skr_put_u8(&b, 0);
    if (b.oom) {
        skr_buf_free(&b);
        return -1;
    }
    *l = (struct ev_line){ .num = ev->num, .ts = ev->ts, .tid = ev->tid, .pid = th ? th->pid : -1,
                           .fd = ctx->se ? ctx->se->fdnum : -1, .text = (char *)b.data };
    if (ctx->se && ctx->se->fd && ctx->se->fd->name)
        l->fdname = strdup(ctx->se->fd->name);
    for (size_t i = 0; ev->def && i < ev->nparams && i < ev->def->nparams; i++) {
        if (strcmp(ev->def->params[i].name, "data") || !ev->params[i].ptr)
            continue;
        size_t n = ev->params[i].len < EVSRC_DATA_MAX ? ev->params[i].len : EVSRC_DATA_MAX;
        if ((l->data = malloc(n ? n : 1))) {
            memcpy(l->data, ev->params[i].ptr, n);
            l->datalen = n;
        }
    }
    return 0;
}

static int push(struct ev_window *w, struct ev_line *l)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        struct ev_line *nl = realloc(w->lines, cap * sizeof *nl);
        if (!nl) {
            line_free(l);
            return -1;
        }
        w->lines = nl;
        w->cap = cap;
    }
    w->lines[w->n++] = *l;
    return 0;
}

static int start(struct evsrc *es, uint64_t from, const struct filter *f, char *err, size_t errlen)
{
    struct replay_opts o = { .from_ns = from, .filter = f, .need_state = true };
    es->positioned = false;
    return replay_start(es->rp, &o, err, errlen);
}

int evsrc_window(struct evsrc *es, uint64_t ts, uint64_t num, size_t before, size_t after,
                 struct ev_window *w, char *err, size_t errlen)
{
    assert(es && w);
    evsrc_window_free(w);
    uint64_t first = replay_first_ts(es->rp);
    uint64_t margin = 1000000; /* 1 ms: a busy trace holds hundreds of events in it */
    struct ev_line *ring = calloc(before + 1, sizeof *ring);
    if (!ring) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (;;) {
        uint64_t from = before && ts > first + margin ? ts - margin : (before ? first : ts);
        if (start(es, from, es->filter, err, errlen) < 0)
            break;
        size_t head = 0, nring = 0;
        const struct fld_ctx *ctx;
        int rc;
        bool reached = false;
        struct ev_line l;
        while ((rc = replay_next(es->rp, &ctx)) == 1) {
            const struct skr_event *ev = ctx->ev;
            bool is_target = ev->ts > ts || (ev->ts == ts && (num == 0 || ev->num == num));
            if (is_target) {
                if (make_line(ctx, &l) < 0)
                    break;
                reached = true;
                break;
            }
            if (!before)
                continue;
            if (make_line(ctx, &l) < 0)
                break;
            if (nring == before) {
                line_free(&ring[head]);
                ring[head] = l;
                head = (head + 1) % before;
            } else {
                ring[(head + nring) % before] = l;
                nring++;
            }
        }
        assert(nring <= before);
        bool complete = nring == before || from <= first;
        if (!complete) {
            for (size_t i = 0; i < nring; i++)
                line_free(&ring[(head + i) % before]);
            if (reached)
                line_free(&l);
            margin *= 8;
            continue;
        }
        /* at the trace start only if nothing before the ring was dropped */
        w->at_start = from <= first && nring < before + (before == 0);
        for (size_t i = 0; i < nring; i++)
            if (push(w, &ring[(head + i) % before]) < 0)
                break;
        w->target = -1;
        if (reached) {
            if (l.ts == ts && (num == 0 || l.num == num))
                w->target = (long)w->n;
            push(w, &l);
            es->positioned = true;
            evsrc_more(es, w, after, 0);
        } else {
            w->at_end = true;
        }
        free(ring);
        return 0;
    }
    free(ring);
    return -1;
}

long evsrc_more(struct evsrc *es, struct ev_window *w, size_t n, size_t keep)
{
    if (!w->n)
        return 0;
    const struct fld_ctx *ctx = NULL;
    bool pending = false; /* ctx holds an event not yet taken */
    if (!es->positioned) {
        struct ev_line last = w->lines[w->n - 1];
        char err[200];
        if (start(es, last.ts, es->filter, err, sizeof err) < 0)
            return -1;
        /* skip up to and including the window's last event */
        for (;;) {
            if (replay_next(es->rp, &ctx) != 1) {
                w->at_end = true;
                return 0;
            }
            if (ctx->ev->ts > last.ts) {
                pending = true;
                break;
            }
            if (ctx->ev->num == last.num)
                break;
        }
        es->positioned = true;
    }
    long added = 0;
    while ((size_t)added < n) {
        if (!pending && replay_next(es->rp, &ctx) != 1) {
            w->at_end = true;
            break;
        }
        pending = false;
        struct ev_line l;
        if (make_line(ctx, &l) < 0 || push(w, &l) < 0)
            return -1;
        added++;
    }
    if (pending)
        es->positioned = false; /* an event was read but not taken */
    if (keep && w->n > keep) {
        size_t drop = w->n - keep;
        for (size_t i = 0; i < drop; i++)
            line_free(&w->lines[i]);
        memmove(w->lines, w->lines + drop, (w->n - drop) * sizeof *w->lines);
        w->n -= drop;
        w->target = w->target >= (long)drop ? w->target - (long)drop : -1;
        w->at_start = false;
    }
    return added;
}

/* ---- process trees ---- */

struct collect {
    struct st_thread **v;
    size_t n, cap;
};

static void collect_proc(void *ctx, struct st_thread *th)
{
    struct collect *c = ctx;
    if (th->tid != th->pid)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        struct st_thread **nv = realloc(c->v, cap * sizeof *nv);
        if (!nv)
            return;
        c->v = nv;
        c->cap = cap;
    }
    c->v[c->n++] = th;
}

static char *cmdline_of(const struct st_thread *th)
{
    struct skr_buf b = { 0 };
    const char *exe = th->exe && th->exe[0] ? th->exe : (th->comm ? th->comm : "");
    skr_put_raw(&b, exe, strlen(exe));
    for (size_t i = 0; i < th->args_len && th->args; i++) {
        char c = th->args[i];
        if (i == 0)
            skr_put_u8(&b, ' ');
        /* arguments end with NUL: shown as spaces, the last one dropped */
        if (c == 0 && i + 1 == th->args_len)
            break;
        skr_put_u8(&b, c ? (uint8_t)c : ' ');
    }
    skr_put_u8(&b, 0);
    if (b.oom) {
        skr_buf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}

static int add_proc(struct ev_tree *t, size_t *cap, const struct st_thread *th, int depth,
                    bool self)
{
    if (t->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        struct ev_proc *np = realloc(t->procs, nc * sizeof *np);
        if (!np)
            return -1;
        t->procs = np;
        *cap = nc;
    }
    struct ev_proc *p = &t->procs[t->n];
    *p = (struct ev_proc){ .pid = th->pid, .ppid = th->ppid, .depth = depth, .self = self,
                           .dead = (th->flags & ST_TH_DEAD) != 0 };
    p->comm = strdup(th->comm ? th->comm : "");
    p->cmdline = cmdline_of(th);
    if (!p->comm || !p->cmdline) {
        free(p->comm);
        free(p->cmdline);
        return -1;
    }
    t->n++;
    return 0;
}

#define TREE_MAX_ANCESTORS 64
#define TREE_MAX_DESC 500

static void add_children(struct ev_tree *t, size_t *cap, struct collect *all, int64_t pid,
                         int depth, int gens)
{
    for (size_t i = 0; i < all->n && t->n < TREE_MAX_DESC && gens > 0; i++) {
        if (all->v[i]->ppid != pid || all->v[i]->pid == pid)
            continue;
        if (add_proc(t, cap, all->v[i], depth, false) < 0)
            return;
        add_children(t, cap, all, all->v[i]->pid, depth + 1, gens - 1);
    }
}

int evsrc_tree(struct evsrc *es, uint64_t ts, uint64_t num, int64_t tid, struct ev_tree *t,
               char *err, size_t errlen)
{
    *t = (struct ev_tree){ 0 };
    if (start(es, ts, NULL, err, errlen) < 0)
        return -1;
    const struct fld_ctx *ctx;
    while (replay_next(es->rp, &ctx) == 1) {
        if (ctx->ev->ts > ts)
            break;
        if (ctx->ev->num == num) {
            t->found = true;
            break;
        }
    }
    struct state *st = replay_state(es->rp);
    struct st_thread *th = st ? state_thread(st, tid) : NULL;
    if (!th)
        return 0;
    struct st_thread *proc = state_process(st, th);
    if (!proc)
        proc = th;
    struct st_thread *chain[TREE_MAX_ANCESTORS];
    size_t nchain = 0;
    for (struct st_thread *p = state_parent(st, proc); p && nchain < TREE_MAX_ANCESTORS;
         p = state_parent(st, p)) {
        bool loop = p == proc;
        for (size_t i = 0; i < nchain; i++)
            loop |= chain[i] == p;
        if (loop)
            break;
        chain[nchain++] = p;
    }
    size_t cap = 0;
    for (size_t i = nchain; i-- > 0;)
        if (add_proc(t, &cap, chain[i], (int)(nchain - 1 - i), false) < 0)
            goto oom;
    if (add_proc(t, &cap, proc, (int)nchain, true) < 0)
        goto oom;
    struct collect all = { 0 };
    state_foreach_thread(st, collect_proc, &all);
    add_children(t, &cap, &all, proc->pid, (int)nchain + 1, 3);
    free(all.v);
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    evsrc_tree_free(t);
    return -1;
}

void evsrc_tree_free(struct ev_tree *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->procs[i].comm);
        free(t->procs[i].cmdline);
    }
    free(t->procs);
    *t = (struct ev_tree){ 0 };
}
