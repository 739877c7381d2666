"""Publishing a report folder: the checks on ``--out``, the marker listing what a report wrote,
the staging folder's owner lock, and the swap into place.

A report set is built in a hidden sibling folder (``.OUT.partial-PID-...``) and swapped into
place at the end (:func:`swap_into_place`), so an interrupted run leaves the previous report as
it was. An ``--out`` that would lose data is refused before anything runs (:func:`_check_out`):
the corpus, a folder inside it or containing it, a file, a folder that is not a report, or a
report holding files it did not write. Replacing a report deletes only the files its
:data:`MARKER` lists.

>>> sorted(marker_files(Path("/no/such/report")))
['.newsdesk-report.json']
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import secrets
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from . import __version__
from .params import ReportError

if TYPE_CHECKING:  # pragma: no cover
    from .render import ReportSet

log = logging.getLogger("newsdesk.report")

__all__ = ["MARKER", "MARKER_FORMAT", "corpus_paths", "marker_files", "foreign_files", "swap_into_place"]

MARKER = ".newsdesk-report.json"
"""The manifest every report folder holds; a folder without it is never replaced."""
MARKER_FORMAT = 2
"""Format of :data:`MARKER`: 2 lists every file the report wrote (``"files"``, paths relative to
the folder); a marker without ``"format"`` (format 1, newsdesk <= 0.4) is read by the file names
its ``"reports"`` and ``"sets"`` imply. Replacing a report deletes only the files its marker lists."""


def _flock(folder: Path) -> tuple[int | None, bool | None]:
    """Try to lock ``folder`` without waiting: ``(descriptor, True)`` when this process now holds
    the lock, ``(None, False)`` when another process holds it, ``(descriptor or None, None)`` when
    the filesystem keeps no locks (some network filesystems) or the folder cannot be opened."""
    try:
        import fcntl

        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except (ImportError, OSError):
        return None, None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # held by a live run
        os.close(fd)
        return None, False
    except OSError:          # no locks here: the pid decides
        return fd, None
    return fd, True


def _owner_lock(folder: Path) -> int | None:
    """Hold a lock on ``folder`` for as long as the returned descriptor is open (the kernel drops
    it when this process dies, ``kill -9`` included): a run on another machine or in another pid
    namespace, where this pid means nothing, sees it and leaves the folder alone."""
    return _flock(folder)[0]


def _locked(folder: Path) -> bool:
    """Whether another live run holds ``folder``'s lock (see :func:`_owner_lock`)."""
    fd, mine = _flock(folder)
    if fd is not None:
        os.close(fd)  # also releases the lock just taken
    return mine is False


def _clean_stale(out: Path) -> None:
    """Remove the staging and old folders (``.OUT.partial-PID-…``, ``.OUT.old-PID-…``) of runs
    that are gone. A folder is kept while its owner lives: the pid in its name is running and
    started before the folder was made (not a reused pid), or the folder's lock is held."""
    from .parallel import pid_alive

    try:
        names = os.listdir(out.parent)
    except OSError:
        return
    for name in names:   # not a glob: a folder name may hold [, * or ?
        m = re.fullmatch(re.escape(f".{out.name}.") + r"(partial|old)-(\d+)-\w+", name)
        if not m:
            continue
        p = out.parent / name
        try:
            st = p.lstat()
        except OSError:
            continue
        if pid_alive(int(m.group(2)), started_by=min(st.st_mtime, st.st_ctime)) or _locked(p):
            continue
        shutil.rmtree(p, ignore_errors=True)


def corpus_paths(corpus: str | os.PathLike) -> list[str]:
    """Every folder and file the corpus argument names, resolved through symlinks: the folder, the
    file, or a glob's fixed folder and each of its matches (as ``load_corpus`` and the notebooks'
    ``resolve_corpus`` read it).

    >>> corpus_paths("/data/archive/2017-*.txt")[0]                      # doctest: +SKIP
    '/data/archive'
    """
    import glob as _glob

    from .corpus import resolve_corpus

    named: list[str] = []
    for spec in dict.fromkeys([os.path.expanduser(os.fspath(corpus)), resolve_corpus(corpus)]):
        if _glob.has_magic(spec) and not os.path.lexists(spec):
            base = spec
            while _glob.has_magic(base):
                base = os.path.dirname(base)
            named.append(base or ".")
            matches = _glob.glob(spec, recursive=True)
            named.extend(dict.fromkeys(os.path.dirname(m) or "." for m in matches))  # one per folder
            named.extend(m for m in matches if os.path.islink(m))                   # and links
        else:
            named.append(spec)
    return list(dict.fromkeys(os.path.realpath(p) for p in named))


