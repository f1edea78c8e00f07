/* testprocfs.c -- decoding a procfs snapshot in the procfs tests
 * (testprocfs.h): every record through skr_next_field, then lookups by
 * record key and field tag. */
#include "testprocfs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../../reader/format.h"

/* Splits the payload into records, checking that it is exactly count
 * wire-2 fields and that every nested record decodes to its end. */
void pt_decode(struct pt_snap *s)
{
    struct skr_cur c = skr_cur_make(s->buf.data, s->buf.len);
    struct skr_field f;
    size_t cap = 0;
    s->r = NULL;
    s->n = 0;
    while (skr_next_field(&c, &f)) {
        CHECK(f.wire == SKR_WIRE_BYTES, "record %zu: wire %d", s->n, f.wire);
        CHECK(f.tag >= SKR_CP_THREAD && f.tag <= SKR_CP_CONTAINER, "record %zu: kind %u", s->n,
              f.tag);
        struct skr_cur in = skr_cur_make(f.ptr, f.len);
        struct skr_field g;
        while (skr_next_field(&in, &g))
            ;
        CHECK(skr_cur_ok(&in) && in.p == in.end, "record %zu does not decode", s->n);
        s->r = grow(s->r, &cap, s->n + 1, sizeof *s->r);
        s->r[s->n++] = (struct pt_rec){ f.tag, f.ptr, f.len };
    }
    CHECK(skr_cur_ok(&c) && c.p == c.end, "payload does not decode");
    ck_assert_uint_eq(s->n, s->count);
}

void pt_free(struct pt_snap *s)
{
    skr_buf_free(&s->buf);
    free(s->r);
}

/* The idx-th field tag of r (repeated fields count from 0). */
bool pt_field(const struct pt_rec *r, uint32_t tag, int idx, struct skr_field *out)
{
    struct skr_cur c = skr_cur_make(r->p, r->len);
    struct skr_field f;
    while (skr_next_field(&c, &f)) {
        if (f.tag == tag && idx-- == 0) {
            *out = f;
            return true;
        }
    }
    return false;
}

int pt_nfields(const struct pt_rec *r, uint32_t tag)
{
    int n = 0;
    struct skr_field f;
    while (pt_field(r, tag, n, &f))
        n++;
    return n;
}

bool pt_has(const struct pt_rec *r, uint32_t tag)
{
    struct skr_field f;
    return pt_field(r, tag, 0, &f);
}

uint64_t pt_u(const struct pt_rec *r, uint32_t tag)
{
    struct skr_field f;
    CHECK(pt_field(r, tag, 0, &f), "field %u missing", tag);
    CHECK(f.wire == SKR_WIRE_VARINT, "field %u: wire %d", tag, f.wire);
    return f.u;
}

int64_t pt_s(const struct pt_rec *r, uint32_t tag)
{
    struct skr_field f;
    CHECK(pt_field(r, tag, 0, &f), "field %u missing", tag);
    CHECK(f.wire == SKR_WIRE_ZIGZAG, "field %u: wire %d", tag, f.wire);
    return f.s;
}

/* Field tag number idx as a NUL-ended copy (static storage, 4 slots). */
const char *pt_str(const struct pt_rec *r, uint32_t tag, int idx)
{
    static char slots[4][PROCFS_ARGS_MAX + 1];
    static int next;
    struct skr_field f;
    CHECK(pt_field(r, tag, idx, &f), "field %u[%d] missing", tag, idx);
    CHECK(f.wire == SKR_WIRE_BYTES && f.len < sizeof slots[0], "field %u: wire %d", tag, f.wire);
    char *s = slots[next++ % 4];
    memcpy(s, f.ptr, f.len);
    s[f.len] = '\0';
    return s;
}

const struct pt_rec *pt_thread(const struct pt_snap *s, int64_t tid)
{
    const struct pt_rec *hit = NULL;
    for (size_t i = 0; i < s->n; i++) {
        if (s->r[i].kind == SKR_CP_THREAD && pt_s(&s->r[i], SKR_CPT_TID) == tid) {
            CHECK(!hit, "two THREAD records for tid %lld", (long long)tid);
            hit = &s->r[i];
        }
    }
    return hit;
}

const struct pt_rec *pt_fd(const struct pt_snap *s, int64_t pid, int64_t fd)
{
    const struct pt_rec *hit = NULL;
    for (size_t i = 0; i < s->n; i++) {
        const struct pt_rec *r = &s->r[i];
        if (r->kind == SKR_CP_FD && pt_s(r, SKR_CPF_PID) == pid && pt_s(r, SKR_CPF_FD) == fd) {
            CHECK(!hit, "two FD records for %lld/%lld", (long long)pid, (long long)fd);
            hit = r;
        }
    }
    CHECK(hit, "no FD record for pid %lld fd %lld", (long long)pid, (long long)fd);
    return hit;
}

/* The record of kind whose ID field (USER, GROUP: varint; CONTAINER:
 * string) matches. */
const struct pt_rec *pt_id(const struct pt_snap *s, uint32_t kind, uint64_t id,
                                 const char *sid)
{
    const struct pt_rec *hit = NULL;
    for (size_t i = 0; i < s->n; i++) {
        const struct pt_rec *r = &s->r[i];
        if (r->kind != kind)
            continue;
        bool match = sid ? !strcmp(pt_str(r, SKR_CPC_ID, 0), sid) : pt_u(r, SKR_CPU_ID) == id;
        if (match) {
            CHECK(!hit, "two records of kind %u for id %llu %s", kind, (unsigned long long)id,
                  sid ? sid : "");
            hit = r;
        }
    }
    return hit;
}

size_t pt_count(const struct pt_snap *s, uint32_t kind)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += s->r[i].kind == kind;
    return n;
}

/* An IPv4 SOCKTUPLE, as §5.3 lays it out. */
void pt_want_tuple4(const struct pt_rec *r, uint32_t sa, uint16_t sp, uint32_t da, uint16_t dp)
{
    struct skr_field f;
    CHECK(pt_field(r, SKR_CPF_TUPLE, 0, &f), "no TUPLE");
    uint8_t want[13];
    want[0] = AF_INET;
    memcpy(want + 1, &sa, 4);
    skr_store_u16(want + 5, sp);
    memcpy(want + 7, &da, 4);
    skr_store_u16(want + 11, dp);
    ck_assert_uint_eq(f.len, sizeof want);
    ck_assert_mem_eq(f.ptr, want, sizeof want);
}

void pt_snapshot(struct pt_snap *s, const char *proc, const char *etc)
{
    memset(s, 0, sizeof *s);
    char err[256];
    int rc = proc ? procfs_snapshot_at(proc, etc, &s->buf, &s->count, &s->st, err, sizeof err)
                  : procfs_snapshot("/proc", &s->buf, &s->count, &s->st, err, sizeof err);
    CHECK(rc == 0, "procfs_snapshot: %s", err);
    CHECK(!s->buf.oom, "buffer marked oom after success");
    pt_decode(s);
}
