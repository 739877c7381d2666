"""Quotes in headlines: the single quote marks headline style uses (``Trump: ‘We Will Win’``,
``NFL has gone ‘soft’, Trump says``), which the body's rules do not read.

Headlines repeat a quote of the story, so these are kept apart from the body's quotes (the store
kind ``quotes``, and every count of who is quoted): :func:`headline_quotes` finds them in one
headline, :func:`quotes` in every article's ``title``, with the speaker's full name taken from the
article's own quotes when the headline gives only a surname.

>>> [(q["quote"], q["speaker_mention"]) for q in headline_quotes("Cecile Richards: ‘I’m Sick Of Men Telling Us What To Do’")]
[('I’m Sick Of Men Telling Us What To Do', 'Cecile Richards')]
>>> [(q["quote"], q["speaker_mention"]) for q in headline_quotes("NFL has gone ‘soft’ like the US, Trump says")]
[('soft', 'Trump')]
"""
from __future__ import annotations

import re

import pandas as pd

from . import cues as C
from . import mentions as M
from . import resources as R
from .text import arrow_strings, content_span

__all__ = ["headline_quotes", "quotes", "speakers", "note", "COLUMNS"]

COLUMNS = ["article_id", "title", "quote", "speaker_mention", "speaker", "speaker_kind", "cue", "start", "end"]
"""The columns of :func:`quotes`: ``start``/``end`` are offsets into ``title``."""

#: an opening single mark: at the start, or after a space, a colon, a dash or a bracket
_OPEN_RE = re.compile(r"(?:(?<=^)|(?<=[\s:(\[—–-]))[‘'](?=[\w\[$])")
#: a title-case cue (``Slams``, ``Says``): read as the lower-case cue it is
_CAPITAL_WORD_RE = re.compile(r"(?<![\w’'])[A-Z][a-z]+(?![\w’'])")


def _closers(title: str, i: int) -> list[int]:
    """Where the quote opened at ``i`` may close: the same kind of mark (``’`` for ``‘``) after a
    word character and before the end, a space or punctuation (never inside a word: ``Trump’s``)."""
    mark = "’" if title[i] == "‘" else "'"
    return [j for j in range(i + 2, len(title)) if title[j] == mark and title[j - 1] not in " \t"
            and (j + 1 == len(title) or not title[j + 1].isalnum())]


#: the one-word cues of :data:`resources.SPEECH_VERBS`, the words ``cues.CUE_RE`` reads
_CUE_WORDS = frozenset(v for v in R.SPEECH_VERBS if " " not in v)


def _cue_case(title: str) -> str:
    """``title`` with its capitalised cue words in lower case (same length, names untouched)."""
    return _CAPITAL_WORD_RE.sub(lambda m: m.group(0).lower() if m.group(0).lower() in _CUE_WORDS else m.group(0),
                                title)


def _named(res) -> bool:
    return bool(res) and res[3] in ("person", "organisation")


def _in_body(body: str | None, toks: list) -> list:
    """The longest run of ``toks`` (the earliest of equals) that the article's body writes as it
    is: the name inside a title-case run (``Carly Fiorina Endorses Ted Cruz`` -> ``Carly Fiorina``,
    ``McCain Challenger Kelli Ward`` -> ``Kelli Ward``); ``toks`` unchanged without a body, ``[]``
    when no part of it is in the body."""
    if not body:
        return toks
    for size in range(len(toks), 0, -1):
        for i in range(len(toks) - size + 1):
            words = " ".join(t[0] for t in toks[i:i + size])
            if re.search(r"(?<![\w’'])" + re.escape(words) + r"(?![\w’'])", body):
                return toks[i:i + size]
    return []


def _may_quote(title) -> bool:
    """Whether ``title`` is a string with a mark that opens a quote (else :func:`headline_quotes`
    finds none, whatever the body)."""
    return isinstance(title, str) and ("‘" in title or "'" in title) and _OPEN_RE.search(title) is not None


