"""Text cleaning, words and the term syntax shared by every notebook.

The *clean text* of an article is its body without the repeated title line at the top
and without the closing wire line (``- AFP``). It is a slice of the body, so an offset in
the clean text plus the article's ``text_offset`` is an offset into the body.

Term syntax (used by timelines, keywords, sentiment and KWIC alike):

- a term is a case-insensitive word or phrase: ``Russia``, ``White House``; it matches whole
  words, so ``Iran`` does not match ``Iranian``, and a phrase's words may be separated by any
  white space;
- ``A|B`` lists alternatives: ``Russia|Kremlin`` matches either;
- a regular expression is used only when asked for: ``regex=True`` or a ``re:`` prefix
  (``re:Russi(a|an)``).

Where a *list of series* is wanted (a timeline, a comparison), a Python list gives one series
per item (``["Russia|Kremlin", "Iran"]`` is two series), and a plain string with ``|`` gives one
series per alternative (``"Trump|Clinton"`` is two series, Trump and Clinton).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Iterable, Iterator, Sequence

import numpy as np

from . import resources as R

__all__ = ["content_span", "clean_text", "wire_agency", "span_and_agency", "words", "count_words",
           "count_words_many", "term_pattern", "parse_terms", "contains_term", "split_sentences",
           "sentences", "sentence_breaks", "SentenceIndex", "LineSentences", "is_abbreviation",
           "large_strings", "arrow_strings", "utf8_buffers", "slices", "slice_view"]


def _lines_with_offsets(body: str):
    start = 0
    for line in body.splitlines(keepends=True):
        yield start, line
        start += len(line)


_NON_WORD_RE = re.compile(r"\W+")


def _norm_title(s: str) -> str:
    return _NON_WORD_RE.sub(" ", s).strip().lower()


def content_span(body: str, title: str | None = None) -> tuple[int, int]:
    """Return ``(start, end)`` of the clean text inside ``body``.

    Drops the first non-blank line when it repeats ``title`` (punctuation, case and spacing
    ignored) and the last non-blank line when it is a wire line.

    >>> body = "Trump urges Russia\\n\\nHe said so.\\n- AFP\\n"
    >>> s, e = content_span(body, "Trump urges Russia")
    >>> body[s:e].strip()
    'He said so.'
    """
    start, end, _ = span_and_agency(body, title)
    return start, end


def _first_line(body: str) -> tuple[int, int] | None:
    """``(start, end)`` of the first non-blank line, its line break included; ``None`` if blank."""
    m = _NON_SPACE_RE.search(body)
    if m is None:
        return None
    off = body.rfind("\n", 0, m.start()) + 1
    nl = body.find("\n", m.start())
    return off, (len(body) if nl < 0 else nl + 1)


def _last_line(body: str) -> tuple[int, int]:
    """``(start, end)`` of the last non-blank line, its line break included (body not blank)."""
    tail = body[-256:]                  # not body.rstrip(), which copies the whole body
    r = len(body) - len(tail) + len(tail.rstrip())
    if r == len(body) - len(tail):      # 256 white space characters at the end
        r = len(body.rstrip())
    off = body.rfind("\n", 0, r) + 1
    nl = body.find("\n", r - 1)
    return off, (len(body) if nl < 0 else nl + 1)


def _tidy(body: str, start: int, end: int) -> tuple[int, int]:
    # skip leading blank lines and trailing white space so the span is tidy
    while start < end and body[start] in "\r\n":
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


_NON_SPACE_RE = re.compile(r"\S")
_WORD_CHAR_RE = re.compile(r"\w")


def _exotic_breaks(text: str) -> bool:
    """Does ``text`` hold a line break other than ``\\n`` (see ``R.EXOTIC_LINE_BREAK_RE``)?"""
    # a few substring tests beat a character-class search by five times on article-sized text
    return any(c in text for c in (R.ASCII_EXOTIC_BREAKS if text.isascii() else R.EXOTIC_BREAKS))


def _content_span_lines(body: str, title: str | None) -> tuple[int, int]:
    """:func:`content_span` by ``str.splitlines`` (every Unicode line break)."""
    lines = list(_lines_with_offsets(body))
    start, end = 0, len(body)
    nonblank = [(off, ln) for off, ln in lines if ln.strip()]
    if not nonblank:
        return 0, 0
    first_off, first = nonblank[0]
    if title is not None and _norm_title(first) and _norm_title(first) == _norm_title(title):
        start = first_off + len(first)
    last_off, last = nonblank[-1]
    if last_off >= start and R.WIRE_LINE_RE.match(last.rstrip("\r\n")):
        end = last_off
    return _tidy(body, start, end)


def clean_text(body: str, title: str | None = None) -> str:
    """The body without its repeated title line and closing wire line.

    >>> clean_text("Big news\\nIt happened.\\n- Reuters\\n", "Big news")
    'It happened.'
    """
    s, e = content_span(body, title)
    return body[s:e]


def wire_agency(body: str) -> str | None:
    """The agency named by a closing wire line, or ``None``.

    >>> wire_agency("Text.\\n- AFP/Reuters\\n \\n")
    'AFP/Reuters'
    """
    if _exotic_breaks(body):
        last = next((ln for ln in reversed(body.splitlines()) if ln.strip()), None)
    elif body.strip():
        a, b = _last_line(body)
        last = body[a:b].rstrip("\n")
    else:
        last = None
    if last is None:
        return None
    m = R.WIRE_LINE_RE.match(last)
    return _agency(m) if m else None


def _agency(m: re.Match) -> str | None:
    names = [" ".join(a.split()) for a in re.split(r"\s*[/,&]\s*", m.group("agency").strip())]
    names = [R.AGENCY_CANONICAL.get(a.lower(), a) for a in names]
    names = [a for a in names if a.upper() not in R.AGENCY_MISSING]
    return "/".join(names) or None


def span_and_agency(body: str, title: str | None = None) -> tuple[int, int, str | None]:
    """``(*content_span(body, title), wire_agency(body))`` in one pass over the body (the loader's).

    >>> span_and_agency("Big news\\nIt happened.\\n- Reuters\\n", "Big news")
    (9, 21, 'Reuters')
    """
    if _exotic_breaks(body):
        return (*_content_span_lines(body, title), wire_agency(body))
    first = _first_line(body)
    if first is None:
        return 0, 0, None
    start, end = 0, len(body)
    if title is not None:
        line, head = body[first[0]:first[1]].strip(), title.strip()
        # the usual cases without lower-casing: the title itself, or followed by punctuation only
        if (line == head or (line.startswith(head) and not _WORD_CHAR_RE.search(line, len(head)))) \
                and _WORD_CHAR_RE.search(title):
            start = first[1]
        else:
            norm = _norm_title(line)
            if norm and norm == _norm_title(title):
                start = first[1]
    last_off, last_end = _last_line(body)
    m = R.WIRE_LINE_RE.match(body[last_off:last_end].rstrip("\n"))
    if m is None:
        return (*_tidy(body, start, end), None)
    if last_off >= start:
        end = last_off
    return (*_tidy(body, start, end), _agency(m))


def words(text: str) -> list[str]:
    """Word tokens of ``text`` (letters and digits, inner apostrophes and hyphens kept).

    >>> words("Mr. Lavrov's well-known plan, 2017.")
    ['Mr', "Lavrov's", 'well-known', 'plan', '2017']
    """
    return R.WORD_RE.findall(text)


def count_words(text: str) -> int:
    """Number of word tokens in ``text`` (as :func:`words` finds them).

    >>> count_words("Mr. Lavrov's well-known plan, 2017.")
    5
    """
    return len(R.WORD_RE.findall(text))


def count_words_many(texts: Sequence[str]) -> np.ndarray:
    """:func:`count_words` of each text, as an ``int64`` array, six times faster for many texts.

    A word is a run of letters and digits (``str.isalnum``), runs joined by one of ``'’.-`` being
    one word, so the count is (runs) - (joiners with a letter or digit on both sides): computed
    with NumPy on the characters' classes, some 64,000 characters at a time so the arrays stay in
    cache. Plain ASCII texts are classed a byte at a time by ``bytes.translate``, others by their
    UTF-16 code units; texts with characters outside the Basic Multilingual Plane are counted by
    :func:`count_words`.

    >>> count_words_many(["Mr. Lavrov's well-known plan, 2017.", "", "a..b"]).tolist()
    [5, 0, 2]
    """
    out = np.zeros(len(texts), dtype=np.int64)
    plain = np.fromiter((t.isascii() for t in texts), dtype=bool, count=len(texts))
    for idx, classes in ((np.flatnonzero(plain), _ascii_classes), (np.flatnonzero(~plain), _wide_classes)):
        batch, size, start = [], 0, 0
        for k, i in enumerate(idx):
            batch.append(texts[i])
            size += len(texts[i])
            if size >= _WORD_BATCH_CHARS or k == len(idx) - 1:
                out[idx[start:k + 1]] = _count_batch(batch, classes)
                batch, size, start = [], 0, k + 1
    return out


_WORD_BATCH_CHARS = 1 << 16   # characters per NumPy pass: larger arrays fall out of the CPU cache


@lru_cache(maxsize=1)
def _word_table() -> np.ndarray:
    """The class of each character of the Basic Multilingual Plane: 1 letter or digit, 2 joiner,
    0 anything else (as :data:`_ASCII_CLASS`)."""
    bmp = "".join(map(chr, range(0xD800))) + "\0" * 0x800 + "".join(map(chr, range(0xE000, 0x10000)))
    table = np.fromiter(map(str.isalnum, bmp), dtype=np.uint8, count=0x10000)
    table[[ord(c) for c in R.WORD_JOINERS]] = 2
    return table


#: ``bytes.translate`` table of ASCII text: letters and digits 1, joiners 2, anything else 0.
_ASCII_CLASS = bytes((1 if chr(i).isalnum() else 2 if chr(i) in R.WORD_JOINERS else 0) for i in range(128)) + bytes(128)


def _ascii_classes(joined: str) -> tuple[np.ndarray, np.ndarray]:
    """``(is letter or digit, is joiner)`` of each character of ASCII text, by ``bytes.translate``."""
    cls = np.frombuffer(joined.encode("ascii").translate(_ASCII_CLASS), dtype=np.uint8)
    return cls == 1, cls == 2


def _wide_classes(joined: str) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`_ascii_classes` of any text by its UTF-16 code units; ``None`` when a character lies
    beyond the Basic Multilingual Plane (or is a lone surrogate)."""
    cp = np.frombuffer(joined.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    if ((cp >= 0xD800) & (cp < 0xE000)).any():
        return None
    cls = _word_table()[cp]                      # one look-up per character (a quarter of the time)
    return cls == 1, cls == 2


def _count_batch(texts: list[str], classes) -> np.ndarray:
    joined = "\n".join(texts) + "\n"             # \n is neither a letter nor a joiner
    got = classes(joined)
    if got is None:                              # the regex, text by text
        return np.array([count_words(t) for t in texts], dtype=np.int64)
    alnum, joiner = got
    per_char = alnum.view(np.int8).copy()                     # +1 per letter or digit ...
    per_char[1:] -= (alnum[:-1] & alnum[1:]).view(np.int8)    # ... that starts a run
    per_char[1:-1] -= (joiner[1:-1] & alnum[:-2] & alnum[2:]).view(np.int8)  # -1 per inner joiner
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    offsets = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=offsets[1:])
    return np.add.reduceat(per_char, offsets, dtype=np.int64)


# --------------------------------------------------------------------------- terms
@lru_cache(maxsize=512)
def term_pattern(term: str, *, regex: bool = False) -> re.Pattern:
    """Compile a term (see the module doc) into a case-insensitive pattern.

    >>> bool(term_pattern("white house").search("The White  House said"))
    True
    >>> bool(term_pattern("Iran").search("Iranian oil"))
    False
    >>> bool(term_pattern("Russia|Kremlin").search("the Kremlin said"))
    True
    """
    term = term.strip()
    if term.startswith("re:"):
        regex, term = True, term[3:]
    if not term:
        raise ValueError("empty term")
    if regex:
        try:
            return re.compile(term, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"invalid regular expression {term!r}: {exc}") from None
    alts = [a.strip() for a in term.split("|") if a.strip()]
    if not alts:
        raise ValueError(f"term {term!r} has no words")
    parts = []
    for alt in alts:
        phrase = r"\s+".join(re.escape(w) for w in alt.split())
        parts.append(rf"(?<![^\W_]){phrase}(?![^\W_])")
    return re.compile("|".join(parts), re.IGNORECASE)


def parse_terms(terms: str | Iterable[str] | None) -> dict[str, str]:
    """Turn a terms parameter into ``{label: term}``, one entry per series.

    >>> parse_terms("Trump|Clinton")
    {'Trump': 'Trump', 'Clinton': 'Clinton'}
    >>> parse_terms(["Russia|Kremlin", "Iran"])
    {'Russia|Kremlin': 'Russia|Kremlin', 'Iran': 'Iran'}
    """
    if terms is None:
        return {}
    if isinstance(terms, str):
        if terms.strip().startswith("re:"):
            items = [terms.strip()]
        else:
            items = [t for t in terms.split("|")]
    else:
        items = list(terms)
    out: dict[str, str] = {}
    for t in items:
        t = str(t).strip()
        if t:
            term_pattern(t)  # validate early, with a clear message
            out[t] = t
    return out


def contains_term(texts: Iterable[str], term: str, *, regex: bool = False) -> list[bool]:
    """For each text, whether it mentions ``term``.

    >>> contains_term(["Russia and Iran", "Nothing here"], "iran")
    [True, False]
    """
    pat = term_pattern(term, regex=regex)
    return [bool(pat.search(t or "")) for t in texts]


# --------------------------------------------------------------------------- sentences
# Rules rather than a trained model: no download, deterministic, and fast (one regex pass per
# text plus a set lookup per candidate end). They cover what news copy needs: titles (``Mr.``),
# acronyms (``U.S.``), dates (``Sept. 11``), initials (``George W. Bush``), quotes ending in
# ``.”``, and one paragraph per line (a line end is a boundary unless the line ends mid-sentence
# and the next starts in lower case, as in hard-wrapped text). Word lists live in resources.
def _is_boundary(text: str, punct_start: int, punct: str, nxt: int) -> bool:
    """Whether terminal punctuation ``punct`` at ``punct_start`` ends a sentence, given the
    first non-space character after it at ``nxt``."""
    j = nxt
    n = len(text)
    while j < n and text[j] in R.OPENING_PUNCT:
        j += 1
    opened = j > nxt
    if j >= n:
        return True
    c = text[j]
    if c.islower():
        return False
    if not (c.isupper() or c.isdigit() or opened):
        return False
    if punct[0] != "." or punct.startswith(".."):
        return True  # ! ? … and ellipses end a sentence before a capital
    # the token before the dot
    k = punct_start
    while k > 0 and not text[k - 1].isspace():
        k -= 1
    prev = text[k:punct_start].lstrip(R.OPENING_PUNCT)
    if not prev:
        return True
    low = prev.lower()
    if low not in R.ABBREV_NEVER_FINAL and low not in R.ABBREV_MAYBE_FINAL:
        m = R.TOKEN_TAIL_RE.search(prev)  # ``then-Sen.``, ``(Rep.``
        if m and m.start():
            prev = m.group()
            low = prev.lower()
    if low in R.ABBREV_NEVER_FINAL:
        return False
    if c.isdigit() and low in R.ABBREV_BEFORE_NUMBER:
        return False
    if (low in R.ABBREV_MAYBE_FINAL or (len(prev) == 1 and prev.isupper())
            or R.ACRONYM_RE.fullmatch(prev)):
        if opened:
            return True
        e = j
        while e < n and (text[e].isalpha() or text[e] in "'’"):
            e += 1
        return text[j:e].lower() in R.SENTENCE_OPENERS
    return True


def _boundaries(text: str, lo: int, hi: int | None) -> Iterator[re.Match]:
    for m in (R.SENTENCE_END_RE.finditer(text, lo) if hi is None else R.SENTENCE_END_RE.finditer(text, lo, hi)):
        nxt = m.end()
        c = text[nxt]      # what _is_boundary needs first, checked here to save the call
        if (c.isupper() or c.isdigit() or c in R.OPENING_PUNCT) and _is_boundary(text, m.start(), m.group(1), nxt):
            yield m


def sentence_breaks(text: str, lo: int = 0, hi: int | None = None) -> Iterator[tuple[int, int]]:
    """``(end, next_start)`` of each sentence end inside a line of ``text[lo:hi]``, in order:
    ``end`` follows the terminal punctuation and any closing quotes or brackets, ``next_start``
    is where the next sentence begins. The one rule for sentence ends: :func:`split_sentences`
    (tone) and the quote extractor (``newsdesk.quotes``, through :class:`SentenceIndex`) both use
    it. What follows ``hi`` is not looked at for the next sentence's first character, so a
    sentence does not end right at ``hi``.

    >>> t = "Sen. Ted Cruz spoke in the U.S. Senate. He left."
    >>> [t[a:b] for a, b in sentence_breaks(t)]
    [' ']
    """
    for m in _boundaries(text, lo, hi):
        yield m.start(2), m.end()


class SentenceIndex:
    """The sentence ends of ``text[lo:hi]`` (:func:`sentence_breaks`), found once for many
    look-ups in windows of it: a look-up in ``text[a:b]`` sees the ends that a scan of that
    window would find.

    >>> t = "Sen. Ted Cruz spoke. He left. She stayed."
    >>> ix = SentenceIndex(t)
    >>> t[ix.start(0, len(t)):], t[:ix.end(0, len(t))], ix.starts
    ('She stayed.', 'Sen. Ted Cruz spoke.', [21, 30])
    """

    def __init__(self, text: str, lo: int = 0, hi: int | None = None):
        found = [(m.end(1), m.start(2), m.end()) for m in _boundaries(text, lo, hi)]
        self._punct = [f[0] for f in found]     # where the terminal punctuation ends
        self.ends = [f[1] for f in found]
        self.starts = [f[2] for f in found]

    def _window(self, lo: int, hi: int) -> tuple[int, int]:
        return bisect_right(self._punct, lo), bisect_left(self.starts, hi)

    def start(self, lo: int, hi: int) -> int:
        """Start of the sentence containing position ``hi``, not before ``lo``."""
        i, j = self._window(lo, hi)
        return self.starts[j - 1] if j > i else lo

    def end(self, lo: int, hi: int) -> int:
        """End of the first sentence ending in ``text[lo:hi]``, else ``hi``."""
        i, j = self._window(lo, hi)
        return self.ends[i] if j > i else hi


class LineSentences:
    """A :class:`SentenceIndex` per line of one text (sentences never cross a line), each found
    once when first asked for: the quote rules ask per paragraph, speaker resolution per line
    of a name, and neither scans a line twice.

    >>> ls = LineSentences("He came. She left.\\nThey stayed. We went.")
    >>> ls.line(19, 40).starts
    [32]
    """

    def __init__(self, text: str):
        self.text = text
        self._lines: dict[tuple[int, int], SentenceIndex] = {}

    def line(self, ps: int, pe: int) -> SentenceIndex:
        """The index of the line ``text[ps:pe]``."""
        ix = self._lines.get((ps, pe))
        if ix is None:
            ix = self._lines[(ps, pe)] = SentenceIndex(self.text, ps, pe)
        return ix


def is_abbreviation(token: str) -> bool:
    """Whether ``token``, written with its final dot, is an abbreviation the sentence rules know
    (``Mr.``, ``Sept.``, ``Calif.``, ``Inc.``), an acronym (``U.S.``) or an initial (``J.``).

    >>> [is_abbreviation(t) for t in ("Sen.", "U.S.", "J.", "Calif.", "said.", "Trump")]
    [True, True, True, True, False, False]
    """
    if not token.endswith(".") or len(token) < 2:
        return False
    body = token[:-1]
    low = body.lower()
    return (low in R.ABBREV_NEVER_FINAL or low in R.ABBREV_BEFORE_NUMBER or low in R.ABBREV_MAYBE_FINAL
            or (len(body) == 1 and body.isupper()) or bool(R.ACRONYM_RE.fullmatch(body)))


def _strip_span(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if s < e else None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text`` (white space trimmed).

    >>> t = "Mr. Smith went to the U.S. Senate on Sept. 11. “It was good.” Then he left."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Mr. Smith went to the U.S. Senate on Sept. 11.', '“It was good.”', 'Then he left.']
    """
    if not text:
        return []
    n = len(text)
    cuts: list[tuple[int, int]] = []  # (end of a sentence, start of the next)
    # line ends first: each line is a paragraph unless it is hard-wrapped mid-sentence
    for m in R.LINE_END_RE.finditer(text):
        a, b = m.span()
        if b >= n:
            break
        while a > 0 and text[a - 1] in " \t\r\u00a0":
            a -= 1
        if (a == 0 or text[a - 1] in R.LINE_FINAL_PUNCT or not text[b].islower()
                or m.group().count("\n") > 1):
            cuts.append((a, b))
    cuts.extend(sentence_breaks(text))    # then terminal punctuation inside a line
    cuts.sort()
    spans: list[tuple[int, int]] = []
    start = 0
    for end, nxt in cuts:
        sp = _strip_span(text, start, end)
        if sp:
            spans.append(sp)
        start = nxt
    sp = _strip_span(text, start, n)
    if sp:
        spans.append(sp)
    return spans


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (see :func:`split_sentences`).

    >>> sentences("Gov. J. Brown spoke. He said “no.” The end")
    ['Gov. J. Brown spoke.', 'He said “no.”', 'The end']
    """
    return [text[s:e] for s, e in split_sentences(text)]


# --------------------------------------------------------------------------- many texts in Arrow
def large_strings(col):
    """A column (pandas, Arrow or a sequence of str) as one Arrow ``large_string`` array, without
    a copy for an Arrow-backed pandas ``str`` column of one chunk.

    >>> large_strings(["a", None]).to_pylist(), str(large_strings(["a"]).type)
    (['a', None], 'large_string')
    """
    import pyarrow as pa

    arr = col if isinstance(col, (pa.Array, pa.ChunkedArray)) else pa.array(col, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr if arr.type == pa.large_string() else arr.cast(pa.large_string())


def arrow_strings(texts):
    """``texts`` as one Arrow ``large_string`` array (:func:`large_strings`), or None when Arrow
    cannot make one of them (strings mixed with other objects).

    >>> arrow_strings(["a", None]).to_pylist(), arrow_strings(["a", 1])
    (['a', None], None)
    """
    import pyarrow as pa

    try:
        arr = large_strings(texts)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    return arr if pa.types.is_large_string(arr.type) else None


def utf8_buffers(arr) -> tuple[np.ndarray, object]:
    """``(offsets, data)`` of a ``large_string`` array: the byte offset where each row starts (and
    the last one ends) as ``int64``, and the Arrow buffer of their UTF-8 (``None`` if empty)."""
    bufs = arr.buffers()
    return np.frombuffer(bufs[1], dtype=np.int64)[arr.offset:arr.offset + len(arr) + 1], bufs[2]


_SLICE_CHUNK_BYTES = 1 << 20   # bytes scanned for code-point starts at a time (cache-sized)


def slices(texts, rows: np.ndarray, starts: np.ndarray, ends: np.ndarray):
    """``texts[rows[i]][starts[i]:ends[i]]`` for every ``i`` (code-point offsets, as Python
    slicing with ``0 <= start <= end <= len``), as an Arrow ``large_string`` array built without
    a Python string: the slices' byte ranges are found from the UTF-8 directly (:func:`slice_view`),
    then one Arrow ``take`` copies them. ``texts`` is an Arrow string array (a pandas ``str`` column
    converts without a copy); a row of ``-1`` or a missing text gives a missing value. Raises
    ``ValueError`` when an offset is outside its text or two slices of one text overlap.

    >>> import pyarrow as pa
    >>> slices(pa.array(["Grüße aus Köln", "ok"]), np.array([0, 0, 1, -1]), np.array([6, 0, 0, 0]),
    ...        np.array([9, 5, 2, 0])).to_pylist()
    ['aus', 'Grüße', 'ok', None]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    view, at = slice_view(texts, rows, starts, ends)
    return pc.take(view, pa.array(np.maximum(at, 0), mask=at < 0))   # a null index gives a null


def slice_view(texts, rows: np.ndarray, starts: np.ndarray, ends: np.ndarray):
    """The slices of :func:`slices` without copying a byte: ``(view, at)``, where ``view`` is an
    Arrow ``large_string`` array over the UTF-8 of ``texts`` whose element ``at[i]`` is slice ``i``
    (``-1`` where :func:`slices` gives a missing value). The other elements are the bytes between
    the slices, so a scan of ``view`` (``pyarrow.compute``) costs about one scan of the texts.

    >>> import pyarrow as pa
    >>> view, at = slice_view(pa.array(["Grüße aus Köln", "ok"]), np.array([0, 1, -1]), np.array([6, 1, 0]),
    ...                       np.array([9, 2, 0]))
    >>> [view[int(i)].as_py() for i in at[at >= 0]], at.tolist()
    (['aus', 'k'], [1, 3, -1])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = large_strings(texts)
    rows, starts, ends = (np.asarray(x, dtype=np.int64) for x in (rows, starts, ends))
    n = len(rows)
    ok = rows >= 0
    if arr.null_count:
        ok[ok] = np.asarray(arr.is_valid())[rows[ok]]
    if not len(arr):
        ok[:] = False
    r, s, e = rows[ok], starts[ok], ends[ok]
    if ((s < 0) | (e < s)).any():
        raise ValueError("slices: an offset lies outside its text")
    offsets, buf = utf8_buffers(arr)
    data = np.frombuffer(buf, dtype=np.uint8) if buf is not None and len(arr) else np.zeros(0, np.uint8)
    # byte positions: a plain-ASCII text's code points are its bytes
    ascii_rows = np.asarray(pc.string_is_ascii(arr).fill_null(True), dtype=bool)
    bs, be = offsets[r] + s, offsets[r] + e
    wide = ~ascii_rows[r]
    if wide.any():
        wr = r[wide]
        pos = _byte_positions(data, offsets, np.concatenate([wr, wr]), np.concatenate([s[wide], e[wide]]))
        bs[wide], be[wide] = pos[: len(wr)], pos[len(wr):]
    if (be > offsets[r + 1]).any():   # an end past its text's (a code point past it lies past its bytes)
        raise ValueError("slices: an offset lies outside its text")
    # the slices as elements of one array over the UTF-8 (gaps between them are elements too),
    # in byte order
    order = np.lexsort((be, bs))
    bs_o, be_o = bs[order], be[order]
    if (bs_o[1:] < be_o[:-1]).any():
        raise ValueError("slices: two slices overlap")
    bounds = np.empty(2 * len(bs_o) + 2, dtype=np.int64)
    bounds[0] = 0
    bounds[1:-1:2], bounds[2:-1:2] = bs_o, be_o
    bounds[-1] = len(data)
    view = pa.LargeStringArray.from_buffers(len(bounds) - 1, pa.py_buffer(bounds),
                                            buf if buf is not None and len(arr) else pa.py_buffer(data))
    at = np.full(n, -1, dtype=np.int64)
    at[np.flatnonzero(ok)[order]] = 2 * np.arange(len(order)) + 1   # each slice's element
    return view, at


def _byte_positions(data: np.ndarray, offsets: np.ndarray, rows: np.ndarray, cps: np.ndarray) -> np.ndarray:
    """Absolute byte position in ``data`` (UTF-8) of code point ``cps[i]`` of text ``rows[i]``
    (the text's length gives its end, and a code point past it a position past the text's bytes):
    the code-point starts of the texts asked about are found with NumPy, about a megabyte at a time.

    >>> data = np.frombuffer("aé€b".encode(), dtype=np.uint8)
    >>> _byte_positions(data, np.array([0, 3, 7]), np.array([0, 0, 1, 1, 1]), np.array([1, 2, 1, 2, 3])).tolist()
    [1, 3, 6, 7, 8]
    """
    out = np.empty(len(rows), dtype=np.int64)
    order = np.argsort(rows, kind="stable")
    rs = rows[order]
    texts = np.unique(rs)
    text_ends = offsets[texts + 1]
    i = 0
    while i < len(texts):
        lo = offsets[texts[i]]
        j = max(i + 1, int(np.searchsorted(text_ends, lo + _SLICE_CHUNK_BYTES, side="right")))
        group = texts[i:j]
        hi = offsets[group[-1] + 1]
        seg = data[lo:hi]
        leads = np.flatnonzero((seg & 0xC0) != 0x80)           # where each code point starts
        base = np.searchsorted(leads, offsets[group] - lo)      # code points before each text
        sel = order[np.searchsorted(rs, group[0], side="left"):np.searchsorted(rs, group[-1], side="right")]
        k = base[np.searchsorted(group, rows[sel])] + cps[sel]
        inside = k < len(leads)                 # else: the end of the last text, or past it
        out[sel] = np.where(inside, leads[np.minimum(k, max(len(leads) - 1, 0))] if len(leads) else 0,
                            hi - lo + k - len(leads)) + lo
        i = j
    return out
