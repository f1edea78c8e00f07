/* browse.c -- the browser's main loop, its one key table, the layout, and
 * what panels ask of the loop (browse.h).
 *
 * Design (htop's ScreenManager): panels sit on a stack; the top one has
 * the screen below the title line (the hits view shares it with the
 * counts panel). A key is looked up once in keytab, by key and the focused
 * panel's kind, and becomes a command; the loop handles the commands that
 * are about the browser (quit, help, search prompt) and hands the others
 * to the panel, which returns flags. The screen is drawn again only after
 * a key, a resize or a message -- and then only the rows on it. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "browse.h"
#include "draw.h"
#include "tui.h"
#include "../analyzer/rules_load.h"

#define K(c) (c)
static const struct keydef {
    int keys[4];
    const char *names;
    enum cmd cmd;
    unsigned where;
    const char *what;
} keytab[] = {
    { { KEY_UP, 'k' }, "Up k", CMD_UP, PK_ALL, "previous line" },
    { { KEY_DOWN, 'j' }, "Down j", CMD_DOWN, PK_ALL, "next line" },
    { { KEY_PPAGE, K('b') }, "PgUp b", CMD_PGUP, PK_ALL, "previous page" },
    { { KEY_NPAGE }, "PgDn", CMD_PGDN, PK_ALL, "next page" },
    { { KEY_HOME, 'g' }, "Home g", CMD_HOME, PK_ALL, "first line" },
    { { KEY_END, 'G' }, "End G", CMD_END, PK_ALL, "last line" },
    { { KEY_LEFT }, "Left", CMD_LEFT, PK_ALL & ~(PK_HITS | PK_COUNTS),
      "scroll left; timeline: earlier bucket" },
    { { KEY_RIGHT }, "Right", CMD_RIGHT, PK_ALL & ~(PK_HITS | PK_COUNTS),
      "scroll right (long lines); timeline: later bucket" },
    { { '\n', '\r', KEY_ENTER }, "Enter", CMD_ENTER, PK_ALL,
      "hits: the hit's detail; counts: filter by that rule or priority; events: the "
      "process tree at that event; timeline: apply the marked range" },
    { { KEY_BACKSPACE, 27, 127, 8 }, "Esc Backspace", CMD_BACK, PK_ALL,
      "back to the previous panel" },
    { { '\t' }, "Tab", CMD_TAB, PK_HITS | PK_COUNTS, "between the hit list and the counts" },
    { { 'q', KEY_F(10) }, "q F10", CMD_QUIT, PK_ALL, "quit" },
    { { '?', KEY_F(1), 'h' }, "? F1 h", CMD_HELP, PK_ALL & ~PK_HELP, "this help" },
    { { '/', KEY_F(3) }, "/ F3", CMD_SEARCH, PK_ALL, "search text (from the next line on)" },
    { { 'n' }, "n", CMD_SEARCH_NEXT, PK_ALL, "search again" },
    { { '\\', KEY_F(4) }, "\\ F4", CMD_FILTER, PK_HITS | PK_COUNTS | PK_EVENTS | PK_TIMELINE,
      "filter bar: hits take rule.name, rule.priority, container.id, evt.time, proc.name, "
      "... and bare words (free text); events take Falco's filter language" },
    { { 'u' }, "u", CMD_CLEAR, PK_HITS | PK_COUNTS | PK_EVENTS | PK_TIMELINE,
      "remove the filter" },
    { { '>', '.', KEY_F(6) }, "> F6", CMD_SORT_NEXT, PK_HITS, "sort by the next column" },
    { { '<', ',' }, "<", CMD_SORT_PREV, PK_HITS, "sort by the previous column" },
    { { 'I', 'r' }, "I r", CMD_SORT_INVERT, PK_HITS, "invert the sort order" },
    { { '0', '1', '2', '3' }, "0-7", CMD_PRIO, PK_HITS | PK_COUNTS,
      "only priority N and more severe (0 emergency, 4 warning, 7 debug)" },
    { { '4', '5', '6', '7' }, "", CMD_PRIO, PK_HITS | PK_COUNTS, NULL },
    { { 'e', KEY_F(7) }, "e F7", CMD_EVIDENCE, PK_HITS | PK_DETAIL,
      "evidence: the events around the hit, its event highlighted" },
    { { 't', KEY_F(5) }, "t F5", CMD_TREE, PK_HITS | PK_DETAIL | PK_EVENTS,
      "process tree at the hit's (or event's) time" },
    { { 'T', KEY_F(8) }, "T F8", CMD_TIMELINE, PK_HITS | PK_COUNTS | PK_EVENTS,
      "timeline: hits and events over time" },
    { { 'c', KEY_F(2) }, "c F2", CMD_COUNTS, PK_HITS | PK_COUNTS,
      "show or hide the counts by rule and priority" },
    { { 'm' }, "m", CMD_MODE, PK_EVENTS, "evidence: same thread, same process or all events" },
    { { '+', '=' }, "+", CMD_MORE, PK_EVENTS | PK_TIMELINE,
      "events: twice as many around; timeline: zoom in on the cursor" },
    { { '-' }, "-", CMD_LESS, PK_EVENTS | PK_TIMELINE,
      "events: half as many around; timeline: zoom out" },
    { { 'p' }, "p", CMD_DRILL_PROC, PK_EVENTS, "the selected event's process: its events" },
    { { 'f' }, "f", CMD_DRILL_FD, PK_EVENTS,
      "the selected event's file or connection followed through the trace" },
    { { 'x' }, "x", CMD_HEX, PK_EVENTS, "the selected event's data bytes: text / hex / hidden" },
    { { ' ' }, "Space", CMD_MARK, PK_TIMELINE, "timeline: mark the start of a range" },
};

size_t browse_keys_count(void) { return sizeof keytab / sizeof keytab[0]; }

bool browse_key_at(size_t i, const char **keys, const char **what, unsigned *where)
{
    if (i >= browse_keys_count())
        return false;
    *keys = keytab[i].names;
    *what = keytab[i].what;
    *where = keytab[i].where;
    return true;
}

static enum cmd lookup(int key, unsigned kind)
{
    for (size_t i = 0; i < browse_keys_count(); i++) {
        if (!(keytab[i].where & kind))
            continue;
        for (size_t k = 0; k < 4; k++)
            if (keytab[i].keys[k] && keytab[i].keys[k] == key)
                return keytab[i].cmd;
    }
    return CMD_NONE;
}

void browse_status(struct browse *b, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->status, sizeof b->status, fmt, ap);
    va_end(ap);
    b->status_error = error;
}

bool browse_push(struct browse *b, struct panel *p)
{
    if (!p)
        return false;
    if (b->depth == BROWSE_MAX_PANELS) {
        p->cls->destroy(p);
        browse_status(b, true, "too many panels open: go back first (Esc)");
        return false;
    }
    b->stack[b->depth++] = p;
    return true;
}

static struct panel *top(struct browse *b) { return b->depth ? b->stack[b->depth - 1] : NULL; }

static struct panel *focused(struct browse *b)
{
    struct panel *t = top(b);
    if (t && t->cls->kind == PK_HITS && b->counts && b->counts_shown && b->counts_focus)
        return b->counts;
    return t;
}

static void layout(struct browse *b)
{
    struct panel *t = top(b);
    if (!t)
        return;
    int h = LINES - 2 > 1 ? LINES - 2 : 1;
    t->y = 1;
    t->x = 0;
    t->h = h;
    t->w = COLS;
    if (!b->counts_chosen)
        b->counts_shown = COLS >= 100;
    if (t->cls->kind == PK_HITS && b->counts && b->counts_shown) {
        int cw = COLS >= 100 ? 34 : 26;
        if (cw > COLS / 2)
            cw = COLS / 2;
        t->w = COLS - cw;
        *b->counts = (struct panel){ .cls = b->counts->cls, .y = 1, .x = COLS - cw, .h = h,
                                     .w = cw };
    }
    struct panel *f = focused(b);
    t->focused = f == t;
    if (b->counts)
        b->counts->focused = f == b->counts;
}

static void draw_bars(struct browse *b)
{
    struct panel *t = top(b);
    char title[600];
    snprintf(title, sizeof title, " saker browse: %s", t ? t->cls->name : "");
    draw_fill(0, 0, COLS, COLOR_PAIR(CP_TITLE));
    int x = draw_text(0, 0, COLS, title, TX_OWN, COLOR_PAIR(CP_TITLE) | A_BOLD);
    const char *src = b->db_path ? b->db_path : (b->ntraces ? b->traces[0] : "");
    x += draw_text(0, x, COLS - x, "  ", TX_OWN, COLOR_PAIR(CP_TITLE));
    x += draw_text(0, x, COLS - x, src, TX_RAW, COLOR_PAIR(CP_TITLE));
    if (b->filter && b->filter[0]) {
        x += draw_text(0, x, COLS - x, "  filter: ", TX_OWN, COLOR_PAIR(CP_TITLE) | A_BOLD);
        draw_text(0, x, COLS - x, b->filter, TX_RAW, COLOR_PAIR(CP_TITLE));
    }
    draw_fill(LINES - 1, 0, COLS, COLOR_PAIR(CP_BAR));
    if (b->status[0]) {
        int a = b->status_error ? (COLOR_PAIR(CP_RED) | A_BOLD | A_REVERSE) : COLOR_PAIR(CP_BAR);
        draw_fill(LINES - 1, 0, COLS, a);
        draw_text(LINES - 1, 0, COLS, b->status, TX_RAW, a);
    } else {
        struct panel *f = focused(b);
        draw_text(LINES - 1, 0, COLS, f && f->cls->hint ? f->cls->hint : "", TX_OWN,
                  COLOR_PAIR(CP_BAR));
    }
}

static void draw_all(struct browse *b)
{
    erase();
    layout(b);
    struct panel *t = top(b);
    if (t)
        t->cls->draw(t, b);
    if (t && t->cls->kind == PK_HITS && b->counts && b->counts_shown)
        b->counts->cls->draw(b->counts, b);
    draw_bars(b);
    refresh();
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig) { got_signal = sig; }

bool browse_interrupted(void) { return got_signal != 0; }

static void redraw_all(void *ctx) { draw_all(ctx); }

/* The DB's progress handler during a query of the main thread: Esc (or a
 * signal) stops it; any other key waits for its turn. */
