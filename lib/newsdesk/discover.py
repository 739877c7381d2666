"""Discovery: which files a corpus is made of.

A corpus is a folder (searched recursively for ``*.txt``), one file, or a glob. :func:`discover`
lists its files with their size and mtime (a :class:`~newsdesk.records.SourceFiles`, sorted by
path) and turns everything it will not read (hidden files, symlink loops, links outside the
corpus, pipes, ...) into a :class:`~newsdesk.records.Reject` with its reason.

>>> root, files, rejects = discover("data/sample")     # doctest: +SKIP
"""
from __future__ import annotations

import errno
import glob as _glob
import itertools
import os
import stat as _stat
from typing import Iterator

from . import config
from . import resources as R
from .decode import _not_regular
from .records import CorpusError, Reject, SourceFiles

__all__ = ["display_path", "discover", "EXTERNAL_LINK_REASON"]


def display_path(rel: str) -> str:
    """``rel`` made printable and storable: bytes that are not UTF-8 (on POSIX, file names are
    bytes) appear as ``\\xNN`` escapes.

    >>> display_path("caf\\udce9.txt")
    'caf\\\\xe9.txt'
    """
    if rel.isascii():
        return rel
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def discover(path: str | os.PathLike, *, follow_external_links: bool = False
             ) -> tuple[str, SourceFiles, list[Reject]]:
    """Find the input files: a directory (recursive ``*.txt``), one file, or a glob.

    Returns ``(root, files, rejects)``; files (:class:`SourceFiles`) are sorted by relative
    path. Symlinked folders are
    followed once each (a link back into the walk is a "symlink loop" reject); a symlinked *file*
    is followed, and one that loops or dangles becomes a reject. Hidden folders and files (names
    starting with ``.``: ``.ipynb_checkpoints``, macOS ``._*``) are not read; each is listed as a
    reject. Version-control folders (``.git``, ...) are skipped silently. Raises :class:`CorpusError` when
    ``path`` does not exist or a glob matches nothing.

    A symlink (file or folder) whose target resolves outside the corpus root (the folder, or a
    glob's fixed part; both resolved through links) is a reject, ``links outside the corpus``,
    unless ``follow_external_links=True``. Only entries that are symlinks are resolved (the
    directory listing says which), so this costs nothing per ordinary file. A single file named
    as the corpus is read wherever it points: it was named explicitly.
    """
    from .parallel import gc_paused

    with gc_paused():
        return _discover(path, follow_external_links)


EXTERNAL_LINK_REASON = ("links outside the corpus: not read (its target is outside the corpus folder); "
                        "load with follow_external_links=True (newsdesk ... --follow-external-links) to read it")
"""The reject reason of a symlink whose target resolves outside the corpus root."""


def _inside(real: str, real_root: str) -> bool:
    """Is the resolved path ``real`` the resolved root ``real_root`` or under it?"""
    return real == real_root or real.startswith(real_root if real_root.endswith(os.sep) else real_root + os.sep)


def _outside_link(folder: str, root: str, real_root: str) -> str | None:
    """The first symlinked folder on the way from ``root`` to ``folder`` that resolves outside
    ``real_root`` (relative to ``root``), or None."""
    cur = root
    for part in os.path.relpath(folder, root).split(os.sep):
        if part in ("", ".", ".."):
            return None
        cur = os.path.join(cur, part)
        if os.path.islink(cur) and _links_outside(cur, real_root):
            return os.path.relpath(cur, root)
    return None


def _links_outside(path: str, real_root: str) -> bool:
    """True when the symlink ``path`` resolves to an existing target outside ``real_root``
    (a broken link or a loop is left to the usual rejects)."""
    return not _inside(os.path.realpath(path), real_root) and os.path.exists(path)


def _stat_verdict(abspath: str, rel: str, *, is_glob: bool) -> os.stat_result | Reject | None:
    """Discovery's decision on one path: its ``stat`` when it is a regular file (symlinks
    followed), a reject, or ``None`` for a folder that is skipped without one."""
    try:
        st = os.stat(abspath)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            reason = "symlink loop: the link points (via other links) back to itself"
        elif os.path.islink(abspath):
            reason = f"broken symlink (points to {os.readlink(abspath)!r}, which does not exist)"
        else:
            reason = f"cannot stat: {exc.strerror or exc}"
        return Reject(display_path(rel), None, reason)
    if _stat.S_ISREG(st.st_mode):
        return st
    if _stat.S_ISDIR(st.st_mode):
        return Reject(display_path(rel), None, "a directory, not a file (matched by the glob)") if is_glob else None
    return Reject(display_path(rel), None, _not_regular(st.st_mode))


