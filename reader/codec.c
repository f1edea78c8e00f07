/* codec.c -- checked little-endian/varint reads over a cursor, appends to a
 * growable buffer, CRC-32 and the allocation wrapper (man/saker-trace.5 §5).
 *
 * Reads compare the bytes remaining with the bytes needed and never add a
 * length read from a file to a pointer before that comparison. */
#include "codec.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static long alloc_fail_countdown = -1;

void skr_alloc_fail_after(long n) { alloc_fail_countdown = n; }

static bool alloc_should_fail(void)
{
    if (alloc_fail_countdown < 0)
        return false;
    if (alloc_fail_countdown == 0)
        return true;
    alloc_fail_countdown--;
    return false;
}

void *skr_malloc(size_t n)
{
    if (alloc_should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *skr_realloc(void *p, size_t n)
{
    if (alloc_should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

static const uint8_t *take(struct skr_cur *c, size_t n)
{
    if (c->bad || skr_cur_left(c) < n) {
        c->bad = true;
        c->p = c->end;
        return NULL;
    }
    const uint8_t *p = c->p;
    c->p += n;
    return p;
}

uint8_t skr_get_u8(struct skr_cur *c)
{
    const uint8_t *p = take(c, 1);
    return p ? p[0] : 0;
}

uint16_t skr_get_u16(struct skr_cur *c)
{
    const uint8_t *p = take(c, 2);
    return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

uint32_t skr_get_u32(struct skr_cur *c)
{
    const uint8_t *p = take(c, 4);
    if (!p)
        return 0;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t skr_get_u64(struct skr_cur *c)
{
    uint64_t lo = skr_get_u32(c);
    uint64_t hi = skr_get_u32(c);
    return lo | hi << 32;
}

uint64_t skr_get_varint(struct skr_cur *c)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (c->bad || c->p >= c->end)
            break;
        uint8_t byte = *c->p++;
        /* The tenth byte may only carry the top bit of a 64-bit value. */
        if (shift == 63 && byte > 1)
            break;
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return v;
    }
    c->bad = true;
    c->p = c->end;
    return 0;
}

int64_t skr_get_zigzag(struct skr_cur *c)
{
    return skr_zigzag_decode(skr_get_varint(c));
}

const uint8_t *skr_get_raw(struct skr_cur *c, size_t n) { return take(c, n); }

const uint8_t *skr_get_bytes(struct skr_cur *c, size_t *len)
{
    uint64_t n = skr_get_varint(c);
    *len = 0;
    if (c->bad)
        return NULL;
    if (n > skr_cur_left(c)) {
        c->bad = true;
        c->p = c->end;
        return NULL;
    }
    *len = (size_t)n;
    return take(c, (size_t)n);
}

bool skr_next_field(struct skr_cur *c, struct skr_field *f)
{
    if (c->bad || c->p >= c->end)
        return false;
    uint64_t key = skr_get_varint(c);
    if (c->bad || (key >> 2) > UINT32_MAX)
        goto bad;
    f->tag = (uint32_t)(key >> 2);
    f->wire = (int)(key & 3);
    f->u = 0;
    f->s = 0;
    f->ptr = NULL;
    f->len = 0;
    switch (f->wire) {
    case 0:
        f->u = skr_get_varint(c);
        break;
    case 1:
        f->s = skr_get_zigzag(c);
        f->u = (uint64_t)f->s;
        break;
    case 2:
        f->ptr = skr_get_bytes(c, &f->len);
        break;
    default:
        goto bad;
    }
    return !c->bad;
bad:
    c->bad = true;
    c->p = c->end;
    return false;
}

void skr_buf_free(struct skr_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void skr_buf_reset(struct skr_buf *b) { b->len = 0; }

bool skr_buf_reserve(struct skr_buf *b, size_t extra)
{
    if (b->oom)
        return false;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->oom = true;
        return false;
    }
    if (b->len + extra <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra)
        cap *= 2;
    uint8_t *d = skr_realloc(b->data, cap);
    if (!d) {
        b->oom = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

void skr_put_raw(struct skr_buf *b, const void *p, size_t n)
{
    if (!n || !skr_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void skr_put_u8(struct skr_buf *b, uint8_t v) { skr_put_raw(b, &v, 1); }

void skr_store_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void skr_store_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void skr_store_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void skr_put_u16(struct skr_buf *b, uint16_t v)
{
    uint8_t t[2];
    skr_store_u16(t, v);
    skr_put_raw(b, t, 2);
}

void skr_put_u32(struct skr_buf *b, uint32_t v)
{
    uint8_t t[4];
    skr_store_u32(t, v);
    skr_put_raw(b, t, 4);
}

void skr_put_u64(struct skr_buf *b, uint64_t v)
{
    uint8_t t[8];
    skr_store_u64(t, v);
    skr_put_raw(b, t, 8);
}

void skr_put_varint(struct skr_buf *b, uint64_t v)
{
    if (!skr_buf_reserve(b, 10))
        return;
    uint8_t *p = b->data + b->len;
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    b->len = (size_t)(p - b->data);
}

void skr_put_zigzag(struct skr_buf *b, int64_t v) { skr_put_varint(b, skr_zigzag_encode(v)); }

void skr_put_bytes(struct skr_buf *b, const void *p, size_t n)
{
    skr_put_varint(b, n);
    skr_put_raw(b, p, n);
}

void skr_put_field_u(struct skr_buf *b, uint32_t tag, uint64_t v)
{
    skr_put_varint(b, (uint64_t)tag << 2 | 0);
    skr_put_varint(b, v);
}

void skr_put_field_s(struct skr_buf *b, uint32_t tag, int64_t v)
{
    skr_put_varint(b, (uint64_t)tag << 2 | 1);
    skr_put_zigzag(b, v);
}

void skr_put_field_bytes(struct skr_buf *b, uint32_t tag, const void *p, size_t n)
{
    skr_put_varint(b, (uint64_t)tag << 2 | 2);
    skr_put_bytes(b, p, n);
}

void skr_put_field_str(struct skr_buf *b, uint32_t tag, const char *s)
{
    skr_put_field_bytes(b, tag, s, s ? strlen(s) : 0);
}

uint32_t skr_crc32(uint32_t crc, const void *p, size_t n)
{
    /* zlib returns its initial value for a NULL buffer, whatever crc was
     * passed in; an empty input must leave crc unchanged. */
    if (n == 0)
        return crc;
    return (uint32_t)crc32_z(crc, p, n);
}
