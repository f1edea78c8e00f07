/* filter_evnames.c -- every event type name Falco accepts after evt.type:
 * the names of libsinsp's event table (driver/event_table.c: syscall,
 * procexit, switch, container, ...) and of its syscall codes
 * (driver/ppm_events_public.h, PPM_SC_*), plus the x86-64 syscall names
 * of <asm/unistd_64.h>. libsinsp rejects any other name when compiling
 * ("unknown event type X", sinsp_filtercheck_event.cpp
 * validate_filter_value); so does saker, whatever a trace records.
 * The table is sorted (strcmp order) for binary search. */
#include <stdlib.h>
#include <string.h>

#include "filter_int.h"

static const char *const evnames[] = {
    "_llseek", "_newselect", "_sysctl", "accept", "accept4", "access", "acct", "add_key",
    "adjtimex", "afs_syscall", "alarm", "arch_prctl", "asyncevent", "bdflush", "bind", "bpf",
    "brk", "cachestat", "capget", "capset", "chdir", "chmod", "chown", "chroot", "clock_adjtime",
    "clock_getres", "clock_gettime", "clock_nanosleep", "clock_settime", "clone", "clone3",
    "close", "close_range", "connect", "container", "copy_file_range", "cpu_hotplug", "creat",
    "create_module", "delete_module", "drop", "dup", "dup2", "dup3", "epoll_create",
    "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait",
    "epoll_wait_old", "eventfd", "eventfd2", "execve", "execveat", "exit", "exit_group",
    "faccessat", "faccessat2", "fadvise64", "fallocate", "fanotify_init", "fanotify_mark",
    "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchownat", "fcntl", "fcntl64",
    "fdatasync", "fgetxattr", "file_getattr", "file_setattr", "finit_module", "flistxattr",
    "flock", "fork", "fremovexattr", "fsconfig", "fsetxattr", "fsmount", "fsopen", "fspick",
    "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate", "futex",
    "futex_requeue", "futex_wait", "futex_waitv", "futex_wake", "futimesat", "get_kernel_syms",
    "get_mempolicy", "get_robust_list", "get_thread_area", "getcpu", "getcwd", "getdents",
    "getdents64", "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32",
    "getgroups", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getpmsg", "getppid",
    "getpriority", "getrandom", "getresgid", "getresgid32", "getresuid", "getresuid32",
    "getrlimit", "getrusage", "getsid", "getsockname", "getsockopt", "gettid", "gettimeofday",
    "getuid", "getuid32", "getxattr", "getxattrat", "groupadded", "groupdeleted", "idle", "infra",
    "init_module", "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch",
    "io_cancel", "io_destroy", "io_getevents", "io_pgetevents", "io_setup", "io_submit",
    "io_uring_enter", "io_uring_register", "io_uring_setup", "ioctl", "ioperm", "iopl",
    "ioprio_get", "ioprio_set", "ipc", "k8s", "kcmp", "kexec_file_load", "kexec_load", "keyctl",
    "kill", "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self", "lchown",
    "lgetxattr", "link", "linkat", "listen", "listmount", "listns", "listxattr", "listxattrat",
    "llistxattr", "llseek", "lookup_dcookie", "lremovexattr", "lseek", "lsetxattr",
    "lsm_get_self_attr", "lsm_list_modules", "lsm_set_self_attr", "lstat", "lstat64", "madvise",
    "map_shadow_stack", "mbind", "membarrier", "memfd_create", "memfd_secret", "mesos",
    "migrate_pages", "mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock", "mlock2",
    "mlockall", "mmap", "mmap2", "modify_ldt", "mount", "mount_setattr", "move_mount",
    "move_pages", "mprotect", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
    "mq_timedsend", "mq_unlink", "mremap", "mseal", "msgctl", "msgget", "msgrcv", "msgsnd",
    "msync", "multiplexer", "munlock", "munlockall", "munmap", "na_1", "name_to_handle_at",
    "nanosleep", "newfstatat", "nfsservctl", "nice", "notification", "oldfstat", "oldlstat",
    "oldolduname", "oldstat", "olduname", "open", "open_by_handle_at", "open_tree",
    "open_tree_attr", "openat", "openat2", "page_fault", "page_fault_kernel", "page_fault_user",
    "pause", "pciconfig_iobase", "pciconfig_read", "pciconfig_write", "perf_event_open",
    "personality", "pidfd_getfd", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2", "pivot_root",
    "pkey_alloc", "pkey_free", "pkey_mprotect", "pluginevent", "poll", "ppoll", "prctl", "pread",
    "pread64", "preadv", "preadv2", "prlimit", "prlimit64", "process_madvise", "process_mrelease",
    "process_vm_readv", "process_vm_writev", "procexit", "procinfo", "pselect6", "ptrace",
    "putpmsg", "pwrite", "pwrite64", "pwritev", "pwritev2", "query_module", "quotactl",
    "quotactl_fd", "read", "readahead", "readdir", "readlink", "readlinkat", "readv", "reboot",
    "recv", "recvfrom", "recvmmsg", "recvmsg", "remap_file_pages", "removexattr", "removexattrat",
    "rename", "renameat", "renameat2", "request_key", "restart_syscall", "riscv_flush_icache",
    "riscv_hwprobe", "rmdir", "rseq", "rseq_slice_yield", "rt_sigaction", "rt_sigpending",
    "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
    "rt_tgsigqueueinfo", "rtas", "s390_guarded_storage", "s390_pci_mmio_read",
    "s390_pci_mmio_write", "s390_runtime_instr", "s390_sthyi", "scapevent",
    "sched_get_priority_max", "sched_get_priority_min", "sched_getaffinity", "sched_getattr",
    "sched_getparam", "sched_getscheduler", "sched_process_exit", "sched_rr_get_interval",
    "sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_switch",
    "sched_yield", "seccomp", "security", "select", "semctl", "semget", "semop", "semtimedop",
    "send", "sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto", "set_mempolicy",
    "set_mempolicy_home_node", "set_robust_list", "set_thread_area", "set_tid_address",
    "setdomainname", "setfsgid", "setfsuid", "setgid", "setgid32", "setgroups", "sethostname",
    "setitimer", "setns", "setpgid", "setpriority", "setregid", "setresgid", "setresgid32",
    "setresuid", "setresuid32", "setreuid", "setrlimit", "setsid", "setsockopt", "settimeofday",
    "setuid", "setuid32", "setxattr", "setxattrat", "sgetmask", "shmat", "shmctl", "shmdt",
    "shmget", "shutdown", "sigaction", "sigaltstack", "signal", "signal_deliver", "signaldeliver",
    "signalfd", "signalfd4", "sigpending", "sigprocmask", "sigreturn", "sigsuspend", "socket",
    "socketcall", "socketpair", "splice", "spu_create", "spu_run", "ssetmask", "stat", "stat64",
    "statfs", "statfs64", "statmount", "statx", "stime", "subpage_prot", "swapcontext", "swapoff",
    "swapon", "switch", "switch_endian", "symlink", "symlinkat", "sync", "sync_file_range",
    "sync_file_range2", "syncfs", "sys_debug_setcontext", "syscall", "sysfs", "sysinfo", "syslog",
    "task", "task_file_directory", "task_file_memfd", "task_file_pipe", "task_file_regular",
    "task_file_socket_inet", "task_file_socket_inet6", "task_file_socket_netlink",
    "task_file_socket_unix", "tee", "tgkill", "time", "timer_create", "timer_delete",
    "timer_getoverrun", "timer_gettime", "timer_settime", "timerfd", "timerfd_create",
    "timerfd_gettime", "timerfd_settime", "times", "tkill", "tracer", "truncate", "tuxcall",
    "ugetrlimit", "umask", "umount", "umount2", "uname", "unknown", "unlink", "unlinkat",
    "unshare", "uprobe", "uretprobe", "uselib", "useradded", "userdeleted", "userfaultfd", "ustat",
    "utime", "utimensat", "utimes", "vfork", "vhangup", "vm86", "vmsplice", "vserver", "wait4",
    "waitid", "waitpid", "write", "writev",
};

static int by_name(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

bool filter_evtype_known(const char *name)
{
    return bsearch(name, evnames, sizeof evnames / sizeof *evnames, sizeof *evnames, by_name);
}
