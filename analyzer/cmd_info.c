/* cmd_info.c -- `saker info`: what a trace file holds (header, time span,
 * events by type, blocks, sizes, drops, index, damage), as text or JSON. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evtfmt.h"
#include "../reader/block.h"
#include "../reader/escape.h"

struct summary {
    uint64_t events, first_ts, last_ts;
    uint64_t nblocks[8];
    uint64_t stored, raw;
    uint64_t type_counts[SKR_MAX_EVENT_TYPES];
    bool counted;               /* type_counts known */
    uint64_t cpu_events[1024], cpu_drops[1024];
    uint32_t ncpu_stats;
};

static void on_stats(void *ctx, uint32_t cpu, uint64_t events, uint64_t drops)
{
    struct summary *s = ctx;
    if (cpu >= 1024)
        return;
    /* Counters are cumulative (§9): the latest block holds the totals. */
    s->cpu_events[cpu] = events;
    s->cpu_drops[cpu] = drops;
    if (cpu + 1 > s->ncpu_stats)
        s->ncpu_stats = cpu + 1;
}

static void summarize(struct skr_reader *r, struct summary *s, bool check)
{
    memset(s, 0, sizeof *s);
    s->first_ts = UINT64_MAX;
    for (size_t i = 0; i < skr_reader_nblocks(r); i++) {
        const struct skr_block_info *b = skr_reader_block(r, i);
        s->nblocks[b->type < 8 ? b->type : 0]++;
        s->stored += b->length;
        s->raw += SKR_BLOCK_HDR_LEN + b->raw_len;
        if (b->type != SKR_BLK_EVENTS)
            continue;
        s->events += b->count;
        if (b->min_ts < s->first_ts)
            s->first_ts = b->min_ts;
        if (b->max_ts > s->last_ts)
            s->last_ts = b->max_ts;
    }
    const uint64_t *counts;
    if (skr_reader_type_counts(r, &counts) && !check) {
        memcpy(s->type_counts, counts, sizeof s->type_counts);
        s->counted = true;
    }
    /* Without index totals (or with --check) every block is read: that
     * verifies each payload checksum and counts what really decodes. */
    int want = SKR_ITEM_STATS | (s->counted ? 0 : SKR_ITEM_EVENT);
    skr_reader_want(r, want);
    skr_reader_rewind(r);
    struct skr_item it;
    uint64_t decoded = 0;
    while (skr_reader_next(r, &it) == 1) {
        if (it.kind == SKR_ITEM_STATS) {
            skr_stats_decode(it.payload, it.payload_len, on_stats, s);
        } else if (it.kind == SKR_ITEM_EVENT) {
            s->type_counts[it.ev->type]++;
            decoded++;
        }
    }
    if (!s->counted) {
        s->counted = true;
        s->events = decoded;
    }
}

static void human_bytes(char *out, size_t n, uint64_t v)
{
    static const char *units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    double d = (double)v;
    int u = 0;
    while (d >= 1024 && u < 4) {
        d /= 1024;
        u++;
    }
    snprintf(out, n, u ? "%.1f %s" : "%.0f %s", d, units[u]);
}

static const char *esc(const char *s, char *buf, size_t n) { return skr_escape_str(s ? s : "", buf, n); }

static char *datetime(uint64_t ts, char *buf, size_t n)
{
    struct skr_buf b = { 0 };
    evtfmt_datetime(&b, ts);
    snprintf(buf, n, "%.*s", (int)b.len, b.data ? (char *)b.data : "");
    skr_buf_free(&b);
    return buf;
}

