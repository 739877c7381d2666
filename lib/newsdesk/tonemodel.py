"""Tone toward a named target: is a sentence negative, neutral or positive about *this* name?

VADER (``newsdesk.sentiment``) scores the wording of a whole sentence. Here a multinomial
logistic regression, trained by ``benchmarks/train_tone.py`` on NewsMTSC (news sentences, each
labelled with the sentiment toward one named target; MIT licence), reads the words and word pairs
of the sentence with the target masked, the words within a few tokens of the target (left or
right of it), VADER's scores of the sentence and of the clause around the target, negation scope,
and whether the target is quoted or speaks a quote. The learned weights ship in the package
(``newsdesk/data/tone_model.npz``: weights, the feature vocabulary and the training metadata, no
sentences); inference needs only NumPy. Measured figures and limits: ``benchmarks/README.md``.

>>> from newsdesk import tonemodel
>>> tonemodel.target_tone("Critics accused Smith of lying to voters.", "Smith")["label"]
'negative'
>>> import pandas as pd
>>> frame = pd.DataFrame({"sentence": ["Smith won praise for the rescue."], "target": ["Smith"]})
>>> tonemodel.target_tones(frame)["label"].tolist()
['positive']
"""
from __future__ import annotations

import functools
import importlib.resources
import io
import itertools
import json
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from . import resources as R
from .vader import _scores, polarity

__all__ = ["LABELS", "TONE_COLUMNS", "MODEL_FILE", "SENTENCE_MODEL_FILE", "FEATURES", "tokens",
           "find_target", "features", "ToneModel", "to_sparse", "sparse_dot", "softmax", "read_model",
           "write_model", "load_model", "model_digest", "sentence_features", "SentenceScorer",
           "sentence_scorer", "sentence_scores", "target_tone", "target_tones"]

LABELS = ("negative", "neutral", "positive")
TONE_COLUMNS = ["label", "p_negative", "p_neutral", "p_positive", "score"]
MODEL_FILE = "tone_model.npz"
#: The whole-sentence model (no target): what ``sentiment.score_texts`` and the ``sentences`` kind's
#: ``news`` column give. Trained by ``benchmarks/train_tone.py`` as well.
SENTENCE_MODEL_FILE = "sentence_model.npz"
#: The features the shipped model was trained with (the file records its own; this is the default
#: of :func:`features`). ``window`` is the number of tokens read on each side of the target.
FEATURES = {"ngrams": True, "mask_target": True, "vader": True, "window": 4, "clause": True,
            "negation": True, "quotes": True}
_TARGET = "<t>"


# --------------------------------------------------------------------------- features

def tokens(sentence: str) -> list[tuple[str, int, int]]:
    """Lower-cased tokens of the tone model with their character spans (``’`` read as ``'``).

    >>> tokens("Smith didn’t win.")
    [('smith', 0, 5), ("didn't", 6, 12), ('win', 13, 16), ('.', 16, 17)]
    """
    return [(m.group().lower().replace("’", "'"), m.start(), m.end()) for m in R.TONE_TOKEN_RE.finditer(sentence)]


def find_target(sentence: str, target: str | tuple[int, int]) -> tuple[int, int]:
    """The character span of ``target`` in ``sentence``: a ``(start, end)`` pair is checked and
    returned; a string is looked up as a whole word, ignoring case (its first occurrence).

    >>> find_target("The mayor met Ann Lee.", "ann lee")
    (14, 21)
    """
    if isinstance(target, str):
        t = target.strip()
        if not t:
            raise ValueError("the target is empty")
        m = re.search(r"(?<!\w)" + re.escape(t) + r"(?!\w)", sentence, re.IGNORECASE)
        if m is None:
            i = sentence.lower().find(t.lower())
            if i < 0:
                raise ValueError(f"target {target!r} does not occur in the sentence")
            return i, i + len(t)
        return m.start(), m.end()
    try:
        start, end = (int(x) for x in target)
    except (TypeError, ValueError):
        raise TypeError(f"target must be a string or a (start, end) pair, not {target!r}") from None
    if not 0 <= start < end <= len(sentence):
        raise ValueError(f"target span {(start, end)} is outside the sentence (length {len(sentence)})")
    return start, end


def _quote_regions(sentence: str) -> list[tuple[int, int]]:
    """Spans between paired double quote marks (an unclosed quote runs to the end)."""
    marks = [m.start() for m in R.QUOTE_MARK_RE.finditer(sentence)]
    regions = []
    for i in range(0, len(marks), 2):
        regions.append((marks[i], marks[i + 1] if i + 1 < len(marks) else len(sentence)))
    return regions


