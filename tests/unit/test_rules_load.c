/* test_rules_load.c -- the Falco rules loader (analyzer/rules_load.h) on
 * small inline rules files: item recognition, append / override /
 * redefinition, enabled-only items, exceptions turned into condition
 * text, list nesting and textual substitution, macro visibility and loops,
 * priorities, engine versions, unknown keys and sources, the exact error
 * positions, and malformed YAML (never a crash). The shared corpus cases
 * are test_rules_corpus.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/rules_int.h"
#include "../../analyzer/rules_load.h"
#include "suites.h"
#include "testutil.h"

static struct rules_diag diag;

/* Loads each text as its own file ("f1.yaml", ...); returns the first
 * failing load's rc. */
static int load(struct rules *r, const char *const *texts)
{
    for (int i = 0; texts[i]; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%d.yaml", i + 1);
        if (rules_load_mem(r, name, texts[i], strlen(texts[i]), &diag) < 0)
            return -1;
    }
    return 0;
}

static struct rules *load_ok(const char *text)
{
    struct rules *r = rules_new();
    const char *t[] = { text, NULL };
    ck_assert_msg(load(r, t) == 0, "load failed: %s", diag.msg);
    return r;
}

/* The load must fail with a message containing want. */
static void load_fails(const char *text, const char *want)
{
    struct rules *r = rules_new();
    const char *t[] = { text, NULL };
    int rc = load(r, t);
    ck_assert_msg(rc < 0, "loaded, expected an error containing \"%s\"", want);
    ck_assert_msg(strstr(diag.msg, want), "error \"%s\" lacks \"%s\"", diag.msg, want);
    ck_assert_msg(!strchr(diag.msg, '\n'), "error not one line: %s", diag.msg);
    rules_free(r);
}

static bool has_warning(const struct rules *r, const char *want)
{
    for (size_t i = 0; i < rules_warning_count(r); i++)
        if (strstr(rules_warning_at(r, i), want))
            return true;
    return false;
}

#define RULE(name, cond) \
    "- rule: " name "\n  desc: d\n  condition: " cond "\n  output: o\n  priority: INFO\n"

START_TEST(priorities)
{
    enum rules_priority p;
    ck_assert(rules_priority_parse("WARNING", &p) && p == RULES_PRI_WARNING);
    ck_assert(rules_priority_parse("error", &p) && p == RULES_PRI_ERROR);
    ck_assert(rules_priority_parse("Info", &p) && p == RULES_PRI_INFORMATIONAL);
    ck_assert(rules_priority_parse("informational", &p) && p == RULES_PRI_INFORMATIONAL);
    ck_assert(rules_priority_parse("EMERGENCY", &p) && p == RULES_PRI_EMERGENCY);
    ck_assert(rules_priority_parse("debug", &p) && p == RULES_PRI_DEBUG);
    ck_assert(!rules_priority_parse("warn", &p));
    ck_assert(!rules_priority_parse("", &p));
    ck_assert_str_eq(rules_priority_name(RULES_PRI_NOTICE), "Notice");
    load_fails("- rule: r\n  desc: d\n  condition: c\n  output: o\n  priority: loud\n",
               "Invalid priority");
}
END_TEST

START_TEST(documents_and_order)
{
    struct rules *r = load_ok("---\n" RULE("a", "evt.type=open") "---\n"
                              "# empty document follows\n---\n---\n" RULE("b", "evt.type=close")
                              RULE("a", "evt.type=read"));
    ck_assert_uint_eq(rules_count(r), 2);
    /* a redefinition replaces the rule and keeps its place */
    ck_assert_str_eq(rules_at(r, 0)->name, "a");
    ck_assert_str_eq(rules_at(r, 0)->condition, "evt.type=read");
    ck_assert_str_eq(rules_at(r, 1)->name, "b");
    ck_assert_str_eq(rules_at(r, 0)->source, "syscall");
    ck_assert_int_eq(rules_at(r, 0)->priority, RULES_PRI_INFORMATIONAL);
    ck_assert(rules_at(r, 0)->enabled);
    ck_assert(rules_find(r, "b") == rules_at(r, 1));
    ck_assert(!rules_find(r, "c"));
    rules_free(r);
}
END_TEST

