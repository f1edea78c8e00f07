/* cmd_rules.c -- `saker rules`: loads Falco rules files in order into one
 * namespace, checks and compiles every rule as an analysis would, and
 * reports: Falco's `-V` (validate) with a listing and a per-rule view of
 * what the filter is given. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../reader/escape.h"
#include "cli.h"
#include "rules_load.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saker rules [-lq] [-s RULE] FILE...\n\n"
            "Loads Falco rules files in order (later files append to, override or disable\n"
            "what earlier ones define), checks and compiles every rule, and prints a summary.\n"
            "Errors stop at the first one, as in Falco: one line naming FILE:LINE:COL.\n\n"
            "options:\n"
            "  -l        list the rules: priority, state, source, name, tags\n"
            "  -s RULE   show one rule, with the condition the filter is given (exceptions\n"
            "            added, lists substituted)\n"
            "  -q        do not print warnings\n\n"
            "examples:\n"
            "  saker rules falco_rules.yaml                   # validate\n"
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

int cmd_rules(int argc, char **argv)
{
    static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
                                               { NULL, 0, NULL, 0 } };
    bool list = false, quiet = false;
    const char *show = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":lqs:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            list = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 's':
            show = optarg;
            break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("rules", c, argv);
        }
    }
    if (optind >= argc) {
        cli_error("rules: no rules file given (try: saker rules --help)");
        return EXIT_UNUSABLE;
    }
    struct rules *r = rules_new();
    struct rules_diag d;
    int rc = EXIT_OK;
    for (int i = optind; i < argc && rc == EXIT_OK; i++)
        if (rules_load_file(r, argv[i], &d) < 0)
            rc = EXIT_UNUSABLE;
    if (rc == EXIT_OK && rules_compile(r, &d) < 0)
        rc = EXIT_UNUSABLE;
    if (!quiet)
        for (size_t i = 0; i < rules_warning_count(r); i++)
            cli_error("warning: %s", rules_warning_at(r, i));
    if (rc != EXIT_OK) {
        cli_error("%s", d.msg);
        rules_free(r);
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
        if (list) {
            printf("%-13s %-8s %-10s %s", rules_priority_name(ru->priority),
                   ru->enabled ? "enabled" : "disabled", ru->source,
                   skr_escape_str(ru->name, esc, sizeof esc));
            for (size_t t = 0; t < ru->ntags; t++)
                printf("%s%s", t ? "," : " [", skr_escape_str(ru->tags[t], esc, sizeof esc));
            printf("%s\n", ru->ntags ? "]" : "");
        }
    }
    if (show) {
        const struct rules_rule *ru = rules_find(r, show);
        if (!ru) {
            cli_error("rules: no rule named '%s'", show);
            rules_free(r);
            return EXIT_UNUSABLE;
        }
        print_rule(ru);
    } else if (!list) {
        printf("%zu rules: %zu to evaluate, %zu disabled, %zu of other sources, %zu skipped\n",
               n, enabled, disabled, other, skipped);
    }
    rules_free(r);
    return EXIT_OK;
}
