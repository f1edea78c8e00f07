/* hitfilter.c -- the hit filter (hitfilter.h): walks the parse tree
 * filter_parse gives and writes one SQL expression with '?' placeholders.
 * Values are always bound, never pasted into the SQL, so no text a user
 * types can change the statement's shape. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hitfilter.h"
#include "../analyzer/filter.h"
#include "../analyzer/filter_ast.h"
#include "../analyzer/replay.h"
#include "../analyzer/rules_load.h"
#include "../reader/codec.h"

enum col_kind { CK_TEXT, CK_INT, CK_PRIO, CK_TIME, CK_TAGS, CK_JSON };

static const struct column {
    const char *field, *sql;
    enum col_kind kind;
} columns[] = {
    { "rule.name", "rule", CK_TEXT },       { "rule.priority", "priority", CK_PRIO },
    { "rule.tags", "tags", CK_TAGS },       { "rule.source", "source", CK_TEXT },
    { "hit.output", "output", CK_TEXT },    { "hit.run", "run", CK_INT },
    { "hit.trace", "trace_path", CK_TEXT }, { "evt.time", "time_ns", CK_TIME },
    { "evt.num", "evnum", CK_INT },         { "proc.name", "proc_name", CK_TEXT },
    { "proc.pid", "pid", CK_INT },          { "thread.tid", "tid", CK_INT },
    { "proc.cmdline", "cmdline", CK_TEXT }, { "user.name", "user_name", CK_TEXT },
    { "container.id", "container_id", CK_TEXT },
};

struct tr {
    struct skr_buf sql;
    struct hitfilter *out;
    uint64_t time_base;
    char *err;
    size_t errlen;
    bool failed;
};

static void fail(struct tr *t, struct fpos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(struct tr *t, struct fpos pos, const char *fmt, ...)
{
    if (t->failed)
        return;
    t->failed = true;
    int n = snprintf(t->err, t->errlen, "%d:%d: ", pos.line, pos.col);
    if (n < 0 || (size_t)n >= t->errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->err + n, t->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static void put(struct tr *t, const char *s) { skr_put_raw(&t->sql, s, strlen(s)); }

static void bind(struct tr *t, bool is_int, int64_t i, const char *s, size_t len)
{
    struct hitfilter *f = t->out;
    struct hf_bind *nb = realloc(f->binds, (f->nbinds + 1) * sizeof *nb);
    if (!nb) {
        t->sql.oom = true;
        return;
    }
    f->binds = nb;
    nb[f->nbinds] = (struct hf_bind){ .is_int = is_int, .i = i };
    if (!is_int) {
        nb[f->nbinds].s = strndup(s, len);
        if (!nb[f->nbinds].s)
            t->sql.oom = true;
    }
    f->nbinds++;
    put(t, "?");
}

static void bind_str(struct tr *t, const char *s) { bind(t, false, 0, s, strlen(s)); }

/* A LIKE pattern matching s anywhere, with % _ and the escape escaped. */
static void bind_like(struct tr *t, const char *s)
{
    size_t n = strlen(s);
    char *p = malloc(2 * n + 3);
    if (!p) {
        t->sql.oom = true;
        return;
    }
    size_t k = 0;
    p[k++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' || s[i] == '_' || s[i] == '\\')
            p[k++] = '\\';
        p[k++] = s[i];
    }
    p[k++] = '%';
    p[k] = 0;
    bind_str(t, p);
    free(p);
}

static bool parse_int(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (!*s || *end || errno == ERANGE)
        return false;
    *out = v;
    return true;
}

