/* test_roundtrip.c -- what the writer writes, the reader reads back: every
 * parameter type, edge values, missing parameters, checkpoints and stats
 * in order, header fields, the schema, prefetch on and off, file and
 * memory readers, merging several files, and empty traces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "testutil.h"

static const int ALL = SKR_ITEM_EVENT | SKR_ITEM_CHECKPOINT | SKR_ITEM_STATS;

static struct skr_reader *open_ok(const char *path)
{
    struct skr_reader *r;
    char err[256];
    CHECK(skr_reader_open(path, &r, err, sizeof err) == 0, "open: %s", err);
    return r;
}

static void check_type_counts(struct skr_reader *r, const struct xtrace *m, const char *ctx)
{
    const uint64_t *counts;
    CHECK(skr_reader_type_counts(r, &counts), "%s: no type counts from the index", ctx);
    uint64_t *want = calloc(SKR_MAX_EVENT_TYPES, sizeof *want);
    ck_assert_ptr_nonnull(want);
    for (size_t i = 0; i < m->nev; i++)
        want[m->ev[i].type]++;
    for (int t = 0; t < SKR_MAX_EVENT_TYPES; t++)
        CHECK(counts[t] == want[t], "%s: type %d: index counts %llu, wrote %llu", ctx, t,
              (unsigned long long)counts[t], (unsigned long long)want[t]);
    free(want);
}

/* Loop index i: seed 1 + i / 4 and one of four block sizes, tiny ones
 * included so that nearly every event cuts a block. */
START_TEST(random_roundtrip)
{
    static const uint32_t sizes[] = { 64, 200, 4096, 0 };
    static const int levels[] = { 1, -5, 3, 0 };
    struct gen_opts o = {
        .seed = 1 + (uint64_t)_i / 4, .nevents = 500, .block_size = sizes[_i % 4],
        .zstd_level = levels[(_i / 4) % 4], .cp_every = 37, .stats_every = 53,
        .backwards = true, .max_bytes = _i % 2 ? 300 : 3000,
    };
    struct xtrace m;
    gen_model(&m, &o);
    /* The model covers what the test is about. */
    size_t missing = 0, zero = 0, empty = 0;
    for (size_t i = 0; i < m.nev; i++) {
        const struct skr_event_def *d = test_schema()->defs[m.ev[i].type];
        missing += m.ev[i].nparams < d->nparams;
        zero += m.ev[i].nparams == 0;
        for (unsigned k = 0; k < m.ev[i].nparams; k++)
            empty += d->params[k].wire == SKR_WIRE_BYTES && m.ev[i].params[k].len == 0;
    }
    ck_assert(missing > 10 && zero > 5 && empty > 10);

    char path[256], ctx[64], name[32];
    snprintf(name, sizeof name, "rt-%d.skr", _i);
    tmp_path(path, sizeof path, name);
    write_model_ok(path, &m, &o);
    snprintf(ctx, sizeof ctx, "seed %llu block size %u", (unsigned long long)o.seed, o.block_size);

    struct skr_reader *r = open_ok(path);
    ck_assert_ptr_null(skr_reader_index_rebuilt(r));
    if (o.block_size == 64)
        ck_assert_uint_ge(skr_reader_nblocks(r), m.nev / 2);
    skr_reader_want(r, ALL);
    expect_sequence(r, &m, ALL, ctx);
    skr_reader_rewind(r);
    skr_reader_want(r, SKR_ITEM_EVENT);
    expect_sequence(r, &m, SKR_ITEM_EVENT, ctx);
    skr_reader_rewind(r);
    skr_reader_want(r, SKR_ITEM_CHECKPOINT | SKR_ITEM_STATS);
    expect_sequence(r, &m, SKR_ITEM_CHECKPOINT | SKR_ITEM_STATS, ctx);
    check_type_counts(r, &m, ctx);
    skr_reader_close(r);
    xtrace_free(&m);
}
END_TEST

