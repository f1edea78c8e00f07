/* fmtbench.c -- in-process benchmarks of the trace format: writer and
 * reader throughput, seek latency, open time. Driven by bench/run, which
 * says what each number means (bench/README.md). Timing uses
 * CLOCK_MONOTONIC; nothing here asserts a time.
 *
 *   fmtbench write [-r RUNS] [-z L,L,..] TRACE DIR
 *       loads every event, checkpoint and stats block of TRACE into memory,
 *       then times only skw_append/skw_checkpoint/skw_stats/skw_close
 *       writing them again to DIR, at each zstd level
 *   fmtbench read [-r RUNS] TRACE
 *       times skr_reader_next over all events, prefetch on and off
 *   fmtbench seek [-c COUNT] [-s SEED] TRACE
 *       times skr_reader_seek_time / _seek_evnum + the first skr_reader_next
 *   fmtbench open [-r RUNS] TRACE DIR
 *       times skr_reader_open with the footer index, and on a copy in DIR
 *       without the trailer (index rebuilt by scanning)
 *   fmtbench exec [-r RUNS] [-n EVENTS] -l LABEL -- COMMAND...
 *       wall time of COMMAND with stdout on /dev/null
 *   fmtbench time -o FILE -- COMMAND...
 *       runs COMMAND once and writes "WALL_NS USER_US SYS_US" to FILE: its
 *       wall time and the CPU time of it and its reaped descendants
 *       (bench/record-bench's stopwatch)
 *
 * Not installed; not a test. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../capture/writer.h"
#include "../reader/reader.h"

#define ROW "  %-30s"

static const char *prog = "fmtbench";

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory (%zu bytes)", n);
    return q;
}

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts v; the median (mean of the middle two for an even count). */
static double median(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_u64);
    return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

static struct skr_reader *open_or_die(const char *path)
{
    struct skr_reader *r;
    char err[512];
    if (skr_reader_open(path, &r, err, sizeof err) < 0)
        die("%s", err);
    if (skr_reader_ndamage(r))
        die("%s: damaged (%s)", path, skr_reader_damage(r, 0)->what);
    return r;
}

static unsigned long parse_count(const char *s, const char *what)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || errno || v == 0)
        die("%s must be a positive number, not '%s'", what, s);
    return v;
}

/* The only option of the read and open benchmarks: -r RUNS. Returns -1
 * on an unknown option. */
static int parse_runs(int argc, char **argv, unsigned long *runs)
{
    int c;
    while ((c = getopt(argc, argv, "r:")) != -1) {
        if (c != 'r')
            return -1;
        *runs = parse_count(optarg, "-r");
    }
    return 0;
}

/* Totals from the index: events, their raw payload bytes, time span. */
struct span {
    uint64_t events, raw, first_ts, last_ts, first_evnum, end_evnum;
};

static struct span trace_span(const struct skr_reader *r)
{
    struct span s = { 0, 0, UINT64_MAX, 0, UINT64_MAX, 0 };
    for (size_t i = 0; i < skr_reader_nblocks(r); i++) {
        const struct skr_block_info *b = skr_reader_block(r, i);
        if (b->type != SKR_BLK_EVENTS || !b->count)
            continue;
        s.events += b->count;
        s.raw += b->raw_len;
        if (b->min_ts < s.first_ts)
            s.first_ts = b->min_ts;
        if (b->max_ts > s.last_ts)
            s.last_ts = b->max_ts;
        if (b->first_evnum < s.first_evnum)
            s.first_evnum = b->first_evnum;
        if (b->first_evnum + b->count > s.end_evnum)
            s.end_evnum = b->first_evnum + b->count;
    }
    if (!s.events)
        die("%s: no events", skr_reader_path(r));
    return s;
}

/* ---- write --------------------------------------------------------- */

/* The events of a trace held compactly in memory: a fixed part per event
 * and its parameters as one u64 each (varint, zigzag, or the id of an
 * interned byte string: few distinct strings recur in a syscall stream). */
struct mev {
    uint64_t ts;
    int64_t tid;
    uint32_t cpu;
    uint16_t type;
    uint16_t nparams;
};

/* A checkpoint or stats block, replayed before event number `before`. */
struct mblock {
    uint64_t before;
    int kind;
    uint64_t ts;
    uint32_t count;
    size_t off, len;            /* records in blob (checkpoints) */
    struct skw_cpu_stats *cpus; /* stats */
    size_t ncpus;
};

