// SPDX-License-Identifier: GPL-2.0
/* floor.bpf.c -- the recorder benchmark's floors (bench/record-bench):
 * programs on the sys_exit tracepoint, with the attach type saker record
 * uses (tp_btf), that do a part of what any syscall recorder must do and
 * nothing else. floor.c loads exactly one of them.
 *
 *   floor_count  one per-CPU increment: what a recorder pays before it
 *                does anything (the tracepoint turned on, the dispatch)
 *   floor_clock  that and a timestamp, bpf_ktime_get_boot_ns() (saker's)
 *   floor_copy   that and the copies from user memory saker's records
 *                need: for read and write the data as `saker record -s 80`
 *                keeps it, for openat the path
 *
 * Nothing is sent anywhere: the time and the bytes land in a per-CPU
 * slot. The difference between two floors is the price of one step, and
 * floor_copy is the least a recorder that keeps each syscall's time, data
 * and paths (saker's defaults) can cost. Not part of saker. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define FLOOR_SNAPLEN 80 /* saker record's default -s */
#define FLOOR_NR_READ 0  /* x86_64 syscall numbers */
#define FLOOR_NR_WRITE 1
#define FLOOR_NR_OPENAT 257
#define FLOOR_PATH_MAX 4096 /* saker's REC_PATH_MAX */

struct floor_slot {
    __u64 count;
    __u64 ts;
    __u8 data[FLOOR_SNAPLEN];
    char path[FLOOR_PATH_MAX];
};

/* floor.c sums the counts: the first member of every CPU's slot. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct floor_slot);
} floor_slots SEC(".maps");

static __always_inline struct floor_slot *floor_slot(void)
{
    __u32 zero = 0;

    return bpf_map_lookup_elem(&floor_slots, &zero);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_count, struct pt_regs *regs, long ret)
{
    struct floor_slot *s = floor_slot();

    if (s)
        s->count++;
    return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_clock, struct pt_regs *regs, long ret)
{
    struct floor_slot *s = floor_slot();

    if (s) {
        s->count++;
        s->ts = bpf_ktime_get_boot_ns();
    }
    return 0;
}

/* The data rule of saker's read and write records (record_io.bpf.h):
 * what was transferred, at most the snap length; openat's path as its
 * record reads it (record_file.bpf.h). */
SEC("tp_btf/sys_exit")
int BPF_PROG(floor_copy, struct pt_regs *regs, long ret)
{
    struct floor_slot *s = floor_slot();
    __u64 nr = regs->orig_ax, n;

    if (!s)
        return 0;
    s->count++;
    s->ts = bpf_ktime_get_boot_ns();
    if (nr == FLOOR_NR_OPENAT) {
        bpf_probe_read_user_str(s->path, sizeof(s->path), (const void *)regs->si);
        return 0;
    }
    if ((nr != FLOOR_NR_READ && nr != FLOOR_NR_WRITE) || ret <= 0)
        return 0;
    n = (__u64)ret;
    if (n > regs->dx)
        n = regs->dx;
    if (n > FLOOR_SNAPLEN)
        n = FLOOR_SNAPLEN;
    bpf_probe_read_user(s->data, n, (const void *)regs->si);
    return 0;
}
