/* state_checkpoint.c -- loading a CHECKPOINT payload (man/saker-trace.5 §8)
 * into the state, all or nothing.
 *
 * Design: the payload is decoded into a scratch state first, so a payload
 * that turns out corrupt half way leaves the real state untouched. Pass 1
 * takes THREAD, USER, GROUP, CONTAINER and IFACE records, pass 2 the FD records
 * (records come in any order, and an fd needs its process). Then the
 * non-leader threads get what §8.1 writes for the leader only (exe, args,
 * cwd, ...) and share its fd table (§8.2: fds belong to processes). The
 * scratch threads then move over: all of them after emptying the state
 * (replace), or those the state does not know (merge: the events applied
 * so far are newer than the /proc snapshot was). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "state_int.h"

struct cp {
    struct state *tmp;
    struct state *real;
    bool replace;
    /* merge: fds of processes the state already has (their THREAD record
     * was in an earlier block of a split checkpoint), pid -> table */
    struct st_hash foreign;
    char *err;
    size_t errlen;
    size_t rec;             /* record number, for messages */
    size_t off;             /* its offset in the payload */
    bool scap_fds;          /* FD records from a scap capture's fd tables */
};

static int fail(struct cp *cp, const char *what)
{
    snprintf(cp->err, cp->errlen, "checkpoint record %zu at offset %zu: %s", cp->rec, cp->off,
             what);
    return -1;
}

/* Appends a NUL-ended entry to a blob of entries. */
static bool append_entry(char **blob, size_t *len, const uint8_t *p, size_t n)
{
    char *b = realloc(*blob, *len + n + 1);
    if (!b)
        return false;
    if (n)
        memcpy(b + *len, p, n);
    b[*len + n] = 0;
    *blob = b;
    *len += n + 1;
    return true;
}

static int thread_rec(struct cp *cp, const uint8_t *p, size_t n)
{
    struct skr_cur c = skr_cur_make(p, n);
    struct skr_field f;
    int64_t tid = -1, pid = -1;
    /* ids first: the thread is created from them */
    while (skr_next_field(&c, &f)) {
        if (f.tag == SKR_CPT_TID && f.wire == SKR_WIRE_ZIGZAG)
            tid = f.s;
        else if (f.tag == SKR_CPT_PID && f.wire == SKR_WIRE_ZIGZAG)
            pid = f.s;
    }
    if (!skr_cur_ok(&c))
        return fail(cp, "THREAD record is corrupt");
    if (tid <= 0)
        return fail(cp, "THREAD record without a valid TID");
    if (pid <= 0)
        pid = tid;
    struct state *st = cp->tmp;
    if (st_hash_get(&st->threads, tid))
        return fail(cp, "second THREAD record of one TID");
    struct st_thr *t = st_thread_new(st, tid, pid, NULL);
    if (!t)
        return fail(cp, "out of memory");
    struct st_thread *th = &t->pub;
    th->flags |= ST_TH_FROM_CHECKPOINT;
    bool ok = true;
    c = skr_cur_make(p, n);
    while (ok && skr_next_field(&c, &f)) {
        bool b = f.wire == SKR_WIRE_BYTES, z = f.wire == SKR_WIRE_ZIGZAG,
             v = f.wire == SKR_WIRE_VARINT;
        uint32_t u32 = (uint32_t)f.u;
        switch (f.tag) {
        case SKR_CPT_PPID: if (z) th->ppid = f.s; break;
        case SKR_CPT_VTID: if (z) th->vtid = f.s; break;
        case SKR_CPT_VPID: if (z) th->vpid = f.s; break;
        case SKR_CPT_SID: if (z) th->sid = f.s; break;
        case SKR_CPT_PGID: if (z) th->pgid = f.s; break;
        case SKR_CPT_VPGID: if (z) th->vpgid = f.s; break;
        case SKR_CPT_COMM: if (b) ok = st_set_str(&th->comm, f.ptr, f.len); break;
        case SKR_CPT_EXE: if (b) ok = st_set_str(&th->exe, f.ptr, f.len); break;
        case SKR_CPT_EXEPATH: if (b) ok = st_set_str(&th->exepath, f.ptr, f.len); break;
        case SKR_CPT_CONTAINER_ID:
            if (b) ok = st_set_str(&th->container_id, f.ptr, f.len);
            break;
        case SKR_CPT_CWD: if (b) ok = st_set_dir(&th->cwd, NULL, f.ptr, f.len); break;
        case SKR_CPT_ARG: if (b) ok = append_entry(&th->args, &th->args_len, f.ptr, f.len); break;
        case SKR_CPT_ENV: if (b) ok = append_entry(&th->env, &th->env_len, f.ptr, f.len); break;
        case SKR_CPT_CGROUP:
            if (b) ok = append_entry(&th->cgroups, &th->cgroups_len, f.ptr, f.len);
            break;
        case SKR_CPT_UID: if (v) th->uid = u32; break;
        case SKR_CPT_GID: if (v) th->gid = u32; break;
        case SKR_CPT_EUID: if (v) th->euid = u32; break;
        case SKR_CPT_EGID: if (v) th->egid = u32; break;
        case SKR_CPT_LOGINUID: if (v) th->loginuid = u32; break;
        case SKR_CPT_TTY: if (v) th->tty = u32; break;
        case SKR_CPT_START_NS: if (v) th->clone_ts = st->boot_ns + f.u; break;
        default: break;
        }
    }
    if (!ok)
        return fail(cp, "out of memory");
    if (th->vtid < 0)
        th->vtid = tid;
    if (th->vpid < 0)
        th->vpid = pid;
    return 0;
}

