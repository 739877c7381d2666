import re
import string

import numpy as np
import pandas as pd
import pytest

from newsdesk import search
from newsdesk.text import term_pattern

TEXTS = [
    "The FLOOD rose.", "floods everywhere", "x-flood", "flood_x", "Flood\u00a0warning", None, "",
    "the \u017ftorm", "\u0130ran said", "\u0131ran said", "\u212aILL switch", "Iranian oil", "Iran, again",
    "White  House\nofficials", "the white house", "U.S. troops", "U.S.A.", "Zürich flood", "ZÜRICH",
    "caf\u00e9 flood", "\u00c9lection", "election\u2019s end", "trade\ntalks", "tradetalks",
]
TERMS = ["flood", "storm", "iran", "kill", "white house", "U.S.", "Zürich", "election", "trade talks",
         "Iran|kill", "re:flood\\w*", "re:^the", "i"]


def _direct(texts, term):
    pat = term_pattern(term)
    return np.array([isinstance(t, str) and pat.search(t) is not None for t in texts], dtype=bool)


@pytest.mark.parametrize("term", TERMS)
def test_hits_equal_the_pattern_on_every_text(term):
    idx = search.TextIndex(pd.Series(TEXTS, dtype="str"))
    assert idx.hits(term).tolist() == _direct(TEXTS, term).tolist()
    # a plain list and an object Series give the same
    assert search.term_hits(TEXTS, term).tolist() == _direct(TEXTS, term).tolist()


def test_hits_on_many_random_texts_equal_the_pattern():
    rng = np.random.default_rng(0)
    alphabet = list("abcdefghijklmnorstuvwxyzFLOD .,'-\n") + list(search.CASE_FOLD_EXTRA) + ["é", "’"]
    texts = ["".join(rng.choice(alphabet, size=int(rng.integers(0, 40)))) for _ in range(3000)]
    texts += ["flood", "FLOOD", "fl\u017fod", "sod", "\u017fod", "kod", "\u212aod"]
    idx = search.TextIndex(texts)
    for term in ["flood", "od", "sod", "kod", "a b", "fl|od"]:
        assert idx.hits(term).tolist() == _direct(texts, term).tolist(), term


def test_candidates_skip_texts_without_the_word():
    idx = search.TextIndex(["no match here", "a flood", "FLOOD!", "the \u017ftorm"])
    # the text with a case-folding character is always searched
    assert idx.candidates("flood").tolist() == [1, 2, 3]
    assert idx.candidates("re:flood").tolist() == [0, 1, 2, 3]


def test_a_text_arrow_cannot_hold_is_searched_the_plain_way():
    texts = ["flood \udcff", "no"]
    assert search.term_hits(texts, "flood").tolist() == [True, False]


def test_case_fold_extra_lists_every_character_re_folds_onto_ascii():
    # every non-ASCII code point that a case-insensitive match of an ASCII letter or digit accepts
    chars = "".join(chr(i) for i in range(128, 0x110000) if not 0xD800 <= i < 0xE000)
    found = set()
    for ch in string.ascii_lowercase + string.digits:
        found.update(c for c in re.findall(re.escape(ch), chars, re.IGNORECASE))
    assert found == set(search.CASE_FOLD_EXTRA)


def test_literal_keys():
    assert search.literal_keys("White House|Kremlin") == ["white", "kremlin"]
    assert search.literal_keys("re:flood") is None
    assert search.literal_keys("flood", regex=True) is None
    assert search.literal_keys("Zürich") is None


def test_cover_columns_and_lazy_texts_give_the_same_hits():
    titles = pd.Series(["Flood", None, "Vote", "\u017ftorm", "Iran"], dtype="str")
    bodies = pd.Series(["rain fell", "The FLOOD. Iranian", "x-flood", "calm", "said"], dtype="str")
    texts = [(t if isinstance(t, str) else "") + "\n" + b for t, b in zip(titles, bodies)]
    fetched = []

    def fetch(pos, lower=False):
        fetched.append(list(pos))
        vals = [texts[i] for i in pos]
        return search.ascii_lower(vals) if lower else vals

    idx = search.TextIndex(fetch, n=len(texts), cover=[titles.fillna(""), bodies])
    for term in ["flood", "storm", "iran", "re:flood", "vote|calm"]:
        assert idx.hits(term).tolist() == _direct(texts, term).tolist(), term
    assert fetched[0] == [0, 1, 2, 3]          # only the texts holding "flood" (or a folding character)
    with pytest.raises(ValueError):
        search.TextIndex(fetch, cover=[bodies])


