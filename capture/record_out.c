/* record_out.c -- the recorder's output files (see record_out.h).
 *
 * Naming: without rotation the file is FILE. When rotating, each file is
 * strftime(FILE) at the time it was opened, followed by ".N" (N counting
 * from 0) unless FILE has strftime sequences and only time rotation is
 * used. Event numbers continue across files, and every file starts with a
 * checkpoint, so each one can be read and analyzed on its own. */
#include "record_out.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"

struct recout {
    struct recout_opts o;
    struct skw_writer *w;
    char name[4096];
    char err[512];
    uint64_t file_start_ns, last_checkpoint_ns;
    uint64_t seq;
    uint64_t next_evnum;
    uint64_t events, bytes_done, raw_done;
    char **kept;                /* names of finished files, oldest first (-W) */
    unsigned nkept;
    unsigned files;
};

static int file_name(struct recout *r, uint64_t now_ns)
{
    bool rotating = r->o.rotate_bytes || r->o.rotate_secs;
    char base[4096];
    if (r->o.rotate_secs) {
        time_t t = (time_t)(now_ns / 1000000000ull);
        struct tm tm;
        localtime_r(&t, &tm);
        size_t n = strftime(base, sizeof base, r->o.pattern, &tm);
        if (n == 0) {
            snprintf(r->err, sizeof r->err, "%s: file name pattern gives an empty name", r->o.pattern);
            return -1;
        }
    } else {
        snprintf(base, sizeof base, "%s", r->o.pattern);
    }
    bool numbered = rotating && (r->o.rotate_bytes || !strchr(r->o.pattern, '%'));
    if (numbered)
        snprintf(r->name, sizeof r->name, "%s.%llu", base, (unsigned long long)r->seq);
    else
        snprintf(r->name, sizeof r->name, "%s", base);
    return 0;
}

/* The checkpoint without the threads' environment entries (--no-env): a
 * trace meant to be shared should not carry every process's secrets. Each
 * record is rebuilt field by field; a THREAD record loses its ENV fields. */
static void put_field(struct skr_buf *b, const struct skr_field *f)
{
    if (f->wire == SKR_WIRE_VARINT)
        skr_put_field_u(b, f->tag, f->u);
    else if (f->wire == SKR_WIRE_ZIGZAG)
        skr_put_field_s(b, f->tag, f->s);
    else
        skr_put_field_bytes(b, f->tag, f->ptr, f->len);
}

static void strip_env(struct skr_buf *b)
{
    struct skr_buf out = { 0 }, rec = { 0 };
    struct skr_cur top = skr_cur_make(b->data, b->len);
    struct skr_field f;
    while (skr_next_field(&top, &f)) {
        if (f.tag != SKR_CP_THREAD || f.wire != SKR_WIRE_BYTES) {
            put_field(&out, &f);
            continue;
        }
        skr_buf_reset(&rec);
        struct skr_cur in = skr_cur_make(f.ptr, f.len);
        struct skr_field g;
        while (skr_next_field(&in, &g))
            if (g.tag != SKR_CPT_ENV)
                put_field(&rec, &g);
        skr_put_field_bytes(&out, SKR_CP_THREAD, rec.data, rec.len);
    }
    skr_buf_free(&rec);
    if (out.oom) {          /* keep nothing rather than the environments */
        skr_buf_free(&out);
        out = (struct skr_buf){ 0 };
    }
    skr_buf_free(b);
    *b = out;
}

static int write_checkpoint(struct recout *r, uint64_t now_ns)
{
    struct skr_buf b = { 0 };
    uint32_t count = 0;
    struct procfs_stats st;
    char why[256];
    int rc = procfs_snapshot(r->o.proc_root, &b, &count, &st, why, sizeof why);
    if (rc == 0 && r->o.no_env)
        strip_env(&b);
    if (rc < 0) {
        snprintf(r->err, sizeof r->err, "%s: state checkpoint: %s", r->name, why);
    } else if (skw_checkpoint(r->w, now_ns, b.data, b.len, count) < 0) {
        snprintf(r->err, sizeof r->err, "%s", skw_error(r->w));
        rc = -1;
    }
    skr_buf_free(&b);
    r->last_checkpoint_ns = now_ns;
    return rc;
}

static int open_file(struct recout *r, uint64_t now_ns)
{
    if (file_name(r, now_ns) < 0)
        return -1;
    struct skw_header h = *r->o.hdr;
    h.file_seq = r->seq;
    h.created_ns = now_ns;
    struct skw_options wo = r->o.wopt;
    wo.first_evnum = r->next_evnum;
    char why[512];
    r->w = skw_create(r->name, &h, r->o.schema, &wo, why, sizeof why);
    if (!r->w) {
        snprintf(r->err, sizeof r->err, "%s", why);
        return -1;
    }
    r->file_start_ns = now_ns;
    r->files++;
    return write_checkpoint(r, now_ns);
}

