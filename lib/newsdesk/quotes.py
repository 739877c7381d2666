"""Direct quotes and who said them: rules, no model, about a millisecond per article.

:func:`extract_quotes` finds the direct quotes of one text and the words that name their
speaker; :func:`annotate` runs it over articles for the annotation store. Speaker phrases and
their resolution within the article are :mod:`newsdesk.mentions`'; the analyses over the stored
quotes (speakers merged across the corpus, top speakers, charts) are :mod:`newsdesk.speakers`'.

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

import re
from bisect import bisect_left
from enum import Enum
from typing import Callable

import pandas as pd

from . import cues as C
from . import mentions as M
from . import resources as R
from . import registry
from .text import LineSentences, SentenceIndex, content_span, is_abbreviation

__all__ = ["SHORT_QUOTE_WORDS", "MAX_DONOR_GAP", "MIN_UNATTRIBUTED_WORDS", "normalize_quote_marks", "How",
           "Paragraph", "programme_title", "byline_credit", "after_quote", "before_quote", "lead_in", "later_in_sentence",
           "same_sentence_quote", "sentence_cue", "sentence_subject", "unlisted_verb_after",
           "cued_description", "relative_clause", "that_clause", "paragraph_neighbour", "paragraph_opener",
           "paraphrase_before", "said_after_full_stop", "dash_next_paragraph", "rest_of_paragraph", "markup_attribute", "link_label", "RULES", "extract_quotes", "COLUMNS", "annotate", "INPUTS", "VERSION"]

SHORT_QUOTE_WORDS = 3
"""A quote this short whose sentence has no speech verb is attributed to the sentence's subject
only when that subject names someone (``Trump called it “a disaster”``), not when it is a
description (``Critics questioned the “fresh start”`` is a scare quote)."""
#: a verb in the past or present tense (``beamed``, ``fumes``), for cues the list lacks
_VERB_RE = re.compile(r"[a-z]{3,}(?:ed|es|s)")
#: what may follow a speaker's verb at the end of an attribution clause
_CLAUSE_END = frozenset({".", ",", ";", "on", "in", "at", "during", "after", "before", "from", "to", "as", "while",
                         "when", "about", "of", "back", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                         "Saturday", "Sunday", "last", "this", "earlier", "later", "recently", "then", "—", "–", "(", ":"})
_POSSESSIVE_END_RE = re.compile(r"[’']s?$")
_TITLE_CASE_WORD_RE = re.compile(r"[\w’'&\-]+")
_WHO_RE = re.compile(r",?\s+who\s+(?:has\s+|had\s+|have\s+|once\s+|also\s+|later\s+)*")
#: a paragraph opening with a dash before a name: ``- Anna Berg, mayor.``
_NEXT_DASH_RE = re.compile(r"\s*(?:—|–|--|-)\s*(?=[A-Z])")
#: ``that said,`` / ``which read:`` ending the text before a quote
_THAT_CUE_RE = re.compile(r"\s(?:that|which)\s+([a-z]+)[,:]?\s*$")
#: ``” by the Herald’s Anna Berg``: a byline after a headline; ``by the Herald’s Anna Berg: “``
_BYLINE_AFTER_RE = re.compile(r"\s*,?\s*by\s+(?:the\s+)?[A-Z]")
_BYLINE_LEAD_RE = re.compile(r"\s*,?\s*by\s+(?:the\s+)?[A-Z][^.!?:]{0,80}:\s*")
_SO_CALLED_RE = re.compile(r"\b(?:so-called|so called|dubbed|known as|titled|entitled|named)\s*$", re.I)
MAX_DONOR_GAP = 200
"""A quote with no speaker of its own takes the speaker of a neighbouring quote in its paragraph
when at most this many characters separate them (``“A,” he said. “B.”``)."""
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
    opening, closing = R.QUOTE_PAIRS[0]
    if (prev.isspace() or prev in R.QUOTE_OPEN_AFTER) and not nxt.isspace():
        return opening + " " + m.group(0)[2:]   # an opening pair, then a nested single quote
    return m.group(0)[2:] + closing + " "       # a nested single quote, then the closing pair


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


# --------------------------------------------------------------------------- the rules
class How(str, Enum):
    """Which rule attributed a quote: the ``how`` column, stored as these strings.

    - ``after``: the speaker right after the closing mark (``,” Lavrov said``, ``,” said
      Lavrov``, ``” — Commissioner X``, ``,” according to X``);
    - ``before``: a cue verb in the sentence before the opening mark (``Lavrov said: “``,
      ``According to X, “``, ``Trump called the deal “``), also when that sentence began before
      an earlier quote;
    - ``colon`` / ``dash``: a name ending a lead-in with a colon or a dash (``Lavrov: “``), or a
      paragraph ending in a colon before a quote that opens the next one;
    - ``later``: a cue later in the same sentence (``“a disaster” is how Trump described it``);
    - ``sentence``: another quote of the same sentence that has a speaker;
    - ``subject``: the subject of the sentence (``Geraldo Rivera calls Santilli a “fascist”``);
    - ``paragraph``: a neighbouring quote of the same paragraph, or the quote opening it;
    - ``relative``: the name a ``who`` clause with a cue follows (``Anna Berg, who called it “a
      trap”``), or the phrase a ``that``/``which`` clause with a cue follows (``a message that said, “``);
    - ``previous``: the last quote of the paragraph before (a quote continued or standing alone),
      or the reported speech ending it (``Lavrov said the talks failed.`` then ``“…”``);
    - ``title``: a programme or publication title, not a quote (``CNN’s “State of the Union”``),
      or a headline credited ``by`` its author and that article's text;
    - ``none``: no speaker found (kept only with ``keep_unattributed=True``).
    """

    AFTER = "after"
    BEFORE = "before"
    COLON = "colon"
    DASH = "dash"
    LATER = "later"
    SENTENCE = "sentence"
    SUBJECT = "subject"
    PARAGRAPH = "paragraph"
    PREVIOUS = "previous"
    RELATIVE = "relative"
    TITLE = "title"
    NONE = "none"

    def __str__(self) -> str:
        return self.value


_DIRECT_HOWS = frozenset({How.AFTER, How.BEFORE, How.COLON, How.DASH})
_SPEAKER_FIELDS = ("mention", "ms", "me", "kind", "cue")


class Paragraph:
    """What a rule sees: the article (``body`` with its quote marks normalised, the clean span
    ``lo:hi``, its ``paragraphs``), this paragraph (number ``pi``, span ``ps:pe``), its
    ``quotes`` (dicts: ``open``, ``close`` (``None`` when unclosed), ``qs``/``qe`` (the quote's
    text), ``frame_lo`` (end of the quote before), ``next_open``, ``ends`` (the quote ends
    with ``.!?``), ``continued``; and once attributed ``mention, ms, me, kind, cue, how``), and
    the quotes already ``found`` in the paragraphs before, and its ``sentences`` (the one
    sentence rule of :mod:`newsdesk.text`)."""

    def __init__(self, body: str, lo: int, hi: int, paragraphs: list[tuple[int, int]], pi: int,
                 found: list[dict], lines: LineSentences):
        self.body, self.lo, self.hi, self.paragraphs, self.pi, self.found = body, lo, hi, paragraphs, pi, found
        self.ps, self.pe = paragraphs[pi]
        self.quotes: list[dict] = []
        self.lines = lines

    @property
    def sentences(self) -> SentenceIndex:
        """The paragraph's sentence ends, found once when a rule first asks."""
        return self.lines.line(self.ps, self.pe)


