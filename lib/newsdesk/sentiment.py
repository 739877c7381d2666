"""Tone of news text: the scores of sentences (the ``sentences`` annotator) and of short texts.

The unit is the **sentence**. VADER's compound score of a whole article saturates towards ±1
(vaderSentiment issue #151), so an article's tone is the *mean of its sentence scores*
(:mod:`newsdesk.tone`), never the compound of the whole text. The headline is scored on its own
and kept apart from the body; the title line repeated at the top of the body and the closing wire
line are not scored (see :func:`newsdesk.corpus.text`).

Two scores per sentence, both kept by the ``sentences`` kind so either is read without recomputing:

- ``news`` (the default, ``config.TONE_METHOD``): the news-tone model's whole-sentence score
  (:func:`newsdesk.tonemodel.sentence_scores`, trained on NewsMTSC and NYT editorial sentences by
  ``benchmarks/train_tone.py``); toward a named target, :func:`target_scores`.
- ``compound`` (``method="vader"``): exactly vaderSentiment 3.3.2's compound, from the faithful
  re-implementation in :mod:`newsdesk.vader`.

Measured agreement (``benchmarks/sentiment_news.py``): NYT editorial sentences, Pearson r 0.551
(5-fold CV) against VADER's 0.496, a human-to-human ceiling of about 0.71; NewsMTSC dev macro-F1
toward a target 0.679 against VADER's 0.540. One sentence's score is noisy: compare *means over
many sentences*, and read the confidence intervals every aggregate in :mod:`newsdesk.tone` reports.

>>> import newsdesk as nd
>>> from newsdesk import sentiment
>>> sentiment.score_texts(["The talks were constructive.", "The attack killed 12 people."], method="vader")
array([ 0.    , -0.8225])
>>> sentiment.label(sentiment.score_texts(["The talks were constructive.", "The attack killed 12 people."]))
array([ 0, -1])
>>> articles = nd.load_corpus("data/sample")                    # doctest: +SKIP
>>> sentiment.sentences(articles)                               # doctest: +SKIP
"""
from __future__ import annotations

import importlib.metadata
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from . import config, registry, store
from .corpus import is_original, rows_of
from .search import TextIndex
from . import text as _text
from .text import parse_terms, split_sentences, term_pattern
from .tonemodel import model_digest, sentence_scorer, sentence_scores, target_tones
from .vader import _scores, compounds

__all__ = ["THRESHOLD", "BANDS", "METHODS", "SCORE_COLUMN", "SENTENCE_COLUMNS", "VERSION", "check_method",
           "score_texts", "target_scores", "label", "annotate", "sentences"]

#: VADER's neutral band: compound scores at or above this are *positive*, at or below its negative
#: *negative* (VADER's own convention, used by the benchmark too).
THRESHOLD = 0.05
#: The neutral band of each method's score (:func:`label`): VADER's ±0.05, and for the news model's
#: score ±0.25, the band with the best macro-F1 on NewsMTSC train's held-out 5-fold predictions
#: (``benchmarks/sentiment_news.py`` prints that choice; grid 0.05 to 0.4).
BANDS = {"vader": THRESHOLD, "news": 0.25}
METHODS = ("news", "vader")
#: The column of the ``sentences`` kind (and of :func:`newsdesk.tone.article_tone`'s sentence scores)
#: that holds each method's score.
SCORE_COLUMN = {"news": "news", "vader": "compound"}

SENTENCE_COLUMNS = ["article_id", "idx", "headline", "start", "end", "compound", "pos", "neu", "neg", "label", "news"]
"""Columns of the ``sentences`` annotation: one row per sentence. ``idx`` is the sentence's
position in the body (0, 1, ...) and -1 for the headline; ``start``/``end`` are offsets into
``body`` (missing for the headline, which comes from the ``title`` column). ``compound``, ``pos``,
``neu``, ``neg`` and ``label`` are VADER's; ``news`` is the news model's score of the sentence
(:func:`newsdesk.tonemodel.sentence_scores`), so either method is read without recomputing."""


def check_method(method: str) -> str:
    """``method`` if it is one of :data:`METHODS`, else ``ValueError``.

    >>> check_method("vader")
    'vader'
    """
    if method not in METHODS:
        raise ValueError(f"method must be 'news' (the news-tone model) or 'vader' (VADER's compound), not {method!r}")
    return method


