"""explore: interactive tables (JSON data blocks that cannot break out, cells as text), the files a
reader keeps (CSV per table, PNG and SVG per chart) and the quote explorer's sentence context.
The same in a real browser: tests/test_browser.py."""
from __future__ import annotations

import base64
import io
import json
import re

import nbformat
import pandas as pd
import pytest

from newsdesk import explore, render as rp, tables

import reportkit as kit


def _data_blocks(html: str) -> list:
    return [json.loads(b) for b in rp.page_blocks(html).data]


# --------------------------------------------------------------------------- the data block
@pytest.mark.parametrize("text", [
    "</script><script>window.ndpwn=1</script>", "<!--<script>", "a & b > c", "\u2028line\u2029", "</SCRIPT >",
    *kit.HOSTILE,
])
def test_json_block_never_holds_markup_and_reads_back(text):
    block = explore.json_block({"rows": [[text]]})
    assert not set("<>&\u2028\u2029") & set(block)
    assert json.loads(block) == {"rows": [[text]]}


@pytest.mark.parametrize("href, linked", [
    ("tables/03-quotes/07-every-quote.csv", True),
    ("charts/03-quotes/01-x.svg", True),
    ("javascript:alert(1)", False),
    ("../../etc/passwd.csv", False),
    ("tables/03-quotes/x.csv\" onclick=\"x", False),
    ("https://example.org/tables/a/b.csv", False),
    (None, False),
])
def test_table_links_only_files_it_wrote(href, linked):
    html = explore.table_html({"columns": [], "rows": [], "total": 0}, href=href)
    assert ('href="' in html) is linked
    assert ("download" in explore.links_html([["PNG", href]])) is linked


def test_table_html_keeps_the_sanitized_fallback_and_the_rows():
    t = tables.show(pd.DataFrame({"title": ["<b>x</b>"], "n": [1]}))
    payload = t.interactive()
    html = explore.table_html(payload, fallback=rp.sanitize_html(t.to_html()))
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    (block,) = _data_blocks(html)
    assert block["rows"] == [["<b>x</b>", "1"]] and "csv" not in block


# --------------------------------------------------------------------------- tables.interactive
@pytest.mark.parametrize("index, expected_columns", [
    (pd.RangeIndex(2), ["who", "n"]),                       # row numbers are never a column
    (pd.Index(["a", "b"], name="key"), ["key", "who", "n"]),  # row labels are
    (pd.Index(["a", "b"]), ["", "who", "n"]),
])
def test_interactive_has_no_index_column_but_keeps_row_labels(index, expected_columns):
    df = pd.DataFrame({"who": ["A", "B"], "n": [1, 2]}, index=index)
    t = tables.show(df).interactive()
    assert [c["name"] for c in t["columns"]] == expected_columns
    assert t["csv"].splitlines()[0] == ",".join(expected_columns)


def test_interactive_embeds_at_most_embed_rows_and_the_csv_holds_all():
    df = pd.DataFrame({"n": range(30)})
    t = tables.show(df, embed_rows=10, max_rows=5).interactive()
    assert len(t["rows"]) == 10 and t["total"] == 30
    assert "10 of 30" in t["note"]
    assert len(t["csv"].splitlines()) == 31


def test_interactive_formats_cells_as_the_table_does_and_types_columns():
    df = pd.DataFrame({"share": [0.25, 0.5], "when": pd.to_datetime(["2017-05-12", "2017-06-01"]), "ok": [True, False]})
    t = tables.show(df, formats={"share": "{:.0%}"}).interactive()
    assert t["rows"] == [["25%", "2017-05-12", "yes"], ["50%", "2017-06-01", "no"]]
    assert [c["type"] for c in t["columns"]] == ["num", "text", "text"]
    assert "0.25" in t["csv"]  # the CSV keeps the raw value


def test_interactive_context_and_hidden_columns():
    df = pd.DataFrame({"speaker": ["A"], "quote": ["q"], "before": ["b"], "after": ["a"], "path": ["p"]})
    t = tables.show(df, filter_by="speaker", context={"quote": ("before", "after")}, hidden=["path"]).interactive()
    cols = {c["name"]: c for c in t["columns"]}
    assert cols["speaker"]["filter"] and cols["quote"]["context"] == [2, 3]
    assert [n for n, c in cols.items() if c.get("hidden")] == ["before", "after", "path"]


def test_a_notebook_shows_the_html_table_and_offers_the_interactive_form():
    from IPython.core.interactiveshell import InteractiveShell

    data, _ = InteractiveShell.instance().display_formatter.format(tables.show(pd.DataFrame({"a": [1]})))
    assert {"text/html", "text/plain", tables.MIMETYPE} <= set(data)


# --------------------------------------------------------------------------- files next to the page
def _png() -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 3), (30, 90, 160)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def _notebook(payload_rows: list[list[str]]) -> nbformat.NotebookNode:
    df = pd.DataFrame(payload_rows, columns=["speaker", "quote"])
    t = tables.show(df)
    nb = nbformat.v4.new_notebook()
    table = nbformat.v4.new_code_cell("show(df)")
    table.outputs = [nbformat.v4.new_output("execute_result", data={
        "text/html": t.to_html(), "text/plain": t.plain, tables.MIMETYPE: t.interactive()}, execution_count=1)]
    chart = nbformat.v4.new_code_cell("chart()")
    chart.outputs = [nbformat.v4.new_output("display_data", data={
        "image/png": _png(), "image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'></svg>", "text/plain": "<Figure>"})]
    nb.cells = [nbformat.v4.new_markdown_cell("## Who <b>speaks</b>"), table, chart]
    return nb


