"""The annotation store: per-article results computed once, kept as Parquet.

Analyses register a per-article *annotator* (a function from a chunk of articles to rows keyed by
``article_id``) under a *kind*; :func:`get` returns the rows for a set of articles, computing only
those missing from the store. Rows are keyed by each article's ``content_hash`` and the
annotator's version, so editing an annotator's code invalidates exactly its own results.

>>> from newsdesk import store
>>> sents = store.get(articles, "sentences")     # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
import inspect
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from . import config
from .atomic import atomic_path

log = logging.getLogger("newsdesk")


@dataclass
class Annotator:
    kind: str
    fn: Callable[[pd.DataFrame], pd.DataFrame]
    version: str
    columns: list[str] = field(default_factory=list)


_REGISTRY: dict[str, Annotator] = {}


def code_version(*objs) -> str:
    """A short hash of the source code of ``objs`` (functions or modules)."""
    h = hashlib.sha1()
    for o in objs:
        h.update(inspect.getsource(o).encode("utf-8"))
    return h.hexdigest()[:12]


def register(kind: str, fn: Callable[[pd.DataFrame], pd.DataFrame], *, version: str,
             columns: list[str] | None = None) -> None:
    """Register the annotator ``fn`` for ``kind``; ``version`` changes whenever its output may change."""
    _REGISTRY[kind] = Annotator(kind, fn, version, list(columns or []))


def annotator(kind: str) -> Annotator:
    if kind not in _REGISTRY:
        # importing the analysis modules registers their annotators
        from . import quotes, sentiment  # noqa: F401
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise KeyError(f"no annotator for {kind!r}; known: {sorted(_REGISTRY)}") from None


def store_dir(kind: str, version: str, root: Path | None = None) -> Path:
    return Path(root or config.CACHE_DIR) / "store" / f"{kind}-{version}"


def get(articles: pd.DataFrame, kind: str, *, jobs: int | None = None, cache: bool = True) -> pd.DataFrame:
    """Rows of ``kind`` for ``articles`` (with their ``article_id``), computing only what is missing."""
    ann = annotator(kind)
    if not cache:
        return ann.fn(articles)
    d = store_dir(kind, ann.version)
    have, done = _read_dir(d)
    hashes = articles["content_hash"]
    todo = articles[~hashes.isin(done)].drop_duplicates("content_hash")
    if len(todo):
        new = ann.fn(todo)
        id2hash = dict(zip(todo["article_id"], todo["content_hash"]))
        new = new.assign(content_hash=new["article_id"].map(id2hash)).drop(columns=["article_id"])
        done_marker = pd.DataFrame({"content_hash": todo["content_hash"].unique()})
        d.mkdir(parents=True, exist_ok=True)
        name = uuid.uuid4().hex
        with atomic_path(d / f"part-{name}.parquet") as tmp:
            new.to_parquet(tmp, index=False)
        with atomic_path(d / f"done-{name}.parquet") as tmp:
            done_marker.to_parquet(tmp, index=False)
        have = pd.concat([have, new], ignore_index=True) if len(have) else new
        done |= set(done_marker["content_hash"])
    rows = have[have["content_hash"].isin(set(hashes))]
    out = articles[["article_id", "content_hash"]].merge(rows, on="content_hash", how="inner")
    return out.drop(columns=["content_hash"]).reset_index(drop=True)


def _read_dir(d: Path) -> tuple[pd.DataFrame, set[str]]:
    """All rows in ``d`` and the content hashes they cover. A part counts only once its
    ``done-`` marker exists (written last), so a run interrupted mid-write is never read."""
    if not d.is_dir():
        return pd.DataFrame(columns=["content_hash"]), set()
    parts, done_hashes = [], set()
    for done in sorted(d.glob("done-*.parquet")):
        part = d / done.name.replace("done-", "part-", 1)
        try:
            rows = pd.read_parquet(part)
            hashes = pd.read_parquet(done)["content_hash"]
        except Exception as exc:
            log.warning("store file %s is unreadable (%s); it will be recomputed", part, exc)
            done.unlink(missing_ok=True)
            continue
        parts.append(rows)
        done_hashes.update(hashes)
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["content_hash"])
    return rows, done_hashes