def score_texts(texts: Iterable[str], *, method: str = config.TONE_METHOD, reference: bool = False) -> np.ndarray:
    """Tone scores in [-1, 1] of short texts (sentences, headlines, quotes). Missing values
    (``None``/NaN) score NaN.

    ``method="news"`` (the default, ``config.TONE_METHOD``): the news model's whole-sentence score
    (:func:`newsdesk.tonemodel.sentence_scores`). ``method="vader"``: VADER's compound, exactly
    vaderSentiment 3.3.2's (:func:`newsdesk.vader.compounds`); ``reference=True`` computes it with
    vaderSentiment itself.

    >>> score_texts(["A great success.", "", None], method="vader").tolist()
    [0.8316, 0.0, nan]
    >>> bool(score_texts(["A great success."])[0] > 0)
    True
    """
    if check_method(method) == "vader":
        return compounds(texts, reference=reference)
    if reference:
        raise ValueError("reference=True is VADER's own code: it needs method='vader'")
    return sentence_scores(texts)


def label(scores, *, method: str = config.TONE_METHOD, band: float | None = None):
    """-1 (negative), 0 (neutral) or 1 (positive) for a score or an array of scores: at or beyond
    ±``band``, by default the method's documented band (:data:`BANDS`: ±0.05 for VADER).
    NaN stays NaN (the array is then float; a NaN scalar gives ``None``).

    >>> label(0.3, method="vader"), label(-0.05, method="vader"), label(0.01, method="vader")
    (1, -1, 0)
    >>> label([0.9, -0.9, float("nan")]).tolist()
    [1.0, -1.0, nan]
    """
    t = BANDS[check_method(method)] if band is None else float(band)
    c = np.asarray(scores, dtype=float)
    out = np.where(c >= t, 1, np.where(c <= -t, -1, 0))
    if c.ndim == 0:
        return None if np.isnan(c) else int(out)
    nan = np.isnan(c)
    return np.where(nan, np.nan, out) if nan.any() else out.astype("int64")


def _label_names(compound):
    """``positive``/``neutral``/``negative`` of VADER compound scores (±:data:`THRESHOLD`): the
    ``label`` column of the ``sentences`` kind."""
    c = np.asarray(compound, dtype=float)
    out = np.where(c >= THRESHOLD, "positive", np.where(c <= -THRESHOLD, "negative", "neutral"))
    return np.where(np.isnan(c), None, out)


def target_scores(texts: Sequence[str], spans: Sequence[tuple[int, int] | None]) -> np.ndarray:
    """Tone toward the ``(start, end)`` character span of each text, by the shipped news-tone
    model (:mod:`newsdesk.tonemodel`): ``p_positive - p_negative``, -1 to +1; NaN where a text or
    span is missing.

    >>> target_scores(["Smith praised the volunteers, but critics attacked Jones."], [(51, 56)]).round(2) < 0
    array([ True])
    """
    # a sentence and span met before (a wire story filed twice, a repeated line) is scored once
    first: dict = {}
    where = [first.setdefault((t, sp if sp is None else tuple(sp)), len(first))
             for t, sp in zip(texts, spans, strict=True)]
    unique = list(first)
    frame = pd.DataFrame({"sentence": [t for t, _ in unique], "target": [sp for _, sp in unique]})
    return target_tones(frame)["score"].to_numpy(dtype="float64")[np.asarray(where, dtype=np.intp)]


# --------------------------------------------------------------------------- the annotator
def _empty_sentences() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": pd.Series(dtype="str"), "idx": pd.Series(dtype="int64"),
        "headline": pd.Series(dtype="bool"), "start": pd.Series(dtype="Int64"),
        "end": pd.Series(dtype="Int64"), "compound": pd.Series(dtype="float64"),
        "pos": pd.Series(dtype="float64"), "neu": pd.Series(dtype="float64"),
        "neg": pd.Series(dtype="float64"), "label": pd.Series(dtype="str"),
        "news": pd.Series(dtype="float64"),
    })


