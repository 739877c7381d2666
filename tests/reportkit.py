"""Helpers for the report tests (test_params, test_render, test_publish, test_report,
test_html_safety, test_browser): small notebooks, small corpora (one of them hostile), and report
builds made once per test session.

Builds are cached under pytest's base temp folder, so the test modules share them.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
NEWSDESK = [sys.executable, "-m", "newsdesk.cli"]

#: Marker present in every hostile payload: injected markup is recognised by it.
MARK = "ndpwn"

HOSTILE = [
    f'<script>document.title="{MARK}";window.{MARK}=1</script>',
    f"<img src=x onerror=\"window.{MARK}=2;document.title='{MARK}'\">",
    f'<a href="javascript:window.{MARK}=3">click {MARK}</a>',
    f"</textarea><script>window.{MARK}=4</script>",
    f"<svg onload=window.{MARK}=5><b>{MARK}</b></svg>",
    f'"><iframe src="javascript:parent.{MARK}=6"></iframe>',
]


@contextlib.contextmanager
def private_kernel():
    """Keyword arguments for ``papermill.execute_notebook`` that start its kernel on Unix sockets in
    a folder of its own, as the report runner does (``report.ipc_kernel_manager``): test workers
    starting kernels side by side on TCP can race for a port (papermill #511)."""
    from newsdesk.report import ipc_kernel_manager

    folder = tempfile.mkdtemp(prefix="newsdesk-kernel-")
    try:
        cls = ipc_kernel_manager(folder)
        yield {"kernel_manager_class": cls} if cls else {}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def make_notebook(path: Path, markdown: str, params: str, cells: list[str], *, tags: dict[int, list[str]] | None = None) -> Path:
    """Write a report notebook: markdown cell, tagged parameters cell, then code cells (no outputs)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    pc = new_code_cell(params)
    pc.metadata["tags"] = ["parameters"]
    code = [new_code_cell(c) for c in cells]
    for i, t in (tags or {}).items():
        code[i].metadata["tags"] = t
    nb = new_notebook(cells=[new_markdown_cell(markdown), pc, *code],
                      metadata={"kernelspec": {"name": "newsdesk", "display_name": "Python (newsdesk)",
                                               "language": "python"}})
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def fixture_notebooks(folder: Path) -> Path:
    """Four small notebooks: a chart and a table, one that always fails, one echoing its parameters,
    one that displays corpus text every unsafe way a notebook could."""
    make_notebook(
        folder / "01-counts.ipynb",
        "# Articles by section\n\nHow many articles each **section** has. Takes `sections` and `top_n`.",
        'corpus: str = "../data/sample"  # corpus folder\n'
        'sections: list[str] = []  # sections to keep (all when empty)\n'
        'top_n: int = 10  # bars to show\n'
        'freq: str = "month"  # period {day, week, month}\n'
        'date_from: str | None = None  # first day, YYYY-MM-DD\n'
        'date_to: str | None = None  # last day, YYYY-MM-DD\n'
        'share: float = 0.5  # a fraction [0..1]',
        ["import matplotlib.pyplot as plt\nimport newsdesk as nd\n"
         "arts = nd.load_corpus(corpus, sections=sections or None, date_from=date_from, date_to=date_to)",
         "fig, ax = plt.subplots(figsize=(9, 4))\narts['section'].value_counts().head(top_n).plot.bar(ax=ax)\n"
         "ax.set_title('Articles by section')\nax.set_ylabel('articles')\nplt.show()",
         "arts[['title', 'section', 'date']].head(top_n)"],
    )
    make_notebook(
        folder / "02-fails.ipynb",
        "# Always fails\n\nA notebook that raises an error with markup in its message.",
        'corpus: str = "../data/sample"  # corpus folder\nlabel: str = "all"  # a label',
        [f"raise ValueError('boom <script>document.title=\"{MARK}\"</script>')"],
    )
    make_notebook(
        folder / "03-echo.ipynb",
        "# Echo\n\nPrints its parameters as JSON.",
        'label: str = "all"  # a label shown in titles\nterms: list[str] = ["a"]  # terms\ntop_n: int = 10  # rows',
        ["import json\nprint(json.dumps({'label': label, 'terms': terms, 'top_n': top_n}))"],
    )
    make_notebook(
        folder / "04-unsafe.ipynb",
        "# Text in every form\n\nShows titles as a table, as Markdown, as HTML and as a chart.",
        'corpus: str = "../data/sample"  # corpus folder\nlabel: str = "all"  # a label',
        ["import matplotlib.pyplot as plt\nimport newsdesk as nd\nfrom IPython.display import HTML, Markdown, display\n"
         "arts = nd.load_corpus(corpus)",
         "arts[['title', 'section']]",
         "display(Markdown('**' + label + '** ' + ' / '.join(arts['title'])))",
         "display(HTML('<p>' + label + '</p>' + ''.join('<p>' + t + '</p>' for t in arts['title'])))",
         "print(label, list(arts['title']))",
         "fig, ax = plt.subplots(figsize=(9, 4))\nax.bar(range(len(arts)), arts['words'])\n"
         "ax.set_xticks(range(len(arts)), [t[:20] for t in arts['title']], rotation=30)\nax.set_title(label[:40])\nplt.show()"],
    )
    return folder


def sleeper_notebook(folder: Path, seconds: int = 60) -> Path:
    return make_notebook(folder / "05-sleeps.ipynb", "# Sleeps\n\nWaits, to be interrupted.",
                         f"seconds: int = {seconds}  # how long",
                         ["import time\nprint('sleeping', flush=True)\ntime.sleep(seconds)"])


ARTICLE = """## Title: {title}
## Supertitle: {supertitle}
## Section: {section}
## Date: {date}

{title}

{body}
- AFP
"""


def make_corpus(folder: Path, hostile: bool = False) -> Path:
    """A small seed-format corpus: World and Business, May to June 2017; ``hostile`` puts markup
    and script in titles, supertitles, bodies, quotes, speakers and one section name."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        ("World", "Friday, May 12, 2017 - 01:00", "Leaders meet in Brussels",
         '"We will keep talking," said Jean Dupont, the minister.'),
        ("World", "Saturday, May 13, 2017 - 09:30", "Talks continue for a second day",
         'Officials said the talks were useful. "It is progress," said Anna Berg.'),
        ("Business", "Thursday, June 1, 2017 - 12:00", "Markets rise after the talks",
         'Shares rose 2 percent. "Investors are relieved," said Mark Stone, an analyst.'),
        ("Business", "Friday, June 2, 2017 - 08:00", "Oil prices fall",
         'Oil fell for a third day, traders said.'),
    ]
    for i, (section, date, title, body) in enumerate(rows):
        supertitle = ""
        if hostile:
            h = HOSTILE[i % len(HOSTILE)]
            title = f"{title} {h}"
            supertitle = HOSTILE[(i + 1) % len(HOSTILE)]
            body = (f'{body} "Trust us {HOSTILE[(i + 2) % len(HOSTILE)]} now," said '
                    f'Evil {HOSTILE[(i + 3) % len(HOSTILE)]} Speaker.\nMore text {HOSTILE[(i + 4) % len(HOSTILE)]} here.')
        (folder / f"{i:02d}.txt").write_text(
            ARTICLE.format(title=title, supertitle=supertitle, section=section, date=date, body=body), encoding="utf-8")
    if hostile:
        (folder / "99.txt").write_text(ARTICLE.format(
            title="A section with markup", supertitle="", section=HOSTILE[0], date="2017-06-03",
            body=f'"{HOSTILE[1]}," said {HOSTILE[2]}.'), encoding="utf-8")
    return folder


