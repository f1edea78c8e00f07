/* test_filter_compile.c -- compiling: macros (expansion as one
 * sub-expression, nesting, loops, errors inside them with their prefix),
 * lists (nested names, quoted items, empty lists, errors), unknown fields
 * with their exact position, the event-type index, filter_fields, and the
 * macro and list limits at full and one over. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "test_filter.h"
#include "testutil.h"

#define T(c) ck_assert_msg(tf_eval(c), "'%s' should match", c)
#define F(c) ck_assert_msg(!tf_eval(c), "'%s' should not match", c)

START_TEST(compile_macros)
{
    T("is_open");
    T("not not is_open");
    F("not is_open");
    tf_ev.type = "close";
    F("is_open");
    T("not is_open");
    tf_ev.type = "openat";
    T("is_open and proc.name = cat");
    F("open_shell");
    tf_ev.name = "zsh";
    T("open_shell");
    T("(open_shell)");
    /* a macro is one sub-expression: (cat or dog) and evt.num = 1 */
    tf_ev.name = "cat";
    F("either and evt.num = 1");
    T("either and evt.num = 42");
    T("evt.num = 1 or either");
}
END_TEST

START_TEST(compile_macro_errors)
{
    tf_compile_err("loop_a", "in macro 'loop_a': in macro 'loop_b': 1:1: reference loop in macro 'loop_a'");
    tf_compile_err("evt.num > 0 and self", "in macro 'self': 1:1: reference loop in macro 'self'");
    tf_compile_err("bad_field", "in macro 'bad_field': 2:3: unknown field 'proc.nmae'");
    tf_compile_err("outer", "in macro 'outer': in macro 'bad_field': 2:3: unknown field 'proc.nmae'");
    tf_compile_err("bad_syntax",
                   "in macro 'bad_syntax': 1:11: expected a value after '=', found the end of the condition");
    tf_compile_err("evt.num = 1 and nomacro", "1:17: undefined macro 'nomacro' used in filter");
    tf_compile_err("shell_binaries", "1:1: list 'shell_binaries' used where a condition is expected");

    struct filter_error err;
    struct filter *f = filter_compile("evt.num = 1 and proc.nmae = x", &tf_env, &err);
    ck_assert_ptr_null(f);
    ck_assert_str_eq(err.msg, "1:17: unknown field 'proc.nmae'");
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.col, 17);
    f = filter_compile("evt.num = 1 and\n   proc.nmae[2] = x", &tf_env, &err);
    ck_assert_ptr_null(f);
    ck_assert_str_eq(err.msg, "2:4: unknown field 'proc.nmae'");
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.col, 4);
    /* without an environment every plain word is an unknown macro */
    f = filter_compile("is_open", NULL, &err);
    ck_assert_ptr_null(f);
    ck_assert_str_eq(err.msg, "1:1: undefined macro 'is_open' used in filter");
    f = filter_compile("evt.num in (shell_binaries)", NULL, &err);
    ck_assert_msg(f == NULL && !strcmp(err.msg, "1:13: 'shell_binaries' is not an unsigned number"),
                  "%s", err.msg);
    tf_compile_err("evt.num[1] = 1", "1:1: field 'evt.num' takes no argument");
    /* evt.type names must be ones Falco knows (any trace's, not only ours) */
    tf_compile_err("evt.type = opne", "1:12: unknown event type opne");
    tf_compile_err("evt.type in (open, shell_binaries)", "1:20: unknown event type bash");
    tf_compile_err("evt.type != ''", "1:13: unknown event type ");
    T("evt.type in (open, container, switch, procexit, execveat, pread64, _llseek)");
    T("evt.type contains pe and evt.type startswith o");
}
END_TEST

START_TEST(compile_lists)
{
    T("proc.name in (shell_binaries, cat)");
    F("proc.name in (shell_binaries)");
    F("proc.name in (nolist)");
    F("proc.name in (empty_list)");
    T("proc.name in (empty_list, cat)");
    T("proc.name in (quoted_items)");
    tf_ev.name = "zsh";
    T("proc.name in (shell_binaries)");
    T("proc.name in shell_binaries");
    T("proc.name intersects (shell_binaries)");
    F("proc.name in ('shell_binaries')");
    tf_ev.name = "shell_binaries";
    T("proc.name in ('shell_binaries')");
    F("proc.name in (shell_binaries)");
    tf_ev.name = "(systemd)";
    T("proc.name in (quoted_items)");
    tf_ev.name = "a b";
    T("proc.name in (quoted_items)");
    tf_ev.name = "nolist";
    T("proc.name in (nolist)");
    tf_compile_err("proc.name in nolist", "1:14: undefined list 'nolist'");
    tf_compile_err("evt.num in (1, shell_binaries)",
                   "1:16: in list 'shell_binaries': 'bash' is not an unsigned number");
}
END_TEST

