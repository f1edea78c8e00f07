/* filter_evtypes.c -- the event types a compiled filter can match, like
 * Falco's event-type index (libsinsp filter/ppm_codes.cpp; LANGUAGE.md
 * §11): `evt.type = X` and `evt.type in (...)` give their names, `!=`
 * the complement; `and` intersects, `or` unites, and negations are pushed
 * down to the checks (De Morgan) so that a check on another field stays
 * neutral (every type) even under `not`. Checks on evt.num that its
 * invariant (numbers start at 1) decides are known empty (evt.num = 0) or
 * known full (evt.num > 0), and unlike neutral checks they invert. A set
 * is a sorted list of names, or the complement of one ("co"); only a plain
 * finite set is reported. */
#include <stdlib.h>
#include <string.h>

#include "filter_int.h"

struct etset {
    bool co;                  /* the set is everything except v */
    const char **v;           /* sorted, unique */
    size_t n;
};

enum { ET_UNION, ET_INTER, ET_DIFF };

/* Merges two sorted name lists. */
static int merge(struct farena **a, const struct etset *x, const struct etset *y, int how,
                 struct etset *out)
{
    const char **r = farena_alloc(a, (x->n + y->n + 1) * sizeof *r);
    size_t i = 0, j = 0, k = 0;
    if (!r)
        return -1;
    while (i < x->n || j < y->n) {
        int c = i == x->n ? 1 : j == y->n ? -1 : strcmp(x->v[i], y->v[j]);
        if (c < 0) {
            if (how != ET_INTER)
                r[k++] = x->v[i];
            i++;
        } else if (c > 0) {
            if (how == ET_UNION)
                r[k++] = y->v[j];
            j++;
        } else {
            if (how != ET_DIFF)
                r[k++] = x->v[i];
            i++;
            j++;
        }
    }
    out->v = r;
    out->n = k;
    return 0;
}

static int set_union(struct farena **a, const struct etset *x, const struct etset *y,
                     struct etset *o)
{
    o->co = x->co || y->co;
    if (!x->co && !y->co)
        return merge(a, x, y, ET_UNION, o);
    if (!x->co)
        return merge(a, y, x, ET_DIFF, o);
    if (!y->co)
        return merge(a, x, y, ET_DIFF, o);
    return merge(a, x, y, ET_INTER, o);
}

static int set_inter(struct farena **a, const struct etset *x, const struct etset *y,
                     struct etset *o)
{
    o->co = x->co && y->co;
    if (!x->co && !y->co)
        return merge(a, x, y, ET_INTER, o);
    if (!x->co)
        return merge(a, x, y, ET_DIFF, o);
    if (!y->co)
        return merge(a, y, x, ET_DIFF, o);
    return merge(a, x, y, ET_UNION, o);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* evt.num >= 1 always: 1 when the check can never hold, 2 when it always
 * holds, 0 when that depends on the event (libsinsp ppm_codes.cpp). */
static int evtnum_invariant(const struct ccheck *c)
{
    const struct cop *l = &c->lhs;
    if (l->xf != FX_NONE || l->ref->has_arg || c->rop || c->mod || c->type != FT_UINT ||
        strcmp(l->ref->def->name, "evt.num"))
        return 0;
    uint64_t n = c->one.u;
    switch (c->op) {
    case FOP_IN:
        for (size_t i = 0; i < c->nset; i++)
            if (c->set[i].v.u != 0)
                return 0;
        return 1; /* empty, or only zeros */
    case FOP_EQ: return n == 0 ? 1 : 0;
    case FOP_NE: return n == 0 ? 2 : 0;
    case FOP_LT: return n <= 1 ? 1 : 0;
    case FOP_LE: return n == 0 ? 1 : 0;
    case FOP_GT: return n == 0 ? 2 : 0;
    case FOP_GE: return n <= 1 ? 2 : 0;
    default: return 0;
    }
}

/* Sets *o for one check; returns 1 when the set is decided by the check
 * (and so inverts under not), 0 when neutral, -1 on no memory. */
static int check_set(struct farena **a, const struct ccheck *c, struct etset *o)
{
    *o = (struct etset){ .co = true }; /* neutral: any type */
    int inv = evtnum_invariant(c);
    if (inv) {
        o->co = inv == 2;
        return 1;
    }
    if (!c->evtype)
        return 0;
    if (c->op == FOP_EQ || c->op == FOP_NE) {
        const char **v = farena_alloc(a, sizeof *v);
        if (!v)
            return -1;
        v[0] = c->one.s;
        *o = (struct etset){ .co = c->op == FOP_NE, .v = v, .n = 1 };
        return 1;
    } else if (c->op == FOP_IN || c->op == FOP_INTERSECTS) {
        const char **v = farena_alloc(a, (c->nset + 1) * sizeof *v);
        size_t k = 0;
        if (!v)
            return -1;
        for (size_t i = 0; i < c->nset; i++)
            v[i] = c->set[i].v.s;
        qsort(v, c->nset, sizeof *v, by_name);
        for (size_t i = 0; i < c->nset; i++)
            if (!k || strcmp(v[k - 1], v[i]))
                v[k++] = v[i];
        *o = (struct etset){ .co = false, .v = v, .n = k };
        return 1;
    }
    return 0;
}

static int node_set(struct farena **a, const struct cnode *n, bool neg, struct etset *o)
{
    switch (n->kind) {
    case CN_CHECK: {
        int decided = check_set(a, n->chk, o);
        if (decided < 0)
            return -1;
        if (neg && decided)
            o->co = !o->co;
        return 0;
    }
    case CN_NOT:
        return node_set(a, n->kids[0], !neg, o);
    case CN_AND:
    case CN_OR: {
        bool unite = (n->kind == CN_OR) != neg;
        if (node_set(a, n->kids[0], neg, o) < 0)
            return -1;
        for (size_t i = 1; i < n->nkids; i++) {
            struct etset k, r;
            if (node_set(a, n->kids[i], neg, &k) < 0 ||
                (unite ? set_union(a, o, &k, &r) : set_inter(a, o, &k, &r)) < 0)
                return -1;
            *o = r;
        }
        return 0;
    }
    default:
        *o = (struct etset){ .co = true };
        return 0;
    }
}

int filter_index_evtypes(struct filter *f)
{
    struct etset s;
    if (node_set(&f->arena, f->root, false, &s) < 0)
        return -1;
    f->evtypes = NULL;
    if (s.co)
        return 0;
    const char **v = farena_alloc(&f->arena, (s.n + 1) * sizeof *v);
    if (!v)
        return -1;
    if (s.n)
        memcpy(v, s.v, s.n * sizeof *v);
    v[s.n] = NULL;
    f->evtypes = v;
    return 0;
}

bool filter_event_types(const struct filter *f, const char *const **names)
{
    *names = f->evtypes;
    return f->evtypes != NULL;
}
