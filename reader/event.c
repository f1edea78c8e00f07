/* event.c -- the columnar EVENTS payload (man/saker-trace.5 §7):
 *
 *   varint ncolumns
 *   ncolumns x { varint column id, varint byte length }
 *   the columns' bytes, in directory order
 *
 * Column ids: 0 type (varint), 1 time delta (zigzag; the first event's is
 * its absolute time), 2 tid (zigzag), 3 cpu (varint), 4 parameters missing
 * at the end (varint: the schema's count minus the event's), and 16 + type * 64 + position for a parameter's values, each
 * by its schema wire type. Event i takes the next value of each base
 * column and of its type's parameter columns. */
#include "event.h"

#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow_used(uint16_t **arr, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    uint16_t *a = skr_realloc(*arr, n * sizeof *a);
    if (!a)
        return -1;
    *arr = a;
    *cap = n;
    return 0;
}

int skr_evdec_begin(struct skr_evdec *d, const struct skr_schema *schema,
                    const uint8_t *payload, size_t len, char *err, size_t errlen)
{
    for (size_t i = 0; i < d->nused; i++)
        d->param[d->used_types[i]] = NULL;
    d->nused = 0;
    d->schema = schema;
    d->prev_ts = 0;
    struct skr_cur dir = skr_cur_make(payload, len);
    uint64_t ncols = skr_get_varint(&dir);
    /* Each directory entry takes at least two bytes. */
    if (!skr_cur_ok(&dir) || ncols > skr_cur_left(&dir) / 2) {
        snprintf(err, errlen, "bad column count");
        return -1;
    }
    /* First pass: check sizes and ids, and count the cursors needed, so
     * the pool is sized once and never moves under the cursors. */
    struct skr_cur scan = dir;
    uint64_t total = 0;
    size_t need = 0;
    uint8_t seen[SKR_MAX_EVENT_TYPES / 8] = { 0 };
    for (uint64_t i = 0; i < ncols; i++) {
        uint64_t id = skr_get_varint(&scan);
        uint64_t n = skr_get_varint(&scan);
        if (!skr_cur_ok(&scan) || n > len || total + n > len) {
            snprintf(err, errlen, "bad column directory entry %llu", (unsigned long long)i);
            return -1;
        }
        total += n;
        if (id < SKR_COL_PARAM_FIRST)
            continue;
        uint64_t type = (id - SKR_COL_PARAM_FIRST) / SKR_MAX_PARAMS;
        uint64_t pos = (id - SKR_COL_PARAM_FIRST) % SKR_MAX_PARAMS;
        if (type >= SKR_MAX_EVENT_TYPES || !schema->defs[type] || pos >= schema->defs[type]->nparams) {
            snprintf(err, errlen, "column %llu names no parameter of the schema", (unsigned long long)id);
            return -1;
        }
        if (!(seen[type / 8] & (1u << (type % 8)))) {
            seen[type / 8] |= (uint8_t)(1u << (type % 8));
            need += schema->defs[type]->nparams;
        }
    }
    if (total != skr_cur_left(&scan)) {
        snprintf(err, errlen, "columns hold %llu bytes, block has %zu after the directory",
                 (unsigned long long)total, skr_cur_left(&scan));
        return -1;
    }
    if (need > d->pool_cap) {
        struct skr_cur *p = skr_realloc(d->pool, need * sizeof *p);
        if (!p) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        d->pool = p;
        d->pool_cap = need;
    }
    const uint8_t *data = scan.p;
    /* A column not in the directory reads as empty; a NULL position marks
     * one not seen yet, so a repeated column id is caught. */
    unsigned base_seen = 0;
    for (int i = 0; i < SKR_COL_BASE_COUNT; i++)
        d->base[i] = skr_cur_make(data, 0);
    size_t pool_used = 0;
    for (uint64_t i = 0; i < ncols; i++) {
        uint64_t id = skr_get_varint(&dir);
        uint64_t n = skr_get_varint(&dir);
        struct skr_cur col = skr_cur_make(data, (size_t)n);
        data += n; /* within the block: the first pass summed the lengths */
        if (id < SKR_COL_BASE_COUNT) {
            if (base_seen & (1u << id)) {
                snprintf(err, errlen, "column %llu listed twice", (unsigned long long)id);
                return -1;
            }
            base_seen |= 1u << id;
            d->base[id] = col;
            continue;
        }
        if (id < SKR_COL_PARAM_FIRST)
            continue; /* §15: a column this version does not know */
        uint64_t type = (id - SKR_COL_PARAM_FIRST) / SKR_MAX_PARAMS;
        uint64_t pos = (id - SKR_COL_PARAM_FIRST) % SKR_MAX_PARAMS;
        if (!d->param[type]) {
            size_t np = schema->defs[type]->nparams;
            if (grow_used(&d->used_types, &d->used_cap, d->nused + 1) < 0) {
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            d->param[type] = d->pool + pool_used;
            for (size_t k = 0; k < np; k++)
                d->param[type][k] = skr_cur_make(NULL, 0);
            pool_used += np;
            d->used_types[d->nused++] = (uint16_t)type;
        }
        if (d->param[type][pos].p) {
            snprintf(err, errlen, "column %llu listed twice", (unsigned long long)id);
            return -1;
        }
        d->param[type][pos] = col;
    }
    return 0;
}

/* Reads a varint of at most 8 bytes (every value below 2^56) from one
 * 8-byte load, without a branch per byte: which byte ends it and what its
 * 7-bit groups make are computed with masks. The per-byte loop this
 * replaces was mispredicted on columns that mix lengths (time deltas,
 * tids, sizes, fds), and decoding was a fifth of a replay (perf, 10M
 * gentrace events; this and ev_varint's split made a decode-bound read
 * 8% faster). Anything else -- the last bytes of a column, longer values,
 * a bad cursor (always at its end: codec.c) -- goes to skr_get_varint(),
 * so the result and the failure marking are its own. */
static inline uint64_t ev_varint_long(struct skr_cur *c)
{
    if (c->end - c->p >= 8) {
        uint64_t x;
        memcpy(&x, c->p, 8);
        x = le64toh(x);
        uint64_t stop = ~x & 0x8080808080808080ull; /* bytes without a continuation bit */
        if (stop) {
            c->p += __builtin_ctzll(stop) / 8 + 1;
            x &= stop ^ (stop - 1); /* the bytes up to the first of those */
            /* 7-bit groups side by side: pairs, then quads, then all 8 */
            x = (x & 0x007f007f007f007full) | (x & 0x7f007f007f007f00ull) >> 1;
            x = (x & 0x00003fff00003fffull) | (x & 0x3fff00003fff0000ull) >> 2;
            return (x & 0x000000000fffffffull) | (x & 0x0fffffff00000000ull) >> 4;
        }
    }
    return skr_get_varint(c);
}

/* The same, testing for a one-byte value first: for the columns where
 * nearly every value is one (type, cpu, missing parameters, byte
 * lengths). A bad cursor is at its end, so p < end says it is good. */
static inline uint64_t ev_varint(struct skr_cur *c)
{
    if (c->p < c->end && *c->p < 0x80)
        return *c->p++;
    return ev_varint_long(c);
}

/* skr_get_bytes() with the inline length: the bytes stay where they are. */
static inline const uint8_t *ev_bytes(struct skr_cur *c, size_t *len)
{
    uint64_t n = ev_varint(c);
    if (c->bad || n > skr_cur_left(c)) {
        *len = 0;
        c->bad = true;
        c->p = c->end;
        return NULL;
    }
    const uint8_t *p = c->p;
    c->p += n;
    *len = (size_t)n;
    return p;
}

/* Steps over one varint without keeping it (the wire-0/1 skip). */
static inline void ev_skip_varint(struct skr_cur *c)
{
    (void)ev_varint(c);
}

int skr_evdec_next(struct skr_evdec *d, struct skr_event *ev, char *err, size_t errlen)
{
    return skr_evdec_next_if(d, ev, NULL, err, errlen);
}

int skr_evdec_next_if(struct skr_evdec *d, struct skr_event *ev, const uint8_t *want,
                      char *err, size_t errlen)
{
    uint64_t type = ev_varint(&d->base[SKR_COL_TYPE]);
    /* time deltas and tids are longer than a byte, parameters mixed */
    int64_t dts = skr_zigzag_decode(ev_varint_long(&d->base[SKR_COL_TS]));
    ev->tid = skr_zigzag_decode(ev_varint_long(&d->base[SKR_COL_TID]));
    uint64_t cpu = ev_varint(&d->base[SKR_COL_CPU]);
    uint64_t missing = ev_varint(&d->base[SKR_COL_NPARAMS]);
    for (int i = 0; i < SKR_COL_BASE_COUNT; i++)
        if (!skr_cur_ok(&d->base[i])) {
            snprintf(err, errlen, "column %d ends early", i);
            return -1;
        }
    if (type >= SKR_MAX_EVENT_TYPES || !d->schema->defs[type]) {
        snprintf(err, errlen, "event type id %llu not in the schema", (unsigned long long)type);
        return -1;
    }
    const struct skr_event_def *def = d->schema->defs[type];
    if (missing > def->nparams) {
        snprintf(err, errlen, "%s event missing %llu parameters, schema has %d", def->name,
                 (unsigned long long)missing, def->nparams);
        return -1;
    }
    uint64_t nparams = def->nparams - missing;
    if (cpu > UINT32_MAX) {
        snprintf(err, errlen, "cpu %llu out of range", (unsigned long long)cpu);
        return -1;
    }
    if (nparams && !d->param[type]) {
        snprintf(err, errlen, "%s event without parameter columns", def->name);
        return -1;
    }
    ev->type = (uint16_t)type;
    ev->def = def;
    ev->cpu = (uint32_t)cpu;
    ev->nparams = (uint16_t)nparams;
    ev->ts = d->prev_ts + (uint64_t)dts;
    d->prev_ts = ev->ts;
    if (want && !(want[type / 8] & (1u << (type % 8)))) {
        /* Only the cursors move: the same checks, no values kept. */
        for (unsigned i = 0; i < nparams; i++) {
            struct skr_cur *c = &d->param[type][i];
            size_t len;
            if (def->params[i].wire == SKR_WIRE_VARINT || def->params[i].wire == SKR_WIRE_ZIGZAG)
                ev_skip_varint(c);
            else
                (void)ev_bytes(c, &len);
            if (!skr_cur_ok(c)) {
                snprintf(err, errlen, "%s parameter %s: column ends early", def->name,
                         def->params[i].name);
                return -1;
            }
        }
        ev->nparams = 0; /* no parameter values were decoded */
        return 1;
    }
    /* A column that ends early leaves its cursor bad: one test after the
     * loop finds the first (the block is abandoned on any). */
    struct skr_cur *cols = d->param[type];
    bool bad = false;
    for (unsigned i = 0; i < nparams; i++) {
        struct skr_cur *c = &cols[i];
        struct skr_value *v = &ev->params[i];
        uint8_t wire = def->params[i].wire;
        if (wire == SKR_WIRE_BYTES) {
            size_t len;
            v->ptr = ev_bytes(c, &len);
            v->len = (uint32_t)len; /* a block is at most SKR_MAX_RAW_LEN */
            v->u = len;
            v->s = 0;
        } else {
            uint64_t x = ev_varint_long(c);
            if (wire == SKR_WIRE_ZIGZAG)
                x = (uint64_t)skr_zigzag_decode(x);
            v->u = x;
            v->s = (int64_t)x;
            v->ptr = NULL;
            v->len = 0;
        }
        bad |= c->bad;
    }
    for (unsigned i = 0; bad && i < nparams; i++)
        if (!skr_cur_ok(&cols[i])) {
            snprintf(err, errlen, "%s parameter %s: column ends early", def->name, def->params[i].name);
            return -1;
        }
    return 0;
}

bool skr_evdec_all_consumed(const struct skr_evdec *d)
{
    for (int i = 0; i < SKR_COL_BASE_COUNT; i++)
        if (skr_cur_left(&d->base[i]))
            return false;
    for (size_t i = 0; i < d->nused; i++) {
        uint16_t t = d->used_types[i];
        for (int k = 0; k < d->schema->defs[t]->nparams; k++)
            if (skr_cur_left(&d->param[t][k]))
                return false;
    }
    return true;
}

void skr_evdec_free(struct skr_evdec *d)
{
    free(d->pool);
    free(d->used_types);
    memset(d, 0, sizeof *d);
}

void skr_evenc_add(struct skr_evenc *e, const struct skr_event *ev)
{
    const struct skr_event_def *def = ev->def;
    size_t before = 0;
    for (int i = 0; i < SKR_COL_BASE_COUNT; i++)
        before += e->base[i].len;
    skr_put_varint(&e->base[SKR_COL_TYPE], ev->type);
    skr_put_zigzag(&e->base[SKR_COL_TS], (int64_t)(ev->ts - e->prev_ts));
    e->prev_ts = ev->ts;
    skr_put_zigzag(&e->base[SKR_COL_TID], ev->tid);
    skr_put_varint(&e->base[SKR_COL_CPU], ev->cpu);
    /* Nearly every event has all its parameters: storing how many are
     * missing makes this column all zeros, which compresses to nothing. */
    skr_put_varint(&e->base[SKR_COL_NPARAMS], (uint64_t)(def->nparams - ev->nparams));
    size_t after = 0;
    for (int i = 0; i < SKR_COL_BASE_COUNT; i++) {
        after += e->base[i].len;
        if (e->base[i].oom)
            e->oom = true;
    }
    e->size += after - before;
    if (!ev->nparams)
        return;
    struct skr_buf *cols = e->param[ev->type];
    if (!cols) {
        cols = skr_malloc(SKR_MAX_PARAMS * sizeof *cols);
        if (!cols || grow_used(&e->used_types, &e->used_cap, e->nused + 1) < 0) {
            free(cols);
            e->oom = true;
            return;
        }
        memset(cols, 0, SKR_MAX_PARAMS * sizeof *cols);
        e->param[ev->type] = cols;
        e->used_types[e->nused++] = ev->type;
    }
    for (unsigned i = 0; i < ev->nparams; i++) {
        const struct skr_value *v = &ev->params[i];
        struct skr_buf *b = &cols[i];
        size_t n0 = b->len;
        switch (def->params[i].wire) {
        case SKR_WIRE_VARINT: skr_put_varint(b, v->u); break;
        case SKR_WIRE_ZIGZAG: skr_put_zigzag(b, v->s); break;
        default: skr_put_bytes(b, v->ptr, v->len); break;
        }
        if (b->oom)
            e->oom = true;
        e->size += b->len - n0;
    }
}

static int cmp_u16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static void put_cut(struct skr_buf *cuts, const struct skr_buf *out)
{
    if (cuts)
        skr_put_raw(cuts, &out->len, sizeof out->len);
}

void skr_evenc_finish(struct skr_evenc *e, struct skr_buf *out, struct skr_buf *cuts)
{
    /* Columns in id order make equal blocks byte-identical. used_types is
     * NULL when no event of the block has parameters. */
    if (e->nused)
        qsort(e->used_types, e->nused, sizeof *e->used_types, cmp_u16);
    size_t ncols = 0;
    for (int i = 0; i < SKR_COL_BASE_COUNT; i++)
        ncols += e->base[i].len > 0;
    for (size_t i = 0; i < e->nused; i++)
        for (int k = 0; k < SKR_MAX_PARAMS; k++)
            ncols += e->param[e->used_types[i]][k].len > 0;
    skr_put_varint(out, ncols);
    for (int i = 0; i < SKR_COL_BASE_COUNT; i++)
        if (e->base[i].len) {
            skr_put_varint(out, (uint64_t)i);
            skr_put_varint(out, e->base[i].len);
        }
    for (size_t i = 0; i < e->nused; i++) {
        uint16_t t = e->used_types[i];
        for (int k = 0; k < SKR_MAX_PARAMS; k++)
            if (e->param[t][k].len) {
                skr_put_varint(out, SKR_COL_PARAM_FIRST + (uint64_t)t * SKR_MAX_PARAMS + (uint64_t)k);
                skr_put_varint(out, e->param[t][k].len);
            }
    }
    put_cut(cuts, out);
    for (int i = 0; i < SKR_COL_BASE_COUNT; i++) {
        skr_put_raw(out, e->base[i].data, e->base[i].len);
        skr_buf_reset(&e->base[i]);
        put_cut(cuts, out);
    }
    for (size_t i = 0; i < e->nused; i++) {
        uint16_t t = e->used_types[i];
        for (int k = 0; k < SKR_MAX_PARAMS; k++) {
            if (!e->param[t][k].len)
                continue;
            skr_put_raw(out, e->param[t][k].data, e->param[t][k].len);
            skr_buf_reset(&e->param[t][k]);
            put_cut(cuts, out);
        }
    }
    if (e->oom)
        out->oom = true;
    e->size = 0;
    e->prev_ts = 0;
    e->oom = false;
}

void skr_evenc_free(struct skr_evenc *e)
{
    for (int i = 0; i < SKR_COL_BASE_COUNT; i++)
        skr_buf_free(&e->base[i]);
    for (size_t i = 0; i < e->nused; i++) {
        struct skr_buf *cols = e->param[e->used_types[i]];
        for (int k = 0; k < SKR_MAX_PARAMS; k++)
            skr_buf_free(&cols[k]);
        free(cols);
    }
    free(e->used_types);
    memset(e, 0, sizeof *e);
}
