"""Tests for newsdesk.tone: article tone, aggregates with intervals, term and speaker tone, charts."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import newsdesk as nd
from newsdesk import charts
from newsdesk import sentiment as S
from newsdesk import tone as T
from newsdesk import vader as V

from vaderSentiment import vaderSentiment as vader  # a pinned dependency: missing it fails, never skips
from tonekit import sample_articles, sample_corpus, small_corpus  # noqa: F401 (fixtures)

SIA = vader.SentimentIntensityAnalyzer()


# --------------------------------------------------------------------------- article tone
def test_article_tone_is_mean_of_sentences_not_whole_text(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False)
    tone = T.article_tone(arts, method="vader")
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
    tone = T.article_tone(sample_articles)
    tone["file"] = tone["path"].map(lambda p: Path(p).name)
    truth["file"] = truth["path"].map(lambda p: Path(p).name)
    m = tone.merge(truth[["file", "tone"]].rename(columns={"tone": "written"}), on="file")
    assert len(m) == len(tone)
    means = m.groupby("written")["tone"].mean()
    assert means["positive"] > means["neutral"] > means["negative"]


# --------------------------------------------------------------------------- aggregates
def test_tone_by_mean_n_and_interval():
    tone = pd.DataFrame({"section": ["A", "A", "A", "B", "B", None], "tone": [0.1, 0.2, 0.3, -0.5, -0.3, 0.0]})
    out = T.tone_by(tone, "section")
    assert out["section"].tolist() == ["A", "(none)", "B"]
    a = out.iloc[0]
    assert a["n"] == 3 and a["mean"] == pytest.approx(0.2)
    half = 4.303 * 0.1 / math.sqrt(3)
    assert a["ci_low"] == pytest.approx(0.2 - half, abs=1e-4) and a["ci_high"] == pytest.approx(0.2 + half, abs=1e-4)
    assert pd.isna(out.iloc[1]["ci_low"])  # one article: no interval
    assert T.tone_by(tone, "section", missing=None)["section"].tolist() == ["A", "B"]
    assert T.tone_by(tone, "section", min_n=3)["section"].tolist() == ["A"]
    with pytest.raises(KeyError, match="agency"):
        T.tone_by(tone, "agency")


def test_term_tone_whole_words_and_clusters(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False)
    out = T.term_tone(arts, ["Russia", "Iran", "Nowhere"], method="vader")
    assert out["term"].tolist() == ["Russia", "Iran", "Nowhere"]
    r, i, z = out.iloc[0], out.iloc[1], out.iloc[2]
    assert r["n_sentences"] == 1 and r["mean"] == SIA.polarity_scores("Russia welcomed it.")["compound"]
    # "Iranian officials agreed." does not mention Iran as a whole word
    assert i["n_sentences"] == 1 and i["mean"] < 0
    assert z["n_sentences"] == 0 and pd.isna(z["mean"])
    alt = T.term_tone(arts, "Russia|Iran")  # a string with | gives one series per alternative
    assert alt["term"].tolist() == ["Russia", "Iran"]
    both = T.term_tone(arts, ["Russia|Iran"])
    assert both["n_sentences"].item() == 2 and both["n_articles"].item() == 1
    ts = T.term_sentences(arts, ["Iran"], headlines=True)
    assert ts["text"].tolist() == ["Iran said the deal was a terrible mistake."]


def test_speaker_tone_takes_a_quotes_frame():
    quotes = pd.DataFrame({
        "article_id": ["a1", "a1", "a2", "a3", "a3", "a4", "a4"],
        "quote": ["This is a wonderful day.", "We are proud and happy.", "A great success. Truly great.",
                  "It is a disaster.", "Terrible, awful news.", "", "Fine."],
        "speaker": ["Ann Lee", "Ann Lee", "Ann Lee", "Bob Roe", "Bob Roe", "Bob Roe", None],
    })
    out = T.speaker_tone(quotes, min_quotes=1, method="vader")
    assert out["speaker"].tolist() == ["Ann Lee", "Bob Roe"]
    ann = out.iloc[0]
    q3 = np.mean([V.polarity("A great success.")["compound"], V.polarity("Truly great.")["compound"]])
    expected = np.mean([V.polarity("This is a wonderful day.")["compound"],
                        V.polarity("We are proud and happy.")["compound"], q3])
    assert ann["n_quotes"] == 3 and ann["n_articles"] == 2 and ann["mean"] == pytest.approx(expected)
    assert ann["ci_low"] <= ann["mean"] <= ann["ci_high"]
    bob = out.iloc[1]
    assert bob["n_quotes"] == 2 and bob["mean"] < 0  # the empty quote is not counted
    assert pd.isna(bob["ci_low"])  # one article: no clustered interval
    assert T.speaker_tone(quotes, min_quotes=3)["speaker"].tolist() == ["Ann Lee"]
    assert T.speaker_tone(quotes, min_quotes=1, top=1)["speaker"].tolist() == ["Ann Lee"]
    with pytest.raises(KeyError, match="quotes"):
        T.speaker_tone(pd.DataFrame({"speaker": ["x"]}))


def test_tone_over_time_gaps_and_rolling():
    tone = pd.DataFrame({
        "date": pd.to_datetime(["2020-01-05", "2020-01-20", "2020-03-02", "2020-03-03", "2020-04-10"]),
        "tone": [0.2, 0.4, -0.2, 0.0, 0.6],
    })
    out = T.tone_over_time(tone, "month", rolling=2)
    assert out["period"].dt.strftime("%Y-%m").tolist() == ["2020-01", "2020-02", "2020-03", "2020-04"]
    assert out["n"].tolist() == [2, 0, 2, 1]
    assert out["mean"].iloc[0] == pytest.approx(0.3)
    feb = out.iloc[1]
    assert pd.isna(feb["mean"]) and pd.isna(feb["rolling_mean"])  # a gap, not an invented value
    assert out["rolling_mean"].iloc[2] == pytest.approx(-0.1)      # Feb is empty: only March
    assert out["rolling_mean"].iloc[3] == pytest.approx((-0.2 + 0.0 + 0.6) / 3)  # pooled articles
    assert out["rolling_low"].iloc[3] < out["rolling_mean"].iloc[3] < out["rolling_high"].iloc[3]
    one = T.tone_over_time(tone, "month", rolling=1)
    assert one["rolling_mean"].equals(one["mean"])
    by = T.tone_over_time(tone.assign(section=["A", "B", "A", "A", "B"]), "month", by="section")
    assert set(by["section"]) == {"A", "B"} and by.groupby("section").size().tolist() == [4, 4]
    with pytest.raises(ValueError, match="freq"):
        T.tone_over_time(tone, "fortnight")
    with pytest.raises(ValueError, match="rolling"):
        T.tone_over_time(tone, "month", rolling=0)
    assert T.tone_over_time(tone.iloc[:0], "week").empty


# --------------------------------------------------------------------------- intervals and weeks
def test_intervals_are_clipped_to_the_scale():
    # two articles far apart: t(1 df) = 12.7 would put the interval at about -7.6 .. +8.4
    tone = pd.DataFrame({"section": ["A", "A"], "tone": [-0.9, 0.9]})
    a = T.tone_by(tone, "section").iloc[0]
    assert (a["ci_low"], a["ci_high"]) == (-1.0, 1.0) and a["mean"] == pytest.approx(0.0)
    tot = T.tone_over_time(tone.assign(date=pd.to_datetime(["2020-01-06", "2020-01-07"])), "week", rolling=1)
    assert tot[["ci_low", "rolling_low"]].iloc[0].tolist() == [-1.0, -1.0]
    assert tot[["ci_high", "rolling_high"]].iloc[0].tolist() == [1.0, 1.0]
    q = pd.DataFrame({"article_id": ["a1", "a2"], "quote": ["A wonderful, happy day.", "A terrible, awful disaster."],
                      "speaker": ["Ann Lee", "Ann Lee"]})
    ann = T.speaker_tone(q, min_quotes=1).iloc[0]
    assert (ann["ci_low"], ann["ci_high"]) == (-1.0, 1.0)


@pytest.mark.slow
def test_every_interval_on_the_sample_lies_within_the_scale(sample_articles):
    tone = T.article_tone(sample_articles)
    from newsdesk import speakers as Q

    tables = {
        "tone_by": T.tone_by(tone, "section"),
        "tone_by agency": T.tone_by(tone, "agency"),
        "speaker_tone": T.speaker_tone(Q.quotes(sample_articles), min_quotes=1),
        "term_tone": T.term_tone(sample_articles, ["flood", "vaccine", "election", "Voss"]),
        "tone_over_time week": T.tone_over_time(tone, "week"),
        "tone_over_time day": T.tone_over_time(tone, "day", by="section"),
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
    out = T.tone_over_time(tone, "week", rolling=1)
    assert len(out) == (1 if same_week else 2)
    assert out["n"].sum() == 2
    assert (out["period"].dt.day_of_week == 0).all()  # each week starts on a Monday


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
    tone = T.article_tone(arts, sents=sents)
    _check_chart(T.plot_distribution(sents, tone), series=2)
    _check_chart(T.plot_tone_by(T.tone_by(tone, "section")))
    _check_chart(T.plot_term_tone(T.term_tone(arts, ["Russia", "Iran"], sents=sents)))
    tot = T.tone_over_time(tone, "month", rolling=2)
    fig = T.plot_tone_over_time(tot, events=[("2017-06-01", "Floods")])
    assert charts.labels_of(fig)[0]["legend"]
    charts.save(fig, tmp_path / "t.png")
    assert (tmp_path / "t.png").stat().st_size > 1000
    _check_chart(fig, series=2)
    quotes = pd.DataFrame({"article_id": ["a", "b"], "quote": ["good", "bad"], "speaker": ["X", "Y"]})
    _check_chart(T.plot_speaker_tone(T.speaker_tone(quotes, min_quotes=1)))
    by = T.tone_over_time(tone, "month", by="section")
    _check_chart(T.plot_tone_over_time(by, by="section"), series=2)


def test_duplicates_count_once():
    tone = pd.DataFrame({"section": ["A", "A", "A"], "tone": [0.1, 0.3, 0.3], "n_sentences": [5, 5, 5],
                         "date": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-02"]),
                         "title": ["x", "y", "y"], "most_positive": ["p", "q", "q"], "most_negative": [None] * 3,
                         "duplicate_of": [None, None, "id2"]})
    assert T.tone_by(tone, "section")["n"].item() == 2
    assert T.tone_over_time(tone, "month")["n"].item() == 2
    assert len(T.most_extreme(tone, 5)) == 4  # 2 articles on each side


def test_speaker_tone_kinds():
    q = pd.DataFrame({"quote": ["good", "bad", "fine"], "speaker": ["A", "a senior official", "A"],
                      "speaker_kind": ["person", "description", "person"], "article_id": ["1", "2", "3"]})
    assert T.speaker_tone(q, min_quotes=1, kinds=["person"])["speaker"].tolist() == ["A"]
    assert len(T.speaker_tone(q, min_quotes=1)) == 2


def test_summary_and_most_extreme(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False)
    sents = S.sentences(arts)
    tone = T.article_tone(arts, sents=sents)
    summ = T.summary(tone, sents)
    assert summ.loc["articles", "value"] == "4"
    assert summ.loc["body sentences scored", "value"] == str(int((~sents["headline"]).sum()))
    ext = T.most_extreme(tone, 1, min_sentences=2)
    assert ext["side"].tolist() == ["most positive", "most negative"]
    eligible = tone[tone["n_sentences"] >= 2]
    assert ext["title"].tolist() == [eligible.loc[eligible["tone"].idxmax(), "title"],
                                     eligible.loc[eligible["tone"].idxmin(), "title"]]
    assert ext["title"].iloc[1] == "Floods kill dozens"
    assert ext["sentence"].iloc[1] == "Floods killed dozens of people."
    assert T.most_extreme(tone, 5, min_sentences=99).empty
    with pytest.raises(ValueError):
        T.most_extreme(tone, 0)


def test_term_tone_regex_terms(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False)
    out = T.term_tone(arts, ["re:Iran(ian)?"])
    assert out["n_sentences"].item() == 2  # "Iran said ..." and "Iranian officials agreed."
    with pytest.raises(ValueError):
        T.term_tone(arts, [])


def test_empty_selection_gives_empty_tables_and_charts(sample_articles):
    none = sample_articles.iloc[:0]
    sents = S.sentences(none)
    assert list(sents.columns) == S.SENTENCE_COLUMNS + ["text"] and sents.empty
    tone = T.article_tone(none, sents=sents)
    assert tone.empty and "tone" in tone.columns
    assert T.tone_by(tone, "section").empty
    tot = T.tone_over_time(tone)
    assert tot.empty and tot["period"].dtype.kind == "M"
    assert T.term_tone(none, ["flood"], sents=sents)["n_sentences"].tolist() == [0]
    for fig in (T.plot_distribution(sents, tone), T.plot_tone_over_time(tot),
                T.plot_tone_by(T.tone_by(tone, "section"))):
        _check_chart(fig)


# --------------------------------------------------------------------------- fast paths give the same tables
def _speaker_tone_every_quote(quotes, *, min_quotes=3, top=None, kinds=None):
    """speaker_tone as first written: score every quote, then group, filter and rank."""
    if kinds is not None:
        quotes = quotes[quotes["speaker_kind"].isin(list(kinds))]
    df = quotes.assign(compound=T.quote_tone(quotes))
    df = df[df["speaker"].notna() & df["compound"].notna()]
    df = df[df["speaker"].astype(str).str.strip() != ""]
    rows = []
    for name, grp in df.groupby("speaker", sort=True):
        s = T._summary(grp["compound"], grp["article_id"])
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
    pd.testing.assert_frame_equal(T.speaker_tone(q, **kw, method="vader"), _speaker_tone_every_quote(q, **kw))


def test_speaker_tone_ties_and_unscorable_quotes():
    # "..." has no sentence: it does not count, so B (2 scorable) ties with C and loses on the name
    q = pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"],
        "speaker": ["B", "B", "B", "C", "C", "A", "A", "A"],
        "speaker_kind": ["person"] * 8,
        "quote": ["Good.", "Bad.", "...", "Fine.", "Awful.", "Great.", "Nice.", "Terrible."],
    })
    for kw in ({"min_quotes": 1, "top": 2}, {"min_quotes": 3, "top": 1}, {"min_quotes": 2}):
        pd.testing.assert_frame_equal(T.speaker_tone(q, **kw, method="vader"), _speaker_tone_every_quote(q, **kw))


def test_term_sentences_equal_searching_every_sentence(sample_articles):
    from newsdesk.text import term_pattern

    sents = S.sentences(sample_articles)
    terms = ["flood", "trade talks", "re:vacc\\w+", "Weber|minister"]
    got = T.term_sentences(sample_articles, terms, sents=sents)
    body = sents[~sents["headline"]]
    dups = sample_articles.loc[sample_articles["duplicate_of"].notna(), "article_id"]
    body = body[~body["article_id"].isin(dups)]
    for t in terms:
        pat = term_pattern(t)
        want = body[[bool(pat.search(x)) for x in body["text"]]]
        mine = got[got["term"] == t].drop(columns="term")
        assert mine["text"].tolist() == want["text"].tolist()
        assert len(mine) > 0 or t.startswith("re:")


@pytest.mark.parametrize("terms, headlines", [
    (["flood", "trade talks", "Weber|minister"], False),
    (["flood", "re:vacc\\w+"], True),
    (["Nowhere at all"], False),
])
def test_term_sentences_without_texts_equal_with_texts(sample_articles, terms, headlines):
    with_text = S.sentences(sample_articles)
    got = T.term_sentences(sample_articles, terms, sents=S.sentences(sample_articles, text=False), headlines=headlines)
    want = T.term_sentences(sample_articles, terms, sents=with_text, headlines=headlines)
    pd.testing.assert_frame_equal(got, want)
    alone = T.term_sentences(sample_articles, terms, headlines=headlines)   # its own sentences, of candidates only
    pd.testing.assert_frame_equal(alone, want)


@pytest.mark.parametrize("terms", [["flood"], ["trade talks", "Weber|minister"], ["re:vacc\\w+"], ["Zürich"]])
def test_candidate_articles_hold_every_article_with_a_term_sentence(sample_articles, terms):
    cand = S._candidate_articles(sample_articles, terms)
    ts = T.term_sentences(sample_articles, terms, sents=S.sentences(sample_articles), headlines=True)
    assert set(ts["article_id"]) <= set(sample_articles["article_id"].iloc[cand])
    if any(t.startswith("re:") or not t.isascii() for t in terms):
        assert len(cand) == len(sample_articles)     # no literal word to look for: every article
    else:
        assert len(cand) < len(sample_articles)


@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_term_sentences_cut_in_chunks_equal_in_one_go(sample_articles, monkeypatch, chunk):
    terms = ["flood", "Weber|minister", "re:vacc\\w+"]
    sents = S.sentences(sample_articles, text=False)
    want = T.term_sentences(sample_articles, terms, sents=sents)
    tone = T.term_tone(sample_articles, terms, sents=sents)
    monkeypatch.setattr(S, "_TEXT_CHUNK", chunk)
    pd.testing.assert_frame_equal(T.term_sentences(sample_articles, terms, sents=sents), want)
    pd.testing.assert_frame_equal(T.term_tone(sample_articles, terms, sents=sents), tone)
    assert len(want) > 0 and tone["n_sentences"].gt(0).all()


def test_term_score_rows_are_term_sentences_scored(sample_articles):
    terms = ["flood", "Weber|minister"]
    ts = T.term_sentences(sample_articles, terms)
    for method in ("news", "vader"):
        got = T._term_score_rows(sample_articles, terms, method=method)
        assert got["article_id"].tolist() == ts["article_id"].tolist() and got["term"].tolist() == ts["term"].tolist()
        np.testing.assert_array_equal(got["score"].to_numpy(), T.term_scores(ts, terms, method=method))


def test_term_sentences_take_an_index_of_the_same_articles(sample_articles):
    from newsdesk.search import TextIndex

    cover = [sample_articles["title"].fillna(""), sample_articles["body"]]
    index = TextIndex(S._no_texts, n=len(sample_articles), cover=cover)
    want = T.term_sentences(sample_articles, ["flood"])
    pd.testing.assert_frame_equal(T.term_sentences(sample_articles, ["flood"], index=index), want)
    for text in (True, False):
        sents = S.sentences(sample_articles, text=text)
        pd.testing.assert_frame_equal(T.term_sentences(sample_articles, ["flood"], index=index, sents=sents), want)
    with pytest.raises(ValueError, match="one text per article"):
        T.term_sentences(sample_articles.iloc[:5], ["flood"], index=index)


@pytest.mark.parametrize("a, b, first, inverse", [
    (["x", "y", "x"], [1, 1, 1], [0, 1], [0, 1, 0]),
    (["x", "x", "x"], ["t", "u", "t"], [0, 1], [0, 1, 0]),
    (["x", None, None, "x"], ["t", "t", "t", "t"], [0, 1], [0, 1, 1, 0]),
    ([], [], [], []),
])
def test_first_of_pairs(a, b, first, inverse):
    f, inv = S._first_of_pairs(pd.Series(a, dtype=object), pd.Series(b, dtype=object))
    assert f.tolist() == first and inv.tolist() == inverse


def test_term_scores_of_repeated_sentences_equal_scoring_every_row(sample_articles):
    terms = ["flood", "Weber|minister"]
    ts = T.term_sentences(sample_articles, terms)
    ts = pd.concat([ts, ts.iloc[::-1]], ignore_index=True)        # every (term, text) twice
    texts = ts["text"].tolist()
    want = S.target_scores(texts, S._term_spans(ts["term"].tolist(), texts, terms, regex=False))
    got = T.term_scores(ts, terms)
    assert len(got) == len(ts) and np.isfinite(got).all()
    np.testing.assert_array_equal(got, want)


def test_article_tone_cuts_the_extreme_sentences_of_scores_alone(sample_articles):
    sents = S.sentences(sample_articles)
    for method in ("news", "vader"):
        want = T.article_tone(sample_articles, sents=sents, method=method)
        got = T.article_tone(sample_articles, sents=sents.drop(columns="text"), method=method)
        pd.testing.assert_frame_equal(got, want)
        pd.testing.assert_frame_equal(T.article_tone(sample_articles, method=method), want)
        assert want["most_positive"].notna().any() and want["most_negative"].notna().any()
        assert want["most_positive"].isna().any()   # below the threshold: no sentence shown


def test_mean_is_numpys_mean_bit_for_bit():
    rng = np.random.default_rng(1)
    for n in range(1, 13):
        for _ in range(300):
            v = rng.uniform(-1, 1, size=n).tolist()
            assert T._mean(v) == float(np.mean(v))


def test_speaker_tone_does_not_depend_on_the_frame_index():
    q = pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4", "a5", "a6"],
        "speaker": ["B", "B", "C", "C", "A", "A"],
        "speaker_kind": ["person"] * 6,
        "quote": ["Good.", "Bad. Awful.", "Fine.", "...", "Great.", "Terrible!"],
    })
    want = T.speaker_tone(q, min_quotes=1, top=2)
    for index in ([5, 4, 3, 2, 1, 0], [0, 0, 1, 1, 2, 2]):          # reordered, then duplicated labels
        pd.testing.assert_frame_equal(T.speaker_tone(q.set_axis(index), min_quotes=1, top=2), want)


def test_a_term_no_sentence_mentions_is_said_on_the_term_chart():
    """Issue 18: 02's tone-toward-each-term chart dropped an unmatched term without a word."""
    t = pd.DataFrame({"term": ["flood", "zebra"], "n_sentences": [12, 0], "n_articles": [5, 0],
                      "mean": [-0.3, np.nan], "ci_low": [-0.4, np.nan], "ci_high": [-0.2, np.nan]})
    assert "no sentence mentions zebra" in T.plot_term_tone(t).axes[0].get_title()
    assert "no sentence mentions" not in T.plot_term_tone(t.iloc[:1]).axes[0].get_title()


