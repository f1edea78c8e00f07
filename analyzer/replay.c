/* replay.c -- the replay driver (see replay.h for the design): positioning
 * at a start time through checkpoints, the per-event loop (state, event
 * type check, filter), and the bookkeeping around it. Time arguments are
 * parsed in replay_time.c. */
#include "replay.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reader/format.h"

/* One bit per event type id of a file's schema: the ids whose names the
 * filter can match (§7 block bitmaps use the same layout). */
#define TYPE_BYTES (SKR_MAX_EVENT_TYPES / 8)

struct replay {
    struct skr_merge *m;
    size_t n;
    uint64_t first_ts, last_ts;
    bool has_pairs;                 /* some file has ENTER/EXIT events */

    struct replay_opts o;
    bool use_state, by_type, done, loaded_any;
    uint8_t (*types)[TYPE_BYTES];   /* per file, when by_type */
    const char **hosts;             /* per file: the header's host name */
    struct state *st;
    struct st_event se;
    struct fld_scratch scratch;
    struct fld_ctx ctx;
    struct replay_stats stats;
    size_t cur_file;                /* the last event's file and block */
    long cur_block;
};

bool replay_field_needs_state(const struct field_def *def)
{
    return strncmp(def->name, "evt.", 4) != 0;
}

static bool schema_has_pairs(const struct skr_schema *s)
{
    for (uint32_t id = 0; id < s->max_id; id++)
        if (s->defs[id] && (s->defs[id]->dir == SKR_DIR_ENTER || s->defs[id]->dir == SKR_DIR_EXIT))
            return true;
    return false;
}

int replay_open(const char *const *paths, size_t n, skr_damage_fn on_damage, void *damage_ctx,
                struct replay **out, char *err, size_t errlen)
{
    *out = NULL;
    struct replay *rp = calloc(1, sizeof *rp);
    if (!rp) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (skr_merge_open(paths, n, &rp->m, err, errlen) < 0) {
        free(rp);
        return -1;
    }
    rp->n = n;
    rp->types = calloc(n ? n : 1, sizeof *rp->types);
    rp->hosts = calloc(n ? n : 1, sizeof *rp->hosts);
    if (!rp->types || !rp->hosts) {
        replay_close(rp);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        struct skr_reader *r = skr_merge_reader(rp->m, i);
        if (on_damage)
            skr_reader_on_damage(r, on_damage, damage_ctx);
        rp->has_pairs |= schema_has_pairs(skr_reader_schema(r));
        rp->hosts[i] = skr_reader_header(r)->hostname;
        for (size_t b = 0; b < skr_reader_nblocks(r); b++) {
            const struct skr_block_info *bi = skr_reader_block(r, b);
            if (bi->type != SKR_BLK_EVENTS || bi->count == 0)
                continue;
            if (!rp->first_ts || bi->min_ts < rp->first_ts)
                rp->first_ts = bi->min_ts;
            if (bi->max_ts > rp->last_ts)
                rp->last_ts = bi->max_ts;
        }
    }
    *out = rp;
    return 0;
}

void replay_close(struct replay *rp)
{
    if (!rp)
        return;
    skr_merge_close(rp->m);
    state_free(rp->st);
    fld_scratch_free(&rp->scratch);
    free(rp->types);
    free(rp->hosts);
    free(rp);
}

uint64_t replay_first_ts(const struct replay *rp) { return rp->first_ts; }
uint64_t replay_last_ts(const struct replay *rp) { return rp->last_ts; }
bool replay_uses_state(const struct replay *rp) { return rp->use_state; }
struct state *replay_state(struct replay *rp) { return rp->st; }
struct skr_merge *replay_merge(struct replay *rp) { return rp->m; }
const struct replay_stats *replay_get_stats(const struct replay *rp) { return &rp->stats; }

void replay_current_source(const struct replay *rp, size_t *file_index, long *block_no)
{
    *file_index = rp->cur_file;
    *block_no = rp->cur_block;
}

bool replay_damaged(struct replay *rp)
{
    for (size_t i = 0; i < rp->n; i++)
        if (skr_reader_ndamage(skr_merge_reader(rp->m, i)))
            return true;
    return false;
}

