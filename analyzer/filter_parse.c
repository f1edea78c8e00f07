/* filter_parse.c -- the condition parser: text to a parse tree
 * (filter_ast.h), by recursive descent over Falco's grammar (libsinsp
 * filter/parser.h; summary in shared/corpus/rules/LANGUAGE.md §6).
 *
 * Precedence is fixed by the descent: or < and < not, with and/or chains
 * kept flat (n-ary), so there is no table to consult. Positions are those
 * of the first character of each construct; an error names the position
 * and the text there, and an unclosed '(' names where it was opened. The
 * parser knows nothing of fields, macros or lists: a dotted word is a
 * field, a plain word a macro, a plain word after in/intersects/pmatch or
 * inside their lists may be a list; the compiler decides. */
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_int.h"

static struct fnode *parse_or(struct flex *lx);

/* An error at the cursor; fmt has one %s for the text found there. */
static int perr(struct flex *lx, const char *fmt)
{
    char near[64];
    if (!flex_peek(lx))
        return flex_error_at(lx->err, lx->at, fmt, "the end of the condition");
    flex_near(lx, near, sizeof near);
    char q[80];
    snprintf(q, sizeof q, "'%s'", near);
    return flex_error_at(lx->err, lx->at, fmt, q);
}

static void *zalloc(struct flex *lx, size_t n)
{
    void *p = calloc(1, n);
    if (!p)
        flex_error_at(lx->err, lx->at, "out of memory");
    return p;
}

static void operand_free(struct foperand *o)
{
    while (o) {
        struct foperand *in = o->inner;
        free(o->field);
        free(o->arg);
        free(o);
        o = in;
    }
}

void fnode_free(struct fnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        fnode_free(n->kids[i]);
    free(n->kids);
    free(n->name);
    operand_free(n->lhs);
    operand_free(n->rop);
    for (size_t i = 0; i < n->nitems; i++)
        free(n->items[i].s);
    free(n->items);
    free(n);
}

static int xf_by_name(const char *s, size_t n)
{
    for (int x = FX_TOLOWER; x < FX_COUNT; x++)
        if (strlen(filter_xf_name(x)) == n && !strncmp(filter_xf_name(x), s, n))
            return x;
    return FX_NONE;
}

static bool unsupported_xf(const char *s, size_t n)
{
    static const char *const later[] = { "join", "concat", "getopt" };
    for (size_t i = 0; i < sizeof later / sizeof *later; i++)
        if (strlen(later[i]) == n && !strncmp(later[i], s, n))
            return true;
    return false;
}

/* Field := FieldName ( "[" (QuotedStr | [^][\"' \t\n\r]+) "]" )? */
static struct foperand *parse_field(struct flex *lx, size_t n)
{
    struct foperand *o = zalloc(lx, sizeof *o);
    if (!o)
        return NULL;
    o->pos = lx->at;
    if (n > FILTER_MAX_TOKEN || !(o->field = flex_take(lx, n)))
        goto fail_msg;
    if (!flex_lit(lx, "["))
        return o;
    struct fstr q;
    int r = flex_quoted(lx, &q);
    if (r < 0)
        goto fail;
    if (r > 0) {
        o->arg = q.s;
    } else {
        const char *p = lx->src + lx->pos;
        size_t k = 0;
        while (p[k] && !strchr("[]\"' \t\n\r", p[k]))
            k++;
        if (!k) {
            perr(lx, "expected a field argument inside '[ ]', found %s");
            goto fail;
        }
        if (k > FILTER_MAX_TOKEN || !(o->arg = flex_take(lx, k)))
            goto fail_msg;
    }
    if (!flex_lit(lx, "]")) {
        perr(lx, "expected ']' after the field argument, found %s");
        goto fail;
    }
    return o;
fail_msg:
    flex_error_at(lx->err, lx->at, "field name too long or out of memory");
fail:
    operand_free(o);
    return NULL;
}

/* Transformer := (tolower|toupper|b64|basename|len) "(" Operand ")"
 * Operand     := Field | Transformer
 * called with the cursor on the name; allow_val admits val(Field). */
