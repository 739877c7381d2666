"""What coverage said: distinctive terms of a period, keywords in context, collocations.

- :func:`distinctive_terms` ranks the words that set a period apart from the rest of the corpus by
  the weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
  "Fightin' Words", *Political Analysis* 16(4)). Unlike raw frequency it ignores words common
  everywhere, and unlike plain log-odds or tf-idf it does not promote rare words: the prior shrinks
  every word toward its corpus-wide rate, and the score is a z-score (log-odds over its standard
  error), so a word needs both a large difference and enough evidence to rank high.
- :func:`kwic` gives keyword-in-context lines for a term with the date and title of each article.
- :func:`collocations` finds the strongest word pairs with NLTK's ``BigramCollocationFinder``
  (Dunning's log-likelihood ratio by default); pairs never span a sentence or an article.

Stop words (NLTK's English list plus news reporting words, shipped in
:mod:`newsdesk.resources`, no download) are left out of rankings and pairs. Exact duplicate
articles (``duplicate_of`` set by the loader) count once.

>>> from newsdesk import keywords
>>> keywords.distinctive_terms(articles, period_from="2016-07-01", period_to="2016-07-31")  # doctest: +SKIP
>>> keywords.kwic(articles, "flood", context_chars=60)                                     # doctest: +SKIP
"""
from __future__ import annotations

from collections import Counter
from typing import Mapping

import numpy as np
import pandas as pd

from . import config
from . import resources as R
from . import periods, tables, wordcount
from .corpus import is_original, originals
from .text import term_pattern

#: Arguments the chart test (``tests/test_charts.py``) passes to each chart function on the sample.
CHART_EXAMPLES: dict[str, dict] = {
    "plot_keywords": {"period_from": "2023-04-01", "period_to": "2023-04-30"},
}

MEASURES = ("likelihood_ratio", "pmi", "chi_sq", "student_t", "raw_freq")


