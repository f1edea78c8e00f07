/* test_filter_spec.c -- filter_specialize (a filter for the events of one
 * definition, with its evt.type, evt.dir and evt.type.is checks decided)
 * over the real field registry: for every condition and every event
 * type, the specialised filter gives the original's verdict on events of
 * that type, whatever the rest of the event; what it decides, it decides
 * only where the definition fixes the value (a capture's generic
 * "syscall" events and the ids sysdig 0.29 names otherwise keep their
 * evt.type checks); and a filter no event of a type can pass says so.
 * Also filter_memo, the verdicts the rules of one event share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../capture/event_table.h"
#include "../../reader/scap.h"
#include "../../reader/scap_int.h" /* scap_schema: the ENTER/EXIT definitions */
#include "suites.h"
#include "test_filter.h"
#include "testutil.h"

static struct skr_schema ss;
static struct skr_event sev;
static struct st_thread sth;
static struct st_fd sfd;
static struct st_event sse;

/* An event of definition d by comm, with an open file or no fd. */
static void spec_event(const struct skr_event_def *d, const char *comm, bool with_fd)
{
    sev = (struct skr_event){ .num = 7, .tid = 100, .type = d->id, .def = d };
    sth = (struct st_thread){ .tid = 100, .pid = 100, .comm = (char *)comm, .exe = (char *)comm,
                              .cwd = "/", .root = "/", .container_id = "" };
    sfd = (struct st_fd){ .num = 3, .type = ST_FD_FILE, .name = "/etc/passwd" };
    sse = (struct st_event){ .ev = &sev, .thread = &sth, .fd = with_fd ? &sfd : NULL,
                             .fdnum = with_fd ? 3 : -1 };
}

static bool spec_eval(const struct filter *f)
{
    struct fld_scratch sc = { 0 };
    struct fld_ctx ctx = { .ev = &sev, .se = &sse, .scratch = &sc };
    bool r = filter_eval(f, &ctx);
    fld_scratch_free(&sc);
    return r;
}

static struct filter *compile(const char *cond)
{
    struct filter_error err;
    struct filter *f = filter_compile(cond, NULL, &err);
    ck_assert_msg(f, "'%s': %s", cond, err.msg);
    return f;
}

/* The verdict of cond on an event of d by comm: the original's, which the
 * specialisation must repeat; *decided tells whether it decided a check. */
static bool verdict(const char *cond, const struct skr_event_def *d, const char *comm,
                    bool with_fd, bool *decided)
{
    struct filter *f = compile(cond), *s = NULL;
    int rc = filter_specialize(f, d, &s);
    ck_assert_msg(rc >= 0, "'%s' on %s: out of memory", cond, d->name);
    spec_event(d, comm, with_fd);
    bool want = spec_eval(f);
    if (s) {
        ck_assert_msg(spec_eval(s) == want, "'%s' on %s by %s%s: specialised %d, original %d",
                      cond, d->name, comm, with_fd ? "" : " (no fd)", !want, want);
        ck_assert_msg(!filter_never_matches(s) || !want, "'%s' on %s: never matches, but did",
                      cond, d->name);
    }
    if (decided)
        *decided = rc == 1;
    filter_free(s);
    filter_free(f);
    return want;
}

static const char *const conds[] = {
    "evt.type in (open, openat) and proc.name = cat",
    "not evt.type = open and proc.name = cat",
    "evt.type != open and proc.name = cat",
    "not evt.type in (open, openat) or fd.name startswith /etc",
    "evt.type = openat or (evt.type = open and evt.dir = <) or proc.name = vi",
    "(evt.type in (open, openat) and evt.dir = >) or not (evt.type = read or proc.name = cat)",
    "evt.type.is.open = 1 and proc.name exists",
    "evt.type startswith open and not fd.name = /x",
    "toupper(evt.type) = OPEN or evt.type = read",
    "evt.type = open and evt.type = openat",
    "not (not evt.type = execve) and (proc.name = cat or proc.name = vi)",
    "proc.name = cat and (fd.name = /etc/passwd or evt.type != read) and evt.dir != >",
};

