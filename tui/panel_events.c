/* panel_events.c -- events from a trace: a hit's evidence (the events
 * around it, its event highlighted; same thread, same process or all), a
 * drill-down (one process's events, one file or connection followed
 * through the trace, with its data bytes as text or hex), and, for a
 * trace without a DB, the trace itself from its start.
 *
 * Design: the panel holds one window of formatted lines (evsrc.h). Going
 * past its end reads more (the replay stands right after it); going above
 * its start loads a wider window around the first line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse.h"
#include "draw.h"
#include "../reader/codec.h"
#include "../reader/escape.h"

enum mode { M_THREAD, M_PROCESS, M_ALL, M_CUSTOM };
static const char *const mode_names[] = { "same thread", "same process", "all events", "filter" };

#define KEEP_LINES 20000
#define HEX_ROWS 8

struct events_panel {
    struct panel base;
    struct evsrc *es;
    char title[300];
    uint64_t ts, num;           /* the event the window is centred on */
    int64_t tid, pid;           /* the hit's, for the modes; -1 without */
    enum mode mode;
    char *filter;               /* M_CUSTOM's text */
    size_t around;
    struct ev_window w;
    long cursor, top;
    int data_view;              /* 0 hidden, 1 text, 2 hex */
    int hscroll;
    bool loaded, evidence;
};

static int list_rows(const struct events_panel *ep)
{
    int h = ep->base.h - 1 - (ep->data_view ? HEX_ROWS + 1 : 0);
    return h > 1 ? h : 1;
}

static void centre(struct events_panel *ep)
{
    int h = list_rows(ep);
    ep->top = ep->cursor - h / 2 > 0 ? ep->cursor - h / 2 : 0;
}

static void load(struct events_panel *ep, struct browse *b, uint64_t ts, uint64_t num)
{
    char text[600], err[400];
    const char *f = NULL;
    switch (ep->mode) {
    case M_THREAD: snprintf(text, sizeof text, "thread.tid = %lld", (long long)ep->tid); f = text; break;
    case M_PROCESS: snprintf(text, sizeof text, "proc.pid = %lld", (long long)ep->pid); f = text; break;
    case M_ALL: break;
    case M_CUSTOM: f = ep->filter; break;
    }
    ep->loaded = true;
    if (evsrc_set_filter(ep->es, f, err, sizeof err) < 0) {
        browse_status(b, true, "filter: %s", err);
        return;
    }
    if (evsrc_window(ep->es, ts, num, ep->around, ep->around, &ep->w, err, sizeof err) < 0) {
        browse_status(b, true, "events: %s", err);
        return;
    }
    ep->ts = ts;
    ep->num = num;
    ep->cursor = ep->w.target >= 0 ? ep->w.target : 0;
    if (!num)
        ep->w.target = -1; /* a time, not an event: nothing to highlight */
    if (ep->w.target < 0) {
        /* the first event at or after the time */
        for (size_t i = 0; i < ep->w.n; i++)
            if (ep->w.lines[i].ts >= ts) {
                ep->cursor = (long)i;
                break;
            }
        if (ep->evidence && num)
            browse_status(b, false, "the hit's event (#%llu) is not among these events%s",
                          (unsigned long long)num, ep->mode == M_CUSTOM ? "" : " (m: another mode)");
    }
    centre(ep);
}

/* Marks the hit's (or drilled-from) event again after a reload elsewhere. */
static void relocate_target(struct events_panel *ep)
{
    ep->w.target = -1;
    for (size_t i = 0; ep->num && i < ep->w.n; i++)
        if (ep->w.lines[i].num == ep->num && ep->w.lines[i].ts == ep->ts)
            ep->w.target = (long)i;
}

