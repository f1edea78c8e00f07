/* filter.h -- Falco's condition language: parse, compile, evaluate.
 *
 *   condition := expr
 *   expr      := expr 'or' expr | expr 'and' expr | 'not' expr | '(' expr ')'
 *              | field OP value | field UNARY_OP | MACRO_NAME
 *   value     := literal | quoted string | '(' item, ... ')' | field (where
 *                Falco allows a field on the right) | transformer(field)
 *
 * See ../shared/corpus/rules/LANGUAGE.md for the full semantics. Parsing
 * gives a tree that knows nothing of fields (filter_parse): the rules
 * engine uses it to find macro and list references. Compiling resolves
 * macros and lists through a caller's lookup, checks each field and its
 * operator and value types, and precomputes what evaluation needs
 * (numbers parsed, lists as sorted sets, IP networks, globs), so evaluating
 * an event allocates nothing.
 *
 * Errors name the position in the text they were found in, 1-based line and
 * column: "1:17: unknown field 'proc.nmae'". For an error inside a macro
 * the message says which macro ("in macro 'spawned_process': 1:5: ...").
 *
 * Not supported (a clear error, never a silent mismatch): the
 * join/concat/getopt transformers (2026 additions to libs, used by no
 * rules file here). regex is POSIX ERE anchored at both ends (libsinsp
 * uses RE2 in POSIX mode), and the only operator whose evaluation may
 * allocate (inside glibc's regexec).
 * The implementation is split like Lua's: filter_lex.c, filter_parse.c,
 * filter_compile.c, filter_ops.c (operators), filter_match.c (glob,
 * pmatch, regex), filter_transform.c, filter_evtypes.c (event-type index),
 * filter_evnames.c (known event names), filter_eval.c,
 * filter_specialize.c (a filter for one event type), filter_memo.c
 * (verdicts shared between filters); shared
 * declarations in filter_int.h, the tree in filter_ast.h. */
#ifndef SAKER_FILTER_H
#define SAKER_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "fields.h"

struct fnode;               /* a parse tree node (filter_ast.h) */
struct filter;              /* a compiled filter */

struct filter_error {
    int line, col;          /* 1-based; 0 when not tied to a position */
    char msg[400];          /* the whole message, position included */
};

/* Where identifiers that are not fields come from (the rules engine;
 * NULL for a plain command-line filter, where any unknown name is an
 * error). Both return NULL when the name is not theirs. */
struct filter_env {
    void *ctx;
    /* A macro's condition text (the compiler parses it, recursion guarded). */
    const char *(*macro)(void *ctx, const char *name);
    /* A list's items, already with nested lists expanded. */
    const char *const *(*list)(void *ctx, const char *name, size_t *nitems);
    /* Optional: told of what Falco's compiler warns about (a constant that
     * names a field or a transformer: "1:13: 'proc.pname' may be a valid
     * field misused as a const string value"), positioned like errors. */
    void (*warn)(void *ctx, const char *msg);
};

/* Parses text. Returns the tree or NULL with err filled. */
struct fnode *filter_parse(const char *text, struct filter_error *err);
void fnode_free(struct fnode *n);
/* Calls fn for every identifier the tree uses as a macro (bare name) or as
 * a list (inside an `in`/`intersects`/`pmatch` list). In a list every
 * unquoted item is reported, as Falco substitutes any of them that names a
 * list; most are plain values the caller will not know as lists. */
void fnode_walk_names(const struct fnode *n,
                      void (*fn)(void *ctx, const char *name, bool as_list), void *ctx);

/* Parses and compiles. Returns NULL with err filled on any error. */
struct filter *filter_compile(const char *text, const struct filter_env *env,
                              struct filter_error *err);
bool filter_eval(const struct filter *f, const struct fld_ctx *ctx);
void filter_free(struct filter *f);

/* Event type names the filter can match at most (Falco's event-type index):
 * fills *names with a NULL-ended array valid while f lives; returns false
 * when any event type may match (e.g. no evt.type constraint on every
 * path). */
bool filter_event_types(const struct filter *f, const char *const **names);
/* f as it evaluates on the events of one definition (an event type of a
 * trace's schema): the checks on fields that d alone decides (evt.type,
 * evt.dir: field_value_for_def) are replaced by their verdict and the
 * and/or/not above them folded. Returns 1 with *out, which shares f's
 * compiled nodes and must be freed (filter_free) before f; 0 with *out
 * NULL when no check is decided (use f); -1 when out of memory. */
int filter_specialize(const struct filter *f, const struct skr_event_def *d,
                      struct filter **out);
/* True when no event can match f (a specialisation whose checks on the
 * definition all failed). */
bool filter_never_matches(const struct filter *f);

/* Verdicts shared by the filters evaluated on one event (filter_memo.c):
 * a check equal to one another filter already ran on the event (same
 * field and argument, operator and constants) is not run again. */
struct filter_memo;
struct filter_memo *filter_memo_new(void);
void filter_memo_free(struct filter_memo *m);
/* Gives f's checks their slots in m, for filter_eval_memo: an array to
 * free(), or NULL when out of memory. m must outlive it; f must stay. */
uint32_t *filter_memo_slots(struct filter_memo *m, const struct filter *f);
/* Starts a new event: every verdict kept so far is forgotten. */
void filter_memo_next(struct filter_memo *m);
/* filter_eval, through m with f's slots. */
bool filter_eval_memo(const struct filter *f, const struct fld_ctx *ctx, struct filter_memo *m,
                      const uint32_t *slots);

/* The fields the filter reads, for dependency checks (NULL-ended). */
const struct field_ref *const *filter_fields(const struct filter *f);

/* Resolves field references through fn instead of the registry's
 * field_ref_parse (NULL restores it). For unit tests that bring their own
 * fields; process-wide, not thread-safe. */
typedef int (*filter_field_parser)(const char *text, size_t *consumed, struct field_ref *ref,
                                   char *err, size_t errlen);
void filter_set_field_parser(filter_field_parser fn);

#endif
