/* filter_int.h -- what the filter's stages share and nobody else needs:
 * the lexer's cursor (filter_lex.c), the compiled form that
 * filter_compile.c builds and filter_eval.c runs, and the comparison and
 * transformer helpers (filter_ops.c, filter_transform.c).
 *
 * The compiled form is a tree of cnode; a leaf is a ccheck whose constant
 * side was converted once to the field's type (numbers, addresses and
 * networks parsed, strings sorted into sets, needles lowercased) and whose
 * comparison is a function pointer chosen by operator and type, so
 * evaluation only extracts the field and calls it. */
#ifndef SAKER_FILTER_INT_H
#define SAKER_FILTER_INT_H

#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fields.h"
#include "filter.h"
#include "filter_ast.h"

/* Limits (each has a message naming it). */
#define FILTER_MAX_DEPTH 1000      /* nesting of not/parentheses, as Falco's parser */
#define FILTER_MAX_MACRO_DEPTH 64  /* macros inside macros */
#define FILTER_MAX_TOTAL_DEPTH 4096 /* tree depth with macros expanded */
#define FILTER_MAX_XF_DEPTH 8      /* transformers inside transformers */
#define FILTER_MAX_TOKEN 65536     /* bytes in one value or name */
#define FILTER_MAX_ITEMS 100000    /* items in one list, after expansion */
#define FILTER_MAX_TEXT (16u << 20) /* bytes of condition text */

/* ---- lexer (filter_lex.c) ---- */

struct flex {
    const char *src;          /* NUL-ended condition */
    size_t pos;
    struct fpos at;           /* line and column of src[pos] */
    int depth;                /* parser nesting */
    struct filter_error *err;
};

void flex_init(struct flex *lx, const char *text, struct filter_error *err);
static inline char flex_peek(const struct flex *lx) { return lx->src[lx->pos]; }
void flex_advance(struct flex *lx, size_t n);
/* Skips blanks (space, tab, \b, \r, \n as Falco's lexer); true when any. */
bool flex_blank(struct flex *lx);
/* Consumes s when the text continues with it. */
bool flex_lit(struct flex *lx, const char *s);
/* Lengths of what is at the cursor, 0 when it is not there. */
size_t flex_ident_len(const struct flex *lx);     /* [a-zA-Z]+[a-zA-Z0-9_]* */
size_t flex_fieldname_len(const struct flex *lx); /* ident(.ident)+ */
size_t flex_bare_len(const struct flex *lx);      /* [^()"' \t\b\r\n=,]+ */
size_t flex_number_len(const struct flex *lx);    /* Falco's Number or hex */
/* A keyword (and, or, not, an operator word) followed by a blank or, when
 * paren_ok, '(' (not consumed). */
bool flex_keyword(struct flex *lx, const char *kw, bool paren_ok);
/* A quoted string at the cursor: 1 and the unescaped value, 0 when there is
 * none, -1 on a bad escape or no closing quote (error set). */
int flex_quoted(struct flex *lx, struct fstr *out);
/* Copies n bytes at the cursor into a new string and advances. */
char *flex_take(struct flex *lx, size_t n);
/* Unescapes a quoted string q[0..n) (quotes included). Returns 0, or -1
 * with a message and *bad at the offending offset. */
int flex_unescape(const char *q, size_t n, char **out, size_t *outlen, char *msg, size_t msglen,
                  size_t *bad);
