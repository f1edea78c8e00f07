/* rules_read.c -- Falco's reader: which key makes an item a list, macro,
 * rule or version requirement, its required and optional keys and their
 * types, exception blocks and override blocks, with the error and warning
 * wording of falco userspace/engine/rule_loader_reader.cpp. Each item is
 * handed to the collector (rules_collect.c) as soon as it is read, so a
 * later item sees the effect of earlier ones, across files. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

/* Exception values are a tuple of items or lists of items: three levels
 * under "values". YAML aliases can make a small file name the same
 * sequence millions of times, so the entries decoded per file are capped
 * too. */
#define MAX_ENTRY_DEPTH 4
#define MAX_ENTRIES_PER_FILE 1000000

/* ---- reading (Falco's rule_loader_reader.cpp) ---- */

struct rd {
    struct rules *r;
    yaml_document_t *doc;
    struct rules_diag *d;
    const char *file;
    size_t entries;         /* exception entries decoded so far */
};

static struct rl_pos pos_of(const struct rd *c, const yaml_node_t *n)
{
    return (struct rl_pos){ c->file, ry_line(n), ry_col(n) };
}

/* Reports an error at node and returns -1 from the calling reader
 * function: Falco's THROW, minus the exception. */
#define FAIL(c, node, kind, name, ...)                                    \
    do {                                                                  \
        struct rl_pos fp_ = pos_of((c), (node));                          \
        rl_errf((c)->d, &fp_, (kind), (name), __VA_ARGS__);               \
        return -1;                                                        \
    } while (0)

/* Falco's decode_val_generic for a string: 1 found, 0 absent (or empty
 * when allowed), -1 error. */
static int get_str(struct rd *c, const yaml_node_t *item, const char *key, const char *kind,
                   const char *name, bool optional, bool can_be_empty, const char **out)
{
    yaml_node_t *v = ry_get(c->doc, item, key);
    if (!v) {
        if (optional)
            return 0;
        FAIL(c, item, kind, name, "Item has no mapping for key '%s'", key);
    }
    if (ry_is_null(v)) {
        if (can_be_empty)
            return 0;
        FAIL(c, item, kind, name, "Mapping for key '%s' is empty", key);
    }
    if (v->type != YAML_SCALAR_NODE)
        FAIL(c, v, kind, name, "Value is not a scalar value (key '%s')", key);
    if (!*ry_str(v)) {
        if (can_be_empty)
            return 0;
        FAIL(c, v, kind, name, "Value must be non-empty (key '%s')", key);
    }
    *out = ry_str(v);
    return 1;
}

static int get_bool(struct rd *c, const yaml_node_t *item, const char *key, const char *kind,
                    const char *name, bool optional, bool *out)
{
    const char *s;
    int rc = get_str(c, item, key, kind, name, optional, false, &s);
    if (rc <= 0)
        return rc;
    if (!ry_to_bool(s, out))
        FAIL(c, ry_get(c->doc, item, key), kind, name,
             "Can't decode YAML scalar value for key '%s' as a boolean: '%s'", key, s);
    return 1;
}

static int get_u64(struct rd *c, const yaml_node_t *item, const char *key, const char *kind,
                   const char *name, uint64_t max, uint64_t *out)
{
    const char *s;
    int rc = get_str(c, item, key, kind, name, true, false, &s);
    if (rc <= 0)
        return rc;
    if (!ry_to_u64(s, max, out))
        FAIL(c, ry_get(c->doc, item, key), kind, name,
             "Can't decode YAML scalar value for key '%s' as a number: '%s'", key, s);
    return 1;
}

