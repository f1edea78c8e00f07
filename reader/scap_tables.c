/* scap_tables.c -- the tables of a scap capture (process lists PL V1-V9, fd
 * lists FDL and FDL_V2, user lists UL and UL_V2, interface lists IL and
 * IL_V2) and its container events, as §8 checkpoint records
 * (man/saker-trace.5 §8, §16.2).
 *
 * Layouts are libs' (userspace/libscap/engine/savefile/scap_savefile.c):
 * every entry is read through a cursor bounded by the block, and V2 lists
 * prefix each entry with its own length (which counts itself), so fields a
 * newer libs appends are skipped and fields an older one lacks are absent. */
#include "scap_int.h"
#include "cgroup.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- key sets: one record per key (§8) ---- */

static bool keyset_add(struct scap_keyset *k, uint64_t key)
{
    key += 1; /* 0 marks an empty slot */
    if (key == 0)
        key = 1;
    if ((k->n + 1) * 2 > k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        uint64_t *s = calloc(cap, sizeof *s);
        if (!s)
            return true; /* out of memory: keep the record, lose the check */
        for (size_t i = 0; i < k->cap; i++) {
            if (!k->slots[i])
                continue;
            size_t j = (size_t)(k->slots[i] * 0x9E3779B97F4A7C15ull) & (cap - 1);
            while (s[j])
                j = (j + 1) & (cap - 1);
            s[j] = k->slots[i];
        }
        free(k->slots);
        k->slots = s;
        k->cap = cap;
    }
    size_t j = (size_t)(key * 0x9E3779B97F4A7C15ull) & (k->cap - 1);
    while (k->slots[j]) {
        if (k->slots[j] == key)
            return false;
        j = (j + 1) & (k->cap - 1);
    }
    k->slots[j] = key;
    k->n++;
    return true;
}

static uint64_t str_key(const uint8_t *p, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

void scap_cp_free(struct scap_cp *cp)
{
    skr_buf_free(&cp->recs);
    free(cp->threads.slots);
    free(cp->fds.slots);
    free(cp->users.slots);
    free(cp->groups.slots);
    free(cp->ifaces.slots);
    free(cp->containers.slots);
    memset(cp, 0, sizeof *cp);
}

static void cp_add(struct scap_cp *cp, uint32_t kind, const struct skr_buf *rec)
{
    skr_put_field_bytes(&cp->recs, kind, rec->data, rec->len);
    cp->count++;
}

/* Repeated string fields from a buffer of NUL-ended strings (the last one
 * may lack its NUL). */
static void put_strlist(struct skr_buf *b, uint32_t tag, const uint8_t *p, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == 0) {
            skr_put_field_bytes(b, tag, p + start, i - start);
            start = i + 1;
        }
    }
    if (start < n)
        skr_put_field_bytes(b, tag, p + start, n - start);
}

/* The container the thread's cgroups name ("controller=path" strings,
 * NUL-ended), as the recorder derives it from /proc (reader/cgroup.h):
 * the first cgroup that names one. */
static void put_container_id(struct skr_buf *b, const uint8_t *p, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != 0)
            continue;
        const uint8_t *e = p + start;
        size_t elen = i - start;
        const uint8_t *slash = memchr(e, '/', elen);
        start = i + 1;
        if (!slash)
            continue;
        const char *id;
        size_t plen = elen - (size_t)(slash - e);
        if (skr_cgroup_container((const char *)slash, plen, &id) != SKR_RT_NONE) {
            skr_put_field_bytes(b, SKR_CPT_CONTAINER_ID, id, SKR_CONTAINER_ID_LEN);
            return;
        }
    }
}

static const uint8_t *get_str16(struct skr_cur *c, size_t *len)
{
    *len = skr_get_u16(c);
    return skr_get_raw(c, *len);
}

/* ---- process lists ---- */

static int pl_version(uint32_t t)
{
    switch (t) {
    case SKR_SCAP_PL_V1: case SKR_SCAP_PL_V1_INT: return 1;
    case SKR_SCAP_PL_V2: case SKR_SCAP_PL_V2_INT: return 2;
    case SKR_SCAP_PL_V3: case SKR_SCAP_PL_V3_INT: return 3;
    case SKR_SCAP_PL_V4: return 4;
    case SKR_SCAP_PL_V5: return 5;
    case SKR_SCAP_PL_V6: return 6;
    case SKR_SCAP_PL_V7: return 7;
    case SKR_SCAP_PL_V8: return 8;
    case SKR_SCAP_PL_V9: return 9;
    default: return 0;
    }
}

