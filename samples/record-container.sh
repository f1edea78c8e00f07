#!/bin/sh
# samples/record-container.sh -- records samples/container.skr: a
# privileged container (its entrypoint keeps CAP_SYS_ADMIN) that
# bind-mounts host paths, gets a `docker exec`-style shell, tries to mount
# a host disk and a cgroup tree, and joins a host process's namespaces;
# beside it an unprivileged container (no capabilities, own user and pid
# namespaces) and ordinary host commands. Containers are cgroups named as
# docker names them, namespaces come from unshare(1). Run as root from the
# project root: sh samples/record-container.sh
# shellcheck source=samples/lib-record.sh
. "$(dirname "$0")/lib-record.sh"
priv=$(fake_container)
plain=$(fake_container)
mkdir -p "$work/rootfs/host" "$work/rootfs/host-etc" "$work/rootfs/tmp" "$work/rootfs/data" \
    "$work/data" "$work/disk" "$work/cg"

# the privileged container's entrypoint: pid 1 of its pid namespace
cat > "$work/entry.sh" <<SCRIPT
act="python3 \$SAMPLES/sk_act.py"
\$act mount / "\$WORK/rootfs/host" "" bind
\$act mount /etc "\$WORK/rootfs/host-etc" "" bind
\$act mount tmpfs "\$WORK/rootfs/tmp" tmpfs ""
\$act mount "\$WORK/data" "\$WORK/rootfs/data" "" bind
cat /etc/hostname > /dev/null
ls "\$WORK/rootfs/host" > /dev/null
echo ready > "\$WORK/ready"
i=0; while [ ! -e "\$WORK/exec-done" ] && [ \$i -lt 400 ]; do sleep 0.05; i=\$((i + 1)); done
\$act mount /dev/sdz9 "\$WORK/disk" ext4 ""
\$act mount cgroup "\$WORK/cg" cgroup ""
\$act setns "\$(cat "\$WORK/host.pid")" mnt uts net
SCRIPT

cat > "$work/scenario.sh" <<SCRIPT
# host background
ls / > /dev/null
cat /etc/os-release > /dev/null
sleep 30 &
host=\$!
echo \$host > "\$WORK/host.pid"
# an unprivileged container: no capabilities, its own user and pid namespaces
sh -c 'echo \$\$ > $plain/cgroup.procs && exec setpriv --inh-caps=-all --ambient-caps=-all unshare --user --pid --fork cat /etc/hostname' > /dev/null
# the privileged container, started in the background
sh -c 'echo \$\$ > $priv/cgroup.procs && exec unshare --pid --fork --mount --propagation private sh "\$WORK/entry.sh"' &
i=0; while [ ! -e "\$WORK/ready" ] && [ \$i -lt 200 ]; do sleep 0.05; i=\$((i + 1)); done
# docker exec: join the entrypoint's namespaces, then its cgroup, run a
# shell. (Not a shell moving itself: the recorder reads a new process's
# cgroups from /proc a moment later, and could see one just moved.)
init=\$(pgrep -f "sh \$WORK/entry.sh" | tail -n 1)
nsenter -t "\$init" --pid --mount python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY); os.write(fd, b"%d" % os.getpid()); os.close(fd)
os.execv("/bin/sh", ["sh", "-c", "id; ls /"])' $priv/cgroup.procs > /dev/null
touch "\$WORK/exec-done"
wait \$!
kill \$host
date > /dev/null
SCRIPT
sample_record container "$work/scenario.sh"
