"""Coverage over time: article counts, attention to terms, tone and speakers per period.

Periods are calendar days, weeks (Monday to Sunday) or months, named by their first day. Every
series spans every period from the first to the last (or ``date_from`` to ``date_to``): a period
without articles is a row of zeros, never an interpolated value.

*Attention* to a term is, by default, the share of all articles in the period that mention it
(in the title or the clean text), as Media Cloud and GDELT normalise it, so a busy news month does
not look like a surge of interest; ``normalize=False`` gives raw article counts. Terms follow the
shared syntax of :mod:`newsdesk.text`: ``"Trump|Clinton"`` is two series, ``["Russia|Kremlin",
"Iran"]`` is two series of which the first has two alternatives, ``re:`` marks a regex.

>>> import newsdesk as nd
>>> from newsdesk import timeline
>>> articles = nd.load_corpus("data/sample")                          # doctest: +SKIP
>>> timeline.attention(articles, "flood|election", freq="week")       # doctest: +SKIP
>>> fig = timeline.plot_attention(articles, "flood|election", rolling=3)  # doctest: +SKIP

Chart functions are the ``plot_*`` functions; each takes the articles frame first and returns a
matplotlib ``Figure`` with the events of ``events`` (default: ``data/events.csv`` when it exists)
drawn as labelled vertical lines.
"""
from __future__ import annotations

import math
import os
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from . import charts, config, periods, tables
from .corpus import date_bounds, date_mask, is_original  # noqa: F401  (date_bounds re-exported: timeline.date_bounds)
from .text import parse_terms

#: Axis label for each period.
PERIOD_LABEL = {"day": "Day", "week": "Week (Monday to Sunday)", "month": "Month", "quarter": "Quarter", "year": "Year"}
#: Arguments the chart test (``tests/test_charts.py``) passes to each chart function on the sample.
CHART_EXAMPLES: dict[str, dict] = {
    "plot_attention": {"terms": "flood|trade|vaccine", "rolling": 3},
    "plot_attention_by": {"terms": "flood|election"},
    "plot_tone": {"terms": "flood|vaccine"},
}

_DEFAULT = "auto"  # the corpus's own events file (config.events_for), when it has one

EventsArg = "str | os.PathLike | Sequence | pd.DataFrame | None"


# --------------------------------------------------------------------------- periods
def _period_end(index: pd.DatetimeIndex, freq: str) -> pd.Timestamp:
    """The first day after the last period of ``index``."""
    code = config.FREQ_ALIASES[periods.check_freq(freq)]
    return (index[-1].to_period(code) + 1).start_time


def _span(articles: pd.DataFrame, freq: str, date_from, date_to) -> pd.DatetimeIndex:
    dates = articles["date"].dropna()
    lo, hi = date_bounds(date_from, date_to)
    lo = lo if lo is not None else (dates.min() if len(dates) else None)
    hi = hi if hi is not None else (dates.max() if len(dates) else None)
    if lo is None or hi is None:
        raise ValueError("no dated articles to place on a timeline; check the corpus, date_from/date_to and sections")
    return periods.period_range(lo, hi, freq=freq)


def partial_periods(articles: pd.DataFrame, *, freq: str = config.DEFAULT_FREQ, date_from: str | None = None,
                    date_to: str | None = None, min_share: float = 0.9) -> list[tuple]:
    """The first and last periods that the selection covers only in part, as
    ``(start, end, days covered, days in the period)``: covered means between the first and the
    last day selected (``date_from``/``date_to``, else the first and last article). A period
    covered on less than ``min_share`` of its days is partial; days are never partial.

    >>> arts = pd.DataFrame({"date": pd.to_datetime(["2016-08-01", "2016-09-07"])})
    >>> [(s.strftime("%Y-%m"), c, d) for s, e, c, d in partial_periods(arts, freq="month")]
    [('2016-09', 7, 30)]
    """
    if periods.check_freq(freq) == "day":
        return []
    dates = _dates(articles, _selected(articles, date_from, date_to))["date"].dropna()
    lo, hi = date_bounds(date_from, date_to)
    return periods.partial_spans(lo if lo is not None else dates.min(), hi if hi is not None else dates.max(),
                                 freq=freq, min_share=min_share)


def _selected(articles: pd.DataFrame, date_from, date_to) -> np.ndarray:
    """Which rows a timeline counts (a bool array): the originals (exact duplicates, whose
    ``duplicate_of`` the loader set, left out) within the dates. Callers take the columns they
    need of those rows, not the whole frame (its texts)."""
    keep = is_original(articles)
    if not keep.any():
        raise ValueError("no articles to place on a timeline; check the corpus, date_from/date_to and sections")
    if date_bounds(date_from, date_to) != (None, None):       # (a bad date raises here)
        keep &= date_mask(articles, date_from, date_to).to_numpy(dtype=bool)
    return keep


