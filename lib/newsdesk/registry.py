"""The registry of annotators: which function computes each store *kind*, and at which version.

An analysis registers a per-article *annotator* (a function from a chunk of articles to rows keyed
by ``article_id``) under a *kind* with :func:`register`; :mod:`newsdesk.store` computes and keeps
its rows. The version is a hash of exactly what the annotator reads, as its :class:`Inputs`
declare (or a string of your own, e.g. :func:`code_version`), so editing an annotator's code
invalidates exactly its own rows in the store.

>>> from newsdesk import registry
>>> sorted(registry.kinds())                            # doctest: +SKIP
['keyword_counts', 'quotes', 'sentences']
>>> registry.annotator("sentences").version             # doctest: +SKIP
'3f2a9c01d4e7'
"""
from __future__ import annotations

import hashlib
import inspect
import linecache
import os
import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

STORE_FORMAT = 3
"""Bumped when the on-disk layout changes; part of every annotator's version, so of every store
folder's name."""


@dataclass
class Annotator:
    kind: str
    fn: Callable[[pd.DataFrame], pd.DataFrame]
    version: str
    columns: list[str] = field(default_factory=list)
    inputs: Inputs | None = None        # what ``version`` hashes, when registered with ``inputs=``


_REGISTRY: dict[str, Annotator] = {}


_PLAIN = (str, int, float, bool, type(None), bytes)


def stable_repr(obj) -> str:
    """``repr`` that is the same in every process: sets and dicts are sorted (string hashing is
    randomised per process, so a set's own order is not), a regex is its pattern and flags, a
    function or class its qualified name. For hashing word lists into a version; an object whose
    ``repr`` holds a memory address raises ``TypeError`` (it would differ in every process).

    >>> stable_repr({"b", "a"}) == stable_repr({"a", "b"}) == "['a', 'b']"
    True
    >>> import re
    >>> stable_repr(re.compile("a+", re.I))
    "re('a+', 34)"
    """
    if isinstance(obj, _PLAIN):
        return repr(obj)
    if isinstance(obj, (set, frozenset)):
        return "[" + ", ".join(sorted(map(stable_repr, obj))) + "]"
    if isinstance(obj, dict):
        return "{" + ", ".join(sorted(f"{stable_repr(k)}: {stable_repr(v)}" for k, v in obj.items())) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ", ".join(map(stable_repr, obj)) + "]"
    if isinstance(obj, re.Pattern):
        return f"re({obj.pattern!r}, {int(obj.flags)})"
    if isinstance(obj, np.ndarray):      # its repr elides the middle of a large array
        return f"array({obj.dtype.str}, {obj.shape}, {hashlib.sha1(np.ascontiguousarray(obj).tobytes()).hexdigest()})"
    if inspect.isfunction(obj) or inspect.isclass(obj) or inspect.isfunction(inspect.unwrap(obj)):
        return f"<{obj.__module__}.{obj.__qualname__}>"
    out = repr(obj)
    if " at 0x" in out:
        raise TypeError(f"{out} has no stable repr; it cannot be part of an annotator's version")
    return out


def code_version(*objs) -> str:
    """A short hash of the source code of ``objs``, plus the store format.

    A module stands for its source; a function or class for the whole source of its module (its
    constants and helpers are part of what it does); a string for itself (e.g. a dependency's
    version). Coarse: any edit to the module, a chart's docstring included, changes it. The
    built-in annotators declare their :class:`Inputs` instead, which cover exactly what they read.

    >>> import newsdesk.text
    >>> len(code_version(newsdesk.text))
    12
    >>> code_version(newsdesk.text) == code_version(newsdesk.text.words)
    True
    """
    h = hashlib.sha1(f"store-format-{STORE_FORMAT}".encode())
    for o in objs:
        if isinstance(o, str):
            src = o
        else:
            target = o if inspect.ismodule(o) else (inspect.getmodule(o) or o)
            try:
                src = inspect.getsource(target)
            except (OSError, TypeError):
                src = inspect.getsource(o)
        h.update(src.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:12]


@dataclass(frozen=True)
class Inputs:
    """What an annotator reads; its version is a hash of exactly this and nothing else.

    ``functions`` maps a module (a newsdesk one by its short name, ``"quotes"``, ``"text"``; any
    other by its full name) to the names, separated by spaces, of the functions and classes the
    annotator runs: its entry point, the helpers it
    calls, in its own module and in others, transitively. Their source is hashed, docstrings and
    default values included. ``values`` does the same for the module-level values those
    functions read: word lists and patterns in ``resources``, the module's own constants and
    compiled regexes. Their value is hashed (:func:`stable_repr`), so adding a word to a list
    changes the version even though no source changed. ``caches`` names module-level caches that
    the functions fill; they are derived, not inputs, so they are not hashed. ``extra`` holds
    anything else the rows depend on, such as a dependency's version.

    Code that the annotator does not reach (charts, aggregates, their docstrings) is not hashed,
    so editing it keeps the stored rows. An annotator that reads the loader's clean-text span
    (``text_offset``, ``text_length``) declares the helpers that compute it (``text.span_and_agency``
    and what it runs) as well. ``tests/test_store_versions.py`` walks the bytecode from the entry
    point and fails unless the declaration equals what is reached: a new call or a new ``R.NAME``
    without its declaration fails the tests, with the names to add. The list is written out, not
    computed at import, so that a change in what an annotator reads shows in its diff.

    >>> inputs = Inputs(functions={"text": "split_sentences _is_boundary _strip_span"},
    ...                 values={"resources": "SENTENCE_END_RE LINE_END_RE"}, extra=("v1",))
    >>> inputs.names("values")
    ['resources.LINE_END_RE', 'resources.SENTENCE_END_RE']
    >>> len(inputs.version())
    12
    """
    functions: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    caches: dict[str, str] = field(default_factory=dict)
    extra: tuple[str, ...] = ()

    def names(self, part: str) -> list[str]:
        """``module.name`` of each name in ``part`` (``functions``, ``values`` or ``caches``), sorted."""
        return sorted(f"{mod}.{n}" for mod, names in getattr(self, part).items() for n in names.split())

    def version(self) -> str:
        """A short hash of the store format, each function's source, each value and ``extra``."""
        h = hashlib.sha1(f"store-format-{STORE_FORMAT}".encode())
        for name in self.names("functions"):
            obj = inspect.unwrap(_resolve(name))
            defaults = (getattr(obj, "__defaults__", None), getattr(obj, "__kwdefaults__", None))
            h.update(f"{name}\x1e{_source(obj)}\x1e{stable_repr(defaults)}\x1f".encode())
        for name in self.names("values"):
            h.update(f"{name}\x1e{stable_repr(_resolve(name))}\x1f".encode())
        for x in self.extra:
            h.update(f"{x}\x1f".encode())
        return h.hexdigest()[:12]


