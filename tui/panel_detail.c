/* panel_detail.c -- one hit in full: every output field, the tags, the
 * rule's description (from the rules files the run recorded), and the
 * process lineage at that moment (replayed from the trace, when it is
 * there). Also opens a hit's evidence and process tree (browse.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse.h"
#include "draw.h"

struct detail_panel {
    struct panel base;
    int64_t id;
    struct textview tv;
};

static const char *nz(const char *s) { return s ? s : ""; }

static void add_lineage(struct detail_panel *dp, struct browse *b, const struct hitdb_row *h)
{
    tv_add(&dp->tv, TX_OWN, A_BOLD, "PROCESS LINEAGE (at the hit)");
    char err[400];
    struct evsrc *es = browse_open_trace(b, nz(h->trace_path), err, sizeof err);
    if (!es) {
        tv_add(&dp->tv, TX_DB, COLOR_PAIR(CP_YELLOW), "  %s", err);
        return;
    }
    struct ev_tree t;
    if (evsrc_tree(es, h->time_ns, h->evnum, h->tid, &t, err, sizeof err) < 0) {
        tv_add(&dp->tv, TX_DB, COLOR_PAIR(CP_YELLOW), "  %s", err);
    } else {
        if (!t.found)
            tv_add(&dp->tv, TX_OWN, COLOR_PAIR(CP_YELLOW),
                   "  (the hit's event was not found in the trace: the state near its time)");
        for (size_t i = 0; i < t.n; i++) {
            const struct ev_proc *p = &t.procs[i];
            tv_add(&dp->tv, TX_RAW, p->self ? A_BOLD : 0, "  %*s%lld %s%s  %s", p->depth * 2, "",
                   (long long)p->pid, p->comm, p->dead ? " (exited)" : "", p->cmdline);
            if (p->self)
                break; /* the lineage ends at the process; children are in the tree (t) */
        }
        if (!t.n)
            tv_add(&dp->tv, TX_OWN, 0, "  (the thread is not known to the state at that time)");
        evsrc_tree_free(&t);
    }
    evsrc_close(es);
}

struct json_acc {
    struct textview *tv;
    char tags[1024];
    size_t k;
};

static void add_tag(void *ctx, const char *key, const char *value)
{
    (void)key;
    struct json_acc *a = ctx;
    if (a->k < sizeof a->tags - 1)
        a->k += (size_t)snprintf(a->tags + a->k, sizeof a->tags - a->k, "%s%s", a->k ? ", " : "",
                                 value);
}

static void add_field(void *ctx, const char *key, const char *value)
{
    struct json_acc *a = ctx;
    tv_add(a->tv, TX_DB, 0, "  %-22s %s", key ? key : "?", value);
    a->k++;
}

static void build(struct detail_panel *dp, struct browse *b)
{
    struct hitdb_row h;
    if (hitq_hit(b->db, dp->id, &h) < 0) {
        tv_add(&dp->tv, TX_OWN, COLOR_PAIR(CP_RED), "hit %lld: cannot be read", (long long)dp->id);
        return;
    }
    char tbuf[64];
    draw_time(tbuf, sizeof tbuf, h.time_ns, true);
    tv_add(&dp->tv, TX_DB, draw_prio_attr(h.priority) | A_BOLD, "%s  %s",
           hitdb_priority_name(h.priority), nz(h.rule));
    tv_add(&dp->tv, TX_OWN, 0, "time:       %s  (%llu ns)", tbuf, (unsigned long long)h.time_ns);
    tv_add(&dp->tv, TX_DB, 0, "output:     %s", nz(h.output));
    tv_add(&dp->tv, TX_DB, 0, "rule:       %s  (source %s)", nz(h.rule), nz(h.source));
    const char *desc = browse_rule_desc(b, h.run, nz(h.rule));
    char dbuf[2048];
    snprintf(dbuf, sizeof dbuf, "%s", desc ? desc : "(the run's rules files are not readable)");
    for (size_t n = strlen(dbuf); n && (dbuf[n - 1] == '\n' || dbuf[n - 1] == ' '); n--)
        dbuf[n - 1] = 0;
    tv_add(&dp->tv, TX_DB, 0, "desc:       %s", dbuf);
    struct json_acc acc = { .tv = &dp->tv };
    hitq_json_each(b->db, h.tags, add_tag, &acc);
    tv_add(&dp->tv, TX_DB, 0, "tags:       %s", acc.k ? acc.tags : "(none)");
    tv_add(&dp->tv, TX_DB, 0, "process:    %s  pid %lld  tid %lld  user %s", nz(h.proc_name),
           (long long)h.pid, (long long)h.tid, h.user_name ? h.user_name : "<NA>");
    tv_add(&dp->tv, TX_DB, 0, "cmdline:    %s", nz(h.cmdline));
    tv_add(&dp->tv, TX_DB, 0, "container:  %s", nz(h.container_id));
    tv_add(&dp->tv, TX_DB, 0, "trace:      %s  event %llu  block %lld", nz(h.trace_path),
           (unsigned long long)h.evnum, (long long)h.block);
    tv_add(&dp->tv, TX_OWN, 0, "run:        %lld  hit id %lld", (long long)h.run, (long long)h.id);
    tv_add(&dp->tv, TX_OWN, 0, "%s", "");
    tv_add(&dp->tv, TX_OWN, A_BOLD, "OUTPUT FIELDS");
    acc.k = 0;
    hitq_json_each(b->db, h.fields, add_field, &acc);
    if (!acc.k)
        tv_add(&dp->tv, TX_OWN, 0, "  (none)");
    tv_add(&dp->tv, TX_OWN, 0, "%s", "");
    add_lineage(dp, b, &h);
    hitdb_row_clear(&h);
}

