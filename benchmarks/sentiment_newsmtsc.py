"""Tone toward a named target on NewsMTSC: VADER against the shipped tone model.

    .venv/bin/python benchmarks/sentiment_newsmtsc.py            # dev figures
    .venv/bin/python benchmarks/sentiment_newsmtsc.py --cv 5     # also the held-out 5-fold CV on train
    .venv/bin/python benchmarks/sentiment_newsmtsc.py --json out.json

Reads ``../shared/benchmarks/sentiment/newsmtsc-dev.jsonl`` (343 labelled targets in 320 news
sentences; labels 2.0 negative, 4.0 neutral, 6.0 positive) and prints macro-F1 and accuracy of:
VADER's compound of the whole sentence (±0.05, the target ignored), VADER of the clause around the
target, and ``newsdesk.tonemodel`` (the shipped weights). Prints "skipped" when the data is absent.

Which figure is held out: dev chose between the few feature configurations of
``benchmarks/train_tone.py``, so the model's dev figure is slightly optimistic. ``--cv k`` retrains
the shipped configuration on k-1 folds of train (folds of whole sentences, seeded) and scores the
k-th: that mean is the held-out estimate. NewsMTSC's test sets are not available here.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import train_tone as T  # noqa: E402


def vader_labels(compounds: np.ndarray, threshold: float = 0.05) -> np.ndarray:
    return np.where(compounds >= threshold, 2, np.where(compounds <= -threshold, 0, 1))


def evaluate(dev_path: Path = T.DEV, *, model_path: str | None = None) -> dict:
    from newsdesk import sentiment, tonemodel

    recs = T.read_jsonl(dev_path)
    y = np.array([r["y"] for r in recs])
    out = {"data": dev_path.name, "targets": len(recs), "sentences": len({r["group"] for r in recs}),
           "classes": {lab: int(np.sum(y == i)) for i, lab in enumerate(tonemodel.LABELS)}}
    comp = sentiment.score_texts([r["sentence"] for r in recs], method="vader")
    clause = np.array([tonemodel.features(r["sentence"], r["span"], options={**T._OFF, "ngrams": False, "clause": True})
                       ["c:compound"] for r in recs])
    model = tonemodel.load_model(model_path)
    probs = model.predict_proba([tonemodel.features(r["sentence"], r["span"], options=model.options) for r in recs])
    for name, pred in (("vader_sentence", vader_labels(comp)), ("vader_clause", vader_labels(clause)),
                       ("tone_model", np.argmax(probs, axis=1))):
        out[name] = {"macro_f1": T.macro_f1(y, pred), "accuracy": float(np.mean(y == pred))}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=T.DEV)
    ap.add_argument("--model", help="a model file other than the shipped one")
    ap.add_argument("--cv", type=int, default=0, help="also k-fold cross-validation of the shipped config on train")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    if not args.dev.exists():
        print(f"skipped: {args.dev} is absent")
        return 0
    out = evaluate(args.dev, model_path=args.model)
    print(f"NewsMTSC dev: {out['targets']} targets in {out['sentences']} sentences, classes {out['classes']}")
    for name, label in (("vader_sentence", "VADER compound of the whole sentence (±0.05)"),
                        ("vader_clause", "VADER compound of the clause around the target"),
                        ("tone_model", "newsdesk.tonemodel (shipped weights; dev chose its configuration)")):
        r = out[name]
        print(f"  {label:<70} macro-F1 {r['macro_f1']:.3f}  accuracy {r['accuracy']:.3f}")
    if T.TRAIN.exists():  # VADER learns nothing, so its train figure is held out too
        from newsdesk import sentiment

        tr = T.read_jsonl(T.TRAIN)
        y = np.array([r["y"] for r in tr])
        pred = vader_labels(sentiment.score_texts([r["sentence"] for r in tr], method="vader"))
        out["vader_sentence_train"] = {"macro_f1": T.macro_f1(y, pred), "accuracy": float(np.mean(y == pred))}
        print(f"NewsMTSC train: {len(tr)} targets")
        print(f"  {'VADER compound of the whole sentence (±0.05)':<70} macro-F1 "
              f"{out['vader_sentence_train']['macro_f1']:.3f}  accuracy {out['vader_sentence_train']['accuracy']:.3f}")
    if args.cv:
        if not T.TRAIN.exists():
            print(f"skipped CV: {T.TRAIN} is absent")
        else:
            cv = T.cross_validate(T.read_jsonl(T.TRAIN), T.CONFIG, folds=args.cv)
            out["cross_validation_train"] = cv
            print(f"  held out: {cv['folds']}-fold CV on train, shipped configuration: macro-F1 {cv['macro_f1']:.3f} "
                  f"(sd {cv['macro_f1_sd']:.3f} over folds), accuracy {cv['accuracy']:.3f}")
    if args.json:
        from newsdesk.atomic import atomic_write_text

        atomic_write_text(args.json, json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
