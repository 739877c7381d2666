"""Shared figure finishing: one look for every chart, event markers on every timeline.

Every chart function in newsdesk returns a matplotlib ``Figure`` built with :func:`figure` and
finished with :func:`finish`, so each has a title, labelled axes (with units), readable dates and a
legend when it shows more than one series.

>>> fig, ax = figure()
>>> ax.plot([1, 2], [3, 4], label="a")                     # doctest: +ELLIPSIS
[...]
>>> finish(ax, title="Demo", xlabel="x (units)", ylabel="y (units)") is fig
True
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable, Sequence

import matplotlib

if not os.environ.get("MPLBACKEND") and "ipykernel" not in os.environ.get("JPY_PARENT_PID", ""):
    # headless by default; notebooks set their own inline backend
    try:
        import IPython  # noqa: F401

        if IPython.get_ipython() is None:  # type: ignore[attr-defined]
            matplotlib.use("Agg")
    except Exception:
        matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = ["REPORT_SIZE", "PALETTE", "literal", "figure", "finish", "wrap_title", "date_axis",
           "read_events", "add_events", "add_event_key", "save", "labels_of", "count_axis", "mark_partial",
           "COUNT_LABEL", "say", "sentence_figure"]

REPORT_SIZE = (9.0, 4.0)
"""Default figure size in inches: readable in an HTML report and a notebook alike."""

PALETTE = ["#1f5aa6", "#d1495b", "#2e933c", "#edae49", "#6b4c9a", "#00798c", "#8c564b", "#5f6b6d"]

COUNT_LABEL = "(count"
"""What an axis label holds when the axis counts (``"quotes (count)"``, ``"(count per month)"``):
:func:`finish` gives such an axis whole-number ticks."""

plt.rcParams.update({
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titleweight": "bold",
    "axes.titlesize": 12,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "savefig.bbox": "tight",
    # Labels are text: section names, speakers, agencies, terms and event labels come from data and
    # parameters, and matplotlib would read any pair of ``$`` in them as TeX (``Money $\\bad$ talk``
    # stops the chart; ``$5 and $6`` turns italic). Every Text made after this (titles, axis labels,
    # ticks, legend entries, annotations) is drawn as written; :func:`literal` makes sure of it.
    "text.parse_math": False,
    "text.usetex": False,
})


def literal(fig):
    """Draw every text of ``fig`` as written, never as TeX (``parse_math=False`` on each Text:
    titles, axis labels, tick labels, legend entries, annotations). Returns the figure.

    Charts get it twice: :data:`plt.rcParams` ``text.parse_math`` is off from the moment this
    module is imported, and :func:`finish` and :func:`add_events` call this for a figure drawn
    under other settings.

    >>> fig, ax = figure()
    >>> t = ax.set_title("Money $\\bad$ talk")
    >>> literal(fig).axes[0].title.get_parse_math()
    False
    """
    from matplotlib.text import Text

    for t in fig.findobj(Text):
        t.set_parse_math(False)
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for t in axis.get_ticklabels(which="both"):
                t.set_parse_math(False)
    return fig


def figure(*, size: tuple[float, float] = REPORT_SIZE, nrows: int = 1, ncols: int = 1, **kw):
    """A new report-size figure and its axes (``constrained`` layout).

    >>> fig, ax = figure(size=(6, 3))
    """
    fig, ax = plt.subplots(nrows, ncols, figsize=size, layout="constrained", **kw)
    return fig, ax


def finish(ax, *, title: str, xlabel: str, ylabel: str, legend: bool | None = None, legend_title: str | None = None,
           legend_outside: bool = False, legend_reverse: bool = False):
    """Set title and axis labels; add a legend when more than one series is labelled. Returns the figure.

    Every axis of the figure whose label says it counts (``"quotes (count)"``, ``"Articles (count
    per month)"``: :data:`COUNT_LABEL`), a colour bar's too, gets whole-number ticks (:func:`count_axis`).

    ``legend_outside=True`` puts the legend right of the axes, where it cannot hide data or event labels;
    ``legend_reverse=True`` lists entries bottom-up (for stacked bars, so the legend reads like the stack).
    """
    ax.set_title(wrap_title(title, ax.figure))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    for each in ax.figure.axes:   # a count has whole-number ticks on every axes, colour bars too
        for axis in ("x", "y"):
            if COUNT_LABEL in (each.get_xlabel() if axis == "x" else each.get_ylabel()):
                count_axis(each, axis=axis)
    handles, labels = ax.get_legend_handles_labels()
    labels_shown = [lb for lb in labels if lb and not lb.startswith("_")]
    if legend or (legend is None and len(labels_shown) > 1):
        if legend_outside:
            ax.legend(title=legend_title, frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                      borderaxespad=0.0, reverse=legend_reverse)
        else:
            ax.legend(title=legend_title, frameon=False, fontsize=9, reverse=legend_reverse)
    return literal(ax.figure)


class _DateFormatter(mdates.ConciseDateFormatter):
    """Concise date labels (``2016``, ``Feb``, ``Mar``...) whose first label always carries the
    year (``Nov 2015``), so that a range starting mid-year is not ambiguous."""

    def format_ticks(self, values):
        labels = list(super().format_ticks(values))
        if labels and not re.search(r"\d{4}", labels[0]):
            d = mdates.num2date(values[0])
            labels[0] = d.strftime("%b %Y") if labels[0].isalpha() else f"{d.day} {d:%b}\n{d.year}"
        return labels


def wrap_title(title: str, fig, *, chars_per_inch: float = 7.5) -> str:
    """Break a long title into lines that fit the figure's width (bold 12 pt titles).

    >>> fig, _ = figure(size=(4, 3))
    >>> wrap_title("A rather long title that cannot fit on one line of a small figure", fig).count("\\n")
    2
    """
    import textwrap

    width = max(20, int(fig.get_figwidth() * chars_per_inch))
    return "\n".join(textwrap.fill(line, width=width) for line in str(title).split("\n"))


def date_axis(ax, *, freq: str = "month", maxticks: int = 8) -> None:
    """Readable date ticks for a period axis: concise labels (``Nov 2015``, ``2016``, ``Feb``, ...),
    at most ``maxticks`` of them so that labels never overlap at report size."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=maxticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(_DateFormatter(locator, show_offset=False))


