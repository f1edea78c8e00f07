/* record_net.bpf.h -- the socket calls for record.bpf.c: the socket
 * addresses callers pass or get back, the socket's tuple as the kernel
 * holds it, and the data of send/recv (through record_io.bpf.h).
 *
 *   connect, bind         SOCKADDR = addr (addrlen bytes, at most 128);
 *                         connect also TUPLE of fd
 *   accept, accept4       SOCKADDR = peer address as returned (if asked),
 *                         TUPLE of the new fd (ret)
 *   sendto, recvfrom      DATA, SOCKADDR = dest/src address (if given),
 *                         TUPLE of fd
 *   sendmsg, recvmsg      DATA of the first iovec, SOCKADDR = msg_name,
 *                         TUPLE of fd
 *   socketpair            FDS = sv[0], sv[1] (on success)
 *   socket, listen        the header only
 *
 * recvfrom/accept read *addrlen at exit: the kernel stores the address's
 * full length there, which may exceed the caller's buffer (then a few
 * bytes past it are read). */
#ifndef SAKER_RECORD_NET_BPF_H
#define SAKER_RECORD_NET_BPF_H

#include <bpf/bpf_endian.h>

/* include/linux/socket.h (macros, not in vmlinux.h) */
#define REC_AF_UNIX 1
#define REC_AF_INET 2
#define REC_AF_INET6 10
#define REC_SOCKADDR_MAX 128   /* sizeof(struct sockaddr_storage) */
#define REC_SUN_PATH_MAX 108   /* sizeof(sockaddr_un.sun_path) */

static __always_inline void rec_net_addr(struct rec_hdr *h, const void *uaddr,
                                         int len)
{
    if (uaddr && len > 0)
        rec_blob_user(h, RB_SOCKADDR, uaddr, rec_min(len, REC_SOCKADDR_MAX));
}

/* An address the kernel wrote back, its length in *ulen. */
static __always_inline void rec_net_addr_out(struct rec_hdr *h,
                                             const void *uaddr,
                                             const int *ulen)
{
    int len;

    if (uaddr && ulen && !bpf_probe_read_user(&len, sizeof(len), ulen))
        rec_net_addr(h, uaddr, len);
}

/* The inode number of the socket's file ("socket:[N]"): struct socket is
 * allocated inside struct socket_alloc, next to its inode (net/socket.c). */
static __always_inline __u64 rec_net_ino(struct sock *sk)
{
    struct socket *sock = sk ? BPF_CORE_READ(sk, sk_socket) : NULL;
    struct socket_alloc *sa;

    if (!sock)
        return 0;
    sa = (void *)sock - bpf_core_field_offset(struct socket_alloc, socket);
    return BPF_CORE_READ(sa, vfs_inode.i_ino);
}

/* AF_UNIX: inode numbers, then the peer's sun_path (or our own). Returns
 * the bytes written after the struct. */
static __always_inline __u32 rec_net_unix(struct rec_tuple *t, struct sock *sk)
{
    struct unix_sock *u = (void *)sk;
    struct sock *peer = BPF_CORE_READ(u, peer);
    struct unix_address *ua = NULL;
    __u64 ino, len;

    ino = rec_net_ino(sk);
    __builtin_memcpy(t->saddr, &ino, sizeof(ino));
    ino = rec_net_ino(peer);
    __builtin_memcpy(t->daddr, &ino, sizeof(ino));
    if (peer)
        ua = BPF_CORE_READ((struct unix_sock *)peer, addr);
    if (!ua)
        ua = BPF_CORE_READ(u, addr);
    if (!ua)
        return 0;
    /* len counts sun_family (2 bytes) and the path, no NUL required */
    len = BPF_CORE_READ(ua, len);
    if (len <= 2)
        return 0;
    len -= 2;
    if (len > REC_SUN_PATH_MAX)
        len = REC_SUN_PATH_MAX;
    if (bpf_probe_read_kernel(t + 1, len, &ua->name[0].sun_path[0]))
        return 0;
    return len;
}

/* The tuple of the socket behind fd; nothing if fd is not a socket or not
 * of a family we decode. */
static __always_inline void rec_net_tuple(struct rec_hdr *h, long fd)
{
    struct sock *sk = rec_fd_sock(fd);
    struct rec_tuple *t;
    __u32 extra = 0;
    __u16 family;

    if (!sk)
        return;
    family = BPF_CORE_READ(sk, __sk_common.skc_family);
    if (family != REC_AF_INET && family != REC_AF_INET6 && family != REC_AF_UNIX)
        return;
    t = (void *)rec_blob_start(h);
    if (!t)
        return;
    __builtin_memset(t, 0, sizeof(*t));
    t->family = family;
    if (family == REC_AF_UNIX) {
        extra = rec_net_unix(t, sk);
    } else {
        t->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
        t->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
        if (family == REC_AF_INET) {
            bpf_core_read(t->saddr, 4, &sk->__sk_common.skc_rcv_saddr);
            bpf_core_read(t->daddr, 4, &sk->__sk_common.skc_daddr);
        } else {
            bpf_core_read(t->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
            bpf_core_read(t->daddr, 16, &sk->__sk_common.skc_v6_daddr);
        }
    }
    rec_blob_end(h, RB_TUPLE, sizeof(*t) + extra);
}

/* sendmsg/recvmsg: the struct user_msghdr as it is at exit. */
static __always_inline void rec_net_msg(struct rec_hdr *h, const void *umsg,
                                        long ret, bool is_read)
{
    struct user_msghdr m;

    if (bpf_probe_read_user(&m, sizeof(m), umsg))
        return;
    rec_io_iov(h, m.msg_iov, m.msg_iovlen, ret, is_read);
    rec_net_addr(h, m.msg_name, m.msg_namelen);
}

static __always_inline bool rec_net_exit(struct rec_hdr *h, __u32 nr, long ret)
{
    const __u64 *a = h->args;

    switch (nr) {
    case NR_connect:
        rec_net_addr(h, (const void *)a[1], (int)a[2]);
        rec_net_tuple(h, (int)a[0]);
        return true;
    case NR_bind:
        rec_net_addr(h, (const void *)a[1], (int)a[2]);
        return true;
    case NR_accept:
    case NR_accept4:
        if (ret >= 0) {
            rec_net_addr_out(h, (const void *)a[1], (const int *)a[2]);
            rec_net_tuple(h, ret);
        }
        return true;
    case NR_sendto:
        rec_io_data(h, (const void *)a[1], a[2], ret, false);
        rec_net_addr(h, (const void *)a[4], (int)a[5]);
        rec_net_tuple(h, (int)a[0]);
        return true;
    case NR_recvfrom:
        rec_io_data(h, (const void *)a[1], a[2], ret, true);
        if (ret >= 0)
            rec_net_addr_out(h, (const void *)a[4], (const int *)a[5]);
        rec_net_tuple(h, (int)a[0]);
        return true;
    case NR_sendmsg:
    case NR_recvmsg:
        rec_net_msg(h, (const void *)a[1], ret, nr == NR_recvmsg);
        rec_net_tuple(h, (int)a[0]);
        return true;
    case NR_socketpair:
        if (ret == 0)
            rec_blob_user(h, RB_FDS, (const void *)a[3], 2 * sizeof(__s32));
        return true;
    case NR_socket:
    case NR_listen:
        return true;
    }
    return false;
}

#endif