static void put_str(struct skr_buf *b, uint32_t tag, const uint8_t *p, size_t n)
{
    /* libs strings may carry their NUL in the file; the record holds text */
    while (n && p[n - 1] == 0)
        n--;
    skr_put_field_bytes(b, tag, p, n);
}

/* The fields later libs append to a process entry, in their order; each is
 * there only when the entry is long enough for it. */
enum tail_kind { TAIL_UNSIGNED, TAIL_FLAG, TAIL_SIGNED };

struct tail_field {
    uint32_t tag;
    uint8_t size;             /* 1, 4 or 8 bytes */
    uint8_t kind;             /* enum tail_kind */
};

static const struct tail_field proc_tail[] = {
    { SKR_CPT_PIDNS_INIT_START_NS, 8, TAIL_UNSIGNED },
    { SKR_CPT_TTY, 4, TAIL_UNSIGNED },
    { SKR_CPT_LOGINUID, 4, TAIL_UNSIGNED },
    { SKR_CPT_EXE_WRITABLE, 1, TAIL_FLAG },
    { SKR_CPT_CAP_INHERITABLE, 8, TAIL_UNSIGNED },
    { SKR_CPT_CAP_PERMITTED, 8, TAIL_UNSIGNED },
    { SKR_CPT_CAP_EFFECTIVE, 8, TAIL_UNSIGNED },
    { SKR_CPT_EXE_UPPER_LAYER, 1, TAIL_FLAG },
    { SKR_CPT_EXE_INO, 8, TAIL_UNSIGNED },
    { SKR_CPT_EXE_INO_CTIME, 8, TAIL_UNSIGNED },
    { SKR_CPT_EXE_INO_MTIME, 8, TAIL_UNSIGNED },
    { SKR_CPT_EXE_FROM_MEMFD, 1, TAIL_FLAG },
    { SKR_CPT_EXE_LOWER_LAYER, 1, TAIL_FLAG },
    { SKR_CPT_PGID, 8, TAIL_SIGNED },
};

/* One tail field from x into rec, if what is left of the entry holds it. */
static void put_tail_field(struct skr_buf *rec, struct skr_cur *x, const struct tail_field *f)
{
    if (skr_cur_left(x) < f->size)
        return;
    uint64_t v = f->size == 1 ? skr_get_u8(x) : f->size == 4 ? skr_get_u32(x) : skr_get_u64(x);
    if (f->kind == TAIL_SIGNED)
        skr_put_field_s(rec, f->tag, (int64_t)v);
    else
        skr_put_field_u(rec, f->tag, f->kind == TAIL_FLAG ? v != 0 : v);
}

