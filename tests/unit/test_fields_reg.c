/* test_fields_reg.c -- the field registry: every table well formed, names
 * unique, references parsed (longest name, arguments, errors at their
 * position), the scratch arena's pointer stability, value formatting, and
 * every evt/fd field the shared rules inventory lists resolvable. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/fields.h"
#include "testutil.h"

START_TEST(tables_well_formed)
{
    size_t n = fields_count();
    ck_assert(n >= fields_evt_count + fields_fd_count);
    ck_assert_ptr_null(fields_at(n));
    for (size_t i = 0; i < n; i++) {
        const struct field_def *d = fields_at(i);
        ck_assert_msg(d && d->name && d->desc && d->falco_type && d->extract,
                      "field %zu is incomplete", i);
        ck_assert_msg(!strchr(d->desc, '\n'), "%s: desc is one line", d->name);
        ck_assert_msg(fields_find(d->name) == d, "%s is listed twice", d->name);
        /* an argument after a dot needs a word, and names end in one */
        size_t l = strlen(d->name);
        ck_assert_msg(l && d->name[l - 1] != '.', "%s", d->name);
    }
    ck_assert_ptr_null(fields_find("evt.nosuch"));
    ck_assert_ptr_null(fields_find(""));
}
END_TEST

static int parse(const char *text, struct field_ref *ref, size_t *used, char *err)
{
    return field_ref_parse(text, used, ref, err, 200);
}

START_TEST(parse_names)
{
    struct field_ref r;
    size_t used;
    char err[200];
    ck_assert_int_eq(parse("evt.type=open", &r, &used, err), 0);
    ck_assert_str_eq(r.def->name, "evt.type");
    ck_assert_uint_eq(used, 8);
    ck_assert(!r.has_arg);
    field_ref_free(&r);
    /* the longest name wins, but only at a boundary */
    ck_assert_int_eq(parse("fd.cip.name ", &r, &used, err), 0);
    ck_assert_str_eq(r.def->name, "fd.cip.name");
    field_ref_free(&r);
    ck_assert_int_eq(parse("fd.cip)", &r, &used, err), 0);
    ck_assert_str_eq(r.def->name, "fd.cip");
    ck_assert_uint_eq(used, 6);
    field_ref_free(&r);
    ck_assert_int_eq(parse("evt.args", &r, &used, err), 0);
    ck_assert_str_eq(r.def->name, "evt.args");
    field_ref_free(&r);
    /* .ARG */
    ck_assert_int_eq(parse("evt.arg.flags contains O_CREAT", &r, &used, err), 0);
    ck_assert_str_eq(r.def->name, "evt.arg");
    ck_assert(r.has_arg && r.arg_dot);
    ck_assert_str_eq(r.arg_key, "flags");
    ck_assert_uint_eq(used, 13);
    ck_assert_int_eq(r.type, FT_STRING);
    char name[64];
    field_ref_name(&r, name, sizeof name);
    ck_assert_str_eq(name, "evt.arg.flags");
    field_ref_free(&r);
    ck_assert_ptr_null(r.arg_key);
    /* [N] */
    ck_assert_int_eq(parse("evt.arg[1]=x", &r, &used, err), 0);
    ck_assert(r.has_arg && !r.arg_key && r.arg_index == 1);
    ck_assert_uint_eq(used, 10);
    field_ref_name(&r, name, sizeof name);
    ck_assert_str_eq(name, "evt.arg[1]");
    field_ref_free(&r);
    ck_assert_int_eq(parse("fd.types[0]", &r, &used, err), 0);
    ck_assert(r.has_arg && r.arg_index == 0);
    field_ref_free(&r);
    ck_assert_int_eq(parse("fd.types", &r, &used, err), 0);
    ck_assert(!r.has_arg);
    field_ref_free(&r);
    /* evt.rawarg's type is its parameter's */
    ck_assert_int_eq(parse("evt.rawarg.res", &r, &used, err), 0);
    ck_assert_int_eq(r.type, FT_INT);
    ck_assert_int_eq(r.def->type, FT_NONE);
    field_ref_free(&r);
    ck_assert_int_eq(parse("evt.rawarg.flags", &r, &used, err), 0);
    ck_assert_int_eq(r.type, FT_UINT);
    field_ref_free(&r);
    ck_assert_int_eq(parse("evt.rawarg.name", &r, &used, err), 0);
    ck_assert_int_eq(r.type, FT_STRING);
    field_ref_free(&r);
}
END_TEST