/* A filter that says nothing of its fields may read any: assume state. */
static bool filter_needs_state(const struct filter *f)
{
    const struct field_ref *const *refs = filter_fields(f);
    if (!refs)
        return true;
    for (size_t i = 0; refs[i]; i++)
        if (replay_field_needs_state(refs[i]->def))
            return true;
    return false;
}

/* Fills every file's type bitmap from the filter's event-type names.
 * Names are matched against every definition, not looked up once: an
 * imported capture declares the ENTER and EXIT event of a syscall under
 * one name. Its generic "syscall" events stand for any syscall its driver
 * had no event for (madvise...), so their evt.type may be any name: they
 * are always kept (the engine's index does the same, engine.c). */
static void build_type_bitmaps(struct replay *rp, const char *const *names)
{
    for (size_t i = 0; i < rp->n; i++) {
        const struct skr_schema *s = skr_reader_schema(skr_merge_reader(rp->m, i));
        memset(rp->types[i], 0, TYPE_BYTES);
        for (uint32_t id = 0; id < s->max_id && id < SKR_MAX_EVENT_TYPES; id++) {
            if (!s->defs[id])
                continue;
            if (strcmp(s->defs[id]->name, "syscall") == 0) {
                rp->types[i][id / 8] |= (uint8_t)(1u << (id % 8));
                continue;
            }
            for (size_t k = 0; names[k]; k++) {
                if (strcmp(names[k], s->defs[id]->name) == 0) {
                    rp->types[i][id / 8] |= (uint8_t)(1u << (id % 8));
                    break;
                }
            }
        }
    }
}

/* The newest checkpoint block at or before ts in r, as
 * skr_reader_seek_checkpoint finds it; -1 if none. */
static long checkpoint_before(struct skr_reader *r, uint64_t ts, uint64_t *cp_ts)
{
    long found = -1;
    for (size_t i = 0; i < skr_reader_nblocks(r); i++) {
        const struct skr_block_info *b = skr_reader_block(r, i);
        if (b->type == SKR_BLK_CHECKPOINT) {
            if (b->max_ts > ts)
                break;
            found = (long)i;
            *cp_ts = b->min_ts;
        } else if (b->type == SKR_BLK_EVENTS && b->min_ts > ts) {
            break;
        }
    }
    return found;
}

/* Positions every file for a start at from (state kept): the file with the
 * newest checkpoint at or before from starts at it, the others at its
 * time, so every event between the checkpoint and from is applied once.
 * skr_merge_seek_time first, because it also drops the merge's pending
 * items; the per-file seeks after it only move readers with nothing
 * pending. */
static void position_with_state(struct replay *rp, uint64_t from)
{
    skr_merge_seek_time(rp->m, 0);
    if (!from)
        return;
    long best_file = -1;
    uint64_t best_ts = 0;
    for (size_t i = 0; i < rp->n; i++) {
        uint64_t t = 0;
        if (checkpoint_before(skr_merge_reader(rp->m, i), from, &t) >= 0 &&
            (best_file < 0 || t > best_ts)) {
            best_file = (long)i;
            best_ts = t;
        }
    }
    if (best_file < 0)
        return; /* no checkpoint: the state is built from the first event on */
    for (size_t i = 0; i < rp->n; i++) {
        struct skr_reader *r = skr_merge_reader(rp->m, i);
        if ((long)i == best_file)
            skr_reader_seek_checkpoint(r, from);
        else
            skr_reader_seek_time(r, best_ts);
    }
}

int replay_start(struct replay *rp, const struct replay_opts *o, char *err, size_t errlen)
{
    rp->o = *o;
    rp->done = false;
    rp->loaded_any = false;
    rp->stats = (struct replay_stats){ 0 };
    rp->use_state = o->need_state || rp->has_pairs || (o->filter && filter_needs_state(o->filter));
    const char *const *names = NULL;
    rp->by_type = o->filter && filter_event_types(o->filter, &names) && names;
    if (rp->by_type)
        build_type_bitmaps(rp, names);

    state_free(rp->st);
    rp->st = NULL;
    if (rp->use_state && !(rp->st = state_new(NULL))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < rp->n; i++) {
        struct skr_reader *r = skr_merge_reader(rp->m, i);
        skr_reader_set_prefetch(r, !o->no_prefetch);
        skr_reader_want(r, rp->use_state ? SKR_ITEM_EVENT | SKR_ITEM_CHECKPOINT : SKR_ITEM_EVENT);
        /* Skipping blocks is only safe when no state needs their events. */
        skr_reader_want_types(r, rp->by_type && !rp->use_state ? rp->types[i] : NULL, TYPE_BYTES);
    }
    if (rp->use_state)
        position_with_state(rp, o->from_ns);
    else
        skr_merge_seek_time(rp->m, o->from_ns);
    rp->ctx = (struct fld_ctx){
        .se = &rp->se, .st = rp->st, .trace_start_ns = rp->first_ts, .scratch = &rp->scratch,
    };
    return 0;
}

