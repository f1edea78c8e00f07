/* scap.c -- sysdig/Falco .scap captures: walking the pcapng-style blocks
 * (loading is scap_load.c), and building the in-memory saker trace image the
 * reader opens (man/saker-trace.5 §16; the block layout is in scap.h).
 *
 * Design: one pass over the capture. Table blocks (process, fd, user,
 * interface lists) before the first event become the initial CHECKPOINT,
 * together with every container described by a container event (container
 * metadata does not depend on time); tables met after events become a new
 * CHECKPOINT at that point. Events go, in file order and numbered from 1 as
 * sysdig numbers them (evt.num), into uncompressed EVENTS blocks of about
 * 1 MiB. Damage never stops the pass: a block whose framing is broken is
 * reported and the walk resyncs on the next well-framed block; an event
 * block whose framing holds but whose event does not decode is reported as
 * one event lost, and its number is left as a gap. Unknown block types and
 * event types are skipped by their length and counted. */
#include "scap_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"

#define SCAP_EVENTS_BLOCK_TARGET (1u << 20)
/* One scap event above this is refused (as damage): saker's blocks must
 * stay under the §4.2 raw limit. */
#define SCAP_MAX_EVENT (64u << 20)

bool skr_scap_sniff(const uint8_t *p, size_t n)
{
    struct skr_cur c = skr_cur_make(p, n);
    uint32_t type = skr_get_u32(&c);
    skr_get_u32(&c);
    uint32_t magic = skr_get_u32(&c);
    return skr_cur_ok(&c) && type == SKR_SCAP_SHB && magic == SKR_SCAP_BYTE_ORDER_MAGIC;
}

void scap_add_damage(struct scap_conv *c, int kind, uint64_t offset, uint64_t lost,
                     const char *fmt, ...)
{
    if (c->ndamage == c->capdamage) {
        size_t cap = c->capdamage ? c->capdamage * 2 : 8;
        struct skr_scap_damage *d = realloc(c->damage, cap * sizeof *d);
        if (!d)
            return;
        c->damage = d;
        c->capdamage = cap;
    }
    struct skr_scap_damage *d = &c->damage[c->ndamage++];
    d->kind = kind;
    d->offset = offset;
    d->block_no = c->block_no;
    d->events_lost = lost;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->what, sizeof d->what, fmt, ap);
    va_end(ap);
}

/* ---- the image's blocks ---- */

static void body_block(struct scap_conv *c, uint8_t type, const uint8_t *meta, uint16_t meta_len,
                       const struct skr_buf *payload, uint32_t count, uint64_t min_ts,
                       uint64_t max_ts, uint64_t first_evnum)
{
    if (c->nix == c->capix) {
        size_t cap = c->capix ? c->capix * 2 : 64;
        struct scap_ixent *n = realloc(c->ix, cap * sizeof *n);
        if (!n) {
            c->oom = true;
            return;
        }
        c->ix = n;
        c->capix = cap;
    }
    struct skr_block_hdr h = {
        .type = type, .codec = SKR_CODEC_NONE, .meta_len = meta_len,
        .stored_len = (uint32_t)payload->len, .raw_len = (uint32_t)payload->len,
        .count = count, .min_ts = min_ts, .max_ts = max_ts, .first_evnum = first_evnum,
        .payload_crc = skr_crc32(0, payload->data, payload->len),
    };
    uint8_t fixed[SKR_BLOCK_HDR_LEN];
    skr_block_hdr_store(fixed, &h, meta);
    struct scap_ixent *x = &c->ix[c->nix++];
    memset(x, 0, sizeof *x);
    x->offset = c->body.len;
    x->length = (uint32_t)skr_block_total(&h);
    x->count = count;
    x->raw_len = (uint32_t)payload->len;
    x->type = type;
    x->min_ts = min_ts;
    x->max_ts = max_ts;
    x->first_evnum = first_evnum;
    if (meta_len && (x->bitmap = malloc(meta_len))) {
        memcpy(x->bitmap, meta, meta_len);
        x->bitmap_len = meta_len;
    } else if (meta_len) {
        c->oom = true;
    }
    skr_put_raw(&c->body, fixed, sizeof fixed);
    skr_put_raw(&c->body, meta, meta_len);
    skr_put_raw(&c->body, payload->data, payload->len);
}

