"""Quote analyses: speakers resolved across a corpus, the most-quoted speakers, who is quoted
with whom, quote yield per outlet, and the charts of notebook 03.

:func:`quotes` is what notebooks call: one row per quote from the annotation store (see
:mod:`newsdesk.quotes`), speakers merged across the corpus, the article's date and section joined.

>>> q = pd.DataFrame({"speaker": ["A B", "A B", "C D"], "speaker_kind": ["person"] * 3,
...                   "article_id": [1, 2, 2], "words": [3, 4, 5]})
>>> top_speakers(q)["speaker"].tolist()
['A B', 'C D']
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from . import config, periods, store
from . import resources as R
from .config import FREQ_ALIASES
from .quotes import COLUMNS
from .text import arrow_strings, utf8_buffers

__all__ = ["NAMED_KINDS", "OUTPUT_COLUMNS", "word_counts", "has_text", "read_aliases", "merge_speakers", "quotes", "named", "summary",
           "voice_column", "quote_yield", "yield_warnings", "follow_speakers", "top_speakers",
           "speaker_quotes", "co_quoted", "NO_QUOTES", "NO_NAMED", "NO_FOLLOWED", "empty_message", "chart_top_speakers",
           "quotes_per_month", "chart_quotes_per_month", "share_of_voice", "chart_share_of_voice",
           "chart_quote_lengths", "chart_co_quoted", "CHART_EXAMPLES"]


# --------------------------------------------------------------------------- user-facing
NAMED_KINDS = ("person", "organisation")
"""Speaker kinds that name someone (descriptions such as ``a senior official`` do not)."""
_META = ["date", "section", "title", "path", "publisher", "agency"]
OUTPUT_COLUMNS = ["article_id", "quote", "speaker", "speaker_mention", "speaker_kind", "cue", "start", "end",
                  "words", "date", "section", "title", "path"]


#: The characters ``str.isspace`` calls white space (``str.strip()`` trims them; all lie below
#: U+3001), as a class Arrow's regular expressions read.
_SPACE_CLASS = "".join(f"\\x{{{c:x}}}" for c in range(0x3001) if chr(c).isspace())
_WIDE_SPACE_CLASS = "".join(f"\\x{{{c:x}}}" for c in range(128, 0x3001) if chr(c).isspace())


def word_counts(texts: pd.Series) -> "np.ndarray":
    """``len(str(t).split())`` of each text, counted on the UTF-8 bytes with NumPy a block of texts
    at a time; texts with a space beyond ASCII, and missing ones (``"None"``: 1 word), in Python.

    >>> word_counts(pd.Series(["We will  win.", " ", None, "a\u00a0b", ""])).tolist()
    [3, 0, 1, 2, 0]
    """
    import numpy as np
    import pyarrow.compute as pc

    arr = arrow_strings(texts)
    n = len(texts)
    if arr is None:
        vals = texts.tolist()
        return np.fromiter((len(str(t).split()) for t in vals), dtype=np.int64, count=n)
    out = np.zeros(n, dtype=np.int64)
    space = np.zeros(256, dtype=bool)
    space[[c for c in range(128) if chr(c).isspace()]] = True
    offsets, data = utf8_buffers(arr)
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    step = 100_000
    for a in range(0, n, step):
        b = min(n, a + step)
        lo, hi = int(offsets[a]), int(offsets[b])
        sp = space[data[lo:hi]]
        start = ~sp                                  # a word starts at a non-space byte ...
        start[1:] &= sp[:-1]                         # ... after a space byte ...
        firsts = offsets[a:b] - lo
        full = offsets[a + 1:b + 1] > offsets[a:b]
        start[firsts[full]] = ~sp[firsts[full]]      # ... or at its text's first byte
        if full.any():
            out[a:b][full] = np.add.reduceat(start, firsts[full], dtype=np.int64)
    # a byte of a character beyond ASCII is never an ASCII space: only texts holding a space
    # beyond ASCII (U+00A0, U+2009, ...) are split in Python, and missing ones
    other = np.flatnonzero(pc.match_substring_regex(arr, f"[{_WIDE_SPACE_CLASS}]").fill_null(True).to_numpy(zero_copy_only=False))
    if len(other):
        vals = texts.iloc[other].tolist()
        out[other] = np.fromiter((len(str(t).split()) for t in vals), dtype=np.int64, count=len(other))
    return out


def has_text(texts) -> "np.ndarray":
    """Whether each text is a string with a character other than white space (``t.strip()``).

    >>> has_text(pd.Series(["a", " \u3000", None, ""])).tolist()
    [True, False, False, False]
    """
    import numpy as np
    import pyarrow.compute as pc

    arr = arrow_strings(texts)
    if arr is None:
        vals = list(texts)
        return np.fromiter((isinstance(t, str) and bool(t.strip()) for t in vals), dtype=bool, count=len(vals))
    return pc.match_substring_regex(arr, f"[^{_SPACE_CLASS}]").fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


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
    - words before a first name that are no first name merge into the full name after them, when
      it is quoted under that name too (``Billionaire Donald Trump`` -> ``Donald Trump``);
    - a surname alone merges with the full name that carries it, when one full name accounts for
      at least two thirds of that surname's uses (``Lavrov`` -> ``Sergei Lavrov``);
    - ``aliases`` (lower-case alias -> canonical) override both.

    >>> merge_speakers(pd.Series(["Sergei Lavrov", "Lavrov", "Lavrov", "Jack Whitfield"]),
    ...                aliases={"jack whitfield": "Jonathan Whitfield"}).tolist()
    ['Sergei Lavrov', 'Sergei Lavrov', 'Sergei Lavrov', 'Jonathan Whitfield']
    >>> merge_speakers(pd.Series(["Donald Trump", "Billionaire Donald Trump", "Hillary Rodham Clinton"])).tolist()
    ['Donald Trump', 'Donald Trump', 'Hillary Rodham Clinton']
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
    # 1b. descriptive words before a name quoted under it too ("Billionaire Donald Trump")
    full_names = {c for c in canon.values() if len(c.split()) >= 2 and c.split()[0] in R.FIRST_NAMES}
    for name in counts.index:
        words = canon[name].split()
        for k in range(1, len(words) - 1):
            if words[k] in R.FIRST_NAMES:
                if " ".join(words[k:]) in full_names and not any(w in R.FIRST_NAMES for w in words[:k]):
                    canon[name] = " ".join(words[k:])
                break
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
    mentions = rows.loc[desc, "speaker_mention"]
    org_of: dict = {}                 # each distinct mention once -> its organisation
    for mention in pd.unique(mentions.to_numpy(dtype=object)):
        words = str(mention).lower().split()
        if 1 < len(words) <= 4 and words[0] == "the":
            cands = by_end.get(" ".join(words[1:]))
            if cands and len(cands) == 1:
                org_of[mention] = next(iter(cands))
    found: dict = {}                  # row label -> organisation
    if org_of:
        hit = mentions[mentions.isin(list(org_of)).to_numpy(dtype=bool)]
        found = dict(zip(hit.index.tolist(), [org_of[m] for m in hit.tolist()]))
    if found:
        # one assignment per column: a cell set one at a time copies an Arrow-backed column
        # each time (14 ms a cell at 200,000 articles: 23 s for 1,666 cells)
        at = list(found)
        rows.loc[at, "speaker"] = list(found.values())
        rows.loc[at, "speaker_kind"] = "organisation"


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

    rows["words"] = word_counts(rows["quote"])
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
    return _named(q, list(q.columns))


def _named(q: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """:func:`named` with only ``columns``: one copy of those, none of the quotes' text."""
    keep = (q["speaker"].notna() & q["speaker_kind"].isin(NAMED_KINDS)).to_numpy(dtype=bool)
    return q.loc[keep, [c for c in columns if c in q.columns]]


