/* cmd_read.c -- `saker read`: the events of one or more trace files as one
 * timeline, replayed through the state (replay.h), kept by an optional
 * filter and a time range, printed as the default line, a -p format or
 * JSON lines (outfmt.h).
 *
 * Arguments: options anywhere (GNU getopt order); of the other words, the
 * leading ones are files and the rest, joined by spaces, is the filter. A
 * word is a file when it is the first one, names an existing path, or ends
 * in ".skr" (so a missing trace is reported as one, not as a filter). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "filter.h"
#include "outfmt.h"
#include "replay.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saker read [OPTIONS] FILE... [FILTER]\n\n"
            "Print the events of the trace FILEs in time order, one line each:\n"
            "  NUMBER TIME CPU PROCESS (TID) DIR TYPE NAME=VALUE...\n"
            "as sysdig does. Events are replayed through the process and fd state, so\n"
            "filters and formats can use proc.*, thread.*, fd.* and user.* fields.\n"
            "FILTER is a Falco/sysdig condition (the words after the files, joined by\n"
            "spaces); put -- before it when a word starts with '-'. DIR is '=' for a\n"
            "saker event (one per syscall), '>' and '<' for the entry and exit events\n"
            "of imported captures. Several FILEs (a rotated set) are one timeline.\n"
            "Bytes from the trace are escaped (\\xNN), never printed raw.\n\n"
            "options:\n"
            "  -p, --format FORMAT  print %%field values (sysdig -p syntax: %%proc.name,\n"
            "                       %%(fd.name), %%10evt.type, %%%% for '%%'; a leading '*'\n"
            "                       prints events missing a field as <NA>, otherwise\n"
            "                       they are not printed)\n"
            "  -j, --json           one JSON object per line (with -p: its fields as keys)\n"
            "  -n, --count COUNT    stop after COUNT printed events\n"
            "  -c, --count-only     print only the number of matching events\n"
            "      --from TIME      start at TIME; --to TIME: stop before TIME. TIME is\n"
            "      --to TIME        2026-11-22T10:00:00[.frac][Z|+HH:MM] (no zone: local),\n"
            "                       HH:MM:SS[.frac] (on the trace's first day, as printed),\n"
            "                       ns since the epoch, or +1m30s/+500ms from the first event\n"
            "  -D, --internal       also print the internal events of imported captures\n"
            "                       (procinfo, and the user, group and container tables\n"
            "                       they open with), which sysdig hides\n"
            "      --no-prefetch    decompress on the reading thread (for comparison)\n"
            "  -h, --help           this text\n\n"
            "examples:\n"
            "  saker read trace.skr                                   # all events\n"
            "  saker read -n 20 trace.skr                             # the first 20\n"
            "  saker read rot-0.skr rot-1.skr                         # a rotated set as one timeline\n"
            "  saker read trace.skr evt.type=openat and fd.name contains /etc\n"
            "  saker read trace.skr proc.name=bash -p '%%evt.num %%proc.name %%fd.name'\n"
            "  saker read -j -n 5 trace.skr 'evt.type in (read, write)'\n"
            "  saker read --to +1s trace.skr                          # its first second\n"
            "  saker read --from +500us -n 5 trace.skr                # from 500 us in\n"
            "  saker read -c trace.skr evt.type=connect               # how many connects\n\n"
            "Exit status: 0 ok, 1 damage found (reported on stderr, the rest was read),\n"
            "2 bad usage, a bad filter or format, or a file that is not a usable trace.\n");
}

static void warn(void *ctx, const char *msg)
{
    (void)ctx;
    cli_error("%s", msg);
}

static bool is_file_word(const char *w, bool first)
{
    struct stat sb;
    size_t n = strlen(w);
    return first || stat(w, &sb) == 0 || (n > 4 && strcmp(w + n - 4, ".skr") == 0);
}

/* The words after the files, joined by single spaces. */
static char *join(char **words, int n)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(words[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = 0;
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, words[i]);
    }
    return s;
}

struct printer {
    struct outfmt *of;
    struct skr_buf out;
    uint64_t limit, printed;
    bool count_only, internal;
    bool past_tables;   /* a syscall event was seen */
};

/* sysdig drops the events libs flags EC_INTERNAL unless asked (-D); the
 * .scap import keeps that flag as the category "internal". They still go
 * through the state (a procinfo or container event changes it). */
static bool is_internal(const struct skr_event *ev)
{
    const char *cat = ev->def ? ev->def->category : NULL;
    return cat && cat[0] == 'i' && strcmp(cat, "internal") == 0;
}

/* A capture may open with the user, group and container tables written as
 * events; sysdig consumes those while opening the file (it numbers them but
 * never prints them), so they are hidden too until the first other event. */
static bool is_table_event(struct printer *p, const struct skr_event *ev)
{
    if (p->past_tables)
        return false;
    const char *n = ev->def ? ev->def->name : "";
    if (!strcmp(n, "useradded") || !strcmp(n, "groupadded") || !strcmp(n, "container"))
        return true;
    p->past_tables = true;
    return false;
}

static int print_event(void *arg, const struct fld_ctx *ctx)
{
    struct printer *p = arg;
    if (!p->internal && (is_table_event(p, ctx->ev) || is_internal(ctx->ev)))
        return 0;
    if (p->count_only) {
        p->printed++;
    } else if (outfmt_event(p->of, ctx, &p->out)) {
        p->printed++;
        if (p->out.len >= 1 << 16) {
            fwrite(p->out.data, 1, p->out.len, stdout);
            skr_buf_reset(&p->out);
        }
    }
    return p->limit && p->printed >= p->limit;
}