/* decode_seq: a sequence of scalars. 1 found, 0 absent (optional), -1. */
static int get_strv(struct rd *c, const yaml_node_t *item, const char *key, const char *kind,
                    const char *name, bool optional, char ***out, size_t *nout)
{
    yaml_node_t *v = ry_get(c->doc, item, key);
    *out = NULL;
    *nout = 0;
    if (!v) {
        if (optional)
            return 0;
        FAIL(c, item, kind, name, "Item has no mapping for key '%s'", key);
    }
    if (!ry_is_seq(v))
        FAIL(c, v, kind, name, "Value is not a sequence (key '%s')", key);
    size_t n = ry_len(v);
    char **a = rl_xrealloc(NULL, n * sizeof *a);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *e = ry_seq_at(c->doc, v, i);
        if (!ry_is_scalar(e)) {
            rl_strv_free(a, i);
            FAIL(c, e, kind, name, "sequence value is not scalar (key '%s')", key);
        }
        a[i] = rl_xstrdup(ry_str(e));
    }
    *out = a;
    *nout = n;
    return 1;
}

static int decode_entry(struct rd *c, const yaml_node_t *val, const char *key,
                        struct rl_entry *out, const char *name, int depth)
{
    if (depth > MAX_ENTRY_DEPTH)
        FAIL(c, val, "exception", name, "values nested more than %d deep", MAX_ENTRY_DEPTH);
    if (++c->entries > MAX_ENTRIES_PER_FILE)
        FAIL(c, val, "exception", name, "more than %d exception entries in one file",
             MAX_ENTRIES_PER_FILE);
    if (val->type == YAML_SCALAR_NODE && !ry_is_null(val)) {
        if (!*ry_str(val))
            FAIL(c, val, "exception", name, "Value must be non-empty (key '%s')", key);
        out->is_list = false;
        out->item = rl_xstrdup(ry_str(val));
    } else if (ry_is_seq(val)) {
        size_t n = ry_len(val);
        out->is_list = true;
        out->items = rl_xrealloc(NULL, n * sizeof *out->items);
        for (size_t i = 0; i < n; i++) {
            out->items[i] = (struct rl_entry){ 0 };
            out->n = i + 1;
            if (decode_entry(c, ry_seq_at(c->doc, val, i), key, &out->items[i], name,
                             depth + 1) < 0)
                return -1;
        }
    }
    return 0;
}

/* read_rule_exceptions: 1 when the key holds a sequence, 0 when absent or
 * null, -1 on error. append: fields may be left out. */
static int read_exceptions(struct rd *c, const yaml_node_t *item, const char *rule,
                           bool append, struct rl_exception **out, size_t *nout)
{
    yaml_node_t *exs = ry_get(c->doc, item, "exceptions");
    *out = NULL;
    *nout = 0;
    if (!exs || ry_is_null(exs))
        return 0;
    if (!ry_is_seq(exs))
        FAIL(c, exs, "rule", rule, "Rule exceptions must be a sequence");
    size_t n = ry_len(exs);
    struct rl_exception *a = rl_xrealloc(NULL, (n ? n : 1) * sizeof *a);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *ex = ry_seq_at(c->doc, exs, i);
        struct rl_exception *x = &a[i];
        memset(x, 0, sizeof *x);
        *nout = i + 1;
        *out = a;
        x->pos = pos_of(c, ex);
        if (!ry_is_map(ex))
            FAIL(c, ex, "rule", rule, "Rule exception must be a mapping");
        const char *nm;
        if (get_str(c, ex, "name", "exception", "", false, false, &nm) < 0)
            return -1;
        x->name = rl_xstrdup(nm);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(a[j].name, nm))
                rl_warn(c->r, &x->pos, "exception", nm,
                        "Multiple definitions of exception '%s' in the same rule", nm);
        yaml_node_t *f = ry_get(c->doc, ex, "fields");
        if (!f && !append)
            FAIL(c, ex, "exception", nm, "Item has no mapping for key 'fields'");
        if (f && decode_entry(c, f, "fields", &x->fields, nm, 0) < 0)
            return -1;
        yaml_node_t *cp = ry_get(c->doc, ex, "comps");
        if (cp && decode_entry(c, cp, "comps", &x->comps, nm, 0) < 0)
            return -1;
        yaml_node_t *vals = ry_get(c->doc, ex, "values");
        if (vals) {
            if (!ry_is_seq(vals))
                FAIL(c, vals, "exception", nm, "Rule exception values must be a sequence");
            size_t nv = ry_len(vals);
            x->values = rl_xrealloc(NULL, (nv ? nv : 1) * sizeof *x->values);
            for (size_t j = 0; j < nv; j++) {
                x->values[j] = (struct rl_entry){ 0 };
                x->nvalues = j + 1;
                if (decode_entry(c, ry_seq_at(c->doc, vals, j), "values", &x->values[j], nm,
                                 1) < 0)
                    return -1;
            }
        } else if (append) {
            rl_warn(c->r, &x->pos, "exception", nm,
                    "Overriding/appending exception with no values");
        }
    }
    *out = a;
    *nout = n;
    return 1;
}

