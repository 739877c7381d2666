"""A fixed random sample of distinct speakers on a PolNeAR split, for hand-checking.

    .venv/bin/python benchmarks/speakers_polnear.py [CORPUS] [--n 100] [--seed 18]

Prints ``n`` distinct canonical speakers (drawn with a fixed seed from every named speaker that
``speakers.quotes`` finds) with their kind, quote count and one mention as written, so a person can
mark each as a person or organisation or not. The hand-checked figures are in
``benchmarks/README.md``. Prints "skipped" when the corpus is absent.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared/corpora/polnear-train"))
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=18)
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if not (corpus / "articles").is_dir():
        print(f"skipped: {corpus} not found")
        return 0
    os.environ.setdefault("NEWSDESK_CACHE", tempfile.mkdtemp(prefix="nd-speakers-"))
    from newsdesk import speakers as nq
    from newsdesk.corpus import load_corpus

    articles = load_corpus(corpus / "articles")
    q = nq.quotes(articles)
    top = nq.top_speakers(q, top_n=10**9)
    mention = q.dropna(subset=["speaker"]).groupby("speaker")["speaker_mention"].first()
    names = sorted(top["speaker"])
    pick = random.Random(args.seed).sample(names, min(args.n, len(names)))
    stats = top.set_index("speaker")
    print(f"{len(names)} distinct named speakers in {corpus.name}; sample of {len(pick)} (seed {args.seed}):")
    for i, s in enumerate(pick, 1):
        print(f"{i:3d}. {s!r:45} {stats.at[s, 'kind']:13} {stats.at[s, 'quotes']:4d}  as {mention.get(s, '')!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
