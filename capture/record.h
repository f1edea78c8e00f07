/* record.h -- the one contract between saker's BPF programs (record.bpf.c
 * and its record_*.bpf.h family parts) and the recorder in user space
 * (record.c, record_decode.c): configuration the kernel side reads, and the
 * records it sends through the ring buffer.
 *
 * This is an in-memory contract between two halves built together, never a
 * file format (man/saker-trace.5 is that): user space turns each record into
 * a saker event. The kernel side only filters and copies (STYLE rule 2).
 *
 * Syscall numbers are x86_64's: the BPF side dispatches on them and this is
 * the only architecture built and tested so far. */
#ifndef SAKER_RECORD_H
#define SAKER_RECORD_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#if !defined(__x86_64__) && !defined(__TARGET_ARCH_x86)
#error "saker record: syscall numbers are defined for x86_64 only"
#endif

/* Syscall numbers used by the kernel side (x86_64, asm/unistd_64.h). */
enum rec_nr {
    NR_read = 0, NR_write = 1, NR_open = 2, NR_close = 3, NR_mmap = 9, NR_mprotect = 10,
    NR_pread64 = 17, NR_pwrite64 = 18, NR_readv = 19, NR_writev = 20, NR_pipe = 22,
    NR_dup = 32, NR_dup2 = 33, NR_socket = 41, NR_connect = 42, NR_accept = 43,
    NR_sendto = 44, NR_recvfrom = 45, NR_sendmsg = 46, NR_recvmsg = 47, NR_bind = 49,
    NR_listen = 50, NR_socketpair = 53, NR_clone = 56, NR_fork = 57, NR_vfork = 58,
    NR_execve = 59, NR_exit = 60, NR_kill = 62, NR_fcntl = 72, NR_chdir = 80,
    NR_fchdir = 81, NR_rename = 82, NR_mkdir = 83, NR_rmdir = 84, NR_creat = 85,
    NR_link = 86, NR_unlink = 87, NR_symlink = 88, NR_chmod = 90, NR_fchmod = 91,
    NR_chown = 92, NR_fchown = 93, NR_lchown = 94, NR_ptrace = 101, NR_setuid = 105,
    NR_setgid = 106, NR_setreuid = 113, NR_setregid = 114, NR_setresuid = 117,
    NR_setresgid = 119, NR_capset = 126, NR_chroot = 161, NR_mount = 165,
    NR_umount2 = 166, NR_init_module = 175, NR_tkill = 200, NR_exit_group = 231,
    NR_tgkill = 234, NR_openat = 257, NR_mkdirat = 258, NR_fchownat = 260,
    NR_unlinkat = 263, NR_renameat = 264, NR_linkat = 265, NR_symlinkat = 266,
    NR_fchmodat = 268, NR_unshare = 272, NR_accept4 = 288, NR_dup3 = 292,
    NR_pipe2 = 293, NR_prctl = 157, NR_setns = 308, NR_finit_module = 313,
    NR_renameat2 = 316, NR_memfd_create = 319, NR_bpf = 321, NR_execveat = 322,
    NR_userfaultfd = 323, NR_io_uring_setup = 425, NR_clone3 = 435, NR_openat2 = 437,
};

#define REC_MAX_SYSCALL 512      /* syscall numbers below this are recorded */
#define REC_PID_MAX (4 * 1024 * 1024) /* PID_MAX_LIMIT on 64-bit
                                         (include/linux/threads.h) */
#define REC_PATH_MAX 4096        /* one path or string blob */
#define REC_ARGV_MAX 4096        /* argv or env, NUL-separated */
#define REC_COMM_LEN 16
#define REC_MAX_BLOBS 6
#define REC_MAX_SIZE (64 * 1024) /* a whole record: the per-CPU scratch size */
#define REC_SNAPLEN_MAX (16 * 1024) /* cfg.snaplen above this is cut to it: a
                                     * blob starts below REC_MAX_SIZE / 2, so
                                     * start + data must stay in the scratch */

