"""Tests for newsdesk.quotes: every quote form and speaker rule of issue 3, the annotator,
corpus-level speakers, aliases, charts, the CLI, the sample truth, PolNeAR and the notebook."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from newsdesk import quotes as Q
from newsdesk.quotes import extract_quotes, merge_speakers, read_aliases, strip_title


def _triples(text: str, **kw) -> list[tuple[str, str | None, str | None]]:
    return [(q["quote"], q["speaker_mention"], q["speaker"]) for q in extract_quotes(text, **kw)]


# --------------------------------------------------------------------------- 1. quote forms
FORMS = [
    pytest.param(  # curly marks, speaker after
        "“We will not back down,” Sergei Lavrov said on Tuesday.",
        [("We will not back down", "Sergei Lavrov", "Sergei Lavrov")], id="curly-after"),
    pytest.param(  # straight marks, speaker before with a comma lead-in
        'Sergei Lavrov told reporters in Geneva, "The talks were useful."',
        [("The talks were useful.", "Sergei Lavrov", "Sergei Lavrov")], id="straight-before"),
    pytest.param(  # inverted order
        "“The ceasefire is holding,” said Anna Berg, speaking from Kyiv.",
        [("The ceasefire is holding", "Anna Berg", "Anna Berg")], id="inverted"),
    pytest.param(  # appositive between speaker and cue
        "“Nobody expected the flood to rise so fast,” Hugh Hill, a doctor at the county hospital, said.",
        [("Nobody expected the flood to rise so fast", "Hugh Hill", "Hugh Hill")], id="appositive"),
    pytest.param(  # inverted with an appositive after the name
        "“We are working around the clock,” said Maria Lopez, the city’s emergency manager.",
        [("We are working around the clock", "Maria Lopez", "Maria Lopez")], id="inverted-appositive"),
    pytest.param(  # colon lead-in in the same paragraph
        "Sergei Lavrov said: “There will be no deal without guarantees.”",
        [("There will be no deal without guarantees.", "Sergei Lavrov", "Sergei Lavrov")], id="colon"),
    pytest.param(  # colon lead-in without a speech verb
        "Opposition leader Marcus Odell put it plainly: “This budget fails every family.”",
        [("This budget fails every family.", "Marcus Odell", "Marcus Odell")], id="colon-no-verb"),
    pytest.param(  # dash attribution after the quote
        "The river rose two metres overnight.\n“We have lost everything.” — Commissioner Ruth Calloway",
        [("We have lost everything.", "Commissioner Ruth Calloway", "Ruth Calloway")], id="dash-after"),
    pytest.param(  # dash attribution with a lower-case role before the name
        "Prices fell again.\n“The data will be public next year.” — astronomer Kenji Arakawa",
        [("The data will be public next year.", "Kenji Arakawa", "Kenji Arakawa")], id="dash-after-role"),
    pytest.param(  # according to, comma outside the marks (British style), lower-case role
        "The debate was “a campaign of lies”, according to campaign spokeswoman Nadia Sorel.",
        [("a campaign of lies", "Nadia Sorel", "Nadia Sorel")], id="according-to-role"),
    pytest.param(  # dash attribution before the quote
        "Dr. Priya Raman — “It is too early to draw conclusions.”",
        [("It is too early to draw conclusions.", "Dr. Priya Raman", "Priya Raman")], id="dash-before"),
    pytest.param(  # according to
        "According to Sergei Lavrov, “the talks were a waste of time.”",
        [("the talks were a waste of time.", "Sergei Lavrov", "Sergei Lavrov")], id="according-to-before"),
    pytest.param(
        "“The talks were a waste of time,” according to Sergei Lavrov.",
        [("The talks were a waste of time", "Sergei Lavrov", "Sergei Lavrov")], id="according-to-after"),
    pytest.param(  # partial quote inside paraphrase
        "Senator Tom Reed called the trade deal “a disaster for farmers” on Monday.",
        [("a disaster for farmers", "Senator Tom Reed", "Tom Reed")], id="partial"),
    pytest.param(  # partial quote, the sentence subject is the speaker
        "Mayor Grace Lindqvist defended the shelters as “the best we can do” after the storm.",
        [("the best we can do", "Mayor Grace Lindqvist", "Grace Lindqvist")], id="partial-subject"),
    pytest.param(  # split quote: the second part shares the speaker
        "“We will rebuild,” Mayor Grace Lindqvist said. “It will take years, but we will rebuild.”",
        [("We will rebuild", "Mayor Grace Lindqvist", "Grace Lindqvist"),
         ("It will take years, but we will rebuild.", "Mayor Grace Lindqvist", "Grace Lindqvist")], id="split"),
    pytest.param(  # a quote running over two paragraphs: no closing mark until the last
        "Jonas Weber said in a statement: “Patients are being treated faster. Everyone worked hard.\n"
        "“I could not be happier.”",
        [("Patients are being treated faster. Everyone worked hard.", "Jonas Weber", "Jonas Weber"),
         ("I could not be happier.", "Jonas Weber", "Jonas Weber")], id="multi-paragraph"),
    pytest.param(  # a quote alone in its paragraph after a lead-in ending with a colon
        "Cruz continued:\n“The questions asked in this debate illustrate why people do not trust the media.”",
        [("The questions asked in this debate illustrate why people do not trust the media.", "Cruz", "Cruz")],
        id="standalone-after-colon"),
    pytest.param(  # a quote alone in its paragraph after the speaker's previous quote
        "“We need more nurses,” said Priya Raman, an epidemiologist.\n"
        "“The wards are full and the winter has not even started.”",
        [("We need more nurses", "Priya Raman", "Priya Raman"),
         ("The wards are full and the winter has not even started.", "Priya Raman", "Priya Raman")],
        id="standalone-after-quote"),
    pytest.param(  # question mark and a capitalised speaker after it
        "“Where was the help when we needed it?” Anna Berg asked.",
        [("Where was the help when we needed it?", "Anna Berg", "Anna Berg")], id="question"),
    pytest.param(  # a scare quote with no speaker is not a quote
        "Much of the debate is about so-called “corridor care” in the hospitals.",
        [], id="scare-quote"),
    pytest.param(  # a film title with no speaker is not a quote
        "The movie “Thirteen Hours” opens on Friday in 2,000 cinemas.",
        [], id="title-of-work"),
    # the New York Times archive writes a double quote mark as two apostrophes
    pytest.param(
        "''I think this incident will break down some barriers,'' said Senator Chris Coons.",
        [("I think this incident will break down some barriers", "Senator Chris Coons", "Chris Coons")],
        id="nyt-inverted"),
    pytest.param(
        "Mr. Trump said on Twitter: ''Hillary Clinton has announced that she is letting her husband out.''",
        [("Hillary Clinton has announced that she is letting her husband out.", "Mr. Trump", "Trump")],
        id="nyt-colon"),
    pytest.param(
        "''I'll put it this way,'' she said. ''Nobody here is ready.''",
        [("I'll put it this way", "she", None), ("Nobody here is ready.", "she", None)], id="nyt-split"),
    pytest.param(  # a nested single quote closing beside the double one: three apostrophes
        "''He told me, 'Eight years is enough,''' Ms. Sherry recalled.",
        [("He told me, 'Eight years is enough,'", "Ms. Sherry", "Sherry")], id="nyt-nested"),
    pytest.param(  # a partial quote in paraphrase
        "Senator Tom Reed called the trade deal ''a disaster for farmers'' on Monday.",
        [("a disaster for farmers", "Senator Tom Reed", "Tom Reed")], id="nyt-partial"),
    pytest.param(  # an apostrophe that ends a plural possessive is no quote mark
        "The players' union met on Monday.",
        [], id="apostrophe-possessive"),
    pytest.param(  # guillemets, with and without the spaces French typography puts inside
        "« Nous ne reculerons pas », said Anna Berg on Tuesday. «We stay», Anna Berg added.",
        [("Nous ne reculerons pas", "Anna Berg", "Anna Berg"), ("We stay", "Anna Berg", "Anna Berg")],
        id="guillemets"),
]


@pytest.mark.parametrize("text_in, expected", FORMS)
def test_quote_forms(text_in, expected):
    assert _triples(text_in) == expected


def test_offsets_point_into_the_body():
    body = "Headline here\nIntro line.\n“We will rebuild,” Mayor Grace Lindqvist said.\n"
    (q,) = extract_quotes(body, title="Headline here")
    assert body[q["start"]:q["end"]] == q["quote"] == "We will rebuild"
    assert q["cue"] == "said"


def test_title_line_is_not_searched():
    body = "Lavrov: “No deal”\n“There is no deal,” Sergei Lavrov said.\n"
    assert [q["quote"] for q in extract_quotes(body, title="Lavrov: “No deal”")] == ["There is no deal"]


@pytest.mark.parametrize("text_in, expected", [
    pytest.param(  # an unclosed quote costs only its own paragraph
        "“This will never pass, Sen. Tom Reed said.\n“We will vote no,” Anna Berg said.\n"
        "“It is a bad bill,” said Hugh Hill.",
        [("We will vote no", "Anna Berg"), ("It is a bad bill", "Hugh Hill")], id="unclosed"),
    pytest.param(  # a stray closing mark costs only its own paragraph
        "The vote is on Friday” and nobody knows.\n“We will vote no,” Anna Berg said.",
        [("We will vote no", "Anna Berg")], id="stray-close"),
    pytest.param(  # an odd number of straight marks in one paragraph
        'He said "yes and then left.\n"We will vote no," Anna Berg said. "It is a bad bill."',
        [("We will vote no", "Anna Berg"), ("It is a bad bill.", "Anna Berg")], id="odd-straight"),
])
def test_unbalanced_marks_cost_at_most_the_paragraph(text_in, expected):
    got = [(q["quote"], q["speaker_mention"]) for q in extract_quotes(text_in)]
    for pair in expected:
        assert pair in got


def test_keep_unattributed_keeps_long_quotes_without_speaker():
    text = "The sign read:\n“Nothing about us without us, and nothing for us without us either.”"
    assert extract_quotes(text) == []
    (q,) = extract_quotes(text, keep_unattributed=True)
    assert q["speaker"] is None and q["quote"].startswith("Nothing about us")


def test_bad_input_is_a_clear_error():
    with pytest.raises(TypeError, match="body must be a str"):
        extract_quotes(None)  # type: ignore[arg-type]
    assert extract_quotes("") == []
    assert extract_quotes("No quotes at all here.") == []


# --------------------------------------------------------------------------- 2. speakers
SPEAKERS = [
    pytest.param(  # pronoun -> most recent compatible person (she skips the man named last)
        "Hillary Clinton met Bernie Sanders in Iowa.\n“We agree on more than we disagree,” she said.",
        [("We agree on more than we disagree", "she", "Hillary Clinton")], id="pronoun-she"),
    pytest.param(  # he -> the subject of the sentence before
        "Sergei Lavrov arrived in Geneva on Monday.\n“The talks were useful,” he told reporters.",
        [("The talks were useful", "he", "Sergei Lavrov")], id="pronoun-he"),
    pytest.param(  # titles stripped in the speaker, kept in the mention
        "“We will appeal,” President Donald Trump said.",
        [("We will appeal", "President Donald Trump", "Donald Trump")], id="title"),
    pytest.param(  # honorific + surname -> the full name used earlier in the article
        "Donald Trump spoke in Ohio.\n“We will win,” Mr. Trump said.",
        [("We will win", "Mr. Trump", "Donald Trump")], id="honorific-short-form"),
    pytest.param(  # short form merged within the article
        "Sergei Lavrov flew to Geneva.\n“No comment,” Lavrov said.",
        [("No comment", "Lavrov", "Sergei Lavrov")], id="short-form"),
    pytest.param(  # a role before the name
        "“The figures will be published every quarter,” Health Minister Jonas Weber said.",
        [("The figures will be published every quarter", "Health Minister Jonas Weber", "Jonas Weber")], id="role"),
    pytest.param(  # organisations speak
        "“The president has full confidence in the team,” the White House said in a statement.",
        [("The president has full confidence in the team", "White House", "White House")], id="organisation"),
    pytest.param(
        "“These claims are baseless,” the Kremlin said.",
        [("These claims are baseless", "Kremlin", "Kremlin")], id="kremlin"),
    pytest.param(  # a definite description resolves to the organisation named before
        "The National Election Commission met on Monday.\n“Turnout was high,” the commission said.",
        [("Turnout was high", "the commission", "National Election Commission")], id="organisation-description"),
    pytest.param(  # family name first: "Mr. Chen" is Chen Liang
        "Chen Liang, the trade minister, arrived on Sunday.\n“We want a fair deal,” Mr. Chen said.",
        [("We want a fair deal", "Mr. Chen", "Chen Liang")], id="family-name-first"),
    pytest.param(  # a name never runs over a line break
        "The study was led by Priya Raman\nRaman said the results were “very encouraging” for patients.",
        [("very encouraging", "Raman", "Priya Raman")], id="name-across-lines"),
    pytest.param(  # a description is a mention, not a canonical speaker
        "“We discussed all the issues frankly,” said a diplomat who asked not to be named.",
        [("We discussed all the issues frankly", "a diplomat", None)], id="anonymous"),
]


@pytest.mark.parametrize("text_in, expected", SPEAKERS)
def test_speakers(text_in, expected):
    assert _triples(text_in) == expected



# A speaker mention never runs over a line break: a name ending one line and a name starting
# the next are two people, and a pronoun looks for its antecedent in its own line's sentences.
LINE_BREAKS = [
    pytest.param(
        "“The count was a farce.” – Senator Ilse Marrow\nPavel Dunst, the party chair, said the count "
        "was flawed. “We will appeal,” he said.",
        [("The count was a farce.", "Senator Ilse Marrow", "Ilse Marrow"), ("We will appeal", "he", "Pavel Dunst")],
        id="dash-then-next-line-subject"),
    pytest.param(
        "The report was written by Ilse Marrow\nPavel Dunst said: “We will appeal.”",
        [("We will appeal.", "Pavel Dunst", "Pavel Dunst")], id="name-ends-line-before"),
    pytest.param(
        "Talks ended late.\nIlse Marrow\nPavel Dunst: “We will appeal.”",
        [("We will appeal.", "Pavel Dunst", "Pavel Dunst")], id="colon"),
    pytest.param(
        "“We will appeal,” said Ilse Marrow\n\nPavel Dunst left the hall.",
        [("We will appeal", "Ilse Marrow", "Ilse Marrow")], id="after-paragraph-break"),
    pytest.param(
        "“We will appeal.” — Ilse Marrow\r\nPavel Dunst left the hall.",
        [("We will appeal.", "Ilse Marrow", "Ilse Marrow")], id="dash-crlf"),
]


@pytest.mark.parametrize("text_in, expected", LINE_BREAKS)
def test_speaker_never_crosses_a_line_break(text_in, expected):
    got = _triples(text_in)
    assert got == expected
    assert not any("\n" in (m or "") or "\n" in (s or "") for _, m, s in got)

def test_organisation_kind():
    (q,) = extract_quotes("“These claims are baseless,” the Kremlin said.")
    assert q["speaker_kind"] == "organisation"


@pytest.mark.parametrize("text_in, expected", [
    ("President Donald Trump", "Donald Trump"),
    ("Mr. Trump", "Trump"),
    ("Secretary of State John Kerry", "John Kerry"),
    ("Sen. Ted Cruz", "Ted Cruz"),
    ("Health Minister Jonas Weber", "Jonas Weber"),
    ("Sergei Lavrov", "Sergei Lavrov"),
])
def test_strip_title(text_in, expected):
    assert strip_title(text_in) == expected


@pytest.mark.parametrize("text_in, expected", [
    (["Sergei Lavrov", "Lavrov", "Lavrov"], ["Sergei Lavrov"] * 3),
    (["Donald J. Trump", "Donald Trump", "Donald Trump"], ["Donald Trump"] * 3),
    # an ambiguous surname is left alone
    (["Bill Clinton", "Hillary Clinton", "Clinton"], ["Bill Clinton", "Hillary Clinton", "Clinton"]),
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


# --------------------------------------------------------------------------- annotator and quotes()
def _articles(bodies: list[str], **extra) -> pd.DataFrame:
    from newsdesk.parse import content_hash

    n = len(bodies)
    df = pd.DataFrame({
        "article_id": [f"a{i}" for i in range(n)],
        "path": [f"{i:03d}_x.txt" for i in range(n)],
        "title": [b.split("\n", 1)[0] for b in bodies],
        "section": extra.get("section", ["World"] * n),
        "date": pd.to_datetime(extra.get("date", ["2023-01-0%d" % (i % 9 + 1) for i in range(n)])),
        "body": bodies,
    })
    df["content_hash"] = [content_hash(t, str(d), b) for t, d, b in zip(df["title"], df["date"], df["body"])]
    return df


def test_annotate_columns_and_registration():
    from newsdesk import registry

    arts = _articles(["Talks\n“No comment,” Sergei Lavrov said."])
    rows = Q.annotate(arts)
    assert {"article_id", "quote", "speaker_mention", "speaker", "cue", "start", "end"} <= set(rows.columns)
    assert rows["article_id"].tolist() == ["a0"]
    assert registry.annotator("quotes").fn is Q.annotate


def test_quotes_merges_across_articles_and_joins_metadata(tmp_path):
    arts = _articles([
        "Talks\nSergei Lavrov arrived.\n“We came to listen,” Sergei Lavrov said.",
        "More talks\n“No comment,” Lavrov said.",
        "Sport\n“We will win the cup,” Jack Whitfield said.",
    ], section=["World", "World", "Sport"])
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("canonical,alias\nJonathan Whitfield,Jack Whitfield\n")
    q = Q.quotes(arts, aliases=aliases, cache=False)
    assert {"article_id", "quote", "speaker", "speaker_mention", "cue", "start", "end", "date", "section",
            "title", "path"} <= set(q.columns)
    assert q["speaker"].tolist() == ["Sergei Lavrov", "Sergei Lavrov", "Jonathan Whitfield"]
    assert q["speaker_mention"].tolist()[1] == "Lavrov"
    assert q["section"].tolist() == ["World", "World", "Sport"]
    assert Q.quotes(arts, aliases=None, min_words=4, cache=False)["quote"].tolist() == ["We came to listen",
                                                                                        "We will win the cup"]


def test_quotes_names_organisation_descriptions_across_corpus():
    arts = _articles([
        "A\n“Counting is over,” the National Election Commission said.",
        "B\n“Turnout was 71 percent,” the election commission said.",
        "C\n“We will appeal,” the ministry said.",
    ])
    q = Q.quotes(arts, aliases=None, cache=False)
    assert q["speaker"].tolist()[:2] == ["National Election Commission"] * 2
    assert pd.isna(q["speaker"].tolist()[2])  # no organisation ends in "ministry": left alone


def test_quotes_uses_the_store(tmp_path):
    arts = _articles(["Talks\n“No comment,” Sergei Lavrov said."])
    first = Q.quotes(arts, aliases=None)
    again = Q.quotes(arts, aliases=None)
    pd.testing.assert_frame_equal(first, again)


def test_quotes_rejects_bad_input():
    with pytest.raises(TypeError, match="load_corpus"):
        Q.quotes(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="min_words"):
        Q.quotes(_articles(["T\nx"]), min_words=-1, aliases=None)


def test_tables():
    arts = _articles([
        "A\n“We came to listen,” Sergei Lavrov said. “We will stay,” Anna Berg said.",
        "B\n“No comment,” Sergei Lavrov said.",
    ])
    q = Q.quotes(arts, aliases=None, cache=False)
    top = Q.top_speakers(q)
    assert top["speaker"].tolist()[0] == "Sergei Lavrov" and top["quotes"].tolist()[0] == 2
    co = Q.co_quoted(q)
    assert co.loc["Sergei Lavrov", "Anna Berg"] == 1 and co.loc["Sergei Lavrov", "Sergei Lavrov"] == 2
    table = Q.speaker_quotes(q, "lavrov")
    assert table["quote"].tolist() == ["No comment", "We came to listen"]  # newest first
    sov = Q.share_of_voice(q)
    assert abs(sov.loc["World"].sum() - 1) < 1e-9
    per = Q.quotes_per_month(q)
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
    top = Q.top_speakers(q)
    assert top.loc[top["speaker"] == "A B", "kind"].item() == expected
    assert top.loc[top["speaker"] == "C D", "kind"].item() == "person"
    assert top["speaker"].tolist() == ["A B", "C D"] and top["quotes"].tolist() == [n, 1]


@pytest.mark.parametrize("dates, weeks", [
    (["2023-10-22", "2023-10-23"], ["2023-10-16", "2023-10-23"]),  # Sunday, then Monday: two weeks
    (["2023-10-16", "2023-10-22"], ["2023-10-16"]),                # Monday and Sunday: one week
])
def test_quotes_per_week_run_monday_to_sunday(dates, weeks):
    arts = _articles(["A\n“We will stay,” Anna Berg said.", "B\n“We will go,” Anna Berg said."], date=dates)
    per = Q.quotes_per_month(Q.quotes(arts, aliases=None), freq="week")
    assert per.index.strftime("%Y-%m-%d").tolist() == weeks
    assert per["Anna Berg"].sum() == 2
    with pytest.raises(ValueError, match="freq"):
        Q.quotes_per_month(Q.quotes(arts, aliases=None), freq="fortnight")

def test_charts_are_labelled(tmp_path):
    from newsdesk import charts

    arts = _articles([
        "A\n“We came to listen,” Sergei Lavrov said. “We will stay,” Anna Berg said.",
        "B\n“No comment,” Sergei Lavrov said. “Fine,” the Kremlin said.",
    ], date=["2023-01-05", "2023-03-02"], section=["World", "Politics"])
    q = Q.quotes(arts, aliases=None, cache=False)
    figs = [Q.chart_top_speakers(q), Q.chart_quotes_per_month(q), Q.chart_share_of_voice(q),
            Q.chart_quote_lengths(q), Q.chart_co_quoted(q)]
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
    q = Q.quotes(arts, cache=False)
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


# --------------------------------------------------------------------------- PolNeAR
@pytest.mark.shared
@pytest.mark.slow
def test_polnear_dev_meets_targets(polnear_dev):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        import quotes_polnear as B
    finally:
        sys.path.pop(0)
    import newsdesk as nd

    s = B.score(polnear_dev, B.predict(nd.load_corpus(polnear_dev / "articles")))
    assert s["quote_f1"] >= 0.90, s
    assert s["speaker_acc"] >= 0.90, s
    assert s["e2e_f1"] >= 0.80, s


@pytest.mark.shared
def test_benchmark_scoring_matches_reference_scorer(polnear_dev, shared_dir, tmp_path):
    scorer = shared_dir / "tools" / "score_quotes.py"
    if not scorer.exists():
        pytest.skip("reference scorer absent")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        import quotes_polnear as B
    finally:
        sys.path.pop(0)
    gold, bodies = B.read_gold(polnear_dev)
    # predictions built from gold with some noise: half the speakers blanked, a made-up quote added
    preds = []
    for a, gl in gold.items():
        for k, g in enumerate(gl):
            c = g["content"][0]
            preds.append({"article": a, "quote": c["text"],
                          "speaker_mention": g["source"][0]["text"] if g["source"] and k % 2 else "",
                          "speaker": ""})
        preds.append({"article": a, "quote": "words that are nowhere in the article at all", "speaker_mention": "x"})
    f = tmp_path / "p.jsonl"
    f.write_text("".join(json.dumps(p) + "\n" for p in preds))
    ref = subprocess.run([sys.executable, str(scorer), str(polnear_dev), str(f)], capture_output=True, text=True).stdout
    s = B.score(polnear_dev, preds)
    assert f"quotes   P={s['quote_p']:.3f} R={s['quote_r']:.3f} F1={s['quote_f1']:.3f}" in ref
    assert f"speaker  accuracy on matched quotes={s['speaker_acc']:.3f}" in ref
    assert f"end2end  P={s['e2e_p']:.3f} R={s['e2e_r']:.3f} F1={s['e2e_f1']:.3f}" in ref


# --------------------------------------------------------------------------- notebook
def _run_notebook(root: Path, tmp_path: Path, corpus: str, **params):
    papermill = pytest.importorskip("papermill")
    nb = root / "notebooks" / "03-quotes.ipynb"
    out = tmp_path / "03-quotes.out.ipynb"
    papermill.execute_notebook(str(nb), str(out), parameters={"corpus": corpus, **params},
                               kernel_name="newsdesk", cwd=str(root / "notebooks"), progress_bar=False)
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
    q = Q.quotes(arts, aliases=None)
    assert len(q) == 0 and {"quote", "speaker", "date", "section"} <= set(q.columns)
    assert Q.summary(q, arts)["value"].tolist()[0] == 0
    assert Q.speaker_quotes(q, "anyone").empty and Q.top_speakers(q).empty and Q.follow_speakers(q)[0] == []
    for chart in (Q.chart_top_speakers, Q.chart_quotes_per_month, Q.chart_share_of_voice,
                  Q.chart_quote_lengths, Q.chart_co_quoted):
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
    q = Q.quotes(arts, aliases=None, cache=False)
    y = Q.quote_yield(q, arts, by="publisher")
    assert y.set_index("publisher")["per_article"].to_dict() == {"A": 2.0, "B": 2.0, "Singles": 0.0, "Few": 0.0}
    assert y.loc[y["low_yield"], "publisher"].tolist() == ["Singles"]
    (w,) = Q.yield_warnings(y)
    assert w.startswith("Singles: 0.00 quotes per article against a median of 1.0")


def test_quote_yield_without_a_low_outlet_warns_of_nothing():
    arts = _articles(["T\n“We will win,” Anna Berg said."] * 20, section=["A"] * 10 + ["B"] * 10)
    y = Q.quote_yield(Q.quotes(arts, aliases=None, cache=False), arts)
    assert y.columns[0] == "section" and not y["low_yield"].any() and Q.yield_warnings(y) == []


@pytest.mark.shared
def test_nyt_yields_quotes_like_the_other_outlets(polnear_train):
    import newsdesk as nd

    arts = nd.load_corpus(polnear_train / "articles")
    y = Q.quote_yield(Q.quotes(arts), arts, by="publisher").set_index("publisher")
    others = y.drop(index="New York Times")["per_article"].median()
    assert others / 2 <= y.loc["New York Times", "per_article"] <= others * 2, y
    assert not y["low_yield"].any()


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
    got, notes = Q.follow_speakers(_FOLLOW_Q, wanted, n=3)
    assert got == followed
    if note is None:
        assert notes == []
    else:
        assert len(notes) == 1 and notes[0].startswith(note)


def test_speaker_quotes_of_followed_names_is_exact():
    q = _FOLLOW_Q.assign(quote="x", date=pd.Timestamp("2016-01-01"))
    assert set(Q.speaker_quotes(q, ["Donald Trump"])["speaker"]) == {"Donald Trump"}
    assert len(Q.speaker_quotes(q, "trump")) == 8                 # a term still finds every Trump
    assert Q.speaker_quotes(q, []).empty


_SEEN = Q.article_words("Donald Trump, a billionaire, met Santilli, Bernie Sanders and Miller of Vermont in "
                        "Massachusetts; a Democrat spoke hastily, said Hugh Hill of the Post.")


@pytest.mark.parametrize("name, expected", [
    ("Billionaire Donald Trump", "Donald Trump"),       # a descriptive word the article writes in lower case
    ("Despite Santilli", "Santilli"),                   # a function word opening the sentence
    ("Hastily", None),                                  # an adverb opening the sentence, alone
    ("Tuesday", None),
    ("Mrs", None),
    ("Va.", None),
    ("R-Ky.", None),                                    # a party-and-state tag
    ("Twitter Thursday", "Twitter"),                    # a trailing day
    ("Democrat", None),                                 # a party word is not a speaker
    ("South Carolina Republican", None),
    ("Massachusetts", None),                            # a place
    ("Bernie Sanders of Vermont", "Bernie Sanders"),    # a home state after a full name
    ("Green Party's Jill Stein", "Jill Stein"),         # a possessive owner
    ("WASHINGTON Dec. In Response To The Latest Attack", None),   # too long: a dateline or headline
    ("Miller", "Miller"),
    ("Hugh Hill", "Hugh Hill"),                         # a first name at a sentence start stays
    ("Bank of America", "Bank of America"),
    ("CNN", "CNN"),
])
def test_clean_speaker(name, expected):
    assert Q.clean_speaker(name, _SEEN) == expected


@pytest.mark.parametrize("text_in, speaker", [
    ('Maybe Trump will listen. "We are done," Maybe Trump said.', "Trump"),
    ('Billionaire Donald Trump said: "We are done." The billionaire left.', "Donald Trump"),
])
def test_speaker_opening_words_are_dropped_in_extraction(text_in, speaker):
    assert [q["speaker"] for q in Q.extract_quotes(text_in)] == [speaker]


def test_co_quotation_map_without_shared_articles_is_a_sentence():
    q = pd.DataFrame({"article_id": ["a", "b", "c"], "speaker": ["Ann Lee", "Bo Li", "Cy Ng"],
                      "speaker_kind": "person", "words": 3})
    fig = Q.chart_co_quoted(q)
    assert not fig.axes[0].images                         # no uniform square
    assert any("No two" in t.get_text() for t in fig.axes[0].texts)
    shared = pd.concat([q, q.assign(article_id="a").iloc[1:2]])
    assert Q.chart_co_quoted(shared).axes[0].images       # one shared article: a real map
@pytest.mark.parametrize("bodies, message", [
    (["Council met\nThe council met on Tuesday and agreed a budget."] * 3, Q.NO_QUOTES),
    (['Council met\n"We will rebuild the roads before winter," a spokesman said.\n"It is a good budget."'] * 3,
     Q.NO_NAMED),
], ids=["no-quotes", "quotes-but-no-named-speaker"])
def test_no_quotes_or_no_named_speakers_give_empty_tables_and_charts_that_say_so(bodies, message):
    from newsdesk import tone as T

    q = Q.quotes(_articles(bodies), aliases=None)
    assert (len(q) == 0) == (message == Q.NO_QUOTES)
    assert Q.empty_message(q) == message
    assert Q.top_speakers(q).empty and Q.co_quoted(q).empty and Q.follow_speakers(q, [], n=3)[0] == []
    import matplotlib.pyplot as plt

    for chart in (Q.chart_top_speakers, Q.chart_share_of_voice, Q.chart_co_quoted):
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
    ax = Q.chart_quotes_per_month(q).axes[0]
    assert not ax.lines and [round(p.get_width()) for p in ax.patches] == [1, 2]
    assert "one month only" in ax.get_title()
    two = pd.concat([q, q.assign(date=pd.Timestamp("2023-04-02"))])
    assert Q.chart_quotes_per_month(two).axes[0].lines                 # two months: a trend line
