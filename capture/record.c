/* record.c -- `saker record`: loads the BPF programs (record.bpf.c),
 * drains their ring buffer, puts the records in time order, and hands them
 * to the output (record_out.c). The user half of the record feature; the
 * kernel/user contract is record.h.
 *
 * Design: one thread drains the ring buffer into a batch, sorts the batch
 * by time and writes every record older than HOLD_NS behind the newest one
 * seen (records from different CPUs reach the ring slightly out of order);
 * the rest waits for the next batch. Compression happens in the writer's
 * own thread, so draining keeps up. */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../analyzer/cli.h"
#include "event_table.h"
#include "record.h"
#include "record.skel.h"
#include "record_decode.h"
#include "record_out.h"

#define HOLD_NS 5000000ull /* 5 ms: records later than this are never seen */

/* Between two drains of the ring, the recorder waits up to DRAIN_PAUSE_NS.
 * The kernel side wakes the reader (bpf_ringbuf_output: irq_work, a
 * self-IPI, a VM exit under a hypervisor) whenever it commits a record
 * right behind the consumer position, i.e. into a ring the reader has just
 * emptied. A reader that keeps right up has that paid on nearly every
 * record, in the traced task's syscall: a quarter of a dd bs=64 loop's
 * time when measured (bench/record-bench), 0.2% with the pause. Waiting
 * between drains makes it once per drain. The pause is shortened so that,
 * at the rate of the last drain, the ring is at most a quarter full when
 * the next one starts. */
#define DRAIN_PAUSE_NS 5000000ull

struct opts {
    const char *out;
    unsigned long long max_events, max_secs, rotate_mb, rotate_secs, keep, snaplen, buffer_mb;
    unsigned long long checkpoint_secs;
    int level;
    bool quiet, verbose, all_with_command, no_env;
    const char *syscalls;
    char filter[1024];
    long filter_pid;
    char comm[REC_COMM_LEN];
    const char *cgroup;
    char **command;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: saker record -w FILE [options] [FILTER] [-- COMMAND [ARGS...]]\n\n"
        "Record the host's syscalls with eBPF into the saker trace FILE (mode 0600).\n"
        "Without COMMAND: system-wide until SIGINT/SIGTERM or a limit. With COMMAND:\n"
        "run it and record it and its descendants (system-wide with -a) until it exits.\n"
        "FILTER: terms 'proc.pid=N', 'proc.name=NAME', 'container.id=ID' or\n"
        "'cgroup=PATH', applied in the kernel; events that change process or fd\n"
        "state are always kept so the analyzer's state stays right.\n\n"
        "options:\n"
        "  -w FILE           trace file to write (strftime sequences with -G)\n"
        "  -c N              stop after N events\n"
        "  -M SECS           stop after SECS seconds\n"
        "  -C MB             start a new file every MB megabytes (FILE.0, FILE.1, ...)\n"
        "  -G SECS           start a new file every SECS seconds\n"
        "  -W N              keep only the newest N files (a ring)\n"
        "  -s SNAPLEN        data bytes kept of read/write/send/recv (default 80, 0-16384)\n"
        "  -z LEVEL          zstd level (default %d)\n"
        "  -a                with COMMAND: record the whole system, not just COMMAND\n"
        "      --syscalls LIST|all  syscalls to record, comma separated (default: every\n"
        "                    syscall saker has an event for); 'all' adds the others\n"
        "      --buffer-size MB  ring buffer size (default 64)\n"
        "      --checkpoint SECS  state checkpoint interval (default 30, 0 = only at\n"
        "                    the start of each file)\n"
        "      --no-env      leave environments out (checkpoints and exec events):\n"
        "                    for traces to be shared; proc.env is then empty\n"
        "  -q                no status line, no summary\n"
        "  -v                libbpf's messages\n"
        "  -h, --help        this text\n\n"
        "examples:\n"
        "  saker record -w host.skr                      # whole host until Ctrl-C\n"
        "  saker record -w sh.skr -- sh -c 'id; ls /'    # one command and its children\n"
        "  saker record -w web.skr -M 60 proc.name=nginx # nginx for a minute\n"
        "  saker record -w ring.skr -C 100 -W 5          # 5 files of 100 MB, newest kept\n"
        "  saker record -w t.skr --syscalls execve,openat,connect -c 10000\n\n"
        "Needs root, or CAP_BPF and CAP_PERFMON. Exit status: 0 ok (stopped by signal,\n"
        "limit or the command's end), 1 writing failed (what was written is kept),\n"
        "2 bad usage, missing privileges or BPF unavailable.\n", SKR_DEFAULT_ZSTD_LEVEL);
}

