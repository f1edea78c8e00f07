/* test_engine.c -- the engine suite: which rules the options select
 * (enabled, priority, tags, skipped tags, disabled names and globs), the
 * event-type index per schema (typed rules under their ids, any-type rules
 * under every id, undeclared ids and generic syscall events), evaluation
 * in load order with rule_matching all and first, and hitout's rendering
 * of a hit (Falco's line, output_fields, the database's columns). Events
 * are built by hand over the real field registry, as in
 * test_filter_real.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../analyzer/engine.h"
#include "../../analyzer/hitout.h"
#include "../../capture/event_table.h"
#include "../../reader/codec.h"
#include "suites.h"
#include "testutil.h"

static const char rules_text[] =
    "- macro: is_cat\n"
    "  condition: proc.name = cat\n"
    "- rule: open by cat\n"                     /* 0: typed, open/openat */
    "  desc: d\n"
    "  condition: evt.type in (open, openat) and is_cat\n"
    "  output: \"cat opened %fd.name (cmd=%proc.cmdline parent=%proc.aname[2])\"\n"
    "  priority: WARNING\n"
    "  tags: [fs, t1]\n"
    "- rule: anything by cat\n"                 /* 1: any type */
    "  desc: d\n"
    "  condition: is_cat\n"
    "  output: \"cat did %evt.type\"\n"
    "  priority: NOTICE\n"
    "  tags: [proc]\n"
    "- rule: passwd open\n"                     /* 2: typed, open */
    "  desc: d\n"
    "  condition: evt.type = open and fd.name = /etc/passwd\n"
    "  output: \"passwd opened\"\n"
    "  priority: CRITICAL\n"
    "  tags: [fs]\n"
    "- rule: connect\n"                         /* 3: typed, connect */
    "  desc: d\n"
    "  condition: evt.type = connect\n"
    "  output: \"connect\"\n"
    "  priority: INFO\n"
    "- rule: off\n"                             /* never selected */
    "  desc: d\n"
    "  condition: evt.type = open\n"
    "  output: \"off\"\n"
    "  priority: EMERGENCY\n"
    "  enabled: false\n"
    "- rule: k8s\n"                             /* another source */
    "  desc: d\n"
    "  condition: ka.verb = get\n"
    "  output: \"k8s\"\n"
    "  priority: EMERGENCY\n"
    "  source: k8s_audit\n";

static struct rules *load_text(const char *text)
{
    struct rules *r = rules_new();
    struct rules_diag d;
    ck_assert_ptr_nonnull(r);
    ck_assert_msg(rules_load_mem(r, "t.yaml", text, strlen(text), &d) == 0, "%s", d.msg);
    ck_assert_msg(rules_compile(r, &d) == 0, "%s", d.msg);
    return r;
}

static struct rules *load(void) { return load_text(rules_text); }

static struct skr_schema rs;
static struct skr_event rev;
static struct st_thread rth;
static struct st_fd rfd;
static struct st_event rse;
static struct fld_scratch rsc;
static struct fld_ctx rctx;

static char rcomm[32];

static void event(int id, const char *comm)
{
    snprintf(rcomm, sizeof rcomm, "%s", comm);
    skr_schema_from_table(&rs, saker_evt_table, SAKER_EVT_COUNT);
    rev = (struct skr_event){ .num = 42, .ts = 1700000000123456789ull, .tid = 100,
                              .type = (uint16_t)id, .def = rs.defs[id] };
    rth = (struct st_thread){ .tid = 100, .pid = 99, .comm = rcomm, .exe = rcomm,
                              .cwd = "/", .root = "/", .container_id = "" };
    rfd = (struct st_fd){ .num = 3, .type = ST_FD_FILE, .name = "/etc/passwd" };
    rse = (struct st_event){ .ev = &rev, .thread = &rth, .fd = &rfd, .fdnum = 3 };
    fld_scratch_reset(&rsc);
    rctx = (struct fld_ctx){ .ev = &rev, .se = &rse, .scratch = &rsc, .hostname = "h\x1b" };
}

struct fired {
    size_t rules[16];
    size_t n;
    size_t stop_after;          /* return non-zero after this many; 0 never */
};

