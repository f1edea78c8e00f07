/* cmd_replay.c -- `saker replay`: runs Falco rules over trace files and
 * reports every hit, as Falco would have alerted live, into the terminal
 * and the hit database. This file parses the options, finds and loads the
 * rules, and sets up the replay, the engine and the output; the loop is in
 * cmd_replay_run.c, the database in cmd_replay_db.c.
 *
 * Default rules: saker's rules/ directory, installed as
 * $(PREFIX)/share/saker/rules, or the source tree's when run from build/
 * (both found from /proc/self/exe, so a relocated install works too). A
 * directory loads its *.yaml and *.yml files in name order, as Falco loads
 * a rules directory. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_replay_int.h"
#include "rules_load.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saker replay [OPTIONS] TRACE...\n\n"
            "Replay trace files through Falco rules, as Falco would have alerted when the\n"
            "events happened: one line per hit on stdout, each hit stored in a SQLite\n"
            "database for `saker browse`, and a summary on stderr. Several TRACEs (a\n"
            "rotated set) are one timeline. Events are replayed through the process and\n"
            "fd state, so rules see proc.*, fd.*, user.* and container.* as Falco does.\n\n"
            "options:\n"
            "  -r, --rules PATH        a rules file, or a directory of *.yaml; repeat to\n"
            "                          load several in order (default: saker's rules/)\n"
            "      --db FILE           the hit database (default: saker.db here); a replay\n"
            "                          adds a run, and hits already there are not repeated\n"
            "      --no-db             store nothing (also: --db none)\n"
            "  -o, --output FORMAT     text (Falco's alert lines, the default) or json\n"
            "                          (Falco's JSON alerts, one per line)\n"
            "      --json-omit KEYS    leave these keys out of JSON alerts: output, tags,\n"
            "                          output_fields (Falco's json_include_*_property)\n"
            "      --iso8601           text times in UTC ISO 8601 (Falco's\n"
            "                          time_format_iso_8601) instead of local HH:MM:SS\n"
            "      --min-priority P    only rules of priority P or more severe (emergency,\n"
            "                          alert, critical, error, warning, notice, info, debug)\n"
            "      --tags T[,T...]     only rules with one of these tags (repeatable)\n"
            "      --skip-tags T[,T...] leave out rules with one of these tags (Falco's -T)\n"
            "      --disable-rule NAME do not evaluate this rule (a glob: 'Read*'); repeatable\n"
            "      --rule-matching M   all: report every rule an event matches (default);\n"
            "                          first: only the first, in load order (Falco's)\n"
            "      --from TIME         replay from TIME; --to TIME: stop before TIME (as in\n"
            "      --to TIME           saker read: ISO 8601, HH:MM:SS, ns, or +1m30s)\n"
            "  -q, --quiet             no summary, no progress line, no rules warnings\n"
            "  -v, --verbose           print every warning of the rules loader\n"
            "      --no-progress       no progress line (it is shown only on a terminal)\n"
            "      --no-prefetch       decompress on the replaying thread\n"
            "  -h, --help              this text\n\n"
            "examples:\n"
            "  saker replay trace.skr                          # saker's rules, into saker.db\n"
            "  saker replay -r falco_rules.yaml trace.skr --no-db\n"
            "  saker replay -r falco_rules.yaml -r my_rules.yaml rot-0.skr rot-1.skr\n"
            "  saker replay -r rules.d --min-priority warning -o json trace.skr --no-db\n"
            "  saker replay -r falco_rules.yaml --rule-matching first --db case.db trace.skr\n"
            "  saker replay --disable-rule 'Read sensitive*' --from +10s trace.skr --no-db\n\n"
            "Exit status: 0 ok (with or without hits), 1 damage found in a trace (reported\n"
            "on stderr, the rest was replayed), 2 bad usage, rules that do not load, a file\n"
            "that is not a usable trace, or a database that cannot be written.\n");
}

static int list_arg(struct rp_args *a, const char *opt, const char *v, const char **list,
                    size_t *n, bool split)
{
    if (!*v) {
        cli_error("replay: %s needs a non-empty value", opt);
        return -1;
    }
    /* --tags a,b is cut at the commas in a copy: argv stays as given (it
     * is recorded with the run). */
    char *s = (char *)v;
    if (split) {
        if (a->ncopies == RP_MAX_LIST || !(s = strdup(v))) {
            cli_error("replay: out of memory or more than %d %s options", RP_MAX_LIST, opt);
            return -1;
        }
        a->copies[a->ncopies++] = s;
    }
    for (;;) {
        if (*n == RP_MAX_LIST) {
            cli_error("replay: more than %d %s values", RP_MAX_LIST, opt);
            return -1;
        }
        list[(*n)++] = s;
        char *comma = split ? strchr(s, ',') : NULL;
        if (!comma)
            return 0;
        *comma = 0;
        s = comma + 1;
    }
}