static int cancel_check(void *ctx)
{
    struct browse *b = ctx;
    if (got_signal)
        return 1;
    /* only between browse_busy and browse_done: getch refreshes the
     * screen, which must not happen halfway through drawing it */
    if (!b->busy)
        return 0;
    nodelay(stdscr, TRUE);
    int ch = getch();
    timeout(100);
    if (ch == 27)
        return 1;
    if (ch != ERR)
        ungetch(ch);
    return 0;
}

bool browse_stop_asked(struct browse *b) { return cancel_check(b) != 0; }

void browse_done(struct browse *b)
{
    b->busy = false;
    b->status[0] = 0;
}

void browse_busy(struct browse *b, const char *what)
{
    b->busy = true;
    browse_status(b, false, "%s (Esc stops)", what);
    draw_fill(LINES - 1, 0, COLS, COLOR_PAIR(CP_MARK));
    draw_text(LINES - 1, 0, COLS, b->status, TX_RAW, COLOR_PAIR(CP_MARK) | A_BOLD);
    refresh();
}

bool browse_prompt(struct browse *b, const char *prompt, const char *initial, char *buf,
                   size_t len)
{
    return filterbar_read(b, prompt, initial, buf, len, redraw_all, b);
}

bool browse_set_filter(struct browse *b, const char *text)
{
    char err[400];
    if (b->db)
        browse_busy(b, "filtering...");
    int rc = b->db ? hitq_set_view(b->db, text, b->sort, b->desc, err, sizeof err) : 0;
    browse_done(b);
    if (rc < 0) {
        if (hitq_cancelled(b->db))
            browse_status(b, false, "filter stopped: the view is as it was");
        else
            browse_status(b, true, "filter: %s", err);
        return false;
    }
    char *c = strdup(text ? text : "");
    if (!c)
        return false;
    free(b->filter);
    b->filter = c;
    for (size_t i = 0; i < b->depth; i++)
        if (b->stack[i]->cls->refilter)
            b->stack[i]->cls->refilter(b->stack[i], b);
    if (b->counts && b->counts->cls->refilter)
        b->counts->cls->refilter(b->counts, b);
    return true;
}

