/* fields_fd.c -- the fd.* field class (the file descriptor an event works
 * on, as the replayed state knows it) and fs.path.* (the paths a file-
 * system syscall names), plus the path resolution both share with
 * evt.arg.
 *
 * The fd comes from state_apply (struct st_event.fd). When the state does
 * not know it but the event names the file itself -- an open that failed,
 * or one whose fd the state has not seen -- fd.name, fd.nameraw,
 * fd.directory and fd.filename come from the event's own name argument,
 * made absolute, as libsinsp does for events without an fd entry.
 *
 * Socket endpoints follow libsinsp: a tuple's source side is the client,
 * its destination the server (struct st_tuple sip/sport, dip/dport); local
 * and remote then depend on which end this process is (st_fd.role). Names
 * of addresses are never looked up: offline, fd.*ip.name have no value. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fields_int.h"

/* ---- paths ---- */

/* Appends the components of p[0..n) to out (whose part from mark on is an
 * absolute normalised path), applying "." and "..". */
static void add_components(struct skr_buf *out, size_t mark, const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && p[i] == '/')
            i++;
        size_t s = i;
        while (i < n && p[i] != '/')
            i++;
        size_t l = i - s;
        if (l == 0 || (l == 1 && p[s] == '.'))
            continue;
        if (l == 2 && p[s] == '.' && p[s + 1] == '.') {
            size_t k = out->len;
            while (k > mark && out->data[k - 1] != '/')
                k--;
            out->len = k > mark ? k - 1 : mark;
            continue;
        }
        skr_put_u8(out, '/');
        skr_put_raw(out, p + s, l);
    }
}

void fieldpath_resolve(struct skr_buf *out, const char *base, size_t baselen,
                       const uint8_t *path, size_t len)
{
    size_t mark = out->len;
    bool absolute = len > 0 && path[0] == '/';
    if (!absolute && (!base || !baselen)) {
        skr_put_raw(out, path, len);
        return;
    }
    if (!absolute)
        add_components(out, mark, (const uint8_t *)base, baselen);
    add_components(out, mark, path, len);
    if (out->len == mark)
        skr_put_u8(out, '/');
}

const struct st_fd *fieldfd_lookup(const struct fld_ctx *ctx, int64_t fd)
{
    const struct st_event *se = ctx->se;
    if (!se)
        return NULL;
    if (se->fd && se->fd->num == fd)
        return se->fd;
    if (!ctx->st || !se->thread || fd < 0)
        return NULL;
    return state_fd(ctx->st, se->thread, fd);
}

enum { AT_FDCWD_VALUE = -100 };

const char *fieldfd_base(const struct fld_ctx *ctx, int64_t dirfd, bool has_dirfd, size_t *len)
{
    const char *b = NULL;
    if (has_dirfd && dirfd != AT_FDCWD_VALUE) {
        const struct st_fd *fd = fieldfd_lookup(ctx, dirfd);
        b = fd ? fd->name : NULL;
    } else {
        const struct st_thread *th = ctx->se ? ctx->se->thread : NULL;
        b = th ? th->cwd : NULL;
    }
    *len = b ? strlen(b) : 0;
    return b;
}

const char *fieldfd_type_name(char type)
{
    switch (type) {
    case ST_FD_FILE: return "file";
    case ST_FD_DIR: return "directory";
    case ST_FD_IPV4: return "ipv4";
    case ST_FD_IPV6: return "ipv6";
    case ST_FD_UNIX: return "unix";
    case ST_FD_PIPE: return "pipe";
    case ST_FD_EVENT: return "event";
    case ST_FD_SIGNALFD: return "signalfd";
    case ST_FD_EVENTPOLL: return "eventpoll";
    case ST_FD_INOTIFY: return "inotify";
    case ST_FD_TIMERFD: return "timerfd";
    case ST_FD_NETLINK: return "netlink";
    case ST_FD_BPF: return "bpf";
    case ST_FD_USERFAULTFD: return "userfaultfd";
    case ST_FD_IOURING: return "io_uring";
    case ST_FD_MEMFD: return "memfd";
    case ST_FD_PIDFD: return "pidfd";
    default: return "unknown";
    }
}

/* ---- the event's fd ---- */

static const struct st_fd *cur(const struct fld_ctx *c) { return c->se ? c->se->fd : NULL; }

