"""The corpus loader end to end: seed format, rejects, ids, filters, errors and the load cache.

Its parts have their own tests: test_parse, test_decode (encodings), test_discover (input forms,
symlinks), test_records."""
from __future__ import annotations

import logging
import multiprocessing as mp
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from corpuskit import article, load1, write
from newsdesk import config, corpus, parse
from newsdesk import cache as load_cache
from newsdesk.cache import corpus_cache_file
from newsdesk.corpus import load_corpus, rejects, text
from newsdesk.discover import discover
from newsdesk.records import ARTICLE_COLUMNS, CorpusError, UnreadableCorpusError
from newsdesk.text import words

SEED = "seed/000_9db17f8493e5ed12.txt"


# --------------------------------------------------------------------------- reference files
def test_seed_file(shared_dir):
    path = shared_dir / SEED
    if not path.exists():
        pytest.skip(f"{SEED} is absent")
    a = load_corpus(path, cache=False)
    assert len(a) == 1 and rejects(a).empty
    row = a.iloc[0]
    assert row["title"] == "Trump urges Russia  to rein in Syrian ally"  # the double space is kept
    assert row["section"] == "World"
    assert row["date"] == pd.Timestamp("2017-05-12 01:00")
    assert row["agency"] == "AFP"
    assert pd.isna(row["supertitle"])  # an empty header is missing, not ""
    clean = text(a).iloc[0]
    assert not clean.startswith("Trump urges Russia")  # the repeated title line is not content
    assert not clean.rstrip().endswith("- AFP") and clean.startswith("US: President Donald Trump")
    assert row["words"] == len(words(clean))


@pytest.mark.parametrize("name, n_articles", [("polnear-train", 840), ("polnear-dev", 84)])
def test_polnear_corpora(shared_dir, name, n_articles):
    path = shared_dir / "corpora" / name
    if not path.is_dir():
        pytest.skip(f"{name} is absent")
    a = load_corpus(path)
    assert len(a) == n_articles
    assert rejects(a).empty
    assert a["date"].min() >= pd.Timestamp("2015-11-01")
    assert a["date"].max() < pd.Timestamp("2016-12-01")
    assert "publisher" in a.columns and a["publisher"].notna().all()
    assert a["article_id"].is_unique


# --------------------------------------------------------------------------- headers and dates


def test_the_weekday_of_a_date_with_an_offset_is_checked_as_written(tmp_path):
    a = load1(tmp_path, article(date="Friday, May 12, 2017 - 01:00 +14:00"))
    assert a["warnings"].isna().all()                       # Friday in Kiribati, Thursday in UTC
    assert a["date"].iloc[0] == pd.Timestamp("2017-05-11 11:00")


def test_weekday_contradiction_keeps_date_and_warns(tmp_path):
    a = load1(tmp_path, article(date="Monday, May 12, 2017 - 01:00"))
    assert a.iloc[0]["date"] == pd.Timestamp("2017-05-12 01:00")
    assert "weekday Monday contradicts 2017-05-12, a Friday" in a.iloc[0]["warnings"]
    assert "(line 4)" in a.iloc[0]["warnings"]
    assert rejects(a).empty


@pytest.mark.parametrize("text_in, expected", [
    ("- AFP", "AFP"),
    ("- AFP/Reuters", "AFP/Reuters"),
    ("- Reuters", "Reuters"),
    ("— dpa", "dpa"),
    (None, None),
    ("- Elise Viebeck.", None),  # a byline, not a wire line
])
def test_wire_line_variants(tmp_path, text_in, expected):
    a = load1(tmp_path, article(body="Ministers met.\nThey agreed.", wire=text_in))
    agency = a.iloc[0]["agency"]
    assert pd.isna(agency) if expected is None else agency == expected
    clean = text(a).iloc[0]
    assert clean.startswith("Ministers met.")
    if expected is not None:
        assert clean.endswith("They agreed.")  # the wire line is not content
    elif text_in is not None:
        assert clean.endswith(text_in)  # a byline stays in the text


