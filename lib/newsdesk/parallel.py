"""Run per-item work on all cores, or on a Dask cluster, in order, with a progress bar.

:func:`map_chunks` cuts a sequence (a list or a DataFrame) into consecutive chunks, applies a
function to each and yields the results in input order, identical whether it ran in-process, in
a pool of worker processes or on a ``dask.distributed`` cluster.

On Linux the workers are forked after the input is in place, so a chunk travels to its worker as
two integers rather than pickled text; only results come back through pipes. At most a few chunks
per worker are in flight, so memory stays flat however long the input is.

Workers end with the process that started them, whatever kills it (``kill -9`` and the OOM
killer included): see :func:`end_with_parent`.

>>> from newsdesk.parallel import map_chunks
>>> list(map_chunks(sum, [1, 2, 3, 4], jobs=1, chunk_size=2))
[3, 7]
"""
from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Callable, Iterator, Sequence, TypeVar

from . import config

__all__ = ["IN_FLIGHT_PER_WORKER", "BEFORE_FORK", "gc_paused", "chunked", "WATCH_SECONDS",
           "FORK_SERVER_OWNER_ENV", "process_started", "pid_alive", "end_with_parent",
           "default_chunk_size", "map_chunks"]

T = TypeVar("T")
R_ = TypeVar("R_")

#: Work shared with forked workers: token -> (fn, items). Workers inherit it at fork time.
_SHARED: dict[int, tuple[Callable, Any]] = {}
_TOKENS = itertools.count()
IN_FLIGHT_PER_WORKER = 3
#: Called before workers are forked: a module with a background thread (the load cache's
#: write-behind) registers a function that waits for it, since a fork in the middle of a
#: thread's native work can leave the child with a lock no one will release.
BEFORE_FORK: list[Callable[[], None]] = []


@contextlib.contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector while a loop builds many objects that form no
    cycles (file lists, parsed records). With pandas and pyarrow imported, each collection walks
    millions of objects, and 100,000 new objects trigger dozens of them: at 100,000 files this
    took a quarter of file discovery. Nested uses are fine; the previous state is restored.

    >>> with gc_paused():
    ...     rows = [{"n": i} for i in range(3)]
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _slice(items, a: int, b: int):
    return items.iloc[a:b] if hasattr(items, "iloc") else items[a:b]


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Consecutive chunks of ``items`` (a list, or a DataFrame cut by rows).

    >>> chunked([1, 2, 3], 2)
    [[1, 2], [3]]
    """
    return [_slice(items, i, i + size) for i in range(0, len(items), size)]


def _bounds(n: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(n, i + size)) for i in range(0, n, size)]


def _run_shared(token: int, a: int, b: int):
    fn, items = _SHARED[token]
    return fn(_slice(items, a, b))


# --------------------------------------------------------------------------- no orphans
_PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5
"""How often a worker checks that the process that started it is still there (the portable
fallback of :func:`end_with_parent`; on Linux the kernel signals it at once)."""
FORK_SERVER_OWNER_ENV = "NEWSDESK_FORK_SERVER_OWNER"
"""Set, only while a fork server starts, to the pid of the process starting it; the fork server
imports this module (a preloaded module) and then ends with that process."""


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of ``/proc/PID/stat`` after the command name (Linux), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            raw = fh.read().decode("ascii", "replace")
    except OSError:
        return None
    return raw[raw.rfind(")") + 2:].split()


_BOOT: list[float] = []


def process_started(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch, to about 1 s), or None when this
    cannot be told cheaply (no ``/proc``) or there is no such process.

    >>> process_started(os.getpid()) is None or process_started(os.getpid()) > 0
    True
    """
    fields = _proc_stat(pid)
    if not fields or len(fields) < 20:
        return None
    try:
        if not _BOOT:
            with open("/proc/stat", "rb") as fh:
                _BOOT.append(float(next(ln for ln in fh if ln.startswith(b"btime ")).split()[1]))
        return _BOOT[0] + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, StopIteration, IndexError):
        return None


def pid_alive(pid: int, *, started_by: float | None = None) -> bool:
    """Whether process ``pid`` exists and is not a zombie. With ``started_by`` (a time, e.g. when
    the process created a file), a process that started later than that is another process that
    reuses the number: not alive. When in doubt (another user's process), alive.

    >>> pid_alive(os.getpid())
    True
    """
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:       # another user's process
        pass
    fields = _proc_stat(pid)
    if fields and fields[0] in ("Z", "X"):        # killed, not yet reaped: gone all the same
        return False
    if started_by is not None:
        started = process_started(pid)
        if started is not None and started > started_by + 2.0:   # btime and ticks: +-1 s
            return False
    return True


