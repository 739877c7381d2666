"""Load the hostile corpus of tests/test_hostile.py: cold (parse everything) and warm (load cache).

    .venv/bin/python benchmarks/hostile_load.py [--repeat 3]

Prints the corpus size, articles/rejects, and the median cold and warm load times measured in the
same run (report ratios: the machine is shared).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the generator lives with the test (benchmark script only)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="newsdesk-hostile-bench-"))
    os.environ["NEWSDESK_CACHE"] = str(base / "cache")
    from test_hostile import build_hostile_corpus  # noqa: E402

    import logging

    import newsdesk as nd
    from newsdesk import config

    config.CACHE_DIR = base / "cache"
    logging.getLogger("newsdesk").setLevel(logging.ERROR)  # the per-load summary is not the point here
    corpus = base / "corpus"
    corpus.mkdir()
    try:
        manifest = build_hostile_corpus(corpus)
        size = sum(os.path.getsize(corpus / p) for p in manifest
                   if os.path.isfile(corpus / p) and os.access(corpus / p, os.R_OK)) / 2**20
        cold, warm = [], []
        for _ in range(args.repeat):
            shutil.rmtree(base / "cache", ignore_errors=True)
            t = time.perf_counter()
            a = nd.load_corpus(corpus, jobs=1)
            cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            nd.load_corpus(corpus, jobs=1)
            warm.append(time.perf_counter() - t)
        rej = nd.rejects(a)
        c, w = statistics.median(cold), statistics.median(warm)
        print(f"{len(manifest)} inputs, {size:,.0f} MB apparent size (incl. a 60 MB sparse file that is never read): "
              f"{len(a)} articles, {len(rej)} rejects, {rej['reason'].str.split(' ').str[0].nunique()} reason kinds")
        print(f"cold load {c:.2f} s, warm load {w:.2f} s (warm/cold = {w / c:.2f}), median of {args.repeat}")
    finally:
        subprocess.run(["chmod", "-R", "u+rwX", str(base)], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