def _check_not_corpus(out: Path, corpus: str | os.PathLike, *, containing: bool = True) -> None:
    """Refuse an ``--out`` that is the corpus, lies inside it or (``containing``: a folder that is
    replaced) contains it, through symlinks, whatever marker it holds: the corpus is never
    written to or replaced."""
    real = os.path.realpath(out)
    for c in corpus_paths(corpus):
        if real == c:
            how = "is"
        elif real.startswith(c.rstrip(os.sep) + os.sep):
            how = "lies inside"
        elif containing and c.startswith(real.rstrip(os.sep) + os.sep):
            how = "contains"
        else:
            continue
        via = f" ({real})" if real != os.path.abspath(out) else ""
        raise ReportError(f"--out {out}{via} {how} the corpus {c}: the corpus is never written to or "
                          "replaced. Choose an --out folder outside it, e.g. reports/")


def _safe_rel(p: Any) -> str | None:
    """A marker's file entry as a clean relative POSIX path, or None when it could point elsewhere."""
    if not isinstance(p, str) or not p or "\x00" in p or p.startswith("/") or "\\" in p:
        return None
    parts = p.split("/")
    if any(x in ("", ".", "..") for x in parts):
        return None
    return p


def _legacy_files(d: Path, data: Mapping[str, Any], depth: int = 0) -> set[str]:
    """The files a format-1 marker's report wrote: its index, log, and per notebook the HTML,
    notebook, thumbnail and log; a grid's sub-folders by their own markers."""
    files = {"index.html", "report.log"}
    for r in data.get("reports") or []:
        name = r.get("name") if isinstance(r, dict) else None
        if _safe_rel(name) and "/" not in name:
            files |= {f"{name}.html", f"{name}.ipynb", f"thumbs/{name}.png", f"logs/{name}.log"}
    for st in data.get("sets") or []:
        folder = st.get("folder") if isinstance(st, dict) else None
        if depth == 0 and _safe_rel(folder) and "/" not in folder:
            files |= {f"{folder}/{f}" for f in marker_files(d / folder, depth=1)}
    return files


