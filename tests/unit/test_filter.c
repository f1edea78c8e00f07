/* test_filter.c -- the filter suite: lexer and parser on good input (the
 * tree printed back, so precedence, escapes and positions are visible) and
 * on bad input (exact messages and positions, limits at full and one
 * over). The other test_filter_*.c files add their cases to this suite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/filter_ast.h"
#include "suites.h"
#include "test_filter.h"
#include "testutil.h"

struct sbuf {
    char b[4096];
    size_t n;
};

static void put(struct sbuf *s, const char *fmt, const char *a)
{
    int k = snprintf(s->b + s->n, sizeof s->b - s->n, fmt, a);
    if (k > 0)
        s->n += (size_t)k < sizeof s->b - s->n ? (size_t)k : sizeof s->b - s->n - 1;
}

static void print_operand(struct sbuf *s, const struct foperand *o)
{
    if (o->xf == FX_NONE) {
        put(s, "%s", o->field);
        if (o->arg) {
            put(s, "[%s", o->arg);
            put(s, "%s]", "");
        }
        return;
    }
    put(s, "%s(", filter_xf_name(o->xf));
    print_operand(s, o->inner);
    put(s, "%s)", "");
}

static void print_str(struct sbuf *s, const struct fstr *v)
{
    char e[256];
    size_t k = 0;
    for (size_t i = 0; i < v->len && k + 5 < sizeof e; i++) {
        unsigned char c = (unsigned char)v->s[i];
        k += (size_t)snprintf(e + k, sizeof e - k, c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
    }
    e[k] = '\0';
    put(s, v->quoted ? "\"%s\"" : "%s", e);
}

static void print_node(struct sbuf *s, const struct fnode *n)
{
    switch (n->kind) {
    case FN_AND:
    case FN_OR:
    case FN_NOT:
        put(s, "(%s", n->kind == FN_AND ? "and" : n->kind == FN_OR ? "or" : "not");
        for (size_t i = 0; i < n->nkids; i++) {
            put(s, "%s", " ");
            print_node(s, n->kids[i]);
        }
        put(s, "%s)", "");
        return;
    case FN_MACRO:
        put(s, "%s", n->name);
        return;
    default:
        put(s, "%s", "[");
        print_operand(s, n->lhs);
        put(s, " %s", filter_op_name(n->op));
        static const char *const mods[] = { "", " anyof", " oneof", " allof" };
        put(s, "%s", mods[n->mod]);
        if (n->rkind == FR_STR) {
            put(s, "%s", " ");
            print_str(s, &n->items[0]);
        } else if (n->rkind == FR_LIST) {
            put(s, "%s", " (");
            for (size_t i = 0; i < n->nitems; i++) {
                put(s, "%s", i ? "," : "");
                print_str(s, &n->items[i]);
            }
            put(s, "%s)", "");
        } else if (n->rkind == FR_LISTNAME) {
            put(s, " @%s", n->items[0].s);
        } else if (n->rkind == FR_OPERAND) {
            put(s, "%s", " ");
            print_operand(s, n->rop);
        }
        put(s, "%s]", "");
    }
}

static void parses_as(const char *cond, const char *want)
{
    struct filter_error err;
    struct fnode *n = filter_parse(cond, &err);
    ck_assert_msg(n, "'%s': %s", cond, err.msg);
    struct sbuf s = { .n = 0 };
    s.b[0] = '\0';
    print_node(&s, n);
    fnode_free(n);
    ck_assert_msg(!strcmp(s.b, want), "'%s' parsed as\n  %s\nexpected\n  %s", cond, s.b, want);
}

START_TEST(parse_precedence)
{
    parses_as("evt.type=open", "[evt.type = open]");
    parses_as("a and b or c", "(or (and a b) c)");
    parses_as("a or b and c", "(or a (and b c))");
    parses_as("a or b or c and d and e", "(or a b (and c d e))");
    parses_as("not a and b", "(and (not a) b)");
    parses_as("not a or not b", "(or (not a) (not b))");
    parses_as("not not a", "a");
    parses_as("not not not a", "(not a)");
    parses_as("not(a)", "(not a)");
    parses_as("not (a or b) and c", "(and (not (or a b)) c)");
    parses_as("a and(b or c)", "(and a (or b c))");
    parses_as("(a)or(b)", "(or a b)");
    parses_as("a and not b or not c and d", "(or (and a (not b)) (and (not c) d))");
    parses_as("((((a))))", "a");
    parses_as("  a\n\tand\r\nb  ", "(and a b)");
    /* words that only start like keywords are macros */
    parses_as("android or order and notice", "(or android (and order notice))");
}
END_TEST