START_TEST(rule_fields)
{
    struct rules *r = load_ok("- rule: r\n  desc: d\n  condition: evt.type=open\n"
                              "  output: \"  out %proc.name  \"\n  priority: Critical\n"
                              "  tags: [b, a, b]\n  enabled: no\n  capture: yes\n"
                              "  capture_duration: 20\n  warn_evttypes: False\n"
                              "  skip-if-unknown-filter: TRUE\n");
    const struct rules_rule *ru = rules_at(r, 0);
    ck_assert_str_eq(ru->output, "out %proc.name");   /* trimmed */
    ck_assert_int_eq(ru->priority, RULES_PRI_CRITICAL);
    ck_assert_uint_eq(ru->ntags, 2);                  /* a set: sorted, unique */
    ck_assert_str_eq(ru->tags[0], "a");
    ck_assert_str_eq(ru->tags[1], "b");
    ck_assert(!ru->enabled && ru->capture && !ru->warn_evttypes && ru->skip_if_unknown_filter);
    ck_assert_uint_eq(ru->capture_duration, 20);
    ck_assert_int_eq(ru->line, 1);
    ck_assert_int_eq(ru->col, 3);
    rules_free(r);
    load_fails(RULE("r", "evt.type=open") "  capture_duration: soon\n",
               "Can't decode YAML scalar value");
    load_fails(RULE("r", "evt.type=open") "  enabled: maybe\n",
               "Can't decode YAML scalar value");
}
END_TEST