def test_rolling_tone_needs_the_whole_window():
    tone = pd.DataFrame({"tone": [0.2, -0.4], "date": pd.to_datetime(["2020-01-06", "2020-02-07"])})
    tot = T.tone_over_time(tone, "month", rolling=3)
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
                          "compound": [V.polarity(text_in)["compound"]], "text": [text_in]})
    news = T.term_tone(arts, [term], sents=sents)
    vader = T.term_tone(arts, [term], sents=sents, method="vader")
    assert news.attrs["method"] == "news" and vader.attrs["method"] == "vader"
    assert np.sign(news["mean"].iloc[0]) == news_sign
    assert vader["mean"].iloc[0] == pytest.approx(V.polarity(text_in)["compound"])   # VADER mode unchanged


def test_term_tone_refuses_an_unknown_method():
    with pytest.raises(ValueError, match="news"):
        T.term_tone(pd.DataFrame(), ["x"], method="bert")


@pytest.mark.parametrize("quotes, kw", [
    (pd.DataFrame(columns=["article_id", "quote", "speaker", "speaker_kind"]), {}),                   # no quotes
    (pd.DataFrame(columns=["article_id", "quote", "speaker", "speaker_kind"]), {"top": 10, "kinds": ["person"]}),
    (pd.DataFrame({"article_id": ["a"], "quote": ["We will win."], "speaker": [None],
                   "speaker_kind": ["unknown"]}), {"top": 10}),                                       # no speaker
])
def test_speaker_tone_of_no_quotes_is_an_empty_typed_frame(quotes, kw):
    """issue 22: ``nlargest`` on the object column of an empty frame raised TypeError."""
    out = T.speaker_tone(quotes, **kw)
    assert out.empty and list(out.columns) == ["speaker", "n_quotes", "n_articles", "mean", "ci_low", "ci_high"]
    assert out["n_quotes"].dtype == "int64" and out["mean"].dtype == "float64"
    _check_chart(T.plot_speaker_tone(out))


