/* test_state.c -- the state's process side (analyzer/state*.c): clone as
 * thread or process in both event orders, CLONE_FILES, exec, exits of a
 * thread and of a process, orphans, pid reuse, unknown tids, lineage. */
#include <fcntl.h>
#include <string.h>

#include "suites.h"
#include "test_state.h"

#define SIGCHLD_ 17
#define THREAD_FLAGS 0x3d0f00u /* glibc pthread_create: VM FS FILES SIGHAND THREAD SYSVSEM ... */
#define CLONE_FILES_ 0x400u

START_TEST(checkpoint_threads)
{
    struct state *st = state_with_shell(NULL);
    struct st_thread *sh = state_thread(st, 100), *w = state_thread(st, 101);
    ck_assert_ptr_nonnull(sh);
    ck_assert_ptr_nonnull(w);
    ck_assert_str_eq(sh->comm, "bash");
    ck_assert_str_eq(sh->cwd, "/home/u/");
    ck_assert(sh->flags & ST_TH_FROM_CHECKPOINT);
    /* a non-leader takes the process-wide fields and fds of its leader */
    ck_assert_str_eq(w->comm, "bash-worker");
    ck_assert_str_eq(w->exepath, "/usr/bin/app");
    ck_assert_ptr_eq(w->fds, sh->fds);
    ck_assert_ptr_eq(state_process(st, w), sh);
    ck_assert_uint_eq(state_nfds(st, sh), 4);
    ck_assert_str_eq(state_fd(st, w, 3)->name, "/etc/app.conf");
    ck_assert_uint_eq(state_stats(st)->checkpoints_loaded, 1);
    state_free(st);
}
END_TEST

START_TEST(fork_process_copies_fds)
{
    struct state *st = state_with_shell(NULL);
    struct st_event out = ev_clone_parent(st, "clone", 100, 200, SIGCHLD_);
    ck_assert_int_eq(out.thread->tid, 100);
    struct st_thread *c = state_thread(st, 200);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(c->pid, 200);
    ck_assert_int_eq(c->ppid, 100);
    ck_assert_str_eq(c->comm, "bash");
    ck_assert_str_eq(c->cwd, "/home/u/");
    ck_assert_ptr_ne(c->fds, state_thread(st, 100)->fds);
    ck_assert_uint_eq(state_nfds(st, c), 4);
    /* the child's own event completes it, it does not make another */
    uint64_t made = state_stats(st)->threads_created;
    out = ev_clone_child(st, "clone", 200, 200, 100);
    ck_assert_ptr_eq(out.thread, state_thread(st, 200));
    ck_assert_uint_eq(state_stats(st)->threads_created, made);
    /* an fd opened by the child is not the parent's */
    ev_open(st, 200, 5, -100, "x", O_RDONLY);
    ck_assert_ptr_nonnull(state_fd(st, state_thread(st, 200), 5));
    ck_assert_ptr_null(state_fd(st, state_thread(st, 100), 5));
    ck_assert_ptr_eq(state_parent(st, state_thread(st, 200)), state_thread(st, 100));
    state_free(st);
}
END_TEST

START_TEST(clone_thread_shares_fds)
{
    struct state *st = state_with_shell(NULL);
    ev_clone_parent(st, "clone", 100, 102, THREAD_FLAGS);
    struct st_thread *t = state_thread(st, 102), *m = state_thread(st, 100);
    ck_assert_int_eq(t->pid, 100);
    ck_assert_int_eq(t->ppid, 1); /* a thread's parent is its process's */
    ck_assert_ptr_eq(t->fds, m->fds);
    ck_assert_ptr_eq(state_process(st, t), m);
    ev_open(st, 102, 7, -100, "/tmp/t", O_WRONLY);
    ck_assert_str_eq(state_fd(st, m, 7)->name, "/tmp/t");
    state_free(st);
}
END_TEST

START_TEST(clone_files_process_shares_fds)
{
    struct state *st = state_with_shell(NULL);
    ev_clone_parent(st, "clone", 100, 210, CLONE_FILES_ | SIGCHLD_);
    struct st_thread *c = state_thread(st, 210), *m = state_thread(st, 100);
    ck_assert_int_eq(c->pid, 210);
    ck_assert_ptr_eq(c->fds, m->fds);
    ev_close(st, 210, 1);
    ev_nop(st, 210);
    ck_assert_ptr_null(state_fd(st, m, 1));
    state_free(st);
}
END_TEST