bool browse_and_filter(struct browse *b, const char *clause)
{
    size_t n = strlen(clause) + (b->filter ? strlen(b->filter) : 0) + 16;
    char *t = malloc(n);
    if (!t)
        return false;
    if (b->filter && b->filter[0])
        snprintf(t, n, "(%s) and %s", b->filter, clause);
    else
        snprintf(t, n, "%s", clause);
    bool ok = browse_set_filter(b, t);
    free(t);
    return ok;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

struct evsrc *browse_open_trace(struct browse *b, const char *path, char *err, size_t errlen)
{
    const char *use = NULL;
    struct stat sb;
    if (b->traces_given) {
        for (size_t i = 0; i < b->ntraces && !use; i++)
            if (!strcmp(b->traces[i], path))
                use = b->traces[i];
        for (size_t i = 0; i < b->ntraces && !use; i++)
            if (!strcmp(base_name(b->traces[i]), base_name(path)))
                use = b->traces[i];
        if (!use && b->ntraces == 1)
            use = b->traces[0];
    }
    if (!use && stat(path, &sb) == 0)
        use = path;
    if (!use) {
        snprintf(err, errlen, "the trace is missing: %s (give it after the DB: saker browse DB "
                 "TRACE)", path);
        return NULL;
    }
    const char *paths[1] = { use };
    return evsrc_open(paths, 1, err, errlen);
}

struct evsrc *browse_open_all(struct browse *b, char *err, size_t errlen)
{
    /* the DB's runs may name traces that are gone: the others still count */
    const char **have = calloc(b->ntraces ? b->ntraces : 1, sizeof *have);
    size_t n = 0;
    struct stat sb;
    if (!have) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < b->ntraces; i++)
        if (b->traces_given || stat(b->traces[i], &sb) == 0)
            have[n++] = b->traces[i];
    struct evsrc *es = NULL;
    if (!n)
        snprintf(err, errlen, b->ntraces ? "the traces are missing" : "no trace given");
    else
        es = evsrc_open(have, n, err, errlen);
    free(have);
    return es;
}

