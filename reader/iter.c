/* iter.c -- iterating a trace in order, seeking, and the prefetch thread
 * that reads and decompresses blocks ahead of the consumer
 * (man/saker-trace.5 §7, §12).
 *
 * Design: the block list (from the index or a scan) is the plan. The
 * consumer takes loaded blocks in plan order, either from a ring of
 * SKR_PREFETCH_SLOTS filled by one worker thread, or by loading inline.
 * Damage found while loading travels with the slot and is reported on the
 * consumer's thread, so damage reports need no lock. A seek stops the
 * worker, empties the ring and restarts the plan at the new block. */
#include "reader_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

bool skr_block_wanted(const struct skr_reader *r, const struct skr_block_info *b)
{
    switch (b->type) {
    case SKR_BLK_EVENTS:
        if (!(r->want & SKR_ITEM_EVENT))
            return false;
        if (r->want_all_types)
            return true;
        for (size_t i = 0; i < b->bitmap_len; i++)
            if (b->bitmap[i] & r->want_bitmap[i])
                return true;
        return false;
    case SKR_BLK_CHECKPOINT: return (r->want & SKR_ITEM_CHECKPOINT) != 0;
    case SKR_BLK_STATS: return (r->want & SKR_ITEM_STATS) != 0;
    default: return false;
    }
}

void skr_load_block(const struct skr_reader *r, size_t idx, struct ZSTD_DCtx_s *dctx,
                    struct skr_loaded *L)
{
    const struct skr_block_info *b = &r->blocks[idx];
    L->idx = idx;
    L->damage_kind = 0;
    L->damage_offset = b->offset;
    L->err[0] = 0;
    skr_buf_reset(&L->io);
    if (!skr_buf_reserve(&L->io, b->length)) {
        L->io.oom = false;
        L->damage_kind = SKR_DAMAGE_CORRUPT;
        snprintf(L->err, sizeof L->err, "out of memory for %u bytes", b->length);
        return;
    }
    long k = skr_src_read(r, b->offset, L->io.data, b->length);
    if (k < 0) {
        L->damage_kind = SKR_DAMAGE_CORRUPT;
        snprintf(L->err, sizeof L->err, "read: %s", strerror(errno));
        return;
    }
    if ((uint64_t)k < b->length) {
        L->damage_kind = SKR_DAMAGE_TRUNCATED;
        snprintf(L->err, sizeof L->err, "truncated: block needs %u bytes, %ld left", b->length, k);
        return;
    }
    struct skr_block_hdr h;
    if (skr_block_hdr_parse(L->io.data, &h, L->err, sizeof L->err) < 0) {
        L->damage_kind = SKR_DAMAGE_CORRUPT;
        return;
    }
    if (h.type == SKR_BLK_EVENTS && h.meta_len > SKR_MAX_EVENT_TYPES / 8) {
        L->damage_kind = SKR_DAMAGE_CORRUPT;
        snprintf(L->err, sizeof L->err, "type bitmap of %u bytes over the limit", h.meta_len);
        return;
    }
    /* The index is a second witness: a header that disagrees with it, or
     * whose own checksum fails, is not trusted. */
    if (skr_block_total(&h) != b->length || h.type != b->type || h.count != b->count ||
        h.first_evnum != b->first_evnum ||
        !skr_block_hdr_crc_ok(L->io.data, L->io.data + SKR_BLOCK_HDR_LEN, h.meta_len)) {
        L->damage_kind = SKR_DAMAGE_CORRUPT;
        snprintf(L->err, sizeof L->err, "block header checksum mismatch or disagrees with the index");
        return;
    }
    if (skr_block_decode(&h, L->io.data + SKR_BLOCK_HDR_LEN + h.meta_len, dctx, &L->raw,
                         L->err, sizeof L->err) < 0)
        L->damage_kind = SKR_DAMAGE_CORRUPT;
}

static void *worker_main(void *arg)
{
    struct skr_reader *r = arg;
    struct skr_prefetch *pf = &r->pf;
    pthread_mutex_lock(&pf->mu);
    for (;;) {
        while (!pf->stop && pf->fill == SKR_PREFETCH_SLOTS)
            pthread_cond_wait(&pf->cv, &pf->mu);
        if (pf->stop)
            break;
        while (pf->plan < r->nblocks && !skr_block_wanted(r, &r->blocks[pf->plan]))
            pf->plan++;
        if (pf->plan >= r->nblocks) {
            pf->done = true;
            pthread_cond_broadcast(&pf->cv);
            break;
        }
        size_t idx = pf->plan++;
        struct skr_loaded *slot = &pf->slots[(pf->head + pf->fill) % SKR_PREFETCH_SLOTS];
        pthread_mutex_unlock(&pf->mu);
        skr_load_block(r, idx, pf->dctx, slot);
        pthread_mutex_lock(&pf->mu);
        pf->fill++;
        pthread_cond_broadcast(&pf->cv);
    }
    pthread_mutex_unlock(&pf->mu);
    return NULL;
}

