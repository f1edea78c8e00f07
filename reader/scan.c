/* scan.c -- rebuilding the block list of a file whose footer index is
 * missing or damaged, by walking block headers from the first data block
 * (man/saker-trace.5 §12). A bad header is reported and the walk resumes
 * at the next sync marker whose header checksum holds.
 *
 * Only headers (and meta) are read here; payloads are checked when read,
 * so rebuilding a multi-GB index costs one small read per block. */
#include "reader_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESYNC_CHUNK (1u << 20)

/* Reads the header and meta at off. Returns 0 with b filled, -1 bad header
 * (reason in why), -2 cut short by the end of data (reason in why), -3 I/O. */
static int probe_block(struct skr_reader *r, uint64_t off, struct skr_block_info *b,
                       struct skr_block_hdr *h, char *why, size_t whylen)
{
    uint8_t buf[SKR_BLOCK_HDR_LEN + SKR_MAX_META_LEN];
    memset(b, 0, sizeof *b);
    memset(h, 0, sizeof *h);
    uint64_t avail = r->data_end - off;
    long k = skr_src_read(r, off, buf, SKR_BLOCK_HDR_LEN);
    if (k < 0)
        return -3;
    if ((uint64_t)k > avail)
        k = (long)avail;
    if (k < SKR_BLOCK_HDR_LEN) {
        /* A cut inside a header still begins with (part of) the sync
         * marker; anything else there is not the start of a block. */
        size_t m = (size_t)k < SKR_SYNC_LEN ? (size_t)k : SKR_SYNC_LEN;
        if (memcmp(buf, SKR_SYNC, m) != 0) {
            snprintf(why, whylen, "%ld bytes at the end are not a block", k);
            return -1;
        }
        snprintf(why, whylen, "truncated: %ld bytes left, a block header needs %d", k, SKR_BLOCK_HDR_LEN);
        return -2;
    }
    if (skr_block_hdr_parse(buf, h, why, whylen) < 0)
        return -1;
    if (h->meta_len && skr_src_read(r, off + SKR_BLOCK_HDR_LEN, buf + SKR_BLOCK_HDR_LEN,
                                    h->meta_len) != (long)h->meta_len) {
        snprintf(why, whylen, "truncated inside the block header");
        return -2;
    }
    if (!skr_block_hdr_crc_ok(buf, buf + SKR_BLOCK_HDR_LEN, h->meta_len)) {
        snprintf(why, whylen, "block header checksum mismatch");
        return -1;
    }
    if (skr_block_total(h) > avail) {
        snprintf(why, whylen, "truncated: block needs %llu bytes, %llu left",
                 (unsigned long long)skr_block_total(h), (unsigned long long)avail);
        return -2;
    }
    if (h->type == SKR_BLK_EVENTS && h->meta_len > SKR_MAX_EVENT_TYPES / 8) {
        snprintf(why, whylen, "type bitmap of %u bytes over the limit", h->meta_len);
        return -1;
    }
    if (skr_block_info_set(b, h, off, buf + SKR_BLOCK_HDR_LEN) < 0) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    return 0;
}

/* Finds the next offset > from where a valid block header starts; returns
 * data_end when there is none. */
static uint64_t resync(struct skr_reader *r, uint64_t from)
{
    uint8_t *chunk = skr_malloc(RESYNC_CHUNK);
    if (!chunk)
        return r->data_end;
    uint64_t pos = from + 1;
    uint64_t found = r->data_end;
    while (pos + SKR_SYNC_LEN <= r->data_end && found == r->data_end) {
        size_t want = RESYNC_CHUNK;
        if (want > r->data_end - pos)
            want = (size_t)(r->data_end - pos);
        long k = skr_src_read(r, pos, chunk, want);
        if (k < SKR_SYNC_LEN)
            break;
        for (long i = 0; i + SKR_SYNC_LEN <= k; i++) {
            const uint8_t *m = memchr(chunk + i, SKR_SYNC[0], (size_t)(k - i));
            if (!m)
                break;
            i = m - chunk;
            if (i + SKR_SYNC_LEN > k)
                break;
            if (memcmp(m, SKR_SYNC, SKR_SYNC_LEN) != 0)
                continue;
            struct skr_block_info b;
            struct skr_block_hdr h;
            char why[160];
            int rc = probe_block(r, pos + (uint64_t)i, &b, &h, why, sizeof why);
            free(b.bitmap);
            /* A header cut short by the end still marks where data resumes. */
            if (rc == 0 || rc == -2) {
                found = pos + (uint64_t)i;
                break;
            }
        }
        /* Overlap by the marker length so a marker across chunks is found. */
        pos += (uint64_t)k - (SKR_SYNC_LEN - 1);
    }
    free(chunk);
    return found;
}

