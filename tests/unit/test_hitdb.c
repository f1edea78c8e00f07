/* test_hitdb.c -- the hit database's write side: creating, reopening and
 * refusing files (not SQLite, another application's SQLite, a newer
 * schema), runs with their files' digests, hits and their columns,
 * duplicate replays, batch boundaries (by count and by age), closing
 * without finishing, a replay killed mid-run (by _exit and by SIGKILL), a
 * full database, and bad hits. The read side is test_hitdb_query.c. */
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "suites.h"
#include "test_hitdb.h"
#include "testutil.h"

/* SHA-256 test vectors (FIPS 180-2): "abc" and the empty message. */
#define SHA_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static const struct hitdb_file_in fake_trace = {
    .path = "/nonexistent/trace.skr",
    .sha256 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
    .size = 4096,
};

struct hitdb *thd_open(const char *path, int flags)
{
    char err[512] = "";
    struct hitdb *db = NULL;
    int rc = hitdb_open(path, flags, &db, err, sizeof err);
    CHECK(rc == 0 && db, "open %s: %s", path, err);
    return db;
}

int64_t thd_begin(struct hitdb *db, unsigned batch_hits, unsigned batch_ms)
{
    struct hitdb_run_in in = { .traces = &fake_trace, .ntraces = 1, .batch_hits = batch_hits,
                               .batch_ms = batch_ms };
    char err[512] = "";
    int64_t run = 0;
    int rc = hitdb_run_begin(db, &in, &run, err, sizeof err);
    CHECK(rc == 0 && run > 0, "begin run: %s", err);
    return run;
}

void thd_hit(struct hitdb_hit *h, uint64_t i)
{
    static const char *const tags[] = { "filesystem", "mitre_persistence" };
    memset(h, 0, sizeof *h);
    h->time_ns = 1700000000000000000ull + i * 1000;
    h->rule = i % 2 ? "Write below etc" : "Read sensitive file";
    h->priority = (int)(i % 8);
    h->output = "a hit";
    h->tags = tags;
    h->ntags = 2;
    h->pid = (int64_t)i;
    h->tid = (int64_t)i;
    h->proc_name = "cat";
    h->container_id = "host";
    h->block = (int64_t)(i / 100);
    h->evnum = i + 1;
    h->fields_json = "{\"proc.name\":\"cat\"}";
}

void thd_add(struct hitdb *db, const struct hitdb_hit *h)
{
    char err[512] = "";
    int rc = hitdb_add_hit(db, h, err, sizeof err);
    CHECK(rc == 0, "add hit %llu: %s", (unsigned long long)h->evnum, err);
}

int64_t thd_int(sqlite3 *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s, sql, -1, &st, NULL);
    CHECK(rc == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(s));
    rc = sqlite3_step(st);
    CHECK(rc == SQLITE_ROW, "%s: %s", sql, sqlite3_errmsg(s));
    int64_t v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A second connection's view: only what was committed. */
static int64_t count_other(const char *path)
{
    sqlite3 *s = NULL;
    CHECK(sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK, "open %s", path);
    int64_t n = thd_int(s, "SELECT count(*) FROM hits");
    sqlite3_close(s);
    return n;
}

