/* test_procfs_fake.c -- the procfs snapshot (capture/procfs.h) of a fake
 * proc tree and etc directory built under the scratch directory: every
 * field of a process with an odd comm, threads that vanished, each kind of
 * descriptor and of socket table line, the container id of each runtime's
 * cgroup path, cmdline and environ at their limit and one byte over,
 * broken stat lines, passwd and group files with bad and over-long lines;
 * then allocation failure at every allocation, and a root that is not
 * there. The counts in procfs_stats are checked exactly. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../reader/format.h"
#include "suites.h"
#include "testprocfs.h"

static char fake[256]; /* the root of the tree being built */

static void mkdirs(const char *path)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s", path);
    for (char *c = p + 1; *c; c++) {
        if (*c != '/')
            continue;
        *c = '\0';
        CHECK(mkdir(p, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", p, strerror(errno));
        *c = '/';
    }
    CHECK(mkdir(p, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", p, strerror(errno));
}

static const char *at(const char *rel)
{
    static char slots[4][PATH_MAX];
    static int next;
    char *p = slots[next++ % 4];
    snprintf(p, PATH_MAX, "%s/%s", fake, rel);
    return p;
}

static void parent_dirs(const char *path)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s", path);
    char *slash = strrchr(p, '/');
    *slash = '\0';
    mkdirs(p);
}

static void put_file(const char *rel, const void *data, size_t n)
{
    const char *p = at(rel);
    parent_dirs(p);
    spit(p, data, n);
}

static void put_text(const char *rel, const char *text) { put_file(rel, text, strlen(text)); }

static void put_link(const char *rel, const char *target)
{
    const char *p = at(rel);
    parent_dirs(p);
    CHECK(symlink(target, p) == 0, "symlink %s: %s", p, strerror(errno));
}

static void put_stat(const char *dir, int pid, const char *comm, int ppid, unsigned flags,
                     unsigned long long start)
{
    char rel[128], text[512];
    snprintf(rel, sizeof rel, "%s/stat", dir);
    snprintf(text, sizeof text,
             "%d (%s) S %d %d %d 34817 -1 %u 0 0 0 0 0 0 0 0 20 0 1 0 %llu 1000 100\n", pid,
             comm, ppid, pid, pid, flags, start);
    put_text(rel, text);
}

static void put_status(const char *dir, int ppid, const char *ids, const char *ns)
{
    char rel[128], text[512];
    snprintf(rel, sizeof rel, "%s/status", dir);
    snprintf(text, sizeof text,
             "Name:\tignored\nState:\tS (sleeping)\nPPid:\t%d\nTracerPid:\t0\n%s%s"
             "Groups:\t4 24 27\n",
             ppid, ids, ns);
    put_text(rel, text);
}

/* A process with only what every process needs, and its cgroup file. */
static void put_plain(int pid, const char *cgroup)
{
    char dir[32], rel[64];
    snprintf(dir, sizeof dir, "proc/%d", pid);
    put_stat(dir, pid, "plain", 1, 0, 100);
    put_status(dir, 1, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n", "");
    if (cgroup) {
        snprintf(rel, sizeof rel, "%s/cgroup", dir);
        put_text(rel, cgroup);
    }
}

#define HEX64A "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define HEX64B "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
#define HEX64C "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"
#define HEX64D "d00dfeedd00dfeedd00dfeedd00dfeedd00dfeedd00dfeedd00dfeedd00dfeed"
#define HEX64E "e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff00"
#define HEX64F "f00000000000000000000000000000000000000000000000000000000000000f"

static void build_fake(const char *name)
{
    tmp_path(fake, sizeof fake, name);
    mkdirs(fake);
    char dirpath[PATH_MAX];
    snprintf(dirpath, sizeof dirpath, "%s/adir", fake);
    mkdirs(dirpath);

    /* pid 100: comm "a) b", two threads and one that vanished, every
     * kind of descriptor. */
    put_stat("proc/100", 100, "a) b", 1, 0x400100, 12345);
    put_status("proc/100", 1, "Uid:\t1000\t1001\t1000\t1000\nGid:\t2000\t2001\t2000\t2000\n",
               "NStgid:\t100\t5\nNSpid:\t100\t5\nNSpgid:\t100\t5\nNSsid:\t100\t5\n");
    put_file("proc/100/cmdline", "prog\0-x\0arg two\0", 16);
    put_file("proc/100/environ", "A=1\0B=2\0", 8);
    put_link("proc/100/exe", "/usr/bin/prog (deleted)");
    put_link("proc/100/cwd", "/home/u dir");
    put_text("proc/100/loginuid", "1000\n");
    put_text("proc/100/cgroup", "0::/system.slice/docker-" HEX64A ".scope\n");
    put_stat("proc/100/task/100", 100, "a) b", 1, 0x400100, 12345);
    put_status("proc/100/task/100", 1, "", "");
    put_stat("proc/100/task/101", 101, "worker", 1, 0x40, 12400);
    put_status("proc/100/task/101", 1,
               "Uid:\t1000\t1001\t1000\t1000\nGid:\t2000\t2001\t2000\t2000\n",
               "NStgid:\t100\t5\nNSpid:\t101\t6\n");
    mkdirs(at("proc/100/task/102")); /* vanished */
    put_text("proc/100/task/x/stat", "not a thread");
    static const struct { int fd; const char *target; } fds[] = {
        { 0, "/dev/null" }, { 2, "/nonexistent/file (deleted)" },
        { 3, "socket:[5001]" }, { 4, "socket:[5002]" }, { 5, "socket:[5003]" },
        { 6, "pipe:[77]" }, { 7, "anon_inode:[eventfd]" }, { 8, "anon_inode:inotify" },
        { 9, "socket:[5005]" }, { 10, "socket:[5006]" }, { 11, "/memfd:buf (deleted)" },
        { 12, "socket:[9999]" }, { 13, "socket:[5008]" }, { 14, "anon_inode:bpf-map" },
        { 15, "anon_inode:[timerfd]" }, { 16, "anon_inode:[eventpoll]" },
        { 17, "anon_inode:[signalfd]" }, { 18, "net:[4026531840]" }, { 19, "socket:[5004]" },
        { 20, "socket:[5007]" }, { 21, "socket:[5009]" },
    };
    char rel[64];
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        snprintf(rel, sizeof rel, "proc/100/fd/%d", fds[i].fd);
        put_link(rel, fds[i].target);
    }
    put_link("proc/100/fd/1", dirpath);
    put_link("proc/100/fd/x", "/dev/null");
    put_text("proc/100/fdinfo/0", "pos:\t0\nflags:\tzz\n");
    put_text("proc/100/fdinfo/1", "pos:\t0\nflags:\t0200000\nmnt_id:\t1\n");
    put_text("proc/100/fdinfo/3", "pos:\t0\nflags:\t02\nmnt_id:\t9\nino:\t5001\n");

    /* The network tables of the (only) namespace. */
    put_text("proc/net/tcp",
             "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
             "   0: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5002 1 0 100 0 0 10 0\n"
             "   1: 0100007F:D431 0100007F:0050 01 00000000:00000000 00:00000000 00000000  1000        0 5001 1 0 20 4 30 10 -1\n"
             "   2: 0100007F:0050 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 5003 1 0 20 4 30 10 -1\n"
             "   3: this line is garbage\n"
             "   4: 0100007F:0050 0100007F:D432 06 00000000:00000000 03:00000000 00000000     0        0 0 3 0\n"
             "   5: 0100007F:1F90 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5009 1 0\n");
    put_text("proc/net/tcp6",
             "  sl  local_address                         remote_address                        st\n"
             "   0: 00000000000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5004 1 0\n"
             "   1: 0000000000000000000000000100000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5010 1 0\n");
    put_text("proc/net/udp",
             "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
             "  1: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5007 2 0 0\n");
    put_text("proc/net/unix",
             "Num       RefCount Protocol Flags    Type St Inode Path\n"
             "0000000000000000: 00000002 00000000 00010000 0001 01 5005 /run/my sock.sock\n"
             "0000000000000000: 00000003 00000000 00000000 0001 03 5008\n");
    put_text("proc/net/netlink",
             "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
             "0000000000000000 0   1234       00000000 0        0        0     2        0        5006\n");

    /* Odd processes. */
    put_text("proc/200/stat", "200 (x S 1 2 3"); /* no ')': malformed */
    mkdirs(at("proc/300"));                        /* vanished */
    put_plain(400, "12:memory:/kubepods/besteffort/pod0a1b2c3d-0000-1111-2222-333344445555/"
                   HEX64B "\n0::/\n");
    put_plain(500, "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/"
                   "crio-" HEX64C ".scope\n");
    put_plain(600, "0::/machine.slice/libpod-" HEX64D ".scope/container\n");
    put_plain(700, "0::/kubepods.slice/kubepods-pod2.slice/cri-containerd-" HEX64E ".scope\n");
    put_plain(800, "4:cpu,cpuacct:/docker/" HEX64F "\n1:name=systemd:/docker/" HEX64F "\n");
    put_plain(900, "0::/system.slice/crio-conmon-" HEX64C ".scope\n"
                   "1:name=systemd:/docker-0123.scope\n");
    put_plain(901, "0::/system.slice/docker-" HEX64A ".scope\n");
    put_plain(902, "0::/user.slice/" HEX64A "\n"); /* a bare id, but no runtime says so */
    put_plain(903, "garbage without colons\n::\n");

    /* cmdline and environ at their limit and one byte over. */
    static char big[PROCFS_ARGS_MAX + 2];
    for (int over = 0; over <= 1; over++) {
        char dir[32];
        snprintf(dir, sizeof dir, "proc/%d", 1000 + over);
        put_plain(1000 + over, NULL);
        size_t n = PROCFS_ARGS_MAX + (size_t)over;
        memset(big, 'a', n);
        memcpy(big, "p", 2);
        big[n - 1] = '\0';
        snprintf(rel, sizeof rel, "%s/cmdline", dir);
        put_file(rel, big, n);
        memset(big, 'v', n);
        memcpy(big, "E=", 2);
        big[n - 1] = '\0';
        snprintf(rel, sizeof rel, "%s/environ", dir);
        put_file(rel, big, n);
    }

    /* stat only, with parentheses and a space in comm. */
    put_stat("proc/1100", 1100, "(x)) (y", 0, 0, 0);
    put_text("proc/1200/stat", "1200 (short) S 1 2 3 4 5 6\n");    /* too few fields */
    /* ppid "x" */
    put_text("proc/1300/stat", "1300 (num) S x 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5\n");

    /* Entries that are not processes. */
    mkdirs(at("proc/self"));
    mkdirs(at("proc/99999999999"));
    put_text("proc/sys", "");

    /* passwd and group. */
    static char line[PROCFS_LINE_MAX + 100];
    memset(line, 'g', sizeof line - 1);
    line[sizeof line - 1] = '\0';
    char *pw = malloc(sizeof line + 1024);
    snprintf(pw, sizeof line + 1024,
             "root:x:0:0:root:/root:/bin/bash\n"
             "# a comment\n"
             "toor:x:0:0::/toor:/bin/sh\n"
             "bad:x:abc:0::/:/bin/sh\n"
             "short:x:5\n"
             "+nis\n"
             "\n"
             "u:x:1000:1000:U,,,:/home/u:\n"
             "long:x:7:7::/home/long:/bin/%s\n"
             "over:x:4294967296:1::/:/x\n"
             ":x:8:8::/:/x\n"
             "last:x:4294967295:1::/:/bin/false",
             line);
    put_text("etc/passwd", pw);
    snprintf(pw, sizeof line + 1024,
             "root:x:0:\n"
             "big:x:77:%s\n"
             "wheel:x:10:root,u\n"
             "dup:x:10:\n"
             "nogid:x::\n",
             line);
    put_text("etc/group", pw);
    free(pw);
}

START_TEST(fake_tree)
{
    build_fake("fake1");
    struct pt_snap s;
    char proc[PATH_MAX], etc[PATH_MAX];
    snprintf(proc, sizeof proc, "%s/proc", fake);
    snprintf(etc, sizeof etc, "%s/etc", fake);
    pt_snapshot(&s, proc, etc);

    /* pid 100, the leader. */
    const struct pt_rec *t = pt_thread(&s, 100);
    CHECK(t, "no thread 100");
    ck_assert_int_eq(pt_s(t, SKR_CPT_PID), 100);
    ck_assert_int_eq(pt_s(t, SKR_CPT_PPID), 1);
    ck_assert_int_eq(pt_s(t, SKR_CPT_VTID), 5);
    ck_assert_int_eq(pt_s(t, SKR_CPT_VPID), 5);
    ck_assert_int_eq(pt_s(t, SKR_CPT_VPGID), 5);
    CHECK_STR(t, SKR_CPT_COMM, 0, "a) b");
    CHECK_STR(t, SKR_CPT_EXE, 0, "prog");
    CHECK_STR(t, SKR_CPT_EXEPATH, 0, "/usr/bin/prog (deleted)");
    ck_assert_int_eq(pt_nfields(t, SKR_CPT_ARG), 2);
    CHECK_STR(t, SKR_CPT_ARG, 0, "-x");
    CHECK_STR(t, SKR_CPT_ARG, 1, "arg two");
    CHECK_STR(t, SKR_CPT_CWD, 0, "/home/u dir");
    ck_assert_int_eq(pt_nfields(t, SKR_CPT_ENV), 2);
    CHECK_STR(t, SKR_CPT_ENV, 0, "A=1");
    CHECK_STR(t, SKR_CPT_ENV, 1, "B=2");
    ck_assert_uint_eq(pt_u(t, SKR_CPT_UID), 1000);
    ck_assert_uint_eq(pt_u(t, SKR_CPT_EUID), 1001);
    ck_assert_uint_eq(pt_u(t, SKR_CPT_GID), 2000);
    ck_assert_uint_eq(pt_u(t, SKR_CPT_EGID), 2001);
    ck_assert_uint_eq(pt_u(t, SKR_CPT_LOGINUID), 1000);
    ck_assert_uint_eq(pt_u(t, SKR_CPT_TTY), 34817);
    long hz = sysconf(_SC_CLK_TCK);
    ck_assert_uint_eq(pt_u(t, SKR_CPT_START_NS), 12345ull * 1000000000ull / (unsigned long long)hz);
    ck_assert_int_eq(pt_nfields(t, SKR_CPT_CGROUP), 1);
    CHECK_STR(t, SKR_CPT_CGROUP, 0, "=/system.slice/docker-" HEX64A ".scope");
    CHECK_STR(t, SKR_CPT_CONTAINER_ID, 0, "0123456789ab");
    ck_assert_int_eq(pt_s(t, SKR_CPT_SID), 100);
    ck_assert_int_eq(pt_s(t, SKR_CPT_PGID), 100);
    ck_assert_uint_eq(pt_u(t, SKR_CPT_FLAGS), 0x400100);

    /* Its other thread; 102 vanished, "x" is no thread. */
    const struct pt_rec *t2 = pt_thread(&s, 101);
    CHECK(t2, "no thread 101");
    ck_assert_int_eq(pt_s(t2, SKR_CPT_PID), 100);
    ck_assert_int_eq(pt_s(t2, SKR_CPT_VTID), 6);
    ck_assert_int_eq(pt_s(t2, SKR_CPT_VPID), 5);
    CHECK_STR(t2, SKR_CPT_COMM, 0, "worker");
    ck_assert_uint_eq(pt_u(t2, SKR_CPT_EUID), 1001);
    ck_assert_uint_eq(pt_u(t2, SKR_CPT_FLAGS), 0x40);
    CHECK(!pt_has(t2, SKR_CPT_EXE) && !pt_has(t2, SKR_CPT_ENV) && !pt_has(t2, SKR_CPT_CONTAINER_ID),
          "process-wide fields in a thread record");
    CHECK(!pt_thread(&s, 102), "a vanished thread was recorded");
    ck_assert_uint_eq(s.st.threads_skipped, 1);

    /* Descriptors. */
    const struct pt_rec *f = pt_fd(&s, 100, 0);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), 'f');
    CHECK_STR(f, SKR_CPF_NAME, 0, "/dev/null");
    CHECK(!pt_has(f, SKR_CPF_FLAGS) && pt_has(f, SKR_CPF_INO) && pt_has(f, SKR_CPF_DEV),
          "fd 0 fields");
    f = pt_fd(&s, 100, 1);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), 'd');
    ck_assert_uint_eq(pt_u(f, SKR_CPF_FLAGS), 0200000);
    f = pt_fd(&s, 100, 2);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), 'f');
    CHECK_STR(f, SKR_CPF_NAME, 0, "/nonexistent/file (deleted)");
    CHECK(!pt_has(f, SKR_CPF_INO) && !pt_has(f, SKR_CPF_DEV),
          "a file that is not there has no inode");

    uint32_t lo = htonl(INADDR_LOOPBACK);
    f = pt_fd(&s, 100, 3);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), '4');
    CHECK_STR(f, SKR_CPF_NAME, 0, "127.0.0.1:54321->127.0.0.1:80");
    ck_assert_uint_eq(pt_u(f, SKR_CPF_FLAGS), 2);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_INO), 5001);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_ROLE), 1);
    pt_want_tuple4(f, lo, 54321, lo, 80);
    f = pt_fd(&s, 100, 4);
    CHECK_STR(f, SKR_CPF_NAME, 0, "127.0.0.1:80");
    ck_assert_uint_eq(pt_u(f, SKR_CPF_ROLE), 2);
    pt_want_tuple4(f, 0, 0, lo, 80);
    f = pt_fd(&s, 100, 5);
    CHECK_STR(f, SKR_CPF_NAME, 0, "127.0.0.1:54321->127.0.0.1:80");
    ck_assert_uint_eq(pt_u(f, SKR_CPF_ROLE), 2);
    pt_want_tuple4(f, lo, 54321, lo, 80);
    f = pt_fd(&s, 100, 19);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), '6');
    CHECK_STR(f, SKR_CPF_NAME, 0, "[::1]:443");
    ck_assert_uint_eq(pt_u(f, SKR_CPF_ROLE), 2);
    struct skr_field tf;
    CHECK(pt_field(f, SKR_CPF_TUPLE, 0, &tf) && tf.len == 37 && tf.ptr[0] == AF_INET6, "v6 tuple");
    static const uint8_t v6lo[16] = { [15] = 1 };
    ck_assert_mem_eq(tf.ptr + 19, v6lo, 16);
    ck_assert_uint_eq(tf.ptr[35] | tf.ptr[36] << 8, 443);
    f = pt_fd(&s, 100, 20);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), '4');
    CHECK_STR(f, SKR_CPF_NAME, 0, "0.0.0.0:53");
    CHECK(!pt_has(f, SKR_CPF_ROLE), "an unconnected UDP socket has no role");
    f = pt_fd(&s, 100, 21); /* TCP, bound only */
    CHECK_STR(f, SKR_CPF_NAME, 0, "127.0.0.1:8080");
    CHECK(!pt_has(f, SKR_CPF_ROLE), "a bound-only TCP socket has no role");
    f = pt_fd(&s, 100, 9);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), 'u');
    CHECK_STR(f, SKR_CPF_NAME, 0, "/run/my sock.sock");
    ck_assert_uint_eq(pt_u(f, SKR_CPF_ROLE), 2);
    CHECK(pt_field(f, SKR_CPF_TUPLE, 0, &tf) && tf.len == 17 + 17, "unix tuple length");
    struct skr_cur c = skr_cur_make(tf.ptr, tf.len);
    ck_assert_uint_eq(skr_get_u8(&c), AF_UNIX);
    ck_assert_uint_eq(skr_get_u64(&c), 5005);
    ck_assert_uint_eq(skr_get_u64(&c), 0);
    ck_assert_mem_eq(c.p, "/run/my sock.sock", 17);
    f = pt_fd(&s, 100, 13);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), 'u');
    CHECK_STR(f, SKR_CPF_NAME, 0, "socket:[5008]");
    ck_assert_uint_eq(pt_u(f, SKR_CPF_ROLE), 1);
    f = pt_fd(&s, 100, 10);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), 'n');
    CHECK(!pt_has(f, SKR_CPF_TUPLE), "netlink tuple");
    f = pt_fd(&s, 100, 12);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), 'o');
    CHECK_STR(f, SKR_CPF_NAME, 0, "socket:[9999]");
    ck_assert_uint_eq(pt_u(f, SKR_CPF_INO), 9999);
    f = pt_fd(&s, 100, 6);
    ck_assert_uint_eq(pt_u(f, SKR_CPF_TYPE), 'p');
    ck_assert_uint_eq(pt_u(f, SKR_CPF_INO), 77);
    static const struct { int fd; char type; } anon[] = {
        { 7, 'e' }, { 8, 'i' }, { 11, 'm' }, { 14, 'b' }, { 15, 't' }, { 16, 'l' }, { 17, 's' },
        { 18, 'o' },
    };
    for (size_t i = 0; i < sizeof anon / sizeof anon[0]; i++)
        CHECK(pt_u(pt_fd(&s, 100, anon[i].fd), SKR_CPF_TYPE) == (uint64_t)anon[i].type,
              "fd %d: type %c", anon[i].fd, anon[i].type);
    ck_assert_uint_eq(s.st.fds, 22);
    ck_assert_uint_eq(s.st.sockets, 10);
    ck_assert_uint_eq(s.st.tuples, 9);

    /* Containers, each once, in the order first seen. */
    static const struct { int pid; const char *id, *runtime; } cont[] = {
        { 400, "b0b1b2b3b4b5", "kubepods" }, { 500, "c0ffee00c0ff", "cri-o" },
        { 600, "d00dfeedd00d", "podman" },   { 700, "e1e2e3e4e5e6", "containerd" },
        { 800, "f00000000000", "docker" },   { 901, "0123456789ab", "docker" },
    };
    for (size_t i = 0; i < sizeof cont / sizeof cont[0]; i++) {
        t = pt_thread(&s, cont[i].pid);
        CHECK(t, "no thread %d", cont[i].pid);
        CHECK_STR(t, SKR_CPT_CONTAINER_ID, 0, cont[i].id);
        const struct pt_rec *r = pt_id(&s, SKR_CP_CONTAINER, 0, cont[i].id);
        CHECK(r, "no CONTAINER record %s", cont[i].id);
        CHECK_STR(r, SKR_CPC_RUNTIME, 0, cont[i].runtime);
        CHECK(!pt_has(r, SKR_CPC_NAME) && !pt_has(r, SKR_CPC_IMAGE),
              "unknown name or image written");
    }
    ck_assert_uint_eq(pt_count(&s, SKR_CP_CONTAINER), 6);
    ck_assert_uint_eq(s.st.containers, 6);
    t = pt_thread(&s, 800);
    CHECK_STR(t, SKR_CPT_CGROUP, 0, "cpu,cpuacct=/docker/" HEX64F);
    CHECK_STR(t, SKR_CPT_CGROUP, 1, "name=systemd=/docker/" HEX64F);
    for (int pid = 900; pid <= 903; pid++) {
        if (pid == 901)
            continue;
        t = pt_thread(&s, pid);
        CHECK(t && !pt_has(t, SKR_CPT_CONTAINER_ID), "pid %d: a container id", pid);
    }
    ck_assert_int_eq(pt_nfields(pt_thread(&s, 903), SKR_CPT_CGROUP), 1); /* "::" gives "=" */
    CHECK_STR(pt_thread(&s, 903), SKR_CPT_CGROUP, 0, "=");

    /* cmdline and environ: exactly at the limit, and one byte over. */
    t = pt_thread(&s, 1000);
    CHECK_STR(t, SKR_CPT_EXE, 0, "p");
    ck_assert_int_eq(pt_nfields(t, SKR_CPT_ARG), 1);
    ck_assert_uint_eq(strlen(pt_str(t, SKR_CPT_ARG, 0)), PROCFS_ARGS_MAX - 3);
    ck_assert_uint_eq(strlen(pt_str(t, SKR_CPT_ENV, 0)), PROCFS_ENV_MAX - 1);
    t = pt_thread(&s, 1001);
    ck_assert_int_eq(pt_nfields(t, SKR_CPT_ARG), 1);
    ck_assert_uint_eq(strlen(pt_str(t, SKR_CPT_ARG, 0)), PROCFS_ARGS_MAX - 2);
    ck_assert_uint_eq(strlen(pt_str(t, SKR_CPT_ENV, 0)), PROCFS_ENV_MAX);
    ck_assert_uint_eq(s.st.truncated, 2);

    /* A process with stat alone: the fields stat gives, nothing else. */
    t = pt_thread(&s, 1100);
    CHECK(t, "no thread 1100");
    CHECK_STR(t, SKR_CPT_COMM, 0, "(x)) (y");
    ck_assert_int_eq(pt_s(t, SKR_CPT_PPID), 0);
    CHECK(!pt_has(t, SKR_CPT_UID) && !pt_has(t, SKR_CPT_EXE) && !pt_has(t, SKR_CPT_CWD) &&
          !pt_has(t, SKR_CPT_VPID) && !pt_has(t, SKR_CPT_LOGINUID),
          "fields from missing files");

    /* Skipped: 200, 1200 and 1300 do not parse, 300 vanished. */
    CHECK(!pt_thread(&s, 200) && !pt_thread(&s, 300) && !pt_thread(&s, 1200) &&
          !pt_thread(&s, 1300), "a broken process was recorded");
    ck_assert_uint_eq(s.st.skipped, 1);
    ck_assert_uint_eq(s.st.processes, 13);
    ck_assert_uint_eq(s.st.threads, 14);
    ck_assert_uint_eq(pt_count(&s, SKR_CP_THREAD), 14);
    ck_assert_uint_eq(s.st.netns, 1);

    /* Users and groups: first entry of an id wins, bad lines left out. */
    const struct pt_rec *u = pt_id(&s, SKR_CP_USER, 0, NULL);
    CHECK(u, "no root");
    CHECK_STR(u, SKR_CPU_NAME, 0, "root");
    CHECK_STR(u, SKR_CPU_HOME, 0, "/root");
    CHECK_STR(u, SKR_CPU_SHELL, 0, "/bin/bash");
    CHECK(!pt_has(u, SKR_CPU_CONTAINER_ID), "host user with a container id");
    u = pt_id(&s, SKR_CP_USER, 1000, NULL);
    CHECK(u, "no user 1000");
    CHECK_STR(u, SKR_CPU_SHELL, 0, "");
    CHECK(pt_id(&s, SKR_CP_USER, UINT32_MAX, NULL), "no user 4294967295");
    ck_assert_uint_eq(pt_count(&s, SKR_CP_USER), 3);
    ck_assert_uint_eq(s.st.users, 3);
    const struct pt_rec *g = pt_id(&s, SKR_CP_GROUP, 77, NULL);
    CHECK(g, "no group 77 (a line longer than the buffer)");
    CHECK_STR(g, SKR_CPU_NAME, 0, "big");
    CHECK(!pt_has(g, SKR_CPU_HOME), "HOME in a group");
    CHECK_STR(pt_id(&s, SKR_CP_GROUP, 10, NULL), SKR_CPU_NAME, 0, "wheel");
    CHECK(pt_id(&s, SKR_CP_GROUP, 0, NULL), "no group 0");
    ck_assert_uint_eq(pt_count(&s, SKR_CP_GROUP), 3);
    ck_assert_uint_eq(s.st.groups, 3);

    /* tcp garbage, tcp6 short address, stat of 200, 1200, 1300, passwd
     * bad, short, long, over, empty name, group nogid. */
    ck_assert_uint_eq(s.st.malformed, 11);
    ck_assert_uint_eq(s.st.unreadable, 0);
    pt_free(&s);
}
END_TEST

