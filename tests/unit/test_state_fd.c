/* test_state_fd.c -- the state's fd side (analyzer/state_fds.c,
 * state_events_fd.c): paths against cwd and dirfds, close, the dup
 * family, fcntl, pipes, sockets and their names and roles, memfd,
 * rename/unlink of open files, chdir/fchdir; a scap capture's fd table
 * (roles, listening sockets, interfaces). */
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "suites.h"
#include "test_state.h"
#include "../../analyzer/state_int.h"

static struct st_fd *fd_of(struct state *st, int64_t tid, int64_t fd)
{
    return state_fd(st, state_thread(st, tid), fd);
}

START_TEST(open_paths)
{
    struct state *st = state_with_shell(NULL);
    struct st_event out = ev_open(st, 100, 4, -100, "a/./b/../c.txt", O_RDONLY);
    ck_assert_int_eq(out.fdnum, 4);
    ck_assert_ptr_eq(out.fd, fd_of(st, 100, 4));
    ck_assert_str_eq(out.fd->name, "/home/u/a/c.txt");
    ck_assert_int_eq(out.fd->type, ST_FD_FILE);
    ck_assert(out.fd->name_changed);
    ev_nop(st, 100);
    ck_assert(!fd_of(st, 100, 4)->name_changed); /* this event only */
    /* a directory fd, then a path relative to it */
    out = ev_open(st, 100, 5, -100, "/etc//ssh/", O_RDONLY | O_DIRECTORY);
    ck_assert_int_eq(out.fd->type, ST_FD_DIR);
    ck_assert_str_eq(out.fd->name, "/etc/ssh");
    out = ev_open(st, 100, 6, 5, "../passwd", O_RDONLY);
    ck_assert_str_eq(out.fd->name, "/etc/passwd");
    out = ev_open(st, 100, 7, 5, "/abs/../x", O_RDONLY);
    ck_assert_str_eq(out.fd->name, "/x");
    /* a dirfd the state does not know: the name as given */
    out = ev_open(st, 100, 8, 42, "rel", O_RDONLY);
    ck_assert_str_eq(out.fd->name, "rel");
    out = ev_open(st, 100, 9, -100, "../../../..", O_RDONLY | O_DIRECTORY);
    ck_assert_str_eq(out.fd->name, "/");
    /* a failed open adds nothing */
    out = ev_open(st, 100, -2, -100, "missing", O_RDONLY);
    ck_assert_ptr_null(out.fd);
    ck_assert_uint_eq(state_nfds(st, state_thread(st, 100)), 10);
    /* open (not openat) and creat, with dev and ino */
    struct tev e;
    tev_init(&e, "creat", 100);
    tev_s(&e, "fd", 10);
    tev_str(&e, "name", "new.log");
    tev_u(&e, "ino", 77);
    out = tev_apply(st, &e);
    ck_assert_str_eq(out.fd->name, "/home/u/new.log");
    ck_assert_uint_eq(out.fd->open_flags, O_CREAT | O_WRONLY | O_TRUNC);
    ck_assert_uint_eq(out.fd->ino, 77);
    state_free(st);
}
END_TEST

START_TEST(close_seen_then_gone)
{
    struct state *st = state_with_shell(NULL);
    struct st_event out = ev_close(st, 100, 3);
    ck_assert_int_eq(out.fdnum, 3);
    ck_assert_ptr_nonnull(out.fd);
    ck_assert_str_eq(out.fd->name, "/etc/app.conf");
    ck_assert_ptr_nonnull(fd_of(st, 100, 3));
    ev_nop(st, 100);
    ck_assert_ptr_null(fd_of(st, 100, 3));
    /* a failed close leaves the fd */
    struct tev e;
    tev_init(&e, "close", 100);
    tev_s(&e, "res", -9);
    tev_s(&e, "fd", 2);
    tev_apply(st, &e);
    ev_nop(st, 100);
    ck_assert_ptr_nonnull(fd_of(st, 100, 2));
    /* the thread's exit right after a close */
    ev_close(st, 101, 2);
    ev_procexit(st, 101, 0);
    ck_assert_ptr_null(fd_of(st, 100, 2));
    state_free(st);
}
END_TEST