def _discover(path: str | os.PathLike, follow_external_links: bool = False
              ) -> tuple[str, SourceFiles, list[Reject]]:
    import array

    spath = os.path.expanduser(os.fspath(path))
    rejects: list[Reject] = []
    is_glob = _glob.has_magic(spath) and not os.path.lexists(spath)
    if is_glob:
        base = spath
        while _glob.has_magic(base):
            base = os.path.dirname(base)
        root = os.path.abspath(base or ".")
        candidates = sorted(_glob.glob(spath, recursive=True))
        if not candidates:
            raise CorpusError(f"no files match {spath!r}. Check the pattern (quote it in the shell), "
                              f"e.g. 'archive/**/*.txt'.")
        groups = []
        for c in candidates:
            rel = os.path.relpath(os.path.abspath(c), root)
            head, name = os.path.split(rel)
            groups.append((os.path.join(root, head, ""), head + os.sep if head else "", [name]))
    elif os.path.isdir(spath):
        root = os.path.abspath(spath)
        # the walk's rejects first, then the stat's
        groups = list(_walk(root, rejects, follow_external_links=follow_external_links))
    elif os.path.lexists(spath):
        root = os.path.abspath(os.path.dirname(spath) or ".")
        groups = [(os.path.join(root, ""), "", [os.path.basename(spath)])]
    else:
        parent = os.path.dirname(os.path.abspath(spath))
        hint = "" if os.path.isdir(parent) else f" (its folder {parent} does not exist either)"
        raise CorpusError(
            f"corpus path {spath!r} does not exist{hint}. Pass a folder of .txt articles, one file "
            f"or a quoted glob; the bundled sample is {config.SAMPLE_CORPUS}."
        )
    rels: list[str] = []
    stats = array.array("q")            # size, mtime_ns of each file in turn
    raw: dict[int, str] = {}
    # a glob's matches: lstat (the same cost as stat), so that a symlink shows itself and only
    # symlinks are resolved; a folder's links were judged by its walk, a named file is trusted
    check_links = is_glob and not follow_external_links
    real_root = os.path.realpath(root) if check_links else ""
    outside_dirs: dict[str, str | None] = {}     # folder -> the link taking it outside, or None
    stat_, is_reg = (os.lstat if check_links else os.stat), _stat.S_ISREG
    for dp, prefix, names in groups:
        if check_links:
            if dp not in outside_dirs:
                link = None if _inside(os.path.realpath(dp), real_root) else _outside_link(dp, root, real_root)
                if link is not None and link not in outside_dirs.values():
                    rejects.append(Reject(display_path(link), None, EXTERNAL_LINK_REASON))   # once per link
                outside_dirs[dp] = link
            if outside_dirs[dp] is not None:
                continue
        for name in names:
            try:
                st = stat_(dp + name)
                ok = is_reg(st.st_mode)    # the common case first: a warm load is this loop
            except OSError:
                ok, st = False, None
            if check_links and st is not None and not ok and _stat.S_ISLNK(st.st_mode) \
                    and _links_outside(dp + name, real_root):
                rejects.append(Reject(display_path(prefix + name), None, EXTERNAL_LINK_REASON))
                continue
            if not ok:
                verdict = _stat_verdict(dp + name, prefix + name, is_glob=is_glob)
                if not isinstance(verdict, os.stat_result):
                    if verdict is not None:
                        rejects.append(verdict)
                    continue
                st = verdict
            rel = prefix + name
            if not rel.isascii():
                shown = display_path(rel)
                if shown != rel:
                    raw[len(rels)] = rel
                    rel = shown
            rels.append(rel)
            stats.append(st.st_size)
            stats.append(st.st_mtime_ns)
    import numpy as np

    st2 = np.frombuffer(stats, dtype=np.int64).reshape(-1, 2) if stats else np.zeros((0, 2), np.int64)
    files = SourceFiles(root, rels, st2[:, 0], st2[:, 1], raw)
    if any(a > b for a, b in zip(rels, itertools.islice(rels, 1, None))):    # the walk's order is not quite
        order = sorted(range(len(rels)), key=rels.__getitem__)              # by path ("a-b/" < "a/")
        files = files[order]
    return root, files, rejects