@pytest.mark.parametrize("text_in, expected", [
    # (supertitle header value, expected column value); empty or blank values are missing
    ("", None),
    ("   ", None),
    ("Analysis", "Analysis"),
])
def test_empty_header_is_missing(tmp_path, text_in, expected):
    a = load1(tmp_path, article(supertitle=text_in, section=text_in))
    for col in ("supertitle", "section"):
        value = a.iloc[0][col]
        assert (pd.isna(value) and value != "") if expected is None else value == expected


def test_extra_headers_become_columns(tmp_path):
    a = load1(tmp_path, article(extra=(("Publisher", "Breitbart"), ("Author", ""), ("Source URL", "x"),
                                       ("Body", "clash"))))
    row = a.iloc[0]
    assert row["publisher"] == "Breitbart"
    assert pd.isna(row["author"])  # empty header -> missing
    assert row["source_url"] == "x"
    assert row["header_body"] == "clash" and row["body"] != "clash"  # reserved names do not clobber
    assert list(a.columns[: len(ARTICLE_COLUMNS)]) == ARTICLE_COLUMNS


def test_multiple_articles_in_one_file(tmp_path):
    content = article("One") + "\n" + article("Two", wire="- Reuters") + article("Three", date="2017-06-01")
    a = load1(tmp_path, content)
    assert list(a["title"]) == ["One", "Two", "Three"]
    assert list(a["agency"]) == ["AFP", "Reuters", "AFP"]
    assert a["article_id"].is_unique and (a["path"] == "a.txt").all()
    assert not text(a).str.contains("## Title").any()
    assert not text(a).str.contains("Reuters").any()


def test_bad_article_in_multi_article_file_is_rejected_with_its_line(tmp_path):
    content = article("One") + article("Two", date="February 30, 2017") + article("Three")
    a = load1(tmp_path, content)
    assert list(a["title"]) == ["One", "Three"]
    rej = rejects(a)
    assert len(rej) == 1
    assert rej.iloc[0]["line"] == content.split("\n").index("## Title: Two") + 1
    assert "bad '## Date:'" in rej.iloc[0]["reason"] and "impossible date" in rej.iloc[0]["reason"]


def test_missing_blank_line_after_headers_keeps_article_with_warning(tmp_path):
    a = load1(tmp_path, "## Title: T\n## Date: 2017-05-12\nBody right away.\n")
    assert text(a).iloc[0] == "Body right away."
    assert "no blank line after the header block (line 3)" in a.iloc[0]["warnings"]


# --------------------------------------------------------------------------- rejects


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file (0 bytes)"),
    (b"  \n\n \t\n", "empty file (white space only)"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (a PDF document)"),
    (b"PK\x03\x04" + bytes(40), "binary file (a ZIP archive"),
    (b"## Title: x\n\x00\x00\x00body", "binary file (3 NUL byte(s), first at line 2)"),
    (bytes(range(1, 32)) * 20, "binary file (540 control characters in the first 620), not text"),
    (b"Just some prose without headers.\n", "no '## Title:' header: not a seed-format article"),
    (b"## Section: World\n## Date: 2017-05-12\n\nBody\n", "headers without a '## Title:' line"),
    (b"## Title: T\n## Date: 2017-05-12\n", "header only: the article has no body"),
    (b"## Title: T\n## Date: 2017-05-12\n\n\n  \n", "header only: the article has no body"),
    (b"## Title: T\n## Section: World\n\nBody\n", "missing '## Date:' header"),
    (b"## Title: T\n## Date:\n\nBody\n", "empty '## Date:' (line 2)"),
    (b"## Title: T\n## Date: February 30, 2017\n\nBody\n", "bad '## Date:' (line 2): impossible date"),
    (b"## Title: T\n## Date: May 12, 20177\n\nBody\n", "bad '## Date:' (line 2): year 20177 out of range"),
    (b"## Title:\n## Date: 2017-05-12\n\nBody\n", "empty '## Title:'"),
    (b"## Title: " + b"x" * 20_000 + b"\n## Date: 2017-05-12\n\nBody\n",
     "header 'title' is 20,000 characters long (line 1; limit 10,000)"),
    (b"\xff\xfe\x00\xd8a\x00", "starts with a UTF-16-LE byte-order mark but is not valid UTF-16-LE"),
], ids=lambda v: v[:24] if isinstance(v, bytes) else None)
def test_rejects_have_specific_reasons(tmp_path, content, reason):
    write(tmp_path, "bad.txt", content)
    write(tmp_path, "good.txt", article())
    a = load_corpus(tmp_path, cache=False)
    assert list(a["path"]) == ["good.txt"]
    rej = rejects(a)
    assert list(rej["path"]) == ["bad.txt"]
    assert rej.iloc[0]["reason"].startswith(reason), rej.iloc[0]["reason"]


