"""A file's bytes, read without surprises, and decoded to text.

:func:`read_bytes` reads a regular file of bounded size (never blocking on a pipe or a device);
:func:`decode` turns its bytes into text: UTF-8, UTF-16/32 with or without a byte-order mark,
cp1252 (whole files, or stray bytes in UTF-8), binary data refused. Each problem is a
``ValueError`` whose message is the reject reason the loader lists.

>>> decode("na\u00efve".encode("utf-8"))
('naïve', None)
"""
from __future__ import annotations

import codecs
import errno
import os
import stat as _stat
import threading

from . import config
from . import resources as R

__all__ = ["decode", "read_bytes"]

# --------------------------------------------------------------------------- decoding
def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


_fallback_state = threading.local()
_HIGH_BYTES = bytes(range(128, 256))
_MAX_STRAY_BYTES = 100_000


def _cp1252_for_bad_utf8(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: read the bytes UTF-8 rejects as cp1252, and count them."""
    st = _fallback_state
    if st.first is None:
        st.first = exc.start
    st.count += exc.end - exc.start
    return exc.object[exc.start:exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("newsdesk-cp1252", _cp1252_for_bad_utf8)


def _decode_fallback(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not valid UTF-8: per byte UTF-8 where valid, cp1252 elsewhere."""
    stripped, n_seq = R.UTF8_MULTIBYTE_RE.subn(b"", data)
    n_stray = len(stripped) - len(stripped.translate(None, _HIGH_BYTES))
    if n_seq and n_stray <= _MAX_STRAY_BYTES:
        # mostly UTF-8 with stray bytes (mixed encodings): keep every valid UTF-8 sequence and
        # read the stray bytes as cp1252; otherwise the file is legacy cp1252 throughout
        st = _fallback_state
        st.first, st.count = None, 0
        text = data.decode("utf-8", errors="newsdesk-cp1252")
        what = (f"mixed encodings: {st.count:,} byte(s) not valid UTF-8 (first at line "
                f"{_line_of(data, st.first or 0)}) were decoded as cp1252")
    else:
        try:
            data.decode("utf-8")
            first_bad = 0
        except UnicodeDecodeError as exc:
            first_bad = exc.start
        text = data.decode("cp1252", errors="replace")
        what = f"not valid UTF-8 (line {_line_of(data, first_bad)}); decoded as cp1252"
    n_undef = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    if n_undef > 0:
        what += f"; {n_undef:,} undecodable byte(s) replaced by U+FFFD"
    return text, what


def _sniff_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when ``data`` looks like BOM-less UTF-16 text, else ``None``."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return None
    odd, even = head[1::2], head[0::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode file bytes. Returns ``(text, warning or None)``; raises ``ValueError`` with the reason.

    UTF-8 (with or without BOM) and UTF-16/32 with a byte-order mark decode silently. Anything
    else falls back with a warning naming the first bad line: a file that is valid UTF-8 except
    for stray bytes keeps its UTF-8 and reads the stray bytes as cp1252; a file with no UTF-8 at
    all is read as cp1252; bytes undefined even in cp1252 become U+FFFD and are counted in the
    warning. BOM-less UTF-16 is recognised by its NUL pattern. Binary data (NUL bytes, control
    characters, known file signatures such as PDF or ZIP) is rejected. Line ends become ``\\n``.

    >>> decode("café".encode("cp1252"))
    ('café', 'not valid UTF-8 (line 1); decoded as cp1252')
    >>> decode(b"\\xef\\xbb\\xbfa\\r\\nb")
    ('a\\nb', None)
    """
    if not data:
        raise ValueError("empty file (0 bytes)")
    text = _plain_utf8(data)
    if text is not None:
        return text, None
    warning = None
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            data = data[len(bom):]
            if enc != "utf-8":
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError as exc:
                    raise ValueError(f"starts with a {enc.upper()} byte-order mark but is not valid "
                                     f"{enc.upper()} (byte {exc.start + len(bom)})") from None
                return _finish(text, None)
            break
    for sig, what in R.BINARY_SIGNATURES.items():
        if data.startswith(sig):
            raise ValueError(f"binary file ({what}), not text")
    if data.find(b"\x00", 0, 65536) >= 0:
        enc = _sniff_utf16(data)
        if enc:
            try:
                return _finish(data.decode(enc), f"decoded as {enc.upper()} (no byte-order mark)")
            except (UnicodeDecodeError, ValueError):
                pass
        n = data[:65536].count(0)
        raise ValueError(f"binary file ({n:,} NUL byte(s), first at line {_line_of(data, data.index(0))}), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, warning = _decode_fallback(data)
        return _finish(text, warning)
    return _finish(text, warning, no_controls=len(data.translate(None, R.CONTROL_BYTES)) == len(data))


def _plain_utf8(data: bytes) -> str | None:
    """``data`` decoded when it is the common case, else ``None``: it starts like an article (no
    byte-order mark, no file signature), holds no NUL, control character or carriage return, and
    is valid UTF-8; such text needs no other check, and is ``data`` character for character."""
    if data[:1] == b"#" and len(data.translate(None, R.NOT_IN_PLAIN_TEXT_BYTES)) == len(data):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return None


def _finish(text: str, warning: str | None, *, no_controls: bool = False) -> tuple[str, str | None]:
    sample = text[:65536]
    if sample and not no_controls and R.CONTROL_CHARS_RE.search(sample):
        n = len(R.CONTROL_CHARS_RE.findall(sample))
        if n > 0.01 * len(sample):
            raise ValueError(f"binary file ({n:,} control characters in the first {len(sample):,}), not text")
    if "\x00" in text:
        raise ValueError("NUL characters in the text, not a text file")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warning



# --------------------------------------------------------------------------- reading
def _not_regular(mode: int) -> str:
    kinds = [(_stat.S_ISFIFO, "a named pipe (FIFO)"), (_stat.S_ISSOCK, "a socket"),
             (_stat.S_ISCHR, "a character device"), (_stat.S_ISBLK, "a block device")]
    what = next((name for test, name in kinds if test(mode)), "not a regular file")
    return f"{what}, not a regular file: not read"


def _too_large(size: int) -> str:
    mb = config.MAX_FILE_BYTES / 2**20
    return (f"file too large ({size / 2**20:,.1f} MB, limit {mb:,.0f} MB): not read. Split it into "
            f"one file per article or raise newsdesk.config.MAX_FILE_BYTES")


def read_bytes(path: str | os.PathLike) -> bytes:
    """The bytes of a regular file of at most ``config.MAX_FILE_BYTES``; raises ``ValueError``
    (with the reject reason) for anything else. Never blocks on a pipe or device.

    >>> read_bytes("/nonexistent.txt")
    Traceback (most recent call last):
    ...
    ValueError: broken symlink or file removed during the load
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise ValueError("unreadable: permission denied. Make the file readable (chmod a+r) "
                         "or remove it from the corpus") from None
    except IsADirectoryError:
        raise ValueError("a directory, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ValueError("symlink loop: the link points (via other links) back to itself") from None
        if exc.errno == errno.ENOENT:
            raise ValueError("broken symlink or file removed during the load") from None
        raise ValueError(f"unreadable: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if _stat.S_ISDIR(st.st_mode):
            raise ValueError("a directory, not a file")
        if not _stat.S_ISREG(st.st_mode):
            raise ValueError(_not_regular(st.st_mode))
        if st.st_size > config.MAX_FILE_BYTES:
            raise ValueError(_too_large(st.st_size))
        limit, parts, got = config.MAX_FILE_BYTES + 1, [], 0
        while got < limit:                           # until end of file (a file may grow meanwhile)
            want = min(limit - got, max(st.st_size + 1 - got, 1 << 16))
            chunk = os.read(fd, want)
            parts.append(chunk)
            got += len(chunk)
            if len(chunk) < want:                    # a short read of a regular file: end of file
                break
        data = parts[0] if len(parts) == 1 else b"".join(parts)
        if len(data) > config.MAX_FILE_BYTES:  # it grew while we read it
            raise ValueError(_too_large(len(data)))
        return data
    except OSError as exc:
        raise ValueError(f"unreadable: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
