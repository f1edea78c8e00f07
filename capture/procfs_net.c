/* procfs_net.c -- the kernel's socket tables (/proc/PID/net/tcp, tcp6,
 * udp, udp6, raw, raw6, unix, netlink), read into one table keyed by socket
 * inode, and the FD record fields of a socket found there: TYPE, NAME,
 * TUPLE (man/saker-trace.5 §5.3) and ROLE (§8.2).
 *
 * Design: /proc/PID/net shows the tables of PID's network namespace, so
 * each namespace is read once, through the first process seen in it, and
 * given a slot number. Socket inodes come from one counter for the whole
 * kernel (sockfs), so a single inode map serves every namespace; the slot
 * only matters to ROLE, which asks whether a local port is listened on in
 * the socket's own namespace.
 *
 * Line formats (net/ipv4/tcp_ipv4.c tcp4_seq_show, udp.c udp4_format_sock,
 * unix/af_unix.c unix_seq_show, netlink/af_netlink.c netlink_seq_show):
 *   tcp, udp, raw:  "sl: LOCAL REMOTE st tx:rx tr:when retr uid timeout
 *                   inode ...", LOCAL and REMOTE "AAAAAAAA:PPPP", the
 *                   address as the kernel's __be32 printed with %08X (so
 *                   the native-order bytes of the parsed value are the
 *                   network-order address), the port %04X in host order;
 *   tcp6 etc.:      the same with four %08X groups of the in6_addr;
 *   unix:           "Num: RefCount Protocol Flags Type St Inode [Path]";
 *   netlink:        "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode".
 * The first line of each file is a header. */
#include "procfs_int.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../reader/format.h"

#define TCP_LISTEN_STATE 0x0A      /* include/net/tcp_states.h TCP_LISTEN */
#define TCP_CLOSE_STATE 0x07
#define UNIX_ACCEPTCON 0x10000     /* __SO_ACCEPTCON in unix_seq_show Flags */
#define UNIX_CONNECTED 3           /* SS_CONNECTED */
#define NET_LINE_MAX 1024          /* longest table line: unix, 108-byte path */

enum sock_proto { SP_TCP = 1, SP_UDP, SP_RAW, SP_UNIX, SP_NETLINK };

struct procfs_sock {
    uint64_t ino;
    uint32_t slot;               /* namespace slot */
    uint8_t family;              /* AF_INET, AF_INET6, AF_UNIX, AF_NETLINK */
    uint8_t proto;               /* enum sock_proto */
    uint8_t state;               /* TCP state, or unix St */
    bool listening;
    uint8_t laddr[16], raddr[16];
    uint16_t lport, rport;
    uint32_t path_off, path_len; /* unix: into net->paths */
};

static struct procfs_sock *new_sock(struct procfs_net *net)
{
    if (net->n == net->cap) {
        size_t cap = net->cap ? net->cap * 2 : 256;
        struct procfs_sock *s = skr_realloc(net->socks, cap * sizeof *s);
        if (!s) {
            net->oom = true;
            return NULL;
        }
        net->socks = s;
        net->cap = cap;
    }
    struct procfs_sock *s = &net->socks[net->n];
    memset(s, 0, sizeof *s);
    return s;
}

/* Keeps the socket filled in by new_sock; a second entry for an inode
 * (which the kernel never makes) is ignored. */
static void commit_sock(struct procfs_net *net, const struct procfs_sock *s)
{
    if (s->ino == 0)
        return; /* TIME_WAIT and other sockets without a file */
    int r = procfs_map_put(&net->by_ino, s->ino, (uint32_t)net->n);
    if (r < 0)
        net->oom = true;
    else if (r > 0)
        net->n++;
    if (s->listening && s->proto == SP_TCP &&
        procfs_map_put(&net->listen, (uint64_t)s->slot << 16 | s->lport, 1) < 0)
        net->oom = true;
}

/* "AAAAAAAA[AAAAAAAA x3]:PPPP": ngroups groups of 8 hex digits, a colon,
 * then exactly 4 hex digits. */
static bool parse_endpoint(const char *t, int ngroups, uint8_t *addr, uint16_t *port)
{
    char hex[9];
    for (int g = 0; g < ngroups; g++) {
        memcpy(hex, t, 8);
        hex[8] = '\0';
        uint64_t v;
        if (strlen(hex) != 8 || !procfs_parse_u64(hex, 16, &v))
            return false;
        uint32_t w = (uint32_t)v;
        memcpy(addr + 4 * g, &w, 4); /* see the file comment: native order */
        t += 8;
    }
    if (t[0] != ':' || strlen(t + 1) != 4)
        return false;
    uint64_t p;
    if (!procfs_parse_u64(t + 1, 16, &p))
        return false;
    *port = (uint16_t)p;
    return true;
}

