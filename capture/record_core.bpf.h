/* record_core.bpf.h -- how a record is built, for record.bpf.c and its
 * family parts: this CPU's scratch slot, the blob appenders, the send with
 * its counters, and the two kernel walks several families share (an fd to
 * its struct file, a struct path to a string).
 *
 * DESIGN
 * The records of the hot syscalls have a bounded size: the header alone,
 * or the header and one DATA blob of at most cfg.snaplen bytes (read,
 * write and their kin, record.bpf.c rec_fixed_size()). They are reserved
 * straight in the ring buffer at that bound (a constant to the verifier:
 * cfg is frozen) and filled in place; h->size says how much is used, user
 * space reads no further. An unused tail of up to snaplen bytes is the
 * price of not building them elsewhere first: on the dd bench (64-byte
 * reads and writes, snaplen 80) building in the scratch slot and copying
 * with bpf_ringbuf_output() cost 12 to 150 ns a record more (A/B runs of
 * 4M syscalls on a busy shared 2-vCPU VM; the spread is the machine's).
 *
 * Every other record is built in rec_scratch[cpu], never on the 512-byte
 * BPF stack, then copied with bpf_ringbuf_output(), only its used bytes:
 * its size is known only once its strings are read, and reserving the
 * most a record can take (~21 KiB for an exec) would fill the ring with
 * holes. The slot is ours for the whole program: tracepoint programs run
 * with preemption disabled, and the syscall ones still do since those
 * tracepoints may fault (__BPF_DECLARE_TRACE_SYSCALL in
 * include/trace/bpf_probe.h).
 *
 * The bytes used so far live in the record itself (h->size) and every
 * appender reloads and masks it. Kept in a register, the verifier would
 * track each blob's exact offset and explore every combination of present
 * and missing blobs; reloaded, it only sees "below REC_SPAN", and states
 * merge. The same trick keeps the path walk's position in memory. */
#ifndef SAKER_RECORD_CORE_BPF_H
#define SAKER_RECORD_CORE_BPF_H

/* A blob may start below REC_SPAN; its payload is at most REC_SNAPLEN_MAX
 * (record.h), so start + header + payload stays inside the slot. The
 * biggest record (exec: five 4 KiB strings and rec_proc) needs ~21 KiB. */
#define REC_SPAN (REC_MAX_SIZE / 2)
_Static_assert(REC_SPAN + 8 + REC_SNAPLEN_MAX <= REC_MAX_SIZE, "blob fits");
_Static_assert(REC_PATH_MAX <= REC_SNAPLEN_MAX && REC_ARGV_MAX <= REC_SNAPLEN_MAX,
               "strings fit a blob");

#define REC_NAME_MAX 255     /* NAME_MAX: one path component */
#define REC_PATH_DEPTH 48    /* components walked; deeper paths are cut */

/* include/uapi/linux/stat.h: macros, so not in vmlinux.h */
#define REC_S_IFMT 00170000
#define REC_S_IFSOCK 0140000

/* The path walk builds a path backwards from the end of this buffer; the
 * second half is room the verifier needs for a component's copy at a
 * variable position. pos is the first byte in use. */
struct rec_pathbuf {
    __u32 pos;
    __u32 pad;
    char buf[2 * REC_PATH_MAX];
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct rec_pathbuf);
} rec_pathbuf SEC(".maps");

static __always_inline struct rec_cpu_stats *rec_stats_get(void)
{
    __u32 zero = 0;

    return bpf_map_lookup_elem(&rec_stats, &zero);
}

static __always_inline void rec_hdr_init(struct rec_hdr *h, __u32 cpu, __u16 kind,
                                         __u16 nr, __u64 pid_tgid, __s64 ret)
{
    h->ts = bpf_ktime_get_boot_ns();
    h->tid = (__u32)pid_tgid;
    h->pid = pid_tgid >> 32;
    h->cpu = cpu;
    h->kind = kind;
    h->nr = nr;
    h->ret = ret;
    /* h->args: the caller fills them in (rec_args() or zeroes) */
    h->size = sizeof(*h);
    h->nblobs = 0;
    h->flags = 0;
}

/* Start a record in this CPU's slot; NULL (counted) if there is none. */
static __always_inline struct rec_hdr *rec_begin(__u16 kind, __u16 nr,
                                                 __u64 pid_tgid, __s64 ret)
{
    __u32 cpu = bpf_get_smp_processor_id();
    struct rec_hdr *h = bpf_map_lookup_elem(&rec_scratch, &cpu);

    if (!h) {
        struct rec_cpu_stats *s = rec_stats_get();

        if (s)
            s->drops_scratch++;
        return NULL;
    }
    rec_hdr_init(h, cpu, kind, nr, pid_tgid, ret);
    return h;
}