static void warn_unknown_keys(struct rd *c, const yaml_node_t *item, const char *const *known,
                              const char *kind, const char *name)
{
    size_t n = ry_len(item);
    for (size_t i = 0; i < n; i++) {
        const char *k = ry_str(ry_pair_key(c->doc, item, i));
        const char *const *p = known;
        while (*p && strcmp(*p, k))
            p++;
        if (!*p) {
            struct rl_pos pos = pos_of(c, ry_pair_key(c->doc, item, i));
            rl_warn(c->r, &pos, kind, name, "Unknown key '%s'. The key will be ignored.", k);
        }
    }
}

#define WARNING_APPEND                                                                    \
    "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under " \
    "'override' instead."
#define ERROR_OVERRIDE_APPEND                                                                 \
    "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry "    \
    "(e.g. 'condition: append') under 'override' instead."

/* The names of the OV_* bits, in bit order. */
static const char *const ov_keys[] = { "condition", "output", "desc", "tags", "exceptions",
    "priority", "capture", "capture_duration", "enabled", "warn_evttypes",
    "skip-if-unknown-filter", "items", NULL };

static unsigned ov_bit(const char *key)
{
    for (unsigned i = 0; ov_keys[i]; i++)
        if (!strcmp(ov_keys[i], key))
            return 1u << i;
    return 0;
}

/* decode_overrides: fills the append and replace key sets. */
static int read_overrides(struct rd *c, const yaml_node_t *item, unsigned can_append,
                          unsigned can_replace, unsigned *app, unsigned *rep, const char *kind,
                          const char *name)
{
    *app = *rep = 0;
    yaml_node_t *ov = ry_get(c->doc, item, "override");
    if (!ov || ry_is_null(ov) || ov->type == YAML_SCALAR_NODE)
        return 0;   /* yaml-cpp iterates nothing over a scalar */
    if (!ry_is_map(ov))
        FAIL(c, ov, kind, name, "Value for key 'override' must be a mapping");
    size_t n = ry_len(ov);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *kn = ry_pair_key(c->doc, ov, i), *vn = ry_pair_val(c->doc, ov, i);
        if (kn->type != YAML_SCALAR_NODE || vn->type != YAML_SCALAR_NODE)
            FAIL(c, kn, kind, name, "override entries must be 'key: append|replace'");
        const char *key = ry_str(kn), *op = ry_str(vn);
        unsigned bit = ov_bit(key);
        if (!strcmp(op, "append")) {
            if (!(bit & can_append))
                FAIL(c, kn, kind, name, "Key '%s' cannot be appended to, use 'replace' instead",
                     key);
            *app |= bit;
        } else if (!strcmp(op, "replace")) {
            if (!(bit & can_replace))
                FAIL(c, kn, kind, name, "Key '%s' cannot be replaced", key);
            *rep |= bit;
        } else {
            FAIL(c, vn, kind, name,
                 "Invalid override operation for key '%s': '%s'. Allowed values are: %s%s", key,
                 op, bit & can_append ? "append " : "", bit & can_replace ? "replace " : "");
        }
    }
    return 0;
}

