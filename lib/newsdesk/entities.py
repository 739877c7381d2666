"""Who and what the coverage mentions: the people, organisations and places each article names.

Names are capitalised runs of words in the clean text (not the headline, which capitalises every word) (``Donald Trump``, ``the
White House``, ``Russia``), cleaned as speakers are (:func:`newsdesk.mentions.clean_speaker`: a word
that only opens sentences, such as ``Despite`` or ``Hastily``, is no name; titles are dropped) and
merged as speakers are: within an article a surname joins the full name it shortens (``Trump`` ->
``Donald Trump``), across the corpus variants merge (:func:`newsdesk.speakers.merge_speakers`).
Rules only, no model.

The report uses :func:`auto_terms` for its default subjects: the names mentioned in the most
articles, so that every archive is charted on its own subjects.

>>> arts = pd.DataFrame({"article_id": ["a", "b"], "title": ["Trump in Iowa", "Clinton and Trump"],
...                      "body": ["Trump in Iowa\\nDonald Trump spoke in Iowa. Trump left.",
...                               "Clinton and Trump\\nHillary Clinton met Donald Trump."]})
>>> top_subjects(arts, n=2)[["name", "articles"]].values.tolist()
[['Donald Trump', 2], ['Hillary Clinton', 1]]
"""
from __future__ import annotations

import functools
import re
import sys
from collections import Counter

import numpy as np
import pandas as pd

from . import config
from . import resources as R
from .corpus import is_original, originals
from .text import is_abbreviation

__all__ = ["names_in", "mentions", "top_subjects", "auto_terms", "terms_or_auto", "mentioned_vs_quoted"]

_RUN_RE = re.compile(R.CAPITALISED_RUN)
_POSSESSIVE_END_RE = re.compile(r"[’']s?$")


def names_in(text: str) -> dict[str, int]:
    """The names one text mentions, with how often, in order of first mention. A surname alone
    counts for the full name it shortens in the same text; ``Residents of Halden`` is Halden.

    >>> names_in("Despite the rain, Donald Trump spoke. Trump said Russia and the White House agreed.")
    {'Donald Trump': 2, 'Russia': 1, 'White House': 1}
    """
    from .mentions import article_words, clean_speaker, strip_title

    seen = article_words(text)
    found: Counter = Counter()
    named: dict[str, str | None] = {}                 # a run's name, once per article
    for m in _RUN_RE.finditer(text):
        raw = _POSSESSIVE_END_RE.sub("", m.group(0))  # "Trump's" -> "Trump"
        if text[m.end():m.end() + 1] == "." and (is_abbreviation(raw + ".") or (raw + ".") in _TITLES_DOTTED):
            continue                                  # "Sen." read as "Sen"
        words = raw.split()
        if words and words[0] == "The":
            words = words[1:]
        if len(words) > 2 and words[0] in R.GROUP_NOUNS and words[1] == "of":
            words = words[2:]                         # "Residents of Halden"
        if not words or (len(words) == 1 and words[0] in R.GROUP_NOUNS):
            continue
        run = " ".join(words)
        if run not in named:                          # the same article: the same answer
            named[run] = clean_speaker(strip_title(run), seen, places=True)
        name = named[run]
        if name and not name.isdigit():
            found[name] += 1
    full = {n.rsplit(" ", 1)[-1]: n for n in found if " " in n}
    out: Counter = Counter()
    for n, k in found.items():
        out[full.get(n, n) if " " not in n else n] += k
    return dict(out)


_TITLES_DOTTED = frozenset(t for t in R.TITLES if t.endswith("."))


def _sample(articles: pd.DataFrame, max_articles: int | None) -> pd.DataFrame:
    """The originals (exact duplicates count once), or a seeded random sample of ``max_articles``
    of them: the rows ``originals(articles).sample(...)`` gives, in its order, taken from the
    articles alone (no copy of the whole frame's texts to pick a few thousand).

    >>> arts = pd.DataFrame({"article_id": list("abcd"), "duplicate_of": [None, "a", None, None]})
    >>> _sample(arts, 2)["article_id"].tolist() == originals(arts).sample(n=2, random_state=0)["article_id"].tolist()
    True
    """
    pos = np.flatnonzero(is_original(articles))
    if max_articles and len(pos) > max_articles:
        # DataFrame.sample picks positions from the frame's length alone: pick them from the
        # positions of the originals, then take those rows only
        pick = pd.Series(pos).sample(n=max_articles, random_state=config.SUBJECT_SAMPLE_SEED).to_numpy()
        return articles.iloc[pick]
    return articles if len(pos) == len(articles) else articles.iloc[pos]