static bool parse_count(const char *arg, const char *what, unsigned long long lo,
                        unsigned long long hi, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (!*arg || *end || arg[0] == '-' || errno || v < lo || v > hi) {
        cli_error("record: %s takes a number from %llu to %llu, not '%s'", what, lo, hi, arg);
        return false;
    }
    *out = v;
    return true;
}

static bool add_filter_term(struct opts *o, const char *t)
{
    size_t n = strlen(o->filter);
    snprintf(o->filter + n, sizeof o->filter - n, "%s%s", n ? " " : "", t);
    const char *v = strchr(t, '=');
    if (!v) {
        cli_error("record: filter term '%s' is not NAME=VALUE", t);
        return false;
    }
    v++;
    if (!strncmp(t, "proc.pid=", 9) || !strncmp(t, "pid=", 4)) {
        unsigned long long pid;
        if (!parse_count(v, "proc.pid", 1, 4194304, &pid))
            return false;
        o->filter_pid = (long)pid;
    } else if (!strncmp(t, "proc.name=", 10) || !strncmp(t, "comm=", 5)) {
        if (!*v || strlen(v) >= REC_COMM_LEN) {
            cli_error("record: proc.name takes 1 to %d characters, not '%s'", REC_COMM_LEN - 1, v);
            return false;
        }
        snprintf(o->comm, sizeof o->comm, "%s", v);
    } else if (!strncmp(t, "container.id=", 13) || !strncmp(t, "cgroup=", 7)) {
        o->cgroup = v;
    } else {
        cli_error("record: unknown filter term '%s' (proc.pid, proc.name, container.id, cgroup)", t);
        return false;
    }
    return true;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option lopts[] = {
        { "syscalls", required_argument, NULL, 'S' },
        { "buffer-size", required_argument, NULL, 'B' },
        { "checkpoint", required_argument, NULL, 'K' },
        { "no-env", no_argument, NULL, 'E' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    o->snaplen = 80;
    o->buffer_mb = 64;
    o->checkpoint_secs = 30;
    o->filter_pid = -1;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:w:c:M:C:G:W:s:z:aqvh", lopts, NULL)) != -1) {
        unsigned long long v;
        switch (c) {
        case 'w': o->out = optarg; break;
        case 'c': if (!parse_count(optarg, "-c", 1, ~0ull >> 1, &o->max_events)) return -1; break;
        case 'M': if (!parse_count(optarg, "-M", 1, 31536000, &o->max_secs)) return -1; break;
        case 'C': if (!parse_count(optarg, "-C", 1, 1048576, &o->rotate_mb)) return -1; break;
        case 'G': if (!parse_count(optarg, "-G", 1, 31536000, &o->rotate_secs)) return -1; break;
        case 'W': if (!parse_count(optarg, "-W", 1, 100000, &o->keep)) return -1; break;
        case 's': if (!parse_count(optarg, "-s", 0, REC_SNAPLEN_MAX, &o->snaplen)) return -1; break;
        case 'z':
            if (!parse_count(optarg, "-z", 1, 19, &v))
                return -1;
            o->level = (int)v;
            break;
        case 'B': if (!parse_count(optarg, "--buffer-size", 1, 4096, &o->buffer_mb)) return -1; break;
        case 'K': if (!parse_count(optarg, "--checkpoint", 0, 86400, &o->checkpoint_secs)) return -1; break;
        case 'E': o->no_env = true; break;
        case 'S': o->syscalls = optarg; break;
        case 'a': o->all_with_command = true; break;
        case 'q': o->quiet = true; break;
        case 'v': o->verbose = true; break;
        case 'h': usage(stdout); return 1;
        default: cli_bad_option("record", c, argv); return -1;
        }
    }
    if (!o->out) {
        cli_error("record: no output file (-w FILE; try: saker record --help)");
        return -1;
    }
    if (o->keep && !o->rotate_mb && !o->rotate_secs) {
        cli_error("record: -W needs -C or -G");
        return -1;
    }
    /* Everything up to "--" is FILTER terms; after it, the command. When
     * no term comes first, getopt has taken the "--" itself, and a "--"
     * ending the arguments must still be refused, not mean system-wide. */
    if (optind > 1 && !strcmp(argv[optind - 1], "--")) {
        if (optind >= argc) {
            cli_error("record: '--' without a command");
            return -1;
        }
        o->command = argv + optind;
        return 0;
    }
    for (; optind < argc; optind++) {
        if (!strcmp(argv[optind], "--")) {
            if (optind + 1 >= argc) {
                cli_error("record: '--' without a command");
                return -1;
            }
            o->command = argv + optind + 1;
            break;
        }
        if (!add_filter_term(o, argv[optind]))
            return -1;
    }
    return 0;
}

/* CAP_BPF and CAP_PERFMON (Linux 5.8) are enough without full root. */
static bool have_privileges(void)
{
    if (geteuid() == 0)
        return true;
    struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &hdr, data) != 0)
        return false;
    const int cap_perfmon = 38, cap_bpf = 39;
    return (data[1].effective & (1u << (cap_perfmon - 32))) &&
           (data[1].effective & (1u << (cap_bpf - 32)));
}

