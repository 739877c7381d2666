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
    """A result with an Arrow table big enough to travel through shared memory, and small parts."""
    import pyarrow as pa

    texts = [f"{x}:" + "x" * 5000 for x in chunk]
    return pa.table({"n": list(chunk), "text": texts}), list(chunk), "small"


def test_large_arrow_results_come_back_through_shared_memory_equal(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "RESULTS_SHM_DIR", tmp_path)
    items = list(range(400))
    got = list(map_chunks(table_of, items, jobs=2, chunk_size=50, min_parallel=1))
    want = [table_of(items[i:i + 50]) for i in range(0, 400, 50)]
    assert [g[1:] for g in got] == [w[1:] for w in want]
    assert all(g[0].equals(w[0]) for g, w in zip(got, want))
    assert list(tmp_path.iterdir()) == []          # every file and the run's folder are gone


def test_without_a_shared_memory_folder_results_go_through_the_pipe(monkeypatch):
    monkeypatch.setattr(config, "RESULTS_SHM_DIR", None)
    got = list(map_chunks(table_of, list(range(100)), jobs=2, chunk_size=50, min_parallel=1))
    assert [g[0].num_rows for g in got] == [50, 50]


def test_a_failing_run_leaves_no_files_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "RESULTS_SHM_DIR", tmp_path)

    with pytest.raises(ValueError, match="bad item 13"):
        list(map_chunks(fail_on_13, list(range(40)), jobs=2, chunk_size=5, min_parallel=1))
    with pytest.raises(ValueError):
        list(map_chunks(table_or_fail, list(range(400)), jobs=2, chunk_size=50, min_parallel=1))
    assert list(tmp_path.iterdir()) == []


def table_or_fail(chunk):
    if 120 in list(chunk):
        raise ValueError("bad chunk")
    return table_of(chunk)


def test_folders_of_dead_processes_are_removed_live_ones_kept(tmp_path, monkeypatch):
    from newsdesk import parallel

    monkeypatch.setattr(config, "RESULTS_SHM_DIR", tmp_path)
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)                                   # a process id no longer in use
    dead = tmp_path / f"{parallel._SHIP_PREFIX}{pid}-abc"
    live = tmp_path / f"{parallel._SHIP_PREFIX}{os.getppid()}-abc"
    other = tmp_path / "someone-elses"
    for d in (dead, live, other):
        d.mkdir()
        (d / "x.arrow").write_bytes(b"data")
    folder = parallel._ship_folder()
    assert not dead.exists() and live.exists() and other.exists()
    assert folder is not None and os.path.dirname(folder) == str(tmp_path)
    os.rmdir(folder)


def test_when_shared_memory_is_full_results_go_through_the_pipe(tmp_path, monkeypatch):
    import errno

    import pyarrow as pa

    monkeypatch.setattr(config, "RESULTS_SHM_DIR", tmp_path)

    def full(*args, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pa.ipc, "new_file", full)         # the forked workers inherit it
    got = list(map_chunks(table_of, list(range(100)), jobs=2, chunk_size=50, min_parallel=1))
    assert [g[0].column("n").to_pylist() for g in got] == [list(range(50)), list(range(50, 100))]
    assert list(tmp_path.iterdir()) == []
