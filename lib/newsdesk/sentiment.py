"""Tone of news text: the scores of sentences (the ``sentences`` annotator) and of short texts.

The unit is the **sentence**. VADER's compound score of a whole article saturates towards ±1
(vaderSentiment issue #151), so an article's tone is the *mean of its sentence scores*
(:mod:`newsdesk.tone`), never the compound of the whole text. The headline is scored on its own
and kept apart from the body; the title line repeated at the top of the body and the closing wire
line are not scored (see :func:`newsdesk.corpus.text`).

Scores are exactly those of vaderSentiment 3.3.2 (``polarity_scores(s)["compound"]``), from the
faithful re-implementation in :mod:`newsdesk.vader`. Measured agreement with human raters (NYT editorial
sentences, ``benchmarks/sentiment_nyt.py``): Pearson r = 0.496 against a human-to-human ceiling
of about 0.71, so one sentence's score is noisy; compare *means over many sentences*, and read
the confidence intervals every aggregate in :mod:`newsdesk.tone` reports.

>>> import newsdesk as nd
>>> from newsdesk import sentiment
>>> sentiment.score_texts(["The talks were constructive.", "The attack killed 12 people."])
array([ 0.    , -0.8225])
>>> articles = nd.load_corpus("data/sample")                    # doctest: +SKIP
>>> sentiment.sentences(articles)                               # doctest: +SKIP
"""
from __future__ import annotations

import importlib.metadata
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from . import store
from . import text as _text
from .text import split_sentences
from .tonemodel import target_tones
from .vader import _scores, compounds

__all__ = ["THRESHOLD", "SENTENCE_COLUMNS", "VERSION", "score_texts", "target_scores", "label", "annotate",
           "sentences"]

#: Compound scores at or above this are *positive*, at or below its negative *negative*
#: (VADER's own convention, used by the benchmark too).
THRESHOLD = 0.05

SENTENCE_COLUMNS = ["article_id", "idx", "headline", "start", "end", "compound", "pos", "neu", "neg", "label"]
"""Columns of the ``sentences`` annotation: one row per sentence. ``idx`` is the sentence's
position in the body (0, 1, ...) and -1 for the headline; ``start``/``end`` are offsets into
``body`` (missing for the headline, which comes from the ``title`` column)."""


def score_texts(texts: Iterable[str], *, reference: bool = False) -> np.ndarray:
    """Compound scores in [-1, 1] of short texts (sentences, headlines, quotes), VADER's
    (:func:`newsdesk.vader.compounds`). Missing values (``None``/NaN) score NaN.
    ``reference=True`` uses vaderSentiment itself.

    >>> score_texts(["A great success.", "", None]).tolist()
    [0.8316, 0.0, nan]
    """
    return compounds(texts, reference=reference)


def label(compound, *, threshold: float = THRESHOLD):
    """``positive``/``neutral``/``negative`` for a score or an array of scores (±``threshold``).

    >>> label(0.3), label(-0.05), label(0.01)
    ('positive', 'negative', 'neutral')
    """
    c = np.asarray(compound, dtype=float)
    out = np.where(c >= threshold, "positive", np.where(c <= -threshold, "negative", "neutral"))
    out = np.where(np.isnan(c), None, out)
    return out.item() if out.ndim == 0 else out


def target_scores(texts: Sequence[str], spans: Sequence[tuple[int, int] | None]) -> np.ndarray:
    """Tone toward the ``(start, end)`` character span of each text, by the shipped news-tone
    model (:mod:`newsdesk.tonemodel`): ``p_positive - p_negative``, -1 to +1; NaN where a text or
    span is missing.

    >>> target_scores(["Smith praised the volunteers, but critics attacked Jones."], [(51, 56)]).round(2) < 0
    array([ True])
    """
    frame = pd.DataFrame({"sentence": list(texts), "target": list(spans)})
    return target_tones(frame)["score"].to_numpy(dtype="float64")


