/* test_hitdb_query.c -- the hit database's read side against a model:
 * 400 seeded hits (ties in time, NULL process names and containers, LIKE
 * wildcards in outputs) kept in memory, and every query compared with
 * what the model says: counts under each filter, pages in every order at
 * several offsets, keyset walks both ways, ranks, groups, histograms,
 * one hit, runs; and an empty database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "test_hitdb.h"
#include "testutil.h"

enum { NHITS = 400, NRUN1 = 300 };
#define T0 1700000000000000000ull

struct mhit {
    int64_t id, run;
    uint64_t t;
    int prio;
    const char *rule, *proc, *cont;
    char output[16];
};

static struct mhit model[NHITS];

static const char *const rules[] = { "Rule A", "Rule B", "rule c", "Rule D", "Shell in container" };
static const char *const procs[] = { "bash", "cat", NULL, "sshd" };
static const char *const conts[] = { "host", "abc123", NULL, "def456" };

/* Builds the database and the model. */
static struct hitdb *build(const char *name)
{
    char path[512], err[512] = "";
    tmp_path(path, sizeof path, name);
    unlink(path);
    struct hitdb *db = thd_open(path, HITDB_CREATE);
    struct rng r;
    rng_seed(&r, 42);
    int64_t run = thd_begin(db, 50, 0);
    for (int i = 0; i < NHITS; i++) {
        if (i == NRUN1) {
            CHECK(hitdb_run_finish(db, 1, 0, err, sizeof err) == 0, "%s", err);
            run = thd_begin(db, 50, 0);
        }
        struct mhit *m = &model[i];
        m->id = i + 1;
        m->run = run;
        m->t = T0 + rng_below(&r, 60) * 1000;       /* many ties */
        m->prio = (int)rng_below(&r, 8);
        m->rule = rules[rng_below(&r, 5)];
        m->proc = procs[rng_below(&r, 4)];
        m->cont = conts[rng_below(&r, 4)];
        static const char alpha[] = "abAB%_\\ x";
        size_t len = 3 + rng_below(&r, 10);
        for (size_t k = 0; k < len; k++)
            m->output[k] = alpha[rng_below(&r, sizeof alpha - 1)];
        m->output[len] = 0;
        struct hitdb_hit h;
        thd_hit(&h, (uint64_t)i);
        h.time_ns = m->t;
        h.priority = m->prio;
        h.rule = m->rule;
        h.proc_name = m->proc;
        h.container_id = m->cont;
        h.output = m->output;
        thd_add(db, &h);
    }
    CHECK(hitdb_run_finish(db, 2, 0, err, sizeof err) == 0, "%s", err);
    return db;
}

static bool ci_contains(const char *hay, const char *needle)
{
    return !needle || !needle[0] || strcasestr(hay, needle) != NULL;
}

static bool matches(const struct mhit *m, const struct hitdb_filter *f)
{
    if (f->priorities && !(f->priorities & (1u << m->prio)))
        return false;
    if (f->rule && strcmp(f->rule, m->rule) != 0)
        return false;
    if (f->container_id && (!m->cont || strcmp(f->container_id, m->cont) != 0))
        return false;
    if (f->from_ns && m->t < f->from_ns)
        return false;
    if (f->to_ns && m->t >= f->to_ns)
        return false;
    if (f->run && m->run != f->run)
        return false;
    return ci_contains(m->output, f->text);
}

static const struct hitdb_filter filters[] = {
    { 0 },
    { .priorities = (1 << 2) | (1 << 5) },
    { .priorities = 0xff },
    { .rule = "Rule B" },
    { .container_id = "host" },
    { .from_ns = T0 + 10000, .to_ns = T0 + 30000 },
    { .text = "%" },              /* a literal percent sign, not "anything" */
    { .text = "a_" },
    { .text = "\\" },
    { .text = "AB" },             /* ASCII case-insensitive */
    { .run = 2 },
    { .priorities = 1 << 7, .rule = "Rule A", .container_id = "abc123", .text = "b" },
    { .rule = "no such rule" },
};
enum { NFILTERS = sizeof filters / sizeof filters[0] };

static int cmp_str(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);   /* NULL first */
    return strcmp(a, b);
}

static enum hitdb_col sort_col;
static bool sort_desc;

