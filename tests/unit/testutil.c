/* testutil.c -- helpers shared by the unit tests (see testutil.h): the
 * RNG, the scratch directory, the test schema, generating a model and
 * writing it. Comparing what a reader delivers is in testcheck.c. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void rng_seed(struct rng *r, uint64_t seed) { r->s = seed * 0x9E3779B97F4A7C15ull + 1; }

uint64_t rng_next(struct rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1Dull;
}

uint64_t rng_below(struct rng *r, uint64_t n) { return n ? rng_next(r) % n : 0; }

/* ---- scratch directory and files ---- */

static char scratch[64];
static pid_t scratch_owner;

static void tmpdir_at_exit(void)
{
    /* Test children (Check forks one per test) leave it to the runner. */
    if (getpid() == scratch_owner)
        tmpdir_remove();
}

void tmpdir_create(void)
{
    snprintf(scratch, sizeof scratch, "/tmp/saker-unit-XXXXXX");
    if (!mkdtemp(scratch)) {
        perror("mkdtemp");
        exit(2);
    }
    scratch_owner = getpid();
    atexit(tmpdir_at_exit); /* also when CK_FORK=no and a test fails */
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void tmpdir_remove(void)
{
    if (scratch[0])
        nftw(scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    scratch[0] = 0;
}

const char *tmp_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", scratch, name);
    return buf;
}

uint8_t *slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
    struct stat st;
    ck_assert_int_eq(fstat(fd, &st), 0);
    uint8_t *p = malloc((size_t)st.st_size + 1);
    CHECK(p != NULL, "out of memory");
    ssize_t k = read(fd, p, (size_t)st.st_size);
    CHECK(k == st.st_size, "read %s", path);
    close(fd);
    *len = (size_t)st.st_size;
    return p;
}

void spit(const char *path, const void *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0, "create %s: %s", path, strerror(errno));
    CHECK(write(fd, p, n) == (ssize_t)n, "write %s", path);
    close(fd);
}

/* ---- the test schema ---- */

#define NTEST_TYPES (SAKER_EVT_COUNT + SKR_PT_MAX_KNOWN + 3)
static struct skr_event_def table[NTEST_TYPES];
static struct skr_schema schema;
static uint16_t ids[NTEST_TYPES];
static size_t nids;
static char pnames[SKR_MAX_PARAMS][8];
static char tnames[SKR_PT_MAX_KNOWN + 1][24];

const struct skr_schema *test_schema(void)
{
    if (nids)
        return &schema;
    size_t n = 0;
    for (int k = 0; k < SKR_MAX_PARAMS; k++)
        snprintf(pnames[k], sizeof pnames[k], "p%d", k);
    for (int i = 0; i < SAKER_EVT_COUNT; i++)
        table[n++] = saker_evt_table[i];
    for (int p = 1; p <= SKR_PT_MAX_KNOWN; p++) {
        struct skr_event_def *d = &table[n++];
        memset(d, 0, sizeof *d);
        snprintf(tnames[p], sizeof tnames[p], "t_%s", skr_ptype_name(p));
        d->id = (uint16_t)(T_PTYPE_BASE + p);
        d->dir = (uint8_t)(p % 4);
        d->name = tnames[p];
        d->category = p % 2 ? "test" : "";
        d->nparams = 3;
        for (int k = 0; k < 3; k++)
            d->params[k] = (struct skr_param_def){ pnames[k], (uint8_t)p,
                                                   (uint8_t)skr_ptype_wire(p) };
    }
    struct skr_event_def *d = &table[n++];
    memset(d, 0, sizeof *d);
    *d = (struct skr_event_def){ .id = T_UNKNOWN, .dir = SKR_DIR_EXIT, .name = "t_unknown",
                                 .category = "future", .nparams = 3 };
    d->params[0] = (struct skr_param_def){ "blob", 77, SKR_WIRE_BYTES };
    d->params[1] = (struct skr_param_def){ "delta", 78, SKR_WIRE_ZIGZAG };
    d->params[2] = (struct skr_param_def){ "count", 250, SKR_WIRE_VARINT };
    d = &table[n++];
    *d = (struct skr_event_def){ .id = T_NOPARAMS, .dir = SKR_DIR_ENTER, .name = "t_noparams",
                                 .category = "test", .nparams = 0 };
    d = &table[n++];
    *d = (struct skr_event_def){ .id = T_MAXPARAMS, .dir = SKR_DIR_COMBINED, .name = "t_maxparams",
                                 .category = "test", .nparams = SKR_MAX_PARAMS };
    for (int k = 0; k < SKR_MAX_PARAMS; k++) {
        int p = 1 + k % SKR_PT_MAX_KNOWN;
        d->params[k] = (struct skr_param_def){ pnames[k], (uint8_t)p, (uint8_t)skr_ptype_wire(p) };
    }
    skr_schema_from_table(&schema, table, n);
    for (size_t i = 0; i < n; i++)
        ids[i] = table[i].id;
    nids = n;
    return &schema;
}

