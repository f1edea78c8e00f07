/* hitdb_write.c -- the write side of the hit database: a run's row and its
 * files (with their SHA-256, from libmd), hits in batched transactions,
 * the run's end.
 *
 * Design (see also hitdb.h): the runs row is committed on its own before
 * any hit, so a run exists, unfinished, as soon as it starts. A batch is
 * one BEGIN IMMEDIATE .. COMMIT holding up to batch_hits inserts; each
 * COMMIT carries an UPDATE of the run's counters, so after a kill the run
 * row agrees with the hits that survived. The first failure of any write
 * is kept in db->failed and returned by every later write: after a full
 * disk, continuing would only produce a run with holes. */
#include <assert.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hitdb_int.h"

enum { DEFAULT_BATCH_HITS = 1000, DEFAULT_BATCH_MS = 1000 };
enum { HASH_CHUNK = 1 << 20 };

static const char ins_hit_sql[] =
    "INSERT INTO hits(run, time_ns, rule, priority, source, output, tags, pid, tid,"
    " proc_name, cmdline, user_name, container_id, trace_path, trace_sha256, block, evnum,"
    " fields) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)"
    /* Not INSERT OR IGNORE: that also drops rows failing NOT NULL or CHECK
     * without a word (sqlite.org/lang_conflict.html). Only a hit already
     * found is skipped. */
    " ON CONFLICT(trace_sha256, evnum, rule) DO NOTHING";
static const char upd_run_sql[] =
    "UPDATE runs SET events = ?1, hits = ?2, new_hits = ?3 WHERE id = ?4";

static int64_t ms_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)(now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* "2026-11-22T12:00:00.123Z" */
static void iso_now(char *buf, size_t n)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t k = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + k, n - k, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* SHA-256 (hex) and size of a whole file. */
static int hash_file(struct hitdb *db, const char *path, char hex[SHA256_DIGEST_STRING_LENGTH],
                     int64_t *size, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        hitdb_errf(db, err, errlen, "hash %s: %s", path, strerror(errno));
        return -1;
    }
    uint8_t *buf = malloc(HASH_CHUNK);
    if (!buf) {
        close(fd);
        hitdb_errf(db, err, errlen, "hash %s: out of memory", path);
        return -1;
    }
    SHA2_CTX ctx;
    SHA256Init(&ctx);
    int64_t total = 0;
    int rc = 0;
    for (;;) {
        ssize_t k = read(fd, buf, HASH_CHUNK);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            hitdb_errf(db, err, errlen, "hash %s: read at byte %lld: %s", path, (long long)total,
                       strerror(errno));
            rc = -1;
            break;
        }
        if (k == 0)
            break;
        SHA256Update(&ctx, buf, (size_t)k);
        total += k;
    }
    free(buf);
    close(fd);
    /* Always ends the context: SHA256End also wipes it. */
    SHA256End(&ctx, hex);
    *size = total;
    return rc;
}

static bool is_sha256_hex(const char *s)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return i == 64;
}

