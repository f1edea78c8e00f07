/* test_record_decode.c -- record_decode.c: every syscall's decoding spec
 * matches the schema, and kernel records (record.h) built here decode to
 * the right event, parameter by parameter; malformed records are refused. */
#include <string.h>
#include <sys/socket.h>

#include "../../capture/event_table.h"
#include "../../capture/record.h"
#include "../../capture/record_decode.h"
#include "suites.h"
#include "testutil.h"

/* A record under construction: header then 8-aligned blobs. */
struct rb {
    uint8_t buf[8192];
    size_t len;
    struct rec_hdr *h;
};

static void rb_start(struct rb *r, unsigned nr, int64_t ret)
{
    memset(r, 0, sizeof *r);
    r->h = (struct rec_hdr *)(void *)r->buf;
    r->h->ts = 1000;
    r->h->tid = 42;
    r->h->pid = 41;
    r->h->cpu = 1;
    r->h->kind = RK_SYSCALL;
    r->h->nr = (uint16_t)nr;
    r->h->ret = ret;
    r->len = sizeof *r->h;
}

static void rb_blob(struct rb *r, uint16_t tag, const void *p, uint16_t n)
{
    struct rec_blob_hdr bh = { tag, n };
    memcpy(r->buf + r->len, &bh, sizeof bh);
    memcpy(r->buf + r->len + sizeof bh, p, n);
    r->len = (r->len + sizeof bh + n + 7) / 8 * 8;
    r->h->nblobs++;
    r->h->size = (uint32_t)r->len;
}

static const struct skr_value *param(const struct skr_event *ev, const char *name)
{
    for (int i = 0; i < ev->nparams; i++)
        if (!strcmp(ev->def->params[i].name, name))
            return &ev->params[i];
    ck_abort_msg("%s has no parameter %s", ev->def->name, name);
    return NULL;
}

START_TEST(specs_match_schema)
{
    ck_assert_int_eq(recdec_selfcheck(), 0);
    ck_assert_int_eq(recdec_event_for(NR_openat), SAKER_EVT_OPENAT);
    ck_assert_int_eq(recdec_event_for(NR_execve), SAKER_EVT_EXECVE);
    ck_assert_int_eq(recdec_event_for(499), -1);
}
END_TEST

START_TEST(decode_openat_and_connect)
{
    struct recdec *d = recdec_new(5000, "/nonexistent");
    ck_assert_ptr_nonnull(d);
    struct rb r;
    rb_start(&r, NR_openat, 3);
    r.h->args[0] = 0xffffff9cu; /* AT_FDCWD as a 32-bit register value */
    r.h->args[2] = 0x80000;
    rb_blob(&r, RB_PATH, "/etc/shadow", 11);
    struct rec_file rf = { 733, 0xfe00000, 0 };
    rb_blob(&r, RB_FILE, &rf, sizeof rf);
    struct skr_event ev;
    char why[160];
    ck_assert_int_eq(recdec_decode(d, r.buf, r.len, &ev, why, sizeof why), 0);
    ck_assert_str_eq(ev.def->name, "openat");
    ck_assert_uint_eq(ev.ts, 6000);
    ck_assert_int_eq(ev.tid, 42);
    ck_assert_int_eq(param(&ev, "fd")->s, 3);
    ck_assert_int_eq(param(&ev, "dirfd")->s, -100);
    const struct skr_value *n = param(&ev, "name");
    ck_assert_uint_eq(n->len, 11);
    ck_assert(memcmp(n->ptr, "/etc/shadow", 11) == 0);
    ck_assert_uint_eq(param(&ev, "flags")->u, 0x80000);
    ck_assert_uint_eq(param(&ev, "ino")->u, 733);

    rb_start(&r, NR_connect, 0);
    r.h->args[0] = 5;
    struct rec_tuple t = { AF_INET, 40000, 80, 0, { 127, 0, 0, 1 }, { 10, 1, 2, 3 } };
    rb_blob(&r, RB_TUPLE, &t, sizeof t);
    uint8_t sa[16] = { AF_INET, 0, 0, 80, 10, 1, 2, 3 }; /* port 80 in network order */
    rb_blob(&r, RB_SOCKADDR, sa, sizeof sa);
    ck_assert_int_eq(recdec_decode(d, r.buf, r.len, &ev, why, sizeof why), 0);
    const struct skr_value *tu = param(&ev, "tuple");
    static const uint8_t want_t[13] = { AF_INET, 127, 0, 0, 1, 0x40, 0x9c, 10, 1, 2, 3, 80, 0 };
    ck_assert_uint_eq(tu->len, 13);
    ck_assert(memcmp(tu->ptr, want_t, 13) == 0);
    const struct skr_value *a = param(&ev, "addr");
    static const uint8_t want_a[7] = { AF_INET, 10, 1, 2, 3, 80, 0 };
    ck_assert_uint_eq(a->len, 7);
    ck_assert(memcmp(a->ptr, want_a, 7) == 0);
    recdec_free(d);
}
END_TEST

