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
from functools import lru_cache
from typing import Iterable

from . import resources as R


def _lines_with_offsets(body: str):
    start = 0
    for line in body.splitlines(keepends=True):
        yield start, line
        start += len(line)


def _norm_title(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


def content_span(body: str, title: str | None = None) -> tuple[int, int]:
    """Return ``(start, end)`` of the clean text inside ``body``.

    Drops the first non-blank line when it repeats ``title`` (punctuation, case and spacing
    ignored) and the last non-blank line when it is a wire line.

    >>> body = "Trump urges Russia\\n\\nHe said so.\\n- AFP\\n"
    >>> s, e = content_span(body, "Trump urges Russia")
    >>> body[s:e].strip()
    'He said so.'
    """
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
    # skip leading blank lines and trailing white space so the span is tidy
    while start < end and body[start] in "\r\n":
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


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
    for line in reversed(body.splitlines()):
        if line.strip():
            m = R.WIRE_LINE_RE.match(line)
            if not m:
                return None
            names = [" ".join(a.split()) for a in re.split(r"\s*[/,&]\s*", m.group("agency").strip())]
            names = [R.AGENCY_CANONICAL.get(a.lower(), a) for a in names]
            names = [a for a in names if a.upper() not in R.AGENCY_MISSING]
            return "/".join(names) or None
    return None


def words(text: str) -> list[str]:
    """Word tokens of ``text`` (letters and digits, inner apostrophes and hyphens kept).

    >>> words("Mr. Lavrov's well-known plan, 2017.")
    ['Mr', "Lavrov's", 'well-known', 'plan', '2017']
    """
    return R.WORD_RE.findall(text)


def count_words(text: str) -> int:
    """Number of word tokens in ``text``."""
    return sum(1 for _ in R.WORD_RE.finditer(text))


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