static void integrity_ok(struct hitdb *db)
{
    sqlite3_stmt *st = NULL;
    sqlite3 *s = hitdb_sqlite(db);
    CHECK(sqlite3_prepare_v2(s, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK, "prep");
    CHECK(sqlite3_step(st) == SQLITE_ROW, "integrity_check: %s", sqlite3_errmsg(s));
    const char *r = (const char *)sqlite3_column_text(st, 0);
    CHECK(r && strcmp(r, "ok") == 0, "integrity_check: %s", r ? r : "(null)");
    sqlite3_finalize(st);
}

static void expect_refused(const char *path, int flags, const char *want)
{
    char err[512] = "";
    struct hitdb *db = (struct hitdb *)1;
    int rc = hitdb_open(path, flags, &db, err, sizeof err);
    CHECK(rc == -1 && db == NULL, "%s: opened", path);
    CHECK(strncmp(err, path, strlen(path)) == 0, "%s: error does not name the file: %s", path,
          err);
    CHECK(strstr(err, want), "%s: error \"%s\" lacks \"%s\"", path, err, want);
    CHECK(!strchr(err, '\n'), "%s: error is not one line: %s", path, err);
}

static void raw_sql(const char *path, const char *sql)
{
    sqlite3 *s = NULL;
    CHECK(sqlite3_open(path, &s) == SQLITE_OK, "open %s", path);
    char *msg = NULL;
    CHECK(sqlite3_exec(s, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg);
    sqlite3_close(s);
}

START_TEST(create_reopen)
{
    char path[512];
    tmp_path(path, sizeof path, "hitdb-create.db");
    unlink(path);
    struct hitdb *db = thd_open(path, HITDB_CREATE);
    sqlite3 *s = hitdb_sqlite(db);
    CHECK(thd_int(s, "PRAGMA application_id") == HITDB_APPLICATION_ID, "application_id");
    CHECK(thd_int(s, "PRAGMA user_version") == HITDB_SCHEMA_VERSION, "user_version");
    CHECK(thd_int(s, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 1,
          "not WAL");
    CHECK(thd_int(s, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name LIKE "
                     "'hits_%'") == 7, "indexes");
    CHECK(thd_int(s, "SELECT count(*) FROM priorities") == 8, "priorities");
    CHECK(strcmp(hitdb_path(db), path) == 0, "path");
    hitdb_close(db);
    /* reopen: as is, read-only, and with CREATE on an existing one */
    db = thd_open(path, 0);
    hitdb_close(db);
    db = thd_open(path, HITDB_READONLY);
    char err[512] = "";
    int64_t run = 0;
    struct hitdb_run_in in = { 0 };
    CHECK(hitdb_run_begin(db, &in, &run, err, sizeof err) == -1, "read-only run began");
    CHECK(strstr(err, "read-only"), "%s", err);
    hitdb_close(db);
    db = thd_open(path, HITDB_CREATE);
    CHECK(thd_int(hitdb_sqlite(db), "SELECT count(*) FROM runs") == 0, "runs");
    hitdb_close(db);
    hitdb_close(NULL);
}
END_TEST

START_TEST(refuse_foreign)
{
    char path[512];
    /* missing, without CREATE and read-only */
    tmp_path(path, sizeof path, "hitdb-missing.db");
    unlink(path);
    expect_refused(path, 0, "No such file");
    expect_refused(path, HITDB_READONLY | HITDB_CREATE, "No such file");
    CHECK(access(path, F_OK) != 0, "created by a refused open");
    /* a directory */
    tmp_path(path, sizeof path, "");
    expect_refused(path, HITDB_CREATE, "directory");
    /* not SQLite */
    tmp_path(path, sizeof path, "hitdb-text.db");
    const char text[] = "this is not an SQLite database, it is a text file of some length\n";
    char big[8192];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = text[i % (sizeof text - 1)];
    spit(path, big, sizeof big);
    expect_refused(path, HITDB_CREATE, "not a saker hit database (file is not a database)");
    /* another application's SQLite database */
    tmp_path(path, sizeof path, "hitdb-other.db");
    unlink(path);
    raw_sql(path, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
    expect_refused(path, HITDB_CREATE, "not a saker hit database (SQLite application_id 0x00000000");
    raw_sql(path, "PRAGMA application_id = 1234;");
    expect_refused(path, 0, "application_id 0x000004d2");
    /* empty: refused unless creating */
    tmp_path(path, sizeof path, "hitdb-empty.db");
    spit(path, "", 0);
    expect_refused(path, 0, "(empty)");
    expect_refused(path, HITDB_READONLY, "(empty)");
    struct hitdb *db = thd_open(path, HITDB_CREATE);
    hitdb_close(db);
}
END_TEST

START_TEST(refuse_versions)
{
    char path[512];
    tmp_path(path, sizeof path, "hitdb-newer.db");
    unlink(path);
    hitdb_close(thd_open(path, HITDB_CREATE));
    raw_sql(path, "PRAGMA user_version = 2;");
    expect_refused(path, 0, "schema version 2 is newer than this saker's (1)");
    expect_refused(path, HITDB_READONLY, "newer");
    raw_sql(path, "PRAGMA user_version = 0;");
    expect_refused(path, HITDB_CREATE, "schema version 0 is not valid");
    raw_sql(path, "PRAGMA user_version = 1;");
    hitdb_close(thd_open(path, 0));
}
END_TEST

START_TEST(run_with_hits)
{
    char path[512], tabc[512], tempty[512], rules[512], err[512] = "";
    tmp_path(path, sizeof path, "hitdb-run.db");
    tmp_path(tabc, sizeof tabc, "hitdb-abc.skr");
    tmp_path(tempty, sizeof tempty, "hitdb-empty.skr");
    tmp_path(rules, sizeof rules, "hitdb-rules.yaml");
    unlink(path);
    spit(tabc, "abc", 3);
    spit(tempty, "", 0);
    spit(rules, "abc", 3);
    struct hitdb *db = thd_open(path, HITDB_CREATE);
    struct hitdb_file_in tr[2] = { { .path = tabc }, { .path = tempty } };
    struct hitdb_file_in ru[1] = { { .path = rules } };
    struct hitdb_run_in in = { .options_json = "{\"min_priority\":\"warning\"}", .traces = tr,
                               .ntraces = 2, .rules = ru, .nrules = 1 };
    int64_t run = 0;
    CHECK(hitdb_run_begin(db, &in, &run, err, sizeof err) == 0, "begin: %s", err);
    CHECK(run == 1, "run id %lld", (long long)run);
    CHECK(strcmp(hitdb_run_trace_sha256(db, 0), SHA_ABC) == 0, "sha abc");
    CHECK(strcmp(hitdb_run_trace_sha256(db, 1), SHA_EMPTY) == 0, "sha empty");
    /* the run is visible, unfinished, before any hit */
    CHECK(count_other(path) == 0, "hits");
    struct hitdb_hit h;
    for (uint64_t i = 0; i < 10; i++) {
        thd_hit(&h, i);
        h.trace = i % 2;
        if (i == 3) {
            h.pid = h.tid = -1;
            h.proc_name = h.container_id = NULL;
            h.block = -1;
            h.source = "k8s_audit";
            h.ntags = 0;
            h.tags = NULL;
            h.fields_json = NULL;
            h.output = "quote \" backslash \\ tab \t bytes \x1b[31m";
        }
        thd_add(db, &h);
    }
    hitdb_run_progress(db, 5);
    CHECK(hitdb_run_finish(db, 12345, 7, err, sizeof err) == 0, "finish: %s", err);
    struct hitdb_write_stats st;
    hitdb_write_stats(db, &st);
    CHECK(st.added == 10 && st.committed == 10 && st.inserted == 10 && st.commits == 1,
          "stats %llu %llu %llu %llu", (unsigned long long)st.added,
          (unsigned long long)st.committed, (unsigned long long)st.inserted,
          (unsigned long long)st.commits);
    sqlite3 *s = hitdb_sqlite(db);
    CHECK(thd_int(s, "SELECT count(*) FROM runs WHERE finished IS NOT NULL AND events = 12345 "
                     "AND hits = 10 AND new_hits = 10 AND drops = 7 AND duration_ns >= 0 "
                     "AND error IS NULL AND saker_version = '" "0.1.0" "' AND "
                     "json_extract(options, '$.min_priority') = 'warning' AND started LIKE "
                     "'____-__-__T__:__:__.___Z'") == 1, "runs row");
    CHECK(thd_int(s, "SELECT count(*) FROM run_traces WHERE run = 1 AND ((seq = 0 AND size = 3 "
                     "AND sha256 = '" SHA_ABC "') OR (seq = 1 AND size = 0 AND sha256 = '"
                     SHA_EMPTY "')) AND path LIKE '/%'") == 2, "run_traces");
    CHECK(thd_int(s, "SELECT count(*) FROM run_rules WHERE run = 1 AND seq = 0 AND sha256 = '"
                     SHA_ABC "' AND path LIKE '/%hitdb-rules.yaml'") == 1, "run_rules");
    CHECK(thd_int(s, "SELECT count(*) FROM hits WHERE trace_sha256 = '" SHA_ABC "'") == 5, "t0");
    CHECK(thd_int(s, "SELECT count(*) FROM hits WHERE id = 4 AND pid IS NULL AND tid IS NULL AND "
                     "proc_name IS NULL AND container_id IS NULL AND block IS NULL AND "
                     "source = 'k8s_audit' AND tags = '[]' AND fields = '{}' AND output = "
                     "'quote \" backslash \\ tab \t bytes \x1b[31m'") == 1, "hit 4");
    CHECK(thd_int(s, "SELECT count(*) FROM hits WHERE id = 2 AND pid = 1 AND tid = 1 AND "
                     "proc_name = 'cat' AND container_id = 'host' AND block = 0 AND evnum = 2 "
                     "AND priority = 1 AND rule = 'Write below etc' AND source = 'syscall' AND "
                     "tags = '[\"filesystem\",\"mitre_persistence\"]' AND "
                     "json_extract(fields, '$.\"proc.name\"') = 'cat' AND time_ns = "
                     "1700000000000001000 AND trace_path LIKE '/%hitdb-empty.skr'") == 1,
          "hit 2");
    /* the view for the sqlite3 shell */
    CHECK(thd_int(s, "SELECT count(*) FROM hit_summary WHERE id = 2 AND priority = 'Alert' AND "
                     "time = '2023-11-14T22:13:20.000Z'") == 1, "hit_summary");
    /* a second run on the same handle */
    run = 0;
    CHECK(hitdb_run_begin(db, &in, &run, err, sizeof err) == 0 && run == 2, "run 2: %s", err);
    CHECK(hitdb_run_finish(db, 0, 0, err, sizeof err) == 0, "finish 2: %s", err);
    integrity_ok(db);
    hitdb_close(db);
}
END_TEST

START_TEST(begin_errors)
{
    char path[512], err[512] = "";
    tmp_path(path, sizeof path, "hitdb-beginerr.db");
    unlink(path);
    struct hitdb *db = thd_open(path, HITDB_CREATE);
    struct hitdb_file_in tr[2] = { fake_trace, { .path = "/nonexistent/dir/x.skr" } };
    struct hitdb_run_in in = { .traces = tr, .ntraces = 2 };
    int64_t run = 9;
    CHECK(hitdb_run_begin(db, &in, &run, err, sizeof err) == -1 && run == 0, "began");
    CHECK(strstr(err, "hash /nonexistent/dir/x.skr: No such file"), "%s", err);
    CHECK(strncmp(err, path, strlen(path)) == 0, "%s", err);
    struct hitdb_file_in bad = { .path = "x", .sha256 = "ABC" };
    in.traces = &bad;
    in.ntraces = 1;
    CHECK(hitdb_run_begin(db, &in, &run, err, sizeof err) == -1, "bad sha accepted");
    CHECK(strstr(err, "sha256 is not 64 lowercase hex digits"), "%s", err);
    in.traces = &fake_trace;
    in.options_json = "{not json";
    CHECK(hitdb_run_begin(db, &in, &run, err, sizeof err) == -1, "bad options accepted");
    CHECK(strstr(err, "begin run: CHECK constraint failed"), "%s", err);
    /* nothing of the failed runs is left */
    CHECK(thd_int(hitdb_sqlite(db), "SELECT count(*) FROM runs") == 0, "runs left");
    CHECK(thd_int(hitdb_sqlite(db), "SELECT count(*) FROM run_traces") == 0, "traces left");
    hitdb_close(db);
}
END_TEST

START_TEST(bad_hits)
{
    char path[512], err[512] = "";
    tmp_path(path, sizeof path, "hitdb-badhit.db");
    unlink(path);
    struct hitdb *db = thd_open(path, HITDB_CREATE);
    thd_begin(db, 0, 0);
    struct hitdb_hit h;
    thd_hit(&h, 1);
    h.priority = 8;
    CHECK(hitdb_add_hit(db, &h, err, sizeof err) == -1, "priority 8 accepted");
    CHECK(strstr(err, "invalid hit") && strstr(err, "priority 8"), "%s", err);
    thd_hit(&h, 1);
    h.trace = 1;
    CHECK(hitdb_add_hit(db, &h, err, sizeof err) == -1, "trace 1 of 1 accepted");
    thd_hit(&h, 1);
    h.rule = NULL;
    CHECK(hitdb_add_hit(db, &h, err, sizeof err) == -1, "no rule accepted");
    /* not sticky: a good hit still goes in */
    thd_hit(&h, 1);
    thd_add(db, &h);
    /* bad JSON from the engine is a CHECK failure, and sticks */
    thd_hit(&h, 2);
    h.fields_json = "{";
    CHECK(hitdb_add_hit(db, &h, err, sizeof err) == -1, "bad fields JSON accepted");
    CHECK(strstr(err, ": insert hit: CHECK constraint failed"), "%s", err);
    thd_hit(&h, 3);
    CHECK(hitdb_add_hit(db, &h, err, sizeof err) == -1, "not sticky");
    CHECK(hitdb_run_finish(db, 1, 0, err, sizeof err) == -1, "finished");
    CHECK(thd_int(hitdb_sqlite(db), "SELECT count(*) FROM runs WHERE finished IS NULL AND "
                     "error LIKE '%: insert hit: CHECK constraint failed%'") == 1, "runs.error");
    hitdb_close(db);
}
END_TEST

START_TEST(duplicate_replay)
{
    char path[512], err[512] = "";
    tmp_path(path, sizeof path, "hitdb-dup.db");
    unlink(path);
    struct hitdb *db = thd_open(path, HITDB_CREATE);
    struct hitdb_hit h;
    for (int pass = 0; pass < 3; pass++) {
        int64_t run = thd_begin(db, 64, 0);
        CHECK(run == pass + 1, "run %lld", (long long)run);
        /* the third pass adds 50 hits of a new rule on the same events */
        for (uint64_t i = 0; i < 300; i++) {
            thd_hit(&h, i);
            thd_add(db, &h);
            if (pass == 2 && i < 50) {
                h.rule = "Another rule";
                thd_add(db, &h);
            }
        }
        CHECK(hitdb_run_finish(db, 300, 0, err, sizeof err) == 0, "finish: %s", err);
        struct hitdb_write_stats st;
        hitdb_write_stats(db, &st);
        uint64_t want_new = pass == 0 ? 300 : pass == 1 ? 0 : 50;
        CHECK(st.inserted == want_new, "pass %d: %llu new", pass, (unsigned long long)st.inserted);
        CHECK(st.committed == (pass == 2 ? 350u : 300u), "pass %d: committed", pass);
    }
    sqlite3 *s = hitdb_sqlite(db);
    CHECK(thd_int(s, "SELECT count(*) FROM hits") == 350, "hits");
    CHECK(thd_int(s, "SELECT count(*) FROM hits WHERE run = 1") == 300, "first found by run 1");
    CHECK(thd_int(s, "SELECT count(*) FROM runs WHERE (id = 1 AND new_hits = 300 AND hits = 300) "
                     "OR (id = 2 AND new_hits = 0 AND hits = 300) OR (id = 3 AND new_hits = 50 "
                     "AND hits = 350)") == 3, "runs counters");
    hitdb_close(db);
}
END_TEST

START_TEST(batch_boundaries)
{
    char path[512], err[512] = "";
    tmp_path(path, sizeof path, "hitdb-batch.db");
    unlink(path);
    struct hitdb *db = thd_open(path, HITDB_CREATE);
    thd_begin(db, 10, 3600000);
    struct hitdb_hit h;
    struct hitdb_write_stats st;
    for (uint64_t i = 1; i <= 25; i++) {
        thd_hit(&h, i);
        thd_add(db, &h);
        int64_t want = (int64_t)(i / 10 * 10);
        CHECK(count_other(path) == want, "after %llu hits: %lld visible, expected %lld",
              (unsigned long long)i, (long long)count_other(path), (long long)want);
        hitdb_write_stats(db, &st);
        CHECK(st.committed == (uint64_t)want && st.added == i && st.commits == i / 10, "stats %llu",
              (unsigned long long)i);
    }
    /* the run row follows the commits */
    sqlite3 *s = NULL;
    CHECK(sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK, "open");
    CHECK(thd_int(s, "SELECT hits FROM runs") == 20, "runs.hits after 2 batches");
    CHECK(hitdb_flush(db, err, sizeof err) == 0, "flush: %s", err);
    CHECK(count_other(path) == 25, "after flush");
    CHECK(thd_int(s, "SELECT hits FROM runs") == 25, "runs.hits after flush");
    CHECK(hitdb_flush(db, err, sizeof err) == 0, "empty flush: %s", err);
    hitdb_write_stats(db, &st);
    CHECK(st.commits == 3, "empty flush committed");
    CHECK(hitdb_run_finish(db, 25, 0, err, sizeof err) == 0, "finish: %s", err);
    hitdb_write_stats(db, &st);
    CHECK(st.commits == 3, "finish with nothing pending committed a batch");
    /* batch_hits = 1: every hit commits */
    thd_begin(db, 1, 3600000);
    thd_hit(&h, 100);
    thd_add(db, &h);
    CHECK(count_other(path) == 26, "batch of one");
    CHECK(hitdb_run_finish(db, 1, 0, err, sizeof err) == 0, "finish: %s", err);
    sqlite3_close(s);
    hitdb_close(db);
}
END_TEST

START_TEST(batch_age)
{
    char path[512], err[512] = "";
    tmp_path(path, sizeof path, "hitdb-age.db");
    unlink(path);
    struct hitdb *db = thd_open(path, HITDB_CREATE);
    thd_begin(db, 1000000, 20);
    struct hitdb_hit h;
    thd_hit(&h, 1);
    thd_add(db, &h);
    struct timespec ts = { 0, 40 * 1000000 };
    nanosleep(&ts, NULL);
    thd_hit(&h, 2);
    thd_add(db, &h);
    /* the batch began 40 ms ago: the second hit commits both */
    CHECK(count_other(path) == 2, "old batch not committed");
    CHECK(hitdb_run_finish(db, 2, 0, err, sizeof err) == 0, "finish: %s", err);
    hitdb_close(db);
}
END_TEST

START_TEST(close_commits)
{
    char path[512];
    tmp_path(path, sizeof path, "hitdb-close.db");
    unlink(path);
    struct hitdb *db = thd_open(path, HITDB_CREATE);
    thd_begin(db, 10, 3600000);
    struct hitdb_hit h;
    for (uint64_t i = 0; i < 5; i++) {
        thd_hit(&h, i);
        thd_add(db, &h);
    }
    CHECK(count_other(path) == 0, "committed early");
    /* closing without finishing commits the batch; the run stays open */
    hitdb_close(db);
    CHECK(count_other(path) == 5, "close lost the batch");
    db = thd_open(path, 0);
    CHECK(thd_int(hitdb_sqlite(db), "SELECT hits FROM runs WHERE finished IS NULL") == 5, "run");
    hitdb_close(db);
}
END_TEST

/* The child of killed_*: a run that never finishes. */
static void child_run(const char *path, uint64_t nhits)
{
    char err[512];
    struct hitdb *db = NULL;
    if (hitdb_open(path, HITDB_CREATE, &db, err, sizeof err) < 0)
        _exit(3);
    struct hitdb_run_in in = { .traces = &fake_trace, .ntraces = 1, .batch_hits = 100,
                               .batch_ms = 3600000 };
    int64_t run;
    if (hitdb_run_begin(db, &in, &run, err, sizeof err) < 0)
        _exit(4);
    struct hitdb_hit h;
    for (uint64_t i = 0; i < nhits; i++) {
        thd_hit(&h, i);
        hitdb_run_progress(db, i * 10);
        if (hitdb_add_hit(db, &h, err, sizeof err) < 0)
            _exit(5);
    }
    _exit(0); /* no finish, no close: as if killed */
}

START_TEST(killed_exit)
{
    char path[512], err[512] = "";
    tmp_path(path, sizeof path, "hitdb-killed.db");
    unlink(path);
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0)
        child_run(path, 250);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "child failed: %d", status);
    struct hitdb *db = thd_open(path, 0);
    sqlite3 *s = hitdb_sqlite(db);
    integrity_ok(db);
    CHECK(thd_int(s, "SELECT count(*) FROM hits") == 200, "committed hits: %lld",
          (long long)thd_int(s, "SELECT count(*) FROM hits"));
    CHECK(thd_int(s, "SELECT count(*) FROM runs WHERE finished IS NULL AND hits = 200 AND "
                     "new_hits = 200 AND events = 1990 AND duration_ns IS NULL") == 1,
          "unfinished run");
    struct hitdb_run *runs;
    size_t n;
    CHECK(hitdb_list_runs(db, &runs, &n, err, sizeof err) == 0, "%s", err);
    CHECK(n == 1 && runs[0].finished == NULL && runs[0].hits == 200 && runs[0].duration_ns == -1,
          "listed run");
    hitdb_runs_free(runs, n);
    /* the next replay of the same trace adds only what was lost */
    thd_begin(db, 0, 0);
    struct hitdb_hit h;
    for (uint64_t i = 0; i < 250; i++) {
        thd_hit(&h, i);
        thd_add(db, &h);
    }
    CHECK(hitdb_run_finish(db, 2500, 0, err, sizeof err) == 0, "finish: %s", err);
    CHECK(thd_int(s, "SELECT new_hits FROM runs WHERE id = 2") == 50, "re-replay");
    hitdb_close(db);
}
END_TEST

START_TEST(killed_signal)
{
    char path[512];
    tmp_path(path, sizeof path, "hitdb-sigkill.db");
    unlink(path);
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0)
        child_run(path, UINT64_MAX);
    /* Wait for a few commits, then kill it wherever it is. */
    int64_t seen = 0;
    for (int i = 0; i < 2000 && seen < 500; i++) {
        struct timespec ts = { 0, 2000000 };
        nanosleep(&ts, NULL);
        sqlite3 *s = NULL;
        if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
            sqlite3_busy_timeout(s, 1000);
            sqlite3_stmt *st = NULL;
            if (sqlite3_prepare_v2(s, "SELECT count(*) FROM hits", -1, &st, NULL) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW)
                seen = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
        sqlite3_close(s);
    }
    kill(pid, SIGKILL);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid, "wait");
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "child ended early: %d", status);
    CHECK(seen >= 500, "child wrote only %lld hits", (long long)seen);
    struct hitdb *db = thd_open(path, 0);
    integrity_ok(db);
    sqlite3 *s = hitdb_sqlite(db);
    int64_t n = thd_int(s, "SELECT count(*) FROM hits");
    /* whole batches only, and the run row agrees with them */
    CHECK(n >= seen && n % 100 == 0, "%lld hits", (long long)n);
    CHECK(thd_int(s, "SELECT hits FROM runs WHERE finished IS NULL") == n, "runs.hits");
    hitdb_close(db);
}
END_TEST

