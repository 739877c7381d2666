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
