/* test_fields_proc.c -- the proc.* and thread.* field classes
 * (analyzer/fields_proc.c, fields_proc_tree.c) on a hand-made thread with
 * no state behind it: every value the thread alone gives, the formats
 * libs uses (cmdline, exeline, args, env, capabilities), the edges of
 * indexes and lists, and no value at all without a thread. The process
 * tree, fds and thread counts need a state: test_fields_user.c builds one
 * from a checkpoint. */
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/fields.h"
#include "../../analyzer/fields_proc_int.h"
#include "suites.h"
#include "test_fields_proc_util.h"
#include "testutil.h"

/* A process: bash -c 'ls -la' started by hand, in a session it leads. */
static struct st_thread bash_thread(void)
{
    static char args[] = "-c\0ls -la\0";
    static char env[] = "HOME=/root\0EMPTY=\0PADDED=  v w  \0PATH=/bin:/usr/bin\0";
    static char cgroups[] = "cpu,cpuacct=/user.slice\0memory=/user.slice/m\0name=systemd=/sess\0";
    return (struct st_thread){
        .tid = 4242, .pid = 4242, .ppid = 1, .vtid = 4242, .vpid = 4242,
        .sid = 4242, .pgid = 4242, .vpgid = 4242,
        .comm = "bash", .exe = "/bin/bash", .exepath = "/usr/bin/bash",
        .args = args, .args_len = sizeof args - 1,
        .env = env, .env_len = sizeof env - 1,
        .cwd = "/root/", .root = "/", .container_id = "",
        .cgroups = cgroups, .cgroups_len = sizeof cgroups - 1,
        .uid = 0, .gid = 0, .euid = 0, .egid = 0, .loginuid = 0xffffffffu,
        .tty = 34816,
        .cap_permitted = 0x3, .cap_effective = (1ull << 21) | (1ull << 7), .cap_inheritable = 0,
        .exe_ino = 1234, .exe_ino_ctime = 1000, .exe_ino_mtime = 900,
        .exe_flags = ST_EXE_WRITABLE | ST_EXE_FROM_MEMFD,
        .clone_ts = 5000, .exec_ts = 5100,
    };
}

START_TEST(no_thread_no_value)
{
    /* Without a thread nothing about a process is known (only
     * thread.exectime, which libs gives as 0 on any event). */
    struct tf tf;
    tf_init(&tf, NULL, NULL);
    const struct field_def *tables[] = { fields_proc, fields_user };
    const size_t counts[] = { fields_proc_count, fields_user_count };
    size_t checked = 0;
    for (size_t t = 0; t < 2; t++) {
        for (size_t i = 0; i < counts[t]; i++) {
            const struct field_def *d = &tables[t][i];
            if (!strcmp(d->name, "thread.exectime"))
                continue;
            const char *arg = (d->flags & FF_ARG_REQUIRED) ? "1" : NULL;
            const struct fvals *v = tf_get_arg(&tf, d->name, arg);
            CHECK(v->n == 0, "%s: %zu values without a thread", d->name, v->n);
            checked++;
        }
    }
    ck_assert_uint_ge(checked, 90);
    tf_expect_time(&tf, "thread.exectime", FT_RELTIME, 0);
    tf_free(&tf);
}
END_TEST

