/* fields_evt.c -- the evt.* field class: what an event is (number, time,
 * type, direction, cpu), its arguments (evt.arg, evt.rawarg, evt.args,
 * rendered in fields_evtarg.c), its result (evt.res, evt.failed) and what
 * kind of operation it is (evt.is_io, evt.is_open_read, evt.category).
 *
 * A saker recording has one COMBINED event per syscall; it answers as
 * libsinsp's exit event of that syscall would (evt.dir '<', evt.latency
 * 0), since the exit event is the one Falco rules match. Imported scap
 * captures keep ENTER/EXIT pairs; an exit's missing arguments come from its
 * enter event (struct st_event.enter). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "evtfmt.h"
#include "../reader/scap.h"
#include "fields_int.h"

#define NS_PER_S 1000000000ull

static void push(struct fvals *o, struct fval v)
{
    if (o->n < FVALS_MAX)
        o->v[o->n++] = v;
}

static void push_str(struct fvals *o, const char *s) { fvals_str(o, s, strlen(s)); }

/* Every openat rule asks this of every event: the first-byte test keeps
 * the strcmp calls to the names that can match. */
static bool name_in(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (name[0] == (*list)[0] && !strcmp(name, *list))
            return true;
    return false;
}

/* libs' event names of each kind (saker's schema uses the same names). */
static const char *const io_read_names[] = {
    "read", "pread", "readv", "preadv", "recv", "recvfrom", "recvmsg", "recvmmsg", NULL,
};
static const char *const io_write_names[] = {
    "write", "pwrite", "writev", "pwritev", "send", "sendto", "sendmsg", "sendmmsg",
    "sendfile", NULL,
};
static const char *const open_names[] = {
    "open", "openat", "openat2", "open_by_handle_at", NULL,
};

static bool is_io_read(const struct skr_event *ev) { return name_in(ev->def->name, io_read_names); }
static bool is_io_write(const struct skr_event *ev) { return name_in(ev->def->name, io_write_names); }

/* ---- event number, type, direction, cpu ---- */

static void x_num(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    fvals_uint(o, c->ev->num);
}

/* A capture's generic event ("syscall": a syscall libs has no event for)
 * is named by its syscall code, the ID parameter, as sysdig shows it. */
static const char *generic_name(const struct fld_ctx *c)
{
    const struct skr_event_def *d = c->ev->def;
    if (d->dir == SKR_DIR_COMBINED || strcmp(d->name, "syscall") != 0)
        return NULL;
    const struct skr_param_def *pd;
    const struct skr_value *v = fieldarg_get(c, "ID", &pd);
    if (!v)
        return NULL;
    /* sysdig 0.29 names a few codes otherwise; newer-libs captures
     * (state.h scap_new) take today's names */
    if (v->u < SKR_SCAP_SYSCALL_MAX && skr_scap_syscall_names_sysdig029[v->u] &&
        !(c->se && c->se->scap_new))
        return skr_scap_syscall_names_sysdig029[v->u];
    if (v->u < SKR_SCAP_SYSCALL_MAX && skr_scap_syscall_names[v->u])
        return skr_scap_syscall_names[v->u];
    return "<unknown>";
}

static void x_type(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const char *g = generic_name(c);
    const struct skr_event_def *d = c->ev->def;
    /* the few event ids sysdig 0.29 names otherwise ("sysdigevent") */
    if (!g && d->dir != SKR_DIR_COMBINED && !(c->se && c->se->scap_new) &&
        d->id < SKR_SCAP_EVENT_MAX_SYSDIG_0_29)
        g = skr_scap_event_names_sysdig029[d->id];
    push_str(o, g ? g : d->name);
}

/* evt.type.is.open: 1 on open events, 0 on others. */
static void x_type_is(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    fvals_uint(o, r->arg_key && !strcmp(r->arg_key, c->ev->def->name));
}

static void x_dir(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct skr_event_def *d = c->ev->def;
    /* libsinsp has only an enter event for a thread's exit. */
    if (d->dir == SKR_DIR_ENTER || !strcmp(d->name, "procexit"))
        push_str(o, ">");
    else if (d->dir == SKR_DIR_EXIT || d->dir == SKR_DIR_COMBINED)
        push_str(o, "<");
}