def test_article_tone_default_is_the_news_models_mean(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False)
    sents = S.sentences(arts)
    news, vader = T.article_tone(arts, sents=sents), T.article_tone(arts, sents=sents, method="vader")
    assert news.attrs["method"] == "news" and vader.attrs["method"] == "vader"
    body = sents[~sents["headline"]]
    expected = body.groupby("article_id")["news"].mean()
    got = news.set_index("article_id")["tone"].dropna()
    assert np.allclose(got.to_numpy(), expected.reindex(got.index).to_numpy())
    assert (news["tone"].dropna() != vader["tone"].dropna()).any()
    assert T.tone_by(news, "section").attrs["method"] == "news"
    assert "news" in T.summary(news, sents).loc["score", "value"]
    with pytest.raises(ValueError, match="method"):
        T.article_tone(arts, sents=sents, method="bert")


@pytest.mark.parametrize("body, speaker, sign", [
    ("“We rebuilt the bridge,” said Ann Lee. Critics praised Ann Lee for the rescue.", "Ann Lee", 1),
    ("Critics accused Bob Roe of lying. “I did nothing wrong,” Bob Roe said, as protesters attacked him.", "Bob Roe", -1),
])
def test_speaker_tone_is_toward_the_speaker_at_the_mention(body, speaker, sign):
    """With articles, each quote is scored in the body sentence holding the speaker's mention."""
    start = body.index("“") + 1
    end = body.index("”")
    arts = pd.DataFrame({"article_id": ["a"], "title": ["t"], "body": [body], "text_offset": [0],
                         "text_length": [len(body)]})
    quotes = pd.DataFrame({"article_id": ["a"], "quote": [body[start:end]], "speaker": [speaker],
                           "speaker_mention": [speaker], "cue": ["said"], "start": [start], "end": [end]})
    texts, spans = T._mention_sentences(quotes, "speaker", arts)
    assert texts[0][spans[0][0]:spans[0][1]] == speaker and texts[0] in body
    out = T.speaker_tone(quotes, min_quotes=1, articles=arts)
    assert out.attrs["method"] == "news" and out["n_quotes"].tolist() == [1]
    assert out["mean"].iloc[0] == pytest.approx(S.target_scores(texts, spans)[0])
    # without the articles: the attribution written out, still toward the speaker
    alone = T.speaker_tone(quotes, min_quotes=1)
    assert alone["mean"].between(-1, 1).all()


