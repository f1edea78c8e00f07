/* rules_expand.c -- from collected items to what the filter compiles, as
 * falco userspace/engine/rule_loader_compiler.cpp does it:
 *
 *  1. lists: an item naming a list defined before this list's last
 *     (re)definition is replaced by that list's items as written (one
 *     level: Falco looks at the collected items, not the expanded ones);
 *  2. exceptions become text appended to the rule condition
 *     ("(cond) and not (...)", build_rule_exception_infos);
 *  3. lists are substituted into every condition *textually*, by name,
 *     wherever the name stands between delimiters (resolve_list);
 *  4. every macro is parsed, then every macro reference checked: a macro
 *     sees only macros defined before its own last (re)definition, a rule
 *     sees all; reference loops are errors;
 *  5. (rules_compile) each rule of a known source is compiled with
 *     filter_compile, macros resolved through filter_env.
 *
 * Steps 1-4 need no field registry (rules_check). The text of each step is
 * kept (rules_rule.expanded, rules_macro_text) so that tools and tests can
 * show what the filter was given. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "filter.h"
#include "outfmt.h"
#include "rules_int.h"

/* ---- growable string ---- */

struct sbuf {
    char *s;
    size_t len, cap;
};

static void sb_addn(struct sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = rl_xrealloc(b->s, b->cap);
    }
    if (n) /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void sb_add(struct sbuf *b, const char *s)
{
    sb_addn(b, s, strlen(s));
}

static char *sb_take(struct sbuf *b)
{
    if (!b->s)
        sb_addn(b, "", 0);
    return b->s;
}

/* quote_item: a value with a blank gets double quotes unless it already
 * starts with a quote (no escaping -- Falco's own "todo"). */
static void sb_add_quoted(struct sbuf *b, const char *v)
{
    if (strchr(v, ' ') && v[0] != '"' && v[0] != '\'') {
        sb_add(b, "\"");
        sb_add(b, v);
        sb_add(b, "\"");
    } else {
        sb_add(b, v);
    }
}

/* ---- 1. lists ---- */

static void strv_push(char ***v, size_t *n, const char *s)
{
    *v = rl_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = rl_xstrdup(s);
}

static void expand_lists(struct rules *r)
{
    for (size_t i = 0; i < r->nlists; i++) {
        struct rl_list *l = &r->lists[i];
        assert(!l->exp);
        l->exp = rl_xrealloc(NULL, sizeof *l->exp);
        for (size_t j = 0; j < l->n; j++) {
            struct rl_list *ref = rl_find_list(r, l->items[j]);
            if (ref && ref->index < l->visibility) {
                ref->used = true;
                for (size_t k = 0; k < ref->n; k++)
                    strv_push(&l->exp, &l->nexp, ref->items[k]);
            } else {
                strv_push(&l->exp, &l->nexp, l->items[j]);
            }
        }
    }
}

/* ---- 2. exceptions ---- */

static void add_entry_value(struct sbuf *b, const struct rl_entry *v, const char *comp)
{
    if (v->is_list) {
        sb_add(b, "(");
        for (size_t i = 0; i < v->n; i++) {
            if (i)
                sb_add(b, ", ");
            sb_add_quoted(b, v->items[i].item ? v->items[i].item : "");
        }
        sb_add(b, ")");
        return;
    }
    const char *s = v->item ? v->item : "";
    if (rl_is_list_operator(comp)) {
        /* paren_item: a scalar under a list operator names a list */
        if (s[0] == '(') {
            sb_add(b, s);
        } else {
            sb_add(b, "(");
            sb_add(b, s);
            sb_add(b, ")");
        }
    } else {
        sb_add_quoted(b, s);
    }
}

