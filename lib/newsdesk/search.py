"""Fast term search over many texts: the same answers as :func:`newsdesk.text.term_pattern`'s
pattern searched in every text, without running the pattern on texts that cannot match.

A plain term (not ``re:``) whose words are ASCII can only match where the text holds the
first word of one of its alternatives, in any case. :class:`TextIndex` finds those texts with one
case-insensitive substring scan of the Arrow strings per word (``pyarrow.compute.match_substring``,
no copy of the texts), and runs the pattern only on the texts found there, and on the few texts
that hold a character which a case-insensitive ``re`` match equates with an ASCII letter although
lower-casing does not make it one (:data:`CASE_FOLD_EXTRA`). Those texts are fetched a chunk at a
time with their ASCII letters lower-cased (:func:`ascii_lower`, in Arrow): the case-insensitive
pattern matches them as it matches the texts, and the places to try it are found with
``str.find``. Regular expressions, and terms with non-ASCII words, search every text as it is.

>>> idx = TextIndex(["The FLOOD rose", "floods", None])
>>> idx.hits("flood").tolist(), idx.hits("rose|floods").tolist()
([True, False, False], [True, True, False])
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import sys
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .text import large_strings, term_pattern  # noqa: F401  (large_strings: search.large_strings)

#: Characters that a case-insensitive ``re`` match equates with an ASCII letter or digit although
#: lower-casing does not turn them into one (every code point checked in ``tests/test_search.py``):
#: İ ı ſ and the Kelvin sign. A text holding one is always searched with the full pattern.
CASE_FOLD_EXTRA = "\u0130\u0131\u017f\u212a"
_EXTRA_RE = "[" + CASE_FOLD_EXTRA + "]"
#: Texts fetched and searched at a time: memory stays flat however many texts a term may match.
CHUNK_ROWS = 4096
#: A term that may match more than one text in this many has every text scanned once for the
#: places it surely matches (Arrow's RE2, about 0.7 s a GB here), instead of having each of those
#: texts fetched (about 25 µs a text of 5 KB with its Python regex). Both give the same hits.
SURE_SCAN_SHARE = 10


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


def ascii_lower(texts: list) -> list:
    """The texts with their ASCII letters lower-cased and every other character kept (``None``
    stays ``None``): what a case-insensitive pattern of ASCII words matches as it matches the texts,
    with every character at its place. Arrow does it; texts Arrow cannot hold (lone surrogates)
    are lower-cased one at a time.

    >>> ascii_lower(["ÀB İstanbul", None])
    ['Àb İstanbul', None]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return pc.ascii_lower(pa.array(texts, type=pa.large_string())).to_pylist()
    except (pa.ArrowException, UnicodeError, TypeError, ValueError):
        return [t.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
                if isinstance(t, str) else t for t in texts]


@functools.lru_cache(maxsize=1)
def _hits_version() -> str:
    """What the kept hits were found by: the source of :mod:`newsdesk.text` (``term_pattern``, what
    a term matches) and of this module (the searchable text, and the search itself). An edit to
    either means no process reads hits found before it (without their source, as in a frozen
    install, the package's version)."""
    from . import __version__, registry, text

    try:
        return registry.code_version(text, sys.modules[__name__])
    except (OSError, TypeError):
        return f"newsdesk {__version__}"


