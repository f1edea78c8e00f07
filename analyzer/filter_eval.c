/* filter_eval.c -- runs a compiled filter on one event: its jump code
 * (filter_prog.c), one check after another.
 *
 * The common check (a plain field against constants) takes the fast path:
 * extract, then call the comparison function chosen at compile time on
 * each value; any match wins (all must match for 'in' on a set-valued
 * field). Transformers and field-to-field comparisons take the slow path,
 * which works in a fixed stack buffer. A field with no value makes every
 * check false except that 'exists' is exactly "has a value" (Falco's
 * semantics), so `not fd.name = x` is true where `fd.name != x` is false.
 * Nothing here allocates. */
#include "filter_int.h"

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
        return filter_match_values(c, &a);
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

static inline bool check_eval(const struct finsn *in, const struct fld_ctx *ctx)
{
    if (in->ref) {
        struct fvals vs;
        field_extract(in->ref, ctx, &vs);
        return vs.n && filter_match_values(in->chk, &vs);
    }
    return check_slow(in->chk, ctx);
}

/* The jump code, with or without a memo (m NULL): a check with a slot
 * takes its verdict from the memo when another filter ran it on this
 * event, and leaves it there when it runs. */
static inline bool run(const struct filter *f, const struct fld_ctx *ctx, struct filter_memo *m,
                       const uint32_t *slots)
{
    uint32_t pc = f->entry;
    while (pc < FPROG_FALSE) {
        const struct finsn *in = &f->prog[pc];
        uint32_t s = m ? slots[pc] : FMEMO_NONE;
        bool r;
        if (s == FMEMO_NONE) {
            r = check_eval(in, ctx);
        } else if (m->stamp[s] == m->now) {
            r = m->val[s];
        } else {
            r = check_eval(in, ctx);
            m->stamp[s] = m->now;
            m->val[s] = r;
        }
        pc = r ? in->on_true : in->on_false;
    }
    return pc == FPROG_TRUE;
}

bool filter_eval(const struct filter *f, const struct fld_ctx *ctx)
{
    return run(f, ctx, NULL, NULL);
}

bool filter_eval_memo(const struct filter *f, const struct fld_ctx *ctx, struct filter_memo *m,
                      const uint32_t *slots)
{
    return run(f, ctx, m, slots);
}