START_TEST(process_values)
{
    struct st_thread th = bash_thread();
    struct tf tf;
    tf_init(&tf, &th, NULL);
    tf.ev.ts = 8000;
    tf.ev.tid = 4242;
    tf_expect_int(&tf, "proc.pid", 4242);
    tf_expect_int(&tf, "proc.vpid", 4242);
    tf_expect_int(&tf, "proc.ppid", 1);
    tf_expect_str(&tf, "proc.name", "bash");
    tf_expect_str(&tf, "proc.exe", "/bin/bash");
    tf_expect_str(&tf, "proc.exepath", "/usr/bin/bash");
    tf_expect_str(&tf, "proc.cwd", "/root/");
    tf_expect_uint(&tf, "proc.tty", 34816);
    tf_expect_int(&tf, "proc.sid", 4242);
    tf_expect_int(&tf, "proc.pgid", 4242);
    tf_expect_int(&tf, "proc.vpgid", 4242);
    tf_expect_bool(&tf, "proc.is_sid_leader", true);
    tf_expect_bool(&tf, "proc.is_pgid_leader", true);
    tf_expect_bool(&tf, "proc.is_vpgid_leader", true);
    tf_expect_int(&tf, "thread.tid", 4242);
    tf_expect_int(&tf, "thread.vtid", 4242);
    tf_expect_bool(&tf, "thread.ismain", true);
    /* times: the thread started at 5000, the event is at 8000 */
    tf_expect_time(&tf, "proc.duration", FT_RELTIME, 3000);
    tf_expect_time(&tf, "proc.pid.ts", FT_RELTIME, 5000);
    tf_expect_none(&tf, "proc.ppid.ts");
    tf_expect_none(&tf, "proc.ppid.duration");
    /* the executable */
    tf_expect_int(&tf, "proc.exe_ino", 1234);
    tf_expect_time(&tf, "proc.exe_ino.ctime", FT_ABSTIME, 1000);
    tf_expect_time(&tf, "proc.exe_ino.mtime", FT_ABSTIME, 900);
    tf_expect_time(&tf, "proc.exe_ino.ctime_duration_proc_start", FT_ABSTIME, 4000);
    tf_expect_none(&tf, "proc.exe_ino.ctime_duration_pidns_start");
    tf_expect_bool(&tf, "proc.is_exe_writable", true);
    tf_expect_bool(&tf, "proc.is_exe_from_memfd", true);
    tf_expect_bool(&tf, "proc.is_exe_upper_layer", false);
    tf_expect_bool(&tf, "proc.is_exe_lower_layer", false);
    tf_expect_bool(&tf, "proc.is_container_healthcheck", false);
    tf_expect_bool(&tf, "proc.is_container_liveness_probe", false);
    tf_expect_bool(&tf, "proc.is_container_readiness_probe", false);
    /* no state: nothing about other processes, fds or thread counts */
    tf_expect_none(&tf, "proc.pname");
    tf_expect_none(&tf, "proc.pcmdline");
    tf_expect_none(&tf, "proc.aname[1]");
    tf_expect_none(&tf, "proc.stdin.type");
    tf_expect_none(&tf, "proc.nthreads");
    tf_expect_none(&tf, "proc.fdopencount");
    tf_expect_none(&tf, "proc.fdlimit");
    tf_free(&tf);
}
END_TEST

START_TEST(event_before_thread_start)
{
    /* A clock that went back must not give a huge unsigned duration. */
    struct st_thread th = bash_thread();
    struct tf tf;
    tf_init(&tf, &th, NULL);
    tf.ev.ts = 4999;
    tf_expect_none(&tf, "proc.duration");
    th.clone_ts = 0;
    tf.ev.ts = 8000;
    tf_expect_none(&tf, "proc.duration");
    tf_expect_none(&tf, "proc.pid.ts");
    tf_free(&tf);
}
END_TEST

START_TEST(command_lines)
{
    struct st_thread th = bash_thread();
    struct tf tf;
    tf_init(&tf, &th, NULL);
    tf_expect_str(&tf, "proc.args", "-c ls -la");
    tf_expect_str(&tf, "proc.cmdline", "bash -c ls -la");
    tf_expect_str(&tf, "proc.exeline", "/bin/bash -c ls -la");
    tf_expect_uint(&tf, "proc.cmdnargs", 2);
    tf_expect_uint(&tf, "proc.cmdlenargs", 8);
    tf_expect_str(&tf, "proc.args[0]", "-c");
    tf_expect_str(&tf, "proc.args[1]", "ls -la");
    tf_expect_none(&tf, "proc.args[2]");
    /* an empty argument still counts and still takes its place */
    static char args2[] = "a\0\0b\0";
    th.args = args2;
    th.args_len = sizeof args2 - 1;
    tf_expect_str(&tf, "proc.args", "a  b");
    tf_expect_uint(&tf, "proc.cmdnargs", 3);
    tf_expect_uint(&tf, "proc.cmdlenargs", 2);
    tf_expect_str(&tf, "proc.args[1]", "");
    /* no arguments: libs's cmdline has no trailing space, exeline has */
    th.args = NULL;
    th.args_len = 0;
    tf_expect_str(&tf, "proc.args", "");
    tf_expect_str(&tf, "proc.cmdline", "bash");
    tf_expect_str(&tf, "proc.exeline", "/bin/bash ");
    tf_expect_uint(&tf, "proc.cmdnargs", 0);
    tf_expect_uint(&tf, "proc.cmdlenargs", 0);
    tf_expect_none(&tf, "proc.args[0]");
    /* a list whose last entry lost its NUL (a cut record) */
    static char args3[] = { 'x', '\0', 'y', 'z' };
    th.args = args3;
    th.args_len = sizeof args3;
    tf_expect_str(&tf, "proc.args", "x yz");
    tf_expect_str(&tf, "proc.args[1]", "yz");
    tf_expect_uint(&tf, "proc.cmdnargs", 2);
    tf_free(&tf);
}
END_TEST

