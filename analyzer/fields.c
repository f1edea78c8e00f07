/* fields.c -- the field registry: every class table in listing order,
 * lookup by name, parsing of field references, the per-event scratch
 * arena, and values turned into text the way sysdig and Falco print them.
 *
 * Design
 *  - References are parsed by the longest registered name that ends at a
 *    word boundary, so "fd.cip.name" wins over "fd.cip" and "evt.args"
 *    over "evt.arg". An argument follows as [ARG] or, for FF_ARG_DOT
 *    fields (evt.arg.NAME), as .ARG.
 *  - The scratch arena hands out pointers that must stay valid until the
 *    next reset, so it grows by chaining new chunks, never by realloc of
 *    one buffer: each chunk starts with a pointer to the previous one.
 *  - Text goes through one escaping path (reader/escape.h). */
#include <arpa/inet.h>
#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../capture/event_table.h"
#include "../reader/escape.h"
#include "fields.h"
#include "fields_int.h"

/* ---- registry ---- */

size_t fields_count(void)
{
    return fields_evt_count + fields_proc_count + fields_fd_count + fields_user_count;
}

const struct field_def *fields_at(size_t i)
{
    if (i < fields_evt_count)
        return &fields_evt[i];
    i -= fields_evt_count;
    if (i < fields_proc_count)
        return &fields_proc[i];
    i -= fields_proc_count;
    if (i < fields_fd_count)
        return &fields_fd[i];
    i -= fields_fd_count;
    return i < fields_user_count ? &fields_user[i] : NULL;
}

/* A linear scan: a few hundred names, looked up when filters and formats
 * are compiled, never per event. */
const struct field_def *fields_find(const char *name)
{
    size_t n = fields_count();
    for (size_t i = 0; i < n; i++) {
        const struct field_def *d = fields_at(i);
        if (d->name && !strcmp(d->name, name))
            return d;
    }
    return NULL;
}

/* ---- references ---- */

static bool is_word(char c) { return isalnum((unsigned char)c) || c == '_'; }
static bool is_name(char c) { return is_word(c) || c == '.'; }

/* The longest registered name text starts with that ends at a boundary:
 * not followed by a name character, except a '.' that opens an FF_ARG_DOT
 * argument. */
static const struct field_def *longest_match(const char *text)
{
    const struct field_def *best = NULL;
    size_t bestlen = 0, n = fields_count();
    for (size_t i = 0; i < n; i++) {
        const struct field_def *d = fields_at(i);
        if (!d->name)
            continue;
        size_t l = strlen(d->name);
        if (l <= bestlen || strncmp(text, d->name, l) != 0)
            continue;
        char next = text[l];
        if (is_word(next))
            continue;
        if (next == '.' && !((d->flags & FF_ARG_DOT) && is_word(text[l + 1])))
            continue;
        best = d;
        bestlen = l;
    }
    return best;
}

/* The value type evt.rawarg.NAME has: that of the first parameter so
 * named in saker's schema (libsinsp looks its own event table up the same
 * way); a string when no event has it. */
static uint8_t rawarg_type(const char *name)
{
    for (size_t i = 0; i < SAKER_EVT_COUNT; i++) {
        int k = fieldarg_find(&saker_evt_table[i], name);
        if (k >= 0)
            return fieldarg_raw_type(saker_evt_table[i].params[k].type);
    }
    return FT_STRING;
}

static int parse_fail(char *err, size_t errlen, size_t *consumed, size_t at, const char *fmt,
                      const char *what)
{
    char esc[160];
    skr_escape_str(what, esc, sizeof esc);
    snprintf(err, errlen, fmt, esc);
    *consumed = at;
    return -1;
}