size_t test_type_ids(const uint16_t **out)
{
    test_schema();
    *out = ids;
    return nids;
}

/* ---- the model ---- */

void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap * 2 : 64;
    while (c < need)
        c *= 2;
    p = realloc(p, c * size);
    CHECK(p != NULL, "out of memory");
    *cap = c;
    return p;
}

static struct xitem *add_item(struct xtrace *m, int kind)
{
    m->it = grow(m->it, &m->capit, m->nit + 1, sizeof *m->it);
    struct xitem *x = &m->it[m->nit++];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    return x;
}

static uint64_t gen_varint(struct rng *r, bool small)
{
    static const uint64_t edge[] = { 0, 1, 127, 128, 255, 16383, 16384, UINT32_MAX,
                                     (uint64_t)UINT32_MAX + 1, 1ull << 62, 1ull << 63,
                                     UINT64_MAX - 1, UINT64_MAX };
    if (small)
        return rng_below(r, 1000);
    switch (rng_below(r, 4)) {
    case 0: return edge[rng_below(r, sizeof edge / sizeof edge[0])];
    case 1: return rng_below(r, 200);
    default: return rng_next(r) >> rng_below(r, 64);
    }
}

static int64_t gen_zigzag(struct rng *r, bool small)
{
    static const int64_t edge[] = { 0, -1, 1, -64, 63, -65, 64, INT32_MIN, INT32_MAX,
                                    INT64_MIN, INT64_MAX, INT64_MIN + 1, INT64_MAX - 1 };
    if (small)
        return (int64_t)rng_below(r, 1000) - 100;
    switch (rng_below(r, 4)) {
    case 0: return edge[rng_below(r, sizeof edge / sizeof edge[0])];
    case 1: return (int64_t)rng_below(r, 200) - 100;
    default: return (int64_t)rng_next(r) >> rng_below(r, 64);
    }
}

static void gen_bytes(struct rng *r, const struct gen_opts *o, struct skr_value *v)
{
    static const char *const words[] = { "/etc/", "passwd", "read ", "GET / HTTP/1.1\r\n",
                                          "python3", "\0", "/tmp/", "x" };
    unsigned maxb = o->max_bytes ? o->max_bytes : 300;
    uint64_t k = rng_below(r, 16);
    uint32_t len = k == 0 ? 0 : k < 8 ? 1 + (uint32_t)rng_below(r, 16) : 1 + (uint32_t)rng_below(r, maxb);
    if (len > maxb)
        len = maxb;
    v->len = len;
    v->ptr = NULL;
    if (!len)
        return;
    uint8_t *p = malloc(len);
    CHECK(p != NULL, "out of memory");
    if (o->text) {
        for (uint32_t i = 0; i < len;) {
            const char *w = words[rng_below(r, 8)];
            size_t wl = *w ? strlen(w) : 1;
            for (size_t j = 0; j < wl && i < len; j++)
                p[i++] = (uint8_t)w[j];
        }
    } else {
        for (uint32_t i = 0; i < len; i++)
            p[i] = (uint8_t)rng_next(r);
    }
    v->ptr = p;
}

