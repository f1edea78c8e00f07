/* mkhits.c -- fills a saker hit database with synthetic hits for the
 * browser's tests and benchmarks (through hitdb_add_hit, so it also
 * measures the insert rate), and times the browser's queries on one.
 *
 *   mkhits -o FILE [-n HITS] [-s SEED] [-b BATCH] [-P SQL]
 *                                      add one run of HITS hits (-P: run SQL,
 *                                      e.g. PRAGMAs to compare, first)
 *   mkhits -q FILE                                  time the queries
 *
 * Hits look like a busy host's: about 40 rules with skewed frequencies,
 * eight priorities, 20 containers and the host, an hour of event times.
 * Not installed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "../../analyzer/hitdb.h"

static uint64_t rng_state = 1;

static uint64_t rnd(void)
{
    /* xorshift64*: reproducible from the seed. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }

static const char *const verbs[] = {
    "Sensitive file opened for reading", "Shell spawned in container", "Outbound connection",
    "Write below etc", "Package management process launched", "Read ssh information",
    "Modify binary dirs", "Netcat remote code execution", "Clear log activities",
    "Launch privileged container",
};
static const char *const objects[] = { "by non-trusted program", "by root", "from web server",
                                       "in production" };
static const char *const comms[] = {
    "bash", "nginx", "python3", "sshd", "cron", "postgres", "curl", "sh", "cat", "nc",
    "apt-get", "java", "node", "redis-server", "kubelet",
};
static const char *const files[] = { "/etc/shadow", "/etc/passwd", "/root/.ssh/id_rsa",
                                     "/var/log/auth.log", "/usr/bin/ls", "/etc/sudoers" };
static const char *const users[] = { "root", "www-data", "postgres", "alice", "bob" };

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int generate(const char *path, uint64_t n, unsigned batch, const char *pragma)
{
    char err[512];
    struct hitdb *db;
    if (hitdb_open(path, HITDB_CREATE, &db, err, sizeof err) < 0) {
        fprintf(stderr, "mkhits: %s\n", err);
        return 1;
    }
    /* -P: try other settings (cache size, checkpoints) for the bench. */
    if (pragma && sqlite3_exec(hitdb_sqlite(db), pragma, NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "mkhits: %s: %s\n", pragma, sqlite3_errmsg(hitdb_sqlite(db)));
        hitdb_close(db);
        return 1;
    }
    /* A fake trace: only its name and digest are recorded. */
    char sha[65];
    for (int i = 0; i < 4; i++)
        snprintf(sha + 16 * i, 17, "%016llx", (unsigned long long)rnd());
    struct hitdb_file_in tr = { .path = "/var/lib/saker/fake.skr", .sha256 = sha, .size = 1 << 30 };
    struct hitdb_run_in in = { .options_json = "{\"generator\":\"mkhits\"}", .traces = &tr,
                               .ntraces = 1, .batch_hits = batch };
    int64_t run;
    if (hitdb_run_begin(db, &in, &run, err, sizeof err) < 0) {
        fprintf(stderr, "mkhits: %s\n", err);
        hitdb_close(db);
        return 1;
    }
    double t0 = now_ms();
    uint64_t ts = 1763805600000000000ull;
    uint64_t step = 3600000000000ull / (n ? n : 1);
    for (uint64_t i = 0; i < n; i++) {
        /* Rule r with probability ~ 1/(r+1): a few rules make most hits. */
        unsigned r = (unsigned)(below(40) * below(40) / 40);
        char rule[96], output[512], cont[16], fields[512], cmd[128];
        const char *verb = verbs[r % 10], *comm = comms[below(15)], *file = files[below(6)];
        const char *user = users[below(5)];
        snprintf(rule, sizeof rule, "%s %s", verb, objects[r / 10 % 4]);
        uint64_t c = below(21);
        if (c == 20)
            snprintf(cont, sizeof cont, "host");
        else
            snprintf(cont, sizeof cont, "%012llx", (unsigned long long)(0x3f2a1b000000ull + c));
        int64_t pid = 1000 + (int64_t)below(30000);
        snprintf(cmd, sizeof cmd, "%s -c %s", comm, file);
        snprintf(output, sizeof output,
                 "%s (user=%s command=%s file=%s pid=%lld container_id=%s)", rule, user, cmd,
                 file, (long long)pid, cont);
        snprintf(fields, sizeof fields,
                 "{\"user.name\":\"%s\",\"proc.cmdline\":\"%s\",\"fd.name\":\"%s\","
                 "\"proc.pid\":%lld,\"container.id\":\"%s\"}",
                 user, cmd, file, (long long)pid, cont);
        const char *tags[] = { "filesystem", "mitre_credential_access" };
        struct hitdb_hit h = {
            .time_ns = ts, .rule = rule, .priority = (int)((4 + r) % 8), .output = output,
            .tags = tags, .ntags = 1 + (r & 1), .pid = pid, .tid = pid, .proc_name = comm,
            .cmdline = cmd, .user_name = user, .container_id = cont, .trace = 0,
            .block = (int64_t)(i / 2000), .evnum = i * 7 + 1, .fields_json = fields,
        };
        ts += step / 2 + below(step + 1);
        if (hitdb_add_hit(db, &h, err, sizeof err) < 0) {
            fprintf(stderr, "mkhits: %s\n", err);
            hitdb_close(db);
            return 1;
        }
    }
    if (hitdb_run_finish(db, n * 50, 0, err, sizeof err) < 0) {
        fprintf(stderr, "mkhits: %s\n", err);
        hitdb_close(db);
        return 1;
    }
    double t1 = now_ms();
    struct hitdb_write_stats st;
    hitdb_write_stats(db, &st);
    printf("%s: run %lld: %llu hits (%llu new) in %.0f ms, %.0f hits/s, %llu commits\n", path,
           (long long)run, (unsigned long long)st.committed, (unsigned long long)st.inserted,
           t1 - t0, n / ((t1 - t0) / 1e3), (unsigned long long)st.commits);
    hitdb_close(db);
    return 0;
}

