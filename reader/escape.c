/* escape.c -- escaping traced bytes for display (see escape.h). A process
 * name or path may hold terminal escape sequences chosen by an attacker;
 * nothing here lets one through. */
#include "escape.h"

#include <string.h>

/* Length of a valid UTF-8 sequence at p that is safe to show (not a C1
 * control, not overlong, not a surrogate), or 0. */
static size_t utf8_ok(const uint8_t *p, size_t n)
{
    uint8_t c = p[0];
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    if (cp < 0xa0 || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    /* Bidirectional overrides reorder what a responder reads. */
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
        return 0;
    return len;
}

void skr_escape_append(struct skr_buf *out, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (!skr_buf_reserve(out, n + 16))
        return;
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            size_t j = i;
            while (j < n && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '\\')
                j++;
            skr_put_raw(out, p + i, j - i);
            i = j;
            continue;
        }
        if (c == '\\') {
            skr_put_raw(out, "\\\\", 2);
            i++;
            continue;
        }
        size_t u = c >= 0x80 ? utf8_ok(p + i, n - i) : 0;
        if (u) {
            skr_put_raw(out, p + i, u);
            i += u;
            continue;
        }
        char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
        skr_put_raw(out, e, 4);
        i++;
    }
}

/* Length of the escaped token at p: "\\xNN", "\\\\", a UTF-8 sequence
 * (already validated by skr_escape_append) or one byte. */
static size_t token_len(const uint8_t *p, size_t n)
{
    if (p[0] == '\\')
        return n >= 2 && p[1] == 'x' ? 4 : 2;
    if (p[0] >= 0xf0)
        return 4;
    if (p[0] >= 0xe0)
        return 3;
    if (p[0] >= 0xc0)
        return 2;
    return 1;
}

const char *skr_escape_str(const char *s, char *out, size_t outlen)
{
    struct skr_buf b = { 0 };
    if (!outlen)
        return out;
    skr_escape_append(&b, (const uint8_t *)s, s ? strlen(s) : 0);
    size_t n = b.len;
    if (n > outlen - 1) {
        /* Cut between tokens, never inside an escape or a character, and
         * say that it was cut. */
        size_t limit = outlen > 4 ? outlen - 4 : 0, pos = 0;
        while (pos < n) {
            size_t t = token_len(b.data + pos, n - pos);
            if (pos + t > limit)
                break;
            pos += t;
        }
        memcpy(out, b.data, pos);
        memcpy(out + pos, "...", outlen > 4 ? 3 : 0);
        n = pos + (outlen > 4 ? 3 : 0);
    } else if (n) {
        memcpy(out, b.data, n);
    }
    out[n] = 0;
    skr_buf_free(&b);
    return out;
}