START_TEST(spec_same_verdicts)
{
    skr_schema_from_table(&ss, saker_evt_table, SAKER_EVT_COUNT);
    const int ids[] = { SAKER_EVT_OPEN, SAKER_EVT_OPENAT, SAKER_EVT_READ, SAKER_EVT_EXECVE,
                        SAKER_EVT_CONNECT, SAKER_EVT_PROCEXIT, SAKER_EVT_SYSCALL };
    const char *const comms[] = { "cat", "vi" };
    for (size_t c = 0; c < sizeof conds / sizeof *conds; c++)
        for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
            for (int k = 0; k < 2; k++)
                for (int fd = 0; fd < 2; fd++)
                    verdict(conds[c], ss.defs[ids[i]], comms[k], fd, NULL);
    /* the same over a capture's ENTER/EXIT definitions */
    const struct skr_schema *cs = scap_schema();
    ck_assert_ptr_nonnull(cs);
    for (uint32_t id = 0; id < cs->max_id && id < 40; id++)
        if (cs->defs[id])
            for (size_t c = 0; c < sizeof conds / sizeof *conds; c++)
                verdict(conds[c], cs->defs[id], "cat", true, NULL);
}
END_TEST

START_TEST(spec_decides)
{
    skr_schema_from_table(&ss, saker_evt_table, SAKER_EVT_COUNT);
    const struct skr_event_def *open = ss.defs[SAKER_EVT_OPEN];
    const struct skr_event_def *openat = ss.defs[SAKER_EVT_OPENAT];
    const struct skr_event_def *read = ss.defs[SAKER_EVT_READ];
    bool d;
    /* in (open, openat): true for both, false for read, either comm */
    ck_assert(verdict(conds[0], open, "cat", true, &d) && d);
    ck_assert(verdict(conds[0], openat, "cat", true, &d) && d);
    ck_assert(!verdict(conds[0], openat, "vi", true, &d) && d);
    ck_assert(!verdict(conds[0], read, "cat", true, &d) && d);
    /* not evt.type = open and evt.type != open: the complement */
    ck_assert(!verdict(conds[1], open, "cat", true, &d) && d);
    ck_assert(verdict(conds[1], openat, "cat", true, &d) && d);
    ck_assert(verdict(conds[1], read, "cat", true, &d) && d);
    ck_assert(!verdict(conds[1], read, "vi", true, &d) && d);
    ck_assert(!verdict(conds[2], open, "cat", true, &d) && d);
    ck_assert(verdict(conds[2], openat, "cat", true, &d) && d);
    ck_assert(verdict(conds[2], read, "cat", false, &d) && d);
    /* a saker event is '<': evt.dir = > is decided false */
    ck_assert(!verdict(conds[5], open, "cat", true, &d) && d);
    ck_assert(verdict(conds[5], openat, "vi", true, &d) && d);
    /* transformers are not decided; the plain check beside one is */
    ck_assert(verdict(conds[8], read, "cat", true, &d) && d);
    ck_assert(verdict("toupper(evt.type) = OPEN", open, "cat", true, &d) && !d);
    /* nothing on evt.* at all: no specialisation */
    ck_assert(verdict("proc.name = cat", open, "cat", true, &d) && !d);

    /* never: both types at once; and a rule for opens on a read */
    struct filter *f = compile(conds[9]), *s = NULL;
    ck_assert_int_eq(filter_specialize(f, open, &s), 1);
    ck_assert(filter_never_matches(s));
    filter_free(s);
    filter_free(f);
    f = compile(conds[0]);
    ck_assert_int_eq(filter_specialize(f, read, &s), 1);
    ck_assert(filter_never_matches(s));
    filter_free(s);
    ck_assert_int_eq(filter_specialize(f, open, &s), 1);
    ck_assert(!filter_never_matches(s));
    /* a specialisation's event types and fields are its original's */
    const char *const *names;
    ck_assert(filter_event_types(s, &names) && names[0] && !strcmp(names[0], "open"));
    ck_assert_ptr_eq(filter_fields(s), filter_fields(f));
    filter_free(s);
    filter_free(f);
}
END_TEST

