/* record_decode.c -- from a kernel record (record.h) to a saker event
 * (event_table.h).
 *
 * Design: each syscall has a spec string that names, for every parameter
 * of its event in schema order, where the value comes from: the return
 * value, a raw argument, a blob the kernel copied, or a field of the
 * process description. The specs are data, checked against the schema by
 * recdec_selfcheck() (a unit test runs it), so adding a syscall is one
 * line here and one entry in event_table.c.
 *
 * Spec tokens: ret, a0..a5 (raw arguments), nr (syscall number), - (not
 * known: zero or empty), P P2 P3 (string blobs), D (data), S (sockaddr), T
 * (tuple), A0 (argv[0]) A1 (argv[1..]), E (env), X (exe path), C (cwd), F0
 * F1 (the two fds of pipe/socketpair), Fd Fi (device and inode of the file
 * an fd refers to), H0 H1 H2 (the first three u64 of a struct argument,
 * openat2's open_how), p.FIELD (struct rec_proc), xs xr xg xc (exit status,
 * code, signal, core of a process exit). */
#include "record_decode.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include "event_table.h"
#include "record.h"

struct spec {
    unsigned nr;
    int evt;
    const char *src;
};

/* The syscall -> event table; every line's tokens match its event's
 * parameters one for one (recdec_selfcheck). */
