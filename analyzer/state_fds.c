/* state_fds.c -- file descriptor tables, the paths fds are named by, and
 * the names of sockets.
 *
 * A table belongs to a process, and to every thread or CLONE_FILES child
 * that shares it: threads point at it and it counts them (refs). A fork
 * copies it. Each table is bounded by state_limits.max_fds_per_process;
 * adding past the bound evicts the oldest opened fd (an insertion-ordered
 * list), counted in state_stats.fds_evicted.
 *
 * Names follow libsinsp (userspace/libsinsp/parsers.cpp, utils.cpp):
 * files get the absolute path, normalised like sinsp_utils::
 * concatenate_paths ("." and ".." folded, "//" collapsed); IPv4/IPv6
 * sockets "sip:sport->dip:dport" (IPv6 addresses by inet_ntop, without
 * brackets); unix sockets "srcid->dstid path" in hex; a pipe made by
 * pipe(2) has an empty name (add_pipe sets none). */
#include <arpa/inet.h>
#include <assert.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "state_int.h"

struct st_fdtable *st_fdt_new(void)
{
    struct st_fdtable *t = calloc(1, sizeof *t);
    if (t)
        t->refs = 1;
    return t;
}

void st_fdt_ref(struct st_fdtable *t)
{
    t->refs++;
}

static void fd_free(struct st_fdi *f)
{
    free(f->pub.name);
    free(f);
}

void st_fdt_unref(struct st_fdtable *t)
{
    if (!t)
        return;
    assert(t->refs > 0);
    if (--t->refs)
        return;
    for (struct st_fdi *f = t->oldest, *next; f; f = next) {
        next = f->newer;
        fd_free(f);
    }
    st_hash_free(&t->by_num);
    free(t);
}

static void unlink_fd(struct st_fdtable *t, struct st_fdi *f)
{
    if (f->older)
        f->older->newer = f->newer;
    else
        t->oldest = f->newer;
    if (f->newer)
        f->newer->older = f->older;
    else
        t->newest = f->older;
    t->n--;
}

enum { FD_POOL_MAX = 256 };

void st_fd_del(struct state *st, struct st_fdtable *t, int64_t num)
{
    struct st_fdi *f = st_hash_del(&t->by_num, num);
    if (!f)
        return;
    unlink_fd(t, f);
    if (st->fd_pool_n >= FD_POOL_MAX) {
        fd_free(f);
        return;
    }
    free(f->pub.name);
    f->pub.name = NULL;
    f->newer = st->fd_pool;
    st->fd_pool = f;
    st->fd_pool_n++;
}

void st_fd_pool_free(struct state *st)
{
    for (struct st_fdi *f = st->fd_pool, *next; f; f = next) {
        next = f->newer;
        free(f); /* its name went at st_fd_del */
    }
    st->fd_pool = NULL;
    st->fd_pool_n = 0;
}

struct st_fdi *st_fd_add(struct state *st, struct st_fdtable *t, int64_t num)
{
    st_fd_del(st, t, num);
    while (t->n && t->n >= st->lim.max_fds_per_process) {
        st_fd_del(st, t, t->oldest->pub.num);
        st->stats.fds_evicted++;
    }
    struct st_fdi *f = st->fd_pool;
    if (f) {
        st->fd_pool = f->newer;
        st->fd_pool_n--;
        *f = (struct st_fdi){ 0 };
    } else if (!(f = calloc(1, sizeof *f))) {
        return NULL;
    }
    f->pub.num = num;
    f->pub.type = ST_FD_UNKNOWN;
    if (!st_hash_put(&t->by_num, num, f)) {
        free(f);
        return NULL;
    }
    f->older = t->newest;
    if (t->newest)
        t->newest->newer = f;
    else
        t->oldest = f;
    t->newest = f;
    t->n++;
    return f;
}

void st_fd_copy_into(struct st_fdi *dst, const struct st_fdi *src)
{
    int64_t num = dst->pub.num;
    char *name = src->pub.name ? strdup(src->pub.name) : NULL;
    free(dst->pub.name);
    dst->pub = src->pub;
    dst->pub.num = num;
    dst->pub.name = name;
}

struct st_fdtable *st_fdt_copy(struct state *st, const struct st_fdtable *t)
{
    struct st_fdtable *c = st_fdt_new();
    if (!c || !t)
        return c;
    for (const struct st_fdi *f = t->oldest; f; f = f->newer) {
        struct st_fdi *n = st_fd_add(st, c, f->pub.num);
        if (n)
            st_fd_copy_into(n, f);
    }
    return c;
}

void st_fdt_close_on_exec(struct state *st, struct st_fdtable *t)
{
    for (struct st_fdi *f = t->oldest, *next; f; f = next) {
        next = f->newer;
        if (f->pub.open_flags & O_CLOEXEC)
            st_fd_del(st, t, f->pub.num);
    }
}

/* Appends one component to an absolute path in out (len bytes used),
 * folding "." and ".."; out has room for cap bytes. */