/* The rules engine decides checks on these once per event type
 * (filter_specialize). x_type, x_type_is and x_dir read nothing but the
 * definition, except evt.type of a capture's generic "syscall" events
 * (named by their ID argument) and of the ids sysdig 0.29 names otherwise
 * (which name depends on the capture's libs: st_event.scap_new). The
 * extractors themselves run on an event that has only d, so the values
 * are theirs by construction. */
bool field_value_for_def(const struct field_ref *ref, const struct skr_event_def *d,
                         struct fvals *out)
{
    out->n = 0;
    field_extract_fn x = ref->def->extract;
    if (!d || !d->name || (x != x_type && x != x_type_is && x != x_dir))
        return false;
    if (x == x_type && d->dir != SKR_DIR_COMBINED) {
        const char *old = d->id < SKR_SCAP_EVENT_MAX_SYSDIG_0_29
                              ? skr_scap_event_names_sysdig029[d->id] : NULL;
        if (!strcmp(d->name, "syscall") || (old && strcmp(old, d->name)))
            return false;
    }
    struct skr_event ev = { .def = d };
    struct fld_ctx c = { .ev = &ev };
    x(ref, &c, out);
    return true;
}

static void x_cpu(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    fvals_int(o, c->ev->cpu);
}

static void x_count(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    (void)c;
    fvals_uint(o, 1);
}

static void x_source(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    (void)c;
    push_str(o, "syscall");
}

static void x_none(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    (void)c;
    (void)o;
}

static void x_false(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    (void)c;
    fvals_bool(o, false);
}

static void x_hostname(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    if (c->hostname)
        push_str(o, c->hostname);
}

/* ---- time ---- */

static void x_time(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    evtfmt_time(fld_builder(), c->ev->ts);
    fld_builder_keep(c, o);
}

static void x_time_s(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    evtfmt_clock(fld_builder(), c->ev->ts, false, false, false);
    fld_builder_keep(c, o);
}

/* libsinsp's ts_to_iso_8601: UTC, nanoseconds, "+0000". */
static void x_iso8601(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    evtfmt_clock(fld_builder(), c->ev->ts, true, true, true);
    fld_builder_keep(c, o);
}

static void x_datetime(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    evtfmt_clock(fld_builder(), c->ev->ts, true, true, false);
    fld_builder_keep(c, o);
}

static void x_datetime_s(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    evtfmt_clock(fld_builder(), c->ev->ts, true, false, false);
    fld_builder_keep(c, o);
}

static void x_rawtime(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    push(o, (struct fval){ .type = FT_ABSTIME, .u = c->ev->ts });
}

static void x_rawtime_s(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    push(o, (struct fval){ .type = FT_ABSTIME, .u = c->ev->ts / NS_PER_S });
}

static void x_rawtime_ns(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    push(o, (struct fval){ .type = FT_ABSTIME, .u = c->ev->ts % NS_PER_S });
}

static uint64_t reltime(const struct fld_ctx *c)
{
    return c->ev->ts > c->trace_start_ns ? c->ev->ts - c->trace_start_ns : 0;
}

static void x_reltime(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    push(o, (struct fval){ .type = FT_RELTIME, .u = reltime(c) });
}

static void x_reltime_s(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    push(o, (struct fval){ .type = FT_RELTIME, .u = reltime(c) / NS_PER_S });
}

static void x_reltime_ns(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    push(o, (struct fval){ .type = FT_RELTIME, .u = reltime(c) % NS_PER_S });
}

/* A COMBINED event's enter and exit times are not kept apart: 0, as
 * libsinsp says for an event without a paired enter. */
static uint64_t latency(const struct fld_ctx *c)
{
    const struct skr_event *en = c->se ? c->se->enter : NULL;
    if (c->ev->def->dir != SKR_DIR_EXIT || !en || en->ts > c->ev->ts)
        return 0;
    return c->ev->ts - en->ts;
}

static void x_latency(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    push(o, (struct fval){ .type = FT_RELTIME, .u = latency(c) });
}

static void x_latency_s(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    push(o, (struct fval){ .type = FT_RELTIME, .u = latency(c) / NS_PER_S });
}

static void x_latency_ns(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    push(o, (struct fval){ .type = FT_RELTIME, .u = latency(c) % NS_PER_S });
}

/* ---- arguments ---- */