/* Binds one constant of the column's kind. */
static void bind_value(struct tr *t, const struct column *c, const struct fstr *v)
{
    int64_t i;
    switch (c ? c->kind : CK_JSON) {
    case CK_INT:
        if (!parse_int(v->s, &i))
            return fail(t, v->pos, "'%s' needs a number, not '%.60s'", c->field, v->s);
        return bind(t, true, i, NULL, 0);
    case CK_PRIO: {
        enum rules_priority p;
        if (parse_int(v->s, &i) && i >= 0 && i <= 7)
            return bind(t, true, i, NULL, 0);
        if (!rules_priority_parse(v->s, &p))
            return fail(t, v->pos, "unknown priority '%.60s' (emergency, alert, critical, error, "
                        "warning, notice, informational, debug)", v->s);
        return bind(t, true, (int64_t)p, NULL, 0);
    }
    case CK_TIME: {
        uint64_t ns;
        char err[200];
        if (replay_parse_time(v->s, t->time_base, &ns, err, sizeof err) < 0)
            return fail(t, v->pos, "evt.time: %s", err);
        return bind(t, true, (int64_t)ns, NULL, 0);
    }
    case CK_JSON:
        /* Output fields hold numbers and strings: a number compares as one. */
        if (parse_int(v->s, &i))
            return bind(t, true, i, NULL, 0);
        return bind(t, false, 0, v->s, v->len);
    default:
        return bind(t, false, 0, v->s, v->len);
    }
}

/* The SQL for the left side: a column, or the field's output value. */
static const struct column *lhs_sql(struct tr *t, const struct foperand *o, char *colbuf,
                                    size_t len)
{
    if (o->xf != FX_NONE) {
        fail(t, o->pos, "transformers (%s) do not apply to hits", filter_xf_name(o->xf));
        return NULL;
    }
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++)
        if (!strcmp(columns[i].field, o->field) && !o->arg) {
            snprintf(colbuf, len, "%s", columns[i].sql);
            return &columns[i];
        }
    for (const char *p = o->field; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_') {
            fail(t, o->pos, "bad field name '%.60s'", o->field);
            return NULL;
        }
    colbuf[0] = 0; /* the caller binds the JSON path */
    return NULL;
}

static void put_lhs(struct tr *t, const struct column *c, const char *col,
                    const struct foperand *o)
{
    if (c) {
        put(t, col);
        return;
    }
    char path[300];
    snprintf(path, sizeof path, "$.\"%s%s%s%s\"", o->field, o->arg ? "[" : "", o->arg ? o->arg : "",
             o->arg ? "]" : "");
    put(t, "json_extract(fields,");
    bind_str(t, path);
    put(t, ")");
}

static int flip(int op)
{
    switch (op) {
    case FOP_LT: return FOP_GT;
    case FOP_LE: return FOP_GE;
    case FOP_GT: return FOP_LT;
    case FOP_GE: return FOP_LE;
    default: return op;
    }
}

