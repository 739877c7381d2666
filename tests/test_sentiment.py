"""Tests for newsdesk.sentiment: score_texts, label, the sentences annotator, notebook 02."""
from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import newsdesk as nd
from newsdesk import registry, storage
from newsdesk import resources as R
from newsdesk import sentiment as S
from newsdesk import tonemodel as T
from newsdesk import vader as V

from vaderSentiment import vaderSentiment as vader  # a pinned dependency: missing it fails, never skips
from tonekit import sample_articles, sample_corpus, small_corpus  # noqa: F401 (fixtures)
import reportkit as kit

SIA = vader.SentimentIntensityAnalyzer()


# --------------------------------------------------------------------------- score_texts / label
@pytest.mark.parametrize(
    "texts, expected",
    [
        (["A great success.", "The attack killed 12 people."], [0.8316, -0.8225]),
        (["", "   ", "The committee met on Tuesday."], [0.0, 0.0, 0.0]),
    ],
)
def test_score_texts_vader_is_vaders_compound(texts, expected):
    out = S.score_texts(texts, method="vader")
    assert isinstance(out, np.ndarray) and out.dtype == float
    assert out.tolist() == expected
    assert out.tolist() == [SIA.polarity_scores(t)["compound"] for t in texts]


@pytest.mark.parametrize("text_in, sign", [
    ("The rescue was a triumph and the volunteers were praised.", 1),
    ("The attack killed 12 people and wounded dozens more.", -1),
    ("The committee met on Tuesday.", 0),
])
def test_score_texts_default_is_the_news_model(text_in, sign):
    out = S.score_texts([text_in])
    assert out.tolist() == T.sentence_scores([text_in]).tolist()       # the default is the news model
    assert -1 <= out[0] <= 1
    assert S.label(out)[0] == sign


def test_the_fast_sentence_scorer_is_the_logistic_regression():
    """SentenceScorer's dict route gives the model's own softmax(X @ W + b), blended with VADER."""
    m = T.load_model(name=T.SENTENCE_MODEL_FILE)
    texts = ["Critics attacked the plan as a disaster.", "Officials praised the historic agreement!",
             "He didn’t win.", "The U.S. economy grew 3.5 percent.", "Nothing here"]
    p = m.predict_proba([T.sentence_features(t) for t in texts])
    w = m.options["vader_weight"]
    expected = (p[:, 2] - p[:, 0] + w * V.compounds(texts)) / (1 + w)
    assert np.allclose(T.sentence_scores(texts), expected, rtol=0, atol=1e-9)


def test_score_texts_missing_and_bad_input():
    for method in S.METHODS:
        out = S.score_texts([None, float("nan"), "good"], method=method)
        assert math.isnan(out[0]) and math.isnan(out[1]) and out[2] > 0
        assert S.score_texts([], method=method).shape == (0,)
        with pytest.raises(TypeError, match="strings"):
            S.score_texts([3], method=method)
    with pytest.raises(TypeError):
        V.polarity(None)
    with pytest.raises(ValueError, match="method"):
        S.score_texts(["x"], method="bert")
    with pytest.raises(ValueError, match="vader"):
        S.score_texts(["x"], reference=True)


@pytest.mark.parametrize("c, method, expected", [
    (0.05, "vader", 1), (0.049, "vader", 0), (-0.05, "vader", -1), (0.0, "vader", 0), (-0.9, "vader", -1),
    (S.BANDS["news"], "news", 1), (S.BANDS["news"] - 0.01, "news", 0), (-S.BANDS["news"], "news", -1),
])
def test_label(c, method, expected):
    assert S.label(c, method=method) == expected


def test_label_arrays_and_missing():
    assert S.label([0.9, 0.0, -0.9], method="vader").tolist() == [1, 0, -1]
    assert S.label(np.array([0.9, 0.0]), method="vader").dtype == np.int64
    out = S.label([0.9, float("nan")])
    assert out[0] == 1 and math.isnan(out[1])
    assert S.label(float("nan")) is None
    assert S.label([0.1, 0.1], band=0.05).tolist() == [1, 1]


# --------------------------------------------------------------------------- the annotator
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


