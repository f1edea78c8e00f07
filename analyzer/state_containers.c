/* state_containers.c -- the container, user and group tables, and the
 * container id a process's cgroups name.
 *
 * Each table is an st_hash from a 64-bit hash of the key (FNV-1a of the
 * container id; for users and groups mixed with the id) to a chain of the
 * entries with that hash, so a collision costs a string compare, never a
 * wrong answer. Containers are bounded by state_limits.max_containers; one
 * past it evicts an arbitrary other container (counted). Users and groups
 * are bounded by what checkpoints list. */
#include <stdlib.h>
#include <string.h>

#include "../reader/cgroup.h"
#include "state_int.h"

struct st_cont {
    struct st_container pub;
    struct st_cont *next;
};
struct st_usr {
    struct st_user pub;
    struct st_usr *next;
};
struct st_grp {
    struct st_group pub;
    struct st_grp *next;
};

static uint64_t fnv(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; s && *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    return h;
}

static int64_t id_key(uint32_t id, const char *cid)
{
    return (int64_t)(fnv(cid) ^ ((uint64_t)id * 0x9E3779B97F4A7C15ull));
}

static const char *cid_or_host(const char *cid)
{
    return cid ? cid : "";
}

static void cont_free(struct st_cont *c)
{
    struct st_container *p = &c->pub;
    free(p->id);
    free(p->name);
    free(p->image);
    free(p->image_repository);
    free(p->image_tag);
    free(p->runtime);
    free(p->labels);
    free(c);
}

static void cont_evict_one(struct state *st, const char *keep)
{
    struct st_hash *h = &st->tabs.containers;
    for (size_t i = 0; i < h->cap; i++) {
        struct st_cont *c = h->slots[i].val;
        if (!c || !strcmp(c->pub.id, keep))
            continue;
        int64_t key = h->slots[i].key;
        if (c->next)
            st_hash_put(h, key, c->next);
        else
            st_hash_del(h, key);
        cont_free(c);
        st->tabs.ncontainers--;
        st->stats.containers_evicted++;
        return;
    }
}

struct st_container *st_container_get(struct state *st, const char *id, bool create)
{
    struct st_hash *h = &st->tabs.containers;
    int64_t key = (int64_t)fnv(id);
    struct st_cont *head = st_hash_get(h, key);
    for (struct st_cont *c = head; c; c = c->next)
        if (!strcmp(c->pub.id, id))
            return &c->pub;
    if (!create)
        return NULL;
    if (st->tabs.ncontainers >= st->lim.max_containers) {
        cont_evict_one(st, id);
        head = st_hash_get(h, key);
    }
    struct st_cont *c = calloc(1, sizeof *c);
    if (!c || !st_set_str(&c->pub.id, id, strlen(id)) || !st_hash_put(h, key, c)) {
        if (c)
            free(c->pub.id);
        free(c);
        return NULL;
    }
    c->next = head;
    st->tabs.ncontainers++;
    return &c->pub;
}

struct st_user *st_user_get(struct state *st, uint32_t uid, const char *cid, bool create)
{
    cid = cid_or_host(cid);
    int64_t key = id_key(uid, cid);
    struct st_usr *head = st_hash_get(&st->tabs.users, key);
    for (struct st_usr *u = head; u; u = u->next)
        if (u->pub.uid == uid && !strcmp(u->pub.container_id, cid))
            return &u->pub;
    if (!create)
        return NULL;
    struct st_usr *u = calloc(1, sizeof *u);
    if (!u || !st_set_str(&u->pub.container_id, cid, strlen(cid)) ||
        !st_set_str(&u->pub.name, "", 0) || !st_set_str(&u->pub.home, "", 0) ||
        !st_set_str(&u->pub.shell, "", 0) || !st_hash_put(&st->tabs.users, key, u)) {
        if (u) {
            free(u->pub.container_id);
            free(u->pub.name);
            free(u->pub.home);
            free(u->pub.shell);
        }
        free(u);
        return NULL;
    }
    u->pub.uid = uid;
    u->next = head;
    return &u->pub;
}

struct st_group *st_group_get(struct state *st, uint32_t gid, const char *cid, bool create)
{
    cid = cid_or_host(cid);
    int64_t key = id_key(gid, cid);
    struct st_grp *head = st_hash_get(&st->tabs.groups, key);
    for (struct st_grp *g = head; g; g = g->next)
        if (g->pub.gid == gid && !strcmp(g->pub.container_id, cid))
            return &g->pub;
    if (!create)
        return NULL;
    struct st_grp *g = calloc(1, sizeof *g);
    if (!g || !st_set_str(&g->pub.container_id, cid, strlen(cid)) ||
        !st_set_str(&g->pub.name, "", 0) || !st_hash_put(&st->tabs.groups, key, g)) {
        if (g) {
            free(g->pub.container_id);
            free(g->pub.name);
        }
        free(g);
        return NULL;
    }
    g->pub.gid = gid;
    g->next = head;
    return &g->pub;
}