def mentions(articles: pd.DataFrame, *, max_articles: int | None = None) -> pd.DataFrame:
    """One row per article and name it mentions: ``article_id, name, mentions`` (times in the
    article), names merged across the corpus. ``max_articles`` reads a seeded random sample of that
    many articles instead of all.

    >>> arts = pd.DataFrame({"article_id": ["a"], "title": ["Vote"], "body": ["Vote\\nSergei Lavrov said no."]})
    >>> mentions(arts).values.tolist()
    [['a', 'Sergei Lavrov', 1]]
    """
    from .search import kept_folder

    kept = kept_folder(articles) if pd.Index(articles.get("article_id", [])).is_unique else None
    name = f"mentions {_mentions_version()} {max_articles}"
    got = kept.load_arrays(name, len(articles)) if kept else None
    if got is not None:
        return pd.DataFrame({"article_id": articles["article_id"].to_numpy(dtype=object)[got["pos"]],
                             "name": got["names"].astype(object)[got["code"]], "mentions": got["mentions"]},
                            ).astype({"article_id": "str", "name": "str", "mentions": "int64"})
    out = _mentions(_sample(articles, max_articles)).astype({"article_id": "str", "name": "str", "mentions": "int64"})
    if kept:
        codes, names = pd.factorize(out["name"])
        kept.save_arrays(name, len(articles), pos=pd.Index(articles["article_id"]).get_indexer(out["article_id"]),
                         code=codes, names=np.asarray(names, dtype=str), mentions=out["mentions"].to_numpy("int64"))
    return out


@functools.lru_cache(maxsize=1)
def _mentions_version() -> str:
    """What kept mentions were found by: the modules that find and merge the names."""
    from . import corpus, mentions, registry, speakers, text

    return registry.code_version(sys.modules[__name__], mentions, speakers, corpus, text, R)


def _mentions(arts: pd.DataFrame) -> pd.DataFrame:
    from .corpus import text as clean_text
    from .speakers import merge_speakers

    if "text_offset" in arts.columns:
        texts = clean_text(arts)
    elif "text" in arts.columns:                    # a hand-made frame with its clean text
        texts = arts["text"].fillna("").astype(str)
    else:                                           # a hand-made frame: the body without its title line
        texts = arts["body"].astype(str).str.split("\n", n=1).str[-1]
    # the clean text only: a headline capitalises every word, so it tells no name from a word
    rows = [(aid, name, k) for aid, body in zip(arts["article_id"], texts) for name, k in names_in(body).items()]
    out = pd.DataFrame(rows, columns=["article_id", "name", "mentions"])
    if len(out):
        out["name"] = merge_speakers(out["name"]).to_numpy()
        out = out.groupby(["article_id", "name"], sort=False, as_index=False)["mentions"].sum()
    return out


def top_subjects(articles: pd.DataFrame, *, n: int = 4, max_articles: int | None = None) -> pd.DataFrame:
    """The ``n`` names mentioned in the most articles (then the most often): ``name, articles,
    mentions, share`` (of the articles read). The corpus's own outlets (``publisher``, ``agency`` values) are left out: they name the
    source, not the subject.

    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "title": ["x", "y"], "agency": ["AFP", "AFP"],
    ...                      "body": ["x\\nIran said so, AFP reported.", "y\\nIran again."]})
    >>> top_subjects(arts)[["name", "articles", "share"]].values.tolist()
    [['Iran', 2, 1.0]]
    """
    arts = _sample(articles, max_articles)
    m = mentions(articles, max_articles=max_articles)   # arts' names (kept for the next caller)
    outlets = {str(v).casefold() for c in ("publisher", "agency", "section") if c in arts.columns
               for v in arts[c].dropna().unique()}
    m = m[~m["name"].str.casefold().isin(outlets)]
    t = m.groupby("name").agg(articles=("article_id", "nunique"), mentions=("mentions", "sum")).reset_index()
    t = t.sort_values(["articles", "mentions", "name"], ascending=[False, False, True], kind="stable")
    t = t.head(max(0, int(n))).reset_index(drop=True)
    t["share"] = t["articles"] / max(1, len(arts))
    t.attrs["articles_read"] = len(arts)
    return t