def test_the_sentences_kind_keeps_both_scores(small_corpus):
    """Both methods are read from one annotation: VADER's columns and the news model's ``news``."""
    arts = nd.load_corpus(small_corpus, cache=False)
    sents = S.sentences(arts)
    assert sents["compound"].tolist() == S.score_texts(sents["text"], method="vader").tolist()
    assert sents["news"].tolist() == S.score_texts(sents["text"]).tolist()
    assert sents["news"].between(-1, 1).all() and not sents["news"].equals(sents["compound"])


def test_annotate_rejects_a_frame_that_is_not_articles():
    with pytest.raises(ValueError, match="load_corpus"):
        S.annotate(pd.DataFrame({"text": ["x"]}))


def test_annotate_empty_frame(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False).iloc[:0]
    out = S.annotate(arts)
    assert list(out.columns) == S.SENTENCE_COLUMNS and len(out) == 0


def test_sentences_through_the_store(small_corpus):
    arts = nd.load_corpus(small_corpus, cache=False)
    assert registry.annotator("sentences").fn is S.annotate
    first = S.sentences(arts)
    d = storage.store_dir("sentences", S.VERSION)
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


# --------------------------------------------------------------------------- the notebook
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02-sentiment.ipynb"


def _run_notebook(tmp_path, params):
    import nbformat
    import papermill as pm

    out = tmp_path / "out.ipynb"
    with kit.private_kernel() as kernel:
        pm.execute_notebook(str(NOTEBOOK), str(out), parameters=params, kernel_name="newsdesk",
                            cwd=str(NOTEBOOK.parent), progress_bar=False, **kernel)
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


@pytest.mark.parametrize("ids, expected", [
    (["b", "b", "a", "z", "b"], [1, 1, 0, -1, 1]),    # a run looked up once; an id seen again
    (["a"], [0]),
    ([], []),
    ([None, "a", None], [-1, 0, -1]),
])
def test_rows_of_runs_equal_rows_of(ids, expected):
    from newsdesk.corpus import rows_of

    arts = pd.DataFrame({"article_id": pd.Series(["a", "b", "a"], dtype="str")})
    ids = pd.Series(ids, dtype="str")
    assert S._rows_of_runs(arts, ids).tolist() == expected == rows_of(arts, ids).tolist()


@pytest.mark.parametrize("chunk, headlines", [(1, True), (7, True), (50, False), (10_000, True)])
def test_text_cutter_chunks_equal_sentence_text(sample_articles, chunk, headlines):
    arts = sample_articles.head(40)
    sents = S.sentences(arts, text=False)
    look = np.flatnonzero(np.ones(len(sents), bool) if headlines else ~sents["headline"].to_numpy(bool))[::2]
    want = S._sentence_text(arts, sents.iloc[look]).tolist()
    cut = S._text_cutter(arts, sents, look)
    got = [t for lo in range(0, len(look), chunk) for t in cut(np.arange(lo, min(lo + chunk, len(look)))).tolist()]
    assert got == want
    assert len(want) and all(isinstance(t, str) for t in want)


def test_target_scores_score_a_repeated_sentence_and_span_once_with_the_same_result(monkeypatch):
    """A sentence and span met twice (a wire story filed by two outlets) is scored once; every row
    still gets exactly what scoring it alone gives."""
    texts = ["Smith praised the volunteers, but critics attacked Jones.", "Jones won.",
             "Smith praised the volunteers, but critics attacked Jones.", None, "Jones won."]
    spans = [(51, 56), (0, 5), (0, 5), (0, 3), None]
    alone = [T.target_tones(pd.DataFrame({"sentence": [t], "target": [sp]}))["score"].iloc[0]
             for t, sp in zip(texts, spans)]
    seen = []
    real = S.target_tones
    monkeypatch.setattr(S, "target_tones", lambda frame: seen.append(len(frame)) or real(frame))
    got = S.target_scores(texts + texts, spans + spans)
    assert np.array_equal(got, np.array(alone + alone, dtype="float64"), equal_nan=True)
    assert seen == [5]                                   # ten rows, five distinct (sentence, span) pairs


