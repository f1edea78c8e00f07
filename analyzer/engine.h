/* engine.h -- the rules engine: which compiled rules an analysis evaluates
 * (enabled, at or above a priority, carrying a tag, not disabled by name)
 * and evaluating them on each replayed event, through an index by event
 * type so an event only meets the rules that can match its type.
 *
 * Design:
 *  - The rules come compiled from rules_load.h and stay owned by the
 *    caller's struct rules, which must outlive the engine.
 *  - Event type ids belong to a file's schema (man/saker-trace.5), and
 *    files replayed together may declare different ids, so the index is
 *    built per schema (engine_add_schema, one slot per file): for each id,
 *    the selected rules whose filter_event_types name it, merged with the
 *    rules that match any type, in load order. A name maps to every id
 *    declared under it (an imported capture declares open's ENTER and EXIT
 *    events under the one name, and Falco's index matches both).
 *  - ENGINE_MATCH_FIRST is Falco's rule_matching=first: the rules of the
 *    event's list are tried in load order and the first that matches is
 *    the only hit. ENGINE_MATCH_ALL (saker's default) reports every rule
 *    that matches: an incident responder wants every reason an event is
 *    suspicious, not the first one.
 *  - Each rule listed under an id is evaluated as specialised for the
 *    id's definition (filter_specialize): the checks the definition
 *    decides (evt.type, evt.dir) are not run per event. The rules of one
 *    event share the verdicts of equal checks (filter_memo): Falco's
 *    macros repeat them from rule to rule.
 *  - engine_eval allocates nothing; it runs filter_eval_memo and nothing
 *    else.
 */
#ifndef SAKER_ENGINE_H
#define SAKER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../reader/schema.h"
#include "fields.h"
#include "rules_load.h"

struct engine;

enum engine_matching { ENGINE_MATCH_ALL = 0, ENGINE_MATCH_FIRST };

struct engine_opts {
    enum engine_matching matching;
    /* Rules less severe than this are not evaluated (Falco's priority
     * option); RULES_PRI_DEBUG keeps all. */
    enum rules_priority min_priority;
    /* Only rules carrying one of these tags (Falco's -t); none = all. */
    const char *const *tags;
    size_t ntags;
    /* Rules carrying any of these tags are left out (Falco's -T). */
    const char *const *skip_tags;
    size_t nskip_tags;
    /* Rules disabled by name; a name may be a glob (fnmatch: *, ?, [..]),
     * as Falco's `rules: - disable: rule:` option allows wildcards. */
    const char *const *disabled;
    size_t ndisabled;
    /* Told of a --disable-rule name that matches no rule (likely a typo). */
    void (*warn)(void *ctx, const char *msg);
    void *warn_ctx;
};

/* Selects the rules of r the options keep. Returns NULL with a reason in
 * err (out of memory). r must outlive the engine. */
struct engine *engine_new(const struct rules *r, const struct engine_opts *o, char *err,
                          size_t errlen);
void engine_free(struct engine *e);

/* Builds the event-type index for one schema; returns its slot (0, 1, ...
 * in call order: the caller uses the file's index), or -1 when out of
 * memory. The schema is only read during the call. */
int engine_add_schema(struct engine *e, const struct skr_schema *s);

/* Called for each rule that fires; rule is the engine's index
 * (engine_rule). Returning non-zero stops the evaluation of this event. */
typedef int (*engine_hit_fn)(void *arg, size_t rule, const struct fld_ctx *ctx);

/* Evaluates the rules indexed for the event's type in schema slot `slot`
 * and calls fn for each that fires (only the first with
 * ENGINE_MATCH_FIRST). Returns how many fired. */
size_t engine_eval(struct engine *e, size_t slot, const struct fld_ctx *ctx, engine_hit_fn fn,
                   void *arg);

/* The selected rules, in load order. */
size_t engine_count(const struct engine *e);
const struct rules_rule *engine_rule(const struct engine *e, size_t i);
/* Times rule i fired so far. */
uint64_t engine_rule_hits(const struct engine *e, size_t i);
/* filter_eval calls so far, over all rules (what the index did not spare). */
uint64_t engine_evaluations(const struct engine *e);
/* Rules of the syscall source that are enabled and compiled but that the
 * options dropped (priority, tags, disabled names). */
size_t engine_dropped(const struct engine *e);

/* How many selected rules match any event type (no evt.type constraint
 * on some path): the index cannot spare them any event. */
size_t engine_any_type_count(const struct engine *e);
/* How many selected rules an event of type id type_id in slot meets
 * (tests, diagnostics): those indexed under its name, less those whose
 * evt.type/evt.dir checks no event of the id can pass. */
size_t engine_rules_for_type(const struct engine *e, size_t slot, uint32_t type_id);

/* Parses "all" or "first". */
bool engine_matching_parse(const char *s, enum engine_matching *out);

#endif
