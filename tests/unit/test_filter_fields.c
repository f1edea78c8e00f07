/* test_filter_fields.c -- the filter tests' own field registry and
 * environment (test_filter.h): a dozen fields covering every value type,
 * a list-valued field with and without index, a set-valued field
 * (fd.types), fields without a value, and FF_NO_RHS. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_filter.h"
#include "testutil.h"

struct tf_event tf_ev;

void tf_reset(void)
{
    tf_ev = (struct tf_event){
        .type = "open", .num = 42, .res = -2, .has_res = true, .name = "cat", .pname = "bash",
        .anames = { "bash", "sshd", "systemd" }, .args = "-n /etc/passwd",
        .fdname = "/etc/passwd", .fdtypes = { "file", "ipv4" }, .sip = "10.1.2.3",
        .buf = "\x01\x02hello\xff", .buflen = 8, .isread = 1,
    };
}

static void x_str(struct fvals *o, const char *s)
{
    if (s)
        fvals_str(o, s, strlen(s));
}

static void x_type(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r, (void)c;
    x_str(o, tf_ev.type);
}
static void x_num(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r, (void)c;
    fvals_uint(o, tf_ev.num);
}
static void x_res(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r, (void)c;
    if (tf_ev.has_res)
        fvals_int(o, tf_ev.res);
}
static void x_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r, (void)c;
    x_str(o, tf_ev.name);
}
static void x_pname(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r, (void)c;
    x_str(o, tf_ev.pname);
}
static void x_aname(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)c;
    if (r->has_arg) {
        if (r->arg_index == 0)
            x_str(o, tf_ev.name);
        else if (r->arg_index >= 1 && r->arg_index <= 8)
            x_str(o, tf_ev.anames[r->arg_index - 1]);
        return;
    }
    for (size_t i = 0; i < 8 && tf_ev.anames[i]; i++)
        x_str(o, tf_ev.anames[i]);
}
static void x_args(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r, (void)c;
    x_str(o, tf_ev.args);
}
static void x_fdname(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r, (void)c;
    x_str(o, tf_ev.fdname);
}
static void x_fdtypes(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r, (void)c;
    for (size_t i = 0; i < 4 && tf_ev.fdtypes[i]; i++)
        x_str(o, tf_ev.fdtypes[i]);
}
static void x_ip(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)c;
    struct fval v = { .type = r->def->type };
    if (!tf_ev.sip)
        return;
    if (inet_pton(AF_INET, tf_ev.sip, v.ip) == 1)
        v.ipfam = 4;
    else if (inet_pton(AF_INET6, tf_ev.sip, v.ip) == 1)
        v.ipfam = 6;
    else
        return;
    v.prefix = v.ipfam == 4 ? 32 : 128;
    o->v[o->n++] = v;
}
static void x_buf(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r, (void)c;
    if (tf_ev.buf)
        o->v[o->n++] = (struct fval){ .type = FT_BYTES, .s = tf_ev.buf, .len = tf_ev.buflen };
}
static void x_isread(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r, (void)c;
    if (tf_ev.isread >= 0)
        fvals_bool(o, tf_ev.isread);
}

static void x_dyn(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r, (void)c;
    if (tf_ev.dynstr)
        x_str(o, tf_ev.dynstr);
    else if (tf_ev.has_res)
        fvals_int(o, tf_ev.res);
}

static const struct field_def tf_fields[] = {
    { "evt.dyn", FT_NONE, "DYN", 0, "typed per event", x_dyn },
    { "evt.type", FT_STRING, "CHARBUF", 0, "type", x_type },
    { "evt.num", FT_UINT, "UINT64", 0, "number", x_num },
    { "evt.res", FT_INT, "INT64", 0, "result", x_res },
    { "proc.name", FT_STRING, "CHARBUF", 0, "name", x_name },
    { "proc.pname", FT_STRING, "CHARBUF", 0, "parent name", x_pname },
    { "proc.aname", FT_STRING, "CHARBUF",
      FF_LIST | FF_ARG_ALLOWED | FF_ARG_INDEX | FF_NO_RHS, "ancestors", x_aname },
    { "proc.args", FT_STRING, "CHARBUF", 0, "args", x_args },
    { "fd.name", FT_STRING, "CHARBUF", 0, "fd name", x_fdname },
    { "fd.types", FT_STRING, "CHARBUF", FF_LIST | FF_NO_RHS, "fd types", x_fdtypes },
    { "fd.sip", FT_IPADDR, "IPADDR", 0, "server ip", x_ip },
    { "fd.net", FT_IPNET, "IPNET", FF_NO_RHS | FF_FILTER_ONLY, "network", x_ip },
    { "evt.buffer", FT_BYTES, "BYTEBUF", 0, "buffer", x_buf },
    { "evt.is_open_read", FT_BOOL, "BOOL", 0, "read", x_isread },
};

/* The longest known name that text starts with, then an optional [N]. */
static int tf_parse(const char *text, size_t *consumed, struct field_ref *ref, char *err,
                    size_t errlen)
{
    const struct field_def *best = NULL;
    size_t bl = 0;
    for (size_t i = 0; i < sizeof tf_fields / sizeof *tf_fields; i++) {
        size_t l = strlen(tf_fields[i].name);
        if (l > bl && !strncmp(text, tf_fields[i].name, l) &&
            (text[l] == '\0' || text[l] == '['))
            best = &tf_fields[i], bl = l;
    }
    *consumed = 0;
    if (!best) {
        size_t n = strcspn(text, "[");
        snprintf(err, errlen, "unknown field '%.*s'", (int)n, text);
        return -1;
    }
    *ref = (struct field_ref){ .def = best };
    *consumed = bl;
    if (text[bl] == '[') {
        char *end;
        if (!(best->flags & FF_ARG_ALLOWED)) {
            snprintf(err, errlen, "field '%s' takes no argument", best->name);
            return -1;
        }
        ref->arg_index = strtoll(text + bl + 1, &end, 10);
        if (end == text + bl + 1 || *end != ']') {
            snprintf(err, errlen, "field '%s' needs a number argument", best->name);
            return -1;
        }
        ref->has_arg = true;
        *consumed = (size_t)(end + 1 - text);
    }
    return 0;
}

