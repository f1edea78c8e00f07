/* outfmt.c -- event output for `saker read`: the default line (evtfmt.c
 * does its parameters), -p formats compiled into tokens once, and JSON
 * lines through cJSON (see outfmt.h for the -p syntax).
 *
 * Design: a compiled format is a list of tokens, literal text or a field
 * reference with a width. Values are extracted into one struct fvals and
 * formatted into one buffer owned by the format, so printing an event
 * allocates nothing but the output itself (JSON excepted: cJSON builds a
 * tree per event). Every byte that came from the trace is escaped on the
 * way out: the fields by fvals_format, the default line by evtfmt, JSON
 * strings by skr_escape_append before cJSON sees them (so the text stays
 * UTF-8 and valid JSON). */
#include "outfmt.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reader/escape.h"
#include "../reader/format.h"
#include "evtfmt.h"
#include "replay.h"

/* Limits of a -p format (STYLE rule 13: limits stated in the message). */
#define OUTFMT_MAX_TOKENS 256
#define OUTFMT_MAX_WIDTH 4096
/* One formatted value: a path escaped 4x stays far below this. */
#define OUTFMT_VALUE_CAP 65536

struct tok {
    const char *text;          /* literal: points into of->src */
    size_t len;
    bool is_field;
    unsigned width;            /* 0 = as long as the value */
    struct field_ref ref;
    char name[128];            /* the field as written (a JSON key) */
};

struct outfmt {
    bool json, require_all, default_line, needs_state;
    char *src;
    struct tok *toks;
    size_t ntoks;
    struct fvals vals;
    char value[OUTFMT_VALUE_CAP];
};

static bool field_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '.'; }

static struct tok *add_tok(struct outfmt *of, char *err, size_t errlen)
{
    if (of->ntoks == OUTFMT_MAX_TOKENS) {
        snprintf(err, errlen, "more than %d parts in the output format", OUTFMT_MAX_TOKENS);
        return NULL;
    }
    struct tok *t = &of->toks[of->ntoks++];
    memset(t, 0, sizeof *t);
    return t;
}

static int add_literal(struct outfmt *of, const char *p, size_t n, char *err, size_t errlen)
{
    if (!n)
        return 0;
    struct tok *t = add_tok(of, err, errlen);
    if (!t)
        return -1;
    t->text = p;
    t->len = n;
    return 0;
}

/* %[N](FIELD) or %[N]FIELD at src[*pos] (on the '%'); advances *pos. */
static int parse_field(struct outfmt *of, size_t *pos, char *err, size_t errlen)
{
    const char *s = of->src;
    size_t i = *pos + 1, col0 = *pos + 2; /* 1-based column of the width */
    unsigned width = 0;
    while (isdigit((unsigned char)s[i])) {
        width = width * 10 + (unsigned)(s[i++] - '0');
        if (width > OUTFMT_MAX_WIDTH) {
            snprintf(err, errlen, "1:%zu: field width above %d", col0, OUTFMT_MAX_WIDTH);
            return -1;
        }
    }
    bool paren = s[i] == '(';
    if (paren)
        i++;
    if (!s[i] || !field_char(s[i])) {
        snprintf(err, errlen, "1:%zu: expected a field name after '%%' (write %%%% for a percent sign)",
                 i + 1);
        return -1;
    }
    struct tok *t = add_tok(of, err, errlen);
    if (!t)
        return -1;
    size_t used = 0;
    char why[300];
    if (field_ref_parse(s + i, &used, &t->ref, why, sizeof why) < 0) {
        of->ntoks--;
        snprintf(err, errlen, "1:%zu: %s", i + used + 1, why);
        return -1;
    }
    t->is_field = true;
    t->width = width;
    field_ref_name(&t->ref, t->name, sizeof t->name);
    if (t->ref.def->flags & FF_FILTER_ONLY) {
        snprintf(err, errlen, "1:%zu: field '%s' can only be used in a filter", i + 1, t->name);
        return -1;
    }
    of->needs_state |= replay_field_needs_state(t->ref.def);
    i += used;
    if (paren && s[i++] != ')') {
        snprintf(err, errlen, "1:%zu: expected ')' after the field name", i);
        return -1;
    }
    *pos = i;
    return 0;
}

