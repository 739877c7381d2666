"""The report runner: parameter parsing and validation, HTML rendering, index pages, failures,
grids, atomic publication and the ``newsdesk report`` command."""
from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import datetime as _dt
from pathlib import Path

import pytest

from newsdesk import report as rp
from newsdesk.report import Param, ReportError

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
    (p,) = rp.parse_parameters(source).values()
    assert (p.name, p.annotation, p.default, p.help) == expected


@pytest.mark.parametrize("source, message", [
    ("top_n: int = 5 + 5", "not a literal"),
    ("import os", "only `name: type = literal"),
    ("x, y = 1, 2", "only `name: type = literal"),
    ("top_n: int = ", "not valid Python"),
])
def test_parse_parameters_rejects_code(source, message):
    with pytest.raises(ReportError, match=re.escape(message)):
        rp.parse_parameters(source, notebook="02-x")


@pytest.mark.parametrize("markdown, expected", [
    ("# Tone over time\n\nHow **tone** moves, week by week. Takes `terms`.", ("Tone over time", "How tone moves, week by week.")),
    ("## Quotes\nWho is quoted [most](x.html)", ("Quotes", "Who is quoted most")),
    ("No heading here. Second sentence.", ("", "No heading here.")),
    ("# 04 · Timeline\n\n**When** was it covered? More.\n\n- `terms`: a list", ("04 · Timeline", "When was it covered?")),
    ("# T\n\n- a list first\n\nThen text.", ("T", "Then text.")),
])
def test_describe(markdown, expected):
    assert rp.describe([{"cell_type": "code", "source": "x"}, {"cell_type": "markdown", "source": markdown}]) == expected


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
    assert rp.coerce_value(P(annotation), raw, from_cli=True) == expected


@pytest.mark.parametrize("annotation, value, expected", [
    ("int", 5.0, 5),
    ("str", __import__("datetime").date(2017, 5, 1), "2017-05-01"),  # what YAML makes of 2017-05-01
    ("list[str]", ("a", "b"), ["a", "b"]),
    ("float", 2, 2.0),
    ("str", 2017, "2017"),
    ("str | None", None, None),
])
def test_values_from_a_file(annotation, value, expected):
    assert rp.coerce_value(P(annotation), value) == expected


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
    (P("str", "month", "freq"), "weekly", "freq must be one of day, week, month; got 'weekly' (parameter of nb). Did you mean 'week'?"),
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
        rp.coerce_value(param, raw, from_cli=True)
    assert message in str(e.value)
    assert "(parameter of nb)" in str(e.value) or "is not a date" in str(e.value)


def _nb(name, params: str) -> rp.Notebook:
    return rp.Notebook(Path(f"{name}.ipynb"), name, name[:2], name, "", rp.parse_parameters(params, notebook=name))


NBS = [
    _nb("01-a", 'corpus: str = "x"  # c\ntop_n: int = 10  # n\nsections: list[str] = []  # s\n'
                'date_from: str | None = None  # d\ndate_to: str | None = None  # d'),
    _nb("02-b", 'corpus: str = "x"  # c\nterms: list[str] = ["a"]  # t\ntop_n: int = 5  # n'),
]


def test_unknown_name_names_it_lists_the_valid_ones_and_suggests_the_closest():
    with pytest.raises(ReportError) as e:
        rp.resolve_params({"top_nn": 5}, NBS)
    msg = str(e.value)
    assert "unknown parameter 'top_nn'" in msg
    assert "Did you mean 'top_n'?" in msg
    assert "Valid parameters: date_from, date_to, sections, terms, top_n" in msg


def test_unknown_name_without_close_match_has_no_suggestion():
    with pytest.raises(ReportError) as e:
        rp.resolve_params({"zzz": 1}, NBS)
    assert "Did you mean" not in str(e.value)


def test_corpus_is_the_positional_argument():
    with pytest.raises(ReportError, match="positional CORPUS"):
        rp.resolve_params({"corpus": "x"}, NBS)


def test_parameters_reach_only_the_notebooks_that_declare_them(tmp_path):
    out = rp.resolve_params({"top_n": "3", "terms": '["tax"]'}, NBS, raw={"top_n", "terms"}, corpus=tmp_path)
    assert out["01-a"] == {"top_n": 3, "corpus": str(tmp_path)}
    assert out["02-b"] == {"top_n": 3, "terms": ["tax"], "corpus": str(tmp_path)}


def test_relative_corpus_becomes_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert rp.resolve_params({}, NBS, corpus="data/x")["01-a"]["corpus"] == str(tmp_path / "data" / "x")


def test_date_order_is_checked():
    with pytest.raises(ReportError, match="date_from 2017-06-01 is after date_to 2017-05-01"):
        rp.resolve_params({"date_from": "2017-06-01", "date_to": "2017-05-01"}, NBS, raw={"date_from", "date_to"})
    nb = _nb("03-c", 'period_from: str = "2023-04-01"  # p\nperiod_to: str = "2023-04-30"  # p')
    with pytest.raises(ReportError, match="period_from 2023-05-01 is after period_to 2023-04-30"):
        rp.resolve_params({"period_from": "2023-05-01"}, [nb], raw={"period_from"})


def test_empty_date_means_no_limit():
    nb = _nb("03-c", 'date_from: str = ""  # first day; "" for no limit')
    assert rp.resolve_params({"date_from": ""}, [nb], raw={"date_from"})["03-c"] == {"date_from": ""}


def test_path_values_that_exist_become_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my-events.csv").write_text("date,label\n")
    nb = _nb("04-d", 'events: str | list[str] = "../data/events.csv"  # csv\nlabel: str = "x"  # l')
    out = rp.resolve_params({"events": "my-events.csv", "label": "my-events.csv"}, [nb], raw={"events", "label"})
    assert out["04-d"] == {"events": str(tmp_path / "my-events.csv"), "label": "my-events.csv"}