def _found(res, how: How) -> dict | None:
    """A finder's ``((mention, ms, me, kind), cue)`` as the fields a quote takes."""
    if not res:
        return None
    (mention, ms, me, kind), cue = res
    return dict(mention=mention, ms=ms, me=me, kind=kind, cue=" ".join(cue.split()) or None, how=how)


def _like(donor: dict, how: How) -> dict:
    """The speaker of quote ``donor``, taken by another quote (``how`` says why)."""
    return {**{f: donor[f] for f in _SPEAKER_FIELDS}, "how": how}


def _no_speaker(how: How) -> dict:
    """The result of a rule that decides a quote has no speaker (a title, markup, a link label)."""
    return {**dict.fromkeys(_SPEAKER_FIELDS), "how": how}


def _neighbour(qs: list[dict], k: int, step: int) -> int:
    """The index of the quote nearest ``k`` in direction ``step`` (-1 or 1) that is no title
    (``-1`` or ``len(qs)`` when there is none): a title between two quotes does not part them."""
    j = k + step
    while 0 <= j < len(qs) and qs[j].get("how") == How.TITLE:
        j += step
    return j


def _words(p: Paragraph, q: dict) -> int:
    """How many words quote ``q`` of paragraph ``p`` has."""
    return len(p.body[q["qs"]:q["qe"]].split())


def programme_title(p: Paragraph, k: int) -> dict | None:
    """``Anna Berg told CNN’s “State of the Union”``, ``said on “Meet the Press”``, ``in her
    memoir, “Hard Choices”``, ``the author of “Hard Choices”``: a title-case quote of at most ten
    words right after a possessive, a word of :data:`resources.TITLE_BEFORE_WORDS` or
    :data:`resources.TITLE_AUTHOR_WORDS` and ``of`` names a programme or a publication, and so does
    a title-case quote with a subtitle after a colon, wherever it stands; it is marked ``title``
    and no later rule attributes it (it is kept only with ``keep_unattributed=True``)."""
    q, body = p.quotes[k], p.body
    text = body[q["qs"]:q["qe"]]
    head, colon, tail = text.partition(":")
    if colon and _title_case(head) and _title_case(tail) and len(text.split()) >= 4:
        return _no_speaker(How.TITLE)    # a title and its subtitle: “Hard Roads: A Life in Politics”
    before = body[max(p.ps, q["open"] - 30):q["open"]].rstrip()
    if not _POSSESSIVE_END_RE.search(before):
        last = [w.rstrip(",").lower() for w in before.split()[-2:]]
        if not (last and last[-1] in R.TITLE_BEFORE_WORDS
                or last[-2:-1] and last[-1] == "of" and last[0] in R.TITLE_AUTHOR_WORDS):
            return None
    if not (_title_case(text) and len(_TITLE_CASE_WORD_RE.findall(text)) <= 10):
        return None
    return _no_speaker(How.TITLE)