static void push_cstr(struct fvals *o, const char *s)
{
    if (s)
        fvals_str(o, s, strlen(s));
}

static bool is_ip(const struct st_fd *fd)
{
    return (fd->type == ST_FD_IPV4 || fd->type == ST_FD_IPV6) &&
           (fd->tuple.family == AF_INET || fd->tuple.family == AF_INET6);
}

/* The path an open-like event names when its fd is not in the state:
 * pushes the raw or the resolved path. */
static const char *const named_opens[] = { "open", "openat", "openat2", "creat", NULL };

static bool event_path(const struct fld_ctx *c, bool raw, struct fvals *o)
{
    const char *n = c->ev->def->name;
    bool hit = false;
    for (const char *const *p = named_opens; *p && !hit; p++)
        hit = !strcmp(n, *p);
    if (!hit)
        return false;
    const struct skr_param_def *pd;
    const struct skr_value *v = fieldarg_get(c, "name", &pd);
    if (!v || pd->wire != SKR_WIRE_BYTES)
        return false;
    if (raw) {
        fvals_str(o, (const char *)v->ptr, v->len);
        return true;
    }
    const struct skr_param_def *dpd;
    const struct skr_value *dv = fieldarg_get(c, "dirfd", &dpd);
    size_t blen;
    const char *base = fieldfd_base(c, dv ? dv->s : 0, dv != NULL, &blen);
    fieldpath_resolve(fld_builder(), base, blen, v->ptr, v->len);
    fld_builder_keep(c, o);
    return true;
}

/* An event of an imported capture (ENTER/EXIT), whose fd.* fields follow
 * libsinsp's rules (state.c scap_fd): values only on fd events. */
static bool scap_ev(const struct fld_ctx *c)
{
    return c->se && c->ev->def && c->ev->def->dir != SKR_DIR_COMBINED;
}

/* libsinsp's guess of the type of the fd an event makes, for fd.typechar
 * when the fd is not in the state. */
static char typechar_of_event(const char *name)
{
    static const struct { const char *name; char type; } map[] = {
        { "open", 'f' }, { "openat", 'f' }, { "openat2", 'f' }, { "creat", 'f' },
        { "open_by_handle_at", 'f' }, { "socket", '4' }, { "accept", '4' },
        { "accept4", '4' }, { "pipe", 'p' }, { "pipe2", 'p' }, { "eventfd", 'e' },
        { "eventfd2", 'e' }, { "signalfd", 's' }, { "signalfd4", 's' },
        { "timerfd_create", 't' }, { "inotify_init", 'i' }, { "inotify_init1", 'i' },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i].name, name))
            return map[i].type;
    return 'o';
}

/* fd.name of a capture's event whose fd is not in the state: an EXIT's
 * path or tuple for the events that name one, "" for other EXITs, no value
 * for ENTERs (libsinsp's extract_fdname_from_event). */
static void scap_event_name(const struct fld_ctx *c, struct fvals *o)
{
    const struct skr_event_def *d = c->ev->def;
    if (d->dir != SKR_DIR_EXIT)
        return;
    const char *n = d->name;
    if (!strcmp(n, "openat") || !strcmp(n, "openat2")) {
        event_path(c, false, o);
        return;
    }
    if (!strcmp(n, "open") || !strcmp(n, "creat") || !strcmp(n, "accept") ||
        !strcmp(n, "accept4") || !strcmp(n, "connect")) {
        if (c->ev->nparams > 1) {
            struct skr_buf *b = fld_builder();
            fieldarg_render(c, c->ev, 1, FA_VALUE, b);
            fld_builder_keep(c, o);
        }
        return;
    }
    fvals_str(o, "", 0);
}

static void x_num(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    if (scap_ev(c)) {
        if (c->se->fd_event)
            fvals_int(o, c->se->fdnum);
        return;
    }
    if (c->se && c->se->fdnum >= 0) {
        fvals_int(o, c->se->fdnum);
        return;
    }
    const struct skr_param_def *pd;
    const struct skr_value *v = c->se ? NULL : fieldarg_get(c, "fd", &pd);
    if (v && pd->type == SKR_PT_FD && v->s >= 0)
        fvals_int(o, v->s);
}

static void x_type(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    if (cur(c))
        push_cstr(o, fieldfd_type_name(cur(c)->type));
}

