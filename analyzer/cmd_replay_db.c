/* cmd_replay_db.c -- `saker replay`'s hits into the hit database
 * (hitdb.h, man/saker-db.5): a run with its options, traces and rules
 * files, one row per hit, the run's totals at the end. Every call into
 * hitdb is here, and every failure is printed as one line by this file. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "../reader/escape.h"
#include "cli.h"
#include "cmd_replay_int.h"
#include "hitdb.h"

/* Hits per transaction. Each commit writes every page the batch dirtied
 * to the WAL, and hits touch the pages of six indexes at random: 1000 hits
 * per batch wrote ~2.3 pages per hit, 10000 clearly fewer (CPU per hit
 * -10% on 100k hits, 1M gentrace events). hitdb's 1 s age limit still
 * bounds what a killed replay loses. */
#define RP_DB_BATCH 10000

struct rp_db {
    struct hitdb *db;
    int64_t run;
};

static cJSON *str_array(const char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

/* runs.options: how the run was made, so a reader of the database can
 * tell two runs apart (hitdb-schema: argv, rule_matching, min_priority,
 * tags, disabled rules, from/to). */
static char *options_json(const struct rp_args *a)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddItemToObject(o, "argv", str_array((const char *const *)a->argv, (size_t)a->argc));
    cJSON_AddStringToObject(o, "rule_matching", a->matching == ENGINE_MATCH_FIRST ? "first" : "all");
    cJSON_AddStringToObject(o, "min_priority", rules_priority_name(a->min_priority));
    cJSON_AddItemToObject(o, "tags", str_array(a->tags, a->ntags));
    cJSON_AddItemToObject(o, "skip_tags", str_array(a->skip_tags, a->nskip_tags));
    cJSON_AddItemToObject(o, "disabled_rules", str_array(a->disabled, a->ndisabled));
    cJSON_AddItemToObject(o, "from", a->from ? cJSON_CreateString(a->from) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "to", a->to ? cJSON_CreateString(a->to) : cJSON_CreateNull());
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

int rp_db_open(const struct rp_args *a, const char *const *files, size_t nfiles,
               struct rp_db **out)
{
    char err[600];
    *out = NULL;
    struct rp_db *d = calloc(1, sizeof *d);
    struct hitdb_file_in *tr = calloc(a->ntraces ? a->ntraces : 1, sizeof *tr);
    struct hitdb_file_in *ru = calloc(nfiles ? nfiles : 1, sizeof *ru);
    char *opts = options_json(a);
    int rc = -1;
    if (!d || !tr || !ru || !opts) {
        cli_error("replay: out of memory");
        goto out;
    }
    for (size_t i = 0; i < a->ntraces; i++)
        tr[i].path = a->traces[i];
    for (size_t i = 0; i < nfiles; i++)
        ru[i].path = files[i];
    if (hitdb_open(a->db, HITDB_CREATE, &d->db, err, sizeof err) < 0) {
        cli_error("%s", err);
        goto out;
    }
    struct hitdb_run_in in = {
        .options_json = opts, .saker_version = SAKER_VERSION,
        .traces = tr, .ntraces = a->ntraces, .rules = ru, .nrules = nfiles,
        .batch_hits = RP_DB_BATCH,
    };
    if (hitdb_run_begin(d->db, &in, &d->run, err, sizeof err) < 0) {
        cli_error("%s", err);
        goto out;
    }
    *out = d;
    d = NULL;
    rc = 0;
out:
    rp_db_close(d);
    free(tr);
    free(ru);
    cJSON_free(opts);
    return rc;
}

int rp_db_hit(struct rp_db *d, const struct hitout_hit *h, size_t trace, long block,
              uint64_t evnum)
{
    char err[600];
    const struct rules_rule *ru = h->rule;
    struct hitdb_hit hh = {
        .time_ns = h->time_ns,
        .rule = ru->name,
        .priority = (int)ru->priority,
        .source = ru->source,
        .output = h->output,
        .tags = ru->tags,
        .ntags = ru->ntags,
        .pid = h->has_pid ? h->pid : -1,
        .tid = h->has_tid ? h->tid : -1,
        .proc_name = h->proc_name,
        .cmdline = h->cmdline,
        .user_name = h->user_name,
        .container_id = h->container_id,
        .trace = trace,
        .block = block,
        .evnum = evnum,
        .fields_json = h->fields_json,
    };
    if (hitdb_add_hit(d->db, &hh, err, sizeof err) < 0) {
        cli_error("%s", err);
        return -1;
    }
    return 0;
}

void rp_db_progress(struct rp_db *d, uint64_t events)
{
    char err[600];
    hitdb_run_progress(d->db, events);
    /* Rare hits would otherwise wait in the open batch until the end; a
     * browser reading along sees them within a progress period. A failure
     * sticks in hitdb and is reported by rp_db_finish. */
    hitdb_flush(d->db, err, sizeof err);
}

void rp_db_interrupted(struct rp_db *d, uint64_t events)
{
    char err[600];
    hitdb_run_progress(d->db, events);
    if (hitdb_flush(d->db, err, sizeof err) < 0)
        cli_error("%s", err);
}

int rp_db_finish(struct rp_db *d, uint64_t events, uint64_t drops, bool quiet)
{
    char err[600];
    if (hitdb_run_finish(d->db, events, drops, err, sizeof err) < 0) {
        cli_error("%s", err);
        return -1;
    }
    if (!quiet) {
        struct hitdb_write_stats ws;
        char esc[1024];
        hitdb_write_stats(d->db, &ws);
        fprintf(stderr, "database: %s, run %lld: %llu hits stored, %llu of them new\n",
                skr_escape_str(hitdb_path(d->db), esc, sizeof esc), (long long)d->run, (unsigned long long)ws.committed,
                (unsigned long long)ws.inserted);
    }
    return 0;
}

void rp_db_close(struct rp_db *d)
{
    if (!d)
        return;
    hitdb_close(d->db);
    free(d);
}