/* A key may hold '/', '*', '.' and spaces up to the closing bracket. */
START_TEST(parse_keys)
{
    const struct field_def *kd = NULL;
    for (size_t i = 0; i < fields_count() && !kd; i++) {
        const struct field_def *d = fields_at(i);
        if ((d->flags & FF_ARG_KEY) && !(d->flags & FF_ARG_DOT))
            kd = d;
    }
    if (!kd) {
        fprintf(stderr, "fields_reg: no field takes a [key] yet; key parsing not tested\n");
        return;
    }
    char text[128], name[160], err[200];
    snprintf(text, sizeof text, "%s[/etc/*.d x] = 1", kd->name);
    struct field_ref r;
    size_t used;
    ck_assert_int_eq(field_ref_parse(text, &used, &r, err, sizeof err), 0);
    ck_assert_str_eq(r.arg_key, "/etc/*.d x");
    ck_assert_uint_eq(used, strlen(kd->name) + 12);
    field_ref_name(&r, name, sizeof name);
    snprintf(text, sizeof text, "%s[/etc/*.d x]", kd->name);
    ck_assert_str_eq(name, text);
    field_ref_free(&r);
}
END_TEST

static void expect_error(const char *text, const char *msg, size_t at)
{
    struct field_ref r;
    size_t used = 999;
    char err[200];
    ck_assert_msg(field_ref_parse(text, &used, &r, err, sizeof err) == -1, "%s parsed", text);
    ck_assert_str_eq(err, msg);
    ck_assert_uint_eq(used, at);
    ck_assert_ptr_null(r.arg_key);
}

START_TEST(parse_errors)
{
    expect_error("proc.nmae = x", "unknown field 'proc.nmae'", 0);
    expect_error("fd.name.x", "unknown field 'fd.name.x'", 0);
    expect_error("evtx", "unknown field 'evtx'", 0);
    expect_error("", "unknown field ''", 0);
    expect_error("evt.arg", "field 'evt.arg' requires an argument", 7);
    expect_error("evt.arg = 3", "field 'evt.arg' requires an argument", 7);
    expect_error("evt.rawarg[1]", "field 'evt.rawarg' takes its argument after a dot", 10);
    expect_error("evt.arg[x]", "field 'evt.arg' takes a numeric argument", 8);
    expect_error("evt.arg[-1]", "field 'evt.arg' takes a numeric argument", 8);
    expect_error("evt.arg[1", "unclosed '[' after field 'evt.arg'", 7);
    expect_error("evt.arg[]", "field 'evt.arg' has an empty argument", 8);
    expect_error("evt.type[1]", "field 'evt.type' takes no argument", 8);
    expect_error("evt.arg[99999999999]", "field 'evt.arg': argument out of range", 8);
    /* control bytes in an unknown name never reach the message raw */
    expect_error("bad\x01name", "unknown field 'bad'", 0);
    /* a field taking only a numeric argument, when the registry has one */
    const struct field_def *a = fields_find("proc.aname");
    if (a && (a->flags & FF_ARG_INDEX) && !(a->flags & FF_ARG_KEY))
        expect_error("proc.aname[x]", "field 'proc.aname' takes a numeric argument", 11);
}
END_TEST

START_TEST(scratch_pointers_stay)
{
    struct fld_scratch sc = { 0 };
    char *ptrs[3000];
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 3000; i++) {
            size_t n = 1 + (size_t)(i * 37 % 700);
            ptrs[i] = fld_scratch_alloc(&sc, n);
            ck_assert_ptr_nonnull(ptrs[i]);
            memset(ptrs[i], i & 0xff, n);
        }
        /* every earlier value is intact after the arena grew */
        for (int i = 0; i < 3000; i++) {
            size_t n = 1 + (size_t)(i * 37 % 700);
            for (size_t k = 0; k < n; k++)
                CHECK((unsigned char)ptrs[i][k] == (i & 0xff), "value %d byte %zu", i, k);
        }
        fld_scratch_reset(&sc);
    }
    /* one allocation bigger than a chunk, and an absurd one */
    char *big = fld_scratch_alloc(&sc, 1 << 20);
    ck_assert_ptr_nonnull(big);
    memset(big, 1, 1 << 20);
    ck_assert_ptr_null(fld_scratch_alloc(&sc, (size_t)1 << 40));
    ck_assert_ptr_nonnull(fld_scratch_alloc(&sc, 0));
    /* a huge value's chunk is not kept past the event */
    ck_assert_ptr_nonnull(fld_scratch_alloc(&sc, 5 << 20));
    fld_scratch_reset(&sc);
    ck_assert_ptr_null(sc.buf);
    ck_assert_ptr_nonnull(fld_scratch_alloc(&sc, 10));
    fld_scratch_reset(&sc);
    ck_assert_ptr_nonnull(sc.buf);
    fld_scratch_free(&sc);
    ck_assert_ptr_null(sc.buf);
    fld_scratch_free(&sc);
    fld_scratch_reset(&sc);
}
END_TEST