/* Falco's RGX_BARESTR and RGX_IDENTIFIER, full match. */
static bool is_barestr(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (strchr("()\"' \t\n\r\f\v=,", *s))
            return false;
    return true;
}

static bool is_identifier(const char *s)
{
    const char *p = s;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
        p++;
    if (p == s)
        return false;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '_')
        p++;
    return !*p;
}


/* ---- lists and macros ---- */

#define WARNING_ENABLED                                                                        \
    "The standalone 'enabled' key usage is deprecated. The correct approach requires also a " \
    "'replace' entry under the 'override' key (i.e. 'enabled: replace')."

static int read_list(struct rd *c, const yaml_node_t *item)
{
    struct rules *r = c->r;
    const char *name;
    if (get_str(c, item, "list", "list", "", false, false, &name) < 0)
        return -1;
    struct rl_pos pos = pos_of(c, item);
    if (!is_barestr(name))
        rl_warn(r, &pos, "list", name,
                "List has an invalid name. List names should match a regular expression: "
                "([^()\"'[:space:]=,]+)");
    char **items;
    size_t n;
    if (get_strv(c, item, "items", "list", name, false, &items, &n) < 0)
        return -1;
    bool append = false;
    unsigned app, rep;
    if (get_bool(c, item, "append", "list", name, true, &append) < 0 ||
        read_overrides(c, item, OV_ITEMS, OV_ITEMS, &app, &rep, "list", name) < 0)
        goto fail;
    if (append)
        rl_warn(r, &pos, "list", name, WARNING_APPEND);
    if (append && (app | rep)) {
        rl_errf(c->d, &pos, "list", name, ERROR_OVERRIDE_APPEND);
        goto fail;
    }
    if (rl_list_collect(r, name, items, n, append || (app & OV_ITEMS), &pos, c->d) < 0)
        return -1;
    static const char *const keys[] = { "list", "items", "append", "override", NULL };
    warn_unknown_keys(c, item, keys, "list", name);
    return 0;
fail:
    rl_strv_free(items, n);
    return -1;
}

static int read_macro(struct rd *c, const yaml_node_t *item)
{
    struct rules *r = c->r;
    const char *name, *cond;
    if (get_str(c, item, "macro", "macro", "", false, false, &name) < 0)
        return -1;
    struct rl_pos pos = pos_of(c, item);
    if (!is_identifier(name))
        rl_warn(r, &pos, "macro", name,
                "Macro has an invalid name. Macro names should match a regular expression: "
                "([a-zA-Z]+[a-zA-Z0-9_]*)");
    if (get_str(c, item, "condition", "macro", name, false, false, &cond) < 0)
        return -1;
    bool append = false;
    unsigned app, rep;
    if (get_bool(c, item, "append", "macro", name, true, &append) < 0)
        return -1;
    if (append)
        rl_warn(r, &pos, "macro", name, WARNING_APPEND);
    if (read_overrides(c, item, OV_COND, OV_COND, &app, &rep, "macro", name) < 0)
        return -1;
    if (append && (app | rep)) {
        rl_errf(c->d, &pos, "macro", name, ERROR_OVERRIDE_APPEND);
        return -1;
    }
    if (rl_macro_collect(r, name, cond, append || (app & OV_COND), &pos, c->d) < 0)
        return -1;
    static const char *const keys[] = { "macro", "condition", "append", "override", NULL };
    warn_unknown_keys(c, item, keys, "macro", name);
    return 0;
}

/* ---- rules ---- */

static bool defined(struct rd *c, const yaml_node_t *item, const char *key)
{
    return ry_get(c->doc, item, key) != NULL;
}

static int dup_str(struct rd *c, const yaml_node_t *item, const char *key, const char *name,
                   char **out)
{
    const char *s;
    int rc = get_str(c, item, key, "rule", name, false, false, &s);
    if (rc > 0)
        *out = rl_xstrdup(s);
    return rc;
}