def test_terms_searched_again_are_not_scanned_again(monkeypatch):
    idx = search.TextIndex(["a flood", "no", "FLOOD"])
    first = idx.hits("flood")
    calls = []
    real = search._holding
    monkeypatch.setattr(search, "_holding", lambda arrs, key, **kw: (kw.get("regex") or calls.append(key)) and None or real(arrs, key, **kw))
    again = idx.hits("flood")
    assert again.tolist() == first.tolist() == [True, False, True]
    again[:] = False                       # callers get their own copy
    assert idx.hits("flood").tolist() == [True, False, True]
    assert idx.hits("Flood|river").tolist() == [True, False, True]
    assert calls == ["river"]             # "flood" was found before


@pytest.mark.parametrize("text_in, expected", [
    ("The FLOOD", "the flood"),
    ("\u00c0B \u0130stanbul \u212a", "\u00c0b \u0130stanbul \u212a"),     # only ASCII letters change
    ("lone \udcff SURROGATE", "lone \udcff surrogate"),
    (None, None),
])
def test_ascii_lower(text_in, expected):
    assert search.ascii_lower([text_in]) == [expected]
    assert search.ascii_lower([text_in, "X"]) == [expected, "x"]


def test_texts_are_searched_a_chunk_at_a_time(monkeypatch):
    monkeypatch.setattr(search, "CHUNK_ROWS", 3)
    texts = [f"flood {i}" if i % 2 else f"FLOODS {i}" for i in range(20)] + ["the \u017ftorm flood"]
    sizes = []

    def fetch(pos, lower=False):
        sizes.append(len(pos))
        vals = [texts[i] for i in pos]
        return search.ascii_lower(vals) if lower else vals

    idx = search.TextIndex(fetch, n=len(texts), cover=[pd.Series(texts, dtype="str")])
    assert idx.hits("flood").tolist() == _direct(texts, "flood").tolist()
    assert idx.hits("re:FLOODS").tolist() == _direct(texts, "re:FLOODS").tolist()
    assert max(sizes) == 3 and sum(sizes) == 21 * 2


def test_a_regex_with_its_own_flags_sees_the_texts_as_they_are():
    texts = ["Trump said", "trump said"]
    assert search.term_hits(texts, "re:(?-i:Trump)").tolist() == [True, False]


@pytest.mark.parametrize("term", ["flood", "white house", "U.S.", "kill|storm", "trade talks", "i"])
def test_pieces_that_surely_match_give_the_pattern_hits(term):
    titles = pd.Series(["Flood", "", "White", "x_flood", "\u212aILL", "U.S.", "trade", "caf\u00e9flood"], dtype="str")
    bodies = pd.Series(["rain", "the FLOOD.", "House came", "floodé", "\u017ftorm", "U.S.A.", "talks", "i"], dtype="str")
    texts = [t + "\n" + b for t, b in zip(titles, bodies)]
    fetched = []

    def fetch(pos, lower=False):
        fetched.extend(pos)
        vals = [texts[i] for i in pos]
        return search.ascii_lower(vals) if lower else vals

    def sure(pattern):
        return search.pieces_match([search.large_strings(titles), search.large_strings(bodies)], pattern)

    idx = search.TextIndex(fetch, n=len(texts), cover=[titles, bodies], sure=sure)
    assert idx.hits(term).tolist() == _direct(texts, term).tolist()


def test_a_sure_match_is_not_fetched():
    texts = pd.Series(["a flood.", "floods", "x"], dtype="str")
    fetched = []
    idx = search.TextIndex(lambda pos, lower=False: fetched.extend(pos) or [texts[i] for i in pos], n=3,
                           cover=[texts], sure=lambda pattern: search.pieces_match([search.large_strings(texts)], pattern))
    assert idx.hits("flood").tolist() == [True, False, False]
    assert fetched == [1]