START_TEST(format_values)
{
    char buf[128];
    const struct field_def *num = fields_find("evt.num");
    buf[0] = 0;
    fval_format(&(struct fval){ .type = FT_INT, .i = -5 }, num, buf, sizeof buf);
    ck_assert_str_eq(buf, "-5");
    /* fval_format appends */
    fval_format(&(struct fval){ .type = FT_BOOL, .u = 1 }, num, buf, sizeof buf);
    ck_assert_str_eq(buf, "-5true");
    buf[0] = 0;
    fval_format(&(struct fval){ .type = FT_STRING, .s = "a\x1b[2Jb\\", .len = 7 }, num, buf,
                sizeof buf);
    ck_assert_str_eq(buf, "a\\x1b[2Jb\\\\");
    buf[0] = 0;
    struct fval ip = { .type = FT_IPADDR, .ipfam = 4, .ip = { 192, 168, 1, 2 } };
    fval_format(&ip, num, buf, sizeof buf);
    ck_assert_str_eq(buf, "192.168.1.2");
    buf[0] = 0;
    struct fval ip6 = { .type = FT_IPADDR, .ipfam = 6, .ip = { 0xfe, 0x80, [15] = 1 } };
    fval_format(&ip6, num, buf, sizeof buf);
    ck_assert_str_eq(buf, "fe80::1");
    buf[0] = 0;
    struct fval net = { .type = FT_IPNET, .ipfam = 4, .prefix = 8, .ip = { 10 } };
    fval_format(&net, num, buf, sizeof buf);
    ck_assert_str_eq(buf, "10.0.0.0/8");
    buf[0] = 0;
    fval_format(&(struct fval){ .type = FT_RELTIME, .u = 42 }, fields_find("evt.reltime"), buf,
                sizeof buf);
    ck_assert_str_eq(buf, "000000042");
    buf[0] = 0;
    fval_format(&(struct fval){ .type = FT_INT, .i = 0xfd01 }, fields_find("fd.dev"), buf,
                sizeof buf);
    ck_assert_str_eq(buf, "FD01");
    /* truncation keeps the buffer ended */
    char small[4] = "";
    fval_format(&(struct fval){ .type = FT_STRING, .s = "abcdef", .len = 6 }, num, small,
                sizeof small);
    ck_assert_str_eq(small, "abc");
    fval_format(&(struct fval){ .type = FT_STRING, .s = "z", .len = 1 }, num, small,
                sizeof small);
    ck_assert_str_eq(small, "abc");
}
END_TEST

START_TEST(format_lists)
{
    char buf[64] = "garbage";
    struct fvals vs = { .n = 0 };
    const struct field_def *types = fields_find("fd.types");
    const struct field_def *name = fields_find("fd.name");
    fvals_format(&vs, name, buf, sizeof buf);
    ck_assert_str_eq(buf, "<NA>");
    fvals_str(&vs, "file", 4);
    fvals_str(&vs, "ipv4", 4);
    fvals_format(&vs, types, buf, sizeof buf);
    ck_assert_str_eq(buf, "(file,ipv4)");
    fvals_format(&vs, name, buf, sizeof buf);
    ck_assert_str_eq(buf, "file ipv4");
    struct field_ref r = { .def = types, .has_arg = true, .arg_index = 1 };
    vs.n = 1;
    field_ref_format(&r, &vs, buf, sizeof buf);
    ck_assert_str_eq(buf, "file");
    r.has_arg = false;
    field_ref_format(&r, &vs, buf, sizeof buf);
    ck_assert_str_eq(buf, "(file)");
    /* the helpers stop at FVALS_MAX */
    vs.n = 0;
    for (int i = 0; i < FVALS_MAX + 5; i++)
        fvals_int(&vs, i);
    ck_assert_uint_eq(vs.n, FVALS_MAX);
}
END_TEST