START_TEST(spec_captures)
{
    const struct skr_schema *cs = scap_schema();
    ck_assert_ptr_nonnull(cs);
    int sys = skr_schema_find(cs, "syscall");
    ck_assert_int_ge(sys, 0);
    /* a generic event is named by its ID argument: evt.type stays */
    bool d;
    verdict("evt.type = syscall and proc.name = cat", cs->defs[sys], "cat", true, &d);
    ck_assert(!d);
    /* its direction is fixed, though */
    verdict("evt.dir = > and proc.name = cat", cs->defs[sys], "cat", true, &d);
    ck_assert(d);
    /* an id sysdig 0.29 names otherwise: its evt.type depends on the
     * capture's libs (st_event.scap_new), so it is not decided */
    uint32_t other = 0;
    for (uint32_t id = 0; id < cs->max_id && id < SKR_SCAP_EVENT_MAX_SYSDIG_0_29 && !other; id++)
        if (cs->defs[id] && skr_scap_event_names_sysdig029[id] &&
            strcmp(skr_scap_event_names_sysdig029[id], cs->defs[id]->name))
            other = id;
    if (other) {
        char cond[200];
        snprintf(cond, sizeof cond, "evt.type = %s or evt.type = open",
                 skr_scap_event_names_sysdig029[other]);
        struct filter_error err;
        struct filter *f = filter_compile(cond, NULL, &err);
        if (f) { /* the old name may be unknown to Falco's list */
            struct filter *s = NULL;
            ck_assert_int_eq(filter_specialize(f, cs->defs[other], &s), 0);
            ck_assert_ptr_null(s);
            filter_free(f);
        }
    }
    /* an ordinary ENTER event: decided like a saker one */
    int oe = -1;
    for (uint32_t id = 0; id < cs->max_id && oe < 0; id++)
        if (cs->defs[id] && !strcmp(cs->defs[id]->name, "open") &&
            cs->defs[id]->dir == SKR_DIR_ENTER)
            oe = (int)id;
    ck_assert_int_ge(oe, 0);
    ck_assert(verdict("evt.type = open and evt.dir = > and proc.name = cat", cs->defs[oe], "cat",
                      true, &d) && d);
}
END_TEST

/* filter_memo: equal checks of different filters share a slot, others
 * do not, and a verdict kept for one event is not used for the next. */
START_TEST(spec_memo)
{
    skr_schema_from_table(&ss, saker_evt_table, SAKER_EVT_COUNT);
    struct filter *a = compile("proc.name = cat and fd.name in (/etc/passwd, /etc/shadow)");
    struct filter *b = compile("fd.name in (/etc/shadow, /etc/passwd) or proc.name = cat");
    struct filter *c = compile("proc.name = vi or fd.name in (/etc/passwd) or proc.name = "
                               "cat and toupper(proc.name) = CAT");
    struct filter_memo *m = filter_memo_new();
    ck_assert_ptr_nonnull(m);
    uint32_t *sa = filter_memo_slots(m, a), *sb = filter_memo_slots(m, b);
    uint32_t *sc = filter_memo_slots(m, c);
    ck_assert(sa && sb && sc);
    /* the jump code keeps the checks in the text's order; a list's order
     * does not matter once sorted */
    ck_assert_uint_eq(sa[0], sb[1]);
    ck_assert_uint_eq(sa[1], sb[0]);
    ck_assert_uint_ne(sa[0], sa[1]);
    ck_assert_uint_ne(sc[0], sa[0]);  /* vi, not cat */
    ck_assert_uint_ne(sc[1], sa[1]);  /* one path, not two */
    ck_assert_uint_eq(sc[2], sa[0]);
    ck_assert_uint_eq(sc[3], UINT32_MAX); /* a transformer: no slot */
    struct fld_scratch scr = { 0 };
    struct fld_ctx ctx = { .ev = &sev, .se = &sse, .scratch = &scr };
    spec_event(ss.defs[SAKER_EVT_OPEN], "cat", true);
    filter_memo_next(m);
    ck_assert(filter_eval_memo(a, &ctx, m, sa));
    /* the same event as far as the memo knows: a's verdicts are used even
     * though the process changed under it */
    sth.comm = "vi";
    sfd.name = "/x";
    ck_assert(filter_eval_memo(b, &ctx, m, sb));
    ck_assert(!filter_eval(b, &ctx));
    /* a new event: nothing kept */
    filter_memo_next(m);
    ck_assert(!filter_eval_memo(b, &ctx, m, sb));
    ck_assert(filter_eval_memo(c, &ctx, m, sc));
    fld_scratch_free(&scr);
    free(sa);
    free(sb);
    free(sc);
    filter_memo_free(m);
    filter_free(a);
    filter_free(b);
    filter_free(c);
}
END_TEST

void filter_spec_cases(Suite *s)
{
    TCase *tc = tcase_create("filter_spec");
    tcase_add_test(tc, spec_same_verdicts);
    tcase_add_test(tc, spec_decides);
    tcase_add_test(tc, spec_captures);
    tcase_add_test(tc, spec_memo);
    suite_add_tcase(s, tc);
}