/* One process-list entry. sub is the entry's own length (V9) or 0. */
static int read_thread(struct scap_cp *cp, int ver, struct skr_cur *c, size_t sub,
                       struct skr_buf *rec, char *err, size_t errlen)
{
    size_t comm_n, exe_n, exepath_n = 0, args_n, cwd_n, env_n = 0, cg_n = 0, root_n = 0;
    int64_t tid = (int64_t)skr_get_u64(c), pid = (int64_t)skr_get_u64(c);
    int64_t ptid = (int64_t)skr_get_u64(c);
    int64_t sid = -1, vpgid = -1, vtid = -1, vpid = -1;
    if (ver >= 6)
        sid = (int64_t)skr_get_u64(c);
    if (ver >= 8)
        vpgid = (int64_t)skr_get_u64(c);
    const uint8_t *comm = get_str16(c, &comm_n);
    const uint8_t *exe = get_str16(c, &exe_n);
    const uint8_t *exepath = ver >= 7 ? get_str16(c, &exepath_n) : NULL;
    const uint8_t *args = get_str16(c, &args_n);
    const uint8_t *cwd = get_str16(c, &cwd_n);
    uint64_t fdlimit = skr_get_u64(c);
    uint32_t flags = skr_get_u32(c), uid = skr_get_u32(c), gid = skr_get_u32(c);
    uint32_t vmsize = 0, vmrss = 0, vmswap = 0;
    uint64_t pfmajor = 0, pfminor = 0;
    const uint8_t *env = NULL, *cg = NULL, *root = NULL;
    if (ver >= 2) {
        vmsize = skr_get_u32(c);
        vmrss = skr_get_u32(c);
        vmswap = skr_get_u32(c);
        pfmajor = skr_get_u64(c);
        pfminor = skr_get_u64(c);
    }
    if (ver >= 3)
        env = get_str16(c, &env_n);
    if (ver >= 4) {
        vtid = (int64_t)skr_get_u64(c);
        vpid = (int64_t)skr_get_u64(c);
        cg = get_str16(c, &cg_n);
    }
    if (ver >= 5)
        root = get_str16(c, &root_n);
    if (!skr_cur_ok(c)) {
        snprintf(err, errlen, "process entry cut short");
        return -1;
    }
    skr_buf_reset(rec);
    skr_put_field_s(rec, SKR_CPT_TID, tid);
    skr_put_field_s(rec, SKR_CPT_PID, pid);
    skr_put_field_s(rec, SKR_CPT_PPID, ptid);
    if (ver >= 4) {
        skr_put_field_s(rec, SKR_CPT_VTID, vtid);
        skr_put_field_s(rec, SKR_CPT_VPID, vpid);
    }
    put_str(rec, SKR_CPT_COMM, comm, comm_n);
    put_str(rec, SKR_CPT_EXE, exe, exe_n);
    if (exepath)
        put_str(rec, SKR_CPT_EXEPATH, exepath, exepath_n);
    put_strlist(rec, SKR_CPT_ARG, args, args_n);
    put_str(rec, SKR_CPT_CWD, cwd, cwd_n);
    if (env)
        put_strlist(rec, SKR_CPT_ENV, env, env_n);
    /* scap keeps one uid and gid per thread (the effective ones); both
     * pairs of fields carry them. */
    skr_put_field_u(rec, SKR_CPT_UID, uid);
    skr_put_field_u(rec, SKR_CPT_GID, gid);
    skr_put_field_u(rec, SKR_CPT_EUID, uid);
    skr_put_field_u(rec, SKR_CPT_EGID, gid);
    if (cg) {
        put_strlist(rec, SKR_CPT_CGROUP, cg, cg_n);
        put_container_id(rec, cg, cg_n);
    }
    if (ver >= 6)
        skr_put_field_s(rec, SKR_CPT_SID, sid);
    if (ver >= 8)
        skr_put_field_s(rec, SKR_CPT_VPGID, vpgid);
    skr_put_field_u(rec, SKR_CPT_FLAGS, flags);
    skr_put_field_u(rec, SKR_CPT_FDLIMIT, fdlimit);
    if (root)
        put_str(rec, SKR_CPT_ROOT, root, root_n);
    if (ver >= 2) {
        skr_put_field_u(rec, SKR_CPT_VMSIZE_KB, vmsize);
        skr_put_field_u(rec, SKR_CPT_VMRSS_KB, vmrss);
        skr_put_field_u(rec, SKR_CPT_VMSWAP_KB, vmswap);
        skr_put_field_u(rec, SKR_CPT_PFMAJOR, pfmajor);
        skr_put_field_u(rec, SKR_CPT_PFMINOR, pfminor);
    }
    if (sub) {
        /* Fields appended by later libs, each present when the entry is
         * long enough. Entries of libs before 0.10 end with at most 29
         * more bytes and lack the first two (libs' own test). */
        /* c holds exactly the entry, so what is left is the tail */
        struct skr_cur x = *c;
        size_t tail = skr_cur_left(c);
        for (size_t i = tail > 29 ? 0 : 2; i < sizeof proc_tail / sizeof proc_tail[0]; i++)
            put_tail_field(rec, &x, &proc_tail[i]);
        skr_get_raw(c, tail);
    }
    if (keyset_add(&cp->threads, (uint64_t)tid))
        cp_add(cp, SKR_CP_THREAD, rec);
    return 0;
}

int scap_read_proclist(struct scap_cp *cp, uint32_t btype, const uint8_t *p, size_t n,
                       char *err, size_t errlen)
{
    int ver = pl_version(btype);
    if (!ver) {
        snprintf(err, errlen, "not a process list block");
        return -1;
    }
    struct skr_cur c = skr_cur_make(p, n);
    struct skr_buf rec = { 0 };
    int rc = 0;
    while (rc == 0 && skr_cur_left(&c) >= 4) {
        if (ver == 9) {
            size_t sub = skr_get_u32(&c);
            if (sub < 4 || sub - 4 > skr_cur_left(&c)) {
                snprintf(err, errlen, "process entry length %zu, %zu bytes left", sub,
                         skr_cur_left(&c) + 4);
                rc = -1;
                break;
            }
            struct skr_cur ec = skr_cur_make(c.p, sub - 4);
            skr_get_raw(&c, sub - 4);
            rc = read_thread(cp, ver, &ec, sub, &rec, err, errlen);
        } else {
            rc = read_thread(cp, ver, &c, 0, &rec, err, errlen);
        }
    }
    skr_buf_free(&rec);
    return rc;
}

