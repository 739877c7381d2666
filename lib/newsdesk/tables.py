"""Tables for reading: the one way from a table to HTML, escaped by construction.

Every table a notebook shows goes through :func:`show`. Whatever it formats (numbers, dates,
percentages) and whatever look it adds (right-aligned columns, a hidden index, a caption), every
cell, every row and column label and every index name is HTML-escaped *after* formatting, so a
title such as ``<style onload=...>`` or ``</textarea>`` in a corpus is shown as the text it is.
Its look comes from CSS classes (``nd-table``, ``nd-right``) that the report template styles;
no style reaches the HTML from the data.

A report makes every such table interactive (search, sort, pages, a CSV of every row): the table
also offers the mimetype :data:`MIMETYPE`, its rows as formatted text and its CSV as data (see
:func:`interactive`), which ``newsdesk.explore`` turns into the report's table. Notebooks in
JupyterLab show the HTML table as before.

>>> t = show(pd.DataFrame({"title": ["<b>x</b>"], "share": [0.25]}), formats={"share": "{:.0%}"})
>>> html = t.to_html()
>>> "&lt;b&gt;x&lt;/b&gt;" in html and "<b>" not in html and "25%" in html
True
"""
from __future__ import annotations

import functools
import html as _html
import math
import os
import uuid
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from . import config
from .text import large_strings, utf8_buffers

__all__ = ["TABLE_CLASS", "RIGHT_CLASS", "MIMETYPE", "CSV_CHUNK_ROWS", "text_of", "Table", "interactive", "show",
           "write_csv"]

Format = str | Callable[[Any], Any] | None
"""A cell format: a ``str.format`` pattern (``"{:.1%}"``), a function of the value, or None
for the default (see :func:`text_of`)."""

TABLE_CLASS = "nd-table"
"""The class of every table :func:`show` writes (the report template styles it)."""
RIGHT_CLASS = "nd-right"
"""The class of cells :func:`show` right-aligns."""
MIMETYPE = "application/vnd.newsdesk.table+json"
"""The output type of a table's interactive form (:func:`interactive`); only a report renders it."""


def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict, set)) else False
    except (TypeError, ValueError):
        return False


def text_of(value: Any, fmt: Format = None, *, na: str = "") -> str:
    """``value`` as the plain text a table shows (not yet escaped).

    The default: floats with three decimals, whole numbers as they are (a whole float too, in a
    column of mixed values: ``8.0`` as ``8``), ``True``/``False`` as ``yes``/``no``, a timestamp at
    midnight as its date (``2017-05-12``), else date and minutes; missing values as ``na``. (A
    float column gets one pattern for all its cells from :func:`show`, so that it stays aligned.)

    >>> text_of(0.12345), text_of(3), text_of(8.0), text_of(True), text_of(pd.Timestamp("2017-05-12")), text_of(None, na="-")
    ('0.123', '3', '8', 'yes', '2017-05-12', '-')
    >>> text_of(0.5, "{:.0%}"), text_of("a", str.upper)
    ('50%', 'A')
    """
    if _missing(value):
        return na
    if fmt is not None:
        try:
            out = fmt(value) if callable(fmt) else fmt.format(value)
        except (ValueError, TypeError):  # a pattern for numbers meeting a label: show it as it is
            out = value
        return str(out)
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.3f}"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}" if value == value.normalize() else f"{value:%Y-%m-%d %H:%M}"
    return str(value)


def _float_format(values: pd.Series, *, most: int = 3) -> str:
    """The fewest decimals (at most ``most``) that show every value of a column as ``most``
    decimals would: ``25.0, 14.7`` -> ``"{:,.1f}"``; one pattern per column keeps it aligned."""
    v = values.dropna().to_numpy(dtype=float)
    v = v[np.isfinite(v)]
    for d in range(most):
        if np.allclose(np.round(v, d), np.round(v, most), rtol=0, atol=1e-9):
            return f"{{:,.{d}f}}"
    return f"{{:,.{most}f}}"


def _escaped(fmt: Format, na: str) -> Callable[[Any], str]:
    def cell(value: Any) -> str:
        return _html.escape(text_of(value, fmt, na=na), quote=True)
    return cell


class Table(Styler):
    """What :func:`show` returns: a pandas ``Styler`` (its HTML, escaped, is what a notebook and a
    report show) whose plain-text form is the same table as text, for the executed notebook's
    ``text/plain`` and a terminal."""

    plain: str = ""
    interactive: Callable[[], dict] | None = None

    def __repr__(self) -> str:
        return self.plain

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:  # IPython adds text/html, text/plain
        return {MIMETYPE: self.interactive()} if self.interactive is not None else {}

    def _repr_pretty_(self, p, cycle) -> None:  # IPython's text/plain
        p.text(self.plain)


