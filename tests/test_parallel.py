"""map_chunks: same results in order on one core, on several, with a progress bar or without."""
from __future__ import annotations

import os

import pandas as pd
import pytest

from newsdesk import config
from newsdesk.parallel import chunked, default_chunk_size, map_chunks


def square_sum(chunk):
    return sum(x * x for x in chunk)


def pid_and_len(chunk):
    return os.getpid(), len(chunk)


def body_lengths(df: pd.DataFrame) -> list[int]:
    return df["body"].str.len().tolist()


def fail_on_13(chunk):
    if 13 in list(chunk):
        raise ValueError("bad item 13")
    return list(chunk)


@pytest.mark.parametrize("items, size, expected", [
    ([1, 2, 3, 4, 5], 2, [[1, 2], [3, 4], [5]]),
    ([1, 2], 5, [[1, 2]]),
    ([], 3, []),
])
def test_chunked(items, size, expected):
    assert chunked(items, size) == expected


@pytest.mark.parametrize("n, jobs, expected", [(10, 2, 1), (1600, 2, 100), (10**6, 2, 500)])
def test_default_chunk_size(n, jobs, expected):
    assert default_chunk_size(n, jobs) == expected


@pytest.mark.parametrize("chunk_size", [1, 7, 100, 1000])
def test_parallel_equals_serial_in_order(chunk_size):
    items = list(range(1000))
    serial = list(map_chunks(square_sum, items, jobs=1, chunk_size=chunk_size))
    parallel = list(map_chunks(square_sum, items, jobs=2, chunk_size=chunk_size, min_parallel=0))
    assert parallel == serial
    assert sum(serial) == sum(x * x for x in items)


def test_work_runs_in_other_processes_when_parallel():
    out = list(map_chunks(pid_and_len, list(range(400)), jobs=2, chunk_size=10, min_parallel=0))
    assert sum(n for _, n in out) == 400
    assert os.getpid() not in {p for p, _ in out}


def test_small_inputs_run_in_process():
    out = list(map_chunks(pid_and_len, list(range(50)), jobs=2, chunk_size=10, min_parallel=100))
    assert {p for p, _ in out} == {os.getpid()}


def test_dataframes_are_cut_by_rows():
    df = pd.DataFrame({"body": ["a" * i for i in range(300)]})
    got = [x for part in map_chunks(body_lengths, df, jobs=2, chunk_size=17, min_parallel=0) for x in part]
    assert got == list(range(300))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_chunk_raises_and_earlier_results_stand(jobs):
    seen = []
    with pytest.raises(ValueError, match="bad item 13"):
        for res in map_chunks(fail_on_13, list(range(40)), jobs=jobs, chunk_size=5, min_parallel=0):
            seen.extend(res)
    assert seen == list(range(10))


def test_progress_bar_goes_to_stderr(capsys):
    list(map_chunks(square_sum, list(range(100)), jobs=1, chunk_size=10, progress=True, desc="squaring"))
    assert "squaring" in capsys.readouterr().err


def test_no_progress_bar_when_not_asked(capsys):
    list(map_chunks(square_sum, list(range(100)), jobs=2, chunk_size=10, progress=False, min_parallel=0))
    assert capsys.readouterr().err == ""


def test_default_jobs_follows_the_environment(monkeypatch):
    monkeypatch.setenv("NEWSDESK_JOBS", "3")
    assert config.default_jobs() == 3
    monkeypatch.delenv("NEWSDESK_JOBS")
    assert config.default_jobs() >= 1


def test_empty_input_yields_nothing():
    assert list(map_chunks(square_sum, [], jobs=2)) == []


def _freeze_count(_chunk):
    import gc

    return [gc.get_freeze_count()]


def test_workers_inherit_the_parents_objects_frozen_and_the_parent_is_unfrozen_after():
    import gc

    from newsdesk.parallel import map_chunks

    before = gc.get_freeze_count()
    counts = [c for part in map_chunks(_freeze_count, list(range(8)), jobs=2, chunk_size=4, min_parallel=1)
              for c in part]
    assert all(c > 0 for c in counts)            # the workers' collector skips what they inherited
    assert gc.get_freeze_count() == before == 0  # the parent collects as usual again


def table_of(chunk):
    """A result holding an Arrow table of some size, and small parts."""
    import pyarrow as pa

    texts = [f"{x}:" + "x" * 5000 for x in chunk]
    return pa.table({"n": list(chunk), "text": texts}), list(chunk), "small"