def test_params_file_and_cli_merge(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("top_n: 4\ndate_from: 2017-05-01\nterms: [tax, 'a: b']\n", encoding="utf-8")
    values, raw = rp.parse_cli_params([("top_n", "6")], f)
    assert raw == {"top_n"}
    out = rp.resolve_params(values, NBS, raw=raw)
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
        rp.parse_cli_params([], f)


def test_grid_points_and_singular_alias():
    pts = rp.parse_grid(["section=World,Business", "top_n=3,5"], NBS)
    assert pts == [{"section": "World", "top_n": "3"}, {"section": "World", "top_n": "5"},
                   {"section": "Business", "top_n": "3"}, {"section": "Business", "top_n": "5"}]
    assert rp.grid_alias("section", NBS) == "sections"
    assert rp.grid_alias("top_n", NBS) == "top_n"
    for bad in (["section"], ["=a"], ["section="], ["section=a,a"]):
        with pytest.raises(ReportError, match="--grid"):
            rp.parse_grid(bad, NBS)


def test_sections_are_checked_against_the_corpus():
    import pandas as pd

    arts = pd.DataFrame({"section": ["World", "World", "Business", None]})
    rp.check_against_corpus({"01-a": {"sections": ["world", "Business"]}}, arts)
    with pytest.raises(ReportError) as e:
        rp.check_against_corpus({"01-a": {"sections": ["Wrold"]}}, arts)
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
        rp.check_date(value, name="date_to")


def test_the_date_range_is_what_pandas_holds():
    import pandas as pd

    assert rp._PANDAS_YEARS == (pd.Timestamp.min.year, pd.Timestamp.max.year)
    first, last = rp._pandas_days()
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
    assert rp.date_span(value) == expected


def test_date_order_compares_times_within_a_day():
    nb = rp.Notebook(Path("x"), "01-x", "01", "", "", {
        n: Param(n, "str", "", "", "01-x", 1) for n in ("date_from", "date_to")})
    rp.resolve_params({"date_from": "2017-05-02", "date_to": "2017-05-02T09:00"}, [nb])   # the same day
    with pytest.raises(ReportError, match="is after date_to"):
        rp.resolve_params({"date_from": "2017-05-02T10:00", "date_to": "2017-05-02T09:00"}, [nb])


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
        rp.check_against_corpus({"02-x": params}, _articles_for_checks())


def test_values_the_corpus_has_pass():
    rp.check_against_corpus({"02-x": {"compare_by": "publisher", "date_from": "2017-05", "sections": ["world"]}},
                            _articles_for_checks())


@pytest.mark.parametrize("param, value, message", [
    (Param("terms", "str | list[str]", "", "", "04-x", 1), ["re:(a"], "terms: invalid regular expression"),
    (Param("events", "str | list[str]", "auto", "", "04-x", 1), ["bad event"], "events: bad event 'bad event'"),
    (Param("events", "str | list[str]", "auto", "", "04-x", 1), ["2017-02-30 Nope"], "events: "),
    (Param("events", "str | list[str]", "auto", "", "04-x", 1), "no-such-file.csv", "events: "),
])
def test_terms_and_events_are_checked(param, value, message):
    with pytest.raises(ReportError, match=re.escape(message)):
        rp.coerce_value(param, value)


@pytest.mark.parametrize("param, value", [
    (Param("terms", "str | list[str]", "", "", "04-x", 1), ""),          # "": chosen from the corpus
    (Param("terms", "str | list[str]", "", "", "04-x", 1), []),
    (Param("events", "str | list[str]", "auto", "", "04-x", 1), "auto"),  # the corpus's own events.csv
    (Param("events", "str | list[str]", "auto", "", "04-x", 1), ["2017-05-20 Summit"]),
])
def test_empty_terms_and_auto_events_pass(param, value):
    assert rp.coerce_value(param, value) == value


@pytest.mark.parametrize("where, message", [
    ({"publsher": ["Daily"]}, "where: the articles have no column 'publsher'"),
    ({"publisher": ["Nobody"]}, "where {'publisher': ['Nobody']}: no article of the corpus matches"),
    ({"publisher": 5}, "where: give header columns and the values to keep"),
])
def test_where_is_checked_against_the_corpus(where, message):
    with pytest.raises(ReportError, match=re.escape(message)):
        rp.check_against_corpus({"01-x": {"where": where}}, _articles_for_checks())
    rp.check_against_corpus({"01-x": {"where": {"publisher": ["daily"]}}}, _articles_for_checks())


def test_a_keywords_period_must_hold_an_article_and_leave_one_outside():
    nb = rp.Notebook(Path("x"), "05-x", "05", "", "", {
        n: Param(n, "str", "", "", "05-x", 1) for n in ("term", "period_from", "period_to", "date_from")})
    arts = _articles_for_checks()
    rp.check_against_corpus({"05-x": {"term": "absent"}}, arts, [nb])      # no period: the notebook decides
    rp.check_against_corpus({"05-x": {"period_from": "2017-06"}}, arts, [nb])
    with pytest.raises(ReportError, match="period 2017-05-01 to 2017-06-30 holds every article"):
        rp.check_against_corpus({"05-x": {"period_from": "2017-05-01", "period_to": "2017-06-30"}}, arts, [nb])
    with pytest.raises(ReportError, match="period 2017-05 to ... holds every article"):   # of the selection
        rp.check_against_corpus({"05-x": {"period_from": "2017-05", "date_from": "2017-06"}}, arts, [nb])
    with pytest.raises(ReportError, match="period 2018 to ... holds no article"):
        rp.check_against_corpus({"05-x": {"period_from": "2018"}}, arts, [nb])


def test_select_notebooks(tmp_path):
    kit.fixture_notebooks(tmp_path)
    assert [n.name for n in rp.discover_notebooks(tmp_path, select="03,1")] == ["01-counts", "03-echo"]
    assert [n.name for n in rp.discover_notebooks(tmp_path, select="echo")] == ["03-echo"]
    with pytest.raises(ReportError, match="no notebook '07'. Available: 01-counts, 02-fails, 03-echo, 04-unsafe"):
        rp.discover_notebooks(tmp_path, select="07")
    with pytest.raises(ReportError, match="no report notebooks"):
        rp.discover_notebooks(tmp_path / "empty")


def test_help_params_lists_every_notebook(tmp_path):
    nbs = rp.discover_notebooks(kit.fixture_notebooks(tmp_path))
    text = rp.help_params(nbs)
    for nb in nbs:
        assert nb.name in text
    assert "top_n" in text and "int" in text and "bars to show" in text
    assert "sections   list[str]" in text


# --------------------------------------------------------------------------- HTML
def _executed_notebook(*, png: bytes | None = None):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    outs = [new_output("stream", name="stdout", text="hello stdout\n"),
            new_output("stream", name="stderr", text="a warning on stderr\n"),
            new_output("execute_result", data={"text/html": "<table><tr><td>cell &lt;b&gt;</td></tr></table>",
                                               "text/plain": "df"}, execution_count=1)]
    if png:
        outs.append(new_output("display_data", data={"image/png": base64.b64encode(png).decode(), "text/plain": "<Figure>"}))
    return new_notebook(cells=[new_markdown_cell("# Title\n\nSummary."),
                               new_code_cell("SECRET_SOURCE_LINE = 1", outputs=outs, execution_count=1)])


def _png(w=900, h=400) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (w, h), (30, 90, 160)).save(buf, format="PNG")
    return buf.getvalue()


