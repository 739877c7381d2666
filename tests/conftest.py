"""Shared fixtures: paths to the sample corpus and to ../shared (skipped when absent)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session", autouse=True)
def _isolated_session_cache(tmp_path_factory):
    """The same for session- and module-scoped fixtures (set up before any function-scoped one) and
    the processes they start: without it they loaded the sample into the project's data/cache.
    Under pytest-xdist each worker has its own base temp, so workers never share a cache."""
    from newsdesk import config

    cache = tmp_path_factory.getbasetemp() / "cache"
    mp = pytest.MonkeyPatch()
    mp.setattr(config, "CACHE_DIR", cache)
    mp.setenv("NEWSDESK_CACHE", str(cache))
    yield cache
    mp.undo()


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Each test session writes caches under a temporary folder, never into data/cache."""
    from newsdesk import config

    cache = tmp_path_factory.getbasetemp() / "cache"
    monkeypatch.setattr(config, "CACHE_DIR", cache)
    monkeypatch.setenv("NEWSDESK_CACHE", str(cache))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return ROOT / "data" / "sample"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared reference data is absent")
    return SHARED


@pytest.fixture(scope="session")
def polnear_train(shared_dir) -> Path:
    p = shared_dir / "corpora" / "polnear-train"
    if not p.is_dir():
        pytest.skip("polnear-train is absent")
    return p


@pytest.fixture(scope="session")
def polnear_dev(shared_dir) -> Path:
    p = shared_dir / "corpora" / "polnear-dev"
    if not p.is_dir():
        pytest.skip("polnear-dev is absent")
    return p


@pytest.fixture
def read_only(monkeypatch):
    """``read_only(folder)``: from now on, nothing under ``folder`` can be created, written,
    renamed or removed (``OSError`` EROFS, as on a read-only mount). Tests run as root, which
    ignores permission bits, so a ``chmod`` would not do."""
    import errno

    folders: list[str] = []
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

    def under(path) -> bool:
        try:
            p = os.path.abspath(os.fspath(path))
        except TypeError:
            return False
        return any(p == f or p.startswith(f + os.sep) for f in folders)

    def refuse(path):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))

    def guard(real, n_paths=1, flags_arg=None):
        def wrapper(*args, **kwargs):
            if flags_arg is not None and not (args[flags_arg] & write_flags):
                return real(*args, **kwargs)
            for a in args[:n_paths]:
                if under(a):
                    refuse(a)
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(os, "open", guard(os.open, 1, flags_arg=1))
    monkeypatch.setattr(os, "mkdir", guard(os.mkdir))
    for name in ("unlink", "remove", "rmdir"):
        monkeypatch.setattr(os, name, guard(getattr(os, name)))
    for name in ("replace", "rename"):
        monkeypatch.setattr(os, name, guard(getattr(os, name), 2))

    def make(folder) -> None:
        folders.append(os.path.abspath(os.fspath(folder)))

    return make
