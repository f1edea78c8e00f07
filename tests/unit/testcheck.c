/* testcheck.c -- comparing what a reader delivers with the model of what
 * was written, and the block layout of a written file (see testutil.h). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../reader/block.h"

/* ---- checking what a reader delivers ---- */

int check_event(const struct xtrace *m, const struct skr_event *ev, char *why, size_t n)
{
    if (ev->num < m->first_evnum || ev->num - m->first_evnum >= m->nev) {
        snprintf(why, n, "event number %llu is not in the trace", (unsigned long long)ev->num);
        return -1;
    }
    const struct xevent *x = &m->ev[ev->num - m->first_evnum];
    const struct skr_event_def *td = test_schema()->defs[x->type];
#define DIFF(cond, ...) do { if (cond) { snprintf(why, n, __VA_ARGS__); return -1; } } while (0)
    unsigned long long num = (unsigned long long)ev->num;
    DIFF(ev->ts != x->ts, "event %llu: ts %llu, wrote %llu", num, (unsigned long long)ev->ts,
         (unsigned long long)x->ts);
    DIFF(ev->tid != x->tid, "event %llu: tid %lld, wrote %lld", num, (long long)ev->tid, (long long)x->tid);
    DIFF(ev->cpu != x->cpu, "event %llu: cpu %u, wrote %u", num, ev->cpu, x->cpu);
    DIFF(ev->type != x->type, "event %llu: type %u, wrote %u", num, ev->type, x->type);
    DIFF(ev->nparams != x->nparams, "event %llu: %u params, wrote %u", num, ev->nparams, x->nparams);
    DIFF(!ev->def || ev->def->id != x->type || strcmp(ev->def->name, td->name) != 0 ||
         ev->def->nparams != td->nparams || ev->def->dir != td->dir ||
         strcmp(ev->def->category, td->category ? td->category : "") != 0,
         "event %llu: definition differs from the schema written", num);
    for (unsigned k = 0; k < x->nparams; k++) {
        const struct skr_param_def *p = &ev->def->params[k];
        const struct skr_value *a = &ev->params[k], *b = &x->params[k];
        DIFF(p->type != td->params[k].type || p->wire != td->params[k].wire ||
             strcmp(p->name, td->params[k].name) != 0, "event %llu param %u: definition differs", num, k);
        switch (p->wire) {
        case SKR_WIRE_VARINT:
            DIFF(a->u != b->u, "event %llu param %u: %llu, wrote %llu", num, k,
                 (unsigned long long)a->u, (unsigned long long)b->u);
            break;
        case SKR_WIRE_ZIGZAG:
            DIFF(a->s != b->s, "event %llu param %u: %lld, wrote %lld", num, k, (long long)a->s,
                 (long long)b->s);
            break;
        default:
            DIFF(a->len != b->len || (b->len && memcmp(a->ptr, b->ptr, b->len) != 0),
                 "event %llu param %u: bytes differ (len %u, wrote %u)", num, k, a->len, b->len);
            break;
        }
    }
    return 0;
}

struct stats_got {
    struct skw_cpu_stats c[16];
    size_t n;
};

static void stats_cb(void *ctx, uint32_t cpu, uint64_t events, uint64_t drops)
{
    struct stats_got *g = ctx;
    if (g->n < 16)
        g->c[g->n] = (struct skw_cpu_stats){ cpu, events, drops };
    g->n++;
}

int check_block_item(const struct xitem *x, const struct skr_item *it, char *why, size_t n)
{
    DIFF(it->kind != x->kind, "item kind %d, wrote %d", it->kind, x->kind);
    DIFF(it->ev != NULL || !it->block, "block item with an event or without a block");
    const struct skr_block_info *b = it->block;
    DIFF(b->min_ts != x->ts || b->max_ts != x->ts, "block at %llu: time %llu..%llu, wrote %llu",
         (unsigned long long)b->offset, (unsigned long long)b->min_ts,
         (unsigned long long)b->max_ts, (unsigned long long)x->ts);
    DIFF(b->first_evnum != x->first_evnum, "block at %llu: first_evnum %llu, wrote %llu",
         (unsigned long long)b->offset, (unsigned long long)b->first_evnum,
         (unsigned long long)x->first_evnum);
    DIFF(b->count != x->count, "block at %llu: count %u, wrote %u", (unsigned long long)b->offset,
         b->count, x->count);
    if (x->kind == X_CHECKPOINT) {
        DIFF(it->payload_len != x->len || (x->len && memcmp(it->payload, x->payload, x->len) != 0),
             "checkpoint at %llu: payload differs (%zu bytes, wrote %zu)",
             (unsigned long long)b->offset, it->payload_len, x->len);
    } else {
        struct stats_got g = { .n = 0 };
        DIFF(skr_stats_decode(it->payload, it->payload_len, stats_cb, &g) != 0,
             "stats at %llu: does not decode", (unsigned long long)b->offset);
        DIFF(g.n != x->ncpus, "stats at %llu: %zu cpus, wrote %zu", (unsigned long long)b->offset,
             g.n, x->ncpus);
        for (size_t k = 0; k < g.n; k++)
            DIFF(g.c[k].cpu != x->cpus[k].cpu || g.c[k].events != x->cpus[k].events ||
                 g.c[k].drops != x->cpus[k].drops, "stats at %llu: cpu record %zu differs",
                 (unsigned long long)b->offset, k);
    }
#undef DIFF
    return 0;
}

