/* procfs_int.h -- what the files of the procfs module share: bounded reads
 * of small text files and lines, an inode-keyed hash map (procfs_util.c),
 * the network tables (procfs_net.c), cgroup lines and container ids
 * (procfs_cgroup.c) and the passwd/group reader (procfs_etc.c). procfs.c
 * walks /proc and uses them all. Not part of the module's API, which is
 * procfs.h. */
#ifndef SAKER_PROCFS_INT_H
#define SAKER_PROCFS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "../reader/codec.h"
#include "procfs.h"

/* ---- procfs_util.c ---- */

/* Reads at most cap - 1 bytes of dirfd/name into buf and ends them with a
 * NUL; *truncated says the file had more. Returns the length, or -1 with
 * errno set. */
ssize_t procfs_read_file(int dirfd, const char *name, char *buf, size_t cap, bool *truncated);
/* Reads one line of f into buf (at most cap - 1 bytes, newline removed).
 * A longer line is cut, the rest of it consumed and *cut set. Returns
 * false at the end of the file. */
bool procfs_getline(FILE *f, char *buf, size_t cap, bool *cut);
/* Splits s at runs of blanks into at most max tokens, ending each with a
 * NUL; *rest (when not NULL) gets what follows the last token taken,
 * after one separator. Returns the number of tokens. */
int procfs_split(char *s, char **tok, int max, char **rest);
/* Strict numbers: the whole string must be digits of the base and the
 * value must fit; false otherwise. */
bool procfs_parse_u64(const char *s, int base, uint64_t *v);
bool procfs_parse_i64(const char *s, int64_t *v);
bool procfs_parse_u32(const char *s, uint32_t *v);

/* Open addressing map from a 64-bit key to a 32-bit value. Keys are any
 * value but UINT64_MAX (stored as key + 1 so that 0 marks a free slot). */
struct procfs_map {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, n;
};
/* 1: inserted; 0: the key was there (its value is kept); -1: no memory
 * or the key is UINT64_MAX. */
int procfs_map_put(struct procfs_map *m, uint64_t key, uint32_t val);
bool procfs_map_get(const struct procfs_map *m, uint64_t key, uint32_t *val);
void procfs_map_free(struct procfs_map *m);

/* ---- procfs_net.c ---- */

struct procfs_sock;

struct procfs_net {
    struct procfs_sock *socks;
    size_t n, cap;
    struct procfs_map by_ino;   /* socket inode -> index into socks */
    struct procfs_map listen;   /* slot << 16 | local port of a TCP listener */
    struct procfs_map loaded;   /* network namespace inode -> slot */
    uint32_t nslots;
    struct skr_buf paths;       /* unix socket paths, NUL-ended */
    bool oom;
};

/* Reads the socket tables under dirfd's "net/" (dirfd is the proc root or
 * a /proc/PID directory) as those of the network namespace nsid, unless
 * that namespace was read before. buf is scratch of cap bytes. Returns 1
 * when the namespace's tables are (now) known, 0 when none could be read,
 * -1 when out of memory. */
int procfs_net_load(struct procfs_net *net, int dirfd, uint64_t nsid, struct procfs_stats *st,
                    char *buf, size_t cap);
/* Adds TYPE, NAME, TUPLE and ROLE of socket inode ino to the FD record in
 * rec; NAME is link (the descriptor's link text) when the socket has no
 * address to show. Returns false, adding nothing, when no table knows the
 * socket. */
bool procfs_net_describe(const struct procfs_net *net, uint64_t ino, const char *link,
                         struct skr_buf *rec);
void procfs_net_free(struct procfs_net *net);

/* ---- procfs_cgroup.c ---- */

#define PROCFS_CID_LEN 12       /* hex digits of a container id we keep */

/* Appends a CGROUP field per line of the text of /proc/PID/cgroup to rec.
 * Returns 0 when no line's path names a container, else the container's
 * runtime (an index of procfs_containers_put's names), with its id and a
 * NUL in cid. */
int procfs_cgroup_fields(struct skr_buf *rec, const char *text, size_t len,
                         char cid[PROCFS_CID_LEN + 1]);

/* The distinct containers seen, in the order first seen. */
struct procfs_containers {
    struct procfs_map ids;      /* 48-bit id -> runtime */
    struct skr_buf order;       /* the ids, a u64 each */
};
/* 1: new; 0: seen before; -1: out of memory. */
int procfs_containers_add(struct procfs_containers *c, const char *cid, int runtime);
/* Appends a CONTAINER record for each; returns how many. */
uint32_t procfs_containers_put(const struct procfs_containers *c, struct skr_buf *out);
void procfs_containers_free(struct procfs_containers *c);

/* ---- procfs_etc.c ---- */

/* Appends USER records from etc_root/passwd and GROUP records from
 * etc_root/group; a missing file adds nothing. Returns the number of
 * records appended. */
uint32_t procfs_etc_accounts(const char *etc_root, struct skr_buf *out, struct procfs_stats *st);

#endif
