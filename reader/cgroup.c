/* cgroup.c -- the container a cgroup path names (reader/cgroup.h).
 *
 * Container runtimes name the cgroup of a container after its 64-digit
 * hex id; the shapes recognised are those of Falco's container engines:
 * systemd scopes "docker-<id>.scope", "cri-containerd-<id>.scope",
 * "crio-<id>.scope", "libpod-<id>.scope", and cgroupfs directories
 * "/docker/<id>" and "/kubepods/<qos>/pod<uid>/<id>". Conmon's scopes
 * ("crio-conmon-<id>.scope", "libpod-conmon-<id>.scope") fail the hex
 * test and are rightly not containers. */
#include "cgroup.h"

#include <stdbool.h>
#include <string.h>

static const char *const runtime_names[SKR_RT_COUNT] = { "", "docker", "containerd", "cri-o",
                                                         "podman", "kubepods" };

const char *skr_runtime_name(enum skr_runtime rt)
{
    return rt < SKR_RT_COUNT ? runtime_names[rt] : "";
}

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

/* The deepest match wins, as a nested container is the one the process
 * runs in. */
enum skr_runtime skr_cgroup_container(const char *path, size_t len, const char **id)
{
    static const struct { const char *prefix; enum skr_runtime rt; } scopes[] = {
        { "docker-", SKR_RT_DOCKER }, { "cri-containerd-", SKR_RT_CONTAINERD },
        { "crio-", SKR_RT_CRIO }, { "libpod-", SKR_RT_PODMAN },
    };
    enum skr_runtime found = SKR_RT_NONE;
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
            found = kube ? SKR_RT_KUBEPODS : SKR_RT_DOCKER;
            *id = c;
        }
        prev = c;
        prevlen = n;
    }
    return found;
}
