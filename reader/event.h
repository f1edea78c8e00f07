/* event.h -- one decoded event, and the columnar encoding of an EVENTS
 * block payload (man/saker-trace.5 §7).
 *
 * A block stores its events as columns: one each for type, time delta,
 * tid, cpu and parameter count, and one per (event type, parameter
 * position). Values of one kind sit together, which is what lets zstd
 * compress a syscall stream to a few bytes per event. A decoded event
 * points into the block's buffer and is valid until the next block. */
#ifndef SAKER_EVENT_H
#define SAKER_EVENT_H

#include <stdint.h>
#include "schema.h"

/* A parameter value: varint and zigzag values in u/s, bytes in ptr/len. */
struct skr_value {
    uint64_t u;
    int64_t s;
    const uint8_t *ptr;
    uint32_t len;
};

struct skr_event {
    uint64_t num;               /* event number (1-based within a recording) */
    uint64_t ts;                /* ns since the epoch */
    int64_t tid;
    uint32_t cpu;
    uint16_t type;
    uint16_t nparams;
    const struct skr_event_def *def;
    struct skr_value params[SKR_MAX_PARAMS];
};

/* §7 column ids */
enum {
    SKR_COL_TYPE = 0, SKR_COL_TS = 1, SKR_COL_TID = 2, SKR_COL_CPU = 3, SKR_COL_NPARAMS = 4,
    SKR_COL_BASE_COUNT = 5,
    SKR_COL_PARAM_FIRST = 16, /* id = 16 + type * SKR_MAX_PARAMS + position */
};

struct skr_evdec {
    const struct skr_schema *schema;
    struct skr_cur base[SKR_COL_BASE_COUNT];
    struct skr_cur *param[SKR_MAX_EVENT_TYPES]; /* per type: nparams cursors */
    struct skr_cur *pool;
    size_t pool_cap;
    uint16_t *used_types;
    size_t nused, used_cap;
    uint64_t prev_ts;
};

/* Prepares to decode a block's payload; returns 0 or -1 with the reason. */
int skr_evdec_begin(struct skr_evdec *d, const struct skr_schema *schema,
                    const uint8_t *payload, size_t len, char *err, size_t errlen);
/* Decodes the next event; returns 0 or -1 with the reason. */
int skr_evdec_next(struct skr_evdec *d, struct skr_event *ev, char *err, size_t errlen);
/* The same, but an event whose type is not in the want bitmap (NULL: all
 * wanted; SKR_MAX_EVENT_TYPES bits) has only its parameter columns
 * stepped over: returns 1 with ev's type, def, time, tid and cpu set and
 * nparams 0 (a filtered read skips most events; decoding their values
 * was half its time). */
int skr_evdec_next_if(struct skr_evdec *d, struct skr_event *ev, const uint8_t *want,
                      char *err, size_t errlen);
/* True when every column was read to its end (call after the last event). */
bool skr_evdec_all_consumed(const struct skr_evdec *d);
void skr_evdec_free(struct skr_evdec *d);

struct skr_evenc {
    struct skr_buf base[SKR_COL_BASE_COUNT];
    struct skr_buf *param[SKR_MAX_EVENT_TYPES];
    uint16_t *used_types;
    size_t nused, used_cap;
    uint64_t prev_ts;
    size_t size;                /* bytes in all columns */
    bool oom;
};

void skr_evenc_add(struct skr_evenc *e, const struct skr_event *ev);
/* Appends the whole §7 payload to out and empties the encoder. When cuts
 * is not NULL, the end offset (in out) of every column is appended to it
 * as a size_t, so a compressor can start fresh statistics per column. */
void skr_evenc_finish(struct skr_evenc *e, struct skr_buf *out, struct skr_buf *cuts);
void skr_evenc_free(struct skr_evenc *e);

#endif