START_TEST(schema_and_header)
{
    struct gen_opts o = { .seed = 5, .nevents = 50, .first_evnum = 1000001, .file_seq = 7,
                          .zstd_level = 5, .block_size = 1000, .start_ts = 1600000000123456789ull };
    struct xtrace m;
    gen_model(&m, &o);
    char path[256];
    tmp_path(path, sizeof path, "header.skr");
    write_model_ok(path, &m, &o);
    struct skr_reader *r = open_ok(path);
    const struct skr_header_info *h = skr_reader_header(r);
    ck_assert_uint_eq(h->version_major, SKR_VERSION_MAJOR);
    ck_assert_uint_eq(h->version_minor, SKR_VERSION_MINOR);
    ck_assert_str_eq(h->hostname, TEST_HOSTNAME);
    ck_assert_str_eq(h->kernel_release, "6.1.0-test");
    ck_assert_str_eq(h->kernel_version, "#1 SMP PREEMPT_DYNAMIC");
    ck_assert_str_eq(h->arch, "x86_64");
    ck_assert_str_eq(h->recorder, "check_saker");
    ck_assert_str_eq(h->recorder_version, "0.1");
    ck_assert_str_eq(h->filter, "evt.type=open");
    ck_assert_str_eq(h->source_format, "saker");
    ck_assert_uint_eq(h->ncmdline, 3);
    for (int i = 0; i < 3; i++)
        ck_assert_str_eq(h->cmdline[i], test_argv[i]);
    ck_assert_uint_eq(h->noptions, 2);
    ck_assert_str_eq(h->options[0], "snaplen=256");
    ck_assert_str_eq(h->options[1], "filter=");
    ck_assert_uint_eq(h->created_ns, 1600000000123456789ull);
    ck_assert_uint_eq(h->boot_ns, 1600000000123456789ull - 3600000000000ull);
    ck_assert_uint_eq(h->ncpus, 64);
    ck_assert_uint_eq(h->snaplen, 256);
    ck_assert_uint_eq(h->block_size, 1000);
    ck_assert_int_eq(h->zstd_level, 5);
    ck_assert_uint_eq(h->first_evnum, 1000001);
    ck_assert_uint_eq(h->file_seq, 7);

    /* The schema read back is the one written, type for type. */
    const struct skr_schema *s = skr_reader_schema(r), *t = test_schema();
    ck_assert_uint_eq(s->max_id, t->max_id);
    for (uint32_t id = 0; id < SKR_MAX_EVENT_TYPES; id++) {
        const struct skr_event_def *a = s->defs[id], *b = t->defs[id];
        CHECK(!a == !b, "type %u declared in one schema only", id);
        if (!a)
            continue;
        CHECK(a->id == b->id && a->dir == b->dir && a->nparams == b->nparams &&
              strcmp(a->name, b->name) == 0 && strcmp(a->category, b->category) == 0,
              "type %u (%s) differs", id, b->name);
        for (int k = 0; k < a->nparams; k++)
            CHECK(a->params[k].type == b->params[k].type && a->params[k].wire == b->params[k].wire &&
                  strcmp(a->params[k].name, b->params[k].name) == 0,
                  "type %u param %d differs", id, k);
    }
    ck_assert_int_eq(skr_schema_find(s, "t_maxparams"), T_MAXPARAMS);
    ck_assert_int_eq(skr_schema_find(s, "openat"), SAKER_EVT_OPENAT);
    ck_assert_int_eq(skr_schema_find(s, "nonesuch"), -1);

    /* Numbering continues from first_evnum. */
    struct skr_item it;
    ck_assert_int_eq(skr_reader_next(r, &it), 1);
    ck_assert_uint_eq(it.ev->num, 1000001);
    skr_reader_rewind(r);
    expect_sequence(r, &m, SKR_ITEM_EVENT, "first_evnum");
    skr_reader_close(r);
    xtrace_free(&m);
}
END_TEST