def test_render_html_hides_code_embeds_images_and_loads_nothing():
    html = rp.render_html(_executed_notebook(png=_png()), title="T", nav={"index": "index.html", "footer": "f <i>x</i>"})
    assert "SECRET_SOURCE_LINE" not in html
    assert "hello stdout" in html
    assert "a warning on stderr" not in html
    assert "data:image/png;base64," in html
    assert "<script" not in html.lower()
    assert not rp.R.REPORT_EXTERNAL_REF_RE.search(html)
    assert 'href="index.html"' in html
    assert "f &lt;i&gt;x&lt;/i&gt;" in html
    assert "<title>T</title>" in html


def test_render_html_with_code():
    html = rp.render_html(_executed_notebook(), with_code=True)
    assert "SECRET_SOURCE_LINE" in html
    assert "a warning on stderr" in html


def _csp(html: str) -> str:
    csp = kit.csp_of(html)
    assert csp, "no Content-Security-Policy meta"
    return csp


@pytest.mark.parametrize("with_code", [False, True])
def test_every_report_page_has_a_csp_allowing_only_its_template_styles(with_code):
    html = rp.render_html(_executed_notebook(png=_png()), with_code=with_code)
    csp = _csp(html)
    assert csp.startswith("default-src 'none'; img-src data:;")
    assert "script-src" not in csp and "unsafe-inline" not in csp and "http" not in csp
    blocks = rp.page_blocks(html)
    assert blocks.style and blocks.script == [] and blocks.attrs == []
    assert {rp.csp_hash(s) for s in blocks.style} <= set(csp.split("style-src ", 1)[1].split())
    assert html.index("Content-Security-Policy") < html.index("<style")


def test_a_traceback_in_256_colours_renders_without_style_attributes():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    tb = ["\x1b[38;5;196mValueError\x1b[0m: \x1b[1;38;2;10;20;30mboom <b>x</b>\x1b[m", "\x1b[31mred\x1b[0m"]
    nb = new_notebook(cells=[new_code_cell("1/0", execution_count=1, outputs=[
        new_output("error", ename="ValueError", evalue="boom", traceback=tb),
        new_output("stream", name="stderr", text="\x1b[48;5;2mgreen\x1b[0m\n")])])
    html = rp.render_html(nb, with_code=True)  # raises when a style= attribute would reach the page
    assert "ValueError" in html and "&lt;b&gt;x&lt;/b&gt;" in html and "ansi-red-fg" in html
    assert 'style="' not in html


@pytest.mark.parametrize("page, message", [
    ("<style>a{}</style>", "did not write"),
    ('<p style="color:red">x</p>', "did not write"),
    ("<p onclick=x>x</p>", "did not write"),
    ("<script>x</script>", "did not write"),
    ('<img src="http://example.org/x.png">', "fetch"),
    ('<link rel=stylesheet href="//example.org/x.css">', "fetch"),
])
def test_a_page_with_markup_the_template_did_not_write_is_refused(page, message):
    with pytest.raises(RuntimeError, match=message):
        rp.report_blocks().check(f"<html><head></head><body>{page}</body></html>")


def test_text_that_reads_like_css_or_a_url_is_not_refused():
    rp.report_blocks().check('<p>&lt;style&gt;a{background:url(http://x/y.png)}&lt;/style&gt;</p><a href="https://x.org">x</a>')


@pytest.mark.parametrize("html_in, kept, gone", [
    ("<b>bold</b>", "<b>bold</b>", None),
    ("<script>alert(1)</script>", "&lt;script&gt;", "<script"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;", "<img"),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>", "javascript:"),
    ('<a href="https://example.org/a">x</a>', 'href="https://example.org/a"', None),
    ("</textarea><script>x</script>", "&lt;/textarea&gt;", "<textarea"),
    ('<img src="https://tracker.example/p.gif">', "&lt;img", "<img"),
    ('<iframe src="javascript:x"></iframe>', "&lt;iframe", "<iframe"),
    ("<style>.a{color:red}</style><table class='dataframe'><tr><td>1</td></tr></table>", "<td>1</td>", "<style"),
    ("<style>@import url(//evil.example/x.css)</style><p>x</p>", "<p>x</p>", "evil"),
    ('<p style="background:url(//evil.example/x)">x</p>', "<p", "evil"),
    ("<div onclick='x()'>y</div>", "<div>y</div>", "onclick"),
])
def test_sanitize_html(html_in, kept, gone):
    out = rp.sanitize_html(html_in)
    assert kept in out
    if gone:
        assert gone not in out


