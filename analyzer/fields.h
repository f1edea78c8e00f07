/* fields.h -- the field registry: every field a filter, a rule or an output
 * format can name (evt.*, proc.*, thread.*, fd.*, fs.path.*, user.*,
 * group.*, container.*, k8s.*), its Falco type and meaning, and how to
 * extract its value(s) from an event and the replayed state.
 *
 * Field classes live in fields_evt.c, fields_proc.c, fields_fd.c and
 * fields_user.c (user, group, container, k8s); fields.c holds the registry,
 * parses field references ("proc.aname[2]", "evt.arg.name", "evt.arg[1]",
 * "container.mount.dest[/etc]") and formats values.
 *
 * A field has no value when the event or state does not give it one (an
 * event without an fd has no fd.name): extraction then yields n == 0 and
 * every comparison on it is false (Falco's semantics). Names are never
 * resolved over the network: *.name fields of addresses come only from the
 * trace. */
#ifndef SAKER_FIELDS_H
#define SAKER_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

/* How a value compares; Falco's many numeric types collapse onto these.
 * The Falco type name of each field is kept for display (struct field_def). */
enum fld_type {
    FT_NONE = 0,
    FT_INT,       /* signed 64-bit */
    FT_UINT,      /* unsigned 64-bit (also PORT, UINT32, MODE, FLAGS...) */
    FT_BOOL,
    FT_STRING,    /* CHARBUF, FSPATH... */
    FT_BYTES,     /* BYTEBUF: compared bytewise, printed escaped */
    FT_IPADDR,    /* v4 or v6 address */
    FT_IPNET,     /* address + prefix length; a field of this type (fd.net)
                   * yields FT_IPADDR values, which the filter tests against
                   * the network on the right-hand side */
    FT_ABSTIME,   /* ns since the epoch (unsigned) */
    FT_RELTIME,   /* ns (unsigned) */
};

struct fval {
    uint8_t type;             /* enum fld_type */
    uint8_t ipfam;            /* FT_IPADDR/FT_IPNET: 4 or 6 */
    uint8_t prefix;           /* FT_IPNET: prefix length */
    int64_t i;                /* FT_INT */
    uint64_t u;               /* FT_UINT, FT_BOOL (0/1), FT_ABSTIME, FT_RELTIME */
    const char *s;            /* FT_STRING, FT_BYTES: not necessarily NUL-ended */
    size_t len;
    uint8_t ip[16];
};

/* Most fields have one value; list fields (proc.aname with no index,
 * fd.types, ...) have several. Strings may point into the event, the state
 * or the scratch arena, valid until the next event. */
#define FVALS_MAX 64
struct fvals {
    size_t n;
    struct fval v[FVALS_MAX];
};

/* Per-event scratch memory for values that must be built (cmdlines,
 * formatted flags). Reset before each event. */
struct fld_scratch {
    char *buf;
    size_t len, cap;
    bool taken;               /* something was allocated since the last reset */
};
/* Returns room for n bytes (NULL only if n is absurd: then no value). */
char *fld_scratch_alloc(struct fld_scratch *sc, size_t n);
/* What fld_scratch_reset does when something was taken. */
void fld_scratch_release(struct fld_scratch *sc);
/* Inline: the replay resets once per event, and most events take nothing. */
static inline void fld_scratch_reset(struct fld_scratch *sc)
{
    if (sc->taken)
        fld_scratch_release(sc);
}
void fld_scratch_free(struct fld_scratch *sc);

/* Everything a field may look at for one event. */
struct fld_ctx {
    const struct skr_event *ev;
    const struct st_event *se;   /* state_apply's view of the event */
    struct state *st;
    uint64_t trace_start_ns;     /* for evt.reltime and friends */
    struct fld_scratch *scratch;
    const char *hostname;        /* the trace header's host name (evt.hostname); may be NULL */
};

enum fld_flags {
    FF_ARG_REQUIRED = 1 << 0, /* field[ARG] or field.ARG must be given */
    FF_ARG_ALLOWED = 1 << 1,  /* an argument may be given */
    FF_ARG_INDEX = 1 << 2,    /* the argument is a number */
    FF_ARG_KEY = 1 << 3,      /* the argument is a string key */
    FF_ARG_DOT = 1 << 4,      /* argument after a dot: evt.arg.NAME */
    FF_FILTER_ONLY = 1 << 5,  /* not usable in an output format */
    FF_NO_RHS = 1 << 6,       /* cannot be the right side of a comparison */
    FF_LIST = 1 << 7,         /* may yield several values */
    FF_DEPRECATED = 1 << 8,
};

struct field_ref;
typedef void (*field_extract_fn)(const struct field_ref *ref, const struct fld_ctx *ctx,
                                 struct fvals *out);

