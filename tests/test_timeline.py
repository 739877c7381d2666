"""Timelines: periods, zero-filled counts, normalized attention, rolling means, events, tone,
speakers, the timeline notebook, and Trump|Clinton on PolNeAR."""
from __future__ import annotations

from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from newsdesk import charts, periods, search, timeline
import reportkit as kit

# --------------------------------------------------------------------------- helpers


def frame(rows: list[tuple[str, str, str]], section: list[str | None] | None = None) -> pd.DataFrame:
    """A hand-made articles frame: (date, title, text) rows."""
    df = pd.DataFrame(rows, columns=["date", "title", "text"])
    df["date"] = pd.to_datetime(df["date"])
    df["article_id"] = [f"a{i}" for i in range(len(df))]
    if section is not None:
        df["section"] = pd.Series(section, dtype="str")
    return df


def write_corpus(folder: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """Seed-format files: (date YYYY-MM-DD, section, title, body)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, (date, section, title, body) in enumerate(rows):
        (folder / f"{i:03d}.txt").write_text(
            f"## Title: {title}\n## Supertitle:\n## Section: {section}\n## Date: {date}\n\n{title}\n{body}\n- AFP\n",
            encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- dates
@pytest.mark.parametrize("lo, hi, expected", [
    ("2016-07", "2016-07", ("2016-07-01", "2016-07-31 23:59:59.999999999")),
    ("2016", "2016", ("2016-01-01", "2016-12-31 23:59:59.999999999")),
    ("2016-07-04", "2016-07-05", ("2016-07-04", "2016-07-05 23:59:59.999999999")),
    (None, "", (None, None)),
])
def test_date_bounds(lo, hi, expected):
    got = timeline.date_bounds(lo, hi)
    assert got == tuple(pd.Timestamp(e) if e else None for e in expected)


def test_date_bounds_rejects_reversed_and_bad():
    with pytest.raises(ValueError, match="(?i)swap"):
        timeline.date_bounds("2016-08-01", "2016-07-01")
    with pytest.raises(ValueError, match="is not a date"):
        timeline.date_bounds("last year", None)


# --------------------------------------------------------------------------- counts
def test_counts_zero_fills_a_gap():
    arts = frame([("2016-01-05", "a", ""), ("2016-01-20", "b", ""), ("2016-03-02", "c", "")])
    c = timeline.counts(arts, freq="month")
    assert list(c.index) == list(pd.to_datetime(["2016-01-01", "2016-02-01", "2016-03-01"]))
    assert c["articles"].tolist() == [2, 0, 1]


def test_counts_weekly_gap_and_range_beyond_the_data():
    arts = frame([("2016-01-04", "a", ""), ("2016-01-20", "b", "")])
    c = timeline.counts(arts, freq="week", date_from="2015-12-28", date_to="2016-01-31")
    assert c["articles"].tolist() == [0, 1, 0, 1, 0]  # weeks of Dec 28, Jan 4, 11, 18, 25


def test_counts_by_section_with_missing_section():
    arts = frame([("2016-01-05", "a", ""), ("2016-01-06", "b", ""), ("2016-02-02", "c", "")],
                 section=["World", None, "World"])
    c = timeline.counts(arts, by="section")
    assert c.to_dict("list") == {"World": [1, 1], "(no section)": [1, 0]}


def test_counts_drop_exact_duplicates():
    arts = frame([("2016-01-05", "a", ""), ("2016-01-05", "a", "")])
    arts["duplicate_of"] = pd.Series([np.nan, "a0"], dtype="str")
    assert timeline.counts(arts)["articles"].tolist() == [1]


def test_counts_rolling_mean_trailing():
    arts = frame([("2016-01-05", "a", ""), ("2016-03-02", "c", ""), ("2016-03-09", "d", "")])
    c = timeline.counts(arts, rolling=2, center=False)
    assert c["articles"].tolist()[1:] == [0.5, 1.0] and np.isnan(c["articles"].iloc[0])   # January has no 2-month window


def test_empty_articles_is_a_clear_error():
    with pytest.raises(ValueError, match="no articles"):
        timeline.counts(frame([]))


# --------------------------------------------------------------------------- attention
JAN_FEB_MAR = [
    ("2016-01-03", "Flood hits the valley", "Water everywhere."),
    ("2016-01-10", "Vote count", "Nothing else."),
    ("2016-01-15", "Budget", "Figures."),
    ("2016-01-28", "Weather", "Dry."),
    ("2016-03-02", "Election", "The floods returned."),       # 'floods' is not 'flood'
    ("2016-03-09", "More", "Another FLOOD warning, and a vote."),
]


def test_attention_share_is_the_default():
    a = timeline.attention(frame(JAN_FEB_MAR), "flood")
    assert a["flood"].tolist() == pytest.approx([0.25, 0.0, 0.5])


def test_attention_raw_counts():
    a = timeline.attention(frame(JAN_FEB_MAR), "flood", normalize=False)
    assert a["flood"].tolist() == [1, 0, 1]


def test_attention_string_with_bar_is_two_series_list_items_keep_alternatives():
    arts = frame(JAN_FEB_MAR)
    two = timeline.attention(arts, "flood|vote", normalize=False)
    assert list(two.columns) == ["flood", "vote"]
    assert two["vote"].tolist() == [1, 0, 1]
    one = timeline.attention(arts, ["flood|vote", "budget"], normalize=False)
    assert list(one.columns) == ["flood|vote", "budget"]
    assert one["flood|vote"].tolist() == [2, 0, 1]


def test_attention_regex_only_when_asked():
    arts = frame(JAN_FEB_MAR)
    assert timeline.attention(arts, "re:floods?", normalize=False)["re:floods?"].tolist() == [1, 0, 2]
    assert timeline.attention(arts, "floods?", normalize=False)["floods?"].tolist() == [0, 0, 0]
    assert timeline.attention(arts, "floods?", regex=True, normalize=False).iloc[:, 0].tolist() == [1, 0, 2]


def test_attention_rolling_share_is_the_share_over_the_window():
    arts = frame(JAN_FEB_MAR)
    trailing = timeline.attention(arts, "flood", rolling=2, center=False)["flood"].tolist()
    # Jan has no 2-month window; Jan+Feb (1+0)/(4+0); Feb+Mar (0+1)/(0+2): the empty February does not count as 0%
    assert np.isnan(trailing[0]) and trailing[1:] == pytest.approx([0.25, 0.5])
    centred = timeline.attention(arts, "flood", rolling=3)["flood"].tolist()
    assert np.isnan(centred[0]) and centred[1] == pytest.approx(2 / 6) and np.isnan(centred[2])


def test_attention_by_section_shares_within_section():
    arts = frame([("2016-01-03", "flood", ""), ("2016-01-04", "x", ""), ("2016-01-05", "flood", "")],
                 section=["World", "World", "Sport"])
    a = timeline.attention(arts, "flood", by="section")
    assert a[("World", "flood")].tolist() == [0.5]
    assert a[("Sport", "flood")].tolist() == [1.0]


def test_mentions_in_title_or_text_whole_words():
    arts = frame([("2016-01-03", "Iran talks", ""), ("2016-01-04", "Oil", "Iranian oil"),
                  ("2016-01-05", "Oil", "In Iran, talks")])
    assert timeline.mentions(arts, "Iran")["Iran"].tolist() == [True, False, True]


def test_a_term_searched_once_is_read_back_by_the_next_process_until_the_articles_change(tmp_path, monkeypatch):
    import newsdesk as nd
    from newsdesk import config, search

    folder = write_corpus(tmp_path / "c", TONE_ROWS)
    arts = nd.load_corpus(folder)
    first = timeline.mentions(arts, "win")["win"].tolist()
    assert any(first) and not all(first)
    assert list((config.CACHE_DIR / "hits").glob(f"{len(arts)}-*/*.bits"))
    monkeypatch.setattr(search, "_INDEX_CACHE", {})            # as in a new process
    real = search.TextIndex._hits
    monkeypatch.setattr(search.TextIndex, "_hits", lambda self, t, regex=False: pytest.fail("searched again"))
    assert timeline.mentions(nd.load_corpus(folder), "win")["win"].tolist() == first
    # an edited article: other texts, so the term is searched in them
    path = folder / "000.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Markets were calm.", "Markets saw a win."), encoding="utf-8")
    monkeypatch.setattr(search.TextIndex, "_hits", real)
    again = timeline.mentions(nd.load_corpus(folder), "win")["win"]
    assert again.sum() == sum(first) + 1


def test_attention_needs_terms():
    with pytest.raises(ValueError, match="no terms"):
        timeline.attention(frame(JAN_FEB_MAR), "")


# --------------------------------------------------------------------------- charts and events
def _event_lines(ax):
    return [ln for ln in ax.get_lines() if ln.get_label() == "_event"]


def test_plot_attention_draws_events_where_the_parameter_puts_them():
    arts = frame(JAN_FEB_MAR)
    fig = timeline.plot_attention(arts, "flood|vote", events=["2016-02-14 Storm warning", ("2016-03-05", "Poll")])
    ax = fig.axes[0]
    xs = sorted(ln.get_xdata()[0] for ln in _event_lines(ax))
    assert xs == pytest.approx([mdates.date2num(pd.Timestamp("2016-02-14")), mdates.date2num(pd.Timestamp("2016-03-05"))])
    assert {t.get_text() for t in ax.texts} >= {"Storm warning", "Poll"}
    info = charts.labels_of(fig)[0]
    assert info["legend"] == ["flood", "vote"] and info["n_series"] == 2


def test_events_outside_the_range_are_not_drawn():
    fig = timeline.plot_attention(frame(JAN_FEB_MAR), "flood", events=["2019-01-01 Later"])
    assert _event_lines(fig.axes[0]) == []


@pytest.mark.parametrize("where", ["corpus", "parent", "nowhere"])
def test_default_events_come_from_the_corpus_own_events_file(tmp_path, where):
    """The corpus's events.csv (in its folder, else the folder holding it) is the default; another
    archive never gets the sample's events."""
    root = tmp_path / "archive" / "articles"
    root.mkdir(parents=True)
    if where != "nowhere":
        f = (root if where == "corpus" else root.parent) / "events.csv"
        f.write_text("date,label\n2016-02-10,From the file\n", encoding="utf-8")
    arts = frame(JAN_FEB_MAR)
    arts.attrs["root"] = str(root)
    fig = timeline.plot_counts(arts)
    assert ("From the file" in {t.get_text() for t in fig.axes[0].texts}) == (where != "nowhere")


def test_crowded_events_are_numbered_with_a_key():
    arts = frame(JAN_FEB_MAR)
    evs = [f"2016-02-{d:02d} A rather long event label number {d}" for d in range(1, 15)]
    fig = timeline.plot_attention(arts, "flood", events=evs)
    key = [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    assert key and all(k.split()[0].isdigit() for k in key)
    _assert_no_overlap(fig)


def test_plot_counts_zero_bar_for_an_empty_period():
    fig = timeline.plot_counts(frame(JAN_FEB_MAR), by=None, events=None)
    heights = [p.get_height() for p in fig.axes[0].patches if p.get_label() != "_partial"]
    assert heights == [4, 0, 2]


def test_plot_attention_by_section_panels():
    arts = frame(JAN_FEB_MAR, section=["World", "World", "Sport", "Sport", "World", "Culture"])
    fig = timeline.plot_attention_by(arts, "flood|vote", events=None)
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()]
    assert titles == ["World", "Sport", "Culture"]
    assert [t.get_text() for leg in fig.legends for t in leg.get_texts()] == ["flood", "vote"]


def _assert_no_overlap(fig):
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    for ax in fig.axes:
        boxes = [t.get_window_extent(r) for t in ax.texts if t.get_visible() and t.get_text()]
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                ov = boxes[i].intersection(boxes[i], boxes[j])
                assert ov is None or ov.width < 1 or ov.height < 1, "event labels overlap"


# --------------------------------------------------------------------------- tone and speakers
TONE_ROWS = [
    ("2016-01-05", "World", "Flood news", "The flood was a terrible, deadly disaster. Markets were calm."),
    ("2016-01-20", "World", "More flood news", "The flood killed many and destroyed homes. Rain fell."),
    ("2016-01-25", "World", "Flood again", "The awful flood left people devastated and sad."),
    ("2016-03-03", "Sport", "Win", "The team won a wonderful, happy victory. The flood is over, a great relief."),
    ("2016-03-10", "Sport", "Win again", "A brilliant, joyful win. The flood recovery is a great success."),
    ("2016-03-20", "Sport", "Win", "Fans loved the flood relief concert, a superb happy night."),
]


def test_tone_per_term_is_negative_then_positive_with_a_gap(tmp_path):
    import newsdesk as nd

    arts = nd.load_corpus(write_corpus(tmp_path / "c", TONE_ROWS), cache=False)
    t = timeline.tone(arts, "flood", min_n=1)
    flood = t[t["series"] == "flood"].set_index("period")["mean"]
    assert flood.loc["2016-01-01"] < -0.3
    assert np.isnan(flood.loc["2016-02-01"])      # no sentences: unknown, not neutral
    assert flood.loc["2016-03-01"] > 0.3


def test_tone_by_section_and_plot(tmp_path):
    import newsdesk as nd

    arts = nd.load_corpus(write_corpus(tmp_path / "c", TONE_ROWS), cache=False)
    t = timeline.tone(arts, by="section", min_n=1)
    assert set(t["series"]) == {"World", "Sport"}
    fig = timeline.plot_tone(arts, "flood", min_n=1, events=None)
    assert charts.labels_of(fig)[0]["ylabel"].startswith("Mean sentence tone (")


def test_speakers_counts_top_speakers(tmp_path):
    import newsdesk as nd

    rows = [("2016-01-05", "World", f"Talks {i}", f'"We will not give up," said Anna Berg. "It is over," said Tom Holt.')
            for i in range(3)] + [("2016-03-05", "World", "Later", '"Still here," said Anna Berg.')]
    arts = nd.load_corpus(write_corpus(tmp_path / "c", rows), cache=False)
    sp = timeline.speakers(arts, top_n=1)
    assert list(sp.columns) == ["Anna Berg"]
    assert sp["Anna Berg"].tolist() == [3, 0, 1]


# --------------------------------------------------------------------------- PolNeAR
@pytest.mark.shared
def test_polnear_trump_clinton_two_series_legend_and_events(shared_dir):
    import newsdesk as nd

    pattern = shared_dir / "corpora" / "polnear-*" / "articles" / "*.txt"
    arts = nd.load_corpus(str(pattern))
    events = ["2016-02-01 Iowa caucuses", "2016-07-28 Clinton accepts nomination", "2016-09-26 First debate"]
    fig = timeline.plot_attention(arts, "Trump|Clinton", events=events)
    ax = fig.axes[0]
    series = [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]
    assert [ln.get_label() for ln in series] == ["Trump", "Clinton"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Trump", "Clinton"]
    xs = sorted(ln.get_xdata()[0] for ln in _event_lines(ax))
    assert xs == pytest.approx([mdates.date2num(pd.Timestamp(e[:10])) for e in events])
    assert {"Iowa caucuses", "Clinton accepts nomination", "First debate"} <= {t.get_text() for t in ax.texts}
    lo, hi = ax.get_xlim()
    assert mdates.num2date(lo).strftime("%Y-%m") == "2015-11" and mdates.num2date(hi).strftime("%Y-%m") == "2016-11"
    share = timeline.attention(arts, "Trump|Clinton")
    assert len(share) == 12 and share.min().min() > 0.3 and share.max().max() <= 1.0
    _assert_no_overlap(fig)


# --------------------------------------------------------------------------- notebook
NB = Path(__file__).resolve().parents[1] / "notebooks" / "04-timeline.ipynb"


def _run(tmp_path, params):
    import papermill as pm

    out = tmp_path / "out.ipynb"
    with kit.private_kernel() as kernel:
        pm.execute_notebook(str(NB), str(out), parameters=params, kernel_name="newsdesk", cwd=str(NB.parent),
                            progress_bar=False, **kernel)
    import nbformat

    return nbformat.read(str(out), as_version=4)


def _pngs(nb) -> int:
    return sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if "image/png" in o.get("data", {}))


def test_notebook_04_conventions():
    import ast

    import nbformat

    nb = nbformat.read(str(NB), as_version=4)
    assert nb.cells[0].cell_type == "markdown"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and nb.cells[1] is tagged[0]
    names = [n.target.id for n in ast.parse(tagged[0].source).body if isinstance(n, ast.AnnAssign)]
    assert names == ["corpus", "terms", "freq", "date_from", "date_to", "sections", "where", "events", "rolling",
                     "normalize"]
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert nb.metadata["kernelspec"]["name"] == "newsdesk"
    assert "sys.path" not in "".join(c.source for c in nb.cells)


@pytest.mark.slow
def test_notebook_04_runs_on_the_sample(tmp_path):
    nb = _run(tmp_path, {})
    assert _pngs(nb) >= 4


@pytest.mark.slow
@pytest.mark.shared
def test_notebook_04_runs_on_polnear_dev(tmp_path, polnear_dev):
    nb = _run(tmp_path, {"corpus": str(polnear_dev), "terms": "Trump|Clinton", "freq": "week", "rolling": 4,
                         "events": ["2016-09-26 First debate", "2016-10-04 Vice-presidential debate"],
                         "sections": []})
    assert _pngs(nb) >= 3


# --------------------------------------------------------------------------- term search on loaded corpora
@pytest.fixture(scope="module")
def loaded(sample_dir):
    import newsdesk as nd

    return nd.load_corpus(sample_dir)


def test_mentions_equal_searching_every_text(loaded):
    from newsdesk.text import term_pattern

    texts = timeline.searchable_text(loaded).tolist()
    for terms in ["flood|trade|vaccine", ["Weber|minister", "re:vacc\\w+"]]:
        got = timeline.mentions(loaded, terms)
        for label, term in timeline._series(terms).items():
            pat = term_pattern(term)
            assert got[label].tolist() == [pat.search(t) is not None for t in texts]


def test_mentions_reuse_the_prepared_text_only_for_the_same_articles(loaded):
    search._INDEX_CACHE.clear()
    first = timeline.mentions(loaded, "flood")
    assert len(search._INDEX_CACHE) == 1
    again = timeline.mentions(loaded.copy(), "flood")          # same content: prepared text reused
    assert len(search._INDEX_CACHE) == 1
    pd.testing.assert_frame_equal(first, again)
    changed = loaded.copy()
    i = int(np.flatnonzero(~first["flood"].to_numpy())[0])
    changed.loc[changed.index[i], "title"] = "Flood warning"
    changed.loc[changed.index[i], "content_hash"] = "changed"
    assert timeline.mentions(changed, "flood")["flood"].iloc[i]    # not the stale answer
    assert len(search._INDEX_CACHE) == 1                          # only the last set is kept
    pd.testing.assert_frame_equal(timeline.mentions(loaded, "flood"), first)


def test_tone_reads_only_articles_that_may_mention_a_term_with_the_same_result(loaded, monkeypatch, tmp_path):
    terms = "flood|trade|vaccine"
    from newsdesk import config, sentiment

    def fresh(name):      # a new process with a cache of its own: nothing kept is read
        monkeypatch.setattr(config, "CACHE_DIR", tmp_path / name)
        monkeypatch.setattr(search, "_INDEX_CACHE", {})

    fresh("a")
    fast = timeline.tone(loaded, terms, freq="month", rolling=2)
    subset = sentiment._candidate_articles(loaded, list(timeline._series(terms).values()))
    assert 0 < len(subset) < len(loaded)
    monkeypatch.setattr(sentiment, "_candidate_articles", lambda articles, terms, regex=False, index=None:
                        np.arange(len(articles)))
    fresh("b")
    pd.testing.assert_frame_equal(fast, timeline.tone(loaded, terms, freq="month", rolling=2))


def test_plot_speakers_rolls_the_raw_counts(loaded):
    raw = timeline.speakers(loaded, freq="month", top_n=3)
    pd.testing.assert_frame_equal(periods.window_mean(raw, 3), timeline.speakers(loaded, freq="month", top_n=3, rolling=3))


@pytest.mark.parametrize("freq, normalize, shown, hidden", [
    ("month", True, ["2016-01", "month", "50.0%"], ["2016-01-01", "00:00"]),
    ("week", True, ["2016-01-04", "week starting", "50.0%"], ["00:00"]),
    ("day", False, ["2016-01-04", "1,234"], ["00:00", "1234.0"]),
])
def test_show_table_labels_periods_by_freq(freq, normalize, shown, hidden):
    from newsdesk import timeline as tl

    t = pd.DataFrame({"flood": [0.5, 1234.0] if not normalize else [0.5, 0.25]},
                     index=pd.to_datetime(["2016-01-04", "2016-02-01"] if freq != "month" else ["2016-01-01", "2016-02-01"]))
    t.index.name = "period"
    html = tl.show_table(t, freq=freq, normalize=normalize).to_html()
    assert all(s in html for s in shown) and not any(s in html for s in hidden)
    assert t.index.name == "period" and isinstance(t.index, pd.DatetimeIndex)   # the table is unchanged


@pytest.mark.parametrize("dates, freq, date_to, expected", [
    (["2016-08-01", "2016-09-07"], "month", None, [("2016-09-01", 7, 30)]),     # 7 days of September
    (["2016-08-20", "2016-09-30"], "month", None, [("2016-08-01", 12, 31)]),    # a late first month
    (["2016-08-01", "2016-09-29"], "month", None, []),                          # 29 of 30 days is whole
    (["2016-08-01", "2016-09-29"], "month", "2016-09-10", [("2016-09-01", 10, 30)]),
    (["2016-08-03", "2016-08-31"], "week", None, [("2016-08-01", 5, 7), ("2016-08-29", 3, 7)]),
    (["2016-08-03", "2016-08-04"], "day", None, []),
])
def test_partial_periods(dates, freq, date_to, expected):
    arts = pd.DataFrame({"date": pd.to_datetime(dates)})
    got = timeline.partial_periods(arts, freq=freq, date_to=date_to)
    assert [(s.strftime("%Y-%m-%d"), c, d) for s, e, c, d in got] == expected


def test_a_partial_last_month_is_marked_on_the_chart():
    arts = frame([("2016-07-01", "flood", ""), ("2016-08-15", "flood", ""), ("2016-09-06", "flood", "")])
    fig = timeline.plot_attention(arts, "flood", freq="month", events=None)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("6 of 30 days" in t for t in texts)
    assert any(p.get_label() == "_partial" for p in fig.axes[0].patches)


def test_an_unmatched_term_gets_a_sentence_not_a_zero_line():
    arts = frame(JAN_FEB_MAR)
    fig = timeline.plot_attention(arts, "flood|zebra", events=None)
    labels = [line.get_label() for line in fig.axes[0].lines if not line.get_label().startswith("_")]
    assert labels == ["flood"]
    assert any("No article mentions zebra" in t.get_text() for t in fig.axes[0].texts)


def test_an_unmatched_term_is_a_sentence_in_the_table_not_a_column_of_zeros():
    """Issue 18: a term nobody mentions gave 04 "a 45-row table of 0.0%, with no message"."""
    arts = frame(JAN_FEB_MAR)
    html = timeline.show_table(timeline.attention(arts, "flood|zebra", freq="month"), freq="month").to_html()
    assert "No article mentions zebra in this selection." in html and ">zebra<" not in html and ">flood<" in html
    t = timeline.show_table(timeline.attention(arts, "zebra", freq="month"), freq="month")
    assert "No article mentions zebra" in t.to_html() and "0.0%" not in t.to_html()
    assert t.interactive()["total"] == 0 and "No article mentions zebra" in t.interactive()["caption"]


def test_an_unmatched_term_gets_a_sentence_in_every_timeline_chart(tmp_path):
    import newsdesk as nd

    arts = nd.load_corpus(write_corpus(tmp_path / "c", TONE_ROWS), cache=False)
    ax = timeline.plot_tone(arts, "flood|zebra", min_n=1, events=None).axes[0]
    assert [line.get_label() for line in ax.lines if not line.get_label().startswith("_")] == ["flood"]
    assert any("No sentence mentions zebra" in t.get_text() for t in ax.texts)
    ax = timeline.plot_tone(arts, "zebra", min_n=1, events=None).axes[0]
    assert not [line for line in ax.lines if not line.get_label().startswith("_")]
    assert any("No sentence mentions zebra" in t.get_text() for t in ax.texts)
    fig = timeline.plot_attention_by(arts, "zebra", by="section", events=None)
    assert len(fig.axes) == 1 and any("No article mentions zebra" in t.get_text() for t in fig.axes[0].texts)
    fig = timeline.plot_attention_by(arts, "flood|zebra", by="section", events=None)
    assert "No article mentions zebra" in fig.get_suptitle()
    assert {line.get_label() for ax in fig.axes for line in ax.lines if not line.get_label().startswith("_")} == {"flood"}


def test_count_axes_have_whole_number_ticks():
    arts = frame([("2016-01-03", "flood", ""), ("2016-02-04", "x", "")])
    fig = timeline.plot_counts(arts, by=None, events=None)
    ticks = fig.axes[0].get_yticks()
    assert len(ticks) and all(float(t).is_integer() for t in ticks)


def test_tone_axis_fits_the_rolling_band(monkeypatch):
    periods = pd.date_range("2016-01-04", periods=6, freq="W-MON")
    long = pd.DataFrame({"series": "flood", "period": periods, "n": 5, "mean": [0.1, -0.1, 0.1, -0.1, 0.1, -0.1],
                         "rolling_mean": [np.nan, 0.0, 0.0, 0.0, 0.0, np.nan],
                         "rolling_low": [np.nan, -0.6, -0.6, -0.6, -0.6, np.nan],
                         "rolling_high": [np.nan, 0.7, 0.7, 0.7, 0.7, np.nan]})
    monkeypatch.setattr(timeline, "tone", lambda *a, **k: long)
    fig = timeline.plot_tone(frame(JAN_FEB_MAR), "flood", freq="week", rolling=3, events=None)
    lo, hi = fig.axes[0].get_ylim()
    assert lo <= -0.6 and hi >= 0.7                      # the band is not clipped at the means' range


def test_attention_by_nothing_to_split_by_is_a_sentence():
    fig = timeline.plot_attention_by(frame(JAN_FEB_MAR), "flood", by=None)
    assert any("no sections" in t.get_text() for t in fig.axes[0].texts) and not fig.axes[0].lines


@pytest.mark.parametrize("freq, label", [
    ("day", "day"), ("week", "week starting"), ("month", "month"), ("quarter", "quarter starting"), ("year", "year"),
])
def test_every_freq_the_checks_accept_draws_and_shows(freq, label):
    """Every period of config.FREQ_ALIASES (the report accepts them all) has its table label and chart."""
    import newsdesk as nd

    arts = nd.load_corpus(Path(__file__).resolve().parents[1] / "data" / "sample")
    html = timeline.show_table(timeline.attention(arts, ["flood"], freq=freq), freq=freq).to_html()
    assert f">{label}<" in html
    fig = timeline.plot_counts(arts, freq=freq)
    assert fig.axes[0].get_title().startswith(f"Articles per {freq}")
