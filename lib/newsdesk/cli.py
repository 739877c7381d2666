"""The ``newsdesk`` command line.

    newsdesk load CORPUS --out DIR          articles.parquet + rejects.csv
    newsdesk annotate CORPUS [--jobs N]     fill the annotation store
    newsdesk quotes CORPUS --out FILE       quotes as .jsonl, .csv or .parquet
    newsdesk report CORPUS --out DIR        run the notebooks, write HTML and an index

Every command exits non-zero with a message naming the file and what to do when input is bad.
Each subcommand lives in its own ``_cmd_*`` function and is added in ``build_parser``.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import __version__


class UserError(Exception):
    """A problem the user can fix; printed without a traceback, exit code 2."""


# --------------------------------------------------------------------------- load
def _add_load(sub) -> None:
    p = sub.add_parser("load", help="parse a corpus into articles.parquet and rejects.csv")
    p.add_argument("corpus", help="folder, file or glob of seed-format articles")
    p.add_argument("--out", required=True, type=Path, help="output folder")
    p.add_argument("--strict", action="store_true", help="stop at the first unreadable input")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--date-from", default=None, help="keep articles on or after this day (YYYY-MM-DD)")
    p.add_argument("--date-to", default=None, help="keep articles on or before this day (YYYY-MM-DD)")
    p.add_argument("--sections", default=None,
                   help="keep only these sections, comma-separated (case-insensitive)")
    p.add_argument("--no-cache", action="store_true", help="parse every file again")
    p.set_defaults(func=_cmd_load)


def _write_load_outputs(out: Path, articles, rej) -> None:
    from .atomic import atomic_path

    try:
        out.mkdir(parents=True, exist_ok=True)
        with atomic_path(out / "articles.parquet") as tmp:
            articles.to_parquet(tmp, index=False)
        with atomic_path(out / "rejects.csv") as tmp:
            rej.to_csv(tmp, index=False)
    except OSError as exc:
        raise UserError(f"cannot write to {out}: {exc.strerror or exc}. Choose a writable --out folder.") from None


def _cmd_load(args) -> int:
    from .corpus import ARTICLE_COLUMNS, UnreadableCorpusError, load_corpus, rejects

    sections = [s.strip() for s in args.sections.split(",") if s.strip()] if args.sections else None
    try:
        articles = load_corpus(args.corpus, strict=args.strict, jobs=args.jobs, cache=not args.no_cache,
                               date_from=args.date_from, date_to=args.date_to, sections=sections)
    except UnreadableCorpusError as exc:
        # nothing is lost: the reasons go to rejects.csv beside an empty articles table
        import pandas as pd

        _write_load_outputs(args.out, pd.DataFrame(columns=ARTICLE_COLUMNS), exc.rejects)
        raise UserError(f"{exc} Every reason is listed in {args.out / 'rejects.csv'}.") from None
    rej = rejects(articles)
    _write_load_outputs(args.out, articles, rej)
    print(f"{len(articles)} articles, {len(rej)} rejected")
    return 0


# --------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_load(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .corpus import CorpusError

    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except (UserError, CorpusError, FileNotFoundError) as exc:
        print(f"newsdesk {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
