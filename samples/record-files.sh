#!/bin/sh
# samples/record-files.sh -- records samples/files.skr: reads of
# /etc/shadow, of a missing /etc/sudoers and of an SSH private key (a fake
# one in a scratch home), then files written, renamed and removed below
# /usr/local/bin, /etc, /root and /dev, each removed again. Background:
# reads of /etc/passwd and a known_hosts file, writes to a scratch file,
# /dev/null and /dev/shm. Run as root from the project root:
# sh samples/record-files.sh
# shellcheck source=samples/lib-record.sh
. "$(dirname "$0")/lib-record.sh"
# shellcheck disable=SC2154 # tag: lib-record.sh
leftovers="/usr/local/bin/saker-sample-dropper-$tag /etc/saker-sample-$tag.conf
/etc/saker-sample-moved-$tag.conf /root/.saker-sample-authorized_keys-$tag /dev/.saker-sample-$tag
/dev/shm/saker-sample-$tag"
undo() {
    for f in $leftovers; do rm -f "$f"; done
    cleanup
}
trap undo EXIT INT TERM
mkdir -p "$work/home/alice/.ssh"
printf 'not a key, a stand-in for one\n' > "$work/home/alice/.ssh/id_ed25519"
printf 'example.test ssh-ed25519 AAAAnotakey\n' > "$work/home/alice/.ssh/known_hosts"

cat > "$work/scenario.sh" <<'SCRIPT'
# background
cat /etc/passwd /etc/hostname > /dev/null
cat "$WORK/home/alice/.ssh/known_hosts" > /dev/null
echo note >> "$WORK/notes"
echo discard > /dev/null
echo shared > /dev/shm/saker-sample-$TAG
rm /dev/shm/saker-sample-$TAG
# secrets
cat /etc/shadow > /dev/null
cat /etc/sudoers > /dev/null 2>&1
cat "$WORK/home/alice/.ssh/id_ed25519" > /dev/null
# system places
cp /usr/bin/true /usr/local/bin/saker-sample-dropper-$TAG
rm /usr/local/bin/saker-sample-dropper-$TAG
echo 'sample=1' > /etc/saker-sample-$TAG.conf
mv /etc/saker-sample-$TAG.conf /etc/saker-sample-moved-$TAG.conf
rm /etc/saker-sample-moved-$TAG.conf
echo 'ssh-ed25519 AAAAnotakey sample' >> /root/.saker-sample-authorized_keys-$TAG
rm /root/.saker-sample-authorized_keys-$TAG
echo payload > /dev/.saker-sample-$TAG
rm /dev/.saker-sample-$TAG
SCRIPT
sample_record files "$work/scenario.sh"
