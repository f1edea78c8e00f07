/* help.c -- the help panel: every key of the key table (browse.c), for
 * which panels it works, and the hit filter's fields. Built from the table
 * itself, so it cannot drift from what the keys do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse.h"
#include "draw.h"

struct help_panel {
    struct panel base;
    struct textview tv;
};

static void where_text(unsigned w, char *buf, size_t len)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        { PK_HITS, "hits" }, { PK_COUNTS, "counts" }, { PK_DETAIL, "detail" },
        { PK_EVENTS, "events" }, { PK_TREE, "tree" }, { PK_TIMELINE, "timeline" },
    };
    if ((w & (PK_ALL & ~PK_HELP)) == (PK_ALL & ~PK_HELP)) {
        snprintf(buf, len, "everywhere");
        return;
    }
    size_t k = 0;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (w & names[i].bit)
            k += (size_t)snprintf(buf + k, len - k, "%s%s", k ? "," : "", names[i].name);
}

static void build(struct help_panel *hp)
{
    struct textview *tv = &hp->tv;
    tv_add(tv, TX_OWN, A_BOLD, "saker browse: keys (Esc or Backspace closes this help)");
    tv_add(tv, TX_OWN, 0, "%s", "");
    tv_add(tv, TX_OWN, A_BOLD, "%-14s %-22s %s", "KEY", "WHERE", "WHAT");
    const char *keys, *what;
    unsigned where;
    for (size_t i = 0; browse_key_at(i, &keys, &what, &where); i++) {
        if (!what)
            continue;
        char w[80];
        where_text(where, w, sizeof w);
        tv_add(tv, TX_OWN, 0, "%-14s %-22s %s", keys, w, what);
    }
    static const char *const text[] = {
        "",
        "HIT FILTER (\\ or F4 on the hit list): Falco's condition language on the hits' columns:",
        "  rule.name  rule.priority  rule.tags  rule.source  hit.output  hit.run  hit.trace",
        "  evt.time  evt.num  proc.name  proc.pid  thread.tid  proc.cmdline  user.name  container.id",
        "  any other field (fd.name, proc.pname ...) compares with the hit's output field;",
        "  a bare word is free text (output, rule or process). rule.priority compares by",
        "  severity: rule.priority >= warning is warning and worse. evt.time takes ISO 8601,",
        "  HH:MM:SS (on the first hit's day), ns since the epoch, or +5m from the first hit.",
        "  Operators: = != < <= > >= contains icontains startswith endswith glob in exists,",
        "  and, or, not, ( ). Example:",
        "    rule.priority >= warning and container.id != host and evt.time >= +10s",
        "",
        "EVENT FILTER (\\ on an events panel): Falco's filter language over the trace's events,",
        "  as saker read takes it: evt.type=openat and fd.name startswith /etc",
        "",
        "Esc stops a long search, filter or sort (the view stays as it was).",
        "Text from traces is shown escaped (\\xNN): nothing traced reaches the terminal raw.",
    };
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        tv_add_str(tv, TX_OWN, 0, text[i]);
}

static void help_draw(struct panel *p, struct browse *b)
{
    (void)b;
    struct help_panel *hp = (struct help_panel *)p;
    if (!hp->tv.n)
        build(hp);
    tv_draw(&hp->tv, p);
}

static int help_key(struct panel *p, struct browse *b, enum cmd c, int key)
{
    (void)key;
    struct help_panel *hp = (struct help_panel *)p;
    if (c == CMD_BACK || c == CMD_ENTER)
        return PF_BACK;
    if (c == CMD_SEARCH) {
        if (!tv_search(&hp->tv, b->search))
            browse_status(b, false, "not found: %s", b->search);
        panel_scroll(CMD_NONE, (long)hp->tv.n, p->h, &hp->tv.cursor, &hp->tv.top);
        return PF_REDRAW;
    }
    return tv_key(&hp->tv, p, c);
}

static void help_destroy(struct panel *p)
{
    struct help_panel *hp = (struct help_panel *)p;
    tv_clear(&hp->tv);
    free(hp);
}

static const struct panel_class help_class = {
    .name = "help",
    .kind = PK_HELP,
    .draw = help_draw,
    .key = help_key,
    .destroy = help_destroy,
    .hint = "Up/Down/PgUp/PgDn scroll  / search  Esc back  q quit",
};

struct panel *panel_help_new(struct browse *b)
{
    (void)b;
    struct help_panel *hp = calloc(1, sizeof *hp);
    if (!hp)
        return NULL;
    hp->base.cls = &help_class;
    return &hp->base;
}
