/* test_crafted.c -- hostile files with valid checksums: huge declared
 * sizes in block headers (§4.2), varint lengths near 2^64 in records,
 * absurd column directories (§7), zstd payloads that are not exactly one
 * frame of raw_len bytes (§4.4) and inconsistent footer indexes (§10).
 * Each must be refused or reported as damage, and never cause a large
 * allocation (in the ASan build main.c caps one allocation at 600 MB, so
 * an allocation of gigabytes fails the test). Part of the damage suite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "../../reader/block.h"
#include "suites.h"
#include "testutil.h"

struct ctrace {
    struct xtrace m;
    uint8_t *data;
    size_t len;
    struct layout L;
};

static void ctrace_setup(struct ctrace *t)
{
    struct gen_opts o = { .seed = 900, .nevents = 200, .block_size = 300, .first_evnum = 1001,
                          .max_bytes = 32, .text = true };
    gen_model(&t->m, &o);
    char path[256];
    tmp_path(path, sizeof path, "crafted.skr");
    write_model_ok(path, &t->m, &o);
    t->data = slurp(path, &t->len);
    layout_of(t->data, t->len, &t->L);
}

static void ctrace_free(struct ctrace *t)
{
    free(t->data);
    layout_free(&t->L);
    xtrace_free(&t->m);
}

/* Appends a block with matching checksums. */
static void put_block(struct skr_buf *out, uint8_t type, uint8_t codec, const uint8_t *meta,
                      uint16_t meta_len, const void *payload, size_t stored, uint32_t raw_len,
                      uint32_t count, uint64_t ts, uint64_t first)
{
    struct skr_block_hdr h = { .type = type, .codec = codec, .meta_len = meta_len,
                               .stored_len = (uint32_t)stored, .raw_len = raw_len, .count = count,
                               .min_ts = ts, .max_ts = ts, .first_evnum = first,
                               .payload_crc = skr_crc32(0, payload, stored) };
    uint8_t fixed[SKR_BLOCK_HDR_LEN];
    skr_block_hdr_store(fixed, &h, meta);
    skr_put_raw(out, fixed, sizeof fixed);
    skr_put_raw(out, meta, meta_len);
    skr_put_raw(out, payload, stored);
    ck_assert(!out->oom);
}

static void refused(const uint8_t *d, size_t n, const char *want, const char *ctx)
{
    struct skr_reader *r;
    char err[256] = "";
    CHECK(skr_reader_open_mem("c.skr", d, n, &r, err, sizeof err) == -1, "%s: opened", ctx);
    CHECK(strstr(err, "c.skr: ") == err && strstr(err, want), "%s: \"%s\" lacks \"%s\"", ctx, err, want);
}

/* Reads everything: all written events must come but those of data block
 * `lost` (-1: none), and the damage reports must be exactly one, of kind
 * kind at offset off (or none when off is 0). */
static void read_some(const uint8_t *d, size_t n, const struct ctrace *t, uint64_t off, int kind,
                      long lost, bool rebuilt, const char *ctx)
{
    struct skr_reader *r;
    char err[256];
    CHECK(skr_reader_open_mem("c.skr", d, n, &r, err, sizeof err) == 0, "%s: %s", ctx, err);
    CHECK((skr_reader_index_rebuilt(r) != NULL) == rebuilt, "%s: rebuilt: %s", ctx,
          skr_reader_index_rebuilt(r) ? skr_reader_index_rebuilt(r) : "no");
    bool *seen = calloc(t->m.nev, sizeof *seen);
    ck_assert_ptr_nonnull(seen);
    skr_reader_set_prefetch(r, false);
    size_t got = read_check(r, &t->m, seen, ctx);
    uint32_t nlost = lost >= 0 ? t->L.b[lost].count : 0;
    CHECK(got == t->m.nev - nlost, "%s: %zu events read, want %zu", ctx, got, t->m.nev - nlost);
    for (size_t i = 0; lost >= 0 && i < nlost; i++)
        CHECK(!seen[t->L.b[lost].first_evnum - t->m.first_evnum + i], "%s: event of the lost block", ctx);
    size_t nd = skr_reader_ndamage(r);
    CHECK(nd == (off != 0), "%s: %zu damage reports%s%s", ctx, nd, nd ? ": " : "",
          nd ? skr_reader_damage(r, 0)->what : "");
    if (nd) {
        const struct skr_damage *dm = skr_reader_damage(r, 0);
        CHECK(dm->offset == off && dm->kind == kind, "%s: kind %d: %s", ctx, dm->kind, dm->what);
        CHECK(!strstr(dm->what, "out of memory"), "%s: %s", ctx, dm->what);
    }
    free(seen);
    skr_reader_close(r);
}

