/* writer.c -- the trace writer (man/saker-trace.5 §13).
 *
 * Design: events are encoded into an in-memory raw buffer; when it reaches
 * block_size the block is compressed and written with one pwrite at the
 * file's current end. Only after the write succeeds does end_offset move
 * and the block join the in-memory index, so end_offset always marks the
 * last whole block. The index and the trailer go last, at close. */
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "../reader/block.h"
#include "../reader/codec.h"
#include "../reader/reader.h"
#include "writer_int.h"

ssize_t (*skw_sys_pwrite)(int fd, const void *buf, size_t n, off_t off) = pwrite;


static void fail(struct skw_writer *w, const char *fmt, ...)
{
    pthread_mutex_lock(&w->mu);
    if (!w->err[0]) { /* the first error is the one worth reporting */
        int n = snprintf(w->err, sizeof w->err, "%s: ", w->path);
        va_list ap;
        va_start(ap, fmt);
        if (n > 0 && (size_t)n < sizeof w->err)
            vsnprintf(w->err + n, sizeof w->err - (size_t)n, fmt, ap);
        va_end(ap);
    }
    atomic_store(&w->failed, true);
    pthread_mutex_unlock(&w->mu);
}

static int write_all(struct skw_writer *w, const uint8_t *p, size_t n, uint64_t off)
{
    while (n > 0) {
        ssize_t k = skw_sys_pwrite(w->fd, p, n, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            int e = k < 0 ? errno : ENOSPC;
            fail(w, "write at offset %llu: %s", (unsigned long long)off, strerror(e));
            return -1;
        }
        p += k;
        n -= (size_t)k;
        off += (uint64_t)k;
    }
    return 0;
}

/* After a failed write, cut the file back to its last whole block so a
 * reader finds no half block; the data before it stays. */
static void cut_back(struct skw_writer *w)
{
    if (ftruncate(w->fd, (off_t)w->end_offset) < 0) {
        /* Nothing more can be done: a reader will salvage the tail. */
    }
}

static int add_index(struct skw_writer *w, const struct skr_block_hdr *h, const uint8_t *meta)
{
    if (w->nindex == w->capindex) {
        size_t cap = w->capindex ? w->capindex * 2 : 256;
        struct skr_block_info *n = skr_realloc(w->index, cap * sizeof *n);
        if (!n) {
            fail(w, "out of memory for the index");
            return -1;
        }
        w->index = n;
        w->capindex = cap;
    }
    if (skr_block_info_set(&w->index[w->nindex], h, w->end_offset, meta) < 0) {
        fail(w, "out of memory for the index");
        return -1;
    }
    w->nindex++;
    return 0;
}

/* Compresses payload (writer_zstd.c), writes one whole block at
 * end_offset. strong: also try the second pass (STRONG_MIN_RATIO) and keep
 * the smaller. */
