/* draw.h -- every string the browser puts on the screen goes through here:
 * traced text is escaped (reader/escape.h), then anything the terminal
 * could still act on is replaced, and the result is cut to the width it
 * may take (by display columns). Also the colours, and a scrollable text
 * view the detail, tree and help panels share. */
#ifndef SAKER_TUI_DRAW_H
#define SAKER_TUI_DRAW_H

#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "panel.h"

enum {
    CP_RED = 1, CP_YELLOW, CP_CYAN, CP_GREEN, CP_MAGENTA, CP_BAR, CP_TITLE, CP_BLUE, CP_MARK,
};

void draw_init_colors(void);
/* The attribute of a priority (0 emergency ... 7 debug). */
int draw_prio_attr(int prio);

/* Where a string comes from, which says how it is escaped before drawing
 * (every kind is then cleaned of what the terminal could act on):
 *   TX_OWN  our own text, or text escaped already (saker read's lines)
 *   TX_RAW  bytes from a trace: reader/escape, backslashes doubled
 *   TX_DB   text from the hit DB, which saker replay stores escaped
 *           already; a DB written otherwise may still hold control bytes,
 *           so they are escaped, but a backslash stays one */
enum { TX_OWN = 0, TX_RAW = 1, TX_DB = 2 };

/* Draws s at (y, x) in at most w columns with attr; kind is TX_*. Returns
 * the columns used. */
int draw_text(int y, int x, int w, const char *s, int kind, int attr);
/* The same, leaving out the first skip columns (horizontal scrolling). */
int draw_text_skip(int y, int x, int w, const char *s, int kind, int attr, int skip);
/* Fills w columns at (y, x) with spaces in attr. */
void draw_fill(int y, int x, int w, int attr);
/* draw_text with printf formatting (our own text, not raw). */
int draw_fmt(int y, int x, int w, int attr, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* "HH:MM:SS.mmm" (or with ns) local time of ns since the epoch. */
void draw_time(char *buf, size_t len, uint64_t ns, bool full);

/* A scrollable list of text lines. */
struct tv_line {
    char *s;
    int kind;               /* TX_* */
    int attr;
};
struct textview {
    struct tv_line *lines;
    size_t n, cap;
    long cursor, top;
    int hscroll;
};
void tv_add(struct textview *tv, int kind, int attr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds a string as is (no formatting), split at newlines. */
void tv_add_str(struct textview *tv, int kind, int attr, const char *s);
void tv_clear(struct textview *tv);
void tv_draw(struct textview *tv, const struct panel *p);
/* Navigation keys; returns panel flags. */
int tv_key(struct textview *tv, const struct panel *p, enum cmd c);
/* Moves the cursor to the next line holding text (case-insensitive). */
bool tv_search(struct textview *tv, const char *text);

#endif
