/* test_procfs.c -- the recorder's /proc checkpoint (capture/procfs.h,
 * man/saker-trace.5 §8) on the real /proc: the snapshot must describe this
 * test process and a second thread of it, and the descriptors it opened:
 * a file, a directory, pipes, anonymous inodes, a memfd, TCP (client,
 * accepted, listening), UDP and unix sockets with their tuples and roles,
 * and sockets no table lists yet. Registers the procfs suite; the fake
 * tree cases are test_procfs_fake.c's. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "../../reader/format.h"
#include "suites.h"
#include "testprocfs.h"

/* ---- the real /proc ---- */

static int thread_pipe[2];
static pid_t thread_tid;

static void *sleeper(void *arg)
{
    (void)arg;
    thread_tid = (pid_t)syscall(SYS_gettid);
    char c;
    while (read(thread_pipe[0], &c, 1) < 0 && errno == EINTR)
        ;
    return NULL;
}

static void readlink_self(const char *name, char *out, size_t n)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/%s", name);
    ssize_t k = readlink(path, out, n - 1);
    CHECK(k > 0, "readlink %s: %s", path, strerror(errno));
    out[k] = '\0';
}

static uint16_t local_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
    return ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                         : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

START_TEST(real_proc)
{
    /* A second thread, blocked until the snapshot is taken. */
    ck_assert_int_eq(pipe(thread_pipe), 0);
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, sleeper, NULL), 0);
    while (!__atomic_load_n(&thread_tid, __ATOMIC_SEQ_CST))
        usleep(1000);

    char path[256], real[PATH_MAX], dir[256];
    tmp_path(path, sizeof path, "procfs-open.txt");
    spit(path, "x", 1);
    CHECK(realpath(path, real), "realpath %s", path);
    int file = open(path, O_RDONLY);
    tmp_path(dir, sizeof dir, "");
    int dirfd_ = open(dir, O_RDONLY | O_DIRECTORY);
    int pfd[2];
    ck_assert_int_eq(pipe(pfd), 0);
    int efd = eventfd(0, 0), ep = epoll_create1(0), in = inotify_init();
    int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR2);
    int sfd = signalfd(-1, &mask, 0);
    int mfd = memfd_create("procfs-test", 0);
    int up[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, up), 0);
    CHECK(file >= 0 && dirfd_ >= 0 && efd >= 0 && ep >= 0 && in >= 0 && tfd >= 0 && sfd >= 0 &&
          mfd >= 0, "opening the test descriptors: %s", strerror(errno));

    /* TCP: a listener on 127.0.0.1, a client connected to it, the
     * accepted end. UDP: a socket connected to the listener's port. */
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int lis = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_eq(bind(lis, (struct sockaddr *)&sa, sizeof sa), 0);
    ck_assert_int_eq(listen(lis, 4), 0);
    uint16_t lport = local_port(lis);
    sa.sin_port = htons(lport);
    int cli = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_eq(connect(cli, (struct sockaddr *)&sa, sizeof sa), 0);
    int acc = accept(lis, NULL, NULL);
    ck_assert_int_ge(acc, 0);
    uint16_t cport = local_port(cli);
    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    ck_assert_int_eq(connect(udp, (struct sockaddr *)&sa, sizeof sa), 0);
    uint16_t uport = local_port(udp);

    /* TCP over IPv6 loopback, when the kernel has IPv6. */
    struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    int lis6 = socket(AF_INET6, SOCK_STREAM, 0), cli6 = -1;
    if (lis6 >= 0 && bind(lis6, (struct sockaddr *)&sa6, sizeof sa6) == 0 && listen(lis6, 4) == 0) {
        sa6.sin6_port = htons(local_port(lis6));
        cli6 = socket(AF_INET6, SOCK_STREAM, 0);
        ck_assert_int_eq(connect(cli6, (struct sockaddr *)&sa6, sizeof sa6), 0);
    }

    /* Sockets no table lists yet: typed from their protocol name. */
    int bare4 = socket(AF_INET, SOCK_STREAM, 0);
    int bare6 = socket(AF_INET6, SOCK_DGRAM, 0);
    int nl = socket(AF_NETLINK, SOCK_RAW, 0);

    struct pt_snap s;
    pt_snapshot(&s, NULL, NULL);
    pid_t me = getpid();

    /* This process's leader thread. */
    const struct pt_rec *t = pt_thread(&s, me);
    CHECK(t, "no THREAD record for pid %d", (int)me);
    char want[PATH_MAX], comm[64];
    ck_assert_int_eq(pt_s(t, SKR_CPT_PID), me);
    ck_assert_int_eq(pt_s(t, SKR_CPT_PPID), getppid());
    int cfd = open("/proc/self/comm", O_RDONLY);
    ssize_t k = read(cfd, comm, sizeof comm - 1);
    close(cfd);
    ck_assert_int_gt(k, 1);
    comm[k - 1] = '\0'; /* the newline */
    CHECK_STR(t, SKR_CPT_COMM, 0, comm);
    readlink_self("exe", want, sizeof want);
    CHECK_STR(t, SKR_CPT_EXEPATH, 0, want);
    CHECK(getcwd(want, sizeof want), "getcwd");
    CHECK_STR(t, SKR_CPT_CWD, 0, want);
    ck_assert_uint_eq(pt_u(t, SKR_CPT_UID), getuid());
    ck_assert_uint_eq(pt_u(t, SKR_CPT_EUID), geteuid());
    ck_assert_uint_eq(pt_u(t, SKR_CPT_GID), getgid());
    ck_assert_int_eq(pt_s(t, SKR_CPT_SID), getsid(0));
    ck_assert_int_eq(pt_s(t, SKR_CPT_PGID), getpgrp());
    ck_assert_uint_gt(pt_u(t, SKR_CPT_START_NS), 0);
    CHECK(pt_has(t, SKR_CPT_EXE) && pt_nfields(t, SKR_CPT_CGROUP) > 0, "EXE or CGROUP missing");
    CHECK(pt_nfields(t, SKR_CPT_ENV) > 0, "no ENV for the leader");

    /* The second thread: its identity, not the process-wide fields. */
    const struct pt_rec *t2 = pt_thread(&s, thread_tid);
    CHECK(t2, "no THREAD record for tid %d", (int)thread_tid);
    ck_assert_int_eq(pt_s(t2, SKR_CPT_PID), me);
    CHECK(!pt_has(t2, SKR_CPT_ENV) && !pt_has(t2, SKR_CPT_CWD) && pt_has(t2, SKR_CPT_COMM),
          "thread record fields");

    /* Files, directories, pipes, anonymous inodes. */
    const struct pt_rec *f = pt_fd(&s, me, file);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), 'f');
    CHECK_STR(f, SKR_CPF_NAME, 0, real);
    struct stat sb;
    ck_assert_int_eq(stat(real, &sb), 0);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_INO), sb.st_ino);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_DEV), sb.st_dev);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_FLAGS) & O_ACCMODE, O_RDONLY);
    ck_assert_uint_eq(pt_u(pt_fd(&s, me, dirfd_), SKR_CPF_TYPE), 'd');
    ck_assert_uint_eq(pt_u(pt_fd(&s, me, pfd[0]), SKR_CPF_TYPE), 'p');
    ck_assert_uint_eq(pt_u(pt_fd(&s, me, pfd[1]), SKR_CPF_TYPE), 'p');
    ck_assert_uint_eq(pt_u(pt_fd(&s, me, pfd[1]), SKR_CPF_FLAGS) & O_ACCMODE, O_WRONLY);
    ck_assert_uint_eq(pt_u(pt_fd(&s, me, efd), SKR_CPF_TYPE), 'e');
    ck_assert_uint_eq(pt_u(pt_fd(&s, me, ep), SKR_CPF_TYPE), 'l');
    ck_assert_uint_eq(pt_u(pt_fd(&s, me, in), SKR_CPF_TYPE), 'i');
    ck_assert_uint_eq(pt_u(pt_fd(&s, me, tfd), SKR_CPF_TYPE), 't');
    ck_assert_uint_eq(pt_u(pt_fd(&s, me, sfd), SKR_CPF_TYPE), 's');
    ck_assert_uint_eq(pt_u(pt_fd(&s, me, mfd), SKR_CPF_TYPE), 'm');

    /* Sockets. */
    uint32_t lo = htonl(INADDR_LOOPBACK);
    char name[96];
    f = pt_fd(&s, me, cli);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), '4');
    ck_assert_uint_eq(pt_u(f, SKR_CPF_ROLE), 1);
    pt_want_tuple4(f, lo, cport, lo, lport);
    snprintf(name, sizeof name, "127.0.0.1:%u->127.0.0.1:%u", cport, lport);
    CHECK_STR(f, SKR_CPF_NAME, 0, name);
    f = pt_fd(&s, me, acc);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), '4');
    ck_assert_uint_eq(pt_u(f, SKR_CPF_ROLE), 2);
    pt_want_tuple4(f, lo, cport, lo, lport); /* src is the client end */
    CHECK_STR(f, SKR_CPF_NAME, 0, name);
    f = pt_fd(&s, me, lis);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), '4');
    ck_assert_uint_eq(pt_u(f, SKR_CPF_ROLE), 2);
    pt_want_tuple4(f, 0, 0, lo, lport);
    snprintf(name, sizeof name, "127.0.0.1:%u", lport);
    CHECK_STR(f, SKR_CPF_NAME, 0, name);
    f = pt_fd(&s, me, udp);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), '4');
    ck_assert_uint_eq(pt_u(f, SKR_CPF_ROLE), 1);
    pt_want_tuple4(f, lo, uport, lo, lport);
    f = pt_fd(&s, me, up[0]);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), 'u');
    ck_assert_uint_eq(pt_u(f, SKR_CPF_ROLE), 1);
    struct skr_field tf;
    CHECK(pt_field(f, SKR_CPF_TUPLE, 0, &tf) && tf.len == 17 && tf.ptr[0] == AF_UNIX, "unix tuple");

    if (cli6 >= 0) {
        f = pt_fd(&s, me, cli6);
        ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), '6');
        ck_assert_uint_eq(pt_u(f, SKR_CPF_ROLE), 1);
        snprintf(name, sizeof name, "[::1]:%u->[::1]:%u", local_port(cli6), ntohs(sa6.sin6_port));
        CHECK_STR(f, SKR_CPF_NAME, 0, name);
        CHECK(pt_field(f, SKR_CPF_TUPLE, 0, &tf) && tf.len == 37 && tf.ptr[0] == AF_INET6 &&
              !memcmp(tf.ptr + 1, &in6addr_loopback, 16) &&
              !memcmp(tf.ptr + 19, &in6addr_loopback, 16),
              "IPv6 tuple");
        ck_assert_uint_eq(tf.ptr[35] | tf.ptr[36] << 8, ntohs(sa6.sin6_port));
        ck_assert_uint_eq(pt_u(pt_fd(&s, me, lis6), SKR_CPF_ROLE), 2);
    }
    f = pt_fd(&s, me, bare4);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), '4');
    CHECK(!pt_has(f, SKR_CPF_TUPLE) && !pt_has(f, SKR_CPF_ROLE),
          "an unbound socket has an address");
    if (bare6 >= 0) /* a kernel without IPv6 */
        ck_assert_uint_eq(pt_u(pt_fd(&s, me, bare6), SKR_CPF_TYPE), '6');
    if (nl >= 0)
        ck_assert_uint_eq(pt_u(pt_fd(&s, me, nl), SKR_CPF_TYPE), 'n');

    ck_assert_uint_ge(s.st.processes, 1);
    ck_assert_uint_ge(s.st.threads, 2);
    ck_assert_uint_ge(s.st.sockets, 6);
    ck_assert_uint_ge(s.st.tuples, 6);
    ck_assert_uint_ge(s.st.netns, 1);
    ck_assert_uint_eq(pt_count(&s, SKR_CP_THREAD), s.st.threads);
    ck_assert_uint_eq(pt_count(&s, SKR_CP_FD), s.st.fds);
    ck_assert_uint_eq(pt_count(&s, SKR_CP_USER), s.st.users);

    CHECK(write(thread_pipe[1], "x", 1) == 1, "waking the thread");
    pthread_join(th, NULL);
    pt_free(&s);
}
END_TEST

Suite *procfs_suite(void)
{
    Suite *s = suite_create("procfs");
    TCase *tc = tcase_create("real");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, real_proc);
    suite_add_tcase(s, tc);
    procfs_fake_cases(s);
    return s;
}
