"""Tone of news text: VADER scores per sentence, and aggregates a reporter can publish.

The unit is the **sentence**. VADER's compound score of a whole article saturates towards ±1
(vaderSentiment issue #151), so an article's tone here is the *mean of its sentence scores*,
never the compound of the whole text. The headline is scored on its own and kept apart from
the body; the title line repeated at the top of the body and the closing wire line are not
scored (see :func:`newsdesk.corpus.text`).

Scores are exactly those of vaderSentiment 3.3.2 (``polarity_scores(s)["compound"]``), from a
faithful re-implementation that is two to three times faster (it lower-cases a sentence once
instead of once per scored word, caches token work and skips rules that cannot apply). Measured agreement with human raters (NYT editorial
sentences, ``benchmarks/sentiment_nyt.py``): Pearson r = 0.496 against a human-to-human ceiling
of about 0.71, so one sentence's score is noisy; compare *means over many sentences*, and read
the confidence intervals every aggregate here reports.

>>> import newsdesk as nd
>>> from newsdesk import sentiment
>>> sentiment.score_texts(["The talks were constructive.", "The attack killed 12 people."])
array([ 0.    , -0.8225])
>>> articles = nd.load_corpus("data/sample")                    # doctest: +SKIP
>>> tone = sentiment.article_tone(articles)                    # doctest: +SKIP
>>> sentiment.tone_by(tone, "section")                          # doctest: +SKIP
"""
from __future__ import annotations

import importlib.metadata
import importlib.resources
import math
import operator
import string
from itertools import compress
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from . import config, store
from . import text as _text
from .config import FREQ_ALIASES
from .search import TextIndex
from .text import parse_terms, split_sentences, term_pattern

#: Compound scores at or above this are *positive*, at or below its negative *negative*
#: (VADER's own convention, used by the benchmark too).
THRESHOLD = 0.05

SENTENCE_COLUMNS = ["article_id", "idx", "headline", "start", "end", "compound", "pos", "neu", "neg", "label"]
"""Columns of the ``sentences`` annotation: one row per sentence. ``idx`` is the sentence's
position in the body (0, 1, ...) and -1 for the headline; ``start``/``end`` are offsets into
``body`` (missing for the headline, which comes from the ``title`` column)."""

# --------------------------------------------------------------------------- the lexicon
# We read the lexicon shipped inside the vaderSentiment wheel (importlib.resources, no network)
# rather than NLTK's copy: ``nltk.download('vader_lexicon')`` needs the network, which user
# machines and CI may not have, and nltk 3.10's data loader refuses arbitrary file paths, so it
# cannot be pointed at the wheel's file. NLTK's VADER port also differs from vaderSentiment 3.3.2
# in its rules (no emoji descriptions; a different "but" rule), and 3.3.2 is the version whose
# agreement with human raters is published and measured in ``benchmarks/sentiment_nyt.py``. The rules are re-implemented below (same arithmetic, in the same
# order, so scores are identical) because vaderSentiment recomputes a lower-cased copy of the
# sentence for every word and runs a per-character emoji pass on every call.
_VADER_PKG = "vaderSentiment"