/* Fields the task names, whether or not the corpus is present. */
static const char *const must_resolve[] = {
    "evt.num", "evt.time", "evt.time.s", "evt.time.iso8601", "evt.datetime", "evt.rawtime",
    "evt.rawtime.s", "evt.rawtime.ns", "evt.reltime", "evt.latency", "evt.dir", "evt.type",
    "evt.cpu", "evt.args", "evt.arg.name", "evt.arg[0]", "evt.rawarg.res", "evt.res",
    "evt.rawres", "evt.failed", "evt.is_io", "evt.is_io_read", "evt.is_io_write",
    "evt.is_open_read", "evt.is_open_write", "evt.is_open_exec", "evt.is_open_create",
    "evt.buffer", "evt.buflen", "evt.category", "evt.count", "evt.plugininfo", "evt.source",
    "evt.hostname", "fd.num", "fd.type", "fd.typechar", "fd.name", "fd.nameraw",
    "fd.directory", "fd.filename", "fd.ip", "fd.cip", "fd.sip", "fd.lip", "fd.rip", "fd.port",
    "fd.cport", "fd.sport", "fd.lport", "fd.rport", "fd.net", "fd.cnet", "fd.snet", "fd.lnet",
    "fd.rnet", "fd.cip.name", "fd.sip.name", "fd.lip.name", "fd.rip.name", "fd.l4proto",
    "fd.sockfamily", "fd.is_server", "fd.is_connected", "fd.connected", "fd.name_changed",
    "fd.dev", "fd.ino", "fd.types", "fs.path.name", "fs.path.nameraw", "fs.path.source",
    "fs.path.sourceraw", "fs.path.target", "fs.path.targetraw", NULL,
};

static void check_resolves(const char *text)
{
    struct field_ref r;
    size_t used;
    char err[200];
    ck_assert_msg(field_ref_parse(text, &used, &r, err, sizeof err) == 0, "%s: %s", text, err);
    ck_assert_msg(used == strlen(text), "%s: parsed %zu bytes", text, used);
    field_ref_free(&r);
}

START_TEST(task_fields_resolve)
{
    for (const char *const *p = must_resolve; *p; p++)
        check_resolves(*p);
}
END_TEST

/* Every evt and fd field of the inventory's "Fields by class" tables
 * (rows "| `name` | ..."); evt.arg rows give the index form in the last
 * column ("[0] [1]"). */
START_TEST(inventory_fields_resolve)
{
    const char *path = getenv("SAKER_CORPUS_INVENTORY");
    if (!path)
        path = "../shared/corpus/rules/INVENTORY.md";
    FILE *f = fopen(path, "r");
    if (!f)
        f = fopen(path = "/work/shared/corpus/rules/INVENTORY.md", "r");
    if (!f) {
        fprintf(stderr, "fields_reg: %s absent; inventory check skipped\n", path);
        return;
    }
    char line[4096];
    bool in_class = false, in_fields = false;
    int checked = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "## ", 3))
            in_fields = !strncmp(line, "## Fields by class", 18);
        if (!strncmp(line, "### ", 4))
            in_class = in_fields && (!strncmp(line, "### evt ", 8) || !strncmp(line, "### fd ", 7));
        if (!in_class || strncmp(line, "| `", 3))
            continue;
        char *end = strchr(line + 3, '`');
        if (!end)
            continue;
        *end = 0;
        const struct field_def *d = fields_find(line + 3);
        if (d && (d->flags & FF_ARG_REQUIRED)) {
            /* listed bare, used with an argument: evt.arg[0] */
            char with[300];
            snprintf(with, sizeof with, "%s%s", line + 3,
                     (d->flags & FF_ARG_INDEX) ? "[0]" : (d->flags & FF_ARG_DOT) ? ".x" : "[x]");
            check_resolves(with);
        } else {
            check_resolves(line + 3);
        }
        checked++;
    }
    fclose(f);
    ck_assert_msg(checked >= 40, "only %d inventory fields found in %s", checked, path);
}
END_TEST

Suite *fields_reg_suite(void)
{
    Suite *s = suite_create("fields_reg");
    TCase *tc = tcase_create("registry");
    tcase_add_test(tc, tables_well_formed);
    tcase_add_test(tc, parse_names);
    tcase_add_test(tc, parse_keys);
    tcase_add_test(tc, parse_errors);
    tcase_add_test(tc, task_fields_resolve);
    tcase_add_test(tc, inventory_fields_resolve);
    suite_add_tcase(s, tc);
    tc = tcase_create("values");
    tcase_add_test(tc, scratch_pointers_stay);
    tcase_add_test(tc, format_values);
    tcase_add_test(tc, format_lists);
    suite_add_tcase(s, tc);
    return s;
}
