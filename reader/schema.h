/* schema.h -- the event schema a trace carries in its header
 * (man/saker-trace.5 §6): every event type's id, name, direction and
 * parameters. A reader decodes events only through the schema of their own
 * file, never through a built-in table. */
#ifndef SAKER_SCHEMA_H
#define SAKER_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>
#include "format.h"
#include "codec.h"

struct skr_param_def {
    const char *name;
    uint8_t type;   /* enum skr_ptype; unknown values allowed */
    uint8_t wire;   /* enum skr_wire */
};

struct skr_event_def {
    uint16_t id;
    uint8_t dir;              /* enum skr_dir */
    uint8_t nparams;
    /* Set by skr_schema_add_encoded, unique in the process; 0 in a
     * caller's own table. Lets a cache keyed by a definition's address
     * tell it from a later one malloc placed at the same address (a trace
     * closed, another opened) without comparing names per event. */
    uint32_t serial;
    const char *name;
    const char *category;     /* may be "" */
    struct skr_param_def params[SKR_MAX_PARAMS];
};

/* A schema: defs indexed by id; a NULL slot is an id the file never
 * declared (an event using it is corrupt). */
struct skr_schema {
    struct skr_event_def *defs[SKR_MAX_EVENT_TYPES];
    uint32_t max_id;        /* largest declared id + 1 */
    bool owned;             /* defs and their strings were allocated by decode */
};

/* The wire type a parameter type has (for writers). */
int skr_ptype_wire(int ptype);
const char *skr_ptype_name(int ptype);
const char *skr_dir_name(int dir); /* ">", "<", "=", "." style arrows */

/* Builds a schema from a static table; the table must outlive the schema. */
void skr_schema_from_table(struct skr_schema *s, struct skr_event_def *table, size_t n);
/* Appends the schema as repeated SKR_HDR_SCHEMA_EVENT fields. */
void skr_schema_encode(const struct skr_schema *s, struct skr_buf *out);
/* Decodes one SKR_HDR_SCHEMA_EVENT value into s (allocating, with a new
 * serial). Returns 0, or -1 with a reason in err. */
int skr_schema_add_encoded(struct skr_schema *s, const uint8_t *p, size_t n,
                           char *err, size_t errlen);
/* Looks an event type up by name; -1 if absent. */
int skr_schema_find(const struct skr_schema *s, const char *name);
void skr_schema_free(struct skr_schema *s);

#endif
