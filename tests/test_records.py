"""The loader's record types: SourceFiles indexes like a list; the errors' family."""
from __future__ import annotations

import pytest

from newsdesk.records import CorpusError, SourceFile, SourceFiles, UnreadableCorpusError


@pytest.mark.parametrize("key, expected", [
    (0, ["a.txt"]), (-1, ["c.txt"]), (slice(1, None), ["b.txt", "c.txt"]), ([2, 0], ["c.txt", "a.txt"]),
])
def test_source_files_index_like_a_list(key, expected):
    import numpy as np

    files = SourceFiles("/r", ["a.txt", "b.txt", "c.txt"], [1, 2, 3], [10, 20, 30])
    got = files[np.array(key) if isinstance(key, list) else key]
    if isinstance(got, SourceFile):
        got = [got]
    assert [f.relpath for f in got] == expected
    assert [f.size for f in got] == [ord(r[0]) - ord("a") + 1 for r in expected]
    assert [f.abspath for f in got] == [f"/r/{r}" for r in expected]


def test_an_unreadable_corpus_is_a_corpus_error_carrying_its_rejects():
    exc = UnreadableCorpusError("nothing readable", rejects="table")
    assert isinstance(exc, CorpusError) and isinstance(exc, ValueError) and exc.rejects == "table"


@pytest.mark.parametrize("module, name", [
    ("records", "CorpusError"), ("records", "UnreadableCorpusError"), ("params", "ReportError"),
    ("cache", "ReadOnlyCacheError"), ("checksum", "ChecksumError"), ("storage", "StoreError"), ("cli", "UserError"),
])
def test_every_newsdesk_error_is_a_newsdesk_error(module, name):
    import importlib

    from newsdesk.errors import NewsdeskError

    assert issubclass(getattr(importlib.import_module(f"newsdesk.{module}"), name), NewsdeskError)


def test_the_cli_prints_any_newsdesk_error_as_one_line(monkeypatch, capsys):
    from newsdesk import cli
    from newsdesk.storage import StoreError

    def boom(args):
        raise StoreError("the store cannot give that")

    monkeypatch.setattr(cli, "_doctor", boom, raising=False)
    parser = cli.build_parser()
    args = parser.parse_args(["doctor"])
    monkeypatch.setattr(cli, "build_parser", lambda: _Fixed(parser, args, boom))
    assert cli.main(["doctor"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "newsdesk doctor: error: the store cannot give that"


class _Fixed:
    """A parser that hands back parsed arguments whose command raises."""

    def __init__(self, parser, args, func):
        self.parser, self.args = parser, args
        self.args.func = func

    def parse_args(self, argv):
        return self.args
