/* test_fields_evt.c -- the evt.* fields on events built with saker's real
 * schema: values, their text, arguments by name and position, results,
 * times, scap ENTER/EXIT pairs; and the fixture every field test uses. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../capture/event_table.h"
#include "test_fields_evt.h"

/* ---- fixture ---- */

static struct skr_schema schema;

void fx_init(struct fx *f, const char *evtype)
{
    if (!schema.max_id)
        skr_schema_from_table(&schema, saker_evt_table, SAKER_EVT_COUNT);
    memset(f, 0, sizeof *f);
    int id = skr_schema_find(&schema, evtype);
    ck_assert_msg(id >= 0, "no event type %s", evtype);
    f->ev.def = schema.defs[id];
    f->ev.type = (uint16_t)id;
    f->ev.nparams = f->ev.def->nparams;
    f->ev.num = 42;
    f->ev.ts = FX_TS;
    f->ev.tid = 100;
    f->ev.cpu = 3;
    strcpy(f->cwd, "/home/u/");
    f->th = (struct st_thread){ .tid = 100, .pid = 100, .cwd = f->cwd, .container_id = "" };
    f->se = (struct st_event){ .ev = &f->ev, .thread = &f->th, .fdnum = -1 };
    f->ctx = (struct fld_ctx){ .ev = &f->ev, .se = &f->se, .scratch = &f->sc,
                               .trace_start_ns = FX_TS - 5 };
}

static int param(struct fx *f, const char *name)
{
    for (int i = 0; i < f->ev.def->nparams; i++)
        if (!strcmp(f->ev.def->params[i].name, name))
            return i;
    ck_abort_msg("%s has no parameter %s", f->ev.def->name, name);
    return -1;
}

void fx_s(struct fx *f, const char *p, int64_t v) { f->ev.params[param(f, p)].s = v; }
void fx_u(struct fx *f, const char *p, uint64_t v) { f->ev.params[param(f, p)].u = v; }

void fx_bytes(struct fx *f, const char *p, const void *b, size_t n)
{
    int i = param(f, p);
    f->ev.params[i].ptr = b;
    f->ev.params[i].len = (uint32_t)n;
}

void fx_str(struct fx *f, const char *p, const char *s) { fx_bytes(f, p, s, strlen(s)); }

void fx_fd(struct fx *f, int64_t num, char type, const char *name)
{
    f->fd.num = num;
    f->fd.type = type;
    f->fd.name = (char *)name;
    f->se.fd = &f->fd;
    f->se.fdnum = num;
}

struct fvals fx_get(struct fx *f, const char *field)
{
    struct field_ref ref;
    size_t used;
    char err[200];
    int rc = field_ref_parse(field, &used, &ref, err, sizeof err);
    ck_assert_msg(rc == 0, "%s: %s", field, err);
    ck_assert_uint_eq(used, strlen(field));
    struct fvals v;
    field_extract(&ref, &f->ctx, &v);
    field_ref_free(&ref);
    return v;
}

const char *fx_fmt(struct fx *f, const char *field)
{
    struct field_ref ref;
    size_t used;
    char err[200];
    ck_assert_msg(field_ref_parse(field, &used, &ref, err, sizeof err) == 0, "%s", err);
    struct fvals v;
    field_extract(&ref, &f->ctx, &v);
    field_ref_format(&ref, &v, f->fmtbuf, sizeof f->fmtbuf);
    field_ref_free(&ref);
    return f->fmtbuf;
}

void fx_free(struct fx *f) { fld_scratch_free(&f->sc); }

/* ---- tests ---- */

static struct fx F;

static void open_passwd(void)
{
    fx_init(&F, "openat");
    fx_s(&F, "fd", 3);
    fx_s(&F, "dirfd", -100);
    fx_str(&F, "name", "/etc/passwd");
    fx_u(&F, "flags", 02000000); /* O_RDONLY|O_CLOEXEC */
    fx_u(&F, "mode", 0);
    fx_u(&F, "dev", 0x803);
    fx_u(&F, "ino", 1234);
    fx_fd(&F, 3, 'f', "/etc/passwd");
}