static int cmp_model(const void *pa, const void *pb)
{
    const struct mhit *a = pa, *b = pb;
    int c = 0;
    switch (sort_col) {
    case HITDB_COL_TIME: c = 0; break;
    case HITDB_COL_PRIORITY: c = (a->prio > b->prio) - (a->prio < b->prio); break;
    case HITDB_COL_RULE: c = cmp_str(a->rule, b->rule); break;
    case HITDB_COL_PROC: c = cmp_str(a->proc, b->proc); break;
    case HITDB_COL_CONTAINER: c = cmp_str(a->cont, b->cont); break;
    case HITDB_COL_OUTPUT: c = cmp_str(a->output, b->output); break;
    case HITDB_COL_ID: c = 0; break;
    }
    if (!c && sort_col != HITDB_COL_ID)
        c = (a->t > b->t) - (a->t < b->t);
    if (!c)
        c = (a->id > b->id) - (a->id < b->id);
    return sort_desc ? -c : c;
}

/* The model's rows under f in order o; returns how many. */
static size_t expected(const struct hitdb_filter *f, const struct hitdb_order *o,
                       struct mhit *out)
{
    size_t n = 0;
    for (int i = 0; i < NHITS; i++)
        if (matches(&model[i], f))
            out[n++] = model[i];
    sort_col = o->col;
    sort_desc = o->desc;
    qsort(out, n, sizeof *out, cmp_model);
    return n;
}

static const enum hitdb_col all_cols[] = {
    HITDB_COL_TIME, HITDB_COL_PRIORITY, HITDB_COL_RULE, HITDB_COL_PROC, HITDB_COL_CONTAINER,
    HITDB_COL_OUTPUT, HITDB_COL_ID,
};
enum { NCOLS = sizeof all_cols / sizeof all_cols[0] };

static void check_row(const struct hitdb_row *r, const struct mhit *m, const char *ctx)
{
    CHECK(r->id == m->id, "%s: id %lld, expected %lld", ctx, (long long)r->id, (long long)m->id);
    CHECK(r->time_ns == m->t && r->priority == m->prio && strcmp(r->rule, m->rule) == 0 &&
          cmp_str(r->proc_name, m->proc) == 0 && cmp_str(r->container_id, m->cont) == 0 &&
          strcmp(r->output, m->output) == 0 && r->run == m->run, "%s: row %lld differs", ctx,
          (long long)m->id);
    CHECK(r->fields == NULL && r->trace_sha256 && strlen(r->trace_sha256) == 64 &&
          strcmp(r->source, "syscall") == 0 && r->evnum == (uint64_t)m->id, "%s: row %lld", ctx,
          (long long)m->id);
}

START_TEST(q_count)
{
    struct hitdb *db = build("hitdb-q-count.db");
    char err[512] = "";
    for (size_t k = 0; k < NFILTERS; k++) {
        uint64_t n = 0, want = 0;
        for (int i = 0; i < NHITS; i++)
            want += matches(&model[i], &filters[k]);
        CHECK(hitdb_count(db, &filters[k], &n, err, sizeof err) == 0, "count: %s", err);
        CHECK(n == want, "filter %zu: %llu, expected %llu", k, (unsigned long long)n,
              (unsigned long long)want);
        /* every filter but the last matches something, or the test is weak */
        CHECK(want > 0 || k == NFILTERS - 1, "filter %zu matches nothing", k);
    }
    uint64_t n = 0;
    CHECK(hitdb_count(db, NULL, &n, err, sizeof err) == 0 && n == NHITS, "count all");
    hitdb_close(db);
}
END_TEST

START_TEST(q_pages)
{
    struct hitdb *db = build("hitdb-q-pages.db");
    static struct mhit want[NHITS];
    char err[512] = "", ctx[128];
    for (size_t k = 0; k < NFILTERS; k++) {
        for (size_t c = 0; c < NCOLS; c++) {
            for (int desc = 0; desc < 2; desc++) {
                struct hitdb_order o = { all_cols[c], desc };
                size_t n = expected(&filters[k], &o, want);
                uint64_t offs[] = { 0, 17, n > 5 ? n - 5 : 0, n + 3 };
                for (size_t j = 0; j < 4; j++) {
                    struct hitdb_rows rows;
                    snprintf(ctx, sizeof ctx, "filter %zu col %d%s offset %llu", k, all_cols[c],
                             desc ? " desc" : "", (unsigned long long)offs[j]);
                    CHECK(hitdb_page(db, &filters[k], &o, offs[j], 23, &rows, err, sizeof err) == 0,
                          "%s: %s", ctx, err);
                    size_t wn = offs[j] >= n ? 0 : n - offs[j] < 23 ? n - offs[j] : 23;
                    CHECK(rows.n == wn, "%s: %zu rows, expected %zu", ctx, rows.n, wn);
                    for (size_t i = 0; i < rows.n; i++)
                        check_row(&rows.v[i], &want[offs[j] + i], ctx);
                    hitdb_rows_free(&rows);
                }
            }
        }
    }
    hitdb_close(db);
}
END_TEST