static void flush_events(struct scap_conv *c)
{
    if (!c->nblk)
        return;
    struct skr_buf payload = { 0 };
    skr_evenc_finish(&c->enc, &payload, NULL);
    if (c->enc.oom || payload.oom)
        c->oom = true;
    body_block(c, SKR_BLK_EVENTS, c->bitmap, c->bitmap_len, &payload, c->nblk, c->blk_min,
               c->blk_max, c->blk_first);
    skr_buf_free(&payload);
    memset(c->bitmap, 0, sizeof c->bitmap);
    c->bitmap_len = 0;
    c->nblk = 0;
}

static void flush_later_checkpoint(struct scap_conv *c)
{
    if (!c->later_pending)
        return;
    flush_events(c);
    uint64_t ts = c->have_ts ? c->last_ts : 0;
    body_block(c, SKR_BLK_CHECKPOINT, NULL, 0, &c->later_cp.recs, c->later_cp.count, ts, ts,
               c->next_evnum);
    scap_cp_free(&c->later_cp);
    c->later_pending = false;
}

static void add_event(struct scap_conv *c, const struct skr_event *ev)
{
    flush_later_checkpoint(c);
    if (!c->nblk) {
        c->blk_min = c->blk_max = ev->ts;
        c->blk_first = c->next_evnum;
    }
    if (ev->ts < c->blk_min)
        c->blk_min = ev->ts;
    if (ev->ts > c->blk_max)
        c->blk_max = ev->ts;
    if (!c->have_ts) {
        c->first_ts = ev->ts;
        c->have_ts = true;
    }
    c->last_ts = ev->ts;
    c->bitmap[ev->type / 8] |= (uint8_t)(1u << (ev->type % 8));
    if (ev->type / 8 + 1u > c->bitmap_len)
        c->bitmap_len = (uint16_t)(ev->type / 8 + 1);
    skr_evenc_add(&c->enc, ev);
    c->type_counts[ev->type]++;
    c->nblk++;
    c->next_evnum++;
    c->events_seen = true;
    if (c->enc.size >= SCAP_EVENTS_BLOCK_TARGET)
        flush_events(c);
}

/* ---- the walk ---- */

static bool is_event_block(uint32_t t)
{
    return t == SKR_SCAP_EV || t == SKR_SCAP_EV_INT || t == SKR_SCAP_EV_V2 ||
           t == SKR_SCAP_EV_V2_LARGE || t == SKR_SCAP_EVF || t == SKR_SCAP_EVF_V2 ||
           t == SKR_SCAP_EVF_V2_LARGE;
}

static bool is_known_block(uint32_t t)
{
    if (is_event_block(t))
        return true;
    switch (t) {
    case SKR_SCAP_SHB: case SKR_SCAP_MI: case SKR_SCAP_MI_INT:
    case SKR_SCAP_PL_V1: case SKR_SCAP_PL_V1_INT: case SKR_SCAP_PL_V2: case SKR_SCAP_PL_V2_INT:
    case SKR_SCAP_PL_V3: case SKR_SCAP_PL_V3_INT: case SKR_SCAP_PL_V4: case SKR_SCAP_PL_V5:
    case SKR_SCAP_PL_V6: case SKR_SCAP_PL_V7: case SKR_SCAP_PL_V8: case SKR_SCAP_PL_V9:
    case SKR_SCAP_FDL: case SKR_SCAP_FDL_INT: case SKR_SCAP_FDL_V2:
    case SKR_SCAP_IL: case SKR_SCAP_IL_INT: case SKR_SCAP_IL_V2:
    case SKR_SCAP_UL: case SKR_SCAP_UL_INT: case SKR_SCAP_UL_V2:
        return true;
    default:
        return false;
    }
}

/* A well-framed block at off: a length that fits, and the trailing copy
 * of the length; when resyncing, also a type saker knows (random bytes
 * rarely pass all three). */
static bool framed_at(const struct scap_conv *c, size_t off, bool known_only)
{
    if (c->len - off < 12)
        return false;
    struct skr_cur h = skr_cur_make(c->data + off, 8);
    uint32_t type = skr_get_u32(&h), total = skr_get_u32(&h);
    if ((known_only && !is_known_block(type)) || total < 12 || total > c->len - off)
        return false;
    struct skr_cur t = skr_cur_make(c->data + off + total - 4, 4);
    return skr_get_u32(&t) == total;
}