static void draw_data(struct events_panel *ep, int y)
{
    struct panel *p = &ep->base;
    draw_fill(y, p->x, p->w, A_REVERSE);
    const struct ev_line *l = ep->cursor >= 0 && (size_t)ep->cursor < ep->w.n
                                  ? &ep->w.lines[ep->cursor] : NULL;
    char head[200];
    snprintf(head, sizeof head, " data of event %llu: %zu bytes, as %s (x: %s)",
             l ? (unsigned long long)l->num : 0ull, l ? l->datalen : 0,
             ep->data_view == 1 ? "text" : "hex", ep->data_view == 1 ? "hex" : "hide");
    draw_text(y, p->x, p->w, head, TX_OWN, A_REVERSE);
    if (!l || !l->data) {
        draw_text(y + 1, p->x + 1, p->w - 1, "(this event has no data bytes)", TX_OWN, A_DIM);
        return;
    }
    if (ep->data_view == 1) {
        /* escaped text, wrapped at the panel width */
        struct skr_buf esc = { 0 };
        skr_escape_append(&esc, l->data, l->datalen);
        skr_put_u8(&esc, 0);
        const char *s = esc.data ? (const char *)esc.data : "";
        size_t len = strlen(s), off = 0;
        int w = p->w > 1 ? p->w - 1 : 1;
        for (int r = 0; r < HEX_ROWS && off < len; r++) {
            char line[1024];
            size_t n = len - off < (size_t)w ? len - off : (size_t)w;
            if (n >= sizeof line)
                n = sizeof line - 1;
            memcpy(line, s + off, n);
            line[n] = 0;
            draw_text(y + 1 + r, p->x + 1, w, line, TX_OWN, 0);
            off += n;
        }
        skr_buf_free(&esc);
        return;
    }
    for (int r = 0; r < HEX_ROWS; r++) {
        size_t off = (size_t)r * 16;
        if (off >= l->datalen)
            break;
        char line[120];
        int k = snprintf(line, sizeof line, "%04zx ", off);
        for (size_t i = 0; i < 16; i++)
            k += off + i < l->datalen ? snprintf(line + k, sizeof line - (size_t)k, " %02x", l->data[off + i])
                                      : snprintf(line + k, sizeof line - (size_t)k, "   ");
        k += snprintf(line + k, sizeof line - (size_t)k, "  ");
        for (size_t i = 0; i < 16 && off + i < l->datalen; i++) {
            uint8_t c = l->data[off + i];
            line[k++] = c >= 32 && c < 127 ? (char)c : '.';
        }
        line[k] = 0;
        draw_text(y + 1 + r, p->x + 1, p->w - 1, line, TX_OWN, 0);
    }
}

static void events_draw(struct panel *p, struct browse *b)
{
    struct events_panel *ep = (struct events_panel *)p;
    if (!ep->loaded)
        load(ep, b, ep->ts, ep->num);
    char head[600];
    if (ep->mode == M_CUSTOM)
        snprintf(head, sizeof head, " %s | %s", ep->title, ep->filter ? ep->filter : "all events");
    else
        snprintf(head, sizeof head, " %s | %s | %zu before and after", ep->title,
                 mode_names[ep->mode], ep->around);
    draw_fill(p->y, p->x, p->w, A_REVERSE | A_BOLD);
    draw_text(p->y, p->x, p->w, head, TX_DB, A_REVERSE | A_BOLD);
    int rows = list_rows(ep);
    for (int r = 0; r < rows; r++) {
        long i = ep->top + r;
        int y = p->y + 1 + r;
        if (i < 0 || (size_t)i >= ep->w.n) {
            if ((size_t)i == ep->w.n && ep->w.at_end)
                draw_text(y, p->x, p->w, i ? "-- end of the trace --" : "-- no events --", TX_OWN, A_DIM);
            continue;
        }
        const struct ev_line *l = &ep->w.lines[i];
        int a = 0;
        if (i == ep->w.target)
            a = COLOR_PAIR(CP_MARK) | A_BOLD;
        if (i == ep->cursor)
            a = p->focused ? (a ? a | A_REVERSE : A_REVERSE) : A_UNDERLINE;
        draw_fill(y, p->x, p->w, a);
        int x = p->x;
        if (i == ep->w.target)
            x += draw_text(y, x, 3, ">> ", TX_OWN, a);
        draw_text_skip(y, x, p->w - (x - p->x), l->text, TX_OWN, a, ep->hscroll);
    }
    if (ep->data_view)
        draw_data(ep, p->y + 1 + rows);
}

#define SEARCH_CHUNK 5000
#define SEARCH_MAX_EVENTS 2000000

/* Searches the lines after the cursor, then reads on through the trace
 * (a chunk at a time, Esc stops) until a line holds the text. */
static int search(struct events_panel *ep, struct browse *b)
{
    for (long i = ep->cursor + 1; i < (long)ep->w.n; i++)
        if (strcasestr(ep->w.lines[i].text, b->search)) {
            ep->cursor = i;
            centre(ep);
            return PF_REDRAW;
        }
    browse_busy(b, "searching the trace...");
    size_t read = 0;
    bool stopped = false;
    while (!ep->w.at_end && read < SEARCH_MAX_EVENTS && !(stopped = browse_stop_asked(b))) {
        long before = (long)ep->w.n;
        long added = evsrc_more(ep->es, &ep->w, SEARCH_CHUNK, KEEP_LINES);
        if (added <= 0)
            break;
        read += (size_t)added;
        long dropped = before + added - (long)ep->w.n;
        ep->cursor = ep->cursor - dropped > 0 ? ep->cursor - dropped : 0;
        for (long i = (long)ep->w.n - added; i < (long)ep->w.n; i++)
            if (strcasestr(ep->w.lines[i].text, b->search)) {
                browse_done(b);
                ep->cursor = i;
                centre(ep);
                return PF_REDRAW;
            }
    }
    browse_done(b);
    if (stopped)
        browse_status(b, false, "search stopped after %zu more events", read);
    else if (ep->w.at_end)
        browse_status(b, false, "not found up to the end: %s", b->search);
    else
        browse_status(b, false, "not found in the next %zu events: %s (n goes on)", read,
                      b->search);
    centre(ep);
    return PF_REDRAW;
}

