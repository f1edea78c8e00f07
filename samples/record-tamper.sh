#!/bin/sh
# samples/record-tamper.sh -- records samples/tamper.skr: a log file of
# our own below /var/log appended to (benign), then truncated, rotated
# away by hand and removed; a shell history in a scratch home appended to
# (benign), then truncated, removed and replaced by a link to /dev/null.
# Run as root from the project root: sh samples/record-tamper.sh
# shellcheck source=samples/lib-record.sh
. "$(dirname "$0")/lib-record.sh"
# shellcheck disable=SC2154 # tag: lib-record.sh
trap 'rm -f "/var/log/saker-sample-$tag.log" "/var/log/saker-sample-$tag.log.1"; cleanup' EXIT INT TERM
mkdir -p "$work/home/bob"
printf 'ls\nid\n' > "$work/home/bob/.bash_history"

cat > "$work/scenario.sh" <<'SCRIPT'
log=/var/log/saker-sample-$TAG.log
hist=$WORK/home/bob/.bash_history
# background
echo "started" >> "$WORK/app.log"
echo "sample: service started" >> "$log"
echo "cat /etc/hostname" >> "$hist"
# covering tracks
: > "$log"
mv "$log" "$log.1"
rm "$log.1"
: > "$hist"
rm "$hist"
ln -s /dev/null "$hist"
SCRIPT
sample_record tamper "$work/scenario.sh"
