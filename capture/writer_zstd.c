/* writer_zstd.c -- how the writer compresses a block payload: the first
 * pass at the file's level, and skw_options.spare_effort's second pass on
 * a thread of its own (man/saker-trace.5 §13: one zstd frame per payload,
 * either way). writer.c owns the blocks, the queue and the file.
 *
 * DESIGN
 * While the caller records, the second pass runs on the effort thread at
 * SCHED_IDLE, on its own copy of the payload, while the worker waits for
 * it: it must not take CPU time from the traced workload. The worker stops
 * waiting (and sets sp_abort) when blocks pile up (more than half the
 * queue), when the caller waits for the queue (hurry) or after
 * STRONG_WAIT_S; the pass checks sp_abort and its deadline between pieces
 * of STRONG_PIECE bytes. Once the caller is patient (the end of a
 * recording) the worker makes the pass itself, at normal priority, within
 * STRONG_WAIT_S in all: on a busy machine the idle thread would get no
 * time at all. The first pass's result stands whenever the second gives
 * up. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zstd.h>

#include "../reader/block.h"
#include "../reader/codec.h"
#include "writer.h"
#include "writer_int.h"

int skw_effort_policy = SCHED_IDLE;

/* One zstd frame; with cuts, the frame's internal blocks end at column
 * boundaries (ZSTD_e_flush), so each large column gets entropy tables of
 * its own. Readers see an ordinary frame. Measured on the gentrace mix
 * (1M events, level 3): 6.54 bytes/event with one plain frame, 5.83 with
 * cuts at columns of 1 KiB or more; 256 B gained nothing (5.84), 16 KiB
 * lost (6.03). Returns the compressed size, or 0 when compression failed
 * or did not help. */
#define CUT_MIN (1u << 10)

/* The second pass of skw_options.spare_effort: zstd's optimal parser
 * (btultra) with 3-byte matches. Measured on `saker record` of a tar
 * unpacking 20 000 small text files (bench/record-bench), whose 80-byte
 * data snippets of random words make most of the file: 7.15 bytes/event at
 * level 3, 6.98 at 6, 6.41 at 12, 5.59 at 19; lazy2 with 3-byte matches
 * 6.73, btopt 5.86, these 5.66. The same parameters on every block made
 * the dd loop's recorder use twice the CPU (btopt dropped events there),
 * hence the second pass only for blocks that level 3 leaves big, when the
 * thread has time. It runs at ~5 MB/s (200 ms for a 1 MiB block of that
 * tar, whose unpacking makes one every 80 ms): the queue holds the burst. */
/* STRONG_MIN_RATIO, STRONG_MAX_RATIO: writer_int.h */
#define STRONG_PIECE (16u << 10) /* ~4 ms of the strong pass */
#define STRONG_WAIT_S 2      /* the most a block waits for it; and all of
                                them after skw_set_patient */

static bool set_strong(ZSTD_CCtx *c)
{
    return !ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_strategy, ZSTD_btultra)) &&
           !ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_minMatch, 3)) &&
           !ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_searchLog, 5)) &&
           !ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_hashLog, 20)) &&
           !ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_chainLog, 20)) &&
           !ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_targetLength, 64));
}

static bool before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static bool past(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return !before(&now, t);
}

size_t skw_compress(struct skw_writer *w, ZSTD_CCtx *cctx, uint8_t *dst, size_t cap,
                    const uint8_t *src, size_t len, const size_t *cuts, size_t ncuts,
                    const struct skw_stop *stop)
{
    bool strong = stop != NULL;
    if (!ncuts && !strong) {
        size_t n = ZSTD_compressCCtx(cctx, dst, cap, src, len, w->level);
        return ZSTD_isError(n) || n >= len ? 0 : n;
    }
    ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
    if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, w->level)) ||
        (strong && !set_strong(cctx)) ||
        ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(cctx, len)))
        return 0;
    ZSTD_outBuffer ob = { dst, cap, 0 };
    size_t from = 0;
    for (size_t i = 0; i <= ncuts; i++) {
        size_t to = i < ncuts ? cuts[i] : len;
        if (i < ncuts && (to - from < CUT_MIN || to > len))
            continue;
        ZSTD_EndDirective mode = i < ncuts ? ZSTD_e_flush : ZSTD_e_end;
        size_t p = from;
        do {
            /* a strong pass goes in pieces and gives up (the first
             * pass's result stands) when the worker says so */
            size_t q = strong && to - p > STRONG_PIECE ? p + STRONG_PIECE : to;
            if (strong && ((stop->abort && atomic_load(stop->abort)) || past(&stop->deadline)))
                return 0;
            ZSTD_inBuffer ib = { src + p, q - p, 0 };
            ZSTD_EndDirective m = q < to ? ZSTD_e_continue : mode;
            size_t left;
            do {
                left = ZSTD_compressStream2(cctx, &ob, &ib, m);
                if (ZSTD_isError(left))
                    return 0;
            } while (m == ZSTD_e_continue ? ib.pos < ib.size : left != 0);
            p = q;
        } while (p < to);
        from = to;
    }
    return ob.pos >= len ? 0 : ob.pos;
}

/* The effort thread: one second pass at a time, as the worker asks, on
 * its own copy of the payload: a worker that stops waiting for it (state
 * SP_ABANDONED) goes on with the block and recycles its buffers at once. */
