/* panel_counts.c -- the side panel of the hit list: how many hits of the
 * view each priority and each rule has. Enter on a line narrows the
 * filter to it.
 *
 * Design: counting by rule under a filter the rule index cannot serve
 * reads every row (5 s on a 1 GB, 1M-hit DB, measured with sqlite3), so
 * the counts are made on a worker thread with its own read-only
 * connection, and the list never waits for them: the panel shows
 * "counting..." until the worker's results arrive (the main loop asks
 * through the tick method). A new filter interrupts the query in progress
 * (sqlite3_interrupt); results of an older filter are dropped by their
 * generation number. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse.h"
#include "draw.h"

#define MAX_RULES 500

struct counts_worker {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct hitq *q;             /* the worker's own connection */
    char *want;                 /* filter asked for; NULL when nothing is asked */
    uint64_t want_gen, done_gen, interrupts;
    bool quit;
    /* results of done_gen, under mu */
    struct hitq_count prio[8];
    struct hitq_count *rules;
    size_t nrules;
};

struct counts_panel {
    struct panel base;
    struct counts_worker *w;
    struct hitq_count prio[8];
    struct hitq_count *rules;
    size_t nrules;
    uint64_t shown_gen;         /* the generation on screen; 0 = none yet */
    long cursor, top;
};

static void *worker_main(void *arg)
{
    struct counts_worker *w = arg;
    struct hitq_count prio[8];
    struct hitq_count *rules = calloc(MAX_RULES, sizeof *rules);
    pthread_mutex_lock(&w->mu);
    while (!w->quit) {
        if (!w->want) {
            pthread_cond_wait(&w->cv, &w->mu);
            continue;
        }
        char *filter = w->want;
        uint64_t gen = w->want_gen, irq = w->interrupts;
        w->want = NULL;
        pthread_mutex_unlock(&w->mu);
        char err[400];
        size_t nr = 0;
        bool ok = rules && hitq_set_view(w->q, filter, HQ_TIME, false, err, sizeof err) == 0;
        if (ok) {
            hitq_by_prio(w->q, prio);
            nr = hitq_by_rule(w->q, rules, MAX_RULES);
        }
        pthread_mutex_lock(&w->mu);
        if (gen == w->want_gen && w->interrupts != irq && !w->want) {
            /* interrupted, but still the latest filter: count again */
            w->want = filter;
            continue;
        }
        free(filter);
        if (gen == w->want_gen && ok) {
            memcpy(w->prio, prio, sizeof prio);
            memcpy(w->rules, rules, nr * sizeof *rules);
            w->nrules = nr;
            w->done_gen = gen;
        }
    }
    pthread_mutex_unlock(&w->mu);
    free(rules);
    return NULL;
}

static void worker_ask(struct counts_worker *w, const char *filter)
{
    char *f = strdup(filter ? filter : "");
    if (!f)
        return;
    pthread_mutex_lock(&w->mu);
    free(w->want);
    w->want = f;
    w->want_gen++;
    w->interrupts++;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    hitq_interrupt(w->q);
}

static struct counts_worker *worker_new(struct browse *b)
{
    char err[400];
    struct counts_worker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    if (!(w->rules = calloc(MAX_RULES, sizeof *w->rules)) ||
        !(w->q = hitq_open(b->db_path, err, sizeof err)))
        goto fail;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        goto fail;
    }
    return w;
fail:
    hitq_close(w->q);
    free(w->rules);
    free(w);
    return NULL;
}

