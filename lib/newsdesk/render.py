"""Report pages: executed notebooks as self-contained HTML, and the index pages.

Every page is one file that loads nothing from the network: code hidden unless asked for, images
embedded, cell outputs sanitised (:func:`sanitize_html`), and a Content-Security-Policy allowing
only the page template's own style and script blocks, by hash (:class:`TemplateBlocks`). The
index pages (:func:`render_index`, :func:`render_grid_index`) show the corpus facts, the
parameters and one card per report, with a thumbnail of its first chart.

>>> sanitize_html('<p onclick="x()">ok</p><script>alert(1)</script>')
'<p>ok</p>&lt;script&gt;alert(1)&lt;/script&gt;'
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import io
import json
import logging
import os
import re
import secrets
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from . import __version__
from . import resources as R

if TYPE_CHECKING:  # pragma: no cover
    from .params import Notebook

log = logging.getLogger("newsdesk.report")

__all__ = ["TEMPLATES_DIR", "page_blocks", "csp_hash", "TemplateBlocks", "report_blocks", "index_blocks",
           "sanitize_html", "render_html", "first_png", "thumbnail", "Result", "ReportSet", "corpus_facts",
           "glance_facts", "no_front_page", "selected_articles", "render_index", "render_grid_index"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


# =========================================================================== HTML
def _skip_slow_imports() -> None:
    """``jsonschema`` (under nbformat) imports ``rfc3987_syntax``, which builds a Lark grammar at
    import time (about 6 s here) only to check the ``iri`` string format, which notebooks never use.
    Mark it unavailable so jsonschema skips that one checker; nothing else changes."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


_skip_slow_imports()  # also when the fork server imports this module before nbformat (WORKER_PRELOAD)