struct args {
    uint64_t limit;
    bool prefetch, json, count_only, internal;
    const char *format, *from, *to;
};

static int parse_args(int argc, char **argv, struct args *a)
{
    static const struct option opts[] = {
        { "count", required_argument, NULL, 'n' },
        { "count-only", no_argument, NULL, 'c' },
        { "format", required_argument, NULL, 'p' },
        { "json", no_argument, NULL, 'j' },
        { "from", required_argument, NULL, 'F' },
        { "to", required_argument, NULL, 'T' },
        { "no-prefetch", no_argument, NULL, 'P' },
        { "internal", no_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    opterr = 0; /* errors are ours: one line, see cli_bad_option */
    while ((c = getopt_long(argc, argv, ":n:cp:jDh", opts, NULL)) != -1) {
        switch (c) {
        case 'n': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (!*optarg || *end || optarg[0] == '-' || v == 0 || errno == ERANGE) {
                cli_error("read: -n takes a count from 1 to %llu, not '%s'", ~0ull, optarg);
                return EXIT_UNUSABLE;
            }
            a->limit = v;
            break;
        }
        case 'c': a->count_only = true; break;
        case 'D': a->internal = true; break;
        case 'p': a->format = optarg; break;
        case 'j': a->json = true; break;
        case 'F': a->from = optarg; break;
        case 'T': a->to = optarg; break;
        case 'P': a->prefetch = false; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: return cli_bad_option("read", c, argv);
        }
    }
    return -1;
}

static int time_arg(struct replay *rp, const char *opt, const char *s, uint64_t *out)
{
    char err[200];
    if (!s)
        return 0;
    if (replay_parse_time(s, replay_first_ts(rp), out, err, sizeof err) < 0) {
        cli_error("read: %s: %s", opt, err);
        return -1;
    }
    return 0;
}

/* Compiles the filter; a bad one is a usage error (exit 2). A first word
 * that looks like a path was most likely meant as a missing file. */
static int compile_filter(const char *text, const char *first_word, struct filter **out)
{
    struct filter_error ferr;
    *out = filter_compile(text, NULL, &ferr);
    if (*out)
        return 0;
    if (strchr(first_word, '/') && !strchr(first_word, ' ') && !strchr(first_word, '='))
        cli_error("read: %s: no such file (nor a filter: %s)", first_word, ferr.msg);
    else
        cli_error("filter: %s", ferr.msg);
    return -1;
}

int cmd_read(int argc, char **argv)
{
    struct args a = { .prefetch = true };
    int st = parse_args(argc, argv, &a);
    if (st >= 0)
        return st;
    if (optind >= argc) {
        cli_error("read: no trace file given (try: saker read --help)");
        return EXIT_UNUSABLE;
    }
    int nfiles = 0;
    while (optind + nfiles < argc && is_file_word(argv[optind + nfiles], nfiles == 0))
        nfiles++;
    char **fwords = argv + optind + nfiles;
    int nfwords = argc - optind - nfiles;

    struct replay *rp = NULL;
    struct filter *filter = NULL;
    char *ftext = NULL;
    struct printer pr = { .limit = a.limit, .count_only = a.count_only, .internal = a.internal };
    char err[512];
    int status = EXIT_UNUSABLE;

    if (nfwords && !(ftext = join(fwords, nfwords))) {
        cli_error("read: out of memory");
        goto out;
    }
    /* The filter and the format are checked before any file is opened:
     * a typo is reported at once, whatever the files. */
    if (ftext && compile_filter(ftext, fwords[0], &filter) < 0)
        goto out;
    if (!(pr.of = outfmt_new(a.format, a.json, err, sizeof err))) {
        cli_error("read: -p: %s", err);
        goto out;
    }
    if (replay_open((const char *const *)argv + optind, (size_t)nfiles, cli_print_damage, NULL,
                    &rp, err, sizeof err) < 0) {
        cli_error("%s", err);
        goto out;
    }
    struct replay_opts ro = {
        .filter = filter,
        .need_state = !a.count_only && outfmt_needs_state(pr.of),
        .no_prefetch = !a.prefetch,
        .on_warning = warn,
    };
    if (time_arg(rp, "--from", a.from, &ro.from_ns) < 0 || time_arg(rp, "--to", a.to, &ro.to_ns) < 0)
        goto out;
    if (replay_start(rp, &ro, err, sizeof err) < 0) {
        cli_error("read: %s", err);
        goto out;
    }
    int rc = replay_run(rp, print_event, &pr, 0);
    if (a.count_only)
        printf("%llu\n", (unsigned long long)pr.printed);
    if (pr.out.len)
        fwrite(pr.out.data, 1, pr.out.len, stdout);
    status = EXIT_OK;
    if (pr.out.oom) {
        cli_error("read: out of memory formatting output");
        status = EXIT_UNUSABLE;
    }
    if (fflush(stdout) != 0) {
        cli_error("read: writing output: %s", strerror(errno));
        status = EXIT_UNUSABLE;
    }
    if (status == EXIT_OK &&
        (rc < 0 || replay_damaged(rp) || replay_get_stats(rp)->checkpoints_failed))
        status = EXIT_DAMAGED;
out:
    replay_close(rp);
    filter_free(filter);
    outfmt_free(pr.of);
    skr_buf_free(&pr.out);
    free(ftext);
    return status;
}