def _title_case(text: str) -> bool:
    """Whether ``text`` is written as a title: every word capitalised (or a number, or a small
    word of :data:`resources.TITLE_SMALL_WORDS`), the first one capitalised."""
    words = _TITLE_CASE_WORD_RE.findall(text)
    return bool(words) and words[0][0].isupper() and all(
        w[0].isupper() or w[0].isdigit() or w.lower() in R.TITLE_SMALL_WORDS for w in words)


def markup_attribute(p: Paragraph, k: int) -> dict | None:
    """``<tweet author="@annaberg" timestamp="1470067200">``: a quote right after ``=`` is the
    value of a markup attribute left in the body, not a quote; no later rule attributes it."""
    q = p.quotes[k]
    if p.body[max(p.ps, q["open"] - 1):q["open"]] != "=":
        return None
    return _no_speaker(How.NONE)


def link_label(p: Paragraph, k: int) -> dict | None:
    """``“Related:”``, ``“Read more:”``: a quote of at most three words ending in a colon is a
    label before a link, not a quote; no later rule attributes it."""
    q = p.quotes[k]
    if not p.body[q["qs"]:q["qe"]].rstrip().endswith(":") or _words(p, q) > SHORT_QUOTE_WORDS:
        return None
    return _no_speaker(How.NONE)


def byline_credit(p: Paragraph, k: int) -> dict | None:
    """``“Town hall to close in May,” by the Herald’s Anna Berg: “The hall, which opened …”``: a
    quote followed by ``by`` and a name is a headline credited to its author, and a quote right
    after such a byline's colon is that article's text; neither is someone speaking (newsletter
    round-ups cite stories this way). Both are marked ``title`` and no later rule attributes them."""
    q, body = p.quotes[k], p.body
    if _byline_after(body, q):
        return _no_speaker(How.TITLE)
    if k and _byline_after(body, p.quotes[k - 1]) and _BYLINE_LEAD_RE.fullmatch(body, q["frame_lo"], q["open"]):
        return _no_speaker(How.TITLE)
    return None


def _byline_after(body: str, q: dict) -> bool:
    """Whether quote ``q`` ends with a comma and a byline follows it (``…,” by Anna Berg``;
    without the comma ``“rocked” by the news`` is a passive's agent)."""
    if q["close"] is None:
        return False
    comma = "," in body[q["qe"]:q["close"]] or body.startswith(",", q["close"] + 1)
    return comma and bool(_BYLINE_AFTER_RE.match(body, q["close"] + 1, q["next_open"]))


def after_quote(p: Paragraph, k: int) -> dict | None:
    """``“…,” Lavrov said``, ``“…,” said Lavrov``, ``“…” — Commissioner X``: the speaker named
    right after the closing mark, within the sentence.

    >>> [q["how"] for q in extract_quotes("“We are ready,” said Anna Berg.")]
    ['after']
    """
    q = p.quotes[k]
    if q["close"] is None:
        return None
    after_hi = p.sentences.end(q["close"] + 1, q["next_open"])
    return _found(C.find_after(p.body, q["close"] + 1, after_hi, q["ends"]), How.AFTER)


def before_quote(p: Paragraph, k: int) -> dict | None:
    """``Lavrov said: “…”``, ``According to X, “…”``, ``Trump called the deal “a disaster”``: a
    cue and its subject in the sentence before the opening mark (after the quote before it)."""
    q = p.quotes[k]
    # a title inside the lead-in is part of it: “As Anna Berg, author of “Roads,” put it, “…”
    frame_lo = p.quotes[_neighbour(p.quotes, k, -1) + 1]["frame_lo"]
    sent_lo = p.sentences.start(frame_lo, q["open"])
    return _found(C.find_before(p.body, sent_lo, q["open"]), How.BEFORE)


def lead_in(p: Paragraph, k: int) -> dict | None:
    """``Sergei Lavrov: “…”``, ``Anna Berg — “…”``: a name (used twice in the article when it is
    one word) ending a lead-in with a colon or a dash."""
    q, body = p.quotes[k], p.body
    lead = body[q["frame_lo"]:q["open"]].rstrip()
    if not lead.endswith((":", "—", "–", " -", "--")):
        return None
    name_end = lead.rstrip(":—–- ")
    if name_end.endswith(")") and "(" in name_end:    # "Rep. Anna Berg (D-Ohio):"
        name_end = name_end[:name_end.rindex("(")].rstrip()
    colon = q["frame_lo"] + len(name_end)
    start = max(q["frame_lo"], colon - 80)
    toks = M.tokens(body[start:colon], start)
    runs = M.name_runs(toks)
    if not runs or runs[-1][1] != len(toks):
        return None
    named = M.phrase_to_mention(body, toks[runs[-1][0]:])
    if not named or named[3] == "description" or not C.named_elsewhere(body, named[0], p.lo, p.hi):
        return None
    if " " in named[0] and named[0].isupper():      # a dateline or a kicker: "LOS ANGELES —"
        return None
    if lead.endswith(":"):
        return _found((named, ":"), How.COLON)
    return _found((named, "—"), How.DASH)


