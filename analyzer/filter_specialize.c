/* filter_specialize.c -- a compiled filter as it evaluates on the events of
 * one definition (filter.h filter_specialize). The rules engine evaluates
 * a rule only on the event types its evt.type checks allow, and Falco's
 * rules all begin with those checks, so every evaluation used to test
 * evt.type again: deciding them once per event type took the evt.type
 * extractions and their set lookups out of the replay loop.
 *
 * Design:
 *  - A check is decided when it is a plain field against constants (the
 *    fast path of filter_eval.c) and field_value_for_def knows the field's
 *    values for every event of the definition. The verdict comes from the
 *    comparison code evaluation uses (filter_match_values), so it is the
 *    one evaluation would reach on each of those events.
 *  - Decided checks become constants and fold upwards: a false kid makes
 *    an `and` false, a true one is dropped; `or` the other way round;
 *    `not` flips a constant. An `and` left with one kid is that kid, and a
 *    kid of the same kind as its rebuilt parent is spliced into it (order
 *    kept). Checks have no side effects beyond per-event scratch memory,
 *    so skipping one that a constant makes irrelevant changes no verdict.
 *  - Untouched sub-trees are shared with the original; only the nodes on
 *    a path to a decided check are new, in the specialisation's arena.
 *    When nothing is decided there is no copy at all. */
#include <assert.h>
#include <stdlib.h>

#include "filter_int.h"

/* The folded constants: shared, never written (filter_free frees arenas,
 * never single nodes). */
static struct cnode node_true = { .kind = CN_TRUE };
static struct cnode node_false = { .kind = CN_FALSE };

struct spec {
    const struct skr_event_def *def;
    struct farena **arena;
    bool decided;             /* some check was decided */
};

static struct cnode *fold(struct spec *sp, struct cnode *n);

static struct cnode *fold_check(struct spec *sp, struct cnode *n)
{
    const struct ccheck *c = n->chk;
    struct fvals vs;
    if (!c->fast || !field_value_for_def(c->lhs.ref, sp->def, &vs))
        return n;
    sp->decided = true;
    return vs.n && filter_match_values(c, &vs) ? &node_true : &node_false;
}

static struct cnode *new_node(struct spec *sp, int kind, size_t nkids)
{
    struct cnode *m = farena_alloc(sp->arena, sizeof *m);
    if (!m || !(m->kids = farena_alloc(sp->arena, nkids * sizeof *m->kids)))
        return NULL;
    m->kind = (uint8_t)kind;
    m->nkids = nkids;
    return m;
}

static struct cnode *fold_not(struct spec *sp, struct cnode *n)
{
    struct cnode *k = fold(sp, n->kids[0]);
    if (!k || k == n->kids[0])
        return k ? n : NULL;
    if (k->kind == CN_TRUE || k->kind == CN_FALSE)
        return k->kind == CN_TRUE ? &node_false : &node_true;
    struct cnode *m = new_node(sp, CN_NOT, 1);
    if (m)
        m->kids[0] = k;
    return m;
}

/* The and/or node of the kept kids (kind: the node's), splicing those of
 * the same kind; total is the count after splicing. */
static struct cnode *rebuild(struct spec *sp, int kind, int drop, struct cnode **kids,
                             size_t nkept, size_t total)
{
    if (nkept == 0)
        return drop == CN_TRUE ? &node_true : &node_false;
    if (nkept == 1)
        return kids[0];
    struct cnode *m = new_node(sp, kind, total);
    if (!m)
        return NULL;
    size_t at = 0;
    for (size_t i = 0; i < nkept; i++) {
        if (kids[i]->kind != kind) {
            m->kids[at++] = kids[i];
            continue;
        }
        for (size_t j = 0; j < kids[i]->nkids; j++)
            m->kids[at++] = kids[i]->kids[j];
    }
    assert(at == total);
    return m;
}

/* and / or: `stop` is the constant that decides the node (false for and),
 * the other one is dropped. */
static struct cnode *fold_list(struct spec *sp, struct cnode *n)
{
    int stop = n->kind == CN_AND ? CN_FALSE : CN_TRUE;
    int drop = n->kind == CN_AND ? CN_TRUE : CN_FALSE;
    struct cnode *local[16];
    struct cnode **kids = n->nkids <= 16 ? local : malloc(n->nkids * sizeof *kids);
    if (!kids)
        return NULL;
    struct cnode *r = n;
    bool changed = false;
    size_t nkept = 0, total = 0; /* kids kept; their count after splicing */
    for (size_t i = 0; i < n->nkids && r == n; i++) {
        struct cnode *k = fold(sp, n->kids[i]);
        if (!k || k->kind == stop)
            r = k;
        else if (k->kind != drop) {
            kids[nkept++] = k;
            total += k->kind == n->kind ? k->nkids : 1;
        }
        changed |= k != n->kids[i];
    }
    if (r == n && changed)
        r = rebuild(sp, n->kind, drop, kids, nkept, total);
    if (kids != local)
        free(kids);
    return r;
}

/* n itself when nothing below it is decided, a constant, or a new node;
 * NULL when out of memory. Recursion is bounded by the compiler's
 * FILTER_MAX_TOTAL_DEPTH, as in evaluation. */
static struct cnode *fold(struct spec *sp, struct cnode *n)
{
    switch (n->kind) {
    case CN_CHECK:
        return fold_check(sp, n);
    case CN_NOT:
        return fold_not(sp, n);
    case CN_AND:
    case CN_OR:
        return fold_list(sp, n);
    default:
        return n;
    }
}

int filter_specialize(const struct filter *f, const struct skr_event_def *d,
                      struct filter **out)
{
    *out = NULL;
    struct filter *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    struct spec sp = { .def = d, .arena = &s->arena };
    struct cnode *root = fold(&sp, f->root);
    if (!root || !sp.decided) {
        filter_free(s);
        return root ? 0 : -1;
    }
    s->root = root;
    if (filter_prog_build(s) < 0) {
        filter_free(s);
        return -1;
    }
    s->refs = f->refs;
    s->evtypes = f->evtypes;
    s->base = f->base ? f->base : f;
    *out = s;
    return 1;
}

bool filter_never_matches(const struct filter *f)
{
    return f->root->kind == CN_FALSE;
}
