"""Word counts: the keyword tokens of a text, and each article's counts kept in the store.

:func:`tokens` cuts lower-cased word tokens (possessive ``'s`` removed; stop words, numbers and
one-letter tokens dropped). The annotator of the store kind :data:`KIND` keeps, for every
article, the counts of its words and of adjacent keyword pairs within a sentence, so that
:func:`word_counts` and the analyses of :mod:`newsdesk.keywords` (distinctive terms,
collocations) read them back instead of tokenizing every text again. Exact duplicate articles
(``duplicate_of`` set by the loader) count once.

>>> from newsdesk import wordcount
>>> wordcount.tokens("The flood's toll rose")
['flood', 'toll', 'rose']
>>> wordcount.word_counts(articles)["flood"]                                   # doctest: +SKIP
"""
from __future__ import annotations

import functools
import operator
import re
from collections import Counter
from itertools import compress

import numpy as np
import pandas as pd

from . import config, registry, storage, store
from . import resources as R
from .corpus import is_original, originals


# --------------------------------------------------------------------------- tokens
def _token_ok(tok: str) -> bool:
    return len(tok) > 1 and tok not in R.STOP_WORDS and not tok.replace(".", "").replace(",", "").isdigit()


_OK: dict[str, bool] = {}  # token -> counts as a keyword (cache of _token_ok)


def _ok(tok: str) -> bool:
    hit = _OK.get(tok)
    if hit is None:
        if len(_OK) > 1_000_000:
            _OK.clear()
        hit = _OK[tok] = _token_ok(tok)
    return hit


def _lower(text: str) -> str:
    """Lower-cased text, ``’`` as ``'``, possessive ``'s`` removed: what keyword tokens are cut from."""
    low = (text or "").lower()
    if "’" in low:
        low = low.replace("’", "'")
    return R.POSSESSIVE_RE.sub("", low) if "'s" in low else low


def tokens(text: str, *, stop_words: bool = False) -> list[str]:
    """Lower-cased word tokens of ``text`` for counting: possessive ``'s`` stripped; stop words,
    numbers and one-letter tokens dropped (``stop_words=True`` keeps stop words).

    >>> tokens("The flood's toll rose to 12, officials said.")
    ['flood', 'toll', 'rose', 'officials']
    """
    words = R.WORD_RE.findall(_lower(text))
    return words if stop_words else [w for w in words if _ok(w)]


def _texts(articles: pd.DataFrame) -> pd.Series:
    if "body" in articles.columns:
        from .corpus import text

        return text(articles)
    if "text" in articles.columns:
        return articles["text"].fillna("").astype(str)
    raise ValueError("articles need a 'body' (from load_corpus) or a 'text' column")




def segments(text: str) -> list[list[str]]:
    """Lower-cased tokens (stop words kept) of each sentence or line of ``text``.

    >>> segments("Heavy rain fell. The river rose\\nNew line")
    [['heavy', 'rain', 'fell'], ['the', 'river', 'rose'], ['new', 'line']]
    """
    out = []
    for seg in R.SEGMENT_BREAK_RE.split(text or ""):
        toks = tokens(seg, stop_words=True)
        if toks:
            out.append(toks)
    return out


# --------------------------------------------------------------------------- per-article counts (store)
@functools.lru_cache(maxsize=4)
def _scanner(word_re: re.Pattern, break_re: re.Pattern) -> re.Pattern:
    """One regex that finds a token of ``word_re`` (its group 1) or a break of ``break_re`` (no
    group: found as ``""``), each with its own flags, for one scan of an article.

    >>> _scanner(R.WORD_RE, R.SEGMENT_BREAK_RE).findall("heavy rain. the river")
    ['heavy', 'rain', '', 'the', 'river']
    """
    def part(rx: re.Pattern) -> str:
        scoped = "".join(c for f, c in ((re.I, "i"), (re.M, "m"), (re.S, "s"), (re.X, "x")) if rx.flags & f)
        return f"(?{scoped}:{rx.pattern})" if scoped else f"(?:{rx.pattern})"

    charset = re.ASCII | re.LOCALE | re.UNICODE
    if word_re.flags & charset != break_re.flags & charset or word_re.groups or break_re.groups:
        raise ValueError("the word and segment-break regexes need the same character set and no groups")
    return re.compile(f"({part(word_re)})|{part(break_re)}", word_re.flags & charset)


