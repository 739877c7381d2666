"""Quotes in headlines' single marks (issue 18: "single-quote headline quotes where they are unambiguous")."""
from __future__ import annotations

import pandas as pd
import pytest

from newsdesk import headlines as H
from newsdesk import quotes as Q


@pytest.mark.parametrize("title, expected", [
    # a name before a colon speaks every quote after it
    ("Anna Berg: ‘We Will Not Back Down’", [("We Will Not Back Down", "Anna Berg")]),
    ("Berg: Hill’s ‘Hateful Rhetoric’ Hurts the Town", [("Hateful Rhetoric", "Berg")]),
    ("Berg: Hill Has ‘To Come a Long Way’ On Roads, ‘Not Fit To Serve’", [("To Come a Long Way", "Berg"),
                                                                          ("Not Fit To Serve", "Berg")]),
    # a kicker before the colon is no speaker; the cue after it names one
    ("The Latest: Berg declares ‘revolution,’ ignores losses", [("revolution", "Berg")]),
    # a cue before or after the quote, in title case too
    ("Mayor Tom Hill Calls the Bridge ‘Unsafe’", [("Unsafe", "Tom Hill")]),
    ("Town has gone ‘soft’ on crime, Anna Berg says", [("soft", "Anna Berg")]),
    ("‘We are ready,’ says Anna Berg", [("We are ready", "Anna Berg")]),
    # the headline's subject
    ("Anna Berg tells 3,000 in Halden the town has gone ‘soft’", [("soft", "Anna Berg")]),
    # straight single marks
    ("Anna Berg: 'We Will Not Back Down'", [("We Will Not Back Down", "Anna Berg")]),
    # apostrophes are no quote marks, and a quote that could close twice is left out
    ("Anna Berg’s Plan Wins the Vote", []),
    ("Anna Berg Says ‘The voters’ choice’ Is Hers", []),
    # no named speaker: left out, as in the body
    ("Critics question the ‘fresh start’", []),
    ("", []),
])
def test_headline_quotes(title, expected):
    assert [(q["quote"], q["speaker"]) for q in H.headline_quotes(title)] == expected


def test_the_body_rules_read_no_headline_quote():
    """Before this module a headline's single-quoted words were never a quote: the body's rules
    read only double marks, and the body's first line (the repeated headline) is skipped."""
    title = "Anna Berg: ‘We Will Not Back Down’"
    assert Q.extract_quotes(f"{title}\nThe council met on Tuesday.", title=title) == []
    assert [q["quote"] for q in H.headline_quotes(title)] == ["We Will Not Back Down"]


def test_quotes_take_the_full_name_from_the_article_and_count_apart():
    articles = pd.DataFrame({"article_id": ["a", "b", "c"],
                             "title": ["Berg: ‘We Are Ready’", "Hill Calls the Bridge ‘Unsafe’", "Rain in Halden"],
                             "body": ["Berg: ‘We Are Ready’\n“We are ready,” said Anna Berg.",
                                      "The bridge is closed, Tom Hill said.", "y"]})
    body_quotes = pd.DataFrame({"article_id": ["a"], "speaker": ["Anna Berg"]})
    hq = H.quotes(articles, body_quotes)
    assert list(hq.columns) == H.COLUMNS
    assert hq[["article_id", "quote", "speaker"]].values.tolist() == [["a", "We Are Ready", "Anna Berg"],
                                                                       ["b", "Unsafe", "Hill"]]
    assert H.speakers(hq).values.tolist() == [["Anna Berg", 1, 1], ["Hill", 1, 1]]
    assert H.note(hq, articles).startswith("2 of 3 headlines (67%) quote someone")


def test_no_headline_quotes_keep_the_columns_and_say_so():
    articles = pd.DataFrame({"article_id": ["a"], "title": ["Rain in Halden"], "body": ["Rain."]})
    hq = H.quotes(articles)
    assert hq.empty and list(hq.columns) == H.COLUMNS
    assert list(H.speakers(hq).columns) == ["speaker", "headline_quotes", "headlines"]
    assert H.note(hq, articles) == "The headline quotes no one in single quote marks."
    assert H.note(hq, pd.concat([articles] * 3)) == "None of the 3 headlines quotes anyone in single quote marks."


@pytest.mark.parametrize("title, body, expected", [
    # the story says who the title-case run names: the longest part it writes
    ("Anna Berg Endorses Tom Hill: I Am ‘Horrified’ By the Plan", "Anna Berg backed Tom Hill on Friday.",
     [("Horrified", "Anna Berg")]),
    ("Halden Challenger Tom Hill: ‘Stop the Bridge’", "Tom Hill, who runs against the mayor, spoke.",
     [("Stop the Bridge", "Tom Hill")]),
    # a one-word "name" the story never capitalises inside a sentence is no speaker
    ("Attempt to fund the bridge dies amid ‘poison pills’", "An attempt to fund it failed.", []),
])
def test_the_story_says_which_words_of_a_headline_name_someone(title, body, expected):
    assert [(q["quote"], q["speaker"]) for q in H.headline_quotes(title, body=body)] == expected



def test_quotes_are_those_of_every_headline_read_one_by_one():
    """Only titles with a single mark are read: the rows are those of headline_quotes over every title."""
    titles = ["Berg: ‘We Are Ready’", "Rain in Halden", None, "Hill's bridge", "Hill Calls the Bridge ‘Unsafe’",
              "Berg: ‘We Are Ready’"]
    articles = pd.DataFrame({"article_id": list("abcdef"), "title": titles,
                             "body": ["“We are ready,” said Anna Berg.", "y", "z", "Tom Hill spoke.",
                                      "The bridge is closed, Tom Hill said.", "It was Berg who spoke."]})
    body_quotes = pd.DataFrame({"article_id": ["a", "b", "f"], "speaker": ["Anna Berg", "Ole Berg", "Eva Berg"]})
    hq = H.quotes(articles, body_quotes)
    want = [(aid, q["quote"]) for aid, t, b in zip(articles["article_id"], titles, articles["body"])
            for q in H.headline_quotes(t, body=b)]
    assert list(zip(hq["article_id"], hq["quote"])) == want
    assert hq.loc[hq["article_id"] == "a", "speaker"].tolist() == ["Anna Berg"]
    assert hq.loc[hq["article_id"] == "f", "speaker"].tolist() == ["Eva Berg"]


@pytest.mark.parametrize("title, expected", [
    ("Berg: ‘We Are Ready’", True),
    ("‘Soft’, Trump says", True),
    ("Rock 'n' roll returns", True),          # a mark after a space opens (whether it quotes is read later)
    ("Hill's bridge", False),                 # an apostrophe inside a word opens nothing
    ("Hill’s ‘", False),                      # a mark with no word after it
    ("Rain in Halden", False),
    (None, False),
])
def test_only_a_title_with_an_opening_mark_may_quote(title, expected):
    assert H._may_quote(title) is expected
    if not expected:            # quotes() reads no body for it: headline_quotes finds none, whatever the body
        assert H.headline_quotes(title, body=f"{title} said Tom Hill. “We are ready,” Anna Berg said.") == []
