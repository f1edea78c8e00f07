/* merge.c -- several trace files (a rotated set, or traces of several
 * hosts) read as one timeline, merged by timestamp (man/saker-trace.5 §12).
 *
 * Each file keeps its own reader (and prefetch thread); the merge holds one
 * pending item per file and hands out the earliest, ties going to the file
 * named first. Sets are small (tens of files), so a linear pick is enough. */
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "codec.h"

struct pending {
    struct skr_reader *r;
    struct skr_item item;
    int state;                  /* 0 needs a fetch, 1 holds item, 2 ended */
};

struct skr_merge {
    struct pending *p;
    size_t n;
    long last;                  /* file whose item was handed out last */
};

int skr_merge_open(const char *const *paths, size_t n, struct skr_merge **out,
                   char *err, size_t errlen)
{
    *out = NULL;
    struct skr_merge *m = skr_malloc(sizeof *m);
    if (!m || !(m->p = skr_malloc((n ? n : 1) * sizeof *m->p))) {
        free(m);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memset(m->p, 0, (n ? n : 1) * sizeof *m->p);
    m->n = n;
    m->last = -1;
    for (size_t i = 0; i < n; i++) {
        if (skr_reader_open(paths[i], &m->p[i].r, err, errlen) < 0) {
            skr_merge_close(m);
            return -1;
        }
    }
    *out = m;
    return 0;
}

void skr_merge_close(struct skr_merge *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        skr_reader_close(m->p[i].r);
    free(m->p);
    free(m);
}

size_t skr_merge_nreaders(const struct skr_merge *m) { return m->n; }
struct skr_reader *skr_merge_reader(struct skr_merge *m, size_t i) { return i < m->n ? m->p[i].r : NULL; }

static uint64_t item_ts(const struct skr_item *it)
{
    return it->kind == SKR_ITEM_EVENT ? it->ev->ts : it->block->min_ts;
}

int skr_merge_next(struct skr_merge *m, struct skr_item *it, size_t *which)
{
    /* The item handed out last points into its reader's buffers, so that
     * reader only moves on now, after the caller is done with it. */
    if (m->last >= 0)
        m->p[m->last].state = 0;
    long best = -1;
    uint64_t best_ts = 0;
    for (size_t i = 0; i < m->n; i++) {
        struct pending *p = &m->p[i];
        if (p->state == 0) {
            int rc = skr_reader_next(p->r, &p->item);
            if (rc < 0)
                return -1;
            p->state = rc == 1 ? 1 : 2;
        }
        if (p->state == 1 && (best < 0 || item_ts(&p->item) < best_ts)) {
            best = (long)i;
            best_ts = item_ts(&p->item);
        }
    }
    m->last = best;
    if (best < 0)
        return 0;
    *it = m->p[best].item;
    *which = (size_t)best;
    return 1;
}

void skr_merge_seek_time(struct skr_merge *m, uint64_t ts)
{
    for (size_t i = 0; i < m->n; i++) {
        skr_reader_seek_time(m->p[i].r, ts);
        m->p[i].state = 0;
    }
    m->last = -1;
}
