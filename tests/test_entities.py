"""Names mentioned, and the subjects a report charts by default when the user gives none."""
from __future__ import annotations

import pandas as pd
import pytest

from newsdesk import entities as E


@pytest.mark.parametrize("text_in, expected", [
    ("Donald Trump spoke. Later Trump left.", {"Donald Trump": 2}),            # a surname joins the full name
    ("Despite the rain, Russia and Iran met.", {"Russia": 1, "Iran": 1}),      # places are subjects
    ("Hastily, the talks ended.", {}),                                         # a sentence opener is no name
    ("Residents of Halden fled. Officials said so.", {"Halden": 1}),           # a group is not the name
    ("Sen. Ted Cruz said so. Mr. Cruz left.", {"Ted Cruz": 2}),                # titles dropped
    ("It was Trump's day, the White House said.", {"Trump": 1, "White House": 1}),
])
def test_names_in(text_in, expected):
    assert E.names_in(text_in) == expected


def test_outlets_are_not_subjects():
    arts = pd.DataFrame({"article_id": ["a", "b"], "title": ["x", "y"], "publisher": ["Politico", "Politico"],
                         "body": ["x\nPolitico reports that Iran agreed.", "y\nIran, Politico learned, agreed."]})
    assert E.top_subjects(arts)["name"].tolist() == ["Iran"]


@pytest.mark.parametrize("terms, given", [("flood", True), (["a", "b"], True), ("", False), ([], False), (None, False)])
def test_terms_or_auto(terms, given):
    arts = pd.DataFrame({"article_id": ["a"], "title": ["x"], "body": ["x\nSaid Ann Lee of Halden."]})
    chosen, note = E.terms_or_auto(arts, terms)
    assert (chosen == terms) == given
    assert note.startswith("Terms as given" if given else "Subjects chosen from the corpus")


def test_no_names_at_all_falls_back_to_the_most_used_words():
    arts = pd.DataFrame({"article_id": ["a", "b"], "title": ["x", "y"],
                         "text": ["the river rose and the river fell.", "the river was calm."]})
    terms, note = E.terms_or_auto(arts, "")
    assert terms[0] == "river" and note.startswith("No names are mentioned")


def test_no_words_at_all_is_a_clear_error():
    arts = pd.DataFrame({"article_id": ["a"], "title": ["x"], "text": ["..."]})
    with pytest.raises(ValueError, match="set terms"):
        E.terms_or_auto(arts, "")


@pytest.mark.shared
def test_polnear_subjects_are_the_election(polnear_dev):
    import newsdesk as nd

    arts = nd.load_corpus(polnear_dev / "articles")
    terms, note = E.auto_terms(arts)
    assert {"Trump", "Clinton"} <= set(terms)
    text = " ".join(arts["body"])
    assert all(t in text for t in terms) and "84 articles" in note


def test_mentioned_vs_quoted_counts_the_same_articles():
    arts = pd.DataFrame({"article_id": list("abc"), "title": ["x"] * 3,
                         "body": ["x\nAnn Lee met Bo Chan in Iowa.", "x\nAnn Lee left Iowa.", "x\nAnn Lee spoke."]})
    q = pd.DataFrame({"article_id": ["a", "a", "c"], "speaker": ["Bo Chan", "Ann Lee", "Ann Lee"],
                      "speaker_kind": "person", "words": 3})
    t = E.mentioned_vs_quoted(arts, q).set_index("name")
    assert "Iowa" not in t.index                                   # a place is mentioned, never quoted
    assert t.loc["Ann Lee"].tolist() == [3, 2, 2, pytest.approx(2 / 3, abs=1e-3)]
    assert t.loc["Bo Chan"].tolist() == [1, 1, 1, 1.0]


def test_the_subject_sample_s_names_are_kept_for_the_next_caller(sample_dir, tmp_path, monkeypatch):
    import newsdesk as nd
    from newsdesk import config

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    arts = nd.load_corpus(sample_dir, cache=False)
    first = {k: E.mentions(arts, max_articles=k) for k in (None, 50)}
    assert len(list((tmp_path / "cache" / "hits").rglob("*.npz"))) == 2
    monkeypatch.setattr(E, "_mentions", lambda a: pytest.fail("names found again"))
    for k, want in first.items():     # read back: the same frame, the same names for the same articles
        pd.testing.assert_frame_equal(E.mentions(arts.copy(), max_articles=k), want)
    assert E.top_subjects(arts, max_articles=50)["name"].tolist() == \
        E.top_subjects(arts, max_articles=50)["name"].tolist()
    monkeypatch.undo()
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    # other articles (one dropped), or a frame not from the loader: found in them, nothing read
    fewer = arts.iloc[1:]
    pd.testing.assert_frame_equal(E.mentions(fewer), E._mentions(fewer).astype({"article_id": "str", "name": "str"}))
    hand = arts.drop(columns=["content_hash"])
    assert E.mentions(hand).equals(first[None])
    assert len(list((tmp_path / "cache" / "hits").rglob("*.npz"))) == 3