static struct foperand *parse_operand(struct flex *lx, bool allow_val, int depth)
{
    size_t n = flex_fieldname_len(lx);
    if (n)
        return parse_field(lx, n);
    struct fpos pos = lx->at;
    n = flex_ident_len(lx);
    int xf = n ? xf_by_name(lx->src + lx->pos, n) : FX_NONE;
    if (xf == FX_NONE || lx->src[lx->pos + n] != '(') {
        perr(lx, "expected a field or a transformer, found %s");
        return NULL;
    }
    if (xf == FX_VAL && !allow_val) {
        flex_error_at(lx->err, pos, "val() is only allowed on the right side of a comparison");
        return NULL;
    }
    if (depth >= FILTER_MAX_XF_DEPTH) {
        flex_error_at(lx->err, pos, "transformers nested deeper than %d", FILTER_MAX_XF_DEPTH);
        return NULL;
    }
    flex_advance(lx, n + 1);
    flex_blank(lx);
    struct foperand *inner;
    if (xf == FX_VAL) {
        size_t k = flex_fieldname_len(lx);
        if (!k) {
            perr(lx, "expected a field inside val(), found %s");
            return NULL;
        }
        inner = parse_field(lx, k);
    } else {
        inner = parse_operand(lx, false, depth + 1);
    }
    if (!inner)
        return NULL;
    flex_blank(lx);
    if (flex_peek(lx) == ',') {
        flex_error_at(lx->err, lx->at, "%s() takes one argument", filter_xf_name(xf));
        operand_free(inner);
        return NULL;
    }
    if (!flex_lit(lx, ")")) {
        perr(lx, "expected ')' to close the transformer, found %s");
        operand_free(inner);
        return NULL;
    }
    struct foperand *o = zalloc(lx, sizeof *o);
    if (!o) {
        operand_free(inner);
        return NULL;
    }
    o->xf = (uint8_t)xf;
    o->pos = pos;
    o->inner = inner;
    return o;
}

/* True when the cursor is on a transformer or val( call. */
static bool at_operand_call(const struct flex *lx)
{
    size_t n = flex_ident_len(lx);
    return n && lx->src[lx->pos + n] == '(' && xf_by_name(lx->src + lx->pos, n) != FX_NONE;
}

static int push_item(struct flex *lx, struct fnode *c, struct fstr s)
{
    if (c->nitems >= FILTER_MAX_ITEMS) {
        free(s.s);
        return flex_error_at(lx->err, s.pos, "list longer than %d items", FILTER_MAX_ITEMS);
    }
    if (!(c->nitems & (c->nitems + 1)) || !c->items) {
        size_t cap = c->nitems ? (c->nitems + 1) * 2 : 4;
        struct fstr *t = realloc(c->items, cap * sizeof *t);
        if (!t) {
            free(s.s);
            return flex_error_at(lx->err, lx->at, "out of memory");
        }
        c->items = t;
    }
    c->items[c->nitems++] = s;
    return 0;
}

/* StrValue := QuotedStr | BareStr.  Returns 1, 0 when none is there, -1. */
static int parse_str_value(struct flex *lx, struct fstr *out)
{
    int r = flex_quoted(lx, out);
    if (r)
        return r;
    size_t n = flex_bare_len(lx);
    if (!n)
        return 0;
    if (n > FILTER_MAX_TOKEN)
        return flex_error_at(lx->err, lx->at, "value longer than %d bytes", FILTER_MAX_TOKEN);
    *out = (struct fstr){ .len = n, .pos = lx->at };
    if (!(out->s = flex_take(lx, n)))
        return flex_error_at(lx->err, lx->at, "out of memory");
    return 1;
}

/* ListValue := "(" [ StrValue ("," StrValue)* ] ")" */
static int parse_list(struct flex *lx, struct fnode *c)
{
    struct fpos open = lx->at;
    flex_advance(lx, 1);
    flex_blank(lx);
    c->rkind = FR_LIST;
    if (flex_lit(lx, ")"))
        return 0;
    for (;;) {
        struct fstr s;
        flex_blank(lx);
        int r = parse_str_value(lx, &s);
        if (r < 0)
            return -1;
        if (!r)
            return perr(lx, "expected a list item, found %s");
        if (push_item(lx, c, s) < 0)
            return -1;
        flex_blank(lx);
        if (flex_lit(lx, ","))
            continue;
        if (flex_lit(lx, ")"))
            return 0;
        char fmt[96];
        snprintf(fmt, sizeof fmt, "expected ',' or ')' in the list opened at %d:%d, found %%s",
                 open.line, open.col);
        return perr(lx, fmt);
    }
}

static bool is_blank_char(char c)
{
    return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n';
}

