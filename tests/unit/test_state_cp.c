/* test_state_cp.c -- checkpoints into the state (replace, merge, corrupt
 * payloads leave the state as it was), users/groups/containers, the
 * bounded tables (exactly full, one over, zero), and st_hash. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/state_int.h"
#include "suites.h"
#include "test_state.h"
#include "testutil.h"

static void put_user(struct skr_buf *b, int tag, uint32_t id, const char *name, const char *cid)
{
    struct skr_buf r = { 0 };
    skr_put_field_u(&r, SKR_CPU_ID, id);
    skr_put_field_str(&r, SKR_CPU_NAME, name);
    if (tag == SKR_CP_USER)
        skr_put_field_str(&r, SKR_CPU_SHELL, "/bin/sh");
    if (cid)
        skr_put_field_str(&r, SKR_CPU_CONTAINER_ID, cid);
    skr_put_field_bytes(b, (uint32_t)tag, r.data, r.len);
    skr_buf_free(&r);
}

START_TEST(replace_and_merge)
{
    struct state *st = state_with_shell(NULL);
    /* events make the shell's state newer than any snapshot */
    struct tev e;
    tev_init(&e, "prctl", 100);
    tev_s(&e, "res", 0);
    tev_u(&e, "option", 15);
    tev_str(&e, "arg2_str", "renamed");
    tev_apply(st, &e);
    struct skr_buf b = { 0 };
    cp_thread(&b, 100, 100, 1, "bash", "/home/u");
    cp_thread(&b, 500, 500, 1, "cron", "/");
    cp_fd(&b, 500, 0, 'f', "/dev/null", O_RDONLY);
    put_user(&b, SKR_CP_USER, 1000, "u", NULL);
    put_user(&b, SKR_CP_GROUP, 1000, "users", NULL);
    put_user(&b, SKR_CP_USER, 0, "croot", "0123456789ab");
    struct skr_buf cr = { 0 };
    skr_put_field_str(&cr, SKR_CPC_ID, "0123456789ab");
    skr_put_field_str(&cr, SKR_CPC_IMAGE, "registry:5000/nginx:1.25");
    skr_put_field_u(&cr, SKR_CPC_PRIVILEGED, 1);
    skr_put_field_bytes(&b, SKR_CP_CONTAINER, cr.data, cr.len);
    skr_buf_free(&cr);
    char err[256];
    /* merge: only what the state does not know */
    ck_assert_int_eq(state_load_checkpoint(st, b.data, b.len, false, err, sizeof err), 0);
    ck_assert_str_eq(state_thread(st, 100)->comm, "renamed");
    ck_assert_ptr_nonnull(state_thread(st, 101));
    ck_assert_str_eq(state_thread(st, 500)->comm, "cron");
    ck_assert_str_eq(state_fd(st, state_thread(st, 500), 0)->name, "/dev/null");
    ck_assert_str_eq(state_user(st, 1000, "")->name, "u");
    ck_assert_str_eq(state_user(st, 1000, NULL)->shell, "/bin/sh");
    ck_assert_str_eq(state_group(st, 1000, "")->name, "users");
    ck_assert_str_eq(state_user(st, 0, "0123456789ab")->name, "croot");
    ck_assert_ptr_null(state_user(st, 0, ""));
    struct st_container *c = state_container(st, "0123456789ab");
    ck_assert_str_eq(c->image_repository, "registry:5000/nginx");
    ck_assert_str_eq(c->image_tag, "1.25");
    ck_assert(c->privileged);
    /* replace: the state becomes the checkpoint's */
    ck_assert_int_eq(state_load_checkpoint(st, b.data, b.len, true, err, sizeof err), 0);
    ck_assert_str_eq(state_thread(st, 100)->comm, "bash");
    ck_assert_ptr_null(state_thread(st, 101));
    ck_assert_ptr_null(state_thread(st, 1));
    ck_assert_uint_eq(state_stats(st)->checkpoints_loaded, 3);
    skr_buf_free(&b);
    state_free(st);
}
END_TEST

/* Every way a payload may be bad: an error naming the record, and the
 * state exactly as before. */