static const struct spec specs[] = {
    { NR_read, SAKER_EVT_READ, "ret D a0 a2" },
    { NR_write, SAKER_EVT_WRITE, "ret D a0 a2" },
    { NR_pread64, SAKER_EVT_PREAD, "ret D a0 a2 a3" },
    { NR_pwrite64, SAKER_EVT_PWRITE, "ret D a0 a2 a3" },
    { NR_readv, SAKER_EVT_READV, "ret ret D a0" },
    { NR_writev, SAKER_EVT_WRITEV, "ret D a0 ret" },
    { NR_open, SAKER_EVT_OPEN, "ret P a1 a2 Fd Fi" },
    { NR_openat, SAKER_EVT_OPENAT, "ret a0 P a2 a3 Fd Fi" },
    { NR_openat2, SAKER_EVT_OPENAT2, "ret a0 P H0 H1 H2 Fd Fi" },
    { NR_creat, SAKER_EVT_CREAT, "ret P a1 Fd Fi -" },
    { NR_close, SAKER_EVT_CLOSE, "ret a0" },
    { NR_dup, SAKER_EVT_DUP, "ret a0" },
    { NR_dup2, SAKER_EVT_DUP2, "ret a0 a1" },
    { NR_dup3, SAKER_EVT_DUP3, "ret a0 a1 a2" },
    { NR_fcntl, SAKER_EVT_FCNTL, "ret a0 a1 a2" },
    { NR_pipe, SAKER_EVT_PIPE, "ret F0 F1 Fi" },
    { NR_pipe2, SAKER_EVT_PIPE2, "ret F0 F1 Fi a1" },
    { NR_socket, SAKER_EVT_SOCKET, "ret a0 a1 a2 -" },
    { NR_socketpair, SAKER_EVT_SOCKETPAIR, "ret F0 F1 - - a0 a1 a2" },
    { NR_connect, SAKER_EVT_CONNECT, "ret T a0 S" },
    { NR_accept, SAKER_EVT_ACCEPT, "ret T - - -" },
    { NR_accept4, SAKER_EVT_ACCEPT4, "ret T - - - a3" },
    { NR_bind, SAKER_EVT_BIND, "ret S a0" },
    { NR_listen, SAKER_EVT_LISTEN, "ret a0 a1" },
    { NR_sendto, SAKER_EVT_SENDTO, "ret D a0 a2 T" },
    { NR_recvfrom, SAKER_EVT_RECVFROM, "ret D T a0 a2" },
    { NR_sendmsg, SAKER_EVT_SENDMSG, "ret D a0 ret T" },
    { NR_recvmsg, SAKER_EVT_RECVMSG, "ret ret D T - a0" },
    { NR_unlink, SAKER_EVT_UNLINK, "ret P" },
    { NR_unlinkat, SAKER_EVT_UNLINKAT, "ret a0 P a2" },
    { NR_rename, SAKER_EVT_RENAME, "ret P P2" },
    { NR_renameat, SAKER_EVT_RENAMEAT, "ret a0 P a2 P2" },
    { NR_renameat2, SAKER_EVT_RENAMEAT2, "ret a0 P a2 P2 a4" },
    { NR_mkdir, SAKER_EVT_MKDIR, "ret P a1" },
    { NR_mkdirat, SAKER_EVT_MKDIRAT, "ret a0 P a2" },
    { NR_rmdir, SAKER_EVT_RMDIR, "ret P" },
    { NR_symlink, SAKER_EVT_SYMLINK, "ret P P2" },
    { NR_symlinkat, SAKER_EVT_SYMLINKAT, "ret P a1 P2" },
    { NR_link, SAKER_EVT_LINK, "ret P P2" },
    { NR_linkat, SAKER_EVT_LINKAT, "ret a0 P a2 P2 a4" },
    { NR_chmod, SAKER_EVT_CHMOD, "ret P a1" },
    { NR_fchmod, SAKER_EVT_FCHMOD, "ret a0 a1" },
    { NR_fchmodat, SAKER_EVT_FCHMODAT, "ret a0 P a2" },
    { NR_chown, SAKER_EVT_CHOWN, "ret P a1 a2" },
    { NR_fchown, SAKER_EVT_FCHOWN, "ret a0 a1 a2" },
    { NR_lchown, SAKER_EVT_LCHOWN, "ret P a1 a2" },
    { NR_fchownat, SAKER_EVT_FCHOWNAT, "ret a0 P a2 a3 a4" },
    { NR_mount, SAKER_EVT_MOUNT, "ret P P2 P3 a3" },
    { NR_umount2, SAKER_EVT_UMOUNT2, "ret P a1" },
    { NR_chdir, SAKER_EVT_CHDIR, "ret P" },
    { NR_fchdir, SAKER_EVT_FCHDIR, "ret a0" },
    { NR_chroot, SAKER_EVT_CHROOT, "ret P" },
    { NR_setuid, SAKER_EVT_SETUID, "ret a0" },
    { NR_setgid, SAKER_EVT_SETGID, "ret a0" },
    { NR_setreuid, SAKER_EVT_SETREUID, "ret a0 a1" },
    { NR_setregid, SAKER_EVT_SETREGID, "ret a0 a1" },
    { NR_setresuid, SAKER_EVT_SETRESUID, "ret a0 a1 a2" },
    { NR_setresgid, SAKER_EVT_SETRESGID, "ret a0 a1 a2" },
    { NR_capset, SAKER_EVT_CAPSET, "ret - - -" },
    { NR_kill, SAKER_EVT_KILL, "ret a0 a1" },
    { NR_tkill, SAKER_EVT_TKILL, "ret a0 a1" },
    { NR_tgkill, SAKER_EVT_TGKILL, "ret a0 a1 a2" },
    { NR_mmap, SAKER_EVT_MMAP, "ret - - - a0 a1 a2 a3 a4 a5" },
    { NR_mprotect, SAKER_EVT_MPROTECT, "ret a0 a1 a2" },
    { NR_memfd_create, SAKER_EVT_MEMFD_CREATE, "ret P a1" },
    { NR_userfaultfd, SAKER_EVT_USERFAULTFD, "ret a0" },
    { NR_ptrace, SAKER_EVT_PTRACE, "ret a2 a3 a0 a1" },
    { NR_bpf, SAKER_EVT_BPF, "ret a0" },
    { NR_init_module, SAKER_EVT_INIT_MODULE, "ret - a1 P" },
    { NR_finit_module, SAKER_EVT_FINIT_MODULE, "ret a0 P a2" },
    { NR_unshare, SAKER_EVT_UNSHARE, "ret a0" },
    { NR_setns, SAKER_EVT_SETNS, "ret a0 a1" },
    { NR_prctl, SAKER_EVT_PRCTL, "ret a0 P a1" },
    { NR_io_uring_setup, SAKER_EVT_IO_URING_SETUP, "ret a0 - - - - - -" },
    { NR_exit, SAKER_EVT_EXIT, "a0" },
    { NR_exit_group, SAKER_EVT_EXIT_GROUP, "a0" },
    { NR_execve, SAKER_EVT_EXECVE,
      "ret A0 A1 p.tid p.pid p.ppid C - - - - - - p.comm p.cg E p.tty p.vpgid p.loginuid "
      "p.flags p.capi p.capp p.cape - - - p.uid X p.pgid p.gid P" },
    { NR_execveat, SAKER_EVT_EXECVEAT,
      "ret A0 A1 p.tid p.pid p.ppid C - - - - - - p.comm p.cg E p.tty p.vpgid p.loginuid "
      "p.flags p.capi p.capp p.cape - - - p.uid X p.pgid p.gid a0 P" },
    /* flags: clone's first argument; clone3's is the first u64 of its
     * struct clone_args (H0); fork and vfork take none (0). */
#define CLONE_SRC(flags) "ret A0 A1 p.tid p.pid p.ppid C - - - - - - p.comm p.cg " flags \
                         " p.uid p.gid p.vtid p.vpid p.nsstart"
    { NR_clone, SAKER_EVT_CLONE, CLONE_SRC("a0") },
    { NR_clone3, SAKER_EVT_CLONE3, CLONE_SRC("H0") },
    { NR_fork, SAKER_EVT_FORK, CLONE_SRC("-") },
    { NR_vfork, SAKER_EVT_VFORK, CLONE_SRC("-") },
#undef CLONE_SRC
};

