"""Reports a reader can explore: interactive tables, their CSV files, charts to keep, the quote explorer.

A notebook's tables (``tables.show``) carry an interactive form (``tables.MIMETYPE``: their rows as
text and their CSV). When a report is built, :func:`export_files` writes each table's CSV to
``tables/<notebook>/`` and each chart's PNG and SVG to ``charts/<notebook>/`` next to the page,
and :func:`render_output` turns each table into the page's markup: the escaped static table (what
a reader without scripts sees), the rows as a JSON data block, and a link to the CSV. The report
template's own script (``templates/explore.js``, allowed by the page's CSP by its hash) builds
search, sorting, pages and a filter from that block and writes every cell as text.

The data block cannot end early: every ``<``, ``>`` and ``&`` in it is a JSON escape
(``\\u003c``), so a quote holding ``</script>`` stays a string.

>>> html = table_html({"columns": [{"name": "t", "type": "text"}], "rows": [["</script><b>x"]], "total": 1},
...                   fallback="<table></table>", href="tables/03-quotes/01-x.csv")
>>> "</script><b>" in html, "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003ex" in html, 'href="tables/03-quotes/01-x.csv"' in html
(False, True, True)
"""
from __future__ import annotations

import base64
import html as _html
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from . import config
from .atomic import atomic_write_bytes, atomic_write_text
from .tables import MIMETYPE, show

__all__ = ["LINKS_MIMETYPE", "DATA_CLASS", "slug", "json_block", "table_html", "links_html", "render_output",
           "export_files", "export_dir", "quote_context", "quotes_in_context", "quote_explorer", "svg_after_png"]

LINKS_MIMETYPE = "application/vnd.newsdesk.links+json"
"""The output type of a chart's download links (written by :func:`export_files`)."""
DATA_CLASS = "nd-explore-data"
"""The class of the JSON data block of an interactive table."""
_HREF_RE = re.compile(r"^(?:tables|charts)/[\w.-]+/[\w.-]+\.(?:csv|png|svg)$")
_CSV_FILE_RE = re.compile(r"^[0-9a-f]{32}\.csv$")
_HEADING_RE = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def slug(text: str, *, most: int = 40) -> str:
    """A file-name part: lower-case letters, digits and dashes.

    >>> slug("Most-quoted <b>speakers</b>!"), slug("")
    ('most-quoted-b-speakers-b', '')
    """
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")[:most].strip("-")


def json_block(data: Any) -> str:
    """``data`` as JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&``.

    >>> json_block({"q": "</script>&"})
    '{"q": "\\\\u003c/script\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def _safe_href(href: Any) -> str | None:
    return href if isinstance(href, str) and _HREF_RE.match(href) else None


def table_html(payload: Mapping[str, Any], *, fallback: str = "", href: str | None = None) -> str:
    """The markup of one interactive table: the (already sanitized) static ``fallback``, the
    rows as a JSON data block and a link to the CSV (only a ``tables/...csv`` path)."""
    data = {k: payload.get(k) for k in ("caption", "columns", "rows", "total", "note", "page")}
    href = _safe_href(href)
    n = payload.get("total") or 0
    link = (f'<p class="nd-downloads"><a href="{_html.escape(href)}" download>Download CSV</a>'
            f' <span class="nd-muted">(all {int(n):,} rows)</span></p>' if href else "")
    return (f'<div class="nd-explore"><script type="application/json" class="{DATA_CLASS}">{json_block(data)}'
            f'</script><div class="nd-explore-static">{fallback}</div>{link}</div>')


def links_html(links: list) -> str:
    """A chart's download links (``[label, href]`` pairs; only ``charts/...`` paths)."""
    parts = [f'<a href="{_html.escape(h)}" download>{_html.escape(str(label))}</a>'
             for label, h in links if _safe_href(h)]
    return f'<p class="nd-downloads">Download this chart: {" · ".join(parts)}</p>' if parts else ""