/* The maps user space touches (names as in the skeleton):
 *   rec_events    ringbuf; max_entries = its size in bytes (power of 2)
 *   rec_scratch   array, __u32 cpu -> REC_MAX_SIZE bytes; user space MUST
 *                 set max_entries to libbpf_num_possible_cpus() before
 *                 load (a CPU without a slot counts drops_scratch)
 *   rec_syscalls  array, __u32 nr -> __u8 enum rec_syscall_flags
 *   rec_tracked   array, a bitmap of tgids: __u32 tgid / 64 -> __u64 word,
 *                 bit tgid % 64; REC_PID_MAX / 64 words. Seeded by user
 *                 space when cfg.filter_pids (before attach), then
 *                 children are added and exited processes removed by the
 *                 kernel side
 *   rec_stats     percpu array, one struct rec_cpu_stats
 * rec_exec and rec_pathbuf are the kernel side's own. */

/* Per-syscall configuration (array map rec_syscalls, index = number). */
enum rec_syscall_flags {
    RSC_ENABLED = 1,   /* record it */
    RSC_STATE = 2,     /* changes process/fd state: kept even when the
                          pid/comm/cgroup filter would drop it */
};

/* Read-only globals the recorder sets before load (execsnoop style). */
struct rec_config {
    __u32 self_tgid;          /* the recorder: never recorded */
    __u32 snaplen;            /* data bytes kept of read/write/send/recv */
    __u32 filter_pids;        /* 1: only tgids in rec_tracked (and children) */
    __u32 filter_comm;        /* 1: only comm == comm (for non-state events) */
    __u64 filter_cgroup;      /* nonzero: only this cgroup id (for non-state) */
    char comm[REC_COMM_LEN];  /* NUL-padded to the end: compared as 16 bytes */
    __u32 wakeup_bytes;       /* 0: wake the reader for each record written
                                 while it is idle (libbpf's default); N: only
                                 once N bytes wait, so the reader must poll
                                 with a timeout. Each wakeup is an irq_work
                                 on the writing CPU: 4M recorded syscalls of
                                 dd took 10.8 s with 0, 3.3 s with 64 KiB */
    __u32 enter_prog;         /* 1: rec_sys_enter is loaded (a kernel
                                 without sched_prepare_exec, before 6.10)
                                 and records exit/exit_group at entry */
};

enum rec_kind {
    RK_SYSCALL = 1,           /* one syscall, arguments and result */
    RK_PROCEXIT = 2,          /* sched_process_exit */
};

/* Blob tags: what a variable-length part of a record holds. */
enum rec_blob {
    RB_PATH = 1,       /* first path/string argument (see record_decode.c) */
    RB_PATH2 = 2,      /* second path/string argument */
    RB_DATA = 3,       /* I/O buffer, up to snaplen bytes */
    RB_SOCKADDR = 4,   /* struct sockaddr as the caller passed or got it */
    RB_ARGV = 5,       /* exec: argv, NUL-separated */
    RB_ENV = 6,        /* exec: environment, NUL-separated (cut at REC_ARGV_MAX) */
    RB_EXE = 7,        /* exec: the path of the executable file (d_path walk) */
    RB_CWD = 8,        /* exec/clone, chdir/fchdir after: working directory */
    RB_TUPLE = 9,      /* socket tuple: struct rec_tuple */
    RB_FDS = 10,       /* pipe/pipe2/socketpair: two __s32 */
    RB_PROC = 11,      /* exec/clone/fork: struct rec_proc */
    RB_PATH3 = 12,     /* third string argument (mount's fs type) */
    RB_FILE = 13,      /* open, openat, openat2, creat: the new fd's file;
                          pipe, pipe2: the first fd's; struct rec_file */
    RB_ARGSTRUCT = 14, /* a struct argument as the kernel left it at exit:
                          openat2's struct open_how, clone3's struct
                          clone_args, io_uring_setup's io_uring_params */
};