def _plain(df: pd.DataFrame, per_col: Mapping[Any, Format], index_format: Format, index: bool, na: str,
           notes: list[str]) -> str:
    shown = pd.DataFrame({i: [text_of(v, per_col[c], na=na) for v in df.iloc[:, i]] for i, c in enumerate(df.columns)},
                         index=df.index.map(lambda v: text_of(v, index_format)) if index_format is not None else df.index)
    shown.columns = df.columns
    text = shown.to_string(index=index) if len(df.columns) else ""
    return "\n".join([*notes, text]) if notes else text


def _label(value: Any) -> str:
    return " ".join(text_of(v) for v in value) if isinstance(value, tuple) else text_of(value)


def interactive(df: pd.DataFrame, *, formats: Mapping[Any, Format] | None = None, index: bool = False,
                index_format: Format = None,
                caption: str | None = None, na: str = "", filter_by: Any = None,
                context: Mapping[Any, tuple[Any, Any]] | None = None, hidden: Iterable[Any] = (),
                embed_rows: int | None = config.TABLE_EMBED_MAX_ROWS, name: str | None = None) -> dict:
    """The interactive form of a table (what a report renders with search, sort and pages), as
    JSON-ready data: ``columns`` (``name``, ``type`` ``num``/``text``, ``filter``, ``context``,
    ``hidden``), ``rows`` (each cell as the text the table shows, not escaped: the report's script
    writes it as text), ``total`` rows, a ``note`` when only the first ``embed_rows`` are
    embedded, ``caption``, ``name`` and ``csv``, the whole table with its raw values (or, when
    ``config.EXPORT_DIR_ENV`` names a folder, as a report's kernels have, ``csv_file``: the name
    of the file written there).

    Row labels become the first columns when ``index`` (never the ``0, 1, 2`` of a
    ``RangeIndex``). ``filter_by`` names a column the reader can filter by (a speaker);
    ``context`` maps a column to the two columns shown around it, dimmed, and hidden otherwise
    (a quote and the rest of its sentence); ``hidden`` columns are searched and in the CSV, not shown.

    >>> t = interactive(pd.DataFrame({"who": ["A", "B"], "n": [1.5, 2.0]}), formats={"n": "{:.1f}"}, filter_by="who")
    >>> t["rows"], [(c["name"], c["type"], c["filter"]) for c in t["columns"]], t["csv"].splitlines()[1]
    ([['A', '1.5'], ['B', '2.0']], [('who', 'text', True), ('n', 'num', False)], 'A,1.5')
    """
    formats = dict(formats or {})
    if index:
        names = [_label(n) if n is not None else "" for n in df.index.names]
        per_index = [index_format] * len(names)
        frame = df.reset_index(names=names, allow_duplicates=True)
    else:
        names, per_index, frame = [], [], df
    fmts = per_index + [formats.get(c) for c in df.columns]
    labels = names + [_label(c) for c in df.columns]
    frame = frame.set_axis(labels, axis=1)
    total = len(frame)
    shown = frame if embed_rows is None or total <= int(embed_rows) else frame.head(int(embed_rows))
    cells = [[text_of(v, fmts[i], na=na) for v in shown.iloc[:, i].tolist()] for i in range(len(labels))]
    keys = list(df.columns)
    ctx = {keys.index(k): (keys.index(a), keys.index(b)) for k, (a, b) in (context or {}).items()}
    hidden = {j for pair in ctx.values() for j in pair} | {keys.index(k) for k in hidden}
    columns = []
    for i, label in enumerate(labels):
        j = i - len(names)  # position among the frame's own columns (negative: a row label)
        dtype = frame.dtypes.iloc[i]
        col: dict[str, Any] = {
            "name": label,
            "type": "num" if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype) else "text",
            "filter": j >= 0 and filter_by is not None and keys[j] == filter_by,
        }
        if j in ctx:
            col["context"] = [ctx[j][0] + len(names), ctx[j][1] + len(names)]
        if j in hidden:
            col["hidden"] = True
        columns.append(col)
    note = ""
    if len(shown) < total:
        note = f"the first {len(shown):,} of {total:,} rows; the CSV holds all {total:,}"
    return {"name": name or "", "caption": caption or "", "columns": columns,
            "rows": [list(r) for r in zip(*cells)] if cells else [[] for _ in range(len(shown))],
            "total": total, "note": note, "page": config.TABLE_PAGE_ROWS, **_csv(frame)}


def _csv(frame: pd.DataFrame) -> dict[str, str]:
    folder = os.environ.get(config.EXPORT_DIR_ENV)
    if not folder:
        return {"csv": frame.to_csv(index=False)}
    from .atomic import atomic_path

    name = f"{uuid.uuid4().hex}.csv"
    os.makedirs(folder, exist_ok=True)
    with atomic_path(os.path.join(folder, name)) as tmp:
        write_csv(frame, tmp)
    return {"csv_file": name}