static void x_typechar(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_fd *fd = cur(c);
    char t = fd ? fd->type : 0;
    if (scap_ev(c) && c->se->fd_event && !fd)
        t = typechar_of_event(c->ev->def->name);
    if (!t)
        return;
    /* Every letter state.h and typechar_of_event use, to point into
     * rather than copy one byte per event to the scratch memory (every
     * open rule of Falco's asks for fd.typechar). */
    static const char letters[] = "fd46upesltinbvrmPo";
    const char *s = memchr(letters, t, sizeof letters - 1);
    if (!s)
        s = fld_scratch_dup(c->scratch, &t, 1);
    if (s)
        fvals_str(o, s, 1);
}

static void x_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    /* sysdig names a failed connect by the event's tuple, not by the fd
     * (which the failure left unnamed) */
    int64_t res;
    bool failed_connect = scap_ev(c) && c->se->fd_event &&
                          !strcmp(c->ev->def->name, "connect") &&
                          c->ev->def->dir == SKR_DIR_EXIT && fieldarg_res(c->ev, &res) && res < 0;
    if (cur(c) && !failed_connect)
        push_cstr(o, cur(c)->name);
    else if (scap_ev(c)) {
        if (c->se->fd_event)
            scap_event_name(c, o);
    } else
        event_path(c, false, o);
}

static void x_nameraw(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    if (!event_path(c, true, o) && cur(c))
        push_cstr(o, cur(c)->name);
}

/* The file's path as fd.directory and fd.filename split it. */
static bool file_path(const struct fld_ctx *c, const char **s, size_t *len, bool *dir)
{
    const struct st_fd *fd = cur(c);
    if (fd) {
        if (!fd->name || (fd->type != ST_FD_FILE && fd->type != ST_FD_DIR))
            return false;
        *s = fd->name;
        *len = strlen(fd->name);
        *dir = fd->type == ST_FD_DIR;
        return true;
    }
    struct fvals tmp = { 0 };
    if (!event_path(c, false, &tmp) || tmp.n != 1)
        return false;
    *s = tmp.v[0].s;
    *len = tmp.v[0].len;
    *dir = false;
    return true;
}

static void x_directory(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const char *s;
    size_t n;
    bool dir;
    if (!file_path(c, &s, &n, &dir))
        return;
    if (dir) {
        fvals_str(o, s, n);
        return;
    }
    const char *slash = memrchr(s, '/', n);
    if (slash)
        fvals_str(o, s, slash == s ? 1 : (size_t)(slash - s));
}

static void x_filename(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const char *s;
    size_t n;
    bool dir;
    if (!file_path(c, &s, &n, &dir) || dir)
        return;
    const char *slash = memrchr(s, '/', n);
    const char *b = slash ? slash + 1 : s;
    fvals_str(o, b, n - (size_t)(b - s));
}

/* libsinsp chains the container id and the name: "<id>:<name>", with
 * "host" for processes outside containers. */
static void container_chain(const struct fld_ctx *c, const char *s, size_t n, struct fvals *o)
{
    const struct st_thread *th = c->se ? c->se->thread : NULL;
    const char *id = th && th->container_id && *th->container_id ? th->container_id : "host";
    struct skr_buf *b = fld_builder();
    skr_put_raw(b, id, strlen(id));
    skr_put_u8(b, ':');
    skr_put_raw(b, s, n);
    fld_builder_keep(c, o);
}

static void x_containername(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    struct fvals v = { .n = 0 };
    x_name(r, c, &v);
    if (v.n == 1)
        container_chain(c, v.v[0].s, v.v[0].len, o);
}

static void x_containerdirectory(const struct field_ref *r, const struct fld_ctx *c,
                                 struct fvals *o)
{
    struct fvals v = { .n = 0 };
    x_directory(r, c, &v);
    if (v.n == 1)
        container_chain(c, v.v[0].s, v.v[0].len, o);
}

/* ---- sockets ---- */

enum end { CLIENT, SERVER, LOCAL, REMOTE };

/* Which tuple side an end is: 0 source (client), 1 destination (server);
 * -1 when unknown. */
static int side(const struct st_fd *fd, enum end e)
{
    switch (e) {
    case CLIENT: return 0;
    case SERVER: return 1;
    case LOCAL:
    case REMOTE:
        if (fd->role == ST_ROLE_NONE)
            return -1;
        return (fd->role == ST_ROLE_SERVER) == (e == LOCAL) ? 1 : 0;
    }
    return -1;
}

