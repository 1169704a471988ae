"""Opens N real pseudo-terminal pairs and execs the given command with both ends inherited.

Node cannot open a pty pair itself (unlockpt/ptsname are ioctls), and a socat relay between two
ptys adds two hops and a process per terminal, more latency than the gateway's own. Usage:
  python3 ptyPairs.py N command [args...]
The command finds the pairs as JSON in $PTGW_BENCH_PTYS: [{"master": fd, "slave": fd, "path": "/dev/pts/K"}].
The slave ends stay open in the command so a master never sees a hang-up before the gateway opens its side.
"""
import json
import os
import sys
import tty

count = int(sys.argv[1])
pairs = []
for _ in range(count):
    master, slave = os.openpty()
    tty.setraw(slave)
    os.set_inheritable(master, True)
    os.set_inheritable(slave, True)
    pairs.append({"master": master, "slave": slave, "path": os.ttyname(slave)})
os.environ["PTGW_BENCH_PTYS"] = json.dumps(pairs)
os.execvp(sys.argv[2], sys.argv[2:])
