/* record_io.bpf.h -- data capture for record.bpf.c: the bytes of read,
 * write, pread64, pwrite64, readv and writev, up to cfg.snaplen, and the
 * helpers the socket calls (record_net.bpf.h) use for theirs.
 *
 *   read, pread64      DATA = buf, min(ret, snaplen) bytes
 *   write, pwrite64    DATA = buf, min(ret > 0 ? ret : count, snaplen)
 *   readv, writev      DATA = the first iovec only, same rules
 *
 * Everything is read at exit, from the caller's buffer. A write that wrote
 * less than asked is cut to what it wrote (the rest never left); a failed
 * one keeps what it tried to write, as falcosecurity/libs does. */
#ifndef SAKER_RECORD_IO_BPF_H
#define SAKER_RECORD_IO_BPF_H

static __always_inline __u64 rec_min(__u64 a, __u64 b)
{
    return a < b ? a : b;
}

/* How many data bytes to keep of a call that asked for count bytes. */
static __always_inline __u64 rec_io_len(__u64 count, long ret, bool is_read)
{
    __u64 n = is_read ? (ret > 0 ? (__u64)ret : 0)
                      : (ret > 0 ? (__u64)ret : count);

    return rec_min(rec_min(n, count), cfg.snaplen);
}

static __always_inline void rec_io_data(struct rec_hdr *h, const void *ubuf,
                                        __u64 count, long ret, bool is_read)
{
    __u64 n = rec_io_len(count, ret, is_read);

    if (n)
        rec_blob_user(h, RB_DATA, ubuf, n);
}

/* The first iovec of an array in user memory. */
static __always_inline void rec_io_iov(struct rec_hdr *h, const struct iovec *uiov,
                                       __u64 iovcnt, long ret, bool is_read)
{
    struct iovec iov;

    if (!iovcnt || bpf_probe_read_user(&iov, sizeof(iov), uiov))
        return;
    rec_io_data(h, iov.iov_base, iov.iov_len, ret, is_read);
}

/* The fixed-size records (record_core.bpf.h DESIGN): the DATA blob right
 * after the header, in a record reserved for cfg.snaplen data bytes. */
static __always_inline void rec_io_data_fixed(struct rec_hdr *h, const void *ubuf,
                                              __u64 count, long ret, bool is_read)
{
    struct rec_blob_hdr *b = (void *)(h + 1);
    __u64 n = rec_io_len(count, ret, is_read);

    /* n <= cfg.snaplen <= REC_FIXED_SNAP: said again for the verifier */
    if (!n || n > cfg.snaplen || n > REC_FIXED_SNAP ||
        bpf_probe_read_user(b + 1, n, ubuf))
        return;
    b->tag = RB_DATA;
    b->len = n;
    h->nblobs = 1;
    h->size = sizeof(*h) + ((sizeof(*b) + n + 7) & ~7u);
}

static __always_inline void rec_io_fixed(struct rec_hdr *h, __u32 nr, long ret)
{
    const __u64 *a = h->args;
    struct iovec iov;
    bool is_read = nr == NR_read || nr == NR_pread64 || nr == NR_readv;

    if (nr == NR_readv || nr == NR_writev) {
        if (!a[2] || bpf_probe_read_user(&iov, sizeof(iov), (const void *)a[1]))
            return;
        rec_io_data_fixed(h, iov.iov_base, iov.iov_len, ret, is_read);
    } else {
        rec_io_data_fixed(h, (const void *)a[1], a[2], ret, is_read);
    }
}

static __always_inline bool rec_io_exit(struct rec_hdr *h, __u32 nr, long ret)
{
    const __u64 *a = h->args;

    switch (nr) {
    case NR_read:
    case NR_pread64:
        rec_io_data(h, (const void *)a[1], a[2], ret, true);
        return true;
    case NR_write:
    case NR_pwrite64:
        rec_io_data(h, (const void *)a[1], a[2], ret, false);
        return true;
    case NR_readv:
        rec_io_iov(h, (const void *)a[1], a[2], ret, true);
        return true;
    case NR_writev:
        rec_io_iov(h, (const void *)a[1], a[2], ret, false);
        return true;
    }
    return false;
}

#endif
