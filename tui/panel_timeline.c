/* panel_timeline.c -- hits (from the DB, under the current filter) and
 * events (from the traces' block indexes, nothing decompressed) over time,
 * one column per time bucket. Left/Right move a cursor, Space marks a
 * start, Enter filters the hits to the range (or, on a trace alone, shows
 * the events from there); + and - zoom. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse.h"
#include "draw.h"

#define MAX_BUCKETS 1024

struct timeline_panel {
    struct panel base;
    struct evsrc *es;           /* the traces, for the events histogram; may be NULL */
    uint64_t first, last;       /* the whole span */
    uint64_t from, to;          /* the span shown */
    uint64_t hits[MAX_BUCKETS], events[MAX_BUCKETS];
    int nb;                     /* buckets computed for this width */
    long cursor, mark;          /* bucket indexes; mark -1 when none */
    bool stale;
};

static int buckets_for(const struct panel *p)
{
    int n = p->w - 10;
    return n < 1 ? 1 : n > MAX_BUCKETS ? MAX_BUCKETS : n;
}

/* Integers only: a double holds ns since the epoch to 256 ns, and a
 * boundary off by that would count a hit in the neighbour bucket. compute()
 * makes to - from a whole number of buckets. */
static uint64_t bucket_ts(const struct timeline_panel *tp, long i)
{
    uint64_t width = tp->nb ? (tp->to - tp->from) / (uint64_t)tp->nb : 0;
    return tp->from + width * (uint64_t)i;
}

static void compute(struct timeline_panel *tp, struct browse *b)
{
    tp->nb = buckets_for(&tp->base);
    memset(tp->hits, 0, sizeof tp->hits);
    memset(tp->events, 0, sizeof tp->events);
    /* whole buckets: the SQL side divides by an integer width */
    uint64_t span = tp->to - tp->from;
    uint64_t width = (span + (uint64_t)tp->nb - 1) / (uint64_t)tp->nb;
    if (!width)
        width = 1;
    tp->to = tp->from + width * (uint64_t)tp->nb;
    if (b->db)
        hitq_histogram(b->db, tp->from, tp->to, tp->hits, (size_t)tp->nb);
    if (tp->es)
        evsrc_histogram(tp->es, tp->from, tp->to, tp->events, (size_t)tp->nb);
    if (tp->cursor >= tp->nb)
        tp->cursor = tp->nb - 1;
    tp->stale = false;
}

static void bars(const struct panel *p, int y0, int h, const uint64_t *v, int nb, long cursor,
                 long mark, const char *label, int attr)
{
    uint64_t max = 0;
    for (int i = 0; i < nb; i++)
        max = v[i] > max ? v[i] : max;
    char top[32];
    snprintf(top, sizeof top, "%llu", (unsigned long long)max);
    draw_text(y0, p->x, 9, top, TX_OWN, A_DIM);
    draw_text(y0 + h - 1, p->x, 9, label, TX_OWN, A_BOLD);
    for (int i = 0; i < nb; i++) {
        int x = p->x + 10 + i;
        int hh = max ? (int)((v[i] * (uint64_t)h + max - 1) / max) : 0;
        bool in_range = mark >= 0 && ((i >= mark && i <= cursor) || (i <= mark && i >= cursor));
        for (int r = 0; r < h; r++) {
            int y = y0 + h - 1 - r;
            int a = (i == cursor ? A_REVERSE : 0) | (in_range ? COLOR_PAIR(CP_MARK) : 0);
            /* '#' (not a reversed blank) so the bars also read without colour */
            if (r < hh)
                mvaddch(y, x, (chtype)'#' | (chtype)attr | (chtype)(i == cursor ? A_REVERSE : 0));
            else
                mvaddch(y, x, (chtype)(i == cursor ? '|' : ' ') | (chtype)a);
        }
    }
}

static void timeline_draw(struct panel *p, struct browse *b)
{
    struct timeline_panel *tp = (struct timeline_panel *)p;
    if (tp->stale || tp->nb != buckets_for(p))
        compute(tp, b);
    char a[64], z[64], c0[64], c1[64];
    draw_time(a, sizeof a, tp->from, true);
    draw_time(z, sizeof z, tp->to, true);
    draw_fill(p->y, p->x, p->w, A_REVERSE | A_BOLD);
    draw_fmt(p->y, p->x, p->w, A_REVERSE | A_BOLD, " timeline %s .. %s", a, z);
    int avail = p->h - 4;
    bool both = b->db && tp->es;
    int hh = both ? avail / 2 : avail;
    int y = p->y + 1;
    if (b->db) {
        bars(p, y, hh, tp->hits, tp->nb, tp->cursor, tp->mark, "hits", COLOR_PAIR(CP_RED));
        y += hh;
    }
    if (tp->es)
        bars(p, y, both ? avail - hh : hh, tp->events, tp->nb, tp->cursor, tp->mark, "events",
             COLOR_PAIR(CP_CYAN));
    if (!tp->es && !b->db)
        draw_text(y, p->x, p->w, "nothing to show", TX_OWN, 0);
    long lo = tp->mark >= 0 && tp->mark < tp->cursor ? tp->mark : tp->cursor;
    long hi = tp->mark > tp->cursor ? tp->mark : tp->cursor;
    draw_time(c0, sizeof c0, bucket_ts(tp, lo), false);
    draw_time(c1, sizeof c1, bucket_ts(tp, hi + 1), false);
    uint64_t nh = 0, ne = 0;
    for (long i = lo; i <= hi && i < tp->nb; i++)
        nh += tp->hits[i], ne += tp->events[i];
    draw_fmt(p->y + p->h - 2, p->x, p->w, A_BOLD, "%s %s .. %s: %llu hits, %llu events",
             tp->mark >= 0 ? "range" : "bucket", c0, c1, (unsigned long long)nh,
             (unsigned long long)ne);
    draw_text(p->y + p->h - 1, p->x, p->w,
              "Left/Right move  Space mark start  Enter filter to the range  +/- zoom", false, A_DIM);
}

