/* schema.c -- encode and decode the event schema a trace carries in its
 * header (man/saker-trace.5 §6), and the names of parameter types. */
#include "schema.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int wire;
} ptypes[] = {
    [SKR_PT_INT] = { "int", SKR_WIRE_ZIGZAG },
    [SKR_PT_UINT] = { "uint", SKR_WIRE_VARINT },
    [SKR_PT_HEX] = { "hex", SKR_WIRE_VARINT },
    [SKR_PT_FD] = { "fd", SKR_WIRE_ZIGZAG },
    [SKR_PT_PID] = { "pid", SKR_WIRE_ZIGZAG },
    [SKR_PT_ERRNO] = { "errno", SKR_WIRE_ZIGZAG },
    [SKR_PT_UID] = { "uid", SKR_WIRE_VARINT },
    [SKR_PT_GID] = { "gid", SKR_WIRE_VARINT },
    [SKR_PT_MODE] = { "mode", SKR_WIRE_VARINT },
    [SKR_PT_FLAGS] = { "flags", SKR_WIRE_VARINT },
    [SKR_PT_TIME] = { "time", SKR_WIRE_VARINT },
    [SKR_PT_DURATION] = { "duration", SKR_WIRE_VARINT },
    [SKR_PT_STRING] = { "string", SKR_WIRE_BYTES },
    [SKR_PT_PATH] = { "path", SKR_WIRE_BYTES },
    [SKR_PT_DATA] = { "data", SKR_WIRE_BYTES },
    [SKR_PT_STRLIST] = { "strlist", SKR_WIRE_BYTES },
    [SKR_PT_SOCKADDR] = { "sockaddr", SKR_WIRE_BYTES },
    [SKR_PT_SOCKTUPLE] = { "socktuple", SKR_WIRE_BYTES },
    [SKR_PT_SIGNAL] = { "signal", SKR_WIRE_VARINT },
    [SKR_PT_FDLIST] = { "fdlist", SKR_WIRE_BYTES },
    [SKR_PT_IPADDR] = { "ipaddr", SKR_WIRE_BYTES },
    [SKR_PT_DOUBLE] = { "double", SKR_WIRE_VARINT },
};

int skr_ptype_wire(int ptype)
{
    if (ptype <= 0 || ptype > SKR_PT_MAX_KNOWN)
        return -1;
    return ptypes[ptype].wire;
}

const char *skr_ptype_name(int ptype)
{
    if (ptype <= 0 || ptype > SKR_PT_MAX_KNOWN)
        return "unknown";
    return ptypes[ptype].name;
}

const char *skr_dir_name(int dir)
{
    switch (dir) {
    case SKR_DIR_ENTER: return ">";
    case SKR_DIR_EXIT: return "<";
    case SKR_DIR_COMBINED: return "=";
    default: return ".";
    }
}

void skr_schema_from_table(struct skr_schema *s, struct skr_event_def *table, size_t n)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < n; i++) {
        if (table[i].id >= SKR_MAX_EVENT_TYPES)
            continue;
        s->defs[table[i].id] = &table[i];
        if ((uint32_t)table[i].id + 1 > s->max_id)
            s->max_id = table[i].id + 1u;
    }
}

void skr_schema_encode(const struct skr_schema *s, struct skr_buf *out)
{
    struct skr_buf ev = { 0 }, pa = { 0 };
    for (uint32_t id = 0; id < s->max_id; id++) {
        const struct skr_event_def *d = s->defs[id];
        if (!d)
            continue;
        skr_buf_reset(&ev);
        skr_put_field_u(&ev, SKR_SEV_ID, d->id);
        skr_put_field_str(&ev, SKR_SEV_NAME, d->name);
        skr_put_field_u(&ev, SKR_SEV_DIR, d->dir);
        if (d->category && *d->category)
            skr_put_field_str(&ev, SKR_SEV_CATEGORY, d->category);
        for (int i = 0; i < d->nparams; i++) {
            skr_buf_reset(&pa);
            skr_put_field_str(&pa, SKR_SPARAM_NAME, d->params[i].name);
            skr_put_field_u(&pa, SKR_SPARAM_TYPE, d->params[i].type);
            skr_put_field_u(&pa, SKR_SPARAM_WIRE, d->params[i].wire);
            skr_put_field_bytes(&ev, SKR_SEV_PARAM, pa.data, pa.len);
        }
        skr_put_field_bytes(out, SKR_HDR_SCHEMA_EVENT, ev.data, ev.len);
    }
    if (ev.oom || pa.oom)
        out->oom = true;
    skr_buf_free(&ev);
    skr_buf_free(&pa);
}

/* Schema strings are names: printable, short, and NUL-free, so that a
 * crafted name can neither reach a terminal raw nor hide a suffix. */
static bool name_ok(const uint8_t *p, size_t n, bool allow_empty)
{
    if (n > 255 || (!allow_empty && n == 0))
        return false;
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x21 || p[i] > 0x7e)
            return false;
    return true;
}

/* Why copy_name failed: a bad name is corruption, the rest is memory. */
static const char *name_error(const uint8_t *p, size_t n, bool allow_empty, const char *bad)
{
    return name_ok(p, n, allow_empty) ? "out of memory" : bad;
}

static char *copy_name(const uint8_t *p, size_t n, bool allow_empty)
{
    if (!name_ok(p, n, allow_empty))
        return NULL;
    char *s = skr_malloc(n + 1);
    if (!s)
        return NULL;
    if (n) /* p is NULL for the empty category of a type without one */
        memcpy(s, p, n);
    s[n] = 0;
    return s;
}

