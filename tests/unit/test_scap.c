/* test_scap.c -- sysdig/Falco .scap captures through the reader
 * (man/saker-trace.5 §16): every corpus capture opens with the event count
 * the corpus MANIFEST gives, events agree with sysdig's own reading (run at
 * test time when sysdig is installed) and with sysdig 0.36's recorded
 * output for the modern captures, a capture with pcapng options reads like
 * its plain twin, the tables become checkpoint records, and cut, flipped or
 * foreign files never crash and report damage. The corpus is read from
 * $SAKER_CORPUS or ../shared/corpus/scap; tests skip without it. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../reader/scap.h"
#include "suites.h"
#include "testutil.h"

static const char *corpus_dir(void)
{
    const char *d = getenv("SAKER_CORPUS");
    return d && *d ? d : "../shared/corpus/scap";
}

static bool corpus_file(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", corpus_dir(), name);
    return access(buf, R_OK) == 0;
}

#define NEED_CORPUS(path, name)                                                     \
    do {                                                                            \
        if (!corpus_file(path, sizeof path, name)) {                                \
            fprintf(stderr, "skip: %s: no corpus file %s\n", __func__, path);      \
            return;                                                                 \
        }                                                                           \
    } while (0)

static struct skr_reader *open_ok(const char *path)
{
    struct skr_reader *r;
    char err[512];
    CHECK(skr_reader_open(path, &r, err, sizeof err) == 0, "%s: %s", path, err);
    skr_reader_set_prefetch(r, false);
    return r;
}

/* The event type as sysdig names it: generic events by their syscall. */
static const char *type_name(const struct skr_event *ev)
{
    if (ev->type <= 1 && ev->nparams >= 1) {
        if (ev->params[0].u < SKR_SCAP_SYSCALL_MAX && skr_scap_syscall_names[ev->params[0].u])
            return skr_scap_syscall_names[ev->params[0].u];
        return "<unknown>";
    }
    return ev->def->name;
}

/* MANIFEST.md's "EV blocks in file" count for a file, or -1. */
static long manifest_events(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/MANIFEST.md", corpus_dir());
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[8192], key[300];
    snprintf(key, sizeof key, "| `%s` |", name);
    long n = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, strlen(key)) != 0)
            continue;
        /* "| 85 / 85 / 345 |": the third number */
        char *p = strstr(line, " / ");
        if (p && (p = strstr(p + 3, " / ")))
            n = strtol(p + 3, NULL, 10);
        break;
    }
    fclose(f);
    return n;
}

START_TEST(corpus_counts)
{
    DIR *d = opendir(corpus_dir());
    if (!d) {
        fprintf(stderr, "skip: corpus_counts: no corpus at %s\n", corpus_dir());
        return;
    }
    struct dirent *e;
    int files = 0, counted = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".scap") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", corpus_dir(), e->d_name);
        struct skr_reader *r = open_ok(path);
        CHECK(!strcmp(skr_reader_header(r)->source_format, "scap"), "%s: source format", path);
        struct skr_item it;
        uint64_t n = 0, prev = 0;
        while (skr_reader_next(r, &it) == 1) {
            n++;
            CHECK(it.ev->num == prev + 1, "%s: event %llu after %llu", path,
                  (unsigned long long)it.ev->num, (unsigned long long)prev);
            prev = it.ev->num;
        }
        CHECK(skr_reader_ndamage(r) == 0, "%s: damage: %s", path, skr_reader_damage(r, 0)->what);
        long want = manifest_events(e->d_name);
        if (want >= 0) {
            CHECK((long)n == want, "%s: %llu events, MANIFEST says %ld", path,
                  (unsigned long long)n, want);
            counted++;
        }
        skr_reader_close(r);
        files++;
    }
    closedir(d);
    ck_assert_int_ge(files, 30);
    ck_assert_int_ge(counted, 30);
}
END_TEST

/* Each line of `sysdig -p '%evt.num %evt.rawtime %evt.cpu %thread.tid
 * %evt.dir %evt.type'` against the event of that number. sysdig 0.29.3
 * does not know event ids from SKR_SCAP_EVENT_MAX_SYSDIG_0_29 on and skips
 * them unnumbered, so its numbers count only the others; some names are
 * libs' older ones. ('*' makes sysdig print events that lack a field.) */
