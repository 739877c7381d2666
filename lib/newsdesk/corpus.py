"""The corpus loader: seed-format text files in, one pandas row per article out.

A file holds one or more articles, each starting at its own ``## Title:`` line::

    ## Title: Trump urges Russia  to rein in Syrian ally
    ## Supertitle:
    ## Section: World
    ## Date: Friday, May 12, 2017 - 01:00

    Trump urges Russia  to rein in Syrian ally
    ...body...
    - AFP

Nothing is lost silently: every file or article that cannot be read becomes a row of the
rejects table (``path``, ``line``, ``reason``), available as ``rejects(articles)``.

The loader's parts, one module each: :mod:`newsdesk.discover` (which files), :mod:`newsdesk.decode`
(their bytes as text), :mod:`newsdesk.parse` (text to rows), :mod:`newsdesk.cache` (the load
cache), on the record types of :mod:`newsdesk.records`. This module runs them
(:func:`load_corpus`) and holds the helpers for the articles frame it returns.

>>> import newsdesk as nd
>>> articles = nd.load_corpus("data/sample")          # doctest: +SKIP
>>> articles[["title", "section", "date", "agency"]].head()   # doctest: +SKIP
"""
from __future__ import annotations

import glob as _glob
import logging
import os
import re
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from . import config
from .cache import load_cached
from .discover import discover
from .parse import parse_chunk
from .records import REJECT_COLUMNS, CorpusError, Reject, SourceFiles, UnreadableCorpusError

__all__ = ["rejects_frame", "is_original", "originals", "mark_duplicates", "load_corpus", "date_bounds", "date_mask",
           "filter_articles", "group_column", "rejects", "text", "resolve_corpus", "rows_of"]

log = logging.getLogger("newsdesk")
config.use_arrow_pool()   # jemalloc: see config.ARROW_MEMORY_POOL


# --------------------------------------------------------------------------- frames
def rejects_frame(rejects: Iterable[Reject]) -> pd.DataFrame:
    rows = [(r.path, r.line, r.reason) for r in rejects]
    df = pd.DataFrame(rows, columns=REJECT_COLUMNS)
    df["line"] = df["line"].astype("Int64")
    return df


def is_original(frame: pd.DataFrame) -> np.ndarray:
    """Which rows are originals, not exact duplicates of an earlier article (``duplicate_of``
    empty): the one rule by which exact duplicates count once in every analysis. A frame without
    ``duplicate_of`` (a table made by hand) is all originals.

    >>> is_original(pd.DataFrame({"duplicate_of": [None, "a.txt"]})).tolist()
    [True, False]
    """
    if "duplicate_of" not in frame.columns:
        return np.ones(len(frame), dtype=bool)
    return np.array(frame["duplicate_of"].isna(), dtype=bool)   # a writable copy: callers &= it


def rows_of(articles: pd.DataFrame, ids) -> np.ndarray:
    """The position in ``articles`` of each of ``ids``: the first row with that ``article_id``, or
    -1 for an id not in the frame.

    >>> rows_of(pd.DataFrame({"article_id": ["a", "b", "a"]}), ["b", "a", "z"]).tolist()
    [1, 0, -1]
    """
    all_ids = articles["article_id"]
    first = np.flatnonzero(~all_ids.duplicated().to_numpy())
    pos = pd.Index(all_ids.to_numpy()[first]).get_indexer(ids)
    return np.where(pos >= 0, first[np.maximum(pos, 0)], -1) if len(first) else np.full(len(pos), -1)


