/* rules_collect.c -- Falco's collector: how each list, macro and rule item
 * changes what was loaded before it (define, append, selective replace,
 * enable), with falco userspace/engine/rule_loader_collector.cpp's checks
 * and wording. rules_read.c decodes the items and calls in here.
 *
 * Each list, macro and rule carries Falco's two counters: index (where it
 * was first defined; a redefinition keeps the place) and visibility (the
 * counter at its last redefinition or append). rules_expand.c uses them to
 * decide which lists and macros an item may see. The counter runs on
 * across files. */
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

#define ERROR_NO_PREVIOUS_MACRO \
    "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists"
#define ERROR_NO_PREVIOUS_LIST \
    "List uses 'append' or 'override.items: append' but no list by that name already exists"

/* ---- lists and macros ---- */

int rl_list_collect(struct rules *r, const char *name, char **items, size_t n, bool append,
                    const struct rl_pos *pos, struct rules_diag *d)
{
    struct rl_list *prev = rl_find_list(r, name);
    if (append) {
        if (!prev) {
            rl_errf(d, pos, "list", name, ERROR_NO_PREVIOUS_LIST);
            rl_strv_free(items, n);
            return -1;
        }
        prev->items = rl_xrealloc(prev->items, (prev->n + n) * sizeof *prev->items);
        if (n) /* memcpy from NULL is undefined even for 0 bytes */
            memcpy(prev->items + prev->n, items, n * sizeof *items);
        prev->n += n;
        free(items);
        prev->visibility = r->cur_index++;
    } else if (prev) {
        /* a redefinition replaces the list but keeps its place */
        rl_strv_free(prev->items, prev->n);
        prev->items = items;
        prev->n = n;
        prev->visibility = r->cur_index++;
        prev->pos = *pos;
    } else {
        if (r->nlists == r->caplists) {
            r->caplists = r->caplists ? 2 * r->caplists : 64;
            r->lists = rl_xrealloc(r->lists, r->caplists * sizeof *r->lists);
        }
        r->lists[r->nlists++] = (struct rl_list){ .name = rl_xstrdup(name), .items = items,
            .n = n, .index = r->cur_index, .visibility = r->cur_index, .pos = *pos };
        r->cur_index++;
    }
    return 0;
}