def headline_quotes(title: str, *, body: str | None = None) -> list[dict]:
    """The quotes of one headline whose single marks are unambiguous, with their speaker.

    A quote opens with ``‘`` (or ``'``) at the start or after a space, a colon or a dash, and
    closes with the one matching mark before the end, a space or punctuation; when two marks
    could close it (``‘The voters’ choice’``) it is left out. The speaker is the name before a
    colon that opens the headline (``Graham: Trump’s ‘Hateful Rhetoric’ …``; not a kicker such as
    ``The Latest:``), else the name a cue names before or after the quote (``Calderon Calls Wall
    ‘Stupid’``, ``‘…’, Trump says``), else the headline's subject (``Trump tells Reno NFL has gone
    ‘soft’``); a quote with no named speaker is left out.
    With the article's ``body``, a name is the longest part of the headline's name run that the
    story writes (a title-case run holds verbs and other names), a one-word name must be one the
    story capitalises inside a sentence, and it is cleaned with what the story shows
    (:func:`newsdesk.mentions.clean_speaker`). Returns dicts like
    :func:`newsdesk.quotes.extract_quotes`' (``how`` is ``headline``).

    >>> [(q["quote"], q["speaker"]) for q in headline_quotes("The Latest: Sanders declares ‘revolution,’ ignores losses")]
    [('revolution', 'Sanders')]
    >>> headline_quotes("Berg Says ‘The voters’ choice’ Is Hers")
    []
    """
    if not _may_quote(title):
        return []               # no mark that opens a quote (an apostrophe: ``Trump's``): nothing to read
    text = _cue_case(title)
    if body:
        lo, hi = content_span(body, title)      # not the repeated headline, nor the wire line
        body = body[lo:hi]
    seen = M.article_words(f"{body}\n{title}" if body else title)
    lead_name = None
    head, colon, _ = text.partition(":")
    kicker = bool(colon) and (head.strip() in R.HEADLINE_KICKERS or (head.isupper() and " " not in head.strip()))
    if colon and not kicker:
        toks = M.tokens(head, 0)
        runs = M.name_runs(toks)
        if toks and len(toks) <= R.SPEAKER_MAX_WORDS and runs and runs[0] == (0, len(toks)):   # the lead is a name
            res = M.phrase_to_mention(text, _in_body(body, toks))
            lead_name = res if _named(res) else None
    out, k = [], 0
    for m in _OPEN_RE.finditer(title):
        i = m.start()
        if i < k:
            continue
        nxt = next((o.start() for o in _OPEN_RE.finditer(title, i + 1)), len(title))
        ends = [j for j in _closers(title, i) if j < nxt]
        if len(ends) != 1:     # none, or two that could close it: not unambiguous
            continue
        j = ends[0]
        qs, qe = i + 1, j
        while qe > qs and title[qe - 1] in ",;: ":
            qe -= 1
        if not any(c.isalpha() for c in title[qs:qe]):
            continue
        k = j + 1
        lo = len(head) + 1 if kicker else 0
        found, cue = lead_name, ":" if lead_name else None
        if found is None:
            got = C.find_before(text, lo, i) or C.find_after(text, j + 1, len(text), False)
            if got and _named(got[0]):
                found, cue = got
        if found is None:
            res = C.subject_of_sentence(text, lo, i)
            found = res if _named(res) else None
        if found is None:
            continue
        toks = _in_body(body, M.tokens(title[found[1]:found[2]], found[1]))
        if not toks:            # a headline's name that its story never writes: no name
            continue
        mention = title[toks[0][1]:toks[-1][2]]
        speaker = M.clean_speaker(M.strip_title(mention), seen)
        if not speaker or (body and " " not in speaker and not seen.inside(speaker)):
            continue            # no name, or one word the story never capitalises inside a sentence ("Attempt")
        out.append({"quote": title[qs:qe], "start": qs, "end": qe, "speaker_mention": mention, "speaker": speaker,
                    "speaker_kind": found[3], "cue": cue, "how": "headline", "paragraph": -1})
    return out


