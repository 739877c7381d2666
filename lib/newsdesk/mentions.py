"""Who a quote names: the speaker phrase beside a cue verb, titles and kinds, and speakers
resolved within one article (pronouns, short forms, descriptions).

:mod:`newsdesk.quotes` finds the quotes and the words around them and calls
:func:`subject_before`, :func:`subject_after` and :func:`resolve`; :mod:`newsdesk.entities`
cleans names with :func:`clean_speaker`, :func:`strip_title` and :func:`name_kind`.

>>> strip_title("Secretary of State John Kerry"), name_kind("White House")
('John Kerry', 'organisation')
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from . import resources as R
from .text import LineSentences, is_abbreviation

__all__ = ["NAME_RUN_RE", "strip_title", "tokens", "name_runs", "name_kind", "phrase_to_mention",
           "subject_before", "subject_after", "resolve", "ArticleWords", "article_words", "clean_speaker"]

# --------------------------------------------------------------------------- patterns
_ADV = r"(?:(?:" + "|".join(sorted(R.CUE_ADVERBS)) + r"|[a-z]+ly)\s+)"
_WORD_RE = re.compile(r"[\w’'.\-@&]+|[^\w\s]")
_TITLE_RE = re.compile(r"^(?:(?:" + "|".join(re.escape(t) for t in R.TITLES) + r")\s+)+")
_PAREN_END_RE = re.compile(r"\s*\([^()]*\)\s*$")
_POSSESSIVE_RE = re.compile(r"[’']s$")
_NAME_TOKEN_RE = re.compile(r"^(?:[A-Z][\w’'\-]*\.?|[A-Z]\.(?:[A-Z]\.)*|Mc[A-Z]\w+|O’[A-Z]\w+|O'[A-Z]\w+)$")
_CONNECTORS = frozenset({"de", "del", "da", "van", "von", "der", "la", "le", "bin", "al", "di", "du", "dos", "of", "al-"})
#: two or more capitalised words (optionally joined by a connector): a full name or an organisation
NAME_RUN_RE = re.compile(
    r"(?=[A-Z])(?<![\w’'])(?:[A-Z][a-z’'\-]+|[A-Z]\.)(?:[ \t\u00a0]+(?:(?:de|del|da|van|von|der|la|bin|al|of|the)[ \t\u00a0]+)?"
    r"(?:[A-Z][\w’'\-]*[a-z]|[A-Z]\.))+(?:[ \t\u00a0]+(?:Jr\.|Sr\.|III|II))?"
)
_MAX_SPEAKER_WORDS = 9
_TITLE_WORDS = frozenset(t for t in R.TITLES if " " not in t) - {"Former", "former", "Democrat", "Republican", "Independent"}
_ALL_INITIALS_RE = re.compile(r"(?:[A-Z]\.)+")
_PARTY_WORDS = frozenset({"Former", "Democrat", "Democrats", "Republican", "Republicans", "Independent", "GOP"})
_MID_SENTENCE_BEFORE_RE = re.compile(R.MID_SENTENCE_CAPITAL_BEFORE + r"$")
_PARTY_TAG_RE = re.compile(r"[RDI]-[A-Z][\w.]*")       # "R-Ky.", "D-Calif."
_PARTY_TAG_END_RE = re.compile(r"\(\s*[RDI]-[A-Z][\w.]*\s*\),\s*$")
_CLAUSE_MARKS = re.escape(",;:(—–" + R.QUOTE_MARKS)
_LAST_CLAUSE_MARK_RE = re.compile(f"[{_CLAUSE_MARKS}][^{_CLAUSE_MARKS}]*$")
_APPOSITIVE_NAME_RE = re.compile(r",\s+((?:[A-Z][\w’'.\-]*\s*){1,4})(?=[.,;]|$)")


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


def tokens(seg: str, base: int) -> list[tuple[str, int, int]]:
    return [(m.group(0), base + m.start(), base + m.end()) for m in _WORD_RE.finditer(seg)]


def _is_name_token(w: str) -> bool:
    return bool(_NAME_TOKEN_RE.match(w)) and w not in R.NOT_NAME_WORDS


def name_runs(toks: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
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


def phrase_to_mention(text: str, toks: list[tuple[str, int, int]], *, after: bool = False):
    """Choose the words naming the speaker inside a short phrase. Returns
    ``(mention, start, end, kind)`` or ``None``. ``kind`` is ``person``, ``organisation``,
    ``pronoun`` or ``description``."""
    if not toks:
        return None
    words = [t[0] for t in toks]
    if words[-1].lower() in R.SPEAKER_PRONOUNS and (len(words) == 1 or not after):
        # "he", "On Monday he"
        return words[-1], toks[-1][1], toks[-1][2], "pronoun"
    runs = name_runs(toks)
    if runs and runs[0] == (0, 1) and words[0] in R.GROUP_NOUNS:
        runs = runs[1:]  # "Critics", "Officials": a description
    if runs:
        if after:
            i, j = runs[0]
            named = i <= 3 and all(w[0].islower() for w in words[:i])
        else:
            i, j = runs[-1]
            named = j == len(toks) or (words[j].lower() in R.SPEAKER_CUT_WORDS and (i, j) == runs[0])
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
    if first.lower() in R.SPEAKER_DESCRIPTION_OPENERS or first[0].isupper():
        return first.lower() not in R.SPEAKER_BOUNDARY_WORDS
    return len(words) <= 2 and all(w.isalpha() and not w.endswith(("ing", "ed")) and w.lower() not in R.SPEAKER_BOUNDARY_WORDS
                                   for w in words)


def subject_before(text: str, lo: int, cue_start: int):
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
    if seg.rstrip().endswith("),") and _PARTY_TAG_END_RE.search(seg):
        seg = seg.rstrip()[:-1]     # a stray comma after a party tag: "John Kasich (R-OH), said"
    seg = _PAREN_END_RE.sub(" ", seg) if seg.rstrip().endswith(")") else seg
    stripped = seg.rstrip()
    if stripped.endswith(("—", "–", " --")):
        # an appositive between dashes: "Tom Hill — a teacher from Ohio — said"
        inner = stripped.rstrip("—–- ")
        k = max(inner.rfind("—"), inner.rfind("–"), inner.rfind(" --"))
        if k < 0:
            return None
        stripped = inner[:k].rstrip()
    chunks_seen = 0
    end = len(stripped)
    if stripped.endswith(","):
        # an appositive between commas: "Hugh Hill, a doctor, said"; or a name in apposition:
        # "Henry Clay's biographers, David and Jeanne Heidler, wrote"
        k = stripped.rfind(",", 0, len(stripped) - 1)
        k2 = max(stripped.rfind(c, 0, len(stripped) - 1) for c in R.QUOTE_MARKS + ";:(—")
        if k < 0 or k2 > k:
            return None
        chunk = stripped[k + 1:-1]
        toks = tokens(chunk, lo + k + 1)
        if not toks:
            return None
        first = toks[0][0]
        res = phrase_to_mention(text, toks) if len(toks) <= _MAX_SPEAKER_WORDS else None
        if res is not None and res[3] != "description" and first[0].isupper():
            return res
        stripped = stripped[:k]
    # the phrase after the last clause boundary
    m = _LAST_CLAUSE_MARK_RE.search(stripped)
    cut = m.start() if m else -1
    start = cut + 1
    toks = tokens(stripped[start:], lo + start)
    k = len(toks)
    while k > 0 and toks[k - 1][0].lower() not in R.SPEAKER_BOUNDARY_WORDS and toks[k - 1][0] not in ".!?":
        k -= 1
    if 1 < k < len(toks) and toks[k - 1][0] == "who":
        # the subject of a relative clause's sentence: "An official who spoke anonymously said"
        # (not "a pollster who advised": a cue right after "who" is the clause's own verb)
        return subject_before(text, lo, toks[k - 1][1])
    toks = toks[k:]
    if not toks or len(toks) > _MAX_SPEAKER_WORDS:
        return None
    if toks[0][0] in R.NOT_NAME_WORDS and toks[0][0].lower() not in R.SPEAKER_PRONOUNS and toks[0][0] not in {"The", "A", "An", "One", "Another", "Some", "Many", "Two", "Three"}:
        toks = toks[1:]
    return phrase_to_mention(text, toks)


def subject_after(text: str, pos: int, hi: int):
    """The speaker phrase right after an inverted cue: ``said Hugh Hill, a doctor``."""
    toks = []
    for t in tokens(text[pos:min(hi, pos + 160)], pos):
        w = t[0]
        if w in ",;:!?()—–[]" + R.QUOTE_MARKS or w == ".":
            break
        if w.endswith(".") and not (is_abbreviation(w) or w in _TITLE_WORDS or _ALL_INITIALS_RE.fullmatch(w)):
            toks.append((w[:-1], t[1], t[2] - 1))
            break
        toks.append(t)
    for k, t in enumerate(toks):
        if k and t[0].lower() in ({"who", "which", "that", "when", "while", "as", "told"} | R.SPEAKER_CUT_WORDS - {"of"}):
            toks = toks[:k]
            break
    if len(toks) > _MAX_SPEAKER_WORDS:     # "said Anna Berg of the University of Texas School of Law"
        of = next((k for k, t in enumerate(toks) if k >= 2 and t[0] == "of"), None)
        toks = toks[:of] if of else toks
    if not toks or len(toks) > _MAX_SPEAKER_WORDS:
        return None
    w0 = toks[0][0]
    if not (w0[0].isupper() or w0.lower() in R.SPEAKER_PRONOUNS or w0.lower() in R.SPEAKER_DESCRIPTION_OPENERS
            or any(_is_name_token(t[0]) for t in toks[1:4])):  # "campaign spokeswoman Nadia Sorel"
        return None
    res = phrase_to_mention(text, toks, after=True)
    if res and res[3] == "description":
        # "said the spokesman, John Smith."
        rest = text[toks[-1][2]:hi]
        m2 = _APPOSITIVE_NAME_RE.match(rest)
        if m2:
            base = toks[-1][2] + m2.start(1)
            named = phrase_to_mention(text, tokens(m2.group(1), base), after=True)
            if named and named[3] in ("person", "organisation"):
                return named
    return res



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

    def __init__(self, text: str, lo: int, hi: int, sentences: LineSentences | None = None):
        self.text = text
        self.lo, self.hi = lo, hi
        self.sentences = sentences or LineSentences(text)
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

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """A key of the sentence holding ``pos``: keys order sentences and are equal within
        one. A line (a paragraph, a dash attribution) ends a sentence even without a full
        stop, so a pronoun's antecedent is never looked for across one."""
        text = self.text
        ps, pe = text.rfind("\n", 0, pos) + 1, text.find("\n", pos)
        ix = self.sentences.line(ps, len(text) if pe < 0 else pe)
        return ps, bisect_right(ix.starts, pos)

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


