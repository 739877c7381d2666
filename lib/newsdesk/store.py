"""The annotation store: per-article results computed once, kept as Parquet.

Analyses register a per-article *annotator* (a function from a chunk of articles to rows keyed by
``article_id``) under a *kind*; :func:`get` returns the rows for a set of articles, computing only
those missing from the store, on all cores (or on a Dask cluster). Rows are keyed by each
article's ``content_hash`` and the annotator's version, so editing an annotator's code
invalidates exactly its own results, and an article that appears twice is annotated once.

Layout, one folder per kind and version under ``config.CACHE_DIR/store/``::

    sentences-3f2a9c01d4e7/
        part-<time>-<id>.parquet    rows: content_hash + the annotator's columns, grouped by article
        done-<time>-<id>.parquet    the part's index: content_hash, n_rows, in row order (written last)

A part counts only once its ``done-`` file exists, and both are written to a temporary name and
renamed into place, so an interrupted run leaves every finished part usable and nothing
half-written is ever read. Parts are flushed every ``config.STORE_FLUSH_ARTICLES`` articles or
``config.STORE_FLUSH_SECONDS`` seconds; parts written by one run are merged at its end, and small
parts are merged when a kind has more than ``config.STORE_MAX_PARTS``. The part files are plain
Parquet: DuckDB, Dask or Spark can read a store too large for pandas (see :func:`parquet_glob`).

>>> from newsdesk import store
>>> sents = store.get(articles, "sentences")               # doctest: +SKIP
>>> store.annotate(articles)                                # fill the store, read nothing back  # doctest: +SKIP
{'quotes': 0, 'sentences': 0}
"""
from __future__ import annotations

import functools
import hashlib
import inspect
import linecache
import logging
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import checksum, config
from .atomic import atomic_path, cache_lock

log = logging.getLogger("newsdesk")
config.use_arrow_pool()   # jemalloc: see config.ARROW_MEMORY_POOL

STORE_FORMAT = 3
"""Bumped when the on-disk layout changes; part of every store folder's name."""
HASH = "content_hash"


class StoreError(Exception):
    """An annotator broke the store's contract (e.g. rows for an article it was not given)."""


@dataclass
class Annotator:
    kind: str
    fn: Callable[[pd.DataFrame], pd.DataFrame]
    version: str
    columns: list[str] = field(default_factory=list)
    inputs: Inputs | None = None        # what ``version`` hashes, when registered with ``inputs=``


_REGISTRY: dict[str, Annotator] = {}


# --------------------------------------------------------------------------- registry
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

    for mod in ("newsdesk.keywords", "newsdesk.quotes", "newsdesk.sentiment"):
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


# --------------------------------------------------------------------------- layout
def store_dir(kind: str, version: str | None = None, root: str | os.PathLike | None = None) -> Path:
    """The folder holding ``kind`` at ``version`` (default: the registered annotator's version)."""
    version = annotator(kind).version if version is None else version
    return Path(root or config.CACHE_DIR) / "store" / f"{kind}-{version}"


def parquet_glob(kind: str, *, root: str | os.PathLike | None = None) -> str:
    """A glob of the current Parquet parts of ``kind``, for DuckDB, Dask or Arrow.

    >>> import duckdb                                               # doctest: +SKIP
    >>> duckdb.sql(f"SELECT count(*) FROM '{parquet_glob('sentences')}'")   # doctest: +SKIP
    """
    return str(store_dir(kind, root=root) / "part-*.parquet")


@dataclass
class _Part:
    name: str          # "<time>-<id>"
    part: Path
    done: Path


def _parts(d: Path) -> list[_Part]:
    """Finished parts of ``d``, oldest first (a part counts once its ``done-`` file exists)."""
    try:
        names = os.listdir(d)
    except FileNotFoundError:
        return []
    out = []
    for n in sorted(names):
        if n.startswith("done-") and n.endswith(".parquet"):
            key = n[5:-8]
            out.append(_Part(key, d / f"part-{key}.parquet", d / n))
    return out


def _new_name() -> str:
    return f"{time.time_ns():020d}-{uuid.uuid4().hex[:12]}"


def _write_part(d: Path, table: pa.Table, hashes: Sequence[str] | pa.Array, counts) -> _Part:
    """Write rows, then the done marker (the part's index: each content hash with its number of
    rows, in row order): both atomically, the marker last."""
    name = _new_name()
    p = _Part(name, d / f"part-{name}.parquet", d / f"done-{name}.parquet")
    d.mkdir(parents=True, exist_ok=True)
    counts = np.asarray(counts, dtype=np.int64)
    if int(counts.sum()) != table.num_rows or len(counts) != len(hashes):
        raise StoreError("internal error: a store part's index does not match its rows")
    with atomic_path(p.part) as tmp:
        pq.write_table(table, tmp, compression="zstd")
        part_sum, part_bytes = checksum.of_file(tmp), tmp.stat().st_size
    _write_done(p.done, pa.array(hashes, pa.string()), counts, part_sum, part_bytes)
    return p


#: Keys of a done file's metadata: the part's checksum and size, and the checksum of the index itself.
_PART_SUM, _PART_BYTES, _INDEX_SUM = b"newsdesk.part_checksum", b"newsdesk.part_bytes", b"newsdesk.index_checksum"


