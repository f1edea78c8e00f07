/* filter_ops.c -- the comparison operators: which types each accepts, how
 * constants are converted for them at compile time, and the comparison
 * functions evaluation calls (one per operator and type, chosen once).
 *
 * Semantics follow libsinsp (filter_compare.cpp, sinsp_filtercheck.cpp):
 * strings compare bytewise, icontains/iglob fold ASCII case, glob,
 * pmatch and regex match as filter_match.c says, IP comparisons test membership in the constant's network (an address
 * is a /32 or /128), bcontains/bstartswith take hex bytes. Sets for
 * in/intersects are sorted once and binary searched. */
#include <arpa/inet.h>
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_int.h"

static const char *const op_names[FOP_COUNT] = {
    [FOP_EQ] = "=", [FOP_NE] = "!=", [FOP_LT] = "<", [FOP_LE] = "<=", [FOP_GT] = ">",
    [FOP_GE] = ">=", [FOP_CONTAINS] = "contains", [FOP_ICONTAINS] = "icontains",
    [FOP_BCONTAINS] = "bcontains", [FOP_STARTSWITH] = "startswith",
    [FOP_BSTARTSWITH] = "bstartswith", [FOP_ENDSWITH] = "endswith", [FOP_GLOB] = "glob",
    [FOP_IGLOB] = "iglob", [FOP_REGEX] = "regex", [FOP_IN] = "in",
    [FOP_INTERSECTS] = "intersects", [FOP_PMATCH] = "pmatch", [FOP_EXISTS] = "exists",
};

static const char *const xf_names[FX_COUNT] = {
    [FX_NONE] = "", [FX_TOLOWER] = "tolower", [FX_TOUPPER] = "toupper", [FX_B64] = "b64",
    [FX_BASENAME] = "basename", [FX_LEN] = "len", [FX_VAL] = "val",
};

const char *filter_op_name(int op)
{
    assert(op >= 0 && op < FOP_COUNT);
    return op_names[op];
}

const char *filter_xf_name(int xf)
{
    assert(xf >= 0 && xf < FX_COUNT);
    return xf_names[xf];
}

static bool is_num(int t)
{
    return t == FT_INT || t == FT_UINT || t == FT_ABSTIME || t == FT_RELTIME;
}

static bool is_ip(int t)
{
    return t == FT_IPADDR || t == FT_IPNET;
}

/* Mirrors libsinsp's flt_is_comparable_* tables; bcontains/bstartswith
 * are also allowed on strings (they compare the raw bytes either way). */
