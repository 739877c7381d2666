"""The annotation store: per-article results computed once, kept as Parquet.

Analyses register a per-article *annotator* under a *kind* (:mod:`newsdesk.registry`);
:func:`get` returns the rows for a set of articles, computing only those missing from the store,
on all cores (or on a Dask cluster). Rows are keyed by each article's ``content_hash`` and the
annotator's version, so editing an annotator's code invalidates exactly its own results, and an
article that appears twice is annotated once.

Finished chunks are flushed into parts (:mod:`newsdesk.storage`, which holds the layout, the
checksums and the upkeep) every ``config.STORE_FLUSH_ARTICLES`` articles or
``config.STORE_FLUSH_SECONDS`` seconds, so an interrupted run keeps what it finished.

>>> from newsdesk import store
>>> sents = store.get(articles, "sentences")               # doctest: +SKIP
>>> store.annotate(articles)                                # fill the store, read nothing back  # doctest: +SKIP
{'quotes': 0, 'sentences': 0}
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import config, registry, storage
from .atomic import cache_lock
from .registry import Annotator
from .storage import (HASH, _concat, _Damaged, _index, _merge, _Part, _parts, _retrying, _Seg, _set_aside,
                      _Vanished, _write_part)

log = logging.getLogger("newsdesk")


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
    return _missing(articles, _index(storage.store_dir(kind, root=root)))


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
        raise storage.StoreError(f"annotator rows cannot be stored as Parquet: {exc}") from None


def _annotate_chunk(kind: str, version: str, fn: Callable, chunk: pd.DataFrame
                    ) -> tuple[pa.Table, list[str], np.ndarray]:
    """Run ``fn`` on one chunk: rows keyed by content hash (as Arrow), the chunk's hashes, and
    each one's number of rows (rows come grouped by article, in the chunk's order).

    Runs in a worker process or on a Dask worker. On a worker that has ``kind`` registered at
    another version (different code than the client), it refuses rather than poison the store.
    """
    mine = registry._REGISTRY.get(kind)
    if mine is not None and mine.version != version:
        raise storage.StoreError(f"this worker runs {kind} version {mine.version}, the client {version}: "
                         "install the same newsdesk on every worker")
    rows = fn(chunk)
    if not isinstance(rows, (pd.DataFrame, pa.Table)):
        raise storage.StoreError(f"annotator {kind!r} returned {type(rows).__name__}, not a DataFrame")
    table = _to_table(rows)
    if "article_id" not in table.column_names:
        raise storage.StoreError(f"annotator {kind!r} returned rows without an 'article_id' column")
    if HASH in table.column_names:
        table = table.drop_columns([HASH])
    ids = pa.array(chunk["article_id"].to_numpy(dtype=object), pa.string())
    hashes = chunk[HASH].to_numpy(dtype=object)
    pos = pc.index_in(table.column("article_id").cast(pa.string()), value_set=ids)
    if pos.null_count:
        bad = pc.filter(table.column("article_id"), pc.is_null(pos))[0]
        raise storage.StoreError(f"annotator {kind!r} returned rows for article {bad}, which it was not given")
    pos_np = pos.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    order = np.argsort(pos_np, kind="stable")
    if not np.array_equal(order, np.arange(len(order))):
        table = table.take(pa.array(order))
        pos_np = pos_np[order]
    key = pa.array(hashes[pos_np] if len(pos_np) else np.array([], dtype=object), pa.string())
    table = table.drop_columns(["article_id"]).add_column(0, HASH, key)
    counts = np.bincount(pos_np, minlength=len(hashes)).astype(np.int64)
    return table, list(hashes), counts


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
    for kind in (list(kinds_) if kinds_ is not None else registry.kinds()):
        ann = registry.annotator(kind)
        d = storage.store_dir(kind, ann.version, root)
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
        storage.compact(ann.kind, root=d.parent.parent, max_parts=config.STORE_MAX_PARTS)


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
              root: str | os.PathLike | None = None, dictionary: Sequence[str] = ()) -> pa.Table:
    """:func:`get` as an Arrow table (no conversion to pandas): for annotators whose rows hold
    lists, or for aggregating many rows with Arrow. The string (or list of strings) columns named
    in ``dictionary`` come dictionary-encoded, as Parquet stores them: no string is decoded (each
    chunk has its own dictionary; ``unify_dictionaries`` merges them).

    >>> get_table(articles, "keyword_counts", columns=["words", "counts"])   # doctest: +SKIP
    """
    ann = registry.annotator(kind)
    if not cache:
        segs = _compute(ann, _todo(articles, []), None, jobs=jobs, scheduler=scheduler,
                        progress=progress, flush_articles=0, flush_seconds=0)
        return _assemble(articles, segs, columns, ann=ann, dictionary=dictionary)
    d = storage.store_dir(kind, ann.version, root)
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
                return _in_memory(ann, articles, d, columns, jobs=jobs, scheduler=scheduler, progress=progress,
                                  dictionary=dictionary)
        try:
            return _read_rows(d, articles, columns, ann, dictionary=dictionary)
        except _Damaged as exc:       # failed while reading: set aside, recompute, read again
            parts = [p for p in _parts(d) if p.part == exc.path or p.done == exc.path]
            for p in parts:
                _set_aside(p, exc.path, exc.reason)
            if not parts:
                raise storage.StoreError(f"store file {exc.path} is damaged ({exc.reason})") from None
    return _in_memory(ann, articles, d, columns, jobs=jobs, scheduler=scheduler, progress=progress,
                      dictionary=dictionary)


def _in_memory(ann: Annotator, articles: pd.DataFrame, d: Path, columns: Sequence[str] | None, *,
               jobs, scheduler, progress, dictionary: Sequence[str] = ()) -> pa.Table:
    """Rows from the readable parts of ``d`` plus, computed in memory and stored nothing, the rest."""
    segs = _index(d)
    mem = _compute(ann, _todo(articles, segs), None, jobs=jobs, scheduler=scheduler, progress=progress,
                   flush_articles=0, flush_seconds=0)
    try:
        return _assemble(articles, segs + mem, columns, ann=ann, dictionary=dictionary)
    except (_Vanished, _Damaged):
        mem = _compute(ann, _todo(articles, []), None, jobs=jobs, scheduler=scheduler, progress=progress,
                       flush_articles=0, flush_seconds=0)
        return _assemble(articles, mem, columns, ann=ann, dictionary=dictionary)


@_retrying
def _read_rows(d: Path, articles: pd.DataFrame, columns: Sequence[str] | None, ann: Annotator | None = None,
               *, dictionary: Sequence[str] = ()) -> pa.Table:
    return _assemble(articles, _index(d), columns, ann=ann, dictionary=dictionary)


def _select(names: list[str], columns: Sequence[str] | None) -> list[str]:
    if columns is None:
        return names
    unknown = [c for c in columns if c not in names and c != HASH]
    if unknown:
        raise KeyError(f"no column(s) {unknown}; the store has {names}")
    return [c for c in columns if c != HASH]


def _read_part(seg: _Seg, columns: Sequence[str] | None, dictionary: Sequence[str] = ()) -> pa.Table:
    """A part's rows without the hash column (its index says whose rows they are), the columns
    in ``dictionary`` dictionary-encoded; a part that cannot be read or is shorter than its
    index raises :class:`_Damaged`."""
    path = seg.part.part
    try:
        schema = pq.read_schema(path)
        names = _select([n for n in schema.names if n != HASH], columns)
        t = pq.read_table(path, columns=names, read_dictionary=[_leaf(schema.field(n)) for n in names if n in dictionary])
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


def _leaf(field: pa.Field) -> str:
    """The Parquet path of a string column's values: its name, or ``name.list.element`` for a list."""
    return f"{field.name}.list.{field.type.value_field.name}" if pa.types.is_list(field.type) else field.name


