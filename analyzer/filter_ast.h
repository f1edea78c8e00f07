/* filter_ast.h -- the parse tree of a condition (filter_parse.c builds it,
 * filter_compile.c reads it). The tree is pure syntax: field names are
 * text, values are unescaped strings, macros and lists are names. Every
 * node keeps the 1-based line and column it started at, so the compiler can
 * report errors where they are in the text. */
#ifndef SAKER_FILTER_AST_H
#define SAKER_FILTER_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fnode_kind { FN_AND, FN_OR, FN_NOT, FN_CHECK, FN_MACRO };

/* Comparison operators; filter_ops.c has the table of their names. */
enum fop {
    FOP_EQ, FOP_NE, FOP_LT, FOP_LE, FOP_GT, FOP_GE,
    FOP_CONTAINS, FOP_ICONTAINS, FOP_BCONTAINS, FOP_STARTSWITH, FOP_BSTARTSWITH,
    FOP_ENDSWITH, FOP_GLOB, FOP_IGLOB, FOP_REGEX,
    FOP_IN, FOP_INTERSECTS, FOP_PMATCH, FOP_EXISTS,
    FOP_COUNT
};

/* Field transformers; FX_VAL is val(field) on the right side. */
enum fxf { FX_NONE, FX_TOLOWER, FX_TOUPPER, FX_B64, FX_BASENAME, FX_LEN, FX_VAL, FX_COUNT };

struct fpos {
    int line, col;
};

/* A field, or a transformer applied to an operand: tolower(proc.name). */
struct foperand {
    uint8_t xf;               /* enum fxf */
    struct fpos pos;
    struct foperand *inner;   /* xf != FX_NONE */
    char *field;              /* xf == FX_NONE: "proc.aname" */
    char *arg;                /* its [argument], NULL when none */
};

/* A constant: unescaped bytes (may hold NULs), NUL-ended for convenience. */
struct fstr {
    char *s;
    size_t len;
    bool quoted;
    struct fpos pos;
};

enum fright { FR_NONE, FR_STR, FR_LIST, FR_LISTNAME, FR_OPERAND };

/* Operator modifiers (`proc.name startswith anyof (a, b)`): the operator
 * must hold for at least one item, exactly one, or all of them. */
enum fmod { FM_NONE, FM_ANYOF, FM_ONEOF, FM_ALLOF };

struct fnode {
    uint8_t kind;             /* enum fnode_kind */
    struct fpos pos;
    /* FN_AND, FN_OR (n-ary, n >= 2), FN_NOT (one kid) */
    struct fnode **kids;
    size_t nkids;
    /* FN_MACRO */
    char *name;
    /* FN_CHECK: lhs op right */
    struct foperand *lhs;
    uint8_t op;               /* enum fop */
    uint8_t mod;              /* enum fmod; then rkind is FR_LIST or FR_LISTNAME */
    struct fpos oppos;
    uint8_t rkind;            /* enum fright */
    struct fstr *items;       /* FR_STR: one; FR_LIST: nitems; FR_LISTNAME: the name */
    size_t nitems;
    struct foperand *rop;     /* FR_OPERAND */
};

/* Operator and transformer names (filter_ops.c). */
const char *filter_op_name(int op);
const char *filter_xf_name(int xf);

#endif
