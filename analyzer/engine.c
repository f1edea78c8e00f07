/* engine.c -- the rules engine (see engine.h for the design): rule
 * selection from the options, the per-schema event-type index, and the
 * per-event evaluation loop.
 *
 * The index of a slot is a CSR table: off[id]..off[id+1] are positions in
 * list[] holding rule numbers in load order, and in flt[] the filter
 * evaluated for each: the rule's own specialised for the id's definition
 * (filter_specialize: its evt.type and evt.dir checks decided once, a
 * third of the rules' time on Falco's rules), or the rule's own when
 * nothing could be decided. A rule that can match no event of the id is
 * left out. Id max_id (one past the schema's) stands for any id the schema
 * does not declare; it holds only the any-type rules, so a corrupt type
 * still meets the rules that match every event and nothing else. */
#include "engine.h"

#include <assert.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

struct erule {
    const struct rules_rule *rule;
    const struct filter *filter;
    const char *const *types;   /* filter_event_types names; NULL = any type */
    uint64_t hits;
};

struct eindex {
    uint32_t ntypes;            /* schema max_id; id ntypes = undeclared */
    uint32_t *off;              /* ntypes + 2 entries */
    uint32_t *list;
    const struct filter **flt;  /* beside list */
    uint32_t **slots;           /* beside list: the filter's slots in the memo */
    struct filter **own;        /* the specialisations made for this slot */
    size_t nown;
};

struct engine {
    enum engine_matching matching;
    struct erule *rules;
    size_t n, dropped, any;
    struct eindex *idx;
    size_t nidx, idx_cap;
    /* Verdicts the rules of one event share (filter_eval_memo): Falco's
     * macros make the open rules repeat their checks. */
    struct filter_memo *memo;
    uint64_t evaluations;
};

bool engine_matching_parse(const char *s, enum engine_matching *out)
{
    if (strcmp(s, "all") == 0)
        *out = ENGINE_MATCH_ALL;
    else if (strcmp(s, "first") == 0)
        *out = ENGINE_MATCH_FIRST;
    else
        return false;
    return true;
}

static bool tagged(const struct rules_rule *ru, const char *const *tags, size_t n)
{
    for (size_t i = 0; i < ru->ntags; i++)
        for (size_t k = 0; k < n; k++)
            if (strcmp(ru->tags[i], tags[k]) == 0)
                return true;
    return false;
}

static bool disabled_by_name(const struct rules_rule *ru, const struct engine_opts *o,
                             bool *used)
{
    bool hit = false;
    for (size_t k = 0; k < o->ndisabled; k++) {
        if (strcmp(ru->name, o->disabled[k]) == 0 || fnmatch(o->disabled[k], ru->name, 0) == 0) {
            used[k] = true;
            hit = true;
        }
    }
    return hit;
}

struct engine *engine_new(const struct rules *r, const struct engine_opts *o, char *err,
                          size_t errlen)
{
    struct engine *e = calloc(1, sizeof *e);
    size_t total = rules_count(r);
    bool *used = calloc(o->ndisabled ? o->ndisabled : 1, sizeof *used);
    if (!e || !used || !(e->rules = calloc(total ? total : 1, sizeof *e->rules)) ||
        !(e->memo = filter_memo_new())) {
        free(used);
        engine_free(e);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    e->matching = o->matching;
    for (size_t i = 0; i < total; i++) {
        const struct rules_rule *ru = rules_at(r, i);
        /* Rules of other sources and rules dropped by skip-if-unknown-filter
         * have no filter: never evaluated, and not counted as dropped. */
        if (!ru->known_source || ru->skipped || !ru->filter || !ru->enabled)
            continue;
        bool by_name = disabled_by_name(ru, o, used);
        if (by_name || ru->priority > o->min_priority ||
            (o->ntags && !tagged(ru, o->tags, o->ntags)) ||
            tagged(ru, o->skip_tags, o->nskip_tags)) {
            e->dropped++;
            continue;
        }
        struct erule *er = &e->rules[e->n++];
        er->rule = ru;
        er->filter = ru->filter;
        const char *const *names = NULL;
        er->types = filter_event_types(ru->filter, &names) && names ? names : NULL;
        e->any += !er->types;
    }
    for (size_t k = 0; k < o->ndisabled; k++) {
        if (!used[k] && o->warn) {
            char msg[600];
            snprintf(msg, sizeof msg, "no rule is named '%s' (--disable-rule)", o->disabled[k]);
            o->warn(o->warn_ctx, msg);
        }
    }
    free(used);
    return e;
}

static void eindex_free(struct eindex *ix)
{
    for (size_t i = 0; ix->slots && i < ix->off[ix->ntypes + 1]; i++)
        free(ix->slots[i]);
    free(ix->slots);
    for (size_t i = 0; i < ix->nown; i++)
        filter_free(ix->own[i]);
    free(ix->own);
    free(ix->flt);
    free(ix->list);
    free(ix->off);
}

void engine_free(struct engine *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nidx; i++)
        eindex_free(&e->idx[i]);
    free(e->idx);
    free(e->rules);
    filter_memo_free(e->memo);
    free(e);
}

static bool rule_has_type(const struct erule *er, const char *name)
{
    for (size_t k = 0; er->types[k]; k++)
        if (strcmp(er->types[k], name) == 0)
            return true;
    return false;
}

