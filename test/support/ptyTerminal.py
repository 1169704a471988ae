"""A terminal on the master end of a real pty pair, without socat in between, driven over stdin.

socat writes with blocking calls: while one direction is full it forwards nothing the other way,
which a full-duplex serial line never does. Prints the slave path (for the gateway to open), then
obeys one command per line:
  send TEXT   writes TEXT and CRLF to the line, prints "sent"
  drain N     reads until N bytes have arrived, prints "drained N <sha256 of them>"
Nothing is read from the line except during a drain, so the gateway's writes back up meanwhile.
"""
import hashlib
import os
import sys
import tty

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