START_TEST(q_keyset)
{
    struct hitdb *db = build("hitdb-q-keyset.db");
    static struct mhit want[NHITS];
    char err[512] = "", ctx[128];
    for (size_t k = 0; k < NFILTERS; k++) {
        for (size_t c = 0; c < NCOLS; c++) {
            for (int desc = 0; desc < 2; desc++) {
                struct hitdb_order o = { all_cols[c], desc };
                size_t n = expected(&filters[k], &o, want);
                snprintf(ctx, sizeof ctx, "filter %zu col %d%s", k, all_cols[c],
                         desc ? " desc" : "");
                if (n == 0)
                    continue;
                /* forwards from the first row, 37 at a time */
                struct hitdb_rows cur;
                CHECK(hitdb_page(db, &filters[k], &o, 0, 1, &cur, err, sizeof err) == 0, "%s", err);
                CHECK(cur.n == 1, "%s: first", ctx);
                size_t pos = 1;
                for (;;) {
                    struct hitdb_rows next;
                    CHECK(hitdb_page_after(db, &filters[k], &o, &cur.v[cur.n - 1], false, 37,
                                           &next, err, sizeof err) == 0, "%s: %s", ctx, err);
                    for (size_t i = 0; i < next.n; i++)
                        check_row(&next.v[i], &want[pos + i], ctx);
                    pos += next.n;
                    hitdb_rows_free(&cur);
                    cur = next;
                    if (next.n < 37)
                        break;
                }
                CHECK(pos == n, "%s: forwards walked %zu of %zu", ctx, pos, n);
                hitdb_rows_free(&cur);
                /* backwards from the last row */
                CHECK(hitdb_page(db, &filters[k], &o, n - 1, 1, &cur, err, sizeof err) == 0,
                      "%s", err);
                CHECK(cur.n == 1, "%s: last", ctx);
                size_t end = n - 1;
                for (;;) {
                    struct hitdb_rows prev;
                    CHECK(hitdb_page_after(db, &filters[k], &o, &cur.v[0], true, 37, &prev, err,
                                           sizeof err) == 0, "%s: %s", ctx, err);
                    CHECK(prev.n <= end, "%s: too many before", ctx);
                    for (size_t i = 0; i < prev.n; i++)
                        check_row(&prev.v[i], &want[end - prev.n + i], ctx);
                    end -= prev.n;
                    hitdb_rows_free(&cur);
                    cur = prev;
                    if (prev.n < 37)
                        break;
                }
                CHECK(end == 0, "%s: backwards stopped at %zu", ctx, end);
                hitdb_rows_free(&cur);
                /* ranks */
                for (size_t i = 0; i < n; i += 13) {
                    struct hitdb_row key = {
                        .id = want[i].id, .time_ns = want[i].t, .priority = want[i].prio,
                        .rule = (char *)want[i].rule, .proc_name = (char *)want[i].proc,
                        .container_id = (char *)want[i].cont, .output = want[i].output,
                    };
                    uint64_t r = 99999;
                    CHECK(hitdb_rank(db, &filters[k], &o, &key, &r, err, sizeof err) == 0, "%s",
                          err);
                    CHECK(r == i, "%s: rank of row %zu is %llu", ctx, i, (unsigned long long)r);
                }
            }
        }
    }
    hitdb_close(db);
}
END_TEST