int rl_macro_collect(struct rules *r, const char *name, const char *cond, bool append,
                     const struct rl_pos *pos, struct rules_diag *d)
{
    struct rl_macro *prev = rl_find_macro(r, name);
    if (append) {
        if (!prev) {
            rl_errf(d, pos, "macro", name, ERROR_NO_PREVIOUS_MACRO);
            return -1;
        }
        size_t a = strlen(prev->cond), b = strlen(cond);
        prev->cond = rl_xrealloc(prev->cond, a + b + 2);
        prev->cond[a] = ' ';
        memcpy(prev->cond + a + 1, cond, b + 1);
        prev->visibility = r->cur_index++;
    } else if (prev) {
        free(prev->cond);
        prev->cond = rl_xstrdup(cond);
        prev->visibility = r->cur_index++;
        prev->pos = *pos;
    } else {
        if (r->nmacros == r->capmacros) {
            r->capmacros = r->capmacros ? 2 * r->capmacros : 64;
            r->macros = rl_xrealloc(r->macros, r->capmacros * sizeof *r->macros);
        }
        r->macros[r->nmacros++] = (struct rl_macro){ .name = rl_xstrdup(name),
            .cond = rl_xstrdup(cond), .index = r->cur_index, .visibility = r->cur_index,
            .pos = *pos };
        r->cur_index++;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void rl_tags_normalise(char **t, size_t *n)
{
    if (!*n)
        return;
    qsort(t, *n, sizeof *t, cmp_str);
    size_t w = 1;
    for (size_t i = 1; i < *n; i++) {
        if (!strcmp(t[i], t[w - 1]))
            free(t[i]);
        else
            t[w++] = t[i];
    }
    *n = w;
}

/* ---- the collector for rules (falco rule_loader_collector.cpp) ---- */

#define ERROR_NO_PREVIOUS_RULE_APPEND \
    "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists"
#define ERROR_NO_PREVIOUS_RULE_REPLACE                                                      \
    "An 'override.<key>: replace' to a rule was requested but no rule by that name already " \
    "exists"

static const char *const known_sources[] = { "syscall", NULL };

static bool source_known(const char *s)
{
    for (const char *const *p = known_sources; *p; p++)
        if (!strcmp(*p, s))
            return true;
    return false;
}

/* find_prev_rule: both sources given and different is an error. */
static int find_prev(struct rules *r, const char *name, const char *source,
                     const struct rl_pos *pos, struct rl_rule **prev, struct rules_diag *d)
{
    *prev = rl_find_rule(r, name);
    if (*prev && *(*prev)->source && *source && strcmp((*prev)->source, source)) {
        rl_errf(d, pos, "rule", name, "Rule has been re-defined with a different source");
        return -1;
    }
    return 0;
}

void rl_update_free(struct rl_update *u)
{
    free(u->cond);
    free(u->output);
    free(u->desc);
    rl_strv_free(u->tags, u->ntags);
    for (size_t i = 0; i < u->nexc; i++)
        rl_exception_free(&u->exc[i]);
    free(u->exc);
    u->cond = u->output = u->desc = NULL;
    u->tags = NULL;
    u->exc = NULL;
    u->ntags = u->nexc = 0;
}

int rl_rule_define(struct rules *r, struct rl_rule *ru, struct rules_diag *d)
{
    struct rl_rule *prev;
    if (find_prev(r, ru->name, ru->source, &ru->pos, &prev, d) < 0)
        goto fail;
    ru->pub.known_source = source_known(ru->source);
    if (!ru->pub.known_source)
        rl_warn(r, &ru->pos, "rule", ru->name, "Unknown source %s, skipping", ru->source);
    for (size_t i = 0; i < ru->nexc; i++) {
        struct rl_exception *x = &ru->exc[i];
        if (!rl_entry_valid(&x->fields)) {
            rl_errf(d, &x->pos, "exception", x->name,
                    "Rule exception item must have fields property with a list of fields");
            goto fail;
        }
        if (rl_validate_exception(x, ru->name, d) < 0)
            goto fail;
    }
    if (prev) {
        /* a redefinition replaces the rule but keeps its place */
        ru->index = prev->index;
        rl_rule_clear(prev);
        *prev = *ru;
        rl_sync_pub(prev);
    } else {
        if (r->nrules == r->caprules) {
            r->caprules = r->caprules ? 2 * r->caprules : 64;
            r->rules = rl_xrealloc(r->rules, r->caprules * sizeof *r->rules);
        }
        ru->index = r->cur_index;
        r->rules[r->nrules] = *ru;
        rl_sync_pub(&r->rules[r->nrules++]);
    }
    r->cur_index++;
    memset(ru, 0, sizeof *ru);
    return 0;
fail:
    rl_rule_clear(ru);
    return -1;
}

static void str_append(char **dst, const char *add)
{
    if (!add || !*add)
        return;
    size_t a = strlen(*dst), b = strlen(add);
    *dst = rl_xrealloc(*dst, a + b + 2);
    (*dst)[a] = ' ';
    memcpy(*dst + a + 1, add, b + 1);
}

static void str_replace(char **dst, char **src)
{
    free(*dst);
    *dst = *src;
    *src = NULL;
}

static void tags_take(struct rl_rule *ru, struct rl_update *u, bool replace)
{
    if (replace) {
        rl_strv_free(ru->tags, ru->ntags);
        ru->tags = NULL;
        ru->ntags = 0;
    }
    ru->tags = rl_xrealloc(ru->tags, (ru->ntags + u->ntags) * sizeof *ru->tags);
    if (u->ntags) /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(ru->tags + ru->ntags, u->tags, u->ntags * sizeof *u->tags);
    ru->ntags += u->ntags;
    free(u->tags);
    u->tags = NULL;
    u->ntags = 0;
    rl_tags_normalise(ru->tags, &ru->ntags);
}

static void values_take(struct rl_exception *dst, struct rl_exception *src)
{
    dst->values = rl_xrealloc(dst->values,
                              (dst->nvalues + src->nvalues) * sizeof *dst->values);
    if (src->nvalues) /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(dst->values + dst->nvalues, src->values, src->nvalues * sizeof *src->values);
    dst->nvalues += src->nvalues;
    free(src->values);
    src->values = NULL;
    src->nvalues = 0;
}

static void exc_push(struct rl_rule *ru, struct rl_exception *x)
{
    ru->exc = rl_xrealloc(ru->exc, (ru->nexc + 1) * sizeof *ru->exc);
    ru->exc[ru->nexc++] = *x;
    memset(x, 0, sizeof *x);
}

int rl_rule_append(struct rules *r, struct rl_update *u, struct rules_diag *d)
{
    struct rl_rule *prev;
    int rc = -1;
    if (find_prev(r, u->name, u->source, &u->pos, &prev, d) < 0)
        goto out;
    if (!prev) {
        rl_errf(d, &u->pos, "rule", u->name, ERROR_NO_PREVIOUS_RULE_APPEND);
        goto out;
    }
    if (!u->has) {
        rl_errf(d, &u->pos, "rule", u->name,
                "Appended rule must have exceptions or condition property");
        goto out;
    }
    str_append(&prev->cond, u->cond);
    str_append(&prev->output, u->output);
    str_append(&prev->desc, u->desc);
    if (u->has & OV_TAGS)
        tags_take(prev, u, false);
    for (size_t i = 0; i < u->nexc; i++) {
        struct rl_exception *x = &u->exc[i], *px = NULL;
        for (size_t j = 0; j < prev->nexc && !px; j++)
            if (!strcmp(prev->exc[j].name, x->name))
                px = &prev->exc[j];
        if (!px) {
            if (!rl_entry_valid(&x->fields)) {
                rl_errf(d, &x->pos, "exception", x->name,
                        "Rule exception must have fields property with a list of fields");
                goto out;
            }
            if (!x->nvalues) {
                rl_errf(d, &x->pos, "exception", x->name,
                        "Rule exception must have values property with a list of values");
                goto out;
            }
            if (rl_validate_exception(x, u->name, d) < 0)
                goto out;
            exc_push(prev, x);
        } else {
            if (rl_entry_valid(&x->fields)) {
                rl_errf(d, &x->pos, "exception", x->name,
                        "Can not append exception fields to existing exception, only values");
                goto out;
            }
            if (rl_entry_valid(&x->comps)) {
                rl_errf(d, &x->pos, "exception", x->name,
                        "Can not append exception comps to existing exception, only values");
                goto out;
            }
            values_take(px, x);
        }
    }
    r->cur_index++;
    rl_sync_pub(prev);
    rc = 0;
out:
    rl_update_free(u);
    return rc;
}

int rl_rule_replace(struct rules *r, struct rl_update *u, struct rules_diag *d)
{
    struct rl_rule *prev;
    int rc = -1;
    if (find_prev(r, u->name, u->source, &u->pos, &prev, d) < 0)
        goto out;
    if (!prev) {
        rl_errf(d, &u->pos, "rule", u->name, ERROR_NO_PREVIOUS_RULE_REPLACE);
        goto out;
    }
    if (!u->has) {
        rl_errf(d, &u->pos, "rule", u->name,
                "The rule must have at least one field that can be replaced");
        goto out;
    }
    if (u->has & OV_COND)
        str_replace(&prev->cond, &u->cond);
    if (u->has & OV_OUTPUT)
        str_replace(&prev->output, &u->output);
    if (u->has & OV_DESC)
        str_replace(&prev->desc, &u->desc);
    if (u->has & OV_TAGS)
        tags_take(prev, u, true);
    if (u->has & OV_EXC) {
        /* Falco does not default the comps of replaced exceptions; we do,
         * so that the condition text is always well formed */
        for (size_t i = 0; i < u->nexc; i++)
            if (rl_validate_exception(&u->exc[i], u->name, d) < 0)
                goto out;
        for (size_t i = 0; i < prev->nexc; i++)
            rl_exception_free(&prev->exc[i]);
        prev->nexc = 0;
        for (size_t i = 0; i < u->nexc; i++)
            exc_push(prev, &u->exc[i]);
    }
    if (u->has & OV_PRIO)
        prev->pub.priority = u->prio;
    if (u->has & OV_CAPTURE)
        prev->pub.capture = u->capture;
    if (u->has & OV_CAPDUR)
        prev->pub.capture_duration = u->capdur;
    if (u->has & OV_ENABLED)
        prev->pub.enabled = u->enabled;
    if (u->has & OV_WARN)
        prev->pub.warn_evttypes = u->warn_evttypes;
    if (u->has & OV_SKIP)
        prev->pub.skip_if_unknown_filter = u->skip;
    r->cur_index++;
    rl_sync_pub(prev);
    rc = 0;
out:
    rl_update_free(u);
    return rc;
}

int rl_rule_enable(struct rules *r, const char *name, bool enabled, const struct rl_pos *pos,
                   struct rules_diag *d)
{
    struct rl_rule *prev = rl_find_rule(r, name);
    if (!prev) {
        rl_errf(d, pos, "rule", name,
                "Rule has 'enabled' key but no rule by that name already exists");
        return -1;
    }
    prev->pub.enabled = enabled;
    return 0;
}

