/* test_fields_fd.c -- the fd.* and fs.path.* fields on hand-made fds:
 * files, directories, IPv4/IPv6/unix sockets from either end, events
 * without an fd, open events whose fd the state does not know, and path
 * resolution against the cwd. */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "../../analyzer/fields_int.h"
#include "test_fields_evt.h"

static struct fx F;

START_TEST(file_fd)
{
    fx_init(&F, "read");
    fx_s(&F, "res", 10);
    fx_s(&F, "fd", 3);
    fx_fd(&F, 3, 'f', "/etc/ssh/sshd_config");
    F.fd.dev = 0x803;
    F.fd.ino = 42;
    ck_assert_str_eq(fx_fmt(&F, "fd.num"), "3");
    ck_assert_str_eq(fx_fmt(&F, "fd.type"), "file");
    ck_assert_str_eq(fx_fmt(&F, "fd.typechar"), "f");
    ck_assert_str_eq(fx_fmt(&F, "fd.name"), "/etc/ssh/sshd_config");
    ck_assert_str_eq(fx_fmt(&F, "fd.nameraw"), "/etc/ssh/sshd_config");
    ck_assert_str_eq(fx_fmt(&F, "fd.directory"), "/etc/ssh");
    ck_assert_str_eq(fx_fmt(&F, "fd.filename"), "sshd_config");
    ck_assert_str_eq(fx_fmt(&F, "fd.dev"), "803");
    ck_assert_str_eq(fx_fmt(&F, "fd.ino"), "42");
    ck_assert_str_eq(fx_fmt(&F, "fd.is_server"), "false");
    ck_assert_str_eq(fx_fmt(&F, "fd.connected"), "false");
    ck_assert_str_eq(fx_fmt(&F, "fd.name_changed"), "false");
    ck_assert_uint_eq(fx_get(&F, "fd.sockfamily").n, 0);
    ck_assert_uint_eq(fx_get(&F, "fd.cip").n, 0);
    ck_assert_uint_eq(fx_get(&F, "fd.l4proto").n, 0);
    ck_assert_str_eq(fx_fmt(&F, "fd.containername"), "host:/etc/ssh/sshd_config");
    ck_assert_str_eq(fx_fmt(&F, "fd.containerdirectory"), "host:/etc/ssh");
    F.th.container_id = "3ad7b26ded6d";
    ck_assert_str_eq(fx_fmt(&F, "fd.containername"), "3ad7b26ded6d:/etc/ssh/sshd_config");
    ck_assert_str_eq(fx_fmt(&F, "fd.types[3]"), "file");
    ck_assert_uint_eq(fx_get(&F, "fd.types[4]").n, 0);
    /* without a state, the process's fd list is unknown */
    ck_assert_str_eq(fx_fmt(&F, "fd.types"), "<NA>");
    struct fvals v = fx_get(&F, "fd.num");
    ck_assert(v.n == 1 && v.v[0].type == FT_INT && v.v[0].i == 3);

    F.fd.name = "/x";
    ck_assert_str_eq(fx_fmt(&F, "fd.directory"), "/");
    ck_assert_str_eq(fx_fmt(&F, "fd.filename"), "x");
    F.fd.type = 'd';
    F.fd.name = "/tmp";
    ck_assert_str_eq(fx_fmt(&F, "fd.type"), "directory");
    ck_assert_str_eq(fx_fmt(&F, "fd.directory"), "/tmp");
    ck_assert_uint_eq(fx_get(&F, "fd.filename").n, 0);
    F.fd.type = 'p';
    F.fd.name = "pipe:[77]";
    ck_assert_str_eq(fx_fmt(&F, "fd.type"), "pipe");
    ck_assert_uint_eq(fx_get(&F, "fd.directory").n, 0);
    fx_free(&F);
}
END_TEST

static void set_tuple4(struct fx *f, const char *cip, uint16_t cport, const char *sip,
                       uint16_t sport)
{
    f->fd.tuple.family = AF_INET;
    f->fd.tuple.l4proto = 6;
    ck_assert(inet_pton(AF_INET, cip, f->fd.tuple.sip) == 1);
    ck_assert(inet_pton(AF_INET, sip, f->fd.tuple.dip) == 1);
    f->fd.tuple.sport = cport;
    f->fd.tuple.dport = sport;
}

