/* rules_load.c -- the struct rules object: its lifetime and accessors,
 * loading a file (rules_read.c reads the items), messages and warnings,
 * and what the reader and the expander share: exception entries and
 * Falco's comparison operator tables (libsinsp filter/parser.cpp,
 * filter_compare.cpp; falco rule_loader_collector.cpp for the exception
 * checks). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules_int.h"

/* ---- small utilities shared with rules_expand.c ---- */

void *rl_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "saker: out of memory (%zu bytes)\n", n);
        abort();
    }
    return q;
}

char *rl_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(rl_xrealloc(NULL, n), s, n);
}

/* "FILE:LINE:COL: KIND 'NAME': message". Names and values come from the
 * file as they are: whoever shows a message escapes it (cli_error does);
 * only line breaks are flattened, to keep it one line. */
static void vput(char *buf, size_t len, const struct rl_pos *pos, const char *kind,
                 const char *name, const char *fmt, va_list ap)
{
    int n = 0;
    buf[0] = 0;
    if (pos && pos->file)
        n = snprintf(buf, len, "%s:%d:%d: ", pos->file, pos->line, pos->col);
    if (n >= 0 && (size_t)n < len && kind && *kind && name)
        n += snprintf(buf + n, len - (size_t)n, "%s '%s': ", kind, name);
    else if (n >= 0 && (size_t)n < len && kind && *kind)
        n += snprintf(buf + n, len - (size_t)n, "%s: ", kind);
    if (n >= 0 && (size_t)n < len)
        vsnprintf(buf + n, len - (size_t)n, fmt, ap);
    /* a folded condition holds newlines: keep the message one line */
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
}

void rl_errf(struct rules_diag *d, const struct rl_pos *pos, const char *kind,
             const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vput(d->msg, sizeof d->msg, pos, kind, name, fmt, ap);
    va_end(ap);
}

void rl_warn(struct rules *r, const struct rl_pos *pos, const char *kind, const char *name,
             const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vput(buf, sizeof buf, pos, kind, name, fmt, ap);
    va_end(ap);
    if (r->nwarnings == r->capwarnings) {
        r->capwarnings = r->capwarnings ? 2 * r->capwarnings : 16;
        r->warnings = rl_xrealloc(r->warnings, r->capwarnings * sizeof *r->warnings);
    }
    r->warnings[r->nwarnings++] = rl_xstrdup(buf);
}

void rl_entry_free(struct rl_entry *e)
{
    free(e->item);
    for (size_t i = 0; i < e->n; i++)
        rl_entry_free(&e->items[i]);
    free(e->items);
    memset(e, 0, sizeof *e);
}

bool rl_entry_valid(const struct rl_entry *e)
{
    return e->is_list ? e->n > 0 : e->item && *e->item;
}

void rl_exception_free(struct rl_exception *x)
{
    free(x->name);
    rl_entry_free(&x->fields);
    rl_entry_free(&x->comps);
    for (size_t i = 0; i < x->nvalues; i++)
        rl_entry_free(&x->values[i]);
    free(x->values);
    memset(x, 0, sizeof *x);
}

void rl_strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

struct rl_list *rl_find_list(const struct rules *r, const char *name)
{
    for (size_t i = 0; i < r->nlists; i++)
        if (!strcmp(r->lists[i].name, name))
            return &r->lists[i];
    return NULL;
}

struct rl_macro *rl_find_macro(const struct rules *r, const char *name)
{
    for (size_t i = 0; i < r->nmacros; i++)
        if (!strcmp(r->macros[i].name, name))
            return &r->macros[i];
    return NULL;
}

struct rl_rule *rl_find_rule(const struct rules *r, const char *name)
{
    for (size_t i = 0; i < r->nrules; i++)
        if (!strcmp(r->rules[i].name, name))
            return &r->rules[i];
    return NULL;
}

void rl_sync_pub(struct rl_rule *ru)
{
    struct rules_rule *p = &ru->pub;
    p->name = ru->name;
    p->desc = ru->desc;
    p->condition = ru->cond;
    p->output = ru->output;
    p->source = ru->source;
    p->tags = (const char *const *)ru->tags;
    p->ntags = ru->ntags;
    p->nexceptions = ru->nexc;
    p->expanded = ru->expanded;
    p->file = ru->pos.file;
    p->line = ru->pos.line;
    p->col = ru->pos.col;
}

