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


@pytest.mark.parametrize("html_in, kept, gone", [
    ("<b>bold</b>", "<b>bold</b>", None),
    ("<script>alert(1)</script>", "&lt;script&gt;", "<script"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;", "<img"),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>", "javascript:"),
    ('<a href="https://example.org/a">x</a>', 'href="https://example.org/a"', None),
    ("</textarea><script>x</script>", "&lt;/textarea&gt;", "<textarea"),
    ('<img src="https://tracker.example/p.gif">', "&lt;img", "<img"),
    ('<iframe src="javascript:x"></iframe>', "&lt;iframe", "<iframe"),
    ("<style>.a{color:red}</style><table class='dataframe'><tr><td>1</td></tr></table>", "<style>.a{color:red}</style>", None),
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
    staging.mkdir()
    (staging / "index.html").write_text("new")
    rp.swap_into_place(staging, out)
    assert (out / "index.html").read_text() == "new"
    assert not staging.exists()


def test_out_folder_that_is_not_a_report_is_never_replaced(tmp_path):
    (tmp_path / "mine.txt").write_text("precious")
    with pytest.raises(ReportError, match="not a newsdesk report folder"):
        rp._check_out(tmp_path)
    (tmp_path / "mine.txt").unlink()
    rp._check_out(tmp_path)  # empty: fine
    (tmp_path / rp.MARKER).write_text("{}")
    (tmp_path / "index.html").write_text("x")
    rp._check_out(tmp_path)  # a previous report: fine


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
    assert 'src="thumbs/01-counts.png"' in html and (out / "thumbs" / "01-counts.png").stat().st_size > 1000
    assert 'src="thumbs/03-echo.png"' not in html
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
