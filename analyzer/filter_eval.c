/* filter_eval.c -- runs a compiled filter on one event.
 *
 * The common check (a plain field against constants) takes the fast path:
 * extract, then call the comparison function chosen at compile time on
 * each value; any match wins (all must match for 'in' on a set-valued
 * field). Transformers and field-to-field comparisons take the slow path,
 * which works in a fixed stack buffer. A field with no value makes every
 * check false except that 'exists' is exactly "has a value" (Falco's
 * semantics), so `not fd.name = x` is true where `fd.name != x` is false.
 * Nothing here allocates. */
#include <assert.h>

#include "filter_int.h"

static inline bool match_values(const struct ccheck *c, const struct fvals *vs)
{
    if (c->subset) {
        for (size_t i = 0; i < vs->n; i++)
            if (!c->cmp(c, &vs->v[i]))
                return false;
        return true;
    }
    for (size_t i = 0; i < vs->n; i++)
        if (c->cmp(c, &vs->v[i]))
            return true;
    return false;
}

static void operand_values(const struct cop *o, const struct fld_ctx *ctx, struct fvals *out,
                           struct fxbuf *buf)
{
    if (o->xf == FX_NONE) {
        field_extract(o->ref, ctx, out);
        return;
    }
    struct fvals in;
    operand_values(o->inner, ctx, &in, buf);
    if (!in.n) {
        out->n = 0;
        return;
    }
    fxf_apply(o->xf, o->inner->multi, &in, out, buf);
}

static __attribute__((noinline)) bool check_slow(const struct ccheck *c,
                                                 const struct fld_ctx *ctx)
{
    char mem[FXBUF_SIZE];
    struct fxbuf buf = { .p = mem, .cap = sizeof mem };
    struct fvals a, b;
    operand_values(&c->lhs, ctx, &a, &buf);
    if (!a.n)
        return false;
    if (!c->rop)
        return match_values(c, &a);
    operand_values(c->rop, ctx, &b, &buf);
    if (!b.n)
        return false;
    for (size_t i = 0; i < a.n; i++) {
        bool any = false;
        for (size_t j = 0; j < b.n && !any; j++)
            any = fops_cmp2(c->op, c->type, &a.v[i], &b.v[j]);
        if (any && !c->subset)
            return true;
        if (!any && c->subset)
            return false;
    }
    return c->subset;
}

static inline bool check_eval(const struct ccheck *c, const struct fld_ctx *ctx)
{
    if (c->fast) {
        struct fvals vs;
        field_extract(c->lhs.ref, ctx, &vs);
        return vs.n && match_values(c, &vs);
    }
    return check_slow(c, ctx);
}

bool filter_eval_node(const struct cnode *n, const struct fld_ctx *ctx)
{
    switch (n->kind) {
    case CN_CHECK:
        return check_eval(n->chk, ctx);
    case CN_AND:
        for (size_t i = 0; i < n->nkids; i++)
            if (!filter_eval_node(n->kids[i], ctx))
                return false;
        return true;
    case CN_OR:
        for (size_t i = 0; i < n->nkids; i++)
            if (filter_eval_node(n->kids[i], ctx))
                return true;
        return false;
    case CN_NOT:
        return !filter_eval_node(n->kids[0], ctx);
    case CN_TRUE:
        return true;
    default:
        assert(n->kind == CN_FALSE);
        return false;
    }
}

bool filter_eval(const struct filter *f, const struct fld_ctx *ctx)
{
    const struct cnode *n = f->root;
    if (n->kind == CN_CHECK) /* the one-check filter, without a call */
        return check_eval(n->chk, ctx);
    return filter_eval_node(n, ctx);
}