static void push_ip(struct fvals *o, const struct st_fd *fd, int s)
{
    if (o->n >= FVALS_MAX)
        return;
    struct fval v = { .type = FT_IPADDR, .ipfam = fd->tuple.family == AF_INET6 ? 6 : 4 };
    memcpy(v.ip, s ? fd->tuple.dip : fd->tuple.sip, v.ipfam == 6 ? 16 : 4);
    o->v[o->n++] = v;
}

/* libsinsp has no client address for a capture's socket that is only
 * bound or listening (its role is none; its client port still reads 0):
 * saker keeps such a socket as a server with an all-zero source. */
static bool scap_unbound_client(const struct fld_ctx *c, const struct st_fd *fd, enum end e)
{
    static const uint8_t zero[16];
    return e == CLIENT && scap_ev(c) && fd->role == ST_ROLE_SERVER && !fd->tuple.sport &&
           !memcmp(fd->tuple.sip, zero, sizeof zero);
}

/* libsinsp gives no ends of a socket that neither connected nor was
 * accepted nor was bound to a port (role none), e.g. one bound to port 0. */
static bool scap_roleless(const struct fld_ctx *c, const struct st_fd *fd)
{
    return scap_ev(c) && fd->role == ST_ROLE_NONE;
}

static void ip_of(const struct fld_ctx *c, enum end e, struct fvals *o)
{
    const struct st_fd *fd = cur(c);
    int s = fd && is_ip(fd) && !scap_unbound_client(c, fd, e) && !scap_roleless(c, fd)
                ? side(fd, e) : -1;
    if (s >= 0)
        push_ip(o, fd, s);
}

static void port_of(const struct fld_ctx *c, enum end e, struct fvals *o)
{
    const struct st_fd *fd = cur(c);
    /* sysdig 0.29 still reads the client port of such a socket (0) */
    bool no_client = fd && scap_unbound_client(c, fd, e) && c->se->scap_new;
    int s = fd && is_ip(fd) && !no_client && !scap_roleless(c, fd) ? side(fd, e) : -1;
    /* a listening socket of a capture's fd table has no role but its port */
    if (s < 0 && e == SERVER && fd && is_ip(fd) && scap_roleless(c, fd) && fd->tuple.dport &&
        !fd->tuple.sport && !memcmp(fd->tuple.sip, (const uint8_t[16]){ 0 }, 16))
        s = 1;
    if (s >= 0)
        fvals_uint(o, s ? fd->tuple.dport : fd->tuple.sport);
    /* libs 0.9's fd.cport of a socket with a role but no IP ends (unix)
     * falls through to fd.cproto's empty string, which sysdig 0.29 prints
     * as port 0; libs 0.14 stops there (no value). */
    else if (fd && fd->type == ST_FD_UNIX && fd->role != ST_ROLE_NONE && e == CLIENT &&
             scap_ev(c) && !c->se->scap_new)
        fvals_uint(o, 0);
}

static void x_cip(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; ip_of(c, CLIENT, o); }
static void x_sip(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; ip_of(c, SERVER, o); }
static void x_lip(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; ip_of(c, LOCAL, o); }
static void x_rip(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; ip_of(c, REMOTE, o); }
static void x_cport(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; port_of(c, CLIENT, o); }
static void x_sport(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; port_of(c, SERVER, o); }
static void x_lport(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; port_of(c, LOCAL, o); }
static void x_rport(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; port_of(c, REMOTE, o); }

/* fd.ip, fd.net: either end matches (the filter tries each value). */
static void x_ip(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    ip_of(c, CLIENT, o);
    ip_of(c, SERVER, o);
}

static void x_port(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    port_of(c, CLIENT, o);
    port_of(c, SERVER, o);
}

static void x_l4proto(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_fd *fd = cur(c);
    if (!fd || (fd->type != ST_FD_IPV4 && fd->type != ST_FD_IPV6))
        return;
    switch (fd->tuple.l4proto) {
    case 6: push_cstr(o, "tcp"); break;
    case 17: push_cstr(o, "udp"); break;
    case 1:
    case 58: push_cstr(o, "icmp"); break;
    case 255: push_cstr(o, "raw"); break;
    default: break;
    }
}