START_TEST(environment)
{
    struct st_thread th = bash_thread();
    struct tf tf;
    tf_init(&tf, &th, NULL);
    tf_expect_str(&tf, "proc.env", "HOME=/root EMPTY= PADDED=  v w   PATH=/bin:/usr/bin");
    tf_expect_str(&tf, "proc.env[HOME]", "/root");
    tf_expect_str(&tf, "proc.env[PATH]", "/bin:/usr/bin");
    tf_expect_str(&tf, "proc.env[PADDED]", "v w");     /* libs strips the spaces */
    tf_expect_str(&tf, "proc.env[EMPTY]", "");
    tf_expect_str(&tf, "proc.env[NOPE]", "");         /* libs: empty, not absent */
    tf_expect_str(&tf, "proc.env[HOM]", "");          /* whole names only */
    tf_expect_str(&tf, "proc.aenv", "HOME=/root EMPTY= PADDED=  v w   PATH=/bin:/usr/bin");
    tf_expect_str(&tf, "proc.aenv[0]", "HOME=/root EMPTY= PADDED=  v w   PATH=/bin:/usr/bin");
    tf_expect_none(&tf, "proc.aenv[1]");
    tf_expect_str(&tf, "proc.aenv[HOME]", "");        /* parents only, and none known */
    th.env = NULL;
    th.env_len = 0;
    tf_expect_str(&tf, "proc.env", "");
    tf_free(&tf);
}
END_TEST

START_TEST(capabilities)
{
    struct st_thread th = bash_thread();
    struct tf tf;
    tf_init(&tf, &th, NULL);
    tf_expect_str(&tf, "thread.cap_permitted", "CAP_CHOWN CAP_DAC_OVERRIDE");
    tf_expect_str(&tf, "thread.cap_effective", "CAP_SETUID CAP_SYS_ADMIN");
    tf_expect_str(&tf, "thread.cap_inheritable", "");
    /* bits above CAP_CHECKPOINT_RESTORE (40) have no name and are left out */
    th.cap_permitted = (1ull << 40) | (1ull << 41) | (1ull << 63);
    tf_expect_str(&tf, "thread.cap_permitted", "CAP_CHECKPOINT_RESTORE");
    th.cap_permitted = ~0ull;
    const struct fvals *v = tf_get(&tf, "thread.cap_permitted");
    ck_assert_uint_eq(v->n, 1);
    size_t words = 1;
    for (size_t i = 0; i < v->v[0].len; i++)
        words += v->v[0].s[i] == ' ';
    ck_assert_uint_eq(words, 41);
    ck_assert(v->v[0].len > 9 && !memcmp(v->v[0].s, "CAP_CHOWN ", 10));
    /* a buffer too small holds whole names only */
    char small[20];
    size_t n = fproc_caps_format(0x7, small, sizeof small);
    ck_assert_str_eq(small, "CAP_CHOWN");
    ck_assert_uint_eq(n, 9);
    n = fproc_caps_format(0x7, small, 0);
    ck_assert_uint_eq(n, 0);
    tf_free(&tf);
}
END_TEST

START_TEST(cgroups)
{
    struct st_thread th = bash_thread();
    struct tf tf;
    tf_init(&tf, &th, NULL);
    tf_expect_str(&tf, "thread.cgroups",
                  "cpu,cpuacct=/user.slice memory=/user.slice/m name=systemd=/sess");
    tf_expect_str(&tf, "thread.cgroup[cpu]", "/user.slice");
    tf_expect_str(&tf, "thread.cgroup[cpuacct]", "/user.slice");
    tf_expect_str(&tf, "thread.cgroup[memory]", "/user.slice/m");
    tf_expect_str(&tf, "thread.cgroup[name=systemd]", "/sess");
    tf_expect_none(&tf, "thread.cgroup[cpuset]");
    tf_expect_none(&tf, "thread.cgroup[cpu,cpuacct]");
    th.cgroups = NULL;
    th.cgroups_len = 0;
    tf_expect_none(&tf, "thread.cgroups");
    tf_free(&tf);
}
END_TEST

