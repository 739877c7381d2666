"""Parsing a file's text into articles: dates, headers, the quick route, a chunk as Arrow."""
from __future__ import annotations

import pandas as pd
import pytest

from corpuskit import article, write
from newsdesk import parse
from newsdesk import resources as R
from newsdesk.corpus import load_corpus, rejects
from newsdesk.parse import parse_date


# --------------------------------------------------------------------------- dates
@pytest.mark.parametrize("text_in, expected", [
    ("Friday, May 12, 2017 - 01:00", "2017-05-12 01:00"),
    ("May 12, 2017", "2017-05-12 00:00"),
    ("Fri, 12 May 2017 01:00", "2017-05-12 01:00"),
    ("2017-05-12", "2017-05-12 00:00"),
    ("2017-05-12T01:00", "2017-05-12 01:00"),
    ("2017-05-12 01:00:30", "2017-05-12 01:00:30"),
    ("  Friday,  May 12,  2017 -  01:00 ", "2017-05-12 01:00"),
    # a UTC offset is never dropped: the time is converted to UTC
    ("2017-05-12T01:00+14:00", "2017-05-11 11:00"),
    ("2017-05-12T01:00:00.5-05:00", "2017-05-12 06:00"),
    ("2017-05-12 01:00+0530", "2017-05-11 19:30"),
    ("2017-05-12T01:00Z", "2017-05-12 01:00"),
    ("Friday, May 12, 2017 - 01:00 +14:00", "2017-05-11 11:00"),
    ("Friday, May 12, 2017 - 23:30 GMT-2", "2017-05-13 01:30"),
    ("Fri, 12 May 2017 01:00 UTC", "2017-05-12 01:00"),
])
def test_parse_date_forms(text_in, expected):
    when, warning = parse_date(text_in)
    assert pd.Timestamp(when) == pd.Timestamp(expected)
    assert warning is None


@pytest.mark.parametrize("text_in, expected", [
    ("February 30, 2017", "impossible date"),
    ("Thursday, February 30, 2017 - 10:00", "impossible date"),
    ("May 12, 20177", "year 20177"),
    ("2017-13-01", "impossible date"),
    ("Smarch 12, 2017", "unknown month"),
    ("yesterday", "unrecognised date"),
    ("", "empty date"),
    ("2017-05-12 " * 50, "not a date"),
    ("2017-05-12T01:00+15:00", "impossible UTC offset '\\+15:00'"),
    ("2017-05-12T01:00+02:75", "impossible UTC offset"),
    ("2262-04-11T20:00-05:00", "outside the supported range"),   # fits as written, not in UTC
])
def test_parse_date_rejects(text_in, expected):
    with pytest.raises(ValueError, match=expected):
        parse_date(text_in)


@pytest.mark.parametrize("value, fits", [
    ("1677-09-21 00:12:43", False), ("1677-09-21 00:12:44", True), ("1677-09-21", False),
    ("2262-04-11 23:47:16", True), ("2262-04-11 23:47:17", False), ("2262-04-12", False),
    ("Friday, May 12, 2017 - 01:00", True),
])
def test_dates_outside_what_pandas_holds_are_refused_exactly_at_its_limits(value, fits):
    parse._parse_date.cache_clear()
    try:
        when, _ = parse.parse_date(value)
    except ValueError as exc:
        assert not fits and "outside the supported range" in str(exc)
        return
    assert fits and pd.Timestamp.min <= pd.Timestamp(when) <= pd.Timestamp.max


# --------------------------------------------------------------------------- the quick route
_HEADS = ["## Title: {t}", "##Title:{t}", "## TITLE :  {t}  ", "## Title:", "##\tTitle\t: {t}"]


_OTHER = ["## Date: Friday, May 12, 2017 - 01:00", "## Date: Monday, May 12, 2017 - 01:00", "## Date: 2017-05-12",
          "## Date: someday", "## Date:", "## Supertitle: Kicker", "## Section: World", "## Section:",
          "## Author: A. Writer", "## Path: x/y", "## Title: again", "## Date: 2016-02-29", "## Sect ion: S",
          "## Publisher: Reuters ", "## title_: odd", "## " + "x" * 70 + ": long key"]


