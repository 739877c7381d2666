"""Word counts: keyword tokens, word counts, and the keyword_counts store kind (its rows, its
version, and reading it once for the same articles)."""
from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest

import newsdesk as nd
from newsdesk import keywords, registry, store, wordcount
from newsdesk import resources as R


def frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["date", "title", "text"])
    df["date"] = pd.to_datetime(df["date"])
    df["article_id"] = [f"a{i}" for i in range(len(df))]
    return df


@pytest.mark.parametrize("text_in, expected", [
    ("The flood's toll rose to 12, officials said.", ["flood", "toll", "rose", "officials"]),
    ("Trump’s campaign and Clinton's", ["trump", "campaign", "clinton"]),
    ("He would not say; we don't know", ["know"]),
    ("U.S. well-known A 1,000 x", ["u.s", "well-known"]),
    ("", []),
])
def test_tokens(text_in, expected):
    assert wordcount.tokens(text_in) == expected

def test_stop_words_ship_nltk_english_without_download():
    assert len(R.STOP_WORDS_NLTK) == 179
    assert {"the", "and", "don't", "wouldn't"} <= R.STOP_WORDS
    assert {"said", "mr"} <= R.STOP_WORDS

@pytest.mark.parametrize("unit, expected", [("article", 2), ("token", 3)])
def test_word_counts_units(unit, expected):
    arts = frame([("2016-01-01", "t", "flood flood rain"), ("2016-01-02", "t", "flood")])
    assert wordcount.word_counts(arts, unit=unit)["flood"] == expected

@pytest.mark.parametrize("text_in, expected", [
    ("Heavy rain fell. The river rose\nNew line", [["heavy", "rain", "fell"], ["the", "river", "rose"], ["new", "line"]]),
    ('He said: "Go." Then left', [["he", "said"], ["go"], ["then", "left"]]),
])
def test_segments(text_in, expected):
    assert wordcount.segments(text_in) == expected

# --------------------------------------------------------------------------- the keyword_counts store kind
@pytest.fixture(scope="module")
def sample_articles(sample_dir):
    import newsdesk as nd

    return nd.load_corpus(sample_dir)


def _direct(articles: pd.DataFrame) -> pd.DataFrame:
    """The same articles without a content hash: keywords tokenizes every text itself."""
    return articles.drop(columns=["content_hash"])

def test_keyword_counts_kind_is_registered_with_one_row_per_article(sample_articles):
    assert wordcount.KIND in registry.kinds()
    arts = sample_articles.head(40)
    t = store.get_table(arts, wordcount.KIND)
    assert t.num_rows == len(arts)
    assert t.column("article_id").to_pylist() == arts["article_id"].tolist()
    first = arts.iloc[0]
    text = first["body"][first["text_offset"]:first["text_offset"] + first["text_length"]]
    words, pairs = wordcount.article_counts(text)
    row = t.slice(0, 1).to_pylist()[0]
    assert dict(zip(row["words"], row["counts"])) == dict(words)
    assert dict(zip(zip(row["w1"], row["w2"]), row["pair_counts"])) == dict(pairs)

def test_article_counts_match_whole_text_tokens():
    text = "The flood's toll rose. “Rain,” he said:\nU.S. troops; well-known 1,000 x.  Floods (again)! End"
    words, pairs = wordcount.article_counts(text)
    assert words == Counter(wordcount.tokens(text, stop_words=True))
    assert ("toll", "rose") in pairs and ("flood", "toll") in pairs
    assert ("rose", "rain") not in pairs           # a pair never spans a sentence
    assert all(wordcount._ok(a) and wordcount._ok(b) for a, b in pairs)

def test_keyword_counts_are_read_not_recomputed_when_warm(sample_articles, monkeypatch):
    arts = sample_articles.head(30)
    store.annotate(arts, [wordcount.KIND], jobs=1)
    calls = []
    ann = registry.annotator(wordcount.KIND)
    monkeypatch.setattr(ann, "fn", lambda chunk: calls.append(len(chunk)) or wordcount.annotate(chunk))
    wordcount.word_counts(arts)
    keywords.collocations(arts, term="flood")
    assert calls == []

def test_keyword_counts_version_follows_its_code_and_word_lists(monkeypatch):
    v = wordcount._version()
    assert v == wordcount.VERSION
    monkeypatch.setattr(R, "STOP_WORDS", R.STOP_WORDS | {"flood"})
    assert wordcount._version() != v
    monkeypatch.undo()
    import re

    monkeypatch.setattr(R, "WORD_RE", re.compile(R.WORD_RE.pattern + "|x"))
    assert wordcount._version() != v

def test_editing_the_keyword_counting_code_changes_the_kind_version(monkeypatch):
    real = registry._source
    monkeypatch.setattr(registry, "_source", lambda obj: real(obj) + ("    pass\n" if obj is wordcount.article_counts else ""))
    assert wordcount._version() != wordcount.VERSION

