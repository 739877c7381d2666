"""Tests for newsdesk.text: clean text, wire lines, terms, words and sentence splitting."""
from __future__ import annotations

import re

import numpy as np
import pytest

from newsdesk import text as T

SEED_BODY = (
    "Trump urges Russia  to rein in Syrian ally\n\n"
    "US: President Donald Trump brushed aside concerns on Wednesday.\n"
    "Lavrov said he was pleased.\n"
    "- AFP\n \n"
)


# --------------------------------------------------------------------------- content_span / clean_text
@pytest.mark.parametrize(
    "body, title, expected",
    [
        (SEED_BODY, "Trump urges Russia  to rein in Syrian ally",
         "US: President Donald Trump brushed aside concerns on Wednesday.\nLavrov said he was pleased."),
        # title repeated with other spacing, case and punctuation
        ("TRUMP URGES RUSSIA TO REIN IN SYRIAN ALLY.\nText here.\n", "Trump urges Russia  to rein in Syrian ally",
         "Text here."),
        # first line is not the title: kept
        ("Another opening line\nText here.\n", "Trump urges Russia", "Another opening line\nText here."),
        # no title given: nothing dropped at the top
        ("Big news\nIt happened.\n- Reuters\n", None, "Big news\nIt happened."),
        # a byline ending the text is not a wire line
        ("Big news\nIt happened.\n—Elise Viebeck.\n", "Big news", "It happened.\n—Elise Viebeck."),
        # several agencies
        ("Big news\nIt happened.\n- AFP/Reuters\n", "Big news", "It happened."),
        ("", "x", ""),
        ("\n \n", None, ""),
    ],
)
def test_clean_text(body, title, expected):
    assert T.clean_text(body, title) == expected


@pytest.mark.parametrize("body, title", [(SEED_BODY, "Trump urges Russia  to rein in Syrian ally"),
                                         ("Big news\nIt happened.\n- Reuters\n", "Big news")])
def test_content_span_is_a_slice_of_the_body(body, title):
    s, e = T.content_span(body, title)
    assert 0 <= s <= e <= len(body)
    assert body[s:e] == T.clean_text(body, title)
    assert body[s:e] == body[s:e].strip()


# --------------------------------------------------------------------------- wire_agency
@pytest.mark.parametrize(
    "body, expected",
    [
        ("Text.\n- AFP\n", "AFP"),
        ("Text.\n- AFP/Reuters\n \n", "AFP/Reuters"),
        ("Text.\n— Reuters\n", "Reuters"),
        ("Text.\n- dpa\n", "dpa"),
        ("Text.\n- associated press\n", "Associated Press"),
        ("Text.\n- NA\n", None),
        ("Text.\n—Elise Viebeck.\n", None),
        ("Text without a wire line.\n", None),
        ("", None),
    ],
)
def test_wire_agency(body, expected):
    assert T.wire_agency(body) == expected


# --------------------------------------------------------------------------- terms
@pytest.mark.parametrize(
    "term, text_in, expected",
    [
        ("Iran", "Iran and Russia", True),
        ("Iran", "Iranian oil", False),
        ("iran", "IRAN said", True),
        ("White House", "the White   House said", True),
        ("White House", "the White-House said", False),
        ("Russia|Kremlin", "the Kremlin said", True),
        ("Russia|Kremlin", "Moscow said", False),
        ("re:Russi(a|an)", "a Russian envoy", True),
        ("U.S.", "the U.S. economy", True),
        ("U.S.", "the US economy", False),
    ],
)
def test_term_pattern(term, text_in, expected):
    assert bool(T.term_pattern(term).search(text_in)) is expected


def test_term_pattern_regex_flag_and_errors():
    assert T.term_pattern("Russi(a|an)", regex=True).search("Russian")
    assert not T.term_pattern("Russi(a|an)").search("Russian")  # literal without regex=True
    with pytest.raises(ValueError, match="empty term"):
        T.term_pattern("  ")
    with pytest.raises(ValueError, match="no words"):
        T.term_pattern("|")
    with pytest.raises(ValueError, match="invalid regular expression"):
        T.term_pattern("re:(unclosed")


