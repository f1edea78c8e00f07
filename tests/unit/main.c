/* main.c -- the unit test runner: every suite of suites.h in one SRunner.
 * Each test runs in its own child process (Check's default), so a crash,
 * an ASan report or a leak fails that test only. CK_RUN_SUITE and
 * CK_RUN_CASE select tests as usual. Exit status: 0 when all passed. */
#include <stdlib.h>

#include "suites.h"
#include "testutil.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1 /* clang's way of saying it */
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(TEST_ASAN)
/* A reader must bound every allocation by the format's limits (256 MiB
 * payloads); one of gigabytes is a bug and must fail the test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "max_allocation_size_mb=600:allocator_may_return_null=0";
}
#endif

int main(void)
{
    tmpdir_create();
    SRunner *sr = srunner_create(codec_suite());
    srunner_add_suite(sr, roundtrip_suite());
    srunner_add_suite(sr, seek_suite());
    srunner_add_suite(sr, damage_suite());
    srunner_add_suite(sr, writer_fail_suite());
    srunner_add_suite(sr, procfs_suite());
    srunner_add_suite(sr, record_decode_suite());
    srunner_add_suite(sr, scap_suite());
    srunner_add_suite(sr, fields_reg_suite());
    srunner_add_suite(sr, fields_evt_suite());
    srunner_add_suite(sr, fields_fd_suite());
    srunner_add_suite(sr, fields_proc_suite());
    srunner_add_suite(sr, fields_user_suite());
    srunner_add_suite(sr, filter_suite());
    srunner_add_suite(sr, rules_load_suite());
    srunner_add_suite(sr, replay_suite());
    srunner_add_suite(sr, engine_suite());
    srunner_add_suite(sr, hitdb_suite());
    srunner_add_suite(sr, browse_query_suite());
    srunner_add_suite(sr, state_suite()); srunner_add_suite(sr, state_fd_suite()); srunner_add_suite(sr, state_cp_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    tmpdir_remove();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