def features(sentence: str, span: tuple[int, int], *, options: Mapping | None = None) -> dict[str, float]:
    """The model's features of one (sentence, target span): feature name -> value.

    >>> f = features("Critics accused Smith of lying.", (16, 21))
    >>> f["l1:accused"], f["r1:of"], "b:accused <t>" in f
    (1.0, 1.0, True)
    """
    o = {**FEATURES, **(options or {})}
    toks = tokens(sentence)
    start, end = span
    f: dict[str, float] = {"bias": 1.0}
    if not toks:
        return f
    tgt = [i for i, (_, s, e) in enumerate(toks) if s < end and e > start]
    if not tgt:  # a span between tokens: the nearest token after it (else the last)
        tgt = [next((i for i, (_, s, _e) in enumerate(toks) if s >= start), len(toks) - 1)]
    first, last = tgt[0], tgt[-1]
    # the token sequence with the target as one placeholder token
    if o["mask_target"]:
        seq = [w for w, _, _ in toks[:first]] + [_TARGET] + [w for w, _, _ in toks[last + 1:]]
        pos = first
    else:
        seq = [w for w, _, _ in toks]
        pos = first
    if o["ngrams"]:
        for w in seq:
            f["u:" + w] = 1.0
        for a, b in zip(seq, seq[1:]):
            f["b:" + a + " " + b] = 1.0
    if o["negation"]:
        scope = False
        for i, w in enumerate(seq):
            if w in R.TONE_SCOPE_END:
                scope = False
            elif w in R.TONE_NEGATIONS or w.endswith("n't"):
                scope = True
            elif scope:
                f["n:" + w] = 1.0
                if i == pos:
                    f["t:negated"] = 1.0
    k = int(o["window"])
    if k:
        tpos = pos if o["mask_target"] else last
        left = seq[max(0, pos - k):pos]
        right = seq[tpos + 1:tpos + 1 + k]
        for w in left:
            f["l:" + w] = 1.0
        for w in right:
            f["r:" + w] = 1.0
        if left:
            f["l1:" + left[-1]] = 1.0
        if right:
            f["r1:" + right[0]] = 1.0
        lo, hi = max(0, first - k), min(len(toks), last + 1 + k)
        w_text = sentence[toks[lo][1]:toks[hi - 1][2]]
        f["w:compound"] = polarity(w_text)["compound"]
    if o["vader"]:
        p = polarity(sentence)
        f["v:compound"], f["v:pos"], f["v:neg"], f["v:neu"] = p["compound"], p["pos"], p["neg"], p["neu"]
    if o["clause"]:
        a = first
        while a > 0 and toks[a - 1][0] not in R.TONE_CLAUSE_MARKS and toks[a - 1][0] not in R.TONE_CLAUSE_WORDS:
            a -= 1
        b = last
        while b < len(toks) - 1 and toks[b + 1][0] not in R.TONE_CLAUSE_MARKS and toks[b + 1][0] not in R.TONE_CLAUSE_WORDS:
            b += 1
        p = polarity(sentence[toks[a][1]:toks[b][2]])
        f["c:compound"], f["c:pos"], f["c:neg"] = p["compound"], p["pos"], p["neg"]
        f["c:share"] = (b - a + 1) / len(toks)
    if o["quotes"]:
        regions = _quote_regions(sentence)
        if regions:
            f["q:any"] = 1.0
            inside = any(s <= start and end <= e + 1 for s, e in regions)
            quoted = " ".join(sentence[s + 1:e] for s, e in regions)
            qc = polarity(quoted)["compound"] if quoted.strip() else 0.0
            f["q:compound"] = qc
            if inside:
                f["q:inside"] = 1.0
                f["q:inside*compound"] = qc
            else:
                near = [w for w, _, _ in toks[max(0, first - 3):first] + toks[last + 1:last + 4]]
                if any(w in R.TONE_SPEECH_WORDS for w in near):
                    f["q:speaker"] = 1.0
                    f["q:speaker*compound"] = qc
        else:
            after = [w for w, _, _ in toks[last + 1:last + 4]]
            if any(w in R.TONE_SPEECH_WORDS for w in after):
                f["q:says"] = 1.0
    return f


# --------------------------------------------------------------------------- the model

