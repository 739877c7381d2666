"""Paths and defaults, in one place.

Every module that needs a directory, a file name or a default value takes it
from here. Override with environment variables rather than editing code:

- ``NEWSDESK_HOME``: the project folder (default: the checkout this package lives in,
  or the current directory when installed elsewhere);
- ``NEWSDESK_CACHE``: where load caches and the annotation store go
  (default: ``$NEWSDESK_HOME/data/cache``);
- ``NEWSDESK_JOBS``: worker processes for per-article work (default: all cores);
- ``ARROW_DEFAULT_MEMORY_POOL``: Arrow's allocator (default here: ``jemalloc``, see
  :data:`ARROW_MEMORY_POOL`).
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PROJECT_ROOT", "DATA_DIR", "SAMPLE_CORPUS", "ALIASES_FILE", "EVENTS_FILE", "NOTEBOOKS_DIR",
           "REPORTS_DIR", "CACHE_DIR", "SHARED_DIR", "ARROW_MEMORY_POOL", "use_arrow_pool", "KERNEL_NAME",
           "default_jobs", "FOLLOW_LINKS_ENV", "follow_external_links", "PARALLEL_MIN_FILES",
           "PROGRESS_MIN_FILES", "MAX_FILE_BYTES", "MAX_HEADER_CHARS", "MAX_REJECTS_PER_FILE",
           "FREQ_ALIASES", "DEFAULT_FREQ", "NO_SECTION", "TABLE_MAX_ROWS", "STORE_MIN_PARALLEL", "STORE_MIN_CHUNK",
           "STORE_MAX_CHUNK", "STORE_FLUSH_ARTICLES", "STORE_FLUSH_SECONDS", "STORE_MAX_PARTS",
           "LOAD_WRITE_BEHIND_ROWS", "LOAD_BATCH_FILES",
           "TERM_INDEX_CACHE_SETS", "TERM_HITS_SETS", "QUOTE_YIELD_LOW", "QUOTE_YIELD_MIN_ARTICLES", "SUBJECT_SAMPLE",
           "SUBJECT_SAMPLE_SEED", "SPIKE_MIN_PERIODS", "SPIKE_MIN_RATIO", "SPIKE_MIN_ARTICLES",
           "EVENTS_NAME", "events_for", "TONE_METHOD",
           "EXPORT_DIR_ENV", "TABLE_PAGE_ROWS", "TABLE_EMBED_MAX_ROWS", "EXPLORER_MAX_QUOTES",
           "EXPLORER_STATIC_ROWS", "EXPLORER_CONTEXT_CHARS"]

_PKG_DIR = Path(__file__).resolve().parent


def _default_home() -> Path:
    checkout = _PKG_DIR.parent.parent  # lib/newsdesk -> project root
    if (checkout / "pyproject.toml").exists() and (checkout / "notebooks").is_dir():
        return checkout
    return Path.cwd()


PROJECT_ROOT: Path = Path(os.environ.get("NEWSDESK_HOME") or _default_home()).resolve()
DATA_DIR: Path = PROJECT_ROOT / "data"
SAMPLE_CORPUS: Path = DATA_DIR / "sample"
ALIASES_FILE: Path = DATA_DIR / "aliases.csv"
EVENTS_FILE: Path = DATA_DIR / "events.csv"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"
REPORTS_DIR: Path = PROJECT_ROOT / "reports"
CACHE_DIR: Path = Path(os.environ.get("NEWSDESK_CACHE") or (DATA_DIR / "cache")).resolve()
SHARED_DIR: Path = PROJECT_ROOT.parent / "shared"

ARROW_MEMORY_POOL: str = os.environ.get("ARROW_DEFAULT_MEMORY_POOL") or "jemalloc"
"""Arrow's allocator for everything newsdesk builds: ``jemalloc`` unless the environment variable
``ARROW_DEFAULT_MEMORY_POOL`` names another (``mimalloc``, pyarrow's own default, or ``system``).
Here jemalloc halves the time the kernel spends mapping fresh memory: a warm read of every store
row takes 0.5-0.7 s instead of 1.5-1.8 s, and each report notebook 10-25% less (benchmarks)."""


def use_arrow_pool() -> None:
    """Make :data:`ARROW_MEMORY_POOL` pyarrow's default memory pool (a build without it keeps
    its own). Called when the modules that build Arrow data are imported.

    >>> use_arrow_pool()
    """
    import pyarrow as pa

    pool = getattr(pa, f"{ARROW_MEMORY_POOL}_memory_pool", None)
    try:
        if pool is not None and pa.default_memory_pool().backend_name != ARROW_MEMORY_POOL:
            pa.set_memory_pool(pool())
    except (NotImplementedError, pa.ArrowException):
        pass


KERNEL_NAME: str = "newsdesk"
"""The Jupyter kernel that ``make`` registers and the report runner uses."""


def default_jobs() -> int:
    """Worker processes for per-article work: ``NEWSDESK_JOBS`` or every core."""
    env = os.environ.get("NEWSDESK_JOBS")
    if env:
        return max(1, int(env))
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


EXPORT_DIR_ENV: str = "NEWSDESK_EXPORT_DIR"
"""Set by ``newsdesk report`` for each notebook's kernel: the folder where ``tables.interactive``
writes each table's CSV (``explore.export_files`` names and moves them), instead of sending the
whole table through the notebook's outputs."""
FOLLOW_LINKS_ENV: str = "NEWSDESK_FOLLOW_EXTERNAL_LINKS"
"""Environment variable: ``1`` makes ``load_corpus`` follow symlinks that lead out of the corpus."""


