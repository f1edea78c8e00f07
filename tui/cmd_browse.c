/* cmd_browse.c -- `saker browse [DB] [TRACE...]`: checks the arguments and
 * the terminal, opens the hit database and the traces, sets up ncurses,
 * runs the browser (browse.c) and restores the terminal on every way out
 * (q, a signal, an error: endwin also runs from atexit). */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "browse.h"
#include "draw.h"
#include "tui.h"
#include "../analyzer/cli.h"
#include "../analyzer/rules_load.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saker browse [OPTIONS] [DB] [TRACE...]\n\n"
            "Browse the hits of a hit database (written by saker replay) and the events of\n"
            "their traces in the terminal: hits sorted and filtered, each hit in full, the\n"
            "events around it, the process tree at that moment, hits over time. Without\n"
            "TRACEs the traces recorded in the DB's runs are used; with no DB, the traces\n"
            "alone are browsed (events, process trees, timeline). Press ? in the browser\n"
            "for every key. Text from traces is shown escaped, never raw.\n\n"
            "options:\n"
            "  -f, --filter FILTER  start with this hit filter (see ? in the browser):\n"
            "                       rule.priority >= warning and container.id != host\n"
            "  -h, --help           this text\n\n"
            "examples:\n"
            "  saker browse hits.db                       # hits, traces as recorded\n"
            "  saker browse hits.db /mnt/case/trace.skr   # traces moved since the replay\n"
            "  saker browse -f 'rule.priority >= error' hits.db\n"
            "  saker browse trace.skr                     # a trace without hits\n\n"
            "Exit status: 0 on quit, 2 bad usage, no terminal, or a file that cannot be\n"
            "used; 128+N when ended by signal N.\n");
}

static bool curses_on;

static void restore_terminal(void)
{
    if (curses_on && !isendwin())
        endwin();
    curses_on = false;
}

/* A DB is an SQLite file: its first 16 bytes say so (sqlite fileformat 1.3.1). */
static int is_sqlite(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char head[16] = { 0 };
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n == 16 && !memcmp(head, "SQLite format 3", 16);
}

static void free_panels(struct browse *b)
{
    while (b->depth) {
        struct panel *p = b->stack[--b->depth];
        p->cls->destroy(p);
    }
    if (b->counts)
        b->counts->cls->destroy(b->counts);
    b->counts = NULL;
}

int cmd_browse(int argc, char **argv)
{
    static const struct option opts[] = {
        { "filter", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *filter = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': filter = optarg; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: return cli_bad_option("browse", c, argv);
        }
    }
    if (optind >= argc) {
        cli_error("browse: no hit database or trace given (try: saker browse --help)");
        return EXIT_UNUSABLE;
    }
    struct browse b = { .sort = HQ_TIME };
    int status = EXIT_UNUSABLE;
    char err[600];
    const char *db_path = NULL;
    char **given = calloc((size_t)argc, sizeof *given);
    size_t ngiven = 0;
    if (!given) {
        cli_error("browse: out of memory");
        return EXIT_UNUSABLE;
    }
    for (int i = optind; i < argc; i++) {
        int k = is_sqlite(argv[i]);
        if (k < 0) {
            cli_error("browse: %s: %s", argv[i], strerror(errno));
            goto out;
        }
        if (k && !db_path && i == optind) {
            db_path = argv[i];
        } else if (k) {
            cli_error("browse: %s: a second database (one DB, then traces)", argv[i]);
            goto out;
        } else {
            given[ngiven++] = argv[i];
        }
    }
    if (db_path) {
        if (!(b.db = hitq_open(db_path, err, sizeof err))) {
            cli_error("browse: %s", err);
            goto out;
        }
        b.db_path = db_path;
        if (filter && hitq_set_view(b.db, filter, HQ_TIME, false, err, sizeof err) < 0) {
            cli_error("browse: --filter: %s", err);
            goto out;
        }
    }
    if (ngiven) {
        b.traces_given = true;
        b.ntraces = ngiven;
        if (!(b.traces = calloc(ngiven, sizeof *b.traces))) {
            b.ntraces = 0;
            cli_error("browse: out of memory");
            goto out;
        }
        for (size_t i = 0; i < ngiven; i++)
            if (!(b.traces[i] = strdup(given[i]))) {
                cli_error("browse: out of memory");
                goto out;
            }
        /* a trace that is not one is an error now, not a panel message later */
        struct evsrc *es = evsrc_open((const char *const *)given, ngiven, err, sizeof err);
        if (!es) {
            cli_error("browse: %s", err);
            goto out;
        }
        evsrc_close(es);
    } else if (b.db) {
        b.traces = hitq_traces(b.db, &b.ntraces);
    }
    if (!(b.filter = strdup(filter ? filter : ""))) {
        cli_error("browse: out of memory");
        goto out;
    }
    struct evsrc *root_es = NULL;
    if (!b.db && !(root_es = browse_open_all(&b, err, sizeof err))) {
        cli_error("browse: %s", err);
        goto out;
    }

    /* after the files: a bad argument is reported first */
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        cli_error("browse: needs a terminal on stdin and stdout (for scripts: saker read, or "
                  "sqlite3 on the DB)");
        evsrc_close(root_es);
        goto out;
    }
    setlocale(LC_ALL, "");
    const char *term = getenv("TERM");
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr) {
        cli_error("browse: cannot drive this terminal (TERM=%s)", term ? term : "");
        evsrc_close(root_es);
        goto out;
    }
    curses_on = true;
    atexit(restore_terminal);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    draw_init_colors();

    if (b.db) {
        browse_push(&b, panel_hits_new(&b));
        b.counts = panel_counts_new(&b);
        b.counts_shown = COLS >= 100;
    } else {
        browse_push(&b, panel_events_new(&b, root_es, "events", evsrc_first_ts(root_es), 0, -1, -1,
                                         NULL));
    }
    if (!b.depth) {
        restore_terminal();
        cli_error("browse: out of memory");
        goto out;
    }
    status = browse_run(&b);
    restore_terminal();
    delscreen(scr);
out:
    free_panels(&b);
    hitq_close(b.db);
    rules_free(b.rules);
    for (size_t i = 0; i < b.ntraces && b.traces; i++)
        free(b.traces[i]);
    free(b.traces);
    free(b.filter);
    free(b.search);
    free(given);
    return status;
}