START_TEST(every_type_and_edges)
{
    /* Each type with all its parameters, then each with none, then the
     * max-params type with every count of parameters from 0 to 64. */
    struct gen_opts o = { .seed = 11, .nevents = 0, .block_size = 128, .max_bytes = 500 };
    struct xtrace m;
    gen_model(&m, &o);
    struct rng r;
    rng_seed(&r, 12);
    const uint16_t *ids;
    size_t nids = test_type_ids(&ids);
    uint64_t ts = 1700000000000000000ull;
    for (size_t i = 0; i < nids; i++)
        xtrace_add_event(&m, &r, &o, ids[i], test_schema()->defs[ids[i]]->nparams, ts++);
    for (size_t i = 0; i < nids; i++)
        xtrace_add_event(&m, &r, &o, ids[i], 0, ts++);
    for (int k = 0; k <= SKR_MAX_PARAMS; k++)
        xtrace_add_event(&m, &r, &o, T_MAXPARAMS, k, ts++);
    char path[256];
    tmp_path(path, sizeof path, "types.skr");
    write_model_ok(path, &m, &o);
    struct skr_reader *r2 = open_ok(path);
    expect_sequence(r2, &m, SKR_ITEM_EVENT, "every type");
    check_type_counts(r2, &m, "every type");
    /* A block holding a type-4095 event has a 512-byte bitmap. */
    bool big = false;
    for (size_t i = 0; i < skr_reader_nblocks(r2); i++) {
        const struct skr_block_info *b = skr_reader_block(r2, i);
        if (b->bitmap_len == SKR_MAX_EVENT_TYPES / 8 && (b->bitmap[511] & 0x80))
            big = true;
    }
    ck_assert(big);
    skr_reader_close(r2);
    xtrace_free(&m);
}
END_TEST