/* A modifier at the cursor, as libsinsp takes one: the word, a blank, then
 * a list or a list name that is not and/or/not (else the word is a plain
 * value: `proc.name = anyof and ...`). Returns its enum fmod and the
 * length of word and blanks, or FM_NONE. */
static int modifier_at(const struct flex *lx, size_t *len)
{
    static const struct { const char *s; uint8_t m; } mods[] = {
        { "anyof", FM_ANYOF }, { "oneof", FM_ONEOF }, { "allof", FM_ALLOF },
    };
    const char *p = lx->src + lx->pos;
    for (size_t i = 0; i < sizeof mods / sizeof *mods; i++) {
        size_t n = strlen(mods[i].s), k = n;
        if (strncmp(p, mods[i].s, n) || !is_blank_char(p[n]))
            continue;
        while (is_blank_char(p[k]))
            k++;
        if (p[k] != '(' && !isalpha((unsigned char)p[k]))
            return FM_NONE;
        static const char *const kws[] = { "and", "or", "not" };
        for (size_t j = 0; j < 3; j++) {
            size_t m = strlen(kws[j]);
            if (!strncmp(p + k, kws[j], m) && !isalnum((unsigned char)p[k + m]))
                return FM_NONE;
        }
        *len = k;
        return mods[i].m;
    }
    return FM_NONE;
}

static const struct { const char *s; uint8_t op; } sym_ops[] = {
    { "<=", FOP_LE }, { "<", FOP_LT }, { ">=", FOP_GE }, { ">", FOP_GT },
    { "==", FOP_EQ }, { "=", FOP_EQ }, { "!=", FOP_NE },
};
static const uint8_t word_ops[] = {
    FOP_GLOB, FOP_IGLOB, FOP_CONTAINS, FOP_ICONTAINS, FOP_BCONTAINS, FOP_STARTSWITH,
    FOP_BSTARTSWITH, FOP_ENDSWITH, FOP_REGEX,
};
static const uint8_t list_ops[] = { FOP_INTERSECTS, FOP_IN, FOP_PMATCH };

/* Cond := "exists"
 *       | ("<="|"<"|">="|">") (Number | Transformer | val(Field))
 *       | ("="|"=="|"!="|StrWordOp) (StrValue | Transformer | val(Field))
 *       | ("in"|"intersects"|"pmatch") (ListValue | Identifier | Transformer | val(Field)) */
static int parse_cond(struct flex *lx, struct fnode *c)
{
    char after[200];
    flex_blank(lx);
    c->oppos = lx->at;
    const char *p = lx->src + lx->pos;
    /* "exists" needs no blank after it, but must not be the start of a word */
    if (!strncmp(p, "exists", 6) && !(p[6] == '_' || isalnum((unsigned char)p[6]))) {
        flex_advance(lx, 6);
        c->op = FOP_EXISTS;
        c->rkind = FR_NONE;
        return 0;
    }
    int kind = -1; /* 0 numeric, 1 string, 2 list */
    for (size_t i = 0; i < sizeof sym_ops / sizeof *sym_ops && kind < 0; i++)
        if (flex_lit(lx, sym_ops[i].s)) {
            c->op = sym_ops[i].op;
            kind = c->op == FOP_EQ || c->op == FOP_NE ? 1 : 0;
        }
    for (size_t i = 0; i < sizeof word_ops && kind < 0; i++)
        if (flex_keyword(lx, filter_op_name(word_ops[i]), false)) {
            c->op = word_ops[i];
            kind = 1;
        }
    for (size_t i = 0; i < sizeof list_ops && kind < 0; i++)
        if (flex_keyword(lx, filter_op_name(list_ops[i]), true)) {
            c->op = list_ops[i];
            kind = 2;
        }
    if (kind < 0) {
        snprintf(after, sizeof after, "expected an operator after the field, found %%s");
        return perr(lx, after);
    }
    bool blank = flex_blank(lx); /* a modifier needs one: `=anyof` is a value */
    struct fpos vpos = lx->at;
    size_t mlen = 0;
    int mod = kind == 1 && blank ? modifier_at(lx, &mlen) : FM_NONE;
    if (mod != FM_NONE) {
        c->mod = (uint8_t)mod;
        flex_advance(lx, mlen);
        vpos = lx->at;
        kind = 2; /* a list follows */
    } else if (at_operand_call(lx)) {
        c->rkind = FR_OPERAND;
        c->rop = parse_operand(lx, true, 0);
        return c->rop ? 0 : -1;
    }
    static const char *const mod_names[] = { "", " anyof", " oneof", " allof" };
    snprintf(after, sizeof after, "expected a %s after '%s%s', found %%s",
             kind == 0 ? "number" : kind == 1 ? "value" : "list", filter_op_name(c->op),
             mod_names[c->mod]);
    if (kind == 0) {
        size_t n = flex_number_len(lx);
        if (!n)
            return perr(lx, after);
        struct fstr s = { .len = n, .pos = vpos };
        if (!(s.s = flex_take(lx, n)))
            return flex_error_at(lx->err, vpos, "out of memory");
        c->rkind = FR_STR;
        return push_item(lx, c, s);
    }
    if (kind == 1) {
        struct fstr s;
        int r = parse_str_value(lx, &s);
        if (r <= 0)
            return r < 0 ? -1 : perr(lx, after);
        c->rkind = FR_STR;
        return push_item(lx, c, s);
    }
    if (flex_peek(lx) == '(')
        return parse_list(lx, c);
    size_t n = flex_ident_len(lx);
    if (!n)
        return perr(lx, after);
    struct fstr s = { .len = n, .pos = vpos };
    if (!(s.s = flex_take(lx, n)))
        return flex_error_at(lx->err, vpos, "out of memory");
    c->rkind = FR_LISTNAME;
    return push_item(lx, c, s);
}

