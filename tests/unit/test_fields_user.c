/* test_fields_user.c -- the user.*, group.*, container.* and k8s.* field
 * classes (analyzer/fields_user.c), and the proc.* fields that need a
 * state (parent, ancestors, session and group leaders, thread counts,
 * stdio fds: fields_proc_tree.c, fields_proc.c), on a state loaded from a
 * checkpoint encoded here the way the recorder writes one
 * (capture/procfs.c, man/saker-trace.5 §8).
 *
 * The tree: systemd(1) -> sshd(100) -> bash(200, session leader) ->
 * sleep(300, own process group, in container abcdef123456, threads 300
 * and 301). Container users differ from host users with the same ids. */
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/fields.h"
#include "../../reader/codec.h"
#include "../../reader/format.h"
#include "suites.h"
#include "test_fields_proc_util.h"
#include "testutil.h"

#define CID "abcdef123456"
#define BOOT_NS 1700000000000000000ull

struct tproc {
    int64_t tid, pid, ppid, sid, pgid;
    const char *comm, *exe, *cid;
    uint32_t euid, egid, loginuid;
    const char *args[3], *env[3];
};

static const struct tproc tree[] = {
    { 1, 1, 0, 1, 1, "systemd", "/sbin/init", NULL, 0, 0, 0xffffffffu, { "splash" }, { 0 } },
    { 100, 100, 1, 100, 100, "sshd", "/usr/sbin/sshd", NULL, 0, 0, 0xffffffffu, { "-D" },
      { "LANG=C", "SSH_MARK=outer" } },
    { 200, 200, 100, 200, 200, "bash", "-bash", NULL, 0, 0, 1000, { 0 },
      { "HOME=/root", "SSH_MARK=inner" } },
    { 300, 300, 200, 200, 300, "sleep", "sleep", CID, 1000, 1000, 1000, { "60" }, { "HOME=/app" } },
    { 301, 300, 200, 200, 300, "sleep-worker", NULL, CID, 1000, 1000, 1000, { 0 }, { 0 } },
};

static void put_thread(struct skr_buf *out, const struct tproc *t)
{
    struct skr_buf r = { 0 };
    skr_put_field_s(&r, SKR_CPT_TID, t->tid);
    skr_put_field_s(&r, SKR_CPT_PID, t->pid);
    skr_put_field_s(&r, SKR_CPT_PPID, t->ppid);
    skr_put_field_s(&r, SKR_CPT_VTID, t->tid);
    skr_put_field_s(&r, SKR_CPT_VPID, t->pid);
    skr_put_field_str(&r, SKR_CPT_COMM, t->comm);
    skr_put_field_u(&r, SKR_CPT_UID, t->euid);
    skr_put_field_u(&r, SKR_CPT_GID, t->egid);
    skr_put_field_u(&r, SKR_CPT_EUID, t->euid);
    skr_put_field_u(&r, SKR_CPT_EGID, t->egid);
    skr_put_field_u(&r, SKR_CPT_START_NS, 1000);
    if (t->tid == t->pid) { /* process-wide fields: the leader only (§8.1) */
        skr_put_field_str(&r, SKR_CPT_EXE, t->exe);
        skr_put_field_str(&r, SKR_CPT_EXEPATH, t->exe);
        for (size_t i = 0; i < 3 && t->args[i]; i++)
            skr_put_field_str(&r, SKR_CPT_ARG, t->args[i]);
        skr_put_field_str(&r, SKR_CPT_CWD, "/");
        for (size_t i = 0; i < 3 && t->env[i]; i++)
            skr_put_field_str(&r, SKR_CPT_ENV, t->env[i]);
        if (t->loginuid != 0xffffffffu)
            skr_put_field_u(&r, SKR_CPT_LOGINUID, t->loginuid);
        skr_put_field_u(&r, SKR_CPT_TTY, t->pid == 200 ? 34816 : 0);
        if (t->cid)
            skr_put_field_str(&r, SKR_CPT_CONTAINER_ID, t->cid);
        skr_put_field_s(&r, SKR_CPT_SID, t->sid);
        skr_put_field_s(&r, SKR_CPT_PGID, t->pgid);
        skr_put_field_s(&r, SKR_CPT_VPGID, t->pgid);
    }
    skr_put_field_u(&r, SKR_CPT_FLAGS, 0);
    ck_assert(!r.oom);
    skr_put_field_bytes(out, SKR_CP_THREAD, r.data, r.len);
    skr_buf_free(&r);
}

