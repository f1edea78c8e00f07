/* procfs_cgroup.c -- a process's cgroups as THREAD record CGROUP fields,
 * the container id its cgroup path names, and the CONTAINER records of
 * the ids seen (man/saker-trace.5 §8.1, §8.4).
 *
 * Container runtimes name the cgroup of a container after its 64-digit
 * hex id; the shapes recognised (procfs.h) are those of Falco's container
 * engines: systemd scopes "docker-<id>.scope", "cri-containerd-<id>.scope",
 * "crio-<id>.scope", "libpod-<id>.scope", and cgroupfs directories
 * "/docker/<id>" and "/kubepods/<qos>/pod<uid>/<id>". Conmon's scopes
 * ("crio-conmon-<id>.scope", "libpod-conmon-<id>.scope") fail the hex
 * test and are rightly not containers. Like Falco's container.id, the id
 * kept is the first 12 digits. */
#include "procfs_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reader/format.h"

enum runtime { RT_NONE, RT_DOCKER, RT_CONTAINERD, RT_CRIO, RT_PODMAN, RT_KUBEPODS, RT_COUNT };
static const char *const runtime_names[RT_COUNT] = { "", "docker", "containerd", "cri-o",
                                                     "podman", "kubepods" };

static bool is_hex64(const char *p, size_t n)
{
    if (n != 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return false;
    return true;
}

static bool has_prefix(const char *p, size_t n, const char *pre, size_t *plen)
{
    *plen = strlen(pre);
    return n >= *plen && memcmp(p, pre, *plen) == 0;
}

/* The container the cgroup path names; the deepest match wins, as a
 * nested container is the one the process runs in. *id gets the 64
 * digits. */
static enum runtime container_of_path(const char *path, size_t len, const char **id)
{
    static const struct { const char *prefix; enum runtime rt; } scopes[] = {
        { "docker-", RT_DOCKER }, { "cri-containerd-", RT_CONTAINERD },
        { "crio-", RT_CRIO }, { "libpod-", RT_PODMAN },
    };
    enum runtime found = RT_NONE;
    bool kube = false;
    const char *prev = "";
    size_t prevlen = 0, i = 0;
    while (i < len) {
        const char *c = path + i;
        const char *slash = memchr(c, '/', len - i);
        size_t n = slash ? (size_t)(slash - c) : len - i;
        i += n + 1;
        size_t plen, m = n;
        if (has_prefix(c, n, "kubepods", &plen))
            kube = true; /* "kubepods", "kubepods.slice", "kubepods-besteffort..." */
        if (m > 6 && memcmp(c + m - 6, ".scope", 6) == 0)
            m -= 6;
        for (size_t k = 0; k < sizeof scopes / sizeof scopes[0]; k++) {
            if (has_prefix(c, m, scopes[k].prefix, &plen) && is_hex64(c + plen, m - plen)) {
                found = scopes[k].rt;
                *id = c + plen;
            }
        }
        /* A bare id: cgroupfs drivers. Only under "docker" or kubepods,
         * since a 64-digit directory elsewhere says nothing of a runtime. */
        if (is_hex64(c, n) && (kube || (prevlen == 6 && !memcmp(prev, "docker", 6)))) {
            found = kube ? RT_KUBEPODS : RT_DOCKER;
            *id = c;
        }
        prev = c;
        prevlen = n;
    }
    return found;
}

/* A bytes field "a=c", written without joining the pieces first. */
static void put_joined(struct skr_buf *b, uint32_t tag, const char *a, size_t alen, const char *c,
                       size_t clen)
{
    skr_put_varint(b, (uint64_t)tag << 2 | SKR_WIRE_BYTES);
    skr_put_varint(b, (uint64_t)alen + 1 + clen);
    skr_put_raw(b, a, alen);
    skr_put_u8(b, '=');
    skr_put_raw(b, c, clen);
}

/* cgroups(7) /proc/PID/cgroup: "hierarchy-ID:controller-list:path" lines;
 * the controller list holds no ':' but the path may. */
int procfs_cgroup_fields(struct skr_buf *rec, const char *text, size_t len,
                         char cid[PROCFS_CID_LEN + 1])
{
    enum runtime rt = RT_NONE;
    size_t i = 0;
    while (i < len) {
        const char *line = text + i;
        const char *nl = memchr(line, '\n', len - i);
        size_t n = nl ? (size_t)(nl - line) : len - i;
        i += n + 1;
        const char *c1 = memchr(line, ':', n);
        const char *c2 = c1 ? memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - line)) : NULL;
        if (!c2)
            continue;
        const char *path = c2 + 1;
        size_t plen = n - (size_t)(path - line);
        put_joined(rec, SKR_CPT_CGROUP, c1 + 1, (size_t)(c2 - c1 - 1), path, plen);
        const char *id;
        enum runtime r = rt ? RT_NONE : container_of_path(path, plen, &id);
        if (r != RT_NONE) {
            memcpy(cid, id, PROCFS_CID_LEN);
            cid[PROCFS_CID_LEN] = '\0';
            rt = r;
        }
    }
    return (int)rt;
}

int procfs_containers_add(struct procfs_containers *c, const char *cid, int runtime)
{
    uint64_t key;
    /* 12 hex digits are 48 bits: the id itself is the key. */
    if (strlen(cid) != PROCFS_CID_LEN || !procfs_parse_u64(cid, 16, &key) || runtime <= RT_NONE ||
        runtime >= RT_COUNT)
        return 0; /* not reached: procfs_cgroup_fields made both */
    int r = procfs_map_put(&c->ids, key, (uint32_t)runtime);
    if (r > 0)
        skr_put_raw(&c->order, &key, sizeof key);
    return r < 0 || c->order.oom ? -1 : r;
}

uint32_t procfs_containers_put(const struct procfs_containers *c, struct skr_buf *out)
{
    struct skr_buf rec = { 0 };
    size_t n = c->order.len / sizeof(uint64_t);
    uint32_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t key;
        uint32_t rt;
        memcpy(&key, c->order.data + i * sizeof key, sizeof key);
        if (!procfs_map_get(&c->ids, key, &rt) || rt >= RT_COUNT)
            continue; /* not reached: every listed id is in the map */
        char id[PROCFS_CID_LEN + 1];
        snprintf(id, sizeof id, "%012llx", (unsigned long long)key);
        skr_buf_reset(&rec);
        skr_put_field_str(&rec, SKR_CPC_ID, id);
        skr_put_field_str(&rec, SKR_CPC_RUNTIME, runtime_names[rt]);
        skr_put_field_bytes(out, SKR_CP_CONTAINER, rec.data, rec.len);
        k++;
    }
    if (rec.oom)
        out->oom = true;
    skr_buf_free(&rec);
    return k;
}

void procfs_containers_free(struct procfs_containers *c)
{
    procfs_map_free(&c->ids);
    skr_buf_free(&c->order);
}