static int on_hit(void *arg, size_t rule, const struct fld_ctx *ctx)
{
    struct fired *f = arg;
    (void)ctx;
    ck_assert_uint_lt(f->n, 16);
    f->rules[f->n++] = rule;
    return f->stop_after && f->n >= f->stop_after;
}

static const char *rule_name(const struct engine *e, size_t i) { return engine_rule(e, i)->name; }

static struct engine *make(const struct rules *r, const struct engine_opts *o)
{
    char err[200];
    struct engine *e = engine_new(r, o, err, sizeof err);
    ck_assert_msg(e, "%s", err);
    skr_schema_from_table(&rs, saker_evt_table, SAKER_EVT_COUNT);
    ck_assert_int_eq(engine_add_schema(e, &rs), 0);
    return e;
}

START_TEST(engine_index)
{
    struct rules *r = load();
    struct engine_opts o = { .min_priority = RULES_PRI_DEBUG };
    struct engine *e = make(r, &o);
    /* the disabled rule and the other source's are not selected, nor
     * counted as dropped by the options */
    ck_assert_uint_eq(engine_count(e), 4);
    ck_assert_uint_eq(engine_dropped(e), 0);
    ck_assert_uint_eq(engine_any_type_count(e), 1);
    ck_assert_str_eq(rule_name(e, 0), "open by cat");
    ck_assert_str_eq(rule_name(e, 3), "connect");
    /* open: rules 0, 1, 2; openat: 0, 1; connect: 1, 3; read: 1 only */
    ck_assert_uint_eq(engine_rules_for_type(e, 0, SAKER_EVT_OPEN), 3);
    ck_assert_uint_eq(engine_rules_for_type(e, 0, SAKER_EVT_OPENAT), 2);
    ck_assert_uint_eq(engine_rules_for_type(e, 0, SAKER_EVT_CONNECT), 2);
    ck_assert_uint_eq(engine_rules_for_type(e, 0, SAKER_EVT_READ), 1);
    /* an id past the schema: the any-type rules only */
    ck_assert_uint_eq(engine_rules_for_type(e, 0, rs.max_id), 1);
    ck_assert_uint_eq(engine_rules_for_type(e, 0, 60000), 1);

    /* a second schema where "open" has another id, and a generic syscall
     * event: every rule is listed under it */
    static struct skr_event_def d_open = { .id = 0, .name = "open" };
    static struct skr_event_def d_sys = { .id = 1, .name = "syscall" };
    static struct skr_event_def d_other = { .id = 3, .name = "mystery" };
    struct skr_schema s2 = { .max_id = 4 };
    s2.defs[0] = &d_open;
    s2.defs[1] = &d_sys;
    s2.defs[3] = &d_other;
    ck_assert_int_eq(engine_add_schema(e, &s2), 1);
    ck_assert_uint_eq(engine_rules_for_type(e, 1, 0), 3);
    ck_assert_uint_eq(engine_rules_for_type(e, 1, 1), 4);
    ck_assert_uint_eq(engine_rules_for_type(e, 1, 2), 1); /* undeclared id */
    ck_assert_uint_eq(engine_rules_for_type(e, 1, 3), 1);
    engine_free(e);
    rules_free(r);
}
END_TEST

