/* panel.h -- the browser's panel object (htop's Panel with its method
 * table): each view -- hits, counts, detail, events, process tree,
 * timeline, help -- is a struct panel followed by its own fields, and a
 * class of methods. Keys never reach a panel raw: browse.c's one key table
 * turns a key into a command (enum cmd) for the focused panel, and the
 * panel answers with flags the main loop acts on. Panels draw only the
 * rows they show, and only when the loop asks (after a key, a resize or a
 * tick that said so); ncurses then sends the terminal only what changed.
 * There is no resize method: the layout (browse.c) sets y, x, h and w
 * before every draw, and panels work from those. */
#ifndef SAKER_TUI_PANEL_H
#define SAKER_TUI_PANEL_H

#include <stdbool.h>

struct browse;
struct panel;

/* What a key means; the key table (browse.c) maps keys to these. */
enum cmd {
    CMD_NONE = 0,
    CMD_UP, CMD_DOWN, CMD_PGUP, CMD_PGDN, CMD_HOME, CMD_END, CMD_LEFT, CMD_RIGHT,
    CMD_ENTER, CMD_BACK, CMD_TAB, CMD_QUIT, CMD_HELP, CMD_SEARCH, CMD_SEARCH_NEXT,
    CMD_FILTER, CMD_CLEAR, CMD_SORT_NEXT, CMD_SORT_PREV, CMD_SORT_INVERT,
    CMD_EVIDENCE, CMD_TREE, CMD_TIMELINE, CMD_COUNTS,
    CMD_MODE, CMD_MORE, CMD_LESS, CMD_DRILL_PROC, CMD_DRILL_FD, CMD_HEX, CMD_MARK,
    CMD_PRIO, /* with the digit in the key: hits of that priority and worse */
    CMD_COUNT
};

/* Flags a key method returns; the main loop acts on them. */
enum {
    PF_HANDLED = 1,    /* the command meant something here */
    PF_REDRAW = 2,     /* draw again */
    PF_BACK = 4,       /* close this panel, back to the one below */
    PF_QUIT = 8,       /* leave the browser */
    PF_REFILTER = 16,  /* the hit filter changed: every panel reloads */
};

struct panel_class {
    const char *name;                   /* the title bar's word */
    unsigned kind;                      /* PK_* bit: which key table rows apply */
    void (*draw)(struct panel *p, struct browse *b);
    int (*key)(struct panel *p, struct browse *b, enum cmd c, int key);
    void (*refilter)(struct panel *p, struct browse *b); /* may be NULL */
    void (*destroy)(struct panel *p);
    /* called when no key came for a while; returns flags (may be NULL):
     * a panel whose data arrives from a worker thread redraws then */
    int (*tick)(struct panel *p, struct browse *b);
    /* the hint shown in the bottom bar ("Enter detail  e evidence ...") */
    const char *hint;
};

/* Panel kinds, for the key table's `where` column. */
enum {
    PK_HITS = 1, PK_COUNTS = 2, PK_DETAIL = 4, PK_EVENTS = 8, PK_TREE = 16, PK_TIMELINE = 32,
    PK_HELP = 64, PK_ALL = 127,
};

struct panel {
    const struct panel_class *cls;
    int y, x, h, w;                     /* the screen area, set by the layout */
    bool focused;
};

/* Convenience for the list panels: moves a cursor within n rows of a
 * view h rows high, keeping it visible; returns true when it moved. */
bool panel_scroll(enum cmd c, long n, int h, long *cursor, long *top);
/* Left/Right: half a panel width sideways; returns the new offset. */
int panel_hscroll(enum cmd c, int hscroll, int w);

#endif