START_TEST(dup_family_and_fcntl)
{
    struct state *st = state_with_shell(NULL);
    struct tev e;
    tev_init(&e, "dup", 100);
    tev_s(&e, "res", 4);
    tev_s(&e, "oldfd", 3);
    struct st_event out = tev_apply(st, &e);
    ck_assert_int_eq(out.fdnum, 4);
    ck_assert_str_eq(out.fd->name, "/etc/app.conf");
    ck_assert_uint_eq(out.fd->open_flags & O_CLOEXEC, 0); /* dup clears it */
    /* dup2 onto an open fd replaces it */
    tev_init(&e, "dup2", 100);
    tev_s(&e, "res", 1);
    tev_s(&e, "oldfd", 3);
    tev_s(&e, "newfd", 1);
    tev_apply(st, &e);
    ck_assert_str_eq(fd_of(st, 100, 1)->name, "/etc/app.conf");
    ck_assert_uint_eq(state_nfds(st, state_thread(st, 100)), 5);
    /* dup3 with O_CLOEXEC */
    tev_init(&e, "dup3", 100);
    tev_s(&e, "res", 9);
    tev_s(&e, "oldfd", 0);
    tev_s(&e, "newfd", 9);
    tev_u(&e, "flags", O_CLOEXEC);
    tev_apply(st, &e);
    ck_assert_str_eq(fd_of(st, 100, 9)->name, "/dev/pts/0");
    ck_assert(fd_of(st, 100, 9)->open_flags & O_CLOEXEC);
    /* fcntl: F_DUPFD_CLOEXEC, then F_SETFD clearing it */
    tev_init(&e, "fcntl", 100);
    tev_s(&e, "res", 12);
    tev_s(&e, "fd", 0);
    tev_u(&e, "cmd", F_DUPFD_CLOEXEC);
    tev_u(&e, "arg", 10);
    tev_apply(st, &e);
    ck_assert(fd_of(st, 100, 12)->open_flags & O_CLOEXEC);
    tev_init(&e, "fcntl", 100);
    tev_s(&e, "res", 0);
    tev_s(&e, "fd", 12);
    tev_u(&e, "cmd", F_SETFD);
    tev_u(&e, "arg", 0);
    tev_apply(st, &e);
    ck_assert_uint_eq(fd_of(st, 100, 12)->open_flags & O_CLOEXEC, 0);
    tev_init(&e, "fcntl", 100);
    tev_s(&e, "res", 0);
    tev_s(&e, "fd", 12);
    tev_u(&e, "cmd", F_SETFD);
    tev_u(&e, "arg", FD_CLOEXEC);
    tev_apply(st, &e);
    ck_assert(fd_of(st, 100, 12)->open_flags & O_CLOEXEC);
    /* dup of an fd the state does not know adds nothing */
    tev_init(&e, "dup", 100);
    tev_s(&e, "res", 20);
    tev_s(&e, "oldfd", 19);
    tev_apply(st, &e);
    ck_assert_ptr_null(fd_of(st, 100, 20));
    state_free(st);
}
END_TEST

START_TEST(pipes)
{
    struct state *st = state_with_shell(NULL);
    struct tev e;
    tev_init(&e, "pipe2", 100);
    tev_s(&e, "res", 0);
    tev_s(&e, "fd1", 5);
    tev_s(&e, "fd2", 6);
    tev_u(&e, "ino", 4242);
    tev_u(&e, "flags", O_CLOEXEC);
    tev_apply(st, &e);
    for (int fd = 5; fd <= 6; fd++) {
        struct st_fd *f = fd_of(st, 100, fd);
        ck_assert_int_eq(f->type, ST_FD_PIPE);
        ck_assert_str_eq(f->name, ""); /* as libsinsp: a pipe(2) fd has no name */
        ck_assert_uint_eq(f->ino, 4242);
        ck_assert(f->open_flags & O_CLOEXEC);
    }
    state_free(st);
}
END_TEST