static void read_all(const uint8_t *d, size_t n, const struct ctrace *t, uint64_t off, bool rebuilt,
                     const char *ctx)
{
    read_some(d, n, t, off, SKR_DAMAGE_CORRUPT, -1, rebuilt, ctx);
}

/* Huge sizes in a block header whose checksum matches: in the HEADER
 * block (the file is refused), in the first data block with the index,
 * and in the last data block without it. */
START_TEST(header_sizes)
{
    struct ctrace t;
    ctrace_setup(&t);
    uint8_t *d = malloc(t.len);
    ck_assert_ptr_nonnull(d);
    static const struct { int at, size; uint32_t v; int codec; const char *why; } cases[] = {
        { 16, 4, 0xffffffffu, -1, "raw length" },            /* raw_len */
        { 10, 2, 0xffff, -1, "meta length" },                /* meta_len */
        { 12, 4, 0xfffffff0u, -1, "stored length" },         /* stored_len */
        { 12, 4, SKR_MAX_RAW_LEN, 0, "truncated" },          /* 256 MiB, uncompressed */
        { 16, 4, SKR_MAX_RAW_LEN, 1, "decoded" },            /* a small frame said to be 256 MiB */
    };
    for (int target = 0; target < 3; target++) {
        size_t bi = target == 1 ? 0 : t.L.nb - 1;
        uint64_t off = target == 0 ? SKR_PREAMBLE_LEN : t.L.b[bi].off;
        size_t len = target == 2 ? t.L.index_off : t.len;
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            memcpy(d, t.data, t.len);
            uint8_t *h = d + off;
            if (cases[i].codec == 1 && h[9] != SKR_CODEC_ZSTD)
                continue;
            if (cases[i].codec >= 0)
                h[9] = (uint8_t)cases[i].codec;
            if (cases[i].size == 2)
                skr_store_u16(h + cases[i].at, (uint16_t)cases[i].v);
            else
                skr_store_u32(h + cases[i].at, cases[i].v);
            if (cases[i].codec == 0)
                skr_store_u32(h + 16, cases[i].v); /* raw_len = stored_len */
            uint16_t meta = (uint16_t)(h[10] | h[11] << 8);
            skr_store_u32(h + 52, skr_crc32(skr_crc32(0, h, 52), h + 56, meta <= 8192 ? meta : 0));
            char ctx[48];
            snprintf(ctx, sizeof ctx, "target %d, size case %zu", target, i);
            if (target == 0) {
                refused(d, len, cases[i].why, ctx);
                continue;
            }
            /* Without an index, a header that fails the limits has no
             * known count; one cut short by the end has. */
            bool cut = cases[i].codec == 0;
            read_some(d, len, &t, off, target == 2 && cut ? SKR_DAMAGE_TRUNCATED : SKR_DAMAGE_CORRUPT,
                      (long)bi, target == 2, ctx);
        }
    }
    free(d);
    ctrace_free(&t);
}
END_TEST
/* A file of just a preamble and a header block with payload p. */
static void header_file(struct skr_buf *f, const struct skr_buf *p)
{
    skr_buf_reset(f);
    uint8_t pre[SKR_PREAMBLE_LEN] = { 0 };
    memcpy(pre, SKR_MAGIC, SKR_MAGIC_LEN);
    skr_store_u16(pre + 8, SKR_VERSION_MAJOR);
    skr_put_raw(f, pre, sizeof pre);
    put_block(f, SKR_BLK_HEADER, SKR_CODEC_NONE, NULL, 0, p->data, p->len, (uint32_t)p->len, 1, 0, 0);
}