enum { OPT_DB = 256, OPT_NODB, OPT_ISO, OPT_JSONOMIT, OPT_MINPRI, OPT_TAGS, OPT_SKIPTAGS, OPT_DISABLE, OPT_MATCH,
       OPT_FROM, OPT_TO, OPT_NOPROG, OPT_NOPREF };

static int parse_args(int argc, char **argv, struct rp_args *a)
{
    static const struct option opts[] = {
        { "rules", required_argument, NULL, 'r' },
        { "db", required_argument, NULL, OPT_DB },
        { "no-db", no_argument, NULL, OPT_NODB },
        { "output", required_argument, NULL, 'o' },
        { "iso8601", no_argument, NULL, OPT_ISO },
        { "json-omit", required_argument, NULL, OPT_JSONOMIT },
        { "min-priority", required_argument, NULL, OPT_MINPRI },
        { "tags", required_argument, NULL, OPT_TAGS },
        { "skip-tags", required_argument, NULL, OPT_SKIPTAGS },
        { "disable-rule", required_argument, NULL, OPT_DISABLE },
        { "rule-matching", required_argument, NULL, OPT_MATCH },
        { "from", required_argument, NULL, OPT_FROM },
        { "to", required_argument, NULL, OPT_TO },
        { "quiet", no_argument, NULL, 'q' },
        { "verbose", no_argument, NULL, 'v' },
        { "no-progress", no_argument, NULL, OPT_NOPROG },
        { "no-prefetch", no_argument, NULL, OPT_NOPREF },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:o:qvh", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            if (list_arg(a, "-r", optarg, a->rules, &a->nrules, false) < 0)
                return EXIT_UNUSABLE;
            break;
        case OPT_DB:
            a->db = strcmp(optarg, "none") == 0 ? NULL : optarg;
            if (!*optarg) {
                cli_error("replay: --db needs a file name (or none)");
                return EXIT_UNUSABLE;
            }
            break;
        case OPT_NODB: a->db = NULL; break;
        case 'o':
            if (strcmp(optarg, "json") == 0) {
                a->json = true;
            } else if (strcmp(optarg, "text") == 0) {
                a->json = false;
            } else {
                cli_error("replay: -o takes text or json, not '%s'", optarg);
                return EXIT_UNUSABLE;
            }
            break;
        case OPT_ISO: a->iso8601 = true; break;
        case OPT_JSONOMIT:
            if (!hitout_omit_parse(optarg, &a->json_omit)) {
                cli_error("replay: --json-omit takes output, tags or output_fields "
                          "(comma-separated), not '%s'", optarg);
                return EXIT_UNUSABLE;
            }
            break;
        case OPT_MINPRI:
            if (!rules_priority_parse(optarg, &a->min_priority)) {
                cli_error("replay: --min-priority takes emergency, alert, critical, error, "
                          "warning, notice, info or debug, not '%s'", optarg);
                return EXIT_UNUSABLE;
            }
            break;
        case OPT_TAGS:
            if (list_arg(a, "--tags", optarg, a->tags, &a->ntags, true) < 0)
                return EXIT_UNUSABLE;
            break;
        case OPT_SKIPTAGS:
            if (list_arg(a, "--skip-tags", optarg, a->skip_tags, &a->nskip_tags, true) < 0)
                return EXIT_UNUSABLE;
            break;
        case OPT_DISABLE:
            if (list_arg(a, "--disable-rule", optarg, a->disabled, &a->ndisabled, false) < 0)
                return EXIT_UNUSABLE;
            break;
        case OPT_MATCH:
            if (!engine_matching_parse(optarg, &a->matching)) {
                cli_error("replay: --rule-matching takes all or first, not '%s'", optarg);
                return EXIT_UNUSABLE;
            }
            break;
        case OPT_FROM: a->from = optarg; break;
        case OPT_TO: a->to = optarg; break;
        case 'q': a->quiet = true; break;
        case 'v': a->verbose = true; break;
        case OPT_NOPROG: a->progress = false; break;
        case OPT_NOPREF: a->prefetch = false; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: return cli_bad_option("replay", c, argv);
        }
    }
    return -1;
}

