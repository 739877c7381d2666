"""Report parameters: the parameters cell, values from the command line and files, names,
grid points, checks against the corpus, and the property that a checked parameter runs."""
from __future__ import annotations

import io
import json
import os
import re
import datetime as _dt
from pathlib import Path

import pytest

from newsdesk import params as prm
from newsdesk import resources as R
from newsdesk.params import Param, ReportError

import reportkit as kit


# --------------------------------------------------------------------------- parameters cell
@pytest.mark.parametrize("source, expected", [
    ('top_n: int = 10  # speakers to show', ("top_n", "int", 10, "speakers to show")),
    ('sections: list[str] = []  # sections to keep', ("sections", "list[str]", [], "sections to keep")),
    ('date_from: str | None = None  # first day', ("date_from", "str | None", None, "first day")),
    ("label = 'all'", ("label", "str", "all", "")),
    ('terms: list[str] = ["tax", "re:tari(ff|fs)"]  # « quoted » # twice', ("terms", "list[str]", ["tax", "re:tari(ff|fs)"], "« quoted » # twice")),
    ('corpus: str = "../data/sample"  # café corpus', ("corpus", "str", "../data/sample", "café corpus")),
])
def test_parse_parameters(source, expected):
    (p,) = prm.parse_parameters(source).values()
    assert (p.name, p.annotation, p.default, p.help) == expected


@pytest.mark.parametrize("source, message", [
    ("top_n: int = 5 + 5", "not a literal"),
    ("import os", "only `name: type = literal"),
    ("x, y = 1, 2", "only `name: type = literal"),
    ("top_n: int = ", "not valid Python"),
])
def test_parse_parameters_rejects_code(source, message):
    with pytest.raises(ReportError, match=re.escape(message)):
        prm.parse_parameters(source, notebook="02-x")


@pytest.mark.parametrize("markdown, expected", [
    ("# Tone over time\n\nHow **tone** moves, week by week. Takes `terms`.", ("Tone over time", "How tone moves, week by week.")),
    ("## Quotes\nWho is quoted [most](x.html)", ("Quotes", "Who is quoted most")),
    ("No heading here. Second sentence.", ("", "No heading here.")),
    ("# 04 · Timeline\n\n**When** was it covered? More.\n\n- `terms`: a list", ("04 · Timeline", "When was it covered?")),
    ("# T\n\n- a list first\n\nThen text.", ("T", "Then text.")),
])
def test_describe(markdown, expected):
    assert prm.describe([{"cell_type": "code", "source": "x"}, {"cell_type": "markdown", "source": markdown}]) == expected


# --------------------------------------------------------------------------- values
def P(annotation, default=None, name="x", help=""):
    return Param(name, annotation, default, help, "nb", 1)


@pytest.mark.parametrize("annotation, raw, expected", [
    ("int", "5", 5),
    ("float", "0.25", 0.25),
    ("float", "1", 1.0),
    ("bool", "true", True),
    ("str", "5", "5"),
    ("str", "2017-05-01", "2017-05-01"),
    ("str", 'it\'s "x"\n\\n', 'it\'s "x"\n\\n'),
    ("str", "null", "null"),
    ("str | None", "null", None),
    ("str | None", "World", "World"),
    ("list[str]", '["World"]', ["World"]),
    ("list[str]", "[World, Business]", ["World", "Business"]),
    ("list[str]", "World", ["World"]),
    ("list[str]", "a: b", ["a: b"]),
    ("list[str]", "5", ["5"]),
    ("Optional[int]", "7", 7),
    ("int | None", "null", None),
    ("dict[str, int]", "{a: 1}", {"a": 1}),
])
def test_values_from_the_command_line(annotation, raw, expected):
    assert prm.coerce_value(P(annotation), raw, from_cli=True) == expected


@pytest.mark.parametrize("annotation, value, expected", [
    ("int", 5.0, 5),
    ("str", __import__("datetime").date(2017, 5, 1), "2017-05-01"),  # what YAML makes of 2017-05-01
    ("list[str]", ("a", "b"), ["a", "b"]),
    ("float", 2, 2.0),
    ("str", 2017, "2017"),
    ("str | None", None, None),
])
def test_values_from_a_file(annotation, value, expected):
    assert prm.coerce_value(P(annotation), value) == expected


