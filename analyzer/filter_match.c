/* filter_match.c -- the pattern operators' matchers: glob (fnmatch
 * without FNM_PATHNAME, as libsinsp's glob_match: '*' crosses '/',
 * backslash escapes, [set] [!set] [^set] with ranges, no NUL needed),
 * pmatch's path prefixes (whole components, each may be a glob: the
 * libsinsp path_prefix_search), and regex compilation (POSIX ERE made to
 * read like RE2's POSIX mode, anchored at both ends). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_int.h"

static inline unsigned char lc(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* One pattern element at p[*pi] against c; advances *pi past it. */
static bool glob_one(const char *p, size_t plen, size_t *pi, unsigned char c, bool icase)
{
    size_t i = *pi;
    if (p[i] == '?') {
        *pi = i + 1;
        return true;
    }
    if (p[i] == '[') {
        size_t j = i + 1;
        bool neg = j < plen && (p[j] == '!' || p[j] == '^');
        if (neg)
            j++;
        size_t start = j;
        while (j < plen && (p[j] != ']' || j == start))
            j++;
        if (j < plen) { /* a complete class */
            bool in = false;
            for (size_t k = start; k < j; k++) {
                unsigned char lo_c = (unsigned char)p[k], hi_c = lo_c;
                if (k + 2 < j && p[k + 1] == '-') {
                    hi_c = (unsigned char)p[k + 2];
                    k += 2;
                }
                if ((c >= lo_c && c <= hi_c) ||
                    (icase && lc(c) >= lc(lo_c) && lc(c) <= lc(hi_c)))
                    in = true;
            }
            *pi = j + 1;
            return in != neg;
        }
        /* no closing ']': a literal '[' */
    }
    if (p[i] == '\\' && i + 1 < plen)
        i++;
    *pi = i + 1;
    unsigned char pc = (unsigned char)p[i];
    return icase ? lc(pc) == lc(c) : pc == c;
}

bool fops_glob(const char *p, size_t plen, const char *s, size_t slen, bool icase)
{
    size_t pi = 0, si = 0, star_p = SIZE_MAX, star_s = 0;
    while (si < slen) {
        if (pi < plen && p[pi] == '*') {
            star_p = ++pi;
            star_s = si;
            continue;
        }
        size_t next = pi;
        if (pi < plen && glob_one(p, plen, &next, (unsigned char)s[si], icase)) {
            pi = next;
            si++;
            continue;
        }
        if (star_p == SIZE_MAX)
            return false;
        pi = star_p;
        si = ++star_s;
    }
    while (pi < plen && p[pi] == '*')
        pi++;
    return pi == plen;
}

static bool has_glob(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '*' || s[i] == '?' || s[i] == '[')
            return true;
    return false;
}

/* Next path component at s[*i..n): returns its start, sets *len. */
static const char *next_comp(const char *s, size_t n, size_t *i, size_t *len)
{
    while (*i < n && s[*i] == '/')
        (*i)++;
    size_t b = *i;
    while (*i < n && s[*i] != '/')
        (*i)++;
    *len = *i - b;
    return *len ? s + b : NULL;
}

bool fops_pmatch_prefix(const struct fval *pre, const char *s, size_t n)
{
    size_t pi = 0, si = 0, pl, sl;
    const char *pc, *sc;
    if (pre->len && !has_glob(pre->s, pre->len)) {
        /* fast: a plain prefix ending at a component boundary */
        if (n < pre->len || (pre->len && memcmp(s, pre->s, pre->len)))
            goto slow; /* slashes may differ ("//"); compare by components */
        return n == pre->len || s[pre->len] == '/' || pre->s[pre->len - 1] == '/';
    }
slow:
    while ((pc = next_comp(pre->s, pre->len, &pi, &pl))) {
        if (!(sc = next_comp(s, n, &si, &sl)))
            return false;
        if (!fops_glob(pc, pl, sc, sl, false))
            return false;
    }
    return true;
}

int fops_regcomp(struct ccheck *c, regex_t *re, char *msg, size_t msglen)
{
    if (memchr(c->one.s, '\0', c->one.len)) {
        snprintf(msg, msglen, "a NUL byte");
        return -1;
    }
    /* RE2, which libsinsp uses, reads a '{' that starts no {n}, {n,} or
     * {n,m} as a literal brace; POSIX regcomp refuses it, so escape it */
    const char *s = c->one.s;
    size_t len = c->one.len, k = 0;
    char *p = malloc(len * 2 + 8);
    if (!p) {
        snprintf(msg, msglen, "out of memory");
        return -1;
    }
    p[k++] = '^';
    p[k++] = '(';
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len) {
            p[k++] = s[i++];
            p[k++] = s[i];
            continue;
        }
        if (s[i] == '[') { /* a bracket expression is copied as is */
            size_t j = i + 1;
            if (j < len && s[j] == '^')
                j++;
            if (j < len && s[j] == ']')
                j++;
            while (j < len && s[j] != ']')
                j++;
            if (j < len) {
                memcpy(p + k, s + i, j - i + 1);
                k += j - i + 1;
                i = j;
                continue;
            }
        }
        if (s[i] == '{') {
            size_t j = i + 1, d1 = 0;
            while (j < len && isdigit((unsigned char)s[j]))
                j++, d1++;
            if (d1 && j < len && s[j] == ',')
                for (j++; j < len && isdigit((unsigned char)s[j]);)
                    j++;
            if (!d1 || j >= len || s[j] != '}')
                p[k++] = '\\';
        }
        p[k++] = s[i];
    }
    p[k++] = ')';
    p[k++] = '$';
    p[k] = '\0';
    int r = regcomp(re, p, REG_EXTENDED | REG_NOSUB);
    free(p);
    if (r) {
        regerror(r, re, msg, msglen);
        return -1;
    }
    c->re = re;
    return 0;
}

