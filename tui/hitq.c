/* hitq.c -- the browser's queries on the hit database (hitq.h). Every
 * statement is prepared with the view's WHERE (hitfilter.h) and its values
 * bound; the list is read a page at a time, never whole.
 *
 * The DB is opened read-only: browsing never changes what a replay wrote,
 * and a replay may be writing it at the same time (WAL). */
#include <assert.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hitfilter.h"
#include "hitq.h"
#include "../analyzer/hitdb.h"

#define PAGE_ROWS 256

struct hitq {
    struct hitdb *hdb;
    sqlite3 *db;            /* hitdb's connection */
    char *path;
    struct hitfilter f;
    enum hitq_col sort;
    bool desc;
    int64_t count;
    uint64_t first_ns, last_ns;
    struct hitq_row *page;
    int64_t page_start;
    size_t page_n;
    bool page_valid;
    bool interrupted;       /* the last set_view or search was stopped */
};

static const char *const sort_sql[HQ_NCOLS] = {
    [HQ_TIME] = "time_ns", [HQ_PRIO] = "priority", [HQ_RULE] = "rule",
    [HQ_PROC] = "proc_name", [HQ_CONTAINER] = "container_id", [HQ_OUTPUT] = "output",
};
static const char *const sort_names[HQ_NCOLS] = {
    [HQ_TIME] = "time", [HQ_PRIO] = "priority", [HQ_RULE] = "rule",
    [HQ_PROC] = "process", [HQ_CONTAINER] = "container", [HQ_OUTPUT] = "output",
};

const char *hitq_sort_name(enum hitq_col c) { return c < HQ_NCOLS ? sort_names[c] : "?"; }

static void seterr(struct hitq *q, char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "%s: %s: %s", q->path, what, sqlite3_errmsg(q->db));
}

/* Prepares "head WHERE <filter> tail" and binds the filter's values. */
static sqlite3_stmt *prep(struct hitq *q, const struct hitfilter *f, const char *head,
                          const char *tail)
{
    size_t n = strlen(head) + strlen(f->where) + strlen(tail) + 16;
    char *sql = malloc(n);
    if (!sql)
        return NULL;
    snprintf(sql, n, "%s WHERE %s %s", head, f->where, tail);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
    free(sql);
    if (rc != SQLITE_OK)
        return NULL;
    for (size_t i = 0; i < f->nbinds; i++) {
        if (f->binds[i].is_int)
            sqlite3_bind_int64(st, (int)i + 1, f->binds[i].i);
        else
            sqlite3_bind_text(st, (int)i + 1, f->binds[i].s, -1, SQLITE_STATIC);
    }
    return st;
}

static void copy_col(sqlite3_stmt *st, int i, char *dst, size_t len)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    snprintf(dst, len, "%s", s ? (const char *)s : "");
}

struct hitq *hitq_open(const char *path, char *err, size_t errlen)
{
    struct hitq *q = calloc(1, sizeof *q);
    if (!q || !(q->path = strdup(path)) || !(q->page = calloc(PAGE_ROWS, sizeof *q->page))) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    /* read-only: browsing never changes what a replay wrote, and a replay
     * may be writing at the same time (WAL) */
    if (hitdb_open(path, HITDB_READONLY, &q->hdb, err, errlen) < 0)
        goto fail;
    q->db = (sqlite3 *)hitdb_sqlite(q->hdb);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db, "SELECT min(time_ns), max(time_ns) FROM hits", -1, &st, NULL) ==
        SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            q->first_ns = (uint64_t)sqlite3_column_int64(st, 0);
            q->last_ns = (uint64_t)sqlite3_column_int64(st, 1);
        }
        sqlite3_finalize(st);
    }
    if (hitq_set_view(q, NULL, HQ_TIME, false, err, errlen) < 0)
        goto fail;
    return q;
fail:
    hitq_close(q);
    return NULL;
}

void hitq_close(struct hitq *q)
{
    if (!q)
        return;
    hitdb_close(q->hdb);
    hitfilter_free(&q->f);
    free(q->page);
    free(q->path);
    free(q);
}

int hitq_set_view(struct hitq *q, const char *filter, enum hitq_col sort, bool desc, char *err,
                  size_t errlen)
{
    struct hitfilter f;
    q->interrupted = false;
    if (hitfilter_compile(filter, q->first_ns, &f, err, errlen) < 0)
        return -1;
    sqlite3_stmt *st = prep(q, &f, "SELECT count(*) FROM hits", "");
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        q->interrupted = sqlite3_errcode(q->db) == SQLITE_INTERRUPT;
        seterr(q, err, errlen, "counting hits");
        sqlite3_finalize(st);
        hitfilter_free(&f);
        return -1;
    }
    q->count = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    hitfilter_free(&q->f);
    q->f = f;
    q->sort = sort;
    q->desc = desc;
    q->page_valid = false;
    return 0;
}

int64_t hitq_count(struct hitq *q) { return q->count; }