@pytest.mark.parametrize(
    "terms, expected",
    [
        ("Trump|Clinton", {"Trump": "Trump", "Clinton": "Clinton"}),
        (["Russia|Kremlin", "Iran"], {"Russia|Kremlin": "Russia|Kremlin", "Iran": "Iran"}),
        ("re:Russi(a|an)", {"re:Russi(a|an)": "re:Russi(a|an)"}),
        ([" Iran ", ""], {"Iran": "Iran"}),
        (None, {}),
    ],
)
def test_parse_terms(terms, expected):
    assert T.parse_terms(terms) == expected


def test_parse_terms_rejects_bad_regex():
    with pytest.raises(ValueError):
        T.parse_terms(["re:("])


@pytest.mark.parametrize(
    "texts, term, expected",
    [
        (["Russia and Iran", "Nothing here", None], "iran", [True, False, False]),
        (["Russian", "Russia"], "Russia", [False, True]),
        (["the Kremlin", "Moscow"], "Russia|Kremlin", [True, False]),
    ],
)
def test_contains_term(texts, term, expected):
    assert T.contains_term(texts, term) == expected


@pytest.mark.parametrize(
    "text_in, expected",
    [("Mr. Lavrov's well-known plan, 2017.", ["Mr", "Lavrov's", "well-known", "plan", "2017"]),
     ("", []), ("U.S. troops", ["U.S", "troops"])],
)
def test_words(text_in, expected):
    assert T.words(text_in) == expected
    assert T.count_words(text_in) == len(expected)
    assert T.count_words_many([text_in]).tolist() == [len(expected)]


@pytest.mark.parametrize(
    "text_in, expected",
    [("a-b c.", 2), ("-x-", 1), ("a..b", 2), ("e'", 1), ("l’état d’urgence", 2), ("naïve café 42", 3),
     ("under_score", 2), ("x\u2028y", 2), ("½ and ²", 3), ("𝐀𝐁 math letters", 3),   # outside the BMP
     ("lone \ud800 surrogate", 2), ("日本語のテキスト", 1), ("", 0)],
)
def test_count_words_many_equals_count_words(text_in, expected):
    assert T.count_words(text_in) == expected
    assert T.count_words_many([text_in]).tolist() == [expected]


def test_count_words_many_batches_agree_with_the_regex():
    import random

    rng = random.Random(5)
    atoms = ["word", " ", "\n", "-", "'", "’", ".", "é", "日本", "42", "_", "𝐀", "  ", "x.y", "–"]
    plain = ["word", " ", "\n", "-", "'", ".", "42", "_", "x.y", "\0"]          # the ASCII route, and NUL
    texts = ["".join(rng.choice(atoms if k % 2 else plain) for _ in range(rng.randint(0, 400))) for k in range(3000)]
    texts += ["plain ascii text only"] * 50 + [""] * 5
    got = T.count_words_many(texts)
    assert got.dtype.kind == "i" and len(got) == len(texts)
    assert got.tolist() == [T.count_words(t) for t in texts]


def test_content_span_and_wire_agency_fast_route_equal_the_general_one():
    """Bodies with only \\n line breaks take a fast route; it must agree with ``str.splitlines``."""
    import random

    from newsdesk import resources as R

    def agency_by_lines(body):
        last = next((ln for ln in reversed(body.splitlines()) if ln.strip()), None)
        return T.wire_agency(last) if last is not None else None

    rng = random.Random(11)
    atoms = ["Big news", "\n", "\n\n", " ", "\t", "- AFP", "-AFP/Reuters", "He said.", "\u00a0", "x",
             "Big  News!", " - Reuters ", "\u2028", "\x0c", "!!", "_"]
    for _ in range(20000):
        body = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 8)))
        for title in ("Big news", None, "", "!!", " Big news ", "_"):
            assert T.content_span(body, title) == T._content_span_lines(body, title), (body, title)
            assert T.span_and_agency(body, title) == (*T.content_span(body, title), T.wire_agency(body))
        assert T.wire_agency(body) == agency_by_lines(body), body
        assert T._exotic_breaks(body) == bool(R.EXOTIC_LINE_BREAK_RE.search(body))