def _dates(articles: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """The ``date`` column of the rows kept, as a frame (what :func:`_span` reads)."""
    dates = articles["date"]
    return (dates if keep.all() else dates[keep]).to_frame()


def _keep(df: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """``df[mask]``, without copying every column (the texts) when every row is kept: a shallow
    copy, which copy-on-write keeps apart from the caller's frame."""
    return df.copy(deep=False) if mask.all() else df[mask]


def _group_key(articles: pd.DataFrame, by: str) -> pd.Series:
    if by not in articles.columns:
        raise ValueError(f"cannot group by {by!r}: the articles have no such column "
                         f"(columns: {', '.join(map(str, articles.columns))})")
    return articles[by].astype("object").where(articles[by].notna(), config.NO_SECTION if by == "section" else "(none)")


# --------------------------------------------------------------------------- counts
def counts(
    articles: pd.DataFrame,
    *,
    freq: str = config.DEFAULT_FREQ,
    by: str | None = None,
    rolling: int | None = None,
    center: bool = True,
    date_from: str | None = None,
    date_to: str | None = None,
) -> pd.DataFrame:
    """Articles per period: one column ``articles``, or one column per value of ``by`` (e.g. ``section``).

    Every period between the first and last date (or ``date_from``/``date_to``) is a row; periods
    without articles hold 0. ``rolling`` smooths with a mean over that many periods (see :func:`rolling`).

    >>> arts = pd.DataFrame({"date": pd.to_datetime(["2016-01-05", "2016-03-02"])})
    >>> counts(arts, freq="month")["articles"].tolist()
    [1, 0, 1]
    """
    freq = periods.check_freq(freq)
    keep = _selected(articles, date_from, date_to)
    dates = _dates(articles, keep)
    idx = _span(dates, freq, date_from, date_to)
    p = periods.period_start(dates["date"], freq=freq)
    if by is None:
        out = p.value_counts().reindex(idx, fill_value=0).to_frame("articles")
    else:
        out = pd.crosstab(p, _group_key(articles, by)[keep]).reindex(idx, fill_value=0)
        out = out[out.sum().sort_values(ascending=False, kind="stable").index]
        out.columns = pd.Index([str(c) for c in out.columns], name=by)
    out.index.name = "period"
    out = out.astype("int64")
    return periods.window_mean(out, rolling, center=center) if rolling else out


# --------------------------------------------------------------------------- attention
def searchable_text(articles: pd.DataFrame) -> pd.Series:
    """Title and clean text of each article, the text terms are looked for in."""
    return pd.Series(_searchable_values(articles), index=articles.index, dtype="str")


def _searchable_values(articles: pd.DataFrame) -> list[str]:
    """:func:`searchable_text` as a list of Python strings (no conversion to a pandas string array)."""
    if "body" in articles.columns:
        from .corpus import text

        clean = [c if isinstance(c, str) else str(c) for c in text(articles).tolist()]
    elif "text" in articles.columns:
        clean = articles["text"].fillna("").astype(str).tolist()
    else:
        raise ValueError("articles need a 'body' (from load_corpus) or a 'text' column")
    if "title" not in articles.columns:
        return clean
    titles = articles["title"].fillna("").astype(str).tolist()
    return [t + "\n" + c for t, c in zip(titles, clean)]


def mentions(articles: pd.DataFrame, terms, *, regex: bool = False) -> pd.DataFrame:
    """Whether each article mentions each series of ``terms`` (title or clean text).

    One boolean column per series (see :func:`newsdesk.text.parse_terms`), indexed like ``articles``.

    >>> arts = pd.DataFrame({"title": ["Trump wins", "Rain"], "text": ["", "Clinton spoke"]})
    >>> mentions(arts, "Trump|Clinton").to_dict("list")
    {'Trump': [True, False], 'Clinton': [False, True]}
    """
    return _mentions(articles, terms, regex=regex)


def _mentions(articles: pd.DataFrame, terms, *, regex: bool = False, keep: np.ndarray | None = None) -> pd.DataFrame:
    """:func:`mentions` of the rows ``keep`` selects (all when ``None``): the articles' texts are
    searched as one set, whatever the selection, so a selection costs no second preparation."""
    series = _series(terms, regex=regex)
    index = _text_index(articles)
    sel = keep is not None and not keep.all()
    out = {label: (h[keep] if sel else h) for label, term in series.items() for h in [index.hits(term, regex=regex)]}
    return pd.DataFrame(out, index=articles.index[keep] if sel else articles.index, columns=list(series))


def _text_index(articles: pd.DataFrame):
    """The articles' shared index (:func:`newsdesk.search.articles_index`), else one over their
    searchable text."""
    from .search import TextIndex, articles_index

    index = articles_index(articles)
    return TextIndex(_searchable_values(articles)) if index is None else index


def _series(terms, *, regex: bool = False) -> dict[str, str]:
    if regex and isinstance(terms, str):
        terms = [terms]
    series = parse_terms(terms)
    if not series:
        raise ValueError("no terms given: pass e.g. 'flood|election' (two series) or ['Russia|Kremlin', 'Iran']")
    return series


def attention(
    articles: pd.DataFrame,
    terms,
    *,
    freq: str = config.DEFAULT_FREQ,
    normalize: bool = True,
    rolling: int | None = None,
    center: bool = True,
    by: str | None = None,
    regex: bool = False,
    date_from: str | None = None,
    date_to: str | None = None,
) -> pd.DataFrame:
    """Attention to ``terms`` per period: the share (0..1) of all articles in the period that
    mention each series, or with ``normalize=False`` the number of such articles.

    Periods without articles hold 0. ``rolling=n`` smooths over ``n`` periods: counts by a rolling
    mean, shares by the share over the window (mentions / articles in the ``n`` periods), so an
    empty period does not drag the share to zero. ``by="section"`` gives one column per
    (section, series), shares taken within the section.

    >>> arts = pd.DataFrame({"date": pd.to_datetime(["2016-01-01", "2016-01-02", "2016-01-09"]),
    ...                      "title": ["Flood", "Vote", "Flood again"], "text": ["", "", ""]})
    >>> attention(arts, "flood", freq="week")["flood"].tolist()
    [0.5, 1.0]
    """
    freq = periods.check_freq(freq)
    keep = _selected(articles, date_from, date_to)
    dates = _dates(articles, keep)
    idx = _span(dates, freq, date_from, date_to)
    m = _mentions(articles, terms, regex=regex, keep=keep)
    p = periods.period_start(dates["date"], freq=freq)
    if by is None:
        num = m.groupby(p.values).sum().reindex(idx, fill_value=0)
        den = p.value_counts().reindex(idx, fill_value=0)
    else:
        g = _group_key(articles, by)[keep]
        num = m.groupby([p.values, g.values]).sum().unstack(1, fill_value=0)  # columns (series, group)
        num = num.swaplevel(0, 1, axis=1)
        den = pd.crosstab(p, g)
        groups = list(den.sum().sort_values(ascending=False, kind="stable").index)
        den = den.reindex(idx, fill_value=0)[groups]
        cols = pd.MultiIndex.from_product([[str(x) for x in groups], list(m.columns)], names=[by, "term"])
        num.columns = pd.MultiIndex.from_tuples([(str(a), b) for a, b in num.columns])
        num = num.reindex(index=idx, columns=cols, fill_value=0)
        den.columns = [str(c) for c in den.columns]
        den = den.reindex(columns=cols.get_level_values(0))
        den.columns = cols
    num = num.astype("int64")
    num.index.name = "period"
    if not normalize:
        out = periods.window_mean(num, rolling, center=center) if rolling else num
        return out
    if rolling:
        w = periods.check_window(rolling)
        num = num.rolling(w, min_periods=w, center=center).sum()   # NaN where the window is not complete
        den = den.rolling(w, min_periods=w, center=center).sum()
    share = num.div(den.where(den > 0), axis=0) if by is None else num / den.where(den > 0)
    share = share.where(num.isna(), share.fillna(0.0)).astype("float64")     # no articles: 0; no window: NaN
    share.index.name = "period"
    return share


def spikes(articles: pd.DataFrame, terms, *, freq: str = "week", n: int = 5, per_term: int = 2,
           min_ratio: float = config.SPIKE_MIN_RATIO) -> pd.DataFrame:
    """The biggest spikes of attention: for each series of ``terms``, the periods whose share of
    articles mentioning it is at least ``min_ratio`` times its median share (over periods with at
    least half the median number of articles, so a near-empty week cannot win) and with at least
    :data:`config.SPIKE_MIN_ARTICLES` articles mentioning it, the most standing-out first, at most
    ``per_term`` per series; ``times_median`` is infinite where the median week never mentions it.
    Columns: ``term, period, articles`` (mentioning it), ``share``, ``times_median``.

    >>> days = pd.to_datetime(["2016-01-04"] * 3 + ["2016-01-11"] * 3 + ["2016-01-18"] * 3 + ["2016-01-25"] * 3)
    >>> titles = ["Flood", "x", "x"] + ["Flood"] * 3 + ["Flood", "x", "x"] + ["x", "x", "Flood"]
    >>> spikes(pd.DataFrame({"date": days, "title": titles, "text": ""}), "flood").values.tolist()
    [['flood', Timestamp('2016-01-11 00:00:00'), 3, 1.0, 3.0]]
    """
    freq = periods.check_freq(freq)
    num = attention(articles, terms, freq=freq, normalize=False)
    den = counts(articles, freq=freq)["articles"]
    ok = periods.well_covered(den)
    rows = []
    for term in num.columns:
        share = (num[term] / den.where(den > 0)).where(ok)
        med = float(share.median()) if share.notna().any() else 0.0
        for period, sh in share.dropna().items():
            ratio = sh / med if med > 0 else (float("inf") if sh > 0 else 0.0)
            if num.at[period, term] >= config.SPIKE_MIN_ARTICLES and ratio >= min_ratio:
                rows.append((term, period, int(num.at[period, term]), float(sh), ratio))
    out = pd.DataFrame(rows, columns=["term", "period", "articles", "share", "times_median"])
    out = out.sort_values(["times_median", "articles"], ascending=False, kind="stable")
    out = out.groupby("term", sort=False).head(per_term).head(int(n))      # no one subject fills the list
    return out.reset_index(drop=True)


#: How a period's first day is shown in tables, and what the column of periods is called.
_PERIOD_LABELS = {"day": ("%Y-%m-%d", "day"), "week": ("%Y-%m-%d", "week starting"), "month": ("%Y-%m", "month"),
                  "quarter": ("%Y-%m", "quarter starting"), "year": ("%Y", "year")}


def show_table(table: pd.DataFrame, *, freq: str = config.DEFAULT_FREQ, normalize: bool = True):
    """A table of :func:`attention` (or any table with one row per period) styled for reading:
    periods as dates (``2017-05`` for a month, its Monday for a week), shares as percentages, counts
    with thousands separators; every cell and label escaped (:func:`newsdesk.tables.show`). The table
    itself is not changed; a term no article mentions is named in the caption, not shown as 0.0%.

    >>> t = pd.DataFrame({"flood": [0.5, 0.25]}, index=pd.to_datetime(["2016-01-04", "2016-01-11"]))
    >>> "2016-01-04 00:00" in show_table(t, freq="week").to_html()
    False
    >>> "week starting" in show_table(t, freq="week").to_html()
    True
    """
    fmt, name = _PERIOD_LABELS[periods.check_freq(freq)]
    unmatched = [] if isinstance(table.columns, pd.MultiIndex) else [c for c in table if not table[c].fillna(0).any()]
    shown = table.drop(columns=unmatched)
    return tables.show((shown if len(shown.columns) else shown.iloc[:0]).rename_axis(name),
                       formats="{:.1%}" if normalize else "{:,.0f}", caption=_unmatched(unmatched) or None,
                       index_format=lambda t: f"{t:{fmt}}" if isinstance(t, pd.Timestamp) else t)


# --------------------------------------------------------------------------- tone and speakers
def tone(
    articles: pd.DataFrame,
    terms=None,
    *,
    freq: str = config.DEFAULT_FREQ,
    by: str | None = None,
    rolling: int | None = None,
    min_n: int = 3,
    regex: bool = False,
    date_from: str | None = None,
    date_to: str | None = None,
    method: str = config.TONE_METHOD,
) -> pd.DataFrame:
    """Tone over time, one series per term or per value of ``by`` (e.g. ``section``).

    With ``terms``: the mean tone (-1..+1) of the body sentences that mention each series
    (:func:`newsdesk.tone.term_sentences`), toward the term's mention by the news-tone model
    (``method="news"``, :func:`newsdesk.tone.term_scores`) or VADER's compound of the sentence
    (``"vader"``). Without: the mean tone of articles
    (:func:`newsdesk.tone.article_tone`), per ``by`` group or overall (series ``all``).
    Periods are aggregated by :func:`newsdesk.tone.tone_over_time` (means with 95% CIs, a
    trailing ``rolling`` mean) and placed on this module's period grid.

    Returns a long frame ``period, series, n, mean, ci_low, ci_high, rolling_mean, rolling_low,
    rolling_high`` covering every period; a period with fewer than ``min_n`` sentences (terms) or
    articles (groups) has NaN values, drawn as a gap: a mean of nothing is unknown, not neutral.
    """
    from . import tone as tones

    freq = periods.check_freq(freq)
    keep = _selected(articles, date_from, date_to)
    dates = _keep(articles[["article_id", "date"]], keep)     # the rows kept: no copy of the texts
    idx = _span(dates, freq, date_from, date_to)
    has_terms = terms is not None and not (isinstance(terms, str) and not terms.strip())
    if has_terms:
        series = _series(terms, regex=regex)
        # the sentences of the articles given that mention a term, found with the index (and the
        # scores kept) that this module's term searches share on them, then those of the rows kept:
        # a second window of dates on the same articles reads what the first one scored
        rows = tones._term_score_rows(articles, list(series.values()) if regex else terms, regex=regex,
                                      index=_text_index(articles), method=method).rename(columns={"score": "compound"})
        rows = rows.merge(dates, on="article_id", how="inner")
        key, value, order = "term", "compound", list(series)
    else:
        rows = tones.article_tone(_keep(articles, keep), method=method)
        if by is not None:
            rows = rows.assign(**{by: _group_key(rows, by).astype(str)})
            order = list(rows.dropna(subset=["tone"])[by].value_counts().index)
        else:
            order = ["all"]
        key, value = by, "tone"
    cols = ["period", "series", "n", "mean", "ci_low", "ci_high", "rolling_mean", "rolling_low", "rolling_high"]
    w = periods.check_window(rolling) if rolling else 1
    tot = tones.tone_over_time(rows, freq, by=key, rolling=w, value=value)
    if key is None:
        tot = tot.assign(series="all")
    else:
        tot = tot.rename(columns={key: "series"})
    tot["period"] = (periods.period_start(pd.to_datetime(tot["period"]).astype("datetime64[ns]"), freq=freq)
                     if len(tot) else tot["period"])
    parts = []
    for name in order:
        g = tot[tot["series"] == name].drop_duplicates("period").set_index("period").reindex(idx)
        g["series"] = name
        g["n"] = g["n"].fillna(0).astype("int64")
        few = g["n"] < max(1, int(min_n))
        g.loc[few, ["mean", "ci_low", "ci_high"]] = np.nan
        if w == 1:
            g.loc[few, ["rolling_mean", "rolling_low", "rolling_high"]] = np.nan
        g.index.name = "period"
        parts.append(g.reset_index())
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    return out[cols]


def speakers(
    articles: pd.DataFrame,
    *,
    freq: str = config.DEFAULT_FREQ,
    top_n: int = 5,
    rolling: int | None = None,
    center: bool = True,
    date_from: str | None = None,
    date_to: str | None = None,
) -> pd.DataFrame:
    """Quotes per period of the ``top_n`` most quoted speakers, zero-filled.

    Quotes come from :func:`newsdesk.speakers.quotes` of the articles given (speakers resolved
    across them, as notebook 03 shows them), counted in the originals within the dates; the
    speakers and their order are
    :func:`newsdesk.speakers.top_speakers`' (named people and organisations, by quotes then
    articles), the one "top speakers" of notebooks 03 and 04.
    """
    from . import speakers as _speakers

    freq = periods.check_freq(freq)
    keep = _selected(articles, date_from, date_to)
    dates = _keep(articles[["article_id", "date"]], keep)     # the rows kept: no copy of the texts
    idx = _span(dates, freq, date_from, date_to)
    q = _speakers.quotes(articles)          # speakers resolved across the articles given, as in 03
    if not keep.all():
        q = q[q["article_id"].isin(dates["article_id"])]
    if "date" not in q.columns:
        q = q.merge(dates, on="article_id", how="left")
    top = _speakers.top_speakers(q, top_n=int(top_n))["speaker"].tolist()
    q = q[q["speaker"].isin(top)]
    out = pd.crosstab(periods.period_start(pd.to_datetime(q["date"]), freq=freq), q["speaker"])
    out = out.reindex(index=idx, columns=list(top), fill_value=0).astype("int64")
    out.index.name = "period"
    out.columns = pd.Index([str(c) for c in out.columns], name="speaker")
    return periods.window_mean(out, rolling, center=center) if rolling else out


# --------------------------------------------------------------------------- charts
def _events(events, articles=None):
    if isinstance(events, str) and events in (_DEFAULT, "default"):
        return config.events_for(articles) if articles is not None else None
    return events


def _usable(rolled: pd.DataFrame | None) -> pd.DataFrame | None:
    """``rolled``, or ``None`` when no period has a whole window (a corpus shorter than the
    window): the chart then draws the raw values and does not claim a rolling mean."""
    return rolled if rolled is not None and rolled.notna().to_numpy().any() else None


def _step(ax, frame: pd.DataFrame, freq: str, *, rolled: pd.DataFrame | None = None, scale: float = 1.0,
          colors: Sequence[str] | None = None):
    """Draw each column as a step line holding its value across its period; with ``rolled``, draw
    the raw steps faintly and the smoothed values as a solid line through period midpoints."""
    end = _period_end(frame.index, freq)
    edges = list(frame.index) + [end]
    mids = frame.index + (pd.DatetimeIndex(edges[1:]) - frame.index) / 2
    for i, col in enumerate(frame.columns):
        color = (colors or charts.PALETTE)[i % len(colors or charts.PALETTE)]
        y = list(frame[col].to_numpy(dtype=float) * scale)
        label = str(col)
        if rolled is None:
            ax.step(edges, y + [y[-1]], where="post", color=color, linewidth=1.8, label=label)
        else:
            ax.step(edges, y + [y[-1]], where="post", color=color, linewidth=0.8, alpha=0.35, label=f"_raw {label}")
            ax.plot(mids, rolled[col].to_numpy(dtype=float) * scale, color=color, linewidth=2.0, label=label,
                    marker="o", markersize=2.5)
    ax.set_xlim(edges[0], edges[-1])


def _finish_timeline(fig, ax, *, freq: str, events, title: str, ylabel: str, legend_title: str | None = None,
                     ymin: float | None = 0.0, legend_reverse: bool = False, partial=(), count: bool = False):
    charts.mark_partial(ax, partial)
    if count:
        charts.count_axis(ax)
    if ymin is not None:
        top = ax.get_ylim()[1]
        # lines at zero sit just above the axis instead of hiding in it (bars start on it)
        ax.set_ylim(bottom=ymin - (0.015 * (top - ymin) if not ax.patches else 0.0))
    charts.date_axis(ax, freq=freq)
    charts.finish(ax, title=title, xlabel=PERIOD_LABEL[freq], ylabel=ylabel, legend_title=legend_title,
                  legend_outside=True, legend_reverse=legend_reverse)
    charts.add_event_key(fig, charts.add_events(ax, events))
    return fig


def _title_terms(labels: Iterable[str]) -> str:
    labels = [str(x) for x in labels]
    return ", ".join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1]


def _unmatched(unmatched: list, *, what: str = "article") -> str:
    """The sentence terms nobody mentions get instead of a flat line or a column of zeros ("" for none)."""
    return f"No {what} mentions {_title_terms(unmatched)} in this selection." if unmatched else ""


def plot_counts(
    articles: pd.DataFrame,
    *,
    freq: str = config.DEFAULT_FREQ,
    by: str | None = "section",
    max_groups: int = 8,
    events=_DEFAULT,
    title: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
):
    """Articles per period as bars, stacked by ``by`` (default ``section``; ``None`` for one bar).

    Groups beyond the ``max_groups`` largest are summed as ``other``; a corpus without sections
    gets plain bars.
    """
    freq = periods.check_freq(freq)
    if by is not None and (by not in articles.columns or articles[by].notna().sum() == 0):
        by = None
    frame = counts(articles, freq=freq, by=by, date_from=date_from, date_to=date_to)
    if by is not None and frame.shape[1] > max_groups:
        keep = list(frame.columns[: max_groups - 1])
        frame = frame[keep].assign(other=frame.drop(columns=keep).sum(axis=1))
    fig, ax = charts.figure()
    end = _period_end(frame.index, freq)
    widths = (pd.DatetimeIndex(list(frame.index[1:]) + [end]) - frame.index).days.to_numpy() * 0.85
    bottom = np.zeros(len(frame))
    for i, col in enumerate(frame.columns):
        vals = frame[col].to_numpy(dtype=float)
        ax.bar(frame.index, vals, width=widths, bottom=bottom, align="edge",
               color=charts.PALETTE[i % len(charts.PALETTE)], label=str(col) if by else "_articles",
               linewidth=0)
        bottom += vals
    ax.set_xlim(frame.index[0], end)
    default = f"Articles per {freq}" + (f", by {by}" if by else "")
    return _finish_timeline(fig, ax, freq=freq, events=_events(events, articles), title=title or default,
                            ylabel=f"Articles (count per {freq})", legend_title=by, legend_reverse=True, count=True,
                            partial=partial_periods(articles, freq=freq, date_from=date_from, date_to=date_to))


def plot_attention(
    articles: pd.DataFrame,
    terms,
    *,
    freq: str = config.DEFAULT_FREQ,
    normalize: bool = True,
    rolling: int | None = None,
    regex: bool = False,
    events=_DEFAULT,
    highlight: tuple[str, str] | None = None,
    title: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
):
    """Attention to each series of ``terms`` over time, one line per series (see :func:`attention`).

    Values are drawn as steps that hold across their period (no interpolation); with ``rolling``
    the smoothed series is the solid line and the raw steps are faint. ``highlight=(from, to)``
    shades a period (e.g. the one :func:`newsdesk.keywords.distinctive_terms` looks at).
    """
    freq = periods.check_freq(freq)
    kw = dict(freq=freq, normalize=normalize, regex=regex, date_from=date_from, date_to=date_to)
    raw = attention(articles, terms, **kw)
    rolled = _usable(attention(articles, terms, rolling=rolling, **kw) if rolling else None)
    rolling = rolling if rolled is not None else None
    matched = [c for c in raw.columns if raw[c].fillna(0).sum() > 0]
    unmatched = [c for c in raw.columns if c not in matched]
    fig, ax = charts.figure()
    if matched:
        _step(ax, raw[matched], freq, rolled=rolled[matched] if rolled is not None else None,
              scale=100.0 if normalize else 1.0)
    else:
        ax.set_xlim(raw.index[0], _period_end(raw.index, freq))
    charts.say(ax, _unmatched(unmatched), alone=not matched)   # a sentence, not a flat line at zero
    if highlight:
        lo, hi = date_bounds(*highlight)
        lo = lo if lo is not None else raw.index[0]
        hi = hi if hi is not None else _period_end(raw.index, freq)
        ax.axvspan(lo, hi, color="#edae49", alpha=0.18, linewidth=0, zorder=0, label="_highlight")
    ylabel = f"Share of articles ({'%'} per {freq})" if normalize else f"Articles mentioning (count per {freq})"
    what = "share of articles mentioning" if normalize else "articles mentioning"
    default = f"Attention: {what} {_title_terms(matched or raw.columns)}"
    if rolling:
        default += f" ({rolling}-{freq} rolling)"
    return _finish_timeline(fig, ax, freq=freq, events=_events(events, articles), title=title or default, ylabel=ylabel,
                            legend_title="term", count=not normalize,
                            partial=partial_periods(articles, freq=freq, date_from=date_from, date_to=date_to))


def plot_attention_by(
    articles: pd.DataFrame,
    terms,
    *,
    by: str | None = "section",
    freq: str = config.DEFAULT_FREQ,
    normalize: bool = True,
    rolling: int | None = None,
    regex: bool = False,
    max_panels: int = 6,
    ncols: int = 3,
    events=_DEFAULT,
    title: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
):
    """Small multiples: attention to ``terms`` within each value of ``by`` (default ``section``),
    one panel per section (the ``max_panels`` largest), shared axes, one legend.

    Shares are taken within the section: the share of the section's articles that mention the term.
    ``by=None`` (what :func:`newsdesk.corpus.group_column` gives a corpus with nothing to split by)
    draws one sentence saying so instead of repeating :func:`plot_attention` in a single panel.
    """
    freq = periods.check_freq(freq)
    if by is None:
        return charts.sentence_figure("The corpus has no sections, publishers or agencies to split the attention by.",
                                      title=title or "Attention by section")
    kw = dict(freq=freq, normalize=normalize, regex=regex, by=by, date_from=date_from, date_to=date_to)
    raw = attention(articles, terms, **kw)
    rolled = _usable(attention(articles, terms, rolling=rolling, **kw) if rolling else None)
    mentioned = raw.fillna(0).T.groupby(level=1, sort=False).sum().sum(axis=1)
    unmatched = [t for t, v in mentioned.items() if not v]
    if len(unmatched) == len(mentioned):      # nobody mentions any term: one sentence, no panels of zeros
        return charts.sentence_figure(_unmatched(unmatched), title=title or f"Attention by {by}")
    keep = [c for c in raw.columns if c[1] not in unmatched]
    raw, rolled = raw[keep], (rolled[keep] if rolled is not None else None)
    groups = list(dict.fromkeys(raw.columns.get_level_values(0)))[: max(1, int(max_panels))]
    partial = partial_periods(articles, freq=freq, date_from=date_from, date_to=date_to)
    n = len(groups)
    ncols = max(1, min(int(ncols), n))
    nrows = math.ceil(n / ncols)
    fig, axes = charts.figure(size=(charts.REPORT_SIZE[0], max(charts.REPORT_SIZE[1], 1.1 + 2.3 * nrows)),
                              nrows=nrows, ncols=ncols, sharex=True, sharey=True, squeeze=False)
    scale = 100.0 if normalize else 1.0
    terms_labels = list(dict.fromkeys(raw.columns.get_level_values(1)))
    ev = _events(events, articles)
    for k, ax in enumerate(axes.flat):
        if k >= n:
            ax.set_visible(False)
            continue
        g = groups[k]
        sub = raw[g]
        _step(ax, sub, freq, rolled=rolled[g] if rolled is not None else None, scale=scale)
        ax.set_title(str(g), fontsize=10, fontweight="normal", loc="left")
        ax.set_ylim(bottom=0)
        charts.mark_partial(ax, partial, note=False)
        if not normalize:
            charts.count_axis(ax)
        charts.date_axis(ax, freq=freq, maxticks=5 if ncols > 1 else 8)
    what = "share of articles mentioning" if normalize else "articles mentioning"
    fig.suptitle(charts.wrap_title(title or f"Attention by {by}: {what} {_title_terms(terms_labels)}"
                                   + (f"\n({_unmatched(unmatched)})" if unmatched else ""), fig),
                 fontweight="bold", fontsize=12)
    for k, ax in enumerate(axes.flat[:n]):
        if k + ncols >= n:  # lowest visible panel of its column: dates and the x label go here
            ax.xaxis.set_tick_params(labelbottom=True)
            ax.set_xlabel(PERIOD_LABEL[freq], fontsize=10)
    fig.supylabel(f"Share of {by} articles (% per {freq})" if normalize else f"Articles mentioning (count per {freq})",
                  fontsize=10)
    if len(terms_labels) > 1:
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, title="term", loc="outside right upper", frameon=False, fontsize=9)
    # events last, once the layout is final; numbered in the panels, listed in a key below
    numbered = []
    for k, ax in enumerate(axes.flat[:n]):      # one layout for all the panels
        numbered += charts.add_events(ax, ev, labels="numbers", layout=k == 0)
    charts.add_event_key(fig, numbered)
    return fig


