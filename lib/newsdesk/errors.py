"""The one base of newsdesk's own errors.

Every error newsdesk raises for a problem the user can act on is a :class:`NewsdeskError`, so a
notebook or a script catches them all with one name, and the CLI prints any of them as one line
(exit status 2) instead of a traceback:

>>> from newsdesk.errors import NewsdeskError
>>> from newsdesk.records import CorpusError
>>> issubclass(CorpusError, NewsdeskError)
True

The classes under it, each in the module that raises it:

- ``records.CorpusError`` (a corpus that cannot be loaded; a ``ValueError`` too) and
  ``records.UnreadableCorpusError`` (the corpus cannot be read at all);
- ``params.ReportError`` (a report parameter, notebook or output folder the user can fix; a
  ``ValueError`` too);
- ``cache.ReadOnlyCacheError`` (the cache folder cannot be written; an ``OSError`` too);
- ``checksum.ChecksumError`` (a cache or store file whose content does not match its checksum);
- ``storage.StoreError`` (the annotation store cannot give what was asked);
- ``cli.UserError`` (a command-line problem).
"""
from __future__ import annotations

__all__ = ["NewsdeskError"]


class NewsdeskError(Exception):
    """A problem newsdesk explains in one line: what is wrong and what to do."""
