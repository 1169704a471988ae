"""A terminal on the master end of a real pty pair, without socat in between, driven over stdin.

socat writes with blocking calls: while one direction is full it forwards nothing the other way,
which a full-duplex serial line never does. Prints the slave path (for the gateway to open), then
obeys one command per line:
  send TEXT   writes TEXT and CRLF to the line, prints "sent"
  drain N     reads until N bytes have arrived, prints "drained N <sha256 of them>"
  hangup      hangs the line up (vhangup, as the kernel does when a USB adapter is pulled):
              every open of the slave end then reads end-of-file; prints "hung up"
Nothing is read from the line except during a drain, so the gateway's writes back up meanwhile.
"""
import ctypes
import hashlib
import os
import signal
import sys
import tty


def hang_up(path):
    """vhangup() hangs up the caller's controlling terminal: a child makes the slave its own first."""
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        os.setsid()
        os.open(path, os.O_RDWR)
        os._exit(0 if ctypes.CDLL(None, use_errno=True).vhangup() == 0 else 1)
    _, status = os.waitpid(pid, 0)
    return status == 0


master, slave = os.openpty()
tty.setraw(slave)
print(os.ttyname(slave), flush=True)
for line in sys.stdin:
    command, _, argument = line.rstrip("\n").partition(" ")
    if command == "send":
        os.write(master, argument.encode("latin-1") + b"\r\n")
        print("sent", flush=True)
    elif command == "drain":
        want, got, digest = int(argument), 0, hashlib.sha256()
        while got < want:
            chunk = os.read(master, min(65536, want - got))
            got += len(chunk)
            digest.update(chunk)
        print(f"drained {got} {digest.hexdigest()}", flush=True)
    elif command == "hangup":
        print("hung up" if hang_up(os.ttyname(slave)) else "hangup failed (vhangup needs CAP_SYS_TTY_CONFIG)", flush=True)