/* Allocation failing at every allocation of a snapshot: each run either
 * succeeds with the same records or fails saying so, leaving the buffer
 * as it was (ASan catches leaks in that build). */
START_TEST(alloc_failure)
{
    build_fake("fake2");
    char proc[PATH_MAX], etc[PATH_MAX], err[256];
    snprintf(proc, sizeof proc, "%s/proc", fake);
    snprintf(etc, sizeof etc, "%s/etc", fake);
    struct pt_snap ref;
    pt_snapshot(&ref, proc, etc);
    bool succeeded = false;
    long n;
    for (n = 0; n < 5000 && !succeeded; n++) {
        struct skr_buf b = { 0 };
        skr_put_raw(&b, "pre", 3);
        uint32_t count = 99;
        struct procfs_stats st;
        skr_alloc_fail_after(n);
        int rc = procfs_snapshot_at(proc, etc, &b, &count, &st, err, sizeof err);
        skr_alloc_fail_after(-1);
        if (rc == 0) {
            succeeded = true;
            ck_assert_uint_eq(count, ref.count);
            ck_assert_uint_eq(b.len, 3 + ref.buf.len);
            ck_assert_mem_eq(b.data + 3, ref.buf.data, ref.buf.len);
        } else {
            CHECK(strstr(err, "out of memory"), "after %ld allocations: %s", n, err);
            CHECK(b.len == 3 && !b.oom && !memcmp(b.data, "pre", 3) && count == 0,
                  "after %ld allocations the buffer changed", n);
        }
        skr_buf_free(&b);
    }
    CHECK(succeeded, "no success in %ld runs", n);
    ck_assert_int_gt(n, 10);
    pt_free(&ref);
}
END_TEST