@dataclass(frozen=True)
class ToneModel:
    """Learned weights: ``weights[j]`` holds the three class weights of feature ``vocab[j]``."""

    vocab: tuple[str, ...]
    weights: np.ndarray  # (n_features, 3), float32
    bias: np.ndarray  # (3,)
    options: dict
    meta: dict

    @functools.cached_property
    def index(self) -> dict[str, int]:
        return {w: i for i, w in enumerate(self.vocab)}

    def logits(self, feats: Iterable[Mapping[str, float]]) -> np.ndarray:
        """Class scores of feature dicts, ``(n, 3)``; features outside the vocabulary are ignored."""
        feats = list(feats)
        rows, cols, vals = to_sparse(feats, self.index)
        return sparse_dot(rows, cols, vals, self.weights.astype(float), len(feats)) + self.bias

    def predict_proba(self, feats: Iterable[Mapping[str, float]]) -> np.ndarray:
        return softmax(self.logits(feats))


def to_sparse(feats: Iterable[Mapping[str, float]], index: Mapping[str, int]):
    """Feature dicts as (row, column, value) arrays, keeping only the names in ``index``."""
    rows, cols, vals = [], [], []
    for r, fd in enumerate(feats):
        for name, v in fd.items():
            j = index.get(name)
            if j is not None and v:
                rows.append(r)
                cols.append(j)
                vals.append(v)
    return (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), np.asarray(vals, dtype=float))


def sparse_dot(rows, cols, vals, weights: np.ndarray, n: int) -> np.ndarray:
    """``X @ weights`` for a sparse ``X`` given as (row, column, value) arrays (NumPy only)."""
    out = np.zeros((n, weights.shape[1]))
    for c in range(weights.shape[1]):
        out[:, c] = np.bincount(rows, weights=vals * weights[cols, c], minlength=n)
    return out


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _member(z: zipfile.ZipFile, name: str) -> np.ndarray:
    with z.open(name + ".npy") as fh:
        return np.lib.format.read_array(io.BytesIO(fh.read()), allow_pickle=False)


def read_model(path: str | Path) -> ToneModel:
    """A model file written by :func:`write_model` (no pickles are read)."""
    with zipfile.ZipFile(path) as z:
        vocab = bytes(_member(z, "vocab")).decode("utf-8").split("\n")
        weights = _member(z, "weights")
        bias = _member(z, "bias").astype(float)
        options = json.loads(bytes(_member(z, "options")).decode("utf-8"))
        meta = json.loads(bytes(_member(z, "meta")).decode("utf-8"))
    if weights.shape != (len(vocab), len(LABELS)):
        raise ValueError(f"{path}: {weights.shape[0]} weight rows for {len(vocab)} features")
    return ToneModel(tuple(vocab), weights, bias, options, meta)


