/* filter_lex.c -- the condition lexer: a cursor over the text that knows
 * its line and column, and the token shapes of Falco's grammar
 * (libsinsp filter/parser.cpp): identifiers, field names, numbers, bare
 * and quoted strings, keywords. The grammar is context dependent (a '<'
 * is an operator after a field and a bare value after '='), so the parser
 * asks for the token it expects next instead of reading a token stream.
 *
 * Quoted strings follow Falco: the closing quote is the first same quote
 * not preceded by a backslash, then the escapes \\ \" \' \/ \b \f \n \r \t
 * \xHH are decoded ("\ " gives a backslash, for old rules); any other
 * escape is an error. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_int.h"

void flex_init(struct flex *lx, const char *text, struct filter_error *err)
{
    *lx = (struct flex){ .src = text, .at = { 1, 1 }, .err = err };
}

void flex_advance(struct flex *lx, size_t n)
{
    for (size_t i = 0; i < n && lx->src[lx->pos]; i++) {
        if (lx->src[lx->pos] == '\n') {
            lx->at.line++;
            lx->at.col = 1;
        } else {
            lx->at.col++;
        }
        lx->pos++;
    }
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n';
}

bool flex_blank(struct flex *lx)
{
    size_t n = 0;
    while (is_blank(lx->src[lx->pos + n]))
        n++;
    flex_advance(lx, n);
    return n > 0;
}

bool flex_lit(struct flex *lx, const char *s)
{
    size_t n = strlen(s);
    if (strncmp(lx->src + lx->pos, s, n))
        return false;
    flex_advance(lx, n);
    return true;
}

static size_t ident_at(const char *p)
{
    size_t n = 0;
    if (!isalpha((unsigned char)p[0]))
        return 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_')
        n++;
    return n;
}

size_t flex_ident_len(const struct flex *lx)
{
    return ident_at(lx->src + lx->pos);
}

size_t flex_fieldname_len(const struct flex *lx)
{
    const char *p = lx->src + lx->pos;
    size_t n = ident_at(p), parts = 0;
    if (!n)
        return 0;
    for (;;) {
        size_t m = p[n] == '.' ? ident_at(p + n + 1) : 0;
        if (!m)
            break;
        n += 1 + m;
        parts++;
    }
    return parts ? n : 0;
}

size_t flex_bare_len(const struct flex *lx)
{
    const char *p = lx->src + lx->pos;
    size_t n = 0;
    while (p[n] && !is_blank(p[n]) && !strchr("()\"'=,", p[n]))
        n++;
    return n;
}

/* [+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)? or 0[xX][0-9a-fA-F]+ */
size_t flex_number_len(const struct flex *lx)
{
    const char *p = lx->src + lx->pos;
    size_t n = 0;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
        n = 2;
        while (isxdigit((unsigned char)p[n]))
            n++;
        return n;
    }
    if (p[n] == '+' || p[n] == '-')
        n++;
    if (!isdigit((unsigned char)p[n]))
        return 0;
    while (isdigit((unsigned char)p[n]))
        n++;
    if (p[n] == '.')
        n++;
    while (isdigit((unsigned char)p[n]))
        n++;
    if ((p[n] == 'e' || p[n] == 'E') && (p[n + 1] == '+' || p[n + 1] == '-') &&
        isdigit((unsigned char)p[n + 2])) {
        n += 2;
        while (isdigit((unsigned char)p[n]))
            n++;
    }
    return n;
}

bool flex_keyword(struct flex *lx, const char *kw, bool paren_ok)
{
    size_t n = strlen(kw);
    const char *p = lx->src + lx->pos;
    if (strncmp(p, kw, n) || !(is_blank(p[n]) || (paren_ok && p[n] == '(')))
        return false;
    flex_advance(lx, n);
    return true;
}

