/* evtfmt.c -- event and parameter text for `saker read` (stateless: the
 * parameters as recorded, by their schema types, man/saker-trace.5 §5.1). */
#include "evtfmt.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "../reader/escape.h"

static void put_str(struct skr_buf *b, const char *s) { skr_put_raw(b, s, strlen(s)); }

static void put_fmt_u(struct skr_buf *b, const char *fmt, unsigned long long v)
{
    char t[32];
    int n = snprintf(t, sizeof t, fmt, v);
    skr_put_raw(b, t, (size_t)n);
}

static void put_int(struct skr_buf *b, long long v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%lld", v);
    skr_put_raw(b, t, (size_t)n);
}

/* A port is read little-endian (§5.2). */
static uint16_t port_at(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static void put_addr(struct skr_buf *b, int family, const uint8_t *a, uint16_t port)
{
    char t[INET6_ADDRSTRLEN + 16];
    char ip[INET6_ADDRSTRLEN];
    inet_ntop(family, a, ip, sizeof ip);
    int n = snprintf(t, sizeof t, family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip, port);
    skr_put_raw(b, t, (size_t)n);
}

static void put_sockaddr(struct skr_buf *b, const uint8_t *p, size_t n)
{
    if (n < 1) {
        put_str(b, "<NA>");
        return;
    }
    if (p[0] == AF_INET && n >= 7)
        put_addr(b, AF_INET, p + 1, port_at(p + 5));
    else if (p[0] == AF_INET6 && n >= 19)
        put_addr(b, AF_INET6, p + 1, port_at(p + 17));
    else if (p[0] == AF_UNIX)
        skr_escape_append(b, p + 1, n - 1);
    else
        put_fmt_u(b, "family=%llu", p[0]);
}

static void put_tuple(struct skr_buf *b, const uint8_t *p, size_t n)
{
    if (n >= 13 && p[0] == AF_INET) {
        put_addr(b, AF_INET, p + 1, port_at(p + 5));
        put_str(b, "->");
        put_addr(b, AF_INET, p + 7, port_at(p + 11));
    } else if (n >= 37 && p[0] == AF_INET6) {
        put_addr(b, AF_INET6, p + 1, port_at(p + 17));
        put_str(b, "->");
        put_addr(b, AF_INET6, p + 19, port_at(p + 35));
    } else if (n >= 17 && p[0] == AF_UNIX) {
        struct skr_cur c = skr_cur_make(p + 1, n - 1);
        uint64_t src = skr_get_u64(&c), dst = skr_get_u64(&c);
        put_fmt_u(b, "%llx->", src);
        put_fmt_u(b, "%llx ", dst);
        skr_escape_append(b, p + 17, n - 17);
    } else if (n >= 1) {
        put_fmt_u(b, "family=%llu", p[0]);
    } else {
        put_str(b, "<NA>");
    }
}

void evtfmt_value(struct skr_buf *out, const struct skr_param_def *def, const struct skr_value *v)
{
    switch (def->type) {
    case SKR_PT_INT:
    case SKR_PT_FD:
    case SKR_PT_PID:
        put_int(out, v->s);
        return;
    case SKR_PT_ERRNO:
        put_int(out, v->s);
        if (v->s < 0 && v->s > -4096) {
            const char *name = strerrorname_np((int)-v->s);
            if (name) {
                put_str(out, "(");
                put_str(out, name);
                put_str(out, ")");
            }
        }
        return;
    case SKR_PT_UINT:
    case SKR_PT_UID:
    case SKR_PT_GID:
    case SKR_PT_TIME:
    case SKR_PT_DURATION:
        put_fmt_u(out, "%llu", v->u);
        return;
    case SKR_PT_HEX:
    case SKR_PT_FLAGS:
        put_fmt_u(out, "0x%llx", v->u);
        return;
    case SKR_PT_MODE:
        put_fmt_u(out, v->u ? "0%llo" : "%llo", v->u);
        return;
    case SKR_PT_SIGNAL: {
        const char *name = v->u < 128 ? sigabbrev_np((int)v->u) : NULL;
        if (name) {
            put_str(out, "SIG");
            put_str(out, name);
        } else {
            put_fmt_u(out, "%llu", v->u);
        }
        return;
    }
    case SKR_PT_STRLIST:
        for (uint32_t i = 0, start = 0; i <= v->len; i++) {
            if (i == v->len || v->ptr[i] == 0) {
                if (i == v->len && i == start)
                    break;
                if (start)
                    skr_put_u8(out, ' ');
                skr_escape_append(out, v->ptr + start, i - start);
                start = i + 1;
            }
        }
        return;
    case SKR_PT_SOCKADDR:
        put_sockaddr(out, v->ptr, v->len);
        return;
    case SKR_PT_SOCKTUPLE:
        put_tuple(out, v->ptr, v->len);
        return;
    case SKR_PT_STRING:
    case SKR_PT_PATH:
    case SKR_PT_DATA:
        skr_escape_append(out, v->ptr, v->len);
        return;
    default:
        /* §15: a type this saker does not know is shown by its wire type. */
        if (def->wire == SKR_WIRE_BYTES)
            skr_escape_append(out, v->ptr, v->len);
        else if (def->wire == SKR_WIRE_ZIGZAG)
            put_int(out, v->s);
        else
            put_fmt_u(out, "%llu", v->u);
        return;
    }
}

/* localtime_r per event is the cost of printing; cache the second. */
static struct {
    time_t sec;
    struct tm tm;
    bool valid;
} tcache;

static const struct tm *local_tm(time_t sec)
{
    if (!tcache.valid || tcache.sec != sec) {
        localtime_r(&sec, &tcache.tm);
        tcache.sec = sec;
        tcache.valid = true;
    }
    return &tcache.tm;
}

void evtfmt_time(struct skr_buf *out, uint64_t ts)
{
    const struct tm *tm = local_tm((time_t)(ts / 1000000000ull));
    char t[32];
    int n = snprintf(t, sizeof t, "%02d:%02d:%02d.%09llu", tm->tm_hour, tm->tm_min, tm->tm_sec,
                     (unsigned long long)(ts % 1000000000ull));
    skr_put_raw(out, t, (size_t)n);
}

void evtfmt_clock(struct skr_buf *out, uint64_t ts, bool date, bool ns, bool utc)
{
    time_t sec = (time_t)(ts / 1000000000ull);
    struct tm tm;
    if (!(utc ? gmtime_r(&sec, &tm) : localtime_r(&sec, &tm))) {
        skr_put_raw(out, "<NA>", 4);
        return;
    }
    char t[64];
    int n = 0;
    if (date)
        n += snprintf(t + n, sizeof t - (size_t)n, "%04d-%02d-%02d%c", tm.tm_year + 1900,
                      tm.tm_mon + 1, tm.tm_mday, utc ? 'T' : ' ');
    n += snprintf(t + n, sizeof t - (size_t)n, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    if (ns)
        n += snprintf(t + n, sizeof t - (size_t)n, ".%09llu",
                      (unsigned long long)(ts % 1000000000ull));
    if (utc)
        n += snprintf(t + n, sizeof t - (size_t)n, "+0000");
    skr_put_raw(out, t, (size_t)n);
}

void evtfmt_datetime(struct skr_buf *out, uint64_t ts)
{
    const struct tm *tm = local_tm((time_t)(ts / 1000000000ull));
    char t[64];
    int n = snprintf(t, sizeof t, "%04d-%02d-%02d %02d:%02d:%02d.%09llu %s", tm->tm_year + 1900,
                     tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec,
                     (unsigned long long)(ts % 1000000000ull), tm->tm_zone ? tm->tm_zone : "");
    skr_put_raw(out, t, (size_t)n);
}

void evtfmt_args(struct skr_buf *out, const struct skr_event *ev)
{
    for (unsigned i = 0; i < ev->nparams; i++) {
        if (i)
            skr_put_u8(out, ' ');
        put_str(out, ev->def->params[i].name);
        skr_put_u8(out, '=');
        evtfmt_value(out, &ev->def->params[i], &ev->params[i]);
    }
}

void evtfmt_line(struct skr_buf *out, const struct skr_event *ev, const char *comm)
{
    put_fmt_u(out, "%llu ", ev->num);
    evtfmt_time(out, ev->ts);
    put_fmt_u(out, " %llu ", ev->cpu);
    if (comm)
        skr_escape_append(out, (const uint8_t *)comm, strlen(comm));
    else
        put_str(out, "<NA>");
    put_str(out, " (");
    put_int(out, ev->tid);
    put_str(out, ") ");
    put_str(out, skr_dir_name(ev->def->dir));
    skr_put_u8(out, ' ');
    put_str(out, ev->def->name);
    if (ev->nparams) {
        skr_put_u8(out, ' ');
        evtfmt_args(out, ev);
    }
    skr_put_u8(out, '\n');
}
