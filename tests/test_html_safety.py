"""Hostile text in shared HTML (issue 8.2): titles, bodies, quotes, speakers and section names
holding ``<script>``, ``<img onerror>``, ``javascript:`` links and ``</textarea>`` appear as text
in every report and on the index page; nothing injected can run."""
from __future__ import annotations

import html as htmlmod
from pathlib import Path

import pytest

from newsdesk import render
from newsdesk import resources as R

import reportkit as kit


@pytest.mark.parametrize("payload", kit.HOSTILE)
def test_scanner_finds_each_payload_when_unescaped(payload):
    """The scanner used below would catch every payload, had it reached the page as markup."""
    assert kit.scan_html(f"<p>{payload}</p>")
    assert not kit.scan_html(f"<p>{htmlmod.escape(payload)}</p>")


@pytest.mark.parametrize("payload", kit.HOSTILE)
def test_sanitizer_neutralises_each_payload(payload):
    assert not kit.scan_html(render.sanitize_html(f"<div>{payload}</div>"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return kit.build_hostile_reports(tmp_path_factory.getbasetemp())


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


@pytest.mark.slow
def test_every_report_was_built(hostile):
    out = Path(hostile["out"])
    built = {p.stem for p in out.glob("*.html")} - {"index"}
    assert built == set(hostile["notebooks"]), hostile["stderr"]


@pytest.mark.slow
def test_no_injected_markup_in_any_page(hostile):
    out = Path(hostile["out"])
    pages = _pages(out)
    assert len(pages) >= 2
    problems = {p.name: kit.scan_html(p.read_text(encoding="utf-8")) for p in pages}
    assert {k: v for k, v in problems.items() if v} == {}
    for p in pages:
        text = p.read_text(encoding="utf-8")
        if p.name == "index.html":
            assert "<script" not in text.lower(), p.name
        else:  # a report: only its template's own script, and JSON data blocks that hold no markup
            assert kit.foreign_scripts(text) == [], p.name
        assert not R.REPORT_EXTERNAL_REF_RE.search(text), p.name


@pytest.mark.slow
def test_hostile_text_is_shown_as_text(hostile):
    """Not silently dropped: the payloads are visible, escaped, where the notebooks show titles."""
    out = Path(hostile["out"])
    unsafe = (out / "90-unsafe.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;document.title=" in unsafe  # the table, the Markdown, the HTML and the print
    assert unsafe.count(kit.MARK) >= 8
    index = (out / "index.html").read_text(encoding="utf-8")
    # the corpus folder name and the label parameter are hostile too
    assert f"corpus-&lt;img src=x onerror=window.{kit.MARK}=9&gt;" in index
    assert "&lt;script&gt;document.title=" in index


@pytest.mark.slow
def test_failed_notebook_error_is_escaped_on_the_index(tmp_path_factory):
    built = kit.build_fixture_reports(tmp_path_factory.getbasetemp())
    index = (Path(built["out"]) / "index.html").read_text(encoding="utf-8")
    assert not kit.scan_html(index)
    assert "&lt;script&gt;document.title=&#34;ndpwn&#34;&lt;/script&gt;" in index
