"""VADER (vaderSentiment 3.3.2) re-implemented: the same scores, two to three times faster.

:func:`polarity` gives exactly ``SentimentIntensityAnalyzer().polarity_scores(text)`` (checked
against vaderSentiment itself by ``tests/test_vader.py``); it lower-cases a sentence once instead of
once per scored word, caches token work and skips rules that cannot apply. The tone of news text
(sentences, aggregates, the news model) is in :mod:`newsdesk.sentiment` and :mod:`newsdesk.tone`.

>>> from newsdesk import vader
>>> vader.polarity("The plan is a good one.")
{'neg': 0.0, 'neu': 0.633, 'pos': 0.367, 'compound': 0.4404}
>>> vader.compounds(["The talks were constructive.", "The attack killed 12 people."])
array([ 0.    , -0.8225])
"""
from __future__ import annotations

import importlib.resources
import math
import operator
import string
from functools import reduce
from itertools import compress
from typing import Iterable

import numpy as np
import pandas as pd

__all__ = ["LEXICON", "compounds", "polarity", "reference_polarity"]

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


_TOKENS: dict[str, tuple[str, bool, bool, int, float, int]] = {}


_LOWER, _UPPER, _SCORED, _FLAGS, _VALUE, _BITS = (operator.itemgetter(k) for k in range(6))
#: Bits of a token's ``bits`` (:func:`_token_info`): it carries a valence; it may bring a rule in
#: (a word that modifies a later one or is part of an idiom, "but", or a lexicon word in capitals).
_B_SCORED, _B_RULES = 1, 2


def _token_info(tok: str) -> tuple[str, bool, bool, int, float, int]:
    """``(lower, isupper, scored, flags, value, bits)`` of a white-space token, as vaderSentiment's
    SentiText makes it (punctuation stripped unless that leaves two characters or fewer).
    ``scored``: the word is in the lexicon and not a booster (only such words carry a valence);
    ``flags``: 1 when it may modify a later word (:data:`_PRE_WORDS` or a ``n't`` negation), 2 when
    it is an idiom word; ``value``: its lexicon valence when scored, else 0; ``bits``: see
    :data:`_B_SCORED`, :data:`_B_RULES`."""
    stripped = tok.strip(_PUNCT)
    word = tok if len(stripped) <= 2 else stripped
    lw = word.lower()
    flags = (1 if (lw in _PRE_WORDS or "n't" in lw) else 0) | (2 if lw in _IDIOM_WORDS else 0)
    upper = word.isupper()
    scored = lw in LEXICON and lw not in _BOOSTER
    rules = flags or lw == "but" or (upper and scored)
    info = (lw, upper, scored, flags, LEXICON[lw] if scored else 0, (_B_SCORED if scored else 0) | (_B_RULES if rules else 0))
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
    # repeated value can be scaled at its first occurrence instead of its own position. Its loop
    # reads each position before any change reaches it (a value's first occurrence is never after
    # it), so it reads the values as they were; a zero only ever turns into a zero, which no sum
    # or count below can tell, so zeros are skipped. Same values, without a pass per word.
    bi = low.index("but")
    for sentiment in list(sentiments):
        if sentiment:
            si = sentiments.index(sentiment)
            if si < bi:
                sentiments[si] = sentiment * 0.5
            elif si > bi:
                sentiments[si] = sentiment * 1.5
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


def _rule_valences(infos: list) -> list:
    """The valences of a sentence's lexicon words (in order) by vaderSentiment's rules, for a
    sentence with a word that may bring one in (see :data:`_B_RULES`)."""
    n = len(infos)
    scored = list(map(_SCORED, infos))
    hits = list(compress(range(n), scored))
    low = list(map(_LOWER, infos))
    upper = list(map(_UPPER, infos))
    cap_diff = 0 < n - sum(upper) < n
    # valences of words outside the lexicon, of boosters and of "kind" in "kind of" are 0
    sentiments: list = [0] * n
    # the positions a rule may reach: the three after a word that modifies a later one (flag 1),
    # and those from two before to three after an idiom word (flag 2); elsewhere a lexicon word
    # keeps its valence unless it is "no" or in capitals
    ruled = [False] * (n + 4)
    flags = list(map(_FLAGS, infos))
    for p in compress(range(n), flags):
        if flags[p] & 1:
            ruled[p + 1] = ruled[p + 2] = ruled[p + 3] = True
        if flags[p] & 2:
            for j in range(max(0, p - 2), p + 4):
                ruled[j] = True
    lex = LEXICON
    for i in hits:
        lw = low[i]
        if i < n - 1 and lw == "kind" and low[i + 1] == "of":
            continue
        if lw != "no" and not ruled[i] and not (cap_diff and upper[i]):
            sentiments[i] = lex[lw]  # no rule applies (see _PRE_WORDS)
        else:
            sentiments[i] = _valence(i, low, upper, cap_diff)
    if "but" in low:
        sentiments = _but_check(low, sentiments)
    return [sentiments[i] for i in hits]


def _scores(text: str, *, tokens: list[str] | None = None) -> tuple[float, float, float, float]:
    """``(neg, neu, pos, compound)`` of :func:`polarity`, without building a dict (``tokens``:
    ``text.split()``, when the caller has it)."""
    if not text.isascii() and not _EMOJI_CHARS.isdisjoint(text):
        text = _replace_emojis(text)
        tokens = None  # (the caller's tokens are of the text before the emojis' descriptions)
    toks = text.split() if tokens is None else tokens  # (white space at either end holds no ! or ?)
    n = len(toks)
    if not n:
        return _EMPTY
    infos = list(map(_TOKENS.get, toks))  # C-level loops (map, itemgetter, reduce) keep this fast
    if None in infos:
        infos = [x if x is not None else _token_info(t) for x, t in zip(infos, toks)]
    bits = reduce(operator.or_, map(_BITS, infos))
    if not bits & _B_SCORED:  # no lexicon word: every valence is 0
        return _NEUTRAL
    if not bits & _B_RULES:
        # no word that any rule reacts to: each lexicon word keeps its valence, the others are 0
        vals = list(filter(None, map(_VALUE, infos)))
    else:
        vals = _rule_valences(infos)
    # score_valence. Only lexicon words can be non-zero (the "but" check moves values only onto
    # positions holding the same non-zero value), and adding zeros changes no float sum, so
    # summing ``vals`` in order gives vaderSentiment's sums exactly.
    sum_s = float(sum(vals))
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
    for s in vals:
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


def compounds(texts: Iterable[str], *, reference: bool = False) -> np.ndarray:
    """Compound scores in [-1, 1] of short texts (sentences, headlines, quotes).

    Missing values (``None``/NaN) score NaN. ``reference=True`` uses vaderSentiment itself.

    >>> compounds(["A great success.", "", None]).tolist()
    [0.8316, 0.0, nan]
    """
    fn = reference_polarity if reference else polarity
    out = []
    for t in texts:
        if t is None or (isinstance(t, float) and math.isnan(t)) or t is pd.NA:
            out.append(np.nan)
        elif not isinstance(t, str):
            raise TypeError(f"compounds() takes strings, got {type(t).__name__}: {t!r}")
        else:
            out.append(fn(t)["compound"])
    return np.asarray(out, dtype=float)
