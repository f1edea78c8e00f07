/* evsrc.h -- the browser's events: windows of a trace's events around a
 * moment, read through the replay driver (analyzer/replay.h) with the
 * state kept, so each line shows the process name and knows its pid and
 * fd; and the process tree at a moment (state lookups). The browser never
 * parses trace bytes itself.
 *
 * Design: a window is found by seeking. The replay starts a margin before
 * the target time, keeps the last `before` matching events in a ring, takes
 * the target and `after` more. When the ring is not full and the margin
 * did not reach the trace start, the margin grows eightfold and the replay
 * starts again: a busy thread is found in a millisecond, a quiet one in a
 * few tries. */
#ifndef SAKER_TUI_EVSRC_H
#define SAKER_TUI_EVSRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evsrc;

#define EVSRC_DATA_MAX 4096

struct ev_line {
    uint64_t num, ts;
    int64_t tid, pid, fd;   /* pid -1 when unknown, fd -1 when none */
    char *text;             /* the `saker read` line, already escaped */
    char *fdname;           /* raw (escape to show), NULL when none */
    uint8_t *data;          /* the data parameter (first EVSRC_DATA_MAX bytes) */
    size_t datalen;
};

struct ev_window {
    struct ev_line *lines;
    size_t n, cap;
    long target;            /* index of the target event, -1 when not in the window */
    bool at_start, at_end;  /* the window reaches the trace's first / last event */
};

/* Opens trace files as one timeline. Returns NULL with a reason in err. */
struct evsrc *evsrc_open(const char *const *paths, size_t n, char *err, size_t errlen);
void evsrc_close(struct evsrc *es);
/* Opens the same files again (a panel of its own, positioned apart). */
struct evsrc *evsrc_dup(const struct evsrc *es, char *err, size_t errlen);
uint64_t evsrc_first_ts(const struct evsrc *es);
uint64_t evsrc_last_ts(const struct evsrc *es);
/* Events per time bucket from the block index (no decompression): each
 * block's count spread over its time span. */
void evsrc_histogram(struct evsrc *es, uint64_t from, uint64_t to, uint64_t *buckets, size_t nb);

/* Sets the event filter (Falco's language; NULL = every event). Returns 0
 * or -1 with the compiler's message in err. */
int evsrc_set_filter(struct evsrc *es, const char *text, char *err, size_t errlen);

/* Fills w (emptied first) with up to `before` events before the event
 * (ts, num), that event, and up to `after` events after it. num 0 = the
 * first event at or after ts. Returns 0, or -1 with a reason in err. */
int evsrc_window(struct evsrc *es, uint64_t ts, uint64_t num, size_t before, size_t after,
                 struct ev_window *w, char *err, size_t errlen);
/* Appends up to n events after the window's last; drops lines from the
 * front beyond keep (0 = no limit). Returns the number appended or -1. */
long evsrc_more(struct evsrc *es, struct ev_window *w, size_t n, size_t keep);
void evsrc_window_free(struct ev_window *w);

/* One process in a tree snapshot. */
struct ev_proc {
    int64_t pid, ppid;
    int depth;              /* 0 = the oldest ancestor known */
    bool self, dead;
    char *comm, *cmdline;   /* raw (escape to show) */
};

struct ev_tree {
    struct ev_proc *procs;
    size_t n;
    bool found;             /* the event was found and the state is as it was then */
};

/* The process tree right after event (ts, num) of thread tid: the
 * ancestors of its process, the process, and its descendants (three
 * generations at most). Returns 0 or -1 with a reason. */
int evsrc_tree(struct evsrc *es, uint64_t ts, uint64_t num, int64_t tid, struct ev_tree *t,
               char *err, size_t errlen);
void evsrc_tree_free(struct ev_tree *t);

#endif
