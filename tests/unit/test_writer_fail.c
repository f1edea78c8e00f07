/* test_writer_fail.c -- the writer when the disk fills up (skw_sys_pwrite
 * replaced by one that fails with ENOSPC after K bytes), allocation
 * failure injected at every allocation of a write and of a read
 * (skr_alloc_fail_after; leaks are caught by ASan in that build), and the
 * mode of the files it creates (man/saker-trace.5 §13). */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"
#include "testutil.h"

static const struct gen_opts small = { .seed = 77, .nevents = 300, .block_size = 300, .cp_every = 40,
                                       .stats_every = 70, .text = true, .max_bytes = 40 };

/* ---- a full disk ---- */

static long long budget;        /* bytes the disk still takes */
static bool partial;            /* a write that does not fit writes what fits */

static ssize_t full_pwrite(int fd, const void *buf, size_t n, off_t off)
{
    if (budget <= 0 || (!partial && (long long)n > budget)) {
        errno = ENOSPC;
        return -1;
    }
    if ((long long)n > budget)
        n = (size_t)budget;
    ssize_t k = pwrite(fd, buf, n, off);
    if (k > 0)
        budget -= k;
    return k;
}

/* The end of the last whole block (header, data or index) at or before k,
 * and the start of the first piece that does not fit. */
static void boundaries(const struct layout *L, uint64_t k, uint64_t *whole, uint64_t *first_bad)
{
    uint64_t ends[4096];
    size_t n = 0;
    ends[n++] = SKR_PREAMBLE_LEN;
    ends[n++] = L->data_start;
    for (size_t i = 0; i < L->nb && n < 4090; i++)
        ends[n++] = L->b[i].off + L->b[i].len;
    ends[n++] = L->trailer_off;
    ends[n++] = L->size;
    *whole = 0;
    *first_bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (ends[i] <= k) {
            *whole = ends[i] == L->size ? L->trailer_off : ends[i];
            *first_bad = ends[i];
        }
    }
    if (*whole < L->data_start)
        *whole = k < SKR_PREAMBLE_LEN ? 0 : SKR_PREAMBLE_LEN;
}

