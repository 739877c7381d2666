"""Tests for newsdesk.vader: scores equal to vaderSentiment 3.3.2's, to the last digit."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import newsdesk as nd
from newsdesk import vader as V
from newsdesk.text import sentences as split_text

from vaderSentiment import vaderSentiment as vader  # a pinned dependency: missing it fails, never skips
from tonekit import sample_articles, sample_corpus  # noqa: F401 (fixtures)

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


# --------------------------------------------------------------------------- parity
def _assert_parity(texts):
    mismatches = []
    for t in texts:
        ours, ref = V.polarity(t), SIA.polarity_scores(t)
        if ours != ref:
            mismatches.append((t, ours, ref))
    assert mismatches == []


@pytest.mark.parametrize("sentence", INVENTED)
def test_polarity_equals_vadersentiment_on_invented_sentences(sentence):
    assert V.polarity(sentence) == SIA.polarity_scores(sentence)


def test_parity_on_sample_corpus_sentences(sample_articles):
    texts = [s for t in nd.corpus.text(sample_articles) for s in split_text(t)]
    texts += list(sample_articles["title"])
    assert len(texts) > 300
    _assert_parity(texts)
    scores = V.compounds(texts)
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
    assert np.array_equal(V.compounds(texts), ref)
    assert np.array_equal(V.compounds(texts[:50], reference=True), ref[:50])


def test_parity_with_but_and_repeated_values():
    # vaderSentiment's "but" rule looks values up by list.index; repeated values must behave alike
    texts = ["good nice but good nice", "bad good but bad good bad", "great but great but great",
             "happy happy but sad sad happy", "nice but nice nice nice", "But it was fine.",
             "It was fine, but.", "fine fine fine fine but"]
    _assert_parity(texts)


def test_parity_on_random_rule_heavy_sentences():
    """Seeded random sentences dense in what VADER's rules react to: lexicon words, boosters,
    negations, "no", "but", "least", idioms, capitals, ! and ?."""
    import random

    rng = random.Random(20240501)
    lexicon = sorted(V.LEXICON)
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
