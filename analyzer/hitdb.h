/* hitdb.h -- the hit database: rule hits of `saker replay` in SQLite, and
 * the queries the browser pages through them with. The schema is
 * documented for users in man/saker-db.5; hitdb.c creates it.
 *
 * Design:
 *  - One file, WAL journal: a reader (the browser) never blocks the writer
 *    (a replay) and sees only committed batches.
 *  - A run is a row in runs, committed at hitdb_run_begin with finished
 *    NULL. Hits go in batches, one transaction each (every batch_hits hits
 *    or batch_ms milliseconds, whichever comes first); each commit also
 *    updates the run's counters. A killed replay thus leaves every
 *    committed batch and its run unfinished; SQLite's journal keeps the
 *    file consistent.
 *  - A hit is identified by (trace_sha256, evnum, rule) and inserted with
 *    ON CONFLICT DO NOTHING on that key (INSERT OR IGNORE would also drop
 *    rows failing a CHECK): replaying the same traces adds no duplicates.
 *    runs.hits counts what a run found, runs.new_hits what it added.
 *  - The first write error (a full disk, say) rolls back the open batch
 *    and sticks: every later write returns the same message; what was
 *    committed stays.
 *  - A handle is used by one thread at a time.
 *
 * Errors: every function that can fail returns -1 and writes one line to
 * err naming the file and the step, e.g. "saker.db: insert hit: database
 * or disk is full". Result structs own their strings; free them with the
 * matching *_free / *_clear function. */
#ifndef SAKER_HITDB_H
#define SAKER_HITDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HITDB_APPLICATION_ID 0x536B4442 /* 'SkDB' */
#define HITDB_SCHEMA_VERSION 1          /* PRAGMA user_version */

enum { HITDB_NPRIORITIES = 8 };         /* 0 emergency .. 7 debug, as syslog */

struct hitdb;

enum hitdb_open_flags {
    HITDB_CREATE = 1 << 0,    /* create the file (and schema) when missing or empty */
    HITDB_READONLY = 1 << 1,  /* the browser: no writes */
};

/* Opens (or creates) a hit database. Refuses a file that is not SQLite, an
 * SQLite database of another application, or a newer schema, with a line
 * naming the file. Returns 0, or -1 with the reason in err. */
int hitdb_open(const char *path, int flags, struct hitdb **out, char *err, size_t errlen);
/* Commits a pending batch (errors are lost: call hitdb_flush first to see
 * them) and closes. NULL is fine. */
void hitdb_close(struct hitdb *db);
const char *hitdb_path(const struct hitdb *db);
/* The SQLite connection, for tests and ad-hoc queries; owned by db. */
struct sqlite3 *hitdb_sqlite(struct hitdb *db);

/* ---- write side: `saker replay` ------------------------------------- */

/* A file a run read. sha256 (64 lowercase hex digits) and size are
 * computed by hitdb_run_begin when sha256 is NULL; path is stored as an
 * absolute path when the file exists. */
struct hitdb_file_in {
    const char *path;
    const char *sha256;       /* NULL = compute */
    int64_t size;             /* used only with sha256 */
};

struct hitdb_run_in {
    const char *options_json; /* JSON object (argv, rule_matching, ...); NULL = {} */
    const char *saker_version;/* NULL = SAKER_VERSION */
    const struct hitdb_file_in *traces;  /* in replay order: a hit names one by index */
    size_t ntraces;
    const struct hitdb_file_in *rules;
    size_t nrules;
    unsigned batch_hits;      /* commit every this many hits; 0 = 1000 */
    unsigned batch_ms;        /* ... or when the batch is this old; 0 = 1000 */
};

/* Starts a run: hashes the files, commits the runs row (finished NULL)
 * and its run_traces and run_rules rows. One run at a time per handle.
 * Returns 0 with *run_id set, or -1. */
int hitdb_run_begin(struct hitdb *db, const struct hitdb_run_in *in, int64_t *run_id, char *err,
                    size_t errlen);
