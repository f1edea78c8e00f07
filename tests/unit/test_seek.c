/* test_seek.c -- seeking by time, by event number and to a checkpoint, and
 * skipping blocks by type bitmap (man/saker-trace.5 §12.4-12.6), each
 * compared with a linear scan of what was written; with the footer index
 * and with an index rebuilt by scanning (trailer cut off, or index and
 * trailer cut off). The loop index of each test picks the file variant. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "testutil.h"

static const uint16_t mix[] = {
    SAKER_EVT_READ, SAKER_EVT_READ, SAKER_EVT_READ, SAKER_EVT_WRITE, SAKER_EVT_WRITE,
    SAKER_EVT_CLOSE, SAKER_EVT_OPENAT, SAKER_EVT_MMAP, SAKER_EVT_FCNTL, SAKER_EVT_RECVFROM,
    SAKER_EVT_SENDTO, SAKER_EVT_CONNECT, SAKER_EVT_SOCKET, SAKER_EVT_PROCEXIT,
};

struct fixture {
    struct xtrace m;
    uint8_t *data;
    size_t len;
    struct skr_reader *r;
};

/* variant 0: intact; 1: trailer cut off; 2: index and trailer cut off. */
static void setup(struct fixture *f, int variant, uint64_t seed)
{
    struct gen_opts o = {
        .seed = seed, .nevents = 4000, .block_size = 256, .cp_every = 150, .stats_every = 333,
        .max_step = 4, .first_evnum = 5000, .types = mix, .ntypes = sizeof mix / sizeof mix[0],
        .rare_type = SAKER_EVT_PTRACE, .rare_one_in = 400, .text = true, .max_bytes = 40,
    };
    gen_model(&f->m, &o);
    char path[256], name[32];
    snprintf(name, sizeof name, "seek-%llu.skr", (unsigned long long)seed);
    tmp_path(path, sizeof path, name);
    write_model_ok(path, &f->m, &o);
    f->data = slurp(path, &f->len);
    struct layout L;
    layout_of(f->data, f->len, &L);
    if (variant == 1)
        f->len = L.trailer_off;
    else if (variant == 2)
        f->len = L.index_off;
    ck_assert_uint_gt(L.nb, 300);
    layout_free(&L);
    char err[256];
    CHECK(skr_reader_open_mem(name, f->data, f->len, &f->r, err, sizeof err) == 0, "%s", err);
    CHECK((skr_reader_index_rebuilt(f->r) != NULL) == (variant != 0), "variant %d: rebuilt %s",
          variant, skr_reader_index_rebuilt(f->r) ? skr_reader_index_rebuilt(f->r) : "(no)");
    ck_assert_uint_eq(skr_reader_ndamage(f->r), 0);
}

static void teardown(struct fixture *f)
{
    skr_reader_close(f->r);
    free(f->data);
    xtrace_free(&f->m);
}

