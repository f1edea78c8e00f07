/* test_damage.c -- damaged files (man/saker-trace.5 §12): truncation at
 * every block boundary and inside every block, single flipped bytes all
 * over a file, resync past a bad block header when there is no index, and
 * files that are not traces at all. What is read must always be a subset
 * of what was written, exactly the part that survived, with the damage
 * reported at the right offset. Files are opened from memory for speed;
 * crafted sizes are in test_crafted.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "testutil.h"

static const int ALL = SKR_ITEM_EVENT | SKR_ITEM_CHECKPOINT | SKR_ITEM_STATS;

struct base {
    struct xtrace m;
    uint8_t *data;
    size_t len;
    struct layout L;
    size_t *item_of;            /* per data block: its CHECKPOINT/STATS model item */
};

static void base_setup(struct base *b, uint64_t seed)
{
    static const uint16_t types[] = { SAKER_EVT_READ, SAKER_EVT_OPENAT, SAKER_EVT_CLOSE,
                                      T_PTYPE_BASE + SKR_PT_DATA, T_PTYPE_BASE + SKR_PT_UINT,
                                      T_NOPARAMS, T_UNKNOWN };
    struct gen_opts o = { .seed = seed, .nevents = 500, .block_size = 256, .cp_every = 60,
                          .stats_every = 90, .types = types, .ntypes = sizeof types / sizeof types[0],
                          .max_bytes = 48, .max_step = 50 };
    gen_model(&b->m, &o);
    char path[256], name[32];
    snprintf(name, sizeof name, "damage-%llu.skr", (unsigned long long)seed);
    tmp_path(path, sizeof path, name);
    write_model_ok(path, &b->m, &o);
    b->data = slurp(path, &b->len);
    layout_of(b->data, b->len, &b->L);
    b->item_of = calloc(b->L.nb, sizeof *b->item_of);
    ck_assert_ptr_nonnull(b->item_of);
    size_t k = 0, codecs[2] = { 0, 0 };
    for (size_t i = 0; i < b->L.nb; i++) {
        const struct lblock *x = &b->L.b[i];
        if (x->type == SKR_BLK_EVENTS) {
            codecs[x->codec == SKR_CODEC_ZSTD]++;
            continue;
        }
        while (k < b->m.nit && b->m.it[k].kind == X_EVENT)
            k++;
        ck_assert_uint_lt(k, b->m.nit);
        b->item_of[i] = k++;
    }
    /* The file has what the tests need: many blocks, both codecs. */
    ck_assert_uint_gt(b->L.nb, 60);
    CHECK(codecs[0] > 3 && codecs[1] > 3, "codecs: %zu none, %zu zstd", codecs[0], codecs[1]);
}

static void base_free(struct base *b)
{
    free(b->item_of);
    free(b->data);
    layout_free(&b->L);
    xtrace_free(&b->m);
}

static const struct lblock *block_at(const struct base *b, uint64_t off)
{
    for (size_t i = 0; i < b->L.nb; i++)
        if (b->L.b[i].off == off)
            return &b->L.b[i];
    return NULL;
}

/* Reads everything and checks that what is delivered is exactly the data
 * blocks that end at or before cut, but the one at skip, each item equal
 * to what was written. */
