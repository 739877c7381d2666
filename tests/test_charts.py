"""Every chart function in newsdesk, rendered on the sample corpus, carries what a reader needs.

Convention (how this test finds and calls charts):

- a *chart function* is any public function named ``plot_*`` (preferred), ``chart_*`` or ``*_chart``
  defined in a ``newsdesk`` module; a public function that builds a figure (``charts.figure(``,
  ``plt.subplots(``...) under another name fails :func:`test_every_figure_maker_follows_the_naming`;
- it is called as ``fn(articles)`` with the sample's articles frame, unless the module's
  ``CHART_EXAMPLES`` dict has an entry for it: a dict of keyword arguments (called as
  ``fn(articles, **kwargs)``), or a callable ``example(articles) -> (args, kwargs)`` for charts
  drawn from a derived table (called as ``fn(*args, **kwargs)``);
- it returns a matplotlib ``Figure``.

Each figure must have, on every visible axes, a title, x and y axis labels and a legend when it
shows more than one labelled series; a unit in parentheses in at least one axis label of the figure
(``"Share of articles (% per week)"``; a heatmap's may be on its colour bar); tick labels and text
annotations that do not overlap; and a report size (at most 10 inches wide).
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import newsdesk
from newsdesk import charts

UNIT_RE = re.compile(r"\([^)]+\)")
CHART_NAME_RE = re.compile(r"^(?:plot_\w+|chart_\w+|\w+_chart)$")
MAKES_FIGURE_RE = re.compile(r"\b(?:charts|ch|_charts\(\))\.figure\(|\bplt\.(?:subplots|figure)\(")


def _chart_functions() -> list:
    out = []
    for info in sorted(pkgutil.iter_modules(newsdesk.__path__), key=lambda m: m.name):
        name = f"newsdesk.{info.name}"
        if info.name.startswith("_") or info.name in ("cli", "__main__"):
            continue
        try:
            mod = importlib.import_module(name)
        except Exception as exc:  # a module that does not import fails its own test, visibly
            out.append(pytest.param(name, None, exc, id=f"{info.name}:import"))
            continue
        for fname, fn in inspect.getmembers(mod, inspect.isfunction):
            if not fname.startswith("_") and CHART_NAME_RE.match(fname) and fn.__module__ == name:
                out.append(pytest.param(name, fname, None, id=f"{info.name}.{fname}"))
    return out


def _figure_makers() -> list[str]:
    """Public functions of newsdesk modules that build a figure, whatever their name."""
    out = []
    for info in pkgutil.iter_modules(newsdesk.__path__):
        if info.name.startswith("_") or info.name == "charts":
            continue
        try:
            mod = importlib.import_module(f"newsdesk.{info.name}")
        except Exception:
            continue
        for fname, fn in inspect.getmembers(mod, inspect.isfunction):
            if fname.startswith("_") or fn.__module__ != mod.__name__:
                continue
            try:
                src = inspect.getsource(fn)
            except (OSError, TypeError):
                continue
            if MAKES_FIGURE_RE.search(src):
                out.append(f"{info.name}.{fname}")
    return sorted(out)


CHARTS = _chart_functions()


@pytest.fixture(scope="module")
def articles(sample_dir):
    if not sample_dir.is_dir() or not any(sample_dir.glob("*.txt")):
        pytest.skip("the sample corpus is absent (make sample)")
    return newsdesk.load_corpus(sample_dir)


def test_the_convention_finds_the_known_charts():
    found = {p.values[1] for p in CHARTS}
    assert {"plot_counts", "plot_attention", "plot_attention_by", "plot_tone", "plot_speakers",
            "plot_keywords"} <= found


def test_every_figure_maker_follows_the_naming():
    misnamed = [f for f in _figure_makers() if not CHART_NAME_RE.match(f.split(".", 1)[1])]
    assert not misnamed, f"these build figures but are not named plot_*/chart_*/*_chart: {misnamed}"


def _call(module_name: str, fname: str, articles):
    mod = importlib.import_module(module_name)
    fn = getattr(mod, fname)
    example = getattr(mod, "CHART_EXAMPLES", {}).get(fname)
    if example is None:
        return fn(articles)
    if callable(example):
        args, kwargs = example(articles)
        return fn(*args, **kwargs)
    return fn(articles, **example)


def _overlaps(boxes) -> list[tuple[int, int]]:
    bad = []
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            ov = boxes[i].intersection(boxes[i], boxes[j])
            if ov is not None and ov.width > 1 and ov.height > 1:
                bad.append((i, j))
    return bad


def _tick_overlaps(axis, renderer, dpi: float) -> bool:
    """Whether tick labels collide. Slanted labels (e.g. 45 degrees) are parallel strips: they collide
    when the distance between neighbours across the text direction is less than the text height."""
    import math

    labels = [t for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
    if len(labels) < 2:
        return False
    rot = labels[0].get_rotation() % 180
    if rot in (0, 90) or "\n" in "".join(t.get_text() for t in labels):
        return bool(_overlaps([t.get_window_extent(renderer) for t in labels]))
    along = 0 if axis.axis_name == "x" else 1
    pos = sorted(t.get_transform().transform(t.get_position())[along] for t in labels)
    gap = min(b - a for a, b in zip(pos, pos[1:])) * abs(math.sin(math.radians(rot if along == 0 else 90 - rot)))
    return gap < 0.8 * labels[0].get_size() * dpi / 72


@pytest.mark.slow
@pytest.mark.parametrize("module_name, fname, error", CHARTS)
def test_chart_is_labelled_and_readable(module_name, fname, error, articles):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    if error is not None:
        pytest.fail(f"{module_name} does not import: {error!r}")
    fig = _call(module_name, fname, articles)
    try:
        assert isinstance(fig, Figure), f"{fname} returned {type(fig).__name__}, not a Figure"
        assert fig.get_figwidth() <= 10.0, "wider than report size"
        infos = charts.labels_of(fig)
        assert infos, "no visible axes"
        # units: on an axis label of some axes (a heatmap's may sit on its colour bar)
        labels = [x for i in infos for x in (i["xlabel"], i["ylabel"])]
        assert any(UNIT_RE.search(x) for x in labels), f"{fname}: no unit in parentheses in any axis label {labels}"
        for info in infos:
            if info["colorbar"]:
                assert (info["xlabel"] + info["ylabel"]).strip(), f"{fname}: colour bar without a label"
                continue
            where = f"{fname}, axes titled {info['title']!r}"
            assert info["title"].strip(), f"{where}: no title"
            assert info["xlabel"].strip() and info["ylabel"].strip(), f"{where}: an axis has no label"
            if info["n_series"] > 1:
                assert info["legend"], f"{where}: {info['n_series']} series and no legend"
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        for ax in fig.axes:
            if not ax.get_visible():
                continue
            for axis in (ax.xaxis, ax.yaxis):
                assert not _tick_overlaps(axis, r, fig.dpi), f"{fname}: overlapping tick labels on the {axis.axis_name} axis"
            texts = [t.get_window_extent(r) for t in ax.texts if t.get_visible() and t.get_text().strip()]
            assert not _overlaps(texts), f"{fname}: overlapping text labels"
    finally:
        plt.close(fig)


# --------------------------------------------------------------------------- charts helpers
@pytest.mark.parametrize("events_in, expected", [
    (None, []),
    ([], []),
    ("", []),
    ([("2016-11-08", "Election day")], [("2016-11-08", "Election day")]),
    (["2016-07-28: Convention", "2016-02-01 Iowa caucuses"], [("2016-02-01", "Iowa caucuses"), ("2016-07-28", "Convention")]),
    ("2016-09-26, First debate", [("2016-09-26", "First debate")]),
    ([{"date": "2016-01-01", "label": "New year"}], [("2016-01-01", "New year")]),
])
def test_read_events(events_in, expected):
    ev = charts.read_events(events_in)
    assert [(f"{d:%Y-%m-%d}", lb) for d, lb in zip(ev["date"], ev["label"])] == expected


def test_read_events_csv_and_mixed_list(tmp_path):
    f = tmp_path / "ev.csv"
    f.write_text("date,label\n2016-03-01,From the file\n", encoding="utf-8")
    assert charts.read_events(f)["label"].tolist() == ["From the file"]
    assert charts.read_events([str(f), "2016-01-01 Inline"])["label"].tolist() == ["Inline", "From the file"]


@pytest.mark.parametrize("bad, message", [
    (["yesterday Something"], "YYYY-MM-DD"),
    ([("2016-13-45", "Impossible")], "bad event date"),
    ("missing-file.csv", "does not exist"),
])
def test_read_events_errors(bad, message):
    with pytest.raises((ValueError, FileNotFoundError), match=message):
        charts.read_events(bad)


def test_read_events_csv_without_label_column(tmp_path):
    f = tmp_path / "ev.csv"
    f.write_text("when,what\n2016-03-01,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="date,label"):
        charts.read_events(f)


@pytest.mark.parametrize("title, width, lines", [("Short title", 9.0, 1), ("word " * 40, 9.0, 4), ("word " * 40, 4.0, 7)])
def test_wrap_title(title, width, lines):
    fig, _ = charts.figure(size=(width, 3))
    assert charts.wrap_title(title.strip(), fig).count("\n") + 1 == lines


# --------------------------------------------------------------------------- labels are text
#: Labels that matplotlib would read as TeX (or fail on) if it parsed them: each must be drawn as written.
TEX_LABELS = [
    "Money $\\bad$ talk",
    "$\\sqrt{x$",
    "$5 and $6",
    "a \\$ b $",
    "$x^2$",
    "100% $ sure_",
    "\\frac{1}{2} $$",
]


def _texts(fig) -> list:
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def _drawn_literally(fig, label: str) -> list[str]:
    """The texts of ``fig`` that hold ``label``; fails when any text would be parsed as TeX."""
    import io

    fig.savefig(io.BytesIO(), format="png")  # a TeX label raises here (Unknown symbol...)
    texts = _texts(fig)
    for t in texts:
        assert t._preprocess_math(t.get_text()) == (t.get_text(), False), f"{t.get_text()!r} would be drawn as TeX"
    return [t.get_text() for t in texts if label in t.get_text()]


@pytest.mark.parametrize("label", TEX_LABELS)
@pytest.mark.parametrize("where", ["title", "xlabel", "ylabel", "legend", "ticks", "annotation", "event", "event key"])
def test_labels_are_drawn_as_written(label, where):
    import matplotlib.pyplot as plt
    import pandas as pd

    fig, ax = charts.figure()
    try:
        days = pd.date_range("2017-01-01", periods=30, freq="D")
        ax.plot(days, range(30), label=label if where == "legend" else "series a")
        ax.plot(days, range(30, 0, -1), label="series b")
        if where == "ticks":
            ax.set_yticks([0, 15, 30], [label, "mid", label + " top"])
        if where == "annotation":
            ax.annotate(label, (days[3], 5))
        charts.finish(ax, title=label if where == "title" else "Title", xlabel=label if where == "xlabel" else "day",
                      ylabel=label if where == "ylabel" else "value (count)")
        if where in ("event", "event key"):
            numbered = charts.add_events(ax, [("2017-01-10", label)], labels="numbers" if where == "event key" else True)
            charts.add_event_key(fig, numbered)
        assert _drawn_literally(fig, label), f"{label!r} is not on the chart as written"
    finally:
        plt.close(fig)


def test_labels_stay_text_under_other_settings():
    """A figure drawn where someone turned TeX parsing back on is made literal by finish()."""
    import matplotlib
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"text.parse_math": True}):
        fig, ax = charts.figure()
        ax.bar(["$\\bad$", "b"], [1, 2], label="$\\sqrt{x$")
        ax.bar(["c"], [3], label="two")
        charts.finish(ax, title="Money $\\bad$ talk", xlabel="x", ylabel="y (count)")
        try:
            assert _drawn_literally(fig, "$\\bad$")
        finally:
            plt.close(fig)


@pytest.fixture(scope="module")
def tex_articles(articles):
    """The sample, its sections, agencies and titles carrying TeX (bodies unchanged: the store's rows fit)."""
    sections = {s: f"{s} {TEX_LABELS[i % len(TEX_LABELS)]}" for i, s in enumerate(articles["section"].dropna().unique())}
    agencies = {s: f"{s} {TEX_LABELS[(i + 2) % len(TEX_LABELS)]}" for i, s in enumerate(articles["agency"].dropna().unique())}
    return articles.assign(section=articles["section"].map(sections), agency=articles["agency"].map(agencies),
                           title=articles["title"] + " $\\bad$")


@pytest.mark.slow
@pytest.mark.parametrize("module_name, fname, error", CHARTS)
def test_chart_draws_tex_from_the_data_as_written(module_name, fname, error, tex_articles):
    import matplotlib.pyplot as plt

    if error is not None:
        pytest.fail(f"{module_name} does not import: {error!r}")
    fig = _call(module_name, fname, tex_articles)
    try:
        _drawn_literally(fig, "$")
    finally:
        plt.close(fig)


@pytest.mark.slow
@pytest.mark.parametrize("terms", [["flood", "$\\sqrt{x$"], "Money $\\bad$ talk|flood"])
def test_terms_with_tex_are_drawn_as_written(articles, terms):
    import matplotlib.pyplot as plt

    from newsdesk import timeline

    fig = timeline.plot_attention(articles, terms, freq="week", events=[("2023-04-10", "$5 and $6")])
    try:
        assert _drawn_literally(fig, "$")
    finally:
        plt.close(fig)


# --------------------------------------------------------------------------- count axes
@pytest.mark.parametrize("n_articles", [3, 8])
@pytest.mark.parametrize("module_name, fname, error", [p for p in CHARTS if p.values[2] is None])
def test_a_count_axis_has_whole_number_ticks(module_name, fname, error, n_articles, articles):
    """Issue 18: count axes got fractional ticks ("1.25 articles", "2.5 quotes") on small selections.
    Every axis of every chart labelled as a count (charts.COUNT_LABEL), colour bars too, ticks whole numbers."""
    import matplotlib.pyplot as plt

    fig = _call(module_name, fname, articles.sort_values("date", kind="stable").head(n_articles))
    try:
        fig.canvas.draw()
        for ax in fig.axes:
            for label, ticks, (lo, hi) in ((ax.get_xlabel(), ax.get_xticks(), ax.get_xlim()),
                                           (ax.get_ylabel(), ax.get_yticks(), ax.get_ylim())):
                if charts.COUNT_LABEL in label:
                    shown = [float(t) for t in ticks if min(lo, hi) - 1e-9 <= t <= max(lo, hi) + 1e-9]
                    assert shown and all(t.is_integer() for t in shown), f"{fname}: {label!r} ticks {shown}"
    finally:
        plt.close(fig)
