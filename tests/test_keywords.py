"""Keywords: weighted log-odds with an informative prior, distinctive terms of a period,
keyword-in-context lines, collocations, and the keywords notebook."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from newsdesk import keywords, wordcount
from newsdesk import resources as R
import reportkit as kit


def frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["date", "title", "text"])
    df["date"] = pd.to_datetime(df["date"])
    df["article_id"] = [f"a{i}" for i in range(len(df))]
    return df


# --------------------------------------------------------------------------- log-odds
def test_log_odds_known_value():
    # Monroe et al. eq. 16 with the pooled counts as prior: alpha = (10, 10), alpha0 = 20
    lo = keywords.log_odds({"flood": 8, "vote": 2}, {"flood": 2, "vote": 8}).set_index("term")
    delta = math.log(18 / (10 + 20 - 18)) - math.log(12 / (10 + 20 - 12))
    se = math.sqrt(1 / 18 + 1 / 12)
    assert lo.loc["flood", "log_odds"] == pytest.approx(delta)
    assert lo.loc["flood", "z"] == pytest.approx(delta / se)
    assert lo.loc["vote", "z"] == pytest.approx(-delta / se)


def test_log_odds_is_antisymmetric_and_zero_for_equal_rates():
    a, b = {"x": 5, "y": 10, "z": 1}, {"x": 10, "y": 20, "z": 9}
    ab = keywords.log_odds(a, b).set_index("term")["z"]
    ba = keywords.log_odds(b, a).set_index("term")["z"]
    assert (ab + ba).abs().max() == pytest.approx(0, abs=1e-12)
    assert ab["x"] == pytest.approx(ab["y"], abs=0.5)  # same rate in both: near zero
    assert abs(ab["x"]) < 0.5


def test_log_odds_ranking_needs_evidence_not_just_a_ratio():
    # "rare" is 2 vs 0 (infinite raw ratio); "common" 60 vs 20 in groups of equal size: common wins
    a = {"rare": 2, "common": 60, "other": 938}
    b = {"rare": 0, "common": 20, "other": 980}
    lo = keywords.log_odds(a, b)
    assert lo["term"].tolist()[0] == "common"


def test_log_odds_prior_and_alpha0():
    lo = keywords.log_odds({"a": 5}, {"b": 5}, prior={"a": 1.0}, alpha0=10)
    assert set(lo["term"]) == {"a", "b"} and lo["z"].notna().all()
    with pytest.raises(ValueError, match="alpha0"):
        keywords.log_odds({"a": 1}, {"a": 1}, alpha0=0)


# --------------------------------------------------------------------------- distinctive terms
PERIOD_ROWS = (
    [("2016-07-%02d" % d, "Flood", "The river flood forced evacuations and the flood kept rising.") for d in range(1, 11)]
    + [("2016-%02d-15" % m, "Vote", "The vote count and the campaign went on. The river was calm.") for m in range(1, 7)]
    + [("2016-%02d-20" % m, "Budget", "The budget vote was delayed by the campaign.") for m in range(8, 13)]
)


def test_distinctive_terms_ranks_the_period_words_first():
    t = keywords.distinctive_terms(frame(PERIOD_ROWS), period_from="2016-07-01", period_to="2016-07-31", top_n=5)
    assert t["term"].tolist()[:2] in (["flood", "evacuations"], ["evacuations", "flood"],
                                      ["flood", "forced"], ["forced", "flood"], ["flood", "rising"])
    assert t["term"].iloc[0] == "flood" or "flood" in t["term"].tolist()[:4]
    assert "vote" not in t["term"].tolist() and "campaign" not in t["term"].tolist()
    assert "river" not in t["term"].tolist()[:1]        # used inside and outside the period
    assert (t["z"].diff().dropna() <= 0).all()
    assert t.attrs["articles_period"] == 10 and t.attrs["articles_rest"] == 11


def test_distinctive_terms_article_unit_resists_one_long_article():
    rows = [("2016-07-%02d" % d, "Storm", "The storm hit the coast again.") for d in range(1, 9)]
    rows += [("2016-07-20", "Profile", "Grayson " * 60)]
    rows += [("2016-%02d-10" % m, "Other", "Markets were calm and the coast was quiet.") for m in range(1, 7)]
    arts = frame(rows)
    by_article = keywords.distinctive_terms(arts, period_from="2016-07", period_to="2016-07", min_count=1)
    by_token = keywords.distinctive_terms(arts, period_from="2016-07", period_to="2016-07", min_count=1, unit="token")
    assert set(by_article["term"].iloc[:2]) == {"storm", "hit"}       # in 8 of the 9 articles
    assert by_token["term"].iloc[0] == "grayson"                       # 60 uses in one article


def test_distinctive_terms_without_a_period_are_the_whole_corpus_words():
    t = keywords.distinctive_terms(frame(PERIOD_ROWS), top_n=3, min_count=1)
    assert t.attrs["whole_corpus"] and t.attrs["articles_rest"] == 0 and "whole corpus" in t.attrs["summary"]
    assert t["count_period"].is_monotonic_decreasing and list(t.columns) == ["term", "count_period", "rate_period"]
    assert keywords.plot_keywords(frame(PERIOD_ROWS), table=t).axes[0].get_title().startswith("Words used in the most")


def test_focus_says_why_there_is_no_spike():
    f = keywords.focus(frame(PERIOD_ROWS[:2]), "flood")
    assert "too short to find a spike" in f["note"] and f["period_from"] == "" and f["highlight"] is None


def test_focus_chooses_a_term_from_the_corpus():
    rows = [(d, "t", "The river rose, said Ann Lee. Lee left.") for d, _, _ in PERIOD_ROWS[:10]] + list(PERIOD_ROWS[10:])
    f = keywords.focus(frame(rows), "")
    assert f["term"] == "Lee" and f["note"].startswith("Term chosen from the corpus")
    assert f["period_from"] == "2016-07-01"                    # where Ann Lee is mentioned: the spike


@pytest.mark.parametrize("kw, message", [
    ({"period_from": "2016-08-01", "period_to": "2016-07-01"}, "(?i)swap"),
])
def test_distinctive_terms_errors(kw, message):
    with pytest.raises(ValueError, match=message):
        keywords.distinctive_terms(frame(PERIOD_ROWS), **kw)


@pytest.mark.parametrize("kw, note", [
    ({"period_from": "2030-01-01"}, "no articles"),
    ({"period_from": "2015-01-01", "period_to": "2017-01-01"}, "rest of the corpus"),   # one period: all of it
])
def test_a_period_with_nothing_to_compare_gives_an_empty_table_that_says_why(kw, note):
    t = keywords.distinctive_terms(frame(PERIOD_ROWS), **kw)
    assert t.empty and list(t.columns) == ["term", "count_period", "count_rest", "rate_period", "rate_rest",
                                           "log_odds", "z"]
    assert note in t.attrs["note"] and t.attrs["summary"].endswith(t.attrs["note"])
    fig = keywords.plot_keywords(frame(PERIOD_ROWS), table=t)
    assert any(note in x.get_text() for x in fig.axes[0].texts)


def test_duplicates_count_once():
    arts = frame(PERIOD_ROWS[:2])
    arts["duplicate_of"] = pd.Series([None, "a0"], dtype="str")
    assert wordcount.word_counts(arts)["flood"] == 1


# --------------------------------------------------------------------------- KWIC
@pytest.mark.parametrize("text_in, cc, expected", [
    ("Heavy rain.  The flood hit the town on Monday.", 12, ("rain. The", "flood", "hit the")),
    ("Flood at the start", 20, ("", "Flood", "at the start")),
    ("a\nflood\nb", 5, ("a", "flood", "b")),
    ("The flood", 0, ("", "flood", "")),
])
def test_kwic_context(text_in, cc, expected):
    k = keywords.kwic(frame([("2016-07-01", "T", text_in)]), "flood", context_chars=cc)
    assert tuple(k.iloc[0][["left", "match", "right"]]) == expected


def test_kwic_has_date_title_and_body_offsets(tmp_path):
    import newsdesk as nd

    d = tmp_path / "c"
    d.mkdir()
    (d / "a.txt").write_text("## Title: Rain news\n## Section: World\n## Date: 2016-07-02\n\nRain news\n"
                             "The flood came. Another flood.\n- AFP\n", encoding="utf-8")
    (d / "b.txt").write_text("## Title: Earlier\n## Section: World\n## Date: 2016-07-01\n\nA FLOOD warning.\n",
                             encoding="utf-8")
    arts = nd.load_corpus(d, cache=False)
    k = keywords.kwic(arts, "flood", context_chars=20)
    assert k["title"].tolist() == ["Earlier", "Rain news", "Rain news"]       # oldest first
    body = dict(zip(arts["article_id"], arts["body"]))
    for _, r in k.iterrows():
        assert body[r["article_id"]][r["start"]:r["start"] + len(r["match"])] == r["match"]
    assert len(keywords.kwic(arts, "flood", limit=2)) == 2
    assert len(keywords.kwic(arts, "flood", period_from="2016-07-02", period_to="2016-07-02")) == 2


def test_kwic_regex_only_with_prefix():
    arts = frame([("2016-07-01", "T", "Floods and flooding.")])
    assert len(keywords.kwic(arts, "flood")) == 0
    assert keywords.kwic(arts, "re:flood\\w*")["match"].tolist() == ["Floods", "flooding"]


# --------------------------------------------------------------------------- collocations
PORT = ["Ships reached Port Arden today.", "Port Arden officials met.", "Trade through Port Arden grew.",
        "Storms closed Port Arden briefly.", "Fishermen left Port Arden early.", "Visitors praised Port Arden warmly."]
COLLOC_ROWS = [("2016-07-%02d" % (i + 1), "T", f"{s} Officials of the port were pleased. Rain stopped. Boats sailed.")
               for i, s in enumerate(PORT)]


def test_collocations_find_the_fixed_pair_and_skip_stop_words():
    c = keywords.collocations(frame(COLLOC_ROWS), top_n=5, min_count=3)
    # the three pairs seen in every article, and nothing seen once ("officials met") or with a stop word
    assert set(c["bigram"]) == {"port arden", "rain stopped", "boats sailed"}
    assert c.set_index("bigram").loc["port arden", "count"] == 6
    # "port" also stands alone ("of the port"), so the pair is less tightly bound than the other two
    assert c["bigram"].iloc[-1] == "port arden"
    assert not any(w in R.STOP_WORDS for w in list(c["w1"]) + list(c["w2"]))


def test_collocations_never_span_a_sentence():
    c = keywords.collocations(frame(COLLOC_ROWS), top_n=50, min_count=1)
    assert {"rain stopped", "boats sailed"} <= set(c["bigram"])
    assert "stopped boats" not in c["bigram"].tolist()
    assert "today officials" not in c["bigram"].tolist()


def test_collocations_of_a_term_and_measures():
    c = keywords.collocations(frame(COLLOC_ROWS), top_n=10, min_count=1, term="arden")
    assert len(c) >= 2 and all("arden" in (a, b) for a, b in zip(c["w1"], c["w2"]))
    pmi = keywords.collocations(frame(COLLOC_ROWS), top_n=3, min_count=3, measure="pmi")
    assert len(pmi) >= 1
    with pytest.raises(ValueError, match="measure"):
        keywords.collocations(frame(COLLOC_ROWS), measure="magic")


def _nltk_top(words, pairs, measure, top_n, min_count):
    """collocations as first written: NLTK's finder scores every pair itself."""
    from nltk.collocations import BigramCollocationFinder
    from nltk.metrics import BigramAssocMeasures
    from nltk.probability import FreqDist

    finder = BigramCollocationFinder(FreqDist(words), FreqDist(pairs))
    finder.apply_freq_filter(min_count)
    scored = finder.score_ngrams(getattr(BigramAssocMeasures, measure))
    return pd.DataFrame([(f"{a} {b}", a, b, finder.ngram_fd[(a, b)], sc) for (a, b), sc in scored[:top_n]],
                        columns=["bigram", "w1", "w2", "count", "score"])