static void verify(struct skr_reader *r, const struct base *b, uint64_t cut, uint64_t skip,
                   bool prefetch, const char *ctx)
{
    const struct xtrace *m = &b->m;
    skr_reader_set_prefetch(r, prefetch);
    skr_reader_rewind(r);
    skr_reader_want(r, ALL);
    bool *seen = calloc(m->nev + 1, sizeof *seen), *blk = calloc(b->L.nb + 1, sizeof *blk);
    ck_assert(seen && blk);
    struct skr_item it;
    char why[256];
    int rc;
    size_t items = 0;
    while ((rc = skr_reader_next(r, &it)) == 1) {
        CHECK(++items <= m->nit, "%s: too many items", ctx);
        if (it.kind == SKR_ITEM_EVENT) {
            CHECK(check_event(m, it.ev, why, sizeof why) == 0, "%s: %s", ctx, why);
            size_t i = (size_t)(it.ev->num - m->first_evnum);
            CHECK(!seen[i], "%s: event %llu twice", ctx, (unsigned long long)it.ev->num);
            seen[i] = true;
            continue;
        }
        const struct lblock *x = block_at(b, it.block->offset);
        CHECK(x, "%s: item from offset %llu, where no block was written", ctx,
              (unsigned long long)it.block->offset);
        size_t bi = (size_t)(x - b->L.b);
        CHECK(!blk[bi], "%s: block at %llu twice", ctx, (unsigned long long)x->off);
        blk[bi] = true;
        CHECK(check_block_item(&m->it[b->item_of[bi]], &it, why, sizeof why) == 0, "%s: %s",
              ctx, why);
    }
    CHECK(rc == 0, "%s: next returned %d", ctx, rc);
    for (size_t i = 0; i < b->L.nb; i++) {
        const struct lblock *x = &b->L.b[i];
        bool want = x->off + x->len <= cut && x->off != skip;
        if (x->type != SKR_BLK_EVENTS) {
            CHECK(blk[i] == want, "%s: %s block at %llu %s", ctx, x->type == SKR_BLK_STATS ?
                  "stats" : "checkpoint", (unsigned long long)x->off, want ? "missing" : "delivered");
            continue;
        }
        for (uint32_t k = 0; k < x->count; k++) {
            uint64_t num = x->first_evnum + k;
            CHECK(seen[num - m->first_evnum] == want, "%s: event %llu (block at %llu) %s", ctx,
                  (unsigned long long)num, (unsigned long long)x->off, want ? "missing" : "delivered");
        }
    }
    free(seen);
    free(blk);
}

static struct skr_reader *open_mem_ok(const uint8_t *d, size_t n, const char *ctx)
{
    struct skr_reader *r;
    char err[256];
    CHECK(skr_reader_open_mem("t.skr", d, n, &r, err, sizeof err) == 0, "%s: open: %s", ctx, err);
    return r;
}

static void open_mem_fails(const uint8_t *d, size_t n, const char *want, const char *ctx)
{
    struct skr_reader *r = (struct skr_reader *)1;
    char err[256] = "";
    CHECK(skr_reader_open_mem("t.skr", d, n, &r, err, sizeof err) == -1, "%s: opened", ctx);
    CHECK(r == NULL, "%s: reader left set", ctx);
    CHECK(strncmp(err, "t.skr: ", 7) == 0, "%s: message \"%s\" does not name the file", ctx, err);
    CHECK(!want || strstr(err, want), "%s: message \"%s\" lacks \"%s\"", ctx, err, want);
}

/* Cut points: every boundary, and points inside every block, its fixed
 * header and meta, the index and the trailer. */
static size_t cut_points(const struct base *b, uint64_t *out, size_t cap)
{
    size_t n = 0;
#define CUT(x) do { if ((x) <= b->len && n < cap) out[n++] = (x); } while (0)
    static const uint64_t inside[] = { 1, 4, 7, 8, 30, 55, 56 };
    uint64_t pre[] = { 0, 1, 8, 15, 16, 17, 23, 24, 60, 72 };
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
        CUT(pre[i]);
    CUT(b->L.data_start - 1);
    CUT(b->L.data_start);
    for (size_t i = 0; i <= b->L.nb; i++) {
        uint64_t off = i < b->L.nb ? b->L.b[i].off : b->L.index_off;
        uint64_t len = i < b->L.nb ? b->L.b[i].len : b->L.index_len;
        uint32_t meta = i < b->L.nb ? b->L.b[i].meta_len : 0;
        CUT(off);
        for (size_t k = 0; k < sizeof inside / sizeof inside[0]; k++)
            CUT(off + inside[k]);
        if (meta > 1)
            CUT(off + 56 + meta / 2);
        CUT(off + 56 + meta);
        CUT(off + len / 2);
        CUT(off + len - 1);
    }
    CUT(b->L.trailer_off);
    CUT(b->L.trailer_off + 1);
    CUT(b->L.trailer_off + 8);
    CUT(b->L.trailer_off + 31);
    CUT(b->len);
#undef CUT
    return n;
}