static const char procexit_src[] = "xs xr xg xc -";
static const char generic_src[] = "nr ret";

/* A source token compiled to a code. */
enum src {
    S_NONE, S_RET, S_ARG0, S_ARG5 = S_ARG0 + 5, S_NR, S_P, S_P2, S_P3, S_D, S_S, S_T, S_A0,
    S_A1, S_E, S_X, S_C, S_F0, S_F1, S_XS, S_XR, S_XG, S_XC, S_FDEV, S_FINO, S_H0, S_H1, S_H2,
    S_PROC_FIRST, /* p.* fields follow */
};

static const char *const proc_fields[] = {
    "pid", "tid", "ppid", "vpid", "vtid", "uid", "gid", "euid", "egid", "loginuid",
    "sid", "pgid", "vpgid", "tty", "flags", "comm", "cg", "capi", "capp", "cape", "nsstart",
};
enum { NPROC_FIELDS = sizeof proc_fields / sizeof proc_fields[0] };

static int parse_token(const char *t, size_t n)
{
    static const struct { const char *name; int code; } names[] = {
        { "-", S_NONE }, { "ret", S_RET }, { "nr", S_NR }, { "P", S_P }, { "P2", S_P2 },
        { "P3", S_P3 }, { "D", S_D }, { "S", S_S }, { "T", S_T }, { "A0", S_A0 }, { "A1", S_A1 },
        { "E", S_E }, { "X", S_X }, { "C", S_C }, { "F0", S_F0 }, { "F1", S_F1 },
        { "xs", S_XS }, { "xr", S_XR }, { "xg", S_XG }, { "xc", S_XC }, { "Fd", S_FDEV },
        { "Fi", S_FINO }, { "H0", S_H0 }, { "H1", S_H1 }, { "H2", S_H2 },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == n && !memcmp(names[i].name, t, n))
            return names[i].code;
    if (n == 2 && t[0] == 'a' && t[1] >= '0' && t[1] <= '5')
        return S_ARG0 + (t[1] - '0');
    if (n > 2 && !memcmp(t, "p.", 2))
        for (int i = 0; i < NPROC_FIELDS; i++)
            if (strlen(proc_fields[i]) == n - 2 && !memcmp(proc_fields[i], t + 2, n - 2))
                return S_PROC_FIRST + i;
    return -1;
}

/* Compiles a spec into codes; returns the token count or -1. */
static int compile(const char *src, uint8_t *codes, int max)
{
    int n = 0;
    while (*src) {
        while (*src == ' ')
            src++;
        if (!*src)
            break;
        size_t len = strcspn(src, " ");
        int c = parse_token(src, len);
        if (c < 0 || n >= max)
            return -1;
        codes[n++] = (uint8_t)c;
        src += len;
    }
    return n;
}

struct compiled {
    int evt;
    int n;
    uint8_t codes[SKR_MAX_PARAMS];
};

/* cgroup id -> path, learned by walking the cgroup v2 tree (a cgroup's id
 * is its directory's inode number there). */
struct cg_entry {
    uint64_t id;
    char *path;
};

struct recdec {
    int64_t boot_to_wall;
    char *cgroup_root;
    struct compiled by_nr[REC_MAX_SYSCALL];
    struct compiled procexit, generic;
    struct cg_entry *cg;
    size_t ncg, capcg;
    time_t cg_scanned;
    struct skr_buf conv[SKR_MAX_PARAMS]; /* converted byte values */
    bool omit_env;
};

