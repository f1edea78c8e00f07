/* cmd_rules.c -- `saker rules`: loads Falco rules files in order into one
 * namespace, checks and compiles every rule as an analysis would, and
 * reports.
 *
 *   saker rules validate FILE...   Falco's -V: a summary, or every rule
 *                                  that does not compile with its reason
 *   saker rules list [FILE...]     one line per rule: priority, state,
 *                                  name, tags, the event types it can match
 *                                  (no FILE: saker's own rules, as replay)
 *   saker rules [-lq] [-s RULE] FILE...   the first form, kept: validate,
 *                                  with -l a listing, -s one rule's view
 *
 * Falco stops a load at the first error; validate goes on when the error
 * is a rule's condition: it loads the files again without compiling
 * (rules_check) and compiles each rule on its own, so one run names every
 * rule that needs fixing. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../reader/escape.h"
#include "cli.h"
#include "cmd_replay_int.h"
#include "filter.h"
#include "rules_load.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saker rules validate [-q] FILE...\n"
            "       saker rules list [-q] [FILE...]\n"
            "       saker rules [-lq] [-s RULE] FILE...\n\n"
            "Loads Falco rules files in order (later files append to, override or disable\n"
            "what earlier ones define), checks and compiles every rule, and prints a summary.\n"
            "Errors stop the load at the first one, as in Falco: one line naming\n"
            "FILE:LINE:COL; validate then names every other rule that does not compile.\n"
            "A FILE may be a directory: its *.yaml files load in name order.\n\n"
            "  validate  check the files (Falco's -V); exit 2 when they do not load\n"
            "  list      one line per rule: priority, state, name, [tags], and the event\n"
            "            types it can match (evt: any = every event); no FILE lists the\n"
            "            rules saker replay uses by default\n\n"
            "options:\n"
            "  -l        list the rules: priority, state, source, name, tags\n"
            "  -s RULE   show one rule, with the condition the filter is given (exceptions\n"
            "            added, lists substituted)\n"
            "  -q        do not print warnings\n\n"
            "examples:\n"
            "  saker rules falco_rules.yaml                   # validate\n"
            "  saker rules validate falco_rules.yaml my_rules.yaml\n"
            "  saker rules list falco_rules.yaml              # what a replay evaluates\n"
            "  saker rules falco_rules.yaml my_rules.yaml -l  # what a run would use\n"
            "  saker rules -s 'Terminal shell in container' falco_rules.yaml\n\n"
            "Exit status: 0 the files load and compile, 2 otherwise.\n");
}

static void print_rule(const struct rules_rule *ru)
{
    char esc[8192];
    printf("rule:      %s\n", skr_escape_str(ru->name, esc, sizeof esc));
    printf("defined:   %s:%d:%d\n", skr_escape_str(ru->file, esc, sizeof esc), ru->line,
           ru->col);
    printf("priority:  %s\n", rules_priority_name(ru->priority));
    printf("enabled:   %s\n", ru->enabled ? "yes" : "no");
    printf("source:    %s%s\n", skr_escape_str(ru->source, esc, sizeof esc),
           ru->known_source ? "" : " (not loaded: never evaluated)");
    printf("tags:     ");
    for (size_t i = 0; i < ru->ntags; i++)
        printf(" %s", skr_escape_str(ru->tags[i], esc, sizeof esc));
    printf("\ncondition: %s\n", skr_escape_str(ru->condition, esc, sizeof esc));
    printf("expanded:  %s\n", skr_escape_str(ru->expanded ? ru->expanded : "", esc, sizeof esc));
    printf("output:    %s\n", skr_escape_str(ru->output, esc, sizeof esc));
}

static void print_tags(const struct rules_rule *ru)
{
    char esc[4096];
    for (size_t t = 0; t < ru->ntags; t++)
        printf("%s%s", t ? "," : " [", skr_escape_str(ru->tags[t], esc, sizeof esc));
    printf("%s", ru->ntags ? "]" : "");
}

/* `list`: the event types come from the compiled filter, the same index
 * saker replay builds (engine.h). */
static void list_line(const struct rules_rule *ru)
{
    char esc[4096];
    const char *state = !ru->known_source ? "other" : ru->skipped ? "skipped"
                        : ru->enabled     ? "enabled"
                                          : "disabled";
    printf("%-13s %-8s %s", rules_priority_name(ru->priority), state,
           skr_escape_str(ru->name, esc, sizeof esc));
    print_tags(ru);
    const char *const *names = NULL;
    if (!ru->filter) {
        printf(" evt: -\n");
    } else if (!filter_event_types(ru->filter, &names) || !names) {
        printf(" evt: any\n");
    } else {
        printf(" evt:");
        for (size_t i = 0; names[i]; i++)
            printf("%s%s", i ? "," : " ", skr_escape_str(names[i], esc, sizeof esc));
        printf("%s\n", names[0] ? "" : " none");
    }
}

static const char *env_macro(void *ctx, const char *name)
{
    return rules_macro_text(ctx, name);
}

/* After a failed compile: every rule whose condition does not compile,
 * one line each. Returns how many were reported (0: the failure was
 * elsewhere, e.g. an output, and the loader's own message says it). */