def later_in_sentence(p: Paragraph, k: int) -> dict | None:
    """``“a disaster” is how Trump described it``: a cue later in the same sentence, for a
    quote that does not end its sentence."""
    q = p.quotes[k]
    if q["close"] is None or q["ends"]:
        return None
    after_hi = p.sentences.end(q["close"] + 1, q["next_open"])
    return _found(C.find_later(p.body, q["close"] + 1, after_hi), How.LATER)


def same_sentence_quote(p: Paragraph, k: int) -> dict | None:
    """``He called it “a mess” and “a disgrace,” Lavrov said``: the speaker of a neighbouring
    quote when no sentence end separates the two."""
    qs = p.quotes
    for j in (k - 1, k + 1):
        if 0 <= j < len(qs) and qs[j].get("mention") is not None and qs[j]["how"] != How.SUBJECT:
            a, b = sorted((j, k))
            gap_lo = qs[a]["close"] if qs[a]["close"] is not None else p.pe
            if p.sentences.end(gap_lo + 1, qs[b]["open"]) >= qs[b]["open"]:
                return _like(qs[j], How.SENTENCE)
    return None


def _sentence_lo(p: Paragraph, q: dict) -> int | None:
    """Start of the sentence a quote opens in, or ``None`` when it opens within 8 characters."""
    if "sent_lo" not in q:
        q["sent_lo"] = p.sentences.start(p.ps, q["open"])
    return None if q["open"] - q["sent_lo"] <= 8 else q["sent_lo"]


def sentence_cue(p: Paragraph, k: int) -> dict | None:
    """``Lavrov said the talks were “useful” and “honest”``: a cue before the quote in its
    sentence, when that sentence began before the quote before it."""
    q = p.quotes[k]
    sent_lo = _sentence_lo(p, q)
    if sent_lo is None or sent_lo >= q["frame_lo"]:
        return None
    return _found(C.find_before(p.body, sent_lo, q["open"]), How.BEFORE)


def sentence_subject(p: Paragraph, k: int) -> dict | None:
    """``Geraldo Rivera calls Santilli a “fascist”``: the subject opening the quote's sentence;
    not for ``so-called``/``dubbed`` quotes, and not a description for a short quote (``Critics
    questioned the “fresh start”`` is a scare quote)."""
    q, body = p.quotes[k], p.body
    sent_lo = _sentence_lo(p, q)
    if sent_lo is None or _SO_CALLED_RE.search(body, max(sent_lo, q["open"] - 12), q["open"]):
        return None
    subj = C.subject_of_sentence(body, sent_lo, q["open"])
    short = _words(p, q) <= SHORT_QUOTE_WORDS
    if not subj or (short and subj[3] == "description"):
        return None
    return _found((subj, ""), How.SUBJECT)


def unlisted_verb_after(p: Paragraph, k: int) -> dict | None:
    """``“We are ready,” Anna Berg beamed.``, ``“…,” he surmised``, ``“…!” barked Tom Hill``: a
    quote ending in a comma, ``!`` or ``?`` inside its marks, then a name or pronoun and a
    lower-case verb the cue list lacks (or the verb, then the name), ending the clause."""
    q, body = p.quotes[k], p.body
    if q["close"] is None or body[q["close"] - 1] not in ",!?":
        return None
    start = q["close"] + 1
    toks = []
    for w, a, b in M.tokens(body[start:min(p.sentences.end(start, q["next_open"]), start + 80)], start):
        if len(w) > 1 and w.endswith(".") and not is_abbreviation(w):   # "beamed." -> "beamed", "."
            toks += [(w[:-1], a, b - 1), (".", b - 1, b)]
        else:
            toks.append((w, a, b))
    runs = [r for r in M.name_runs(toks[:6]) if r[0] <= 1]
    verb, who = None, None
    if len(toks) >= 2 and toks[0][0].lower() in R.SPEAKER_PRONOUNS and toks[0][0].lower() not in ("it", "you", "i"):
        verb, who = 1, (toks[0][0], toks[0][1], toks[0][2], "pronoun")
    elif runs and runs[0][0] == 0 and runs[0][1] < len(toks) and not _POSSESSIVE_END_RE.search(toks[runs[0][1] - 1][0]):
        verb, who = runs[0][1], M.phrase_to_mention(body, toks[:runs[0][1]])
    elif runs and runs[0][0] == 1 and _VERB_RE.fullmatch(toks[0][0]):
        verb, who = 0, M.phrase_to_mention(body, toks[1:runs[0][1]])
        if runs[0][1] < len(toks) and toks[runs[0][1]][0] not in _CLAUSE_END:
            return None
    if who is None or who[3] not in ("person", "organisation", "pronoun") or not _VERB_RE.fullmatch(toks[verb][0]):
        return None
    if verb and verb + 1 < len(toks) and toks[verb + 1][0] not in _CLAUSE_END:
        return None
    return _found((who, toks[verb][0]), How.AFTER)