@pytest.mark.parametrize("param, raw, message", [
    (P("int", 10, "top_n"), "five", "top_n must be int, got 'five' (str)"),
    (P("int", 10, "top_n"), "-1", "top_n must be >= 1, got -1"),
    (P("int", 10, "top_n"), "0", "top_n must be >= 1, got 0"),
    (P("int", 3, "min_count"), "-2", "min_count must be >= 0, got -2"),
    (P("float", 0.5, "share", "a fraction [0..1]"), "1.5", "share must be <= 1, got 1.5"),
    (P("int", 5, "window", "days [>=3]"), "2", "window must be >= 3, got 2"),
    (P("bool", False), "maybe", "x must be bool"),
    (P("int"), "true", "x must be int, got True (bool)"),
    (P("list[str]"), "[unclosed", "looks like a list but is not valid YAML/JSON"),
    (P("list[int]"), '["a"]', "x must be list[int]"),
    (P("str", "month", "freq"), "weekly", "freq must be one of auto, day, week, month, quarter, year; got 'weekly' (parameter of nb). Did you mean 'week'?"),
    (P("str", "bar", "kind", "chart {bar, line}"), "pie", "kind must be one of bar, line"),
    (P("str | None", None, "date_from"), "2017-02-30", "date_from: '2017-02-30' is not a date (day is out of range"),
    (P("str | None", None, "date_to"), "May 2017", "date_to: 'May 2017' is not a date; write YYYY-MM-DD"),
    (P("str", "2017-01-01", "start_date"), "2017-13-01", "start_date: '2017-13-01' is not a date"),
    (P("str", "2023-04-01", "period_from"), "April", "period_from: 'April' is not a date"),
    (P("list[str]", [], "terms"), '["re:(unclosed"]', "terms: invalid regular expression"),
    (P("str", "flood", "term"), "re:[a", "term: invalid regular expression '[a'"),
])
def test_bad_values_are_refused_with_the_reason(param, raw, message):
    with pytest.raises(ReportError) as e:
        prm.coerce_value(param, raw, from_cli=True)
    assert message in str(e.value)
    assert "(parameter of nb)" in str(e.value) or "is not a date" in str(e.value)


def _nb(name, params: str) -> prm.Notebook:
    return prm.Notebook(Path(f"{name}.ipynb"), name, name[:2], name, "", prm.parse_parameters(params, notebook=name))


NBS = [
    _nb("01-a", 'corpus: str = "x"  # c\ntop_n: int = 10  # n\nsections: list[str] = []  # s\n'
                'date_from: str | None = None  # d\ndate_to: str | None = None  # d'),
    _nb("02-b", 'corpus: str = "x"  # c\nterms: list[str] = ["a"]  # t\ntop_n: int = 5  # n'),
]


def test_unknown_name_names_it_lists_the_valid_ones_and_suggests_the_closest():
    with pytest.raises(ReportError) as e:
        prm.resolve_params({"top_nn": 5}, NBS)
    msg = str(e.value)
    assert "unknown parameter 'top_nn'" in msg
    assert "Did you mean 'top_n'?" in msg
    assert "Valid parameters: date_from, date_to, sections, terms, top_n" in msg


def test_unknown_name_without_close_match_has_no_suggestion():
    with pytest.raises(ReportError) as e:
        prm.resolve_params({"zzz": 1}, NBS)
    assert "Did you mean" not in str(e.value)


def test_corpus_is_the_positional_argument():
    with pytest.raises(ReportError, match="positional CORPUS"):
        prm.resolve_params({"corpus": "x"}, NBS)


def test_parameters_reach_only_the_notebooks_that_declare_them(tmp_path):
    out = prm.resolve_params({"top_n": "3", "terms": '["tax"]'}, NBS, raw={"top_n", "terms"}, corpus=tmp_path)
    assert out["01-a"] == {"top_n": 3, "corpus": str(tmp_path)}
    assert out["02-b"] == {"top_n": 3, "terms": ["tax"], "corpus": str(tmp_path)}


def test_relative_corpus_becomes_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert prm.resolve_params({}, NBS, corpus="data/x")["01-a"]["corpus"] == str(tmp_path / "data" / "x")


