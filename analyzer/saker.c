/* saker.c -- the saker executable: dispatches `saker COMMAND` to the
 * subcommands (git style) and holds what they share (cli.h). */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../reader/escape.h"

void cli_error(const char *fmt, ...)
{
    char msg[1024], esc[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "saker: %s\n", skr_escape_str(msg, esc, sizeof esc));
}

void cli_print_damage(void *ctx, const char *path, const struct skr_damage *d)
{
    (void)ctx;
    cli_error("%s: %s", path, d->what);
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "?";
    if (c == ':')
        cli_error("%s: option '%s' needs a value (try: saker %s --help)", cmd, arg, cmd);
    else if (optopt)
        cli_error("%s: unknown option '-%c' (try: saker %s --help)", cmd, optopt, cmd);
    else
        cli_error("%s: unknown option '%s' (try: saker %s --help)", cmd, arg, cmd);
    return EXIT_UNUSABLE;
}

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    { "browse", cmd_browse, "browse hits and their evidence in the terminal (ncurses)" },
    { "convert", cmd_convert, "write a .scap capture (or any trace) as a saker trace" },
    { "fields", cmd_fields, "list the fields filters, rules and output formats can use" },
    { "info", cmd_info, "describe trace files: host, time span, events by type, blocks, damage" },
    { "read", cmd_read, "print the events of trace files, filtered, formatted, by time" },
    { "record", cmd_record, "record the host's syscalls with eBPF into a trace file" },
    { "replay", cmd_replay, "run Falco rules over trace files: alerts, hit database" },
    { "rules", cmd_rules, "check Falco rules files: load, expand, compile, list" },
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saker COMMAND [ARGS...]\n"
            "       saker help [COMMAND]\n"
            "       saker --version\n\n"
            "saker records Linux syscalls into indexed trace files and analyzes them offline.\n\n"
            "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nexamples:\n"
               "  saker info trace.skr          # what is in a trace\n"
               "  saker read trace.skr | less   # every event, one line each\n"
               "  saker read trace.skr fd.name=/etc/shadow   # events through a filter\n"
               "  saker replay -q trace.skr     # rules/ -> hits on stdout and in saker.db\n"
               "  saker help read               # options of a command\n"
               "\nExit status: 0 ok, 1 damage found (what could be read was), 2 bad usage or\n"
               "unusable file. See saker(1) and saker-trace(5).\n");
}

static const struct command *find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_UNUSABLE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        printf("saker %s\n", SAKER_VERSION);
        return EXIT_OK;
    }
    if (!strcmp(name, "help")) {
        if (argc < 3) {
            usage(stdout);
            return EXIT_OK;
        }
        const struct command *c = find(argv[2]);
        if (!c) {
            cli_error("help: unknown command '%s' (try: saker help)", argv[2]);
            return EXIT_UNUSABLE;
        }
        char *args[] = { argv[2], "--help", NULL };
        return c->run(2, args);
    }
    const struct command *c = find(name);
    if (!c) {
        cli_error("unknown command '%s' (try: saker help)", name);
        return EXIT_UNUSABLE;
    }
    return c->run(argc - 1, argv + 1);
}