def plot_tone(
    articles: pd.DataFrame,
    terms=None,
    *,
    by: str | None = None,
    freq: str = config.DEFAULT_FREQ,
    rolling: int | None = None,
    min_n: int = 3,
    max_series: int = 6,
    regex: bool = False,
    events=_DEFAULT,
    title: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    method: str = config.TONE_METHOD,
):
    """Tone over time per term (sentences mentioning it) or per ``by`` group (see :func:`tone`).

    Period means are steps (gaps where fewer than ``min_n`` sentences or articles); with
    ``rolling`` the trailing rolling mean is the solid line, with its 95% confidence band.
    """
    freq = periods.check_freq(freq)
    long = tone(articles, terms, freq=freq, by=by, rolling=rolling, min_n=min_n, regex=regex,
                date_from=date_from, date_to=date_to, method=method)
    names = list(dict.fromkeys(long["series"]))[: max(1, int(max_series))]
    has_terms = terms is not None and not (isinstance(terms, str) and not terms.strip())
    unmatched = [n for n in names if has_terms and not long.loc[long["series"] == n, "n"].sum()]
    names = [n for n in names if n not in unmatched]
    raw = pd.DataFrame({n: long[long["series"] == n].set_index("period")["mean"] for n in names},
                       index=pd.DatetimeIndex(sorted(set(long["period"])), name="period"))
    fig, ax = charts.figure()
    charts.say(ax, _unmatched(unmatched, what="sentence"), alone=not names)
    rolling = rolling if rolling and long["rolling_mean"].notna().any() else None   # no whole window: not drawn nor claimed
    if rolling:
        rolled = pd.DataFrame({n: long[long["series"] == n].set_index("period")["rolling_mean"] for n in names})
        _step(ax, raw, freq, rolled=rolled)
        end = _period_end(raw.index, freq)
        mids = raw.index + (pd.DatetimeIndex(list(raw.index[1:]) + [end]) - raw.index) / 2
        for i, n in enumerate(names):
            g = long[long["series"] == n]
            ax.fill_between(mids, g["rolling_low"].to_numpy(dtype=float), g["rolling_high"].to_numpy(dtype=float),
                            color=charts.PALETTE[i % len(charts.PALETTE)], alpha=0.12, linewidth=0, label="_band")
    elif len(raw.columns):
        _step(ax, raw, freq)
    ax.axhline(0, color="#888888", linewidth=0.8, zorder=0, label="_zero")
    drawn = [raw.to_numpy(dtype=float).ravel()]
    if rolling:      # the axis fits every line and band drawn, not just the period means
        sub = long[long["series"].isin(names)]
        drawn += [sub[c].to_numpy(dtype=float) for c in ("rolling_mean", "rolling_low", "rolling_high")]
    vals = np.concatenate(drawn) if drawn else np.array([np.nan])
    lo = float(np.nanmin(vals)) if np.isfinite(vals).any() else -0.1
    hi = float(np.nanmax(vals)) if np.isfinite(vals).any() else 0.1
    pad = max(0.05, 0.1 * (hi - lo))
    ax.set_ylim(max(-1.0, min(lo, 0) - pad), min(1.0, max(hi, 0) + pad))
    if has_terms:
        default = (f"Tone toward {_title_terms(names or unmatched)}" if method == "news"
                   else f"Tone of sentences mentioning {_title_terms(names or unmatched)}")
        ylabel = ("Mean sentence tone (news-tone model, toward the term)" if method == "news"
                  else "Mean sentence tone (VADER compound)")
    else:
        default = f"Tone of coverage by {by}" if by else "Tone of coverage"
        ylabel = f"Mean article tone ({'news-tone model' if method == 'news' else 'VADER compound'})"
    if rolling:
        default += f" ({rolling}-{freq} trailing mean, 95% band)"
    return _finish_timeline(fig, ax, freq=freq, events=_events(events, articles), title=title or default, ylabel=ylabel, ymin=None,
                            legend_title="term" if has_terms else by,
                            partial=partial_periods(articles, freq=freq, date_from=date_from, date_to=date_to))