struct mtrace {
    struct mev *ev;
    size_t nev, capev;
    uint64_t *par;
    size_t npar, cappar;
    struct mblock *blk;
    size_t nblk, capblk;
    uint8_t *blob;              /* interned strings and checkpoint records */
    size_t blob_len, blob_cap;
    size_t *str_off;            /* string id -> offset in blob */
    uint32_t *str_len;
    size_t nstr, capstr;
    uint32_t *hash;             /* open addressing: string id + 1, 0 free */
    size_t hash_cap;
};

static size_t blob_add(struct mtrace *m, const void *p, size_t n)
{
    if (m->blob_len + n > m->blob_cap) {
        size_t cap = m->blob_cap ? m->blob_cap : 1 << 16;
        while (cap < m->blob_len + n)
            cap *= 2;
        m->blob = xrealloc(m->blob, cap);
        m->blob_cap = cap;
    }
    if (n)
        memcpy(m->blob + m->blob_len, p, n);
    m->blob_len += n;
    return m->blob_len - n;
}

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static void hash_insert(struct mtrace *m, uint32_t id)
{
    size_t mask = m->hash_cap - 1;
    size_t i = (size_t)fnv1a(m->blob + m->str_off[id], m->str_len[id]) & mask;
    while (m->hash[i])
        i = (i + 1) & mask;
    m->hash[i] = id + 1;
}

static uint32_t intern(struct mtrace *m, const uint8_t *p, uint32_t n)
{
    if (2 * (m->nstr + 1) > m->hash_cap) {
        free(m->hash);
        m->hash_cap = m->hash_cap ? m->hash_cap * 2 : 1024;
        m->hash = calloc(m->hash_cap, sizeof *m->hash);
        if (!m->hash)
            die("out of memory");
        for (size_t k = 0; k < m->nstr; k++)
            hash_insert(m, (uint32_t)k);
    }
    size_t mask = m->hash_cap - 1;
    size_t i = (size_t)fnv1a(p, n) & mask;
    for (; m->hash[i]; i = (i + 1) & mask) {
        uint32_t id = m->hash[i] - 1;
        if (m->str_len[id] == n && (n == 0 || !memcmp(m->blob + m->str_off[id], p, n)))
            return id;
    }
    if (m->nstr == m->capstr) {
        m->capstr = m->capstr ? m->capstr * 2 : 1024;
        m->str_off = xrealloc(m->str_off, m->capstr * sizeof *m->str_off);
        m->str_len = xrealloc(m->str_len, m->capstr * sizeof *m->str_len);
    }
    uint32_t id = (uint32_t)m->nstr++;
    m->str_off[id] = blob_add(m, p, n);
    m->str_len[id] = n;
    m->hash[i] = id + 1;
    return id;
}

static struct mblock *new_block(struct mtrace *m)
{
    if (m->nblk == m->capblk) {
        m->capblk = m->capblk ? m->capblk * 2 : 64;
        m->blk = xrealloc(m->blk, m->capblk * sizeof *m->blk);
    }
    struct mblock *b = &m->blk[m->nblk++];
    memset(b, 0, sizeof *b);
    b->before = m->nev;
    return b;
}

static void on_cpu(void *ctx, uint32_t cpu, uint64_t events, uint64_t drops)
{
    struct mblock *b = ctx;
    b->cpus = xrealloc(b->cpus, (b->ncpus + 1) * sizeof *b->cpus);
    b->cpus[b->ncpus++] = (struct skw_cpu_stats){ cpu, events, drops };
}

