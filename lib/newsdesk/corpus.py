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
import codecs
import datetime as dt
import errno
import functools
import glob as _glob
import hashlib
import itertools
import logging
import os
import re
import stat as _stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

import pandas as pd

from . import config
from . import resources as R
from .text import span_and_agency

log = logging.getLogger("newsdesk")
config.use_arrow_pool()   # jemalloc: see config.ARROW_MEMORY_POOL

#: Columns every articles frame has, in order; extra ``## Key:`` headers follow them.
ARTICLE_COLUMNS = [
    "article_id", "path", "title", "supertitle", "section", "date", "agency", "words",
    "body", "text_offset", "text_length", "content_hash", "duplicate_of", "warnings",
]
REJECT_COLUMNS = ["path", "line", "reason"]
_RESERVED = set(ARTICLE_COLUMNS) | {"text"}
_STANDARD_HEADERS = {"title", "supertitle", "section", "date"}


class CorpusError(ValueError):
    """A problem with the corpus as a whole, or (``strict=True``) with one input.

    ``rejects`` holds the rejects table of the load when there is one (for example when every
    file was rejected), so that nothing is lost even when the load fails.
    """

    def __init__(self, message: str, *, rejects: pd.DataFrame | None = None):
        super().__init__(message)
        self.rejects = rejects


class UnreadableCorpusError(CorpusError):
    """Every input was rejected: ``rejects`` lists why."""


@dataclass
class Reject:
    path: str
    line: int | None
    reason: str


class Unlisted(Reject):
    """A file that a listing without ``stat`` passed on but that discovery would not have listed
    (a broken symlink, a FIFO, ...): its reject belongs with discovery's (``reason`` ``None``: a
    folder, skipped without a reject as discovery skips it)."""


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


# --------------------------------------------------------------------------- decoding
_UNDEFINED_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


_fallback_state = threading.local()
_HIGH_BYTES = bytes(range(128, 256))
_MAX_STRAY_BYTES = 100_000