char *flex_take(struct flex *lx, size_t n)
{
    char *s = strndup(lx->src + lx->pos, n);
    if (s)
        flex_advance(lx, n);
    return s;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int flex_unescape(const char *q, size_t n, char **out, size_t *outlen, char *msg, size_t msglen,
                  size_t *bad)
{
    if (n < 2 || (q[0] != '"' && q[0] != '\'') || q[n - 1] != q[0]) {
        snprintf(msg, msglen, "malformed quoted string");
        *bad = 0;
        return -1;
    }
    char *r = malloc(n);
    if (!r) {
        snprintf(msg, msglen, "out of memory");
        *bad = 0;
        return -1;
    }
    size_t k = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        if (q[i] != '\\') {
            r[k++] = q[i];
            continue;
        }
        *bad = i;
        char c = q[++i];
        if (i + 1 >= n) {
            snprintf(msg, msglen, "unfinished escape at the end of a string");
            goto fail;
        }
        switch (c) {
        case 'b': r[k++] = '\b'; break;
        case 'f': r[k++] = '\f'; break;
        case 'n': r[k++] = '\n'; break;
        case 'r': r[k++] = '\r'; break;
        case 't': r[k++] = '\t'; break;
        case ' ': /* old rules wrote "\ " for a backslash; Falco still takes it */
        case '\\': r[k++] = '\\'; break;
        case '/': r[k++] = '/'; break;
        case '"':
        case '\'':
            if (c != q[0]) {
                snprintf(msg, msglen, "invalid \\%c escape in a %c-quoted string", c, q[0]);
                goto fail;
            }
            r[k++] = c;
            break;
        case 'x': {
            int h = i + 2 < n - 1 ? hexval(q[i + 1]) : -1;
            int l = h >= 0 ? hexval(q[i + 2]) : -1;
            if (l < 0) {
                snprintf(msg, msglen, "invalid \\x escape: two hex digits expected");
                goto fail;
            }
            r[k++] = (char)(h << 4 | l);
            i += 2;
            break;
        }
        default: {
            char e[8];
            flex_escape(&c, 1, e, sizeof e);
            snprintf(msg, msglen, "unsupported escape sequence '\\%s'", e);
            goto fail;
        }
        }
    }
    r[k] = '\0';
    *out = r;
    *outlen = k;
    return 0;
fail:
    free(r);
    return -1;
}

int flex_quoted(struct flex *lx, struct fstr *out)
{
    const char *p = lx->src + lx->pos;
    char q = p[0];
    if (q != '"' && q != '\'')
        return 0;
    size_t n = 1;
    while (p[n] && !(p[n] == q && p[n - 1] != '\\'))
        n++;
    if (!p[n])
        return flex_error_at(lx->err, lx->at,
                             "unterminated string (the %c opened here has no closing %c)", q, q);
    if (n + 1 > FILTER_MAX_TOKEN)
        return flex_error_at(lx->err, lx->at, "string longer than %d bytes", FILTER_MAX_TOKEN);
    char msg[160];
    size_t bad = 0;
    *out = (struct fstr){ .quoted = true, .pos = lx->at };
    if (flex_unescape(p, n + 1, &out->s, &out->len, msg, sizeof msg, &bad) < 0) {
        flex_advance(lx, bad);
        return flex_error_at(lx->err, lx->at, "%s", msg);
    }
    flex_advance(lx, n + 1);
    return 1;
}

int flex_error_at(struct filter_error *err, struct fpos at, const char *fmt, ...)
{
    char m[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    err->line = at.line;
    err->col = at.col;
    snprintf(err->msg, sizeof err->msg, "%d:%d: %s", at.line, at.col, m);
    return -1;
}

void flex_escape(const char *s, size_t n, char *buf, size_t len)
{
    size_t k = 0;
    if (!len)
        return;
    for (size_t i = 0; i < n && k + 5 < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f)
            buf[k++] = (char)c;
        else
            k += (size_t)snprintf(buf + k, len - k, "\\x%02x", c);
    }
    buf[k] = '\0';
}

void flex_near(const struct flex *lx, char *buf, size_t len)
{
    const char *p = lx->src + lx->pos;
    size_t n = 0;
    while (p[n] && !is_blank(p[n]) && n < 24)
        n++;
    if (!n && p[0])
        n = 1;
    flex_escape(p, n, buf, len);
}