static const char *sysdig029_name(const struct skr_event *ev)
{
    if (ev->type <= 1 && ev->nparams >= 1 && ev->params[0].u < SKR_SCAP_SYSCALL_MAX &&
        skr_scap_syscall_names_sysdig029[ev->params[0].u])
        return skr_scap_syscall_names_sysdig029[ev->params[0].u];
    if (ev->type < SKR_SCAP_EVENT_MAX_SYSDIG_0_29 && skr_scap_event_names_sysdig029[ev->type])
        return skr_scap_event_names_sysdig029[ev->type];
    return type_name(ev);
}

static unsigned long compare_with_sysdig(const char *path, unsigned long limit,
                                         unsigned long *nres)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "sysdig -r '%s' -D -p '*%%evt.num %%evt.rawtime %%evt.cpu "
             "%%thread.tid %%evt.dir %%evt.type %%evt.rawarg.res %%evt.rawarg.name' 2>/dev/null",
             path);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    struct skr_reader *r = open_ok(path);
    struct skr_item it;
    unsigned long long num, ts, snum = 0;
    unsigned cpu;
    long long tid;
    char dir[8], type[64], res[64];
    unsigned long compared = 0, results = 0;
    bool have = false;
    char *line = NULL;
    size_t cap = 0;
    while (compared < limit && getline(&line, &cap, p) > 0) {
        int k = sscanf(line, "%llu %llu %u %lld %7s %63s %63s", &num, &ts, &cpu, &tid, dir, type,
                       res);
        if (k < 6)
            continue; /* sysdig's log lines, container JSON */
        while (snum < num) {
            have = skr_reader_next(r, &it) == 1;
            if (!have)
                break;
            if (it.ev->type < SKR_SCAP_EVENT_MAX_SYSDIG_0_29)
                snum++;
        }
        CHECK(have && snum == num, "%s: no event %llu", path, num);
        const struct skr_event *ev = it.ev;
        CHECK(ev->ts == ts && ev->cpu == cpu, "%s: event %llu: ts %llu cpu %u, sysdig %llu %u",
              path, num, (unsigned long long)ev->ts, ev->cpu, ts, cpu);
        CHECK(ev->tid == tid, "%s: event %llu: tid %lld, sysdig %lld", path, num,
              (long long)ev->tid, tid);
        CHECK(!strcmp(skr_dir_name(ev->def->dir), dir), "%s: event %llu: dir", path, num);
        CHECK(!strcmp(sysdig029_name(ev), type), "%s: event %llu: type %s, sysdig %s",
              path, num, sysdig029_name(ev), type);
        /* the name parameter (a path or string): the rest of the line */
        const char *name = line;
        for (int t = 0; t < 7 && name; t++) {
            name = strchr(name, ' ');
            name = name ? name + 1 : NULL;
        }
        for (unsigned i = 0; name && strncmp(name, "<NA>", 4) && i < ev->nparams; i++) {
            if (strcmp(ev->def->params[i].name, "name") != 0 ||
                ev->def->params[i].wire != SKR_WIRE_BYTES)
                continue;
            size_t nl = strcspn(name, "\n");
            const struct skr_value *v = &ev->params[i];
            if (!v->len)
                continue; /* sysdig reads an empty string on into the next parameter */
            CHECK(v->len == nl && !memcmp(v->ptr, name, nl), "%s: event %llu: name '%.*s', "
                  "sysdig '%.*s'", path, num, (int)v->len, (const char *)v->ptr, (int)nl, name);
            (*nres)++;
        }
        /* the raw return value, where the event has one */
        for (unsigned i = 0; k == 7 && strcmp(res, "<NA>") && i < ev->nparams; i++) {
            if (strcmp(ev->def->params[i].name, "res") != 0)
                continue;
            char mine[64];
            if (ev->def->params[i].wire == SKR_WIRE_ZIGZAG)
                snprintf(mine, sizeof mine, "%lld", (long long)ev->params[i].s);
            else
                snprintf(mine, sizeof mine, "%llu", (unsigned long long)ev->params[i].u);
            CHECK(!strcmp(mine, res), "%s: event %llu: res %s, sysdig %s", path, num, mine, res);
            results++;
        }
        compared++;
    }
    free(line);
    pclose(p);
    skr_reader_close(r);
    *nres += results;
    return compared;
}