/* --- rules files ---------------------------------------------------------- */

static int paths_add(struct rp_paths *l, const char *dir, const char *name)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **p = realloc(l->v, cap * sizeof *p);
        if (!p)
            return -1;
        l->v = p;
        l->cap = cap;
    }
    size_t len = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 1;
    char *s = malloc(len);
    if (!s)
        return -1;
    if (dir)
        snprintf(s, len, "%s/%s", dir, name);
    else
        snprintf(s, len, "%s", name);
    l->v[l->n++] = s;
    return 0;
}

void rp_paths_free(struct rp_paths *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int yaml_entry(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' &&
           ((n > 5 && strcmp(d->d_name + n - 5, ".yaml") == 0) ||
            (n > 4 && strcmp(d->d_name + n - 4, ".yml") == 0));
}

/* A directory's *.yaml / *.yml in name order (strcmp: the C locale's
 * alphasort, so 00-a.yaml loads before 10-b.yaml on every machine). */
static int cmp_names(const struct dirent **x, const struct dirent **y)
{
    return strcmp((*x)->d_name, (*y)->d_name);
}

static int add_dir(struct rp_paths *l, const char *dir)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, yaml_entry, cmp_names);
    if (n < 0) {
        cli_error("%s: %s", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (rc == 0 && paths_add(l, dir, ents[i]->d_name) < 0) {
            cli_error("replay: out of memory");
            rc = -1;
        }
        free(ents[i]);
    }
    free(ents);
    if (rc == 0 && n == 0) {
        cli_error("%s: no *.yaml rules files in this directory", dir);
        rc = -1;
    }
    return rc;
}

/* The rules directory next to this executable: an install's
 * ../share/saker/rules, or the tree's rules/ from build/ or build/asan/. */
static int default_rules_dir(char *out, size_t len)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = 0;
    static const char *const rel[] = { "../share/saker/rules", "../rules", "../../rules" };
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        struct stat st;
        snprintf(out, len, "%s/%s", exe, rel[i]);
        if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
    }
    return -1;
}

int rp_rules_paths(const char *const *args, size_t n, struct rp_paths *l)
{
    if (!n) {
        char dir[PATH_MAX + 64];
        if (default_rules_dir(dir, sizeof dir) < 0) {
            cli_error("no rules file given (-r FILE), and saker's rules directory was "
                      "not found next to the executable");
            return -1;
        }
        return add_dir(l, dir);
    }
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (add_dir(l, args[i]) < 0)
                return -1;
        } else if (paths_add(l, NULL, args[i]) < 0) {
            cli_error("replay: out of memory");
            return -1;
        }
    }
    return 0;
}

static struct rules *load_rules(const struct rp_args *a, const struct rp_paths *l)
{
    struct rules *r = rules_new();
    struct rules_diag d;
    if (!r) {
        cli_error("replay: out of memory");
        return NULL;
    }
    int rc = 0;
    for (size_t i = 0; i < l->n && rc == 0; i++)
        rc = rules_load_file(r, l->v[i], &d);
    if (rc == 0)
        rc = rules_compile(r, &d);
    size_t nw = rules_warning_count(r);
    if (a->verbose)
        for (size_t i = 0; i < nw; i++)
            cli_error("warning: %s", rules_warning_at(r, i));
    else if (nw && !a->quiet && rc == 0)
        cli_error("%zu warning%s loading the rules (see them with -v or saker rules validate)",
                  nw, nw == 1 ? "" : "s");
    if (rc < 0) {
        cli_error("%s", d.msg);
        rules_free(r);
        return NULL;
    }
    return r;
}