def test_mention_sentences_from_the_store_are_the_spans_split_here(sample_articles):
    """The stored body sentences speaker_tone reads are split_sentences' spans over the clean text,
    in order and not overlapping (so the last one starting at or before an offset is the one
    that can hold it)."""
    from newsdesk.text import split_sentences

    sp = T._body_sentences(sample_articles, np.arange(len(sample_articles)))
    cuts: dict = {}
    for aid, a_, b_ in zip(sp["article_id"], sp["start"], sp["end"]):
        cuts.setdefault(aid, []).append((a_, b_))
    assert len(cuts) > 0.9 * len(sample_articles)
    for aid, body, off, length in zip(sample_articles["article_id"], sample_articles["body"],
                                      sample_articles["text_offset"], sample_articles["text_length"]):
        o = int(off)
        assert cuts.get(aid, []) == [(o + a, o + b) for a, b in split_sentences(body[o:o + int(length)])], aid


def test_speaker_tone_news_keeps_clustered_intervals(sample_articles):
    from newsdesk import speakers as nq

    q = nq.quotes(sample_articles)
    news = T.speaker_tone(q, min_quotes=3, top=10, articles=sample_articles)
    vader = T.speaker_tone(q, min_quotes=3, top=10, method="vader")
    assert sorted(news["speaker"]) == sorted(vader["speaker"])      # the same speakers, scored differently
    assert (news["ci_low"] <= news["mean"]).all() and (news["mean"] <= news["ci_high"]).all()
    assert news["mean"].between(-1, 1).all()