def summary(q: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Headline counts: quotes, quotes with a named speaker, speakers, articles quoting anyone.

    >>> summary(pd.DataFrame({"speaker": ["A B", None], "speaker_kind": ["person", "description"],
    ...                       "article_id": [1, 1], "words": [3, 4]}))["value"].tolist()
    [2, 1, 1, 1, 3.5]
    """
    n = _named(q, ["speaker"])
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
    import numpy as np

    top = top_speakers(q, top_n=top_n)["speaker"].tolist()
    n = _named(q, ["article_id", "speaker"])
    n = n[n["speaker"].isin(top).to_numpy(dtype=bool)]
    if n.empty:
        return pd.DataFrame(dtype="int64")
    # articles x speakers, 1 where the speaker is quoted in the article (every top speaker is)
    art, _ = pd.factorize(n["article_id"])
    m = np.zeros((int(art.max()) + 1, len(top)), dtype=np.int64)
    m[art, pd.Index(top).get_indexer(n["speaker"])] = 1
    who = pd.Index(top, name="speaker")
    return pd.DataFrame(m.T @ m, index=who, columns=who.copy())


# --------------------------------------------------------------------------- charts
NO_QUOTES = "no quotes in this corpus"
NO_NAMED = "no quotes by named speakers in this corpus"
NO_FOLLOWED = "nobody followed: no speaker asked for is quoted under that name (the note at the top says why)"


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
    unless ``speakers`` names them (``[]``: nobody, an empty table, never the top speakers in
    their place). Periods are ``config.FREQ_ALIASES``' (weeks run Monday to Sunday); the index
    holds each period's first day."""
    pf = FREQ_ALIASES.get(freq)
    if pf is None:
        raise ValueError(f"freq must be {', '.join(FREQ_ALIASES)}, not {freq!r}")
    n = _named(q, ["speaker", "date"])
    who = list(speakers) if speakers is not None else top_speakers(q, top_n=top_n)["speaker"].tolist()
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
    """Lines: quotes per month for the top speakers (or the ``speakers`` named; ``[]``, as
    :func:`follow_speakers` gives when nobody asked for is quoted: a sentence, no lines). A
    selection within one period has no trend to draw: it gets one bar per speaker instead, and says so."""
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
        dates = pd.to_datetime(q["date"]).dropna()     # a short first or last period is no fall
        charts.mark_partial(ax, periods.partial_spans(dates.min(), dates.max(), freq=freq))
    else:
        _say_empty(ax, empty_message(q) or (NO_FOLLOWED if speakers is not None and not list(speakers)
                                            else "no quotes by these speakers"))
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
    import numpy as np

    n = _named(q, list(dict.fromkeys(["speaker", by])))
    top = top_speakers(q, top_n=top_n)["speaker"].tolist()
    # groups (sorted) x (top speakers, others): counts, each row divided by its sum (as a crosstab
    # normalised by index gives it, without a Python object per quote)
    col = n[by] if pd.api.types.is_string_dtype(n[by]) else n[by].astype("object")
    group, groups = pd.factorize(col.fillna("(none)"), sort=True)
    who = pd.Index(top).get_indexer(n["speaker"])
    who[who < 0] = len(top)
    k = len(top) + 1
    counts = np.bincount(group * k + who, minlength=len(groups) * k).reshape(len(groups), k)
    cols = [j for j in range(k) if counts[:, j].any()]
    index = pd.Index(groups if len(groups) else [], dtype=None if len(groups) else object, name=by)
    names = pd.Index([(top + ["others"])[j] for j in cols], dtype="str", name="speaker")
    return pd.DataFrame(counts[:, cols] / counts.sum(axis=1, keepdims=True), index=index, columns=names)


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