static size_t push_component(char *out, size_t len, size_t cap, const char *c, size_t n)
{
    if (n == 0 || (n == 1 && c[0] == '.'))
        return len;
    if (n == 2 && c[0] == '.' && c[1] == '.') {
        /* "/.." is "/" */
        while (len > 1 && out[len - 1] != '/')
            len--;
        if (len > 1)
            len--;
        out[len] = 0;
        return len;
    }
    if (len + 1 + n + 1 > cap)
        return len;
    if (out[len - 1] != '/')
        out[len++] = '/';
    memcpy(out + len, c, n);
    len += n;
    out[len] = 0;
    return len;
}

static size_t push_path(char *out, size_t len, size_t cap, const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && p[j] != '/')
            j++;
        len = push_component(out, len, cap, p + i, j - i);
        i = j + 1;
    }
    return len;
}

char *st_path_join(const char *dir, const void *namep, size_t n)
{
    const char *name = namep;
    /* A path is at most PATH_MAX (4096) in the kernel; a bit more room
     * for the directory part keeps a long but legal pair whole. */
    size_t cap = (dir ? strlen(dir) : 0) + n + 2;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '/';
    out[1] = 0;
    size_t len = 1;
    if (dir && !(n > 0 && name[0] == '/'))
        len = push_path(out, len, cap, dir, strlen(dir));
    push_path(out, len, cap, name, n);
    return out;
}

bool st_set_dir(char **dst, const char *base, const void *name, size_t n)
{
    char *p = st_path_join(base, name, n);
    if (!p)
        return false;
    size_t l = strlen(p);
    if (l > 1) {
        /* state.h: a cwd ends with '/' */
        char *q = realloc(p, l + 2);
        if (!q) {
            free(p);
            return false;
        }
        p = q;
        p[l] = '/';
        p[l + 1] = 0;
    }
    st_str_free(*dst); /* a thread's cwd may be the shared empty one */
    *dst = p;
    return true;
}

/* §5.3 SOCKTUPLE into t; for AF_UNIX also the path and the socket ids. */
bool st_tuple_decode(struct st_tuple *t, const uint8_t *p, size_t n, char *upath, size_t upcap,
                     uint64_t *usrc, uint64_t *udst)
{
    struct skr_cur c = skr_cur_make(p, n);
    memset(t, 0, sizeof *t);
    uint8_t fam = skr_get_u8(&c);
    if (!skr_cur_ok(&c))
        return false;
    if (fam == AF_INET || fam == AF_INET6) {
        size_t alen = fam == AF_INET ? 4 : 16;
        if (skr_cur_left(&c) != alen * 2 + 4)
            return false;
        memcpy(t->sip, skr_get_raw(&c, alen), alen);
        t->sport = skr_get_u16(&c);
        memcpy(t->dip, skr_get_raw(&c, alen), alen);
        t->dport = skr_get_u16(&c);
    } else if (fam == AF_UNIX) {
        uint64_t s = skr_get_u64(&c), d = skr_get_u64(&c);
        if (!skr_cur_ok(&c))
            return false;
        size_t plen = skr_cur_left(&c);
        const uint8_t *path = skr_get_raw(&c, plen);
        if (upath && upcap) {
            size_t k = plen < upcap - 1 ? plen : upcap - 1;
            if (k)
                memcpy(upath, path, k);
            upath[k] = 0;
        }
        if (usrc)
            *usrc = s;
        if (udst)
            *udst = d;
    } else {
        return false;
    }
    t->family = fam;
    return skr_cur_ok(&c);
}

/* Decimal digits of v at p; returns how many. */
static size_t put_dec(char *p, unsigned v)
{
    char tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    return n;
}

/* "ip:port" at p (room for INET6_ADDRSTRLEN + 6); returns its length.
 * IPv4 is written by hand, as inet_ntop() would: every connect and
 * accept names its socket, and the snprintf/inet_ntop pair was several
 * percent of a replay. */
static size_t endpoint(char *p, uint8_t fam, const uint8_t *ip, uint16_t port)
{
    size_t n = 0;
    if (fam == AF_INET) {
        for (int i = 0; i < 4; i++) {
            if (i)
                p[n++] = '.';
            n += put_dec(p + n, ip[i]);
        }
    } else {
        char a[INET6_ADDRSTRLEN] = "";
        inet_ntop(AF_INET6, ip, a, sizeof a);
        n = strlen(a);
        memcpy(p, a, n);
    }
    p[n++] = ':';
    n += put_dec(p + n, port);
    return n;
}

void st_fd_name_tuple(struct st_fdi *f)
{
    const struct st_tuple *t = &f->pub.tuple;
    if (t->family != AF_INET && t->family != AF_INET6)
        return;
    char name[2 * (INET6_ADDRSTRLEN + 6) + 3];
    size_t n = endpoint(name, t->family, t->sip, t->sport);
    name[n++] = '-';
    name[n++] = '>';
    n += endpoint(name + n, t->family, t->dip, t->dport);
    name[n] = 0;
    char *copy = malloc(n + 1);
    if (copy) {
        memcpy(copy, name, n + 1);
        free(f->pub.name);
        f->pub.name = copy;
    }
}
