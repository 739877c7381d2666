"""Fixtures shared by the tone tests (test_vader, test_sentiment, test_tone): the sample corpus and
a small written corpus."""
from __future__ import annotations

from pathlib import Path

import newsdesk as nd
import pytest


@pytest.fixture(scope="session")
def sample_corpus(sample_dir, tmp_path_factory) -> Path:
    """The bundled sample when it is there, otherwise the same sample written to a temp folder."""
    if sample_dir.is_dir() and any(sample_dir.glob("*.txt")):
        return sample_dir
    from tools.make_sample import write_sample

    out = tmp_path_factory.mktemp("sample")
    write_sample(out)
    return out


@pytest.fixture(scope="session")
def sample_articles(sample_corpus):
    return nd.load_corpus(sample_corpus, cache=False)


def _write_corpus(tmp_path: Path, articles: list[tuple[str, str, str, str]]) -> Path:
    """Seed-format files: (title, section, date, body) each."""
    for i, (title, section, date, body) in enumerate(articles):
        (tmp_path / f"{i:03d}.txt").write_text(
            f"## Title: {title}\n## Supertitle: \n## Section: {section}\n## Date: {date}\n\n{body}",
            encoding="utf-8")
    return tmp_path


# --------------------------------------------------------------------------- the annotator
SEED_LIKE = (
    "Trump hails a great victory\n"
    "Mr. Smith praised the wonderful plan. Critics called it a disaster.\n"
    "The committee met on Tuesday.\n"
    "- AFP\n"
)


@pytest.fixture
def small_corpus(tmp_path):
    return _write_corpus(tmp_path, [
        ("Trump hails a great victory", "World", "Friday, May 12, 2017 - 01:00", SEED_LIKE),
        ("Floods kill dozens", "World", "2017-06-02", "Floods killed dozens of people. Rescuers were exhausted.\n"),
        ("Budget passes", "Politics", "2017-08-20",
         "The budget passed. Lawmakers were happy with the excellent result. Russia welcomed it.\n"
         "Iran said the deal was a terrible mistake. Iranian officials agreed.\n- Reuters\n"),
        ("No text", "Politics", "2017-08-21", "No text\n"),
    ])
