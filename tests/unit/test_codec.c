/* test_codec.c -- the primitive encodings (man/saker-trace.5 §5): varint
 * and zigzag round trips and limits (also through the event decoder), checked cursor reads, record fields,
 * CRC-32, the block header limits (§4.2) and escaping for display. */
#include <stdlib.h>
#include <string.h>

#include "../../reader/block.h"
#include "../../reader/escape.h"
#include "../../reader/event.h"
#include "suites.h"
#include "testutil.h"

/* Encodes v, checks the encoded length, decodes it back. */
static void varint_rt(uint64_t v, size_t want_len)
{
    struct skr_buf b = { 0 };
    skr_put_varint(&b, v);
    CHECK(!b.oom && b.len == want_len, "varint %llu: %zu bytes, want %zu",
          (unsigned long long)v, b.len, want_len);
    struct skr_cur c = skr_cur_make(b.data, b.len);
    uint64_t got = skr_get_varint(&c);
    CHECK(skr_cur_ok(&c) && got == v, "varint %llu decoded as %llu",
          (unsigned long long)v, (unsigned long long)got);
    CHECK(c.p == c.end, "varint %llu: cursor not at the end", (unsigned long long)v);
    skr_buf_free(&b);
}

START_TEST(varint_edges)
{
    varint_rt(0, 1);
    varint_rt(1, 1);
    varint_rt(127, 1);
    varint_rt(128, 2);
    varint_rt(300, 2);
    varint_rt(16383, 2);
    varint_rt(16384, 3);
    varint_rt(UINT32_MAX, 5);
    varint_rt((1ull << 63) - 1, 9);
    varint_rt(1ull << 63, 10);
    varint_rt(UINT64_MAX, 10);
    /* §5 examples: 0 is 00, 127 is 7F, 128 is 80 01, 300 is AC 02. */
    struct skr_buf b = { 0 };
    skr_put_varint(&b, 0);
    skr_put_varint(&b, 127);
    skr_put_varint(&b, 128);
    skr_put_varint(&b, 300);
    static const uint8_t want[] = { 0x00, 0x7f, 0x80, 0x01, 0xac, 0x02 };
    ck_assert_uint_eq(b.len, sizeof want);
    ck_assert_mem_eq(b.data, want, sizeof want);
    skr_buf_free(&b);
    /* Every power of two and its neighbours. */
    for (int i = 0; i < 64; i++) {
        uint64_t v = 1ull << i;
        size_t len = (size_t)(i / 7 + 1);
        varint_rt(v, len);
        varint_rt(v - 1, v == 1 ? 1 : (size_t)((i - 1) / 7 + 1));
    }
}
END_TEST

/* The event decoder reads varints its own way (event.c ev_varint: one
 * byte, up to 8 bytes from one load, else the codec): every length and
 * its edges, in a varint and a zigzag column, once with room after each
 * value and once at the columns' ends, must come back as written. */
START_TEST(evdec_varint_lengths)
{
    const struct skr_schema *s = test_schema();
    const struct skr_event_def *def = s->defs[T_UNKNOWN]; /* blob, zigzag delta, varint count */
    uint64_t vals[200];
    size_t n = 0;
    for (int i = 0; i < 64; i++) {
        vals[n++] = 1ull << i;
        vals[n++] = (1ull << i) - 1;
        vals[n++] = (1ull << i) + 1;
    }
    vals[n++] = UINT64_MAX;
    for (int round = 0; round < 2; round++) {
        struct skr_evenc enc = { 0 };
        for (size_t i = 0; i < n; i++) {
            /* round 1 backwards: the long values end the columns */
            uint64_t v = vals[round ? n - 1 - i : i];
            struct skr_event ev = { .ts = 1000 + i * (v >> 40), .tid = (int64_t)(v >> 1), .cpu = 3,
                                    .type = T_UNKNOWN, .def = def, .nparams = 3 };
            ev.params[0] = (struct skr_value){ .ptr = (const uint8_t *)"x", .len = 1 };
            ev.params[1] = (struct skr_value){ .s = (int64_t)v };
            ev.params[2] = (struct skr_value){ .u = v };
            skr_evenc_add(&enc, &ev);
        }
        struct skr_buf out = { 0 };
        skr_evenc_finish(&enc, &out, NULL);
        ck_assert(!out.oom);
        struct skr_evdec dec = { 0 };
        char err[200];
        ck_assert_msg(skr_evdec_begin(&dec, s, out.data, out.len, err, sizeof err) == 0, "%s", err);
        for (size_t i = 0; i < n; i++) {
            uint64_t v = vals[round ? n - 1 - i : i];
            struct skr_event ev;
            ck_assert_msg(skr_evdec_next(&dec, &ev, err, sizeof err) == 0, "%s", err);
            CHECK(ev.params[2].u == v && ev.params[1].s == (int64_t)v &&
                  ev.tid == (int64_t)(v >> 1) && ev.ts == 1000 + i * (v >> 40),
                  "round %d value %llu: got %llu, %lld", round, (unsigned long long)v,
                  (unsigned long long)ev.params[2].u, (long long)ev.params[1].s);
        }
        ck_assert(skr_evdec_all_consumed(&dec));
        skr_evdec_free(&dec);
        skr_evenc_free(&enc);
        skr_buf_free(&out);
    }
}
END_TEST