void recdec_omit_env(struct recdec *d)
{
    d->omit_env = true;
}

int recdec_event_for(unsigned nr)
{
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (specs[i].nr == nr)
            return specs[i].evt;
    return -1;
}

int recdec_selfcheck(void)
{
    int bad = 0;
    uint8_t codes[SKR_MAX_PARAMS];
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        int n = compile(specs[i].src, codes, SKR_MAX_PARAMS);
        const struct skr_event_def *d = &saker_evt_table[specs[i].evt];
        if (n != d->nparams) {
            fprintf(stderr, "recdec: %s: spec has %d sources, schema %d parameters\n",
                    d->name, n, d->nparams);
            bad++;
        }
    }
    if (compile(procexit_src, codes, SKR_MAX_PARAMS) != saker_evt_table[SAKER_EVT_PROCEXIT].nparams)
        bad++;
    if (compile(generic_src, codes, SKR_MAX_PARAMS) != saker_evt_table[SAKER_EVT_SYSCALL].nparams)
        bad++;
    return bad;
}

struct recdec *recdec_new(int64_t boot_to_wall, const char *cgroup_root)
{
    struct recdec *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->boot_to_wall = boot_to_wall;
    d->cgroup_root = strdup(cgroup_root ? cgroup_root : "/sys/fs/cgroup");
    /* On a hybrid host cgroup v2 is mounted elsewhere (/sys/fs/cgroup/unified). */
    FILE *m = cgroup_root ? NULL : fopen("/proc/self/mounts", "re");
    char line[1024], dev[256], dir[768], type[64];
    while (m && fgets(line, sizeof line, m))
        if (sscanf(line, "%255s %767s %63s", dev, dir, type) == 3 && !strcmp(type, "cgroup2")) {
            free(d->cgroup_root);
            d->cgroup_root = strdup(dir);
            break;
        }
    if (m)
        fclose(m);
    for (unsigned i = 0; i < REC_MAX_SYSCALL; i++)
        d->by_nr[i].evt = -1;
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        struct compiled *c = &d->by_nr[specs[i].nr];
        c->evt = specs[i].evt;
        c->n = compile(specs[i].src, c->codes, SKR_MAX_PARAMS);
    }
    d->procexit.evt = SAKER_EVT_PROCEXIT;
    d->procexit.n = compile(procexit_src, d->procexit.codes, SKR_MAX_PARAMS);
    d->generic.evt = SAKER_EVT_SYSCALL;
    d->generic.n = compile(generic_src, d->generic.codes, SKR_MAX_PARAMS);
    if (!d->cgroup_root) {
        free(d);
        return NULL;
    }
    return d;
}

void recdec_free(struct recdec *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->ncg; i++)
        free(d->cg[i].path);
    free(d->cg);
    for (int i = 0; i < SKR_MAX_PARAMS; i++)
        skr_buf_free(&d->conv[i]);
    free(d->cgroup_root);
    free(d);
}

static void cg_add(struct recdec *d, uint64_t id, const char *path)
{
    for (size_t i = 0; i < d->ncg; i++)
        if (d->cg[i].id == id)
            return;
    if (d->ncg == d->capcg) {
        size_t cap = d->capcg ? d->capcg * 2 : 64;
        struct cg_entry *n = realloc(d->cg, cap * sizeof *n);
        if (!n)
            return;
        d->cg = n;
        d->capcg = cap;
    }
    char *p = strdup(path);
    if (!p)
        return;
    d->cg[d->ncg].id = id;
    d->cg[d->ncg].path = p;
    d->ncg++;
}

/* Depth and entry bounds keep a walk of a huge or looping tree finite. */
static void cg_walk(struct recdec *d, const char *dir, size_t root_len, int depth, int *budget)
{
    if (depth > 16 || *budget <= 0)
        return;
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    struct dirent *e;
    while ((e = readdir(dh)) && --*budget > 0) {
        if (e->d_type != DT_DIR || e->d_name[0] == '.')
            continue;
        char sub[4096];
        if (snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name) >= (int)sizeof sub)
            continue;
        struct stat st;
        if (stat(sub, &st) == 0)
            cg_add(d, (uint64_t)st.st_ino, sub + root_len);
        cg_walk(d, sub, root_len, depth + 1, budget);
    }
    closedir(dh);
}