def _events_frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["date", "label"]) if rows else pd.DataFrame(columns=["date", "label"])


def _read_events_csv(p: Path) -> pd.DataFrame:
    if not p.exists() and not p.is_absolute():
        from . import config

        # a notebook's "../data/events.csv" run from elsewhere: try it from notebooks/ and the project
        for base in (config.NOTEBOOKS_DIR, config.PROJECT_ROOT):
            if (base / p).exists():
                p = base / p
                break
    if not p.exists():
        raise FileNotFoundError(f"events file {p} does not exist; it needs columns date,label")
    df = pd.read_csv(p, dtype=str, skipinitialspace=True)
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = {"date", "label"} - set(df.columns)
    if missing:
        raise ValueError(f"events file {p} lacks column(s) {sorted(missing)}; expected date,label")
    return df[["date", "label"]].dropna(subset=["date"])


def _is_csv(item) -> bool:
    return isinstance(item, os.PathLike) or (isinstance(item, str) and item.strip().lower().endswith(".csv"))


def read_events(events: str | os.PathLike | Sequence | pd.DataFrame | None) -> pd.DataFrame:
    """Normalise events to a frame ``date, label``, sorted by date.

    Accepts a CSV path (columns ``date,label``), a list of ``(date, label)`` pairs or
    ``"YYYY-MM-DD label"`` / ``"YYYY-MM-DD: label"`` strings (a list may also name CSV files),
    a frame, or ``None``. A bad date raises ``ValueError`` naming it.

    >>> read_events([("2016-11-08", "Election day")]).to_dict("records")
    [{'date': Timestamp('2016-11-08 00:00:00'), 'label': 'Election day'}]
    >>> read_events(["2016-07-28: Convention", "2016-11-08 Election day"])["label"].tolist()
    ['Convention', 'Election day']
    """
    empty = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "label": pd.Series(dtype="str")})
    if events is None or (isinstance(events, (list, tuple)) and not events) or (isinstance(events, str) and not events.strip()):
        return empty
    if isinstance(events, pd.DataFrame):
        df = events[["date", "label"]].copy()
    elif _is_csv(events):
        df = _read_events_csv(Path(events))
    else:
        items = [events] if isinstance(events, str) else list(events)
        rows, frames = [], []
        for it in items:
            if _is_csv(it):
                frames.append(_read_events_csv(Path(it)))
            elif isinstance(it, str):
                it = it.strip()
                if not it:
                    continue
                m = re.match(r"^(\d{4}-\d{1,2}-\d{1,2})\s*[:,]?\s*(.*)$", it)
                if not m:
                    raise ValueError(f"bad event {it!r}: write it as 'YYYY-MM-DD label'")
                rows.append((m.group(1), m.group(2).strip()))
            elif isinstance(it, dict):
                rows.append((it["date"], it.get("label", "")))
            else:
                try:
                    d, lb = it
                except (TypeError, ValueError):
                    raise ValueError(f"bad event {it!r}: give (date, label) or 'YYYY-MM-DD label'") from None
                rows.append((d, lb))
        df = pd.concat([_events_frame(rows)] + frames, ignore_index=True) if frames else _events_frame(rows)
    if df.empty:
        return empty
    dates = []
    for d in df["date"]:
        try:
            dates.append(pd.Timestamp(d) if not isinstance(d, str) else pd.to_datetime(d.strip(), format="ISO8601"))
        except (ValueError, TypeError):
            raise ValueError(f"bad event date {d!r}: use YYYY-MM-DD") from None
    df = df.assign(date=pd.DatetimeIndex(dates).astype("datetime64[ns]"))
    df["label"] = df["label"].fillna("").astype("str").str.strip()
    return df.sort_values("date", kind="stable").reset_index(drop=True)