START_TEST(child_event_first)
{
    struct state *st = state_with_shell(NULL);
    /* a process child: its event names its pid and parent process */
    struct st_event out = ev_clone_child(st, "clone", 300, 300, 100);
    ck_assert_ptr_nonnull(out.thread);
    ck_assert_int_eq(out.thread->ppid, 100);
    ck_assert_str_eq(out.thread->exepath, "/usr/bin/app");
    ck_assert_ptr_ne(out.thread->fds, state_thread(st, 100)->fds);
    ck_assert_uint_eq(state_stats(st)->unknown_threads, 0);
    ev_open(st, 300, 9, -100, "/x", 0);
    uint64_t made = state_stats(st)->threads_created;
    ev_clone_parent(st, "clone", 100, 300, SIGCHLD_);
    ck_assert_uint_eq(state_stats(st)->threads_created, made);
    ck_assert_ptr_nonnull(state_fd(st, state_thread(st, 300), 9)); /* not replaced */
    /* a thread child: pid != tid */
    out = ev_clone_child(st, "clone", 103, 100, 1);
    ck_assert_int_eq(out.thread->pid, 100);
    ck_assert_ptr_eq(out.thread->fds, state_thread(st, 100)->fds);
    state_free(st);
}
END_TEST

START_TEST(clone3_unknown_flags)
{
    /* clone3's "flags" holds the clone_args pointer: the child's event
     * decides thread or process */
    struct state *st = state_with_shell(NULL);
    ev_clone_parent(st, "clone3", 100, 104, 0x7ffc12345678ull);
    ck_assert_int_eq(state_thread(st, 104)->pid, 104);
    ev_clone_child(st, "clone3", 104, 100, 1);
    struct st_thread *t = state_thread(st, 104);
    ck_assert_int_eq(t->pid, 100);
    ck_assert_ptr_eq(t->fds, state_thread(st, 100)->fds);
    state_free(st);
}
END_TEST

START_TEST(vfork_child_gone_before_parent_returns)
{
    struct state *st = state_with_shell(NULL);
    ev_clone_child(st, "vfork", 400, 400, 100);
    ev_procexit(st, 400, 0);
    ev_nop(st, 100);
    ck_assert_ptr_null(state_thread(st, 400));
    ev_clone_parent(st, "vfork", 100, 400, 0);
    ck_assert_ptr_null(state_thread(st, 400)); /* not made again */
    state_free(st);
}
END_TEST

static struct st_event exec_ls(struct state *st, int64_t tid)
{
    static const char args[] = "-l\0/tmp\0", env[] = "PATH=/bin\0HOME=/root\0";
    struct tev e;
    tev_init(&e, "execve", tid);
    tev_s(&e, "res", 0);
    tev_str(&e, "exe", "ls");
    tev_b(&e, "args", args, sizeof args - 1);
    tev_s(&e, "tid", 100);
    tev_s(&e, "pid", 100);
    tev_s(&e, "ptid", 1);
    tev_str(&e, "cwd", "/srv");
    tev_str(&e, "comm", "ls");
    tev_b(&e, "env", env, sizeof env - 1);
    tev_u(&e, "uid", 0);
    tev_str(&e, "trusted_exepath", "/usr/bin/ls");
    tev_str(&e, "filename", "/bin/ls");
    return tev_apply(st, &e);
}

START_TEST(exec_renames_and_closes_cloexec)
{
    struct state *st = state_with_shell(NULL);
    struct st_event out = exec_ls(st, 100);
    struct st_thread *t = out.thread;
    ck_assert_str_eq(t->comm, "ls");
    ck_assert_str_eq(t->exe, "ls");
    ck_assert_str_eq(t->exepath, "/usr/bin/ls");
    ck_assert_uint_eq(t->args_len, 8);
    ck_assert_mem_eq(t->args, "-l\0/tmp\0", 8);
    ck_assert_uint_eq(t->env_len, 21);
    ck_assert_str_eq(t->cwd, "/srv/");
    ck_assert_uint_ne(t->exec_ts, 0);
    ck_assert_uint_eq(t->exec_ts, t->last_ts);
    ck_assert_ptr_null(state_fd(st, t, 3));      /* O_CLOEXEC */
    ck_assert_ptr_nonnull(state_fd(st, t, 0));
    ck_assert_ptr_null(state_thread(st, 101));   /* de_thread */
    state_free(st);
}
END_TEST