def test_date_order_is_checked():
    with pytest.raises(ReportError, match="date_from 2017-06-01 is after date_to 2017-05-01"):
        prm.resolve_params({"date_from": "2017-06-01", "date_to": "2017-05-01"}, NBS, raw={"date_from", "date_to"})
    nb = _nb("03-c", 'period_from: str = "2023-04-01"  # p\nperiod_to: str = "2023-04-30"  # p')
    with pytest.raises(ReportError, match="period_from 2023-05-01 is after period_to 2023-04-30"):
        prm.resolve_params({"period_from": "2023-05-01"}, [nb], raw={"period_from"})


def test_empty_date_means_no_limit():
    nb = _nb("03-c", 'date_from: str = ""  # first day; "" for no limit')
    assert prm.resolve_params({"date_from": ""}, [nb], raw={"date_from"})["03-c"] == {"date_from": ""}


def test_path_values_that_exist_become_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my-events.csv").write_text("date,label\n")
    nb = _nb("04-d", 'events: str | list[str] = "../data/events.csv"  # csv\nlabel: str = "x"  # l')
    out = prm.resolve_params({"events": "my-events.csv", "label": "my-events.csv"}, [nb], raw={"events", "label"})
    assert out["04-d"] == {"events": str(tmp_path / "my-events.csv"), "label": "my-events.csv"}


