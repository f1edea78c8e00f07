/* outfmt.h -- how `saker read` (and later the browser) prints an event:
 * the default line, a -p format of %fields as sysdig and Falco write them,
 * or JSON lines (-j, with or without -p).
 *
 * -p syntax (sysdig's, see man/saker-read.1):
 *   %FIELD       a field; its name ends at the first character that cannot
 *                continue it (field_ref_parse), with an [ARG] or .ARG if any
 *   %(FIELD)     the same, for a field followed by name characters
 *   %NFIELD      the value padded with spaces or cut to N bytes
 *   %%           a percent sign
 *   *FORMAT      a leading '*' prints events where some field has no value
 *                ("<NA>"); without it such events are not printed at all
 * Everything else is copied as it is. A format is compiled once: fields are
 * resolved when it is made, never per event. */
#ifndef SAKER_OUTFMT_H
#define SAKER_OUTFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "../reader/codec.h"
#include "fields.h"

struct outfmt;

/* Compiles an output: format is a -p text or NULL for the default line;
 * json asks for one JSON object per line. Returns NULL with a message in err
 * ("1:5: unknown field 'proc.nmae'", the column counted in format). */
struct outfmt *outfmt_new(const char *format, bool json, char *err, size_t errlen);
void outfmt_free(struct outfmt *of);

/* True when printing reads the replayed state (proc.name on the default
 * line, any field outside evt.*): see replay_opts.need_state. */
bool outfmt_needs_state(const struct outfmt *of);

/* Appends the event's output, ended by '\n', to out. Returns false (and
 * appends nothing) when the format wants every field and one has no value. */
bool outfmt_event(struct outfmt *of, const struct fld_ctx *ctx, struct skr_buf *out);

#endif
