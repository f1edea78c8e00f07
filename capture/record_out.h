/* record_out.h -- the recorder's output: the current trace file and its
 * rotation (by size, by time, a ring of N files), a state checkpoint at
 * the start of every file and periodically, and stats blocks. */
#ifndef SAKER_RECORD_OUT_H
#define SAKER_RECORD_OUT_H

#include <stdint.h>
#include "writer.h"

struct recout_opts {
    const char *pattern;          /* -w FILE; strftime sequences when rotating by time */
    uint64_t rotate_bytes;        /* -C: 0 = never */
    unsigned rotate_secs;         /* -G: 0 = never */
    unsigned keep_files;          /* -W: 0 = keep all */
    unsigned checkpoint_secs;     /* periodic checkpoints: 0 = only at file start */
    const char *proc_root;        /* "/proc" */
    bool no_env;                  /* checkpoints without environments (--no-env) */
    const struct skw_header *hdr; /* header template (file_seq is set per file) */
    const struct skr_schema *schema;
    struct skw_options wopt;
};

struct recout;

/* Opens the first file and writes its checkpoint. NULL with err on failure. */
struct recout *recout_open(const struct recout_opts *o, uint64_t now_ns, char *err, size_t errlen);
/* Appends an event, first rotating if the size or time limit is reached. */
int recout_append(struct recout *r, const struct skr_event *ev);
/* Time-driven work: rotation by time and periodic checkpoints. */
int recout_tick(struct recout *r, uint64_t now_ns);
int recout_stats(struct recout *r, uint64_t now_ns, const struct skw_cpu_stats *cpus, size_t n);
/* The recording is over (no more rotation, the ring is drained): what is
 * left to write may take its time (skw_set_patient). */
void recout_set_patient(struct recout *r);
/* Finishes the current file. Returns 0 or -1 with err; frees r. */
int recout_close(struct recout *r, char *err, size_t errlen);
const char *recout_error(const struct recout *r);
uint64_t recout_events(const struct recout *r);
uint64_t recout_bytes(const struct recout *r);     /* on disk, all files */
uint64_t recout_raw_bytes(const struct recout *r); /* before compression, all files */
const char *recout_current(const struct recout *r);
unsigned recout_files(const struct recout *r);

#endif