#: Rows formatted at a time by :func:`write_csv`'s Arrow route: its memory stays flat.
CSV_CHUNK_ROWS = 200_000


def write_csv(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write ``frame`` as ``frame.to_csv(path, index=False)`` does, byte for byte.

    A frame of text, integer and date-time columns (the quote explorer's every quote, 546 MB at
    200,000 articles) is formatted by Arrow a chunk of rows at a time, about three times faster;
    any other frame, and text Arrow cannot hold, is handed to pandas.

    >>> import tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> write_csv(pd.DataFrame({"who": ["Ann", 'Bo "B", Jr'], "n": [1, 2]}), path)
    >>> open(path).read()
    'who,n\\nAnn,1\\n"Bo ""B"", Jr",2\\n'
    """
    import pyarrow as pa

    kinds = _csv_kinds(frame)
    if kinds is not None:
        try:
            with open(path, "wb") as fh:
                _write_lines(fh, _csv_line([_csv_quote(pa.array([str(c)])) for c in frame.columns]))  # the header
                for lo in range(0, len(frame), CSV_CHUNK_ROWS):
                    part = frame.iloc[lo:lo + CSV_CHUNK_ROWS]
                    _write_lines(fh, _csv_line([_csv_field(part.iloc[:, i], k) for i, k in enumerate(kinds)]))
            return
        except (pa.ArrowException, UnicodeError, TypeError, ValueError):
            pass                                    # e.g. a lone surrogate: pandas decides (it raises)
    frame.to_csv(path, index=False)


def _csv_kinds(frame: pd.DataFrame) -> list[str] | None:
    """Each column's kind for :func:`write_csv`'s Arrow route (``text``, ``int``, ``date`` or
    ``datetime``), or None when one is of a kind it does not format as pandas does."""
    if not len(frame.columns) or isinstance(frame.columns, pd.MultiIndex) or frame.columns.has_duplicates:
        return None
    kinds = []
    for c in frame.columns:
        col = frame[c]
        dt = col.dtype
        if isinstance(dt, np.dtype) and dt.kind in "iu":
            kinds.append("int")
        elif isinstance(dt, np.dtype) and dt.kind == "M":
            v = col.dropna()
            if not len(v) or (v == v.dt.normalize()).all():
                kinds.append("date")                 # pandas writes dates alone then
            elif (v == v.dt.floor("s")).all():
                kinds.append("datetime")
            else:
                return None                          # fractions of a second: pandas's own precision
        elif isinstance(dt, pd.StringDtype) or (dt == object and pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty")):
            kinds.append("text")
        else:
            return None
    return kinds


def _csv_field(col: pd.Series, kind: str):
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind == "int":
        return pc.cast(pa.array(col.to_numpy()), pa.large_string())
    if kind in ("date", "datetime"):    # NumPy's ISO text: what pandas writes, T for a space
        values = col.to_numpy(dtype="datetime64[s]" if kind == "datetime" else "datetime64[D]")
        text = np.char.replace(np.datetime_as_string(values), "T", " ") if kind == "datetime" else np.datetime_as_string(values)
        return pa.array(np.where(np.isnat(values), "", text), type=pa.large_string())
    return _csv_quote(pc.fill_null(large_strings(col), ""))


def _csv_quote(arr):
    """Text fields as Python's ``csv`` writes them for pandas: in double quotes (each one doubled)
    when they hold a comma, a double quote or a newline."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = large_strings(arr)
    need = _holding_bytes(arr, b',"\n')
    if not need.any():
        return arr
    need = pa.array(need)
    q, none = pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string())
    some = arr.filter(need)                         # only the fields to quote are rewritten
    return pc.replace_with_mask(arr, need, pc.binary_join_element_wise(q, pc.replace_substring(some, '"', '""'), q, none))


def _holding_bytes(arr, chars: bytes) -> np.ndarray:
    """Whether each string of ``arr`` (a large_string Array with no nulls) holds one of the ASCII
    ``chars``: one NumPy pass over its UTF-8 (an ASCII byte is never part of another character)."""
    offsets, buf = utf8_buffers(arr)
    data = np.frombuffer(buf, dtype=np.uint8) if buf is not None else np.zeros(0, np.uint8)
    data = data[int(offsets[0]):int(offsets[-1])]
    hit = np.zeros(len(data), dtype=bool)
    for c in chars:
        hit |= data == c
    out = np.zeros(len(arr), dtype=bool)
    at = np.flatnonzero(hit)
    if len(at):
        out[np.searchsorted(offsets - offsets[0], at, side="right") - 1] = True
    return out