def said_after_full_stop(p: Paragraph, k: int) -> dict | None:
    """``“We are ready.” Anna Berg said.``: a quote ending in a full stop inside its marks, then
    a name and a core cue that end the sentence (``said.``, ``said on Tuesday.``), not a new
    sentence of reported speech (``Anna Berg said the town was safe.``)."""
    q, body = p.quotes[k], p.body
    if q["close"] is None or body[q["close"] - 1] != "." or not body[q["close"] + 1:q["close"] + 40].lstrip()[:1].isupper():
        return None
    start = q["close"] + 1
    toks = M.tokens(body[start:min(p.sentences.end(start, q["next_open"]), start + 80)], start)
    runs = M.name_runs(toks[:5])
    if not runs or runs[0][0] != 0 or runs[0][1] >= len(toks):
        return None
    cue = toks[runs[0][1]][0]
    nxt = toks[runs[0][1] + 1][0] if runs[0][1] + 1 < len(toks) else "."
    if cue.rstrip(".") not in R.CORE_SPEECH_VERBS or not (cue.endswith(".") or nxt in _CLAUSE_END):
        return None
    who = M.phrase_to_mention(body, toks[:runs[0][1]])
    if who is None or who[3] not in ("person", "organisation"):
        return None
    return _found((who, cue.rstrip(".")), How.AFTER)


def cued_description(p: Paragraph, k: int) -> dict | None:
    """``The senator brushed it off, saying he was “not worried”``: a short quote whose sentence
    has a cue verb before it takes the sentence's subject even when that is a description (a
    scare quote has no cue: :func:`sentence_subject`)."""
    q, body = p.quotes[k], p.body
    sent_lo = _sentence_lo(p, q)
    if sent_lo is None or _SO_CALLED_RE.search(body, max(sent_lo, q["open"] - 12), q["open"]):
        return None
    if not any(m.group(0) in R.CORE_SPEECH_VERBS or m.group(0).endswith("ing") for m in C.cues(body, sent_lo, q["open"])):
        return None
    subj = C.subject_of_sentence(body, sent_lo, q["open"])
    return _found((subj, ""), How.SUBJECT) if subj else None


def relative_clause(p: Paragraph, k: int) -> dict | None:
    """``Anna Berg, who has long described the plan as “a trap”``: a cue in a ``who`` clause
    before the quote; the speaker is the name the clause follows."""
    q, body = p.quotes[k], p.body
    sent_lo = _sentence_lo(p, q)
    if sent_lo is None:
        return None
    who = None
    for who in _WHO_RE.finditer(body, sent_lo, q["open"]):
        pass
    if who is None or not any(True for _ in C.cues(body, who.end(), q["open"])):
        return None
    named = M.subject_before(body, sent_lo, who.start())
    if not named or named[3] not in ("person", "organisation"):
        return None
    return _found((named, ""), How.RELATIVE)


def that_clause(p: Paragraph, k: int) -> dict | None:
    """``a message that said, “…”``, ``a letter which read: “…”``: a core cue or ``read`` right
    after ``that``/``which`` ending the text before the quote; the speaker is the phrase the
    clause follows (a description may speak here: a sign, a letter, a statement)."""
    q, body = p.quotes[k], p.body
    sent_lo = _sentence_lo(p, q)
    if sent_lo is None:
        return None
    m = _THAT_CUE_RE.search(body, max(sent_lo, q["open"] - 40), q["open"])
    if m is None or (m.group(1) not in R.CORE_SPEECH_VERBS and m.group(1) not in ("read", "reads")):
        return None
    named = M.subject_before(body, sent_lo, m.start())
    if not named or named[3] == "pronoun":
        return None
    return _found((named, m.group(1)), How.RELATIVE)


def paragraph_neighbour(p: Paragraph, k: int) -> dict | None:
    """``“A,” he said. “B.”``: the speaker of the quote before (else after) in the paragraph,
    attributed beside its own marks, at most :data:`MAX_DONOR_GAP` characters away."""
    qs, q = p.quotes, p.quotes[k]
    for j in (_neighbour(qs, k, -1), _neighbour(qs, k, 1)):   # a title between them is no quote: “…,” said X, host of “Y.” “…”
        if not 0 <= j < len(qs) or qs[j].get("how") not in _DIRECT_HOWS:
            continue
        a, b = (qs[j], q) if j < k else (q, qs[j])
        if b["open"] - (a["close"] if a["close"] is not None else p.pe) <= MAX_DONOR_GAP:
            return _like(qs[j], How.PARAGRAPH)
    return None