static const char *const tf_macros[][2] = {
    { "is_open", "evt.type in (open, openat)" },
    { "shell", "proc.name in (shell_binaries)" },
    { "open_shell", "is_open and shell" },
    { "loop_a", "evt.num > 1 and loop_b" },
    { "loop_b", "loop_a" },
    { "self", "self" },
    { "bad_field", "evt.num = 1 and\n  proc.nmae = x" },
    { "bad_syntax", "evt.num = " },
    { "outer", "evt.num > 0 and bad_field" },
    { "either", "proc.name = cat or proc.name = dog" },
    { "warned", "proc.name = evt.num" },
};

static const char *const tf_shells[] = { "bash", "sh", "zsh", NULL };
static const char *const tf_sys[] = { "/etc", "/usr/lib", NULL };
static const char *const tf_quoted[] = { "\"(systemd)\"", "'a b'", "cat", NULL };
static const char *const tf_nets[] = { "10.0.0.0/8", "192.168.0.0/16", NULL };
static const char *const tf_empty[] = { NULL };

static const char *tf_macro(void *ctx, const char *name)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof tf_macros / sizeof *tf_macros; i++)
        if (!strcmp(tf_macros[i][0], name))
            return tf_macros[i][1];
    return NULL;
}

static const char *const *tf_list(void *ctx, const char *name, size_t *n)
{
    static const struct { const char *name; const char *const *items; } lists[] = {
        { "shell_binaries", tf_shells }, { "sys_dirs", tf_sys }, { "quoted_items", tf_quoted },
        { "private_nets", tf_nets }, { "empty_list", tf_empty },
    };
    (void)ctx;
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
        if (!strcmp(lists[i].name, name)) {
            for (*n = 0; lists[i].items[*n]; (*n)++)
                ;
            return lists[i].items;
        }
    return NULL;
}

char tf_warnings[2048];

static void tf_warn(void *ctx, const char *msg)
{
    size_t n = strlen(tf_warnings);
    (void)ctx;
    snprintf(tf_warnings + n, sizeof tf_warnings - n, "%s\n", msg);
}

const struct filter_env tf_env = { .ctx = NULL, .macro = tf_macro, .list = tf_list,
                                   .warn = tf_warn };

void tf_setup(void)
{
    filter_set_field_parser(tf_parse);
    tf_reset();
    tf_warnings[0] = '\0';
}

void tf_teardown(void)
{
    filter_set_field_parser(NULL);
}

bool tf_eval(const char *cond)
{
    struct filter_error err;
    struct filter *f = filter_compile(cond, &tf_env, &err);
    ck_assert_msg(f, "compile '%s': %s", cond, err.msg);
    struct fld_ctx ctx = { 0 };
    bool r = filter_eval(f, &ctx);
    filter_free(f);
    return r;
}

void tf_compile_err(const char *cond, const char *msg)
{
    struct filter_error err;
    struct filter *f = filter_compile(cond, &tf_env, &err);
    if (f)
        filter_free(f);
    ck_assert_msg(!f, "'%s' compiled, expected error %s", cond, msg);
    ck_assert_msg(!strcmp(err.msg, msg), "'%s': error\n  %s\nexpected\n  %s", cond, err.msg, msg);
}

void tf_parse_err(const char *cond, const char *msg)
{
    struct filter_error err;
    struct fnode *n = filter_parse(cond, &err);
    fnode_free(n);
    ck_assert_msg(!n, "'%s' parsed, expected error %s", cond, msg);
    ck_assert_msg(!strcmp(err.msg, msg), "'%s': error\n  %s\nexpected\n  %s", cond, err.msg, msg);
}