@pytest.mark.parametrize("freq, rolling, message", [
    ("fortnight", 1, "freq must be one of day, week, month, quarter, year"),
    ("month", 0, "rolling must be a whole number of periods"),
    ("month", 1.5, "rolling must be a whole number of periods"),
])
def test_tone_over_time_checks_freq_and_rolling_as_timeline_does(freq, rolling, message):
    tone = pd.DataFrame({"date": pd.to_datetime(["2023-10-22"]), "tone": [0.1]})
    with pytest.raises(ValueError, match=message):
        T.tone_over_time(tone, freq, rolling=rolling)


@pytest.mark.parametrize("text_in, expected", [
    (("Lee", "Ann Lee said. Leeds. Lee, Lee_x, xLee Lee"), [4, 21, 38]),
    (("A A", "A A A A"), [0, 4]),
    (("Émile", "Émile, Émiles Émile"), [0, 14]),
    (("Lee", ""), []),
])
def test_mention_pattern_is_the_whole_word_search(text_in, expected):
    import re

    mention, text = text_in
    got = [m.start() for m in T._mention_pattern(mention).finditer(text)]
    assert got == expected
    assert got == [m.start() for m in re.compile(r"(?<!\w)" + re.escape(mention) + r"(?!\w)").finditer(text)]
    for lo in range(len(text)):      # a window's start sees the character before it, as the assertion does
        want = [m.start() for m in re.compile(r"(?<!\w)" + re.escape(mention) + r"(?!\w)").finditer(text, lo)]
        assert [m.start() for m in T._mention_pattern(mention).finditer(text, lo)] == want