START_TEST(exec_unshares_clone_files_table)
{
    struct state *st = state_with_shell(NULL);
    ev_clone_parent(st, "clone", 100, 220, CLONE_FILES_ | SIGCHLD_);
    struct tev e;
    tev_init(&e, "execve", 220);
    tev_s(&e, "res", 0);
    tev_s(&e, "pid", 220);
    tev_str(&e, "exe", "sh");
    tev_apply(st, &e);
    ck_assert_ptr_ne(state_thread(st, 220)->fds, state_thread(st, 100)->fds);
    ck_assert_ptr_nonnull(state_fd(st, state_thread(st, 100), 3)); /* parent's stays */
    ck_assert_ptr_null(state_fd(st, state_thread(st, 220), 3));
    ck_assert_str_eq(state_thread(st, 220)->comm, "sh"); /* comm falls back to exe */
    state_free(st);
}
END_TEST

START_TEST(failed_exec_changes_nothing)
{
    struct state *st = state_with_shell(NULL);
    struct tev e;
    tev_init(&e, "execve", 100);
    tev_s(&e, "res", -2);
    tev_str(&e, "exe", "nope");
    tev_apply(st, &e);
    ck_assert_str_eq(state_thread(st, 100)->comm, "bash");
    ck_assert_ptr_nonnull(state_fd(st, state_thread(st, 100), 3));
    state_free(st);
}
END_TEST

START_TEST(exit_of_thread_then_process)
{
    struct state *st = state_with_shell(NULL);
    /* a thread: seen by its own exit event, gone at the next one */
    struct st_event out = ev_procexit(st, 101, 0);
    ck_assert_ptr_nonnull(out.thread);
    ck_assert_int_eq(out.thread->tid, 101);
    ck_assert(out.thread->flags & ST_TH_DEAD);
    ev_nop(st, 100);
    ck_assert_ptr_null(state_thread(st, 101));
    ck_assert_ptr_nonnull(state_thread(st, 100));
    /* the last thread: the process goes */
    uint64_t removed = state_stats(st)->threads_removed;
    ev_procexit(st, 100, 0);
    ck_assert_ptr_nonnull(state_thread(st, 100));
    ev_nop(st, 1);
    ck_assert_ptr_null(state_thread(st, 100));
    ck_assert_uint_eq(state_stats(st)->threads_removed, removed + 1);
    state_free(st);
}
END_TEST

START_TEST(leader_exits_before_its_thread)
{
    struct state *st = state_with_shell(NULL);
    ev_procexit(st, 100, 0);
    ev_nop(st, 101);
    /* kept, dead, for the thread that still runs */
    struct st_thread *m = state_thread(st, 100);
    ck_assert_ptr_nonnull(m);
    ck_assert(m->flags & ST_TH_DEAD);
    ck_assert_ptr_eq(state_process(st, state_thread(st, 101)), m);
    ev_procexit(st, 101, 0);
    ev_nop(st, 1);
    ck_assert_ptr_null(state_thread(st, 101));
    ck_assert_ptr_null(state_thread(st, 100));
    state_free(st);
}
END_TEST

START_TEST(orphans_reparented)
{
    struct state *st = state_with_shell(NULL);
    ev_clone_parent(st, "clone", 100, 200, SIGCHLD_);
    ev_clone_parent(st, "clone", 200, 300, SIGCHLD_);
    ev_clone_parent(st, "clone", 200, 301, SIGCHLD_);
    /* no reaper named: init adopts */
    ev_procexit(st, 200, 0);
    ev_nop(st, 1);
    ck_assert_int_eq(state_thread(st, 300)->ppid, 1);
    ck_assert_int_eq(state_thread(st, 301)->ppid, 1);
    /* the reaper procexit names */
    ev_clone_parent(st, "clone", 300, 310, SIGCHLD_);
    ev_procexit(st, 300, 100);
    ev_nop(st, 1);
    ck_assert_int_eq(state_thread(st, 310)->ppid, 100);
    /* a subreaper ancestor */
    struct tev e;
    tev_init(&e, "prctl", 100);
    tev_s(&e, "res", 0);
    tev_u(&e, "option", 36);
    tev_s(&e, "arg2_int", 1);
    tev_apply(st, &e);
    ev_clone_parent(st, "clone", 310, 320, SIGCHLD_);
    ev_procexit(st, 310, 0);
    ev_nop(st, 1);
    ck_assert_int_eq(state_thread(st, 320)->ppid, 100);
    state_free(st);
}
END_TEST