_BODY = ["{t}", "{t}.", "{t} – more words", "  {t}!!  ", "Other first line", "", "Grüße aus Köln’s “Rathaus”.",
         "He said “no”.\fNext page.", "## Not a title", "## Title: second article\n## Date: 2017-05-13\n\nB\nb.",
         "- AFP", "- Reuters/AP \u00a0", "\u00a0", "  \t", "Well-known U.S. plan, 2017.", "😀 emoji line"]


def test_quick_route_parses_as_parse_text_does():
    """Wherever the loader's quick route (`_parse_plain`) takes a file, its row is the general
    parser's record; elsewhere it declines and the general parser decides."""
    import random

    rnd = random.Random(11)
    taken = 0
    for _ in range(6000):
        t = rnd.choice(["Ministers meet", "Grüße, Köln", "U.S. trade talks!", "a", "“Quoted” title"])
        head = [rnd.choice(_HEADS).format(t=t)] + rnd.sample(_OTHER, rnd.randint(0, 4))
        body = [rnd.choice(_BODY).format(t=t) for _ in range(rnd.randint(0, 5))]
        sep = rnd.choice(["\n\n", "\n\n", "\n\n", "\n", "\n \n", "\n\n\n"])
        text = "\n".join(head) + sep + "\n".join(body) + rnd.choice(["", "\n", "\n\n", "  "])
        data = text.encode("utf-8")
        if len(data.translate(None, R.NOT_IN_PLAIN_TEXT_BYTES)) != len(data):
            continue
        got = parse._parse_plain(text, data, "d/a.txt")
        recs, rejs = parse.parse_text(text, "d/a.txt")
        if got is None:
            continue
        taken += 1
        assert rejs == [] and len(recs) == 1, text
        assert parse._rows_table([got]).equals(parse.records_table(recs)), text
    assert taken > 120          # the route is exercised, not only declined


# --------------------------------------------------------------------------- a failure stays with its file
@pytest.mark.parametrize("broken, error", [
    ("read_bytes", RuntimeError("disk on fire")), ("read_bytes", MemoryError()),
    ("parse_text", RuntimeError("parser bug")), ("_parse_plain", RuntimeError("quick-route bug")),
])
def test_a_failure_on_one_file_is_its_reject_and_loses_no_other(tmp_path, monkeypatch, broken, error):
    write(tmp_path, "a.txt", article("First"))
    # (Windows line ends send a file to the general parser, parse_text)
    write(tmp_path, "b.txt", article("Second").replace("\n", "\r\n") if broken == "parse_text" else article("Second"))
    real = getattr(parse, broken)

    def fail_on_b(*args, **kw):
        if any("b.txt" in str(a) for a in args):
            raise error
        return real(*args, **kw)

    monkeypatch.setattr(parse, broken, fail_on_b)
    a = load_corpus(tmp_path, cache=False, jobs=1)
    if broken == "_parse_plain":             # the general parser takes the file over
        assert list(a["title"]) == ["First", "Second"] and rejects(a).empty
    else:
        assert list(a["title"]) == ["First"]
        reason = rejects(a).set_index("path").at["b.txt", "reason"]
        assert reason.startswith("out of memory" if isinstance(error, MemoryError) else "internal error")


# --------------------------------------------------------------------------- a chunk of files as one Arrow table
def test_each_parsed_row_carries_its_files_size_and_mtime(tmp_path):
    one = "## Title: A\n## Date: 2017-05-12\n\nA\nText one.\n"
    two = one + "\n## Title: B\n## Date: 2017-05-13\n\nB\nText two.\n"
    (tmp_path / "one.txt").write_text(one, encoding="utf-8")
    (tmp_path / "two.txt").write_text(two, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01binary")
    items = [(str(tmp_path / n), n, size, mtime) for n, size, mtime in
             [("bad.txt", 7, 70), ("one.txt", 11, 110), ("two.txt", 22, 220)]]
    table, rejects = parse.parse_chunk(items)
    assert table.column("path").to_pylist() == ["one.txt", "two.txt", "two.txt"]
    assert table.column("_size").to_pylist() == [11, 22, 22]
    assert table.column("_mtime_ns").to_pylist() == [110, 220, 220]
    assert [r.path for r in rejects] == ["bad.txt"]