def _scan_walk(top: str, onerror) -> Iterator[tuple[str, list[str], list[str], set[str]]]:
    """``os.walk(top, followlinks=True)`` (top-down; the caller may prune ``dirnames``) that also
    yields the names in each folder that are symlinks, which the listing tells for free
    (``DirEntry.is_symlink()``: no extra ``stat``)."""
    stack = [top]
    while stack:
        dirpath = stack.pop()
        dirs: list[str] = []
        files: list[str] = []
        links: set[str] = set()
        try:
            with os.scandir(dirpath) as it:
                for entry in it:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    (dirs if is_dir else files).append(entry.name)
                    try:
                        if entry.is_symlink():
                            links.add(entry.name)
                    except OSError:
                        pass
        except OSError as exc:
            onerror(exc)
            continue
        yield dirpath, dirs, files, links
        stack.extend(os.path.join(dirpath, d) for d in reversed(dirs))


def _walk(root: str, rejects: list[Reject], *, follow_external_links: bool = False
          ) -> Iterator[tuple[str, str, list[str]]]:
    """Yield ``(folder + os.sep, its path relative to root + os.sep or "", names)`` for every
    folder under ``root`` that holds ``*.txt`` files, names sorted, following symlinked
    directories once each: a link back to a folder being walked is a reject ("symlink loop").
    A symlink (folder or ``*.txt``) resolving outside ``root`` is a reject
    (:data:`EXTERNAL_LINK_REASON`) unless ``follow_external_links``; only symlinks are resolved."""
    def rel(p: str) -> str:
        return display_path(os.path.relpath(p, root))

    def onerror(exc: OSError):
        where = rel(exc.filename) if exc.filename else "?"
        rejects.append(Reject(where, None, f"cannot list directory: {exc.strerror or exc}; "
                                           f"its files were not read"))

    real_root = os.path.realpath(root)
    seen: dict[tuple[int, int], str] = {}
    try:
        st = os.stat(root)
        seen[(st.st_dev, st.st_ino)] = root
    except OSError:
        pass
    for dirpath, dirnames, filenames, links in _scan_walk(root, onerror):
        dirnames.sort()
        keep = []
        for d in dirnames:
            full = os.path.join(dirpath, d)
            if d in R.VCS_DIRS:
                continue
            if d.startswith("."):
                rejects.append(Reject(rel(full), None, "hidden folder not read (e.g. .ipynb_checkpoints): "
                                                       "pass it as the corpus path to load it"))
                continue
            if d in links and not follow_external_links and _links_outside(full, real_root):
                rejects.append(Reject(rel(full), None, EXTERNAL_LINK_REASON))
                continue
            try:
                st = os.stat(full)
            except OSError as exc:
                reason = ("symlink loop" if exc.errno == errno.ELOOP else f"cannot stat: {exc.strerror or exc}")
                rejects.append(Reject(rel(full), None, reason))
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen:
                first = "the corpus folder itself" if seen[key] == root else rel(seen[key])
                real = os.path.realpath(full)
                if os.path.realpath(dirpath + os.sep).startswith(real.rstrip(os.sep) + os.sep) or \
                        os.path.realpath(dirpath) == real:
                    reason = f"symlink loop: links back to {first}; not walked again"
                else:
                    reason = (f"symlinked directory already read as {first}; not read twice" if d in links
                              else f"directory already read through the symlink {first}; not read twice")
                rejects.append(Reject(rel(full), None, reason))
                continue
            seen[key] = full
            keep.append(d)
        dirnames[:] = keep
        # dirpath is root or lies under it: build paths by concatenation (os.path.relpath per
        # file dominated warm loads)
        dp = dirpath if dirpath.endswith(os.sep) else dirpath + os.sep
        base = dirpath[len(root):].strip(os.sep)
        prefix = base + os.sep if base else ""
        txt = sorted(f for f in filenames if f[-4:].lower() == ".txt")
        names = []
        for f in txt:
            if f[0] == ".":
                rejects.append(Reject(display_path(prefix + f), None,
                                      "hidden file not read (macOS '._' metadata or an editor's backup)"))
            elif f in links and not follow_external_links and _links_outside(dp + f, real_root):
                rejects.append(Reject(display_path(prefix + f), None, EXTERNAL_LINK_REASON))
            else:
                names.append(f)
        if names:
            yield dp, prefix, names