START_TEST(pid_reuse_replaces)
{
    struct state *st = state_with_shell(NULL);
    ev_clone_parent(st, "clone", 100, 200, SIGCHLD_);
    ev_clone_child(st, "clone", 200, 200, 100);
    ev_open(st, 200, 8, -100, "/old", 0);
    /* its exit was lost; the tid comes back as init's child */
    uint64_t removed = state_stats(st)->threads_removed;
    ev_clone_parent(st, "clone", 1, 200, SIGCHLD_);
    struct st_thread *t = state_thread(st, 200);
    ck_assert_int_eq(t->ppid, 1);
    ck_assert_str_eq(t->comm, "systemd");
    ck_assert_ptr_null(state_fd(st, t, 8));
    ck_assert_uint_eq(state_stats(st)->threads_removed, removed + 1);
    /* the same from the child's side: a complete thread is replaced */
    ev_clone_child(st, "clone", 200, 200, 1);
    ev_clone_child(st, "fork", 200, 200, 100);
    ck_assert_int_eq(state_thread(st, 200)->ppid, 100);
    state_free(st);
}
END_TEST

START_TEST(unknown_tid)
{
    struct state *st = state_new(NULL);
    struct st_event out = ev_open(st, 777, 3, -100, "rel.txt", 0);
    ck_assert_ptr_nonnull(out.thread);
    ck_assert(out.thread->flags & ST_TH_INCOMPLETE);
    ck_assert_ptr_nonnull(out.thread->fds);
    ck_assert_uint_eq(state_stats(st)->unknown_threads, 1);
    /* no cwd known: the name stays as given */
    ck_assert_str_eq(out.fd->name, "rel.txt");
    ev_nop(st, 777);
    ck_assert_uint_eq(state_stats(st)->unknown_threads, 1);
    /* an event without a tid has no thread */
    struct tev e;
    tev_init(&e, "syscall", 0);
    ck_assert_ptr_null(tev_apply(st, &e).thread);
    state_free(st);
}
END_TEST

START_TEST(ancestors_and_session)
{
    struct state *st = state_with_shell(NULL);
    ev_clone_parent(st, "clone", 100, 200, SIGCHLD_);
    ev_clone_parent(st, "clone", 200, 300, THREAD_FLAGS & ~0x10000u);
    ev_clone_parent(st, "clone", 300, 301, THREAD_FLAGS);
    struct st_thread *t = state_thread(st, 301);
    ck_assert_ptr_eq(state_ancestor(st, t, 0), state_thread(st, 300));
    ck_assert_ptr_eq(state_ancestor(st, t, 1), state_thread(st, 200));
    ck_assert_ptr_eq(state_ancestor(st, t, 2), state_thread(st, 100));
    ck_assert_ptr_eq(state_ancestor(st, t, 3), state_thread(st, 1));
    ck_assert_ptr_null(state_ancestor(st, t, 4));
    ck_assert_ptr_null(state_ancestor(st, t, -1));
    ck_assert_ptr_eq(state_session_leader(st, t), state_thread(st, 100));
    state_free(st);
}
END_TEST

START_TEST(credentials_and_names)
{
    struct state *st = state_with_shell(NULL);
    struct tev e;
    tev_init(&e, "setresuid", 100);
    tev_s(&e, "res", 0);
    tev_u(&e, "ruid", 0xffffffffu);
    tev_u(&e, "euid", 0);
    tev_u(&e, "suid", 0);
    tev_apply(st, &e);
    ck_assert_uint_eq(state_thread(st, 100)->uid, 1000);
    ck_assert_uint_eq(state_thread(st, 100)->euid, 0);
    tev_init(&e, "prctl", 101);
    tev_s(&e, "res", 0);
    tev_u(&e, "option", 15);
    tev_str(&e, "arg2_str", "worker2");
    tev_apply(st, &e);
    ck_assert_str_eq(state_thread(st, 101)->comm, "worker2");
    state_free(st);
}
END_TEST

START_TEST(container_from_cgroups)
{
    static const char cg[] =
        "=/system.slice/docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        ".scope";
    struct state *st = state_with_shell(NULL);
    struct tev e;
    tev_init(&e, "execve", 100);
    tev_s(&e, "res", 0);
    tev_str(&e, "exe", "nginx");
    tev_b(&e, "cgroups", cg, sizeof cg); /* with its NUL */
    tev_apply(st, &e);
    ck_assert_str_eq(state_thread(st, 100)->container_id, "0123456789ab");
    ck_assert_ptr_nonnull(state_container(st, "0123456789ab"));
    ck_assert_ptr_null(state_container(st, "ffffffffffff"));
    state_free(st);
}
END_TEST

/* ENTER/EXIT pairs (imported scap captures): a schema of two events
 * named as libs names them, the exit without the path. */
