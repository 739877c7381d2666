"""Tests for newsdesk.speakers: corpus-level speakers, aliases, tables, charts, quote yield,
followed speakers, the CLI, the sample truth and the notebook."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from newsdesk import speakers as SP
from newsdesk.speakers import merge_speakers, read_aliases
import reportkit as kit
from test_quotes import _articles


@pytest.mark.parametrize("text_in, expected", [
    (["Sergei Lavrov", "Lavrov", "Lavrov"], ["Sergei Lavrov"] * 3),
    (["Donald J. Trump", "Donald Trump", "Donald Trump"], ["Donald Trump"] * 3),
    # an ambiguous surname is left alone
    (["Bill Clinton", "Hillary Clinton", "Clinton"], ["Bill Clinton", "Hillary Clinton", "Clinton"]),
    # descriptive words before a name quoted elsewhere (issue 18: "Billionaire Donald Trump")
    (["Donald Trump", "Billionaire Donald Trump", "Real Donald Trump"], ["Donald Trump"] * 3),
    (["Billionaire Donald Trump"], ["Billionaire Donald Trump"]),           # nobody to merge into
    (["Hillary Rodham Clinton", "Hillary Clinton"], ["Hillary Rodham Clinton", "Hillary Clinton"]),
    (["Paul Jones", "John Paul Jones"], ["Paul Jones", "John Paul Jones"]),  # a first name is no description
])
def test_merge_speakers_across_corpus(text_in, expected):
    assert merge_speakers(pd.Series(text_in)).tolist() == expected


def test_aliases_override_merging(tmp_path):
    p = tmp_path / "aliases.csv"
    p.write_text("canonical,alias\nJonathan Whitfield,Jack Whitfield\nSergei V. Lavrov,Sergei Lavrov\n")
    aliases = read_aliases(p)
    got = merge_speakers(pd.Series(["Jack Whitfield", "Lavrov", "Sergei Lavrov"]), aliases=aliases).tolist()
    assert got == ["Jonathan Whitfield", "Sergei V. Lavrov", "Sergei V. Lavrov"]


def test_aliases_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="canonical,alias"):
        read_aliases(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,other\na,b\n")
    with pytest.raises(ValueError, match="lacks column"):
        read_aliases(bad)
    assert read_aliases(None) == {}


def test_quotes_merges_across_articles_and_joins_metadata(tmp_path):
    arts = _articles([
        "Talks\nSergei Lavrov arrived.\n“We came to listen,” Sergei Lavrov said.",
        "More talks\n“No comment,” Lavrov said.",
        "Sport\n“We will win the cup,” Jack Whitfield said.",
    ], section=["World", "World", "Sport"])
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("canonical,alias\nJonathan Whitfield,Jack Whitfield\n")
    q = SP.quotes(arts, aliases=aliases, cache=False)
    assert {"article_id", "quote", "speaker", "speaker_mention", "cue", "start", "end", "date", "section",
            "title", "path"} <= set(q.columns)
    assert q["speaker"].tolist() == ["Sergei Lavrov", "Sergei Lavrov", "Jonathan Whitfield"]
    assert q["speaker_mention"].tolist()[1] == "Lavrov"
    assert q["section"].tolist() == ["World", "World", "Sport"]
    assert SP.quotes(arts, aliases=None, min_words=4, cache=False)["quote"].tolist() == ["We came to listen",
                                                                                        "We will win the cup"]


def test_quotes_names_organisation_descriptions_across_corpus():
    arts = _articles([
        "A\n“Counting is over,” the National Election Commission said.",
        "B\n“Turnout was 71 percent,” the election commission said.",
        "C\n“We will appeal,” the ministry said.",
    ])
    q = SP.quotes(arts, aliases=None, cache=False)
    assert q["speaker"].tolist()[:2] == ["National Election Commission"] * 2
    assert pd.isna(q["speaker"].tolist()[2])  # no organisation ends in "ministry": left alone


def test_quotes_uses_the_store(tmp_path):
    arts = _articles(["Talks\n“No comment,” Sergei Lavrov said."])
    first = SP.quotes(arts, aliases=None)
    again = SP.quotes(arts, aliases=None)
    pd.testing.assert_frame_equal(first, again)


def test_quotes_rejects_bad_input():
    with pytest.raises(TypeError, match="load_corpus"):
        SP.quotes(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="min_words"):
        SP.quotes(_articles(["T\nx"]), min_words=-1, aliases=None)


def test_tables():
    arts = _articles([
        "A\n“We came to listen,” Sergei Lavrov said. “We will stay,” Anna Berg said.",
        "B\n“No comment,” Sergei Lavrov said.",
    ])
    q = SP.quotes(arts, aliases=None, cache=False)
    top = SP.top_speakers(q)
    assert top["speaker"].tolist()[0] == "Sergei Lavrov" and top["quotes"].tolist()[0] == 2
    co = SP.co_quoted(q)
    assert co.loc["Sergei Lavrov", "Anna Berg"] == 1 and co.loc["Sergei Lavrov", "Sergei Lavrov"] == 2
    table = SP.speaker_quotes(q, "lavrov")
    assert table["quote"].tolist() == ["No comment", "We came to listen"]  # newest first
    sov = SP.share_of_voice(q)
    assert abs(sov.loc["World"].sum() - 1) < 1e-9
    per = SP.quotes_per_month(q)
    assert int(per.to_numpy().sum()) == 3


@pytest.mark.parametrize("kinds, expected", [
    (["person", "person", "organisation"], "person"),           # the most frequent kind
    (["person", "organisation"], "organisation"),               # a tie: the first in sort order
    (["organisation", "person", "person", "organisation"], "organisation"),
])
def test_top_speakers_kind_is_the_most_frequent(kinds, expected):
    n = len(kinds)
    q = pd.DataFrame({"speaker": ["A B"] * n + ["C D"], "speaker_kind": kinds + ["person"],
                      "article_id": list(range(n)) + [0], "words": [2] * n + [5]})
    top = SP.top_speakers(q)
    assert top.loc[top["speaker"] == "A B", "kind"].item() == expected
    assert top.loc[top["speaker"] == "C D", "kind"].item() == "person"
    assert top["speaker"].tolist() == ["A B", "C D"] and top["quotes"].tolist() == [n, 1]


@pytest.mark.parametrize("dates, weeks", [
    (["2023-10-22", "2023-10-23"], ["2023-10-16", "2023-10-23"]),  # Sunday, then Monday: two weeks
    (["2023-10-16", "2023-10-22"], ["2023-10-16"]),                # Monday and Sunday: one week
])
def test_quotes_per_week_run_monday_to_sunday(dates, weeks):
    arts = _articles(["A\n“We will stay,” Anna Berg said.", "B\n“We will go,” Anna Berg said."], date=dates)
    per = SP.quotes_per_month(SP.quotes(arts, aliases=None), freq="week")
    assert per.index.strftime("%Y-%m-%d").tolist() == weeks
    assert per["Anna Berg"].sum() == 2
    with pytest.raises(ValueError, match="freq"):
        SP.quotes_per_month(SP.quotes(arts, aliases=None), freq="fortnight")


def test_charts_are_labelled(tmp_path):
    from newsdesk import charts

    arts = _articles([
        "A\n“We came to listen,” Sergei Lavrov said. “We will stay,” Anna Berg said.",
        "B\n“No comment,” Sergei Lavrov said. “Fine,” the Kremlin said.",
    ], date=["2023-01-05", "2023-03-02"], section=["World", "Politics"])
    q = SP.quotes(arts, aliases=None, cache=False)
    figs = [SP.chart_top_speakers(q), SP.chart_quotes_per_month(q), SP.chart_share_of_voice(q),
            SP.chart_quote_lengths(q), SP.chart_co_quoted(q)]
    for fig in figs:
        lab = charts.labels_of(fig)[0]
        assert lab["title"] and lab["xlabel"] and lab["ylabel"]
    assert charts.labels_of(figs[1])[0]["legend"]  # several speakers -> a legend
    charts.save(figs[0], tmp_path / "top.png")
    assert (tmp_path / "top.png").stat().st_size > 1000


# --------------------------------------------------------------------------- CLI
def _cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsdesk.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_quotes_formats(tmp_path, monkeypatch):
    from newsdesk.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "001_a.txt").write_text("## Title: Talks\n## Section: World\n## Date: 2023-01-05\n\nTalks\n"
                                      "“No comment,” Sergei Lavrov said.\n", encoding="utf-8")
    for ext in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"q.{ext}"
        assert main(["quotes", str(corpus), "--out", str(out), "--no-cache"]) == 0
        assert out.exists()
    line = json.loads((tmp_path / "q.jsonl").read_text().splitlines()[0])
    assert line["article"] == "001_a.txt" and line["quote"] == "No comment"
    assert line["speaker"] == "Sergei Lavrov" and line["speaker_mention"] == "Sergei Lavrov"
    assert pd.read_parquet(tmp_path / "q.parquet")["speaker"].tolist() == ["Sergei Lavrov"]
    assert main(["quotes", str(corpus), "--out", str(tmp_path / "q.txt")]) == 2
    assert not (tmp_path / "q.txt").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("name,other\na,b\n")
    assert main(["quotes", str(corpus), "--out", str(tmp_path / "b.jsonl"), "--aliases", str(bad)]) == 2
    assert main(["quotes", str(corpus), "--out", str(tmp_path / "b.jsonl"), "--aliases", str(tmp_path / "no.csv")]) == 2
    assert not (tmp_path / "b.jsonl").exists()


# --------------------------------------------------------------------------- sample truth
def test_sample_truth_end_to_end(sample_dir):
    truth_file = sample_dir / "truth" / "quotes.jsonl"
    if not truth_file.exists():
        pytest.skip("the sample corpus has no truth file")
    import newsdesk as nd

    arts = nd.load_corpus(sample_dir)
    q = SP.quotes(arts, cache=False)
    q["file"] = q["path"].map(os.path.basename)
    truth = [json.loads(line) for line in truth_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    real = [t for t in truth if t["speaker_kind"] != "none"]
    by_file = {f: g for f, g in q.groupby("file")}
    matched = right = 0
    for t in real:
        g = by_file.get(t["path"])
        if g is None:
            continue
        hit = g[(g["end"].clip(upper=t["end"]) - g["start"].clip(lower=t["start"])) >= 0.5 * (g["end"] - g["start"])]
        if len(hit):
            matched += 1
            got = hit["speaker"].iat[0]
            right += (got if isinstance(got, str) else None) == t["speaker"]
    recall, accuracy = matched / len(real), right / max(matched, 1)
    assert recall >= 0.97, recall
    assert accuracy >= 0.95, accuracy
    # scare quotes (no speaker in the truth) are not reported as quotes
    scare = [t for t in truth if t["speaker_kind"] == "none"]
    hits = sum(1 for t in scare for g in [by_file.get(t["path"])] if g is not None
               and ((g["start"] < t["end"]) & (g["end"] > t["start"])).any())
    assert hits <= 0.1 * len(scare)


# --------------------------------------------------------------------------- notebook
def _run_notebook(root: Path, tmp_path: Path, corpus: str, **params):
    papermill = pytest.importorskip("papermill")
    nb = root / "notebooks" / "03-quotes.ipynb"
    out = tmp_path / "03-quotes.out.ipynb"
    with kit.private_kernel() as kernel:
        papermill.execute_notebook(str(nb), str(out), parameters={"corpus": corpus, **params},
                                   kernel_name="newsdesk", cwd=str(root / "notebooks"), progress_bar=False, **kernel)
    return json.loads(out.read_text())


@pytest.mark.slow
def test_notebook_runs_on_sample(root, tmp_path, sample_dir):
    if not any(sample_dir.glob("*.txt")):
        pytest.skip("the sample corpus has not been generated")
    nb = _run_notebook(root, tmp_path, "../data/sample")
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert sum(1 for o in outputs if "image/png" in o.get("data", {})) >= 5


@pytest.mark.slow
@pytest.mark.shared
def test_notebook_runs_on_polnear_dev(root, tmp_path, polnear_dev):
    nb = _run_notebook(root, tmp_path, str(polnear_dev / "articles"), top_n=10, min_quote_words=3)
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]


def test_empty_selection_gives_empty_tables_and_charts():
    arts = _articles(["T\nNo quotes here."]).iloc[0:0]
    q = SP.quotes(arts, aliases=None)
    assert len(q) == 0 and {"quote", "speaker", "date", "section"} <= set(q.columns)
    assert SP.summary(q, arts)["value"].tolist()[0] == 0
    assert SP.speaker_quotes(q, "anyone").empty and SP.top_speakers(q).empty and SP.follow_speakers(q)[0] == []
    for chart in (SP.chart_top_speakers, SP.chart_quotes_per_month, SP.chart_share_of_voice,
                  SP.chart_quote_lengths, SP.chart_co_quoted):
        assert chart(q).axes[0].get_title()


# --------------------------------------------------------------------------- yield per outlet
def test_quote_yield_flags_an_outlet_whose_marks_are_not_read():
    # 12 articles per outlet; "Singles" marks its quotes with single quotes, which are not read
    plain = ["T\n“We will win,” Anna Berg said. “We are ready,” Anna Berg added."] * 12
    singles = ["T\n'We will win,' Anna Berg said. 'We are ready,' Anna Berg added."] * 12
    small = ["T\n'We will win,' Anna Berg said."] * 3       # too few articles to tell
    bodies = plain + plain + singles + small
    arts = _articles(bodies, section=["A"] * 12 + ["B"] * 12 + ["Singles"] * 12 + ["Few"] * 3)
    arts = arts.rename(columns={"section": "publisher"})
    q = SP.quotes(arts, aliases=None, cache=False)
    y = SP.quote_yield(q, arts, by="publisher")
    assert y.set_index("publisher")["per_article"].to_dict() == {"A": 2.0, "B": 2.0, "Singles": 0.0, "Few": 0.0}
    assert y.loc[y["low_yield"], "publisher"].tolist() == ["Singles"]
    (w,) = SP.yield_warnings(y)
    assert w.startswith("Singles: 0.00 quotes per article against a median of 1.0")


def test_quote_yield_without_a_low_outlet_warns_of_nothing():
    arts = _articles(["T\n“We will win,” Anna Berg said."] * 20, section=["A"] * 10 + ["B"] * 10)
    y = SP.quote_yield(SP.quotes(arts, aliases=None, cache=False), arts)
    assert y.columns[0] == "section" and not y["low_yield"].any() and SP.yield_warnings(y) == []


@pytest.mark.shared
def test_nyt_yields_quotes_like_the_other_outlets(polnear_train):
    import newsdesk as nd

    arts = nd.load_corpus(polnear_train / "articles")
    y = SP.quote_yield(SP.quotes(arts), arts, by="publisher").set_index("publisher")
    others = y.drop(index="New York Times")["per_article"].median()
    assert others / 2 <= y.loc["New York Times", "per_article"] <= others * 2, y
    assert not y["low_yield"].any()


#: Speakers issue 18 found in ``newsdesk quotes`` on polnear-train that are no person or organisation.
NOT_SPEAKERS = ["Maybe", "Republican", "Team Trump", "Trump Tower", "Chasing Trump", "Billionaire Donald Trump",
                "Real Donald Trump"]


@pytest.mark.shared
def test_polnear_train_speakers_are_people_or_organisations(polnear_train):
    """Issue 18 item 2 on the archive it was found on: none of the non-speakers it names is a
    speaker, no speaker is a dateline or headline (at most resources.SPEAKER_MAX_WORDS words), and
    following "Trump" offers people named Trump only."""
    import newsdesk as nd
    from newsdesk import resources as R

    q = SP.quotes(nd.load_corpus(polnear_train / "articles"))
    names = set(q["speaker"].dropna())
    assert names.isdisjoint(NOT_SPEAKERS), sorted(names & set(NOT_SPEAKERS))
    assert max(len(n.split()) for n in names) <= R.SPEAKER_MAX_WORDS
    assert not any(n.startswith("WASHINGTON") for n in names)
    followed, (note,) = SP.follow_speakers(q, ["Trump"])
    assert followed == [] and not any(w in note for w in ("Team", "Tower", "Billionaire", "Real "))
    assert len(SP.speaker_quotes(q, SP.follow_speakers(q, ["Donald Trump"])[0])) >= 455   # issue 18's count


_FOLLOW_Q = pd.DataFrame({
    "speaker": ["Donald Trump"] * 5 + ["Eric Trump", "Melania Trump", "Sergei Lavrov", "Trump University",
                                       "White House"],
    "speaker_kind": ["person"] * 8 + ["organisation", "organisation"],
    "article_id": list(range(10)), "words": 4})


@pytest.mark.parametrize("wanted, followed, note", [
    (["Donald Trump"], ["Donald Trump"], None),
    (["donald  TRUMP"], ["Donald Trump"], None),
    (["Lavrov"], ["Sergei Lavrov"], None),                        # a surname only one speaker has
    (["white house"], ["White House"], None),
    (["Trump"], [], "Trump could be Donald Trump (5 quotes), Eric Trump (1) or Melania Trump (1)"),
    (["Kerry"], [], "Kerry is not a named speaker"),              # never silently replaced
    (["Kerry", "Lavrov"], ["Sergei Lavrov"], "Kerry is not"),
    ([], ["Donald Trump", "Eric Trump", "Melania Trump"], "Following the 3 most-quoted speakers"),
])
def test_follow_speakers_means_that_speaker(wanted, followed, note):
    got, notes = SP.follow_speakers(_FOLLOW_Q, wanted, n=3)
    assert got == followed
    if note is None:
        assert notes == []
    else:
        assert len(notes) == 1 and notes[0].startswith(note)


def test_a_followed_speaker_never_quoted_is_charted_in_nobodys_place():
    """Issue 18: 03 followed ``Kerry`` (never quoted), then charted the top speakers month by month
    in his place. ``follow_speakers`` gives ``[]`` and the chart of ``[]`` is a sentence, no lines."""
    q = _FOLLOW_Q.assign(quote="x", date=pd.Timestamp("2016-01-01")).iloc[:9]
    q = pd.concat([q, q.assign(date=pd.Timestamp("2016-02-01"))])
    followed, notes = SP.follow_speakers(q, ["Kerry"], n=3)
    assert followed == [] and len(notes) == 1 and "Kerry" in notes[0]
    assert SP.quotes_per_month(q, speakers=followed).empty
    ax = SP.chart_quotes_per_month(q, speakers=followed).axes[0]
    assert not ax.lines and [t.get_text() for t in ax.texts] == [SP.NO_FOLLOWED]
    assert len(SP.chart_quotes_per_month(q).axes[0].lines) == 5          # None: still the top speakers


def test_speaker_quotes_of_followed_names_is_exact():
    q = _FOLLOW_Q.assign(quote="x", date=pd.Timestamp("2016-01-01"))
    assert set(SP.speaker_quotes(q, ["Donald Trump"])["speaker"]) == {"Donald Trump"}
    assert len(SP.speaker_quotes(q, "trump")) == 8                 # a term still finds every Trump
    assert SP.speaker_quotes(q, []).empty


def test_co_quotation_map_without_shared_articles_is_a_sentence():
    q = pd.DataFrame({"article_id": ["a", "b", "c"], "speaker": ["Ann Lee", "Bo Li", "Cy Ng"],
                      "speaker_kind": "person", "words": 3})
    fig = SP.chart_co_quoted(q)
    assert not fig.axes[0].images                         # no uniform square
    assert any("No two" in t.get_text() for t in fig.axes[0].texts)
    shared = pd.concat([q, q.assign(article_id="a").iloc[1:2]])
    assert SP.chart_co_quoted(shared).axes[0].images       # one shared article: a real map


@pytest.mark.parametrize("bodies, message", [
    (["Council met\nThe council met on Tuesday and agreed a budget."] * 3, SP.NO_QUOTES),
    (['Council met\n"We will rebuild the roads before winter," a spokesman said.\n"It is a good budget."'] * 3,
     SP.NO_NAMED),
], ids=["no-quotes", "quotes-but-no-named-speaker"])
def test_no_quotes_or_no_named_speakers_give_empty_tables_and_charts_that_say_so(bodies, message):
    from newsdesk import tone as T

    q = SP.quotes(_articles(bodies), aliases=None)
    assert (len(q) == 0) == (message == SP.NO_QUOTES)
    assert SP.empty_message(q) == message
    assert SP.top_speakers(q).empty and SP.co_quoted(q).empty and SP.follow_speakers(q, [], n=3)[0] == []
    import matplotlib.pyplot as plt

    for chart in (SP.chart_top_speakers, SP.chart_share_of_voice, SP.chart_co_quoted):
        fig = chart(q)
        assert fig.axes[0].get_title() and message in [t.get_text() for t in fig.axes[0].texts]
        plt.close(fig)
    tone = T.speaker_tone(q, min_quotes=3, top=10, kinds=["person", "organisation"])
    assert tone.empty and list(tone.columns) == ["speaker", "n_quotes", "n_articles", "mean", "ci_low", "ci_high"]
    assert tone["n_quotes"].dtype == "int64"
    fig = T.plot_speaker_tone(tone)
    assert T.NO_SPEAKERS in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)


def test_quotes_per_month_of_one_month_are_bars_not_floating_points():
    q = pd.DataFrame({"article_id": list("abc"), "speaker": ["Ann Lee", "Ann Lee", "Bo Chan"],
                      "speaker_kind": "person", "words": 3,
                      "date": pd.to_datetime(["2023-03-06", "2023-03-07", "2023-03-08"])})
    ax = SP.chart_quotes_per_month(q).axes[0]
    assert not ax.lines and [round(p.get_width()) for p in ax.patches] == [1, 2]
    assert "one month only" in ax.get_title()
    two = pd.concat([q, q.assign(date=pd.Timestamp("2023-04-02"))])
    assert SP.chart_quotes_per_month(two).axes[0].lines                 # two months: a trend line


def test_a_partial_last_month_is_marked_on_quotes_per_month():
    q = pd.DataFrame({"article_id": list("abc"), "speaker": "Ann Lee", "speaker_kind": "person", "words": 3,
                      "date": pd.to_datetime(["2023-07-03", "2023-08-10", "2023-09-06"])})
    ax = SP.chart_quotes_per_month(q).axes[0]
    assert any(p.get_label() == "_partial" for p in ax.patches) and any("6 of 30 days" in t.get_text() for t in ax.texts)


def test_one_top_speakers_route_for_notebooks_03_and_04():
    """03 (speakers.top_speakers) and 04 (timeline.speakers) pick and order the same speakers:
    by quotes, then by articles (Bo Chan: 2 quotes in 2 articles; Ann Lee: 2 in 1)."""
    from newsdesk import timeline

    arts = _articles(["T\n“We will win,” Ann Lee said. “We are ready,” Ann Lee added.",
                      "T\n“The roads are open,” Bo Chan said.",
                      "T\n“The bridge is safe,” Bo Chan said. “A spokesman agreed,” a spokesman said."])
    q = SP.quotes(arts, aliases=None, cache=False)
    top = SP.top_speakers(q, top_n=2)["speaker"].tolist()
    assert top == ["Bo Chan", "Ann Lee"]
    assert timeline.speakers(arts, freq="month", top_n=2).columns.tolist() == top


@pytest.mark.parametrize("text", ["We will  win.", "", " ", "\u3000a\u00a0b\x1c c", "one\u2028two\u200bthree",
                                  "\u180e", "tab\tsep\n", "\x85\u2007", None])
@pytest.mark.parametrize("dtype", ["str", object])
def test_word_counts_and_has_text_are_str_split_and_strip(text, dtype):
    """Counted on bytes and tested in Arrow, the same as Python's split() and strip() (a missing text is "None")."""
    col = pd.Series([text, "x"], dtype=dtype)
    assert SP.word_counts(col).tolist() == [len(str(text).split()), 1]
    assert SP.word_counts(col.iloc[1:]).tolist() == [1]
    assert SP.has_text(col).tolist() == [isinstance(text, str) and bool(text.strip()), True]