static int fd_rec(struct cp *cp, const uint8_t *p, size_t n)
{
    struct skr_cur c = skr_cur_make(p, n);
    struct skr_field f;
    int64_t pid = -1, num = -1;
    uint64_t type = ST_FD_UNKNOWN, flags = 0, ino = 0, dev = 0, role = 0;
    const uint8_t *name = NULL, *tuple = NULL;
    size_t name_len = 0, tuple_len = 0;
    while (skr_next_field(&c, &f)) {
        switch (f.tag) {
        case SKR_CPF_PID: pid = f.s; break;
        case SKR_CPF_FD: num = f.s; break;
        case SKR_CPF_TYPE: type = f.u; break;
        case SKR_CPF_FLAGS: flags = f.u; break;
        case SKR_CPF_INO: ino = f.u; break;
        case SKR_CPF_DEV: dev = f.u; break;
        case SKR_CPF_ROLE: role = f.u; break;
        case SKR_CPF_SCAP_TYPE: cp->scap_fds = true; break;
        case SKR_CPF_NAME: if (f.wire == SKR_WIRE_BYTES) name = f.ptr, name_len = f.len; break;
        case SKR_CPF_TUPLE: if (f.wire == SKR_WIRE_BYTES) tuple = f.ptr, tuple_len = f.len; break;
        default: break;
        }
    }
    if (!skr_cur_ok(&c))
        return fail(cp, "FD record is corrupt");
    if (pid <= 0 || num < 0)
        return fail(cp, "FD record without a valid PID and FD");
    struct st_thr *t = st_hash_get(&cp->tmp->threads, pid);
    struct st_fdtable *tab = t ? t->pub.fds : st_hash_get(&cp->foreign, pid);
    if (!tab && !cp->replace && st_hash_get(&cp->real->threads, pid)) {
        tab = st_fdt_new();
        if (!tab || !st_hash_put(&cp->foreign, pid, tab)) {
            st_fdt_unref(tab);
            return fail(cp, "out of memory");
        }
    }
    if (!tab)
        return 0; /* a process that vanished between the walks: nothing to attach to */
    if (st_fd_get(tab, num))
        return fail(cp, "second FD record of one PID and FD");
    struct st_fdi *fd = st_fd_add(cp->tmp, tab, num);
    if (!fd || !st_set_str(&fd->pub.name, name ? (const char *)name : "", name_len))
        return fail(cp, "out of memory");
    fd->pub.type = type > 0 && type < 128 ? (char)type : ST_FD_UNKNOWN;
    fd->pub.open_flags = (uint32_t)flags;
    fd->pub.ino = ino;
    fd->pub.dev = dev;
    fd->pub.role = role <= ST_ROLE_SERVER ? (uint8_t)role : ST_ROLE_NONE;
    if (tuple)
        st_tuple_decode(&fd->pub.tuple, tuple, tuple_len, NULL, 0, NULL, NULL);
    return 0;
}

