/* state_events_fd.c -- the handlers of events that open, close, copy or
 * describe file descriptors: open family, close, dup family, fcntl,
 * pipes, sockets, memfd and the other anonymous-inode fds.
 *
 * What the parameters hold (capture/record_decode.c, record*.bpf.h): in a
 * saker recording (COMBINED events) open's "flags" are the raw O_* bits
 * the caller passed (openat a3, openat2's open_how.flags), dup3's and
 * pipe2's "flags" raw O_CLOEXEC/O_NONBLOCK, fcntl's "cmd" the raw F_*
 * command, accept4's "flags" raw SOCK_* (SOCK_CLOEXEC == O_CLOEXEC), and
 * every SOCKTUPLE has the socket's own (local) end first: accept's tuple
 * is therefore swapped here so the client end comes first, as libsinsp
 * and the checkpoint (§8.2) have it. Imported scap captures carry libs'
 * PPM_* encodings and client-first tuples; st_open_flags and the fcntl
 * handler convert.
 *
 * As in libsinsp (parsers.cpp), rename and unlink do not touch open fds:
 * an fd keeps the name it was opened with. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "state_int.h"

#define AT_FDCWD_VALUE (-100)   /* include/uapi/linux/fcntl.h */
#define EINPROGRESS_NEG (-115)

/* driver/ppm_events_public.h PPM_O_* -> Linux O_* */
uint32_t st_open_flags(const struct st_call *c, uint64_t raw)
{
    if (c->combined)
        return (uint32_t)raw;
    static const struct { uint32_t ppm, linux_flag; } map[] = {
        { 1u << 2, O_CREAT }, { 1u << 3, O_APPEND }, { 1u << 4, O_DSYNC },
        { 1u << 5, O_EXCL }, { 1u << 6, O_NONBLOCK }, { 1u << 7, O_SYNC },
        { 1u << 8, O_TRUNC }, { 1u << 9, O_DIRECT }, { 1u << 10, O_DIRECTORY },
        { 1u << 11, O_LARGEFILE }, { 1u << 12, O_CLOEXEC }, { 1u << 13, O_TMPFILE },
    };
    uint32_t f = (raw & 3) == 3 ? O_RDWR : (raw & 2) ? O_WRONLY : O_RDONLY;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (raw & map[i].ppm)
            f |= map[i].linux_flag;
    return f;
}

/* Sets the event's fd to f (the one it made or works on). */
static void set_out(struct st_call *c, struct st_fdi *f, int64_t num)
{
    c->out->fdnum = num;
    c->out->fd = f ? &f->pub : NULL;
}

/* The fd the handler is about to fill: a new entry numbered num. */
static struct st_fdi *new_fd(struct st_call *c, int64_t num, char type)
{
    if (!c->th || num < 0)
        return NULL;
    struct st_fdi *f = st_fd_add(c->st, c->th->pub.fds, num);
    if (f)
        f->pub.type = type;
    set_out(c, f, num);
    return f;
}

static void set_name(struct st_fdi *f, const char *s, size_t n)
{
    st_set_str(&f->pub.name, s, n);
}

