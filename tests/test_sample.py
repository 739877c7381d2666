"""The sample generator (tools/make_sample.py): deterministic, committed output up to date, and rich enough to test with."""
from __future__ import annotations

import csv
import doctest
import json
import re
import statistics
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import newsdesk as nd
from newsdesk import charts
from newsdesk.text import contains_term
from tools import make_sample as sample


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "sample"
    sample.write_sample(out)
    return out


@pytest.fixture(scope="module")
def loaded(generated):
    return nd.load_corpus(generated, cache=False)


@pytest.fixture(scope="module")
def truth(generated) -> list[dict]:
    with open(generated / "truth" / "quotes.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="module")
def truth_articles(generated) -> dict[str, dict]:
    with open(generated / "truth" / "articles.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return {r["path"]: r for r in rows}


def test_deterministic(generated, tmp_path):
    again = tmp_path / "again"
    sample.main([str(again)])
    a, b = _files(generated), _files(again)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_generator_is_outside_the_package():
    """The generator is a build tool, not library code: ``newsdesk`` neither ships nor exports it."""
    assert "sample" not in nd.__all__
    with pytest.raises(ImportError):
        __import__("newsdesk.sample")
    assert sample.PHRASES_FILE.is_file() and sample.PHRASES_FILE.parent.name == "tools"


def test_docstring_examples_run():
    res = doctest.testmod(sample, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert res.attempted > 0 and res.failed == 0


def test_committed_sample_is_current(generated, sample_dir):
    """data/sample is exactly what the generator writes: regenerate with `make sample` after a change."""
    committed = _files(sample_dir)
    fresh = _files(generated)
    assert sorted(committed) == sorted(fresh)
    stale = [k for k in fresh if committed[k] != fresh[k]]
    assert stale == [], f"{len(stale)} stale file(s) in data/sample, e.g. {stale[:3]}; run `make sample`"


def test_rewrite_removes_stale_articles_only(tmp_path):
    out = tmp_path / "s"
    out.mkdir()
    (out / "999_0123456789abcdef.txt").write_text("old generated file")
    (out / "mine.txt").write_text("a user's file")
    sample.write_sample(out)
    assert not (out / "999_0123456789abcdef.txt").exists()
    assert (out / "mine.txt").read_text() == "a user's file"


def test_loads_cleanly(loaded):
    assert len(nd.rejects(loaded)) == 0
    assert 280 <= len(loaded) <= 320
    assert loaded["warnings"].isna().all()
    assert loaded["duplicate_of"].isna().all()
    names = loaded["path"].tolist()
    assert all(re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", n) for n in names)


def test_shape_of_the_corpus(loaded):
    months = loaded["date"].dt.to_period("M")
    assert months.nunique() >= 12
    assert loaded["section"].nunique() >= 4
    agencies = set(loaded["agency"].dropna())
    assert {"AFP", "Reuters", "AP", "AFP/Reuters"} <= agencies
    assert loaded["agency"].isna().sum() >= 20          # some articles have no wire line
    assert 0 < loaded["supertitle"].isna().sum() < len(loaded)
    assert loaded["words"].min() >= 150
    assert loaded["words"].max() <= 900
    assert loaded["words"].quantile(0.9) >= 2 * loaded["words"].quantile(0.1)   # varied lengths
    assert loaded["title"].nunique() == len(loaded)


def test_first_body_line_repeats_title(loaded):
    for title, body, off in zip(loaded["title"], loaded["body"], loaded["text_offset"]):
        first = next(line for line in body.splitlines() if line.strip())
        assert first == title
        assert off > len(title)


def test_truth_offsets_match_loaded_bodies(loaded, truth):
    bodies = dict(zip(loaded["path"], loaded["body"]))
    starts = dict(zip(loaded["path"], loaded["text_offset"]))
    for row in truth:
        body = bodies[row["path"]]
        assert body[row["start"]:row["end"]] == row["quote"]
        assert row["start"] >= starts[row["path"]]          # inside the clean text
        before, after = body[row["start"] - 1], body[row["end"]]
        assert (before, after) in (("“", "”"), ('"', '"'))


def test_speakers_and_attribution_forms(truth):
    people = {r["speaker"] for r in truth if r["speaker_kind"] == "person"}
    assert len(people) >= 25
    assert {r["speaker"] for r in truth if r["speaker_kind"] == "organisation"} >= {"Health Ministry", "White House"}
    forms = Counter(r["form"] for r in truth)
    assert set(sample.FORMS) <= set(forms), set(sample.FORMS) - set(forms)
    assert min(forms[f] for f in sample.FORMS) >= 10
    mentions = Counter(r["mention_type"] for r in truth)
    assert {"title_full", "appositive", "surname", "honorific", "pronoun", "alias", "organisation"} <= set(mentions)
    assert {r["marks"] for r in truth} == {"curly", "straight"}
    multi = [r for r in truth if r["form"] == "multi_paragraph"]
    assert any(r["paragraphs"] >= 3 for r in multi)
    assert all("\n" in r["quote"] for r in multi if r["paragraphs"] > 1)
    honorifics = [r["mention"] for r in truth if r["mention_type"] == "honorific"]
    assert any(m.startswith("Mr. ") for m in honorifics) and any(m.startswith("Ms. ") for m in honorifics)


def test_pronoun_quotes_follow_their_speaker(loaded, truth):
    """A ``he said``/``she said`` quote comes after the speaker's surname in the same article."""
    bodies = dict(zip(loaded["path"], loaded["body"]))
    surnames = {p.name: p.surname for p in sample.PEOPLE.values()}
    for r in truth:
        if r["form"] == "pronoun":
            assert surnames[r["speaker"]] in bodies[r["path"]][: r["start"]]


def test_story_lines_spike(loaded):
    """Each story-line term peaks in its months and is (nearly) absent elsewhere."""
    txt = nd.corpus.text(loaded)
    month = loaded["date"].dt.to_period("M")
    expected = {"flood": ["2023-03", "2023-04", "2023-05"], "trade talks": ["2023-06", "2023-07", "2023-08"],
                "election": ["2023-09", "2023-10", "2023-11"], "vaccine": ["2023-02", "2023-09", "2024-01"]}
    for term, months in expected.items():
        hits = pd.Series(contains_term(txt, term), index=loaded.index).groupby(month).sum()
        inside = hits[hits.index.astype(str).isin(months)].sum()
        outside = hits[~hits.index.astype(str).isin(months)].sum()
        assert str(hits.idxmax()) in months, (term, hits.to_dict())
        assert inside >= 15 and outside <= inside / 4, (term, inside, outside)


def test_tone_reaches_vader(loaded, truth_articles):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    scores: dict[str, list[float]] = {}
    for path, t in zip(loaded["path"], nd.corpus.text(loaded)):
        s = statistics.mean(vader.polarity_scores(p)["compound"] for p in t.splitlines() if p.strip())
        scores.setdefault(truth_articles[path]["tone"], []).append(s)
    assert min(len(v) for v in scores.values()) >= 50
    pos, neu, neg = (statistics.mean(scores[k]) for k in ("positive", "neutral", "negative"))
    assert pos > neu + 0.15 and neu > neg + 0.15, (pos, neu, neg)


def test_readme_says_generated_fiction(generated):
    text = (generated / "README.md").read_text(encoding="utf-8")
    assert "python tools/make_sample.py" in text and "invented" in text


def test_events_and_aliases_files(root, loaded, truth):
    ev = charts.read_events(root / "data" / "events.csv")
    assert len(ev) >= 4
    assert ev["date"].between(loaded["date"].min(), loaded["date"].max()).all()
    with open(root / "data" / "aliases.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and set(rows[0]) == {"canonical", "alias"}
    speakers = {r["speaker"] for r in truth}
    body = "\n".join(loaded["body"])
    for row in rows:
        assert row["canonical"] in speakers
        assert row["alias"] in body      # the sample uses every alias, so alias handling is testable


def test_no_text_from_shared_seed(shared_dir, loaded):
    """The sample is invented: no run of 8 words from the reference articles appears in it."""
    seeds = sorted((shared_dir / "seed").glob("*.txt"))
    if not seeds:
        pytest.skip("no seed articles in ../shared/seed")
    def shingles(t: str) -> set[tuple[str, ...]]:
        w = re.findall(r"\w+", t.lower())
        return {tuple(w[i:i + 8]) for i in range(len(w) - 7)}
    ours = shingles("\n".join(loaded["body"]))
    for p in seeds:
        assert not ours & shingles(p.read_text(encoding="utf-8", errors="replace")), p.name
