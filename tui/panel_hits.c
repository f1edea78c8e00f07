/* panel_hits.c -- the hit list: time, priority, rule, process, container
 * and output of each hit of the view, sorted by any column, coloured by
 * priority. Only the rows on the screen are asked of hitq, which pages
 * them from SQLite, so a million hits scroll like ten. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse.h"
#include "draw.h"

struct hits_panel {
    struct panel base;
    long cursor, top;
};

struct colw {
    int w[HQ_NCOLS];
};

/* Column widths for a panel width; 0 hides a column. The output takes
 * what is left. */
static struct colw widths(int w)
{
    struct colw c = { { 12, 5, 16, 0, 0, 0 } };
    if (w >= 110) {
        c.w[HQ_RULE] = 30, c.w[HQ_PROC] = 14, c.w[HQ_CONTAINER] = 13;
    } else if (w >= 70) {
        c.w[HQ_RULE] = 20, c.w[HQ_PROC] = 10, c.w[HQ_CONTAINER] = 12;
    }
    int used = 0;
    for (int i = 0; i < HQ_OUTPUT; i++)
        used += c.w[i] ? c.w[i] + 1 : 0;
    c.w[HQ_OUTPUT] = w - used > 0 ? w - used : 0;
    return c;
}

static const char *const short_prio[] = { "EMERG", "ALERT", "CRIT", "ERROR",
                                          "WARN", "NOTIC", "INFO", "DEBUG" };

static void hits_draw(struct panel *p, struct browse *b)
{
    struct hits_panel *hp = (struct hits_panel *)p;
    struct colw c = widths(p->w);
    static const char *const heads[] = { "TIME", "PRIO", "RULE", "PROCESS", "CONTAINER", "OUTPUT" };
    int x = p->x;
    draw_fill(p->y, p->x, p->w, A_REVERSE | A_BOLD);
    for (int i = 0; i < HQ_NCOLS; i++) {
        if (!c.w[i])
            continue;
        char h[40];
        snprintf(h, sizeof h, "%s%s", heads[i], b->sort == (enum hitq_col)i ? (b->desc ? "v" : "^") : "");
        int a = A_REVERSE | A_BOLD | (b->sort == (enum hitq_col)i ? A_UNDERLINE : 0);
        draw_text(p->y, x, c.w[i], h, TX_OWN, a);
        x += c.w[i] + 1;
    }
    int64_t n = hitq_count(b->db);
    int rows = p->h - 1;
    if (n == 0) {
        draw_text(p->y + 2, p->x + 2, p->w - 2,
                  b->filter && b->filter[0] ? "no hit matches the filter (u removes it)"
                                            : "no hits in this database",
                  false, A_BOLD);
    }
    for (int r = 0; r < rows; r++) {
        long i = hp->top + r;
        const struct hitq_row *h = hitq_row(b->db, i);
        if (!h)
            break;
        bool sel = i == hp->cursor;
        int base = sel ? (p->focused ? A_REVERSE : A_UNDERLINE) : 0;
        int pa = sel ? base : draw_prio_attr(h->prio);
        int y = p->y + 1 + r;
        draw_fill(y, p->x, p->w, base);
        char tbuf[40];
        draw_time(tbuf, sizeof tbuf, (uint64_t)h->time_ns, false);
        x = p->x;
        const char *vals[HQ_NCOLS] = { tbuf, h->prio >= 0 && h->prio < 8 ? short_prio[h->prio] : "?",
                                       h->rule, h->proc, h->container, h->output };
        for (int k = 0; k < HQ_NCOLS; k++) {
            if (!c.w[k])
                continue;
            int a = k == HQ_PRIO || k == HQ_RULE ? pa : base;
            if (k == HQ_CONTAINER && !strcmp(h->container, "host") && !sel)
                a = A_DIM;
            draw_text(y, x, c.w[k], vals[k], k >= HQ_RULE ? TX_DB : TX_OWN, a);
            x += c.w[k] + 1;
        }
    }
    /* position indicator in the header's last columns */
    char pos[48];
    snprintf(pos, sizeof pos, " %ld/%lld ", n ? hp->cursor + 1 : 0, (long long)n);
    int pl = (int)strlen(pos);
    if (p->w > pl + 20)
        draw_text(p->y, p->x + p->w - pl, pl, pos, TX_OWN, A_REVERSE | A_BOLD);
}

static int64_t current_id(struct hits_panel *hp, struct browse *b)
{
    const struct hitq_row *h = hitq_row(b->db, hp->cursor);
    return h ? h->id : -1;
}