static bool parse_inet_line(char *line, struct procfs_sock *s)
{
    char *tok[12];
    if (procfs_split(line, tok, 12, NULL) < 10)
        return false;
    int ngroups = s->family == AF_INET ? 1 : 4;
    if (strlen(tok[1]) != (size_t)ngroups * 8 + 5 || strlen(tok[2]) != (size_t)ngroups * 8 + 5)
        return false;
    uint64_t st, ino;
    if (!parse_endpoint(tok[1], ngroups, s->laddr, &s->lport) ||
        !parse_endpoint(tok[2], ngroups, s->raddr, &s->rport) ||
        !procfs_parse_u64(tok[3], 16, &st) || st > 0xff || !procfs_parse_u64(tok[9], 10, &ino))
        return false;
    s->state = (uint8_t)st;
    s->ino = ino;
    s->listening = s->proto == SP_TCP && st == TCP_LISTEN_STATE;
    return true;
}

static bool parse_unix_line(struct procfs_net *net, char *line, struct procfs_sock *s)
{
    char *tok[7], *rest;
    if (procfs_split(line, tok, 7, &rest) < 7)
        return false;
    uint64_t flags, st, ino;
    if (!procfs_parse_u64(tok[3], 16, &flags) || !procfs_parse_u64(tok[5], 16, &st) ||
        st > 0xff || !procfs_parse_u64(tok[6], 10, &ino))
        return false;
    s->state = (uint8_t)st;
    s->ino = ino;
    s->listening = (flags & UNIX_ACCEPTCON) != 0;
    size_t n = strlen(rest);
    while (n > 0 && (rest[n - 1] == '\n' || rest[n - 1] == '\r'))
        n--;
    if (n > 0) {
        if (net->paths.len > UINT32_MAX - n - 1) {
            net->oom = true; /* 4 GiB of paths: treat as exhaustion */
            return false;
        }
        s->path_off = (uint32_t)net->paths.len;
        s->path_len = (uint32_t)n;
        skr_put_raw(&net->paths, rest, n);
        skr_put_u8(&net->paths, 0);
    }
    return true;
}

static bool parse_netlink_line(char *line, struct procfs_sock *s)
{
    char *tok[12];
    uint64_t ino;
    if (procfs_split(line, tok, 12, NULL) < 10 || !procfs_parse_u64(tok[9], 10, &ino))
        return false;
    s->ino = ino;
    return true;
}

static const struct table {
    const char *name;
    uint8_t family, proto;
} tables[] = {
    { "net/tcp", AF_INET, SP_TCP },       { "net/tcp6", AF_INET6, SP_TCP },
    { "net/udp", AF_INET, SP_UDP },       { "net/udp6", AF_INET6, SP_UDP },
    { "net/raw", AF_INET, SP_RAW },       { "net/raw6", AF_INET6, SP_RAW },
    { "net/unix", AF_UNIX, SP_UNIX },     { "net/netlink", AF_NETLINK, SP_NETLINK },
};