static struct fnode *node_new(struct flex *lx, int kind, struct fpos pos)
{
    struct fnode *n = zalloc(lx, sizeof *n);
    if (n) {
        n->kind = (uint8_t)kind;
        n->pos = pos;
    }
    return n;
}

/* Check := "(" Expr ")" | Field Cond | Transformer Cond | Identifier */
static struct fnode *parse_check(struct flex *lx)
{
    flex_blank(lx);
    struct fpos pos = lx->at;
    if (flex_peek(lx) == '(') {
        if (++lx->depth > FILTER_MAX_DEPTH) {
            flex_error_at(lx->err, pos, "conditions nested deeper than %d", FILTER_MAX_DEPTH);
            return NULL;
        }
        flex_advance(lx, 1);
        struct fnode *e = parse_or(lx);
        if (!e)
            return NULL;
        flex_blank(lx);
        if (!flex_lit(lx, ")")) {
            char fmt[96];
            snprintf(fmt, sizeof fmt, "expected ')' to close the '(' at %d:%d, found %%s", pos.line,
                     pos.col);
            perr(lx, fmt);
            fnode_free(e);
            return NULL;
        }
        lx->depth--;
        return e;
    }
    if (flex_fieldname_len(lx) || at_operand_call(lx)) {
        struct fnode *c = node_new(lx, FN_CHECK, pos);
        if (!c)
            return NULL;
        if (!(c->lhs = parse_operand(lx, false, 0)) || parse_cond(lx, c) < 0) {
            fnode_free(c);
            return NULL;
        }
        return c;
    }
    size_t n = flex_ident_len(lx);
    if (n) {
        const char *p = lx->src + lx->pos;
        if (p[n] == '(') {
            if (unsupported_xf(p, n))
                flex_error_at(lx->err, pos, "transformer '%.*s' is not supported", (int)n, p);
            else
                flex_error_at(lx->err, pos,
                              "'%.*s' is not a transformer (tolower, toupper, b64, basename, len)",
                              (int)n, p);
            return NULL;
        }
        if (n == 3 && !strncmp(p, "not", 3)) {
            flex_advance(lx, 3);
            flex_error_at(lx->err, lx->at, "expected a condition after 'not'");
            return NULL;
        }
        if ((n == 3 && !strncmp(p, "and", 3)) || (n == 2 && !strncmp(p, "or", 2))) {
            flex_error_at(lx->err, pos, "expected a condition before '%.*s'", (int)n, p);
            return NULL;
        }
        struct fnode *m = node_new(lx, FN_MACRO, pos);
        if (m && !(m->name = flex_take(lx, n))) {
            flex_error_at(lx->err, pos, "out of memory");
            fnode_free(m);
            return NULL;
        }
        return m;
    }
    if (!flex_peek(lx) && lx->pos == strspn(lx->src, " \t\b\r\n")) {
        flex_error_at(lx->err, pos, "empty condition");
        return NULL;
    }
    perr(lx, "expected a field check, a macro name or '(', found %s");
    return NULL;
}