/* Loop index: 0, writes that do not fit write part; 1, they write nothing. */
START_TEST(disk_full)
{
    partial = _i == 0;
    struct xtrace m;
    gen_model(&m, &small);
    char ref[256], path[256];
    tmp_path(ref, sizeof ref, "full-ref.skr");
    tmp_path(path, sizeof path, "full.skr");
    write_model_ok(ref, &m, &small);
    size_t rlen;
    uint8_t *rdata = slurp(ref, &rlen);
    struct layout L;
    layout_of(rdata, rlen, &L);
    ck_assert_uint_gt(L.nb, 20);

    /* Budgets all over the file: every block end and the bytes around it. */
    uint64_t ks[1024];
    size_t nk = 0;
    uint64_t fixed[] = { 0, 5, 15, 16, 17, 60, L.data_start - 1, L.data_start, L.data_start + 1,
                         L.index_off + 10, L.trailer_off - 1, L.trailer_off, L.trailer_off + 5,
                         L.size - 1, L.size, L.size + 1000 };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        ks[nk++] = fixed[i];
    for (size_t i = 0; i < L.nb && nk + 3 < 1024; i++) {
        uint64_t end = L.b[i].off + L.b[i].len;
        ks[nk++] = end - 1;
        ks[nk++] = end;
        ks[nk++] = L.b[i].off + L.b[i].len / 2;
    }
    char ctx[96];
    bool *seen = calloc(m.nev, sizeof *seen), *want = calloc(m.nev, sizeof *want);
    CHECK(seen && want, "out of memory");
    for (size_t i = 0; i < nk; i++) {
        uint64_t k = ks[i];
        snprintf(ctx, sizeof ctx, "%s writes, disk full after %llu bytes", partial ? "partial" : "whole",
                 (unsigned long long)k);
        budget = (long long)k;
        skw_sys_pwrite = full_pwrite;
        struct wres res;
        write_model(path, &m, &small, &res);
        skw_sys_pwrite = pwrite;
        size_t len;
        uint8_t *d = slurp(path, &len);
        if (k >= L.size) {
            CHECK(res.created && res.items_ok == m.nit && res.close_rc == 0, "%s: %s", ctx, res.err);
            CHECK(len == rlen && memcmp(d, rdata, len) == 0, "%s: file differs", ctx);
            free(d);
            continue;
        }
        uint64_t whole, bad;
        boundaries(&L, k, &whole, &bad);
        /* The error names the file, the offset and the cause. */
        char at[64];
        snprintf(at, sizeof at, "write at offset %llu: No space left on device",
                 (unsigned long long)(partial ? k : bad));
        CHECK(strstr(res.err, path) == res.err && strstr(res.err, at), "%s: error \"%s\", want \"%s\"",
              ctx, res.err, at);
        CHECK(!res.later_accepted, "%s: a call after the failure succeeded", ctx);
        CHECK(res.close_rc == -1, "%s: skw_close succeeded", ctx);
        if (res.created)
            CHECK(strcmp(res.close_err, res.err) == 0, "%s: close said \"%s\"", ctx, res.close_err);
        CHECK(res.created == (k >= L.data_start), "%s: created %d", ctx, res.created);
        /* What is on disk is the whole blocks written before the failure,
         * byte for byte, and nothing more. */
        if (whole >= L.data_start)
            CHECK(len == whole, "%s: file is %zu bytes, want %llu", ctx, len, (unsigned long long)whole);
        else /* at most a preamble */
            CHECK(len <= SKR_PREAMBLE_LEN, "%s: file is %zu bytes", ctx, len);
        CHECK(memcmp(d, rdata, len) == 0, "%s: file differs from the reference", ctx);
        free(d);
        struct skr_reader *r;
        char err[256];
        if (whole < L.data_start) {
            CHECK(skr_reader_open(path, &r, err, sizeof err) == -1, "%s: opened", ctx);
            continue;
        }
        CHECK(skr_reader_open(path, &r, err, sizeof err) == 0, "%s: %s", ctx, err);
        CHECK(skr_reader_index_rebuilt(r) != NULL, "%s: index not rebuilt", ctx);
        memset(seen, 0, m.nev * sizeof *seen);
        size_t n = read_check(r, &m, seen, ctx);
        size_t nw = events_before(&L, &m, whole, want);
        CHECK(n == nw && memcmp(seen, want, m.nev * sizeof *seen) == 0, "%s: read %zu events, want %zu",
              ctx, n, nw);
        CHECK(skr_reader_ndamage(r) == 0, "%s: damage %s", ctx, skr_reader_damage(r, 0)->what);
        skr_reader_close(r);
    }
    free(seen);
    free(want);
    free(rdata);
    layout_free(&L);
    xtrace_free(&m);
}
END_TEST

/* ---- allocation failure ---- */

/* After a run with skr_alloc_fail_after(n): whether the countdown ran out
 * (the run made n or more allocations). Turns injection off. */
static bool ran_out(void)
{
    void *p = skr_malloc(1);
    skr_alloc_fail_after(-1);
    free(p);
    return p == NULL;
}

START_TEST(alloc_fail_writer)
{
    struct gen_opts o = small;
    o.nevents = 80;
    o.cp_every = 25;
    o.stats_every = 30;
    o.block_size = 200;
    struct xtrace m;
    gen_model(&m, &o);
    char path[256];
    tmp_path(path, sizeof path, "oom-w.skr");
    bool *seen = calloc(m.nev, sizeof *seen);
    CHECK(seen != NULL, "out of memory");
    long n;
    bool last_ok = false;
    for (n = 0; n < 20000; n++) {
        struct wres res;
        unlink(path);
        skr_alloc_fail_after(n);
        write_model(path, &m, &o, &res);
        bool out = ran_out();
        bool ok = res.created && res.items_ok == m.nit && res.close_rc == 0;
        if (!out) {
            CHECK(ok, "n=%ld: no allocation failed, yet: %s", n, res.err);
            break;
        }
        /* The one run that made exactly n allocations succeeds; any run
         * whose allocation failed reports it. */
        CHECK(!last_ok, "n=%ld: allocation %ld failed silently", n - 1, n - 1);
        last_ok = ok;
        if (!ok) {
            CHECK(strstr(res.err, "out of memory") && strstr(res.err, path) == res.err,
                  "n=%ld: error \"%s\"", n, res.err);
            CHECK(!res.later_accepted, "n=%ld: a call after the failure succeeded", n);
        }
        if (!res.created)
            continue;
        /* Whatever the writer managed to write reads back as written. */
        struct skr_reader *r;
        char err[256];
        if (skr_reader_open(path, &r, err, sizeof err) == 0) {
            memset(seen, 0, m.nev * sizeof *seen);
            char ctx[32];
            snprintf(ctx, sizeof ctx, "n=%ld", n);
            size_t got = read_check(r, &m, seen, ctx);
            CHECK(!ok || got == m.nev, "n=%ld: %zu events read back", n, got);
            skr_reader_close(r);
        }
    }
    CHECK(n > 50 && n < 20000, "%ld allocations", n);
    free(seen);
    xtrace_free(&m);
}
END_TEST