START_TEST(header_records)
{
    struct skr_buf p = { 0 }, ev = { 0 }, pa = { 0 }, f = { 0 };
    /* Sanity: a minimal well-formed header opens. */
    skr_put_field_u(&ev, SKR_SEV_ID, 5);
    skr_put_field_str(&ev, SKR_SEV_NAME, "ok");
    skr_put_field_bytes(&p, SKR_HDR_SCHEMA_EVENT, ev.data, ev.len);
    skr_put_field_str(&p, SKR_HDR_HOSTNAME, "h");
    header_file(&f, &p);
    struct skr_reader *r;
    char err[256];
    CHECK(skr_reader_open_mem("c.skr", f.data, f.len, &r, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(skr_schema_find(skr_reader_schema(r), "ok"), 5);
    skr_reader_close(r);

    for (int k = 0; k < 9; k++) {
        skr_buf_reset(&p);
        skr_buf_reset(&ev);
        skr_buf_reset(&pa);
        const char *why = "malformed header record";
        switch (k) {
        case 0: case 1: case 2: {
            /* A bytes field whose length is near 2^64. */
            static const uint64_t lens[] = { UINT64_MAX, 1ull << 63, UINT64_MAX - 2 };
            skr_put_varint(&p, (uint64_t)(k == 1 ? SKR_HDR_CMDLINE_ARG : SKR_HDR_HOSTNAME) << 2 | 2);
            skr_put_varint(&p, lens[k]);
            skr_put_raw(&p, "abc", 3);
            break;
        }
        case 3: /* the same inside a nested schema record */
            skr_put_field_u(&ev, SKR_SEV_ID, 1);
            skr_put_field_str(&ev, SKR_SEV_NAME, "x");
            skr_put_varint(&ev, SKR_SEV_PARAM << 2 | 2);
            skr_put_varint(&ev, UINT64_MAX - 1);
            skr_put_field_bytes(&p, SKR_HDR_SCHEMA_EVENT, ev.data, ev.len);
            why = "schema";
            break;
        case 4: /* more parameters than allowed */
            skr_put_field_u(&ev, SKR_SEV_ID, 1);
            skr_put_field_str(&ev, SKR_SEV_NAME, "x");
            skr_put_field_str(&pa, SKR_SPARAM_NAME, "p");
            skr_put_field_u(&pa, SKR_SPARAM_TYPE, 1);
            skr_put_field_u(&pa, SKR_SPARAM_WIRE, 1);
            for (int i = 0; i <= SKR_MAX_PARAMS; i++)
                skr_put_field_bytes(&ev, SKR_SEV_PARAM, pa.data, pa.len);
            skr_put_field_bytes(&p, SKR_HDR_SCHEMA_EVENT, ev.data, ev.len);
            why = "more than 64 parameters";
            break;
        case 5: /* an event type id over the limit */
            skr_put_field_u(&ev, SKR_SEV_ID, SKR_MAX_EVENT_TYPES);
            skr_put_field_str(&ev, SKR_SEV_NAME, "x");
            skr_put_field_bytes(&p, SKR_HDR_SCHEMA_EVENT, ev.data, ev.len);
            why = "over the limit";
            break;
        case 6: /* wire 3 */
            skr_put_field_u(&p, SKR_HDR_NCPUS, 4);
            skr_put_varint(&p, SKR_HDR_HOSTNAME << 2 | 3);
            skr_put_raw(&p, "\x05hello", 6);
            break;
        case 7: /* an 11-byte varint */
            skr_put_varint(&p, SKR_HDR_NCPUS << 2);
            skr_put_raw(&p, "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", 11);
            break;
        case 8: /* a wire type 3 parameter wire */
            skr_put_field_u(&ev, SKR_SEV_ID, 1);
            skr_put_field_str(&ev, SKR_SEV_NAME, "x");
            skr_put_field_str(&pa, SKR_SPARAM_NAME, "p");
            skr_put_field_u(&pa, SKR_SPARAM_TYPE, 1);
            skr_put_field_u(&pa, SKR_SPARAM_WIRE, 3);
            skr_put_field_bytes(&ev, SKR_SEV_PARAM, pa.data, pa.len);
            skr_put_field_bytes(&p, SKR_HDR_SCHEMA_EVENT, ev.data, ev.len);
            why = "wire type 3";
            break;
        }
        header_file(&f, &p);
        char ctx[32];
        snprintf(ctx, sizeof ctx, "header record case %d", k);
        refused(f.data, f.len, why, ctx);
    }
    skr_buf_free(&p);
    skr_buf_free(&ev);
    skr_buf_free(&pa);
    skr_buf_free(&f);
}
END_TEST

/* The trace without its index and trailer, then one crafted EVENTS block
 * (numbered after the written events, so a scan accepts its place). */
static void events_case(const struct ctrace *t, int k, struct skr_buf *f, uint64_t *bad_off)
{
    struct skr_buf p = { 0 };
    skr_buf_reset(f);
    skr_put_raw(f, t->data, t->L.index_off);
    *bad_off = f->len;
    uint8_t meta[600] = { 0 };
    uint16_t meta_len = 1;
    uint8_t codec = SKR_CODEC_NONE;
    uint32_t count = 3, raw_len = 0;
    meta[0] = 1;
    switch (k) {
    case 0: skr_put_varint(&p, UINT64_MAX); break;                   /* ncolumns */
    case 1: skr_put_varint(&p, 1ull << 62); skr_put_raw(&p, "\0\0\0\0", 4); break;
    case 2: skr_put_varint(&p, 1); skr_put_varint(&p, 0); skr_put_varint(&p, 1ull << 63); break;
    case 3: skr_put_varint(&p, 1); skr_put_varint(&p, 0); skr_put_varint(&p, UINT64_MAX); break;
    case 4: /* lengths that overflow when added */
        skr_put_varint(&p, 2);
        skr_put_varint(&p, 0); skr_put_varint(&p, 1);
        skr_put_varint(&p, 1); skr_put_varint(&p, UINT64_MAX);
        skr_put_u8(&p, 0);
        break;
    case 5: /* a parameter column of an undeclared type */
        skr_put_varint(&p, 1); skr_put_varint(&p, 16 + 999 * 64); skr_put_varint(&p, 0); break;
    case 6: /* past the type's parameter count */
        skr_put_varint(&p, 1); skr_put_varint(&p, 16 + (uint64_t)T_NOPARAMS * 64); skr_put_varint(&p, 0);
        break;
    case 7: skr_put_varint(&p, 1); skr_put_varint(&p, UINT64_MAX); skr_put_varint(&p, 0); break;
    case 8: /* no columns at all, and a count of 2^32-1 */
        skr_put_varint(&p, 0);
        count = UINT32_MAX;
        break;
    case 9: /* bytes after the columns */
        skr_put_varint(&p, 1); skr_put_varint(&p, 0); skr_put_varint(&p, 1);
        skr_put_raw(&p, "\x01\x02\x03", 3);
        break;
    case 10: /* a type bitmap longer than 4096 types need */
        skr_put_varint(&p, 0);
        meta_len = 600;
        break;
    default: { /* zstd frames of a good payload: raw_len too small, too
                * large; two frames; trailing bytes; a skippable frame */
        struct skr_evenc enc;
        memset(&enc, 0, sizeof enc);
        struct skr_event ev = { .type = T_NOPARAMS, .def = test_schema()->defs[T_NOPARAMS], .tid = 1 };
        struct skr_buf raw = { 0 };
        for (int i = 0; i < 3; i++) {
            ev.ts = t->m.ev[t->m.nev - 1].ts + (uint64_t)i;
            skr_evenc_add(&enc, &ev);
        }
        skr_evenc_finish(&enc, &raw, NULL);
        skr_evenc_free(&enc);
        size_t bound = ZSTD_compressBound(raw.len);
        ck_assert(skr_buf_reserve(&p, 2 * bound + 32));
        if (k == 15) {
            skr_put_u32(&p, 0x184D2A50u);
            skr_put_u32(&p, 4);
            skr_put_u32(&p, 0);
        }
        size_t half = k == 13 ? raw.len / 2 : raw.len;
        size_t a = ZSTD_compress(p.data + p.len, bound, raw.data, half, 3);
        ck_assert(!ZSTD_isError(a));
        p.len += a;
        if (k == 13) {
            size_t b = ZSTD_compress(p.data + p.len, bound, raw.data + half, raw.len - half, 3);
            ck_assert(!ZSTD_isError(b));
            p.len += b;
        }
        if (k == 14)
            skr_put_raw(&p, "\x01\x02", 2);
        codec = SKR_CODEC_ZSTD;
        raw_len = (uint32_t)raw.len + (k == 11 ? (uint32_t)-1 : k == 12 ? 5 : 0);
        skr_buf_free(&raw);
        break;
    }
    }
    if (codec == SKR_CODEC_NONE)
        raw_len = (uint32_t)p.len;
    uint64_t ts = t->m.ev[t->m.nev - 1].ts;
    put_block(f, SKR_BLK_EVENTS, codec, meta, meta_len, p.data, p.len, raw_len, count, ts,
              t->m.first_evnum + t->m.nev);
    skr_buf_free(&p);
}

START_TEST(events_payloads)
{
    struct ctrace t;
    ctrace_setup(&t);
    struct skr_buf f = { 0 };
    for (int k = 0; k < 16; k++) {
        uint64_t off;
        events_case(&t, k, &f, &off);
        char ctx[32];
        snprintf(ctx, sizeof ctx, "events case %d", k);
        read_all(f.data, f.len, &t, off, true, ctx);
    }
    skr_buf_free(&f);
    ctrace_free(&t);
}
END_TEST

/* Rewrites the footer index of t: entry number `entry` (or every entry
 * when -1) passes through fn, then the index is stored and a trailer
 * written. */
typedef void (*ix_fn)(struct skr_buf *out, const struct skr_field *f, int k, const struct ctrace *t);

static void rewrite_index(const struct ctrace *t, struct skr_buf *out, ix_fn fn, int k)
{
    const uint8_t *blk = t->data + t->L.index_off;
    struct skr_block_hdr h;
    char err[160];
    ck_assert_int_eq(skr_block_hdr_parse(blk, &h, err, sizeof err), 0);
    uint8_t *raw = malloc(h.raw_len + 1);
    ck_assert_ptr_nonnull(raw);
    const uint8_t *stored = blk + SKR_BLOCK_HDR_LEN + h.meta_len;
    if (h.codec == SKR_CODEC_ZSTD)
        ck_assert_uint_eq(ZSTD_decompress(raw, h.raw_len, stored, h.stored_len), h.raw_len);
    else
        memcpy(raw, stored, h.raw_len);
    struct skr_buf ix = { 0 };
    struct skr_cur c = skr_cur_make(raw, h.raw_len);
    struct skr_field f;
    int entry = 0;
    while (skr_next_field(&c, &f)) {
        if (f.tag == SKR_IX_BLOCK && fn)
            fn(&ix, &f, entry == k ? 1 : 0, t);
        else if (f.wire == 2)
            skr_put_field_bytes(&ix, f.tag, f.ptr, f.len);
        else
            skr_put_field_u(&ix, f.tag, f.u);
        entry += f.tag == SKR_IX_BLOCK;
    }
    ck_assert(skr_cur_ok(&c));
    if (fn)
        fn(&ix, NULL, 0, t);
    skr_buf_reset(out);
    skr_put_raw(out, t->data, t->L.index_off);
    put_block(out, SKR_BLK_INDEX, SKR_CODEC_NONE, NULL, 0, ix.data, ix.len, (uint32_t)ix.len,
              h.count, h.min_ts, h.first_evnum);
    uint8_t tr[SKR_TRAILER_LEN] = { 0 };
    memcpy(tr, SKR_TRAILER_MAGIC, 8);
    skr_store_u64(tr + 8, t->L.index_off);
    skr_store_u64(tr + 16, out->len);
    skr_store_u32(tr + 28, skr_crc32(0, tr, 28));
    skr_put_raw(out, tr, sizeof tr);
    skr_buf_free(&ix);
    free(raw);
}

static int ix_case;

/* Copies an entry, changing field `tag` of the chosen one to value v. */
static void put_entry(struct skr_buf *out, const struct skr_field *f, uint32_t tag, uint64_t v, bool chosen)
{
    struct skr_buf e = { 0 };
    struct skr_cur c = skr_cur_make(f->ptr, f->len);
    struct skr_field g;
    while (skr_next_field(&c, &g)) {
        if (chosen && g.tag == tag && tag == SKR_IXB_BITMAP) {
            static const uint8_t big[600];
            skr_put_field_bytes(&e, g.tag, big, (size_t)v);
        } else if (chosen && g.tag == tag) {
            skr_put_field_u(&e, g.tag, v);
        } else if (g.wire == 2) {
            skr_put_field_bytes(&e, g.tag, g.ptr, g.len);
        } else {
            skr_put_field_u(&e, g.tag, g.u);
        }
    }
    skr_put_field_bytes(out, SKR_IX_BLOCK, e.data, e.len);
    skr_buf_free(&e);
}

static void ix_mutate(struct skr_buf *out, const struct skr_field *f, int chosen, const struct ctrace *t)
{
    if (!f) { /* after the last field */
        if (ix_case == 1) { /* an extra entry past the index block itself */
            struct skr_buf e = { 0 };
            skr_put_field_u(&e, SKR_IXB_OFFSET, t->L.index_off + 1000);
            skr_put_field_u(&e, SKR_IXB_TYPE, SKR_BLK_EVENTS);
            skr_put_field_u(&e, SKR_IXB_LENGTH, 56);
            skr_put_field_u(&e, SKR_IXB_FIRST_EVNUM, t->m.first_evnum + t->m.nev);
            skr_put_field_bytes(out, SKR_IX_BLOCK, e.data, e.len);
            skr_buf_free(&e);
        }
        if (ix_case == 6) { /* a type count for a type that cannot exist */
            struct skr_buf e = { 0 };
            skr_put_field_u(&e, 1, 99999);
            skr_put_field_u(&e, 2, UINT64_MAX);
            skr_put_field_bytes(out, SKR_IX_TYPE_COUNT, e.data, e.len);
            skr_buf_free(&e);
        }
        return;
    }
    switch (ix_case) {
    case 2: put_entry(out, f, SKR_IXB_LENGTH, 0xffffffffu, chosen); break;
    case 3: put_entry(out, f, SKR_IXB_LENGTH, UINT64_MAX, chosen); break;
    case 4: put_entry(out, f, SKR_IXB_OFFSET, UINT64_MAX - 8, chosen); break;
    case 5: put_entry(out, f, SKR_IXB_BITMAP, 600, chosen); break;
    case 7: put_entry(out, f, SKR_IXB_OFFSET, 20, chosen); break;
    case 8: put_entry(out, f, SKR_IXB_COUNT, 1, chosen); break;
    default: put_entry(out, f, 0, 0, false); break;
    }
}

START_TEST(index_entries)
{
    struct ctrace t;
    ctrace_setup(&t);
    ck_assert_uint_gt(t.L.nb, 4);
    struct skr_buf f = { 0 };
    for (ix_case = 0; ix_case <= 8; ix_case++) {
        rewrite_index(&t, &f, ix_mutate, ix_case == 7 ? 0 : 2);
        char ctx[32];
        snprintf(ctx, sizeof ctx, "index case %d", ix_case);
        if (ix_case == 0 || ix_case == 6) {
            read_all(f.data, f.len, &t, 0, false, ctx); /* the index is fine */
        } else if (ix_case == 8) {
            /* A count that disagrees with the block: the block is not
             * trusted and its events are lost. */
            struct skr_reader *r;
            char err[256];
            CHECK(skr_reader_open_mem("c.skr", f.data, f.len, &r, err, sizeof err) == 0, "%s", err);
            bool *seen = calloc(t.m.nev, sizeof *seen);
            size_t n = read_check(r, &t.m, seen, ctx);
            ck_assert_uint_eq(n, t.m.nev - t.L.b[2].count);
            ck_assert_uint_eq(skr_reader_ndamage(r), 1);
            ck_assert_uint_eq(skr_reader_damage(r, 0)->offset, t.L.b[2].off);
            ck_assert_uint_eq(skr_reader_damage(r, 0)->events_lost, 1);
            free(seen);
            skr_reader_close(r);
        } else {
            read_all(f.data, f.len, &t, 0, true, ctx); /* refused, rebuilt */
        }
    }
    skr_buf_free(&f);
    ctrace_free(&t);
}
END_TEST

void crafted_cases(Suite *s)
{
    TCase *tc = tcase_create("crafted");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, header_sizes);
    tcase_add_test(tc, header_records);
    tcase_add_test(tc, events_payloads);
    tcase_add_test(tc, index_entries);
    suite_add_tcase(s, tc);
}
