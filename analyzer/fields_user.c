/* fields_user.c -- the user.*, group.*, container.* and k8s.* field
 * classes: who a process runs as, and the container (and Kubernetes pod)
 * it runs in.
 *
 * Design: the ids come from the event's thread (effective uid and gid, as
 * the kernel side of libs reports them for user.uid and group.gid), the
 * names from the user and group tables the checkpoint recorded for the
 * thread's container (state_user/state_group). The container is the
 * process's container id looked up in the state; the host is the container
 * "host" (Falco's convention) with no image, type or labels. k8s.* values
 * are the pod labels the CRI puts on every container
 * (io.kubernetes.pod.namespace, io.kubernetes.pod.name,
 * io.kubernetes.pod.uid); without them there is no value. Mounts are not
 * in saker-trace(5) §8.4: the mount fields are declared (rules naming them
 * load, as in Falco) but never have a value. */
#include <stdio.h>
#include <string.h>

#include "fields_proc_int.h"

#define UNSET_ID 0xffffffffu

/* ---- users and groups ---- */

static const char *container_of(const struct st_thread *p)
{
    return p->container_id ? p->container_id : "";
}

static uint32_t euid_of(const struct st_thread *th)
{
    return th->euid != UNSET_ID ? th->euid : th->uid;
}

static uint32_t egid_of(const struct st_thread *th)
{
    return th->egid != UNSET_ID ? th->egid : th->gid;
}

static const struct st_user *user_by_id(const struct fld_ctx *c, uint32_t uid)
{
    const struct st_thread *th = fproc_thread(c);
    if (!th || !c->st || uid == UNSET_ID)
        return NULL;
    /* sysdig 0.29 keeps one user table (the capture's host one) and looks
     * every uid up there, containers included */
    if (c->ev && c->ev->def && c->ev->def->dir != SKR_DIR_COMBINED &&
        !(c->se && c->se->scap_new))
        return state_user(c->st, uid, "");
    return state_user(c->st, uid, container_of(fproc_process_of(c, th)));
}

static const struct st_user *ev_user(const struct fld_ctx *c)
{
    const struct st_thread *th = fproc_thread(c);
    if (th && th->user_stale && c->se && c->se->scap_new)
        return user_by_id(c, th->stale_uid);
    return th ? user_by_id(c, euid_of(th)) : NULL;
}

static void x_uid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    /* libsinsp prints an unknown uid as it stores it (4294967295) */
    bool scap = c->ev && c->ev->def && c->ev->def->dir != SKR_DIR_COMBINED;
    if (th && (euid_of(th) != UNSET_ID || scap))
        fvals_uint(o, euid_of(th));
}

static void x_user_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_user *u = ev_user(c);
    if (u)
        fproc_str(o, u->name);
}

static void x_homedir(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_user *u = ev_user(c);
    if (u)
        fproc_str(o, u->home);
}

static void x_shell(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_user *u = ev_user(c);
    if (u)
        fproc_str(o, u->shell);
}

/* libs turns the "unset" loginuid (uint32 max) into -1 so that rules can
 * write user.loginuid=-1. */
static void x_loginuid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    if (p)
        fvals_int(o, p->loginuid == UNSET_ID ? -1 : (int64_t)p->loginuid);
}

static void x_loginname(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *p = fproc_process(c);
    const struct st_user *u = p ? user_by_id(c, p->loginuid) : NULL;
    if (u)
        fproc_str(o, u->name);
}

static void x_gid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    if (th && egid_of(th) != UNSET_ID)
        fvals_uint(o, egid_of(th));
}

static void x_group_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_thread *th = fproc_thread(c);
    if (!th || !c->st || egid_of(th) == UNSET_ID)
        return;
    const struct st_group *g =
        state_group(c->st, egid_of(th), container_of(fproc_process_of(c, th)));
    if (g)
        fproc_str(o, g->name);
}

/* ---- containers ---- */

/* The container id of the event's process, "" for the host; NULL without
 * a thread. */
static const char *ev_container_id(const struct fld_ctx *c)
{
    /* sysdig 0.29 reads the event's own thread (a capture gives each
     * thread its cgroups) */
    bool scap = c->ev && c->ev->def && c->ev->def->dir != SKR_DIR_COMBINED;
    const struct st_thread *p = scap ? fproc_thread(c) : fproc_process(c);
    return p ? container_of(p) : NULL;
}

static const struct st_container *ev_container(const struct fld_ctx *c)
{
    const char *id = ev_container_id(c);
    return id && *id && c->st ? state_container(c->st, id) : NULL;
}

static void x_container_id(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const char *id = ev_container_id(c);
    if (id)
        fproc_str(o, *id ? id : "host");
}

static void x_container_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const char *id = ev_container_id(c);
    const struct st_container *ct = ev_container(c);
    if (id && !*id)
        fproc_str(o, "host");
    else if (ct && ct->name && *ct->name)
        fproc_str(o, ct->name);
}

