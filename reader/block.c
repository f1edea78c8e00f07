/* block.c -- the fixed block header and payload decoding
 * (man/saker-trace.5 §4). */
#include "block.h"

#include <stdlib.h>

#include <stdio.h>
#include <string.h>
#include <zstd.h>

#include "reader.h"

const char *skr_block_type_name(int type)
{
    switch (type) {
    case SKR_BLK_HEADER: return "header";
    case SKR_BLK_EVENTS: return "events";
    case SKR_BLK_CHECKPOINT: return "checkpoint";
    case SKR_BLK_STATS: return "stats";
    case SKR_BLK_INDEX: return "index";
    default: return "unknown";
    }
}

int skr_block_hdr_parse(const uint8_t *fixed, struct skr_block_hdr *h, char *err, size_t errlen)
{
    struct skr_cur c = skr_cur_make(fixed, SKR_BLOCK_HDR_LEN);
    const uint8_t *sync = skr_get_raw(&c, SKR_SYNC_LEN);
    h->type = skr_get_u8(&c);
    h->codec = skr_get_u8(&c);
    h->meta_len = skr_get_u16(&c);
    h->stored_len = skr_get_u32(&c);
    h->raw_len = skr_get_u32(&c);
    h->count = skr_get_u32(&c);
    h->min_ts = skr_get_u64(&c);
    h->max_ts = skr_get_u64(&c);
    h->first_evnum = skr_get_u64(&c);
    h->payload_crc = skr_get_u32(&c);
    h->header_crc = skr_get_u32(&c);
    if (!sync || memcmp(sync, SKR_SYNC, SKR_SYNC_LEN) != 0) {
        snprintf(err, errlen, "no block sync marker");
        return -1;
    }
    if (h->meta_len > SKR_MAX_META_LEN) {
        snprintf(err, errlen, "meta length %u over the limit %u", h->meta_len, SKR_MAX_META_LEN);
        return -1;
    }
    if (h->raw_len > SKR_MAX_RAW_LEN) {
        snprintf(err, errlen, "raw length %u over the limit %u", h->raw_len, SKR_MAX_RAW_LEN);
        return -1;
    }
    if (h->stored_len > (uint64_t)h->raw_len + SKR_MAX_STORED_SLACK) {
        snprintf(err, errlen, "stored length %u larger than raw length %u allows",
                 h->stored_len, h->raw_len);
        return -1;
    }
    if (h->codec == SKR_CODEC_NONE && h->stored_len != h->raw_len) {
        snprintf(err, errlen, "uncompressed block with stored length %u != raw length %u",
                 h->stored_len, h->raw_len);
        return -1;
    }
    if (h->min_ts > h->max_ts) {
        snprintf(err, errlen, "time range reversed");
        return -1;
    }
    return 0;
}

bool skr_block_hdr_crc_ok(const uint8_t *fixed, const uint8_t *meta, size_t meta_len)
{
    uint32_t crc = skr_crc32(0, fixed, 52);
    crc = skr_crc32(crc, meta, meta_len);
    struct skr_cur c = skr_cur_make(fixed + 52, 4);
    return skr_get_u32(&c) == crc;
}

void skr_block_hdr_store(uint8_t *fixed, struct skr_block_hdr *h, const uint8_t *meta)
{
    memcpy(fixed, SKR_SYNC, SKR_SYNC_LEN);
    fixed[8] = h->type;
    fixed[9] = h->codec;
    skr_store_u16(fixed + 10, h->meta_len);
    skr_store_u32(fixed + 12, h->stored_len);
    skr_store_u32(fixed + 16, h->raw_len);
    skr_store_u32(fixed + 20, h->count);
    skr_store_u64(fixed + 24, h->min_ts);
    skr_store_u64(fixed + 32, h->max_ts);
    skr_store_u64(fixed + 40, h->first_evnum);
    skr_store_u32(fixed + 48, h->payload_crc);
    h->header_crc = skr_crc32(skr_crc32(0, fixed, 52), meta, h->meta_len);
    skr_store_u32(fixed + 52, h->header_crc);
}

int skr_block_decode(const struct skr_block_hdr *h, const uint8_t *stored,
                     struct ZSTD_DCtx_s *dctx, struct skr_buf *out,
                     char *err, size_t errlen)
{
    if (skr_crc32(0, stored, h->stored_len) != h->payload_crc) {
        snprintf(err, errlen, "payload checksum mismatch");
        return -1;
    }
    skr_buf_reset(out);
    if (!skr_buf_reserve(out, h->raw_len)) {
        out->oom = false; /* the buffer stays usable for the next block */
        snprintf(err, errlen, "out of memory for %u bytes", h->raw_len);
        return -1;
    }
    switch (h->codec) {
    case SKR_CODEC_NONE:
        if (h->raw_len) /* an empty payload leaves out->data NULL */
            memcpy(out->data, stored, h->raw_len);
        break;
    case SKR_CODEC_ZSTD: {
        /* §4.4: exactly one frame and nothing else; the decompressor would
         * also take a second frame, a skippable one or trailing bytes. */
        size_t fsize = ZSTD_findFrameCompressedSize(stored, h->stored_len);
        if (ZSTD_isError(fsize) || fsize != h->stored_len) {
            snprintf(err, errlen, "zstd payload is not exactly one frame");
            return -1;
        }
        /* The frame must decode to exactly raw_len bytes: the output buffer
         * is raw_len long, so a longer frame fails here instead of growing. */
        size_t n = ZSTD_decompressDCtx(dctx, out->data, h->raw_len, stored, h->stored_len);
        if (ZSTD_isError(n)) {
            snprintf(err, errlen, "zstd: %s", ZSTD_getErrorName(n));
            return -1;
        }
        if (n != h->raw_len) {
            snprintf(err, errlen, "decoded %zu bytes, header says %u", n, h->raw_len);
            return -1;
        }
        break;
    }
    default:
        snprintf(err, errlen, "unknown codec %u", h->codec);
        return -1;
    }
    out->len = h->raw_len;
    return 0;
}

int skr_block_info_set(struct skr_block_info *b, const struct skr_block_hdr *h,
                       uint64_t offset, const uint8_t *meta)
{
    memset(b, 0, sizeof *b);
    b->offset = offset;
    b->length = (uint32_t)skr_block_total(h);
    b->type = h->type;
    b->codec = h->codec;
    b->count = h->count;
    b->stored_len = h->stored_len;
    b->raw_len = h->raw_len;
    b->min_ts = h->min_ts;
    b->max_ts = h->max_ts;
    b->first_evnum = h->first_evnum;
    if (h->type != SKR_BLK_EVENTS || !h->meta_len)
        return 0;
    if (!(b->bitmap = skr_malloc(h->meta_len)))
        return -1;
    memcpy(b->bitmap, meta, h->meta_len);
    b->bitmap_len = h->meta_len;
    return 0;
}
