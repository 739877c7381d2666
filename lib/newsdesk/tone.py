"""Tone aggregates a reporter can publish: per article, per group, per term, per speaker, over time.

Built on the scored sentences of :mod:`newsdesk.sentiment` (the annotator); every aggregate reports
its ``n`` and a 95% confidence interval, clustered by article where sentences are the unit. Exact
duplicates (``duplicate_of``) count once. ``method`` picks the score: ``"news"`` (the default,
``config.TONE_METHOD``: the news-tone model; toward the term or the speaker where there is one) or
``"vader"`` (VADER's compound of the whole sentence, exactly as vaderSentiment gives it). Tables
say which in ``attrs["method"]``, and the charts label their scale from it.

>>> import newsdesk as nd
>>> from newsdesk import tone
>>> articles = nd.load_corpus("data/sample")                    # doctest: +SKIP
>>> art = tone.article_tone(articles)                           # doctest: +SKIP
>>> tone.tone_by(art, "section")                                # doctest: +SKIP
"""
from __future__ import annotations

import functools
import re
import sys
from typing import Sequence

import numpy as np
import pandas as pd

from . import config, periods
from .corpus import originals, rows_of
from .config import FREQ_ALIASES
from .search import TextIndex, articles_index
from .stats import SCALE, _clip_ci, _summary, _t975  # noqa: F401  (SCALE: tone.SCALE, in __all__)
from .sentiment import (BANDS, SCORE_COLUMN, _pair_scores, _sentence_text, _term_hits, check_method, sentences,
                        target_scores)
from .text import parse_terms, slices, split_sentences, term_pattern
from .vader import polarity

__all__ = ["SCALE", "NO_SPEAKERS", "article_tone", "summary", "most_extreme", "tone_by", "term_sentences",
           "term_scores", "term_tone", "quote_tone", "speaker_tone", "tone_over_time", "plot_distribution", "plot_tone_by",
           "plot_term_tone", "plot_speaker_tone", "plot_tone_over_time"]


# --------------------------------------------------------------------------- aggregates
_ARTICLE_TONE_COLUMNS = ["n_sentences", "tone", "share_positive", "share_negative", "headline_tone",
                         "most_positive", "most_positive_score", "most_negative", "most_negative_score"]


def article_tone(articles: pd.DataFrame, *, sents: pd.DataFrame | None = None, cache: bool = True,
                 threshold: float | None = None, method: str = config.TONE_METHOD) -> pd.DataFrame:
    """Tone of each article: the articles' metadata (all columns but ``body``) plus

    - ``n_sentences``: body sentences scored;
    - ``tone``: the mean score of the body's sentences (NaN when it has none), the news model's
      (``method="news"``, the sentences kind's ``news`` column) or VADER's (``"vader"``, ``compound``);
    - ``share_positive``/``share_negative``: share of sentences at or beyond ±``threshold`` (by
      default the method's neutral band, ``sentiment.BANDS``);
    - ``headline_tone``: the headline's score, kept apart from the body;
    - ``most_positive``/``most_negative`` and their scores: the body's extreme sentences (text
      missing when no sentence reaches the threshold on that side).

    >>> tone = article_tone(articles)                                              # doctest: +SKIP
    >>> tone.nsmallest(5, "tone")[["title", "date", "section", "tone"]]            # doctest: +SKIP
    """
    col = SCORE_COLUMN[check_method(method)]
    threshold = BANDS[method] if threshold is None else threshold
    if sents is None:
        sents = sentences(articles, cache=cache, text=False)
    # the body sentences' ids and scores only: the texts are taken for the extreme sentences
    body = sents.loc[~sents["headline"].to_numpy(dtype=bool), ["article_id", col]]
    g = body.groupby("article_id", sort=False)
    c = body[col]
    agg = pd.DataFrame({
        "n_sentences": g.size(),
        "tone": g[col].mean(),
        "share_positive": (c >= threshold).groupby(body["article_id"], sort=False).mean(),
        "share_negative": (c <= -threshold).groupby(body["article_id"], sort=False).mean(),
    })
    if len(body):
        hi, lo = g[col].idxmax(), g[col].idxmin()
        top = sents.loc[hi, ["article_id", col]].set_index("article_id")[col]
        bot = sents.loc[lo, ["article_id", col]].set_index("article_id")[col]
        # the text of an extreme sentence shown, and only of those (not of every sentence)
        shown = pd.Index(hi[top.to_numpy() >= threshold].to_numpy()).append(
            pd.Index(lo[bot.to_numpy() <= -threshold].to_numpy())).unique()
        text = _texts_of(articles, sents, shown)
        agg["most_positive"] = _relabel(text.reindex(hi.to_numpy()), hi.index).where(top >= threshold)
        agg["most_positive_score"] = top
        agg["most_negative"] = _relabel(text.reindex(lo.to_numpy()), lo.index).where(bot <= -threshold)
        agg["most_negative_score"] = bot
    head = sents[sents["headline"]].drop_duplicates("article_id").set_index("article_id")[col]
    meta = articles.drop(columns=[c for c in ("body",) if c in articles.columns])
    out = meta.merge(agg, left_on="article_id", right_index=True, how="left")
    out["headline_tone"] = out["article_id"].map(head)
    out["n_sentences"] = out["n_sentences"].fillna(0).astype("int64")
    for col in _ARTICLE_TONE_COLUMNS:
        if col not in out.columns:
            out[col] = pd.Series(np.nan, index=out.index, dtype="str" if col in ("most_positive", "most_negative") else "float64")
    out = out.reset_index(drop=True)
    out.attrs = dict(articles.attrs) | {"method": method}
    return out