static void load_trace(struct skr_reader *r, struct mtrace *m)
{
    memset(m, 0, sizeof *m);
    skr_reader_want(r, SKR_ITEM_EVENT | SKR_ITEM_CHECKPOINT | SKR_ITEM_STATS);
    skr_reader_rewind(r);
    struct skr_item it;
    int rc;
    while ((rc = skr_reader_next(r, &it)) == 1) {
        if (it.kind == SKR_ITEM_CHECKPOINT) {
            struct mblock *b = new_block(m);
            b->kind = SKR_ITEM_CHECKPOINT;
            b->ts = it.block->min_ts;
            b->count = it.block->count;
            b->len = it.payload_len;
            b->off = blob_add(m, it.payload, it.payload_len);
            continue;
        }
        if (it.kind == SKR_ITEM_STATS) {
            struct mblock *b = new_block(m);
            b->kind = SKR_ITEM_STATS;
            b->ts = it.block->min_ts;
            if (skr_stats_decode(it.payload, it.payload_len, on_cpu, b) < 0)
                die("%s: malformed stats block %ld", skr_reader_path(r), it.block_no);
            continue;
        }
        const struct skr_event *e = it.ev;
        if (m->nev == m->capev) {
            m->capev = m->capev ? m->capev * 2 : 1 << 20;
            m->ev = xrealloc(m->ev, m->capev * sizeof *m->ev);
        }
        m->ev[m->nev++] = (struct mev){ e->ts, e->tid, e->cpu, e->type, e->nparams };
        if (m->npar + e->nparams > m->cappar) {
            while (m->npar + e->nparams > m->cappar)
                m->cappar = m->cappar ? m->cappar * 2 : 1 << 22;
            m->par = xrealloc(m->par, m->cappar * sizeof *m->par);
        }
        for (unsigned i = 0; i < e->nparams; i++) {
            const struct skr_value *v = &e->params[i];
            switch (e->def->params[i].wire) {
            case SKR_WIRE_VARINT: m->par[m->npar++] = v->u; break;
            case SKR_WIRE_ZIGZAG: m->par[m->npar++] = (uint64_t)v->s; break;
            default: m->par[m->npar++] = intern(m, v->ptr, v->len); break;
            }
        }
    }
    if (rc < 0 || skr_reader_ndamage(r))
        die("%s: read error or damage while loading", skr_reader_path(r));
    free(m->hash);
    m->hash = NULL;
}

static void free_trace(struct mtrace *m)
{
    for (size_t i = 0; i < m->nblk; i++)
        free(m->blk[i].cpus);
    free(m->blk);
    free(m->ev);
    free(m->par);
    free(m->blob);
    free(m->str_off);
    free(m->str_len);
}

struct wresult {
    uint64_t ns, raw, file_bytes;
};

/* Writes the loaded trace to out at level; only the writer calls are timed. */
static struct wresult write_once(struct skr_reader *src, const struct mtrace *m,
                                 const char *out, int level)
{
    const struct skr_header_info *hi = skr_reader_header(src);
    const struct skr_schema *schema = skr_reader_schema(src);
    struct skw_header h = {
        .created_ns = hi->created_ns, .hostname = hi->hostname,
        .kernel_release = hi->kernel_release, .kernel_version = hi->kernel_version,
        .arch = hi->arch, .boot_ns = hi->boot_ns, .ncpus = hi->ncpus,
        .recorder = hi->recorder, .recorder_version = hi->recorder_version,
        .argc = (int)hi->ncmdline, .argv = hi->cmdline, .snaplen = hi->snaplen,
        .filter = hi->filter, .noptions = (int)hi->noptions,
        .options = (const char *const *)hi->options, .source_format = hi->source_format,
        .file_seq = hi->file_seq,
    };
    struct skw_options opt = { .block_size = hi->block_size, .zstd_level = level,
                               .first_evnum = hi->first_evnum };
    char err[512];
    /* The event handed to the writer: only its used fields are filled per
     * event (the writer reads u, s or ptr/len by the schema's wire type). */
    static struct skr_event ev;
    struct skw_writer *w = skw_create(out, &h, schema, &opt, err, sizeof err);
    if (!w)
        die("%s", err);
    struct wresult res = { 0, 0, 0 };
    const uint64_t *par = m->par;
    size_t nb = 0;
    int rc = 0;
    uint64_t t0 = now_ns();
    for (size_t i = 0; i <= m->nev && rc == 0; i++) {
        for (; nb < m->nblk && m->blk[nb].before == i && rc == 0; nb++) {
            const struct mblock *b = &m->blk[nb];
            rc = b->kind == SKR_ITEM_CHECKPOINT ?
                     skw_checkpoint(w, b->ts, m->blob + b->off, b->len, b->count) :
                     skw_stats(w, b->ts, b->cpus, b->ncpus);
        }
        if (i == m->nev || rc)
            break;
        const struct mev *e = &m->ev[i];
        const struct skr_event_def *def = schema->defs[e->type];
        ev.ts = e->ts;
        ev.tid = e->tid;
        ev.cpu = e->cpu;
        ev.type = e->type;
        ev.nparams = e->nparams;
        ev.def = def;
        for (unsigned k = 0; k < e->nparams; k++) {
            struct skr_value *v = &ev.params[k];
            uint64_t x = *par++;
            switch (def->params[k].wire) {
            case SKR_WIRE_VARINT: v->u = x; break;
            case SKR_WIRE_ZIGZAG: v->s = (int64_t)x; break;
            default:
                v->ptr = m->blob + m->str_off[x];
                v->len = m->str_len[x];
                break;
            }
        }
        rc = skw_append(w, &ev);
    }
    if (rc < 0) {
        snprintf(err, sizeof err, "%s", skw_error(w) ? skw_error(w) : "write failed");
        skw_close(w, NULL, 0);
        die("%s", err);
    }
    if (skw_events_written(w) != m->nev)
        die("%s: wrote %llu events of %zu", out, (unsigned long long)skw_events_written(w), m->nev);
    res.raw = skw_raw_bytes(w);
    if (skw_close(w, err, sizeof err) < 0)
        die("%s", err);
    res.ns = now_ns() - t0;
    struct stat st;
    if (stat(out, &st) < 0)
        die("%s: %s", out, strerror(errno));
    res.file_bytes = (uint64_t)st.st_size;
    return res;
}