void xtrace_add_event(struct xtrace *m, struct rng *r, const struct gen_opts *o, uint16_t type,
                      int nparams, uint64_t ts)
{
    m->ev = grow(m->ev, &m->capev, m->nev + 1, sizeof *m->ev);
    struct xevent *e = &m->ev[m->nev];
    memset(e, 0, sizeof *e);
    e->num = m->first_evnum + m->nev;
    e->type = type;
    e->ts = ts;
    uint64_t t = rng_below(r, 16);
    e->tid = t == 0 ? -(int64_t)rng_below(r, 1 << 20) - 1 :
             t == 1 ? (rng_below(r, 2) ? INT64_MIN : INT64_MAX) :
             1000 + (int64_t)rng_below(r, 30000);
    e->cpu = rng_below(r, 30) == 0 ? UINT32_MAX : (uint32_t)rng_below(r, 64);
    const struct skr_event_def *def = test_schema()->defs[type];
    CHECK(def, "type %u is not in the test schema", type);
    e->nparams = def->nparams;
    if (nparams >= 0)
        e->nparams = (uint16_t)nparams;
    else if (e->nparams && rng_below(r, 6) == 0)
        e->nparams = (uint16_t)rng_below(r, e->nparams);
    e->params = calloc(e->nparams ? e->nparams : 1, sizeof *e->params);
    CHECK(e->params != NULL, "out of memory");
    for (unsigned k = 0; k < e->nparams; k++) {
        struct skr_value *v = &e->params[k];
        switch (def->params[k].wire) {
        case SKR_WIRE_VARINT: v->u = gen_varint(r, o->text); v->s = (int64_t)v->u; break;
        case SKR_WIRE_ZIGZAG: v->s = gen_zigzag(r, o->text); v->u = (uint64_t)v->s; break;
        default: gen_bytes(r, o, v); break;
        }
    }
    m->nev++;
    add_item(m, X_EVENT)->ev = m->nev - 1;
}

void gen_model(struct xtrace *m, const struct gen_opts *o)
{
    memset(m, 0, sizeof *m);
    struct rng r;
    rng_seed(&r, o->seed);
    const uint16_t *types = o->types;
    size_t ntypes = o->ntypes;
    if (!types)
        ntypes = test_type_ids(&types);
    m->first_evnum = o->first_evnum ? o->first_evnum : 1;
    uint64_t ts = o->start_ts ? o->start_ts : 1700000000000000000ull;
    uint64_t maxts = ts;
    for (size_t i = 0; i < o->nevents; i++) {
        if (o->cp_every && i % o->cp_every == 0) {
            struct xitem *x = add_item(m, X_CHECKPOINT);
            x->ts = maxts;
            x->first_evnum = m->first_evnum + i;
            x->count = (uint32_t)rng_below(&r, 50);
            x->len = rng_below(&r, 6) == 0 ? 0 : rng_below(&r, 120);
            x->payload = malloc(x->len + 1);
            CHECK(x->payload != NULL, "out of memory");
            for (size_t k = 0; k < x->len; k++)
                x->payload[k] = (uint8_t)rng_next(&r);
        }
        bool rare = o->rare_type && o->rare_one_in && rng_below(&r, o->rare_one_in) == 0;
        uint16_t type = rare ? o->rare_type : types[rng_below(&r, ntypes)];
        ts += o->max_step ? rng_below(&r, o->max_step) : 1 + rng_below(&r, 2000);
        if (o->backwards && rng_below(&r, 16) == 0)
            ts -= rng_below(&r, 100);
        if (ts > maxts)
            maxts = ts;
        xtrace_add_event(m, &r, o, type, -1, ts);
        if (o->stats_every && (i + 1) % o->stats_every == 0) {
            struct xitem *x = add_item(m, X_STATS);
            x->ts = maxts;
            x->first_evnum = m->first_evnum + i + 1;
            x->ncpus = rng_below(&r, 5);
            x->count = (uint32_t)x->ncpus;
            x->cpus = calloc(x->ncpus + 1, sizeof *x->cpus);
            CHECK(x->cpus != NULL, "out of memory");
            for (size_t k = 0; k < x->ncpus; k++) {
                x->cpus[k].cpu = rng_below(&r, 8) == 0 ? UINT32_MAX : (uint32_t)k;
                x->cpus[k].events = rng_next(&r) >> rng_below(&r, 64);
                x->cpus[k].drops = rng_below(&r, 3) ? 0 : rng_next(&r);
            }
        }
    }
}