static int compile(struct outfmt *of, char *err, size_t errlen)
{
    const char *s = of->src;
    size_t i = 0, lit = 0;
    if (s[0] == '*') {
        of->require_all = false;
        i = lit = 1;
    }
    if (!s[i]) {
        snprintf(err, errlen, "empty output format");
        return -1;
    }
    while (s[i]) {
        if (s[i] != '%') {
            i++;
            continue;
        }
        if (add_literal(of, s + lit, i - lit, err, errlen) < 0)
            return -1;
        if (s[i + 1] == '%') {
            /* the second '%' starts the next literal */
            lit = i + 1;
            i += 2;
            continue;
        }
        if (parse_field(of, &i, err, errlen) < 0)
            return -1;
        lit = i;
    }
    return add_literal(of, s + lit, i - lit, err, errlen);
}

struct outfmt *outfmt_new(const char *format, bool json, char *err, size_t errlen)
{
    struct outfmt *of = calloc(1, sizeof *of);
    if (!of) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    of->json = json;
    of->require_all = true;
    if (!format) {
        of->default_line = true;
        of->needs_state = true; /* proc.name */
        return of;
    }
    of->src = strdup(format);
    of->toks = calloc(OUTFMT_MAX_TOKENS, sizeof *of->toks);
    if (!of->src || !of->toks) {
        outfmt_free(of);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (compile(of, err, errlen) < 0) {
        outfmt_free(of);
        return NULL;
    }
    return of;
}

void outfmt_free(struct outfmt *of)
{
    if (!of)
        return;
    for (size_t i = 0; i < of->ntoks; i++)
        if (of->toks[i].is_field)
            field_ref_free(&of->toks[i].ref);
    free(of->toks);
    free(of->src);
    free(of);
}

bool outfmt_needs_state(const struct outfmt *of) { return of->needs_state; }

/* The value cut or padded to width bytes; a cut never splits a UTF-8
 * sequence (escaped text is ASCII or valid UTF-8). */
static void put_width(struct skr_buf *out, const char *v, unsigned width)
{
    size_t n = strlen(v);
    if (!width) {
        skr_put_raw(out, v, n);
        return;
    }
    if (n > width) {
        n = width;
        while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
            n--;
    }
    skr_put_raw(out, v, n);
    for (size_t k = n; k < width; k++)
        skr_put_u8(out, ' ');
}

/* The thread's program name; an empty one (a thread the state invented
 * for an unknown tid) is unknown too, and an empty column would shift the
 * default line's columns. */
static const char *comm_of(const struct fld_ctx *ctx)
{
    const struct st_thread *th = ctx->se ? ctx->se->thread : NULL;
    return th && th->comm && th->comm[0] ? th->comm : NULL;
}

static bool format_text(struct outfmt *of, const struct fld_ctx *ctx, struct skr_buf *out)
{
    size_t mark = out->len;
    for (size_t i = 0; i < of->ntoks; i++) {
        struct tok *t = &of->toks[i];
        if (!t->is_field) {
            skr_put_raw(out, t->text, t->len);
            continue;
        }
        field_extract(&t->ref, ctx, &of->vals);
        if (of->vals.n == 0 && of->require_all) {
            out->len = mark;
            return false;
        }
        of->value[0] = 0;
        field_ref_format(&t->ref, &of->vals, of->value, sizeof of->value);
        put_width(out, of->value, t->width);
    }
    skr_put_u8(out, '\n');
    return true;
}

/* --- JSON ---------------------------------------------------------------- */

/* cJSON keeps numbers as doubles, which cannot hold a ns time exactly:
 * integers go in as raw JSON text (as in `saker info -j`). */
static cJSON *json_uint(uint64_t v)
{
    char t[24];
    snprintf(t, sizeof t, "%llu", (unsigned long long)v);
    return cJSON_CreateRaw(t);
}

static cJSON *json_int(int64_t v)
{
    char t[24];
    snprintf(t, sizeof t, "%lld", (long long)v);
    return cJSON_CreateRaw(t);
}

/* Trace bytes are escaped first, so what cJSON gets is UTF-8. */
static cJSON *json_bytes(const void *p, size_t n, struct skr_buf *tmp)
{
    skr_buf_reset(tmp);
    skr_escape_append(tmp, p, n);
    skr_put_u8(tmp, 0);
    return cJSON_CreateString(tmp->oom ? "" : (const char *)tmp->data);
}

static cJSON *json_fval(struct outfmt *of, const struct fval *v, const struct field_def *def)
{
    switch (v->type) {
    case FT_INT: return json_int(v->i);
    case FT_UINT:
    case FT_ABSTIME:
    case FT_RELTIME: return json_uint(v->u);
    case FT_BOOL: return cJSON_CreateBool(v->u != 0);
    default:
        /* already escaped by fval_format */
        of->value[0] = 0;
        fval_format(v, def, of->value, sizeof of->value);
        return cJSON_CreateString(of->value);
    }
}

static cJSON *json_args(const struct skr_event *ev, struct skr_buf *tmp)
{
    cJSON *o = cJSON_CreateObject();
    for (unsigned i = 0; o && i < ev->nparams; i++) {
        const struct skr_param_def *d = &ev->def->params[i];
        const struct skr_value *v = &ev->params[i];
        cJSON *item;
        if (d->wire == SKR_WIRE_ZIGZAG) {
            item = json_int(v->s);
        } else if (d->wire == SKR_WIRE_VARINT) {
            item = json_uint(v->u);
        } else {
            /* evtfmt escapes: the text is ASCII or valid UTF-8 */
            skr_buf_reset(tmp);
            evtfmt_value(tmp, d, v);
            skr_put_u8(tmp, 0);
            item = cJSON_CreateString(tmp->oom ? "" : (const char *)tmp->data);
        }
        cJSON_AddItemToObject(o, d->name, item);
    }
    return o;
}

static cJSON *json_default(const struct fld_ctx *ctx, struct skr_buf *tmp)
{
    const struct skr_event *ev = ctx->ev;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddItemToObject(o, "evt.num", json_uint(ev->num));
    cJSON_AddItemToObject(o, "evt.time", json_uint(ev->ts));
    cJSON_AddItemToObject(o, "evt.cpu", json_uint(ev->cpu));
    cJSON_AddStringToObject(o, "evt.dir", skr_dir_name(ev->def->dir));
    cJSON_AddStringToObject(o, "evt.type", ev->def->name);
    const char *comm = comm_of(ctx);
    cJSON_AddItemToObject(o, "proc.name", comm ? json_bytes(comm, strlen(comm), tmp) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "thread.tid", json_int(ev->tid));
    if (ctx->se && ctx->se->thread)
        cJSON_AddItemToObject(o, "proc.pid", json_int(ctx->se->thread->pid));
    cJSON_AddItemToObject(o, "evt.args", json_args(ev, tmp));
    return o;
}

/* The -p fields as keys; a field without value is null, one value a
 * scalar, several an array. NULL when a value is missing and all are
 * required. */
static cJSON *json_fields(struct outfmt *of, const struct fld_ctx *ctx, bool *skip)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o && i < of->ntoks; i++) {
        struct tok *t = &of->toks[i];
        if (!t->is_field)
            continue;
        field_extract(&t->ref, ctx, &of->vals);
        cJSON *item;
        if (of->vals.n == 0) {
            if (of->require_all) {
                *skip = true;
                cJSON_Delete(o);
                return NULL;
            }
            item = cJSON_CreateNull();
        } else if (of->vals.n == 1 && (!(t->ref.def->flags & FF_LIST) || t->ref.has_arg)) {
            item = json_fval(of, &of->vals.v[0], t->ref.def);
        } else {
            item = cJSON_CreateArray();
            for (size_t k = 0; item && k < of->vals.n; k++)
                cJSON_AddItemToArray(item, json_fval(of, &of->vals.v[k], t->ref.def));
        }
        cJSON_DeleteItemFromObject(o, t->name); /* a field named twice: the last wins */
        cJSON_AddItemToObject(o, t->name, item);
    }
    return o;
}

static bool format_json(struct outfmt *of, const struct fld_ctx *ctx, struct skr_buf *out)
{
    struct skr_buf tmp = { 0 };
    bool skip = false;
    cJSON *o = of->default_line ? json_default(ctx, &tmp) : json_fields(of, ctx, &skip);
    skr_buf_free(&tmp);
    if (skip)
        return false;
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!text) {
        out->oom = true; /* the caller reports it at the end, as for any append */
        return false;
    }
    skr_put_raw(out, text, strlen(text));
    skr_put_u8(out, '\n');
    cJSON_free(text);
    return true;
}

bool outfmt_event(struct outfmt *of, const struct fld_ctx *ctx, struct skr_buf *out)
{
    if (of->json)
        return format_json(of, ctx, out);
    if (of->default_line) {
        evtfmt_line(out, ctx->ev, comm_of(ctx));
        return true;
    }
    return format_text(of, ctx, out);
}