static uint64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Syscalls whose events change process or fd state (record.h RSC_STATE). */
static bool is_state_syscall(unsigned nr)
{
    static const unsigned state[] = {
        NR_clone, NR_clone3, NR_fork, NR_vfork, NR_execve, NR_execveat, NR_exit, NR_exit_group,
        NR_open, NR_openat, NR_openat2, NR_creat, NR_close, NR_dup, NR_dup2, NR_dup3, NR_fcntl,
        NR_pipe, NR_pipe2, NR_socket, NR_socketpair, NR_connect, NR_accept, NR_accept4,
        NR_bind, NR_listen, NR_chdir, NR_fchdir, NR_chroot, NR_setuid, NR_setgid, NR_setreuid,
        NR_setregid, NR_setresuid, NR_setresgid, NR_memfd_create, NR_unshare, NR_setns,
    };
    for (size_t i = 0; i < sizeof state / sizeof state[0]; i++)
        if (state[i] == nr)
            return true;
    return false;
}

/* Fills rec_syscalls from --syscalls (names are event names). */
static int configure_syscalls(struct record_bpf *skel, const char *list)
{
    uint8_t flags[REC_MAX_SYSCALL] = { 0 };
    bool all = list && !strcmp(list, "all");
    for (unsigned nr = 0; nr < REC_MAX_SYSCALL; nr++) {
        int evt = recdec_event_for(nr);
        if (all || (!list && evt >= 0))
            flags[nr] |= RSC_ENABLED;
        if (is_state_syscall(nr))
            flags[nr] |= RSC_ENABLED | RSC_STATE;
    }
    if (list && !all) {
        char *copy = strdup(list), *save = NULL;
        if (!copy)
            return -1;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            bool found = false;
            for (unsigned nr = 0; nr < REC_MAX_SYSCALL; nr++) {
                int evt = recdec_event_for(nr);
                if (evt >= 0 && !strcmp(saker_evt_table[evt].name, t)) {
                    flags[nr] |= RSC_ENABLED;
                    found = true;
                }
            }
            if (!found) {
                cli_error("record: --syscalls: unknown syscall '%s'", t);
                free(copy);
                return -1;
            }
        }
        free(copy);
    }
    int fd = bpf_map__fd(skel->maps.rec_syscalls);
    for (uint32_t nr = 0; nr < REC_MAX_SYSCALL; nr++)
        if (flags[nr] && bpf_map_update_elem(fd, &nr, &flags[nr], BPF_ANY) != 0) {
            cli_error("record: configuring syscall %u: %s", nr, strerror(errno));
            return -1;
        }
    return 0;
}

/* Where cgroup v2 is mounted: /sys/fs/cgroup, or /sys/fs/cgroup/unified
 * on a hybrid host. */
static void cgroup2_root(char *out, size_t n)
{
    snprintf(out, n, "/sys/fs/cgroup");
    FILE *m = fopen("/proc/self/mounts", "re");
    char line[1024], dev[256], dir[768], type[64];
    while (m && fgets(line, sizeof line, m))
        if (sscanf(line, "%255s %767s %63s", dev, dir, type) == 3 && !strcmp(type, "cgroup2")) {
            snprintf(out, n, "%s", dir);
            break;
        }
    if (m)
        fclose(m);
}