START_TEST(compile_warnings)
{
    F("proc.name = proc.pname");
    F("proc.name in (a, ' tolower( proc.name )', proc.nope, evt.num[1])");
    T("proc.name = cat or warned");
    F("proc.name in (quoted_items) and fd.name = evt.type");
    ck_assert_str_eq(tf_warnings,
                     "1:13: 'proc.pname' may be a valid field misused as a const string value\n"
                     "1:18: ' tolower( proc.name )' may be a valid field transformer misused as a "
                     "const string value\n"
                     "in macro 'warned': 1:13: 'evt.num' may be a valid field misused as a const "
                     "string value\n"
                     "1:43: 'evt.type' may be a valid field misused as a const string value\n");
}
END_TEST

static void evtypes_are(const char *cond, const char *want)
{
    struct filter_error err;
    struct filter *f = filter_compile(cond, &tf_env, &err);
    ck_assert_msg(f, "'%s': %s", cond, err.msg);
    const char *const *names;
    char got[256] = "";
    if (!filter_event_types(f, &names)) {
        snprintf(got, sizeof got, "any");
    } else {
        for (size_t i = 0; names[i]; i++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? " " : "", names[i]);
    }
    filter_free(f);
    ck_assert_msg(!strcmp(got, want), "'%s': types '%s', expected '%s'", cond, got, want);
}

START_TEST(compile_event_types)
{
    evtypes_are("evt.type = open", "open");
    evtypes_are("evt.type in (open, openat, open)", "open openat");
    evtypes_are("evt.type = open and proc.name = cat", "open");
    evtypes_are("evt.type = open or evt.type = close", "close open");
    evtypes_are("evt.type = open or proc.name = cat", "any");
    evtypes_are("proc.name = cat", "any");
    evtypes_are("evt.type != open", "any");
    evtypes_are("not evt.type = open", "any");
    evtypes_are("not evt.type != open", "open");
    evtypes_are("not (evt.type != open or evt.type != close)", "");
    evtypes_are("evt.type = open and evt.type = close", "");
    evtypes_are("evt.type in ()", "");
    evtypes_are("not evt.type in ()", "any");
    evtypes_are("evt.type in (open, close) and not evt.type = close", "open");
    evtypes_are("evt.type in (open, close) and evt.type != close", "open");
    evtypes_are("not proc.name = cat and evt.type = open", "open");
    evtypes_are("not (proc.name = cat or evt.type != open)", "open");
    evtypes_are("is_open and shell", "open openat");
    evtypes_are("evt.type = open and (evt.type = close or proc.name = x)", "open");
    evtypes_are("evt.type contains open", "any");
    evtypes_are("evt.type = val(proc.name)", "any");
    evtypes_are("evt.type != open and evt.type in (open, close, read)", "close read");
    /* evt.num starts at 1 (libsinsp ppm_codes.cpp) */
    evtypes_are("evt.type = anyof (open, close)", "any");
    evtypes_are("evt.num = anyof (0)", "any");
    evtypes_are("evt.num = 0", "");
    evtypes_are("evt.num in (0, 0x0)", "");
    evtypes_are("evt.num in ()", "");
    evtypes_are("evt.num < 1 or evt.num <= 0", "");
    evtypes_are("evt.num = 1", "any");
    evtypes_are("evt.num != 0", "any");
    evtypes_are("not evt.num != 0", "");
    evtypes_are("not evt.num > 0", "");
    evtypes_are("not evt.num >= 1 or evt.type = open", "open");
    evtypes_are("evt.num < 2", "any");
    evtypes_are("not evt.num = 0", "any");
    evtypes_are("evt.type = open and not evt.num = 0", "open");
    evtypes_are("evt.type = open or evt.num = 0", "open");
}
END_TEST

START_TEST(compile_fields)
{
    struct filter_error err;
    struct filter *f = filter_compile(
        "proc.name = cat and fd.name = val(proc.pname) or tolower(proc.args) = x or is_open",
        &tf_env, &err);
    ck_assert_msg(f, "%s", err.msg);
    const struct field_ref *const *refs = filter_fields(f);
    static const char *const want[] = { "proc.name", "fd.name", "proc.pname", "proc.args",
                                        "evt.type" };
    size_t n = 0;
    while (refs[n]) {
        ck_assert_msg(n < 5, "too many fields");
        ck_assert_str_eq(refs[n]->def->name, want[n]);
        n++;
    }
    ck_assert_uint_eq(n, 5);
    filter_free(f);
    f = filter_compile("proc.aname[3] exists", &tf_env, &err);
    ck_assert_msg(f, "%s", err.msg);
    refs = filter_fields(f);
    ck_assert(refs[0] && refs[0]->has_arg && refs[0]->arg_index == 3 && !refs[1]);
    filter_free(f);
}
END_TEST