def write_model(path: str | Path, *, vocab: list[str], weights: np.ndarray, bias: np.ndarray,
                options: Mapping, meta: Mapping) -> None:
    """Write a model as an ``.npz`` NumPy can read, byte for byte the same for the same inputs
    (fixed member dates and order), atomically."""
    from .atomic import atomic_write_bytes

    def text(s: str) -> np.ndarray:
        return np.frombuffer(s.encode("utf-8"), dtype=np.uint8)

    if any("\n" in w for w in vocab):
        raise ValueError("a feature name holds a line break")
    members = {
        "vocab": text("\n".join(vocab)),
        "weights": np.ascontiguousarray(weights, dtype=np.float32),
        "bias": np.ascontiguousarray(bias, dtype=np.float64),
        "options": text(json.dumps(dict(options), sort_keys=True)),
        "meta": text(json.dumps(dict(meta), sort_keys=True, ensure_ascii=False)),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, arr in members.items():
            b = io.BytesIO()
            np.lib.format.write_array(b, arr, allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, b.getvalue(), compresslevel=9)
    atomic_write_bytes(path, buf.getvalue())


@functools.lru_cache(maxsize=4)
def load_model(path: str | None = None, *, name: str = MODEL_FILE) -> ToneModel:
    """The shipped model ``name`` (``newsdesk/data/tone_model.npz``, or :data:`SENTENCE_MODEL_FILE`),
    or the one at ``path``; read once.

    >>> load_model().meta["training_data"]
    'NewsMTSC (newsmtsc-train.jsonl)'
    """
    if path is not None:
        return read_model(path)
    res = importlib.resources.files("newsdesk") / "data" / name
    with importlib.resources.as_file(res) as p:
        return read_model(p)


def model_digest(name: str = SENTENCE_MODEL_FILE) -> str:
    """SHA-256 of a shipped model file (the ``sentences`` kind's version includes it)."""
    import hashlib

    return hashlib.sha256((importlib.resources.files("newsdesk") / "data" / name).read_bytes()).hexdigest()


# --------------------------------------------------------------------------- the whole-sentence model

def sentence_features(sentence: str, *, vader: tuple[float, float, float, float] | None = None) -> dict[str, float]:
    """Features of the whole-sentence model: each lower-cased word once (``u:``) and VADER's
    scores of the sentence (``vader``: its ``(neg, neu, pos, compound)`` when already computed).

    >>> f = sentence_features("Critics attacked the plan.")
    >>> f["u:attacked"], f["v:compound"]
    (1.0, -0.6369)
    """
    f: dict[str, float] = {"bias": 1.0}
    for w in _sentence_words(sentence):
        f["u:" + w] = 1.0
    neg, neu, pos, c = vader if vader is not None else _scores(sentence)
    f["v:compound"], f["v:pos"], f["v:neg"], f["v:neu"] = c, pos, neg, neu
    return f


_words = R.TONE_WORD_RE.findall
#: The model's words of each white-space token met (:func:`_token_words`), up to 200,000 tokens
#: (about 200 bytes each: 40 MB at most per process).
_TOKEN_WORDS: dict[str, tuple[str, ...]] = {}


def _token_words(tok: str) -> tuple[str, ...]:
    """The whole-sentence model's words of one white-space token: lower-cased, ``’`` read as ``'``.
    No word spans white space, and a token lower-cases alone as it does in its sentence (no white
    space is cased or case-ignorable, so even a final sigma comes out the same), so a sentence's
    words are its tokens' words in order.

    >>> _token_words("“Didn’t")
    ("didn't",)
    """
    low = tok.lower()
    if "’" in low:  # (the regex takes both apostrophes alike)
        low = low.replace("’", "'")
    words = tuple(_words(low))
    if len(_TOKEN_WORDS) < 200_000:
        _TOKEN_WORDS[tok] = words
    return words


def _sentence_words(sentence: str, *, tokens: list[str] | None = None) -> dict[str, None]:
    """The whole-sentence model's words of ``sentence``, each once, in the order they first occur
    (``tokens``: its ``sentence.split()``, when the caller has it), from :func:`_token_words`.

    >>> list(_sentence_words("No, no: Critics didn’t."))
    ['no', 'critics', "didn't"]
    """
    toks = sentence.split() if tokens is None else tokens
    parts = list(map(_TOKEN_WORDS.get, toks))
    if None in parts:
        parts = [w if w is not None else _token_words(t) for w, t in zip(parts, toks)]
    return dict.fromkeys(itertools.chain.from_iterable(parts))


class SentenceScorer:
    """The whole-sentence model's score of one sentence, ``(p_positive - p_negative + w * compound)
    / (1 + w)`` with ``w`` the model's ``vader_weight`` (its probabilities' difference, blended with
    VADER's compound, which keeps the intensity a three-class model flattens), fast: the
    class weights are read as differences from the neutral class, held as one complex number per
    word (negative side real, positive side imaginary), so a sentence costs a cached look-up per
    white-space token (:func:`_sentence_words`) and one dict lookup per distinct word, summed in C. Words are summed in the order of their first
    occurrence, so a sentence scores the same bits in every process."""

    def __init__(self, model: ToneModel):
        W = model.weights.astype(float)
        dn, dp = W[:, 0] - W[:, 1], W[:, 2] - W[:, 1]
        self.words: dict[str, complex] = {}
        dense = {}
        for j, name in enumerate(model.vocab):
            if name.startswith("u:"):
                self.words[name[2:]] = complex(float(dn[j]), float(dp[j]))
            else:
                dense[name] = (float(dn[j]), float(dp[j]))
        b = model.bias
        zero = (0.0, 0.0)
        self.bn = float(b[0] - b[1]) + dense.get("bias", zero)[0]
        self.bp = float(b[2] - b[1]) + dense.get("bias", zero)[1]
        # (neg, neu, pos, compound) -> the v: features' weights, in that order
        order = ("v:neg", "v:neu", "v:pos", "v:compound")
        self.vn = tuple(dense.get(k, zero)[0] for k in order)
        self.vp = tuple(dense.get(k, zero)[1] for k in order)
        self.w = float(model.options.get("vader_weight", 0.0))

    def score(self, sentence: str, vader: tuple[float, float, float, float], *,
              tokens: list[str] | None = None) -> float:
        """The score of ``sentence``, -1 to +1, given VADER's ``(neg, neu, pos, compound)`` of it
        (and ``tokens``, its ``sentence.split()``, when the caller has it)."""
        words = _sentence_words(sentence, tokens=tokens)
        neg, neu, pos, comp = vader
        vn, vp = self.vn, self.vp
        # the default of each dict lookup is 0j (map stops at the words' end)
        z = sum(map(self.words.get, words, itertools.repeat(0j)), 0j)
        zn = self.bn + z.real + vn[0] * neg + vn[1] * neu + vn[2] * pos + vn[3] * comp
        zp = self.bp + z.imag + vp[0] * neg + vp[1] * neu + vp[2] * pos + vp[3] * comp
        m = max(zn, zp, 0.0)
        en, ep, e0 = math.exp(zn - m), math.exp(zp - m), math.exp(-m)
        return ((ep - en) / (en + ep + e0) + self.w * vader[3]) / (1.0 + self.w)


@functools.lru_cache(maxsize=1)
def sentence_scorer() -> SentenceScorer:
    """The :class:`SentenceScorer` of the shipped whole-sentence model (read once)."""
    return SentenceScorer(load_model(name=SENTENCE_MODEL_FILE))


def sentence_scores(texts: Iterable[str]) -> np.ndarray:
    """The whole-sentence model's score (:class:`SentenceScorer`), -1 to +1, of each text; NaN for a
    missing one.

    >>> sentence_scores(["The rescue was a triumph.", None])[0] > 0
    np.True_
    """
    sc = sentence_scorer()
    out = []
    for t in texts:
        if _missing(t):
            out.append(np.nan)
        elif not isinstance(t, str):
            raise TypeError(f"sentence_scores() takes strings, got {type(t).__name__}: {t!r}")
        else:
            out.append(sc.score(t, _scores(t)))
    return np.asarray(out, dtype=float)


# --------------------------------------------------------------------------- the API

def _result(p: np.ndarray) -> dict:
    return {"label": LABELS[int(np.argmax(p))], "p_negative": float(p[0]), "p_neutral": float(p[1]),
            "p_positive": float(p[2]), "score": float(p[2] - p[0])}


def target_tone(sentence: str, target: str | tuple[int, int], *, model: ToneModel | None = None) -> dict:
    """The tone of ``sentence`` toward ``target`` (a name in it, or its ``(start, end)`` span):
    ``label`` (``negative``/``neutral``/``positive``), the three probabilities and ``score`` =
    ``p_positive - p_negative`` in [-1, 1].

    >>> r = target_tone("Smith praised the volunteers, but critics attacked Jones.", "Jones")
    >>> r["label"], r["p_negative"] > r["p_positive"]
    ('negative', True)
    """
    if not isinstance(sentence, str):
        raise TypeError(f"sentence must be a string, not {type(sentence).__name__}")
    m = model or load_model()
    span = find_target(sentence, target)
    return _result(m.predict_proba([features(sentence, span, options=m.options)])[0])


def _missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and np.isnan(x))


