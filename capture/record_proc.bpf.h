/* record_proc.bpf.h -- process and fd-table calls for record.bpf.c: exec's
 * strings kept from entry to exit, what a process is (struct rec_proc) at
 * exec and clone, and the few other calls with more than a header.
 *
 *   execve, execveat    PATH = filename, ARGV, ENV (cut), EXE, CWD, PROC;
 *                       without an entry (see DESIGN): ARGV, EXE, CWD, PROC
 *   clone, clone3,      PROC, CWD, in the parent (ret = child's tid) and
 *   fork, vfork         in the child (ret 0, REC_F_NO_ENTER, no args);
 *                       clone3's parent also ARGSTRUCT = struct clone_args
 *   capset              PROC (the capabilities after the call)
 *   prctl               PATH = a1 for PR_SET_NAME
 *   pipe, pipe2         FDS = the two fds, FILE of the first (on success)
 *   io_uring_setup      ARGSTRUCT = struct io_uring_params as filled in
 *   exit, exit_group    recorded by sched_process_exit (record.bpf.c), ret 0
 *   setuid family, ptrace, kill, tkill, tgkill, unshare, setns, bpf,
 *   mmap, mprotect, userfaultfd, dup*, fcntl, close: the header only
 *
 * DESIGN
 * A successful exec has replaced the mm and reset the registers by the
 * time it returns, so the arguments, filename, argv and envp are read
 * before, at sched_prepare_exec (record.bpf.c DESIGN; sys_enter on
 * kernels before 6.10), into rec_exec, keyed by thread id, and copied into
 * the record at exit. An exec that fails before that point returns with
 * the registers and mm it came with: its exit reads them itself. A non-leader thread that execs takes the leader's pid (de_thread()
 * in fs/exec.c), so its exit finds no entry under that pid (the leader's
 * exit deleted any): the exec is then recorded with REC_F_NO_ENTER and no
 * arguments, and ARGV comes from the new mm's argument area
 * (mm->arg_start..arg_end) instead; PATH and ENV are missing. The same
 * happens if the LRU map dropped the entry. */
#ifndef SAKER_RECORD_PROC_BPF_H
#define SAKER_RECORD_PROC_BPF_H

#define REC_ARGC_MAX 128         /* argv/envp strings read; more is a cut */
#define REC_EXEC_NOPATH 0xffffffffu
#define REC_PR_SET_NAME 15       /* include/uapi/linux/prctl.h */

/* One exec in flight. room[] follows env[] because the verifier checks a
 * string read at env + off (off < REC_ARGV_MAX) of up to REC_ARGV_MAX
 * bytes against the value's end, not against the smaller bound the
 * program really uses (REC_ARGV_MAX - off). */
struct rec_exec {
    __u64 args[6];               /* the registers at entry */
    __u32 path_len;              /* REC_EXEC_NOPATH: unreadable */
    __u32 argv_len, env_len;
    __u16 flags;                 /* REC_F_TRUNCATED */
    __u16 pad;
    char path[REC_PATH_MAX];
    char argv[REC_ARGV_MAX];
    char env[REC_ARGV_MAX];
    char room[REC_ARGV_MAX];
};

/* Few execs are in flight at once; each entry is 16 KiB, preallocated. */
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 512);
    __type(key, __u32);
    __type(value, struct rec_exec);
} rec_exec SEC(".maps");

static __always_inline bool rec_is_clone(__u32 nr)
{
    return nr == NR_clone || nr == NR_clone3 || nr == NR_fork || nr == NR_vfork;
}

static __always_inline bool rec_is_exec(__u32 nr)
{
    return nr == NR_execve || nr == NR_execveat;
}

/* Append the NULL-terminated string array uv to dst, each string with its
 * NUL, while it fits REC_ARGV_MAX. The length lives in the map value
 * (*lenp) and is reloaded each turn so the verifier's states merge. */
static __always_inline void rec_proc_strv(struct rec_exec *x, char *dst,
                                          __u32 *lenp,
                                          const char *const *uv)
{
    const char *s;
    __u32 i, off;
    long n;

    for (i = 0; i < REC_ARGC_MAX; i++) {
        if (bpf_probe_read_user(&s, sizeof(s), &uv[i]) || !s)
            return;
        off = *(volatile __u32 *)lenp;
        if (off >= REC_ARGV_MAX)
            break;
        off &= REC_ARGV_MAX - 1;
        n = bpf_probe_read_user_str(dst + off, REC_ARGV_MAX - off, s);
        if (n <= 0)
            break;
        *lenp = off + n;
        if (off + n >= REC_ARGV_MAX)
            break;
    }
    /* a string left out: no room, page not present, or too many */
    x->flags |= REC_F_TRUNCATED;
}

/* execve/execveat before it replaces the mm (sched_prepare_exec, a failed
 * one's sys_exit, or sys_enter on old kernels): keep what the exit will
 * need. */
