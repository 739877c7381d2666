"""Timelines and keywords: accuracy against known answers, and speed against naive code, in one run.

    .venv/bin/python benchmarks/timeline_keywords.py [--copies 20] [--repeats 3]

1. **Attention accuracy on the sample** (``data/sample/truth/articles.jsonl`` says which story line
   each article belongs to): for each story term, article-level precision and recall of "mentions
   the term" against "belongs to the story", and the Pearson r between the monthly attention share
   and the monthly share of the story's articles; whole-word matching against naive substring
   matching (``str.contains(term, case=False)``).
2. **Whole words on PolNeAR** (../shared, skipped when absent): articles that substring matching
   counts for ``Trump``/``Clinton``/``Iran`` but whole-word matching does not (``Trumpism``,
   ``Iranian``...).
3. **Keyword ranking, planted words** (PolNeAR train+dev; the sample without ../shared): in each month
   we plant synthetic words into the real texts with known answers: *distinctive* words (used in a
   share p of the month's articles and p/4 elsewhere), *bursty* decoys (repeated 40 times in a
   single article of the month) and *common* words (the same share everywhere). A good ranking puts
   the distinctive words in its top 20 and neither of the others. Compared: newsdesk's default
   (weighted log-odds, article counts, prior weighted like the period), the same on token counts
   with the pooled corpus as prior (the usual "Fightin' Words" setting), and a smoothed frequency
   ratio.
4. **Speed**: attention for two series, distinctive terms, KWIC and collocations on PolNeAR (or the
   sample) and on ``--copies`` date-shifted copies of it, against naive pandas code measured in
   the same run (attention: ``str.contains`` per term + groupby, no zero-filling).

Every ratio is between figures measured in this run; times are medians of ``--repeats``, in CPU
seconds of this process (single-threaded code; wall time on a shared machine is mostly the load).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))
POLNEAR_GLOB = SHARED / "corpora" / "polnear-*" / "articles" / "*.txt"
SAMPLE = ROOT / "data" / "sample"
STORIES = {"flood": "flood", "trade": "trade", "election": "election", "vaccine": "vaccine"}


def timed(fn, repeats: int) -> tuple[float, object]:
    """Median CPU seconds of ``fn`` (process time: on a shared machine, wall time mostly measures
    the neighbours) and its last result."""
    times, out = [], None
    for _ in range(repeats):
        t = time.process_time()
        out = fn()
        times.append(time.process_time() - t)
    return statistics.median(times), out


# --------------------------------------------------------------------------- 1. attention accuracy
def attention_accuracy(nd, timeline) -> list[str]:
    truth_file = SAMPLE / "truth" / "articles.jsonl"
    if not truth_file.exists():
        return ["(no data/sample/truth: run `make sample`)"]
    arts = nd.load_corpus(SAMPLE)
    truth = pd.read_json(truth_file, lines=True)[["path", "topic"]]
    df = arts.merge(truth, on="path", how="inner")
    if len(df) != len(arts):
        return [f"(truth covers {len(df)} of {len(arts)} articles: regenerate the sample)"]
    text = timeline.searchable_text(df)
    rows = ["| story term | precision | recall | r (monthly share vs truth) | naive substring: precision / recall |",
            "|---|---|---|---|---|"]
    month = df["date"].dt.to_period("M")
    for term, topic in STORIES.items():
        hit = timeline.mentions(df, term)[term].to_numpy()
        naive = text.str.contains(term, case=False, regex=False).to_numpy()
        gold = (df["topic"] == topic).to_numpy()

        def pr(pred):
            tp = int((pred & gold).sum())
            return tp / max(1, int(pred.sum())), tp / max(1, int(gold.sum()))

        p, r = pr(hit)
        pn, rn = pr(naive)
        share = pd.Series(hit).groupby(month.to_numpy()).mean()
        gold_share = pd.Series(gold).groupby(month.to_numpy()).mean()
        corr = float(np.corrcoef(share, gold_share)[0, 1])
        rows.append(f"| {term} | {p:.2f} | {r:.2f} | {corr:.3f} | {pn:.2f} / {rn:.2f} |")
    return rows


# --------------------------------------------------------------------------- 2. whole words
def whole_words(nd, timeline, arts) -> list[str]:
    text = timeline.searchable_text(arts)
    rows = ["| term | whole-word matches | substring matches | substring-only (false hits) |", "|---|---|---|---|"]
    for term in ["Trump", "Clinton", "Iran", "Cruz", "Bush"]:
        w = int(timeline.mentions(arts, term)[term].sum())
        s = int(text.str.contains(term, case=False, regex=False).sum())
        rows.append(f"| {term} | {w} | {s} | {s - w} |")
    return rows


# --------------------------------------------------------------------------- 3. planted keywords
def _freq_ratio(ca, cb, top):
    na, nb = sum(ca.values()), sum(cb.values())
    scores = {w: ((ca.get(w, 0) + 1) / (na + 1)) / ((cb.get(w, 0) + 1) / (nb + 1)) for w in ca}
    return [w for w, _ in sorted(scores.items(), key=lambda kv: -kv[1])[:top]]


def planted(keywords, base: pd.DataFrame, seed: int = 7, top: int = 20) -> list[str]:
    rng = np.random.default_rng(seed)
    months = base["date"].dt.to_period("M")
    counts = months.value_counts()
    usable = [m for m in counts.index if counts[m] >= 30 and counts[m] <= 0.5 * len(base)]
    methods = {
        "newsdesk default (article counts, prior weighted like the period)": [],
        "article counts, pooled corpus as prior": [],
        "token counts, pooled corpus as prior (classic Fightin' Words)": [],
        "smoothed frequency ratio (token counts)": [],
    }
    results = {k: {"distinctive": [], "bursty": [], "common": []} for k in methods}
    for m in sorted(usable):
        texts = base["text"].tolist()
        inside = np.flatnonzero((months == m).to_numpy())
        outside = np.flatnonzero((months != m).to_numpy())
        plants = {"distinctive": [], "bursty": [], "common": []}
        for i, p in enumerate([0.08, 0.12, 0.16, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]):
            w = f"zqdist{i}"
            plants["distinctive"].append(w)
            for j in rng.choice(inside, max(1, int(round(p * len(inside)))), replace=False):
                texts[j] += f" {w}."
            for j in rng.choice(outside, max(1, int(round(p / 4 * len(outside)))), replace=False):
                texts[j] += f" {w}."
        for i in range(10):
            w = f"zqburst{i}"
            plants["bursty"].append(w)
            j = rng.choice(inside)
            texts[j] += (" " + w) * 40 + "."
        for i in range(10):
            w = f"zqcommon{i}"
            plants["common"].append(w)
            for j in rng.choice(len(texts), int(0.2 * len(texts)), replace=False):
                texts[j] += f" {w}."
        df = base.assign(text=texts)
        lo = str(m.start_time.date())
        hi = str(m.end_time.date())
        ranked = {
            list(methods)[0]: keywords.distinctive_terms(df, period_from=lo, period_to=hi, top_n=top)["term"].tolist(),
            list(methods)[1]: keywords.log_odds(*_split_counts(df, lo, hi, "article"))
            .query("count_a >= 3")["term"].head(top).tolist(),
            list(methods)[2]: keywords.log_odds(*_split_counts(df, lo, hi, "token"))
            .query("count_a >= 3")["term"].head(top).tolist(),
            list(methods)[3]: _freq_ratio(*_split_counts(df, lo, hi, "token"), top),
        }
        for name, words in ranked.items():
            for kind, ws in plants.items():
                results[name][kind].append(len(set(ws) & set(words)) / len(ws))
    rows = [f"{len(usable)} months, {top} words shown per month; share of planted words in the top {top}:", "",
            "| method | distinctive (want 1) | bursty decoys (want 0) | common (want 0) |", "|---|---|---|---|"]
    for name, r in results.items():
        rows.append(f"| {name} | {np.mean(r['distinctive']):.2f} | {np.mean(r['bursty']):.2f} | {np.mean(r['common']):.2f} |")
    return rows


def _split_counts(df, lo, hi, unit):
    from newsdesk import wordcount
    from newsdesk.timeline import date_bounds

    a, b = date_bounds(lo, hi)
    mask = (df["date"] >= a) & (df["date"] <= b)
    return wordcount.word_counts(df[mask], unit=unit), wordcount.word_counts(df[~mask], unit=unit)


# --------------------------------------------------------------------------- 4. speed
def replicate(arts: pd.DataFrame, copies: int) -> pd.DataFrame:
    parts = []
    for k in range(copies):
        c = arts.copy()
        c["date"] = c["date"] + pd.Timedelta(days=400 * k)
        c["article_id"] = c["article_id"] + f"-{k}"
        parts.append(c)
    return pd.concat(parts, ignore_index=True)


def naive_attention(arts: pd.DataFrame, terms: list[str]) -> pd.DataFrame:
    text = arts["title"].fillna("") + "\n" + arts["text"]
    month = arts["date"].dt.to_period("M")
    out = {t: text.str.contains(t, case=False, regex=False).groupby(month).mean() for t in terms}
    return pd.DataFrame(out)


def speed(timeline, keywords, arts: pd.DataFrame, label: str, repeats: int) -> list[str]:
    rows = []
    t_naive, _ = timed(lambda: naive_attention(arts, ["Trump", "Clinton"] if "polnear" in label else ["flood", "trade"]), repeats)
    terms = "Trump|Clinton" if "polnear" in label else "flood|trade"
    t_att, _ = timed(lambda: timeline.attention(arts, terms), repeats)
    first = arts["date"].min() + pd.Timedelta(days=240)  # a month inside the first copy
    lo, hi = str(first.date()), str((first + pd.Timedelta(days=30)).date())
    t_kw, _ = timed(lambda: keywords.distinctive_terms(arts, period_from=lo, period_to=hi), repeats)
    t_kwic, k = timed(lambda: keywords.kwic(arts, terms.split("|")[0], context_chars=60), repeats)
    t_col, _ = timed(lambda: keywords.collocations(arts, top_n=20), max(1, repeats // 2))
    n = len(arts)
    rows.append(f"| {label} | {n:,} | {t_att:.2f} s ({n / t_att:,.0f}/s) | {t_naive:.2f} s | {t_att / t_naive:.2f}x | "
                f"{t_kw:.2f} s | {t_kwic:.2f} s ({len(k):,} lines) | {t_col:.2f} s |")
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=20, help="date-shifted copies for the large speed run")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    import newsdesk as nd
    from newsdesk import keywords, timeline
    from newsdesk.corpus import text

    print("## 1. Attention on the sample against its truth\n")
    print("\n".join(attention_accuracy(nd, timeline)))
    if any(POLNEAR_GLOB.parent.parent.parent.glob("polnear-*")):
        arts = nd.load_corpus(str(POLNEAR_GLOB))
        label = "polnear train+dev"
        print("\n## 2. Whole-word matching on PolNeAR\n")
        print("\n".join(whole_words(nd, timeline, arts)))
    else:
        arts = nd.load_corpus(SAMPLE)
        label = "sample"
    frame = arts[["article_id", "date", "title"]].assign(text=text(arts).to_numpy())
    print(f"\n## 3. Keyword ranking with planted words ({label})\n")
    print("\n".join(planted(keywords, frame)))
    print(f"\n## 4. Speed (CPU seconds, median of {args.repeats}; naive measured in the same run)\n")
    print("| corpus | articles | attention, 2 series | naive attention | ratio | distinctive terms | KWIC | collocations |")
    print("|---|---|---|---|---|---|---|---|")
    for line in speed(timeline, keywords, frame, label, args.repeats):
        print(line)
    big = replicate(frame, args.copies)
    for line in speed(timeline, keywords, big, f"{label} x{args.copies}", args.repeats):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
