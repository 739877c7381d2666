"""Speech cues and the speaker phrases beside them: the cue verbs as one regex, and the finders
the quote rules of :mod:`newsdesk.quotes` call (the speaker after a closing mark, before an
opening mark, later in the sentence, the subject of the sentence).

>>> t = "“We are ready,” said Anna Berg."
>>> find_after(t, t.index("”") + 1, len(t), False)
(('Anna Berg', 21, 30, 'person'), 'said')
"""
from __future__ import annotations

import re

from . import mentions as M
from . import resources as R

__all__ = ["CUE_RE", "cues", "cue_at", "find_after", "find_before", "find_later", "subject_for_cue",
           "named_elsewhere", "subject_of_sentence"]

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


def cues(text: str, lo: int, hi: int):
    """Cue verbs in ``text[lo:hi]``, in order."""
    return CUE_RE.finditer(text, lo, hi)


def cue_at(text: str, p: int, hi: int):
    """The cue verb starting exactly at ``p``, or ``None``."""
    return CUE_RE.match(text, p, hi)


_ACCORDING_RE = re.compile(r"\b[Aa]ccording\s+to\s+")
_SPACE_COMMA_RE = re.compile(r"[\s,]*")
_DASH_RE = re.compile(r"[\s,]*(?:—|–|--|-)\s*(?=[A-Za-z@])")


# --------------------------------------------------------------------------- finders
def find_after(text: str, close: int, hi: int, ends_sentence: bool):
    """Speaker named right after the closing mark (``,” said X``, ``,” X said``, ``” — X``)."""
    if _DASH_RE.match(text, close, hi) and close < hi:
        m = _DASH_RE.match(text, close, hi)
        res = M.subject_after(text, m.end(), hi)
        if res and res[3] != "description":
            return res, "—"
    seg_end = hi
    p = _SPACE_COMMA_RE.match(text, close, seg_end).end()
    if p >= seg_end:
        return None
    if ends_sentence and text[p:p + 1].isupper() and text[close - 2:close - 1] == ".":
        return None
    if ends_sentence and text[p:p + 1].islower() and text[close - 2:close - 1] in ("!", "?"):
        ends_sentence = False   # “Go home!” some protesters chanted: the sentence goes on
    if text.startswith("according to", p):
        res = M.subject_after(text, p + len("according to"), hi)
        return (res, "according to") if res else None
    m = cue_at(text, p, hi)
    if m:  # inverted: "said Lavrov"
        res = M.subject_after(text, m.end(), hi)
        if res:
            return res, m.group(0)
        return None
    # subject then cue within the first words: ", Hugh Hill, a doctor, said"
    limit = min(hi, p + 160)
    for m in cues(text, p, limit):
        if ends_sentence and m.group(0) not in R.CORE_SPEECH_VERBS:
            break
        res = M.subject_before(text, p, m.start())
        if res:
            return res, m.group(0)
        break
    return None


def subject_for_cue(text: str, lo: int, m: re.Match):
    """The speaker of the cue ``m``: the phrase before it; for ``calling``/``saying`` after a
    comma, the sentence's subject; for ``, said X`` ending a sentence, the phrase after it."""
    cue = m.group(0)
    before = text[lo:m.start()].rstrip()
    last = before.split()[-1:]
    if cue.endswith("ing") or last == ["to"]:   # "…, saying", "went so far as to say"
        if before.endswith(",") or last in (["by"], ["while"], ["when"], ["after"], ["before"], ["to"]):
            res = subject_of_sentence(text, lo, m.start())
            if res:
                return res
    res = M.subject_before(text, lo, m.start())
    if res is None and text[lo:m.start()].rstrip().endswith(","):
        res = M.subject_after(text, m.end(), min(len(text), m.end() + 120))
        if res and res[3] == "description":
            res = None
    return res


def find_before(text: str, lo: int, open_: int):
    """Speaker named in the sentence before the opening mark (``Lavrov said: “``,
    ``According to X, “``, ``Trump called the deal “``)."""
    if open_ - lo < 2:
        return None
    m = None
    for m in _ACCORDING_RE.finditer(text, lo, open_):
        pass
    if m is not None:
        res = M.subject_after(text, m.end(), open_)
        if res:
            return res, "according to"
    for m in reversed(list(cues(text, lo, open_))):
        res = subject_for_cue(text, lo, m)
        if res:
            return res, m.group(0)
        res = M.subject_after(text, m.end(), open_) if m.group(0)[0].isupper() else None
        if res:  # "Said Trump: “..."
            return res, m.group(0)
    return None


def find_later(text: str, close: int, hi: int):
    """A cue later in the same sentence: ``“a disaster” is how Trump described it``."""
    for m in cues(text, close, hi):
        res = subject_for_cue(text, close, m)
        if res and res[3] != "description":
            return res, m.group(0)
    return None


def named_elsewhere(text: str, name: str, lo: int, hi: int) -> bool:
    """A one-word "name" before a colon (``Partial transcript:``) counts only when the text uses
    it again; two-word names always count."""
    return " " in name.strip() or text.count(name, lo, hi) >= 2