def render_output(data: dict) -> None:
    """In place, on one output's (sanitized) data: an interactive table or chart links become
    ``text/html``. Called by the report renderer after sanitizing."""
    if MIMETYPE in data:
        payload = data.pop(MIMETYPE)
        if isinstance(payload, Mapping):
            data["text/html"] = table_html(payload, fallback=data.get("text/html", ""), href=payload.get("href"))
    if LINKS_MIMETYPE in data:
        links = data.pop(LINKS_MIMETYPE)
        data["text/html"] = links_html(links.get("links", []) if isinstance(links, Mapping) else [])


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def export_files(nb, folder: str | Path, stem: str) -> list[str]:
    """Write the files a reader keeps, next to the page ``folder/<stem>.html``: each interactive
    table's CSV (``tables/<stem>/NN-name.csv``, every row) and each chart's PNG and SVG
    (``charts/<stem>/NN-name.png|svg``), named by the table's own name or caption, else by the
    heading above it. In place on ``nb``: a table's CSV text is replaced by its
    link, a chart's SVG is dropped and a links output follows it. Returns the files written
    (relative to ``folder``)."""
    folder = Path(folder)
    stem = slug(stem, most=60) or "report"
    written: list[str] = []
    n_tables = n_charts = 0
    heading = ""
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            heads = _HEADING_RE.findall(_text(cell.get("source", "")))
            heading = slug(heads[-1]) if heads else heading
        if cell.get("cell_type") != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            outputs.append(out)
            data = out.get("data")
            if not isinstance(data, dict):
                continue
            payload = data.get(MIMETYPE)
            if isinstance(payload, dict):
                n_tables += 1
                name = slug(payload.get("name") or payload.get("caption") or "") or heading or "table"
                rel = f"tables/{stem}/{n_tables:02d}-{name}.csv"
                made = export_dir(folder, stem) / str(payload.pop("csv_file", ""))
                if _CSV_FILE_RE.match(made.name) and made.is_file():   # written by the kernel
                    os.replace(made, _made(folder / rel))
                else:
                    atomic_write_text(_made(folder / rel), _text(payload.pop("csv", "")))
                payload.pop("csv", None)
                payload["href"] = rel
                written.append(rel)
            if "image/png" in data and "image/svg+xml" in data:
                n_charts += 1
                links = []
                for kind, key in (("png", "image/png"), ("svg", "image/svg+xml")):
                    rel = f"charts/{stem}/{n_charts:02d}-{heading or 'chart'}.{kind}"
                    raw = _text(data[key])
                    if kind == "png":
                        atomic_write_bytes(_made(folder / rel), base64.b64decode(raw))
                    else:
                        atomic_write_text(_made(folder / rel), raw)
                    links.append([kind.upper(), rel])
                    written.append(rel)
                del data["image/svg+xml"]
                outputs.append({"output_type": "display_data", "metadata": {}, "data": {LINKS_MIMETYPE: {"links": links}}})
        cell["outputs"] = outputs
    shutil.rmtree(export_dir(folder, stem), ignore_errors=True)  # a table computed but never shown
    return written


def export_dir(folder: str | Path, stem: str) -> Path:
    """Where a report's kernel writes its tables' CSV files (``config.EXPORT_DIR_ENV``) for
    :func:`export_files` to name and move: a hidden folder under ``tables/``."""
    return Path(folder) / "tables" / f".{slug(stem, most=60) or 'report'}"


