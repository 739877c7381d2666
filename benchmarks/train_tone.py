"""Train the tone-toward-a-target model shipped as ``lib/newsdesk/data/tone_model.npz``.

    .venv/bin/python benchmarks/train_tone.py                 # train the shipped configuration, write the file
    .venv/bin/python benchmarks/train_tone.py --select        # the feature ladder: dev macro-F1 of each step
    .venv/bin/python benchmarks/train_tone.py --cv 5          # also 5-fold cross-validation on train (held out)
    .venv/bin/python benchmarks/train_tone.py --select --cv 5 # the ladder on dev, then each step by CV on train
    .venv/bin/python benchmarks/train_tone.py --out /tmp/m.npz --sentence-out /tmp/s.npz

Two models: the tone toward a target (``tone_model.npz``, NewsMTSC only) and the whole-sentence
model (``sentence_model.npz``, ``SENTENCE_CONFIG``: NewsMTSC sentences plus the NYT editorial
sentences of ``nyt-editorials-dev.tsv``, labelled by their mean rating).

Data: ``../shared/benchmarks/sentiment/newsmtsc-train.jsonl`` (NewsMTSC, MIT licence; 7,758
sentences, 8,739 labelled targets) trains the model; ``newsmtsc-dev.jsonl`` (343 targets) is used
only to choose between the few configurations of ``LADDER``. Labels: ``polarity`` 2.0 negative,
4.0 neutral, 6.0 positive; each target's first mention (``from``/``to``) is the target span.

Model: multinomial logistic regression with L2, fitted by full-batch L-BFGS in NumPy (fixed
iteration budget, no randomness in the fit; the seed fixes the cross-validation folds), over the
features of :func:`newsdesk.tonemodel.features` that occur in at least ``MIN_COUNT`` training
targets. The output is the same bytes on every run: features sorted by name, float32 weights,
fixed zip dates, and a training date fixed in ``TRAINED`` (not the clock).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = SHARED / "benchmarks" / "sentiment"
TRAIN = DATA / "newsmtsc-train.jsonl"
DEV = DATA / "newsmtsc-dev.jsonl"
NYT = DATA / "nyt-editorials-dev.tsv"
OUT = ROOT / "lib" / "newsdesk" / "data" / "tone_model.npz"
SENTENCE_OUT = ROOT / "lib" / "newsdesk" / "data" / "sentence_model.npz"
SEED = 15
TRAINED = "2026-12-06"  # the date recorded in the file (fixed, so the bytes do not depend on the clock)
MIN_COUNT = 2
MAX_ITER = 300
LABEL_OF = {2.0: 0, 4.0: 1, 6.0: 2}

_OFF = {"ngrams": True, "mask_target": False, "vader": False, "window": 0, "clause": False,
        "negation": False, "quotes": False}
#: The feature ladder measured on dev (each step adds to the one before), then the L2 strength.
LADDER = [
    ("1 word unigrams + bigrams", {**_OFF}),
    ("2 + VADER of the sentence", {**_OFF, "vader": True}),
    ("3 + target masked (<t>) in the n-grams", {**_OFF, "vader": True, "mask_target": True}),
    ("4 + words within 4 tokens (left/right) + VADER of that window",
     {**_OFF, "vader": True, "mask_target": True, "window": 4}),
    ("5 + VADER of the clause around the target",
     {**_OFF, "vader": True, "mask_target": True, "window": 4, "clause": True}),
    ("6 + negation scope",
     {**_OFF, "vader": True, "mask_target": True, "window": 4, "clause": True, "negation": True}),
    ("7 + quote / speaker features",
     {**_OFF, "vader": True, "mask_target": True, "window": 4, "clause": True, "negation": True, "quotes": True}),
]
L2_GRID = [3e-4, 1e-3, 3e-3]
#: The shipped configuration, chosen with ``--select`` (see benchmarks/README.md).
CONFIG = {"options": dict(LADDER[-1][1]), "l2": 1e-3, "balanced": False}
#: The whole-sentence model (no target; ``sentiment.score_texts``): words + VADER's scores, trained on
#: every NewsMTSC training target's sentence and label plus the NYT editorial sentences, each NYT
#: sentence ``nyt_repeat`` times, labelled by its mean rating / 4 split at ±``nyt_band`` (strictly).
#: Its score is ``(p_positive - p_negative + vader_weight * compound) / (1 + vader_weight)``.
#: Chosen by 5-fold CV over whole NYT editorials (``--select-sentence``; benchmarks/README.md).
SENTENCE_CONFIG = {"l2": 1e-3, "nyt_repeat": 3, "nyt_band": 0.05, "vader_weight": 0.5}


def read_jsonl(path: Path) -> list[dict]:
    """One record per labelled target: sentence, span, label, sentence number (the CV group)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for g, line in enumerate(fh):
            d = json.loads(line)
            s = d["sentence_normalized"]
            for t in d["targets"]:
                out.append({"sentence": s, "span": (int(t["from"]), int(t["to"])), "y": LABEL_OF[float(t["polarity"])],
                            "group": g})
    return out