@pytest.mark.parametrize("measure", keywords.MEASURES)
@pytest.mark.parametrize("top_n, min_count", [(0, 1), (1, 1), (7, 1), (20, 2), (10_000, 1), (-3, 1)])
def test_best_pairs_rank_and_score_as_nltk_finder_does(sample_articles, measure, top_n, min_count):
    from collections import Counter

    words, pairs = Counter(), Counter()
    for t in wordcount._texts(sample_articles.head(120)):
        w, p = wordcount.article_counts(t)
        words.update(w)
        pairs.update(p)
    got = keywords._best_pairs(*keywords._pair_arrays(words, pairs, min_count, None), measure=measure, top_n=top_n)
    pd.testing.assert_frame_equal(got, _nltk_top(words, pairs, measure, top_n, min_count), check_exact=True)

def test_best_pairs_keep_nltk_order_among_tied_scores():
    words = {"a": 4, "b": 4, "c": 4, "d": 4, "e": 4, "f": 4}
    pairs = {("e", "f"): 2, ("c", "d"): 2, ("a", "b"): 2, ("b", "a"): 1}   # three pairs with the same score
    for top_n in (1, 2, 3):
        got = keywords._best_pairs(*keywords._pair_arrays(words, pairs, 1, None), measure="likelihood_ratio",
                                   top_n=top_n)
        pd.testing.assert_frame_equal(got, _nltk_top(words, pairs, "likelihood_ratio", top_n, 1))
        assert got["bigram"].tolist() == ["a b", "c d", "e f"][:top_n]