void st_tables_free(struct st_tables *t)
{
    for (size_t i = 0; i < t->containers.cap; i++)
        for (struct st_cont *c = t->containers.slots[i].val, *n; c; c = n) {
            n = c->next;
            cont_free(c);
        }
    for (size_t i = 0; i < t->users.cap; i++)
        for (struct st_usr *u = t->users.slots[i].val, *n; u; u = n) {
            n = u->next;
            free(u->pub.name);
            free(u->pub.home);
            free(u->pub.shell);
            free(u->pub.container_id);
            free(u);
        }
    for (size_t i = 0; i < t->groups.cap; i++)
        for (struct st_grp *g = t->groups.slots[i].val, *n; g; g = n) {
            n = g->next;
            free(g->pub.name);
            free(g->pub.container_id);
            free(g);
        }
    st_hash_free(&t->containers);
    st_hash_free(&t->users);
    st_hash_free(&t->groups);
    t->ncontainers = 0;
}

/* The cgroups of an event are "controllers=path" entries (§8.1). The
 * container-id rules are reader/cgroup.c's, which the checkpoint writer
 * and the .scap import use too, so every source names a container alike:
 * the first entry whose path names one wins. */
void st_container_of_cgroups(const char *cg, size_t len, char out[16])
{
    out[0] = 0;
    size_t i = 0;
    while (cg && i < len) {
        const char *e = cg + i;
        const char *z = memchr(e, 0, len - i);
        size_t n = z ? (size_t)(z - e) : len - i;
        i += n + 1;
        /* the controller part ends at the first "=/" (names have no '/') */
        size_t k = 0;
        while (k + 1 < n && !(e[k] == '=' && e[k + 1] == '/'))
            k++;
        if (k + 1 >= n)
            continue;
        const char *id;
        if (skr_cgroup_container(e + k + 1, n - k - 1, &id) != SKR_RT_NONE) {
            memcpy(out, id, SKR_CONTAINER_ID_LEN);
            out[SKR_CONTAINER_ID_LEN] = 0;
            return;
        }
    }
}

struct st_container *state_container(struct state *st, const char *id)
{
    return id ? st_container_get(st, id, false) : NULL;
}

struct st_user *state_user(struct state *st, uint32_t uid, const char *cid)
{
    return st_user_get(st, uid, cid, false);
}

struct st_group *state_group(struct state *st, uint32_t gid, const char *cid)
{
    return st_group_get(st, gid, cid, false);
}

static void dup_into(char **dst, const char *src)
{
    if (src)
        st_set_str(dst, src, strlen(src));
}

/* Moves src's entries into st: all of them (replace), or those st does
 * not have (merge). src is left empty either way. */
void st_tables_merge(struct state *st, struct st_tables *src, bool replace)
{
    if (replace) {
        st_tables_free(&st->tabs);
        st->tabs = *src;
        *src = (struct st_tables){ 0 };
        return;
    }
    for (size_t i = 0; i < src->containers.cap; i++)
        for (struct st_cont *c = src->containers.slots[i].val; c; c = c->next) {
            if (st_container_get(st, c->pub.id, false))
                continue;
            struct st_container *d = st_container_get(st, c->pub.id, true);
            if (!d)
                continue;
            dup_into(&d->name, c->pub.name);
            dup_into(&d->image, c->pub.image);
            dup_into(&d->image_repository, c->pub.image_repository);
            dup_into(&d->image_tag, c->pub.image_tag);
            dup_into(&d->runtime, c->pub.runtime);
            d->privileged = c->pub.privileged;
            d->start_ts = c->pub.start_ts;
            st_set_blob(&d->labels, &d->labels_len, c->pub.labels, c->pub.labels_len);
        }
    for (size_t i = 0; i < src->users.cap; i++)
        for (struct st_usr *u = src->users.slots[i].val; u; u = u->next) {
            if (st_user_get(st, u->pub.uid, u->pub.container_id, false))
                continue;
            struct st_user *d = st_user_get(st, u->pub.uid, u->pub.container_id, true);
            if (!d)
                continue;
            dup_into(&d->name, u->pub.name);
            dup_into(&d->home, u->pub.home);
            dup_into(&d->shell, u->pub.shell);
        }
    for (size_t i = 0; i < src->groups.cap; i++)
        for (struct st_grp *g = src->groups.slots[i].val; g; g = g->next) {
            if (st_group_get(st, g->pub.gid, g->pub.container_id, false))
                continue;
            struct st_group *d = st_group_get(st, g->pub.gid, g->pub.container_id, true);
            if (d)
                dup_into(&d->name, g->pub.name);
        }
    st_tables_free(src);
}