/* Every capture sysdig 0.29.3 reads: all events (the two modern captures
 * have their own test, and the editcap'd twin is one sysdig cannot read). */
START_TEST(sysdig_all)
{
    DIR *d = opendir(corpus_dir());
    if (!d) {
        fprintf(stderr, "skip: sysdig_all: no corpus at %s\n", corpus_dir());
        return;
    }
    if (system("command -v sysdig >/dev/null 2>&1") != 0) {
        closedir(d);
        fprintf(stderr, "skip: sysdig_all: sysdig not installed\n");
        return;
    }
    struct dirent *e;
    int files = 0;
    unsigned long events = 0, results = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".scap") != 0 ||
            !strncmp(e->d_name, "modern__", 8) || strstr(e->d_name, "_comments"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", corpus_dir(), e->d_name);
        events += compare_with_sysdig(path, ~0ul, &results);
        files++;
    }
    closedir(d);
    ck_assert_int_ge(files, 30);
    ck_assert_uint_gt(events, 250000);
    ck_assert_uint_gt(results, 40000);
}
END_TEST

/* expected/sysdig036-output/NAME.txt.zst: num|rawtime|type|dir|... */
static void compare_with_036(const char *name)
{
    char path[1024], exp[1200];
    NEED_CORPUS(path, name);
    snprintf(exp, sizeof exp, "%s/expected/sysdig036-output/%.*s.txt.zst", corpus_dir(),
             (int)(strlen(name) - 5), name);
    if (access(exp, R_OK) != 0 || system("command -v zstd >/dev/null 2>&1") != 0) {
        fprintf(stderr, "skip: %s: no %s or no zstd\n", name, exp);
        return;
    }
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "zstd -dc '%s'", exp);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    struct skr_reader *r = open_ok(path);
    struct skr_item it;
    bool have = skr_reader_next(r, &it) == 1;
    char *line = NULL;
    size_t cap = 0;
    unsigned long compared = 0;
    while (getline(&line, &cap, p) > 0) {
        unsigned long long num, ts;
        char type[64], dir[8];
        if (sscanf(line, "%llu|%llu|%63[^|]|%7[^|]", &num, &ts, type, dir) != 4)
            continue;
        while (have && it.ev->num < num)
            have = skr_reader_next(r, &it) == 1;
        CHECK(have && it.ev->num == num, "%s: no event %llu", name, num);
        CHECK(it.ev->ts == ts, "%s: event %llu: ts", name, num);
        CHECK(!strcmp(type_name(it.ev), type), "%s: event %llu: type %s, sysdig %s", name, num,
              type_name(it.ev), type);
        CHECK(!strcmp(skr_dir_name(it.ev->def->dir), dir), "%s: event %llu: dir", name, num);
        compared++;
    }
    free(line);
    pclose(p);
    skr_reader_close(r);
    ck_assert_uint_gt(compared, 10000);
}

START_TEST(modern_raw) { compare_with_036("modern__sysdig036_benign.scap"); }
END_TEST
START_TEST(modern_gz) { compare_with_036("modern__sysdig036_benign_gz_snaplen256.scap"); }
END_TEST

static void same_event(const struct skr_event *a, const struct skr_event *b)
{
    CHECK(a->num == b->num && a->ts == b->ts && a->tid == b->tid && a->cpu == b->cpu &&
          a->type == b->type && a->nparams == b->nparams, "event %llu differs",
          (unsigned long long)a->num);
    for (unsigned i = 0; i < a->nparams; i++) {
        const struct skr_value *x = &a->params[i], *y = &b->params[i];
        CHECK(x->u == y->u && x->s == y->s && x->len == y->len &&
              (!x->len || !memcmp(x->ptr, y->ptr, x->len)),
              "event %llu param %u differs", (unsigned long long)a->num, i);
    }
}

/* The editcap'd twin (section header options, event blocks with trailing
 * option bytes) decodes to the same events. */