static int get_priority(struct rd *c, const yaml_node_t *item, const char *name,
                        enum rules_priority *out)
{
    const char *s;
    if (get_str(c, item, "priority", "rule", name, false, false, &s) < 0)
        return -1;
    if (!rules_priority_parse(s, out))
        FAIL(c, ry_get(c->doc, item, "priority"), "rule", name, "Invalid priority '%s'", s);
    return 0;
}

/* check_update_expected: is key under override op, and then present? */
static int expect_key(struct rd *c, unsigned *expected, unsigned ops, const char *op,
                      unsigned bit, const char *name, const yaml_node_t *item, bool *take)
{
    *take = false;
    if (!(ops & bit))
        return 0;
    const char *key = ov_keys[__builtin_ctz(bit)];
    if (!(*expected & bit))
        FAIL(c, item, "rule", name,
             "An %s override for '%s' was specified but '%s' is not defined", op, key, key);
    *expected &= ~bit;
    *take = true;
    return 0;
}

/* One override pass (append or replace) of a rule item into u. */
static int read_update(struct rd *c, const yaml_node_t *item, const char *name,
                       const char *source, unsigned ops, const char *op, unsigned *expected,
                       struct rl_update *u)
{
    bool take, append = !strcmp(op, "append");
    u->name = name;
    u->source = "";
    u->pos = pos_of(c, item);
    if (expect_key(c, expected, ops, op, OV_COND, name, item, &take) < 0)
        return -1;
    if (take) {
        u->source = source;
        if (dup_str(c, item, "condition", name, &u->cond) < 0)
            return -1;
        u->has |= OV_COND;
    }
    if (expect_key(c, expected, ops, op, OV_EXC, name, item, &take) < 0)
        return -1;
    if (take) {
        if (read_exceptions(c, item, name, append, &u->exc, &u->nexc) < 0)
            return -1;
        u->has |= OV_EXC;
    }
    static const unsigned strs[] = { OV_OUTPUT, OV_DESC };
    for (size_t i = 0; i < 2; i++) {
        if (expect_key(c, expected, ops, op, strs[i], name, item, &take) < 0)
            return -1;
        if (take) {
            if (dup_str(c, item, ov_keys[__builtin_ctz(strs[i])], name,
                        strs[i] == OV_OUTPUT ? &u->output : &u->desc) < 0)
                return -1;
            u->has |= strs[i];
        }
    }
    if (expect_key(c, expected, ops, op, OV_TAGS, name, item, &take) < 0)
        return -1;
    if (take) {
        if (get_strv(c, item, "tags", "rule", name, true, &u->tags, &u->ntags) < 0)
            return -1;
        u->has |= OV_TAGS;
    }
    if (append)
        return 0;
    if (expect_key(c, expected, ops, op, OV_PRIO, name, item, &take) < 0)
        return -1;
    if (take) {
        if (get_priority(c, item, name, &u->prio) < 0)
            return -1;
        u->has |= OV_PRIO;
    }
    static const unsigned bools[] = { OV_CAPTURE, OV_ENABLED, OV_WARN, OV_SKIP };
    bool *dst[] = { &u->capture, &u->enabled, &u->warn_evttypes, &u->skip };
    for (size_t i = 0; i < 4; i++) {
        if (expect_key(c, expected, ops, op, bools[i], name, item, &take) < 0)
            return -1;
        if (take) {
            if (get_bool(c, item, ov_keys[__builtin_ctz(bools[i])], "rule", name, false,
                         dst[i]) < 0)
                return -1;
            u->has |= bools[i];
        }
    }
    if (expect_key(c, expected, ops, op, OV_CAPDUR, name, item, &take) < 0)
        return -1;
    if (take) {
        if (get_u64(c, item, "capture_duration", "rule", name, UINT32_MAX, &u->capdur) < 0)
            return -1;
        u->has |= OV_CAPDUR;
    }
    return 0;
}

