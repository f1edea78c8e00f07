/* cmd_read.c -- `saker read`: every event of one or more trace files, one
 * line each, several files merged into one timeline. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evtfmt.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saker read [-n COUNT] [--no-prefetch] FILE...\n\n"
            "Print every event of the trace FILEs, one line each, in time order:\n"
            "  NUMBER TIME CPU (TID) DIR TYPE NAME=VALUE...\n"
            "DIR is '=' for a saker event (one per syscall, arguments and result),\n"
            "'>' and '<' for the entry and exit events of imported captures.\n"
            "Several FILEs (a rotated set) are merged by timestamp. Bytes from the\n"
            "trace are escaped (\\xNN), never printed raw.\n\n"
            "options:\n"
            "  -n, --count COUNT   stop after COUNT events\n"
            "      --no-prefetch   decompress on the reading thread (for comparison)\n"
            "  -h, --help          this text\n\n"
            "examples:\n"
            "  saker read trace.skr                # all events\n"
            "  saker read -n 20 trace.skr          # the first 20\n"
            "  saker read rot-0.skr rot-1.skr      # a rotated set as one timeline\n\n"
            "Exit status: 0 ok, 1 damage found (reported on stderr, the rest was read),\n"
            "2 bad usage or a file that is not a usable trace.\n");
}

int cmd_read(int argc, char **argv)
{
    static const struct option opts[] = {
        { "count", required_argument, NULL, 'n' },
        { "no-prefetch", no_argument, NULL, 'P' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    unsigned long long limit = 0;
    bool prefetch = true;
    int c;
    optind = 1;
    opterr = 0; /* errors are ours: one line, see cli_bad_option */
    while ((c = getopt_long(argc, argv, ":n:h", opts, NULL)) != -1) {
        switch (c) {
        case 'n': {
            char *end;
            errno = 0;
            limit = strtoull(optarg, &end, 10);
            if (!*optarg || *end || optarg[0] == '-' || limit == 0 || errno == ERANGE) {
                cli_error("read: -n takes a count from 1 to %llu, not '%s'", ~0ull, optarg);
                return EXIT_UNUSABLE;
            }
            break;
        }
        case 'P': prefetch = false; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: return cli_bad_option("read", c, argv);
        }
    }
    if (optind >= argc) {
        cli_error("read: no trace file given (try: saker read --help)");
        return EXIT_UNUSABLE;
    }
    struct skr_merge *m;
    char err[512];
    if (skr_merge_open((const char *const *)argv + optind, (size_t)(argc - optind), &m, err,
                       sizeof err) < 0) {
        cli_error("%s", err);
        return EXIT_UNUSABLE;
    }
    for (size_t i = 0; i < skr_merge_nreaders(m); i++) {
        struct skr_reader *r = skr_merge_reader(m, i);
        skr_reader_on_damage(r, cli_print_damage, NULL);
        skr_reader_set_prefetch(r, prefetch);
    }
    struct skr_buf out = { 0 };
    struct skr_item it;
    size_t which;
    unsigned long long printed = 0;
    int rc;
    while ((rc = skr_merge_next(m, &it, &which)) == 1) {
        evtfmt_line(&out, it.ev);
        if (out.len >= 1 << 16) {
            fwrite(out.data, 1, out.len, stdout);
            skr_buf_reset(&out);
        }
        if (limit && ++printed >= limit)
            break;
    }
    if (out.len)
        fwrite(out.data, 1, out.len, stdout);
    skr_buf_free(&out);
    int status = EXIT_OK;
    if (fflush(stdout) != 0) {
        cli_error("read: writing output: %s", strerror(errno));
        status = EXIT_UNUSABLE;
    }
    for (size_t i = 0; i < skr_merge_nreaders(m); i++)
        if (skr_reader_ndamage(skr_merge_reader(m, i)) && status == EXIT_OK)
            status = EXIT_DAMAGED;
    if (rc < 0)
        status = EXIT_DAMAGED;
    skr_merge_close(m);
    return status;
}
