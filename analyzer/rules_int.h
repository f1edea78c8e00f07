/* rules_int.h -- what the rules loader's files share, private to them:
 * the libyaml document walk (rules_yaml.c), the collected lists, macros,
 * rules and exceptions (rules_load.c reads and collects them), and the
 * expansion and compilation entry points (rules_expand.c). */
#ifndef SAKER_RULES_INT_H
#define SAKER_RULES_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "rules_load.h"

/* ---- YAML layer (rules_yaml.c) ---- */

/* Every document of one file, loaded before any item is read: Falco reads
 * them all first, so a syntax error anywhere loads nothing of the file. */
struct ry_file {
    const char *name;
    yaml_document_t *docs;
    size_t ndocs;
};

/* 0, or -1 with "NAME:LINE:COL: YAML syntax error: ..." in err. */
int ry_load(struct ry_file *f, const char *name, const char *data, size_t len,
            char *err, size_t errlen);
void ry_free(struct ry_file *f);
/* Root node of document i, NULL when the document is empty. */
yaml_node_t *ry_root(struct ry_file *f, size_t i);
/* The value for a scalar key of a mapping (the first one), or NULL. */
yaml_node_t *ry_get(yaml_document_t *doc, const yaml_node_t *map, const char *key);
/* Child i of a sequence; keys and values of mapping pair i. */
yaml_node_t *ry_seq_at(yaml_document_t *doc, const yaml_node_t *seq, size_t i);
size_t ry_len(const yaml_node_t *n);
yaml_node_t *ry_pair_key(yaml_document_t *doc, const yaml_node_t *map, size_t i);
yaml_node_t *ry_pair_val(yaml_document_t *doc, const yaml_node_t *map, size_t i);
/* yaml-cpp's notion of null: a plain "", "~", "null", "Null" or "NULL". */
bool ry_is_null(const yaml_node_t *n);
bool ry_is_scalar(const yaml_node_t *n);   /* a scalar that is not null */
bool ry_is_seq(const yaml_node_t *n);
bool ry_is_map(const yaml_node_t *n);
const char *ry_str(const yaml_node_t *n);  /* a scalar's text */
int ry_line(const yaml_node_t *n);         /* 1-based */
int ry_col(const yaml_node_t *n);
/* yaml-cpp's conversions: bools y/yes/true/on (and their negations) in
 * lower, UPPER or Capitalised case; unsigned decimal integers. */
bool ry_to_bool(const char *s, bool *out);
bool ry_to_u64(const char *s, uint64_t max, uint64_t *out);

/* ---- collected items (rules_load.c) ---- */

struct rl_pos {
    const char *file;       /* owned by struct rules (files[]) */
    int line, col;
};

/* Falco's rule_exception_info::entry: a string, or a list of entries. */
struct rl_entry {
    bool is_list;
    char *item;
    struct rl_entry *items;
    size_t n;
};

struct rl_exception {
    char *name;
    struct rl_entry fields, comps;
    struct rl_entry *values;   /* each a tuple (list) or, single field, a scalar */
    size_t nvalues;
    struct rl_pos pos;
};

struct rl_list {
    char *name;
    char **items;
    size_t n;
    unsigned index, visibility;
    struct rl_pos pos;
    bool used;
    char **exp;             /* rules_check: nested lists expanded */
    size_t nexp;
};

struct rl_macro {
    char *name;
    char *cond;
    unsigned index, visibility;
    struct rl_pos pos;
    bool used;
    char *expanded;         /* rules_check: lists substituted */
    char **refs;            /* rules_check: macro names it uses */
    size_t nrefs;
    int mark;               /* loop search: 0 new, 1 on the path, 2 done */
};

struct rl_rule {
    struct rules_rule pub;  /* pointers into the fields below */
    char *name, *desc, *cond, *output, *source;
    char **tags;
    size_t ntags;
    struct rl_exception *exc;
    size_t nexc;
    char *expanded;
    unsigned index;
    struct rl_pos pos;
};

/* Keys an override block can name (rules; lists use items, macros condition). */
enum {
    OV_COND = 1 << 0, OV_OUTPUT = 1 << 1, OV_DESC = 1 << 2, OV_TAGS = 1 << 3,
    OV_EXC = 1 << 4, OV_PRIO = 1 << 5, OV_CAPTURE = 1 << 6, OV_CAPDUR = 1 << 7,
    OV_ENABLED = 1 << 8, OV_WARN = 1 << 9, OV_SKIP = 1 << 10, OV_ITEMS = 1 << 11,
};