START_TEST(engine_all_first)
{
    struct rules *r = load();
    struct engine_opts o = { .min_priority = RULES_PRI_DEBUG };
    struct engine *e = make(r, &o);
    struct fired f = { 0 };
    event(SAKER_EVT_OPEN, "cat");
    ck_assert_uint_eq(engine_eval(e, 0, &rctx, on_hit, &f), 3);
    ck_assert_uint_eq(f.n, 3);
    ck_assert_uint_eq(f.rules[0], 0); /* load order */
    ck_assert_uint_eq(f.rules[1], 1);
    ck_assert_uint_eq(f.rules[2], 2);
    ck_assert_uint_eq(engine_evaluations(e), 3);
    /* the callback stops the event's evaluation */
    f = (struct fired){ .stop_after = 2 };
    ck_assert_uint_eq(engine_eval(e, 0, &rctx, on_hit, &f), 2);
    /* not cat: only the passwd rule */
    f = (struct fired){ 0 };
    event(SAKER_EVT_OPEN, "vi");
    ck_assert_uint_eq(engine_eval(e, 0, &rctx, on_hit, &f), 1);
    ck_assert_uint_eq(f.rules[0], 2);
    /* a read by cat meets only the any-type rule: one evaluation */
    uint64_t before = engine_evaluations(e);
    f = (struct fired){ 0 };
    event(SAKER_EVT_READ, "cat");
    ck_assert_uint_eq(engine_eval(e, 0, &rctx, NULL, NULL), 1);
    ck_assert_uint_eq(engine_evaluations(e), before + 1);
    ck_assert_uint_eq(engine_rule_hits(e, 0), 2);
    ck_assert_uint_eq(engine_rule_hits(e, 1), 3);
    ck_assert_uint_eq(engine_rule_hits(e, 2), 2); /* the stopped evaluation never reached it */
    ck_assert_uint_eq(engine_rule_hits(e, 3), 0);
    engine_free(e);

    /* first: the first matching rule in load order, and only it */
    o.matching = ENGINE_MATCH_FIRST;
    e = make(r, &o);
    f = (struct fired){ 0 };
    event(SAKER_EVT_OPEN, "cat");
    ck_assert_uint_eq(engine_eval(e, 0, &rctx, on_hit, &f), 1);
    ck_assert_uint_eq(f.rules[0], 0);
    f = (struct fired){ 0 };
    event(SAKER_EVT_OPEN, "vi");
    ck_assert_uint_eq(engine_eval(e, 0, &rctx, on_hit, &f), 1);
    ck_assert_uint_eq(f.rules[0], 2);
    engine_free(e);
    rules_free(r);
}
END_TEST

/* Each rule is evaluated as specialised for the event's type
 * (filter_specialize): a rule no event of a type can pass is not listed
 * under it, and the evt.type checks left in the others still decide. */
static const char spec_rules[] =
    "- rule: entry half\n"                   /* 0: a saker event is never '>' */
    "  desc: d\n"
    "  condition: evt.type in (open, openat) and evt.dir = >\n"
    "  output: o\n"
    "  priority: INFO\n"
    "- rule: per type\n"                     /* 1: another process per type */
    "  desc: d\n"
    "  condition: (evt.type = open and proc.name = cat) or (evt.type = openat and proc.name = vi)\n"
    "  output: o\n"
    "  priority: INFO\n"
    "- rule: not read\n"                     /* 2: open, openat; != and not */
    "  desc: d\n"
    "  condition: evt.type in (open, openat, read) and not evt.type = read and evt.type != "
    "openat or evt.type = openat and proc.name != vi\n"
    "  output: o\n"
    "  priority: INFO\n";

START_TEST(engine_specialised)
{
    struct rules *r = load_text(spec_rules);
    struct engine_opts o = { .min_priority = RULES_PRI_DEBUG };
    struct engine *e = make(r, &o);
    ck_assert_uint_eq(engine_count(e), 3);
    ck_assert_uint_eq(engine_rules_for_type(e, 0, SAKER_EVT_OPEN), 2);
    ck_assert_uint_eq(engine_rules_for_type(e, 0, SAKER_EVT_OPENAT), 2);
    ck_assert_uint_eq(engine_rules_for_type(e, 0, SAKER_EVT_READ), 0);
    struct fired f = { 0 };
    event(SAKER_EVT_OPEN, "cat");
    ck_assert_uint_eq(engine_eval(e, 0, &rctx, on_hit, &f), 2);
    ck_assert_uint_eq(f.rules[0], 1);
    ck_assert_uint_eq(f.rules[1], 2);
    f = (struct fired){ 0 };
    event(SAKER_EVT_OPEN, "vi");
    ck_assert_uint_eq(engine_eval(e, 0, &rctx, on_hit, &f), 1);
    ck_assert_uint_eq(f.rules[0], 2);
    f = (struct fired){ 0 };
    event(SAKER_EVT_OPENAT, "vi");
    ck_assert_uint_eq(engine_eval(e, 0, &rctx, on_hit, &f), 1);
    ck_assert_uint_eq(f.rules[0], 1);
    f = (struct fired){ 0 };
    event(SAKER_EVT_OPENAT, "cat");
    ck_assert_uint_eq(engine_eval(e, 0, &rctx, on_hit, &f), 1);
    ck_assert_uint_eq(f.rules[0], 2);
    event(SAKER_EVT_READ, "cat");
    ck_assert_uint_eq(engine_eval(e, 0, &rctx, NULL, NULL), 0);
    engine_free(e);
    rules_free(r);
}
END_TEST