static void print_text(struct skr_reader *r, const struct summary *s)
{
    const struct skr_header_info *h = skr_reader_header(r);
    const struct skr_schema *sc = skr_reader_schema(r);
    char a[512], b[512], c[512], d[256];
    printf("file:        %s\n", esc(skr_reader_path(r), a, sizeof a));
    printf("format:      saker trace %u.%u (%s)\n", h->version_major, h->version_minor,
           esc(h->source_format ? h->source_format : "saker", b, sizeof b));
    printf("created:     %s\n", datetime(h->created_ns, d, sizeof d));
    printf("host:        %s, Linux %s %s, %u CPUs\n", esc(h->hostname, a, sizeof a),
           esc(h->kernel_release, b, sizeof b), esc(h->arch, c, sizeof c), h->ncpus);
    if (h->boot_ns)
        printf("booted:      %s\n", datetime(h->boot_ns, d, sizeof d));
    printf("recorder:    %s %s", esc(h->recorder, a, sizeof a), esc(h->recorder_version, b, sizeof b));
    for (size_t i = 0; i < h->ncmdline; i++)
        printf("%s%s", i ? " " : " (", esc(h->cmdline[i], a, sizeof a));
    printf("%s\n", h->ncmdline ? ")" : "");
    printf("snaplen:     %u bytes\n", h->snaplen);
    if (h->filter && *h->filter)
        printf("filter:      %s\n", esc(h->filter, a, sizeof a));
    for (size_t i = 0; i < h->noptions; i++)
        printf("option:      %s\n", esc(h->options[i], a, sizeof a));
    if (s->events) {
        printf("first event: %s\n", datetime(s->first_ts, d, sizeof d));
        printf("last event:  %s\n", datetime(s->last_ts, d, sizeof d));
        printf("duration:    %.3f s\n", (double)(s->last_ts - s->first_ts) / 1e9);
    }
    printf("events:      %llu\n", (unsigned long long)s->events);
    /* by type, largest first */
    uint32_t order[SKR_MAX_EVENT_TYPES];
    uint32_t n = 0;
    for (uint32_t t = 0; t < SKR_MAX_EVENT_TYPES; t++)
        if (s->type_counts[t])
            order[n++] = t;
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && s->type_counts[order[j]] > s->type_counts[order[j - 1]]; j--) {
            uint32_t x = order[j];
            order[j] = order[j - 1];
            order[j - 1] = x;
        }
    for (uint32_t i = 0; i < n; i++)
        printf("  %-20s %llu\n", sc->defs[order[i]] ? sc->defs[order[i]]->name : "?",
               (unsigned long long)s->type_counts[order[i]]);
    printf("blocks:      %llu events, %llu checkpoints, %llu stats\n",
           (unsigned long long)s->nblocks[SKR_BLK_EVENTS],
           (unsigned long long)s->nblocks[SKR_BLK_CHECKPOINT],
           (unsigned long long)s->nblocks[SKR_BLK_STATS]);
    for (size_t i = 0; i < skr_reader_nblocks(r); i++) {
        const struct skr_block_info *bl = skr_reader_block(r, i);
        if (bl->type == SKR_BLK_CHECKPOINT)
            printf("checkpoint:  block %zu, %s, before event %llu, %u records\n", i + 1,
                   datetime(bl->min_ts, d, sizeof d), (unsigned long long)bl->first_evnum, bl->count);
    }
    human_bytes(a, sizeof a, skr_reader_file_size(r));
    human_bytes(b, sizeof b, s->raw);
    printf("size:        %s on disk, %s uncompressed (ratio %.2f)\n", a, b,
           s->stored ? (double)s->raw / (double)s->stored : 0.0);
    if (s->events)
        printf("bytes/event: %.2f\n", (double)skr_reader_file_size(r) / (double)s->events);
    uint64_t drops = 0;
    for (uint32_t i = 0; i < s->ncpu_stats; i++)
        drops += s->cpu_drops[i];
    if (s->ncpu_stats) {
        printf("drops:       %llu (", (unsigned long long)drops);
        for (uint32_t i = 0; i < s->ncpu_stats; i++)
            printf("%scpu%u %llu", i ? ", " : "", i, (unsigned long long)s->cpu_drops[i]);
        printf(")\n");
    } else {
        printf("drops:       unknown (no stats blocks)\n");
    }
    const char *rebuilt = skr_reader_index_rebuilt(r);
    printf("index:       %s\n", rebuilt ? esc(rebuilt, a, sizeof a) : "present");
    if (!skr_reader_ndamage(r))
        printf("damage:      none found\n");
    for (size_t i = 0; i < skr_reader_ndamage(r); i++) {
        const struct skr_damage *dm = skr_reader_damage(r, i);
        printf("damage:      %s: %s\n", dm->kind == SKR_DAMAGE_TRUNCATED ? "truncated" : "corrupt",
               esc(dm->what, a, sizeof a));
    }
}