/* ---- fd lists ---- */

char skr_scap_fd_typechar(int type)
{
    /* libs userspace/libsinsp/fdinfo.cpp get_typechar */
    static const char chars[] = {
        [0] = 'o', [1] = 'f', [2] = 'd', [3] = '4', [4] = '6', [5] = '4', [6] = '6',
        [7] = 'p', [8] = 'u', [9] = 'e', [10] = 'X', [11] = 's', [12] = 'l', [13] = 'i',
        [14] = 't', [15] = 'n', [16] = 'f', [17] = 'b', [18] = 'u', [19] = 'r', [20] = 'm',
        [21] = 'P',
    };
    if (type < 0 || (size_t)type >= sizeof chars)
        return '?';
    return chars[type];
}

/* §5.3 tuple from libs' separate fields. */
static void put_tuple(struct skr_buf *b, uint8_t family, const uint8_t *sip, const uint8_t *sport,
                      const uint8_t *dip, const uint8_t *dport, size_t alen)
{
    struct skr_buf t = { 0 };
    skr_put_u8(&t, family);
    skr_put_raw(&t, sip, alen);
    skr_put_raw(&t, sport, 2);
    skr_put_raw(&t, dip, alen);
    skr_put_raw(&t, dport, 2);
    skr_put_field_bytes(b, SKR_CPF_TUPLE, t.data, t.len);
    if (t.oom)
        b->oom = true;
    skr_buf_free(&t);
}

static int read_fd(struct scap_cp *cp, int64_t pid, struct skr_cur *c, size_t sub,
                   struct skr_buf *rec, char *err, size_t errlen)
{
    static const uint8_t zero[16];
    int64_t fd = (int64_t)skr_get_u64(c);
    uint64_t ino = skr_get_u64(c);
    uint8_t type = skr_get_u8(c);
    skr_buf_reset(rec);
    skr_put_field_s(rec, SKR_CPF_PID, pid);
    skr_put_field_s(rec, SKR_CPF_FD, fd);
    skr_put_field_u(rec, SKR_CPF_TYPE, (uint8_t)skr_scap_fd_typechar(type));
    skr_put_field_u(rec, SKR_CPF_SCAP_TYPE, type);
    skr_put_field_u(rec, SKR_CPF_INO, ino);
    const uint8_t *a, *b, *pa, *pb, *name = NULL;
    size_t name_n = 0;
    switch (type) {
    case 3: /* IPV4_SOCK: sip, dip, sport, dport, l4proto */
    case 4: { /* IPV6_SOCK */
        size_t al = type == 3 ? 4 : 16;
        a = skr_get_raw(c, al);
        b = skr_get_raw(c, al);
        pa = skr_get_raw(c, 2);
        pb = skr_get_raw(c, 2);
        uint8_t l4 = skr_get_u8(c);
        if (skr_cur_ok(c)) {
            put_tuple(rec, type == 3 ? 2 : 10, a, pa, b, pb, al);
            skr_put_field_u(rec, SKR_CPF_L4PROTO, l4);
        }
        break;
    }
    case 5: /* IPV4_SERVSOCK: ip, port, l4proto */
    case 6: { /* IPV6_SERVSOCK */
        size_t al = type == 5 ? 4 : 16;
        a = skr_get_raw(c, al);
        pa = skr_get_raw(c, 2);
        uint8_t l4 = skr_get_u8(c);
        if (skr_cur_ok(c)) {
            /* a listening socket: the local address is the server end */
            put_tuple(rec, type == 5 ? 2 : 10, zero, zero, a, pa, al);
            skr_put_field_u(rec, SKR_CPF_ROLE, 2);
            skr_put_field_u(rec, SKR_CPF_L4PROTO, l4);
        }
        break;
    }
    case 8: { /* UNIX_SOCK: source, destination, name */
        const uint8_t *ids = skr_get_raw(c, 16);
        name = get_str16(c, &name_n);
        if (skr_cur_ok(c)) {
            struct skr_buf t = { 0 };
            skr_put_u8(&t, 1);
            skr_put_raw(&t, ids, 16);
            skr_put_raw(&t, name, name_n);
            skr_put_field_bytes(rec, SKR_CPF_TUPLE, t.data, t.len);
            skr_buf_free(&t);
        }
        break;
    }
    case 16: { /* FILE_V2: open flags, name, then dev when the entry holds it */
        uint32_t fl = skr_get_u32(c);
        name = get_str16(c, &name_n);
        skr_put_field_u(rec, SKR_CPF_PPM_FLAGS, fl);
        if (sub && skr_cur_left(c) >= 4)
            skr_put_field_u(rec, SKR_CPF_DEV, skr_get_u32(c));
        break;
    }
    case 0: /* UNKNOWN: libs reads nothing more */
        break;
    default:
        if (type <= 21) {
            name = get_str16(c, &name_n);
        } else {
            char u[40];
            snprintf(u, sizeof u, "unknown-type:[%d]", type);
            skr_put_field_str(rec, SKR_CPF_NAME, u);
        }
        break;
    }
    if (!skr_cur_ok(c)) {
        snprintf(err, errlen, "fd entry cut short");
        return -1;
    }
    if (name)
        put_str(rec, SKR_CPF_NAME, name, name_n);
    if (keyset_add(&cp->fds, (uint64_t)pid * 1000003u ^ (uint64_t)fd))
        cp_add(cp, SKR_CP_FD, rec);
    return 0;
}