/* Depth-first search for a cgroup directory whose name holds id. */
static bool find_cgroup_dir(const char *dir, const char *id, int depth, char *out, size_t n)
{
    if (depth > 8)
        return false;
    DIR *dh = opendir(dir);
    if (!dh)
        return false;
    struct dirent *e;
    bool found = false;
    while (!found && (e = readdir(dh))) {
        if (e->d_type != DT_DIR || e->d_name[0] == '.')
            continue;
        char sub[4096];
        if (snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name) >= (int)sizeof sub)
            continue;
        if (strstr(e->d_name, id)) {
            snprintf(out, n, "%s", sub);
            found = true;
        } else {
            found = find_cgroup_dir(sub, id, depth + 1, out, n);
        }
    }
    closedir(dh);
    return found;
}

/* The kernel reports a cgroup v2 id, which is the inode number of the
 * cgroup's directory. spec is a path below the cgroup v2 root, or a
 * container id found in a cgroup directory name. */
static int resolve_cgroup(const char *spec, uint64_t *id)
{
    char root[768], path[4096];
    struct stat st;
    cgroup2_root(root, sizeof root);
    if (spec[0] == '/')
        snprintf(path, sizeof path, "%s%s", root, spec);
    else if (strlen(spec) < 4 || !find_cgroup_dir(root, spec, 0, path, sizeof path))
        return -1;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return -1;
    *id = (uint64_t)st.st_ino;
    return 0;
}

struct batch_rec {
    uint64_t ts;
    size_t off;
    uint32_t len;
};

/* The batch: records copied out of the ring into arena, in arrival order,
 * and recs[head..nrecs) pointing at those not written yet, sorted by time
 * up to nsorted. Written records leave holes in arena and recs; both are
 * compacted only once the holes outweigh what is still held, so a record
 * is moved a bounded number of times however often the ring is drained. */
struct drain {
    struct recdec *dec;
    struct recout *out;
    uint8_t *arena, *spare;     /* spare: where compaction copies to */
    size_t arena_len, arena_cap, spare_cap;
    size_t live;                /* arena bytes of records not written yet */
    struct batch_rec *recs;
    size_t head, nsorted, nrecs, caprecs;
    uint64_t newest;
    uint64_t ring_bytes;        /* taken from the ring, for the pacing */
    uint64_t max_events;
    uint64_t malformed;
    bool failed, limit_reached, verbose;
};

#define ARENA_MIN (1u << 20)    /* no compaction below this */

static int on_record(void *ctx, void *data, size_t len)
{
    struct drain *d = ctx;
    d->ring_bytes += len + 8;   /* + the ring's own record header */
    if (len < sizeof(struct rec_hdr)) {
        d->malformed++;
        return 0;
    }
    /* A record reserved at its largest (record_core.bpf.h) ends at
     * h.size; the rest of the sample is not copied. */
    struct rec_hdr h;
    memcpy(&h, data, sizeof h);
    if (h.size >= sizeof h && h.size < len)
        len = h.size;
    if (d->arena_len + len > d->arena_cap) {
        size_t cap = d->arena_cap ? d->arena_cap * 2 : ARENA_MIN;
        while (cap < d->arena_len + len)
            cap *= 2;
        uint8_t *a = realloc(d->arena, cap);
        if (!a)
            return -ENOMEM;
        d->arena = a;
        d->arena_cap = cap;
    }
    if (d->nrecs == d->caprecs) {
        size_t cap = d->caprecs ? d->caprecs * 2 : 4096;
        struct batch_rec *r = realloc(d->recs, cap * sizeof *r);
        if (!r)
            return -ENOMEM;
        d->recs = r;
        d->caprecs = cap;
    }
    memcpy(d->arena + d->arena_len, data, len);
    d->recs[d->nrecs++] = (struct batch_rec){ h.ts, d->arena_len, (uint32_t)len };
    d->arena_len += len;
    d->live += len;
    if (h.ts > d->newest)
        d->newest = h.ts;
    return 0;
}

/* Copies the held records' bytes to the start of a fresh buffer, in time
 * order (moving them within arena could overwrite a record that arrived
 * earlier with a later time before it is moved). */
static void compact_arena(struct drain *d)
{
    if (d->spare_cap < d->live) {
        size_t cap = d->arena_cap;
        while (cap < d->live)
            cap *= 2;
        uint8_t *s = realloc(d->spare, cap);
        if (!s)
            return; /* keep the holes; retried at the next batch */
        d->spare = s;
        d->spare_cap = cap;
    }
    size_t pos = 0;
    for (size_t i = d->head; i < d->nrecs; i++) {
        struct batch_rec *r = &d->recs[i];
        memcpy(d->spare + pos, d->arena + r->off, r->len);
        r->off = pos;
        pos += r->len;
    }
    uint8_t *a = d->arena;
    size_t cap = d->arena_cap;
    d->arena = d->spare;
    d->arena_cap = d->spare_cap;
    d->spare = a;
    d->spare_cap = cap;
    d->arena_len = pos;
}

