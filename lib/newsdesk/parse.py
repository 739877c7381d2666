"""Parsing: the decoded text of a file into article rows, and a chunk of files into one Arrow table.

A file holds one or more articles, each starting at its own ``## Title:`` line, then header
lines, a blank line and the body (see :mod:`newsdesk.corpus`). The usual file takes the quick
route :func:`_parse_plain`; anything else goes to :func:`parse_text`, which notes every oddity
and turns what cannot be read into a :class:`~newsdesk.records.Reject` with its line.

>>> recs, rejs = parse_text("## Title: A\\n## Date: 2017-05-12\\n\\nA\\nWords here.\\n", "a.txt")
>>> recs[0]["title"], str(recs[0]["date"]), rejs
('A', '2017-05-12 00:00:00', [])
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import logging
import os
import re
from pathlib import Path
from typing import Sequence

from . import config
from . import resources as R
from .decode import _plain_utf8, decode, read_bytes
from .records import ARTICLE_COLUMNS, Reject
from .text import span_and_agency

__all__ = ["parse_date", "content_hash", "parse_text", "parse_file", "parse_chunk", "records_table"]

log = logging.getLogger("newsdesk")

_RESERVED = set(ARTICLE_COLUMNS) | {"text"}
_STANDARD_HEADERS = {"title", "supertitle", "section", "date"}


# --------------------------------------------------------------------------- dates
def parse_date(value: str) -> tuple[dt.datetime, str | None]:
    """Parse a ``## Date:`` value. Returns ``(datetime, warning or None)``; raises ``ValueError``.

    >>> parse_date("Friday, May 12, 2017 - 01:00")
    (datetime.datetime(2017, 5, 12, 1, 0), None)
    >>> parse_date("2017-05-12")[0]
    datetime.datetime(2017, 5, 12, 0, 0)
    >>> parse_date("Monday, May 12, 2017 - 01:00")[1]
    'weekday Monday contradicts 2017-05-12, a Friday; the date is kept'

    A time with a UTC offset is converted to UTC (the weekday is checked against the date as
    written); a date without one is kept as written:

    >>> parse_date("2017-05-12T01:00+14:00")[0]
    datetime.datetime(2017, 5, 11, 11, 0)
    >>> parse_date("Friday, May 12, 2017 - 01:00 GMT-05:00")[0]
    datetime.datetime(2017, 5, 12, 6, 0)
    """
    return _parse_date(value)


#: The first and last whole seconds pandas can hold (``pd.Timestamp.min``/``max``, which fall
#: inside a second): a parsed date has whole seconds, so it fits exactly when it lies in between.
_FIRST_SECOND = dt.datetime(1677, 9, 21, 0, 12, 44)
_LAST_SECOND = dt.datetime(2262, 4, 11, 23, 47, 16)


@functools.lru_cache(maxsize=8192)   # an archive repeats its date lines: each is parsed once
def _parse_date(value: str) -> tuple[dt.datetime, str | None]:
    if len(value) > 100:
        raise ValueError(f"date value is {len(value):,} characters long, not a date")
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
    local = when
    tz = m.groupdict().get("tz")
    if tz:
        when = when - _utc_offset(tz, value)
    if not _FIRST_SECOND <= when <= _LAST_SECOND:
        raise ValueError(f"date {value.strip()!r} outside the supported range 1677-2262")
    warning = None
    if weekday is not None:
        wd = R.WEEKDAYS.get(weekday.lower())
        if wd is None:
            warning = f"unknown weekday {weekday!r}; the date is kept"
        elif wd != local.weekday():
            warning = (f"weekday {weekday} contradicts {local:%Y-%m-%d}, a "
                       f"{calendar.day_name[local.weekday()]}; the date is kept")
    return when, warning


def _utc_offset(tz: str, value: str) -> dt.timedelta:
    """``+14:00``, ``-0500``, ``+2``, ``GMT+2``, ``Z``, ``UTC`` as a timedelta east of UTC."""
    t = tz.upper().removeprefix("UTC").removeprefix("GMT")
    if t in ("", "Z"):
        return dt.timedelta(0)
    sign = -1 if t[0] == "-" else 1
    digits = t[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    if minutes >= 60 or hours > 14 or hours * 60 + minutes > 14 * 60:
        raise ValueError(f"impossible UTC offset {tz!r} in date {value.strip()!r} (offsets run from -14:00 to +14:00)")
    return sign * dt.timedelta(hours=hours, minutes=minutes)


# --------------------------------------------------------------------------- articles
_NON_KEY_RE = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=1024)
def _header_key(key: str) -> str:
    k = _NON_KEY_RE.sub("_", key.strip().lower()).strip("_")
    return f"header_{k}" if k in _RESERVED and k not in _STANDARD_HEADERS else k


def _article_id(relpath: str, index: int) -> str:
    return hashlib.sha1(f"{relpath}#{index}".encode("utf-8")).hexdigest()[:16]


def content_hash(title: str, date: str, body: str | bytes) -> str:
    """SHA-1 of title, date and body: equal for exact duplicates, used as the store key.
    ``body`` may be given as its UTF-8 bytes (the loader's quick route), with the same hash.

    >>> content_hash("T", "2017-05-12", "Grüße") == content_hash("T", "2017-05-12", "Grüße".encode())
    True
    """
    # each part followed by \x1f (one encoding of the whole instead of three)
    if isinstance(body, bytes):
        h = hashlib.sha1(f"{title}\x1f{date}\x1f".encode("utf-8", "surrogatepass"))
        h.update(body)
        h.update(b"\x1f")
        return h.hexdigest()
    return hashlib.sha1(f"{title}\x1f{date}\x1f{body}\x1f".encode("utf-8", "surrogatepass")).hexdigest()


def parse_text(text: str, relpath: str, *, encoding_warning: str | None = None
               ) -> tuple[list[dict], list[Reject]]:
    """Parse the decoded text of one file into article records and rejects.

    Records hold every column but ``words``, which :func:`records_table` counts for many
    articles at once.
    """
    starts = _title_offsets(text)
    rejects: list[Reject] = []
    if not starts:
        lines = text.split("\n", 20)[:20]
        if any(R.HEADER_RE.match(ln) for ln in lines):
            reason = "headers without a '## Title:' line"
        elif not text.strip():
            reason = "empty file (white space only)"
        else:
            reason = "no '## Title:' header: not a seed-format article"
        return [], [Reject(relpath, 1, reason)]
    first_line = text.count("\n", 0, starts[0]) + 1
    if text[: starts[0]].strip():
        rejects.append(Reject(relpath, 1, f"{first_line - 1} line(s) of text before the first '## Title:' were skipped"))
    records = []
    for n, s in enumerate(starts):
        last = n + 1 == len(starts)
        chunk = text[s:] if last else text[s:starts[n + 1] - 1]   # without the \n before the next title
        rec, problem = _parse_article(chunk, relpath, n, first_line)
        if problem:
            rejects.append(Reject(relpath, first_line, problem))
        else:
            if encoding_warning:
                rec["warnings"] = "; ".join(w for w in (encoding_warning, rec["warnings"]) if w)
            records.append(rec)
        if not last:
            first_line += chunk.count("\n") + 1
    cap = config.MAX_REJECTS_PER_FILE
    if len(rejects) > cap:  # a garbage file must not flood the rejects table; the count is kept
        more = rejects[cap:]
        rejects = rejects[:cap] + [Reject(relpath, more[0].line, f"{len(more):,} more problems in this file from "
                                          f"line {more[0].line} on (only the first {cap} are listed)")]
    return records, rejects


def _title_offsets(text: str) -> list[int]:
    """Offsets of the lines that start an article (``## Title:``)."""
    out = [0] if R.TITLE_AT_RE.match(text) else []
    find, match = text.find, R.TITLE_AT_RE.match
    i = find("\n##")
    while i >= 0:
        if match(text, i + 1):
            out.append(i + 1)
        i = find("\n##", i + 3)
    return out


def _parse_article(chunk: str, relpath: str, index: int, first_line: int) -> tuple[dict | None, str | None]:
    headers: dict[str, str] = {}
    where: dict[str, int] = {}
    notes: list[str] = []
    pos, i, n = 0, 0, len(chunk)
    while True:                                      # the header lines, then the line after them
        nl = chunk.find("\n", pos)
        line = chunk[pos:] if nl < 0 else chunk[pos:nl]
        m = R.HEADER_RE.match(line)
        if not m:
            break
        key = _header_key(m.group(1))
        if key not in headers:
            headers[key] = m.group(2).strip()
            where[key] = first_line + i
        else:
            notes.append(f"repeated '## {m.group(1).strip()}:' header (line {first_line + i}) ignored")
        i += 1
        if nl < 0:
            pos = -1                                 # nothing after the headers
            break
        pos = nl + 1
    if pos < 0:
        body_at = n
    elif line.strip() == "":                         # the blank line that ends the header block
        body_at = n if nl < 0 else nl + 1
    else:
        notes.append(f"no blank line after the header block (line {first_line + i}); "
                     f"the body starts there")
        body_at = pos
    for k, v in headers.items():
        if len(v) > config.MAX_HEADER_CHARS:
            return None, (f"header '{k}' is {len(v):,} characters long (line {where[k]}; "
                          f"limit {config.MAX_HEADER_CHARS:,}): a malformed header block")
    body = chunk[body_at:]
    title = headers.get("title", "")
    if not title:
        return None, "empty '## Title:'"
    if "date" not in headers:
        return None, "missing '## Date:' header"
    if not headers["date"]:
        return None, f"empty '## Date:' (line {where['date']})"
    try:
        when, warning = parse_date(headers["date"])
    except ValueError as exc:
        return None, f"bad '## Date:' (line {where['date']}): {exc}"
    if warning:
        notes.append(f"{warning} (line {where['date']})")
    warning = "; ".join(notes) or None
    if not body or body.isspace():
        return None, "header only: the article has no body"
    start, end, agency = span_and_agency(body, title)
    rec = {
        "article_id": _article_id(relpath, index),
        "path": relpath,
        "title": title,
        "supertitle": headers.get("supertitle") or None,
        "section": headers.get("section") or None,
        "date": when,
        "agency": agency,
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


#: The fields of a row of :func:`_parse_plain`, in order (``words`` is counted per chunk).
_ROW_COLUMNS = [c for c in ARTICLE_COLUMNS if c != "words"]
_HEADER_LINES_RE = re.compile(R.HEADER_RE.pattern, re.MULTILINE)


def _parse_plain(text: str, data: bytes, relpath: str) -> tuple[tuple, dict, str] | None:
    """The usual file, parsed the quick way: one article whose header lines all match, a blank
    line after them, a known date, a body. Returns ``(row, extra headers, clean text)``, the row
    holding :data:`_ROW_COLUMNS` with the body as UTF-8 bytes, exactly as :func:`parse_text`
    parses it; ``None`` for anything else (which :func:`parse_text` then parses, with its notes
    and rejects). ``text`` is ``data`` decoded with nothing changed (the fast decoding route).
    """
    end = text.find("\n\n")
    if end < 0:
        return None
    head = text[:end]
    pairs = _HEADER_LINES_RE.findall(head)
    # every line of the block is a header, the first a title line, and no line after the block
    # starts with "##" (a title line there starts another article); with unique keys (below), no
    # other header line is a title line either
    if len(pairs) != head.count("\n") + 1 or not R.TITLE_AT_RE.match(text) or text.find("\n##", end) >= 0:
        return None
    headers: dict[str, str] = {}
    for k, v in pairs:
        key = _header_key(k)
        v = v.strip()
        if key in headers or len(v) > config.MAX_HEADER_CHARS:
            return None                      # a repeated or overlong header: parse_text notes it
        headers[key] = v
    title, date = headers.get("title"), headers.get("date")
    if not title or not date:
        return None
    try:
        when, warning = parse_date(date)
    except ValueError:
        return None
    if warning:
        return None
    body = text[end + 2:]
    if not body or body.isspace():
        return None
    start, stop, agency = span_and_agency(body, title)
    at = end + 2 if head.isascii() else len(head.encode("utf-8")) + 2
    body_bytes = data[at:]
    extra = {k: v or None for k, v in headers.items() if k not in _STANDARD_HEADERS}
    row = (_article_id(relpath, 0), relpath, title, headers.get("supertitle") or None,
           headers.get("section") or None, when, agency, body_bytes, start, stop - start,
           content_hash(title, date, body_bytes), None, None)
    return row, extra, body[start:stop]


def _parse_one(path: str, relpath: str) -> tuple[list, list[Reject]]:
    """Read and parse one file for the loader: ``(rows, rejects)``, each row ``(row, extra
    headers, clean text)`` as :func:`_parse_plain` gives them (the usual file), or from the
    records of :func:`parse_text`. Never raises (see :func:`parse_file`)."""
    data, rejected = _read(path, relpath)
    if data is None:
        return [], rejected
    return _parse_read(data, relpath)


def _parse_read(data: bytes, relpath: str) -> tuple[list, list[Reject]]:
    text = _plain_utf8(data)
    if text is not None:
        try:
            got = _parse_plain(text, data, relpath)
        except Exception:  # the general parser below reports what is wrong
            got = None
        if got is not None:
            return [got], []
    records, rejects = _parse_data(data, relpath, text)
    return [_row_of(r) for r in records], rejects


def _row_of(rec: dict) -> tuple[tuple, dict, str]:
    """A record of :func:`parse_text` as a row of :func:`_parse_one`."""
    body = rec["body"]
    row = tuple(body.encode("utf-8") if c == "body" else rec[c] for c in _ROW_COLUMNS)
    extra = {k: v for k, v in rec.items() if k not in ARTICLE_COLUMNS}
    return row, extra, body[rec["text_offset"]:rec["text_offset"] + rec["text_length"]]

def parse_file(path: str | os.PathLike, relpath: str | None = None) -> tuple[list[dict], list[Reject]]:
    """Read and parse one file. Never raises: problems become rejects with a specific reason.

    >>> recs, rejs = parse_file("/nonexistent.txt")
    >>> rejs[0].reason
    'broken symlink or file removed during the load'
    """
    rel = relpath or Path(path).name
    data, rejected = _read(path, rel)
    return ([], rejected) if data is None else _parse_data(data, rel)


def _read(path, rel: str) -> tuple[bytes | None, list[Reject]]:
    """``(bytes, [])`` of the file, or ``(None, [its reject])``."""
    return _guarded(rel, lambda: read_bytes(path))


def _parse_data(data: bytes, rel: str, text: str | None = None) -> tuple[list[dict], list[Reject]]:
    """:func:`parse_file` of bytes already read (``text``: already decoded by :func:`_plain_utf8`)."""
    def parse():
        decoded, warning = (text, None) if text is not None else decode(data)
        return parse_text(decoded, rel, encoding_warning=warning)
    got, rejects = _guarded(rel, parse)
    return got if got is not None else ([], rejects)


def _guarded(rel: str, work):
    """``(work(), [])``, or ``(None, [the reject])`` when it fails: a known problem
    (``ValueError`` with the reason), memory, or a bug (logged), so that one file never loses
    the others."""
    try:
        return work(), []
    except ValueError as exc:
        reason = str(exc)
    except MemoryError:
        reason = "out of memory while parsing this file: split it or load with fewer jobs"
    except Exception as exc:  # a bug in the loader must not lose the rest of the corpus
        log.exception("internal error parsing %s", rel)
        reason = f"internal error (please report it): {type(exc).__name__}: {exc}"
    return None, [Reject(rel, None, reason)]



# --------------------------------------------------------------------------- a chunk of files as Arrow
def parse_chunk(items: list[tuple[str, str, int, int]]):
    """Parse a chunk of files ``(abspath, relpath, size, mtime_ns)`` into one Arrow table
    (compact to send back from a worker), with each row's file size and mtime (for the load
    cache): ``(table or None, rejects)``.

    >>> parse_chunk([("/nonexistent.txt", "x.txt", 0, 0)])[1][0].reason
    'broken symlink or file removed during the load'
    """
    import numpy as np
    import pyarrow as pa

    from .parallel import gc_paused

    rows: list = []
    rejs: list[Reject] = []
    per_file = np.zeros(len(items), dtype=np.int64)
    stats = np.array([it[2:] for it in items], dtype=np.int64).reshape(-1, 2)
    with gc_paused():
        for k, (abspath, rel, _, _) in enumerate(items):
            r, j = _parse_one(abspath, rel)
            rows.extend(r)
            rejs.extend(j)
            per_file[k] = len(r)
    if not rows:
        return None, rejs
    rows_stats = stats.repeat(per_file, axis=0)
    table = _rows_table(rows)
    return (table.append_column("_size", pa.array(rows_stats[:, 0]))
            .append_column("_mtime_ns", pa.array(rows_stats[:, 1])), rejs)


#: Arrow types of the article columns (every other column is ``large_string``).
_ARROW_TYPES = {"date": "timestamp[ns]", "words": "int64", "text_offset": "int64", "text_length": "int64"}


def records_table(records: list[dict]):
    """Records of :func:`parse_text` as an Arrow table: :data:`ARTICLE_COLUMNS`, then extra
    headers sorted, strings as ``large_string``; ``words`` is counted here for all at once.

    >>> recs, _ = parse_text("## Title: A\\n## Date: 2017-05-12\\n\\nA\\nWords here.\\n", "a.txt")
    >>> records_table(recs).column("words").to_pylist()
    [2]
    """
    return _rows_table([_row_of(r) for r in records])


def _rows_table(rows: list):
    """Rows of :func:`_parse_one` as the Arrow table of :func:`records_table`."""
    import pyarrow as pa

    from .text import count_words_many

    fields = dict(zip(_ROW_COLUMNS, zip(*(r[0] for r in rows))))
    extra = sorted({k for r in rows for k in r[1]})
    cols = {}
    for c in ARTICLE_COLUMNS:
        if c == "words":
            cols[c] = pa.array(count_words_many([r[2] for r in rows]), pa.int64())
        elif c == "body":   # UTF-8 already: joined once, with no encoding again
            cols[c] = _utf8_column(fields[c])
        else:
            cols[c] = pa.array(fields[c], pa.type_for_alias(_ARROW_TYPES.get(c, "large_string")))
    for c in extra:
        cols[c] = pa.array([r[1].get(c) for r in rows], pa.large_string())
    return pa.table(cols)


def _utf8_column(values: Sequence[bytes]):
    """Valid UTF-8 byte strings as a ``large_string`` Arrow array, made of one join of them (half
    the time of ``pa.array``, which grows its buffer as it goes).

    >>> _utf8_column([b"a", "\u00e9".encode(), b""]).to_pylist()
    ['a', 'é', '']
    """
    import numpy as np
    import pyarrow as pa

    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, values), dtype=np.int64, count=len(values)), out=offsets[1:])
    return pa.Array.from_buffers(pa.large_string(), len(values),
                                 [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(values))])