START_TEST(prefetch_and_mem_agree)
{
    struct gen_opts o = { .seed = 21, .nevents = 800, .block_size = 300, .cp_every = 50,
                          .stats_every = 70, .max_bytes = 100 };
    struct xtrace m;
    gen_model(&m, &o);
    char path[256];
    tmp_path(path, sizeof path, "prefetch.skr");
    write_model_ok(path, &m, &o);

    struct skr_reader *a = open_ok(path), *b;
    size_t len;
    uint8_t *bytes = slurp(path, &len);
    char err[256];
    CHECK(skr_reader_open_mem("mem", bytes, len, &b, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(skr_reader_path(b), "mem");
    ck_assert_uint_eq(skr_reader_file_size(a), len);
    ck_assert_uint_eq(skr_reader_file_size(b), len);
    ck_assert_uint_eq(skr_reader_nblocks(a), skr_reader_nblocks(b));
    for (size_t i = 0; i < skr_reader_nblocks(a); i++) {
        const struct skr_block_info *x = skr_reader_block(a, i), *y = skr_reader_block(b, i);
        ck_assert(x->offset == y->offset && x->length == y->length && x->type == y->type &&
                  x->count == y->count && x->min_ts == y->min_ts && x->max_ts == y->max_ts &&
                  x->first_evnum == y->first_evnum && x->bitmap_len == y->bitmap_len &&
                  (!x->bitmap_len || memcmp(x->bitmap, y->bitmap, x->bitmap_len) == 0));
    }
    ck_assert_ptr_null(skr_reader_block(a, skr_reader_nblocks(a)));
    ck_assert_str_eq(skr_reader_header(a)->hostname, skr_reader_header(b)->hostname);

    for (int pass = 0; pass < 4; pass++) {
        struct skr_reader *r = pass < 2 ? a : b;
        skr_reader_rewind(r);
        skr_reader_set_prefetch(r, pass % 2 == 0);
        skr_reader_want(r, ALL);
        char ctx[64];
        snprintf(ctx, sizeof ctx, "%s reader, prefetch %s", pass < 2 ? "file" : "memory",
                 pass % 2 == 0 ? "on" : "off");
        expect_sequence(r, &m, ALL, ctx);
        /* The end stays the end. */
        struct skr_item it;
        ck_assert_int_eq(skr_reader_next(r, &it), 0);
    }
    skr_reader_close(a);
    skr_reader_close(b);
    free(bytes);
    xtrace_free(&m);
}
END_TEST

START_TEST(settings_changed_midway)
{
    /* Turning prefetch on or off, or setting the same wants again, between
     * two items neither loses nor repeats anything. */
    struct gen_opts o = { .seed = 23, .nevents = 600, .block_size = 400, .cp_every = 45,
                          .stats_every = 65, .max_bytes = 60 };
    struct xtrace m;
    gen_model(&m, &o);
    char path[256], why[256];
    tmp_path(path, sizeof path, "midway.skr");
    write_model_ok(path, &m, &o);
    struct skr_reader *r = open_ok(path);
    skr_reader_want(r, ALL);
    struct skr_item it;
    for (size_t i = 0, k = 0; i < m.nit; i++, k++) {
        if (k % 7 == 3)
            skr_reader_set_prefetch(r, k % 2);
        if (k % 11 == 5)
            skr_reader_want(r, ALL);
        if (k % 13 == 8)
            skr_reader_want_types(r, NULL, 0);
        CHECK(skr_reader_next(r, &it) == 1, "item %zu: ends early", i);
        const struct xitem *x = &m.it[i];
        if (x->kind == X_EVENT) {
            CHECK(it.kind == SKR_ITEM_EVENT && it.ev->num == m.ev[x->ev].num,
                  "item %zu: kind %d, event %llu, want event %llu", i, it.kind,
                  it.kind == SKR_ITEM_EVENT ? (unsigned long long)it.ev->num : 0ull,
                  (unsigned long long)m.ev[x->ev].num);
            CHECK(check_event(&m, it.ev, why, sizeof why) == 0, "%s", why);
        } else {
            CHECK(check_block_item(x, &it, why, sizeof why) == 0, "item %zu: %s", i, why);
        }
    }
    ck_assert_int_eq(skr_reader_next(r, &it), 0);
    skr_reader_close(r);
    xtrace_free(&m);
}
END_TEST

struct mref {
    size_t file;
    uint64_t ts, num;
};

static int cmp_mref(const void *pa, const void *pb)
{
    const struct mref *a = pa, *b = pb;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    return a->num < b->num ? -1 : a->num > b->num;
}

START_TEST(merge_three)
{
    struct xtrace m[3];
    char paths[3][256];
    const char *pv[3];
    size_t total = 0;
    for (int i = 0; i < 3; i++) {
        /* Same start, small steps: the files interleave and share times. */
        struct gen_opts o = { .seed = 31 + (uint64_t)i, .nevents = 300 + 50 * (size_t)i,
                              .block_size = 150, .max_step = 40, .first_evnum = 1 + 1000 * (uint64_t)i,
                              .max_bytes = 40 };
        gen_model(&m[i], &o);
        char name[32];
        snprintf(name, sizeof name, "merge-%d.skr", i);
        pv[i] = tmp_path(paths[i], sizeof paths[i], name);
        write_model_ok(paths[i], &m[i], &o);
        total += m[i].nev;
    }
    struct mref *want = malloc(total * sizeof *want);
    ck_assert_ptr_nonnull(want);
    size_t n = 0;
    for (size_t i = 0; i < 3; i++)
        for (size_t k = 0; k < m[i].nev; k++)
            want[n++] = (struct mref){ i, m[i].ev[k].ts, m[i].ev[k].num };
    qsort(want, n, sizeof *want, cmp_mref);
    size_t ties = 0;
    for (size_t k = 1; k < n; k++)
        ties += want[k].ts == want[k - 1].ts && want[k].file != want[k - 1].file;
    ck_assert_uint_gt(ties, 5);

    struct skr_merge *mg;
    char err[256];
    CHECK(skr_merge_open(pv, 3, &mg, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(skr_merge_nreaders(mg), 3);
    ck_assert_ptr_null(skr_merge_reader(mg, 3));
    struct skr_item it;
    size_t which, got = 0;
    uint64_t prev = 0;
    char why[256];
    while (skr_merge_next(mg, &it, &which) == 1) {
        ck_assert_uint_lt(got, n);
        ck_assert_int_eq(it.kind, SKR_ITEM_EVENT);
        CHECK(it.ev->ts >= prev, "time goes back at merged event %zu", got);
        prev = it.ev->ts;
        CHECK(which == want[got].file && it.ev->num == want[got].num,
              "merged event %zu: file %zu event %llu, want file %zu event %llu", got, which,
              (unsigned long long)it.ev->num, want[got].file, (unsigned long long)want[got].num);
        CHECK(check_event(&m[which], it.ev, why, sizeof why) == 0, "%s", why);
        got++;
    }
    ck_assert_uint_eq(got, n);
    ck_assert_int_eq(skr_merge_next(mg, &it, &which), 0);

    /* Seeking the merge: from the middle time on, the same order. */
    uint64_t mid = want[n / 2].ts;
    size_t start = 0;
    while (want[start].ts < mid)
        start++;
    skr_merge_seek_time(mg, mid);
    for (size_t k = start; k < n; k++) {
        ck_assert_int_eq(skr_merge_next(mg, &it, &which), 1);
        CHECK(which == want[k].file && it.ev->num == want[k].num, "after seek: item %zu", k);
    }
    ck_assert_int_eq(skr_merge_next(mg, &it, &which), 0);
    skr_merge_close(mg);
    free(want);
    for (int i = 0; i < 3; i++)
        xtrace_free(&m[i]);
}
END_TEST

START_TEST(empty_traces)
{
    /* No events at all. */
    struct gen_opts o = { .seed = 41, .nevents = 0 };
    struct xtrace m;
    gen_model(&m, &o);
    char path[256];
    tmp_path(path, sizeof path, "empty.skr");
    write_model_ok(path, &m, &o);
    struct skr_reader *r = open_ok(path);
    ck_assert_ptr_null(skr_reader_index_rebuilt(r));
    ck_assert_uint_eq(skr_reader_nblocks(r), 0);
    struct skr_item it;
    skr_reader_want(r, ALL);
    ck_assert_int_eq(skr_reader_next(r, &it), 0);
    skr_reader_set_prefetch(r, false);
    skr_reader_rewind(r);
    ck_assert_int_eq(skr_reader_next(r, &it), 0);
    skr_reader_seek_time(r, 0);
    ck_assert_int_eq(skr_reader_next(r, &it), 0);
    skr_reader_seek_evnum(r, 1);
    ck_assert_int_eq(skr_reader_next(r, &it), 0);
    ck_assert_int_eq(skr_reader_seek_checkpoint(r, UINT64_MAX), -1);
    ck_assert_int_eq(skr_reader_next(r, &it), 0);
    check_type_counts(r, &m, "empty");
    ck_assert_uint_eq(skr_reader_ndamage(r), 0);
    skr_reader_close(r);

    /* Only an empty checkpoint and an empty stats block: zero-length
     * payloads. */
    struct gen_opts o2 = { .seed = 42, .nevents = 0 };
    gen_model(&m, &o2);
    m.it = calloc(2, sizeof *m.it);
    ck_assert_ptr_nonnull(m.it);
    m.capit = 2;
    m.it[m.nit++] = (struct xitem){ .kind = X_CHECKPOINT, .ts = 5, .first_evnum = 1, .payload = NULL };
    m.it[m.nit++] = (struct xitem){ .kind = X_STATS, .ts = 6, .first_evnum = 1, .cpus = NULL };
    tmp_path(path, sizeof path, "empty2.skr");
    write_model_ok(path, &m, &o2);
    r = open_ok(path);
    ck_assert_uint_eq(skr_reader_nblocks(r), 2);
    for (int pf = 0; pf < 2; pf++) {
        skr_reader_set_prefetch(r, pf);
        skr_reader_rewind(r);
        skr_reader_want(r, ALL);
        expect_sequence(r, &m, ALL, "empty payloads");
    }
    skr_reader_close(r);
    xtrace_free(&m);
}
END_TEST

START_TEST(no_parameters_only)
{
    /* A file whose first blocks hold only events without parameters: the
     * encoder has then never seen a parameter column. */
    static const uint16_t types[] = { T_NOPARAMS };
    struct gen_opts o = { .seed = 51, .nevents = 120, .block_size = 64, .types = types, .ntypes = 1 };
    struct xtrace m;
    gen_model(&m, &o);
    struct rng r;
    rng_seed(&r, 52);
    for (int i = 0; i < 20; i++) /* then a few with parameters */
        xtrace_add_event(&m, &r, &o, T_PTYPE_BASE + SKR_PT_PATH, -1, m.ev[m.nev - 1].ts + 1);
    char path[256];
    tmp_path(path, sizeof path, "noparams.skr");
    write_model_ok(path, &m, &o);
    struct skr_reader *rd = open_ok(path);
    ck_assert_uint_gt(skr_reader_nblocks(rd), 5);
    expect_sequence(rd, &m, SKR_ITEM_EVENT, "no parameters");
    skr_reader_close(rd);
    xtrace_free(&m);
}
END_TEST

Suite *roundtrip_suite(void)
{
    Suite *s = suite_create("roundtrip");
    TCase *tc = tcase_create("roundtrip");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, random_roundtrip, 0, 12);
    tcase_add_test(tc, schema_and_header);
    tcase_add_test(tc, every_type_and_edges);
    tcase_add_test(tc, prefetch_and_mem_agree);
    tcase_add_test(tc, settings_changed_midway);
    tcase_add_test(tc, merge_three);
    tcase_add_test(tc, empty_traces);
    tcase_add_test(tc, no_parameters_only);
    suite_add_tcase(s, tc);
    return s;
}
