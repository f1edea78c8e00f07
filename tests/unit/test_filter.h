/* test_filter.h -- what the filter tests (test_filter*.c) share: a small
 * field registry of their own (so the language is tested apart from the
 * real fields), the event those fields read, a rules-like environment of
 * macros and lists, and helpers that compile and evaluate in one call. */
#ifndef SAKER_TEST_FILTER_H
#define SAKER_TEST_FILTER_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../analyzer/filter.h"

/* The event the test fields read. NULL strings and negative flags mean
 * "no value" (e.g. no fd: fdname == NULL). */
struct tf_event {
    const char *type;         /* evt.type */
    uint64_t num;             /* evt.num */
    int64_t res;              /* evt.res */
    bool has_res;
    const char *name;         /* proc.name */
    const char *pname;        /* proc.pname */
    const char *anames[8];    /* proc.aname[1..]: ancestors */
    const char *args;         /* proc.args */
    const char *fdname;       /* fd.name */
    const char *fdtypes[4];   /* fd.types */
    const char *sip;          /* fd.sip, fd.net: an address as text */
    const char *buf;          /* evt.buffer */
    size_t buflen;
    int isread;               /* evt.is_open_read: -1 none, 0, 1 */
    const char *dynstr;       /* evt.dyn (typed per event): this string, else res */
};
extern struct tf_event tf_ev;
/* A typical open of /etc/passwd by cat under bash under sshd. */
void tf_reset(void);
/* Installs the test registry (setup of every filter test case). */
void tf_setup(void);
void tf_teardown(void);

/* Macros and lists of the test environment ({name, text} pairs). */
extern const struct filter_env tf_env;
/* What tf_env's warn was told since the test began, one per line. */
extern char tf_warnings[2048];

/* Compiles cond with tf_env (failing the test on error) and evaluates it
 * on tf_ev. */
bool tf_eval(const char *cond);
/* Compiles cond, which must fail with exactly msg. */
void tf_compile_err(const char *cond, const char *msg);
/* Parses cond, which must fail with exactly msg. */
void tf_parse_err(const char *cond, const char *msg);

void filter_parse_cases(Suite *s);
void filter_ops_cases(Suite *s);
void filter_compile_cases(Suite *s);
void filter_corpus_cases(Suite *s);
void filter_real_cases(Suite *s);
void filter_spec_cases(Suite *s); /* test_filter_spec.c */

#endif