void st_h_open(struct st_call *c)
{
    int64_t fd = -1, dirfd = AT_FDCWD_VALUE;
    uint64_t raw = 0, u;
    const uint8_t *name = NULL;
    size_t nlen = 0;
    if (!st_arg_s(c, SP_FD, &fd) || fd < 0 || !c->th)
        return;
    bool na = !st_arg_b(c, SP_NAME, &name, &nlen);
    if (na) {
        name = (const uint8_t *)"<NA>"; /* libsinsp's name for a missing path */
        nlen = 4;
    }
    st_arg_s(c, SP_DIRFD, &dirfd);
    uint32_t flags;
    if (!strcmp(c->ev->def->name, "creat"))
        flags = O_CREAT | O_WRONLY | O_TRUNC;
    else
        flags = st_open_flags(c, st_arg_u(c, SP_FLAGS, &raw) ? raw : 0);
    /* The directory a relative name starts from (libsinsp parse_dirfd). */
    const char *dir = NULL;
    bool known = nlen && name[0] == '/';
    if (na)
        known = false;
    else if (!known && dirfd == AT_FDCWD_VALUE) {
        dir = c->th->pub.cwd;
        known = dir && *dir;
    } else if (!known) {
        struct st_fdi *d = st_fd_get(c->th->pub.fds, dirfd);
        dir = d ? d->pub.name : NULL;
        known = dir && dir[0] == '/';
    }
    char *path = known ? st_path_join(dir, name, nlen) : NULL;
    /* libsinsp types a capture's fd by PPM_O_DIRECTORY alone (drivers also
     * set PPM_O_TMPFILE for a plain O_DIRECTORY, whose bit O_TMPFILE holds) */
    bool is_dir = c->combined ? (flags & O_TMPFILE) != O_TMPFILE && (flags & O_DIRECTORY)
                              : strcmp(c->ev->def->name, "creat") && (raw & (1u << 10));
    struct st_fdi *f = new_fd(c, fd, is_dir ? ST_FD_DIR : ST_FD_FILE);
    if (!f) {
        free(path);
        return;
    }
    if (path) {
        f->pub.name = path;
    } else {
        /* relative to a directory the state does not know: kept as given
         * (a capture's less its leading "./", as libsinsp joins it to an
         * empty cwd) */
        const char *nm = (const char *)name;
        while (!c->combined && nlen > 2 && nm[0] == '.' && nm[1] == '/') {
            nm += 2;
            nlen -= 2;
        }
        set_name(f, nm, nlen);
    }
    f->pub.open_flags = flags;
    f->pub.name_changed = true;
    c->st->named_fd = f;
    if (st_arg_u(c, SP_DEV, &u))
        f->pub.dev = u;
    if (st_arg_u(c, SP_INO, &u))
        f->pub.ino = u;
}

void st_h_close(struct st_call *c)
{
    int64_t fd = -1, res = 0;
    st_arg_s(c, SP_RES, &res);
    if (!st_arg_s(c, SP_FD, &fd) || !c->th)
        return;
    struct st_fdi *f = st_fd_get(c->th->pub.fds, fd);
    set_out(c, f, fd);
    if (res < 0 || !f)
        return;
    /* state.h: removed at the next state_apply, so this event's fields
     * still see the fd. */
    st_fdt_ref(c->th->pub.fds);
    c->st->close_tab = c->th->pub.fds;
    c->st->close_fd = fd;
}

/* Makes newfd a copy of oldfd (dup family, F_DUPFD); cloexec says what
 * the copy's close-on-exec bit is. */
static void dup_fd(struct st_call *c, int64_t oldfd, int64_t newfd, bool cloexec)
{
    if (!c->th || newfd < 0)
        return;
    struct st_fdi *src = st_fd_get(c->th->pub.fds, oldfd);
    if (newfd == oldfd || !src) {
        set_out(c, src, newfd);
        return;
    }
    /* src is copied first: adding newfd may evict it (the fd limit). */
    struct st_fd copy = src->pub;
    copy.name = src->pub.name ? strdup(src->pub.name) : NULL;
    struct st_fdi *f = st_fd_add(c->st, c->th->pub.fds, newfd);
    if (!f) {
        free(copy.name);
        return;
    }
    free(f->pub.name);
    f->pub = copy;
    f->pub.num = newfd;
    f->pub.name_changed = false;
    if (cloexec)
        f->pub.open_flags |= O_CLOEXEC;
    else
        f->pub.open_flags &= ~(uint32_t)O_CLOEXEC;
    set_out(c, f, newfd);
}