def follow_external_links() -> bool:
    """``load_corpus``'s default for ``follow_external_links``: off unless ``NEWSDESK_FOLLOW_EXTERNAL_LINKS=1``."""
    return os.environ.get(FOLLOW_LINKS_ENV, "").strip().lower() in ("1", "true", "yes")


PARALLEL_MIN_FILES: int = 2000
"""Loads of fewer files than this are parsed in-process (worker start-up costs more)."""
PROGRESS_MIN_FILES: int = 3000
"""Loads of more files than this show a tqdm progress bar."""
MAX_FILE_BYTES: int = 50 * 1024 * 1024
"""Files larger than this are rejected unread ("file too large"): no article is 50 MB."""
MAX_HEADER_CHARS: int = 10_000
"""A ``## Key:`` value longer than this rejects its article (a malformed header block)."""
MAX_REJECTS_PER_FILE: int = 100
"""At most this many rejects are listed per file; one more row counts the rest."""

FREQ_ALIASES: dict[str, str] = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
"""pandas period codes for each ``freq`` (checked by ``periods.check_freq``, the one check): weeks
run Monday to Sunday everywhere."""
DEFAULT_FREQ: str = "month"
"""Default period for timelines: ``day``, ``week``, ``month``, ``quarter`` or ``year``."""
NO_SECTION: str = "(no section)"
"""The section of an article without a ``## Section:`` value, in every table and chart."""
TABLE_MAX_ROWS: int = 200
"""Rows a table in a notebook or report shows at most (``tables.show``); the caption says when
rows were left out."""
TABLE_PAGE_ROWS: int = 15
"""Rows per page of an interactive table in a report (the reader can choose 50 or 200)."""
TABLE_EMBED_MAX_ROWS: int = 1_000
"""Rows an interactive table embeds in a report page at most (its CSV next to the page always
holds every row; the table says when rows were left out)."""
EXPLORER_MAX_QUOTES: int = 3_000
"""Quotes the quote explorer of ``03-quotes`` embeds at most: above it, the most recent ones, and
the page says so; ``tables/03-quotes/...-every-quote.csv`` next to the page holds them all (with
the sentence around each for the embedded ones). About 0.37 KB of page per quote: the cap keeps
the page near 2 MB on a 20,000-article archive."""
EXPLORER_STATIC_ROWS: int = 50
"""Quotes of the explorer's static table (what a reader without scripts sees; the page's weight)."""
EXPLORER_CONTEXT_CHARS: int = 160
"""Characters of the sentence kept on each side of a quote in the quote explorer."""