# --------------------------------------------------------------------------- the annotator
def _empty_sentences() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": pd.Series(dtype="str"), "idx": pd.Series(dtype="int64"),
        "headline": pd.Series(dtype="bool"), "start": pd.Series(dtype="Int64"),
        "end": pd.Series(dtype="Int64"), "compound": pd.Series(dtype="float64"),
        "pos": pd.Series(dtype="float64"), "neu": pd.Series(dtype="float64"),
        "neg": pd.Series(dtype="float64"), "label": pd.Series(dtype="str"),
    })


def annotate(articles: pd.DataFrame) -> pd.DataFrame:
    """Score every sentence of each article: the headline (``idx`` -1, ``headline`` True) and
    the sentences of the clean text (offsets into ``body``). Columns: :data:`SENTENCE_COLUMNS`.

    The repeated title line and the wire line are outside the clean text, so never scored.
    """
    missing = {"article_id", "title", "body", "text_offset", "text_length"} - set(articles.columns)
    if missing:
        raise ValueError(f"annotate() needs an articles frame from load_corpus(); missing {sorted(missing)}")
    rows: list[tuple] = []  # (article_id, idx, headline, start, end, neg, neu, pos, compound)
    append = rows.append
    for aid, title, body, off, length in zip(articles["article_id"], articles["title"], articles["body"],
                                             articles["text_offset"], articles["text_length"]):
        if isinstance(title, str) and title.strip():
            append((aid, -1, True, None, None, *_scores(" ".join(title.split()))))
        if not isinstance(body, str):
            continue
        off = int(off)
        clean = body[off:off + int(length)]
        for i, (s, e) in enumerate(split_sentences(clean)):
            append((aid, i, False, off + s, off + e, *_scores(clean[s:e])))
    if not rows:
        return _empty_sentences()
    ids, idxs, heads, starts, ends, neg, neu, pos, comp = zip(*rows)
    df = pd.DataFrame({
        "article_id": pd.Series(ids, dtype="str"), "idx": np.asarray(idxs, dtype="int64"),
        "headline": np.asarray(heads, dtype=bool),
        "start": pd.array(starts, dtype="Int64"), "end": pd.array(ends, dtype="Int64"),
        "compound": np.asarray(comp, dtype=float), "pos": np.asarray(pos, dtype=float),
        "neu": np.asarray(neu, dtype=float), "neg": np.asarray(neg, dtype=float),
    })
    df["label"] = pd.Series(label(df["compound"].to_numpy()), dtype="str")
    return df


def _vader_version() -> str:
    try:
        return "vaderSentiment " + importlib.metadata.version("vaderSentiment")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "vaderSentiment missing"


#: What :func:`annotate` reads, and so what its store version hashes (checked against what it
#: reaches by tests/test_store_versions.py): the VADER rules and lexicon, the sentence splitter,
#: and the text helpers that compute the clean-text span (``text_offset``/``text_length``) the
#: loader gives it. The charts and aggregates below are not part of it.
INPUTS = store.Inputs(
    functions={
        "sentiment": "annotate _empty_sentences label",
        "vader": "_scores _token_info _valence _idioms _negated1 _but_check _replace_emojis",
        "text": """split_sentences _is_boundary _strip_span _agency _content_span_lines _exotic_breaks
                   _first_line _last_line _lines_with_offsets _norm_title _tidy span_and_agency
                   wire_agency""",
    },
    values={
        "vader": """LEXICON _BOOSTER _C_INCR _EMOJIS _EMOJI_CHARS _EMPTY _IDIOM_WORDS _NEGATE _NEUTRAL
                    _N_SCALAR _PRE_WORDS _PUNCT _SPECIAL_CASES""",
        "resources": """ABBREV_BEFORE_NUMBER ABBREV_MAYBE_FINAL ABBREV_NEVER_FINAL ACRONYM_RE
                        AGENCY_CANONICAL AGENCY_MISSING ASCII_EXOTIC_BREAKS EXOTIC_BREAKS LINE_END_RE
                        LINE_FINAL_PUNCT OPENING_PUNCT SENTENCE_END_RE SENTENCE_OPENERS TOKEN_TAIL_RE
                        WIRE_LINE_RE""",
        "text": "_NON_SPACE_RE _NON_WORD_RE _WORD_CHAR_RE",
    },
    caches={"vader": "_TOKENS"},
    extra=(_vader_version(),),
)