def test_params_file_and_cli_merge(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("top_n: 4\ndate_from: 2017-05-01\nterms: [tax, 'a: b']\n", encoding="utf-8")
    values, raw = prm.parse_cli_params([("top_n", "6")], f)
    assert raw == {"top_n"}
    out = prm.resolve_params(values, NBS, raw=raw)
    assert out["01-a"] == {"top_n": 6, "date_from": "2017-05-01"}
    assert out["02-b"]["terms"] == ["tax", "a: b"]


@pytest.mark.parametrize("text, message", [
    ("- a\n- b\n", "expected a mapping"),
    ("top_n: [\n", "not valid YAML"),
])
def test_bad_params_file(tmp_path, text, message):
    f = tmp_path / "p.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError, match=message):
        prm.parse_cli_params([], f)


def test_grid_points_and_singular_alias():
    pts = prm.parse_grid(["section=World,Business", "top_n=3,5"], NBS)
    assert pts == [{"section": "World", "top_n": "3"}, {"section": "World", "top_n": "5"},
                   {"section": "Business", "top_n": "3"}, {"section": "Business", "top_n": "5"}]
    assert prm.grid_alias("section", NBS) == "sections"
    assert prm.grid_alias("top_n", NBS) == "top_n"
    for bad in (["section"], ["=a"], ["section="], ["section=a,a"]):
        with pytest.raises(ReportError, match="--grid"):
            prm.parse_grid(bad, NBS)


def test_sections_are_checked_against_the_corpus():
    import pandas as pd

    arts = pd.DataFrame({"section": ["World", "World", "Business", None]})
    prm.check_against_corpus({"01-a": {"sections": ["world", "Business"]}}, arts)
    with pytest.raises(ReportError) as e:
        prm.check_against_corpus({"01-a": {"sections": ["Wrold"]}}, arts)
    assert "section 'Wrold' does not occur in the corpus" in str(e.value)
    assert "Did you mean 'World'?" in str(e.value)
    assert "World (2), Business (1)" in str(e.value)


@pytest.mark.parametrize("value, message", [
    ("9999-12-31", "'9999-12-31' is outside the dates pandas can hold, 1678-01-01 to 2261-12-31"),
    ("2262-04-10", "outside the dates pandas can hold"),
    ("1677-09-22", "outside the dates pandas can hold"),
    ("2017-05-02T25:00", "'2017-05-02T25:00' is not a date (hour must be in 0..23)"),
    ("2017-05-02T10:61", "is not a date (minute must be in 0..59)"),
    ("2017-05T10:00", "is not a date; write YYYY-MM-DD"),
    ("2017-13", "is not a date (month must be in 1..12)"),
])
def test_dates_are_checked_as_dates_in_the_range_pandas_holds(value, message):
    with pytest.raises(ReportError, match=re.escape(message)):
        prm.check_date(value, name="date_to")


def test_the_date_range_is_what_pandas_holds():
    import pandas as pd

    assert prm._PANDAS_YEARS == (pd.Timestamp.min.year, pd.Timestamp.max.year)
    first, last = prm._pandas_days()
    assert pd.Timestamp.min < pd.Timestamp(first) - pd.Timedelta(days=7)        # a week before still fits
    assert pd.Timestamp(last) + pd.Timedelta(days=31) < pd.Timestamp.max        # and a month after


@pytest.mark.parametrize("value, expected", [
    ("2017", (_dt.datetime(2017, 1, 1), _dt.datetime(2017, 12, 31, 23, 59, 59))),
    ("2017-02", (_dt.datetime(2017, 2, 1), _dt.datetime(2017, 2, 28, 23, 59, 59))),
    ("2017-05-02T10:30", (_dt.datetime(2017, 5, 2, 10, 30), _dt.datetime(2017, 5, 2, 10, 30))),
    ("1678-01-01", (_dt.datetime(1678, 1, 1), _dt.datetime(1678, 1, 1, 23, 59, 59))),
    ("2261-12", (_dt.datetime(2261, 12, 1), _dt.datetime(2261, 12, 31, 23, 59, 59))),
])
def test_date_span(value, expected):
    assert prm.date_span(value) == expected


def test_date_order_compares_times_within_a_day():
    nb = prm.Notebook(Path("x"), "01-x", "01", "", "", {
        n: Param(n, "str", "", "", "01-x", 1) for n in ("date_from", "date_to")})
    prm.resolve_params({"date_from": "2017-05-02", "date_to": "2017-05-02T09:00"}, [nb])   # the same day
    with pytest.raises(ReportError, match="is after date_to"):
        prm.resolve_params({"date_from": "2017-05-02T10:00", "date_to": "2017-05-02T09:00"}, [nb])


def _articles_for_checks():
    import pandas as pd

    return pd.DataFrame({"section": ["World", "Business"], "date": pd.to_datetime(["2017-05-12", "2017-06-02"]),
                         "agency": ["AFP", None], "publisher": ["Daily", "Weekly"], "title": ["Talks", "Oil"],
                         "body": ["b", "b"], "content_hash": ["h1", "h2"]})


@pytest.mark.parametrize("params, message", [
    ({"compare_by": "publsher"}, "compare_by: the corpus has no column 'publsher'. Did you mean 'publisher'?"),
    ({"compare_by": "Publisher"}, "Did you mean 'publisher'?"),
    ({"compare_by": "body"}, "the corpus has no column 'body'"),
    ({"date_from": "2030"}, "date_from 2030: no article of the corpus matches (it runs from 2017-05-12 to 2017-06-02)"),
    ({"date_to": "2017-05-11"}, "no article of the corpus matches"),
    ({"sections": ["Business"], "date_to": "2017-05-31"}, "no article of the corpus matches"),
])
def test_column_parameters_and_filters_are_checked_against_the_corpus(params, message):
    with pytest.raises(ReportError, match=re.escape(message)):
        prm.check_against_corpus({"02-x": params}, _articles_for_checks())


def test_values_the_corpus_has_pass():
    prm.check_against_corpus({"02-x": {"compare_by": "publisher", "date_from": "2017-05", "sections": ["world"]}},
                            _articles_for_checks())


@pytest.mark.parametrize("param, value, message", [
    (Param("terms", "str | list[str]", "", "", "04-x", 1), ["re:(a"], "terms: invalid regular expression"),
    (Param("events", "str | list[str]", "auto", "", "04-x", 1), ["bad event"], "events: bad event 'bad event'"),
    (Param("events", "str | list[str]", "auto", "", "04-x", 1), ["2017-02-30 Nope"], "events: "),
    (Param("events", "str | list[str]", "auto", "", "04-x", 1), "no-such-file.csv", "events: "),
])
def test_terms_and_events_are_checked(param, value, message):
    with pytest.raises(ReportError, match=re.escape(message)):
        prm.coerce_value(param, value)


@pytest.mark.parametrize("param, value", [
    (Param("terms", "str | list[str]", "", "", "04-x", 1), ""),          # "": chosen from the corpus
    (Param("terms", "str | list[str]", "", "", "04-x", 1), []),
    (Param("events", "str | list[str]", "auto", "", "04-x", 1), "auto"),  # the corpus's own events.csv
    (Param("events", "str | list[str]", "auto", "", "04-x", 1), ["2017-05-20 Summit"]),
])
def test_empty_terms_and_auto_events_pass(param, value):
    assert prm.coerce_value(param, value) == value


@pytest.mark.parametrize("where, message", [
    ({"publsher": ["Daily"]}, "where: the articles have no column 'publsher'"),
    ({"publisher": ["Nobody"]}, "where {'publisher': ['Nobody']}: no article of the corpus matches"),
    ({"publisher": 5}, "where: give header columns and the values to keep"),
])
def test_where_is_checked_against_the_corpus(where, message):
    with pytest.raises(ReportError, match=re.escape(message)):
        prm.check_against_corpus({"01-x": {"where": where}}, _articles_for_checks())
    prm.check_against_corpus({"01-x": {"where": {"publisher": ["daily"]}}}, _articles_for_checks())


def test_a_keywords_period_must_hold_an_article_and_leave_one_outside():
    nb = prm.Notebook(Path("x"), "05-x", "05", "", "", {
        n: Param(n, "str", "", "", "05-x", 1) for n in ("term", "period_from", "period_to", "date_from")})
    arts = _articles_for_checks()
    prm.check_against_corpus({"05-x": {"term": "absent"}}, arts, [nb])      # no period: the notebook decides
    prm.check_against_corpus({"05-x": {"period_from": "2017-06"}}, arts, [nb])
    with pytest.raises(ReportError, match="period 2017-05-01 to 2017-06-30 holds every article"):
        prm.check_against_corpus({"05-x": {"period_from": "2017-05-01", "period_to": "2017-06-30"}}, arts, [nb])
    with pytest.raises(ReportError, match="period 2017-05 to ... holds every article"):   # of the selection
        prm.check_against_corpus({"05-x": {"period_from": "2017-05", "date_from": "2017-06"}}, arts, [nb])
    with pytest.raises(ReportError, match="period 2018 to ... holds no article"):
        prm.check_against_corpus({"05-x": {"period_from": "2018"}}, arts, [nb])


def test_select_notebooks(tmp_path):
    kit.fixture_notebooks(tmp_path)
    assert [n.name for n in prm.discover_notebooks(tmp_path, select="03,1")] == ["01-counts", "03-echo"]
    assert [n.name for n in prm.discover_notebooks(tmp_path, select="echo")] == ["03-echo"]
    with pytest.raises(ReportError, match="no notebook '07'. Available: 01-counts, 02-fails, 03-echo, 04-unsafe"):
        prm.discover_notebooks(tmp_path, select="07")
    with pytest.raises(ReportError, match="no report notebooks"):
        prm.discover_notebooks(tmp_path / "empty")


def test_help_params_lists_every_notebook(tmp_path):
    nbs = prm.discover_notebooks(kit.fixture_notebooks(tmp_path))
    text = prm.help_params(nbs)
    for nb in nbs:
        assert nb.name in text
    assert "top_n" in text and "int" in text and "bars to show" in text
    assert "sections   list[str]" in text


# --------------------------------------------------------------------------- a checked parameter runs
# Property: values drawn from each parameter's declared type and range either are refused by the
# checks (ReportError, before anything runs) or run the real notebook without an error. The
# notebooks' code cells run in this process (the same library calls, outputs rendered as a kernel
# would: `_repr_html_`, PNG) on a four-article corpus, so each example takes about a second.
import ast as _ast

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

PROPERTY_EXAMPLES = int(os.environ.get("NEWSDESK_PROPERTY_EXAMPLES", "40"))
_WORDS = ["talks", "Brussels", "oil|markets", "Markets rise", "re:talk\\w*", "re:(a", "absentword", "",
          "Jean Dupont", "a|", "<b>x</b>", "re:.*", "Talks|Oil|Leaders"]
_DATES = ["", "2017", "2017-05", "2017-05-12", "2017-06-02", "2017-05-13T09:30", "2017-05-02T25:00", "2017-02-30",
          "9999-12-31", "1677-09-22", "1678-01-01", "2261-12-31", "2262-04-10", "2016-12-31", "2018", "2017-5-2", "yesterday"]


def _code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"]
            if c["cell_type"] == "code" and "parameters" not in c.get("metadata", {}).get("tags", [])]