def _source(obj) -> str:
    """The source of a function or class, as :func:`inspect.getsource` has it but without
    tokenising the file (which made the versions cost 0.2 s at import): a function runs from its
    first line (decorators included) to the last line its code covers, nested code included; a
    top-level class from its first line to the last line before the next top-level statement.
    Trailing comments are left out. (Python 3.10 has no ``co_positions``: it tokenises.)"""
    obj = inspect.unwrap(obj)
    if not hasattr(_source.__code__, "co_positions"):        # Python 3.10
        lines = inspect.getsource(obj).splitlines(keepends=True)
        while len(lines) > 1 and lines[-1].strip()[:1] in ("", "#"):
            lines.pop()
        return "".join(lines)
    if inspect.isclass(obj):
        if "." in obj.__qualname__:
            return inspect.getsource(obj)
        file = inspect.getsourcefile(obj)
        codes = [f.__code__ for f in map(inspect.unwrap, vars(obj).values())       # an Enum holds enum.py's
                 if inspect.isfunction(f) and f.__code__.co_filename == file]
    else:
        file, codes = obj.__code__.co_filename, [obj.__code__]
    linecache.checkcache(file)
    lines = linecache.getlines(file)
    if inspect.isclass(obj):
        head = re.compile(rf"class\s+{obj.__name__}\b")
        start = next(i for i, line in enumerate(lines) if head.match(line))
        while start and lines[start - 1].startswith("@"):
            start -= 1
        end = next((i for i in range(start + 1, len(lines)) if lines[i][:1] not in ("", " ", "\t", "\n", "#")),
                   len(lines))
    else:
        start = end = obj.__code__.co_firstlineno - 1
    while codes:
        code = codes.pop()
        end = max(end, *(e or 0 for _, e, _, _ in code.co_positions()))
        codes.extend(c for c in code.co_consts if isinstance(c, type(code)))
    while end > start + 1 and lines[end - 1].strip()[:1] in ("", "#"):
        end -= 1
    return "".join(lines[start:end])


def _resolve(name: str):
    """The object named ``module.name``: a newsdesk module (``"text.content_span"``), or any other
    module by its full name (an annotator of your own)."""
    import importlib

    mod, attr = name.rsplit(".", 1)
    full = f"{__package__}.{mod}"
    try:
        module = importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if not (exc.name and full.startswith(exc.name)):
            raise
        module = importlib.import_module(mod)
    return getattr(module, attr)


def register(kind: str, fn: Callable[[pd.DataFrame], pd.DataFrame], *, version: str | None = None,
             inputs: Inputs | None = None, columns: list[str] | None = None) -> Annotator:
    """Register the annotator ``fn`` for ``kind``; its version must change whenever its output may.

    Give either ``inputs`` (the version is ``inputs.version()``, see :class:`Inputs`) or a
    ``version`` string of your own. ``fn`` takes a chunk of the articles frame and returns rows
    with an ``article_id`` column; an article's rows must depend only on that article's title,
    date and body. Returns the registered :class:`Annotator`.

    >>> register("lengths", lambda a: a[["article_id", "words"]], version="1")   # doctest: +SKIP
    """
    if not kind or "/" in kind or os.sep in kind:
        raise ValueError(f"bad annotator kind {kind!r}")
    if (version is None) == (inputs is None):
        raise TypeError("register() takes exactly one of version= and inputs=")
    version = inputs.version() if inputs is not None else str(version)
    _REGISTRY[kind] = Annotator(kind, fn, version, list(columns or []), inputs)
    return _REGISTRY[kind]


def _load_builtin_annotators() -> None:
    # importing the analysis modules registers their annotators
    import importlib

    for mod in ("newsdesk.wordcount", "newsdesk.quotes", "newsdesk.sentiment"):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise


def annotator(kind: str) -> Annotator:
    """The registered annotator for ``kind`` (``sentences``, ``quotes``, ...)."""
    if kind not in _REGISTRY:
        _load_builtin_annotators()
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise KeyError(f"no annotator for {kind!r}; known: {sorted(_REGISTRY)}") from None


def kinds() -> list[str]:
    """Every registered kind, the built-in ones included.

    >>> "sentences" in kinds()      # doctest: +SKIP
    True
    """
    _load_builtin_annotators()
    return sorted(_REGISTRY)


__all__ = ["STORE_FORMAT", "Annotator", "Inputs", "register", "annotator", "kinds", "code_version", "stable_repr"]