START_TEST(openat_basics)
{
    open_passwd();
    ck_assert_str_eq(fx_fmt(&F, "evt.type"), "openat");
    ck_assert_str_eq(fx_fmt(&F, "evt.dir"), "<");
    ck_assert_str_eq(fx_fmt(&F, "evt.num"), "42");
    ck_assert_str_eq(fx_fmt(&F, "evt.cpu"), "3");
    ck_assert_str_eq(fx_fmt(&F, "evt.res"), "SUCCESS");
    ck_assert_str_eq(fx_fmt(&F, "evt.rawres"), "3");
    ck_assert_str_eq(fx_fmt(&F, "evt.failed"), "false");
    ck_assert_str_eq(fx_fmt(&F, "evt.category"), "file");
    ck_assert_str_eq(fx_fmt(&F, "evt.source"), "syscall");
    ck_assert_str_eq(fx_fmt(&F, "evt.count"), "1");
    ck_assert_str_eq(fx_fmt(&F, "evt.latency"), "0");
    ck_assert_str_eq(fx_fmt(&F, "evt.type.is.openat"), "1");
    ck_assert_str_eq(fx_fmt(&F, "evt.type.is.open"), "0");
    ck_assert_uint_eq(fx_get(&F, "evt.plugininfo").n, 0);
    ck_assert_str_eq(fx_fmt(&F, "evt.plugininfo"), "<NA>");
    struct fvals v = fx_get(&F, "evt.rawres");
    ck_assert(v.n == 1 && v.v[0].type == FT_INT && v.v[0].i == 3);
    fx_free(&F);
}
END_TEST

START_TEST(openat_args)
{
    open_passwd();
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.flags"), "O_RDONLY|O_CLOEXEC");
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.name"), "/etc/passwd");
    ck_assert_str_eq(fx_fmt(&F, "evt.arg[2]"), "/etc/passwd");
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.dirfd"), "AT_FDCWD");
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.fd"), "<f>/etc/passwd");
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.mode"), "0");
    ck_assert_str_eq(fx_fmt(&F, "evt.rawarg.flags"), "524288");
    struct fvals v = fx_get(&F, "evt.rawarg.fd");
    ck_assert(v.n == 1 && v.v[0].type == FT_INT && v.v[0].i == 3);
    v = fx_get(&F, "evt.rawarg.name");
    ck_assert(v.n == 1 && v.v[0].type == FT_STRING && v.v[0].len == 11);
    ck_assert_str_eq(fx_fmt(&F, "evt.args"),
                     "fd=3(<f>/etc/passwd) dirfd=-100(AT_FDCWD) name=/etc/passwd "
                     "flags=524288(O_RDONLY|O_CLOEXEC) mode=0 dev=803 ino=1234");
    ck_assert_str_eq(fx_fmt(&F, "evt.is_open_read"), "true");
    ck_assert_str_eq(fx_fmt(&F, "evt.is_open_write"), "false");
    ck_assert_str_eq(fx_fmt(&F, "evt.is_open_create"), "false");
    /* missing arguments: no value */
    ck_assert_uint_eq(fx_get(&F, "evt.arg.nosuch").n, 0);
    ck_assert_uint_eq(fx_get(&F, "evt.arg[7]").n, 0);
    ck_assert_uint_eq(fx_get(&F, "evt.rawarg.nosuch").n, 0);
    fx_free(&F);
}
END_TEST

