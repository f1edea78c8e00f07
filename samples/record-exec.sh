#!/bin/sh
# samples/record-exec.sh -- records samples/exec.skr: a copy of id(1)
# dropped in a /tmp directory and in /dev/shm and run from there, then id's
# image copied into a memfd and run through /proc/self/fd/N and as
# fexecve(3) does. Background: id and a script run from their usual places.
# Run as root from the project root: sh samples/record-exec.sh
# shellcheck source=samples/lib-record.sh
. "$(dirname "$0")/lib-record.sh"
drop=$(mktemp -d /tmp/saker-sample.XXXXXX)
chmod 755 "$drop"
trap 'rm -rf "$drop" /dev/shm/.saker-sample-$tag; cleanup' EXIT INT TERM
printf 'id -u > /dev/null\n' > "$work/job.sh"

cat > "$work/scenario.sh" <<SCRIPT
# background
id > /dev/null
sh "\$WORK/job.sh"
# payloads dropped where anyone can write
cp /usr/bin/id "$drop/kdevtmpfsi"
"$drop/kdevtmpfsi" > /dev/null
cp /usr/bin/id /dev/shm/.saker-sample-$tag
/dev/shm/.saker-sample-$tag > /dev/null
rm "$drop/kdevtmpfsi" /dev/shm/.saker-sample-$tag
# fileless
python3 "\$SAMPLES/sk_act.py" memfd-exec > /dev/null
SCRIPT
sample_record exec "$work/scenario.sh"
