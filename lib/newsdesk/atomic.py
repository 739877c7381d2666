"""Atomic writes and cache locks: nothing half-written is ever read.

A file written here gets the permissions a plain ``open(path, "w")`` would give it: a new file
``0o666`` less the umask (``0644`` under umask ``022``, ``0664`` under ``002``, so a cache shared
by a group stays readable to it), and a file that is replaced keeps its mode (a ``0664`` file
stays ``0664`` whatever the umask).

>>> from newsdesk.atomic import atomic_write_text
>>> atomic_write_text("/tmp/nd-example.txt", "hello")   # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path
from typing import Iterator

from filelock import FileLock

__all__ = ["atomic_path", "atomic_write_text", "atomic_write_bytes", "cache_lock"]

_NEW_FILE_MODE = 0o666
"""Asked for when the temporary file is created; the kernel takes the umask (and a default ACL)
off it, as for any ``open``. (``tempfile.mkstemp`` would make it ``0600`` whatever the umask.)"""


def _create_temp(path: Path) -> Path:
    """A new, empty file beside ``path`` with the mode a plain ``open`` would give ``path``."""
    try:
        keep = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:  # no such file (or unreadable): a new file's mode
        keep = None
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, flags, _NEW_FILE_MODE)
        except FileExistsError:
            continue
        try:
            if keep is not None:
                os.fchmod(fd, keep)
        except OSError:  # not ours to chmod: the new file's mode stands
            pass
        finally:
            os.close(fd)
        return tmp
    raise FileExistsError(f"no free temporary name beside {path}")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it into place, else remove it.
    The result has the mode a plain ``open`` would give it (module docstring)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _create_temp(path)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def cache_lock(path: str | os.PathLike, timeout: float = 600) -> FileLock:
    """An inter-process lock guarding ``path`` (a ``.lock`` file beside it, created with the
    umask's mode, so that a group sharing the cache can take it too)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(p) + ".lock", timeout=timeout)