/* Index of the first event with ts >= t (nev when none). */
static size_t first_at(const struct xtrace *m, uint64_t t)
{
    size_t lo = 0, hi = m->nev;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->ev[mid].ts < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* After a seek: the next events are m's events from index i on. */
static void expect_from(struct skr_reader *r, const struct xtrace *m, size_t i, size_t n, const char *ctx)
{
    struct skr_item it;
    char why[256];
    for (size_t k = 0; k < n && i + k < m->nev; k++) {
        int rc = skr_reader_next(r, &it);
        CHECK(rc == 1, "%s: next %zu returned %d, want event %llu", ctx, k, rc,
              (unsigned long long)m->ev[i + k].num);
        CHECK(it.kind == SKR_ITEM_EVENT && it.ev->num == m->ev[i + k].num,
              "%s: got event %llu, want %llu", ctx, it.kind == SKR_ITEM_EVENT ?
              (unsigned long long)it.ev->num : 0ull, (unsigned long long)m->ev[i + k].num);
        CHECK(check_event(m, it.ev, why, sizeof why) == 0, "%s: %s", ctx, why);
    }
    if (i + n >= m->nev)
        CHECK(skr_reader_next(r, &it) == 0, "%s: an event past the end", ctx);
}

START_TEST(seek_time)
{
    struct fixture f;
    setup(&f, _i, 100 + (uint64_t)_i);
    const struct xtrace *m = &f.m;
    uint64_t t0 = m->ev[0].ts, t1 = m->ev[m->nev - 1].ts;
    struct rng r;
    rng_seed(&r, 7);
    char ctx[96];
    for (int k = 0; k < 400; k++) {
        uint64_t t;
        switch (k) {
        case 0: t = 0; break;
        case 1: t = t0 - 1; break;
        case 2: t = t0; break;
        case 3: t = t1; break;
        case 4: t = t1 + 1; break;
        case 5: t = UINT64_MAX; break;
        default:
            t = k % 3 ? m->ev[rng_below(&r, m->nev)].ts + rng_below(&r, 2) : t0 + rng_below(&r, t1 - t0 + 1);
        }
        skr_reader_set_prefetch(f.r, k % 2);
        skr_reader_seek_time(f.r, t);
        size_t i = first_at(m, t);
        snprintf(ctx, sizeof ctx, "variant %d seek_time(%llu) #%d", _i, (unsigned long long)t, k);
        expect_from(f.r, m, i, 4, ctx);
    }
    /* Seeking back and forth from the middle of iteration. */
    skr_reader_rewind(f.r);
    expect_from(f.r, m, 0, 10, "rewind");
    skr_reader_seek_time(f.r, m->ev[3000].ts);
    expect_from(f.r, m, first_at(m, m->ev[3000].ts), 10, "forward");
    skr_reader_seek_time(f.r, m->ev[100].ts);
    expect_from(f.r, m, first_at(m, m->ev[100].ts), 10, "back");
    teardown(&f);
}
END_TEST

START_TEST(seek_evnum)
{
    struct fixture f;
    setup(&f, _i, 200 + (uint64_t)_i);
    const struct xtrace *m = &f.m;
    uint64_t first = m->first_evnum, last = first + m->nev - 1;
    struct rng r;
    rng_seed(&r, 8);
    char ctx[96];
    for (int k = 0; k < 400; k++) {
        uint64_t n;
        switch (k) {
        case 0: n = 0; break;
        case 1: n = first - 1; break;
        case 2: n = first; break;
        case 3: n = last; break;
        case 4: n = last + 1; break;
        case 5: n = UINT64_MAX; break;
        default: n = first + rng_below(&r, m->nev);
        }
        skr_reader_set_prefetch(f.r, k % 2);
        skr_reader_seek_evnum(f.r, n);
        size_t i = n < first ? 0 : n > last ? m->nev : (size_t)(n - first);
        snprintf(ctx, sizeof ctx, "variant %d seek_evnum(%llu)", _i, (unsigned long long)n);
        expect_from(f.r, m, i, 4, ctx);
    }
    teardown(&f);
}
END_TEST

START_TEST(seek_checkpoint)
{
    struct fixture f;
    setup(&f, _i, 300 + (uint64_t)_i);
    const struct xtrace *m = &f.m;
    const int want = SKR_ITEM_EVENT | SKR_ITEM_CHECKPOINT;
    skr_reader_want(f.r, want);
    uint64_t t0 = m->ev[0].ts, t1 = m->ev[m->nev - 1].ts;
    struct rng r;
    rng_seed(&r, 9);
    char ctx[96], why[256];
    size_t ncp = 0;
    for (size_t i = 0; i < m->nit; i++)
        ncp += m->it[i].kind == X_CHECKPOINT;
    ck_assert_uint_gt(ncp, 20);
    for (int k = 0; k < 300; k++) {
        uint64_t t = k == 0 ? 0 : k == 1 ? UINT64_MAX : t0 - 5 + rng_below(&r, t1 - t0 + 10);
        if (k % 4 == 3) {
            /* Exactly at a checkpoint's moment, or just before it. */
            size_t c = rng_below(&r, m->nit);
            while (m->it[c].kind != X_CHECKPOINT)
                c = (c + 1) % m->nit;
            t = m->it[c].ts - (uint64_t)(k % 8 == 7);
        }
        /* The linear answer: the last checkpoint at or before t. */
        long cp = -1;
        for (size_t i = 0; i < m->nit; i++)
            if (m->it[i].kind == X_CHECKPOINT && m->it[i].ts <= t)
                cp = (long)i;
        skr_reader_set_prefetch(f.r, k % 2);
        long no = skr_reader_seek_checkpoint(f.r, t);
        snprintf(ctx, sizeof ctx, "variant %d seek_checkpoint(%llu)", _i, (unsigned long long)t);
        CHECK((no < 0) == (cp < 0), "%s: returned %ld", ctx, no);
        /* Iteration yields that checkpoint, then everything after it. */
        size_t from = cp < 0 ? 0 : (size_t)cp;
        size_t got = 0;
        for (size_t i = from; i < m->nit && got < 25; i++) {
            const struct xitem *x = &m->it[i];
            if (!(x->kind & want))
                continue;
            struct skr_item it;
            CHECK(skr_reader_next(f.r, &it) == 1, "%s: ends early", ctx);
            if (got == 0 && cp >= 0) {
                CHECK(it.kind == SKR_ITEM_CHECKPOINT && it.block_no == no,
                      "%s: first item kind %d block %ld, want the checkpoint, block %ld",
                      ctx, it.kind, it.block_no, no);
                ck_assert_uint_le(it.block->min_ts, t);
            }
            if (x->kind == X_EVENT) {
                CHECK(it.kind == SKR_ITEM_EVENT && it.ev->num == m->ev[x->ev].num,
                      "%s: item %zu is not event %llu", ctx, got,
                      (unsigned long long)m->ev[x->ev].num);
                CHECK(check_event(m, it.ev, why, sizeof why) == 0, "%s: %s", ctx, why);
            } else {
                CHECK(check_block_item(x, &it, why, sizeof why) == 0, "%s: item %zu: %s", ctx,
                      got, why);
            }
            got++;
        }
    }
    teardown(&f);
}
END_TEST

static bool has_type(const uint8_t *bm, size_t len, const uint16_t *types, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (types[i] / 8u < len && (bm[types[i] / 8] & (1u << (types[i] % 8))))
            return true;
    return false;
}

/* Reads with a type bitmap; checks that the events of the wanted types are
 * exactly those of a linear scan from index from, that blocks were
 * skipped, and that every block read has a wanted type. */
static void check_types(struct fixture *f, const uint16_t *types, size_t nt, size_t from, const char *ctx)
{
    const struct xtrace *m = &f->m;
    size_t want_n = 0, i = from, delivered = 0;
    for (size_t k = from; k < m->nev; k++)
        for (size_t t = 0; t < nt; t++)
            want_n += m->ev[k].type == types[t];
    struct skr_item it;
    char why[256];
    size_t got = 0;
    while (skr_reader_next(f->r, &it) == 1) {
        ck_assert_int_eq(it.kind, SKR_ITEM_EVENT);
        delivered++;
        CHECK(has_type(it.block->bitmap, it.block->bitmap_len, types, nt),
              "%s: event %llu from a block without a wanted type", ctx,
              (unsigned long long)it.ev->num);
        CHECK(check_event(m, it.ev, why, sizeof why) == 0, "%s: %s", ctx, why);
        bool wanted = false;
        for (size_t t = 0; t < nt; t++)
            wanted |= it.ev->type == types[t];
        if (!wanted)
            continue;
        while (i < m->nev) {
            bool w = false;
            for (size_t t = 0; t < nt; t++)
                w |= m->ev[i].type == types[t];
            if (w)
                break;
            i++;
        }
        CHECK(i < m->nev && it.ev->num == m->ev[i].num, "%s: got event %llu, linear scan says %llu",
              ctx, (unsigned long long)it.ev->num, i < m->nev ? (unsigned long long)m->ev[i].num : 0ull);
        i++;
        got++;
    }
    CHECK(got == want_n, "%s: %zu events of the wanted types, linear scan finds %zu", ctx, got, want_n);
    CHECK(delivered < (m->nev - from) / 3 + 10, "%s: %zu events delivered, blocks were not skipped",
          ctx, delivered);
}

START_TEST(skip_by_type)
{
    struct fixture f;
    setup(&f, _i, 400 + (uint64_t)_i);
    const uint16_t rare[] = { SAKER_EVT_PTRACE };
    size_t n = 0;
    for (size_t k = 0; k < f.m.nev; k++)
        n += f.m.ev[k].type == SAKER_EVT_PTRACE;
    ck_assert_uint_gt(n, 3);
    const uint16_t two[] = { SAKER_EVT_BPF, SAKER_EVT_PTRACE }; /* no BPF events at all */
    uint8_t bm[SKR_MAX_EVENT_TYPES / 8];
    for (int pass = 0; pass < 4; pass++) {
        const uint16_t *types = pass < 2 ? rare : two;
        size_t nt = pass < 2 ? 1 : 2;
        memset(bm, 0, sizeof bm);
        for (size_t t = 0; t < nt; t++)
            bm[types[t] / 8] |= (uint8_t)(1u << (types[t] % 8));
        skr_reader_set_prefetch(f.r, pass % 2);
        skr_reader_rewind(f.r);
        skr_reader_want_types(f.r, bm, pass ? sizeof bm : (size_t)(types[0] / 8 + 1));
        char ctx[64];
        snprintf(ctx, sizeof ctx, "variant %d pass %d", _i, pass);
        check_types(&f, types, nt, 0, ctx);
        /* With a seek: the first wanted event at or after the time. */
        uint64_t t = f.m.ev[f.m.nev / 2].ts;
        skr_reader_seek_time(f.r, t);
        check_types(&f, types, nt, first_at(&f.m, t), ctx);
    }
    /* Back to every type. */
    skr_reader_want_types(f.r, NULL, 0);
    skr_reader_rewind(f.r);
    expect_from(f.r, &f.m, 0, f.m.nev, "all types again");
    teardown(&f);
}
END_TEST

Suite *seek_suite(void)
{
    Suite *s = suite_create("seek");
    TCase *tc = tcase_create("seek");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, seek_time, 0, 3);
    tcase_add_loop_test(tc, seek_evnum, 0, 3);
    tcase_add_loop_test(tc, seek_checkpoint, 0, 3);
    tcase_add_loop_test(tc, skip_by_type, 0, 3);
    suite_add_tcase(s, tc);
    return s;
}