# --------------------------------------------------------------------------- the annotator against reference code
def _reference_news(sentence: str, vader_scores: tuple) -> float:
    """The news model's score as first written: its words cut by the model's regex from the whole
    lower-cased sentence (no token cache), the same weights and formula as ``SentenceScorer``."""
    sc = T.sentence_scorer()
    words = dict.fromkeys(w.replace("’", "'") for w in R.TONE_WORD_RE.findall(sentence.lower()))
    neg, neu, pos, comp = vader_scores
    z = sum(map(sc.words.get, words, itertools.repeat(0j)), 0j)
    zn = sc.bn + z.real + sc.vn[0] * neg + sc.vn[1] * neu + sc.vn[2] * pos + sc.vn[3] * comp
    zp = sc.bp + z.imag + sc.vp[0] * neg + sc.vp[1] * neu + sc.vp[2] * pos + sc.vp[3] * comp
    top = max(zn, zp, 0.0)
    en, ep, e0 = math.exp(zn - top), math.exp(zp - top), math.exp(-top)
    return ((ep - en) / (en + ep + e0) + sc.w * comp) / (1.0 + sc.w)


def _assert_annotate_equals_reference(arts: pd.DataFrame) -> None:
    """Every score of the ``sentences`` annotator, to the last bit, against vaderSentiment itself
    and the reference news score, sentence by sentence (the same sentences: the splitter is shared)."""
    got = S.annotate(arts)
    texts = []
    for title, body, off, n in zip(arts["title"], arts["body"], arts["text_offset"], arts["text_length"]):
        if isinstance(title, str) and title.strip():
            texts.append(" ".join(title.split()))
        clean = body[int(off):int(off) + int(n)]
        texts += [clean[s:e] for s, e in nd.text.split_sentences(clean)]
    assert len(got) == len(texts)
    ref = [SIA.polarity_scores(t) for t in texts]
    for col in ("neg", "neu", "pos", "compound"):
        np.testing.assert_array_equal(got[col].to_numpy(), np.array([r[col] for r in ref]), err_msg=col)
    news = [_reference_news(t, (r["neg"], r["neu"], r["pos"], r["compound"])) for t, r in zip(texts, ref)]
    np.testing.assert_array_equal(got["news"].to_numpy(), np.array(news))
    assert got["label"].tolist() == S._label_names(got["compound"].to_numpy()).tolist()


def test_annotate_equals_the_reference_code_on_the_sample(sample_articles):
    _assert_annotate_equals_reference(sample_articles)


@pytest.mark.shared
def test_annotate_equals_the_reference_code_on_polnear_train(polnear_train):
    _assert_annotate_equals_reference(nd.load_corpus(polnear_train / "articles", cache=False))


@pytest.mark.parametrize("ids, idx, want", [
    (["b", "b", "a"], [-1, 0, 0], [2, 0, 1]),
    (["a", "a", "b"], [-1, 0, 0], True),             # already in order: no take
    (["a", "b", "a"], [0, 0, 1], None),              # an id in two blocks: sorted row by row
    (["a", "a"], [1, 0], None),                      # rows out of idx order
    (["c", "a", "a", "b"], [0, -1, 3, 0], [1, 2, 3, 0]),
])
def test_article_order_sorts_the_blocks(ids, idx, want):
    import pyarrow as pa

    got = S._article_order(pa.array(ids), np.asarray(idx))
    assert (got.tolist() if isinstance(got, np.ndarray) else got) == want
    if isinstance(got, np.ndarray):   # the order sort_values gives
        df = pd.DataFrame({"article_id": ids, "idx": idx})
        assert got.tolist() == df.sort_values(["article_id", "idx"], kind="stable").index.tolist()


def test_sentences_are_the_store_rows_sorted(sample_articles):
    raw = nd.store.get(sample_articles, "sentences")
    want = raw.sort_values(["article_id", "idx"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(S.sentences(sample_articles, text=False), want)


@pytest.mark.parametrize("columns, text, expected", [
    (["news"], False, ["article_id", "news"]),
    (["label", "headline"], False, ["article_id", "headline", "label"]),         # in the store's order
    (["news"], True, ["article_id", "idx", "headline", "start", "end", "news", "text"]),   # what the text is cut by
    ([], False, ["article_id"]),
])
def test_sentences_read_only_the_columns_asked(sample_dir, columns, text, expected):
    arts = nd.load_corpus(sample_dir)
    full = S.sentences(arts, text=text)
    got = S.sentences(arts, text=text, columns=columns)
    assert got.columns.tolist() == expected
    pd.testing.assert_frame_equal(got, full[expected])
    if not text:   # no article: the same columns, empty
        assert S.sentences(arts.iloc[:0], text=False, columns=columns).columns.tolist() == expected


def test_sentences_name_an_unknown_column():
    with pytest.raises(ValueError, match="compund"):
        S.sentences(pd.DataFrame(), columns=["compund"])