static __always_inline void rec_proc_exec_enter(__u32 tid, __u32 nr,
                                                struct pt_regs *regs)
{
    const char *const *argv, *const *envp;
    const char *file;
    struct rec_exec *x;
    __u32 cpu;
    long n;

    if (nr == NR_execve) {
        file = (const char *)regs->di;
        argv = (const char *const *)regs->si;
        envp = (const char *const *)regs->dx;
    } else {
        file = (const char *)regs->si;
        argv = (const char *const *)regs->dx;
        envp = (const char *const *)regs->r10;
    }
    x = bpf_map_lookup_elem(&rec_exec, &tid);
    if (!x) {
        /* The new entry's bytes do not matter (all fields are set
         * below): any 16 KiB will do, and the scratch slot is free. */
        cpu = bpf_get_smp_processor_id();
        void *any = bpf_map_lookup_elem(&rec_scratch, &cpu);

        if (!any)
            return;
        bpf_map_update_elem(&rec_exec, &tid, any, BPF_ANY);
        x = bpf_map_lookup_elem(&rec_exec, &tid);
        if (!x)
            return;
    }
    rec_args(x->args, regs);
    x->flags = 0;
    x->argv_len = 0;
    x->env_len = 0;
    n = bpf_probe_read_user_str(x->path, REC_PATH_MAX, file);
    x->path_len = n > 0 ? n - 1 : REC_EXEC_NOPATH;
    if (n == REC_PATH_MAX)
        x->flags |= REC_F_TRUNCATED;
    if (argv)
        rec_proc_strv(x, x->argv, &x->argv_len, argv);
    if (envp)
        rec_proc_strv(x, x->env, &x->env_len, envp);
}

static __always_inline void rec_proc_exec_forget(__u32 tid)
{
    bpf_map_delete_elem(&rec_exec, &tid);
}

/* pid's number at namespace level (0: the initial namespace), 0 if the
 * pid is not visible there (include/linux/pid.h: pid_nr_ns). */
static __always_inline __u32 rec_pid_nr(struct pid *pid, __u32 level)
{
    struct upid up = {};

    if (!pid || BPF_CORE_READ(pid, level) < level)
        return 0;
    bpf_core_read(&up, sizeof(up), &pid->numbers[level]);
    return up.nr;
}

/* The controlling tty as its dev_t: (major << 20) | minor, as tty_devnum()
 * computes it (drivers/tty/tty_io.c). */
static __always_inline __u32 rec_proc_tty(struct signal_struct *sig)
{
    struct tty_struct *tty = BPF_CORE_READ(sig, tty);
    __u32 major, minor;

    if (!tty)
        return 0;
    major = BPF_CORE_READ(tty, driver, major);
    minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
    return major << 20 | minor;
}

/* struct rec_proc of the current task. */
static __always_inline void rec_proc_blob(struct rec_hdr *h)
{
    struct task_struct *t = bpf_get_current_task_btf();
    struct rec_proc *p = (void *)rec_blob_start(h);
    struct signal_struct *sig = BPF_CORE_READ(t, signal);
    const struct cred *cred = BPF_CORE_READ(t, cred);
    struct pid *tp = BPF_CORE_READ(t, thread_pid);
    struct pid *pgrp = BPF_CORE_READ(sig, pids[PIDTYPE_PGID]);
    struct pid_namespace *ns;
    __u32 level = BPF_CORE_READ(tp, level);

    if (!p)
        return;
    p->pid = BPF_CORE_READ(t, tgid);
    p->tid = BPF_CORE_READ(t, pid);
    p->ppid = BPF_CORE_READ(t, real_parent, tgid);
    p->vtid = rec_pid_nr(tp, level);
    p->vpid = rec_pid_nr(BPF_CORE_READ(t, group_leader, thread_pid), level);
    p->uid = BPF_CORE_READ(cred, uid.val);
    p->gid = BPF_CORE_READ(cred, gid.val);
    p->euid = BPF_CORE_READ(cred, euid.val);
    p->egid = BPF_CORE_READ(cred, egid.val);
    /* CONFIG_AUDIT only; (uid_t)-1 is "unset" as in /proc/PID/loginuid */
    p->loginuid = bpf_core_field_exists(t->loginuid) ?
                  BPF_CORE_READ(t, loginuid.val) : 0xffffffffu;
    p->sid = rec_pid_nr(BPF_CORE_READ(sig, pids[PIDTYPE_SID]), 0);
    p->pgid = rec_pid_nr(pgrp, 0);
    p->vpgid = rec_pid_nr(pgrp, level);
    p->tty = rec_proc_tty(sig);
    p->cgroup_id = bpf_get_current_cgroup_id();
    p->start_time = BPF_CORE_READ(t, start_boottime);
    bpf_core_read(&ns, sizeof(ns), &tp->numbers[level].ns);
    p->pidns_init_start = BPF_CORE_READ(ns, child_reaper, start_boottime);
    /* kernel_cap_t is a u64 since 6.3 and two u32 before: 8 bytes, the
     * same value on little-endian either way */
    bpf_core_read(&p->cap_permitted, 8, &cred->cap_permitted);
    bpf_core_read(&p->cap_effective, 8, &cred->cap_effective);
    bpf_core_read(&p->cap_inheritable, 8, &cred->cap_inheritable);
    p->flags = BPF_CORE_READ(t, flags);
    p->pad = 0;
    bpf_get_current_comm(p->comm, sizeof(p->comm));
    rec_blob_end(h, RB_PROC, sizeof(*p));
}