/* A chain of n macros: deep1 -> deep2 -> ... -> deepn -> a check. */
static int deep_n;
static const char *deep_macro(void *ctx, const char *name)
{
    static char buf[32];
    int k;
    (void)ctx;
    if (sscanf(name, "deep%d", &k) != 1)
        return NULL;
    if (k >= deep_n)
        return "evt.num > 0";
    snprintf(buf, sizeof buf, "deep%d", k + 1);
    return buf;
}

/* wide1 -> wide2 -> ...: each 900 and-levels deep */
static int wide_n;
static const char *wide_macro(void *ctx, const char *name)
{
    static char buf[40000];
    int k;
    (void)ctx;
    if (sscanf(name, "wide%d", &k) != 1)
        return NULL;
    char *p = buf;
    for (int i = 0; i < 900; i++)
        p += sprintf(p, "evt.num > 0 and (");
    if (k >= wide_n)
        p += sprintf(p, "evt.num > 1");
    else
        p += sprintf(p, "wide%d", k + 1);
    for (int i = 0; i < 900; i++)
        *p++ = ')';
    *p = '\0';
    return buf;
}

START_TEST(compile_limits)
{
    struct filter_env env = { .macro = deep_macro };
    struct filter_error err;
    deep_n = 64;
    struct filter *f = filter_compile("deep1", &env, &err);
    ck_assert_msg(f, "64 macros deep: %s", err.msg);
    filter_free(f);
    deep_n = 65;
    f = filter_compile("deep1", &env, &err);
    ck_assert_ptr_null(f);
    ck_assert_msg(strstr(err.msg, "in macro 'deep64': 1:1: macros nested deeper than 64"), "%s", err.msg);

    /* depth across macros: 4 x 900 fits in 4096, 5 x 900 does not */
    env.macro = wide_macro;
    wide_n = 4;
    f = filter_compile("wide1", &env, &err);
    ck_assert_msg(f, "4 wide macros: %s", err.msg);
    filter_free(f);
    wide_n = 5;
    f = filter_compile("wide1", &env, &err);
    ck_assert_ptr_null(f);
    ck_assert_msg(strstr(err.msg, "in macro 'wide5': 1:8331: conditions nested deeper than 4096, macros included"),
                  "%s", err.msg);

    /* list items: exactly the limit, then one over */
    for (int extra = 0; extra <= 1; extra++) {
        size_t n = 100000 + (size_t)extra;
        char *t = malloc(n * 2 + 32), *p = t;
        p += sprintf(p, "proc.name in (");
        for (size_t i = 0; i < n; i++)
            p += sprintf(p, "%sa", i ? "," : "");
        sprintf(p, ")");
        f = filter_compile(t, &tf_env, &err);
        if (extra)
            ck_assert_msg(!f && strstr(err.msg, "list longer than 100000 items"), "%s", err.msg);
        else
            ck_assert_msg(f, "%s", err.msg);
        filter_free(f);
        free(t);
    }
}
END_TEST

/* in with many items: a sorted set, checked against a linear scan. */
START_TEST(compile_big_sets)
{
    char *t = malloc(200000), *p = t;
    p += sprintf(p, "proc.name in (");
    for (int i = 0; i < 5000; i++)
        p += sprintf(p, "%sn%d", i ? "," : "", i * 7);
    sprintf(p, ")");
    struct filter_error err;
    struct filter *f = filter_compile(t, &tf_env, &err);
    ck_assert_msg(f, "%s", err.msg);
    struct fld_ctx ctx = { 0 };
    char name[32];
    for (int i = 0; i < 5000 * 7 + 10; i++) {
        snprintf(name, sizeof name, "n%d", i);
        tf_ev.name = name;
        CHECK(filter_eval(f, &ctx) == (i % 7 == 0 && i < 35000), "n%d", i);
    }
    filter_free(f);
    p = t + sprintf(t, "evt.res in (");
    for (int i = 0; i < 3000; i++)
        p += sprintf(p, "%s%d", i ? "," : "", (i - 1500) * 3);
    sprintf(p, ")");
    f = filter_compile(t, &tf_env, &err);
    ck_assert_msg(f, "%s", err.msg);
    for (int i = -5000; i < 5000; i++) {
        tf_ev.res = i;
        CHECK(filter_eval(f, &ctx) == (i % 3 == 0 && i >= -4500 && i < 4500), "%d", i);
    }
    filter_free(f);
    free(t);
}
END_TEST

void filter_compile_cases(Suite *s)
{
    TCase *tc = tcase_create("filter_compile");
    tcase_add_checked_fixture(tc, tf_setup, tf_teardown);
    tcase_add_test(tc, compile_macros);
    tcase_add_test(tc, compile_macro_errors);
    tcase_add_test(tc, compile_lists);
    tcase_add_test(tc, compile_warnings);
    tcase_add_test(tc, compile_event_types);
    tcase_add_test(tc, compile_fields);
    tcase_add_test(tc, compile_limits);
    tcase_add_test(tc, compile_big_sets);
    suite_add_tcase(s, tc);
}