START_TEST(ipv4_client_and_server)
{
    fx_init(&F, "connect");
    fx_s(&F, "fd", 5);
    fx_fd(&F, 5, '4', "10.0.0.1:40000->93.184.216.34:443");
    set_tuple4(&F, "10.0.0.1", 40000, "93.184.216.34", 443);
    F.fd.role = ST_ROLE_CLIENT;
    ck_assert_str_eq(fx_fmt(&F, "fd.type"), "ipv4");
    ck_assert_str_eq(fx_fmt(&F, "fd.typechar"), "4");
    ck_assert_str_eq(fx_fmt(&F, "fd.cip"), "10.0.0.1");
    ck_assert_str_eq(fx_fmt(&F, "fd.sip"), "93.184.216.34");
    ck_assert_str_eq(fx_fmt(&F, "fd.lip"), "10.0.0.1");
    ck_assert_str_eq(fx_fmt(&F, "fd.rip"), "93.184.216.34");
    ck_assert_str_eq(fx_fmt(&F, "fd.cport"), "40000");
    ck_assert_str_eq(fx_fmt(&F, "fd.sport"), "443");
    ck_assert_str_eq(fx_fmt(&F, "fd.lport"), "40000");
    ck_assert_str_eq(fx_fmt(&F, "fd.rport"), "443");
    ck_assert_str_eq(fx_fmt(&F, "fd.l4proto"), "tcp");
    ck_assert_str_eq(fx_fmt(&F, "evt.arg.fd"), "<4t>10.0.0.1:40000->93.184.216.34:443");
    ck_assert_str_eq(fx_fmt(&F, "fd.sockfamily"), "ip");
    ck_assert_str_eq(fx_fmt(&F, "fd.connected"), "true");
    ck_assert_str_eq(fx_fmt(&F, "fd.is_server"), "false");
    ck_assert_uint_eq(fx_get(&F, "fd.cip.name").n, 0);
    ck_assert_uint_eq(fx_get(&F, "fd.sip.name").n, 0);
    ck_assert_uint_eq(fx_get(&F, "fd.filename").n, 0);
    struct fvals v = fx_get(&F, "fd.ip");
    ck_assert_uint_eq(v.n, 2);
    ck_assert(v.v[0].type == FT_IPADDR && v.v[0].ipfam == 4 && v.v[0].ip[0] == 10);
    ck_assert(v.v[1].ip[0] == 93);
    v = fx_get(&F, "fd.port");
    ck_assert(v.n == 2 && v.v[0].u == 40000 && v.v[1].u == 443);
    v = fx_get(&F, "fd.snet");
    ck_assert(v.n == 1 && v.v[0].type == FT_IPADDR && v.v[0].ip[3] == 34);
    ck_assert_int_eq(fields_find("fd.snet")->type, FT_IPNET);
    ck_assert(fields_find("fd.snet")->flags & FF_FILTER_ONLY);

    /* the same connection seen from the server */
    F.fd.role = ST_ROLE_SERVER;
    ck_assert_str_eq(fx_fmt(&F, "fd.lip"), "93.184.216.34");
    ck_assert_str_eq(fx_fmt(&F, "fd.rip"), "10.0.0.1");
    ck_assert_str_eq(fx_fmt(&F, "fd.lport"), "443");
    ck_assert_str_eq(fx_fmt(&F, "fd.rport"), "40000");
    ck_assert_str_eq(fx_fmt(&F, "fd.is_server"), "true");
    ck_assert_str_eq(fx_fmt(&F, "fd.cip"), "10.0.0.1");

    /* neither end known: local and remote have no value */
    F.fd.role = ST_ROLE_NONE;
    ck_assert_uint_eq(fx_get(&F, "fd.lip").n, 0);
    ck_assert_uint_eq(fx_get(&F, "fd.rport").n, 0);
    ck_assert_str_eq(fx_fmt(&F, "fd.sip"), "93.184.216.34");
    ck_assert_str_eq(fx_fmt(&F, "fd.connected"), "false");
    F.fd.tuple.l4proto = 17;
    ck_assert_str_eq(fx_fmt(&F, "fd.l4proto"), "udp");
    /* a socket not yet connected has no addresses */
    F.fd.tuple.family = 0;
    ck_assert_uint_eq(fx_get(&F, "fd.cip").n, 0);
    ck_assert_uint_eq(fx_get(&F, "fd.port").n, 0);
    fx_free(&F);
}
END_TEST