static struct panel *drill(struct events_panel *ep, struct browse *b, const char *title,
                           const char *filter)
{
    const struct ev_line *l = &ep->w.lines[ep->cursor];
    char err[400];
    struct evsrc *es = evsrc_dup(ep->es, err, sizeof err);
    if (!es) {
        browse_status(b, true, "%s", err);
        return NULL;
    }
    return panel_events_new(b, es, title, l->ts, l->num, -1, -1, filter);
}

static int events_key(struct panel *p, struct browse *b, enum cmd c, int key)
{
    (void)key;
    struct events_panel *ep = (struct events_panel *)p;
    int rows = list_rows(ep);
    const struct ev_line *l = ep->cursor >= 0 && (size_t)ep->cursor < ep->w.n
                                  ? &ep->w.lines[ep->cursor] : NULL;
    char buf[1200], title[300];
    switch (c) {
    case CMD_BACK:
        return PF_BACK;
    case CMD_MODE:
        if (ep->tid < 0) {
            browse_status(b, false, "modes are for a hit's evidence (\\ sets a filter here)");
            return PF_REDRAW;
        }
        ep->mode = ep->mode == M_THREAD ? M_PROCESS : ep->mode == M_PROCESS ? M_ALL : M_THREAD;
        load(ep, b, ep->ts, ep->num);
        return PF_REDRAW;
    case CMD_MORE:
    case CMD_LESS:
        if (c == CMD_MORE && ep->around < 100000)
            ep->around *= 2;
        if (c == CMD_LESS && ep->around > 5)
            ep->around /= 2;
        load(ep, b, ep->ts, ep->num);
        return PF_REDRAW;
    case CMD_LEFT:
    case CMD_RIGHT:
        ep->hscroll = panel_hscroll(c, ep->hscroll, p->w);
        return PF_REDRAW;
    case CMD_HEX:
        ep->data_view = (ep->data_view + 1) % 3;
        return PF_REDRAW;
    case CMD_DRILL_PROC:
        if (!l)
            return PF_REDRAW;
        snprintf(buf, sizeof buf, "proc.pid = %lld", (long long)(l->pid >= 0 ? l->pid : l->tid));
        snprintf(title, sizeof title, "process %lld", (long long)(l->pid >= 0 ? l->pid : l->tid));
        browse_push(b, drill(ep, b, title, buf));
        return PF_REDRAW;
    case CMD_DRILL_FD:
        if (!l || l->fd < 0) {
            browse_status(b, false, "this event has no file descriptor");
            return PF_REDRAW;
        }
        if (l->fdname && l->fdname[0]) {
            char q[1000];
            browse_quote(q, sizeof q, l->fdname);
            snprintf(buf, sizeof buf, "fd.name = %s", q);
            snprintf(title, sizeof title, "fd %s", l->fdname);
        } else {
            snprintf(buf, sizeof buf, "proc.pid = %lld and fd.num = %lld", (long long)l->pid,
                     (long long)l->fd);
            snprintf(title, sizeof title, "fd %lld of process %lld", (long long)l->fd,
                     (long long)l->pid);
        }
        browse_push(b, drill(ep, b, title, buf));
        return PF_REDRAW;
    case CMD_ENTER:
    case CMD_TREE: {
        if (!l)
            return PF_REDRAW;
        char err[400];
        struct evsrc *es = evsrc_dup(ep->es, err, sizeof err);
        if (!es)
            browse_status(b, true, "%s", err);
        else
            browse_push(b, panel_tree_new(b, es, l->ts, l->num, l->tid));
        return PF_REDRAW;
    }
    case CMD_TIMELINE:
        browse_push(b, panel_timeline_new(b));
        return PF_REDRAW;
    case CMD_FILTER: {
        if (!browse_prompt(b, "event filter: ", ep->filter, buf, sizeof buf))
            return PF_REDRAW;
        char *nf = strdup(buf);
        if (!nf)
            return PF_REDRAW;
        char *old = ep->filter;
        enum mode om = ep->mode;
        ep->filter = nf;
        ep->mode = buf[0] ? M_CUSTOM : (ep->tid >= 0 ? M_PROCESS : M_ALL);
        char err[400];
        if (evsrc_set_filter(ep->es, buf, err, sizeof err) < 0) {
            browse_status(b, true, "filter: %s", err);
            free(nf);
            ep->filter = old;
            ep->mode = om;
            return PF_REDRAW;
        }
        free(old);
        load(ep, b, l ? l->ts : ep->ts, l ? l->num : ep->num);
        return PF_REDRAW;
    }
    case CMD_CLEAR:
        free(ep->filter);
        ep->filter = NULL;
        ep->mode = ep->tid >= 0 ? M_PROCESS : M_ALL;
        load(ep, b, l ? l->ts : ep->ts, l ? l->num : ep->num);
        return PF_REDRAW;
    case CMD_SEARCH:
        return search(ep, b);
    default:
        break;
    }
    /* The trace's first or last events: a window there. */
    if ((c == CMD_HOME && !ep->w.at_start) || (c == CMD_END && !ep->w.at_end)) {
        uint64_t t = c == CMD_HOME ? evsrc_first_ts(ep->es) : evsrc_last_ts(ep->es);
        uint64_t keep_ts = ep->ts, keep_num = ep->num;
        load(ep, b, t, 0);
        ep->ts = keep_ts, ep->num = keep_num; /* the hit stays the hit */
        relocate_target(ep);
        ep->cursor = c == CMD_HOME ? 0 : (long)ep->w.n - 1;
        /* the last line at the bottom, the end marker under it */
        ep->top = c == CMD_HOME || (long)ep->w.n < rows ? 0 : (long)ep->w.n - rows + 1;
        return PF_REDRAW;
    }
    /* Above the window's first line: a wider window around it. */
    if ((c == CMD_UP || c == CMD_PGUP || c == CMD_HOME) && ep->cursor == 0 && !ep->w.at_start &&
        ep->w.n) {
        const struct ev_line *f = &ep->w.lines[0];
        uint64_t fnum = f->num, fts = f->ts;
        size_t keep = ep->around;
        ep->around = ep->around * 2 < 5000 ? ep->around * 2 : 5000;
        uint64_t keep_ts = ep->ts, keep_num = ep->num;
        load(ep, b, fts, fnum);
        ep->around = keep;
        if (ep->w.target >= 0)
            ep->cursor = ep->w.target; /* the line we were on */
        ep->ts = keep_ts, ep->num = keep_num;
        relocate_target(ep);
        centre(ep);
        return PF_REDRAW;
    }
    if (!panel_scroll(c, (long)ep->w.n, rows, &ep->cursor, &ep->top))
        return 0;
    /* Near the window's end: read on. */
    if (!ep->w.at_end && (size_t)(ep->cursor + rows) >= ep->w.n) {
        long before = (long)ep->w.n;
        long added = evsrc_more(ep->es, &ep->w, (size_t)rows * 4 + 100, KEEP_LINES);
        long dropped = added > 0 ? before + added - (long)ep->w.n : 0;
        ep->cursor -= dropped;
        ep->top = ep->top - dropped > 0 ? ep->top - dropped : 0;
        if (c == CMD_END) {
            ep->cursor = (long)ep->w.n - 1;
            panel_scroll(CMD_NONE, (long)ep->w.n, rows, &ep->cursor, &ep->top);
        }
    }
    return PF_REDRAW;
}

