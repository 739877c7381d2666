"""Run per-item work on all cores, in order, with an optional progress bar.

>>> from newsdesk.parallel import map_chunks
>>> list(map_chunks(sum, [1, 2, 3, 4], jobs=1, chunk_size=2))
[3, 7]
"""
from __future__ import annotations

import multiprocessing as mp
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator, Sequence, TypeVar

from . import config

T = TypeVar("T")
R_ = TypeVar("R_")


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _progress(total: int, desc: str, enabled: bool | None):
    if enabled is None:
        enabled = total * 1 >= 1 and sys.stderr.isatty()
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="item", leave=False)


def map_chunks(
    fn: Callable[[Sequence[T]], R_],
    items: Sequence[T],
    *,
    jobs: int | None = None,
    chunk_size: int | None = None,
    progress: bool | None = None,
    desc: str = "working",
    min_parallel: int = config.PARALLEL_MIN_FILES,
) -> Iterator[R_]:
    """Apply ``fn`` to consecutive chunks of ``items``; yield results in input order.

    Runs in-process when ``jobs == 1`` or there are fewer than ``min_parallel`` items; otherwise in
    a pool of ``jobs`` processes (default: all cores). Results are identical either way.
    """
    jobs = config.default_jobs() if jobs is None else max(1, int(jobs))
    n = len(items)
    if n == 0:
        return
    if chunk_size is None:
        chunk_size = max(1, min(500, -(-n // (jobs * 8))))
    chunks = chunked(items, chunk_size)
    show = progress if progress is not None else (n >= config.PROGRESS_MIN_FILES and None)
    bar = _progress(n, desc, show) if show is not False else None
    try:
        if jobs == 1 or n < min_parallel or len(chunks) == 1:
            for c in chunks:
                yield fn(c)
                if bar is not None:
                    bar.update(len(c))
            return
        ctx = mp.get_context("fork") if sys.platform.startswith("linux") else mp.get_context()
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            for c, res in zip(chunks, pool.map(fn, chunks)):
                yield res
                if bar is not None:
                    bar.update(len(c))
    finally:
        if bar is not None:
            bar.close()
