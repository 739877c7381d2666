"""The load cache: Arrow file keyed by path/size/mtime, batches, freshness, schema changes."""
from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd
import pytest

from newsdesk import cache, config, corpus, load_corpus, rejects


def article(title: str, *, date: str = "Friday, May 12, 2017 - 01:00", extra: str = "", body: str = "") -> str:
    return (f"## Title: {title}\n## Supertitle:\n## Section: World\n## Date: {date}\n{extra}\n"
            f"{title}\n{body or 'The minister said talks would resume.'}\n- AFP\n")


def write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = corpus._parse_read     # what the loader calls for each file it read

    def spy(data, relpath):
        calls.append(relpath)
        return real(data, relpath)

    monkeypatch.setattr(corpus, "_parse_read", spy)
    return calls


@pytest.fixture
def folder(tmp_path) -> Path:
    for i in range(7):
        write(tmp_path / "c", f"{'sub/' if i % 2 else ''}{i}.txt", article(f"Story {i}"))
    write(tmp_path / "c", "bad.txt", "no header here\n")
    return tmp_path / "c"


def test_the_cache_is_an_arrow_file_with_articles_and_rejects(folder):
    a = load_corpus(folder, jobs=1)
    f = cache.corpus_cache_file(str(folder))
    assert f.suffix == ".arrow" and f.exists()
    t = cache.read_cache_file(f)
    assert t.num_rows == len(a) + len(rejects(a)) == 8
    assert not [p for p in f.parent.iterdir() if p.name.endswith(".tmp")]  # written atomically


def test_a_warm_load_equals_a_cold_one_and_parses_nothing(folder, parsed):
    cold = load_corpus(folder, jobs=1)
    parsed.clear()
    warm = load_corpus(folder, jobs=1)
    assert parsed == []
    pd.testing.assert_frame_equal(cold, warm)
    pd.testing.assert_frame_equal(cold, load_corpus(folder, cache=False, jobs=1))
    assert list(warm["path"]) == sorted(warm["path"])


@pytest.mark.parametrize("batch", [1, 3, 100])
def test_batched_parsing_gives_the_same_frame(folder, monkeypatch, batch):
    expected = load_corpus(folder, cache=False, jobs=1)
    monkeypatch.setattr(config, "LOAD_BATCH_FILES", batch)
    got = load_corpus(folder, cache=False, jobs=1)
    pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_frame_equal(rejects(got), rejects(expected))


def test_only_touched_files_are_parsed_again_and_removed_ones_leave(folder, parsed):
    load_corpus(folder, jobs=1)
    parsed.clear()
    p = folder / "sub" / "3.txt"
    st = p.stat()
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))   # same bytes, new mtime
    (folder / "4.txt").unlink()
    a = load_corpus(folder, jobs=1)
    assert parsed == [os.path.join("sub", "3.txt")]
    assert "4.txt" not in set(a["path"]) and len(a) == 6
    t = cache.read_cache_file(cache.corpus_cache_file(str(folder)))
    assert "4.txt" not in set(t.column("path").to_pylist())


def test_a_new_header_column_appears_for_new_files_only(folder):
    load_corpus(folder, jobs=1)
    write(folder, "new.txt", article("Fresh", extra="## Publisher: Example Times"))
    a = load_corpus(folder, jobs=1)
    assert "publisher" in a.columns
    assert a.set_index("path").loc["new.txt", "publisher"] == "Example Times"
    assert a["publisher"].isna().sum() == len(a) - 1
    pd.testing.assert_frame_equal(a, load_corpus(folder, cache=False, jobs=1))


def test_cache_false_neither_reads_nor_writes_the_cache(folder, parsed):
    load_corpus(folder, cache=False, jobs=1)
    assert not cache.corpus_cache_file(str(folder)).exists()


@pytest.mark.parametrize("damage", [b"", b"ARROW1 not really", b"PAR1 garbage"])
def test_a_damaged_cache_is_reported_and_rebuilt(folder, parsed, caplog, damage):
    expected = load_corpus(folder, jobs=1)
    f = cache.corpus_cache_file(str(folder))
    tmp = f.with_name("damaged")
    tmp.write_bytes(damage)
    os.replace(tmp, f)
    parsed.clear()
    with caplog.at_level(logging.WARNING, logger="newsdesk"):
        got = load_corpus(folder, jobs=1)
    assert "unreadable" in caplog.text
    assert len(parsed) == 8
    pd.testing.assert_frame_equal(got, expected)
    assert cache.read_cache_file(f).num_rows == 8


def test_dtypes_match_the_loader_contract(folder):
    a = load_corpus(folder, jobs=1)
    b = load_corpus(folder, jobs=1)        # from the cache
    for df in (a, b):
        assert df["date"].dtype == "datetime64[ns]"
        assert df["words"].dtype == "int64"
        assert df["title"].dtype == "str"
        assert df["supertitle"].isna().all()


# --------------------------------------------------------------------------- write-behind
def test_a_large_cache_is_written_in_the_background_and_a_reload_waits_for_it(folder, parsed, monkeypatch):
    import threading
    import time

    monkeypatch.setattr(config, "LOAD_WRITE_BEHIND_ROWS", 1)
    real_write, started = cache._write, threading.Event()

    def slow_write(path, table):
        started.set()
        time.sleep(0.3)
        real_write(path, table)

    monkeypatch.setattr(cache, "_write", slow_write)
    cold = load_corpus(folder, jobs=1)
    assert started.wait(5)
    f = cache.corpus_cache_file(str(folder))
    assert cache._PENDING, "the write should still be running in the background"
    parsed.clear()
    warm = load_corpus(folder, jobs=1)              # waits for the write, then reads it
    assert parsed == [] and f.exists()
    pd.testing.assert_frame_equal(cold, warm)
    cache.wait()
    assert not cache._PENDING


def test_workers_are_not_forked_while_a_cache_write_runs(monkeypatch):
    import threading
    import time

    from newsdesk import parallel

    finished = threading.Event()

    def background():
        time.sleep(0.3)
        finished.set()

    t = threading.Thread(target=background)
    monkeypatch.setitem(cache._PENDING, Path("/nonexistent/cache.arrow"), t)
    t.start()
    assert cache.wait in parallel.BEFORE_FORK
    out = list(parallel.map_chunks(len, list(range(40)), jobs=2, chunk_size=10, min_parallel=1))
    assert out == [10, 10, 10, 10]
    assert finished.is_set()                        # map_chunks waited for it before forking


def test_loaded_columns_are_one_chunk_each_cold_and_warm(tmp_path, monkeypatch):
    """Selecting rows of a many-chunk Arrow column copies the whole column: the loader must not
    hand out many-chunk columns, however many batches and workers produced them."""
    monkeypatch.setattr(config, "LOAD_BATCH_FILES", 3)
    for i in range(10):
        write(tmp_path / "c", f"{i}.txt", article(f"Story {i}"))
    for label in ("cold", "warm"):
        a = load_corpus(tmp_path / "c", jobs=1)
        chunks = {c: a[c].array._pa_array.num_chunks for c in ("body", "title", "path")
                  if hasattr(a[c].array, "_pa_array")}
        assert chunks and set(chunks.values()) == {1}, (label, chunks)
