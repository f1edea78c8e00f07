/* scap_int.h -- state shared by the scap importer's files: scap_load.c
 * (raw or gzip'd bytes into memory), scap.c (block walking, the image),
 * scap_evdec.c (events and the schema) and
 * scap_tables.c (process, fd, user, interface lists and containers as §8
 * checkpoint records). Not part of the reader's API. */
#ifndef SAKER_SCAP_INT_H
#define SAKER_SCAP_INT_H

#include "codec.h"
#include "event.h"
#include "reader.h"
#include "scap.h"

/* A checkpoint being gathered from table blocks. Keys already written are
 * remembered so a record that a second table block repeats is dropped
 * (§8: one record per key). */
struct scap_keyset {
    uint64_t *slots;      /* open addressing; 0 = empty, keys stored + 1 */
    size_t cap, n;
};

struct scap_cp {
    struct skr_buf recs;
    uint32_t count;
    struct scap_keyset threads, fds, users, groups, ifaces, containers;
};

/* One native block written into the body, for the index. */
struct scap_ixent {
    uint64_t offset;      /* in the body; shifted when the image is built */
    uint32_t length, count, raw_len;
    uint8_t type;
    uint64_t min_ts, max_ts, first_evnum;
    uint8_t *bitmap;
    uint16_t bitmap_len;
};

struct scap_conv {
    const uint8_t *data;
    size_t len;
    long block_no;

    /* from the section header and machine info */
    uint16_t major, minor;
    char hostname[129];
    uint32_t ncpus;
    uint64_t memory, max_pid, boot_ns, mi_flags;
    bool have_mi;

    struct scap_cp first_cp;      /* tables before the first event + containers */
    struct scap_cp later_cp;      /* tables met after events: a new snapshot */
    bool events_seen, later_pending;

    /* the events block being filled */
    struct skr_evenc enc;
    uint32_t nblk;
    uint64_t blk_min, blk_max, blk_first;
    uint8_t bitmap[SKR_MAX_EVENT_TYPES / 8];
    uint16_t bitmap_len;
    uint64_t next_evnum;
    uint64_t first_ts, last_ts;
    bool have_ts;

    struct skr_buf body;          /* CHECKPOINT and EVENTS blocks */
    struct scap_ixent *ix;
    size_t nix, capix;
    uint64_t type_counts[SKR_SCAP_EVENT_MAX];

    uint64_t unknown_blocks, unknown_events, extra_params, table_errors;
    struct skr_scap_damage *damage;
    size_t ndamage, capdamage;
    bool oom;
};

/* The largest capture (after gunzip) imported whole into memory. */
#define SCAP_MAX_INPUT ((size_t)4 << 30)

void scap_add_damage(struct scap_conv *c, int kind, uint64_t offset, uint64_t lost,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* scap_evdec.c */
/* The saker schema of every libs event type (built once, shared, never
 * freed). */
const struct skr_schema *scap_schema(void);
/* Decodes one event block body (after the block header, before the
 * trailer) into ev, whose values point into body or into scratch. Returns 0,
 * 1 when the event type is unknown (skip it), or -1 with the reason. */
int scap_decode_event(struct scap_conv *c, uint32_t btype, const uint8_t *body, size_t n,
                      struct skr_event *ev, struct skr_buf *scratch, char *err, size_t errlen);

/* scap_tables.c: each parses one table block's body into cp; returns 0 or
 * -1 with the reason (records parsed before the error are kept). */
int scap_read_proclist(struct scap_cp *cp, uint32_t btype, const uint8_t *p, size_t n,
                       char *err, size_t errlen);
int scap_read_fdlist(struct scap_cp *cp, uint32_t btype, const uint8_t *p, size_t n,
                     char *err, size_t errlen);
int scap_read_userlist(struct scap_cp *cp, uint32_t btype, const uint8_t *p, size_t n,
                       char *err, size_t errlen);
int scap_read_iflist(struct scap_cp *cp, uint32_t btype, const uint8_t *p, size_t n,
                     char *err, size_t errlen);
/* A container event (old 4-parameter form or JSON) becomes a CONTAINER
 * record of cp. */
void scap_container_event(struct scap_cp *cp, const struct skr_event *ev);
void scap_cp_free(struct scap_cp *cp);

#endif
