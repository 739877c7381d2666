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

>>> import newsdesk as nd
>>> articles = nd.load_corpus("data/sample")          # doctest: +SKIP
>>> articles[["title", "section", "date", "agency"]].head()   # doctest: +SKIP
"""
from __future__ import annotations

import calendar
import datetime as dt
import glob as _glob
import hashlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pandas as pd

from . import config
from . import resources as R
from .text import content_span, count_words, wire_agency

log = logging.getLogger("newsdesk")

#: Columns every articles frame has, in order; extra ``## Key:`` headers follow them.
ARTICLE_COLUMNS = [
    "article_id", "path", "title", "supertitle", "section", "date", "agency", "words",
    "body", "text_offset", "text_length", "content_hash", "duplicate_of", "warnings",
]
REJECT_COLUMNS = ["path", "line", "reason"]
_RESERVED = set(ARTICLE_COLUMNS) | {"text"}
_STANDARD_HEADERS = {"title", "supertitle", "section", "date"}


class CorpusError(Exception):
    """A problem with the corpus as a whole, or (``strict=True``) with one input."""


@dataclass
class Reject:
    path: str
    line: int | None
    reason: str


# --------------------------------------------------------------------------- dates
def parse_date(value: str) -> tuple[dt.datetime, str | None]:
    """Parse a ``## Date:`` value. Returns ``(datetime, warning or None)``; raises ``ValueError``.

    >>> parse_date("Friday, May 12, 2017 - 01:00")
    (datetime.datetime(2017, 5, 12, 1, 0), None)
    >>> parse_date("2017-05-12")[0]
    datetime.datetime(2017, 5, 12, 0, 0)
    >>> parse_date("Monday, May 12, 2017 - 01:00")[1]
    'weekday Monday contradicts 2017-05-12, a Friday; the date is kept'
    """
    v = " ".join(value.replace("\u00a0", " ").split())
    if not v:
        raise ValueError("empty date")
    m = R.DATE_ISO_RE.match(v)
    weekday = None
    if m:
        year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
    else:
        m = R.DATE_LONG_RE.match(v) or R.DATE_DMY_RE.match(v)
        if not m:
            raise ValueError(f"unrecognised date {value.strip()!r} (expected e.g. 'Friday, May 12, 2017 - 01:00' or '2017-05-12')")
        month = R.MONTHS.get(m["month"].lower())
        if month is None:
            raise ValueError(f"unknown month {m['month']!r} in date {value.strip()!r}")
        year, day = int(m["year"]), int(m["day"])
        weekday = m["weekday"]
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} out of range in date {value.strip()!r}")
    hour = int(m["hour"]) if m["hour"] else 0
    minute = int(m["minute"]) if m["minute"] else 0
    second = int(m["second"]) if m["second"] else 0
    try:
        when = dt.datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise ValueError(f"impossible date {value.strip()!r}: {exc}") from None
    if not pd.Timestamp.min <= pd.Timestamp(when) <= pd.Timestamp.max:
        raise ValueError(f"date {value.strip()!r} outside the supported range 1677-2262")
    warning = None
    if weekday is not None:
        wd = R.WEEKDAYS.get(weekday.lower())
        if wd is None:
            warning = f"unknown weekday {weekday!r}; the date is kept"
        elif wd != when.weekday():
            warning = (f"weekday {weekday} contradicts {when:%Y-%m-%d}, a "
                       f"{calendar.day_name[when.weekday()]}; the date is kept")
    return when, warning


# --------------------------------------------------------------------------- decoding
def decode(data: bytes) -> tuple[str, str | None]:
    """Decode file bytes: UTF-8 (BOM optional), else cp1252 with a warning.

    Raises ``ValueError`` for binary data. Line ends are normalised to ``\\n``.
    """
    if not data:
        raise ValueError("empty file")
    if b"\x00" in data[:65536] or data[:5] == b"%PDF-":
        raise ValueError("binary file (NUL bytes or a PDF), not text")
    warning = None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("cp1252", errors="replace")
        warning = f"not valid UTF-8 (byte {exc.start}); decoded as cp1252"
    sample = text[:65536]
    if sample and len(R.CONTROL_CHARS_RE.findall(sample)) > 0.01 * len(sample):
        raise ValueError("binary file (control characters), not text")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warning


# --------------------------------------------------------------------------- parsing
def _header_key(key: str) -> str:
    k = re.sub(r"[^0-9a-z]+", "_", key.strip().lower()).strip("_")
    return f"header_{k}" if k in _RESERVED and k not in _STANDARD_HEADERS else k


def _article_id(relpath: str, index: int) -> str:
    return hashlib.sha1(f"{relpath}#{index}".encode("utf-8")).hexdigest()[:16]


def content_hash(title: str, date: str, body: str) -> str:
    """SHA-1 of title, date and body: equal for exact duplicates, used as the store key."""
    h = hashlib.sha1()
    for part in (title, date, body):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


def parse_text(text: str, relpath: str, *, encoding_warning: str | None = None
               ) -> tuple[list[dict], list[Reject]]:
    """Parse the decoded text of one file into article records and rejects."""
    lines = text.split("\n")
    starts = [i for i, ln in enumerate(lines) if R.TITLE_LINE_RE.match(ln)]
    rejects: list[Reject] = []
    if not starts:
        if any(R.HEADER_RE.match(ln) for ln in lines[:20]):
            reason = "headers without a '## Title:' line"
        elif not text.strip():
            reason = "empty file (white space only)"
        else:
            reason = "no '## Title:' header: not a seed-format article"
        return [], [Reject(relpath, 1, reason)]
    lead = "\n".join(lines[: starts[0]]).strip()
    if lead:
        rejects.append(Reject(relpath, 1, f"{starts[0]} line(s) of text before the first '## Title:' were skipped"))
    records = []
    for n, s in enumerate(starts):
        e = starts[n + 1] if n + 1 < len(starts) else len(lines)
        rec, problem = _parse_article(lines[s:e], relpath, n, s + 1)
        if problem:
            rejects.append(Reject(relpath, s + 1, problem))
            continue
        if encoding_warning:
            rec["warnings"] = "; ".join(w for w in (encoding_warning, rec["warnings"]) if w)
        records.append(rec)
    return records, rejects


def _parse_article(lines: list[str], relpath: str, index: int, first_line: int) -> tuple[dict | None, str | None]:
    headers: dict[str, str] = {}
    i = 0
    while i < len(lines):
        m = R.HEADER_RE.match(lines[i])
        if not m:
            break
        key = _header_key(m.group(1))
        if key not in headers:
            headers[key] = m.group(2).strip()
        i += 1
    if i < len(lines) and lines[i].strip() == "":
        i += 1
    elif i < len(lines):
        return None, f"header block not followed by a blank line (line {first_line + i})"
    body = "\n".join(lines[i:])
    title = headers.get("title", "")
    if not title:
        return None, "empty '## Title:'"
    if "date" not in headers or not headers["date"]:
        return None, "missing '## Date:' header"
    try:
        when, warning = parse_date(headers["date"])
    except ValueError as exc:
        return None, f"bad '## Date:' (line {first_line + list(headers).index('date')}): {exc}"
    if not body.strip():
        return None, "header only: the article has no body"
    start, end = content_span(body, title)
    rec = {
        "article_id": _article_id(relpath, index),
        "path": relpath,
        "title": title,
        "supertitle": headers.get("supertitle") or None,
        "section": headers.get("section") or None,
        "date": when,
        "agency": wire_agency(body),
        "words": count_words(body[start:end]),
        "body": body,
        "text_offset": start,
        "text_length": end - start,
        "content_hash": content_hash(title, headers["date"], body),
        "duplicate_of": None,
        "warnings": warning,
    }
    for k, v in headers.items():
        if k not in _STANDARD_HEADERS:
            rec[k] = v or None
    return rec, None


def parse_file(path: str | os.PathLike, relpath: str | None = None) -> tuple[list[dict], list[Reject]]:
    """Read and parse one file. Never raises for bad content: problems become rejects."""
    p = Path(path)
    rel = relpath or p.name
    try:
        with open(p, "rb") as fh:
            data = fh.read()
    except PermissionError:
        return [], [Reject(rel, None, "unreadable: permission denied")]
    except IsADirectoryError:
        return [], [Reject(rel, None, "a directory, not a file")]
    except OSError as exc:
        return [], [Reject(rel, None, f"unreadable: {exc.strerror or exc}")]
    try:
        text, warning = decode(data)
    except ValueError as exc:
        return [], [Reject(rel, None, str(exc))]
    return parse_text(text, rel, encoding_warning=warning)


# --------------------------------------------------------------------------- discovery
@dataclass
class SourceFile:
    abspath: str
    relpath: str
    size: int
    mtime_ns: int


def discover(path: str | os.PathLike) -> tuple[str, list[SourceFile], list[Reject]]:
    """Find the input files: a directory (recursive ``*.txt``), one file, or a glob.

    Returns ``(root, files, rejects)``; files are sorted by relative path.
    """
    spath = os.fspath(path)
    rejects: list[Reject] = []
    if _glob.has_magic(spath):
        base = spath
        while _glob.has_magic(base):
            base = os.path.dirname(base)
        root = os.path.abspath(base or ".")
        candidates = sorted(_glob.glob(spath, recursive=True))
        if not candidates:
            raise CorpusError(f"no files match {spath!r}. Check the pattern, e.g. 'archive/**/*.txt'.")
        entries = [(os.path.abspath(c), os.path.relpath(os.path.abspath(c), root)) for c in candidates]
    elif os.path.isdir(spath):
        root = os.path.abspath(spath)
        entries = list(_walk(root, rejects))
    elif os.path.lexists(spath):
        root = os.path.abspath(os.path.dirname(spath) or ".")
        entries = [(os.path.abspath(spath), os.path.basename(spath))]
    else:
        raise CorpusError(
            f"corpus path {spath!r} does not exist. Pass a folder of .txt articles, one file or a glob; "
            f"the bundled sample is {config.SAMPLE_CORPUS}."
        )
    files = []
    for abspath, rel in entries:
        try:
            st = os.stat(abspath)
        except OSError as exc:
            reason = "symlink loop" if getattr(exc, "errno", None) == 40 else (
                "broken symlink" if os.path.islink(abspath) else f"cannot stat: {exc.strerror or exc}")
            rejects.append(Reject(rel, None, reason))
            continue
        if os.path.isdir(abspath):
            rejects.append(Reject(rel, None, "a directory, not a file")) if _glob.has_magic(spath) else None
            continue
        files.append(SourceFile(abspath, rel, st.st_size, st.st_mtime_ns))
    files.sort(key=lambda f: f.relpath)
    return root, files, rejects


def _walk(root: str, rejects: list[Reject]) -> Iterator[tuple[str, str]]:
    def onerror(exc: OSError):
        rel = os.path.relpath(exc.filename, root) if exc.filename else "?"
        rejects.append(Reject(rel, None, f"cannot list directory: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=False):
        dirnames.sort()
        for d in dirnames:
            full = os.path.join(dirpath, d)
            if os.path.islink(full) and d.lower().endswith(".txt"):
                rejects.append(Reject(os.path.relpath(full, root), None, "symlinked directory not followed"))
        for f in sorted(filenames):
            if f.lower().endswith(".txt"):
                full = os.path.join(dirpath, f)
                yield full, os.path.relpath(full, root)


# --------------------------------------------------------------------------- frames
def _records_frame(records: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records) if records else pd.DataFrame(columns=ARTICLE_COLUMNS)
    for c in ARTICLE_COLUMNS:
        if c not in df.columns:
            df[c] = None
    extra = sorted(c for c in df.columns if c not in ARTICLE_COLUMNS)
    df = df[ARTICLE_COLUMNS + extra]
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    for c in df.columns:
        if c not in ("date", "words", "text_offset", "text_length"):
            df[c] = df[c].astype("str")  # missing values are NaN, never ""
    for c in ("words", "text_offset", "text_length"):
        df[c] = df[c].astype("int64")
    return df


def rejects_frame(rejects: Iterable[Reject]) -> pd.DataFrame:
    rows = [(r.path, r.line, r.reason) for r in rejects]
    df = pd.DataFrame(rows, columns=REJECT_COLUMNS)
    df["line"] = df["line"].astype("Int64")
    return df


def mark_duplicates(df: pd.DataFrame) -> pd.DataFrame:
    """Fill ``duplicate_of`` with the id of the first article (by path) having the same title, date and body."""
    first = df.groupby("content_hash", sort=False)["article_id"].transform("first")
    dup = first.where(first != df["article_id"])
    df["duplicate_of"] = dup.astype("str")
    return df


def _parse_many(files: Sequence[SourceFile], jobs: int, progress: bool) -> tuple[list[dict], list[Reject]]:
    from .parallel import map_chunks

    out_records: list[dict] = []
    out_rejects: list[Reject] = []
    items = [(f.abspath, f.relpath) for f in files]
    for recs, rejs in map_chunks(_parse_chunk, items, jobs=jobs, progress=progress, desc="parsing"):
        out_records.extend(recs)
        out_rejects.extend(rejs)
    return out_records, out_rejects


def _parse_chunk(items: list[tuple[str, str]]) -> tuple[list[dict], list[Reject]]:
    recs: list[dict] = []
    rejs: list[Reject] = []
    for abspath, rel in items:
        r, j = parse_file(abspath, rel)
        recs.extend(r)
        rejs.extend(j)
    return recs, rejs


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
    :class:`CorpusError` on the first problem instead. Results are cached (see ``config.CACHE_DIR``)
    by each file's path, size and mtime; ``cache=False`` re-parses everything.

    >>> articles = load_corpus("data/sample")                            # doctest: +SKIP
    >>> articles.groupby("section").size()                                # doctest: +SKIP
    """
    from .cache import load_cached

    jobs = config.default_jobs() if jobs is None else max(1, int(jobs))
    root, files, discover_rejects = discover(path)
    records, rejects_list = load_cached(root, files, jobs=jobs, progress=progress, use_cache=cache,
                                        parse=_parse_many)
    rejects_list = discover_rejects + rejects_list
    if strict and rejects_list:
        r = rejects_list[0]
        where = f"{r.path}" + (f", line {r.line}" if r.line else "")
        raise CorpusError(f"{where}: {r.reason}")
    df = _records_frame(records)
    df = df.sort_values(["path", "article_id"], kind="stable").reset_index(drop=True) if len(df) else df
    df = mark_duplicates(df)
    rej = rejects_frame(rejects_list)
    if len(df) == 0 and not files:
        raise CorpusError(f"corpus {os.fspath(path)!r} holds no .txt files. Point it at a folder of seed-format articles.")
    df = filter_articles(df, date_from=date_from, date_to=date_to, sections=sections)
    df.attrs["corpus"] = os.fspath(path)
    df.attrs["root"] = root
    df.attrs["n_files"] = len(files)
    df.attrs["rejects"] = rej.to_dict("records")
    msg = f"{os.fspath(path)}: {len(df):,} articles from {len(files):,} files, {len(rej):,} rejected"
    n_warn = int(df["warnings"].notna().sum()) if len(df) else 0
    if n_warn:
        msg += f", {n_warn:,} with warnings"
    log.info(msg)
    return df


def filter_articles(
    df: pd.DataFrame,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    sections: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Keep articles within ``[date_from, date_to]`` (inclusive, whole days) and in ``sections``.

    Raises :class:`CorpusError` when ``date_from`` is after ``date_to``.

    >>> filter_articles(articles, date_from="2017-01-01", sections=["World"])  # doctest: +SKIP
    """
    lo = pd.Timestamp(date_from) if date_from else None
    hi = pd.Timestamp(date_to) if date_to else None
    if lo is not None and hi is not None and lo > hi:
        raise CorpusError(f"date_from {date_from} is after date_to {date_to}: swap them.")
    mask = pd.Series(True, index=df.index)
    if lo is not None:
        mask &= df["date"] >= lo
    if hi is not None:
        if hi == hi.normalize():
            hi = hi + pd.Timedelta(days=1) - pd.Timedelta(1)
        mask &= df["date"] <= hi
    if sections:
        wanted = {s.lower() for s in sections}
        mask &= df["section"].fillna("").str.lower().isin(wanted)
    out = df[mask]
    out.attrs = dict(df.attrs)
    return out


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
