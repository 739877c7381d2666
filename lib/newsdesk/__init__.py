"""newsdesk: analyse a news archive (who is quoted, with what tone, how coverage moves).

Start here in a notebook::

    import newsdesk as nd
    articles = nd.load_corpus("data/sample")   # one row per article
    nd.rejects(articles)                        # files that could not be read, with reasons

Modules, one per concern: ``corpus`` (loader; its parts ``discover``, ``decode``, ``parse``,
``cache``, on the record types of ``records``), ``text`` (cleaning, sentences, terms),
``sentiment`` (sentence scores; ``vader`` under it), ``tone`` (tone aggregates and charts),
``quotes`` (quote extraction), ``cues`` (speech cues), ``mentions`` (speaker
names), ``speakers`` (quote analyses), ``headlines`` (quotes in headlines), ``entities`` (names mentioned), ``periods``
(calendar periods), ``timeline``, ``wordcount`` (word counts), ``keywords``, ``tables`` (tables for
reading, escaped), ``registry`` (annotators and their versions), ``store`` (annotation store: get,
annotate), ``storage`` (its files), ``report`` (report runner, over ``params``, ``render`` and
``publish``), ``cli``; paths and defaults in ``config``; regexes and word lists in ``resources``;
``errors`` holds ``NewsdeskError``, the base of every newsdesk error.
"""
from __future__ import annotations

__version__ = "0.1.0"

import importlib
from typing import TYPE_CHECKING, Any

# Everything is imported lazily, so `newsdesk --help` and parameter checks answer in a fraction
# of a second instead of paying for pandas and matplotlib first.
_FUNCTIONS = {"load_corpus": "corpus", "rejects": "corpus"}
_MODULES = {"atomic", "cache", "charts", "cli", "config", "corpus", "cues", "decode", "discover", "entities",
            "errors", "headlines", "keywords", "mentions", "overview", "parallel", "params", "parse", "periods", "publish",
            "quotes", "records", "registry", "render", "report", "resources", "sentiment", "speakers",
            "storage", "store", "tables", "text", "timeline", "tone", "tonemodel", "vader", "wordcount"}

__all__ = ["load_corpus", "rejects", "__version__", *sorted(_MODULES)]

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import load_corpus, rejects  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _FUNCTIONS:
        return getattr(importlib.import_module(f".{_FUNCTIONS[name]}", __name__), name)
    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'newsdesk' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
