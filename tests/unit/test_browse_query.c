/* test_browse_query.c -- the browser's hit queries (tui/hitq.c) and its
 * hit filter (tui/hitfilter.c) on a database of known hits: each column
 * and operator of the filter language against a count done here, values
 * bound (a quote cannot change the SQL), the errors, paging across page
 * boundaries in every sort order, search, the side counts and the
 * histogram. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "test_hitdb.h"
#include "testutil.h"
#include "../../tui/hitfilter.h"
#include "../../tui/hitq.h"

#define NHITS 700 /* more than two pages of hitq's 256 rows */
#define T0 1700000000000000000ull

static const char *const rules[] = { "Read sensitive file", "Write below etc", "Shell in container" };
static const char *const procs[] = { "bash", "sh", "nginx", "cat", "python3" };

/* Hit i: rule i % 3, priority i % 8, process i % 5, container "host"
 * when i % 4 == 0, time T0 + i ms, output "hit i ...", fd.name field. */
static void make_db(const char *path)
{
    struct hitdb *db = thd_open(path, HITDB_CREATE);
    thd_begin(db, 100, 0);
    static const char *const tags0[] = { "filesystem", "t1" }, *const tags1[] = { "network" };
    for (uint64_t i = 0; i < NHITS; i++) {
        char out[100], fields[200], cont[20];
        struct hitdb_hit h = { 0 };
        h.time_ns = T0 + i * 1000000;
        h.rule = rules[i % 3];
        h.priority = (int)(i % 8);
        snprintf(out, sizeof out, "hit %llu by %s%s", (unsigned long long)i, procs[i % 5],
                 i == 42 ? " needle" : "");
        h.output = out;
        h.tags = i % 2 ? tags1 : tags0;
        h.ntags = i % 2 ? 1 : 2;
        h.pid = (int64_t)(1000 + i % 10);
        h.tid = h.pid;
        h.proc_name = procs[i % 5];
        h.cmdline = "cmd";
        snprintf(cont, sizeof cont, "c%llu", (unsigned long long)(i % 4));
        h.container_id = i % 4 == 0 ? "host" : cont;
        h.evnum = i + 1;
        h.block = -1;
        snprintf(fields, sizeof fields, "{\"fd.name\":\"/etc/f%llu\",\"proc.ppid\":%llu}",
                 (unsigned long long)(i % 7), (unsigned long long)(i % 3));
        h.fields_json = fields;
        thd_add(db, &h);
    }
    char err[300];
    CHECK(hitdb_run_finish(db, NHITS, 0, err, sizeof err) == 0, "finish: %s", err);
    hitdb_close(db);
}

static struct hitq *open_q(void)
{
    char path[512], err[400];
    tmp_path(path, sizeof path, "browse_query.db");
    remove(path);
    make_db(path);
    struct hitq *q = hitq_open(path, err, sizeof err);
    CHECK(q, "hitq_open: %s", err);
    return q;
}

static int64_t count_of(struct hitq *q, const char *filter)
{
    char err[400] = "";
    int rc = hitq_set_view(q, filter, HQ_TIME, false, err, sizeof err);
    CHECK(rc == 0, "filter '%s': %s", filter, err);
    return hitq_count(q);
}

static int64_t expect(bool (*pred)(uint64_t i))
{
    int64_t n = 0;
    for (uint64_t i = 0; i < NHITS; i++)
        n += pred(i);
    return n;
}

static bool p_rule1(uint64_t i) { return i % 3 == 1; }
static bool p_warn(uint64_t i) { return i % 8 <= 4; }
static bool p_err(uint64_t i) { return i % 8 == 3; }
static bool p_below_err(uint64_t i) { return i % 8 > 3; }
static bool p_nothost(uint64_t i) { return i % 4 != 0; }
static bool p_shells(uint64_t i) { return i % 5 <= 1; }
static bool p_fd3(uint64_t i) { return i % 7 == 3; }
static bool p_t1(uint64_t i) { return i % 2 == 0; }
static bool p_pid(uint64_t i) { return i % 10 == 5; }
static bool p_time(uint64_t i) { return i >= 100 && i < 250; }
static bool p_ppid(uint64_t i) { return i % 3 == 2; }
static bool p_combo(uint64_t i) { return (i % 3 == 1 || i % 8 == 0) && i % 4 != 0; }
static bool p_py(uint64_t i) { return i % 5 == 4; }