START_TEST(comments_twin)
{
    char pa[1024], pb[1024];
    NEED_CORPUS(pa, "libs__curl_google.scap");
    NEED_CORPUS(pb, "libs__curl_google_comments.scap");
    struct skr_reader *a = open_ok(pa), *b = open_ok(pb);
    struct skr_item ia, ib;
    uint64_t n = 0;
    for (;;) {
        int ra = skr_reader_next(a, &ia), rb = skr_reader_next(b, &ib);
        ck_assert_int_eq(ra, rb);
        if (ra != 1)
            break;
        same_event(ia.ev, ib.ev);
        n++;
    }
    ck_assert_uint_eq(n, 1536);
    ck_assert_uint_eq(skr_reader_ndamage(b), 0);
    skr_reader_close(a);
    skr_reader_close(b);
}
END_TEST

struct cpcount {
    unsigned kinds[8];
};

static void count_checkpoint(struct skr_reader *r, struct cpcount *cc, char *comm_of_1,
                             size_t clen)
{
    memset(cc, 0, sizeof *cc);
    skr_reader_want(r, SKR_ITEM_CHECKPOINT);
    struct skr_item it;
    ck_assert_int_eq(skr_reader_next(r, &it), 1);
    ck_assert_int_eq(it.kind, SKR_ITEM_CHECKPOINT);
    struct skr_cur c = skr_cur_make(it.payload, it.payload_len);
    struct skr_field f;
    unsigned n = 0;
    while (skr_next_field(&c, &f)) {
        n++;
        if (f.tag < 8)
            cc->kinds[f.tag]++;
        if (f.tag != SKR_CP_THREAD)
            continue;
        struct skr_cur t = skr_cur_make(f.ptr, f.len);
        struct skr_field g;
        int64_t tid = -1;
        while (skr_next_field(&t, &g)) {
            if (g.tag == SKR_CPT_TID)
                tid = g.s;
            if (g.tag == SKR_CPT_COMM && tid == 1 && comm_of_1)
                snprintf(comm_of_1, clen, "%.*s", (int)g.len, (const char *)g.ptr);
        }
        CHECK(skr_cur_ok(&t), "thread record malformed");
    }
    CHECK(skr_cur_ok(&c), "checkpoint malformed");
    ck_assert_uint_eq(n, it.block->count);
}

/* libs' own tests expect 94 threads in sample.scap's table. */
START_TEST(tables_sample)
{
    char path[1024];
    NEED_CORPUS(path, "libs__sample.scap");
    struct skr_reader *r = open_ok(path);
    struct cpcount cc;
    char comm[64] = "";
    count_checkpoint(r, &cc, comm, sizeof comm);
    ck_assert_uint_eq(cc.kinds[SKR_CP_THREAD], 94);
    ck_assert_uint_gt(cc.kinds[SKR_CP_FD], 0);
    ck_assert_uint_gt(cc.kinds[SKR_CP_IFACE], 0);
    ck_assert_str_eq(comm, "systemd");
    skr_reader_close(r);
}
END_TEST

/* Containers from container events, users and groups from the list. */
START_TEST(tables_containers)
{
    char path[1024];
    NEED_CORPUS(path, "sysflow__setuid_setuid.scap");
    struct skr_reader *r = open_ok(path);
    struct cpcount cc;
    count_checkpoint(r, &cc, NULL, 0);
    ck_assert_uint_eq(cc.kinds[SKR_CP_CONTAINER], 2);
    ck_assert_uint_gt(cc.kinds[SKR_CP_USER], 0);
    ck_assert_uint_gt(cc.kinds[SKR_CP_GROUP], 0);
    skr_reader_close(r);
}
END_TEST