START_TEST(ipv6_and_unix)
{
    fx_init(&F, "accept");
    fx_s(&F, "fd", 6);
    fx_fd(&F, 6, '6', "::1:5000->::1:22");
    F.fd.tuple.family = AF_INET6;
    F.fd.tuple.l4proto = 6;
    inet_pton(AF_INET6, "::1", F.fd.tuple.sip);
    inet_pton(AF_INET6, "2001:db8::7", F.fd.tuple.dip);
    F.fd.tuple.sport = 5000;
    F.fd.tuple.dport = 22;
    F.fd.role = ST_ROLE_SERVER;
    ck_assert_str_eq(fx_fmt(&F, "fd.cip"), "::1");
    ck_assert_str_eq(fx_fmt(&F, "fd.sip"), "2001:db8::7");
    ck_assert_str_eq(fx_fmt(&F, "fd.type"), "ipv6");
    struct fvals v = fx_get(&F, "fd.rip");
    ck_assert(v.n == 1 && v.v[0].ipfam == 6 && v.v[0].ip[15] == 1);
    fx_free(&F);

    fx_init(&F, "connect");
    fx_fd(&F, 7, 'u', "/run/docker.sock");
    F.fd.tuple.family = AF_UNIX;
    F.fd.role = ST_ROLE_CLIENT;
    ck_assert_str_eq(fx_fmt(&F, "fd.sockfamily"), "unix");
    ck_assert_str_eq(fx_fmt(&F, "fd.type"), "unix");
    ck_assert_str_eq(fx_fmt(&F, "fd.name"), "/run/docker.sock");
    ck_assert_uint_eq(fx_get(&F, "fd.cip").n, 0);
    ck_assert_uint_eq(fx_get(&F, "fd.sport").n, 0);
    ck_assert_uint_eq(fx_get(&F, "fd.l4proto").n, 0);
    fx_free(&F);
}
END_TEST

/* An event without an fd: no fd field has a value. */
START_TEST(no_fd_no_values)
{
    fx_init(&F, "kill");
    for (size_t i = 0; i < fields_fd_count; i++) {
        const struct field_def *d = &fields_fd[i];
        if (strncmp(d->name, "fd.", 3) || (d->flags & FF_ARG_REQUIRED))
            continue;
        struct fvals v = fx_get(&F, d->name);
        ck_assert_msg(v.n == 0, "%s has %zu values without an fd", d->name, v.n);
    }
    fx_free(&F);
}
END_TEST

/* A caller replaying without state passes no st_event: every evt, fd
 * and fs.path field still answers (from the event alone) without
 * crashing, and fd.num falls back on the event's fd argument. */
START_TEST(no_state_at_all)
{
    static const char *const types[] = { "openat", "read", "connect", "renameat2", "kill",
                                         "execve", "procexit", NULL };
    for (const char *const *t = types; *t; t++) {
        fx_init(&F, *t);
        F.ctx.se = NULL;
        const struct field_def *tables[2] = { fields_evt, fields_fd };
        size_t counts[2] = { fields_evt_count, fields_fd_count };
        for (int k = 0; k < 2; k++)
            for (size_t i = 0; i < counts[k]; i++) {
                const struct field_def *d = &tables[k][i];
                char text[96];
                snprintf(text, sizeof text, "%s%s", d->name,
                         !(d->flags & FF_ARG_REQUIRED) ? ""
                         : (d->flags & FF_ARG_INDEX)    ? "[0]"
                                                        : ".fd");
                fx_fmt(&F, text);
            }
        fx_free(&F);
    }
    fx_init(&F, "read");
    fx_s(&F, "fd", 9);
    F.ctx.se = NULL;
    ck_assert_str_eq(fx_fmt(&F, "fd.num"), "9");
    ck_assert_uint_eq(fx_get(&F, "fd.name").n, 0);
    fx_free(&F);
}
END_TEST

/* An open whose fd the state does not know (it failed, or the state is
 * behind): the name comes from the event, made absolute. */
START_TEST(open_without_state_fd)
{
    fx_init(&F, "openat");
    fx_s(&F, "fd", -13);
    fx_s(&F, "dirfd", -100);
    fx_str(&F, "name", "../etc/./shadow");
    fx_u(&F, "dev", 0x801);
    fx_u(&F, "ino", 99);
    ck_assert_str_eq(fx_fmt(&F, "fd.name"), "/home/etc/shadow");
    ck_assert_str_eq(fx_fmt(&F, "fd.nameraw"), "../etc/./shadow");
    ck_assert_str_eq(fx_fmt(&F, "fd.directory"), "/home/etc");
    ck_assert_str_eq(fx_fmt(&F, "fd.filename"), "shadow");
    ck_assert_str_eq(fx_fmt(&F, "fd.ino"), "99");
    ck_assert_str_eq(fx_fmt(&F, "fd.dev"), "801");
    ck_assert_uint_eq(fx_get(&F, "fd.typechar").n, 0);
    ck_assert_uint_eq(fx_get(&F, "fd.num").n, 0);
    fx_free(&F);

    fx_init(&F, "open");
    fx_s(&F, "fd", -2);
    fx_str(&F, "name", "/var/log/x.log");
    ck_assert_str_eq(fx_fmt(&F, "fd.name"), "/var/log/x.log");
    ck_assert_str_eq(fx_fmt(&F, "fd.directory"), "/var/log");
    fx_free(&F);
}
END_TEST