/* The event and position of the argument a reference names. evt.arg.NAME
 * caches the position per event definition: the cache lives in the
 * reference, which its owner (a compiled filter or format) keeps mutable;
 * extractors get it const only so that they do not change the argument. */
static const struct skr_event *arg_lookup(const struct field_ref *ref, const struct fld_ctx *c,
                                          int *idx)
{
    const struct skr_event *ev = c->ev;
    if (!ref->arg_key) {
        *idx = (int)ref->arg_index;
        return ref->arg_index >= 0 && ref->arg_index < ev->nparams ? ev : NULL;
    }
    struct field_ref *m = (struct field_ref *)ref;
    if (m->cache_key != ev->def) {
        m->cache_key = ev->def;
        m->cache_val = fieldarg_find(ev->def, ref->arg_key);
    }
    if (m->cache_val >= 0 && m->cache_val < ev->nparams) {
        *idx = m->cache_val;
        return ev;
    }
    const struct skr_event *en = c->se ? c->se->enter : NULL;
    int i = en ? fieldarg_find(en->def, ref->arg_key) : -1;
    if (i < 0 || i >= en->nparams)
        return NULL;
    *idx = i;
    return en;
}

static void x_arg(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    int i;
    const struct skr_event *ev = arg_lookup(r, c, &i);
    if (!ev)
        return;
    const struct skr_param_def *pd = &ev->def->params[i];
    /* Strings are the value itself: no copy. */
    if ((pd->type == SKR_PT_STRING || pd->type == SKR_PT_DATA ||
         (pd->type == SKR_PT_PATH && ev->params[i].len && ev->params[i].ptr[0] == '/')) &&
        pd->wire == SKR_WIRE_BYTES) {
        fvals_str(o, (const char *)ev->params[i].ptr, ev->params[i].len);
        return;
    }
    struct skr_buf *b = fld_builder();
    fieldarg_render(c, ev, i, FA_VALUE, b);
    fld_builder_keep(c, o);
}

static void x_rawarg(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    int i;
    const struct skr_event *ev = arg_lookup(r, c, &i);
    if (ev)
        fieldarg_raw_value(&ev->def->params[i], &ev->params[i], r->type, o);
}

static void x_args(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    struct skr_buf *b = fld_builder();
    const struct skr_event *ev = c->ev;
    for (int i = 0; i < ev->nparams && i < ev->def->nparams; i++) {
        if (i)
            skr_put_u8(b, ' ');
        const char *n = ev->def->params[i].name ? ev->def->params[i].name : "?";
        skr_put_raw(b, n, strlen(n));
        skr_put_u8(b, '=');
        fieldarg_render(c, ev, i, FA_FULL, b);
    }
    fld_builder_keep(c, o);
}

/* ---- result ---- */

static void x_res(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    int64_t res;
    if (!fieldarg_res(c->ev, &res))
        return;
    if (res >= 0) {
        push_str(o, "SUCCESS");
        return;
    }
    const char *e = fieldarg_errno_name(res);
    if (e) {
        push_str(o, e);
        return;
    }
    struct skr_buf *b = fld_builder();
    char t[24];
    int n = snprintf(t, sizeof t, "%lld", (long long)res);
    skr_put_raw(b, t, (size_t)n);
    fld_builder_keep(c, o);
}

static void x_rawres(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    int64_t res;
    if (fieldarg_res(c->ev, &res))
        fvals_int(o, res);
}

static bool failed(const struct skr_event *ev)
{
    int64_t res;
    return fieldarg_res(ev, &res) && res < 0;
}

static void x_failed(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    fvals_bool(o, failed(c->ev));
}

static void x_count_error(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    fvals_uint(o, failed(c->ev));
}

static void x_count_exit(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    fvals_uint(o, c->ev->def->dir != SKR_DIR_ENTER);
}

/* ---- kinds of operation ---- */

static void x_is_io(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    fvals_bool(o, is_io_read(c->ev) || is_io_write(c->ev));
}

static void x_is_io_read(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    fvals_bool(o, is_io_read(c->ev));
}

static void x_is_io_write(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    fvals_bool(o, is_io_write(c->ev));
}

static void x_io_dir(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    if (is_io_read(c->ev))
        push_str(o, "r");
    else if (is_io_write(c->ev))
        push_str(o, "w");
}