START_TEST(corrupt_payload_changes_nothing)
{
    struct state *st = state_with_shell(NULL);
    struct skr_buf good = { 0 };
    cp_thread(&good, 600, 600, 1, "new", "/");
    cp_thread(&good, 601, 601, 1, "new2", "/");
    struct skr_buf bad[6] = { { 0 } };
    /* cut in the middle of the second record */
    skr_put_raw(&bad[0], good.data, good.len - 3);
    /* a record that is not nested (wire 0) */
    skr_put_raw(&bad[1], good.data, good.len);
    skr_put_field_u(&bad[1], SKR_CP_THREAD, 5);
    /* a THREAD without a TID */
    skr_put_raw(&bad[2], good.data, good.len);
    skr_put_field_bytes(&bad[2], SKR_CP_THREAD, "\x10\x02", 2); /* PID 1 only */
    /* two records of one TID */
    skr_put_raw(&bad[3], good.data, good.len);
    cp_thread(&bad[3], 600, 600, 1, "dup", "/");
    /* a nested record with a bad key */
    skr_put_raw(&bad[4], good.data, good.len);
    skr_put_field_bytes(&bad[4], SKR_CP_FD, "\x07", 1); /* wire 3 */
    /* an FD without a descriptor number */
    skr_put_raw(&bad[5], good.data, good.len);
    skr_put_field_bytes(&bad[5], SKR_CP_FD, "\x08\xc8\x09", 3); /* PID 600 */
    for (int i = 0; i < 6; i++) {
        for (int replace = 0; replace < 2; replace++) {
            char err[256] = "";
            int rc = state_load_checkpoint(st, bad[i].data, bad[i].len, replace, err, sizeof err);
            ck_assert_msg(rc == -1, "payload %d loaded", i);
            ck_assert_msg(strstr(err, "checkpoint record") != NULL, "payload %d: %s", i, err);
            ck_assert_ptr_null(state_thread(st, 600));
            ck_assert_ptr_nonnull(state_thread(st, 101));
            ck_assert_uint_eq(state_nfds(st, state_thread(st, 100)), 4);
        }
        skr_buf_free(&bad[i]);
    }
    ck_assert_uint_eq(state_stats(st)->checkpoints_loaded, 1);
    /* unknown record kinds are skipped; an empty payload is a valid one */
    skr_put_field_bytes(&good, 9, "\x08\x01", 2);
    char err[256];
    ck_assert_int_eq(state_load_checkpoint(st, good.data, good.len, false, err, sizeof err), 0);
    ck_assert_ptr_nonnull(state_thread(st, 601));
    ck_assert_int_eq(state_load_checkpoint(st, NULL, 0, true, err, sizeof err), 0);
    ck_assert_ptr_null(state_thread(st, 100));
    skr_buf_free(&good);
    state_free(st);
}
END_TEST

START_TEST(thread_limit)
{
    /* exactly full: nothing evicted; one over: one evicted */
    struct state_limits lim = { .max_threads = 5, .max_fds_per_process = 100,
                                .max_containers = 10 };
    struct state *st = state_with_shell(&lim); /* 1, 100, 101 */
    ev_nop(st, 100);
    ev_nop(st, 101);
    ev_nop(st, 700);
    ev_nop(st, 701);
    ck_assert_uint_eq(state_stats(st)->threads_evicted, 0);
    ev_nop(st, 702);
    ck_assert_uint_eq(state_stats(st)->threads_evicted, 1);
    ck_assert_ptr_null(state_thread(st, 1)); /* least recently used */
    ck_assert_ptr_nonnull(state_thread(st, 702));
    /* a clone past the limit evicts, and never the thread in use */
    for (int i = 0; i < 20; i++)
        ev_clone_parent(st, "clone", 702, 800 + i, 17);
    ck_assert_ptr_nonnull(state_thread(st, 702));
    ck_assert_ptr_nonnull(state_thread(st, 819));
    state_free(st);
    /* zero: every event still has its thread for the event */
    lim.max_threads = 0;
    st = state_new(&lim);
    for (int i = 1; i < 5; i++)
        ck_assert_ptr_nonnull(ev_nop(st, i).thread);
    ck_assert_uint_eq(state_stats(st)->threads_evicted, 3);
    state_free(st);
}
END_TEST

