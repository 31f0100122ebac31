"""`python peak.py OUT CMD…`: run CMD and write its peak resident set (KiB) to OUT; exit as CMD did.

Why a go-between: Linux counts in a child's peak RSS the image it had before exec, and a child
forked (or vforked) from the benchmark process starts as that large process. Forked from this
small one instead, the command's peak is its own (plus at most this interpreter's few MB).
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    out, cmd = sys.argv[1], sys.argv[2:]
    pid = os.fork()
    if pid == 0:  # the child: become the command
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w") as f:
        f.write(str(usage.ru_maxrss))
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
