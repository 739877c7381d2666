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