def test_arrow_results_come_back_from_the_workers_equal():
    items = list(range(400))
    got = list(map_chunks(table_of, items, jobs=2, chunk_size=50, min_parallel=1))
    want = [table_of(items[i:i + 50]) for i in range(0, 400, 50)]
    assert [g[1:] for g in got] == [w[1:] for w in want]
    assert all(g[0].equals(w[0]) for g, w in zip(got, want))


# --------------------------------------------------------------------------- no orphans
def _gone(pid: int, limit: float = 15.0) -> bool:
    """Whether ``pid`` ends (or is a zombie) within ``limit`` seconds: a poll limit, not a timing."""
    import time

    from newsdesk.parallel import pid_alive

    t0 = time.monotonic()
    while pid_alive(pid):
        if time.monotonic() - t0 > limit:
            return False
        time.sleep(0.05)
    return True


def _run_script(code: str):
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


POOL_SCRIPT = """
import os, time
from newsdesk.parallel import map_chunks
def slow(chunk):
    os.write(1, f"worker {os.getpid()}\\n".encode())
    time.sleep(120)
    return chunk
list(map_chunks(slow, list(range(4)), jobs=2, chunk_size=1, min_parallel=1))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX")
def test_pool_workers_end_when_the_parent_is_killed():
    import signal

    proc = _run_script(POOL_SCRIPT)
    try:
        import re

        workers: set[int] = set()
        seen = ""
        while len(workers) < 2:
            line = proc.stdout.readline()
            assert line, f"the pool did not start (output {seen!r}): {proc.communicate()[1][-3000:]}"
            seen += line
            workers |= {int(w) for w in re.findall(r"worker (\d+)", line)}
        os.kill(proc.pid, signal.SIGKILL)          # the parent only, as the OOM killer does
        proc.wait()
        assert all(_gone(w) for w in workers), "a pool worker outlived its parent"
        assert _group_gone(proc.pid), "a process of its group outlived it"   # the resource tracker too
    finally:
        with __import__("contextlib").suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def _group_gone(pgid: int, limit: float = 15.0) -> bool:
    """Whether every process of group ``pgid`` but zombies ends within ``limit`` s (Linux /proc)."""
    import time

    from newsdesk.parallel import _proc_stat

    def members() -> list[int]:
        if not os.path.isdir("/proc/self"):
            return []
        pids = [int(n) for n in os.listdir("/proc") if n.isdigit()]
        return [p for p in pids if (f := _proc_stat(p)) and f[2] == str(pgid) and f[0] not in "ZX"]

    t0 = time.monotonic()
    while members():
        if time.monotonic() - t0 > limit:
            return False
        time.sleep(0.05)
    return True


WATCH_SCRIPT = """
import os, sys, time
from newsdesk import parallel
if sys.argv[1] == "fallback":        # as where there is no prctl: only the watching thread
    parallel._set_parent_death_signal = lambda sig: False
me = os.getpid()
owner = int(sys.argv[2]) if len(sys.argv) > 2 else None
pid = os.fork()
if pid == 0:
    parallel.end_with_parent(me, owner=owner)
    time.sleep(120)
    os._exit(0)
print(pid, flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX")
@pytest.mark.parametrize("mode", ["pdeathsig", "fallback"])
def test_a_child_ends_with_its_parent_with_or_without_prctl(mode):
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", WATCH_SCRIPT, mode], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    child = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    try:
        assert _gone(child)
    finally:
        with __import__("contextlib").suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX")
def test_a_child_ends_with_its_owner_too():
    import signal
    import subprocess
    import sys

    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    proc = subprocess.Popen([sys.executable, "-c", WATCH_SCRIPT, "fallback", str(owner.pid)],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        child = int(proc.stdout.readline())
        owner.kill()
        owner.wait()
        assert _gone(child)
        assert proc.poll() is None              # the parent itself is not touched
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX")
def test_a_child_whose_parent_died_before_it_was_set_up_ends_at_once():
    import signal

    from newsdesk.parallel import end_with_parent

    pid = os.fork()
    if pid == 0:
        end_with_parent(os.getppid() + 1_000_000, watch=False)   # "my parent is gone already"
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def test_pid_alive_tells_zombies_and_reused_pids_from_live_processes():
    import time

    from newsdesk.parallel import pid_alive, process_started

    assert pid_alive(os.getpid())
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    time.sleep(0.2)
    if process_started(os.getpid()) is not None:          # /proc: a zombie is not alive
        assert not pid_alive(pid)
    os.waitpid(pid, 0)
    assert not pid_alive(pid)
    started = process_started(os.getpid())
    if started is not None:                                 # a pid that started after the folder was made
        assert not pid_alive(os.getpid(), started_by=started - 3600)
        assert pid_alive(os.getpid(), started_by=time.time())