# --------------------------------------------------------------------------- log-odds
def log_odds(
    counts_a: Mapping[str, int],
    counts_b: Mapping[str, int],
    *,
    prior: Mapping[str, float] | None = None,
    alpha0: float | None = None,
) -> pd.DataFrame:
    """Weighted log-odds of each word in ``counts_a`` versus ``counts_b`` with an informative
    Dirichlet prior (Monroe, Colaresi & Quinn 2008, eqs. 16-22).

    The prior's shape is ``prior`` (default: the pooled counts of a and b) rescaled to total
    ``alpha0`` pseudo-counts (default: as many as the prior has, i.e. the pooled counts as they are).
    Returns ``term, count_a, count_b, log_odds, se, z`` sorted by ``z``, largest first: a positive
    ``z`` means the word is more frequent in a than in b.

    >>> lo = log_odds({"flood": 8, "vote": 2}, {"flood": 2, "vote": 8})
    >>> lo["term"].tolist(), round(float(lo["z"].iloc[0]), 3)
    (['flood', 'vote'], 2.176)
    """
    vocab = sorted(set(counts_a) | set(counts_b))
    if not vocab:
        return pd.DataFrame(columns=["term", "count_a", "count_b", "log_odds", "se", "z"])
    ya = np.array([counts_a.get(w, 0) for w in vocab], dtype=float)
    yb = np.array([counts_b.get(w, 0) for w in vocab], dtype=float)
    if prior is None:
        alpha = ya + yb
    else:
        alpha = np.array([float(prior.get(w, 0.0)) for w in vocab], dtype=float)
        if (alpha < 0).any():
            raise ValueError("prior counts must be >= 0")
        # a word absent from the prior gets a little mass, or its log-odds would be infinite
        alpha = np.where(alpha > 0, alpha, 0.01)
    if alpha0 is not None:
        if alpha0 <= 0:
            raise ValueError(f"alpha0 must be > 0 (got {alpha0})")
        alpha = alpha * (float(alpha0) / alpha.sum())
    a0 = alpha.sum()
    na, nb = ya.sum(), yb.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        la = np.log(ya + alpha) - np.log(na + a0 - ya - alpha)
        lb = np.log(yb + alpha) - np.log(nb + a0 - yb - alpha)
        delta = la - lb
        se = np.sqrt(1.0 / (ya + alpha) + 1.0 / (yb + alpha))
    out = pd.DataFrame({"term": vocab, "count_a": ya.astype("int64"), "count_b": yb.astype("int64"),
                        "log_odds": delta, "se": se, "z": delta / se})
    return out.sort_values(["z", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _period_mask(articles: pd.DataFrame, period_from, period_to) -> pd.Series:
    from .corpus import date_mask

    if not period_from and not period_to:
        raise ValueError("give period_from and/or period_to (YYYY-MM-DD) to choose the period to compare")
    return date_mask(articles, period_from, period_to)


def peak_period(articles: pd.DataFrame, term: str, *, freq: str = "month", regex: bool = False) -> tuple[str, str]:
    """First and last day (``YYYY-MM-DD``) of the period in which ``term`` had the highest
    attention (share of articles mentioning it), among periods with at least half the median
    number of articles, so that a near-empty period cannot win with one article.

    >>> arts = pd.DataFrame({"date": pd.to_datetime(["2016-01-05", "2016-02-03", "2016-02-20"]),
    ...                      "title": ["Vote", "Flood", "Flood again"], "text": ["", "", ""]})
    >>> peak_period(arts, "flood")
    ('2016-02-01', '2016-02-29')
    """
    share, _ = _usable_attention(articles, term, freq=freq, regex=regex)
    if share.empty or share.max() <= 0:
        raise ValueError(f"{term!r} is not mentioned in the corpus: choose another term or give period_from/period_to")
    return _period_days(share.idxmax(), freq)


def _usable_attention(articles: pd.DataFrame, term: str, *, freq: str, regex: bool = False) -> tuple[pd.Series, int]:
    """The term's attention per period over the well-covered periods
    (:func:`newsdesk.periods.well_covered`), and the number of periods the corpus spans."""
    from . import timeline

    freq = periods.check_freq(freq)
    share = timeline.attention(articles, [term], freq=freq, regex=regex).iloc[:, 0]
    n = timeline.counts(articles, freq=freq)["articles"]
    return share[periods.well_covered(n)], len(n)


def _period_days(start: pd.Timestamp, freq: str) -> tuple[str, str]:
    """First and last day (``YYYY-MM-DD``) of the ``freq`` period that starts on ``start``."""
    end = pd.Timestamp(start).to_period(config.FREQ_ALIASES[periods.check_freq(freq)]).end_time
    return f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"


def focus(articles: pd.DataFrame, term: str = "", *, period_from: str = "", period_to: str = "",
          freq: str = "month") -> dict:
    """What to look at when the user chose nothing: ``{"term", "period_from", "period_to",
    "highlight", "note"}``.

    - ``term`` ``""``: the corpus's most covered subject (:func:`newsdesk.entities.auto_terms`).
    - no period: the ``freq`` period in which the term peaked (:func:`peak_period`), when the corpus
      spans at least :data:`config.SPIKE_MIN_PERIODS` periods and the peak stands out (at least
      :data:`config.SPIKE_MIN_RATIO` times the median attention). Otherwise there is no spike to
      set apart: the period is left empty (the whole corpus) and the note says why.

    >>> arts = pd.DataFrame({"date": pd.to_datetime(["2016-01-05", "2016-01-06"]), "article_id": ["a", "b"],
    ...                      "title": ["Flood", "Vote"], "text": ["", ""]})
    >>> focus(arts, "flood")["note"]
    'The corpus spans 1 month: too short to find a spike, so the keywords below are those of the whole corpus.'
    """
    from . import entities

    notes = []
    if not term:
        terms, why = entities.auto_terms(articles, n=1)
        if not terms:
            raise ValueError("no term given and no name is mentioned often enough to choose one: set term")
        term = terms[0]
        notes.append(f"Term chosen from the corpus: {term!r} (its most mentioned name; set term to choose).")
    if period_from or period_to:
        return {"term": term, "period_from": period_from, "period_to": period_to,
                "highlight": (period_from or None, period_to or None), "note": " ".join(notes)}
    freq = periods.check_freq(freq)
    usable, n_periods = _usable_attention(articles, term, freq=freq)     # one pass: the peak is read from it
    if n_periods < config.SPIKE_MIN_PERIODS:
        notes.append(f"The corpus spans {n_periods} {freq}{'s' if n_periods != 1 else ''}: too short to find a spike, "
                     "so the keywords below are those of the whole corpus.")
    elif usable.max() <= 0:
        notes.append(f"{term!r} is not mentioned in this selection: the keywords below are those of the whole corpus.")
    elif usable.max() < config.SPIKE_MIN_RATIO * max(float(usable.median()), 1e-12):
        notes.append(f"Attention to {term!r} has no {freq} that stands out ({config.SPIKE_MIN_RATIO:g} times its "
                     "median): the keywords below are those of the whole corpus.")
    else:
        lo, hi = _period_days(usable.idxmax(), freq)       # what peak_period gives, without a second pass
        notes.append(f"The period set apart is the {freq} in which {term!r} peaked: {lo} to {hi}.")
        return {"term": term, "period_from": lo, "period_to": hi, "highlight": (lo, hi), "note": " ".join(notes)}
    return {"term": term, "period_from": "", "period_to": "", "highlight": None, "note": " ".join(notes)}


def distinctive_terms(
    articles: pd.DataFrame,
    *,
    period_from: str | None = None,
    period_to: str | None = None,
    top_n: int = 20,
    min_count: int = 3,
    unit: str = "article",
    alpha0: float | None = None,
) -> pd.DataFrame:
    """The ``top_n`` words that set the period ``[period_from, period_to]`` (inclusive, whole days)
    apart from the rest of the corpus, by weighted log-odds z-score (see :func:`log_odds`).

    ``unit="article"`` (default) counts the articles that use a word rather than its uses, so one
    long article repeating a name cannot make it the word of the period; ``"token"`` counts every
    use, as in Monroe et al. The prior has the shape of the whole corpus's counts and, by default,
    the weight of the period's own counts (``alpha0`` overrides it). Words counted fewer than
    ``min_count`` times in the period are left out.

    Columns: ``term``, ``count_period``, ``count_rest``, ``rate_period``, ``rate_rest`` (% of
    articles using the word, or uses per 10,000 words with ``unit="token"``), ``log_odds``, ``z``.
    A period with no articles, or with every article, gives no rows and says why in
    ``attrs["note"]`` (and at the end of ``attrs["summary"]``).

    With no period at all there is nothing to compare with: the words used in the most articles
    of the whole corpus are returned (``term, count_period, rate_period`` only;
    ``attrs["whole_corpus"]`` is True), as :func:`focus` asks when a corpus has no spike.

    >>> distinctive_terms(articles, period_from="2016-07-01", period_to="2016-07-31")  # doctest: +SKIP
    """
    if not (period_from or period_to):
        return _corpus_keywords(articles, top_n=top_n, min_count=min_count, unit=unit)
    if wordcount._stored(articles):  # one read of the store for both sides, no copy of the articles
        mask = _period_mask(articles, period_from, period_to).to_numpy(dtype=bool)
        unique = is_original(articles)
        n_inside, n_rest = int((mask & unique).sum()), int((~mask & unique).sum())
    else:
        arts = originals(articles)
        mask = _period_mask(arts, period_from, period_to)
        inside, rest = arts[mask], arts[~mask]
        n_inside, n_rest = len(inside), len(rest)
    note = None
    if not n_inside:
        note = f"no articles between {period_from or 'the start'} and {period_to or 'the end'}: nothing to compare"
    elif not n_rest:
        note = ("the period holds every article: there is no rest of the corpus to compare it with "
                "(choose a shorter period)")
    if note:                 # an empty table with its columns, and the reason
        out = pd.DataFrame({"term": pd.Series(dtype="str"), "count_period": pd.Series(dtype="int64"),
                            "count_rest": pd.Series(dtype="int64"),
                            **{c: pd.Series(dtype="float64") for c in ("rate_period", "rate_rest", "log_odds", "z")}})
        out.attrs.update(period_from=period_from, period_to=period_to, unit=unit,
                         rate_unit="% of articles" if unit == "article" else "per 10,000 words",
                         articles_period=n_inside, articles_rest=n_rest, note=note,
                         summary=f"{n_inside:,} articles in {period_from or 'the start'} to {period_to or 'the end'}, "
                                 f"{n_rest:,} outside it: {note}")
        return out
    if wordcount._stored(articles):
        ca, cb = wordcount._word_counts_sides(articles, mask, unit)
    else:
        ca, cb = wordcount.word_counts(inside, unit=unit), wordcount.word_counts(rest, unit=unit)
    na, nb = sum(ca.values()), sum(cb.values())
    lo = log_odds(ca, cb, alpha0=alpha0 if alpha0 is not None else max(1, na))
    lo = lo[(lo["count_a"] >= int(min_count)) & (lo["z"] > 0)].head(int(top_n))
    if unit == "article":
        ra, rb, rate_unit = 100.0 / n_inside, 100.0 / n_rest, "% of articles"
    else:
        ra, rb, rate_unit = 1e4 / max(1, na), 1e4 / max(1, nb), "per 10,000 words"
    out = pd.DataFrame({
        "term": lo["term"].to_numpy(),
        "count_period": lo["count_a"].to_numpy(),
        "count_rest": lo["count_b"].to_numpy(),
        "rate_period": (lo["count_a"] * ra).round(2).to_numpy(),
        "rate_rest": (lo["count_b"] * rb).round(2).to_numpy(),
        "log_odds": lo["log_odds"].round(4).to_numpy(),
        "z": lo["z"].round(3).to_numpy(),
    })
    out.attrs.update(period_from=period_from, period_to=period_to, unit=unit, rate_unit=rate_unit,
                     articles_period=n_inside, articles_rest=n_rest,
                     summary=f"{n_inside:,} articles in {period_from or 'the start'} to {period_to or 'the end'}, "
                             f"{n_rest:,} outside it")
    return out


def _corpus_keywords(articles: pd.DataFrame, *, top_n: int, min_count: int, unit: str) -> pd.DataFrame:
    counts = wordcount.word_counts(articles, unit=unit)       # exact duplicates left out, no copy of the frame
    n = int(is_original(articles).sum())
    top = wordcount.most_used(counts, top_n=top_n, min_count=min_count)
    total = sum(counts.values())
    scale = 100.0 / max(1, n) if unit == "article" else 1e4 / max(1, total)
    out = pd.DataFrame({"term": [w for w, _ in top], "count_period": [c for _, c in top]})
    out["rate_period"] = (out["count_period"] * scale).round(2)     # nothing to compare with: no z, no rest
    out.attrs.update(period_from=None, period_to=None, unit=unit, whole_corpus=True,
                     rate_unit="% of articles" if unit == "article" else "per 10,000 words",
                     articles_period=n, articles_rest=0,
                     summary=f"{n:,} articles: the whole corpus (no period set apart)")
    return out


def plot_keywords(
    articles: pd.DataFrame,
    *,
    period_from: str | None = None,
    period_to: str | None = None,
    top_n: int = 20,
    min_count: int = 3,
    unit: str = "article",
    table: pd.DataFrame | None = None,
    title: str | None = None,
):
    """Horizontal bars of the :func:`distinctive_terms` of a period, strongest at the top, each
    labelled with its count in the period (articles using it, or uses with ``unit="token"``).

    Pass ``table`` (a :func:`distinctive_terms` result) to draw it without counting again.
    """
    if table is None:
        table = distinctive_terms(articles, period_from=period_from, period_to=period_to, top_n=top_n,
                                  min_count=min_count, unit=unit)
    else:
        period_from = period_from or table.attrs.get("period_from")
        period_to = period_to or table.attrs.get("period_to")
        unit = table.attrs.get("unit", unit)
        table = table.head(int(top_n))
    from . import charts

    whole = bool(table.attrs.get("whole_corpus"))
    n = len(table)
    fig, ax = charts.figure(size=(charts.REPORT_SIZE[0], max(charts.REPORT_SIZE[1], 0.6 + 0.24 * n)))
    y = np.arange(n)[::-1]
    value = table["rate_period"] if whole else table["z"]
    ax.barh(y, value, color=charts.PALETTE[0], height=0.7, label="_z")
    ax.set_yticks(y, table["term"], fontsize=9)
    ax.grid(axis="y", visible=False)
    for yi, z, c in zip(y, value, table["count_period"]):
        ax.annotate(f"{c:,}", xy=(z, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7,
                    color="#555555")
    if n == 0:
        ax.text(0.5, 0.5, table.attrs.get("note") or "no word is over-represented in this period",
                transform=ax.transAxes, ha="center", wrap=True)
    ax.margins(x=0.08)
    if whole:
        return charts.finish(ax, title=title or "Words used in the most articles of the corpus",
                             xlabel="Articles using the word (%)" if unit == "article" else "Uses per 10,000 words",
                             ylabel="Word (articles using it)" if unit == "article" else "Word (uses)")
    span = f"{period_from or 'start'} to {period_to or 'end'}"
    return charts.finish(ax, title=title or f"Words that set {span} apart from the rest of the corpus",
                         xlabel="Weighted log-odds vs. rest of corpus (z-score)",
                         ylabel="Word (articles using it)" if unit == "article" else "Word (uses)")


# --------------------------------------------------------------------------- KWIC
_KWIC_BATCH = 500  # articles whose text kwic cuts at a time


def kwic(
    articles: pd.DataFrame,
    term: str,
    *,
    context_chars: int = 60,
    regex: bool = False,
    period_from: str | None = None,
    period_to: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Keyword-in-context lines: every match of ``term`` in the clean text, oldest first.

    Columns: ``date``, ``title``, ``left``, ``match``, ``right`` (up to ``context_chars``
    characters either side, white space collapsed, cut at a word boundary), ``article_id`` and
    ``start`` (offset of the match in ``body``). ``limit`` keeps the first lines.

    >>> arts = pd.DataFrame({"article_id": ["a"], "date": pd.to_datetime(["2016-07-01"]), "title": ["T"],
    ...                      "text": ["Heavy rain.  The flood hit the town on Monday."]})
    >>> kwic(arts, "flood", context_chars=12)[["left", "match", "right"]].values.tolist()
    [['rain. The', 'flood', 'hit the']]
    """
    if int(context_chars) < 0:
        raise ValueError(f"context_chars must be >= 0 (got {context_chars})")
    cc = int(context_chars)
    pat = term_pattern(term, regex=regex)
    # Positions of the wanted articles, oldest first, then their texts a few hundred at a time
    # until ``limit`` lines are found: no copy of the whole frame, no text cut that is not read.
    keep = is_original(articles)
    if period_from or period_to:
        keep &= _period_mask(articles, period_from, period_to).to_numpy(dtype=bool)
    pos = np.flatnonzero(keep)
    if "date" in articles.columns:
        dates_kept = articles["date"].iloc[pos].reset_index(drop=True)
        pos = pos[dates_kept.sort_values(kind="stable").index.to_numpy()]
    space = R.SPACE_RUN_RE.sub
    rows = []
    cap = None if limit is None else int(limit)
    for lo in range(0, len(pos), _KWIC_BATCH):
        if cap is not None and len(rows) >= cap:
            break
        arts = articles.iloc[pos[lo:lo + _KWIC_BATCH]]
        n = len(arts)
        texts = wordcount._texts(arts).tolist()
        offsets = arts["text_offset"].tolist() if "text_offset" in arts.columns else [0] * n
        ids = arts["article_id"].tolist() if "article_id" in arts.columns else [str(i) for i in arts.index]
        dates = arts["date"].tolist() if "date" in arts.columns else [pd.NaT] * n
        titles = arts["title"].tolist() if "title" in arts.columns else [""] * n
        for t, off, aid, date, title in zip(texts, offsets, ids, dates, titles):
            if cap is not None and len(rows) >= cap:
                break
            for m in pat.finditer(t):
                s, e = m.span()
                left = t[max(0, s - cc):s]
                if s - cc > 0 and left and not left[0].isspace() and not t[s - cc - 1].isspace():
                    parts = left.split(None, 1)
                    left = parts[1] if len(parts) > 1 else ""
                right = t[e:e + cc]
                if e + cc < len(t) and right and not right[-1].isspace() and not t[e + cc].isspace():
                    parts = right.rsplit(None, 1)
                    right = parts[0] if len(parts) > 1 else ""
                rows.append((date, title, space(" ", left).strip(), space(" ", m.group(0)),
                             space(" ", right).strip(), aid, int(off) + s))
                if cap is not None and len(rows) >= cap:
                    break
    return pd.DataFrame(rows, columns=["date", "title", "left", "match", "right", "article_id", "start"])


def show_kwic(lines: pd.DataFrame):
    """Keyword-in-context lines (:func:`kwic`) for reading: the left context right-aligned against
    the match, no row numbers, every cell escaped (:func:`newsdesk.tables.show`).

    >>> "&lt;b&gt;" in show_kwic(pd.DataFrame({"left": ["<b>"], "match": ["x"], "right": [""]})).to_html()
    True
    """
    return tables.show(lines, right=["left"], index=False)


# --------------------------------------------------------------------------- collocations
def collocations(
    articles: pd.DataFrame,
    *,
    top_n: int = 20,
    measure: str = "likelihood_ratio",
    min_count: int = 3,
    term: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
) -> pd.DataFrame:
    """The ``top_n`` strongest word pairs (adjacent, within a sentence) by an NLTK association
    measure: ``likelihood_ratio`` (default; Dunning 1993, robust for rare pairs), ``pmi``,
    ``chi_sq``, ``student_t`` or ``raw_freq``.

    Pairs holding a stop word, a number or a one-letter token are left out, as are pairs seen fewer
    than ``min_count`` times. ``term`` keeps pairs one of whose words matches it (single words only,
    e.g. ``"flood|river"``). Columns: ``bigram``, ``w1``, ``w2``, ``count``, ``score``.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)} (got {measure!r})")
    # Count words (all of them: they are the marginals) and adjacent pairs of keyword tokens within
    # each sentence, then score with NLTK's finder. Same counts as BigramCollocationFinder.from_documents
    # followed by apply_word_filter, several times faster; from the store when the articles come from
    # load_corpus, where pairs below min_count or without the term are dropped before NLTK sees them
    # (the finder's filters would drop them; scores use only the kept pairs' and words' counts).
    pat = term_pattern(term) if term else None
    if wordcount._stored(articles):
        mask = _period_mask(articles, period_from, period_to) if (period_from or period_to) else None
        vocab, uses, first, second, n = wordcount._collocation_counts(articles, mask, int(min_count), pat)
    else:
        arts = originals(articles)
        if period_from or period_to:
            arts = arts[_period_mask(arts, period_from, period_to)]
        words, pairs = Counter(), Counter()
        for t in wordcount._texts(arts):
            w, p = wordcount.article_counts(t)
            words.update(w)
            pairs.update(p)
        vocab, uses, first, second, n = _pair_arrays(words, pairs, int(min_count), pat)
    return _best_pairs(vocab, uses, first, second, n, measure=measure, top_n=int(top_n))


def _pair_arrays(words: Mapping[str, int], pairs: Mapping[tuple[str, str], int], min_count: int, pat):
    """``words`` and the ``pairs`` seen at least ``min_count`` times (holding a word that fully
    matches ``pat``, when given) as arrays: the words, their uses, each pair's words (indices into
    the words) and its uses, as :func:`newsdesk.wordcount._collocation_counts` gives them.

    >>> _pair_arrays({"heavy": 2, "rain": 2, "fell": 1}, {("heavy", "rain"): 2, ("rain", "fell"): 1}, 2, None)[2:]
    (array([0]), array([1]), array([2]))
    """
    vocab = list(words)
    code = {w: i for i, w in enumerate(vocab)}
    kept = [(code[a], code[b], c) for (a, b), c in pairs.items()
            if c >= min_count and (pat is None or pat.fullmatch(a) or pat.fullmatch(b))]
    cols = np.array(kept, dtype=np.int64).reshape(-1, 3).T
    return vocab, np.array(list(words.values()), dtype=np.int64), cols[0], cols[1], cols[2]


def _approx_scores(measure: str, n_ii, n_ix, n_xi, n_xx: float) -> np.ndarray:
    """NLTK's ``BigramAssocMeasures`` ``measure`` of many pairs at once (float64 arrays; equal to
    NLTK's own scores up to rounding), to find the few pairs worth scoring exactly."""
    small = 1e-20
    with np.errstate(all="ignore"):
        if measure == "raw_freq":
            return n_ii / n_xx
        if measure == "student_t":
            return (n_ii - n_ix * n_xi / n_xx) / (n_ii + small) ** 0.5
        if measure == "pmi":
            return np.log2(n_ii * n_xx) - np.log2(n_ix * n_xi)
        n_oi, n_io = n_xi - n_ii, n_ix - n_ii
        cont = (n_ii, n_oi, n_io, n_xx - n_ii - n_oi - n_io)
        if measure == "chi_sq":
            a, b, c, d = cont
            return n_xx * (a * d - b * c) ** 2 / ((a + b) * (a + c) * (b + d) * (c + d))
        total = cont[0] + cont[1] + cont[2] + cont[3]
        out = np.zeros(len(n_ii))
        for i in range(4):
            exp = (cont[i] + cont[i ^ 1]) * (cont[i] + cont[i ^ 2]) / total
            out += cont[i] * np.log(cont[i] / (exp + small) + small)
        return 2 * out


def _best_pairs(vocab: list[str], uses: np.ndarray, first: np.ndarray, second: np.ndarray, n: np.ndarray, *,
                measure: str, top_n: int) -> pd.DataFrame:
    """The ``top_n`` pairs by NLTK's ``measure``, as ``BigramCollocationFinder.score_ngrams`` ranks
    them (score, highest first; ties by the pair) with its scores: every pair is scored at once
    with NumPy (:func:`_approx_scores`), and only those that can be in the top ``top_n`` (within
    a margin far wider than rounding) with NLTK's own function.

    >>> _best_pairs(["heavy", "rain", "fell"], np.array([2, 2, 1]), np.array([0]), np.array([1]), np.array([2]),
    ...             measure="raw_freq", top_n=5).values.tolist()
    [['heavy rain', 'heavy', 'rain', 2, 0.4]]
    """
    from nltk.metrics import BigramAssocMeasures

    score_fn = getattr(BigramAssocMeasures, measure)
    n_all = int(uses.sum())
    cand = np.arange(len(n))
    if 0 <= top_n < len(n):
        approx = _approx_scores(measure, n.astype(float), uses[first].astype(float), uses[second].astype(float),
                                float(n_all))
        if np.isfinite(approx).all():
            if top_n == 0:
                cand = cand[:0]
            else:
                kth = np.partition(-approx, top_n - 1)[top_n - 1] * -1.0
                cand = np.flatnonzero(approx >= kth - 1e-6 * max(1.0, abs(kth)))
    scored = []
    for i in cand.tolist():      # as BigramCollocationFinder.score_ngram computes it
        a, b, c = int(first[i]), int(second[i]), int(n[i])
        scored.append(((vocab[a], vocab[b]), c, score_fn(c / 1.0, (int(uses[a]), int(uses[b])), n_all)))
    scored.sort(key=lambda t: (-t[2], t[0]))
    rows = [(f"{a} {b}", a, b, c, sc) for (a, b), c, sc in scored[:top_n]]
    return pd.DataFrame(rows, columns=["bigram", "w1", "w2", "count", "score"])


__all__ = ["MEASURES", "log_odds", "peak_period", "focus", "distinctive_terms", "plot_keywords", "kwic", "show_kwic",
           "collocations"]