START_TEST(parse_checks)
{
    parses_as("proc.name=cat", "[proc.name = cat]");
    parses_as("proc.name==cat", "[proc.name = cat]");
    parses_as("proc.name!=cat", "[proc.name != cat]");
    parses_as("evt.num<=1 and evt.num>=2 and evt.num<3 and evt.num>4",
              "(and [evt.num <= 1] [evt.num >= 2] [evt.num < 3] [evt.num > 4])");
    parses_as("evt.num > 0x1F", "[evt.num > 0x1F]");
    parses_as("evt.res < -1.5e+3", "[evt.res < -1.5e+3]");
    parses_as("fd.name = /dev/null", "[fd.name = /dev/null]");
    parses_as("fd.name=<NA>", "[fd.name = <NA>]");
    parses_as("fd.name = <", "[fd.name = <]");
    parses_as("proc.name exists", "[proc.name exists]");
    parses_as("proc.name exists and a", "(and [proc.name exists] a)");
    parses_as("(proc.name exists)", "[proc.name exists]");
    parses_as("proc.aname[2] = bash", "[proc.aname[2] = bash]");
    parses_as("k8s.pod.label[\"app x\"] = y", "[k8s.pod.label[app x] = y]");
    parses_as("container.mount.dest[/etc] exists", "[container.mount.dest[/etc] exists]");
    parses_as("evt.arg.flags contains O_TRUNC", "[evt.arg.flags contains O_TRUNC]");
    static const char *const words[] = { "contains", "icontains", "bcontains", "startswith",
                                         "bstartswith", "endswith", "glob", "iglob" };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        char c[80], w[80];
        snprintf(c, sizeof c, "fd.name %s x", words[i]);
        snprintf(w, sizeof w, "[fd.name %s x]", words[i]);
        parses_as(c, w);
    }
    parses_as("proc.name in (a, 'b c', \"d\")", "[proc.name in (a,\"b c\",\"d\")]");
    parses_as("proc.name in(a,b)", "[proc.name in (a,b)]");
    parses_as("proc.name in ()", "[proc.name in ()]");
    parses_as("proc.name in ( )", "[proc.name in ()]");
    parses_as("proc.name in (\n a ,\n b\n)", "[proc.name in (a,b)]");
    parses_as("proc.name in shell_binaries", "[proc.name in @shell_binaries]");
    parses_as("proc.args intersects (-V, -l)", "[proc.args intersects (-V,-l)]");
    parses_as("fd.name pmatch (/etc, /usr/lib)", "[fd.name pmatch (/etc,/usr/lib)]");
    parses_as("tolower(proc.name) = cat", "[tolower(proc.name) = cat]");
    parses_as("len( b64(evt.buffer) ) > 3", "[len(b64(evt.buffer)) > 3]");
    parses_as("proc.name = val(proc.pname)", "[proc.name = val(proc.pname)]");
    parses_as("proc.name = toupper(proc.pname)", "[proc.name = toupper(proc.pname)]");
    parses_as("proc.name in val(proc.aname)", "[proc.name in val(proc.aname)]");
    parses_as("evt.num > len(proc.name)", "[evt.num > len(proc.name)]");
    /* modifiers: a blank, then a list or a list name that is no keyword */
    parses_as("proc.name startswith oneof (a, b)", "[proc.name startswith oneof (a,b)]");
    tf_parse_err("proc.name = anyof(a)", "1:18: unexpected '(a)', expecting 'and', 'or' or the end of the condition");
    parses_as("proc.name != allof  shells", "[proc.name != allof @shells]");
    parses_as("proc.name contains anyof\n(a)", "[proc.name contains anyof (a)]");
    parses_as("proc.name = anyof", "[proc.name = anyof]");
    tf_parse_err("proc.name =anyof (a)", "1:18: unexpected '(a)', expecting 'and', 'or' or the end of the condition");
    parses_as("proc.name = anyof and b", "(and [proc.name = anyof] b)");
    parses_as("proc.name = oneof or b", "(or [proc.name = oneof] b)");
    parses_as("proc.name = allof notkw", "[proc.name = allof @notkw]");
    /* libsinsp's keyword test stops at a non-alphanumeric: "not_..." is "not" */
    tf_parse_err("proc.name = allof not_kw", "1:19: unexpected 'not_kw', expecting 'and', 'or' or the end of the condition");
}
END_TEST