def _renderer(fig):
    try:
        return fig.canvas.get_renderer()
    except AttributeError:  # a backend without a renderer: measure with Agg
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        return FigureCanvasAgg(fig).get_renderer()


def add_events(ax, events, *, color: str = "#555555", labels: bool | str = True, max_rows: int = 4,
               layout: bool = True) -> list[tuple[int, pd.Timestamp, str]]:
    """Draw events as dashed vertical lines at their dates, labelled at the top of the axes.

    Only events inside the visible date range are drawn. Labels are placed right of their line (left
    of it near the right edge) and stacked in up to ``max_rows`` rows so that no two overlap; the y
    range grows to make room for them above the data. An event whose label does not fit is marked
    with its number instead, and so is every event with ``labels="numbers"`` (for small panels);
    ``labels=False`` draws the lines only. Returns the numbered events ``(number, date, label)``:
    pass them to :func:`add_event_key` so the reader can look the numbers up.
    Call it after the data, the legend and any figure-level titles are drawn (the layout must be final).
    It lays the figure out first; ``layout=False`` skips that, for the panels after the first of a
    figure that was just laid out (a layout costs about 0.4 s for six panels).
    """
    ev = read_events(events)
    if ev.empty:
        return []
    lo, hi = ax.get_xlim()
    inside = [(mdates.date2num(d), d, lb) for d, lb in zip(ev["date"], ev["label"]) if lo <= mdates.date2num(d) <= hi]
    for x, _, _ in inside:
        ax.axvline(x, color=color, linestyle="--", linewidth=1, alpha=0.8, zorder=1, label="_event")
    ax.set_xlim(lo, hi)
    if not labels or not inside:
        return []
    fig = literal(ax.figure)
    if layout:
        try:
            fig.draw_without_rendering()  # run the layout so that positions are final
        except Exception:
            pass
    renderer = _renderer(fig)
    box = ax.get_window_extent(renderer)
    px_per_pt = fig.dpi / 72.0
    row_h = 11.0  # points between label rows
    gap = 2 * px_per_pt
    rows: list[list[tuple[float, float]]] = []
    numbered: list[tuple[int, pd.Timestamp, str]] = []

    def place(text: str, x: float):
        ann = ax.annotate(text, xy=(x, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -4),
                          textcoords="offset points", fontsize=8, color=color, va="top", ha="left",
                          bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85),
                          annotation_clip=False)
        ann.set_in_layout(False)
        w = ann.get_window_extent(renderer).width
        xpx = ax.transData.transform((x, 0))[0]
        if xpx + 3 * px_per_pt + w > box.x1:
            ann.set_ha("right")
            ann.xyann = (-3, -4)
            left, right = xpx - 3 * px_per_pt - w, xpx
        else:
            left, right = xpx, xpx + 3 * px_per_pt + w
        r = next((i for i, row in enumerate(rows) if all(right + gap < a or left > b + gap for a, b in row)), None)
        if r is None and len(rows) < max_rows:
            rows.append([])
            r = len(rows) - 1
        if r is None:
            ann.remove()
            return False
        rows[r].append((left, right))
        ann.xyann = (ann.xyann[0], -4 - row_h * r)
        return True

    for n, (x, d, label) in enumerate(inside, start=1):
        if not label:
            continue
        if labels == "numbers" or not place(label, x):
            numbered.append((n, d, label))
            if not place(str(n), x):  # even the number does not fit: it is still in the key
                pass
    # head room above the data for the label rows
    need_pt = 4 + row_h * len(rows) + 4
    height_pt = box.height / px_per_pt
    if height_pt > 0 and ax.get_yscale() == "linear":
        f = min(0.6, need_pt / height_pt)
        y0, y1 = ax.get_ylim()
        top = _data_top(ax)
        if top is not None and top > y0:
            want = y0 + (top - y0) / (1 - f)
            if want > y1:
                ax.set_ylim(y0, want)
    return numbered