static void check_sql(struct tr *t, const struct fnode *n)
{
    char col[64];
    const struct column *c = lhs_sql(t, n->lhs, col, sizeof col);
    if (t->failed)
        return;
    int op = n->op;
    if (n->mod != FM_NONE)
        return fail(t, n->oppos, "operator modifiers do not apply to hits");
    if (n->rkind == FR_OPERAND || n->rkind == FR_LISTNAME)
        return fail(t, n->oppos, "the hit filter compares with constants only");
    if (op == FOP_EXISTS) {
        put(t, "(");
        put_lhs(t, c, col, n->lhs);
        put(t, " IS NOT NULL)");
        return;
    }
    /* Priorities are stored as numbers, 0 the most severe; the filter
     * compares by severity. */
    if (c && c->kind == CK_PRIO)
        op = flip(op);
    if (c && c->kind == CK_TAGS && (op == FOP_EQ || op == FOP_CONTAINS || op == FOP_IN ||
                                    op == FOP_INTERSECTS)) {
        put(t, "EXISTS (SELECT 1 FROM json_each(tags) WHERE value IN (");
        for (size_t i = 0; i < n->nitems; i++) {
            if (i)
                put(t, ",");
            bind_value(t, c, &n->items[i]);
        }
        put(t, "))");
        return;
    }
    if (op == FOP_IN || op == FOP_INTERSECTS) {
        put(t, "(");
        put_lhs(t, c, col, n->lhs);
        put(t, " IN (");
        for (size_t i = 0; i < n->nitems; i++) {
            if (i)
                put(t, ",");
            bind_value(t, c, &n->items[i]);
        }
        put(t, "))");
        return;
    }
    if (n->rkind != FR_STR || n->nitems != 1)
        return fail(t, n->oppos, "operator %s needs one value", filter_op_name(n->op));
    const struct fstr *v = &n->items[0];
    static const char *const cmp[] = {
        [FOP_EQ] = " = ", [FOP_NE] = " IS NOT ", [FOP_LT] = " < ",
        [FOP_LE] = " <= ", [FOP_GT] = " > ", [FOP_GE] = " >= ",
    };
    put(t, "(");
    switch (op) {
    case FOP_EQ: case FOP_NE: case FOP_LT: case FOP_LE: case FOP_GT: case FOP_GE:
        put_lhs(t, c, col, n->lhs);
        put(t, cmp[op]);
        bind_value(t, c, v);
        break;
    case FOP_CONTAINS: case FOP_ICONTAINS: case FOP_STARTSWITH: case FOP_ENDSWITH:
        /* instr() of the first occurrence: 1 means "starts with". */
        if (op == FOP_ENDSWITH) {
            put(t, "substr(CAST(");
            put_lhs(t, c, col, n->lhs);
            put(t, " AS TEXT),-length(");
            bind_str(t, v->s);
            put(t, ")) = ");
            bind_str(t, v->s);
            break;
        }
        put(t, op == FOP_ICONTAINS ? "instr(lower(" : "instr((");
        put_lhs(t, c, col, n->lhs);
        put(t, op == FOP_ICONTAINS ? "),lower(" : "),(");
        bind_str(t, v->s);
        put(t, op == FOP_STARTSWITH ? ")) = 1" : ")) > 0");
        break;
    case FOP_GLOB: case FOP_IGLOB:
        put(t, op == FOP_IGLOB ? "lower(" : "(");
        put_lhs(t, c, col, n->lhs);
        put(t, op == FOP_IGLOB ? ") GLOB lower(" : ") GLOB (");
        bind_str(t, v->s);
        put(t, ")");
        break;
    default:
        return fail(t, n->oppos, "operator %s does not apply to hits", filter_op_name(n->op));
    }
    put(t, ")");
}

static void node_sql(struct tr *t, const struct fnode *n, int depth)
{
    if (t->failed)
        return;
    if (depth > 100)
        return fail(t, n->pos, "nested deeper than 100");
    switch (n->kind) {
    case FN_AND:
    case FN_OR:
        put(t, "(");
        for (size_t i = 0; i < n->nkids; i++) {
            if (i)
                put(t, n->kind == FN_AND ? " AND " : " OR ");
            node_sql(t, n->kids[i], depth + 1);
        }
        put(t, ")");
        break;
    case FN_NOT:
        put(t, "NOT (");
        node_sql(t, n->kids[0], depth + 1);
        put(t, ")");
        break;
    case FN_MACRO:
        /* A bare word: free text. */
        put(t, "(output LIKE ");
        bind_like(t, n->name);
        put(t, " ESCAPE '\\' OR rule LIKE ");
        bind_like(t, n->name);
        put(t, " ESCAPE '\\' OR proc_name LIKE ");
        bind_like(t, n->name);
        put(t, " ESCAPE '\\')");
        break;
    case FN_CHECK:
        check_sql(t, n);
        break;
    default:
        fail(t, n->pos, "unexpected node");
    }
}

/* Falco's grammar takes only number literals after < <= > >=; the hit
 * filter also takes priority names and times there. This rewrites such a
 * value of rule.priority or evt.time into its number before parsing
 * (a priority name into Falco's number, a time into ns). */
