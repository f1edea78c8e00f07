/* filter_compile.c -- from parse tree to compiled filter: macros expanded
 * (each parsed on its own and substituted as one sub-tree, so no
 * precedence leaks; loops and depth guarded), lists expanded inside
 * in/intersects/pmatch lists, fields resolved through the registry,
 * operators checked against field types, and constants converted once
 * (filter_ops.c). The compiled tree and its constants live in one arena
 * that filter_free releases at once.
 *
 * Errors carry the position in the text they were found in; an error in a
 * macro's text is prefixed "in macro 'name': " (nested macros nest the
 * prefixes), one in a list's items "in list 'name': ". */
#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_int.h"

/* ---- arena ---- */

struct farena {
    struct farena *next;
    size_t used, cap;
    max_align_t data[];
};

void *farena_alloc(struct farena **a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (!*a || (*a)->cap - (*a)->used < n) {
        /* Chunks grow from 512 bytes to 16 KiB: the engine keeps a small
         * specialised copy of each rule per event type
         * (filter_specialize.c), where a fixed 16 KiB would add up. */
        size_t chunk = *a && (*a)->cap < 8192 ? (*a)->cap * 2 : *a ? 16384 : 512;
        size_t cap = n > chunk ? n : chunk;
        struct farena *b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = *a;
        b->used = 0;
        b->cap = cap;
        *a = b;
    }
    void *p = (char *)(*a)->data + (*a)->used;
    (*a)->used += n;
    memset(p, 0, n);
    return p;
}

