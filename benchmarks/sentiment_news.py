"""VADER against the news-tone models, side by side: NewsMTSC, NYT editorials, cross-validation, speed.

    .venv/bin/python benchmarks/sentiment_news.py                # everything (about 10 minutes)
    .venv/bin/python benchmarks/sentiment_news.py --cv 0         # no cross-validation (a minute)
    .venv/bin/python benchmarks/sentiment_news.py --no-speed --json out.json

Data (``../shared/benchmarks/sentiment/``; prints "skipped" for what is absent):

- **NewsMTSC dev** (343 labelled targets in 320 news sentences). *Targeted*: VADER of the clause
  around the target (the nearest VADER comes to a target) against ``tonemodel.target_tones`` (the
  tone toward the target). *Whole sentence*: VADER's compound against the news model's sentence
  score (``sentiment.score_texts``), each cut at its method's neutral band (``sentiment.BANDS``).
- **NYT editorials dev** (2,568 sentences, mean rating of 20 raters): Pearson r and 3-class weighted
  F1 (the rating / 4 split strictly at ±0.05, as in ``sentiment_nyt.py``). The shipped sentence
  model was trained on these sentences too, so its figure here is the **5-fold cross-validated**
  one (folds of whole editorials: each editorial scored by a model that never saw it); the
  in-sample figure is printed beside it for information only.
- **5-fold CV on NewsMTSC train** (folds of whole sentences): each model retrained on four folds
  and scored on the fifth; VADER learns nothing, so its figure is all of train. The news model's
  neutral band is the one with the best macro-F1 on these held-out predictions.
- **Speed** on ``../shared/corpora/polnear-train`` (PolNeAR articles): the ``sentences`` annotator
  (sentence splitting, VADER and the news model on the headline and every sentence) against the
  same loop with VADER alone, in articles per second of one core (``time.process_time``, best of
  ``--repeat``).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import sentiment_nyt as N  # noqa: E402
import train_tone as T  # noqa: E402

POLNEAR = T.SHARED / "corpora" / "polnear-train"
TARGETS = {"newsmtsc_targeted_macro_f1": 0.65, "nyt_r": 0.55, "articles_per_s": 500}
BAND_GRID = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]


def classes(scores: np.ndarray, band: float) -> np.ndarray:
    """0 negative, 1 neutral, 2 positive (NewsMTSC's order) at or beyond ±band."""
    return np.where(scores >= band, 2, np.where(scores <= -band, 0, 1))


def sentence_model(mtsc: list[dict], nyt: list[dict], config: dict = T.SENTENCE_CONFIG):
    """A whole-sentence scorer trained on these records (the shipped recipe on a subset)."""
    from newsdesk.tonemodel import SentenceScorer, ToneModel

    vocab, W, b = T.fit_sentence(mtsc, nyt, config)
    m = ToneModel(tuple(vocab), W.astype(np.float32), b, {"kind": "sentence", "vader_weight": config["vader_weight"]}, {})
    return SentenceScorer(m)


def scores_of(scorer, texts: list[str]) -> np.ndarray:
    from newsdesk.vader import _scores

    return np.array([scorer.score(t, _scores(t)) for t in texts])


def newsmtsc(dev: list[dict], *, band: float) -> dict:
    from newsdesk import sentiment, tonemodel

    y = np.array([r["y"] for r in dev])
    sents = [r["sentence"] for r in dev]
    vader = sentiment.score_texts(sents, method="vader")
    clause = np.array([tonemodel.features(r["sentence"], r["span"], options={**T._OFF, "ngrams": False, "clause": True})
                       ["c:compound"] for r in dev])
    model = tonemodel.load_model()
    probs = model.predict_proba([tonemodel.features(r["sentence"], r["span"], options=model.options) for r in dev])
    news = sentiment.score_texts(sents, method="news")
    out = {}
    for name, pred in (("vader_targeted", classes(clause, sentiment.BANDS["vader"])),
                       ("news_targeted", np.argmax(probs, axis=1)),
                       ("vader_sentence", classes(vader, sentiment.BANDS["vader"])),
                       ("news_sentence", classes(news, band))):
        out[name] = {"macro_f1": T.macro_f1(y, pred), "accuracy": float(np.mean(y == pred))}
    return out


def nyt_figures(nyt: list[dict], score: np.ndarray, band: float) -> dict:
    y = np.array([r["rating"] for r in nyt])
    truth = N.labels(y / 4, strict=True)
    return {"pearson_r": N.pearson(score, y), "weighted_f1": N.weighted_f1(truth, N.labels(score, band))}


def nyt(nyt_recs: list[dict], mtsc: list[dict], *, band: float, folds: int) -> dict:
    from newsdesk import sentiment

    texts = [r["sentence"] for r in nyt_recs]
    out = {"vader": nyt_figures(nyt_recs, sentiment.score_texts(texts, method="vader"), sentiment.BANDS["vader"]),
           "news_in_sample": nyt_figures(nyt_recs, sentiment.score_texts(texts), band)}
    if folds:
        f = T.editorial_folds(nyt_recs, folds)
        held = np.zeros(len(texts))
        for k in range(folds):
            sc = sentence_model(mtsc, [r for r, fi in zip(nyt_recs, f) if fi != k])
            idx = np.flatnonzero(f == k)
            held[idx] = scores_of(sc, [texts[i] for i in idx])
        out["news_cv"] = nyt_figures(nyt_recs, held, band)
    return out


def newsmtsc_cv(mtsc: list[dict], nyt_recs: list[dict], *, folds: int) -> dict:
    """Held-out figures on NewsMTSC train: the targeted model (``train_tone.cross_validate``) and
    the whole-sentence model (four folds of NewsMTSC + all NYT sentences), and the band chosen."""
    from newsdesk import sentiment

    out = {"news_targeted": T.cross_validate(mtsc, T.CONFIG, folds=folds)}
    groups = np.array([r["group"] for r in mtsc])
    ug = np.unique(groups)
    fold_of = dict(zip(np.random.default_rng(T.SEED).permutation(ug).tolist(), np.arange(len(ug)) % folds))
    f = np.array([fold_of[g] for g in groups])
    held = np.zeros(len(mtsc))
    for k in range(folds):
        sc = sentence_model([r for r, fi in zip(mtsc, f) if fi != k], nyt_recs)
        idx = np.flatnonzero(f == k)
        held[idx] = scores_of(sc, [mtsc[i]["sentence"] for i in idx])
    y = np.array([r["y"] for r in mtsc])
    by_band = {b: T.macro_f1(y, classes(held, b)) for b in BAND_GRID}
    best = max(BAND_GRID, key=lambda b: (by_band[b], -b))
    per_fold = [T.macro_f1(y[f == k], classes(held[f == k], best)) for k in range(folds)]
    out["news_sentence"] = {"macro_f1": by_band[best], "macro_f1_sd": float(np.std(per_fold, ddof=1)),
                            "band_chosen": best, "macro_f1_by_band": {str(b): v for b, v in by_band.items()}}
    vader = sentiment.score_texts([r["sentence"] for r in mtsc], method="vader")
    out["vader_sentence"] = {"macro_f1": T.macro_f1(y, classes(vader, sentiment.BANDS["vader"]))}
    clause = np.array([__import__("newsdesk.tonemodel", fromlist=["features"]).features(
        r["sentence"], r["span"], options={**T._OFF, "ngrams": False, "clause": True})["c:compound"] for r in mtsc])
    out["vader_targeted"] = {"macro_f1": T.macro_f1(y, classes(clause, sentiment.BANDS["vader"]))}
    return out


def speed(corpus: Path, *, repeat: int = 3) -> dict:
    import newsdesk as nd
    from newsdesk import sentiment
    from newsdesk.text import split_sentences
    from newsdesk.vader import _scores

    arts = nd.load_corpus(corpus)
    sentiment.annotate(arts.iloc[:5])  # the model is read once

    def vader_only():   # the annotator's loop, VADER alone
        for title, body, off, length in zip(arts["title"], arts["body"], arts["text_offset"], arts["text_length"]):
            if isinstance(title, str) and title.strip():
                _scores(" ".join(title.split()))
            clean = body[int(off):int(off) + int(length)]
            for s, e in split_sentences(clean):
                _scores(clean[s:e])

    def both():
        sentiment.annotate(arts)

    best = {"vader": math.inf, "both": math.inf}
    for _ in range(repeat):
        for k, fn in (("vader", vader_only), ("both", both)):
            t0 = time.process_time()
            fn()
            best[k] = min(best[k], time.process_time() - t0)
    n = len(arts)
    return {"corpus": str(corpus), "articles": n,
            "chars_per_article": float(np.mean([int(x) for x in arts["text_length"]])),
            "vader_articles_per_s": n / best["vader"], "vader_and_news_articles_per_s": n / best["both"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cv", type=int, default=5, help="folds of the cross-validations (0: none)")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    from newsdesk import sentiment

    band = sentiment.BANDS["news"]
    out: dict = {"targets": TARGETS, "band": {"vader": sentiment.BANDS["vader"], "news": band}}
    have = T.TRAIN.exists() and T.DEV.exists() and T.NYT.exists()
    if not have:
        print("skipped: the NewsMTSC or NYT files are absent")
    else:
        mtsc, dev, nyt_recs = T.read_jsonl(T.TRAIN), T.read_jsonl(T.DEV), T.read_nyt(T.NYT)
        if args.cv:
            out["newsmtsc_cv"] = cv = newsmtsc_cv(mtsc, nyt_recs, folds=args.cv)
            if cv["news_sentence"]["band_chosen"] != band:
                print(f"NOTE: the band chosen on train ({cv['news_sentence']['band_chosen']}) is not "
                      f"sentiment.BANDS['news'] ({band})")
        out["newsmtsc_dev"] = m = newsmtsc(dev, band=band)
        out["nyt_dev"] = ny = nyt(nyt_recs, mtsc, band=band, folds=args.cv)
        w = 52
        print(f"{'':<{w}} {'VADER':>10} {'news model':>12}")
        print(f"{'NewsMTSC dev macro-F1, targeted':<{w}} {m['vader_targeted']['macro_f1']:>10.3f} "
              f"{m['news_targeted']['macro_f1']:>12.3f}   (VADER: of the clause around the target)")
        print(f"{'NewsMTSC dev macro-F1, whole sentence':<{w}} {m['vader_sentence']['macro_f1']:>10.3f} "
              f"{m['news_sentence']['macro_f1']:>12.3f}")
        nr = ny.get("news_cv", ny["news_in_sample"])
        tag = "5-fold CV" if "news_cv" in ny else "in sample"
        print(f"{'NYT dev Pearson r (news: ' + tag + ')':<{w}} {ny['vader']['pearson_r']:>10.3f} {nr['pearson_r']:>12.3f}"
              f"   (in sample {ny['news_in_sample']['pearson_r']:.3f})")
        print(f"{'NYT dev weighted F1 (news: ' + tag + ')':<{w}} {ny['vader']['weighted_f1']:>10.3f} {nr['weighted_f1']:>12.3f}"
              f"   (in sample {ny['news_in_sample']['weighted_f1']:.3f})")
        if args.cv:
            print(f"{f'NewsMTSC train {args.cv}-fold CV macro-F1, targeted':<{w}} {cv['vader_targeted']['macro_f1']:>10.3f} "
                  f"{cv['news_targeted']['macro_f1']:>12.3f}   (sd {cv['news_targeted']['macro_f1_sd']:.3f})")
            print(f"{f'NewsMTSC train {args.cv}-fold CV macro-F1, whole sentence':<{w}} "
                  f"{cv['vader_sentence']['macro_f1']:>10.3f} {cv['news_sentence']['macro_f1']:>12.3f}"
                  f"   (sd {cv['news_sentence']['macro_f1_sd']:.3f}; band ±{cv['news_sentence']['band_chosen']})")
    if not args.no_speed:
        if not POLNEAR.exists():
            print(f"skipped speed: {POLNEAR} is absent")
        else:
            out["speed"] = sp = speed(POLNEAR, repeat=args.repeat)
            print(f"{'speed, articles/s per core (PolNeAR, %d articles)' % sp['articles']:<{w if have else 52}} "
                  f"{sp['vader_articles_per_s']:>10.0f} {sp['vader_and_news_articles_per_s']:>12.0f}"
                  f"   (news column: the annotator, VADER and news model both)")
    if args.json:
        from newsdesk.atomic import atomic_write_text

        atomic_write_text(args.json, json.dumps(out, indent=2, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
