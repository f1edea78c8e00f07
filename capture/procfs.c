/* procfs.c -- the walk of /proc that builds the recorder's first
 * checkpoint: THREAD, FD and CONTAINER records (man/saker-trace.5 §8.1,
 * §8.2, §8.4), then USER and GROUP records through procfs_etc.c. What each
 * record holds is in procfs.h.
 *
 * Design: each process directory is opened once and everything about the
 * process is read relative to that descriptor (openat, readlinkat). If the
 * process exits and its pid is reused while we read, the old directory
 * descriptor keeps failing with ESRCH instead of silently mixing two
 * processes' files. The leader's record is written first, from
 * /proc/PID/{stat,status}, then the other threads from task/TID, then the
 * descriptors. A process whose stat cannot be read is skipped whole; a
 * file that fails later leaves its field out, since the process did exist
 * and what was read of it is true.
 *
 * Records are written straight into the caller's buffer; one file-sized
 * scratch buffer is reused for every read, so a field is emitted as soon
 * as its file is read (the order is mostly that of the tags; §5 allows
 * any). Cgroups and container ids are procfs_cgroup.c's, socket tables
 * procfs_net.c's, passwd and group procfs_etc.c's. */
#include "procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "../reader/format.h"
#include "procfs_int.h"

#define BUF_CAP (PROCFS_FILE_MAX + 1)   /* also holds cmdline and environ */
#define COMM_MAX 64                     /* longer names are cut */
#define FDINFO_MAX 4096                 /* flags and ino are in the first lines */

_Static_assert(PROCFS_ARGS_MAX <= PROCFS_FILE_MAX && PROCFS_ENV_MAX <= PROCFS_FILE_MAX,
               "one scratch buffer holds every file");

struct snap {
    int proc_fd;
    struct skr_buf *out;
    uint32_t count;
    struct procfs_stats *st;
    struct skr_buf rec;            /* the record being built */
    char *buf;                     /* BUF_CAP bytes of file scratch */
    char link[PATH_MAX + 1];
    struct procfs_net net;
    uint64_t root_ns;              /* the recorder's network namespace */
    struct procfs_map tids;        /* every TID written: keys stay unique */
    struct procfs_containers containers;
    uint64_t env_total;
    uint64_t hz;
};

/* What stat and status say about one task. */
struct task {
    char comm[COMM_MAX + 1];
    size_t comm_len;
    int64_t ppid, pgid, sid, tty;
    uint64_t flags, start_ns;
    bool has_ppid, has_ids, has_gids;
    uint32_t uid, euid, gid, egid;
    bool has_vtid, has_vpid, has_vpgid;
    int64_t vtid, vpid, vpgid;
};

static void put_record(struct snap *s, uint32_t kind)
{
    skr_put_field_bytes(s->out, kind, s->rec.data, s->rec.len);
    s->count++;
}

static bool vanished(int e) { return e == ENOENT || e == ESRCH; }

/* readlinkat into s->link; the length, or -1. A target as long as the
 * buffer may have been cut: counted, and kept. */
static ssize_t read_link(struct snap *s, int dirfd, const char *name)
{
    ssize_t n = readlinkat(dirfd, name, s->link, sizeof s->link - 1);
    if (n < 0)
        return -1;
    if ((size_t)n == sizeof s->link - 1)
        s->st->truncated++;
    s->link[n] = '\0';
    return n;
}

/* ---- stat and status ---- */

/* proc(5) /proc/PID/stat: "pid (comm) state ppid pgrp session tty_nr tpgid
 * flags ... starttime(22) ...". comm may hold spaces and ')', so the fields
 * are counted from the LAST ')'. */
