/* procfs_util.c -- the procfs module's primitives for reading kernel and
 * system text files: bounded file and line reads, a tokenizer, strict
 * number parsing and an inode-keyed hash map (procfs_int.h).
 *
 * Nothing here trusts the content: /proc files change between two reads,
 * /etc files are whatever an administrator wrote, and a test feeds fake
 * ones. Every read has a cap and every number must parse completely. */
#include "procfs_int.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

ssize_t procfs_read_file(int dirfd, const char *name, char *buf, size_t cap, bool *truncated)
{
    assert(cap > 0);
    *truncated = false;
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return -1;
    size_t len = 0;
    /* A /proc file is generated a page at a time: read until EOF. */
    while (len < cap - 1) {
        ssize_t k = read(fd, buf + len, cap - 1 - len);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (k == 0)
            break;
        len += (size_t)k;
    }
    if (len == cap - 1) {
        char extra;
        ssize_t k;
        do
            k = read(fd, &extra, 1);
        while (k < 0 && errno == EINTR);
        *truncated = k > 0;
    }
    close(fd);
    buf[len] = '\0';
    return (ssize_t)len;
}

bool procfs_getline(FILE *f, char *buf, size_t cap, bool *cut)
{
    *cut = false;
    if (!fgets(buf, (int)(cap > INT32_MAX ? INT32_MAX : cap), f))
        return false;
    size_t n = strlen(buf);
    if (n > 0 && buf[n - 1] == '\n') {
        buf[n - 1] = '\0';
        return true;
    }
    /* No newline: the line was longer than buf, or the file ends here. */
    int c;
    while ((c = getc(f)) != EOF && c != '\n')
        *cut = true;
    return true;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int procfs_split(char *s, char **tok, int max, char **rest)
{
    int n = 0;
    while (n < max) {
        while (*s && is_blank(*s))
            s++;
        if (!*s)
            break;
        tok[n++] = s;
        while (*s && !is_blank(*s))
            s++;
        if (*s)
            *s++ = '\0';
    }
    if (rest)
        *rest = s;
    return n;
}

bool procfs_parse_u64(const char *s, int base, uint64_t *v)
{
    uint64_t x = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return false;
        if (d >= (unsigned)base || x > (UINT64_MAX - d) / (unsigned)base)
            return false;
        x = x * (unsigned)base + d;
    }
    *v = x;
    return true;
}

bool procfs_parse_i64(const char *s, int64_t *v)
{
    bool neg = *s == '-';
    uint64_t u;
    if (!procfs_parse_u64(s + neg, 10, &u))
        return false;
    if (neg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX)
        return false;
    *v = neg ? (int64_t)(0 - u) : (int64_t)u;
    return true;
}

bool procfs_parse_u32(const char *s, uint32_t *v)
{
    uint64_t u;
    if (!procfs_parse_u64(s, 10, &u) || u > UINT32_MAX)
        return false;
    *v = (uint32_t)u;
    return true;
}

/* ---- the map ---- */

static size_t slot_of(uint64_t k, size_t cap)
{
    /* Fibonacci hashing: inodes are often consecutive, and the multiply
     * spreads them over the table. */
    return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

static bool map_grow(struct procfs_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 256;
    if (cap > SIZE_MAX / sizeof(uint64_t))
        return false;
    uint64_t *keys = skr_malloc(cap * sizeof *keys);
    uint32_t *vals = skr_malloc(cap * sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return false;
    }
    memset(keys, 0, cap * sizeof *keys);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = slot_of(m->keys[i], cap);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return true;
}

int procfs_map_put(struct procfs_map *m, uint64_t key, uint32_t val)
{
    if (key == UINT64_MAX)
        return -1;
    /* Keep the load at most one half so probes stay short. */
    if ((m->n + 1) * 2 > m->cap && !map_grow(m))
        return -1;
    uint64_t k = key + 1;
    size_t j = slot_of(k, m->cap);
    while (m->keys[j]) {
        if (m->keys[j] == k)
            return 0;
        j = (j + 1) & (m->cap - 1);
    }
    m->keys[j] = k;
    m->vals[j] = val;
    m->n++;
    return 1;
}

bool procfs_map_get(const struct procfs_map *m, uint64_t key, uint32_t *val)
{
    if (!m->cap || key == UINT64_MAX)
        return false;
    uint64_t k = key + 1;
    /* The load is at most one half, so a free slot ends every probe. */
    for (size_t j = slot_of(k, m->cap); m->keys[j]; j = (j + 1) & (m->cap - 1)) {
        if (m->keys[j] == k) {
            if (val)
                *val = m->vals[j];
            return true;
        }
    }
    return false;
}

void procfs_map_free(struct procfs_map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}