def add_event_key(fig, numbered: Sequence[tuple[int, pd.Timestamp, str]]) -> None:
    """List numbered events (from :func:`add_events`) in a key below the figure."""
    if not numbered:
        return
    from matplotlib.lines import Line2D

    seen = {}
    for n, d, lb in numbered:
        seen.setdefault(n, f"{n}  {d:%d %b %Y}  {lb}")
    handles = [Line2D([], [], linestyle="none", label=t) for t in seen.values()]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(3, len(handles)), frameon=False,
               fontsize=8, handlelength=0, handletextpad=0, title="events", title_fontsize=8)


def _data_top(ax) -> float | None:
    """Highest y value drawn by lines, bars and areas (ignoring event lines)."""
    tops = []
    for ln in ax.get_lines():
        if ln.get_label() == "_event":
            continue
        y = np.asarray(ln.get_ydata(), dtype=float)
        if y.size and np.isfinite(y).any() and ln.get_transform() == ax.transData:
            tops.append(np.nanmax(y))
    for p in ax.patches:
        try:
            tops.append(p.get_y() + p.get_height())
        except AttributeError:
            pass
    for c in ax.collections:
        try:
            off = c.get_datalim(ax.transData)
            if np.isfinite(off.y1):
                tops.append(off.y1)
        except Exception:
            pass
    return max(tops) if tops else None


def save(fig, path: str | os.PathLike) -> Path:
    """Save ``fig`` as PNG atomically and return the path."""
    from .atomic import atomic_path

    p = Path(path)
    with atomic_path(p) as tmp:
        fig.savefig(tmp, format="png")
    return p


def labels_of(fig) -> list[dict]:
    """Title, axis labels and legend entries of each visible axes: what tests check every chart carries.

    Figure-level text counts for every panel of a small-multiples figure: ``suptitle`` stands in for
    a missing axes title, ``supxlabel``/``supylabel`` for missing axis labels, a figure legend for a
    missing axes legend; a panel sharing its x axis with a labelled panel takes that label. A colour
    bar's axes is flagged ``colorbar`` (it needs a label, not a title).
    """
    sup = {k: (getattr(fig, f"_{k}").get_text() if getattr(fig, f"_{k}", None) is not None else "")
           for k in ("suptitle", "supxlabel", "supylabel")}
    fig_legend = [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    out = []
    for ax in fig.axes:
        if not ax.get_visible() or not ax.axison:
            continue
        leg = ax.get_legend()
        lines = [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]
        bars = {c.get_label() for c in ax.containers if not c.get_label().startswith("_")}
        colls = [c for c in ax.collections if not str(c.get_label()).startswith("_")]
        # a panel sharing its x axis with a labelled panel below it is labelled by that panel
        shared_x = [o.get_xlabel() for o in ax.get_shared_x_axes().get_siblings(ax) if o.get_visible()]
        out.append({
            "colorbar": ax.get_label() == "<colorbar>" or getattr(ax, "_colorbar", None) is not None,
            "title": ax.get_title() or ax.get_title("left") or sup["suptitle"],
            "xlabel": ax.get_xlabel() or sup["supxlabel"] or next((x for x in shared_x if x), ""),
            "ylabel": ax.get_ylabel() or sup["supylabel"],
            "legend": [t.get_text() for t in leg.get_texts()] if leg else fig_legend,
            "n_series": len(lines) + len(bars) + len(colls),
        })
    return out


def say(ax, text: str, *, alone: bool = True) -> None:
    """One sentence on ``ax`` in place of what is not drawn (nothing when ``text`` is empty):
    centred when nothing else is on the axes (``alone``), else along its bottom."""
    if text:
        ax.text(0.5, 0.5 if alone else 0.02, text, transform=ax.transAxes, ha="center",
                va="center" if alone else "bottom", color="#555555", fontsize=9)


def sentence_figure(text: str, *, title: str):
    """A figure that is one sentence (a chart with nothing to draw says why instead)."""
    fig, ax = figure()
    ax.set_axis_off()
    say(ax, text)
    return finish(ax, title=title, xlabel="", ylabel="")


def count_axis(ax, *, axis: str = "y") -> None:
    """Whole-number ticks on a count axis (no "1.25 articles")."""
    from matplotlib.ticker import MaxNLocator

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_locator(MaxNLocator(integer=True))


def mark_partial(ax, spans, *, note: bool = True) -> None:
    """Hatch each partly covered period ``(start, end, days covered, days in period)`` and, with
    ``note``, say how much of it the data covers, so a short last month does not read as a collapse."""
    for start, end, covered, days in spans:
        ax.axvspan(start, end, facecolor="none", hatch="///", edgecolor="#c8c8c8", linewidth=0, zorder=0,
                   label="_partial")
        if note:
            # at the foot of the span: event labels take the top of the axes
            ax.text(start + (end - start) / 2, 0.02, f"partial:\n{covered} of {days} days", transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", fontsize=7, color="#666666", label="_partial")