START_TEST(tree_without_state)
{
    /* Index 0 is the process itself; beyond it nothing is known. */
    struct st_thread th = bash_thread();
    struct tf tf;
    tf_init(&tf, &th, NULL);
    tf_expect_str(&tf, "proc.aname[0]", "bash");
    tf_expect_int(&tf, "proc.apid[0]", 4242);
    tf_expect_str(&tf, "proc.aexe[0]", "/bin/bash");
    tf_expect_str(&tf, "proc.aexepath[0]", "/usr/bin/bash");
    tf_expect_str(&tf, "proc.acmdline[0]", "bash -c ls -la");
    tf_expect_str(&tf, "proc.aargs[0]", "-c ls -la");
    tf_expect_none(&tf, "proc.aname[1]");
    tf_expect_none(&tf, "proc.aname[999999]");
    tf_expect_none(&tf, "proc.aname");       /* every ancestor: none known */
    tf_expect_int(&tf, "proc.loginshellid", 4242);
    tf_expect_str(&tf, "proc.sname", "bash"); /* leads its own session */
    tf_expect_str(&tf, "proc.sid.exe", "/bin/bash");
    tf_expect_str(&tf, "proc.vpgid.name", "bash");
    tf_expect_str(&tf, "proc.pgid.exepath", "/usr/bin/bash");
    th.comm = "sshd";
    tf_expect_none(&tf, "proc.loginshellid");
    th.comm = "s";
    tf_expect_none(&tf, "proc.loginshellid");
    tf_free(&tf);
}
END_TEST

START_TEST(unset_ids)
{
    /* A thread invented from an event (ST_TH_INCOMPLETE) has -1 for the
     * ids no one told the state. */
    struct st_thread th = { .tid = 7, .pid = 7, .ppid = -1, .vtid = -1, .vpid = -1,
                            .sid = -1, .pgid = -1, .vpgid = -1, .uid = 0xffffffffu,
                            .gid = 0xffffffffu, .euid = 0xffffffffu, .egid = 0xffffffffu,
                            .loginuid = 0xffffffffu, .flags = ST_TH_INCOMPLETE };
    struct tf tf;
    tf_init(&tf, &th, NULL);
    tf_expect_int(&tf, "proc.pid", 7);
    tf_expect_none(&tf, "proc.vpid");
    tf_expect_none(&tf, "thread.vtid");
    tf_expect_none(&tf, "proc.name");
    tf_expect_none(&tf, "proc.exe");
    tf_expect_str(&tf, "proc.cmdline", "");
    tf_expect_none(&tf, "proc.exe_ino");
    tf_expect_none(&tf, "proc.exe_ino.ctime");
    tf_expect_none(&tf, "proc.exe_ino.ctime_duration_proc_start");
    tf_expect_none(&tf, "user.uid");
    tf_expect_none(&tf, "group.gid");
    tf_expect_int(&tf, "user.loginuid", -1);
    tf_expect_str(&tf, "container.id", "host");
    tf_free(&tf);
}
END_TEST

START_TEST(table_is_sound)
{
    /* Every field of both tables: a known type, a Falco type, a one-line
     * description, an extractor, a name in its class, no duplicates. */
    const struct field_def *tables[] = { fields_proc, fields_user };
    const size_t counts[] = { fields_proc_count, fields_user_count };
    static const char *const classes[] = { "proc.", "thread.", "user.", "group.", "container.",
                                           "k8s." };
    for (size_t t = 0; t < 2; t++) {
        for (size_t i = 0; i < counts[t]; i++) {
            const struct field_def *d = &tables[t][i];
            CHECK(d->type > FT_NONE && d->type <= FT_RELTIME, "%s: type %u", d->name, d->type);
            CHECK(d->falco_type && *d->falco_type, "%s: no Falco type", d->name);
            CHECK(d->desc && *d->desc && !strchr(d->desc, '\n'), "%s: bad description", d->name);
            CHECK(d->extract, "%s: no extractor", d->name);
            bool in_class = false;
            for (size_t k = 0; k < sizeof classes / sizeof classes[0]; k++)
                in_class = in_class || !strncmp(d->name, classes[k], strlen(classes[k]));
            CHECK(in_class, "%s: not in a class of these tables", d->name);
            CHECK(!(d->flags & FF_LIST) || (d->flags & FF_ARG_ALLOWED),
                  "%s: a list field without an index", d->name);
            CHECK(fields_find(d->name) == d, "%s: fields_find finds another", d->name);
            for (size_t j = 0; j < i; j++)
                CHECK(strcmp(tables[t][j].name, d->name), "%s: twice", d->name);
        }
    }
    /* Not declared by Falco: must stay unknown (rules using it must fail) */
    ck_assert_ptr_null(fields_find("proc.nobody"));
}
END_TEST