/* -W: the oldest finished files go once there are more than keep_files,
 * counting the file that follows this one (following: 1 when rotating, 0
 * at the end, when the last file is itself one of the newest kept). */
static void remember_finished(struct recout *r, unsigned following)
{
    if (!r->o.keep_files)
        return;
    char **k = realloc(r->kept, (r->nkept + 1) * sizeof *k);
    if (!k)
        return;
    r->kept = k;
    if (!(k[r->nkept] = strdup(r->name)))
        return;
    r->nkept++;
    while (r->nkept + following > r->o.keep_files && r->nkept > 0) {
        unlink(r->kept[0]);
        free(r->kept[0]);
        memmove(r->kept, r->kept + 1, (r->nkept - 1) * sizeof *r->kept);
        r->nkept--;
    }
}

static int finish_file(struct recout *r, unsigned following)
{
    if (!r->w)
        return 0;
    r->next_evnum = skw_next_evnum(r->w);
    r->bytes_done += skw_bytes_written(r->w);
    r->raw_done += skw_raw_bytes(r->w);
    char why[512];
    int rc = skw_close(r->w, why, sizeof why);
    r->w = NULL;
    if (rc < 0 && !r->err[0])
        snprintf(r->err, sizeof r->err, "%s", why);
    remember_finished(r, following);
    return rc;
}

static int rotate(struct recout *r, uint64_t now_ns)
{
    if (finish_file(r, 1) < 0)
        return -1;
    r->seq++;
    return open_file(r, now_ns);
}

struct recout *recout_open(const struct recout_opts *o, uint64_t now_ns, char *err, size_t errlen)
{
    struct recout *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->o = *o;
    r->next_evnum = 1;
    if (open_file(r, now_ns) < 0) {
        snprintf(err, errlen, "%s", r->err);
        if (r->w)
            skw_close(r->w, NULL, 0);
        free(r);
        return NULL;
    }
    return r;
}

int recout_append(struct recout *r, const struct skr_event *ev)
{
    /* -C counts what is on disk, as tcpdump's does: a file is finished
     * once it has reached the size. skw_raw_bytes() is no measure of it
     * (it counts the raw bytes of blocks already written too), and the
     * blocks still being filled or compressed, which also go into this
     * file, are at most a few compressed blocks more. */
    if (r->o.rotate_bytes && skw_bytes_written(r->w) >= r->o.rotate_bytes &&
        skw_events_written(r->w) > 0 && rotate(r, ev->ts) < 0)
        return -1;
    if (skw_append(r->w, ev) < 0) {
        snprintf(r->err, sizeof r->err, "%s", skw_error(r->w));
        return -1;
    }
    r->events++;
    return 0;
}

int recout_tick(struct recout *r, uint64_t now_ns)
{
    if (r->o.rotate_secs && now_ns - r->file_start_ns >= (uint64_t)r->o.rotate_secs * 1000000000ull)
        return rotate(r, now_ns);
    if (r->o.checkpoint_secs &&
        now_ns - r->last_checkpoint_ns >= (uint64_t)r->o.checkpoint_secs * 1000000000ull)
        return write_checkpoint(r, now_ns);
    return 0;
}

void recout_set_patient(struct recout *r)
{
    if (r->w)
        skw_set_patient(r->w);
}

int recout_stats(struct recout *r, uint64_t now_ns, const struct skw_cpu_stats *cpus, size_t n)
{
    if (skw_stats(r->w, now_ns, cpus, n) < 0) {
        snprintf(r->err, sizeof r->err, "%s", skw_error(r->w));
        return -1;
    }
    return 0;
}

int recout_close(struct recout *r, char *err, size_t errlen)
{
    int rc = finish_file(r, 0);
    if (r->err[0])
        rc = -1;
    if (rc < 0)
        snprintf(err, errlen, "%s", r->err);
    for (unsigned i = 0; i < r->nkept; i++)
        free(r->kept[i]);
    free(r->kept);
    free(r);
    return rc;
}

const char *recout_error(const struct recout *r) { return r->err[0] ? r->err : NULL; }
uint64_t recout_events(const struct recout *r) { return r->events; }
const char *recout_current(const struct recout *r) { return r->name; }
unsigned recout_files(const struct recout *r) { return r->files; }

uint64_t recout_bytes(const struct recout *r)
{
    return r->bytes_done + (r->w ? skw_bytes_written(r->w) : 0);
}

uint64_t recout_raw_bytes(const struct recout *r)
{
    return r->raw_done + (r->w ? skw_raw_bytes(r->w) : 0);
}