def test_sanitize_keeps_pandas_tables():
    import pandas as pd

    df = pd.DataFrame({"title": ["<script>x</script>", "ok"], "n": [1, 2]})
    out = rp.sanitize_html(df._repr_html_())
    assert '<table border="1" class="dataframe">' in out
    assert "&lt;script&gt;x&lt;/script&gt;" in out
    assert "<script" not in out


def test_thumbnail_is_a_small_png():
    from PIL import Image

    nb = _executed_notebook(png=_png())
    png = rp.first_png(nb)
    thumb = rp.thumbnail(png)
    with Image.open(io.BytesIO(thumb)) as im:
        assert im.format == "PNG"
        assert im.width == rp.R.REPORT_THUMB_WIDTH
        assert im.height == round(400 * rp.R.REPORT_THUMB_WIDTH / 900)
    assert rp.first_png(_executed_notebook()) is None


# --------------------------------------------------------------------------- publication
def test_swap_into_place_replaces_the_old_report(tmp_path):
    out, staging = tmp_path / "reports", tmp_path / ".reports.partial-1-abc"
    out.mkdir()
    (out / "index.html").write_text("old")
    (out / rp.MARKER).write_text(json.dumps({"format": 2, "files": ["index.html"]}))
    staging.mkdir()
    (staging / "index.html").write_text("new")
    (staging / "thumbs").mkdir()
    (staging / "thumbs" / "01.png").write_bytes(b"png")
    assert rp.swap_into_place(staging, out) == []
    assert (out / "index.html").read_text() == "new"
    assert not staging.exists()
    assert list(tmp_path.iterdir()) == [out]
    marker = json.loads((out / rp.MARKER).read_text())
    assert marker["format"] == rp.MARKER_FORMAT and marker["files"] == ["index.html", "thumbs/01.png"]


def test_out_folder_that_is_not_a_report_is_never_replaced(tmp_path):
    (tmp_path / "mine.txt").write_text("precious")
    with pytest.raises(ReportError, match="not a newsdesk report folder"):
        rp._check_out(tmp_path)
    (tmp_path / "mine.txt").unlink()
    rp._check_out(tmp_path)  # empty: fine
    (tmp_path / rp.MARKER).write_text(json.dumps({"format": 2, "files": ["index.html"]}))
    (tmp_path / "index.html").write_text("x")
    rp._check_out(tmp_path)  # a previous report: fine


@pytest.mark.parametrize("marker", ["{}", "[]", "not json", '{"format": 2}', '{"format": 2, "files": "index.html"}',
                                    '{"format": 2, "files": ["../mine.txt", "/etc/passwd", "a/../b"]}'])
def test_a_marker_without_a_valid_file_list_owns_nothing_but_itself(tmp_path, marker):
    (tmp_path / rp.MARKER).write_text(marker)
    (tmp_path / "index.html").write_text("x")
    assert rp.marker_files(tmp_path) == {rp.MARKER}
    with pytest.raises(ReportError, match=r"holds 1 file\(s\) the report did not write \(index.html\)"):
        rp._check_out(tmp_path)


def test_files_the_report_did_not_write_are_named_and_the_folder_refused(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / rp.MARKER).write_text(json.dumps({"format": 2, "files": ["index.html", "logs/01.log"]}))
    for f in ("index.html", "logs/01.log", "notes.txt", "logs/mine.md"):
        (out / f).parent.mkdir(exist_ok=True)
        (out / f).write_text(f)
    with pytest.raises(ReportError, match=r"holds 2 file\(s\) the report did not write \(logs/mine.md, notes.txt\)"):
        rp._check_out(out)


def test_a_file_that_appears_during_the_run_is_kept_not_deleted(tmp_path, caplog):
    out, staging = tmp_path / "reports", tmp_path / ".reports.partial-1-abc"
    out.mkdir()
    (out / rp.MARKER).write_text(json.dumps({"format": 2, "files": ["index.html", "thumbs/01.png"]}))
    (out / "index.html").write_text("old")
    (out / "thumbs").mkdir()
    (out / "thumbs" / "01.png").write_text("old")
    (out / "thumbs" / "notes.txt").write_text("mine")       # written after _check_out
    staging.mkdir()
    (staging / "index.html").write_text("new")
    assert rp.swap_into_place(staging, out) == ["thumbs/notes.txt"]
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("reports.kept-")]
    assert len(kept) == 1 and (kept[0] / "thumbs" / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in kept[0].rglob("*")) == ["notes.txt", "thumbs"]
    assert "did not write (thumbs/notes.txt); kept in" in caplog.text
    assert (out / "index.html").read_text() == "new"


def test_a_listed_file_behind_a_symlinked_folder_is_not_deleted(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "01.png").write_text("not the report's")
    out, staging = tmp_path / "reports", tmp_path / ".reports.partial-1-abc"
    out.mkdir()
    (out / rp.MARKER).write_text(json.dumps({"format": 2, "files": ["thumbs/01.png"]}))
    (out / "thumbs").symlink_to(elsewhere)
    staging.mkdir()
    (staging / "index.html").write_text("new")
    rp.swap_into_place(staging, out)
    assert (elsewhere / "01.png").read_text() == "not the report's"