static int cmd_write(int argc, char **argv)
{
    unsigned long runs = 3;
    const char *levels_arg = "1,3,6";
    int c;
    while ((c = getopt(argc, argv, "r:z:")) != -1) {
        switch (c) {
        case 'r': runs = parse_count(optarg, "-r"); break;
        case 'z': levels_arg = optarg; break;
        default: return 2;
        }
    }
    if (argc - optind != 2)
        die("usage: fmtbench write [-r RUNS] [-z L,L,..] TRACE DIR");
    const char *trace = argv[optind], *dir = argv[optind + 1];
    struct skr_reader *src = open_or_die(trace);
    struct mtrace m;
    uint64_t t0 = now_ns();
    load_trace(src, &m);
    double load_s = (double)(now_ns() - t0) / 1e9;
    size_t mem = m.nev * sizeof *m.ev + m.npar * sizeof *m.par + m.blob_len;

    printf("write: skw_append + skw_close in-process, %zu events from memory, median of %lu\n",
           m.nev, runs);
    printf("  (loaded in %.1f s: %.0f MB in memory, %zu distinct strings, %zu checkpoint/stats blocks)\n",
           load_s, (double)mem / 1e6, m.nstr, m.nblk);
    printf(ROW " %9s %9s %9s %11s %8s  %s\n", "zstd level", "Mev/s", "raw MB/s",
           "disk MB/s", "bytes/event", "file MB", "target");
    char path[4096];
    uint64_t *ns = xrealloc(NULL, runs * sizeof *ns);
    for (const char *p = levels_arg; *p;) {
        char *end;
        long level = strtol(p, &end, 10);
        if (end == p || (*end && *end != ',') || level < -7 || level > 22 || level == 0)
            die("-z: bad level list '%s'", levels_arg);
        p = *end ? end + 1 : end;
        snprintf(path, sizeof path, "%s/write-z%ld.skr", dir, level);
        struct wresult res = { 0, 0, 0 };
        for (unsigned long k = 0; k < runs; k++) {
            res = write_once(src, &m, path, (int)level);
            ns[k] = res.ns;
        }
        unlink(path);
        double s = median(ns, runs) / 1e9;
        double bpe = (double)res.file_bytes / (double)m.nev;
        char label[64];
        snprintf(label, sizeof label, "%ld%s", level,
                 level == SKR_DEFAULT_ZSTD_LEVEL ? " (default)" : "");
        printf(ROW " %9.2f %9.1f %9.1f %11.3f %8.1f", label, (double)m.nev / s / 1e6,
               (double)res.raw / s / 1e6, (double)res.file_bytes / s / 1e6, bpe,
               (double)res.file_bytes / 1e6);
        if (level == SKR_DEFAULT_ZSTD_LEVEL)
            printf("  bytes/event <= 6: %s", bpe <= 6 ? "met" : "MISSED");
        printf("\n");
        fflush(stdout);
    }
    free(ns);
    free_trace(&m);
    skr_reader_close(src);
    return 0;
}