START_TEST(q_groups)
{
    struct hitdb *db = build("hitdb-q-groups.db");
    char err[512] = "";
    for (size_t k = 0; k < NFILTERS; k++) {
        const struct hitdb_filter *f = &filters[k];
        uint64_t want_p[HITDB_NPRIORITIES] = { 0 }, got_p[HITDB_NPRIORITIES];
        uint64_t want_r[5] = { 0 };
        uint64_t last_t[5] = { 0 };
        int64_t last_id[5] = { 0 };
        int last_p[5] = { 0 };
        for (int i = 0; i < NHITS; i++) {
            if (!matches(&model[i], f))
                continue;
            want_p[model[i].prio]++;
            for (int j = 0; j < 5; j++) {
                if (model[i].rule != rules[j])
                    continue;
                want_r[j]++;
                if (model[i].t > last_t[j] || (model[i].t == last_t[j] && model[i].id > last_id[j])) {
                    last_t[j] = model[i].t;
                    last_id[j] = model[i].id;
                    last_p[j] = model[i].prio;
                }
            }
        }
        CHECK(hitdb_count_by_priority(db, f, got_p, err, sizeof err) == 0, "%s", err);
        for (int p = 0; p < HITDB_NPRIORITIES; p++)
            CHECK(got_p[p] == want_p[p], "filter %zu priority %d: %llu, expected %llu", k, p,
                  (unsigned long long)got_p[p], (unsigned long long)want_p[p]);
        struct hitdb_group *g;
        size_t n;
        CHECK(hitdb_count_by_rule(db, f, &g, &n, err, sizeof err) == 0, "%s", err);
        size_t nonzero = 0;
        for (int j = 0; j < 5; j++)
            nonzero += want_r[j] > 0;
        CHECK(n == nonzero, "filter %zu: %zu rules, expected %zu", k, n, nonzero);
        for (size_t i = 0; i < n; i++) {
            int j = 0;
            while (j < 5 && strcmp(rules[j], g[i].key) != 0)
                j++;
            CHECK(j < 5 && g[i].count == want_r[j] && g[i].priority == last_p[j],
                  "filter %zu: rule %s: %llu/%d", k, g[i].key, (unsigned long long)g[i].count,
                  g[i].priority);
            CHECK(i == 0 || g[i - 1].count > g[i].count ||
                  (g[i - 1].count == g[i].count && strcmp(g[i - 1].key, g[i].key) < 0),
                  "filter %zu: order at %zu", k, i);
        }
        hitdb_groups_free(g, n);
    }
    hitdb_close(db);
}
END_TEST

START_TEST(q_histogram)
{
    struct hitdb *db = build("hitdb-q-hist.db");
    char err[512] = "";
    static const size_t nbs[] = { 1, 7, 60, 1000 };
    for (size_t k = 0; k < NFILTERS; k++) {
        const struct hitdb_filter *f = &filters[k];
        uint64_t lo = UINT64_MAX, hi = 0, total = 0;
        for (int i = 0; i < NHITS; i++) {
            if (!matches(&model[i], f))
                continue;
            lo = model[i].t < lo ? model[i].t : lo;
            hi = model[i].t > hi ? model[i].t : hi;
            total++;
        }
        if (f->from_ns)
            lo = f->from_ns;
        if (f->to_ns)
            hi = f->to_ns - 1;
        for (size_t b = 0; b < sizeof nbs / sizeof nbs[0]; b++) {
            struct hitdb_histogram h;
            CHECK(hitdb_histogram(db, f, nbs[b], &h, err, sizeof err) == 0, "%s", err);
            CHECK(h.nbuckets == nbs[b], "nbuckets");
            if (total == 0) {
                CHECK(h.lo == 0 && h.hi == 0, "filter %zu: empty bounds", k);
                for (size_t i = 0; i < h.nbuckets; i++)
                    CHECK(h.counts[i] == 0, "filter %zu: empty bucket", k);
                hitdb_histogram_free(&h);
                continue;
            }
            /* width = ceil(span / nbuckets) */
            CHECK(h.lo == lo && h.hi == hi && h.width * nbs[b] >= hi - lo + 1 &&
                  (h.width - 1) * nbs[b] < hi - lo + 1, "filter %zu: bounds", k);
            uint64_t sum = 0;
            for (size_t i = 0; i < h.nbuckets; i++) {
                uint64_t want = 0;
                for (int m = 0; m < NHITS; m++)
                    if (matches(&model[m], f) && model[m].t >= lo + i * h.width &&
                        model[m].t < lo + (i + 1) * h.width)
                        want++;
                CHECK(h.counts[i] == want, "filter %zu, %zu buckets: bucket %zu: %llu, expected "
                      "%llu", k, nbs[b], i, (unsigned long long)h.counts[i],
                      (unsigned long long)want);
                sum += h.counts[i];
            }
            CHECK(sum == total, "filter %zu: sum %llu of %llu", k, (unsigned long long)sum,
                  (unsigned long long)total);
            hitdb_histogram_free(&h);
        }
    }
    hitdb_close(db);
}
END_TEST

