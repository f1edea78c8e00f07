/* test_filter_real.c -- the filter over the real field registry
 * (analyzer/fields*.c) on hand-built events: evt.type, evt.num, proc.name
 * and fd.name through state_apply's view (struct st_event), missing fds,
 * the registry's error for an unknown field, and the event-type index. */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "../../capture/event_table.h"
#include "suites.h"
#include "test_filter.h"
#include "testutil.h"

static struct skr_schema rs;
static struct skr_event rev;
static struct st_thread rth;
static struct st_fd rfd;
static struct st_event rse;

static void real_event(int id, bool with_fd)
{
    skr_schema_from_table(&rs, saker_evt_table, SAKER_EVT_COUNT);
    rev = (struct skr_event){ .num = 7, .tid = 100, .type = (uint16_t)id, .def = rs.defs[id] };
    rth = (struct st_thread){ .tid = 100, .pid = 100, .comm = "cat", .exe = "cat",
                              .cwd = "/", .root = "/", .container_id = "" };
    rfd = (struct st_fd){ .num = 3, .type = ST_FD_FILE, .name = "/etc/passwd" };
    rse = (struct st_event){ .ev = &rev, .thread = &rth, .fd = with_fd ? &rfd : NULL,
                             .fdnum = with_fd ? 3 : -1 };
}

static bool real_eval(const char *cond)
{
    struct filter_error err;
    struct filter *f = filter_compile(cond, NULL, &err);
    ck_assert_msg(f, "'%s': %s", cond, err.msg);
    struct fld_scratch sc = { 0 };
    struct fld_ctx ctx = { .ev = &rev, .se = &rse, .scratch = &sc };
    bool r = filter_eval(f, &ctx);
    filter_free(f);
    fld_scratch_free(&sc);
    return r;
}

START_TEST(real_fields)
{
    if (!fields_find("evt.type") || !fields_find("fd.name") || !fields_find("proc.name")) {
        fprintf(stderr, "filter real-registry test skipped: fields not registered yet\n");
        return;
    }
    real_event(SAKER_EVT_OPEN, true);
    ck_assert(real_eval("evt.type = open"));
    ck_assert(real_eval("evt.type in (openat, open)"));
    ck_assert(!real_eval("evt.type = read"));
    ck_assert(real_eval("evt.num = 7 and evt.num > 6 and evt.num in (1, 7)"));
    ck_assert(real_eval("evt.type = open and fd.name startswith /etc and proc.name = cat"));
    ck_assert(real_eval("fd.name pmatch (/etc) and fd.name glob '/etc/*'"));
    ck_assert(real_eval("toupper(proc.name) = CAT and basename(fd.name) = passwd"));
    /* a TCP socket: fd.net and fd.ip match either end */
    real_event(SAKER_EVT_CONNECT, true);
    rfd = (struct st_fd){ .num = 3, .type = ST_FD_IPV4, .role = ST_ROLE_CLIENT,
                          .name = "10.1.2.3:40000->192.168.1.1:443",
                          .tuple = { .family = AF_INET, .l4proto = IPPROTO_TCP,
                                     .sip = { 10, 1, 2, 3 }, .dip = { 192, 168, 1, 1 },
                                     .sport = 40000, .dport = 443 } };
    ck_assert(real_eval("fd.net = 10.0.0.0/8"));
    ck_assert(real_eval("fd.net = 192.168.0.0/16"));
    ck_assert(!real_eval("fd.net = 172.16.0.0/12"));
    ck_assert(real_eval("fd.ip in (1.1.1.1, 192.168.1.1)"));
    ck_assert(real_eval("fd.net in (172.16.0.0/12, 10.1.2.0/24)"));
    ck_assert(!real_eval("fd.ip = 10.1.2.4"));
    real_event(SAKER_EVT_READ, false);
    ck_assert(!real_eval("evt.type = open"));
    ck_assert(!real_eval("fd.name != x"));
    ck_assert(real_eval("not fd.name = x"));
    ck_assert(!real_eval("fd.name exists"));
    ck_assert(real_eval("proc.name exists"));

    struct filter_error err;
    struct filter *f = filter_compile("evt.num = 1 and proc.nmae = x", NULL, &err);
    ck_assert_ptr_null(f);
    ck_assert_str_eq(err.msg, "1:17: unknown field 'proc.nmae'");
    f = filter_compile("evt.type in (open, openat) and not proc.name = cat", NULL, &err);
    ck_assert_msg(f, "%s", err.msg);
    const char *const *names;
    ck_assert(filter_event_types(f, &names));
    ck_assert(names[0] && !strcmp(names[0], "open") && names[1] &&
              !strcmp(names[1], "openat") && !names[2]);
    filter_free(f);
}
END_TEST

void filter_real_cases(Suite *s)
{
    TCase *tc = tcase_create("filter_real");
    tcase_add_test(tc, real_fields);
    suite_add_tcase(s, tc);
}