START_TEST(truncation)
{
    struct base b;
    base_setup(&b, 500);
    uint64_t cuts[2048];
    size_t n = cut_points(&b, cuts, sizeof cuts / sizeof cuts[0]);
    ck_assert_uint_gt(n, 600);
    char ctx[96];
    for (size_t c = 0; c < n; c++) {
        uint64_t cut = cuts[c];
        snprintf(ctx, sizeof ctx, "cut at %llu of %zu", (unsigned long long)cut, b.len);
        if (cut < b.L.data_start) {
            /* Only a cut preamble or header block makes a file unusable. */
            open_mem_fails(b.data, cut, cut == 0 ? "empty" : cut < 8 ? "not a saker trace" :
                           cut < 16 ? "preamble" : "header block", ctx);
            continue;
        }
        struct skr_reader *r = open_mem_ok(b.data, cut, ctx);
        CHECK((skr_reader_index_rebuilt(r) != NULL) == (cut != b.len), "%s: index rebuilt: %s", ctx,
              skr_reader_index_rebuilt(r) ? skr_reader_index_rebuilt(r) : "no");
        verify(r, &b, cut, UINT64_MAX, c % 5 == 0, ctx);
        /* Which block, if any, the cut falls inside. */
        const struct lblock *in = NULL;
        for (size_t i = 0; i < b.L.nb; i++)
            if (b.L.b[i].off < cut && cut < b.L.b[i].off + b.L.b[i].len)
                in = &b.L.b[i];
        size_t nd = skr_reader_ndamage(r);
        const struct skr_damage *d = skr_reader_damage(r, 0);
        if (in || (cut > b.L.index_off && cut < b.L.trailer_off)) {
            uint64_t off = in ? in->off : b.L.index_off;
            CHECK(nd == 1, "%s: %zu damage reports", ctx, nd);
            CHECK(d->kind == SKR_DAMAGE_TRUNCATED && d->offset == off,
                  "%s: damage kind %d at %llu (%s), want TRUNCATED at %llu", ctx, d->kind,
                  (unsigned long long)d->offset, d->what, (unsigned long long)off);
            CHECK(strstr(d->what, "truncated"), "%s: \"%s\"", ctx, d->what);
            if (in && in->type == SKR_BLK_EVENTS && cut >= in->off + 56 + in->meta_len)
                CHECK(d->events_lost == in->count, "%s: %llu events lost, block had %u", ctx,
                      (unsigned long long)d->events_lost, in->count);
            else if (!in || in->type != SKR_BLK_EVENTS)
                ck_assert_uint_eq(d->events_lost, 0);
        } else if (cut > b.L.trailer_off && cut < b.len) {
            /* A cut trailer: no block is lost. */
            CHECK(nd <= 1 && (!nd || (d->offset == b.L.trailer_off && d->events_lost == 0)),
                  "%s: damage %s", ctx, nd ? d->what : "");
        } else {
            CHECK(nd == 0, "%s: damage at a block boundary: %s", ctx, d->what);
        }
        skr_reader_close(r);
    }
    base_free(&b);
}
END_TEST

/* Flips one byte at a time; loop index 0: the whole file (footer index);
 * 1: the file without its trailer (index rebuilt by scanning). */