START_TEST(disk_full)
{
    char path[512], err[512] = "", err2[512] = "";
    tmp_path(path, sizeof path, "hitdb-full.db");
    unlink(path);
    struct hitdb *db = thd_open(path, HITDB_CREATE);
    thd_begin(db, 10, 3600000);
    sqlite3 *s = hitdb_sqlite(db);
    /* max_page_count makes this connection see a full disk (SQLITE_FULL)
     * once the file would pass it. */
    int64_t pages = thd_int(s, "PRAGMA page_count");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages + 40);
    thd_int(s, sql);
    char out[2000];
    memset(out, 'x', sizeof out - 1);
    out[sizeof out - 1] = 0;
    struct hitdb_hit h;
    uint64_t i = 0;
    int rc = 0;
    for (; i < 100000 && rc == 0; i++) {
        thd_hit(&h, i);
        h.output = out;
        rc = hitdb_add_hit(db, &h, err, sizeof err);
    }
    CHECK(rc == -1, "never full after %llu hits", (unsigned long long)i);
    char want[600];
    snprintf(want, sizeof want, "%s: ", path);
    CHECK(strncmp(err, want, strlen(want)) == 0 && strstr(err, "database or disk is full") &&
          (strstr(err, ": insert hit: ") || strstr(err, ": commit hits: ")), "error: %s", err);
    struct hitdb_write_stats st;
    hitdb_write_stats(db, &st);
    CHECK(st.committed > 0 && st.committed % 10 == 0 && st.committed < i, "committed %llu",
          (unsigned long long)st.committed);
    /* sticky, for every write */
    thd_hit(&h, i + 1);
    CHECK(hitdb_add_hit(db, &h, err2, sizeof err2) == -1 && strcmp(err, err2) == 0, "add: %s",
          err2);
    CHECK(hitdb_flush(db, err2, sizeof err2) == -1 && strcmp(err, err2) == 0, "flush: %s", err2);
    CHECK(hitdb_run_finish(db, 99, 0, err2, sizeof err2) == -1 && strcmp(err, err2) == 0,
          "finish: %s", err2);
    int64_t run = 0;
    struct hitdb_run_in in = { .traces = &fake_trace, .ntraces = 1 };
    CHECK(hitdb_run_begin(db, &in, &run, err2, sizeof err2) == -1 && strcmp(err, err2) == 0,
          "begin: %s", err2);
    hitdb_close(db);
    /* what was committed is there, and the file is sound */
    db = thd_open(path, 0);
    s = hitdb_sqlite(db);
    integrity_ok(db);
    CHECK(thd_int(s, "SELECT count(*) FROM hits") == (int64_t)st.committed, "hits");
    CHECK(thd_int(s, "SELECT hits FROM runs WHERE finished IS NULL") == (int64_t)st.committed,
          "runs.hits");
    hitdb_close(db);
}
END_TEST

Suite *hitdb_suite(void)
{
    Suite *s = suite_create("hitdb");
    TCase *tc = tcase_create("write");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, create_reopen);
    tcase_add_test(tc, refuse_foreign);
    tcase_add_test(tc, refuse_versions);
    tcase_add_test(tc, run_with_hits);
    tcase_add_test(tc, begin_errors);
    tcase_add_test(tc, bad_hits);
    tcase_add_test(tc, duplicate_replay);
    tcase_add_test(tc, batch_boundaries);
    tcase_add_test(tc, batch_age);
    tcase_add_test(tc, close_commits);
    tcase_add_test(tc, killed_exit);
    tcase_add_test(tc, killed_signal);
    tcase_add_test(tc, disk_full);
    suite_add_tcase(s, tc);
    hitdb_query_cases(s);
    return s;
}