/* Fills path/sha/size for one input file: absolute path when it exists. */
static int resolve_file(struct hitdb *db, const struct hitdb_file_in *in, char **path,
                        char sha[SHA256_DIGEST_STRING_LENGTH], int64_t *size, char *err,
                        size_t errlen)
{
    char *abs = realpath(in->path, NULL);
    if (in->sha256) {
        if (!is_sha256_hex(in->sha256)) {
            free(abs);
            hitdb_errf(db, err, errlen, "%s: sha256 is not 64 lowercase hex digits", in->path);
            return -1;
        }
        memcpy(sha, in->sha256, SHA256_DIGEST_STRING_LENGTH);
        *size = in->size;
    } else if (hash_file(db, in->path, sha, size, err, errlen) < 0) {
        free(abs);
        return -1;
    }
    *path = abs ? abs : strdup(in->path);
    if (!*path) {
        hitdb_errf(db, err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

void hitdb_run_reset(struct hitdb *db)
{
    sqlite3_finalize(db->ins_hit);
    sqlite3_finalize(db->upd_run);
    db->ins_hit = db->upd_run = NULL;
    for (size_t i = 0; i < db->ntraces; i++) {
        free(db->traces[i].path);
        free(db->traces[i].sha256);
    }
    free(db->traces);
    db->traces = NULL;
    db->ntraces = 0;
    db->run_id = 0;
}

static int fail_write(struct hitdb *db, const char *step, char *err, size_t errlen)
{
    char msg[512];
    hitdb_err_sql(db, step, msg, sizeof msg);
    /* A failed statement may already have rolled the transaction back
     * (SQLITE_FULL, SQLITE_IOERR: sqlite.org/lang_transaction.html). */
    if (!sqlite3_get_autocommit(db->db))
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    db->in_tx = false;
    db->pending = 0;
    db->pending_new = 0;
    if (!db->failed)
        db->failed = strdup(msg);
    snprintf(err, errlen, "%s", msg);
    return -1;
}

static int failed_already(const struct hitdb *db, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s", db->failed);
    return -1;
}

static int insert_files(struct hitdb *db, const struct hitdb_run_in *in, char *err, size_t errlen)
{
    sqlite3_stmt *tr = NULL, *ru = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db->db,
                           "INSERT INTO run_traces(run, seq, path, size, sha256) VALUES (?,?,?,?,?)",
                           -1, &tr, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->db, "INSERT INTO run_rules(run, seq, path, sha256) VALUES (?,?,?,?)",
                           -1, &ru, NULL) != SQLITE_OK) {
        fail_write(db, "begin run", err, errlen);
        goto out;
    }
    for (size_t i = 0; i < in->ntraces; i++) {
        char *path = NULL, sha[SHA256_DIGEST_STRING_LENGTH];
        int64_t size = 0;
        if (resolve_file(db, &in->traces[i], &path, sha, &size, err, errlen) < 0)
            goto out;
        db->traces[i].path = path;
        if (!(db->traces[i].sha256 = strdup(sha))) {
            hitdb_errf(db, err, errlen, "out of memory");
            goto out;
        }
        sqlite3_bind_int64(tr, 1, db->run_id);
        sqlite3_bind_int64(tr, 2, (int64_t)i);
        sqlite3_bind_text(tr, 3, path, -1, SQLITE_STATIC);
        sqlite3_bind_int64(tr, 4, size);
        sqlite3_bind_text(tr, 5, sha, -1, SQLITE_STATIC);
        if (sqlite3_step(tr) != SQLITE_DONE) {
            fail_write(db, "begin run", err, errlen);
            goto out;
        }
        sqlite3_reset(tr);
    }
    for (size_t i = 0; i < in->nrules; i++) {
        char *path = NULL, sha[SHA256_DIGEST_STRING_LENGTH];
        int64_t size = 0;
        if (resolve_file(db, &in->rules[i], &path, sha, &size, err, errlen) < 0)
            goto out;
        sqlite3_bind_int64(ru, 1, db->run_id);
        sqlite3_bind_int64(ru, 2, (int64_t)i);
        sqlite3_bind_text(ru, 3, path, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ru, 4, sha, -1, SQLITE_TRANSIENT);
        free(path);
        if (sqlite3_step(ru) != SQLITE_DONE) {
            fail_write(db, "begin run", err, errlen);
            goto out;
        }
        sqlite3_reset(ru);
    }
    rc = 0;
out:
    sqlite3_finalize(tr);
    sqlite3_finalize(ru);
    return rc;
}

int hitdb_run_begin(struct hitdb *db, const struct hitdb_run_in *in, int64_t *run_id, char *err,
                    size_t errlen)
{
    assert(db->run_id == 0 && !db->in_tx); /* one run at a time */
    *run_id = 0;
    if (db->readonly) {
        hitdb_errf(db, err, errlen, "begin run: opened read-only");
        return -1;
    }
    if (db->failed)
        return failed_already(db, err, errlen);
    memset(&db->st, 0, sizeof db->st);
    db->events = 0;
    db->batch_hits = in->batch_hits ? in->batch_hits : DEFAULT_BATCH_HITS;
    db->batch_ms = in->batch_ms ? in->batch_ms : DEFAULT_BATCH_MS;
    if (in->ntraces && !(db->traces = calloc(in->ntraces, sizeof *db->traces))) {
        hitdb_errf(db, err, errlen, "begin run: out of memory");
        return -1;
    }
    db->ntraces = in->ntraces;

    char started[40];
    iso_now(started, sizeof started);
    if (hitdb_exec(db, "BEGIN IMMEDIATE", "begin run", err, errlen) < 0)
        goto fail;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db,
                           "INSERT INTO runs(started, saker_version, options) VALUES (?,?,?)", -1,
                           &st, NULL) != SQLITE_OK) {
        fail_write(db, "begin run", err, errlen);
        goto fail;
    }
    sqlite3_bind_text(st, 1, started, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, in->saker_version ? in->saker_version : SAKER_VERSION, -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 3, in->options_json ? in->options_json : "{}", -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        fail_write(db, "begin run", err, errlen);
        goto fail;
    }
    db->run_id = sqlite3_last_insert_rowid(db->db);
    if (insert_files(db, in, err, errlen) < 0)
        goto fail;
    if (sqlite3_prepare_v2(db->db, ins_hit_sql, -1, &db->ins_hit, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->db, upd_run_sql, -1, &db->upd_run, NULL) != SQLITE_OK) {
        fail_write(db, "begin run", err, errlen);
        goto fail;
    }
    if (hitdb_exec(db, "COMMIT", "begin run", err, errlen) < 0) {
        fail_write(db, "begin run", err, errlen);
        goto fail;
    }
    clock_gettime(CLOCK_MONOTONIC, &db->run_t0);
    *run_id = db->run_id;
    return 0;