static const char *order_by(const struct hitq *q, bool invert, char *buf, size_t len)
{
    /* time and id break ties, so equal keys keep one order across pages;
     * hitdb's indexes are (column, time_ns), which serve this order. */
    const char *d = q->desc != invert ? "DESC" : "ASC";
    if (q->sort == HQ_TIME)
        snprintf(buf, len, "ORDER BY time_ns %s, id %s", d, d);
    else
        snprintf(buf, len, "ORDER BY %s %s, time_ns %s, id %s", sort_sql[q->sort], d, d, d);
    return buf;
}

/* Reads rows [start, start + PAGE_ROWS). OFFSET steps over the rows before
 * the page, so a page in the second half is read in the inverted order
 * from the end and turned around: End on a million filtered hits costs
 * what Home does. */
static int fetch_page(struct hitq *q, int64_t start)
{
    assert(start >= 0 && start < q->count);
    int64_t end = start + PAGE_ROWS < q->count ? start + PAGE_ROWS : q->count;
    bool invert = start > q->count / 2;
    int64_t off = invert ? q->count - end : start;
    char tail[200], ob[120];
    snprintf(tail, sizeof tail, "%s LIMIT %d OFFSET %lld", order_by(q, invert, ob, sizeof ob),
             PAGE_ROWS, (long long)off);
    sqlite3_stmt *st = prep(q, &q->f,
                            "SELECT id, time_ns, priority, rule, proc_name, container_id, "
                            "substr(output, 1, 399) FROM hits", tail);
    if (!st)
        return -1;
    size_t n = 0;
    while (n < PAGE_ROWS && sqlite3_step(st) == SQLITE_ROW) {
        struct hitq_row *r = &q->page[n++];
        r->id = sqlite3_column_int64(st, 0);
        r->time_ns = sqlite3_column_int64(st, 1);
        r->prio = sqlite3_column_int(st, 2);
        copy_col(st, 3, r->rule, sizeof r->rule);
        copy_col(st, 4, r->proc, sizeof r->proc);
        copy_col(st, 5, r->container, sizeof r->container);
        copy_col(st, 6, r->output, sizeof r->output);
    }
    sqlite3_finalize(st);
    assert(n <= PAGE_ROWS);
    if (invert) {
        /* the last rows, newest first: turn them around */
        if ((int64_t)n > end - start)
            n = (size_t)(end - start);
        for (size_t i = 0; i < n / 2; i++) {
            struct hitq_row t = q->page[i];
            q->page[i] = q->page[n - 1 - i];
            q->page[n - 1 - i] = t;
        }
        start = end - (int64_t)n;
    }
    q->page_start = start;
    q->page_n = n;
    q->page_valid = true;
    return 0;
}

const struct hitq_row *hitq_row(struct hitq *q, int64_t i)
{
    if (i < 0 || i >= q->count)
        return NULL;
    if (!q->page_valid || i < q->page_start || i >= q->page_start + (int64_t)q->page_n) {
        /* Centre the page on i, so scrolling either way stays inside it. */
        int64_t start = i - PAGE_ROWS / 2;
        if (start < 0)
            start = 0;
        if (fetch_page(q, start) < 0)
            return NULL;
        if (i >= q->page_start + (int64_t)q->page_n)
            return NULL;
    }
    return &q->page[i - q->page_start];
}

int64_t hitq_search(struct hitq *q, int64_t from, const char *text)
{
    /* row_number() over the view's order gives positions in one pass; the
     * text is bound as a LIKE pattern with its wildcards escaped. */
    char ob[120], head[400];
    snprintf(head, sizeof head,
             "SELECT pos FROM (SELECT row_number() OVER (%s) - 1 AS pos, rule, proc_name, output "
             "FROM hits",
             order_by(q, false, ob, sizeof ob));
    size_t n = strlen(text);
    char *pat = malloc(2 * n + 3);
    if (!pat)
        return -1;
    size_t k = 0;
    pat[k++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '%' || text[i] == '_' || text[i] == '\\')
            pat[k++] = '\\';
        pat[k++] = text[i];
    }
    pat[k++] = '%';
    pat[k] = 0;
    const char *tail = ") WHERE (rule LIKE ?50 ESCAPE '\\' OR proc_name LIKE ?50 ESCAPE '\\' OR "
                       "output LIKE ?50 ESCAPE '\\') ORDER BY pos <= ?51, pos LIMIT 1";
    /* ?50 and ?51 stay clear of the filter's own ?1..?n */
    sqlite3_stmt *st = q->f.nbinds < 49 ? prep(q, &q->f, head, tail) : NULL;
    int64_t pos = -1;
    q->interrupted = false;
    if (st) {
        sqlite3_bind_text(st, 50, pat, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 51, from);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            pos = sqlite3_column_int64(st, 0);
        else
            q->interrupted = sqlite3_errcode(q->db) == SQLITE_INTERRUPT;
        sqlite3_finalize(st);
    }
    free(pat);
    return pos;
}

int hitq_hit(struct hitq *q, int64_t id, struct hitdb_row *out)
{
    char err[300];
    return hitdb_get_hit(q->hdb, id, out, err, sizeof err) == 1 ? 0 : -1;
}