static bool parse_stat(struct snap *s, char *line, struct task *t)
{
    char *open = strchr(line, '(');
    char *close = strrchr(line, ')');
    if (!open || !close || close < open)
        return false;
    size_t n = (size_t)(close - open - 1);
    if (n > COMM_MAX) {
        n = COMM_MAX;
        s->st->truncated++;
    }
    memcpy(t->comm, open + 1, n);
    t->comm[n] = '\0';
    t->comm_len = n;

    char *tok[20]; /* fields 3 (state) to 22 (starttime) */
    int64_t ppid, pgid, sid, tty;
    uint64_t flags, start;
    if (procfs_split(close + 1, tok, 20, NULL) < 20 || !procfs_parse_i64(tok[1], &ppid) ||
        !procfs_parse_i64(tok[2], &pgid) || !procfs_parse_i64(tok[3], &sid) ||
        !procfs_parse_i64(tok[4], &tty) || !procfs_parse_u64(tok[6], 10, &flags) ||
        !procfs_parse_u64(tok[19], 10, &start))
        return false;
    t->ppid = ppid;
    t->has_ppid = true;
    t->pgid = pgid;
    t->sid = sid;
    t->tty = tty;
    t->flags = flags;
    /* Split before multiplying: ticks * 1e9 overflows after ~213 days
     * of uptime at 1000 Hz. */
    t->start_ns = start / s->hz * 1000000000u + start % s->hz * 1000000000u / s->hz;
    return true;
}

/* The last blank-separated token of v ("NStgid:\t1234\t5": the id in the
 * innermost pid namespace), as a number. */
static bool last_id(char *v, int64_t *out)
{
    char *tok[2], *rest = v, *last = NULL;
    while (procfs_split(rest, tok, 1, &rest) == 1)
        last = tok[0];
    return last && procfs_parse_i64(last, out);
}

/* "Uid:\treal\teffective\tsaved\tfs" */
static bool two_ids(char *v, uint32_t *real, uint32_t *eff)
{
    char *tok[4];
    return procfs_split(v, tok, 4, NULL) == 4 && procfs_parse_u32(tok[0], real) &&
           procfs_parse_u32(tok[1], eff);
}

/* proc(5) /proc/PID/status: "Key:\tvalue" lines. A value that does not
 * parse leaves its field out. */
static void parse_status(char *text, struct task *t)
{
    char *line = text;
    while (*line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *colon = strchr(line, ':');
        if (colon) {
            *colon = '\0';
            char *v = colon + 1;
            int64_t ppid;
            if (!strcmp(line, "PPid") && last_id(v, &ppid)) {
                t->ppid = ppid;
                t->has_ppid = true;
            } else if (!strcmp(line, "Uid")) {
                t->has_ids = two_ids(v, &t->uid, &t->euid);
            } else if (!strcmp(line, "Gid")) {
                t->has_gids = two_ids(v, &t->gid, &t->egid);
            } else if (!strcmp(line, "NStgid")) {
                t->has_vpid = last_id(v, &t->vpid);
            } else if (!strcmp(line, "NSpid")) {
                t->has_vtid = last_id(v, &t->vtid);
            } else if (!strcmp(line, "NSpgid")) {
                t->has_vpgid = last_id(v, &t->vpgid);
            }
        }
        if (!nl)
            break;
        line = nl + 1;
    }
}

/* Reads dirfd/stat and dirfd/status into t. Returns 0, or the errno of
 * the failed stat read, or -1 when stat does not parse. A missing status
 * only leaves its fields out. */
static int read_task(struct snap *s, int dirfd, struct task *t)
{
    bool cut;
    memset(t, 0, sizeof *t);
    if (procfs_read_file(dirfd, "stat", s->buf, BUF_CAP, &cut) < 0)
        return errno ? errno : EIO;
    if (!parse_stat(s, s->buf, t))
        return -1;
    if (procfs_read_file(dirfd, "status", s->buf, BUF_CAP, &cut) >= 0) {
        if (cut)
            s->st->truncated++;
        parse_status(s->buf, t);
    }
    return 0;
}

static void count_task_failure(struct snap *s, int rc, uint64_t *vanished_counter)
{
    if (rc < 0)
        s->st->malformed++;
    else if (vanished(rc))
        (*vanished_counter)++;
    else
        s->st->unreadable++;
}

