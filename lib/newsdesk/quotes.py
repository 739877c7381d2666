"""Direct quotes and who said them: rules, no model, about a millisecond per article.

:func:`extract_quotes` finds the direct quotes of one text and the words that name their
speaker; :func:`annotate` runs it over articles for the annotation store; :func:`quotes` is
what notebooks call: one row per quote with the speaker resolved across the corpus and the
article's date and section joined.

What it handles:

- curly and straight double quote marks, paired per paragraph (an unbalanced mark costs at most
  its own paragraph);
- quotes that run over several paragraphs (an opening mark at each paragraph start);
- partial quotes inside paraphrase (``called the deal “a disaster”``);
- the speaker before or after the quote, in either order (``Lavrov said``, ``said Lavrov``),
  with appositives (``Hugh Hill, a doctor, said``), colon lead-ins, dash attributions
  (``“...” — Commissioner X``) and ``according to X``;
- a quote standing alone in its paragraph takes the speaker of the quote before it or of a
  lead-in ending with a colon;
- pronouns (``he said``) resolve to the most recent compatible person; titles and honorifics
  are stripped; short forms merge with the full name (``Lavrov`` -> ``Sergei Lavrov``) in the
  article and across the corpus; organisations may speak; ``data/aliases.csv`` overrides.

>>> [(q["quote"], q["speaker_mention"], q["cue"])
...  for q in extract_quotes('“We will not back down,” Sergei Lavrov said on Tuesday.')]
[('We will not back down', 'Sergei Lavrov', 'said')]
"""
from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple

import pandas as pd

from . import config, registry, store
from . import resources as R
from .config import FREQ_ALIASES
from .text import content_span