int field_ref_parse(const char *text, size_t *consumed, struct field_ref *ref, char *err,
                    size_t errlen)
{
    *ref = (struct field_ref){ .cache_val = -1 };
    const struct field_def *d = longest_match(text);
    if (!d) {
        char word[96];
        size_t l = 0;
        while (is_name(text[l]) && l < sizeof word - 1) {
            word[l] = text[l];
            l++;
        }
        word[l] = 0;
        return parse_fail(err, errlen, consumed, 0, "unknown field '%s'", word);
    }
    size_t pos = strlen(d->name);
    ref->def = d;
    ref->type = d->type;
    if (text[pos] == '[') {
        size_t open = pos, start = pos + 1, end = start;
        while (text[end] && text[end] != ']')
            end++;
        if (!text[end])
            return parse_fail(err, errlen, consumed, open, "unclosed '[' after field '%s'",
                              d->name);
        if (!(d->flags & (FF_ARG_INDEX | FF_ARG_KEY)))
            return parse_fail(err, errlen, consumed, open,
                              (d->flags & FF_ARG_DOT)
                                  ? "field '%s' takes its argument after a dot"
                                  : "field '%s' takes no argument",
                              d->name);
        if (end == start)
            return parse_fail(err, errlen, consumed, start, "field '%s' has an empty argument",
                              d->name);
        bool digits = true;
        for (size_t i = start; i < end; i++)
            digits = digits && isdigit((unsigned char)text[i]);
        if (digits && (d->flags & FF_ARG_INDEX)) {
            if (end - start > 9)
                return parse_fail(err, errlen, consumed, start,
                                  "field '%s': argument out of range", d->name);
            ref->arg_index = strtoll(text + start, NULL, 10);
        } else if (d->flags & FF_ARG_KEY) {
            ref->arg_key = strndup(text + start, end - start);
            if (!ref->arg_key)
                return parse_fail(err, errlen, consumed, start, "field '%s': out of memory",
                                  d->name);
        } else {
            return parse_fail(err, errlen, consumed, start,
                              "field '%s' takes a numeric argument", d->name);
        }
        ref->has_arg = true;
        pos = end + 1;
    } else if (text[pos] == '.' && (d->flags & FF_ARG_DOT)) {
        size_t start = pos + 1, end = start;
        while (is_word(text[end]))
            end++;
        assert(end > start); /* longest_match only stops at a dot before a word */
        ref->arg_key = strndup(text + start, end - start);
        if (!ref->arg_key)
            return parse_fail(err, errlen, consumed, start, "field '%s': out of memory",
                              d->name);
        ref->has_arg = true;
        ref->arg_dot = true;
        pos = end;
    }
    if ((d->flags & FF_ARG_REQUIRED) && !ref->has_arg) {
        field_ref_free(ref);
        return parse_fail(err, errlen, consumed, pos, "field '%s' requires an argument",
                          d->name);
    }
    if (d->type == FT_NONE && ref->arg_key)
        ref->type = rawarg_type(ref->arg_key);
    *consumed = pos;
    return 0;
}

void field_ref_free(struct field_ref *ref)
{
    free(ref->arg_key);
    ref->arg_key = NULL;
}

void field_ref_name(const struct field_ref *ref, char *buf, size_t len)
{
    if (!ref->has_arg)
        snprintf(buf, len, "%s", ref->def->name);
    else if (ref->arg_key && ref->arg_dot)
        snprintf(buf, len, "%s.%s", ref->def->name, ref->arg_key);
    else if (ref->arg_key)
        snprintf(buf, len, "%s[%s]", ref->def->name, ref->arg_key);
    else
        snprintf(buf, len, "%s[%" PRId64 "]", ref->def->name, ref->arg_index);
}

/* ---- scratch arena ---- */

struct chunk_head {
    char *prev;
};

enum { SCRATCH_CHUNK = 16384, SCRATCH_ALIGN = 8 };
/* No single value needs more: the largest parameter is a 256 MiB payload. */
#define SCRATCH_MAX ((size_t)512 << 20)

char *fld_scratch_alloc(struct fld_scratch *sc, size_t n)
{
    if (n > SCRATCH_MAX)
        return NULL;
    size_t need = (n + SCRATCH_ALIGN - 1) & ~(size_t)(SCRATCH_ALIGN - 1);
    if (!sc->buf || sc->cap - sc->len < need) {
        size_t cap = sc->cap * 2 > SCRATCH_CHUNK ? sc->cap * 2 : SCRATCH_CHUNK;
        if (cap > SCRATCH_MAX)
            cap = SCRATCH_MAX;
        if (cap < need + sizeof(struct chunk_head))
            cap = need + sizeof(struct chunk_head);
        char *c = malloc(cap);
        if (!c)
            return NULL;
        ((struct chunk_head *)(void *)c)->prev = sc->buf;
        sc->buf = c;
        sc->cap = cap;
        sc->len = sizeof(struct chunk_head);
    }
    char *p = sc->buf + sc->len;
    sc->len += need;
    sc->taken = true;
    return p;
}

/* Keeps the newest (largest) chunk for the next event and frees the rest;
 * a chunk grown for one huge value (a 256 MiB I/O buffer) goes too, so one
 * odd event does not pin its size for the whole replay. */
enum { SCRATCH_KEEP_MAX = 4 << 20 };

void fld_scratch_release(struct fld_scratch *sc)
{
    sc->taken = false;
    if (!sc->buf)
        return;
    if (sc->cap > SCRATCH_KEEP_MAX) {
        char *c = sc->buf;
        while (c) {
            char *prev = ((struct chunk_head *)(void *)c)->prev;
            free(c);
            c = prev;
        }
        *sc = (struct fld_scratch){ 0 };
        return;
    }
    struct chunk_head *h = (struct chunk_head *)(void *)sc->buf;
    char *c = h->prev;
    while (c) {
        char *prev = ((struct chunk_head *)(void *)c)->prev;
        free(c);
        c = prev;
    }
    h->prev = NULL;
    sc->len = sizeof(struct chunk_head);
}

