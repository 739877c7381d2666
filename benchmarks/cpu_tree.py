"""Wall clock and CPU time of a command and of every process it starts (kernels, workers, the fork
server), on Linux: this process becomes a child subreaper, so orphaned descendants are reaped here
and their CPU time counted. On a shared machine the CPU time is the steadier figure.

    .venv/bin/python benchmarks/cpu_tree.py LABEL COMMAND [ARG ...]
    .venv/bin/python benchmarks/cpu_tree.py new .venv/bin/newsdesk report ../shared/corpora/polnear-dev --out /tmp/r
"""
import ctypes
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def main() -> None:
    label, cmd = sys.argv[1], sys.argv[2:]
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    t = time.perf_counter()
    subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = open("/proc/loadavg").read().split()[0]
    print(f"{label} wall {time.perf_counter() - t:.1f} s, cpu {r.ru_utime + r.ru_stime:.1f} s, load {load}", flush=True)


if __name__ == "__main__":
    main()
