/* browse.h -- the browser's shared state (struct browse) and what panels
 * ask of the main loop: open a panel on top, show a message, read a line
 * of input, change the hit filter, find a hit's trace. */
#ifndef SAKER_TUI_BROWSE_H
#define SAKER_TUI_BROWSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evsrc.h"
#include "hitq.h"
#include "panel.h"

#define BROWSE_MAX_PANELS 16

struct rules;

struct browse {
    struct hitq *db;            /* NULL: a trace alone */
    const char *db_path;
    char **traces;              /* given, or recorded in the DB's runs */
    size_t ntraces;
    bool traces_given;
    char *filter;               /* the hit filter text ("" = none) */
    enum hitq_col sort;
    bool desc;
    char *search;               /* the last / text */
    char status[300];           /* shown in the bottom line until the next key */
    bool status_error;
    struct panel *stack[BROWSE_MAX_PANELS];
    size_t depth;
    struct panel *counts;       /* the side panel of the hits view */
    bool counts_shown, counts_focus;
    bool counts_chosen;         /* c or Tab decided; else shown when 100+ columns wide */
    struct rules *rules;        /* loaded on first use for rule descriptions */
    bool rules_tried;
    bool busy;                  /* a query Esc may stop is running (browse_busy) */
    int64_t rules_run;
};

void browse_status(struct browse *b, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Puts p on top (taking ownership); false when the stack is full. */
bool browse_push(struct browse *b, struct panel *p);
/* Reads a line in the bottom bar; returns false on Esc. initial may be
 * NULL. The result is in buf. */
bool browse_prompt(struct browse *b, const char *prompt, const char *initial, char *buf,
                   size_t len);
/* Shows "what (Esc stops)" in the bottom bar at once, before a query
 * that may take a while. */
void browse_busy(struct browse *b, const char *what);
/* Between browse_busy and browse_done: true when Esc was pressed (or a
 * signal came) since; other keys wait for their turn. */
bool browse_stop_asked(struct browse *b);
/* Ends what browse_busy began (clears the message). */
void browse_done(struct browse *b);
/* Sets the hit filter (NULL or "" = none); false with the status set when
 * it does not compile. */
bool browse_set_filter(struct browse *b, const char *text);
/* Adds "and (clause)" to the hit filter. */
bool browse_and_filter(struct browse *b, const char *clause);
/* Opens the trace holding a hit (path as the DB recorded it): that path,
 * or the given trace of the same name. NULL with a reason in err. */
struct evsrc *browse_open_trace(struct browse *b, const char *path, char *err, size_t errlen);
/* Opens every trace as one timeline (trace-alone mode). */
struct evsrc *browse_open_all(struct browse *b, char *err, size_t errlen);
/* The description of a rule, from the rules files of run; NULL if unknown. */
const char *browse_rule_desc(struct browse *b, int64_t run, const char *rule);

/* Panel constructors (panel_*.c). */
struct panel *panel_hits_new(struct browse *b);
struct panel *panel_counts_new(struct browse *b);
struct panel *panel_detail_new(struct browse *b, int64_t hit_id);
/* Events around (ts, num) of a trace; filter is Falco's language (NULL =
 * all). title is shown in the title bar. tid/pid give the evidence modes
 * (thread, process, all); -1 when not a hit's evidence. es is taken. */
struct panel *panel_events_new(struct browse *b, struct evsrc *es, const char *title,
                               uint64_t ts, uint64_t num, int64_t tid, int64_t pid,
                               const char *filter);
struct panel *panel_tree_new(struct browse *b, struct evsrc *es, uint64_t ts, uint64_t num,
                             int64_t tid);
struct panel *panel_timeline_new(struct browse *b);
/* The evidence / process tree of a hit, pushed on the stack; false with
 * the status set when its trace cannot be opened. */
bool browse_open_evidence(struct browse *b, int64_t hit_id);
bool browse_open_tree(struct browse *b, int64_t hit_id);
/* Appends s as a quoted filter string ("a \"b\"") to buf. */
void browse_quote(char *buf, size_t len, const char *s);
struct panel *panel_help_new(struct browse *b);

/* The help text's lines come from the key table (browse.c). */
size_t browse_keys_count(void);
/* Fills the i-th key's names and description; false past the end. */
bool browse_key_at(size_t i, const char **keys, const char **what, unsigned *where);

#endif