@pytest.mark.parametrize("share", [1, 10, 10_000])
def test_the_scan_for_sure_matches_runs_only_for_a_term_many_texts_may_match(monkeypatch, share):
    """With few candidates (fewer than one text in SURE_SCAN_SHARE) the candidates are fetched and
    searched instead of scanning every text: the hits are the same either way."""
    monkeypatch.setattr(search, "SURE_SCAN_SHARE", share)
    texts = pd.Series(["a flood."] * 3 + ["floods", "dry"] * 20, dtype="str")
    scans, fetched = [], []
    idx = search.TextIndex(lambda pos, lower=False: fetched.extend(pos) or search.ascii_lower([texts[i] for i in pos]),
                           n=len(texts), cover=[texts],
                           sure=lambda p: scans.append(p) or search.pieces_match([search.large_strings(texts)], p))
    assert idx.hits("flood").tolist() == _direct(list(texts), "flood").tolist()
    many = 23 * share > len(texts)          # 23 texts hold "flood" in some case
    assert len(scans) == int(many)
    assert len(fetched) == (20 if many else 23)


# --------------------------------------------------------------------------- hits kept on disk
@pytest.mark.parametrize("term", TERMS)
def test_hits_kept_on_disk_equal_the_pattern_and_are_read_back_without_a_scan(tmp_path, monkeypatch, term):
    texts = pd.Series(TEXTS, dtype="str")
    first = search.TextIndex(texts, stored=search.HitsFolder(tmp_path)).hits(term)
    assert first.tolist() == _direct(TEXTS, term).tolist()
    candidates = search.TextIndex(texts).candidates(term).tolist()
    calls = []
    monkeypatch.setattr(search.TextIndex, "_hits", lambda self, t, regex=False: calls.append(t))
    monkeypatch.setattr(search, "_holding", lambda *a, **kw: calls.append(a))
    again = search.TextIndex(texts, stored=search.HitsFolder(tmp_path))
    assert again.hits(term).tolist() == first.tolist()
    assert again.candidates(term).tolist() == candidates   # the words' and extra texts' rows are kept too
    assert calls == []


def test_a_damaged_or_foreign_hits_file_is_searched_again(tmp_path):
    hf = search.HitsFolder(tmp_path)
    search.TextIndex(["a flood", "no"], stored=hf).hits("flood")
    for f in tmp_path.glob("*.bits"):          # flip a bit: the checksum no longer holds
        data = bytearray(f.read_bytes())
        data[0] ^= 0b10
        f.write_bytes(bytes(data))
    assert search.TextIndex(["a flood", "no"], stored=hf).hits("flood").tolist() == [True, False]
    # other texts, another count: the kept file is not theirs
    assert search.TextIndex(["no", "no", "flood"], stored=hf).hits("flood").tolist() == [False, False, True]


def test_a_folder_that_cannot_be_written_keeps_nothing_and_answers_all_the_same(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    hf = search.HitsFolder(blocked / "hits")
    assert hf.save("hits 0 flood", np.array([True])) is False
    assert search.TextIndex(["a flood", "no"], stored=hf).hits("flood").tolist() == [True, False]


def test_only_the_article_sets_used_last_are_kept(tmp_path):
    import os

    for i, name in enumerate(["a", "b", "c", "d"]):
        (tmp_path / name).mkdir()
        os.utime(tmp_path / name, (1000 + i, 1000 + i))
    hf = search.HitsFolder.among(tmp_path, "e", keep=3)
    hf.save("x", np.array([True]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "d", "e"]
    search.HitsFolder.among(tmp_path, "c", keep=3)     # used again: now the newest
    search.HitsFolder.among(tmp_path, "f", keep=2).save("x", np.array([True]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "f"]


def test_hits_found_by_other_code_are_not_read(tmp_path, monkeypatch):
    hf = search.HitsFolder(tmp_path)
    search.TextIndex(["a flood", "no"], stored=hf).hits("flood")
    monkeypatch.setattr(search, "_hits_version", lambda: "edited")      # text.py or search.py changed
    calls = []
    real = search.TextIndex._hits
    monkeypatch.setattr(search.TextIndex, "_hits", lambda self, t, regex=False: calls.append(t) or real(self, t, regex=regex))
    assert search.TextIndex(["a flood", "no"], stored=hf).hits("flood").tolist() == [True, False]
    assert calls == ["flood"]