def plot_speakers(
    articles: pd.DataFrame,
    *,
    freq: str = config.DEFAULT_FREQ,
    top_n: int = 5,
    rolling: int | None = None,
    events=_DEFAULT,
    title: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
):
    """Quotes per period of the ``top_n`` most quoted speakers (see :func:`speakers`)."""
    freq = periods.check_freq(freq)
    raw = speakers(articles, freq=freq, top_n=top_n, date_from=date_from, date_to=date_to)
    rolled = _usable(periods.window_mean(raw, rolling) if rolling else None)   # = speakers(..., rolling=rolling)
    fig, ax = charts.figure()
    if raw.shape[1]:
        _step(ax, raw, freq, rolled=rolled)
    else:
        ax.set_xlim(raw.index[0], _period_end(raw.index, freq))
        ax.text(0.5, 0.5, "no attributed quotes in this selection", transform=ax.transAxes,
                ha="center", va="center", color="#555555")
    default = f"Quotes per {freq} of the {len(raw.columns)} most quoted speakers"
    return _finish_timeline(fig, ax, freq=freq, events=_events(events, articles), title=title or default,
                            ylabel=f"Quotes (count per {freq})", legend_title="speaker", count=True,
                            partial=partial_periods(articles, freq=freq, date_from=date_from, date_to=date_to))


__all__ = ["PERIOD_LABEL", "partial_periods", "counts", "searchable_text", "mentions", "attention",
           "spikes", "show_table", "tone", "speakers", "plot_counts", "plot_attention", "plot_attention_by",
           "plot_tone", "plot_speakers"]
