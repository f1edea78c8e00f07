/* fields_int.h -- what the evt, fd and fs.path field files share and no
 * one else needs: reading an event's parameters by name, rendering them as
 * sysdig shows them (fields_evtarg.c), building strings in the scratch
 * arena, and resolving paths (fields_fd.c). */
#ifndef SAKER_FIELDS_INT_H
#define SAKER_FIELDS_INT_H

#include "../reader/codec.h"
#include "fields.h"

/* ---- parameters (fields_evtarg.c) ---- */

/* Position of the parameter called name in def, -1 when it has none. */
int fieldarg_find(const struct skr_event_def *def, const char *name);

/* The parameter called name of the context's event, or of the ENTER event
 * paired with it when the exit lacks it (scap captures). NULL if neither
 * has it. */
const struct skr_value *fieldarg_get(const struct fld_ctx *ctx, const char *name,
                                     const struct skr_param_def **pdef);

/* The return value of the event: its "res" parameter, or a leading "fd"
 * (open, socket, accept...). False for events without one. */
bool fieldarg_res(const struct skr_event *ev, int64_t *res);

/* Linux errno name ("ENOENT"), NULL when e is no errno. */
const char *fieldarg_errno_name(int64_t e);

enum fieldarg_style {
    FA_VALUE,    /* evt.arg: the resolved text when there is one, else the value */
    FA_FULL,     /* evt.args: "value(resolved)" */
};
/* Appends parameter idx of ev (ev is the context's event or its enter
 * event) as text, raw bytes included: escaping is the printer's job. */
void fieldarg_render(const struct fld_ctx *ctx, const struct skr_event *ev, int idx,
                     enum fieldarg_style style, struct skr_buf *out);

/* An open's flags as Linux O_* bits: as recorded for saker's COMBINED
 * events, converted from libs' PPM_O_* bits for scap ENTER/EXIT events. */
uint64_t fieldarg_open_flags(const struct skr_event *ev, uint64_t raw);

/* The fval type a parameter type has as a raw value (evt.rawarg). */
uint8_t fieldarg_raw_type(int ptype);
/* Pushes the raw value of parameter (pd, v) onto out as type want. */
void fieldarg_raw_value(const struct skr_param_def *pd, const struct skr_value *v,
                        uint8_t want, struct fvals *out);

/* ---- strings (fields.c) ---- */

/* Copies n bytes into the scratch arena; NULL when it cannot. */
const char *fld_scratch_dup(struct fld_scratch *sc, const void *p, size_t n);
/* A builder every extractor may use for one value at a time; reset by
 * fld_builder() and copied out with fld_builder_keep(). Not reentrant:
 * extraction is single-threaded. */
struct skr_buf *fld_builder(void);
/* Pushes the builder's bytes as a string value (copied to scratch). */
void fld_builder_keep(const struct fld_ctx *ctx, struct fvals *out);

/* ---- paths and fds (fields_fd.c) ---- */

/* Appends path made absolute (against base, when relative) and
 * normalised ("." and ".." removed, slashes collapsed), as libsinsp shows
 * paths. base may be NULL or "" (then relative paths stay as given). */
void fieldpath_resolve(struct skr_buf *out, const char *base, size_t baselen,
                       const uint8_t *path, size_t len);
/* The fd number fd of the event's thread, NULL when unknown (uses the
 * state; the event's own fd first). */
const struct st_fd *fieldfd_lookup(const struct fld_ctx *ctx, int64_t fd);
/* The directory a relative path argument is resolved against: dirfd's name
 * (AT_FDCWD or an unknown dirfd: the thread's cwd). Length in *len. */
const char *fieldfd_base(const struct fld_ctx *ctx, int64_t dirfd, bool has_dirfd, size_t *len);
/* Falco's fd.type name for a type character ("file", "ipv4"...). */
const char *fieldfd_type_name(char type);

#endif