@pytest.mark.parametrize("sentences, queries, expected", [
    # in a sentence, in a gap, before the first, at an end (outside), at a start; an article without any
    ({"a": [(3, 8)], "b": [(0, 5), (6, 10)]},
     [("a", 4), ("a", 2), ("a", 8), ("b", 5), ("b", 6), ("b", 9), ("c", 0)],
     [(3, 8, True), (-1, -1, True), (-1, -1, True), (-1, -1, True), (6, 10, True), (6, 10, True), (-1, -1, False)]),
    # the sentences out of order (articles and starts): found as when in order
    ({"b": [(6, 10), (0, 5)], "a": [(20, 30), (3, 8)]},
     [("b", 0), ("b", 7), ("a", 25), ("a", 9), ("a", 3)],
     [(0, 5, True), (6, 10, True), (20, 30, True), (-1, -1, True), (3, 8, True)]),
    ({}, [("a", 0)], [(-1, -1, False)]),
])
def test_sentences_at_finds_the_stored_sentence_holding_each_offset(monkeypatch, sentences, queries, expected):
    sp = pd.DataFrame([(aid, a, b) for aid, spans in sentences.items() for a, b in spans],
                      columns=["article_id", "start", "end"]).astype({"article_id": "str", "start": "int64", "end": "int64"})
    monkeypatch.setattr(T, "_body_sentences", lambda arts, rows: sp[sp["article_id"].isin(arts["article_id"].iloc[rows])])
    arts = pd.DataFrame({"article_id": ["a", "b", "c"], "content_hash": ["1", "2", "3"]})
    rows, offsets = [["a", "b", "c"].index(aid) for aid, _ in queries], [o for _, o in queries]
    got = T._sentences_at(arts, np.array(rows), np.array(offsets))
    assert list(zip(*(g.tolist() for g in got))) == expected
    # a frame made by hand (no content_hash) has no stored sentences
    bare = T._sentences_at(arts.drop(columns=["content_hash"]), np.array(rows), np.array(offsets))
    assert [g.tolist() for g in bare] == [[-1] * len(rows), [-1] * len(rows), [False] * len(rows)]