START_TEST(open_failed_and_relative)
{
    fx_init(&F, "openat");
    fx_s(&F, "fd", -2);
    fx_s(&F, "dirfd", -100);
    fx_str(&F, "name", "foo/../bar//baz");
    fx_u(&F, "flags", 01 | 0100 | 01000); /* O_WRONLY|O_CREAT|O_TRUNC */
    fx_u(&F, "mode", 0755);
    ck_assert_str_eq(fx_fmt(&F, "evt.res"), "ENOENT");
    ck_assert_str_eq(fx_fmt(&F, "evt.rawres"), "-2");
    ck_assert_str_eq(fx_fmt(&F, "evt.failed"), "true");
    ck_assert_str_eq(fx_fmt(&F, "evt.count.error"), "1");
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.fd"), "ENOENT");
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.name"), "/home/u/bar/baz");
    ck_assert_str_eq(fx_fmt(&F, "evt.rawarg.name"), "foo/../bar//baz");
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.flags"), "O_WRONLY|O_CREAT|O_TRUNC");
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.mode"),
                     "S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR");
    ck_assert_str_eq(fx_fmt(&F, "evt.is_open_write"), "true");
    ck_assert_str_eq(fx_fmt(&F, "evt.is_open_read"), "false");
    ck_assert_str_eq(fx_fmt(&F, "evt.is_open_create"), "true");
    ck_assert_str_eq(fx_fmt(&F, "evt.is_open_exec"), "true");
    fx_u(&F, "mode", 0644);
    ck_assert_str_eq(fx_fmt(&F, "evt.is_open_exec"), "false");
    /* a relative name without a cwd stays as given */
    F.th.cwd = NULL;
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.name"), "foo/../bar//baz");
    fx_free(&F);
}
END_TEST

START_TEST(named_values)
{
    fx_init(&F, "chmod");
    fx_s(&F, "res", 0);
    fx_str(&F, "filename", "/usr/bin/x");
    fx_u(&F, "mode", 04755);
    ck_assert(strstr(fx_fmt(&F, "evt.arg.mode"), "S_ISUID") != NULL);
    ck_assert(strstr(fx_fmt(&F, "evt.arg.mode"), "S_ISGID") == NULL);
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.res"), "0");
    fx_free(&F);

    fx_init(&F, "ptrace");
    fx_u(&F, "request", 16);
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.request"), "PTRACE_ATTACH");
    fx_u(&F, "request", 0x4206);
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.request"), "PTRACE_SEIZE");
    fx_u(&F, "request", 0x7777);
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.request"), "30583");
    fx_free(&F);

    fx_init(&F, "bpf");
    fx_u(&F, "cmd", 5);
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.cmd"), "BPF_PROG_LOAD");
    fx_free(&F);

    fx_init(&F, "socket");
    fx_u(&F, "domain", 17);
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.domain"), "AF_PACKET");
    fx_free(&F);

    fx_init(&F, "kill");
    fx_s(&F, "res", -1);
    fx_s(&F, "pid", 1);
    fx_u(&F, "sig", 9);
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.sig"), "SIGKILL");
    ck_assert_str_eq(fx_fmt(&F, "evt.res"), "EPERM");
    ck_assert_str_eq(fx_fmt(&F, "evt.category"), "signal");
    ck_assert_str_eq(fx_fmt(&F, "evt.args"), "res=-1(EPERM) pid=1 sig=9(SIGKILL)");
    fx_free(&F);

    fx_init(&F, "setuid");
    fx_u(&F, "uid", 33);
    /* no state to name the user: the number */
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.uid"), "33");
    ck_assert_str_eq(fx_fmt(&F, "evt.category"), "user");
    fx_free(&F);

    fx_init(&F, "unshare");
    fx_u(&F, "flags", 0x10000000 | 0x20000);
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.flags"), "CLONE_NEWNS|CLONE_NEWUSER");
    fx_free(&F);
}
END_TEST

START_TEST(io_buffer)
{
    static const char data[] = { 'h', 'i', 1, '\n' };
    fx_init(&F, "read");
    fx_s(&F, "res", 4);
    fx_bytes(&F, "data", data, sizeof data);
    fx_s(&F, "fd", 5);
    fx_u(&F, "size", 100);
    fx_fd(&F, 5, '4', "10.0.0.1:40000->10.0.0.2:80");
    struct fvals v = fx_get(&F, "evt.buffer");
    ck_assert(v.n == 1 && v.v[0].type == FT_BYTES && v.v[0].len == 4);
    ck_assert_str_eq(fx_fmt(&F, "evt.buffer"), "hi\\x01\\x0a");
    ck_assert_str_eq(fx_fmt(&F, "evt.buflen"), "4");
    ck_assert_str_eq(fx_fmt(&F, "evt.is_io"), "true");
    ck_assert_str_eq(fx_fmt(&F, "evt.is_io_read"), "true");
    ck_assert_str_eq(fx_fmt(&F, "evt.is_io_write"), "false");
    ck_assert_str_eq(fx_fmt(&F, "evt.io_dir"), "r");
    ck_assert_str_eq(fx_fmt(&F, "evt.category"), "net");
    F.fd.type = 'f';
    ck_assert_str_eq(fx_fmt(&F, "evt.category"), "file");
    fx_s(&F, "res", -11);
    ck_assert_uint_eq(fx_get(&F, "evt.buflen").n, 0);
    ck_assert_str_eq(fx_fmt(&F, "evt.res"), "EAGAIN");
    fx_free(&F);

    fx_init(&F, "kill");
    ck_assert_str_eq(fx_fmt(&F, "evt.is_io"), "false");
    ck_assert_uint_eq(fx_get(&F, "evt.buffer").n, 0);
    ck_assert_uint_eq(fx_get(&F, "evt.io_dir").n, 0);
    fx_free(&F);
}
END_TEST