static void warn(void *ctx, const char *msg)
{
    (void)ctx;
    cli_error("replay: %s", msg);
}

static int time_arg(struct replay *rp, const char *opt, const char *s, uint64_t *out)
{
    char err[200];
    if (!s)
        return 0;
    if (replay_parse_time(s, replay_first_ts(rp), out, err, sizeof err) < 0) {
        cli_error("replay: %s: %s", opt, err);
        return -1;
    }
    return 0;
}

int cmd_replay(int argc, char **argv)
{
    struct rp_args a = {
        .db = "saker.db", .min_priority = RULES_PRI_DEBUG, .prefetch = true,
        .progress = isatty(STDERR_FILENO), .argc = argc, .argv = argv,
    };
    struct rp_paths files = { 0 };
    struct rules *rules = NULL;
    struct rp_run run = { .a = &a };
    char err[512];
    int status = parse_args(argc, argv, &a);
    if (status >= 0)
        goto out;
    status = EXIT_UNUSABLE;
    if (optind >= argc) {
        cli_error("replay: no trace file given (try: saker replay --help)");
        goto out;
    }
    a.traces = (const char *const *)argv + optind;
    a.ntraces = (size_t)(argc - optind);
    if (a.quiet)
        a.progress = false;

    /* Rules first: a typo in them is reported before any trace is read. */
    if (rp_rules_paths(a.rules, a.nrules, &files) < 0 || !(rules = load_rules(&a, &files)))
        goto out;
    struct engine_opts eo = {
        .matching = a.matching, .min_priority = a.min_priority,
        .tags = a.tags, .ntags = a.ntags, .skip_tags = a.skip_tags, .nskip_tags = a.nskip_tags,
        .disabled = a.disabled, .ndisabled = a.ndisabled,
        .warn = warn,
    };
    if (!(run.e = engine_new(rules, &eo, err, sizeof err)) ||
        !(run.ho = hitout_new(run.e, a.iso8601, a.json || a.db, err, sizeof err))) {
        cli_error("replay: %s", err);
        goto out;
    }
    hitout_set_omit(run.ho, a.json_omit);
    if (replay_open(a.traces, a.ntraces, cli_print_damage, NULL, &run.rp, err, sizeof err) < 0) {
        cli_error("%s", err);
        goto out;
    }
    for (size_t i = 0; i < a.ntraces; i++) {
        struct skr_reader *rd = skr_merge_reader(replay_merge(run.rp), i);
        if (engine_add_schema(run.e, skr_reader_schema(rd)) != (int)i) {
            cli_error("replay: out of memory");
            goto out;
        }
    }
    struct replay_opts ro = {
        .need_state = true, .no_prefetch = !a.prefetch, .on_warning = warn,
    };
    if (time_arg(run.rp, "--from", a.from, &ro.from_ns) < 0 ||
        time_arg(run.rp, "--to", a.to, &ro.to_ns) < 0)
        goto out;
    if (replay_start(run.rp, &ro, err, sizeof err) < 0) {
        cli_error("replay: %s", err);
        goto out;
    }
    run.nfiles = files.n;
    run.from_ns = ro.from_ns;
    run.to_ns = ro.to_ns;
    if (a.db && rp_db_open(&a, (const char *const *)files.v, files.n, &run.db) < 0)
        goto out;
    status = rp_run(&run);
out:
    rp_db_close(run.db);
    replay_close(run.rp);
    hitout_free(run.ho);
    engine_free(run.e);
    rules_free(rules);
    rp_paths_free(&files);
    for (size_t i = 0; i < a.ncopies; i++)
        free(a.copies[i]);
    return status;
}