def _dictionary_encoded(t: pa.Table, dictionary: Sequence[str]) -> pa.Table:
    """``t`` with its columns named in ``dictionary`` (strings or lists of strings) cast to
    dictionary-encoded strings, as :func:`_read_part` reads them."""
    for name in dictionary:
        if name not in t.column_names:
            continue
        i = t.column_names.index(name)
        typ = t.schema.field(i).type
        code = pa.dictionary(pa.int32(), pa.string())
        if pa.types.is_list(typ) and pa.types.is_string(typ.value_type):
            t = t.set_column(i, name, t.column(i).cast(pa.list_(pa.field(typ.value_field.name, code))))
        elif pa.types.is_string(typ):
            t = t.set_column(i, name, t.column(i).cast(code))
    return t


def _assemble(articles: pd.DataFrame, segs: list[_Seg], columns: Sequence[str] | None, *,
              ann: Annotator | None = None, dictionary: Sequence[str] = ()) -> pa.Table:
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
        t = s.table.drop_columns([HASH]) if s.table is not None else _read_part(s, columns, dictionary)
        if s.table is not None and columns is not None:
            t = t.select(_select(t.column_names, columns))
        if s.table is not None and dictionary:
            t = _dictionary_encoded(t, dictionary)
        keys.append(h)
        starts.append(base + offs[own])
        cnts.append(s.counts[own])
        tables.append(t)
        base += t.num_rows
    if not tables:
        return _dictionary_encoded(_empty_rows(segs, articles, columns, ann), dictionary)
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


__all__ = ["get", "get_table", "annotate", "missing", "articles_key"]
