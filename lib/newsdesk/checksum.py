"""Checksums of cache and store files: damage in place is found before anything is served.

A checksum is a string ``"<algorithm>:<hex digest>"``: ``xxh3_128`` (the ``xxhash`` package,
about 20 GB/s) or, where ``xxhash`` is not installed, ``blake2b`` (hashlib, about 1 GB/s).
Either verifies, whichever this process would write. Files are hashed through a memory map, so
a large file is never copied into memory.

>>> from newsdesk.checksum import of_bytes
>>> of_bytes(b"abc") == of_bytes(b"abc") != of_bytes(b"abd")
True
"""
from __future__ import annotations

import hashlib
import mmap
import os

from .errors import NewsdeskError

try:
    import xxhash
except ModuleNotFoundError:   # pragma: no cover - xxhash is a pinned dependency
    xxhash = None

ALGORITHM = "xxh3_128" if xxhash is not None else "blake2b"
"""The algorithm of the checksums this process writes."""


class ChecksumError(NewsdeskError):
    """A file's content does not match its recorded checksum (or the checksum cannot be read)."""


def _hasher(algorithm: str):
    if algorithm == "xxh3_128" and xxhash is not None:
        return xxhash.xxh3_128()
    if algorithm == "blake2b":
        return hashlib.blake2b(digest_size=16)
    raise ChecksumError(f"unknown checksum algorithm {algorithm!r}")


def of_bytes(data, algorithm: str = ALGORITHM) -> str:
    """The checksum of ``data`` (bytes or any buffer).

    >>> of_bytes(b"").startswith(ALGORITHM + ":")
    True
    """
    h = _hasher(algorithm)
    h.update(data)
    return f"{algorithm}:{h.hexdigest()}"


def of_file(path: str | os.PathLike, algorithm: str = ALGORITHM) -> str:
    """The checksum of the whole file at ``path``, read through a memory map.

    >>> of_file(__file__) == of_file(__file__)
    True
    """
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if not size:
            return of_bytes(b"", algorithm)
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as m:
            return of_bytes(m, algorithm)


def verify_file(path: str | os.PathLike, expected: str | None) -> None:
    """Raise :class:`ChecksumError` unless the file at ``path`` has the checksum ``expected``.

    >>> verify_file(__file__, of_file(__file__))
    """
    if not expected or ":" not in expected:
        raise ChecksumError(f"no checksum recorded for {path}")
    algorithm = expected.split(":", 1)[0]
    got = of_file(path, algorithm)
    if got != expected:
        raise ChecksumError(f"checksum mismatch: the file has {got}, {expected} was recorded")


__all__ = ["ALGORITHM", "ChecksumError", "of_bytes", "of_file", "verify_file"]