def read_nyt(path: Path = NYT) -> list[dict]:
    """NYT editorial sentences: text, mean rating (-4..4), editorial number (the CV group)."""
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [{"sentence": r["text"], "rating": float(r["rating"]), "group": int(r["id"].split("_")[0])} for r in rows]


def nyt_label(rating: float, band: float) -> int:
    x = rating / 4
    return 2 if x > band else 0 if x < -band else 1


def editorial_folds(nyt: list[dict], folds: int = 5, seed: int = SEED) -> np.ndarray:
    """Fold of each NYT sentence: whole editorials, shuffled with the seed."""
    groups = np.array([r["group"] for r in nyt])
    ug = np.unique(groups)
    fold_of = dict(zip(np.random.default_rng(seed).permutation(ug).tolist(), np.arange(len(ug)) % folds))
    return np.array([fold_of[g] for g in groups])


def sentence_training_set(mtsc: list[dict], nyt: list[dict], config: dict = SENTENCE_CONFIG):
    """Features and labels of the whole-sentence model's training set (NewsMTSC + repeated NYT)."""
    from newsdesk.tonemodel import sentence_features

    cache: dict = {}

    def feat(s):
        if s not in cache:
            cache[s] = sentence_features(s)
        return cache[s]

    feats = [feat(r["sentence"]) for r in mtsc]
    ys = [r["y"] for r in mtsc]
    for _ in range(config["nyt_repeat"]):
        feats += [feat(r["sentence"]) for r in nyt]
        ys += [nyt_label(r["rating"], config["nyt_band"]) for r in nyt]
    return feats, np.array(ys)


def fit_sentence(mtsc: list[dict], nyt: list[dict], config: dict = SENTENCE_CONFIG, *, max_iter: int = MAX_ITER):
    feats, ys = sentence_training_set(mtsc, nyt, config)
    vocab = vocabulary(feats)
    W, b = fit(feats, ys, vocab, l2=config["l2"], max_iter=max_iter)
    return vocab, W, b


def train_sentence(train_path: Path = TRAIN, nyt_path: Path = NYT, out: Path = SENTENCE_OUT,
                   config: dict = SENTENCE_CONFIG, *, limit: int | None = None, max_iter: int = MAX_ITER) -> dict:
    """Train the whole-sentence model and write it; returns its metadata."""
    from newsdesk.tonemodel import LABELS, write_model

    mtsc = read_jsonl(train_path)[:limit]
    nyt = read_nyt(nyt_path)[:limit] if nyt_path is not None and nyt_path.exists() else []
    vocab, W, b = fit_sentence(mtsc, nyt, config, max_iter=max_iter)
    meta = {
        "training_data": "NewsMTSC (newsmtsc-train.jsonl) + NYT editorial sentences (nyt-editorials-dev.tsv)",
        "training_data_licence": "NewsMTSC: MIT (Hamborg & Donnay 2021); NYT ratings: research data set",
        "training_targets": len(mtsc), "training_nyt_sentences": len(nyt),
        "nyt_repeat": config["nyt_repeat"], "nyt_band": config["nyt_band"],
        "labels": list(LABELS), "kind": "whole sentence (no target)",
        "model": "multinomial logistic regression, L2, L-BFGS (NumPy)", "l2": config["l2"],
        "min_count": MIN_COUNT, "max_iter": max_iter, "seed": SEED, "date": TRAINED, "features": len(vocab),
        "script": "benchmarks/train_tone.py",
    }
    write_model(out, vocab=vocab, weights=W, bias=b, options={"kind": "sentence", "vader_weight": config["vader_weight"]},
                meta=meta)
    return meta


def featurise(recs: list[dict], options: dict) -> list[dict]:
    from newsdesk.tonemodel import features

    return [features(r["sentence"], r["span"], options=options) for r in recs]


def vocabulary(feats: list[dict], min_count: int = MIN_COUNT) -> list[str]:
    c = Counter(k for f in feats for k in f)
    return sorted(k for k, n in c.items() if n >= min_count)


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """An inner product without BLAS (whose threads would make the sums depend on the machine)."""
    return float(np.sum(a * b))