START_TEST(test_filter_columns)
{
    struct hitq *q = open_q();
    CHECK(count_of(q, "") == NHITS, "no filter");
    CHECK(count_of(q, "   ") == NHITS, "a blank filter");
    CHECK(count_of(q, "rule.name = \"Write below etc\"") == expect(p_rule1), "rule.name =");
    CHECK(count_of(q, "rule.priority >= warning") == expect(p_warn), "priority >= warning");
    CHECK(count_of(q, "rule.priority >= 4") == expect(p_warn), "priority >= 4 (a number)");
    CHECK(count_of(q, "rule.priority>=warning") == expect(p_warn), "priority>=warning, no blanks");
    CHECK(count_of(q, "rule.priority >= 'Warning'") == expect(p_warn), "a quoted priority name");
    CHECK(count_of(q, "(rule.priority >= warning)") == expect(p_warn), "in parentheses");
    CHECK(count_of(q, "rule.priority = error") == expect(p_err), "priority = error");
    CHECK(count_of(q, "rule.priority < error") == expect(p_below_err), "priority < error");
    CHECK(count_of(q, "container.id != host") == expect(p_nothost), "container.id !=");
    CHECK(count_of(q, "proc.name in (bash, sh)") == expect(p_shells), "proc.name in");
    CHECK(count_of(q, "fd.name = /etc/f3") == expect(p_fd3), "an output field");
    CHECK(count_of(q, "proc.ppid = 2") == expect(p_ppid), "a numeric output field");
    CHECK(count_of(q, "rule.tags contains t1") == expect(p_t1), "rule.tags contains");
    CHECK(count_of(q, "proc.pid = 1005") == expect(p_pid), "proc.pid");
    CHECK(count_of(q, "evt.time >= +100ms and evt.time < +250ms") == expect(p_time), "evt.time +");
    CHECK(count_of(q, "evt.time >= 1700000000100000000 and evt.time < 1700000000250000000") ==
              expect(p_time), "evt.time in ns");
    CHECK(count_of(q, "evt.time>=+100ms and evt.time<'+250ms'") == expect(p_time),
          "evt.time without blanks, quoted");
    CHECK(count_of(q, "(rule.name = \"Write below etc\" or rule.priority = emergency) and not "
                      "container.id = host") == expect(p_combo), "and/or/not");
    CHECK(count_of(q, "hit.output endswith python3") == expect(p_py), "endswith");
    CHECK(count_of(q, "hit.output startswith \"hit 4\"") == 1 + 10 + 100, "startswith");
    CHECK(count_of(q, "proc.name glob 'py*'") == expect(p_py), "glob");
    CHECK(count_of(q, "hit.output icontains NEEDLE") == 1, "icontains");
    CHECK(count_of(q, "needle") == 1, "a bare word is free text");
    CHECK(count_of(q, "user.name exists") == 0, "exists on a NULL column");
    /* a value is bound, never pasted: quotes are just characters */
    CHECK(count_of(q, "rule.name = \"x' OR 1=1 --\"") == 0, "a quote in a value");
    CHECK(count_of(q, "hit.output contains \"%\"") == 0, "%% is not a wildcard in contains");
    hitq_close(q);
}
END_TEST

START_TEST(test_filter_errors)
{
    struct hitq *q = open_q();
    static const struct { const char *text, *msg; } bad[] = {
        { "rule.priority >= bogus", "unknown priority 'bogus'" },
        { "rule.priority = bogus", "unknown priority 'bogus'" },
        { "proc.pid = abc", "'proc.pid' needs a number" },
        { "evt.time >= +5x", "evt.time:" },
        { "proc.name regex 'a.*'", "does not apply to hits" },
        { "tolower(proc.name) = bash", "transformers" },
        { "proc.name = ", "1:" },
        { "proc.name = bash and", "1:" },
        { "proc.name = proc.pname", "" },
    };
    char err[400];
    int64_t before = count_of(q, "rule.priority = error");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        int rc = hitq_set_view(q, bad[i].text, HQ_TIME, false, err, sizeof err);
        if (!bad[i].msg[0])
            continue; /* accepted or not: it must only not crash */
        CHECK(rc < 0, "'%s' was accepted", bad[i].text);
        CHECK(strstr(err, bad[i].msg), "'%s': error '%s' lacks '%s'", bad[i].text, err, bad[i].msg);
        /* a failed filter keeps the view */
        CHECK(hitq_count(q) == before, "'%s' changed the view", bad[i].text);
    }
    hitq_close(q);
}
END_TEST