void hitq_json_each(struct hitq *q, const char *json,
                    void (*fn)(void *ctx, const char *key, const char *value), void *ctx)
{
    sqlite3_stmt *st;
    if (!json || sqlite3_prepare_v2(q->db, "SELECT key, value FROM json_each(?)", -1, &st, NULL) !=
                     SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *k = sqlite3_column_type(st, 0) == SQLITE_TEXT ? sqlite3_column_text(st, 0) : NULL;
        const unsigned char *v = sqlite3_column_text(st, 1);
        fn(ctx, (const char *)k, v ? (const char *)v : "null");
    }
    sqlite3_finalize(st);
}

size_t hitq_by_rule(struct hitq *q, struct hitq_count *out, size_t max)
{
    char tail[100];
    snprintf(tail, sizeof tail, "GROUP BY rule ORDER BY 2 DESC, 1 LIMIT %zu", max);
    /* count(*) alone is answered from the (rule, time_ns) index; the
     * priority is then one index step per rule (a rule has one priority;
     * min(priority) in the GROUP BY would read every row). */
    sqlite3_stmt *st = prep(q, &q->f, "SELECT rule, count(*) FROM hits", tail);
    size_t n = 0;
    while (st && n < max && sqlite3_step(st) == SQLITE_ROW) {
        copy_col(st, 0, out[n].key, sizeof out[n].key);
        out[n].n = sqlite3_column_int64(st, 1);
        out[n].prio = 7;
        n++;
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(q->db, "SELECT priority FROM hits WHERE rule = ? LIMIT 1", -1, &st,
                           NULL) != SQLITE_OK)
        return n;
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, out[i].key, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            out[i].prio = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

size_t hitq_by_prio(struct hitq *q, struct hitq_count *out)
{
    for (int p = 0; p < 8; p++)
        out[p] = (struct hitq_count){ .prio = p };
    for (int p = 0; p < 8; p++)
        snprintf(out[p].key, sizeof out[p].key, "%s", hitdb_priority_name(p));
    sqlite3_stmt *st = prep(q, &q->f, "SELECT priority, count(*) FROM hits", "GROUP BY priority");
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        int p = sqlite3_column_int(st, 0);
        if (p >= 0 && p < 8)
            out[p].n = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return 8;
}

void hitq_span(struct hitq *q, uint64_t *first, uint64_t *last)
{
    *first = q->first_ns;
    *last = q->last_ns;
}

int hitq_histogram(struct hitq *q, uint64_t from, uint64_t to, uint64_t *buckets, size_t nb)
{
    memset(buckets, 0, nb * sizeof *buckets);
    if (to <= from || nb == 0)
        return 0;
    uint64_t width = (to - from + nb - 1) / nb;
    if (!width)
        width = 1;
    char head[200];
    snprintf(head, sizeof head, "SELECT (time_ns - %lld) / %lld, count(*) FROM hits",
             (long long)from, (long long)width);
    char tail[200];
    snprintf(tail, sizeof tail, "AND time_ns >= %lld AND time_ns < %lld GROUP BY 1",
             (long long)from, (long long)to);
    sqlite3_stmt *st = prep(q, &q->f, head, tail);
    if (!st)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t b = sqlite3_column_int64(st, 0);
        if (b >= 0 && (size_t)b < nb)
            buckets[b] += (uint64_t)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return 0;
}

/* Appends a copy of s unless already there. */
static void add_unique(char ***v, size_t *n, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*v)[i], s))
            return;
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return;
    *v = nv;
    if (((*v)[*n] = strdup(s)))
        (*n)++;
}

static char **run_files(struct hitq *q, int64_t run, bool rules, size_t *n)
{
    struct hitdb_run *runs = NULL;
    size_t nruns = 0;
    char err[300], **v = NULL;
    *n = 0;
    if (hitdb_list_runs(q->hdb, &runs, &nruns, err, sizeof err) < 0)
        return NULL;
    for (size_t r = 0; r < nruns; r++) {
        if (run >= 0 && runs[r].id != run)
            continue;
        size_t nf = rules ? runs[r].nrules : runs[r].ntraces;
        const struct hitdb_file *f = rules ? runs[r].rules : runs[r].traces;
        for (size_t i = 0; i < nf; i++)
            add_unique(&v, n, f[i].path);
    }
    hitdb_runs_free(runs, nruns);
    return v;
}

char **hitq_traces(struct hitq *q, size_t *n) { return run_files(q, -1, false, n); }

char **hitq_rules_files(struct hitq *q, int64_t run, size_t *n)
{
    return run_files(q, run, true, n);
}

void hitq_interrupt(struct hitq *q) { sqlite3_interrupt(q->db); }

void hitq_set_cancel(struct hitq *q, int (*fn)(void *ctx), void *ctx)
{
    /* every 20000 VM steps: about a millisecond of work between looks */
    sqlite3_progress_handler(q->db, fn ? 20000 : 0, fn, ctx);
}

bool hitq_cancelled(struct hitq *q) { return q->interrupted; }
