"""Benchmark of the report runner (``newsdesk report``) on the bundled sample.

Measures, in one run so the ratios are comparable on a shared machine:
- how long a misspelled parameter takes to be refused (CLI start to exit, median of 5);
- ``import nbformat`` with and without the ``rfc3987_syntax`` skip that the runner applies
  (``render._skip_slow_imports``);
- the whole report build with ``--jobs 1`` and ``--jobs N`` (all cores), and the HTML sizes.

    .venv/bin/python benchmarks/report_runner.py [--corpus data/sample] [--skip-build]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "newsdesk.cli"]


def timed(cmd: list[str], **kw) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return time.perf_counter() - t0, proc


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "data" / "sample"))
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()
    cores = len(os.sched_getaffinity(0))
    print(f"machine: {cores} cores, load average {os.getloadavg()[0]:.1f}")

    times = []
    for _ in range(5):
        t, proc = timed([*CLI, "report", args.corpus, "--out", "/tmp/never", "-p", "top_nn", "5"])
        assert proc.returncode == 2 and "Did you mean 'top_n'" in proc.stderr, proc.stderr
        times.append(t)
    print(f"misspelled parameter refused in {statistics.median(times):.2f} s (median of 5; max {max(times):.2f} s)")

    skip = "import sys; sys.modules['rfc3987_syntax'] = None; "
    t_plain = statistics.median(timed([sys.executable, "-c", "import nbformat"])[0] for _ in range(3))
    t_skip = statistics.median(timed([sys.executable, "-c", skip + "import nbformat"])[0] for _ in range(3))
    print(f"import nbformat: {t_plain:.2f} s as installed, {t_skip:.2f} s with the skip ({t_plain / t_skip:.1f}x)")

    if args.skip_build:
        return
    results = {}
    for jobs in (1, cores):
        with tempfile.TemporaryDirectory() as tmp:
            t, proc = timed([*CLI, "report", args.corpus, "--out", f"{tmp}/out", "--jobs", str(jobs)])
            assert proc.returncode == 0, proc.stderr
            sizes = {p.name: p.stat().st_size for p in Path(f"{tmp}/out").glob("*.html")}
            results[jobs] = t
            print(f"--jobs {jobs}: {len(sizes) - 1} reports in {t:.1f} s; HTML "
                  + ", ".join(f"{n} {s / 1e6:.2f} MB" for n, s in sorted(sizes.items())))
    if cores > 1:
        print(f"speed-up with {cores} jobs: {results[1] / results[cores]:.2f}x")


if __name__ == "__main__":
    main()
