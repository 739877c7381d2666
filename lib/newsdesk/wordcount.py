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

from . import registry, storage, store
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


class _Split:
    """The stored counts of one articles frame added up on the two sides of a split (1: inside,
    2: outside; exact duplicates on neither), read from the store at most once per column:

    - ``vocab``: every word stored for the articles (a list of str), ``ok``: which are keywords
      (:func:`tokens`);
    - ``art``, ``tok``: ``(len(vocab), 2)`` int64 arrays: articles using each word, and its uses,
      inside and outside;
    - ``pair_key``, ``pair_n``: each keyword pair seen as ``first * len(vocab) + second`` (codes
      into ``vocab``) and its uses inside and outside (read when first asked for, by
      :func:`_pairs`).

    Words are integer codes from the first read on: no per-article Python lists or dicts.
    """

    def __init__(self, key, digest: str, side: np.ndarray):
        self.key, self.digest, self.side = key, digest, side
        self.vocab: list[str] = []
        self.ok = np.zeros(0, dtype=bool)
        self.art = self.tok = np.zeros((0, 2), dtype=np.int64)
        self._arrow_vocab = None
        self.pair_key: np.ndarray | None = None
        self.pair_n: np.ndarray | None = None

    def select(self, values: np.ndarray, inside: bool) -> np.ndarray:
        """The inside column of ``values`` (``inside``), else both sides added up."""
        return values[:, 0] if inside else values[:, 0] + values[:, 1]


#: The last :class:`_Split` made, for the next call on the same articles (one entry: a few MB
#: of word totals, plus the pair totals once collocations were asked for).
_SPLIT_CACHE: dict = {}


#: The stored list columns of words, read dictionary-encoded (their strings are never decoded).
_WORD_COLUMNS = ("words", "w1", "w2")


def _read(articles: pd.DataFrame, column: str):
    """The stored list column ``column`` of ``articles`` (one row per article, in order), read on
    its own so that only one column's values are in memory at a time; words come
    dictionary-encoded (:data:`_WORD_COLUMNS`)."""
    table = store.get_table(articles, KIND, columns=[column], dictionary=_WORD_COLUMNS)
    if table.num_rows != len(articles):
        raise storage.StoreError(f"{KIND}: {table.num_rows} stored rows for {len(articles)} articles")
    return table.column(column)


def _chunk_values(column):
    """The values of a stored list ``column`` of ints, in row order, a chunk at a time (NumPy
    views of the column's buffers)."""
    import pyarrow.compute as pc

    for c in column.chunks:
        yield pc.list_flatten(c).to_numpy(zero_copy_only=False)


def _release() -> None:
    """Give the memory of the columns just read back to the system (Arrow's allocator keeps it)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _codes(column, vocab=None) -> tuple[np.ndarray, "pa.Array"]:
    """Integer codes (int32, in row order) of the strings of a stored list ``column`` (of strings,
    or dictionary-encoded as :func:`_read` gives it), and the strings they stand for: codes into
    ``vocab`` when it is given (every string is in it), else into the column's own distinct
    strings in the order of their first use.

    >>> import pyarrow as pa
    >>> col = pa.chunked_array([pa.array([["b", "a"], ["a", "c"]])])
    >>> codes, vocab = _codes(col)
    >>> codes.tolist(), vocab.to_pylist(), _codes(col, pa.array(["c", "b", "a"]))[0].tolist()
    ([0, 1, 1, 2], ['b', 'a', 'c'], [1, 2, 2, 0])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    flat = pc.list_flatten(column)
    coded = pa.types.is_dictionary(flat.type)
    if not coded:     # plain strings: each chunk's dictionary in the order of first use
        flat = pc.dictionary_encode(flat)
    if vocab is not None:   # each chunk's dictionary looked up once, its indices mapped
        chunks = [pc.index_in(c.dictionary, value_set=vocab).to_numpy(zero_copy_only=False)[
            c.indices.to_numpy(zero_copy_only=False)] for c in flat.chunks]
        return (np.concatenate(chunks).astype(np.int32, copy=False) if chunks else np.zeros(0, np.int32)), vocab
    enc = pa.table({"w": flat}).unify_dictionaries().column("w")
    vocab = enc.chunks[0].dictionary if enc.num_chunks else pa.array([], pa.string())
    chunks = [c.indices.to_numpy(zero_copy_only=False) for c in enc.chunks]
    codes = np.concatenate(chunks).astype(np.int32, copy=False) if chunks else np.zeros(0, np.int32)
    if coded and len(codes):
        # a stored dictionary's order is the part's, not this column's: renumber by first use
        # (pd.factorize keeps first-use order), so codes and vocabulary are those of the strings
        codes, first = pd.factorize(codes)
        codes, vocab = codes.astype(np.int32, copy=False), vocab.take(pa.array(first))
    return codes, vocab


def _sides(side: np.ndarray, column) -> np.ndarray:
    """The side of each value of a stored list ``column``, in row order."""
    import pyarrow.compute as pc

    lengths = pc.list_value_length(column).fill_null(0)
    lengths = np.concatenate([c.to_numpy(zero_copy_only=False) for c in lengths.chunks]) if lengths.num_chunks \
        else np.zeros(0, np.int64)
    return np.repeat(side, lengths)


