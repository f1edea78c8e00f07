/* cli.h -- what the saker subcommands share: exit statuses, the damage
 * reporter, version. Each subcommand lives in its own cmd_*.c. */
#ifndef SAKER_CLI_H
#define SAKER_CLI_H

#include <stdbool.h>
#include "../reader/reader.h"

#define SAKER_VERSION "0.1.0"

/* Exit statuses, the same for every subcommand. */
enum {
    EXIT_OK = 0,
    EXIT_DAMAGED = 1,   /* read to the end, but damage was found and reported */
    EXIT_UNUSABLE = 2,  /* bad usage, or a file that is not a usable trace */
};

/* Prints "saker: FILE: ..." for a damage report (as a reader callback). */
void cli_print_damage(void *ctx, const char *path, const struct skr_damage *d);
/* Prints "saker: " + message, escaping it. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reports a getopt error (optstring starting with ':') as one line and
 * returns EXIT_UNUSABLE. */
int cli_bad_option(const char *cmd, int c, char **argv);

int cmd_browse(int argc, char **argv); /* tui/cmd_browse.c */
int cmd_fields(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_rules(int argc, char **argv);

#endif