/* A thread's container id comes from its cgroups, as sysdig's does. */
START_TEST(tables_container_id)
{
    char path[1024];
    NEED_CORPUS(path, "falco__psp_run_as_user_0_container.scap");
    struct skr_reader *r = open_ok(path);
    skr_reader_want(r, SKR_ITEM_CHECKPOINT);
    struct skr_item it;
    ck_assert_int_eq(skr_reader_next(r, &it), 1);
    struct skr_cur c = skr_cur_make(it.payload, it.payload_len);
    struct skr_field f;
    unsigned in_container = 0;
    bool found = false;
    while (skr_next_field(&c, &f)) {
        if (f.tag != SKR_CP_THREAD)
            continue;
        struct skr_cur t = skr_cur_make(f.ptr, f.len);
        struct skr_field g;
        int64_t tid = 0;
        while (skr_next_field(&t, &g)) {
            if (g.tag == SKR_CPT_TID)
                tid = g.s;
            if (g.tag == SKR_CPT_CONTAINER_ID) {
                in_container++;
                found |= tid == 25754 && g.len == 12 && !memcmp(g.ptr, "697956520d89", 12);
            }
        }
    }
    ck_assert_uint_eq(in_container, 1);
    ck_assert(found);
    skr_reader_close(r);
}
END_TEST

/* The raw bytes of a corpus capture (gunzipped). */
static uint8_t *raw_capture(const char *path, size_t *len)
{
    size_t flen;
    uint8_t *file = slurp(path, &flen);
    uint8_t *raw;
    bool gz;
    char gzd[200], err[200];
    ck_assert_int_eq(skr_scap_load(file, flen, -1, file, flen, &raw, len, &gz, gzd, sizeof gzd,
                                   err, sizeof err), 1);
    free(file);
    return raw;
}

static uint64_t read_all(const uint8_t *d, size_t n, bool *opened, size_t *ndamage,
                         struct skr_event *first_events, size_t nfirst)
{
    struct skr_reader *r;
    char err[512];
    *opened = skr_reader_open_mem("cut.scap", d, n, &r, err, sizeof err) == 0;
    if (!*opened)
        return 0;
    skr_reader_set_prefetch(r, false);
    struct skr_item it;
    uint64_t k = 0;
    while (skr_reader_next(r, &it) == 1) {
        if (first_events && k < nfirst) {
            CHECK(it.ev->num == first_events[k].num && it.ev->ts == first_events[k].ts &&
                  it.ev->type == first_events[k].type, "cut at %zu: event %llu differs", n,
                  (unsigned long long)it.ev->num);
        }
        k++;
    }
    *ndamage = skr_reader_ndamage(r);
    skr_reader_close(r);
    return k;
}

/* Cut at many offsets: never a crash; what is read is a prefix of the
 * whole; a cut inside a block is reported. */
START_TEST(truncation)
{
    char path[1024];
    NEED_CORPUS(path, "falco__cat_write.scap");
    size_t len;
    uint8_t *raw = raw_capture(path, &len);
    bool opened;
    size_t nd;
    /* the whole file: remember its events */
    struct skr_reader *r;
    char err[512];
    ck_assert_int_eq(skr_reader_open_mem("w.scap", raw, len, &r, err, sizeof err), 0);
    struct skr_event *all = calloc(400, sizeof *all);
    struct skr_item it;
    size_t total = 0;
    while (skr_reader_next(r, &it) == 1 && total < 400)
        all[total++] = *it.ev;
    skr_reader_close(r);
    ck_assert_uint_eq(total, 345);
    unsigned reported = 0, cuts = 0;
    for (size_t cut = 0; cut < len; cut += cut < 200 ? 1 : 331) {
        uint8_t *d = malloc(cut ? cut : 1);
        memcpy(d, raw, cut);
        uint64_t k = read_all(d, cut, &opened, &nd, all, total);
        CHECK(k <= total, "cut at %zu: %llu events", cut, (unsigned long long)k);
        if (opened && nd)
            reported++;
        CHECK(opened || cut < 200, "cut at %zu: not opened", cut);
        cuts++;
        free(d);
    }
    /* nearly every cut lands inside a block */
    CHECK(reported * 10 >= cuts * 8, "only %u of %u cuts reported", reported, cuts);
    free(all);
    free(raw);
}
END_TEST