static int timeline_key(struct panel *p, struct browse *b, enum cmd c, int key)
{
    (void)key;
    struct timeline_panel *tp = (struct timeline_panel *)p;
    long step = 1;
    switch (c) {
    case CMD_BACK:
        return PF_BACK;
    case CMD_LEFT: case CMD_UP: case CMD_PGUP: case CMD_HOME:
        step = c == CMD_PGUP ? 10 : c == CMD_HOME ? tp->nb : 1;
        tp->cursor = tp->cursor - step > 0 ? tp->cursor - step : 0;
        return PF_REDRAW;
    case CMD_RIGHT: case CMD_DOWN: case CMD_PGDN: case CMD_END:
        step = c == CMD_PGDN ? 10 : c == CMD_END ? tp->nb : 1;
        tp->cursor = tp->cursor + step < tp->nb ? tp->cursor + step : tp->nb - 1;
        return PF_REDRAW;
    case CMD_MARK:
        tp->mark = tp->mark == tp->cursor ? -1 : tp->cursor;
        return PF_REDRAW;
    case CMD_MORE: case CMD_LESS: {
        uint64_t at = bucket_ts(tp, tp->cursor), span = tp->to - tp->from;
        span = c == CMD_MORE ? span / 4 : span;
        if (span < (uint64_t)tp->nb)
            span = (uint64_t)tp->nb;
        uint64_t nf = at > tp->first + span ? at - span : tp->first;
        uint64_t nt = at + span < tp->last + 1 ? at + span : tp->last + 1;
        if (c == CMD_LESS && nf == tp->first && nt == tp->last + 1)
            browse_status(b, false, "the whole span is shown");
        tp->from = nf;
        tp->to = nt > nf ? nt : nf + 1;
        tp->mark = -1;
        tp->stale = true;
        tp->cursor = tp->nb / 2;
        return PF_REDRAW;
    }
    case CMD_ENTER: {
        long lo = tp->mark >= 0 && tp->mark < tp->cursor ? tp->mark : tp->cursor;
        long hi = tp->mark > tp->cursor ? tp->mark : tp->cursor;
        uint64_t a = bucket_ts(tp, lo), z = bucket_ts(tp, hi + 1);
        if (!b->db) {
            char err[400];
            struct evsrc *es = tp->es ? evsrc_dup(tp->es, err, sizeof err) : NULL;
            if (!es) {
                browse_status(b, true, "%s", tp->es ? err : "no trace");
                return PF_REDRAW;
            }
            browse_push(b, panel_events_new(b, es, "events from the timeline", a, 0, -1, -1, NULL));
            return PF_REDRAW;
        }
        char clause[200];
        snprintf(clause, sizeof clause, "evt.time >= %llu and evt.time < %llu",
                 (unsigned long long)a, (unsigned long long)z);
        if (browse_and_filter(b, clause))
            return PF_BACK;
        return PF_REDRAW;
    }
    case CMD_FILTER: case CMD_CLEAR:
        return b->stack[0]->cls->kind == PK_HITS ? b->stack[0]->cls->key(b->stack[0], b, c, key)
                                                 : PF_HANDLED;
    default:
        return 0;
    }
}

static void timeline_refilter(struct panel *p, struct browse *b)
{
    (void)b;
    ((struct timeline_panel *)p)->stale = true;
}

static void timeline_destroy(struct panel *p)
{
    struct timeline_panel *tp = (struct timeline_panel *)p;
    evsrc_close(tp->es);
    free(tp);
}

static const struct panel_class timeline_class = {
    .name = "timeline",
    .kind = PK_TIMELINE,
    .draw = timeline_draw,
    .key = timeline_key,
    .refilter = timeline_refilter,
    .destroy = timeline_destroy,
    .hint = "? help  Esc back  Left/Right move  Space mark  Enter apply range  +/- zoom",
};

struct panel *panel_timeline_new(struct browse *b)
{
    struct timeline_panel *tp = calloc(1, sizeof *tp);
    if (!tp)
        return NULL;
    tp->base.cls = &timeline_class;
    tp->mark = -1;
    tp->stale = true;
    char err[400];
    if (b->ntraces)
        tp->es = browse_open_all(b, err, sizeof err); /* missing traces: hits only */
    uint64_t f = 0, l = 0;
    if (b->db)
        hitq_span(b->db, &f, &l);
    if (tp->es) {
        uint64_t ef = evsrc_first_ts(tp->es), el = evsrc_last_ts(tp->es);
        if (ef && (!f || ef < f))
            f = ef;
        if (el > l)
            l = el;
    }
    tp->first = f;
    tp->last = l;
    tp->from = f;
    tp->to = l + 1;
    return &tp->base;
}
