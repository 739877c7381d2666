"""CPU cost per article of each annotator, and of a cold ``store.annotate`` around them.

    .venv/bin/python benchmarks/annotate_cost.py [CORPUS] [--rounds 5] [--profile KIND] [--store]

Each annotator (``sentences``, ``quotes``, ``keyword_counts``) is called directly on the whole
corpus in this process, ``--rounds`` times; the figure is the best round's ``time.process_time()``
per article (CPU time: the machine is shared, wall time would measure the neighbours). The first
call runs once before the rounds, so the token caches are warm as in a long-running worker (its
cost, with empty caches, is printed too: what a small corpus pays). ``--store`` also times a
cold ``store.annotate(articles, jobs=1)`` of every kind into a fresh temporary cache (best of
``--rounds``), whose difference from the bare annotators is the store's own cost (Arrow tables,
hashing, Parquet writes, compaction). ``--profile KIND`` prints a cProfile of one round of KIND.
CORPUS defaults to ``../shared/corpora/polnear-train/articles``.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpora" / "polnear-train" / "articles"


def _best(fn, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--profile", default=None, metavar="KIND")
    ap.add_argument("--store", action="store_true", help="also time a cold store.annotate with jobs=1")
    args = ap.parse_args()
    os.environ.setdefault("NEWSDESK_CACHE", tempfile.mkdtemp(prefix="nd-cost-"))
    import newsdesk as nd
    from newsdesk import registry, store

    articles = nd.load_corpus(args.corpus, jobs=1)
    n = len(articles)
    kinds = registry.kinds()
    load = open("/proc/loadavg").read().split()[0]
    print(f"{n} articles, {args.rounds} rounds, load average {load} at start")
    total = 0.0
    for kind in kinds:
        fn = registry.annotator(kind).fn
        first = _best(lambda: fn(articles), 1)  # fills the token caches (as a worker's first chunks do)
        t = _best(lambda: fn(articles), args.rounds)
        total += t
        print(f"{kind:16s} {1000 * t / n:6.3f} ms CPU per article  ({n / t:,.0f} articles/s per core; "
              f"first call, empty caches: {1000 * first / n:.3f} ms)")
    print(f"{'every kind':16s} {1000 * total / n:6.3f} ms CPU per article  ({n / total:,.0f} articles/s per core)")
    if args.store:
        def cold():
            with tempfile.TemporaryDirectory(prefix="nd-store-") as d:
                store.annotate(articles, kinds, jobs=1, progress=False, root=d)
        t = _best(cold, args.rounds)
        print(f"{'store, jobs=1':16s} {1000 * t / n:6.3f} ms CPU per article  "
              f"(the store's own share: {1000 * (t - total) / n:.3f} ms, {100 * (t - total) / t:.0f} %)")
    if args.profile:
        fn = registry.annotator(args.profile).fn
        prof = cProfile.Profile()
        prof.runcall(fn, articles)
        pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(25)
    print(f"load average {open('/proc/loadavg').read().split()[0]} at end")


if __name__ == "__main__":
    main()