static char *rewrite(const char *text, uint64_t time_base, char *err, size_t errlen)
{
    struct skr_buf o = { 0 };
    const char *p = text;
    while (*p) {
        bool prio = !strncmp(p, "rule.priority", 13), tim = !strncmp(p, "evt.time", 8);
        size_t fl = prio ? 13 : tim ? 8 : 0;
        bool boundary = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == '_');
        if (!fl || !boundary || isalnum((unsigned char)p[fl]) || p[fl] == '.' || p[fl] == '_') {
            skr_put_u8(&o, (uint8_t)*p++);
            continue;
        }
        const char *q = p + fl;
        while (*q == ' ' || *q == '\t')
            q++;
        size_t oplen = (q[0] == '<' || q[0] == '>') ? (q[1] == '=' ? 2 : 1) : 0;
        if (!oplen) {
            skr_put_raw(&o, p, (size_t)(q - p));
            p = q;
            continue;
        }
        const char *v = q + oplen;
        while (*v == ' ' || *v == '\t')
            v++;
        char quote = *v == '"' || *v == '\'' ? *v : 0;
        const char *vs = quote ? v + 1 : v, *ve = vs;
        while (*ve && (quote ? *ve != quote : !strchr(" \t()", *ve)))
            ve++;
        char val[128];
        size_t vl = (size_t)(ve - vs);
        bool digits = vl > 0;
        for (size_t i = 0; i < vl; i++)
            digits &= isdigit((unsigned char)vs[i]) != 0;
        skr_put_raw(&o, p, (size_t)(v - p));
        p = quote && *ve ? ve + 1 : ve;
        if (digits || vl == 0 || vl >= sizeof val) {
            skr_put_raw(&o, v, (size_t)(p - v));
            continue;
        }
        memcpy(val, vs, vl);
        val[vl] = 0;
        char num[32];
        if (prio) {
            enum rules_priority pr;
            if (!rules_priority_parse(val, &pr)) {
                snprintf(err, errlen, "unknown priority '%.60s' (emergency, alert, critical, "
                         "error, warning, notice, informational, debug)", val);
                skr_buf_free(&o);
                return NULL;
            }
            snprintf(num, sizeof num, "%d", (int)pr);
        } else {
            uint64_t ns;
            char e[200];
            if (replay_parse_time(val, time_base, &ns, e, sizeof e) < 0) {
                snprintf(err, errlen, "evt.time: %s", e);
                skr_buf_free(&o);
                return NULL;
            }
            snprintf(num, sizeof num, "%llu", (unsigned long long)ns);
        }
        skr_put_raw(&o, num, strlen(num));
    }
    skr_put_u8(&o, 0);
    if (o.oom) {
        skr_buf_free(&o);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    return (char *)o.data;
}

int hitfilter_compile(const char *text, uint64_t time_base, struct hitfilter *out, char *err,
                      size_t errlen)
{
    *out = (struct hitfilter){ 0 };
    const char *p = text ? text : "";
    while (isspace((unsigned char)*p))
        p++;
    if (!*p) {
        out->where = strdup("1");
        if (!out->where) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        return 0;
    }
    char *rw = rewrite(p, time_base, err, errlen);
    if (!rw)
        return -1;
    struct filter_error ferr;
    struct fnode *tree = filter_parse(rw, &ferr);
    free(rw);
    if (!tree) {
        snprintf(err, errlen, "%s", ferr.msg);
        return -1;
    }
    struct tr t = { .out = out, .time_base = time_base, .err = err, .errlen = errlen };
    node_sql(&t, tree, 0);
    fnode_free(tree);
    skr_put_u8(&t.sql, 0);
    if (t.sql.oom && !t.failed) {
        t.failed = true;
        snprintf(err, errlen, "out of memory");
    }
    if (t.failed) {
        skr_buf_free(&t.sql);
        hitfilter_free(out);
        return -1;
    }
    out->where = (char *)t.sql.data;
    return 0;
}

void hitfilter_free(struct hitfilter *f)
{
    for (size_t i = 0; i < f->nbinds; i++)
        free(f->binds[i].s);
    free(f->binds);
    free(f->where);
    *f = (struct hitfilter){ 0 };
}