def resolve(text: str, lo: int, hi: int, found: list[dict], sentences: LineSentences | None = None) -> None:
    """Set ``speaker`` and ``speaker_kind`` of each quote in ``found`` (in place): pronouns to the
    nearest compatible name before them, short forms to the full name. ``sentences`` are the
    sentence ends already found in ``text`` (:class:`newsdesk.text.LineSentences`)."""
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
                ents = _Entities(text, lo, hi, sentences)
                ents.scan_lo, ents.scan_hi = max(lo, min(prons) - 2600), min(hi, max(prons) + 1)
            speaker, skind = ents.resolve_pronoun(mention, q["ms"], {n for _, n, k in recent if k == "person"})
        elif kind in ("person", "organisation"):
            name = strip_title(mention)
            if " " in name:
                speaker, skind = name, kind
            else:
                if ents is None:
                    ents = _Entities(text, lo, hi, sentences)
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
                    ents = _Entities(text, lo, hi, sentences)
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
    Republican``), a nationality adjective (``Latin American``) or a contraction (``I'm``), is a place
    (:data:`resources.PLACE_NAMES`, a building: :data:`resources.BUILDING_WORDS`) or runs over
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
    while len(words) > 1 and (words[-1] in R.NOT_NAME_WORDS or words[-1] + "." in _TITLE_WORDS):
        words = words[:-1]                 # "Twitter Thursday", "Florida Rep"
    if "of" in words[2:]:
        head = words[:words.index("of", 2)]
        if head[0] in R.FIRST_NAMES and not any(w in R.ORG_WORDS for w in head):
            words = head                   # "Bernie Sanders of Vermont"
    if (not words or len(words) > R.SPEAKER_MAX_WORDS or words[-1] in _PARTY_WORDS
            or words[-1] in R.DEMONYM_ADJECTIVES or R.PRONOUN_CONTRACTION_RE.fullmatch(words[-1])
            or (not places and (" ".join(words) in R.PLACE_NAMES or words[-1] in R.BUILDING_WORDS))
            or (len(words) == 1 and (words[0] in R.NOT_NAME_WORDS or words[0] in _TITLE_WORDS
                                     or is_abbreviation(words[0]) or _PARTY_TAG_RE.fullmatch(words[0])
                                     or _common_word(words[0], seen)))):
        return None
    return " ".join(words)


def _description_name(mention: str) -> str:
    words = mention.split()
    if words and words[0].lower() in {"a", "an", "the", "one", "another"}:
        words = words[1:]
    return " ".join(words) if words else mention