/* Rows come in the sort order across page boundaries, both ways. */
START_TEST(test_paging_sorted)
{
    struct hitq *q = open_q();
    char err[400];
    for (int col = 0; col < HQ_NCOLS; col++) {
        for (int desc = 0; desc < 2; desc++) {
            CHECK(hitq_set_view(q, "container.id != host", (enum hitq_col)col, desc, err,
                                sizeof err) == 0, "view: %s", err);
            int64_t n = hitq_count(q);
            CHECK(n == expect(p_nothost), "count");
            struct hitq_row prev = { 0 };
            /* forward, then a jump to the end and backwards */
            for (int64_t i = 0; i < n; i++) {
                const struct hitq_row *r = hitq_row(q, i);
                CHECK(r, "row %lld of %lld (col %d)", (long long)i, (long long)n, col);
                CHECK(strcmp(r->container, "host"), "a host row in the view");
                if (i) {
                    int c = 0;
                    switch (col) {
                    case HQ_TIME: c = (r->time_ns > prev.time_ns) - (r->time_ns < prev.time_ns); break;
                    case HQ_PRIO: c = (r->prio > prev.prio) - (r->prio < prev.prio); break;
                    case HQ_RULE: c = strcmp(r->rule, prev.rule); break;
                    case HQ_PROC: c = strcmp(r->proc, prev.proc); break;
                    case HQ_CONTAINER: c = strcmp(r->container, prev.container); break;
                    case HQ_OUTPUT: c = strcmp(r->output, prev.output); break;
                    }
                    if (c == 0) /* ties by time */
                        c = (r->time_ns > prev.time_ns) - (r->time_ns < prev.time_ns);
                    CHECK(desc ? c < 0 : c > 0, "row %lld out of order (col %d desc %d)",
                          (long long)i, col, desc);
                }
                prev = *r;
            }
            CHECK(!hitq_row(q, n), "a row past the end");
            CHECK(!hitq_row(q, -1), "a row before the start");
            int64_t last_id = hitq_row(q, n - 1)->id;
            CHECK(hitq_row(q, 0) && hitq_row(q, n - 1)->id == last_id, "the last row again");
        }
    }
    hitq_close(q);
}
END_TEST

START_TEST(test_search_counts_histogram)
{
    struct hitq *q = open_q();
    CHECK(count_of(q, "") == NHITS, "all");
    CHECK(hitq_search(q, 0, "NEEDLE") == 42, "search finds hit 42 (case-insensitive)");
    CHECK(hitq_search(q, 42, "needle") == 42, "search wraps around to the same row");
    CHECK(hitq_search(q, 0, "hit 1 by") == 1, "the first match after the cursor");
    CHECK(hitq_search(q, 0, "100%") == -1, "no match: -1 (and %% is literal)");
    struct hitq_count pr[8], ru[10];
    CHECK(hitq_by_prio(q, pr) == 8, "8 priorities");
    int64_t sum = 0;
    for (int p = 0; p < 8; p++)
        sum += pr[p].n;
    CHECK(sum == NHITS && pr[0].n == (NHITS + 7) / 8, "counts by priority");
    size_t nr = hitq_by_rule(q, ru, 10);
    CHECK(nr == 3, "three rules, got %zu", nr);
    CHECK(ru[0].n >= ru[1].n && ru[1].n >= ru[2].n, "most first");
    CHECK(ru[0].n + ru[1].n + ru[2].n == NHITS, "the rule counts add up");
    CHECK(hitq_by_rule(q, ru, 1) == 1, "at most max rules");
    uint64_t first, last, b[50];
    hitq_span(q, &first, &last);
    CHECK(first == T0 && last == T0 + (NHITS - 1) * 1000000ull, "span");
    CHECK(hitq_histogram(q, first, last + 1, b, 50) == 0, "histogram");
    uint64_t hs = 0;
    for (int i = 0; i < 50; i++)
        hs += b[i];
    CHECK(hs == NHITS, "the histogram holds every hit (%llu)", (unsigned long long)hs);
    CHECK(count_of(q, "rule.priority = alert") == NHITS / 8 + (NHITS % 8 > 1), "alert");
    CHECK(hitq_by_prio(q, pr) == 8 && pr[1].n == hitq_count(q) && pr[0].n == 0,
          "counts follow the filter");
    size_t nt;
    char **t = hitq_traces(q, &nt);
    CHECK(nt == 1 && !strcmp(t[0], "/nonexistent/trace.skr"), "the run's trace");
    free(t[0]);
    free(t);
    struct hitdb_row h;
    CHECK(hitq_hit(q, hitq_row(q, 0)->id, &h) == 0 && h.priority == 1 && h.fields, "one hit");
    hitdb_row_clear(&h);
    hitq_close(q);
}
END_TEST

START_TEST(test_not_a_db)
{
    char path[512], err[400];
    tmp_path(path, sizeof path, "browse_not_db.txt");
    FILE *f = fopen(path, "w");
    CHECK(f, "create");
    fputs("hello\n", f);
    fclose(f);
    CHECK(!hitq_open(path, err, sizeof err), "a text file opened as a DB");
    CHECK(strstr(err, "browse_not_db.txt"), "the error names the file: %s", err);
}
END_TEST

Suite *browse_query_suite(void)
{
    Suite *s = suite_create("browse_query");
    TCase *tc = tcase_create("hitq");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_filter_columns);
    tcase_add_test(tc, test_filter_errors);
    tcase_add_test(tc, test_paging_sorted);
    tcase_add_test(tc, test_search_counts_histogram);
    tcase_add_test(tc, test_not_a_db);
    suite_add_tcase(s, tc);
    return s;
}