def test_counts_are_read_once_for_the_same_articles(sample_articles, monkeypatch):
    wordcount._SPLIT_CACHE.clear()
    reads = []
    real = store.get_table
    monkeypatch.setattr(store, "get_table",
                        lambda *a, **k: reads.append((len(a[0]), tuple(k["columns"]))) or real(*a, **k))
    n = len(sample_articles)
    keywords.distinctive_terms(sample_articles, period_from="2023-04-01", period_to="2023-04-30")
    keywords.collocations(sample_articles, period_from="2023-04-01", period_to="2023-04-30")
    keywords.collocations(sample_articles.copy(), term="flood")      # the whole corpus: both sides of the split
    keywords.distinctive_terms(sample_articles)
    assert reads == [(n, (c,)) for c in ("words", "counts", "w1", "w2", "pair_counts")]   # each column once
    other = sample_articles.head(50)
    keywords.collocations(other)                     # other articles: read again, never the stale rows
    assert [r[0] for r in reads[5:]] == [50] * 5
    pd.testing.assert_frame_equal(keywords.collocations(other), keywords.collocations(_direct(other)))

@pytest.mark.parametrize("period", [("2023-04-01", "2023-04-30"), ("2023-04-15", ""), ("", "2023-04-10")])
def test_stored_counts_of_a_split_equal_counting_each_side(sample_articles, period):
    wordcount._SPLIT_CACHE.clear()
    mask = keywords._period_mask(sample_articles, *period).to_numpy(dtype=bool)
    for unit in wordcount.UNITS:
        inside, rest = wordcount._word_counts_sides(sample_articles, mask, unit)
        assert inside == wordcount._word_counts_direct(_direct(sample_articles)[mask], unit)
        assert rest == wordcount._word_counts_direct(_direct(sample_articles)[~mask], unit)
        assert wordcount.word_counts(sample_articles, unit=unit) == inside + rest   # served by the same split
    for term in (None, "flood|river"):
        pd.testing.assert_frame_equal(keywords.collocations(sample_articles, period_from=period[0],
                                                            period_to=period[1], term=term, min_count=2),
                                      keywords.collocations(_direct(sample_articles), period_from=period[0],
                                                            period_to=period[1], term=term, min_count=2))


# --------------------------------------------------------------------------- article_counts against its first version
def _reference_counts(text: str) -> tuple[list, list]:
    """article_counts as first written: each segment cut, lower-cased and tokenized on its own."""
    words: Counter = Counter()
    pairs: Counter = Counter()
    for seg in R.SEGMENT_BREAK_RE.split(text or ""):
        toks = R.WORD_RE.findall(wordcount._lower(seg))
        words.update(toks)
        pairs.update((a, b) for a, b in zip(toks, toks[1:]) if wordcount._ok(a) and wordcount._ok(b))
    return list(words.items()), list(pairs.items())


def _assert_counts_equal_reference(texts) -> None:
    bad = [t[:60] for t in texts if tuple(list(c.items()) for c in wordcount.article_counts(t)) != _reference_counts(t)]
    assert bad == []


@pytest.mark.parametrize("text_in", [
    "", "   ", "Jones's plan. Trump’s “deal.” Rain’s end", "ΟΔΟΣ ΣΟΦΟΣ. ΣΟΦΟΣ\nİstanbul's İZMİR",
    "he said: \"go.\"\u2028 then\u00a0left;\tand\n\n  Stayed!'s x", "a_b c_d. e_f", "U.S. well-known 1,000. x'.s y",
    "end.)] Next: one; two? three!  \x1c four", "tabs\tand\x0bbreaks\x0c here.\u2029Next",
])
def test_article_counts_equal_the_first_version(text_in):
    _assert_counts_equal_reference([text_in])


def test_article_counts_equal_the_first_version_on_the_sample(sample_articles):
    _assert_counts_equal_reference(list(nd.corpus.text(sample_articles)))


@pytest.mark.shared
def test_article_counts_equal_the_first_version_on_polnear_train(polnear_train):
    _assert_counts_equal_reference(list(nd.corpus.text(nd.load_corpus(polnear_train / "articles", cache=False))))


def test_the_scanner_keeps_each_regex_with_its_own_flags():
    scan = wordcount._scanner(re.compile(R.WORD_RE.pattern, re.IGNORECASE), R.SEGMENT_BREAK_RE)
    assert "(?i:" in scan.pattern and not scan.flags & re.IGNORECASE
    assert wordcount._scanner(R.WORD_RE, R.SEGMENT_BREAK_RE).findall("Heavy rain. The river") == \
        ["Heavy", "rain", "", "The", "river"]
    with pytest.raises(ValueError, match="character set"):
        wordcount._scanner(re.compile(R.WORD_RE.pattern, re.ASCII), R.SEGMENT_BREAK_RE)