def annotate(articles: pd.DataFrame) -> pd.DataFrame:
    """Score every sentence of each article: the headline (``idx`` -1, ``headline`` True) and
    the sentences of the clean text (offsets into ``body``). Columns: :data:`SENTENCE_COLUMNS`.

    The repeated title line and the wire line are outside the clean text, so never scored.
    """
    missing = {"article_id", "title", "body", "text_offset", "text_length"} - set(articles.columns)
    if missing:
        raise ValueError(f"annotate() needs an articles frame from load_corpus(); missing {sorted(missing)}")
    rows: list[tuple] = []  # (article_id, idx, headline, start, end, neg, neu, pos, compound, news)
    append = rows.append
    news = sentence_scorer().score
    for aid, title, body, off, length in zip(articles["article_id"], articles["title"], articles["body"],
                                             articles["text_offset"], articles["text_length"]):
        if isinstance(title, str) and title.strip():
            toks = title.split()
            t = " ".join(toks)
            v = _scores(t, tokens=toks)
            append((aid, -1, True, None, None, *v, news(t, v, tokens=toks)))
        if not isinstance(body, str):
            continue
        off = int(off)
        clean = body[off:off + int(length)]
        for i, (s, e) in enumerate(split_sentences(clean)):
            t = clean[s:e]
            toks = t.split()  # VADER and the news model read the same white-space tokens
            v = _scores(t, tokens=toks)
            append((aid, i, False, off + s, off + e, *v, news(t, v, tokens=toks)))
    if not rows:
        return _empty_sentences()
    ids, idxs, heads, starts, ends, neg, neu, pos, comp, nws = zip(*rows)
    df = pd.DataFrame({
        "article_id": pd.Series(ids, dtype="str"), "idx": np.asarray(idxs, dtype="int64"),
        "headline": np.asarray(heads, dtype=bool),
        "start": pd.array(starts, dtype="Int64"), "end": pd.array(ends, dtype="Int64"),
        "compound": np.asarray(comp, dtype=float), "pos": np.asarray(pos, dtype=float),
        "neu": np.asarray(neu, dtype=float), "neg": np.asarray(neg, dtype=float),
    })
    df["label"] = pd.Series(_label_names(df["compound"].to_numpy()), dtype="str")
    df["news"] = np.asarray(nws, dtype=float)
    return df


def _vader_version() -> str:
    try:
        return "vaderSentiment " + importlib.metadata.version("vaderSentiment")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "vaderSentiment missing"


#: What :func:`annotate` reads, and so what its store version hashes (checked against what it
#: reaches by tests/test_store_versions.py): the VADER rules and lexicon, the news model's scorer
#: and the checksum of its weights file, the sentence splitter,
#: and the text helpers that compute the clean-text span (``text_offset``/``text_length``) the
#: loader gives it. The charts and aggregates below are not part of it.
INPUTS = registry.Inputs(
    functions={
        "sentiment": "annotate _empty_sentences _label_names",
        "vader": "_scores _rule_valences _token_info _valence _idioms _negated1 _but_check _replace_emojis",
        "tonemodel": """SentenceScorer ToneModel _member _sentence_words _token_words load_model read_model
                        sentence_scorer softmax sparse_dot to_sparse""",
        "text": """split_sentences sentence_breaks _boundaries _is_boundary _strip_span _agency _content_span_lines
                   _exotic_breaks _first_line _last_line _lines_with_offsets _norm_title _tidy span_and_agency
                   wire_agency""",
    },
    values={
        "sentiment": "THRESHOLD",
        "tonemodel": "LABELS SENTENCE_MODEL_FILE",
        "vader": """LEXICON _BOOSTER _B_RULES _B_SCORED _C_INCR _EMOJIS _EMOJI_CHARS _EMPTY _IDIOM_WORDS _NEGATE _NEUTRAL
                    _N_SCALAR _PRE_WORDS _PUNCT _SPECIAL_CASES""",
        "resources": """ABBREV_BEFORE_NUMBER ABBREV_MAYBE_FINAL ABBREV_NEVER_FINAL ACRONYM_RE
                        AGENCY_CANONICAL AGENCY_MISSING ASCII_EXOTIC_BREAKS EXOTIC_BREAKS LINE_END_RE
                        LINE_FINAL_PUNCT OPENING_PUNCT SENTENCE_END_RE SENTENCE_OPENERS TOKEN_TAIL_RE
                        WIRE_LINE_RE""",
        "text": "_NON_SPACE_RE _NON_WORD_RE _WORD_CHAR_RE",
    },
    caches={"vader": "_TOKENS", "tonemodel": "_TOKEN_WORDS"},
    extra=(_vader_version(), "sentence model " + model_digest()),
)