def target_tones(frame: pd.DataFrame, *, sentence: str = "sentence", target: str = "target",
                 model: ToneModel | None = None) -> pd.DataFrame:
    """:func:`target_tone` of every row of ``frame`` (columns ``sentence`` and ``target``; a target
    is a name or a ``(start, end)`` span), scored in one pass. Same index as ``frame``; a row with a
    missing sentence or target gets a missing label and NaN figures. A target that does not occur in
    its sentence raises ``ValueError``.

    >>> df = pd.DataFrame({"sentence": ["Lee was praised.", None], "target": ["Lee", "Lee"]})
    >>> target_tones(df).columns.tolist()
    ['label', 'p_negative', 'p_neutral', 'p_positive', 'score']
    """
    for c in (sentence, target):
        if c not in frame.columns:
            raise KeyError(f"target_tones needs a {c!r} column; the frame has {list(frame.columns)}")
    m = model or load_model()
    ok, feats = [], []
    for i, (s, t) in enumerate(zip(frame[sentence], frame[target])):
        if _missing(s) or (not isinstance(t, tuple) and _missing(t)):
            continue
        if not isinstance(s, str):
            raise TypeError(f"row {i}: sentence must be a string, not {type(s).__name__}")
        try:
            span = find_target(s, tuple(t) if isinstance(t, (list, np.ndarray)) else t)
        except ValueError as e:
            raise ValueError(f"row {i}: {e}") from None
        ok.append(i)
        feats.append(features(s, span, options=m.options))
    probs = np.full((len(frame), 3), np.nan)
    if feats:
        probs[ok] = m.predict_proba(feats)
    labels = pd.Series(pd.NA, index=frame.index, dtype="string")
    if ok:
        labels.iloc[ok] = [LABELS[j] for j in np.argmax(probs[ok], axis=1)]
    return pd.DataFrame({"label": labels, "p_negative": probs[:, 0], "p_neutral": probs[:, 1],
                         "p_positive": probs[:, 2], "score": probs[:, 2] - probs[:, 0]}, index=frame.index)