def paragraph_opener(p: Paragraph, k: int) -> dict | None:
    """A quote opening its paragraph: the speaker of a lead-in paragraph ending with a colon
    (``Lavrov said:`` then ``“…”``), else of the last quote of the paragraph before when this
    one continues it or that one was attributed; not a term of at most three words that the
    paragraph goes on after (``“Containment” has been U.S. policy since ...``)."""
    q, body = p.quotes[k], p.body
    if k or q["open"] - p.ps >= 3 or p.pi == 0:
        return None
    pps, ppe = p.paragraphs[p.pi - 1]
    prev_text = body[pps:ppe].rstrip()
    if prev_text.endswith(":"):
        colon = pps + len(prev_text) - 1
        sent_lo = p.lines.line(pps, ppe).start(pps, colon)
        res = C.find_before(body, sent_lo, colon + 1)
        if res is None:
            toks = M.tokens(body[sent_lo:colon], sent_lo)
            runs = M.name_runs(toks)
            if runs:
                res = (M.phrase_to_mention(body, toks[runs[0][0]:runs[0][1]]), ":")
                res = res if res[0] and C.named_elsewhere(body, res[0][0], p.lo, p.hi) else None
        got = _found(res, How.COLON)
        return {**got, "opener": True} if got else None
    if not q["continued"] and q["close"] is not None and _words(p, q) <= SHORT_QUOTE_WORDS \
            and body[q["qe"] - 1:q["qe"]] not in "!?" and len(body[q["close"] + 1:p.pe].split()) > 2:
        return None     # "“Containment” has been U.S. policy since ...": a term opening the paragraph
    prev = p.found[-1] if p.found else None
    if prev and prev["paragraph"] == p.pi - 1 and prev.get("mention") \
            and (prev["_unclosed"] or q["continued"] or prev["how"] != How.NONE):
        return {**_like(prev, How.PREVIOUS), "opener": True}
    return None


def paraphrase_before(p: Paragraph, k: int) -> dict | None:
    """``Anna Berg said the town would rebuild.`` then ``“It will take years.”``: a quote filling
    its paragraph takes the speaker of the paragraph before when that one has no quote and its
    last sentence is reported speech (a core cue after a named speaker or a pronoun)."""
    q, body = p.quotes[k], p.body
    if k or q["open"] - p.ps >= 3 or p.pi == 0 or q["close"] is None or p.pe - q["close"] > 3:
        return None
    pps, ppe = p.paragraphs[p.pi - 1]
    if p.found and p.found[-1]["paragraph"] == p.pi - 1 or R.QUOTE_MARK_RE.search(body, pps, ppe):
        return None
    end = len(body[pps:ppe].rstrip()) + pps
    sent_lo = p.lines.line(pps, ppe).start(pps, end - 1)
    res = C.find_before(body, sent_lo, end)
    if not res or res[1].split()[0] not in R.CORE_SPEECH_VERBS or res[0][3] not in ("person", "organisation", "pronoun"):
        return None
    return _found(res, How.PREVIOUS)


def dash_next_paragraph(p: Paragraph, k: int) -> dict | None:
    """A quote filling its paragraph, then a short paragraph ``- Anna Berg, mayor.`` (a dash and
    a name): the speaker is that name (the fact-check and notebook layout)."""
    q, body = p.quotes[k], p.body
    if k != len(p.quotes) - 1 or p.quotes[0]["open"] - p.ps >= 3 or q["close"] is None or p.pe - q["close"] > 3 \
            or p.pi + 1 >= len(p.paragraphs):
        return None
    ns, ne = p.paragraphs[p.pi + 1]
    m = _NEXT_DASH_RE.match(body, ns, ne)
    if not m or ne - ns > 120:
        return None
    res = M.subject_after(body, m.end(), ne)
    if not res or res[3] not in ("person", "organisation"):
        return None
    return _found((res, "—"), How.DASH)


def rest_of_paragraph(p: Paragraph, k: int) -> dict | None:
    """The other quotes of a paragraph whose opening quote took its speaker from the paragraph
    before (:func:`paragraph_opener`)."""
    return _like(p.quotes[0], How.PARAGRAPH) if k and p.quotes[0].get("opener") else None


RULES: tuple[Callable[[Paragraph, int], dict | None], ...] = (
    programme_title, markup_attribute, link_label, byline_credit,     # not a quote
    after_quote, before_quote, lead_in, later_in_sentence, unlisted_verb_after, said_after_full_stop,  # beside the quote
    same_sentence_quote, sentence_cue, sentence_subject, cued_description, relative_clause, that_clause,  # in its sentence
    paragraph_neighbour, paragraph_opener, paraphrase_before, dash_next_paragraph, rest_of_paragraph,  # in its paragraph
)
"""The attribution rules, in order. :func:`extract_quotes` runs each over the quotes of a
paragraph that have no speaker yet; a rule returns the speaker fields (``mention, ms, me, kind,
cue, how``) or ``None``. A new pattern is one function here and a case in tests/test_quotes.py."""