def test_the_white_space_class_is_every_isspace_character():
    assert all(not chr(c).isspace() for c in range(0x3001, 0x110000))
    every = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
    assert SP.has_text(pd.Series([every, every + "a" + every])).tolist() == [False, True]
    assert SP.word_counts(pd.Series([every + "a" + every + "é’b" + every, "a b"])).tolist() == [2, 2]


@pytest.mark.parametrize("text_in, expected", [
    # (article_id, speaker) per quote -> articles quoting both, in top order
    ([("a", "Ann Lee"), ("a", "Ann Lee"), ("a", "Bo Roe"), ("b", "Bo Roe"), ("c", "Ann Lee")],
     [[2, 1], [1, 2]]),
    ([("a", "Ann Lee"), ("b", "Bo Roe"), ("b", "Bo Roe"), ("b", "Cy Dee")], [[1, 0, 1], [0, 1, 0], [1, 0, 1]]),
    ([("a", "Ann Lee")], [[1]]),
])
def test_co_quoted_counts_shared_articles(text_in, expected):
    q = pd.DataFrame({"article_id": [a for a, _ in text_in], "speaker": [s for _, s in text_in],
                      "speaker_kind": "person", "words": 3})
    got = SP.co_quoted(q)
    top = SP.top_speakers(q)["speaker"].tolist()
    assert got.index.tolist() == got.columns.tolist() == top and got.index.name == "speaker"
    assert got.to_numpy().tolist() == expected and str(got.dtypes.iloc[0]) == "int64"
    # as a crosstab of articles by speaker gives it
    n = q[q["speaker"].isin(top)]
    m = pd.crosstab(n["article_id"], n["speaker"]).clip(upper=1)[top]
    assert (m.T @ m).to_numpy().tolist() == expected