#: a place's abbreviation closing an intro clause: ``, S.C.,`` ``, Calif.,``
_STATE_ABBREV_RE = re.compile(r"\s*[A-Z][A-Za-z.]{0,6}\.,")
_LOWER_INTRO = frozenset({"then", "now", "also", "later", "still", "so", "and", "but"})


def subject_of_sentence(text: str, lo: int, open_: int):
    """The subject opening the sentence a partial quote sits in:
    ``Geraldo Rivera calls Santilli a “fascist”`` -> ``Geraldo Rivera``. Words opening the
    sentence before its subject are skipped (``On Tuesday, after the vote, Trump ...``); when
    skipping a conjunction's or adverb's clause up to a comma finds no subject, only the words are skipped
    (``And then Trump went on the attack, saying ...``)."""
    res = _subject_from(text, _skip_intro(text, lo, open_, by_comma=True), open_)
    if res is None and text[lo:open_].split(None, 1)[:1] in (["And"], ["But"], ["So"], ["Yet"], ["Then"], ["Now"],
                                                             ["Still"], ["Also"]):
        res = _subject_from(text, _skip_intro(text, lo, open_, by_comma=False), open_)
    return res


def _skip_intro(text: str, lo: int, open_: int, *, by_comma: bool) -> int:
    """Where the subject starts after a wire dateline and at most three intro words or phrases."""
    if m := R.DATELINE_RE.match(text, lo, open_):
        lo = m.end()
    for _ in range(3):  # "And then Trump went ...", "On Tuesday, Trump ...", "On Friday, after ..., Trump"
        seg = text[lo:open_]
        first = seg.split(None, 1)[0] if seg.strip() else ""
        word = first.strip(",")
        if word in R.SENTENCE_INTRO_WORDS or first in _LOWER_INTRO or word.capitalize() in R.SENTENCE_INTRO_WORDS:
            comma = seg.find(",")
            if first.endswith(",") or (by_comma and first not in _LOWER_INTRO and 0 < comma < 80):
                lo += comma + 1
                if m := _STATE_ABBREV_RE.match(text, lo, open_):   # "In Hilton Head, S.C., Rubio …"
                    lo = m.end()
            else:
                lo += seg.find(first) + len(first)
        else:
            break
    return lo


def _subject_from(text: str, lo: int, open_: int):
    toks = M.tokens(text[lo:open_], lo)
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
    if len(toks) > 1 and toks[0][0] == "the" and toks[1][0][0].isupper():
        # after an intro: "In June, the American Bar Association deemed him …" (a name and a verb,
        # not "the Republican presidential candidate")
        runs = M.name_runs(toks[1:10])
        if runs and runs[0][0] == 0 and runs[0][1] + 1 < len(toks) and _verb_like(toks[runs[0][1] + 1][0]):
            toks = toks[1:]
    if not toks:
        return None
    w0 = toks[0][0]
    base = R.CONTRACTION_END_RE.sub("", w0)
    if base.lower() in R.SPEAKER_PRONOUNS and base.lower() not in {"it", "you"}:
        return base, toks[0][1], toks[0][1] + len(base), "pronoun"
    runs = M.name_runs(toks[:10])
    if runs and runs[0][0] == 0 and runs[0][1] < len(toks) and toks[runs[0][1]][0][0].islower():
        end = runs[0][1]
        # "Opposition leader Marcus Odell put it": a role word between two capitalised runs
        between = toks[end][0]
        if len(runs) > 1 and runs[1][0] == end + 1 and between.isalpha() and between.islower() \
                and not between.endswith(("s", "ed")) and between not in R.AUXILIARY_WORDS \
                and between not in R.SPEAKER_BOUNDARY_WORDS and between not in R.SPEAKER_CUT_WORDS \
                and runs[1][1] < len(toks) and toks[runs[1][1]][0][0].islower():
            end = runs[1][1]
        res = M.phrase_to_mention(text, toks[:end])
        if res and res[3] != "description":
            return res
    for k, (w, _, _) in enumerate(toks[:9]):
        if k == 0:
            if not (w[0].isupper() or w.lower() in R.SPEAKER_PRONOUNS):
                return None
            continue
        if not w[0].isalpha():
            if w in {"’", "'", "-", "."} or w.isdigit():    # "A 2014 House report found"
                continue
            return None
        if _verb_like(w):
            if w.endswith("s") and k >= 1 and toks[k - 1][0].lower() in R.SPEAKER_DESCRIPTION_OPENERS:
                continue  # "the officials" is still the subject
            res = M.phrase_to_mention(text, toks[:k])
            if res and res[3] == "pronoun" and res[0].lower() in {"it", "you"}:
                return None  # "It seems ..." is no speaker
            return res
    return None


def _verb_like(w: str) -> bool:
    """Whether the lower-case word ``w`` reads as the verb after a subject (``has``, ``left``,
    ``called``, ``says``)."""
    return w[0].islower() and (w in R.AUXILIARY_WORDS or w in R.IRREGULAR_PAST_VERBS or (
        len(w) > 3 and (w.endswith("ed") or (w.endswith("s") and not w.endswith("ss")))))
