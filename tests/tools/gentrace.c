/* gentrace.c -- writes synthetic saker traces for the end-to-end tests and
 * the benchmarks: a deterministic (seeded) mix of syscall events shaped
 * like a busy host (many small reads and writes, opens and closes, some
 * network and process events), with checkpoints and stats blocks.
 * Not installed; not a recorder. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../capture/event_table.h"
#include "../../capture/writer.h"
#include "../../reader/format.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* xorshift64*: fast and reproducible from the seed. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }

static const char *paths[] = {
    "/etc/passwd", "/etc/ld.so.cache", "/lib/x86_64-linux-gnu/libc.so.6", "/proc/self/stat",
    "/var/log/syslog", "/tmp/work/out.txt", "/usr/bin/python3", "/etc/shadow",
    "/home/user/.bash_history", "/dev/null", "/sys/fs/cgroup/cpu.max", "/var/lib/app/db.sqlite",
};
static const char *comms[] = { "bash", "nginx", "python3", "sshd", "cron", "postgres", "curl", "sh" };
/* -x: strings as an attacker would choose them, to test that every output
 * escapes them: terminal escape sequences, other control bytes, a NUL,
 * DEL, bytes that are not UTF-8, a C1 control and a bidi override written
 * as UTF-8, a backslash; and valid UTF-8, which must be kept. */
#define XS(s) { s, sizeof s - 1 }
static const struct { const char *s; size_t len; } evil_paths[] = {
    XS("/tmp/\x1b[31mred\x1b[0m"), XS("/tmp/ctl\a\b\t\r\n\v\f\x7f"), XS("/tmp/nul\0byte"),
    XS("/tmp/bad-utf8-\xff\xfe\xc3("), XS("/tmp/c1-\xc2\x9b" "31m"), XS("/tmp/bidi-\xe2\x80\xaetxt.exe"),
    XS("/tmp/back\\slash"), XS("/tmp/caf\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac"),
};
static const char *evil_comms[] = { "\x1b]0;pwned\x07", "evil\x1b[2J\x1b[H", "tab\there", "bs\b\b\x7f" };
static const char evil_host[] = "gen-\x1b[31mhost\x1b[0m";
static bool evil;

static const char data_text[] = "GET /index.html HTTP/1.1\r\nHost: example.test\r\nUser-Agent: curl/8.0\r\n";
static const char argv_list[] = "sh\0-c\0ls -la /tmp\0";

struct gen {
    struct skr_event ev;
    uint8_t tuple[13], addr[7];
    int64_t tids[16];
    int64_t fd_of[16];          /* a thread tends to keep using one fd */
    int cur;                    /* index of ev.tid in tids */
    int path;                   /* path chosen for this event */
};

/* Buffer sizes programs really ask for. */
static const uint64_t sizes[] = { 4096, 8192, 65536, 64, 1024, 4096, 16384, 1 };