char *rl_exceptions_text(const char *cond, const struct rl_exception *x, size_t n)
{
    struct sbuf b = { 0 };
    sb_add(&b, "(");
    sb_add(&b, cond);
    sb_add(&b, ")");
    for (size_t i = 0; i < n; i++) {
        const struct rl_exception *e = &x[i];
        struct sbuf ic = { 0 };
        if (!e->fields.is_list) {
            for (size_t j = 0; j < e->nvalues; j++) {
                if (!ic.len) {
                    sb_add(&ic, "(");
                    sb_add(&ic, e->fields.item);
                    sb_add(&ic, " ");
                    sb_add(&ic, e->comps.item);
                    sb_add(&ic, " (");
                } else {
                    sb_add(&ic, ", ");
                }
                sb_add_quoted(&ic, e->values[j].item ? e->values[j].item : "");
            }
            if (ic.len)
                sb_add(&ic, "))");
        } else {
            size_t tuples = 0;
            sb_add(&ic, "(");
            for (size_t j = 0; j < e->nvalues; j++) {
                const struct rl_entry *t = &e->values[j];
                if (tuples++)
                    sb_add(&ic, " or ");
                sb_add(&ic, "(");
                for (size_t k = 0; k < e->fields.n && k < t->n; k++) {
                    if (k)
                        sb_add(&ic, " and ");
                    sb_add(&ic, " ");
                    sb_add(&ic, e->fields.items[k].item ? e->fields.items[k].item : "");
                    sb_add(&ic, " ");
                    sb_add(&ic, e->comps.items[k].item);
                    sb_add(&ic, " ");
                    add_entry_value(&ic, &t->items[k], e->comps.items[k].item);
                }
                sb_add(&ic, ")");
            }
            sb_add(&ic, ")");
            if (!tuples)
                ic.len = 0;
        }
        if (ic.len) {
            sb_add(&b, " and not ");
            sb_addn(&b, ic.s, ic.len);
        }
        free(ic.s);
    }
    return sb_take(&b);
}

/* Falco checks these at load; they need no fields. */
static int check_exception_shapes(const struct rl_rule *ru, struct rules_diag *d)
{
    for (size_t i = 0; i < ru->nexc; i++) {
        const struct rl_exception *e = &ru->exc[i];
        for (size_t j = 0; j < e->nvalues; j++) {
            const struct rl_entry *v = &e->values[j];
            if (!e->fields.is_list && v->is_list) {
                rl_errf(d, &e->pos, "exception", e->name,
                        "Expected values array to contain a list of strings");
                return -1;
            }
            if (e->fields.is_list && (!v->is_list || v->n != e->fields.n)) {
                rl_errf(d, &e->pos, "exception", e->name,
                        "Fields and values lists must have equal length");
                return -1;
            }
        }
    }
    return 0;
}

/* ---- 3. list substitution (resolve_list) ---- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_delim(char c)
{
    return is_blank(c) || c == '(' || c == ')' || c == ',' || c == '=';
}

/* Replaces every delimited occurrence of l's name in *text. Mirrors
 * Falco's loop, including where it resumes searching, so that odd cases
 * (a list name inside a quoted string, an empty list) come out the same. */
static bool subst_one(char **text, const struct rl_list *l)
{
    const char *name = l->name;
    size_t nlen = strlen(name);
    bool used = false;
    if (!nlen)
        return false;
    char *cnd = *text;
    char *hit = strstr(cnd, name);
    while (hit) {
        size_t start = (size_t)(hit - cnd), end = start + nlen, len = strlen(cnd);
        if ((start == 0 || is_delim(cnd[start - 1])) && (end >= len || is_delim(cnd[end]))) {
            while (start > 0 && is_blank(cnd[start - 1]))
                start--;
            while (end < len && is_blank(cnd[end]))
                end++;
            struct sbuf sub = { 0 };
            for (size_t i = 0; i < l->nexp; i++) {
                if (i)
                    sb_add(&sub, ", ");
                sb_add_quoted(&sub, l->exp[i]);
            }
            if (!sub.len) {
                /* an empty list takes one adjacent comma with it */
                if (start > 0 && cnd[start - 1] == ',')
                    start--;
                else if (end < len && cnd[end] == ',')
                    end++;
            }
            struct sbuf nc = { 0 };
            if (start > 0) {
                sb_addn(&nc, cnd, start);
                sb_add(&nc, " ");
            }
            if (sub.len)
                sb_addn(&nc, sub.s, sub.len);
            sb_add(&nc, " ");
            sb_add(&nc, cnd + end);
            start += sub.len + 1;
            free(sub.s);
            free(cnd);
            cnd = sb_take(&nc);
            used = true;
            hit = start + 1 <= strlen(cnd) ? strstr(cnd + start + 1, name) : NULL;
        } else {
            hit = strstr(cnd + start + 1, name);
        }
    }
    *text = cnd;
    return used;
}

