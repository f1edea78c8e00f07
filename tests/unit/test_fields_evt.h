/* test_fields_evt.h -- the fixture the field tests share (defined in
 * test_fields_evt.c): one event of saker's own schema, hand-made state
 * structs around it (no state implementation involved), and shortcuts to
 * extract and format a field by name. */
#ifndef SAKER_TEST_FIELDS_EVT_H
#define SAKER_TEST_FIELDS_EVT_H

#include "../../analyzer/fields.h"

struct fx {
    struct skr_event ev, enter;
    struct st_event se;
    struct st_thread th;
    struct st_fd fd;
    struct fld_scratch sc;
    struct fld_ctx ctx;
    char cwd[64];
    char fmtbuf[1024];
};

/* An event of type evtype (saker's schema) at FX_TS on tid 100, cwd
 * "/home/u/", no fd. */
#define FX_TS 1700000000123456789ull
void fx_init(struct fx *f, const char *evtype);
void fx_s(struct fx *f, const char *param, int64_t v);
void fx_u(struct fx *f, const char *param, uint64_t v);
void fx_str(struct fx *f, const char *param, const char *s);
void fx_bytes(struct fx *f, const char *param, const void *p, size_t n);
/* Makes fd the event's fd (st_event.fd, fdnum). */
void fx_fd(struct fx *f, int64_t num, char type, const char *name);
/* Parses field (which must parse whole) and extracts it. */
struct fvals fx_get(struct fx *f, const char *field);
/* ...and formats the values as an output would. */
const char *fx_fmt(struct fx *f, const char *field);
void fx_free(struct fx *f);

#endif