class _Blocks(HTMLParser):
    """The ``<style>`` and ``<script>`` blocks of a page (their text), its JSON data blocks
    (``<script type="application/json">``, never run), its elements carrying a ``style=`` or
    ``on*=`` attribute, and the network addresses its elements would fetch."""

    FETCH_ATTRS = {"src", "href", "data", "srcset", "poster", "action", "formaction", "background", "codebase"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.style: list[str] = []
        self.script: list[str] = []
        self.data: list[str] = []
        self.attrs: list[str] = []
        self.fetches: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.attrs.append(f"<{tag} {name}=...>")
            v = (value or "").strip().lower()
            if (name in self.FETCH_ATTRS and not (tag == "a" and name == "href")  # a link fetches nothing
                    and (v.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:")) or "://" in v)):
                self.fetches.append(f"<{tag} {name}={v[:60]}>")
        if tag in ("style", "script"):
            self._open = []
            self._into = (self.style if tag == "style" else self.data
                          if (dict(attrs).get("type") or "").strip().lower() == "application/json" else self.script)
            self._into.append("")

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._open is not None:
            self._into[-1] = "".join(self._open)
            self._open = None


def page_blocks(html: str) -> _Blocks:
    """Parse ``html`` for its style and script blocks (see :class:`_Blocks`)."""
    p = _Blocks()
    p.feed(html)
    p.close()
    return p


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly this ``<style>``/``<script>`` text.

    >>> csp_hash("a{}")
    "'sha256-X1RutGBrXCt9KkSaXMK7tHftWiRscFHOhxsS8tv8hBk='"
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass(frozen=True)
class TemplateBlocks:
    """The style and script blocks a page template writes itself, as CSP hashes."""

    style: frozenset[str]
    script: frozenset[str]

    def csp(self) -> str:
        """The page's Content-Security-Policy: nothing from the network; images only as
        ``data:`` URIs; styles and scripts only the template's own, by hash."""
        parts = list(R.REPORT_CSP)
        if self.style:
            parts.append("style-src " + " ".join(sorted(self.style)))
        if self.script:
            parts.append("script-src " + " ".join(sorted(self.script)))
        return "; ".join(parts)

    def check(self, html: str, *, page: str = "page") -> None:
        """Raise ``RuntimeError`` when ``html`` holds a style or script block the template did not
        write, a ``style=``/``on*=`` attribute (the CSP would block it, so it must not be there), or
        an element that would fetch from the network. Text that merely reads like CSS or a URL is text."""
        b = page_blocks(html)
        alien = ([f"<style> {s[:60]!r}" for s in b.style if csp_hash(s) not in self.style]
                 + [f"<script> {s[:60]!r}" for s in b.script if csp_hash(s) not in self.script]
                 + [f"<script type=application/json> {s[:60]!r}" for s in b.data if "<" in s] + b.attrs)
        if alien:
            raise RuntimeError(f"{page}: markup the page template did not write: {alien[:3]}")
        if b.fetches:  # the template never writes these; refuse rather than ship a page that phones home
            raise RuntimeError(f"{page}: the page would fetch from the network: {b.fetches[:3]}")


def _exporter(with_code: bool):
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {"remove-cell", "remove_cell"}
    c.TagRemovePreprocessor.remove_input_tags = {"remove-input", "remove_input", "hide-input"}
    c.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output", "hide-output"}
    return HTMLExporter(
        config=c,
        template_name="lab",
        template_file="report.html.j2",
        extra_template_paths=[str(TEMPLATES_DIR)],
        exclude_input=not with_code,
        exclude_input_prompt=not with_code,
        exclude_output_prompt=True,
        embed_images=True,
        sanitize_html=False,
        require_js_url="",
        mathjax_url="",
    )


@functools.lru_cache(maxsize=None)
def report_blocks() -> TemplateBlocks:
    """The blocks the report page template writes: read from the template rendered around an
    empty notebook (code shown and hidden), once per process."""
    import nbformat

    _skip_slow_imports()
    style: set[str] = set()
    script: set[str] = set()
    for with_code in (False, True):
        page, _ = _exporter(with_code).from_notebook_node(
            nbformat.v4.new_notebook(), resources={"newsdesk": {}, "with_code": with_code})
        b = page_blocks(page)
        style.update(csp_hash(s) for s in b.style)
        script.update(csp_hash(s) for s in b.script)
    return TemplateBlocks(frozenset(style), frozenset(script))


@functools.lru_cache(maxsize=None)
def index_blocks() -> TemplateBlocks:
    """The blocks the index pages write: their one stylesheet, ``_layout.css``, included verbatim."""
    return TemplateBlocks(frozenset({csp_hash(_jinja_env().get_template("_layout.css").render())}), frozenset())


class _StyleFilter:
    """Before bleach, on the parsed tree: takes every ``<style>`` element out of the token stream
    with its text. One that is, character for character, a block of the page template (its hash
    is in ``keep``) leaves a placeholder in its place (``kept`` holds its text); any other is gone."""

    def __init__(self, source, keep: frozenset[str], token: str):
        self.source = source
        self.keep = keep
        self.token = token
        self.kept: list[str] = []

    def __iter__(self):
        held: list[dict] | None = None
        for tok in self.source:
            kind, name = tok.get("type"), tok.get("name")
            if held is None:
                if kind == "StartTag" and name == "style":
                    held = []
                elif not (kind == "EmptyTag" and name == "style"):
                    yield tok
                continue
            if kind == "EndTag" and name == "style":
                if all(t.get("type") in ("Characters", "SpaceCharacters") for t in held):
                    text = "".join(t["data"] for t in held)
                    if csp_hash(text) in self.keep:
                        self.kept.append(text)
                        yield {"type": "Characters", "data": f"{self.token}{len(self.kept) - 1}x"}
                held = None
                continue
            held.append(tok)


def _output_attr(tag: str, name: str, value: str) -> bool:
    if tag == "style":
        return False
    if name in ("class", "title", "colspan", "rowspan", "align", "valign", "id", "scope", "border",
                "width", "height", "alt"):
        return True
    if tag == "a" and name == "href":
        v = value.strip().lower()
        return v.startswith(("http://", "https://", "mailto:", "#"))
    return False


def sanitize_html(html: str, *, keep_styles: Iterable[str] | None = None) -> str:
    """Sanitize HTML produced by a cell output: tables, text formatting and links stay; any other
    markup (scripts, images, frames, forms, SVG) is escaped and shown as text; event handlers,
    ``style=`` attributes and ``javascript:`` links are removed.

    A ``<style>`` block is kept only when it is, character for character, one the page template
    writes itself (``keep_styles``: CSP hashes; by default those of :func:`report_blocks` and
    :func:`index_blocks`), and then without attributes; every other one is dropped with its text.
    No CSS is ever read to decide whether it is safe.

    >>> sanitize_html('<b>ok</b><img src=x onerror=alert(1)><script>alert(1)</script>')
    '<b>ok</b>&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> sanitize_html('<style onload=document.title="PWNED">a{}</style><p style="color:red">x</p>')
    '<p>x</p>'
    """
    import bleach
    from bleach.sanitizer import BleachSanitizerFilter

    keep = (frozenset(keep_styles) if keep_styles is not None
            else report_blocks().style | index_blocks().style)
    if not html:
        return ""
    cleaner = bleach.Cleaner(tags=[*R.REPORT_ALLOWED_TAGS, "style"], attributes=_output_attr,
                             protocols=["http", "https", "mailto", "data"], strip=False, strip_comments=True)
    styles = _StyleFilter(cleaner.walker(cleaner.parser.parseFragment(html)), keep, f"ndstyle{secrets.token_hex(8)}x")
    clean = cleaner.serializer.render(BleachSanitizerFilter(
        source=styles, allowed_tags=cleaner.tags, attributes=cleaner.attributes, strip_disallowed_tags=False,
        strip_html_comments=True, css_sanitizer=None, allowed_protocols=cleaner.protocols))
    for i, text in enumerate(styles.kept):  # the template's own CSS, as the template writes it
        clean = clean.replace(f"{styles.token}{i}x", f"<style>{text}</style>", 1)
    return clean


def _basic_colours(text: str) -> str:
    r"""Keep the 16 basic ANSI colours of a traceback or stream (rendered as classes) and drop
    256-colour and true-colour ones, which nbconvert renders as ``style=`` attributes the page's
    CSP would refuse.

    >>> _basic_colours("\x1b[38;5;9mred\x1b[0m \x1b[1;38;2;1;2;3mbold\x1b[m")
    '\x1b[91mred\x1b[0m \x1b[1mbold\x1b[m'
    """
    def basic(m: re.Match) -> str:
        params = m.group(1).split(";") if m.group(1) else []
        out, i = [], 0
        while i < len(params):
            p = params[i]
            if p in ("38", "48") and i + 1 < len(params) and params[i + 1] in ("5", "2"):
                if params[i + 1] == "5":
                    n = int(params[i + 2] or 0) if i + 2 < len(params) and params[i + 2].isdigit() else 99
                    if n < 16:
                        base = (30 if p == "38" else 40) if n < 8 else (90 if p == "38" else 100)
                        out.append(str(base + n % 8))
                    i += 3
                else:
                    i += 5
                continue
            out.append(p)
            i += 1
        if not params:
            return m.group(0)
        return f"\x1b[{';'.join(out)}m" if out else ""

    return R.REPORT_ANSI_SGR_RE.sub(basic, text)


def _papermill_error_note(source: str) -> str:
    """Papermill's notes around the cell that failed, in the report's own markup: papermill writes
    them with ``style=`` attributes, which the page's CSP refuses (the look is ``.nd-error-note``).

    >>> _papermill_error_note('<span id="papermill-error-cell" style="color:red">Execution ... stopped:</span>')
    '<div id="papermill-error-cell" class="nd-error-note">The run stopped with an error in this cell:</div>'
    """
    if 'id="papermill-error-cell"' in source:
        return '<div id="papermill-error-cell" class="nd-error-note">The run stopped with an error in this cell:</div>'
    m = re.search(r"In \[(\d+)\]", source)
    where = f"cell [{m.group(1)}]" if m else "a cell"
    return f'<div class="nd-error-note">The run stopped with an error in <a href="#papermill-error-cell">{where}</a>.</div>'


def _prepare(nb, *, with_code: bool):
    """Make a copy of an executed notebook safe and tidy to render."""
    import copy

    from nbconvert.filters.markdown import markdown2html

    from . import explore

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags") or [])
        if cell.cell_type == "markdown" and R.REPORT_PAPERMILL_ERROR_TAG in tags:
            cell.source = _papermill_error_note(cell.source)
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr" and not with_code:
                continue  # warnings and log lines stay in the executed notebook and the log
            if out.get("output_type") == "error":
                out["traceback"] = [_basic_colours(t) for t in out.get("traceback", [])]
            if out.get("output_type") == "stream":
                t = out.get("text", "")
                out["text"] = _basic_colours("".join(t) if isinstance(t, list) else t)
            data = out.get("data")
            if data is not None:
                for key in list(data):
                    if key in R.REPORT_DROPPED_MIMETYPES or key.startswith("application/vnd.jupyter.widget"):
                        del data[key]
                if "text/markdown" in data:
                    md = data.pop("text/markdown")
                    data.setdefault("text/html", markdown2html("".join(md) if isinstance(md, list) else md))
                if isinstance(data.get("text/plain"), (str, list)):
                    t = data["text/plain"]
                    data["text/plain"] = _basic_colours("".join(t) if isinstance(t, list) else t)
                if "text/html" in data:
                    h = data["text/html"]
                    data["text/html"] = sanitize_html("".join(h) if isinstance(h, list) else h)
                explore.render_output(data)  # interactive tables and chart links, built after sanitizing
                if "image/svg+xml" in data and "image/png" in data:
                    del data["image/svg+xml"]
                if not data:
                    continue
            outputs.append(out)
        cell["outputs"] = outputs
        if tags & {"hide-output", "remove-output"}:
            cell["outputs"] = []
    return nb


def render_html(nb, *, with_code: bool = False, title: str | None = None,
                nav: Mapping[str, str] | None = None) -> str:
    """Render an executed notebook (``nbformat.NotebookNode``) as one self-contained HTML page.

    Code cells are hidden unless ``with_code``; images are embedded; the page loads nothing from
    the network (no require.js, MathJax or widget scripts); outputs are sanitized (:func:`sanitize_html`).
    ``nav`` may hold ``index`` (link back) and ``footer`` text.
    """
    _skip_slow_imports()
    exporter = _exporter(with_code)
    nb = _prepare(nb, with_code=with_code)
    if title:
        nb.metadata["title"] = title
    blocks = report_blocks()
    body, _ = exporter.from_notebook_node(nb, resources={"newsdesk": dict(nav or {}), "with_code": with_code,
                                                         "newsdesk_csp": blocks.csp()})
    blocks.check(body, page=title or "report")
    return body


def first_png(nb) -> bytes | None:
    """The first ``image/png`` output of a notebook, decoded."""
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data") or {}
            if "image/png" in data:
                b64 = data["image/png"]
                return base64.b64decode("".join(b64) if isinstance(b64, list) else b64)
    return None


def thumbnail(png: bytes, *, width: int = R.REPORT_THUMB_WIDTH) -> bytes:
    """A small PNG of a chart, ``width`` pixels wide."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        im = im.convert("RGBA") if im.mode not in ("RGB", "RGBA") else im
        if im.width > width:
            im = im.resize((width, max(1, round(im.height * width / im.width))), Image.LANCZOS)
        buf = io.BytesIO()
        im.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


# =========================================================================== index pages
@dataclass
class Result:
    """The outcome of one notebook run."""

    name: str
    title: str
    summary: str
    status: str  # "ok" | "failed"
    error: str | None
    seconds: float
    html: str | None
    ipynb: str
    thumb: str | None
    params: dict[str, Any]


@dataclass
class ReportSet:
    """One report set: a folder with its notebooks, index and the parameters it was built with."""

    label: str
    folder: str
    point: dict[str, Any]
    results: list[Result] = field(default_factory=list)
    selected: dict[str, Any] | None = None

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status != "ok"]


def corpus_facts(articles, corpus: str | os.PathLike) -> dict[str, Any]:
    """What the index says about the corpus: path, articles, date span, rejects."""
    dates = articles["date"].dropna()
    rej = articles.attrs.get("rejects", [])
    return {
        "path": os.path.abspath(os.fspath(corpus)),
        "articles": int(len(articles)),
        "files": int(articles.attrs.get("n_files", 0)),
        "date_min": _day(dates.min()) if len(dates) else None,
        "date_max": _day(dates.max()) if len(dates) else None,
        "rejects": len(rej),
        "sections": int(articles["section"].nunique(dropna=True)),
    }


def glance_facts(articles, *, n: int = 6) -> dict[str, list[dict[str, Any]]]:
    """The index's front page, "what is in here": the names mentioned in the most articles, the
    most-quoted speakers and the biggest weekly spikes (:func:`newsdesk.overview.glance`), as
    short lists of plain values (the template escapes them), and ``mentioned_sample``: the size of
    the random sample the names were counted in, when the archive is larger (None otherwise), so
    the page says so. Empty lists when a part cannot be computed: the front page never stops a report.

    >>> glance_facts(load_corpus("data/sample"))["mentioned"][0]          # doctest: +SKIP
    {'name': 'Port Arden', 'articles': 175, 'share': 58.3}
    """
    from . import overview

    try:
        g = overview.glance(articles, n=n)
    except (ValueError, KeyError) as exc:       # an archive too odd for a front page still gets its reports
        log.warning("the index's front page was left out: %s", exc)
        return no_front_page()
    m, q, sp = g["mentioned"], g["quoted"], g["spikes"]
    count = next((c for c in m.columns if c.startswith("articles")), None)
    from .corpus import is_original

    read = int(m.attrs.get("articles_read", 0))
    sample = read if 0 < read < int(is_original(articles).sum()) else None
    return {
        "mentioned_sample": sample,           # the names were counted in a random sample of this many
        "mentioned": [{"name": str(r["name"]), "articles": int(r[count]), "share": float(r["% of articles"])}
                      for _, r in m.iterrows()] if count else [],
        "quoted": [{"name": str(r["speaker"]), "quotes": int(r["quotes"]), "articles": int(r["articles"])}
                   for _, r in q.iterrows()],
        "spikes": [{"subject": str(r["subject"]), "week": str(r["week starting"]),
                    "articles": int(r["articles mentioning it"]), "share": float(r["% of the week's articles"])}
                   for _, r in sp.iterrows()],
    }


def no_front_page() -> dict[str, Any]:
    """The front page of :func:`glance_facts` with nothing on it (the index then leaves it out).

    >>> no_front_page()["mentioned"]
    []
    """
    return {"mentioned_sample": None, "mentioned": [], "quoted": [], "spikes": []}


def selected_articles(articles, inject: Mapping[str, Mapping[str, Any]], notebooks: Sequence[Notebook]
                      ) -> dict[str, Any] | None:
    """Articles within the date, section and ``where`` filters the reports use, when any filter is
    set (the values of the first notebook declaring each filter); None otherwise."""
    from .corpus import filter_articles

    eff: dict[str, Any] = {}
    for nb in notebooks:
        for name in ("date_from", "date_to", "sections", "where"):
            if name in nb.params and name not in eff:
                eff[name] = inject.get(nb.name, {}).get(name, nb.params[name].default)
    eff = {k: v for k, v in eff.items() if v}
    if not eff:
        return None
    try:
        sub = filter_articles(articles, **eff)
    except Exception:  # the notebooks will report it
        return None
    dates = sub["date"].dropna()
    return {"articles": int(len(sub)), "filters": eff,
            "date_min": _day(dates.min()) if len(dates) else None,
            "date_max": _day(dates.max()) if len(dates) else None}


def _day(ts) -> str:
    return f"{ts.day} {ts:%b %Y}"


def _display_value(v: Any) -> str:
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)


def _jinja_env():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["value"] = _display_value
    return env


def render_index(rset: ReportSet, *, facts: Mapping[str, Any], notebooks: Sequence[Notebook],
                 user_params: Mapping[str, Any], built: dt.datetime, seconds: float,
                 up: str | None = None, with_code: bool = False, folder: str | os.PathLike | None = None) -> str:
    """The index page of one report set (Jinja2, autoescaped; the CSP of :func:`index_blocks`).

    ``folder`` is where the set's files are: each report's thumbnail is read from it and embedded
    as a ``data:`` URI (the page's CSP allows images from nowhere else).
    """
    rows = []
    for nb in notebooks:
        for name, p in nb.params.items():
            if name == "corpus":
                continue
            r = next((r for r in rset.results if r.name == nb.name), None)
            value = r.params.get(name, p.default) if r else p.default
            rows.append({"notebook": nb.name, "name": name, "value": value, "help": p.help,
                         "set": name in user_params or name in rset.point})
    shown = {}
    for name, value in {**user_params, **rset.point}.items():
        shown[name] = next((r.params[name] for r in rset.results if name in r.params), value)
    thumbs = {}
    for r in rset.results:
        png = Path(folder, r.thumb) if folder is not None and r.thumb else None
        if png is not None and png.is_file():
            thumbs[r.name] = "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii")
    blocks = index_blocks()
    glance_links = {r.name[:2]: r.html for r in rset.results if r.html and r.status == "ok"}
    html = _jinja_env().get_template("index.html.j2").render(
        rset=rset, facts=facts, params_user=shown, params_all=rows, thumbs=thumbs, csp=blocks.csp(),
        glance_links=glance_links,
        built=built.strftime("%Y-%m-%d %H:%M UTC"), seconds=round(seconds), version=__version__,
        up=up, with_code=with_code,
    )
    blocks.check(html, page="index.html")
    return html


def render_grid_index(sets: Sequence[ReportSet], *, facts: Mapping[str, Any], user_params: Mapping[str, Any],
                      built: dt.datetime, seconds: float) -> str:
    """The top index of a parameter grid, linking one report set per grid point."""
    blocks = index_blocks()
    html = _jinja_env().get_template("grid.html.j2").render(
        sets=sets, facts=facts, params_user=user_params, axes=list(sets[0].point) if sets else [],
        built=built.strftime("%Y-%m-%d %H:%M UTC"), seconds=round(seconds), version=__version__,
        csp=blocks.csp(),
    )
    blocks.check(html, page="index.html")
    return html