int scap_read_fdlist(struct scap_cp *cp, uint32_t btype, const uint8_t *p, size_t n,
                     char *err, size_t errlen)
{
    struct skr_cur c = skr_cur_make(p, n);
    int64_t pid = (int64_t)skr_get_u64(&c);
    if (!skr_cur_ok(&c)) {
        snprintf(err, errlen, "fd list without its thread id");
        return -1;
    }
    struct skr_buf rec = { 0 };
    int rc = 0;
    while (rc == 0 && skr_cur_left(&c) >= 4) {
        if (btype == SKR_SCAP_FDL_V2) {
            size_t sub = skr_get_u32(&c);
            if (sub < 4 || sub - 4 > skr_cur_left(&c)) {
                snprintf(err, errlen, "fd entry length %zu, %zu bytes left", sub,
                         skr_cur_left(&c) + 4);
                rc = -1;
                break;
            }
            struct skr_cur ec = skr_cur_make(c.p, sub - 4);
            skr_get_raw(&c, sub - 4);
            rc = read_fd(cp, pid, &ec, sub, &rec, err, errlen);
        } else {
            rc = read_fd(cp, pid, &c, 0, &rec, err, errlen);
        }
    }
    skr_buf_free(&rec);
    return rc;
}

/* ---- user lists ---- */

int scap_read_userlist(struct scap_cp *cp, uint32_t btype, const uint8_t *p, size_t n,
                       char *err, size_t errlen)
{
    struct skr_cur c = skr_cur_make(p, n);
    struct skr_buf rec = { 0 };
    int rc = 0;
    while (skr_cur_left(&c) >= 4) {
        struct skr_cur ec = c;
        if (btype == SKR_SCAP_UL_V2) {
            size_t sub = skr_get_u32(&c);
            if (sub < 4 || sub - 4 > skr_cur_left(&c)) {
                snprintf(err, errlen, "user entry length %zu, %zu bytes left", sub,
                         skr_cur_left(&c) + 4);
                rc = -1;
                break;
            }
            ec = skr_cur_make(c.p, sub - 4);
            skr_get_raw(&c, sub - 4);
        }
        uint8_t type = skr_get_u8(&ec);
        skr_buf_reset(&rec);
        size_t nn, hn = 0, sn = 0;
        const uint8_t *name, *home = NULL, *shell = NULL;
        uint32_t id, gid = 0;
        bool user = type == 0; /* USERBLOCK_TYPE_USER */
        if (user) {
            id = skr_get_u32(&ec);
            gid = skr_get_u32(&ec);
            name = get_str16(&ec, &nn);
            home = get_str16(&ec, &hn);
            shell = get_str16(&ec, &sn);
        } else {
            id = skr_get_u32(&ec);
            name = get_str16(&ec, &nn);
        }
        if (!skr_cur_ok(&ec)) {
            snprintf(err, errlen, "%s entry cut short", user ? "user" : "group");
            rc = -1;
            break;
        }
        if (btype != SKR_SCAP_UL_V2)
            c = ec; /* V1 entries follow each other with no length */
        skr_put_field_u(&rec, SKR_CPU_ID, id);
        put_str(&rec, SKR_CPU_NAME, name, nn);
        if (user) {
            put_str(&rec, SKR_CPU_HOME, home, hn);
            put_str(&rec, SKR_CPU_SHELL, shell, sn);
            skr_put_field_u(&rec, SKR_CPU_GID, gid);
        }
        if (keyset_add(user ? &cp->users : &cp->groups, id))
            cp_add(cp, user ? SKR_CP_USER : SKR_CP_GROUP, &rec);
    }
    skr_buf_free(&rec);
    return rc;
}