static void x_sockfamily(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_fd *fd = cur(c);
    if (fd && (fd->type == ST_FD_IPV4 || fd->type == ST_FD_IPV6))
        push_cstr(o, "ip");
    else if (fd && fd->type == ST_FD_UNIX)
        push_cstr(o, "unix");
}

static void x_is_server(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    if (cur(c))
        fvals_bool(o, cur(c)->role == ST_ROLE_SERVER);
}

/* The state records a socket's role once it connected or accepted; that
 * stands for libsinsp's "connected" flag. */
static void x_connected(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_fd *fd = cur(c);
    if (!fd)
        return;
    bool sock = fd->type == ST_FD_IPV4 || fd->type == ST_FD_IPV6 || fd->type == ST_FD_UNIX;
    fvals_bool(o, sock && fd->role != ST_ROLE_NONE);
}

static void x_name_changed(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    if (cur(c))
        fvals_bool(o, cur(c)->name_changed);
}

/* dev and ino: the state's, else the event's own arguments (an open
 * reports them); an fd with neither shows 0, as libsinsp does. */
static bool dev_ino(const struct fld_ctx *c, const char *pname, uint64_t *v)
{
    const struct st_fd *fd = cur(c);
    uint64_t sv = fd ? (!strcmp(pname, "dev") ? fd->dev : fd->ino) : 0;
    const struct skr_param_def *pd;
    const struct skr_value *pv = sv ? NULL : fieldarg_get(c, pname, &pd);
    if (pv && pd->wire == SKR_WIRE_VARINT)
        sv = pv->u;
    else if (!fd && !sv)
        return false;
    *v = sv;
    return true;
}

static void x_dev(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    uint64_t v;
    if (dev_ino(c, "dev", &v))
        fvals_int(o, (int64_t)(uint32_t)v);
}

static void x_ino(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    uint64_t v;
    if (dev_ino(c, "ino", &v))
        fvals_int(o, (int64_t)v);
}

struct types_acc {
    const char *names[32];
    size_t n;
};