/* Reads one table; false when the file cannot be opened. */
static bool load_table(struct procfs_net *net, int dirfd, const struct table *t, uint32_t slot,
                       struct procfs_stats *st, char *line, size_t cap)
{
    int fd = openat(dirfd, t->name, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    FILE *f = fdopen(fd, "r");
    if (!f) {
        close(fd);
        net->oom = true;
        return false;
    }
    bool cut;
    bool header = true;
    while (!net->oom && procfs_getline(f, line, cap, &cut)) {
        if (header) {
            header = false;
            continue;
        }
        if (cut) {
            st->malformed++;
            continue;
        }
        struct procfs_sock *s = new_sock(net);
        if (!s)
            break;
        s->family = t->family;
        s->proto = t->proto;
        s->slot = slot;
        bool ok = t->proto == SP_UNIX      ? parse_unix_line(net, line, s)
                  : t->proto == SP_NETLINK ? parse_netlink_line(line, s)
                                           : parse_inet_line(line, s);
        if (ok)
            commit_sock(net, s);
        else if (!net->oom && line[strspn(line, " \t\r")] != '\0')
            st->malformed++;
    }
    fclose(f);
    return true;
}

int procfs_net_load(struct procfs_net *net, int dirfd, uint64_t nsid, struct procfs_stats *st,
                    char *buf, size_t cap)
{
    if (procfs_map_get(&net->loaded, nsid, NULL))
        return 1;
    if (net->nslots >= PROCFS_MAX_NETNS)
        return 0;
    uint32_t slot = net->nslots;
    bool any = false;
    size_t line_cap = cap < NET_LINE_MAX ? cap : NET_LINE_MAX;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        any |= load_table(net, dirfd, &tables[i], slot, st, buf, line_cap);
    if (net->oom || net->paths.oom)
        return -1;
    if (!any)
        return 0; /* e.g. a zombie's net/: try the namespace's next process */
    if (procfs_map_put(&net->loaded, nsid, slot) < 0)
        return -1;
    net->nslots++;
    st->netns++;
    return 1;
}

/* "1.2.3.4:80" or "[::1]:80" (§5.2 display). */
static void endpoint_text(char *out, size_t n, int family, const uint8_t *addr, uint16_t port)
{
    char a[INET6_ADDRSTRLEN];
    if (!inet_ntop(family, addr, a, sizeof a))
        snprintf(a, sizeof a, "?");
    snprintf(out, n, family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
}

static void put_inet(const struct procfs_net *net, const struct procfs_sock *s, const char *link,
                     struct skr_buf *rec)
{
    static const uint8_t zero[16];
    int alen = s->family == AF_INET ? 4 : 16;
    bool remote = s->rport != 0 || memcmp(s->raddr, zero, (size_t)alen) != 0;
    int role = 0;
    if (s->proto == SP_TCP && s->listening)
        role = 2;
    else if (s->proto == SP_TCP && s->state != TCP_CLOSE_STATE) /* bound only: no role yet */
        role = procfs_map_get(&net->listen, (uint64_t)s->slot << 16 | s->lport, NULL) ? 2 : 1;
    else if (s->proto == SP_UDP && remote)
        role = 1;
    /* src is the client end, dst the server end (procfs.h). */
    const uint8_t *sa = s->laddr, *da = s->raddr;
    uint16_t sp = s->lport, dp = s->rport;
    if (role == 2) {
        sa = s->raddr, sp = s->rport;
        da = s->laddr, dp = s->lport;
    }
    char src[64], dst[64], name[140];
    endpoint_text(src, sizeof src, s->family, sa, sp);
    endpoint_text(dst, sizeof dst, s->family, da, dp);
    if (!remote)
        endpoint_text(name, sizeof name, s->family, s->laddr, s->lport);
    else
        snprintf(name, sizeof name, "%s->%s", src, dst);

    uint8_t t[37];
    t[0] = s->family;
    memcpy(t + 1, sa, (size_t)alen);
    skr_store_u16(t + 1 + alen, sp);
    memcpy(t + 3 + alen, da, (size_t)alen);
    skr_store_u16(t + 3 + 2 * alen, dp);
    skr_put_field_u(rec, SKR_CPF_TYPE, s->family == AF_INET ? '4' : '6');
    if (s->proto == SP_RAW) { /* a raw socket's "port" is its protocol */
        skr_put_field_str(rec, SKR_CPF_NAME, link);
        return;
    }
    skr_put_field_str(rec, SKR_CPF_NAME, name);
    skr_put_field_bytes(rec, SKR_CPF_TUPLE, t, (size_t)(5 + 2 * alen));
    if (role)
        skr_put_field_u(rec, SKR_CPF_ROLE, (uint64_t)role);
}

static void put_unix(const struct procfs_net *net, const struct procfs_sock *s, const char *link,
                     struct skr_buf *rec)
{
    const char *path = s->path_len ? (const char *)net->paths.data + s->path_off : "";
    uint8_t ids[17];
    ids[0] = AF_UNIX;
    skr_store_u64(ids + 1, s->ino);
    skr_store_u64(ids + 9, 0);
    skr_put_field_u(rec, SKR_CPF_TYPE, 'u');
    if (s->path_len)
        skr_put_field_bytes(rec, SKR_CPF_NAME, path, s->path_len);
    else
        skr_put_field_str(rec, SKR_CPF_NAME, link);
    /* The tuple is the 17 fixed bytes and the path, as one field. */
    skr_put_varint(rec, (uint64_t)SKR_CPF_TUPLE << 2 | SKR_WIRE_BYTES);
    skr_put_varint(rec, 17 + (uint64_t)s->path_len);
    skr_put_raw(rec, ids, sizeof ids);
    skr_put_raw(rec, path, s->path_len);
    if (s->listening || (s->state == UNIX_CONNECTED && s->path_len))
        skr_put_field_u(rec, SKR_CPF_ROLE, 2);
    else if (s->state == UNIX_CONNECTED)
        skr_put_field_u(rec, SKR_CPF_ROLE, 1);
}

bool procfs_net_describe(const struct procfs_net *net, uint64_t ino, const char *link,
                         struct skr_buf *rec)
{
    uint32_t i;
    if (!procfs_map_get(&net->by_ino, ino, &i))
        return false;
    const struct procfs_sock *s = &net->socks[i];
    switch (s->family) {
    case AF_INET:
    case AF_INET6:
        put_inet(net, s, link, rec);
        return true;
    case AF_UNIX:
        put_unix(net, s, link, rec);
        return true;
    case AF_NETLINK:
        skr_put_field_u(rec, SKR_CPF_TYPE, 'n');
        skr_put_field_str(rec, SKR_CPF_NAME, link);
        return true;
    }
    return false;
}

void procfs_net_free(struct procfs_net *net)
{
    free(net->socks);
    procfs_map_free(&net->by_ino);
    procfs_map_free(&net->listen);
    procfs_map_free(&net->loaded);
    skr_buf_free(&net->paths);
    memset(net, 0, sizeof *net);
}