/* ---- read ---------------------------------------------------------- */

/* Keeps the touched event fields live so the loop does real work. */
static volatile uint64_t sink;

static uint64_t read_all(const char *trace, bool prefetch, uint64_t *events)
{
    struct skr_reader *r = open_or_die(trace);
    skr_reader_set_prefetch(r, prefetch);
    struct skr_item it;
    uint64_t n = 0, x = 0;
    int rc;
    uint64_t t0 = now_ns();
    while ((rc = skr_reader_next(r, &it)) == 1) {
        n++;
        x += it.ev->ts ^ it.ev->nparams;
    }
    uint64_t ns = now_ns() - t0;
    if (rc < 0 || skr_reader_ndamage(r))
        die("%s: read error or damage", trace);
    sink = x;
    *events = n;
    skr_reader_close(r);
    return ns;
}

static int cmd_read(int argc, char **argv)
{
    unsigned long runs = 3;
    if (parse_runs(argc, argv, &runs) < 0)
        return 2;
    if (argc - optind != 1)
        die("usage: fmtbench read [-r RUNS] TRACE");
    const char *trace = argv[optind];
    struct skr_reader *r = open_or_die(trace);
    struct span sp = trace_span(r);
    uint64_t file = skr_reader_file_size(r);
    skr_reader_close(r);

    printf("read: skr_reader_next over all %llu events, no printing, median of %lu\n",
           (unsigned long long)sp.events, runs);
    printf(ROW " %9s %9s %9s %11s\n", "mode", "Mev/s", "raw MB/s", "disk MB/s", "seconds");
    uint64_t *ns = xrealloc(NULL, runs * sizeof *ns);
    double rate[2];
    for (int mode = 0; mode < 2; mode++) {
        bool prefetch = mode == 0;
        for (unsigned long k = 0; k < runs; k++) {
            uint64_t got;
            ns[k] = read_all(trace, prefetch, &got);
            if (got != sp.events)
                die("%s: read %llu events, the index says %llu", trace,
                    (unsigned long long)got, (unsigned long long)sp.events);
        }
        double s = median(ns, runs) / 1e9;
        rate[mode] = (double)sp.events / s;
        printf(ROW " %9.2f %9.1f %9.1f %11.3f\n", prefetch ? "prefetch on" : "prefetch off",
               rate[mode] / 1e6, (double)sp.raw / s / 1e6, (double)file / s / 1e6, s);
        fflush(stdout);
    }
    free(ns);
    printf(ROW " %8.2fx   target > 1.00x (decompression not the bottleneck): %s\n",
           "prefetch on/off speed-up", rate[0] / rate[1], rate[0] > rate[1] ? "met" : "MISSED");
    return 0;
}

/* ---- seek ---------------------------------------------------------- */

static uint64_t rng = 1;
static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1Dull;
}

static void seek_series(struct skr_reader *r, const struct span *sp, bool by_time,
                        unsigned long count, uint64_t *ns)
{
    struct skr_item it;
    for (unsigned long i = 0; i < count; i++) {
        uint64_t target = by_time ? sp->first_ts + rnd() % (sp->last_ts - sp->first_ts + 1) :
                                    sp->first_evnum + rnd() % (sp->end_evnum - sp->first_evnum);
        uint64_t t0 = now_ns();
        if (by_time)
            skr_reader_seek_time(r, target);
        else
            skr_reader_seek_evnum(r, target);
        int rc = skr_reader_next(r, &it);
        ns[i] = now_ns() - t0;
        if (rc != 1)
            die("seek to %s %llu: no event", by_time ? "time" : "event", (unsigned long long)target);
        if (by_time ? it.ev->ts < target : it.ev->num != target)
            die("seek to %s %llu landed on event %llu at %llu", by_time ? "time" : "event",
                (unsigned long long)target, (unsigned long long)it.ev->num,
                (unsigned long long)it.ev->ts);
    }
}