START_TEST(list_append_override)
{
    struct rules *r = load_ok("- list: l\n  items: [a, b]\n"
                              "- list: l\n  items: [c]\n  append: true\n"
                              "- list: l\n  items: [d]\n  override:\n    items: append\n"
                              "- list: m\n  items: [x]\n"
                              "- list: m\n  items: [y]\n  override:\n    items: replace\n"
                              "- list: e\n  items: []\n");
    size_t n;
    const char *const *it = rules_list_items(r, "l", &n);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(it[0], "a");
    ck_assert_str_eq(it[3], "d");
    it = rules_list_items(r, "m", &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(it[0], "y");
    ck_assert(rules_list_items(r, "e", &n) && n == 0);
    ck_assert(!rules_list_items(r, "zz", &n));
    ck_assert(has_warning(r, "'append' key is deprecated"));
    rules_free(r);
    load_fails("- list: l\n  items: [a]\n  append: true\n",
               "List uses 'append' or 'override.items: append' but no list");
    load_fails("- list: l\n  items: [a]\n- list: l\n  items: [b]\n  append: true\n"
               "  override:\n    items: append\n",
               "Keys 'override' and 'append: true' cannot be used together");
    load_fails("- list: l\n  items: a\n", "Value is not a sequence");
    load_fails("- list: l\n  items: [a, [b]]\n", "sequence value is not scalar");
    load_fails("- list: l\n  items: [a]\n  override:\n    items: prepend\n",
               "Invalid override operation for key 'items': 'prepend'");
}
END_TEST

START_TEST(macro_append_override)
{
    struct rules *r = load_ok("- macro: m\n  condition: evt.type=open\n"
                              "- macro: m\n  condition: or evt.type=close\n  append: true\n"
                              "- macro: n\n  condition: a\n"
                              "- macro: n\n  condition: b\n  override:\n    condition: append\n"
                              "- macro: o\n  condition: a\n"
                              "- macro: o\n  condition: c\n  override:\n    condition: replace\n");
    ck_assert_str_eq(rules_macro_text(r, "m"), "evt.type=open or evt.type=close");
    ck_assert_str_eq(rules_macro_text(r, "n"), "a b");
    ck_assert_str_eq(rules_macro_text(r, "o"), "c");
    ck_assert(!rules_macro_text(r, "p"));
    rules_free(r);
    load_fails("- macro: m\n  condition: and x\n  override:\n    condition: append\n",
               "Macro uses 'append' or 'override.condition: append' but no macro");
    load_fails("- macro: m\n  condition: x\n  override:\n    items: append\n",
               "Key 'items' cannot be appended to, use 'replace' instead");
}
END_TEST

START_TEST(rule_append_override)
{
    struct rules *r = load_ok(
        RULE("r", "evt.type=open") "  tags: [t1]\n"
        "- rule: r\n  condition: and proc.name=cat\n  append: true\n  enabled: false\n"
        "- rule: r\n  output: more\n  desc: longer\n  tags: [t0]\n"
        "  override:\n    output: append\n    desc: append\n    tags: append\n"
        "- rule: r\n  priority: error\n  enabled: false\n"
        "  override:\n    priority: replace\n    enabled: replace\n");
    const struct rules_rule *ru = rules_at(r, 0);
    ck_assert_str_eq(ru->condition, "evt.type=open and proc.name=cat");
    ck_assert_str_eq(ru->output, "o more");
    ck_assert_str_eq(ru->desc, "d longer");
    ck_assert_uint_eq(ru->ntags, 2);
    ck_assert_str_eq(ru->tags[0], "t0");
    ck_assert_int_eq(ru->priority, RULES_PRI_ERROR);
    ck_assert(!ru->enabled);
    rules_free(r);

    r = load_ok(RULE("r", "evt.type=open") "  tags: [t1]\n"
                "- rule: r\n  condition: evt.type=close\n  tags: [x]\n"
                "  override:\n    condition: replace\n    tags: replace\n");
    ck_assert_str_eq(rules_at(r, 0)->condition, "evt.type=close");
    ck_assert_uint_eq(rules_at(r, 0)->ntags, 1);
    ck_assert_str_eq(rules_at(r, 0)->tags[0], "x");
    rules_free(r);

    load_fails("- rule: r\n  condition: and x\n  append: true\n",
               "Rule uses 'append' or 'override.<key>: append' but no rule");
    load_fails("- rule: r\n  condition: x\n  override:\n    condition: replace\n",
               "An 'override.<key>: replace' to a rule was requested but no rule");
    load_fails(RULE("r", "a") "- rule: r\n  append: true\n",
               "Appended rule must have exceptions or condition property");
    load_fails(RULE("r", "a") "- rule: r\n  priority: debug\n  override:\n"
               "    priority: append\n",
               "Key 'priority' cannot be appended to, use 'replace' instead");
    load_fails(RULE("r", "a") "- rule: r\n  condition: and b\n  priority: debug\n"
               "  override:\n    condition: append\n",
               "Unexpected key 'priority': no corresponding entry under 'override'");
    load_fails(RULE("r", "a") "- rule: r\n  override:\n    condition: append\n",
               "An append override for 'condition' was specified but 'condition' is not "
               "defined");
    load_fails(RULE("r", "a") "- rule: r\n  condition: and b\n  append: true\n"
               "  override:\n    condition: append\n",
               "Keys 'override' and 'append: true' cannot be used together");
    load_fails(RULE("r", "a") "  source: k8s_audit\n" RULE("r", "b"),
               "Rule has been re-defined with a different source");
}
END_TEST

START_TEST(enabled_only)
{
    struct rules *r = load_ok(RULE("r", "evt.type=open") "- rule: r\n  enabled: false\n");
    ck_assert(!rules_at(r, 0)->enabled);
    ck_assert(has_warning(r, "The standalone 'enabled' key usage is deprecated"));
    rules_free(r);
    load_fails("- rule: r\n  enabled: false\n",
               "Rule has 'enabled' key but no rule by that name already exists");
    load_fails(RULE("r", "evt.type=open") "- rule: r\n  tags: [a]\n",
               "Item has no mapping for key 'enabled'");
}
END_TEST

START_TEST(exceptions_text)
{
    /* Falco's build_rule_exception_infos, byte for byte */
    struct rules *r = load_ok(
        RULE("r", "evt.type=open") "  exceptions:\n"
        "    - name: single\n      fields: proc.name\n      values: [cat, \"my app\", '\"q x\"']\n"
        "    - name: multi\n      fields: [proc.name, fd.name]\n"
        "      comps: [=, startswith]\n      values:\n        - [a, /tmp]\n"
        "        - [b c, /var]\n"
        "    - name: lists\n      fields: [proc.name, fd.directory]\n"
        "      comps: [in, pmatch]\n      values:\n        - [[x, y z], shell_binaries]\n"
        "        - [sh, \"(/a, /b)\"]\n"
        "    - name: empty\n      fields: [proc.pid]\n"
        "    - name: mod\n      fields: fd.name\n      comps: \"  endswith anyof \"\n"
        "      values: [.sh]\n");
    const struct rl_rule *ru = &r->rules[0];
    char *t = rl_exceptions_text(ru->cond, ru->exc, ru->nexc);
    ck_assert_str_eq(t,
        "(evt.type=open) and not (proc.name in (cat, \"my app\", \"q x\"))"
        " and not (( proc.name = a and  fd.name startswith /tmp) or"
        " ( proc.name = \"b c\" and  fd.name startswith /var))"
        " and not (( proc.name in (x, \"y z\") and  fd.directory pmatch (shell_binaries)) or"
        " ( proc.name in (sh) and  fd.directory pmatch (/a, /b)))"
        " and not (fd.name endswith anyof (.sh))");
    free(t);
    rules_free(r);

    load_fails(RULE("r", "a") "  exceptions:\n    - name: e\n      values: [a]\n",
               "Item has no mapping for key 'fields'");
    load_fails(RULE("r", "a") "  exceptions:\n    - fields: proc.name\n",
               "Item has no mapping for key 'name'");
    load_fails(RULE("r", "a") "  exceptions:\n    - name: e\n      fields: proc.name\n"
               "      comps: \"=\"\n",
               "When fields is a single value, comps must be one of");
    load_fails(RULE("r", "a") "  exceptions:\n    - name: e\n      fields: [proc.name]\n"
               "      comps: [frob]\n",
               "'frob' is not a supported comparison operator");
    load_fails(RULE("r", "a") "  exceptions:\n    - name: e\n      fields: [proc.name]\n"
               "      comps: [in oneof]\n",
               "'in oneof' is not a supported comparison operator");
    load_fails(RULE("r", "a") "  exceptions:\n    - name: e\n      fields: [a.b, c.d]\n"
               "      comps: [=]\n",
               "Fields and comps lists must have equal length");
}
END_TEST

START_TEST(exceptions_append)
{
    struct rules *r = load_ok(
        RULE("r", "evt.type=open") "  exceptions:\n"
        "    - name: e\n      fields: [proc.name]\n      values: [[a]]\n"
        "- rule: r\n  exceptions:\n    - name: e\n      values: [[b]]\n"
        "    - name: f\n      fields: fd.name\n      values: [x]\n"
        "  override:\n    exceptions: append\n"
        "- rule: r\n  exceptions:\n    - name: e\n      values: [[c]]\n  append: true\n");
    const struct rl_rule *ru = &r->rules[0];
    ck_assert_uint_eq(ru->nexc, 2);
    ck_assert_uint_eq(ru->exc[0].nvalues, 3);
    char *t = rl_exceptions_text(ru->cond, ru->exc, ru->nexc);
    ck_assert_str_eq(t, "(evt.type=open) and not (( proc.name = a) or ( proc.name = b) or"
                        " ( proc.name = c)) and not (fd.name in (x))");
    free(t);
    rules_free(r);
    load_fails(RULE("r", "a") "- rule: r\n  exceptions:\n    - name: new\n      values: [x]\n"
               "  append: true\n",
               "Rule exception must have fields property with a list of fields");
    load_fails(RULE("r", "a") "- rule: r\n  exceptions:\n    - name: new\n      fields: f.g\n"
               "  append: true\n",
               "Rule exception must have values property with a list of values");
    load_fails(RULE("r", "a") "  exceptions:\n    - name: e\n      fields: f.g\n"
               "- rule: r\n  exceptions:\n    - name: e\n      fields: f.h\n      values: [x]\n"
               "  append: true\n",
               "Can not append exception fields to existing exception, only values");
    /* replace needs whole definitions */
    load_fails(RULE("r", "a") "- rule: r\n  exceptions:\n    - name: e\n      values: [x]\n"
               "  override:\n    exceptions: replace\n",
               "Item has no mapping for key 'fields'");
}
END_TEST

START_TEST(list_substitution)
{
    /* resolve_list: delimited names only, blanks eaten, empty lists take
     * a comma, quoted items keep their quotes */
    struct rules *r = load_ok("- list: shells\n  items: [bash, \"my sh\", '\"x y\"']\n"
                              "- list: none\n  items: []\n"
                              "- list: nested\n  items: [shells, zsh]\n");
    struct rl_list *l;
    for (size_t i = 0; i < r->nlists; i++) {
        l = &r->lists[i];
        /* rules_check fills the expanded items; do what it does */
        l->exp = rl_xrealloc(NULL, l->n * sizeof *l->exp + 1);
        l->nexp = 0;
        for (size_t j = 0; j < l->n; j++)
            l->exp[l->nexp++] = rl_xstrdup(l->items[j]);
    }
    static const struct { const char *in, *out; } cases[] = {
        { "proc.name in (shells)", "proc.name in ( bash, \"my sh\", \"x y\" )" },
        { "proc.name in (shells, a)", "proc.name in ( bash, \"my sh\", \"x y\" , a)" },
        { "proc.name in (a,shells)", "proc.name in (a, bash, \"my sh\", \"x y\" )" },
        { "proc.name in shells", "proc.name in bash, \"my sh\", \"x y\" " },
        { "proc.name=shells", "proc.name= bash, \"my sh\", \"x y\" " },
        { "proc.name in (myshells, shells_x)", "proc.name in (myshells, shells_x)" },
        { "proc.name in (none)", "proc.name in (  )" },
        { "proc.name in (a, none)", "proc.name in (a  )" },
        { "proc.name in (none, a)", "proc.name in (   a)" },
        { "shells", "bash, \"my sh\", \"x y\" " },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = rl_subst_lists(r, cases[i].in);
        ck_assert_msg(!strcmp(t, cases[i].out), "%s -> [%s], want [%s]", cases[i].in, t,
                      cases[i].out);
        free(t);
    }
    rules_free(r);
}
END_TEST

START_TEST(engine_versions)
{
    rules_free(load_ok("- required_engine_version: 9\n"));
    rules_free(load_ok("- required_engine_version: 0.26.0\n"));
    rules_free(load_ok("- required_engine_version: " RULES_ENGINE_VERSION "\n"));
    load_fails("- required_engine_version: 0.99.0\n", "Rules require engine version 0.99.0");
    load_fails("- required_engine_version: 1.0.0\n", "Rules require engine version 1.0.0");
    load_fails("- required_engine_version: 999\n", "Rules require engine version 0.999.0");
    load_fails("- required_engine_version: seven\n", "Unable to parse engine version 'seven'");
    load_fails("- required_engine_version:\n", "Mapping for key 'required_engine_version'");
    rules_free(load_ok("- required_plugin_versions:\n    - name: container\n"
                       "      version: 0.4.0\n      alternatives:\n"
                       "        - name: other\n          version: 1.0.0\n"));
    load_fails("- required_plugin_versions:\n    - name: c\n      version: x\n",
               "Invalid required version 'x' for plugin 'c'");
    load_fails("- required_plugin_versions: c\n",
               "Value of required_plugin_versions must be a sequence");
}
END_TEST

START_TEST(warnings_and_sources)
{
    struct rules *r = load_ok(RULE("r", "evt.type=open") "  typo_field: 1\n"
                              "- list: l\n  items: []\n  prio: 1\n"
                              "- macro: m\n  condition: x\n  nope: 1\n"
                              "- macro: bad-name\n  condition: x\n"
                              "- list: \"bad list\"\n  items: []\n"
                              "- whatever: 1\n"
                              RULE("k", "ka.verb=GET") "  source: k8s_audit\n");
    ck_assert(has_warning(r, "f1.yaml:6:3: rule 'r': Unknown key 'typo_field'. The key will be "
                             "ignored."));
    ck_assert(has_warning(r, "list 'l': Unknown key 'prio'"));
    ck_assert(has_warning(r, "macro 'm': Unknown key 'nope'"));
    ck_assert(has_warning(r, "Macro has an invalid name"));
    ck_assert(has_warning(r, "List has an invalid name"));
    ck_assert(has_warning(r, "Unknown top level item"));
    ck_assert(has_warning(r, "rule 'k': Unknown source k8s_audit, skipping"));
    ck_assert(!rules_find(r, "k")->known_source);
    ck_assert(rules_find(r, "r")->known_source);
    rules_free(r);
}
END_TEST

START_TEST(error_positions)
{
    static const struct { const char *text, *want; } cases[] = {
        { "- macro: m\n  nope: 1\n", "f1.yaml:1:3: macro 'm': Item has no mapping for key "
                                     "'condition'" },
        { "- list: a\n  items: []\n\n- rule: r\n  desc: d\n  condition: x\n  priority: INFO\n",
          "f1.yaml:4:3: rule 'r': Item has no mapping for key 'output'" },
        { "- rule:\n  desc: d\n", "f1.yaml:1:3: rule '': Mapping for key 'rule' is empty" },
        { "- foo\n", "f1.yaml:1:3: Unexpected element type. Each element should be a yaml "
                     "associative array." },
        { "foo: bar\n", "f1.yaml:1:1: Rules content is not yaml array of objects" },
        { "just text\n", "f1.yaml:1:1: Rules content is not yaml" },
        { "this : is : not : yaml\n", "f1.yaml:1:11: YAML syntax error" },
        { "- rule: r\n  desc: [unclosed\n", "f1.yaml:" },
        { "- rule: r\n  condition: \"\"\n", "Value must be non-empty (key 'condition')" },
        { "- rule: r\n  condition: [a]\n", "Value is not a scalar value (key 'condition')" },
        { "- rule: r\n  desc: d\n  condition: c\n  output: o\n  priority: INFO\n"
          "  exceptions: {a: 1}\n", "Rule exceptions must be a sequence" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        load_fails(cases[i].text, cases[i].want);
    /* a message stays one line whatever the name holds */
    load_fails("- macro: \"a\\nb\"\n  nope: 1\n", "macro 'a b'");
    /* a YAML error loads nothing of the file, even its earlier documents */
    struct rules *r = rules_new();
    const char *t[] = { RULE("a", "x") "---\n- [\n", NULL };
    ck_assert_int_lt(load(r, t), 0);
    ck_assert_uint_eq(rules_count(r), 0);
    rules_free(r);
    /* loading stops at the first error: later items are not read */
    r = rules_new();
    const char *u[] = { RULE("a", "x") "- list: l\n" RULE("b", "y"), NULL };
    ck_assert_int_lt(load(r, u), 0);
    ck_assert_uint_eq(rules_count(r), 1);
    rules_free(r);
}
END_TEST

/* Every prefix of a rules file, and every single-byte corruption of it,
 * must load or fail with a message: never crash, hang or leak. */
START_TEST(malformed_never_crash)
{
    static const char base[] =
        "- required_engine_version: 0.26.0\n"
        "- list: l\n  items: [a, \"b c\", l2]\n"
        "- macro: m\n  condition: evt.type in (l) and &anchor x\n"
        RULE("r", "m and proc.name=*anchor")
        "  exceptions:\n    - name: e\n      fields: [proc.name, fd.name]\n"
        "      comps: [in, =]\n      values:\n        - [[a, b], c]\n"
        "- rule: r\n  condition: or x\n  override: {condition: append}\n";
    static const char junk[] = "\0\n:-[]{}'\"&*!|>#%@` \t\xff";
    size_t n = sizeof base - 1;
    for (size_t cut = 0; cut <= n; cut++) {
        struct rules *r = rules_new();
        int rc = rules_load_mem(r, "cut.yaml", base, cut, &diag);
        CHECK(rc == 0 || diag.msg[0], "cut %zu: failed without a message", cut);
        rules_free(r);
    }
    char buf[sizeof base];
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < sizeof junk - 1; j++) {
            memcpy(buf, base, n);
            buf[i] = junk[j];
            struct rules *r = rules_new();
            int rc = rules_load_mem(r, "flip.yaml", buf, n, &diag);
            CHECK(rc == 0 || diag.msg[0], "flip %zu: failed without a message", i);
            rules_free(r);
        }
    }
}
END_TEST

/* Aliases repeat one sequence without copying it in the file: the loader
 * must refuse to expand it into billions of values. */
START_TEST(alias_bomb)
{
    /* 200 tuples of 200 lists of 200 values: 8 million entries from 7 KB */
    char *t = rl_xrealloc(NULL, 1 << 16);
    size_t cap = 1 << 16;
    int n = snprintf(t, cap, "%s", RULE("r", "a") "  exceptions:\n    - name: e\n"
                     "      fields: [a.b]\n      values:\n        - &t [&s [x");
    for (int j = 1; j < 200; j++)
        n += snprintf(t + n, cap - (size_t)n, ", x");
    n += snprintf(t + n, cap - (size_t)n, "]");
    for (int j = 1; j < 200; j++)
        n += snprintf(t + n, cap - (size_t)n, ", *s");
    n += snprintf(t + n, cap - (size_t)n, "]\n");
    for (int j = 1; j < 200; j++)
        n += snprintf(t + n, cap - (size_t)n, "        - *t\n");
    ck_assert_uint_lt((size_t)n, cap);
    load_fails(t, "exception entries in one file");
    free(t);
    /* depth: exactly the limit loads, one more does not */
    rules_free(load_ok(RULE("r", "a") "  exceptions:\n    - name: e\n      fields: [a.b]\n"
                       "      values: [[[[x]]]]\n"));
    load_fails(RULE("r", "a") "  exceptions:\n    - name: e\n      fields: [a.b]\n"
               "      values: [[[[[x]]]]]\n", "values nested more than 4 deep");
}
END_TEST

/* Needs the filter language (filter_parse, fnode_walk_names). */
START_TEST(check_macros)
{
    struct rules *r = load_ok("- list: l\n  items: [open]\n"
                              "- list: l2\n  items: [l, openat]\n"
                              "- macro: a\n  condition: evt.type in (l2)\n"
                              "- macro: b\n  condition: a and proc.name=cat\n"
                              RULE("r", "b") "  exceptions:\n    - name: e\n"
                              "      fields: proc.name\n      values: [x]\n");
    ck_assert_msg(rules_check(r, &diag) == 0, "%s", diag.msg);
    ck_assert_str_eq(rules_macro_text(r, "a"), "evt.type in ( open, openat )");
    ck_assert_str_eq(rules_find(r, "r")->expanded, "(b) and not (proc.name in (x))");
    size_t n;
    ck_assert(rules_list_items(r, "l2", &n) && n == 2);
    rules_free(r);

    static const struct { const char *text, *want; } bad[] = {
        { "- macro: a\n  condition: evt.type=open\n- macro: b\n  condition: a\n"
          "- macro: a\n  condition: b\n", "f1.yaml:5:3: macro 'a': reference loop in macro" },
        { "- macro: a\n  condition: a or evt.type=open\n- macro: a\n  condition: a\n",
          "reference loop in macro 'a'" },
        /* a macro sees only macros defined before its last definition */
        { "- macro: a\n  condition: b\n- macro: b\n  condition: evt.type=open\n",
          "macro 'a': Undefined macro 'b' used in filter." },
        { "- macro: a\n  condition: gak\n", "Undefined macro 'gak' used in filter." },
        { RULE("r", "nothere"), "rule 'r': Undefined macro 'nothere' used in filter." },
        { "- macro: m\n  condition: evt.type=execve\n- macro: m\n  condition: foo\n"
          "  append: true\n", "macro 'm': condition: " },
        { RULE("r", "evt.type=open") "- rule: r\n  condition: bar\n  append: true\n",
          "rule 'r': condition: " },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = load_ok(bad[i].text);
        ck_assert_msg(rules_check(r, &diag) < 0, "case %zu passed", i);
        ck_assert_msg(strstr(diag.msg, bad[i].want), "case %zu: \"%s\" lacks \"%s\"", i,
                      diag.msg, bad[i].want);
        rules_free(r);
    }
    /* a rule sees macros defined after it */
    r = load_ok(RULE("r", "later") "- macro: later\n  condition: evt.type=open\n"
                "- list: unused\n  items: []\n- macro: unusedm\n  condition: evt.type=open\n");
    ck_assert_msg(rules_check(r, &diag) == 0, "%s", diag.msg);
    ck_assert(has_warning(r, "list 'unused': List not referred to by any other rule/macro"));
    ck_assert(has_warning(r, "macro 'unusedm': Macro not referred to by any other rule/macro"));
    ck_assert(!has_warning(r, "macro 'later': Macro not referred"));
    rules_free(r);
}
END_TEST

/* One namespace across files; what each item may see. */
START_TEST(check_visibility)
{
    struct rules *r = rules_new();
    const char *files[] = {
        "- list: early\n  items: [a]\n- list: nest\n  items: [early, late]\n"
        "- macro: m1\n  condition: proc.name in (nest)\n",
        "- list: late\n  items: [b]\n- macro: m2\n  condition: m1 and m3\n"
        "- macro: m3\n  condition: proc.pid=1\n"
        /* redefined after m3: now m2 sees it */
        "- macro: m2\n  condition: m1 or m3\n" RULE("r", "m2"),
        NULL };
    ck_assert_msg(load(r, files) == 0, "%s", diag.msg);
    ck_assert_msg(rules_check(r, &diag) == 0, "%s", diag.msg);
    size_t n;
    const char *const *it = rules_list_items(r, "nest", &n);
    /* 'late' was defined after 'nest': it stays a plain string */
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(it[0], "a");
    ck_assert_str_eq(it[1], "late");
    /* ... and is then substituted in the text anyway, as in Falco */
    ck_assert_str_eq(rules_macro_text(r, "m1"), "proc.name in ( a, b )");
    rules_free(r);

    /* rules of other sources are parsed, but a failure only warns */
    r = load_ok(RULE("k", "ka.verb in (") "  source: k8s_audit\n");
    ck_assert_msg(rules_check(r, &diag) == 0, "%s", diag.msg);
    ck_assert(has_warning(r, "not an error: source k8s_audit is not loaded"));
    rules_free(r);
}
END_TEST

/* Needs the field registry as well. */
START_TEST(compile_fields)
{
    struct rules *r = load_ok(
        "- macro: cat\n  condition: proc.name=cat\n"
        "- rule: ok\n  desc: d\n  condition: evt.type=open and cat\n"
        "  output: \"%evt.type by %proc.name %container.info\"\n  priority: INFO\n"
        "  exceptions:\n    - name: e\n      fields: [tolower(proc.name), fd.name]\n"
        "      values: [[a, /b]]\n"
        "- rule: off\n  desc: d\n  condition: proc.pid=1\n  output: o\n  priority: INFO\n"
        "  enabled: false\n"
        "- rule: skip\n  desc: d\n  condition: proc.nobody=1\n  output: o\n  priority: INFO\n"
        "  skip-if-unknown-filter: true\n"
        "- rule: k\n  desc: d\n  condition: ka.verb=GET\n  output: o\n  priority: INFO\n"
        "  source: k8s_audit\n");
    ck_assert_msg(rules_compile(r, &diag) == 0, "%s", diag.msg);
    const struct rules_rule *ru = rules_find(r, "ok");
    ck_assert(ru->filter);
    ck_assert_str_eq(ru->output, "%evt.type by %proc.name ");
    ck_assert(has_warning(r, "%container.info is deprecated"));
    ck_assert(rules_find(r, "off")->filter);      /* compiled, not evaluated */
    ck_assert(rules_find(r, "skip")->skipped && !rules_find(r, "skip")->filter);
    ck_assert(has_warning(r, "rule 'skip': condition: "));
    /* another source: expanded and parsed, never compiled */
    ck_assert(!rules_find(r, "k")->filter && rules_find(r, "k")->expanded);
    /* compiling twice is fine */
    ck_assert_msg(rules_compile(r, &diag) == 0, "%s", diag.msg);
    rules_free(r);

    static const struct { const char *text, *want; } bad[] = {
        { RULE("r", "proc.nmae=cat"), "f1.yaml:1:3: rule 'r': condition: " },
        { "- rule: r\n  desc: d\n  condition: proc.name=cat\n  output: \"%proc.nmae\"\n"
          "  priority: INFO\n", "rule 'r': invalid formatting token" },
        { RULE("r", "proc.name=cat") "  exceptions:\n    - name: e\n"
          "      fields: [not.exist]\n", "exception 'e': 'not.exist' is not a supported filter "
          "field" },
        /* a disabled rule must compile too (Falco) */
        { RULE("r", "proc.nmae=cat") "  enabled: false\n", "rule 'r': condition: " },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = load_ok(bad[i].text);
        ck_assert_msg(rules_compile(r, &diag) < 0, "case %zu compiled", i);
        ck_assert_msg(strstr(diag.msg, bad[i].want), "case %zu: \"%s\" lacks \"%s\"", i,
                      diag.msg, bad[i].want);
        rules_free(r);
    }
}
END_TEST

Suite *rules_load_suite(void)
{
    Suite *s = suite_create("rules_load");
    TCase *tc = tcase_create("load");
    tcase_add_test(tc, priorities);
    tcase_add_test(tc, documents_and_order);
    tcase_add_test(tc, rule_fields);
    tcase_add_test(tc, list_append_override);
    tcase_add_test(tc, macro_append_override);
    tcase_add_test(tc, rule_append_override);
    tcase_add_test(tc, enabled_only);
    tcase_add_test(tc, exceptions_text);
    tcase_add_test(tc, exceptions_append);
    tcase_add_test(tc, list_substitution);
    tcase_add_test(tc, engine_versions);
    tcase_add_test(tc, warnings_and_sources);
    tcase_add_test(tc, error_positions);
    suite_add_tcase(s, tc);
    tc = tcase_create("malformed");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, malformed_never_crash);
    tcase_add_test(tc, alias_bomb);
    suite_add_tcase(s, tc);
    tc = tcase_create("check");
    tcase_add_test(tc, check_macros);
    tcase_add_test(tc, check_visibility);
    tcase_add_test(tc, compile_fields);
    suite_add_tcase(s, tc);
    rules_corpus_cases(s);
    return s;
}
