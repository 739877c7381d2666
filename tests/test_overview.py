"""Corpus overview: tables give known answers on a hand-made frame; charts are finished figures."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import newsdesk as nd  # noqa: E402
from newsdesk import charts, config, overview  # noqa: E402


@pytest.fixture
def tiny() -> pd.DataFrame:
    df = pd.DataFrame({
        "path": ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"],
        "title": ["One", "Two", "Three", "Four", "Five"],
        "date": pd.to_datetime(["2023-01-31 23:00", "2023-01-01 00:00", "2023-04-15 00:00", "2023-04-16 00:00",
                               "2023-03-02 00:00"]),
        "section": ["World", "Politics", "World", None, "World"],
        "agency": ["AFP", None, "AFP/Reuters", "AFP", "Reuters"],
        "words": [100, 200, 300, 400, 1000],
        "duplicate_of": [None, None, None, "x", None],
    })
    df.attrs["rejects"] = [{"path": "bad.txt", "line": 3, "reason": "missing '## Date:' header"}]
    df.attrs["n_files"] = 6
    return df


@pytest.fixture(scope="module")
def articles(sample_dir):
    return nd.load_corpus(sample_dir, cache=False)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- tables
def test_by_section(tiny):
    t = overview.by_section(tiny)
    assert t.to_dict("list") == {"section": ["World", "(no section)", "Politics"], "articles": [3, 1, 1],
                                 "share": [60.0, 20.0, 20.0]}


def test_by_agency_keeps_joint_lines_and_missing(tiny):
    t = overview.by_agency(tiny)
    assert dict(zip(t["agency"], t["articles"])) == {"AFP": 2, "(no wire line)": 1, "AFP/Reuters": 1, "Reuters": 1}
    assert t["agency"].iloc[0] == "AFP"
    assert t["share"].sum() == pytest.approx(100.0)


def test_by_month_fills_empty_months(tiny):
    t = overview.by_month(tiny)
    assert t["month"].dt.strftime("%Y-%m").tolist() == ["2023-01", "2023-02", "2023-03", "2023-04"]
    assert t["articles"].tolist() == [2, 0, 1, 2]


def test_by_month_by_section(tiny):
    t = overview.by_month(tiny, by="section").set_index("month")
    assert list(t.columns) == ["World", "(no section)", "Politics"]
    assert t.loc["2023-04-01"].to_dict() == {"World": 1, "(no section)": 1, "Politics": 0}
    assert t.sum().sum() == len(tiny)


def test_by_month_empty():
    empty = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]")})
    assert overview.by_month(empty).empty


def test_length_table(tiny):
    t = overview.length_table(tiny).set_index("statistic")["words"]
    assert t["articles"] == 5 and t["median"] == 300 and t["min"] == 100 and t["max"] == 1000
    assert t["mean"] == 400


def test_summary(tiny):
    s = overview.summary(tiny).set_index("item")["value"]
    assert s["articles"] == "5" and s["files"] == "6" and s["rejected inputs"] == "1"
    assert s["first date"] == "2023-01-01" and s["last date"] == "2023-04-16"
    assert s["sections"] == "2" and s["wire agencies"] == "3" and s["exact duplicates"] == "1"


def test_sample_articles(tiny):
    s = overview.sample_articles(tiny, 3, seed=1)
    assert list(s.columns) == ["date", "title", "section", "agency", "words"]
    assert len(s) == 3 and s["date"].is_monotonic_increasing
    assert s.equals(overview.sample_articles(tiny, 3, seed=1))
    assert len(overview.sample_articles(tiny, 50)) == 5


def test_rejects_passthrough(tiny):
    r = overview.rejects(tiny)
    assert r.to_dict("records") == [{"path": "bad.txt", "line": 3, "reason": "missing '## Date:' header"}]
    assert r.equals(nd.rejects(tiny))


def test_tables_on_the_sample(articles):
    assert overview.by_section(articles)["articles"].sum() == len(articles)
    assert overview.by_agency(articles)["articles"].sum() == len(articles)
    months = overview.by_month(articles)
    assert months["articles"].sum() == len(articles) and len(months) >= 12
    assert overview.summary(articles).set_index("item").loc["rejected inputs", "value"] == "0"


# --------------------------------------------------------------------------- charts
def _check(fig, *, legend: bool):
    assert isinstance(fig, Figure)
    (info,) = charts.labels_of(fig)
    assert info["title"] and info["xlabel"] and info["ylabel"]
    assert "(" in info["xlabel"] or "(" in info["ylabel"]          # a unit is named
    assert bool(info["legend"]) == legend
    w, h = fig.get_size_inches()
    assert 6 <= w <= 12 and 2 <= h <= 8
    return info


@pytest.mark.parametrize("name", ["section_chart", "agency_chart"])
def test_bar_charts(articles, name, tmp_path):
    fig = getattr(overview, name)(articles)
    _check(fig, legend=False)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    table = overview.by_section(articles) if name == "section_chart" else overview.by_agency(articles)
    assert labels == table.iloc[:, 0].tolist()[::-1]
    fig.savefig(tmp_path / f"{name}.png")


def test_month_chart_total_with_events(articles, tmp_path):
    fig = overview.month_chart(articles, events=config.EVENTS_FILE)
    info = _check(fig, legend=False)
    assert info["title"] == "Articles per month"
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches if p.get_label() != "_partial"]   # bars, not the partial hatch
    assert heights == overview.by_month(articles)["articles"].tolist()
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert 3 <= len(ticks) <= 16 and any(t.isdigit() and len(t) == 4 for t in ticks)   # readable, with the year
    texts = [t.get_text() for t in ax.texts]
    assert "Election day" in texts
    fig.savefig(tmp_path / "month.png")


def test_month_chart_by_section_has_legend(articles):
    fig = overview.month_chart(articles, by="section", top=3)
    info = _check(fig, legend=True)
    assert len(info["legend"]) == 4 and info["legend"][-1] == "other"


def test_length_chart(articles):
    fig = overview.length_chart(articles)
    info = _check(fig, legend=True)
    assert any(t.startswith("median") for t in info["legend"])
    counts = sum(p.get_height() for p in fig.axes[0].patches)
    assert counts == len(articles)


@pytest.mark.shared
def test_glance_on_polnear_names_the_election(polnear_dev):
    import newsdesk as nd

    g = overview.glance(nd.load_corpus(polnear_dev / "articles"))
    assert {"Donald Trump", "Hillary Clinton"} <= set(g["mentioned"]["name"]) and set(g) == {"mentioned", "quoted", "spikes"}
    assert g["quoted"]["speaker"].iloc[0] in {"Donald Trump", "Hillary Clinton"}
    assert (g["spikes"]["articles mentioning it"] >= 3).all()


def test_a_partial_last_month_is_marked_on_the_month_chart():
    """Issue 18: a partly covered last month (7 days of September) read as a collapse; 04's charts
    hatch it, and so do 01's articles per month (bars and lines)."""
    arts = pd.DataFrame({"date": pd.to_datetime(["2016-07-04", "2016-08-15", "2016-09-06"]),
                         "section": ["A", "B", "A"], "duplicate_of": None})
    for by in (None, "section"):
        ax = overview.month_chart(arts, by=by).axes[0]
        assert any(p.get_label() == "_partial" for p in ax.patches)
        assert any("6 of 30 days" in t.get_text() for t in ax.texts)
        plt.close(ax.figure)
    whole = overview.month_chart(arts.iloc[:2].assign(date=pd.to_datetime(["2016-07-01", "2016-08-31"]))).axes[0]
    assert not any(p.get_label() == "_partial" for p in whole.patches)