const char *browse_rule_desc(struct browse *b, int64_t run, const char *rule)
{
    if (!b->db)
        return NULL;
    if (!b->rules_tried || b->rules_run != run) {
        rules_free(b->rules);
        b->rules = NULL;
        b->rules_tried = true;
        b->rules_run = run;
        size_t n;
        char **files = hitq_rules_files(b->db, run, &n);
        struct rules *r = rules_new();
        struct rules_diag d;
        bool ok = r != NULL;
        for (size_t i = 0; i < n; i++) {
            if (ok && rules_load_file(r, files[i], &d) < 0)
                ok = false;
            free(files[i]);
        }
        free(files);
        if (ok && n)
            b->rules = r;
        else
            rules_free(r);
    }
    const struct rules_rule *rr = b->rules ? rules_find(b->rules, rule) : NULL;
    return rr ? rr->desc : NULL;
}


int browse_run(struct browse *b)
{
    if (b->db)
        hitq_set_cancel(b->db, cancel_check, b);
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    timeout(100); /* also how often a worker's results are looked for */
    bool redraw = true;
    for (;;) {
        if (got_signal)
            return 128 + got_signal;
        if (!b->depth)
            return 0;
        if (redraw)
            draw_all(b);
        redraw = false;
        int ch = getch();
        if (got_signal)
            return 128 + got_signal;
        if (ch == ERR) {
            struct panel *t = top(b);
            int fl = t && t->cls->tick ? t->cls->tick(t, b) : 0;
            if (b->counts && b->counts_shown && t && t->cls->kind == PK_HITS && b->counts->cls->tick)
                fl |= b->counts->cls->tick(b->counts, b);
            redraw = (fl & PF_REDRAW) != 0;
            continue;
        }
        redraw = true;
        if (ch == KEY_RESIZE)
            continue;
        b->status[0] = 0;
        struct panel *f = focused(b);
        enum cmd c = lookup(ch, f->cls->kind);
        int flags = 0;
        switch (c) {
        case CMD_NONE:
            browse_status(b, false, "unknown key here: ? or F1 lists the keys");
            continue;
        case CMD_QUIT:
            return 0;
        case CMD_HELP:
            browse_push(b, panel_help_new(b));
            continue;
        case CMD_SEARCH: {
            char text[256];
            if (!browse_prompt(b, "search: ", NULL, text, sizeof text) || !text[0])
                continue;
            free(b->search);
            b->search = strdup(text);
            break;
        }
        case CMD_SEARCH_NEXT:
            if (!b->search) {
                browse_status(b, false, "nothing to search for yet: / first");
                continue;
            }
            c = CMD_SEARCH;
            break;
        case CMD_COUNTS:
            if (f->cls->kind & (PK_HITS | PK_COUNTS)) {
                b->counts_shown = !b->counts_shown;
                b->counts_chosen = true;
                b->counts_focus = false;
                continue;
            }
            break;
        case CMD_TAB:
            if (top(b)->cls->kind == PK_HITS && b->counts) {
                b->counts_chosen = true;
                if (!b->counts_shown)
                    b->counts_shown = true, b->counts_focus = true;
                else
                    b->counts_focus = !b->counts_focus;
                continue;
            }
            break;
        default:
            break;
        }
        flags = f->cls->key(f, b, c, ch);
        if (flags & PF_QUIT)
            return 0;
        if (flags & PF_BACK) {
            if (f == b->counts) {
                b->counts_focus = false;
            } else if (b->depth > 1) {
                b->depth--;
                f->cls->destroy(f);
            }
        }
    }
}

void browse_quote(char *buf, size_t len, const char *s)
{
    /* Falco's quoted strings take \" and \\ (filter_lex.c). */
    size_t k = 0;
    if (len < 3) {
        if (len)
            buf[0] = 0;
        return;
    }
    buf[k++] = '"';
    for (; *s && k + 3 < len; s++) {
        if (*s == '"' || *s == '\\')
            buf[k++] = '\\';
        buf[k++] = *s;
    }
    buf[k++] = '"';
    buf[k] = 0;
}