# --------------------------------------------------------------------------- notebook
NB = Path(__file__).resolve().parents[1] / "notebooks" / "05-keywords.ipynb"


def _run(tmp_path, params):
    import nbformat
    import papermill as pm

    out = tmp_path / "out.ipynb"
    with kit.private_kernel() as kernel:
        pm.execute_notebook(str(NB), str(out), parameters=params, kernel_name="newsdesk", cwd=str(NB.parent),
                            progress_bar=False, **kernel)
    return nbformat.read(str(out), as_version=4)


def _outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if kind in o.get("data", {})]


def test_notebook_05_conventions():
    import ast

    import nbformat

    nb = nbformat.read(str(NB), as_version=4)
    assert nb.cells[0].cell_type == "markdown"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and nb.cells[1] is tagged[0]
    names = [n.target.id for n in ast.parse(tagged[0].source).body if isinstance(n, ast.AnnAssign)]
    assert names == ["corpus", "term", "date_from", "date_to", "sections", "where", "period_from", "period_to",
                     "top_n", "context_chars"]
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert nb.metadata["kernelspec"]["name"] == "newsdesk"


@pytest.mark.slow
def test_notebook_05_runs_on_the_sample(tmp_path):
    nb = _run(tmp_path, {"top_n": 10})
    assert len(_outputs(nb, "image/png")) == 2
    html = "".join(o["data"]["text/html"] for o in _outputs(nb, "text/html"))
    assert "flood" in html.lower()