/* A JSON string of v escaped whole (JSON output is for programs, so it is
 * never cut): bytes that are not UTF-8 become \xNN first, so the output
 * stays valid JSON. */
static cJSON *json_string(const char *v)
{
    struct skr_buf b = { 0 };
    skr_escape_append(&b, (const uint8_t *)(v ? v : ""), v ? strlen(v) : 0);
    skr_put_u8(&b, 0);
    cJSON *item = cJSON_CreateString(b.oom ? "" : (const char *)b.data);
    skr_buf_free(&b);
    return item;
}

static void json_str(cJSON *o, const char *k, const char *v)
{
    cJSON_AddItemToObject(o, k, json_string(v));
}

/* cJSON stores numbers as doubles, which cannot hold a nanosecond time
 * (about 2^60) exactly; integers are written as raw JSON text instead. */
static void json_u64(cJSON *o, const char *k, uint64_t v)
{
    char t[24];
    snprintf(t, sizeof t, "%llu", (unsigned long long)v);
    cJSON_AddRawToObject(o, k, t);
}

static cJSON *json_u64_item(uint64_t v)
{
    char t[24];
    snprintf(t, sizeof t, "%llu", (unsigned long long)v);
    return cJSON_CreateRaw(t);
}

static void print_json(struct skr_reader *r, const struct summary *s)
{
    const struct skr_header_info *h = skr_reader_header(r);
    const struct skr_schema *sc = skr_reader_schema(r);
    cJSON *o = cJSON_CreateObject();
    json_str(o, "file", skr_reader_path(r));
    json_u64(o, "version_major", h->version_major);
    json_u64(o, "version_minor", h->version_minor);
    json_str(o, "source_format", h->source_format ? h->source_format : "saker");
    json_u64(o, "created_ns", h->created_ns);
    json_str(o, "hostname", h->hostname);
    json_str(o, "kernel_release", h->kernel_release);
    json_str(o, "kernel_version", h->kernel_version);
    json_str(o, "arch", h->arch);
    json_u64(o, "boot_ns", h->boot_ns);
    json_u64(o, "ncpus", h->ncpus);
    json_str(o, "recorder", h->recorder);
    json_str(o, "recorder_version", h->recorder_version);
    cJSON *cmd = cJSON_AddArrayToObject(o, "cmdline");
    for (size_t i = 0; i < h->ncmdline; i++)
        cJSON_AddItemToArray(cmd, json_string(h->cmdline[i]));
    json_u64(o, "snaplen", h->snaplen);
    json_str(o, "filter", h->filter);
    cJSON *opts = cJSON_AddArrayToObject(o, "options");
    for (size_t i = 0; i < h->noptions; i++)
        cJSON_AddItemToArray(opts, json_string(h->options[i]));
    json_u64(o, "first_ts", s->events ? s->first_ts : 0);
    json_u64(o, "last_ts", s->events ? s->last_ts : 0);
    json_u64(o, "events", s->events);
    cJSON *bt = cJSON_AddObjectToObject(o, "events_by_type");
    for (uint32_t t = 0; t < SKR_MAX_EVENT_TYPES; t++)
        if (s->type_counts[t])
            json_u64(bt, sc->defs[t] ? sc->defs[t]->name : "?", s->type_counts[t]);
    cJSON *bl = cJSON_AddObjectToObject(o, "blocks");
    json_u64(bl, "events", s->nblocks[SKR_BLK_EVENTS]);
    json_u64(bl, "checkpoints", s->nblocks[SKR_BLK_CHECKPOINT]);
    json_u64(bl, "stats", s->nblocks[SKR_BLK_STATS]);
    cJSON *cps = cJSON_AddArrayToObject(o, "checkpoints");
    for (size_t i = 0; i < skr_reader_nblocks(r); i++) {
        const struct skr_block_info *b = skr_reader_block(r, i);
        if (b->type != SKR_BLK_CHECKPOINT)
            continue;
        cJSON *cp = cJSON_CreateObject();
        json_u64(cp, "block", (i + 1));
        json_u64(cp, "ts", b->min_ts);
        json_u64(cp, "next_event", b->first_evnum);
        json_u64(cp, "records", b->count);
        cJSON_AddItemToArray(cps, cp);
    }
    json_u64(o, "file_bytes", skr_reader_file_size(r));
    json_u64(o, "raw_bytes", s->raw);
    cJSON_AddNumberToObject(o, "bytes_per_event",
                            s->events ? (double)skr_reader_file_size(r) / (double)s->events : 0);
    uint64_t drops = 0;
    cJSON *dr = cJSON_AddArrayToObject(o, "drops_by_cpu");
    for (uint32_t i = 0; i < s->ncpu_stats; i++) {
        drops += s->cpu_drops[i];
        cJSON_AddItemToArray(dr, json_u64_item(s->cpu_drops[i]));
    }
    if (s->ncpu_stats)
        json_u64(o, "drops", drops);
    else
        cJSON_AddNullToObject(o, "drops");
    const char *rebuilt = skr_reader_index_rebuilt(r);
    cJSON_AddBoolToObject(o, "index_present", rebuilt == NULL);
    if (rebuilt)
        json_str(o, "index_rebuilt", rebuilt);
    cJSON *dm = cJSON_AddArrayToObject(o, "damage");
    for (size_t i = 0; i < skr_reader_ndamage(r); i++) {
        const struct skr_damage *d = skr_reader_damage(r, i);
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "kind", d->kind == SKR_DAMAGE_TRUNCATED ? "truncated" : "corrupt");
        json_u64(x, "offset", d->offset);
        cJSON_AddNumberToObject(x, "block", (double)d->block_no);
        json_u64(x, "events_lost", d->events_lost);
        json_str(x, "what", d->what);
        cJSON_AddItemToArray(dm, x);
    }
    char *text = cJSON_PrintUnformatted(o);
    if (text)
        puts(text);
    free(text);
    cJSON_Delete(o);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saker info [--json] [--check] FILE...\n\n"
            "Describe each trace FILE: header (host, kernel, recorder and its options),\n"
            "time span, events total and by type, blocks and checkpoints, size on disk\n"
            "and uncompressed, bytes per event, drops per CPU, whether the footer index\n"
            "was present or rebuilt by scanning, and any damage found.\n\n"
            "options:\n"
            "  -j, --json    one JSON object per file, one per line\n"
            "  -c, --check   read and verify every block (checksums, decoding) and\n"
            "                count events by decoding them instead of trusting the index\n"
            "  -h, --help    this text\n\n"
            "examples:\n"
            "  saker info trace.skr\n"
            "  saker info --check trace.skr        # verify every block\n"
            "  saker info --json *.skr | jq .events\n\n"
            "Exit status: 0 ok, 1 damage found, 2 bad usage or not a usable trace.\n");
}

int cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "check", no_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool json = false, check = false;
    int c;
    optind = 1;
    opterr = 0; /* errors are ours: one line, see cli_bad_option */
    while ((c = getopt_long(argc, argv, ":jch", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'c': check = true; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: return cli_bad_option("info", c, argv);
        }
    }
    if (optind >= argc) {
        cli_error("info: no trace file given (try: saker info --help)");
        return EXIT_UNUSABLE;
    }
    int status = EXIT_OK;
    struct summary *s = malloc(sizeof *s);
    if (!s) {
        cli_error("info: out of memory");
        return EXIT_UNUSABLE;
    }
    for (int i = optind; i < argc; i++) {
        struct skr_reader *r;
        char err[512];
        if (skr_reader_open(argv[i], &r, err, sizeof err) < 0) {
            cli_error("%s", err);
            status = EXIT_UNUSABLE;
            continue;
        }
        summarize(r, s, check);
        if (json)
            print_json(r, s);
        else {
            if (i > optind)
                printf("\n");
            print_text(r, s);
        }
        for (size_t k = 0; k < skr_reader_ndamage(r); k++)
            cli_print_damage(NULL, argv[i], skr_reader_damage(r, k));
        if (skr_reader_ndamage(r) && status == EXIT_OK)
            status = EXIT_DAMAGED;
        skr_reader_close(r);
    }
    free(s);
    fflush(stdout);
    return status;
}