KIND = "keyword_counts"
"""Store kind: each article's word counts and keyword-pair counts, read by :func:`word_counts`,
:func:`newsdesk.keywords.distinctive_terms` and :func:`newsdesk.keywords.collocations` instead of
tokenizing every text again."""


def article_counts(text: str) -> tuple[Counter, Counter]:
    """Counts of every word token (stop words too: they are the collocations' marginals) and of
    every adjacent pair of keyword tokens (see :func:`tokens`) within a sentence or line of ``text``.

    >>> w, p = article_counts("Heavy rain fell. Heavy rain again")
    >>> w["heavy"], p[("heavy", "rain")], ("rain", "fell") in p
    (2, 2, True)
    """
    # One scan of the whole lower-cased text gives its tokens in order, with an empty string at
    # each segment break (:func:`_scanner`): the same tokens as cutting each segment and lowering
    # it, since lower-casing moves no break and no token spans one. A pair is two adjacent
    # keywords; a break is no keyword, so no pair spans one.
    toks = _scanner(R.WORD_RE, R.SEGMENT_BREAK_RE).findall(_lower(text))
    words = Counter(toks)
    words.pop("", None)
    ok = list(map(_OK.get, toks))
    if None in ok:
        ok = [k if k is not None else _ok(t) for k, t in zip(ok, toks)]
    pairs = Counter(compress(zip(toks, toks[1:]), map(operator.and_, ok, ok[1:])))
    return words, pairs


def annotate(articles: pd.DataFrame):
    """Annotator of :data:`KIND`: one row per article with list columns ``words``/``counts``
    (every word token of the clean text and its uses) and ``w1``/``w2``/``pair_counts`` (adjacent
    keyword pairs within a sentence and their uses)."""
    import pyarrow as pa

    cols: dict[str, list] = {"words": [], "counts": [], "w1": [], "w2": [], "pair_counts": []}
    for t in _texts(articles):
        words, pairs = article_counts(t)
        cols["words"].append(list(words))
        cols["counts"].append(list(words.values()))
        cols["w1"].append([a for a, _ in pairs])
        cols["w2"].append([b for _, b in pairs])
        cols["pair_counts"].append(list(pairs.values()))
    strs, ints = pa.list_(pa.string()), pa.list_(pa.int64())
    return pa.table({
        "article_id": pa.array(articles["article_id"].to_numpy(dtype=object), pa.string()),
        "words": pa.array(cols["words"], strs), "counts": pa.array(cols["counts"], ints),
        "w1": pa.array(cols["w1"], strs), "w2": pa.array(cols["w2"], strs),
        "pair_counts": pa.array(cols["pair_counts"], ints),
    })


#: What :func:`annotate` reads, and so what its store version hashes (checked against what it
#: reaches by tests/test_store_versions.py). The text helpers compute the clean-text span
#: (``text_offset``/``text_length``) that the loader gives it.
INPUTS = registry.Inputs(
    functions={
        "wordcount": "annotate article_counts _scanner _texts _lower _ok _token_ok",
        "corpus": "text",
        "text": """_agency _content_span_lines _exotic_breaks _first_line _last_line
                   _lines_with_offsets _norm_title _tidy span_and_agency wire_agency""",
    },
    values={
        "resources": """AGENCY_CANONICAL AGENCY_MISSING ASCII_EXOTIC_BREAKS EXOTIC_BREAKS POSSESSIVE_RE
                        SEGMENT_BREAK_RE STOP_WORDS WIRE_LINE_RE WORD_RE""",
        "text": "_NON_SPACE_RE _NON_WORD_RE _WORD_CHAR_RE",
    },
    caches={"wordcount": "_OK"},
)


def _version() -> str:
    return INPUTS.version()


VERSION = registry.register(KIND, annotate, inputs=INPUTS,
                            columns=["words", "counts", "w1", "w2", "pair_counts"]).version


def _stored(articles: pd.DataFrame) -> bool:
    """Whether ``articles`` come from ``load_corpus`` (so their counts can come from the store)."""
    return {"article_id", "content_hash", "body", "text_offset", "text_length"} <= set(articles.columns)


_COUNTS_CACHE: dict = {}
_COUNT_COLUMNS = ["words", "counts", "w1", "w2", "pair_counts"]