def _set_parent_death_signal(sig: int) -> bool:
    """Ask Linux to send ``sig`` to this process when the thread that forked it ends."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _die(sig: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(os.getpid(), sig)
    os._exit(1)


def _watch(parent: int, owner: int | None, owner_started: float | None, sig: int, every: float) -> None:
    while True:
        if os.getppid() != parent or (owner is not None and not pid_alive(owner, started_by=owner_started)):
            _die(sig)
        time.sleep(every)


def end_with_parent(parent: int | None = None, *, owner: int | None = None, owner_started: float | None = None,
                    sig: int = signal.SIGKILL, watch: bool = True) -> None:
    """Call in a child process right after it starts: it then ends when its parent ends, by any
    signal, ``SIGKILL`` included, instead of living on as an orphan (re-parented to PID 1 and
    blocked for good on a pipe whose other end it holds itself).

    ``parent`` is the pid the child was forked from (taken before the fork; default: the current
    parent). On Linux the kernel sends ``sig`` the moment the parent's forking thread ends
    (``prctl(PR_SET_PDEATHSIG)``); the parent is checked again right after, since it may have died
    before the call. With ``watch``, a daemon thread also checks every :data:`WATCH_SECONDS` that
    the parent is unchanged and that ``owner`` (another process the child serves, e.g. the command
    behind a fork server; ``owner_started`` guards against a reused pid) is alive: the portable
    fallback, and the rule for owners that are not the parent.

    >>> end_with_parent(watch=False)       # doctest: +SKIP
    """
    parent = os.getppid() if parent is None else parent
    _set_parent_death_signal(sig)
    if os.getppid() != parent or (owner is not None and not pid_alive(owner, started_by=owner_started)):
        _die(sig)
    if watch:
        threading.Thread(target=_watch, args=(parent, owner, owner_started, sig, WATCH_SECONDS),
                         name="newsdesk-parent-watch", daemon=True).start()


def _worker_init(parent: int) -> None:
    """Pool initializer: the worker ends with the process that forked it."""
    end_with_parent(parent)


def _arm_fork_server() -> None:
    """In a fork server started by :func:`newsdesk.report._start_fork_server` (which preloads this
    module): end with the process that started it, so that its workers, which end with the fork
    server, go too. No thread here: a fork server forks."""
    owner = os.environ.pop(FORK_SERVER_OWNER_ENV, "")
    if owner.isdigit() and any("multiprocessing.forkserver" in a for a in getattr(sys, "orig_argv", ())):
        end_with_parent(int(owner), watch=False)


_arm_fork_server()


def _run_chunk(fn: Callable, chunk):
    return fn(chunk)


def _progress(total: int, desc: str, unit: str, enabled: bool | None):
    """A tqdm bar on stderr, or ``None``. ``enabled=None``: only when stderr is a terminal."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled or total <= 0:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=False, smoothing=0.1)