START_TEST(times)
{
    /* local-time fields are checked in UTC so the expected text is fixed */
    const char *tz = getenv("TZ");
    char *saved = tz ? strdup(tz) : NULL;
    setenv("TZ", "UTC", 1);
    tzset();
    fx_init(&F, "kill");
    ck_assert_str_eq(fx_fmt(&F, "evt.time"), "22:13:20.123456789");
    ck_assert_str_eq(fx_fmt(&F, "evt.time.s"), "22:13:20");
    ck_assert_str_eq(fx_fmt(&F, "evt.datetime"), "2023-11-14 22:13:20.123456789");
    ck_assert_str_eq(fx_fmt(&F, "evt.datetime.s"), "2023-11-14 22:13:20");
    ck_assert_str_eq(fx_fmt(&F, "evt.time.iso8601"), "2023-11-14T22:13:20.123456789+0000");
    ck_assert_str_eq(fx_fmt(&F, "evt.rawtime"), "1700000000123456789");
    ck_assert_str_eq(fx_fmt(&F, "evt.rawtime.s"), "1700000000");
    ck_assert_str_eq(fx_fmt(&F, "evt.rawtime.ns"), "123456789");
    ck_assert_str_eq(fx_fmt(&F, "evt.reltime"), "000000005");
    ck_assert_str_eq(fx_fmt(&F, "evt.reltime.s"), "0");
    struct fvals v = fx_get(&F, "evt.rawtime");
    ck_assert(v.n == 1 && v.v[0].type == FT_ABSTIME && v.v[0].u == FX_TS);
    /* a start after the event (damaged header): 0, never a wrap */
    F.ctx.trace_start_ns = FX_TS + 1;
    ck_assert_str_eq(fx_fmt(&F, "evt.reltime"), "000000000");
    fx_free(&F);
    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    } else {
        unsetenv("TZ");
    }
    tzset();
}
END_TEST

START_TEST(no_result_and_host)
{
    fx_init(&F, "procexit");
    ck_assert_uint_eq(fx_get(&F, "evt.res").n, 0);
    ck_assert_uint_eq(fx_get(&F, "evt.rawres").n, 0);
    ck_assert_str_eq(fx_fmt(&F, "evt.failed"), "false");
    ck_assert_str_eq(fx_fmt(&F, "evt.dir"), ">");
    ck_assert_uint_eq(fx_get(&F, "evt.hostname").n, 0);
    F.ctx.hostname = "web-1";
    ck_assert_str_eq(fx_fmt(&F, "evt.hostname"), "web-1");
    fx_free(&F);

    /* "syscall" (generic) events carry res second */
    fx_init(&F, "syscall");
    fx_u(&F, "ID", 999);
    fx_s(&F, "res", -38);
    ck_assert_str_eq(fx_fmt(&F, "evt.res"), "ENOSYS");
    ck_assert_str_eq(fx_fmt(&F, "evt.category"), "other");
    fx_free(&F);
}
END_TEST

/* One reference reused over events of several types: the cached
 * parameter position must follow the event definition. */
