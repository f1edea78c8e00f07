/* hitdb_query.c -- the hits the browser shows while paging through up to
 * millions of them: counts, pages in a chosen order (by offset or by
 * keyset), a row's rank, one hit with its fields.
 *
 * Design: pages are ordered by (column, time_ns, id), which is exactly an
 * index of the schema for each column, so the first page in any order
 * costs a few index steps. OFFSET paging steps over the skipped rows;
 * keyset paging (hitdb_page_after) seeks to the last row seen and costs
 * the same at any depth. The measured costs on a million hits are in
 * man/saker-db.5 (INDEXES AND COSTS). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hitdb_int.h"

static const char *col_name(enum hitdb_col c)
{
    switch (c) {
    case HITDB_COL_TIME: return "time_ns";
    case HITDB_COL_PRIORITY: return "priority";
    case HITDB_COL_RULE: return "rule";
    case HITDB_COL_PROC: return "proc_name";
    case HITDB_COL_CONTAINER: return "container_id";
    case HITDB_COL_OUTPUT: return "output";
    case HITDB_COL_ID: return "id";
    }
    return "id";
}

static bool col_nullable(enum hitdb_col c)
{
    return c == HITDB_COL_PROC || c == HITDB_COL_CONTAINER;
}

static void qb_order(struct hitdb_qb *q, const struct hitdb_order *o, bool reverse)
{
    bool desc = o->desc != reverse;
    const char *dir = desc ? " DESC" : "";
    hitdb_qb_add(q, " ORDER BY ");
    if (o->col != HITDB_COL_ID) {
        hitdb_qb_add(q, col_name(o->col));
        hitdb_qb_add(q, dir);
        hitdb_qb_add(q, ", ");
        if (o->col != HITDB_COL_TIME) {
            hitdb_qb_add(q, "time_ns");
            hitdb_qb_add(q, dir);
            hitdb_qb_add(q, ", ");
        }
    }
    hitdb_qb_add(q, "id");
    hitdb_qb_add(q, dir);
}

/* ---- rows ------------------------------------------------------------ */

#define ROW_COLS "id, run, time_ns, priority, rule, source, output, tags, pid, tid, proc_name," \
                 " cmdline, user_name, container_id, trace_path, trace_sha256, block, evnum"


/* Reads ROW_COLS (and fields, when the statement has a 19th column). */
static int read_row(sqlite3_stmt *st, struct hitdb_row *r)
{
    bool oom = false;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->run = sqlite3_column_int64(st, 1);
    r->time_ns = (uint64_t)sqlite3_column_int64(st, 2);
    r->priority = sqlite3_column_int(st, 3);
    r->rule = hitdb_col_str(st, 4, &oom);
    r->source = hitdb_col_str(st, 5, &oom);
    r->output = hitdb_col_str(st, 6, &oom);
    r->tags = hitdb_col_str(st, 7, &oom);
    r->pid = hitdb_col_i64(st, 8);
    r->tid = hitdb_col_i64(st, 9);
    r->proc_name = hitdb_col_str(st, 10, &oom);
    r->cmdline = hitdb_col_str(st, 11, &oom);
    r->user_name = hitdb_col_str(st, 12, &oom);
    r->container_id = hitdb_col_str(st, 13, &oom);
    r->trace_path = hitdb_col_str(st, 14, &oom);
    r->trace_sha256 = hitdb_col_str(st, 15, &oom);
    r->block = hitdb_col_i64(st, 16);
    r->evnum = (uint64_t)sqlite3_column_int64(st, 17);
    if (sqlite3_column_count(st) > 18)
        r->fields = hitdb_col_str(st, 18, &oom);
    if (oom) {
        hitdb_row_clear(r);
        return -1;
    }
    return 0;
}

void hitdb_row_clear(struct hitdb_row *r)
{
    char **strs[] = { &r->rule, &r->source, &r->output, &r->tags, &r->proc_name, &r->cmdline,
                      &r->user_name, &r->container_id, &r->trace_path, &r->trace_sha256,
                      &r->fields };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        free(*strs[i]);
        *strs[i] = NULL;
    }
}

void hitdb_rows_free(struct hitdb_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++)
        hitdb_row_clear(&rows->v[i]);
    free(rows->v);
    rows->v = NULL;
    rows->n = 0;
}

/* Steps st to the end, collecting at most limit rows. */
static int collect_rows(struct hitdb *db, sqlite3_stmt *st, size_t limit, struct hitdb_rows *out,
                        const char *step, char *err, size_t errlen)
{
    out->v = NULL;
    out->n = 0;
    if (limit == 0)
        return 0;
    if (!(out->v = calloc(limit, sizeof *out->v))) {
        hitdb_errf(db, err, errlen, "%s: out of memory", step);
        return -1;
    }
    int rc;
    while (out->n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (read_row(st, &out->v[out->n]) < 0) {
            hitdb_rows_free(out);
            hitdb_errf(db, err, errlen, "%s: out of memory", step);
            return -1;
        }
        out->n++;
    }
    if (out->n < limit && rc != SQLITE_DONE) {
        hitdb_err_sql(db, step, err, errlen);
        hitdb_rows_free(out);
        return -1;
    }
    return 0;
}

