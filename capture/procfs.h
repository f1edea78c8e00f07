/* procfs.h -- the state checkpoint `saker record` writes before its first
 * event: the processes, threads, open descriptors, users, groups and
 * containers that existed before the trace started, read from /proc and
 * /etc and encoded as man/saker-trace.5 §8 records.
 *
 * What goes into each record:
 *
 *   THREAD (§8.1), one per /proc/PID/task/TID. Every thread carries what
 *     is its own: TID, PID, PPID, VTID, VPID, COMM, UID, GID, EUID, EGID,
 *     START_NS and FLAGS. What the threads of a process share is written
 *     once, in the record of the thread-group leader (TID == PID): EXE
 *     (argv[0]), EXEPATH, ARG (argv[1..]), CWD, ENV, LOGINUID, TTY, SID,
 *     PGID, VPGID, CGROUP and CONTAINER_ID; a reader finds it by PID.
 *     START_NS is nanoseconds since boot (stat field 22 divided by
 *     _SC_CLK_TCK), the clock the kernel side stamps struct rec_proc with.
 *     TTY is stat field 7 as the kernel prints it (the user-space dev_t
 *     encoding of stat(2)'s st_rdev). EXEPATH keeps a " (deleted)" suffix.
 *     CGROUP is "controllers=path" per line of /proc/PID/cgroup, so a v1
 *     line "4:cpu,cpuacct:/a" gives "cpu,cpuacct=/a", a named hierarchy
 *     "1:name=systemd:/a" gives "name=systemd=/a" and the v2 line "0::/a"
 *     gives "=/a": the controller part is everything before the first
 *     "=/" (controller names never contain '/').
 *     CONTAINER_ID is the first 12 hex digits of the 64-digit id found in
 *     the cgroup path (docker-<id>.scope, /docker/<id>,
 *     cri-containerd-<id>.scope, crio-<id>.scope, libpod-<id>.scope, or a
 *     bare <id> under a kubepods path), as Falco's container.id; it is
 *     absent for host processes and for processes whose cgroup namespace
 *     hides the path.
 *   FD (§8.2), one per /proc/PID/fd/N of each thread group: PID, FD, TYPE
 *     (a Falco fd.typechar: f file, d directory, 4 IPv4 socket, 6 IPv6,
 *     u unix, n netlink, p pipe, e eventfd, s signalfd, l eventpoll,
 *     i inotify, t timerfd, m memfd, b bpf, o other), NAME (the link text;
 *     for sockets below), FLAGS (fdinfo "flags:"), INO, DEV (files only),
 *     and for sockets found in the network tables TUPLE and ROLE.
 *     Tuples follow Falco: src is the client end and dst the server end,
 *     so a connecting socket has src = local, an accepted one src = remote,
 *     a listening one src = 0.0.0.0:0 (or [::]:0) and dst = its address.
 *     NAME is "src->dst" ("127.0.0.1:5555->127.0.0.1:80", IPv6 as
 *     "[::1]:80"), or the local address alone when there is no remote end.
 *     ROLE, TCP: LISTEN is a server (2); another socket whose local port
 *     a socket of the same network namespace listens on was accepted there
 *     and is a server; other connecting or connected ones are clients (1);
 *     a socket that is only bound has no role. UDP: connected is a client,
 *     unconnected has no role. Unix: listening, or connected with a path
 *     (an accepted socket shows its listener's path), is a server; other
 *     connected ones are clients. A unix TUPLE holds the socket's inode as
 *     the src id, 0 as the dst id (the peer is not in /proc/net/unix), then
 *     the path; raw IP sockets get no TUPLE (their "port" is a protocol).
 *     Network tables: /proc/PID/net shows those of PID's network
 *     namespace, so each namespace's tcp, tcp6, udp, udp6, raw, raw6, unix
 *     and netlink tables are read once, through the first process seen in
 *     it (the recorder's own through PROC/net), into one inode-keyed table.
 *     A socket in none of them (not bound yet, a packet socket, or a
 *     namespace past PROCFS_MAX_NETNS) is typed from the protocol name
 *     sockfs reports ("TCPv6" gives '6') and has no TUPLE or ROLE.
 *   USER and GROUP (§8.3) from ETC/passwd and ETC/group, parsed here and
 *     never through getpwent(3), which may ask NSS for a network lookup.
 *     The first entry of an id wins, as with getpwuid(3). Only the host's
 *     files are read: CONTAINER_ID is never set.
 *   CONTAINER (§8.4), one per distinct container id: ID and RUNTIME
 *     ("docker", "containerd", "cri-o", "podman" or "kubepods" when only
 *     the kubepods path says it is a container). Name and image are not in
 *     /proc and are left out.
 *
 * A process that vanishes while it is read is normal on a live system: it
 * is skipped and counted, never an error. Every file is read with a bound
 * and every value parsed with a check; content that does not parse leaves
 * the field out (or the process, when its stat line is unusable). */
#ifndef SAKER_PROCFS_H
#define SAKER_PROCFS_H

#include <stddef.h>
#include <stdint.h>

#include "../reader/codec.h"

/* Limits; a value longer than its limit is cut there and counted in
 * procfs_stats.truncated. */
#define PROCFS_ARGS_MAX (64u << 10)        /* /proc/PID/cmdline bytes */
#define PROCFS_ENV_MAX (64u << 10)         /* /proc/PID/environ bytes */
#define PROCFS_ENV_TOTAL_MAX (16u << 20)   /* environ bytes in one snapshot;
                                              past it ENV is left out */
#define PROCFS_FILE_MAX (64u << 10)        /* status, cgroup, other files */
#define PROCFS_LINE_MAX 8192               /* one line of passwd or group */
#define PROCFS_MAX_NETNS 1024              /* namespaces whose tables are read */

struct procfs_stats {
    uint64_t processes;        /* thread groups recorded */
    uint64_t threads;          /* THREAD records */
    uint64_t fds;              /* FD records */
    uint64_t sockets;          /* FD records of sockets */
    uint64_t tuples;           /* of which were found in a network table */
    uint64_t skipped;          /* processes that vanished mid-walk */
    uint64_t threads_skipped;  /* threads that vanished mid-walk */
    uint64_t unreadable;       /* files or directories refused (EACCES...) */
    uint64_t malformed;        /* stat lines, table and passwd/group lines
                                  that did not parse (left out) */
    uint64_t truncated;        /* values cut to a limit */
    uint64_t netns;            /* network namespaces whose tables were read */
    uint64_t users, groups, containers;
};

/* Appends the §8 records of a snapshot of proc_root (normally "/proc") and
 * of /etc/passwd and /etc/group to out, sets *count to the number of
 * records appended and *st to what was seen. Returns 0, or -1 with the
 * reason in err (proc_root cannot be listed, or out of memory); out is
 * then as it was. Each record is one whole §5 field, so a caller may cut
 * out between records into several CHECKPOINT blocks (§8), which it must
 * when out passes a block's raw limit (SKR_MAX_RAW_LEN). The snapshot is
 * not atomic: each file says what it said when read, so the recorder
 * starts capturing before it takes one. */
int procfs_snapshot(const char *proc_root, struct skr_buf *out, uint32_t *count,
                    struct procfs_stats *st, char *err, size_t errlen);
/* The same with the users and groups read from etc_root/passwd and
 * etc_root/group (NULL: none). Tests point both roots at fake trees. */
int procfs_snapshot_at(const char *proc_root, const char *etc_root, struct skr_buf *out,
                       uint32_t *count, struct procfs_stats *st, char *err, size_t errlen);

#endif