void rl_rule_clear(struct rl_rule *ru)
{
    free(ru->name);
    free(ru->desc);
    free(ru->cond);
    free(ru->output);
    free(ru->source);
    free(ru->expanded);
    rl_strv_free(ru->tags, ru->ntags);
    for (size_t i = 0; i < ru->nexc; i++)
        rl_exception_free(&ru->exc[i]);
    free(ru->exc);
    memset(ru, 0, sizeof *ru);
}

/* ---- operators (libsinsp filter/parser.cpp tables, filter_compare.cpp) ---- */

static const char *const str_ops[] = { "==", "=", "!=", "glob", "iglob", "contains",
    "icontains", "bcontains", "startswith", "bstartswith", "endswith", "regex", NULL };
static const char *const other_ops[] = { "exists", "<=", "<", ">=", ">", "intersects", "in",
    "pmatch", NULL };

static bool in_table(const char *const *t, const char *s, size_t n)
{
    for (; *t; t++)
        if (strlen(*t) == n && !strncmp(*t, s, n))
            return true;
    return false;
}

/* "startswith oneof": split at the first blank, as str_to_cmpop_with_modifier. */
static bool is_str_op_with_modifier(const char *op)
{
    const char *sp = strchr(op, ' ');
    if (!sp || !in_table(str_ops, op, (size_t)(sp - op)))
        return false;
    return !strcmp(sp + 1, "oneof") || !strcmp(sp + 1, "anyof") || !strcmp(sp + 1, "allof");
}

bool rl_is_operator(const char *op)
{
    return in_table(str_ops, op, strlen(op)) || in_table(other_ops, op, strlen(op));
}

bool rl_is_list_operator(const char *op)
{
    return !strcmp(op, "in") || !strcmp(op, "intersects") || !strcmp(op, "pmatch") ||
           is_str_op_with_modifier(op);
}

void rl_trim(char *s)
{
    size_t n = strlen(s), a = 0;
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        n--;
    while (a < n && strchr(" \t\r\n", s[a]))
        a++;
    memmove(s, s + a, n - a);
    s[n - a] = 0;
}

static void entry_set(struct rl_entry *e, const char *s)
{
    rl_entry_free(e);
    e->item = rl_xstrdup(s);
}

int rl_validate_exception(struct rl_exception *x, const char *rule, struct rules_diag *d)
{
    const char *k = "exception";
    (void)rule;
    if (x->fields.is_list) {
        if (!rl_entry_valid(&x->comps)) {
            rl_entry_free(&x->comps);
            x->comps.is_list = true;
            x->comps.n = x->fields.n;
            x->comps.items = rl_xrealloc(NULL, x->fields.n * sizeof *x->comps.items);
            for (size_t i = 0; i < x->fields.n; i++)
                x->comps.items[i] = (struct rl_entry){ .item = rl_xstrdup("=") };
        }
        if (x->fields.n != x->comps.n) {
            rl_errf(d, &x->pos, k, x->name, "Fields and comps lists must have equal length");
            return -1;
        }
        for (size_t i = 0; i < x->comps.n; i++) {
            struct rl_entry *c = &x->comps.items[i];
            if (!c->item)
                c->item = rl_xstrdup("");
            rl_trim(c->item);
            if (!rl_is_operator(c->item) && !is_str_op_with_modifier(c->item)) {
                rl_errf(d, &x->pos, k, x->name, "'%s' is not a supported comparison operator",
                        c->item);
                return -1;
            }
        }
    } else {
        if (!rl_entry_valid(&x->comps))
            entry_set(&x->comps, "in");
        if (x->comps.is_list) {
            rl_errf(d, &x->pos, k, x->name, "Fields and comps must both be strings");
            return -1;
        }
        rl_trim(x->comps.item);
        const char *c = x->comps.item;
        if (strcmp(c, "in") && strcmp(c, "pmatch") && strcmp(c, "intersects") &&
            !is_str_op_with_modifier(c)) {
            rl_errf(d, &x->pos, k, x->name,
                    "When fields is a single value, comps must be one of (in, pmatch, "
                    "intersects) or a modifier operator (e.g. startswith oneof)");
            return -1;
        }
    }
    return 0;
}

void rl_list_free(struct rl_list *l)
{
    free(l->name);
    rl_strv_free(l->items, l->n);
    rl_strv_free(l->exp, l->nexp);
    memset(l, 0, sizeof *l);
}

void rl_macro_free(struct rl_macro *m)
{
    free(m->name);
    free(m->cond);
    free(m->expanded);
    rl_strv_free(m->refs, m->nrefs);
    memset(m, 0, sizeof *m);
}