/* Start a record of at most size bytes (a constant) straight in the ring
 * buffer; NULL (counted as a drop) when the ring is full. Finished with
 * rec_commit(). */
static __always_inline struct rec_hdr *rec_reserve(__u32 size, __u16 nr,
                                                   __u64 pid_tgid, __s64 ret)
{
    struct rec_hdr *h = bpf_ringbuf_reserve(&rec_events, size, 0);

    if (!h) {
        struct rec_cpu_stats *s = rec_stats_get();

        if (s)
            s->drops++;
        return NULL;
    }
    rec_hdr_init(h, bpf_get_smp_processor_id(), RK_SYSCALL, nr, pid_tgid, ret);
    return h;
}

/* The six syscall arguments from pt_regs (x86_64 convention: rdi, rsi,
 * rdx, r10, r8, r9). */
static __always_inline void rec_args(__u64 *a, const struct pt_regs *regs)
{
    a[0] = regs->di;
    a[1] = regs->si;
    a[2] = regs->dx;
    a[3] = regs->r10;
    a[4] = regs->r8;
    a[5] = regs->r9;
}

/* Copy the record to the ring buffer. With cfg.wakeup_bytes the reader
 * is woken only once that much waits: bpf_ringbuf_commit() otherwise
 * queues an irq_work (a self-IPI, costly in a VM) for every record that
 * finds the reader idle, i.e. for nearly every record of a fast reader.
 * Forcing while above the mark costs little: irq_work_queue() returns at
 * once while one is pending. */