def _version() -> str:
    return INPUTS.version()


VERSION = store.register("sentences", annotate, inputs=INPUTS, columns=SENTENCE_COLUMNS[1:]).version


def sentences(articles: pd.DataFrame, *, cache: bool = True, text: bool = True) -> pd.DataFrame:
    """One row per scored sentence (see :data:`SENTENCE_COLUMNS`), from the annotation store.

    ``text=True`` adds the sentence text (the headline's is the title).

    >>> sents = sentences(articles)                                      # doctest: +SKIP
    >>> sents[~sents.headline].nsmallest(3, "compound")[["text", "compound"]]   # doctest: +SKIP
    """
    df = store.get(articles, "sentences", cache=cache) if len(articles) else _empty_sentences()
    if df.empty:
        df = _empty_sentences()
    df = df.sort_values(["article_id", "idx"], kind="stable").reset_index(drop=True)
    if text:
        df["text"] = _sentence_text(articles, df)
    return df


def _sentence_text(articles: pd.DataFrame, sents: pd.DataFrame) -> pd.Series:
    if not len(sents):
        return pd.Series([], dtype="str")
    ids = articles["article_id"]
    first = ~ids.duplicated().to_numpy()
    where = np.flatnonzero(first)
    pos = pd.Index(ids.to_numpy()[first]).get_indexer(sents["article_id"])   # -1: an unknown article
    rows = np.where(pos >= 0, where[np.maximum(pos, 0)], -1)
    heads = sents["headline"].to_numpy(dtype=bool)
    starts = sents["start"].to_numpy(dtype="int64", na_value=0)
    ends = sents["end"].to_numpy(dtype="int64", na_value=0)
    try:
        # the body sentences cut from the bodies' UTF-8 by Arrow, with no Python string per sentence
        import pyarrow as pa
        import pyarrow.compute as pc

        body = _text.slices(pa.array(articles["body"], from_pandas=True), np.where(heads, -1, rows), starts, ends)
        if heads.any():
            titles = [" ".join(t.split()) if isinstance(t, str) else None
                      for t in articles["title"].to_numpy(dtype=object)[where]] + [None]
            head = pa.array(titles, pa.large_string()).take(pa.array(np.where(heads & (pos >= 0), pos, len(titles) - 1)))
            body = pc.if_else(pa.array(heads), head, body)
        col = body.to_pandas()
        col.index = sents.index
        return col
    except (pa.ArrowException, UnicodeError, TypeError, ValueError):
        return _sentence_text_slicing(articles, sents)   # e.g. text Arrow cannot hold


def _sentence_text_slicing(articles: pd.DataFrame, sents: pd.DataFrame) -> pd.Series:
    """:func:`_sentence_text` in Python: each body a string, sliced per sentence."""
    a = articles.drop_duplicates("article_id")
    pos = pd.Index(a["article_id"]).get_indexer(sents["article_id"])
    bodies = list(a["body"].to_numpy(dtype=object)) + [None]    # position -1: an unknown article
    titles = [" ".join(t.split()) if isinstance(t, str) else None for t in a["title"].to_numpy(dtype=object)]
    titles.append(None)
    heads = sents["headline"].to_numpy(dtype=bool)
    starts = sents["start"].to_numpy(dtype="int64", na_value=0)
    ends = sents["end"].to_numpy(dtype="int64", na_value=0)
    out = []
    append = out.append
    for p, h, s, e in zip(pos.tolist(), heads.tolist(), starts.tolist(), ends.tolist()):
        if h:
            append(titles[p])
        else:
            b = bodies[p]
            append(b[s:e] if isinstance(b, str) else None)
    return pd.Series(out, index=sents.index, dtype="str")