/* The flags of these tables as the registry's parser reads them: which
 * arguments are taken, in which form, and what is refused. */
START_TEST(references_parse)
{
    static const struct { const char *text; bool ok; bool idx; const char *key; } cases[] = {
        { "proc.aname[2]", true, true, NULL },
        { "proc.aname", true, false, NULL },
        { "proc.args[0]", true, true, NULL },
        { "proc.env[HOME]", true, false, "HOME" },
        { "proc.aenv[3]", true, true, NULL },
        { "proc.aenv[PATH]", true, false, "PATH" },
        { "thread.cgroup.cpuacct", true, false, "cpuacct" },
        { "thread.cgroup[memory]", true, false, "memory" },
        { "container.mount.dest[/etc]", true, false, "/etc" },
        { "container.mount.dest[0]", true, true, NULL },
        { "container.label.tier", true, false, "tier" },
        { "container.label[io.kubernetes.pod.name]", true, false, "io.kubernetes.pod.name" },
        { "proc.aname[x]", false, false, NULL },     /* an index only */
        { "proc.name[1]", false, false, NULL },      /* no argument */
        { "container.mount.dest", false, false, NULL }, /* one is required */
        { "thread.cgroup", false, false, NULL },
        { "proc.nobody", false, false, NULL },       /* not declared by Falco */
        { "container.info", true, false, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct field_ref r;
        size_t used;
        char err[200] = "";
        int rc = field_ref_parse(cases[i].text, &used, &r, err, sizeof err);
        CHECK((rc == 0) == cases[i].ok, "%s: rc %d (%s)", cases[i].text, rc, err);
        if (rc != 0) {
            CHECK(*err, "%s: refused without a message", cases[i].text);
            continue;
        }
        CHECK(used == strlen(cases[i].text), "%s: parsed %zu bytes", cases[i].text, used);
        bool has = cases[i].idx || cases[i].key;
        CHECK(r.has_arg == has, "%s: has_arg %d", cases[i].text, r.has_arg);
        if (cases[i].key)
            CHECK(r.arg_key && !strcmp(r.arg_key, cases[i].key), "%s: key %s", cases[i].text,
                  r.arg_key ? r.arg_key : "(none)");
        else
            CHECK(!r.arg_key, "%s: unexpected key %s", cases[i].text, r.arg_key);
        field_ref_free(&r);
    }
    /* and a parsed dot reference extracts like a bracketed one */
    struct st_thread th = bash_thread();
    struct tf tf;
    tf_init(&tf, &th, NULL);
    struct field_ref r;
    size_t used;
    char err[200];
    ck_assert_int_eq(field_ref_parse("thread.cgroup.memory", &used, &r, err, sizeof err), 0);
    field_extract(&r, &tf.ctx, &tf.out);
    ck_assert_uint_eq(tf.out.n, 1);
    ck_assert_int_eq((int)tf.out.v[0].len, 13);
    ck_assert(!memcmp(tf.out.v[0].s, "/user.slice/m", 13));
    field_ref_free(&r);
    tf_free(&tf);
}
END_TEST

Suite *fields_proc_suite(void)
{
    Suite *s = suite_create("fields_proc");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, no_thread_no_value);
    tcase_add_test(tc, process_values);
    tcase_add_test(tc, event_before_thread_start);
    tcase_add_test(tc, command_lines);
    tcase_add_test(tc, environment);
    tcase_add_test(tc, capabilities);
    tcase_add_test(tc, cgroups);
    tcase_add_test(tc, tree_without_state);
    tcase_add_test(tc, unset_ids);
    tcase_add_test(tc, table_is_sound);
    tcase_add_test(tc, references_parse);
    suite_add_tcase(s, tc);
    return s;
}
