"""Report pages: HTML rendering, the page CSP, sanitising cell outputs, thumbnails."""
from __future__ import annotations

import base64
import io

import pytest

from newsdesk import render
from newsdesk import resources as R

import reportkit as kit


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
    html = render.render_html(_executed_notebook(png=_png()), title="T", nav={"index": "index.html", "footer": "f <i>x</i>"})
    assert "SECRET_SOURCE_LINE" not in html
    assert "hello stdout" in html
    assert "a warning on stderr" not in html
    assert "data:image/png;base64," in html
    assert kit.foreign_scripts(html) == []  # only the template's own script (interactive tables)
    assert not R.REPORT_EXTERNAL_REF_RE.search(html)
    assert 'href="index.html"' in html
    assert "f &lt;i&gt;x&lt;/i&gt;" in html
    assert "<title>T</title>" in html


def test_render_html_with_code():
    html = render.render_html(_executed_notebook(), with_code=True)
    assert "SECRET_SOURCE_LINE" in html
    assert "a warning on stderr" in html


def _csp(html: str) -> str:
    csp = kit.csp_of(html)
    assert csp, "no Content-Security-Policy meta"
    return csp


@pytest.mark.parametrize("with_code", [False, True])
def test_every_report_page_has_a_csp_allowing_only_its_template_styles(with_code):
    html = render.render_html(_executed_notebook(png=_png()), with_code=with_code)
    csp = _csp(html)
    assert csp.startswith("default-src 'none'; img-src data:;")
    assert "unsafe-inline" not in csp and "http" not in csp
    blocks = render.page_blocks(html)
    assert blocks.style and blocks.attrs == []
    # the one script is the template's (interactive tables), allowed by its hash alone
    assert blocks.script and {render.csp_hash(s) for s in blocks.script} == set(csp.split("script-src ", 1)[1].split(";")[0].split())
    assert {render.csp_hash(s) for s in blocks.style} <= set(csp.split("style-src ", 1)[1].split(";")[0].split())
    assert html.index("Content-Security-Policy") < html.index("<style")


def test_a_traceback_in_256_colours_renders_without_style_attributes():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    tb = ["\x1b[38;5;196mValueError\x1b[0m: \x1b[1;38;2;10;20;30mboom <b>x</b>\x1b[m", "\x1b[31mred\x1b[0m"]
    nb = new_notebook(cells=[new_code_cell("1/0", execution_count=1, outputs=[
        new_output("error", ename="ValueError", evalue="boom", traceback=tb),
        new_output("stream", name="stderr", text="\x1b[48;5;2mgreen\x1b[0m\n")])])
    html = render.render_html(nb, with_code=True)  # raises when a style= attribute would reach the page
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
        render.report_blocks().check(f"<html><head></head><body>{page}</body></html>")


def test_text_that_reads_like_css_or_a_url_is_not_refused():
    render.report_blocks().check('<p>&lt;style&gt;a{background:url(http://x/y.png)}&lt;/style&gt;</p><a href="https://x.org">x</a>')


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
    out = render.sanitize_html(html_in)
    assert kept in out
    if gone:
        assert gone not in out


def test_sanitize_keeps_pandas_tables():
    import pandas as pd

    df = pd.DataFrame({"title": ["<script>x</script>", "ok"], "n": [1, 2]})
    out = render.sanitize_html(df._repr_html_())
    assert '<table border="1" class="dataframe">' in out
    assert "&lt;script&gt;x&lt;/script&gt;" in out
    assert "<script" not in out


def test_thumbnail_is_a_small_png():
    from PIL import Image

    nb = _executed_notebook(png=_png())
    png = render.first_png(nb)
    thumb = render.thumbnail(png)
    with Image.open(io.BytesIO(thumb)) as im:
        assert im.format == "PNG"
        assert im.width == R.REPORT_THUMB_WIDTH
        assert im.height == round(400 * R.REPORT_THUMB_WIDTH / 900)
    assert render.first_png(_executed_notebook()) is None


# --------------------------------------------------------------------------- the index's selection line
def test_the_index_states_the_filters_as_every_notebook_applies_them(sample_dir):
    """Issue 18 item 4: the index said every report covered the selected dates while 05 analysed
    others. Every notebook declares each filter, and the index's line names them and counts the
    articles each notebook's own load keeps."""
    import datetime as dt

    import newsdesk as nd
    from newsdesk import params as prm

    notebooks = prm.discover_notebooks()
    filters = {"date_from": "2023-04-01", "date_to": "2023-05-31", "sections": ["World", "Politics"],
               "where": {"agency": ["AFP", "Reuters"]}}
    assert all(set(filters) <= set(nb.params) for nb in notebooks), [nb.name for nb in notebooks]
    inject = {nb.name: dict(filters) for nb in notebooks}
    articles = nd.load_corpus(sample_dir)
    applied = nd.load_corpus(sample_dir, **filters)                # what each notebook's first cell keeps
    selected = render.selected_articles(articles, inject, notebooks)
    assert selected["filters"] == filters and selected["articles"] == len(applied) < len(articles)
    rset = render.ReportSet(label="", folder="", point={}, selected=selected)
    facts = {**render.corpus_facts(articles, sample_dir), "glance": {"mentioned": [], "quoted": [], "spikes": []}}
    html = render.render_index(rset, facts=facts, notebooks=notebooks,
                               user_params=filters, built=dt.datetime(2026, 12, 7), seconds=1)
    line = html[html.index('class="note selected"'):]
    line = line[:line.index("</p>")]
    assert f"<strong>{len(applied):,}</strong>" in line
    assert all(f"{k} = " in line for k in filters) and "2023-04-01" in line and "Reuters" in line


@pytest.mark.parametrize("sample, said", [(10_000, None), (50, 50)])
def test_the_front_page_says_when_names_were_counted_in_a_sample(monkeypatch, sample_dir, sample, said):
    """An archive larger than config.SUBJECT_SAMPLE has its most mentioned names counted in a
    random sample: the front page's counts are of that sample, and it says so."""
    import datetime as dt

    import newsdesk as nd
    from newsdesk import config

    monkeypatch.setattr(config, "SUBJECT_SAMPLE", sample)
    articles = nd.load_corpus(sample_dir)
    facts = render.glance_facts(articles)
    assert facts["mentioned_sample"] == said
    assert facts["mentioned"] and all(r["articles"] <= (said or len(articles)) for r in facts["mentioned"])
    html = render.render_index(render.ReportSet(label="", folder="", point={}),
                               facts={**render.corpus_facts(articles, sample_dir), "glance": facts},
                               notebooks=[], user_params={}, built=dt.datetime(2026, 12, 8), seconds=1)
    assert "Most mentioned" in html
    assert ("in a random sample of 50 articles" in html) == (said == 50)