def test_text_before_first_title_is_reported_and_article_kept(tmp_path):
    a = load1(tmp_path, "stray preamble\nmore\n" + article())
    assert len(a) == 1
    assert rejects(a).iloc[0]["reason"] == "2 line(s) of text before the first '## Title:' were skipped"


# --------------------------------------------------------------------------- identity and duplicates
def test_duplicates_are_flagged_not_dropped(tmp_path):
    write(tmp_path, "a.txt", article("Same"))
    write(tmp_path, "b.txt", article("Same"))
    write(tmp_path, "c.txt", article("Same", date="Saturday, May 13, 2017 - 01:00"))  # another day
    a = load_corpus(tmp_path, cache=False).set_index("path")
    assert len(a) == 3
    assert pd.isna(a.loc["a.txt", "duplicate_of"])
    assert a.loc["b.txt", "duplicate_of"] == a.loc["a.txt", "article_id"]
    assert pd.isna(a.loc["c.txt", "duplicate_of"])


def test_article_id_is_stable_and_independent_of_location(tmp_path):
    src = tmp_path / "one" / "corpus"
    write(src, "2017/a.txt", article("A") + article("A2"))
    write(src, "b.txt", article("B"))
    first = load_corpus(src)
    again = load_corpus(src, cache=False)
    moved = tmp_path / "elsewhere" / "deeper" / "copy"
    shutil.copytree(src, moved)
    there = load_corpus(moved)
    assert list(first["article_id"]) == list(again["article_id"]) == list(there["article_id"])
    assert first["article_id"].is_unique
    assert first["article_id"].str.fullmatch(r"[0-9a-f]{16}").all()
    assert list(first["content_hash"]) == list(there["content_hash"])


def test_strict_raises_on_first_problem_with_reason(tmp_path):
    write(tmp_path, "a.txt", article())
    write(tmp_path, "b.txt", "## Title: T\n## Date: February 30, 2017\n\nBody\n")
    with pytest.raises(CorpusError, match=r"^b\.txt, line 1: bad '## Date:' \(line 2\): impossible date"):
        load_corpus(tmp_path, strict=True, cache=False)
    assert len(load_corpus(tmp_path, cache=False)) == 1  # non-strict: the rest loads


# --------------------------------------------------------------------------- corpus-level errors and filters
def test_missing_path(tmp_path):
    with pytest.raises(CorpusError, match="does not exist.*Pass a folder of .txt articles"):
        load_corpus(tmp_path / "nope")


def test_glob_matching_nothing(tmp_path):
    with pytest.raises(CorpusError, match=r"no files match .*Check the pattern"):
        load_corpus(str(tmp_path / "*.txt"))


def test_empty_corpus(tmp_path):
    write(tmp_path, "readme.md", "no articles here")
    with pytest.raises(CorpusError, match="is empty: no .txt files"):
        load_corpus(tmp_path)


def test_all_rejected_raises_with_rejects_table(tmp_path):
    write(tmp_path, "a.txt", b"")
    write(tmp_path, "b.txt", b"%PDF-1.7")
    with pytest.raises(UnreadableCorpusError, match=r"all 2 input\(s\) were rejected \(first: a.txt") as exc:
        load_corpus(tmp_path, cache=False)
    assert list(exc.value.rejects["path"]) == ["a.txt", "b.txt"]