def quotes(articles: pd.DataFrame, body_quotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per quote in the articles' headlines (:data:`COLUMNS`). With ``body_quotes`` (the
    articles' own quotes, :func:`newsdesk.speakers.quotes`), a surname alone (``Graham:``) takes
    the full name of the article's speaker with that surname (``Lindsey Graham``).

    >>> arts = pd.DataFrame({"article_id": ["a"], "title": ["Berg: ‘We Are Ready’"]})
    >>> q = pd.DataFrame({"article_id": ["a"], "speaker": ["Anna Berg"]})
    >>> quotes(arts, q)[["quote", "speaker"]].values.tolist()
    [['We Are Ready', 'Anna Berg']]
    """
    import numpy as np

    # only a headline with a mark that opens a quote can quote (headline_quotes finds none in the
    # others): only those titles and bodies are read, and the body quotes of those articles
    at = np.flatnonzero(_has_mark(articles["title"]))
    heads = articles["title"].iloc[at].tolist()
    may = [i for i, title in enumerate(heads) if _may_quote(title)]
    at, heads = at[may], [heads[i] for i in may]
    ids = articles["article_id"].iloc[at].tolist()
    full: dict[tuple[str, str], str] = {}
    if body_quotes is not None and len(body_quotes) and len(at):
        mine = body_quotes["article_id"].isin(ids).to_numpy(dtype=bool)
        for aid, name in zip(body_quotes["article_id"][mine].tolist(), body_quotes["speaker"][mine].tolist()):
            if isinstance(name, str) and " " in name:
                full.setdefault((aid, name.split()[-1]), name)
    rows = []
    bodies = articles["body"].iloc[at].tolist() if "body" in articles else [None] * len(at)
    for aid, title, body in zip(ids, heads, bodies):
        for q in headline_quotes(title, body=body):
            name = q["speaker"]
            if " " not in name:
                name = full.get((aid, name), name)
            rows.append([aid, title, q["quote"], q["speaker_mention"], name, q["speaker_kind"], q["cue"],
                         q["start"], q["end"]])
    return pd.DataFrame(rows, columns=COLUMNS).astype({"start": "int64", "end": "int64"})


def _has_mark(titles: pd.Series):
    """Whether each title is a string holding ``‘`` or ``'`` (in Arrow, no Python string per title)."""
    import numpy as np

    arr = arrow_strings(titles)
    if arr is None:
        vals = titles.tolist()
        return np.fromiter((isinstance(t, str) and ("‘" in t or "'" in t) for t in vals), dtype=bool, count=len(vals))
    import pyarrow.compute as pc

    return pc.match_substring_regex(arr, "[‘']").fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


def speakers(hq: pd.DataFrame, *, top_n: int = 10) -> pd.DataFrame:
    """Who the headlines quote most: ``speaker, headline_quotes, headlines`` for the ``top_n``
    speakers of :func:`quotes`' rows ``hq``, most first.

    >>> hq = pd.DataFrame({"article_id": ["a", "a", "b"], "speaker": ["Berg", "Berg", "Hill"]})
    >>> speakers(hq).values.tolist()
    [['Berg', 2, 1], ['Hill', 1, 1]]
    """
    if hq.empty:
        return pd.DataFrame({"speaker": pd.Series(dtype=str), "headline_quotes": pd.Series(dtype="int64"),
                             "headlines": pd.Series(dtype="int64")})
    g = hq.groupby("speaker").agg(headline_quotes=("article_id", "size"), headlines=("article_id", "nunique"))
    g = g.sort_values(["headline_quotes", "headlines"], ascending=False, kind="stable").head(top_n)
    return g.reset_index()


def note(hq: pd.DataFrame, articles: pd.DataFrame) -> str:
    """One sentence on how many headlines quote someone.

    >>> note(pd.DataFrame({"article_id": ["a", "a"]}), pd.DataFrame({"article_id": ["a", "b"]}))
    '1 of 2 headlines (50%) quote someone, 2 quotes in all; they are not counted with the quotes above.'
    """
    n, total = hq["article_id"].nunique() if len(hq) else 0, len(articles)
    if not n:
        return ("The headline quotes no one in single quote marks." if total == 1 else
                f"None of the {total:,} headlines quotes anyone in single quote marks.")
    return (f"{n:,} of {total:,} headlines ({n / total:.0%}) quote someone, {len(hq):,} quotes in all; "
            "they are not counted with the quotes above.")