def test_mention_sentences_from_the_store_equal_those_split_here(sample_articles):
    """The stored sentences (found by bisection) give the texts that splitting each body here gives."""
    from newsdesk import speakers as nq

    q = nq.quotes(sample_articles)
    stored = T._mention_sentences(q, "speaker", sample_articles)
    here = T._mention_sentences(q, "speaker", sample_articles.drop(columns=["content_hash"]))
    assert stored == here
    assert sum(t != f"{m} {c} “{x}”" for t, m, c, x in zip(stored[0], q["speaker_mention"], q["cue"], q["quote"])) > 0.5 * len(q)


def test_term_scores_are_kept_for_the_next_caller_on_the_same_articles(sample_articles, monkeypatch, tmp_path):
    from newsdesk import config, search

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(search, "_INDEX_CACHE", {})

    terms = ["flood", "Weber|minister"]
    sents = S.sentences(sample_articles, text=False)
    want = {m: T.term_tone(sample_articles, terms, sents=sents, method=m) for m in ("news", "vader")}
    for method in ("news", "vader"):   # sentences given: nothing kept; without: the same table, kept
        pd.testing.assert_frame_equal(T.term_tone(sample_articles, terms, method=method), want[method])
    kept = list((config.CACHE_DIR / "hits").glob(f"{len(sample_articles)}-*/*.npz"))
    assert len(kept) == 4                                               # two terms, two methods
    monkeypatch.setattr(search, "_INDEX_CACHE", {})                     # as in a new process
    real = T._term_hits
    monkeypatch.setattr(T, "_term_hits", lambda *a, **k: pytest.fail("searched and scored again"))
    for method in ("news", "vader"):
        pd.testing.assert_frame_equal(T.term_tone(sample_articles.copy(), terms, method=method), want[method])
    # one new term: only it is searched and scored, and the rows keep the terms' order
    asked = []
    monkeypatch.setattr(T, "_term_hits", lambda a, series, **k: asked.append(list(series)) or real(a, series, **k))
    got = T._term_score_rows(sample_articles, ["flood", "river", "Weber|minister"])
    assert asked == [["river"]]
    ts = T.term_sentences(sample_articles, ["flood", "river", "Weber|minister"])
    assert got["article_id"].tolist() == ts["article_id"].tolist() and got["term"].tolist() == ts["term"].tolist()
    np.testing.assert_array_equal(got["score"].to_numpy(), T.term_scores(ts, ["flood", "river", "Weber|minister"]))