static void machine_info(struct scap_conv *c, const uint8_t *p, size_t n)
{
    /* libs scap_machine_info: u32 cpus, u64 memory, u64 max pid,
     * char hostname[128], u64 boot time (ns, epoch; 0 in older libs),
     * u64 flags, u64 reserved */
    struct skr_cur m = skr_cur_make(p, n);
    c->ncpus = skr_get_u32(&m);
    c->memory = skr_get_u64(&m);
    c->max_pid = skr_get_u64(&m);
    const uint8_t *host = skr_get_raw(&m, 128);
    if (host) {
        memcpy(c->hostname, host, 128);
        c->hostname[128] = 0;
    }
    uint64_t boot = skr_get_u64(&m), flags = skr_get_u64(&m);
    if (skr_cur_ok(&m)) {
        c->boot_ns = boot;
        c->mi_flags = flags;
    }
    c->have_mi = true;
}

static void table_block(struct scap_conv *c, uint32_t type, const uint8_t *body, size_t n,
                        size_t off)
{
    struct scap_cp *cp = &c->first_cp;
    if (c->events_seen) {
        flush_events(c);
        c->later_pending = true;
        cp = &c->later_cp;
    }
    char why[160] = "";
    int rc;
    switch (type) {
    case SKR_SCAP_FDL: case SKR_SCAP_FDL_INT: case SKR_SCAP_FDL_V2:
        rc = scap_read_fdlist(cp, type == SKR_SCAP_FDL_V2 ? type : SKR_SCAP_FDL, body, n, why,
                              sizeof why);
        break;
    case SKR_SCAP_UL: case SKR_SCAP_UL_INT: case SKR_SCAP_UL_V2:
        rc = scap_read_userlist(cp, type == SKR_SCAP_UL_V2 ? type : SKR_SCAP_UL, body, n, why,
                                sizeof why);
        break;
    case SKR_SCAP_IL: case SKR_SCAP_IL_INT: case SKR_SCAP_IL_V2:
        rc = scap_read_iflist(cp, type == SKR_SCAP_IL_V2 ? type : SKR_SCAP_IL, body, n, why,
                              sizeof why);
        break;
    default:
        rc = scap_read_proclist(cp, type, body, n, why, sizeof why);
        break;
    }
    if (rc < 0) {
        c->table_errors++;
        scap_add_damage(c, SKR_DAMAGE_CORRUPT, off, 0,
                        "scap block %ld at offset %zu (type 0x%x): %s; rest of the table skipped",
                        c->block_no, off, type, why);
    }
}

static void event_block(struct scap_conv *c, uint32_t type, const uint8_t *body, size_t n,
                        size_t off, struct skr_event *ev)
{
    char why[160];
    if (n > SCAP_MAX_EVENT) {
        scap_add_damage(c, SKR_DAMAGE_CORRUPT, off, 1,
                        "scap block %ld at offset %zu: event of %zu bytes over saker's limit "
                        "of %u; 1 event lost", c->block_no, off, n, SCAP_MAX_EVENT);
        flush_events(c);
        c->next_evnum++;
        return;
    }
    int rc = scap_decode_event(c, type, body, n, ev, NULL, why, sizeof why);
    if (rc == 1) {
        c->unknown_events++;
        return;
    }
    if (rc < 0) {
        scap_add_damage(c, SKR_DAMAGE_CORRUPT, off, 1,
                        "scap block %ld at offset %zu: %s; 1 event lost", c->block_no, off, why);
        /* the lost event keeps its number, as a gap (§7.2) */
        flush_events(c);
        c->next_evnum++;
        return;
    }
    uint16_t t = ev->type;
    if (t == 228 || t == 272 || t == 324) /* container events (§16.2) */
        scap_container_event(&c->first_cp, ev);
    add_event(c, ev);
}