static int read_definition(struct rd *c, const yaml_node_t *item, const char *name)
{
    struct rl_rule ru = { 0 };
    const char *s;
    ru.pos = pos_of(c, item);
    ru.name = rl_xstrdup(name);
    ru.pub.enabled = true;
    ru.pub.warn_evttypes = true;
    if (dup_str(c, item, "condition", name, &ru.cond) < 0 ||
        dup_str(c, item, "output", name, &ru.output) < 0 ||
        dup_str(c, item, "desc", name, &ru.desc) < 0 ||
        get_priority(c, item, name, &ru.pub.priority) < 0)
        goto fail;
    rl_trim(ru.output);
    int rc = get_str(c, item, "source", "rule", name, true, false, &s);
    if (rc < 0)
        goto fail;
    ru.source = rl_xstrdup(rc > 0 ? s : "syscall");
    if (get_bool(c, item, "enabled", "rule", name, true, &ru.pub.enabled) < 0 ||
        get_bool(c, item, "capture", "rule", name, true, &ru.pub.capture) < 0 ||
        get_u64(c, item, "capture_duration", "rule", name, UINT32_MAX,
                &ru.pub.capture_duration) < 0 ||
        get_bool(c, item, "warn_evttypes", "rule", name, true, &ru.pub.warn_evttypes) < 0 ||
        get_bool(c, item, "skip-if-unknown-filter", "rule", name, true,
                 &ru.pub.skip_if_unknown_filter) < 0 ||
        get_strv(c, item, "tags", "rule", name, true, &ru.tags, &ru.ntags) < 0 ||
        read_exceptions(c, item, name, false, &ru.exc, &ru.nexc) < 0)
        goto fail;
    rl_tags_normalise(ru.tags, &ru.ntags);
    return rl_rule_define(c->r, &ru, c->d);
fail:
    rl_rule_clear(&ru);
    return -1;
}