# --------------------------------------------------------------------------- sentences
@pytest.mark.parametrize(
    "text_in, expected",
    [
        # titles never end a sentence
        ("Mr. Smith and Mrs. Jones met Dr. Who. They talked.",
         ["Mr. Smith and Mrs. Jones met Dr. Who.", "They talked."]),
        ("Sen. Lindsey O. Graham spoke. Gov. Bill Weld agreed.",
         ["Sen. Lindsey O. Graham spoke.", "Gov. Bill Weld agreed."]),
        # acronyms: inside a sentence, and ending one
        ("U.S. officials met U.N. envoys. The talks ended.",
         ["U.S. officials met U.N. envoys.", "The talks ended."]),
        ("He lives in the U.S. The president is here.", ["He lives in the U.S.", "The president is here."]),
        ("The U.S. Senate voted.", ["The U.S. Senate voted."]),
        ("It started at 3 p.m. Then it rained.", ["It started at 3 p.m.", "Then it rained."]),
        # dates
        ("The attacks of Sept. 11 changed it. On Jan. 20, 2017 he took office.",
         ["The attacks of Sept. 11 changed it.", "On Jan. 20, 2017 he took office."]),
        ("It was No. 2 in the list. Nobody cared.", ["It was No. 2 in the list.", "Nobody cared."]),
        # initials
        ("George W. Bush and J.K. Rowling met. Nothing happened.",
         ["George W. Bush and J.K. Rowling met.", "Nothing happened."]),
        # quotes ending in .” and ?”
        ("He called the talks “constructive.” Then he left.",
         ["He called the talks “constructive.”", "Then he left."]),
        ("“We had a very good meeting,” Trump said. “We will stop the killing.” Lavrov agreed.",
         ["“We had a very good meeting,” Trump said.", "“We will stop the killing.”", "Lavrov agreed."]),
        ("“Why?” she asked. “Because.” He left.", ["“Why?” she asked.", "“Because.”", "He left."]),
        ('He said "no." Then he left.', ['He said "no."', "Then he left."]),
        # a quote opening the next sentence after an ambiguous abbreviation
        ("He moved to the U.S. “It was hard,” he said.", ["He moved to the U.S.", "“It was hard,” he said."]),
        # companies and states: ambiguous, decided by the next word
        ("Apple Inc. The company said so.", ["Apple Inc.", "The company said so."]),
        ("Apple Inc. Chief Tim Cook spoke.", ["Apple Inc. Chief Tim Cook spoke."]),
        ("RENO, Nev. — Voters came.", ["RENO, Nev. — Voters came."]),
        # ! ? and ellipses; lower case never starts a sentence
        ("Jeb! was better. Was it? Yes!", ["Jeb! was better.", "Was it?", "Yes!"]),
        ("Wait... It came. e.g. this one", ["Wait...", "It came. e.g. this one"]),
        ("The rate rose 3.5 percent. Prices fell.", ["The rate rose 3.5 percent.", "Prices fell."]),
        # one paragraph per line; a hard-wrapped line continues when the next starts in lower case
        ("A headline without a period\nText follows here.", ["A headline without a period", "Text follows here."]),
        ("This sentence is wrapped\nacross two lines. Next.", ["This sentence is wrapped\nacross two lines.", "Next."]),
        ("First para.\n\nSecond para.", ["First para.", "Second para."]),
        ("", []),
        ("   \n  ", []),
        ("No final stop", ["No final stop"]),
    ],
)
def test_sentences(text_in, expected):
    assert T.sentences(text_in) == expected


