"""Atomic writes: a file gets the mode a plain ``open`` would give it (the umask for a new file,
the old mode for a replaced one), and so does every output and cache file of the commands."""
from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.atomic import atomic_path, atomic_write_bytes, atomic_write_text

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600), (0o000, 0o666)])
def test_a_new_file_follows_the_umask(tmp_path, mask, expected):
    with umask(mask):
        atomic_write_text(tmp_path / "a.txt", "x")
        atomic_write_bytes(tmp_path / "b.bin", b"x")
        with atomic_path(tmp_path / "sub" / "c.parquet") as tmp:
            tmp.write_bytes(b"x")
    assert [mode(tmp_path / n) for n in ("a.txt", "b.bin", "sub/c.parquet")] == [expected] * 3


@pytest.mark.parametrize("old_mode, mask", [(0o664, 0o022), (0o640, 0o002), (0o600, 0o000)])
def test_a_replaced_file_keeps_its_mode(tmp_path, old_mode, mask):
    p = tmp_path / "shared.txt"
    p.write_text("old")
    p.chmod(old_mode)
    with umask(mask):
        atomic_write_text(p, "new")
    assert p.read_text() == "new" and mode(p) == old_mode


def test_a_failed_write_leaves_nothing_beside_the_file(tmp_path):
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "a.txt") as tmp:
        tmp.write_text("half")
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("mask, expected", [(0o002, 0o664), (0o022, 0o644)])
def test_outputs_and_cache_files_follow_the_umask(tmp_path, mask, expected):
    cache, out = tmp_path / "cache", tmp_path / "out"
    env = {**os.environ, "NEWSDESK_CACHE": str(cache)}
    sample = str(ROOT / "data" / "sample")
    for args in (["load", sample, "--out", str(out)], ["quotes", sample, "--out", str(out / "q.csv")]):
        proc = subprocess.run([sys.executable, "-m", "newsdesk.cli", *args], env=env, umask=mask,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
    files = [p for p in [*cache.rglob("*"), *out.rglob("*")] if p.is_file()]
    assert {p.relative_to(tmp_path).parts[0] for p in files} == {"cache", "out"}
    assert any(p.suffix == ".arrow" for p in files) and any("store" in p.parts for p in files)
    assert {str(p.relative_to(tmp_path)): oct(mode(p)) for p in files if mode(p) != expected} == {}
    # rewriting an output keeps the mode it was given since
    (out / "articles.parquet").chmod(0o660)
    proc = subprocess.run([sys.executable, "-m", "newsdesk.cli", "load", sample, "--out", str(out)], env=env,
                          umask=mask, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and mode(out / "articles.parquet") == 0o660


@pytest.mark.slow
def test_a_report_follows_the_umask(tmp_path):
    import reportkit as kit

    nbs = kit.fixture_notebooks(tmp_path / "nbs")
    out = tmp_path / "out"
    proc = subprocess.run([*kit.NEWSDESK, "report", str(kit.make_corpus(tmp_path / "c")), "--out", str(out),
                           "--notebooks-dir", str(nbs), "--notebooks", "01,03"],
                          env={**os.environ, "NEWSDESK_CACHE": str(tmp_path / "cache")}, umask=0o002,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) >= 6                                  # notebooks, pages, index, log, marker, thumbnail
    assert {str(p.relative_to(out)): oct(mode(p)) for p in files if mode(p) != 0o664} == {}
    assert {oct(mode(p)) for p in [out, *out.rglob("*")] if p.is_dir()} == {oct(0o775)}