START_TEST(arg_cache_follows_type)
{
    struct field_ref ref;
    size_t used;
    char err[100];
    ck_assert_int_eq(field_ref_parse("evt.arg.name", &used, &ref, err, sizeof err), 0);
    for (int round = 0; round < 3; round++) {
        struct fvals v;
        fx_init(&F, "openat");
        fx_str(&F, "name", "/a");
        field_extract(&ref, &F.ctx, &v);
        ck_assert(v.n == 1 && v.v[0].len == 2 && !memcmp(v.v[0].s, "/a", 2));
        fx_free(&F);
        fx_init(&F, "open");
        fx_str(&F, "name", "/bb");
        field_extract(&ref, &F.ctx, &v);
        ck_assert(v.n == 1 && v.v[0].len == 3 && !memcmp(v.v[0].s, "/bb", 3));
        fx_free(&F);
        fx_init(&F, "kill");
        field_extract(&ref, &F.ctx, &v);
        ck_assert_uint_eq(v.n, 0);
        fx_free(&F);
    }
    field_ref_free(&ref);
}
END_TEST

/* scap captures: an ENTER and an EXIT event; the exit's missing
 * arguments come from its enter. */
static struct skr_event_def scap_defs[2] = {
    { .id = 0, .dir = SKR_DIR_ENTER, .nparams = 3, .name = "openat", .category = "file",
      .params = { { "dirfd", SKR_PT_FD, SKR_WIRE_ZIGZAG }, { "name", SKR_PT_PATH, SKR_WIRE_BYTES },
                  { "flags", SKR_PT_FLAGS, SKR_WIRE_VARINT } } },
    { .id = 1, .dir = SKR_DIR_EXIT, .nparams = 1, .name = "openat", .category = "file",
      .params = { { "fd", SKR_PT_FD, SKR_WIRE_ZIGZAG } } },
};

START_TEST(enter_exit_pairs)
{
    fx_init(&F, "kill");
    F.enter = (struct skr_event){ .num = 1, .ts = FX_TS - 700, .tid = 100, .nparams = 3,
                                  .def = &scap_defs[0] };
    F.enter.params[0].s = -100;
    F.enter.params[1].ptr = (const uint8_t *)"/etc/shadow";
    F.enter.params[1].len = 11;
    F.enter.params[2].u = 3 | 1u << 12; /* PPM_O_RDWR|PPM_O_CLOEXEC */
    F.ev.def = &scap_defs[1];
    F.ev.nparams = 1;
    F.ev.params[0].s = 4;
    F.se.enter = &F.enter;
    ck_assert_str_eq(fx_fmt(&F, "evt.dir"), "<");
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.name"), "/etc/shadow");
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.flags"), "O_RDWR|O_CLOEXEC");
    ck_assert_str_eq(fx_fmt(&F, "evt.is_open_write"), "true");
    ck_assert_str_eq(fx_fmt(&F, "evt.is_open_read"), "true");
    ck_assert_str_eq(fx_fmt(&F, "evt.rawarg.flags"), "4099");
    ck_assert_str_eq(fx_fmt(&F, "evt.latency"), "700");
    ck_assert_str_eq(fx_fmt(&F, "evt.res"), "SUCCESS");
    ck_assert_str_eq(fx_fmt(&F, "evt.args"), "fd=4");
    /* the enter event itself */
    F.ctx.ev = &F.enter;
    F.se.enter = NULL;
    ck_assert_str_eq(fx_fmt(&F, "evt.dir"), ">");
    ck_assert_uint_eq(fx_get(&F, "evt.res").n, 0);
    ck_assert_str_eq(fx_fmt(&F, "evt.latency"), "0");
    ck_assert_str_eq(fx_fmt(&F, "evt.count.exit"), "0");
    fx_free(&F);
}
END_TEST

Suite *fields_evt_suite(void)
{
    Suite *s = suite_create("fields_evt");
    TCase *tc = tcase_create("evt");
    tcase_add_test(tc, openat_basics);
    tcase_add_test(tc, openat_args);
    tcase_add_test(tc, open_failed_and_relative);
    tcase_add_test(tc, named_values);
    tcase_add_test(tc, io_buffer);
    tcase_add_test(tc, times);
    tcase_add_test(tc, no_result_and_host);
    tcase_add_test(tc, arg_cache_follows_type);
    tcase_add_test(tc, enter_exit_pairs);
    suite_add_tcase(s, tc);
    return s;
}
