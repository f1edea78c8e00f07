# saker record on a scripted scenario: a read of /etc/shadow, a file written
# and renamed, sh -c, a TCP connection to a listener on 127.0.0.1, a binary
# copied into the case's directory and run, an exec that fails, an exit_group
# with a status, and a process in a cgroup named
# like a docker container. saker read must show each with the right thread,
# path, argv, tuple and cgroup (container id).
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need_bpf
need python3
dir=$(pwd)
id=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
s.settimeout(30)
try:
    c, _ = s.accept(); c.recv(16); c.close()
except OSError:
    pass
' > port.txt &
lpid=$!
i=0
while [ ! -s port.txt ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat port.txt)
[ -n "$port" ] || fail "the TCP listener did not start"

cp /bin/true "$dir/copied-bin"
cgroot=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
[ -n "$cgroot" ] || fail "no cgroup2 mount"
cg="$cgroot/docker-$id.scope"
mkdir -p "$cg" || fail "cannot create $cg"

cat > scenario.sh <<SCRIPT
cat /etc/shadow > /dev/null
echo data > "$dir/written"
mv "$dir/written" "$dir/renamed"
sh -c 'echo nested > /dev/null'
python3 -c "import socket; s = socket.create_connection(('127.0.0.1', $port)); s.send(b'hello'); s.close()"
"$dir/copied-bin"
"$dir/no-such-bin" 2> /dev/null
sh -c 'exit 7'
sh -c 'echo \$\$ > "$cg/cgroup.procs" && exec cat /etc/hostname' > /dev/null
SCRIPT

rec -w s.skr -- sh scenario.sh
wait $lpid
echo "$$" > "$cgroot/cgroup.procs" 2> /dev/null
rmdir "$cg" 2> /dev/null
expect_rc 0 "saker record -- sh scenario.sh"
[ "$(stat -c %a s.skr)" = 600 ] || fail "trace mode $(stat -c %a s.skr), expected 600"
sk read s.skr
expect_clean "saker read s.skr"
cp sk.out events.txt

# tid_of PATTERN: the thread of the first event line matching PATTERN.
tid_of() { grep -m 1 -e "$1" events.txt | sed -n 's/^[0-9]* [0-9:.]* [0-9]* [^ ]* (\([0-9-]*\)).*/\1/p'; }

t_cat=$(tid_of "= execve res=0 exe=cat args=/etc/shadow")
[ -n "$t_cat" ] || fail "no execve of 'cat /etc/shadow'"
t_open=$(tid_of "= openat fd=[0-9]* dirfd=-100 name=/etc/shadow ")
[ -n "$t_open" ] || fail "no successful openat of /etc/shadow"
[ "$t_cat" = "$t_open" ] || fail "/etc/shadow opened by thread $t_open, cat is $t_cat"

grep -q "name=$dir/written " events.txt || fail "no open of $dir/written"
grep -Eq "rename(at2?)? res=0 .*oldpath=$dir/written .*newpath=$dir/renamed" events.txt ||
    fail "no rename of written to renamed"
grep -q "= execve res=0 exe=sh args=-c echo nested > /dev/null" events.txt || fail "no execve of sh -c with its argv"
grep -Eq "= connect res=(0|-115\(EINPROGRESS\)) tuple=127\.0\.0\.1:[0-9]+->127\.0\.0\.1:$port " events.txt ||
    fail "no connect to 127.0.0.1:$port with its tuple"
grep -q "= execve res=0 exe=$dir/copied-bin .*trusted_exepath=$dir/copied-bin" events.txt ||
    fail "no execve of the copied binary with its path"
# A failed exec is recorded at its exit; exit_group by sched_process_exit
# (record.bpf.c DESIGN).
grep -q "= execve res=-2(ENOENT) .*filename=$dir/no-such-bin\$" events.txt ||
    fail "no failed execve of $dir/no-such-bin"
t_exit=$(tid_of "= exit_group status=7\$")
[ -n "$t_exit" ] || fail "no exit_group with status 7"
grep -q "^[0-9]* [0-9:.]* [0-9]* [^ ]* ($t_exit) = procexit status=1792 " events.txt ||
    fail "exit_group status=7 not followed by its procexit (status 7 << 8)"
grep -Eq "= execve res=0 exe=cat args=/etc/hostname .*cgroups=[^ ]*docker-$id\.scope" events.txt ||
    fail "the process in the docker-like cgroup does not show the container id"
sk info s.skr
expect_clean "saker info s.skr"
grep -q "^checkpoint:  block 1," sk.out || fail "the file does not start with a checkpoint"
grep -q "^drops:       0 " sk.out || fail "drops: $(grep '^drops' sk.out)"
pass