void st_h_dup(struct st_call *c)
{
    int64_t res = -1, oldfd = -1;
    uint64_t raw = 0;
    /* libs' first dup event (dup/dup2/dup3 of old drivers) has the
     * original as its ENTER's "fd" and no "oldfd" */
    if (!st_arg_s(c, SP_RES, &res) || res < 0 ||
        !(st_arg_s(c, SP_OLDFD, &oldfd) || (!c->combined && st_arg_s(c, SP_FD, &oldfd))))
        return;
    bool cloexec = st_arg_u(c, SP_FLAGS, &raw) && (st_open_flags(c, raw) & O_CLOEXEC);
    dup_fd(c, oldfd, res, cloexec);
}

void st_h_fcntl(struct st_call *c)
{
    int64_t res = -1, fd = -1;
    uint64_t cmd = 0, arg = 0;
    if (!st_arg_s(c, SP_RES, &res) || res < 0 || !st_arg_s(c, SP_FD, &fd) ||
        !st_arg_u(c, SP_CMD, &cmd) || !c->th)
        return;
    if (!c->combined) /* PPM_FCNTL_F_DUPFD 1, F_SETFD 3, F_DUPFD_CLOEXEC 26 */
        cmd = cmd == 1 ? F_DUPFD : cmd == 3 ? F_SETFD : cmd == 26 ? F_DUPFD_CLOEXEC : 0xffff;
    if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) {
        dup_fd(c, fd, res, cmd == F_DUPFD_CLOEXEC);
    } else if (cmd == F_SETFD && st_arg_u(c, SP_ARG, &arg)) {
        struct st_fdi *f = st_fd_get(c->th->pub.fds, fd);
        if (f && (arg & FD_CLOEXEC))
            f->pub.open_flags |= O_CLOEXEC;
        else if (f)
            f->pub.open_flags &= ~(uint32_t)O_CLOEXEC;
    }
}

void st_h_pipe(struct st_call *c)
{
    int64_t res = -1, fd1 = -1, fd2 = -1;
    uint64_t ino = 0, raw = 0;
    if (!st_arg_s(c, SP_RES, &res) || res < 0 || !st_arg_s(c, SP_FD1, &fd1) ||
        !st_arg_s(c, SP_FD2, &fd2) || fd1 == fd2)
        return;
    st_arg_u(c, SP_INO, &ino);
    uint32_t flags = st_arg_u(c, SP_FLAGS, &raw) ? st_open_flags(c, raw) : 0;
    /* libsinsp add_pipe: no name */
    struct st_fdi *b = new_fd(c, fd2, ST_FD_PIPE);
    if (b) {
        b->pub.ino = ino;
        b->pub.open_flags = flags;
        set_name(b, "", 0);
    }
    struct st_fdi *a = new_fd(c, fd1, ST_FD_PIPE);
    if (a) {
        a->pub.ino = ino;
        a->pub.open_flags = flags;
        set_name(a, "", 0);
    }
}

static char family_type(uint64_t domain)
{
    switch (domain) {
    case AF_INET: return ST_FD_IPV4;
    case AF_INET6: return ST_FD_IPV6;
    case AF_UNIX: return ST_FD_UNIX;
    case AF_NETLINK: return ST_FD_NETLINK;
    default: return ST_FD_UNKNOWN;
    }
}

void st_h_socket(struct st_call *c)
{
    int64_t fd = -1;
    uint64_t domain = 0, type = 0, proto = 0;
    if (!st_arg_s(c, SP_FD, &fd) || fd < 0)
        return;
    st_arg_u(c, SP_DOMAIN, &domain);
    st_arg_u(c, SP_TYPE, &type);
    st_arg_u(c, SP_PROTO, &proto);
    struct st_fdi *f = new_fd(c, fd, family_type(domain));
    if (!f)
        return;
    set_name(f, "", 0);
    /* SOCK_CLOEXEC and SOCK_NONBLOCK are O_CLOEXEC and O_NONBLOCK */
    f->pub.open_flags = (uint32_t)(type & (O_CLOEXEC | O_NONBLOCK)) | O_RDWR;
    if (domain == AF_INET || domain == AF_INET6) {
        unsigned kind = (unsigned)(type & 0xf);
        f->pub.tuple.l4proto = kind == SOCK_STREAM ? IPPROTO_TCP :
                               kind == SOCK_DGRAM ? IPPROTO_UDP : (uint8_t)proto;
    }
}