/* The fields every THREAD record has, up to COMM. */
static void put_identity(struct snap *s, int64_t tid, int64_t pid, const struct task *t)
{
    skr_buf_reset(&s->rec);
    skr_put_field_s(&s->rec, SKR_CPT_TID, tid);
    skr_put_field_s(&s->rec, SKR_CPT_PID, pid);
    if (t->has_ppid)
        skr_put_field_s(&s->rec, SKR_CPT_PPID, t->ppid);
    if (t->has_vtid)
        skr_put_field_s(&s->rec, SKR_CPT_VTID, t->vtid);
    if (t->has_vpid)
        skr_put_field_s(&s->rec, SKR_CPT_VPID, t->vpid);
    skr_put_field_bytes(&s->rec, SKR_CPT_COMM, t->comm, t->comm_len);
}

static void put_ids(struct snap *s, const struct task *t)
{
    if (t->has_ids)
        skr_put_field_u(&s->rec, SKR_CPT_UID, t->uid);
    if (t->has_gids)
        skr_put_field_u(&s->rec, SKR_CPT_GID, t->gid);
    if (t->has_ids)
        skr_put_field_u(&s->rec, SKR_CPT_EUID, t->euid);
    if (t->has_gids)
        skr_put_field_u(&s->rec, SKR_CPT_EGID, t->egid);
}

/* ---- the leader's process-wide fields ---- */

/* Emits each NUL-ended string of buf[0..len) as a tag field; the last
 * one may lack its NUL (a cut or setproctitle(3)-rewritten area). */
static void put_strings(struct skr_buf *b, const char *buf, size_t len, uint32_t tag)
{
    size_t i = 0;
    while (i < len) {
        const char *nul = memchr(buf + i, '\0', len - i);
        size_t n = nul ? (size_t)(nul - (buf + i)) : len - i;
        skr_put_field_bytes(b, tag, buf + i, n);
        i += n + 1;
    }
}

/* The leader's THREAD record: identity, then the process-wide fields, in
 * tag order. */
