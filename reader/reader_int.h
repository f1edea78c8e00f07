/* reader_int.h -- the reader's internal state, shared by reader.c (open,
 * header, index), scan.c (index rebuild and resync) and iter.c (iteration,
 * prefetch, seek). Not part of the reader's API. */
#ifndef SAKER_READER_INT_H
#define SAKER_READER_INT_H

#include <pthread.h>
#include "block.h"
#include "reader.h"

/* One block read and decoded, by the consumer or the prefetch thread. */
struct skr_loaded {
    size_t idx;                 /* into r->blocks */
    int damage_kind;            /* 0 when the block is good */
    uint64_t damage_offset;
    char err[160];
    struct skr_buf io;          /* bytes as read */
    struct skr_buf raw;         /* decoded payload */
};

#define SKR_PREFETCH_SLOTS 4

struct skr_prefetch {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool sync_ready;            /* mu and cv initialised */
    bool running, stop, done;
    size_t plan;                /* next block index the worker considers */
    struct skr_loaded slots[SKR_PREFETCH_SLOTS];
    size_t head, fill;          /* ring: first full slot, full slots */
    bool consumer_holds;        /* slots[head] is being consumed */
    struct ZSTD_DCtx_s *dctx;
};

struct skr_reader {
    char *path;
    int fd;
    const uint8_t *mem;
    uint8_t *owned_mem;         /* a .scap import: the trace image mem points to (§16) */
    uint64_t size;
    uint64_t data_start, data_end;

    struct skr_header_info hdr;
    struct skr_schema schema;
    struct skr_block_info *blocks;
    size_t nblocks, capblocks;
    char rebuilt[200];
    bool have_counts;
    uint64_t *type_counts;

    struct skr_damage *damage;
    size_t ndamage, capdamage;
    skr_damage_fn damage_fn;
    void *damage_ctx;

    int want;
    uint8_t want_bitmap[SKR_MAX_EVENT_TYPES / 8];
    bool want_all_types;
    bool prefetch_on;

    /* iteration */
    size_t next_block;          /* synchronous mode: next block to load */
    struct skr_loaded sync_slot;
    struct skr_loaded *cur;     /* block being consumed, or NULL */
    struct skr_evdec dec;
    uint32_t left;              /* events left in cur */
    uint64_t next_evnum;
    uint64_t skip_before_ts, skip_before_evnum;
    struct skr_event ev;
    struct skr_prefetch pf;
    struct ZSTD_DCtx_s *dctx;
};

/* Reads up to n bytes at off; returns the count read (short at the end),
 * or -1 on an I/O error (errno set). */
long skr_src_read(const struct skr_reader *r, uint64_t off, void *buf, size_t n);
/* Records a damage report and calls the callback. */
void skr_add_damage(struct skr_reader *r, int kind, uint64_t offset, long block_no,
                    uint64_t lost, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Appends a block to r->blocks; -1 when out of memory. */
int skr_add_block(struct skr_reader *r, const struct skr_block_info *b);
/* Rebuilds r->blocks by scanning [data_start, data_end). */
int skr_scan_blocks(struct skr_reader *r, char *err, size_t errlen);
/* Reads and decodes block idx into L (thread-safe for distinct L). */
void skr_load_block(const struct skr_reader *r, size_t idx, struct ZSTD_DCtx_s *dctx,
                    struct skr_loaded *L);
bool skr_block_wanted(const struct skr_reader *r, const struct skr_block_info *b);
void skr_iter_stop(struct skr_reader *r);
void skr_iter_free(struct skr_reader *r);

#endif