static char warned[512];
static void warn(void *ctx, const char *msg)
{
    (void)ctx;
    snprintf(warned, sizeof warned, "%s", msg);
}

static size_t count_with(const struct rules *r, const struct engine_opts *o, const char *first)
{
    struct engine *e = make(r, o);
    size_t n = engine_count(e);
    if (first && n)
        ck_assert_str_eq(rule_name(e, 0), first);
    engine_free(e);
    return n;
}

START_TEST(engine_options)
{
    struct rules *r = load();
    bool m;
    struct engine_opts o = { .min_priority = RULES_PRI_WARNING };
    ck_assert_uint_eq(count_with(r, &o, "open by cat"), 2); /* Warning, Critical */
    o.min_priority = RULES_PRI_CRITICAL;
    ck_assert_uint_eq(count_with(r, &o, "passwd open"), 1);
    o.min_priority = RULES_PRI_EMERGENCY;
    ck_assert_uint_eq(count_with(r, &o, NULL), 0);
    o.min_priority = RULES_PRI_DEBUG;
    const char *fs[] = { "fs" }, *t1proc[] = { "t1", "proc" }, *none[] = { "nope" };
    o.tags = fs;
    o.ntags = 1;
    ck_assert_uint_eq(count_with(r, &o, "open by cat"), 2);
    o.tags = t1proc;
    o.ntags = 2;
    ck_assert_uint_eq(count_with(r, &o, "open by cat"), 2);
    o.tags = none;
    o.ntags = 1;
    ck_assert_uint_eq(count_with(r, &o, NULL), 0);
    o.ntags = 0;
    o.skip_tags = fs;
    o.nskip_tags = 1;
    ck_assert_uint_eq(count_with(r, &o, "anything by cat"), 2);
    o.nskip_tags = 0;
    /* names, exact or glob; one matching nothing is warned about */
    const char *dis[] = { "passwd open", "*cat", "no such rule" };
    o.disabled = dis;
    o.ndisabled = 3;
    o.warn = warn;
    warned[0] = 0;
    ck_assert_uint_eq(count_with(r, &o, "connect"), 1);
    ck_assert_str_eq(warned, "no rule is named 'no such rule' (--disable-rule)");
    struct engine *e = make(r, &o);
    ck_assert_uint_eq(engine_dropped(e), 3);
    engine_free(e);
    enum engine_matching mm;
    ck_assert((m = engine_matching_parse("first", &mm)) && mm == ENGINE_MATCH_FIRST);
    ck_assert((m = engine_matching_parse("all", &mm)) && mm == ENGINE_MATCH_ALL);
    ck_assert(!engine_matching_parse("First", &mm));
    ck_assert(!engine_matching_parse("", &mm));
    rules_free(r);
}
END_TEST

