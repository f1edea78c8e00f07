/* reader.c -- opening a trace: preamble, header block, trailer and footer
 * index (man/saker-trace.5 §3, §4, §6, §10, §11, §12), damage reports and
 * the reader's accessors. Scanning lives in scan.c, iteration in iter.c. */
#include "reader_int.h"
#include "scap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

long skr_src_read(const struct skr_reader *r, uint64_t off, void *buf, size_t n)
{
    if (off >= r->size)
        return 0;
    if (n > r->size - off)
        n = (size_t)(r->size - off);
    if (r->mem) {
        memcpy(buf, r->mem + off, n);
        return (long)n;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(r->fd, (char *)buf + got, n - got, (off_t)(off + got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        if (k == 0)
            break;
        got += (size_t)k;
    }
    return (long)got;
}

void skr_add_damage(struct skr_reader *r, int kind, uint64_t offset, long block_no,
                    uint64_t lost, const char *fmt, ...)
{
    if (r->ndamage == r->capdamage) {
        size_t cap = r->capdamage ? r->capdamage * 2 : 8;
        struct skr_damage *d = skr_realloc(r->damage, cap * sizeof *d);
        if (!d)
            return; /* the report is lost, the read goes on */
        r->damage = d;
        r->capdamage = cap;
    }
    struct skr_damage *d = &r->damage[r->ndamage++];
    d->kind = kind;
    d->offset = offset;
    d->block_no = block_no;
    d->events_lost = lost;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->what, sizeof d->what, fmt, ap);
    va_end(ap);
    if (r->damage_fn)
        r->damage_fn(r->damage_ctx, r->path, d);
}

int skr_add_block(struct skr_reader *r, const struct skr_block_info *b)
{
    if (r->nblocks == r->capblocks) {
        size_t cap = r->capblocks ? r->capblocks * 2 : 64;
        struct skr_block_info *n = skr_realloc(r->blocks, cap * sizeof *n);
        if (!n)
            return -1;
        r->blocks = n;
        r->capblocks = cap;
    }
    r->blocks[r->nblocks++] = *b;
    return 0;
}

static char *dup_bytes(const uint8_t *p, size_t n)
{
    char *s = skr_malloc(n + 1);
    if (!s)
        return NULL;
    if (n)
        memcpy(s, p, n);
    s[n] = 0;
    return s;
}

static int push_str(char ***arr, size_t *n, const uint8_t *p, size_t len)
{
    char **a = skr_realloc(*arr, (*n + 1) * sizeof *a);
    if (!a)
        return -1;
    *arr = a;
    if (!(a[*n] = dup_bytes(p, len)))
        return -1;
    (*n)++;
    return 0;
}

/* §6: the header record. Strings keep their bytes as written; output code
 * escapes them. */
static int parse_header(struct skr_reader *r, const uint8_t *p, size_t n, char *err, size_t errlen)
{
    struct skr_header_info *h = &r->hdr;
    struct skr_cur c = skr_cur_make(p, n);
    struct skr_field f;
    h->first_evnum = 1;
    while (skr_next_field(&c, &f)) {
        char **str = NULL;
        int rc = 0;
        switch (f.tag) {
        case SKR_HDR_CREATED_NS: h->created_ns = f.u; break;
        case SKR_HDR_BOOT_NS: h->boot_ns = f.u; break;
        case SKR_HDR_NCPUS: h->ncpus = f.u > UINT32_MAX ? UINT32_MAX : (uint32_t)f.u; break;
        case SKR_HDR_SNAPLEN: h->snaplen = f.u > UINT32_MAX ? UINT32_MAX : (uint32_t)f.u; break;
        case SKR_HDR_BLOCK_SIZE: h->block_size = f.u > UINT32_MAX ? UINT32_MAX : (uint32_t)f.u; break;
        case SKR_HDR_ZSTD_LEVEL: h->zstd_level = (int)f.s; break;
        case SKR_HDR_FIRST_EVNUM: h->first_evnum = f.u; break;
        case SKR_HDR_FILE_SEQ: h->file_seq = f.u; break;
        case SKR_HDR_HOSTNAME: str = &h->hostname; break;
        case SKR_HDR_KERNEL_RELEASE: str = &h->kernel_release; break;
        case SKR_HDR_KERNEL_VERSION: str = &h->kernel_version; break;
        case SKR_HDR_ARCH: str = &h->arch; break;
        case SKR_HDR_RECORDER: str = &h->recorder; break;
        case SKR_HDR_RECORDER_VERSION: str = &h->recorder_version; break;
        case SKR_HDR_FILTER: str = &h->filter; break;
        case SKR_HDR_SOURCE_FORMAT: str = &h->source_format; break;
        case SKR_HDR_CMDLINE_ARG:
            if (f.wire == SKR_WIRE_BYTES)
                rc = push_str(&h->cmdline, &h->ncmdline, f.ptr, f.len);
            break;
        case SKR_HDR_OPTION:
            if (f.wire == SKR_WIRE_BYTES)
                rc = push_str(&h->options, &h->noptions, f.ptr, f.len);
            break;
        case SKR_HDR_SCHEMA_EVENT:
            if (f.wire == SKR_WIRE_BYTES) {
                char why[160];
                if (skr_schema_add_encoded(&r->schema, f.ptr, f.len, why, sizeof why) < 0) {
                    snprintf(err, errlen, "schema: %s", why);
                    return -1;
                }
            }
            break;
        default:
            break; /* §15: unknown tags are skipped */
        }
        if (str && f.wire == SKR_WIRE_BYTES && !*str && !(*str = dup_bytes(f.ptr, f.len)))
            rc = -1;
        if (rc < 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    if (!skr_cur_ok(&c)) {
        snprintf(err, errlen, "malformed header record");
        return -1;
    }
    r->schema.owned = true;
    return 0;
}

/* Reads the whole block at off into io and checks its header; the header
 * is returned in h. Returns 0, -1 corrupt, -2 truncated (reason in err). */
static int read_whole_block(struct skr_reader *r, uint64_t off, struct skr_block_hdr *h,
                            struct skr_buf *io, char *err, size_t errlen)
{
    uint8_t fixed[SKR_BLOCK_HDR_LEN];
    long k = skr_src_read(r, off, fixed, sizeof fixed);
    if (k < 0) {
        snprintf(err, errlen, "read: %s", strerror(errno));
        return -1;
    }
    if ((size_t)k < sizeof fixed) {
        snprintf(err, errlen, "truncated: block header needs %d bytes, %ld left",
                 SKR_BLOCK_HDR_LEN, k);
        return -2;
    }
    if (skr_block_hdr_parse(fixed, h, err, errlen) < 0)
        return -1;
    uint64_t total = skr_block_total(h);
    if (total > r->size - off) {
        snprintf(err, errlen, "truncated: block needs %llu bytes, %llu left",
                 (unsigned long long)total, (unsigned long long)(r->size - off));
        return -2;
    }
    skr_buf_reset(io);
    if (!skr_buf_reserve(io, (size_t)total)) {
        io->oom = false;
        snprintf(err, errlen, "out of memory for %llu bytes", (unsigned long long)total);
        return -1;
    }
    k = skr_src_read(r, off, io->data, (size_t)total);
    if (k < 0 || (uint64_t)k != total) {
        snprintf(err, errlen, "read: %s", k < 0 ? strerror(errno) : "short read");
        return -1;
    }
    io->len = (size_t)total;
    if (!skr_block_hdr_crc_ok(io->data, io->data + SKR_BLOCK_HDR_LEN, h->meta_len)) {
        snprintf(err, errlen, "block header checksum mismatch");
        return -1;
    }
    return 0;
}

static int read_header_block(struct skr_reader *r, char *err, size_t errlen)
{
    struct skr_block_hdr h;
    struct skr_buf io = { 0 }, raw = { 0 };
    char why[160];
    int rc = read_whole_block(r, SKR_PREAMBLE_LEN, &h, &io, why, sizeof why);
    if (rc == 0 && h.type != SKR_BLK_HEADER) {
        snprintf(why, sizeof why, "first block is of type %u, not a header", h.type);
        rc = -1;
    }
    if (rc == 0)
        rc = skr_block_decode(&h, io.data + SKR_BLOCK_HDR_LEN + h.meta_len, r->dctx, &raw,
                              why, sizeof why);
    if (rc == 0)
        rc = parse_header(r, raw.data, raw.len, why, sizeof why);
    if (rc < 0)
        snprintf(err, errlen, "%s: header block at offset %d: %s", r->path, SKR_PREAMBLE_LEN, why);
    else
        r->data_start = SKR_PREAMBLE_LEN + skr_block_total(&h);
    skr_buf_free(&io);
    skr_buf_free(&raw);
    return rc < 0 ? -1 : 0;
}

static int parse_index_entry(struct skr_block_info *b, const uint8_t *p, size_t n)
{
    struct skr_cur c = skr_cur_make(p, n);
    struct skr_field f;
    memset(b, 0, sizeof *b);
    unsigned seen = 0;
    while (skr_next_field(&c, &f)) {
        if (f.tag < 32)
            seen |= 1u << f.tag;
        switch (f.tag) {
        case SKR_IXB_OFFSET: b->offset = f.u; break;
        case SKR_IXB_TYPE: b->type = f.u > 255 ? 0 : (uint8_t)f.u; break;
        case SKR_IXB_MIN_TS: b->min_ts = f.u; break;
        case SKR_IXB_MAX_TS: b->max_ts = f.u; break;
        case SKR_IXB_FIRST_EVNUM: b->first_evnum = f.u; break;
        case SKR_IXB_COUNT: b->count = f.u > UINT32_MAX ? UINT32_MAX : (uint32_t)f.u; break;
        case SKR_IXB_LENGTH: b->length = f.u > UINT32_MAX ? UINT32_MAX : (uint32_t)f.u; break;
        case SKR_IXB_CODEC: b->codec = f.u > 255 ? 255 : (uint8_t)f.u; break;
        case SKR_IXB_STORED_LEN: b->stored_len = f.u > UINT32_MAX ? UINT32_MAX : (uint32_t)f.u; break;
        case SKR_IXB_RAW_LEN: b->raw_len = f.u > UINT32_MAX ? UINT32_MAX : (uint32_t)f.u; break;
        case SKR_IXB_BITMAP:
            if (f.wire != SKR_WIRE_BYTES || f.len > SKR_MAX_EVENT_TYPES / 8 || b->bitmap)
                return -1;
            b->bitmap_len = (uint16_t)f.len;
            if (f.len && !(b->bitmap = (uint8_t *)dup_bytes(f.ptr, f.len)))
                return -1;
            break;
        default: break;
        }
    }
    unsigned need = 1u << SKR_IXB_OFFSET | 1u << SKR_IXB_TYPE | 1u << SKR_IXB_LENGTH;
    return skr_cur_ok(&c) && (seen & need) == need ? 0 : -1;
}

/* §10/§11: returns 0 with r->blocks filled from the footer index, or -1
 * with the reason it cannot be used. */
static int load_index(struct skr_reader *r, char *why, size_t whylen)
{
    if (r->size < r->data_start + SKR_TRAILER_LEN) {
        snprintf(why, whylen, "no index (the file ends before a trailer)");
        return -1;
    }
    uint8_t t[SKR_TRAILER_LEN];
    uint64_t toff = r->size - SKR_TRAILER_LEN;
    if (skr_src_read(r, toff, t, sizeof t) != SKR_TRAILER_LEN || memcmp(t, SKR_TRAILER_MAGIC, 8)) {
        snprintf(why, whylen, "no index (the recording did not finish)");
        return -1;
    }
    struct skr_cur c = skr_cur_make(t + 8, 24);
    uint64_t ioff = skr_get_u64(&c), self = skr_get_u64(&c);
    skr_get_u32(&c);
    uint32_t crc = skr_get_u32(&c);
    if (crc != skr_crc32(0, t, 28) || self != toff || ioff < r->data_start || ioff >= toff) {
        snprintf(why, whylen, "trailer at offset %llu is damaged", (unsigned long long)toff);
        return -1;
    }
    r->data_end = ioff;
    struct skr_block_hdr h;
    struct skr_buf io = { 0 }, raw = { 0 };
    char e[160];
    int rc = read_whole_block(r, ioff, &h, &io, e, sizeof e);
    if (rc == 0 && (h.type != SKR_BLK_INDEX || ioff + skr_block_total(&h) != toff)) {
        snprintf(e, sizeof e, "not an index block of the right length");
        rc = -1;
    }
    if (rc == 0)
        rc = skr_block_decode(&h, io.data + SKR_BLOCK_HDR_LEN + h.meta_len, r->dctx, &raw, e, sizeof e);
    skr_buf_free(&io);
    if (rc < 0) {
        snprintf(why, whylen, "index block at offset %llu: %s", (unsigned long long)ioff, e);
        skr_buf_free(&raw);
        return -1;
    }
    c = skr_cur_make(raw.data, raw.len);
    struct skr_field f;
    uint64_t prev_end = r->data_start, next_evnum = 0;
    rc = 0;
    while (rc == 0 && skr_next_field(&c, &f)) {
        if (f.tag == SKR_IX_BLOCK && f.wire == SKR_WIRE_BYTES) {
            struct skr_block_info b;
            if (parse_index_entry(&b, f.ptr, f.len) < 0) {
                free(b.bitmap);
                snprintf(e, sizeof e, "entry %zu malformed", r->nblocks);
                rc = -1;
                break;
            }
            /* Entries must tile the data region in order: this is what makes
             * every later offset from the index safe to read. */
            /* A length no valid block can have is refused here, before
             * anything is allocated for it (§4.2 limits). */
            if (b.offset < prev_end || b.length < SKR_BLOCK_HDR_LEN ||
                (uint64_t)b.length > (uint64_t)SKR_BLOCK_HDR_LEN + SKR_MAX_META_LEN +
                                         SKR_MAX_RAW_LEN + SKR_MAX_STORED_SLACK ||
                b.offset > r->data_end || b.length > r->data_end - b.offset ||
                (b.type == SKR_BLK_EVENTS && b.first_evnum < next_evnum)) {
                free(b.bitmap);
                snprintf(e, sizeof e, "entry %zu (offset %llu) out of order or range",
                         r->nblocks, (unsigned long long)b.offset);
                rc = -1;
                break;
            }
            prev_end = b.offset + b.length;
            if (b.type == SKR_BLK_EVENTS)
                next_evnum = b.first_evnum + b.count;
            if (skr_add_block(r, &b) < 0) {
                free(b.bitmap);
                snprintf(e, sizeof e, "out of memory");
                rc = -1;
            }
        } else if (f.tag == SKR_IX_TYPE_COUNT && f.wire == SKR_WIRE_BYTES) {
            struct skr_cur cc = skr_cur_make(f.ptr, f.len);
            struct skr_field g;
            uint64_t type = UINT64_MAX, count = 0;
            while (skr_next_field(&cc, &g))
                if (g.tag == 1)
                    type = g.u;
                else if (g.tag == 2)
                    count = g.u;
            if (skr_cur_ok(&cc) && type < SKR_MAX_EVENT_TYPES)
                r->type_counts[type] = count;
        }
    }
    if (rc == 0 && !skr_cur_ok(&c)) {
        snprintf(e, sizeof e, "malformed record");
        rc = -1;
    }
    skr_buf_free(&raw);
    if (rc < 0) {
        snprintf(why, whylen, "index block at offset %llu: %s", (unsigned long long)ioff, e);
        for (size_t i = 0; i < r->nblocks; i++)
            free(r->blocks[i].bitmap);
        r->nblocks = 0;
        memset(r->type_counts, 0, SKR_MAX_EVENT_TYPES * sizeof *r->type_counts);
        return -1;
    }
    r->have_counts = true;
    return 0;
}

/* A file from another tool gets a name, not just "bad magic". */
static const char *identify_foreign(const uint8_t *p, long n)
{
    if (n >= 4 && ((p[0] == 0x0a && p[1] == 0x0d && p[2] == 0x0d && p[3] == 0x0a)))
        return "a sysdig/Falco .scap capture (pcapng-style), not a saker trace";
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return "gzip-compressed data, not a saker trace or a scap capture";
    if (n >= 4 && p[0] == 0xd4 && p[1] == 0xc3 && p[2] == 0xb2 && p[3] == 0xa1)
        return "a pcap file, not a saker trace";
    if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
        return "zstd-compressed data, not a saker trace";
    return NULL;
}

static int open_common(struct skr_reader *r, char *err, size_t errlen);

/* A sysdig/Falco capture (raw or gzip'd, detected by content) is converted
 * whole into a trace image in memory, which is then opened like a file
 * (man/saker-trace.5 §16). Returns 1 when it was, 0 when the bytes are not
 * a capture, -1 on error. */
static int open_scap(struct skr_reader *r, const uint8_t *pre, size_t k, char *err, size_t errlen)
{
    uint8_t *raw;
    size_t rawlen;
    bool gz;
    char gzd[200], why[200];
    int rc = skr_scap_load(pre, k, r->fd, r->mem, r->mem ? r->size : 0, &raw, &rawlen, &gz,
                           gzd, sizeof gzd, why, sizeof why);
    if (rc <= 0) {
        if (rc < 0)
            snprintf(err, errlen, "%s: %s", r->path, why);
        return rc;
    }
    char note1[64], note2[64];
    snprintf(note1, sizeof note1, "scap.compression=%s", gz ? "gzip" : "none");
    snprintf(note2, sizeof note2, "scap.file_bytes=%llu", (unsigned long long)r->size);
    const char *notes[] = { note1, note2 };
    struct skr_scap_image img;
    rc = skr_scap_convert(raw, rawlen, notes, 2, &img, why, sizeof why);
    free(raw);
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", r->path, why);
        return -1;
    }
    r->owned_mem = img.data;
    r->mem = img.data;
    r->size = img.len;
    rc = open_common(r, err, errlen);
    if (rc == 0 && gzd[0])
        skr_add_damage(r, SKR_DAMAGE_TRUNCATED, 0, -1, 0, "%s", gzd);
    for (size_t i = 0; rc == 0 && i < img.ndamage; i++) {
        const struct skr_scap_damage *d = &img.damage[i];
        skr_add_damage(r, d->kind, d->offset, d->block_no, d->events_lost, "%s", d->what);
    }
    free(img.damage);
    return rc < 0 ? -1 : 1;
}

static int open_common(struct skr_reader *r, char *err, size_t errlen)
{
    uint8_t pre[SKR_PREAMBLE_LEN];
    long k = skr_src_read(r, 0, pre, sizeof pre);
    if (k < 0) {
        snprintf(err, errlen, "%s: read: %s", r->path, strerror(errno));
        return -1;
    }
    if (k == 0) {
        snprintf(err, errlen, "%s: empty file, not a saker trace", r->path);
        return -1;
    }
    if (!r->owned_mem) {
        int rc = open_scap(r, pre, (size_t)k, err, errlen);
        if (rc != 0)
            return rc < 0 ? -1 : 0;
    }
    const char *foreign = identify_foreign(pre, k);
    if (foreign) {
        snprintf(err, errlen, "%s: %s", r->path, foreign);
        return -1;
    }
    if (k < SKR_MAGIC_LEN || memcmp(pre, SKR_MAGIC, SKR_MAGIC_LEN) != 0) {
        snprintf(err, errlen, "%s: not a saker trace (no saker magic at offset 0)", r->path);
        return -1;
    }
    if (k < SKR_PREAMBLE_LEN) {
        snprintf(err, errlen, "%s: truncated: preamble needs %d bytes, file has %ld",
                 r->path, SKR_PREAMBLE_LEN, k);
        return -1;
    }
    struct skr_cur c = skr_cur_make(pre + 8, 4);
    r->hdr.version_major = skr_get_u16(&c);
    r->hdr.version_minor = skr_get_u16(&c);
    if (r->hdr.version_major != SKR_VERSION_MAJOR) {
        snprintf(err, errlen, "%s: format version %u.%u, this saker reads %d.x", r->path,
                 r->hdr.version_major, r->hdr.version_minor, SKR_VERSION_MAJOR);
        return -1;
    }
    r->dctx = ZSTD_createDCtx();
    r->type_counts = skr_malloc(SKR_MAX_EVENT_TYPES * sizeof *r->type_counts);
    /* Room for the first damage reports from the start, so that a block
     * lost for want of memory later is still reported. */
    if ((r->damage = skr_malloc(8 * sizeof *r->damage)))
        r->capdamage = 8;
    if (!r->dctx || !r->type_counts || !r->damage) {
        snprintf(err, errlen, "%s: out of memory", r->path);
        return -1;
    }
    memset(r->type_counts, 0, SKR_MAX_EVENT_TYPES * sizeof *r->type_counts);
    if (read_header_block(r, err, errlen) < 0)
        return -1;
    r->data_end = r->size;
    char why[200];
    if (load_index(r, why, sizeof why) < 0) {
        /* A trailer whose magic is there but whose checksum or offsets
         * fail still marks where the blocks end; a missing one does not. */
        uint8_t t[SKR_MAGIC_LEN];
        if (r->data_end == r->size && r->size >= r->data_start + SKR_TRAILER_LEN &&
            skr_src_read(r, r->size - SKR_TRAILER_LEN, t, sizeof t) == SKR_MAGIC_LEN &&
            memcmp(t, SKR_TRAILER_MAGIC, SKR_MAGIC_LEN) == 0)
            r->data_end = r->size - SKR_TRAILER_LEN;
        snprintf(r->rebuilt, sizeof r->rebuilt, "%s; rebuilt by scanning", why);
        if (skr_scan_blocks(r, err, errlen) < 0)
            return -1;
    }
    r->want = SKR_ITEM_EVENT;
    r->want_all_types = true;
    r->prefetch_on = true;
    return 0;
}

static struct skr_reader *reader_new(const char *path)
{
    struct skr_reader *r = skr_malloc(sizeof *r);
    if (!r)
        return NULL;
    memset(r, 0, sizeof *r);
    r->fd = -1;
    size_t n = strlen(path);
    if (!(r->path = skr_malloc(n + 1))) {
        free(r);
        return NULL;
    }
    memcpy(r->path, path, n + 1);
    return r;
}

int skr_reader_open(const char *path, struct skr_reader **out, char *err, size_t errlen)
{
    *out = NULL;
    struct skr_reader *r = reader_new(path);
    if (!r) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (r->fd < 0 || fstat(r->fd, &st) < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        skr_reader_close(r);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: is a directory, not a saker trace", path);
        skr_reader_close(r);
        return -1;
    }
    r->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    if (open_common(r, err, errlen) < 0) {
        skr_reader_close(r);
        return -1;
    }
    *out = r;
    return 0;
}

int skr_reader_open_mem(const char *name, const void *data, size_t len,
                        struct skr_reader **out, char *err, size_t errlen)
{
    *out = NULL;
    struct skr_reader *r = reader_new(name);
    if (!r) {
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    r->mem = data;
    r->size = len;
    if (open_common(r, err, errlen) < 0) {
        skr_reader_close(r);
        return -1;
    }
    *out = r;
    return 0;
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void skr_reader_close(struct skr_reader *r)
{
    if (!r)
        return;
    skr_iter_free(r);
    struct skr_header_info *h = &r->hdr;
    free(h->hostname);
    free(h->kernel_release);
    free(h->kernel_version);
    free(h->arch);
    free(h->recorder);
    free(h->recorder_version);
    free(h->filter);
    free(h->source_format);
    free_strv(h->cmdline, h->ncmdline);
    free_strv(h->options, h->noptions);
    skr_schema_free(&r->schema);
    for (size_t i = 0; i < r->nblocks; i++)
        free(r->blocks[i].bitmap);
    free(r->blocks);
    free(r->damage);
    free(r->type_counts);
    ZSTD_freeDCtx(r->dctx);
    free(r->owned_mem);
    if (r->fd >= 0)
        close(r->fd);
    free(r->path);
    free(r);
}

const char *skr_reader_path(const struct skr_reader *r) { return r->path; }
const struct skr_header_info *skr_reader_header(const struct skr_reader *r) { return &r->hdr; }
const struct skr_schema *skr_reader_schema(const struct skr_reader *r) { return &r->schema; }
uint64_t skr_reader_file_size(const struct skr_reader *r) { return r->size; }
size_t skr_reader_nblocks(const struct skr_reader *r) { return r->nblocks; }
const char *skr_reader_index_rebuilt(const struct skr_reader *r) { return r->rebuilt[0] ? r->rebuilt : NULL; }
size_t skr_reader_ndamage(const struct skr_reader *r) { return r->ndamage; }

const struct skr_block_info *skr_reader_block(const struct skr_reader *r, size_t i)
{
    return i < r->nblocks ? &r->blocks[i] : NULL;
}

bool skr_reader_type_counts(const struct skr_reader *r, const uint64_t **counts)
{
    *counts = r->type_counts;
    return r->have_counts;
}

const struct skr_damage *skr_reader_damage(const struct skr_reader *r, size_t i)
{
    return i < r->ndamage ? &r->damage[i] : NULL;
}

void skr_reader_on_damage(struct skr_reader *r, skr_damage_fn fn, void *ctx)
{
    r->damage_fn = fn;
    r->damage_ctx = ctx;
    for (size_t i = 0; fn && i < r->ndamage; i++)
        fn(ctx, r->path, &r->damage[i]);
}

int skr_stats_decode(const uint8_t *p, size_t n,
                     void (*fn)(void *ctx, uint32_t cpu, uint64_t events, uint64_t drops),
                     void *ctx)
{
    struct skr_cur c = skr_cur_make(p, n);
    struct skr_field f;
    while (skr_next_field(&c, &f)) {
        if (f.tag != SKR_ST_CPU || f.wire != SKR_WIRE_BYTES)
            continue;
        struct skr_cur cc = skr_cur_make(f.ptr, f.len);
        struct skr_field g;
        uint64_t cpu = 0, events = 0, drops = 0;
        while (skr_next_field(&cc, &g)) {
            if (g.tag == SKR_STC_CPU) cpu = g.u;
            else if (g.tag == SKR_STC_EVENTS) events = g.u;
            else if (g.tag == SKR_STC_DROPS) drops = g.u;
        }
        if (!skr_cur_ok(&cc) || cpu > UINT32_MAX)
            return -1;
        fn(ctx, (uint32_t)cpu, events, drops);
    }
    return skr_cur_ok(&c) ? 0 : -1;
}
