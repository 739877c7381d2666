"""Any archive, not just the sample: ``newsdesk report`` with no parameters succeeds on archives
the sample never resembles, charts their own subjects, and shows none of the sample's story lines
or events (issue 14)."""
from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_WORDS = ["flood", "trade talks", "vaccine", "Port Arden", "Marrow Bay"]
SAMPLE_EVENTS = [row["label"] for row in csv.DictReader(open(ROOT / "data" / "events.csv", encoding="utf-8"))]

_PLAYERS = [("Lena Park", "Park"), ("Tom Reyes", "Reyes"), ("Ada Okafor", "Okafor")]


def sport_archive(folder: Path) -> Path:
    """Twelve match reports over one week, no sections: a subject and a shape the sample never has."""
    folder.mkdir(parents=True)
    for i in range(12):
        full, short = _PLAYERS[i % 3]
        day = 6 + i % 7
        title = f"{short} scores as Rovers beat City"
        body = (f"{title}\n{full} scored twice as the Rovers beat City 3-1 at Kingsmead on Saturday.\n"
                f"\"We kept the ball and we kept believing,\" {short} said after the match.\n"
                f"City coach Ivo Marsh said his side had been \"second best all afternoon\".\n"
                f"The Rovers face United at Kingsmead next week.\n- Sports Desk")
        (folder / f"match_{i:02d}.txt").write_text(
            f"## Title: {title}\n## Supertitle:\n## Section:\n## Date: Monday, March {day}, 2023 - 1{i % 10}:00\n\n{body}\n",
            encoding="utf-8")
    return folder


def _report(corpus: Path, out: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSDESK_CACHE": str(cache)}
    return subprocess.run([sys.executable, "-m", "newsdesk.cli", "report", str(corpus), "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def _page_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"data:image/[^\"')\s]+", " ", html)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _archives(tmp_path: Path, shared: Path | None):
    yield "sport week", sport_archive(tmp_path / "sport")
    if shared is not None and (shared / "seed").is_dir():
        yield "seed article", shared / "seed"
    if shared is not None and (shared / "corpora" / "polnear-dev" / "articles").is_dir():
        yield "polnear-dev", shared / "corpora" / "polnear-dev" / "articles"


@pytest.mark.slow
def test_default_report_on_archives_that_are_not_the_sample(tmp_path):
    shared = ROOT.parent / "shared"
    ran = 0
    for name, corpus in _archives(tmp_path, shared if shared.is_dir() else None):
        out = tmp_path / f"out-{ran}"
        r = _report(corpus, out, tmp_path / f"cache-{ran}")
        assert r.returncode == 0, f"{name}: {r.stdout[-2000:]}\n{r.stderr[-2000:]}"
        pages = sorted(out.glob("[0-9][0-9]-*.html"))
        assert len(pages) == 5, f"{name}: {[p.name for p in pages]}"
        texts = {p.name: _page_text(p) for p in pages}
        corpus_text = " ".join(p.read_text(encoding="utf-8") for p in (corpus.rglob("*.txt") if corpus.is_dir() else [corpus]))
        for page, text in texts.items():
            for word in SAMPLE_WORDS + SAMPLE_EVENTS:
                if word.lower() not in corpus_text.lower():
                    assert word.lower() not in text.lower(), f"{name}: the sample's {word!r} appears in {page}"
        timeline_page = next(t for p, t in texts.items() if p.startswith("04-"))
        chosen = re.search(r"set terms = \[([^\]]*)\]", timeline_page)
        assert chosen, f"{name}: 04 does not say which subjects it chose"
        terms = re.findall(r"'([^']+)'", chosen.group(1))
        assert terms and all(t in corpus_text for t in terms), f"{name}: chosen {terms} not in the archive"
        front = _page_text(out / "index.html")
        assert "At a glance" in front and "Most mentioned" in front, f"{name}: no front page"
        assert any(t in front for t in terms), f"{name}: the front page does not name the chosen subjects"
        ran += 1
    assert ran >= 1