def _cp1252_for_bad_utf8(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: read the bytes UTF-8 rejects as cp1252, and count them."""
    st = _fallback_state
    if st.first is None:
        st.first = exc.start
    st.count += exc.end - exc.start
    return exc.object[exc.start:exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("newsdesk-cp1252", _cp1252_for_bad_utf8)


def _decode_fallback(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not valid UTF-8: per byte UTF-8 where valid, cp1252 elsewhere."""
    stripped, n_seq = R.UTF8_MULTIBYTE_RE.subn(b"", data)
    n_stray = len(stripped) - len(stripped.translate(None, _HIGH_BYTES))
    if n_seq and n_stray <= _MAX_STRAY_BYTES:
        # mostly UTF-8 with stray bytes (mixed encodings): keep every valid UTF-8 sequence and
        # read the stray bytes as cp1252; otherwise the file is legacy cp1252 throughout
        st = _fallback_state
        st.first, st.count = None, 0
        text = data.decode("utf-8", errors="newsdesk-cp1252")
        what = (f"mixed encodings: {st.count:,} byte(s) not valid UTF-8 (first at line "
                f"{_line_of(data, st.first or 0)}) were decoded as cp1252")
    else:
        try:
            data.decode("utf-8")
            first_bad = 0
        except UnicodeDecodeError as exc:
            first_bad = exc.start
        text = data.decode("cp1252", errors="replace")
        what = f"not valid UTF-8 (line {_line_of(data, first_bad)}); decoded as cp1252"
    n_undef = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    if n_undef > 0:
        what += f"; {n_undef:,} undecodable byte(s) replaced by U+FFFD"
    return text, what


def _sniff_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when ``data`` looks like BOM-less UTF-16 text, else ``None``."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return None
    odd, even = head[1::2], head[0::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode file bytes. Returns ``(text, warning or None)``; raises ``ValueError`` with the reason.

    UTF-8 (with or without BOM) and UTF-16/32 with a byte-order mark decode silently. Anything
    else falls back with a warning naming the first bad line: a file that is valid UTF-8 except
    for stray bytes keeps its UTF-8 and reads the stray bytes as cp1252; a file with no UTF-8 at
    all is read as cp1252; bytes undefined even in cp1252 become U+FFFD and are counted in the
    warning. BOM-less UTF-16 is recognised by its NUL pattern. Binary data (NUL bytes, control
    characters, known file signatures such as PDF or ZIP) is rejected. Line ends become ``\\n``.

    >>> decode("café".encode("cp1252"))
    ('café', 'not valid UTF-8 (line 1); decoded as cp1252')
    >>> decode(b"\\xef\\xbb\\xbfa\\r\\nb")
    ('a\\nb', None)
    """
    if not data:
        raise ValueError("empty file (0 bytes)")
    text = _plain_utf8(data)
    if text is not None:
        return text, None
    warning = None
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            data = data[len(bom):]
            if enc != "utf-8":
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError as exc:
                    raise ValueError(f"starts with a {enc.upper()} byte-order mark but is not valid "
                                     f"{enc.upper()} (byte {exc.start + len(bom)})") from None
                return _finish(text, None)
            break
    for sig, what in R.BINARY_SIGNATURES.items():
        if data.startswith(sig):
            raise ValueError(f"binary file ({what}), not text")
    if data.find(b"\x00", 0, 65536) >= 0:
        enc = _sniff_utf16(data)
        if enc:
            try:
                return _finish(data.decode(enc), f"decoded as {enc.upper()} (no byte-order mark)")
            except (UnicodeDecodeError, ValueError):
                pass
        n = data[:65536].count(0)
        raise ValueError(f"binary file ({n:,} NUL byte(s), first at line {_line_of(data, data.index(0))}), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, warning = _decode_fallback(data)
        return _finish(text, warning)
    return _finish(text, warning, no_controls=len(data.translate(None, R.CONTROL_BYTES)) == len(data))


def _plain_utf8(data: bytes) -> str | None:
    """``data`` decoded when it is the common case, else ``None``: it starts like an article (no
    byte-order mark, no file signature), holds no NUL, control character or carriage return, and
    is valid UTF-8; such text needs no other check, and is ``data`` character for character."""
    if data[:1] == b"#" and len(data.translate(None, R.NOT_IN_PLAIN_TEXT_BYTES)) == len(data):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return None


def _finish(text: str, warning: str | None, *, no_controls: bool = False) -> tuple[str, str | None]:
    sample = text[:65536]
    if sample and not no_controls and R.CONTROL_CHARS_RE.search(sample):
        n = len(R.CONTROL_CHARS_RE.findall(sample))
        if n > 0.01 * len(sample):
            raise ValueError(f"binary file ({n:,} control characters in the first {len(sample):,}), not text")
    if "\x00" in text:
        raise ValueError("NUL characters in the text, not a text file")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warning


# --------------------------------------------------------------------------- parsing
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


def _parse_unlisted(path: str, relpath: str) -> tuple[list, list[Reject], tuple[int, int]]:
    """:func:`_parse_one` of a file that discovery listed without a ``stat`` (a cold load of a
    folder, see :func:`discover`): ``(rows, rejects, (size, mtime_ns))``, the stat being the
    ``fstat`` of the file read. When it cannot be read, discovery's own check decides: what it
    would not have listed comes back as an :class:`Unlisted` reject (``(-1, -1)`` stat)."""
    got, rejected = _guarded(relpath, lambda: _read_stat(path))
    if got is None:
        verdict = _stat_verdict(path, relpath, is_glob=False)
        if not isinstance(verdict, os.stat_result):
            return [], [Unlisted(relpath, None, verdict.reason if verdict else None)], (-1, -1)
        return [], rejected, (verdict.st_size, verdict.st_mtime_ns)
    data, st = got
    rows, rejects = _parse_read(data, relpath)
    return rows, rejects, (st.st_size, st.st_mtime_ns)


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


def _not_regular(mode: int) -> str:
    kinds = [(_stat.S_ISFIFO, "a named pipe (FIFO)"), (_stat.S_ISSOCK, "a socket"),
             (_stat.S_ISCHR, "a character device"), (_stat.S_ISBLK, "a block device")]
    what = next((name for test, name in kinds if test(mode)), "not a regular file")
    return f"{what}, not a regular file: not read"


def _too_large(size: int) -> str:
    mb = config.MAX_FILE_BYTES / 2**20
    return (f"file too large ({size / 2**20:,.1f} MB, limit {mb:,.0f} MB): not read. Split it into "
            f"one file per article or raise newsdesk.config.MAX_FILE_BYTES")


def read_bytes(path: str | os.PathLike) -> bytes:
    """The bytes of a regular file of at most ``config.MAX_FILE_BYTES``; raises ``ValueError``
    (with the reject reason) for anything else. Never blocks on a pipe or device."""
    return _read_stat(path)[0]


def _read_stat(path: str | os.PathLike) -> tuple[bytes, os.stat_result]:
    """:func:`read_bytes`, with the ``fstat`` of the file it read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise ValueError("unreadable: permission denied. Make the file readable (chmod a+r) "
                         "or remove it from the corpus") from None
    except IsADirectoryError:
        raise ValueError("a directory, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ValueError("symlink loop: the link points (via other links) back to itself") from None
        if exc.errno == errno.ENOENT:
            raise ValueError("broken symlink or file removed during the load") from None
        raise ValueError(f"unreadable: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if _stat.S_ISDIR(st.st_mode):
            raise ValueError("a directory, not a file")
        if not _stat.S_ISREG(st.st_mode):
            raise ValueError(_not_regular(st.st_mode))
        if st.st_size > config.MAX_FILE_BYTES:
            raise ValueError(_too_large(st.st_size))
        limit, parts, got = config.MAX_FILE_BYTES + 1, [], 0
        while got < limit:                           # until end of file (a file may grow meanwhile)
            want = min(limit - got, max(st.st_size + 1 - got, 1 << 16))
            chunk = os.read(fd, want)
            parts.append(chunk)
            got += len(chunk)
            if len(chunk) < want:                    # a short read of a regular file: end of file
                break
        data = parts[0] if len(parts) == 1 else b"".join(parts)
        if len(data) > config.MAX_FILE_BYTES:  # it grew while we read it
            raise ValueError(_too_large(len(data)))
        return data, st
    except OSError as exc:
        raise ValueError(f"unreadable: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


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


# --------------------------------------------------------------------------- discovery
@dataclass(slots=True)
class SourceFile:
    abspath: str
    relpath: str
    size: int
    mtime_ns: int


class SourceFiles(Sequence[SourceFile]):
    """The input files of a corpus, sorted by relative path, kept column by column: one string
    per file and two NumPy arrays, rather than an object per file (a warm load is mostly this
    list; a fresh process pays for every page of memory it touches first).

    ``relpaths`` are as shown and stored (:func:`display_path`); ``sizes`` and ``mtimes`` are
    ``int64`` arrays (bytes, nanoseconds). Indexing gives a :class:`SourceFile`; a slice or an
    array of positions gives another :class:`SourceFiles`.

    >>> files = SourceFiles("/data", ["a.txt", "b/c.txt"], [10, 20], [1, 2])
    >>> files[1].abspath, len(files[1:])
    ('/data/b/c.txt', 1)
    """

    __slots__ = ("root", "relpaths", "sizes", "mtimes", "_raw", "walk")

    def __init__(self, root: str, relpaths: list[str], sizes, mtimes, raw: dict[int, str] | None = None):
        import numpy as np

        self.root = root
        self.relpaths = relpaths
        self.sizes = np.asarray(sizes, dtype=np.int64)
        self.mtimes = np.asarray(mtimes, dtype=np.int64)
        self._raw = raw or {}     # position -> the name on disk, where it is not valid UTF-8
        self.walk = None          # discovery's: each file's place in the walk, when not sorted so

    def __len__(self) -> int:
        return len(self.relpaths)

    def abspath(self, i: int) -> str:
        return os.path.join(self.root, self._raw.get(i, self.relpaths[i]))

    def __getitem__(self, key):
        import numpy as np

        if isinstance(key, slice):
            key = np.arange(len(self))[key]
        if isinstance(key, (int, np.integer)):
            i = int(key) + (len(self) if key < 0 else 0)
            return SourceFile(self.abspath(i), self.relpaths[i], int(self.sizes[i]), int(self.mtimes[i]))
        pos = np.asarray(key, dtype=np.int64)
        rel = self.relpaths
        raw = {k: self._raw[int(i)] for k, i in enumerate(pos) if int(i) in self._raw} if self._raw else None
        return SourceFiles(self.root, [rel[i] for i in pos.tolist()], self.sizes[pos], self.mtimes[pos], raw)

    def __iter__(self) -> Iterator[SourceFile]:
        return (self[i] for i in range(len(self)))

    def items(self) -> list[tuple[str, str, int, int]]:
        """``(abspath, relpath, size, mtime_ns)`` of each file."""
        return list(zip((self.abspath(i) for i in range(len(self))), self.relpaths,
                        self.sizes.tolist(), self.mtimes.tolist()))


def display_path(rel: str) -> str:
    """``rel`` made printable and storable: bytes that are not UTF-8 (on POSIX, file names are
    bytes) appear as ``\\xNN`` escapes.

    >>> display_path("caf\\udce9.txt")
    'caf\\\\xe9.txt'
    """
    if rel.isascii():
        return rel
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def discover(path: str | os.PathLike, *, stat: bool = True, follow_external_links: bool = False
             ) -> tuple[str, SourceFiles, list[Reject]]:
    """Find the input files: a directory (recursive ``*.txt``), one file, or a glob.

    Returns ``(root, files, rejects)``; files (:class:`SourceFiles`) are sorted by relative
    path. Symlinked folders are
    followed once each (a link back into the walk is a "symlink loop" reject); a symlinked *file*
    is followed, and one that loops or dangles becomes a reject. Hidden folders and files (names
    starting with ``.``: ``.ipynb_checkpoints``, macOS ``._*``) are not read; each is listed as a
    reject. Version-control folders (``.git``, ...) are skipped silently. Raises :class:`CorpusError` when
    ``path`` does not exist or a glob matches nothing.

    ``stat=False`` lists the ``*.txt`` names of a folder without a ``stat`` each (a cold load:
    the parser learns size and mtime from the file it reads, and rejects what this would have
    rejected as :class:`Unlisted`); their sizes and mtimes are -1.

    A symlink (file or folder) whose target resolves outside the corpus root (the folder, or a
    glob's fixed part; both resolved through links) is a reject, ``links outside the corpus``,
    unless ``follow_external_links=True``. Only entries that are symlinks are resolved (the
    directory listing says which), so this costs nothing per ordinary file. A single file named
    as the corpus is read wherever it points: it was named explicitly.
    """
    from .parallel import gc_paused

    with gc_paused():
        return _discover(path, stat, follow_external_links)


EXTERNAL_LINK_REASON = ("links outside the corpus: not read (its target is outside the corpus folder); "
                        "load with follow_external_links=True (newsdesk ... --follow-external-links) to read it")
"""The reject reason of a symlink whose target resolves outside the corpus root."""


def _inside(real: str, real_root: str) -> bool:
    """Is the resolved path ``real`` the resolved root ``real_root`` or under it?"""
    return real == real_root or real.startswith(real_root if real_root.endswith(os.sep) else real_root + os.sep)


def _outside_link(folder: str, root: str, real_root: str) -> str | None:
    """The first symlinked folder on the way from ``root`` to ``folder`` that resolves outside
    ``real_root`` (relative to ``root``), or None."""
    cur = root
    for part in os.path.relpath(folder, root).split(os.sep):
        if part in ("", ".", ".."):
            return None
        cur = os.path.join(cur, part)
        if os.path.islink(cur) and _links_outside(cur, real_root):
            return os.path.relpath(cur, root)
    return None


def _links_outside(path: str, real_root: str) -> bool:
    """True when the symlink ``path`` resolves to an existing target outside ``real_root``
    (a broken link or a loop is left to the usual rejects)."""
    return not _inside(os.path.realpath(path), real_root) and os.path.exists(path)


def _stat_verdict(abspath: str, rel: str, *, is_glob: bool) -> os.stat_result | Reject | None:
    """Discovery's decision on one path: its ``stat`` when it is a regular file (symlinks
    followed), a reject, or ``None`` for a folder that is skipped without one."""
    try:
        st = os.stat(abspath)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            reason = "symlink loop: the link points (via other links) back to itself"
        elif os.path.islink(abspath):
            reason = f"broken symlink (points to {os.readlink(abspath)!r}, which does not exist)"
        else:
            reason = f"cannot stat: {exc.strerror or exc}"
        return Reject(display_path(rel), None, reason)
    if _stat.S_ISREG(st.st_mode):
        return st
    if _stat.S_ISDIR(st.st_mode):
        return Reject(display_path(rel), None, "a directory, not a file (matched by the glob)") if is_glob else None
    return Reject(display_path(rel), None, _not_regular(st.st_mode))


def _discover(path: str | os.PathLike, stat: bool = True, follow_external_links: bool = False
              ) -> tuple[str, SourceFiles, list[Reject]]:
    import array

    spath = os.path.expanduser(os.fspath(path))
    rejects: list[Reject] = []
    is_glob = _glob.has_magic(spath) and not os.path.lexists(spath)
    is_folder = False
    if is_glob:
        base = spath
        while _glob.has_magic(base):
            base = os.path.dirname(base)
        root = os.path.abspath(base or ".")
        candidates = sorted(_glob.glob(spath, recursive=True))
        if not candidates:
            raise CorpusError(f"no files match {spath!r}. Check the pattern (quote it in the shell), "
                              f"e.g. 'archive/**/*.txt'.")
        groups = []
        for c in candidates:
            rel = os.path.relpath(os.path.abspath(c), root)
            head, name = os.path.split(rel)
            groups.append((os.path.join(root, head, ""), head + os.sep if head else "", [name]))
    elif os.path.isdir(spath):
        root = os.path.abspath(spath)
        groups = list(_walk(root, rejects, follow_external_links=follow_external_links))  # walk rejects
        is_folder = True                                                                  # first, then stat
    elif os.path.lexists(spath):
        root = os.path.abspath(os.path.dirname(spath) or ".")
        groups = [(os.path.join(root, ""), "", [os.path.basename(spath)])]
    else:
        parent = os.path.dirname(os.path.abspath(spath))
        hint = "" if os.path.isdir(parent) else f" (its folder {parent} does not exist either)"
        raise CorpusError(
            f"corpus path {spath!r} does not exist{hint}. Pass a folder of .txt articles, one file "
            f"or a quoted glob; the bundled sample is {config.SAMPLE_CORPUS}."
        )
    rels: list[str] = []
    stats = array.array("q")            # size, mtime_ns of each file in turn
    raw: dict[int, str] = {}
    no_stat = not stat and is_folder
    # a glob's matches: lstat (the same cost as stat), so that a symlink shows itself and only
    # symlinks are resolved; a folder's links were judged by its walk, a named file is trusted
    check_links = is_glob and not follow_external_links
    real_root = os.path.realpath(root) if check_links else ""
    outside_dirs: dict[str, str | None] = {}     # folder -> the link taking it outside, or None
    stat_, is_reg = (os.lstat if check_links else os.stat), _stat.S_ISREG
    for dp, prefix, names in groups:
        if check_links:
            if dp not in outside_dirs:
                link = None if _inside(os.path.realpath(dp), real_root) else _outside_link(dp, root, real_root)
                if link is not None and link not in outside_dirs.values():
                    rejects.append(Reject(display_path(link), None, EXTERNAL_LINK_REASON))   # once per link
                outside_dirs[dp] = link
            if outside_dirs[dp] is not None:
                continue
        for name in names:
            if no_stat:
                size = mtime = -1
            else:
                try:
                    st = stat_(dp + name)
                    ok = is_reg(st.st_mode)    # the common case first: a warm load is this loop
                except OSError:
                    ok, st = False, None
                if check_links and st is not None and not ok and _stat.S_ISLNK(st.st_mode) \
                        and _links_outside(dp + name, real_root):
                    rejects.append(Reject(display_path(prefix + name), None, EXTERNAL_LINK_REASON))
                    continue
                if not ok:
                    verdict = _stat_verdict(dp + name, prefix + name, is_glob=is_glob)
                    if not isinstance(verdict, os.stat_result):
                        if verdict is not None:
                            rejects.append(verdict)
                        continue
                    st = verdict
                size, mtime = st.st_size, st.st_mtime_ns
            rel = prefix + name
            if not rel.isascii():
                shown = display_path(rel)
                if shown != rel:
                    raw[len(rels)] = rel
                    rel = shown
            rels.append(rel)
            stats.append(size)
            stats.append(mtime)
    import numpy as np

    st2 = np.frombuffer(stats, dtype=np.int64).reshape(-1, 2) if stats else np.zeros((0, 2), np.int64)
    files = SourceFiles(root, rels, st2[:, 0], st2[:, 1], raw)
    if any(a > b for a, b in zip(rels, itertools.islice(rels, 1, None))):    # the walk's order is not quite
        order = sorted(range(len(rels)), key=rels.__getitem__)              # by path ("a-b/" < "a/")
        files = files[order]
        files.walk = np.asarray(order, dtype=np.int64)
    return root, files, rejects


def _scan_walk(top: str, onerror) -> Iterator[tuple[str, list[str], list[str], set[str]]]:
    """``os.walk(top, followlinks=True)`` (top-down; the caller may prune ``dirnames``) that also
    yields the names in each folder that are symlinks, which the listing tells for free
    (``DirEntry.is_symlink()``: no extra ``stat``)."""
    stack = [top]
    while stack:
        dirpath = stack.pop()
        dirs: list[str] = []
        files: list[str] = []
        links: set[str] = set()
        try:
            with os.scandir(dirpath) as it:
                for entry in it:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    (dirs if is_dir else files).append(entry.name)
                    try:
                        if entry.is_symlink():
                            links.add(entry.name)
                    except OSError:
                        pass
        except OSError as exc:
            onerror(exc)
            continue
        yield dirpath, dirs, files, links
        stack.extend(os.path.join(dirpath, d) for d in reversed(dirs))


def _walk(root: str, rejects: list[Reject], *, follow_external_links: bool = False
          ) -> Iterator[tuple[str, str, list[str]]]:
    """Yield ``(folder + os.sep, its path relative to root + os.sep or "", names)`` for every
    folder under ``root`` that holds ``*.txt`` files, names sorted, following symlinked
    directories once each: a link back to a folder being walked is a reject ("symlink loop").
    A symlink (folder or ``*.txt``) resolving outside ``root`` is a reject
    (:data:`EXTERNAL_LINK_REASON`) unless ``follow_external_links``; only symlinks are resolved."""
    def rel(p: str) -> str:
        return display_path(os.path.relpath(p, root))

    def onerror(exc: OSError):
        where = rel(exc.filename) if exc.filename else "?"
        rejects.append(Reject(where, None, f"cannot list directory: {exc.strerror or exc}; "
                                           f"its files were not read"))

    real_root = os.path.realpath(root)
    seen: dict[tuple[int, int], str] = {}
    try:
        st = os.stat(root)
        seen[(st.st_dev, st.st_ino)] = root
    except OSError:
        pass
    for dirpath, dirnames, filenames, links in _scan_walk(root, onerror):
        dirnames.sort()
        keep = []
        for d in dirnames:
            full = os.path.join(dirpath, d)
            if d in R.VCS_DIRS:
                continue
            if d.startswith("."):
                rejects.append(Reject(rel(full), None, "hidden folder not read (e.g. .ipynb_checkpoints): "
                                                       "pass it as the corpus path to load it"))
                continue
            if d in links and not follow_external_links and _links_outside(full, real_root):
                rejects.append(Reject(rel(full), None, EXTERNAL_LINK_REASON))
                continue
            try:
                st = os.stat(full)
            except OSError as exc:
                reason = ("symlink loop" if exc.errno == errno.ELOOP else f"cannot stat: {exc.strerror or exc}")
                rejects.append(Reject(rel(full), None, reason))
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen:
                first = "the corpus folder itself" if seen[key] == root else rel(seen[key])
                real = os.path.realpath(full)
                if os.path.realpath(dirpath + os.sep).startswith(real.rstrip(os.sep) + os.sep) or \
                        os.path.realpath(dirpath) == real:
                    reason = f"symlink loop: links back to {first}; not walked again"
                else:
                    reason = (f"symlinked directory already read as {first}; not read twice" if d in links
                              else f"directory already read through the symlink {first}; not read twice")
                rejects.append(Reject(rel(full), None, reason))
                continue
            seen[key] = full
            keep.append(d)
        dirnames[:] = keep
        # dirpath is root or lies under it: build paths by concatenation (os.path.relpath per
        # file dominated warm loads)
        dp = dirpath if dirpath.endswith(os.sep) else dirpath + os.sep
        base = dirpath[len(root):].strip(os.sep)
        prefix = base + os.sep if base else ""
        txt = sorted(f for f in filenames if f[-4:].lower() == ".txt")
        names = []
        for f in txt:
            if f[0] == ".":
                rejects.append(Reject(display_path(prefix + f), None,
                                      "hidden file not read (macOS '._' metadata or an editor's backup)"))
            elif f in links and not follow_external_links and _links_outside(dp + f, real_root):
                rejects.append(Reject(display_path(prefix + f), None, EXTERNAL_LINK_REASON))
            else:
                names.append(f)
        if names:
            yield dp, prefix, names


# --------------------------------------------------------------------------- frames
def rejects_frame(rejects: Iterable[Reject]) -> pd.DataFrame:
    rows = [(r.path, r.line, r.reason) for r in rejects]
    df = pd.DataFrame(rows, columns=REJECT_COLUMNS)
    df["line"] = df["line"].astype("Int64")
    return df


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


def _parse_many(files: SourceFiles, jobs: int, progress: bool) -> tuple[list, list[Reject], list[Unlisted]]:
    """Parse ``files`` on ``jobs`` processes: ``(Arrow tables of articles, rejects, unlisted)``.
    Each table also has the ``_size`` and ``_mtime_ns`` of every row's file, for the load cache;
    the sizes and mtimes of files listed without a stat are filled in ``files`` (see
    :func:`discover`), and what discovery would not have listed comes back as ``unlisted``."""
    from .parallel import map_chunks
    from .text import count_words_many

    count_words_many(["\u00e9"])   # a non-ASCII text builds the look-up table here, once, not in every worker
    tables: list = []
    out_rejects: list[Reject] = []
    unlisted: list[Unlisted] = []
    pos = 0
    for table, rejs, stats in map_chunks(_parse_chunk, files.items(), jobs=jobs, progress=progress,
                                         desc="parsing"):
        if table is not None:
            tables.append(table)
        files.sizes[pos:pos + len(stats)] = stats[:, 0]
        files.mtimes[pos:pos + len(stats)] = stats[:, 1]
        pos += len(stats)
        for r in rejs:
            (unlisted if isinstance(r, Unlisted) else out_rejects).append(r)
    return tables, out_rejects, unlisted


def _parse_chunk(items: list[tuple[str, str, int, int]]):
    """Parse a chunk of files ``(abspath, relpath, size, mtime_ns)`` into one Arrow table
    (compact to send back from a worker), with each row's file size and mtime: ``(table or None,
    rejects, each file's (size, mtime_ns))``. A size of -1: listed without a stat (see
    :func:`_parse_unlisted`)."""
    import numpy as np
    import pyarrow as pa

    from .parallel import gc_paused

    rows: list = []
    rejs: list[Reject] = []
    per_file = np.zeros(len(items), dtype=np.int64)
    stats = np.array([it[2:] for it in items], dtype=np.int64).reshape(-1, 2)
    with gc_paused():
        for k, (abspath, rel, size, _) in enumerate(items):
            if size < 0:
                r, j, stats[k] = _parse_unlisted(abspath, rel)
            else:
                r, j = _parse_one(abspath, rel)
            rows.extend(r)
            rejs.extend(j)
            per_file[k] = len(r)
    if not rows:
        return None, rejs, stats
    rows_stats = stats.repeat(per_file, axis=0)
    table = _rows_table(rows)
    return (table.append_column("_size", pa.array(rows_stats[:, 0]))
            .append_column("_mtime_ns", pa.array(rows_stats[:, 1])), rejs, stats)


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


def _cache_file_ready(root: str) -> bool:
    """Is there a load cache for the corpus at ``root`` (once a write of it in progress is done)?"""
    from . import cache

    path = cache.corpus_cache_file(root)
    cache.wait(path)
    return path.exists()


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
    from .cache import load_cached

    lo, hi = date_bounds(date_from, date_to)  # a bad filter fails before any work
    jobs = config.default_jobs() if jobs is None else max(1, int(jobs))
    shown = os.fspath(path)
    spath = os.path.expanduser(os.fspath(path))
    # a cold load of a folder lists its files without a stat each: the parser stats what it reads
    cold = os.path.isdir(spath) and not (cache and _cache_file_ready(os.path.abspath(spath)))
    if follow_external_links is None:
        follow_external_links = config.follow_external_links()
    root, files, discover_rejects = discover(path, stat=not cold, follow_external_links=follow_external_links)
    if not files and not discover_rejects:
        raise CorpusError(
            f"corpus {shown!r} is empty: no .txt files in it or its subfolders. Point it at a folder "
            f"of seed-format articles ('## Title:' header lines, see the README)."
        )
    df, rejects_list, unlisted = load_cached(root, files, jobs=jobs, progress=progress, use_cache=cache,
                                             parse=_parse_many)
    n_files = len(files) - len(unlisted)
    if unlisted:                    # discovery's rejects, in the order its walk would have found them
        order = {rel: i for i, rel in enumerate(files.relpaths)}
        walk = files.walk if files.walk is not None else range(len(files))
        unlisted.sort(key=lambda r: walk[order[r.path]])
        discover_rejects = discover_rejects + [Reject(r.path, r.line, r.reason) for r in unlisted if r.reason]
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


# --------------------------------------------------------------------------- notebook paths (sample.py / overview owner)
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