static void put_fd(struct skr_buf *out, int64_t pid, int64_t fd, char type, const char *name)
{
    struct skr_buf r = { 0 };
    skr_put_field_s(&r, SKR_CPF_PID, pid);
    skr_put_field_s(&r, SKR_CPF_FD, fd);
    skr_put_field_u(&r, SKR_CPF_TYPE, (uint8_t)type);
    skr_put_field_str(&r, SKR_CPF_NAME, name);
    skr_put_field_bytes(out, SKR_CP_FD, r.data, r.len);
    skr_buf_free(&r);
}

static void put_user(struct skr_buf *out, int kind, uint32_t id, const char *name,
                     const char *home, const char *shell, const char *cid)
{
    struct skr_buf r = { 0 };
    skr_put_field_u(&r, SKR_CPU_ID, id);
    skr_put_field_str(&r, SKR_CPU_NAME, name);
    if (home)
        skr_put_field_str(&r, SKR_CPU_HOME, home);
    if (shell)
        skr_put_field_str(&r, SKR_CPU_SHELL, shell);
    if (cid)
        skr_put_field_str(&r, SKR_CPU_CONTAINER_ID, cid);
    skr_put_field_bytes(out, (uint32_t)kind, r.data, r.len);
    skr_buf_free(&r);
}

static void put_container(struct skr_buf *out)
{
    struct skr_buf r = { 0 };
    skr_put_field_str(&r, SKR_CPC_ID, CID);
    skr_put_field_str(&r, SKR_CPC_NAME, "web");
    skr_put_field_str(&r, SKR_CPC_IMAGE, "registry:5000/team/nginx:1.25");
    skr_put_field_str(&r, SKR_CPC_RUNTIME, "docker");
    skr_put_field_u(&r, SKR_CPC_PRIVILEGED, 1);
    skr_put_field_str(&r, SKR_CPC_LABEL, "io.kubernetes.pod.namespace=prod");
    skr_put_field_str(&r, SKR_CPC_LABEL, "io.kubernetes.pod.name=web-1");
    skr_put_field_str(&r, SKR_CPC_LABEL, "io.kubernetes.pod.uid=3e41dc6b");
    skr_put_field_str(&r, SKR_CPC_LABEL, "tier=front=end");
    skr_put_field_bytes(out, SKR_CP_CONTAINER, r.data, r.len);
    skr_buf_free(&r);
}

static struct state *tree_state(void)
{
    struct skr_buf cp = { 0 };
    for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++)
        put_thread(&cp, &tree[i]);
    put_fd(&cp, 300, 0, ST_FD_FILE, "/dev/pts/0");
    put_fd(&cp, 300, 1, ST_FD_PIPE, "pipe:[777]");
    put_fd(&cp, 300, 2, ST_FD_UNIX, "/run/log.sock");
    put_user(&cp, SKR_CP_USER, 0, "root", "/root", "/bin/bash", NULL);
    put_user(&cp, SKR_CP_USER, 1000, "alice", "/home/alice", "/bin/zsh", NULL);
    put_user(&cp, SKR_CP_USER, 1000, "app", "/srv/app", "/sbin/nologin", CID);
    put_user(&cp, SKR_CP_GROUP, 1000, "alicegrp", NULL, NULL, NULL);
    put_user(&cp, SKR_CP_GROUP, 1000, "appgrp", NULL, NULL, CID);
    put_container(&cp);
    ck_assert(!cp.oom);
    struct state *st = state_new(NULL);
    ck_assert_ptr_nonnull(st);
    state_set_boot_ns(st, BOOT_NS); /* START_NS is since boot (§8.1) */
    char err[256] = "";
    int rc = state_load_checkpoint(st, cp.data, cp.len, true, err, sizeof err);
    ck_assert_msg(rc == 0, "checkpoint: %s", err);
    skr_buf_free(&cp);
    return st;
}