/* The executable of the current mm: mm->exe_file. */
static __always_inline void rec_proc_exe(struct rec_hdr *h)
{
    struct task_struct *t = bpf_get_current_task_btf();
    struct file *exe = BPF_CORE_READ(t, mm, exe_file);

    if (exe)
        rec_blob_dpath(h, RB_EXE, BPF_CORE_READ(exe, f_path.mnt),
                       BPF_CORE_READ(exe, f_path.dentry));
}

/* argv as the new program has it: NUL-separated in its own memory. */
static __always_inline void rec_proc_argv_mm(struct rec_hdr *h)
{
    struct task_struct *t = bpf_get_current_task_btf();
    struct mm_struct *mm = BPF_CORE_READ(t, mm);
    __u64 start = BPF_CORE_READ(mm, arg_start);
    __u64 len = BPF_CORE_READ(mm, arg_end) - start;

    if (!start || (__s64)len <= 0)
        return;
    if (len > REC_ARGV_MAX) {
        len = REC_ARGV_MAX;
        h->flags |= REC_F_TRUNCATED;
    }
    rec_blob_user(h, RB_ARGV, (const void *)start, len);
}

/* Fill in an exec's record at exit; false if it is not worth one (failed
 * and its entry not seen: nothing is known of it). An exec that failed
 * before sched_prepare_exec still has its registers and its mm: its
 * entry is taken now. */
static __always_inline bool rec_proc_exec_exit(struct rec_hdr *h,
                                               struct pt_regs *regs)
{
    __u32 tid = h->tid;
    struct rec_exec *x = bpf_map_lookup_elem(&rec_exec, &tid);

    if (!x && h->ret != 0) {
        rec_proc_exec_enter(tid, h->nr, regs);
        x = bpf_map_lookup_elem(&rec_exec, &tid);
    }

    if (x) {
        __builtin_memcpy(h->args, x->args, sizeof(h->args));
        if (x->path_len != REC_EXEC_NOPATH)
            rec_blob_kernel(h, RB_PATH, x->path, x->path_len);
        rec_blob_kernel(h, RB_ARGV, x->argv, x->argv_len);
        if (x->env_len)
            rec_blob_kernel(h, RB_ENV, x->env, x->env_len);
        h->flags |= x->flags;
        bpf_map_delete_elem(&rec_exec, &tid);
    } else {
        if (h->ret != 0)
            return false;
        h->flags |= REC_F_NO_ENTER;
        __builtin_memset(h->args, 0, sizeof(h->args));
        rec_proc_argv_mm(h);
    }
    rec_proc_exe(h);
    rec_file_cwd(h);
    rec_proc_blob(h);
    return true;
}

static __always_inline void rec_proc_exit(struct rec_hdr *h, __u32 nr, long ret)
{
    const __u64 *a = h->args;
    __s32 fds[2];

    switch (nr) {
    case NR_clone:
    case NR_clone3:
    case NR_fork:
    case NR_vfork:
        if (nr == NR_clone3 && !(h->flags & REC_F_NO_ENTER))
            rec_blob_user(h, RB_ARGSTRUCT, (const void *)a[0],
                          rec_min(a[1], sizeof(struct clone_args)));
        rec_proc_blob(h);
        rec_file_cwd(h);
        break;
    case NR_capset:
        rec_proc_blob(h);
        break;
    case NR_prctl:
        if (a[0] == REC_PR_SET_NAME)
            rec_blob_ustr(h, RB_PATH, (const void *)a[1]);
        break;
    case NR_pipe:
    case NR_pipe2:
        if (ret == 0 && !bpf_probe_read_user(fds, sizeof(fds), (const void *)a[0])) {
            rec_blob_kernel(h, RB_FDS, fds, sizeof(fds));
            rec_file_of(h, fds[0]);
        }
        break;
    case NR_io_uring_setup:
        if (ret >= 0)
            rec_blob_user(h, RB_ARGSTRUCT, (const void *)a[1],
                          sizeof(struct io_uring_params));
        break;
    }
}

#endif