def _split(articles: pd.DataFrame, mask=None) -> tuple[_Split, bool]:
    """The :class:`_Split` of ``articles`` by ``mask`` (None: every original inside), and whether
    the wanted articles are its inside (True) or both sides (False, when ``mask`` is None and a
    split of the same articles by another mask is already at hand)."""
    import hashlib

    key = store.articles_key(articles)
    key = key and (str(storage.store_dir(KIND)), key)
    side = np.where(np.ones(len(articles), dtype=bool) if mask is None else np.asarray(mask, dtype=bool),
                    1, 2).astype(np.int8)
    side[~is_original(articles)] = 0
    digest = hashlib.sha1(side.tobytes()).hexdigest()
    hit = _SPLIT_CACHE.get("last")
    if key is not None and hit is not None and hit.key == key:
        if hit.digest == digest:
            return hit, True
        if mask is None and np.array_equal(hit.side > 0, side > 0):
            return hit, False
    sp = _Split(key, digest, side)
    _SPLIT_CACHE.clear()
    if len(articles):
        col = _read(articles, "words")
        sides = _sides(side, col)
        codes, vocab = _codes(col)
        del col                                       # the words' strings: only their codes are kept
        nv = len(vocab)
        # one bin per word and side (2 * code + side - 1), and a last one for exact duplicates
        bins = codes                                  # in place: no second array of that length
        bins *= 2
        bins += sides
        bins -= 1
        bins[sides == 0] = 2 * nv
        del codes, sides
        art = np.bincount(bins, minlength=2 * nv + 1)[:-1]
        tok = np.zeros(2 * nv + 1)
        start = 0
        for uses in _chunk_values(_read(articles, "counts")):   # zero-copy, a chunk at a time
            tok += np.bincount(bins[start:start + len(uses)], weights=uses, minlength=2 * nv + 1)
            start += len(uses)
        tok = tok[:-1]
        del bins
        _release()
        sp._arrow_vocab = vocab
        sp.vocab = vocab.to_pylist()
        sp.ok = np.fromiter(map(_ok, sp.vocab), dtype=bool, count=nv)
        sp.art, sp.tok = art.astype(np.int64).reshape(nv, 2), tok.round().astype(np.int64).reshape(nv, 2)
    if key is not None:
        _SPLIT_CACHE["last"] = sp
    return sp, True


def _pairs(sp: _Split, articles: pd.DataFrame) -> _Split:
    """``sp`` with its pair totals (``pair_key``, ``pair_n``), read once, one column at a time."""
    import pyarrow as pa

    if sp.pair_key is not None:
        return sp
    nv = len(sp.vocab)
    if not len(articles) or not nv:
        sp.pair_key, sp.pair_n = np.zeros(0, dtype=np.int64), np.zeros((0, 2), dtype=np.int64)
        return sp
    col = _read(articles, "w1")
    sides = _sides(sp.side, col)
    keep = sides > 0
    inside = sides[keep] == 1
    del sides
    first, _ = _codes(col, sp._arrow_vocab)           # every pair word is a stored word of the article
    del col
    key = first[keep].astype(np.int64) * nv
    del first
    key += _codes(_read(articles, "w2"), sp._arrow_vocab)[0][keep]
    parts = list(_chunk_values(_read(articles, "pair_counts")))
    uses = (np.concatenate(parts) if parts else np.zeros(0, np.int64))[keep].astype(np.int32)
    del parts
    _release()
    agg = pa.table({"k": key, "o": uses, "i": np.where(inside, uses, 0).astype(np.int32)})
    del key, uses, inside, keep
    agg = agg.group_by("k", use_threads=False).aggregate([("i", "sum"), ("o", "sum")])
    sp.pair_key = agg.column("k").to_numpy()
    sp.pair_n = np.stack([agg.column("i_sum").to_numpy(), agg.column("o_sum").to_numpy()], axis=1)
    sp.pair_n[:, 1] -= sp.pair_n[:, 0]                # every use minus those inside: the outside
    del agg
    _release()
    return sp


def _word_counts_sides(articles: pd.DataFrame, mask, unit: str) -> tuple[Counter, Counter]:
    """Word counts (as :func:`word_counts`) of the articles in ``mask`` and of the others, exact
    duplicates left out, from the store (:func:`_split`: one read for every call on the same
    articles and mask; ``mask`` None: all of them, and nothing outside)."""
    sp, inside = _split(articles, mask)
    values = sp.art if unit == "article" else sp.tok
    if not inside:
        values = np.stack([values[:, 0] + values[:, 1], np.zeros(len(values), dtype=np.int64)], axis=1)
    out: tuple[Counter, Counter] = (Counter(), Counter())
    for k in (0, 1):
        col = values[:, k]
        idx = np.flatnonzero((col > 0) & sp.ok)
        out[k].update(dict(zip([sp.vocab[i] for i in idx], col[idx].tolist())))
    return out


def _collocation_counts(articles: pd.DataFrame, mask, min_count: int, pat):
    """Word uses and the pairs seen at least ``min_count`` times (holding a word that fully
    matches ``pat``, when given) in the articles of ``mask`` (None: all), exact duplicates left
    out, from the store (:func:`_split`, :func:`_pairs`): the words (a list), their uses, and each
    pair's two words (indices into the words) and uses (int64 arrays).
    """
    sp, inside = _split(articles, mask)
    sp = _pairs(sp, articles)
    tok = sp.select(sp.tok, inside)
    n = sp.select(sp.pair_n, inside)
    keep = (n > 0) & (n >= min_count)
    nv = max(1, len(sp.vocab))
    a, b = sp.pair_key // nv, sp.pair_key % nv
    if pat is not None:  # keep the pairs holding the term
        idx = np.flatnonzero(tok > 0)
        hit = np.zeros(len(sp.vocab), dtype=bool)
        hit[idx] = [bool(pat.fullmatch(sp.vocab[i])) for i in idx]
        keep &= hit[a] | hit[b]
    sel = np.flatnonzero(keep)
    return sp.vocab, tok, a[sel], b[sel], n[sel]


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
        return _word_counts_sides(articles, None, unit)[0]
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