START_TEST(socket_connect)
{
    struct state *st = state_with_shell(NULL);
    struct tev e;
    tev_init(&e, "socket", 100);
    tev_s(&e, "fd", 4);
    tev_u(&e, "domain", AF_INET);
    tev_u(&e, "type", SOCK_STREAM | SOCK_CLOEXEC);
    struct st_event out = tev_apply(st, &e);
    ck_assert_int_eq(out.fd->type, ST_FD_IPV4);
    ck_assert(out.fd->open_flags & O_CLOEXEC);
    uint8_t tup[64];
    size_t n = tev_tuple4(tup, "10.0.0.1", 40000, "10.0.0.2", 80);
    tev_init(&e, "connect", 100);
    tev_s(&e, "res", 0);
    tev_s(&e, "fd", 4);
    tev_b(&e, "tuple", tup, n);
    out = tev_apply(st, &e);
    ck_assert_ptr_eq(out.fd, fd_of(st, 100, 4));
    ck_assert_str_eq(out.fd->name, "10.0.0.1:40000->10.0.0.2:80");
    ck_assert_int_eq(out.fd->role, ST_ROLE_CLIENT);
    ck_assert_int_eq(out.fd->tuple.l4proto, IPPROTO_TCP);
    ck_assert_int_eq(out.fd->tuple.sport, 40000);
    ck_assert_int_eq(out.fd->tuple.dport, 80);
    /* IPv6 (no brackets, as sysdig) and a non-blocking connect */
    tev_init(&e, "socket", 100);
    tev_s(&e, "fd", 5);
    tev_u(&e, "domain", AF_INET6);
    tev_u(&e, "type", SOCK_DGRAM);
    tev_apply(st, &e);
    n = tev_tuple6(tup, "::1", 5000, "2001:db8::1", 53);
    tev_init(&e, "connect", 100);
    tev_s(&e, "res", -115);
    tev_s(&e, "fd", 5);
    tev_b(&e, "tuple", tup, n);
    out = tev_apply(st, &e);
    ck_assert_str_eq(out.fd->name, "::1:5000->2001:db8::1:53");
    ck_assert_int_eq(out.fd->type, ST_FD_IPV6);
    ck_assert_int_eq(out.fd->tuple.l4proto, IPPROTO_UDP);
    /* a failed connect changes nothing */
    n = tev_tuple4(tup, "1.1.1.1", 1, "2.2.2.2", 2);
    tev_init(&e, "connect", 100);
    tev_s(&e, "res", -111);
    tev_s(&e, "fd", 4);
    tev_b(&e, "tuple", tup, n);
    tev_apply(st, &e);
    ck_assert_str_eq(fd_of(st, 100, 4)->name, "10.0.0.1:40000->10.0.0.2:80");
    state_free(st);
}
END_TEST

