/* rules_load.h -- Falco rules files: load, expand, compile.
 *
 * A struct rules is one namespace that several rules files load into, in
 * order (Falco's `-r a -r b`): lists, macros and rules, with Falco's
 * append / override / redefinition semantics, exceptions, engine-version
 * checks and its warnings. ../shared/corpus/rules/LANGUAGE.md is the
 * reference for every behaviour here.
 *
 *   rules_new -> rules_load_file ... -> rules_check or rules_compile
 *             -> rules_count/rules_at -> rules_free
 *
 * Files: rules_yaml.c (libyaml documents, yaml-cpp's answers), rules_read.c
 * (Falco's reader), rules_collect.c (its collector: define, append,
 * override, enable), rules_expand.c (lists, exceptions, macros, compile),
 * rules_load.c (this object), rules_int.h (what they share).
 *
 * rules_check builds each rule's condition text as Falco does (exceptions
 * appended, lists substituted textually) and parses every macro and rule,
 * resolving macro references (visibility order, loops, undefined names);
 * it needs no field registry. rules_compile does that, then compiles every
 * syscall rule (disabled ones too, as Falco) with filter_compile, fields
 * checked, checks the fields of exceptions and outputs, and warns about
 * rules any event type can match. Macros reach the filter through
 * filter_env.macro as list-substituted text; lists never do (they are
 * already substituted, Falco's way: textually, wherever the name stands).
 *
 * Errors stop at the first one, as Falco does, and are one line:
 * "FILE:LINE:COL: rule 'x': Item has no mapping for key 'output'" -- the
 * position is the YAML item (libyaml marks, 1-based), the message after
 * the item is Falco's own wording so its test expectations match. Names
 * in messages are as the file spells them: escape them for display.
 * After an error the struct is only good for rules_free. */
#ifndef SAKER_RULES_LOAD_H
#define SAKER_RULES_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct filter;
struct rules;

/* Falco's engine version this loader follows (required_engine_version is
 * checked against it: same major, not older). */
#define RULES_ENGINE_VERSION "0.63.0"

/* Most to least severe, Falco's order and numbering. */
enum rules_priority {
    RULES_PRI_EMERGENCY = 0,
    RULES_PRI_ALERT,
    RULES_PRI_CRITICAL,
    RULES_PRI_ERROR,
    RULES_PRI_WARNING,
    RULES_PRI_NOTICE,
    RULES_PRI_INFORMATIONAL,
    RULES_PRI_DEBUG,
};

struct rules_diag {
    char msg[1024];         /* the error, one line; "" when none */
};

/* One rule after all loads. Strings are owned by the struct rules. */
struct rules_rule {
    const char *name;
    const char *desc;
    const char *condition;  /* as written, appends joined with one space */
    const char *output;     /* trimmed, appends joined */
    const char *source;     /* "syscall" unless given */
    enum rules_priority priority;
    const char *const *tags;
    size_t ntags;
    size_t nexceptions;
    bool enabled;
    bool warn_evttypes;
    bool skip_if_unknown_filter;
    bool capture;
    uint64_t capture_duration;
    bool known_source;      /* false: another event source, never evaluated */
    const char *file;       /* where it was first defined */
    int line, col;
    /* Filled by rules_check / rules_compile: */
    const char *expanded;   /* the text handed to the filter: "(cond) and
                             * not (exceptions...)", lists substituted; NULL
                             * for a rule of an unknown source */
    struct filter *filter;  /* rules_compile: every rule of a known source
                             * is compiled, disabled ones too (Falco fails
                             * a load on them as well); NULL for an unknown
                             * source or a skipped rule. Evaluate only
                             * enabled rules. */
    bool skipped;           /* dropped: unknown field with skip-if-unknown-filter */
};

struct rules *rules_new(void);
void rules_free(struct rules *r);

/* Loads one file into r after what is already there. 0, or -1 with d->msg. */
int rules_load_file(struct rules *r, const char *path, struct rules_diag *d);
/* The same from memory; name is used in messages. */
int rules_load_mem(struct rules *r, const char *name, const char *data, size_t len,
                   struct rules_diag *d);

/* Expands and parses everything (no field checks). 0, or -1 with d->msg. */
int rules_check(struct rules *r, struct rules_diag *d);
/* rules_check (unless done), then compiles every rule of the syscall
 * source, checking the fields of conditions, exceptions and outputs.
 * %container.info is removed from outputs, as Falco does today. */
int rules_compile(struct rules *r, struct rules_diag *d);

/* Rules in load order (a redefinition keeps the first position). */
size_t rules_count(const struct rules *r);
const struct rules_rule *rules_at(const struct rules *r, size_t i);
const struct rules_rule *rules_find(const struct rules *r, const char *name);

/* A macro's condition after list substitution (after rules_check), or its
 * raw text before; NULL if there is no such macro. */
const char *rules_macro_text(const struct rules *r, const char *name);
/* A list's items, nested lists expanded as Falco does; NULL if none. */
const char *const *rules_list_items(const struct rules *r, const char *name, size_t *n);

/* Warnings so far, one line each in the same shape as errors. */
size_t rules_warning_count(const struct rules *r);
const char *rules_warning_at(const struct rules *r, size_t i);

/* "Emergency" ... "Debug"; rules_priority_parse is Falco's: case-insensitive,
 * "info" accepted. Returns false for anything else. */
const char *rules_priority_name(enum rules_priority p);
bool rules_priority_parse(const char *s, enum rules_priority *out);

#endif