fail:
    if (!sqlite3_get_autocommit(db->db))
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    hitdb_run_reset(db);
    return -1;
}

const char *hitdb_run_trace_sha256(const struct hitdb *db, size_t i)
{
    assert(i < db->ntraces);
    return db->traces[i].sha256;
}

void hitdb_run_progress(struct hitdb *db, uint64_t events)
{
    db->events = events;
}

static int commit_batch(struct hitdb *db, char *err, size_t errlen)
{
    assert(db->in_tx);
    sqlite3_stmt *u = db->upd_run;
    sqlite3_bind_int64(u, 1, (int64_t)db->events);
    sqlite3_bind_int64(u, 2, (int64_t)(db->st.committed + db->pending));
    sqlite3_bind_int64(u, 3, (int64_t)(db->st.inserted + db->pending_new));
    sqlite3_bind_int64(u, 4, db->run_id);
    int rc = sqlite3_step(u);
    sqlite3_reset(u);
    if (rc != SQLITE_DONE)
        return fail_write(db, "commit hits", err, errlen);
    if (sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return fail_write(db, "commit hits", err, errlen);
    db->in_tx = false;
    db->st.committed += db->pending;
    db->st.inserted += db->pending_new;
    db->st.commits++;
    db->pending = 0;
    db->pending_new = 0;
    return 0;
}

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

int hitdb_add_hit(struct hitdb *db, const struct hitdb_hit *h, char *err, size_t errlen)
{
    assert(db->run_id != 0);
    if (db->failed)
        return failed_already(db, err, errlen);
    /* Caller bugs, but cheap to refuse without poisoning the run. */
    if (!h->rule || !h->output || h->trace >= db->ntraces || h->priority < 0 ||
        h->priority >= HITDB_NPRIORITIES || h->evnum > INT64_MAX || h->time_ns > INT64_MAX) {
        hitdb_errf(db, err, errlen, "insert hit: invalid hit (rule, output, trace %zu, priority %d)",
                   h->trace, h->priority);
        return -1;
    }
    /* cJSON_CreateStringArray refuses a NULL list, even an empty one. */
    char *tags = NULL;
    cJSON *arr = h->ntags ? cJSON_CreateStringArray(h->tags, (int)h->ntags) : cJSON_CreateArray();
    if (!arr || h->ntags > INT_MAX || !(tags = cJSON_PrintUnformatted(arr))) {
        cJSON_Delete(arr);
        hitdb_errf(db, err, errlen, "insert hit: out of memory");
        return -1;
    }
    cJSON_Delete(arr);

    if (!db->in_tx) {
        if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
            cJSON_free(tags);
            return fail_write(db, "insert hit", err, errlen);
        }
        db->in_tx = true;
        clock_gettime(CLOCK_MONOTONIC, &db->batch_t0);
    }
    const struct hitdb_trace_rec *t = &db->traces[h->trace];
    sqlite3_stmt *s = db->ins_hit;
    sqlite3_bind_int64(s, 1, db->run_id);
    sqlite3_bind_int64(s, 2, (int64_t)h->time_ns);
    sqlite3_bind_text(s, 3, h->rule, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, h->priority);
    sqlite3_bind_text(s, 5, h->source ? h->source : "syscall", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, h->output, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, tags, -1, SQLITE_STATIC);
    if (h->pid >= 0)
        sqlite3_bind_int64(s, 8, h->pid);
    else
        sqlite3_bind_null(s, 8);
    if (h->tid >= 0)
        sqlite3_bind_int64(s, 9, h->tid);
    else
        sqlite3_bind_null(s, 9);
    bind_text_or_null(s, 10, h->proc_name);
    bind_text_or_null(s, 11, h->cmdline);
    bind_text_or_null(s, 12, h->user_name);
    bind_text_or_null(s, 13, h->container_id);
    sqlite3_bind_text(s, 14, t->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 15, t->sha256, -1, SQLITE_STATIC);
    if (h->block >= 0)
        sqlite3_bind_int64(s, 16, h->block);
    else
        sqlite3_bind_null(s, 16);
    sqlite3_bind_int64(s, 17, (int64_t)h->evnum);
    sqlite3_bind_text(s, 18, h->fields_json ? h->fields_json : "{}", -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    cJSON_free(tags);
    if (rc != SQLITE_DONE)
        return fail_write(db, "insert hit", err, errlen);
    db->pending_new += (uint64_t)sqlite3_changes(db->db);
    db->pending++;
    db->st.added++;
    if (db->pending >= db->batch_hits || ms_since(&db->batch_t0) >= db->batch_ms)
        return commit_batch(db, err, errlen);
    return 0;
}

int hitdb_flush(struct hitdb *db, char *err, size_t errlen)
{
    if (db->failed)
        return failed_already(db, err, errlen);
    return db->in_tx ? commit_batch(db, err, errlen) : 0;
}

int hitdb_run_finish(struct hitdb *db, uint64_t events, uint64_t drops, char *err, size_t errlen)
{
    assert(db->run_id != 0);
    db->events = events;
    int rc = hitdb_flush(db, err, errlen);
    sqlite3_stmt *s = NULL;
    const char *sql = rc == 0
        ? "UPDATE runs SET finished = ?1, events = ?2, drops = ?3, duration_ns = ?4, hits = ?5,"
          " new_hits = ?6 WHERE id = ?7"
        : "UPDATE runs SET error = ?8, events = ?2, drops = ?3 WHERE id = ?7";
    char finished[40];
    iso_now(finished, sizeof finished);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t dur = (int64_t)(now.tv_sec - db->run_t0.tv_sec) * 1000000000 +
                  (now.tv_nsec - db->run_t0.tv_nsec);
    int src = sqlite3_prepare_v2(db->db, sql, -1, &s, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_text(s, 1, finished, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, (int64_t)events);
        sqlite3_bind_int64(s, 3, (int64_t)drops);
        sqlite3_bind_int64(s, 4, dur);
        sqlite3_bind_int64(s, 5, (int64_t)db->st.committed);
        sqlite3_bind_int64(s, 6, (int64_t)db->st.inserted);
        sqlite3_bind_int64(s, 7, db->run_id);
        bind_text_or_null(s, 8, db->failed);
        src = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    /* After a write error the update is best effort: the disk may still be
     * full. The error the caller sees is the first one. */
    if (rc == 0 && src != SQLITE_DONE)
        rc = fail_write(db, "finish run", err, errlen);
    hitdb_run_reset(db);
    return rc;
}

void hitdb_write_stats(const struct hitdb *db, struct hitdb_write_stats *out)
{
    *out = db->st;
}
