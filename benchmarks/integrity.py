"""What verifying checksums costs: a warm load and a warm read of the store, with and without.

    .venv/bin/python benchmarks/integrity.py [--n 20000] [--repeats 5]

Builds the corpus as ``run.py`` does (polnear-train replicated with shifted dates; the bundled
sample without ../shared) in a temporary folder with its own cache, fills the load cache and the
store, then times in one process, alternating, best of ``--repeats``:

- ``checksum.of_file`` of the load cache file and of every store part (the hashing alone);
- a warm ``load_corpus`` verifying the cache file (as every fresh process, e.g. each notebook
  kernel, does) against one whose verification is remembered (skipped: what a warm load cost
  before checksums, plus one ``stat``);
- a warm read of every kind's rows (``store.get_table``) verifying every part, against one whose
  parts are remembered as verified.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def best(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="nd-integrity-"))
    os.environ["NEWSDESK_CACHE"] = str(work / "cache")
    import run as bench                              # benchmarks/run.py: the same corpus as make bench

    from newsdesk import cache, checksum, config, registry, storage, store
    from newsdesk.corpus import load_corpus

    config.CACHE_DIR = work / "cache"
    what = bench.build_corpus(args.n, work / "corpus")
    corpus = str(work / "corpus")
    articles = load_corpus(corpus, progress=False)
    cache.wait()
    store.annotate(articles, progress=False)
    f = cache.corpus_cache_file(corpus)
    parts = sorted(config.CACHE_DIR.glob("store/*/part-*.parquet"))
    mb_load = f.stat().st_size / 1e6
    mb_parts = sum(p.stat().st_size for p in parts) / 1e6

    def load(verify: bool):
        if verify:
            cache._VERIFIED.clear()
        load_corpus(corpus, progress=False)

    def read(verify: bool):
        if verify:
            storage._VERIFIED.clear()
        for k in registry.kinds():
            store.get_table(articles, k, progress=False)

    load(True), read(True)                           # page cache warm, memo filled
    res = {}
    for name, fn in [("hash load cache", lambda: checksum.of_file(f)),
                     ("hash store parts", lambda: [checksum.of_file(p) for p in parts])]:
        res[name] = best(fn, args.repeats)
    for verify in (True, False, True, False):
        res.setdefault(f"load verify={verify}", []).append(best(lambda: load(verify), args.repeats))
        res.setdefault(f"read verify={verify}", []).append(best(lambda: read(verify), args.repeats))
    res = {k: (min(v) if isinstance(v, list) else v) for k, v in res.items()}
    print(f"{len(articles):,} articles ({what}); load cache {mb_load:.0f} MB, {len(parts)} store parts "
          f"{mb_parts:.0f} MB; {checksum.ALGORITHM}; best of {args.repeats}")
    for k, v in res.items():
        print(f"  {k:24s} {v * 1000:8.1f} ms")
    for step, mb in (("load", mb_load), ("read", mb_parts)):
        on, off = res[f"{step} verify=True"], res[f"{step} verify=False"]
        print(f"  {step}: verifying adds {1000 * (on - off):.0f} ms ({100 * (on - off) / off:+.0f}%) for {mb:.0f} MB")
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