static int user_rec(struct cp *cp, const uint8_t *p, size_t n, bool group)
{
    struct skr_cur c = skr_cur_make(p, n);
    struct skr_field f;
    int64_t id = -1;
    char *cid = NULL;
    bool ok = st_set_str(&cid, "", 0);
    while (ok && skr_next_field(&c, &f)) {
        if (f.tag == SKR_CPU_ID && f.wire == SKR_WIRE_VARINT && f.u <= UINT32_MAX)
            id = (int64_t)f.u;
        else if (f.tag == SKR_CPU_CONTAINER_ID && f.wire == SKR_WIRE_BYTES)
            ok = st_set_str(&cid, f.ptr, f.len);
    }
    if (!ok || !skr_cur_ok(&c) || id < 0) {
        free(cid);
        return fail(cp, !ok ? "out of memory" : group ? "GROUP record is corrupt or has no ID"
                                                        : "USER record is corrupt or has no ID");
    }
    char **name, **home = NULL, **shell = NULL;
    if (group) {
        struct st_group *g = st_group_get(cp->tmp, (uint32_t)id, cid, true);
        name = g ? &g->name : NULL;
    } else {
        struct st_user *u = st_user_get(cp->tmp, (uint32_t)id, cid, true);
        name = u ? &u->name : NULL;
        home = u ? &u->home : NULL;
        shell = u ? &u->shell : NULL;
    }
    free(cid);
    if (!name)
        return fail(cp, "out of memory");
    c = skr_cur_make(p, n);
    while (ok && skr_next_field(&c, &f)) {
        if (f.wire != SKR_WIRE_BYTES)
            continue;
        if (f.tag == SKR_CPU_NAME)
            ok = st_set_str(name, f.ptr, f.len);
        else if (f.tag == SKR_CPU_HOME && home)
            ok = st_set_str(home, f.ptr, f.len);
        else if (f.tag == SKR_CPU_SHELL && shell)
            ok = st_set_str(shell, f.ptr, f.len);
    }
    return ok ? 0 : fail(cp, "out of memory");
}