static void put_leader(struct snap *s, int pidfd, int64_t pid, const struct task *t)
{
    bool cut, refused = false;
    put_identity(s, pid, pid, t);

    /* exe, cwd and environ need ptrace read access (proc(5)): a recorder
     * without CAP_SYS_PTRACE gets EACCES for other users' processes. */
    ssize_t exelen = read_link(s, pidfd, "exe");
    refused |= exelen < 0 && errno == EACCES;
    ssize_t n = procfs_read_file(pidfd, "cmdline", s->buf, PROCFS_ARGS_MAX + 1, &cut);
    if (n > 0) {
        s->st->truncated += cut;
        /* argv[0] is EXE, the rest ARG; EXEPATH goes between (tag order). */
        size_t a0 = strnlen(s->buf, (size_t)n);
        skr_put_field_bytes(&s->rec, SKR_CPT_EXE, s->buf, a0);
        if (exelen >= 0)
            skr_put_field_bytes(&s->rec, SKR_CPT_EXEPATH, s->link, (size_t)exelen);
        if (a0 < (size_t)n)
            put_strings(&s->rec, s->buf + a0 + 1, (size_t)n - a0 - 1, SKR_CPT_ARG);
    } else if (exelen >= 0) {
        skr_put_field_bytes(&s->rec, SKR_CPT_EXEPATH, s->link, (size_t)exelen);
    }

    ssize_t cwdlen = read_link(s, pidfd, "cwd");
    refused |= cwdlen < 0 && errno == EACCES;
    if (cwdlen >= 0)
        skr_put_field_bytes(&s->rec, SKR_CPT_CWD, s->link, (size_t)cwdlen);

    n = procfs_read_file(pidfd, "environ", s->buf, PROCFS_ENV_MAX + 1, &cut);
    refused |= n < 0 && errno == EACCES;
    s->st->unreadable += refused;
    if (n > 0) {
        s->st->truncated += cut;
        if (s->env_total + (uint64_t)n > PROCFS_ENV_TOTAL_MAX) {
            s->st->truncated++;
        } else {
            s->env_total += (uint64_t)n;
            put_strings(&s->rec, s->buf, (size_t)n, SKR_CPT_ENV);
        }
    }

    put_ids(s, t);
    char small[32];
    uint32_t loginuid;
    if (procfs_read_file(pidfd, "loginuid", small, sizeof small, &cut) > 0 && !cut) {
        small[strcspn(small, "\n")] = '\0';
        if (procfs_parse_u32(small, &loginuid))
            skr_put_field_u(&s->rec, SKR_CPT_LOGINUID, loginuid);
    }
    /* tty_nr is an int in stat; a device number is never negative. */
    if (t->tty >= 0)
        skr_put_field_u(&s->rec, SKR_CPT_TTY, (uint64_t)t->tty);
    skr_put_field_u(&s->rec, SKR_CPT_START_NS, t->start_ns);

    char cid[PROCFS_CID_LEN + 1] = "";
    int rt = 0;
    n = procfs_read_file(pidfd, "cgroup", s->buf, BUF_CAP, &cut);
    if (n > 0) {
        s->st->truncated += cut;
        rt = procfs_cgroup_fields(&s->rec, s->buf, (size_t)n, cid);
    }
    if (rt) {
        skr_put_field_str(&s->rec, SKR_CPT_CONTAINER_ID, cid);
        if (procfs_containers_add(&s->containers, cid, rt) < 0)
            s->out->oom = true;
    }
    skr_put_field_s(&s->rec, SKR_CPT_SID, t->sid);
    skr_put_field_s(&s->rec, SKR_CPT_PGID, t->pgid);
    if (t->has_vpgid)
        skr_put_field_s(&s->rec, SKR_CPT_VPGID, t->vpgid);
    skr_put_field_u(&s->rec, SKR_CPT_FLAGS, t->flags);
    put_record(s, SKR_CP_THREAD);
    s->st->threads++;
}

/* Another thread: what is its own (procfs.h). */
static void put_thread(struct snap *s, int64_t tid, int64_t pid, const struct task *t)
{
    put_identity(s, tid, pid, t);
    put_ids(s, t);
    skr_put_field_u(&s->rec, SKR_CPT_START_NS, t->start_ns);
    skr_put_field_u(&s->rec, SKR_CPT_FLAGS, t->flags);
    put_record(s, SKR_CP_THREAD);
    s->st->threads++;
}

/* A directory entry's name as a pid, tid or fd; false for anything else. */
static bool entry_number(const char *name, int64_t *v)
{
    uint64_t u;
    if (!procfs_parse_u64(name, 10, &u) || u > INT32_MAX)
        return false;
    *v = (int64_t)u;
    return true;
}

/* Opens dirfd/name as a directory stream; NULL with errno set. */
static DIR *open_dir(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    DIR *d = fdopendir(fd);
    if (!d) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return d;
}

static bool claim_tid(struct snap *s, int64_t tid)
{
    int r = procfs_map_put(&s->tids, (uint64_t)tid, 1);
    if (r < 0)
        s->out->oom = true;
    return r > 0;
}

static void walk_threads(struct snap *s, int pidfd, int64_t pid)
{
    DIR *d = open_dir(pidfd, "task");
    if (!d)
        return; /* the process is exiting: the leader's record stands alone */
    int taskfd = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d)) && !s->out->oom) {
        int64_t tid;
        if (!entry_number(e->d_name, &tid) || tid == pid)
            continue;
        int tfd = openat(taskfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (tfd < 0) {
            count_task_failure(s, errno, &s->st->threads_skipped);
            continue;
        }
        struct task t;
        int rc = read_task(s, tfd, &t);
        close(tfd);
        if (rc != 0)
            count_task_failure(s, rc, &s->st->threads_skipped);
        else if (claim_tid(s, tid))
            put_thread(s, tid, pid, &t);
    }
    closedir(d);
}

