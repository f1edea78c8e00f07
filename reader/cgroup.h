/* cgroup.h -- the container a cgroup path names. Shared by the recorder's
 * /proc checkpoints (capture/procfs_cgroup.c) and the .scap import
 * (reader/scap_tables.c), so both give threads the same CONTAINER_ID
 * (man/saker-trace.5 §8.1). */
#ifndef SAKER_CGROUP_H
#define SAKER_CGROUP_H

#include <stddef.h>

enum skr_runtime {
    SKR_RT_NONE, SKR_RT_DOCKER, SKR_RT_CONTAINERD, SKR_RT_CRIO, SKR_RT_PODMAN,
    SKR_RT_KUBEPODS, SKR_RT_COUNT,
};

/* Like Falco's container.id, the id kept is the first 12 hex digits. */
#define SKR_CONTAINER_ID_LEN 12

/* The runtime whose container the cgroup path names, SKR_RT_NONE when
 * none; *id then points at the 64 hex digits of the id inside path. */
enum skr_runtime skr_cgroup_container(const char *path, size_t len, const char **id);
/* "docker", "containerd", "cri-o", "podman", "kubepods"; "" for none. */
const char *skr_runtime_name(enum skr_runtime rt);

#endif