START_TEST(accept_server_end)
{
    struct state *st = state_with_shell(NULL);
    uint8_t tup[64];
    /* saker's tuple: the accepted socket's local end first */
    size_t n = tev_tuple4(tup, "10.0.0.2", 80, "10.0.0.9", 5555);
    struct tev e;
    tev_init(&e, "accept4", 100);
    tev_s(&e, "fd", 7);
    tev_b(&e, "tuple", tup, n);
    tev_u(&e, "flags", SOCK_CLOEXEC);
    struct st_event out = tev_apply(st, &e);
    ck_assert_int_eq(out.fdnum, 7);
    ck_assert_str_eq(out.fd->name, "10.0.0.9:5555->10.0.0.2:80");
    ck_assert_int_eq(out.fd->role, ST_ROLE_SERVER);
    ck_assert_int_eq(out.fd->type, ST_FD_IPV4);
    ck_assert(out.fd->open_flags & O_CLOEXEC);
    /* an IPv4-mapped IPv6 connection is an IPv4 one */
    n = tev_tuple6(tup, "::ffff:10.0.0.2", 80, "::ffff:10.0.0.3", 6000);
    tev_init(&e, "accept", 100);
    tev_s(&e, "fd", 8);
    tev_b(&e, "tuple", tup, n);
    out = tev_apply(st, &e);
    ck_assert_str_eq(out.fd->name, "10.0.0.3:6000->10.0.0.2:80");
    ck_assert_int_eq(out.fd->type, ST_FD_IPV4);
    /* unix: "srcid->dstid path" in hex */
    uint8_t ut[64] = { AF_UNIX };
    skr_store_u64(ut + 1, 0xabc);
    skr_store_u64(ut + 9, 0xdef);
    memcpy(ut + 17, "/run/x.sock", 11);
    tev_init(&e, "accept", 100);
    tev_s(&e, "fd", 9);
    tev_b(&e, "tuple", ut, 28);
    out = tev_apply(st, &e);
    ck_assert_str_eq(out.fd->name, "abc->def /run/x.sock");
    ck_assert_int_eq(out.fd->type, ST_FD_UNIX);
    /* bind: the address alone, a server once it has a port */
    tev_init(&e, "socket", 100);
    tev_s(&e, "fd", 10);
    tev_u(&e, "domain", AF_INET);
    tev_u(&e, "type", SOCK_STREAM);
    tev_apply(st, &e);
    uint8_t addr[7] = { AF_INET, 0, 0, 0, 0, 0x50, 0 }; /* 0.0.0.0:80 */
    tev_init(&e, "bind", 100);
    tev_s(&e, "res", 0);
    tev_s(&e, "fd", 10);
    tev_b(&e, "addr", addr, sizeof addr);
    out = tev_apply(st, &e);
    ck_assert_str_eq(fd_of(st, 100, 10)->name, "0.0.0.0:80");
    ck_assert_int_eq(fd_of(st, 100, 10)->role, ST_ROLE_SERVER);
    state_free(st);
}
END_TEST

START_TEST(sendto_fills_unknown_ends)
{
    struct state *st = state_with_shell(NULL);
    struct tev e;
    tev_init(&e, "socket", 100);
    tev_s(&e, "fd", 4);
    tev_u(&e, "domain", AF_INET);
    tev_u(&e, "type", SOCK_DGRAM);
    tev_apply(st, &e);
    uint8_t tup[64];
    size_t n = tev_tuple4(tup, "192.0.2.1", 3333, "192.0.2.53", 53);
    tev_init(&e, "sendto", 100);
    tev_s(&e, "res", 10);
    tev_s(&e, "fd", 4);
    tev_b(&e, "tuple", tup, n);
    struct st_event out = tev_apply(st, &e);
    ck_assert_ptr_eq(out.fd, fd_of(st, 100, 4));
    ck_assert_str_eq(out.fd->name, "192.0.2.1:3333->192.0.2.53:53");
    ck_assert_int_eq(out.fd->role, ST_ROLE_CLIENT);
    state_free(st);
}
END_TEST

START_TEST(memfd_and_anon)
{
    struct state *st = state_with_shell(NULL);
    struct tev e;
    tev_init(&e, "memfd_create", 100);
    tev_s(&e, "fd", 4);
    tev_str(&e, "name", "payload");
    tev_u(&e, "flags", 1);
    struct st_event out = tev_apply(st, &e);
    ck_assert_int_eq(out.fd->type, ST_FD_MEMFD);
    ck_assert_str_eq(out.fd->name, "payload");
    ck_assert(out.fd->open_flags & O_CLOEXEC);
    tev_init(&e, "bpf", 100);
    tev_s(&e, "fd", 5);
    tev_u(&e, "cmd", 5); /* BPF_PROG_LOAD */
    tev_apply(st, &e);
    ck_assert_int_eq(fd_of(st, 100, 5)->type, ST_FD_BPF);
    tev_init(&e, "bpf", 100);
    tev_s(&e, "fd", 0);
    tev_u(&e, "cmd", 2); /* BPF_MAP_UPDATE_ELEM returns 0, not an fd */
    tev_apply(st, &e);
    ck_assert_str_eq(fd_of(st, 100, 0)->name, "/dev/pts/0");
    tev_init(&e, "userfaultfd", 100);
    tev_s(&e, "res", 6);
    tev_apply(st, &e);
    ck_assert_int_eq(fd_of(st, 100, 6)->type, ST_FD_USERFAULTFD);
    state_free(st);
}
END_TEST

