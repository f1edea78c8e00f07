/* hitdb.c -- opening a hit database: the schema (man/saker-db.5 is its
 * user documentation; keep the two in step), creating it, refusing files
 * that are not ours, and the error helpers hitdb_write.c and
 * hitdb_query.c share.
 *
 * A file is ours when its header says application_id 'SkDB'; its
 * user_version is the schema version. An SQLite file with both 0 and no
 * tables is a fresh database (sqlite3_open made it, or a 0-byte file) and
 * gets the schema when the caller asked to create. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hitdb_int.h"
#include "rules_load.h"

/* Schema version 1. Additions to it keep the version; anything an older
 * saker could not read raises it (hitdb_open refuses newer versions). */
static const char schema_sql[] =
    "CREATE TABLE runs(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  started TEXT NOT NULL,\n"
    "  finished TEXT,\n"
    "  saker_version TEXT NOT NULL,\n"
    "  options TEXT NOT NULL CHECK(json_valid(options)),\n"
    "  events INTEGER, hits INTEGER, new_hits INTEGER, duration_ns INTEGER, drops INTEGER,\n"
    "  error TEXT\n"
    ");\n"
    "CREATE TABLE run_traces(\n"
    "  run INTEGER NOT NULL REFERENCES runs(id),\n"
    "  seq INTEGER NOT NULL,\n"
    "  path TEXT NOT NULL,\n"
    "  size INTEGER NOT NULL,\n"
    "  sha256 TEXT NOT NULL,\n"
    "  PRIMARY KEY(run, seq)\n"
    ");\n"
    "CREATE TABLE run_rules(\n"
    "  run INTEGER NOT NULL REFERENCES runs(id),\n"
    "  seq INTEGER NOT NULL,\n"
    "  path TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL,\n"
    "  PRIMARY KEY(run, seq)\n"
    ");\n"
    "CREATE TABLE hits(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  run INTEGER NOT NULL REFERENCES runs(id),\n"
    "  time_ns INTEGER NOT NULL,\n"
    "  rule TEXT NOT NULL,\n"
    "  priority INTEGER NOT NULL CHECK(priority BETWEEN 0 AND 7),\n"
    "  source TEXT NOT NULL,\n"
    "  output TEXT NOT NULL,\n"
    "  tags TEXT NOT NULL CHECK(json_valid(tags)),\n"
    "  pid INTEGER, tid INTEGER, proc_name TEXT, cmdline TEXT, user_name TEXT,\n"
    "  container_id TEXT,\n"
    "  trace_path TEXT NOT NULL,\n"
    "  trace_sha256 TEXT NOT NULL,\n"
    "  block INTEGER,\n"
    "  evnum INTEGER NOT NULL,\n"
    "  fields TEXT NOT NULL CHECK(json_valid(fields)),\n"
    "  UNIQUE(trace_sha256, evnum, rule)\n"
    ");\n"
    /* The browser pages in (column, time_ns, id) order: each index below
     * is that order (SQLite appends the rowid), so the first page in any
     * order, and a filter on one column shown by time, walk an index
     * without sorting. Sizes and timings on 1M hits: man/saker-db.5. */
    "CREATE INDEX hits_time ON hits(time_ns);\n"
    "CREATE INDEX hits_rule ON hits(rule, time_ns);\n"
    "CREATE INDEX hits_priority ON hits(priority, time_ns);\n"
    "CREATE INDEX hits_container ON hits(container_id, time_ns);\n"
    "CREATE INDEX hits_proc ON hits(proc_name, time_ns);\n"
    "CREATE INDEX hits_output ON hits(output, time_ns);\n"
    "CREATE INDEX hits_run ON hits(run);\n"
    "CREATE TABLE priorities(value INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
    "INSERT INTO priorities VALUES (0,'Emergency'),(1,'Alert'),(2,'Critical'),(3,'Error'),"
    "(4,'Warning'),(5,'Notice'),(6,'Informational'),(7,'Debug');\n"
    "CREATE VIEW hit_summary AS\n"
    "  SELECT h.id, strftime('%Y-%m-%dT%H:%M:%f', h.time_ns / 1e9, 'unixepoch') || 'Z' AS time,\n"
    "         p.name AS priority, h.rule, h.proc_name, h.container_id, h.output\n"
    "  FROM hits h JOIN priorities p ON p.value = h.priority;\n";

