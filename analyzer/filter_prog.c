/* filter_prog.c -- a compiled tree flattened into jump code, which is what
 * filter_eval.c runs.
 *
 * Each check becomes one instruction with two successors: where to go
 * when it holds and where when it does not. and/or/not cost nothing at run
 * time, they only choose successors, as in any compiler's short-circuit
 * code: a kid of an `and` that holds goes on to the next kid and one that
 * fails goes to the `and`'s own false target; `or` the other way round;
 * `not` swaps the two. FPROG_TRUE and FPROG_FALSE end the evaluation.
 *
 * The instructions are one array in the filter's arena, in the tree's
 * left-to-right order, so an evaluation walks forward through it instead
 * of chasing node, kids and check pointers and switching on node kinds
 * (that walk was a sixth of a replay with Falco's rules: perf, 10M
 * gentrace events). Checks run in the order and under the conditions the
 * tree gives them, so the verdict is the tree's. */
#include <assert.h>

#include "filter_int.h"

struct emit {
    struct finsn *insn;
    uint32_t next;            /* filled from the end: see emit_node */
};

static uint32_t count_checks(const struct cnode *n)
{
    if (n->kind == CN_CHECK)
        return 1;
    uint32_t k = 0;
    for (size_t i = 0; i < n->nkids; i++)
        k += count_checks(n->kids[i]);
    return k;
}

/* Emits n so that it continues at t when it holds and at f when not;
 * returns its entry. Kids are emitted last first, each into the slot
 * below the previous one, which leaves the checks in left-to-right order
 * with the first one at the lowest index. Recursion is bounded by the
 * compiler's FILTER_MAX_TOTAL_DEPTH, as the tree's own. */
static uint32_t emit_node(struct emit *e, const struct cnode *n, uint32_t t, uint32_t f)
{
    switch (n->kind) {
    case CN_CHECK: {
        assert(e->next > 0);
        struct finsn *in = &e->insn[--e->next];
        in->chk = n->chk;
        in->ref = n->chk->fast ? n->chk->lhs.ref : NULL;
        in->on_true = t;
        in->on_false = f;
        return e->next;
    }
    case CN_NOT:
        return emit_node(e, n->kids[0], f, t);
    case CN_AND:
    case CN_OR: {
        uint32_t entry = n->kind == CN_AND ? t : f;
        for (size_t i = n->nkids; i-- > 0;)
            entry = n->kind == CN_AND ? emit_node(e, n->kids[i], entry, f)
                                      : emit_node(e, n->kids[i], t, entry);
        return entry;
    }
    case CN_TRUE:
        return t;
    default:
        assert(n->kind == CN_FALSE);
        return f;
    }
}

int filter_prog_build(struct filter *f)
{
    uint32_t n = count_checks(f->root);
    struct emit e = { .next = n };
    if (n && !(e.insn = farena_alloc(&f->arena, n * sizeof *e.insn)))
        return -1;
    f->prog = e.insn;
    f->nprog = n;
    f->entry = emit_node(&e, f->root, FPROG_TRUE, FPROG_FALSE);
    assert(e.next == 0);
    return 0;
}