START_TEST(alloc_fail_reader)
{
    struct xtrace m;
    gen_model(&m, &small);
    char path[256];
    tmp_path(path, sizeof path, "oom-r.skr");
    write_model_ok(path, &m, &small);
    size_t len;
    uint8_t *data = slurp(path, &len);
    bool *seen = calloc(m.nev, sizeof *seen);
    CHECK(seen != NULL, "out of memory");
    /* Loop index 1: the trailer cut off, so the index is rebuilt. */
    if (_i)
        len -= SKR_TRAILER_LEN;
    long n;
    for (n = 0; n < 20000; n++) {
        struct skr_reader *r = NULL;
        char err[256] = "", ctx[32];
        snprintf(ctx, sizeof ctx, "n=%ld", n);
        memset(seen, 0, m.nev * sizeof *seen);
        skr_alloc_fail_after(n);
        int rc = n % 2 ? skr_reader_open(path, &r, err, sizeof err) :
                         skr_reader_open_mem("mem.skr", data, len, &r, err, sizeof err);
        size_t got = 0, nd = 0;
        if (rc == 0) {
            skr_reader_set_prefetch(r, false);
            skr_reader_want(r, SKR_ITEM_EVENT | SKR_ITEM_CHECKPOINT | SKR_ITEM_STATS);
            got = read_check(r, &m, seen, ctx);
            nd = skr_reader_ndamage(r);
        }
        bool out = ran_out();
        if (rc == 0)
            skr_reader_close(r);
        if (!out) {
            CHECK(rc == 0 && got == m.nev && nd == 0, "n=%ld: no allocation failed, yet %s", n, err);
            break;
        }
        if (rc < 0) {
            CHECK(r == NULL && strstr(err, "out of memory") && strstr(err, n % 2 ? path : "mem.skr") == err,
                  "n=%ld: open failed with \"%s\"", n, err);
            continue;
        }
        /* Events that could not be read are reported as damage. */
        CHECK(got == m.nev || nd > 0, "n=%ld: %zu of %zu events and no damage reported", n, got, m.nev);
    }
    CHECK(n > 20 && n < 20000, "%ld allocations", n);
    free(seen);
    free(data);
    xtrace_free(&m);
}
END_TEST

/* ---- file mode ---- */

/* The background writer makes the same blocks in the same order, so its
 * file is byte-identical to the synchronous writer's, and a full disk
 * under it keeps the same guarantee: whole blocks only, an error reported. */
START_TEST(background_same_bytes)
{
    struct gen_opts o = small;
    struct xtrace m;
    gen_model(&m, &o);
    char a[256], b[256];
    tmp_path(a, sizeof a, "sync.skr");
    tmp_path(b, sizeof b, "background.skr");
    write_model_ok(a, &m, &o);
    o.background = true;
    write_model_ok(b, &m, &o);
    size_t la, lb;
    uint8_t *da = slurp(a, &la), *db = slurp(b, &lb);
    ck_assert_uint_eq(la, lb);
    CHECK(memcmp(da, db, la) == 0, "background writer's file differs");

    budget = (long long)(la / 2);
    partial = true;
    skw_sys_pwrite = full_pwrite;
    struct wres res;
    write_model(b, &m, &o, &res);
    skw_sys_pwrite = pwrite;
    CHECK(!res.created || res.close_rc != 0 || res.items_ok < m.nit, "full disk not reported");
    CHECK(strstr(res.err, "No space left") || strstr(res.close_err, "No space left"),
          "error does not say the disk is full: '%s' / '%s'", res.err, res.close_err);
    size_t lc;
    uint8_t *dc = slurp(b, &lc);
    CHECK(lc <= la / 2 && memcmp(dc, da, lc) == 0, "what was written differs from the sync file");
    free(da);
    free(db);
    free(dc);
    xtrace_free(&m);
}
END_TEST

