/* hitq.h -- the browser's view of the hit database: a view of the hits (a
 * filter in the filter language, hitfilter.h, and a sort order) paged from
 * SQLite a screenful at a time, one hit in full, counts by rule and
 * priority, a histogram over time, and the traces the runs recorded.
 * The database is opened, checked and read in full (one hit, the runs)
 * through analyzer/hitdb.h; hitdb's own paging takes a fixed set of
 * filters (struct hitdb_filter), so the list, counts and histogram run
 * the filter language's SQL here, on hitdb's connection.
 *
 * Design: nothing is ever loaded whole. The view keeps one cached page of
 * rows around the last position asked for; a position outside it fetches
 * a new page (LIMIT/OFFSET on the sort order, which the schema's indexes
 * serve for time, rule, priority and container). The count and the side
 * counts are computed once per filter change. */
#ifndef SAKER_TUI_HITQ_H
#define SAKER_TUI_HITQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../analyzer/hitdb.h"

struct hitq;

/* Sortable columns, in the order the list shows them. */
enum hitq_col { HQ_TIME, HQ_PRIO, HQ_RULE, HQ_PROC, HQ_CONTAINER, HQ_OUTPUT, HQ_NCOLS };

struct hitq_row {
    int64_t id, time_ns;
    int prio;
    char rule[96], proc[48], container[40], output[400];
};

struct hitq_count {
    char key[96];
    int prio;           /* for the priority counts */
    int64_t n;
};

/* Opens a DB read-only; checks it holds a hits table. Returns NULL with a
 * one-line reason in err. */
struct hitq *hitq_open(const char *path, char *err, size_t errlen);
void hitq_close(struct hitq *q);

/* Sets the view: a filter (hit filter language, see hitfilter.h; NULL or
 * "" = all), the sort column and direction. Returns 0, or -1 with a reason
 * in err (the view is then unchanged). */
int hitq_set_view(struct hitq *q, const char *filter, enum hitq_col sort, bool desc, char *err,
                  size_t errlen);
int64_t hitq_count(struct hitq *q);
/* Row i (0-based) of the view, NULL past the end or on an error. Valid
 * until the next call. */
const struct hitq_row *hitq_row(struct hitq *q, int64_t i);
/* The position of the first row after `from` (wrapping to the start) whose
 * rule, process or output contains text (case-insensitive); -1 if none. */
int64_t hitq_search(struct hitq *q, int64_t from, const char *text);

/* One hit in full (hitdb_get_hit; free with hitdb_row_clear). */
int hitq_hit(struct hitq *q, int64_t id, struct hitdb_row *out);
/* Calls fn for each element of a hit's JSON column (tags: key NULL;
 * fields: key and value), values as SQLite gives them (integers exact). */
void hitq_json_each(struct hitq *q, const char *json,
                    void (*fn)(void *ctx, const char *key, const char *value), void *ctx);

/* Counts of the current view by rule (most first, at most max) and by
 * priority (8 entries, n may be 0). Return the number of entries. */
size_t hitq_by_rule(struct hitq *q, struct hitq_count *out, size_t max);
size_t hitq_by_prio(struct hitq *q, struct hitq_count *out);

/* First and last hit time over the whole DB (0, 0 when empty). */
void hitq_span(struct hitq *q, uint64_t *first, uint64_t *last);
/* Hits of the current view per bucket: nb buckets of width (to-from)/nb. */
int hitq_histogram(struct hitq *q, uint64_t from, uint64_t to, uint64_t *buckets, size_t nb);

/* The distinct trace paths of all runs, in run and sequence order; the
 * array and strings are owned by the caller (free each, then the array). */
char **hitq_traces(struct hitq *q, size_t *n);
/* The path of the rules files of a hit's run (same ownership). */
char **hitq_rules_files(struct hitq *q, int64_t run, size_t *n);

/* Asks fn(ctx) now and then during long queries on q (SQLite's progress
 * handler); a non-zero answer stops the query, which then fails (a search
 * finds nothing, a view is not changed). NULL removes it. */
void hitq_set_cancel(struct hitq *q, int (*fn)(void *ctx), void *ctx);
/* True when the last hitq_set_view or hitq_search was stopped that way. */
bool hitq_cancelled(struct hitq *q);

/* Stops the query running on q's connection (from another thread: the
 * counts worker's connection is interrupted when the filter changes). */
void hitq_interrupt(struct hitq *q);

const char *hitq_sort_name(enum hitq_col c);

#endif