/* libsinsp does not follow renames or unlinks of open files (parsers.cpp
 * has no rename or unlink parser): the fd keeps its name. */
START_TEST(rename_unlink_keep_fd_name)
{
    struct state *st = state_with_shell(NULL);
    ev_open(st, 100, 4, -100, "a.txt", O_RDONLY);
    struct tev e;
    tev_init(&e, "renameat2", 100);
    tev_s(&e, "res", 0);
    tev_s(&e, "olddirfd", -100);
    tev_str(&e, "oldpath", "a.txt");
    tev_s(&e, "newdirfd", -100);
    tev_str(&e, "newpath", "b.txt");
    tev_apply(st, &e);
    ck_assert_str_eq(fd_of(st, 100, 4)->name, "/home/u/a.txt");
    tev_init(&e, "unlinkat", 100);
    tev_s(&e, "res", 0);
    tev_s(&e, "dirfd", -100);
    tev_str(&e, "name", "b.txt");
    tev_apply(st, &e);
    ck_assert_str_eq(fd_of(st, 100, 4)->name, "/home/u/a.txt");
    state_free(st);
}
END_TEST

START_TEST(chdir_fchdir)
{
    struct state *st = state_with_shell(NULL);
    struct tev e;
    tev_init(&e, "chdir", 100);
    tev_s(&e, "res", 0);
    tev_str(&e, "path", "../v/./w");
    tev_apply(st, &e);
    ck_assert_str_eq(state_thread(st, 100)->cwd, "/home/v/w/");
    ck_assert_str_eq(state_thread(st, 101)->cwd, "/home/v/w/"); /* threads share it */
    ck_assert_str_eq(ev_open(st, 100, 4, -100, "f", 0).fd->name, "/home/v/w/f");
    ev_open(st, 100, 5, -100, "/var/log", O_DIRECTORY);
    tev_init(&e, "fchdir", 101);
    tev_s(&e, "res", 0);
    tev_s(&e, "fd", 5);
    tev_apply(st, &e);
    ck_assert_str_eq(state_thread(st, 100)->cwd, "/var/log/");
    /* a failed chdir moves nothing */
    tev_init(&e, "chdir", 100);
    tev_s(&e, "res", -2);
    tev_str(&e, "path", "/nope");
    tev_apply(st, &e);
    ck_assert_str_eq(state_thread(st, 100)->cwd, "/var/log/");
    state_free(st);
}
END_TEST

/* A scap capture's fd table as libsinsp 0.9 reads it (add_fd_from_scap):
 * a unix socket is a server when named, else a client; a listening IP
 * socket has no role and is named by its address; the interface list is
 * kept for completing UDP ends. */
static void cp_scap_fd(struct skr_buf *b, int64_t fd, char type, unsigned scap_type,
                       const char *name, const uint8_t *tuple, size_t tlen, unsigned role)
{
    struct skr_buf r = { 0 };
    skr_put_field_s(&r, SKR_CPF_PID, 100);
    skr_put_field_s(&r, SKR_CPF_FD, fd);
    skr_put_field_u(&r, SKR_CPF_TYPE, (uint8_t)type);
    skr_put_field_u(&r, SKR_CPF_SCAP_TYPE, scap_type);
    if (name)
        skr_put_field_str(&r, SKR_CPF_NAME, name);
    if (tuple)
        skr_put_field_bytes(&r, SKR_CPF_TUPLE, tuple, tlen);
    if (role)
        skr_put_field_u(&r, SKR_CPF_ROLE, role);
    skr_put_field_bytes(b, SKR_CP_FD, r.data, r.len);
    skr_buf_free(&r);
}