static bool worker_start(struct skr_reader *r, size_t from)
{
    struct skr_prefetch *pf = &r->pf;
    if (!pf->dctx && !(pf->dctx = ZSTD_createDCtx()))
        return false;
    pf->plan = from;
    pf->head = pf->fill = 0;
    pf->stop = pf->done = pf->consumer_holds = false;
    if (pthread_create(&pf->thread, NULL, worker_main, r) != 0)
        return false;
    pf->running = true;
    return true;
}

void skr_iter_stop(struct skr_reader *r)
{
    struct skr_prefetch *pf = &r->pf;
    r->cur = NULL;
    if (!pf->running)
        return;
    pthread_mutex_lock(&pf->mu);
    pf->stop = true;
    pthread_cond_broadcast(&pf->cv);
    pthread_mutex_unlock(&pf->mu);
    pthread_join(pf->thread, NULL);
    pf->running = false;
}

void skr_iter_free(struct skr_reader *r)
{
    skr_iter_stop(r);
    for (int i = 0; i < SKR_PREFETCH_SLOTS; i++) {
        skr_buf_free(&r->pf.slots[i].io);
        skr_buf_free(&r->pf.slots[i].raw);
    }
    skr_evdec_free(&r->dec);
    skr_buf_free(&r->sync_slot.io);
    skr_buf_free(&r->sync_slot.raw);
    ZSTD_freeDCtx(r->pf.dctx);
    r->pf.dctx = NULL;
    if (r->pf.sync_ready) {
        pthread_mutex_destroy(&r->pf.mu);
        pthread_cond_destroy(&r->pf.cv);
    }
}

/* Releases the block being consumed and returns the next loaded one, or
 * NULL at the end. */
static struct skr_loaded *next_loaded(struct skr_reader *r)
{
    struct skr_prefetch *pf = &r->pf;
    if (r->prefetch_on) {
        if (!pf->running) {
            if (!pf->sync_ready) {
                pthread_mutex_init(&pf->mu, NULL);
                pthread_cond_init(&pf->cv, NULL);
                pf->sync_ready = true;
            }
            if (!worker_start(r, r->next_block))
                r->prefetch_on = false; /* fall back to loading inline */
        }
    }
    if (r->prefetch_on) {
        pthread_mutex_lock(&pf->mu);
        if (pf->consumer_holds) {
            pf->head = (pf->head + 1) % SKR_PREFETCH_SLOTS;
            pf->fill--;
            pf->consumer_holds = false;
            pthread_cond_broadcast(&pf->cv);
        }
        while (pf->fill == 0 && !pf->done)
            pthread_cond_wait(&pf->cv, &pf->mu);
        struct skr_loaded *L = NULL;
        if (pf->fill > 0) {
            L = &pf->slots[pf->head];
            pf->consumer_holds = true;
            r->next_block = L->idx + 1;
        }
        pthread_mutex_unlock(&pf->mu);
        return L;
    }
    while (r->next_block < r->nblocks && !skr_block_wanted(r, &r->blocks[r->next_block]))
        r->next_block++;
    if (r->next_block >= r->nblocks)
        return NULL;
    skr_load_block(r, r->next_block, r->dctx, &r->sync_slot);
    r->next_block++;
    return &r->sync_slot;
}

static void reposition(struct skr_reader *r, size_t block)
{
    skr_iter_stop(r);
    r->next_block = block;
    r->left = 0;
}

void skr_reader_rewind(struct skr_reader *r)
{
    reposition(r, 0);
    r->skip_before_ts = 0;
    r->skip_before_evnum = 0;
}

/* Restarts the plan where iteration stands, for a change of settings
 * between two items: the rest of the events block being consumed (its
 * events already delivered are passed over by number), then the blocks
 * after it. next_block is already past the block being consumed. */
static void reposition_here(struct skr_reader *r)
{
    bool mid_block = r->cur && r->left > 0;
    size_t block = mid_block ? r->cur->idx : r->next_block;
    uint64_t next = r->next_evnum;
    reposition(r, block);
    if (mid_block)
        r->skip_before_evnum = next;
}

void skr_reader_want(struct skr_reader *r, int kinds)
{
    reposition_here(r);
    r->want = kinds;
}

void skr_reader_want_types(struct skr_reader *r, const uint8_t *bitmap, size_t len)
{
    reposition_here(r);
    memset(r->want_bitmap, 0, sizeof r->want_bitmap);
    r->want_all_types = bitmap == NULL;
    if (bitmap)
        memcpy(r->want_bitmap, bitmap, len < sizeof r->want_bitmap ? len : sizeof r->want_bitmap);
}

void skr_reader_set_prefetch(struct skr_reader *r, bool on)
{
    reposition_here(r);
    r->prefetch_on = on;
}

/* The first EVENTS block at or after which `before` turns false; §7 keeps
 * events blocks in time and number order, so `before` is monotonic over
 * them and a binary search applies. Other block kinds are stepped over. */