/* ---- queries --------------------------------------------------------- */

int hitdb_count(struct hitdb *db, const struct hitdb_filter *f, uint64_t *n, char *err,
                size_t errlen)
{
    struct hitdb_qb q = { 0 };
    sqlite3_stmt *st;
    *n = 0;
    hitdb_qb_add(&q, "SELECT count(*) FROM hits");
    hitdb_qb_where(&q, f);
    if (hitdb_qb_prepare(db, &q, "count hits", &st, err, errlen) < 0) {
        hitdb_qb_done(&q, st);
        return -1;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = (uint64_t)sqlite3_column_int64(st, 0);
    else
        hitdb_err_sql(db, "count hits", err, errlen);
    hitdb_qb_done(&q, st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int hitdb_page(struct hitdb *db, const struct hitdb_filter *f, const struct hitdb_order *o,
               uint64_t offset, size_t limit, struct hitdb_rows *out, char *err, size_t errlen)
{
    struct hitdb_qb q = { 0 };
    sqlite3_stmt *st;
    out->v = NULL;
    out->n = 0;
    hitdb_qb_add(&q, "SELECT " ROW_COLS " FROM hits");
    hitdb_qb_where(&q, f);
    qb_order(&q, o, false);
    hitdb_qb_add(&q, " LIMIT ? OFFSET ?");
    hitdb_qb_int(&q, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    hitdb_qb_int(&q, offset > INT64_MAX ? INT64_MAX : (int64_t)offset);
    int rc = hitdb_qb_prepare(db, &q, "page hits", &st, err, errlen);
    if (rc == 0)
        rc = collect_rows(db, st, limit, out, "page hits", err, errlen);
    hitdb_qb_done(&q, st);
    return rc;
}

/* Appends part `part` of the condition "row comes after key in order o"
 * (before: comes before it), as a row-value comparison SQLite turns into
 * an index seek. Returns how many parts there are: NULLs (proc_name,
 * container_id) sort first, as SQLite sorts them, and a comparison with a
 * NULL is NULL, so for a nullable column the rows after the key may be
 * two ranges of the index. Part 0 comes first in the walk. Written as one
 * OR, SQLite scanned instead of seeking (100 ms at 500k of 1M hits). */
static int qb_keyset(struct hitdb_qb *q, const struct hitdb_order *o, const struct hitdb_row *key,
                     bool before, int part)
{
    bool greater = o->desc == before;    /* walking the index upwards */
    const char *cmp = greater ? ">" : "<";
    const char *col = col_name(o->col);
    char buf[200];
    hitdb_qb_add(q, strstr(q->sql, " WHERE ") ? " AND " : " WHERE ");
    if (o->col == HITDB_COL_ID) {
        snprintf(buf, sizeof buf, "id %s ?", cmp);
        hitdb_qb_add(q, buf);
        hitdb_qb_int(q, key->id);
        return 1;
    }
    if (o->col == HITDB_COL_TIME) {
        snprintf(buf, sizeof buf, "(time_ns, id) %s (?, ?)", cmp);
        hitdb_qb_add(q, buf);
        hitdb_qb_int(q, (int64_t)key->time_ns);
        hitdb_qb_int(q, key->id);
        return 1;
    }
    const char *sval = NULL;
    switch (o->col) {
    case HITDB_COL_RULE: sval = key->rule ? key->rule : ""; break;
    case HITDB_COL_PROC: sval = key->proc_name; break;
    case HITDB_COL_CONTAINER: sval = key->container_id; break;
    case HITDB_COL_OUTPUT: sval = key->output ? key->output : ""; break;
    default: break;
    }
    bool nullable = col_nullable(o->col);
    int nparts = nullable && (greater == !sval) ? 2 : 1;
    if (nullable && !sval && part == 0) {
        /* The NULLs on that side of the key */
        snprintf(buf, sizeof buf, "%s IS NULL AND (time_ns, id) %s (?, ?)", col, cmp);
        hitdb_qb_add(q, buf);
        hitdb_qb_int(q, (int64_t)key->time_ns);
        hitdb_qb_int(q, key->id);
    } else if (nullable && !sval) {
        /* ... then, upwards, every non-NULL */
        hitdb_qb_add(q, col);
        hitdb_qb_add(q, " IS NOT NULL");
    } else if (part == 0) {
        snprintf(buf, sizeof buf, "(%s, time_ns, id) %s (?, ?, ?)", col, cmp);
        hitdb_qb_add(q, buf);
        if (o->col == HITDB_COL_PRIORITY)
            hitdb_qb_int(q, key->priority);
        else
            hitdb_qb_text(q, sval);
        hitdb_qb_int(q, (int64_t)key->time_ns);
        hitdb_qb_int(q, key->id);
    } else {
        /* ... then, downwards, the NULLs */
        hitdb_qb_add(q, col);
        hitdb_qb_add(q, " IS NULL");
    }
    return nparts;
}

/* One part of a keyset page, appended to out (up to limit rows in all). */
static int page_part(struct hitdb *db, const struct hitdb_filter *f, const struct hitdb_order *o,
                     const struct hitdb_row *key, bool before, int part, size_t limit,
                     struct hitdb_rows *out, int *nparts, char *err, size_t errlen)
{
    struct hitdb_qb q = { 0 };
    sqlite3_stmt *st;
    hitdb_qb_add(&q, "SELECT " ROW_COLS " FROM hits");
    hitdb_qb_where(&q, f);
    *nparts = qb_keyset(&q, o, key, before, part);
    qb_order(&q, o, before);
    hitdb_qb_add(&q, " LIMIT ?");
    hitdb_qb_int(&q, (int64_t)(limit - out->n));
    int rc = hitdb_qb_prepare(db, &q, "page hits", &st, err, errlen);
    if (rc == 0) {
        struct hitdb_rows more;
        rc = collect_rows(db, st, limit - out->n, &more, "page hits", err, errlen);
        if (rc == 0) {
            memcpy(out->v + out->n, more.v, more.n * sizeof *more.v);
            out->n += more.n;
            free(more.v);
        }
    }
    hitdb_qb_done(&q, st);
    return rc;
}

int hitdb_page_after(struct hitdb *db, const struct hitdb_filter *f, const struct hitdb_order *o,
                     const struct hitdb_row *key, bool before, size_t limit,
                     struct hitdb_rows *out, char *err, size_t errlen)
{
    out->v = NULL;
    out->n = 0;
    if (limit == 0)
        return 0;
    if (limit > (size_t)INT64_MAX / 2 || !(out->v = calloc(limit, sizeof *out->v))) {
        hitdb_errf(db, err, errlen, "page hits: out of memory");
        return -1;
    }
    int nparts = 1;
    for (int part = 0; part < nparts && out->n < limit; part++) {
        if (page_part(db, f, o, key, before, part, limit, out, &nparts, err, errlen) < 0) {
            hitdb_rows_free(out);
            return -1;
        }
    }
    if (before) {
        /* Read backwards from the key; hand them out in order. */
        for (size_t i = 0, j = out->n ? out->n - 1 : 0; i < j; i++, j--) {
            struct hitdb_row t = out->v[i];
            out->v[i] = out->v[j];
            out->v[j] = t;
        }
    }
    return 0;
}

int hitdb_rank(struct hitdb *db, const struct hitdb_filter *f, const struct hitdb_order *o,
               const struct hitdb_row *key, uint64_t *pos, char *err, size_t errlen)
{
    *pos = 0;
    int nparts = 1;
    for (int part = 0; part < nparts; part++) {
        struct hitdb_qb q = { 0 };
        sqlite3_stmt *st;
        hitdb_qb_add(&q, "SELECT count(*) FROM hits");
        hitdb_qb_where(&q, f);
        nparts = qb_keyset(&q, o, key, true, part);
        if (hitdb_qb_prepare(db, &q, "rank hit", &st, err, errlen) < 0) {
            hitdb_qb_done(&q, st);
            return -1;
        }
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *pos += (uint64_t)sqlite3_column_int64(st, 0);
        else
            hitdb_err_sql(db, "rank hit", err, errlen);
        hitdb_qb_done(&q, st);
        if (rc != SQLITE_ROW)
            return -1;
    }
    return 0;
}

int hitdb_get_hit(struct hitdb *db, int64_t id, struct hitdb_row *out, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(db->db, "SELECT " ROW_COLS ", fields FROM hits WHERE id = ?", -1, &st,
                           NULL) != SQLITE_OK) {
        hitdb_err_sql(db, "get hit", err, errlen);
        return -1;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), ret;
    if (rc == SQLITE_ROW) {
        ret = read_row(st, out) < 0 ? -1 : 1;
        if (ret < 0)
            hitdb_errf(db, err, errlen, "get hit %lld: out of memory", (long long)id);
    } else if (rc == SQLITE_DONE) {
        ret = 0;
    } else {
        hitdb_err_sql(db, "get hit", err, errlen);
        ret = -1;
    }
    sqlite3_finalize(st);
    return ret;
}

/* The priority of the rule's most recent matching hit: one step down the
 * (rule, time_ns) index. min(priority) in the GROUP BY would instead read
 * every hit's row (2.6 s on 1M hits against 0.1 s). */
