// SPDX-License-Identifier: GPL-2.0
/* record.bpf.c -- the kernel half of `saker record`: its maps, its read-only
 * configuration and its programs. It decides which syscalls to keep
 * and hands each kept one to its family part (record_*.bpf.h) to copy the
 * arguments' contents; record.h is the contract with user space.
 *
 * DESIGN
 * The sys_exit tracepoint runs for every syscall of the host, so its
 * program does as little as it can: an array lookup of the syscall's flags
 * (inlined by the verifier for array maps), the recorder's own tgid, the
 * pid/comm/cgroup filter, then one record: reserved in the ring buffer and
 * filled in place for the hot calls (read, write, close, ...), built in
 * this CPU's scratch slot and copied for the rest (record_core.bpf.h).
 *
 * The arguments are read at exit from the registers the tracepoint gets,
 * not saved at entry: on x86_64 the syscall handlers take their arguments
 * from pt_regs (the __x64_sys_* wrappers, arch/x86/include/asm/
 * syscall_wrapper.h) and do_syscall_64() writes only regs->ax back, and
 * trace_sys_exit() runs in syscall_exit_work() before signal delivery
 * rewrites registers for a restart (kernel/entry/). Ptrace edits them at
 * its entry stop, before trace_sys_enter(), so entry would see the same.
 * Three kinds of syscall do not fit:
 *   exit, exit_group  never return: recorded by sched_process_exit, which
 *                     runs in the exiting task; its registers still say
 *                     which syscall it was in (orig_ax) and its argument;
 *   execve, execveat  a successful exec resets the registers for the new
 *                     program (start_thread(), ELF_PLAT_INIT) and replaces
 *                     the mm holding the strings: arguments and strings
 *                     are kept in rec_exec (record_proc.bpf.h) by
 *                     sched_prepare_exec, which runs in begin_new_exec()
 *                     just before the point of no return, with the old mm
 *                     and the syscall's registers still in place. An exec
 *                     that fails before it has both still at exit.
 * So nothing is attached to sys_enter. Attaching a program there (even one
 * that returns after four compares) cost ~80 ns per syscall of the dd
 * bench, as much as the floor's whole program on sys_exit: the tracepoint's
 * dispatch (bpf_trace_run2) is most of it. sched_prepare_exec appeared in
 * Linux 6.10; on older kernels user space loads rec_sys_enter instead and
 * sets cfg.enter_prog. Saving every syscall's
 * arguments at entry in a hash keyed by thread id cost ~70 ns more
 * (lookup at entry and exit) on top of that.
 * So the filters see the task as it is at exit (a comm set by this very
 * prctl or exec), and a syscall already running when the programs attach
 * is recorded too. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "record.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by user space before load (execsnoop style): the verifier sees the
 * frozen values, so a filter that is off costs nothing. */
const volatile struct rec_config cfg = {};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 16 << 20);
} rec_events SEC(".maps");

/* Not PERCPU_ARRAY: per-CPU values are limited to 32 KiB (the percpu
 * allocator's unit), and a record may need 64. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1); /* user space: number of possible CPUs */
    __type(key, __u32);
    __type(value, __u8[REC_MAX_SIZE]);
} rec_scratch SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct rec_cpu_stats);
} rec_stats SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, REC_MAX_SYSCALL);
    __type(key, __u32);
    __type(value, __u8);
} rec_syscalls SEC(".maps");

/* A bitmap, not a hash: with cfg.filter_pids it is read at every kept
 * syscall, and an array lookup is inlined by the verifier where a hash
 * lookup is a call and a hashing (~30 ns a syscall on the dd bench).
 * 512 KiB covers every possible tgid. Neighbouring tgids share a word and
 * forks run on every CPU: bits change only with atomic or/and. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, REC_PID_MAX / 64);
    __type(key, __u32);
    __type(value, __u64);
} rec_tracked SEC(".maps");

static __always_inline __u64 *rec_tracked_word(__u32 tgid)
{
    __u32 w = tgid / 64;

    return bpf_map_lookup_elem(&rec_tracked, &w);
}

static __always_inline bool rec_is_tracked(__u32 tgid)
{
    __u64 *w = rec_tracked_word(tgid);

    return w && (*w >> (tgid % 64)) & 1;
}

/* cfg.snaplen up to this: read/write records are reserved in the ring
 * buffer at their largest (record_core.bpf.h DESIGN); above it, the unused
 * tail would cost more ring space than the copy costs time. */
#define REC_FIXED_SNAP 256

#include "record_core.bpf.h"
#include "record_io.bpf.h"
#include "record_net.bpf.h"
#include "record_file.bpf.h"
#include "record_proc.bpf.h"

