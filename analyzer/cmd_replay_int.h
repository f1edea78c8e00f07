/* cmd_replay_int.h -- what the files of `saker replay` share: the parsed
 * options (cmd_replay.c), the run loop with its progress line and summary
 * (cmd_replay_run.c) and the hit database glue (cmd_replay_db.c). */
#ifndef SAKER_CMD_REPLAY_INT_H
#define SAKER_CMD_REPLAY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "hitout.h"
#include "replay.h"

#define RP_MAX_LIST 256 /* -r, --tags, --disable-rule: at most this many each */

struct rp_args {
    const char *rules[RP_MAX_LIST];       /* -r as given (files or directories) */
    size_t nrules;
    const char *tags[RP_MAX_LIST];
    size_t ntags;
    const char *skip_tags[RP_MAX_LIST];
    size_t nskip_tags;
    const char *disabled[RP_MAX_LIST];
    size_t ndisabled;
    char *copies[RP_MAX_LIST];            /* --tags values cut at commas (owned) */
    size_t ncopies;
    const char *db;                       /* NULL: no database */
    const char *from, *to;
    enum engine_matching matching;
    enum rules_priority min_priority;
    bool json, iso8601, quiet, verbose, prefetch, progress;
    int json_omit;                        /* enum hitout_omit */
    int argc;                             /* the command line, for runs.options */
    char **argv;
    const char *const *traces;
    size_t ntraces;
};

/* Rules files to load: each argument a file or a directory (its *.yaml
 * and *.yml in name order); none = saker's own rules directory. 0, or -1
 * after printing one line. Shared with `saker rules`. */
struct rp_paths {
    char **v;
    size_t n, cap;
};
int rp_rules_paths(const char *const *args, size_t n, struct rp_paths *out);
void rp_paths_free(struct rp_paths *l);

struct rp_db;

/* Opens (creates) the database and begins a run. files: the rules files
 * actually loaded. Returns 0 or -1 after printing one line. */
int rp_db_open(const struct rp_args *a, const char *const *files, size_t nfiles,
               struct rp_db **out);
/* Stores one hit of trace `trace`. 0, or -1 after printing one line. */
int rp_db_hit(struct rp_db *d, const struct hitout_hit *h, size_t trace, long block,
              uint64_t evnum);
void rp_db_progress(struct rp_db *d, uint64_t events);
/* An interrupted run: commits what it found and leaves the run unfinished. */
void rp_db_interrupted(struct rp_db *d, uint64_t events);
/* Finishes the run and prints its line of the summary unless quiet.
 * 0, or -1 after printing one line. */
int rp_db_finish(struct rp_db *d, uint64_t events, uint64_t drops, bool quiet);
void rp_db_close(struct rp_db *d);

/* Everything the run needs, set up by cmd_replay.c. */
struct rp_run {
    const struct rp_args *a;
    struct replay *rp;
    struct engine *e;
    struct hitout *ho;
    struct rp_db *db;                     /* NULL: none */
    size_t nfiles;                        /* rules files loaded */
    uint64_t from_ns, to_ns;              /* the replayed range (0: the traces') */
};

/* Replays every event through the engine, printing hits and storing them;
 * then the summary. Returns the exit status. */
int rp_run(struct rp_run *r);

#endif