/* Walks every block after the section header. */
static void walk(struct scap_conv *c, size_t off)
{
    struct skr_event *ev = malloc(sizeof *ev);
    if (!ev) {
        c->oom = true;
        return;
    }
    while (off < c->len && !c->oom) {
        c->block_no++;
        size_t left = c->len - off;
        if (left < 8) {
            scap_add_damage(c, SKR_DAMAGE_TRUNCATED, off, 0,
                            "scap block %ld at offset %zu: truncated: block header needs 8 "
                            "bytes, %zu left; an unknown number of events lost",
                            c->block_no, off, left);
            break;
        }
        struct skr_cur h = skr_cur_make(c->data + off, 8);
        uint32_t type = skr_get_u32(&h), total = skr_get_u32(&h);
        if (total >= 12 && total > left && is_known_block(type)) {
            bool ev1 = is_event_block(type);
            scap_add_damage(c, SKR_DAMAGE_TRUNCATED, off, ev1 ? 1 : 0,
                            "scap block %ld at offset %zu: truncated: block needs %u bytes, "
                            "%zu left; %s", c->block_no, off, total, left,
                            ev1 ? "1 event lost" : "the table is lost");
            break;
        }
        if (!framed_at(c, off, false)) {
            size_t next = off + 1;
            while (next < c->len && !framed_at(c, next, true))
                next++;
            scap_add_damage(c, SKR_DAMAGE_CORRUPT, off, 0,
                            "scap block %ld at offset %zu: bad block (type 0x%x, length %u); "
                            "%zu bytes skipped to %s, an unknown number of events lost",
                            c->block_no, off, type, total, next - off,
                            next < c->len ? "the next block" : "the end");
            off = next;
            continue;
        }
        const uint8_t *body = c->data + off + 8;
        size_t n = total - 12;
        if (!is_known_block(type)) {
            c->unknown_blocks++; /* skipped by its length, never fatal */
        } else if (is_event_block(type)) {
            event_block(c, type, body, n, off, ev);
        } else {
            switch (type) {
            case SKR_SCAP_MI: case SKR_SCAP_MI_INT:
                machine_info(c, body, n);
                break;
            case SKR_SCAP_SHB:
                /* a second section (concatenated captures): its tables follow */
                break;
            default:
                table_block(c, type, body, n, off);
                break;
            }
        }
        off += total;
    }
    free(ev);
}

/* A pcapng file of network packets starts like a scap capture; its first
 * block after the section header gives it away. */
static const char *pcapng_kind(uint32_t type)
{
    switch (type) {
    case 1: return "interface description";
    case 2: return "packet";
    case 3: return "simple packet";
    case 5: return "interface statistics";
    case 6: return "enhanced packet";
    default: return NULL;
    }
}

static int section_header(struct scap_conv *c, size_t *next, char *err, size_t errlen)
{
    struct skr_cur h = skr_cur_make(c->data, c->len);
    skr_get_u32(&h);
    uint32_t total = skr_get_u32(&h);
    uint32_t magic = skr_get_u32(&h);
    c->major = skr_get_u16(&h);
    c->minor = skr_get_u16(&h);
    skr_get_u64(&h);
    if (!skr_cur_ok(&h)) {
        snprintf(err, errlen, "truncated: scap section header needs 28 bytes, file has %zu",
                 c->len);
        return -1;
    }
    if (magic != SKR_SCAP_BYTE_ORDER_MAGIC) {
        snprintf(err, errlen, "scap section header has byte-order magic 0x%08x, not 0x%08x",
                 magic, SKR_SCAP_BYTE_ORDER_MAGIC);
        return -1;
    }
    if (c->major != 1) {
        snprintf(err, errlen, "scap version %u.%u, this saker reads 1.x", c->major, c->minor);
        return -1;
    }
    if (total < 28 || total > c->len) {
        snprintf(err, errlen, "%s: scap section header length %u, file has %zu bytes",
                 total > c->len ? "truncated" : "corrupt", total, c->len);
        return -1;
    }
    /* pcapng options between the fixed fields and the trailer are skipped */
    struct skr_cur t = skr_cur_make(c->data + total - 4, 4);
    if (skr_get_u32(&t) != total) {
        snprintf(err, errlen, "corrupt scap section header: trailing length differs from %u",
                 total);
        return -1;
    }
    if (c->len - total >= 8) {
        struct skr_cur b = skr_cur_make(c->data + total, 4);
        uint32_t type = skr_get_u32(&b);
        const char *kind = pcapng_kind(type);
        if (kind) {
            snprintf(err, errlen, "a pcapng network capture (%s block at offset %u), not a "
                     "scap capture or a saker trace", kind, total);
            return -1;
        }
    }
    *next = total;
    return 0;
}

/* ---- assembling the image ---- */