START_TEST(decode_exec_and_exit)
{
    struct recdec *d = recdec_new(0, "/nonexistent");
    struct rb r;
    rb_start(&r, NR_execve, 0);
    static const char argv[] = "sh\0-c\0id";
    rb_blob(&r, RB_ARGV, argv, sizeof argv);
    rb_blob(&r, RB_EXE, "/usr/bin/dash", 13);
    rb_blob(&r, RB_CWD, "/tmp", 4);
    struct rec_proc pr;
    memset(&pr, 0, sizeof pr);
    pr.pid = 41;
    pr.tid = 42;
    pr.ppid = 7;
    pr.uid = 1000;
    pr.loginuid = 1000;
    memcpy(pr.comm, "sh", 3);
    rb_blob(&r, RB_PROC, &pr, sizeof pr);
    struct skr_event ev;
    char why[160];
    ck_assert_int_eq(recdec_decode(d, r.buf, r.len, &ev, why, sizeof why), 0);
    ck_assert_str_eq(ev.def->name, "execve");
    const struct skr_value *v = param(&ev, "exe");
    ck_assert(v->len == 2 && !memcmp(v->ptr, "sh", 2));
    v = param(&ev, "args");
    ck_assert(v->len == 6 && !memcmp(v->ptr, "-c\0id", 6));
    v = param(&ev, "trusted_exepath");
    ck_assert(v->len == 13 && !memcmp(v->ptr, "/usr/bin/dash", 13));
    v = param(&ev, "comm");
    ck_assert(v->len == 2 && !memcmp(v->ptr, "sh", 2));
    ck_assert_int_eq(param(&ev, "ptid")->s, 7);
    ck_assert_uint_eq(param(&ev, "uid")->u, 1000);

    rb_start(&r, 0, 0x8b); /* killed by SIGSEGV (11) with a core dump */
    r.h->kind = RK_PROCEXIT;
    r.h->size = (uint32_t)r.len;
    ck_assert_int_eq(recdec_decode(d, r.buf, r.len, &ev, why, sizeof why), 0);
    ck_assert_str_eq(ev.def->name, "procexit");
    ck_assert_uint_eq(param(&ev, "sig")->u, 11);
    ck_assert_uint_eq(param(&ev, "core")->u, 1);
    recdec_free(d);
}
END_TEST

START_TEST(malformed_records)
{
    struct recdec *d = recdec_new(0, "/nonexistent");
    struct rb r;
    struct skr_event ev;
    char why[160];
    rb_start(&r, NR_read, 4);
    ck_assert_int_eq(recdec_decode(d, r.buf, 10, &ev, why, sizeof why), -1);
    rb_blob(&r, RB_DATA, "abcd", 4);
    r.h->nblobs = 3; /* claims blobs that are not there */
    ck_assert_int_eq(recdec_decode(d, r.buf, r.len, &ev, why, sizeof why), -1);
    rb_start(&r, NR_read, 4);
    struct rec_blob_hdr bh = { RB_DATA, 60000 }; /* longer than the record */
    memcpy(r.buf + r.len, &bh, sizeof bh);
    r.len += 8;
    r.h->nblobs = 1;
    r.h->size = (uint32_t)r.len;
    ck_assert_int_eq(recdec_decode(d, r.buf, r.len, &ev, why, sizeof why), -1);
    rb_start(&r, 0, 0);
    r.h->kind = 99;
    r.h->size = (uint32_t)r.len;
    ck_assert_int_eq(recdec_decode(d, r.buf, r.len, &ev, why, sizeof why), -1);
    /* A syscall without an event of its own is the generic event. */
    rb_start(&r, 400, -38);
    r.h->size = (uint32_t)r.len;
    ck_assert_int_eq(recdec_decode(d, r.buf, r.len, &ev, why, sizeof why), 0);
    ck_assert_str_eq(ev.def->name, "syscall");
    ck_assert_uint_eq(param(&ev, "ID")->u, 400);
    ck_assert_int_eq(param(&ev, "res")->s, -38);
    recdec_free(d);
}
END_TEST

Suite *record_decode_suite(void)
{
    Suite *s = suite_create("record_decode");
    TCase *tc = tcase_create("decode");
    tcase_add_test(tc, specs_match_schema);
    tcase_add_test(tc, decode_openat_and_connect);
    tcase_add_test(tc, decode_exec_and_exit);
    tcase_add_test(tc, malformed_records);
    suite_add_tcase(s, tc);
    return s;
}