START_TEST(fd_limit)
{
    struct state_limits lim = { .max_threads = 100, .max_fds_per_process = 6,
                                .max_containers = 10 };
    struct state *st = state_with_shell(&lim); /* fds 0..3 */
    ev_open(st, 100, 4, -100, "a", 0);
    ev_open(st, 100, 5, -100, "b", 0);
    ck_assert_uint_eq(state_stats(st)->fds_evicted, 0);
    ev_open(st, 100, 6, -100, "c", 0);
    ck_assert_uint_eq(state_stats(st)->fds_evicted, 1);
    ck_assert_uint_eq(state_nfds(st, state_thread(st, 100)), 6);
    /* replacing an open fd number is not an eviction */
    ev_open(st, 100, 6, -100, "d", 0);
    ck_assert_uint_eq(state_stats(st)->fds_evicted, 1);
    state_free(st);
    lim.max_fds_per_process = 0;
    st = state_new(&lim);
    ck_assert_ptr_nonnull(ev_open(st, 5, 3, -100, "/a", 0).fd);
    ck_assert_ptr_nonnull(ev_open(st, 5, 4, -100, "/b", 0).fd);
    ck_assert_uint_eq(state_stats(st)->fds_evicted, 1);
    state_free(st);
}
END_TEST

START_TEST(container_limit)
{
    struct state_limits lim = { .max_threads = 100, .max_fds_per_process = 100,
                                .max_containers = 2 };
    struct state *st = state_new(&lim);
    struct skr_buf b = { 0 };
    const char *ids[] = { "aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc" };
    for (int i = 0; i < 3; i++) {
        struct skr_buf r = { 0 };
        skr_put_field_str(&r, SKR_CPC_ID, ids[i]);
        skr_put_field_bytes(&b, SKR_CP_CONTAINER, r.data, r.len);
        skr_buf_free(&r);
        char err[256];
        ck_assert_int_eq(state_load_checkpoint(st, b.data, b.len, false, err, sizeof err), 0);
        ck_assert_uint_eq(state_stats(st)->containers_evicted, i == 2 ? 1 : 0);
        skr_buf_reset(&b);
    }
    ck_assert_ptr_nonnull(state_container(st, "cccccccccccc"));
    skr_buf_free(&b);
    state_free(st);
}
END_TEST

/* st_hash against a plain array, through many inserts and deletes (the
 * backward shift of deletion is where such tables go wrong). */
START_TEST(hash_model)
{
    enum { N = 4096 };
    static int64_t keys[N];
    static bool in[N];
    struct st_hash h = { 0 };
    struct rng r;
    rng_seed(&r, 7);
    for (int i = 0; i < N; i++)
        keys[i] = (int64_t)(rng_next(&r) % 100000) * (i % 2 ? 1 : -1) * N + i; /* distinct */
    for (int round = 0; round < 20000; round++) {
        int i = (int)rng_below(&r, N);
        if (rng_below(&r, 3)) {
            ck_assert(st_hash_put(&h, keys[i], &keys[i]));
            in[i] = true;
        } else {
            void *v = st_hash_del(&h, keys[i]);
            CHECK(v == (in[i] ? (void *)&keys[i] : NULL), "del %d", i);
            in[i] = false;
        }
    }
    size_t n = 0;
    for (int i = 0; i < N; i++) {
        CHECK(st_hash_get(&h, keys[i]) == (in[i] ? (void *)&keys[i] : NULL), "get %d", i);
        n += in[i];
    }
    ck_assert_uint_eq(h.n, n);
    st_hash_free(&h);
    ck_assert_ptr_null(st_hash_get(&h, 1));
    ck_assert_ptr_null(st_hash_del(&h, 1));
}
END_TEST

/* §8: a large checkpoint may be split across blocks; the later blocks are
 * merged and may hold the fds and threads of a leader met earlier. */
START_TEST(split_checkpoint)
{
    struct state *st = state_new(NULL);
    struct skr_buf b1 = { 0 }, b2 = { 0 };
    cp_thread(&b1, 900, 900, 1, "srv", "/srv");
    cp_fd(&b1, 900, 3, 'f', "/srv/a", O_RDONLY);
    cp_thread(&b2, 901, 900, 1, "srv-w", NULL);
    cp_fd(&b2, 900, 5, 'f', "/srv/b", O_RDONLY);
    cp_fd(&b2, 900, 3, 'f', "/srv/other", O_RDONLY); /* known already: kept */
    char err[256];
    ck_assert_int_eq(state_load_checkpoint(st, b1.data, b1.len, true, err, sizeof err), 0);
    ck_assert_int_eq(state_load_checkpoint(st, b2.data, b2.len, false, err, sizeof err), 0);
    struct st_thread *m = state_thread(st, 900), *w = state_thread(st, 901);
    ck_assert_ptr_eq(w->fds, m->fds);
    ck_assert_str_eq(w->exepath, "/usr/bin/app");
    ck_assert_str_eq(w->cwd, "/srv/");
    ck_assert_str_eq(state_fd(st, m, 5)->name, "/srv/b");
    ck_assert_str_eq(state_fd(st, m, 3)->name, "/srv/a");
    skr_buf_free(&b1);
    skr_buf_free(&b2);
    state_free(st);
}
END_TEST

