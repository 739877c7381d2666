"""The load cache: parsed articles and rejects per corpus, keyed by each file's path, size and mtime.

One file per corpus root under ``config.CACHE_DIR/loads/``, in the Arrow IPC format
(uncompressed): a warm load reads it at disk speed with no decoding, and its string columns
become the pandas ``str`` columns without a copy. (Parquet with Snappy decodes some ten times
slower; see ``benchmarks/README.md``.) It is written to a temporary name and renamed into place
under a file lock, so a reader never sees half a file and two loads sharing a cache do not corrupt
it. Beside each cache file, ``<name>.arrow.sum`` records its checksum and size (``checksum.py``);
a read verifies them first, so a file that cannot be read or was damaged in place (truncated,
overwritten, foreign, or without its checksum) is reported with its path, deleted and rebuilt.

A cache folder that cannot be written (read-only, full) costs speed, never a result: loads and
analyses compute in memory, with one warning per process (:func:`warn_read_only`).

Only files that are new or whose size or mtime changed are parsed again; the freshness check
compares arrays, not rows, so a warm load costs one ``stat`` per file plus one memory-map.
"""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import checksum, config
from .atomic import atomic_path, atomic_write_text, cache_lock
from .parallel import BEFORE_FORK
from .records import ARTICLE_COLUMNS, Reject, SourceFiles
from .errors import NewsdeskError

__all__ = ["CACHE_FORMAT", "corpus_cache_file", "checksum_file", "verify_cache_file", "read_cache_file",
           "verify_all", "UNWRITABLE_ERRNOS", "ReadOnlyCacheError", "unwritable", "warn_read_only",
           "load_cached", "wait"]

log = logging.getLogger("newsdesk")

CACHE_FORMAT = 3  # 3: dates with a UTC offset are converted to UTC (were: offset dropped)
_INTERNAL = ["_size", "_mtime_ns", "_reject_line", "_reject_reason"]
_INTERNAL_TYPES = {"_size": pa.int64(), "_mtime_ns": pa.int64(), "_reject_line": pa.int64(),
                   "_reject_reason": pa.large_string()}
#: Column types in the cache; every other column (extra headers) is ``large_string``.
_TYPES = {**_INTERNAL_TYPES, "date": pa.timestamp("ns"), "words": pa.int64(), "text_offset": pa.int64(),
          "text_length": pa.int64()}