START_TEST(enter_exit_pairs)
{
    static struct skr_event_def enter = {
        .id = 0, .dir = SKR_DIR_ENTER, .nparams = 3, .name = "open", .category = "file",
        .params = { { "name", SKR_PT_PATH, SKR_WIRE_BYTES }, { "flags", SKR_PT_FLAGS, 0 },
                    { "mode", SKR_PT_MODE, 0 } } };
    static struct skr_event_def exit_ = {
        .id = 1, .dir = SKR_DIR_EXIT, .nparams = 1, .name = "open", .category = "file",
        .params = { { "fd", SKR_PT_FD, SKR_WIRE_ZIGZAG } } };
    struct state *st = state_with_shell(NULL);
    char name[] = "notes.txt";
    struct skr_event ev = { .tid = 100, .def = &enter, .nparams = 3 };
    ev.params[0].ptr = (const uint8_t *)name;
    ev.params[0].len = 9;
    ev.params[1].u = 1u | 1u << 12; /* PPM_O_RDONLY | PPM_O_CLOEXEC */
    struct st_event out;
    state_apply(st, &ev, &out);
    memcpy(name, "XXXXXXXXX", 9); /* the stash is a copy */
    struct skr_event ex = { .tid = 100, .def = &exit_, .nparams = 1 };
    ex.params[0].s = 6;
    state_apply(st, &ex, &out);
    ck_assert_ptr_nonnull(out.enter);
    ck_assert_ptr_nonnull(out.fd);
    ck_assert_str_eq(out.fd->name, "/home/u/notes.txt");
    ck_assert_uint_eq(out.fd->open_flags, O_RDONLY | O_CLOEXEC);
    /* an exit without its enter pairs with nothing */
    state_apply(st, &ex, &out);
    ck_assert_ptr_null(out.enter);
    /* libs' clone flags are PPM_CL_*: CLONE_THREAD is 1 << 13 there */
    static struct skr_event_def clone_x = {
        .id = 2, .dir = SKR_DIR_EXIT, .nparams = 2, .name = "clone", .category = "process",
        .params = { { "res", SKR_PT_PID, SKR_WIRE_ZIGZAG }, { "flags", SKR_PT_FLAGS, 0 } } };
    struct skr_event cl = { .tid = 100, .def = &clone_x, .nparams = 2 };
    cl.params[0].s = 105;
    cl.params[1].u = 1u << 13 | 1u;
    state_apply(st, &cl, &out);
    ck_assert_int_eq(state_thread(st, 105)->pid, 100);
    /* procexit is an ENTER event in scap captures, with no EXIT */
    static struct skr_event_def procexit_e = {
        .id = 3, .dir = SKR_DIR_ENTER, .nparams = 1, .name = "procexit", .category = "process",
        .params = { { "status", SKR_PT_INT, SKR_WIRE_ZIGZAG } } };
    struct skr_event pe = { .tid = 105, .def = &procexit_e, .nparams = 1 };
    state_apply(st, &pe, &out);
    ck_assert(out.thread->flags & ST_TH_DEAD);
    ev_nop(st, 100);
    ck_assert_ptr_null(state_thread(st, 105));
    state_free(st);
}
END_TEST

Suite *state_suite(void)
{
    Suite *s = suite_create("state");
    TCase *tc = tcase_create("process");
    tcase_add_test(tc, checkpoint_threads);
    tcase_add_test(tc, fork_process_copies_fds);
    tcase_add_test(tc, clone_thread_shares_fds);
    tcase_add_test(tc, clone_files_process_shares_fds);
    tcase_add_test(tc, child_event_first);
    tcase_add_test(tc, clone3_unknown_flags);
    tcase_add_test(tc, vfork_child_gone_before_parent_returns);
    tcase_add_test(tc, exec_renames_and_closes_cloexec);
    tcase_add_test(tc, exec_unshares_clone_files_table);
    tcase_add_test(tc, failed_exec_changes_nothing);
    tcase_add_test(tc, exit_of_thread_then_process);
    tcase_add_test(tc, leader_exits_before_its_thread);
    tcase_add_test(tc, orphans_reparented);
    tcase_add_test(tc, pid_reuse_replaces);
    tcase_add_test(tc, unknown_tid);
    tcase_add_test(tc, ancestors_and_session);
    tcase_add_test(tc, credentials_and_names);
    tcase_add_test(tc, container_from_cgroups);
    tcase_add_test(tc, enter_exit_pairs);
    suite_add_tcase(s, tc);
    return s;
}