def _legacy_report(out: Path, names=("01-counts", "03-echo")) -> None:
    """A report folder as newsdesk wrote it before the marker listed its files (format 1)."""
    out.mkdir(parents=True)
    for f in ["index.html", "report.log"] + [f"{n}.{e}" for n in names for e in ("html", "ipynb")]:
        (out / f).write_text("old")
    for d, e in (("thumbs", "png"), ("logs", "log")):
        (out / d).mkdir()
        for n in names:
            (out / d / f"{n}.{e}").write_text("old")
    (out / rp.MARKER).write_text(json.dumps({"newsdesk": "0.4.0", "built": "2026-11-30T10:00:00+00:00",
                                             "corpus": {"path": "/x"},
                                             "reports": [{"name": n, "status": "ok", "error": None, "params": {}}
                                                         for n in names]}))


def test_an_older_format_marker_still_lets_its_report_be_replaced(tmp_path):
    out = tmp_path / "reports"
    _legacy_report(out)
    rp._check_out(out)                                         # every file is one the report wrote
    staging = tmp_path / ".reports.partial-1-abc"
    staging.mkdir()
    (staging / "index.html").write_text("new")
    assert rp.swap_into_place(staging, out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]
    assert sorted(p.name for p in out.iterdir()) == [rp.MARKER, "index.html"]
    # a legacy grid: the top marker names its sets, each folder has its own marker
    grid = tmp_path / "grid"
    _legacy_report(grid / "World")
    grid.joinpath("index.html").write_text("old")
    grid.joinpath(rp.MARKER).write_text(json.dumps({"newsdesk": "0.4.0", "sets": [{"folder": "World", "point": {}}]}))
    rp._check_out(grid)
    (grid / "World" / "notes.txt").write_text("mine")
    with pytest.raises(ReportError, match=r"World/notes.txt"):
        rp._check_out(grid)


def _hashes(folder: Path) -> dict[str, str]:
    import hashlib

    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            out[rel] = "link:" + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


def _refused_forms(tmp_path: Path) -> list[tuple[str, str, str]]:
    """(corpus argument, --out, expected words) for every --out that overlaps the corpus."""
    corpus = kit.make_corpus(tmp_path / "corp")
    (corpus / "sub").mkdir()
    (tmp_path / "corp-link").symlink_to(corpus)
    (tmp_path / "sub-link").symlink_to(corpus / "sub")
    c = str(corpus)
    return [
        (c, c, "is the corpus"),                                         # out == corpus
        (c, str(corpus / "sub"), "lies inside the corpus"),              # out inside corpus
        (c, str(corpus / "new" / "deeper"), "lies inside the corpus"),   # ... even a new folder
        (c, str(tmp_path), "contains the corpus"),                       # out containing corpus
        (str(tmp_path / "corp-link"), c, "is the corpus"),               # corpus named via a symlink
        (c, str(tmp_path / "corp-link"), "is the corpus"),               # out via a symlink
        (c, str(tmp_path / "sub-link"), "lies inside the corpus"),       # out inside, via a symlink
        (c + "/*.txt", c, "is the corpus"),                              # a glob corpus
        (c + "/*.txt", str(tmp_path), "contains the corpus"),
        (c + "/0*.txt", str(corpus / "sub"), "lies inside the corpus"),
        (c + "/00.txt", str(tmp_path), "contains the corpus"),           # a one-file corpus
        (c, c + "/../corp/./sub/..", "is the corpus"),                   # dots
    ]


@pytest.mark.parametrize("marker", [None, "{}", "legacy", "format2-listing-articles"])
def test_out_overlapping_the_corpus_is_refused_before_loading_and_the_corpus_is_untouched(tmp_path, monkeypatch,
                                                                                           marker):
    from newsdesk import corpus as nd_corpus

    forms = _refused_forms(tmp_path)
    corpus = tmp_path / "corp"
    if marker == "{}":
        (corpus / rp.MARKER).write_text("{}")
        (corpus / "sub" / rp.MARKER).write_text("{}")
    elif marker == "legacy":
        (corpus / rp.MARKER).write_text(json.dumps({"newsdesk": "0.4.0", "reports": [{"name": "00"}]}))
    elif marker:
        (corpus / rp.MARKER).write_text(json.dumps({"format": 2, "files": sorted(p.name for p in corpus.glob("*.txt"))}))
    (tmp_path / rp.MARKER).write_text("{}")
    before = _hashes(tmp_path)
    monkeypatch.setattr(nd_corpus, "load_corpus", lambda *a, **k: pytest.fail("loaded before refusing --out"))
    nbs = kit.fixture_notebooks(tmp_path.parent / f"{tmp_path.name}-nbs")
    for corpus_arg, out, words in forms:
        with pytest.raises(ReportError, match="the corpus is never written to or replaced") as exc:
            rp.build_reports(corpus_arg, out, notebooks_dir=nbs)
        assert words in str(exc.value), (corpus_arg, out, str(exc.value))
        assert "\n" not in str(exc.value)
    assert _hashes(tmp_path) == before


def test_out_beside_the_corpus_is_fine(tmp_path):
    forms = _refused_forms(tmp_path)
    corpus = tmp_path / "corp"
    rp._check_out(tmp_path / "reports", corpus)
    rp._check_out(tmp_path / "corp-reports", corpus)                  # a shared name prefix is not inside
    rp._check_out(corpus / "sub-reports", str(corpus / "00.txt"))     # beside a one-file corpus
    assert forms