def corpus_cache_file(root: str) -> Path:
    """The cache file of the corpus rooted at ``root``.

    >>> corpus_cache_file("/data/archive").name.endswith(".arrow")
    True
    """
    key = hashlib.sha1(os.path.abspath(root).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return config.CACHE_DIR / "loads" / f"{key}-v{CACHE_FORMAT}.arrow"


def checksum_file(path: str | os.PathLike) -> Path:
    """The sidecar holding the checksum and size of the cache file ``path``.

    >>> checksum_file("/c/loads/x-v2.arrow").name
    'x-v2.arrow.sum'
    """
    return Path(os.fspath(path) + ".sum")


_VERIFIED: dict[str, tuple] = {}
"""Cache files verified by this process, with the ``stat`` they had then."""


def verify_cache_file(path: str | os.PathLike) -> None:
    """Raise :class:`checksum.ChecksumError` unless the cache file ``path`` has the size and
    checksum its sidecar records (``FileNotFoundError`` when it is gone). A file verified by this
    process is verified again only when its ``stat`` changed.

    >>> verify_cache_file("/nonexistent.arrow")     # doctest: +SKIP
    """
    st = os.stat(path)
    key = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if _VERIFIED.get(os.fspath(path)) == key:
        return
    try:
        recorded = checksum_file(path).read_text(encoding="ascii").split()
    except FileNotFoundError:
        raise checksum.ChecksumError("no checksum recorded (written by an older newsdesk?)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise checksum.ChecksumError(f"checksum file unreadable: {exc}") from None
    if len(recorded) != 2 or not recorded[1].isdigit():
        raise checksum.ChecksumError("checksum file damaged")
    if st.st_size != int(recorded[1]):
        raise checksum.ChecksumError(f"{st.st_size} bytes, {recorded[1]} were written (short or overwritten)")
    checksum.verify_file(path, recorded[0])
    _VERIFIED[os.fspath(path)] = key


def read_cache_file(path: str | os.PathLike, *, verify: bool = True) -> pa.Table:
    """Read a cache file (raises on a damaged or foreign one; with ``verify``, also on one whose
    content does not match its recorded checksum).

    The file is memory-mapped, not copied: a warm load in a fresh process (a notebook kernel)
    costs no allocation of the corpus's size, and the frame's text columns point into the page
    cache. This is safe because the cache is only ever replaced by renaming a new file into
    place (the mapping keeps the old one alive) or deleted; only truncating the file in place,
    which nothing in newsdesk does, would break a frame that still points into it.
    """
    for _ in range(3):
        ino = os.stat(path).st_ino
        if verify:
            verify_cache_file(path)
        table = pa.ipc.open_file(pa.memory_map(os.fspath(path))).read_all()
        if os.stat(path).st_ino == ino:      # not replaced between verifying and mapping
            break
    else:
        raise checksum.ChecksumError("the file was replaced while it was read")
    table.validate()
    missing = {"path", "article_id", *_INTERNAL} - set(table.column_names)
    if missing:
        raise ValueError(f"columns {sorted(missing)} missing")
    return table


def _read(path: Path) -> pa.Table | None:
    wait(path)
    if not path.exists():
        return None
    try:
        return read_cache_file(path)
    except FileNotFoundError:
        return None
    except checksum.ChecksumError as exc:
        # a writer renames the file and its checksum one after the other: look again under its lock
        try:
            with cache_lock(path, timeout=60):
                return read_cache_file(path)
        except FileNotFoundError:
            return None
        except Exception as exc2:
            _discard(path, exc2 if isinstance(exc2, checksum.ChecksumError) else exc)
            return None
    except Exception as exc:  # corrupted, truncated or foreign
        _discard(path, exc)
        return None


def _discard(path: Path, exc: Exception) -> None:
    """Report a damaged cache file with its path and delete it (it is rebuilt from the corpus)."""
    log.warning("load cache %s is unreadable or damaged (%s: %s); rebuilding it from the corpus (the file is deleted)",
                path, type(exc).__name__, exc)
    _VERIFIED.pop(os.fspath(path), None)
    for f in (path, checksum_file(path)):
        try:
            f.unlink()
        except OSError:
            pass


def verify_all(*, repair: bool = True) -> tuple[int, list[tuple[str, str, bool]]]:
    """Verify every load cache file under ``config.CACHE_DIR/loads``; with ``repair``, delete each
    damaged one (the next load rebuilds it). Returns ``(files checked, [(path, problem, deleted)])``.

    >>> verify_all(repair=False)[1]         # doctest: +SKIP
    []
    """
    folder = config.CACHE_DIR / "loads"
    checked, problems = 0, []
    wait()
    for f in sorted(folder.glob("*.arrow")) if folder.is_dir() else []:
        checked += 1
        _VERIFIED.pop(os.fspath(f), None)
        try:
            read_cache_file(f)
            continue
        except FileNotFoundError:
            continue
        except Exception as exc:
            why = f"{type(exc).__name__}: {exc}"
        fixed = False
        if repair:
            try:
                with cache_lock(f, timeout=60):
                    for g in (f, checksum_file(f)):
                        g.unlink(missing_ok=True)
                fixed = True
            except OSError:
                fixed = False
        problems.append((os.fspath(f), why, fixed))
    return checked, problems


# --------------------------------------------------------------------------- read-only caches
UNWRITABLE_ERRNOS = frozenset(e for e in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC,
                                          getattr(errno, "EDQUOT", None)) if e is not None)
"""``OSError.errno`` values meaning "this cache cannot be written" (rather than a bug)."""


class ReadOnlyCacheError(NewsdeskError, OSError):
    """The cache folder cannot be written, and the command exists only to fill it."""


def unwritable(folder: str | os.PathLike | None = None) -> OSError | None:
    """Why nothing can be written in ``folder`` (default: ``config.CACHE_DIR``), or None if it can:
    tries to create it and a file in it.

    >>> unwritable("/tmp") is None
    True
    """
    folder = Path(folder if folder is not None else config.CACHE_DIR)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".probe-", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return exc
    return None


_WARNED: list[str] = []


def warn_read_only(folder: str | os.PathLike, exc: BaseException | None = None, *, what: str | None = None) -> None:
    """Warn, once per process, that the cache cannot be written so results are computed in memory
    (``what``: the file that could not be written, default ``folder``).

    >>> warn_read_only("/read-only/cache")      # doctest: +SKIP
    """
    if _WARNED:
        return
    _WARNED.append(os.fspath(folder))
    why = f" ({exc.strerror or exc})" if isinstance(exc, OSError) else ""
    log.warning("the cache is read-only: could not write %s%s; results are computed in memory and not kept "
                "(set NEWSDESK_CACHE to a writable folder to keep them)", what or folder, why)


def _fresh_rows(cached: pa.Table, files: SourceFiles) -> tuple[np.ndarray | None, np.ndarray]:
    """Which cached rows are still valid, and which of ``files`` they cover.

    Returns ``(row mask or None when every row is valid, per-file "covered" mask)``.
    """
    n = len(files)
    paths = pa.array(files.relpaths, pa.large_string())
    sizes, mtimes = files.sizes, files.mtimes
    if cached.num_rows == n and cached.column("path").equals(pa.chunked_array([paths])):
        # the usual warm load: one row per file, same files in the same order
        ok = (cached.column("_size").to_numpy() == sizes) & (cached.column("_mtime_ns").to_numpy() == mtimes)
        return (None if ok.all() else ok), ok
    idx = pc.index_in(cached.column("path"), value_set=paths)
    valid = ~np.asarray(pc.is_null(idx))
    pos = idx.fill_null(0).to_numpy() if hasattr(idx, "fill_null") else pc.fill_null(idx, 0).to_numpy()
    pos = np.asarray(pos, dtype=np.int64)
    ok = valid & (cached.column("_size").to_numpy() == sizes[pos]) & \
        (cached.column("_mtime_ns").to_numpy() == mtimes[pos])
    covered = np.zeros(n, dtype=bool)
    covered[pos[ok]] = True
    return (None if ok.all() else ok), covered


def _new_rows(tables: list[pa.Table], rejects: list, todo: SourceFiles) -> pa.Table | None:
    """Parsed articles (Arrow tables from the parser, each row with its file's ``_size`` and
    ``_mtime_ns``) and rejects as cache rows, the rejects with their file's size and mtime."""
    if not tables and not rejects:
        return None
    out = []
    tables = [t for t in tables if t.num_rows]
    if tables:
        t = tables[0] if len(tables) == 1 else pa.concat_tables(tables, promote_options="permissive")
        t = t.append_column("_reject_line", pa.nulls(len(t), pa.int64()))
        t = t.append_column("_reject_reason", pa.nulls(len(t), pa.large_string()))
        out.append(t)
    if rejects:
        rpaths = pa.array([r.path for r in rejects], pa.large_string())
        idx = pc.index_in(rpaths, value_set=pa.array(todo.relpaths, pa.large_string()))  # null: not in todo
        size = pc.take(pa.array(todo.sizes, pa.int64()), idx).fill_null(-1)
        mtime = pc.take(pa.array(todo.mtimes, pa.int64()), idx).fill_null(-1)
        out.append(pa.table({
            "path": rpaths, "_size": size, "_mtime_ns": mtime,
            "_reject_line": pa.array([r.line for r in rejects], pa.int64()),
            "_reject_reason": pa.array([r.reason for r in rejects], pa.large_string()),
        }))
    return _concat(out) if out else None


def _concat(tables: list[pa.Table]) -> pa.Table:
    tables = [t.replace_schema_metadata(None) for t in tables if t is not None]
    if len(tables) == 1:
        return _canonical(tables[0])
    return _canonical(pa.concat_tables(tables, promote_options="permissive"))


def _canonical(t: pa.Table) -> pa.Table:
    """Columns in loader order (extra headers sorted), strings as large_string, rows by path."""
    cols = []
    for name in ARTICLE_COLUMNS:
        if name not in t.column_names:
            t = t.append_column(name, pa.nulls(len(t), _TYPES.get(name, pa.large_string())))
        cols.append(name)
    extra = sorted(c for c in t.column_names if c not in ARTICLE_COLUMNS and c not in _INTERNAL)
    t = t.select(cols + extra + _INTERNAL)
    fields = [pa.field(f.name, _TYPES.get(f.name, pa.large_string())) for f in t.schema]
    if t.schema != pa.schema(fields):
        t = t.cast(pa.schema(fields))
    path = t.column("path")
    if len(path) < 2 or pc.all(pc.less_equal(path[:-1], path[1:])).as_py():
        return t                                                    # already in order: no copy
    order = pc.sort_indices(t, sort_keys=[("path", "ascending")])   # stable: articles keep file order
    return t.take(order)


def load_cached(root: str, files: SourceFiles, *, jobs: int, progress: bool | None, use_cache: bool,
                parse: Callable) -> tuple[pd.DataFrame, list]:
    """Return ``(articles frame sorted by path, rejects)`` for ``files``, parsing only new or
    changed ones."""
    path = corpus_cache_file(root)
    cached = _read(path) if use_cache else None
    todo = files
    keep = None
    changed = cached is None
    if cached is not None and cached.num_rows:
        ok, covered = _fresh_rows(cached, files)
        keep = cached if ok is None else cached.filter(pa.array(ok))
        changed = ok is not None
        todo = files[np.flatnonzero(~covered)]
    elif cached is not None:
        keep = cached
    # parse in batches, each turned into Arrow at once, so the Python objects of only one batch
    # are alive at a time (peak memory stays near the size of the result)
    batches = []
    for i in range(0, len(todo), config.LOAD_BATCH_FILES):
        part = todo[i:i + config.LOAD_BATCH_FILES]
        tables, rejects = parse(part, jobs, progress)
        batches.append(_new_rows(tables, rejects, part))
        del tables, rejects
    batches = [b for b in batches if b is not None]
    new = (batches[0] if len(batches) == 1 else _concat(batches)) if batches else None
    if new is not None:
        combined = _concat([keep, new]) if keep is not None and keep.num_rows else new
        changed = True
    elif keep is not None and keep.num_rows:
        combined = keep
    else:
        combined = _canonical(pa.table({"path": pa.array([], pa.large_string()),
                                        "article_id": pa.array([], pa.large_string()),
                                        **{k: pa.array([], v) for k, v in _INTERNAL_TYPES.items()}}))
    if any(col.num_chunks > 1 for col in combined.columns):
        # one chunk per column: row selections (``df.iloc[rows]``, as every chunked analysis
        # does) on a column of many chunks concatenate the whole column first, each time (in
        # jemalloc's memory, config.ARROW_MEMORY_POOL: 0.35 s for 675 MB here, against 3.3 s in
        # pyarrow's default mimalloc pool)
        combined = combined.combine_chunks()
    if use_cache and changed:
        if combined.num_rows >= config.LOAD_WRITE_BEHIND_ROWS:
            _write_behind(path, combined)
        else:
            _write_or_warn(path, combined)
    is_rej = pc.is_valid(combined.column("_reject_reason"))
    n_rej = pc.sum(is_rej).as_py() or 0
    arts = combined.filter(pc.invert(is_rej)) if n_rej else combined
    rej_t = combined.filter(is_rej).select(["path", "_reject_line", "_reject_reason"]).to_pylist() if n_rej else []
    rejects_out = [Reject(r["path"], r["_reject_line"], r["_reject_reason"]) for r in rej_t]
    return _to_frame(arts.drop_columns(_INTERNAL)), rejects_out


def _to_frame(t: pa.Table) -> pd.DataFrame:
    """The articles frame with the loader's dtypes: ``str`` text columns (NaN for missing),
    ``datetime64[ns]`` date, ``int64`` counts."""
    df = t.to_pandas()
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = df[c].astype("str")
    return df


def _write_or_warn(path: Path, table: pa.Table) -> None:
    try:
        _write(path, table)
    except OSError as exc:
        if exc.errno not in UNWRITABLE_ERRNOS:
            log.warning("could not write load cache %s (%s: %s); the next load parses again",
                        path, type(exc).__name__, exc)
        else:
            warn_read_only(path.parent, exc, what=f"load cache {path}")
    except Exception as exc:  # the cache is an optimisation: a failed write never fails a load
        log.warning("could not write load cache %s (%s: %s); the next load parses again",
                    path, type(exc).__name__, exc)


_PENDING: dict[Path, threading.Thread] = {}
_PENDING_LOCK = threading.Lock()


def _write_behind(path: Path, table: pa.Table) -> None:
    """Write the cache file in a background thread while the load goes on (the file is renamed
    into place when complete, so nothing reads it half-written). The interpreter waits for the
    thread at exit; a load of the same corpus, and any fork of workers, waits for it first."""
    wait(path)
    thread = threading.Thread(target=_write_or_warn, args=(path, table), name="newsdesk-cache-write")
    with _PENDING_LOCK:
        _PENDING[path] = thread
    thread.start()


def wait(path: str | os.PathLike | None = None) -> None:
    """Wait until the background write of ``path``'s cache file (default: every one) is done.

    >>> wait()
    """
    with _PENDING_LOCK:
        threads = [t for p, t in _PENDING.items() if path is None or p == Path(path)]
    for t in threads:
        t.join()
    with _PENDING_LOCK:
        for p in [p for p, t in _PENDING.items() if not t.is_alive()]:
            del _PENDING[p]


BEFORE_FORK.append(wait)


def _write(path: Path, table: pa.Table) -> None:
    """Write the cache file and its checksum (under the lock, so a reader holding it sees the pair)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with cache_lock(path):
        with atomic_path(path) as tmp:
            with pa.OSFile(str(tmp), "wb") as fh, pa.ipc.new_file(fh, table.schema) as writer:
                writer.write_table(table, max_chunksize=1 << 20)
            atomic_write_text(checksum_file(path), f"{checksum.of_file(tmp)} {tmp.stat().st_size}\n",
                              encoding="ascii")