static void report(const char *what, double t0, int rc, const char *err)
{
    if (rc < 0)
        printf("%-44s error: %s\n", what, err);
    else
        printf("%-44s %9.1f ms\n", what, now_ms() - t0);
}

static int query(const char *path)
{
    char err[512];
    struct hitdb *db;
    if (hitdb_open(path, HITDB_READONLY, &db, err, sizeof err) < 0) {
        fprintf(stderr, "mkhits: %s\n", err);
        return 1;
    }
    uint64_t n = 0;
    double t0 = now_ms();
    int rc = hitdb_count(db, NULL, &n, err, sizeof err);
    report("count, no filter", t0, rc, err);
    printf("  (%llu hits)\n", (unsigned long long)n);

    struct hitdb_filter warn = { .priorities = 1 << 4 };
    uint64_t k;
    t0 = now_ms();
    rc = hitdb_count(db, &warn, &k, err, sizeof err);
    report("count, priority = Warning", t0, rc, err);
    struct hitdb_filter text = { .text = "shadow" };
    t0 = now_ms();
    rc = hitdb_count(db, &text, &k, err, sizeof err);
    report("count, output LIKE %shadow%", t0, rc, err);
    struct hitdb_filter cont = { .container_id = "host" };
    t0 = now_ms();
    rc = hitdb_count(db, &cont, &k, err, sizeof err);
    report("count, container = host", t0, rc, err);

    static const struct { enum hitdb_col c; const char *name; } cols[] = {
        { HITDB_COL_TIME, "time" }, { HITDB_COL_PRIORITY, "priority" },
        { HITDB_COL_RULE, "rule" }, { HITDB_COL_PROC, "proc_name" },
        { HITDB_COL_CONTAINER, "container_id" }, { HITDB_COL_OUTPUT, "output" },
    };
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        for (int desc = 0; desc < 2; desc++) {
            struct hitdb_order o = { cols[i].c, desc };
            uint64_t offs[] = { 0, n / 2 };
            for (int j = 0; j < 2; j++) {
                char what[96];
                struct hitdb_rows rows;
                snprintf(what, sizeof what, "page 50, by %s%s, offset %llu", cols[i].name,
                         desc ? " desc" : "", (unsigned long long)offs[j]);
                t0 = now_ms();
                rc = hitdb_page(db, NULL, &o, offs[j], 50, &rows, err, sizeof err);
                report(what, t0, rc, err);
                if (rc == 0 && j == 1 && rows.n) {
                    snprintf(what, sizeof what, "  next page 50 by keyset after it");
                    struct hitdb_rows next;
                    t0 = now_ms();
                    rc = hitdb_page_after(db, NULL, &o, &rows.v[rows.n - 1], false, 50, &next,
                                          err, sizeof err);
                    report(what, t0, rc, err);
                    if (rc == 0)
                        hitdb_rows_free(&next);
                }
                if (rc == 0)
                    hitdb_rows_free(&rows);
            }
        }
    }
    struct hitdb_order bytime = { HITDB_COL_TIME, false };
    struct hitdb_rows rows;
    t0 = now_ms();
    rc = hitdb_page(db, &warn, &bytime, 0, 50, &rows, err, sizeof err);
    report("page 50, priority = Warning, by time", t0, rc, err);
    if (rc == 0)
        hitdb_rows_free(&rows);
    t0 = now_ms();
    rc = hitdb_page(db, &text, &bytime, 0, 50, &rows, err, sizeof err);
    report("page 50, output LIKE %shadow%, by time", t0, rc, err);
    if (rc == 0)
        hitdb_rows_free(&rows);

    struct hitdb_histogram h;
    t0 = now_ms();
    rc = hitdb_histogram(db, NULL, 100, &h, err, sizeof err);
    report("histogram, 100 buckets", t0, rc, err);
    if (rc == 0)
        hitdb_histogram_free(&h);
    t0 = now_ms();
    rc = hitdb_histogram(db, &warn, 100, &h, err, sizeof err);
    report("histogram, 100 buckets, Warning", t0, rc, err);
    if (rc == 0)
        hitdb_histogram_free(&h);
    struct hitdb_group *g;
    size_t ng;
    t0 = now_ms();
    rc = hitdb_count_by_rule(db, NULL, &g, &ng, err, sizeof err);
    report("count by rule", t0, rc, err);
    if (rc == 0)
        hitdb_groups_free(g, ng);
    uint64_t pc[HITDB_NPRIORITIES];
    t0 = now_ms();
    rc = hitdb_count_by_priority(db, NULL, pc, err, sizeof err);
    report("count by priority", t0, rc, err);
    struct hitdb_row one;
    t0 = now_ms();
    rc = hitdb_get_hit(db, (int64_t)(n / 2 + 1), &one, err, sizeof err);
    report("get one hit with fields", t0, rc, err);
    if (rc > 0)
        hitdb_row_clear(&one);
    hitdb_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    const char *out = NULL, *q = NULL, *pragma = NULL;
    uint64_t n = 1000000;
    unsigned batch = 0;
    int c;
    while ((c = getopt(argc, argv, "o:n:s:b:q:P:")) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'q': q = optarg; break;
        case 'P': pragma = optarg; break;
        case 'n': n = strtoull(optarg, NULL, 10); break;
        case 's': rng_state = strtoull(optarg, NULL, 10) | 1; break;
        case 'b': batch = (unsigned)strtoul(optarg, NULL, 10); break;
        default:
            fprintf(stderr, "usage: mkhits -o FILE [-n HITS] [-s SEED] [-b BATCH] [-P SQL] | -q FILE\n");
            return 2;
        }
    }
    if (!!out == !!q) {
        fprintf(stderr, "usage: mkhits -o FILE [-n HITS] [-s SEED] [-b BATCH] [-P SQL] | -q FILE\n");
        return 2;
    }
    return out ? generate(out, n, batch, pragma) : query(q);
}
