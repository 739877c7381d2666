"""Fast term search over many texts: the same answers as :func:`newsdesk.text.term_pattern`'s
pattern searched in every text, without running the pattern on texts that cannot match.

A plain term (not ``re:``) whose words are ASCII can only match where the lower-cased text holds
the lower-cased first word of one of its alternatives. :class:`TextIndex` lower-cases the ASCII
letters of all texts once (``bytes.lower`` over their concatenated UTF-8, as Arrow holds it), finds
those words with ``bytes.find``, and
runs the pattern only on the texts found there, and on the few texts that hold a character which a
case-insensitive ``re`` match equates with an ASCII letter although lower-casing does not make it
one (:data:`CASE_FOLD_EXTRA`). Regular expressions, and terms with non-ASCII words, search every text.

>>> idx = TextIndex(["The FLOOD rose", "floods", None])
>>> idx.hits("flood").tolist(), idx.hits("rose|floods").tolist()
([True, False, False], [True, True, False])
"""
from __future__ import annotations

import bisect
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .text import large_strings, term_pattern, utf8_buffers

#: Characters that a case-insensitive ``re`` match equates with an ASCII letter or digit although
#: lower-casing does not turn them into one (every code point checked in ``tests/test_search.py``):
#: İ ı ſ and the Kelvin sign. A text holding one is always searched with the full pattern.
CASE_FOLD_EXTRA = "\u0130\u0131\u017f\u212a"
#: For each of :data:`CASE_FOLD_EXTRA`, one byte of its UTF-8 that English text rarely holds
#: (the lead byte of Latin Extended-A; the last byte of the Kelvin sign).
_RARE_BYTE = {ch: ch.encode("utf-8")[0 if ch < "\u0800" else -1:][:1] for ch in CASE_FOLD_EXTRA}


def literal_keys(term: str, *, regex: bool = False) -> list[str] | None:
    """Lower-cased first word of each alternative of a plain term whose words are all ASCII;
    ``None`` for a regular expression or a term with other characters.

    >>> literal_keys("White House|Kremlin"), literal_keys("re:flood"), literal_keys("Zürich")
    (['white', 'kremlin'], None, None)
    """
    t = term.strip()
    if regex or t.startswith("re:"):
        return None
    keys = [alt.split()[0].lower() for alt in t.split("|") if alt.split()]
    if not keys or not t.isascii():
        return None
    return keys