static int container_rec(struct cp *cp, const uint8_t *p, size_t n)
{
    struct skr_cur c = skr_cur_make(p, n);
    struct skr_field f;
    char *id = NULL;
    bool ok = true;
    while (ok && skr_next_field(&c, &f))
        if (f.tag == SKR_CPC_ID && f.wire == SKR_WIRE_BYTES)
            ok = st_set_str(&id, f.ptr, f.len);
    if (!ok || !skr_cur_ok(&c) || !id || !*id) {
        free(id);
        return fail(cp, ok ? "CONTAINER record is corrupt or has no ID" : "out of memory");
    }
    struct st_container *k = st_container_get(cp->tmp, id, true);
    free(id);
    if (!k)
        return fail(cp, "out of memory");
    c = skr_cur_make(p, n);
    while (ok && skr_next_field(&c, &f)) {
        bool b = f.wire == SKR_WIRE_BYTES;
        if (f.tag == SKR_CPC_NAME && b)
            ok = st_set_str(&k->name, f.ptr, f.len);
        else if (f.tag == SKR_CPC_RUNTIME && b)
            ok = st_set_str(&k->runtime, f.ptr, f.len);
        else if (f.tag == SKR_CPC_PRIVILEGED && f.wire == SKR_WIRE_VARINT)
            k->privileged = f.u != 0;
        else if (f.tag == SKR_CPC_LABEL && b)
            ok = append_entry(&k->labels, &k->labels_len, f.ptr, f.len);
        else if (f.tag == SKR_CPC_IMAGE && b) {
            /* "repo[:tag]": the tag follows the last ':' after the last '/' */
            ok = st_set_str(&k->image, f.ptr, f.len);
            size_t colon = f.len;
            for (size_t i = f.len; i-- > 0 && f.ptr[i] != '/';)
                if (f.ptr[i] == ':') {
                    colon = i;
                    break;
                }
            ok = ok && st_set_str(&k->image_repository, f.ptr, colon) &&
                 st_set_str(&k->image_tag, f.ptr + (colon < f.len ? colon + 1 : f.len),
                            colon < f.len ? f.len - colon - 1 : 0);
        }
    }
    return ok ? 0 : fail(cp, "out of memory");
}

/* §8.5: kept (up to ST_NIFACES, in order) for libsinsp's completion of a
 * UDP socket's missing address (state_events_fd.c). */
static int iface_rec(struct cp *cp, const uint8_t *p, size_t n)
{
    struct skr_cur c = skr_cur_make(p, n);
    struct skr_field f;
    struct st_iface i = { 0 };
    size_t alen = 0, mlen = 0;
    while (skr_next_field(&c, &f)) {
        if (f.tag == SKR_CPI_FAMILY && f.wire != SKR_WIRE_BYTES)
            i.family = f.u == AF_INET6 ? AF_INET6 : f.u == AF_INET ? AF_INET : 0;
        else if (f.tag == SKR_CPI_ADDR && f.wire == SKR_WIRE_BYTES && f.len <= 16)
            memcpy(i.addr, f.ptr, alen = f.len);
        else if (f.tag == SKR_CPI_NETMASK && f.wire == SKR_WIRE_BYTES && f.len <= 16)
            memcpy(i.mask, f.ptr, mlen = f.len);
    }
    if (!skr_cur_ok(&c))
        return fail(cp, "IFACE record is corrupt");
    size_t want = i.family == AF_INET ? 4 : 16;
    struct state *t = cp->tmp;
    if (i.family && alen == want && mlen == want &&
        t->nifaces < sizeof t->ifaces / sizeof t->ifaces[0])
        t->ifaces[t->nifaces++] = i;
    return 0;
}

static int decode(struct cp *cp, const uint8_t *payload, size_t len, int pass)
{
    struct skr_cur c = skr_cur_make(payload, len);
    struct skr_field f;
    cp->rec = 0;
    for (;;) {
        cp->off = len - skr_cur_left(&c);
        if (!skr_next_field(&c, &f))
            break;
        cp->rec++;
        if (f.wire != SKR_WIRE_BYTES)
            return fail(cp, "a record field must hold a nested record (wire 2)");
        int rc = 0;
        if (pass == 1 && f.tag == SKR_CP_THREAD)
            rc = thread_rec(cp, f.ptr, f.len);
        else if (pass == 1 && (f.tag == SKR_CP_USER || f.tag == SKR_CP_GROUP))
            rc = user_rec(cp, f.ptr, f.len, f.tag == SKR_CP_GROUP);
        else if (pass == 1 && f.tag == SKR_CP_CONTAINER)
            rc = container_rec(cp, f.ptr, f.len);
        else if (pass == 1 && f.tag == SKR_CP_IFACE)
            rc = iface_rec(cp, f.ptr, f.len);
        else if (pass == 2 && f.tag == SKR_CP_FD)
            rc = fd_rec(cp, f.ptr, f.len);
        if (rc)
            return rc;
    }
    if (!skr_cur_ok(&c)) {
        cp->rec++;
        return fail(cp, "truncated or invalid field key");
    }
    return 0;
}