void st_h_socketpair(struct st_call *c)
{
    int64_t res = -1, fd1 = -1, fd2 = -1;
    uint64_t src = 0, peer = 0;
    if (!st_arg_s(c, SP_RES, &res) || res < 0 || !st_arg_s(c, SP_FD1, &fd1) ||
        !st_arg_s(c, SP_FD2, &fd2) || fd1 == fd2)
        return;
    st_arg_u(c, SP_SOURCE, &src);
    st_arg_u(c, SP_PEER, &peer);
    for (int i = 1; i >= 0; i--) {
        struct st_fdi *f = new_fd(c, i ? fd2 : fd1, ST_FD_UNIX);
        if (f) {
            f->pub.tuple.family = AF_UNIX;
            set_name(f, "", 0);
        }
    }
}

static bool is_v4_mapped(const uint8_t *a)
{
    static const uint8_t pre[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    return !memcmp(a, pre, 12);
}

/* IPv4-mapped IPv6 ends become IPv4 ends (when both are), as in libsinsp. */
static void unmap_v4(struct st_tuple *u)
{
    if (u->family != AF_INET6 || !is_v4_mapped(u->sip) || !is_v4_mapped(u->dip))
        return;
    memmove(u->sip, u->sip + 12, 4);
    memset(u->sip + 4, 0, 12);
    memmove(u->dip, u->dip + 12, 4);
    memset(u->dip + 4, 0, 12);
    u->family = AF_INET;
}

/* Fills f from a decoded tuple: type, tuple (IPv4-mapped IPv6 ends become
 * IPv4, as libsinsp does) and name. */
static void fill_socket(struct st_fdi *f, const struct st_tuple *t, const char *upath,
                        uint64_t usrc, uint64_t udst)
{
    uint8_t l4 = f->pub.tuple.l4proto;
    if (t->family == AF_UNIX) {
        f->pub.type = ST_FD_UNIX;
        f->pub.tuple = *t;
        char buf[200];
        snprintf(buf, sizeof buf, "%" PRIx64 "->%" PRIx64 " %s", usrc, udst, upath);
        set_name(f, buf, strlen(buf));
        return;
    }
    f->pub.tuple = *t;
    f->pub.tuple.l4proto = l4 ? l4 : IPPROTO_TCP;
    unmap_v4(&f->pub.tuple);
    f->pub.type = f->pub.tuple.family == AF_INET ? ST_FD_IPV4 : ST_FD_IPV6;
    st_fd_name_tuple(f);
}

static void swap_ends(struct st_tuple *t)
{
    uint8_t ip[16];
    memcpy(ip, t->sip, 16);
    memcpy(t->sip, t->dip, 16);
    memcpy(t->dip, ip, 16);
    uint16_t p = t->sport;
    t->sport = t->dport;
    t->dport = p;
}

/* ---- a capture's sockets as libsinsp 0.9 updates them (sysdig 0.29) ----
 * connect and the send/recv family merge the event's tuple into the ends
 * the socket has: the source end is always taken, a destination only where
 * the socket has none (connect) or where it differs (send/recv), and a
 * tuple equal to the ends, either way round, changes nothing
 * (set_ipv4/ipv6_addresses_and_ports). A send/recv then completes a
 * missing address from the capture's interfaces and guesses the socket's
 * role (sinsp_network_interfaces::update_fd, set_net_role_by_guessing). */

static bool zero_ip(const uint8_t *a)
{
    static const uint8_t zero[16];
    return !memcmp(a, zero, 16);
}

static bool same_ends(const struct st_tuple *u, const struct st_tuple *t)
{
    return (!memcmp(u->sip, t->sip, 16) && u->sport == t->sport &&
            !memcmp(u->dip, t->dip, 16) && u->dport == t->dport) ||
           (!memcmp(u->dip, t->sip, 16) && u->dport == t->sport &&
            !memcmp(u->sip, t->dip, 16) && u->sport == t->dport);
}

/* A listening socket as saker keeps it (the capture's fd table, bind):
 * only its server end. */
static bool servsock(const struct st_fd *f)
{
    return f->role == ST_ROLE_SERVER && !f->tuple.sport && zero_ip(f->tuple.sip);
}

/* t (unmapped) into f's ends; returns whether they changed. */
static bool merge_ends(struct st_fdi *f, const struct st_tuple *t, bool overwrite_dest)
{
    struct st_tuple *u = &f->pub.tuple;
    if (u->family != t->family) {
        uint8_t l4 = u->l4proto;
        memset(u, 0, sizeof *u);
        u->family = t->family;
        u->l4proto = l4;
    } else if (!servsock(&f->pub) && same_ends(u, t)) {
        return false;
    }
    bool changed = memcmp(u->sip, t->sip, 16) || u->sport != t->sport;
    memcpy(u->sip, t->sip, 16);
    u->sport = t->sport;
    if (zero_ip(u->dip) || (overwrite_dest && memcmp(u->dip, t->dip, 16))) {
        memcpy(u->dip, t->dip, 16);
        changed = true;
    }
    if (!u->dport || (overwrite_dest && u->dport != t->dport)) {
        u->dport = t->dport;
        changed = true;
    }
    f->pub.type = u->family == AF_INET ? ST_FD_IPV4 : ST_FD_IPV6;
    return changed;
}

static bool in_net(const uint8_t *a, const uint8_t *b, const uint8_t *mask, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((a[i] & mask[i]) != (b[i] & mask[i]))
            return false;
    return true;
}

/* The capture's interface address libsinsp takes for the end talking to
 * peer: the peer's own, one of its subnet (IPv6: the first 64 bits), else
 * the first that is no loopback; all zero when none. */
static void infer_addr(const struct state *st, uint8_t family, const uint8_t *peer,
                       uint8_t *out)
{
    static const uint8_t lo4[4] = { 127, 0, 0, 1 };
    static const uint8_t lo6[16] = { [15] = 1 };
    static const uint8_t mask64[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    size_t n = family == AF_INET ? 4 : 16;
    memset(out, 0, 16);
    for (int pass = 0; pass < 3; pass++) {
        for (unsigned i = 0; i < st->nifaces; i++) {
            const struct st_iface *x = &st->ifaces[i];
            if (x->family != family)
                continue;
            bool hit = pass == 0 ? !memcmp(x->addr, peer, n)
                     : pass == 1 ? in_net(x->addr, peer, n == 4 ? x->mask : mask64, n)
                                 : memcmp(x->addr, n == 4 ? lo4 : lo6, n) != 0;
            if (hit) {
                memcpy(out, x->addr, n);
                return;
            }
        }
    }
}

static void complete_ends(const struct state *st, struct st_tuple *u)
{
    bool zs = zero_ip(u->sip), zd = zero_ip(u->dip);
    if (!zs && !zd)
        return;
    uint8_t *known = zs ? u->dip : u->sip, *missing = zs ? u->sip : u->dip;
    uint8_t a[16];
    infer_addr(st, u->family, known, a);
    if (!memcmp(a, known, 16) && u->sport == u->dport)
        return;
    memcpy(missing, a, 16);
}

/* set_net_role_by_guessing: a process that has an IPv4 socket with the
 * destination port (or listens on it) is its server, unless an IPv4 socket
 * of it also has the source port: then a read makes it the server, a write
 * the client. */
static uint8_t guess_role(const struct st_call *c, const struct st_tuple *t, bool incoming)
{
    bool bound = false, client_port = false;
    for (const struct st_fdi *g = c->th->pub.fds->oldest; g; g = g->newer) {
        if (g->pub.type != ST_FD_IPV4 || g->pub.tuple.family != AF_INET)
            continue;
        bound = bound || g->pub.tuple.dport == t->dport;
        client_port = client_port || (!servsock(&g->pub) && g->pub.tuple.sport == t->sport);
    }
    if (!bound || !client_port)
        return bound ? ST_ROLE_SERVER : ST_ROLE_CLIENT;
    return incoming ? ST_ROLE_SERVER : ST_ROLE_CLIENT;
}

static bool scap_connect(struct st_fdi *f, struct st_tuple *t)
{
    if (t->family == AF_UNIX)
        return false;
    unmap_v4(t);
    bool changed = merge_ends(f, t, false);
    if (changed && f->pub.role == ST_ROLE_SERVER && f->pub.type == ST_FD_IPV4 &&
        f->pub.tuple.l4proto == IPPROTO_UDP)
        swap_ends(&f->pub.tuple); /* a UDP server's connect */
    if (!f->pub.tuple.l4proto)
        f->pub.tuple.l4proto = IPPROTO_TCP;
    st_fd_name_tuple(f);
    if (f->pub.role == ST_ROLE_NONE)
        f->pub.role = ST_ROLE_CLIENT;
    return true;
}

static void scap_sendrecv(struct st_call *c, struct st_fdi *f)
{
    const char *n = c->ev->def->name;
    bool incoming = !strncmp(n, "recv", 4);
    const uint8_t *tp;
    size_t tn;
    struct st_tuple t;
    /* a TCP socket keeps its ends once it has a name */
    if ((f->pub.type == ST_FD_IPV4 && f->pub.tuple.l4proto == IPPROTO_TCP && f->pub.name &&
         *f->pub.name) ||
        !st_arg_b(c, SP_TUPLE, &tp, &tn) || !tn ||
        !st_tuple_decode(&t, tp, tn, NULL, 0, NULL, NULL) ||
        (t.family != AF_INET && t.family != AF_INET6))
        return;
    unmap_v4(&t);
    if (!merge_ends(f, &t, true))
        return;
    struct st_tuple *u = &f->pub.tuple;
    if (!u->l4proto)
        u->l4proto = IPPROTO_UDP; /* TCP would not change ends mid-connection */
    complete_ends(c->st, u);
    if (f->pub.role == ST_ROLE_NONE)
        f->pub.role = guess_role(c, u, incoming);
    if (f->pub.role == (incoming ? ST_ROLE_CLIENT : ST_ROLE_SERVER))
        swap_ends(u);
    st_fd_name_tuple(f);
}

void st_h_connect(struct st_call *c)
{
    int64_t res = 0, fd = -1;
    const uint8_t *tp;
    size_t tn;
    st_arg_s(c, SP_RES, &res);
    /* libsinsp names only a capture's socket it knows */
    bool scap = !c->combined;
    if ((res < 0 && res != EINPROGRESS_NEG) || !st_arg_s(c, SP_FD, &fd) || fd < 0 || !c->th)
        return;
    struct st_tuple t;
    char upath[128] = "";
    uint64_t us = 0, ud = 0;
    if (!st_arg_b(c, SP_TUPLE, &tp, &tn) ||
        !st_tuple_decode(&t, tp, tn, upath, sizeof upath, &us, &ud))
        return;
    struct st_fdi *f = st_fd_get(c->th->pub.fds, fd);
    if (!f && !scap) /* a socket from before the trace: known from now on */
        f = new_fd(c, fd, family_type(t.family));
    if (!f)
        return;
    if (!scap || c->st->scap_new || !scap_connect(f, &t))
        fill_socket(f, &t, upath, us, ud);
    if (f->pub.role == ST_ROLE_NONE)
        f->pub.role = ST_ROLE_CLIENT;
    f->pub.name_changed = true;
    c->st->named_fd = f;
    set_out(c, f, fd);
}

void st_h_accept(struct st_call *c)
{
    int64_t fd = -1;
    uint64_t raw = 0;
    const uint8_t *tp;
    size_t tn;
    if (!st_arg_s(c, SP_FD, &fd) || fd < 0 || !c->th)
        return;
    struct st_tuple t;
    char upath[128] = "";
    uint64_t us = 0, ud = 0;
    bool have = st_arg_b(c, SP_TUPLE, &tp, &tn) &&
                st_tuple_decode(&t, tp, tn, upath, sizeof upath, &us, &ud);
    struct st_fdi *f = new_fd(c, fd, have ? family_type(t.family) : ST_FD_UNKNOWN);
    if (!f)
        return;
    set_name(f, "", 0);
    if (have) {
        if (c->combined && t.family != AF_UNIX)
            swap_ends(&t); /* local end first in saker recordings: see above */
        fill_socket(f, &t, upath, us, ud);
    }
    f->pub.role = ST_ROLE_SERVER;
    f->pub.open_flags = O_RDWR;
    if (st_arg_u(c, SP_FLAGS, &raw))
        f->pub.open_flags |= (c->combined ? (uint32_t)raw : st_open_flags(c, raw)) & O_CLOEXEC;
    f->pub.name_changed = true;
    c->st->named_fd = f;
}

void st_h_bind(struct st_call *c)
{
    int64_t res = -1, fd = -1;
    const uint8_t *ap;
    size_t an;
    if (!st_arg_s(c, SP_RES, &res) || res < 0 || !st_arg_s(c, SP_FD, &fd) || !c->th ||
        !st_arg_b(c, SP_ADDR, &ap, &an) || an < 1)
        return;
    struct st_fdi *f = st_fd_get(c->th->pub.fds, fd);
    if (!f)
        return;
    set_out(c, f, fd);
    struct skr_cur cur = skr_cur_make(ap, an);
    uint8_t fam = skr_get_u8(&cur);
    if (fam == AF_UNIX) {
        set_name(f, (const char *)ap + 1, an - 1);
        return;
    }
    size_t alen = fam == AF_INET ? 4 : fam == AF_INET6 ? 16 : 0;
    if (!alen || skr_cur_left(&cur) != alen + 2)
        return;
    struct st_tuple *t = &f->pub.tuple, keep = *t;
    uint8_t l4 = t->l4proto;
    memset(t, 0, sizeof *t);
    t->family = fam;
    t->l4proto = l4;
    memcpy(t->dip, skr_get_raw(&cur, alen), alen);
    t->dport = skr_get_u16(&cur);
    if (t->dport > 0)
        f->pub.role = ST_ROLE_SERVER;
    /* libsinsp names a bound socket by its address alone */
    st_fd_name_tuple(f);
    const char *arrow = f->pub.name ? strstr(f->pub.name, "->") : NULL;
    if (arrow)
        memmove(f->pub.name, arrow + 2, strlen(arrow + 2) + 1);
    /* ... but libs 0.9 keeps a capture's socket's ends when it is bound to
     * port 0 (only a port makes it a listening socket) */
    if (!c->combined && !c->st->scap_new && !t->dport)
        *t = keep;
}

/* send/recv on a socket whose ends the state never saw (made before the
 * trace, or an unconnected UDP socket): the event's tuple tells them. */
void st_h_sendrecv(struct st_call *c)
{
    int64_t fd = -1, res = 0;
    const uint8_t *tp;
    size_t tn;
    st_arg_s(c, SP_RES, &res);
    if (res < 0 || !st_arg_s(c, SP_FD, &fd) || !c->th)
        return;
    struct st_fdi *f = st_fd_get(c->th->pub.fds, fd);
    if (!f || (f->pub.type != ST_FD_IPV4 && f->pub.type != ST_FD_IPV6))
        return;
    if (!c->combined && !c->st->scap_new) {
        scap_sendrecv(c, f);
        return;
    }
    if (f->pub.tuple.dport || !st_arg_b(c, SP_TUPLE, &tp, &tn))
        return;
    struct st_tuple t;
    if (!st_tuple_decode(&t, tp, tn, NULL, 0, NULL, NULL) || t.family == AF_UNIX || !t.dport)
        return;
    fill_socket(f, &t, "", 0, 0);
    if (f->pub.role == ST_ROLE_NONE)
        f->pub.role = ST_ROLE_CLIENT;
}

void st_h_memfd(struct st_call *c)
{
    int64_t fd = -1;
    uint64_t flags = 0;
    const uint8_t *name = NULL;
    size_t n = 0;
    if (!st_arg_s(c, SP_FD, &fd) || fd < 0)
        return;
    struct st_fdi *f = new_fd(c, fd, ST_FD_MEMFD);
    if (!f)
        return;
    st_arg_b(c, SP_NAME, &name, &n);
    set_name(f, (const char *)name, name ? n : 0);
    /* MFD_CLOEXEC (include/uapi/linux/memfd.h) is 1 */
    f->pub.open_flags = O_RDWR | (st_arg_u(c, SP_FLAGS, &flags) && (flags & 1) ? O_CLOEXEC : 0);
    f->pub.name_changed = true;
    c->st->named_fd = f;
}

/* userfaultfd, io_uring_setup and bpf: the result is a new fd of a kind
 * given by the event. bpf returns an fd only for the commands that make
 * an object or open one (include/uapi/linux/bpf.h enum bpf_cmd). */
void st_h_anonfd(struct st_call *c)
{
    const char *name = c->ev->def->name;
    int64_t fd = -1;
    uint64_t cmd = 0, flags = 0;
    char type = ST_FD_UNKNOWN;
    if (!strcmp(name, "bpf")) {
        static const uint8_t fd_cmds[] = { 0, 5, 7, 13, 14, 17, 18, 19, 28, 30, 33 };
        if (!st_arg_s(c, SP_FD, &fd) || !st_arg_u(c, SP_CMD, &cmd) || cmd > 255 ||
            !memchr(fd_cmds, (int)cmd, sizeof fd_cmds))
            return;
        type = ST_FD_BPF;
    } else {
        if (!st_arg_s(c, SP_RES, &fd))
            return;
        static const struct { const char *name; char type; } kinds[] = {
            { "userfaultfd", ST_FD_USERFAULTFD }, { "io_uring_setup", ST_FD_IOURING },
            { "epoll_create", ST_FD_EVENTPOLL }, { "epoll_create1", ST_FD_EVENTPOLL },
            { "eventfd", ST_FD_EVENT }, { "eventfd2", ST_FD_EVENT },
            { "signalfd", ST_FD_SIGNALFD }, { "signalfd4", ST_FD_SIGNALFD },
            { "timerfd_create", ST_FD_TIMERFD }, { "inotify_init", ST_FD_INOTIFY },
            { "inotify_init1", ST_FD_INOTIFY },
        };
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (!strcmp(kinds[i].name, name))
                type = kinds[i].type;
    }
    if (fd < 0)
        return;
    struct st_fdi *f = new_fd(c, fd, type);
    if (!f)
        return;
    set_name(f, "", 0);
    f->pub.open_flags = O_RDWR;
    if (type == ST_FD_USERFAULTFD && st_arg_u(c, SP_FLAGS, &flags))
        f->pub.open_flags |= (uint32_t)flags & O_CLOEXEC;
}