START_TEST(flipped_bytes)
{
    struct base b;
    base_setup(&b, 600 + (uint64_t)_i);
    size_t len = _i ? b.L.trailer_off : b.len;
    uint8_t *d = malloc(len);
    ck_assert_ptr_nonnull(d);
    memcpy(d, b.data, len);
    static const int hdr_bytes[] = { 0, 1, 7, 8, 9, 10, 11, 12, 15, 16, 19, 20, 23, 24, 31, 32,
                                     39, 40, 47, 48, 51, 52, 55 };
    uint64_t *offs = malloc((b.L.data_start + (b.L.nb + 2) * 40 + 64) * sizeof *offs);
    ck_assert_ptr_nonnull(offs);
    size_t n = 0;
    for (uint64_t o = 0; o < b.L.data_start; o++)   /* preamble and header block */
        if (o < 16 + 56 || o % 7 == 0)
            offs[n++] = o;
    for (size_t i = 0; i <= b.L.nb; i++) {
        uint64_t off = i < b.L.nb ? b.L.b[i].off : b.L.index_off;
        uint64_t blen = i < b.L.nb ? b.L.b[i].len : b.L.index_len;
        uint32_t meta = i < b.L.nb ? b.L.b[i].meta_len : 0;
        for (size_t k = 0; k < sizeof hdr_bytes / sizeof hdr_bytes[0]; k++)
            offs[n++] = off + (uint64_t)hdr_bytes[k];
        if (meta)
            offs[n++] = off + 56 + meta - 1;
        offs[n++] = off + 56 + meta;                    /* payload: first, middle, last */
        offs[n++] = off + 56 + meta + (blen - 56 - meta) / 2;
        offs[n++] = off + blen - 1;
    }
    for (uint64_t o = b.L.trailer_off; o < len; o++)
        offs[n++] = o;
    char ctx[96];
    for (size_t k = 0; k < n; k++) {
        uint64_t o = offs[k];
        snprintf(ctx, sizeof ctx, "%s, byte %llu flipped", _i ? "no trailer" : "whole file",
                 (unsigned long long)o);
        d[o] ^= 0xff;
        const struct lblock *in = NULL;
        for (size_t i = 0; i < b.L.nb; i++)
            if (b.L.b[i].off <= o && o < b.L.b[i].off + b.L.b[i].len)
                in = &b.L.b[i];
        if (o < 10 || (o >= 16 && o < b.L.data_start)) {
            open_mem_fails(d, len, o < 8 ? "not a saker trace" : o < 10 ? "version" : "header block", ctx);
            d[o] ^= 0xff;
            continue;
        }
        struct skr_reader *r = open_mem_ok(d, len, ctx);
        bool in_index = o >= b.L.index_off && o < b.L.trailer_off, in_trailer = o >= b.L.trailer_off;
        CHECK((skr_reader_index_rebuilt(r) != NULL) == (_i || in_index || in_trailer),
              "%s: rebuilt: %s", ctx, skr_reader_index_rebuilt(r) ? skr_reader_index_rebuilt(r) : "no");
        verify(r, &b, b.len, in ? in->off : UINT64_MAX, k % 9 == 0, ctx);
        size_t nd = skr_reader_ndamage(r);
        const struct skr_damage *dm = skr_reader_damage(r, 0);
        if (in) {
            /* The block is lost, and only it. */
            CHECK(nd == 1, "%s: %zu damage reports", ctx, nd);
            CHECK(dm->kind == SKR_DAMAGE_CORRUPT && dm->offset == in->off,
                  "%s: damage kind %d at %llu (%s), want CORRUPT at %llu", ctx, dm->kind,
                  (unsigned long long)dm->offset, dm->what, (unsigned long long)in->off);
            /* Without an index a bad header is passed over by a resync,
             * and the count comes from the next EVENTS block's number. */
            bool follows = false;
            for (const struct lblock *x = in + 1; x < b.L.b + b.L.nb; x++)
                follows |= x->type == SKR_BLK_EVENTS;
            bool by_number = _i && o < in->off + 56 + in->meta_len;
            uint64_t lost = in->type == SKR_BLK_EVENTS && (!by_number || follows) ? in->count : 0;
            CHECK(dm->events_lost == lost, "%s: %llu events lost, want %llu (%s)", ctx,
                  (unsigned long long)dm->events_lost, (unsigned long long)lost, dm->what);
            char off[32];
            snprintf(off, sizeof off, "offset %llu", (unsigned long long)in->off);
            CHECK(strstr(dm->what, off), "%s: \"%s\" does not name the offset", ctx, dm->what);
        } else if (o < 16 || (in_index && !_i)) {
            CHECK(nd == 0, "%s: damage %s", ctx, dm->what);
        } else {
            /* The index or trailer: no events lost. */
            CHECK(nd <= 1 && (!nd || dm->events_lost == 0), "%s: damage %s", ctx, dm->what);
        }
        skr_reader_close(r);
        d[o] ^= 0xff;
    }
    free(offs);
    free(d);
    base_free(&b);
}
END_TEST