class TextIndex:
    """Many texts (a sequence or Series of str, missing values allowed) prepared for repeated
    :meth:`hits` calls: lower-cased once, then each term costs one scan of the bytes.

    ``cover`` (optional) lists columns aligned with the texts that together hold every word of
    each text, e.g. the title and body columns a text is made of: the words are then looked for
    in them (no conversion of the texts), and ``texts`` may be a function from positions to the
    texts there, called for the texts a term may match only.
    """

    def __init__(self, texts: Sequence[str | None] | pd.Series | Callable[[np.ndarray], list],
                 *, cover: Sequence[pd.Series] | None = None, n: int | None = None):
        if callable(texts):
            if cover is None or n is None:
                raise ValueError("TextIndex: a function for texts needs cover and n")
            self._fetch, self._n = texts, int(n)
        else:
            series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
            self._series, self._n = series, len(series)
            self._fetch = self._take
        self._cover = list(cover) if cover is not None else None
        self._arr = None          # the texts as Arrow, when they were converted
        self._sources: list | None = None   # (lower-cased bytes, row offsets) of each covering column
        self._ready = False
        self._done: dict = {}     # (term, regex) -> hits, for terms searched again
        self._found: dict = {}    # first word -> rows whose lower-cased text holds it

    def _prepare(self) -> None:
        """Lower-case the covering columns (or the texts) and find the texts holding one of
        :data:`CASE_FOLD_EXTRA` (on the first literal term)."""
        import pyarrow as pa

        self._ready = True
        try:
            if self._cover is None:
                arrs = [large_strings(self._series)]
                self._arr = arrs[0]
            else:
                arrs = [large_strings(c) for c in self._cover]
                if any(len(x) != self._n for x in arrs):
                    raise ValueError("cover columns must be as long as the texts")
        except (pa.ArrowException, UnicodeError, TypeError, ValueError):
            self._arr = None
            return  # e.g. lone surrogates: every term searches every text
        extra = np.zeros(self._n, dtype=bool)
        sources = []
        for arr in arrs:
            raw, offsets = _buffer(arr)
            # ASCII lower-casing is enough: a case-insensitive match of an ASCII word matches
            # ASCII letters of either case, or a character of CASE_FOLD_EXTRA (texts always
            # searched); it also keeps byte offsets, and is 3-4 times faster than Unicode's
            low = raw.lower()
            del raw
            sources.append((low, offsets))
            for ch in CASE_FOLD_EXTRA:
                key = ch.encode("utf-8")
                # a scan for a byte the character holds (memchr) rules most texts out at once
                if _RARE_BYTE[ch] in low:
                    extra[_rows_of(low, offsets, key)] = True
        self._extra = extra
        self._sources = sources

    def _take(self, pos: np.ndarray) -> list:
        if self._arr is not None:
            return self._arr.take(pos).to_pylist()
        allv = self._series.to_numpy(dtype=object)
        return [allv[i] for i in pos]

    def __len__(self) -> int:
        return self._n

    def candidates(self, term: str, *, regex: bool = False) -> np.ndarray:
        """Positions of the texts the pattern of ``term`` may match (every text for a regex)."""
        keys = literal_keys(term, regex=regex)
        if keys is not None and not self._ready:
            self._prepare()
        if keys is None or self._sources is None:
            return np.arange(self._n)
        found = self._found
        for k in keys:
            if k not in found:
                rows = [_rows_of(low, offsets, k.encode("ascii")) for low, offsets in self._sources]
                found[k] = np.unique(np.concatenate(rows))
        mask = self._extra.copy()
        for k in keys:
            mask[found[k]] = True
        return np.flatnonzero(mask)

    def hits(self, term: str, *, regex: bool = False) -> np.ndarray:
        """Whether each text mentions ``term`` (False for a missing text), as a bool array."""
        key = (term, bool(regex))
        if key not in self._done:
            self._done[key] = self._hits(term, regex=regex)
        return self._done[key].copy()

    def _hits(self, term: str, *, regex: bool = False) -> np.ndarray:
        pat = term_pattern(term, regex=regex)
        out = np.zeros(self._n, dtype=bool)
        cand = self.candidates(term, regex=regex)
        if not len(cand):
            return out
        vals = self._fetch(cand)
        keys = literal_keys(term, regex=regex) if self._sources is not None else None
        if keys is None:
            found = [isinstance(v, str) and pat.search(v) is not None for v in vals]
        else:
            extra = self._extra[cand]
            found = [isinstance(v, str) and (pat.search(v) is not None if x else _at_keys(pat, v, keys))
                     for v, x in zip(vals, extra)]
        out[cand[np.asarray(found, dtype=bool)]] = True
        return out


def _at_keys(pat, text: str, keys: list[str]) -> bool:
    """Whether ``pat`` (a plain term's pattern) matches ``text``, tried only where the lower-cased
    text holds an alternative's first word: every match starts at one of those places."""
    low = text.lower()
    if len(low) != len(text):  # lower-casing moved offsets (rare letters): search the plain way
        return pat.search(text) is not None
    match = pat.match
    for k in keys:
        i = low.find(k)
        while i >= 0:
            if match(text, i):
                return True
            i = low.find(k, i + 1)
    return False


def _buffer(arr) -> tuple[bytes, np.ndarray]:
    """The UTF-8 bytes of a LargeStringArray and the byte offset where each row starts (plus end)."""
    offsets, data = utf8_buffers(arr)
    return (data.to_pybytes() if data is not None else b""), offsets


def _rows_of(data: bytes, offsets: np.ndarray, key: bytes) -> np.ndarray:
    """Rows whose bytes hold ``key`` (a match across two rows flags the first: a harmless extra).
    After a hit the search resumes at the next row, so each row costs at most one hit."""
    if not key or len(offsets) < 2:
        return np.zeros(0, dtype=np.int64)
    bounds = offsets.tolist()
    rows = []
    find = data.find
    hi = bounds[-1]
    i = find(key, bounds[0], hi)
    while i >= 0:
        r = bisect.bisect_right(bounds, i) - 1
        rows.append(r)
        i = find(key, bounds[r + 1] if r + 1 < len(bounds) else hi, hi)
    return np.asarray(rows, dtype=np.int64)


def term_hits(texts: Sequence[str | None] | pd.Series, term: str, *, regex: bool = False) -> np.ndarray:
    """Whether each text mentions ``term``: ``TextIndex(texts).hits(term)``.

    >>> term_hits(["Iran said", "Iranian oil"], "iran").tolist()
    [True, False]
    """
    return TextIndex(texts).hits(term, regex=regex)


__all__ = ["TextIndex", "term_hits", "literal_keys", "CASE_FOLD_EXTRA"]