@pytest.mark.parametrize("text_in", [
    "  Mr. Smith went.  Then he left.\n\n- AFP ",
    "Trump “emphasized his desire,” the White House said. “President Trump confirmed it,” he said.",
    "a\n\n\nb. C d",
])
def test_split_sentences_spans_are_trimmed_ordered_and_cover_the_words(text_in):
    spans = T.split_sentences(text_in)
    assert spans == sorted(spans)
    prev_end = 0
    for s, e in spans:
        assert prev_end <= s < e <= len(text_in)
        assert text_in[s:e] == text_in[s:e].strip()
        prev_end = e
    # nothing but white space is left out
    covered = "".join(text_in[s:e] for s, e in spans)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", text_in)


def test_split_sentences_on_the_seed_article(shared_dir):
    seed = next((shared_dir / "seed").glob("*.txt")).read_text(encoding="utf-8")
    body = seed.split("\n\n", 1)[1]
    clean = T.clean_text(body, "Trump urges Russia  to rein in Syrian ally")
    sents = T.sentences(clean)
    assert any(s.endswith("as “constructive.”") for s in sents)
    assert "“We’re going to stop the killing and the death.”" in sents
    assert all(not s.startswith(("-", "—")) for s in sents)
    # the paragraph of several quoted sentences is split
    assert any(s.startswith("Lavrov, who last set foot in Washington") for s in sents)