static int resort(struct browse *b, enum hitq_col col, bool desc)
{
    char err[400];
    browse_busy(b, "sorting...");
    int rc = hitq_set_view(b->db, b->filter, col, desc, err, sizeof err);
    browse_done(b);
    if (rc < 0) {
        if (hitq_cancelled(b->db))
            browse_status(b, false, "sort stopped");
        else
            browse_status(b, true, "sort: %s", err);
        return PF_REDRAW;
    }
    b->sort = col;
    b->desc = desc;
    browse_status(b, false, "sorted by %s, %s", hitq_sort_name(col), desc ? "descending" : "ascending");
    return PF_REDRAW;
}

static int hits_key(struct panel *p, struct browse *b, enum cmd c, int key)
{
    struct hits_panel *hp = (struct hits_panel *)p;
    int64_t id;
    switch (c) {
    case CMD_ENTER:
        if ((id = current_id(hp, b)) >= 0)
            browse_push(b, panel_detail_new(b, id));
        return PF_REDRAW;
    case CMD_EVIDENCE:
        if ((id = current_id(hp, b)) >= 0)
            browse_open_evidence(b, id);
        return PF_REDRAW;
    case CMD_TREE:
        if ((id = current_id(hp, b)) >= 0)
            browse_open_tree(b, id);
        return PF_REDRAW;
    case CMD_TIMELINE:
        browse_push(b, panel_timeline_new(b));
        return PF_REDRAW;
    case CMD_SORT_NEXT:
        hp->cursor = hp->top = 0;
        return resort(b, (b->sort + 1) % HQ_NCOLS, b->desc);
    case CMD_SORT_PREV:
        hp->cursor = hp->top = 0;
        return resort(b, (b->sort + HQ_NCOLS - 1) % HQ_NCOLS, b->desc);
    case CMD_SORT_INVERT:
        hp->cursor = hp->top = 0;
        return resort(b, b->sort, !b->desc);
    case CMD_FILTER: {
        char text[1024];
        if (browse_prompt(b, "filter: ", b->filter, text, sizeof text))
            browse_set_filter(b, text);
        return PF_REDRAW;
    }
    case CMD_CLEAR:
        browse_set_filter(b, "");
        return PF_REDRAW;
    case CMD_PRIO: {
        static const char *const names[] = { "emergency", "alert", "critical", "error",
                                             "warning", "notice", "informational", "debug" };
        char clause[64];
        snprintf(clause, sizeof clause, "rule.priority >= %s", names[(key - '0') & 7]);
        browse_and_filter(b, clause);
        return PF_REDRAW;
    }
    case CMD_SEARCH: {
        browse_busy(b, "searching...");
        int64_t pos = hitq_search(b->db, hp->cursor, b->search);
        browse_done(b);
        if (pos < 0 && hitq_cancelled(b->db)) {
            browse_status(b, false, "search stopped");
        } else if (pos < 0) {
            browse_status(b, false, "not found: %s", b->search);
        } else {
            hp->cursor = (long)pos;
            if (hp->cursor < hp->top || hp->cursor >= hp->top + p->h - 1)
                hp->top = hp->cursor - (p->h - 1) / 2 > 0 ? hp->cursor - (p->h - 1) / 2 : 0;
        }
        return PF_REDRAW;
    }
    case CMD_BACK:
        return PF_HANDLED;
    default:
        if (panel_scroll(c, (long)hitq_count(b->db), p->h - 1, &hp->cursor, &hp->top))
            return PF_REDRAW;
        return 0;
    }
}

static void hits_refilter(struct panel *p, struct browse *b)
{
    (void)b;
    struct hits_panel *hp = (struct hits_panel *)p;
    hp->cursor = hp->top = 0;
}

static void hits_destroy(struct panel *p) { free(p); }

static const struct panel_class hits_class = {
    .name = "hits",
    .kind = PK_HITS,
    .draw = hits_draw,
    .key = hits_key,
    .refilter = hits_refilter,
    .destroy = hits_destroy,
    .hint = "? help  q quit  Enter detail  e evidence  t tree  T timeline  \\ filter  "
            "/ search  > sort  Tab counts",
};

struct panel *panel_hits_new(struct browse *b)
{
    (void)b;
    struct hits_panel *hp = calloc(1, sizeof *hp);
    if (!hp)
        return NULL;
    hp->base.cls = &hits_class;
    return &hp->base;
}