/* The sha256 hitdb_run_begin recorded for trace i of the current run. */
const char *hitdb_run_trace_sha256(const struct hitdb *db, size_t i);

/* One hit, as the rules engine produced it. Strings are copied by SQLite;
 * NULL pointers become SQL NULL unless said otherwise. */
struct hitdb_hit {
    uint64_t time_ns;         /* event time, ns since the epoch */
    const char *rule;         /* required */
    int priority;             /* 0..7 */
    const char *source;       /* NULL = "syscall" */
    const char *output;       /* required: the rendered line, without time and priority */
    const char *const *tags;  /* stored as a JSON array */
    size_t ntags;
    int64_t pid, tid;         /* < 0 = unknown (NULL) */
    const char *proc_name, *cmdline, *user_name;
    const char *container_id; /* "host" on the host, like Falco */
    size_t trace;             /* index into hitdb_run_in.traces */
    int64_t block;            /* block number in that file; -1 = unknown */
    uint64_t evnum;           /* event number (skr_reader_seek_evnum) */
    const char *fields_json;  /* JSON object: output field -> value; NULL = {} */
};

/* Adds a hit to the open batch, committing it when full or old. Returns 0,
 * or -1 (the batch is rolled back; every later write fails the same way). */
int hitdb_add_hit(struct hitdb *db, const struct hitdb_hit *h, char *err, size_t errlen);
/* The number of events the run has processed so far; stored with the next
 * commit, so a killed run shows how far it got. Cannot fail. */
void hitdb_run_progress(struct hitdb *db, uint64_t events);
/* Commits the open batch now (a replay with rare hits calls it now and
 * then, since batches are only committed from hitdb_add_hit). */
int hitdb_flush(struct hitdb *db, char *err, size_t errlen);

/* Commits the last batch and finishes the run: finished, events, hits,
 * new_hits, duration_ns, drops. After a write error it only records the
 * error in runs.error (best effort) and returns -1 with that error. */
int hitdb_run_finish(struct hitdb *db, uint64_t events, uint64_t drops, char *err, size_t errlen);

struct hitdb_write_stats {
    uint64_t added;           /* hitdb_add_hit calls accepted this run */
    uint64_t committed;       /* of those, in committed batches */
    uint64_t inserted;        /* of those committed, new rows (not duplicates) */
    uint64_t commits;         /* batch transactions committed */
};
void hitdb_write_stats(const struct hitdb *db, struct hitdb_write_stats *out);

/* ---- read side: the browser (hitdb_query.c) -------------------------- */

/* Which hits a query sees. Zero-initialised = all of them. */
struct hitdb_filter {
    uint8_t priorities;       /* bit p = priority p; 0 = every priority */
    const char *rule;         /* exact name; NULL = any */
    const char *container_id; /* exact; NULL = any */
    uint64_t from_ns, to_ns;  /* time_ns in [from, to); 0 = unbounded */
    const char *text;         /* substring of output, ASCII case-insensitive; NULL/"" = any */
    int64_t run;              /* hits first found by this run; 0 = any */
};

enum hitdb_col {
    HITDB_COL_TIME, HITDB_COL_PRIORITY, HITDB_COL_RULE, HITDB_COL_PROC, HITDB_COL_CONTAINER,
    HITDB_COL_OUTPUT, HITDB_COL_ID,
};

/* Rows are ordered by col, then time_ns, then id: total and stable, and
 * each is an index of the schema (by time: time_ns, id; by id: id). */
struct hitdb_order {
    enum hitdb_col col;
    bool desc;
};

/* One hit. fields is NULL except from hitdb_get_hit. Integers that are
 * NULL in the database read as -1. */
struct hitdb_row {
    int64_t id, run;
    uint64_t time_ns;
    int priority;
    char *rule, *source, *output, *tags;
    int64_t pid, tid;
    char *proc_name, *cmdline, *user_name, *container_id;   /* may be NULL */
    char *trace_path, *trace_sha256;
    int64_t block;
    uint64_t evnum;
    char *fields;
};
void hitdb_row_clear(struct hitdb_row *r);