def _relabel(s: pd.Series, index: pd.Index) -> pd.Series:
    """``s`` with ``index`` as its labels (same length), its dtype kept."""
    s = s.copy()
    s.index = index
    return s


def _texts_of(articles: pd.DataFrame, sents: pd.DataFrame, labels) -> pd.Series:
    """The text of the rows ``labels`` of ``sents`` (its ``text`` column, else cut from the
    articles' bodies for those rows only), indexed by those labels.

    >>> _texts_of(articles, sentences(articles, text=False), [0, 5])              # doctest: +SKIP
    """
    rows = sents.loc[labels]
    return rows["text"] if "text" in sents.columns else _sentence_text(articles, rows)


def summary(tone: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    """A one-column overview: articles, sentences scored, mean article tone with its 95% CI,
    share of positive/negative/neutral body sentences, mean headline tone.

    >>> summary(article_tone(articles), sentences(articles))                       # doctest: +SKIP
    """
    method = check_method(tone.attrs.get("method", config.TONE_METHOD))
    band = BANDS[method]
    c = sents.loc[~sents["headline"].to_numpy(dtype=bool), SCORE_COLUMN[method]]
    t = _summary(tone["tone"])
    rows = {
        "score": "news-tone model" if method == "news" else "VADER compound",
        "articles": f"{len(tone):,}",
        "articles with scored sentences": f"{int(tone['tone'].notna().sum()):,}",
        "body sentences scored": f"{len(c):,}",
        "mean article tone (95% CI)": f"{t['mean']:+.3f} ({t['ci_low']:+.3f} to {t['ci_high']:+.3f})"
        if t["n"] > 1 else "n/a",
        f"positive sentences (>= +{band:g})": f"{(c >= band).mean():.1%}" if len(c) else "n/a",
        "neutral sentences": f"{((c > -band) & (c < band)).mean():.1%}" if len(c) else "n/a",
        f"negative sentences (<= -{band:g})": f"{(c <= -band).mean():.1%}" if len(c) else "n/a",
        "mean headline tone": f"{tone['headline_tone'].mean():+.3f}" if tone["headline_tone"].notna().any() else "n/a",
    }
    return pd.DataFrame({"value": rows}).rename_axis("")


def most_extreme(tone: pd.DataFrame, n: int = 10, *, min_sentences: int = 3,
                 columns: Sequence[str] = ("title", "date", "section")) -> pd.DataFrame:
    """The ``n`` most positive and ``n`` most negative articles by tone (mean sentence score),
    among articles with at least ``min_sentences`` scored sentences (a two-line brief is not
    "the most negative article"). Columns: ``side``, ``columns``, ``tone``, ``n_sentences`` and
    the article's extreme sentence on that side.

    >>> most_extreme(article_tone(articles), 5)                                     # doctest: +SKIP
    """
    if n < 1:
        raise ValueError("n must be 1 or more")
    cols = [c for c in columns if c in tone.columns]
    tone = originals(tone)
    ok = tone[(tone["n_sentences"] >= min_sentences) & tone["tone"].notna()]
    pos = ok.nlargest(n, "tone").assign(side="most positive", sentence=lambda d: d["most_positive"])
    neg = ok.nsmallest(n, "tone").assign(side="most negative", sentence=lambda d: d["most_negative"])
    out = pd.concat([pos, neg], ignore_index=True)
    return out[["side"] + cols + ["tone", "n_sentences", "sentence"]]


def tone_by(tone: pd.DataFrame, by: str | Sequence[str] = "section", *, value: str = "tone",
            min_n: int = 1, missing: str | None = "(none)") -> pd.DataFrame:
    """Mean ``value`` per group of articles, with ``n`` and a 95% confidence interval (t).

    ``tone`` is :func:`article_tone`'s frame; ``by`` any of its columns (``section``, ``agency``,
    ``publisher``...). Articles are the unit, so a long article does not weigh more. Missing group
    values are shown as ``missing`` (``None`` drops them). Groups with fewer than ``min_n``
    articles are left out; exact duplicates (``duplicate_of``) count once. Sorted by mean, most
    positive first.

    >>> tone_by(article_tone(articles), "section")                                  # doctest: +SKIP
    """
    cols = [by] if isinstance(by, str) else list(by)
    absent = [c for c in cols + [value] if c not in tone.columns]
    if absent:
        raise KeyError(f"tone_by: no column(s) {absent}; available: {sorted(map(str, tone.columns))}")
    df = originals(tone)[cols + [value]].copy()
    for c in cols:
        if missing is not None:
            df[c] = df[c].astype(object).where(df[c].notna(), missing)
    df = df.dropna(subset=cols)
    rows = []
    for key, grp in df.groupby(cols, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        rows.append(dict(zip(cols, key)) | _summary(grp[value]))
    out = pd.DataFrame(rows, columns=cols + ["n", "mean", "ci_low", "ci_high"])
    out = out[out["n"] >= max(1, min_n)]
    out = out.sort_values("mean", ascending=False, kind="stable").reset_index(drop=True)
    out.attrs = {"method": tone.attrs.get("method", config.TONE_METHOD)}
    return out


def term_sentences(articles: pd.DataFrame, terms, *, sents: pd.DataFrame | None = None,
                   regex: bool = False, headlines: bool = False, cache: bool = True,
                   index: TextIndex | None = None) -> pd.DataFrame:
    """Scored sentences that mention each term, with a ``term`` column (one row per sentence
    and term; a sentence naming both ``Russia`` and ``Iran`` counts for both). Term syntax as in
    :mod:`newsdesk.text` (``"Russia|Kremlin"`` is one series in a list, two in a string).

    Only the sentences of the articles that may mention a term are looked at
    (:func:`newsdesk.sentiment._term_hits`), and only theirs get a ``text``. ``index`` is a
    :class:`TextIndex` over the articles' titles and bodies, aligned with ``articles``, when the
    caller has one (e.g. the one :mod:`newsdesk.timeline` keeps for its term searches).

    >>> term_sentences(articles, ["Russia", "Iran"])[["term", "text", "compound"]]   # doctest: +SKIP
    """
    series = parse_terms(terms)
    sents, rows, labels, codes, texts = _term_hits(articles, series, sents=sents, regex=regex, headlines=headlines,
                                                   cache=cache, index=index)
    out = sents.iloc[rows].reset_index(drop=True)
    if "text" not in out.columns:
        out["text"] = _relabel(texts.iloc[codes], out.index)
    out["term"] = pd.Series(labels, index=out.index, dtype="str")
    return out


def _term_score_rows(articles: pd.DataFrame, terms, *, sents: pd.DataFrame | None = None, regex: bool = False,
                     headlines: bool = False, cache: bool = True, index: TextIndex | None = None,
                     method: str = config.TONE_METHOD) -> pd.DataFrame:
    """``article_id, term, score`` of each row of :func:`term_sentences` (:func:`term_scores`),
    without a frame of the sentences found or their texts. Without ``sents`` (and with ``cache``),
    each term's rows are kept on disk beside the articles' term hits
    (:func:`newsdesk.search.articles_index`): the next caller on the same articles reads them.

    >>> _term_score_rows(articles, ["Russia"])                                      # doctest: +SKIP
    """
    series, method = parse_terms(terms), check_method(method)
    if not series:
        raise ValueError("term_sentences: no terms given")
    if sents is None and cache and index is None:
        index = articles_index(articles)
    ids = pd.Index(articles["article_id"])
    kept = index.stored if sents is None and cache and index is not None and ids.is_unique else None
    names = {t: f"term scores {_scores_version()} {method} {regex:d} {headlines:d}\x1f{t}" for t in series}
    got: dict = {}           # term -> (each row's article id, its score)
    for t in series if kept else ():
        if (a := kept.load_arrays(names[t], len(articles))) is not None:
            got[t] = (articles["article_id"].to_numpy(dtype=object)[a["pos"]], a["score"])
    todo = [t for t in series if t not in got]
    if todo:
        sents, rows, labels, codes, texts = _term_hits(articles, parse_terms(todo), sents=sents, regex=regex,
                                                       headlines=headlines, cache=cache, index=index,
                                                       columns=["headline", "start", "end", "compound"])
        score = (sents["compound"].to_numpy(dtype="float64")[rows] if method == "vader"
                 else _pair_scores(labels, codes, texts, todo, regex=regex))
        found = sents["article_id"].iloc[rows]   # given sentences may be of articles not given
        for t in todo:
            mine = labels == t
            got[t] = (found[mine].to_numpy(dtype=object), score[mine])
            if kept:
                kept.save_arrays(names[t], len(articles), pos=ids.get_indexer(found[mine]), score=score[mine])
    frames = [pd.DataFrame({"article_id": got[t][0], "term": t, "score": got[t][1]}) for t in series]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["article_id", "term", "score"])
    return out.astype({"article_id": articles["article_id"].dtype, "term": "str", "score": "float64"})


@functools.lru_cache(maxsize=1)
def _scores_version() -> str:
    """What kept term scores were computed by: this module's source and what it scores with."""
    from . import registry, sentiment, tonemodel, vader

    return registry.code_version(sys.modules[__name__], sentiment, tonemodel, vader, sentiment._version(),
                                 tonemodel.model_digest(tonemodel.MODEL_FILE))


def term_scores(ts: pd.DataFrame, terms, *, regex: bool = False, method: str = config.TONE_METHOD) -> np.ndarray:
    """The score of each row of :func:`term_sentences` (called with the same ``terms``): the
    tone toward the term's first mention in the sentence (``"news"``, :func:`target_scores`) or
    the whole sentence's VADER compound (``"vader"``).

    >>> term_scores(term_sentences(articles, ["Russia"]), ["Russia"])                # doctest: +SKIP
    """
    if check_method(method) == "vader":
        return ts["compound"].to_numpy(dtype="float64")
    if not len(ts):
        return np.array([], dtype="float64")
    codes, texts = pd.factorize(ts["text"], use_na_sentinel=False)
    return _pair_scores(ts["term"].to_numpy(dtype=object), codes, pd.Series(texts), terms, regex=regex)


def term_tone(articles: pd.DataFrame, terms, *, sents: pd.DataFrame | None = None, regex: bool = False,
              headlines: bool = False, cache: bool = True, method: str = config.TONE_METHOD) -> pd.DataFrame:
    """Tone of the sentences that mention each term: ``term, n_sentences, n_articles, mean,
    ci_low, ci_high`` (95% CI clustered by article), in the order the terms were given.

    ``method="news"`` (the default) scores the tone *toward the term's mention* with the news-tone
    model (:func:`target_scores`; NewsMTSC dev macro-F1 0.68 against VADER's 0.51), so a sentence
    praising Smith and attacking Jones counts against Jones; ``method="vader"`` is the VADER compound
    of the whole sentence, as before. ``attrs["method"]`` says which.

    >>> term_tone(articles, ["Russia", "Iran"])                                     # doctest: +SKIP
    """
    if method not in ("news", "vader"):
        raise ValueError(f"method must be 'news' (tone toward the term) or 'vader' (whole sentence), not {method!r}")
    ts = _term_score_rows(articles, terms, sents=sents, regex=regex, headlines=headlines, cache=cache, method=method)
    term, score = ts["term"].to_numpy(dtype=object), ts["score"].to_numpy()
    # each article id a number, in the ids' sorted order: grouped by it, the sums are the ids' own
    ids = pd.factorize(ts["article_id"], sort=True)[0].astype("float64")
    ids[ids < 0] = np.nan   # a missing id: in no group, as before
    rows = []
    for lab in parse_terms(terms):   # each term's rows: its scores and article ids only, not the frame's
        at = np.flatnonzero(term == lab)
        grp = pd.Series(ids[at])
        s = _summary(pd.Series(score[at]), grp)
        rows.append({"term": lab, "n_sentences": s.pop("n"), "n_articles": grp.nunique()} | s)
    out = pd.DataFrame(rows, columns=["term", "n_sentences", "n_articles", "mean", "ci_low", "ci_high"])
    out.attrs["method"] = method
    return out


def quote_tone(quotes: pd.DataFrame, *, column: str = "quote") -> pd.Series:
    """Tone of each quote: the mean compound of its sentences (a quote of several sentences is
    not scored as one text). NaN for a missing or empty quote."""
    if column not in quotes.columns:
        raise KeyError(f"quote_tone: no column {column!r}; expected the frame of newsdesk.speakers.quotes()")
    vals = []
    for q in quotes[column]:
        if not isinstance(q, str) or not q.strip():
            vals.append(np.nan)
            continue
        parts = [q[s:e] for s, e in split_sentences(q)]
        vals.append(float(np.mean([polarity(p)["compound"] for p in parts])) if parts else np.nan)
    return pd.Series(vals, index=quotes.index, name="compound", dtype="float64")


def _mean(values: list[float]) -> float:
    """``float(np.mean(values))``, bit for bit: below 8 values NumPy adds them in order, as ``sum``."""
    return sum(values) / len(values) if len(values) < 8 else float(np.mean(values))


def _mention_pattern(mention: str) -> re.Pattern:
    """``mention`` as a whole word: not inside a longer word on either side. The lookbehind
    follows the literal (``X(?<!\\wX)``, the same matches as ``(?<!\\w)X``) so the regex engine
    scans for the literal's first character instead of trying the assertion at every position."""
    lit = re.escape(mention)
    return re.compile(lit + r"(?<!\w" + lit + r")(?!\w)")


#: Quotes whose articles' bodies are Python strings at a time in :func:`_mention_sentences`.
_MENTION_CHUNK = 16_384


def _mention_sentences(df: pd.DataFrame, speaker: str, articles: pd.DataFrame | None):
    """For each quote row: a text holding the speaker's mention, and the mention's span in it.

    With ``articles`` (and the quote's ``start``/``end`` offsets into ``body``): the body sentence
    holding the occurrence of ``speaker_mention`` nearest the quote (within 300 characters of it).
    Otherwise, or when it is not found: the attribution written out, ``<mention> <cue> “<quote>”``.
    Only the bodies of the quotes' articles are read, and the stored sentences of the articles
    where a mention is found."""
    cols = df.columns
    has_pos = {"start", "end", "article_id"} <= set(cols)
    mentions = df["speaker_mention"] if "speaker_mention" in cols else df[speaker]
    cues = df["cue"] if "cue" in cols else pd.Series(None, index=df.index, dtype=object)
    names = [m if isinstance(m, str) and m.strip() else str(s) for m, s in zip(mentions.tolist(), df[speaker].tolist())]
    texts: list = [None] * len(df)
    spans: list = [None] * len(df)
    if has_pos and articles is not None and len(df) and \
            {"article_id", "body", "text_offset", "text_length"} <= set(articles.columns):
        q_starts, q_ends = df["start"].tolist(), df["end"].tolist()
        codes, uniq = pd.factorize(df["article_id"].array)
        at = rows_of(articles, uniq)[codes]               # row -> its article (the first with its id)
        offs, lengths = articles["text_offset"].to_numpy(dtype=np.int64), articles["text_length"].to_numpy(dtype=np.int64)
        body_col = articles["body"]
        found_at: list = [None] * len(df)                  # row -> the mention's offset in the body
        pats: dict = {}
        # the bodies become Python strings a chunk of quotes at a time: memory stays flat
        for lo in range(0, len(df), _MENTION_CHUNK):
            arts = np.unique(at[lo:lo + _MENTION_CHUNK])
            arts = arts[arts >= 0]
            bodies = dict(zip(arts.tolist(), body_col.iloc[arts].tolist()))
            for i in range(lo, min(len(df), lo + _MENTION_CHUNK)):
                p = int(at[i])
                if p < 0 or not isinstance(body := bodies[p], str):
                    continue
                qs, qe = int(q_starts[i]), int(q_ends[i])
                key = names[i].strip()
                pat = pats.get(key)
                if pat is None:
                    pat = pats[key] = _mention_pattern(key)
                found = [m.start() for m in pat.finditer(body, max(int(offs[p]), qs - 300), min(len(body), qe + 300))
                         if not qs <= m.start() < qe]
                if len(found) == 1:
                    found_at[i] = found[0]
                elif found:
                    found_at[i] = min(found, key=lambda m: qs - m if m < qs else m - qe)
            del bodies
        hit = np.array([i for i, ms in enumerate(found_at) if ms is not None], dtype=np.int64)
        ms_hit = np.array([found_at[i] for i in hit], dtype=np.int64)
        starts, ends, stored = _sentences_at(articles, at[hit], ms_hit)
        for j in np.flatnonzero(~stored).tolist():   # a hand-made frame: split here, as the sentences annotator does
            p = int(at[hit[j]])
            body, o = body_col.iloc[p], int(offs[p])
            spans_p = [(o + a, o + b) for a, b in split_sentences(body[o:o + int(lengths[p])])]
            starts[j], ends[j] = next(((a, b) for a, b in spans_p if a <= ms_hit[j] < b), (-1, -1))
        ok = starts >= 0
        # each sentence found cut once from the bodies' UTF-8 (sentences do not overlap)
        sent_key = pd.MultiIndex.from_arrays([at[hit][ok], starts[ok], ends[ok]])
        codes, distinct = pd.factorize(sent_key)
        if len(distinct):
            d_art, d_start, d_end = (np.asarray(distinct.get_level_values(k), dtype=np.int64) for k in range(3))
            try:
                cut = slices(body_col, d_art, d_start, d_end).to_pylist()
            except (ValueError, TypeError, UnicodeError):   # texts Arrow cannot hold (lone surrogates)
                cut = [body_col.iloc[a][b:e] for a, b, e in zip(d_art.tolist(), d_start.tolist(), d_end.tolist())]
            for i, c, a_, b_, ms in zip(hit[ok].tolist(), codes.tolist(), starts[ok].tolist(), ends[ok].tolist(),
                                        ms_hit[ok].tolist()):
                texts[i] = cut[c]
                spans[i] = (ms - a_, min(ms - a_ + len(names[i]), b_ - a_))
    for i, (mention, cue, quote) in enumerate(zip(names, cues.tolist(), df["quote"].tolist())):
        if texts[i] is None:
            texts[i] = f"{mention} {cue if isinstance(cue, str) and cue.strip() else 'said'} “{quote}”"
            spans[i] = (0, len(mention))
    return texts, spans


def _sentences_at(articles: pd.DataFrame, rows: np.ndarray, offsets: np.ndarray):
    """``(starts, ends, stored)``: for each ``i``, the ``(start, end)`` in ``body`` of the stored
    body sentence of ``articles.iloc[rows[i]]`` holding ``offsets[i]`` (-1, -1 when none does), and
    whether the store has a body sentence of that article at all (never, for a frame without
    ``content_hash``: one made by hand). ``rows`` are first rows of their ids (:func:`rows_of`).
    An article's sentences do not overlap, so the one that can hold an offset is the last starting
    at or before it: one sorted search of ``(article, offset)`` among the sentences' ``(article,
    start)``, with no Python object per sentence."""
    rows, offsets = np.asarray(rows, dtype=np.int64), np.asarray(offsets, dtype=np.int64)
    arts = np.unique(rows)
    sp = _body_sentences(articles, arts if "content_hash" in articles.columns else arts[:0])
    codes, uniques = pd.factorize(sp["article_id"].array)
    art = np.full(len(arts), -1, dtype=np.int64)              # article -> its code among the sentences'
    art[pd.Index(articles["article_id"].iloc[arts]).get_indexer(uniques)] = np.arange(len(uniques))
    # (article, start) as one int64 key: an offset into a text is far below 2**32
    key = (codes.astype(np.int64) << 32) | sp["start"].to_numpy(dtype="int64")
    ends = sp["end"].to_numpy(dtype="int64")
    if (key[1:] < key[:-1]).any():                            # the store gives them in order: no sort then
        order = np.argsort(key, kind="stable")
        key, ends = key[order], ends[order]
    c = art[np.searchsorted(arts, rows)]
    stored = c >= 0
    none = np.full(len(rows), -1, dtype=np.int64)
    if not len(key):
        return none, none.copy(), stored
    j = np.maximum(np.searchsorted(key, (c << 32) | offsets, side="right") - 1, 0)
    starts = key[j] & 0xFFFFFFFF
    ok = stored & ((key[j] >> 32) == c) & (starts <= offsets) & (offsets < ends[j])
    return np.where(ok, starts, -1), np.where(ok, ends[j], -1), stored


def _body_sentences(articles: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The stored body sentences of ``articles.iloc[rows]``: ``article_id, start, end``, each
    article's in order. Their bodies are taken only when the store lacks one of them."""
    from . import store

    if not len(rows):
        return pd.DataFrame({"article_id": pd.Series(dtype=object), "start": pd.Series(dtype="int64"),
                             "end": pd.Series(dtype="int64")})
    # the columns the sentences store reads (the body only to fill a missing article), none other
    read = [c for c in ("article_id", "title", "text_offset", "text_length", "content_hash") if c in articles.columns]
    sel = articles[read].iloc[rows]
    if len(store.missing(sel, "sentences")):
        sel = articles[read + ["body"]].iloc[rows]
    sp = store.get(sel, "sentences", columns=["headline", "start", "end"])
    return sp.loc[~sp["headline"].to_numpy(dtype=bool), ["article_id", "start", "end"]]


def speaker_tone(quotes: pd.DataFrame, *, speaker: str = "speaker", min_quotes: int = 3,
                 top: int | None = None, kinds: Sequence[str] | None = None,
                 articles: pd.DataFrame | None = None, method: str = config.TONE_METHOD) -> pd.DataFrame:
    """Tone of each speaker's quotes: ``speaker, n_quotes, n_articles, mean, ci_low, ci_high``.

    ``method="news"`` (the default): the news-tone model's tone *toward the speaker* at the
    mention that attributes each quote (:func:`target_scores`), read in the body sentence holding
    it when ``articles`` is given (else in the attribution written out, ``Lee said “…”``).
    ``method="vader"``: the mean VADER compound of the quote's sentences (:func:`quote_tone`).

    ``quotes`` is the frame of ``newsdesk.speakers.quotes(articles)`` (columns ``quote`` and
    ``speaker``, plus ``article_id`` for article-clustered intervals). Quotes without a speaker
    are left out, and so are speakers with fewer than ``min_quotes`` quotes. ``top`` keeps the
    most quoted. ``kinds`` keeps speakers of those ``speaker_kind`` values only (e.g.
    ``["person"]``). Sorted by mean, most positive first.

    >>> speaker_tone(newsdesk.speakers.quotes(articles), min_quotes=5, articles=articles)   # doctest: +SKIP
    """
    check_method(method)
    if speaker not in quotes.columns:
        raise KeyError(f"speaker_tone: no column {speaker!r}; expected the frame of newsdesk.speakers.quotes()")
    if kinds is not None:
        if "speaker_kind" not in quotes.columns:
            raise KeyError("speaker_tone: kinds needs a speaker_kind column")
    if "quote" not in quotes.columns:
        quote_tone(quotes)  # the same KeyError
    from .speakers import has_text

    # One selection of the columns read below (a quotes frame carries titles and paths too), then
    # only the quotes of the speakers shown are scored. A quote counts when it has a sentence,
    # which is when it has a character other than white space (split_sentences' gaps between
    # sentences are white space, its sentences are trimmed of it).
    keep = np.ones(len(quotes), dtype=bool)
    if kinds is not None:
        keep &= quotes["speaker_kind"].isin(list(kinds)).to_numpy(dtype=bool)
    who = quotes[speaker]
    keep &= who.notna().to_numpy(dtype=bool)
    keep[keep] = (who[keep].astype(str).str.strip() != "").to_numpy(dtype=bool)
    keep[keep] = has_text(quotes["quote"][keep])
    least = max(1, min_quotes)
    n = who[keep].groupby(who[keep], sort=True).size()
    n = n[n >= least]
    if top is not None:
        n = n.nlargest(top, keep="first")
    keep[keep] = who[keep].isin(n.index).to_numpy(dtype=bool)
    read = [c for c in dict.fromkeys([speaker, "quote", "article_id", "speaker_mention", "cue", "start", "end"])
            if c in quotes.columns]
    df = quotes.loc[keep, read]      # the rows and columns read below, taken once
    if method == "vader":
        df = df.assign(compound=[_mean([polarity(q[a:b])["compound"] for a, b in split_sentences(q)])
                                 for q in df["quote"].tolist()])
    else:
        df = df.assign(compound=target_scores(*_mention_sentences(df, speaker, articles)) if len(df) else [])
    rows = []
    has_article = "article_id" in df.columns
    for name, grp in df.groupby(speaker, sort=True):
        s = _summary(grp["compound"], grp["article_id"] if has_article else None)
        rows.append({"speaker": name, "n_quotes": s.pop("n"),
                     "n_articles": grp["article_id"].nunique() if has_article else np.nan} | s)
    out = pd.DataFrame(rows, columns=["speaker", "n_quotes", "n_articles", "mean", "ci_low", "ci_high"])
    if not rows:
        # no quotes, no speakers, or every speaker filtered out: the columns keep the types they have with rows
        out = out.astype({"speaker": "str", "n_quotes": "int64", "n_articles": "int64" if has_article else "float64",
                          "mean": "float64", "ci_low": "float64", "ci_high": "float64"})
    out = out[out["n_quotes"] >= max(1, min_quotes)]
    if top is not None:
        out = out.nlargest(top, "n_quotes", keep="first")
    out = out.sort_values("mean", ascending=False, kind="stable").reset_index(drop=True)
    out.attrs["method"] = method
    return out


def tone_over_time(tone: pd.DataFrame, freq: str = config.DEFAULT_FREQ, *, by: str | None = None,
                   rolling: int = 3, value: str = "tone", date: str = "date") -> pd.DataFrame:
    """Mean article tone per period, with ``n`` and a 95% CI, and a rolling mean over
    ``rolling`` periods (pooled over the articles in the window, with its own CI band).

    Columns: ``period`` (start timestamp), [``by``], ``n``, ``mean``, ``ci_low``, ``ci_high``,
    ``rolling_mean``, ``rolling_low``, ``rolling_high``. Every period between the first and the
    last date is present; a period with no articles has ``n`` 0 and NaN values (a gap in a chart,
    never an invented value). ``rolling=1`` turns smoothing off.

    >>> tone_over_time(article_tone(articles), "month", rolling=3)                  # doctest: +SKIP
    """
    freq = periods.check_freq(freq)
    pf = FREQ_ALIASES[freq]
    rolling = periods.check_window(rolling)
    for c in [date, value] + ([by] if by else []):
        if c not in tone.columns:
            raise KeyError(f"tone_over_time: no column {c!r}")
    df = originals(tone)[[date, value] + ([by] if by else [])].dropna(subset=[date, value]).copy()
    cols = ["period"] + ([by] if by else []) + ["n", "mean", "ci_low", "ci_high",
                                                "rolling_mean", "rolling_low", "rolling_high"]
    if df.empty:
        empty = {c: pd.Series(dtype="float64") for c in cols}
        empty["period"] = pd.Series(dtype="datetime64[ns]")
        empty["n"] = pd.Series(dtype="int64")
        if by:
            empty[by] = pd.Series(dtype="str")
        return pd.DataFrame(empty)[cols]
    df["period"] = pd.to_datetime(df[date]).dt.to_period(pf)
    full = pd.period_range(df["period"].min(), df["period"].max(), freq=pf)
    groups = [(None, df)] if not by else list(df.groupby(df[by].astype(object).where(df[by].notna(), "(none)"), sort=True))
    parts = []
    for key, grp in groups:
        x = grp[value].astype(float)
        st = x.groupby(grp["period"]).agg(["count", "sum"]).reindex(full, fill_value=0)
        st["sq"] = (x ** 2).groupby(grp["period"]).sum().reindex(full, fill_value=0)
        out = pd.DataFrame(index=full)
        out["n"] = st["count"].astype("int64")
        out["mean"], out["ci_low"], out["ci_high"] = _band(st["count"], st["sum"], st["sq"])
        w = st.rolling(rolling, min_periods=rolling).sum()     # a window of fewer periods has no mean
        rm, rl, rh = _band(w["count"], w["sum"], w["sq"])
        empty = out["n"] == 0
        out["rolling_mean"] = rm.where(~empty)
        out["rolling_low"] = rl.where(~empty)
        out["rolling_high"] = rh.where(~empty)
        out.index = full.to_timestamp(how="start")
        out = out.rename_axis("period").reset_index()
        if by:
            out.insert(1, by, key)
        parts.append(out)
    out = pd.concat(parts, ignore_index=True)[cols]
    out.attrs.update(freq=freq, rolling=int(rolling),
                     method=tone.attrs.get("method", config.TONE_METHOD))
    return out


def _band(n: pd.Series, s: pd.Series, sq: pd.Series):
    n = n.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / n
        var = (sq - n * mean ** 2) / (n - 1)
        se = np.sqrt(var.clip(lower=0) / n)
        t = pd.Series(_t975((n - 1).to_numpy()), index=n.index)
    mean = mean.where(n > 0)
    low, high = _clip_ci(mean - t * se, mean + t * se)
    return mean, low, high


# --------------------------------------------------------------------------- charts
def _charts():
    from . import charts

    return charts


def _scale(method: str) -> str:
    """How a chart names the score of ``method``."""
    return "news-tone model score" if method == "news" else "VADER compound"


def plot_distribution(sents: pd.DataFrame, tone: pd.DataFrame | None = None, *, bins: int = 40,
                      title: str = "Distribution of tone scores", method: str | None = None):
    """Histogram of body-sentence scores (and of article tone when ``tone`` is given), with the
    method's neutral band shaded. Share of each series, so the two are comparable. ``method``
    defaults to the one ``tone`` was computed with (else ``config.TONE_METHOD``)."""
    method = check_method(method or (tone.attrs.get("method") if tone is not None else None) or config.TONE_METHOD)
    col, band = SCORE_COLUMN[method], BANDS[method]
    ch = _charts()
    fig, ax = ch.figure()
    edges = np.linspace(-1, 1, bins + 1)
    body = sents.loc[~sents["headline"], col].dropna() if "headline" in sents.columns else sents[col].dropna()
    w = np.full(len(body), 100.0 / max(1, len(body)))
    ax.hist(body, bins=edges, weights=w, alpha=0.6, label=f"sentences (n={len(body):,})")
    if tone is not None:
        t = tone["tone"].dropna()
        ax.hist(t, bins=edges, weights=np.full(len(t), 100.0 / max(1, len(t))), alpha=0.6,
                label=f"articles, mean of sentences (n={len(t):,})")
    ax.axvspan(-band, band, color="#999999", alpha=0.15, lw=0, label="_neutral")
    ax.set_xlim(-1, 1)
    return ch.finish(ax, title=title, xlabel=f"{_scale(method)} (-1 negative … +1 positive)",
                     ylabel="share of items (%)", legend=True)


def _plot_intervals(df: pd.DataFrame, label_col: str, n_col: str, *, title: str, ylabel: str,
                    unit: str, scale: str | None = None, empty: str = "nothing to show"):
    method = df.attrs.get("method", config.TONE_METHOD)
    scale = scale or _scale(method)
    ch = _charts()
    d = df.dropna(subset=["mean"]).reset_index(drop=True)
    fig, ax = ch.figure(size=(9.0, max(2.5, min(9.0, 0.9 + 0.35 * len(d)))))
    if d.empty:   # an empty result is a chart that says so, not an error
        ax.text(0.5, 0.5, empty, transform=ax.transAxes, ha="center", va="center", color="#555555")
        ax.set_xlim(-1, 1)
    y = np.arange(len(d))[::-1]
    lo = (d["mean"] - d["ci_low"]).fillna(0).clip(lower=0)
    hi = (d["ci_high"] - d["mean"]).fillna(0).clip(lower=0)
    has_ci = d["ci_low"].notna().to_numpy()
    ax.errorbar(d["mean"][has_ci], y[has_ci], xerr=[lo[has_ci], hi[has_ci]], fmt="o", capsize=3,
                color=_charts().PALETTE[0], label="mean and 95% CI" if not has_ci.all() else "_ci")
    if not has_ci.all():  # too few articles for an interval: shown hollow, never as if precise
        ax.plot(d["mean"][~has_ci], y[~has_ci], "o", mfc="white", color=_charts().PALETTE[0],
                label="mean, no interval (all from one article)")
    ax.set_yticks(y)
    ax.set_yticklabels([f"{v}  (n={n:,})" for v, n in zip(d[label_col], d[n_col])])
    ax.axvline(0, color="#555555", lw=1)
    ax.axvspan(-BANDS[method], BANDS[method], color="#999999", alpha=0.15, lw=0)
    ax.grid(axis="y", alpha=0)
    return ch.finish(ax, title=title, xlabel=f"mean tone, {scale}, with 95% CI ({unit})",
                     ylabel=ylabel)


def plot_tone_by(by_df: pd.DataFrame, *, title: str | None = None):
    """Mean tone per group with 95% CIs (the frame of :func:`tone_by`)."""
    col = by_df.columns[0]
    return _plot_intervals(by_df, col, "n", title=title or f"Tone by {col}", ylabel=str(col),
                           unit="articles")


def plot_term_tone(term_df: pd.DataFrame, *, title: str | None = None):
    """Mean tone of the sentences mentioning each term, with 95% CIs (:func:`term_tone`): toward
    the term (news model) or of the whole sentence (VADER), as the table's ``attrs["method"]`` says."""
    news = term_df.attrs.get("method", "vader") == "news"
    unmatched = term_df.loc[term_df["n_sentences"] == 0, "term"].astype(str).tolist()   # said, not dropped silently
    note = f"\n(no sentence mentions {', '.join(unmatched)})" if unmatched and len(unmatched) < len(term_df) else ""
    return _plot_intervals(term_df, "term", "n_sentences", ylabel="term", unit="sentences",
                           title=(title or ("Tone toward each term, in the sentences mentioning it" if news
                                            else "Tone of sentences mentioning each term")) + note,
                           scale="news-tone model score toward the term" if news else "VADER compound",
                           empty="no sentence in this corpus mentions these terms")


NO_SPEAKERS = "no quotes by named speakers in this corpus (or none with enough quotes)"
"""What the speaker chart says when :func:`speaker_tone` has no rows."""


def plot_speaker_tone(speaker_df: pd.DataFrame, *, title: str | None = None):
    """Mean tone of each speaker's quotes, with 95% CIs (:func:`speaker_tone`): toward the speaker
    where they are quoted (news model) or of the quotes' own wording (VADER), as ``attrs["method"]`` says."""
    news = speaker_df.attrs.get("method", config.TONE_METHOD) == "news"
    return _plot_intervals(speaker_df, "speaker", "n_quotes", ylabel="speaker", unit="quotes",
                           title=title or ("Tone toward each speaker, where they are quoted" if news
                                           else "Tone of each speaker's quotes"),
                           scale="news-tone model score toward the speaker" if news else "VADER compound",
                           empty=NO_SPEAKERS)


def plot_tone_over_time(tot: pd.DataFrame, *, by: str | None = None, events=None,
                        title: str = "Tone over time", freq: str = config.DEFAULT_FREQ):
    """Per-period mean tone (points), rolling mean (line) and its 95% band (shaded), from
    :func:`tone_over_time`. Periods without articles are gaps. ``events`` as in
    :func:`newsdesk.charts.add_events`; ``True`` marks those of ``config.EVENTS_FILE`` if it exists."""
    ch = _charts()
    fig, ax = ch.figure()
    freq = tot.attrs.get("freq", freq)
    k = tot.attrs.get("rolling")
    roll = f"rolling mean of {k} {freq}s" if k and k > 1 else "mean"
    groups = [(None, tot)] if not by else list(tot.groupby(by, sort=True))
    for i, (key, g) in enumerate(groups):
        color = ch.PALETTE[i % len(ch.PALETTE)]
        name = roll if key is None else str(key)
        x = pd.to_datetime(g["period"])
        ax.plot(x, g["rolling_mean"], color=color, lw=2, label=name)
        ax.fill_between(x, g["rolling_low"], g["rolling_high"], color=color, alpha=0.18, lw=0,
                        label=f"95% CI of the {roll}" if key is None else "_band")
        ax.plot(x, g["mean"], "o", ms=3, color=color, alpha=0.5,
                label="mean per period" if key is None else "_points")
    ax.axhline(0, color="#555555", lw=1)
    if events is True:  # the project's events file, when there is one (prefer config.events_for(articles))
        events = config.EVENTS_FILE if config.EVENTS_FILE.exists() else None
    if len(tot):
        periods = pd.to_datetime(tot["period"]).drop_duplicates().sort_values()
        if len(periods) <= 12:  # few periods: one labelled tick each
            fmt = {"month": "%b %Y", "quarter": "%b %Y", "year": "%Y"}.get(freq, "%d %b %Y")
            ax.set_xticks(list(periods), [d.strftime(fmt) for d in periods])
        else:
            ch.date_axis(ax, freq=freq)
        ch.add_events(ax, events or None)
    title = title if by is None else f"{title} by {by} ({roll})"
    return ch.finish(ax, title=title, xlabel=f"date ({freq} of publication)",
                     ylabel=f"mean article tone ({_scale(tot.attrs.get('method', config.TONE_METHOD))})", legend=True,
                     legend_title=by)


def _example_quotes(articles: pd.DataFrame) -> pd.DataFrame:
    from . import speakers  # lazily: tone does not depend on quotes at import time

    return speakers.quotes(articles)


#: How ``tests/test_charts.py`` calls each chart: ``example(articles) -> (args, kwargs)``.
CHART_EXAMPLES = {
    "plot_distribution": lambda a: ((sentences(a),), {}),
    "plot_tone_by": lambda a: ((tone_by(article_tone(a), "section"),), {}),
    "plot_term_tone": lambda a: ((term_tone(a, ["flood", "vaccine"]),), {}),
    "plot_speaker_tone": lambda a: ((speaker_tone(_example_quotes(a), articles=a),), {}),
    "plot_tone_over_time": lambda a: ((tone_over_time(article_tone(a), "month"),), {}),
}