/* spare_effort: blocks that level 3 leaves above 1/8 of their size (words
 * drawn at random, as in recorded data) are compressed again when the
 * thread has time, and the smaller frame kept: every event reads back
 * unchanged and the file is smaller. A few blocks (the queue never more
 * than half full) and no stats or checkpoint (the caller never waits for
 * the queue): every block gets the second pass, at normal priority here. */
START_TEST(spare_effort_smaller)
{
    struct gen_opts o = { .seed = 91, .nevents = 1000, .block_size = 64 << 10, .text = true,
                          .max_bytes = 400, .background = true };
    struct xtrace m;
    gen_model(&m, &o);
    char a[256], b[256];
    tmp_path(a, sizeof a, "plain.skr");
    tmp_path(b, sizeof b, "spare.skr");
    write_model_ok(a, &m, &o);
    o.spare_effort = true;
    skw_effort_policy = SCHED_OTHER; /* not starved by a busy machine */
    write_model_ok(b, &m, &o);
    skw_effort_policy = SCHED_IDLE;
    struct stat sa, sb;
    ck_assert_int_eq(stat(a, &sa), 0);
    ck_assert_int_eq(stat(b, &sb), 0);
    CHECK(sb.st_size < sa.st_size, "spare effort: %lld bytes, plain %lld", (long long)sb.st_size,
          (long long)sa.st_size);
    struct skr_reader *r;
    char err[256];
    CHECK(skr_reader_open(b, &r, err, sizeof err) == 0, "%s", err);
    bool *seen = calloc(m.nev, sizeof *seen);
    CHECK(seen != NULL, "out of memory");
    size_t n = read_check(r, &m, seen, "spare effort");
    CHECK(n == m.nev, "read %zu events of %zu", n, m.nev);
    CHECK(skr_reader_ndamage(r) == 0, "damage: %s", skr_reader_damage(r, 0)->what);
    skr_reader_close(r);
    free(seen);
    xtrace_free(&m);
}
END_TEST

START_TEST(mode_0600)
{
    struct xtrace m;
    struct gen_opts o = small;
    o.nevents = 10;
    gen_model(&m, &o);
    mode_t old = umask(0);
    char path[256];
    tmp_path(path, sizeof path, "mode.skr");
    for (int pass = 0; pass < 3; pass++) {
        unlink(path);
        if (pass > 0) {
            /* The file exists already, readable by everyone. */
            spit(path, "old contents", 12);
            ck_assert_int_eq(chmod(path, pass == 1 ? 0644 : 0777), 0);
        }
        struct skw_header h;
        test_header(&h, &o);
        char err[256];
        struct skw_writer *w = skw_create(path, &h, test_schema(), NULL, err, sizeof err);
        CHECK(w != NULL, "create: %s", err);
        struct stat st;
        ck_assert_int_eq(stat(path, &st), 0);
        CHECK((st.st_mode & 07777) == 0600, "pass %d: mode %o while writing", pass, st.st_mode & 07777);
        ck_assert_int_eq(skw_close(w, err, sizeof err), 0);
        ck_assert_int_eq(stat(path, &st), 0);
        CHECK((st.st_mode & 07777) == 0600, "pass %d: mode %o", pass, st.st_mode & 07777);
        /* The old contents are gone. */
        struct skr_reader *r;
        CHECK(skr_reader_open(path, &r, err, sizeof err) == 0, "%s", err);
        skr_reader_close(r);
    }
    umask(old);
    xtrace_free(&m);
}
END_TEST

Suite *writer_fail_suite(void)
{
    Suite *s = suite_create("writer_fail");
    TCase *tc = tcase_create("writer_fail");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, disk_full, 0, 2);
    tcase_add_test(tc, alloc_fail_writer);
    tcase_add_loop_test(tc, alloc_fail_reader, 0, 2);
    tcase_add_test(tc, mode_0600);
    tcase_add_test(tc, background_same_bytes);
    tcase_add_test(tc, spare_effort_smaller);
    suite_add_tcase(s, tc);
    return s;
}