# --------------------------------------------------------------------------- patterns
def _trie_pattern(words: list[str]) -> str:
    """One regex for many literal words, factored by common prefixes (``sa(?:id|ys)``): much
    faster than an alternation of 200 words, which Python's engine tries one by one."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if node.get("") else body

    return build(trie)


#: a cue verb as a whole word (lower case; a few capitalised at a sentence start)
CUE_RE = re.compile(r"(?<![\w’'\-])(?:" + _trie_pattern(sorted(set(R.SPEECH_VERBS) | {"Said", "Says", "Added", "Asked", "Wrote"}))
                    + r")(?![\w’'\-])")


def _cues(text: str, lo: int, hi: int):
    """Cue verbs in ``text[lo:hi]``, in order."""
    return CUE_RE.finditer(text, lo, hi)


def _cue_at(text: str, p: int, hi: int):
    """The cue verb starting exactly at ``p``, or ``None``."""
    return CUE_RE.match(text, p, hi)


_ADV = r"(?:(?:" + "|".join(sorted(R.CUE_ADVERBS)) + r"|[a-z]+ly)\s+)"
_WORD_RE = re.compile(r"[\w’'.\-@&]+|[^\w\s]")
_TITLE_RE = re.compile(r"^(?:(?:" + "|".join(re.escape(t) for t in R.TITLES) + r")\s+)+")
_SENT_END_RE = re.compile(r"([.!?])[\"”’')\]]*\s+(?=[\"“‘(]?[A-Z0-9])")
#: a sentence end or a line break: a line (a paragraph, a dash attribution) ends a sentence even
#: without a full stop, so a pronoun's antecedent is never looked for across one
_SENT_OR_LINE_RE = re.compile(_SENT_END_RE.pattern + r"|\n\s*")
_PAREN_END_RE = re.compile(r"\s*\([^()]*\)\s*$")
_ACCORDING_RE = re.compile(r"\b[Aa]ccording\s+to\s+")
_DASH_RE = re.compile(r"[\s,]*(?:—|–|--|-)\s*(?=[A-Za-z@])")
_POSSESSIVE_RE = re.compile(r"[’']s$")
_NAME_TOKEN_RE = re.compile(r"^(?:[A-Z][\w’'\-]*\.?|[A-Z]\.(?:[A-Z]\.)*|Mc[A-Z]\w+|O’[A-Z]\w+|O'[A-Z]\w+)$")
_CONNECTORS = frozenset({"de", "del", "da", "van", "von", "der", "la", "le", "bin", "al", "di", "du", "dos", "of", "al-"})
#: two or more capitalised words (optionally joined by a connector): a full name or an organisation
NAME_RUN_RE = re.compile(
    r"(?=[A-Z])(?<![\w’'])(?:[A-Z][a-z’'\-]+|[A-Z]\.)(?:[ \t\u00a0]+(?:(?:de|del|da|van|von|der|la|bin|al|of|the)[ \t\u00a0]+)?"
    r"(?:[A-Z][\w’'\-]*[a-z]|[A-Z]\.))+(?:[ \t\u00a0]+(?:Jr\.|Sr\.|III|II))?"
)
_PREP_CUT = frozenset({"on", "in", "at", "during", "after", "before", "from", "last", "this", "earlier",
                       "late", "early", "via", "through", "over", "to", "with", "by"})
_DESC_START = frozenset({"a", "an", "the", "one", "another", "some", "two", "three", "several", "many",
                         "his", "her", "their", "its", "our", "other", "both", "most", "senior", "former"})
_MAX_SPEAKER_WORDS = 9
SHORT_QUOTE_WORDS = 3
"""A quote this short whose sentence has no speech verb is attributed to the sentence's subject
only when that subject names someone (``Trump called it “a disaster”``), not when it is a
description (``Critics questioned the “fresh start”`` is a scare quote)."""
_SO_CALLED_RE = re.compile(r"\b(?:so-called|so called|dubbed|known as|titled|entitled|named)\s*$", re.I)
MAX_DONOR_GAP = 80
"""A quote with no speaker of its own takes the speaker of a neighbouring quote in its paragraph
when at most this many characters separate them (``“A,” he said. “B.”``)."""
_DIRECT_HOWS = frozenset({"after", "before", "colon", "dash"})
MIN_UNATTRIBUTED_WORDS = 6
"""A quote with no speaker in sight is kept only when it has at least this many words
(shorter ones are mostly scare quotes and titles)."""


# --------------------------------------------------------------------------- quote marks
def _paragraphs(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out, i = [], lo
    while i < hi:
        j = text.find("\n", i, hi)
        if j < 0:
            j = hi
        if text[i:j].strip():
            out.append((i, j))
        i = j + 1
    return out


def _apostrophe_mark(m: re.Match) -> str:
    text, i, j = m.string, m.start(), m.end()
    prev = text[i - 1] if i else " "
    nxt = text[j] if j < len(text) else " "
    if (prev.isspace() or prev in R.QUOTE_OPEN_AFTER) and not nxt.isspace():
        return "“ " + m.group(0)[2:]  # an opening pair, then a nested single quote
    return m.group(0)[2:] + "” "      # a nested single quote, then the closing pair


def normalize_quote_marks(text: str) -> str:
    """``text`` with each two-apostrophe quote mark (the New York Times archive's convention)
    written as a curly double mark and a space, so every offset stays the same.

    >>> normalize_quote_marks("''I think,'' said Mr. Coons.")
    '“ I think,”  said Mr. Coons.'
    """
    return R.APOSTROPHE_QUOTE_RE.sub(_apostrophe_mark, text) if "''" in text else text


def _pair_marks(text: str, ps: int, pe: int, marks: list[int] | None = None) -> list[tuple[int | None, int | None]]:
    """Pair the double quote marks of one paragraph: ``(open, close)`` positions, ``None``
    for a missing mark (an unclosed quote runs to the paragraph end)."""
    out: list[tuple[int | None, int | None]] = []
    open_at: int | None = None
    for i in (marks if marks is not None else [m.start() for m in R.QUOTE_MARK_RE.finditer(text, ps, pe)]):
        ch = text[i]
        prev = text[i - 1] if i > ps else " "
        nxt = text[i + 1] if i + 1 < pe else " "
        can_open = (prev.isspace() or prev in R.QUOTE_OPEN_AFTER) and not nxt.isspace()
        can_close = (nxt.isspace() or nxt in ".,;:!?)]}—–-’'…") and not prev.isspace()
        if open_at is None:
            if ch in R.QUOTE_OPENERS or can_open or not can_close:
                open_at = i
            else:
                out.append((None, i))
        elif ch in R.QUOTE_CLOSERS or can_close or not can_open:
            out.append((open_at, i))
            open_at = None
        else:  # an opener while a quote is open: the first one was never closed
            out.append((open_at, None))
            open_at = i
    if open_at is not None:
        out.append((open_at, None))
    return out


# --------------------------------------------------------------------------- sentences
_TITLE_WORDS = frozenset(t for t in R.TITLES if " " not in t) - {"Former", "former", "Democrat", "Republican", "Independent"}
_ALL_INITIALS_RE = re.compile(r"(?:[A-Z]\.)+")
_PARTY_WORDS = frozenset({"Former", "Democrat", "Democrats", "Republican", "Republicans", "Independent", "GOP"})
_MID_SENTENCE_BEFORE_RE = re.compile(R.MID_SENTENCE_CAPITAL_BEFORE + r"$")
_PARTY_TAG_RE = re.compile(r"[RDI]-[A-Z][\w.]*")       # "R-Ky.", "D-Calif."
_LAST_CLAUSE_MARK_RE = re.compile(r"[,;:(“”\"—–][^,;:(“”\"—–]*$")
_APPOSITIVE_NAME_RE = re.compile(r",\s+((?:[A-Z][\w’'.\-]*\s*){1,4})(?=[.,;]|$)")
_SPACE_COMMA_RE = re.compile(r"[\s,]*")
_CONTRACTION_RE = re.compile(r"[’'](?:s|re|d|ll|ve)$")
_INITIALS_RE = re.compile(r"(?:[A-Z]\.)+|[A-Z][a-z]?\.")


def _is_abbrev(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` ends an abbreviation or an initial rather than a sentence."""
    lo = max(0, dot - 12)
    j = max(text.rfind(" ", lo, dot), text.rfind("\n", lo, dot), text.rfind("“", lo, dot),
            text.rfind('"', lo, dot), text.rfind("(", lo, dot), text.rfind("\u00a0", lo, dot)) + 1
    if j == 0 and dot > 12:
        return False
    tok = text[j:dot + 1]
    return tok in R.ABBREVIATIONS or bool(_INITIALS_RE.fullmatch(tok))


_OPENERS_AFTER_ABBREV = frozenset({"He", "She", "They", "It", "The", "But", "And", "We", "I", "This", "That", "In", "On", "A"})


def _not_boundary(text: str, m: re.Match) -> bool:
    if m.group(1) != "." or not _is_abbrev(text, m.start(1)):
        return False
    nxt = text[m.end():m.end() + 6].split(" ", 1)[0]
    return not (nxt in _OPENERS_AFTER_ABBREV and not text[max(0, m.start(1) - 4):m.start(1) + 1].endswith(("Mr.", "Ms.", "Dr.", "Mrs.", "Sen.", "Rep.", "Gov.", "Gen.")))


def _sentence_start(text: str, lo: int, hi: int) -> int:
    """Start of the sentence that contains position ``hi`` (not before ``lo``)."""
    start = lo
    for m in _SENT_END_RE.finditer(text, lo, hi):
        if not _not_boundary(text, m):
            start = m.end()
    return start


def _sentence_end(text: str, lo: int, hi: int) -> int:
    for m in _SENT_END_RE.finditer(text, lo, hi):
        if not _not_boundary(text, m):
            return m.end(1)
    return hi


# --------------------------------------------------------------------------- speaker phrases
@lru_cache(maxsize=4096)
def strip_title(name: str) -> str:
    """Drop titles and honorifics from the front of a name.

    >>> strip_title("President Donald Trump"), strip_title("Mr. Trump"), strip_title("Secretary of State John Kerry")
    ('Donald Trump', 'Trump', 'John Kerry')
    """
    out = _TITLE_RE.sub("", name).strip() or name
    toks = out.split()
    # a role before the name: "Health Minister Jonas Weber", "Astronomer Kenji Arakawa"
    for i in range(len(toks) - 2, -1, -1):
        if toks[i] in _TITLE_WORDS and toks[i + 1] not in _CONNECTORS:
            return " ".join(toks[i + 1:])
    return out


@lru_cache(maxsize=4096)
def _honorific_gender(name: str) -> str | None:
    m = _TITLE_RE.match(name)
    if not m:
        return None
    words = set(m.group(0).split())
    if words & R.MALE_HONORIFICS:
        return "male"
    if words & R.FEMALE_HONORIFICS:
        return "female"
    return None


def _tokens(seg: str, base: int) -> list[tuple[str, int, int]]:
    return [(m.group(0), base + m.start(), base + m.end()) for m in _WORD_RE.finditer(seg)]


def _is_name_token(w: str) -> bool:
    return bool(_NAME_TOKEN_RE.match(w)) and w not in R.NOT_NAME_WORDS


def _name_runs(toks: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Index ranges ``[i, j)`` of capitalised runs in ``toks`` (connectors allowed inside)."""
    runs, i, n = [], 0, len(toks)
    while i < n:
        if _is_name_token(toks[i][0]) or (toks[i][0] in {"The"} and i + 1 < n and toks[i + 1][0] in R.ORG_WORDS):
            j = i + 1
            while j < n:
                w = toks[j][0]
                if _NAME_TOKEN_RE.match(w) and w not in R.NOT_NAME_WORDS - {"The"}:
                    j += 1
                elif w in _CONNECTORS and j + 1 < n and _NAME_TOKEN_RE.match(toks[j + 1][0]):
                    j += 1
                else:
                    break
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


@lru_cache(maxsize=4096)
def _speaker_kind(name: str) -> str:
    words = name.split()
    if any(w.strip(".,") in R.ORG_WORDS for w in words) or (len(words) == 1 and words[0].isupper() and len(words[0]) > 1):
        return "organisation"
    return "person"


def name_kind(name: str) -> str:
    """``person`` or ``organisation``, by the words of a name (``ORG_WORDS``, acronyms).

    >>> name_kind("Donald Trump"), name_kind("White House"), name_kind("FBI")
    ('person', 'organisation', 'organisation')
    """
    return _speaker_kind(name)


def _phrase_to_mention(text: str, toks: list[tuple[str, int, int]], *, after: bool = False):
    """Choose the words naming the speaker inside a short phrase. Returns
    ``(mention, start, end, kind)`` or ``None``. ``kind`` is ``person``, ``organisation``,
    ``pronoun`` or ``description``."""
    if not toks:
        return None
    words = [t[0] for t in toks]
    if words[-1].lower() in R.SPEAKER_PRONOUNS and (len(words) == 1 or not after):
        # "he", "On Monday he"
        return words[-1], toks[-1][1], toks[-1][2], "pronoun"
    runs = _name_runs(toks)
    if runs and runs[0] == (0, 1) and words[0] in R.GROUP_NOUNS:
        runs = runs[1:]  # "Critics", "Officials": a description
    if runs:
        if after:
            i, j = runs[0]
            named = i <= 3 and all(w[0].islower() for w in words[:i])
        else:
            i, j = runs[-1]
            named = j == len(toks) or (words[j].lower() in _PREP_CUT and (i, j) == runs[0])
        if named and not (j < len(toks) and _POSSESSIVE_RE.search(words[j - 1])):
            s, e = toks[i][1], toks[j - 1][2]
            raw = text[s:e]
            if _POSSESSIVE_RE.search(raw):
                raw, e = raw[:-2], e - 2
            return raw, s, e, _speaker_kind(strip_title(raw))
    # a description: "a senior official", "officials", "the campaign"
    if len(toks) > 7 or not _looks_like_description(words):
        return None
    s, e = toks[0][1], toks[-1][2]
    return text[s:e], s, e, "description"


def _looks_like_description(words: list[str]) -> bool:
    """``a senior official``, ``officials``, ``Republican leaders``; not ``writing a book``."""
    first = words[0]
    if not first[0].isalpha():
        return False
    if first.lower() in _DESC_START or first[0].isupper():
        return first.lower() not in R.SPEAKER_BOUNDARY_WORDS
    return len(words) <= 2 and all(w.isalpha() and not w.endswith(("ing", "ed")) and w.lower() not in R.SPEAKER_BOUNDARY_WORDS
                                   for w in words)


def _subject_before(text: str, lo: int, cue_start: int):
    """The speaker phrase that ends right before the cue verb at ``cue_start``."""
    lo = max(lo, cue_start - 400)
    seg = text[lo:cue_start]
    # drop adverbs and auxiliaries between subject and cue: "Trump also said", "she has said"
    while True:
        tail = seg[-40:]
        m = _TRAILING_ADV_RE.search(tail) or _TRAILING_DAY_RE.search(tail)
        if not m:
            break
        seg = seg[:len(seg) - len(tail) + m.start() + 1]
    seg = _PAREN_END_RE.sub(" ", seg) if seg.rstrip().endswith(")") else seg
    stripped = seg.rstrip()
    chunks_seen = 0
    end = len(stripped)
    if stripped.endswith(","):
        # an appositive between commas: "Hugh Hill, a doctor, said"; or a name in apposition:
        # "Henry Clay's biographers, David and Jeanne Heidler, wrote"
        k = stripped.rfind(",", 0, len(stripped) - 1)
        k2 = max(stripped.rfind(c, 0, len(stripped) - 1) for c in "“”\";:(—")
        if k < 0 or k2 > k:
            return None
        chunk = stripped[k + 1:-1]
        toks = _tokens(chunk, lo + k + 1)
        if not toks:
            return None
        first = toks[0][0]
        res = _phrase_to_mention(text, toks) if len(toks) <= _MAX_SPEAKER_WORDS else None
        if res is not None and res[3] != "description" and first[0].isupper():
            return res
        stripped = stripped[:k]
    # the phrase after the last clause boundary
    m = _LAST_CLAUSE_MARK_RE.search(stripped)
    cut = m.start() if m else -1
    start = cut + 1
    toks = _tokens(stripped[start:], lo + start)
    k = len(toks)
    while k > 0 and toks[k - 1][0].lower() not in R.SPEAKER_BOUNDARY_WORDS and toks[k - 1][0] not in ".!?":
        k -= 1
    toks = toks[k:]
    if not toks or len(toks) > _MAX_SPEAKER_WORDS:
        return None
    if toks[0][0] in R.NOT_NAME_WORDS and toks[0][0].lower() not in R.SPEAKER_PRONOUNS and toks[0][0] not in {"The", "A", "An", "One", "Another", "Some", "Many", "Two", "Three"}:
        toks = toks[1:]
    return _phrase_to_mention(text, toks)


def _subject_after(text: str, pos: int, hi: int):
    """The speaker phrase right after an inverted cue: ``said Hugh Hill, a doctor``."""
    toks = []
    for t in _tokens(text[pos:min(hi, pos + 160)], pos):
        w = t[0]
        if w in ",;:!?()“”\"—–[]" or w == ".":
            break
        if w.endswith(".") and not (w in R.ABBREVIATIONS or w in _TITLE_WORDS or _ALL_INITIALS_RE.fullmatch(w)):
            toks.append((w[:-1], t[1], t[2] - 1))
            break
        toks.append(t)
    for k, t in enumerate(toks):
        if k and t[0].lower() in ({"who", "which", "that", "when", "while", "as", "told"} | _PREP_CUT - {"of"}):
            toks = toks[:k]
            break
    if not toks or len(toks) > _MAX_SPEAKER_WORDS:
        return None
    w0 = toks[0][0]
    if not (w0[0].isupper() or w0.lower() in R.SPEAKER_PRONOUNS or w0.lower() in _DESC_START
            or any(_is_name_token(t[0]) for t in toks[1:4])):  # "campaign spokeswoman Nadia Sorel"
        return None
    res = _phrase_to_mention(text, toks, after=True)
    if res and res[3] == "description":
        # "said the spokesman, John Smith."
        rest = text[toks[-1][2]:hi]
        m2 = _APPOSITIVE_NAME_RE.match(rest)
        if m2:
            base = toks[-1][2] + m2.start(1)
            named = _phrase_to_mention(text, _tokens(m2.group(1), base), after=True)
            if named and named[3] in ("person", "organisation"):
                return named
    return res


# --------------------------------------------------------------------------- attribution
def _find_after(text: str, close: int, hi: int, ends_sentence: bool):
    """Speaker named right after the closing mark (``,” said X``, ``,” X said``, ``” — X``)."""
    if _DASH_RE.match(text, close, hi) and close < hi:
        m = _DASH_RE.match(text, close, hi)
        res = _subject_after(text, m.end(), hi)
        if res and res[3] != "description":
            return res, "—"
    seg_end = hi
    p = _SPACE_COMMA_RE.match(text, close, seg_end).end()
    if p >= seg_end:
        return None
    if ends_sentence and text[p:p + 1].isupper() and text[close - 2:close - 1] == ".":
        return None
    if text.startswith("according to", p):
        res = _subject_after(text, p + len("according to"), hi)
        return (res, "according to") if res else None
    m = _cue_at(text, p, hi)
    if m:  # inverted: "said Lavrov"
        res = _subject_after(text, m.end(), hi)
        if res:
            return res, m.group(0)
        return None
    # subject then cue within the first words: ", Hugh Hill, a doctor, said"
    limit = min(hi, p + 160)
    for m in _cues(text, p, limit):
        if ends_sentence and m.group(0) not in R.CORE_SPEECH_VERBS:
            break
        res = _subject_before(text, p, m.start())
        if res:
            return res, m.group(0)
        break
    return None


def _subject_for_cue(text: str, lo: int, m: re.Match):
    """The speaker of the cue ``m``: the phrase before it; for ``calling``/``saying`` after a
    comma, the sentence's subject; for ``, said X`` ending a sentence, the phrase after it."""
    cue = m.group(0)
    if cue.endswith("ing"):
        before = text[lo:m.start()].rstrip()
        if before.endswith(",") or before.split()[-1:] in (["by"], ["while"], ["when"], ["after"], ["before"]):
            res = _sentence_subject(text, lo, m.start())
            if res:
                return res
    res = _subject_before(text, lo, m.start())
    if res is None and text[lo:m.start()].rstrip().endswith(","):
        res = _subject_after(text, m.end(), min(len(text), m.end() + 120))
        if res and res[3] == "description":
            res = None
    return res


def _find_before(text: str, lo: int, open_: int):
    """Speaker named in the sentence before the opening mark (``Lavrov said: “``,
    ``According to X, “``, ``Trump called the deal “``)."""
    if open_ - lo < 2:
        return None
    m = None
    for m in _ACCORDING_RE.finditer(text, lo, open_):
        pass
    if m is not None:
        res = _subject_after(text, m.end(), open_)
        if res:
            return res, "according to"
    cues = list(_cues(text, lo, open_))
    for m in reversed(cues):
        res = _subject_for_cue(text, lo, m)
        if res:
            return res, m.group(0)
        res = _subject_after(text, m.end(), open_) if m.group(0)[0].isupper() else None
        if res:  # "Said Trump: “..."
            return res, m.group(0)
    return None


def _find_later(text: str, close: int, hi: int):
    """A cue later in the same sentence: ``“a disaster” is how Trump described it``."""
    for m in _cues(text, close, hi):
        res = _subject_for_cue(text, close, m)
        if res and res[3] != "description":
            return res, m.group(0)
    return None


def _named_elsewhere(text: str, name: str, lo: int, hi: int) -> bool:
    """A one-word "name" before a colon (``Partial transcript:``) counts only when the text uses
    it again; two-word names always count."""
    return " " in name.strip() or text.count(name, lo, hi) >= 2


_LOWER_INTRO = frozenset({"then", "now", "also", "later", "still", "so", "and", "but"})


def _sentence_subject(text: str, lo: int, open_: int):
    """The subject opening the sentence a partial quote sits in:
    ``Geraldo Rivera calls Santilli a “fascist”`` -> ``Geraldo Rivera``."""
    for _ in range(3):  # "And then Trump went ...", "On Tuesday, Trump ..."
        seg = text[lo:open_]
        first = seg.split(None, 1)[0] if seg.strip() else ""
        if first.strip(",") in R.SENTENCE_INTRO_WORDS or first in _LOWER_INTRO:
            comma = seg.find(",")
            if first.endswith(",") or (first not in _LOWER_INTRO and 0 < comma < 80):
                lo += comma + 1
            else:
                lo += seg.find(first) + len(first)
        else:
            break
    toks = _tokens(text[lo:open_], lo)
    # drop parentheticals and one appositive: "Sen. Pat Toomey (R-Pa.)", "Christie, the governor,"
    kept, depth, commas = [], 0, 0
    for t in toks[:40]:
        if t[0] == "(":
            depth += 1
        elif t[0] == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            if t[0] == "," and kept and commas < 2:
                commas += 1
                continue
            if commas == 1:
                continue  # inside the appositive
            kept.append(t)
    toks = kept
    if not toks:
        return None
    w0 = toks[0][0]
    base = _CONTRACTION_RE.sub("", w0)
    if base.lower() in R.SPEAKER_PRONOUNS and base.lower() not in {"it", "you"}:
        return base, toks[0][1], toks[0][1] + len(base), "pronoun"
    runs = _name_runs(toks[:10])
    if runs and runs[0][0] == 0 and runs[0][1] < len(toks) and toks[runs[0][1]][0][0].islower():
        end = runs[0][1]
        # "Opposition leader Marcus Odell put it": a role word between two capitalised runs
        between = toks[end][0]
        if len(runs) > 1 and runs[1][0] == end + 1 and between.isalpha() and between.islower() \
                and not between.endswith(("s", "ed")) and between not in R.AUXILIARY_WORDS \
                and between not in R.SPEAKER_BOUNDARY_WORDS and between not in _PREP_CUT \
                and runs[1][1] < len(toks) and toks[runs[1][1]][0][0].islower():
            end = runs[1][1]
        res = _phrase_to_mention(text, toks[:end])
        if res and res[3] != "description":
            return res
    for k, (w, _, _) in enumerate(toks[:9]):
        if k == 0:
            if not (w[0].isupper() or w.lower() in R.SPEAKER_PRONOUNS):
                return None
            continue
        if not w[0].isalpha():
            if w in {"’", "'", "-", "."}:
                continue
            return None
        if w[0].islower() and (w in R.AUXILIARY_WORDS or (len(w) > 3 and (w.endswith("ed") or (w.endswith("s") and not w.endswith("ss"))))):
            if w.endswith("s") and k >= 1 and toks[k - 1][0].lower() in _DESC_START:
                continue  # "the officials" is still the subject
            res = _phrase_to_mention(text, toks[:k])
            if res and res[3] == "pronoun" and res[0].lower() in {"it", "you"}:
                return None  # "It seems ..." is no speaker
            return res
    return None


def extract_quotes(body: str, *, title: str | None = None, keep_unattributed: bool = False) -> list[dict]:
    """Direct quotes in ``body`` with the words naming their speaker.

    Returns one dict per quote: ``quote``, ``start``/``end`` (offsets into ``body``),
    ``speaker_mention`` (as written nearest the quote, e.g. ``he``), ``speaker`` (resolved within
    the text, titles stripped; ``None`` when unknown), ``speaker_kind`` (``person``,
    ``organisation``, ``description`` or ``None``), ``cue`` (the verb), ``how`` (which rule
    attributed it) and ``paragraph``. When ``title`` is given and the body repeats it on its first
    line, that line is skipped. Quotes whose speaker cannot be found are dropped (a quote without
    a speaker is mostly a title, a scare quote or a sign); ``keep_unattributed=True`` keeps those
    of at least :data:`MIN_UNATTRIBUTED_WORDS` words with ``speaker`` set to ``None``.

    >>> qs = extract_quotes('Hugh Hill, a doctor, said: "It was a disaster."\\n"Nobody came," he added.')
    >>> [(q["quote"], q["speaker_mention"], q["speaker"]) for q in qs]
    [('It was a disaster.', 'Hugh Hill', 'Hugh Hill'), ('Nobody came', 'he', 'Hugh Hill')]
    """
    if not isinstance(body, str):
        raise TypeError(f"body must be a str, not {type(body).__name__}")
    lo, hi = content_span(body, title)
    verbatim, body = body, normalize_quote_marks(body)
    if not any(mark in body for mark in R.QUOTE_MARKS):
        return []
    paras = _paragraphs(body, lo, hi)
    all_marks = [m.start() for m in R.QUOTE_MARK_RE.finditer(body, lo, hi)]
    if not all_marks:
        return []
    found: list[dict] = []
    prev_unclosed = False
    for pi, (ps, pe) in enumerate(paras):
        a, b = bisect_left(all_marks, ps), bisect_left(all_marks, pe)
        pairs = _pair_marks(body, ps, pe, all_marks[a:b]) if b > a else []
        if not pairs:
            prev_unclosed = False
            continue
        para_quotes = []
        last_close = ps
        for open_, close in pairs:
            if open_ is None:
                if not (prev_unclosed and not para_quotes):
                    last_close = close + 1
                    continue
                qs = ps
            else:
                qs = open_ + 1
            qe = close if close is not None else pe
            # trim white space and a trailing comma inside the marks
            while qs < qe and body[qs].isspace():
                qs += 1
            while qe > qs and (body[qe - 1].isspace() or body[qe - 1] == ","):
                qe -= 1
            if qe <= qs or not any(c.isalnum() for c in body[qs:qe]):
                last_close = (close + 1) if close is not None else pe
                continue
            para_quotes.append({
                "open": open_ if open_ is not None else ps, "close": close, "qs": qs, "qe": qe,
                "frame_lo": last_close, "continued": open_ == ps and prev_unclosed,
            })
            last_close = (close + 1) if close is not None else pe
        prev_unclosed = bool(pairs) and pairs[-1][1] is None
        for k, q in enumerate(para_quotes):
            nxt_open = para_quotes[k + 1]["open"] if k + 1 < len(para_quotes) else pe
            res = None
            inner_end = body[q["qe"] - 1] if q["qe"] > q["qs"] else ""
            ends_sentence = inner_end != "" and inner_end in ".!?"
            if q["close"] is not None:
                after_hi = _sentence_end(body, q["close"] + 1, nxt_open)
                res = _find_after(body, q["close"] + 1, after_hi, ends_sentence)
                if res:
                    q["how"] = "after"
            if res is None:
                sent_lo = _sentence_start(body, q["frame_lo"], q["open"])
                res = _find_before(body, sent_lo, q["open"])
                if res:
                    q["how"] = "before"
            lead = body[q["frame_lo"]:q["open"]].rstrip()
            if res is None and lead.endswith((":", "—", "–", " -", "--")):
                colon = q["frame_lo"] + len(lead.rstrip(":—–- "))
                toks = _tokens(body[max(q["frame_lo"], colon - 80):colon], max(q["frame_lo"], colon - 80))
                runs = _name_runs(toks)
                if runs and runs[-1][1] == len(toks):
                    named = _phrase_to_mention(body, toks[runs[-1][0]:])
                    if named and named[3] != "description" and _named_elsewhere(body, named[0], lo, hi):
                        res = named, ":" if lead.endswith(":") else "—"
                        q["how"] = "colon" if lead.endswith(":") else "dash"
            if res is None and q["close"] is not None and not ends_sentence:
                after_hi = _sentence_end(body, q["close"] + 1, nxt_open)
                res = _find_later(body, q["close"] + 1, after_hi)
                if res:
                    q["how"] = "later"
            if res:
                (mention, ms, me, kind), cue = res
                q.update(mention=mention, ms=ms, me=me, kind=kind, cue=" ".join(cue.split()) or None)
        # no speaker next to the quote: a quote in the same sentence, the sentence's own cue, its subject
        for k, q in enumerate(para_quotes):
            if "mention" in q:
                continue
            sent_lo = _sentence_start(body, ps, q["open"])
            donor = None
            for j in (k - 1, k + 1):
                if 0 <= j < len(para_quotes) and "mention" in para_quotes[j] and para_quotes[j]["how"] != "subject":
                    a, b = sorted((j, k))
                    gap_lo = para_quotes[a]["close"] if para_quotes[a]["close"] is not None else pe
                    if _sentence_end(body, gap_lo + 1, para_quotes[b]["open"]) >= para_quotes[b]["open"]:
                        donor = para_quotes[j]
                        break
            if donor is not None:
                q.update({f: donor[f] for f in ("mention", "ms", "me", "kind", "cue")}, how="sentence")
                continue
            if q["open"] - sent_lo <= 8:
                continue
            res = _find_before(body, sent_lo, q["open"]) if sent_lo < q["frame_lo"] else None
            how = "before"
            if res is None and not _SO_CALLED_RE.search(body, max(sent_lo, q["open"] - 12), q["open"]):
                subj = _sentence_subject(body, sent_lo, q["open"])
                short = len(body[q["qs"]:q["qe"]].split()) <= SHORT_QUOTE_WORDS
                if subj and not (short and subj[3] == "description"):
                    res, how = (subj, ""), "subject"
            if res:
                (mention, ms, me, kind), cue = res
                q.update(mention=mention, ms=ms, me=me, kind=kind, cue=" ".join(cue.split()) or None, how=how)
        # within the paragraph: quotes without a speaker take the one before, else the one after
        # (a neighbouring quote, attributed next to its own marks, with little text in between)
        for k, q in enumerate(para_quotes):
            if "mention" in q:
                continue
            for j in (k - 1, k + 1):
                if not 0 <= j < len(para_quotes):
                    continue
                d = para_quotes[j]
                if d.get("how") not in _DIRECT_HOWS:
                    continue
                a, b = (d, q) if j < k else (q, d)
                gap = b["open"] - (a["close"] if a["close"] is not None else pe)
                if gap <= MAX_DONOR_GAP:
                    q.update({f: d[f] for f in ("mention", "ms", "me", "kind", "cue")}, how="paragraph")
                    break
        # a quote opening its paragraph with no speaker: a colon lead-in or the quote before it
        if para_quotes and "mention" not in para_quotes[0] and para_quotes[0]["open"] - ps < 3:
            q = para_quotes[0]
            donor = None
            if pi > 0:
                pps, ppe = paras[pi - 1]
                prev_text = body[pps:ppe].rstrip()
                if prev_text.endswith(":"):
                    colon = pps + len(prev_text) - 1
                    sent_lo = _sentence_start(body, pps, colon)
                    res = _find_before(body, sent_lo, colon + 1)
                    if res is None:
                        toks = _tokens(body[sent_lo:colon], sent_lo)
                        runs = _name_runs(toks)
                        if runs:
                            res = (_phrase_to_mention(body, toks[runs[0][0]:runs[0][1]]), ":")
                            res = res if res[0] and _named_elsewhere(body, res[0][0], lo, hi) else None
                    if res:
                        (mention, ms, me, kind), cue = res
                        donor = dict(mention=mention, ms=ms, me=me, kind=kind, cue=" ".join(cue.split()))
                        q["how"] = "colon"
                elif found and found[-1]["paragraph"] == pi - 1 and found[-1].get("mention"):
                    prevq = found[-1]
                    if prevq["_unclosed"] or q["continued"] or prevq["how"] != "none":
                        donor = dict(mention=prevq["mention"], ms=prevq["ms"], me=prevq["me"],
                                     kind=prevq["kind"], cue=prevq["cue"])
                        q["how"] = "previous"
            if donor:
                q.update(donor)
                for q2 in para_quotes[1:]:
                    if "mention" not in q2:
                        q2.update(donor, how="paragraph")
        for q in para_quotes:
            words = len(body[q["qs"]:q["qe"]].split())
            if "mention" not in q and (not keep_unattributed or words < MIN_UNATTRIBUTED_WORDS):
                continue
            found.append({
                "quote": verbatim[q["qs"]:q["qe"]], "start": q["qs"], "end": q["qe"],
                "mention": q.get("mention"), "ms": q.get("ms"), "me": q.get("me"),
                "kind": q.get("kind"), "cue": q.get("cue"), "how": q.get("how", "none"),
                "paragraph": pi, "_unclosed": q["close"] is None,
            })
    _resolve(body, lo, hi, found)
    return [
        {"quote": q["quote"], "start": q["start"], "end": q["end"], "speaker_mention": q["mention"],
         "speaker": q["speaker"], "speaker_kind": q["speaker_kind"], "cue": q["cue"], "how": q["how"],
         "paragraph": q["paragraph"]}
        for q in found
    ]


# --------------------------------------------------------------------------- resolution
@lru_cache(maxsize=4096)
def _gender(name: str, honorific: str | None = None) -> str | None:
    if honorific:
        return honorific
    first = name.split()[0] if name else ""
    if first in R.MALE_FIRST_NAMES:
        return "male"
    if first in R.FEMALE_FIRST_NAMES:
        return "female"
    return None


_TITLE_FIRST_WORDS = frozenset(t.split()[0] for t in R.TITLES)
_CAP_WORD_RE = re.compile(r"(?<![\w’'])([A-Z][\w’'\-]+)(?![\w’'])(\s+[A-Z])?")
_TRAILING_ADV_RE = re.compile(rf"\s{_ADV}$")
_TRAILING_DAY_RE = re.compile(r"\s(?:on|in|at|during)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s*$")


@lru_cache(maxsize=16384)
def _parse_run(raw: str) -> tuple[str, str, str | None, str | None] | None:
    """``(name, kind, gender, surname)`` for a capitalised run found in the text, or ``None`` when
    it names no one (cached: the same names recur across a corpus)."""
    if raw.startswith("The "):
        raw = raw[4:]  # "The National Election Commission"
    words = raw.split()
    if words[0] in _TITLE_FIRST_WORDS or any(w in _TITLE_WORDS for w in words):
        hon, name = _honorific_gender(raw), strip_title(raw)
    else:
        hon, name = None, raw
    if name.endswith(("’s", "'s")):
        name = name[:-2]
    parts = name.split()
    if len(parts) < 2 or parts[0] in R.NOT_NAME_WORDS:
        if len(parts) == 1 and hon and parts[0] not in R.NOT_NAME_WORDS:
            return name, "person", hon, None  # "Mr. Trump": a person, surname only
        return None
    kind = _speaker_kind(name)
    return name, kind, _gender(name, hon) if kind == "person" else None, parts[-1] if kind == "person" else None


#: what follows a person's name: an appositive (", an immunologist", ", who") or a speech verb
_PERSON_CONTEXT_RE = re.compile(r",\s+(?:a|an|the|who|whose)\s|,\s+\d{1,3},|\s+(?:said|says|told|added|wrote|asked)\b")


class _Entities:
    """Names mentioned in one text, for short-form merging and pronoun resolution."""

    def __init__(self, text: str, lo: int, hi: int):
        self.text = text
        self.lo, self.hi = lo, hi
        mentions: list[tuple[int, str, str]] = []  # (pos, full name, kind)
        self.by_last: dict[str, list[str]] = {}
        self.gender: dict[str, str] = {}
        by_last, gender = self.by_last, self.gender
        self.people: set[str] = set()
        for m in NAME_RUN_RE.finditer(text, lo, hi):
            parsed = _parse_run(m.group(0))
            if parsed is None:
                continue
            name, kind, g, last = parsed
            if last and kind == "person":
                by_last.setdefault(last, []).append(name)
            if g and name not in gender:
                gender[name] = g
            if kind == "person" and _PERSON_CONTEXT_RE.match(text, m.end()):
                self.people.add(name)  # "Lukas Brenner, an immunologist", "Lena Markova said"
            mentions.append((m.start(), name, kind))
        self._full: dict[str, str] = {}
        self._named = mentions
        self._mentions: list[tuple[int, str, str]] | None = None
        self.scan_lo, self.scan_hi = lo, hi  # where surnames used alone are looked for
        self._sentences: list[int] | None = None

    @property
    def mentions(self) -> list[tuple[int, str, str]]:
        """``(position, full name, kind)`` in text order, surnames used alone included
        (``Fallon fired back``); built on first use (only pronouns need it)."""
        if self._mentions is None:
            mentions = list(self._named)
            text, lo, hi = self.text, self.scan_lo, self.scan_hi
            for last in self.by_last:
                full, n = self.full_name(last), len(last)
                i = text.find(last, lo, hi)
                while i >= 0:
                    before = text[i - 1] if i else " "
                    after = text[i + n:i + n + 2]
                    # a whole word, not followed by another capitalised word ("Clinton Foundation")
                    if not (before.isalnum() or before in "’'") and not (after[:1].isalnum() or after[:1] in "’'") \
                            and not (after[:1] == " " and after[1:2].isupper()):
                        mentions.append((i, full, "person"))
                    i = text.find(last, i + n, hi)
            mentions.sort()
            self._mentions = mentions
            self.positions = [p for p, *_ in mentions]
        return self._mentions

    def full_name(self, name: str) -> str:
        """``Lavrov`` -> ``Sergei Lavrov`` when the text names such a person (the most frequent)."""
        if " " in name:
            return name
        if name not in self.by_last:
            # "Mr. Chen" for Chen Liang (family name first), "Hillary" for Hillary Clinton
            firsts = {c for names in self.by_last.values() for c in names if c.split()[0] == name}
            return firsts.pop() if len(firsts) == 1 else name
        full = self._full.get(name)
        if full is None:
            cands = self.by_last[name]
            counts: dict[str, int] = {}
            for c in cands:
                counts[c] = counts.get(c, 0) + 1
            full = self._full[name] = max(counts, key=lambda c: (counts[c], -cands.index(c)))
        return full

    def organisation_for(self, head: str, pos: int) -> str | None:
        """The one organisation named before ``pos`` whose name ends in ``head`` (``commission``)."""
        head = head.lower()
        found = {name for p, name, kind in self._named if kind == "organisation" and p < pos
                 and name.split()[-1].lower() == head and len(name.split()) > 1}
        return found.pop() if len(found) == 1 else None

    def person_like(self, name: str) -> bool:
        """A known first name, an honorific, or a surname the text also uses alone."""
        if name in self.gender or name in self.people or _gender(name):
            return True
        parts = name.split()
        return len(parts) == 1 or self.text.count(parts[-1], self.lo, self.hi) > self.text.count(name, self.lo, self.hi)

    def gender_of(self, name: str) -> str | None:
        return self.gender.get(name) or _gender(name)

    def sentence_of(self, pos: int) -> int:
        if self._sentences is None:
            # approximate (abbreviations split sentences here): only the order of sentences matters
            self._sentences = [self.scan_lo] + [m.end() for m in _SENT_OR_LINE_RE.finditer(self.text, self.scan_lo, self.scan_hi)]
        return bisect_right(self._sentences, pos)

    def resolve_pronoun(self, pron: str, pos: int, speakers: frozenset | set = frozenset()) -> tuple[str | None, str | None]:
        """The most recent compatible antecedent: in the nearest sentence that has one, the
        leftmost (subjects come first)."""
        want = R.SPEAKER_PRONOUNS.get(pron.lower())
        mentions = self.mentions
        k = bisect_right(self.positions, pos - 1)
        best, best_sent, weak, weak_sent = None, None, None, None
        for i in range(k - 1, max(-1, k - 60), -1):
            p, name, kind = mentions[i]
            sent = self.sentence_of(p)
            if (best_sent is not None and sent < best_sent) or pos - p > 2500:
                break
            if want in ("male", "female"):
                if kind != "person" or self.gender_of(name) not in (want, None):
                    continue
                if name in speakers or self.person_like(name):
                    best, best_sent = (name, kind), sent
                elif weak_sent is None or sent == weak_sent:
                    weak, weak_sent = (name, kind), sent  # a name that may be a place: last resort
            elif want in ("organisation", "plural") and kind == "organisation":
                best, best_sent = (name, kind), sent
        return best or weak or (None, None)


def _resolve(text: str, lo: int, hi: int, found: list[dict]) -> None:
    ents: _Entities | None = None
    if found:  # names after the last quote cannot be antecedents; not reading them saves time
        hi = min(hi, max(q["end"] for q in found) + 200)
    prons = [q["ms"] for q in found if q["kind"] == "pronoun"]
    recent: list[tuple[int, str, str]] = []
    seen: ArticleWords | None = None
    for q in found:
        mention, kind = q["mention"], q["kind"]
        speaker, skind = None, None
        if mention is None:
            pass
        elif kind == "pronoun":
            if ents is None:
                ents = _Entities(text, lo, hi)
                ents.scan_lo, ents.scan_hi = max(lo, min(prons) - 2600), min(hi, max(prons) + 1)
            speaker, skind = ents.resolve_pronoun(mention, q["ms"], {n for _, n, k in recent if k == "person"})
        elif kind in ("person", "organisation"):
            name = strip_title(mention)
            if " " in name:
                speaker, skind = name, kind
            else:
                if ents is None:
                    ents = _Entities(text, lo, hi)
                    if prons:
                        ents.scan_lo, ents.scan_hi = max(lo, min(prons) - 2600), min(hi, max(prons) + 1)
                speaker, skind = ents.full_name(name), kind
            if len(speaker.split()) > 1 and kind == "organisation" and _speaker_kind(speaker) == "person":
                skind = "person"
        else:
            speaker, skind = None, "description"
            words = mention.split()
            if 1 < len(words) <= 3 and words[0].lower() == "the":
                # "the election commission" -> the National Election Commission named earlier
                if ents is None:
                    ents = _Entities(text, lo, hi)
                org = ents.organisation_for(words[-1], q["ms"])
                if org:
                    speaker, skind = org, "organisation"
        if speaker and skind in ("person", "organisation"):
            if seen is None:
                seen = article_words(text)
            speaker = clean_speaker(speaker, seen)
            skind = skind if speaker else "description"
        q["speaker"], q["speaker_kind"] = speaker, skind
        if speaker and skind in ("person", "organisation"):
            recent.append((q["start"], speaker, skind))


class ArticleWords:
    """What one article shows of a word, looked up lazily (most speakers' first word is a known
    first name and needs no look-up): see :func:`article_words`."""

    __slots__ = ("text", "_inside", "_lower")

    def __init__(self, text: str):
        self.text, self._inside, self._lower = text, {}, {}

    def _occurrences(self, word: str):
        """Start offsets of ``word`` as a whole word in the text (plain search, no regex to compile)."""
        text, i = self.text, self.text.find(word)
        while i >= 0:
            end = i + len(word)
            if (i == 0 or not _word_char(text[i - 1])) and (end == len(text) or not _word_char(text[end])):
                yield i
            i = text.find(word, i + 1)

    def inside(self, word: str) -> bool:
        """Whether the article capitalises ``word`` inside a sentence: ``said Miller``, ``Mr. Miller``."""
        if word not in self._inside:
            self._inside[word] = any(_MID_SENTENCE_BEFORE_RE.search(self.text, max(0, i - 8), i)
                                     for i in self._occurrences(word))
        return self._inside[word]

    def lower(self, word: str) -> bool:
        """Whether the article writes ``word`` in lower case somewhere."""
        low = word.lower()
        if low not in self._lower:
            self._lower[low] = next(self._occurrences(low), None) is not None
        return self._lower[low]


def _word_char(c: str) -> bool:
    return c.isalnum() or c in "’'-_"


def article_words(text: str) -> ArticleWords:
    """Which words ``text`` capitalises inside a sentence, where the capital is the word's own
    (names), and which it writes in lower case (common words).

    >>> w = article_words("Hastily, Miller left. Mr. Miller spoke hastily, said Lee.")
    >>> w.inside("Miller"), w.inside("Lee"), w.inside("Hastily"), w.lower("Hastily")
    (True, True, False, True)
    """
    return ArticleWords(text)


def _common_word(w: str, seen: ArticleWords) -> bool:
    """A capitalised word that opens a sentence rather than a name: never capitalised inside a
    sentence of its article, and a function word, shaped like an adverb, gerund or participle, or
    seen in lower case in the article (``Despite``, ``Hastily``, ``Continued``, ``Billionaire``)."""
    if w in R.FIRST_NAMES or w.isupper() or _ALL_INITIALS_RE.fullmatch(w) or seen.inside(w):
        return False
    low = w.lower()
    return (low in R.FUNCTION_WORDS or low in R.NUMBER_WORDS or low.endswith(("ly", "ing", "ed"))
            or seen.lower(w))


def clean_speaker(name: str, seen: ArticleWords, *, places: bool = False) -> str | None:
    """The speaker's bare name, or ``None`` when ``name`` names no person or organisation.

    Leading words that open a sentence rather than a name (see :func:`_common_word`:
    ``Billionaire Donald Trump``, ``Despite Santilli``) are dropped, and so are a possessive owner
    (``Green Party's Jill Stein``) and a home state after a full name (``Bernie Sanders of
    Vermont``). What is left is no name when it is empty or such a sentence opener alone
    (``Hastily``), ends in a party word (``Democrat``, ``South Carolina
    Republican``), is a place (:data:`resources.PLACE_NAMES`) or runs over
    :data:`resources.SPEAKER_MAX_WORDS` words (a headline, a dateline). ``places=True`` keeps
    places (a place is mentioned, though it does not speak).

    >>> seen = article_words("Donald Trump, a billionaire, met Santilli, Bernie Sanders and Miller "
    ...                      "of Vermont; a Democrat spoke hastily.")
    >>> [clean_speaker(n, seen) for n in ["Billionaire Donald Trump", "Despite Santilli", "Hastily",
    ...  "Bernie Sanders of Vermont", "Green Party's Jill Stein", "Democrat", "Miller", "Hugh Hill"]]
    ['Donald Trump', 'Santilli', None, 'Bernie Sanders', 'Jill Stein', None, 'Miller', 'Hugh Hill']
    """
    words = name.split()
    for i, w in enumerate(words[:-1]):
        if w.endswith(("’s", "'s", "s’", "s'")) and len(words) - i - 1 >= 2:
            words = words[i + 1:]          # "Wall Street Journal's Jennifer Smith"
            break
    while len(words) > 1 and (words[0][:1].islower() or words[0] in R.NOT_NAME_WORDS or _common_word(words[0], seen)):
        words = words[1:]
    while len(words) > 1 and words[-1] in R.NOT_NAME_WORDS:
        words = words[:-1]                 # "Twitter Thursday"
    if "of" in words[2:]:
        head = words[:words.index("of", 2)]
        if head[0] in R.FIRST_NAMES and not any(w in R.ORG_WORDS for w in head):
            words = head                   # "Bernie Sanders of Vermont"
    if (not words or len(words) > R.SPEAKER_MAX_WORDS or words[-1] in _PARTY_WORDS
            or (not places and " ".join(words) in R.PLACE_NAMES)
            or (len(words) == 1 and (words[0] in R.NOT_NAME_WORDS or words[0] in _TITLE_WORDS
                                     or words[0] in R.ABBREVIATIONS or _PARTY_TAG_RE.fullmatch(words[0])
                                     or _common_word(words[0], seen)))):
        return None
    return " ".join(words)


def _description_name(mention: str) -> str:
    words = mention.split()
    if words and words[0].lower() in {"a", "an", "the", "one", "another"}:
        words = words[1:]
    return " ".join(words) if words else mention


# --------------------------------------------------------------------------- per-article annotator
COLUMNS = ["article_id", "quote", "speaker_mention", "speaker", "speaker_kind", "cue", "start", "end", "how", "paragraph"]


def annotate(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per quote for each article: the per-article annotator the store calls.

    Offsets are into each article's ``body``; the repeated title line and the wire line are
    not searched.
    """
    rows: list[dict] = []
    titles = articles["title"] if "title" in articles else [None] * len(articles)
    for aid, body, title in zip(articles["article_id"], articles["body"], titles):
        if not isinstance(body, str):
            continue
        for q in _extract_clean(body, title):
            q["article_id"] = aid
            rows.append(q)
    df = pd.DataFrame(rows, columns=COLUMNS)
    if not rows:    # no quotes: the same columns, typed (text columns would otherwise have no type)
        df = df.astype({c: "str" for c in COLUMNS if c not in ("start", "end", "paragraph")})
    return df.astype({"start": "int64", "end": "int64", "paragraph": "int64"})


def _extract_clean(body: str, title) -> list[dict]:
    return extract_quotes(body, title=title if isinstance(title, str) else None)


#: What :func:`annotate` reads, and so what its store version hashes (checked against what it
#: reaches by tests/test_store_versions.py): the extraction and resolution code above, the
#: clean-text span of ``newsdesk.text``, and the word lists and patterns they use. Patterns built
#: from word lists at import (``CUE_RE``, ``_TITLE_RE``) are hashed as built. The analyses and
#: charts below are not part of it.
INPUTS = registry.Inputs(
    functions={
        "quotes": """annotate _extract_clean extract_quotes normalize_quote_marks _apostrophe_mark
                     _pair_marks _paragraphs _cues _cue_at _is_abbrev _not_boundary _sentence_start
                     _sentence_end strip_title _honorific_gender _tokens _is_name_token _name_runs
                     _speaker_kind _phrase_to_mention _looks_like_description _subject_before
                     _subject_after _find_after _subject_for_cue _find_before _find_later
                     _named_elsewhere _sentence_subject _gender _parse_run _Entities _resolve
                     ArticleWords article_words _word_char _common_word clean_speaker""",
        "text": """content_span _agency _content_span_lines _exotic_breaks _first_line _last_line
                   _lines_with_offsets _norm_title _tidy span_and_agency wire_agency""",
    },
    values={
        "quotes": """COLUMNS CUE_RE MAX_DONOR_GAP MIN_UNATTRIBUTED_WORDS NAME_RUN_RE SHORT_QUOTE_WORDS
                     _ACCORDING_RE _ALL_INITIALS_RE _APPOSITIVE_NAME_RE _CONNECTORS _CONTRACTION_RE
                     _DASH_RE _DESC_START _DIRECT_HOWS _INITIALS_RE _LAST_CLAUSE_MARK_RE
                     _LOWER_INTRO _MAX_SPEAKER_WORDS _MID_SENTENCE_BEFORE_RE _NAME_TOKEN_RE
                     _OPENERS_AFTER_ABBREV _PAREN_END_RE _PARTY_TAG_RE _PARTY_WORDS
                     _PERSON_CONTEXT_RE _POSSESSIVE_RE _PREP_CUT _SENT_END_RE _SENT_OR_LINE_RE
                     _SO_CALLED_RE _SPACE_COMMA_RE _TITLE_FIRST_WORDS _TITLE_RE _TITLE_WORDS
                     _TRAILING_ADV_RE _TRAILING_DAY_RE _WORD_RE""",
        "resources": """ABBREVIATIONS AGENCY_CANONICAL AGENCY_MISSING APOSTROPHE_QUOTE_RE
                        ASCII_EXOTIC_BREAKS AUXILIARY_WORDS CORE_SPEECH_VERBS EXOTIC_BREAKS
                        FEMALE_FIRST_NAMES FEMALE_HONORIFICS FIRST_NAMES FUNCTION_WORDS GROUP_NOUNS MALE_FIRST_NAMES
                        MALE_HONORIFICS NOT_NAME_WORDS NUMBER_WORDS ORG_WORDS PLACE_NAMES QUOTE_CLOSERS
                        QUOTE_MARKS QUOTE_MARK_RE QUOTE_OPENERS QUOTE_OPEN_AFTER SENTENCE_INTRO_WORDS
                        SPEAKER_BOUNDARY_WORDS SPEAKER_MAX_WORDS SPEAKER_PRONOUNS WIRE_LINE_RE""",
        "text": "_NON_SPACE_RE _NON_WORD_RE _WORD_CHAR_RE",
    },
)
VERSION = registry.register("quotes", annotate, inputs=INPUTS, columns=COLUMNS).version


# --------------------------------------------------------------------------- user-facing
NAMED_KINDS = ("person", "organisation")
"""Speaker kinds that name someone (descriptions such as ``a senior official`` do not)."""
_META = ["date", "section", "title", "path", "publisher", "agency"]
OUTPUT_COLUMNS = ["article_id", "quote", "speaker", "speaker_mention", "speaker_kind", "cue", "start", "end",
                  "words", "date", "section", "title", "path"]


def read_aliases(path: str | os.PathLike | None = config.ALIASES_FILE) -> dict[str, str]:
    """``{alias (lower case): canonical}`` from a CSV with columns ``canonical,alias``.

    A missing default file means no aliases; a missing file named explicitly, or one without
    those columns, is an error that says what to fix.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "aliases.csv"
    >>> _ = p.write_text("canonical,alias\\nJonathan Whitfield,Jack Whitfield\\n")
    >>> read_aliases(p)
    {'jack whitfield': 'Jonathan Whitfield'}
    """
    if path is None:
        return {}
    p = Path(path)
    if not p.exists():
        if p == Path(config.ALIASES_FILE):
            return {}
        raise FileNotFoundError(f"aliases file {p} does not exist; it needs columns canonical,alias")
    try:
        df = pd.read_csv(p, dtype=str, skipinitialspace=True, comment="#")
    except Exception as exc:  # pandas raises several kinds for bad CSV
        raise ValueError(f"aliases file {p} is not a readable CSV ({exc}); expected columns canonical,alias") from None
    missing = {"canonical", "alias"} - set(df.columns)
    if missing:
        raise ValueError(f"aliases file {p} lacks column(s) {sorted(missing)}; expected columns canonical,alias")
    out = {}
    for canonical, alias in zip(df["canonical"], df["alias"]):
        if isinstance(canonical, str) and isinstance(alias, str) and canonical.strip() and alias.strip():
            out[" ".join(alias.split()).lower()] = " ".join(canonical.split())
    return out


def _name_key(name: str) -> str:
    """``Donald J. Trump`` and ``Donald Trump`` share the key ``donald trump``."""
    parts = [w for w in name.split() if not re.fullmatch(r"[A-Z]\.?", w)]
    return " ".join(parts).lower()


def merge_speakers(speakers: pd.Series, kinds: pd.Series | None = None, *,
                   aliases: dict[str, str] | None = None) -> pd.Series:
    """Canonical speaker names across a corpus.

    - variants differing only by middle initials merge (``Donald J. Trump`` -> the commonest form);
    - a surname alone merges with the full name that carries it, when one full name accounts for
      at least two thirds of that surname's uses (``Lavrov`` -> ``Sergei Lavrov``);
    - ``aliases`` (lower-case alias -> canonical) override both.

    >>> merge_speakers(pd.Series(["Sergei Lavrov", "Lavrov", "Lavrov", "Jack Whitfield"]),
    ...                aliases={"jack whitfield": "Jonathan Whitfield"}).tolist()
    ['Sergei Lavrov', 'Sergei Lavrov', 'Sergei Lavrov', 'Jonathan Whitfield']
    """
    import numpy as np

    aliases = aliases or {}
    s = speakers.astype("object")
    if kinds is None:
        kinds = pd.Series(["person"] * len(s), index=s.index)
    named = s.notna() & kinds.isin(NAMED_KINDS).to_numpy()
    counts = s[named].value_counts()
    # 1. commonest spelling per key
    best: dict[str, tuple[int, str]] = {}
    for name, n in counts.items():
        k = _name_key(name)
        if k not in best or n > best[k][0]:
            best[k] = (n, name)
    canon = {name: best[_name_key(name)][1] for name in counts.index}
    # 2. surnames alone
    by_last: dict[str, dict[str, int]] = {}
    for name, n in counts.items():
        parts = canon[name].split()
        if len(parts) >= 2:
            d = by_last.setdefault(parts[-1].lower(), {})
            d[canon[name]] = d.get(canon[name], 0) + int(n)
    for name in counts.index:
        if " " not in name.strip():
            d = by_last.get(name.lower())
            if d:
                full, n = max(d.items(), key=lambda kv: kv[1])
                if n >= 2 / 3 * sum(d.values()):
                    canon[name] = full
    # 3. the alias file wins
    def final(name):
        if not isinstance(name, str):
            return name
        c = canon.get(name, name)
        return aliases.get(" ".join(c.split()).lower(), aliases.get(" ".join(name.split()).lower(), c))
    # each distinct name once (a corpus quotes a few thousand people many times)
    values = s.to_numpy(dtype=object).copy()
    known = s.notna().to_numpy()
    mapping = {v: final(v) for v in pd.unique(values[known])}
    values[known] = np.fromiter((mapping[v] for v in values[known]), dtype=object, count=int(known.sum()))
    return pd.Series(values, index=s.index, name=s.name, dtype=object)


def _name_descriptions(rows: pd.DataFrame) -> None:
    """``the election commission`` -> ``National Election Commission`` when exactly one
    organisation quoted in the corpus has a name ending in those words (in place)."""
    desc = rows["speaker"].isna() & (rows["speaker_kind"] == "description")
    if not desc.any():
        return
    orgs = rows.loc[rows["speaker_kind"] == "organisation", "speaker"].dropna().unique()
    by_end: dict[str, set[str]] = {}
    for org in orgs:
        words = org.lower().split()
        for k in range(1, min(3, len(words) - 1) + 1):
            by_end.setdefault(" ".join(words[-k:]), set()).add(org)
    for i, mention in rows.loc[desc, "speaker_mention"].items():
        words = str(mention).lower().split()
        if 1 < len(words) <= 4 and words[0] == "the":
            cands = by_end.get(" ".join(words[1:]))
            if cands and len(cands) == 1:
                rows.at[i, "speaker"] = next(iter(cands))
                rows.at[i, "speaker_kind"] = "organisation"


def quotes(articles: pd.DataFrame, *, aliases: str | os.PathLike | None = config.ALIASES_FILE,
           min_words: int = 0, cache: bool = True) -> pd.DataFrame:
    """One row per direct quote in ``articles``, speakers resolved across the corpus.

    Columns: ``article_id, quote, speaker, speaker_mention, speaker_kind, cue, start, end, words,
    date, section, title, path`` (and ``publisher``/``agency`` when the articles have them).
    ``speaker`` is canonical: titles stripped, pronouns resolved in the article, short forms and
    spelling variants merged across the corpus, then ``aliases`` (a CSV ``canonical,alias``;
    ``None`` for none) applied. ``speaker_kind`` is ``person``, ``organisation`` or
    ``description`` (``a senior official``). ``min_words`` drops shorter quotes. Results come from
    the annotation store (computed once per article) unless ``cache=False``.

    >>> import newsdesk as nd
    >>> q = quotes(nd.load_corpus("data/sample"))          # doctest: +SKIP
    >>> q.groupby("speaker").size().nlargest(5)             # doctest: +SKIP
    """
    if not isinstance(articles, pd.DataFrame) or not {"article_id", "body"} <= set(articles.columns):
        raise TypeError("quotes() needs the articles frame from newsdesk.load_corpus (columns article_id, body, ...)")
    if min_words < 0:
        raise ValueError(f"min_words must be 0 or more, not {min_words}")
    alias_map = read_aliases(aliases)
    if len(articles):
        rows = store.get(articles, "quotes", cache=cache)
    else:
        rows = pd.DataFrame(columns=COLUMNS)
    rows = rows.reset_index(drop=True)
    import numpy as np

    texts = rows["quote"].to_numpy(dtype=object)
    rows["words"] = np.fromiter((len(str(t).split()) for t in texts), dtype=np.int64, count=len(texts))
    if min_words:
        rows = rows[rows["words"] >= min_words].reset_index(drop=True)
    rows["speaker"] = merge_speakers(rows["speaker"], rows["speaker_kind"], aliases=alias_map)
    _name_descriptions(rows)
    meta = [c for c in _META if c in articles.columns]
    out = rows.merge(articles[["article_id", *meta]].drop_duplicates("article_id"), on="article_id", how="left")
    cols = [c for c in OUTPUT_COLUMNS if c in out.columns] + [c for c in out.columns if c not in OUTPUT_COLUMNS]
    return out[cols]


def named(q: pd.DataFrame) -> pd.DataFrame:
    """Only the quotes whose speaker is a named person or organisation."""
    return q[q["speaker"].notna() & q["speaker_kind"].isin(NAMED_KINDS)]


def summary(q: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Headline counts: quotes, quotes with a named speaker, speakers, articles quoting anyone.

    >>> summary(pd.DataFrame({"speaker": ["A B", None], "speaker_kind": ["person", "description"],
    ...                       "article_id": [1, 1], "words": [3, 4]}))["value"].tolist()
    [2, 1, 1, 1, 3.5]
    """
    n = named(q)
    rows = [("direct quotes", len(q)), ("quotes with a named speaker", len(n)),
            ("named speakers", n["speaker"].nunique()), ("articles with quotes", q["article_id"].nunique())]
    if articles is not None:
        rows.append(("articles read", len(articles)))
    rows.append(("median quote length (words)", float(q["words"].median()) if len(q) else 0.0))
    return pd.DataFrame({"measure": [r[0] for r in rows], "value": pd.Series([r[1] for r in rows], dtype="object")})


def voice_column(q: pd.DataFrame) -> str:
    """The column share of voice is split by: :func:`newsdesk.corpus.group_column` (sections,
    else publishers, else agencies), ``section`` when none has two values."""
    from .corpus import group_column

    return group_column(q) or "section"


def quote_yield(q: pd.DataFrame, articles: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """Quotes per article in each publisher, section or agency (``by``; ``None`` picks one as
    :func:`voice_column` does), with ``low_yield`` set where a group of at least
    :data:`config.QUOTE_YIELD_MIN_ARTICLES` articles yields less than
    :data:`config.QUOTE_YIELD_LOW` of the groups' median: an outlet whose quotation marks the
    extractor does not read would otherwise just vanish from the speaker charts.
    Columns: ``by, articles, quotes, per_article, low_yield``; :func:`yield_warnings` words them.

    >>> arts = pd.DataFrame({"article_id": list("abcdef"), "publisher": list("XXYYZZ")})
    >>> q = pd.DataFrame({"article_id": list("aaabccdde")})
    >>> quote_yield(q, arts)[["publisher", "articles", "quotes", "per_article"]].values.tolist()
    [['X', 2, 4, 2.0], ['Y', 2, 4, 2.0], ['Z', 2, 1, 0.5]]
    """
    by = by or voice_column(articles)
    if by not in articles.columns:
        raise ValueError(f"no column {by!r} to group by; choose from {sorted(articles.columns)}")
    group = articles.set_index("article_id")[by].astype("object").fillna("(none)")
    n_articles = group.value_counts()
    n_quotes = q["article_id"].map(group).value_counts().reindex(n_articles.index, fill_value=0)
    t = pd.DataFrame({by: n_articles.index, "articles": n_articles.to_numpy(),
                      "quotes": n_quotes.to_numpy()})
    t["per_article"] = t["quotes"] / t["articles"]
    median = float(t["per_article"].median()) if len(t) else 0.0
    t["low_yield"] = ((t["articles"] >= config.QUOTE_YIELD_MIN_ARTICLES) & (median > 0)
                      & (t["per_article"] < config.QUOTE_YIELD_LOW * median))
    t.attrs["median"] = median
    return t.sort_values(["per_article", by], ascending=[False, True], kind="stable").reset_index(drop=True)


def yield_warnings(table: pd.DataFrame) -> list[str]:
    """One sentence per group that :func:`quote_yield` flags.

    >>> t = pd.DataFrame({"publisher": ["NYT", "AP"], "articles": [120, 120], "quotes": [2, 960],
    ...                   "per_article": [0.02, 8.0], "low_yield": [True, False]})
    >>> t.attrs["median"] = 8.0
    >>> yield_warnings(t)
    ['NYT: 0.02 quotes per article against a median of 8.0; its quotation marks may be unusual, so its speakers are under-counted.']
    """
    by = table.columns[0]
    median = table.attrs.get("median", float(table["per_article"].median()))
    low = table[table["low_yield"]]
    return [f"{group}: {rate:.2f} quotes per article against a median of {median:.1f}; "
            "its quotation marks may be unusual, so its speakers are under-counted."
            for group, rate in zip(low[by], low["per_article"])]


def follow_speakers(q: pd.DataFrame, speakers: list[str] | None = None, *, n: int = 3
                    ) -> tuple[list[str], list[str]]:
    """The canonical speakers to follow, and one sentence per choice made or refused.

    Each name in ``speakers`` is matched, case-insensitively, against the canonical speakers of
    ``q``: first exactly (``"donald trump"``); then as a whole surname or whole words of exactly
    one speaker (``"Lavrov"`` finds ``Sergei Lavrov`` when no other speaker is a Lavrov). A name
    that fits several speakers is not followed; its note lists them, most quoted first, to copy one
    into ``speakers``. A name nobody in ``q`` matches is named in a note, and nobody is followed in
    its place. With no ``speakers``, the ``n`` most-quoted speakers are followed, and the note says
    so.

    >>> q = pd.DataFrame({"speaker": ["Donald Trump"] * 3 + ["Eric Trump", "Sergei Lavrov"],
    ...                   "speaker_kind": "person", "article_id": [1, 2, 3, 3, 4], "words": 5})
    >>> follow_speakers(q, ["lavrov", "Kerry"])
    (['Sergei Lavrov'], ['Kerry is not a named speaker in this selection.'])
    >>> follow_speakers(q, ["Trump"])[1]
    ["Trump could be Donald Trump (3 quotes) or Eric Trump (1); put the one you mean in speakers, e.g. ['Donald Trump']."]
    """
    ranked = top_speakers(q, top_n=10**9)
    names, counts = ranked["speaker"].tolist(), dict(zip(ranked["speaker"], ranked["quotes"]))
    if not speakers:
        top = names[:n]
        if not top:
            return [], ["No quote in this selection has a named speaker, so no speaker is followed."]
        return top, [f"Following the {len(top)} most-quoted speakers: {', '.join(top)} "
                     f"(set speakers to choose others)."]
    followed: list[str] = []
    notes: list[str] = []
    for want in speakers:
        key = " ".join(str(want).split()).casefold()
        if not key:
            continue
        exact = [s for s in names if s.casefold() == key]
        if exact:
            found = exact
        else:
            words = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")
            found = ([s for s in names if s.casefold().rsplit(" ", 1)[-1] == key]
                     or [s for s in names if words.search(s.casefold())])
        if len(found) == 1:
            followed += [found[0]] if found[0] not in followed else []
        elif not found:
            notes.append(f"{want} is not a named speaker in this selection.")
        else:
            listed = [f"{found[0]} ({counts[found[0]]} quotes)"] + [f"{s} ({counts[s]})" for s in found[1:8]]
            more = f" and {len(found) - 8} more" if len(found) > 8 else ""
            notes.append(f"{want} could be {', '.join(listed[:-1])} or {listed[-1]}{more}; "
                         f"put the one you mean in speakers, e.g. {[found[0]]}.")
    return followed, notes


def top_speakers(q: pd.DataFrame, *, top_n: int = 15) -> pd.DataFrame:
    """The most-quoted named speakers: ``speaker, kind, quotes, articles, words``.

    >>> q = pd.DataFrame({"speaker": ["A B", "A B", "C D"], "speaker_kind": ["person"] * 3,
    ...                   "article_id": [1, 2, 2], "words": [3, 4, 5]})
    >>> top_speakers(q)[["speaker", "quotes", "articles"]].values.tolist()
    [['A B', 2, 2], ['C D', 1, 1]]
    """
    n = named(q[["speaker", "speaker_kind", "article_id", "words"]])   # no copy of the quotes' text
    if n.empty:
        return pd.DataFrame(columns=["speaker", "kind", "quotes", "articles", "words"])
    g = n.groupby("speaker").agg(quotes=("speaker", "size"), articles=("article_id", "nunique"),
                                 words=("words", "sum"))
    # each speaker's most frequent kind, the first in sort order on a tie (as Series.mode)
    kinds = n.groupby(["speaker", "speaker_kind"]).size().rename("k").reset_index()
    kinds = kinds.sort_values(["speaker", "k", "speaker_kind"], ascending=[True, False, True], kind="stable")
    g.insert(0, "kind", kinds.drop_duplicates("speaker").set_index("speaker")["speaker_kind"].reindex(g.index))
    g = g.sort_values(["quotes", "articles"], ascending=False).head(top_n).reset_index()
    return g


def speaker_quotes(q: pd.DataFrame, speaker: str | list[str]) -> pd.DataFrame:
    """Quotes with dates and titles, newest first: of the canonical speakers in a list (as
    :func:`follow_speakers` gives), or of every speaker matching a term (case-insensitive whole
    words, ``A|B`` for either: ``"trump"`` also finds Eric Trump).

    >>> q = pd.DataFrame({"speaker": ["Donald Trump", "Eric Trump"], "quote": ["a", "b"],
    ...                   "date": pd.to_datetime(["2016-01-01", "2016-02-01"])})
    >>> speaker_quotes(q, ["Donald Trump"])["quote"].tolist(), speaker_quotes(q, "trump")["quote"].tolist()
    (['a'], ['b', 'a'])
    """
    from .text import term_pattern

    if isinstance(speaker, str):
        pat = term_pattern(speaker)
        mask = q["speaker"].astype("object").map(lambda s: isinstance(s, str) and bool(pat.search(s))).astype(bool)
    else:
        mask = q["speaker"].isin(list(speaker)).fillna(False).astype(bool)
    sel = q.loc[mask]
    cols = [c for c in ["date", "speaker", "quote", "title", "section", "path"] if c in sel.columns]
    return sel.sort_values("date", ascending=False)[cols].reset_index(drop=True)


def co_quoted(q: pd.DataFrame, *, top_n: int = 12) -> pd.DataFrame:
    """For the ``top_n`` most-quoted speakers, in how many articles each pair is quoted together
    (a symmetric matrix; the diagonal is each speaker's own article count)."""
    top = top_speakers(q, top_n=top_n)["speaker"].tolist()
    n = named(q)
    n = n[n["speaker"].isin(top)]
    if n.empty:
        return pd.DataFrame(dtype="int64")
    m = pd.crosstab(n["article_id"], n["speaker"]).clip(upper=1)
    m = m[[s for s in top if s in m.columns]]
    return (m.T @ m).astype("int64")


# --------------------------------------------------------------------------- charts
NO_QUOTES = "no quotes in this corpus"
NO_NAMED = "no quotes by named speakers in this corpus"


def empty_message(q: pd.DataFrame) -> str | None:
    """What a chart of named speakers says when there is nothing to draw, or None when there is.

    >>> empty_message(pd.DataFrame({"speaker": [], "speaker_kind": []}))
    'no quotes in this corpus'
    """
    if not len(q):
        return NO_QUOTES
    return None if len(named(q)) else NO_NAMED


def _say_empty(ax, message: str | None) -> None:
    if message:
        ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color="#555555")


def chart_top_speakers(q: pd.DataFrame, *, top_n: int = 15):
    """Horizontal bars: quotes per named speaker, most quoted on top."""
    from . import charts

    t = top_speakers(q, top_n=top_n).iloc[::-1]
    fig, ax = charts.figure(size=(9, max(3.0, 0.32 * len(t) + 1.2)))
    colors = [charts.PALETTE[0] if k == "person" else charts.PALETTE[3] for k in t["kind"]]
    ax.barh(t["speaker"], t["quotes"], color=colors)
    for y, (v, a) in enumerate(zip(t["quotes"], t["articles"])):
        ax.annotate(f"{v} ({a} art.)", (v, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.grid(axis="y", visible=False)
    if not len(t):
        _say_empty(ax, empty_message(q))
    if len(t) and (t["kind"] != "person").any():
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color=charts.PALETTE[0], label="person"), Patch(color=charts.PALETTE[3], label="organisation")],
                  frameon=False, fontsize=9, loc="lower right")
    return charts.finish(ax, title=f"Most-quoted speakers (top {len(t)})", xlabel="direct quotes (count)", ylabel="speaker")


def quotes_per_month(q: pd.DataFrame, *, speakers: list[str] | None = None, top_n: int = 5,
                     freq: str = "month") -> pd.DataFrame:
    """Quotes per period (rows) and speaker (columns), zero-filled; the ``top_n`` speakers
    unless ``speakers`` names them. Periods are ``config.FREQ_ALIASES``' (weeks run Monday to
    Sunday); the index holds each period's first day."""
    pf = FREQ_ALIASES.get(freq)
    if pf is None:
        raise ValueError(f"freq must be {', '.join(FREQ_ALIASES)}, not {freq!r}")
    n = named(q)
    who = list(speakers) if speakers else top_speakers(q, top_n=top_n)["speaker"].tolist()
    n = n[n["speaker"].isin(who)]
    if n.empty:
        return pd.DataFrame(columns=who, dtype="int64")
    period = pd.to_datetime(n["date"]).dt.to_period(pf)
    t = pd.crosstab(period, n["speaker"])
    full = pd.period_range(t.index.min(), t.index.max(), freq=pf)
    t = t.reindex(full, fill_value=0)
    t.index = full.to_timestamp(how="start")
    t.index.name = "period"
    return t[[w for w in who if w in t.columns]]


def chart_quotes_per_month(q: pd.DataFrame, *, speakers: list[str] | None = None, top_n: int = 5,
                           freq: str = "month"):
    """Lines: quotes per month for the top speakers (or the ``speakers`` named). A selection
    within one period has no trend to draw: it gets one bar per speaker instead, and says so."""
    from . import charts

    t = quotes_per_month(q, speakers=speakers, top_n=top_n, freq=freq)
    fig, ax = charts.figure()
    if len(t) == 1:
        row = t.iloc[0].sort_values(kind="stable")
        ax.barh([str(c) for c in row.index], row.to_numpy(), color=charts.PALETTE[0], label="_bars")
        charts.count_axis(ax, axis="x")
        when = pd.Timestamp(t.index[0]).strftime("%B %Y" if freq == "month" else "%d %b %Y")
        return charts.finish(ax, title=f"Quotes in {when}, by speaker (one {freq} only: no trend to draw)",
                             xlabel="direct quotes (count)", ylabel="speaker", legend=False)
    for col in t.columns:
        ax.plot(t.index, t[col], marker="o", markersize=3, label=col)
    if len(t):
        charts.date_axis(ax, freq=freq)
    else:
        _say_empty(ax, empty_message(q) or "no quotes by these speakers")
    ax.set_ylim(bottom=0)
    return charts.finish(ax, title=f"Quotes per {freq} by speaker", xlabel=freq,
                         ylabel=f"direct quotes per {freq} (count)", legend=len(t.columns) > 1, legend_title="speaker")


def share_of_voice(q: pd.DataFrame, *, by: str | None = None, top_n: int = 6) -> pd.DataFrame:
    """Share (0-1) of each group's named quotes going to each of the ``top_n`` speakers, the rest
    as ``others``; groups are ``section`` values (or another column, e.g. ``publisher``; ``None``
    picks one with :func:`voice_column`)."""
    by = by or voice_column(q)
    if by not in q.columns:
        raise ValueError(f"no column {by!r} to group by; choose from {sorted(q.columns)}")
    n = named(q)
    top = top_speakers(q, top_n=top_n)["speaker"].tolist()
    group = n[by].astype("object").fillna("(none)")
    who = n["speaker"].where(n["speaker"].isin(top), "others")
    t = pd.crosstab(group, who, normalize="index")
    return t[[c for c in top + ["others"] if c in t.columns]]


def chart_share_of_voice(q: pd.DataFrame, *, by: str | None = None, top_n: int = 6):
    """Stacked horizontal bars: each section's quotes split by speaker (percent)."""
    from . import charts

    by = by or voice_column(q)
    t = share_of_voice(q, by=by, top_n=top_n) * 100
    fig, ax = charts.figure(size=(9, max(3.0, 0.4 * len(t) + 1.6)))
    left = pd.Series(0.0, index=t.index)
    for i, col in enumerate(t.columns):
        color = "#bbbbbb" if col == "others" else charts.PALETTE[i % len(charts.PALETTE)]
        ax.barh(t.index.astype(str), t[col], left=left, label=col, color=color)
        left += t[col]
    ax.set_xlim(0, 100)
    ax.grid(axis="y", visible=False)
    if t.empty:
        _say_empty(ax, empty_message(q))
    fig = charts.finish(ax, title=f"Share of voice by {by}", xlabel="share of named quotes (%)", ylabel=by,
                        legend=len(t.columns) > 1, legend_title="speaker")
    if ax.get_legend():
        ax.legend(title="speaker", frameon=False, fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    return fig


def chart_quote_lengths(q: pd.DataFrame, *, max_words: int | None = None):
    """Histogram of quote length in words (quotes longer than ``max_words`` gathered in the last
    bin; by default the 98th percentile, rounded up to 5 words, at least 20)."""
    from . import charts

    if max_words is None:
        p98 = float(q["words"].quantile(0.98)) if len(q) else 20.0
        max_words = max(20, int(-(-p98 // 5) * 5))
    fig, ax = charts.figure()
    w = q["words"].clip(upper=max_words)
    ax.hist(w, bins=range(0, max_words + 5, 5), color=charts.PALETTE[0], edgecolor="white")
    if len(w):
        med = float(q["words"].median())
        ax.axvline(med, color=charts.PALETTE[1], linestyle="--", linewidth=1.2, label=f"median {med:.0f} words")
        ax.legend(frameon=False, fontsize=9)
    else:
        _say_empty(ax, NO_QUOTES)
    return charts.finish(ax, title="Quote length", xlabel=f"words per quote ({max_words}+ in the last bin)",
                         ylabel="quotes (count)")


def chart_co_quoted(q: pd.DataFrame, *, top_n: int = 12):
    """Heat map: articles in which two of the top speakers are both quoted."""
    from . import charts

    import numpy as np

    m = co_quoted(q, top_n=top_n)
    off = m.to_numpy().copy()
    if len(m):
        np.fill_diagonal(off, 0)
    if len(m) < 2 or not off.any():
        # no pair shares an article: a map of zeros would look like a result; say it instead
        fig, ax = charts.figure()
        ax.set_axis_off()
        ax.text(0.5, 0.5, empty_message(q) or ("No two of the most-quoted speakers are quoted in the same article."
                if len(m) >= 2 else "Fewer than two named speakers: nobody to compare."),
                transform=ax.transAxes, ha="center", va="center", color="#555555", wrap=True)
        return charts.finish(ax, title="Speakers quoted in the same articles", xlabel="", ylabel="")
    size = max(4.0, 0.45 * len(m) + 2.5)
    fig, ax = charts.figure(size=(size + 1.5, size))
    if len(m):
        im = ax.imshow(off, cmap="Blues", vmin=0)
        ax.set_xticks(range(len(m)), m.columns, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(len(m)), m.index, fontsize=8)
        for i in range(len(m)):
            for j in range(len(m)):
                if i != j and off[i, j]:
                    ax.text(j, i, str(off[i, j]), ha="center", va="center", fontsize=7,
                            color="white" if off[i, j] > off.max() / 2 else "black")
        fig.colorbar(im, ax=ax, label="articles quoting both (count)", shrink=0.8)
    ax.grid(False)
    return charts.finish(ax, title="Speakers quoted in the same articles", xlabel="speaker", ylabel="speaker")


#: How ``tests/test_charts.py`` calls each chart: ``example(articles) -> (args, kwargs)``.
CHART_EXAMPLES = {
    "chart_top_speakers": lambda a: ((quotes(a),), {}),
    "chart_quotes_per_month": lambda a: ((quotes(a),), {}),
    "chart_share_of_voice": lambda a: ((quotes(a),), {"by": "section"}),
    "chart_quote_lengths": lambda a: ((quotes(a),), {}),
    "chart_co_quoted": lambda a: ((quotes(a),), {}),
}