/* ---- the object ---- */

static const char *const priority_names[] = { "Emergency", "Alert", "Critical", "Error",
    "Warning", "Notice", "Informational", "Debug" };

const char *rules_priority_name(enum rules_priority p)
{
    return (unsigned)p < 8 ? priority_names[p] : "?";
}

bool rules_priority_parse(const char *s, enum rules_priority *out)
{
    for (unsigned i = 0; i < 8; i++) {
        if (!strcasecmp(s, priority_names[i]) ||
            (i == RULES_PRI_INFORMATIONAL && !strcasecmp(s, "info"))) {
            *out = (enum rules_priority)i;
            return true;
        }
    }
    return false;
}

struct rules *rules_new(void)
{
    struct rules *r = rl_xrealloc(NULL, sizeof *r);
    memset(r, 0, sizeof *r);
    return r;
}

void rules_free(struct rules *r)
{
    if (!r)
        return;
    rl_expand_free(r);
    for (size_t i = 0; i < r->nlists; i++)
        rl_list_free(&r->lists[i]);
    for (size_t i = 0; i < r->nmacros; i++)
        rl_macro_free(&r->macros[i]);
    for (size_t i = 0; i < r->nrules; i++)
        rl_rule_clear(&r->rules[i]);
    free(r->lists);
    free(r->macros);
    free(r->rules);
    rl_strv_free(r->warnings, r->nwarnings);
    rl_strv_free(r->files, r->nfiles);
    free(r);
}

int rules_load_mem(struct rules *r, const char *name, const char *data, size_t len,
                   struct rules_diag *d)
{
    d->msg[0] = 0;
    r->files = rl_xrealloc(r->files, (r->nfiles + 1) * sizeof *r->files);
    char *file = r->files[r->nfiles++] = rl_xstrdup(name);
    struct ry_file f;
    if (ry_load(&f, file, data, len, d->msg, sizeof d->msg) < 0)
        return -1;
    /* what rules_check computed no longer holds */
    rl_expand_free(r);
    int rc = rl_read_file(r, &f, file, d);
    ry_free(&f);
    return rc;
}

/* Rules files are small (the largest official one is about 100 KiB). */
#define RULES_FILE_MAX (64u << 20)

int rules_load_file(struct rules *r, const char *path, struct rules_diag *d)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(d->msg, sizeof d->msg, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            if (cap >= RULES_FILE_MAX) {
                snprintf(d->msg, sizeof d->msg, "%s: larger than %u MiB, not a rules file",
                         path, RULES_FILE_MAX >> 20);
                fclose(fp);
                free(buf);
                return -1;
            }
            cap = cap ? 2 * cap : 65536;
            buf = rl_xrealloc(buf, cap);
        }
        size_t n = fread(buf + len, 1, cap - len, fp);
        if (!n)
            break;
        len += n;
    }
    if (ferror(fp)) {
        snprintf(d->msg, sizeof d->msg, "%s: read error: %s", path, strerror(errno));
        fclose(fp);
        free(buf);
        return -1;
    }
    fclose(fp);
    int rc = rules_load_mem(r, path, buf, len, d);
    free(buf);
    return rc;
}

size_t rules_count(const struct rules *r)
{
    return r->nrules;
}

const struct rules_rule *rules_at(const struct rules *r, size_t i)
{
    return i < r->nrules ? &r->rules[i].pub : NULL;
}

const struct rules_rule *rules_find(const struct rules *r, const char *name)
{
    struct rl_rule *ru = rl_find_rule(r, name);
    return ru ? &ru->pub : NULL;
}

const char *rules_macro_text(const struct rules *r, const char *name)
{
    struct rl_macro *m = rl_find_macro(r, name);
    if (!m)
        return NULL;
    return m->expanded ? m->expanded : m->cond;
}

const char *const *rules_list_items(const struct rules *r, const char *name, size_t *n)
{
    struct rl_list *l = rl_find_list(r, name);
    if (!l)
        return NULL;
    if (l->exp) {
        *n = l->nexp;
        return (const char *const *)l->exp;
    }
    *n = l->n;
    return (const char *const *)l->items;
}

size_t rules_warning_count(const struct rules *r)
{
    return r->nwarnings;
}

const char *rules_warning_at(const struct rules *r, size_t i)
{
    return i < r->nwarnings ? r->warnings[i] : NULL;
}
