/* cmd_convert.c -- `saker convert IN OUT.skr`: rewrites a trace (typically a
 * sysdig/Falco .scap capture, man/saker-trace.5 §16) as a native, compressed,
 * indexed saker trace with the same events (entry and exit events kept as
 * they are), the same checkpoints and the same header facts. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../capture/writer.h"
#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saker convert [-f] [-l LEVEL] IN OUT.skr\n\n"
            "Write the events of the trace IN (a sysdig/Falco .scap capture, raw or\n"
            "gzip'd, or a saker trace) to the new saker trace OUT.skr: same events in\n"
            "the same order and numbering, entry and exit events kept as they are, the\n"
            "capture's process, fd, user and interface tables as the first checkpoint,\n"
            "and its machine info in the header (source format \"scap\").\n\n"
            "options:\n"
            "  -f, --force         overwrite OUT if it exists\n"
            "  -l, --level LEVEL   zstd level, 1 to 19 (default 3)\n"
            "  -h, --help          this text\n\n"
            "examples:\n"
            "  saker convert capture.scap capture.skr      # import a sysdig capture\n"
            "  saker convert -l 19 falco.scap.gz small.skr # smallest output\n"
            "  saker convert -f capture.scap capture.skr   # replace an earlier import\n\n"
            "Exit status: 0 ok, 1 damage found in IN (reported on stderr, OUT holds\n"
            "what could be read), 2 bad usage, IN not a usable trace, or OUT not written.\n");
}

struct conv {
    struct skr_reader *r;
    struct skw_writer *w;
    const char *out;
};

static int run(struct conv *cv, int level, char *err, size_t errlen)
{
    const struct skr_header_info *h = skr_reader_header(cv->r);
    const char **opts = calloc(h->noptions + 1, sizeof *opts);
    if (!opts) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < h->noptions; i++)
        opts[i] = h->options[i];
    opts[h->noptions] = "converted_by=saker convert " SAKER_VERSION;
    struct skw_header wh = {
        .created_ns = h->created_ns, .hostname = h->hostname,
        .kernel_release = h->kernel_release, .kernel_version = h->kernel_version,
        .arch = h->arch, .boot_ns = h->boot_ns, .ncpus = h->ncpus,
        .recorder = h->recorder, .recorder_version = h->recorder_version,
        .argc = (int)h->ncmdline, .argv = h->cmdline, .snaplen = h->snaplen,
        .filter = h->filter, .noptions = (int)h->noptions + 1, .options = opts,
        .source_format = h->source_format, .file_seq = h->file_seq,
    };
    struct skw_options wo = { .zstd_level = level, .first_evnum = h->first_evnum };
    char why[256];
    cv->w = skw_create(cv->out, &wh, skr_reader_schema(cv->r), &wo, why, sizeof why);
    free(opts);
    if (!cv->w) {
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    skr_reader_want(cv->r, SKR_ITEM_EVENT | SKR_ITEM_CHECKPOINT);
    struct skr_item it;
    int rc;
    uint64_t expect = h->first_evnum, gaps = 0;
    while ((rc = skr_reader_next(cv->r, &it)) == 1) {
        if (it.kind == SKR_ITEM_CHECKPOINT) {
            if (skw_checkpoint(cv->w, it.block->min_ts, it.payload, it.payload_len,
                               it.block->count) < 0)
                break;
            continue;
        }
        if (it.ev->num != expect)
            gaps++;
        expect = it.ev->num + 1;
        if (skw_append(cv->w, it.ev) < 0)
            break;
    }
    if (gaps)
        cli_error("convert: %s: %llu gaps in the event numbering (lost events) are closed up "
                  "in %s", skr_reader_path(cv->r), (unsigned long long)gaps, cv->out);
    const char *werr = skw_error(cv->w);
    if (werr) {
        snprintf(err, errlen, "%s", werr);
        skw_close(cv->w, why, sizeof why);
        cv->w = NULL;
        return -1;
    }
    rc = skw_close(cv->w, why, sizeof why);
    cv->w = NULL;
    if (rc < 0) {
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    return 0;
}

int cmd_convert(int argc, char **argv)
{
    static const struct option opts[] = {
        { "force", no_argument, NULL, 'f' },
        { "level", required_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool force = false;
    int level = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":fl:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': force = true; break;
        case 'l': {
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 1 || v > 19 || errno == ERANGE) {
                cli_error("convert: -l takes a zstd level from 1 to 19, not '%s'", optarg);
                return EXIT_UNUSABLE;
            }
            level = (int)v;
            break;
        }
        case 'h': usage(stdout); return EXIT_OK;
        default: return cli_bad_option("convert", c, argv);
        }
    }
    if (argc - optind != 2) {
        cli_error("convert: needs an input and an output file (try: saker convert --help)");
        return EXIT_UNUSABLE;
    }
    const char *in = argv[optind], *out = argv[optind + 1];
    struct stat sin, sout;
    if (stat(out, &sout) == 0) {
        if (stat(in, &sin) == 0 && sin.st_dev == sout.st_dev && sin.st_ino == sout.st_ino) {
            cli_error("convert: %s: output is the input file", out);
            return EXIT_UNUSABLE;
        }
        if (!force) {
            cli_error("convert: %s: exists (use -f to overwrite)", out);
            return EXIT_UNUSABLE;
        }
    }
    char err[512];
    struct conv cv = { .out = out };
    if (skr_reader_open(in, &cv.r, err, sizeof err) < 0) {
        cli_error("%s", err);
        return EXIT_UNUSABLE;
    }
    skr_reader_on_damage(cv.r, cli_print_damage, NULL);
    int status = EXIT_OK;
    if (run(&cv, level, err, sizeof err) < 0) {
        cli_error("convert: %s: %s", out, err);
        unlink(out);
        status = EXIT_UNUSABLE;
    } else if (skr_reader_ndamage(cv.r)) {
        status = EXIT_DAMAGED;
    }
    skr_reader_close(cv.r);
    return status;
}
