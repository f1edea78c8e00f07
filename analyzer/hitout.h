/* hitout.h -- what `saker replay` makes of a rule that fired: the rule's
 * output rendered for the event, its output fields, the columns the hit
 * database keeps, and the line printed (Falco's text or JSON alert).
 *
 * Falco's formats, which this follows:
 *   text:  "12:00:00.123456789: Warning An open was seen (command=cat)"
 *          the time is evt.time (local time, to the ns); with
 *          time_format_iso_8601 (--iso8601 here) it is
 *          "2016-08-04T16:17:57.881781397+0000" (UTC).
 *   JSON:  {"hostname","output","priority","rule","source","tags","time",
 *          "output_fields"}, time in UTC as "...T16:17:57.881781397Z",
 *          output the whole text line, output_fields every %field of the
 *          rule's output plus the time field of the prefix, as a number
 *          of ns ("evt.time" or "evt.time.iso8601").
 * A field without a value prints "<NA>" (JSON null). hostname is the
 * trace's host, not the analyst's machine.
 *
 * Formats are compiled once per rule (hitout_new); rendering a hit
 * allocates only when a buffer grows. */
#ifndef SAKER_HITOUT_H
#define SAKER_HITOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "engine.h"
#include "fields.h"

struct hitout;

/* One hit, as rendered; strings valid until the next hitout_render. */
struct hitout_hit {
    uint64_t time_ns;
    const struct rules_rule *rule;
    const char *output;         /* the rule's output (no time, no priority) */
    const char *line;           /* the text line, without '\n' */
    const char *fields_json;    /* JSON object: output_fields */
    const char *tags_json;      /* JSON array of the rule's tags */
    const char *hostname;       /* may be "" */
    /* The database's columns; has_* false when the field has no value. */
    bool has_pid, has_tid;
    int64_t pid, tid;
    const char *proc_name, *cmdline, *user_name, *container_id; /* NULL: no value */
};

/* Compiles the outputs of every rule of e. full: render fields_json and
 * the database's columns too (JSON output or a database); without it only
 * output and line are set, which spares a text-only replay half the work
 * per hit. Returns NULL with the rule and reason in err. */
struct hitout *hitout_new(const struct engine *e, bool iso8601, bool full, char *err,
                          size_t errlen);
void hitout_free(struct hitout *h);

/* Renders rule `rule` (engine index) firing on the event. Returns false
 * when out of memory. */
bool hitout_render(struct hitout *h, size_t rule, const struct fld_ctx *ctx,
                   struct hitout_hit *out);

/* Keys a JSON alert leaves out (Falco's json_include_output_property,
 * json_include_tags_property and json_include_output_fields_property set
 * to false); default none. */
enum hitout_omit { HITOUT_OMIT_OUTPUT = 1, HITOUT_OMIT_TAGS = 2, HITOUT_OMIT_FIELDS = 4 };
void hitout_set_omit(struct hitout *h, int omit);
/* Parses "output,tags,output_fields" (any of them) into enum hitout_omit
 * bits; false on an unknown key. */
bool hitout_omit_parse(const char *s, int *omit);

/* Appends the hit's line to buf: text, or Falco's JSON object when json;
 * '\n'-ended. Returns false when out of memory. */
bool hitout_format(struct hitout *h, const struct hitout_hit *hit, bool json,
                   struct skr_buf *buf);

/* "2016-08-04T16:17:57.881781397Z" into buf (>= 32 bytes). */
void hitout_time_utc(uint64_t ns, char *buf, size_t len);

#endif