def _run_inline(nb: prm.Notebook, params: dict) -> None:
    """Run a notebook's code cells here with ``params`` (defaults for the rest), rendering the
    value of each cell's last expression as a kernel would."""
    import matplotlib.pyplot as plt

    ns = {n: p.default for n, p in nb.params.items()} | dict(params)
    try:
        for src in _code_cells(nb.path):
            tree = _ast.parse(src)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], _ast.Expr) else None
            exec(compile(tree, nb.name, "exec"), ns)
            if last is not None:
                value = eval(compile(_ast.Expression(last.value), nb.name, "eval"), ns)
                if hasattr(value, "_repr_html_"):
                    value._repr_html_()
                elif hasattr(value, "savefig"):
                    value.savefig(io.BytesIO(), format="png")
    finally:
        plt.close("all")


def _strategies(nb: prm.Notebook, columns: list[str], events_csv: str) -> dict[str, tuple]:
    """Per parameter, ``(usual, edge)`` strategies: values from its declared type and range (in
    the corpus's terms: its dates, sections, columns, words), and values at or beyond its limits."""
    def one(p: Param) -> st.SearchStrategy:
        name = p.name
        if R.REPORT_DATE_PARAM_RE.search(name) and isinstance(p.default, str):
            usual = st.one_of(st.just(""), st.dates(_dt.date(2017, 5, 10), _dt.date(2017, 6, 3)).map(str),
                              st.sampled_from(["2017", "2017-05", "2017-06", "2017-05-13T09:30", "2017-5-2"]))
            edge = st.one_of(st.sampled_from(_DATES), st.dates(_dt.date(1600, 1, 1), _dt.date(9999, 12, 31)).map(str))
        elif p.choices:
            usual, edge = st.sampled_from(p.choices), st.sampled_from(["weekly", "Month", ""])
        elif p.annotation == "bool":
            usual = edge = st.booleans()
        elif p.annotation in ("int", "float"):
            lo, hi = p.bounds
            lo = -5 if lo is None else int(lo)
            top = int(hi) if hi is not None else lo + 300
            usual = st.integers(lo, top)
            edge = st.one_of(st.integers(lo - 3, lo + 3), st.integers(top - 3, top + 3), st.sampled_from([10**6, 2**31]))
        elif name in R.REPORT_SECTION_PARAMS:
            usual = st.lists(st.sampled_from(["World", "Business", "world"]), max_size=2)
            edge = st.lists(st.sampled_from(["Sprot", "", "World"]), max_size=3)
        elif name in R.REPORT_TERM_PARAMS:
            words = st.lists(st.sampled_from(_WORDS[:5]), min_size=1, max_size=3)
            one_word = st.sampled_from(_WORDS[:5])
            usual = (st.one_of(one_word, words) if prm._allows(p.annotation, "list") else one_word) \
                if prm._allows(p.annotation, "str") else words
            edge = st.one_of(st.sampled_from(_WORDS), st.lists(st.sampled_from(_WORDS), max_size=3))
        elif name == "speakers":
            usual = st.lists(st.sampled_from(["Jean Dupont", "Berg", "stone", "Nobody Here"]), max_size=3)
            edge = st.lists(st.sampled_from(["", "re:(", "re:.*", "Berg|Stone", " "]), max_size=2)
        elif name == "where":
            usual = st.sampled_from([{}, {"section": ["world", "Business"]}, {"section": ["World"]}, {"agency": ["AFP", "Reuters"]}])
            edge = st.sampled_from([{"publsher": ["x"]}, {"agency": ["Nobody"]}, {"agency": 5}, {"": ""}])
        elif R.REPORT_COLUMN_PARAM_RE.search(name):
            usual = st.sampled_from([c for c in columns if c not in R.REPORT_NOT_GROUPABLE])
            edge = st.sampled_from(["publsher", "Section", "body", "tone", ""])
        elif name in R.REPORT_EVENT_PARAMS:
            usual = st.one_of(st.sampled_from(["", "auto", events_csv]), st.lists(st.sampled_from(
                ["2017-05-20 Summit", "2017-05-21: Vote", "2016-01-01 Before"]), max_size=3))
            edge = st.one_of(st.just("missing.csv"), st.lists(st.sampled_from(
                ["bad event", "1500-01-01 Old", "9999-01-01 Late", "2017-02-30 Nope"]), min_size=1, max_size=2))
        else:
            usual = st.text(max_size=12)
            edge = st.one_of(st.integers(), st.lists(st.text(max_size=5), max_size=2))
        return usual, edge
    return {n: one(p) for n, p in nb.params.items() if n != "corpus"}