static void count_damage(void *ctx, const char *path, const struct skr_damage *d)
{
    (void)d;
    CHECK(strcmp(path, "t.skr") == 0, "damage callback for %s", path);
    ++*(size_t *)ctx;
}

/* No index: a bad block header mid-file is passed over by searching for
 * the next sync marker; the events after it are still read, and the
 * events lost are counted from event numbers. */
START_TEST(resync)
{
    struct base b;
    base_setup(&b, 700);
    size_t len = b.L.trailer_off;
    uint8_t *d = malloc(len);
    ck_assert_ptr_nonnull(d);
    memcpy(d, b.data, len);
    static const int where[] = { 0, 5, 8, 13, 20, 30, 44, 53 };
    char ctx[96];
    size_t tested = 0;
    for (size_t i = 0; i < b.L.nb; i++) {
        const struct lblock *x = &b.L.b[i];
        if (i % 2 && x->type == SKR_BLK_EVENTS && i + 1 < b.L.nb && b.L.b[i + 1].type == SKR_BLK_EVENTS)
            continue; /* every other plain case is enough */
        for (size_t w = 0; w < sizeof where / sizeof where[0]; w++) {
            uint64_t o = x->off + (uint64_t)where[w];
            snprintf(ctx, sizeof ctx, "block %zu at %llu, header byte %d", i, (unsigned long long)x->off, where[w]);
            d[o] ^= 0xff;
            struct skr_reader *r = open_mem_ok(d, len, ctx);
            ck_assert_ptr_nonnull(skr_reader_index_rebuilt(r));
            verify(r, &b, b.len, x->off, w % 3 == 0, ctx);
            CHECK(skr_reader_ndamage(r) == 1, "%s: %zu damage reports", ctx, skr_reader_ndamage(r));
            const struct skr_damage *dm = skr_reader_damage(r, 0);
            CHECK(dm->kind == SKR_DAMAGE_CORRUPT && dm->offset == x->off, "%s: %s", ctx, dm->what);
            char at[32];
            snprintf(at, sizeof at, "offset %llu", (unsigned long long)x->off);
            CHECK(strstr(dm->what, at), "%s: \"%s\" does not name the offset", ctx, dm->what);
            /* Reports found at open are replayed to a callback set later. */
            size_t calls = 0;
            skr_reader_on_damage(r, count_damage, &calls);
            CHECK(calls == 1, "%s: callback called %zu times", ctx, calls);
            skr_reader_on_damage(r, NULL, NULL);
            /* Lost: the next EVENTS block's first number minus the one
             * expected. */
            uint64_t lost = 0;
            if (x->type == SKR_BLK_EVENTS)
                for (size_t k = i + 1; k < b.L.nb; k++)
                    if (b.L.b[k].type == SKR_BLK_EVENTS) {
                        lost = x->count;
                        break;
                    }
            CHECK(dm->events_lost == lost, "%s: %llu events lost, want %llu: %s", ctx,
                  (unsigned long long)dm->events_lost, (unsigned long long)lost, dm->what);
            skr_reader_close(r);
            d[o] ^= 0xff;
            tested++;
        }
    }
    ck_assert_uint_gt(tested, 200);
    /* Two bad headers in a row are one damaged region. */
    for (size_t i = 1; i + 2 < b.L.nb; i += 7) {
        const struct lblock *x = &b.L.b[i], *y = &b.L.b[i + 1];
        d[x->off] ^= 0xff;
        d[y->off + 9] ^= 0xff;
        struct skr_reader *r = open_mem_ok(d, len, "two bad");
        ck_assert_uint_eq(skr_reader_ndamage(r), 1);
        ck_assert_uint_eq(skr_reader_damage(r, 0)->offset, x->off);
        skr_reader_close(r);
        d[x->off] ^= 0xff;
        d[y->off + 9] ^= 0xff;
    }
    free(d);
    base_free(&b);
}
END_TEST