def _paragraph_quotes(p: Paragraph, marks: list[int], prev_unclosed: bool) -> bool:
    """Fill ``p.quotes`` from the paragraph's quote marks; return whether its last quote is
    left open (the next paragraph may continue it)."""
    body, ps, pe = p.body, p.ps, p.pe
    a, b = bisect_left(marks, ps), bisect_left(marks, pe)
    pairs = _pair_marks(body, ps, pe, marks[a:b]) if b > a else []
    last_close = ps
    for open_, close in pairs:
        if open_ is None and not (prev_unclosed and not p.quotes):
            last_close = close + 1
            continue
        qs = ps if open_ is None else open_ + 1
        qe = close if close is not None else pe
        while qs < qe and body[qs].isspace():         # trim white space and a trailing comma
            qs += 1
        while qe > qs and (body[qe - 1].isspace() or body[qe - 1] == ","):
            qe -= 1
        if qe > qs and any(c.isalnum() for c in body[qs:qe]):
            p.quotes.append({"open": open_ if open_ is not None else ps, "close": close, "qs": qs, "qe": qe,
                             "frame_lo": last_close, "continued": open_ == ps and prev_unclosed,
                             "ends": body[qe - 1] in ".!?"})
        last_close = (close + 1) if close is not None else pe
    for q, nxt in zip(p.quotes, p.quotes[1:] + [None]):
        q["next_open"] = nxt["open"] if nxt else pe
    return bool(pairs) and pairs[-1][1] is None


