/* test_fields_proc_util.h -- what the field class tests share
 * (test_fields_proc.c, test_fields_user.c): a field context around one
 * event, extraction by a reference written "name" or "name[ARG]", and
 * checks of the values, which fail naming the field. */
#ifndef SAKER_TEST_FIELDS_PROC_UTIL_H
#define SAKER_TEST_FIELDS_PROC_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "../../analyzer/fields.h"

struct tf {
    struct fld_scratch sc;
    struct skr_event ev;
    struct st_event se;
    struct fld_ctx ctx;
    struct fvals out;
};

/* A context for an event of thread th (NULL: no thread) in state st
 * (NULL: none). tf->ev.ts and tid may be set by the test. */
void tf_init(struct tf *tf, struct st_thread *th, struct state *st);
void tf_free(struct tf *tf);
/* The values of "name" or "name[ARG]": ARG is an index when the field
 * takes one and ARG is all digits, else a key. Fails the test when the
 * field is unknown. */
const struct fvals *tf_get(struct tf *tf, const char *spec);
const struct fvals *tf_get_arg(struct tf *tf, const char *name, const char *arg);

void tf_expect_none(struct tf *tf, const char *spec);
void tf_expect_str(struct tf *tf, const char *spec, const char *want);
void tf_expect_int(struct tf *tf, const char *spec, int64_t want);
void tf_expect_uint(struct tf *tf, const char *spec, uint64_t want);
void tf_expect_bool(struct tf *tf, const char *spec, bool want);
void tf_expect_time(struct tf *tf, const char *spec, uint8_t type, uint64_t want);
/* A list of string values, given as one string joined by '|'. */
void tf_expect_strs(struct tf *tf, const char *spec, const char *want);

#endif