@pytest.mark.slow
@pytest.mark.shared
def test_notebook_05_runs_on_polnear_dev(tmp_path, polnear_dev):
    nb = _run(tmp_path, {"corpus": str(polnear_dev), "term": "Clinton", "period_from": "2016-09-26",
                         "period_to": "2016-10-07", "top_n": 15, "context_chars": 80})
    assert len(_outputs(nb, "image/png")) == 2


def test_plot_keywords_draws_the_ranking_top_down():
    arts = frame(PERIOD_ROWS)
    table = keywords.distinctive_terms(arts, period_from="2016-07-01", period_to="2016-07-31", min_count=1)
    fig = keywords.plot_keywords(arts, table=table, top_n=3)
    ax = fig.axes[0]
    shown = [t.get_text() for t in sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])]
    assert shown == table["term"].tolist()[:3]
    assert "2016-07-01" in ax.get_title()
    again = keywords.plot_keywords(arts, period_from="2016-07-01", period_to="2016-07-31", min_count=1, top_n=3)
    assert [t.get_text() for t in again.axes[0].get_yticklabels()] == [t.get_text() for t in ax.get_yticklabels()]


def test_peak_period_ignores_near_empty_periods():
    rows = [("2016-01-%02d" % d, "Flood" if d < 8 else "Other", "") for d in range(1, 21)]   # 7 of 20
    rows += [("2016-02-%02d" % d, "Flood" if d < 13 else "Other", "") for d in range(1, 21)]  # 12 of 20
    rows += [("2016-03-05", "Flood", "")]                                                     # 1 of 1
    assert keywords.peak_period(frame(rows), "flood") == ("2016-02-01", "2016-02-29")
    with pytest.raises(ValueError, match="not mentioned"):
        keywords.peak_period(frame(rows), "drought")