def extract_quotes(body: str, *, title: str | None = None, keep_unattributed: bool = False) -> list[dict]:
    """Direct quotes in ``body`` with the words naming their speaker.

    Returns one dict per quote: ``quote``, ``start``/``end`` (offsets into ``body``),
    ``speaker_mention`` (as written nearest the quote, e.g. ``he``), ``speaker`` (resolved within
    the text, titles stripped; ``None`` when unknown), ``speaker_kind`` (``person``,
    ``organisation``, ``description`` or ``None``), ``cue`` (the verb), ``how`` (the :class:`How`
    of the rule that attributed it; :data:`RULES` run in order) and ``paragraph``. When ``title``
    is given and the body repeats it on its first line, that line is skipped. Quotes whose speaker
    cannot be found are dropped (a quote without a speaker is mostly a title, a scare quote or a
    sign); ``keep_unattributed=True`` keeps those of at least :data:`MIN_UNATTRIBUTED_WORDS`
    words with ``speaker`` set to ``None``.

    >>> qs = extract_quotes('Hugh Hill, a doctor, said: "It was a disaster."\\n"Nobody came," he added.')
    >>> [(q["quote"], q["speaker_mention"], q["speaker"], q["how"]) for q in qs]
    [('It was a disaster.', 'Hugh Hill', 'Hugh Hill', 'before'), ('Nobody came', 'he', 'Hugh Hill', 'after')]
    """
    if not isinstance(body, str):
        raise TypeError(f"body must be a str, not {type(body).__name__}")
    lo, hi = content_span(body, title)
    verbatim, body = body, normalize_quote_marks(body)
    marks = [m.start() for m in R.QUOTE_MARK_RE.finditer(body, lo, hi)]
    if not marks:
        return []
    found: list[dict] = []
    paragraphs, lines = _paragraphs(body, lo, hi), LineSentences(body)
    prev_unclosed = False
    for pi, (ps, pe) in enumerate(paragraphs):
        a = bisect_left(marks, ps)
        if a == len(marks) or marks[a] >= pe:      # no quote mark in this paragraph
            prev_unclosed = False
            continue
        p = Paragraph(body, lo, hi, paragraphs, pi, found, lines)
        prev_unclosed = _paragraph_quotes(p, marks, prev_unclosed)
        todo = range(len(p.quotes))     # the quotes no rule has attributed yet
        for rule in RULES:
            left = []
            for k in todo:
                if got := rule(p, k):
                    p.quotes[k].update(got)
                else:
                    left.append(k)
            if not left:
                break
            todo = left
        for q in p.quotes:
            if q.get("mention") is not None or (keep_unattributed and len(body[q["qs"]:q["qe"]].split()) >= MIN_UNATTRIBUTED_WORDS):
                found.append({"quote": verbatim[q["qs"]:q["qe"]], "start": q["qs"], "end": q["qe"],
                              **{f: q.get(f) for f in _SPEAKER_FIELDS}, "how": str(q.get("how", How.NONE)),
                              "paragraph": pi, "_unclosed": q["close"] is None})
    M.resolve(body, lo, hi, found, lines)
    return [{"quote": q["quote"], "start": q["start"], "end": q["end"], "speaker_mention": q["mention"],
             "speaker": q["speaker"], "speaker_kind": q["speaker_kind"], "cue": q["cue"], "how": q["how"],
             "paragraph": q["paragraph"]} for q in found]


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
#: reaches by tests/test_store_versions.py): the extraction code above, the cue finders of
#: ``newsdesk.cues``, the speaker phrases and resolution of ``newsdesk.mentions``, the clean-text span of ``newsdesk.text``, and the word
#: lists and patterns they use. Patterns built from word lists at import (``cues.CUE_RE``,
#: ``mentions._TITLE_RE``) are hashed as built. The analyses (``newsdesk.speakers``) are not.
INPUTS = registry.Inputs(
    functions={
        "quotes": """annotate _extract_clean extract_quotes normalize_quote_marks _apostrophe_mark byline_credit _byline_after
                     _pair_marks _paragraphs How Paragraph _found _like _paragraph_quotes
                     _sentence_lo after_quote before_quote lead_in later_in_sentence
                     same_sentence_quote sentence_cue sentence_subject paragraph_neighbour
                     paragraph_opener paraphrase_before rest_of_paragraph programme_title _title_case markup_attribute link_label _no_speaker _neighbour _words unlisted_verb_after
                     said_after_full_stop dash_next_paragraph
                     cued_description relative_clause that_clause""",
        "cues": """cues cue_at find_after find_before find_later subject_for_cue named_elsewhere
                   subject_of_sentence _skip_intro _subject_from _verb_like""",
        "mentions": """strip_title _honorific_gender tokens _is_name_token name_runs _speaker_kind
                       phrase_to_mention _looks_like_description subject_before subject_after
                       _gender _parse_run _Entities resolve ArticleWords article_words _word_char
                       _common_word clean_speaker""",
        "text": """_agency _content_span_lines _exotic_breaks _first_line _is_boundary _last_line
                   _lines_with_offsets _norm_title _tidy content_span is_abbreviation SentenceIndex LineSentences _boundaries
                   span_and_agency wire_agency""",
    },
    values={
        "cues": """CUE_RE _ACCORDING_RE _DASH_RE _LOWER_INTRO _SPACE_COMMA_RE _STATE_ABBREV_RE""",
        "quotes": """COLUMNS MAX_DONOR_GAP MIN_UNATTRIBUTED_WORDS SHORT_QUOTE_WORDS _DIRECT_HOWS
                     _SO_CALLED_RE _NEXT_DASH_RE _THAT_CUE_RE _BYLINE_AFTER_RE _BYLINE_LEAD_RE RULES
                     _SPEAKER_FIELDS _CLAUSE_END _POSSESSIVE_END_RE _TITLE_CASE_WORD_RE _VERB_RE _WHO_RE""",
        "mentions": """NAME_RUN_RE _ALL_INITIALS_RE _APPOSITIVE_NAME_RE _CONNECTORS _LAST_CLAUSE_MARK_RE
                       _MAX_SPEAKER_WORDS _MID_SENTENCE_BEFORE_RE _NAME_TOKEN_RE _PAREN_END_RE
                       _PARTY_TAG_RE _PARTY_TAG_END_RE _PARTY_WORDS _PERSON_CONTEXT_RE _POSSESSIVE_RE
                       _TITLE_FIRST_WORDS _TITLE_RE _TITLE_WORDS _TRAILING_ADV_RE
                       _TRAILING_DAY_RE _WORD_RE""",
        "resources": """ABBREV_BEFORE_NUMBER ABBREV_MAYBE_FINAL ABBREV_NEVER_FINAL ACRONYM_RE AGENCY_CANONICAL
                        AGENCY_MISSING APOSTROPHE_QUOTE_RE ASCII_EXOTIC_BREAKS AUXILIARY_WORDS IRREGULAR_PAST_VERBS DATELINE_RE
                        CONTRACTION_END_RE CORE_SPEECH_VERBS EXOTIC_BREAKS FEMALE_FIRST_NAMES FEMALE_HONORIFICS
                        FIRST_NAMES FUNCTION_WORDS GROUP_NOUNS MALE_FIRST_NAMES MALE_HONORIFICS
                        NOT_NAME_WORDS NUMBER_WORDS OPENING_PUNCT ORG_WORDS PLACE_NAMES BUILDING_WORDS DEMONYM_ADJECTIVES PRONOUN_CONTRACTION_RE QUOTE_CLOSERS
                        QUOTE_MARKS QUOTE_MARK_RE QUOTE_OPENERS QUOTE_OPEN_AFTER QUOTE_PAIRS SENTENCE_END_RE
                        SENTENCE_INTRO_WORDS SENTENCE_OPENERS SPEAKER_BOUNDARY_WORDS SPEAKER_CUT_WORDS
                        SPEAKER_DESCRIPTION_OPENERS SPEAKER_MAX_WORDS SPEAKER_PRONOUNS TITLE_AUTHOR_WORDS TITLE_BEFORE_WORDS TITLE_SMALL_WORDS TOKEN_TAIL_RE
                        WIRE_LINE_RE""",
        "text": "_NON_SPACE_RE _NON_WORD_RE _WORD_CHAR_RE",
    },
)
VERSION = registry.register("quotes", annotate, inputs=INPUTS, columns=COLUMNS).version