def _made(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# --------------------------------------------------------------------------- the quote explorer
def quote_context(body: str, start: int, end: int, *, width: int = config.EXPLORER_CONTEXT_CHARS) -> tuple[str, str]:
    """The rest of the sentence(s) around ``body[start:end]`` (a quote's text): what comes before
    it and after it in its sentence, at most ``width`` characters each (cut at a word, with ``…``).

    >>> b = "The talks went on. Officials met and “We will keep talking,” said Jean Dupont. It rained."
    >>> quote_context(b, b.index("We"), b.index(",”"))
    ('Officials met and “', ',” said Jean Dupont.')
    """
    from .text import split_sentences

    lo = body.rfind("\n", 0, start) + 1
    hi = body.find("\n", end)
    hi = len(body) if hi < 0 else hi
    lo, hi = max(lo, start - 4 * width), min(hi, end + 4 * width)
    s0, s1 = start, end
    for s, e in split_sentences(body[lo:hi]):
        if lo + s <= start:
            s0 = lo + s
        if lo + s < end:
            s1 = max(end, lo + e)
    before, after = body[s0:start], body[end:s1]
    if len(before) > width:
        cut = before[-width:]
        before = "…" + (cut.split(" ", 1)[1] if " " in cut[:-1] else cut)
    if len(after) > width:
        cut = after[:width]
        after = (cut.rsplit(" ", 1)[0] if " " in cut[1:] else cut) + "…"
    return before, after


def quotes_in_context(q: pd.DataFrame, articles: pd.DataFrame, *, width: int = config.EXPLORER_CONTEXT_CHARS,
                      rows: int | None = None) -> pd.DataFrame:
    """Every quote of ``q`` (``speakers.quotes``) newest first, with the rest of its sentence:
    ``speaker, quote, date, title,`` the articles' group column (section, else publisher, else
    agency), ``cue, before, after, path, start, end`` (``body[start:end]`` of the article in
    ``path`` is the quote). ``rows`` limits the sentences to the newest quotes (the others get
    empty ``before``/``after``; about 55 µs a quote).

    >>> import newsdesk as nd
    >>> from newsdesk import speakers as nq
    >>> a = nd.load_corpus("data/sample")                                  # doctest: +SKIP
    >>> quotes_in_context(nq.quotes(a), a).columns.tolist()[:4]             # doctest: +SKIP
    ['speaker', 'quote', 'date', 'title']
    """
    from .corpus import group_column

    group = group_column(articles) or ("section" if "section" in q.columns else None)
    # the columns read below, sorted (a quotes frame has as many again: mentions, kinds, counts)
    read = [c for c in dict.fromkeys(["speaker", "quote", "date", "title", group, "cue", "path", "start", "end",
                                      "article_id"]) if c in q.columns]
    q = q[read].sort_values("date", ascending=False, kind="stable").reset_index(drop=True)
    near = q if rows is None else q.head(rows)
    wanted = set(near["article_id"].tolist())
    mine = articles["article_id"].isin(list(wanted)).to_numpy(dtype=bool)   # only these bodies as Python strings
    bodies = dict(zip(articles["article_id"][mine].tolist(), articles["body"][mine].tolist()))
    before, after = [], []
    for aid, s, e in zip(near["article_id"].tolist(), near["start"].tolist(), near["end"].tolist()):
        body = bodies.get(aid)
        if isinstance(body, str) and pd.notna(s) and pd.notna(e):
            b, a = quote_context(body, int(s), int(e), width=width)
        else:
            b, a = "", ""
        before.append(b)
        after.append(a)
    out = pd.DataFrame({"speaker": q["speaker"], "quote": q["quote"], "date": q["date"]})
    out["title"] = q["title"] if "title" in q.columns else pd.NA
    if group is not None and group in q.columns:
        out[group] = q[group]
    out["cue"] = q["cue"]
    rest = [""] * (len(q) - len(near))
    out["before"] = pd.Series(before + rest, index=q.index, dtype="str")
    out["after"] = pd.Series(after + rest, index=q.index, dtype="str")
    out["path"] = q["path"] if "path" in q.columns else pd.NA
    out["start"], out["end"] = q["start"], q["end"]
    return out


def quote_explorer(q: pd.DataFrame, articles: pd.DataFrame, *, max_quotes: int = config.EXPLORER_MAX_QUOTES):
    """Every quote of the selection in one table a report makes interactive: search across the
    columns, sorting, pages, a filter by speaker, each quote with the rest of its sentence; at
    most ``max_quotes`` embedded (the newest; the caption says so), the CSV holds them all.
    In a notebook it shows as a table of the newest quotes."""
    t = quotes_in_context(q, articles, rows=max_quotes)
    n = len(t)
    caption = f"{n:,} quotes, newest first"
    if n > max_quotes:
        caption += (f"; the {max_quotes:,} most recent are here (search, sort and filter them), "
                    f"the CSV below holds all {n:,} (the sentences around these {max_quotes:,})")
    return show(t, caption=caption, index=False, filter_by="speaker", max_rows=config.EXPLORER_STATIC_ROWS, context={"quote": ("before", "after")},
                hidden=[c for c in ("path", "start", "end") if c in t.columns], embed_rows=max_quotes, name="every quote", formats={"date": _date})


def _date(value: Any) -> str:
    return f"{value:%Y-%m-%d}" if isinstance(value, pd.Timestamp) else str(value)


# --------------------------------------------------------------------------- charts: SVG after PNG, cheaply
def svg_after_png() -> None:
    """In a report's kernel (``report.KERNEL_ARGS`` runs it at start-up): draw each chart's SVG
    after its PNG, on the layout the PNG's drawing just computed, instead of laying the figure out
    again (about half the cost of an SVG). The PNG is drawn exactly as before."""
    from IPython import get_ipython
    from IPython.core.formatters import SVGFormatter

    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    old = formatters.pop("image/svg+xml", None)

    class AfterPNG(SVGFormatter):
        def __call__(self, obj):
            engine = obj.get_layout_engine() if hasattr(obj, "get_layout_engine") else None
            if engine is None:
                return super().__call__(obj)
            engine.execute = lambda fig: None  # the PNG, drawn just before, laid the figure out
            try:
                return super().__call__(obj)
            finally:
                del engine.execute

    new = AfterPNG(parent=shell.display_formatter)
    if old is not None:
        new.type_printers.update(old.type_printers)
        new.deferred_printers.update(old.deferred_printers)
        new.enabled = old.enabled
    formatters["image/svg+xml"] = new  # last: after image/png