void xtrace_free(struct xtrace *m)
{
    const struct skr_schema *s = test_schema();
    for (size_t i = 0; i < m->nev; i++) {
        const struct skr_event_def *def = s->defs[m->ev[i].type];
        for (unsigned k = 0; k < m->ev[i].nparams; k++)
            if (def->params[k].wire == SKR_WIRE_BYTES)
                free((void *)m->ev[i].params[k].ptr);
        free(m->ev[i].params);
    }
    for (size_t i = 0; i < m->nit; i++) {
        free(m->it[i].payload);
        free(m->it[i].cpus);
    }
    free(m->ev);
    free(m->it);
    memset(m, 0, sizeof *m);
}

/* ---- writing ---- */

const char *const test_argv[3] = { "saker", "record", "-w \xe2\x9c\x93 \x1b]0;x\x07" };
const char *const test_options[2] = { "snaplen=256", "filter=" };

void test_header(struct skw_header *h, const struct gen_opts *o)
{
    memset(h, 0, sizeof *h);
    h->created_ns = o->start_ts ? o->start_ts : 1700000000000000000ull;
    h->hostname = TEST_HOSTNAME;
    h->kernel_release = "6.1.0-test";
    h->kernel_version = "#1 SMP PREEMPT_DYNAMIC";
    h->arch = "x86_64";
    h->boot_ns = h->created_ns - 3600000000000ull;
    h->ncpus = 64;
    h->recorder = "check_saker";
    h->recorder_version = "0.1";
    h->argc = 3;
    h->argv = (char *const *)test_argv;
    h->snaplen = 256;
    h->filter = "evt.type=open";
    h->noptions = 2;
    h->options = test_options;
    h->file_seq = o->file_seq;
}

static void fill_event(const struct xtrace *m, size_t i, struct skr_event *ev)
{
    const struct xevent *x = &m->ev[i];
    ev->num = 0;
    ev->ts = x->ts;
    ev->tid = x->tid;
    ev->cpu = x->cpu;
    ev->type = x->type;
    ev->nparams = x->nparams;
    ev->def = test_schema()->defs[x->type];
    if (x->nparams)
        memcpy(ev->params, x->params, x->nparams * sizeof *x->params);
}

void write_model(const char *path, const struct xtrace *m, const struct gen_opts *o,
                 struct wres *res)
{
    memset(res, 0, sizeof *res);
    res->close_rc = -1;
    struct skw_header h;
    test_header(&h, o);
    struct skw_options opt = { o->block_size, o->zstd_level, m->first_evnum, o->background,
                               o->spare_effort };
    char err[512] = "";
    struct skw_writer *w = skw_create(path, &h, test_schema(), &opt, err, sizeof err);
    if (!w) {
        snprintf(res->err, sizeof res->err, "%s", err[0] ? err : "(skw_create gave no reason)");
        return;
    }
    res->created = true;
    bool failed = false;
    struct skr_event ev;
    for (size_t i = 0; i < m->nit; i++) {
        const struct xitem *x = &m->it[i];
        int rc;
        if (x->kind == X_EVENT) {
            fill_event(m, x->ev, &ev);
            rc = skw_append(w, &ev);
        } else if (x->kind == X_CHECKPOINT) {
            rc = skw_checkpoint(w, x->ts, x->payload, x->len, x->count);
        } else {
            rc = skw_stats(w, x->ts, x->cpus, x->ncpus);
        }
        if (rc < 0 && !failed) {
            failed = true;
            res->items_ok = i;
            const char *e = skw_error(w);
            snprintf(res->err, sizeof res->err, "%s", e ? e : "(no error message)");
        } else if (rc == 0 && failed) {
            res->later_accepted = true;
        } else if (!failed) {
            res->items_ok = i + 1;
        }
        if (failed && i > res->items_ok + 3)
            break;
    }
    if (o->spare_effort)
        skw_set_patient(w);
    res->close_rc = skw_close(w, err, sizeof err);
    if (res->close_rc < 0) {
        snprintf(res->close_err, sizeof res->close_err, "%s", err);
        if (!failed)
            snprintf(res->err, sizeof res->err, "%s", err);
    }
}

void write_model_ok(const char *path, const struct xtrace *m, const struct gen_opts *o)
{
    struct wres res;
    write_model(path, m, o, &res);
    CHECK(res.created && res.items_ok == m->nit && res.close_rc == 0,
          "writing %s failed: %s", path, res.err);
}