static void x_image(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_container *ct = ev_container(c);
    if (ct && ct->image && *ct->image)
        fproc_str(o, ct->image);
}

/* Where the repository part of an image reference ends: at the '@' of a
 * digest, else at a ':' after the last '/' (a ':' before it is a
 * registry port: "host:5000/app"). */
static size_t image_repo_len(const char *image, const char **tag)
{
    const char *at = strchr(image, '@');
    size_t end = at ? (size_t)(at - image) : strlen(image);
    const char *slash = memrchr(image, '/', end);
    const char *from = slash ? slash + 1 : image;
    const char *colon = memchr(from, ':', end - (size_t)(from - image));
    *tag = colon ? colon + 1 : NULL;
    return colon ? (size_t)(colon - image) : end;
}

static void x_image_repository(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_container *ct = ev_container(c);
    const char *tag;
    if (!ct)
        return;
    if (ct->image_repository)
        fproc_str(o, ct->image_repository);
    else if (ct->image)
        fvals_str(o, ct->image, image_repo_len(ct->image, &tag));
}

static void x_image_tag(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_container *ct = ev_container(c);
    const char *tag;
    if (!ct)
        return;
    if (ct->image_tag) {
        fproc_str(o, ct->image_tag);
    } else if (ct->image) {
        image_repo_len(ct->image, &tag);
        if (tag) {
            const char *at = strchr(tag, '@');
            fvals_str(o, tag, at ? (size_t)(at - tag) : strlen(tag));
        }
    }
}

static void x_container_type(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_container *ct = ev_container(c);
    if (ct)
        fproc_str(o, ct->runtime);
}

static void x_privileged(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_container *ct = ev_container(c);
    if (ct)
        fvals_bool(o, ct->privileged);
}

static void x_start_ts(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_container *ct = ev_container(c);
    if (ct && ct->start_ts)
        fproc_time(o, FT_ABSTIME, ct->start_ts);
}

static void x_container_duration(const struct field_ref *r, const struct fld_ctx *c,
                                 struct fvals *o)
{
    (void)r;
    const struct st_container *ct = ev_container(c);
    if (ct && ct->start_ts && c->ev && c->ev->ts >= ct->start_ts)
        fproc_time(o, FT_RELTIME, c->ev->ts - ct->start_ts);
}

/* Not in the trace format: declared so that rules naming them load. */
static void x_no_value(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    (void)c;
    (void)o;
}

/* The value of label KEY ("k=v" entries), or false. */
static bool label_get(const struct st_container *ct, const char *key, const char **v, size_t *vl)
{
    size_t kl = strlen(key);
    const char *s;
    size_t l;
    for (size_t i = 0; fproc_list_nth(ct->labels, ct->labels_len, i, &s, &l); i++) {
        if (l > kl && s[kl] == '=' && memcmp(s, key, kl) == 0) {
            *v = s + kl + 1;
            *vl = l - kl - 1;
            return true;
        }
    }
    return false;
}

static void x_label(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    const struct st_container *ct = ev_container(c);
    const char *v;
    size_t l;
    if (ct && r->arg_key && label_get(ct, r->arg_key, &v, &l))
        fvals_str(o, v, l);
}

/* "k1:v1,k2:v2", the container plugin's form. */
static void x_labels(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const struct st_container *ct = ev_container(c);
    if (!ct || !ct->labels_len)
        return;
    char *buf = fproc_scratch(c, ct->labels_len);
    if (!buf)
        return;
    size_t n = 0;
    const char *s;
    size_t l;
    for (size_t i = 0; fproc_list_nth(ct->labels, ct->labels_len, i, &s, &l); i++) {
        if (n)
            buf[n++] = ',';
        memcpy(buf + n, s, l);
        char *eq = memchr(buf + n, '=', l);
        if (eq)
            *eq = ':';
        n += l;
    }
    fvals_str(o, buf, n);
}

/* Falco's old %container.info: "NAME (id=ID)", the summary -pc printed. */
static void x_container_info(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    const char *id = ev_container_id(c);
    if (!id)
        return;
    const struct st_container *ct = ev_container(c);
    const char *name = !*id ? "host" : ct && ct->name ? ct->name : "<NA>";
    if (!*id)
        id = "host";
    size_t n = strlen(name) + strlen(id) + sizeof " (id=)" - 1;
    char *buf = fproc_scratch(c, n);
    if (!buf)
        return;
    snprintf(buf, n + 1, "%s (id=%s)", name, id);
    fvals_str(o, buf, n);
}

static void k8s_label(const struct fld_ctx *c, struct fvals *o, const char *key)
{
    const struct st_container *ct = ev_container(c);
    const char *v;
    size_t l;
    if (ct && label_get(ct, key, &v, &l))
        fvals_str(o, v, l);
}