static int read_rule(struct rd *c, const yaml_node_t *item)
{
    const char *name, *source = "";
    if (get_str(c, item, "rule", "rule", "", false, false, &name) < 0)
        return -1;
    struct rl_pos pos = pos_of(c, item);
    if (get_str(c, item, "source", "rule", name, true, true, &source) < 0)
        return -1;
    bool append = false;
    if (get_bool(c, item, "append", "rule", name, true, &append) < 0)
        return -1;
    if (append)
        rl_warn(c->r, &pos, "rule", name, WARNING_APPEND);
    const unsigned can_app = OV_COND | OV_OUTPUT | OV_DESC | OV_TAGS | OV_EXC;
    const unsigned can_rep = can_app | OV_PRIO | OV_CAPTURE | OV_CAPDUR | OV_ENABLED |
                             OV_WARN | OV_SKIP;
    unsigned app, rep;
    if (read_overrides(c, item, can_app, can_rep, &app, &rep, "rule", name) < 0)
        return -1;
    if (append && (app | rep)) {
        rl_errf(c->d, &pos, "rule", name, ERROR_OVERRIDE_APPEND);
        return -1;
    }
    if (app | rep) {
        unsigned expected = 0;
        for (unsigned i = 0; ov_keys[i]; i++)
            if (((can_app | can_rep) & (1u << i)) && defined(c, item, ov_keys[i]))
                expected |= 1u << i;
        struct rl_update u = { 0 };
        if (app) {
            if (read_update(c, item, name, source, app, "append", &expected, &u) < 0) {
                rl_update_free(&u);
                return -1;
            }
            if (rl_rule_append(c->r, &u, c->d) < 0)
                return -1;
        }
        if (rep) {
            u = (struct rl_update){ 0 };
            if (read_update(c, item, name, source, rep, "replace", &expected, &u) < 0) {
                rl_update_free(&u);
                return -1;
            }
            if (rl_rule_replace(c->r, &u, c->d) < 0)
                return -1;
        }
        /* Falco reports the first left-over key of a sorted set */
        static const char *const sorted[] = { "capture", "capture_duration", "condition",
            "desc", "enabled", "exceptions", "output", "priority", "skip-if-unknown-filter",
            "tags", "warn_evttypes", NULL };
        for (size_t i = 0; sorted[i]; i++)
            if (expected & ov_bit(sorted[i]))
                FAIL(c, ry_get(c->doc, item, sorted[i]), "rule", name,
                     "Unexpected key '%s': no corresponding entry under 'override' is defined.",
                     sorted[i]);
    } else if (append) {
        struct rl_update u = { .name = name, .source = source, .pos = pos };
        if (defined(c, item, "condition")) {
            if (dup_str(c, item, "condition", name, &u.cond) < 0)
                return -1;
            u.has |= OV_COND;
        }
        if (defined(c, item, "exceptions")) {
            if (read_exceptions(c, item, name, true, &u.exc, &u.nexc) < 0) {
                rl_update_free(&u);
                return -1;
            }
            u.has |= OV_EXC;
        }
        if (rl_rule_append(c->r, &u, c->d) < 0)
            return -1;
    } else if (!defined(c, item, "condition") && !defined(c, item, "output") &&
               !defined(c, item, "desc") && !defined(c, item, "priority")) {
        bool enabled;
        if (get_bool(c, item, "enabled", "rule", name, false, &enabled) < 0)
            return -1;
        rl_warn(c->r, &pos, "rule", name, WARNING_ENABLED);
        if (rl_rule_enable(c->r, name, enabled, &pos, c->d) < 0)
            return -1;
    } else if (read_definition(c, item, name) < 0) {
        return -1;
    }
    static const char *const keys[] = { "rule", "condition", "output", "desc", "priority",
        "source", "enabled", "capture", "capture_duration", "warn_evttypes",
        "skip-if-unknown-filter", "tags", "exceptions", "override", "append", NULL };
    warn_unknown_keys(c, item, keys, "rule", name);
    return 0;
}

/* ---- versions ---- */

struct semver {
    unsigned major, minor, patch;
};

/* sinsp_version's parse: three numbers with dots (sscanf, so trailing
 * text is tolerated as it is there). */
static bool semver_parse(const char *s, struct semver *v)
{
    return sscanf(s, "%u.%u.%u", &v->major, &v->minor, &v->patch) == 3;
}

static int semver_cmp(const struct semver *a, const struct semver *b)
{
    if (a->major != b->major)
        return a->major < b->major ? -1 : 1;
    if (a->minor != b->minor)
        return a->minor < b->minor ? -1 : 1;
    if (a->patch != b->patch)
        return a->patch < b->patch ? -1 : 1;
    return 0;
}

static int read_engine_version(struct rd *c, const yaml_node_t *item)
{
    const char *k = "required_engine_version", *s;
    if (get_str(c, item, k, k, NULL, false, false, &s) < 0)
        return -1;
    struct semver want, have;
    uint64_t n;
    bool ok = semver_parse(RULES_ENGINE_VERSION, &have);
    assert(ok);
    if (ry_to_u64(s, UINT32_MAX, &n)) {
        /* a bare integer N is Falco's old engine numbering: 0.N.0 */
        want = (struct semver){ have.major, (unsigned)n, 0 };
    } else if (!semver_parse(s, &want)) {
        FAIL(c, item, k, NULL,
             "Unable to parse engine version '%s' as a semver string. Expected \"x.y.z\" "
             "semver format.", s);
    }
    if (want.major != have.major || semver_cmp(&have, &want) < 0)
        FAIL(c, item, k, NULL, "Rules require engine version %u.%u.%u, but engine version is %s",
             want.major, want.minor, want.patch, RULES_ENGINE_VERSION);
    static const char *const keys[] = { "required_engine_version", NULL };
    warn_unknown_keys(c, item, keys, k, NULL);
    return 0;
}

