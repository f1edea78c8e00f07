/* writer.h -- the trace writer: appends events, cuts and compresses blocks,
 * writes checkpoints, stats, the index and the trailer
 * (man/saker-trace.5 §13).
 *
 * Invariant: the file on disk is always a sequence of whole blocks followed
 * by at most one partly written block, so a crash loses at most the block
 * being filled. On a write error the writer cuts the file back to its last
 * whole block and refuses further appends. */
#ifndef SAKER_WRITER_H
#define SAKER_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "../reader/event.h"
#include "../reader/schema.h"

struct skw_header {
    uint64_t created_ns;
    const char *hostname, *kernel_release, *kernel_version, *arch;
    uint64_t boot_ns;
    uint32_t ncpus;
    const char *recorder, *recorder_version;
    int argc;
    char *const *argv;
    uint32_t snaplen;
    const char *filter;
    int noptions;
    const char *const *options;  /* "key=value" */
    const char *source_format;   /* NULL means "saker" */
    uint64_t file_seq;
};

struct skw_options {
    uint32_t block_size;   /* raw bytes per events block; 0 = default */
    int zstd_level;        /* 0 = default; negative = fast levels */
    uint64_t first_evnum;  /* 0 = 1; a rotated file continues the numbering */
    bool background;       /* compress and write EVENTS blocks on a thread of
                              the writer's own, off the caller's thread */
    bool spare_effort;     /* with background: an EVENTS block that
                              zstd_level leaves between 1/8 and 1/3 of its
                              raw size is compressed again with zstd's
                              optimal parser (the smaller kept) while the
                              queue is at most half full and the caller
                              does not wait for it (skw_set_patient). One
                              ordinary zstd frame per payload as always,
                              but the bytes then depend on timing
                              (writer.c) */
};

struct skw_cpu_stats {
    uint32_t cpu;
    uint64_t events;
    uint64_t drops;
};

struct skw_writer;

/* Creates path (mode 0600, truncating) and writes the preamble and the
 * header block. Returns NULL with the reason in err. */
struct skw_writer *skw_create(const char *path, const struct skw_header *hdr,
                              const struct skr_schema *schema,
                              const struct skw_options *opt,
                              char *err, size_t errlen);
/* Appends one event; ev->def must be the schema's definition of ev->type.
 * ev->num is ignored: numbers are assigned in order. Returns 0 or -1. */
int skw_append(struct skw_writer *w, const struct skr_event *ev);
/* Writes a checkpoint block of count §8 records taken at ts; the events
 * block being filled is cut first so the checkpoint sits between events. */
int skw_checkpoint(struct skw_writer *w, uint64_t ts, const void *records,
                   size_t len, uint32_t count);
/* Writes a stats block of cumulative per-CPU counters at ts; like
 * skw_checkpoint, it cuts the events block being filled first. */
int skw_stats(struct skw_writer *w, uint64_t ts, const struct skw_cpu_stats *cpus, size_t n);
/* From now on the caller has no deadline (the end of a recording): while
 * it waits for queued blocks (stats, checkpoint, close), spare_effort's
 * second pass may still run on them instead of giving way. */
void skw_set_patient(struct skw_writer *w);
/* Cuts the events block being filled, if any. */
int skw_flush(struct skw_writer *w);
/* Flushes, writes index and trailer, syncs and closes; frees w. Returns 0,
 * or -1 with the reason in err (the file then holds every whole block). */
int skw_close(struct skw_writer *w, char *err, size_t errlen);
/* The first error, or NULL. */
const char *skw_error(const struct skw_writer *w);
uint64_t skw_events_written(const struct skw_writer *w);
uint64_t skw_next_evnum(const struct skw_writer *w);
uint64_t skw_bytes_written(struct skw_writer *w);
uint64_t skw_raw_bytes(struct skw_writer *w);

/* The pwrite the writer uses; tests replace it to cause a full disk. */
extern ssize_t (*skw_sys_pwrite)(int fd, const void *buf, size_t n, off_t off);
/* The scheduling policy of spare_effort's thread: SCHED_IDLE; tests set
 * SCHED_OTHER so that a busy machine cannot starve what they check. */
extern int skw_effort_policy;

#endif