def originals(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``frame`` that are not exact duplicates (see :func:`is_original`).

    >>> len(originals(pd.DataFrame({"duplicate_of": [None, "a.txt"]})))
    1
    """
    return frame[is_original(frame)] if "duplicate_of" in frame.columns else frame


def mark_duplicates(df: pd.DataFrame) -> pd.DataFrame:
    """Fill ``duplicate_of`` with the id of the first article (by path) having the same title, date and body."""
    import numpy as np
    import pyarrow as pa

    if not len(df):
        df["duplicate_of"] = df["duplicate_of"].astype("str")
        return df
    hashes = pa.array(df["content_hash"])                    # no copy for Arrow-backed text
    if isinstance(hashes, pa.ChunkedArray):                  # a frame built from several chunks
        hashes = hashes.combine_chunks()
    codes = hashes.dictionary_encode().indices.to_numpy(zero_copy_only=False)
    _, first_pos = np.unique(codes, return_index=True)       # the first row of each hash
    first = first_pos[codes]
    is_dup = first != np.arange(len(df))
    if not is_dup.any() and df["duplicate_of"].dtype == "str" and df["duplicate_of"].isna().all():
        return df                                            # no duplicate, and none marked
    dup = np.full(len(df), None, dtype=object)
    dup[is_dup] = df["article_id"].to_numpy(dtype=object)[first[is_dup]]
    df["duplicate_of"] = pd.array(pa.array(dup, pa.large_string()), dtype="str")   # via Arrow: 10x faster
    return df


def _parse_many(files: SourceFiles, jobs: int, progress: bool) -> tuple[list, list[Reject]]:
    """Parse ``files`` on ``jobs`` processes: ``(Arrow tables of articles, rejects)``. Each table
    also has the ``_size`` and ``_mtime_ns`` of every row's file, for the load cache."""
    from .parallel import map_chunks
    from .text import count_words_many

    count_words_many(["\u00e9"])   # a non-ASCII text builds the look-up table here, once, not in every worker
    tables: list = []
    out_rejects: list[Reject] = []
    for table, rejs in map_chunks(parse_chunk, files.items(), jobs=jobs, progress=progress, desc="parsing"):
        if table is not None:
            tables.append(table)
        out_rejects.extend(rejs)
    return tables, out_rejects


def load_corpus(
    path: str | os.PathLike = config.SAMPLE_CORPUS,
    *,
    strict: bool = False,
    cache: bool = True,
    jobs: int | None = None,
    progress: bool | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    sections: Sequence[str] | None = None,
    where: Mapping[str, str | Sequence[str]] | None = None,
    follow_external_links: bool | None = None,
) -> pd.DataFrame:
    """Load a corpus into a DataFrame, one row per article.

    ``path`` is a folder (searched recursively for ``*.txt``), one file, or a glob.
    Columns: ``article_id`` (first 16 hex digits of the SHA-1 of the file's path relative to the
    corpus root, ``#`` and the article's index in the file: stable across runs and machines),
    ``path``, ``title``, ``supertitle``, ``section``, ``date``, ``agency``, ``words``, ``body``
    (verbatim but for line ends), ``text_offset``/``text_length`` (the clean text's slice of the
    body, see :func:`text`), ``content_hash``, ``duplicate_of``, ``warnings``, then one column per
    extra ``## Key:`` header (``## Publisher:`` gives ``publisher``).

    Files that cannot be read are listed by :func:`rejects`. ``strict=True`` raises
    :class:`CorpusError` on the first problem instead. :class:`CorpusError` is also raised, with
    a message saying what to do, when ``path`` does not exist, holds no ``.txt`` file, holds no
    readable article (``exc.rejects`` is the rejects table), when no article passes the filter
    (``date_from``/``date_to``: inclusive, whole days; ``sections``: case-insensitive; ``where``:
    values of any header column, e.g. ``{"publisher": ["New York Times"]}``), and when
    ``date_from`` is after ``date_to`` or not a date. Results are cached (see ``config.CACHE_DIR``)
    by each file's path, size and mtime; ``cache=False`` re-parses everything.

    A symlink whose target is outside the corpus folder is not read: it is a reject, ``links
    outside the corpus``. ``follow_external_links=True`` reads it (``None``, the default, takes
    ``config.follow_external_links()``: off unless ``NEWSDESK_FOLLOW_EXTERNAL_LINKS=1``, which
    ``newsdesk report --follow-external-links`` sets for its notebooks). The cache serves rows
    only for the files discovery lists, so switching the option never serves a stale result.

    >>> articles = load_corpus("data/sample")                            # doctest: +SKIP
    >>> articles.groupby("section").size()                                # doctest: +SKIP
    """
    lo, hi = date_bounds(date_from, date_to)  # a bad filter fails before any work
    jobs = config.default_jobs() if jobs is None else max(1, int(jobs))
    shown = os.fspath(path)
    if follow_external_links is None:
        follow_external_links = config.follow_external_links()
    root, files, discover_rejects = discover(path, follow_external_links=follow_external_links)
    if not files and not discover_rejects:
        raise CorpusError(
            f"corpus {shown!r} is empty: no .txt files in it or its subfolders. Point it at a folder "
            f"of seed-format articles ('## Title:' header lines, see the README)."
        )
    df, rejects_list = load_cached(root, files, jobs=jobs, progress=progress, use_cache=cache,
                                   parse=_parse_many)
    n_files = len(files)
    rejects_list = discover_rejects + rejects_list
    if strict and rejects_list:
        r = rejects_list[0]
        at = f"{r.path}" + (f", line {r.line}" if r.line else "")
        raise CorpusError(f"{at}: {r.reason} (strict mode stops at the first problem; "
                          f"drop --strict to load the rest and list problems in the rejects table)",
                          rejects=rejects_frame(rejects_list))
    df = mark_duplicates(df)                                # sorted by path (load_cached)
    rej = rejects_frame(rejects_list)
    if len(df) == 0:
        first = rej.iloc[0]
        at = f"{first['path']}" + (f", line {first['line']}" if pd.notna(first["line"]) else "")
        raise UnreadableCorpusError(
            f"corpus {shown!r} has no readable article: all {len(rej):,} input(s) were rejected "
            f"(first: {at}: {first['reason']}). Check that the files are seed-format articles "
            f"('## Title:' header lines, see the README).", rejects=rej)
    every = df
    df = filter_articles(df, date_from=date_from, date_to=date_to, sections=sections, where=where)
    if len(df) == 0:
        n_all, span = len(every), (every["date"].min(), every["date"].max())
        have_sections = sorted(set(every["section"].dropna()))
        wanted = []
        if lo is not None or hi is not None:
            wanted.append(f"dates {lo.date() if lo is not None else '...'} to {hi.date() if hi is not None else '...'}")
        if sections:
            wanted.append(f"sections {', '.join(sections)}")
        for col, vals in (where or {}).items():
            wanted.append(f"{col} {', '.join(_values(vals))}")
        raise CorpusError(
            f"none of the {n_all:,} articles in {shown!r} match the filter ({'; '.join(wanted)}): the corpus "
            f"runs from {span[0]:%Y-%m-%d} to {span[1]:%Y-%m-%d}"
            + ((f" with sections {', '.join(have_sections[:12])}" if have_sections
                else " and its articles have no '## Section:'") if sections else "")
            + "".join(f"; {col}: {', '.join(map(str, every[col].value_counts().index[:12])) or 'none'}"
                      for col in (where or {}) if col in every.columns)
            + ". Widen or drop the filter.", rejects=rej)
    df.attrs["corpus"] = shown
    df.attrs["root"] = root
    df.attrs["n_files"] = n_files
    df.attrs["rejects"] = rej.to_dict("records")
    msg = f"{shown}: {len(df):,} articles from {n_files:,} files, {len(rej):,} rejected"
    n_warn = int(df["warnings"].notna().sum()) if len(df) else 0
    if n_warn:
        msg += f", {n_warn:,} with warnings"
    if len(rej):  # shown by default (notebooks, CLI): nothing is dropped without a word
        log.warning(msg + " (newsdesk.rejects(articles) lists them)")
    else:
        log.info(msg)
    return df


def date_bounds(date_from=None, date_to=None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last instant of an inclusive date range given as ``YYYY-MM-DD``, ``YYYY-MM`` or
    ``YYYY`` (``None`` or ``""`` for no limit): ``date_to="2016-07"`` runs to the end of July.

    Raises :class:`CorpusError` (a ``ValueError``) saying what to pass instead.

    >>> [str(t) for t in date_bounds("2016-07", "2016-07")]
    ['2016-07-01 00:00:00', '2016-07-31 23:59:59.999999999']
    """
    def parse(name: str, v, end: bool):
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        text = v.strip() if isinstance(v, str) else v
        try:
            t = pd.Timestamp(text)
        except (ValueError, TypeError, OverflowError):
            t = pd.NaT
        if pd.isna(t):
            raise CorpusError(f"{name} {v!r} is not a date: give it as YYYY-MM-DD (or YYYY-MM, YYYY), e.g. 2017-05-12.")
        if not end:
            return t
        if isinstance(text, str) and re.fullmatch(r"\d{4}", text):
            return pd.Timestamp(year=t.year + 1, month=1, day=1) - pd.Timedelta(1)
        if isinstance(text, str) and re.fullmatch(r"\d{4}-\d{1,2}", text):
            return (t.to_period("M") + 1).start_time - pd.Timedelta(1)
        if t == t.normalize():
            return t + pd.Timedelta(days=1) - pd.Timedelta(1)
        return t

    lo, hi = parse("date_from", date_from, False), parse("date_to", date_to, True)
    if lo is not None and hi is not None and lo > hi:
        raise CorpusError(f"date_from {date_from} is after date_to {date_to}: the filter keeps nothing. "
                          f"Swap them.")
    return lo, hi


def date_mask(df: pd.DataFrame, date_from=None, date_to=None) -> pd.Series:
    """Whether each row's ``date`` lies in the inclusive range of :func:`date_bounds`.

    >>> df = pd.DataFrame({"date": pd.to_datetime(["2016-06-30 12:00", "2016-07-31 23:00"])})
    >>> date_mask(df, "2016-07", "2016-07").tolist()
    [False, True]
    """
    lo, hi = date_bounds(date_from, date_to)
    mask = pd.Series(True, index=df.index)
    if lo is not None:
        mask &= df["date"] >= lo
    if hi is not None:
        mask &= df["date"] <= hi
    return mask


def filter_articles(
    df: pd.DataFrame,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    sections: Sequence[str] | None = None,
    where: Mapping[str, str | Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Keep articles within ``[date_from, date_to]`` (inclusive; ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``,
    see :func:`date_bounds`), in ``sections``, and whose header columns hold one of the values in
    ``where`` (``{"publisher": ["New York Times", "Politico"]}``; case-insensitive, like sections).

    Raises :class:`CorpusError` when ``date_from`` is after ``date_to``, or when ``where`` names a
    column the articles do not have.

    >>> arts = pd.DataFrame({"date": pd.to_datetime(["2016-01-01"] * 3), "section": [None] * 3,
    ...                      "publisher": ["Politico", "New York Times", "Breitbart"]})
    >>> filter_articles(arts, where={"publisher": ["new york times", "Politico"]})["publisher"].tolist()
    ['Politico', 'New York Times']
    """
    mask = date_mask(df, date_from, date_to)
    if sections:
        wanted = {s.lower() for s in sections}
        mask &= df["section"].fillna("").str.lower().isin(wanted)
    if where is not None and not isinstance(where, Mapping):
        raise CorpusError(f"where must map header columns to values, e.g. {{'publisher': ['Politico']}}, "
                          f"not {where!r}")
    for col, vals in (where or {}).items():
        if col not in df.columns:
            raise CorpusError(f"where: the articles have no column {col!r}; header columns: "
                              f"{', '.join(c for c in df.columns if c not in _NOT_HEADER) or 'none'}")
        wanted = {v.lower() for v in _values(vals)}
        mask &= df[col].astype("object").fillna("").astype(str).str.lower().isin(wanted).to_numpy()
    out = df[mask]
    out.attrs = dict(df.attrs)
    return out


def group_column(articles: pd.DataFrame, *, candidates: Sequence[str] = ("section", "publisher", "agency")
                 ) -> str | None:
    """The header column to split the coverage by: the first of ``candidates`` that holds at
    least two different values (sections; else publishers, as in PolNeAR; else wire agencies), or
    ``None`` when there is nothing to split by. Every notebook splits by the same column.

    >>> group_column(pd.DataFrame({"section": [None, None], "publisher": ["Politico", "NYT"]}))
    'publisher'
    >>> group_column(pd.DataFrame({"section": ["World", "World"]})) is None
    True
    """
    for col in candidates:
        if col in articles.columns and articles[col].dropna().nunique() >= 2:
            return col
    return None


def _values(vals: str | Sequence[str]) -> list[str]:
    return [vals] if isinstance(vals, str) else [str(v) for v in vals]


#: Loader columns that are not article headers (``where`` filters on the others).
_NOT_HEADER = frozenset({"article_id", "path", "body", "text_offset", "text_length", "content_hash",
                         "duplicate_of", "warnings", "words", "size", "mtime"})


def rejects(articles_or_path) -> pd.DataFrame:
    """The rejects table (``path``, ``line``, ``reason``) of a load.

    >>> articles = load_corpus("data/sample")   # doctest: +SKIP
    >>> rejects(articles)                        # doctest: +SKIP
    """
    if isinstance(articles_or_path, pd.DataFrame):
        rows = articles_or_path.attrs.get("rejects", [])
        df = pd.DataFrame(rows, columns=REJECT_COLUMNS)
        df["line"] = df["line"].astype("Int64")
        return df
    return rejects(load_corpus(articles_or_path))


def text(articles: pd.DataFrame) -> pd.Series:
    """The clean text of each article: the body without the repeated title and the wire line.

    >>> text(articles).str.len().describe()   # doctest: +SKIP
    """
    return pd.Series(
        [b[o:o + n] for b, o, n in zip(articles["body"], articles["text_offset"], articles["text_length"])],
        index=articles.index, name="text", dtype=object,
    )


# --------------------------------------------------------------------------- notebook paths
def resolve_corpus(path: str | os.PathLike) -> str:
    """Where a notebook's ``corpus`` parameter points, whatever the working directory.

    ``"sample"`` (or ``""``) is the bundled sample, ``config.SAMPLE_CORPUS``. A path (or glob) that
    exists as given is kept; a relative one that exists only under ``config.PROJECT_ROOT``
    (``"data/sample"`` run from ``notebooks/``) is taken from there; anything else is returned
    unchanged so that :func:`load_corpus` can say what is wrong.

    >>> resolve_corpus("sample") == str(config.SAMPLE_CORPUS)
    True
    >>> resolve_corpus("data/sample") == str(config.PROJECT_ROOT / "data" / "sample")  # doctest: +SKIP
    True
    """
    p = os.fspath(path).strip()
    if p in ("", "sample"):
        return str(config.SAMPLE_CORPUS)
    p = os.path.expanduser(p)
    if _glob.has_magic(p):
        if _glob.glob(p, recursive=True) or os.path.isabs(p):
            return p
        alt = os.path.join(str(config.PROJECT_ROOT), p)
        return alt if _glob.glob(alt, recursive=True) else p
    if os.path.lexists(p) or os.path.isabs(p):
        return p
    alt = config.PROJECT_ROOT / p
    return str(alt) if os.path.lexists(alt) else p
