/* record_decode.h -- turns the kernel side's ring-buffer records
 * (record.h) into saker events of the recorder's schema (event_table.h). */
#ifndef SAKER_RECORD_DECODE_H
#define SAKER_RECORD_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "../reader/event.h"

struct recdec;

/* boot_to_wall: add to a boot-clock time to get ns since the epoch.
 * cgroup_root: where cgroup v2 is mounted ("/sys/fs/cgroup"), for turning
 * cgroup ids into paths. Returns NULL when out of memory. */
struct recdec *recdec_new(int64_t boot_to_wall, const char *cgroup_root);
void recdec_free(struct recdec *d);
/* Exec events carry an empty environment (record --no-env). */
void recdec_omit_env(struct recdec *d);

/* Decodes one record. Returns 0 with ev filled (its byte values point into
 * rec or into d, valid until the next call), or -1 when the record is
 * malformed (reason in err). */
int recdec_decode(struct recdec *d, const void *rec, size_t len, struct skr_event *ev,
                  char *err, size_t errlen);

/* Event id for a syscall number, or -1 when saker has no event of its own
 * for it (it is recorded as the generic "syscall" event). */
int recdec_event_for(unsigned nr);
/* Checks every decoding spec against the schema; returns the number of
 * mismatches (0 when the tables agree), printing each to stderr. */
int recdec_selfcheck(void);

#endif