/* §8.1: process-wide fields come with the leader; §8.2: fds too. The
 * real state is only read here: a failed load must leave it as it was. */
/* A scap capture's sockets as libsinsp reads them from its fd tables
 * (fix_sockets_coming_from_proc): every IP socket is named by its ends, and
 * a connected IPv4 socket whose source port is one a listening socket of the
 * capture is bound to is the server's end of a connection, so its ends are
 * swapped (client first); the others are clients. */
static void fix_scap_sockets(struct state *tmp)
{
    uint16_t ports[256];
    size_t nports = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < tmp->threads.cap; i++) {
            struct st_thr *t = tmp->threads.slots[i].val;
            if (!t || !t->pub.fds)
                continue;
            for (struct st_fdi *f = t->pub.fds->oldest; f; f = f->newer) {
                struct st_tuple *u = &f->pub.tuple;
                bool ip = u->family == AF_INET || u->family == AF_INET6;
                /* libsinsp: a unix socket of the table is a client when
                 * nameless, else a server (add_fd_from_scap) */
                if (pass == 1 && f->pub.type == ST_FD_UNIX && f->pub.role == ST_ROLE_NONE)
                    f->pub.role = f->pub.name && *f->pub.name ? ST_ROLE_SERVER : ST_ROLE_CLIENT;
                if (pass == 0) {
                    if (ip && f->pub.role == ST_ROLE_SERVER && nports < 256)
                        ports[nports++] = u->dport;
                    continue;
                }
                if (ip && f->pub.role == ST_ROLE_SERVER) {
                    /* a listening socket (SERVSOCK): libsinsp names it by
                     * its address and gives it no role */
                    if (!f->pub.name || !*f->pub.name) {
                        st_fd_name_tuple(f);
                        const char *arrow = f->pub.name ? strstr(f->pub.name, "->") : NULL;
                        if (arrow)
                            memmove(f->pub.name, arrow + 2, strlen(arrow + 2) + 1);
                    }
                    f->pub.role = ST_ROLE_NONE;
                    continue;
                }
                if (!ip || f->pub.role != ST_ROLE_NONE)
                    continue;
                bool server = false;
                for (size_t k = 0; k < nports && u->family == AF_INET; k++)
                    server = server || ports[k] == u->sport;
                if (server) {
                    struct st_tuple x = *u;
                    memcpy(u->sip, x.dip, sizeof u->sip);
                    memcpy(u->dip, x.sip, sizeof u->dip);
                    u->sport = x.dport;
                    u->dport = x.sport;
                }
                f->pub.role = server ? ST_ROLE_SERVER : ST_ROLE_CLIENT;
                if (!f->pub.name || !*f->pub.name)
                    st_fd_name_tuple(f);
            }
        }
    }
}

static void complete_threads(struct state *tmp, struct state *real)
{
    struct st_hash *h = &tmp->threads;
    for (size_t i = 0; i < h->cap; i++) {
        struct st_thr *t = h->slots[i].val;
        if (!t || t->pub.tid == t->pub.pid)
            continue;
        /* the leader's record may have come in an earlier block of a
         * split checkpoint (merge) */
        struct st_thr *m = st_hash_get(h, t->pub.pid);
        if (!m && real)
            m = st_hash_get(&real->threads, t->pub.pid);
        if (!m)
            continue;
        struct st_thread keep = t->pub;
        char *comm = t->pub.comm;
        t->pub.comm = NULL;
        st_thread_copy_proc(t, &m->pub);
        /* ids, comm, credentials, start time are the thread's own */
        free(t->pub.comm);
        t->pub.comm = comm;
        t->pub.uid = keep.uid;
        t->pub.gid = keep.gid;
        t->pub.euid = keep.euid;
        t->pub.egid = keep.egid;
        st_fdt_unref(t->pub.fds);
        t->pub.fds = m->pub.fds;
        st_fdt_ref(t->pub.fds);
    }
}