@pytest.mark.parametrize("kw, expected", [
    (dict(date_from="2017-05-12", date_to="2017-05-12"), ["B"]),  # date_to is inclusive, whole day
    (dict(date_from="2017-05-13"), ["C"]),
    (dict(date_to="2017-05-11"), ["A"]),
    (dict(sections=["world"]), ["A", "C"]),
    (dict(sections=["Sport"], date_to="2017-05-12"), ["B"]),
])
def test_filters(tmp_path, kw, expected):
    write(tmp_path, "a.txt", article("A", date="2017-05-11 23:59"))
    write(tmp_path, "b.txt", article("B", date="2017-05-12 23:30", section="Sport"))
    write(tmp_path, "c.txt", article("C", date="2017-05-13 00:00"))
    assert sorted(load_corpus(tmp_path, **kw)["title"]) == expected


@pytest.mark.parametrize("kw, message", [
    (dict(date_from="2020-01-01"), r"none of the 1 articles .* match the filter \(dates 2020-01-01 to \.\.\.\): "
                                   r"the corpus runs from 2017-05-12 to 2017-05-12\. Widen or drop the filter"),
    (dict(sections=["Sport"]), r"sections Sport\): .* with sections World\. Widen"),
    (dict(date_from="2017-06-01", date_to="2017-05-01"), r"date_from 2017-06-01 is after date_to 2017-05-01.*Swap"),
    (dict(date_from="last week"), r"date_from 'last week' is not a date: give it as YYYY-MM-DD"),
])
def test_filter_errors(tmp_path, kw, message):
    write(tmp_path, "a.txt", article())
    with pytest.raises(CorpusError, match=message):
        load_corpus(tmp_path, **kw)


def test_filter_is_checked_before_any_work(tmp_path, monkeypatch):
    write(tmp_path, "a.txt", article())
    monkeypatch.setattr(corpus, "discover", lambda p: pytest.fail("discovered before validating"))
    with pytest.raises(CorpusError, match="after date_to"):
        load_corpus(tmp_path, date_from="2018-01-01", date_to="2017-01-01")


# --------------------------------------------------------------------------- the load cache
@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """Spy on the parser: the list of files parsed (in-process loads)."""
    calls: list[str] = []
    real = parse._parse_read     # what the loader calls for each file it read

    def spy(data, relpath):
        calls.append(relpath)
        return real(data, relpath)

    monkeypatch.setattr(parse, "_parse_read", spy)
    return calls


def test_cache_second_load_parses_nothing(tmp_path, parsed):
    for i in range(5):
        write(tmp_path, f"{i}.txt", article(f"T{i}"))
    write(tmp_path, "bad.txt", b"")
    first = load_corpus(tmp_path, jobs=1)
    assert sorted(parsed) == ["0.txt", "1.txt", "2.txt", "3.txt", "4.txt", "bad.txt"]
    parsed.clear()
    second = load_corpus(tmp_path, jobs=1)
    assert parsed == []
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(rejects(first), rejects(second))


def test_cache_reparses_only_changed_and_new_files(tmp_path, parsed):
    for i in range(4):
        write(tmp_path, f"{i}.txt", article(f"T{i}"))
    load_corpus(tmp_path, jobs=1)
    parsed.clear()
    write(tmp_path, "2.txt", article("Changed title"))
    write(tmp_path, "9.txt", article("New"))
    (tmp_path / "0.txt").unlink()
    a = load_corpus(tmp_path, jobs=1)
    assert sorted(parsed) == ["2.txt", "9.txt"]
    assert sorted(a["title"]) == ["Changed title", "New", "T1", "T3"]
    fresh = load_corpus(tmp_path, cache=False)
    pd.testing.assert_frame_equal(a, fresh)


