/* state.h -- the system state a trace describes, rebuilt by replaying it:
 * threads and processes, their file descriptors, containers, users and
 * groups. This is what makes proc.*, fd.*, user.* and container.* fields
 * mean something on an event.
 *
 * Replay starts from a CHECKPOINT (state_load_checkpoint) and then applies
 * every event in order (state_apply). The state works through event and
 * parameter *names* (falcosecurity/libs names, see capture/event_table.c),
 * resolved once per schema, so saker recordings (one COMBINED event per
 * syscall) and imported scap captures (ENTER/EXIT pairs) replay through the
 * same code.
 *
 * Invariants:
 *  - every thread's fds pointer is non-NULL; threads of one process that
 *    share an fd table (CLONE_FILES) point at the same table, refcounted.
 *  - a thread's pid equals the tid of its process's main thread.
 *  - tables are bounded (struct state_limits); an insertion beyond a limit
 *    evicts the oldest dead/least recently used entry and counts it in
 *    struct state_stats; nothing ever fails for lack of room.
 *
 * Lifetime: pointers returned by the lookups are valid until the next
 * state_apply or state_load_checkpoint call. */
#ifndef SAKER_STATE_H
#define SAKER_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../reader/event.h"
#include "../reader/schema.h"

/* fd type characters (Falco's fd.typechar) */
enum st_fd_type {
    ST_FD_FILE = 'f', ST_FD_DIR = 'd', ST_FD_IPV4 = '4', ST_FD_IPV6 = '6',
    ST_FD_UNIX = 'u', ST_FD_PIPE = 'p', ST_FD_EVENT = 'e', ST_FD_SIGNALFD = 's',
    ST_FD_EVENTPOLL = 'l', ST_FD_INOTIFY = 'i', ST_FD_TIMERFD = 't',
    ST_FD_NETLINK = 'n', ST_FD_BPF = 'b', ST_FD_USERFAULTFD = 'u' + 1 /* 'v' */,
    ST_FD_IOURING = 'r', ST_FD_MEMFD = 'm', ST_FD_PIDFD = 'P', ST_FD_UNKNOWN = 'o',
};

enum st_fd_role { ST_ROLE_NONE = 0, ST_ROLE_CLIENT = 1, ST_ROLE_SERVER = 2 };

/* A socket's endpoints. family is AF_INET, AF_INET6, AF_UNIX or 0.
 * Addresses in network byte order (IPv4 in the first 4 bytes), ports in
 * host order. For AF_UNIX, name holds the path (in the fd's name). */
struct st_tuple {
    uint8_t family;
    uint8_t l4proto;          /* IPPROTO_TCP, IPPROTO_UDP, 0 unknown */
    uint8_t sip[16], dip[16];
    uint16_t sport, dport;
};

struct st_fd {
    int64_t num;
    char type;                /* enum st_fd_type */
    uint8_t role;             /* enum st_fd_role */
    bool name_changed;        /* name was set by this event (Falco's fd.name_changed) */
    uint32_t open_flags;      /* O_* flags as opened (PPM-independent: Linux values) */
    uint64_t ino, dev;
    char *name;               /* absolute path, "sip:sport->dip:dport", pipe:[ino], ... */
    struct st_tuple tuple;
};

struct st_fdtable;            /* opaque: a process's fds */

struct st_thread {
    int64_t tid, pid, ppid;
    int64_t vtid, vpid, sid, pgid, vpgid;
    char *comm;               /* proc.name */
    char *exe;                /* argv[0] as given (proc.exe) */
    char *exepath;            /* full executable path (proc.exepath) */
    char *args;               /* arguments after argv[0], each ended by NUL */
    size_t args_len;
    char *env;                /* environment entries, each ended by NUL */
    size_t env_len;
    char *cwd;                /* ends with '/' */
    char *root;               /* chroot, "/" by default */
    char *container_id;       /* "" = host */
    char *cgroups;            /* "controller=path" entries, each ended by NUL */
    size_t cgroups_len;
    uint32_t uid, gid, euid, egid, loginuid; /* 0xffffffff = unset */
    uint32_t tty;
    uint64_t cap_inheritable, cap_permitted, cap_effective;
    uint64_t exe_ino, exe_ino_ctime, exe_ino_mtime;
    uint32_t exe_flags;       /* ST_EXE_* */
    uint64_t clone_ts;        /* thread/process start, ns since the epoch */
    uint64_t exec_ts;         /* last successful exec, 0 if none seen */
    uint64_t last_ts;         /* last event of this thread */
    uint32_t flags;           /* ST_TH_* */
    /* scap captures: user.name of newer libsinsp is that of stale_uid (the
     * uid before the thread's first exec) until a setuid (state_events.c) */
    bool user_stale;
    uint32_t stale_uid;
    struct st_fdtable *fds;
};

