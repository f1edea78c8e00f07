#!/bin/sh
# samples/record-kernel.sh -- records samples/kernel.skr: attempts to load
# a kernel module from a file that is not one (finit_module) and from a
# buffer that is not one (init_module), both refused by the kernel; then a
# ptrace attach to a sleeping process, a read of one word of its memory and
# a write of the same word back (a no-op injection), and a detach.
# Background: /proc/version read, ps. Run as root from the project root:
# sh samples/record-kernel.sh
# shellcheck source=samples/lib-record.sh
. "$(dirname "$0")/lib-record.sh"
head -c 4096 /dev/urandom > "$work/rootkit.ko"

cat > "$work/scenario.sh" <<'SCRIPT'
act="python3 $SAMPLES/sk_act.py"
cat /proc/version > /dev/null
ps -e > /dev/null
$act modload "$WORK/rootkit.ko"
sleep 10 &
victim=$!
$act ptrace "$victim"
kill "$victim"
SCRIPT
sample_record kernel "$work/scenario.sh"
