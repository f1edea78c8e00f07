/* replay_time.c -- time arguments of the replay (--from/--to): absolute
 * ISO 8601 times, clock times on the trace's first day, ns since the
 * epoch, and +offsets from the trace start (replay_parse_time in
 * replay.h). Local times go through mktime, so TZ applies as it does to
 * the times `saker read` prints. */
#include "replay.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define NS 1000000000ull

/* Reads exactly n digits. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

/* ".123" -> 123000000 ns; up to 9 digits. */
static bool fraction(const char **p, uint64_t *ns)
{
    *ns = 0;
    if (**p != '.')
        return true;
    (*p)++;
    int n = 0;
    uint64_t scale = NS / 10;
    while (isdigit((unsigned char)**p)) {
        if (++n > 9)
            return false;
        *ns += (uint64_t)(**p - '0') * scale;
        scale /= 10;
        (*p)++;
    }
    return n > 0;
}

/* HH:MM:SS[.frac] into tm and ns. */
static bool clock_time(const char **p, struct tm *tm, uint64_t *ns)
{
    int h, mi, s;
    if (!digits(p, 2, &h) || *(*p)++ != ':' || !digits(p, 2, &mi) || *(*p)++ != ':' ||
        !digits(p, 2, &s) || !fraction(p, ns))
        return false;
    if (h > 23 || mi > 59 || s > 60)
        return false;
    tm->tm_hour = h;
    tm->tm_min = mi;
    tm->tm_sec = s;
    return true;
}

static int bad(const char *s, char *err, size_t errlen, const char *why)
{
    snprintf(err, errlen, "bad time '%.60s': %s", s, why);
    return -1;
}

/* +1m30s, +1.5ms: a sum of NUMBER[.FRACTION] UNIT terms. */
static int offset(const char *s, uint64_t start, uint64_t *out, char *err, size_t errlen)
{
    const char *p = s + 1;
    uint64_t total = 0;
    if (!*p)
        return bad(s, err, errlen, "nothing after '+'");
    while (*p) {
        if (!isdigit((unsigned char)*p))
            return bad(s, err, errlen, "expected a number (like +1m30s, +500ms)");
        uint64_t v = 0;
        while (isdigit((unsigned char)*p)) {
            uint64_t d = (uint64_t)(*p++ - '0');
            if (v > (UINT64_MAX - d) / 10)
                return bad(s, err, errlen, "number too large");
            v = v * 10 + d;
        }
        uint64_t frac = 0;
        if (*p == '.' && !fraction(&p, &frac))
            return bad(s, err, errlen, "bad fraction");
        uint64_t unit;
        if (!strncmp(p, "ns", 2)) unit = 1, p += 2;
        else if (!strncmp(p, "us", 2)) unit = 1000, p += 2;
        else if (!strncmp(p, "ms", 2)) unit = 1000000, p += 2;
        else if (*p == 's') unit = NS, p += 1;
        else if (*p == 'm') unit = 60 * NS, p += 1;
        else if (*p == 'h') unit = 3600 * NS, p += 1;
        else if (*p == 'd') unit = 86400 * NS, p += 1;
        else
            return bad(s, err, errlen, "expected a unit: d h m s ms us ns");
        if (frac && unit == 1)
            return bad(s, err, errlen, "nanoseconds take no fraction");
        /* frac is a share of the unit in billionths; in integers, since
         * 1e9 * (1 h / 1000) still fits 64 bits and a day does not */
        uint64_t part = unit == 86400 * NS ? frac / 1000 * (unit / 1000000)
                                           : frac * (unit / 1000) / 1000000;
        if (v > (UINT64_MAX - total - part) / unit)
            return bad(s, err, errlen, "offset too large");
        total += v * unit + part;
    }
    if (total > UINT64_MAX - start)
        return bad(s, err, errlen, "offset too large");
    *out = start + total;
    return 0;
}

int replay_parse_time(const char *s, uint64_t trace_start, uint64_t *out, char *err,
                      size_t errlen)
{
    if (s[0] == '+')
        return offset(s, trace_start, out, err, errlen);
    size_t n = strlen(s);
    if (n && strspn(s, "0123456789") == n) {
        if (n < 11)
            return bad(s, err, errlen, "a number is ns since the epoch (19 digits today); "
                                       "for an offset write +30s");
        uint64_t v = 0;
        for (const char *p = s; *p; p++) {
            uint64_t d = (uint64_t)(*p - '0');
            if (v > (UINT64_MAX - d) / 10)
                return bad(s, err, errlen, "number too large");
            v = v * 10 + d;
        }
        *out = v;
        return 0;
    }
    struct tm tm = { 0 };
    uint64_t frac = 0;
    const char *p = s;
    tm.tm_isdst = -1;
    if (n >= 8 && s[2] == ':') {
        /* A clock time on the first day of the trace, as `read` prints it. */
        time_t t0 = (time_t)(trace_start / NS);
        localtime_r(&t0, &tm);
        tm.tm_isdst = -1;
        if (!clock_time(&p, &tm, &frac) || *p)
            return bad(s, err, errlen, "expected HH:MM:SS[.frac]");
    } else {
        int y, mo, d;
        if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
            !digits(&p, 2, &d) || (*p != 'T' && *p != ' '))
            return bad(s, err, errlen, "expected YYYY-MM-DDTHH:MM:SS[.frac][Z], ns since the "
                                       "epoch, or +OFFSET");
        p++;
        if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || !clock_time(&p, &tm, &frac))
            return bad(s, err, errlen, "date or time out of range");
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
    }
    time_t sec;
    if (*p == 'Z' || *p == '+' || *p == '-') {
        long off = 0;
        if (*p != 'Z') {
            int oh, om;
            int sign = *p++ == '-' ? -1 : 1;
            if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om) || oh > 23 || om > 59)
                return bad(s, err, errlen, "zone must be Z or +HH:MM");
            off = sign * (oh * 3600L + om * 60L);
        } else {
            p++;
        }
        if (*p)
            return bad(s, err, errlen, "text after the zone");
        sec = timegm(&tm) - off;
    } else {
        if (*p)
            return bad(s, err, errlen, "text after the time");
        sec = mktime(&tm);
    }
    if (sec < 0)
        return bad(s, err, errlen, "before 1970");
    *out = (uint64_t)sec * NS + frac;
    return 0;
}