def _index_sum(hashes: pa.Array, counts: np.ndarray) -> str:
    """The checksum of a part's index (its content hashes and row counts, in order)."""
    joined = "\x1f".join(hashes.to_pylist()).encode("utf-8", "surrogatepass")
    return checksum.of_bytes(joined + b"\x1e" + np.ascontiguousarray(counts, dtype="<i8").tobytes())


def _write_done(path: Path, hashes: pa.Array, counts, part_sum: str, part_bytes: int) -> None:
    """Write a part's done marker: its index, with the part's checksum and its own in the metadata."""
    counts = np.asarray(counts, dtype=np.int64)
    t = pa.table({HASH: hashes, "n_rows": pa.array(counts, pa.int64())})
    t = t.replace_schema_metadata({_PART_SUM: part_sum.encode(), _PART_BYTES: str(part_bytes).encode(),
                                   _INDEX_SUM: _index_sum(hashes, counts).encode()})
    with atomic_path(path) as tmp:
        pq.write_table(t, tmp, compression="zstd")


class _Vanished(Exception):
    """A part disappeared while we read it (a concurrent compaction); read again."""


def _retrying(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        for attempt in range(20):
            try:
                return fn(*args, **kwargs)
            except _Vanished:
                time.sleep(0.05 * (attempt + 1))
        return fn(*args, **kwargs)
    return wrapper


@dataclass
class _Seg:
    """One part's index: its hashes and row counts in row order, and which hashes it owns."""
    part: _Part | None
    hashes: pa.Array
    counts: np.ndarray
    owned: np.ndarray | None = None     # None: owns every hash it covers
    table: pa.Table | None = None       # rows in memory (``cache=False``), else read from ``part``

    @property
    def owned_hashes(self) -> pa.Array:
        return self.hashes if self.owned is None else self.hashes.filter(pa.array(self.owned))


class _Damaged(Exception):
    """A store file failed verification: unreadable, short, a wrong schema or a wrong checksum."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


_VERIFIED: dict[str, tuple] = {}
"""Part files verified by this process, with the ``stat`` they had then (verified again if it changed)."""
_REPAIRS: list[tuple[str, str]] = []
"""``(path, reason)`` of every damaged part this process set aside (see :func:`take_repairs`)."""


def _expected_columns(d: Path) -> list[str]:
    """The columns every part of the store folder ``d`` must have (its annotator's, when registered)."""
    kind, _, version = d.name.rpartition("-")
    ann = _REGISTRY.get(kind)
    if ann is None or ann.version != version:
        return []
    return [c for c in ann.columns if c not in ("article_id", HASH)]


def _stat_key(st: os.stat_result) -> tuple:
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _check_part(p: _Part, expect: Sequence[str]) -> pa.Table:
    """The verified index of part ``p``: raises :class:`_Damaged` when its done file, its part
    file (checksum, size), or the part's schema (``expect`` columns) is wrong, and
    ``FileNotFoundError`` when a file is gone."""
    try:
        st_done = os.stat(p.done)
        t = pq.read_table(p.done)
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise _Damaged(p.done, f"unreadable: {type(exc).__name__}: {exc}") from None
    if t.column_names[:2] != [HASH, "n_rows"]:
        raise _Damaged(p.done, f"columns {t.column_names} are not {HASH}, n_rows")
    meta = t.schema.metadata or {}
    if _INDEX_SUM not in meta or _PART_SUM not in meta:
        raise _Damaged(p.done, "no checksum recorded (written by an older newsdesk, or damaged)")
    counts = t.column("n_rows").to_numpy().astype(np.int64, copy=False)
    if _VERIFIED.get(str(p.done)) != _stat_key(st_done):
        hashes = t.column(HASH).combine_chunks().cast(pa.string())
        if _index_sum(hashes, counts) != meta[_INDEX_SUM].decode("utf-8", "replace"):
            raise _Damaged(p.done, "checksum mismatch")
        _VERIFIED[str(p.done)] = _stat_key(st_done)
    st = os.stat(p.part)                       # FileNotFoundError: the part is gone
    key = str(p.part)
    if _VERIFIED.get(key) != _stat_key(st):
        _VERIFIED.pop(key, None)
        try:
            want = int(meta.get(_PART_BYTES, b"-1"))
        except ValueError:
            want = -1
        if st.st_size != want:
            raise _Damaged(p.part, f"{st.st_size} bytes, {want} were written (short or overwritten)")
        try:
            checksum.verify_file(p.part, meta[_PART_SUM].decode("utf-8", "replace"))
        except checksum.ChecksumError as exc:
            raise _Damaged(p.part, str(exc)) from None
        try:
            meta_part = pq.read_metadata(p.part)
            names = meta_part.schema.to_arrow_schema().names
        except Exception as exc:
            raise _Damaged(p.part, f"unreadable: {type(exc).__name__}: {exc}") from None
        lacking = [c for c in expect if c not in names]
        if not names or names[0] != HASH or lacking:
            raise _Damaged(p.part, f"wrong schema {names} (lacks {lacking or [HASH]})")
        if meta_part.num_rows != int(counts.sum()):
            raise _Damaged(p.part, f"{meta_part.num_rows} rows, its index says {int(counts.sum())}")
        _VERIFIED[key] = _stat_key(st)
    return t


@_retrying
def _index(d: Path, *, repair: bool = True) -> list[_Seg]:
    """The verified parts of ``d``, oldest first, each with its index.

    A hash covered by two parts (two runs at once, or a compaction interrupted before it removed
    what it merged) belongs to the oldest part only. A part that fails verification (unreadable,
    short, a checksum or schema that does not match, see :func:`_check_part`) is never served:
    with ``repair`` it is logged, deleted and its articles are recomputed.
    """
    segs = []
    expect = _expected_columns(d)
    for p in _parts(d):
        try:
            t = _check_part(p, expect)
        except FileNotFoundError:
            if not p.done.exists():
                raise _Vanished from None  # compacted away under us
            if repair:
                _set_aside(p, p.part, "missing")
            continue
        except _Damaged as exc:
            if not p.done.exists():
                raise _Vanished from None  # compacted away while we read it
            if repair:
                _set_aside(p, exc.path, exc.reason)
            continue
        segs.append(_Seg(p, t.column(HASH).combine_chunks().cast(pa.string()),
                         t.column("n_rows").to_numpy().astype(np.int64, copy=False)))
    if len(segs) > 1:
        allh = pa.chunked_array([s.hashes for s in segs], pa.string())
        if len(pc.unique(allh)) != len(allh):
            seen: set[str] = set()
            for s in segs:
                mine = []
                for h in s.hashes.to_pylist():
                    mine.append(h not in seen)
                    seen.add(h)
                if not all(mine):
                    s.owned = np.array(mine, dtype=bool)
    return segs


def _set_aside(p: _Part, path: Path, reason: str) -> None:
    """Log a damaged part (naming the bad file) and delete it, so its articles are recomputed."""
    log.warning("store file %s is damaged (%s); its articles will be recomputed", path, reason)
    _REPAIRS.append((str(path), reason))
    _VERIFIED.pop(str(p.part), None)
    _VERIFIED.pop(str(p.done), None)
    _remove(p)


def take_repairs() -> list[tuple[str, str]]:
    """``(path, reason)`` of each damaged store part set aside since the last call (and forget them).

    >>> isinstance(take_repairs(), list)
    True
    """
    out = list(_REPAIRS)
    _REPAIRS.clear()
    return out


def _remove(p: _Part) -> None:
    for f in (p.done, p.part):
        try:
            f.unlink()
        except OSError:
            pass


def done_hashes(kind: str, *, root: str | os.PathLike | None = None) -> set[str]:
    """The content hashes whose ``kind`` rows are in the store."""
    return {h for s in _index(store_dir(kind, root=root)) for h in s.hashes.to_pylist()}


def articles_key(articles: pd.DataFrame) -> tuple | None:
    """A key for the identity and content of ``articles`` from ``load_corpus`` (ids, content
    hashes and clean-text spans, in order), for caching what is computed from them; None for
    other frames.

    >>> articles_key(articles) == articles_key(articles.copy())     # doctest: +SKIP
    True
    """
    cols = ("article_id", HASH, "text_offset", "text_length")
    if not set(cols) <= set(articles.columns):
        return None
    h = hashlib.sha1()
    for c in ("article_id", HASH):
        h.update("\x1f".join(articles[c].astype(str).tolist()).encode("utf-8", "surrogatepass"))
    for c in ("text_offset", "text_length"):
        h.update(np.ascontiguousarray(articles[c].to_numpy(dtype="int64")).tobytes())
    return (len(articles), h.hexdigest())


def missing(articles: pd.DataFrame, kind: str, *, root: str | os.PathLike | None = None) -> pd.DataFrame:
    """The articles whose ``kind`` rows are not in the store yet (one per content hash).

    >>> len(missing(articles, "sentences"))     # doctest: +SKIP
    0
    """
    return _missing(articles, _index(store_dir(kind, root=root)))


def _missing(articles: pd.DataFrame, segs: list[_Seg]) -> pd.DataFrame:
    return _todo(articles, segs).frame()


class _Rows:
    """Rows of ``articles`` at ``pos``, cut into chunks lazily: a run never copies the frame of
    missing articles (workers forked from this process slice it themselves)."""

    def __init__(self, articles: pd.DataFrame, pos: np.ndarray):
        self.articles, self.pos = articles, pos

    def __len__(self) -> int:
        return len(self.pos)

    def __getitem__(self, sl: slice) -> pd.DataFrame:
        return self.articles.iloc[self.pos[sl]]

    def frame(self) -> pd.DataFrame:
        return self.articles.iloc[self.pos]


def _todo(articles: pd.DataFrame, segs: list[_Seg]) -> _Rows:
    """The articles whose rows are not in ``segs``, one per content hash, as positions."""
    if HASH not in articles.columns or "article_id" not in articles.columns:
        raise ValueError("articles need 'article_id' and 'content_hash' columns (use newsdesk.load_corpus)")
    need = ~articles[HASH].duplicated().to_numpy()
    if segs:
        have = pa.concat_arrays([s.hashes for s in segs])
        want = pa.array(articles[HASH].to_numpy(dtype=object), pa.string())
        need &= ~pc.is_in(want, value_set=have).to_numpy(zero_copy_only=False)
    return _Rows(articles, np.flatnonzero(need))


# --------------------------------------------------------------------------- computing
def _to_table(rows: pd.DataFrame | pa.Table) -> pa.Table:
    if isinstance(rows, pa.Table):
        return rows
    try:
        return pa.Table.from_pandas(rows, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise StoreError(f"annotator rows cannot be stored as Parquet: {exc}") from None


def _annotate_chunk(kind: str, version: str, fn: Callable, chunk: pd.DataFrame
                    ) -> tuple[pa.Table, list[str], np.ndarray]:
    """Run ``fn`` on one chunk: rows keyed by content hash (as Arrow), the chunk's hashes, and
    each one's number of rows (rows come grouped by article, in the chunk's order).

    Runs in a worker process or on a Dask worker. On a worker that has ``kind`` registered at
    another version (different code than the client), it refuses rather than poison the store.
    """
    mine = _REGISTRY.get(kind)
    if mine is not None and mine.version != version:
        raise StoreError(f"this worker runs {kind} version {mine.version}, the client {version}: "
                         "install the same newsdesk on every worker")
    rows = fn(chunk)
    if not isinstance(rows, (pd.DataFrame, pa.Table)):
        raise StoreError(f"annotator {kind!r} returned {type(rows).__name__}, not a DataFrame")
    table = _to_table(rows)
    if "article_id" not in table.column_names:
        raise StoreError(f"annotator {kind!r} returned rows without an 'article_id' column")
    if HASH in table.column_names:
        table = table.drop_columns([HASH])
    ids = pa.array(chunk["article_id"].to_numpy(dtype=object), pa.string())
    hashes = chunk[HASH].to_numpy(dtype=object)
    pos = pc.index_in(table.column("article_id").cast(pa.string()), value_set=ids)
    if pos.null_count:
        bad = pc.filter(table.column("article_id"), pc.is_null(pos))[0]
        raise StoreError(f"annotator {kind!r} returned rows for article {bad}, which it was not given")
    pos_np = pos.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    order = np.argsort(pos_np, kind="stable")
    if not np.array_equal(order, np.arange(len(order))):
        table = table.take(pa.array(order))
        pos_np = pos_np[order]
    key = pa.array(hashes[pos_np] if len(pos_np) else np.array([], dtype=object), pa.string())
    table = table.drop_columns(["article_id"]).add_column(0, HASH, key)
    counts = np.bincount(pos_np, minlength=len(hashes)).astype(np.int64)
    return table, list(hashes), counts


def _concat(tables: list[pa.Table]) -> pa.Table:
    tables = [t for t in tables if t.num_rows] or tables[:1]
    if len(tables) == 1:
        return tables[0]
    try:
        return pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise StoreError(f"annotator rows have inconsistent column types across chunks: {exc}") from None


def _compute(ann: Annotator, todo: _Rows, d: Path | None, *, jobs: int | None, scheduler,
             progress: bool | None, flush_articles: int, flush_seconds: float) -> list:
    """Annotate ``todo``; with a store folder ``d``, flush finished chunks into parts as we go and
    return the parts written; without, return the results as in-memory segments."""
    from .parallel import map_chunks

    fn = functools.partial(_annotate_chunk, ann.kind, ann.version, ann.fn)
    jobs_n = config.default_jobs() if jobs is None else max(1, int(jobs))
    size = max(config.STORE_MIN_CHUNK, min(config.STORE_MAX_CHUNK, -(-len(todo) // (jobs_n * 8))))
    buf: list[pa.Table] = []
    buf_hashes: list[str] = []
    buf_counts: list[np.ndarray] = []
    written: list[_Part] = []
    out: list[_Seg] = []
    last = time.monotonic()

    def flush():
        nonlocal buf, buf_hashes, buf_counts, last
        if buf_hashes:
            written.append(_write_part(d, _concat(buf), buf_hashes, np.concatenate(buf_counts)))
        buf, buf_hashes, buf_counts, last = [], [], [], time.monotonic()

    try:
        for table, hashes, counts in map_chunks(fn, todo, jobs=jobs_n, chunk_size=size, progress=progress,
                                                desc=f"annotating {ann.kind}", unit="article",
                                                min_parallel=config.STORE_MIN_PARALLEL, scheduler=scheduler):
            if d is None:
                out.append(_Seg(None, pa.array(hashes, pa.string()), counts, table=table))
                continue
            buf.append(table)
            buf_hashes.extend(hashes)
            buf_counts.append(counts)
            if len(buf_hashes) >= flush_articles or time.monotonic() - last >= flush_seconds:
                flush()
    finally:
        # every chunk in the buffer finished: keep it, even when a later chunk failed
        if d is not None and buf_hashes:
            try:
                flush()
            except Exception as exc:  # never hide the original error
                log.warning("could not save finished annotations: %s", exc)
    return written if d is not None else out


# --------------------------------------------------------------------------- public API
def annotate(articles: pd.DataFrame, kinds_: Iterable[str] | None = None, *, jobs: int | None = None,
             scheduler=None, progress: bool | None = None, root: str | os.PathLike | None = None,
             compact_after: bool = True) -> dict[str, int]:
    """Fill the store for ``articles`` without reading rows back; return ``{kind: articles computed}``.

    Parts that fail verification are set aside and their articles counted as computed (see
    :func:`take_repairs`). A cache folder that cannot be written raises ``cache.ReadOnlyCacheError``.

    ``jobs`` worker processes (default: all cores), or a Dask ``scheduler`` (``"tcp://host:8786"``
    or a ``distributed.Client``).

    >>> annotate(articles, ["sentences"], jobs=2)     # doctest: +SKIP
    {'sentences': 1200}
    """
    out = {}
    for kind in (list(kinds_) if kinds_ is not None else kinds()):
        ann = annotator(kind)
        d = store_dir(kind, ann.version, root)
        todo = _todo(articles, _index(d))
        if len(todo):
            from .cache import ReadOnlyCacheError, unwritable

            problem = unwritable(d)
            if problem is not None:
                raise ReadOnlyCacheError(problem.errno, f"the cache folder {d.parent.parent} cannot be written "
                                         f"({problem.strerror or problem}); set NEWSDESK_CACHE to a writable folder")
            _run(ann, todo, d, jobs=jobs, scheduler=scheduler, progress=progress, compact_after=compact_after)
        out[kind] = len(todo)
    return out


def _run(ann: Annotator, todo: _Rows, d: Path, *, jobs, scheduler, progress, compact_after: bool) -> None:
    written = _compute(ann, todo, d, jobs=jobs, scheduler=scheduler, progress=progress,
                       flush_articles=config.STORE_FLUSH_ARTICLES, flush_seconds=config.STORE_FLUSH_SECONDS)
    if compact_after:
        if len(written) > 1:
            with cache_lock(d / "compact"):
                _merge(d, written)
        compact(ann.kind, root=d.parent.parent, max_parts=config.STORE_MAX_PARTS)


def get(articles: pd.DataFrame, kind: str, *, jobs: int | None = None, cache: bool = True,
        columns: Sequence[str] | None = None, scheduler=None, progress: bool | None = None,
        root: str | os.PathLike | None = None) -> pd.DataFrame:
    """Rows of ``kind`` for ``articles`` (with their ``article_id``), computing only what is missing.

    Rows come in the order of ``articles``, each article's rows in the annotator's order; an
    article that duplicates another (same content hash) gets the same rows under its own id.
    ``columns`` reads only those columns. ``cache=False`` computes everything and stores nothing.

    >>> sents = get(articles, "sentences", columns=["compound"])   # doctest: +SKIP
    """
    table = get_table(articles, kind, jobs=jobs, cache=cache, columns=columns, scheduler=scheduler,
                      progress=progress, root=root)
    if any(c.num_chunks > 1 for c in table.columns):
        # one chunk per column: row selections on a many-chunk pandas column copy it whole
        table = table.combine_chunks()
    return table.to_pandas()


def get_table(articles: pd.DataFrame, kind: str, *, jobs: int | None = None, cache: bool = True,
              columns: Sequence[str] | None = None, scheduler=None, progress: bool | None = None,
              root: str | os.PathLike | None = None) -> pa.Table:
    """:func:`get` as an Arrow table (no conversion to pandas): for annotators whose rows hold
    lists, or for aggregating many rows with Arrow.

    >>> get_table(articles, "keyword_counts", columns=["words", "counts"])   # doctest: +SKIP
    """
    ann = annotator(kind)
    if not cache:
        segs = _compute(ann, _todo(articles, []), None, jobs=jobs, scheduler=scheduler,
                        progress=progress, flush_articles=0, flush_seconds=0)
        return _assemble(articles, segs, columns, ann=ann)
    d = store_dir(kind, ann.version, root)
    for _attempt in range(3):
        todo = _todo(articles, _index(d))
        if len(todo):
            from . import cache as _cache

            problem = _cache.unwritable(d)
            if problem is None:
                try:
                    _run(ann, todo, d, jobs=jobs, scheduler=scheduler, progress=progress, compact_after=True)
                except OSError as exc:
                    if exc.errno not in _cache.UNWRITABLE_ERRNOS:
                        raise
                    problem = exc
            if problem is not None:   # a read-only (or full) cache: compute what is missing in memory
                _cache.warn_read_only(d, problem)
                return _in_memory(ann, articles, d, columns, jobs=jobs, scheduler=scheduler, progress=progress)
        try:
            return _read_rows(d, articles, columns, ann)
        except _Damaged as exc:       # failed while reading: set aside, recompute, read again
            parts = [p for p in _parts(d) if p.part == exc.path or p.done == exc.path]
            for p in parts:
                _set_aside(p, exc.path, exc.reason)
            if not parts:
                raise StoreError(f"store file {exc.path} is damaged ({exc.reason})") from None
    return _in_memory(ann, articles, d, columns, jobs=jobs, scheduler=scheduler, progress=progress)


def _in_memory(ann: Annotator, articles: pd.DataFrame, d: Path, columns: Sequence[str] | None, *,
               jobs, scheduler, progress) -> pa.Table:
    """Rows from the readable parts of ``d`` plus, computed in memory and stored nothing, the rest."""
    segs = _index(d)
    mem = _compute(ann, _todo(articles, segs), None, jobs=jobs, scheduler=scheduler, progress=progress,
                   flush_articles=0, flush_seconds=0)
    try:
        return _assemble(articles, segs + mem, columns, ann=ann)
    except (_Vanished, _Damaged):
        mem = _compute(ann, _todo(articles, []), None, jobs=jobs, scheduler=scheduler, progress=progress,
                       flush_articles=0, flush_seconds=0)
        return _assemble(articles, mem, columns, ann=ann)


@_retrying
def _read_rows(d: Path, articles: pd.DataFrame, columns: Sequence[str] | None, ann: Annotator | None = None
               ) -> pa.Table:
    return _assemble(articles, _index(d), columns, ann=ann)


def _select(names: list[str], columns: Sequence[str] | None) -> list[str]:
    if columns is None:
        return names
    unknown = [c for c in columns if c not in names and c != HASH]
    if unknown:
        raise KeyError(f"no column(s) {unknown}; the store has {names}")
    return [c for c in columns if c != HASH]


def _read_part(seg: _Seg, columns: Sequence[str] | None) -> pa.Table:
    """A part's rows without the hash column (its index says whose rows they are); a part that
    cannot be read or is shorter than its index raises :class:`_Damaged`."""
    path = seg.part.part
    try:
        schema = pq.read_schema(path)
        names = _select([n for n in schema.names if n != HASH], columns)
        t = pq.read_table(path, columns=names)
    except FileNotFoundError:
        raise _Vanished from None
    except KeyError:
        raise
    except Exception as exc:
        raise _Damaged(path, f"unreadable: {type(exc).__name__}: {exc}") from None
    if t.num_rows != int(seg.counts.sum()):
        raise _Damaged(path, f"{t.num_rows} rows, its index says {int(seg.counts.sum())}")
    return t


def _empty_rows(segs: list[_Seg], articles: pd.DataFrame, columns: Sequence[str] | None,
                ann: Annotator | None) -> pa.Table:
    """No rows, but every column of the kind: from a stored part's schema, else from the annotator
    run on no articles (an empty result keeps its shape)."""
    schema = None
    for s in segs:
        if s.table is not None:
            schema = s.table.schema
        elif s.part is not None:
            try:
                schema = pq.read_schema(s.part.part)
            except Exception:
                continue
        if schema is not None and len(schema.names) > 1:
            break
    if (schema is None or len(schema.names) <= 1) and ann is not None:
        try:
            schema = _annotate_chunk(ann.kind, ann.version, ann.fn, articles.iloc[:0])[0].schema
        except Exception as exc:   # an annotator that cannot run on no articles: its declared columns
            log.debug("annotator %s on no articles: %s", ann.kind, exc)
            schema = pa.schema([(HASH, pa.string())] + [(c, pa.null()) for c in ann.columns
                                                         if c not in ("article_id", HASH)])
    if schema is None:
        schema = pa.schema([(HASH, pa.string())])
    fields = [f for f in schema if f.name not in (HASH, "article_id")]
    names = _select([f.name for f in fields], columns)
    by_name = {f.name: f for f in fields}
    empty = pa.schema([pa.field("article_id", pa.large_string())] +
                      [pa.field(n, by_name[n].type) for n in names]).empty_table()
    return empty.replace_schema_metadata(None)


def _assemble(articles: pd.DataFrame, segs: list[_Seg], columns: Sequence[str] | None, *,
              ann: Annotator | None = None) -> pa.Table:
    """Rows for ``articles`` from the parts' indexes: in the order of ``articles``, each article's
    rows in the annotator's order, duplicates getting their own copy under their own id. Only the
    parts holding a wanted article are read, and never their hash column."""
    if HASH not in articles.columns or "article_id" not in articles.columns:
        raise ValueError("articles need 'article_id' and 'content_hash' columns (use newsdesk.load_corpus)")
    codes, uniq = pd.factorize(articles[HASH].to_numpy(dtype=object))    # article -> unique hash
    uniq_arr = pa.array(uniq, pa.string())
    keys, starts, cnts, tables = [], [], [], []
    base = 0
    for s in segs:
        offs = np.cumsum(s.counts) - s.counts
        own = s.owned if s.owned is not None else slice(None)
        h = s.owned_hashes
        if not len(h) or not pc.any(pc.is_in(h, value_set=uniq_arr)).as_py():
            continue
        t = s.table.drop_columns([HASH]) if s.table is not None else _read_part(s, columns)
        if s.table is not None and columns is not None:
            t = t.select(_select(t.column_names, columns))
        keys.append(h)
        starts.append(base + offs[own])
        cnts.append(s.counts[own])
        tables.append(t)
        base += t.num_rows
    if not tables:
        return _empty_rows(segs, articles, columns, ann)
    table = _concat(tables)
    key_pos = pc.index_in(uniq_arr, value_set=pa.concat_arrays(keys)).to_numpy(zero_copy_only=False)
    found = ~np.isnan(key_pos) if key_pos.dtype.kind == "f" else np.ones(len(key_pos), bool)
    key_pos = np.where(found, np.nan_to_num(key_pos), 0).astype(np.int64)
    all_starts, all_cnts = np.concatenate(starts), np.concatenate(cnts)
    u_start = np.where(found, all_starts[key_pos], 0)
    u_cnt = np.where(found, all_cnts[key_pos], 0)
    per_art = u_cnt[codes]                                   # rows of each article, in article order
    total = int(per_art.sum())
    out_start = np.cumsum(per_art) - per_art
    take = np.arange(total, dtype=np.int64) + np.repeat(u_start[codes] - out_start, per_art)
    if not (total == table.num_rows and np.array_equal(take, np.arange(total))):
        table = _take(table, take)
    ids = pa.array(articles["article_id"].to_numpy(dtype=object), pa.large_string())
    ids = ids.take(pa.array(np.repeat(np.arange(len(codes), dtype=np.int64), per_art)))
    return table.add_column(0, "article_id", ids)


def _take(table: pa.Table, take: np.ndarray) -> pa.Table:
    """``table.take(take)``, but as zero-copy slices when ``take`` is a few runs of consecutive
    rows (the usual case: rows in article order with a few duplicates or a subset of articles),
    so a large table (lists of words per article) is not copied whole."""
    if not len(take):
        return table.slice(0, 0)
    breaks = np.flatnonzero(np.diff(take) != 1) + 1
    if len(breaks) > max(64, len(take) // 100):
        return table.take(pa.array(take))
    starts = np.concatenate([[0], breaks])
    ends = np.concatenate([breaks, [len(take)]])
    pieces = [table.slice(int(take[a]), int(b - a)) for a, b in zip(starts, ends)]
    return pa.concat_tables(pieces) if len(pieces) > 1 else pieces[0]


# --------------------------------------------------------------------------- maintenance
def _merge(d: Path, parts: list[_Part]) -> _Part | None:
    """Merge ``parts`` into one (written before the old ones are removed). Call under the lock."""
    if len(parts) < 2:
        return None
    return _merge_streaming(d, parts)


def _merge_streaming(d: Path, parts: list[_Part]) -> None:
    """Merge ``parts`` one at a time into a new part (only one part's rows in memory at once),
    then remove them. A schema that cannot be unified falls back to merging in memory. Parts of
    no rows still give the merged part their schema (an empty part keeps every column)."""
    name = _new_name()
    out = _Part(name, d / f"part-{name}.parquet", d / f"done-{name}.parquet")
    hashes: list[str] = []
    counts: list[np.ndarray] = []
    schema = None
    first_schema = None
    try:
        with atomic_path(out.part) as tmp:
            writer = None
            try:
                for t, h, c in _valid_parts(d, parts):
                    if first_schema is None:
                        first_schema = t.schema
                    if schema is None and t.num_rows:
                        schema = t.schema
                        writer = pq.ParquetWriter(tmp, schema, compression="zstd")
                    if t.num_rows:
                        writer.write_table(t.cast(schema) if t.schema != schema else t)
                    hashes.extend(h)
                    counts.append(c)
                if writer is None:
                    schema = first_schema if first_schema is not None else pa.schema([(HASH, pa.string())])
                    writer = pq.ParquetWriter(tmp, schema, compression="zstd")
            finally:
                if writer is not None:
                    writer.close()
            part_sum, part_bytes = checksum.of_file(tmp), tmp.stat().st_size
        _write_done(out.done, pa.array(hashes, pa.string()),
                    np.concatenate(counts) if counts else np.zeros(0, np.int64), part_sum, part_bytes)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        out.part.unlink(missing_ok=True)
        return _merge_in_memory(d, parts)
    _drop(parts)
    return None


def _valid_parts(d: Path, parts: list[_Part]):
    """Yield ``(rows, hashes, counts)`` of each verified part, in order, keeping each content
    hash's rows from its first part only; parts that fail verification or disagree with their
    index are logged and skipped (their articles are recomputed later)."""
    seen: set[str] = set()
    expect = _expected_columns(d)
    for p in parts:
        try:
            idx = _check_part(p, expect)
            t = pq.read_table(p.part)
        except FileNotFoundError:
            continue
        except _Damaged as exc:
            log.warning("store file %s is damaged (%s); its articles will be recomputed", exc.path, exc.reason)
            _REPAIRS.append((str(exc.path), exc.reason))
            continue
        except Exception as exc:
            log.warning("store part %s is unreadable (%s); its articles will be recomputed", p.part, exc)
            _REPAIRS.append((str(p.part), f"unreadable: {exc}"))
            continue
        h = idx.column(HASH).to_pylist()
        c = idx.column("n_rows").to_numpy().astype(np.int64)
        if int(c.sum()) != t.num_rows:
            log.warning("store part %s does not match its index; its articles will be recomputed", p.part)
            _REPAIRS.append((str(p.part), "does not match its index"))
            continue
        keep = np.array([x not in seen for x in h], dtype=bool)
        if not keep.all():
            t = t.filter(pa.array(np.repeat(keep, c)))
        seen.update(h)
        yield t, [x for x, k in zip(h, keep) if k], c[keep]


def _drop(parts: list[_Part]) -> None:
    for p in parts:
        try:
            p.done.unlink()           # markers first: a crash here leaves rows without a marker
        except OSError:
            pass
    for p in parts:
        try:
            p.part.unlink()
        except OSError:
            pass


def _merge_in_memory(d: Path, parts: list[_Part]) -> None:
    tables, hashes, counts = [], [], []
    for t, h, c in _valid_parts(d, parts):
        tables.append(t)
        hashes.extend(h)
        counts.append(c)
    if tables:
        _write_part(d, _concat(tables), hashes, np.concatenate(counts))
    _drop(parts)


def compact(kind: str, *, root: str | os.PathLike | None = None, max_parts: int | None = 1) -> int:
    """Merge small parts of ``kind`` until at most ``max_parts`` remain; return the parts merged.

    With the default ``max_parts=1`` everything becomes one part (fastest to read). Runs under a
    lock; readers at the same time retry and never see a row twice or miss one.
    """
    d = store_dir(kind, root=root)
    if not d.is_dir():
        return 0
    with cache_lock(d / "compact"):
        parts = _parts(d)
        _clean_tmp(d)
        if max_parts is None or len(parts) <= max(1, max_parts):
            return 0
        sizes = [(p.part.stat().st_size if p.part.exists() else 0, i) for i, p in enumerate(parts)]
        n_merge = len(parts) - max(1, max_parts // 2) + 1 if max_parts > 1 else len(parts)
        chosen = sorted(i for _, i in sorted(sizes)[:n_merge])
        _merge(d, [parts[i] for i in chosen])
        return len(chosen)


def _clean_tmp(d: Path, age: float = 3600) -> None:
    """Remove temporary files left by runs that died more than ``age`` seconds ago, and parts
    without a done marker (their run died before finishing them)."""
    now = time.time()
    done = {n[5:-8] for n in os.listdir(d) if n.startswith("done-")}
    for n in os.listdir(d):
        f = d / n
        stale = n.endswith(".tmp") or (n.startswith("part-") and n[5:-8] not in done)
        try:
            if stale and now - f.stat().st_mtime > age:
                f.unlink()
        except OSError:
            pass


def verify(*, root: str | os.PathLike | None = None, repair: bool = True) -> tuple[int, list[tuple[str, str, bool]]]:
    """Verify every part of every store folder (checksums, sizes, schemas, row counts); with
    ``repair``, delete each damaged part (its articles are recomputed when next asked for) and
    stray files of dead runs. Returns ``(parts checked, [(path, problem, set aside)])``.

    >>> verify(root="/nonexistent")
    (0, [])
    """
    base = Path(root or config.CACHE_DIR) / "store"
    checked, problems = 0, []
    _load_builtin_annotators()
    for d in sorted(base.glob("*-*")) if base.is_dir() else []:
        if not d.is_dir():
            continue
        lock = None
        if repair:
            try:
                lock = cache_lock(d / "compact")
                lock.acquire()
            except OSError:
                lock = None
        try:
            for p in _parts(d):
                checked += 1
                _VERIFIED.pop(str(p.part), None)
                _VERIFIED.pop(str(p.done), None)
                try:
                    _check_part(p, _expected_columns(d))
                    continue
                except FileNotFoundError:
                    bad, why = p.part, "missing"
                except _Damaged as exc:
                    bad, why = exc.path, exc.reason
                fixed = False
                if repair and lock is not None:
                    _remove(p)
                    fixed = not p.done.exists()
                problems.append((str(bad), why, fixed))
            if repair and lock is not None:
                _clean_tmp(d)
        finally:
            if lock is not None:
                lock.release()
    return checked, problems


def prune(*, root: str | os.PathLike | None = None) -> list[Path]:
    """Delete store folders of annotator versions no longer registered; return them."""
    import shutil

    base = Path(root or config.CACHE_DIR) / "store"
    current = {store_dir(k, root=root).name for k in kinds()}
    gone = []
    for d in sorted(base.glob("*-*")) if base.is_dir() else []:
        kind = d.name.rsplit("-", 1)[0]
        if d.is_dir() and kind in _REGISTRY and d.name not in current:
            shutil.rmtree(d, ignore_errors=True)
            gone.append(d)
    return gone


def summary(*, root: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per kind in the store: version, parts, articles, rows, bytes, current or stale."""
    base = Path(root or config.CACHE_DIR) / "store"
    rows = []
    current = {store_dir(k, root=root).name for k in kinds()}
    for d in sorted(base.glob("*-*")) if base.is_dir() else []:
        segs = _index(d, repair=False)
        parts = [s.part for s in segs]
        hashes = [s.hashes for s in segs]
        n_rows = sum(int(s.counts.sum()) for s in segs)
        size = sum(p.part.stat().st_size for p in parts)
        kind, version = d.name.rsplit("-", 1)
        rows.append({"kind": kind, "version": version, "parts": len(parts),
                     "articles": sum(len(h) for h in hashes), "rows": n_rows, "bytes": size,
                     "current": d.name in current})
    return pd.DataFrame(rows, columns=["kind", "version", "parts", "articles", "rows", "bytes", "current"])


__all__ = ["register", "annotator", "kinds", "code_version", "Inputs", "get", "get_table", "annotate", "articles_key", "missing", "compact",
           "prune", "summary", "parquet_glob", "store_dir", "done_hashes", "StoreError", "Annotator", "verify",
           "take_repairs"]
