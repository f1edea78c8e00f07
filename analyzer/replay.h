/* replay.h -- the replay driver: one or more trace files as one timeline,
 * replayed through the system state (state.h), each event filtered
 * (filter.h) and handed to the caller with everything a field extractor
 * needs (struct fld_ctx). `saker read`, `saker replay` (rules) and the
 * browser all read traces through it.
 *
 * Design:
 *  - Files are merged by timestamp (skr_merge_*). CHECKPOINT blocks arrive
 *    in the same timeline: the first one after a (re)start replaces the
 *    state, later ones only fill in what the state does not know
 *    (state_load_checkpoint's merge mode), since the events applied since
 *    are newer than the /proc snapshot.
 *  - A start time is reached by loading the newest checkpoint at or before
 *    it (over all files) and applying every event from there on without
 *    handing it out, so the state is right at the first event returned.
 *  - State costs time on every event, so it is kept only when something
 *    reads it: the caller says so (need_state), or the filter reads a field
 *    outside evt.*, or a file holds ENTER/EXIT pairs (imported captures:
 *    the state pairs them). Without state no checkpoint is read, seeking
 *    goes straight to the start time, and the filter's event types (Falco's
 *    event-type index, filter_event_types) also skip whole EVENTS blocks by
 *    their type bitmaps. With state every block must be read, since any
 *    event may change it; the event types then only spare filter_eval.
 *
 * Lifetime: the fld_ctx returned by replay_next, and everything it points
 * to, is valid until the next replay_next, replay_start or replay_close. */
#ifndef SAKER_REPLAY_H
#define SAKER_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../reader/reader.h"
#include "fields.h"
#include "filter.h"
#include "state.h"

struct replay;

struct replay_opts {
    uint64_t from_ns;               /* first event time handed out; 0 = trace start */
    uint64_t to_ns;                 /* end, exclusive; 0 = trace end */
    const struct filter *filter;    /* NULL = every event; not owned, must outlive the run */
    bool need_state;                /* the caller reads state beyond the filter's fields */
    bool no_prefetch;               /* decompress on the calling thread */
    /* Checkpoints that cannot be loaded: "FILE: block N: checkpoint: why".
     * NULL = not reported (still counted in the stats). */
    void (*on_warning)(void *ctx, const char *msg);
    void *warning_ctx;
};

struct replay_stats {
    uint64_t events;                /* events read (applied to the state or not) */
    uint64_t evaluated;             /* events the filter was evaluated on */
    uint64_t matched;               /* events handed out */
    uint64_t checkpoints_loaded, checkpoints_failed;
};

/* Opens the files (see skr_merge_open). Damage is reported through
 * on_damage (NULL: only counted; see skr_reader_on_damage). Returns 0, or
 * -1 with a one-line reason in err. */
int replay_open(const char *const *paths, size_t n, skr_damage_fn on_damage, void *damage_ctx,
                struct replay **out, char *err, size_t errlen);
void replay_close(struct replay *rp);

/* The time of the first and last event over all files, from the block
 * index (0 when there is no event). Relative times count from the first. */
uint64_t replay_first_ts(const struct replay *rp);
uint64_t replay_last_ts(const struct replay *rp);

/* (Re)starts the replay with these options: a fresh state, positioned as
 * from_ns asks. May be called again at any time (the browser seeks so).
 * Returns 0, or -1 with a reason in err (out of memory). */
int replay_start(struct replay *rp, const struct replay_opts *o, char *err, size_t errlen);

/* The next event in range that passes the filter: returns 1 with *ctx set,
 * 0 at the end (or at to_ns), -1 on an I/O error (already reported as
 * damage). */
int replay_next(struct replay *rp, const struct fld_ctx **ctx);

/* Calls fn for each matching event until fn returns non-zero, the end, or
 * limit events (0 = no limit). Returns what replay_next last returned
 * (0 at the end or when stopped, -1 on an I/O error). */
int replay_run(struct replay *rp, int (*fn)(void *arg, const struct fld_ctx *ctx), void *arg,
               uint64_t limit);

/* Where the event last handed out by replay_next came from: the index of
 * its file in replay_open's paths and its block number in that file
 * (-1 unknown). For hits that must point back at their evidence. */
void replay_current_source(const struct replay *rp, size_t *file_index, long *block_no);

/* True when this run keeps the state (see the design note). */
bool replay_uses_state(const struct replay *rp);
struct state *replay_state(struct replay *rp);
struct skr_merge *replay_merge(struct replay *rp);
const struct replay_stats *replay_get_stats(const struct replay *rp);
/* True when any file reported damage so far. */
bool replay_damaged(struct replay *rp);

/* True when a field's value comes from the state (anything but evt.*). */
bool replay_field_needs_state(const struct field_def *def);

/* Parses a time argument (--from/--to):
 *   2026-11-22T10:00:00[.frac][Z|+HH:MM|-HH:MM]  ISO 8601; no zone = local time
 *   2026-11-22 10:00:00[.frac]                   the same, with a space
 *   10:00:00[.frac]                              that local time on the day of trace_start
 *   1763805600000000000                          ns since the epoch (all digits)
 *   +1m30s, +500ms, +2h, +1.5s, +13.5ms          offset from trace_start
 *                                                (units d h m s ms us ns)
 * Returns 0 with *out set, or -1 with a reason in err. */
int replay_parse_time(const char *s, uint64_t trace_start, uint64_t *out, char *err,
                      size_t errlen);

#endif