static void events_destroy(struct panel *p)
{
    struct events_panel *ep = (struct events_panel *)p;
    evsrc_window_free(&ep->w);
    evsrc_close(ep->es);
    free(ep->filter);
    free(ep);
}

static const struct panel_class events_class = {
    .name = "events",
    .kind = PK_EVENTS,
    .draw = events_draw,
    .key = events_key,
    .destroy = events_destroy,
    .hint = "? help  Esc back  m mode  +/- more/fewer  p process  f fd  x data  Enter tree  "
            "\\ filter  / search",
};

struct panel *panel_events_new(struct browse *b, struct evsrc *es, const char *title,
                               uint64_t ts, uint64_t num, int64_t tid, int64_t pid,
                               const char *filter)
{
    (void)b;
    struct events_panel *ep = calloc(1, sizeof *ep);
    if (!ep || (filter && !(ep->filter = strdup(filter)))) {
        free(ep);
        evsrc_close(es);
        return NULL;
    }
    ep->base.cls = &events_class;
    ep->es = es;
    snprintf(ep->title, sizeof ep->title, "%s", title);
    ep->ts = ts;
    ep->num = num;
    ep->tid = tid;
    ep->pid = pid >= 0 ? pid : tid;
    ep->evidence = tid >= 0;
    ep->mode = filter ? M_CUSTOM : tid >= 0 ? M_PROCESS : M_ALL;
    ep->around = tid >= 0 ? 50 : 200;
    ep->w.target = -1;
    return &ep->base;
}
