"""Calendar periods: the one ``freq`` vocabulary, each date's period, the grid of periods, rolling
windows over it, and which periods hold enough articles to be compared.

Periods are calendar days, weeks (Monday to Sunday), months, quarters or years
(``config.FREQ_ALIASES``), named by
their first day. This is the low module every analysis over time uses (:mod:`newsdesk.timeline`,
:mod:`newsdesk.keywords`), so that ``freq`` and ``rolling`` are checked, and their mistakes
worded, in one place.

>>> from newsdesk import periods
>>> periods.check_freq("W")
'week'
>>> periods.period_range("2016-01-30", "2016-03-02", freq="month").strftime("%Y-%m").tolist()
['2016-01', '2016-02', '2016-03']
"""
from __future__ import annotations

import pandas as pd

from . import config

#: Other spellings of each ``freq`` (case-insensitive).
_FREQ_ALIASES = {"d": "day", "daily": "day", "w": "week", "weekly": "week", "m": "month", "monthly": "month",
                 "q": "quarter", "quarterly": "quarter", "y": "year", "yearly": "year", "annual": "year"}


def check_freq(freq: str) -> str:
    """Normalise ``freq`` to ``day``, ``week``, ``month``, ``quarter`` or ``year``; raise
    ``ValueError`` otherwise.

    >>> check_freq("Weekly")
    'week'
    """
    f = str(freq).strip().lower()
    f = _FREQ_ALIASES.get(f, f)
    if f not in config.FREQ_ALIASES:
        raise ValueError(f"freq must be one of {', '.join(config.FREQ_ALIASES)} (got {freq!r})")
    return f


def period_start(dates: pd.Series, *, freq: str = config.DEFAULT_FREQ) -> pd.Series:
    """The first day of the period holding each date.

    >>> period_start(pd.Series(pd.to_datetime(["2016-03-09", "2016-03-31"])), freq="month").dt.day.tolist()
    [1, 1]
    """
    code = config.FREQ_ALIASES[check_freq(freq)]
    return dates.dt.to_period(code).dt.start_time.astype("datetime64[ns]")


def period_range(start, end, *, freq: str = config.DEFAULT_FREQ) -> pd.DatetimeIndex:
    """Every period from the one holding ``start`` to the one holding ``end``, by first day.

    >>> period_range("2016-01-30", "2016-03-02", freq="month").strftime("%Y-%m-%d").tolist()
    ['2016-01-01', '2016-02-01', '2016-03-01']
    """
    code = config.FREQ_ALIASES[check_freq(freq)]
    idx = pd.period_range(pd.Timestamp(start).to_period(code), pd.Timestamp(end).to_period(code), freq=code)
    return pd.DatetimeIndex(idx.start_time.astype("datetime64[ns]"), name="period")


def partial_spans(first, last, *, freq: str = config.DEFAULT_FREQ, min_share: float = 0.9) -> list[tuple]:
    """The first and last periods of ``first`` .. ``last`` (the first and last day selected) that
    they cover on less than ``min_share`` of their days, as ``(start, end, days covered, days in
    the period)``; days are never partial. A chart hatches them (``charts.mark_partial``), so a
    short last month does not read as a collapse.

    >>> [(s.strftime("%Y-%m"), c, d) for s, e, c, d in partial_spans("2016-08-01", "2016-09-07", freq="month")]
    [('2016-09', 7, 30)]
    """
    freq = check_freq(freq)
    if freq == "day" or first is None or last is None or pd.isna(first) or pd.isna(last):
        return []
    lo, hi = pd.Timestamp(first).normalize(), pd.Timestamp(last).normalize()
    idx = period_range(lo, hi, freq=freq)
    code = config.FREQ_ALIASES[freq]
    ends = list(idx[1:]) + [(idx[-1].to_period(code) + 1).start_time]
    out = []
    for k in sorted({0, len(idx) - 1}):
        start, end = idx[k], ends[k]
        days = (end - start).days
        covered = (min(end - pd.Timedelta(days=1), hi) - max(start, lo)).days + 1
        if 0 < covered < min_share * days:
            out.append((start, end, int(covered), int(days)))
    return out


def freq_or_auto(dates: pd.Series, freq: str = "auto", *, min_per_period: float = 5,
                 max_periods: int = 120) -> tuple[str, str]:
    """``freq`` checked, with a note saying so; or, for ``"auto"``, the finest period of the corpus's
    dates that holds at least ``min_per_period`` articles on average over its span (and at most
    ``max_periods`` periods), with a note saying what was chosen and why.

    >>> d = pd.Series(pd.date_range("2020-01-01", periods=300, freq="D"))
    >>> freq_or_auto(d)
    ('week', 'Period: week, chosen from the dates (300 articles over 44 weeks, 6.8 a week; set freq to choose).')
    >>> freq_or_auto(d, "month")[0], freq_or_auto(d, min_per_period=20)[0]
    ('month', 'month')
    """
    if str(freq).strip().lower() != "auto":
        f = check_freq(freq)
        return f, f"Period: {f} (as given)."
    dates = pd.to_datetime(dates).dropna()
    if dates.empty:
        return config.DEFAULT_FREQ, f"Period: {config.DEFAULT_FREQ} (no dates to choose from)."
    lo, hi, k = dates.min(), dates.max(), len(dates)
    for f in config.FREQ_ALIASES:      # finest first: day, week, month, quarter, year (the last whatever it holds)
        n = len(period_range(lo, hi, freq=f))
        if n <= max_periods and k / n >= min_per_period or f == list(config.FREQ_ALIASES)[-1]:
            break
    return f, (f"Period: {f}, chosen from the dates ({k:,} article{'s' * (k != 1)} over {n:,} "
               f"{f}{'s' * (n != 1)}, {k / n:,.1f} a {f}; set freq to choose).")


def window_mean(frame: pd.DataFrame, window: int, *, center: bool = True) -> pd.DataFrame:
    """Rolling mean over ``window`` periods (all of them, zeros included). A period whose window
    is not complete (the edges, or a corpus shorter than the window) has no mean (NaN): a
    "3-month mean" is never drawn through fewer months. ``center=True`` puts each mean in the
    middle of its window, so a spike is not shifted later in time; ``center=False`` is trailing.

    >>> window_mean(pd.DataFrame({"x": [0, 3, 0, 3]}), 2, center=False)["x"].tolist()
    [nan, 1.5, 1.5, 1.5]
    """
    w = check_window(window)
    return frame.rolling(w, min_periods=w, center=center).mean()


def check_window(window) -> int:
    """The number of periods of a ``rolling`` window: a whole number, 1 or more; raise
    ``ValueError`` otherwise.

    >>> check_window(3.0)
    3
    """
    try:
        w = int(window)
    except (TypeError, ValueError):
        raise ValueError(f"rolling must be a whole number of periods (got {window!r})") from None
    if w < 1 or w != window:
        raise ValueError(f"rolling must be a whole number of periods >= 1 (got {window!r})")
    return w


def well_covered(n_articles: pd.Series) -> pd.Series:
    """Which periods hold at least half the median number of articles (of the periods that have
    any): the periods whose share of articles can win a peak or a spike, so that a near-empty
    period cannot win with one article.

    >>> well_covered(pd.Series([10, 1, 8, 0, 12])).tolist()
    [True, False, True, False, True]
    """
    return n_articles >= 0.5 * n_articles[n_articles > 0].median()


__all__ = ["partial_spans", "check_freq", "freq_or_auto", "period_start", "period_range", "window_mean", "check_window", "well_covered"]
