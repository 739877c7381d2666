"""Tests for newsdesk.mentions: titles stripped, speaker names cleaned."""
from __future__ import annotations

import pytest

from newsdesk import mentions as M
from newsdesk.mentions import strip_title

@pytest.mark.parametrize("text_in, expected", [
    ("President Donald Trump", "Donald Trump"),
    ("Mr. Trump", "Trump"),
    ("Secretary of State John Kerry", "John Kerry"),
    ("Sen. Ted Cruz", "Ted Cruz"),
    ("Health Minister Jonas Weber", "Jonas Weber"),
    ("Sergei Lavrov", "Sergei Lavrov"),
])
def test_strip_title(text_in, expected):
    assert strip_title(text_in) == expected


_SEEN = M.article_words("Donald Trump, a billionaire, met Santilli, Bernie Sanders and Miller of Vermont in "
                        "Massachusetts; a Democrat spoke hastily, said Hugh Hill of the Post.")


@pytest.mark.parametrize("name, expected", [
    ("Billionaire Donald Trump", "Donald Trump"),       # a descriptive word the article writes in lower case
    ("Despite Santilli", "Santilli"),                   # a function word opening the sentence
    ("Hastily", None),                                  # an adverb opening the sentence, alone
    ("Tuesday", None),
    ("Mrs", None),
    ("Va.", None),
    ("R-Ky.", None),                                    # a party-and-state tag
    ("Twitter Thursday", "Twitter"),                    # a trailing day
    ("Democrat", None),                                 # a party word is not a speaker
    ("South Carolina Republican", None),
    ("Massachusetts", None),                            # a place
    ("Trump Tower", None),                              # a building (resources.BUILDING_WORDS)
    ("National Mall", None),
    ("Chasing Trump", "Trump"),                         # a gerund opening a headline
    ("Maybe", None),                                    # issue 18's polnear-train speakers, alone
    ("Republican", None),
    ("Bernie Sanders of Vermont", "Bernie Sanders"),    # a home state after a full name
    ("Green Party's Jill Stein", "Jill Stein"),         # a possessive owner
    ("WASHINGTON Dec. In Response To The Latest Attack", None),   # too long: a dateline or headline
    ("Miller", "Miller"),
    ("Hugh Hill", "Hugh Hill"),                         # a first name at a sentence start stays
    ("Bank of America", "Bank of America"),
    ("CNN", "CNN"),
    ("Mexican", None),                                  # a nationality adjective left from a phrase
    ("Latin American", None),
    ("Mexicans", "Mexicans"),                           # a group may speak (a poll, a crowd)
    ("I'm", None),                                      # a pronoun and a contracted verb
    ("Massachusetts Rep", None),                        # a place before a title written without its stop
])
def test_clean_speaker(name, expected):
    assert M.clean_speaker(name, _SEEN) == expected


@pytest.mark.parametrize("text_in, expected", [
    # issue 18: "Team Trump" opened the story, so the surname "Trump" resolved to it (a tie with
    # "Donald Trump", the earlier won); a team is an organisation and no full name of a person
    ('Team Trump sees the convention as a chance.\nDonald Trump spoke. "We will win," Trump said.',
     [("Donald Trump", "person")]),
    ('"We will win," Team Trump said in a statement.', [("Team Trump", "organisation")]),
    # a place or building a pronoun would fall back on is no speaker
    ('Crowds filled the National Mall.\n"It is a great day," he said.', [(None, "description")]),
])
def test_speaker_resolution_skips_teams_and_places(text_in, expected):
    from newsdesk.quotes import extract_quotes

    assert [(q["speaker"], q["speaker_kind"]) for q in extract_quotes(text_in)] == expected
