/* filter_transform.c -- field transformers (tolower, toupper, b64,
 * basename, len) as Falco defines them (LANGUAGE.md §7): their result
 * types, checked at compile time, and their application to extracted
 * values. Results are written into a caller's fixed buffer, so evaluation
 * still allocates nothing; a value that does not fit is dropped (the check
 * then sees fewer values), which only happens past FXBUF_SIZE bytes of
 * transformed text in one check. */
#include <string.h>

#include "filter_int.h"

int fxf_result_type(int xf, int type, bool multi, const char **why)
{
    bool str = type == FT_STRING || type == FT_BYTES;
    *why = NULL;
    switch (xf) {
    case FX_TOLOWER:
    case FX_TOUPPER:
    case FX_BASENAME:
    case FX_B64:
        if (str)
            return type;
        *why = "needs a string field";
        return FT_NONE;
    case FX_LEN:
        if (str || multi)
            return FT_UINT;
        *why = "needs a string or a list field";
        return FT_NONE;
    default:
        *why = "is not a transformer";
        return FT_NONE;
    }
}

static char *room(struct fxbuf *b, size_t n)
{
    if (n > b->cap - b->len)
        return NULL;
    char *p = b->p + b->len;
    b->len += n;
    return p;
}

static int b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Standard base64, padding optional; -1 when s is not base64. */
static long b64_decode(const char *s, size_t n, char *out)
{
    while (n && s[n - 1] == '=')
        n--;
    if (n % 4 == 1)
        return -1;
    size_t k = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64val((unsigned char)s[i]);
        if (v < 0)
            return -1;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[k++] = (char)(acc >> bits);
        }
    }
    return (long)k;
}

void fxf_apply(int xf, bool multi, const struct fvals *in, struct fvals *out, struct fxbuf *buf)
{
    out->n = 0;
    if (xf == FX_LEN && multi) {
        fvals_uint(out, in->n);
        return;
    }
    for (size_t i = 0; i < in->n; i++) {
        const struct fval *v = &in->v[i];
        if (xf == FX_LEN) {
            fvals_uint(out, v->len);
            continue;
        }
        if (v->type != FT_STRING && v->type != FT_BYTES)
            continue;
        struct fval r = *v;
        if (xf == FX_BASENAME) {
            const char *slash = v->len ? memrchr(v->s, '/', v->len) : NULL;
            if (slash) {
                r.s = slash + 1;
                r.len = v->len - (size_t)(slash + 1 - v->s);
            }
        } else {
            char *p = room(buf, v->len ? v->len : 1);
            if (!p)
                continue;
            if (xf == FX_B64) {
                long k = b64_decode(v->s, v->len, p);
                if (k < 0)
                    continue;
                r.len = (size_t)k;
            } else {
                for (size_t j = 0; j < v->len; j++) {
                    unsigned char c = (unsigned char)v->s[j];
                    if (xf == FX_TOLOWER && c >= 'A' && c <= 'Z')
                        c = (unsigned char)(c + 32);
                    else if (xf == FX_TOUPPER && c >= 'a' && c <= 'z')
                        c = (unsigned char)(c - 32);
                    p[j] = (char)c;
                }
            }
            r.s = p;
        }
        if (out->n < FVALS_MAX)
            out->v[out->n++] = r;
    }
}
