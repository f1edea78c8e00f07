/* block.h -- the fixed block header (man/saker-trace.5 §4): parse, check,
 * store, and decode a block's payload. */
#ifndef SAKER_BLOCK_H
#define SAKER_BLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include "codec.h"
#include "format.h"

struct skr_block_hdr {
    uint8_t type;
    uint8_t codec;
    uint16_t meta_len;
    uint32_t stored_len;
    uint32_t raw_len;
    uint32_t count;
    uint64_t min_ts;
    uint64_t max_ts;
    uint64_t first_evnum;
    uint32_t payload_crc;
    uint32_t header_crc;
};

/* Total bytes of a block on disk. */
static inline uint64_t skr_block_total(const struct skr_block_hdr *h)
{
    return (uint64_t)SKR_BLOCK_HDR_LEN + h->meta_len + h->stored_len;
}

/* Parses the 56 fixed bytes and checks the sync marker and the §4 limits.
 * Does not check header_crc (that needs the meta bytes). Returns 0, or -1
 * with the failed check in err. */
int skr_block_hdr_parse(const uint8_t *fixed, struct skr_block_hdr *h, char *err, size_t errlen);
/* True when header_crc matches the fixed bytes and the meta. */
bool skr_block_hdr_crc_ok(const uint8_t *fixed, const uint8_t *meta, size_t meta_len);
/* Writes the 56 fixed bytes of h, computing header_crc over them and meta. */
void skr_block_hdr_store(uint8_t *fixed, struct skr_block_hdr *h, const uint8_t *meta);
/* Checks payload_crc and decodes the stored payload into out (replacing its
 * contents). Returns 0, or -1 with the reason in err. */
struct ZSTD_DCtx_s;
int skr_block_decode(const struct skr_block_hdr *h, const uint8_t *stored,
                     struct ZSTD_DCtx_s *dctx, struct skr_buf *out,
                     char *err, size_t errlen);
const char *skr_block_type_name(int type);
/* Fills an index entry (reader.h) for the block h at offset, copying the
 * meta bytes as its type bitmap when it is an EVENTS block. Returns 0, or
 * -1 when out of memory (b->bitmap is then NULL). */
struct skr_block_info;
int skr_block_info_set(struct skr_block_info *b, const struct skr_block_hdr *h,
                       uint64_t offset, const uint8_t *meta);

#endif