/* The fixture: the state and a context for an event of tid. */
static void at(struct tf *tf, struct state *st, int64_t tid)
{
    struct st_thread *th = state_thread(st, tid);
    ck_assert_msg(th != NULL, "the state has no thread %lld (state not implemented yet?)",
                  (long long)tid);
    tf_init(tf, th, st);
}

START_TEST(users_without_state)
{
    struct st_thread th = { .tid = 9, .pid = 9, .vtid = 9, .vpid = 9, .comm = "id",
                            .uid = 1000, .gid = 1001, .euid = 0, .egid = 50, .loginuid = 1000,
                            .container_id = "" };
    struct tf tf;
    tf_init(&tf, &th, NULL);
    tf_expect_uint(&tf, "user.uid", 0);   /* effective, as the driver reports it */
    tf_expect_uint(&tf, "group.gid", 50);
    tf_expect_int(&tf, "user.loginuid", 1000);
    tf_expect_none(&tf, "user.name");
    tf_expect_none(&tf, "user.homedir");
    tf_expect_none(&tf, "user.loginname");
    tf_expect_none(&tf, "group.name");
    tf_expect_str(&tf, "container.id", "host");
    tf_expect_str(&tf, "container.name", "host");
    tf_expect_str(&tf, "container.info", "host (id=host)");
    tf_expect_none(&tf, "container.image");
    tf_expect_none(&tf, "container.privileged");
    tf_expect_none(&tf, "k8s.ns.name");
    th.euid = 0xffffffffu; /* unknown effective id: the real one stands in */
    tf_expect_uint(&tf, "user.uid", 1000);
    th.container_id = NULL;
    tf_expect_str(&tf, "container.id", "host");
    th.container_id = CID;
    tf_expect_str(&tf, "container.id", CID);
    tf_expect_none(&tf, "container.name");  /* no state: nothing known about it */
    tf_expect_str(&tf, "container.info", "<NA> (id=" CID ")");
    tf_free(&tf);
}
END_TEST

START_TEST(parent_and_ancestors)
{
    struct state *st = tree_state();
    struct tf tf;
    at(&tf, st, 301);
    tf_expect_int(&tf, "proc.pid", 300);
    tf_expect_int(&tf, "thread.tid", 301);
    tf_expect_bool(&tf, "thread.ismain", false);
    tf_expect_str(&tf, "proc.name", "sleep-worker");
    tf_expect_str(&tf, "proc.exe", "sleep");            /* the leader's (§8.1) */
    tf_expect_str(&tf, "proc.cmdline", "sleep-worker 60");
    tf_expect_int(&tf, "proc.ppid", 200);
    tf_expect_str(&tf, "proc.pname", "bash");
    tf_expect_str(&tf, "proc.pexe", "-bash");
    tf_expect_str(&tf, "proc.pcmdline", "bash");
    tf_expect_int(&tf, "proc.pvpid", 200);
    tf_expect_str(&tf, "proc.aname[0]", "sleep");
    tf_expect_str(&tf, "proc.aname[1]", "bash");
    tf_expect_str(&tf, "proc.aname[2]", "sshd");
    tf_expect_str(&tf, "proc.aname[3]", "systemd");
    tf_expect_none(&tf, "proc.aname[4]");
    tf_expect_strs(&tf, "proc.aname", "bash|sshd|systemd");
    tf_expect_int(&tf, "proc.apid[2]", 100);
    tf_expect_str(&tf, "proc.aexe[2]", "/usr/sbin/sshd");
    tf_expect_str(&tf, "proc.aexepath[3]", "/sbin/init");
    tf_expect_str(&tf, "proc.acmdline[2]", "sshd -D");
    tf_expect_strs(&tf, "proc.acmdline", "bash|sshd -D|systemd splash");
    tf_expect_str(&tf, "proc.aargs[3]", "splash");
    const struct fvals *pids = tf_get(&tf, "proc.apid");
    ck_assert_uint_eq(pids->n, 3);
    ck_assert_int_eq(pids->v[0].i, 200);
    ck_assert_int_eq(pids->v[2].i, 1);
    /* nearest ancestor with the variable, parents only */
    tf_expect_str(&tf, "proc.aenv[SSH_MARK]", "inner");
    tf_expect_str(&tf, "proc.aenv[LANG]", "C");
    tf_expect_str(&tf, "proc.aenv[HOME]", "/root");
    tf_expect_str(&tf, "proc.aenv[2]", "LANG=C SSH_MARK=outer");
    tf_expect_int(&tf, "proc.loginshellid", 200);
    /* every thread started 1000 ns after boot; the event is 5000 ns after */
    tf.ev.ts = BOOT_NS + 5000;
    tf_expect_time(&tf, "proc.duration", FT_RELTIME, 4000);
    tf_expect_time(&tf, "proc.pid.ts", FT_RELTIME, BOOT_NS + 1000);
    tf_expect_time(&tf, "proc.ppid.ts", FT_RELTIME, BOOT_NS + 1000);
    tf_expect_time(&tf, "proc.ppid.duration", FT_RELTIME, 4000);
    tf_free(&tf);
    state_free(st);
}
END_TEST