def default_chunk_size(n: int, jobs: int, *, most: int = 500) -> int:
    """About eight chunks per worker, at most ``most`` items each."""
    return max(1, min(most, -(-n // (max(1, jobs) * 8))))


def map_chunks(
    fn: Callable[[Sequence[T]], R_],
    items: Sequence[T],
    *,
    jobs: int | None = None,
    chunk_size: int | None = None,
    progress: bool | None = None,
    desc: str = "working",
    unit: str = "item",
    min_parallel: int = config.PARALLEL_MIN_FILES,
    scheduler: Any = None,
) -> Iterator[R_]:
    """Apply ``fn`` to consecutive chunks of ``items``; yield results in input order.

    Runs in-process when ``jobs == 1`` or there are fewer than ``min_parallel`` items; otherwise in
    a pool of ``jobs`` processes (default: all cores, ``config.default_jobs()``), or on a Dask
    cluster when ``scheduler`` is given (``"tcp://host:8786"`` or a ``distributed.Client``).
    Results are identical either way. ``progress``: ``True``/``False``, or ``None`` for a bar only
    when stderr is a terminal and there are at least ``config.PROGRESS_MIN_FILES`` items.

    A failing chunk raises its exception here, after the results of every chunk before it have
    been yielded (so a caller can keep them); chunks after it are cancelled.

    >>> list(map_chunks(len, "abcde", jobs=1, chunk_size=2))
    [2, 2, 1]
    """
    jobs = config.default_jobs() if jobs is None else max(1, int(jobs))
    n = len(items)
    if n == 0:
        return
    if chunk_size is None:
        chunk_size = default_chunk_size(n, jobs)
    bounds = _bounds(n, max(1, int(chunk_size)))
    if progress is None and n < config.PROGRESS_MIN_FILES:
        progress = False
    if scheduler is not None:
        yield from _map_dask(fn, items, bounds, scheduler, progress=progress, desc=desc, unit=unit)
        return
    if jobs == 1 or n < min_parallel or len(bounds) == 1:
        bar = _progress(n, desc, unit, progress)
        try:
            for a, b in bounds:
                yield fn(_slice(items, a, b))
                if bar is not None:
                    bar.update(b - a)
        finally:
            if bar is not None:
                bar.close()
        return
    yield from _map_pool(fn, items, bounds, jobs, progress=progress, desc=desc, unit=unit)


def _map_pool(fn, items, bounds, jobs, *, progress, desc, unit):
    fork = sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()
    ctx = mp.get_context("fork") if fork else mp.get_context()
    token = next(_TOKENS)
    if fork:
        for hook in BEFORE_FORK:
            hook()
        _SHARED[token] = (fn, items)
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(bounds)), mp_context=ctx,
                               initializer=_worker_init, initargs=(os.getpid(),))
    bar = None
    pending: dict[Future, int] = {}
    done_results: dict[int, Any] = {}
    todo = iter(enumerate(bounds))
    window = jobs * IN_FLIGHT_PER_WORKER
    try:
        def submit_more():
            while len(pending) < window:
                try:
                    i, (a, b) = next(todo)
                except StopIteration:
                    return
                fut = pool.submit(_run_shared, token, a, b) if fork else \
                    pool.submit(_run_chunk, fn, _slice(items, a, b))
                pending[fut] = i

        if fork:
            # workers fork here, before any bar thread exists; the parent's objects are frozen
            # first, so the workers' garbage collector never walks (and copies, page by page)
            # the memory they inherit
            gc.freeze()
            try:
                submit_more()
            finally:
                gc.unfreeze()
        else:
            submit_more()
        bar = _progress(bounds[-1][1], desc, unit, progress)
        nxt = 0
        failed: int | None = None
        while nxt < len(bounds):
            while nxt in done_results:
                ok, value = done_results.pop(nxt)
                if not ok:
                    raise value
                yield value
                nxt += 1
            if nxt >= len(bounds) or not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                i = pending.pop(fut)
                exc = fut.exception()
                done_results[i] = (exc is None, exc if exc is not None else fut.result())
                if exc is not None:
                    failed = i if failed is None else min(failed, i)
                elif bar is not None:
                    bar.update(bounds[i][1] - bounds[i][0])
            if failed is None:
                submit_more()
    finally:
        for fut in pending:
            fut.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        _SHARED.pop(token, None)
        if bar is not None:
            bar.close()


def _map_dask(fn, items, bounds, scheduler, *, progress, desc, unit):
    """The same chunks on a ``dask.distributed`` cluster; results in input order."""
    from distributed import Client, as_completed

    own = not isinstance(scheduler, Client)
    client = Client(scheduler, set_as_default=False) if own else scheduler
    bar = None
    futures = []
    try:
        threads = sum(client.nthreads().values()) or 1
        window = max(2, threads * IN_FLIGHT_PER_WORKER)
        todo = iter(enumerate(bounds))
        index: dict[str, int] = {}
        results: dict[int, Any] = {}

        def submit(k: int):
            subs = []
            for i, (a, b) in itertools.islice(todo, k):
                f = client.submit(_run_chunk, fn, _slice(items, a, b), pure=False)
                index[f.key] = i
                subs.append(f)
            futures.extend(subs)
            return subs

        ac = as_completed(submit(window), loop=client.loop)
        bar = _progress(bounds[-1][1], desc, unit, progress)
        nxt = 0
        failed = False
        for fut in ac:
            i = index.pop(fut.key)
            exc = fut.exception() if fut.status == "error" else None
            results[i] = (exc is None, exc if exc is not None else fut.result())
            fut.release()
            if exc is not None:
                failed = True
            elif bar is not None:
                bar.update(bounds[i][1] - bounds[i][0])
            while nxt in results:
                ok, value = results.pop(nxt)
                if not ok:
                    raise value
                yield value
                nxt += 1
            if not failed:
                for f in submit(1):
                    ac.add(f)
    finally:
        for f in futures:
            if not f.done():
                f.cancel()
        if bar is not None:
            bar.close()
        if own:
            client.close()
