/* hitdb_sql.c -- how the hit database's read side writes its SQL: a
 * filter (struct hitdb_filter) becomes a WHERE clause of fixed text with
 * bound parameters, so no user text ever becomes SQL; and the column
 * readers the query files share. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hitdb_int.h"

void hitdb_qb_add(struct hitdb_qb *q, const char *s)
{
    size_t n = strlen(s);
    /* Our SQL is fixed text plus a filter of bounded size; overflowing it
     * is a bug in this file, not bad input. */
    assert(q->len + n < SQL_MAX);
    if (q->len + n >= SQL_MAX)
        return;
    memcpy(q->sql + q->len, s, n + 1);
    q->len += n;
}

void hitdb_qb_int(struct hitdb_qb *q, int64_t v)
{
    assert(q->nbind < MAX_BINDS);
    q->bind[q->nbind].text = false;
    q->bind[q->nbind++].i = v;
}

void hitdb_qb_text(struct hitdb_qb *q, const char *s)
{
    assert(q->nbind < MAX_BINDS);
    q->bind[q->nbind].text = true;
    q->bind[q->nbind++].s = s;
}

/* "%text%" with LIKE's wildcards in text escaped by a backslash. */
static char *like_pattern(const char *text)
{
    size_t n = strlen(text);
    char *p = malloc(2 * n + 3);
    if (!p)
        return NULL;
    size_t k = 0;
    p[k++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '%' || text[i] == '_' || text[i] == '\\')
            p[k++] = '\\';
        p[k++] = text[i];
    }
    p[k++] = '%';
    p[k] = 0;
    return p;
}

/* Appends " WHERE ..." (or nothing) for f. */
void hitdb_qb_where(struct hitdb_qb *q, const struct hitdb_filter *f)
{
    const char *sep = " WHERE ";
    if (!f)
        return;
    if (f->priorities && f->priorities != 0xff) {
        hitdb_qb_add(q, sep);
        hitdb_qb_add(q, "priority IN (");
        bool first = true;
        for (int p = 0; p < HITDB_NPRIORITIES; p++) {
            if (!(f->priorities & (1u << p)))
                continue;
            hitdb_qb_add(q, first ? "?" : ",?");
            hitdb_qb_int(q, p);
            first = false;
        }
        hitdb_qb_add(q, ")");
        sep = " AND ";
    }
    if (f->rule) {
        hitdb_qb_add(q, sep);
        hitdb_qb_add(q, "rule = ?");
        hitdb_qb_text(q, f->rule);
        sep = " AND ";
    }
    if (f->container_id) {
        hitdb_qb_add(q, sep);
        hitdb_qb_add(q, "container_id = ?");
        hitdb_qb_text(q, f->container_id);
        sep = " AND ";
    }
    if (f->from_ns) {
        hitdb_qb_add(q, sep);
        hitdb_qb_add(q, "time_ns >= ?");
        hitdb_qb_int(q, f->from_ns > INT64_MAX ? INT64_MAX : (int64_t)f->from_ns);
        sep = " AND ";
    }
    if (f->to_ns) {
        hitdb_qb_add(q, sep);
        hitdb_qb_add(q, "time_ns < ?");
        hitdb_qb_int(q, f->to_ns > INT64_MAX ? INT64_MAX : (int64_t)f->to_ns);
        sep = " AND ";
    }
    if (f->text && f->text[0]) {
        if (!(q->like = like_pattern(f->text))) {
            q->oom = true;
            return;
        }
        hitdb_qb_add(q, sep);
        hitdb_qb_add(q, "output LIKE ? ESCAPE '\\'");
        hitdb_qb_text(q, q->like);
        sep = " AND ";
    }
    if (f->run) {
        hitdb_qb_add(q, sep);
        hitdb_qb_add(q, "run = ?");
        hitdb_qb_int(q, f->run);
    }
}

/* Prepares q's SQL and binds its parameters from index first on. */
int hitdb_qb_prepare(struct hitdb *db, struct hitdb_qb *q, const char *step, sqlite3_stmt **st,
                      char *err, size_t errlen)
{
    *st = NULL;
    if (q->oom) {
        hitdb_errf(db, err, errlen, "%s: out of memory", step);
        return -1;
    }
    if (sqlite3_prepare_v2(db->db, q->sql, (int)q->len, st, NULL) != SQLITE_OK) {
        hitdb_err_sql(db, step, err, errlen);
        return -1;
    }
    for (int i = 0; i < q->nbind; i++) {
        if (q->bind[i].text)
            sqlite3_bind_text(*st, i + 1, q->bind[i].s, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(*st, i + 1, q->bind[i].i);
    }
    return 0;
}

void hitdb_qb_done(struct hitdb_qb *q, sqlite3_stmt *st)
{
    sqlite3_finalize(st);
    free(q->like);
}


char *hitdb_col_str(sqlite3_stmt *st, int i, bool *oom)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    if (!s)
        return NULL;
    char *d = strdup((const char *)s);
    if (!d)
        *oom = true;
    return d;
}

int64_t hitdb_col_i64(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
}