def test_export_files_writes_csv_png_svg_and_links_them(tmp_path):
    nb = _notebook([["Ada <i>L</i>", "</script>x"], ["Grace", "y"]])
    written = explore.export_files(nb, tmp_path, "03-quotes")
    assert written == ["tables/03-quotes/01-who-b-speaks-b.csv", "charts/03-quotes/01-who-b-speaks-b.png",
                       "charts/03-quotes/01-who-b-speaks-b.svg"]
    csv = pd.read_csv(tmp_path / written[0])
    assert csv.to_dict("list") == {"speaker": ["Ada <i>L</i>", "Grace"], "quote": ["</script>x", "y"]}
    assert (tmp_path / written[1]).read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / written[2]).read_text().startswith("<svg")
    payload = nb.cells[1].outputs[0]["data"][tables.MIMETYPE]
    assert "csv" not in payload and payload["href"] == written[0]
    chart_outputs = nb.cells[2].outputs
    assert "image/svg+xml" not in chart_outputs[0]["data"] and explore.LINKS_MIMETYPE in chart_outputs[1]["data"]


def test_a_rendered_page_has_the_table_the_links_and_only_the_templates_script(tmp_path):
    nb = _notebook([["Ada <img src=x onerror=window.ndpwn=1>", "</script><script>window.ndpwn=2</script>"]])
    explore.export_files(nb, tmp_path, "03-quotes")
    html = rp.render_html(nb, title="T")   # raises if the page holds markup the template did not write
    assert not kit.scan_html(html)
    b = rp.page_blocks(html)
    csp = kit.csp_of(html)
    script_src = re.search(r"script-src ([^;]+)", csp).group(1).split()
    assert b.script and {rp.csp_hash(s) for s in b.script} <= set(script_src)
    assert all(s.startswith("'sha256-") for s in script_src) and "unsafe" not in csp
    (block,) = _data_blocks(html)
    assert block["rows"] == [["Ada <img src=x onerror=window.ndpwn=1>", "</script><script>window.ndpwn=2</script>"]]
    assert 'href="tables/03-quotes/01-who-b-speaks-b.csv"' in html
    assert 'href="charts/03-quotes/01-who-b-speaks-b.svg"' in html


def test_a_data_block_with_markup_is_refused():
    with pytest.raises(RuntimeError, match="did not write"):
        rp.report_blocks().check('<script type="application/json">{"a": "</b>"}</script>')


# --------------------------------------------------------------------------- the quote explorer
BODY = ("The talks went on. Officials met at noon and “We will keep talking,” said Jean Dupont, the minister. "
        "It rained.\n“No,” she said.\nA long line " + "word " * 60 + "then “x” and " + "more " * 60 + "end.")


@pytest.mark.parametrize("quote, expected", [
    ("We will keep talking", ("Officials met at noon and “", ",” said Jean Dupont, the minister.")),
    ("No", ("“", ",” she said.")),
])
def test_quote_context_is_the_rest_of_its_sentence(quote, expected):
    start = BODY.index(quote)
    assert explore.quote_context(BODY, start, start + len(quote)) == expected


def test_quote_context_is_cut_at_a_word_on_each_side():
    start = BODY.index("x”")
    before, after = explore.quote_context(BODY, start, start + 1, width=30)
    assert before.startswith("…") and before.endswith("then “") and len(before) <= 31
    assert after.endswith("…") and after.startswith("” and") and len(after) <= 31


def test_quote_explorer_holds_every_quote_newest_first_with_its_sentence():
    import newsdesk as nd
    from newsdesk import speakers as nq

    articles = nd.load_corpus("data/sample")
    q = nq.quotes(articles)
    t = explore.quotes_in_context(q, articles)
    assert len(t) == len(q) and t["date"].is_monotonic_decreasing
    assert list(t.columns[:4]) == ["speaker", "quote", "date", "title"] and {"cue", "before", "after", "path"} <= set(t.columns)
    assert (t["before"].str.len() + t["after"].str.len() > 0).mean() > 0.9
    payload = explore.quote_explorer(q, articles, max_quotes=10).interactive()
    assert len(payload["rows"]) == 10 and payload["total"] == len(q)
    assert f"the 10 most recent" in payload["caption"]
    assert len(payload["csv"].splitlines()) > len(q)  # every quote (a quote may span lines)


def test_a_reports_kernel_writes_the_csv_and_export_files_names_it(tmp_path, monkeypatch):
    """In a report the kernel writes each table's CSV itself (config.EXPORT_DIR_ENV), so a table of
    200,000 quotes never travels through the notebook's outputs; export_files names and moves it."""
    from newsdesk import config

    monkeypatch.setenv(config.EXPORT_DIR_ENV, str(explore.export_dir(tmp_path, "03-quotes")))
    nb = _notebook([["Ada", "x"], ["Grace", "y"]])
    payload = nb.cells[1].outputs[0]["data"][tables.MIMETYPE]
    assert "csv" not in payload and re.fullmatch(r"[0-9a-f]{32}\.csv", payload["csv_file"])
    written = explore.export_files(nb, tmp_path, "03-quotes")
    assert pd.read_csv(tmp_path / written[0])["speaker"].tolist() == ["Ada", "Grace"]
    assert not explore.export_dir(tmp_path, "03-quotes").exists()
    assert "csv_file" not in payload and payload["href"] == written[0]


def test_only_the_newest_quotes_get_their_sentence_when_asked():
    import newsdesk as nd
    from newsdesk import speakers as nq

    articles = nd.load_corpus("data/sample")
    t = explore.quotes_in_context(nq.quotes(articles), articles, rows=5)
    has = (t["before"].str.len() + t["after"].str.len()) > 0
    assert has.head(5).all() and not has.iloc[5:].any()
