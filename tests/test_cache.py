"""The load cache: Arrow file keyed by path/size/mtime, batches, freshness, schema changes."""
from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd
import pytest

from newsdesk import cache, config, load_corpus, parse, rejects


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
    real = parse._parse_read     # what the loader calls for each file it read

    def spy(data, relpath):
        calls.append(relpath)
        return real(data, relpath)

    monkeypatch.setattr(parse, "_parse_read", spy)
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


# --------------------------------------------------------------------------- integrity
def _damage(path: Path, where: str, n: int = 16) -> None:
    """Overwrite ``n`` bytes of ``path`` in place (same size) at its start, middle or end."""
    size = path.stat().st_size
    n = min(n, max(1, size // 4))
    at = {"header": 0, "middle": size // 2, "footer": max(0, size - n - 1)}[where]
    with open(path, "r+b") as fh:
        fh.seek(at)
        old = fh.read(n)
        fh.seek(at)
        fh.write(bytes((b ^ 0x5A) for b in old))
    assert path.stat().st_size == size


@pytest.mark.parametrize("which", ["arrow", "checksum"])
@pytest.mark.parametrize("where", ["header", "middle", "footer"])
def test_a_cache_file_damaged_in_place_is_found_logged_and_rebuilt(folder, parsed, caplog, which, where):
    clean = load_corpus(folder, jobs=1, cache=False)
    load_corpus(folder, jobs=1)
    f = cache.corpus_cache_file(str(folder))
    bad = f if which == "arrow" else cache.checksum_file(f)
    _damage(bad, where)
    parsed.clear()
    cache._VERIFIED.clear()                   # as a new process (a notebook kernel) would start
    with caplog.at_level(logging.WARNING, logger="newsdesk"):
        got = load_corpus(folder, jobs=1)
    pd.testing.assert_frame_equal(got, clean)
    pd.testing.assert_frame_equal(rejects(got), rejects(clean))
    assert str(f) in caplog.text and "damaged" in caplog.text
    assert len(parsed) == 8                   # rebuilt from the corpus
    parsed.clear()
    pd.testing.assert_frame_equal(load_corpus(folder, jobs=1), clean)
    assert parsed == []                       # and cached again


def test_the_issue_repro_4kib_of_text_overwritten_mid_file_is_not_served(tmp_path, caplog):
    """issue 23: 4 KiB overwritten in the middle of the .arrow gave bodies starting 'XXXXXXXX'."""
    body = " ".join(f"word{i}" for i in range(400))
    for i in range(20):
        write(tmp_path / "c", f"{i}.txt", article(f"Story {i}", body=body))
    clean = load_corpus(tmp_path / "c", jobs=1)
    f = cache.corpus_cache_file(str(tmp_path / "c"))
    with open(f, "r+b") as fh:
        fh.seek(f.stat().st_size // 2)
        fh.write(b"X" * 4096)
    cache._VERIFIED.clear()
    got = load_corpus(tmp_path / "c", jobs=1)
    assert not got["body"].str.contains("XXXXXXXX").any()
    pd.testing.assert_frame_equal(got, clean)
    assert str(f) in caplog.text


def test_a_cache_without_its_checksum_is_rebuilt(folder, parsed, caplog):
    load_corpus(folder, jobs=1)
    f = cache.corpus_cache_file(str(folder))
    cache.checksum_file(f).unlink()
    cache._VERIFIED.clear()
    parsed.clear()
    load_corpus(folder, jobs=1)
    assert len(parsed) == 8 and "no checksum" in caplog.text
    assert cache.checksum_file(f).exists()


def test_verify_all_reports_and_deletes_damaged_cache_files(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "own-cache")
    load_corpus(folder, jobs=1)
    f = cache.corpus_cache_file(str(folder))
    assert cache.verify_all() == (1, [])
    _damage(f, "middle")
    n, problems = cache.verify_all(repair=False)
    assert n == 1 and [(p, fixed) for p, _, fixed in problems] == [(str(f), False)] and f.exists()
    n, problems = cache.verify_all()
    assert [(p, fixed) for p, _, fixed in problems] == [(str(f), True)]
    assert not f.exists() and not cache.checksum_file(f).exists()


# --------------------------------------------------------------------------- read-only
def test_a_read_only_cache_loads_cold_and_warm_with_one_warning(folder, parsed, caplog, read_only, monkeypatch):
    monkeypatch.setattr(cache, "_WARNED", [])
    clean = load_corpus(folder, jobs=1, cache=False)
    load_corpus(folder, jobs=1)                                   # warm: filled while writable
    write(folder, "new.txt", article("New story"))               # ... and one file it lacks
    clean_new = load_corpus(folder, jobs=1, cache=False)
    read_only(config.CACHE_DIR)
    with caplog.at_level(logging.WARNING, logger="newsdesk"):
        parsed.clear()
        warm = load_corpus(folder, jobs=1)
        assert parsed == ["new.txt"]                              # only what the cache lacks
        monkeypatch.setattr(config, "CACHE_DIR", config.CACHE_DIR / "never-created")
        cold = load_corpus(folder, jobs=1)                        # cold: nothing cached at all
    pd.testing.assert_frame_equal(warm, clean_new)
    pd.testing.assert_frame_equal(cold, clean_new)
    assert len(clean_new) == len(clean) + 1
    assert caplog.text.count("the cache is read-only") == 1, caplog.text
    assert not config.CACHE_DIR.exists()