static int cmd_seek(int argc, char **argv)
{
    unsigned long count = 1000;
    unsigned long long seed = 1;
    int c;
    while ((c = getopt(argc, argv, "c:s:")) != -1) {
        switch (c) {
        case 'c': count = parse_count(optarg, "-c"); break;
        case 's': seed = strtoull(optarg, NULL, 0); break;
        default: return 2;
        }
    }
    if (argc - optind != 1)
        die("usage: fmtbench seek [-c COUNT] [-s SEED] TRACE");
    const char *trace = argv[optind];
    uint64_t *ns = xrealloc(NULL, count * sizeof *ns);
    printf("seek: %lu random targets, seek + first skr_reader_next, microseconds\n", count);
    printf(ROW " %9s %9s %9s\n", "call (prefetch on: default)", "median", "p99", "max");
    for (int mode = 0; mode < 2; mode++) {
        bool prefetch = mode == 0;
        struct skr_reader *r = open_or_die(trace);
        struct span sp = trace_span(r);
        skr_reader_set_prefetch(r, prefetch);
        for (int by_time = 1; by_time >= 0; by_time--) {
            rng = seed * 0x9E3779B97F4A7C15ull + 1 + (uint64_t)by_time;
            seek_series(r, &sp, by_time, count, ns);
            double med = median(ns, count);
            size_t p99 = (count * 99 + 99) / 100 - 1; /* nearest rank */
            char label[64];
            snprintf(label, sizeof label, "%s, prefetch %s",
                     by_time ? "seek_time" : "seek_evnum", prefetch ? "on" : "off");
            printf(ROW " %9.0f %9.0f %9.0f\n", label, med / 1e3, (double)ns[p99] / 1e3,
                   (double)ns[count - 1] / 1e3);
            fflush(stdout);
        }
        skr_reader_close(r);
    }
    free(ns);
    return 0;
}

/* ---- open ---------------------------------------------------------- */

static double time_opens(const char *path, unsigned long runs, bool want_rebuilt, size_t *nblocks)
{
    uint64_t *ns = xrealloc(NULL, runs * sizeof *ns);
    for (unsigned long k = 0; k < runs; k++) {
        struct skr_reader *r;
        char err[512];
        uint64_t t0 = now_ns();
        if (skr_reader_open(path, &r, err, sizeof err) < 0)
            die("%s", err);
        *nblocks = skr_reader_nblocks(r);
        bool rebuilt = skr_reader_index_rebuilt(r) != NULL;
        skr_reader_close(r);
        ns[k] = now_ns() - t0;
        if (rebuilt != want_rebuilt)
            die("%s: index %s, expected %s", path, rebuilt ? "rebuilt" : "used",
                want_rebuilt ? "rebuilt" : "used");
    }
    double med = median(ns, runs);
    free(ns);
    return med;
}

/* Copies src to dst without its last cut bytes. */
static void copy_cut(const char *src, const char *dst, uint64_t cut)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    struct stat st;
    if (in < 0 || out < 0 || fstat(in, &st) < 0 || (uint64_t)st.st_size < cut)
        die("copying %s to %s: %s", src, dst, strerror(errno));
    uint64_t left = (uint64_t)st.st_size - cut;
    static char buf[1 << 20];
    while (left > 0) {
        ssize_t k = read(in, buf, left < sizeof buf ? (size_t)left : sizeof buf);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0 || write(out, buf, (size_t)k) != k)
            die("copying %s to %s: %s", src, dst, k < 0 ? strerror(errno) : "short read/write");
        left -= (uint64_t)k;
    }
    if (close(out) < 0)
        die("%s: %s", dst, strerror(errno));
    close(in);
}

static int cmd_open(int argc, char **argv)
{
    unsigned long runs = 21;
    if (parse_runs(argc, argv, &runs) < 0)
        return 2;
    if (argc - optind != 2)
        die("usage: fmtbench open [-r RUNS] TRACE DIR");
    const char *trace = argv[optind], *dir = argv[optind + 1];
    char cut[4096];
    snprintf(cut, sizeof cut, "%s/no-trailer.skr", dir);
    copy_cut(trace, cut, SKR_TRAILER_LEN);
    size_t nb_index, nb_scan;
    double with_index = time_opens(trace, runs, false, &nb_index);
    double scanned = time_opens(cut, runs, true, &nb_scan);
    unlink(cut);
    printf("open: skr_reader_open + skr_reader_close, milliseconds, median of %lu\n", runs);
    printf(ROW " %9.3f   (%zu blocks)\n", "with index", with_index / 1e6, nb_index);
    printf(ROW " %9.3f   (%zu blocks)\n", "trailer cut, rebuilt by scan", scanned / 1e6, nb_scan);
    if (nb_index != nb_scan)
        printf(ROW " the scan found %zu blocks, the index lists %zu\n", "NOTE", nb_scan, nb_index);
    return 0;
}