@st.composite
def _values(draw, nb: prm.Notebook, columns: list[str], events_csv: str) -> dict:
    """Every parameter of ``nb`` drawn, at most one of them from the edge (so that about half the
    examples pass the checks and run)."""
    pairs = _strategies(nb, columns, events_csv)
    edge = draw(st.sets(st.sampled_from(sorted(pairs)), max_size=1), label="edge") if pairs else set()
    values = {n: draw(pairs[n][1] if n in edge else pairs[n][0], label=n) for n in pairs}
    for lo in [n for n in values if n.endswith("_from") and n[:-5] + "_to" in values and n not in edge]:
        hi = lo[:-5] + "_to"
        if hi not in edge and values[lo] and values[hi] and prm.date_span(values[lo])[0] > prm.date_span(values[hi])[1]:
            values[lo], values[hi] = values[hi], values[lo]     # usual values come in order
    return values


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory):
    from newsdesk import load_corpus

    corpus = kit.make_corpus(tmp_path_factory.mktemp("tiny") / "corpus")
    for i in range(8):                                   # and one every three days, May 10 to June 3
        day = _dt.date(2017, 5, 10) + _dt.timedelta(days=3 * i)
        (corpus / f"x{i}.txt").write_text(kit.ARTICLE.format(
            title=f"Talks in Brussels, day {i}", supertitle="", section=("World", "Business")[i % 2],
            date=f"{day:%Y-%m-%d}T10:00", body=f'Markets moved. "We made progress," said Anna Berg on day {i}.'),
            encoding="utf-8")
    events = corpus.parent / "events.csv"
    events.write_text("date,label\n2017-05-20,Summit\n", encoding="utf-8")
    return corpus, str(events), load_corpus(corpus)


