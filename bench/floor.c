/* floor.c -- loads and attaches one program of bench/floor.bpf.c for the
 * recorder benchmark (bench/record-bench): the cost of having any program
 * on the syscall tracepoints, against which saker record is measured, and
 * of the steps no recorder can skip.
 *
 *   floor [count|clock|copy]
 *                attach that program (default count), print "attached" on
 *                stdout, then wait: SIGUSR1 prints "count N" (sys_exit
 *                calls so far, all CPUs), SIGINT or SIGTERM prints it and
 *                exits 0
 *
 * Exit status 2 when the program cannot be loaded (not root, no BPF).
 * Not installed; not a test. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "floor.skel.h"

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
    (void)level;
    (void)fmt;
    (void)ap;
    return 0;
}

static unsigned long long count(struct floor_bpf *skel, int ncpu)
{
    /* a per-CPU value is rounded up to 8 bytes; the count comes first */
    size_t size = (bpf_map__value_size(skel->maps.floor_slots) + 7) & ~(size_t)7;
    unsigned char *v = calloc((size_t)ncpu, size);
    unsigned long long n = 0, c;
    uint32_t key = 0;
    if (v && bpf_map_lookup_elem(bpf_map__fd(skel->maps.floor_slots), &key, v) == 0)
        for (int i = 0; i < ncpu; i++) {
            memcpy(&c, v + (size_t)i * size, sizeof c);
            n += c;
        }
    free(v);
    return n;
}

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "count";
    if (argc > 2 || (strcmp(which, "count") && strcmp(which, "clock") && strcmp(which, "copy"))) {
        fprintf(stderr, "usage: floor [count|clock|copy]   (attach; SIGUSR1: print the count;"
                        " SIGINT/SIGTERM: print, exit)\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    libbpf_set_print(libbpf_quiet);
    /* Block the signals before attaching: sigwait takes them in order. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);

    int ncpu = libbpf_num_possible_cpus();
    struct floor_bpf *skel = floor_bpf__open();
    if (skel) {
        bpf_program__set_autoload(skel->progs.floor_count, !strcmp(which, "count"));
        bpf_program__set_autoload(skel->progs.floor_clock, !strcmp(which, "clock"));
        bpf_program__set_autoload(skel->progs.floor_copy, !strcmp(which, "copy"));
    }
    if (!skel || ncpu <= 0 || floor_bpf__load(skel) || floor_bpf__attach(skel)) {
        fprintf(stderr, "floor: loading or attaching the BPF program failed: %s\n", strerror(errno));
        floor_bpf__destroy(skel);
        return 2;
    }
    printf("attached\n");
    for (;;) {
        int sig;
        if (sigwait(&set, &sig) != 0)
            continue;
        printf("count %llu\n", count(skel, ncpu));
        if (sig != SIGUSR1)
            break;
    }
    floor_bpf__destroy(skel);
    return 0;
}
