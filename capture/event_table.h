/* event_table.h -- the event types saker's recorder writes: their ids and
 * the schema table (man/saker-trace.5 §6) put in every recording's header.
 *
 * A saker recording has one COMBINED event per syscall, carrying the entry
 * arguments and the return value. Event and parameter names follow
 * falcosecurity/libs so that Falco rules' evt.type, evt.arg.NAME and
 * evt.rawarg.NAME work unchanged on our recordings. Readers never use this
 * table: they decode through the schema stored in the file.
 *
 * Ids are dense and equal to the position in saker_evt_table. Adding an
 * event means appending an id before SAKER_EVT_COUNT and a table entry. */
#ifndef SAKER_EVENT_TABLE_H
#define SAKER_EVENT_TABLE_H

#include "../reader/schema.h"

enum saker_evt_id {
    /* meta */
    SAKER_EVT_SYSCALL,      /* a syscall with no handler of its own */
    SAKER_EVT_PROCEXIT,     /* scheduler: a thread has exited */
    /* process */
    SAKER_EVT_EXECVE,
    SAKER_EVT_EXECVEAT,
    SAKER_EVT_CLONE,
    SAKER_EVT_CLONE3,
    SAKER_EVT_FORK,
    SAKER_EVT_VFORK,
    SAKER_EVT_EXIT,
    SAKER_EVT_EXIT_GROUP,
    /* file descriptors */
    SAKER_EVT_OPEN,
    SAKER_EVT_OPENAT,
    SAKER_EVT_OPENAT2,
    SAKER_EVT_CREAT,
    SAKER_EVT_CLOSE,
    SAKER_EVT_DUP,
    SAKER_EVT_DUP2,
    SAKER_EVT_DUP3,
    SAKER_EVT_FCNTL,
    SAKER_EVT_PIPE,
    SAKER_EVT_PIPE2,
    /* network */
    SAKER_EVT_SOCKET,
    SAKER_EVT_SOCKETPAIR,
    SAKER_EVT_CONNECT,
    SAKER_EVT_ACCEPT,
    SAKER_EVT_ACCEPT4,
    SAKER_EVT_BIND,
    SAKER_EVT_LISTEN,
    SAKER_EVT_SENDTO,
    SAKER_EVT_RECVFROM,
    SAKER_EVT_SENDMSG,
    SAKER_EVT_RECVMSG,
    /* I/O */
    SAKER_EVT_READ,
    SAKER_EVT_WRITE,
    SAKER_EVT_PREAD,        /* pread64 */
    SAKER_EVT_PWRITE,       /* pwrite64 */
    SAKER_EVT_READV,
    SAKER_EVT_WRITEV,
    /* file system */
    SAKER_EVT_UNLINK,
    SAKER_EVT_UNLINKAT,
    SAKER_EVT_RENAME,
    SAKER_EVT_RENAMEAT,
    SAKER_EVT_RENAMEAT2,
    SAKER_EVT_MKDIR,
    SAKER_EVT_MKDIRAT,
    SAKER_EVT_RMDIR,
    SAKER_EVT_SYMLINK,
    SAKER_EVT_SYMLINKAT,
    SAKER_EVT_LINK,
    SAKER_EVT_LINKAT,
    SAKER_EVT_CHMOD,
    SAKER_EVT_FCHMOD,
    SAKER_EVT_FCHMODAT,
    SAKER_EVT_CHOWN,
    SAKER_EVT_FCHOWN,
    SAKER_EVT_LCHOWN,
    SAKER_EVT_FCHOWNAT,
    SAKER_EVT_MOUNT,
    SAKER_EVT_UMOUNT2,
    SAKER_EVT_CHDIR,
    SAKER_EVT_FCHDIR,
    SAKER_EVT_CHROOT,
    /* credentials */
    SAKER_EVT_SETUID,
    SAKER_EVT_SETGID,
    SAKER_EVT_SETREUID,
    SAKER_EVT_SETREGID,
    SAKER_EVT_SETRESUID,
    SAKER_EVT_SETRESGID,
    SAKER_EVT_CAPSET,
    /* signals */
    SAKER_EVT_KILL,
    SAKER_EVT_TKILL,
    SAKER_EVT_TGKILL,
    /* memory */
    SAKER_EVT_MMAP,
    SAKER_EVT_MPROTECT,
    SAKER_EVT_MEMFD_CREATE,
    SAKER_EVT_USERFAULTFD,
    /* kernel, namespaces, tracing */
    SAKER_EVT_PTRACE,
    SAKER_EVT_BPF,
    SAKER_EVT_INIT_MODULE,
    SAKER_EVT_FINIT_MODULE,
    SAKER_EVT_UNSHARE,
    SAKER_EVT_SETNS,
    SAKER_EVT_PRCTL,
    SAKER_EVT_IO_URING_SETUP,

    SAKER_EVT_COUNT
};

/* Entry i has id i; every entry is SKR_DIR_COMBINED. */
extern struct skr_event_def saker_evt_table[SAKER_EVT_COUNT];

#endif