static char *subst_lists(struct rules *r, const char *text, bool mark)
{
    char *t = rl_xstrdup(text);
    for (size_t i = 0; i < r->nlists; i++)
        if (subst_one(&t, &r->lists[i]) && mark)
            r->lists[i].used = true;
    return t;
}

char *rl_subst_lists(struct rules *r, const char *text)
{
    return subst_lists(r, text, true);
}

/* ---- 4. parsing and macro references ---- */

struct names {
    char **v;
    size_t n;
};

static void collect_macro_name(void *ctx, const char *name, bool as_list)
{
    struct names *nm = ctx;
    if (as_list)
        return;
    for (size_t i = 0; i < nm->n; i++)
        if (!strcmp(nm->v[i], name))
            return;
    strv_push(&nm->v, &nm->n, name);
}

/* Parses text; fills the macro names it uses. */
static int parse_names(const char *text, const struct rl_pos *pos, const char *kind,
                       const char *name, struct names *out, struct rules_diag *d)
{
    struct filter_error fe;
    struct fnode *n = filter_parse(text, &fe);
    if (!n) {
        rl_errf(d, pos, kind, name, "condition: %s", fe.msg);
        return -1;
    }
    fnode_walk_names(n, collect_macro_name, out);
    fnode_free(n);
    return 0;
}

/* Depth-first search for a loop through macro references. */
static const struct rl_macro *find_loop(struct rules *r, struct rl_macro *m)
{
    if (m->mark == 1)
        return m;
    if (m->mark == 2)
        return NULL;
    m->mark = 1;
    for (size_t i = 0; i < m->nrefs; i++) {
        struct rl_macro *t = rl_find_macro(r, m->refs[i]);
        const struct rl_macro *loop = t ? find_loop(r, t) : NULL;
        if (loop)
            return loop;
    }
    m->mark = 2;
    return NULL;
}

static int check_macros(struct rules *r, struct rules_diag *d)
{
    /* all macros parse first (Falco's order), then references resolve */
    for (size_t i = 0; i < r->nmacros; i++) {
        struct rl_macro *m = &r->macros[i];
        struct names nm = { 0 };
        m->expanded = rl_subst_lists(r, m->cond);
        if (parse_names(m->expanded, &m->pos, "macro", m->name, &nm, d) < 0) {
            rl_strv_free(nm.v, nm.n);
            return -1;
        }
        m->refs = nm.v;
        m->nrefs = nm.n;
    }
    for (size_t i = 0; i < r->nmacros; i++) {
        struct rl_macro *m = &r->macros[i];
        for (size_t j = 0; j < m->nrefs; j++) {
            struct rl_macro *t = rl_find_macro(r, m->refs[j]);
            if (!t || t->index >= m->visibility) {
                rl_errf(d, &m->pos, "macro", m->name, "Undefined macro '%s' used in filter.",
                        m->refs[j]);
                return -1;
            }
            t->used = true;
        }
    }
    for (size_t i = 0; i < r->nmacros; i++) {
        struct rl_macro *m = &r->macros[i];
        const struct rl_macro *loop = find_loop(r, m);
        if (loop) {
            rl_errf(d, &m->pos, "macro", m->name, "reference loop in macro '%s'", loop->name);
            return -1;
        }
    }
    return 0;
}