def _count_table(articles: pd.DataFrame):
    """The stored counts of ``articles`` (one row per article, in order) as an Arrow table; the
    last table read is kept for the same articles (same ids, content and text spans)."""
    key = store.articles_key(articles)
    key = key and (str(storage.store_dir(KIND)), key)
    if key is not None and key in _COUNTS_CACHE:
        return _COUNTS_CACHE[key]
    table = store.get_table(articles, KIND, columns=_COUNT_COLUMNS)
    if table.num_rows != len(articles):
        raise storage.StoreError(f"{KIND}: {table.num_rows} stored rows for {len(articles)} articles")
    _COUNTS_CACHE.clear()
    if key is not None and table.nbytes <= config.KEYWORD_COUNTS_CACHE_BYTES:
        _COUNTS_CACHE[key] = table
    return table


def _rows(articles: pd.DataFrame, mask=None):
    """Rows of :func:`_count_table` of ``articles`` that are not exact duplicates, and in ``mask``."""
    keep = is_original(articles)
    if mask is not None:
        keep &= np.asarray(mask, dtype=bool)
    table = _count_table(articles)
    return table if keep.all() else table.filter(keep)


def _sum_by(keys: dict, values, how: str = "sum"):
    """Arrow group-by of the flattened list columns ``keys`` summing (or counting) ``values``."""
    import pyarrow as pa

    t = pa.table({**keys, "n": values})
    return t.group_by(list(keys), use_threads=False).aggregate([("n", how)])


def _word_counts_sides(articles: pd.DataFrame, mask: np.ndarray, unit: str) -> tuple[Counter, Counter]:
    """Word counts (as :func:`word_counts`) of the articles in ``mask`` and of the others, exact
    duplicates left out, from the store: one group-by over every stored row, no copy of either
    side's rows."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = _count_table(articles)
    side = np.where(np.asarray(mask, dtype=bool), 1, 2).astype(np.int8)
    side[~is_original(articles)] = 0
    if not table.num_rows:
        return Counter(), Counter()
    col = table.column("words")
    lengths = pc.list_value_length(col).fill_null(0).to_numpy(zero_copy_only=False)
    agg = _sum_by({"w": pc.list_flatten(col), "side": pa.array(np.repeat(side, lengths))},
                  pc.list_flatten(table.column("counts")), "count" if unit == "article" else "sum")
    names = agg.column("w").to_pylist()
    sides = agg.column("side").to_pylist()
    vals = agg.column("n_count" if unit == "article" else "n_sum").to_pylist()
    out: tuple[Counter, Counter] = (Counter(), Counter())
    for w, k, n in zip(names, sides, vals):
        if k and _ok(w):
            out[k - 1][w] = int(n)
    return out


UNITS = ("article", "token")


def word_counts(articles: pd.DataFrame, *, unit: str = "article") -> Counter:
    """Word counts (see :func:`tokens`) over the clean text of ``articles``: with ``unit="article"``
    the number of articles using each word (once per article), with ``"token"`` every use.

    >>> word_counts(pd.DataFrame({"text": ["flood flood rain", "flood"]}))["flood"]
    2
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)} (got {unit!r})")
    if _stored(articles):
        return _word_counts_sides(articles, np.ones(len(articles), dtype=bool), unit)[0]
    return _word_counts_direct(originals(articles), unit)


def most_used(counts: Counter, *, top_n: int, min_count: int = 1) -> list[tuple[str, int]]:
    """The ``top_n`` words of ``counts`` (from :func:`word_counts`) counted at least ``min_count``
    times, most used first (ties alphabetical).

    >>> most_used(word_counts(pd.DataFrame({"text": ["flood flood rain", "flood"]})), top_n=1)
    [('flood', 2)]
    """
    return [(w, c) for w, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if c >= int(min_count)][: int(top_n)]


def _word_counts_direct(arts: pd.DataFrame, unit: str) -> Counter:
    """:func:`word_counts` by tokenizing every text (frames that are not from ``load_corpus``)."""
    c: Counter = Counter()
    find = R.WORD_RE.findall
    for t in _texts(arts):
        raw = find(_lower(t))
        c.update(set(raw) if unit == "article" else raw)
    return Counter({w: n for w, n in c.items() if _ok(w)})


__all__ = ["KIND", "UNITS", "tokens", "segments", "article_counts", "annotate", "word_counts", "most_used"]