# --------------------------------------------------------------------------- stored counts give what direct counts give
@pytest.fixture(scope="module")
def sample_articles(sample_dir):
    import newsdesk as nd

    return nd.load_corpus(sample_dir)


def _direct(articles: pd.DataFrame) -> pd.DataFrame:
    """The same articles without a content hash: keywords tokenizes every text itself."""
    return articles.drop(columns=["content_hash"])


@pytest.mark.parametrize("unit", ["article", "token"])
def test_stored_counts_equal_direct_counts(sample_articles, unit):
    assert wordcount.word_counts(sample_articles, unit=unit) == wordcount.word_counts(_direct(sample_articles), unit=unit)
    kw = dict(period_from="2023-04-01", period_to="2023-04-30", unit=unit)
    stored = keywords.distinctive_terms(sample_articles, **kw)
    direct = keywords.distinctive_terms(_direct(sample_articles), **kw)
    pd.testing.assert_frame_equal(stored, direct)
    assert stored.attrs == direct.attrs


@pytest.mark.parametrize("unit", ["article", "token"])
def test_stored_distinctive_terms_leave_duplicates_out_as_direct_counts_do(sample_articles, unit):
    arts = sample_articles.copy()
    dup = arts.index[::7]                                 # some articles marked as exact duplicates
    arts.loc[dup, "duplicate_of"] = arts["article_id"].iloc[0]
    kw = dict(period_from="2023-04-01", period_to="2023-04-30", unit=unit)
    stored = keywords.distinctive_terms(arts, **kw)
    pd.testing.assert_frame_equal(stored, keywords.distinctive_terms(_direct(arts), **kw))
    assert stored.attrs["articles_period"] + stored.attrs["articles_rest"] == len(arts) - len(dup)


@pytest.mark.parametrize("kw", [
    {}, {"term": "flood|river"}, {"period_from": "2023-04-01", "period_to": "2023-04-30"},
    {"measure": "pmi", "min_count": 2}, {"term": "nosuchword"}, {"measure": "raw_freq", "top_n": 50},
])
def test_stored_collocations_equal_direct_collocations(sample_articles, kw):
    stored = keywords.collocations(sample_articles, **kw)
    direct = keywords.collocations(_direct(sample_articles), **kw)
    pd.testing.assert_frame_equal(stored, direct)


@pytest.mark.parametrize("start, freq, expected", [
    ("2023-01-02", "day", ("2023-01-02", "2023-01-02")),
    ("2023-01-02", "week", ("2023-01-02", "2023-01-08")),
    ("2023-02-01", "month", ("2023-02-01", "2023-02-28")),
    ("2023-04-01", "quarter", ("2023-04-01", "2023-06-30")),
    ("2024-01-01", "year", ("2024-01-01", "2024-12-31")),
])
def test_period_days_for_every_freq(start, freq, expected):
    assert keywords._period_days(pd.Timestamp(start), freq) == expected
