"""The corpus overview: what is in the archive, before any analysis.

Small functions, an articles frame (from :func:`newsdesk.load_corpus`) in, a table or a chart
out. Tables are plain DataFrames; charts are matplotlib Figures finished by
:mod:`newsdesk.charts` (title, axis labels with units, readable dates, a legend when there is
more than one series). ``notebooks/01-corpus-overview.ipynb`` shows them all.

>>> import newsdesk as nd
>>> from newsdesk import overview
>>> articles = nd.load_corpus("data/sample")       # doctest: +SKIP
>>> overview.summary(articles)                      # doctest: +SKIP
>>> overview.by_section(articles)                   # doctest: +SKIP
>>> fig = overview.month_chart(articles)            # doctest: +SKIP
"""
from __future__ import annotations

import os
from typing import Sequence

import pandas as pd

from . import charts, config, periods
from .corpus import rejects as _rejects

__all__ = ["NO_AGENCY", "SAMPLE_COLUMNS", "by_section", "by_agency", "by_month",
           "length_table", "summary", "sample_articles", "rejects", "section_chart", "agency_chart",
           "month_chart", "length_chart", "glance"]

NO_AGENCY = "(no wire line)"
SAMPLE_COLUMNS = ["date", "title", "section", "agency", "words"]


def _count(values: pd.Series, name: str, missing: str) -> pd.DataFrame:
    counts = values.astype(object).where(values.notna(), missing).value_counts()
    df = counts.rename_axis(name).reset_index(name="articles")
    df = df.sort_values(["articles", name], ascending=[False, True], kind="stable").reset_index(drop=True)
    total = int(df["articles"].sum())
    df["share"] = (100.0 * df["articles"] / total).round(1) if total else 0.0
    return df