size_t read_check(struct skr_reader *r, const struct xtrace *m, bool *seen, const char *ctx)
{
    struct skr_item it;
    char why[256];
    size_t n = 0, items = 0;
    int rc;
    while ((rc = skr_reader_next(r, &it)) == 1) {
        CHECK(++items <= m->nit + 16, "%s: more items than were written", ctx);
        if (it.kind != SKR_ITEM_EVENT)
            continue;
        CHECK(check_event(m, it.ev, why, sizeof why) == 0, "%s: %s", ctx, why);
        size_t i = (size_t)(it.ev->num - m->first_evnum);
        CHECK(!seen[i], "%s: event %llu delivered twice", ctx, (unsigned long long)it.ev->num);
        seen[i] = true;
        n++;
    }
    CHECK(rc == 0, "%s: skr_reader_next returned %d", ctx, rc);
    return n;
}

void expect_sequence(struct skr_reader *r, const struct xtrace *m, int want, const char *ctx)
{
    struct skr_item it;
    char why[256];
    size_t pos = 0;
    for (size_t i = 0; i < m->nit; i++) {
        const struct xitem *x = &m->it[i];
        if (!(x->kind & want))
            continue;
        int rc = skr_reader_next(r, &it);
        CHECK(rc == 1, "%s: item %zu (model item %zu, kind %d): next returned %d", ctx,
              pos, i, x->kind, rc);
        if (x->kind == X_EVENT) {
            CHECK(it.kind == SKR_ITEM_EVENT && it.ev, "%s: item %zu: kind %d, wrote an event",
                  ctx, pos, it.kind);
            CHECK(it.ev->num == m->ev[x->ev].num, "%s: item %zu: event %llu, wrote %llu", ctx,
                  pos, (unsigned long long)it.ev->num, (unsigned long long)m->ev[x->ev].num);
            CHECK(check_event(m, it.ev, why, sizeof why) == 0, "%s: %s", ctx, why);
            CHECK(it.block && it.block->type == SKR_BLK_EVENTS &&
                  it.ev->num >= it.block->first_evnum &&
                  it.ev->num < it.block->first_evnum + it.block->count,
                  "%s: event %llu: wrong block", ctx, (unsigned long long)it.ev->num);
            CHECK(it.block->min_ts <= it.ev->ts && it.ev->ts <= it.block->max_ts,
                  "%s: event %llu: time outside its block's range", ctx,
                  (unsigned long long)it.ev->num);
        } else {
            CHECK(check_block_item(x, &it, why, sizeof why) == 0, "%s: item %zu: %s", ctx,
                  pos, why);
        }
        pos++;
    }
    int rc = skr_reader_next(r, &it);
    CHECK(rc == 0, "%s: an item (kind %d) after the last one written", ctx, rc == 1 ? it.kind : -1);
    CHECK(skr_reader_ndamage(r) == 0, "%s: damage reported: %s", ctx,
          skr_reader_damage(r, 0)->what);
}

/* ---- layout ---- */

void layout_of(const uint8_t *d, size_t len, struct layout *L)
{
    memset(L, 0, sizeof *L);
    L->size = len;
    CHECK(len >= SKR_PREAMBLE_LEN + SKR_BLOCK_HDR_LEN + SKR_TRAILER_LEN &&
          memcmp(d + len - SKR_TRAILER_LEN, SKR_TRAILER_MAGIC, 8) == 0, "not a finished trace");
    L->trailer_off = len - SKR_TRAILER_LEN;
    struct skr_cur c = skr_cur_make(d + L->trailer_off + 8, 8);
    L->index_off = skr_get_u64(&c);
    L->index_len = L->trailer_off - L->index_off;
    uint64_t off = SKR_PREAMBLE_LEN;
    size_t cap = 0;
    char err[160];
    while (off < L->index_off) {
        struct skr_block_hdr h;
        CHECK(skr_block_hdr_parse(d + off, &h, err, sizeof err) == 0, "layout: %s", err);
        uint64_t total = skr_block_total(&h);
        if (off == SKR_PREAMBLE_LEN) {
            ck_assert_int_eq(h.type, SKR_BLK_HEADER);
            L->data_start = off + total;
        } else {
            L->b = grow(L->b, &cap, L->nb + 1, sizeof *L->b);
            L->b[L->nb++] = (struct lblock){ off, total, h.type, h.count, h.meta_len, h.first_evnum, h.codec };
        }
        off += total;
    }
    CHECK(off == L->index_off, "layout: blocks do not end at the index");
}

void layout_free(struct layout *L)
{
    free(L->b);
    memset(L, 0, sizeof *L);
}

size_t events_before(const struct layout *L, const struct xtrace *m, uint64_t cut, bool *want)
{
    size_t n = 0;
    memset(want, 0, m->nev * sizeof *want);
    for (size_t i = 0; i < L->nb; i++) {
        const struct lblock *b = &L->b[i];
        if (b->type != SKR_BLK_EVENTS || b->off + b->len > cut)
            continue;
        for (uint64_t k = 0; k < b->count; k++) {
            want[b->first_evnum - m->first_evnum + k] = true;
            n++;
        }
    }
    return n;
}