def cache_rows(path: Path) -> int:
    """Rows in a load cache file, whatever its format (the reader raises on a damaged file)."""
    reader = getattr(load_cache, "read_cache_file", None)
    if reader is not None:
        return reader(path).num_rows
    return len(pd.read_parquet(path))


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "foreign"])
def test_corrupted_cache_is_reported_and_rebuilt(tmp_path, parsed, caplog, damage):
    for i in range(3):
        write(tmp_path, f"{i}.txt", article(f"T{i}"))
    expected = load_corpus(tmp_path, jobs=1)
    cache_file = corpus_cache_file(str(tmp_path))
    assert cache_file.exists()
    data = cache_file.read_bytes()
    if damage == "truncate":
        cache_file.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        cache_file.write_bytes(data[:8] + os.urandom(len(data)))  # right magic, garbage after
    elif damage == "empty":
        cache_file.write_bytes(b"")
    else:
        pd.DataFrame({"x": [1]}).to_parquet(cache_file)  # a readable file of another kind
    parsed.clear()
    with caplog.at_level(logging.WARNING, logger="newsdesk"):
        got = load_corpus(tmp_path, jobs=1)
    pd.testing.assert_frame_equal(got, expected)
    assert sorted(parsed) == ["0.txt", "1.txt", "2.txt"]  # rebuilt from the corpus
    assert any("is unreadable" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
    assert cache_rows(cache_file) == 3  # and the rebuilt cache is whole again
    parsed.clear()
    load_corpus(tmp_path, jobs=1)
    assert parsed == []


def test_cache_write_failure_never_fails_the_load(tmp_path, monkeypatch, caplog):
    write(tmp_path, "a.txt", article())
    import newsdesk.cache as cache_mod

    def boom(path, df):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(cache_mod, "_write", boom)
    with caplog.at_level(logging.WARNING, logger="newsdesk"):
        a = load_corpus(tmp_path)
    assert len(a) == 1
    assert any("could not write load cache" in r.getMessage() for r in caplog.records)


def _concurrent_loader(folder: str, own: str, rounds: int, queue) -> None:
    try:
        sizes = []
        for r in range(rounds):
            # each round changes this process's own file, so both processes rewrite the cache
            Path(own).write_text(article(f"{Path(own).stem} round {r}", body="x " * (r + 1)))
            a = load_corpus(folder, jobs=1)
            sizes.append(len(a))
            assert f"{Path(own).stem} round {r}" in set(a["title"])
        queue.put(("ok", sizes))
    except BaseException as exc:  # report to the parent instead of dying silently
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to share the test's cache setting")
def test_two_processes_sharing_a_cache(tmp_path):
    for i in range(150):
        write(tmp_path, f"common/{i:03d}.txt", article(f"Common {i}", body="Some words. " * 50))
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_concurrent_loader, args=(str(tmp_path), str(tmp_path / f"p{n}.txt"), 6, queue))
             for n in range(2)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert all(status == "ok" for status, _ in results), results
    assert all(p.exitcode == 0 for p in procs)
    cached = load_corpus(tmp_path)
    fresh = load_corpus(tmp_path, cache=False)
    pd.testing.assert_frame_equal(cached, fresh)
    assert len(fresh) == 152
    cache_file = corpus_cache_file(str(tmp_path))
    assert cache_rows(cache_file) == 152
    assert not [p for p in cache_file.parent.iterdir() if p.name.endswith(".tmp")]  # no temp file left


def test_text_function(tmp_path):
    a = load1(tmp_path, article("Title", body="Hello there.", wire="- AP"))
    s = text(a)
    assert s.iloc[0] == "Hello there." and s.name == "text" and s.index.equals(a.index)


def test_interrupted_cache_write_leaves_the_old_cache_whole(tmp_path, monkeypatch, parsed):
    for i in range(3):
        write(tmp_path, f"{i}.txt", article(f"T{i}"))
    load_corpus(tmp_path, jobs=1)
    cache_file = corpus_cache_file(str(tmp_path))
    before = cache_file.read_bytes()
    write(tmp_path, "1.txt", article("Changed"))

    def interrupted(src, dst):  # the laptop lid closes just before the rename
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_corpus(tmp_path, jobs=1)
    monkeypatch.setattr(os, "replace", os.rename)
    assert cache_file.read_bytes() == before  # the previous cache is untouched ...
    leftovers = [p.name for p in cache_file.parent.iterdir() if p.name.startswith(f".{cache_file.name}")]
    assert leftovers == []                    # ... and no half-written temporary file remains
    parsed.clear()
    a = load_corpus(tmp_path, jobs=1)
    assert parsed == ["1.txt"]
    assert sorted(a["title"]) == ["Changed", "T0", "T2"]