enum {
    ST_EXE_WRITABLE = 1, ST_EXE_UPPER_LAYER = 2, ST_EXE_FROM_MEMFD = 4,
    ST_EXE_LOWER_LAYER = 8,
};
enum {
    ST_TH_FROM_CHECKPOINT = 1, /* known from a checkpoint, not seen created */
    ST_TH_INCOMPLETE = 2,      /* invented from an event of an unknown tid */
    ST_TH_DEAD = 4,            /* exited; kept until removed */
    ST_TH_VFORK_CHILD = 8,
};

struct st_container {
    char *id;                 /* 12 hex chars for docker-style ids */
    char *name, *image, *image_repository, *image_tag, *runtime;
    bool privileged;
    uint64_t start_ts;
    char *labels;             /* "k=v" entries, each ended by NUL */
    size_t labels_len;
};

struct st_user { uint32_t uid; char *name, *home, *shell; char *container_id; };
struct st_group { uint32_t gid; char *name; char *container_id; };

struct state_limits {
    size_t max_threads;       /* default 131072 */
    size_t max_fds_per_process; /* default 65536 */
    size_t max_containers;    /* default 4096 */
};

struct state_stats {
    uint64_t events, threads_created, threads_removed;
    uint64_t threads_evicted, fds_evicted, containers_evicted;
    uint64_t unknown_threads;   /* events of tids no checkpoint or clone told of */
    uint64_t checkpoints_loaded;
};

/* What state_apply found out about the event just applied: the thread it
 * belongs to and the fd it works on, as filters and output fields must see
 * them. For a close, fd is the descriptor as it was before closing (it is
 * removed from the table only at the next state_apply); for an exec, thread
 * already shows the new program. */
struct st_event {
    const struct skr_event *ev;
    struct st_thread *thread;   /* NULL only when the event has no tid */
    struct st_fd *fd;           /* NULL when the event has no fd argument or it is unknown */
    int64_t fdnum;              /* the fd argument, -1 if none */
    /* scap captures: the ENTER event paired with this EXIT event (same
     * thread, same syscall), or NULL. Its params are valid until the next
     * state_apply. */
    const struct skr_event *enter;
    /* scap captures: the event is one libs flags as making, using or
     * closing an fd, so fd.num and fd.typechar have values (fdnum may then
     * be -1, as libsinsp prints it). Always false for saker's events. */
    bool fd_event;
    /* scap captures: the capture was made by a libs newer than sysdig
     * 0.29's (it holds syscall events that libs did not know), so fields
     * follow newer libsinsp (users looked up per container...). */
    bool scap_new;
};

struct state;

struct state *state_new(const struct state_limits *limits); /* NULL limits = defaults */
void state_free(struct state *st);

/* Loads a §8 checkpoint payload. With replace, the whole state becomes the
 * checkpoint's (replay starting here); without, the checkpoint only fills
 * in what the state does not know yet (a periodic checkpoint met while
 * replaying: the events applied so far are newer than /proc was). Returns
 * 0, or -1 with a reason in err (then the state is as before the call,
 * never half-loaded). */
int state_load_checkpoint(struct state *st, const uint8_t *payload, size_t len, bool replace,
                          char *err, size_t errlen);
/* The recording's boot time (the header's BOOT_NS): checkpoints give
 * thread start times since boot (§8.1 START_NS), clone_ts is since the
 * epoch. 0 (the default) leaves those times since boot. */
void state_set_boot_ns(struct state *st, uint64_t boot_ns);

/* Applies one event (ev->def gives its name, direction and parameter
 * names) and fills *out. Never fails: an event the state cannot make sense
 * of leaves the state as it was. */
void state_apply(struct state *st, const struct skr_event *ev, struct st_event *out);

struct st_thread *state_thread(struct state *st, int64_t tid);
/* The main thread of th's process (th itself for a main thread). */
struct st_thread *state_process(struct state *st, const struct st_thread *th);
/* The parent process of th's process, NULL when unknown. */
struct st_thread *state_parent(struct state *st, const struct st_thread *th);
/* Ancestor `level` generations up (1 = parent), NULL when unknown. */
struct st_thread *state_ancestor(struct state *st, const struct st_thread *th, int level);
/* The session leader process of th (proc.sname), NULL when unknown. */
struct st_thread *state_session_leader(struct state *st, const struct st_thread *th);
struct st_fd *state_fd(struct state *st, const struct st_thread *th, int64_t fd);
/* Calls fn for each open fd of th's process, in fd order. */
void state_foreach_fd(struct state *st, const struct st_thread *th,
                      void (*fn)(void *ctx, const struct st_fd *fd), void *ctx);
size_t state_nfds(struct state *st, const struct st_thread *th);
struct st_container *state_container(struct state *st, const char *id);
struct st_user *state_user(struct state *st, uint32_t uid, const char *container_id);
struct st_group *state_group(struct state *st, uint32_t gid, const char *container_id);
/* Calls fn for each live thread (order unspecified). */
void state_foreach_thread(struct state *st, void (*fn)(void *ctx, struct st_thread *th),
                          void *ctx);
const struct state_stats *state_stats(const struct state *st);

#endif