/* Writes the batch's records up to the watermark in time order; keeps the
 * rest for the next batch. The held records are sorted already and new
 * ones arrive nearly sorted, so the insertion sort is linear in the new
 * records in practice. */
static void flush_batch(struct drain *d, bool all)
{
    for (size_t i = d->nsorted > d->head ? d->nsorted : d->head + 1; i < d->nrecs; i++) {
        struct batch_rec x = d->recs[i];
        size_t j = i;
        while (j > d->head && d->recs[j - 1].ts > x.ts) {
            d->recs[j] = d->recs[j - 1];
            j--;
        }
        d->recs[j] = x;
    }
    d->nsorted = d->nrecs;
    uint64_t mark = all ? UINT64_MAX : (d->newest > HOLD_NS ? d->newest - HOLD_NS : 0);
    struct skr_event ev;
    char why[160];
    for (; d->head < d->nrecs && d->recs[d->head].ts <= mark; d->head++) {
        const struct batch_rec *r = &d->recs[d->head];
        d->live -= r->len;
        if (d->failed || d->limit_reached)
            continue;
        if (recdec_decode(d->dec, d->arena + r->off, r->len, &ev, why, sizeof why) < 0) {
            if (d->malformed++ == 0 && d->verbose)
                cli_error("record: a malformed record (%s)", why);
            continue;
        }
        if (recout_append(d->out, &ev) < 0) {
            d->failed = true;
            continue;
        }
        if (d->max_events && recout_events(d->out) >= d->max_events)
            d->limit_reached = true;
    }
    size_t keep = d->nrecs - d->head;
    if (keep == 0) {
        d->head = d->nsorted = d->nrecs = 0;
        d->arena_len = d->live = 0;
        return;
    }
    if (d->arena_len > ARENA_MIN && d->arena_len - d->live > d->live)
        compact_arena(d);
    if (d->head > keep) {
        memmove(d->recs, d->recs + d->head, keep * sizeof *d->recs);
        d->head = 0;
        d->nsorted = d->nrecs = keep;
    }
}

/* The pause before the next drain (DRAIN_PAUSE_NS), given the bytes taken
 * from a ring of ring_size bytes over the last elapsed_ns. */
static uint64_t drain_pause_ns(uint64_t bytes, uint64_t elapsed_ns, uint64_t ring_size)
{
    uint64_t pause = DRAIN_PAUSE_NS;
    if (bytes && elapsed_ns) {
        /* bytes / elapsed_ns * pause <= ring_size / 4 */
        double fit = (double)ring_size / 4 * (double)elapsed_ns / (double)bytes;
        if (fit < (double)pause)
            pause = (uint64_t)fit;
    }
    return pause;
}

static void sleep_ns(uint64_t ns)
{
    struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };
    nanosleep(&ts, NULL); /* a signal ends it early: fine */
}

static int read_cpu_stats(struct record_bpf *skel, struct skw_cpu_stats *out, int ncpu)
{
    struct rec_cpu_stats *vals = calloc((size_t)ncpu, sizeof *vals);
    if (!vals)
        return -1;
    uint32_t key = 0;
    int rc = bpf_map_lookup_elem(bpf_map__fd(skel->maps.rec_stats), &key, vals);
    for (int i = 0; rc == 0 && i < ncpu; i++) {
        out[i].cpu = (uint32_t)i;
        out[i].events = vals[i].events;
        out[i].drops = vals[i].drops + vals[i].drops_scratch;
    }
    free(vals);
    return rc;
}

static void status_line(const struct drain *d, uint64_t drops, double rate, bool final)
{
    double mb = (double)recout_bytes(d->out) / 1048576.0;
    double raw = (double)recout_raw_bytes(d->out);
    fprintf(stderr, "\rsaker: %llu events (%.0f/s), %llu drops, %.1f MiB written, ratio %.1f\x1b[K%s",
            (unsigned long long)recout_events(d->out), rate, (unsigned long long)drops, mb,
            recout_bytes(d->out) ? raw / (double)recout_bytes(d->out) : 0.0, final ? "\n" : "");
}