char *farena_strndup(struct farena **a, const char *s, size_t n)
{
    char *d = farena_alloc(a, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

void farena_free(struct farena *a)
{
    while (a) {
        struct farena *n = a->next;
        free(a);
        a = n;
    }
}

/* ---- field resolution ---- */

static filter_field_parser field_parser = field_ref_parse;

void filter_set_field_parser(filter_field_parser fn)
{
    field_parser = fn ? fn : field_ref_parse;
}

/* ---- compiler state ---- */

struct cc {
    const struct filter_env *env;
    struct filter *f;
    struct filter_error *err;
    const char *macros[FILTER_MAX_MACRO_DEPTH]; /* being expanded, outermost first */
    int nmacros;
    int depth;                /* compile_node nesting, macros included */
    size_t refcap;
};

static int cerr(struct cc *cc, struct fpos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int cerr(struct cc *cc, struct fpos at, const char *fmt, ...)
{
    char m[sizeof cc->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    return flex_error_at(cc->err, at, "%s", m);
}

static int oom(struct cc *cc, struct fpos at)
{
    return cerr(cc, at, "out of memory");
}

/* Prefixes the current error message ("in macro 'x': ..."). */
static void err_prefix(struct filter_error *err, const char *kind, const char *name)
{
    char m[sizeof err->msg], n[80];
    flex_escape(name, strlen(name), n, sizeof n);
    int k = snprintf(m, sizeof m, "in %s '%s': %s", kind, n, err->msg);
    if (k >= 0 && (size_t)k < sizeof m) {
        memcpy(err->msg, m, sizeof m);
        return;
    }
    /* deep nesting: keep the inner part, which says what went wrong */
    if (strncmp(err->msg, "...: ", 5)) {
        snprintf(m, sizeof m, "...: %s", err->msg);
        memcpy(err->msg, m, sizeof m);
    }
}

static const char *type_word(int t)
{
    switch (t) {
    case FT_INT: case FT_UINT: return "a number";
    case FT_BOOL: return "a boolean";
    case FT_STRING: return "a string";
    case FT_BYTES: return "a byte buffer";
    case FT_IPADDR: return "an IP address";
    case FT_IPNET: return "an IP network";
    case FT_ABSTIME: return "an absolute time";
    case FT_RELTIME: return "a relative time";
    default: return "of a type that depends on the event";
    }
}

/* "proc.aname[2]", "tolower(proc.name)" for messages */
static void operand_text(const struct foperand *o, char *buf, size_t len)
{
    char in[200], raw[300];
    if (o->xf == FX_NONE) {
        snprintf(raw, sizeof raw, "%s%s%s%s", o->field, o->arg ? "[" : "", o->arg ? o->arg : "",
                 o->arg ? "]" : "");
        flex_escape(raw, strlen(raw), buf, len);
        return;
    }
    operand_text(o->inner, in, sizeof in);
    snprintf(buf, len, "%s(%s)", filter_xf_name(o->xf), in);
}

static int add_ref(struct cc *cc, struct field_ref *r, struct fpos at)
{
    struct filter *f = cc->f;
    if (f->nrefs + 2 > cc->refcap) {
        size_t cap = cc->refcap ? cc->refcap * 2 : 8;
        struct field_ref **t = realloc(f->refs, cap * sizeof *t);
        if (!t)
            return oom(cc, at);
        f->refs = t;
        cc->refcap = cap;
    }
    f->refs[f->nrefs++] = r;
    f->refs[f->nrefs] = NULL;
    return 0;
}

static int compile_field(struct cc *cc, const struct foperand *o, struct cop *out)
{
    char text[FILTER_MAX_TOKEN + 64], name[300], msg[300];
    int n = snprintf(text, sizeof text, "%s%s%s%s", o->field, o->arg ? "[" : "",
                     o->arg ? o->arg : "", o->arg ? "]" : "");
    operand_text(o, name, sizeof name);
    if (n < 0 || (size_t)n >= sizeof text)
        return cerr(cc, o->pos, "field reference too long");
    struct field_ref *r = farena_alloc(&cc->f->arena, sizeof *r);
    if (!r)
        return oom(cc, o->pos);
    size_t used = 0;
    msg[0] = '\0';
    if (field_parser(text, &used, r, msg, sizeof msg) < 0) {
        char m[sizeof msg];
        flex_escape(msg, strlen(msg), m, sizeof m);
        return cerr(cc, o->pos, "%s", m[0] ? m : "unknown field");
    }
    if (add_ref(cc, r, o->pos) < 0) {
        field_ref_free(r);
        return -1;
    }
    if (used != (size_t)n || !r->def)
        return cerr(cc, o->pos, "unknown field '%s'", name);
    out->xf = FX_NONE;
    out->ref = r;
    /* a reference may know its type better than its field (evt.rawarg.NAME) */
    out->type = r->type ? r->type : r->def->type;
    out->multi = (r->def->flags & FF_LIST) && !r->has_arg;
    return 0;
}

static int compile_operand(struct cc *cc, const struct foperand *o, struct cop *out)
{
    if (o->xf == FX_NONE)
        return compile_field(cc, o, out);
    const struct foperand *src = o->xf == FX_VAL ? o->inner : o;
    if (o->xf == FX_VAL)
        return compile_field(cc, src, out);
    struct cop *in = farena_alloc(&cc->f->arena, sizeof *in);
    if (!in)
        return oom(cc, o->pos);
    if (compile_operand(cc, o->inner, in) < 0)
        return -1;
    const char *why;
    int t = fxf_result_type(o->xf, in->type, in->multi, &why);
    if (t == FT_NONE) {
        char name[200];
        operand_text(o->inner, name, sizeof name);
        return cerr(cc, o->pos, "%s() %s; '%s' is %s", filter_xf_name(o->xf), why, name,
                    type_word(in->type));
    }
    *out = (struct cop){ .xf = o->xf, .type = (uint8_t)t, .inner = in,
                         .multi = in->multi && o->xf != FX_LEN };
    return 0;
}

/* The field behind an operand (innermost). */
static const struct cop *base_field(const struct cop *o)
{
    while (o->xf != FX_NONE)
        o = o->inner;
    return o;
}

/* Comparable classes of types, for field-to-field checks. */
static int type_class(int t)
{
    switch (t) {
    case FT_STRING: case FT_BYTES: return 1;
    case FT_IPADDR: case FT_IPNET: return 2;
    case FT_BOOL: return 3;
    default: return 4; /* numbers and times */
    }
}

/* ---- constants ---- */

static bool is_evt_type(const struct cop *o)
{
    return o->xf == FX_NONE && !o->ref->has_arg && !strcmp(o->ref->def->name, "evt.type");
}

/* libsinsp's compiler warns when a constant, blanks removed, names a field
 * (a forgotten val()) or looks like a transformer call. */
static void warn_const(struct cc *cc, const char *s, size_t len, struct fpos at)
{
    char t[256], m[sizeof cc->err->msg], e[300];
    size_t k = 0;
    if (!cc->env || !cc->env->warn)
        return;
    for (size_t i = 0; i < len && k + 1 < sizeof t; i++)
        if (!isspace((unsigned char)s[i]))
            t[k++] = s[i];
    t[k] = '\0';
    if (k == 0 || k + 1 >= sizeof t || memchr(t, '\0', k))
        return;
    const char *what = NULL;
    static const char *const xfs[] = { "tolower(", "toupper(", "b64(", "basename(", "len(",
                                       "join(", "concat(", "getopt(", "val(" };
    for (size_t i = 0; i < sizeof xfs / sizeof *xfs && !what; i++)
        if (!strncmp(t, xfs[i], strlen(xfs[i])) && t[k - 1] == ')')
            what = "field transformer";
    if (!what && strchr(t, '.')) {
        struct field_ref r;
        size_t used = 0;
        char msg[200];
        if (field_parser(t, &used, &r, msg, sizeof msg) == 0) {
            if (used == k)
                what = "field";
            field_ref_free(&r);
        }
    }
    if (!what)
        return;
    size_t n = 0;
    m[0] = '\0';
    for (int i = 0; i < cc->nmacros && n < sizeof m; i++)
        n += (size_t)snprintf(m + n, sizeof m - n, "in macro '%s': ", cc->macros[i]);
    flex_escape(s, len, e, sizeof e);
    if (n < sizeof m)
        snprintf(m + n, sizeof m - n,
                 "%d:%d: '%s' may be a valid %s misused as a const string value", at.line,
                 at.col, e, what);
    cc->env->warn(cc->env->ctx, m);
}

struct items {
    struct cconst *v;
    size_t n, cap;
};

static int add_const(struct cc *cc, struct ccheck *c, struct items *it, const char *s, size_t len,
                     struct fpos at, const char *list)
{
    char msg[160];
    if (it->n >= FILTER_MAX_ITEMS)
        return cerr(cc, at, "list longer than %d items", FILTER_MAX_ITEMS);
    if (it->n == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 8;
        struct cconst *t = farena_alloc(&cc->f->arena, cap * sizeof *t);
        if (!t)
            return oom(cc, at);
        if (it->n)
            memcpy(t, it->v, it->n * sizeof *t);
        it->v = t;
        it->cap = cap;
    }
    struct fval v;
    if (is_evt_type(&c->lhs) && (c->op == FOP_EQ || c->op == FOP_NE || c->op == FOP_IN ||
                                 c->op == FOP_INTERSECTS) &&
        (memchr(s, '\0', len) || !filter_evtype_known(s))) {
        char e[120];
        flex_escape(s, len < 60 ? len : 60, e, sizeof e);
        return cerr(cc, at, "unknown event type %s", e);
    }
    if (fops_parse_const(c->op, c->type, s, len, &v, &cc->f->arena, msg, sizeof msg) < 0) {
        char e[120], l[120];
        flex_escape(s, len < 60 ? len : 60, e, sizeof e);
        if (list) {
            flex_escape(list, strlen(list), l, sizeof l);
            return cerr(cc, at, "in list '%s': '%s' is %s", l, e, msg);
        }
        return cerr(cc, at, "'%s' is %s", e, msg);
    }
    it->v[it->n++].v = v;
    warn_const(cc, s, len, at);
    return 0;
}

/* A list item as the rules engine stores it: items that are quoted
 * strings (the reference rules write '"(systemd)"') are unquoted, as
 * Falco's textual substitution would have them parsed. */
static int add_list_item(struct cc *cc, struct ccheck *c, struct items *it, const char *s,
                         struct fpos at, const char *list)
{
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
        char *u, msg[120];
        size_t ul, bad;
        if (flex_unescape(s, n, &u, &ul, msg, sizeof msg, &bad) == 0) {
            int r = add_const(cc, c, it, u, ul, at, list);
            free(u);
            return r;
        }
    }
    return add_const(cc, c, it, s, n, at, list);
}

static int expand_list(struct cc *cc, struct ccheck *c, struct items *it, const struct fstr *s,
                       bool must)
{
    size_t n = 0;
    const char *const *li = NULL;
    if (!s->quoted && cc->env && cc->env->list)
        li = cc->env->list(cc->env->ctx, s->s, &n);
    if (!li) {
        if (must) {
            char e[120];
            flex_escape(s->s, s->len, e, sizeof e);
            return cerr(cc, s->pos, "undefined list '%s'", e);
        }
        return add_const(cc, c, it, s->s, s->len, s->pos, NULL);
    }
    for (size_t i = 0; i < n; i++)
        if (add_list_item(cc, c, it, li[i], s->pos, s->s) < 0)
            return -1;
    return 0;
}

/* ---- checks ---- */

static int add_regex(struct cc *cc, struct ccheck *c, struct fpos at)
{
    struct filter *f = cc->f;
    char msg[200], e[120];
    if (f->nres == f->rescap) {
        size_t cap = f->rescap ? f->rescap * 2 : 4;
        regex_t **t = realloc(f->res, cap * sizeof *t);
        if (!t)
            return oom(cc, at);
        f->res = t;
        f->rescap = cap;
    }
    regex_t *re = farena_alloc(&f->arena, sizeof *re);
    if (!re)
        return oom(cc, at);
    if (fops_regcomp(c, re, msg, sizeof msg) < 0) {
        flex_escape(c->one.s, c->one.len < 60 ? c->one.len : 60, e, sizeof e);
        return cerr(cc, at, "invalid regular expression '%s': %s", e, msg);
    }
    f->res[f->nres++] = re;
    return 0;
}

static int compile_check(struct cc *cc, const struct fnode *n, struct ccheck *c)
{
    char lname[200];
    if (compile_operand(cc, n->lhs, &c->lhs) < 0)
        return -1;
    operand_text(n->lhs, lname, sizeof lname);
    c->op = n->op;
    c->mod = n->mod;
    c->type = c->lhs.type;
    const char *why = fops_check_type(c->op, c->type);
    if (why)
        return cerr(cc, n->oppos, "operator '%s' %s; '%s' is %s", filter_op_name(c->op), why,
                    lname, type_word(c->type));
    /* libsinsp marks only fd.types as a list field (EPF_IS_LIST): for it,
     * 'in' asks that every value be in the set. Other multi-valued fields
     * (proc.aname without index) match when any value does. fields.h has
     * no flag for the difference, hence the name. */
    c->subset = c->op == FOP_IN && c->lhs.multi && c->lhs.xf == FX_NONE &&
                !strcmp(c->lhs.ref->def->name, "fd.types");
    struct items it = { 0 };
    switch (n->rkind) {
    case FR_NONE:
        assert(c->op == FOP_EXISTS);
        break;
    case FR_STR:
        assert(n->nitems == 1);
        if (add_const(cc, c, &it, n->items[0].s, n->items[0].len, n->items[0].pos, NULL) < 0)
            return -1;
        c->one = it.v[0].v;
        break;
    case FR_LIST:
    case FR_LISTNAME:
        for (size_t i = 0; i < n->nitems; i++)
            if (expand_list(cc, c, &it, &n->items[i], n->rkind == FR_LISTNAME) < 0)
                return -1;
        c->set = it.v;
        c->nset = it.n;
        if (c->mod && it.n && !(c->sub = farena_alloc(&cc->f->arena, it.n * sizeof *c->sub)))
            return oom(cc, n->pos);
        break;
    case FR_OPERAND: {
        struct cop *r = farena_alloc(&cc->f->arena, sizeof *r);
        char rname[200];
        if (!r)
            return oom(cc, n->rop->pos);
        if (compile_operand(cc, n->rop, r) < 0)
            return -1;
        operand_text(n->rop->xf == FX_VAL ? n->rop->inner : n->rop, rname, sizeof rname);
        if (base_field(r)->ref->def->flags & FF_NO_RHS)
            return cerr(cc, n->rop->pos, "field '%s' cannot be on the right side of a comparison",
                        rname);
        if (type_class(r->type) != type_class(c->type))
            return cerr(cc, n->rop->pos, "cannot compare '%s' (%s) with '%s' (%s)", lname,
                        type_word(c->type), rname, type_word(r->type));
        if (c->op == FOP_BCONTAINS || c->op == FOP_BSTARTSWITH || c->op == FOP_PMATCH ||
            c->op == FOP_REGEX)
            return cerr(cc, n->oppos, "operator '%s' needs constants on the right",
                        filter_op_name(c->op));
        c->rop = r;
        break;
    }
    default:
        assert(!"unknown right side");
        return cerr(cc, n->pos, "internal error: unknown right side");
    }
    c->fast = c->lhs.xf == FX_NONE && !c->rop;
    c->evtype = is_evt_type(&c->lhs) && !c->rop && !c->mod;
    fops_prepare(c, &cc->f->arena);
    if (c->op == FOP_REGEX && !c->rop) {
        if (!c->mod)
            return add_regex(cc, c, n->items[0].pos);
        for (size_t i = 0; i < c->nset; i++)
            if (add_regex(cc, &c->sub[i], n->items[0].pos) < 0)
                return -1;
    }
    return 0;
}

static struct cnode *compile_node(struct cc *cc, const struct fnode *n);

static struct cnode *compile_macro(struct cc *cc, const struct fnode *n)
{
    for (int i = 0; i < cc->nmacros; i++)
        if (!strcmp(cc->macros[i], n->name)) {
            cerr(cc, n->pos, "reference loop in macro '%s'", n->name);
            return NULL;
        }
    if (cc->nmacros >= FILTER_MAX_MACRO_DEPTH) {
        cerr(cc, n->pos, "macros nested deeper than %d", FILTER_MAX_MACRO_DEPTH);
        return NULL;
    }
    const char *text = cc->env && cc->env->macro ? cc->env->macro(cc->env->ctx, n->name) : NULL;
    if (!text) {
        size_t k;
        if (cc->env && cc->env->list && cc->env->list(cc->env->ctx, n->name, &k))
            cerr(cc, n->pos, "list '%s' used where a condition is expected", n->name);
        else
            cerr(cc, n->pos, "undefined macro '%s' used in filter", n->name);
        return NULL;
    }
    struct fnode *t = filter_parse(text, cc->err);
    if (!t) {
        err_prefix(cc->err, "macro", n->name);
        return NULL;
    }
    cc->macros[cc->nmacros++] = n->name;
    struct cnode *c = compile_node(cc, t);
    cc->nmacros--;
    fnode_free(t);
    if (!c)
        err_prefix(cc->err, "macro", n->name);
    return c;
}

static struct cnode *compile_node_at(struct cc *cc, const struct fnode *n);

/* Each text is limited to FILTER_MAX_DEPTH levels, but macros stack their
 * texts; the total bounds the recursion here and in evaluation. */
static struct cnode *compile_node(struct cc *cc, const struct fnode *n)
{
    if (cc->depth >= FILTER_MAX_TOTAL_DEPTH) {
        cerr(cc, n->pos, "conditions nested deeper than %d, macros included",
             FILTER_MAX_TOTAL_DEPTH);
        return NULL;
    }
    cc->depth++;
    struct cnode *c = compile_node_at(cc, n);
    cc->depth--;
    return c;
}

static struct cnode *compile_node_at(struct cc *cc, const struct fnode *n)
{
    if (n->kind == FN_MACRO)
        return compile_macro(cc, n);
    struct cnode *c = farena_alloc(&cc->f->arena, sizeof *c);
    if (!c) {
        oom(cc, n->pos);
        return NULL;
    }
    if (n->kind == FN_CHECK) {
        c->kind = CN_CHECK;
        if (!(c->chk = farena_alloc(&cc->f->arena, sizeof *c->chk))) {
            oom(cc, n->pos);
            return NULL;
        }
        return compile_check(cc, n, c->chk) < 0 ? NULL : c;
    }
    c->kind = n->kind == FN_AND ? CN_AND : n->kind == FN_OR ? CN_OR : CN_NOT;
    assert(n->nkids >= 1);
    if (!(c->kids = farena_alloc(&cc->f->arena, n->nkids * sizeof *c->kids))) {
        oom(cc, n->pos);
        return NULL;
    }
    c->nkids = n->nkids;
    for (size_t i = 0; i < n->nkids; i++)
        if (!(c->kids[i] = compile_node(cc, n->kids[i])))
            return NULL;
    return c;
}

void filter_free(struct filter *f)
{
    if (!f)
        return;
    if (!f->base) { /* a specialisation's refs are its base's */
        for (size_t i = 0; i < f->nrefs; i++)
            field_ref_free(f->refs[i]);
        for (size_t i = 0; i < f->nres; i++)
            regfree(f->res[i]);
        free(f->res);
        free(f->refs);
    }
    farena_free(f->arena);
    free(f);
}

struct filter *filter_compile(const char *text, const struct filter_env *env,
                              struct filter_error *err)
{
    assert(err);
    struct fnode *t = filter_parse(text, err);
    if (!t)
        return NULL;
    struct filter *f = calloc(1, sizeof *f);
    if (!f) {
        fnode_free(t);
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    struct cc cc = { .env = env, .f = f, .err = err };
    f->root = compile_node(&cc, t);
    fnode_free(t);
    if (f->root && !f->refs && add_ref(&cc, NULL, (struct fpos){ 0, 0 }) == 0)
        f->nrefs = 0; /* an empty NULL-ended array */
    if (!f->root || !f->refs || filter_index_evtypes(f) < 0 || filter_prog_build(f) < 0) {
        if (f->root && !err->msg[0])
            snprintf(err->msg, sizeof err->msg, "out of memory");
        filter_free(f);
        return NULL;
    }
    return f;
}

const struct field_ref *const *filter_fields(const struct filter *f)
{
    return (const struct field_ref *const *)f->refs;
}