static int check_rule(struct rules *r, struct rl_rule *ru, struct rules_diag *d)
{
    /* Falco builds exceptions only for the rules it compiles */
    if (ru->pub.known_source && check_exception_shapes(ru, d) < 0)
        return -1;
    char *text = ru->nexc ? rl_exceptions_text(ru->cond, ru->exc, ru->nexc)
                          : rl_xstrdup(ru->cond);
    free(ru->expanded);
    ru->expanded = subst_lists(r, text, ru->pub.known_source);
    free(text);
    rl_sync_pub(ru);
    struct names nm = { 0 };
    struct rules_diag pd;
    int rc = parse_names(ru->expanded, &ru->pos, "rule", ru->name, &nm, &pd);
    if (rc < 0 && !ru->pub.known_source) {
        /* Falco never parses these; say so, but do not fail the load */
        rl_warn(r, NULL, "", "", "%s (not an error: source %s is not loaded)", pd.msg,
                ru->source);
        return 0;
    }
    if (rc < 0) {
        *d = pd;
        return -1;
    }
    for (size_t j = 0; j < nm.n && rc == 0; j++) {
        struct rl_macro *t = rl_find_macro(r, nm.v[j]);
        if (!t) {
            if (ru->pub.known_source) {
                rl_errf(d, &ru->pos, "rule", ru->name, "Undefined macro '%s' used in filter.",
                        nm.v[j]);
                rc = -1;
            }
        } else if (ru->pub.known_source) {
            t->used = true;
        }
    }
    rl_strv_free(nm.v, nm.n);
    return rc;
}

void rl_expand_free(struct rules *r)
{
    for (size_t i = 0; i < r->nlists; i++) {
        rl_strv_free(r->lists[i].exp, r->lists[i].nexp);
        r->lists[i].exp = NULL;
        r->lists[i].nexp = 0;
        r->lists[i].used = false;
    }
    for (size_t i = 0; i < r->nmacros; i++) {
        struct rl_macro *m = &r->macros[i];
        free(m->expanded);
        rl_strv_free(m->refs, m->nrefs);
        m->expanded = NULL;
        m->refs = NULL;
        m->nrefs = 0;
        m->used = false;
        m->mark = 0;
    }
    for (size_t i = 0; i < r->nrules; i++) {
        struct rl_rule *ru = &r->rules[i];
        free(ru->expanded);
        ru->expanded = NULL;
        filter_free(ru->pub.filter);
        ru->pub.filter = NULL;
        ru->pub.skipped = false;
        rl_sync_pub(ru);
    }
    r->checked = false;
}

int rules_check(struct rules *r, struct rules_diag *d)
{
    d->msg[0] = 0;
    rl_expand_free(r);
    expand_lists(r);
    if (check_macros(r, d) < 0)
        return -1;
    for (size_t i = 0; i < r->nrules; i++)
        if (check_rule(r, &r->rules[i], d) < 0)
            return -1;
    for (size_t i = 0; i < r->nmacros; i++)
        if (!r->macros[i].used)
            rl_warn(r, &r->macros[i].pos, "macro", r->macros[i].name,
                    "Macro not referred to by any other rule/macro");
    for (size_t i = 0; i < r->nlists; i++)
        if (!r->lists[i].used)
            rl_warn(r, &r->lists[i].pos, "list", r->lists[i].name,
                    "List not referred to by any other rule/macro");
    r->checked = true;
    return 0;
}

/* ---- 5. compiling ---- */

static const char *env_macro(void *ctx, const char *name)
{
    struct rl_macro *m = rl_find_macro(ctx, name);
    return m ? m->expanded : NULL;
}

/* Lists were substituted into the text already (step 3); a name left in
 * a list is a plain string, as in Falco. */
static const char *const *env_list(void *ctx, const char *name, size_t *n)
{
    (void)ctx;
    (void)name;
    *n = 0;
    return NULL;
}

/* is_valid_lhs_field: a field, or a transformer around one
 * ("tolower(proc.name)"). */
static bool lhs_field_ok(const char *s)
{
    char buf[256], err[200];
    const char *open = strchr(s, '(');
    if (open) {
        const char *close = strrchr(s, ')');
        if (!close || close < open || close[1])
            return false;
        size_t n = (size_t)(close - open - 1);
        if (n >= sizeof buf)
            return false;
        memcpy(buf, open + 1, n);
        buf[n] = 0;
        rl_trim(buf);       /* "tolower( proc.name)" is accepted */
        return lhs_field_ok(buf);
    }
    struct field_ref ref;
    size_t used = 0;
    if (field_ref_parse(s, &used, &ref, err, sizeof err) < 0)
        return false;
    field_ref_free(&ref);
    return !s[used];
}