/* ---- descriptors ---- */

/* Falco's fd.typechar of an anon_inode:NAME descriptor
 * (fs/anon_inodes.c callers: "[eventfd]", "inotify", "bpf-map", ...). */
static char anon_type(const char *name)
{
    static const struct { const char *name; char type; } kinds[] = {
        { "eventfd", 'e' }, { "signalfd", 's' }, { "eventpoll", 'l' }, { "inotify", 'i' },
        { "timerfd", 't' }, { "bpf", 'b' },
    };
    if (*name == '[')
        name++;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strncmp(name, kinds[i].name, strlen(kinds[i].name)))
            return kinds[i].type;
    return 'o';
}

/* The number in "kind:[N]", or 0. */
static uint64_t bracket_number(const char *link)
{
    const char *o = strchr(link, '[');
    const char *c = o ? strchr(o, ']') : NULL;
    char num[24];
    uint64_t v;
    if (!c || c[1] != '\0' || (size_t)(c - o - 1) >= sizeof num)
        return 0;
    memcpy(num, o + 1, (size_t)(c - o - 1));
    num[c - o - 1] = '\0';
    return procfs_parse_u64(num, 10, &v) ? v : 0;
}

/* The type of a socket no table lists (not bound yet, or in a namespace
 * whose tables were not read), from the protocol name sockfs gives as the
 * "system.sockprotoname" attribute (net/socket.c sockfs_getxattr): "TCP",
 * "UDPv6", "UNIX-STREAM", "NETLINK", ... There is no getxattr relative to a
 * directory descriptor before Linux 6.13, so the path goes through our own
 * /proc/self/fd entry for fddir, which keeps the pinning of the walk. */
static char socket_type_by_proto(int fddir, const char *name)
{
    static const char *const inet[] = { "TCP", "UDP", "RAW", "PING", "UDP-Lite", "UDPLITE",
                                        "SCTP", "MPTCP" };
    char path[64], proto[32];
    snprintf(path, sizeof path, "/proc/self/fd/%d/%s", fddir, name);
    ssize_t n = getxattr(path, "system.sockprotoname", proto, sizeof proto - 1);
    if (n <= 0)
        return 'o';
    proto[n] = '\0';
    size_t len = strlen(proto);
    if (!strncmp(proto, "UNIX", 4))
        return 'u';
    if (!strcmp(proto, "NETLINK"))
        return 'n';
    bool v6 = len > 2 && !strcmp(proto + len - 2, "v6");
    if (v6)
        proto[len - 2] = '\0';
    for (size_t i = 0; i < sizeof inet / sizeof inet[0]; i++)
        if (!strcmp(proto, inet[i]))
            return v6 ? '6' : '4';
    return 'o';
}

/* fdinfo "flags:\t0100002" (octal) and "ino:\t1234". */
static void read_fdinfo(int pidfd, const char *fdname, bool *has_flags, uint64_t *flags,
                        uint64_t *ino)
{
    char path[32], text[FDINFO_MAX];
    bool cut;
    *has_flags = false;
    *ino = 0;
    snprintf(path, sizeof path, "fdinfo/%s", fdname);
    if (procfs_read_file(pidfd, path, text, sizeof text, &cut) < 0)
        return;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *tok[2];
        if (procfs_split(line, tok, 2, NULL) != 2)
            continue;
        if (!strcmp(tok[0], "flags:"))
            *has_flags = procfs_parse_u64(tok[1], 8, flags);
        else if (!strcmp(tok[0], "ino:") && !procfs_parse_u64(tok[1], 10, ino))
            *ino = 0;
    }
}

/* Writes the FD record of fddir/name. Returns 0, or the errno of a link
 * that could not be read (ENOENT: closed since the directory was read). */