def _read_pkg_text(name: str) -> str:
    try:
        return (importlib.resources.files(_VADER_PKG) / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:  # pragma: no cover - broken install
        raise RuntimeError(
            f"the VADER lexicon {name} was not found in the {_VADER_PKG} package ({exc}); "
            "reinstall it: pip install vaderSentiment==3.3.2"
        ) from None


def _load_lexicon() -> dict[str, float]:
    # the parsing of vaderSentiment's make_lex_dict, line for line
    lex: dict[str, float] = {}
    for line in _read_pkg_text("vader_lexicon.txt").rstrip("\n").split("\n"):
        if not line:
            continue
        word, measure = line.strip().split("\t")[0:2]
        lex[word] = float(measure)
    return lex


def _load_emojis() -> dict[str, str]:
    emojis: dict[str, str] = {}
    for line in _read_pkg_text("emoji_utf8_lexicon.txt").rstrip("\n").split("\n"):
        emoji, description = line.strip().split("\t")[0:2]
        emojis[emoji] = description
    return emojis


LEXICON: dict[str, float] = _load_lexicon()
_EMOJIS: dict[str, str] = _load_emojis()
# vaderSentiment replaces a character by its description only when that single character is a
# key, so only one-character keys can ever apply.
# (a set test: a regex character class of 1,200 astral characters is slow in ``re``)
_EMOJI_CHARS = frozenset(k for k in _EMOJIS if len(k) == 1)

# vaderSentiment 3.3.2 constants (vaderSentiment/vaderSentiment.py)
_B_INCR = 0.293
_B_DECR = -0.293
_C_INCR = 0.733
_N_SCALAR = -0.74
_NEGATE = frozenset([
    "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
    "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
    "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
    "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
    "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
    "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
    "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
    "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite"])
_BOOSTER = {w: _B_INCR for w in (
    "absolutely amazingly awfully completely considerable considerably decidedly deeply effing "
    "enormous enormously entirely especially exceptional exceptionally extreme extremely "
    "fabulously flipping flippin frackin fracking fricking frickin frigging friggin fully "
    "fuckin fucking fuggin fugging greatly hella highly hugely incredible incredibly intensely "
    "major majorly more most particularly purely quite really remarkably so substantially "
    "thoroughly total totally tremendous tremendously uber unbelievably unusually utter utterly "
    "very").split()}
_BOOSTER.update({w: _B_DECR for w in (
    "almost barely hardly kinda kindof kind-of less little marginal marginally occasional "
    "occasionally partly scarce scarcely slight slightly somewhat sorta sortof sort-of").split()})
_BOOSTER.update({"just enough": _B_DECR, "kind of": _B_DECR, "sort of": _B_DECR})
_SPECIAL_CASES = {"the shit": 3, "the bomb": 3, "bad ass": 1.5, "badass": 1.5, "bus stop": 0.0,
                  "yeah right": -2, "kiss of death": -1.5, "to die for": 3, "beating heart": 3.5}
# An idiom or a multi-word booster can change a valence only when all its words are there, so the
# idiom check runs only when one of its less common words (not "the", "of", "to", "for") is near.
_COMMON = frozenset(["the", "of", "to", "for"])
_IDIOM_WORDS = frozenset(w for k in list(_SPECIAL_CASES) + list(_BOOSTER) if " " in k
                         for w in k.split() if w not in _COMMON)
assert all(set(k.split()) - _COMMON for k in list(_SPECIAL_CASES) + list(_BOOSTER) if " " in k)
# Words that can change the valence of a lexicon word up to three words later: boosters, negations,
# "no", "this" (``so``/``this`` + word) and "least". A lexicon word with none of these in the three
# words before it, no idiom word near it, not "no" itself and not emphasised in capitals keeps its
# lexicon valence: vaderSentiment's rules all leave it unchanged, so it is taken without them.
_PRE_WORDS = frozenset(_BOOSTER) | _NEGATE | frozenset(["no", "this", "least"])
_PUNCT = string.punctuation


_TOKENS: dict[str, tuple[str, bool, bool, int]] = {}


_LOWER, _UPPER, _SCORED, _FLAGS = (operator.itemgetter(k) for k in range(4))


def _token_info(tok: str) -> tuple[str, bool, bool, int]:
    """``(lower, isupper, scored, flags)`` of a white-space token, as vaderSentiment's SentiText
    makes it (punctuation stripped unless that leaves two characters or fewer). ``scored``: the
    word is in the lexicon and not a booster (only such words carry a valence); ``flags``: 1 when
    it may modify a later word (:data:`_PRE_WORDS` or a ``n't`` negation), 2 when it is an idiom word."""
    stripped = tok.strip(_PUNCT)
    word = tok if len(stripped) <= 2 else stripped
    lw = word.lower()
    flags = (1 if (lw in _PRE_WORDS or "n't" in lw) else 0) | (2 if lw in _IDIOM_WORDS else 0)
    info = (lw, word.isupper(), lw in LEXICON and lw not in _BOOSTER, flags)
    if len(_TOKENS) < 500_000:
        _TOKENS[tok] = info
    return info


def _negated1(w: str) -> bool:
    return w in _NEGATE or "n't" in w


def _idioms(valence: float, low: list[str], i: int) -> float:
    # vaderSentiment's _special_idioms_check; called only with i >= 3
    n = len(low)
    onezero = f"{low[i - 1]} {low[i]}"
    twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
    twoone = f"{low[i - 2]} {low[i - 1]}"
    threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
    threetwo = f"{low[i - 3]} {low[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in _SPECIAL_CASES:
            valence = _SPECIAL_CASES[seq]
            break
    if n - 1 > i:
        zeroone = f"{low[i]} {low[i + 1]}"
        if zeroone in _SPECIAL_CASES:
            valence = _SPECIAL_CASES[zeroone]
    if n - 1 > i + 1:
        zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
        if zeroonetwo in _SPECIAL_CASES:
            valence = _SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in _BOOSTER:
            valence = valence + _BOOSTER[n_gram]
    return valence


def _valence(i: int, low: list[str], upper: list[bool], cap_diff: bool) -> float:
    # vaderSentiment's sentiment_valence for a word known to be in the lexicon
    lex = LEXICON
    n = len(low)
    lw = low[i]
    valence = lex[lw]
    if lw == "no" and i != n - 1 and low[i + 1] in lex:
        valence = 0.0
    if (i > 0 and low[i - 1] == "no") or (i > 1 and low[i - 2] == "no") \
            or (i > 2 and low[i - 3] == "no" and low[i - 1] in ("or", "nor")):
        valence = lex[lw] * _N_SCALAR
    if upper[i] and cap_diff:
        if valence > 0:
            valence += _C_INCR
        else:
            valence -= _C_INCR
    for start_i in range(0, 3):
        if i > start_i and low[i - (start_i + 1)] not in lex:
            j = i - (start_i + 1)
            # scalar_inc_dec
            s = 0.0
            if low[j] in _BOOSTER:
                s = _BOOSTER[low[j]]
                if valence < 0:
                    s *= -1
                if upper[j] and cap_diff:
                    if valence > 0:
                        s += _C_INCR
                    else:
                        s -= _C_INCR
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
            valence = valence + s
            # _negation_check
            if start_i == 0:
                if _negated1(low[i - 1]):
                    valence = valence * _N_SCALAR
            elif start_i == 1:
                if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
                    valence = valence * 1.25
                elif low[i - 2] == "without" and low[i - 1] == "doubt":
                    pass
                elif _negated1(low[i - 2]):
                    valence = valence * _N_SCALAR
            else:
                if low[i - 3] == "never" and (low[i - 2] == "so" or low[i - 2] == "this") or \
                        (low[i - 1] == "so" or low[i - 1] == "this"):
                    valence = valence * 1.25
                elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
                    pass
                elif _negated1(low[i - 3]):
                    valence = valence * _N_SCALAR
                if not _IDIOM_WORDS.isdisjoint(low[i - 3:i + 3]):
                    valence = _idioms(valence, low, i)
    # _least_check
    if i > 1 and low[i - 1] not in lex and low[i - 1] == "least":
        if low[i - 2] != "at" and low[i - 2] != "very":
            valence = valence * _N_SCALAR
    elif i > 0 and low[i - 1] not in lex and low[i - 1] == "least":
        valence = valence * _N_SCALAR
    return valence


def _but_check(low: list[str], sentiments: list) -> list:
    # vaderSentiment's _but_check, quirks included: it looks each value up with list.index, so a
    # repeated value can be scaled at its first occurrence instead of its own position
    if "but" in low:
        bi = low.index("but")
        for sentiment in sentiments:
            si = sentiments.index(sentiment)
            if si < bi:
                sentiments.pop(si)
                sentiments.insert(si, sentiment * 0.5)
            elif si > bi:
                sentiments.pop(si)
                sentiments.insert(si, sentiment * 1.5)
    return sentiments


def _replace_emojis(text: str) -> str:
    out = []
    prev_space = True
    for ch in text:
        if ch in _EMOJIS:
            if not prev_space:
                out.append(" ")
            out.append(_EMOJIS[ch])
            prev_space = False
        else:
            out.append(ch)
            prev_space = ch == " "
    return "".join(out)


def polarity(text: str) -> dict[str, float]:
    """VADER's scores of one text: ``neg``, ``neu``, ``pos`` and ``compound``, exactly as
    vaderSentiment 3.3.2's ``polarity_scores`` gives them (rounded the same way).

    >>> polarity("The plan is a good one.")
    {'neg': 0.0, 'neu': 0.633, 'pos': 0.367, 'compound': 0.4404}
    """
    if not isinstance(text, str):
        raise TypeError(f"polarity() takes a string, not {type(text).__name__}")
    neg, neu, pos, compound = _scores(text)
    return {"neg": neg, "neu": neu, "pos": pos, "compound": compound}


_EMPTY = (0.0, 0.0, 0.0, 0.0)
_NEUTRAL = (0.0, 1.0, 0.0, 0.0)


def _scores(text: str) -> tuple[float, float, float, float]:
    """``(neg, neu, pos, compound)`` of :func:`polarity`, without building a dict."""
    if not text.isascii() and not _EMOJI_CHARS.isdisjoint(text):
        text = _replace_emojis(text)
    text = text.strip()
    toks = text.split()
    n = len(toks)
    if not n:
        return _EMPTY
    infos = list(map(_TOKENS.get, toks))  # C-level loops (map, itemgetter) keep this fast
    if None in infos:
        infos = [x if x is not None else _token_info(t) for x, t in zip(infos, toks)]
    scored = list(map(_SCORED, infos))
    if True not in scored:  # no lexicon word: every valence is 0
        return _NEUTRAL
    hits = list(compress(range(n), scored))
    low = list(map(_LOWER, infos))
    upper = list(map(_UPPER, infos))
    cap_diff = 0 < n - sum(upper) < n
    # valences of words outside the lexicon, of boosters and of "kind" in "kind of" are 0
    sentiments: list = [0] * n
    flags = list(map(_FLAGS, infos))
    plain = not any(flags)
    lex = LEXICON
    for i in hits:
        lw = low[i]
        if i < n - 1 and lw == "kind" and low[i + 1] == "of":
            continue
        if lw != "no" and not (cap_diff and upper[i]) and (plain or not (
                any(f & 1 for f in flags[max(0, i - 3):i]) or any(f & 2 for f in flags[max(0, i - 3):i + 3]))):
            sentiments[i] = lex[lw]  # no rule applies (see _PRE_WORDS)
        else:
            sentiments[i] = _valence(i, low, upper, cap_diff)
    if "but" in low:
        sentiments = _but_check(low, sentiments)
    # score_valence. Only words in ``hits`` can be non-zero (the "but" check moves values only
    # onto positions holding the same non-zero value), and adding zeros changes no float sum,
    # so summing over ``hits`` in order gives vaderSentiment's sums exactly.
    sum_s = float(sum(sentiments))
    ep = text.count("!")
    if ep > 4:
        ep = 4
    amp = ep * 0.292
    qm = text.count("?")
    qm_amp = 0
    if qm > 1:
        qm_amp = qm * 0.18 if qm <= 3 else 0.96
    amp = amp + qm_amp
    if sum_s > 0:
        sum_s += amp
    elif sum_s < 0:
        sum_s -= amp
    compound = sum_s / math.sqrt((sum_s * sum_s) + 15)
    if compound < -1.0:
        compound = -1.0
    elif compound > 1.0:
        compound = 1.0
    pos_sum = 0.0
    neg_sum = 0.0
    nonzero = 0
    for i in hits:
        s = sentiments[i]
        if s > 0:
            pos_sum += (float(s) + 1)
            nonzero += 1
        elif s < 0:
            neg_sum += (float(s) - 1)
            nonzero += 1
    neu_count = n - nonzero
    if pos_sum > math.fabs(neg_sum):
        pos_sum += amp
    elif pos_sum < math.fabs(neg_sum):
        neg_sum -= amp
    total = pos_sum + math.fabs(neg_sum) + neu_count
    return (round(math.fabs(neg_sum / total), 3), round(math.fabs(neu_count / total), 3),
            round(math.fabs(pos_sum / total), 3), round(compound, 4))


_REFERENCE = None


def reference_polarity(text: str) -> dict[str, float]:
    """vaderSentiment's own ``polarity_scores`` (slow; for parity checks and benchmarks)."""
    global _REFERENCE
    if _REFERENCE is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _REFERENCE = SentimentIntensityAnalyzer()
    return _REFERENCE.polarity_scores(text)


def score_texts(texts: Iterable[str], *, reference: bool = False) -> np.ndarray:
    """Compound scores in [-1, 1] of short texts (sentences, headlines, quotes).

    Missing values (``None``/NaN) score NaN. ``reference=True`` uses vaderSentiment itself.

    >>> score_texts(["A great success.", "", None]).tolist()
    [0.8316, 0.0, nan]
    """
    fn = reference_polarity if reference else polarity
    out = []
    for t in texts:
        if t is None or (isinstance(t, float) and math.isnan(t)) or t is pd.NA:
            out.append(np.nan)
        elif not isinstance(t, str):
            raise TypeError(f"score_texts() takes strings, got {type(t).__name__}: {t!r}")
        else:
            out.append(fn(t)["compound"])
    return np.asarray(out, dtype=float)


def label(compound, *, threshold: float = THRESHOLD):
    """``positive``/``neutral``/``negative`` for a score or an array of scores (±``threshold``).

    >>> label(0.3), label(-0.05), label(0.01)
    ('positive', 'negative', 'neutral')
    """
    c = np.asarray(compound, dtype=float)
    out = np.where(c >= threshold, "positive", np.where(c <= -threshold, "negative", "neutral"))
    out = np.where(np.isnan(c), None, out)
    return out.item() if out.ndim == 0 else out


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
        "sentiment": """annotate _empty_sentences label _scores _token_info _valence _idioms _negated1
                        _but_check _replace_emojis""",
        "text": """split_sentences sentence_breaks _boundaries _is_boundary _strip_span _agency _content_span_lines
                   _exotic_breaks _first_line _last_line _lines_with_offsets _norm_title _tidy span_and_agency
                   wire_agency""",
    },
    values={
        "sentiment": """LEXICON _BOOSTER _C_INCR _EMOJIS _EMOJI_CHARS _EMPTY _IDIOM_WORDS _NEGATE _NEUTRAL
                        _N_SCALAR _PRE_WORDS _PUNCT _SPECIAL_CASES""",
        "resources": """ABBREV_BEFORE_NUMBER ABBREV_MAYBE_FINAL ABBREV_NEVER_FINAL ACRONYM_RE
                        AGENCY_CANONICAL AGENCY_MISSING ASCII_EXOTIC_BREAKS EXOTIC_BREAKS LINE_END_RE
                        LINE_FINAL_PUNCT OPENING_PUNCT SENTENCE_END_RE SENTENCE_OPENERS TOKEN_TAIL_RE
                        WIRE_LINE_RE""",
        "text": "_NON_SPACE_RE _NON_WORD_RE _WORD_CHAR_RE",
    },
    caches={"sentiment": "_TOKENS"},
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