/* Should a syscall of the current task with these flags be recorded?
 * State-changing ones are kept whatever the filter says: user space needs
 * them to keep its process and fd tables right. */
static __always_inline bool rec_wanted(__u32 tgid, __u8 flags)
{
    if (flags & RSC_STATE)
        return true;
    if (cfg.filter_pids && !rec_is_tracked(tgid))
        return false;
    if (cfg.filter_cgroup && bpf_get_current_cgroup_id() != cfg.filter_cgroup)
        return false;
    if (cfg.filter_comm) {
        __u64 comm[2] = {};
        const volatile __u64 *want = (const volatile __u64 *)cfg.comm;

        bpf_get_current_comm(comm, sizeof(comm));
        if (comm[0] != want[0] || comm[1] != want[1])
            return false;
    }
    return true;
}

static __always_inline __u8 rec_flags(__u32 nr)
{
    __u8 *f;

    if (nr >= REC_MAX_SYSCALL)
        return 0;
    f = bpf_map_lookup_elem(&rec_syscalls, &nr);
    return f ? *f : 0;
}

/* Should the current task's syscall nr be seen by the exec/exit paths
 * that do not run at sys_exit? */
static __always_inline bool rec_entry_wanted(__u32 nr, __u64 pid_tgid)
{
    __u32 tgid = pid_tgid >> 32;
    __u8 flags = rec_flags(nr);

    if (!(flags & RSC_ENABLED) || tgid == cfg.self_tgid)
        return false;
    return rec_wanted(tgid, flags);
}

/* exit or exit_group as a syscall record, from the registers it left. */
static __always_inline void rec_exit_call(__u32 nr, __u64 pid_tgid,
                                          struct pt_regs *regs)
{
    struct rec_hdr *h;

    if (!rec_entry_wanted(nr, pid_tgid))
        return;
    h = rec_begin(RK_SYSCALL, nr, pid_tgid, 0);
    if (h) {
        rec_args(h->args, regs);
        rec_submit(h);
    }
}

/* Kernels before 6.10 only (cfg.enter_prog; DESIGN): exec's arguments and
 * exit's record at entry. Not loaded otherwise. */
SEC("tp_btf/sys_enter")
int BPF_PROG(rec_sys_enter, struct pt_regs *regs, long id)
{
    __u64 pid_tgid;
    __u32 nr = (__u32)id;

    if (nr != NR_execve && nr != NR_execveat && nr != NR_exit &&
        nr != NR_exit_group)
        return 0;
    pid_tgid = bpf_get_current_pid_tgid();
    if (rec_is_exec(nr)) {
        if (rec_entry_wanted(nr, pid_tgid))
            rec_proc_exec_enter((__u32)pid_tgid, nr, regs);
        return 0;
    }
    rec_exit_call(nr, pid_tgid, regs);
    return 0;
}

/* An exec past its last failure point (fs/exec.c begin_new_exec()), in the
 * execing task: keep what its sys_exit will need (DESIGN). */
SEC("tp_btf/sched_prepare_exec")
int BPF_PROG(rec_exec_prepare, struct task_struct *task,
             struct linux_binprm *bprm)
{
    struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
    __u64 pid_tgid = bpf_get_current_pid_tgid();
    __u32 nr = (__u32)regs->orig_ax;

    if (rec_is_exec(nr) && rec_entry_wanted(nr, pid_tgid))
        rec_proc_exec_enter((__u32)pid_tgid, nr, regs);
    return 0;
}

/* The ring space a syscall's record is reserved with, or 0 when it is built
 * in the scratch slot (record_core.bpf.h DESIGN). The header-only calls
 * are those the families (record_*.bpf.h) list as "the header only". */