static __always_inline __u64 rec_wake_flags(__u32 size)
{
    if (!cfg.wakeup_bytes)
        return 0;
    return bpf_ringbuf_query(&rec_events, BPF_RB_AVAIL_DATA) + size >=
           cfg.wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void rec_submit(struct rec_hdr *h)
{
    struct rec_cpu_stats *s = rec_stats_get();
    __u32 size = *(volatile __u32 *)&h->size;

    if (size > REC_MAX_SIZE)  /* cannot happen: appenders keep it below */
        return;
    if (bpf_ringbuf_output(&rec_events, h, size, rec_wake_flags(size))) {
        if (s)
            s->drops++;
    } else if (s) {
        s->events++;
    }
}

/* Submit a record from rec_reserve(). */
static __always_inline void rec_commit(struct rec_hdr *h)
{
    struct rec_cpu_stats *s = rec_stats_get();

    bpf_ringbuf_submit(h, rec_wake_flags(h->size));
    if (s)
        s->events++;
}

/* Where the next blob's payload goes, or NULL if the record is full. The
 * payload may be up to REC_SNAPLEN_MAX bytes. */
static __always_inline __u8 *rec_blob_start(struct rec_hdr *h)
{
    __u32 off = *(volatile __u32 *)&h->size;

    if (off >= REC_SPAN) {
        h->flags |= REC_F_TRUNCATED;
        return NULL;
    }
    return (__u8 *)h + (off & (REC_SPAN - 1)) + sizeof(struct rec_blob_hdr);
}

/* Close the blob rec_blob_start() opened, with len payload bytes. */
static __always_inline void rec_blob_end(struct rec_hdr *h, __u16 tag, __u32 len)
{
    __u32 off = *(volatile __u32 *)&h->size & (REC_SPAN - 1);
    struct rec_blob_hdr *b = (void *)h + off;

    b->tag = tag;
    b->len = len;
    h->size = (off + sizeof(*b) + len + 7) & ~7u;
    h->nblobs++;
}

/* A NUL-terminated user string, stored without its NUL. Nothing if the
 * pointer cannot be read. */
static __always_inline void rec_blob_ustr(struct rec_hdr *h, __u16 tag,
                                          const void *uptr)
{
    __u8 *p = rec_blob_start(h);
    long n;

    if (!p)
        return;
    n = bpf_probe_read_user_str(p, REC_PATH_MAX, uptr);
    if (n <= 0)
        return;
    if (n == REC_PATH_MAX)
        h->flags |= REC_F_TRUNCATED;
    rec_blob_end(h, tag, n - 1);
}

/* len bytes of user memory, cut to REC_SNAPLEN_MAX. */
static __always_inline void rec_blob_user(struct rec_hdr *h, __u16 tag,
                                          const void *uptr, __u64 len)
{
    __u8 *p;

    if (len > REC_SNAPLEN_MAX)
        len = REC_SNAPLEN_MAX;
    p = rec_blob_start(h);
    if (!p || !len)
        return;
    if (bpf_probe_read_user(p, len, uptr))
        return;
    rec_blob_end(h, tag, len);
}

/* len bytes of kernel memory (strings kept by the kernel side), cut to
 * REC_SNAPLEN_MAX. */
static __always_inline void rec_blob_kernel(struct rec_hdr *h, __u16 tag,
                                            const void *kptr, __u32 len)
{
    __u8 *p;

    if (len > REC_SNAPLEN_MAX)
        len = REC_SNAPLEN_MAX;
    p = rec_blob_start(h);
    if (!p)
        return;
    if (len && bpf_probe_read_kernel(p, len, kptr))
        return;
    rec_blob_end(h, tag, len);
}

/* The current task's open file for fd, or NULL: files->fdt->fd[fd]. The
 * bound check is against the table read at the same time. */
static __always_inline struct file *rec_fd_file(long fd)
{
    struct task_struct *t = bpf_get_current_task_btf();
    struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
    struct file **fds, *f = NULL;

    if (fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
        return NULL;
    fds = BPF_CORE_READ(fdt, fd);
    bpf_core_read(&f, sizeof(f), &fds[fd]);
    return f;
}

/* The socket behind fd (S_IFSOCK inode: private_data is a struct socket),
 * or NULL. */
static __always_inline struct sock *rec_fd_sock(long fd)
{
    struct file *f = rec_fd_file(fd);
    struct socket *sock;

    if (!f || (BPF_CORE_READ(f, f_inode, i_mode) & REC_S_IFMT) != REC_S_IFSOCK)
        return NULL;
    sock = BPF_CORE_READ(f, private_data);
    return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

/* Put "/name" in front of what pb already holds; false when it is full. */
static __always_inline bool rec_path_prepend(struct rec_pathbuf *pb,
                                             const void *name, __u32 len)
{
    __u32 pos = *(volatile __u32 *)&pb->pos;

    if (len > REC_NAME_MAX)
        return false;
    if (pos > REC_PATH_MAX - 1 || pos < len + 1)
        return false;
    pos -= len;
    bpf_probe_read_kernel(&pb->buf[pos & (REC_PATH_MAX - 1)],
                          len & REC_NAME_MAX, name);
    pos -= 1;
    pb->buf[pos & (REC_PATH_MAX - 1)] = '/';
    pb->pos = pos;
    return true;
}

/* The path of (mnt, dentry) as d_path() would give it from the mount
 * namespace's root, as a blob; one deeper than REC_PATH_DEPTH components
 * (or REC_PATH_MAX bytes) loses its top and its leading '/'. bpf_d_path() is only allowed in LSM and a
 * few fentry hooks, so the walk is ours: up d_parent until the mount's
 * root, then across to the mount point in the parent mount (fs/mount.h:
 * struct mount embeds the vfsmount), until a mount that is its own parent.
 * " (deleted)" is not appended. */
static __always_inline void rec_blob_dpath(struct rec_hdr *h, __u16 tag,
                                           struct vfsmount *vmnt,
                                           struct dentry *d)
{
    __u32 zero = 0, pos, i;
    struct rec_pathbuf *pb = bpf_map_lookup_elem(&rec_pathbuf, &zero);
    struct mount *mnt, *up;
    struct dentry *root, *parent;
    bool cut = true;

    if (!pb || !vmnt || !d)
        return;
    mnt = (void *)vmnt - bpf_core_field_offset(struct mount, mnt);
    root = BPF_CORE_READ(vmnt, mnt_root);
    pb->pos = REC_PATH_MAX - 1;
    for (i = 0; i < REC_PATH_DEPTH; i++) {
        parent = BPF_CORE_READ(d, d_parent);
        if (d == root || d == parent) {
            up = BPF_CORE_READ(mnt, mnt_parent);
            if (d != root || up == mnt) {
                cut = false;
                break;
            }
            d = BPF_CORE_READ(mnt, mnt_mountpoint);
            mnt = up;
            root = BPF_CORE_READ(mnt, mnt.mnt_root);
            continue;
        }
        if (!rec_path_prepend(pb, BPF_CORE_READ(d, d_name.name),
                              BPF_CORE_READ(d, d_name.len)))
            break;
        d = parent;
    }
    pos = *(volatile __u32 *)&pb->pos;
    if (cut) {
        /* no leading '/': the top is missing (record.h) */
        h->flags |= REC_F_TRUNCATED;
        if (pos < REC_PATH_MAX - 1)
            pos++;
    } else if (pos == REC_PATH_MAX - 1) { /* the root itself */
        pos--;
        pb->buf[pos] = '/';
    }
    pos &= REC_PATH_MAX - 1;
    rec_blob_kernel(h, tag, &pb->buf[pos], REC_PATH_MAX - 1 - pos);
}

#endif