static size_t first_events_block(const struct skr_reader *r,
                                 bool (*before)(const struct skr_block_info *b, uint64_t key),
                                 uint64_t key)
{
    size_t lo = 0, hi = r->nblocks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t m = mid;
        while (m < hi && r->blocks[m].type != SKR_BLK_EVENTS)
            m++;
        if (m == hi)
            hi = mid;
        else if (before(&r->blocks[m], key))
            lo = m + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool ends_before_time(const struct skr_block_info *b, uint64_t ts) { return b->max_ts < ts; }

static bool ends_before_evnum(const struct skr_block_info *b, uint64_t num)
{
    return b->first_evnum + b->count <= num;
}

void skr_reader_seek_time(struct skr_reader *r, uint64_t ts)
{
    reposition(r, first_events_block(r, ends_before_time, ts));
    r->skip_before_ts = ts;
    r->skip_before_evnum = 0;
}

void skr_reader_seek_evnum(struct skr_reader *r, uint64_t num)
{
    reposition(r, first_events_block(r, ends_before_evnum, num));
    r->skip_before_evnum = num;
    r->skip_before_ts = 0;
}

long skr_reader_seek_checkpoint(struct skr_reader *r, uint64_t ts)
{
    long found = -1;
    for (size_t i = 0; i < r->nblocks; i++) {
        if (r->blocks[i].type == SKR_BLK_CHECKPOINT) {
            if (r->blocks[i].max_ts > ts)
                break;
            found = (long)i;
        } else if (r->blocks[i].type == SKR_BLK_EVENTS && r->blocks[i].min_ts > ts) {
            break;
        }
    }
    reposition(r, found < 0 ? 0 : (size_t)found);
    r->skip_before_ts = 0;
    r->skip_before_evnum = 0;
    return found < 0 ? -1 : found + 1;
}

static void report_loaded(struct skr_reader *r, const struct skr_loaded *L)
{
    const struct skr_block_info *b = &r->blocks[L->idx];
    uint64_t lost = b->type == SKR_BLK_EVENTS ? b->count : 0;
    long no = (long)L->idx + 1;
    skr_add_damage(r, L->damage_kind, b->offset, no, lost,
                   "block %ld at offset %llu: %s, %llu events skipped", no,
                   (unsigned long long)b->offset, L->err, (unsigned long long)lost);
}

int skr_reader_next(struct skr_reader *r, struct skr_item *it)
{
    for (;;) {
        if (r->cur && r->left > 0) {
            const struct skr_block_info *b = &r->blocks[r->cur->idx];
            char why[160];
            uint32_t pos = b->count - r->left;
            int rc = skr_evdec_next_if(&r->dec, &r->ev,
                                       r->want_all_types ? NULL : r->want_bitmap, why, sizeof why);
            if (rc < 0) {
                long no = (long)r->cur->idx + 1;
                skr_add_damage(r, SKR_DAMAGE_CORRUPT, b->offset, no, r->left,
                               "block %ld at offset %llu: event %u: %s, %u events skipped",
                               no, (unsigned long long)b->offset, pos, why, r->left);
                r->left = 0;
                continue;
            }
            r->ev.num = r->next_evnum++;
            r->left--;
            if (r->left == 0 && !skr_evdec_all_consumed(&r->dec)) {
                long no = (long)r->cur->idx + 1;
                skr_add_damage(r, SKR_DAMAGE_CORRUPT, b->offset, no, 0,
                               "block %ld at offset %llu: column bytes left after the last event",
                               no, (unsigned long long)b->offset);
            }
            if (r->ev.ts < r->skip_before_ts || r->ev.num < r->skip_before_evnum)
                continue;
            r->skip_before_ts = 0;
            r->skip_before_evnum = 0;
            /* A type skr_reader_want_types() left out, in a block that has
             * wanted ones: stepped over, never delivered. */
            if (rc == 1)
                continue;
            it->kind = SKR_ITEM_EVENT;
            it->ev = &r->ev;
            it->block = b;
            it->block_no = (long)r->cur->idx + 1;
            it->payload = NULL;
            it->payload_len = 0;
            return 1;
        }
        struct skr_loaded *L = next_loaded(r);
        r->cur = L;
        if (!L)
            return 0;
        if (L->damage_kind) {
            report_loaded(r, L);
            continue;
        }
        const struct skr_block_info *b = &r->blocks[L->idx];
        if (b->type == SKR_BLK_EVENTS) {
            char why[160];
            if (skr_evdec_begin(&r->dec, &r->schema, L->raw.data, L->raw.len, why, sizeof why) < 0) {
                skr_add_damage(r, SKR_DAMAGE_CORRUPT, b->offset, (long)L->idx + 1, b->count,
                               "block %ld at offset %llu: %s, %u events skipped", (long)L->idx + 1,
                               (unsigned long long)b->offset, why, b->count);
                continue;
            }
            r->left = b->count;
            r->next_evnum = b->first_evnum;
            continue;
        }
        it->kind = b->type == SKR_BLK_CHECKPOINT ? SKR_ITEM_CHECKPOINT : SKR_ITEM_STATS;
        it->ev = NULL;
        it->block = b;
        it->block_no = (long)L->idx + 1;
        it->payload = L->raw.data;
        it->payload_len = L->raw.len;
        return 1;
    }
}