def test_split_sentences_polnear_quality(polnear_train):
    """On real US political news: no sentence ends on a title abbreviation, few on an initial."""
    import newsdesk as nd
    from newsdesk.corpus import text

    arts = nd.load_corpus(polnear_train)
    sents = [t[s:e] for t in text(arts).head(300) for s, e in T.split_sentences(t)]
    assert len(sents) > 5000
    title_end = [s for s in sents if re.search(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen)\.$", s)]
    assert title_end == []
    initial_end = [s for s in sents if re.search(r"(?<![A-Z.])[A-Z]\.$", s)]
    assert len(initial_end) <= 0.002 * len(sents)
    # a sentence starting in lower case means a missed boundary upstream or a wrong split
    lower_start = [s for s in sents if s[0].islower()]
    assert len(lower_start) <= 0.01 * len(sents)


# --------------------------------------------------------------------------- slices
@pytest.mark.parametrize("texts, rows, starts, ends, expected", [
    (["Grüße aus Köln", "ok"], [0, 0, 1, -1], [6, 0, 0, 0], [9, 5, 2, 0], ["aus", "Grüße", "ok", None]),
    (["a😀b中c", None], [0, 0, 1, 0], [1, 3, 0, 5], [3, 5, 0, 5], ["😀b", "中c", None, ""]),
    (["", "plain ascii"], [0, 1, 1], [0, 6, 0], [0, 11, 5], ["", "ascii", "plain"]),
])
def test_slices(texts, rows, starts, ends, expected):
    import pyarrow as pa

    got = T.slices(pa.array(texts, pa.large_string()), np.array(rows), np.array(starts), np.array(ends))
    assert got.to_pylist() == expected


def test_slices_equal_python_slicing_on_random_texts():
    import random

    import pyarrow as pa

    rnd = random.Random(5)
    alphabet = list("ab c.\n") + ["é", "’", "😀", "中", "\u00a0"]
    for _ in range(2000):
        texts = [None if rnd.random() < 0.1 else "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
                 for _ in range(rnd.randint(1, 6))]
        arr = pa.array(texts, pa.large_string())
        if len(arr) > 1 and rnd.random() < 0.3:        # an array that starts inside its buffers
            arr, texts = arr.slice(1), texts[1:]
        picks = [(-1, 0, 0)]
        for i, t in enumerate(texts):
            cuts = sorted(rnd.randint(0, len(t or "")) for _ in range(2 * rnd.randint(0, 3)))
            picks += [(i, a, b) for a, b in zip(cuts[::2], cuts[1::2])]
        rnd.shuffle(picks)
        rows, starts, ends = (np.array(x) for x in zip(*picks))
        want = [texts[r][a:b] if r >= 0 and texts[r] is not None else None for r, a, b in picks]
        assert T.slices(arr, rows, starts, ends).to_pylist() == want


@pytest.mark.parametrize("rows, starts, ends", [([0], [2], [9]), ([0], [3], [2]), ([0, 0], [0, 2], [3, 4])])
def test_slices_refuse_offsets_outside_the_text_and_overlaps(rows, starts, ends):
    import pyarrow as pa

    with pytest.raises(ValueError):
        T.slices(pa.array(["abcde"]), np.array(rows), np.array(starts), np.array(ends))


@pytest.mark.parametrize("texts, rows, starts, ends", [
    (["aé", "€b"], [0], [0], [3]),           # past a text of wide characters, another after it
    (["aé", "€b"], [1], [1], [3]),           # past the last text
    (["aé", "", "€"], [0], [1], [3]),        # past a text followed by an empty one
    (["aé", "", "€"], [0, 2], [0, 0], [1, 2]),
])
def test_slices_refuse_an_end_past_a_text_of_wide_characters(texts, rows, starts, ends):
    import pyarrow as pa

    with pytest.raises(ValueError):
        T.slices(pa.array(texts, pa.large_string()), np.array(rows), np.array(starts), np.array(ends))


@pytest.mark.parametrize("texts, rows, cps, expected", [
    (["aé", "€b"], [0, 0, 1, 1, 1], [1, 2, 1, 2, 3], [1, 3, 6, 7, 8]),   # 3: past the end, past its bytes
    (["aé", "", "€"], [2, 0, 1, 0], [1, 2, 0, 3], [6, 3, 3, 6]),         # an empty text; past one before it
    (["😀x", "中"], [1, 0, 0], [1, 1, 2], [8, 4, 5]),
])
def test_byte_positions(texts, rows, cps, expected):
    enc = [t.encode() for t in texts]
    offsets = np.concatenate([[0], np.cumsum([len(e) for e in enc])]).astype(np.int64)
    data = np.frombuffer(b"".join(enc), dtype=np.uint8)
    assert T._byte_positions(data, offsets, np.array(rows), np.array(cps)).tolist() == expected


# --------------------------------------------------------------------------- one sentence rule
@pytest.mark.parametrize("text_in, expected", [
    ("Sen. Ted Cruz of the U.S. Army spoke. He left.", ["Sen. Ted Cruz of the U.S. Army spoke.", "He left."]),
    ("They met in the U.S. The talks ended.", ["They met in the U.S.", "The talks ended."]),
    ("It began on Sept. 11. “We are ready,” she said.", ["It began on Sept. 11.", "“We are ready,” she said."]),
    ("George W. Bush spoke. Then he left!", ["George W. Bush spoke.", "Then he left!"]),
])
def test_sentence_breaks_are_the_ends_split_sentences_uses(text_in, expected):
    """One rule: the in-line ends of split_sentences (tone) are exactly sentence_breaks (quotes)."""
    starts = [0] + [nxt for _, nxt in T.sentence_breaks(text_in)]
    ends = [end for end, _ in T.sentence_breaks(text_in)] + [len(text_in)]
    assert [text_in[a:b] for a, b in zip(starts, ends)] == expected == T.sentences(text_in)


def test_sentence_breaks_does_not_look_past_hi():
    t = "He said no. “We are ready.”"
    assert list(T.sentence_breaks(t, 0, t.index("“"))) == []     # the next sentence's start is not seen
    assert list(T.sentence_breaks(t)) == [(11, 12)]


@pytest.mark.parametrize("text_in, expected", [
    ("Mr.", True), ("sen.", True), ("Sept.", True), ("Calif.", True), ("Inc.", True), ("U.S.", True),
    ("p.m.", True), ("J.", True), ("said.", False), ("Trump", False), (".", False),
])
def test_is_abbreviation_reads_the_sentence_rules_lists(text_in, expected):
    assert T.is_abbreviation(text_in) is expected
