/* writer_int.h -- the trace writer's state, shared by writer.c (blocks,
 * queue, file) and writer_zstd.c (compression); nothing else includes it. */
#ifndef SAKER_WRITER_INT_H
#define SAKER_WRITER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>
#include <zstd.h>

#include "../reader/block.h"
#include "../reader/codec.h"
#include "../reader/format.h"

/* An EVENTS block waiting for the background thread. */
struct wjob {
    struct skr_block_hdr h;
    uint8_t meta[SKR_MAX_EVENT_TYPES / 8];
    struct skr_buf raw, cuts;
};

/* Blocks in flight: one being compressed, the rest filled behind it.
 * Without spare_effort two would do (more only hold more memory; a
 * recorder that outruns zstd needs a lower level, not a longer queue);
 * with it, a burst of blocks waits here for the slow second pass while
 * the caller goes on (effort_must_stop). 8 MiB of raw blocks at most. */
#define QUEUE_DEPTH 8

struct skw_writer {
    int fd;
    char *path;
    char err[256];
    const struct skr_schema *schema;
    uint32_t block_size;
    int level;
    ZSTD_CCtx *cctx;
    uint64_t end_offset;     /* end of the last whole block written */
    uint64_t next_evnum;
    uint64_t events;
    uint64_t raw_total;

    /* the events block being filled */
    struct skr_evenc enc;
    struct skr_buf raw;      /* its payload, assembled at flush */
    struct skr_buf cuts;     /* column end offsets in raw (size_t each) */
    uint32_t count;
    uint64_t first_evnum, min_ts, max_ts;
    uint8_t bitmap[SKR_MAX_EVENT_TYPES / 8];
    uint16_t bitmap_len;

    struct skr_buf out;      /* header + meta + compressed payload */
    struct skr_buf out2;     /* the effort thread's frame (spare_effort) */
    struct skr_buf wout;     /* the worker's own second-pass frame */
    ZSTD_CCtx *cctx2;        /* the second pass's context */
    struct skr_block_info *index;
    size_t nindex, capindex;
    uint64_t type_counts[SKR_MAX_EVENT_TYPES];

    /* Background mode (skw_options.background): EVENTS blocks are
     * compressed and written by one worker thread, so the caller (the
     * recorder's draining thread) only encodes. Every other block waits
     * until the queue is empty, so blocks reach the file in the order they
     * were made. mu guards the queue, err, end_offset and raw_total. */
    bool background, thread_running, stopping, spare_effort;

    /* spare_effort's second pass runs on a thread of its own at
     * SCHED_IDLE (writer_zstd.c), so it takes only CPU time nothing else
     * wants. mu guards the request (sp_state), and the buffers ein (the
     * payload), ecuts and out2 belong to the effort thread from SP_ASKED
     * until it leaves SP_ASKED or SP_ABANDONED. Once patient, the worker
     * makes the pass itself, at normal priority, with cctx and wout. */
    bool effort_running, effort_stopping, hurry, patient;
    struct timespec patient_until;
    pthread_t effort_thread;
    pthread_cond_t ecv;      /* the effort thread waits on it; the worker on cv */
    enum { SP_IDLE, SP_ASKED, SP_DONE, SP_ABANDONED } sp_state;
    struct timespec sp_deadline; /* the effort thread's pass gives up then */
    size_t sp_result;
    struct skr_buf ein, ecuts;
    atomic_bool sp_abort;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct wjob jobs[QUEUE_DEPTH];
    unsigned qhead, qcount;
    atomic_bool failed;
};

#define STRONG_MIN_RATIO 8   /* retried when compressed * 8 > raw */
#define STRONG_MAX_RATIO 3   /* but not when compressed * 3 >= raw: nearly
                                random bytes, where the pass gains nothing
                                and only holds blocks back from the disk
                                (-C sizes files by what is on disk) */

/* writer_zstd.c */
struct skw_stop {              /* when a second pass gives up */
    const atomic_bool *abort;  /* set by the worker; NULL: never */
    struct timespec deadline;
};
/* stop NULL: the first pass; else the second, in pieces */
size_t skw_compress(struct skw_writer *w, ZSTD_CCtx *cctx, uint8_t *dst, size_t cap,
                    const uint8_t *src, size_t len, const size_t *cuts, size_t ncuts,
                    const struct skw_stop *stop);
void *skw_effort_main(void *arg);
bool skw_effort_must_stop(const struct skw_writer *w);
size_t skw_strong_pass(struct skw_writer *w, const uint8_t *payload, size_t len,
                       const size_t *cuts, size_t ncuts, size_t cap, const uint8_t **frame);

#endif