/* Moves every thread of tmp into st (mains first, so the others find
 * their group), skipping tids st knows when merging. */
static void move_threads(struct state *st, struct state *tmp, bool replace)
{
    struct st_hash h = tmp->threads;
    tmp->threads = (struct st_hash){ 0 };
    tmp->lru_head = tmp->lru_tail = NULL;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < h.cap; i++) {
            struct st_thr *t = h.slots[i].val;
            if (!t || (t->pub.tid == t->pub.pid) != (pass == 0))
                continue;
            h.slots[i].val = NULL;
            if (!replace && st_hash_get(&st->threads, t->pub.tid)) {
                /* free through a one-thread scratch table */
                st_hash_put(&tmp->threads, t->pub.tid, t);
                continue;
            }
            struct st_thr *m = pass ? st_hash_get(&st->threads, t->pub.pid) : NULL;
            st_thread_adopt(st, t);
            if (m && m->pub.fds != t->pub.fds) {
                st_fdt_unref(t->pub.fds);
                t->pub.fds = m->pub.fds;
                st_fdt_ref(t->pub.fds);
            }
        }
    st_hash_free(&h);
    st_recount_children(st);
}

static void free_foreign(struct st_hash *h)
{
    for (size_t i = 0; i < h->cap; i++)
        if (h->slots[i].val)
            st_fdt_unref(h->slots[i].val);
    st_hash_free(h);
}

/* Merge: the fds the state does not know yet, into its processes. */
static void add_foreign(struct state *st, struct st_hash *h)
{
    for (size_t i = 0; i < h->cap; i++) {
        struct st_fdtable *tab = h->slots[i].val;
        struct st_thr *t = tab ? st_hash_get(&st->threads, h->slots[i].key) : NULL;
        for (struct st_fdi *f = t ? tab->oldest : NULL; f; f = f->newer) {
            if (st_fd_get(t->pub.fds, f->pub.num))
                continue;
            struct st_fdi *n = st_fd_add(st, t->pub.fds, f->pub.num);
            if (n)
                st_fd_copy_into(n, f);
        }
    }
    free_foreign(h);
}

int st_checkpoint_load(struct state *st, const uint8_t *payload, size_t len, bool replace,
                       char *err, size_t errlen)
{
    struct state_limits lim = st->lim;
    lim.max_threads = SIZE_MAX;
    struct state *tmp = state_new(&lim);
    if (!tmp) {
        snprintf(err, errlen, "checkpoint: out of memory");
        return -1;
    }
    tmp->boot_ns = st->boot_ns;
    struct cp cp = { .tmp = tmp, .real = st, .replace = replace, .err = err, .errlen = errlen };
    int rc = decode(&cp, payload, len, 1);
    if (!rc)
        rc = decode(&cp, payload, len, 2);
    if (rc) {
        free_foreign(&cp.foreign);
        state_free(tmp);
        return -1;
    }
    if (cp.scap_fds)
        fix_scap_sockets(tmp);
    complete_threads(tmp, replace ? NULL : st);
    add_foreign(st, &cp.foreign);
    if (replace)
        st_thread_free_all(st);
    move_threads(st, tmp, replace);
    st_tables_merge(st, &tmp->tabs, replace);
    st->stats.containers_evicted += tmp->stats.containers_evicted;
    st->stats.fds_evicted += tmp->stats.fds_evicted;
    if (tmp->nifaces || replace) {
        memcpy(st->ifaces, tmp->ifaces, sizeof st->ifaces);
        st->nifaces = tmp->nifaces;
    }
    st->stats.checkpoints_loaded++;
    state_free(tmp);
    return 0;
}
