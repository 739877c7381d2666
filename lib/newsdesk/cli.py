"""The ``newsdesk`` command line.

    newsdesk load CORPUS --out DIR          articles.parquet + rejects.csv
    newsdesk annotate CORPUS [--jobs N]     fill the annotation store
    newsdesk quotes CORPUS --out FILE       quotes as .jsonl, .csv or .parquet
    newsdesk report CORPUS --out DIR        run the notebooks, write HTML and an index
    newsdesk doctor [CORPUS]                verify every cache and store file, repair what it can

Every command exits non-zero with a message naming the file and what to do when input is bad.
Each subcommand lives in its own ``_cmd_*`` function and is added in ``build_parser``.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from . import __version__
from .errors import NewsdeskError

__all__ = ["UserError", "check_writable", "build_parser", "main"]


class UserError(NewsdeskError):
    """A problem the user can fix; printed without a traceback, exit code 2."""


def _add_follow_links(p) -> None:
    p.add_argument("--follow-external-links", action="store_true", default=None,
                   help="read symlinks that lead out of the corpus folder (by default they are rejects: "
                        "'links outside the corpus')")


def _refuse_out_in_corpus(out: Path, corpus: str) -> None:
    """Outputs are never written into the corpus (nor over it); beside it is fine."""
    from .params import ReportError
    from .publish import _check_not_corpus

    try:
        _check_not_corpus(out, corpus, containing=False)
    except ReportError as exc:
        raise UserError(str(exc)) from None


def _existing_ancestor(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def check_writable(path: Path, *, file: bool = False, beside: bool = False, option: str = "--out") -> None:
    """Fail now, with the one-line message (exit status 2), when ``path`` cannot be written: a
    folder (``file=False``: it, or where it would be made; ``beside=True``: its parent too, for a
    folder built beside it and renamed into place) or a file (its folder). Checked before
    the long work by creating and removing a temporary file where the output will go, so a
    read-only folder, a path under a regular file or under ``/proc`` is caught up front.

    >>> check_writable(Path("/tmp/nd-out"))
    """
    import tempfile

    kind = "file" if file else "folder"
    fix = f"Choose a writable {option} {kind}."
    if file and path.is_dir():
        raise UserError(f"{option} {path} is a folder; give a file name")
    if not file and not beside and path.exists() and not path.is_dir():
        raise UserError(f"cannot write to {path}: it is a file, not a folder. {fix}")
    where = _existing_ancestor(path.parent if file or beside else path)
    if not where.is_dir():
        raise UserError(f"cannot write to {path}: {where} is not a folder. {fix}")
    try:
        fd, probe = tempfile.mkstemp(prefix=".newsdesk-probe-", dir=where)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UserError(f"cannot write to {path}: {exc.strerror or exc}. {fix}") from None


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
    _add_follow_links(p)
    p.set_defaults(func=_cmd_load)


def _write_load_outputs(out: Path, articles, rej) -> None:
    from .atomic import atomic_path
    from .tables import write_csv

    try:
        out.mkdir(parents=True, exist_ok=True)
        with atomic_path(out / "articles.parquet") as tmp:
            articles.to_parquet(tmp, index=False)
        with atomic_path(out / "rejects.csv") as tmp:
            write_csv(rej, tmp)
    except OSError as exc:
        raise UserError(f"cannot write to {out}: {exc.strerror or exc}. Choose a writable --out folder.") from None


def _cmd_load(args) -> int:
    from .corpus import load_corpus, rejects
    from .records import ARTICLE_COLUMNS, UnreadableCorpusError

    sections = [s.strip() for s in args.sections.split(",") if s.strip()] if args.sections else None
    _refuse_out_in_corpus(args.out, args.corpus)
    check_writable(args.out)
    try:
        articles = load_corpus(args.corpus, strict=args.strict, jobs=args.jobs, cache=not args.no_cache,
                               date_from=args.date_from, date_to=args.date_to, sections=sections,
                               follow_external_links=args.follow_external_links)
    except UnreadableCorpusError as exc:
        # nothing is lost: the reasons go to rejects.csv beside an empty articles table
        import pandas as pd

        _write_load_outputs(args.out, pd.DataFrame(columns=ARTICLE_COLUMNS), exc.rejects)
        raise UserError(f"{exc} Every reason is listed in {args.out / 'rejects.csv'}.") from None
    rej = rejects(articles)
    _write_load_outputs(args.out, articles, rej)
    print(f"{len(articles)} articles, {len(rej)} rejected")
    return 0


# --------------------------------------------------------------------------- report
def _add_report(sub) -> None:
    p = sub.add_parser(
        "report", help="run the notebooks and publish HTML reports with an index page",
        description="Run every notebooks/NN-*.ipynb on CORPUS with validated parameters and write the executed "
                    "notebooks, one self-contained HTML report each and index.html to --out. Exit status: 0 all "
                    "reports built, 1 some notebook failed (the index shows which), 2 bad input (nothing ran).")
    p.add_argument("corpus", nargs="?", help="folder, file or glob of seed-format articles")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: reports/)")
    p.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[],
                   help="set a parameter (repeatable); VALUE is read as YAML/JSON for non-text types: "
                        "-p top_n 5, -p sections '[\"World\"]'")
    p.add_argument("-f", "--params-file", type=Path, default=None, help="YAML file of NAME: VALUE parameters")
    p.add_argument("--notebooks", default=None, help="run a subset, e.g. 02,03 or sentiment,quotes")
    p.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2",
                   help="one report set per value (repeatable: every combination), e.g. --grid section=World,Business")
    p.add_argument("--with-code", action="store_true", help="keep the code cells in the HTML")
    p.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: all cores)")
    p.add_argument("--timeout", type=int, default=None, help="seconds one cell may run (default: no limit)")
    p.add_argument("--notebooks-dir", type=Path, default=None, help="where the notebooks are (default: notebooks/)")
    p.add_argument("--help-params", action="store_true", help="list every notebook's parameters and exit")
    _add_follow_links(p)
    p.set_defaults(func=_cmd_report)


def _cmd_report(args) -> int:
    from . import config
    from . import params
    from .report import build_reports

    try:
        specs = params.discover_notebooks(args.notebooks_dir, select=args.notebooks)
        if args.help_params:
            print(params.help_params(specs))
            return 0
        if not args.corpus:
            raise UserError("give a CORPUS: newsdesk report CORPUS --out DIR (the sample is data/sample)")
        values, raw = params.parse_cli_params(args.param, args.params_file)
        params.resolve_params(values, specs, raw=raw)  # fail fast, before the corpus is read
        out = args.out or config.REPORTS_DIR
        # the report is built in a sibling folder of --out and renamed into place
        check_writable(Path(out).absolute(), beside=True)
        sets = build_reports(args.corpus, out, params=values, raw=raw, notebooks=args.notebooks,
                             notebooks_dir=args.notebooks_dir, grid=args.grid, with_code=args.with_code,
                             jobs=args.jobs, timeout=args.timeout, echo=lambda s: print(s, file=sys.stderr),
                             follow_external_links=args.follow_external_links)
    except params.ReportError as exc:
        raise UserError(str(exc)) from None
    except KeyboardInterrupt:
        print(f"newsdesk report: interrupted; {args.out or config.REPORTS_DIR} is unchanged", file=sys.stderr)
        return 130
    failed = [(s, r) for s in sets for r in s.failed]
    index = Path(out).absolute() / "index.html"
    if failed:
        for s, r in failed:
            where = f"{s.folder}/{r.name}" if s.folder else r.name
            print(f"newsdesk report: {where} failed: {r.error}", file=sys.stderr)
        print(f"{len(failed)} report(s) failed; the others are in {index}", file=sys.stderr)
        return 1
    print(f"{sum(len(s.results) for s in sets)} reports: {index}")
    return 0


# --------------------------------------------------------------------------- annotate
def _add_annotate(sub) -> None:
    p = sub.add_parser("annotate", help="fill the annotation store (sentences, quotes, ...) once, for every notebook")
    p.add_argument("corpus", help="folder, file or glob of seed-format articles")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="run on this Dask distributed scheduler instead of local processes")
    p.add_argument("--kinds", default=None,
                   help="annotations to compute, comma-separated (default: all registered)")
    p.add_argument("--compact", action="store_true", help="merge each kind's store into one part at the end")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    _add_follow_links(p)
    p.set_defaults(func=_cmd_annotate)


def _cmd_annotate(args) -> int:
    import time

    from . import registry, storage, store
    from .corpus import load_corpus

    known = registry.kinds()
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()] if args.kinds else known
    unknown = [k for k in kinds if k not in known]
    if unknown:
        raise UserError(f"unknown annotation kind(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    if args.scheduler and "://" not in args.scheduler:
        raise UserError(f"--scheduler {args.scheduler!r} should look like tcp://HOST:8786")
    if args.jobs is not None and args.jobs < 1:
        raise UserError("--jobs must be 1 or more")
    from . import config
    from .cache import ReadOnlyCacheError

    # annotate only fills the store: with a cache that cannot be written it would do nothing lasting
    check_writable(config.CACHE_DIR, option="NEWSDESK_CACHE")
    articles = load_corpus(args.corpus, jobs=args.jobs, follow_external_links=args.follow_external_links)
    scheduler = None
    if args.scheduler:
        try:
            from distributed import Client

            scheduler = Client(args.scheduler, timeout="20s", set_as_default=False)
        except OSError as exc:
            raise UserError(f"cannot reach the Dask scheduler at {args.scheduler}: {exc}") from None
    try:
        for kind in kinds:
            t0 = time.perf_counter()
            try:
                n = store.annotate(articles, [kind], jobs=args.jobs, scheduler=scheduler,
                                   progress=False if args.no_progress else None)[kind]
            except ReadOnlyCacheError as exc:
                raise UserError(str(exc.strerror or exc)) from None
            if args.compact:
                storage.compact(kind)
            dt = time.perf_counter() - t0
            rate = f", {n / dt:,.0f} articles/s" if n and dt > 0 else ""
            repaired = storage.take_repairs()
            fixed = (f"; {len(repaired)} damaged store file(s) set aside and their articles recomputed: "
                     + ", ".join(p for p, _ in repaired)) if repaired else ""
            print(f"{kind}: {n:,} computed, {len(articles) - n:,} from the store ({dt:.1f} s{rate}){fixed}")
    finally:
        if scheduler is not None:
            scheduler.close()
    print(f"store: {storage.store_dir(kinds[0]).parent}" if kinds else "nothing to annotate")
    return 0


# --------------------------------------------------------------------------- quotes
_QUOTE_FORMATS = (".jsonl", ".csv", ".parquet")


def _add_quotes(sub) -> None:
    p = sub.add_parser("quotes", help="direct quotes with their speakers, as .jsonl, .csv or .parquet")
    p.add_argument("corpus", help="folder, file or glob of seed-format articles")
    p.add_argument("--out", required=True, type=Path, help="output file; the format follows the extension "
                   "(.jsonl, .csv or .parquet)")
    p.add_argument("--aliases", type=Path, default=None,
                   help="CSV canonical,alias that overrides speaker merging (default: data/aliases.csv if present)")
    p.add_argument("--min-words", type=int, default=0, help="drop quotes shorter than this many words")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--no-cache", action="store_true", help="compute again instead of using the annotation store")
    _add_follow_links(p)
    p.set_defaults(func=_cmd_quotes)


def _cmd_quotes(args) -> int:
    import os

    from . import config
    from .atomic import atomic_path
    from .corpus import load_corpus
    from .speakers import quotes
    from .tables import write_csv

    suffix = args.out.suffix.lower()
    if suffix not in _QUOTE_FORMATS:
        raise UserError(f"--out {args.out}: unknown format {suffix or '(no extension)'!r}; "
                        f"use one of {', '.join(_QUOTE_FORMATS)}")
    if args.min_words < 0:
        raise UserError("--min-words must be 0 or more")
    aliases = args.aliases if args.aliases is not None else config.ALIASES_FILE
    if args.aliases is not None and not args.aliases.exists():
        raise UserError(f"aliases file {args.aliases} does not exist; it needs columns canonical,alias")
    _refuse_out_in_corpus(args.out, args.corpus)
    check_writable(args.out, file=True)
    articles = load_corpus(args.corpus, jobs=args.jobs, follow_external_links=args.follow_external_links)
    try:
        q = quotes(articles, aliases=aliases, min_words=args.min_words, cache=not args.no_cache)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    q.insert(0, "article", q["path"].astype("object").map(lambda p: os.path.basename(p) if isinstance(p, str) else p))
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(args.out) as tmp:
            if suffix == ".parquet":
                q.to_parquet(tmp, index=False)
            elif suffix == ".csv":
                write_csv(q, tmp)
            else:
                out = q.copy()
                out["date"] = out["date"].map(lambda d: d.isoformat() if hasattr(d, "isoformat") else None)
                out = out.astype("object").where(out.notna(), None)
                out.to_json(tmp, orient="records", lines=True, force_ascii=False)
    except OSError as exc:
        raise UserError(f"cannot write {args.out}: {exc.strerror or exc}. Choose a writable --out path.") from None
    print(f"{len(q):,} quotes from {q['article_id'].nunique():,} of {len(articles):,} articles, "
          f"{q['speaker'].nunique():,} speakers -> {args.out}")
    return 0


# --------------------------------------------------------------------------- doctor
def _add_doctor(sub) -> None:
    p = sub.add_parser(
        "doctor", help="verify every load cache and store file (checksums); set aside damaged ones",
        description="Verify the checksum, size and schema of every file in the cache folder (NEWSDESK_CACHE): "
                    "load caches and annotation store parts. Damaged files are deleted, so they are rebuilt "
                    "from the corpus on next use (now, when CORPUS is given). Exit status: 0 every file is "
                    "sound, 1 damaged files were found and set aside (rebuilt if CORPUS was given), 2 damaged "
                    "files could not be set aside (the cache is not writable) or bad input.")
    p.add_argument("corpus", nargs="?", help="rebuild what was set aside from this corpus")
    p.add_argument("--check", action="store_true", help="only report; change nothing")
    p.add_argument("--jobs", type=int, default=None, help="worker processes for rebuilding (default: all cores)")
    p.set_defaults(func=_cmd_doctor)


def _cmd_doctor(args) -> int:
    from . import cache, config, storage, store

    repair = not args.check
    n_loads, bad_loads = cache.verify_all(repair=repair)
    n_parts, bad_parts = storage.verify(repair=repair)
    bad = bad_loads + bad_parts
    for path, why, fixed in bad:
        what = "deleted: rebuilt on next use" if fixed else ("left in place (--check)" if not repair
                                                             else "could NOT be deleted")
        print(f"damaged: {path}: {why} ({what})")
    print(f"checked {n_loads} load cache file(s) and {n_parts} store part(s) in {config.CACHE_DIR}: "
          f"{len(bad)} damaged")
    if not bad:
        return 0
    if not repair:
        return 1
    if any(not fixed for _, _, fixed in bad):
        print("newsdesk doctor: some damaged files remain; delete them or set NEWSDESK_CACHE to a writable "
              "folder", file=sys.stderr)
        return 2
    if args.corpus:
        from .corpus import load_corpus

        articles = load_corpus(args.corpus, jobs=args.jobs)
        done = store.annotate(articles, jobs=args.jobs, progress=False)
        print("rebuilt from the corpus: " + ", ".join(f"{k}: {n:,} articles" for k, n in done.items()))
    return 1


# --------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__.split("\n\n")[0].replace("``", ""))
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_load(sub)
    _add_annotate(sub)
    _add_quotes(sub)
    _add_report(sub)
    _add_doctor(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except (NewsdeskError, FileNotFoundError) as exc:   # every newsdesk error: one line, exit 2
        print(f"newsdesk {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a folder that cannot be written (an output, the cache): one line, no traceback
        print(f"newsdesk {args.command}: error: {_os_error(exc)}", file=sys.stderr)
        if args.verbose:
            raise
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _os_error(exc: OSError) -> str:
    """One line for a filesystem error: what failed, on which path, and what to do."""
    from . import config

    name = exc.filename if exc.filename is not None else ""
    what = f"{exc.strerror or exc}" + (f": {name}" if name else "")
    try:
        in_cache = bool(name) and Path(os.fsdecode(name)).absolute().is_relative_to(config.CACHE_DIR)
    except (TypeError, ValueError):
        in_cache = False
    if in_cache:
        return f"{what}. The cache folder {config.CACHE_DIR} cannot be used; set NEWSDESK_CACHE to a writable folder."
    return f"{what}. Check that the folder exists and is writable (--out)."


if __name__ == "__main__":
    sys.exit(main())