/* Sets the error "L:C: msg" (returns -1 for convenience). */
int flex_error_at(struct filter_error *err, struct fpos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The text near the cursor for messages, escaped, at most ~24 bytes. */
void flex_near(const struct flex *lx, char *buf, size_t len);
/* Escapes s for a message (no control bytes, no raw non-ASCII). */
void flex_escape(const char *s, size_t n, char *buf, size_t len);

/* ---- compiled form ---- */

struct ccheck;
typedef bool (*fcmp_fn)(const struct ccheck *c, const struct fval *v);

/* A compiled operand: a field or a transformer over one. */
struct cop {
    uint8_t xf;               /* enum fxf (never FX_VAL here) */
    uint8_t type;             /* enum fld_type of what it yields */
    bool multi;               /* may yield several values */
    const struct cop *inner;
    struct field_ref *ref;    /* xf == FX_NONE */
};

/* One constant of a set, as the comparison wants it. */
struct cconst {
    struct fval v;            /* typed value; strings in v.s/v.len */
};

struct ccheck {
    struct cop lhs;
    uint8_t op;               /* enum fop */
    uint8_t mod;              /* enum fmod: op applied to each item of set */
    uint8_t type;             /* type the comparison runs on (lhs after transforms) */
    bool subset;              /* 'in' on a set-valued field: every value must be in */
    bool fast;                /* plain field, constant right side */
    bool evtype;              /* evt.type against constants (event-type index) */
    fcmp_fn cmp;              /* compares one lhs value with the constant(s) */
    const struct cop *rop;    /* val()/transformer on the right, or NULL */
    struct fval one;          /* the constant of single-value operators */
    struct cconst *set;       /* in/intersects: sorted (strings, numbers); nets, pmatch: as given */
    size_t nset;
    size_t minlen, maxlen;    /* string sets: bounds that reject most values at once */
    struct ccheck *sub;       /* mod: one single-constant check per item of set */
    regex_t *re;              /* regex: the compiled constant (freed with the filter) */
};

enum cnode_kind { CN_CHECK, CN_AND, CN_OR, CN_NOT, CN_TRUE, CN_FALSE };

struct cnode {
    uint8_t kind;
    size_t nkids;
    struct cnode **kids;
    struct ccheck *chk;
};

/* Jump code (filter_prog.c): a check and where to go after it. */
struct finsn {
    const struct ccheck *chk;
    const struct field_ref *ref;  /* chk's field when it takes the fast path, else NULL */
    uint32_t on_true, on_false;   /* an instruction, FPROG_TRUE or FPROG_FALSE */
};
#define FPROG_TRUE UINT32_MAX
#define FPROG_FALSE (UINT32_MAX - 1)

struct filter {
    struct cnode *root;
    struct finsn *prog;       /* root as jump code, starting at entry */
    uint32_t nprog, entry;
    struct farena *arena;     /* everything below lives here */
    struct field_ref **refs;  /* NULL-ended */
    size_t nrefs;
    const char **evtypes;     /* NULL-ended, or NULL: any type */
    regex_t **res;            /* compiled regexes to regfree */
    size_t nres, rescap;
    /* A specialisation (filter_specialize.c): only its arena is its own;
     * refs, evtypes and the untouched sub-trees are base's. */
    const struct filter *base;
};

/* A bump allocator for one compiled filter (freed at once). */
struct farena;
void *farena_alloc(struct farena **a, size_t n);
char *farena_strndup(struct farena **a, const char *s, size_t n);
void farena_free(struct farena *a);

/* ---- operators (filter_ops.c) ---- */

/* Which operators a type accepts; NULL when fine, else why not. */
const char *fops_check_type(int op, int type);
/* Converts constant text to a value of the given type for op (numbers,
 * booleans, addresses, networks, hex bytes). Returns 0 or -1 with msg. */
int fops_parse_const(int op, int type, const char *s, size_t len, struct fval *out,
                     struct farena **a, char *msg, size_t msglen);
/* Finishes a check after its constants are in place: sorts sets, picks
 * the comparison function. With a modifier, c->sub must have room for
 * c->nset checks. */
void fops_prepare(struct ccheck *c, struct farena **a);
/* Compares two extracted values (field to field, val()). */
bool fops_cmp2(int op, int type, const struct fval *a, const struct fval *b);
/* ---- pattern matchers (filter_match.c) ---- */
/* Glob match (fnmatch-style: * ? [set] [!set] \c), bytes not NUL-ended. */
bool fops_glob(const char *p, size_t plen, const char *s, size_t slen, bool icase);
/* Does path s[0..n) start with the components of prefix pre (globs allowed)? */
bool fops_pmatch_prefix(const struct fval *pre, const char *s, size_t n);
/* Compiles c->one as a regex anchored at both ends into re (POSIX ERE,
 * as libsinsp's RE2 in POSIX mode); 0, or -1 with regerror's text. */
int fops_regcomp(struct ccheck *c, regex_t *re, char *msg, size_t msglen);

/* ---- transformers (filter_transform.c) ---- */

/* Space for transformed values while one check is evaluated. */
struct fxbuf {
    char *p;
    size_t len, cap;
};
/* The result type of xf applied to an operand of type (multi: may have
 * several values), or FT_NONE with a reason. */
int fxf_result_type(int xf, int type, bool multi, const char **why);
/* Applies xf to the values of in, writing to out: one result per value,
 * except len over a multi-valued operand, which counts them. Values that
 * cannot be transformed (invalid base64, no room left in buf) are
 * dropped. */
void fxf_apply(int xf, bool multi, const struct fvals *in, struct fvals *out, struct fxbuf *buf);
/* Room for transformed values of one check (bytes, on the stack). */
#define FXBUF_SIZE 65536

/* ---- event-type names (filter_evnames.c) ---- */
/* True when Falco knows name as an event type (evt.type = name). */
bool filter_evtype_known(const char *name);

/* ---- event-type index (filter_evtypes.c) ---- */
/* Fills f->evtypes from f->root; returns 0 or -1 (out of memory). */
int filter_index_evtypes(struct filter *f);

/* ---- jump code (filter_prog.c) ---- */
/* Fills f->prog and f->entry from f->root; 0, or -1 when out of memory. */
int filter_prog_build(struct filter *f);

/* ---- verdicts shared between filters (filter_memo.c) ---- */
struct filter_memo {
    const struct ccheck **chk;  /* a slot's first check */
    uint32_t *stamp;            /* per slot: the event its verdict is for */
    uint8_t *val;
    uint32_t n, cap;
    uint32_t *hash;             /* slot + 1 per bucket, 0 empty; hcap buckets */
    uint32_t hcap;
    uint32_t now;               /* the current event's stamp, never 0 */
};
#define FMEMO_NONE UINT32_MAX   /* a check without a slot */

/* ---- evaluation (filter_eval.c) ---- */

/* A check's verdict on its left side's values (at least one): any value
 * that compares true wins, except for 'in' on a set-valued field, where
 * all must. Shared by evaluation and by the specialiser, which decides a
 * check once with the same code (filter_specialize.c). */
static inline bool filter_match_values(const struct ccheck *c, const struct fvals *vs)
{
    if (c->subset) {
        for (size_t i = 0; i < vs->n; i++)
            if (!c->cmp(c, &vs->v[i]))
                return false;
        return true;
    }
    for (size_t i = 0; i < vs->n; i++)
        if (c->cmp(c, &vs->v[i]))
            return true;
    return false;
}

#endif
