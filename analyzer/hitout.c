/* hitout.c -- rendering a hit (see hitout.h for the formats): each rule's
 * output compiled twice through outfmt (the text, and a JSON object of its
 * fields), the time prefix, the database's columns, and the printed line.
 *
 * The rule's output is compiled as an outfmt "*" format: Falco prints an
 * alert even when a field has no value, showing "<NA>", which is what the
 * '*' prefix asks of outfmt. Every value is escaped by outfmt and
 * fvals_format, so nothing from the trace reaches a terminal raw. */
#include "hitout.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../reader/codec.h"
#include "../reader/escape.h"
#include "evtfmt.h"
#include "outfmt.h"

/* The database's columns, Falco's field names (hitdb-schema). */
enum { COL_PID, COL_TID, COL_NAME, COL_CMDLINE, COL_USER, COL_CONTAINER, NCOLS };
static const char *const col_fields[NCOLS] = {
    "proc.pid", "thread.tid", "proc.name", "proc.cmdline", "user.name", "container.id",
};
#define COL_VALUE_CAP 8192

struct horule {
    struct outfmt *text, *json;  /* NULL when the output is empty */
    char *tags_json;
};

struct hitout {
    const struct engine *e;
    bool iso8601, full;
    int omit;                    /* enum hitout_omit */
    struct horule *rules;
    size_t n;
    struct field_ref cols[NCOLS];
    struct fvals vals;
    char colval[NCOLS][COL_VALUE_CAP];
    struct skr_buf output, line, fields, tmp;
    char host[512];
};

void hitout_time_utc(uint64_t ns, char *buf, size_t len)
{
    time_t sec = (time_t)(ns / 1000000000u);
    struct tm tm;
    char d[40];
    gmtime_r(&sec, &tm);
    strftime(d, sizeof d, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%09uZ", d, (unsigned)(ns % 1000000000u));
}


static char *tags_json(const struct rules_rule *ru)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < ru->ntags; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(ru->tags[i]));
    char *s = a ? cJSON_PrintUnformatted(a) : NULL;
    cJSON_Delete(a);
    return s;
}