static size_t report_each_rule(const struct rp_paths *files)
{
    struct rules *r = rules_new();
    struct rules_diag d;
    size_t bad = 0;
    if (!r)
        return 0;
    for (size_t i = 0; i < files->n; i++)
        if (rules_load_file(r, files->v[i], &d) < 0)
            goto out;
    if (rules_check(r, &d) < 0)
        goto out;
    struct filter_env env = { .ctx = r, .macro = env_macro };
    for (size_t i = 0; i < rules_count(r); i++) {
        const struct rules_rule *ru = rules_at(r, i);
        if (!ru->known_source || !ru->expanded)
            continue;
        struct filter_error fe;
        struct filter *f = filter_compile(ru->expanded, &env, &fe);
        if (f) {
            filter_free(f);
            continue;
        }
        /* skip-if-unknown-filter: Falco drops the rule, not the load */
        if (ru->skip_if_unknown_filter && strstr(fe.msg, "unknown field"))
            continue;
        cli_error("%s:%d:%d: rule '%s': cannot compile: %s", ru->file, ru->line, ru->col,
                  ru->name, fe.msg);
        bad++;
    }
out:
    rules_free(r);
    return bad;
}

enum mode { MODE_CLASSIC, MODE_VALIDATE, MODE_LIST };

int cmd_rules(int argc, char **argv)
{
    static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
                                               { NULL, 0, NULL, 0 } };
    enum mode mode = MODE_CLASSIC;
    /* A subcommand word comes first; a rules file named "list" or
     * "validate" is still reachable as ./list. */
    if (argc > 1 && strcmp(argv[1], "validate") == 0)
        mode = MODE_VALIDATE;
    else if (argc > 1 && strcmp(argv[1], "list") == 0)
        mode = MODE_LIST;
    if (mode != MODE_CLASSIC) {
        argv++;
        argc--;
    }
    bool list = false, quiet = false;
    const char *show = NULL;
    int c;
    optind = 1;
    opterr = 0;
    const char *optstr = mode == MODE_CLASSIC ? ":lqs:h" : ":qh";
    while ((c = getopt_long(argc, argv, optstr, longopts, NULL)) != -1) {
        switch (c) {
        case 'l': list = true; break;
        case 'q': quiet = true; break;
        case 's': show = optarg; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: return cli_bad_option("rules", c, argv);
        }
    }
    if (optind >= argc && mode != MODE_LIST) {
        cli_error("rules: no rules file given (try: saker rules --help)");
        return EXIT_UNUSABLE;
    }
    struct rp_paths files = { 0 };
    if (rp_rules_paths((const char *const *)argv + optind, (size_t)(argc - optind), &files) < 0)
        return EXIT_UNUSABLE;
    struct rules *r = rules_new();
    struct rules_diag d;
    int rc = r ? EXIT_OK : EXIT_UNUSABLE;
    bool loaded = true;
    if (!r)
        snprintf(d.msg, sizeof d.msg, "rules: out of memory");
    for (size_t i = 0; i < files.n && rc == EXIT_OK; i++)
        if (rules_load_file(r, files.v[i], &d) < 0) {
            rc = EXIT_UNUSABLE;
            loaded = false;
        }
    if (rc == EXIT_OK && rules_compile(r, &d) < 0)
        rc = EXIT_UNUSABLE;
    if (!quiet && r)
        for (size_t i = 0; i < rules_warning_count(r); i++)
            cli_error("warning: %s", rules_warning_at(r, i));
    if (rc != EXIT_OK) {
        if (!(mode == MODE_VALIDATE && loaded && report_each_rule(&files)))
            cli_error("%s", d.msg);
        rules_free(r);
        rp_paths_free(&files);
        return rc;
    }
    size_t n = rules_count(r), enabled = 0, disabled = 0, other = 0, skipped = 0;
    char esc[4096];
    for (size_t i = 0; i < n; i++) {
        const struct rules_rule *ru = rules_at(r, i);
        other += !ru->known_source;
        skipped += ru->skipped;
        enabled += ru->enabled && ru->known_source && !ru->skipped;
        disabled += !ru->enabled && ru->known_source && !ru->skipped;
        if (mode == MODE_LIST) {
            list_line(ru);
        } else if (list) {
            printf("%-13s %-8s %-10s %s", rules_priority_name(ru->priority),
                   ru->enabled ? "enabled" : "disabled", ru->source,
                   skr_escape_str(ru->name, esc, sizeof esc));
            print_tags(ru);
            printf("\n");
        }
    }
    if (show) {
        const struct rules_rule *ru = rules_find(r, show);
        if (!ru) {
            cli_error("rules: no rule named '%s'", show);
            rc = EXIT_UNUSABLE;
        } else {
            print_rule(ru);
        }
    } else if (!list && mode != MODE_LIST) {
        printf("%zu rules: %zu to evaluate, %zu disabled, %zu of other sources, %zu skipped\n",
               n, enabled, disabled, other, skipped);
    }
    rules_free(r);
    rp_paths_free(&files);
    return rc;
}
