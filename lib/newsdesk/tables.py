"""Tables for reading: the one way from a table to HTML, escaped by construction.

Every table a notebook shows goes through :func:`show`. Whatever it formats (numbers, dates,
percentages) and whatever look it adds (right-aligned columns, a hidden index, a caption), every
cell, every row and column label and every index name is HTML-escaped *after* formatting, so a
title such as ``<style onload=...>`` or ``</textarea>`` in a corpus is shown as the text it is.
Its look comes from CSS classes (``nd-table``, ``nd-right``) that the report template styles;
no style reaches the HTML from the data.

>>> t = show(pd.DataFrame({"title": ["<b>x</b>"], "share": [0.25]}), formats={"share": "{:.0%}"})
>>> html = t.to_html()
>>> "&lt;b&gt;x&lt;/b&gt;" in html and "<b>" not in html and "25%" in html
True
"""
from __future__ import annotations

import html as _html
import math
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from . import config

__all__ = ["TABLE_CLASS", "RIGHT_CLASS", "text_of", "Table", "show"]

Format = str | Callable[[Any], Any] | None
"""A cell format: a ``str.format`` pattern (``"{:.1%}"``), a function of the value, or None
for the default (see :func:`text_of`)."""

TABLE_CLASS = "nd-table"
"""The class of every table :func:`show` writes (the report template styles it)."""
RIGHT_CLASS = "nd-right"
"""The class of cells :func:`show` right-aligns."""


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

    The default: floats with three decimals, whole numbers as they are, a timestamp at midnight
    as its date (``2017-05-12``), else date and minutes; missing values as ``na``.

    >>> text_of(0.12345), text_of(3), text_of(pd.Timestamp("2017-05-12")), text_of(None, na="-")
    ('0.123', '3', '2017-05-12', '-')
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
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.3f}"
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

    def __repr__(self) -> str:
        return self.plain

    def _repr_pretty_(self, p, cycle) -> None:  # IPython's text/plain
        p.text(self.plain)


def _plain(df: pd.DataFrame, per_col: Mapping[Any, Format], index_format: Format, index: bool, na: str,
           notes: list[str]) -> str:
    shown = pd.DataFrame({i: [text_of(v, per_col[c], na=na) for v in df.iloc[:, i]] for i, c in enumerate(df.columns)},
                         index=df.index.map(lambda v: text_of(v, index_format)) if index_format is not None else df.index)
    shown.columns = df.columns
    text = shown.to_string(index=index) if len(df.columns) else ""
    return "\n".join([*notes, text]) if notes else text


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
):
    """``table`` styled for reading, every cell and label escaped: a pandas ``Styler`` (a :class:`Table`).

    ``formats`` is one format for every cell or a mapping column -> format (a ``str.format``
    pattern or a function; see :func:`text_of`); ``index_format`` formats the row labels;
    ``right`` lists columns to right-align; ``index=False`` hides the row labels (by default
    they are hidden when they are only row numbers, a ``RangeIndex``); ``caption`` is
    shown above the table (as text). A table longer than ``max_rows`` shows its first rows and
    says so in the caption. The table itself is not changed.

    >>> df = pd.DataFrame({"left": ["a <i>b</i>"], "match": ["$x$"]}, index=pd.Index([1], name="<n>"))
    >>> html = show(df, right=["left"], index=False, caption="<c>").to_html()
    >>> "<i>" in html, "&lt;i&gt;" in html, "&lt;c&gt;" in html, "nd-right" in html
    (False, True, True, True)
    """
    df = table.to_frame() if isinstance(table, pd.Series) else table
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
    return styler