/* Falco's rule_update_info: what an append or a replace item gives. The
 * collector functions take the allocated members over (rl_update_free
 * releases what is left). */
struct rl_update {
    const char *name;
    const char *source;     /* "" when not given */
    unsigned has;           /* OV_* */
    char *cond, *output, *desc;
    char **tags;
    size_t ntags;
    struct rl_exception *exc;
    size_t nexc;
    enum rules_priority prio;
    bool capture, enabled, warn_evttypes, skip;
    uint64_t capdur;
    struct rl_pos pos;
};

struct rules {
    struct rl_list *lists;
    size_t nlists, caplists;
    struct rl_macro *macros;
    size_t nmacros, capmacros;
    struct rl_rule *rules;
    size_t nrules, caprules;
    unsigned cur_index;     /* Falco's m_cur_index: runs across files */
    char **warnings;
    size_t nwarnings, capwarnings;
    char **files;
    size_t nfiles;
    bool checked;
};

struct rl_list *rl_find_list(const struct rules *r, const char *name);
struct rl_rule *rl_find_rule(const struct rules *r, const char *name);
struct rl_macro *rl_find_macro(const struct rules *r, const char *name);
void rl_sync_pub(struct rl_rule *ru);
void rl_warn(struct rules *r, const struct rl_pos *pos, const char *kind, const char *name,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void rl_errf(struct rules_diag *d, const struct rl_pos *pos, const char *kind,
             const char *name, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void rl_entry_free(struct rl_entry *e);
void rl_strv_free(char **v, size_t n);
void rl_list_free(struct rl_list *l);
void rl_macro_free(struct rl_macro *m);
void rl_rule_clear(struct rl_rule *ru);
/* The collector (rules_collect.c): each returns 0 or -1 with d set.
 * rl_list_collect takes over items (define, or append when append). */
int rl_list_collect(struct rules *r, const char *name, char **items, size_t n, bool append,
                    const struct rl_pos *pos, struct rules_diag *d);
int rl_macro_collect(struct rules *r, const char *name, const char *cond, bool append,
                     const struct rl_pos *pos, struct rules_diag *d);
/* rl_rule_define takes over *ru (its pos, name and source must be set). */
int rl_rule_define(struct rules *r, struct rl_rule *ru, struct rules_diag *d);
int rl_rule_append(struct rules *r, struct rl_update *u, struct rules_diag *d);
int rl_rule_replace(struct rules *r, struct rl_update *u, struct rules_diag *d);
int rl_rule_enable(struct rules *r, const char *name, bool enabled, const struct rl_pos *pos,
                   struct rules_diag *d);
void rl_update_free(struct rl_update *u);
/* Sorts and dedups tags (a std::set in Falco). */
void rl_tags_normalise(char **t, size_t *n);
/* Reads every item of a loaded file into r (rules_read.c). */
int rl_read_file(struct rules *r, struct ry_file *f, const char *file, struct rules_diag *d);
/* Falco's entry::is_valid: a non-empty string or a non-empty list. */
bool rl_entry_valid(const struct rl_entry *e);
void rl_exception_free(struct rl_exception *x);
/* Falco's exception checks and defaults (comps "=" per field, or "in"). */
int rl_validate_exception(struct rl_exception *x, const char *rule, struct rules_diag *d);
/* Falco's operator tables (libsinsp parser): any comparison operator;
 * one taking a list on its right (in, intersects, pmatch, "op oneof"...). */
bool rl_is_operator(const char *op);
bool rl_is_list_operator(const char *op);
/* Strips blanks at both ends, in place. */
void rl_trim(char *s);
void *rl_xrealloc(void *p, size_t n);
char *rl_xstrdup(const char *s);

/* ---- expansion (rules_expand.c) ---- */

/* Falco's textual list substitution on text (a new string). */
char *rl_subst_lists(struct rules *r, const char *text);
/* cond with the exceptions appended, as Falco's build_rule_exception_infos. */
char *rl_exceptions_text(const char *cond, const struct rl_exception *x, size_t n);
void rl_expand_free(struct rules *r);

#endif