/* Invariants of state.h after any event. */
static void check_thread(void *ctx, struct st_thread *t)
{
    struct state *st = ctx;
    CHECK(t->fds != NULL, "tid %lld without fds", (long long)t->tid);
    CHECK(t->comm && t->exe && t->exepath && t->cwd && t->root && t->container_id,
          "tid %lld has a NULL string", (long long)t->tid);
    struct st_thread *p = state_process(st, t);
    CHECK(!p || p->tid == t->pid, "tid %lld: process %lld is not pid %lld", (long long)t->tid,
          (long long)p->tid, (long long)t->pid);
    state_ancestor(st, t, 50);
}

/* Random events of the real schema with small tid and fd ranges (so they
 * collide: reuse, dup over open fds, exits of unknown threads) under tight
 * limits: nothing may crash, leak (ASan) or break an invariant. */
START_TEST(random_events)
{
    struct state_limits lim = { .max_threads = 24, .max_fds_per_process = 8,
                                .max_containers = 2 };
    struct state *st = state_with_shell(&lim);
    struct rng r;
    rng_seed(&r, 42 + (uint64_t)_i);
    static const char *const names[] = {
        "clone", "clone3", "fork", "vfork", "execve", "execveat", "procexit", "open", "openat",
        "close", "dup", "dup2", "dup3", "fcntl", "pipe", "socket", "connect", "accept4", "bind",
        "sendto", "chdir", "fchdir", "memfd_create", "prctl", "setuid", "socketpair", "bpf",
    };
    static const char *const strs[] = { "", "a", "/b/c", "..", "../../x", "d/./e/", "/" };
    uint8_t blob[64];
    for (int i = 0; i < 20000; i++) {
        struct tev e;
        tev_init(&e, names[rng_below(&r, sizeof names / sizeof names[0])],
                 (int64_t)rng_below(&r, 40));
        for (int k = 0; k < e.ev.nparams; k++) {
            struct skr_value *v = &e.ev.params[k];
            if (e.ev.def->params[k].wire == SKR_WIRE_BYTES) {
                if (rng_below(&r, 2)) {
                    const char *s = strs[rng_below(&r, sizeof strs / sizeof strs[0])];
                    v->ptr = (const uint8_t *)s;
                    v->len = (uint32_t)strlen(s);
                } else {
                    for (size_t b = 0; b < sizeof blob; b++)
                        blob[b] = (uint8_t)rng_next(&r);
                    blob[0] = (uint8_t)(rng_below(&r, 3) ? 2 : 1); /* AF_INET / AF_UNIX */
                    v->ptr = blob;
                    v->len = (uint32_t)rng_below(&r, sizeof blob);
                }
            } else {
                v->s = (int64_t)rng_below(&r, 44) - 4;
                v->u = rng_below(&r, 8) ? (uint64_t)v->s : rng_next(&r);
            }
        }
        tev_apply(st, &e);
        if (i % 1000 == 0)
            state_foreach_thread(st, check_thread, st);
        if (i == 10000) {
            char err[256];
            ck_assert_int_eq(state_load_checkpoint(st, NULL, 0, false, err, sizeof err), 0);
        }
    }
    state_foreach_thread(st, check_thread, st);
    state_free(st);
}
END_TEST

Suite *state_cp_suite(void)
{
    Suite *s = suite_create("state_cp");
    TCase *tc = tcase_create("checkpoint");
    tcase_add_test(tc, replace_and_merge);
    tcase_add_test(tc, corrupt_payload_changes_nothing);
    tcase_add_test(tc, thread_limit);
    tcase_add_test(tc, fd_limit);
    tcase_add_test(tc, container_limit);
    tcase_add_test(tc, split_checkpoint);
    tcase_add_test(tc, hash_model);
    tcase_add_loop_test(tc, random_events, 0, 4);
    suite_add_tcase(s, tc);
    return s;
}
