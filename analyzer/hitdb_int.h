/* hitdb_int.h -- what the hit database's files share: hitdb.c (open,
 * schema), hitdb_write.c (runs and hits), hitdb_sql.c, hitdb_query.c and
 * hitdb_summary.c (the browser's queries): the handle, the error helpers,
 * the SQL builder. Not for other modules. */
#ifndef SAKER_HITDB_INT_H
#define SAKER_HITDB_INT_H

#include <sqlite3.h>
#include <time.h>

#include "hitdb.h"

struct hitdb_trace_rec {
    char *path, *sha256;
};

struct hitdb {
    sqlite3 *db;
    char *path;               /* as given: every message names it */
    bool readonly;

    /* the current run (run_id 0: none) */
    int64_t run_id;
    struct hitdb_trace_rec *traces;
    size_t ntraces;
    unsigned batch_hits, batch_ms;
    struct timespec run_t0;   /* CLOCK_MONOTONIC at hitdb_run_begin */
    struct timespec batch_t0; /* when the open batch began */
    bool in_tx;               /* a batch transaction is open */
    unsigned pending;         /* hits in the open batch */
    uint64_t pending_new;     /* of those, new rows */
    uint64_t events;          /* hitdb_run_progress */
    struct hitdb_write_stats st;
    sqlite3_stmt *ins_hit, *upd_run;
    char *failed;             /* the sticky first write error, or NULL */
};

/* "PATH: STEP: sqlite's message" into err. */
void hitdb_err_sql(const struct hitdb *db, const char *step, char *err, size_t errlen);
/* "PATH: " + the formatted message into err. */
void hitdb_errf(const struct hitdb *db, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Runs SQL without results; -1 with "PATH: STEP: why" on failure. */
int hitdb_exec(struct hitdb *db, const char *sql, const char *step, char *err, size_t errlen);

/* hitdb_write.c: drops the current run's state (statements, trace list). */
void hitdb_run_reset(struct hitdb *db);

/* ---- hitdb_sql.c: SQL for the read side -------------------------------- */

enum { MAX_BINDS = 16, SQL_MAX = 2048 };

/* A statement being put together: SQL text and its parameters in order. */
struct hitdb_qb {
    char sql[SQL_MAX];
    size_t len;
    struct { bool text; int64_t i; const char *s; } bind[MAX_BINDS];
    int nbind;
    char *like;               /* the LIKE pattern (owned) */
    bool oom;
};

void hitdb_qb_add(struct hitdb_qb *q, const char *s);
void hitdb_qb_int(struct hitdb_qb *q, int64_t v);
void hitdb_qb_text(struct hitdb_qb *q, const char *s);   /* s must outlive the statement */
/* Appends " WHERE ..." (or nothing) for f (NULL = all hits). */
void hitdb_qb_where(struct hitdb_qb *q, const struct hitdb_filter *f);
/* Prepares q's SQL and binds its parameters; -1 with "PATH: STEP: why". */
int hitdb_qb_prepare(struct hitdb *db, struct hitdb_qb *q, const char *step, sqlite3_stmt **st,
                     char *err, size_t errlen);
/* Finalizes st (NULL is fine) and frees what q owns. */
void hitdb_qb_done(struct hitdb_qb *q, sqlite3_stmt *st);
/* A column as a new string (NULL for SQL NULL; *oom set when out of
 * memory), or as an integer (-1 for SQL NULL). */
char *hitdb_col_str(sqlite3_stmt *st, int i, bool *oom);
int64_t hitdb_col_i64(sqlite3_stmt *st, int i);

#endif
