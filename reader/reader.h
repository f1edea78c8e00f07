/* reader.h -- open a saker trace, iterate it in time order, seek by time or
 * event number, and salvage damaged files (man/saker-trace.5 §12).
 *
 * A reader never trusts the file: damage is reported through
 * skr_reader_damage()/the damage callback and reading goes on with the next
 * good block. Only an unusable file (not a trace, another major version, a
 * bad header block) fails skr_reader_open. */
#ifndef SAKER_READER_H
#define SAKER_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "schema.h"

struct skr_header_info {
    uint16_t version_major, version_minor;
    uint64_t created_ns, boot_ns;
    char *hostname, *kernel_release, *kernel_version, *arch;
    uint32_t ncpus;
    char *recorder, *recorder_version;
    char **cmdline;
    size_t ncmdline;
    uint32_t snaplen;
    char *filter;
    char **options;
    size_t noptions;
    uint32_t block_size;
    int zstd_level;
    uint64_t first_evnum;
    uint64_t file_seq;
    char *source_format;
};

struct skr_block_info {
    uint64_t offset;
    uint32_t length;          /* header + meta + payload */
    uint8_t type, codec;
    uint32_t count, stored_len, raw_len;
    uint64_t min_ts, max_ts, first_evnum;
    uint16_t bitmap_len;
    uint8_t *bitmap;          /* event type ids present (EVENTS) */
};

enum skr_damage_kind { SKR_DAMAGE_TRUNCATED = 1, SKR_DAMAGE_CORRUPT = 2 };

struct skr_damage {
    int kind;
    uint64_t offset;
    long block_no;            /* position in the file's block sequence; -1 if unknown */
    uint64_t events_lost;
    char what[200];
};

enum skr_item_kind { SKR_ITEM_EVENT = 1, SKR_ITEM_CHECKPOINT = 2, SKR_ITEM_STATS = 4 };

/* What skr_reader_next returns. For CHECKPOINT and STATS, payload holds the
 * §8/§9 records. Pointers stay valid until the next call. */
struct skr_item {
    int kind;
    const struct skr_event *ev;
    const struct skr_block_info *block;
    long block_no;
    const uint8_t *payload;
    size_t payload_len;
};

struct skr_reader;
typedef void (*skr_damage_fn)(void *ctx, const char *path, const struct skr_damage *d);

/* Opens path. Returns 0, or -1 with a one-line reason (naming the file and
 * offset) in err when the file is not a usable trace. */
int skr_reader_open(const char *path, struct skr_reader **out, char *err, size_t errlen);
/* Opens already-loaded bytes (tests, fuzzing): the reader copies nothing and
 * data must outlive it. */
int skr_reader_open_mem(const char *name, const void *data, size_t len,
                        struct skr_reader **out, char *err, size_t errlen);
void skr_reader_close(struct skr_reader *r);

const char *skr_reader_path(const struct skr_reader *r);
const struct skr_header_info *skr_reader_header(const struct skr_reader *r);
const struct skr_schema *skr_reader_schema(const struct skr_reader *r);
uint64_t skr_reader_file_size(const struct skr_reader *r);
size_t skr_reader_nblocks(const struct skr_reader *r);
const struct skr_block_info *skr_reader_block(const struct skr_reader *r, size_t i);
/* NULL when the footer index was used; else why the index was rebuilt. */
const char *skr_reader_index_rebuilt(const struct skr_reader *r);
/* Per-type event totals from the index; false when the index was rebuilt
 * (then a caller counts by reading). */
bool skr_reader_type_counts(const struct skr_reader *r, const uint64_t **counts);

size_t skr_reader_ndamage(const struct skr_reader *r);
const struct skr_damage *skr_reader_damage(const struct skr_reader *r, size_t i);
/* Called for each damage as it is found (including those found at open,
 * replayed when the callback is set). */
void skr_reader_on_damage(struct skr_reader *r, skr_damage_fn fn, void *ctx);

/* What iteration delivers: a mask of enum skr_item_kind; default events. */
void skr_reader_want(struct skr_reader *r, int kinds);
/* Only EVENTS blocks whose bitmap meets this bitmap are read, and only
 * their events of these types are delivered (NULL = all). */
void skr_reader_want_types(struct skr_reader *r, const uint8_t *bitmap, size_t len);
/* Decompress ahead on a second thread (default on). */
void skr_reader_set_prefetch(struct skr_reader *r, bool on);

/* Returns 1 with an item, 0 at the end, -1 on an I/O error (reported). */
int skr_reader_next(struct skr_reader *r, struct skr_item *it);
/* Positions at the first event with ts >= ts. */
void skr_reader_seek_time(struct skr_reader *r, uint64_t ts);
/* Positions at event number num (or the first after it). */
void skr_reader_seek_evnum(struct skr_reader *r, uint64_t num);
/* Positions at the last CHECKPOINT block at or before ts, so iteration
 * yields that checkpoint and then every event after it; returns its block
 * number, or -1 when there is none (then at the file start). */
long skr_reader_seek_checkpoint(struct skr_reader *r, uint64_t ts);
/* Back to the file start. */
void skr_reader_rewind(struct skr_reader *r);

/* Several files as one timeline, merged by timestamp (ties: file order). */
struct skr_merge;
int skr_merge_open(const char *const *paths, size_t n, struct skr_merge **out,
                   char *err, size_t errlen);
void skr_merge_close(struct skr_merge *m);
size_t skr_merge_nreaders(const struct skr_merge *m);
struct skr_reader *skr_merge_reader(struct skr_merge *m, size_t i);
/* Like skr_reader_next; *which is the index of the item's file. */
int skr_merge_next(struct skr_merge *m, struct skr_item *it, size_t *which);
void skr_merge_seek_time(struct skr_merge *m, uint64_t ts);

/* Decodes a §9 stats payload: calls fn for each per-CPU record. Returns 0 or
 * -1 on malformed data. */
int skr_stats_decode(const uint8_t *p, size_t n,
                     void (*fn)(void *ctx, uint32_t cpu, uint64_t events, uint64_t drops),
                     void *ctx);

#endif