/* Whether rule er is listed under id (max_id: an undeclared id). An
 * imported capture's generic "syscall" events stand for every syscall the
 * capture's driver had no event for (madvise...): their evt.type is the
 * syscall's own name, which the schema cannot tell, so every rule is
 * listed under them and the filter decides (Falco indexes them by syscall
 * code instead). */
static bool indexed(const struct erule *er, const struct skr_schema *s, uint32_t id)
{
    if (!er->types)
        return true;
    if (id >= s->max_id || !s->defs[id])
        return false;
    return strcmp(s->defs[id]->name, "syscall") == 0 || rule_has_type(er, s->defs[id]->name);
}

int engine_add_schema(struct engine *e, const struct skr_schema *s)
{
    if (e->nidx == e->idx_cap) {
        size_t cap = e->idx_cap ? e->idx_cap * 2 : 4;
        struct eindex *p = realloc(e->idx, cap * sizeof *p);
        if (!p)
            return -1;
        e->idx = p;
        e->idx_cap = cap;
    }
    uint32_t nt = s->max_id < SKR_MAX_EVENT_TYPES ? s->max_id : SKR_MAX_EVENT_TYPES;
    struct eindex ix = { .ntypes = nt };
    ix.off = calloc((size_t)nt + 2, sizeof *ix.off);
    /* Two passes: count (at most: specialising may leave rules out), then
     * fill. */
    size_t total = 0;
    for (uint32_t id = 0; ix.off && id <= nt; id++)
        for (size_t r = 0; r < e->n; r++)
            total += indexed(&e->rules[r], s, id);
    size_t room = total ? total : 1;
    ix.list = calloc(room, sizeof *ix.list);
    ix.flt = calloc(room, sizeof *ix.flt);
    ix.slots = calloc(room, sizeof *ix.slots);
    ix.own = calloc(room, sizeof *ix.own);
    if (!ix.off || !ix.list || !ix.flt || !ix.slots || !ix.own) {
        free(ix.slots);
        ix.slots = NULL; /* off is not filled: eindex_free must not walk it */
        eindex_free(&ix);
        return -1;
    }
    uint32_t pos = 0;
    for (uint32_t id = 0; id <= nt; id++) {
        ix.off[id] = pos;
        for (size_t r = 0; r < e->n; r++) {
            if (!indexed(&e->rules[r], s, id))
                continue;
            const struct filter *f = e->rules[r].filter;
            struct filter *sf = NULL;
            if (id < nt && s->defs[id] && filter_specialize(f, s->defs[id], &sf) < 0)
                goto oom;
            if (sf && filter_never_matches(sf)) {
                filter_free(sf);
                continue;
            }
            if (sf)
                ix.own[ix.nown++] = sf;
            ix.list[pos] = (uint32_t)r;
            ix.flt[pos] = sf ? sf : f;
            if (!(ix.slots[pos++] = filter_memo_slots(e->memo, sf ? sf : f)))
                goto oom;
        }
    }
    ix.off[nt + 1] = pos;
    assert(pos <= total);
    e->idx[e->nidx] = ix;
    return (int)e->nidx++;
oom:
    /* the entries so far: slots[0..pos) are set, the rest still NULL */
    ix.off[ix.ntypes + 1] = (uint32_t)room;
    eindex_free(&ix);
    return -1;
}

size_t engine_eval(struct engine *e, size_t slot, const struct fld_ctx *ctx, engine_hit_fn fn,
                   void *arg)
{
    assert(slot < e->nidx);
    const struct eindex *ix = &e->idx[slot];
    uint32_t t = ctx->ev->type;
    if (t > ix->ntypes)
        t = ix->ntypes;
    size_t fired = 0;
    if (ix->off[t] < ix->off[t + 1])
        filter_memo_next(e->memo);
    for (uint32_t k = ix->off[t]; k < ix->off[t + 1]; k++) {
        struct erule *er = &e->rules[ix->list[k]];
        e->evaluations++;
        if (!filter_eval_memo(ix->flt[k], ctx, e->memo, ix->slots[k]))
            continue;
        er->hits++;
        fired++;
        if ((fn && fn(arg, ix->list[k], ctx) != 0) || e->matching == ENGINE_MATCH_FIRST)
            break;
    }
    return fired;
}

size_t engine_count(const struct engine *e) { return e->n; }
size_t engine_dropped(const struct engine *e) { return e->dropped; }
size_t engine_any_type_count(const struct engine *e) { return e->any; }
uint64_t engine_evaluations(const struct engine *e) { return e->evaluations; }

const struct rules_rule *engine_rule(const struct engine *e, size_t i)
{
    assert(i < e->n);
    return e->rules[i].rule;
}

uint64_t engine_rule_hits(const struct engine *e, size_t i)
{
    assert(i < e->n);
    return e->rules[i].hits;
}

size_t engine_rules_for_type(const struct engine *e, size_t slot, uint32_t type_id)
{
    assert(slot < e->nidx);
    const struct eindex *ix = &e->idx[slot];
    uint32_t t = type_id > ix->ntypes ? ix->ntypes : type_id;
    return ix->off[t + 1] - ix->off[t];
}