/* Strings: PATH, PATH2, PATH3, EXE and CWD hold the bytes without the
 * terminating NUL; ARGV and ENV hold each string with its NUL. A string
 * argument the kernel side could not read (bad pointer, page not present)
 * has no blob at all; a string cut to REC_PATH_MAX or REC_ARGV_MAX sets
 * REC_F_TRUNCATED. EXE and CWD are walked up from the file, so a cut one
 * loses its top instead: it sets REC_F_TRUNCATED and does not start with
 * '/' (a whole one always does). DATA is cut to snaplen without that flag
 * (ret and the size argument say how much there was). */

/* A blob inside a record: this header, then len bytes, then padding so the
 * next blob starts at a multiple of 8 from the record's start (padding
 * bytes are undefined). */
struct rec_blob_hdr {
    __u16 tag;
    __u16 len;
};

/* struct rec_tuple: a connected socket as the kernel sees it. For AF_UNIX
 * the ports are 0, saddr[0..8) and daddr[0..8) hold the socket's and its
 * peer's inode numbers (the N of "socket:[N]", __u64 little-endian, 0 when
 * unknown), and the blob goes on past the struct with the sun_path bytes
 * of the peer's address, or the socket's own if the peer has none, as the
 * kernel keeps them: a pathname usually ends with its NUL, an abstract
 * name starts with one; len says where it ends. */
struct rec_tuple {
    __u16 family;             /* AF_INET, AF_INET6, AF_UNIX */
    __u16 sport, dport;       /* host byte order */
    __u16 pad;
    __u8 saddr[16], daddr[16];/* network order; IPv4 in the first 4 bytes */
};

/* struct rec_file: which file an fd refers to, as stat(2) would say. */
struct rec_file {
    __u64 ino;
    __u32 dev;                /* (major << 20) | minor, the kernel's dev_t */
    __u32 pad;
};

/* struct rec_proc: what a process is, sampled at exec/clone exit. */
struct rec_proc {
    __u32 pid, tid, ppid;     /* tgid, thread id, parent's tgid */
    __u32 vpid, vtid;         /* ids in the task's pid namespace */
    __u32 uid, gid, euid, egid, loginuid;
    __u32 sid, pgid, vpgid;
    __u32 tty;                /* (major << 20) | minor, 0 without one */
    __u64 cgroup_id;          /* bpf_get_current_cgroup_id() */
    __u64 pidns_init_start;   /* start time of the namespace's init (ns) */
    __u64 start_time;         /* task start (boot-time ns) */
    __u64 cap_permitted, cap_effective, cap_inheritable;
    __u32 flags;              /* task flags */
    __u32 pad;
    char comm[REC_COMM_LEN];
};

/* The fixed head of every record; blobs follow, each 8-byte aligned. */
struct rec_hdr {
    __u64 ts;                 /* bpf_ktime_get_boot_ns() at exit */
    __u32 tid, pid;           /* thread, tgid */
    __u32 cpu;
    __u16 kind;               /* enum rec_kind */
    __u16 nr;                 /* syscall number (RK_SYSCALL) */
    __s64 ret;                /* return value; exit code for RK_PROCEXIT */
    __u64 args[6];            /* raw syscall arguments: the registers at
                                 exit, which still hold them (record.bpf.c);
                                 exec's as saved at entry; 0 with
                                 REC_F_NO_ENTER */
    __u32 size;               /* bytes in use, header and blobs; a record
                                 reserved at its largest is a longer ring
                                 sample (record_core.bpf.h DESIGN) */
    __u16 nblobs;
    __u16 flags;              /* REC_F_* */
};

enum rec_flags {
    REC_F_NO_ENTER = 1,       /* arguments unknown: the child side of clone,
                                 an exec whose entry was not seen */
    REC_F_TRUNCATED = 2,      /* a blob was cut to fit */
};

/* Per-CPU counters (percpu array rec_stats, one element). */
struct rec_cpu_stats {
    __u64 events;             /* records submitted */
    __u64 drops;              /* ring buffer full: record lost */
    __u64 drops_scratch;      /* record too big for the scratch buffer */
};

#endif