START_TEST(not_traces)
{
    struct base b;
    base_setup(&b, 800);
    open_mem_fails(b.data, 0, "empty file", "0 bytes");
    open_mem_fails(b.data, 15, "truncated: preamble", "15 bytes");
    open_mem_fails(b.data, 7, "not a saker trace", "7 bytes");
    uint8_t *d = malloc(b.len);
    ck_assert_ptr_nonnull(d);
    memcpy(d, b.data, b.len);
    d[8] = 2;
    d[9] = 0;
    open_mem_fails(d, b.len, "format version 2.0", "major 2");
    d[8] = 1;
    d[10] = 0xff; /* another minor is fine */
    struct skr_reader *r = open_mem_ok(d, b.len, "minor 255");
    ck_assert_uint_eq(skr_reader_header(r)->version_minor, 0xff);
    verify(r, &b, b.len, UINT64_MAX, false, "minor 255");
    skr_reader_close(r);
    struct rng g;
    rng_seed(&g, 5);
    for (int k = 0; k < 50; k++) {
        size_t n = 1 + rng_below(&g, b.len);
        for (size_t i = 0; i < n; i++)
            d[i] = (uint8_t)rng_next(&g);
        if (k % 2) /* random bytes after a good preamble */
            memcpy(d, b.data, 16);
        open_mem_fails(d, n, k % 2 ? NULL : "not a saker trace", "random bytes");
    }
    static const struct { const char *magic; const char *what; } foreign[] = {
        { "\x1f\x8b\x08\x00", "gzip" }, { "\x28\xb5\x2f\xfd", "zstd" },
        { "\x0a\x0d\x0d\x0a", "scap" }, { "\xd4\xc3\xb2\xa1", "pcap" },
    };
    for (size_t i = 0; i < 4; i++) {
        memcpy(d, foreign[i].magic, 4);
        open_mem_fails(d, 64, foreign[i].what, foreign[i].what);
    }
    free(d);

    /* Through the file reader: an empty file, /dev/null, a directory, a
     * missing file. */
    char path[256], err[256];
    tmp_path(path, sizeof path, "empty-file.skr");
    spit(path, "", 0);
    const char *paths[] = { path, "/dev/null", "/tmp", "/nonexistent/x.skr" };
    const char *why[] = { "empty file", "empty file", "is a directory", "cannot open" };
    for (int i = 0; i < 4; i++) {
        r = (struct skr_reader *)1;
        err[0] = 0;
        ck_assert_int_eq(skr_reader_open(paths[i], &r, err, sizeof err), -1);
        ck_assert_ptr_null(r);
        CHECK(strstr(err, paths[i]) && strstr(err, why[i]), "%s: \"%s\"", paths[i], err);
    }
    base_free(&b);
}
END_TEST

Suite *damage_suite(void)
{
    Suite *s = suite_create("damage");
    TCase *tc = tcase_create("damage");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, truncation);
    tcase_add_loop_test(tc, flipped_bytes, 0, 2);
    tcase_add_test(tc, resync);
    tcase_add_test(tc, not_traces);
    suite_add_tcase(s, tc);
    crafted_cases(s);
    return s;
}