START_TEST(q_one_and_runs)
{
    struct hitdb *db = build("hitdb-q-one.db");
    char err[512] = "";
    struct hitdb_row r;
    CHECK(hitdb_get_hit(db, 5, &r, err, sizeof err) == 1, "get 5: %s", err);
    CHECK(r.id == 5 && strcmp(r.fields, "{\"proc.name\":\"cat\"}") == 0 &&
          strcmp(r.tags, "[\"filesystem\",\"mitre_persistence\"]") == 0 && r.pid == 4 &&
          r.block == 0 && strcmp(r.output, model[4].output) == 0, "hit 5");
    hitdb_row_clear(&r);
    hitdb_row_clear(&r);     /* clearing twice is fine */
    CHECK(hitdb_get_hit(db, NHITS + 1, &r, err, sizeof err) == 0, "hit past the end");
    CHECK(hitdb_get_hit(db, 0, &r, err, sizeof err) == 0, "hit 0");
    struct hitdb_run *runs;
    size_t n;
    CHECK(hitdb_list_runs(db, &runs, &n, err, sizeof err) == 0, "%s", err);
    CHECK(n == 2, "%zu runs", n);
    for (size_t i = 0; i < n; i++) {
        CHECK(runs[i].id == (int64_t)i + 1 && runs[i].finished && runs[i].ntraces == 1 &&
              runs[i].nrules == 0 && runs[i].traces[0].size == 4096 &&
              strcmp(runs[i].traces[0].path, "/nonexistent/trace.skr") == 0 &&
              strcmp(runs[i].options, "{}") == 0 && runs[i].error == NULL && runs[i].drops == 0,
              "run %zu", i);
    }
    CHECK(runs[0].hits == NRUN1 && runs[0].new_hits == NRUN1 && runs[1].hits == NHITS - NRUN1 &&
          runs[0].events == 1 && runs[1].events == 2, "run counters");
    hitdb_runs_free(runs, n);
    CHECK(strcmp(hitdb_priority_name(0), "Emergency") == 0 &&
          strcmp(hitdb_priority_name(7), "Debug") == 0 &&
          strcmp(hitdb_priority_name(8), "?") == 0 && strcmp(hitdb_priority_name(-1), "?") == 0,
          "priority names");
    hitdb_close(db);
}
END_TEST

START_TEST(q_empty)
{
    char path[512], err[512] = "";
    tmp_path(path, sizeof path, "hitdb-q-empty.db");
    unlink(path);
    hitdb_close(thd_open(path, HITDB_CREATE));
    struct hitdb *db = thd_open(path, HITDB_READONLY);
    uint64_t n = 7;
    CHECK(hitdb_count(db, NULL, &n, err, sizeof err) == 0 && n == 0, "count");
    struct hitdb_order o = { HITDB_COL_RULE, true };
    struct hitdb_rows rows;
    CHECK(hitdb_page(db, NULL, &o, 0, 10, &rows, err, sizeof err) == 0 && rows.n == 0, "page");
    hitdb_rows_free(&rows);
    CHECK(hitdb_page(db, NULL, &o, 0, 0, &rows, err, sizeof err) == 0 && rows.n == 0, "limit 0");
    struct hitdb_row key = { .id = 1, .rule = "x" };
    CHECK(hitdb_page_after(db, NULL, &o, &key, false, 10, &rows, err, sizeof err) == 0 &&
          rows.n == 0, "after");
    hitdb_rows_free(&rows);
    struct hitdb_histogram h;
    CHECK(hitdb_histogram(db, NULL, 5, &h, err, sizeof err) == 0 && h.lo == 0 && h.hi == 0 &&
          h.counts[4] == 0, "histogram");
    hitdb_histogram_free(&h);
    struct hitdb_group *g;
    size_t ng;
    CHECK(hitdb_count_by_rule(db, NULL, &g, &ng, err, sizeof err) == 0 && ng == 0, "groups");
    hitdb_groups_free(g, ng);
    struct hitdb_run *runs;
    CHECK(hitdb_list_runs(db, &runs, &ng, err, sizeof err) == 0 && ng == 0, "runs");
    hitdb_runs_free(runs, ng);
    hitdb_close(db);
}
END_TEST

void hitdb_query_cases(Suite *s)
{
    TCase *tc = tcase_create("query");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, q_count);
    tcase_add_test(tc, q_pages);
    tcase_add_test(tc, q_keyset);
    tcase_add_test(tc, q_groups);
    tcase_add_test(tc, q_histogram);
    tcase_add_test(tc, q_one_and_runs);
    tcase_add_test(tc, q_empty);
    suite_add_tcase(s, tc);
}
