"""Every chart function in newsdesk, rendered on the sample corpus, carries what a reader needs.

Convention (how this test finds and calls charts):

- a *chart function* is any public function named ``plot_*`` defined in a ``newsdesk`` module;
- it is called as ``fn(articles)`` with the sample's articles frame, unless the module's
  ``CHART_EXAMPLES`` dict has an entry for it: a dict of keyword arguments (called as
  ``fn(articles, **kwargs)``), or a callable ``example(articles) -> (args, kwargs)`` for charts
  drawn from a derived table (called as ``fn(*args, **kwargs)``);
- it returns a matplotlib ``Figure``.

Each figure must have, on every visible axes: a title, x and y axis labels, a unit in
parentheses in at least one axis label (``"Share of articles (% per week)"``), a legend when it
shows more than one labelled series, tick labels and text annotations that do not overlap, and a
report size (at most 10 inches wide).
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
            if fname.startswith("plot_") and fn.__module__ == name:
                out.append(pytest.param(name, fname, None, id=f"{info.name}.{fname}"))
    return out


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
        for info in infos:
            where = f"{fname}, axes titled {info['title']!r}"
            assert info["title"].strip(), f"{where}: no title"
            assert info["xlabel"].strip() and info["ylabel"].strip(), f"{where}: an axis has no label"
            assert UNIT_RE.search(info["xlabel"]) or UNIT_RE.search(info["ylabel"]), \
                f"{where}: no unit in parentheses in {info['xlabel']!r} or {info['ylabel']!r}"
            if info["n_series"] > 1:
                assert info["legend"], f"{where}: {info['n_series']} series and no legend"
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        for ax in fig.axes:
            if not ax.get_visible():
                continue
            for axis in (ax.xaxis, ax.yaxis):
                ticks = [t.get_window_extent(r) for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
                assert not _overlaps(ticks), f"{fname}: overlapping tick labels on the {axis.axis_name} axis"
            texts = [t.get_window_extent(r) for t in ax.texts if t.get_visible() and t.get_text().strip()]
            assert not _overlaps(texts), f"{fname}: overlapping text labels"
    finally:
        plt.close(fig)