START_TEST(parse_strings)
{
    parses_as("a.b = \"x y\"", "[a.b = \"x y\"]");
    parses_as("a.b = 'x,y=(z) and'", "[a.b = \"x,y=(z) and\"]");
    parses_as("a.b = x.y*[0-9]?", "[a.b = x.y*[0-9]?]");
    parses_as("a.b=\"q\"and c", "(and [a.b = \"q\"] c)");
}
END_TEST

START_TEST(parse_escapes)
{
    parses_as("a.b = \"\\\\ \\\" \\/ \\b\\f\\n\\r\\t \\x41\\x7e\"",
              "[a.b = \"\\ \" / \\x08\\x0c\\x0a\\x0d\\x09 A~\"]");
    parses_as("a.b = '\\''", "[a.b = \"'\"]");
    parses_as("a.b = \"a\\ b\"", "[a.b = \"a\\b\"]"); /* legacy "\ " */
    parses_as("a.b = 'x\"y'", "[a.b = \"x\"y\"]");
    parses_as("a.b = \"\"", "[a.b = \"\"]");
    parses_as("a.b = \"\\x00z\"", "[a.b = \"\\x00z\"]");
    /* the closing quote is the first one not preceded by a backslash */
    tf_parse_err("a.b = \"x\\\\\"", "1:7: unterminated string (the \" opened here has no closing \")");
    tf_parse_err("a.b = 'x\\\"'", "1:9: invalid \\\" escape in a '-quoted string");
    tf_parse_err("a.b = \"x\\'\"", "1:9: invalid \\' escape in a \"-quoted string");
    tf_parse_err("a.b = \"\\q\"", "1:8: unsupported escape sequence '\\q'");
    tf_parse_err("a.b = \"\\x4\"", "1:8: invalid \\x escape: two hex digits expected");
    tf_parse_err("a.b = \"\\xzz\"", "1:8: invalid \\x escape: two hex digits expected");
    tf_parse_err("a.b = 'abc", "1:7: unterminated string (the ' opened here has no closing ')");
    tf_parse_err("a.b = \"\\\x01\"", "1:8: unsupported escape sequence '\\\\x01'");
}
END_TEST

START_TEST(parse_errors)
{
    tf_parse_err("", "1:1: empty condition");
    tf_parse_err("  \n ", "2:2: empty condition");
    tf_parse_err("evt.type =", "1:11: expected a value after '=', found the end of the condition");
    tf_parse_err("evt.type = open and", "1:20: expected a condition after 'and'");
    tf_parse_err("a or", "1:5: expected a condition after 'or'");
    tf_parse_err("a and b and", "1:12: expected a condition after 'and'");
    tf_parse_err("not", "1:4: expected a condition after 'not'");
    tf_parse_err("and a", "1:1: expected a condition before 'and'");
    tf_parse_err("a and or b", "1:7: expected a condition before 'or'");
    tf_parse_err("(evt.num = 1",
                 "1:13: expected ')' to close the '(' at 1:1, found the end of the condition");
    tf_parse_err("a and\n  (b or (c)\n",
                 "3:1: expected ')' to close the '(' at 2:3, found the end of the condition");
    tf_parse_err("evt.num = 1)", "1:12: unexpected ')', expecting 'and', 'or' or the end of the condition");
    tf_parse_err("proc.name = a b", "1:15: unexpected 'b', expecting 'and', 'or' or the end of the condition");
    tf_parse_err("a b", "1:3: unexpected 'b', expecting 'and', 'or' or the end of the condition");
    tf_parse_err("proc.name in (a, b", "1:19: expected ',' or ')' in the list opened at 1:14, found the end of the condition");
    tf_parse_err("proc.name in (a b)", "1:17: expected ',' or ')' in the list opened at 1:14, found 'b)'");
    tf_parse_err("proc.name in (a,)", "1:17: expected a list item, found ')'");
    tf_parse_err("proc.name in 'a'", "1:14: expected a list after 'in', found ''a''");
    tf_parse_err("proc.name foo bar", "1:11: expected an operator after the field, found 'foo'");
    tf_parse_err("proc.name", "1:10: expected an operator after the field, found the end of the condition");
    tf_parse_err("proc.name containsx", "1:11: expected an operator after the field, found 'containsx'");
    tf_parse_err("proc.name = (a)", "1:13: expected a value after '=', found '(a)'");
    tf_parse_err("evt.num > abc", "1:11: expected a number after '>', found 'abc'");
    tf_parse_err("foo(proc.name) = x",
                 "1:1: 'foo' is not a transformer (tolower, toupper, b64, basename, len)");
    tf_parse_err("join(proc.name) = x", "1:1: transformer 'join' is not supported");
    tf_parse_err("val(proc.name) = x", "1:1: val() is only allowed on the right side of a comparison");
    tf_parse_err("tolower(proc.name, a.b) = x", "1:18: tolower() takes one argument");
    tf_parse_err("tolower(x) = y", "1:9: expected a field or a transformer, found 'x)'");
    tf_parse_err("proc.name = val(tolower(a.b))", "1:17: expected a field inside val(), found 'tolower(a.b))'");
    tf_parse_err("proc.aname[2 = x", "1:13: expected ']' after the field argument, found ' '");
    tf_parse_err("proc.aname[] = x", "1:12: expected a field argument inside '[ ]', found ']'");
    tf_parse_err("proc.name = anyof (a, b", "1:24: expected ',' or ')' in the list opened at 1:19, found the end of the condition");
    tf_parse_err("proc.name = anyof 'a'", "1:19: unexpected ''a'', expecting 'and', 'or' or the end of the condition");
    tf_parse_err("proc.name = anyof (a,)", "1:22: expected a list item, found ')'");
    tf_parse_err("proc.name = x \x01", "1:15: unexpected '\\x01', expecting 'and', 'or' or the end of the condition");
    tf_parse_err("%", "1:1: expected a field check, a macro name or '(', found '%'");
}
END_TEST