const char *fops_check_type(int op, int type)
{
    if (op == FOP_EXISTS)
        return NULL;
    switch (op) {
    case FOP_EQ: case FOP_NE: case FOP_IN: case FOP_INTERSECTS:
        return NULL;
    case FOP_LT: case FOP_LE: case FOP_GT: case FOP_GE:
        return is_num(type) || type == FT_STRING || type == FT_NONE ? NULL
                                                                    : "needs a number or a string";
    case FOP_CONTAINS: case FOP_STARTSWITH: case FOP_ENDSWITH: case FOP_BCONTAINS:
    case FOP_BSTARTSWITH:
        return type == FT_STRING || type == FT_BYTES ? NULL : "needs a string or bytes";
    default: /* icontains, glob, iglob, pmatch, regex */
        return type == FT_STRING ? NULL : "needs a string";
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int parse_ip(const char *s, size_t len, bool net, struct fval *out, char *msg,
                    size_t msglen)
{
    char buf[INET6_ADDRSTRLEN + 8];
    if (len >= sizeof buf)
        goto bad;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *slash = strchr(buf, '/');
    long prefix = -1;
    if (slash) {
        char *end;
        *slash = '\0';
        errno = 0;
        prefix = strtol(slash + 1, &end, 10);
        if (errno || end == slash + 1 || *end || prefix < 0)
            goto bad;
    }
    *out = (struct fval){ .type = net ? FT_IPNET : FT_IPADDR };
    if (inet_pton(AF_INET, buf, out->ip) == 1) {
        out->ipfam = 4;
        if (prefix > 32)
            goto bad;
        out->prefix = (uint8_t)(prefix < 0 ? 32 : prefix);
    } else if (inet_pton(AF_INET6, buf, out->ip) == 1) {
        out->ipfam = 6;
        if (prefix > 128)
            goto bad;
        out->prefix = (uint8_t)(prefix < 0 ? 128 : prefix);
    } else {
        goto bad;
    }
    return 0;
bad:
    snprintf(msg, msglen, "not an IP %s", net ? "network (a.b.c.d/n)" : "address");
    return -1;
}

int fops_parse_const(int op, int type, const char *s, size_t len, struct fval *out,
                     struct farena **a, char *msg, size_t msglen)
{
    *out = (struct fval){ .type = (uint8_t)type };
    if (is_num(type)) {
        char *end;
        bool hex = len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
        errno = 0;
        if (len == 0 || memchr(s, '\0', len) || isspace((unsigned char)s[0]))
            goto notnum;
        if (type == FT_INT)
            out->i = strtoll(s, &end, hex ? 16 : 10);
        else if (s[0] == '-')
            goto notnum;
        else
            out->u = strtoull(s, &end, hex ? 16 : 10);
        if (errno || end != s + len)
            goto notnum;
        return 0;
    notnum:
        snprintf(msg, msglen, "not %s number", type == FT_INT ? "a" : "an unsigned");
        return -1;
    }
    if (type == FT_BOOL) {
        if (len == 4 && !memcmp(s, "true", 4))
            out->u = 1;
        else if (!(len == 5 && !memcmp(s, "false", 5))) {
            snprintf(msg, msglen, "not a boolean (true or false)");
            return -1;
        }
        return 0;
    }
    if (type == FT_NONE) {
        /* a field whose type depends on the event (evt.rawarg.NAME): keep
         * the text, and the number it spells if it is one */
        char *d = farena_strndup(a, s, len), *end;
        if (!d)
            goto oom;
        *out = (struct fval){ .type = FT_STRING, .s = d, .len = len };
        bool hex = len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
        errno = 0;
        long long i = strtoll(d, &end, hex ? 16 : 10);
        if (len && !errno && end == d + len) {
            out->type = FT_INT;
            out->i = i;
            out->u = i < 0 ? 0 : (uint64_t)i;
            return 0;
        }
        errno = 0;
        unsigned long long u = strtoull(d, &end, hex ? 16 : 10);
        if (len && d[0] != '-' && !errno && end == d + len) {
            out->type = FT_UINT;
            out->u = u;
        }
        return 0;
    }
    if (is_ip(type))
        return parse_ip(s, len, type == FT_IPNET || strchr(s, '/'), out, msg, msglen);
    /* strings and bytes */
    if (op == FOP_BCONTAINS || op == FOP_BSTARTSWITH) {
        if (len % 2) {
            snprintf(msg, msglen, "not a hex byte string (odd number of digits)");
            return -1;
        }
        char *b = farena_alloc(a, len / 2 + 1);
        if (!b)
            goto oom;
        for (size_t i = 0; i < len; i += 2) {
            int h = hexval(s[i]), l = hexval(s[i + 1]);
            if (h < 0 || l < 0) {
                snprintf(msg, msglen, "not a hex byte string");
                return -1;
            }
            b[i / 2] = (char)(h << 4 | l);
        }
        out->s = b;
        out->len = len / 2;
        return 0;
    }
    if (op == FOP_PMATCH) {
        /* components are compared, so trailing slashes mean nothing */
        while (len > 1 && s[len - 1] == '/')
            len--;
    }
    char *c = farena_strndup(a, s, len);
    if (!c)
        goto oom;
    if (op == FOP_ICONTAINS)
        for (size_t i = 0; i < len; i++)
            c[i] = (char)tolower((unsigned char)c[i]);
    out->s = c;
    out->len = len;
    return 0;
oom:
    snprintf(msg, msglen, "out of memory");
    return -1;
}

/* ---- value access that tolerates an extractor's type choice ---- */

static inline int64_t vi(const struct fval *v)
{
    return v->type == FT_INT ? v->i : (int64_t)v->u;
}
static inline uint64_t vu(const struct fval *v)
{
    return v->type == FT_INT ? (uint64_t)v->i : v->u;
}

static int strcmp3(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int r = n ? memcmp(a, b, n) : 0;
    return r ? r : (alen > blen) - (alen < blen);
}

static const unsigned char *lower_table(void)
{
    static unsigned char t[256];
    static bool done;
    if (!done) {
        for (int i = 0; i < 256; i++)
            t[i] = (unsigned char)tolower(i);
        done = true;
    }
    return t;
}

static bool icontains(const char *h, size_t hl, const char *n, size_t nl)
{
    const unsigned char *lo = lower_table();
    if (nl > hl)
        return false;
    for (size_t i = 0; i + nl <= hl; i++) {
        size_t j = 0;
        while (j < nl && lo[(unsigned char)h[i + j]] == lo[(unsigned char)n[j]])
            j++;
        if (j == nl)
            return true;
    }
    return false;
}

/* ---- comparison functions ---- */

#define C1 (&c->one)
static bool s_eq(const struct ccheck *c, const struct fval *v)
{
    /* no memcmp on zero lengths: an empty value may come with a NULL s */
    /* the first byte settles most mismatches without a memcmp call */
    return v->len == C1->len &&
           (!v->len || (v->s[0] == C1->s[0] && !memcmp(v->s, C1->s, v->len)));
}
static bool s_ne(const struct ccheck *c, const struct fval *v) { return !s_eq(c, v); }
static bool s_lt(const struct ccheck *c, const struct fval *v)
{
    return strcmp3(v->s, v->len, C1->s, C1->len) < 0;
}
static bool s_le(const struct ccheck *c, const struct fval *v)
{
    return strcmp3(v->s, v->len, C1->s, C1->len) <= 0;
}
static bool s_gt(const struct ccheck *c, const struct fval *v)
{
    return strcmp3(v->s, v->len, C1->s, C1->len) > 0;
}
static bool s_ge(const struct ccheck *c, const struct fval *v)
{
    return strcmp3(v->s, v->len, C1->s, C1->len) >= 0;
}
/* memmem()'s answer, by memchr for the needle's first byte and memcmp
 * for the rest: values and needles are short (paths, flag names), and
 * glibc's memmem spends more on its set-up than on the search (1.4% of a
 * replay with Falco's rules, perf). */
static bool contains(const char *h, size_t hl, const char *n, size_t nl)
{
    if (nl > hl)
        return false;
    size_t room = hl - nl + 1; /* positions a match may start at */
    for (const char *p = h; (p = memchr(p, n[0], room - (size_t)(p - h))); p++)
        if (!memcmp(p + 1, n + 1, nl - 1))
            return true;
    return false;
}

static bool s_contains(const struct ccheck *c, const struct fval *v)
{
    return !C1->len || (v->len && contains(v->s, v->len, C1->s, C1->len));
}
static bool s_icontains(const struct ccheck *c, const struct fval *v)
{
    return icontains(v->s, v->len, C1->s, C1->len);
}
static bool s_startswith(const struct ccheck *c, const struct fval *v)
{
    return v->len >= C1->len && (!C1->len || !memcmp(v->s, C1->s, C1->len));
}
static bool s_endswith(const struct ccheck *c, const struct fval *v)
{
    size_t n = C1->len;
    return v->len >= n && (!n || !memcmp(v->s + v->len - n, C1->s, n));
}
static bool s_glob(const struct ccheck *c, const struct fval *v)
{
    return fops_glob(C1->s, C1->len, v->s, v->len, false);
}
static bool s_iglob(const struct ccheck *c, const struct fval *v)
{
    return fops_glob(C1->s, C1->len, v->s, v->len, true);
}
static bool s_in(const struct ccheck *c, const struct fval *v)
{
    if (v->len < c->minlen || v->len > c->maxlen)
        return false;
    size_t lo = 0, hi = c->nset;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct fval *m = &c->set[mid].v;
        int r = m->len != v->len ? (m->len < v->len ? -1 : 1)
                : !v->len ? 0
                : m->s[0] != v->s[0] ? ((unsigned char)m->s[0] < (unsigned char)v->s[0] ? -1 : 1)
                : memcmp(m->s, v->s, v->len);
        if (!r)
            return true;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}
static bool s_pmatch(const struct ccheck *c, const struct fval *v)
{
    for (size_t i = 0; i < c->nset; i++)
        if (fops_pmatch_prefix(&c->set[i].v, v->s, v->len))
            return true;
    return false;
}

static bool i_eq(const struct ccheck *c, const struct fval *v) { return vi(v) == C1->i; }
static bool i_ne(const struct ccheck *c, const struct fval *v) { return vi(v) != C1->i; }
static bool i_lt(const struct ccheck *c, const struct fval *v) { return vi(v) < C1->i; }
static bool i_le(const struct ccheck *c, const struct fval *v) { return vi(v) <= C1->i; }
static bool i_gt(const struct ccheck *c, const struct fval *v) { return vi(v) > C1->i; }
static bool i_ge(const struct ccheck *c, const struct fval *v) { return vi(v) >= C1->i; }
static bool u_eq(const struct ccheck *c, const struct fval *v) { return vu(v) == C1->u; }
static bool u_ne(const struct ccheck *c, const struct fval *v) { return vu(v) != C1->u; }
static bool u_lt(const struct ccheck *c, const struct fval *v) { return vu(v) < C1->u; }
static bool u_le(const struct ccheck *c, const struct fval *v) { return vu(v) <= C1->u; }
static bool u_gt(const struct ccheck *c, const struct fval *v) { return vu(v) > C1->u; }
static bool u_ge(const struct ccheck *c, const struct fval *v) { return vu(v) >= C1->u; }
static bool i_in(const struct ccheck *c, const struct fval *v)
{
    int64_t x = vi(v);
    size_t lo = 0, hi = c->nset;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->set[mid].v.i == x)
            return true;
        if (c->set[mid].v.i < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}
static bool u_in(const struct ccheck *c, const struct fval *v)
{
    uint64_t x = vu(v);
    size_t lo = 0, hi = c->nset;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->set[mid].v.u == x)
            return true;
        if (c->set[mid].v.u < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Is address a inside network n (n->prefix leading bits)? */
static bool ip_in_net(const struct fval *a, const struct fval *n)
{
    if (a->ipfam != n->ipfam)
        return false;
    unsigned bits = n->prefix, full = bits / 8, rest = bits % 8;
    if (memcmp(a->ip, n->ip, full))
        return false;
    if (!rest)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a->ip[full] & mask) == (n->ip[full] & mask);
}
static bool ip_eq(const struct ccheck *c, const struct fval *v) { return ip_in_net(v, C1); }
static bool ip_ne(const struct ccheck *c, const struct fval *v) { return !ip_in_net(v, C1); }
static bool ip_in(const struct ccheck *c, const struct fval *v)
{
    for (size_t i = 0; i < c->nset; i++)
        if (ip_in_net(v, &c->set[i].v))
            return true;
    return false;
}
/* Fields typed per event (FT_NONE): order v against constant k by what v
 * turned out to be; *ok is false when they cannot be compared. */
static int dyn_order(const struct fval *v, const struct fval *k, bool *ok)
{
    *ok = true;
    if (v->type == FT_STRING || v->type == FT_BYTES)
        return strcmp3(v->s, v->len, k->s, k->len);
    if (k->type == FT_STRING || is_ip(v->type)) {
        *ok = false;
        return 0;
    }
    if (v->type == FT_INT) {
        if (k->type == FT_UINT)
            return -1; /* k > INT64_MAX */
        return (v->i > k->i) - (v->i < k->i);
    }
    if (k->type == FT_INT && k->i < 0)
        return 1;
    return (v->u > k->u) - (v->u < k->u);
}
static bool d_eq(const struct ccheck *c, const struct fval *v)
{
    bool ok;
    int r = dyn_order(v, &c->one, &ok);
    return ok && r == 0;
}
static bool d_ne(const struct ccheck *c, const struct fval *v) { return !d_eq(c, v); }
static bool d_lt(const struct ccheck *c, const struct fval *v)
{
    bool ok;
    int r = dyn_order(v, &c->one, &ok);
    return ok && r < 0;
}
static bool d_le(const struct ccheck *c, const struct fval *v)
{
    bool ok;
    int r = dyn_order(v, &c->one, &ok);
    return ok && r <= 0;
}
static bool d_gt(const struct ccheck *c, const struct fval *v)
{
    bool ok;
    int r = dyn_order(v, &c->one, &ok);
    return ok && r > 0;
}
static bool d_ge(const struct ccheck *c, const struct fval *v)
{
    bool ok;
    int r = dyn_order(v, &c->one, &ok);
    return ok && r >= 0;
}
static bool d_in(const struct ccheck *c, const struct fval *v)
{
    for (size_t i = 0; i < c->nset; i++) {
        bool ok;
        if (!dyn_order(v, &c->set[i].v, &ok) && ok)
            return true;
    }
    return false;
}

/* Modifiers: the operator against each item (libsinsp matches_*_rhs). */
static bool m_any(const struct ccheck *c, const struct fval *v)
{
    for (size_t i = 0; i < c->nset; i++)
        if (c->sub[i].cmp(&c->sub[i], v))
            return true;
    return false;
}
static bool m_one(const struct ccheck *c, const struct fval *v)
{
    size_t k = 0;
    for (size_t i = 0; i < c->nset && k < 2; i++)
        k += c->sub[i].cmp(&c->sub[i], v);
    return k == 1;
}
static bool m_all(const struct ccheck *c, const struct fval *v)
{
    for (size_t i = 0; i < c->nset; i++)
        if (!c->sub[i].cmp(&c->sub[i], v))
            return false;
    return c->nset > 0;
}

/* regexec over the value's bytes (REG_STARTEND: no NUL needed). glibc's
 * matcher may allocate internally: the one exception to evaluation not
 * allocating, for an operator no rules file in the corpus uses. */
static bool s_regex(const struct ccheck *c, const struct fval *v)
{
    regmatch_t m = { .rm_so = 0, .rm_eo = (regoff_t)v->len };
    return regexec(c->re, v->s ? v->s : "", 1, &m, REG_STARTEND) == 0;
}

static bool always(const struct ccheck *c, const struct fval *v)
{
    (void)c;
    (void)v;
    return true;
}
static bool never(const struct ccheck *c, const struct fval *v)
{
    (void)c;
    (void)v;
    return false;
}
#undef C1

static int cmp_str_set(const void *a, const void *b)
{
    const struct fval *x = &((const struct cconst *)a)->v, *y = &((const struct cconst *)b)->v;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return memcmp(x->s, y->s, x->len);
}
static int cmp_i_set(const void *a, const void *b)
{
    int64_t x = ((const struct cconst *)a)->v.i, y = ((const struct cconst *)b)->v.i;
    return (x > y) - (x < y);
}
static int cmp_u_set(const void *a, const void *b)
{
    uint64_t x = ((const struct cconst *)a)->v.u, y = ((const struct cconst *)b)->v.u;
    return (x > y) - (x < y);
}

void fops_prepare(struct ccheck *c, struct farena **a)
{
    (void)a;
    (void)lower_table(); /* built here, before any evaluation reads it */
    int t = c->type;
    bool set = c->op == FOP_IN || c->op == FOP_INTERSECTS || c->op == FOP_PMATCH;
    if (c->op == FOP_EXISTS) {
        c->cmp = always;
        return;
    }
    if ((set || c->mod) && c->nset == 0) {
        c->cmp = never; /* an empty list never matches */
        return;
    }
    if (c->mod) {
        assert(c->sub);
        for (size_t i = 0; i < c->nset; i++) {
            c->sub[i] = (struct ccheck){ .op = c->op, .type = c->type, .one = c->set[i].v };
            fops_prepare(&c->sub[i], a);
        }
        c->cmp = c->mod == FM_ANYOF ? m_any : c->mod == FM_ONEOF ? m_one : m_all;
        return;
    }
    if (t == FT_STRING || t == FT_BYTES) {
        if (c->op == FOP_PMATCH) {
            c->cmp = s_pmatch;
        } else if (set) {
            qsort(c->set, c->nset, sizeof *c->set, cmp_str_set);
            c->minlen = c->set[0].v.len;
            c->maxlen = c->set[c->nset - 1].v.len;
            c->cmp = s_in;
        } else {
            static const fcmp_fn by_op[FOP_COUNT] = {
                [FOP_EQ] = s_eq, [FOP_NE] = s_ne, [FOP_LT] = s_lt, [FOP_LE] = s_le,
                [FOP_GT] = s_gt, [FOP_GE] = s_ge, [FOP_CONTAINS] = s_contains,
                [FOP_ICONTAINS] = s_icontains, [FOP_BCONTAINS] = s_contains,
                [FOP_STARTSWITH] = s_startswith, [FOP_BSTARTSWITH] = s_startswith,
                [FOP_ENDSWITH] = s_endswith, [FOP_GLOB] = s_glob, [FOP_IGLOB] = s_iglob,
                [FOP_REGEX] = s_regex,
            };
            c->cmp = by_op[c->op];
        }
    } else if (t == FT_INT) {
        static const fcmp_fn by_op[FOP_COUNT] = {
            [FOP_EQ] = i_eq, [FOP_NE] = i_ne, [FOP_LT] = i_lt, [FOP_LE] = i_le,
            [FOP_GT] = i_gt, [FOP_GE] = i_ge,
        };
        if (set)
            qsort(c->set, c->nset, sizeof *c->set, cmp_i_set);
        c->cmp = set ? i_in : by_op[c->op];
    } else if (is_num(t) || t == FT_BOOL) {
        static const fcmp_fn by_op[FOP_COUNT] = {
            [FOP_EQ] = u_eq, [FOP_NE] = u_ne, [FOP_LT] = u_lt, [FOP_LE] = u_le,
            [FOP_GT] = u_gt, [FOP_GE] = u_ge,
        };
        if (set)
            qsort(c->set, c->nset, sizeof *c->set, cmp_u_set);
        c->cmp = set ? u_in : by_op[c->op];
    } else if (is_ip(t)) {
        c->cmp = set ? ip_in : c->op == FOP_EQ ? ip_eq : ip_ne;
    } else if (t == FT_NONE) {
        static const fcmp_fn by_op[FOP_COUNT] = {
            [FOP_EQ] = d_eq, [FOP_NE] = d_ne, [FOP_LT] = d_lt, [FOP_LE] = d_le,
            [FOP_GT] = d_gt, [FOP_GE] = d_ge,
        };
        c->cmp = set ? d_in : by_op[c->op];
    }
    /* fops_check_type admitted only these pairs */
    assert(c->cmp);
    if (!c->cmp)
        c->cmp = never;
}

bool fops_cmp2(int op, int type, const struct fval *a, const struct fval *b)
{
    struct ccheck c = { .op = (uint8_t)op, .type = (uint8_t)type, .one = *b };
    if (op == FOP_IN || op == FOP_INTERSECTS)
        c.op = FOP_EQ;
    if (op == FOP_PMATCH) {
        c.set = &(struct cconst){ .v = *b };
        c.nset = 1;
        return s_pmatch(&c, a);
    }
    if (is_ip(type) && b->type == FT_IPADDR) /* two addresses: equality */
        c.one.prefix = b->ipfam == 4 ? 32 : 128;
    fops_prepare(&c, NULL);
    return c.cmp(&c, a);
}