static void detail_draw(struct panel *p, struct browse *b)
{
    struct detail_panel *dp = (struct detail_panel *)p;
    if (!dp->tv.n)
        build(dp, b);
    tv_draw(&dp->tv, p);
}

static int detail_key(struct panel *p, struct browse *b, enum cmd c, int key)
{
    (void)key;
    struct detail_panel *dp = (struct detail_panel *)p;
    switch (c) {
    case CMD_BACK:
        return PF_BACK;
    case CMD_EVIDENCE:
    case CMD_ENTER:
        browse_open_evidence(b, dp->id);
        return PF_REDRAW;
    case CMD_TREE:
        browse_open_tree(b, dp->id);
        return PF_REDRAW;
    case CMD_SEARCH:
        if (!tv_search(&dp->tv, b->search))
            browse_status(b, false, "not found: %s", b->search);
        panel_scroll(CMD_NONE, (long)dp->tv.n, p->h, &dp->tv.cursor, &dp->tv.top);
        return PF_REDRAW;
    default:
        return tv_key(&dp->tv, p, c);
    }
}

static void detail_destroy(struct panel *p)
{
    struct detail_panel *dp = (struct detail_panel *)p;
    tv_clear(&dp->tv);
    free(dp);
}

static const struct panel_class detail_class = {
    .name = "hit detail",
    .kind = PK_DETAIL,
    .draw = detail_draw,
    .key = detail_key,
    .destroy = detail_destroy,
    .hint = "? help  Esc back  q quit  e/Enter evidence  t process tree  / search",
};

struct panel *panel_detail_new(struct browse *b, int64_t hit_id)
{
    (void)b;
    struct detail_panel *dp = calloc(1, sizeof *dp);
    if (!dp)
        return NULL;
    dp->base.cls = &detail_class;
    dp->id = hit_id;
    return &dp->base;
}

bool browse_open_evidence(struct browse *b, int64_t hit_id)
{
    struct hitdb_row h;
    if (hitq_hit(b->db, hit_id, &h) < 0) {
        browse_status(b, true, "hit %lld cannot be read", (long long)hit_id);
        return false;
    }
    char err[400];
    struct evsrc *es = browse_open_trace(b, nz(h.trace_path), err, sizeof err);
    bool ok = false;
    if (!es) {
        browse_status(b, true, "evidence: %s", err);
    } else {
        char title[300];
        snprintf(title, sizeof title, "evidence of %s", nz(h.rule));
        ok = browse_push(b, panel_events_new(b, es, title, h.time_ns, h.evnum, h.tid, h.pid, NULL));
    }
    hitdb_row_clear(&h);
    return ok;
}

bool browse_open_tree(struct browse *b, int64_t hit_id)
{
    struct hitdb_row h;
    if (hitq_hit(b->db, hit_id, &h) < 0) {
        browse_status(b, true, "hit %lld cannot be read", (long long)hit_id);
        return false;
    }
    char err[400];
    struct evsrc *es = browse_open_trace(b, nz(h.trace_path), err, sizeof err);
    bool ok = false;
    if (!es)
        browse_status(b, true, "process tree: %s", err);
    else
        ok = browse_push(b, panel_tree_new(b, es, h.time_ns, h.evnum, h.tid));
    hitdb_row_clear(&h);
    return ok;
}