static int compile_rule(struct horule *hr, const struct rules_rule *ru, char *err, size_t errlen)
{
    if (!(hr->tags_json = tags_json(ru))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (!ru->output || !ru->output[0])
        return 0;
    size_t n = strlen(ru->output);
    char *fmt = malloc(n + 2);
    if (!fmt) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    fmt[0] = '*';
    memcpy(fmt + 1, ru->output, n + 1);
    char why[400];
    hr->text = outfmt_new(fmt, false, why, sizeof why);
    if (hr->text)
        hr->json = outfmt_new(fmt, true, why, sizeof why);
    free(fmt);
    if (!hr->text || !hr->json) {
        char esc[300];
        /* The loader checked every output already: this is not expected. */
        snprintf(err, errlen, "rule '%s': output: %s", skr_escape_str(ru->name, esc, sizeof esc),
                 why);
        return -1;
    }
    return 0;
}

struct hitout *hitout_new(const struct engine *e, bool iso8601, bool full, char *err,
                          size_t errlen)
{
    struct hitout *h = calloc(1, sizeof *h);
    size_t n = engine_count(e);
    if (!h || !(h->rules = calloc(n ? n : 1, sizeof *h->rules))) {
        free(h);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    h->e = e;
    h->n = n;
    h->iso8601 = iso8601;
    h->full = full;
    for (size_t i = 0; i < NCOLS; i++) {
        size_t used;
        char why[200];
        if (field_ref_parse(col_fields[i], &used, &h->cols[i], why, sizeof why) < 0) {
            snprintf(err, errlen, "%s: %s", col_fields[i], why);
            hitout_free(h);
            return NULL;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (compile_rule(&h->rules[i], engine_rule(e, i), err, errlen) < 0) {
            hitout_free(h);
            return NULL;
        }
    }
    return h;
}

void hitout_free(struct hitout *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        outfmt_free(h->rules[i].text);
        outfmt_free(h->rules[i].json);
        cJSON_free(h->rules[i].tags_json);
    }
    for (size_t i = 0; i < NCOLS; i++)
        if (h->cols[i].def)
            field_ref_free(&h->cols[i]);
    free(h->rules);
    skr_buf_free(&h->output);
    skr_buf_free(&h->line);
    skr_buf_free(&h->fields);
    skr_buf_free(&h->tmp);
    free(h);
}

/* Drops a trailing newline and NUL-ends the buffer. */
static void end_string(struct skr_buf *b)
{
    if (b->len && b->data[b->len - 1] == '\n')
        b->len--;
    skr_put_u8(b, 0);
    b->len--; /* the NUL stays, outside the length */
}

static void render_columns(struct hitout *h, const struct fld_ctx *ctx, struct hitout_hit *out)
{
    for (size_t i = 0; i < NCOLS; i++) {
        field_extract(&h->cols[i], ctx, &h->vals);
        bool has = h->vals.n > 0;
        if (i == COL_PID || i == COL_TID) {
            int64_t v = 0;
            if (has) {
                const struct fval *fv = &h->vals.v[0];
                v = fv->type == FT_INT ? fv->i : (int64_t)fv->u;
            }
            if (i == COL_PID) {
                out->has_pid = has;
                out->pid = v;
            } else {
                out->has_tid = has;
                out->tid = v;
            }
            continue;
        }
        const char *s = NULL;
        if (has) {
            h->colval[i][0] = 0;
            field_ref_format(&h->cols[i], &h->vals, h->colval[i], COL_VALUE_CAP);
            s = h->colval[i];
        }
        switch (i) {
        case COL_NAME: out->proc_name = s; break;
        case COL_CMDLINE: out->cmdline = s; break;
        case COL_USER: out->user_name = s; break;
        default: out->container_id = s; break;
        }
    }
}

bool hitout_render(struct hitout *h, size_t rule, const struct fld_ctx *ctx,
                   struct hitout_hit *out)
{
    const struct horule *hr = &h->rules[rule];
    const struct rules_rule *ru = engine_rule(h->e, rule);
    uint64_t ts = ctx->ev->ts;
    memset(out, 0, sizeof *out);
    out->time_ns = ts;
    out->rule = ru;
    out->tags_json = hr->tags_json;

    skr_buf_reset(&h->output);
    if (hr->text)
        outfmt_event(hr->text, ctx, &h->output);
    end_string(&h->output);

    const char *pri = rules_priority_name(ru->priority);
    skr_buf_reset(&h->line);
    /* Falco's prefix: evt.time (local) or, with time_format_iso_8601, UTC
     * with a "+0000" zone */
    evtfmt_clock(&h->line, ts, h->iso8601, true, h->iso8601);
    skr_put_raw(&h->line, ": ", 2);
    skr_put_raw(&h->line, pri, strlen(pri));
    skr_put_u8(&h->line, ' ');
    skr_put_raw(&h->line, h->output.data, h->output.len);
    end_string(&h->line);

    out->hostname = "";
    out->fields_json = "{}";
    if (!h->full)
        goto done;
    /* output_fields: the prefix's time field first, as Falco lists it,
     * then the rule's fields from outfmt's JSON object. */
    skr_buf_reset(&h->fields);
    char head[80];
    int hn = snprintf(head, sizeof head, "{\"%s\":%llu", h->iso8601 ? "evt.time.iso8601" : "evt.time",
                      (unsigned long long)ts);
    skr_put_raw(&h->fields, head, (size_t)hn);
    if (hr->json) {
        skr_buf_reset(&h->tmp);
        outfmt_event(hr->json, ctx, &h->tmp);
        end_string(&h->tmp);
        /* "{}" or "{"k":v,...}": splice what follows the brace */
        if (h->tmp.len > 2 && h->tmp.data[0] == '{') {
            skr_put_u8(&h->fields, ',');
            skr_put_raw(&h->fields, h->tmp.data + 1, h->tmp.len - 1);
        } else {
            skr_put_u8(&h->fields, '}');
        }
    } else {
        skr_put_u8(&h->fields, '}');
    }
    end_string(&h->fields);

    const char *host = ctx->hostname ? ctx->hostname : "";
    skr_escape_str(host, h->host, sizeof h->host);
    render_columns(h, ctx, out);
    if (h->fields.oom || h->tmp.oom)
        return false;
    out->fields_json = (const char *)h->fields.data;
    out->hostname = h->host;
done:
    if (h->output.oom || h->line.oom)
        return false;
    out->output = (const char *)h->output.data;
    out->line = (const char *)h->line.data;
    return true;
}

void hitout_set_omit(struct hitout *h, int omit) { h->omit = omit; }

bool hitout_omit_parse(const char *s, int *omit)
{
    *omit = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        if (n == 6 && !strncmp(s, "output", n))
            *omit |= HITOUT_OMIT_OUTPUT;
        else if (n == 4 && !strncmp(s, "tags", n))
            *omit |= HITOUT_OMIT_TAGS;
        else if (n == 13 && !strncmp(s, "output_fields", n))
            *omit |= HITOUT_OMIT_FIELDS;
        else
            return false;
        s += n + (s[n] == ',');
    }
    return *omit != 0;
}

bool hitout_format(struct hitout *h, const struct hitout_hit *hit, bool json, struct skr_buf *buf)
{
    if (!json) {
        skr_put_raw(buf, hit->line, strlen(hit->line));
        skr_put_u8(buf, '\n');
        return !buf->oom;
    }
    char t[48];
    hitout_time_utc(hit->time_ns, t, sizeof t);
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return false;
    cJSON_AddStringToObject(o, "hostname", hit->hostname);
    if (!(h->omit & HITOUT_OMIT_OUTPUT))
        cJSON_AddStringToObject(o, "output", hit->line);
    cJSON_AddStringToObject(o, "priority", rules_priority_name(hit->rule->priority));
    /* rule names come from the rules file, not the trace; cJSON escapes
     * control characters in any case */
    cJSON_AddStringToObject(o, "rule", hit->rule->name);
    cJSON_AddStringToObject(o, "source", hit->rule->source ? hit->rule->source : "syscall");
    if (!(h->omit & HITOUT_OMIT_TAGS))
        cJSON_AddItemToObject(o, "tags", cJSON_CreateRaw(hit->tags_json));
    cJSON_AddStringToObject(o, "time", t);
    if (!(h->omit & HITOUT_OMIT_FIELDS))
        cJSON_AddItemToObject(o, "output_fields", cJSON_CreateRaw(hit->fields_json));
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        return false;
    skr_put_raw(buf, text, strlen(text));
    skr_put_u8(buf, '\n');
    cJSON_free(text);
    return !buf->oom;
}