/* ---- interface lists ---- */

int scap_read_iflist(struct scap_cp *cp, uint32_t btype, const uint8_t *p, size_t n,
                     char *err, size_t errlen)
{
    struct skr_cur c = skr_cur_make(p, n);
    struct skr_buf rec = { 0 };
    int rc = 0;
    while (skr_cur_left(&c) >= 4) {
        struct skr_cur ec = c;
        size_t entry = 0;
        if (btype == SKR_SCAP_IL_V2) {
            entry = skr_get_u32(&c);
            if (entry > skr_cur_left(&c)) {
                snprintf(err, errlen, "interface entry length %zu, %zu bytes left", entry,
                         skr_cur_left(&c));
                rc = -1;
                break;
            }
            ec = skr_cur_make(c.p, entry);
        }
        uint16_t type = skr_get_u16(&ec);
        uint16_t namelen = skr_get_u16(&ec);
        /* types: 1 IPv4, 2 IPv6, 3 IPv4 and 4 IPv6 without link speed */
        bool v6 = type == 2 || type == 4, speed = type == 1 || type == 2;
        if (type < 1 || type > 4) {
            snprintf(err, errlen, "unknown interface type %u", type);
            rc = -1;
            break;
        }
        size_t al = v6 ? 16 : 4;
        const uint8_t *addr = skr_get_raw(&ec, al), *mask = skr_get_raw(&ec, al);
        const uint8_t *bcast = skr_get_raw(&ec, al);
        uint64_t linkspeed = speed ? skr_get_u64(&ec) : 0;
        const uint8_t *name = skr_get_raw(&ec, namelen);
        if (!skr_cur_ok(&ec)) {
            snprintf(err, errlen, "interface entry cut short");
            rc = -1;
            break;
        }
        if (btype == SKR_SCAP_IL_V2)
            skr_get_raw(&c, entry);
        else
            c = ec;
        skr_buf_reset(&rec);
        put_str(&rec, SKR_CPI_NAME, name, namelen);
        skr_put_field_u(&rec, SKR_CPI_FAMILY, v6 ? 10 : 2);
        skr_put_field_bytes(&rec, SKR_CPI_ADDR, addr, al);
        skr_put_field_bytes(&rec, SKR_CPI_NETMASK, mask, al);
        skr_put_field_bytes(&rec, SKR_CPI_BCAST, bcast, al);
        if (speed)
            skr_put_field_u(&rec, SKR_CPI_LINKSPEED, linkspeed);
        uint64_t key = str_key(name, namelen) ^ str_key(addr, al);
        if (keyset_add(&cp->ifaces, key))
            cp_add(cp, SKR_CP_IFACE, &rec);
    }
    skr_buf_free(&rec);
    return rc;
}

/* ---- containers ---- */

static const char *runtime_name(int type)
{
    /* libs container_type numbering */
    static const char *const names[] = {
        "docker", "lxc", "libvirt-lxc", "mesos", "rkt", "custom", "cri",
        "containerd", "cri-o", "bpm", "static", "podman",
    };
    return type >= 0 && (size_t)type < sizeof names / sizeof names[0] ? names[type] : NULL;
}

static void json_str(struct skr_buf *b, uint32_t tag, const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(v) && v->valuestring)
        skr_put_field_str(b, tag, v->valuestring);
}