START_TEST(byte_flips)
{
    char path[1024];
    NEED_CORPUS(path, "libs__test_ipv6_client.scap");
    size_t len;
    uint8_t *raw = raw_capture(path, &len);
    struct rng g;
    rng_seed(&g, 42);
    uint8_t *d = malloc(len);
    bool opened;
    size_t nd;
    for (int i = 0; i < 600; i++) {
        memcpy(d, raw, len);
        for (int k = 0; k < 3; k++) {
            size_t at = (size_t)rng_below(&g, len);
            d[at] ^= (uint8_t)(1 + rng_below(&g, 255));
        }
        uint64_t n = read_all(d, len, &opened, &nd, NULL, 0);
        CHECK(n <= 400, "flip %d: %llu events", i, (unsigned long long)n);
    }
    free(d);
    free(raw);
}
END_TEST

START_TEST(not_scap)
{
    char path[1024];
    NEED_CORPUS(path, "not-scap/toolbox__output.scap.pcapng");
    struct skr_reader *r;
    char err[512];
    ck_assert_int_eq(skr_reader_open(path, &r, err, sizeof err), -1);
    CHECK(strstr(err, "pcapng network capture") && strstr(err, path), "message: %s", err);
}
END_TEST

/* Crafted captures: unknown block and event types are skipped and
 * counted; a V2 event whose parameter lengths overrun is one event lost. */
static void put32(uint8_t *p, uint32_t v) { skr_store_u32(p, v); }

static size_t block(uint8_t *out, uint32_t type, const uint8_t *body, uint32_t n)
{
    uint32_t pad = (4 - n % 4) % 4, total = 12 + n + pad;
    put32(out, type);
    put32(out + 4, total);
    memcpy(out + 8, body, n);
    memset(out + 8 + n, 0, pad);
    put32(out + 8 + n + pad, total);
    return total;
}

static uint32_t event_body(uint8_t *b, uint16_t type, uint64_t ts, const uint16_t *lens,
                           uint32_t np, uint32_t datalen)
{
    memset(b, 0, 2);                       /* cpu */
    skr_store_u64(b + 2, ts);
    skr_store_u64(b + 10, 77);             /* tid */
    uint32_t len = 26 + np * 2 + datalen;
    put32(b + 18, len);
    skr_store_u16(b + 22, type);
    put32(b + 24, np);
    for (uint32_t i = 0; i < np; i++)
        skr_store_u16(b + 28 + 2 * i, lens[i]);
    memset(b + 28 + 2 * np, 'a', datalen);
    return 2 + len;
}

START_TEST(crafted_unknowns)
{
    uint8_t f[4096], b[512];
    size_t n = 0;
    uint8_t shb[16] = { 0 };
    put32(shb, SKR_SCAP_BYTE_ORDER_MAGIC);
    skr_store_u16(shb + 4, 1);
    skr_store_u16(shb + 6, 2);
    n += block(f + n, SKR_SCAP_SHB, shb, 16);
    n += block(f + n, 0x7777, (const uint8_t *)"junk", 4);          /* unknown block */
    uint16_t l1[1] = { 8 };
    n += block(f + n, SKR_SCAP_EV_V2, b, event_body(b, 4, 100, l1, 1, 8));     /* close > */
    n += block(f + n, SKR_SCAP_EV_V2, b, event_body(b, 4000, 101, l1, 1, 8));  /* unknown type */
    uint16_t bad[1] = { 60 };
    n += block(f + n, SKR_SCAP_EV_V2, b, event_body(b, 4, 102, bad, 1, 8));    /* overrun */
    n += block(f + n, SKR_SCAP_EV_V2, b, event_body(b, 5, 103, l1, 1, 8));     /* close < */
    struct skr_reader *r;
    char err[512];
    ck_assert_int_eq(skr_reader_open_mem("c.scap", f, n, &r, err, sizeof err), 0);
    struct skr_item it;
    ck_assert_int_eq(skr_reader_next(r, &it), 1);
    ck_assert_uint_eq(it.ev->num, 1);
    ck_assert_str_eq(it.ev->def->name, "close");
    ck_assert_int_eq(it.ev->params[0].s, 0x6161616161616161ll);
    ck_assert_int_eq(skr_reader_next(r, &it), 1);
    ck_assert_uint_eq(it.ev->num, 3); /* number 2 was the lost event */
    ck_assert_int_eq(it.ev->def->dir, SKR_DIR_EXIT);
    ck_assert_int_eq(skr_reader_next(r, &it), 0);
    ck_assert_uint_eq(skr_reader_ndamage(r), 1);
    ck_assert_uint_eq(skr_reader_damage(r, 0)->events_lost, 1);
    const struct skr_header_info *h = skr_reader_header(r);
    bool ub = false, ue = false;
    for (size_t i = 0; i < h->noptions; i++) {
        ub |= !strcmp(h->options[i], "scap.unknown_blocks=1");
        ue |= !strcmp(h->options[i], "scap.unknown_events=1");
    }
    CHECK(ub && ue, "unknown blocks/events not counted");
    skr_reader_close(r);
}
END_TEST

