/* testprocfs.h -- what test_procfs.c (the real /proc) and
 * test_procfs_fake.c (a fake tree) share: a snapshot split into its §8
 * records, and checked accessors for their fields (prefix pt_). Every
 * accessor fails the test when the field is absent or has the wrong wire
 * type. */
#ifndef SAKER_TESTPROCFS_H
#define SAKER_TESTPROCFS_H

#include <stdbool.h>
#include <stdint.h>

#include "../../capture/procfs.h"
#include "testutil.h"

struct pt_rec {
    uint32_t kind;
    const uint8_t *p;
    size_t len;
};

struct pt_snap {
    struct skr_buf buf;
    uint32_t count;
    struct procfs_stats st;
    struct pt_rec *r;
    size_t n;
};

/* Takes a snapshot of proc (NULL: procfs_snapshot of the real /proc and
 * /etc) and etc, which must succeed, and decodes it. */
void pt_snapshot(struct pt_snap *s, const char *proc, const char *etc);
/* Splits s->buf into s->r, checking that it is exactly s->count wire-2
 * fields of known kinds and that every record decodes to its end. */
void pt_decode(struct pt_snap *s);
void pt_free(struct pt_snap *s);

/* The idx-th field tag of r (repeated fields count from 0). */
bool pt_field(const struct pt_rec *r, uint32_t tag, int idx, struct skr_field *out);
int pt_nfields(const struct pt_rec *r, uint32_t tag);
bool pt_has(const struct pt_rec *r, uint32_t tag);
uint64_t pt_u(const struct pt_rec *r, uint32_t tag);
int64_t pt_s(const struct pt_rec *r, uint32_t tag);
/* Field tag number idx as a NUL-ended copy (static storage, 4 slots). */
const char *pt_str(const struct pt_rec *r, uint32_t tag, int idx);
#define CHECK_STR(r, tag, idx, want)                                                               \
    do {                                                                                           \
        const char *got_ = pt_str(r, tag, idx);                                                    \
        CHECK(!strcmp(got_, want), "field %d[%d]: \"%s\", want \"%s\"", (int)(tag), (int)(idx),    \
              got_, want);                                                                         \
    } while (0)

/* The one THREAD record of tid, or NULL; two fail the test. */
const struct pt_rec *pt_thread(const struct pt_snap *s, int64_t tid);
/* The one FD record of pid and fd; none or two fail the test. */
const struct pt_rec *pt_fd(const struct pt_snap *s, int64_t pid, int64_t fd);
/* The record of kind whose ID is id (USER, GROUP) or sid (CONTAINER). */
const struct pt_rec *pt_id(const struct pt_snap *s, uint32_t kind, uint64_t id, const char *sid);
size_t pt_count(const struct pt_snap *s, uint32_t kind);
/* Asserts r's TUPLE is the IPv4 SOCKTUPLE (§5.3) of these ends; addresses
 * in network order, ports in host order. */
void pt_want_tuple4(const struct pt_rec *r, uint32_t sa, uint16_t sp, uint32_t da, uint16_t dp);

#endif