/* -v: libbpf's messages, the verifier log among them. (libbpf_set_print
 * with NULL would silence libbpf, not restore its default.) */
static int libbpf_verbose(enum libbpf_print_level level, const char *fmt, va_list ap)
{
    if (level == LIBBPF_DEBUG)
        return 0; /* per-relocation chatter: thousands of lines */
    return vfprintf(stderr, fmt, ap);
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
    (void)level;
    (void)fmt;
    (void)ap;
    return 0;
}

static pid_t start_command(char **argv, int *release_fd)
{
    int p[2];
    if (pipe(p) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* Wait until the recorder is attached and tracks this pid. */
        char c;
        close(p[1]);
        if (read(p[0], &c, 1) != 1)
            _exit(127);
        close(p[0]);
        execvp(argv[0], argv);
        fprintf(stderr, "saker: record: cannot run '%s': %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(p[0]);
    *release_fd = p[1];
    return pid;
}

/* Does the running kernel have the sched_prepare_exec tracepoint? */
static bool have_prepare_exec(void)
{
    struct btf *vmlinux = btf__load_vmlinux_btf();
    if (!vmlinux)
        return false;
    bool found = btf__find_by_name_kind(vmlinux, "btf_trace_sched_prepare_exec",
                                        BTF_KIND_TYPEDEF) >= 0;
    btf__free(vmlinux);
    return found;
}

int cmd_record(int argc, char **argv)
{
    struct opts o;
    int prc = parse_opts(argc, argv, &o);
    if (prc != 0)
        return prc > 0 ? EXIT_OK : EXIT_UNUSABLE;
    if (!have_privileges()) {
        cli_error("record: needs root, or CAP_BPF and CAP_PERFMON (try: sudo saker record ...)");
        return EXIT_UNUSABLE;
    }
    uint64_t cgroup_id = 0;
    if (o.cgroup && resolve_cgroup(o.cgroup, &cgroup_id) < 0) {
        cli_error("record: no cgroup '%s' under /sys/fs/cgroup", o.cgroup);
        return EXIT_UNUSABLE;
    }
    int status = EXIT_UNUSABLE;
    struct record_bpf *skel = NULL;
    struct ring_buffer *rb = NULL;
    struct recdec *dec = NULL;
    struct recout *out = NULL;
    struct skw_cpu_stats *cpus = NULL;
    struct drain d;
    memset(&d, 0, sizeof d);
    pid_t child = -1;
    int release_fd = -1;
    char err[512];
    libbpf_set_print(o.verbose ? libbpf_verbose : libbpf_quiet);

    int ncpu = libbpf_num_possible_cpus();
    skel = record_bpf__open();
    if (!skel || ncpu <= 0) {
        cli_error("record: opening the BPF programs failed: %s", strerror(errno));
        goto cleanup;
    }
    skel->rodata->cfg.self_tgid = (uint32_t)getpid();
    skel->rodata->cfg.snaplen = (uint32_t)o.snaplen;
    skel->rodata->cfg.filter_pids = o.command && !o.all_with_command ? 1 : o.filter_pid > 0;
    skel->rodata->cfg.filter_comm = o.comm[0] != 0;
    skel->rodata->cfg.filter_cgroup = cgroup_id;
    memcpy(skel->rodata->cfg.comm, o.comm, sizeof o.comm);
    /* The ring buffer's size must be a power of two pages. */
    uint64_t rbsize = 4096;
    while (rbsize < o.buffer_mb << 20)
        rbsize <<= 1;
    if (bpf_map__set_max_entries(skel->maps.rec_events, (uint32_t)rbsize) ||
        bpf_map__set_max_entries(skel->maps.rec_scratch, (uint32_t)ncpu)) {
        cli_error("record: sizing BPF maps failed: %s", strerror(errno));
        goto cleanup;
    }
    /* record.bpf.c DESIGN: sched_prepare_exec (Linux 6.10) spares every
     * syscall a program on sys_enter. */
    /* SAKER_RECORD_ENTER_PROG=1 takes the older kernels' path on a new
     * one, so that the tests exercise it (saker-record(1) ENVIRONMENT). */
    const char *env_enter = getenv("SAKER_RECORD_ENTER_PROG");
    bool force_enter = env_enter && !strcmp(env_enter, "1");
    bool prepare_exec = !force_enter && have_prepare_exec();
    if (o.verbose && !prepare_exec)
        fprintf(stderr, "saker: record: exec arguments and exit calls taken at sys_enter%s\n",
                force_enter ? " (SAKER_RECORD_ENTER_PROG=1)" : " (no sched_prepare_exec in this kernel)");
    skel->rodata->cfg.enter_prog = !prepare_exec;
    if (bpf_program__set_autoload(skel->progs.rec_exec_prepare, prepare_exec) ||
        bpf_program__set_autoload(skel->progs.rec_sys_enter, !prepare_exec)) {
        cli_error("record: selecting the BPF programs failed: %s", strerror(errno));
        goto cleanup;
    }
    if (record_bpf__load(skel)) {
        cli_error("record: loading the BPF programs failed: %s (run with -v for the verifier log)",
                  strerror(errno));
        goto cleanup;
    }
    if (configure_syscalls(skel, o.syscalls) < 0)
        goto cleanup;

    if (o.command) {
        child = start_command(o.command, &release_fd);
        if (child < 0) {
            cli_error("record: starting the command failed: %s", strerror(errno));
            goto cleanup;
        }
    }
    if (skel->rodata->cfg.filter_pids) {
        /* rec_tracked is a bitmap (record.h); nothing is attached yet */
        uint32_t pid = child > 0 ? (uint32_t)child : (uint32_t)o.filter_pid;
        uint32_t word = pid / 64;
        uint64_t bits = 0;
        int fd = bpf_map__fd(skel->maps.rec_tracked);
        if (bpf_map_lookup_elem(fd, &word, &bits) ||
            (bits |= 1ull << (pid % 64), bpf_map_update_elem(fd, &word, &bits, BPF_ANY))) {
            cli_error("record: tracking pid %u failed: %s", pid, strerror(errno));
            goto cleanup;
        }
    }

    /* Output first, so a bad -w path fails before anything is attached. */
    struct utsname un;
    uname(&un);
    static struct skr_schema schema;
    skr_schema_from_table(&schema, saker_evt_table, SAKER_EVT_COUNT);
    char snapopt[64], bufopt[64], scopt[1100];
    snprintf(snapopt, sizeof snapopt, "snaplen=%llu", o.snaplen);
    snprintf(bufopt, sizeof bufopt, "buffer_size_mb=%llu", o.buffer_mb);
    snprintf(scopt, sizeof scopt, "syscalls=%s", o.syscalls ? o.syscalls : "default");
    const char *options[] = { snapopt, bufopt, scopt, "environment=omitted" };
    uint64_t now_real = clock_ns(CLOCK_REALTIME), now_boot = clock_ns(CLOCK_BOOTTIME);
    struct skw_header hdr = {
        .hostname = un.nodename, .kernel_release = un.release, .kernel_version = un.version,
        .arch = un.machine, .boot_ns = now_real - now_boot, .ncpus = (uint32_t)ncpu,
        .recorder = "saker", .recorder_version = SAKER_VERSION, .argc = argc, .argv = argv,
        .snaplen = (uint32_t)o.snaplen, .filter = o.filter, .noptions = o.no_env ? 4 : 3, .options = options,
    };
    struct recout_opts ro = {
        .pattern = o.out, .rotate_bytes = o.rotate_mb << 20, .rotate_secs = (unsigned)o.rotate_secs,
        .keep_files = (unsigned)o.keep, .checkpoint_secs = (unsigned)o.checkpoint_secs,
        .proc_root = "/proc", .hdr = &hdr, .schema = &schema, .no_env = o.no_env,
        .wopt = { .zstd_level = o.level, .background = true, .spare_effort = true },
    };
    out = recout_open(&ro, now_real, err, sizeof err);
    if (!out) {
        cli_error("record: %s", err);
        goto cleanup;
    }
    dec = recdec_new((int64_t)(now_real - now_boot), NULL);
    if (dec && o.no_env)
        recdec_omit_env(dec);
    cpus = calloc((size_t)ncpu, sizeof *cpus);
    if (!dec || !cpus) {
        cli_error("record: out of memory");
        goto cleanup;
    }
    d.dec = dec;
    d.out = out;
    d.max_events = o.max_events;
    d.verbose = o.verbose;
    rb = ring_buffer__new(bpf_map__fd(skel->maps.rec_events), on_record, &d, NULL);
    if (!rb || record_bpf__attach(skel)) {
        cli_error("record: attaching the BPF programs failed: %s", strerror(errno));
        goto cleanup;
    }
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (release_fd >= 0) {
        if (write(release_fd, "g", 1) != 1) {
            /* the child then exits 127 and recording ends with it */
        }
        close(release_fd);
        release_fd = -1;
    }

    bool tty = isatty(2) && !o.quiet;
    uint64_t start = clock_ns(CLOCK_MONOTONIC), last_status = start, last_stats = start;
    uint64_t last_events = 0, drops = 0, last_drain = start;
    bool child_done = false;
    int child_status = 0;
    while (!stop_requested && !d.failed && !d.limit_reached) {
        int n = ring_buffer__poll(rb, 100);
        if (n < 0 && n != -EINTR) {
            cli_error("record: reading the ring buffer: %s", strerror(-n));
            break;
        }
        flush_batch(&d, false);
        uint64_t now = clock_ns(CLOCK_MONOTONIC);
        uint64_t wall = clock_ns(CLOCK_REALTIME);
        /* The duration limit goes first, so that -G does not open one
         * more, nearly empty, file just before the end. */
        if (o.max_secs && now - start >= o.max_secs * 1000000000ull)
            break;
        if (recout_tick(out, wall) < 0)
            d.failed = true;
        if (now - last_stats >= 1000000000ull) {
            if (read_cpu_stats(skel, cpus, ncpu) == 0) {
                drops = 0;
                for (int i = 0; i < ncpu; i++)
                    drops += cpus[i].drops;
                if (recout_stats(out, wall, cpus, (size_t)ncpu) < 0)
                    d.failed = true;
            }
            last_stats = now;
        }
        if (tty && now - last_status >= 1000000000ull) {
            double rate = (double)(recout_events(out) - last_events) * 1e9 / (double)(now - last_status);
            status_line(&d, drops, rate, false);
            last_events = recout_events(out);
            last_status = now;
        }
        if (child > 0 && !child_done && waitpid(child, &child_status, WNOHANG) == child)
            child_done = true;
        if (child_done) {
            /* The command is gone: take what is still in the ring. */
            while (ring_buffer__consume(rb) > 0)
                ;
            break;
        }
        if (n > 0) {
            uint64_t pause = drain_pause_ns(d.ring_bytes, now - last_drain, rbsize);
            d.ring_bytes = 0;
            last_drain = now;
            sleep_ns(pause);
        } else {
            last_drain = now;
        }
    }
    ring_buffer__consume(rb);
    flush_batch(&d, true);
    /* nothing left to drain: the writer's second pass may use the time */
    recout_set_patient(out);
    if (read_cpu_stats(skel, cpus, ncpu) == 0) {
        drops = 0;
        for (int i = 0; i < ncpu; i++)
            drops += cpus[i].drops;
        if (!d.failed)
            recout_stats(out, clock_ns(CLOCK_REALTIME), cpus, (size_t)ncpu);
    }
    if (tty)
        status_line(&d, drops, 0, true);
    uint64_t events = recout_events(out), bytes = recout_bytes(out);
    unsigned files = recout_files(out);
    int crc = recout_close(out, err, sizeof err);
    out = NULL;
    if (d.failed || crc < 0) {
        cli_error("record: %s; the events written before it are kept", err);
        status = EXIT_DAMAGED;
    } else {
        status = EXIT_OK;
    }
    if (!o.quiet)
        fprintf(stderr, "saker: record: %llu events in %u file(s), %.1f MiB, %.2f bytes/event, "
                        "%llu drops%s\n",
                (unsigned long long)events, files, (double)bytes / 1048576.0,
                events ? (double)bytes / (double)events : 0.0, (unsigned long long)drops,
                d.malformed ? " (some records malformed)" : "");
    if (child > 0 && child_done && WIFEXITED(child_status) && WEXITSTATUS(child_status) && !o.quiet)
        fprintf(stderr, "saker: record: the command exited with status %d\n", WEXITSTATUS(child_status));

cleanup:
    if (release_fd >= 0)
        close(release_fd);
    if (child > 0 && !stop_requested) {
        /* not reaped when setup failed: do not leave it waiting */
        waitpid(child, NULL, WNOHANG);
    }
    if (out)
        recout_close(out, err, sizeof err);
    ring_buffer__free(rb);
    record_bpf__destroy(skel);
    recdec_free(dec);
    free(cpus);
    free(d.arena);
    free(d.spare);
    free(d.recs);
    return status;
}