struct field_def {
    const char *name;         /* "proc.name"; for FF_ARG_DOT the prefix "evt.arg" */
    uint8_t type;             /* enum fld_type */
    const char *falco_type;   /* "CHARBUF", "INT64", "IPNET", ... as Falco declares it */
    uint16_t flags;           /* enum fld_flags */
    const char *desc;         /* one line, our words */
    field_extract_fn extract;
    uint8_t print;            /* enum fld_print: how fval_format shows numbers */
};

/* Falco's print formats that change how a number looks (PF_10_PADDED_DEC,
 * PF_HEX, PF_OCT); everything else prints plainly. */
enum fld_print { FP_DEFAULT = 0, FP_PADDED, FP_HEX, FP_OCT };

/* A parsed reference to a field, with its argument if any. */
struct field_ref {
    const struct field_def *def;
    bool has_arg;
    int64_t arg_index;        /* FF_ARG_INDEX */
    char *arg_key;            /* FF_ARG_KEY / FF_ARG_DOT (owned) */
    /* extraction caches (e.g. evt.arg.NAME: parameter position per event
     * definition); private to the extractor */
    const void *cache_key;
    int cache_val;
    /* the type values of this reference have: def->type, except for fields
     * Falco declares DYN (evt.rawarg.NAME: def->type is FT_NONE), whose
     * parse sets the type of the named parameter in saker's own schema. */
    uint8_t type;
    bool arg_dot;             /* the argument was written .ARG (for field_ref_name) */
};

/* The class tables (fields_*.c). */
extern const struct field_def fields_evt[];
extern const size_t fields_evt_count;
extern const struct field_def fields_proc[];
extern const size_t fields_proc_count;
extern const struct field_def fields_fd[];
extern const size_t fields_fd_count;
extern const struct field_def fields_user[];
extern const size_t fields_user_count;

/* Every field, in listing order. */
size_t fields_count(void);
const struct field_def *fields_at(size_t i);
const struct field_def *fields_find(const char *name);

/* Parses a field reference at text[0..]: the longest field name, then an
 * optional [ARG] or .ARG. On success fills ref, sets *consumed and returns
 * 0; else -1 with a message in err ("unknown field 'proc.nmae'") and
 * *consumed at the offending position. */
int field_ref_parse(const char *text, size_t *consumed, struct field_ref *ref,
                    char *err, size_t errlen);
void field_ref_free(struct field_ref *ref);
/* "proc.aname[2]" */
void field_ref_name(const struct field_ref *ref, char *buf, size_t len);

static inline void field_extract(const struct field_ref *ref, const struct fld_ctx *ctx,
                                 struct fvals *out)
{
    out->n = 0;
    ref->def->extract(ref, ctx, out);
}

/* The values ref has on every event of definition d, whatever the event's
 * arguments and the state (evt.type, evt.dir, evt.type.is.NAME): true and
 * out filled, as the extractor would fill it; false when they depend on
 * the event (fields_evt.c). */
bool field_value_for_def(const struct field_ref *ref, const struct skr_event_def *d,
                         struct fvals *out);

/* Formats a value as sysdig/Falco print it (%field in -p); bytes from the
 * trace are escaped (reader/escape.h). Appends to buf, NUL-ended, truncating. */
void fval_format(const struct fval *v, const struct field_def *def, char *buf, size_t len);
/* All values of a field as sysdig prints them: "<NA>" when there is none;
 * an FF_LIST field as libsinsp prints lists, "(a,b,c)". Writes buf from
 * its start (unlike fval_format), NUL-ended, truncating. */
void fvals_format(const struct fvals *vs, const struct field_def *def, char *buf, size_t len);
/* The same for a reference: a list field given an index ("proc.aname[2]")
 * has one value and prints it bare. */
void field_ref_format(const struct field_ref *ref, const struct fvals *vs, char *buf,
                      size_t len);

/* Helpers for extractors */
static inline void fvals_str(struct fvals *o, const char *s, size_t len)
{
    if (o->n < FVALS_MAX)
        o->v[o->n++] = (struct fval){ .type = FT_STRING, .s = s, .len = len };
}
static inline void fvals_int(struct fvals *o, int64_t i)
{
    if (o->n < FVALS_MAX)
        o->v[o->n++] = (struct fval){ .type = FT_INT, .i = i };
}
static inline void fvals_uint(struct fvals *o, uint64_t u)
{
    if (o->n < FVALS_MAX)
        o->v[o->n++] = (struct fval){ .type = FT_UINT, .u = u };
}
static inline void fvals_bool(struct fvals *o, bool b)
{
    if (o->n < FVALS_MAX)
        o->v[o->n++] = (struct fval){ .type = FT_BOOL, .u = b };
}

#endif