/* Linux O_* values (what the recorder stores). */
enum { L_O_ACCMODE = 03, L_O_WRONLY = 01, L_O_RDWR = 02, L_O_CREAT = 0100, L_O_TMPFILE = 020000000 };

/* Position of an open event's own "flags" parameter: -2 when the event
 * is no open, -1 when its definition has no such parameter. */
static int open_flags_pos(const struct skr_event_def *d)
{
    if (!name_in(d->name, open_names))
        return -2;
    for (int i = 0; i < d->nparams; i++)
        if (d->params[i].name && d->params[i].name[0] == 'f' && !strcmp(d->params[i].name, "flags"))
            return i;
    return -1;
}

/* ref, when given, caches open_flags_pos per event definition as
 * arg_lookup does (every open rule asks this of every open event). */
static bool open_flags(const struct field_ref *ref, const struct fld_ctx *c, uint64_t *flags)
{
    const struct skr_event_def *d = c->ev->def;
    int pos;
    if (ref) {
        struct field_ref *m = (struct field_ref *)ref;
        if (m->cache_key != d) {
            m->cache_key = d;
            m->cache_val = open_flags_pos(d);
        }
        pos = m->cache_val;
    } else {
        pos = open_flags_pos(d);
    }
    if (pos == -2)
        return false;
    const struct skr_param_def *pd;
    const struct skr_value *v = NULL;
    if (pos >= 0 && pos < c->ev->nparams) {
        pd = &d->params[pos];
        v = &c->ev->params[pos];
    } else {
        v = fieldarg_get(c, "flags", &pd);
    }
    if (!v || pd->wire == SKR_WIRE_BYTES)
        return false;
    /* the flags may be the enter event's (scap): its encoding decides */
    const struct skr_event *owner = c->se && c->se->enter && pos < 0 ? c->se->enter : c->ev;
    *flags = fieldarg_open_flags(owner, v->u);
    return true;
}

static void x_open_read(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    uint64_t f;
    bool ok = open_flags(r, c, &f);
    fvals_bool(o, ok && ((f & L_O_ACCMODE) == 0 || (f & L_O_ACCMODE) == L_O_RDWR));
}

static void x_open_write(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    uint64_t f;
    bool ok = open_flags(r, c, &f);
    fvals_bool(o, ok && ((f & L_O_ACCMODE) == L_O_WRONLY || (f & L_O_ACCMODE) == L_O_RDWR));
}

/* Whether the event creates a file: creat, or an open with O_CREAT or
 * O_TMPFILE. (libsinsp knows whether the file really was created; saker's
 * recorder does not say, so this is what the caller asked for.) */
static bool creates(const struct fld_ctx *c)
{
    if (!strcmp(c->ev->def->name, "creat"))
        return true;
    uint64_t f;
    return open_flags(NULL, c, &f) && ((f & L_O_CREAT) || (f & L_O_TMPFILE) == L_O_TMPFILE);
}

static void x_open_create(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    fvals_bool(o, creates(c));
}

static void x_open_exec(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    bool x = false;
    if (creates(c)) {
        const struct skr_param_def *pd;
        const struct skr_value *v = fieldarg_get(c, "mode", &pd);
        x = v && pd->wire != SKR_WIRE_BYTES && (v->u & 0111);
    }
    fvals_bool(o, x);
}

static void x_is_syslog(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_fd *fd = c->se ? c->se->fd : NULL;
    fvals_bool(o, is_io_write(c->ev) && fd && fd->name && !strcmp(fd->name, "/dev/log"));
}

static int data_param(const struct skr_event *ev)
{
    int i = fieldarg_find(ev->def, "data");
    if (i >= 0 && i < ev->nparams && ev->def->params[i].wire == SKR_WIRE_BYTES)
        return i;
    for (i = 0; i < ev->nparams && i < ev->def->nparams; i++)
        if (ev->def->params[i].type == SKR_PT_DATA)
            return i;
    return -1;
}

static void x_buffer(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    int i = data_param(c->ev);
    if (i >= 0)
        push(o, (struct fval){ .type = FT_BYTES, .s = (const char *)c->ev->params[i].ptr,
                               .len = c->ev->params[i].len });
}

/* libsinsp reports the bytes the call moved (its result) for I/O, and
 * the buffer's length otherwise. */
