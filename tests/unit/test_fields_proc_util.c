/* test_fields_proc_util.c -- the field test helpers of
 * test_fields_proc_util.h. References are built by hand rather than by
 * field_ref_parse, so these tests depend on the tables only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_fields_proc_util.h"
#include "testutil.h"

void tf_init(struct tf *tf, struct st_thread *th, struct state *st)
{
    memset(tf, 0, sizeof *tf);
    tf->ev.tid = th ? th->tid : 1;
    tf->se = (struct st_event){ .ev = &tf->ev, .thread = th, .fdnum = -1 };
    tf->ctx = (struct fld_ctx){ .ev = &tf->ev, .se = &tf->se, .st = st, .scratch = &tf->sc };
    if (!th)
        tf->ctx.ev = NULL; /* no event at all: the emptiest context */
}

void tf_free(struct tf *tf)
{
    fld_scratch_free(&tf->sc);
}

const struct fvals *tf_get_arg(struct tf *tf, const char *name, const char *arg)
{
    const struct field_def *d = fields_find(name);
    CHECK(d != NULL, "field %s is not registered", name);
    struct field_ref ref = { .def = d, .cache_val = -1 };
    char *key = NULL;
    if (arg) {
        bool digits = *arg != '\0';
        for (const char *p = arg; *p; p++)
            digits = digits && *p >= '0' && *p <= '9';
        ref.has_arg = true;
        if (digits && (d->flags & FF_ARG_INDEX)) {
            ref.arg_index = strtoll(arg, NULL, 10);
        } else {
            key = strdup(arg);
            CHECK(key != NULL, "out of memory");
            ref.arg_key = key;
        }
    }
    fld_scratch_reset(&tf->sc);
    field_extract(&ref, &tf->ctx, &tf->out);
    free(key); /* values never point into the reference */
    return &tf->out;
}

const struct fvals *tf_get(struct tf *tf, const char *spec)
{
    char name[128], arg[128];
    const char *open = strchr(spec, '[');
    if (!open) {
        return tf_get_arg(tf, spec, NULL);
    }
    size_t nl = (size_t)(open - spec), al = strlen(open + 1);
    CHECK(nl < sizeof name && al > 0 && al < sizeof arg && open[al] == ']', "bad spec %s", spec);
    memcpy(name, spec, nl);
    name[nl] = '\0';
    memcpy(arg, open + 1, al - 1);
    arg[al - 1] = '\0';
    return tf_get_arg(tf, name, arg);
}

static const struct fval *one(struct tf *tf, const char *spec, uint8_t type)
{
    const struct fvals *v = tf_get(tf, spec);
    CHECK(v->n == 1, "%s: %zu values, expected 1", spec, v->n);
    CHECK(v->v[0].type == type, "%s: value of type %u, expected %u", spec, v->v[0].type, type);
    return &v->v[0];
}

void tf_expect_none(struct tf *tf, const char *spec)
{
    const struct fvals *v = tf_get(tf, spec);
    CHECK(v->n == 0, "%s: %zu values, expected none (first: %.*s)", spec, v->n,
          v->n && v->v[0].type == FT_STRING ? (int)v->v[0].len : 0,
          v->n && v->v[0].type == FT_STRING ? v->v[0].s : "");
}

void tf_expect_str(struct tf *tf, const char *spec, const char *want)
{
    const struct fval *v = one(tf, spec, FT_STRING);
    CHECK(v->len == strlen(want) && !memcmp(v->s, want, v->len), "%s: '%.*s', expected '%s'",
          spec, (int)v->len, v->s, want);
}

void tf_expect_int(struct tf *tf, const char *spec, int64_t want)
{
    const struct fval *v = one(tf, spec, FT_INT);
    CHECK(v->i == want, "%s: %lld, expected %lld", spec, (long long)v->i, (long long)want);
}

void tf_expect_uint(struct tf *tf, const char *spec, uint64_t want)
{
    const struct fval *v = one(tf, spec, FT_UINT);
    CHECK(v->u == want, "%s: %llu, expected %llu", spec, (unsigned long long)v->u,
          (unsigned long long)want);
}

void tf_expect_bool(struct tf *tf, const char *spec, bool want)
{
    const struct fval *v = one(tf, spec, FT_BOOL);
    CHECK(v->u == (want ? 1u : 0u), "%s: %llu, expected %d", spec, (unsigned long long)v->u,
          want);
}

void tf_expect_time(struct tf *tf, const char *spec, uint8_t type, uint64_t want)
{
    const struct fval *v = one(tf, spec, type);
    CHECK(v->u == want, "%s: %llu, expected %llu", spec, (unsigned long long)v->u,
          (unsigned long long)want);
}

void tf_expect_strs(struct tf *tf, const char *spec, const char *want)
{
    const struct fvals *v = tf_get(tf, spec);
    char got[1024];
    size_t n = 0;
    got[0] = '\0';
    for (size_t i = 0; i < v->n; i++) {
        CHECK(v->v[i].type == FT_STRING, "%s: value %zu is not a string", spec, i);
        n += (size_t)snprintf(got + n, n < sizeof got ? sizeof got - n : 0, "%s%.*s",
                              i ? "|" : "", (int)v->v[i].len, v->v[i].s);
        CHECK(n < sizeof got, "%s: values too long", spec);
    }
    CHECK(!strcmp(got, want), "%s: '%s', expected '%s'", spec, got, want);
}