static void collect_type(void *ctx, const struct st_fd *fd)
{
    struct types_acc *a = ctx;
    const char *t = fieldfd_type_name(fd->type);
    for (size_t i = 0; i < a->n; i++)
        if (a->names[i] == t)
            return;
    if (a->n < sizeof a->names / sizeof a->names[0])
        a->names[a->n++] = t;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* libsinsp keeps the types in a set: each once, in name order. */
static void x_types(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    const struct st_thread *th = c->se ? c->se->thread : NULL;
    if (r->has_arg) {
        const struct st_fd *fd = fieldfd_lookup(c, r->arg_index);
        if (fd)
            push_cstr(o, fieldfd_type_name(fd->type));
        return;
    }
    if (!th || !c->st)
        return;
    struct types_acc a = { .n = 0 };
    state_foreach_fd(c->st, th, collect_type, &a);
    qsort(a.names, a.n, sizeof a.names[0], cmp_str);
    for (size_t i = 0; i < a.n; i++)
        push_cstr(o, a.names[i]);
}

static void x_none(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    (void)c;
    (void)o;
}

/* ---- fs.path ---- */

/* libsinsp's fs.path events: the parameter(s) naming the path(s) and the
 * dirfd each is relative to ("" for the cwd). */
struct fspath_ev {
    const char *event;
    const char *name, *name_dirfd;        /* fs.path.name */
    const char *source, *source_dirfd;    /* fs.path.source */
    const char *target, *target_dirfd;    /* fs.path.target */
};

static const struct fspath_ev fspath_events[] = {
    { "mkdir", "path", "", NULL, NULL, NULL, NULL },
    { "mkdirat", "path", "dirfd", NULL, NULL, NULL, NULL },
    { "rmdir", "path", "", NULL, NULL, NULL, NULL },
    { "unlink", "path", "", NULL, NULL, NULL, NULL },
    { "unlinkat", "name", "dirfd", NULL, NULL, NULL, NULL },
    { "chmod", "filename", "", NULL, NULL, NULL, NULL },
    { "fchmodat", "filename", "dirfd", NULL, NULL, NULL, NULL },
    { "chown", "path", "", NULL, NULL, NULL, NULL },
    { "lchown", "path", "", NULL, NULL, NULL, NULL },
    { "fchownat", "pathname", "dirfd", NULL, NULL, NULL, NULL },
    { "fchmod", "", NULL, NULL, NULL, NULL, NULL },
    { "fchown", "", NULL, NULL, NULL, NULL, NULL },
    { "rename", NULL, NULL, "oldpath", "", "newpath", "" },
    { "renameat", NULL, NULL, "oldpath", "olddirfd", "newpath", "newdirfd" },
    { "renameat2", NULL, NULL, "oldpath", "olddirfd", "newpath", "newdirfd" },
    { "link", NULL, NULL, "oldpath", "", "newpath", "" },
    { "linkat", NULL, NULL, "oldpath", "olddir", "newpath", "newdir" },
    { "symlink", NULL, NULL, "target", "", "linkpath", "" },
    { "symlinkat", NULL, NULL, "target", "", "linkpath", "linkdirfd" },
};

enum fs_what { FS_NAME, FS_SOURCE, FS_TARGET };

static void fspath(const struct fld_ctx *c, enum fs_what w, bool raw, struct fvals *o)
{
    const struct fspath_ev *e = NULL;
    for (size_t i = 0; i < sizeof fspath_events / sizeof fspath_events[0] && !e; i++)
        if (!strcmp(fspath_events[i].event, c->ev->def->name))
            e = &fspath_events[i];
    if (!e)
        return;
    const char *pname = w == FS_NAME ? e->name : w == FS_SOURCE ? e->source : e->target;
    const char *dname = w == FS_NAME ? e->name_dirfd : w == FS_SOURCE ? e->source_dirfd
                                                                      : e->target_dirfd;
    if (!pname)
        return;
    if (!*pname) {
        /* fd-based calls (fchmod): the fd's path */
        if (cur(c))
            push_cstr(o, cur(c)->name);
        return;
    }
    const struct skr_param_def *pd;
    const struct skr_value *v = fieldarg_get(c, pname, &pd);
    if (!v || pd->wire != SKR_WIRE_BYTES)
        return;
    if (raw) {
        fvals_str(o, (const char *)v->ptr, v->len);
        return;
    }
    const struct skr_value *dv = *dname ? fieldarg_get(c, dname, &pd) : NULL;
    size_t blen;
    const char *base = fieldfd_base(c, dv ? dv->s : 0, dv != NULL, &blen);
    fieldpath_resolve(fld_builder(), base, blen, v->ptr, v->len);
    fld_builder_keep(c, o);
}

static void x_fs_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; fspath(c, FS_NAME, false, o); }
static void x_fs_nameraw(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; fspath(c, FS_NAME, true, o); }
static void x_fs_source(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; fspath(c, FS_SOURCE, false, o); }
static void x_fs_sourceraw(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; fspath(c, FS_SOURCE, true, o); }
static void x_fs_target(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; fspath(c, FS_TARGET, false, o); }
static void x_fs_targetraw(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{ (void)r; fspath(c, FS_TARGET, true, o); }

#define F(n, t, ft, fl, d, x) { n, t, ft, fl, d, x, FP_DEFAULT }
#define NET_ONLY (FF_FILTER_ONLY | FF_NO_RHS)

const struct field_def fields_fd[] = {
    F("fd.num", FT_INT, "INT64", 0, "the fd number the event works on", x_num),
    F("fd.type", FT_STRING, "CHARBUF", 0, "what the fd is: file, directory, ipv4, unix, pipe...",
      x_type),
    F("fd.typechar", FT_STRING, "CHARBUF", 0, "the fd's type as one letter (f, d, 4, 6, u, p...)",
      x_typechar),
    F("fd.name", FT_STRING, "CHARBUF", 0, "the file's path, or a socket's endpoints", x_name),
    F("fd.nameraw", FT_STRING, "CHARBUF", 0, "the path as the program gave it", x_nameraw),
    F("fd.directory", FT_STRING, "CHARBUF", 0, "the directory of a file fd", x_directory),
    F("fd.filename", FT_STRING, "CHARBUF", 0, "the file name of a file fd, without directory",
      x_filename),
    F("fd.containername", FT_STRING, "CHARBUF", 0, "the container id and fd.name, as id:name",
      x_containername),
    F("fd.containerdirectory", FT_STRING, "CHARBUF", 0,
      "the container id and fd.directory, as id:directory", x_containerdirectory),
    F("fd.ip", FT_IPADDR, "IPADDR", NET_ONLY, "matches either end's IP address", x_ip),
    F("fd.cip", FT_IPADDR, "IPADDR", 0, "the client's IP address", x_cip),
    F("fd.sip", FT_IPADDR, "IPADDR", 0, "the server's IP address", x_sip),
    F("fd.lip", FT_IPADDR, "IPADDR", 0, "this process's end's IP address", x_lip),
    F("fd.rip", FT_IPADDR, "IPADDR", 0, "the peer's IP address", x_rip),
    F("fd.port", FT_UINT, "PORT", NET_ONLY, "matches either end's port", x_port),
    F("fd.cport", FT_UINT, "PORT", 0, "the client's port", x_cport),
    F("fd.sport", FT_UINT, "PORT", 0, "the server's port", x_sport),
    F("fd.lport", FT_UINT, "PORT", 0, "this process's end's port", x_lport),
    F("fd.rport", FT_UINT, "PORT", 0, "the peer's port", x_rport),
    F("fd.net", FT_IPNET, "IPNET", NET_ONLY, "matches either end's network", x_ip),
    F("fd.cnet", FT_IPNET, "IPNET", NET_ONLY, "matches the client's network", x_cip),
    F("fd.snet", FT_IPNET, "IPNET", NET_ONLY, "matches the server's network", x_sip),
    F("fd.lnet", FT_IPNET, "IPNET", NET_ONLY, "matches this end's network", x_lip),
    F("fd.rnet", FT_IPNET, "IPNET", NET_ONLY, "matches the peer's network", x_rip),
    F("fd.cip.name", FT_STRING, "CHARBUF", FF_NO_RHS,
      "the client's host name, when the trace holds it", x_none),
    F("fd.sip.name", FT_STRING, "CHARBUF", FF_NO_RHS,
      "the server's host name, when the trace holds it", x_none),
    F("fd.lip.name", FT_STRING, "CHARBUF", FF_NO_RHS,
      "this end's host name, when the trace holds it", x_none),
    F("fd.rip.name", FT_STRING, "CHARBUF", FF_NO_RHS,
      "the peer's host name, when the trace holds it", x_none),
    F("fd.l4proto", FT_STRING, "CHARBUF", 0, "a socket's protocol: tcp, udp, icmp or raw",
      x_l4proto),
    F("fd.sockfamily", FT_STRING, "CHARBUF", 0, "a socket's family: ip or unix", x_sockfamily),
    F("fd.is_server", FT_BOOL, "BOOL", 0, "true when this process is the server end",
      x_is_server),
    F("fd.connected", FT_BOOL, "BOOL", 0, "true for a socket that is connected", x_connected),
    F("fd.is_connected", FT_BOOL, "BOOL", 0, "the same as fd.connected", x_connected),
    F("fd.name_changed", FT_BOOL, "BOOL", 0, "true when this event gave the fd its name",
      x_name_changed),
    { "fd.dev", FT_INT, "INT32", 0, "the device holding the file (hex)", x_dev, FP_HEX },
    F("fd.ino", FT_INT, "INT64", 0, "the file's inode number", x_ino),
    F("fd.types", FT_STRING, "CHARBUF", FF_LIST | FF_ARG_ALLOWED | FF_ARG_INDEX | FF_NO_RHS,
      "the types of the process's open fds, or of fd N with fd.types[N]", x_types),
    F("fs.path.name", FT_STRING, "CHARBUF", 0, "the absolute path a file-system call works on",
      x_fs_name),
    F("fs.path.nameraw", FT_STRING, "CHARBUF", 0, "that path as the program gave it",
      x_fs_nameraw),
    F("fs.path.source", FT_STRING, "CHARBUF", 0,
      "the absolute source path of a rename or link", x_fs_source),
    F("fs.path.sourceraw", FT_STRING, "CHARBUF", 0, "that source as the program gave it",
      x_fs_sourceraw),
    F("fs.path.target", FT_STRING, "CHARBUF", 0,
      "the absolute target path of a rename or link", x_fs_target),
    F("fs.path.targetraw", FT_STRING, "CHARBUF", 0, "that target as the program gave it",
      x_fs_targetraw),
};
const size_t fields_fd_count = sizeof fields_fd / sizeof fields_fd[0];