static void x_k8s_ns(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    k8s_label(c, o, "io.kubernetes.pod.namespace");
}

static void x_k8s_pod(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    k8s_label(c, o, "io.kubernetes.pod.name");
}

static void x_k8s_pod_uid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o)
{
    (void)r;
    k8s_label(c, o, "io.kubernetes.pod.uid");
}

#define MOUNT_ARG (FF_ARG_REQUIRED | FF_ARG_INDEX | FF_ARG_KEY)

const struct field_def fields_user[] = {
    { "user.uid", FT_UINT, "UINT32", 0, "effective user id of the thread", x_uid },
    { "user.name", FT_STRING, "CHARBUF", 0, "name of user.uid in the process's container", x_user_name },
    { "user.homedir", FT_STRING, "CHARBUF", 0, "home directory of user.uid", x_homedir },
    { "user.shell", FT_STRING, "CHARBUF", 0, "login shell of user.uid", x_shell },
    { "user.loginuid", FT_INT, "INT64", 0, "audit login user id (auid), -1 when unset", x_loginuid },
    { "user.loginname", FT_STRING, "CHARBUF", 0, "name of user.loginuid", x_loginname },
    { "group.gid", FT_UINT, "UINT32", 0, "effective group id of the thread", x_gid },
    { "group.name", FT_STRING, "CHARBUF", 0, "name of group.gid in the process's container", x_group_name },
    { "container.id", FT_STRING, "STRING", 0, "container id (12 hex digits), \"host\" outside containers", x_container_id },
    { "container.name", FT_STRING, "STRING", 0, "container name, \"host\" outside containers", x_container_name },
    { "container.image", FT_STRING, "STRING", 0, "image the container runs, e.g. nginx:1.25", x_image },
    { "container.image.repository", FT_STRING, "STRING", 0, "repository part of container.image, e.g. nginx", x_image_repository },
    { "container.image.tag", FT_STRING, "STRING", 0, "tag part of container.image, e.g. 1.25", x_image_tag },
    { "container.type", FT_STRING, "STRING", 0, "container runtime, e.g. docker, containerd, cri-o", x_container_type },
    { "container.privileged", FT_BOOL, "BOOL", 0, "true if the container runs privileged", x_privileged },
    { "container.start_ts", FT_ABSTIME, "ABSTIME", 0, "when the container started, ns since the epoch", x_start_ts },
    { "container.duration", FT_RELTIME, "RELTIME", 0, "ns since the container started", x_container_duration },
    { "container.label", FT_STRING, "STRING", FF_ARG_REQUIRED | FF_ARG_KEY | FF_ARG_DOT,
      "container.label.KEY or container.label[KEY]: one label of the container", x_label },
    { "container.labels", FT_STRING, "STRING", 0, "every label of the container as key:value, comma-separated", x_labels },
    { "container.mounts", FT_STRING, "STRING", 0, "mounts of the container (not recorded: never has a value)", x_no_value },
    { "container.mount", FT_STRING, "STRING", MOUNT_ARG, "one mount by number or source (not recorded: never has a value)", x_no_value },
    { "container.mount.source", FT_STRING, "STRING", MOUNT_ARG,
      "source of a mount, by number or destination (not recorded: never has a value)", x_no_value },
    { "container.mount.dest", FT_STRING, "STRING", MOUNT_ARG,
      "destination of a mount, by number or source (not recorded: never has a value)", x_no_value },
    { "container.mount.mode", FT_STRING, "STRING", MOUNT_ARG, "mode of a mount (not recorded: never has a value)", x_no_value },
    { "container.mount.rdwr", FT_STRING, "STRING", MOUNT_ARG, "read-write flag of a mount (not recorded: never has a value)", x_no_value },
    { "container.mount.propagation", FT_STRING, "STRING", MOUNT_ARG,
      "propagation of a mount (not recorded: never has a value)", x_no_value },
    { "container.info", FT_STRING, "CHARBUF", FF_DEPRECATED,
      "old Falco output summary: container.name (id=container.id)", x_container_info },
    { "k8s.ns.name", FT_STRING, "STRING", 0, "Kubernetes namespace of the pod (CRI label io.kubernetes.pod.namespace)", x_k8s_ns },
    { "k8s.pod.name", FT_STRING, "STRING", 0, "Kubernetes pod name (CRI label io.kubernetes.pod.name)", x_k8s_pod },
    { "k8s.pod.uid", FT_STRING, "STRING", 0, "Kubernetes pod UID (CRI label io.kubernetes.pod.uid)", x_k8s_pod_uid },
    { "k8s.pod.id", FT_STRING, "STRING", FF_DEPRECATED, "old name of k8s.pod.uid", x_k8s_pod_uid },
};
const size_t fields_user_count = sizeof fields_user / sizeof fields_user[0];