static void put_block(struct skr_buf *out, uint8_t type, const struct skr_buf *payload,
                      uint32_t count, uint64_t ts, uint64_t first_evnum)
{
    struct skr_block_hdr h = {
        .type = type, .codec = SKR_CODEC_NONE, .stored_len = (uint32_t)payload->len,
        .raw_len = (uint32_t)payload->len, .count = count, .min_ts = ts, .max_ts = ts,
        .first_evnum = first_evnum, .payload_crc = skr_crc32(0, payload->data, payload->len),
    };
    uint8_t fixed[SKR_BLOCK_HDR_LEN];
    skr_block_hdr_store(fixed, &h, NULL);
    skr_put_raw(out, fixed, sizeof fixed);
    skr_put_raw(out, payload->data, payload->len);
}

static void put_option(struct skr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_option(struct skr_buf *b, const char *fmt, ...)
{
    char s[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s, sizeof s, fmt, ap);
    va_end(ap);
    skr_put_field_str(b, SKR_HDR_OPTION, s);
}

static void index_entry(struct skr_buf *ix, const struct scap_ixent *x, uint64_t offset)
{
    struct skr_buf e = { 0 };
    skr_put_field_u(&e, SKR_IXB_OFFSET, offset);
    skr_put_field_u(&e, SKR_IXB_TYPE, x->type);
    skr_put_field_u(&e, SKR_IXB_MIN_TS, x->min_ts);
    skr_put_field_u(&e, SKR_IXB_MAX_TS, x->max_ts);
    skr_put_field_u(&e, SKR_IXB_FIRST_EVNUM, x->first_evnum);
    skr_put_field_u(&e, SKR_IXB_COUNT, x->count);
    if (x->bitmap_len)
        skr_put_field_bytes(&e, SKR_IXB_BITMAP, x->bitmap, x->bitmap_len);
    skr_put_field_u(&e, SKR_IXB_LENGTH, x->length);
    skr_put_field_u(&e, SKR_IXB_CODEC, SKR_CODEC_NONE);
    skr_put_field_u(&e, SKR_IXB_STORED_LEN, x->raw_len);
    skr_put_field_u(&e, SKR_IXB_RAW_LEN, x->raw_len);
    skr_put_field_bytes(ix, SKR_IX_BLOCK, e.data, e.len);
    if (e.oom)
        ix->oom = true;
    skr_buf_free(&e);
}

static int assemble(struct scap_conv *c, const char *const *notes, size_t nnotes,
                    struct skr_scap_image *out, char *err, size_t errlen)
{
    const struct skr_schema *schema = scap_schema();
    struct skr_buf img = { 0 }, hdr = { 0 }, ix = { 0 };
    uint64_t t0 = c->have_ts ? c->first_ts : 0;

    uint8_t pre[SKR_PREAMBLE_LEN] = { 0 };
    memcpy(pre, SKR_MAGIC, SKR_MAGIC_LEN);
    skr_store_u16(pre + 8, SKR_VERSION_MAJOR);
    skr_store_u16(pre + 10, SKR_VERSION_MINOR);
    skr_put_raw(&img, pre, sizeof pre);

    /* §6 header; §16.1 says which fields a scap import fills */
    skr_put_field_u(&hdr, SKR_HDR_CREATED_NS, t0);
    if (c->have_mi) {
        skr_put_field_str(&hdr, SKR_HDR_HOSTNAME, c->hostname);
        skr_put_field_u(&hdr, SKR_HDR_NCPUS, c->ncpus);
        if (c->boot_ns)
            skr_put_field_u(&hdr, SKR_HDR_BOOT_NS, c->boot_ns);
    }
    skr_put_field_str(&hdr, SKR_HDR_RECORDER, "scap");
    char ver[32];
    snprintf(ver, sizeof ver, "%u.%u", c->major, c->minor);
    skr_put_field_str(&hdr, SKR_HDR_RECORDER_VERSION, ver);
    skr_put_field_str(&hdr, SKR_HDR_SOURCE_FORMAT, "scap");
    skr_put_field_u(&hdr, SKR_HDR_FIRST_EVNUM, 1);
    skr_put_field_u(&hdr, SKR_HDR_BLOCK_SIZE, SCAP_EVENTS_BLOCK_TARGET);
    put_option(&hdr, "scap.version=%u.%u", c->major, c->minor);
    for (size_t i = 0; i < nnotes; i++)
        skr_put_field_str(&hdr, SKR_HDR_OPTION, notes[i]);
    if (c->have_mi) {
        put_option(&hdr, "scap.memory_bytes=%llu", (unsigned long long)c->memory);
        put_option(&hdr, "scap.max_pid=%llu", (unsigned long long)c->max_pid);
        put_option(&hdr, "scap.machine_flags=0x%llx", (unsigned long long)c->mi_flags);
    }
    put_option(&hdr, "scap.unknown_blocks=%llu", (unsigned long long)c->unknown_blocks);
    put_option(&hdr, "scap.unknown_events=%llu", (unsigned long long)c->unknown_events);
    put_option(&hdr, "scap.extra_params=%llu", (unsigned long long)c->extra_params);
    skr_schema_encode(schema, &hdr);
    put_block(&img, SKR_BLK_HEADER, &hdr, 1, t0, 1);

    uint64_t body_at = img.len;
    struct scap_ixent first = { .type = SKR_BLK_CHECKPOINT, .min_ts = t0, .max_ts = t0,
                                .first_evnum = 1, .count = c->first_cp.count,
                                .raw_len = (uint32_t)c->first_cp.recs.len,
                                .length = (uint32_t)(SKR_BLOCK_HDR_LEN + c->first_cp.recs.len) };
    put_block(&img, SKR_BLK_CHECKPOINT, &c->first_cp.recs, c->first_cp.count, t0, 1);
    index_entry(&ix, &first, body_at);
    uint64_t shift = img.len;
    skr_put_raw(&img, c->body.data, c->body.len);
    for (size_t i = 0; i < c->nix; i++)
        index_entry(&ix, &c->ix[i], c->ix[i].offset + shift);
    uint64_t total = 0;
    for (uint16_t t = 0; t < SKR_SCAP_EVENT_MAX; t++) {
        if (!c->type_counts[t])
            continue;
        struct skr_buf e = { 0 };
        skr_put_field_u(&e, 1, t);
        skr_put_field_u(&e, 2, c->type_counts[t]);
        skr_put_field_bytes(&ix, SKR_IX_TYPE_COUNT, e.data, e.len);
        skr_buf_free(&e);
        total += c->type_counts[t];
    }
    skr_put_field_u(&ix, SKR_IX_TOTAL_EVENTS, total);
    uint64_t ix_at = img.len;
    put_block(&img, SKR_BLK_INDEX, &ix, (uint32_t)(c->nix + 1), t0, c->next_evnum);
    uint8_t tr[SKR_TRAILER_LEN] = { 0 };
    memcpy(tr, SKR_TRAILER_MAGIC, SKR_MAGIC_LEN);
    skr_store_u64(tr + 8, ix_at);
    skr_store_u64(tr + 16, img.len);
    skr_store_u32(tr + 28, skr_crc32(0, tr, 28));
    skr_put_raw(&img, tr, sizeof tr);

    bool oom = img.oom || hdr.oom || ix.oom || c->oom || c->body.oom || c->first_cp.recs.oom;
    bool big = hdr.len > SKR_MAX_RAW_LEN || ix.len > SKR_MAX_RAW_LEN ||
               c->first_cp.recs.len > SKR_MAX_RAW_LEN;
    skr_buf_free(&hdr);
    skr_buf_free(&ix);
    if (oom || big) {
        skr_buf_free(&img);
        snprintf(err, errlen, big ? "tables or index over saker's block limit"
                                  : "out of memory building the trace image");
        return -1;
    }
    out->data = img.data;
    out->len = img.len;
    return 0;
}

int skr_scap_convert(const uint8_t *data, size_t len, const char *const *notes, size_t nnotes,
                     struct skr_scap_image *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!scap_schema()) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct scap_conv *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    c->data = data;
    c->len = len;
    c->next_evnum = 1;
    size_t off = 0;
    int rc = section_header(c, &off, err, errlen);
    if (rc == 0) {
        walk(c, off);
        flush_events(c);
        flush_later_checkpoint(c);
        rc = assemble(c, notes, nnotes, out, err, errlen);
    }
    if (rc == 0) {
        out->damage = c->damage;
        out->ndamage = c->ndamage;
        c->damage = NULL;
    }
    free(c->damage);
    for (size_t i = 0; i < c->nix; i++)
        free(c->ix[i].bitmap);
    free(c->ix);
    skr_buf_free(&c->body);
    skr_evenc_free(&c->enc);
    scap_cp_free(&c->first_cp);
    scap_cp_free(&c->later_cp);
    free(c);
    return rc;
}

void skr_scap_image_free(struct skr_scap_image *img)
{
    free(img->data);
    free(img->damage);
    memset(img, 0, sizeof *img);
}