static int put_fd(struct snap *s, int pidfd, int fddir, int64_t pid, int64_t fd, const char *name)
{
    ssize_t n = read_link(s, fddir, name);
    if (n < 0)
        return errno;
    bool has_flags;
    uint64_t flags, ino;
    read_fdinfo(pidfd, name, &has_flags, &flags, &ino);

    skr_buf_reset(&s->rec);
    skr_put_field_s(&s->rec, SKR_CPF_PID, pid);
    skr_put_field_s(&s->rec, SKR_CPF_FD, fd);
    bool have_dev = false;
    uint64_t dev = 0;
    const char *link = s->link;
    if (link[0] == '/') {
        /* AT_STATX_DONT_SYNC: a file on a hung NFS or FUSE mount answers
         * from its cached attributes instead of blocking the recorder. */
        struct statx sx;
        char type = has_flags && (flags & O_DIRECTORY) ? 'd' : 'f';
        if (!strncmp(link, "/memfd:", 7)) {
            type = 'm';
        } else if (statx(fddir, name, AT_STATX_DONT_SYNC, STATX_TYPE | STATX_INO, &sx) == 0) {
            type = S_ISDIR(sx.stx_mode) ? 'd' : S_ISFIFO(sx.stx_mode) ? 'p' : 'f';
            if (!ino)
                ino = sx.stx_ino;
            dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
            have_dev = true;
        }
        skr_put_field_u(&s->rec, SKR_CPF_TYPE, (uint8_t)type);
        skr_put_field_bytes(&s->rec, SKR_CPF_NAME, link, (size_t)n);
    } else if (!strncmp(link, "socket:[", 8)) {
        if (!ino)
            ino = bracket_number(link);
        s->st->sockets++;
        if (procfs_net_describe(&s->net, ino, link, &s->rec)) {
            s->st->tuples++;
        } else {
            skr_put_field_u(&s->rec, SKR_CPF_TYPE, (uint8_t)socket_type_by_proto(fddir, name));
            skr_put_field_bytes(&s->rec, SKR_CPF_NAME, link, (size_t)n);
        }
    } else {
        char type = 'o';
        if (!strncmp(link, "pipe:[", 6))
            type = 'p';
        else if (!strncmp(link, "anon_inode:", 11))
            type = anon_type(link + 11);
        if (!ino)
            ino = bracket_number(link);
        skr_put_field_u(&s->rec, SKR_CPF_TYPE, (uint8_t)type);
        skr_put_field_bytes(&s->rec, SKR_CPF_NAME, link, (size_t)n);
    }
    if (has_flags)
        skr_put_field_u(&s->rec, SKR_CPF_FLAGS, flags);
    if (ino)
        skr_put_field_u(&s->rec, SKR_CPF_INO, ino);
    if (have_dev)
        skr_put_field_u(&s->rec, SKR_CPF_DEV, dev);
    put_record(s, SKR_CP_FD);
    s->st->fds++;
    return 0;
}

static void walk_fds(struct snap *s, int pidfd, int64_t pid)
{
    DIR *d = open_dir(pidfd, "fd");
    if (!d) {
        if (!vanished(errno))
            s->st->unreadable++;
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) && !s->out->oom) {
        int64_t fd;
        if (!entry_number(e->d_name, &fd))
            continue;
        int rc = put_fd(s, pidfd, dirfd(d), pid, fd, e->d_name);
        if (rc != 0 && !vanished(rc)) {
            /* The directory listed but its links are refused (ptrace
             * access mode, or a security module): so will the rest be. */
            s->st->unreadable++;
            break;
        }
    }
    closedir(d);
}

/* ---- the walk ---- */

/* The inode in "net:[4026531840]", or 0 when unknown. */
static uint64_t netns_of(struct snap *s, int dirfd, const char *name)
{
    return read_link(s, dirfd, name) < 0 ? 0 : bracket_number(s->link);
}

/* Makes sure the socket tables of pid's network namespace are loaded; a
 * process whose namespace cannot be told is taken to share the
 * recorder's. */
static void load_netns(struct snap *s, int pidfd)
{
    uint64_t ns = netns_of(s, pidfd, "ns/net");
    if (!ns)
        ns = s->root_ns;
    if (procfs_net_load(&s->net, pidfd, ns, s->st, s->buf, BUF_CAP) < 0)
        s->out->oom = true;
}

