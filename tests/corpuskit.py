"""Small seed-format corpora for the loader's tests (test_corpus, test_parse, test_decode, test_discover)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from newsdesk.corpus import load_corpus


def article(title: str = "Ministers meet in Brussels", *, date: str = "Friday, May 12, 2017 - 01:00",
            section: str = "World", supertitle: str = "", body: str = "The first paragraph.\n\nA second one.",
            wire: str | None = "- AFP", extra: tuple[tuple[str, str], ...] = (), eol: str = "\n") -> str:
    """One seed-format article (body starts with the repeated title, ends with a wire line)."""
    lines = [f"## Title: {title}", f"## Supertitle: {supertitle}", f"## Section: {section}",
             f"## Date: {date}", *[f"## {k}: {v}" for k, v in extra], "", title, "", body]
    if wire is not None:
        lines.append(wire)
    return eol.join(lines) + eol


def write(folder: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return p


def load1(folder: Path, content: str | bytes, name: str = "a.txt", **kw) -> pd.DataFrame:
    write(folder, name, content)
    return load_corpus(folder, cache=False, **kw)