/* ---- exec ---------------------------------------------------------- */

static int cmd_exec(int argc, char **argv)
{
    unsigned long runs = 3;
    unsigned long long events = 0;
    const char *label = NULL;
    int c;
    while ((c = getopt(argc, argv, "+r:n:l:")) != -1) {
        switch (c) {
        case 'r': runs = parse_count(optarg, "-r"); break;
        case 'n': events = strtoull(optarg, NULL, 10); break;
        case 'l': label = optarg; break;
        default: return 2;
        }
    }
    if (!label || optind >= argc)
        die("usage: fmtbench exec [-r RUNS] [-n EVENTS] -l LABEL -- COMMAND...");
    uint64_t *ns = xrealloc(NULL, runs * sizeof *ns);
    for (unsigned long k = 0; k < runs; k++) {
        fflush(NULL);
        uint64_t t0 = now_ns();
        pid_t pid = fork();
        if (pid < 0)
            die("fork: %s", strerror(errno));
        if (pid == 0) {
            int fd = open("/dev/null", O_WRONLY);
            if (fd < 0 || dup2(fd, 1) < 0)
                _exit(127);
            execvp(argv[optind], argv + optind);
            fprintf(stderr, "%s: %s: %s\n", prog, argv[optind], strerror(errno));
            _exit(127);
        }
        int st;
        while (waitpid(pid, &st, 0) < 0)
            if (errno != EINTR)
                die("waitpid: %s", strerror(errno));
        ns[k] = now_ns() - t0;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            die("%s: exit status %d", argv[optind], WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    }
    double s = median(ns, runs) / 1e9;
    if (events)
        printf(ROW " %9.2f %9s %9s %11.3f\n", label, (double)events / s / 1e6, "-", "-", s);
    else
        printf(ROW " %9s %9s %9s %11.3f\n", label, "-", "-", "-", s);
    free(ns);
    return 0;
}

/* ---- time -------------------------------------------------------- */

static int cmd_time(int argc, char **argv)
{
    const char *out = NULL;
    int c;
    while ((c = getopt(argc, argv, "+o:")) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        default: return 2;
        }
    }
    if (!out || optind >= argc)
        die("usage: fmtbench time -o FILE -- COMMAND...");
    fflush(NULL);
    uint64_t t0 = now_ns();
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        execvp(argv[optind], argv + optind);
        fprintf(stderr, "%s: %s: %s\n", prog, argv[optind], strerror(errno));
        _exit(127);
    }
    int st;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0)
        if (errno != EINTR)
            die("wait4: %s", strerror(errno));
    uint64_t ns = now_ns() - t0;
    FILE *f = fopen(out, "w");
    if (!f)
        die("%s: %s", out, strerror(errno));
    fprintf(f, "%llu %llu %llu\n", (unsigned long long)ns,
            (unsigned long long)ru.ru_utime.tv_sec * 1000000ull + (unsigned long long)ru.ru_utime.tv_usec,
            (unsigned long long)ru.ru_stime.tv_sec * 1000000ull + (unsigned long long)ru.ru_stime.tv_usec);
    if (fclose(f) != 0)
        die("%s: %s", out, strerror(errno));
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fmtbench write|read|seek|open|exec|time ... (see bench/README.md)\n");
        return 2;
    }
    const char *cmd = argv[1];
    argc--;
    argv++;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(cmd, "write"))
        return cmd_write(argc, argv);
    if (!strcmp(cmd, "read"))
        return cmd_read(argc, argv);
    if (!strcmp(cmd, "seek"))
        return cmd_seek(argc, argv);
    if (!strcmp(cmd, "open"))
        return cmd_open(argc, argv);
    if (!strcmp(cmd, "exec"))
        return cmd_exec(argc, argv);
    if (!strcmp(cmd, "time"))
        return cmd_time(argc, argv);
    fprintf(stderr, "%s: unknown benchmark '%s'\n", prog, cmd);
    return 2;
}