int skr_scan_blocks(struct skr_reader *r, char *err, size_t errlen)
{
    uint64_t off = r->data_start;
    uint64_t next_evnum = r->hdr.first_evnum;
    while (off < r->data_end) {
        struct skr_block_info b;
        struct skr_block_hdr h;
        char why[160];
        long block_no = (long)r->nblocks + 1;
        int rc = probe_block(r, off, &b, &h, why, sizeof why);
        if (rc == -3) {
            snprintf(err, errlen, "%s: read at offset %llu: %s", r->path,
                     (unsigned long long)off, strerror(errno));
            return -1;
        }
        if (rc == -2) {
            /* With the header whole the block's count is known; cut inside
             * the header, it is not. */
            bool known = strstr(why, "block needs") != NULL;
            uint64_t lost = known && h.type == SKR_BLK_EVENTS ? h.count : 0;
            free(b.bitmap);
            if (known)
                skr_add_damage(r, SKR_DAMAGE_TRUNCATED, off, block_no, lost,
                               "block %ld at offset %llu: %s; %llu events lost", block_no,
                               (unsigned long long)off, why, (unsigned long long)lost);
            else
                skr_add_damage(r, SKR_DAMAGE_TRUNCATED, off, block_no, 0,
                               "block %ld at offset %llu: %s; an unknown number of events lost",
                               block_no, (unsigned long long)off, why);
            break;
        }
        if (rc == -1) {
            uint64_t next = resync(r, off);
            /* §12.3: the events lost are the first number of the next
             * readable EVENTS block (CHECKPOINT and STATS blocks may come
             * before it) minus the number expected next. */
            bool known = false;
            uint64_t lost = 0;
            for (uint64_t at = next; at < r->data_end && !known;) {
                struct skr_block_info nb;
                struct skr_block_hdr nh;
                char nwhy[160];
                int nrc = probe_block(r, at, &nb, &nh, nwhy, sizeof nwhy);
                free(nb.bitmap);
                if (nrc != 0)
                    break;
                if (nb.type == SKR_BLK_EVENTS) {
                    known = true;
                    lost = nb.first_evnum > next_evnum ? nb.first_evnum - next_evnum : 0;
                }
                at += nb.length;
            }
            char lost_s[40];
            if (known)
                snprintf(lost_s, sizeof lost_s, "%llu", (unsigned long long)lost);
            else
                snprintf(lost_s, sizeof lost_s, "an unknown number of");
            skr_add_damage(r, SKR_DAMAGE_CORRUPT, off, block_no, lost,
                           "block %ld at offset %llu: %s; %llu bytes skipped to %s, %s events lost",
                           block_no, (unsigned long long)off, why,
                           (unsigned long long)(next - off),
                           next < r->data_end ? "the next block" : "the end", lost_s);
            off = next;
            continue;
        }
        off += b.length;
        if (b.type == SKR_BLK_INDEX || b.type == SKR_BLK_HEADER) {
            free(b.bitmap);
            continue; /* a stale index or a second header carries no data */
        }
        if (b.type == SKR_BLK_EVENTS) {
            if (b.first_evnum < next_evnum) {
                skr_add_damage(r, SKR_DAMAGE_CORRUPT, b.offset, block_no, 0,
                               "block %ld at offset %llu: event number %llu goes back; block skipped",
                               block_no, (unsigned long long)b.offset,
                               (unsigned long long)b.first_evnum);
                free(b.bitmap);
                continue;
            }
            next_evnum = b.first_evnum + b.count;
        }
        if (skr_add_block(r, &b) < 0) {
            free(b.bitmap);
            snprintf(err, errlen, "%s: out of memory rebuilding the index", r->path);
            return -1;
        }
    }
    return 0;
}
