/* panel_tree.c -- the process tree at a moment (a hit's or an event's):
 * the ancestors of the process, the process itself, and its children and
 * their children, each with its command line, as the replayed state knew
 * them right after that event. */
#include <stdio.h>
#include <stdlib.h>

#include "browse.h"
#include "draw.h"

struct tree_panel {
    struct panel base;
    struct evsrc *es;
    uint64_t ts, num;
    int64_t tid;
    struct textview tv;
    bool built;
};

static void build(struct tree_panel *tp)
{
    struct ev_tree t;
    char err[400], when[64];
    tp->built = true;
    draw_time(when, sizeof when, tp->ts, true);
    tv_add(&tp->tv, TX_OWN, A_BOLD, "process tree of thread %lld after event %llu (%s)",
           (long long)tp->tid, (unsigned long long)tp->num, when);
    if (evsrc_tree(tp->es, tp->ts, tp->num, tp->tid, &t, err, sizeof err) < 0) {
        tv_add(&tp->tv, TX_RAW, COLOR_PAIR(CP_RED), "%s", err);
        return;
    }
    if (!t.found)
        tv_add(&tp->tv, TX_OWN, COLOR_PAIR(CP_YELLOW),
               "(the event was not found in the trace: the state near its time)");
    if (!t.n)
        tv_add(&tp->tv, TX_OWN, 0, "(the thread is not known to the state at that time)");
    tv_add(&tp->tv, TX_OWN, A_DIM, "%s", "");
    tv_add(&tp->tv, TX_OWN, A_BOLD, "%-8s %s", "PID", "PROCESS  COMMAND LINE");
    for (size_t i = 0; i < t.n; i++) {
        const struct ev_proc *p = &t.procs[i];
        char tree[80];
        int d = p->depth < 30 ? p->depth : 30;
        snprintf(tree, sizeof tree, "%*s%s", d * 2, "", d ? "`- " : "");
        tv_add(&tp->tv, TX_RAW, p->self ? (A_BOLD | COLOR_PAIR(CP_YELLOW)) : (p->dead ? A_DIM : 0),
               "%-8lld %s%s%s  %s", (long long)p->pid, tree, p->comm, p->dead ? " (exited)" : "",
               p->cmdline);
        if (p->self)
            tp->tv.cursor = (long)tp->tv.n - 1;
    }
    evsrc_tree_free(&t);
}

static void tree_draw(struct panel *p, struct browse *b)
{
    (void)b;
    struct tree_panel *tp = (struct tree_panel *)p;
    if (!tp->built) {
        build(tp);
        panel_scroll(CMD_NONE, (long)tp->tv.n, p->h, &tp->tv.cursor, &tp->tv.top);
    }
    tv_draw(&tp->tv, p);
}

static int tree_key(struct panel *p, struct browse *b, enum cmd c, int key)
{
    (void)key;
    struct tree_panel *tp = (struct tree_panel *)p;
    switch (c) {
    case CMD_BACK:
        return PF_BACK;
    case CMD_SEARCH:
        if (!tv_search(&tp->tv, b->search))
            browse_status(b, false, "not found: %s", b->search);
        panel_scroll(CMD_NONE, (long)tp->tv.n, p->h, &tp->tv.cursor, &tp->tv.top);
        return PF_REDRAW;
    default:
        return tv_key(&tp->tv, p, c);
    }
}

static void tree_destroy(struct panel *p)
{
    struct tree_panel *tp = (struct tree_panel *)p;
    tv_clear(&tp->tv);
    evsrc_close(tp->es);
    free(tp);
}

static const struct panel_class tree_class = {
    .name = "process tree",
    .kind = PK_TREE,
    .draw = tree_draw,
    .key = tree_key,
    .destroy = tree_destroy,
    .hint = "? help  Esc back  q quit  Up/Down move  Left/Right scroll  / search",
};

struct panel *panel_tree_new(struct browse *b, struct evsrc *es, uint64_t ts, uint64_t num,
                             int64_t tid)
{
    (void)b;
    struct tree_panel *tp = calloc(1, sizeof *tp);
    if (!tp) {
        evsrc_close(es);
        return NULL;
    }
    tp->base.cls = &tree_class;
    tp->es = es;
    tp->ts = ts;
    tp->num = num;
    tp->tid = tid;
    return &tp->base;
}
