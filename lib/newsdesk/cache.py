"""The load cache: parsed articles and rejects per corpus, keyed by each file's path, size and mtime.

One Parquet file per corpus root under ``config.CACHE_DIR/loads/``. It is written to a temporary
name and renamed into place under a file lock, so a reader never sees half a file and two loads
sharing a cache do not corrupt it. A cache file that cannot be read is reported and rebuilt.
"""
from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from . import config
from .atomic import atomic_path, cache_lock

log = logging.getLogger("newsdesk")

CACHE_FORMAT = 1
_INTERNAL = ["_size", "_mtime_ns", "_reject_line", "_reject_reason"]


def corpus_cache_file(root: str) -> Path:
    key = hashlib.sha1(os.path.abspath(root).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return config.CACHE_DIR / "loads" / f"{key}-v{CACHE_FORMAT}.parquet"


def _read(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    try:
        df = pd.read_parquet(path)
        missing = {"path", *_INTERNAL} - set(df.columns)
        if missing:
            raise ValueError(f"columns {sorted(missing)} missing")
        return df
    except Exception as exc:  # corrupted, truncated or foreign: report, then rebuild
        log.warning("load cache %s is unreadable (%s: %s); rebuilding it from the corpus",
                    path, type(exc).__name__, exc)
        return None


def load_cached(root: str, files: Sequence, *, jobs: int, progress: bool | None, use_cache: bool,
                parse: Callable) -> tuple[list[dict] | pd.DataFrame, list]:
    """Return ``(article records, rejects)`` for ``files``, parsing only new or changed ones."""
    from .corpus import Reject, _records_frame

    path = corpus_cache_file(root)
    cached = _read(path) if use_cache else None
    keep = pd.DataFrame()
    todo = list(files)
    if cached is not None and len(cached):
        want = pd.DataFrame({"path": [f.relpath for f in files], "_size": [f.size for f in files],
                             "_mtime_ns": [f.mtime_ns for f in files]})
        merged = cached.merge(want, on=["path", "_size", "_mtime_ns"], how="inner")
        keep = merged
        fresh = set(merged["path"])
        todo = [f for f in files if f.relpath not in fresh]
    records, rejects = parse(todo, jobs, progress) if todo else ([], [])
    stat = {f.relpath: (f.size, f.mtime_ns) for f in todo}
    new = _records_frame(records)
    new["_size"] = [stat[p][0] for p in new["path"]]
    new["_mtime_ns"] = [stat[p][1] for p in new["path"]]
    new["_reject_line"] = pd.array([None] * len(new), dtype="Int64")
    new["_reject_reason"] = None
    rej = pd.DataFrame({
        "path": [r.path for r in rejects],
        "_reject_line": pd.array([r.line for r in rejects], dtype="Int64"),
        "_reject_reason": [r.reason for r in rejects],
    })
    rej["_size"] = [stat.get(p, (-1, -1))[0] for p in rej["path"]]
    rej["_mtime_ns"] = [stat.get(p, (-1, -1))[1] for p in rej["path"]]
    frames = [f for f in (keep, new, rej) if len(f)]
    combined = pd.concat(frames, ignore_index=True, sort=False) if frames else new
    if use_cache and (todo or cached is None or len(keep) != len(cached)):
        try:
            _write(path, combined)
        except Exception as exc:  # the cache is an optimisation: a failed write never fails a load
            log.warning("could not write load cache %s (%s: %s); the next load parses again",
                        path, type(exc).__name__, exc)
    is_rej = combined["_reject_reason"].notna()
    arts = combined[~is_rej].drop(columns=_INTERNAL)
    rejects_out = [Reject(p, (None if pd.isna(ln) else int(ln)), r)
                   for p, ln, r in zip(combined.loc[is_rej, "path"], combined.loc[is_rej, "_reject_line"],
                                       combined.loc[is_rej, "_reject_reason"])]
    return arts.to_dict("records") if len(arts) else [], rejects_out


def _write(path: Path, df: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with cache_lock(path):
        with atomic_path(path) as tmp:
            df.to_parquet(tmp, index=False)