static const char *resolve(const char *base, const char *path)
{
    static struct skr_buf b;
    skr_buf_reset(&b);
    fieldpath_resolve(&b, base, base ? strlen(base) : 0, (const uint8_t *)path, strlen(path));
    skr_put_u8(&b, 0);
    static char out[256];
    snprintf(out, sizeof out, "%s", (const char *)b.data);
    skr_buf_free(&b);
    return out;
}

START_TEST(path_resolution)
{
    ck_assert_str_eq(resolve("/a/b/", "../c/./d//e"), "/a/c/d/e");
    ck_assert_str_eq(resolve("/a/b", "c"), "/a/b/c");
    ck_assert_str_eq(resolve("/", ".."), "/");
    ck_assert_str_eq(resolve("/a", "../../.."), "/");
    ck_assert_str_eq(resolve("/a/b/", "/x/../y/"), "/y");
    ck_assert_str_eq(resolve(NULL, "rel/x"), "rel/x");
    ck_assert_str_eq(resolve("", "rel"), "rel");
    ck_assert_str_eq(resolve("/a/", ""), "/a");
    ck_assert_str_eq(resolve(NULL, "/abs//p/."), "/abs/p");
}
END_TEST

START_TEST(fs_path)
{
    fx_init(&F, "mkdir");
    fx_str(&F, "path", "newdir");
    ck_assert_str_eq(fx_fmt(&F, "fs.path.name"), "/home/u/newdir");
    ck_assert_str_eq(fx_fmt(&F, "fs.path.nameraw"), "newdir");
    ck_assert_uint_eq(fx_get(&F, "fs.path.source").n, 0);
    ck_assert_uint_eq(fx_get(&F, "fs.path.target").n, 0);
    fx_free(&F);

    fx_init(&F, "renameat2");
    fx_s(&F, "olddirfd", -100);
    fx_str(&F, "oldpath", "a.txt");
    fx_s(&F, "newdirfd", -100);
    fx_str(&F, "newpath", "/abs/b.txt");
    ck_assert_str_eq(fx_fmt(&F, "fs.path.source"), "/home/u/a.txt");
    ck_assert_str_eq(fx_fmt(&F, "fs.path.sourceraw"), "a.txt");
    ck_assert_str_eq(fx_fmt(&F, "fs.path.target"), "/abs/b.txt");
    ck_assert_str_eq(fx_fmt(&F, "fs.path.targetraw"), "/abs/b.txt");
    ck_assert_uint_eq(fx_get(&F, "fs.path.name").n, 0);
    fx_free(&F);

    fx_init(&F, "symlinkat");
    fx_str(&F, "target", "/etc/passwd");
    fx_s(&F, "linkdirfd", -100);
    fx_str(&F, "linkpath", "l");
    ck_assert_str_eq(fx_fmt(&F, "fs.path.source"), "/etc/passwd");
    ck_assert_str_eq(fx_fmt(&F, "fs.path.target"), "/home/u/l");
    fx_free(&F);

    fx_init(&F, "unlinkat");
    fx_s(&F, "dirfd", -100);
    fx_str(&F, "name", "/tmp/x/../y");
    ck_assert_str_eq(fx_fmt(&F, "fs.path.name"), "/tmp/y");
    ck_assert_str_eq(fx_fmt(&F, "fs.path.nameraw"), "/tmp/x/../y");
    fx_free(&F);

    /* an fd-based call names its fd's file */
    fx_init(&F, "fchmod");
    fx_fd(&F, 4, 'f', "/srv/app.sh");
    ck_assert_str_eq(fx_fmt(&F, "fs.path.name"), "/srv/app.sh");
    fx_free(&F);

    /* not a file-system call */
    fx_init(&F, "read");
    fx_fd(&F, 4, 'f', "/srv/app.sh");
    ck_assert_uint_eq(fx_get(&F, "fs.path.name").n, 0);
    ck_assert_uint_eq(fx_get(&F, "fs.path.source").n, 0);
    fx_free(&F);
}
END_TEST

Suite *fields_fd_suite(void)
{
    Suite *s = suite_create("fields_fd");
    TCase *tc = tcase_create("fd");
    tcase_add_test(tc, file_fd);
    tcase_add_test(tc, ipv4_client_and_server);
    tcase_add_test(tc, ipv6_and_unix);
    tcase_add_test(tc, no_fd_no_values);
    tcase_add_test(tc, no_state_at_all);
    tcase_add_test(tc, open_without_state_fd);
    suite_add_tcase(s, tc);
    tc = tcase_create("fs_path");
    tcase_add_test(tc, path_resolution);
    tcase_add_test(tc, fs_path);
    suite_add_tcase(s, tc);
    return s;
}