START_TEST(bad_root)
{
    struct skr_buf b = { 0 };
    uint32_t count = 7;
    struct procfs_stats st;
    char err[256];
    char path[256];
    tmp_path(path, sizeof path, "no-such-proc");
    ck_assert_int_eq(procfs_snapshot_at(path, NULL, &b, &count, &st, err, sizeof err), -1);
    CHECK(strstr(err, path) && strstr(err, "No such file"), "error: %s", err);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_uint_eq(count, 0);

    /* An empty tree is a valid, empty snapshot; no etc root, no users. */
    tmp_path(path, sizeof path, "empty-proc");
    mkdirs(path);
    ck_assert_int_eq(procfs_snapshot_at(path, NULL, &b, &count, &st, err, sizeof err), 0);
    ck_assert_uint_eq(count, 0);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_uint_eq(st.netns, 0);
    skr_buf_free(&b);
}
END_TEST

/* Adds the fake-tree test cases to the procfs suite. */
void procfs_fake_cases(Suite *s)
{
    TCase *tc = tcase_create("fake");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, fake_tree);
    tcase_add_test(tc, bad_root);
    suite_add_tcase(s, tc);
    TCase *fail = tcase_create("alloc_failure");
    tcase_set_timeout(fail, 300);
    tcase_add_test(fail, alloc_failure);
    suite_add_tcase(s, fail);
}