class HitsFolder:
    """Term hits kept on disk, in ``folder``, for one set of texts: a process that searches the
    same articles for the same term (the report's other notebooks, its front page, a kernel started
    again) reads the answer instead of scanning every text again.

    One file per named array of one bool per text (a term's hits, the texts that hold a word in
    any case), packed eight to a byte and followed by their SHA-1: a file that does not check out
    is computed again and written anew. Writes are atomic; a folder that cannot be written only
    keeps nothing (:meth:`save` returns False).

    >>> import tempfile
    >>> hf = HitsFolder(tempfile.mkdtemp())
    >>> hf.save("hits 0 flood", np.array([True, False, True])), hf.load("hits 0 flood", 3).tolist()
    (True, [True, False, True])
    >>> hf.load("hits 1 flood", 3) is None, hf.load("hits 0 flood", 4) is None
    (True, True)
    """

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    @classmethod
    def among(cls, base: str | os.PathLike, key: str, *, keep: int) -> "HitsFolder":
        """The folder of the texts ``key`` under ``base``, marked as just used; only the ``keep``
        folders used last are kept (the others are removed, whatever they hold)."""
        import shutil

        base = Path(base)
        hf = cls(base / key)
        with contextlib.suppress(OSError):
            os.utime(hf.folder)
        try:
            others = sorted((d for d in base.iterdir() if d.is_dir() and d.name != key),
                            key=lambda d: d.stat().st_mtime, reverse=True)
        except OSError:
            return hf
        for d in others[max(0, keep - 1):]:
            shutil.rmtree(d, ignore_errors=True)
        return hf

    def _file(self, name: str, n: int, suffix: str = ".bits") -> Path:
        key = hashlib.sha1(f"{_hits_version()}\x1f{n}\x1f{name}".encode("utf-8", "surrogatepass"))
        return self.folder / f"{key.hexdigest()[:24]}{suffix}"

    def _read(self, path: Path) -> bytes | None:
        """The bytes kept in ``path`` before their SHA-1, or None when absent or damaged."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return data[:-20] if len(data) >= 20 and hashlib.sha1(data[:-20]).digest() == data[-20:] else None

    def _write(self, path: Path, data: bytes) -> bool:
        from .atomic import atomic_write_bytes

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, data + hashlib.sha1(data).digest())
        except OSError:
            return False
        return True

    def load(self, name: str, n: int) -> np.ndarray | None:
        """The array ``name`` of ``n`` texts, or None when it is not kept (or does not check out)."""
        bits = self._read(self._file(name, n))
        if bits is None or len(bits) != (n + 7) // 8:
            return None
        return np.unpackbits(np.frombuffer(bits, dtype=np.uint8), count=n).astype(bool)

    def save(self, name: str, hits: np.ndarray) -> bool:
        """Keep the array ``hits`` as ``name``; False when the folder cannot be written."""
        return self._write(self._file(name, len(hits)), np.packbits(np.asarray(hits, dtype=bool)).tobytes())

    def load_arrays(self, name: str, n: int) -> dict[str, np.ndarray] | None:
        """The arrays kept as ``name`` for ``n`` texts by :meth:`save_arrays`, or None.

        >>> import tempfile
        >>> hf = HitsFolder(tempfile.mkdtemp())
        >>> hf.save_arrays("rows flood", 3, pos=np.array([0, 2])), hf.load_arrays("rows flood", 3)["pos"].tolist()
        (True, [0, 2])
        """
        import io

        data = self._read(self._file(name, n, ".npz"))
        if data is None:
            return None
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                return {k: z[k] for k in z.files}
        except (OSError, ValueError, EOFError):
            return None

    def save_arrays(self, name: str, n: int, **arrays: np.ndarray) -> bool:
        """Keep numeric ``arrays`` (no objects) computed from ``n`` texts as ``name``; False when
        the folder cannot be written."""
        import io

        buf = io.BytesIO()
        np.savez(buf, **{k: np.asarray(v) for k, v in arrays.items()})
        return self._write(self._file(name, n, ".npz"), buf.getvalue())


class TextIndex:
    """Many texts (a sequence or Series of str, missing values allowed) prepared for repeated
    :meth:`hits` calls: each word of a term costs one scan of the texts, each term is searched once.

    ``cover`` (optional) lists columns aligned with the texts that together hold every word of
    each text, e.g. the title and body columns a text is made of: the words are then looked for
    in them (no conversion of the texts), and ``texts`` may be a function ``texts(pos, lower=False)``
    from positions to the texts there (with ``lower=True``, as :func:`ascii_lower` gives them),
    called for the texts a term may match only. ``sure`` (optional) is a function from an RE2
    pattern to whether a piece of each text matches it, case-insensitive (:func:`pieces_match`),
    the pieces being bounded in the text by its ends or by characters that are not letters or
    digits (a title, a clean text): when a term may match many texts (more than one in
    :data:`SURE_SCAN_SHARE`), one such scan of every text finds those that surely match
    (:func:`_sure_pattern`), and they are not fetched. ``stored`` (optional) keeps each term's
    hits on disk for these texts (:class:`HitsFolder`), and reads them from there first.
    """

    def __init__(self, texts: Sequence[str | None] | pd.Series | Callable[..., list],
                 *, cover: Sequence[pd.Series] | None = None, n: int | None = None,
                 sure: Callable[[str], np.ndarray] | None = None, stored: HitsFolder | None = None):
        if callable(texts):
            if cover is None or n is None:
                raise ValueError("TextIndex: a function for texts needs cover and n")
            self._fetch, self._n = texts, int(n)
        else:
            series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
            self._series, self._n = series, len(series)
            self._fetch = self._take
        self._cover = list(cover) if cover is not None else None
        self._sure = sure
        self._stored = stored
        self._arr = None          # the texts as Arrow, when they were converted
        self._arrs: list | None = None   # the Arrow arrays the words are looked for in
        self._ready = False
        self._done: dict = {}     # (term, regex) -> hits, for terms searched again
        self._found: dict = {}    # first word -> rows whose text holds it, in any case

    def _prepare(self) -> None:
        """Convert the covering columns (or the texts) to Arrow and find the texts holding one of
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
        self._arrs = arrs
        self._extra = self._kept("extra", lambda: _holding(arrs, _EXTRA_RE, regex=True))
        if self._sure is None and self._arr is not None:
            self._sure = lambda pattern: pieces_match([self._arr], pattern)

    def _take(self, pos: np.ndarray, lower: bool = False) -> list:
        if self._arr is not None:
            import pyarrow as pa
            import pyarrow.compute as pc

            part = self._arr.take(pa.array(pos))
            return (pc.ascii_lower(part) if lower else part).to_pylist()
        allv = self._series.to_numpy(dtype=object)
        vals = [allv[i] for i in pos]
        return ascii_lower(vals) if lower else vals

    @property
    def stored(self) -> HitsFolder | None:
        """Where these texts' hits are kept on disk (None: nowhere)."""
        return self._stored

    def __len__(self) -> int:
        return self._n

    def candidates(self, term: str, *, regex: bool = False) -> np.ndarray:
        """Positions of the texts the pattern of ``term`` may match (every text for a regex)."""
        keys = literal_keys(term, regex=regex)
        if keys is not None and not self._ready:
            self._prepare()
        if keys is None or self._arrs is None:
            return np.arange(self._n)
        found = self._found
        for k in keys:
            if k not in found:
                found[k] = np.flatnonzero(self._kept(f"word {k}", lambda: _holding(self._arrs, k)))
        mask = self._extra.copy()
        for k in keys:
            mask[found[k]] = True
        return np.flatnonzero(mask)

    def hits(self, term: str, *, regex: bool = False) -> np.ndarray:
        """Whether each text mentions ``term`` (False for a missing text), as a bool array."""
        key = (term, bool(regex))
        if key not in self._done:
            self._done[key] = self._kept(f"hits {int(bool(regex))} {term}", lambda: self._hits(term, regex=regex))
        return self._done[key].copy()

    def _kept(self, name: str, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """The bool array ``name`` (one per text) from the stored folder, or computed (and kept)."""
        got = self._stored.load(name, self._n) if self._stored is not None else None
        if got is None:
            got = compute()
            if self._stored is not None:
                self._stored.save(name, got)
        return got

    def _hits(self, term: str, *, regex: bool = False) -> np.ndarray:
        pat = term_pattern(term, regex=regex)
        out = np.zeros(self._n, dtype=bool)
        cand = self.candidates(term, regex=regex)
        keys = literal_keys(term, regex=regex) if self._arrs is not None else None
        if keys is not None and self._sure is not None and len(cand) * SURE_SCAN_SHARE > self._n:
            sure = self._sure(_sure_pattern(term))[cand]   # where a piece surely matches, the text does
            out[cand[sure]] = True
            cand = cand[~sure]                             # the others are fetched and searched
        for lo in range(0, len(cand), CHUNK_ROWS):
            part = cand[lo:lo + CHUNK_ROWS]
            if keys is None:        # a regex may set its own flags: search the texts as they are
                vals = self._fetch(part)
                found = [isinstance(v, str) and pat.search(v) is not None for v in vals]
            else:
                vals = self._fetch(part, lower=True)
                extra = self._extra[part].tolist()
                found = [isinstance(v, str) and (pat.search(v) is not None if x else _at_keys(pat, v, keys))
                         for v, x in zip(vals, extra)]
            out[part[np.asarray(found, dtype=bool)]] = True
        return out


def _at_keys(pat, low: str, keys: list[str]) -> bool:
    """Whether ``pat`` (a plain term's case-insensitive pattern) matches ``low`` (a text with its
    ASCII letters lower-cased, holding none of :data:`CASE_FOLD_EXTRA`), tried only where it holds
    an alternative's first word: every match starts at one of those places."""
    match = pat.match
    for k in keys:
        i = low.find(k)
        while i >= 0:
            if match(low, i):
                return True
            i = low.find(k, i + 1)
    return False


#: An ASCII character that is neither a letter, a digit nor ``_``: no word character for ``re``.
_ASCII_NON_WORD = r"[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]"


def _sure_pattern(term: str) -> str:
    """An RE2 pattern (for ``pyarrow.compute.match_substring_regex``, case-insensitive) for a plain
    term whose every match in a text is a match of :func:`newsdesk.text.term_pattern`'s pattern:
    an alternative's words (RE2's ``\\s`` is ASCII whitespace; its case folding of ASCII letters,
    ``k`` and the Kelvin sign, ``s`` and ``ſ``, is ``re``'s too) between the text's ends or ASCII
    characters that are no word characters. A text it does not match may still match (a neighbour
    such as ``_`` or ``é``): the pattern decides those.

    >>> import pyarrow as pa, pyarrow.compute as pc
    >>> pc.match_substring_regex(pa.array(["the White  House.", "white-houses", "(u.s.)"]),
    ...                          _sure_pattern("white house|U.S."), ignore_case=True).to_pylist()
    [True, False, True]
    """
    alts = [r"\s+".join(re.escape(w) for w in alt.split()) for alt in term.split("|") if alt.split()]
    return f"(?:^|{_ASCII_NON_WORD})(?:{'|'.join(alts)})(?:$|{_ASCII_NON_WORD})"


def _holding(arrs: list, key: str, *, regex: bool = False, ignore_case: bool = False) -> np.ndarray:
    """Whether each row of any of ``arrs`` (aligned Arrow string arrays) holds ``key``: in any case
    (a superset of the rows whose ASCII-lower-cased text holds it), or a match of a regex."""
    import pyarrow.compute as pc

    out = None
    for arr in arrs:
        m = (pc.match_substring_regex(arr, key, ignore_case=ignore_case) if regex
             else pc.match_substring(arr, key, ignore_case=True))
        m = pc.fill_null(m, False).to_numpy(zero_copy_only=False)
        out = m if out is None else (out | m)
    return np.asarray(out, dtype=bool)


def pieces_match(arrs: list, pattern: str) -> np.ndarray:
    """Whether a row of any of ``arrs`` (aligned Arrow string arrays) matches the RE2 ``pattern``,
    case-insensitive: the ``sure`` function of a :class:`TextIndex` whose texts are those rows.

    >>> pieces_match([large_strings(["The FLOOD", None])], _sure_pattern("flood")).tolist()
    [True, False]
    """
    return _holding(arrs, pattern, regex=True, ignore_case=True)


def article_index(titles, bodies, offsets, lengths, *, stored: HitsFolder | None = None) -> TextIndex | None:
    """A :class:`TextIndex` over articles' searchable text, the title, a newline and the clean
    text (``body[offset:offset + length]``), kept as the title and body columns Arrow holds (no
    copy): words are looked for in those columns, and the texts are built only for the articles a
    term may match, from those rows alone; where a title or clean text surely matches, not at all.
    ``None`` when a column is not one Arrow can hold (then search the texts themselves).

    >>> idx = article_index(["Flood", "Vote"], ["Flood\\nThe river rose.", "Vote\\n(AFP) flood"], [6, 5], [15, 11])
    >>> idx.hits("river").tolist(), idx.hits("flood").tolist(), idx.hits("afp").tolist()
    ([True, False], [True, True], [False, True])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from .text import slice_view

    try:
        titles, bodies = large_strings(titles), large_strings(bodies)
    except (pa.ArrowException, UnicodeError, TypeError, ValueError):
        return None
    starts = np.asarray(offsets, dtype=np.int64)
    ends = starts + np.asarray(lengths, dtype=np.int64)

    def texts(pos: np.ndarray, lower: bool = False) -> list[str]:
        take = pa.array(pos)
        t, b = titles.take(take), bodies.take(take)
        if lower:
            t, b = pc.ascii_lower(t), pc.ascii_lower(b)
        return [f"{x}\n{y[s:e]}" for x, y, s, e in zip(t.to_pylist(), b.to_pylist(), starts[pos].tolist(),
                                                       ends[pos].tolist())]

    view: list = []          # the clean texts as elements of one view of the bodies, made once

    def sure(pattern: str) -> np.ndarray:
        """Whether the title or the clean text of each article matches ``pattern``: pieces of the
        text that a newline and the text's ends bound."""
        if not view:
            view.extend(slice_view(bodies, np.arange(len(bodies)), starts, ends))
        arr, at = view
        clean = pieces_match([arr], pattern)
        return pieces_match([titles], pattern) | np.where(at >= 0, clean[np.maximum(at, 0)], False)

    return TextIndex(texts, n=len(titles), cover=[titles, bodies], sure=sure, stored=stored)


#: The last articles' indexes (:func:`articles_index`), by the articles' identity (ids, content
#: hashes, clean-text spans): a notebook's charts and tables search the same articles many times.
_INDEX_CACHE: dict = {}


def kept_folder(articles: pd.DataFrame) -> HitsFolder | None:
    """Where what is found in articles from ``load_corpus`` is kept on disk for the next caller
    on the same articles (their term hits, the scores of the sentences mentioning a term, the
    names of the subject sample): ``CACHE_DIR/hits/<articles>/``; None for other frames.

    >>> kept_folder(articles).folder                                               # doctest: +SKIP
    PosixPath('data/cache/hits/300-b1e63401219dcf5486acdbe32560c4f8ba19140f')
    """
    from . import store

    key = store.articles_key(articles)
    return None if key is None else _folder_of(key)


def _folder_of(key: tuple) -> HitsFolder:
    from . import config

    return HitsFolder.among(config.CACHE_DIR / "hits", f"{key[0]}-{key[1]}", keep=config.TERM_HITS_SETS)


def articles_index(articles: pd.DataFrame) -> TextIndex | None:
    """The :class:`TextIndex` over the title and clean text of articles from ``load_corpus``
    (:func:`article_index`), one per process for the same articles, with each term's hits kept on
    disk under ``CACHE_DIR/hits/`` (:class:`HitsFolder`), so the term searches of every chart,
    table and notebook on those articles share them. None for a frame without the loader's columns
    (or texts Arrow cannot hold): search its texts with a :class:`TextIndex` of its own.

    >>> articles_index(articles).hits("flood")                                     # doctest: +SKIP
    """
    from . import store

    key = store.articles_key(articles) if {"title", "body"} <= set(articles.columns) else None
    if key is None:
        return None
    if key in _INDEX_CACHE:
        return _INDEX_CACHE[key]
    stored = _folder_of(key)
    index = article_index(articles["title"].fillna(""), articles["body"], articles["text_offset"],
                          articles["text_length"], stored=stored)
    if index is not None:
        from . import config

        while len(_INDEX_CACHE) >= max(1, config.TERM_INDEX_CACHE_SETS):
            _INDEX_CACHE.pop(next(iter(_INDEX_CACHE)))
        _INDEX_CACHE[key] = index
    return index


def term_hits(texts: Sequence[str | None] | pd.Series, term: str, *, regex: bool = False) -> np.ndarray:
    """Whether each text mentions ``term``: ``TextIndex(texts).hits(term)``.

    >>> term_hits(["Iran said", "Iranian oil"], "iran").tolist()
    [True, False]
    """
    return TextIndex(texts).hits(term, regex=regex)


__all__ = ["TextIndex", "HitsFolder", "article_index", "articles_index", "kept_folder", "pieces_match", "term_hits", "literal_keys", "ascii_lower", "CASE_FOLD_EXTRA",
           "CHUNK_ROWS", "SURE_SCAN_SHARE"]