static void load_checkpoint(struct replay *rp, const struct skr_item *it, size_t which)
{
    char why[300];
    /* The first checkpoint of a run is where the state starts; a later one
     * is older than the events applied since (merge mode). */
    if (state_load_checkpoint(rp->st, it->payload, it->payload_len, !rp->loaded_any, why,
                              sizeof why) == 0) {
        rp->loaded_any = true;
        rp->stats.checkpoints_loaded++;
        return;
    }
    rp->stats.checkpoints_failed++;
    if (rp->o.on_warning) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s: block %ld: checkpoint not loaded: %s",
                 skr_reader_path(skr_merge_reader(rp->m, which)), it->block_no, why);
        rp->o.on_warning(rp->o.warning_ctx, msg);
    }
}

/* One file needs no merging: its reader is read directly, which spares the
 * merge's per-item bookkeeping (8% of a one-field filtered read, measured
 * with perf on 10M gentrace events). The merge's own state stays "nothing
 * pending", which every seek above sets anyway. */
static int next_item(struct replay *rp, struct skr_item *it, size_t *which)
{
    if (rp->n == 1) {
        *which = 0;
        return skr_reader_next(skr_merge_reader(rp->m, 0), it);
    }
    return skr_merge_next(rp->m, it, which);
}

int replay_next(struct replay *rp, const struct fld_ctx **ctx)
{
    struct skr_item it;
    size_t which;
    while (!rp->done) {
        int rc = next_item(rp, &it, &which);
        if (rc <= 0) {
            rp->done = true;
            return rc;
        }
        if (it.kind == SKR_ITEM_CHECKPOINT) {
            if (rp->use_state)
                load_checkpoint(rp, &it, which);
            continue;
        }
        if (it.kind != SKR_ITEM_EVENT)
            continue;
        const struct skr_event *ev = it.ev;
        if (rp->o.to_ns && ev->ts >= rp->o.to_ns) {
            rp->done = true;
            return 0;
        }
        rp->stats.events++;
        if (rp->use_state)
            state_apply(rp->st, ev, &rp->se);
        if (ev->ts < rp->o.from_ns)
            continue; /* before the start: only the state needed it */
        assert(which < rp->n);
        /* The decoder only hands out types the schema declares, all below
         * SKR_MAX_EVENT_TYPES; the bound is checked anyway (memory). */
        if (rp->by_type && (ev->type >= SKR_MAX_EVENT_TYPES ||
                            !(rp->types[which][ev->type / 8] & (1u << (ev->type % 8)))))
            continue;
        if (!rp->use_state)
            rp->se = (struct st_event){ .ev = ev, .fdnum = -1 };
        rp->ctx.ev = ev;
        rp->ctx.hostname = rp->hosts[which];
        fld_scratch_reset(&rp->scratch);
        if (rp->o.filter) {
            rp->stats.evaluated++;
            if (!filter_eval(rp->o.filter, &rp->ctx))
                continue;
        }
        rp->stats.matched++;
        rp->cur_file = which;
        rp->cur_block = it.block_no;
        *ctx = &rp->ctx;
        return 1;
    }
    return 0;
}

int replay_run(struct replay *rp, int (*fn)(void *arg, const struct fld_ctx *ctx), void *arg,
               uint64_t limit)
{
    const struct fld_ctx *ctx;
    uint64_t n = 0;
    int rc;
    while ((rc = replay_next(rp, &ctx)) == 1) {
        if (fn(arg, ctx) != 0 || (limit && ++n >= limit))
            return 0;
    }
    return rc;
}