static int write_block(struct skw_writer *w, struct skr_block_hdr *h, const uint8_t *meta,
                       const uint8_t *payload, size_t len, const size_t *cuts, size_t ncuts,
                       bool indexed, bool strong)
{
    if (atomic_load(&w->failed))
        return -1;
    if (len > SKR_MAX_RAW_LEN) {
        fail(w, "%s block of %zu bytes over the limit", skr_block_type_name(h->type), len);
        return -1;
    }
    size_t bound = ZSTD_compressBound(len);
    skr_buf_reset(&w->out);
    if (!skr_buf_reserve(&w->out, SKR_BLOCK_HDR_LEN + h->meta_len + bound)) {
        w->out.oom = false;
        fail(w, "out of memory for a %zu-byte block", len);
        return -1;
    }
    uint8_t *dst = w->out.data + SKR_BLOCK_HDR_LEN + h->meta_len;
    size_t stored = 0;
    h->codec = SKR_CODEC_NONE;
    if (len > 0) {
        size_t n = skw_compress(w, w->cctx, dst, bound, payload, len, cuts, ncuts, NULL);
        if (strong && n > len / STRONG_MIN_RATIO && n < len / STRONG_MAX_RATIO) {
            const uint8_t *frame = NULL;
            size_t n2 = skw_strong_pass(w, payload, len, cuts, ncuts, bound, &frame);
            if (n2 && n2 < n) {
                memcpy(dst, frame, n2);
                n = n2;
            }
        }
        if (n) {
            h->codec = SKR_CODEC_ZSTD;
            stored = n;
        }
    }
    if (h->codec == SKR_CODEC_NONE) {
        if (len)
            memcpy(dst, payload, len);
        stored = len;
    }
    h->stored_len = (uint32_t)stored;
    h->raw_len = (uint32_t)len;
    h->payload_crc = skr_crc32(0, dst, stored);
    if (h->meta_len)
        memcpy(w->out.data + SKR_BLOCK_HDR_LEN, meta, h->meta_len);
    skr_block_hdr_store(w->out.data, h, meta);
    size_t total = SKR_BLOCK_HDR_LEN + h->meta_len + stored;
    if (write_all(w, w->out.data, total, w->end_offset) < 0) {
        cut_back(w);
        return -1;
    }
    if (indexed && add_index(w, h, meta) < 0)
        return -1;
    pthread_mutex_lock(&w->mu);
    w->end_offset += total;
    w->raw_total += len;
    pthread_mutex_unlock(&w->mu);
    return 0;
}

static void *worker_main(void *arg)
{
    struct skw_writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->qcount == 0 && !w->stopping)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->qcount == 0)
            break;
        struct wjob *j = &w->jobs[w->qhead];
        bool strong = w->effort_running && !skw_effort_must_stop(w);
        pthread_mutex_unlock(&w->mu);
        write_block(w, &j->h, j->meta, j->raw.data, j->raw.len,
                    (const size_t *)(void *)j->cuts.data, j->cuts.len / sizeof(size_t), true,
                    strong);
        pthread_mutex_lock(&w->mu);
        w->qhead = (w->qhead + 1) % QUEUE_DEPTH;
        w->qcount--;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* Waits until every queued block is written (a no-op without a thread). */
static void drain_queue(struct skw_writer *w)
{
    pthread_mutex_lock(&w->mu);
    /* the caller waits: no second pass until the queue is empty */
    if (!w->patient) {
        w->hurry = true;
        pthread_cond_broadcast(&w->cv); /* a worker waiting for the pass */
    }
    while (w->qcount > 0)
        pthread_cond_wait(&w->cv, &w->mu);
    w->hurry = false;
    pthread_mutex_unlock(&w->mu);
}

/* Hands the block in w->raw to the worker; the job's old buffers become
 * w's, so no payload is copied. */