START_TEST(session_and_group)
{
    struct state *st = tree_state();
    struct tf tf;
    at(&tf, st, 300);
    tf_expect_int(&tf, "proc.sid", 200);
    tf_expect_str(&tf, "proc.sname", "bash");
    tf_expect_str(&tf, "proc.sid.exe", "-bash");
    tf_expect_bool(&tf, "proc.is_sid_leader", false);
    tf_expect_str(&tf, "proc.pgid.name", "sleep");
    tf_expect_str(&tf, "proc.vpgid.name", "sleep");
    tf_expect_bool(&tf, "proc.is_vpgid_leader", true);
    tf_expect_uint(&tf, "proc.nthreads", 2);
    tf_expect_uint(&tf, "proc.nchilds", 1);
    tf_expect_uint(&tf, "proc.fdopencount", 3);
    tf_expect_str(&tf, "proc.stdin.type", "file");
    tf_expect_str(&tf, "proc.stdin.name", "/dev/pts/0");
    tf_expect_str(&tf, "proc.stdout.type", "pipe");
    tf_expect_str(&tf, "proc.stdout.name", "pipe:[777]");
    tf_expect_str(&tf, "proc.stderr.type", "unix");
    tf_expect_str(&tf, "proc.stderr.name", "/run/log.sock");
    tf_free(&tf);
    at(&tf, st, 200);
    tf_expect_bool(&tf, "proc.is_sid_leader", true);
    tf_expect_uint(&tf, "proc.tty", 34816);
    tf_expect_uint(&tf, "proc.nthreads", 1);
    tf_expect_uint(&tf, "proc.nchilds", 0);
    tf_expect_none(&tf, "proc.stdin.type");
    tf_expect_uint(&tf, "proc.fdopencount", 0);
    tf_free(&tf);
    state_free(st);
}
END_TEST

START_TEST(container_users)
{
    struct state *st = tree_state();
    struct tf tf;
    at(&tf, st, 301);
    /* uid 1000 is "app" inside the container, "alice" on the host */
    tf_expect_uint(&tf, "user.uid", 1000);
    tf_expect_str(&tf, "user.name", "app");
    tf_expect_str(&tf, "user.homedir", "/srv/app");
    tf_expect_str(&tf, "user.shell", "/sbin/nologin");
    tf_expect_int(&tf, "user.loginuid", 1000);
    tf_expect_str(&tf, "user.loginname", "app");
    tf_expect_uint(&tf, "group.gid", 1000);
    tf_expect_str(&tf, "group.name", "appgrp");
    tf_free(&tf);
    at(&tf, st, 200);
    tf_expect_str(&tf, "user.name", "root");
    tf_expect_str(&tf, "user.loginname", "alice");
    tf_expect_none(&tf, "group.name");      /* gid 0 has no GROUP record */
    tf_free(&tf);
    state_free(st);
}
END_TEST