START_TEST(scap_table_sockets)
{
    struct state *st = state_new(NULL);
    struct skr_buf b = { 0 };
    cp_thread(&b, 100, 100, 1, "dockerd", "/");
    uint8_t ut[17] = { 1 };
    cp_scap_fd(&b, 5, 'u', 8, "/var/run/docker.sock", ut, sizeof ut, 0);
    cp_scap_fd(&b, 6, 'u', 8, "", ut, sizeof ut, 0);
    uint8_t tup[64];
    size_t n = tev_tuple4(tup, "0.0.0.0", 0, "0.0.0.0", 55441);
    cp_scap_fd(&b, 7, '4', 5, NULL, tup, n, ST_ROLE_SERVER);
    n = tev_tuple4(tup, "10.0.0.1", 40000, "10.0.0.2", 80);
    cp_scap_fd(&b, 8, '4', 3, NULL, tup, n, 0);
    struct skr_buf r = { 0 };
    uint8_t lo[4] = { 127, 0, 0, 1 }, mask[4] = { 255 };
    skr_put_field_str(&r, SKR_CPI_NAME, "lo");
    skr_put_field_u(&r, SKR_CPI_FAMILY, AF_INET);
    skr_put_field_bytes(&r, SKR_CPI_ADDR, lo, 4);
    skr_put_field_bytes(&r, SKR_CPI_NETMASK, mask, 4);
    skr_put_field_bytes(&b, SKR_CP_IFACE, r.data, r.len);
    skr_buf_free(&r);
    char err[256];
    ck_assert_int_eq(state_load_checkpoint(st, b.data, b.len, true, err, sizeof err), 0);
    skr_buf_free(&b);
    ck_assert_int_eq(fd_of(st, 100, 5)->role, ST_ROLE_SERVER);
    ck_assert_int_eq(fd_of(st, 100, 6)->role, ST_ROLE_CLIENT);
    struct st_fd *ls = fd_of(st, 100, 7);
    ck_assert_int_eq(ls->role, ST_ROLE_NONE);
    ck_assert_str_eq(ls->name, "0.0.0.0:55441");
    ck_assert_int_eq(ls->tuple.dport, 55441);
    ck_assert_int_eq(fd_of(st, 100, 8)->role, ST_ROLE_CLIENT);
    ck_assert_str_eq(fd_of(st, 100, 8)->name, "10.0.0.1:40000->10.0.0.2:80");
    ck_assert_uint_eq(st->nifaces, 1);
    ck_assert_int_eq(st->ifaces[0].family, AF_INET);
    ck_assert_int_eq(memcmp(st->ifaces[0].addr, lo, 4), 0);
    state_free(st);
}
END_TEST

static void count_fd(void *ctx, const struct st_fd *fd)
{
    int64_t *last = ctx;
    ck_assert_int_gt(fd->num, *last); /* in fd order */
    *last = fd->num;
}

START_TEST(foreach_fd_in_order)
{
    struct state *st = state_with_shell(NULL);
    ev_open(st, 100, 40, -100, "x", 0);
    ev_open(st, 100, 7, -100, "y", 0);
    int64_t last = -1;
    state_foreach_fd(st, state_thread(st, 100), count_fd, &last);
    ck_assert_int_eq(last, 40);
    state_free(st);
}
END_TEST

Suite *state_fd_suite(void)
{
    Suite *s = suite_create("state_fd");
    TCase *tc = tcase_create("fds");
    tcase_add_test(tc, open_paths);
    tcase_add_test(tc, close_seen_then_gone);
    tcase_add_test(tc, dup_family_and_fcntl);
    tcase_add_test(tc, pipes);
    tcase_add_test(tc, socket_connect);
    tcase_add_test(tc, accept_server_end);
    tcase_add_test(tc, sendto_fills_unknown_ends);
    tcase_add_test(tc, memfd_and_anon);
    tcase_add_test(tc, rename_unlink_keep_fd_name);
    tcase_add_test(tc, chdir_fchdir);
    tcase_add_test(tc, foreach_fd_in_order);
    tcase_add_test(tc, scap_table_sockets);
    suite_add_tcase(s, tc);
    return s;
}
