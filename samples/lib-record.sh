# samples/lib-record.sh -- what the record-*.sh scripts share: a work
# directory that is removed on exit, fake container cgroups, and
# sample_record, which runs a scenario under `saker record` and puts the
# trace in samples/. Sourced by the scripts; run them as root from the
# project root after `make` (SAKER overrides build/saker; SAMPLES_OUT,
# a directory, takes the trace instead of samples/).
#
# DESIGN
# The recorder takes a state checkpoint of every process from /proc and
# keeps the execs of every process on the host whatever the filter. These
# traces are committed, so they are recorded with --no-env (no process's
# environment is kept, the scenario's own included), by uid 65534 with only
# the capabilities the scenarios need (ambient, no CAP_SYS_PTRACE), and the
# scenarios run with an empty environment (env -i). Execs by other
# processes during the few seconds of a recording still show (command
# lines only); every expected hit is checked to come from the scenario's
# process tree.
# shellcheck shell=sh

set -eu
SAKER=${SAKER:-$(pwd)/build/saker}
samples=$(cd "$(dirname "$0")" && pwd)
out=${SAMPLES_OUT:-$samples}
[ -x "$SAKER" ] || { echo "$0: no $SAKER (run make first)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "$0: run as root (saker record, cgroups)" >&2; exit 2; }

# Not below /tmp: the scenarios run programs from their work directory, and
# only the exec sample should look like execution from /tmp.
work=$(mktemp -d /run/saker-sample.XXXXXX)
chmod 755 "$work"
# names the scenarios give files in shared places (/etc, /var/log...) end
# in this, so that two runs at once do not meet
tag=${work##*.}
cgroot=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
cleanup() {
    [ -f "$work/cgroups" ] || : > "$work/cgroups"
    while read -r cg; do
        [ -d "$cg" ] || continue
        # processes left in a fake container go back to the root cgroup
        while read -r p; do echo "$p" > "$cgroot/cgroup.procs" 2> /dev/null || true; done < "$cg/cgroup.procs"
        # a process that just exited may hold the cgroup a moment longer
        _i=0
        while ! rmdir "$cg" 2> /dev/null && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
    done < "$work/cgroups"
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# fake_container: makes a cgroup named as docker names a container's,
# docker-<64 random hex digits>.scope (the recorder derives container.id
# from it), and prints its path.
fake_container() {
    _cg="$cgroot/docker-$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n').scope"
    mkdir -p "$_cg"
    chmod 777 "$_cg/cgroup.procs"
    echo "$_cg" >> "$work/cgroups"    # called in $(...): a variable would not stay
    echo "$_cg"
}

CAPS=+bpf,+perfmon,+dac_override,+dac_read_search,+fowner,+chown,+kill
CAPS=$CAPS,+setuid,+setgid,+sys_admin,+sys_chroot,+sys_module,+mknod,+net_admin

# sample_record NAME SCENARIO: records `sh SCENARIO` (and its descendants)
# into samples/NAME.skr (or $SAMPLES_OUT/NAME.skr), with 64 data bytes per
# read/write, and prints its hits.
sample_record() {
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/nonexistent LANG=C.UTF-8 \
        SAMPLES="$samples" WORK="$work" TAG="$tag" SAMPLES_RUN="${SAMPLES_RUN:-}" \
        setpriv --reuid=65534 --regid=65534 --clear-groups \
        --inh-caps="$CAPS" --ambient-caps="$CAPS" \
        "$SAKER" record -q --no-env -s 64 -w "$work/$1.skr" -- sh "$2"
    install -m 0644 "$work/$1.skr" "$out/$1.skr"
    echo "$out/$1.skr: $(wc -c < "$out/$1.skr") bytes"
    # the scenario's process tree: the sh the recorder started (its first
    # successful exec of the scenario script) and its descendants
    root=$("$SAKER" read "$out/$1.skr" -n 1 -p '%proc.pid' \
        "evt.type=execve and evt.rawres=0 and proc.name=sh and proc.args contains \"$2\"")
    echo "scenario pid: $root"
    # hits of processes outside the scenario's tree (the sh the recorder
    # started, and its descendants) make the sample depend on what else ran:
    # record again
    python3 -c 'import yaml' 2> /dev/null || { echo "$0: no PyYAML: hits not checked" >&2; return 0; }
    SAKER=$SAKER python3 "$samples/hits_by_read.py" "$out/$1.skr" "$samples"/../rules/*.yaml > "$work/hits"

    cut -f 1 "$work/hits" | sort -un | while read -r n; do
        "$SAKER" read -c "$out/$1.skr" "evt.num=$n and not (proc.pid=$root or proc.apid=$root)" | grep -qx 0 ||
            echo "$0: event $n: a hit from a process outside the scenario; record again" >&2
    done
    cat "$work/hits"
}