/* An fd list after events (a second section's tables) is a new snapshot:
 * a second CHECKPOINT before the next event. */
START_TEST(crafted_later_tables)
{
    uint8_t f[4096], b[512];
    size_t n = 0;
    uint8_t shb[16] = { 0 };
    put32(shb, SKR_SCAP_BYTE_ORDER_MAGIC);
    skr_store_u16(shb + 4, 1);
    n += block(f + n, SKR_SCAP_SHB, shb, 16);
    uint16_t l1[1] = { 8 };
    n += block(f + n, SKR_SCAP_EV_V2, b, event_body(b, 4, 100, l1, 1, 8));
    /* FDL: tid 42, then fd 5, ino 9, type 1 (file), name "/etc/x" */
    memset(b, 0, sizeof b);
    skr_store_u64(b, 42);
    skr_store_u64(b + 8, 5);
    skr_store_u64(b + 16, 9);
    b[24] = 1;
    skr_store_u16(b + 25, 6);
    memcpy(b + 27, "/etc/x", 6);
    n += block(f + n, SKR_SCAP_FDL, b, 33);
    n += block(f + n, SKR_SCAP_EV_V2, b, event_body(b, 5, 101, l1, 1, 8));
    struct skr_reader *r;
    char err[512];
    ck_assert_int_eq(skr_reader_open_mem("t.scap", f, n, &r, err, sizeof err), 0);
    skr_reader_want(r, SKR_ITEM_EVENT | SKR_ITEM_CHECKPOINT);
    struct skr_item it;
    int kinds[8], k = 0;
    uint64_t second_at = 0, second_count = 0;
    while (k < 8 && skr_reader_next(r, &it) == 1) {
        kinds[k++] = it.kind;
        if (it.kind == SKR_ITEM_CHECKPOINT && k > 1) {
            second_at = it.block->first_evnum;
            second_count = it.block->count;
            struct skr_cur c = skr_cur_make(it.payload, it.payload_len);
            struct skr_field fl;
            ck_assert(skr_next_field(&c, &fl));
            ck_assert_uint_eq(fl.tag, SKR_CP_FD);
        }
    }
    ck_assert_int_eq(k, 4);
    ck_assert_int_eq(kinds[0], SKR_ITEM_CHECKPOINT);
    ck_assert_int_eq(kinds[1], SKR_ITEM_EVENT);
    ck_assert_int_eq(kinds[2], SKR_ITEM_CHECKPOINT);
    ck_assert_int_eq(kinds[3], SKR_ITEM_EVENT);
    ck_assert_uint_eq(second_at, 2);
    ck_assert_uint_eq(second_count, 1);
    ck_assert_uint_eq(skr_reader_ndamage(r), 0);
    skr_reader_close(r);
}
END_TEST

Suite *scap_suite(void)
{
    Suite *s = suite_create("scap");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, corpus_counts);
    tcase_add_test(tc, sysdig_all);
    tcase_add_test(tc, modern_raw);
    tcase_add_test(tc, modern_gz);
    tcase_add_test(tc, comments_twin);
    tcase_add_test(tc, tables_sample);
    tcase_add_test(tc, tables_containers);
    tcase_add_test(tc, tables_container_id);
    tcase_add_test(tc, not_scap);
    suite_add_tcase(s, tc);
    TCase *td = tcase_create("damage");
    tcase_set_timeout(td, 300);
    tcase_add_test(td, truncation);
    tcase_add_test(td, byte_flips);
    tcase_add_test(td, crafted_unknowns);
    tcase_add_test(td, crafted_later_tables);
    suite_add_tcase(s, td);
    return s;
}