# --------------------------------------------------------------------------- statistics
# two-sided 95% quantiles of Student's t for 1..30 degrees of freedom (then ~normal)
_T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
         2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
         2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def _t975(df: np.ndarray) -> np.ndarray:
    df = np.asarray(df, dtype=float)
    out = np.full(df.shape, np.nan)
    ok = df >= 1
    small = ok & (df <= 30)
    out[small] = np.asarray(_T975)[df[small].astype(int) - 1]
    big = ok & (df > 30)
    # Cornish-Fisher style expansion, within 0.001 of the exact quantile for df > 30
    z = 1.959964
    d = df[big]
    out[big] = z + (z ** 3 + z) / (4 * d) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * d ** 2)
    return out


def _summary(values: pd.Series, groups: pd.Series | None = None) -> dict:
    """Mean and 95% CI of ``values``; with ``groups`` (article ids) the standard error is
    cluster-robust, since sentences of one article are not independent. The interval is clipped
    to :data:`SCALE`."""
    x = values.to_numpy(dtype=float)
    keep = ~np.isnan(x)
    x = x[keep]
    n = len(x)
    if n == 0:
        return {"n": 0, "mean": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    m = float(x.mean())
    if groups is None:
        se = float(x.std(ddof=1) / math.sqrt(n)) if n > 1 else np.nan
        dof = n - 1
    else:
        g = groups.to_numpy()[keep]
        resid = pd.Series(x - m).groupby(g).sum().to_numpy()
        G = len(resid)
        se = float(math.sqrt(G / (G - 1) * (resid ** 2).sum()) / n) if G > 1 else np.nan
        dof = G - 1
    t = float(_t975(np.array([dof]))[0]) if dof >= 1 else np.nan
    low, high = _clip_ci(m - t * se, m + t * se)
    return {"n": n, "mean": m, "ci_low": low, "ci_high": high}


#: Compound scores (and means of them, and shares) lie in [-1, 1]: a confidence interval is
#: clipped to that scale. With very few articles the t quantile is large (12.7 for two) and the
#: unclipped interval runs far outside it; clipped, it says "anywhere on the scale", which is true.
SCALE = (-1.0, 1.0)


def _clip_ci(low, high):
    """``(low, high)`` clipped to :data:`SCALE` (NaN stays NaN); floats or Series."""
    return np.clip(low, *SCALE), np.clip(high, *SCALE)


# --------------------------------------------------------------------------- aggregates
def _originals(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of articles that are not exact duplicates of an earlier one (``duplicate_of`` empty),
    so a story filed twice does not count twice."""
    if "duplicate_of" in df.columns:
        return df[df["duplicate_of"].isna()]
    return df


_ARTICLE_TONE_COLUMNS = ["n_sentences", "tone", "share_positive", "share_negative", "headline_tone",
                         "most_positive", "most_positive_score", "most_negative", "most_negative_score"]


def article_tone(articles: pd.DataFrame, *, sents: pd.DataFrame | None = None, cache: bool = True,
                 threshold: float = THRESHOLD) -> pd.DataFrame:
    """Tone of each article: the articles' metadata (all columns but ``body``) plus

    - ``n_sentences``: body sentences scored;
    - ``tone``: the mean compound of the body's sentences (NaN when it has none);
    - ``share_positive``/``share_negative``: share of sentences at or beyond ±``threshold``;
    - ``headline_tone``: the headline's compound, kept apart from the body;
    - ``most_positive``/``most_negative`` and their scores: the body's extreme sentences (text
      missing when no sentence reaches the threshold on that side).

    >>> tone = article_tone(articles)                                              # doctest: +SKIP
    >>> tone.nsmallest(5, "tone")[["title", "date", "section", "tone"]]            # doctest: +SKIP
    """
    if sents is None:
        sents = sentences(articles, cache=cache)
    elif "text" not in sents.columns:
        sents = sents.assign(text=_sentence_text(articles, sents))
    # the body sentences' ids and scores only: the texts are taken for the extreme sentences
    body = sents.loc[~sents["headline"].to_numpy(dtype=bool), ["article_id", "compound"]]
    g = body.groupby("article_id", sort=False)
    c = body["compound"]
    agg = pd.DataFrame({
        "n_sentences": g.size(),
        "tone": g["compound"].mean(),
        "share_positive": (c >= threshold).groupby(body["article_id"], sort=False).mean(),
        "share_negative": (c <= -threshold).groupby(body["article_id"], sort=False).mean(),
    })
    if len(body):
        cols = ["article_id", "compound", "text"]
        top = sents.loc[g["compound"].idxmax(), cols].set_index("article_id")
        bot = sents.loc[g["compound"].idxmin(), cols].set_index("article_id")
        agg["most_positive"] = top["text"].where(top["compound"] >= threshold)
        agg["most_positive_score"] = top["compound"]
        agg["most_negative"] = bot["text"].where(bot["compound"] <= -threshold)
        agg["most_negative_score"] = bot["compound"]
    head = sents[sents["headline"]].drop_duplicates("article_id").set_index("article_id")["compound"]
    meta = articles.drop(columns=[c for c in ("body",) if c in articles.columns])
    out = meta.merge(agg, left_on="article_id", right_index=True, how="left")
    out["headline_tone"] = out["article_id"].map(head)
    out["n_sentences"] = out["n_sentences"].fillna(0).astype("int64")
    for col in _ARTICLE_TONE_COLUMNS:
        if col not in out.columns:
            out[col] = pd.Series(np.nan, index=out.index, dtype="str" if col in ("most_positive", "most_negative") else "float64")
    out.attrs = dict(articles.attrs)
    return out.reset_index(drop=True)


def summary(tone: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    """A one-column overview: articles, sentences scored, mean article tone with its 95% CI,
    share of positive/negative/neutral body sentences, mean headline tone.

    >>> summary(article_tone(articles), sentences(articles))                       # doctest: +SKIP
    """
    c = sents.loc[~sents["headline"].to_numpy(dtype=bool), "compound"]
    t = _summary(tone["tone"])
    rows = {
        "articles": f"{len(tone):,}",
        "articles with scored sentences": f"{int(tone['tone'].notna().sum()):,}",
        "body sentences scored": f"{len(c):,}",
        "mean article tone (95% CI)": f"{t['mean']:+.3f} ({t['ci_low']:+.3f} to {t['ci_high']:+.3f})"
        if t["n"] > 1 else "n/a",
        "positive sentences (>= +0.05)": f"{(c >= THRESHOLD).mean():.1%}" if len(c) else "n/a",
        "neutral sentences": f"{((c > -THRESHOLD) & (c < THRESHOLD)).mean():.1%}" if len(c) else "n/a",
        "negative sentences (<= -0.05)": f"{(c <= -THRESHOLD).mean():.1%}" if len(c) else "n/a",
        "mean headline tone": f"{tone['headline_tone'].mean():+.3f}" if tone["headline_tone"].notna().any() else "n/a",
    }
    return pd.DataFrame({"value": rows}).rename_axis("")


def most_extreme(tone: pd.DataFrame, n: int = 10, *, min_sentences: int = 3,
                 columns: Sequence[str] = ("title", "date", "section")) -> pd.DataFrame:
    """The ``n`` most positive and ``n`` most negative articles by tone (mean sentence score),
    among articles with at least ``min_sentences`` scored sentences (a two-line brief is not
    "the most negative article"). Columns: ``side``, ``columns``, ``tone``, ``n_sentences`` and
    the article's extreme sentence on that side.

    >>> most_extreme(article_tone(articles), 5)                                     # doctest: +SKIP
    """
    if n < 1:
        raise ValueError("n must be 1 or more")
    cols = [c for c in columns if c in tone.columns]
    tone = _originals(tone)
    ok = tone[(tone["n_sentences"] >= min_sentences) & tone["tone"].notna()]
    pos = ok.nlargest(n, "tone").assign(side="most positive", sentence=lambda d: d["most_positive"])
    neg = ok.nsmallest(n, "tone").assign(side="most negative", sentence=lambda d: d["most_negative"])
    out = pd.concat([pos, neg], ignore_index=True)
    return out[["side"] + cols + ["tone", "n_sentences", "sentence"]]


def tone_by(tone: pd.DataFrame, by: str | Sequence[str] = "section", *, value: str = "tone",
            min_n: int = 1, missing: str | None = "(none)") -> pd.DataFrame:
    """Mean ``value`` per group of articles, with ``n`` and a 95% confidence interval (t).

    ``tone`` is :func:`article_tone`'s frame; ``by`` any of its columns (``section``, ``agency``,
    ``publisher``...). Articles are the unit, so a long article does not weigh more. Missing group
    values are shown as ``missing`` (``None`` drops them). Groups with fewer than ``min_n``
    articles are left out; exact duplicates (``duplicate_of``) count once. Sorted by mean, most
    positive first.

    >>> tone_by(article_tone(articles), "section")                                  # doctest: +SKIP
    """
    cols = [by] if isinstance(by, str) else list(by)
    absent = [c for c in cols + [value] if c not in tone.columns]
    if absent:
        raise KeyError(f"tone_by: no column(s) {absent}; available: {sorted(map(str, tone.columns))}")
    df = _originals(tone)[cols + [value]].copy()
    for c in cols:
        if missing is not None:
            df[c] = df[c].astype(object).where(df[c].notna(), missing)
    df = df.dropna(subset=cols)
    rows = []
    for key, grp in df.groupby(cols, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        rows.append(dict(zip(cols, key)) | _summary(grp[value]))
    out = pd.DataFrame(rows, columns=cols + ["n", "mean", "ci_low", "ci_high"])
    out = out[out["n"] >= max(1, min_n)]
    return out.sort_values("mean", ascending=False, kind="stable").reset_index(drop=True)


def term_sentences(articles: pd.DataFrame, terms, *, sents: pd.DataFrame | None = None,
                   regex: bool = False, headlines: bool = False, cache: bool = True) -> pd.DataFrame:
    """Scored sentences that mention each term, with a ``term`` column (one row per sentence
    and term; a sentence naming both ``Russia`` and ``Iran`` counts for both). Term syntax as in
    :mod:`newsdesk.text` (``"Russia|Kremlin"`` is one series in a list, two in a string).

    >>> term_sentences(articles, ["Russia", "Iran"])[["term", "text", "compound"]]   # doctest: +SKIP
    """
    if sents is None:
        sents = sentences(articles, cache=cache)
    elif "text" not in sents.columns:
        sents = sents.assign(text=_sentence_text(articles, sents))
    keep = np.ones(len(sents), dtype=bool) if headlines else ~sents["headline"].to_numpy(dtype=bool)
    if "duplicate_of" in articles.columns:  # exact duplicates count once
        keep &= ~sents["article_id"].isin(articles.loc[articles["duplicate_of"].notna(), "article_id"]).to_numpy()
    parts = []
    # lower-cased once for all terms; same hits as the pattern. Every sentence is indexed and the
    # unwanted ones masked out afterwards, so only the rows found are copied
    index = TextIndex(sents["text"])
    for lab, term in parse_terms(terms).items():
        hit = index.hits(term, regex=regex) & keep
        parts.append(sents[hit].assign(term=lab))
    if not parts:
        raise ValueError("term_sentences: no terms given")
    return pd.concat(parts, ignore_index=True)


def target_scores(texts: Sequence[str], spans: Sequence[tuple[int, int] | None]) -> np.ndarray:
    """Tone toward the ``(start, end)`` character span of each text, by the shipped news-tone
    model (:mod:`newsdesk.tonemodel`): ``p_positive - p_negative``, -1 to +1; NaN where a text or
    span is missing.

    >>> target_scores(["Smith praised the volunteers, but critics attacked Jones."], [(51, 56)]).round(2) < 0
    array([ True])
    """
    from .tonemodel import target_tones

    frame = pd.DataFrame({"sentence": list(texts), "target": list(spans)})
    return target_tones(frame)["score"].to_numpy(dtype="float64")


def _term_spans(ts: pd.DataFrame, terms, *, regex: bool) -> list[tuple[int, int] | None]:
    pats = {lab: term_pattern(t, regex=regex) for lab, t in parse_terms(terms).items()}
    spans = []
    for lab, text in zip(ts["term"], ts["text"]):
        m = pats[lab].search(text) if isinstance(text, str) else None
        spans.append((m.start(), m.end()) if m else None)
    return spans


def term_tone(articles: pd.DataFrame, terms, *, sents: pd.DataFrame | None = None, regex: bool = False,
              headlines: bool = False, cache: bool = True, method: str = config.TONE_METHOD) -> pd.DataFrame:
    """Tone of the sentences that mention each term: ``term, n_sentences, n_articles, mean,
    ci_low, ci_high`` (95% CI clustered by article), in the order the terms were given.

    ``method="news"`` (the default) scores the tone *toward the term's mention* with the news-tone
    model (:func:`target_scores`; NewsMTSC dev macro-F1 0.68 against VADER's 0.51), so a sentence
    praising Smith and attacking Jones counts against Jones; ``method="vader"`` is the VADER compound
    of the whole sentence, as before. ``attrs["method"]`` says which.

    >>> term_tone(articles, ["Russia", "Iran"])                                     # doctest: +SKIP
    """
    if method not in ("news", "vader"):
        raise ValueError(f"method must be 'news' (tone toward the term) or 'vader' (whole sentence), not {method!r}")
    ts = term_sentences(articles, terms, sents=sents, regex=regex, headlines=headlines, cache=cache)
    if method == "news":
        ts = ts.assign(compound=target_scores(ts["text"], _term_spans(ts, terms, regex=regex)) if len(ts) else [])
    rows = []
    for lab in parse_terms(terms):
        grp = ts[ts["term"] == lab]
        s = _summary(grp["compound"], grp["article_id"])
        rows.append({"term": lab, "n_sentences": s.pop("n"), "n_articles": grp["article_id"].nunique()} | s)
    out = pd.DataFrame(rows, columns=["term", "n_sentences", "n_articles", "mean", "ci_low", "ci_high"])
    out.attrs["method"] = method
    return out


def quote_tone(quotes: pd.DataFrame, *, column: str = "quote") -> pd.Series:
    """Tone of each quote: the mean compound of its sentences (a quote of several sentences is
    not scored as one text). NaN for a missing or empty quote."""
    if column not in quotes.columns:
        raise KeyError(f"quote_tone: no column {column!r}; expected the frame of newsdesk.speakers.quotes()")
    vals = []
    for q in quotes[column]:
        if not isinstance(q, str) or not q.strip():
            vals.append(np.nan)
            continue
        parts = [q[s:e] for s, e in split_sentences(q)]
        vals.append(float(np.mean([polarity(p)["compound"] for p in parts])) if parts else np.nan)
    return pd.Series(vals, index=quotes.index, name="compound", dtype="float64")


def _mean(values: list[float]) -> float:
    """``float(np.mean(values))``, bit for bit: below 8 values NumPy adds them in order, as ``sum``."""
    return sum(values) / len(values) if len(values) < 8 else float(np.mean(values))


def speaker_tone(quotes: pd.DataFrame, *, speaker: str = "speaker", min_quotes: int = 3,
                 top: int | None = None, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """Tone of each speaker's quotes: ``speaker, n_quotes, n_articles, mean, ci_low, ci_high``.

    ``quotes`` is the frame of ``newsdesk.speakers.quotes(articles)`` (columns ``quote`` and
    ``speaker``, plus ``article_id`` for article-clustered intervals). Quotes without a speaker
    are left out, and so are speakers with fewer than ``min_quotes`` quotes. ``top`` keeps the
    most quoted. ``kinds`` keeps speakers of those ``speaker_kind`` values only (e.g.
    ``["person"]``). Sorted by mean, most positive first.

    >>> speaker_tone(newsdesk.speakers.quotes(articles), min_quotes=5)                # doctest: +SKIP
    """
    if speaker not in quotes.columns:
        raise KeyError(f"speaker_tone: no column {speaker!r}; expected the frame of newsdesk.speakers.quotes()")
    if kinds is not None:
        if "speaker_kind" not in quotes.columns:
            raise KeyError("speaker_tone: kinds needs a speaker_kind column")
        quotes = quotes[quotes["speaker_kind"].isin(list(kinds))]
    if "quote" not in quotes.columns:
        quote_tone(quotes)  # the same KeyError
    # Only the quotes of the speakers that are shown are scored: first the speakers with enough
    # scorable quotes (a quote is scorable when it has a sentence), then the top ones among them.
    df = quotes[quotes[speaker].notna()]
    df = df[df[speaker].astype(str).str.strip() != ""]
    qs = df["quote"].to_numpy(dtype=object)
    nonblank = np.fromiter((isinstance(q, str) and bool(q.strip()) for q in qs), dtype=bool, count=len(qs))
    least = max(1, min_quotes)
    split: dict = {}                                        # row label -> sentence spans of its quote
    upper = df.loc[nonblank, speaker].value_counts()       # quotes per speaker, an upper bound
    upper = upper[upper >= least].sort_values(ascending=False, kind="stable")
    if top is not None:
        # exact counts, in decreasing upper bound, until no other speaker can reach the top
        # (the top-th exact count must beat the next upper bound: a tie could still win by name)
        grp = df[nonblank].groupby(speaker, sort=False)["quote"]
        exact: dict = {}
        for name, ub in upper.items():
            if len(exact) >= top and sorted(exact.values(), reverse=True)[top - 1] > ub:
                break
            quotes_of = grp.get_group(name)
            cuts = [split_sentences(q) for q in quotes_of.to_numpy(dtype=object)]
            if df.index.is_unique:                            # reused below for the speakers shown
                split.update(zip(quotes_of.index, cuts))
            exact[name] = sum(1 for c in cuts if c)
        upper = upper[upper.index.isin([k for k, v in exact.items() if v >= least])]
    df = df[nonblank & df[speaker].isin(upper.index).to_numpy()]
    parts = [[q[a:b] for a, b in (split[i] if i in split else split_sentences(q))]
             for i, q in zip(df.index, df["quote"].to_numpy(dtype=object))]
    scorable = np.fromiter((bool(p) for p in parts), dtype=bool, count=len(parts))
    df = df[scorable]
    parts = [p for p in parts if p]
    n = df.groupby(speaker, sort=True).size()
    n = n[n >= least]
    if top is not None:
        n = n.nlargest(top, keep="first")
    shown = df[speaker].isin(n.index).to_numpy()
    df = df[shown].assign(compound=[_mean([polarity(x)["compound"] for x in p]) for p, k in zip(parts, shown) if k])
    rows = []
    has_article = "article_id" in df.columns
    for name, grp in df.groupby(speaker, sort=True):
        s = _summary(grp["compound"], grp["article_id"] if has_article else None)
        rows.append({"speaker": name, "n_quotes": s.pop("n"),
                     "n_articles": grp["article_id"].nunique() if has_article else np.nan} | s)
    out = pd.DataFrame(rows, columns=["speaker", "n_quotes", "n_articles", "mean", "ci_low", "ci_high"])
    if not rows:
        # no quotes, no speakers, or every speaker filtered out: the columns keep the types they have with rows
        out = out.astype({"speaker": "str", "n_quotes": "int64", "n_articles": "int64" if has_article else "float64",
                          "mean": "float64", "ci_low": "float64", "ci_high": "float64"})
    out = out[out["n_quotes"] >= max(1, min_quotes)]
    if top is not None:
        out = out.nlargest(top, "n_quotes", keep="first")
    return out.sort_values("mean", ascending=False, kind="stable").reset_index(drop=True)


#: ``freq`` values and their pandas periods: the project's (``config.FREQ_ALIASES``; weeks run
#: Monday to Sunday, as in ``timeline``) plus quarters and years.
_FREQ = {**FREQ_ALIASES, "quarter": "Q", "year": "Y"}
_FREQ_ALIASES = {"d": "day", "daily": "day", "w": "week", "weekly": "week", "m": "month",
                 "monthly": "month", "q": "quarter", "quarterly": "quarter", "y": "year",
                 "yearly": "year", "annual": "year"}


def _period_freq(freq: str) -> str:
    f = str(freq).strip().lower()
    f = _FREQ_ALIASES.get(f, f)
    if f not in _FREQ:
        raise ValueError(f"freq must be one of {', '.join(_FREQ)} (got {freq!r})")
    return _FREQ[f]


def tone_over_time(tone: pd.DataFrame, freq: str = config.DEFAULT_FREQ, *, by: str | None = None,
                   rolling: int = 3, value: str = "tone", date: str = "date") -> pd.DataFrame:
    """Mean article tone per period, with ``n`` and a 95% CI, and a rolling mean over
    ``rolling`` periods (pooled over the articles in the window, with its own CI band).

    Columns: ``period`` (start timestamp), [``by``], ``n``, ``mean``, ``ci_low``, ``ci_high``,
    ``rolling_mean``, ``rolling_low``, ``rolling_high``. Every period between the first and the
    last date is present; a period with no articles has ``n`` 0 and NaN values (a gap in a chart,
    never an invented value). ``rolling=1`` turns smoothing off.

    >>> tone_over_time(article_tone(articles), "month", rolling=3)                  # doctest: +SKIP
    """
    pf = _period_freq(freq)
    if rolling < 1:
        raise ValueError("rolling must be a whole number of periods, 1 or more")
    for c in [date, value] + ([by] if by else []):
        if c not in tone.columns:
            raise KeyError(f"tone_over_time: no column {c!r}")
    df = _originals(tone)[[date, value] + ([by] if by else [])].dropna(subset=[date, value]).copy()
    cols = ["period"] + ([by] if by else []) + ["n", "mean", "ci_low", "ci_high",
                                                "rolling_mean", "rolling_low", "rolling_high"]
    if df.empty:
        empty = {c: pd.Series(dtype="float64") for c in cols}
        empty["period"] = pd.Series(dtype="datetime64[ns]")
        empty["n"] = pd.Series(dtype="int64")
        if by:
            empty[by] = pd.Series(dtype="str")
        return pd.DataFrame(empty)[cols]
    df["period"] = pd.to_datetime(df[date]).dt.to_period(pf)
    full = pd.period_range(df["period"].min(), df["period"].max(), freq=pf)
    groups = [(None, df)] if not by else list(df.groupby(df[by].astype(object).where(df[by].notna(), "(none)"), sort=True))
    parts = []
    for key, grp in groups:
        x = grp[value].astype(float)
        st = x.groupby(grp["period"]).agg(["count", "sum"]).reindex(full, fill_value=0)
        st["sq"] = (x ** 2).groupby(grp["period"]).sum().reindex(full, fill_value=0)
        out = pd.DataFrame(index=full)
        out["n"] = st["count"].astype("int64")
        out["mean"], out["ci_low"], out["ci_high"] = _band(st["count"], st["sum"], st["sq"])
        w = st.rolling(rolling, min_periods=rolling).sum()     # a window of fewer periods has no mean
        rm, rl, rh = _band(w["count"], w["sum"], w["sq"])
        empty = out["n"] == 0
        out["rolling_mean"] = rm.where(~empty)
        out["rolling_low"] = rl.where(~empty)
        out["rolling_high"] = rh.where(~empty)
        out.index = full.to_timestamp(how="start")
        out = out.rename_axis("period").reset_index()
        if by:
            out.insert(1, by, key)
        parts.append(out)
    out = pd.concat(parts, ignore_index=True)[cols]
    out.attrs.update(freq=[k for k, v in _FREQ.items() if v == pf][0], rolling=int(rolling))
    return out


def _band(n: pd.Series, s: pd.Series, sq: pd.Series):
    n = n.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / n
        var = (sq - n * mean ** 2) / (n - 1)
        se = np.sqrt(var.clip(lower=0) / n)
        t = pd.Series(_t975((n - 1).to_numpy()), index=n.index)
    mean = mean.where(n > 0)
    low, high = _clip_ci(mean - t * se, mean + t * se)
    return mean, low, high


# --------------------------------------------------------------------------- charts
def _charts():
    from . import charts

    return charts


def plot_distribution(sents: pd.DataFrame, tone: pd.DataFrame | None = None, *, bins: int = 40,
                      title: str = "Distribution of tone scores"):
    """Histogram of body-sentence scores (and of article tone when ``tone`` is given), with the
    neutral band of ±0.05 shaded. Share of each series, so the two are comparable."""
    ch = _charts()
    fig, ax = ch.figure()
    edges = np.linspace(-1, 1, bins + 1)
    body = sents.loc[~sents["headline"], "compound"].dropna() if "headline" in sents.columns else sents["compound"].dropna()
    w = np.full(len(body), 100.0 / max(1, len(body)))
    ax.hist(body, bins=edges, weights=w, alpha=0.6, label=f"sentences (n={len(body):,})")
    if tone is not None:
        t = tone["tone"].dropna()
        ax.hist(t, bins=edges, weights=np.full(len(t), 100.0 / max(1, len(t))), alpha=0.6,
                label=f"articles, mean of sentences (n={len(t):,})")
    ax.axvspan(-THRESHOLD, THRESHOLD, color="#999999", alpha=0.15, lw=0, label="_neutral")
    ax.set_xlim(-1, 1)
    return ch.finish(ax, title=title, xlabel="VADER compound score (-1 negative … +1 positive)",
                     ylabel="share of items (%)", legend=True)


def _plot_intervals(df: pd.DataFrame, label_col: str, n_col: str, *, title: str, ylabel: str,
                    unit: str, scale: str = "VADER compound", empty: str = "nothing to show"):
    ch = _charts()
    d = df.dropna(subset=["mean"]).reset_index(drop=True)
    fig, ax = ch.figure(size=(9.0, max(2.5, min(9.0, 0.9 + 0.35 * len(d)))))
    if d.empty:   # an empty result is a chart that says so, not an error
        ax.text(0.5, 0.5, empty, transform=ax.transAxes, ha="center", va="center", color="#555555")
        ax.set_xlim(-1, 1)
    y = np.arange(len(d))[::-1]
    lo = (d["mean"] - d["ci_low"]).fillna(0).clip(lower=0)
    hi = (d["ci_high"] - d["mean"]).fillna(0).clip(lower=0)
    has_ci = d["ci_low"].notna().to_numpy()
    ax.errorbar(d["mean"][has_ci], y[has_ci], xerr=[lo[has_ci], hi[has_ci]], fmt="o", capsize=3,
                color=_charts().PALETTE[0], label="mean and 95% CI" if not has_ci.all() else "_ci")
    if not has_ci.all():  # too few articles for an interval: shown hollow, never as if precise
        ax.plot(d["mean"][~has_ci], y[~has_ci], "o", mfc="white", color=_charts().PALETTE[0],
                label="mean, no interval (all from one article)")
    ax.set_yticks(y)
    ax.set_yticklabels([f"{v}  (n={n:,})" for v, n in zip(d[label_col], d[n_col])])
    ax.axvline(0, color="#555555", lw=1)
    ax.axvspan(-THRESHOLD, THRESHOLD, color="#999999", alpha=0.15, lw=0)
    ax.grid(axis="y", alpha=0)
    return ch.finish(ax, title=title, xlabel=f"mean tone, {scale}, with 95% CI ({unit})",
                     ylabel=ylabel)


def plot_tone_by(by_df: pd.DataFrame, *, title: str | None = None):
    """Mean tone per group with 95% CIs (the frame of :func:`tone_by`)."""
    col = by_df.columns[0]
    return _plot_intervals(by_df, col, "n", title=title or f"Tone by {col}", ylabel=str(col),
                           unit="articles")


def plot_term_tone(term_df: pd.DataFrame, *, title: str | None = None):
    """Mean tone of the sentences mentioning each term, with 95% CIs (:func:`term_tone`): toward
    the term (news model) or of the whole sentence (VADER), as the table's ``attrs["method"]`` says."""
    news = term_df.attrs.get("method", "vader") == "news"
    return _plot_intervals(term_df, "term", "n_sentences", ylabel="term", unit="sentences",
                           title=title or ("Tone toward each term, in the sentences mentioning it" if news
                                           else "Tone of sentences mentioning each term"),
                           scale="news-tone model score toward the term" if news else "VADER compound",
                           empty="no sentence in this corpus mentions these terms")


NO_SPEAKERS = "no quotes by named speakers in this corpus (or none with enough quotes)"
"""What the speaker chart says when :func:`speaker_tone` has no rows."""


def plot_speaker_tone(speaker_df: pd.DataFrame, *, title: str = "Tone of each speaker's quotes"):
    """Mean tone of each speaker's quotes, with 95% CIs (:func:`speaker_tone`)."""
    return _plot_intervals(speaker_df, "speaker", "n_quotes", title=title, ylabel="speaker", unit="quotes",
                           empty=NO_SPEAKERS)


def plot_tone_over_time(tot: pd.DataFrame, *, by: str | None = None, events=None,
                        title: str = "Tone over time", freq: str = config.DEFAULT_FREQ):
    """Per-period mean tone (points), rolling mean (line) and its 95% band (shaded), from
    :func:`tone_over_time`. Periods without articles are gaps. ``events`` as in
    :func:`newsdesk.charts.add_events`; ``True`` marks those of ``config.EVENTS_FILE`` if it exists."""
    ch = _charts()
    fig, ax = ch.figure()
    freq = tot.attrs.get("freq", freq)
    k = tot.attrs.get("rolling")
    roll = f"rolling mean of {k} {freq}s" if k and k > 1 else "mean"
    groups = [(None, tot)] if not by else list(tot.groupby(by, sort=True))
    for i, (key, g) in enumerate(groups):
        color = ch.PALETTE[i % len(ch.PALETTE)]
        name = roll if key is None else str(key)
        x = pd.to_datetime(g["period"])
        ax.plot(x, g["rolling_mean"], color=color, lw=2, label=name)
        ax.fill_between(x, g["rolling_low"], g["rolling_high"], color=color, alpha=0.18, lw=0,
                        label=f"95% CI of the {roll}" if key is None else "_band")
        ax.plot(x, g["mean"], "o", ms=3, color=color, alpha=0.5,
                label="mean per period" if key is None else "_points")
    ax.axhline(0, color="#555555", lw=1)
    if events is True:  # the project's events file, when there is one (prefer config.events_for(articles))
        events = config.EVENTS_FILE if config.EVENTS_FILE.exists() else None
    if len(tot):
        periods = pd.to_datetime(tot["period"]).drop_duplicates().sort_values()
        if len(periods) <= 12:  # few periods: one labelled tick each
            fmt = {"month": "%b %Y", "quarter": "%b %Y", "year": "%Y"}.get(freq, "%d %b %Y")
            ax.set_xticks(list(periods), [d.strftime(fmt) for d in periods])
        else:
            ch.date_axis(ax, freq=freq)
        ch.add_events(ax, events or None)
    title = title if by is None else f"{title} by {by} ({roll})"
    return ch.finish(ax, title=title, xlabel=f"date ({freq} of publication)",
                     ylabel="mean article tone (VADER compound)", legend=True, legend_title=by)


def _example_quotes(articles: pd.DataFrame) -> pd.DataFrame:
    from . import speakers  # lazily: sentiment does not depend on quotes at import time

    return speakers.quotes(articles)


#: How ``tests/test_charts.py`` calls each chart: ``example(articles) -> (args, kwargs)``.
CHART_EXAMPLES = {
    "plot_distribution": lambda a: ((sentences(a),), {}),
    "plot_tone_by": lambda a: ((tone_by(article_tone(a), "section"),), {}),
    "plot_term_tone": lambda a: ((term_tone(a, ["flood", "vaccine"]),), {}),
    "plot_speaker_tone": lambda a: ((speaker_tone(_example_quotes(a)),), {}),
    "plot_tone_over_time": lambda a: ((tone_over_time(article_tone(a), "month"),), {}),
}