def test_the_reproduction_exits_2_and_the_corpus_keeps_every_article(tmp_path):
    """The issue's reproduction: `{}` marker planted, newsdesk report corp --out corp."""
    corpus = kit.make_corpus(tmp_path / "corp")
    (corpus / rp.MARKER).write_text("{}")
    before = _hashes(corpus)
    nbs = kit.fixture_notebooks(tmp_path / "nbs")
    proc = kit.run_cli("report", str(corpus), "--out", str(corpus), "--notebooks-dir", str(nbs),
                       "--notebooks", "01", timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "is the corpus" in proc.stderr and "Traceback" not in proc.stderr
    assert _hashes(corpus) == before
    assert not list(tmp_path.glob(".corp.*"))


def test_stale_partial_folders_of_dead_runs_are_removed(tmp_path):
    out = tmp_path / "reports"
    dead = tmp_path / ".reports.partial-999999999-abc123"
    alive = tmp_path / f".reports.partial-{os.getpid()}-abc123"
    dead.mkdir()
    alive.mkdir()
    rp._clean_stale(out)
    assert not dead.exists() and alive.exists()


def test_a_partial_folder_is_kept_while_its_owner_lives_and_removed_when_its_pid_is_reused(tmp_path):
    out = tmp_path / "reports"
    mine = tmp_path / f".reports.partial-{os.getpid()}-aaa111"
    reused = tmp_path / f".reports.partial-{os.getpid()}-bbb222"    # made by a run before this process
    mine.mkdir()
    reused.mkdir()
    long_ago = time.time() - 7 * 24 * 3600
    os.utime(reused, (long_ago, long_ago))
    rp._clean_stale(out)
    assert mine.exists()
    from newsdesk.parallel import process_started

    assert reused.exists() == (process_started(os.getpid()) is None)  # a start time to compare: removed


def test_a_partial_folder_whose_lock_is_held_is_kept(tmp_path):
    # a run on another machine or in another pid namespace: its pid means nothing here, its lock does
    out = tmp_path / "reports"
    elsewhere = tmp_path / ".reports.partial-999999999-ccc333"
    elsewhere.mkdir()
    fd = rp._owner_lock(elsewhere)
    try:
        pid = os.fork()
        if pid == 0:                  # another process looks: the lock is not its own
            rp._clean_stale(out)
            os._exit(0)
        os.waitpid(pid, 0)
        assert elsewhere.exists() or fd is None
    finally:
        if fd is not None:
            os.close(fd)
    rp._clean_stale(out)
    assert not elsewhere.exists()


@pytest.mark.slow
def test_kernels_write_no_ipython_history(tmp_path):
    import sqlite3

    nbs = kit.fixture_notebooks(tmp_path / "nbs")
    home, ipython = tmp_path / "home", tmp_path / "ipython"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "IPYTHONDIR": str(ipython), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run([*kit.NEWSDESK, "report", str(kit.make_corpus(tmp_path / "c")), "--out", str(tmp_path / "out"),
                           "--notebooks-dir", str(nbs), "--notebooks", "03", "-p", "label", "secret-label"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "secret-label" in (tmp_path / "out" / "03-echo.html").read_text(encoding="utf-8")
    for db in [*home.rglob("history.sqlite"), *ipython.rglob("history.sqlite")]:
        with contextlib.closing(sqlite3.connect(db)) as con:
            rows = con.execute("select count(*) from history").fetchone()[0] if con.execute(
                "select name from sqlite_master where name = 'history'").fetchone() else 0
        assert rows == 0, f"{db} holds {rows} entries of executed code"


# --------------------------------------------------------------------------- the command
def test_misspelled_parameter_fails_before_anything_runs(tmp_path):
    nbs = kit.fixture_notebooks(tmp_path / "nbs")
    # the corpus does not even exist: the name check comes first
    proc = kit.run_cli("report", str(tmp_path / "no-corpus"), "--out", str(tmp_path / "out"),
                       "--notebooks-dir", str(nbs), "-p", "top_nn", "5", timeout=60)
    assert proc.returncode == 2
    assert "unknown parameter 'top_nn'. Did you mean 'top_n'?" in proc.stderr
    assert "Valid parameters:" in proc.stderr and "sections" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow   # a CLI process per case: 2-5 s each
@pytest.mark.parametrize("args, message", [
    (["-p", "top_n", "-3"], "top_n must be >= 1, got -3"),
    (["-p", "date_from", "2017-02-30"], "date_from: '2017-02-30' is not a date"),
    (["-p", "date_to", "9999-12-31"], "date_to: '9999-12-31' is outside the dates pandas can hold, 1678-01-01 to 2261-12-31"),
    (["-p", "date_from", "2017-05-02T25:00"], "date_from: '2017-05-02T25:00' is not a date (hour must be in 0..23)"),
    (["-p", "date_from", "2030"], "date_from 2030: no article of the corpus matches"),
    (["-p", "sections", '["Sport"]'], "section 'Sport' does not occur in the corpus"),
    (["--grid", "section=World,Sprot"], "section 'Sprot' does not occur in the corpus"),
    (["--grid", "sectoin=World"], "unknown grid parameter 'sectoin'"),
    (["--notebooks", "09"], "no notebook '09'"),
    (["-p", "freq", "weekly"], "Did you mean 'week'?"),
])
def test_bad_input_exits_2_with_a_clear_message(tmp_path, args, message):
    nbs = kit.fixture_notebooks(tmp_path / "nbs")
    corpus = kit.make_corpus(tmp_path / "corpus")
    proc = kit.run_cli("report", str(corpus), "--out", str(tmp_path / "out"), "--notebooks-dir", str(nbs), *args,
                       timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert not (tmp_path / "out").exists()


def test_missing_corpus_is_a_clear_error(tmp_path):
    nbs = kit.fixture_notebooks(tmp_path / "nbs")
    proc = kit.run_cli("report", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), "--notebooks-dir", str(nbs),
                       timeout=120)
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr


def test_help_params_command(tmp_path):
    nbs = kit.fixture_notebooks(tmp_path / "nbs")
    proc = kit.run_cli("report", "--help-params", "--notebooks-dir", str(nbs), timeout=60)
    assert proc.returncode == 0
    assert "01-counts" in proc.stdout and "03-echo" in proc.stdout and "terms" in proc.stdout


# --------------------------------------------------------------------------- a real build (session-wide)
@pytest.fixture(scope="session")
def built(tmp_path_factory):
    return kit.build_fixture_reports(tmp_path_factory.getbasetemp())


@pytest.mark.slow
def test_build_exits_1_when_a_notebook_fails_and_renders_the_others(built):
    out = Path(built["out"])
    assert built["rc"] == 1, built["stderr"]
    assert "02-fails failed: ValueError: boom" in built["stderr"]
    for name in ("01-counts", "02-fails", "03-echo", "04-unsafe"):
        assert (out / f"{name}.ipynb").exists()
        assert (out / f"{name}.html").exists()
    assert (out / "report.log").read_text().count("FAILED") == 1
    manifest = json.loads((out / rp.MARKER).read_text())
    assert {r["name"]: r["status"] for r in manifest["reports"]} == {
        "01-counts": "ok", "02-fails": "failed", "03-echo": "ok", "04-unsafe": "ok"}


@pytest.mark.slow
def test_index_page(built):
    out = Path(built["out"])
    html = (out / "index.html").read_text()
    # corpus facts
    assert built["corpus"] in html
    assert "4</div>" in html  # articles
    assert "12 May 2017 – 2 Jun 2017" in html
    # parameters used, escaped, and the version
    assert "top_n" in html and "<td class=\"v\">3</td>" in html
    assert "it&#39;s &#34;quoted&#34;" in html
    assert "newsdesk 0.1.0" in html or "newsdesk " + rp.__version__ in html
    # one card per report: link, summary, thumbnail of the first chart
    for name in ("01-counts", "03-echo", "04-unsafe"):
        assert f'href="{name}.html"' in html
    assert "How many articles each section has." in html
    # thumbnails are embedded: the page's CSP allows data: images only
    assert (out / "thumbs" / "01-counts.png").stat().st_size > 1000
    card = html[html.index('id="01-counts"'):]
    assert card[:card.index("</article>")].count('src="data:image/png;base64,') == 1
    card = html[html.index('id="03-echo"'):]
    assert "<img" not in card[:card.index("</article>")]
    assert _csp(html).startswith("default-src 'none'; img-src data:;")
    # the failure: marked, its message escaped, a link to the executed notebook
    card = html[html.index('id="02-fails"'):]
    card = card[:card.index("</article>")]
    assert "Failed" in card
    assert "boom &lt;script&gt;document.title=&#34;ndpwn&#34;&lt;/script&gt;" in card
    assert 'href="02-fails.ipynb"' in card
    assert "<script" not in html


@pytest.mark.slow
def test_reports_hide_code_and_are_small(built):
    out = Path(built["out"])
    html = (out / "01-counts.html").read_text()
    assert "value_counts" not in html  # code hidden
    assert "data:image/png;base64," in html
    assert "<script" not in html.lower()
    assert not rp.R.REPORT_EXTERNAL_REF_RE.search(html)
    for f in out.glob("*.html"):
        assert f.stat().st_size < 2_000_000, f
    # the failed one is rendered with its code, so the reader sees where it stopped
    assert 'class="jp-CodeMirrorEditor' not in html
    assert 'class="jp-CodeMirrorEditor' in (out / "02-fails.html").read_text()


@pytest.mark.slow
def test_parameters_are_values_not_code(built):
    """A label with quotes, newline, backslashes and Python code reaches the notebook verbatim."""
    import nbformat

    nb = nbformat.read(Path(built["out"]) / "03-echo.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.get("outputs", []) if o.get("name") == "stdout")
    echoed = json.loads(printed)
    assert echoed == {"label": built["label"], "terms": ['x"y', "a'b", "<b>c</b>"], "top_n": 3}
    assert not (Path(built["notebooks"]) / "PWNED").exists()
    assert not (Path(built["out"]) / "PWNED").exists()


@pytest.mark.slow
def test_grid_builds_one_set_per_value_and_a_top_index(tmp_path, built):
    out = tmp_path / "grid"
    sets = rp.build_reports(built["corpus"], out, notebooks="01", notebooks_dir=built["notebooks"],
                            grid=["section=World,Business"], params={"top_n": 2}, progress=False)
    assert [s.folder for s in sets] == ["World", "Business"]
    assert [s.point for s in sets] == [{"sections": "World"}, {"sections": "Business"}]
    top = (out / "index.html").read_text()
    assert 'href="World/index.html"' in top and 'href="Business/index.html"' in top
    for folder, other in (("World", "Business"), ("Business", "World")):
        idx = (out / folder / "index.html").read_text()
        assert 'href="../index.html"' in idx
        assert f"These reports cover <strong>2</strong> of them" in idx
        assert f"sections = [&#34;{folder}&#34;]" in idx
        assert (out / folder / "01-counts.html").exists()
        import nbformat

        nb = nbformat.read(out / folder / "01-counts.ipynb", as_version=4)
        shown = json.dumps([o.get("data", {}).get("text/plain", "") for c in nb.cells for o in c.get("outputs", [])])
        assert folder in shown and other not in shown


def _wait_for(pred, timeout=120.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if pred():
            return True
        time.sleep(0.2)
    return False


def _running_sleeper(out: Path) -> bool:
    for log in out.parent.glob(f".{out.name}.partial-*/logs/05-sleeps.log"):
        if "Executing Cell 3" in log.read_text(errors="replace"):
            return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_interrupted_run_leaves_the_previous_report_readable(tmp_path, built, sig):
    out = tmp_path / "reports"
    shutil.copytree(built["out"], out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    nbs = tmp_path / "nbs"
    kit.sleeper_notebook(nbs, seconds=120)
    proc = subprocess.Popen([*kit.NEWSDESK, "report", built["corpus"], "--out", str(out), "--notebooks-dir", str(nbs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert _wait_for(lambda: _running_sleeper(out)), "the sleeping notebook never started"
        (os.killpg if sig == signal.SIGKILL else os.kill)(proc.pid if sig != signal.SIGKILL else os.getpgid(proc.pid), sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(os.getpgid(proc.pid), signal.SIGKILL)
            proc.wait()
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert "Reports" in (out / "index.html").read_text()
    partials = list(tmp_path.glob(".reports.partial-*"))
    if sig == signal.SIGTERM:
        assert proc.returncode == 130
        assert "unchanged" in err
        assert _wait_for(lambda: not list(tmp_path.glob(".reports.partial-*")), 30)
    else:
        assert partials  # killed outright: the next run cleans it up
        rp._clean_stale(out)
        assert not list(tmp_path.glob(".reports.partial-*"))


def test_missing_kernel_falls_back_to_this_interpreter(monkeypatch):
    name, env = rp.ensure_kernel("nd-test-no-such-kernel")
    try:
        spec = json.loads((Path(env["JUPYTER_PATH"].split(os.pathsep)[0]) / "kernels" / name / "kernel.json").read_text())
        assert spec["argv"][0] == sys.executable
        assert spec["argv"][1:3] == ["-m", "ipykernel_launcher"]
    finally:
        shutil.rmtree(env["JUPYTER_PATH"].split(os.pathsep)[0])
    assert rp.ensure_kernel("newsdesk") == ("newsdesk", {})  # registered by make setup: used as it is


@pytest.mark.slow
def test_a_run_on_an_unregistered_kernel_name_still_works(tmp_path, built):
    sets = rp.build_reports(built["corpus"], tmp_path / "out", notebooks="03", notebooks_dir=built["notebooks"],
                            kernel="nd-test-no-such-kernel", progress=False)
    assert [r.status for r in sets[0].results] == ["ok"], sets[0].results[0].error
    assert not list(Path(tempfile.gettempdir()).glob("newsdesk-kernels-*/kernels/nd-test-no-such-kernel"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork server: Linux")
def test_the_fork_server_starts_early_with_the_worker_modules():
    code = ("from newsdesk import report; report._start_fork_server()\n"
            "from multiprocessing import forkserver as f\n"
            "s = f._forkserver\n"
            "print(s._forkserver_pid is not None, s._preload_modules == list(report.WORKER_PRELOAD))\n"
            "import sys; print('papermill' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    # running, preloading the worker modules, and this process itself did not import them
    assert out == ["True", "True", "False"]


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


def _run_inline(nb: rp.Notebook, params: dict) -> None:
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


def _strategies(nb: rp.Notebook, columns: list[str], events_csv: str) -> dict[str, tuple]:
    """Per parameter, ``(usual, edge)`` strategies: values from its declared type and range (in
    the corpus's terms: its dates, sections, columns, words), and values at or beyond its limits."""
    def one(p: Param) -> st.SearchStrategy:
        name = p.name
        if rp.R.REPORT_DATE_PARAM_RE.search(name) and isinstance(p.default, str):
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
        elif name in rp.R.REPORT_SECTION_PARAMS:
            usual = st.lists(st.sampled_from(["World", "Business", "world"]), max_size=2)
            edge = st.lists(st.sampled_from(["Sprot", "", "World"]), max_size=3)
        elif name in rp.R.REPORT_TERM_PARAMS:
            words = st.lists(st.sampled_from(_WORDS[:5]), min_size=1, max_size=3)
            one_word = st.sampled_from(_WORDS[:5])
            usual = (st.one_of(one_word, words) if rp._allows(p.annotation, "list") else one_word) \
                if rp._allows(p.annotation, "str") else words
            edge = st.one_of(st.sampled_from(_WORDS), st.lists(st.sampled_from(_WORDS), max_size=3))
        elif name == "speakers":
            usual = st.lists(st.sampled_from(["Jean Dupont", "Berg", "stone", "Nobody Here"]), max_size=3)
            edge = st.lists(st.sampled_from(["", "re:(", "re:.*", "Berg|Stone", " "]), max_size=2)
        elif name == "where":
            usual = st.sampled_from([{}, {"section": ["world", "Business"]}, {"section": ["World"]}, {"agency": ["AFP", "Reuters"]}])
            edge = st.sampled_from([{"publsher": ["x"]}, {"agency": ["Nobody"]}, {"agency": 5}, {"": ""}])
        elif rp.R.REPORT_COLUMN_PARAM_RE.search(name):
            usual = st.sampled_from([c for c in columns if c not in rp.R.REPORT_NOT_GROUPABLE])
            edge = st.sampled_from(["publsher", "Section", "body", "tone", ""])
        elif name in rp.R.REPORT_EVENT_PARAMS:
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
def _values(draw, nb: rp.Notebook, columns: list[str], events_csv: str) -> dict:
    """Every parameter of ``nb`` drawn, at most one of them from the edge (so that about half the
    examples pass the checks and run)."""
    pairs = _strategies(nb, columns, events_csv)
    edge = draw(st.sets(st.sampled_from(sorted(pairs)), max_size=1), label="edge") if pairs else set()
    values = {n: draw(pairs[n][1] if n in edge else pairs[n][0], label=n) for n in pairs}
    for lo in [n for n in values if n.endswith("_from") and n[:-5] + "_to" in values and n not in edge]:
        hi = lo[:-5] + "_to"
        if hi not in edge and values[lo] and values[hi] and rp.date_span(values[lo])[0] > rp.date_span(values[hi])[1]:
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
    nbs = rp.discover_notebooks()
    nb = data.draw(st.sampled_from(nbs), label="notebook")
    values = data.draw(_values(nb, list(articles.columns), events_csv), label="values")
    try:
        inject = rp.resolve_params(values, [nb], corpus=corpus)
        rp.check_against_corpus(inject, articles, [nb])
    except ReportError as exc:
        event(f"refused: {str(exc).split(':')[0]}")
        return                                            # refused before anything runs: fine
    event(f"ran {nb.name}")
    _run_inline(nb, inject[nb.name])                      # must not raise