static void worker_free(struct counts_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->quit = true;
    w->interrupts++;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    hitq_interrupt(w->q);
    pthread_join(w->th, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    hitq_close(w->q);
    free(w->want);
    free(w->rules);
    free(w);
}

/* Takes the worker's results when newer than what is shown. */
static bool take(struct counts_panel *cp)
{
    struct counts_worker *w = cp->w;
    bool got = false;
    if (!w)
        return false;
    pthread_mutex_lock(&w->mu);
    if (w->done_gen == w->want_gen && w->done_gen != cp->shown_gen) {
        memcpy(cp->prio, w->prio, sizeof cp->prio);
        memcpy(cp->rules, w->rules, w->nrules * sizeof *cp->rules);
        cp->nrules = w->nrules;
        cp->shown_gen = w->done_gen;
        got = true;
    }
    pthread_mutex_unlock(&w->mu);
    return got;
}

static bool current(const struct counts_panel *cp)
{
    return cp->w && cp->shown_gen == cp->w->want_gen;
}

/* Lines: "PRIORITY", the priorities with hits, "RULE", the rules. */
static long nlines(struct counts_panel *cp, int *prio_lines)
{
    int n = 0;
    for (int i = 0; i < 8; i++)
        n += cp->prio[i].n > 0;
    *prio_lines = n;
    return cp->shown_gen ? 2 + n + (long)cp->nrules : 0;
}

/* What line i shows: -1 a heading, else 0 a priority, 1 a rule, with *idx. */
static int line_kind(struct counts_panel *cp, long i, int *idx)
{
    int np;
    long n = nlines(cp, &np);
    if (i < 0 || i >= n || i == 0 || i == np + 1)
        return -1;
    if (i <= np) {
        int k = 0;
        for (int p = 0; p < 8; p++)
            if (cp->prio[p].n > 0 && ++k == i) {
                *idx = p;
                return 0;
            }
        return -1;
    }
    *idx = (int)(i - np - 2);
    return 1;
}

static void counts_draw(struct panel *p, struct browse *b)
{
    (void)b;
    struct counts_panel *cp = (struct counts_panel *)p;
    take(cp);
    int np;
    long n = nlines(cp, &np);
    for (int r = 0; r < p->h; r++) {
        long i = cp->top + r;
        int y = p->y + r;
        mvaddch(y, p->x, ACS_VLINE);
        if (r == 0 && !current(cp))
            draw_text(y, p->x + 1, p->w - 1, cp->w ? "counting..." : "(no counts)", TX_OWN, A_DIM);
        if (i >= n || (r == 0 && !current(cp)))
            continue;
        int idx = 0, k = line_kind(cp, i, &idx);
        bool sel = i == cp->cursor && p->focused;
        int a = sel ? A_REVERSE : 0;
        draw_fill(y, p->x + 1, p->w - 1, a);
        if (k < 0) {
            draw_text(y, p->x + 1, p->w - 1, i == 0 ? "PRIORITY" : "RULE", TX_OWN, A_BOLD | a);
            continue;
        }
        const struct hitq_count *c = k == 0 ? &cp->prio[idx] : &cp->rules[idx];
        char num[24];
        int nw = snprintf(num, sizeof num, "%lld", (long long)c->n);
        int kw = p->w - 2 - nw - 1;
        draw_text(y, p->x + 2, kw, c->key, k == 1 ? TX_DB : TX_OWN, a ? a : draw_prio_attr(c->prio));
        draw_text(y, p->x + p->w - nw, nw, num, TX_OWN, a);
    }
}

static int counts_key(struct panel *p, struct browse *b, enum cmd c, int key)
{
    struct counts_panel *cp = (struct counts_panel *)p;
    int np;
    long n = nlines(cp, &np);
    switch (c) {
    case CMD_ENTER: {
        int idx = 0, k = line_kind(cp, cp->cursor, &idx);
        char clause[400];
        if (!current(cp) || k < 0)
            return PF_HANDLED;
        if (k == 0) {
            snprintf(clause, sizeof clause, "rule.priority = %d", idx);
        } else {
            char q[300];
            browse_quote(q, sizeof q, cp->rules[idx].key);
            snprintf(clause, sizeof clause, "rule.name = %s", q);
        }
        b->counts_focus = false;
        browse_and_filter(b, clause);
        return PF_REDRAW;
    }
    case CMD_BACK:
        return PF_BACK;
    case CMD_SEARCH:
        for (long k = 1; k <= n; k++) {
            long i = (cp->cursor + k) % n;
            int idx = 0, kind = line_kind(cp, i, &idx);
            if (kind == 1 && strcasestr(cp->rules[idx].key, b->search)) {
                cp->cursor = i;
                panel_scroll(CMD_NONE, n, p->h, &cp->cursor, &cp->top);
                return PF_REDRAW;
            }
        }
        browse_status(b, false, "not found: %s", b->search);
        return PF_REDRAW;
    default:
        if (panel_scroll(c, n, p->h, &cp->cursor, &cp->top))
            return PF_REDRAW;
        /* the rest (filter, priority keys, timeline) as on the list */
        if (b->depth)
            return b->stack[0]->cls->key(b->stack[0], b, c, key);
        return 0;
    }
}

static int counts_tick(struct panel *p, struct browse *b)
{
    (void)b;
    return take((struct counts_panel *)p) ? PF_REDRAW : 0;
}

static void counts_refilter(struct panel *p, struct browse *b)
{
    struct counts_panel *cp = (struct counts_panel *)p;
    cp->cursor = cp->top = 0;
    if (cp->w)
        worker_ask(cp->w, b->filter);
}

static void counts_destroy(struct panel *p)
{
    struct counts_panel *cp = (struct counts_panel *)p;
    worker_free(cp->w);
    free(cp->rules);
    free(cp);
}

static const struct panel_class counts_class = {
    .name = "hits",
    .kind = PK_COUNTS,
    .draw = counts_draw,
    .key = counts_key,
    .refilter = counts_refilter,
    .destroy = counts_destroy,
    .tick = counts_tick,
    .hint = "? help  q quit  Enter filter by this line  Tab the list  c hide  u unfilter",
};

struct panel *panel_counts_new(struct browse *b)
{
    struct counts_panel *cp = calloc(1, sizeof *cp);
    if (!cp || !(cp->rules = calloc(MAX_RULES, sizeof *cp->rules))) {
        free(cp);
        return NULL;
    }
    cp->base.cls = &counts_class;
    cp->w = worker_new(b);
    if (cp->w)
        worker_ask(cp->w, b->filter);
    return &cp->base;
}