void scap_container_event(struct scap_cp *cp, const struct skr_event *ev)
{
    struct skr_buf rec = { 0 };
    const uint8_t *id = NULL;
    size_t idn = 0;
    if (ev->nparams == 4 && ev->def->params[0].wire == SKR_WIRE_BYTES) {
        /* PPME_CONTAINER_E: id, type, name, image */
        id = ev->params[0].ptr;
        idn = ev->params[0].len;
        skr_put_field_bytes(&rec, SKR_CPC_ID, id, idn);
        skr_put_field_bytes(&rec, SKR_CPC_NAME, ev->params[2].ptr, ev->params[2].len);
        skr_put_field_bytes(&rec, SKR_CPC_IMAGE, ev->params[3].ptr, ev->params[3].len);
        skr_put_field_u(&rec, SKR_CPC_TYPE, ev->params[1].u);
        const char *rt = runtime_name((int)ev->params[1].u);
        if (rt)
            skr_put_field_str(&rec, SKR_CPC_RUNTIME, rt);
    } else if (ev->nparams >= 1 && ev->def->params[0].wire == SKR_WIRE_BYTES) {
        /* PPME_CONTAINER_JSON_E / _2_E: {"container": {...}} */
        cJSON *root = cJSON_ParseWithLength((const char *)ev->params[0].ptr, ev->params[0].len);
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "container");
        const cJSON *vid = cJSON_GetObjectItemCaseSensitive(o, "id");
        if (cJSON_IsObject(o) && cJSON_IsString(vid) && vid->valuestring) {
            idn = strlen(vid->valuestring);
            skr_put_field_str(&rec, SKR_CPC_ID, vid->valuestring);
            json_str(&rec, SKR_CPC_NAME, o, "name");
            json_str(&rec, SKR_CPC_IMAGE, o, "image");
            json_str(&rec, SKR_CPC_IMAGE_ID, o, "imageid");
            json_str(&rec, SKR_CPC_IMAGE_REPO, o, "imagerepo");
            json_str(&rec, SKR_CPC_IMAGE_TAG, o, "imagetag");
            json_str(&rec, SKR_CPC_IMAGE_DIGEST, o, "imagedigest");
            json_str(&rec, SKR_CPC_IP, o, "ip");
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "type");
            if (cJSON_IsNumber(t)) {
                skr_put_field_u(&rec, SKR_CPC_TYPE, (uint64_t)t->valueint);
                const char *rt = runtime_name(t->valueint);
                if (rt)
                    skr_put_field_str(&rec, SKR_CPC_RUNTIME, rt);
            }
            const cJSON *pr = cJSON_GetObjectItemCaseSensitive(o, "privileged");
            if (cJSON_IsBool(pr))
                skr_put_field_u(&rec, SKR_CPC_PRIVILEGED, cJSON_IsTrue(pr) ? 1 : 0);
            const cJSON *labels = cJSON_GetObjectItemCaseSensitive(o, "labels");
            if (!labels)
                labels = cJSON_GetObjectItemCaseSensitive(o, "Labels");
            const cJSON *l;
            cJSON_ArrayForEach(l, labels) {
                if (cJSON_IsString(l) && l->string && l->valuestring) {
                    struct skr_buf kv = { 0 };
                    skr_put_raw(&kv, l->string, strlen(l->string));
                    skr_put_u8(&kv, '=');
                    skr_put_raw(&kv, l->valuestring, strlen(l->valuestring));
                    skr_put_field_bytes(&rec, SKR_CPC_LABEL, kv.data, kv.len);
                    skr_buf_free(&kv);
                }
            }
            skr_put_field_bytes(&rec, SKR_CPC_JSON, ev->params[0].ptr, ev->params[0].len);
            id = (const uint8_t *)vid->valuestring;
        }
        /* libs first sends a placeholder (name "incomplete") while it fetches
         * a container's metadata, then the real record: both are kept, in
         * file order, so that the real one wins when the checkpoint loads */
        const cJSON *vname = cJSON_GetObjectItemCaseSensitive(o, "name");
        bool placeholder = cJSON_IsString(vname) && vname->valuestring &&
                           !strcmp(vname->valuestring, "incomplete");
        if (id && keyset_add(&cp->containers, str_key(id, idn) ^ (placeholder ? 0x5bd1e995u : 0)))
            cp_add(cp, SKR_CP_CONTAINER, &rec);
        cJSON_Delete(root);
        skr_buf_free(&rec);
        return;
    }
    if (id && keyset_add(&cp->containers, str_key(id, idn)))
        cp_add(cp, SKR_CP_CONTAINER, &rec);
    skr_buf_free(&rec);
}