def auto_terms(articles: pd.DataFrame, *, n: int = 4, subjects: pd.DataFrame | None = None
               ) -> tuple[list[str], str]:
    """Terms for the corpus's own most covered subjects, and one sentence saying what was chosen.

    A person (a known first name, then a surname) is searched by surname (``Donald Trump`` ->
    ``Trump``), which is how articles refer to people after the first mention; anything else by its
    full name (``United States``, ``Marrow Bay``). Reads at most
    :data:`config.SUBJECT_SAMPLE` articles (a seeded random sample of a larger corpus);
    ``subjects`` (a :func:`top_subjects` table of that sample) saves reading them again.

    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "title": ["x", "y"],
    ...                      "body": ["x\\nDonald Trump and the White House.", "y\\nDonald Trump again."]})
    >>> auto_terms(arts, n=2)[0]
    ['Trump', 'White House']
    """
    from .mentions import name_kind

    if subjects is None:
        subjects = top_subjects(articles, n=n, max_articles=config.SUBJECT_SAMPLE)
    t = subjects.head(n)
    terms: list[str] = []
    for name in t["name"]:
        words = name.split()
        person = len(words) > 1 and words[0] in R.FIRST_NAMES and name_kind(name) == "person"
        term = words[-1] if person else name
        if term not in terms:
            terms.append(term)
    read = subjects.attrs.get("articles_read", 0)
    if not terms:       # no names at all (lower-case text, wire copy in capitals): the most used words
        from .wordcount import most_used, word_counts

        sample = _sample(articles, config.SUBJECT_SAMPLE)
        words = [w for w, _ in most_used(word_counts(sample), top_n=max(1, int(n)))]      # used in the most articles
        if not words:
            return [], "The corpus has no words to choose subjects from: set terms to chart some."
        return words, (f"No names are mentioned, so the subjects are the words used in the most articles: "
                       f"{', '.join(words)}. To fix them, set terms = {words!r}.")
    listed = ", ".join(f"{name} ({k:,} of {read:,} articles)" for name, k in zip(t["name"], t["articles"]))
    sample = f" in a random sample of {read:,}" if len(articles) > read else ""
    return terms, (f"Subjects chosen from the corpus (the names mentioned in the most articles{sample}): "
                   f"{listed}. To fix them, set terms = {terms!r}.")


def terms_or_auto(articles: pd.DataFrame, terms, *, n: int = 4) -> tuple:
    """``terms`` as given with a note saying so, or, when empty (``""``, ``[]``, ``None``), the
    corpus's own subjects from :func:`auto_terms` with a note saying what was chosen and why.

    >>> terms_or_auto(pd.DataFrame(), "flood|vaccine")
    ('flood|vaccine', 'Terms as given: flood|vaccine.')
    """
    empty = terms is None or (isinstance(terms, str) and not terms.strip()) or (
        not isinstance(terms, str) and not [t for t in terms if str(t).strip()])
    if not empty:
        shown = terms if isinstance(terms, str) else ", ".join(map(str, terms))
        return terms, f"Terms as given: {shown}."
    chosen, note = auto_terms(articles, n=n)
    if not chosen:
        raise ValueError(note)
    return chosen, note


def mentioned_vs_quoted(articles: pd.DataFrame, q: pd.DataFrame, *, n: int = 12) -> pd.DataFrame:
    """Who is talked about, and who is given a voice: for the ``n`` names (places left out)
    mentioned in the most articles, in how many articles each is mentioned, in how many it is quoted, and its quotes
    (``name, mentioned, quoted_in, quotes, voice``: ``voice`` is the share of the articles
    mentioning a name that also quote it). Both counts come from the same articles (a seeded
    sample of :data:`config.SUBJECT_SAMPLE` on a larger archive).

    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "title": ["x", "y"],
    ...                      "body": ["x\\nAnn Lee met Bo Chan.", "y\\nAnn Lee left."]})
    >>> q = pd.DataFrame({"article_id": ["a"], "speaker": ["Bo Chan"], "speaker_kind": ["person"], "words": [3]})
    >>> mentioned_vs_quoted(arts, q).values.tolist()
    [['Ann Lee', 2, 0, 0, 0.0], ['Bo Chan', 1, 1, 1, 1.0]]
    """
    arts = _sample(articles, config.SUBJECT_SAMPLE)
    m = mentions(articles, max_articles=config.SUBJECT_SAMPLE)   # arts' names
    m = m[~m["name"].isin(R.PLACE_NAMES)]                # places are mentioned, never quoted
    top = (m.groupby("name")["article_id"].nunique().sort_values(ascending=False, kind="stable")
           .head(int(n)) if len(m) else pd.Series(dtype="int64"))
    qq = q[q["article_id"].isin(set(arts["article_id"]))] if len(q) else q
    rows = []
    for name, k in top.items():
        said = qq[qq["speaker"] == name] if len(qq) else qq
        quoted_in = int(said["article_id"].nunique()) if len(said) else 0
        rows.append((name, int(k), quoted_in, int(len(said)), round(quoted_in / k, 3) if k else 0.0))
    out = pd.DataFrame(rows, columns=["name", "mentioned", "quoted_in", "quotes", "voice"])
    return out.sort_values(["mentioned", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)