def _version() -> str:
    return INPUTS.version()


VERSION = registry.register("sentences", annotate, inputs=INPUTS, columns=SENTENCE_COLUMNS[1:]).version


def sentences(articles: pd.DataFrame, *, cache: bool = True, text: bool = True,
              columns: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per scored sentence (see :data:`SENTENCE_COLUMNS`), from the annotation store.

    ``text=True`` adds the sentence text (the headline's is the title). ``columns`` keeps only
    those of :data:`SENTENCE_COLUMNS` (with ``article_id``, and what the text is cut by): the
    store reads no other, and a large archive's frame is that much smaller.

    >>> sents = sentences(articles)                                      # doctest: +SKIP
    >>> sents[~sents.headline].nsmallest(3, "compound")[["text", "compound"]]   # doctest: +SKIP
    >>> sentences(articles, text=False, columns=["headline", "news"]).columns.tolist()   # doctest: +SKIP
    ['article_id', 'headline', 'news']
    """
    keep = None
    if columns is not None:
        unknown = sorted(set(columns) - set(SENTENCE_COLUMNS))
        if unknown:
            raise ValueError(f"sentences: no column(s) {unknown}; the columns are {SENTENCE_COLUMNS}")
        need = {"article_id", *columns, *(("idx", "headline", "start", "end") if text else ())}
        keep = [c for c in SENTENCE_COLUMNS if c in need]
    read = None if keep is None else [c for c in SENTENCE_COLUMNS if c in {*keep, "idx"} - {"article_id"}]   # idx: the order
    table = store.get_table(articles, "sentences", cache=cache, columns=read) if len(articles) else None
    if table is None or not table.num_rows:
        df = _empty_sentences()
    else:
        if any(c.num_chunks > 1 for c in table.columns):
            table = table.combine_chunks()
        order = _article_order(table["article_id"], table["idx"].to_numpy())
        if order is None:   # not the store's layout: sorted row by row
            df = table.to_pandas().sort_values(["article_id", "idx"], kind="stable").reset_index(drop=True)
        else:
            if order is not True:
                table = table.take(order)
            # converted column by column, each Arrow column freed once converted: one copy at a time
            df = table.to_pandas(self_destruct=True, split_blocks=True)
            del table
    if text:
        df["text"] = _sentence_text(articles, df)
    return df if keep is None else df[keep + (["text"] if text else [])]


def _article_order(ids, idx: np.ndarray):
    """The rows' order sorted by ``(article_id, idx)`` (stably), found by sorting the articles
    rather than the rows: the store gives each article's rows together and in ``idx`` order, so
    the sorted order is the articles' blocks in id order. ``True`` when the rows already are in
    that order; ``None`` when they are not in blocks (an id in two blocks, rows out of ``idx``
    order), to be sorted row by row.

    >>> import pyarrow as pa
    >>> _article_order(pa.array(["b", "b", "a"]), np.array([-1, 0, 0])).tolist()
    [2, 0, 1]
    >>> _article_order(pa.array(["a", "b", "a"]), np.array([0, 0, 1])) is None
    True
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(ids)
    if isinstance(ids, pa.ChunkedArray):
        ids = ids.combine_chunks()
    if n < 2:
        return True
    change = np.asarray(pc.not_equal(ids[1:], ids[:-1]).fill_null(True), dtype=bool)
    starts = np.concatenate([[0], np.flatnonzero(change) + 1])
    step = np.diff(np.asarray(idx, dtype=np.int64))
    step[change] = 1                                     # a new block may start anywhere
    keys = ids.take(pa.array(starts)).to_numpy(zero_copy_only=False)
    if ids.null_count or (step <= 0).any() or len(pd.unique(keys)) < len(keys):
        return None
    order = np.argsort(keys, kind="stable")
    if (order == np.arange(len(order))).all():
        return True
    lengths = np.diff(np.append(starts, n))
    new_starts = np.cumsum(lengths[order]) - lengths[order]
    return np.arange(n, dtype=np.int64) + np.repeat(starts[order] - new_starts, lengths[order])


def _sentence_text(articles: pd.DataFrame, sents: pd.DataFrame) -> pd.Series:
    if not len(sents):
        return pd.Series([], dtype="str")
    col = _text_cutter(articles, sents)(np.arange(len(sents)))
    col.index = sents.index
    return col


def _text_cutter(articles: pd.DataFrame, sents: pd.DataFrame, look: np.ndarray | None = None):
    """A function from positions in ``look`` (rows of ``sents``; by default all) to those
    sentences' texts, a Series indexed from 0 (a headline's is its article's title, spaces tidied).
    Each article's row is looked up once; a call cuts its body sentences from the UTF-8 of the
    bodies (:func:`newsdesk.text.slices`; of its articles' bodies alone when they are fewer than
    half), so texts cut a chunk at a time never hold the texts of every sentence at once.

    >>> cut = _text_cutter(articles, sents)                                 # doctest: +SKIP
    >>> cut(np.arange(3)).tolist()                                          # doctest: +SKIP
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    look = np.arange(len(sents)) if look is None else np.asarray(look, dtype=np.int64)
    rows = _rows_of_runs(articles, sents["article_id"])[look]   # -1: an unknown article
    heads = sents["headline"].to_numpy(dtype=bool)[look]
    starts = sents["start"].to_numpy(dtype="int64", na_value=0)[look]
    ends = sents["end"].to_numpy(dtype="int64", na_value=0)[look]
    try:
        bodies = pa.array(articles["body"], from_pandas=True)   # no copy for an Arrow-backed column
    except (pa.ArrowException, UnicodeError, TypeError, ValueError):
        bodies = None
    all_titles = articles["title"].to_numpy(dtype=object) if heads.any() else None

    def in_python(pos: np.ndarray) -> pd.Series:      # e.g. text Arrow cannot hold
        return _sentence_text_slicing(articles, sents.iloc[look[pos]]).reset_index(drop=True)

    def cut(pos: np.ndarray) -> pd.Series:
        if bodies is None:
            return in_python(pos)
        r, h = rows[pos], heads[pos]
        try:
            # the body sentences cut from the bodies' UTF-8 (those of these articles alone when they are
            # few), no Python string per sentence
            src, local = bodies, np.where(h, -1, r)
            at = np.unique(r[(r >= 0) & ~h])
            if 2 * len(at) < len(bodies):
                src, local = bodies.take(pa.array(at, pa.int64())), np.where(h | (r < 0), -1, np.searchsorted(at, r))
            body = _text.slices(src, local, starts[pos], ends[pos])
            if h.any():   # a headline's text is its article's title, spaces tidied: each title once
                t_at, inv = np.unique(np.where(h, r, -1), return_inverse=True)
                titles = [" ".join(t.split()) if i >= 0 and isinstance(t := all_titles[i], str) else None for i in t_at]
                head = pa.array(titles, pa.large_string()).take(pa.array(inv.ravel()))
                body = pc.if_else(pa.array(h), head, body)
            return body.to_pandas()
        except (pa.ArrowException, UnicodeError, TypeError, ValueError):
            return in_python(pos)

    return cut


def _rows_of_runs(articles: pd.DataFrame, ids: pd.Series) -> np.ndarray:
    """:func:`newsdesk.corpus.rows_of` of ``ids``, each run of equal ids in a row looked up once
    (a sentences frame holds each article's rows together).

    >>> _rows_of_runs(pd.DataFrame({"article_id": ["a", "b"]}), pd.Series(["b", "b", "a", "z", "b"])).tolist()
    [1, 1, 0, -1, 1]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(ids, from_pandas=True)   # no copy for an Arrow-backed column
    except (pa.ArrowException, UnicodeError, TypeError, ValueError):
        arr = None
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr is None or len(arr) < 2 or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return rows_of(articles, ids)
    change = np.asarray(pc.not_equal(arr[1:], arr[:-1]).fill_null(True), dtype=bool)
    firsts = np.concatenate([[0], np.flatnonzero(change) + 1])
    return np.repeat(rows_of(articles, ids.iloc[firsts]), np.diff(np.append(firsts, len(arr))))


def _sentence_text_slicing(articles: pd.DataFrame, sents: pd.DataFrame) -> pd.Series:
    """:func:`_sentence_text` in Python: each body a string, sliced per sentence."""
    a = articles.drop_duplicates("article_id")
    pos = pd.Index(a["article_id"]).get_indexer(sents["article_id"])
    bodies = list(a["body"].to_numpy(dtype=object)) + [None]    # position -1: an unknown article
    titles = [" ".join(t.split()) if isinstance(t, str) else None for t in a["title"].to_numpy(dtype=object)]
    titles.append(None)
    heads = sents["headline"].to_numpy(dtype=bool)
    starts = sents["start"].to_numpy(dtype="int64", na_value=0)
    ends = sents["end"].to_numpy(dtype="int64", na_value=0)
    out = []
    append = out.append
    for p, h, s, e in zip(pos.tolist(), heads.tolist(), starts.tolist(), ends.tolist()):
        if h:
            append(titles[p])
        else:
            b = bodies[p]
            append(b[s:e] if isinstance(b, str) else None)
    return pd.Series(out, index=sents.index, dtype="str")


# --------------------------------------------------------------------------- sentences mentioning a term
#: Sentences whose text is cut at a time to search it (:func:`_term_hits`): the texts of every
#: sentence of a large archive are never held at once.
_TEXT_CHUNK = 500_000


def _term_hits(articles: pd.DataFrame, series: dict, *, sents: pd.DataFrame | None, regex: bool, headlines: bool,
               cache: bool, index: TextIndex | None, columns: Sequence[str] | None = None):
    """The sentences that mention each of ``series`` (label -> term, as
    :func:`newsdesk.text.parse_terms` gives them), for :mod:`newsdesk.tone`'s term tables, as
    ``(sents, rows, labels, codes, texts)``: the sentences frame read (``sents`` itself when given), the positions of the
    rows found in it (term by term, each in frame order), each row's term label, and each row's
    text as ``texts.iloc[codes]`` (``texts``: the distinct texts found). ``columns``: the
    sentences' columns read when ``sents`` is not given (:func:`sentences`; all by default).

    Only the sentences of the articles that may mention a term are looked at; their texts are
    cut :data:`_TEXT_CHUNK` rows at a time, each distinct text searched once, and only the texts
    found are kept.
    """
    if not series:
        raise ValueError("term_sentences: no terms given")
    keep = None
    if sents is None or index is not None:
        # the articles that may mention a term: only their sentences are read (or searched)
        cand = _candidate_articles(articles, list(series.values()), regex=regex, index=index)
        if sents is None:
            sents = sentences(articles.iloc[cand] if len(cand) < len(articles) else articles, cache=cache, text=False,
                              columns=columns)
        elif len(cand) < len(articles):
            keep = sents["article_id"].isin(articles["article_id"].iloc[cand]).to_numpy().copy()
            if "text" in sents.columns:   # a sentence of an article not given keeps its own text, searched too
                keep |= ~sents["article_id"].isin(articles["article_id"]).to_numpy()
    # (sentences given and no index: every sentence is searched, which costs about what finding
    # the articles that may match would)
    body = np.ones(len(sents), dtype=bool) if headlines else ~sents["headline"].to_numpy(dtype=bool)
    keep = body if keep is None else keep & body
    keep &= ~sents["article_id"].isin(articles.loc[~is_original(articles), "article_id"]).to_numpy()
    look = np.flatnonzero(keep)
    has_text = "text" in sents.columns
    # the texts of the sentences looked at, cut a chunk at a time (each article's row found once)
    cut = None if has_text or not len(look) else _text_cutter(articles, sents, look)
    found_rows: list[list[np.ndarray]] = [[] for _ in series]
    found_texts: list[list[np.ndarray]] = [[] for _ in series]
    kept, n_kept = [], 0
    for lo in range(0, len(look), _TEXT_CHUNK):
        part = look[lo:lo + _TEXT_CHUNK]
        text = sents["text"].iloc[part] if has_text else cut(np.arange(lo, lo + len(part)))
        codes, distinct = pd.factorize(text)
        index_c = TextIndex(pd.Series(distinct))
        hit_codes = []
        for k, term in enumerate(series.values()):
            at = np.flatnonzero(np.append(index_c.hits(term, regex=regex), False)[codes])   # code -1 (no text): no hit
            found_rows[k].append(part[at])
            hit_codes.append(codes[at])
        used = np.unique(np.concatenate(hit_codes))            # the distinct texts found, kept
        kept.append(pd.Series(distinct).iloc[used])
        for k, hc in enumerate(hit_codes):
            found_texts[k].append(n_kept + np.searchsorted(used, hc))
        n_kept += len(used)
    empty = np.zeros(0, dtype=np.int64)
    rows = np.concatenate([np.concatenate(r) if r else empty for r in found_rows])
    tcodes = np.concatenate([np.concatenate(t) if t else empty for t in found_texts])
    labels = np.repeat(np.asarray(list(series), dtype=object), [sum(map(len, r)) for r in found_rows])
    if kept:   # a text found in two chunks is one text
        again, texts = pd.factorize(pd.concat(kept, ignore_index=True))
        codes, texts = again[tcodes], pd.Series(texts)
    else:
        codes, texts = tcodes, pd.Series([], dtype="str")
    return sents, rows, labels, codes, texts


def _term_spans(labels: list, texts: list, terms, *, regex: bool) -> list[tuple[int, int] | None]:
    pats = {lab: term_pattern(t, regex=regex) for lab, t in parse_terms(terms).items()}
    spans = []
    for lab, text in zip(labels, texts):
        m = pats[lab].search(text) if isinstance(text, str) else None
        spans.append((m.start(), m.end()) if m else None)
    return spans


def _pair_scores(labels: np.ndarray, codes: np.ndarray, texts: pd.Series, terms, *, regex: bool = False) -> np.ndarray:
    """:func:`term_scores` of rows given as their term ``labels`` and texts ``texts.iloc[codes]``:
    each (term, text) pair once, since a sentence repeated (a wire story filed twice, a stock line)
    has one span and one score for a term."""
    if not len(codes):
        return np.array([], dtype="float64")
    first, inverse = _first_of_pairs(pd.Series(codes), pd.Series(labels, dtype=object))
    some = texts.iloc[codes[first]].tolist()   # one conversion: Arrow-backed cells read one by one are slow
    spans = _term_spans(list(labels[first]), some, terms, regex=regex)
    return target_scores(some, spans)[inverse]


def _first_of_pairs(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """For the pairs ``(a[i], b[i])``: the position of each distinct pair's first row, and for
    each row the number of its pair among them (so ``x[first][inverse]`` is ``x`` for any ``x``
    that depends on the pair only). Missing values are a value of their own.

    >>> _first_of_pairs(pd.Series(["x", "y", "x"]), pd.Series([1, 1, 1]))
    (array([0, 1]), array([0, 1, 0]))
    """
    ca, _ = pd.factorize(a, use_na_sentinel=False)
    cb, ub = pd.factorize(b, use_na_sentinel=False)
    key = ca.astype(np.int64) * max(1, len(ub)) + cb
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _candidate_articles(articles: pd.DataFrame, terms: list[str], *, regex: bool = False,
                        index: TextIndex | None = None) -> np.ndarray:
    """Positions of the articles whose title or body may mention one of ``terms``: a superset of
    those with a sentence that does (a plain term's sentence holds its lower-cased first word, so
    its article does; see :meth:`newsdesk.search.TextIndex.candidates`). Every article for a
    regular expression, or when the frame has no ``title``/``body``.

    >>> _candidate_articles(articles, ["flood"])                                     # doctest: +SKIP
    array([  3,  17, ...])
    """
    if index is None:
        if not {"title", "body"} <= set(articles.columns):
            return np.arange(len(articles))
        index = TextIndex(_no_texts, n=len(articles), cover=[articles["title"].fillna(""), articles["body"]])
    if len(index) != len(articles):
        raise ValueError("term_sentences: the index must hold one text per article")
    found = [index.candidates(t, regex=regex) for t in terms]
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _no_texts(pos: np.ndarray) -> list:
    """The texts of an article index built for :meth:`TextIndex.candidates` only."""
    raise RuntimeError("this index finds candidate articles only")
