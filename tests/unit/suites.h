/* suites.h -- the Check suites of the unit test binary; main.c runs them
 * all. Each lives in its own test_*.c file. */
#ifndef SAKER_TEST_SUITES_H
#define SAKER_TEST_SUITES_H

#include <check.h>

Suite *codec_suite(void);
Suite *roundtrip_suite(void);
Suite *seek_suite(void);
Suite *damage_suite(void);
Suite *writer_fail_suite(void);
Suite *procfs_suite(void);
Suite *record_decode_suite(void);
Suite *scap_suite(void);
Suite *fields_reg_suite(void);
Suite *fields_evt_suite(void);
Suite *fields_fd_suite(void);
Suite *fields_proc_suite(void);
Suite *fields_user_suite(void);
Suite *filter_suite(void);
Suite *rules_load_suite(void);
Suite *replay_suite(void);
Suite *engine_suite(void);
Suite *hitdb_suite(void); void hitdb_query_cases(Suite *s); /* test_hitdb*.c */
Suite *browse_query_suite(void); /* test_browse_query.c: tui/hitq.c, tui/hitfilter.c */
Suite *state_suite(void); Suite *state_fd_suite(void); Suite *state_cp_suite(void);
/* test_crafted.c: adds its test case to the damage suite. */
void crafted_cases(Suite *s);
/* test_procfs_fake.c: adds its test cases to the procfs suite. */
void procfs_fake_cases(Suite *s);
/* test_rules_corpus.c: adds its test case to the rules_load suite. */
void rules_corpus_cases(Suite *s);

#endif
