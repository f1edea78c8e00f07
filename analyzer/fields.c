/* fields.c -- STUB until the field registry lands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"

size_t fields_count(void) { return fields_evt_count + fields_proc_count + fields_fd_count + fields_user_count; }
const struct field_def *fields_at(size_t i)
{
    if (i < fields_evt_count) return &fields_evt[i];
    i -= fields_evt_count;
    if (i < fields_proc_count) return &fields_proc[i];
    i -= fields_proc_count;
    if (i < fields_fd_count) return &fields_fd[i];
    i -= fields_fd_count;
    return i < fields_user_count ? &fields_user[i] : NULL;
}
const struct field_def *fields_find(const char *name)
{
    for (size_t i = 0; i < fields_count(); i++)
        if (!strcmp(fields_at(i)->name, name)) return fields_at(i);
    return NULL;
}
int field_ref_parse(const char *text, size_t *consumed, struct field_ref *ref, char *err, size_t errlen)
{
    (void)ref;
    *consumed = 0;
    snprintf(err, errlen, "unknown field '%.40s'", text);
    return -1;
}
void field_ref_free(struct field_ref *ref) { free(ref->arg_key); ref->arg_key = NULL; }
void field_ref_name(const struct field_ref *ref, char *buf, size_t len) { snprintf(buf, len, "%s", ref->def->name); }
char *fld_scratch_alloc(struct fld_scratch *sc, size_t n) { (void)sc; (void)n; return NULL; }
void fld_scratch_reset(struct fld_scratch *sc) { sc->len = 0; }
void fld_scratch_free(struct fld_scratch *sc) { free(sc->buf); *sc = (struct fld_scratch){ 0 }; }
void fval_format(const struct fval *v, const struct field_def *def, char *buf, size_t len) { (void)v; (void)def; snprintf(buf, len, "<NA>"); }
void fvals_format(const struct fvals *vs, const struct field_def *def, char *buf, size_t len) { (void)vs; (void)def; snprintf(buf, len, "<NA>"); }