START_TEST(zigzag_edges)
{
    static const struct { int64_t v; uint64_t enc; } cases[] = {
        { 0, 0 }, { -1, 1 }, { 1, 2 }, { -2, 3 }, { 2, 4 }, { -64, 127 }, { 64, 128 },
        { INT64_MAX, UINT64_MAX - 1 }, { INT64_MIN, UINT64_MAX }, { INT64_MIN + 1, UINT64_MAX - 2 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_uint_eq(skr_zigzag_encode(cases[i].v), cases[i].enc);
        ck_assert_int_eq(skr_zigzag_decode(cases[i].enc), cases[i].v);
        struct skr_buf b = { 0 };
        skr_put_zigzag(&b, cases[i].v);
        struct skr_cur c = skr_cur_make(b.data, b.len);
        int64_t got = skr_get_zigzag(&c);
        CHECK(skr_cur_ok(&c) && got == cases[i].v && c.p == c.end,
              "zigzag %lld decoded as %lld", (long long)cases[i].v, (long long)got);
        skr_buf_free(&b);
    }
    struct rng r;
    rng_seed(&r, 7);
    for (int i = 0; i < 2000; i++) {
        int64_t v = (int64_t)rng_next(&r) >> rng_below(&r, 64);
        CHECK(skr_zigzag_decode(skr_zigzag_encode(v)) == v, "zigzag %lld", (long long)v);
    }
}
END_TEST

static uint64_t decode_bytes(const uint8_t *p, size_t n, bool *ok, size_t *left)
{
    struct skr_cur c = skr_cur_make(p, n);
    uint64_t v = skr_get_varint(&c);
    *ok = skr_cur_ok(&c);
    *left = skr_cur_left(&c);
    CHECK(c.p >= p && c.p <= p + n, "cursor moved outside its bytes");
    return v;
}

START_TEST(varint_overlong)
{
    bool ok;
    size_t left;
    /* 11 bytes: ten with the continuation bit, then 00. */
    uint8_t eleven[11];
    memset(eleven, 0x80, 10);
    eleven[10] = 0;
    decode_bytes(eleven, sizeof eleven, &ok, &left);
    CHECK(!ok, "an 11-byte varint was accepted");
    ck_assert_uint_eq(left, 0);
    /* Ten bytes whose last is above 1: the value needs 65+ bits. */
    uint8_t ten[10];
    memset(ten, 0xff, 9);
    for (unsigned last = 2; last < 0x80; last++) {
        ten[9] = (uint8_t)last;
        decode_bytes(ten, sizeof ten, &ok, &left);
        CHECK(!ok, "10th byte %#x accepted", last);
    }
    ten[9] = 0x81; /* continuation on the 10th byte */
    decode_bytes(ten, sizeof ten, &ok, &left);
    ck_assert(!ok);
    ten[9] = 1;
    ck_assert_uint_eq(decode_bytes(ten, sizeof ten, &ok, &left), UINT64_MAX);
    ck_assert(ok);
    /* Non-minimal forms within ten bytes are valid. */
    static const uint8_t zero_long[] = { 0x80, 0x80, 0x80, 0x00 };
    ck_assert_uint_eq(decode_bytes(zero_long, sizeof zero_long, &ok, &left), 0);
    ck_assert(ok);
    /* Cut short: the continuation bit with nothing after. */
    static const uint8_t cut[] = { 0xff, 0xff };
    ck_assert_uint_eq(decode_bytes(cut, sizeof cut, &ok, &left), 0);
    ck_assert(!ok);
    ck_assert_uint_eq(left, 0);
    decode_bytes(cut, 0, &ok, &left);
    ck_assert(!ok);
}
END_TEST

START_TEST(cursor_past_end)
{
    static const uint8_t d[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    for (size_t n = 0; n < 8; n++) {
        struct skr_cur c = skr_cur_make(d, n);
        skr_get_u64(&c);
        CHECK(!skr_cur_ok(&c), "u64 from %zu bytes", n);
        CHECK(c.p == c.end && c.end == d + n, "u64 from %zu bytes moved the cursor past its end", n);
    }
    struct skr_cur c = skr_cur_make(d, 3);
    ck_assert_uint_eq(skr_get_u16(&c), 0x0201);
    ck_assert_uint_eq(skr_get_u16(&c), 0);
    ck_assert(!skr_cur_ok(&c));
    ck_assert_ptr_eq(c.p, d + 3);
    /* Once bad, even a read that would fit fails. */
    ck_assert_uint_eq(skr_get_u8(&c), 0);
    ck_assert(!skr_cur_ok(&c));
    c = skr_cur_make(d, 5);
    ck_assert_uint_eq(skr_get_u32(&c), 0x04030201u);
    ck_assert_uint_eq(skr_get_u32(&c), 0);
    ck_assert_ptr_eq(c.p, d + 5);
    c = skr_cur_make(d, 16);
    ck_assert_uint_eq(skr_get_u64(&c), 0x0807060504030201ull);
    ck_assert_ptr_null(skr_get_raw(&c, 9));
    ck_assert(!skr_cur_ok(&c));
    ck_assert_ptr_eq(c.p, d + 16);
    c = skr_cur_make(d, 16);
    ck_assert_ptr_eq(skr_get_raw(&c, 16), d);
    ck_assert(skr_cur_ok(&c));
    ck_assert_ptr_null(skr_get_raw(&c, SIZE_MAX));
    ck_assert_ptr_eq(c.p, d + 16);
}
END_TEST

START_TEST(bytes_lengths)
{
    /* A length near 2^64 with a few bytes after it. */
    uint8_t d[32];
    struct skr_buf b = { 0 };
    static const uint64_t huge[] = { UINT64_MAX, UINT64_MAX - 3, 1ull << 63, (uint64_t)SIZE_MAX - 8,
                                     1ull << 32, 6 };
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        skr_buf_reset(&b);
        skr_put_varint(&b, huge[i]);
        skr_put_raw(&b, "abcde", 5);
        memcpy(d, b.data, b.len);
        struct skr_cur c = skr_cur_make(d, b.len);
        size_t len = 99;
        const uint8_t *p = skr_get_bytes(&c, &len);
        CHECK(p == NULL && len == 0 && !skr_cur_ok(&c), "length %llu accepted",
              (unsigned long long)huge[i]);
        ck_assert_ptr_eq(c.p, d + b.len);
    }
    /* Exactly fitting, and empty. */
    skr_buf_reset(&b);
    skr_put_bytes(&b, "abcde", 5);
    skr_put_bytes(&b, NULL, 0);
    struct skr_cur c = skr_cur_make(b.data, b.len);
    size_t len;
    const uint8_t *p = skr_get_bytes(&c, &len);
    ck_assert(p && len == 5 && memcmp(p, "abcde", 5) == 0);
    p = skr_get_bytes(&c, &len);
    ck_assert(p && len == 0 && skr_cur_ok(&c) && skr_cur_left(&c) == 0);
    skr_buf_free(&b);
}
END_TEST

START_TEST(record_fields)
{
    struct skr_buf b = { 0 };
    skr_put_field_u(&b, 1, 300);
    skr_put_field_s(&b, 2, -5);
    skr_put_field_str(&b, 3, "hello");
    skr_put_field_u(&b, 999999, 7);     /* unknown tags are just fields */
    skr_put_field_bytes(&b, UINT32_MAX, "x", 1);
    struct skr_cur c = skr_cur_make(b.data, b.len);
    struct skr_field f;
    ck_assert(skr_next_field(&c, &f) && f.tag == 1 && f.wire == 0 && f.u == 300);
    ck_assert(skr_next_field(&c, &f) && f.tag == 2 && f.wire == 1 && f.s == -5);
    ck_assert(skr_next_field(&c, &f) && f.tag == 3 && f.wire == 2 && f.len == 5 &&
              memcmp(f.ptr, "hello", 5) == 0);
    ck_assert(skr_next_field(&c, &f) && f.tag == 999999 && f.u == 7);
    ck_assert(skr_next_field(&c, &f) && f.tag == UINT32_MAX && f.len == 1);
    ck_assert(!skr_next_field(&c, &f) && skr_cur_ok(&c));
    /* Wire 3 is invalid, whatever the tag and what follows. */
    for (uint32_t tag = 0; tag < 40; tag++) {
        skr_buf_reset(&b);
        skr_put_field_u(&b, 1, 1);
        skr_put_varint(&b, (uint64_t)tag << 2 | 3);
        skr_put_varint(&b, 5);
        skr_put_field_u(&b, 2, 2);
        c = skr_cur_make(b.data, b.len);
        ck_assert(skr_next_field(&c, &f) && f.tag == 1);
        CHECK(!skr_next_field(&c, &f), "wire 3 with tag %u accepted", tag);
        ck_assert(!skr_cur_ok(&c));
        ck_assert(!skr_next_field(&c, &f));
    }
    /* A tag over 32 bits. */
    skr_buf_reset(&b);
    skr_put_varint(&b, ((uint64_t)UINT32_MAX + 1) << 2);
    skr_put_varint(&b, 1);
    c = skr_cur_make(b.data, b.len);
    ck_assert(!skr_next_field(&c, &f) && !skr_cur_ok(&c));
    /* A bytes field longer than the record. */
    skr_buf_reset(&b);
    skr_put_varint(&b, 3 << 2 | 2);
    skr_put_varint(&b, 10);
    skr_put_raw(&b, "abc", 3);
    c = skr_cur_make(b.data, b.len);
    ck_assert(!skr_next_field(&c, &f) && !skr_cur_ok(&c));
    skr_buf_free(&b);
}
END_TEST

START_TEST(crc_and_block_header)
{
    ck_assert_uint_eq(skr_crc32(0, "123456789", 9), 0xCBF43926u);
    ck_assert_uint_eq(skr_crc32(0x12345678u, NULL, 0), 0x12345678u);
    ck_assert_uint_eq(skr_crc32(skr_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);

    uint8_t fixed[SKR_BLOCK_HDR_LEN], meta[3] = { 1, 2, 3 };
    struct skr_block_hdr h = { .type = SKR_BLK_EVENTS, .codec = SKR_CODEC_ZSTD, .meta_len = 3,
                               .stored_len = 100, .raw_len = 400, .count = 9, .min_ts = 5,
                               .max_ts = 7, .first_evnum = 11, .payload_crc = 0xdeadbeef };
    skr_block_hdr_store(fixed, &h, meta);
    struct skr_block_hdr g;
    char err[160];
    ck_assert_int_eq(skr_block_hdr_parse(fixed, &g, err, sizeof err), 0);
    ck_assert(g.type == h.type && g.codec == h.codec && g.meta_len == 3 && g.stored_len == 100 &&
              g.raw_len == 400 && g.count == 9 && g.min_ts == 5 && g.max_ts == 7 &&
              g.first_evnum == 11 && g.payload_crc == 0xdeadbeef && g.header_crc == h.header_crc);
    ck_assert(skr_block_hdr_crc_ok(fixed, meta, 3));
    meta[1] ^= 1;
    ck_assert(!skr_block_hdr_crc_ok(fixed, meta, 3));

    /* §4.2 limits, each with a matching header_crc. */
    static const struct { uint16_t meta; uint32_t stored, raw; int codec; uint64_t mn, mx; const char *what; } bad[] = {
        { 8193, 10, 10, 0, 0, 0, "meta" },
        { 0xffff, 10, 10, 0, 0, 0, "meta" },
        { 0, 10, 0xffffffffu, 1, 0, 0, "raw length" },
        { 0, 10, SKR_MAX_RAW_LEN + 1, 1, 0, 0, "raw length" },
        { 0, 0xffffffffu, 100, 1, 0, 0, "stored length" },
        { 0, 100 + SKR_MAX_STORED_SLACK + 1, 100, 1, 0, 0, "stored length" },
        { 0, 11, 10, 0, 0, 0, "uncompressed" },
        { 0, 10, 10, 0, 9, 8, "time range" },
    };
    static uint8_t big_meta[0x10000];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct skr_block_hdr x = { .type = SKR_BLK_EVENTS, .codec = (uint8_t)bad[i].codec,
                                   .meta_len = bad[i].meta, .stored_len = bad[i].stored,
                                   .raw_len = bad[i].raw, .min_ts = bad[i].mn, .max_ts = bad[i].mx };
        skr_block_hdr_store(fixed, &x, big_meta);
        err[0] = 0;
        CHECK(skr_block_hdr_parse(fixed, &g, err, sizeof err) == -1, "case %zu accepted", i);
        CHECK(strstr(err, bad[i].what), "case %zu: reason \"%s\"", i, err);
    }
    /* The largest valid sizes pass. */
    struct skr_block_hdr x = { .type = SKR_BLK_EVENTS, .codec = 1, .meta_len = SKR_MAX_META_LEN,
                               .raw_len = SKR_MAX_RAW_LEN,
                               .stored_len = SKR_MAX_RAW_LEN + SKR_MAX_STORED_SLACK };
    skr_block_hdr_store(fixed, &x, big_meta);
    ck_assert_int_eq(skr_block_hdr_parse(fixed, &g, err, sizeof err), 0);
    fixed[3] ^= 0x40; /* the sync marker */
    ck_assert_int_eq(skr_block_hdr_parse(fixed, &g, err, sizeof err), -1);
}
END_TEST

static void esc_is(const char *in, size_t n, const char *want)
{
    struct skr_buf b = { 0 };
    skr_escape_append(&b, (const uint8_t *)in, n);
    CHECK(!b.oom && b.len == strlen(want) && memcmp(b.data, want, b.len) == 0,
          "escape: got \"%.*s\", want \"%s\"", (int)b.len, b.data ? (const char *)b.data : "", want);
    /* The output never holds a control byte, DEL or a C1 control. */
    for (size_t i = 0; i < b.len; i++)
        CHECK(b.data[i] >= 0x20 && b.data[i] != 0x7f, "raw control %#x in output", b.data[i]);
    skr_buf_free(&b);
}
#define ESC(lit, want) esc_is(lit, sizeof(lit) - 1, want)

START_TEST(escape_bytes)
{
    ESC("plain text 123 ~!", "plain text 123 ~!");
    ESC("", "");
    ESC("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m");
    ESC("\x1b]0;title\x07", "\\x1b]0;title\\x07");
    ESC("a\nb\tc\rd\0e", "a\\x0ab\\x09c\\x0dd\\x00e");
    ESC("\x7f", "\\x7f");
    ESC("back\\slash", "back\\\\slash");
    ESC("\\x41", "\\\\x41");       /* an escape can't be faked */
    /* Valid UTF-8 passes. */
    ESC("h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80 \xc2\xa0|", "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80 \xc2\xa0|");
    ESC("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");          /* U+10FFFF */
    ESC("\xe2\x80\x8b", "\xe2\x80\x8b");                  /* U+200B is shown */
    /* C1 controls: U+009B is a one-character CSI on some terminals. */
    ESC("\xc2\x9b" "31m", "\\xc2\\x9b31m");
    ESC("\xc2\x80\xc2\x9f", "\\xc2\\x80\\xc2\\x9f");
    ESC("\x9b", "\\x9b");
    /* Bidirectional overrides and isolates. */
    ESC("a\xe2\x80\xae" "b", "a\\xe2\\x80\\xaeb");
    ESC("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "\\xe2\\x80\\xaa\\xe2\\x80\\xab\\xe2\\x80\\xac\\xe2\\x80\\xad");
    ESC("\xe2\x81\xa6\xe2\x81\xa9", "\\xe2\\x81\\xa6\\xe2\\x81\\xa9");
    /* Invalid UTF-8 byte by byte. */
    ESC("\xff\xfe", "\\xff\\xfe");
    ESC("\xc3" "A", "\\xc3A");                            /* bad continuation */
    ESC("\xc0\xaf", "\\xc0\\xaf");                        /* overlong '/' */
    ESC("\xe0\x80\xaf", "\\xe0\\x80\\xaf");               /* overlong */
    ESC("\xed\xa0\x80", "\\xed\\xa0\\x80");               /* surrogate */
    ESC("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");      /* above U+10FFFF */
    ESC("ok\xe2\x82", "ok\\xe2\\x82");                    /* cut at the end */
    ESC("\x80", "\\x80");

    char out[8];
    ck_assert_str_eq(skr_escape_str("\x1b[2J", out, sizeof out), "\\x1b[2J");
    /* Cut: marked, and never inside an escape. */
    const char *cut = skr_escape_str("abcdefghij", out, sizeof out);
    size_t n = strlen(cut);
    CHECK(n < sizeof out && n >= 3 && strcmp(cut + n - 3, "...") == 0 &&
          strncmp(cut, "abcdefghij", n - 3) == 0, "cut as \"%s\"", cut);
    char big[16];
    cut = skr_escape_str("\x1b\x1b\x1b\x1b", big, sizeof big);
    n = strlen(cut);
    CHECK(n < sizeof big && strcmp(cut + n - 3, "...") == 0 && (n - 3) % 4 == 0 &&
          strncmp(cut, "\\x1b\\x1b\\x1b", n - 3) == 0, "cut as \"%s\"", cut);
    ck_assert_str_eq(skr_escape_str(NULL, out, sizeof out), "");
    out[0] = 'z';
    skr_escape_str("abc", out, 1);
    ck_assert_int_eq(out[0], 0);
}
END_TEST

START_TEST(escape_random)
{
    /* Whatever the bytes, the output holds no control byte and undoing
     * the \xNN and \\ escapes gives the input back. */
    struct rng r;
    rng_seed(&r, 99);
    uint8_t in[64];
    for (int round = 0; round < 3000; round++) {
        size_t n = rng_below(&r, sizeof in);
        for (size_t i = 0; i < n; i++)
            in[i] = rng_below(&r, 4) ? (uint8_t)rng_next(&r) : (uint8_t)"\x1b\\\xc2\x9b\xe2\x80\xae"[rng_below(&r, 7)];
        struct skr_buf b = { 0 };
        skr_escape_append(&b, in, n);
        uint8_t back[64];
        size_t k = 0;
        for (size_t i = 0; i < b.len; i++) {
            CHECK(b.data[i] >= 0x20 && b.data[i] != 0x7f, "round %d", round);
            if (b.data[i] == 0xc2)
                CHECK(i + 1 < b.len && b.data[i + 1] >= 0xa0, "round %d", round);
            CHECK(k < sizeof back, "round %d", round);
            if (b.data[i] != '\\') {
                back[k++] = b.data[i];
            } else if (i + 1 < b.len && b.data[i + 1] == '\\') {
                back[k++] = '\\';
                i++;
            } else {
                CHECK(i + 3 < b.len && b.data[i + 1] == 'x', "round %d", round);
                char hx[3] = { (char)b.data[i + 2], (char)b.data[i + 3], 0 };
                back[k++] = (uint8_t)strtoul(hx, NULL, 16);
                i += 3;
            }
        }
        CHECK(k == n && (n == 0 || memcmp(back, in, n) == 0), "round %d: not reversible", round);
        skr_buf_free(&b);
    }
}
END_TEST

START_TEST(buf_growth)
{
    struct skr_buf b = { 0 };
    for (int i = 0; i < 10000; i++)
        skr_put_u32(&b, (uint32_t)i);
    ck_assert(!b.oom && b.len == 40000);
    struct skr_cur c = skr_cur_make(b.data, b.len);
    for (int i = 0; i < 10000; i++)
        ck_assert_uint_eq(skr_get_u32(&c), (uint32_t)i);
    /* An impossible reservation marks the buffer, and later appends do nothing. */
    ck_assert(!skr_buf_reserve(&b, SIZE_MAX - 4));
    ck_assert(b.oom);
    skr_put_u8(&b, 1);
    ck_assert_uint_eq(b.len, 40000);
    skr_buf_free(&b);
    /* Allocation failure marks it too. */
    skr_alloc_fail_after(0);
    skr_put_u8(&b, 1);
    skr_alloc_fail_after(-1);
    ck_assert(b.oom && b.len == 0);
    skr_buf_free(&b);
}
END_TEST

Suite *codec_suite(void)
{
    Suite *s = suite_create("codec");
    TCase *tc = tcase_create("encodings");
    tcase_add_test(tc, varint_edges);
    tcase_add_test(tc, evdec_varint_lengths);
    tcase_add_test(tc, zigzag_edges);
    tcase_add_test(tc, varint_overlong);
    tcase_add_test(tc, cursor_past_end);
    tcase_add_test(tc, bytes_lengths);
    tcase_add_test(tc, record_fields);
    tcase_add_test(tc, crc_and_block_header);
    tcase_add_test(tc, buf_growth);
    suite_add_tcase(s, tc);
    tc = tcase_create("escape");
    tcase_add_test(tc, escape_bytes);
    tcase_add_test(tc, escape_random);
    suite_add_tcase(s, tc);
    return s;
}