# --------------------------------------------------------------------------- annotation store (store.py, storage.py)
STORE_MIN_PARALLEL: int = 200
"""Annotate fewer missing articles than this in-process (worker start-up costs more)."""
STORE_MIN_CHUNK: int = 25
STORE_MAX_CHUNK: int = 250
"""Articles per chunk sent to a worker (bounds for ``missing / (jobs * 8)``)."""
STORE_FLUSH_ARTICLES: int = 5000
STORE_FLUSH_SECONDS: float = 30.0
"""Finished chunks are saved as a store part every this many articles or seconds, whichever
comes first: an interrupted run loses at most that much work."""
STORE_MAX_PARTS: int = 16
"""Small parts of a kind are merged when there are more than this many."""
LOAD_WRITE_BEHIND_ROWS: int = 5_000
"""A load cache of at least this many rows is written in a background thread while the load
returns (cache.py); smaller ones are written before it returns."""
LOAD_BATCH_FILES: int = 20_000
"""A cold load parses this many files at a time and converts them to Arrow before the next batch,
so peak memory stays near the size of the articles frame (cache.py)."""

# --------------------------------------------------------------------------- analyses in a session
TERM_INDEX_CACHE_SETS: int = 1
"""Article sets whose searchable text (timeline.py's term index) is kept for the next search; each
holds its lower-cased text."""
TERM_HITS_SETS: int = 32
"""Article sets whose term hits are kept on disk, under ``CACHE_DIR/hits/`` (search.HitsFolder):
the sets used last; a set costs an eighth of a byte per article and term searched."""

# --------------------------------------------------------------------------- quotes (quotes.py)
QUOTE_YIELD_LOW: float = 0.25
"""A publisher, section or agency whose quotes per article fall below this share of the median of
the groups is flagged by ``speakers.quote_yield``: its quotation marks may be ones the extractor
does not read, so its speakers would be missing from every chart."""
QUOTE_YIELD_MIN_ARTICLES: int = 10
"""Groups with fewer articles than this are listed but never flagged (too few to tell)."""


# --------------------------------------------------------------------------- subjects (entities)
#: Articles read to choose a report's default subjects (a seeded random sample of a larger corpus:
#: the commonest names of a few thousand articles are those of the whole archive).
SUBJECT_SAMPLE: int = 2000
SUBJECT_SAMPLE_SEED: int = 0

# --------------------------------------------------------------------------- spikes (05-keywords)
#: Fewest periods a corpus must span before one of them can be a spike.
SPIKE_MIN_PERIODS: int = 3
#: How far above its median attention a period must be to count as a spike.
SPIKE_MIN_RATIO: float = 1.5
#: Fewest articles mentioning a subject in a period for the period to be one of its spikes.
SPIKE_MIN_ARTICLES: int = 3


# --------------------------------------------------------------------------- events
#: The file of dated events (``date,label``) a corpus may carry, looked for by :func:`events_for`.
EVENTS_NAME: str = "events.csv"


def events_for(corpus) -> Path | None:
    """The events file that goes with a corpus: ``events.csv`` in the corpus folder, else in the
    folder that holds it; ``None`` when there is none. ``corpus`` is a folder, or articles from
    ``load_corpus`` (their ``attrs["root"]``). The bundled sample finds ``data/events.csv`` this
    way; another archive never gets the sample's events.

    >>> events_for(SAMPLE_CORPUS) == EVENTS_FILE
    True
    """
    root = getattr(corpus, "attrs", {}).get("root") if not isinstance(corpus, (str, os.PathLike)) else corpus
    if not root:
        return None
    root = Path(root)
    for folder in (root, root.parent):
        f = folder / EVENTS_NAME
        if f.is_file():
            return f
    return None


# --------------------------------------------------------------------------- tone
#: How term tone is scored by default: "news" (the shipped news-tone model, tone toward the
#: term's mention) or "vader" (VADER compound of the whole sentence).
TONE_METHOD: str = "news"
