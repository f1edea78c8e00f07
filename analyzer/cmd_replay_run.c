/* cmd_replay_run.c -- the loop of `saker replay`: every event through the
 * rules engine, each hit printed and stored, a progress line on a terminal,
 * and the summary at the end (events, hits by priority and by rule, time,
 * the drops the traces' stats blocks record).
 *
 * The hot path is replay_next + engine_eval; everything else happens per
 * hit or every PROGRESS_EVERY events. Output is buffered and written in
 * 64 KiB pieces, or after each event with hits when stdout is a terminal
 * (an analyst watching should see a hit when it is found). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../reader/codec.h"
#include "../reader/escape.h"
#include "cli.h"
#include "cmd_replay_int.h"

/* Events between looks at the clock: 16384 events take ~3 ms at the
 * target rate, far below the 250 ms between progress updates. */
#define PROGRESS_EVERY 16384
#define PROGRESS_NS 250000000ull
#define OUT_FLUSH (1u << 16)

/* Ctrl-C (or SIGTERM) stops the replay between two events: what was found
 * is printed, the summary says how far it got, and committed hits stay in
 * the database with the run unfinished (hitdb-schema: finished NULL). */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig) { stop_signal = sig; }

struct loop {
    struct rp_run *r;
    struct skr_buf out;
    bool out_tty, shown;         /* a progress line is on the terminal */
    uint64_t hits, by_pri[8];
    size_t file;
    long block;
    bool failed;                 /* a hit could not be rendered or stored */
    uint64_t t0, last_progress;
    uint64_t start_ts, end_ts;   /* the replayed range, for the percentage */
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void clear_progress(struct loop *l)
{
    if (l->shown) {
        fputs("\r\033[K", stderr);
        l->shown = false;
    }
}

static int flush_out(struct loop *l)
{
    if (!l->out.len)
        return 0;
    clear_progress(l);
    size_t len = l->out.len;
    size_t n = fwrite(l->out.data, 1, len, stdout);
    skr_buf_reset(&l->out);
    if (l->out_tty)
        fflush(stdout);
    return n == len ? 0 : -1;
}

static int on_hit(void *arg, size_t rule, const struct fld_ctx *ctx)
{
    struct loop *l = arg;
    struct hitout_hit h;
    if (!hitout_render(l->r->ho, rule, ctx, &h) ||
        !hitout_format(l->r->ho, &h, l->r->a->json, &l->out)) {
        cli_error("replay: out of memory rendering a hit");
        l->failed = true;
        return 1;
    }
    l->hits++;
    l->by_pri[h.rule->priority & 7]++;
    if (l->r->db && rp_db_hit(l->r->db, &h, l->file, l->block, ctx->ev->num) < 0) {
        l->failed = true;
        return 1;
    }
    return 0;
}

static void progress(struct loop *l, uint64_t events, uint64_t ts, uint64_t now)
{
    double secs = (double)(now - l->t0) / 1e9;
    double pct = 0;
    if (l->end_ts > l->start_ts && ts >= l->start_ts)
        pct = 100.0 * (double)(ts - l->start_ts) / (double)(l->end_ts - l->start_ts);
    if (pct > 100)
        pct = 100;
    fprintf(stderr, "\r\033[K%llu events  %.2f Mev/s  %llu hits  %.0f%%",
            (unsigned long long)events, secs > 0 ? (double)events / secs / 1e6 : 0.0,
            (unsigned long long)l->hits, pct);
    l->shown = true;
}

/* --- drops: the traces' own stats blocks ---------------------------------- */

struct drops {
    uint64_t cpu[1024];
    bool seen;
};

static void on_stats(void *ctx, uint32_t cpu, uint64_t events, uint64_t drops)
{
    struct drops *d = ctx;
    (void)events;
    /* Counters are cumulative (man/saker-trace.5 §9): the last block has
     * the totals. */
    if (cpu < 1024)
        d->cpu[cpu] = drops;
    d->seen = true;
}

/* Sum of every file's drops; -1 when no file has a stats block. Each file
 * is opened again and only its STATS blocks are read. *with_stats: how
 * many files have some. */
static int64_t trace_drops(const struct rp_args *a, size_t *with_stats)
{
    uint64_t total = 0;
    bool any = false;
    *with_stats = 0;
    struct drops *d = malloc(sizeof *d);
    if (!d)
        return -1;
    for (size_t i = 0; i < a->ntraces; i++) {
        struct skr_reader *r;
        char err[300];
        if (skr_reader_open(a->traces[i], &r, err, sizeof err) < 0)
            continue;
        memset(d, 0, sizeof *d);
        skr_reader_set_prefetch(r, false);
        skr_reader_want(r, SKR_ITEM_STATS);
        struct skr_item it;
        while (skr_reader_next(r, &it) == 1)
            if (it.kind == SKR_ITEM_STATS)
                skr_stats_decode(it.payload, it.payload_len, on_stats, d);
        skr_reader_close(r);
        if (d->seen) {
            any = true;
            (*with_stats)++;
            for (size_t c = 0; c < 1024; c++)
                total += d->cpu[c];
        }
    }
    free(d);
    return any ? (int64_t)total : -1;
}

/* --- summary --------------------------------------------------------------- */

static int cmp_hits(const void *x, const void *y, void *arg)
{
    const struct engine *e = arg;
    size_t i = *(const size_t *)x, k = *(const size_t *)y;
    uint64_t a = engine_rule_hits(e, i), b = engine_rule_hits(e, k);
    if (a != b)
        return a < b ? 1 : -1;
    return i < k ? -1 : i > k;
}

static void summary(struct loop *l, uint64_t events, double secs, int64_t drops,
                    size_t with_stats)
{
    struct rp_run *r = l->r;
    const struct replay_stats *rs = replay_get_stats(r->rp);
    fprintf(stderr, "replay: %llu events in %.2f s (%.2f Mev/s), %zu trace%s, %zu rules file%s, "
                    "%zu rules evaluated",
            (unsigned long long)events, secs, secs > 0 ? (double)events / secs / 1e6 : 0.0,
            r->a->ntraces, r->a->ntraces == 1 ? "" : "s", r->nfiles, r->nfiles == 1 ? "" : "s",
            engine_count(r->e));
    if (engine_dropped(r->e))
        fprintf(stderr, " (%zu left out by the options)", engine_dropped(r->e));
    fprintf(stderr, "\nhits: %llu", (unsigned long long)l->hits);
    const char *sep = " (";
    for (int p = 0; p < 8; p++) {
        if (!l->by_pri[p])
            continue;
        fprintf(stderr, "%s%s %llu", sep, rules_priority_name((enum rules_priority)p),
                (unsigned long long)l->by_pri[p]);
        sep = ", ";
    }
    fprintf(stderr, "%s\n", l->hits ? ")" : "");
    size_t n = engine_count(r->e);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (order) {
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        qsort_r(order, n, sizeof *order, cmp_hits, r->e);
        char esc[1024];
        for (size_t i = 0; i < n && engine_rule_hits(r->e, order[i]); i++) {
            const struct rules_rule *ru = engine_rule(r->e, order[i]);
            fprintf(stderr, "  %10llu  %-13s %s\n",
                    (unsigned long long)engine_rule_hits(r->e, order[i]),
                    rules_priority_name(ru->priority), skr_escape_str(ru->name, esc, sizeof esc));
        }
        free(order);
    }
    if (r->a->verbose)
        fprintf(stderr, "engine: %llu rule evaluations (%.3f per event), %zu rules match any "
                        "event type, %llu events before the start applied to the state\n",
                (unsigned long long)engine_evaluations(r->e),
                events ? (double)engine_evaluations(r->e) / (double)events : 0.0,
                engine_any_type_count(r->e), (unsigned long long)(rs->events - events));
    if (drops < 0)
        fprintf(stderr, "drops: unknown (the traces have no stats blocks)\n");
    else if (with_stats < r->a->ntraces)
        fprintf(stderr, "drops: %lld events lost while recording (stats blocks of %zu of the "
                        "%zu traces, the others have none)%s\n",
                (long long)drops, with_stats, r->a->ntraces, drops ? ": hits may be missing" : "");
    else
        fprintf(stderr, "drops: %lld events lost while recording (the traces' stats blocks)%s\n",
                (long long)drops, drops ? ": hits may be missing" : "");
}

int rp_run(struct rp_run *r)
{
    struct loop l = { .r = r, .out_tty = isatty(STDOUT_FILENO), .t0 = now_ns() };
    struct replay *rp = r->rp;
    l.start_ts = r->from_ns ? r->from_ns : replay_first_ts(rp);
    l.end_ts = r->to_ns ? r->to_ns : replay_last_ts(rp);
    /* SA_RESTART: a write to a pipe or terminal interrupted by the signal
     * goes on instead of failing with EINTR. */
    struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART }, old_int, old_term;
    sigemptyset(&sa.sa_mask);
    stop_signal = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    l.last_progress = l.t0;
    const struct fld_ctx *ctx;
    uint64_t events = 0;
    int rc;
    while ((rc = replay_next(rp, &ctx)) == 1) {
        events++;
        replay_current_source(rp, &l.file, &l.block);
        if (engine_eval(r->e, l.file, ctx, on_hit, &l)) {
            if (l.failed)
                break;
            if (l.out.len >= OUT_FLUSH || l.out_tty)
                flush_out(&l);
        }
        if (stop_signal)
            break;
        if (events % PROGRESS_EVERY == 0) {
            uint64_t now = now_ns();
            if (now - l.last_progress >= PROGRESS_NS) {
                l.last_progress = now;
                if (r->a->progress)
                    progress(&l, events, ctx->ev->ts, now);
                if (r->db)
                    rp_db_progress(r->db, events);
            }
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    int status = EXIT_OK;
    if (flush_out(&l) < 0 || fflush(stdout) != 0) {
        clear_progress(&l);
        cli_error("replay: writing output: %s", strerror(errno));
        status = EXIT_UNUSABLE;
    }
    clear_progress(&l);
    skr_buf_free(&l.out);
    double secs = (double)(now_ns() - l.t0) / 1e9;
    if (l.failed)
        return EXIT_UNUSABLE; /* the reason is printed; the run stays unfinished */
    size_t with_stats;
    int64_t drops = trace_drops(r->a, &with_stats);
    if (stop_signal) {
        if (!r->a->quiet)
            summary(&l, events, secs, drops, with_stats);
        cli_error("replay: interrupted after %llu events%s", (unsigned long long)events,
                  r->db ? "; the hits found so far are in the database, the run unfinished" : "");
        if (r->db)
            rp_db_interrupted(r->db, events);
        return 128 + stop_signal;
    }
    if (!r->a->quiet)
        summary(&l, events, secs, drops, with_stats);
    if (r->db && rp_db_finish(r->db, events, drops < 0 ? 0 : (uint64_t)drops, r->a->quiet) < 0)
        status = EXIT_UNUSABLE;
    if (status == EXIT_OK &&
        (rc < 0 || replay_damaged(rp) || replay_get_stats(rp)->checkpoints_failed))
        status = EXIT_DAMAGED;
    return status;
}