static const char *cg_path(struct recdec *d, uint64_t id)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < d->ncg; i++)
            if (d->cg[i].id == id)
                return d->cg[i].path;
        /* New cgroups appear while recording (a container starts); walk
         * again, but at most once a second. */
        time_t now = time(NULL);
        if (pass || now == d->cg_scanned)
            break;
        d->cg_scanned = now;
        struct stat st;
        if (stat(d->cgroup_root, &st) == 0)
            cg_add(d, (uint64_t)st.st_ino, "/");
        int budget = 100000;
        cg_walk(d, d->cgroup_root, strlen(d->cgroup_root), 0, &budget);
    }
    return NULL;
}

/* Appends "controller=path" entries (NUL-ended) from /proc/PID/cgroup
 * lines "N:controllers:path"; the unified (v2) line "0::path" becomes
 * "=path". Returns the number of entries. */
static int cgroups_from_proc(struct skr_buf *o, uint32_t pid)
{
    char path[64], line[4096];
    snprintf(path, sizeof path, "/proc/%u/cgroup", pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    int n = 0;
    while (fgets(line, sizeof line, f) && n < 64) {
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        line[strcspn(line, "\n")] = 0;
        skr_put_raw(o, c1 + 1, (size_t)(c2 - c1 - 1));
        skr_put_u8(o, '=');
        skr_put_raw(o, c2 + 1, strlen(c2 + 1) + 1);
        n++;
    }
    fclose(f);
    return n;
}

/* The cgroups of an exec'd or cloned process. The kernel side reports the
 * cgroup v2 id only, which on a hybrid v1/v2 host says nothing of the v1
 * hierarchies that container runtimes use; so the process's own
 * /proc/PID/cgroup is read while it still runs (records are decoded within
 * milliseconds), and the v2 id is the fallback for one already gone. */
static void put_cgroups(struct recdec *d, struct skr_buf *o, const struct rec_proc *pr)
{
    if (cgroups_from_proc(o, pr->pid) > 0)
        return;
    const char *path = cg_path(d, pr->cgroup_id);
    if (path) {
        skr_put_raw(o, "=", 1);
        skr_put_raw(o, path, strlen(path) + 1);
    }
}

/* The blobs of a record, found once. */
struct blobs {
    const uint8_t *p[16];
    uint16_t len[16];
};
_Static_assert(RB_ARGSTRUCT < 16, "blob tags index struct blobs");

static int find_blobs(const uint8_t *rec, size_t size, const struct rec_hdr *h, struct blobs *b)
{
    memset(b, 0, sizeof *b);
    size_t off = sizeof *h;
    for (unsigned i = 0; i < h->nblobs; i++) {
        if (size - off < sizeof(struct rec_blob_hdr))
            return -1;
        struct rec_blob_hdr bh;
        memcpy(&bh, rec + off, sizeof bh);
        off += sizeof bh;
        if (bh.len > size - off)
            return -1;
        if (bh.tag < 16) {
            b->p[bh.tag] = rec + off;
            b->len[bh.tag] = bh.len;
        }
        off += (bh.len + sizeof bh + 7u) / 8u * 8u - sizeof bh;
        if (off > size)
            off = size;
    }
    return 0;
}

/* A string blob without its terminating NUL. */
static void set_str(struct skr_value *v, const uint8_t *p, size_t n)
{
    while (n && p[n - 1] == 0)
        n--;
    v->ptr = p;
    v->len = (uint32_t)n;
}

/* struct sockaddr (as in the caller's memory) -> §5.2 SOCKADDR. */
static void conv_sockaddr(struct skr_buf *o, const uint8_t *p, size_t n)
{
    if (n < 2)
        return;
    uint16_t fam;
    memcpy(&fam, p, 2);
    skr_put_u8(o, (uint8_t)fam);
    if (fam == AF_INET && n >= 8) {
        skr_put_raw(o, p + 4, 4);
        skr_put_u16(o, (uint16_t)(p[2] << 8 | p[3]));
    } else if (fam == AF_INET6 && n >= 24) {
        skr_put_raw(o, p + 8, 16);
        skr_put_u16(o, (uint16_t)(p[2] << 8 | p[3]));
    } else if (fam == AF_UNIX && n > 2) {
        size_t len = n - 2;
        /* A pathname socket ends at its NUL; an abstract one starts
         * with NUL and is kept whole. */
        if (p[2] != 0) {
            const uint8_t *z = memchr(p + 2, 0, len);
            if (z)
                len = (size_t)(z - (p + 2));
        }
        skr_put_raw(o, p + 2, len);
    }
}

static void conv_tuple(struct skr_buf *o, const uint8_t *p, size_t n)
{
    struct rec_tuple t;
    if (n < sizeof t)
        return;
    memcpy(&t, p, sizeof t);
    skr_put_u8(o, (uint8_t)t.family);
    size_t alen = t.family == AF_INET6 ? 16 : 4;
    if (t.family == AF_INET || t.family == AF_INET6) {
        skr_put_raw(o, t.saddr, alen);
        skr_put_u16(o, t.sport);
        skr_put_raw(o, t.daddr, alen);
        skr_put_u16(o, t.dport);
    } else if (t.family == AF_UNIX) {
        uint64_t src, dst;
        memcpy(&src, t.saddr, 8);
        memcpy(&dst, t.daddr, 8);
        skr_put_u64(o, src);
        skr_put_u64(o, dst);
        /* An abstract socket's name starts with NUL: keep the bytes up to
         * the last non-NUL one rather than stopping at the first NUL. */
        size_t len = n > sizeof t ? n - sizeof t : 0;
        while (len && p[sizeof t + len - 1] == 0)
            len--;
        skr_put_raw(o, p + sizeof t, len);
    }
}

static uint64_t proc_field(const struct rec_proc *pr, int i)
{
    switch (i) {
    case 0: return pr->pid;
    case 1: return pr->tid;
    case 2: return pr->ppid;
    case 3: return pr->vpid;
    case 4: return pr->vtid;
    case 5: return pr->uid;
    case 6: return pr->gid;
    case 7: return pr->euid;
    case 8: return pr->egid;
    case 9: return pr->loginuid;
    case 10: return pr->sid;
    case 11: return pr->pgid;
    case 12: return pr->vpgid;
    case 13: {
        /* record.h gives (major << 20) | minor; the trace keeps the
         * encoding of /proc/PID/stat's tty_nr, as procfs.c does. */
        uint32_t major = pr->tty >> 20, minor = pr->tty & 0xfffff;
        return (minor & 0xff) | (major & 0xfff) << 8 | (minor & ~0xffu) << 12;
    }
    case 14: return pr->flags;
    case 17: return pr->cap_inheritable;
    case 18: return pr->cap_permitted;
    case 19: return pr->cap_effective;
    case 20: return pr->pidns_init_start;
    default: return 0;
    }
}

int recdec_decode(struct recdec *d, const void *recp, size_t size, struct skr_event *ev,
                  char *err, size_t errlen)
{
    const uint8_t *rec = recp;
    struct rec_hdr h;
    if (size < sizeof h) {
        snprintf(err, errlen, "record of %zu bytes, shorter than its header", size);
        return -1;
    }
    memcpy(&h, rec, sizeof h);
    if (h.size > size)
        h.size = (uint32_t)size;
    struct blobs b;
    if (find_blobs(rec, h.size, &h, &b) < 0) {
        snprintf(err, errlen, "record blobs run past its end");
        return -1;
    }
    const struct compiled *c;
    if (h.kind == RK_PROCEXIT)
        c = &d->procexit;
    else if (h.kind == RK_SYSCALL && h.nr < REC_MAX_SYSCALL && d->by_nr[h.nr].evt >= 0)
        c = &d->by_nr[h.nr];
    else if (h.kind == RK_SYSCALL)
        c = &d->generic;
    else {
        snprintf(err, errlen, "unknown record kind %u", h.kind);
        return -1;
    }
    ev->type = (uint16_t)c->evt;
    ev->def = &saker_evt_table[c->evt];
    ev->ts = (uint64_t)((int64_t)h.ts + d->boot_to_wall);
    ev->tid = h.tid;
    ev->cpu = h.cpu;
    ev->nparams = (uint16_t)c->n;
    struct rec_proc pr;
    bool have_proc = b.p[RB_PROC] && b.len[RB_PROC] >= sizeof pr;
    if (have_proc)
        memcpy(&pr, b.p[RB_PROC], sizeof pr);
    else
        memset(&pr, 0, sizeof pr);
    int code = (int)(h.ret & 0xffff);
    for (int i = 0; i < c->n; i++) {
        struct skr_value *v = &ev->params[i];
        struct skr_buf *o = &d->conv[i];
        memset(v, 0, sizeof *v);
        int s = c->codes[i];
        uint64_t u = 0;
        switch (s) {
        case S_NONE: break;
        case S_RET: u = (uint64_t)h.ret; break;
        case S_NR: u = h.nr; break;
        case S_P: case S_P2: case S_P3: case S_X: case S_C: {
            int tag = s == S_P ? RB_PATH : s == S_P2 ? RB_PATH2 : s == S_P3 ? RB_PATH3 :
                      s == S_X ? RB_EXE : RB_CWD;
            set_str(v, b.p[tag], b.len[tag]);
            continue;
        }
        case S_D: v->ptr = b.p[RB_DATA]; v->len = b.len[RB_DATA]; continue;
        case S_E: v->ptr = b.p[RB_ENV]; v->len = d->omit_env ? 0 : b.len[RB_ENV]; continue;
        case S_A0: case S_A1: {
            const uint8_t *a = b.p[RB_ARGV];
            size_t n = b.len[RB_ARGV];
            const uint8_t *z = a ? memchr(a, 0, n) : NULL;
            size_t first = z ? (size_t)(z - a) : n;
            if (s == S_A0)
                set_str(v, a, first);
            else if (z) {
                v->ptr = z + 1;
                v->len = (uint32_t)(n - first - 1);
            }
            continue;
        }
        case S_S: case S_T:
            skr_buf_reset(o);
            if (s == S_S && b.p[RB_SOCKADDR])
                conv_sockaddr(o, b.p[RB_SOCKADDR], b.len[RB_SOCKADDR]);
            else if (s == S_T && b.p[RB_TUPLE])
                conv_tuple(o, b.p[RB_TUPLE], b.len[RB_TUPLE]);
            v->ptr = o->data;
            v->len = (uint32_t)o->len;
            continue;
        case S_F0: case S_F1: {
            int32_t fds[2] = { -1, -1 };
            if (b.p[RB_FDS] && b.len[RB_FDS] >= sizeof fds)
                memcpy(fds, b.p[RB_FDS], sizeof fds);
            u = (uint64_t)(int64_t)fds[s == S_F1];
            break;
        }
        case S_FDEV: case S_FINO: {
            struct rec_file rf;
            if (b.p[RB_FILE] && b.len[RB_FILE] >= sizeof rf) {
                memcpy(&rf, b.p[RB_FILE], sizeof rf);
                u = s == S_FDEV ? rf.dev : rf.ino;
            }
            break;
        }
        case S_H0: case S_H1: case S_H2: {
            size_t at = (size_t)(s - S_H0) * 8;
            if (b.p[RB_ARGSTRUCT] && b.len[RB_ARGSTRUCT] >= at + 8)
                memcpy(&u, b.p[RB_ARGSTRUCT] + at, 8);
            break;
        }
        case S_XS: u = (uint64_t)(int64_t)code; break;
        case S_XR: u = (uint64_t)(int64_t)((code >> 8) & 0xff); break;
        case S_XG: u = (uint64_t)(code & 0x7f); break;
        case S_XC: u = (code & 0x80) != 0; break;
        default:
            if (s >= S_ARG0 && s <= S_ARG5) {
                u = h.args[s - S_ARG0];
                break;
            }
            if (s == S_PROC_FIRST + 15) { /* comm */
                set_str(v, have_proc ? (const uint8_t *)pr.comm : NULL,
                        have_proc ? strnlen(pr.comm, sizeof pr.comm) : 0);
                if (have_proc) {
                    skr_buf_reset(o);
                    skr_put_raw(o, pr.comm, strnlen(pr.comm, sizeof pr.comm));
                    v->ptr = o->data;
                }
                continue;
            }
            if (s == S_PROC_FIRST + 16) { /* cgroups */
                skr_buf_reset(o);
                if (have_proc)
                    put_cgroups(d, o, &pr);
                v->ptr = o->data;
                v->len = (uint32_t)o->len;
                continue;
            }
            if (s >= S_PROC_FIRST)
                u = proc_field(&pr, s - S_PROC_FIRST);
            break;
        }
        /* fd and pid arguments are C ints: a register may hold them
         * without sign extension (AT_FDCWD as 0xffffff9c). */
        v->u = u;
        v->s = (int64_t)u;
        if (ev->def->params[i].type == SKR_PT_FD || ev->def->params[i].type == SKR_PT_PID)
            v->s = (int64_t)(int32_t)u;
    }
    return 0;
}