/* Nesting: exactly the limit parses, one more is refused. */
START_TEST(parse_depth_limit)
{
    for (int extra = 0; extra <= 1; extra++) {
        int d = 1000 + extra;
        char *t = malloc((size_t)d * 2 + 2);
        memset(t, '(', (size_t)d);
        t[d] = 'a';
        memset(t + d + 1, ')', (size_t)d);
        t[2 * d + 1] = '\0';
        struct filter_error err;
        struct fnode *n = filter_parse(t, &err);
        if (extra)
            CHECK(!n && !strcmp(err.msg, "1:1001: conditions nested deeper than 1000"),
                  "depth %d: %s", d, n ? "parsed" : err.msg);
        else
            CHECK(n, "depth %d: %s", d, err.msg);
        fnode_free(n);
        free(t);
    }
}
END_TEST

static void walk_cb(void *ctx, const char *name, bool as_list)
{
    struct sbuf *s = ctx;
    put(s, as_list ? "@%s " : "%s ", name);
}

START_TEST(parse_walk_names)
{
    struct filter_error err;
    struct fnode *n = filter_parse("m1 and not (proc.name in (l1, 'q', /bin/x) or m2) and "
                                   "fd.name pmatch (l2) and proc.name in l3 and proc.name = m3",
                                   &err);
    ck_assert_msg(n, "%s", err.msg);
    struct sbuf s = { .n = 0 };
    s.b[0] = '\0';
    fnode_walk_names(n, walk_cb, &s);
    fnode_free(n);
    ck_assert_str_eq(s.b, "m1 @l1 @/bin/x m2 @l2 @l3 ");
}
END_TEST

void filter_parse_cases(Suite *s)
{
    TCase *tc = tcase_create("filter_parse");
    tcase_add_checked_fixture(tc, tf_setup, tf_teardown);
    tcase_add_test(tc, parse_precedence);
    tcase_add_test(tc, parse_checks);
    tcase_add_test(tc, parse_strings);
    tcase_add_test(tc, parse_escapes);
    tcase_add_test(tc, parse_errors);
    tcase_add_test(tc, parse_depth_limit);
    tcase_add_test(tc, parse_walk_names);
    suite_add_tcase(s, tc);
}

Suite *filter_suite(void)
{
    Suite *s = suite_create("filter");
    filter_parse_cases(s);
    filter_ops_cases(s);
    filter_compile_cases(s);
    filter_corpus_cases(s);
    filter_real_cases(s);
    filter_spec_cases(s);
    return s;
}
