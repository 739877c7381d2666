"""newsdesk: analyse a news archive (who is quoted, with what tone, how coverage moves).

Start here in a notebook::

    import newsdesk as nd
    articles = nd.load_corpus("data/sample")   # one row per article
    nd.rejects(articles)                        # files that could not be read, with reasons

Modules, one per concern: ``corpus`` (loader), ``text`` (cleaning, sentences, terms),
``sentiment``, ``quotes`` (quotes and speakers), ``timeline``, ``keywords``, ``store``
(annotation store), ``report`` (report runner), ``cli``; paths and defaults in ``config``;
regexes and word lists in ``resources``.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .corpus import load_corpus, rejects  # noqa: E402,F401

__all__ = ["load_corpus", "rejects", "__version__"]
