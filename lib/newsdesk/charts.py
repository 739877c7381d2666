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
import pandas as pd

REPORT_SIZE = (9.0, 4.0)
"""Default figure size in inches: readable in an HTML report and a notebook alike."""

PALETTE = ["#1f5aa6", "#d1495b", "#2e933c", "#edae49", "#6b4c9a", "#00798c", "#8d6a9f", "#5f6b6d"]

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
})


def figure(*, size: tuple[float, float] = REPORT_SIZE, nrows: int = 1, ncols: int = 1, **kw):
    """A new report-size figure and its axes (``constrained`` layout).

    >>> fig, ax = figure(size=(6, 3))
    """
    fig, ax = plt.subplots(nrows, ncols, figsize=size, layout="constrained", **kw)
    return fig, ax


def finish(ax, *, title: str, xlabel: str, ylabel: str, legend: bool | None = None, legend_title: str | None = None):
    """Set title and axis labels; add a legend when more than one series is labelled. Returns the figure."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    handles, labels = ax.get_legend_handles_labels()
    labels_shown = [lb for lb in labels if lb and not lb.startswith("_")]
    if legend or (legend is None and len(labels_shown) > 1):
        ax.legend(title=legend_title, frameon=False, fontsize=9)
    return ax.figure


def date_axis(ax, *, freq: str = "month") -> None:
    """Readable date ticks for a period axis: concise labels, no overlap."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def read_events(events: str | os.PathLike | Sequence | pd.DataFrame | None) -> pd.DataFrame:
    """Normalise events to a frame ``date, label``.

    Accepts a CSV path (columns ``date,label``), a list of ``(date, label)`` pairs or
    ``"YYYY-MM-DD label"`` / ``"YYYY-MM-DD: label"`` strings, a frame, or ``None``.

    >>> read_events([("2016-11-08", "Election day")]).to_dict("records")
    [{'date': Timestamp('2016-11-08 00:00:00'), 'label': 'Election day'}]
    """
    if events is None or (isinstance(events, (list, tuple)) and not events) or (isinstance(events, str) and not events.strip()):
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "label": pd.Series(dtype="str")})
    if isinstance(events, pd.DataFrame):
        df = events[["date", "label"]].copy()
    elif isinstance(events, (str, os.PathLike)) and Path(events).suffix.lower() == ".csv":
        p = Path(events)
        if not p.exists():
            raise FileNotFoundError(f"events file {p} does not exist; it needs columns date,label")
        df = pd.read_csv(p, dtype=str)
        missing = {"date", "label"} - set(df.columns)
        if missing:
            raise ValueError(f"events file {p} lacks column(s) {sorted(missing)}; expected date,label")
        df = df[["date", "label"]]
    else:
        items = [events] if isinstance(events, str) else list(events)
        rows = []
        for it in items:
            if isinstance(it, str):
                date, _, label = it.replace(":", " ", 1).partition(" ") if ":" in it[:11] else it.partition(" ")
                rows.append((date.strip(), label.strip()))
            elif isinstance(it, dict):
                rows.append((it["date"], it.get("label", "")))
            else:
                d, lb = it
                rows.append((d, lb))
        df = pd.DataFrame(rows, columns=["date", "label"])
    try:
        df["date"] = pd.to_datetime(df["date"], format="ISO8601").astype("datetime64[ns]")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"bad event date: {exc}; use YYYY-MM-DD") from None
    df["label"] = df["label"].fillna("").astype("str")
    return df.sort_values("date").reset_index(drop=True)


def add_events(ax, events, *, color: str = "#555555") -> None:
    """Draw events as labelled vertical dashed lines (only those inside the visible date range)."""
    ev = read_events(events)
    if ev.empty:
        return
    lo, hi = ax.get_xlim()
    ymax = ax.get_ylim()[1]
    for i, (d, label) in enumerate(zip(ev["date"], ev["label"])):
        x = mdates.date2num(d)
        if not lo <= x <= hi:
            continue
        ax.axvline(x, color=color, linestyle="--", linewidth=1, alpha=0.8, zorder=1)
        ax.annotate(label, xy=(x, ymax), xytext=(3, -4 - 11 * (i % 3)), textcoords="offset points",
                    fontsize=8, color=color, rotation=0, va="top", ha="left",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
    ax.set_xlim(lo, hi)


def save(fig, path: str | os.PathLike) -> Path:
    """Save ``fig`` as PNG atomically and return the path."""
    from .atomic import atomic_path

    p = Path(path)
    with atomic_path(p) as tmp:
        fig.savefig(tmp, format="png")
    return p


def labels_of(fig) -> list[dict]:
    """Title, axis labels and legend entries of each axes: what tests check every chart carries."""
    out = []
    for ax in fig.axes:
        leg = ax.get_legend()
        out.append({
            "title": ax.get_title(),
            "xlabel": ax.get_xlabel(),
            "ylabel": ax.get_ylabel(),
            "legend": [t.get_text() for t in leg.get_texts()] if leg else [],
            "n_series": len([ln for ln in ax.get_lines() if not ln.get_label().startswith("_")])
            + len(ax.collections),
        })
    return out