static void x_buflen(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    int64_t res;
    if ((is_io_read(c->ev) || is_io_write(c->ev)) && fieldarg_res(c->ev, &res)) {
        if (res >= 0)
            fvals_uint(o, (uint64_t)res);
        return;
    }
    int i = data_param(c->ev);
    if (i >= 0)
        fvals_uint(o, c->ev->params[i].len);
}

/* sysdig's category names; I/O is told apart by what the fd is, the way
 * libsinsp splits its io categories into file, net and ipc. */
static void x_category(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const char *cat = c->ev->def->category ? c->ev->def->category : "";
    const char *name = c->ev->def->name;
    if (!strcmp(cat, "io") && (is_io_read(c->ev) || is_io_write(c->ev))) {
        const struct st_fd *fd = c->se ? c->se->fd : NULL;
        char t = fd ? fd->type : 0;
        if (t == ST_FD_FILE || t == ST_FD_DIR)
            cat = "file";
        else if (t == ST_FD_IPV4 || t == ST_FD_IPV6)
            cat = "net";
        else if (t == ST_FD_UNIX || t == ST_FD_PIPE)
            cat = "ipc";
        else
            cat = "io_other";
    } else if (!strcmp(cat, "security")) {
        cat = !strncmp(name, "set", 3) || !strcmp(name, "capset") ? "user" : "other";
    } else if (!strcmp(cat, "meta") || !*cat) {
        cat = "other";
    } else if (!strcmp(cat, "internal")) {
        cat = "unknown"; /* libs' name for its internal metaevents */
    }
    push_str(o, cat);
}

/* Falco declares these; the print column is libsinsp's print format. */
#define F(n, t, ft, fl, d, x) { n, t, ft, fl, d, x, FP_DEFAULT }
#define FP(n, t, ft, fl, d, x, p) { n, t, ft, fl, d, x, p }