static void walk_process(struct snap *s, int64_t pid, const char *name)
{
    int pidfd = openat(s->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pidfd < 0) {
        count_task_failure(s, errno, &s->st->skipped);
        return;
    }
    struct task t;
    int rc = read_task(s, pidfd, &t);
    if (rc != 0) {
        count_task_failure(s, rc, &s->st->skipped);
        close(pidfd);
        return;
    }
    if (claim_tid(s, pid)) {
        s->st->processes++;
        put_leader(s, pidfd, pid, &t);
        walk_threads(s, pidfd, pid);
        load_netns(s, pidfd);
        walk_fds(s, pidfd, pid);
    }
    close(pidfd);
}

int procfs_snapshot_at(const char *proc_root, const char *etc_root, struct skr_buf *out,
                       uint32_t *count, struct procfs_stats *st, char *err, size_t errlen)
{
    size_t start = out->len;
    bool was_oom = out->oom;
    memset(st, 0, sizeof *st);
    *count = 0;
    if (errlen)
        err[0] = '\0';

    struct snap *s = skr_malloc(sizeof *s);
    if (!s) {
        snprintf(err, errlen, "procfs: out of memory");
        return -1;
    }
    memset(s, 0, sizeof *s);
    s->out = out;
    s->st = st;
    long hz = sysconf(_SC_CLK_TCK);
    s->hz = hz > 0 ? (uint64_t)hz : 100;
    s->proc_fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = -1;
    DIR *d = NULL;
    if (s->proc_fd < 0) {
        snprintf(err, errlen, "procfs: open %s: %s", proc_root, strerror(errno));
        goto done;
    }
    d = open_dir(s->proc_fd, ".");
    if (!d) {
        snprintf(err, errlen, "procfs: opendir %s: %s", proc_root, strerror(errno));
        goto done;
    }
    s->buf = skr_malloc(BUF_CAP);
    if (!s->buf) {
        out->oom = true;
        snprintf(err, errlen, "procfs: out of memory for a scratch buffer");
        goto done;
    }
    s->root_ns = netns_of(s, s->proc_fd, "self/ns/net");
    if (procfs_net_load(&s->net, s->proc_fd, s->root_ns, st, s->buf, BUF_CAP) < 0)
        out->oom = true;

    struct dirent *e;
    errno = 0;
    while (!out->oom && (e = readdir(d))) {
        int64_t pid;
        if (entry_number(e->d_name, &pid))
            walk_process(s, pid, e->d_name);
        errno = 0;
    }
    if (!out->oom && errno) {
        snprintf(err, errlen, "procfs: readdir %s: %s", proc_root, strerror(errno));
        goto done;
    }
    uint32_t nc = procfs_containers_put(&s->containers, out);
    st->containers = nc;
    s->count += nc;
    if (etc_root && !out->oom)
        s->count += procfs_etc_accounts(etc_root, out, st);
    if (out->oom || s->rec.oom) {
        snprintf(err, errlen, "procfs: out of memory after %u records of %s", s->count, proc_root);
        goto done;
    }
    *count = s->count;
    rc = 0;
done:
    if (rc < 0) {
        out->len = start;
        out->oom = was_oom; /* the bytes before start were never touched */
        memset(st, 0, sizeof *st);
    }
    if (d)
        closedir(d);
    if (s->proc_fd >= 0)
        close(s->proc_fd);
    procfs_net_free(&s->net);
    procfs_map_free(&s->tids);
    procfs_containers_free(&s->containers);
    skr_buf_free(&s->rec);
    free(s->buf);
    free(s);
    return rc;
}

int procfs_snapshot(const char *proc_root, struct skr_buf *out, uint32_t *count,
                    struct procfs_stats *st, char *err, size_t errlen)
{
    return procfs_snapshot_at(proc_root, "/etc", out, count, st, err, errlen);
}