static void free_def(struct skr_event_def *d)
{
    if (!d)
        return;
    free((char *)d->name);
    free((char *)d->category);
    for (int i = 0; i < d->nparams; i++)
        free((char *)d->params[i].name);
    free(d);
}

static int decode_param(struct skr_param_def *p, const uint8_t *buf, size_t n,
                        char *err, size_t errlen)
{
    struct skr_cur c = skr_cur_make(buf, n);
    struct skr_field f;
    bool have_type = false, have_wire = false;
    while (skr_next_field(&c, &f)) {
        if (f.tag == SKR_SPARAM_NAME && f.wire == SKR_WIRE_BYTES && !p->name) {
            p->name = copy_name(f.ptr, f.len, false);
            if (!p->name) {
                snprintf(err, errlen, "%s", name_error(f.ptr, f.len, false, "bad parameter name"));
                return -1;
            }
        } else if (f.tag == SKR_SPARAM_TYPE && f.wire == SKR_WIRE_VARINT) {
            p->type = f.u > 255 ? 0 : (uint8_t)f.u;
            have_type = true;
        } else if (f.tag == SKR_SPARAM_WIRE && f.wire == SKR_WIRE_VARINT) {
            if (f.u > SKR_WIRE_BYTES) {
                snprintf(err, errlen, "bad parameter wire type %llu", (unsigned long long)f.u);
                return -1;
            }
            p->wire = (uint8_t)f.u;
            have_wire = true;
        }
    }
    if (!skr_cur_ok(&c) || !p->name || !have_type || !have_wire) {
        snprintf(err, errlen, "malformed parameter definition");
        return -1;
    }
    return 0;
}

/* Atomic: readers may be opened on several threads. 0 is skipped, as it
 * marks a caller's own table (a wrap takes 2^32 decoded definitions). */
static uint32_t next_serial(void)
{
    static _Atomic uint32_t last;
    uint32_t v;
    while ((v = atomic_fetch_add(&last, 1) + 1) == 0)
        ;
    return v;
}

int skr_schema_add_encoded(struct skr_schema *s, const uint8_t *buf, size_t n,
                           char *err, size_t errlen)
{
    struct skr_event_def *d = skr_malloc(sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memset(d, 0, sizeof *d);
    s->owned = true;
    struct skr_cur c = skr_cur_make(buf, n);
    struct skr_field f;
    bool have_id = false;
    uint64_t id = 0;
    while (skr_next_field(&c, &f)) {
        switch (f.tag) {
        case SKR_SEV_ID:
            id = f.u;
            have_id = f.wire == SKR_WIRE_VARINT;
            break;
        case SKR_SEV_NAME:
            if (f.wire == SKR_WIRE_BYTES && !d->name && !(d->name = copy_name(f.ptr, f.len, false))) {
                snprintf(err, errlen, "%s", name_error(f.ptr, f.len, false, "bad event type name"));
                goto fail;
            }
            break;
        case SKR_SEV_DIR:
            d->dir = f.u > SKR_DIR_COMBINED ? SKR_DIR_NONE : (uint8_t)f.u;
            break;
        case SKR_SEV_CATEGORY:
            if (f.wire == SKR_WIRE_BYTES && !d->category && !(d->category = copy_name(f.ptr, f.len, true))) {
                snprintf(err, errlen, "%s", name_error(f.ptr, f.len, true, "bad event category"));
                goto fail;
            }
            break;
        case SKR_SEV_PARAM:
            if (f.wire != SKR_WIRE_BYTES)
                break;
            if (d->nparams >= SKR_MAX_PARAMS) {
                snprintf(err, errlen, "more than %d parameters", SKR_MAX_PARAMS);
                goto fail;
            }
            if (decode_param(&d->params[d->nparams], f.ptr, f.len, err, errlen) < 0) {
                d->nparams++; /* so free_def releases a partial name */
                goto fail;
            }
            d->nparams++;
            break;
        default:
            break; /* §15: unknown tags are skipped */
        }
    }
    if (!skr_cur_ok(&c) || !have_id || !d->name) {
        snprintf(err, errlen, "malformed event definition");
        goto fail;
    }
    if (id >= SKR_MAX_EVENT_TYPES) {
        snprintf(err, errlen, "event type id %llu over the limit %d",
                 (unsigned long long)id, SKR_MAX_EVENT_TYPES);
        goto fail;
    }
    if (s->defs[id]) {
        snprintf(err, errlen, "event type id %llu declared twice", (unsigned long long)id);
        goto fail;
    }
    if (!d->category && !(d->category = copy_name(NULL, 0, true))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    d->id = (uint16_t)id;
    d->serial = next_serial();
    s->defs[id] = d;
    if (id + 1 > s->max_id)
        s->max_id = (uint32_t)id + 1;
    return 0;
fail:
    free_def(d);
    return -1;
}

int skr_schema_find(const struct skr_schema *s, const char *name)
{
    for (uint32_t id = 0; id < s->max_id; id++)
        if (s->defs[id] && strcmp(s->defs[id]->name, name) == 0)
            return (int)id;
    return -1;
}

void skr_schema_free(struct skr_schema *s)
{
    if (s->owned)
        for (uint32_t id = 0; id < s->max_id; id++)
            free_def(s->defs[id]);
    memset(s, 0, sizeof *s);
}
