#!/bin/sh
# samples/record-server.sh -- records samples/server.skr: three one-request
# web servers named nginx (python3 run through a link called nginx, so the
# kernel names the process nginx) each answer curl; the first does nothing
# else (benign), the second then runs `sh -c` as a web shell would, the
# third starts `sh -i` on a pseudo-terminal, as an attacker upgrading a
# shell does. Host background: sh -c, ls, date. Run as root from the
# project root: sh samples/record-server.sh
# shellcheck source=samples/lib-record.sh
. "$(dirname "$0")/lib-record.sh"
mkdir -p "$work/bin"
ln -s /usr/bin/python3 "$work/bin/nginx"

cat > "$work/scenario.sh" <<'SCRIPT'
# serve N [CMD...]: start a server that writes its port to $WORK/port.N,
# fetch a page from it, wait for it to finish.
serve() {
    n=$1
    shift
    "$WORK/bin/nginx" "$SAMPLES/sk_act.py" serve "$WORK/port.$n" "$@" &
    i=0; while [ ! -s "$WORK/port.$n" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    curl -s "http://127.0.0.1:$(cat "$WORK/port.$n")/index.html" > /dev/null
    wait $!
}
sh -c 'ls / > /dev/null; date > /dev/null'
serve 1
serve 2 'id; uname -a'
serve 3 pty 'id; tty'
ls "$WORK" > /dev/null
SCRIPT
sample_record server "$work/scenario.sh"