@pytest.mark.slow
@settings(max_examples=PROPERTY_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_parameter_that_passes_the_checks_never_makes_a_notebook_fail(data, tiny_corpus, monkeypatch):
    corpus, events_csv, articles = tiny_corpus
    monkeypatch.chdir(kit.ROOT / "notebooks")           # where the notebooks run
    nbs = prm.discover_notebooks()
    nb = data.draw(st.sampled_from(nbs), label="notebook")
    values = data.draw(_values(nb, list(articles.columns), events_csv), label="values")
    try:
        inject = prm.resolve_params(values, [nb], corpus=corpus)
        prm.check_against_corpus(inject, articles, [nb])
    except ReportError as exc:
        event(f"refused: {str(exc).split(':')[0]}")
        return                                            # refused before anything runs: fine
    event(f"ran {nb.name}")
    _run_inline(nb, inject[nb.name])                      # must not raise


@pytest.mark.slow   # a CLI process per case: 1-3 s each
@pytest.mark.parametrize("args, message", [
    (["-p", "date_from", "2030-01-01", "-p", "date_to", "2030-06-30"],
     "date_from 2030-01-01, date_to 2030-06-30: no article of the corpus matches (it runs from 2017-05-12 to"),
    (["-p", "where", '{"agency": ["Nobody"]}'], "no article of the corpus matches"),
    (["--grid", "agency=Nobody"], "no article of the corpus matches"),
])
def test_a_filter_that_leaves_no_article_is_one_line_and_exit_2_before_any_notebook(tmp_path, monkeypatch, args,
                                                                                     message):
    """Issue 18 item 4: an empty date range was caught only inside four notebooks, after 10 s, with
    FAILED cards. The project's own notebooks, a real run: status 2, one line, nothing written."""
    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path / "cache"))
    proc = kit.run_cli("report", str(kit.make_corpus(tmp_path / "corpus")), "--out", str(tmp_path / "out"), *args,
                       timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists()