def test_kept_term_scores_that_do_not_check_out_or_other_articles_are_scored_again(sample_articles, monkeypatch,
                                                                                 tmp_path):
    from newsdesk import config, search

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(search, "_INDEX_CACHE", {})

    want = T._term_score_rows(sample_articles, ["flood"])
    [path] = (config.CACHE_DIR / "hits").glob(f"{len(sample_articles)}-*/*.npz")
    path.write_bytes(path.read_bytes()[:-1] + b"x")                     # damaged: its SHA-1 fails
    monkeypatch.setattr(search, "_INDEX_CACHE", {})
    pd.testing.assert_frame_equal(T._term_score_rows(sample_articles, ["flood"]), want)
    assert search.HitsFolder(path.parent).load_arrays("x", 1) is None and path.stat().st_size > 20
    gone = want["article_id"].iloc[0]                                   # other articles: scored anew
    part = T._term_score_rows(sample_articles[sample_articles["article_id"] != gone], ["flood"])
    pd.testing.assert_frame_equal(part, want[want["article_id"] != gone].reset_index(drop=True))
    # without the cache (or with sentences given) nothing is kept
    for p in (config.CACHE_DIR / "hits").rglob("*.npz"):
        p.unlink()
    T._term_score_rows(sample_articles, ["flood"], cache=False)
    T._term_score_rows(sample_articles, ["flood"], sents=S.sentences(sample_articles, text=False))
    assert not list((config.CACHE_DIR / "hits").rglob("*.npz"))


def test_body_sentences_take_the_bodies_only_to_fill_an_article_the_store_lacks(sample_dir, tmp_path, monkeypatch):
    import newsdesk as nd
    from newsdesk import config, store

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    arts = nd.load_corpus(sample_dir)
    rows = np.arange(0, len(arts), 3)
    read, real = [], store.get
    monkeypatch.setattr(store, "get", lambda a, kind, **k: read.append("body" in a.columns) or real(a, kind, **k))
    first = T._body_sentences(arts, rows)            # an empty store: the bodies are read to fill it
    again = T._body_sentences(arts, rows)            # filled: only ids and hashes are taken
    assert read == [True, False]
    pd.testing.assert_frame_equal(first, again)
    assert set(first["article_id"]) == set(arts["article_id"].iloc[rows])
