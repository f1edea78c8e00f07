/* filter.c -- STUB until the filter language lands. */
#include <stdio.h>

#include "filter.h"

struct fnode *filter_parse(const char *text, struct filter_error *err)
{
    (void)text;
    *err = (struct filter_error){ 0 };
    snprintf(err->msg, sizeof err->msg, "filters are not implemented yet");
    return NULL;
}
void fnode_free(struct fnode *n) { (void)n; }
void fnode_walk_names(const struct fnode *n, void (*fn)(void *ctx, const char *name, bool as_list), void *ctx) { (void)n; (void)fn; (void)ctx; }
struct filter *filter_compile(const char *text, const struct filter_env *env, struct filter_error *err)
{
    (void)env;
    return (struct filter *)filter_parse(text, err);
}
bool filter_eval(const struct filter *f, const struct fld_ctx *ctx) { (void)f; (void)ctx; return false; }
void filter_free(struct filter *f) { (void)f; }
bool filter_event_types(const struct filter *f, const char *const **names) { (void)f; (void)names; return false; }
const struct field_ref *const *filter_fields(const struct filter *f) { (void)f; return NULL; }