static __always_inline __u32 rec_fixed_size(__u32 nr)
{
    switch (nr) {
    case NR_read: case NR_write: case NR_pread64: case NR_pwrite64:
    case NR_readv: case NR_writev:
        if (cfg.snaplen > REC_FIXED_SNAP)
            return 0;
        return sizeof(struct rec_hdr) +
               ((sizeof(struct rec_blob_hdr) + cfg.snaplen + 7) & ~7u);
    case NR_close: case NR_dup: case NR_dup2: case NR_dup3: case NR_fcntl:
    case NR_mmap: case NR_mprotect: case NR_fchmod: case NR_fchown:
    case NR_kill: case NR_tkill: case NR_tgkill: case NR_ptrace:
    case NR_setuid: case NR_setgid: case NR_setreuid: case NR_setregid:
    case NR_setresuid: case NR_setresgid: case NR_unshare: case NR_setns:
    case NR_bpf: case NR_userfaultfd:
        return sizeof(struct rec_hdr);
    }
    return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(rec_sys_exit, struct pt_regs *regs, long ret)
{
    __u64 pid_tgid = bpf_get_current_pid_tgid();
    __u32 tgid = pid_tgid >> 32;
    __u32 nr = (__u32)regs->orig_ax;
    __u8 flags = rec_flags(nr);
    __u32 fixed;
    struct rec_hdr *h;

    if (!(flags & RSC_ENABLED) || tgid == cfg.self_tgid)
        return 0;
    if (!rec_wanted(tgid, flags))
        return 0;
    fixed = rec_fixed_size(nr);
    if (fixed == sizeof(struct rec_hdr)) {
        h = rec_reserve(sizeof(struct rec_hdr), nr, pid_tgid, ret);
        if (h) {
            rec_args(h->args, regs);
            rec_commit(h);
        }
        return 0;
    }
    if (fixed) {
        h = rec_reserve(fixed, nr, pid_tgid, ret);
        if (h) {
            rec_args(h->args, regs);
            rec_io_fixed(h, nr, ret);
            rec_commit(h);
        }
        return 0;
    }
    h = rec_begin(RK_SYSCALL, nr, pid_tgid, ret);
    if (!h)
        return 0;

    if (rec_is_exec(nr)) {
        if (!rec_proc_exec_exit(h, regs))
            return 0;
    } else if (rec_is_clone(nr) && ret == 0) {
        /* The new thread or process returns from clone/fork without
         * having entered it: its registers are a copy of its parent's
         * (copy_thread()), the arguments are left out. */
        h->flags |= REC_F_NO_ENTER;
        __builtin_memset(h->args, 0, sizeof(h->args));
        rec_proc_exit(h, nr, ret);
    } else {
        rec_args(h->args, regs);
        if (!rec_io_exit(h, nr, ret) && !rec_net_exit(h, nr, ret) &&
            !rec_file_exit(h, nr, ret))
            rec_proc_exit(h, nr, ret);
    }
    rec_submit(h);
    return 0;
}

/* do_exit() sets tsk->exit_code before this tracepoint (kernel/exit.c), so
 * ret carries the wait status: exit_group(n) gives n << 8, a fatal signal
 * its number. Every thread's exit is kept, like other state. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(rec_proc_exit_tp, struct task_struct *p)
{
    __u32 tid = BPF_CORE_READ(p, pid), tgid = BPF_CORE_READ(p, tgid);
    struct pt_regs *regs;
    struct rec_hdr *h;
    __u32 nr;

    rec_proc_exec_forget(tid);
    /* p is the exiting task, current (do_exit()); before its tgid leaves
     * rec_tracked. Its orig_ax is another syscall's, or -1, when it did
     * not call exit itself (killed, or another thread's exit_group). */
    if (!cfg.enter_prog) {
        regs = (struct pt_regs *)bpf_task_pt_regs(p);
        nr = (__u32)regs->orig_ax;
        if (nr == NR_exit || nr == NR_exit_group)
            rec_exit_call(nr, (__u64)tgid << 32 | tid, regs);
    }
    /* signal->live reached 0 just before this (atomic_dec_and_test in
     * do_exit): the whole process is gone, its tgid may be reused. */
    if (cfg.filter_pids && BPF_CORE_READ(p, signal, live.counter) == 0) {
        __u64 *w = rec_tracked_word(tgid);

        if (w)
            __sync_fetch_and_and(w, ~(1ull << (tgid % 64)));
    }
    if (tgid == cfg.self_tgid)
        return 0;

    h = rec_begin(RK_PROCEXIT, 0, (__u64)tgid << 32 | tid,
                  BPF_CORE_READ(p, exit_code));
    if (h) {
        __builtin_memset(h->args, 0, sizeof(h->args));
        rec_submit(h);
    }
    return 0;
}

/* Follow the tracked processes' children: runs in the parent, before the
 * child can make its first syscall. Threads share the tgid: nothing new. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(rec_proc_fork_tp, struct task_struct *parent,
             struct task_struct *child)
{
    __u32 ptgid, ctgid;

    if (!cfg.filter_pids)
        return 0;
    ptgid = BPF_CORE_READ(parent, tgid);
    ctgid = BPF_CORE_READ(child, tgid);
    if (ctgid != ptgid && rec_is_tracked(ptgid)) {
        __u64 *w = rec_tracked_word(ctgid);

        if (w)
            __sync_fetch_and_or(w, 1ull << (ctgid % 64));
    }
    return 0;
}