void *skw_effort_main(void *arg)
{
    struct skw_writer *w = arg;
    struct sched_param none = { 0 };
    /* lowering a thread's priority needs no privilege; should it fail,
     * the pass runs at normal priority and still gives way (sp_abort) */
    pthread_setschedparam(pthread_self(), skw_effort_policy, &none);
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->sp_state != SP_ASKED && !w->effort_stopping)
            pthread_cond_wait(&w->ecv, &w->mu);
        if (w->sp_state != SP_ASKED)
            break;
        struct skw_stop stop = { &w->sp_abort, w->sp_deadline };
        pthread_mutex_unlock(&w->mu);
        size_t n = skw_compress(w, w->cctx2, w->out2.data, w->out2.cap, w->ein.data, w->ein.len,
                                (const size_t *)(void *)w->ecuts.data,
                                w->ecuts.len / sizeof(size_t), &stop);
        pthread_mutex_lock(&w->mu);
        if (w->sp_state == SP_ABANDONED) {
            w->sp_state = SP_IDLE;
        } else {
            w->sp_result = n;
            w->sp_state = SP_DONE;
            pthread_cond_broadcast(&w->cv);
        }
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* Has the second pass to stop? Called with mu held. */
bool skw_effort_must_stop(const struct skw_writer *w)
{
    return w->hurry || w->qcount > QUEUE_DEPTH / 2;
}

/* Once patient, nothing waits for the worker but the end of the file: it
 * makes the pass itself, at its own priority, until the deadline, with its
 * own context and buffer (an abandoned pass may still be running on the
 * effort thread). */
static size_t worker_pass(struct skw_writer *w, const uint8_t *payload, size_t len,
                          const size_t *cuts, size_t ncuts, size_t cap,
                          const struct timespec *deadline, const uint8_t **frame)
{
    struct skw_stop stop = { NULL, *deadline };
    size_t n = 0;
    if (skr_buf_reserve(&w->wout, cap) && w->wout.cap >= cap)
        n = skw_compress(w, w->cctx, w->wout.data, cap, payload, len, cuts, ncuts, &stop);
    w->wout.oom = false;
    *frame = w->wout.data;
    return n;
}

/* The second pass of payload: its size and *frame, or 0 if it gave up,
 * failed or did not help, or while recording the effort thread is still
 * busy with an abandoned one. While recording it runs on the effort
 * thread and the worker waits (a block is written whole or not at all),
 * woken by every enqueue and drain_queue; once patient, on the worker. */
size_t skw_strong_pass(struct skw_writer *w, const uint8_t *payload, size_t len,
                       const size_t *cuts, size_t ncuts, size_t cap, const uint8_t **frame)
{
    struct timespec now, deadline;
    clock_gettime(CLOCK_REALTIME, &now);
    deadline = now;
    deadline.tv_sec += STRONG_WAIT_S;
    pthread_mutex_lock(&w->mu);
    bool idle = w->sp_state == SP_IDLE, patient = w->patient;
    if (patient && before(&w->patient_until, &deadline))
        deadline = w->patient_until;
    if (idle && !patient)
        w->sp_deadline = deadline;
    pthread_mutex_unlock(&w->mu);
    if (!before(&now, &deadline))
        return 0;
    if (patient)
        return worker_pass(w, payload, len, cuts, ncuts, cap, &deadline, frame);
    if (!idle)
        return 0;
    /* SP_IDLE: the effort thread does not touch its buffers */
    skr_buf_reset(&w->ein);
    skr_put_raw(&w->ein, payload, len);
    skr_buf_reset(&w->ecuts);
    skr_put_raw(&w->ecuts, cuts, ncuts * sizeof *cuts);
    if (w->ein.oom || w->ecuts.oom || !skr_buf_reserve(&w->out2, cap) || w->out2.cap < cap) {
        w->ein.oom = w->ecuts.oom = w->out2.oom = false;
        return 0;
    }
    pthread_mutex_lock(&w->mu);
    atomic_store(&w->sp_abort, false);
    w->sp_state = SP_ASKED;
    pthread_cond_broadcast(&w->ecv);
    while (w->sp_state == SP_ASKED && !skw_effort_must_stop(w) && !w->patient) {
        if (pthread_cond_timedwait(&w->cv, &w->mu, &deadline) == ETIMEDOUT)
            break;
    }
    size_t n = 0;
    if (w->sp_state == SP_DONE) {
        n = w->sp_result;
        *frame = w->out2.data;
        w->sp_state = SP_IDLE;
    } else {
        atomic_store(&w->sp_abort, true);
        w->sp_state = SP_ABANDONED;
    }
    patient = w->patient;
    deadline = w->patient_until;
    pthread_mutex_unlock(&w->mu);
    /* became patient while waiting for a starved effort thread */
    if (!n && patient)
        return worker_pass(w, payload, len, cuts, ncuts, cap, &deadline, frame);
    return n;
}

void skw_set_patient(struct skw_writer *w)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += STRONG_WAIT_S;
    pthread_mutex_lock(&w->mu);
    w->patient = true;
    w->patient_until = until; /* all the second passes get from here on */
    pthread_cond_broadcast(&w->cv); /* a worker waiting for the effort thread */
    pthread_mutex_unlock(&w->mu);
}