START_TEST(hitout_render_hit)
{
    setenv("TZ", "UTC", 1);
    tzset();
    struct rules *r = load();
    struct engine_opts o = { .min_priority = RULES_PRI_DEBUG };
    struct engine *e = make(r, &o);
    char err[300];
    struct hitout *h = hitout_new(e, false, true, err, sizeof err);
    ck_assert_msg(h, "%s", err);
    event(SAKER_EVT_OPEN, "cat");
    struct hitout_hit hit;
    ck_assert(hitout_render(h, 0, &rctx, &hit));
    ck_assert_str_eq(hit.output, "cat opened /etc/passwd (cmd=cat parent=<NA>)");
    ck_assert_str_eq(hit.line,
                     "22:13:20.123456789: Warning cat opened /etc/passwd (cmd=cat parent=<NA>)");
    ck_assert_str_eq(hit.tags_json, "[\"fs\",\"t1\"]");
    ck_assert_str_eq(hit.fields_json,
                     "{\"evt.time\":1700000000123456789,\"fd.name\":\"/etc/passwd\","
                     "\"proc.cmdline\":\"cat\",\"proc.aname[2]\":null}");
    ck_assert_str_eq(hit.hostname, "h\\x1b"); /* escaped */
    ck_assert(hit.has_pid && hit.pid == 99 && hit.has_tid && hit.tid == 100);
    ck_assert_str_eq(hit.proc_name, "cat");
    ck_assert_str_eq(hit.cmdline, "cat");
    ck_assert_uint_eq(hit.time_ns, 1700000000123456789ull);

    struct skr_buf b = { 0 };
    ck_assert(hitout_format(h, &hit, false, &b));
    ck_assert_uint_eq(b.len, strlen(hit.line) + 1);
    ck_assert(!memcmp(b.data, hit.line, b.len - 1) && b.data[b.len - 1] == '\n');
    skr_buf_reset(&b);
    ck_assert(hitout_format(h, &hit, true, &b));
    skr_put_u8(&b, 0);
    ck_assert_str_eq((const char *)b.data,
                     "{\"hostname\":\"h\\\\x1b\",\"output\":\"22:13:20.123456789: Warning cat opened "
                     "/etc/passwd (cmd=cat parent=<NA>)\",\"priority\":\"Warning\",\"rule\":"
                     "\"open by cat\",\"source\":\"syscall\",\"tags\":[\"fs\",\"t1\"],\"time\":"
                     "\"2023-11-14T22:13:20.123456789Z\",\"output_fields\":{\"evt.time\":"
                     "1700000000123456789,\"fd.name\":\"/etc/passwd\",\"proc.cmdline\":\"cat\","
                     "\"proc.aname[2]\":null}}\n");
    skr_buf_free(&b);
    /* a rule whose output has no field */
    ck_assert(hitout_render(h, 2, &rctx, &hit));
    ck_assert_str_eq(hit.line, "22:13:20.123456789: Critical passwd opened");
    ck_assert_str_eq(hit.fields_json, "{\"evt.time\":1700000000123456789}");
    ck_assert_str_eq(hit.tags_json, "[\"fs\"]");
    ck_assert(hitout_render(h, 3, &rctx, &hit));
    ck_assert_str_eq(hit.tags_json, "[]");
    hitout_free(h);

    /* --iso8601; without full, no fields and no columns */
    h = hitout_new(e, true, false, err, sizeof err);
    ck_assert_msg(h, "%s", err);
    ck_assert(hitout_render(h, 1, &rctx, &hit));
    ck_assert_str_eq(hit.line, "2023-11-14T22:13:20.123456789+0000: Notice cat did open");
    ck_assert_str_eq(hit.fields_json, "{}");
    ck_assert_ptr_null(hit.proc_name);
    hitout_free(h);
    int omit;
    ck_assert(hitout_omit_parse("output", &omit) && omit == HITOUT_OMIT_OUTPUT);
    ck_assert(hitout_omit_parse("tags,output_fields", &omit) &&
              omit == (HITOUT_OMIT_TAGS | HITOUT_OMIT_FIELDS));
    ck_assert(!hitout_omit_parse("", &omit));
    ck_assert(!hitout_omit_parse("tag", &omit));
    ck_assert(!hitout_omit_parse("tags,outputs", &omit));
    char t[48];
    hitout_time_utc(5, t, sizeof t);
    ck_assert_str_eq(t, "1970-01-01T00:00:00.000000005Z");
    engine_free(e);
    rules_free(r);
    fld_scratch_free(&rsc);
}
END_TEST

Suite *engine_suite(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("engine");
    tcase_add_test(tc, engine_index);
    tcase_add_test(tc, engine_all_first);
    tcase_add_test(tc, engine_specialised);
    tcase_add_test(tc, engine_options);
    tcase_add_test(tc, hitout_render_hit);
    suite_add_tcase(s, tc);
    return s;
}
