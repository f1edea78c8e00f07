/* test_replay.c -- the replay driver's time arguments (replay_parse_time:
 * every form, the limits, bad input) and output formats that need no
 * field values (outfmt: literal text, %%, compile errors with columns). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "suites.h"
#include "testutil.h"
#include "../../analyzer/outfmt.h"
#include "../../analyzer/replay.h"

#define NS 1000000000ull
/* 2023-11-14T22:13:20Z, gentrace's default start */
#define T0 1700000000ull

static void utc(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
}

START_TEST(time_forms)
{
    utc();
    static const struct { const char *in; uint64_t want; } cases[] = {
        { "1700000000123456789", 1700000000123456789ull },
        { "2023-11-14T22:13:20Z", T0 * NS },
        { "2023-11-14T22:13:20.5Z", T0 * NS + 500000000 },
        { "2023-11-14T22:13:20.000000001Z", T0 * NS + 1 },
        { "2023-11-14 22:13:20.25", T0 * NS + 250000000 },      /* local = UTC here */
        { "2023-11-14T23:13:20+01:00", T0 * NS },
        { "2023-11-14T21:43:20-00:30", T0 * NS },
        { "22:13:21", (T0 + 1) * NS },                          /* day of the start */
        { "22:13:20.75", T0 * NS + 750000000 },
        { "+0s", T0 * NS + 7 },
        { "+1s", (T0 + 1) * NS + 7 },
        { "+1m30s", (T0 + 90) * NS + 7 },
        { "+500ms", T0 * NS + 500000007 },
        { "+1.5s", T0 * NS + 1500000007 },
        { "+13.5ms", T0 * NS + 13500007 },
        { "+12ms500us", T0 * NS + 12500007 },
        { "+2h", (T0 + 7200) * NS + 7 },
        { "+1d", (T0 + 86400) * NS + 7 },
        { "+0.5d", (T0 + 43200) * NS + 7 },
        { "+3ns", T0 * NS + 10 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t got = 0;
        char err[200] = "";
        int rc = replay_parse_time(cases[i].in, T0 * NS + 7, &got, err, sizeof err);
        CHECK(rc == 0, "%s: rejected: %s", cases[i].in, err);
        CHECK(got == cases[i].want, "%s: %llu, expected %llu", cases[i].in,
              (unsigned long long)got, (unsigned long long)cases[i].want);
    }
}
END_TEST

START_TEST(time_bad)
{
    utc();
    static const char *const bad[] = {
        "", "+", "+5", "+5x", "+s", "+1.5ns", "+1.ms", "12", "123456789", "yesterday",
        "2023-11-14", "2023-11-14T22:13", "2023-13-14T22:13:20Z", "2023-11-14T24:00:00Z",
        "2023-11-14T22:13:20.1234567891Z", "2023-11-14T22:13:20Zjunk", "2023-11-14T22:13:20+1",
        "22:13", "22:61:00", "+99999999999999999999s", "+999999999999h",
        "99999999999999999999999", "1969-12-31T23:59:59Z", "-5s",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t got = 42;
        char err[200] = "";
        CHECK(replay_parse_time(bad[i], T0 * NS, &got, err, sizeof err) < 0, "'%s' accepted as %llu",
              bad[i], (unsigned long long)got);
        CHECK(strstr(err, "bad time '") == err, "'%s': message '%s'", bad[i], err);
        CHECK(got == 42, "'%s': output written on error", bad[i]);
    }
}
END_TEST

/* Offsets at the top of the range: exactly the largest, and one over. */
START_TEST(time_limits)
{
    uint64_t got;
    char err[200];
    ck_assert_int_eq(replay_parse_time("+18446744073709551615ns", 0, &got, err, sizeof err), 0);
    ck_assert(got == UINT64_MAX);
    ck_assert_int_lt(replay_parse_time("+18446744073709551615ns", 1, &got, err, sizeof err), 0);
    ck_assert_int_lt(replay_parse_time("+18446744073709551616ns", 0, &got, err, sizeof err), 0);
    ck_assert_int_eq(replay_parse_time("18446744073709551615", 0, &got, err, sizeof err), 0);
    ck_assert(got == UINT64_MAX);
}
END_TEST

static const char *render(const char *fmt)
{
    static char text[256];
    char err[300];
    struct outfmt *of = outfmt_new(fmt, false, err, sizeof err);
    ck_assert_msg(of != NULL, "%s: %s", fmt, err);
    struct skr_buf out = { 0 };
    struct fld_ctx ctx = { 0 };
    ck_assert(outfmt_event(of, &ctx, &out));
    ck_assert(out.len < sizeof text);
    memcpy(text, out.data, out.len);
    text[out.len] = 0;
    skr_buf_free(&out);
    outfmt_free(of);
    return text;
}

START_TEST(format_literals)
{
    ck_assert_str_eq(render("hello"), "hello\n");
    ck_assert_str_eq(render("100%%"), "100%\n");
    ck_assert_str_eq(render("%%%%"), "%%\n");
    ck_assert_str_eq(render("*a%%b"), "a%b\n");
    ck_assert_str_eq(render("**"), "*\n"); /* only the first '*' is the flag */
}
END_TEST

static void format_error(const char *fmt, const char *want)
{
    char err[300] = "";
    struct outfmt *of = outfmt_new(fmt, false, err, sizeof err);
    ck_assert_msg(of == NULL, "'%s' compiled", fmt);
    ck_assert_msg(strstr(err, want) == err, "'%s': '%s', expected it to start '%s'", fmt, err, want);
}

START_TEST(format_errors)
{
    format_error("", "empty output format");
    format_error("*", "empty output format");
    format_error("%", "1:2: expected a field name");
    format_error("ab %", "1:5: expected a field name");
    format_error("%%%", "1:4: expected a field name");
    format_error("% x", "1:2: expected a field name");
    format_error("%12", "1:4: expected a field name");
    format_error("%99999evt.num", "1:2: field width above 4096");
    format_error("%4097evt.num", "1:2: field width above 4096");
    format_error("x %(", "1:5: expected a field name");
    format_error("x %no.such.field", "1:4: ");
    /* the limit on parts: each "a%%" ends a literal part */
    char big[1000] = "";
    for (int i = 0; i < 256; i++)
        strcat(big, "a%%");
    format_error(big, "more than 256 parts");
    big[strlen(big) - 3 * 2] = 0; /* 254 of them, and the rest: 255 parts */
    char err[300];
    struct outfmt *of = outfmt_new(big, false, err, sizeof err);
    ck_assert_msg(of != NULL, "255 parts: %s", err);
    outfmt_free(of);
}
END_TEST

Suite *replay_suite(void)
{
    Suite *s = suite_create("replay");
    TCase *tc = tcase_create("time");
    tcase_add_test(tc, time_forms);
    tcase_add_test(tc, time_bad);
    tcase_add_test(tc, time_limits);
    suite_add_tcase(s, tc);
    tc = tcase_create("outfmt");
    tcase_add_test(tc, format_literals);
    tcase_add_test(tc, format_errors);
    suite_add_tcase(s, tc);
    return s;
}