def test_one_line_summary_is_logged_and_shown_when_something_was_rejected(tmp_path, caplog):
    write(tmp_path, "a.txt", article(date="Monday, May 12, 2017 - 01:00"))
    write(tmp_path, "b.txt", b"")
    with caplog.at_level(logging.INFO, logger="newsdesk"):
        load_corpus(tmp_path, cache=False)
    summary = [r for r in caplog.records if "articles from" in r.getMessage()]
    assert len(summary) == 1 and summary[0].levelno == logging.WARNING
    assert summary[0].getMessage().endswith(
        ": 1 articles from 2 files, 1 rejected, 1 with warnings (newsdesk.rejects(articles) lists them)")


def test_home_relative_corpus_path(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    write(tmp_path, "news/a.txt", article())
    assert len(load_corpus("~/news", cache=False)) == 1


def test_rejects_per_file_are_capped_but_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MAX_REJECTS_PER_FILE", 5)
    write(tmp_path, "flood.txt", "## Title: x\n" * 12 + article("Fine"))
    a = load_corpus(tmp_path, cache=False)
    assert list(a["title"]) == ["Fine"]
    rej = rejects(a)
    assert len(rej) == 6
    assert set(rej["reason"][:5]) == {"missing '## Date:' header"}
    assert rej["reason"].iloc[5] == "7 more problems in this file from line 6 on (only the first 5 are listed)"
    assert rej["line"].iloc[5] == 6


@pytest.mark.parametrize("date_from, date_to, expected_days", [
    ("2023-04", "2023-04", ["2023-04-01", "2023-04-15", "2023-04-30"]),   # a month runs to its last day
    ("2023", "2023", ["2023-01-01", "2023-04-01", "2023-04-15", "2023-04-30", "2023-12-31"]),
    ("2023-04-15", "2023-04-15", ["2023-04-15"]),                          # a day runs to 23:59
    ("2023-04-30", "", ["2023-04-30", "2023-12-31", "2024-01-01"]),
])
def test_filter_accepts_month_and_year_bounds(date_from, date_to, expected_days):
    from newsdesk.corpus import filter_articles

    days = ["2022-12-31", "2023-01-01", "2023-04-01", "2023-04-15", "2023-04-30", "2023-12-31", "2024-01-01"]
    df = pd.DataFrame({"date": pd.to_datetime([d + " 18:30" for d in days]), "section": ["World"] * len(days)})
    got = filter_articles(df, date_from=date_from, date_to=date_to)
    assert got["date"].dt.strftime("%Y-%m-%d").tolist() == expected_days


def test_mark_duplicates_on_a_frame_of_several_arrow_chunks():
    import pyarrow as pa

    part = pa.table({"article_id": pa.array(["1", "2"], pa.large_string()),
                     "content_hash": pa.array(["h", "k"], pa.large_string()),
                     "duplicate_of": pa.nulls(2, pa.large_string())})
    df = pa.concat_tables([part, part.set_column(0, "article_id", pa.array(["3", "4"], pa.large_string()))]).to_pandas()
    out = corpus.mark_duplicates(df)
    assert out["duplicate_of"].isna().tolist() == [True, True, False, False]
    assert out["duplicate_of"].tolist()[2:] == ["1", "2"]


# --------------------------------------------------------------------------- odd folders: cold, warm, in the pool


def _odd_folder(tmp_path: Path) -> Path:
    """Good files among everything discovery rejects or skips."""
    import socket

    write(tmp_path, "a.txt", article("A"))
    write(tmp_path, "a-b/c.txt", article("C"))            # walked after a/ but sorted before it
    write(tmp_path, "a/z.txt", article("Z"))
    write(tmp_path, "d.txt/inner.txt", article("Inner"))  # a folder named like a file: walked
    write(tmp_path, "empty.txt", b"")                     # the parser's reject
    write(tmp_path, ".hidden.txt", article("H"))
    (tmp_path / "a" / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "sock.txt"))
    except OSError:                                       # path too long for a socket: no socket
        pass
    finally:
        sock.close()
    return tmp_path


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_odd_folder_loads_the_same_cold_warm_and_in_the_pool(tmp_path, monkeypatch, jobs):
    from newsdesk import parallel

    folder = _odd_folder(tmp_path)
    monkeypatch.setitem(parallel.map_chunks.__kwdefaults__, "min_parallel", 1)   # jobs=2: the pool
    cold = load_corpus(folder, jobs=jobs)                          # no cache yet: it is written
    load_cache.wait()
    warm = load_corpus(folder, jobs=jobs)
    alone = load_corpus(folder, cache=False, jobs=1)
    for other in (warm, alone):
        pd.testing.assert_frame_equal(cold, other)
        pd.testing.assert_frame_equal(rejects(cold), rejects(other))   # the same rejects, in the same order
        assert cold.attrs["n_files"] == other.attrs["n_files"]
    reasons = rejects(cold).set_index("path")["reason"]
    assert reasons["a/dangling.txt"].startswith("broken symlink (points to")
    assert reasons["pipe.txt"].startswith("a named pipe (FIFO)")
    assert reasons["empty.txt"] and list(cold["path"]) == ["a-b/c.txt", "a.txt", "a/z.txt", "d.txt/inner.txt", "link.txt"]


