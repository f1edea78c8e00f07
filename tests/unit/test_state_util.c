/* test_state_util.c -- the helpers of test_state.h: events of the real
 * recorder schema, built parameter by parameter, and checkpoint records. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>

#include "../../capture/event_table.h"
#include "test_state.h"

static const struct skr_schema *schema(void)
{
    static struct skr_schema s;
    static bool made;
    if (!made) {
        skr_schema_from_table(&s, saker_evt_table, SAKER_EVT_COUNT);
        made = true;
    }
    return &s;
}

void tev_init(struct tev *e, const char *name, int64_t tid)
{
    int id = skr_schema_find(schema(), name);
    ck_assert_msg(id >= 0, "no event %s in the schema", name);
    memset(e, 0, sizeof *e);
    e->ev.def = schema()->defs[id];
    e->ev.type = (uint16_t)id;
    e->ev.tid = tid;
    e->ev.nparams = e->ev.def->nparams;
}

static struct skr_value *param(struct tev *e, const char *name)
{
    for (int i = 0; i < e->ev.nparams; i++)
        if (!strcmp(e->ev.def->params[i].name, name))
            return &e->ev.params[i];
    ck_abort_msg("%s has no parameter %s", e->ev.def->name, name);
    return NULL;
}

void tev_s(struct tev *e, const char *p, int64_t v)
{
    struct skr_value *x = param(e, p);
    x->s = v;
    x->u = (uint64_t)v;
}

void tev_u(struct tev *e, const char *p, uint64_t v)
{
    struct skr_value *x = param(e, p);
    x->u = v;
    x->s = (int64_t)v;
}

void tev_b(struct tev *e, const char *p, const void *ptr, size_t n)
{
    struct skr_value *x = param(e, p);
    x->ptr = ptr;
    x->len = (uint32_t)n;
}

void tev_str(struct tev *e, const char *p, const char *s)
{
    tev_b(e, p, s, strlen(s));
}

static size_t tuple(uint8_t *buf, int fam, const char *sip, uint16_t sport, const char *dip,
                    uint16_t dport)
{
    size_t alen = fam == AF_INET ? 4 : 16, off = 0;
    buf[off++] = (uint8_t)fam;
    inet_pton(fam, sip, buf + off);
    off += alen;
    skr_store_u16(buf + off, sport);
    off += 2;
    inet_pton(fam, dip, buf + off);
    off += alen;
    skr_store_u16(buf + off, dport);
    return off + 2;
}

size_t tev_tuple4(uint8_t *buf, const char *sip, uint16_t sport, const char *dip, uint16_t dport)
{
    return tuple(buf, AF_INET, sip, sport, dip, dport);
}

size_t tev_tuple6(uint8_t *buf, const char *sip, uint16_t sport, const char *dip, uint16_t dport)
{
    return tuple(buf, AF_INET6, sip, sport, dip, dport);
}

struct st_event tev_apply(struct state *st, struct tev *e)
{
    static uint64_t now = 1700000000000000000ull;
    struct st_event out;
    now += 1000;
    e->ev.ts = now;
    state_apply(st, &e->ev, &out);
    return out;
}

struct st_event ev_open(struct state *st, int64_t tid, int64_t fd, int64_t dirfd, const char *name,
                        uint32_t flags)
{
    struct tev e;
    tev_init(&e, "openat", tid);
    tev_s(&e, "fd", fd);
    tev_s(&e, "dirfd", dirfd);
    tev_str(&e, "name", name);
    tev_u(&e, "flags", flags);
    return tev_apply(st, &e);
}

struct st_event ev_close(struct state *st, int64_t tid, int64_t fd)
{
    struct tev e;
    tev_init(&e, "close", tid);
    tev_s(&e, "res", 0);
    tev_s(&e, "fd", fd);
    return tev_apply(st, &e);
}

struct st_event ev_clone_parent(struct state *st, const char *name, int64_t tid, int64_t child,
                                uint64_t flags)
{
    struct tev e;
    tev_init(&e, name, tid);
    tev_s(&e, "res", child);
    tev_s(&e, "tid", tid);
    tev_u(&e, "flags", flags);
    return tev_apply(st, &e);
}

struct st_event ev_clone_child(struct state *st, const char *name, int64_t tid, int64_t pid,
                               int64_t ppid)
{
    struct tev e;
    tev_init(&e, name, tid);
    tev_s(&e, "res", 0);
    tev_s(&e, "tid", tid);
    tev_s(&e, "pid", pid);
    tev_s(&e, "ptid", ppid);
    tev_s(&e, "vtid", tid);
    tev_s(&e, "vpid", pid);
    return tev_apply(st, &e);
}

struct st_event ev_procexit(struct state *st, int64_t tid, int64_t reaper)
{
    struct tev e;
    tev_init(&e, "procexit", tid);
    tev_s(&e, "reaper_tid", reaper);
    return tev_apply(st, &e);
}

struct st_event ev_nop(struct state *st, int64_t tid)
{
    struct tev e;
    tev_init(&e, "syscall", tid);
    tev_u(&e, "ID", 39);
    return tev_apply(st, &e);
}

void cp_thread(struct skr_buf *b, int64_t tid, int64_t pid, int64_t ppid, const char *comm,
               const char *cwd)
{
    struct skr_buf r = { 0 };
    skr_put_field_s(&r, SKR_CPT_TID, tid);
    skr_put_field_s(&r, SKR_CPT_PID, pid);
    skr_put_field_s(&r, SKR_CPT_PPID, ppid);
    skr_put_field_str(&r, SKR_CPT_COMM, comm);
    if (tid == pid) {
        skr_put_field_str(&r, SKR_CPT_EXE, comm);
        skr_put_field_str(&r, SKR_CPT_EXEPATH, "/usr/bin/app");
        skr_put_field_str(&r, SKR_CPT_ARG, "-x");
        skr_put_field_str(&r, SKR_CPT_CWD, cwd);
        skr_put_field_s(&r, SKR_CPT_SID, pid);
    }
    skr_put_field_u(&r, SKR_CPT_UID, 1000);
    skr_put_field_u(&r, SKR_CPT_START_NS, 5);
    skr_put_field_bytes(b, SKR_CP_THREAD, r.data, r.len);
    skr_buf_free(&r);
}

void cp_fd(struct skr_buf *b, int64_t pid, int64_t fd, char type, const char *name,
           uint64_t flags)
{
    struct skr_buf r = { 0 };
    skr_put_field_s(&r, SKR_CPF_PID, pid);
    skr_put_field_s(&r, SKR_CPF_FD, fd);
    skr_put_field_u(&r, SKR_CPF_TYPE, (uint8_t)type);
    skr_put_field_str(&r, SKR_CPF_NAME, name);
    skr_put_field_u(&r, SKR_CPF_FLAGS, flags);
    skr_put_field_bytes(b, SKR_CP_FD, r.data, r.len);
    skr_buf_free(&r);
}

struct state *state_with_shell(const struct state_limits *lim)
{
    struct state *st = state_new(lim);
    ck_assert_ptr_nonnull(st);
    struct skr_buf b = { 0 };
    /* fds before their threads: records come in any order (§8) */
    for (int fd = 0; fd < 3; fd++)
        cp_fd(&b, 100, fd, 'f', "/dev/pts/0", O_RDWR);
    cp_fd(&b, 100, 3, 'f', "/etc/app.conf", O_RDONLY | O_CLOEXEC);
    cp_thread(&b, 1, 1, 0, "systemd", "/");
    cp_thread(&b, 101, 100, 1, "bash-worker", NULL);
    cp_thread(&b, 100, 100, 1, "bash", "/home/u");
    char err[256];
    ck_assert_msg(state_load_checkpoint(st, b.data, b.len, true, err, sizeof err) == 0, "%s",
                  err);
    skr_buf_free(&b);
    return st;
}