START_TEST(containers_and_pods)
{
    struct state *st = tree_state();
    struct tf tf;
    at(&tf, st, 300);
    tf_expect_str(&tf, "container.id", CID);
    tf_expect_str(&tf, "container.name", "web");
    tf_expect_str(&tf, "container.image", "registry:5000/team/nginx:1.25");
    tf_expect_str(&tf, "container.image.repository", "registry:5000/team/nginx");
    tf_expect_str(&tf, "container.image.tag", "1.25");
    tf_expect_str(&tf, "container.type", "docker");
    tf_expect_bool(&tf, "container.privileged", true);
    tf_expect_str(&tf, "container.info", "web (id=" CID ")");
    tf_expect_str(&tf, "k8s.ns.name", "prod");
    tf_expect_str(&tf, "k8s.pod.name", "web-1");
    tf_expect_str(&tf, "k8s.pod.uid", "3e41dc6b");
    tf_expect_str(&tf, "container.label[tier]", "front=end");
    tf_expect_none(&tf, "container.label[tie]");
    tf_expect_str(&tf, "container.labels",
                  "io.kubernetes.pod.namespace:prod,io.kubernetes.pod.name:web-1,"
                  "io.kubernetes.pod.uid:3e41dc6b,tier:front=end");
    /* mounts are not in the trace format */
    tf_expect_none(&tf, "container.mounts");
    tf_expect_none(&tf, "container.mount.dest[/etc]");
    tf_expect_none(&tf, "container.mount.dest[0]");
    tf_free(&tf);
    at(&tf, st, 100);
    tf_expect_str(&tf, "container.id", "host");
    tf_expect_str(&tf, "container.name", "host");
    tf_expect_none(&tf, "container.image.repository");
    tf_expect_none(&tf, "k8s.pod.name");
    tf_expect_none(&tf, "container.labels");
    tf_free(&tf);
    state_free(st);
}
END_TEST

/* A checkpoint (or replay) that contradicts itself: thread 50 says its
 * process is 60, but tid 60 is a thread of process 70. The process
 * fields of 50 must not become those of process 70. */
START_TEST(inconsistent_leader)
{
    static const struct tproc bad[] = {
        { 70, 70, 1, 70, 70, "other", "/bin/other", NULL, 0, 0, 0xffffffffu, { 0 }, { 0 } },
        { 60, 70, 1, 70, 70, "other-thr", NULL, NULL, 0, 0, 0xffffffffu, { 0 }, { 0 } },
        { 50, 60, 1, 70, 70, "mine", NULL, NULL, 0, 0, 0xffffffffu, { 0 }, { 0 } },
    };
    struct skr_buf cp = { 0 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        put_thread(&cp, &bad[i]);
    struct state *st = state_new(NULL);
    char err[256] = "";
    ck_assert_msg(state_load_checkpoint(st, cp.data, cp.len, true, err, sizeof err) == 0,
                  "checkpoint: %s", err);
    skr_buf_free(&cp);
    struct tf tf;
    at(&tf, st, 50);
    tf_expect_int(&tf, "proc.pid", 60);
    tf_expect_int(&tf, "proc.apid[0]", 60);
    tf_expect_str(&tf, "proc.name", "mine");
    tf_expect_str(&tf, "proc.aname[0]", "mine");
    tf_free(&tf);
    state_free(st);
}
END_TEST

Suite *fields_user_suite(void)
{
    Suite *s = suite_create("fields_user");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, users_without_state);
    tcase_add_test(tc, parent_and_ancestors);
    tcase_add_test(tc, session_and_group);
    tcase_add_test(tc, container_users);
    tcase_add_test(tc, containers_and_pods);
    tcase_add_test(tc, inconsistent_leader);
    suite_add_tcase(s, tc);
    return s;
}