def test_a_cold_load_caches_the_stat_of_each_file_it_read(tmp_path, parsed):
    folder = _odd_folder(tmp_path)
    load_corpus(folder)                                    # cold: no cache yet
    parsed.clear()
    again = load_corpus(folder)                            # warm: every file's stat matches
    assert parsed == []
    os.utime(folder / "a.txt", ns=(1, 1))                  # now it differs: a.txt and link.txt again
    load_corpus(folder)
    assert sorted(parsed) == ["a.txt", "link.txt"]
    assert again.attrs["n_files"] == 6


def test_the_word_table_is_built_before_workers_fork(tmp_path, monkeypatch):
    from newsdesk import text as T

    write(tmp_path, "a.txt", article("A"))
    T._word_table.cache_clear()
    files = discover(tmp_path)[1]
    corpus._parse_many(files, 1, False)
    assert T._word_table.cache_info().currsize == 1       # forked workers inherit it, built


@pytest.mark.parametrize("where, expected", [
    ({"publisher": ["Politico"]}, ["a"]),
    ({"publisher": "politico"}, ["a"]),                                   # one value, any case
    ({"publisher": ["Politico", "new york times"]}, ["a", "b"]),
    ({"publisher": ["Politico"], "agency": ["AP"]}, []),                  # every column must match
    ({"agency": ["AP"]}, ["c"]),
])
def test_filter_articles_where_any_header_column(where, expected):
    from newsdesk.corpus import filter_articles

    arts = pd.DataFrame({"article_id": ["a", "b", "c"], "date": pd.to_datetime(["2016-01-01"] * 3),
                         "section": [None] * 3, "publisher": ["Politico", "New York Times", None],
                         "agency": [None, None, "AP"]})
    assert filter_articles(arts, where=where)["article_id"].tolist() == expected


def test_filter_articles_where_unknown_column_names_the_columns():
    from newsdesk.corpus import filter_articles

    arts = pd.DataFrame({"date": pd.to_datetime(["2016-01-01"]), "section": [None], "publisher": ["X"]})
    with pytest.raises(CorpusError, match="no column 'outlet'.*publisher"):
        filter_articles(arts, where={"outlet": ["X"]})


@pytest.mark.parametrize("ids, wanted, expected", [
    (["a", "b", "a"], ["b", "a", "z"], [1, 0, -1]),   # an id's first row; -1 when it is not there
    (["a", "b"], [], []),
    ([], ["a"], [-1]),
])
def test_rows_of_gives_each_ids_first_row(ids, wanted, expected):
    from newsdesk.corpus import rows_of

    assert rows_of(pd.DataFrame({"article_id": pd.Series(ids, dtype="str")}), wanted).tolist() == expected
