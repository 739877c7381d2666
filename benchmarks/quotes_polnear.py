"""Quote extraction and speaker attribution measured on PolNeAR gold attributions.

    .venv/bin/python benchmarks/quotes_polnear.py [CORPUS] [--preds FILE] [--scorer]

CORPUS defaults to ``../shared/corpora/polnear-dev`` (``articles/*.txt`` + ``attributions.jsonl``).
Prints quote precision/recall/F1, speaker accuracy on matched quotes and end-to-end
precision/recall/F1, with the definitions of ``../shared/tools/score_quotes.py`` re-implemented
here (so the project does not need that file), then extraction speed on one core.
``--scorer`` also runs the reference scorer on the same predictions when it is present.

Definitions: a predicted quote *matches* the first gold direct attribution whose content spans
cover at least half of the quote's text (located in the body by its first occurrence);
precision counts matching predictions, recall counts gold attributions matched at least once.
The speaker is right when the mention or the resolved speaker shares a word (stop words
and ``Mr``/``Ms`` ignored) with the gold source; a pronoun must be the same pronoun.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsdesk import config
from newsdesk.corpus import load_corpus
from newsdesk.quotes import extract_quotes

PRON = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"}
STOP = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "at", "mr", "mrs", "ms", "dr", "'s", "s"}


def _words(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", s.lower()) if w not in STOP}


def speaker_ok(pred: dict, sources: list[dict]) -> bool:
    """Whether the predicted mention or speaker names a gold source (the scorer's rule)."""
    cands = [pred.get("speaker_mention") or "", pred.get("speaker") or ""]
    for g in sources:
        gw = _words(g["text"])
        for c in cands:
            cw = _words(c)
            if not cw or not gw:
                continue
            if gw <= PRON or cw <= PRON:
                if cw == gw:
                    return True
                continue
            if (cw - PRON) & (gw - PRON):
                return True
    return False


def _locate(body: str, quote: str) -> tuple[int, int] | None:
    q = quote.strip().strip('“”"').strip()
    if not q:
        return None
    i = body.find(q)
    if i < 0:
        nb, nq = " ".join(body.split()), " ".join(q.split())
        if nq not in nb:
            return None
        i = body.find(nq.split(" ")[0])
        return (i, i + len(q)) if i >= 0 else None
    return i, i + len(q)


def read_gold(corpus: Path) -> tuple[dict[str, list[dict]], dict[str, str]]:
    gold: dict[str, list[dict]] = collections.defaultdict(list)
    with open(corpus / "attributions.jsonl", encoding="utf-8") as fh:
        for line in fh:
            g = json.loads(line)
            if g["direct"]:
                gold[g["article"]].append(g)
    bodies = {}
    for a in gold:
        text = (corpus / "articles" / a).read_text(encoding="utf-8")
        bodies[a] = text.split("\n\n", 1)[1]
    return gold, bodies


def score(corpus: Path, preds: list[dict]) -> dict[str, float]:
    """Quote P/R/F1, speaker accuracy and end-to-end P/R/F1 of ``preds`` (dicts with ``article``,
    ``quote``, ``speaker_mention``, ``speaker``) against the gold of ``corpus``."""
    gold, bodies = read_gold(corpus)
    by_article: dict[str, list[dict]] = collections.defaultdict(list)
    for p in preds:
        by_article[os.path.basename(p["article"])].append(p)
    n_gold = sum(len(v) for v in gold.values())
    n_pred = sum(len(v) for a, v in by_article.items() if a in bodies or a.endswith(".txt"))
    tp_q = tp_e = matched = matched_e = right = total = 0
    for a, plist in by_article.items():
        body = bodies.get(a)
        if body is None:
            continue
        used: set[int] = set()
        for p in plist:
            loc = _locate(body, p.get("quote", ""))
            hit = None
            if loc:
                for k, g in enumerate(gold[a]):
                    inside = sum(max(0, min(c["end"], loc[1]) - max(c["start"], loc[0])) for c in g["content"])
                    if inside >= 0.5 * (loc[1] - loc[0]):
                        hit = k
                        break
            if hit is None:
                continue
            tp_q += 1
            ok = speaker_ok(p, gold[a][hit]["source"])
            total += 1
            right += ok
            tp_e += ok
            if hit not in used:
                used.add(hit)
                matched += 1
                matched_e += ok

    def prf(tp, npred, tpg, ngold):
        p = tp / npred if npred else 0.0
        r = tpg / ngold if ngold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    qp, qr, qf = prf(tp_q, n_pred, matched, n_gold)
    ep, er, ef = prf(tp_e, n_pred, matched_e, n_gold)
    return {"gold": n_gold, "predictions": n_pred, "quote_p": qp, "quote_r": qr, "quote_f1": qf,
            "speaker_acc": right / total if total else 0.0, "e2e_p": ep, "e2e_r": er, "e2e_f1": ef}


def predict(articles) -> list[dict]:
    """Predictions for every article, in the scorer's format."""
    out = []
    for path, body, title in zip(articles["path"], articles["body"], articles["title"]):
        for q in extract_quotes(body, title=title):
            out.append({"article": os.path.basename(path), "quote": q["quote"],
                        "speaker_mention": q["speaker_mention"] or "", "speaker": q["speaker"] or "",
                        "cue": q["cue"], "how": q["how"], "start": q["start"], "end": q["end"]})
    return out


def speed(articles, *, repeat: int = 5) -> tuple[float, float]:
    """Articles per second for extraction in this process (one core), best of ``repeat``:
    ``(by CPU time, by wall-clock time)``. CPU time is the fairer figure on a shared machine."""
    pairs = list(zip(articles["body"], articles["title"]))
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        for body, title in pairs:
            extract_quotes(body, title=title)
        best_wall = min(best_wall, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return len(pairs) / max(best_cpu, 1e-9), len(pairs) / max(best_wall, 1e-9)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=config.SHARED_DIR / "corpora" / "polnear-dev")
    ap.add_argument("--preds", type=Path, help="also write the predictions to this .jsonl file")
    ap.add_argument("--scorer", action="store_true", help="cross-check with ../shared/tools/score_quotes.py")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    args = ap.parse_args(argv)
    if not (args.corpus / "attributions.jsonl").exists():
        print(f"skipped: {args.corpus} has no attributions.jsonl (PolNeAR is not available here)")
        return 0
    articles = load_corpus(args.corpus / "articles")
    preds = predict(articles)
    s = score(args.corpus, preds)
    print(f"corpus {args.corpus} ({len(articles)} articles)")
    print(f"gold direct quotes {s['gold']}, predictions {s['predictions']}")
    print(f"quotes   P={s['quote_p']:.3f} R={s['quote_r']:.3f} F1={s['quote_f1']:.3f}")
    print(f"speaker  accuracy on matched quotes={s['speaker_acc']:.3f}")
    print(f"end2end  P={s['e2e_p']:.3f} R={s['e2e_r']:.3f} F1={s['e2e_f1']:.3f}")
    path = args.preds
    if args.scorer or path:
        if path is None:
            path = Path(tempfile.mkstemp(suffix=".jsonl")[1])
        with open(path, "w", encoding="utf-8") as fh:
            for p in preds:
                fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    scorer = config.SHARED_DIR / "tools" / "score_quotes.py"
    if args.scorer:
        if scorer.exists():
            print("reference scorer:")
            sys.stdout.flush()
            subprocess.run([sys.executable, str(scorer), str(args.corpus), str(path)], check=False)
        else:
            print("reference scorer not found; skipped")
    if not args.no_speed:
        cpu, wall = speed(articles)
        words = articles["words"].mean()
        print(f"speed    {cpu:,.0f} articles/s on one core by CPU time ({wall:,.0f} by wall clock; "
              f"mean {words:,.0f} words/article)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