static int check_exception_fields(const struct rl_rule *ru, struct rules_diag *d)
{
    for (size_t i = 0; i < ru->nexc; i++) {
        const struct rl_exception *e = &ru->exc[i];
        size_t n = e->fields.is_list ? e->fields.n : 1;
        for (size_t j = 0; j < n; j++) {
            const char *f = e->fields.is_list ? e->fields.items[j].item : e->fields.item;
            if (!f || !lhs_field_ok(f)) {
                rl_errf(d, &e->pos, "exception", e->name,
                        "'%s' is not a supported filter field", f ? f : "");
                return -1;
            }
        }
    }
    return 0;
}

static int compile_rule(struct rules *r, struct rl_rule *ru, struct rules_diag *d)
{
    if (!ru->pub.known_source)
        return 0;
    int warned = 0;
    if (check_exception_fields(ru, d) < 0)
        return -1;
    /* Falco master drops %container.info (the container plugin appends
     * its fields instead) */
    char *ci;
    while ((ci = strstr(ru->output, "%container.info"))) {
        memmove(ci, ci + 15, strlen(ci + 15) + 1);
        if (!warned++)
            rl_warn(r, &ru->pos, "rule", ru->name,
                    "%%container.info is deprecated and no more useful, and will be dropped "
                    "by Falco 1.0.0. The container plugin will automatically add required "
                    "fields to the output message.");
    }
    char err[400];
    struct outfmt *of = outfmt_new(ru->output, false, err, sizeof err);
    if (!of) {
        if (ru->pub.skip_if_unknown_filter && strstr(err, "unknown field")) {
            rl_warn(r, &ru->pos, "rule", ru->name, "output: %s (rule skipped)", err);
            ru->pub.skipped = true;
            return 0;
        }
        rl_errf(d, &ru->pos, "rule", ru->name, "invalid formatting token: output: %s", err);
        return -1;
    }
    outfmt_free(of);
    /* Falco >= 0.42 sees only exit events: evt.dir says nothing */
    if (strstr(ru->output, "evt.dir"))
        rl_warn(r, &ru->pos, "rule", ru->name,
                "usage of deprecated field 'evt.dir' has been detected in the rule output");
    struct filter_env env = { .ctx = r, .macro = env_macro, .list = env_list };
    struct filter_error fe;
    ru->pub.filter = filter_compile(ru->expanded, &env, &fe);
    if (!ru->pub.filter) {
        if (ru->pub.skip_if_unknown_filter &&
            (strstr(fe.msg, "unknown field") || strstr(fe.msg, "unknown event type"))) {
            rl_warn(r, &ru->pos, "rule", ru->name, "condition: %s (rule skipped)", fe.msg);
            ru->pub.skipped = true;
            return 0;
        }
        rl_errf(d, &ru->pos, "rule", ru->name, "condition: %s", fe.msg);
        return -1;
    }
    /* Falco indexes rules by event type; one that any event may match
     * runs on every event (an empty set is fine: never_true) */
    const char *const *types;
    size_t ntypes = 0;
    if (filter_event_types(ru->pub.filter, &types))
        while (types[ntypes])
            ntypes++;
    else
        ntypes = SIZE_MAX;
    if (ntypes > 100 && ru->pub.warn_evttypes)
        rl_warn(r, &ru->pos, "rule", ru->name,
                "Rule matches too many evt.type values. This has a significant performance "
                "penalty.");
    return 0;
}

int rules_compile(struct rules *r, struct rules_diag *d)
{
    d->msg[0] = 0;
    if (!r->checked && rules_check(r, d) < 0)
        return -1;
    for (size_t i = 0; i < r->nrules; i++) {
        struct rl_rule *ru = &r->rules[i];
        filter_free(ru->pub.filter);
        ru->pub.filter = NULL;
        ru->pub.skipped = false;
        if (compile_rule(r, ru, d) < 0)
            return -1;
        rl_sync_pub(ru);
    }
    return 0;
}
