"""The annotation store on disk: its folders, parts, their checksums, and their upkeep.

Layout, one folder per kind and version under ``config.CACHE_DIR/store/``::

    sentences-3f2a9c01d4e7/
        part-<time>-<id>.parquet    rows: content_hash + the annotator's columns, grouped by article
        done-<time>-<id>.parquet    the part's index: content_hash, n_rows, in row order (written last)

A part counts only once its ``done-`` file exists, and both are written to a temporary name and
renamed into place, so an interrupted run leaves every finished part usable and nothing
half-written is ever read. Each ``done-`` marker's metadata holds its part's checksum and size and
a checksum of the marker's own index; a part is verified the first time a process reads it
(:func:`_check_part`), and one that fails is logged, deleted and its articles recomputed.
Parts written by one run are merged at its end, and small parts are merged when a kind has more
than ``config.STORE_MAX_PARTS`` (:func:`compact`); :func:`verify`, :func:`prune` and
:func:`summary` are the store's side of ``newsdesk doctor``. The part files are plain Parquet:
DuckDB, Dask or Spark can read a store too large for pandas (see :func:`parquet_glob`).
:mod:`newsdesk.store` computes what is missing and reads rows back.

>>> from newsdesk import storage
>>> storage.parquet_glob("sentences")                     # doctest: +SKIP
'data/cache/store/sentences-3f2a9c01d4e7/part-*.parquet'
>>> storage.verify(root="/nonexistent")
(0, [])
"""
from __future__ import annotations

import functools
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import checksum, config, registry
from .atomic import atomic_path, cache_lock
from .errors import NewsdeskError

log = logging.getLogger("newsdesk")
config.use_arrow_pool()   # jemalloc: see config.ARROW_MEMORY_POOL

HASH = "content_hash"


class StoreError(NewsdeskError):
    """An annotator broke the store's contract (e.g. rows for an article it was not given)."""


# --------------------------------------------------------------------------- layout
def store_dir(kind: str, version: str | None = None, root: str | os.PathLike | None = None) -> Path:
    """The folder holding ``kind`` at ``version`` (default: the registered annotator's version)."""
    version = registry.annotator(kind).version if version is None else version
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
    ann = registry._REGISTRY.get(kind)
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


def _concat(tables: list[pa.Table]) -> pa.Table:
    tables = [t for t in tables if t.num_rows] or tables[:1]
    if len(tables) == 1:
        return tables[0]
    try:
        return pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise StoreError(f"annotator rows have inconsistent column types across chunks: {exc}") from None


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
    registry._load_builtin_annotators()
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
    current = {store_dir(k, root=root).name for k in registry.kinds()}
    gone = []
    for d in sorted(base.glob("*-*")) if base.is_dir() else []:
        kind = d.name.rsplit("-", 1)[0]
        if d.is_dir() and kind in registry._REGISTRY and d.name not in current:
            shutil.rmtree(d, ignore_errors=True)
            gone.append(d)
    return gone


def summary(*, root: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per kind in the store: version, parts, articles, rows, bytes, current or stale."""
    base = Path(root or config.CACHE_DIR) / "store"
    rows = []
    current = {store_dir(k, root=root).name for k in registry.kinds()}
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


__all__ = ["HASH", "StoreError", "store_dir", "parquet_glob", "done_hashes", "take_repairs", "compact", "verify",
           "prune", "summary"]
