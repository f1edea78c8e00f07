/* procfs_cgroup.c -- a process's cgroups as THREAD record CGROUP fields,
 * the container id its cgroup path names, and the CONTAINER records of
 * the ids seen (man/saker-trace.5 §8.1, §8.4).
 *
 * Container runtimes name the cgroup of a container after its 64-digit
 * hex id; the shapes recognised (procfs.h) are those of Falco's container
 * engines (reader/cgroup.c). Like Falco's container.id, the id kept is
 * the first 12 digits. */
#include "procfs_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reader/cgroup.h"
#include "../reader/format.h"

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
    enum skr_runtime rt = SKR_RT_NONE;
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
        enum skr_runtime r = rt ? SKR_RT_NONE : skr_cgroup_container(path, plen, &id);
        if (r != SKR_RT_NONE) {
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
    if (strlen(cid) != PROCFS_CID_LEN || !procfs_parse_u64(cid, 16, &key) || runtime <= SKR_RT_NONE ||
        runtime >= SKR_RT_COUNT)
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
        if (!procfs_map_get(&c->ids, key, &rt) || rt >= SKR_RT_COUNT)
            continue; /* not reached: every listed id is in the map */
        char id[PROCFS_CID_LEN + 1];
        snprintf(id, sizeof id, "%012llx", (unsigned long long)key);
        skr_buf_reset(&rec);
        skr_put_field_str(&rec, SKR_CPC_ID, id);
        skr_put_field_str(&rec, SKR_CPC_RUNTIME, skr_runtime_name(rt));
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