@pytest.mark.parametrize("text_in, expected", [
    ((["the commission", "the commission", "a man"], ["National Election Commission"]),
     ["National Election Commission", "National Election Commission", None]),
    ((["the election commission", "the  Commission"], ["National Election Commission", "Trade Commission"]),
     ["National Election Commission", None]),
])
def test_descriptions_take_the_one_organisation_named_so(text_in, expected):
    mentions, orgs = text_in
    rows = pd.DataFrame({"speaker": [None] * len(mentions) + orgs,
                         "speaker_kind": ["description"] * len(mentions) + ["organisation"] * len(orgs),
                         "speaker_mention": mentions + orgs}, index=range(10, 10 + len(mentions) + len(orgs)))
    SP._name_descriptions(rows)
    got = rows["speaker"].iloc[:len(mentions)].tolist()
    assert [g if isinstance(g, str) else None for g in got] == expected
    kinds = rows["speaker_kind"].iloc[:len(mentions)].tolist()
    assert kinds == ["organisation" if e else "description" for e in expected]


@pytest.mark.parametrize("text_in", [
    # (section, speaker) per named quote
    [("World", "Ann Lee"), ("World", "Bo Roe"), ("Local", "Ann Lee"), (None, "Cy Dee"), ("World", "Ann Lee")],
    [("World", "Ann Lee"), ("World", "Ann Lee")],
    [("B", "Ann Lee"), ("A", "Bo Roe"), ("A", "Cy Dee"), ("C", "Dee Ho"), ("A", "Ann Lee")],
])
@pytest.mark.parametrize("top_n", [1, 2, 6])
def test_share_of_voice_is_the_crosstab_normalised_by_group(text_in, top_n):
    q = pd.DataFrame({"section": pd.Series([g for g, _ in text_in], dtype="str"), "speaker": [s for _, s in text_in],
                      "speaker_kind": "person", "article_id": range(len(text_in)), "words": 3})
    top = SP.top_speakers(q, top_n=top_n)["speaker"].tolist()
    want = pd.crosstab(q["section"].astype("object").fillna("(none)"),
                       q["speaker"].where(q["speaker"].isin(top), "others"), normalize="index")
    want = want[[c for c in top + ["others"] if c in want.columns]]
    pd.testing.assert_frame_equal(SP.share_of_voice(q, by="section", top_n=top_n), want, check_exact=True)
