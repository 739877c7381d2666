"""Faults: ``kill -9`` of ``newsdesk annotate`` and ``newsdesk report`` leaves no process of theirs
alive and a cache and store that the next run completes to exactly a clean run's; two runs at once
over one cache corrupt nothing.

Every run is a real command line in its own session, on a 900-article corpus made from the
sample, with the store saving a part every 150 articles (so a kill lands between parts, and in the
middle of one). The processes of a run are listed while it runs (its descendants, which the kill
re-parents, and its session), and after the kill each must be gone within a generous poll limit.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import reportkit as kit

psutil = pytest.importorskip("psutil")

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")]

ROOT = Path(__file__).resolve().parents[1]
RUN = ("import sys; from newsdesk import config; config.STORE_FLUSH_ARTICLES = 150; "
       "from newsdesk.cli import main; sys.exit(main(sys.argv[1:]))")
DUMP = """
import sys
from pathlib import Path
import pyarrow.parquet as pq
import newsdesk as nd
from newsdesk import registry, store
arts = nd.load_corpus(sys.argv[1])
out = Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
for kind in registry.kinds():
    n = len(store.missing(arts, kind))
    if n:
        raise SystemExit(f"{kind}: {n} articles missing from the store")
    pq.write_table(store.get_table(arts, kind), out / f"{kind}.parquet")
"""
GONE_WITHIN = 15.0   # seconds: a poll limit, not a timing assertion


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "NEWSDESK_CACHE": str(cache), "NEWSDESK_JOBS": "2", "PYTHONUNBUFFERED": "1"}


def start(cache: Path, *args: str) -> subprocess.Popen:
    """The command in its own session; its output goes to files (a pipe would stay open as long
    as any process left behind holds it)."""
    out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([sys.executable, "-c", RUN, *args], env=_env(cache), stdout=out, stderr=err,
                            text=True, start_new_session=True)
    proc.err = err  # type: ignore[attr-defined]
    return proc


def stderr_of(proc: subprocess.Popen) -> str:
    proc.err.seek(0)  # type: ignore[attr-defined]
    return proc.err.read()[-2000:]  # type: ignore[attr-defined]


def finish(procs: list[subprocess.Popen], timeout: float = 300) -> list[int]:
    for p in procs:
        p.wait(timeout=timeout)
    return [p.returncode for p in procs]


def run(cache: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RUN, *args], env=_env(cache), capture_output=True, text=True,
                          timeout=timeout)


def dump(corpus: Path, cache: Path, out: Path) -> dict[str, object]:
    """Every kind's stored rows for ``corpus`` (the store must hold every article)."""
    import pyarrow.parquet as pq

    proc = subprocess.run([sys.executable, "-c", DUMP, str(corpus), str(out)], env=_env(cache),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {p.stem: pq.read_table(p) for p in sorted(out.glob("*.parquet"))}


def assert_same_store(got: dict, want: dict) -> None:
    assert sorted(got) == sorted(want)
    for kind in want:
        assert got[kind].num_rows == want[kind].num_rows, kind
        assert got[kind].equals(want[kind]), f"{kind}: rows differ from a clean run's"


class Family:
    """The processes of one run: its descendants and its session, as seen while it runs."""

    def __init__(self, proc: subprocess.Popen):
        self.root = proc.pid
        self.seen: dict[int, tuple[float, str]] = {}

    def snap(self) -> None:
        found = []
        with contextlib.suppress(psutil.Error):
            found = psutil.Process(self.root).children(recursive=True)
        for p in psutil.process_iter():
            with contextlib.suppress(OSError, psutil.Error):
                if p.pid != self.root and os.getsid(p.pid) == self.root:
                    found.append(p)
        for p in found:
            with contextlib.suppress(psutil.Error):
                self.seen.setdefault(p.pid, (p.create_time(), " ".join(p.cmdline())))

    def count(self, word: str) -> int:
        self.snap()
        return sum(word in cmd for pid, (_, cmd) in self.seen.items() if self._alive(pid))

    def _alive(self, pid: int) -> bool:
        try:
            p = psutil.Process(pid)
            return p.create_time() == self.seen[pid][0] and p.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    def alive(self) -> list[str]:
        return [f"{pid} {self.seen[pid][1][:120]}" for pid in self.seen if self._alive(pid)]

    def reap(self) -> None:
        """Clean-up after a failed test: kill whatever is left."""
        for pid in self.seen:
            if self._alive(pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)


def wait_for(cond, what: str, limit: float = 240, proc: subprocess.Popen | None = None,
             fam: Family | None = None) -> None:
    t0 = time.monotonic()
    while not cond():
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the run ended (rc {proc.returncode}) before {what}: {stderr_of(proc)}")
        if time.monotonic() - t0 > limit:
            pytest.fail(f"never saw {what}; processes: {fam.alive() if fam else '?'}")
        time.sleep(0.05)


def kill_and_check(proc: subprocess.Popen, fam: Family) -> None:
    """SIGKILL the command itself (not its group), then every process of it must end."""
    fam.snap()
    assert fam.seen, "no child process was seen: nothing would be tested"
    os.kill(proc.pid, signal.SIGKILL)
    try:
        proc.wait(timeout=60)
        t0 = time.monotonic()
        while fam.alive() and time.monotonic() - t0 < GONE_WITHIN:
            time.sleep(0.1)
        assert not fam.alive(), f"left behind after kill -9: {fam.alive()}"
    finally:
        fam.reap()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """900 distinct articles: the sample three times, each copy with its own last line."""
    dst = tmp_path_factory.mktemp("faults") / "corpus"
    dst.mkdir()
    for k in range(3):
        for p in sorted((ROOT / "data" / "sample").glob("*.txt")):
            (dst / f"{k}_{p.name}").write_text(p.read_text(encoding="utf-8") + f"\nCopy {k}.\n", encoding="utf-8")
    return dst


@pytest.fixture(scope="module")
def clean(corpus, tmp_path_factory) -> dict:
    """The store of one undisturbed run."""
    base = tmp_path_factory.mktemp("faults-clean")
    proc = run(base / "cache", "annotate", str(corpus))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return dump(corpus, base / "cache", base / "dump")


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory) -> Path:
    """01 reads every kind from the store; 05 sleeps (a kernel to be killed with the run)."""
    nbs = tmp_path_factory.mktemp("faults-nbs")
    kit.make_notebook(nbs / "01-store.ipynb", "# Store\n\nReads every kind from the store.",
                      'corpus: str = ""  # corpus folder',
                      ["import newsdesk as nd\nfrom newsdesk import registry, store\narts = nd.load_corpus(corpus)\n"
                       "print({k: store.get_table(arts, k).num_rows for k in registry.kinds()})"])
    kit.sleeper_notebook(nbs, seconds=300)
    return nbs