static int read_plugin_req(struct rd *c, const yaml_node_t *req, const char *kind,
                           const char **name)
{
    const char *ver;
    struct semver v;
    if (!ry_is_map(req))
        FAIL(c, req, kind, NULL, "Plugin version must be a mapping");
    if (get_str(c, req, "name", kind, NULL, false, false, name) < 0 ||
        get_str(c, req, "version", kind, *name, false, false, &ver) < 0)
        return -1;
    if (!semver_parse(ver, &v))
        FAIL(c, req, kind, *name, "Invalid required version '%s' for plugin '%s'", ver, *name);
    return 0;
}

/* Plugins do not exist offline: the requirements are checked for form
 * and otherwise ignored. */
static int read_plugin_versions(struct rd *c, const yaml_node_t *item)
{
    const char *k = "required_plugin_versions";
    yaml_node_t *v = ry_get(c->doc, item, k);
    if (!ry_is_seq(v))
        FAIL(c, v, k, NULL, "Value of required_plugin_versions must be a sequence");
    for (size_t i = 0; i < ry_len(v); i++) {
        yaml_node_t *p = ry_seq_at(c->doc, v, i);
        const char *name, *alt;
        if (read_plugin_req(c, p, k, &name) < 0)
            return -1;
        yaml_node_t *alts = ry_get(c->doc, p, "alternatives");
        if (!alts)
            continue;
        if (!ry_is_seq(alts))
            FAIL(c, alts, k, name, "Value of plugin version alternatives must be a sequence");
        for (size_t j = 0; j < ry_len(alts); j++) {
            yaml_node_t *a = ry_seq_at(c->doc, alts, j);
            if (read_plugin_req(c, a, k, &alt) < 0)
                return -1;
            if (!strcmp(alt, name))
                FAIL(c, a, k, name,
                     "Defined multiple alternative version requirements for plugin '%s'", alt);
        }
    }
    static const char *const keys[] = { "required_plugin_versions", NULL };
    warn_unknown_keys(c, item, keys, k, NULL);
    return 0;
}

/* ---- items and documents ---- */

static int read_item(struct rd *c, const yaml_node_t *item)
{
    if (!ry_is_map(item))
        FAIL(c, item, "", "",
             "Unexpected element type. Each element should be a yaml associative array.");
    if (defined(c, item, "required_engine_version"))
        return read_engine_version(c, item);
    if (defined(c, item, "required_plugin_versions"))
        return read_plugin_versions(c, item);
    if (defined(c, item, "list"))
        return read_list(c, item);
    if (defined(c, item, "macro"))
        return read_macro(c, item);
    if (defined(c, item, "rule"))
        return read_rule(c, item);
    struct rl_pos pos = pos_of(c, item);
    rl_warn(c->r, &pos, "", "", "Unknown top level item");
    return 0;
}

int rl_read_file(struct rules *r, struct ry_file *f, const char *file, struct rules_diag *d)
{
    struct rd c = { .r = r, .d = d, .file = file };
    for (size_t i = 0; i < f->ndocs; i++) {
        c.doc = &f->docs[i];
        yaml_node_t *root = ry_root(f, i);
        if (!root || ry_is_null(root))
            continue;
        if (!ry_is_seq(root) && !ry_is_map(root))
            FAIL(&c, root, "", "", "Rules content is not yaml");
        if (!ry_is_seq(root))
            FAIL(&c, root, "", "", "Rules content is not yaml array of objects");
        for (size_t j = 0; j < ry_len(root); j++) {
            yaml_node_t *item = ry_seq_at(c.doc, root, j);
            if (ry_is_null(item))
                continue;
            /* Falco stops at the first error, even across documents */
            if (read_item(&c, item) < 0)
                return -1;
        }
    }
    return 0;
}