def marker_files(d: Path, *, depth: int = 0) -> set[str]:
    """The files (relative POSIX paths) that the report in ``d`` wrote, by its :data:`MARKER`,
    the marker itself included. A marker that is missing, unreadable or without a valid list
    (``{}``) owns only itself: it grants no permission to delete anything else."""
    try:
        data = json.loads((d / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict):
        return {MARKER}
    fmt = data.get("format")
    if isinstance(fmt, int) and fmt >= 2 and isinstance(data.get("files"), list):
        files = {f for f in map(_safe_rel, data["files"]) if f}
    elif fmt is None and isinstance(data.get("newsdesk"), str) and (
            isinstance(data.get("reports"), list) or isinstance(data.get("sets"), list)):
        files = _legacy_files(d, data, depth)
    else:
        files = set()
    return files | {MARKER}


def _tree(d: Path) -> list[str]:
    """Every entry under ``d`` that is not a folder (files, symlinks, ...), as relative POSIX
    paths, without following symlinks; folders count only through what they hold."""
    out = []
    for dirpath, dirnames, filenames in os.walk(d):
        rel = os.path.relpath(dirpath, d)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        for name in dirnames:
            if os.path.islink(os.path.join(dirpath, name)):
                out.append(prefix + name)          # a symlinked folder: an entry, not walked
        out.extend(prefix + name for name in filenames)
    return sorted(out)


def foreign_files(d: Path) -> list[str]:
    """Entries of the report folder ``d`` that its marker does not list (a user's notes)."""
    owned = marker_files(d)
    return [f for f in _tree(d) if f not in owned]


def _check_out(out: Path, corpus: str | os.PathLike | None = None) -> None:
    """Refuse an ``--out`` that would lose data: the corpus (or inside it, or containing it), a
    file, a folder that is not a report, or a report folder holding files it did not write."""
    if corpus is not None:
        _check_not_corpus(out, corpus)
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out} is a file; give a folder")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise ReportError(f"--out {out} exists and is not a newsdesk report folder (no {MARKER}); "
                              "it would be replaced. Choose an empty or new folder.")
        stray = foreign_files(out)
        if stray:
            shown = ", ".join(stray[:5]) + (f" and {len(stray) - 5} more" if len(stray) > 5 else "")
            raise ReportError(f"--out {out} holds {len(stray)} file(s) the report did not write ({shown}); "
                              f"a report replaces only the files its {MARKER} lists. Move them out of the "
                              "folder, or choose another --out.")


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2(RENAME_EXCHANGE)``); False when unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _seal(staging: Path) -> None:
    """Write into every marker under ``staging`` the list of files of its folder (format
    :data:`MARKER_FORMAT`), sub-folders first, so the next run deletes exactly these."""
    markers = sorted({staging, *(Path(dp) for dp, _, names in os.walk(staging) if MARKER in names)},
                     key=lambda p: len(p.parts), reverse=True)    # the top one, even if it has none yet
    for d in markers:
        try:
            data = json.loads((d / MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if not isinstance(data, dict):
            data = {}
        data["format"] = MARKER_FORMAT
        data["files"] = [f for f in _tree(d) if f != MARKER]
        (d / MARKER).write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def _remove_owned(old: Path, owned: set[str]) -> list[str]:
    """Delete from ``old`` the files in ``owned`` (never through a symlinked folder), then the
    folders left empty; return what is left (files the report did not write)."""
    real_old = os.path.realpath(old)
    for rel in sorted(owned):
        full = old / rel
        parent = os.path.dirname(rel)
        expected = os.path.join(real_old, *parent.split("/")) if parent else real_old
        if os.path.realpath(full.parent) != expected:
            continue                                   # a folder on the way is a link: not ours
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError, NotADirectoryError):
            if not full.is_dir() or full.is_symlink():
                os.unlink(full)
    for dirpath, dirnames, filenames in os.walk(old, topdown=False):
        if dirpath != str(old):
            with contextlib.suppress(OSError):
                os.rmdir(dirpath)                      # only when empty
    left = _tree(old)
    if not left:
        with contextlib.suppress(OSError):
            os.rmdir(old)
    return left


def swap_into_place(staging: Path, out: Path) -> list[str]:
    """Replace ``out`` by ``staging`` with no moment where a half-written report is visible.

    Of the previous report only the files its marker lists are deleted. Files it did not write
    (``_check_out`` refuses a folder holding any, but one may appear during the run) are kept:
    the rest of the old folder is left as ``OUT.kept-<time>`` beside ``out``, with a warning.
    Returns the kept files' paths (relative to that folder)."""
    _seal(staging)
    if not out.exists():
        os.replace(staging, out)
        return []
    owned = marker_files(out)
    if _exchange(staging, out):
        old = staging
    else:
        old = out.parent / f".{out.name}.old-{os.getpid()}-{secrets.token_hex(3)}"
        os.replace(out, old)
        os.replace(staging, out)
    kept = _remove_owned(old, owned)
    if kept:
        dest = out.parent / f"{out.name}.kept-{dt.datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
        os.replace(old, dest)
        log.warning("%s held %d file(s) the report did not write (%s); kept in %s", out, len(kept),
                    ", ".join(kept[:5]) + (" ..." if len(kept) > 5 else ""), dest)
    return kept


def _write_marker(d: Path, rset: ReportSet | None, facts, built: dt.datetime, sets=None) -> None:
    """The folder's :data:`MARKER`: version, build time, corpus, reports, and the files written
    so far (``swap_into_place`` completes the list before publishing)."""
    data = {"format": MARKER_FORMAT, "newsdesk": __version__, "built": built.isoformat(timespec="seconds"),
            "corpus": facts, "files": [f for f in _tree(d) if f != MARKER]}
    if rset is not None:
        data["reports"] = [{"name": r.name, "status": r.status, "error": r.error, "params": r.params}
                           for r in rset.results]
    if sets:
        data["sets"] = [{"folder": s.folder, "point": s.point, "failed": len(s.failed)} for s in sets]
    (d / MARKER).write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