void fld_scratch_free(struct fld_scratch *sc)
{
    fld_scratch_release(sc);
    free(sc->buf);
    *sc = (struct fld_scratch){ 0 };
}

const char *fld_scratch_dup(struct fld_scratch *sc, const void *p, size_t n)
{
    char *d = sc ? fld_scratch_alloc(sc, n + 1) : NULL;
    if (!d)
        return NULL;
    if (n)
        memcpy(d, p, n);
    d[n] = 0;
    return d;
}

/* The builder and the escaper keep their buffers for the life of the
 * process: values are built per event, and allocating each time would
 * cost more than the extraction. */
static struct skr_buf builder, escbuf;

struct skr_buf *fld_builder(void)
{
    skr_buf_reset(&builder);
    return &builder;
}

void fld_builder_keep(const struct fld_ctx *ctx, struct fvals *out)
{
    const char *s = fld_scratch_dup(ctx->scratch, builder.data, builder.len);
    if (s)
        fvals_str(out, s, builder.len);
}

/* ---- formatting ---- */

struct outbuf {
    char *p;
    size_t len, cap;
};

static void out_put(struct outbuf *o, const char *s, size_t n)
{
    if (o->cap == 0)
        return;
    size_t room = o->cap - 1 - o->len;
    if (n > room)
        n = room;
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = 0;
}

static void out_str(struct outbuf *o, const char *s) { out_put(o, s, strlen(s)); }

static void out_escaped(struct outbuf *o, const char *s, size_t n)
{
    skr_buf_reset(&escbuf);
    skr_escape_append(&escbuf, (const uint8_t *)s, n);
    out_put(o, (const char *)escbuf.data, escbuf.len);
}

static void out_uint(struct outbuf *o, uint64_t u, uint8_t print)
{
    char t[32];
    switch (print) {
    case FP_PADDED:
        snprintf(t, sizeof t, "%09" PRIu64, u);
        break;
    case FP_HEX:
        snprintf(t, sizeof t, "%" PRIX64, u);
        break;
    case FP_OCT:
        snprintf(t, sizeof t, "%" PRIo64, u);
        break;
    default:
        snprintf(t, sizeof t, "%" PRIu64, u);
        break;
    }
    out_str(o, t);
}

static void format_one(struct outbuf *o, const struct fval *v, uint8_t print)
{
    char t[INET6_ADDRSTRLEN + 8];
    switch (v->type) {
    case FT_INT:
        if (print == FP_HEX)
            snprintf(t, sizeof t, "%" PRIX64, (uint64_t)v->i);
        else
            snprintf(t, sizeof t, "%" PRId64, v->i);
        out_str(o, t);
        return;
    case FT_UINT:
    case FT_ABSTIME:
    case FT_RELTIME:
        out_uint(o, v->u, print);
        return;
    case FT_BOOL:
        out_str(o, v->u ? "true" : "false");
        return;
    case FT_STRING:
    case FT_BYTES:
        out_escaped(o, v->s ? v->s : "", v->s ? v->len : 0);
        return;
    case FT_IPADDR:
    case FT_IPNET:
        if (!inet_ntop(v->ipfam == 6 ? AF_INET6 : AF_INET, v->ip, t, sizeof t))
            snprintf(t, sizeof t, "<NA>");
        out_str(o, t);
        if (v->type == FT_IPNET) {
            snprintf(t, sizeof t, "/%u", v->prefix);
            out_str(o, t);
        }
        return;
    default:
        out_str(o, "<NA>");
        return;
    }
}

void fval_format(const struct fval *v, const struct field_def *def, char *buf, size_t len)
{
    if (len == 0)
        return;
    struct outbuf o = { buf, strnlen(buf, len - 1), len };
    buf[o.len] = 0;
    format_one(&o, v, def ? def->print : FP_DEFAULT);
}

static void format_all(const struct fvals *vs, const struct field_def *def, bool as_list,
                       char *buf, size_t len)
{
    if (len == 0)
        return;
    buf[0] = 0;
    struct outbuf o = { buf, 0, len };
    if (vs->n == 0) {
        out_str(&o, "<NA>");
        return;
    }
    uint8_t print = def ? def->print : FP_DEFAULT;
    if (as_list)
        out_str(&o, "(");
    for (size_t i = 0; i < vs->n; i++) {
        if (i)
            out_str(&o, as_list ? "," : " ");
        format_one(&o, &vs->v[i], print);
    }
    if (as_list)
        out_str(&o, ")");
}

void fvals_format(const struct fvals *vs, const struct field_def *def, char *buf, size_t len)
{
    format_all(vs, def, def && (def->flags & FF_LIST), buf, len);
}

void field_ref_format(const struct field_ref *ref, const struct fvals *vs, char *buf,
                      size_t len)
{
    format_all(vs, ref->def, (ref->def->flags & FF_LIST) && !ref->has_arg, buf, len);
}