def _parts(cache: Path) -> int:
    return len(list((cache / "store").glob("*/done-*.parquet")))


# --------------------------------------------------------------------------- annotate
@pytest.mark.parametrize("moment", ["workers", "parts"])
def test_killed_annotate_leaves_no_process_and_the_next_run_equals_a_clean_one(tmp_path, corpus, clean, moment):
    cache = tmp_path / "cache"
    proc = start(cache, "annotate", str(corpus))
    fam = Family(proc)
    try:
        if moment == "workers":   # in the middle of the first kind, its pool working
            wait_for(lambda: fam.count("-c import sys; from newsdesk") >= 2, "the pool's workers", proc=proc)
        else:                     # some parts written, more on the way
            wait_for(lambda: _parts(cache) >= 3 and fam.count("-c import sys; from newsdesk") >= 2,
                     "three store parts and the pool", proc=proc)
    except BaseException:
        os.kill(proc.pid, signal.SIGKILL)
        fam.reap()
        raise
    kill_and_check(proc, fam)
    again = run(cache, "annotate", str(corpus))
    assert again.returncode == 0, again.stderr[-2000:]
    assert_same_store(dump(corpus, cache, tmp_path / "dump"), clean)


def test_two_annotates_at_once_on_one_cache_give_the_clean_store(tmp_path, corpus, clean):
    cache = tmp_path / "cache"
    procs = [start(cache, "annotate", str(corpus)) for _ in range(2)]
    assert finish(procs) == [0, 0], [stderr_of(p) for p in procs]
    assert_same_store(dump(corpus, cache, tmp_path / "dump"), clean)


# --------------------------------------------------------------------------- report
def _report(cache: Path, corpus: Path, out: Path, nbs: Path, *extra: str) -> list[str]:
    return ["report", str(corpus), "--out", str(out), "--notebooks-dir", str(nbs), *extra]


@pytest.mark.parametrize("moment", ["annotating", "notebooks"])
def test_killed_report_leaves_no_process_and_the_next_run_equals_a_clean_one(tmp_path, corpus, clean, notebooks,
                                                                              moment):
    cache, out = tmp_path / "cache", tmp_path / "out"
    proc = start(cache, *_report(cache, corpus, out, notebooks))
    fam = Family(proc)
    try:
        if moment == "annotating":   # the report's own annotate pool (forked from the command)
            wait_for(lambda: _parts(cache) >= 1 and fam.count(RUN) >= 1, "the report annotating", proc=proc)
        else:                        # fork server, its workers, their kernels (one of them sleeping)
            wait_for(lambda: fam.count("ipykernel") >= 1 and fam.count("multiprocessing.forkserver") >= 2,
                     "notebook kernels", proc=proc, fam=fam)
    except BaseException:
        os.kill(proc.pid, signal.SIGKILL)
        fam.reap()
        raise
    kill_and_check(proc, fam)
    assert not out.exists()                                 # nothing was published
    again = run(cache, *_report(cache, corpus, out, notebooks, "--notebooks", "01"))
    assert again.returncode == 0, again.stderr[-2000:]
    assert (out / "index.html").is_file()
    assert not list(tmp_path.glob(".out.partial-*"))        # the killed run's staging folder is gone
    assert_same_store(dump(corpus, cache, tmp_path / "dump"), clean)


def test_two_reports_at_once_on_one_cache_corrupt_nothing(tmp_path, corpus, clean, notebooks):
    cache = tmp_path / "cache"
    procs = [start(cache, *_report(cache, corpus, tmp_path / f"out{i}", notebooks, "--notebooks", "01"))
             for i in range(2)]
    assert finish(procs) == [0, 0], [stderr_of(p) for p in procs]
    for i in range(2):
        assert "keyword_counts" in (tmp_path / f"out{i}" / "01-store.html").read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".out*.partial-*"))
    assert_same_store(dump(corpus, cache, tmp_path / "dump"), clean)
    shutil.rmtree(cache)