def fit(feats: list[dict], y: np.ndarray, vocab: list[str], *, l2: float, balanced: bool = False,
        max_iter: int = MAX_ITER, verbose: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression, mean (optionally class-balanced) log loss + l2/2 |W|^2,
    by L-BFGS (10 pairs, Armijo backtracking). Deterministic: no randomness, fixed budget."""
    from newsdesk.tonemodel import sparse_dot, to_sparse

    index = {w: i for i, w in enumerate(vocab)}
    rows, cols, vals = to_sparse(feats, index)
    n, F, K = len(feats), len(vocab), 3
    Y = np.eye(K)[y]
    sw = np.ones(n)
    if balanced:
        counts = np.bincount(y, minlength=K)
        sw = (n / (K * counts))[y]
    sw = sw / sw.sum()

    # one bincount per product: entry (i, j, v) adds to the K cells of row i (or of column j)
    rk = (rows[:, None] * K + np.arange(K)).ravel()
    ck = (cols[:, None] * K + np.arange(K)).ravel()
    v = vals[:, None]
    iters = [0]

    def loss_grad(theta):
        iters[0] += 1
        W = theta[:F * K].reshape(F, K)
        b = theta[F * K:]
        Z = np.bincount(rk, weights=(v * W[cols]).ravel(), minlength=n * K).reshape(n, K) + b
        Z -= Z.max(axis=1, keepdims=True)
        logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
        loss = -float(np.sum(sw * np.sum(Y * logp, axis=1))) + 0.5 * l2 * float(np.sum(W * W))
        G = (np.exp(logp) - Y) * sw[:, None]
        gW = np.bincount(ck, weights=(v * G[rows]).ravel(), minlength=F * K).reshape(F, K)
        gW += l2 * W
        return loss, np.concatenate([gW.ravel(), G.sum(axis=0)])

    theta = np.zeros(F * K + K)
    f, g = loss_grad(theta)
    S, Yh = [], []
    for _ in range(max_iter):
        q = g.copy()
        alphas = []
        for s, yv in reversed(list(zip(S, Yh))):
            a = dot(s, q) / dot(yv, s)
            alphas.append(a)
            q -= a * yv
        if S:
            q *= dot(S[-1], Yh[-1]) / dot(Yh[-1], Yh[-1])
        for (s, yv), a in zip(zip(S, Yh), reversed(alphas)):
            q += s * (a - dot(yv, q) / dot(yv, s))
        d = -q
        gd = dot(g, d)
        if gd >= 0:  # not a descent direction: restart from the gradient
            S, Yh, d, gd = [], [], -g, -dot(g, g)
        step = 1.0 if S else 1.0 / max(1.0, float(np.sqrt(dot(g, g))))
        while True:
            t = theta + step * d
            f2, g2 = loss_grad(t)
            if f2 <= f + 1e-4 * step * gd or step < 1e-10:
                break
            step *= 0.5
        s, yv = t - theta, g2 - g
        if dot(s, yv) > 1e-12:
            S.append(s)
            Yh.append(yv)
            if len(S) > 10:
                S.pop(0)
                Yh.pop(0)
        done = abs(f - f2) < 1e-10 * max(1.0, abs(f))
        theta, f, g = t, f2, g2
        if done or np.sqrt(dot(g, g)) < 1e-7:
            break
    if verbose:
        print(f"  fit: {iters[0]} evaluations, loss {f:.5f}, |g| {np.sqrt(dot(g, g)):.2e}")
    return theta[:F * K].reshape(F, K), theta[F * K:]


def predict(feats: list[dict], vocab: list[str], W: np.ndarray, b: np.ndarray) -> np.ndarray:
    from newsdesk.tonemodel import sparse_dot, to_sparse

    rows, cols, vals = to_sparse(feats, {w: i for i, w in enumerate(vocab)})
    return np.argmax(sparse_dot(rows, cols, vals, W.astype(np.float32).astype(float), len(feats)) + b, axis=1)


def macro_f1(y: np.ndarray, p: np.ndarray, k: int = 3) -> float:
    fs = []
    for c in range(k):
        tp = np.sum((y == c) & (p == c))
        fp = np.sum((y != c) & (p == c))
        fn = np.sum((y == c) & (p != c))
        fs.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(fs))


def train_eval(train: list[dict], test: list[dict], options: dict, *, l2: float, balanced: bool) -> dict:
    ftr, fte = featurise(train, options), featurise(test, options)
    vocab = vocabulary(ftr)
    W, b = fit(ftr, np.array([r["y"] for r in train]), vocab, l2=l2, balanced=balanced)
    y = np.array([r["y"] for r in test])
    p = predict(fte, vocab, W, b)
    return {"macro_f1": macro_f1(y, p), "accuracy": float(np.mean(y == p)), "features": len(vocab)}


def cross_validate(recs: list[dict], config: dict, *, folds: int = 5, seed: int = SEED) -> dict:
    """k-fold CV on train, folds of whole sentences (a sentence's targets stay together)."""
    groups = np.array([r["group"] for r in recs])
    ug = np.unique(groups)
    fold_of = dict(zip(np.random.default_rng(seed).permutation(ug).tolist(), np.arange(len(ug)) % folds))
    f = np.array([fold_of[g] for g in groups])
    res = [train_eval([r for r, fi in zip(recs, f) if fi != k], [r for r, fi in zip(recs, f) if fi == k],
                      config["options"], l2=config["l2"], balanced=config["balanced"]) for k in range(folds)]
    m1 = [r["macro_f1"] for r in res]
    return {"folds": folds, "macro_f1": float(np.mean(m1)), "macro_f1_sd": float(np.std(m1, ddof=1)),
            "accuracy": float(np.mean([r["accuracy"] for r in res]))}


def train(train_path: Path = TRAIN, out: Path = OUT, config: dict = CONFIG, *, limit: int | None = None,
          max_iter: int = MAX_ITER) -> dict:
    """Train ``config`` on all of ``train_path`` (or its first ``limit`` targets, for tests) and write
    the model file; returns its metadata."""
    from newsdesk.tonemodel import LABELS, write_model

    recs = read_jsonl(train_path)[:limit]
    feats = featurise(recs, config["options"])
    vocab = vocabulary(feats)
    W, b = fit(feats, np.array([r["y"] for r in recs]), vocab, l2=config["l2"], balanced=config["balanced"],
               max_iter=max_iter)
    meta = {
        "training_data": "NewsMTSC (newsmtsc-train.jsonl)",
        "training_data_licence": "MIT (NewsMTSC, Hamborg & Donnay 2021)",
        "training_sentences": len({r["group"] for r in recs}),
        "training_targets": len(recs),
        "model_selection_data": "NewsMTSC dev (newsmtsc-dev.jsonl)",
        "labels": list(LABELS),
        "model": "multinomial logistic regression, L2, L-BFGS (NumPy)",
        "l2": config["l2"], "class_balanced": config["balanced"], "min_count": MIN_COUNT,
        "max_iter": max_iter, "seed": SEED, "date": TRAINED, "features": len(vocab),
        "script": "benchmarks/train_tone.py",
    }
    write_model(out, vocab=vocab, weights=W, bias=b, options=config["options"], meta=meta)
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=TRAIN)
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--sentence-out", type=Path, default=SENTENCE_OUT, help="where the whole-sentence model goes")
    ap.add_argument("--select", action="store_true", help="measure the feature ladder and L2 grid on dev")
    ap.add_argument("--cv", type=int, default=0, help="k-fold cross-validation of the shipped config on train")
    args = ap.parse_args(argv)
    if not args.train.exists():
        print(f"skipped: {args.train} is absent")
        return 0
    recs = read_jsonl(args.train)
    if args.select:
        dev = read_jsonl(args.dev)
        for name, opts in LADDER:
            r = train_eval(recs, dev, opts, l2=CONFIG["l2"], balanced=False)
            print(f"{name:<70} dev macro-F1 {r['macro_f1']:.3f}  acc {r['accuracy']:.3f}  ({r['features']:,} features)")
        for l2 in L2_GRID:
            for bal in (False, True):
                r = train_eval(recs, dev, CONFIG["options"], l2=l2, balanced=bal)
                print(f"shipped features, l2={l2:g}, class-balanced={bal!s:<5}{'':<26} dev macro-F1 {r['macro_f1']:.3f}"
                      f"  acc {r['accuracy']:.3f}")
    if args.cv and args.select:  # the ladder again, held out (computed after the choice, for information)
        for name, opts in LADDER:
            cv = cross_validate(recs, {**CONFIG, "options": opts}, folds=args.cv)
            print(f"{name:<70} {cv['folds']}-fold CV macro-F1 {cv['macro_f1']:.3f} (sd {cv['macro_f1_sd']:.3f})")
    elif args.cv:
        cv = cross_validate(recs, CONFIG, folds=args.cv)
        print(f"{cv['folds']}-fold CV on train (held out, folds of whole sentences, seed {SEED}): macro-F1 "
              f"{cv['macro_f1']:.3f} (sd {cv['macro_f1_sd']:.3f} over folds), accuracy {cv['accuracy']:.3f}")
    meta = train(args.train, args.out, CONFIG)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, {meta['features']:,} features, "
          f"{meta['training_targets']:,} targets), sha256 {digest}")
    meta = train_sentence(args.train, NYT, args.sentence_out, SENTENCE_CONFIG)
    digest = hashlib.sha256(args.sentence_out.read_bytes()).hexdigest()
    print(f"wrote {args.sentence_out} ({args.sentence_out.stat().st_size:,} bytes, {meta['features']:,} features, "
          f"{meta['training_targets']:,} targets + {meta['training_nyt_sentences']:,} NYT sentences), sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