def run_cli(*args: str, timeout: float = 600, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run([*NEWSDESK, *args], capture_output=True, text=True, timeout=timeout, env=env, **kw)


def real_notebooks() -> list[Path]:
    import re

    return sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if re.match(r"^\d{2}-[\w-]+\.ipynb$", p.name))


def cached_build(base: Path, name: str, build) -> dict:
    """Run ``build(folder) -> dict`` once per test session (all modules share it); return its dict.

    Under pytest-xdist ``base`` is one worker's base temp; the build goes one level up, into the
    run's base temp, so the workers share one build (the file lock makes the others wait for it).
    """
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / f"reportkit-{name}"
    done = folder / "build.json"
    with FileLock(str(base / f"reportkit-{name}.lock")):
        if not done.exists():
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            info = build(folder)
            done.write_text(json.dumps(info), encoding="utf-8")
    return json.loads(done.read_text(encoding="utf-8"))


def build_fixture_reports(base: Path) -> dict:
    """The fixture notebooks on a small clean corpus, built by the CLI with a hostile label."""
    def build(folder: Path) -> dict:
        nbs = fixture_notebooks(folder / "notebooks")
        corpus = make_corpus(folder / "corpus")
        label = 'it\'s "quoted"\n\\ back \\n slash; __import__("pathlib").Path("PWNED").touch() #'
        proc = run_cli("report", str(corpus), "--out", str(folder / "out"), "--notebooks-dir", str(nbs),
                       "-p", "label", label, "-p", "top_n", "3", "-p", "terms", '["x\\"y", "a\'b", "<b>c</b>"]')
        return {"out": str(folder / "out"), "notebooks": str(nbs), "corpus": str(corpus), "label": label,
                "rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}
    return cached_build(base, "fixture", build)


def build_hostile_reports(base: Path) -> dict:
    """The real notebooks (when present) and the unsafe fixture notebook, on a hostile corpus
    whose folder name is hostile too."""
    def build(folder: Path) -> dict:
        nbs = folder / "notebooks"
        nbs.mkdir()
        for p in real_notebooks():
            shutil.copy(p, nbs / p.name)
        fixture = fixture_notebooks(folder / "fixture-notebooks")
        shutil.copy(fixture / "04-unsafe.ipynb", nbs / "90-unsafe.ipynb")
        corpus = make_corpus(folder / f"corpus-<img src=x onerror=window.{MARK}=9>", hostile=True)
        proc = run_cli("report", str(corpus), "--out", str(folder / "out"), "--notebooks-dir", str(nbs),
                       "-p", "label", HOSTILE[0] + HOSTILE[1])
        return {"out": str(folder / "out"), "rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr,
                "notebooks": sorted(p.stem for p in nbs.glob("*.ipynb"))}
    return cached_build(base, "hostile", build)


EXPLORER_SPEAKERS = {"Ada Lovelace": 14, "Grace Hopper": 9, "Alan Turing": 5}
"""The explorer corpus's speakers and their quotes (one quote per article paragraph)."""


def make_explorer_corpus(folder: Path) -> Path:
    """Articles quoting three people a known number of times over four months, each quote in a
    sentence that names only its own speaker; one title and one quote hold hostile markup."""
    folder.mkdir(parents=True, exist_ok=True)
    i = 0
    for speaker, n in EXPLORER_SPEAKERS.items():
        surname = speaker.split()[1]
        for k in range(n):
            month, day = 5 + k % 4, 1 + (3 * k + len(surname)) % 27
            quote = f"Point {k} of {surname.lower()}s list is that engines matter"
            if speaker == "Grace Hopper" and k == 0:
                quote = f"Trust the {HOSTILE[4]} compiler"
            title = f"Report {i} on machines" + (f" {HOSTILE[0]}" if i == 3 else "")
            body = (f"The meeting opened late. \u201c{quote},\u201d said {speaker}, speaking at the hall. "
                    f"Then it rained.")
            (folder / f"{i:02d}.txt").write_text(ARTICLE.format(
                title=title, supertitle="", section=("Science", "Tech")[k % 2],
                date=f"2017-{month:02d}-{day:02d}", body=body), encoding="utf-8")
            i += 1
    return folder


def build_explorer_reports(base: Path) -> dict:
    """``03-quotes`` on the explorer corpus (the quote explorer and the tables above it)."""
    def build(folder: Path) -> dict:
        corpus = make_explorer_corpus(folder / "corpus")
        proc = run_cli("report", str(corpus), "--out", str(folder / "out"), "--notebooks", "03")
        return {"out": str(folder / "out"), "rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}
    return cached_build(base, "explorer", build)


class InjectionScanner(HTMLParser):
    """Collects markup that would execute: script elements, event-handler attributes,
    ``javascript:`` URLs, frames/objects, and any element or attribute carrying the marker."""

    EXEC_TAGS = {"script", "iframe", "object", "embed", "textarea", "svg", "form", "base", "meta", "link"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False
        self._data_block = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            v = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "data") and v.startswith(("javascript:", "vbscript:")):
                self.problems.append(f"<{tag} {name}={v[:40]}>")
            if MARK in v:
                self.problems.append(f"<{tag} {name}={v[:60]}> carries the marker")
        if tag == "script":
            self._in_script = True
            # a JSON data block (an interactive table's rows) never runs: it may hold the marker as
            # text, but never a "<" (explore.json_block escapes it), so it cannot end early
            self._data_block = (dict(attrs).get("type") or "").strip().lower() == "application/json"
        if tag in self.EXEC_TAGS and tag not in ("meta", "link"):
            if tag != "script":
                self.problems.append(f"<{tag}> element")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and self._data_block:
            if "<" in data:
                self.problems.append(f"a JSON data block with markup: {data[:80]}")
        elif self._in_script and MARK in data:
            self.problems.append(f"script with the marker: {data[:80]}")


def scan_html(text: str) -> list[str]:
    s = InjectionScanner()
    s.feed(text)
    s.close()
    return s.problems


# --------------------------------------------------------------------------- payloads in every field
def payloads(log: str) -> list[str]:
    """Markup, CSS, CSS escapes, TeX and mutation-XSS forms. Each one that ran would set
    ``window.ndpwn`` or the title to :data:`MARK`; each one that fetched would hit ``log``
    (a local HTTP logger, ``http://127.0.0.1:PORT``); each one that hid the page would blank it."""
    return [
        f'<script>document.title="{MARK}";window.{MARK}=1</script>',
        f"<style onload=window.{MARK}=2>a{{}}</style>",
        f'<style onload="document.title=\'{MARK}\'">a{{}}</style>',
        f"<img src=x onerror=window.{MARK}=3>",
        f"<svg onload=window.{MARK}=4><circle r=9></svg>",
        f'<a href="javascript:window.{MARK}=5">click</a>',
        f"<style>html{{background:\\75 rl({log}/css-escape.png)}}</style>",
        f"<style>body{{background-image:u\\rl({log}/css-backslash.png)}}</style>",
        f'<style>@\\69mport "{log}/css-import.css";</style>',
        f"<style>@import url({log}/import2.css);</style>",
        "<style>.jp-Notebook,main,body,table,img{display:none!important}</style>",
        '<p style="display:none">hidden</p><div style="position:fixed;inset:0;background:#fff;z-index:99">cover</div>',
        f'<p style="background:url({log}/style-attr.png)">styled</p>',
        "Money $\\bad$ talk",
        "$\\sqrt{x$ and $5 and $6",
        f'<noscript><p title="</noscript><img src=x onerror=window.{MARK}=6>">',
        f"<math><mtext><table><mglyph><style><img src=x onerror=window.{MARK}=7>",
        f'<svg></p><style><a id="</style><img src=1 onerror=window.{MARK}=8>">',
        f"</textarea><script>window.{MARK}=9</script>",
        f'<iframe srcdoc="<script>parent.{MARK}=10</script>"></iframe>',
        f'<meta http-equiv="refresh" content="0;url={log}/refresh">',
        f'<base href="{log}/base/">',
        f"<link rel=stylesheet href={log}/link.css>",
        f"<img src={log}/img.png>",
        f"<object data={log}/object></object><embed src={log}/embed>",
        f'<form action="{log}/form"><button formaction="javascript:window.{MARK}=11">go</button></form>',
        f"<details open ontoggle=window.{MARK}=12>x</details>",
        f'<a href="&#106;avascript:window.{MARK}=13">entity</a>',
        f"<!--><img src=x onerror=window.{MARK}=14>-->",
        f"<template><img src=x onerror=window.{MARK}=15></template>",
    ]


def payload_corpus(folder: Path, log: str, *, n: int = 24) -> tuple[Path, list[str], list[str]]:
    """``n`` articles in two sections whose names are payloads; every field carries payloads: title,
    supertitle, section, publisher, body, quoted speech, speaker and the wire line. Returns the
    folder, the two section names and the publishers."""
    ps = payloads(log)
    sections = [f"World {ps[1]}", f"Money $\\bad$ talk {ps[6]}"]
    folder.mkdir(parents=True, exist_ok=True)
    publishers: list[str] = []
    for i in range(n):
        p = [ps[(i + k) % len(ps)] for k in range(8)]
        publisher = p[(i + 3) % 8]
        publishers += [publisher] if publisher not in publishers else []
        day = 1 + (i * 2) % 28
        month = 5 + i // 14
        body = (f'The flood reached the town {p[0]} on Monday. "We will rebuild {p[1]} the bridge," said '
                f"Anna {p[2]} Berg, the mayor. Officials said the trade talks {p[3]} continue.\n"
                f'"It is a disaster {p[4]}," Jean Dupont said. Flood water rose again.\n- AFP {p[5]}')
        (folder / f"{i:02d}.txt").write_text(
            f"## Title: Flood {p[6]} warning {i}\n## Supertitle: {p[7]}\n## Section: {sections[i % 2]}\n"
            f"## Date: 2017-{month:02d}-{day:02d}T10:00\n## Publisher: {publisher}\n\nFlood warning {i}\n\n"
            f"{body}\n", encoding="utf-8")
    return folder, sections, publishers


def payload_params(log: str, sections: list[str], publishers: list[str]) -> list[str]:
    """``-p`` options putting payloads in every string parameter of the report notebooks (and in
    ``where``, the values of a header column)."""
    ps = payloads(log)
    return ["-p", "terms", json.dumps(["flood", f"trade {ps[1]}", "$\\sqrt{x$"]),
            "-p", "where", json.dumps({"publisher": publishers}),
            "-p", "term", f"flood|{ps[2]}",
            "-p", "sections", json.dumps(sections),
            "-p", "speakers", json.dumps([ps[0], "Berg"]),
            "-p", "events", json.dumps([f"2017-05-10 {ps[3]}", "2017-05-20 $5 and $6", f"2017-06-01 {ps[6]}"]),
            "-p", "compare_by", "publisher"]


def build_payload_reports(base: Path, log: str) -> dict:
    """The project's notebooks on :func:`payload_corpus` with :func:`payload_params`, by the CLI."""
    folder = base / "payload-report"
    if folder.exists():
        shutil.rmtree(folder)
    corpus, sections, publishers = payload_corpus(folder / f"corpus-<img src=x onerror=window.{MARK}=16>", log)
    proc = run_cli("report", str(corpus), "--out", str(folder / "out"), *payload_params(log, sections, publishers))
    return {"out": str(folder / "out"), "rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr,
            "notebooks": [p.stem for p in real_notebooks()]}


def csp_of(text: str) -> str | None:
    """The Content-Security-Policy a page declares in a ``<meta http-equiv>`` (None without one)."""

    class Meta(HTMLParser):
        csp: str | None = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy" and self.csp is None:
                self.csp = a.get("content")

    p = Meta()
    p.feed(text)
    return p.csp


def foreign_scripts(text: str) -> list[str]:
    """The script blocks of a report page that its template did not write: every ``<script>``
    must be the template's own (its hash is in ``report_blocks().script``, and so in the CSP), and
    every JSON data block free of ``<``."""
    from newsdesk import render as rp

    b = rp.page_blocks(text)
    own = rp.report_blocks().script
    return ([s[:60] for s in b.script if rp.csp_hash(s) not in own]
            + [d[:60] for d in b.data if "<" in d])
