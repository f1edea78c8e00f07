/* filter_memo.c -- verdicts shared by the filters evaluated on one event
 * (filter.h filter_memo_*). Falco's rules for one event type repeat the
 * same checks through their macros: the five open rules of
 * falco_rules.yaml each test evt.is_open_read or evt.is_open_write,
 * fd.typechar = f and fd.num >= 0 again, and extracting those was most of
 * the rules' time on a replay. With a memo, the first filter to run a
 * check on an event keeps its verdict for the others.
 *
 * Design:
 *  - Checks are equal when they are plain field checks (the fast path of
 *    filter_eval.c) on the same field with the same argument, with the
 *    same operator, comparison and constants: their verdict on an event
 *    is then the same, as extraction and comparison depend on nothing
 *    else (field_ref caches only speed up a lookup). Equal checks share a
 *    slot; other checks have none and always run.
 *  - A verdict is valid while its stamp is the memo's: filter_memo_next
 *    starts a new event by bumping the stamp, not by clearing.
 *  - Equal checks are found through a hash of what equality compares. */
#include <stdlib.h>
#include <string.h>

#include "filter_int.h"

static bool fval_same(const struct fval *a, const struct fval *b)
{
    return a->type == b->type && a->ipfam == b->ipfam && a->prefix == b->prefix &&
           a->i == b->i && a->u == b->u && a->len == b->len &&
           (!a->len || !memcmp(a->s, b->s, a->len)) && !memcmp(a->ip, b->ip, sizeof a->ip);
}

static bool ref_same(const struct field_ref *a, const struct field_ref *b)
{
    return a->def == b->def && a->has_arg == b->has_arg && a->arg_index == b->arg_index &&
           a->type == b->type && !a->arg_key == !b->arg_key &&
           (!a->arg_key || !strcmp(a->arg_key, b->arg_key));
}

static bool check_same(const struct ccheck *a, const struct ccheck *b)
{
    if (!ref_same(a->lhs.ref, b->lhs.ref) || a->op != b->op || a->mod != b->mod ||
        a->type != b->type || a->subset != b->subset || a->cmp != b->cmp ||
        a->nset != b->nset || !fval_same(&a->one, &b->one))
        return false;
    for (size_t i = 0; i < a->nset; i++)
        if (!fval_same(&a->set[i].v, &b->set[i].v))
            return false;
    return true;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ull;
}

static uint32_t check_hash(const struct ccheck *c)
{
    uint64_t h = 0xcbf29ce484222325ull;
    h = mix(h, (uint64_t)(uintptr_t)c->lhs.ref->def);
    h = mix(h, (uint64_t)c->op << 8 | c->mod);
    h = mix(h, c->nset);
    h = mix(h, c->one.u ^ (uint64_t)c->one.i ^ c->one.len);
    for (size_t i = 0; i < c->one.len && i < 16; i++)
        h = mix(h, (uint8_t)c->one.s[i]);
    if (c->nset)
        h = mix(h, c->set[0].v.len ^ c->set[0].v.u);
    return (uint32_t)(h ^ h >> 32);
}

struct filter_memo *filter_memo_new(void)
{
    struct filter_memo *m = calloc(1, sizeof *m);
    if (m)
        m->now = 1;
    return m;
}

void filter_memo_free(struct filter_memo *m)
{
    if (!m)
        return;
    free(m->chk);
    free(m->stamp);
    free(m->val);
    free(m->hash);
    free(m);
}

static int grow(struct filter_memo *m)
{
    if (m->n == m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 64;
        const struct ccheck **c = realloc(m->chk, cap * sizeof *c);
        if (c)
            m->chk = c;
        uint32_t *s = realloc(m->stamp, cap * sizeof *s);
        if (s)
            m->stamp = s;
        uint8_t *v = realloc(m->val, cap * sizeof *v);
        if (v)
            m->val = v;
        if (!c || !s || !v)
            return -1;
        m->cap = cap;
    }
    /* buckets at most half full */
    if ((m->n + 1) * 2 <= m->hcap)
        return 0;
    uint32_t hcap = m->hcap ? m->hcap * 2 : 128;
    uint32_t *h = calloc(hcap, sizeof *h);
    if (!h)
        return -1;
    for (uint32_t i = 0; i < m->n; i++) {
        uint32_t b = check_hash(m->chk[i]) & (hcap - 1);
        while (h[b])
            b = (b + 1) & (hcap - 1);
        h[b] = i + 1;
    }
    free(m->hash);
    m->hash = h;
    m->hcap = hcap;
    return 0;
}

/* Sets *slot to c's, made when no equal check has one; -1 when out of
 * memory. */
static int slot_of(struct filter_memo *m, const struct ccheck *c, uint32_t *slot)
{
    if (grow(m) < 0)
        return -1;
    uint32_t b = check_hash(c) & (m->hcap - 1);
    for (; m->hash[b]; b = (b + 1) & (m->hcap - 1))
        if (check_same(m->chk[m->hash[b] - 1], c)) {
            *slot = m->hash[b] - 1;
            return 0;
        }
    m->hash[b] = m->n + 1;
    m->chk[m->n] = c;
    m->stamp[m->n] = 0; /* never current: now starts at 1 */
    m->val[m->n] = 0;
    *slot = m->n++;
    return 0;
}

uint32_t *filter_memo_slots(struct filter_memo *m, const struct filter *f)
{
    uint32_t *slots = malloc((f->nprog ? f->nprog : 1) * sizeof *slots);
    if (!slots)
        return NULL;
    for (uint32_t i = 0; i < f->nprog; i++) {
        slots[i] = FMEMO_NONE;
        if (f->prog[i].ref && slot_of(m, f->prog[i].chk, &slots[i]) < 0) {
            free(slots);
            return NULL;
        }
    }
    return slots;
}

void filter_memo_next(struct filter_memo *m)
{
    if (++m->now == 0) { /* wrapped: every stamp may look current */
        if (m->n)
            memset(m->stamp, 0, m->n * sizeof *m->stamp);
        m->now = 1;
    }
}

