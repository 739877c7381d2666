"""Tests for newsdesk.sentiment: parity with vaderSentiment, the annotator, aggregates, charts."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import newsdesk as nd
from newsdesk import charts, store
from newsdesk import sentiment as S
from newsdesk.text import sentences as split_text

from vaderSentiment import vaderSentiment as vader  # a pinned dependency: missing it fails, never skips
SIA = vader.SentimentIntensityAnalyzer()

# --------------------------------------------------------------------------- corpora
INVENTED = [
    "VADER is smart, handsome, and funny.", "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.", "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, handsome, and FUNNY!!!", "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.", "The book was good.", "At least it isn't a horrible book.",
    "The book was only kind of good.", "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today SUX!", "Today only kinda sux! But I'll get by, lol", "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁", "Not bad at all", "Sentiment analysis has never been good.",
    "Sentiment analysis has never been this good!", "Most automated sentiment analysis tools are shit.",
    "With VADER, sentiment analysis is the shit!", "Other sentiment analysis tools can be quite bad.",
    "On the other hand, VADER is quite bad ass", "VADER is such a badass!", "Without a doubt, excellent idea.",
    "Roger Dodger is one of the most compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "Roger Dodger is one of the least compelling variations on this theme.", "Not such a badass after all.",
    "Without a doubt, an excellent idea.", "It was the kiss of death for the plan.", "A cake to die for.",
    "No, no, no good will come of it.", "There is no hope or joy here.", "Not so good but not so bad either.",
    "good good but good good bad bad", "He was hardly happy, barely content and sort of angry.",
    "The deal is kind of great but it is a total disaster.", "Is this the end??", "Why??? Why now????",
    "WAR! WAR! WAR!", "They will NEVER surrender.", "It isn't the worst, nor the best.",
    "Peace talks collapsed; the ceasefire failed.", "Officials praised the agreement as a historic win.",
    "", "   ", "!!!", "?? ??? good", "no", "No good", "bad", "BAD", "Great!!!!!", ":-( :) <3",
    "The attack killed 12 people and wounded dozens more.", "Residents celebrated the victory in the streets.",
    "He said the report was “fake news” and a “disgrace.”", "The U.S. economy grew 3.5 percent, a strong gain.",
    "Mr. Smith won the award, but critics were not impressed.", "Without question, it's a disaster.",
    "That was sort of nice.", "The beating heart of the city", "Yeah right, as if that would work.",
    "Trump “emphasized his desire to build a better relationship,” the White House said.",
]


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


# --------------------------------------------------------------------------- parity
def _assert_parity(texts):
    mismatches = []
    for t in texts:
        ours, ref = S.polarity(t), SIA.polarity_scores(t)
        if ours != ref:
            mismatches.append((t, ours, ref))
    assert mismatches == []


@pytest.mark.parametrize("sentence", INVENTED)
def test_polarity_equals_vadersentiment_on_invented_sentences(sentence):
    assert S.polarity(sentence) == SIA.polarity_scores(sentence)


def test_parity_on_sample_corpus_sentences(sample_articles):
    texts = [s for t in nd.corpus.text(sample_articles) for s in split_text(t)]
    texts += list(sample_articles["title"])
    assert len(texts) > 300
    _assert_parity(texts)
    scores = S.score_texts(texts)
    assert np.all((scores >= -1) & (scores <= 1))
    assert np.count_nonzero(scores) > 100  # the test is not vacuous: many sentences carry tone


@pytest.mark.shared
def test_parity_on_shared_sentences(shared_dir):
    tsv = shared_dir / "benchmarks" / "sentiment" / "nyt-editorials-dev.tsv"
    if not tsv.exists():
        pytest.skip("nyt-editorials-dev.tsv is absent")
    nyt = pd.read_csv(tsv, sep="\t", dtype={"id": str})
    texts = list(nyt["text"])
    seed = next((shared_dir / "seed").glob("*.txt")).read_text(encoding="utf-8")
    texts += split_text(seed.split("\n\n", 1)[1])
    _assert_parity(texts)
    ref = np.array([SIA.polarity_scores(t)["compound"] for t in texts])
    assert np.array_equal(S.score_texts(texts), ref)
    assert np.array_equal(S.score_texts(texts[:50], reference=True), ref[:50])


def test_parity_with_but_and_repeated_values():
    # vaderSentiment's "but" rule looks values up by list.index; repeated values must behave alike
    texts = ["good nice but good nice", "bad good but bad good bad", "great but great but great",
             "happy happy but sad sad happy", "nice but nice nice nice", "But it was fine.",
             "It was fine, but.", "fine fine fine fine but"]
    _assert_parity(texts)


# --------------------------------------------------------------------------- score_texts / label
@pytest.mark.parametrize(
    "texts, expected",
    [
        (["A great success.", "The attack killed 12 people."], [0.8316, -0.8225]),
        (["", "   ", "The committee met on Tuesday."], [0.0, 0.0, 0.0]),
    ],
)
def test_score_texts(texts, expected):
    out = S.score_texts(texts)
    assert isinstance(out, np.ndarray) and out.dtype == float
    assert out.tolist() == expected


def test_score_texts_missing_and_bad_input():
    out = S.score_texts([None, float("nan"), "good"])
    assert math.isnan(out[0]) and math.isnan(out[1]) and out[2] > 0
    assert S.score_texts([]).shape == (0,)
    with pytest.raises(TypeError, match="strings"):
        S.score_texts([3])
    with pytest.raises(TypeError):
        S.polarity(None)


@pytest.mark.parametrize("c, expected", [(0.05, "positive"), (0.049, "neutral"), (-0.05, "negative"),
                                         (0.0, "neutral"), (-0.9, "negative")])
def test_label(c, expected):
    assert S.label(c) == expected


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


def test_annotate_rows_offsets_and_headline(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False)
    rows = S.annotate(arts)
    assert list(rows.columns) == S.SENTENCE_COLUMNS
    a = arts[arts["title"] == "Trump hails a great victory"].iloc[0]
    mine = rows[rows["article_id"] == a["article_id"]]
    head = mine[mine["headline"]]
    assert len(head) == 1 and head["idx"].item() == -1 and pd.isna(head["start"].item())
    assert head["compound"].item() == SIA.polarity_scores("Trump hails a great victory")["compound"]
    body = mine[~mine["headline"]]
    texts = [a["body"][s:e] for s, e in zip(body["start"], body["end"])]
    # the repeated title line and the wire line are not scored
    assert texts == ["Mr. Smith praised the wonderful plan.", "Critics called it a disaster.",
                     "The committee met on Tuesday."]
    assert body["idx"].tolist() == [0, 1, 2]
    assert body["compound"].tolist() == [SIA.polarity_scores(t)["compound"] for t in texts]
    assert body["label"].tolist() == ["positive", "negative", "neutral"]
    # an article whose body is only its title: a headline row, no body rows
    empty = arts[arts["title"] == "No text"]["article_id"].item()
    assert rows[rows["article_id"] == empty]["headline"].tolist() == [True]


def test_annotate_rejects_a_frame_that_is_not_articles():
    with pytest.raises(ValueError, match="load_corpus"):
        S.annotate(pd.DataFrame({"text": ["x"]}))


def test_annotate_empty_frame(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False).iloc[:0]
    out = S.annotate(arts)
    assert list(out.columns) == S.SENTENCE_COLUMNS and len(out) == 0


def test_sentences_through_the_store(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False)
    assert store.annotator("sentences").fn is S.annotate
    first = S.sentences(arts)
    d = store.store_dir("sentences", S.VERSION)
    assert any(d.glob("done-*.parquet"))
    n_parts = len(list(d.glob("part-*.parquet")))
    again = S.sentences(arts)
    assert len(list(d.glob("part-*.parquet"))) == n_parts  # nothing recomputed
    pd.testing.assert_frame_equal(first, again)
    uncached = S.sentences(arts, cache=False)
    pd.testing.assert_frame_equal(first[S.SENTENCE_COLUMNS + ["text"]].reset_index(drop=True),
                                  uncached[S.SENTENCE_COLUMNS + ["text"]].reset_index(drop=True),
                                  check_dtype=False)
    assert set(first["text"][first["headline"]]) == set(arts["title"])


# --------------------------------------------------------------------------- article tone
def test_article_tone_is_mean_of_sentences_not_whole_text(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False)
    tone = S.article_tone(arts)
    assert len(tone) == len(arts) and "body" not in tone.columns
    row = tone[tone["title"] == "Budget passes"].iloc[0]
    sents = ["The budget passed.", "Lawmakers were happy with the excellent result.", "Russia welcomed it.",
             "Iran said the deal was a terrible mistake.", "Iranian officials agreed."]
    scores = [SIA.polarity_scores(s)["compound"] for s in sents]
    assert row["n_sentences"] == 5
    assert row["tone"] == pytest.approx(np.mean(scores))
    whole = SIA.polarity_scores(" ".join(sents))["compound"]
    assert row["tone"] != pytest.approx(whole)
    assert row["share_positive"] == pytest.approx(np.mean([s >= 0.05 for s in scores]))
    assert row["share_negative"] == pytest.approx(np.mean([s <= -0.05 for s in scores]))
    assert row["most_positive"] == "Lawmakers were happy with the excellent result."
    assert row["most_negative"] == "Iran said the deal was a terrible mistake."
    assert row["headline_tone"] == SIA.polarity_scores("Budget passes")["compound"]
    empty = tone[tone["title"] == "No text"].iloc[0]
    assert empty["n_sentences"] == 0 and pd.isna(empty["tone"]) and pd.isna(empty["most_positive"])
    floods = tone[tone["title"] == "Floods kill dozens"].iloc[0]
    assert pd.isna(floods["most_positive"])  # no sentence reaches +0.05


def test_article_tone_separates_written_tones_on_the_sample(sample_articles, sample_corpus):
    truth_file = Path(sample_corpus) / "truth" / "articles.jsonl"
    assert truth_file.is_file(), "the sample's truth/articles.jsonl is missing: run `make sample`"
    truth = pd.DataFrame([json.loads(line) for line in truth_file.read_text().splitlines() if line.strip()])
    tone = S.article_tone(sample_articles)
    tone["file"] = tone["path"].map(lambda p: Path(p).name)
    truth["file"] = truth["path"].map(lambda p: Path(p).name)
    m = tone.merge(truth[["file", "tone"]].rename(columns={"tone": "written"}), on="file")
    assert len(m) == len(tone)
    means = m.groupby("written")["tone"].mean()
    assert means["positive"] > means["neutral"] > means["negative"]


# --------------------------------------------------------------------------- aggregates
def test_tone_by_mean_n_and_interval():
    tone = pd.DataFrame({"section": ["A", "A", "A", "B", "B", None], "tone": [0.1, 0.2, 0.3, -0.5, -0.3, 0.0]})
    out = S.tone_by(tone, "section")
    assert out["section"].tolist() == ["A", "(none)", "B"]
    a = out.iloc[0]
    assert a["n"] == 3 and a["mean"] == pytest.approx(0.2)
    half = 4.303 * 0.1 / math.sqrt(3)
    assert a["ci_low"] == pytest.approx(0.2 - half, abs=1e-4) and a["ci_high"] == pytest.approx(0.2 + half, abs=1e-4)
    assert pd.isna(out.iloc[1]["ci_low"])  # one article: no interval
    assert S.tone_by(tone, "section", missing=None)["section"].tolist() == ["A", "B"]
    assert S.tone_by(tone, "section", min_n=3)["section"].tolist() == ["A"]
    with pytest.raises(KeyError, match="agency"):
        S.tone_by(tone, "agency")


def test_t_quantiles_are_close_to_exact():
    # exact two-sided 95% t quantiles
    exact = {1: 12.7062, 5: 2.5706, 30: 2.0423, 31: 2.0395, 60: 2.0003, 120: 1.9799, 1000: 1.9623}
    got = S._t975(np.array(list(exact)))
    assert np.allclose(got, list(exact.values()), atol=2e-3)


def test_term_tone_whole_words_and_clusters(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False)
    out = S.term_tone(arts, ["Russia", "Iran", "Nowhere"], method="vader")
    assert out["term"].tolist() == ["Russia", "Iran", "Nowhere"]
    r, i, z = out.iloc[0], out.iloc[1], out.iloc[2]
    assert r["n_sentences"] == 1 and r["mean"] == SIA.polarity_scores("Russia welcomed it.")["compound"]
    # "Iranian officials agreed." does not mention Iran as a whole word
    assert i["n_sentences"] == 1 and i["mean"] < 0
    assert z["n_sentences"] == 0 and pd.isna(z["mean"])
    alt = S.term_tone(arts, "Russia|Iran")  # a string with | gives one series per alternative
    assert alt["term"].tolist() == ["Russia", "Iran"]
    both = S.term_tone(arts, ["Russia|Iran"])
    assert both["n_sentences"].item() == 2 and both["n_articles"].item() == 1
    ts = S.term_sentences(arts, ["Iran"], headlines=True)
    assert ts["text"].tolist() == ["Iran said the deal was a terrible mistake."]


def test_speaker_tone_takes_a_quotes_frame():
    quotes = pd.DataFrame({
        "article_id": ["a1", "a1", "a2", "a3", "a3", "a4", "a4"],
        "quote": ["This is a wonderful day.", "We are proud and happy.", "A great success. Truly great.",
                  "It is a disaster.", "Terrible, awful news.", "", "Fine."],
        "speaker": ["Ann Lee", "Ann Lee", "Ann Lee", "Bob Roe", "Bob Roe", "Bob Roe", None],
    })
    out = S.speaker_tone(quotes, min_quotes=1)
    assert out["speaker"].tolist() == ["Ann Lee", "Bob Roe"]
    ann = out.iloc[0]
    q3 = np.mean([S.polarity("A great success.")["compound"], S.polarity("Truly great.")["compound"]])
    expected = np.mean([S.polarity("This is a wonderful day.")["compound"],
                        S.polarity("We are proud and happy.")["compound"], q3])
    assert ann["n_quotes"] == 3 and ann["n_articles"] == 2 and ann["mean"] == pytest.approx(expected)
    assert ann["ci_low"] <= ann["mean"] <= ann["ci_high"]
    bob = out.iloc[1]
    assert bob["n_quotes"] == 2 and bob["mean"] < 0  # the empty quote is not counted
    assert pd.isna(bob["ci_low"])  # one article: no clustered interval
    assert S.speaker_tone(quotes, min_quotes=3)["speaker"].tolist() == ["Ann Lee"]
    assert S.speaker_tone(quotes, min_quotes=1, top=1)["speaker"].tolist() == ["Ann Lee"]
    with pytest.raises(KeyError, match="quotes"):
        S.speaker_tone(pd.DataFrame({"speaker": ["x"]}))


def test_tone_over_time_gaps_and_rolling():
    tone = pd.DataFrame({
        "date": pd.to_datetime(["2020-01-05", "2020-01-20", "2020-03-02", "2020-03-03", "2020-04-10"]),
        "tone": [0.2, 0.4, -0.2, 0.0, 0.6],
    })
    out = S.tone_over_time(tone, "month", rolling=2)
    assert out["period"].dt.strftime("%Y-%m").tolist() == ["2020-01", "2020-02", "2020-03", "2020-04"]
    assert out["n"].tolist() == [2, 0, 2, 1]
    assert out["mean"].iloc[0] == pytest.approx(0.3)
    feb = out.iloc[1]
    assert pd.isna(feb["mean"]) and pd.isna(feb["rolling_mean"])  # a gap, not an invented value
    assert out["rolling_mean"].iloc[2] == pytest.approx(-0.1)      # Feb is empty: only March
    assert out["rolling_mean"].iloc[3] == pytest.approx((-0.2 + 0.0 + 0.6) / 3)  # pooled articles
    assert out["rolling_low"].iloc[3] < out["rolling_mean"].iloc[3] < out["rolling_high"].iloc[3]
    one = S.tone_over_time(tone, "month", rolling=1)
    assert one["rolling_mean"].equals(one["mean"])
    by = S.tone_over_time(tone.assign(section=["A", "B", "A", "A", "B"]), "month", by="section")
    assert set(by["section"]) == {"A", "B"} and by.groupby("section").size().tolist() == [4, 4]
    with pytest.raises(ValueError, match="freq"):
        S.tone_over_time(tone, "fortnight")
    with pytest.raises(ValueError, match="rolling"):
        S.tone_over_time(tone, "month", rolling=0)
    assert S.tone_over_time(tone.iloc[:0], "week").empty



# --------------------------------------------------------------------------- intervals and weeks
def test_intervals_are_clipped_to_the_scale():
    # two articles far apart: t(1 df) = 12.7 would put the interval at about -7.6 .. +8.4
    tone = pd.DataFrame({"section": ["A", "A"], "tone": [-0.9, 0.9]})
    a = S.tone_by(tone, "section").iloc[0]
    assert (a["ci_low"], a["ci_high"]) == (-1.0, 1.0) and a["mean"] == pytest.approx(0.0)
    tot = S.tone_over_time(tone.assign(date=pd.to_datetime(["2020-01-06", "2020-01-07"])), "week", rolling=1)
    assert tot[["ci_low", "rolling_low"]].iloc[0].tolist() == [-1.0, -1.0]
    assert tot[["ci_high", "rolling_high"]].iloc[0].tolist() == [1.0, 1.0]
    q = pd.DataFrame({"article_id": ["a1", "a2"], "quote": ["A wonderful, happy day.", "A terrible, awful disaster."],
                      "speaker": ["Ann Lee", "Ann Lee"]})
    ann = S.speaker_tone(q, min_quotes=1).iloc[0]
    assert (ann["ci_low"], ann["ci_high"]) == (-1.0, 1.0)


@pytest.mark.slow
def test_every_interval_on_the_sample_lies_within_the_scale(sample_articles):
    tone = S.article_tone(sample_articles)
    from newsdesk import speakers as Q

    tables = {
        "tone_by": S.tone_by(tone, "section"),
        "tone_by agency": S.tone_by(tone, "agency"),
        "speaker_tone": S.speaker_tone(Q.quotes(sample_articles), min_quotes=1),
        "term_tone": S.term_tone(sample_articles, ["flood", "vaccine", "election", "Voss"]),
        "tone_over_time week": S.tone_over_time(tone, "week"),
        "tone_over_time day": S.tone_over_time(tone, "day", by="section"),
    }
    for name, df in tables.items():
        cols = [c for c in df.columns if c.startswith(("ci_", "rolling_"))]
        assert {"ci_low", "ci_high"} <= set(cols), name
        vals = df[cols].to_numpy(dtype=float)
        assert np.isfinite(vals).any(), f"{name}: no interval at all"
        assert np.nanmin(vals) >= -1.0 and np.nanmax(vals) <= 1.0, f"{name}: an interval leaves [-1, 1]"


@pytest.mark.parametrize("dates, same_week", [
    (["2023-10-22", "2023-10-23"], False),  # Sunday, then the Monday after: two weeks
    (["2023-10-16", "2023-10-22"], True),   # Monday and the Sunday of the same week
    (["2023-10-23", "2023-10-29"], True),
])
def test_weeks_run_monday_to_sunday(dates, same_week):
    tone = pd.DataFrame({"date": pd.to_datetime(dates), "tone": [0.1, 0.3]})
    out = S.tone_over_time(tone, "week", rolling=1)
    assert len(out) == (1 if same_week else 2)
    assert out["n"].sum() == 2
    assert (out["period"].dt.day_of_week == 0).all()  # each week starts on a Monday
    assert S._period_freq("week") == nd.config.FREQ_ALIASES["week"]

# --------------------------------------------------------------------------- charts
def _check_chart(fig, *, series: int | None = None):
    for info in charts.labels_of(fig):
        assert info["title"] and info["xlabel"] and info["ylabel"]
        if series is not None and series > 1:
            assert len(info["legend"]) >= 2
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_charts_have_titles_labels_and_legends(small_corpus, tmp_path):
    arts = nd.load_corpus(small_corpus, cache=False)
    sents = S.sentences(arts)
    tone = S.article_tone(arts, sents=sents)
    _check_chart(S.plot_distribution(sents, tone), series=2)
    _check_chart(S.plot_tone_by(S.tone_by(tone, "section")))
    _check_chart(S.plot_term_tone(S.term_tone(arts, ["Russia", "Iran"], sents=sents)))
    tot = S.tone_over_time(tone, "month", rolling=2)
    fig = S.plot_tone_over_time(tot, events=[("2017-06-01", "Floods")])
    assert charts.labels_of(fig)[0]["legend"]
    charts.save(fig, tmp_path / "t.png")
    assert (tmp_path / "t.png").stat().st_size > 1000
    _check_chart(fig, series=2)
    quotes = pd.DataFrame({"article_id": ["a", "b"], "quote": ["good", "bad"], "speaker": ["X", "Y"]})
    _check_chart(S.plot_speaker_tone(S.speaker_tone(quotes, min_quotes=1)))
    by = S.tone_over_time(tone, "month", by="section")
    _check_chart(S.plot_tone_over_time(by, by="section"), series=2)


# --------------------------------------------------------------------------- the notebook
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02-sentiment.ipynb"


def _run_notebook(tmp_path, params):
    import nbformat
    import papermill as pm

    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters=params, kernel_name="newsdesk",
                        cwd=str(NOTEBOOK.parent), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert len(images) >= 4
    return nb


def test_notebook_structure():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and "r =" in nb.cells[0].source
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    src = tagged[0].source
    for name in ("corpus", "date_from", "date_to", "sections", "terms", "freq", "rolling", "compare_by"):
        assert f"\n{name}:" in "\n" + src
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert nb.metadata["kernelspec"]["name"] == "newsdesk"
    assert "sys.path" not in "".join(c.source for c in nb.cells)


@pytest.mark.slow
def test_notebook_runs_on_the_sample(tmp_path, sample_corpus):
    _run_notebook(tmp_path, {"corpus": str(sample_corpus)})


@pytest.mark.slow
@pytest.mark.shared
def test_notebook_runs_on_polnear_dev(tmp_path, polnear_dev):
    _run_notebook(tmp_path, {"corpus": str(polnear_dev), "terms": ["Clinton", "Trump", "Russia|Putin"],
                             "freq": "week", "compare_by": "publisher"})


def test_parity_on_random_rule_heavy_sentences():
    """Seeded random sentences dense in what VADER's rules react to: lexicon words, boosters,
    negations, "no", "but", "least", idioms, capitals, ! and ?."""
    import random

    rng = random.Random(20240501)
    lexicon = sorted(S.LEXICON)
    special = ["very", "so", "this", "not", "never", "no", "nor", "or", "without", "doubt", "least", "at",
               "but", "BUT", "kind", "of", "sort", "just", "enough", "the", "shit", "bomb", "bad", "ass",
               "kiss", "death", "to", "die", "for", "yeah", "right", "beating", "heart", "isn't", "don't",
               "VERY", "GOOD", "BAD", "hardly", "extremely", "kinda", ":)", ":(", "!", "?", "...", "“great.”",
               "good,", "(bad)", "the", "a", "people", "said", "Trump", "U.S.", "😁", "💔"]
    texts = []
    for _ in range(3000):
        n = rng.randint(1, 14)
        words = [rng.choice(special) if rng.random() < 0.55 else rng.choice(lexicon) for _ in range(n)]
        if rng.random() < 0.3:
            words = [w.upper() for w in words]
        t = " ".join(words) + rng.choice(["", ".", "!", "!!", "?", "??", "???!", " !!!!!"])
        texts.append(t)
    _assert_parity(texts)


def test_duplicates_count_once():
    tone = pd.DataFrame({"section": ["A", "A", "A"], "tone": [0.1, 0.3, 0.3], "n_sentences": [5, 5, 5],
                         "date": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-02"]),
                         "title": ["x", "y", "y"], "most_positive": ["p", "q", "q"], "most_negative": [None] * 3,
                         "duplicate_of": [None, None, "id2"]})
    assert S.tone_by(tone, "section")["n"].item() == 2
    assert S.tone_over_time(tone, "month")["n"].item() == 2
    assert len(S.most_extreme(tone, 5)) == 4  # 2 articles on each side


def test_speaker_tone_kinds():
    q = pd.DataFrame({"quote": ["good", "bad", "fine"], "speaker": ["A", "a senior official", "A"],
                      "speaker_kind": ["person", "description", "person"], "article_id": ["1", "2", "3"]})
    assert S.speaker_tone(q, min_quotes=1, kinds=["person"])["speaker"].tolist() == ["A"]
    assert len(S.speaker_tone(q, min_quotes=1)) == 2


def test_summary_and_most_extreme(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False)
    sents = S.sentences(arts)
    tone = S.article_tone(arts, sents=sents)
    summ = S.summary(tone, sents)
    assert summ.loc["articles", "value"] == "4"
    assert summ.loc["body sentences scored", "value"] == str(int((~sents["headline"]).sum()))
    ext = S.most_extreme(tone, 1, min_sentences=2)
    assert ext["side"].tolist() == ["most positive", "most negative"]
    eligible = tone[tone["n_sentences"] >= 2]
    assert ext["title"].tolist() == [eligible.loc[eligible["tone"].idxmax(), "title"],
                                     eligible.loc[eligible["tone"].idxmin(), "title"]]
    assert ext["title"].iloc[1] == "Floods kill dozens"
    assert ext["sentence"].iloc[1] == "Floods killed dozens of people."
    assert S.most_extreme(tone, 5, min_sentences=99).empty
    with pytest.raises(ValueError):
        S.most_extreme(tone, 0)


def test_term_tone_regex_terms(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False)
    out = S.term_tone(arts, ["re:Iran(ian)?"])
    assert out["n_sentences"].item() == 2  # "Iran said ..." and "Iranian officials agreed."
    with pytest.raises(ValueError):
        S.term_tone(arts, [])


def test_empty_selection_gives_empty_tables_and_charts(sample_articles):
    none = sample_articles.iloc[:0]
    sents = S.sentences(none)
    assert list(sents.columns) == S.SENTENCE_COLUMNS + ["text"] and sents.empty
    tone = S.article_tone(none, sents=sents)
    assert tone.empty and "tone" in tone.columns
    assert S.tone_by(tone, "section").empty
    tot = S.tone_over_time(tone)
    assert tot.empty and tot["period"].dtype.kind == "M"
    assert S.term_tone(none, ["flood"], sents=sents)["n_sentences"].tolist() == [0]
    for fig in (S.plot_distribution(sents, tone), S.plot_tone_over_time(tot),
                S.plot_tone_by(S.tone_by(tone, "section"))):
        _check_chart(fig)


# --------------------------------------------------------------------------- fast paths give the same tables
def _speaker_tone_every_quote(quotes, *, min_quotes=3, top=None, kinds=None):
    """speaker_tone as first written: score every quote, then group, filter and rank."""
    if kinds is not None:
        quotes = quotes[quotes["speaker_kind"].isin(list(kinds))]
    df = quotes.assign(compound=S.quote_tone(quotes))
    df = df[df["speaker"].notna() & df["compound"].notna()]
    df = df[df["speaker"].astype(str).str.strip() != ""]
    rows = []
    for name, grp in df.groupby("speaker", sort=True):
        s = S._summary(grp["compound"], grp["article_id"])
        rows.append({"speaker": name, "n_quotes": s.pop("n"), "n_articles": grp["article_id"].nunique()} | s)
    out = pd.DataFrame(rows, columns=["speaker", "n_quotes", "n_articles", "mean", "ci_low", "ci_high"])
    out = out[out["n_quotes"] >= max(1, min_quotes)]
    if top is not None:
        out = out.nlargest(top, "n_quotes", keep="first")
    return out.sort_values("mean", ascending=False, kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("kw", [
    {}, {"min_quotes": 1}, {"min_quotes": 3, "top": 10, "kinds": ["person", "organisation"]},
    {"min_quotes": 2, "top": 1}, {"min_quotes": 1, "top": 500}, {"min_quotes": 10_000},
])
def test_speaker_tone_equals_scoring_every_quote(sample_articles, kw):
    from newsdesk import speakers as nq

    q = nq.quotes(sample_articles)
    pd.testing.assert_frame_equal(S.speaker_tone(q, **kw), _speaker_tone_every_quote(q, **kw))


def test_speaker_tone_ties_and_unscorable_quotes():
    # "..." has no sentence: it does not count, so B (2 scorable) ties with C and loses on the name
    q = pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"],
        "speaker": ["B", "B", "B", "C", "C", "A", "A", "A"],
        "speaker_kind": ["person"] * 8,
        "quote": ["Good.", "Bad.", "...", "Fine.", "Awful.", "Great.", "Nice.", "Terrible."],
    })
    for kw in ({"min_quotes": 1, "top": 2}, {"min_quotes": 3, "top": 1}, {"min_quotes": 2}):
        pd.testing.assert_frame_equal(S.speaker_tone(q, **kw), _speaker_tone_every_quote(q, **kw))


def test_sentence_text_equals_slicing_each_sentence(sample_articles):
    arts = sample_articles.head(60)
    sents = S.sentences(arts, text=False)
    got = S._sentence_text(arts, sents)
    a = arts.set_index("article_id")
    want = [" ".join(a.at[i, "title"].split()) if h else a.at[i, "body"][int(s):int(e)]
            for i, h, s, e in zip(sents["article_id"], sents["headline"], sents["start"], sents["end"])]
    assert got.tolist() == want
    # an article that is not in the frame gets no text
    other = sents.assign(article_id="nope")
    assert S._sentence_text(arts, other).isna().all()


def test_term_sentences_equal_searching_every_sentence(sample_articles):
    from newsdesk.text import term_pattern

    sents = S.sentences(sample_articles)
    terms = ["flood", "trade talks", "re:vacc\\w+", "Weber|minister"]
    got = S.term_sentences(sample_articles, terms, sents=sents)
    body = sents[~sents["headline"]]
    dups = sample_articles.loc[sample_articles["duplicate_of"].notna(), "article_id"]
    body = body[~body["article_id"].isin(dups)]
    for t in terms:
        pat = term_pattern(t)
        want = body[[bool(pat.search(x)) for x in body["text"]]]
        mine = got[got["term"] == t].drop(columns="term")
        assert mine["text"].tolist() == want["text"].tolist()
        assert len(mine) > 0 or t.startswith("re:")


def test_mean_is_numpys_mean_bit_for_bit():
    rng = np.random.default_rng(1)
    for n in range(1, 13):
        for _ in range(300):
            v = rng.uniform(-1, 1, size=n).tolist()
            assert S._mean(v) == float(np.mean(v))


def test_speaker_tone_does_not_depend_on_the_frame_index():
    q = pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4", "a5", "a6"],
        "speaker": ["B", "B", "C", "C", "A", "A"],
        "speaker_kind": ["person"] * 6,
        "quote": ["Good.", "Bad. Awful.", "Fine.", "...", "Great.", "Terrible!"],
    })
    want = S.speaker_tone(q, min_quotes=1, top=2)
    for index in ([5, 4, 3, 2, 1, 0], [0, 0, 1, 1, 2, 2]):          # reordered, then duplicated labels
        pd.testing.assert_frame_equal(S.speaker_tone(q.set_axis(index), min_quotes=1, top=2), want)


def test_rolling_tone_needs_the_whole_window():
    tone = pd.DataFrame({"tone": [0.2, -0.4], "date": pd.to_datetime(["2020-01-06", "2020-02-07"])})
    tot = S.tone_over_time(tone, "month", rolling=3)
    assert tot["rolling_mean"].isna().all() and tot["mean"].notna().all()   # no 3-month mean through 2 months


@pytest.mark.parametrize("text_in, term, news_sign", [
    ("Smith praised the volunteers, but critics attacked Jones for the failure.", "Jones", -1),
    ("Critics attacked Jones, but everyone praised Smith for the wonderful rescue.", "Smith", 1),
])
def test_term_tone_is_toward_the_term(text_in, term, news_sign):
    body = f"T\n{text_in}"
    arts = pd.DataFrame({"article_id": ["a"], "title": ["T"], "body": [body], "text_offset": [2],
                         "text_length": [len(text_in)], "date": pd.to_datetime(["2020-01-01"]),
                         "section": ["World"], "content_hash": ["h"], "duplicate_of": [None]})
    sents = pd.DataFrame({"article_id": ["a"], "start": [0], "end": [len(text_in)], "headline": [False],
                          "compound": [S.polarity(text_in)["compound"]], "text": [text_in]})
    news = S.term_tone(arts, [term], sents=sents)
    vader = S.term_tone(arts, [term], sents=sents, method="vader")
    assert news.attrs["method"] == "news" and vader.attrs["method"] == "vader"
    assert np.sign(news["mean"].iloc[0]) == news_sign
    assert vader["mean"].iloc[0] == pytest.approx(S.polarity(text_in)["compound"])   # VADER mode unchanged


def test_term_tone_refuses_an_unknown_method():
    with pytest.raises(ValueError, match="news"):
        S.term_tone(pd.DataFrame(), ["x"], method="bert")


@pytest.mark.parametrize("quotes, kw", [
    (pd.DataFrame(columns=["article_id", "quote", "speaker", "speaker_kind"]), {}),                   # no quotes
    (pd.DataFrame(columns=["article_id", "quote", "speaker", "speaker_kind"]), {"top": 10, "kinds": ["person"]}),
    (pd.DataFrame({"article_id": ["a"], "quote": ["We will win."], "speaker": [None],
                   "speaker_kind": ["unknown"]}), {"top": 10}),                                       # no speaker
])
def test_speaker_tone_of_no_quotes_is_an_empty_typed_frame(quotes, kw):
    """issue 22: ``nlargest`` on the object column of an empty frame raised TypeError."""
    out = S.speaker_tone(quotes, **kw)
    assert out.empty and list(out.columns) == ["speaker", "n_quotes", "n_articles", "mean", "ci_low", "ci_high"]
    assert out["n_quotes"].dtype == "int64" and out["mean"].dtype == "float64"
    _check_chart(S.plot_speaker_tone(out))