def _csv_line(fields: list):
    """Each row's fields (``large_string`` arrays) joined by commas and ended by a newline; a row
    of one empty field is ``""``, as Python's ``csv`` writes it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(fields) == 1:
        row = pc.if_else(pc.equal(fields[0], ""), pa.scalar('""', pa.large_string()), fields[0])
    else:
        row = pc.binary_join_element_wise(*fields, pa.scalar(",", pa.large_string()))
    return pc.binary_join_element_wise(row, pa.scalar("\n", pa.large_string()), pa.scalar("", pa.large_string()))


def _write_lines(fh, lines) -> None:
    """The UTF-8 of an Arrow array of strings with no nulls, written as it lies in memory."""
    if not len(lines):
        return
    offsets, buf = utf8_buffers(lines)
    fh.write(memoryview(buf)[int(offsets[0]):int(offsets[-1])])


def show(
    table: pd.DataFrame | pd.Series,
    *,
    formats: Format | Mapping[Any, Format] = None,
    index_format: Format = None,
    right: Iterable[Any] = (),
    index: bool | None = None,
    caption: str | None = None,
    max_rows: int | None = config.TABLE_MAX_ROWS,
    na: str = "",
    filter_by: Any = None,
    context: Mapping[Any, tuple[Any, Any]] | None = None,
    hidden: Iterable[Any] = (),
    embed_rows: int | None = config.TABLE_EMBED_MAX_ROWS,
    name: str | None = None,
):
    """``table`` styled for reading, every cell and label escaped: a pandas ``Styler`` (a :class:`Table`).

    ``formats`` is one format for every cell or a mapping column -> format (a ``str.format``
    pattern or a function; see :func:`text_of`); ``index_format`` formats the row labels;
    ``right`` lists columns to right-align; ``index=False`` hides the row labels (by default
    they are hidden when they are only row numbers, a ``RangeIndex``); ``caption`` is
    shown above the table (as text). A table longer than ``max_rows`` shows its first rows and
    says so in the caption. The table itself is not changed.

    In a report the table is interactive and holds up to ``embed_rows`` rows (see
    :func:`interactive`, which also explains ``filter_by``, ``context`` and ``hidden``); ``name`` names its
    CSV file.

    >>> df = pd.DataFrame({"left": ["a <i>b</i>"], "match": ["$x$"]}, index=pd.Index([1], name="<n>"))
    >>> html = show(df, right=["left"], index=False, caption="<c>").to_html()
    >>> "<i>" in html, "&lt;i&gt;" in html, "&lt;c&gt;" in html, "nd-right" in html
    (False, True, True, True)
    """
    df = table.to_frame() if isinstance(table, pd.Series) else table
    full = df
    n = len(df)
    notes = [caption] if caption else []
    if max_rows is not None and n > int(max_rows):
        df = df.head(int(max_rows))
        notes.append(f"the first {int(max_rows):,} of {n:,} rows")
    styler = Table(df)
    if isinstance(formats, Mapping):
        per_col = {c: formats.get(c) for c in df.columns}
    else:
        per_col = {c: formats for c in df.columns}
    for i, col in enumerate(df.columns):
        if per_col[col] is None and pd.api.types.is_float_dtype(df.dtypes.iloc[i]):
            per_col[col] = _float_format(df.iloc[:, i])
        styler.format(_escaped(per_col[col], na), subset=pd.IndexSlice[:, [col]], escape=None)
    for axis, labels in ((0, df.index), (1, df.columns)):
        for level in range(labels.nlevels):
            styler.format_index(_escaped(index_format if axis == 0 else None, ""), axis=axis, level=level,
                                escape=None)
        styler.format_index_names(_escaped(None, ""), axis=axis, escape=None)
    wanted = set(right)
    cols = [c for c in df.columns if c in wanted]
    if cols and df.index.is_unique and df.columns.is_unique:  # (pandas puts classes on unique labels only)
        classes = pd.DataFrame("", index=df.index, columns=df.columns)
        classes[cols] = RIGHT_CLASS
        styler.set_td_classes(classes)
        # JupyterLab does not know the report's classes: the same alignment as a style (a report drops it)
        styler.set_properties(subset=cols, **{"text-align": "right"})
    if index is None:
        index = not isinstance(df.index, pd.RangeIndex)
    if not index:
        styler.hide(axis="index")
    if notes:
        styler.set_caption(_html.escape("; ".join(notes), quote=True))
    styler.set_table_attributes(f'class="{TABLE_CLASS}"')
    styler.plain = _plain(df, per_col, index_format, index, na, notes)
    full_formats = {c: per_col.get(c) for c in full.columns} if full.columns.is_unique else {}
    styler.interactive = functools.partial(
        interactive, full, formats=full_formats, index=bool(index), index_format=index_format, caption=caption, na=na, filter_by=filter_by,
        context=context, hidden=tuple(hidden), embed_rows=embed_rows, name=name)
    return styler