static void fill_param(struct gen *g, int i, int evt)
{
    const struct skr_param_def *d = &saker_evt_table[evt].params[i];
    struct skr_value *v = &g->ev.params[i];
    memset(v, 0, sizeof *v);
    switch (d->type) {
    case SKR_PT_FD:
        if (below(10) < 3)
            g->fd_of[g->cur] = 3 + (int64_t)below(12);
        v->s = g->fd_of[g->cur];
        break;
    case SKR_PT_ERRNO:
        v->s = below(50) == 0 ? -2 : (evt == SAKER_EVT_READ || evt == SAKER_EVT_WRITE) ? 64 : (int64_t)below(8);
        break;
    case SKR_PT_PID: v->s = g->tids[below(16)]; break;
    case SKR_PT_INT: v->s = (int64_t)below(4); break;
    case SKR_PT_UID: case SKR_PT_GID: v->u = below(4) ? 1000 : 0; break;
    case SKR_PT_MODE: v->u = below(2) ? 0644 : 0; break;
    case SKR_PT_FLAGS: case SKR_PT_HEX: v->u = below(2) ? 0x80000 : 0x241; break;
    case SKR_PT_UINT:
        /* an inode follows from the path; a size from the program */
        v->u = !strcmp(d->name, "ino") ? 1000003u * (uint64_t)(g->path + 1) :
               !strcmp(d->name, "size") ? sizes[below(8)] : below(64);
        break;
    case SKR_PT_SIGNAL: v->u = below(32); break;
    case SKR_PT_TIME: v->u = g->ev.ts - below(1000000000); break;
    case SKR_PT_DURATION: v->u = below(100000); break;
    case SKR_PT_PATH:
    case SKR_PT_STRING: {
        if (d->type == SKR_PT_PATH)
            g->path = (int)below(12);
        const char *s = d->type == SKR_PT_PATH ? paths[g->path] : comms[below(8)];
        v->ptr = (const uint8_t *)s;
        v->len = (uint32_t)strlen(s);
        if (evil && below(3) == 0) {
            if (d->type == SKR_PT_PATH) {
                size_t k = below(sizeof evil_paths / sizeof evil_paths[0]);
                v->ptr = (const uint8_t *)evil_paths[k].s;
                v->len = (uint32_t)evil_paths[k].len;
            } else {
                s = evil_comms[below(sizeof evil_comms / sizeof evil_comms[0])];
                v->ptr = (const uint8_t *)s;
                v->len = (uint32_t)strlen(s);
            }
        }
        break;
    }
    case SKR_PT_DATA:
        v->ptr = (const uint8_t *)data_text;
        v->len = 64;
        break;
    case SKR_PT_STRLIST:
        v->ptr = (const uint8_t *)argv_list;
        v->len = sizeof argv_list - 1;
        break;
    case SKR_PT_SOCKADDR:
        g->addr[0] = 2;
        g->addr[1] = 127; g->addr[2] = 0; g->addr[3] = 0; g->addr[4] = 1;
        g->addr[5] = 80; g->addr[6] = 0;
        v->ptr = g->addr;
        v->len = 7;
        break;
    case SKR_PT_SOCKTUPLE: {
        uint16_t port = (uint16_t)(32768 + below(20000));
        uint8_t t[13] = { 2, 127, 0, 0, 1, (uint8_t)port, (uint8_t)(port >> 8), 127, 0, 0, 1, 80, 0 };
        memcpy(g->tuple, t, sizeof t);
        v->ptr = g->tuple;
        v->len = 13;
        break;
    }
    default: break;
    }
}

