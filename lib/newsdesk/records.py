"""The loader's shared record types: the articles frame's columns, a reject, the input files of a
corpus, and the loader's errors. Every loader module and the load cache build on these; this
module imports nothing of newsdesk but ``errors``.

>>> Reject("a.txt", 3, "empty '## Title:'").line
3
>>> issubclass(UnreadableCorpusError, CorpusError) and issubclass(CorpusError, ValueError)
True
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Sequence

from .errors import NewsdeskError

__all__ = ["ARTICLE_COLUMNS", "REJECT_COLUMNS", "CorpusError", "UnreadableCorpusError", "Reject",
           "SourceFile", "SourceFiles"]

if TYPE_CHECKING:
    import pandas as pd

#: Columns every articles frame has, in order; extra ``## Key:`` headers follow them.
ARTICLE_COLUMNS = [
    "article_id", "path", "title", "supertitle", "section", "date", "agency", "words",
    "body", "text_offset", "text_length", "content_hash", "duplicate_of", "warnings",
]
REJECT_COLUMNS = ["path", "line", "reason"]


class CorpusError(NewsdeskError, ValueError):
    """A problem with the corpus as a whole, or (``strict=True``) with one input.

    ``rejects`` holds the rejects table of the load when there is one (for example when every
    file was rejected), so that nothing is lost even when the load fails.
    """

    def __init__(self, message: str, *, rejects: pd.DataFrame | None = None):
        super().__init__(message)
        self.rejects = rejects


class UnreadableCorpusError(CorpusError):
    """Every input was rejected: ``rejects`` lists why."""


@dataclass
class Reject:
    path: str
    line: int | None
    reason: str


@dataclass(slots=True)
class SourceFile:
    abspath: str
    relpath: str
    size: int
    mtime_ns: int


class SourceFiles(Sequence[SourceFile]):
    """The input files of a corpus, sorted by relative path, kept column by column: one string
    per file and two NumPy arrays, rather than an object per file (a warm load is mostly this
    list; a fresh process pays for every page of memory it touches first).

    ``relpaths`` are as shown and stored (:func:`newsdesk.discover.display_path`); ``sizes`` and ``mtimes`` are
    ``int64`` arrays (bytes, nanoseconds). Indexing gives a :class:`SourceFile`; a slice or an
    array of positions gives another :class:`SourceFiles`.

    >>> files = SourceFiles("/data", ["a.txt", "b/c.txt"], [10, 20], [1, 2])
    >>> files[1].abspath, len(files[1:])
    ('/data/b/c.txt', 1)
    """

    __slots__ = ("root", "relpaths", "sizes", "mtimes", "_raw")

    def __init__(self, root: str, relpaths: list[str], sizes, mtimes, raw: dict[int, str] | None = None):
        import numpy as np

        self.root = root
        self.relpaths = relpaths
        self.sizes = np.asarray(sizes, dtype=np.int64)
        self.mtimes = np.asarray(mtimes, dtype=np.int64)
        self._raw = raw or {}     # position -> the name on disk, where it is not valid UTF-8

    def __len__(self) -> int:
        return len(self.relpaths)

    def abspath(self, i: int) -> str:
        return os.path.join(self.root, self._raw.get(i, self.relpaths[i]))

    def __getitem__(self, key):
        import numpy as np

        if isinstance(key, slice):
            key = np.arange(len(self))[key]
        if isinstance(key, (int, np.integer)):
            i = int(key) + (len(self) if key < 0 else 0)
            return SourceFile(self.abspath(i), self.relpaths[i], int(self.sizes[i]), int(self.mtimes[i]))
        pos = np.asarray(key, dtype=np.int64)
        rel = self.relpaths
        raw = {k: self._raw[int(i)] for k, i in enumerate(pos) if int(i) in self._raw} if self._raw else None
        return SourceFiles(self.root, [rel[i] for i in pos.tolist()], self.sizes[pos], self.mtimes[pos], raw)

    def __iter__(self) -> Iterator[SourceFile]:
        return (self[i] for i in range(len(self)))

    def items(self) -> list[tuple[str, str, int, int]]:
        """``(abspath, relpath, size, mtime_ns)`` of each file."""
        return list(zip((self.abspath(i) for i in range(len(self))), self.relpaths,
                        self.sizes.tolist(), self.mtimes.tolist()))
