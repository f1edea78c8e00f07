/* codec.h -- checked reads from untrusted bytes (a cursor) and appends to a
 * growable buffer: the primitive encodings of man/saker-trace.5 §5.
 *
 * Every byte of a trace is read through a skr_cur: a position and an end.
 * A read that needs more bytes than remain fails and leaves the cursor
 * marked bad; parsers test skr_cur_ok() once after a group of reads instead
 * of after each one. No parser does pointer arithmetic on file bytes. */
#ifndef SAKER_CODEC_H
#define SAKER_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct skr_cur {
    const uint8_t *p;
    const uint8_t *end;
    bool bad;
};

static inline struct skr_cur skr_cur_make(const void *data, size_t len)
{
    /* NULL with len 0 is an empty cursor (no arithmetic on NULL). */
    struct skr_cur c = { data, data ? (const uint8_t *)data + len : NULL, false };
    return c;
}
static inline size_t skr_cur_left(const struct skr_cur *c) { return (size_t)(c->end - c->p); }
static inline bool skr_cur_ok(const struct skr_cur *c) { return !c->bad; }

uint8_t skr_get_u8(struct skr_cur *c);
uint16_t skr_get_u16(struct skr_cur *c);
uint32_t skr_get_u32(struct skr_cur *c);
uint64_t skr_get_u64(struct skr_cur *c);
uint64_t skr_get_varint(struct skr_cur *c);
int64_t skr_get_zigzag(struct skr_cur *c);
/* A varint length then that many bytes; *out points into the cursor's data. */
const uint8_t *skr_get_bytes(struct skr_cur *c, size_t *len);
/* n raw bytes. */
const uint8_t *skr_get_raw(struct skr_cur *c, size_t n);

/* §5 record fields: reads one key; returns false at the end of the record
 * or on a bad key. The value is left for skr_field_value(). */
struct skr_field {
    uint32_t tag;
    int wire;
    uint64_t u;          /* wire 0 */
    int64_t s;           /* wire 1 */
    const uint8_t *ptr;  /* wire 2 */
    size_t len;
};
/* Reads the next whole field; returns false at the end or on bad input
 * (then skr_cur_ok() is false). */
bool skr_next_field(struct skr_cur *c, struct skr_field *f);

/* A growable output buffer. Allocation failure sets oom and later appends
 * do nothing, so a writer checks once at the end. */
struct skr_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    bool oom;
};

void skr_buf_free(struct skr_buf *b);
void skr_buf_reset(struct skr_buf *b);
bool skr_buf_reserve(struct skr_buf *b, size_t extra);
void skr_put_raw(struct skr_buf *b, const void *p, size_t n);
void skr_put_u8(struct skr_buf *b, uint8_t v);
void skr_put_u16(struct skr_buf *b, uint16_t v);
void skr_put_u32(struct skr_buf *b, uint32_t v);
void skr_put_u64(struct skr_buf *b, uint64_t v);
void skr_put_varint(struct skr_buf *b, uint64_t v);
void skr_put_zigzag(struct skr_buf *b, int64_t v);
void skr_put_bytes(struct skr_buf *b, const void *p, size_t n);
/* Record fields (§5). */
void skr_put_field_u(struct skr_buf *b, uint32_t tag, uint64_t v);
void skr_put_field_s(struct skr_buf *b, uint32_t tag, int64_t v);
void skr_put_field_bytes(struct skr_buf *b, uint32_t tag, const void *p, size_t n);
void skr_put_field_str(struct skr_buf *b, uint32_t tag, const char *s);

static inline uint64_t skr_zigzag_encode(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}
static inline int64_t skr_zigzag_decode(uint64_t u)
{
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* Little-endian stores into fixed-size headers. */
void skr_store_u16(uint8_t *p, uint16_t v);
void skr_store_u32(uint8_t *p, uint32_t v);
void skr_store_u64(uint8_t *p, uint64_t v);

/* CRC-32 (zlib's) of n bytes, continuing from crc (start with 0). */
uint32_t skr_crc32(uint32_t crc, const void *p, size_t n);

/* Allocation through one wrapper so tests can make it fail (STYLE rule 15):
 * skr_alloc_fail_after(n) makes the (n+1)th allocation from now fail;
 * a negative n turns failure injection off. */
void *skr_malloc(size_t n);
void *skr_realloc(void *p, size_t n);
void skr_alloc_fail_after(long n);

#endif