/* Not := ("not" blank)* ( "not(" Expr ")" | Check ) */
static struct fnode *parse_not(struct flex *lx)
{
    flex_blank(lx);
    struct fpos pos = lx->at;
    bool neg = false;
    while (flex_keyword(lx, "not", true)) {
        neg = !neg;
        flex_blank(lx);
    }
    struct fnode *c = parse_check(lx);
    if (!c || !neg)
        return c;
    struct fnode *n = node_new(lx, FN_NOT, pos);
    if (!n || !(n->kids = malloc(sizeof *n->kids))) {
        fnode_free(n);
        fnode_free(c);
        flex_error_at(lx->err, pos, "out of memory");
        return NULL;
    }
    n->kids[0] = c;
    n->nkids = 1;
    return n;
}

static int push_kid(struct flex *lx, struct fnode *n, struct fnode *k)
{
    struct fnode **t = realloc(n->kids, (n->nkids + 1) * sizeof *t);
    if (!t) {
        fnode_free(k);
        return flex_error_at(lx->err, lx->at, "out of memory");
    }
    n->kids = t;
    n->kids[n->nkids++] = k;
    return 0;
}

/* Consumes the keyword kw when it continues the chain: 1 when it does, 0
 * when not, -1 when kw ends the text (a dangling "a and"). */
static int chain_more(struct flex *lx, const char *kw)
{
    size_t k = strlen(kw);
    flex_blank(lx);
    if (flex_keyword(lx, kw, true))
        return 1;
    if (strncmp(lx->src + lx->pos, kw, k) || lx->src[lx->pos + k])
        return 0;
    flex_advance(lx, k);
    return flex_error_at(lx->err, lx->at, "expected a condition after '%s'", kw);
}

/* And := Not ( "and" (blank Not | "(" Expr ")") )*
 * Or  := And ( "or" (blank And | "(" Expr ")") )* */
static struct fnode *parse_chain(struct flex *lx, int kind)
{
    const char *kw = kind == FN_AND ? "and" : "or";
    flex_blank(lx);
    struct fpos pos = lx->at;
    struct fnode *first = kind == FN_AND ? parse_not(lx) : parse_chain(lx, FN_AND);
    if (!first)
        return NULL;
    int more = chain_more(lx, kw);
    if (more <= 0) {
        if (more < 0)
            fnode_free(first);
        return more < 0 ? NULL : first;
    }
    struct fnode *n = node_new(lx, kind, pos);
    if (!n || push_kid(lx, n, first) < 0) {
        if (!n)
            fnode_free(first);
        fnode_free(n);
        return NULL;
    }
    do {
        struct fnode *k = kind == FN_AND ? parse_not(lx) : parse_chain(lx, FN_AND);
        if (!k || push_kid(lx, n, k) < 0) {
            fnode_free(n);
            return NULL;
        }
    } while ((more = chain_more(lx, kw)) > 0);
    if (more < 0) {
        fnode_free(n);
        return NULL;
    }
    return n;
}

static struct fnode *parse_or(struct flex *lx)
{
    return parse_chain(lx, FN_OR);
}

struct fnode *filter_parse(const char *text, struct filter_error *err)
{
    assert(err);
    *err = (struct filter_error){ 0 };
    struct flex lx;
    if (!text) {
        snprintf(err->msg, sizeof err->msg, "no condition");
        return NULL;
    }
    if (strlen(text) > FILTER_MAX_TEXT) {
        snprintf(err->msg, sizeof err->msg, "condition longer than %u bytes", FILTER_MAX_TEXT);
        return NULL;
    }
    flex_init(&lx, text, err);
    struct fnode *n = parse_or(&lx);
    if (!n)
        return NULL;
    flex_blank(&lx);
    if (flex_peek(&lx)) {
        perr(&lx, "unexpected %s, expecting 'and', 'or' or the end of the condition");
        fnode_free(n);
        return NULL;
    }
    return n;
}

void fnode_walk_names(const struct fnode *n,
                      void (*fn)(void *ctx, const char *name, bool as_list), void *ctx)
{
    if (!n)
        return;
    if (n->kind == FN_MACRO)
        fn(ctx, n->name, false);
    if (n->kind == FN_CHECK && (n->rkind == FR_LIST || n->rkind == FR_LISTNAME))
        for (size_t i = 0; i < n->nitems; i++)
            if (!n->items[i].quoted)
                fn(ctx, n->items[i].s, true);
    for (size_t i = 0; i < n->nkids; i++)
        fnode_walk_names(n->kids[i], fn, ctx);
}