static void enqueue(struct skw_writer *w, const struct skr_block_hdr *h)
{
    pthread_mutex_lock(&w->mu);
    while (w->qcount == QUEUE_DEPTH)
        pthread_cond_wait(&w->cv, &w->mu);
    struct wjob *j = &w->jobs[(w->qhead + w->qcount) % QUEUE_DEPTH];
    pthread_mutex_unlock(&w->mu);
    j->h = *h;
    memcpy(j->meta, w->bitmap, h->meta_len);
    struct skr_buf t = j->raw;
    j->raw = w->raw;
    w->raw = t;
    t = j->cuts;
    j->cuts = w->cuts;
    w->cuts = t;
    pthread_mutex_lock(&w->mu);
    w->qcount++;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

int skw_flush(struct skw_writer *w)
{
    if (atomic_load(&w->failed))
        return -1;
    if (w->count == 0)
        return 0;
    skr_buf_reset(&w->raw);
    skr_buf_reset(&w->cuts);
    skr_evenc_finish(&w->enc, &w->raw, &w->cuts);
    if (w->raw.oom || w->cuts.oom) {
        w->cuts.oom = false;
        w->raw.oom = false;
        fail(w, "out of memory while encoding events");
        return -1;
    }
    struct skr_block_hdr h = {
        .type = SKR_BLK_EVENTS,
        .meta_len = w->bitmap_len,
        .count = w->count,
        .min_ts = w->min_ts,
        .max_ts = w->max_ts,
        .first_evnum = w->first_evnum,
    };
    int rc = 0;
    if (w->thread_running)
        enqueue(w, &h);
    else
        rc = write_block(w, &h, w->bitmap, w->raw.data, w->raw.len,
                         (const size_t *)(void *)w->cuts.data, w->cuts.len / sizeof(size_t), true, false);
    skr_buf_reset(&w->raw);
    memset(w->bitmap, 0, w->bitmap_len);
    w->bitmap_len = 0;
    w->count = 0;
    return rc;
}

int skw_append(struct skw_writer *w, const struct skr_event *ev)
{
    if (atomic_load(&w->failed))
        return -1;
    if (ev->type >= SKR_MAX_EVENT_TYPES || w->schema->defs[ev->type] != ev->def ||
        ev->nparams > ev->def->nparams) {
        fail(w, "event type %u does not match the schema", ev->type);
        return -1;
    }
    if (w->count == 0) {
        w->first_evnum = w->next_evnum;
        w->min_ts = w->max_ts = ev->ts;
    }
    skr_evenc_add(&w->enc, ev);
    if (ev->ts < w->min_ts)
        w->min_ts = ev->ts;
    if (ev->ts > w->max_ts)
        w->max_ts = ev->ts;
    w->bitmap[ev->type / 8] |= (uint8_t)(1u << (ev->type % 8));
    if (ev->type / 8 + 1u > w->bitmap_len)
        w->bitmap_len = (uint16_t)(ev->type / 8 + 1);
    w->type_counts[ev->type]++;
    w->count++;
    w->next_evnum++;
    w->events++;
    if (w->enc.size >= w->block_size)
        return skw_flush(w);
    return 0;
}


int skw_checkpoint(struct skw_writer *w, uint64_t ts, const void *records, size_t len, uint32_t count)
{
    if (skw_flush(w) < 0)
        return -1;
    drain_queue(w);
    struct skr_block_hdr h = {
        .type = SKR_BLK_CHECKPOINT, .count = count, .min_ts = ts, .max_ts = ts,
        .first_evnum = w->next_evnum,
    };
    return write_block(w, &h, NULL, records, len, NULL, 0, true, false);
}

int skw_stats(struct skw_writer *w, uint64_t ts, const struct skw_cpu_stats *cpus, size_t n)
{
    /* Like a checkpoint, the stats block sits between the events written
     * before it and those after it (§7.3): cut the block being filled. */
    if (skw_flush(w) < 0)
        return -1;
    drain_queue(w);
    struct skr_buf b = { 0 }, rec = { 0 };
    for (size_t i = 0; i < n; i++) {
        skr_buf_reset(&rec);
        skr_put_field_u(&rec, SKR_STC_CPU, cpus[i].cpu);
        skr_put_field_u(&rec, SKR_STC_EVENTS, cpus[i].events);
        skr_put_field_u(&rec, SKR_STC_DROPS, cpus[i].drops);
        skr_put_field_bytes(&b, SKR_ST_CPU, rec.data, rec.len);
    }
    int rc;
    if (b.oom || rec.oom) {
        fail(w, "out of memory for a stats block");
        rc = -1;
    } else {
        struct skr_block_hdr h = {
            .type = SKR_BLK_STATS, .count = (uint32_t)n, .min_ts = ts, .max_ts = ts,
            .first_evnum = w->next_evnum,
        };
        rc = write_block(w, &h, NULL, b.data, b.len, NULL, 0, true, false);
    }
    skr_buf_free(&b);
    skr_buf_free(&rec);
    return rc;
}

static void put_opt_str(struct skr_buf *b, uint32_t tag, const char *s)
{
    if (s)
        skr_put_field_str(b, tag, s);
}

static void encode_header(struct skr_buf *b, const struct skw_header *h,
                          const struct skr_schema *schema, const struct skw_writer *w)
{
    skr_put_field_u(b, SKR_HDR_CREATED_NS, h->created_ns);
    put_opt_str(b, SKR_HDR_HOSTNAME, h->hostname);
    put_opt_str(b, SKR_HDR_KERNEL_RELEASE, h->kernel_release);
    put_opt_str(b, SKR_HDR_KERNEL_VERSION, h->kernel_version);
    put_opt_str(b, SKR_HDR_ARCH, h->arch);
    skr_put_field_u(b, SKR_HDR_BOOT_NS, h->boot_ns);
    skr_put_field_u(b, SKR_HDR_NCPUS, h->ncpus);
    put_opt_str(b, SKR_HDR_RECORDER, h->recorder);
    put_opt_str(b, SKR_HDR_RECORDER_VERSION, h->recorder_version);
    for (int i = 0; i < h->argc; i++)
        put_opt_str(b, SKR_HDR_CMDLINE_ARG, h->argv[i]);
    skr_put_field_u(b, SKR_HDR_SNAPLEN, h->snaplen);
    put_opt_str(b, SKR_HDR_FILTER, h->filter);
    for (int i = 0; i < h->noptions; i++)
        put_opt_str(b, SKR_HDR_OPTION, h->options[i]);
    skr_put_field_u(b, SKR_HDR_BLOCK_SIZE, w->block_size);
    skr_put_field_s(b, SKR_HDR_ZSTD_LEVEL, w->level);
    skr_put_field_u(b, SKR_HDR_FIRST_EVNUM, w->next_evnum);
    skr_put_field_u(b, SKR_HDR_FILE_SEQ, h->file_seq);
    skr_put_field_str(b, SKR_HDR_SOURCE_FORMAT, h->source_format ? h->source_format : "saker");
    skr_schema_encode(schema, b);
}

static void stop_worker(struct skw_writer *w)
{
    if (w->thread_running) {
        pthread_mutex_lock(&w->mu);
        w->stopping = true;
        if (!w->patient) /* as in drain_queue */
            w->hurry = true;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
        w->thread_running = false;
    }
    if (w->effort_running) {
        pthread_mutex_lock(&w->mu);
        w->effort_stopping = true;
        pthread_cond_broadcast(&w->ecv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->effort_thread, NULL);
        w->effort_running = false;
    }
}

static void writer_free(struct skw_writer *w)
{
    if (!w)
        return;
    stop_worker(w);
    for (int i = 0; i < QUEUE_DEPTH; i++) {
        skr_buf_free(&w->jobs[i].raw);
        skr_buf_free(&w->jobs[i].cuts);
    }
    pthread_cond_destroy(&w->cv);
    pthread_cond_destroy(&w->ecv);
    pthread_mutex_destroy(&w->mu);
    if (w->fd >= 0)
        close(w->fd);
    for (size_t i = 0; i < w->nindex; i++)
        free(w->index[i].bitmap);
    free(w->index);
    skr_evenc_free(&w->enc);
    skr_buf_free(&w->raw);
    skr_buf_free(&w->cuts);
    skr_buf_free(&w->out);
    skr_buf_free(&w->out2);
    skr_buf_free(&w->wout);
    skr_buf_free(&w->ein);
    skr_buf_free(&w->ecuts);
    ZSTD_freeCCtx(w->cctx);
    ZSTD_freeCCtx(w->cctx2);
    free(w->path);
    free(w);
}

struct skw_writer *skw_create(const char *path, const struct skw_header *hdr,
                              const struct skr_schema *schema, const struct skw_options *opt,
                              char *err, size_t errlen)
{
    struct skw_writer *w = skr_malloc(sizeof *w);
    if (!w) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    pthread_cond_init(&w->ecv, NULL);
    atomic_init(&w->failed, false);
    atomic_init(&w->sp_abort, false);
    w->background = opt && opt->background;
    w->spare_effort = w->background && opt->spare_effort;
    w->fd = -1;
    w->schema = schema;
    w->block_size = opt && opt->block_size ? opt->block_size : SKR_DEFAULT_BLOCK_SIZE;
    if (w->block_size > SKR_MAX_RAW_LEN / 2)
        w->block_size = SKR_MAX_RAW_LEN / 2;
    w->level = opt && opt->zstd_level ? opt->zstd_level : SKR_DEFAULT_ZSTD_LEVEL;
    w->next_evnum = opt && opt->first_evnum ? opt->first_evnum : 1;
    size_t plen = strlen(path);
    w->path = skr_malloc(plen + 1);
    w->cctx = ZSTD_createCCtx();
    if (!w->path || !w->cctx) {
        snprintf(err, errlen, "%s: out of memory", path);
        writer_free(w);
        return NULL;
    }
    memcpy(w->path, path, plen + 1);
    w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (w->fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        writer_free(w);
        return NULL;
    }
    /* Traces hold command lines and data: never wider than 0600, even
     * when the file existed before with another mode. */
    if (fchmod(w->fd, 0600) < 0) {
        snprintf(err, errlen, "%s: chmod 0600: %s", path, strerror(errno));
        writer_free(w);
        return NULL;
    }
    uint8_t pre[SKR_PREAMBLE_LEN] = { 0 };
    memcpy(pre, SKR_MAGIC, SKR_MAGIC_LEN);
    skr_store_u16(pre + 8, SKR_VERSION_MAJOR);
    skr_store_u16(pre + 10, SKR_VERSION_MINOR);
    struct skr_buf hb = { 0 };
    encode_header(&hb, hdr, schema, w);
    int rc = -1;
    if (hb.oom) {
        fail(w, "out of memory for the header");
    } else if (write_all(w, pre, sizeof pre, 0) == 0) {
        w->end_offset = SKR_PREAMBLE_LEN;
        struct skr_block_hdr h = { .type = SKR_BLK_HEADER, .count = 1,
                                   .min_ts = hdr->created_ns, .max_ts = hdr->created_ns,
                                   .first_evnum = w->next_evnum };
        rc = write_block(w, &h, NULL, hb.data, hb.len, NULL, 0, false, false);
    }
    skr_buf_free(&hb);
    if (rc == 0 && w->background) {
        /* first, so the worker sees effort_running as it will stay */
        if (w->spare_effort && (w->cctx2 = ZSTD_createCCtx()) &&
            pthread_create(&w->effort_thread, NULL, skw_effort_main, w) == 0)
            w->effort_running = true;
        /* else: no second pass */
        if (pthread_create(&w->thread, NULL, worker_main, w) == 0)
            w->thread_running = true;
        /* else: compress on the caller's thread; slower, still correct */
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s", w->err);
        writer_free(w);
        return NULL;
    }
    return w;
}

static void encode_index(const struct skw_writer *w, struct skr_buf *b)
{
    struct skr_buf e = { 0 };
    for (size_t i = 0; i < w->nindex; i++) {
        const struct skr_block_info *x = &w->index[i];
        skr_buf_reset(&e);
        skr_put_field_u(&e, SKR_IXB_OFFSET, x->offset);
        skr_put_field_u(&e, SKR_IXB_TYPE, x->type);
        skr_put_field_u(&e, SKR_IXB_MIN_TS, x->min_ts);
        skr_put_field_u(&e, SKR_IXB_MAX_TS, x->max_ts);
        skr_put_field_u(&e, SKR_IXB_FIRST_EVNUM, x->first_evnum);
        skr_put_field_u(&e, SKR_IXB_COUNT, x->count);
        if (x->bitmap_len)
            skr_put_field_bytes(&e, SKR_IXB_BITMAP, x->bitmap, x->bitmap_len);
        skr_put_field_u(&e, SKR_IXB_LENGTH, x->length);
        skr_put_field_u(&e, SKR_IXB_CODEC, x->codec);
        skr_put_field_u(&e, SKR_IXB_STORED_LEN, x->stored_len);
        skr_put_field_u(&e, SKR_IXB_RAW_LEN, x->raw_len);
        skr_put_field_bytes(b, SKR_IX_BLOCK, e.data, e.len);
    }
    for (uint32_t t = 0; t < SKR_MAX_EVENT_TYPES; t++) {
        if (!w->type_counts[t])
            continue;
        skr_buf_reset(&e);
        skr_put_field_u(&e, 1, t);
        skr_put_field_u(&e, 2, w->type_counts[t]);
        skr_put_field_bytes(b, SKR_IX_TYPE_COUNT, e.data, e.len);
    }
    skr_put_field_u(b, SKR_IX_TOTAL_EVENTS, w->events);
    if (e.oom)
        b->oom = true;
    skr_buf_free(&e);
}

int skw_close(struct skw_writer *w, char *err, size_t errlen)
{
    skw_flush(w);
    stop_worker(w); /* writes what is queued, then ends */
    if (!w->err[0]) {
        struct skr_buf ib = { 0 };
        encode_index(w, &ib);
        uint64_t index_offset = w->end_offset;
        struct skr_block_hdr h = { .type = SKR_BLK_INDEX, .count = (uint32_t)w->nindex,
                                   .first_evnum = w->next_evnum };
        if (w->nindex) {
            h.min_ts = w->index[0].min_ts;
            h.max_ts = w->index[0].max_ts;
            for (size_t i = 1; i < w->nindex; i++) {
                if (w->index[i].min_ts < h.min_ts)
                    h.min_ts = w->index[i].min_ts;
                if (w->index[i].max_ts > h.max_ts)
                    h.max_ts = w->index[i].max_ts;
            }
        }
        if (ib.oom)
            fail(w, "out of memory for the index");
        else if (write_block(w, &h, NULL, ib.data, ib.len, NULL, 0, false, false) == 0) {
            uint8_t t[SKR_TRAILER_LEN] = { 0 };
            memcpy(t, SKR_TRAILER_MAGIC, SKR_MAGIC_LEN);
            skr_store_u64(t + 8, index_offset);
            skr_store_u64(t + 16, w->end_offset);
            skr_store_u32(t + 28, skr_crc32(0, t, 28));
            if (write_all(w, t, sizeof t, w->end_offset) == 0)
                w->end_offset += sizeof t;
            else
                cut_back(w);
        }
        skr_buf_free(&ib);
    }
    if (!w->err[0] && fdatasync(w->fd) < 0)
        fail(w, "fdatasync: %s", strerror(errno));
    if (!w->err[0] && close(w->fd) < 0)
        fail(w, "close: %s", strerror(errno));
    else if (w->err[0])
        close(w->fd);
    w->fd = -1;
    int rc = w->err[0] ? -1 : 0;
    if (rc < 0 && err)
        snprintf(err, errlen, "%s", w->err);
    writer_free(w);
    return rc;
}

const char *skw_error(const struct skw_writer *w)
{
    return atomic_load(&((struct skw_writer *)w)->failed) ? w->err : NULL;
}
uint64_t skw_events_written(const struct skw_writer *w) { return w->events; }
uint64_t skw_next_evnum(const struct skw_writer *w) { return w->next_evnum; }
uint64_t skw_bytes_written(struct skw_writer *w)
{
    pthread_mutex_lock(&w->mu);
    uint64_t n = w->end_offset;
    pthread_mutex_unlock(&w->mu);
    return n;
}

uint64_t skw_raw_bytes(struct skw_writer *w)
{
    pthread_mutex_lock(&w->mu);
    uint64_t n = w->raw_total + w->enc.size;
    pthread_mutex_unlock(&w->mu);
    return n;
}