/* Roughly what a busy host's syscall mix looks like: I/O dominates. */
static int pick_type(void)
{
    static const struct { int evt, weight; } mix[] = {
        { SAKER_EVT_READ, 30 }, { SAKER_EVT_WRITE, 20 }, { SAKER_EVT_CLOSE, 10 },
        { SAKER_EVT_OPENAT, 10 }, { SAKER_EVT_MMAP, 5 }, { SAKER_EVT_FCNTL, 4 },
        { SAKER_EVT_RECVFROM, 4 }, { SAKER_EVT_SENDTO, 4 }, { SAKER_EVT_CONNECT, 2 },
        { SAKER_EVT_ACCEPT4, 2 }, { SAKER_EVT_SOCKET, 2 }, { SAKER_EVT_DUP2, 1 },
        { SAKER_EVT_EXECVE, 1 }, { SAKER_EVT_CLONE, 1 }, { SAKER_EVT_PROCEXIT, 1 },
        { SAKER_EVT_UNLINKAT, 1 }, { SAKER_EVT_RENAMEAT2, 1 }, { SAKER_EVT_MPROTECT, 1 },
    };
    int total = 0;
    for (size_t i = 0; i < sizeof mix / sizeof mix[0]; i++)
        total += mix[i].weight;
    int x = (int)below((uint64_t)total);
    for (size_t i = 0; i < sizeof mix / sizeof mix[0]; i++) {
        if (x < mix[i].weight)
            return mix[i].evt;
        x -= mix[i].weight;
    }
    return SAKER_EVT_READ;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: gentrace -o FILE [-n EVENTS] [-s SEED] [-t START_NS] [-b BLOCK_SIZE]\n"
               "                [-z LEVEL] [-k CHECKPOINT_EVERY] [-S STATS_EVERY] [-e FIRST_EVNUM] [-x]\n"
               "  -x  put control bytes, escape sequences and bytes that are not UTF-8\n"
               "      into some paths, process names and the hostname (escaping tests)\n");
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    unsigned long long n = 1000, seed = 1, start = 1700000000000000000ull, cp_every = 0,
                       st_every = 0, first = 1;
    struct skw_options opt = { 0 };
    int c;
    while ((c = getopt(argc, argv, "o:n:s:t:b:z:k:S:e:xh")) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'n': n = strtoull(optarg, NULL, 0); break;
        case 's': seed = strtoull(optarg, NULL, 0); break;
        case 't': start = strtoull(optarg, NULL, 0); break;
        case 'b': opt.block_size = (uint32_t)strtoul(optarg, NULL, 0); break;
        case 'z': opt.zstd_level = atoi(optarg); break;
        case 'k': cp_every = strtoull(optarg, NULL, 0); break;
        case 'S': st_every = strtoull(optarg, NULL, 0); break;
        case 'e': first = strtoull(optarg, NULL, 0); break;
        case 'x': evil = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!out) {
        usage(stderr);
        return 2;
    }
    opt.first_evnum = first;
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
    static struct skr_schema schema;
    skr_schema_from_table(&schema, saker_evt_table, SAKER_EVT_COUNT);
    const char *opts[] = { "generator=gentrace" };
    struct skw_header h = {
        .created_ns = start, .hostname = evil ? evil_host : "gen-host", .kernel_release = "6.1.0-synthetic",
        .kernel_version = "#1 SMP", .arch = "x86_64", .boot_ns = start - 3600000000000ull,
        .ncpus = 4, .recorder = "gentrace", .recorder_version = "1", .argc = argc, .argv = argv,
        .snaplen = 80, .noptions = 1, .options = opts,
    };
    char err[256];
    struct skw_writer *w = skw_create(out, &h, &schema, &opt, err, sizeof err);
    if (!w) {
        fprintf(stderr, "gentrace: %s\n", err);
        return 1;
    }
    struct gen g;
    memset(&g, 0, sizeof g);
    for (int i = 0; i < 16; i++) {
        g.tids[i] = 1000 + (int64_t)below(30000);
        g.fd_of[i] = 3 + (int64_t)below(12);
    }
    uint64_t ts = start;
    struct skw_cpu_stats cpus[4] = { { 0, 0, 0 }, { 1, 0, 0 }, { 2, 0, 0 }, { 3, 0, 0 } };
    for (unsigned long long i = 0; i < n; i++) {
        if (cp_every && i % cp_every == 0) {
            /* A small, well-formed checkpoint: one thread record per tid. */
            struct skr_buf b = { 0 }, rec = { 0 };
            for (int k = 0; k < 16; k++) {
                skr_buf_reset(&rec);
                skr_put_field_s(&rec, SKR_CPT_TID, g.tids[k]);
                skr_put_field_s(&rec, SKR_CPT_PID, g.tids[k]);
                skr_put_field_str(&rec, SKR_CPT_COMM, evil && k % 2 ? evil_comms[k / 2 % 4] : comms[k % 8]);
                skr_put_field_bytes(&b, SKR_CP_THREAD, rec.data, rec.len);
            }
            if (skw_checkpoint(w, ts, b.data, b.len, 16) < 0)
                break;
            skr_buf_free(&b);
            skr_buf_free(&rec);
        }
        if (st_every && i && i % st_every == 0 && skw_stats(w, ts, cpus, 4) < 0)
            break;
        int evt = pick_type();
        g.ev.type = (uint16_t)evt;
        g.ev.def = &saker_evt_table[evt];
        ts += 200 + below(1800);
        g.ev.ts = ts;
        g.cur = (int)(below(4) ? below(4) : below(16));
        g.ev.tid = g.tids[g.cur];
        g.ev.cpu = (uint32_t)(g.ev.tid % 4);
        g.ev.nparams = g.ev.def->nparams;
        for (int p = 0; p < g.ev.nparams; p++)
            fill_param(&g, p, evt);
        cpus[g.ev.cpu].events++;
        if (skw_append(w, &g.ev) < 0)
            break;
    }
    if (st_every)
        skw_stats(w, ts, cpus, 4);
    if (skw_close(w, err, sizeof err) < 0) {
        fprintf(stderr, "gentrace: %s\n", err);
        return 1;
    }
    return 0;
}