def by_section(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles per section, most first: columns ``section``, ``articles``, ``share`` (percent).

    Articles without a ``## Section:`` are counted as ``(no section)``.

    >>> df = pd.DataFrame({"section": ["World", "Politics", "World", None]})
    >>> by_section(df).to_dict("list")
    {'section': ['World', '(no section)', 'Politics'], 'articles': [2, 1, 1], 'share': [50.0, 25.0, 25.0]}
    """
    return _count(articles["section"], "section", config.NO_SECTION)


def by_agency(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles per wire agency, most first: columns ``agency``, ``articles``, ``share`` (percent).

    Articles without a wire line are counted as ``(no wire line)``; joint lines such as
    ``AFP/Reuters`` count as their own agency.

    >>> df = pd.DataFrame({"agency": ["AFP", "AFP/Reuters", "AFP", None]})
    >>> by_agency(df)["agency"].tolist()
    ['AFP', '(no wire line)', 'AFP/Reuters']
    """
    return _count(articles["agency"], "agency", NO_AGENCY)


def by_month(articles: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """Articles per calendar month, months without articles included as 0.

    Returns ``month`` (first day of the month) and ``articles``; with ``by="section"`` (or any
    column) one column of counts per value instead, most frequent first.

    >>> df = pd.DataFrame({"date": pd.to_datetime(["2023-01-05", "2023-03-02", "2023-03-30"])})
    >>> by_month(df).to_dict("list")   # doctest: +NORMALIZE_WHITESPACE
    {'month': [Timestamp('2023-01-01 00:00:00'), Timestamp('2023-02-01 00:00:00'),
               Timestamp('2023-03-01 00:00:00')], 'articles': [1, 0, 2]}
    """
    dates = pd.to_datetime(articles["date"])
    if dates.empty:
        cols = {"month": pd.Series(dtype="datetime64[ns]"), "articles": pd.Series(dtype="int64")}
        return pd.DataFrame(cols)
    month = dates.dt.to_period("M")
    full = pd.period_range(month.min(), month.max(), freq="M")
    if by is None:
        counts = month.value_counts().reindex(full, fill_value=0).sort_index()
        out = pd.DataFrame({"month": full.to_timestamp(), "articles": counts.to_numpy().astype("int64")})
        return out
    key = articles[by].astype(object).where(articles[by].notna(), f"(no {by})")
    table = pd.crosstab(month, key).reindex(full, fill_value=0)
    order = table.sum().sort_values(ascending=False, kind="stable").index
    table = table[order].astype("int64")
    table.index = full.to_timestamp()
    table.index.name = "month"
    table.columns.name = None
    return table.reset_index()


def length_table(articles: pd.DataFrame) -> pd.DataFrame:
    """Summary of article lengths in words (clean text: no title line, no wire line).

    One row per statistic: ``articles``, ``mean``, ``min``, ``25%``, ``median``, ``75%``, ``max``.

    >>> length_table(pd.DataFrame({"words": [100, 200, 300]}))["words"].tolist()
    [3.0, 200.0, 100.0, 150.0, 200.0, 250.0, 300.0]
    """
    d = articles["words"].astype(float).describe()
    stats = {"articles": d["count"], "mean": d.get("mean"), "min": d.get("min"), "25%": d.get("25%"),
             "median": d.get("50%"), "75%": d.get("75%"), "max": d.get("max")}
    return pd.DataFrame({"statistic": list(stats), "words": [round(float(v), 1) for v in stats.values()]})


def summary(articles: pd.DataFrame) -> pd.DataFrame:
    """Key facts about a load as a two-column table (``item``, ``value``): articles, files,
    rejects, first and last date, sections, agencies, median length, duplicates.

    >>> df = pd.DataFrame({"date": pd.to_datetime(["2023-01-05", "2023-03-02"]), "section": ["World", None],
    ...                    "agency": ["AFP", None], "words": [120, 80], "duplicate_of": [None, None]})
    >>> summary(df).set_index("item")["value"].to_dict()["first date"]
    '2023-01-05'
    """
    dates = pd.to_datetime(articles["date"])
    rej = len(_rejects(articles)) if isinstance(articles, pd.DataFrame) else 0
    rows = [
        ("articles", f"{len(articles):,}"),
        ("files", f"{articles.attrs.get('n_files', articles['path'].nunique() if 'path' in articles else len(articles)):,}"),
        ("rejected inputs", f"{rej:,}"),
        ("first date", f"{dates.min():%Y-%m-%d}" if len(dates) else "-"),
        ("last date", f"{dates.max():%Y-%m-%d}" if len(dates) else "-"),
        ("sections", f"{articles['section'].nunique():,}"),
        ("wire agencies", f"{articles['agency'].nunique():,}"),
        ("median length (words)", f"{articles['words'].median():,.0f}" if len(articles) else "-"),
        ("exact duplicates", f"{int(articles['duplicate_of'].notna().sum()):,}" if "duplicate_of" in articles else "-"),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])


def sample_articles(articles: pd.DataFrame, n: int = 10, *, seed: int = 0) -> pd.DataFrame:
    """``n`` articles picked at random (reproducibly, by ``seed``), in date order, with
    ``date``, ``title``, ``section``, ``agency`` and ``words``.

    >>> df = pd.DataFrame({"date": pd.to_datetime(["2023-02-01", "2023-01-01"]), "title": ["B", "A"],
    ...                    "section": ["World", "World"], "agency": ["AFP", None], "words": [200, 300]})
    >>> sample_articles(df, 5)["title"].tolist()
    ['A', 'B']
    """
    k = min(int(n), len(articles))
    picked = articles.sample(n=k, random_state=seed) if k < len(articles) else articles
    return picked.sort_values("date", kind="stable")[SAMPLE_COLUMNS].reset_index(drop=True)


def rejects(articles: pd.DataFrame) -> pd.DataFrame:
    """The inputs that could not be read, with the reason (``path``, ``line``, ``reason``):
    the same table as :func:`newsdesk.rejects`.

    >>> rejects(pd.DataFrame()).columns.tolist()
    ['path', 'line', 'reason']
    """
    return _rejects(articles)


# --------------------------------------------------------------------------- charts
def _bar_chart(table: pd.DataFrame, label_col: str, *, title: str, ylabel: str):
    fig, ax = charts.figure(size=(9, max(2.5, 0.4 * len(table) + 1.2)))
    t = table.iloc[::-1]  # largest at the top
    bars = ax.barh(t[label_col].astype(str), t["articles"], color=charts.PALETTE[0])
    ax.bar_label(bars, labels=[f"{a:,} ({s:.0f}%)" for a, s in zip(t["articles"], t["share"])],
                 padding=3, fontsize=9)
    ax.margins(x=0.15)
    ax.grid(axis="y", visible=False)
    return charts.finish(ax, title=title, xlabel="Articles (count)", ylabel=ylabel)


def section_chart(articles: pd.DataFrame):
    """Horizontal bar chart of articles per section, with counts and shares.

    >>> fig = section_chart(articles)      # doctest: +SKIP
    """
    return _bar_chart(by_section(articles), "section", title="Articles per section", ylabel="Section")


def agency_chart(articles: pd.DataFrame):
    """Horizontal bar chart of articles per wire agency (``(no wire line)`` included).

    >>> fig = agency_chart(articles)       # doctest: +SKIP
    """
    return _bar_chart(by_agency(articles), "agency", title="Articles per wire agency", ylabel="Agency (wire line)")


def month_chart(articles: pd.DataFrame, *, by: str | None = None, top: int = 6,
                events: str | os.PathLike | Sequence | pd.DataFrame | None = None):
    """Articles per month: bars for the total, or one line per value of ``by`` (e.g.
    ``"section"``; the ``top`` most frequent values, the rest summed as ``other``).
    ``events`` (a ``date,label`` CSV such as ``config.EVENTS_FILE``, or a list) are marked as
    dashed vertical lines.

    >>> fig = month_chart(articles, by="section", events=config.EVENTS_FILE)   # doctest: +SKIP
    """
    fig, ax = charts.figure()
    if by is None:
        t = by_month(articles)
        # bars centred mid-month, about 25 days wide, so they sit between month ticks
        x = t["month"] + pd.Timedelta(days=14)
        ax.bar(x, t["articles"], width=25, color=charts.PALETTE[0], label="articles")
        title = "Articles per month"
    else:
        t = by_month(articles, by=by).set_index("month")
        if t.shape[1] > top:
            keep = list(t.columns[:top])
            t = t[keep].assign(other=t.drop(columns=keep).sum(axis=1))
        for i, col in enumerate(t.columns):
            ax.plot(t.index + pd.Timedelta(days=14), t[col], marker="o", markersize=3, linewidth=1.6,
                    color=charts.PALETTE[i % len(charts.PALETTE)], label=str(col))
        title = f"Articles per month by {by}"
    ax.set_ylim(bottom=0)
    charts.date_axis(ax)
    dates = articles["date"].dropna()
    charts.mark_partial(ax, periods.partial_spans(dates.min(), dates.max(), freq="month") if len(dates) else [])
    if events is not None:
        charts.add_events(ax, events)
    return charts.finish(ax, title=title, xlabel="Month", ylabel="Articles (count per month)",
                         legend=None if by is None else True, legend_title=by)


def length_chart(articles: pd.DataFrame, *, bins: int = 30):
    """Histogram of article lengths in words, with the median marked.

    >>> fig = length_chart(articles)       # doctest: +SKIP
    """
    fig, ax = charts.figure()
    words = articles["words"].astype(float)
    ax.hist(words, bins=bins, color=charts.PALETTE[0], edgecolor="white", label="articles")
    if len(words):
        med = float(words.median())
        ax.axvline(med, color=charts.PALETTE[1], linestyle="--", linewidth=1.5, label=f"median: {med:,.0f} words")
    return charts.finish(ax, title="Article length", xlabel="Length (words, clean text)",
                         ylabel="Articles (count)", legend=True)


def glance(articles: pd.DataFrame, *, n: int = 8) -> dict[str, pd.DataFrame]:
    """What is in here, at a glance: the front page of a report.

    Returns three tables: ``"mentioned"``, the names the archive mentions in the most articles
    (:func:`newsdesk.entities.top_subjects`); ``"quoted"``, the most-quoted speakers
    (:func:`newsdesk.speakers.top_speakers`); ``"spikes"``, the biggest weekly spikes of attention to
    the most mentioned names (:func:`newsdesk.timeline.spikes`), each with the notebook that
    explains it in the report.

    >>> g = glance(nd.load_corpus("data/sample"))       # doctest: +SKIP
    >>> g["spikes"]                                      # doctest: +SKIP
    """
    from . import config, entities, speakers, timeline

    subjects = entities.top_subjects(articles, n=max(n, 4), max_articles=config.SUBJECT_SAMPLE)
    mentioned = subjects.head(n)
    read = subjects.attrs.get("articles_read", len(articles))
    mentioned = mentioned.assign(share=(100 * mentioned["share"]).round(1)).rename(
        columns={"share": "% of articles", "articles": f"articles (of {read:,})"}).drop(columns=["mentions"])
    quoted = speakers.top_speakers(speakers.quotes(articles), top_n=n)[["speaker", "kind", "quotes", "articles"]]
    terms, _ = entities.auto_terms(articles, n=min(n, 4), subjects=subjects)   # the names just counted
    sp = timeline.spikes(articles, terms, freq="week", n=n) if terms and articles["date"].notna().any() else \
        pd.DataFrame(columns=["term", "period", "articles", "share", "times_median"])
    spikes = pd.DataFrame({"subject": sp["term"], "week starting": pd.to_datetime(sp["period"]).dt.strftime("%Y-%m-%d"),
                           "articles mentioning it": sp["articles"],
                           "% of the week's articles": (100 * sp["share"].astype(float)).round(1),
                           "times its median week": sp["times_median"].astype(float).replace(float("inf"), float("nan")).round(1),
                           "explained in": "05-keywords (term, period_from)"})
    mentioned = mentioned.assign(**{"explained in": "04-timeline (terms)"})
    mentioned.attrs["articles_read"] = read       # the names were counted in this many articles
    return {"mentioned": mentioned,
            "quoted": quoted.assign(**{"explained in": "03-quotes (speakers)"}),
            "spikes": spikes}