struct hitdb_rows {
    struct hitdb_row *v;
    size_t n;
};
void hitdb_rows_free(struct hitdb_rows *rows);

int hitdb_count(struct hitdb *db, const struct hitdb_filter *f, uint64_t *n, char *err,
                size_t errlen);
/* Up to limit rows from offset in that order. Cost grows with offset (the
 * skipped rows are stepped over); hitdb_page_after does not. */
int hitdb_page(struct hitdb *db, const struct hitdb_filter *f, const struct hitdb_order *o,
               uint64_t offset, size_t limit, struct hitdb_rows *out, char *err, size_t errlen);
/* Keyset paging: the limit rows after (or, with before, the ones just
 * before, still returned in order) the row `key` in that order. key must
 * hold the sort column's value, time_ns and id, as a row from a page does.
 * NULL proc_name/container_id sort first, as in SQLite. */
int hitdb_page_after(struct hitdb *db, const struct hitdb_filter *f, const struct hitdb_order *o,
                     const struct hitdb_row *key, bool before, size_t limit,
                     struct hitdb_rows *out, char *err, size_t errlen);
/* The position (0-based) of the row `key` among the filtered rows in that
 * order: how many come before it. */
int hitdb_rank(struct hitdb *db, const struct hitdb_filter *f, const struct hitdb_order *o,
               const struct hitdb_row *key, uint64_t *pos, char *err, size_t errlen);
/* One hit with its fields JSON. Returns 1 found, 0 no such id, -1 error. */
int hitdb_get_hit(struct hitdb *db, int64_t id, struct hitdb_row *out, char *err,
                  size_t errlen);

struct hitdb_group {
    char *key;                /* rule name */
    int priority;             /* the priority of the rule's latest matching hit */
    uint64_t count;
};
/* Hits per rule, most first. */
int hitdb_count_by_rule(struct hitdb *db, const struct hitdb_filter *f, struct hitdb_group **out,
                        size_t *n, char *err, size_t errlen);
void hitdb_groups_free(struct hitdb_group *g, size_t n);
int hitdb_count_by_priority(struct hitdb *db, const struct hitdb_filter *f,
                            uint64_t counts[HITDB_NPRIORITIES], char *err, size_t errlen);

/* nbuckets equal buckets from lo to hi: f's from_ns/to_ns when set, else
 * the first and last matching hit. Bucket i covers
 * [lo + i*width, lo + (i+1)*width). All counts 0 (and lo = hi = 0) when
 * nothing matches. */
struct hitdb_histogram {
    uint64_t lo, hi, width;
    uint64_t *counts;         /* nbuckets, owned */
    size_t nbuckets;
};
int hitdb_histogram(struct hitdb *db, const struct hitdb_filter *f, size_t nbuckets,
                    struct hitdb_histogram *out, char *err, size_t errlen);
void hitdb_histogram_free(struct hitdb_histogram *h);

struct hitdb_file {
    char *path, *sha256;
    int64_t size;             /* -1 for rules files */
};
struct hitdb_run {
    int64_t id;
    char *started, *finished; /* ISO 8601 UTC; finished NULL: did not finish */
    char *saker_version, *options, *error;  /* error NULL unless it stopped on one */
    int64_t events, hits, new_hits, duration_ns, drops;  /* -1 = NULL */
    struct hitdb_file *traces, *rules;
    size_t ntraces, nrules;
};
/* Every run, oldest first, with its files. */
int hitdb_list_runs(struct hitdb *db, struct hitdb_run **out, size_t *n, char *err,
                    size_t errlen);
void hitdb_runs_free(struct hitdb_run *runs, size_t n);

/* The name of a priority ("Warning"), as Falco spells it; "?" out of range. */
const char *hitdb_priority_name(int p);

#endif
