// SPDX-License-Identifier: GPL-2.0
/* floor.bpf.c -- the recorder benchmark's floor (bench/record-bench): one
 * program on the sys_exit tracepoint that only counts, with the attach
 * type saker record uses (tp_btf). What any recorder attached there pays
 * before it does anything: the tracepoint turned on, the BPF trampoline,
 * one per-CPU increment. Not part of saker. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} floor_count SEC(".maps");

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_sys_exit, struct pt_regs *regs, long ret)
{
    __u32 zero = 0;
    __u64 *n = bpf_map_lookup_elem(&floor_count, &zero);

    if (n)
        (*n)++;
    return 0;
}