const struct field_def fields_evt[] = {
    F("evt.num", FT_UINT, "UINT64", 0, "the event's number in the trace", x_num),
    F("evt.time", FT_STRING, "CHARBUF", 0, "local time of the event, to the nanosecond",
      x_time),
    F("evt.time.s", FT_STRING, "CHARBUF", 0, "local time of the event, to the second",
      x_time_s),
    F("evt.time.iso8601", FT_STRING, "CHARBUF", 0, "UTC time of the event in ISO 8601 form",
      x_iso8601),
    F("evt.datetime", FT_STRING, "CHARBUF", 0, "local date and time, to the nanosecond",
      x_datetime),
    F("evt.datetime.s", FT_STRING, "CHARBUF", 0, "local date and time, to the second",
      x_datetime_s),
    F("evt.rawtime", FT_ABSTIME, "ABSTIME", 0, "nanoseconds since the epoch", x_rawtime),
    F("evt.rawtime.s", FT_ABSTIME, "ABSTIME", 0, "whole seconds since the epoch",
      x_rawtime_s),
    FP("evt.rawtime.ns", FT_ABSTIME, "ABSTIME", 0, "nanoseconds past the second",
       x_rawtime_ns, FP_PADDED),
    FP("evt.reltime", FT_RELTIME, "RELTIME", 0, "nanoseconds since the trace began",
       x_reltime, FP_PADDED),
    F("evt.reltime.s", FT_RELTIME, "RELTIME", 0, "whole seconds since the trace began",
      x_reltime_s),
    FP("evt.reltime.ns", FT_RELTIME, "RELTIME", 0,
       "nanoseconds past the second since the trace began", x_reltime_ns, FP_PADDED),
    F("evt.latency", FT_RELTIME, "RELTIME", FF_DEPRECATED,
      "nanoseconds between a syscall's entry and exit (0 for a combined event)", x_latency),
    F("evt.latency.s", FT_RELTIME, "RELTIME", FF_DEPRECATED, "whole seconds of evt.latency",
      x_latency_s),
    FP("evt.latency.ns", FT_RELTIME, "RELTIME", FF_DEPRECATED,
       "nanoseconds past the second of evt.latency", x_latency_ns, FP_PADDED),
    F("evt.dir", FT_STRING, "CHARBUF", FF_DEPRECATED, "'>' for a syscall's entry, '<' for its exit",
      x_dir),
    F("evt.type", FT_STRING, "CHARBUF", 0, "the event's name, such as open or execve", x_type),
    F("evt.type.is", FT_UINT, "UINT32", FF_ARG_REQUIRED | FF_ARG_DOT,
      "1 when the event is of the type named (evt.type.is.open), else 0", x_type_is),
    F("evt.cpu", FT_INT, "INT16", 0, "the CPU the event happened on", x_cpu),
    F("evt.args", FT_STRING, "CHARBUF", 0, "every argument as name=value, in one string",
      x_args),
    F("evt.info", FT_STRING, "CHARBUF", 0, "the same as evt.args", x_args),
    F("evt.arg", FT_STRING, "CHARBUF", FF_ARG_REQUIRED | FF_ARG_INDEX | FF_ARG_DOT,
      "one argument by name (evt.arg.fd) or position (evt.arg[0]), as text", x_arg),
    F("evt.rawarg", FT_NONE, "DYN", FF_ARG_REQUIRED | FF_ARG_DOT | FF_NO_RHS,
      "one argument by name (evt.rawarg.res) as its raw number or string", x_rawarg),
    F("evt.res", FT_STRING, "CHARBUF", 0, "the result: SUCCESS or the error's name (ENOENT)",
      x_res),
    F("evt.rawres", FT_INT, "INT64", 0, "the result as a number (-2 for ENOENT)", x_rawres),
    F("evt.failed", FT_BOOL, "BOOL", 0, "true when the call returned an error", x_failed),
    F("evt.is_io", FT_BOOL, "BOOL", 0, "true for calls that read or write through an fd",
      x_is_io),
    F("evt.is_io_read", FT_BOOL, "BOOL", 0, "true for calls that read through an fd",
      x_is_io_read),
    F("evt.is_io_write", FT_BOOL, "BOOL", 0, "true for calls that write through an fd",
      x_is_io_write),
    F("evt.io_dir", FT_STRING, "CHARBUF", 0, "'r' for reads, 'w' for writes through an fd",
      x_io_dir),
    F("evt.is_open_read", FT_BOOL, "BOOL", 0, "true for opens for reading", x_open_read),
    F("evt.is_open_write", FT_BOOL, "BOOL", 0, "true for opens for writing", x_open_write),
    F("evt.is_open_exec", FT_BOOL, "BOOL", 0,
      "true for opens and creats that create a file with an execute bit", x_open_exec),
    F("evt.is_open_create", FT_BOOL, "BOOL", 0, "true for opens that create the file",
      x_open_create),
    F("evt.is_syslog", FT_BOOL, "BOOL", 0, "true for writes to /dev/log", x_is_syslog),
    F("evt.is_wait", FT_BOOL, "BOOL", 0, "true for calls that make the thread wait (not recorded)",
      x_false),
    F("evt.is_async", FT_BOOL, "BOOL", 0, "true for events no thread made (none in a trace)",
      x_false),
    F("evt.asynctype", FT_STRING, "CHARBUF", 0, "the kind of an asynchronous event", x_none),
    F("evt.buffer", FT_BYTES, "BYTEBUF", 0, "the data an I/O call moved, as captured",
      x_buffer),
    F("evt.buflen", FT_UINT, "UINT64", 0, "how many bytes an I/O call moved", x_buflen),
    F("evt.category", FT_STRING, "CHARBUF", 0, "the kind of event: file, net, process, ...",
      x_category),
    F("evt.count", FT_UINT, "UINT32", 0, "1 for every event", x_count),
    F("evt.count.error", FT_UINT, "UINT32", 0, "1 for events that returned an error",
      x_count_error),
    F("evt.count.exit", FT_UINT, "UINT32", 0, "1 for exit events", x_count_exit),
    F("evt.plugininfo", FT_STRING, "CHARBUF", 0, "a plugin's summary of its event (none here)",
      x_none),
    F("evt.pluginname", FT_STRING, "CHARBUF", 0, "the plugin that made the event (none here)",
      x_none),
    F("evt.source", FT_STRING, "CHARBUF", 0, "where the event comes from: syscall", x_source),
    F("evt.hostname", FT_STRING, "CHARBUF", 0, "the name of the host the trace was recorded on",
      x_hostname),
};
const size_t fields_evt_count = sizeof fields_evt / sizeof fields_evt[0];