/* The stored priority is the rules' enum (syslog's order). */
_Static_assert(HITDB_NPRIORITIES == RULES_PRI_DEBUG + 1, "priorities as rules_load.h");

const char *hitdb_priority_name(int p)
{
    return p >= 0 ? rules_priority_name((enum rules_priority)p) : "?";
}

void hitdb_errf(const struct hitdb *db, char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    int k = snprintf(err, errlen, "%s: ", db->path);
    if (k < 0 || (size_t)k >= errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
    va_end(ap);
}

void hitdb_err_sql(const struct hitdb *db, const char *step, char *err, size_t errlen)
{
    hitdb_errf(db, err, errlen, "%s: %s", step, db->db ? sqlite3_errmsg(db->db) : "out of memory");
}

int hitdb_exec(struct hitdb *db, const char *sql, const char *step, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    hitdb_errf(db, err, errlen, "%s: %s", step, msg ? msg : sqlite3_errmsg(db->db));
    sqlite3_free(msg);
    return -1;
}

/* One integer from a query (a PRAGMA, a count). */
static int query_int(struct hitdb *db, const char *sql, int64_t *v)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *v = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

static int create_schema(struct hitdb *db, char *err, size_t errlen)
{
    /* WAL first: it cannot change inside a transaction, and it is stored
     * in the file, so every later connection gets it. */
    if (hitdb_exec(db, "PRAGMA journal_mode=WAL", "set WAL journal", err, errlen) < 0)
        return -1;
    if (hitdb_exec(db, "BEGIN IMMEDIATE", "create schema", err, errlen) < 0)
        return -1;
    /* Another process may have created it while we waited for the lock. */
    int64_t ntables = 0;
    if (query_int(db, "SELECT count(*) FROM sqlite_schema", &ntables) < 0) {
        hitdb_err_sql(db, "create schema", err, errlen);
        goto fail;
    }
    if (ntables == 0) {
        char pragmas[128];
        snprintf(pragmas, sizeof pragmas, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
                 HITDB_APPLICATION_ID, HITDB_SCHEMA_VERSION);
        if (hitdb_exec(db, schema_sql, "create schema", err, errlen) < 0 ||
            hitdb_exec(db, pragmas, "create schema", err, errlen) < 0)
            goto fail;
    }
    if (hitdb_exec(db, "COMMIT", "create schema", err, errlen) < 0)
        goto fail;
    return 0;
fail:
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* Reads the header's ids and decides: ours, fresh, or refused. */
static int check_or_create(struct hitdb *db, int flags, char *err, size_t errlen)
{
    int64_t app = 0, ver = 0, ntables = 0;
    if (query_int(db, "PRAGMA application_id", &app) < 0 ||
        query_int(db, "PRAGMA user_version", &ver) < 0 ||
        query_int(db, "SELECT count(*) FROM sqlite_schema", &ntables) < 0) {
        int code = sqlite3_errcode(db->db);
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
            hitdb_errf(db, err, errlen, "not a saker hit database (%s)", sqlite3_errmsg(db->db));
        else
            hitdb_err_sql(db, "read header", err, errlen);
        return -1;
    }
    if (app == 0 && ver == 0 && ntables == 0) {
        if (!(flags & HITDB_CREATE) || (flags & HITDB_READONLY)) {
            hitdb_errf(db, err, errlen, "not a saker hit database (empty)");
            return -1;
        }
        if (create_schema(db, err, errlen) < 0)
            return -1;
        return check_or_create(db, flags & ~HITDB_CREATE, err, errlen);
    }
    if (app != HITDB_APPLICATION_ID) {
        hitdb_errf(db, err, errlen,
                   "not a saker hit database (SQLite application_id 0x%08llx, saker's is "
                   "0x%08x)", (unsigned long long)(uint32_t)app, HITDB_APPLICATION_ID);
        return -1;
    }
    if (ver > HITDB_SCHEMA_VERSION) {
        hitdb_errf(db, err, errlen,
                   "hit database schema version %lld is newer than this saker's (%d); "
                   "use a newer saker", (long long)ver, HITDB_SCHEMA_VERSION);
        return -1;
    }
    if (ver < 1) {
        hitdb_errf(db, err, errlen, "hit database schema version %lld is not valid", (long long)ver);
        return -1;
    }
    return 0;
}

int hitdb_open(const char *path, int flags, struct hitdb **out, char *err, size_t errlen)
{
    *out = NULL;
    struct hitdb *db = calloc(1, sizeof *db);
    if (!db || !(db->path = strdup(path))) {
        free(db);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    db->readonly = flags & HITDB_READONLY;

    /* sqlite3_open_v2 says only "unable to open database file"; stat
     * first to say why. */
    struct stat sb;
    if (stat(path, &sb) < 0) {
        if (errno != ENOENT || !(flags & HITDB_CREATE) || db->readonly) {
            hitdb_errf(db, err, errlen, "%s", strerror(errno));
            goto fail;
        }
    } else if (S_ISDIR(sb.st_mode)) {
        hitdb_errf(db, err, errlen, "is a directory");
        goto fail;
    }

    int oflags = db->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if ((flags & HITDB_CREATE) && !db->readonly)
        oflags |= SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &db->db, oflags, NULL) != SQLITE_OK) {
        hitdb_err_sql(db, "open", err, errlen);
        goto fail;
    }
    sqlite3_extended_result_codes(db->db, 1);
    /* A browser reading while a replay commits (or the reverse) waits for
     * the other's lock instead of failing with "database is locked". */
    sqlite3_busy_timeout(db->db, 5000);

    if (check_or_create(db, flags, err, errlen) < 0)
        goto fail;
    /* A bigger page cache for seven indexes over up to millions of hits. */
    if (hitdb_exec(db, "PRAGMA cache_size=-65536", "set cache size", err, errlen) < 0)
        goto fail;
    if (!db->readonly) {
        /* synchronous=NORMAL in WAL mode: a killed process loses nothing
         * committed; a power cut may lose the last batches but never
         * leaves the file inconsistent (sqlite.org/pragma.html#pragma_synchronous). */
        if (hitdb_exec(db, "PRAGMA journal_mode=WAL", "set WAL journal", err, errlen) < 0 ||
            hitdb_exec(db,
                       "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                       /* Checkpoints (the only fsyncs in WAL mode) every
                        * 64 MB of WAL, not SQLite's 4 MB: 200k hits went
                        * in 15 s instead of 31 s (tests/tools/mkhits -P on
                        * a busy disk). The WAL shrinks back afterwards. */
                       "PRAGMA wal_autocheckpoint=16384; PRAGMA journal_size_limit=67108864",
                       "set pragmas", err, errlen) < 0)
            goto fail;
    }
    *out = db;
    return 0;
fail:
    hitdb_close(db);
    return -1;
}

void hitdb_close(struct hitdb *db)
{
    if (!db)
        return;
    if (db->db) {
        char ignored[8];
        if (db->in_tx)
            hitdb_flush(db, ignored, sizeof ignored);
        hitdb_run_reset(db);
        sqlite3_close(db->db);
    }
    free(db->failed);
    free(db->path);
    free(db);
}

const char *hitdb_path(const struct hitdb *db)
{
    return db->path;
}

struct sqlite3 *hitdb_sqlite(struct hitdb *db)
{
    return db->db;
}
