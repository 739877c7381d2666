"""The report runner: validated parameters in, self-contained HTML reports and an index page out.

``newsdesk report CORPUS --out DIR`` runs every ``notebooks/NN-name.ipynb`` with papermill on the
project's kernel, in parallel, and writes into ``DIR``:

- ``NN-name.ipynb``: the executed notebook (outputs, and the error when it failed);
- ``NN-name.html``: the rendered report, code hidden, images embedded, no external requests;
- ``index.html``: corpus facts, parameters, build time and version, one card per report with a
  link, a one-line summary and a thumbnail of its first chart; ``thumbs/``; ``report.log``.

Parameters are checked **before** anything runs, against the notebooks' ``parameters`` cells (the
one source of truth): an unknown name, a wrong type or an out-of-range value stops the run with a
message that names the parameter and what to do. Values reach the notebooks as values (papermill
writes them as escaped Python literals), never as code.

The report set is built in a hidden sibling folder and renamed into place at the end, so an
interrupted run leaves the previous report as it was.

>>> from newsdesk.report import discover_notebooks, resolve_params
>>> nbs = discover_notebooks()                                   # doctest: +SKIP
>>> resolve_params({"top_n": 5}, nbs)                            # doctest: +SKIP
>>> build_reports("data/sample", "reports", params={"top_n": 5})  # doctest: +SKIP
"""
from __future__ import annotations

import ast
import base64
import contextlib
import datetime as dt
import difflib
import functools
import hashlib
import io
import json
import logging
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from . import __version__, config
from . import resources as R

log = logging.getLogger("newsdesk.report")

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
MARKER = ".newsdesk-report.json"
"""The manifest every report folder holds; a folder without it is never replaced."""
MARKER_FORMAT = 2
"""Format of :data:`MARKER`: 2 lists every file the report wrote (``"files"``, paths relative to
the folder); a marker without ``"format"`` (format 1, newsdesk <= 0.4) is read by the file names
its ``"reports"`` and ``"sets"`` imply. Replacing a report deletes only the files its marker lists."""
WORKER_PRELOAD = ("newsdesk.parallel", "newsdesk.report", "papermill", "nbformat", "nbconvert", "PIL.Image")
"""Modules the notebook workers' fork server imports while the corpus loads, so that no worker
imports them again on its first notebook (about 1 s each). ``newsdesk.parallel`` comes first: it
makes the fork server end with the process that started it. (A default: to move into config.)"""
KERNEL_ARGS = ("--HistoryManager.enabled=False",)
"""Extra arguments of every notebook kernel, passed by papermill whatever the kernelspec: no IPython
history database (it would keep the executed code, with parameter values such as corpus paths,
outside ``--out`` and the cache)."""


class ReportError(ValueError):
    """A problem the user can fix (bad parameter, unknown notebook, unsafe output folder)."""


# =========================================================================== notebooks and parameters
@dataclass(frozen=True)
class Param:
    """One parameter as declared in a notebook's ``parameters`` cell."""

    name: str
    annotation: str
    default: Any
    help: str
    notebook: str
    line: int

    @property
    def choices(self) -> tuple[str, ...] | None:
        m = R.REPORT_CHOICES_RE.search(self.help)
        if m:
            return tuple(c.strip().strip("'\"") for c in m.group(1).split(",") if c.strip())
        return R.REPORT_KNOWN_CHOICES.get(self.name)

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """``(low, high)`` inclusive bounds for numbers: from ``[lo..hi]``/``[>=lo]`` in the comment,
        else the conventions in ``resources`` (counts >= 1, other non-negative defaults >= 0)."""
        m = R.REPORT_RANGE_RE.search(self.help)
        if m:
            lo = float(m["lo"]) if m["lo"] else None
            hi = float(m["hi"]) if m["hi"] else None
            if m["ge"]:
                lo = float(m["ge"])
            if m["le"]:
                hi = float(m["le"])
            return lo, hi
        d = self.default
        if isinstance(d, (int, float)) and not isinstance(d, bool):
            if R.REPORT_COUNT_PARAM_RE.search(self.name) and d >= 1:
                return 1, None
            if d >= 0:
                return 0, None
        return None, None


@dataclass
class Notebook:
    """A report notebook: its file, short key (``"02"``), title, one-line summary and parameters."""

    path: Path
    name: str
    key: str
    title: str
    summary: str
    params: dict[str, Param]


def _markdown_plain(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())


def describe(cells: Sequence[Mapping]) -> tuple[str, str]:
    """Title and one-line summary from a notebook's first markdown cell.

    >>> describe([{"cell_type": "markdown", "source": "# Tone\\n\\nHow **tone** moves. Takes `terms`."}])
    ('Tone', 'How tone moves.')
    """
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        src = _source(cell)
        title, para = "", []
        for line in src.splitlines():
            s = line.strip()
            if not title and s.startswith("#"):
                title = _markdown_plain(s.lstrip("#"))
                continue
            if not s:
                if para:
                    break
                continue
            if re.match(r"#|\||>|```|[-*+]\s|\d+\.\s", s) and not para:  # headings, tables, lists
                continue
            para.append(s)
        text = _markdown_plain(" ".join(para))
        m = re.match(r"(.+?[.!?])(\s|$)", text)
        summary = m.group(1) if m else text
        if len(summary) > R.REPORT_SUMMARY_MAX:
            summary = summary[: R.REPORT_SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"
        return title, summary
    return "", ""


def _source(cell: Mapping) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _comment_after(lines: list[str], lineno: int, col: int) -> str:
    line = lines[lineno - 1].encode("utf-8")[col:].decode("utf-8", "replace").strip()
    return line[1:].strip() if line.startswith("#") else ""


def _infer_annotation(value: Any) -> str:
    if value is None:
        return "Any"
    if isinstance(value, list):
        inner = {type(v).__name__ for v in value}
        return f"list[{inner.pop()}]" if len(inner) == 1 else "list"
    return type(value).__name__


def parse_parameters(source: str, *, notebook: str = "<notebook>") -> dict[str, Param]:
    """Parse a ``parameters`` cell of ``name: type = literal  # meaning`` lines.

    >>> p = parse_parameters('top_n: int = 10  # speakers to show [1..50]')["top_n"]
    >>> (p.annotation, p.default, p.help, p.bounds)
    ('int', 10, 'speakers to show [1..50]', (1.0, 50.0))
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ReportError(f"{notebook}: the parameters cell is not valid Python (line {exc.lineno}): {exc.msg}") from None
    lines = source.splitlines()
    out: dict[str, Param] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, ann, value = node.target.id, ast.unparse(node.annotation), node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, ann, value = node.targets[0].id, None, node.value
        else:
            raise ReportError(f"{notebook}: parameters cell line {node.lineno}: only `name: type = literal  # meaning` "
                              "lines belong in the parameters cell; move other code to the next cell")
        try:
            default = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            raise ReportError(f"{notebook}: parameters cell line {node.lineno}: the value of {name!r} is not a literal; "
                              "derived values go in the next cell") from None
        out[name] = Param(name, ann or _infer_annotation(default), default,
                          _comment_after(lines, node.end_lineno or node.lineno, node.end_col_offset or 0),
                          notebook, node.lineno)
    return out


def read_notebook_spec(path: str | os.PathLike) -> Notebook:
    """Read a notebook file (plain JSON, no kernel) into a :class:`Notebook`."""
    path = Path(path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"{path}: cannot read the notebook: {exc}") from None
    cells = nb.get("cells", [])
    tagged = [c for c in cells if "parameters" in (c.get("metadata", {}).get("tags") or [])]
    if len(tagged) > 1:
        raise ReportError(f"{path.name}: {len(tagged)} cells are tagged 'parameters'; keep exactly one")
    params = parse_parameters(_source(tagged[0]), notebook=path.stem) if tagged else {}
    title, summary = describe(cells)
    key = path.stem.split("-", 1)[0]
    return Notebook(path, path.stem, key, title or path.stem, summary, params)


def discover_notebooks(notebooks_dir: str | os.PathLike | None = None, *,
                       select: Sequence[str] | str | None = None) -> list[Notebook]:
    """The report notebooks ``NN-name.ipynb`` of a folder, in order; ``select`` keeps some
    (by number ``"02"``/``"2"``, name ``"sentiment"`` or stem ``"02-sentiment"``).

    >>> [nb.name for nb in discover_notebooks(select="02,03")]     # doctest: +SKIP
    ['02-sentiment', '03-quotes']
    """
    nb_dir = Path(notebooks_dir or config.NOTEBOOKS_DIR)
    paths = sorted(p for p in nb_dir.glob("*.ipynb") if R.REPORT_NOTEBOOK_RE.match(p.name))
    if not paths:
        raise ReportError(f"no report notebooks (NN-name.ipynb) in {nb_dir}")
    specs = [read_notebook_spec(p) for p in paths]
    if select:
        wanted = [s.strip() for s in (select.split(",") if isinstance(select, str) else select) if s.strip()]
        chosen: list[Notebook] = []
        for w in wanted:
            hits = [nb for nb in specs if w in (nb.name, nb.key, nb.name.split("-", 1)[-1])
                    or (w.isdigit() and nb.key.isdigit() and int(w) == int(nb.key))]
            if not hits:
                names = ", ".join(nb.name for nb in specs)
                raise ReportError(f"--notebooks: no notebook {w!r}. Available: {names}")
            chosen.extend(h for h in hits if h not in chosen)
        specs = [nb for nb in specs if nb in chosen]
    return specs


# =========================================================================== type checking
class _Mismatch(Exception):
    pass


def _alternatives(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _alternatives(node.left) + _alternatives(node.right)
    if isinstance(node, ast.Subscript) and _name(node.value) in ("Optional", "Union"):
        sl = node.slice
        parts = list(sl.elts) if isinstance(sl, ast.Tuple) else [sl]
        alts = [a for p in parts for a in _alternatives(p)]
        return alts + ([ast.Constant(None)] if _name(node.value) == "Optional" else [])
    return [node]


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ""


def _coerce(value: Any, node: ast.expr) -> Any:
    for alt in _alternatives(node):
        try:
            return _coerce_one(value, alt)
        except _Mismatch:
            continue
    raise _Mismatch


def _coerce_one(value: Any, node: ast.expr) -> Any:
    kind = _name(node.value) if isinstance(node, ast.Subscript) else _name(node)
    kind = kind.lower()
    if kind == "none":
        if value is None:
            return None
    elif kind == "str":
        if isinstance(value, str):
            return value
        if isinstance(value, (dt.date, dt.datetime)):  # YAML turns 2017-05-01 into a date
            return value.isoformat()
        if isinstance(value, (int, float)) and not isinstance(value, bool):  # YAML `term: 2017`
            return str(value)
    elif kind == "bool":
        if isinstance(value, bool):
            return value
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
    elif kind == "float":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif kind in ("list", "sequence", "tuple", "set"):
        if isinstance(value, (list, tuple)):
            if isinstance(node, ast.Subscript):
                inner = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
                return [_coerce(v, inner) for v in value]
            return list(value)
    elif kind in ("dict", "mapping"):
        if isinstance(value, dict):
            return dict(value)
    else:  # Any, object or a type we do not know: accept the literal as it is
        return value
    raise _Mismatch


def _allows(annotation: str, kind: str) -> bool:
    node = ast.parse(annotation, mode="eval").body
    return any((_name(a.value) if isinstance(a, ast.Subscript) else _name(a)).lower() == kind
               for a in _alternatives(node))


def _describe_value(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def coerce_value(param: Param, value: Any, *, from_cli: bool = False) -> Any:
    """Check ``value`` against the parameter's declared type and bounds; return it coerced.

    ``from_cli=True`` treats ``value`` as the raw command-line text: a ``str`` parameter takes it
    verbatim; other types read it as a YAML/JSON literal (``5``, ``true``, ``["World"]``); a list
    parameter given one bare word gets a one-item list.

    >>> p = Param("top_n", "int", 10, "", "nb", 1)
    >>> coerce_value(p, "5", from_cli=True)
    5
    >>> coerce_value(p, "-1", from_cli=True)
    Traceback (most recent call last):
    ...
    newsdesk.report.ReportError: top_n must be >= 1, got -1 (parameter of nb)
    """
    try:
        node = ast.parse(param.annotation, mode="eval").body
    except SyntaxError:
        node = ast.Name("Any")
    where = f" (parameter of {param.notebook})"
    if from_cli and isinstance(value, str):
        value = _from_cli(param, value, node, where)
    try:
        out = _coerce(value, node)
    except _Mismatch:
        raise ReportError(f"{param.name} must be {param.annotation}, got {_describe_value(value)}{where}"
                          + _type_hint(param)) from None
    _check_value(param, out, where)
    return out


def _type_hint(param: Param) -> str:
    if _allows(param.annotation, "list"):
        return f". Give a list, e.g. -p {param.name} '[\"a\", \"b\"]'"
    return ""


def _from_cli(param: Param, raw: str, node: ast.expr, where: str) -> Any:
    import yaml

    alts = {(_name(a.value) if isinstance(a, ast.Subscript) else _name(a)).lower() for a in _alternatives(node)}
    if alts <= {"str", "none"}:
        return None if raw == "null" and "none" in alts else raw
    try:
        parsed = yaml.safe_load(raw)
    except yaml.YAMLError:
        parsed = raw
        if raw.lstrip().startswith(("[", "{")):
            raise ReportError(f"{param.name}: {raw!r} looks like a list but is not valid YAML/JSON{where}") from None
    try:
        return _coerce(parsed, node)
    except _Mismatch:
        pass
    if "str" in alts:
        return raw
    if "list" in alts and not isinstance(parsed, list):
        return [raw]
    return parsed


def _check_value(param: Param, value: Any, where: str) -> None:
    name = param.name
    vals = value if isinstance(value, list) else [value]
    if R.REPORT_DATE_PARAM_RE.search(name):
        for v in vals:
            if isinstance(v, str) and v.strip():  # "" means no limit
                check_date(v, name=name, where=where)
    if name in R.REPORT_EVENT_PARAMS and value and value != "auto":   # "auto": the corpus's own events.csv
        from .charts import read_events

        try:
            read_events(value)
        except (ValueError, OSError, KeyError) as exc:
            raise ReportError(f"{name}: {exc}{where}") from None
    if name in R.REPORT_TERM_PARAMS and isinstance(value, (str, list)):
        from .text import parse_terms

        try:   # "" or [] means "chosen from the corpus" (entities.terms_or_auto)
            parse_terms(value)
        except ValueError as exc:
            raise ReportError(f"{name}: {exc}{where}") from None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        lo, hi = param.bounds
        if lo is not None and value < lo:
            raise ReportError(f"{name} must be >= {_num(lo)}, got {value}{where}")
        if hi is not None and value > hi:
            raise ReportError(f"{name} must be <= {_num(hi)}, got {value}{where}")
    choices = param.choices
    if choices:
        for v in vals:
            if isinstance(v, str) and v not in choices:
                close = difflib.get_close_matches(v, choices, n=1)
                raise ReportError(f"{name} must be one of {', '.join(choices)}; got {v!r}{where}"
                                  + (f". Did you mean {close[0]!r}?" if close else ""))


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


_PANDAS_YEARS = (1677, 2262)
"""The years of ``pd.Timestamp.min`` and ``max`` (nanoseconds since 1970 in 64 bits; a test checks
them), kept here so that checking a date does not import pandas."""


def _pandas_days() -> tuple[dt.date, dt.date]:
    """The first and last day of the whole years pandas can hold (``pd.Timestamp.min``/``max``
    fall inside 1677 and 2262): within them every day, week, month and year a notebook groups
    by fits as well."""
    return dt.date(_PANDAS_YEARS[0] + 1, 1, 1), dt.date(_PANDAS_YEARS[1] - 1, 12, 31)


def date_span(value: str, *, name: str = "date", where: str = "") -> tuple[dt.datetime, dt.datetime]:
    """The first and last second a date parameter covers (``2017-05`` is all of May), raising
    :class:`ReportError` with the fix when it is not a real date or lies outside the whole years
    pandas can hold (1678-01-01 to 2261-12-31: ``pd.Timestamp.min``/``max`` fall inside 1677 and
    2262, and a week or month around a date must fit too).

    >>> date_span("2017-05")
    (datetime.datetime(2017, 5, 1, 0, 0), datetime.datetime(2017, 5, 31, 23, 59, 59))
    """
    import calendar

    fix = "write YYYY-MM-DD, e.g. 2017-05-12"
    m = R.REPORT_DATE_VALUE_RE.match(value.strip())
    if not m:
        raise ReportError(f"{name}: {value!r} is not a date; {fix}{where}")
    y, mo, d = int(m["y"]), int(m["m"] or 1), int(m["d"] or 1)
    try:
        start = dt.datetime(y, mo, d, int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0))
    except ValueError as exc:
        raise ReportError(f"{name}: {value!r} is not a date ({exc}); {fix}{where}") from None
    if m["H"]:
        end = start
    elif m["d"]:
        end = start.replace(hour=23, minute=59, second=59)
    elif m["m"]:
        end = dt.datetime(y, mo, calendar.monthrange(y, mo)[1], 23, 59, 59)
    else:
        end = dt.datetime(y, 12, 31, 23, 59, 59)
    first, last = _pandas_days()
    if start.date() < first or end.date() > last:
        raise ReportError(f"{name}: {value!r} is outside the dates pandas can hold, {first} to {last}; "
                          f"give a date in that range{where}")
    return start, end


def check_date(value: str, *, name: str = "date", where: str = "") -> dt.date:
    """Parse ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``, or a day with a time ``YYYY-MM-DDTHH:MM``),
    raising :class:`ReportError` with the fix (see :func:`date_span`).

    >>> check_date("2017-05-12")
    datetime.date(2017, 5, 12)
    >>> check_date("2017-02-30", name="date_to")
    Traceback (most recent call last):
    ...
    newsdesk.report.ReportError: date_to: '2017-02-30' is not a date (day is out of range for month); write YYYY-MM-DD, e.g. 2017-05-12
    >>> check_date("9999-12-31", name="date_to")
    Traceback (most recent call last):
    ...
    newsdesk.report.ReportError: date_to: '9999-12-31' is outside the dates pandas can hold, 1678-01-01 to 2261-12-31; give a date in that range
    """
    return date_span(value, name=name, where=where)[0].date()


# =========================================================================== resolving parameters
def parse_cli_params(pairs: Iterable[Sequence[str]] | None = None, file: str | os.PathLike | None = None
                     ) -> tuple[dict[str, Any], set[str]]:
    """Merge ``-f params.yaml`` and ``-p NAME VALUE`` pairs (``-p`` wins).

    Returns ``(values, raw_names)``: ``raw_names`` are the names whose value is command-line text.
    """
    values: dict[str, Any] = {}
    raw: set[str] = set()
    if file:
        import yaml

        p = Path(file)
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ReportError(f"-f {p}: cannot read it: {exc.strerror or exc}") from None
        except yaml.YAMLError as exc:
            raise ReportError(f"-f {p}: not valid YAML: {exc}") from None
        if data is None:
            data = {}
        if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
            raise ReportError(f"-f {p}: expected a mapping of parameter names to values, e.g. 'top_n: 5'")
        values.update(data)
    for name, value in pairs or []:
        values[name] = value
        raw.add(name)
    return values, raw


def all_params(notebooks: Sequence[Notebook]) -> dict[str, list[Param]]:
    out: dict[str, list[Param]] = {}
    for nb in notebooks:
        for p in nb.params.values():
            out.setdefault(p.name, []).append(p)
    return out


def check_names(names: Iterable[str], notebooks: Sequence[Notebook], *, what: str = "parameter") -> None:
    """Raise :class:`ReportError` for a name no selected notebook declares, with the closest one."""
    known = all_params(notebooks)
    settable = sorted(n for n in known if n != "corpus")
    for name in names:
        if name == "corpus":
            raise ReportError("corpus is the positional CORPUS argument: newsdesk report CORPUS --out DIR")
        if name in known:
            continue
        close = difflib.get_close_matches(name, settable, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ReportError(f"unknown {what} {name!r}.{hint} Valid parameters: {', '.join(settable) or '(none)'}"
                          " (newsdesk report --help-params lists them per notebook)")


def resolve_params(values: Mapping[str, Any], notebooks: Sequence[Notebook], *,
                   raw: Iterable[str] = (), corpus: str | os.PathLike | None = None) -> dict[str, dict[str, Any]]:
    """Validate user values against the notebooks and return, per notebook name, the parameters
    to inject (only those it declares; ``corpus`` as an absolute path when the notebook takes it).

    >>> resolve_params({"top_nn": 5}, discover_notebooks())          # doctest: +SKIP
    Traceback (most recent call last):
    newsdesk.report.ReportError: unknown parameter 'top_nn'. Did you mean 'top_n'? ...
    """
    check_names(values, notebooks)
    raw = set(raw)
    out: dict[str, dict[str, Any]] = {}
    for nb in notebooks:
        inject: dict[str, Any] = {}
        for name, value in values.items():
            if name in nb.params:
                inject[name] = _absolute_if_path(nb.params[name], coerce_value(nb.params[name], value, from_cli=name in raw))
        if corpus is not None and "corpus" in nb.params:
            inject["corpus"] = os.path.abspath(os.fspath(corpus))
        _check_date_order(nb, inject)
        out[nb.name] = inject
    return out


def _absolute_if_path(param: Param, value: Any) -> Any:
    if (isinstance(value, str) and isinstance(param.default, str) and value
            and R.REPORT_PATH_DEFAULT_RE.search(param.default) and os.path.exists(value)):
        return os.path.abspath(value)
    return value


def _check_date_order(nb: Notebook, inject: Mapping[str, Any]) -> None:
    eff = {n: inject.get(n, p.default) for n, p in nb.params.items()}
    pairs = list(R.REPORT_DATE_PAIRS) + [(n, n[:-5] + "_to") for n in eff if n.endswith("_from")]
    for lo_name, hi_name in pairs:
        lo, hi = eff.get(lo_name), eff.get(hi_name)
        if isinstance(lo, str) and isinstance(hi, str) and lo.strip() and hi.strip():
            if date_span(lo, name=lo_name)[0] > date_span(hi, name=hi_name)[1]:
                raise ReportError(f"{lo_name} {lo} is after {hi_name} {hi} ({nb.name}): swap them")


def parse_grid(specs: Sequence[str] | None, notebooks: Sequence[Notebook]) -> list[dict[str, str]]:
    """``["section=World,Business"]`` -> ``[{"section": "World"}, {"section": "Business"}]``
    (several ``--grid`` give every combination). A singular name maps onto a declared list
    parameter (``section`` -> ``sections=["World"]``)."""
    if not specs:
        return [{}]
    axes: list[tuple[str, list[str]]] = []
    for spec in specs:
        name, sep, vals = spec.partition("=")
        name = name.strip()
        values = [v.strip() for v in vals.split(",") if v.strip()]
        if not sep or not name or not values:
            raise ReportError(f"--grid {spec!r}: write NAME=VALUE1,VALUE2, e.g. --grid section=World,Business")
        if len(set(values)) != len(values):
            raise ReportError(f"--grid {spec!r}: a value is repeated")
        axes.append((name, values))
    points: list[dict[str, str]] = [{}]
    for name, values in axes:
        points = [{**p, name: v} for p in points for v in values]
    return points


def grid_point(point: Mapping[str, str], notebooks: Sequence[Notebook]) -> dict[str, Any]:
    """The parameters one ``--grid`` point sets: a parameter by its name or singular
    (``section=World`` -> ``sections``), any other name as a header column of the corpus, through
    ``where`` (``publisher=Politico`` -> ``where={"publisher": ["Politico"]}``; the column is
    checked against the corpus before anything runs).

    >>> grid_point({"section": "World", "publisher": "Politico"}, discover_notebooks())
    {'sections': 'World', 'where': {'publisher': ['Politico']}}
    """
    known = all_params(notebooks)
    out: dict[str, Any] = {}
    for name, value in point.items():
        alias = grid_alias(name, notebooks)
        if alias in known or "where" not in known:
            out[alias] = value
        else:
            out.setdefault("where", {})[name] = [value]
    return out


def grid_alias(name: str, notebooks: Sequence[Notebook]) -> str:
    known = all_params(notebooks)
    if name not in known and name + "s" in known and any(_allows(p.annotation, "list") for p in known[name + "s"]):
        return name + "s"
    return name


def check_against_corpus(inject: Mapping[str, Mapping[str, Any]], articles,
                         notebooks: Sequence[Notebook] = ()) -> None:
    """Checks that need the corpus: every requested section occurs in it, every column-naming
    parameter (``compare_by``) names one of its columns, and the date and section filters keep
    at least one article (a notebook would stop with "none of the articles match")."""
    sections = articles["section"].dropna().astype(str)
    counts = sections.value_counts()
    known = {s.lower(): s for s in counts.index}
    columns = [c for c in articles.columns if c not in R.REPORT_NOT_GROUPABLE]
    for nb_name, params in inject.items():
        for name in R.REPORT_SECTION_PARAMS:
            v = params.get(name)
            for s in ([v] if isinstance(v, str) else (v or [])):
                if isinstance(s, str) and s.lower() not in known:
                    close = difflib.get_close_matches(s, list(counts.index), n=1, cutoff=0.5)
                    listing = ", ".join(f"{k} ({n})" for k, n in counts.head(12).items())
                    raise ReportError(f"{name}: section {s!r} does not occur in the corpus."
                                      + (f" Did you mean {close[0]!r}?" if close else "")
                                      + f" Sections (articles): {listing or 'none'}")
        for name, v in params.items():
            if R.REPORT_COLUMN_PARAM_RE.search(name) and isinstance(v, str) and v not in columns:
                close = difflib.get_close_matches(v.lower(), columns, n=1, cutoff=0.5)
                raise ReportError(f"{name}: the corpus has no column {v!r}."
                                  + (f" Did you mean {close[0]!r}?" if close else "")
                                  + f" Columns: {', '.join(columns)} (parameter of {nb_name})")
        _check_filters_keep_articles(nb_name, params, articles)
        declared = next((nb.params for nb in notebooks if nb.name == nb_name), {})
        if "period_from" in declared or "period_to" in declared:
            _check_period(nb_name, params, articles)


def _check_period(nb_name: str, params: Mapping[str, Any], articles) -> None:
    """A period to set apart (``period_from``/``period_to``) must hold an article of the selection
    (the date, section and ``where`` filters) and leave one outside it to compare with. With no
    period the notebook chooses one, or none, itself (``keywords.focus``)."""
    from .corpus import date_mask

    lo, hi = params.get("period_from") or "", params.get("period_to") or ""
    if not (lo or hi):
        return
    what = f"period {lo or '...'} to {hi or '...'}"
    articles = _selection(articles, params)
    unique = articles[articles["duplicate_of"].isna()] if "duplicate_of" in articles.columns else articles
    inside = int(date_mask(unique, lo or None, hi or None).sum())
    if not inside:
        raise ReportError(f"{what} holds no article; choose a period within the corpus (parameters of {nb_name})")
    if inside == len(unique):
        raise ReportError(f"{what} holds every article: nothing is left to compare it with; give a shorter "
                          f"period_from/period_to (parameters of {nb_name})")


_FILTERS = ("date_from", "date_to", "sections", "where")


def _selection(articles, params: Mapping[str, Any]):
    """The articles a notebook's filters keep (``load_corpus``'s ``date_from``, ``date_to``,
    ``sections`` and ``where``)."""
    from .corpus import filter_articles

    filters = {k: params.get(k) or None for k in _FILTERS}
    return filter_articles(articles, **filters) if any(filters.values()) else articles


def _check_filters_keep_articles(nb_name: str, params: Mapping[str, Any], articles) -> None:
    from .corpus import CorpusError

    filters = {k: params.get(k) or None for k in _FILTERS}
    if not any(filters.values()) or not len(articles):
        return
    w = filters["where"]
    if w is not None and not (isinstance(w, dict) and all(
            isinstance(k, str) and (isinstance(v, str) or isinstance(v, list) and all(isinstance(x, str) for x in v))
            for k, v in w.items())):
        raise ReportError(f"where: give header columns and the values to keep, e.g. "
                          f"{{\"publisher\": [\"New York Times\"]}}; got {w!r} (parameter of {nb_name})")
    try:
        kept = len(_selection(articles, params))
    except CorpusError as exc:
        raise ReportError(f"{exc} (parameters of {nb_name})") from None
    if kept:
        return
    dates = articles["date"].dropna()
    span = f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "no dates"
    given = ", ".join(f"{k} {v}" for k, v in filters.items() if v)
    raise ReportError(f"{given}: no article of the corpus matches (it runs from {span}); widen or drop "
                      f"the filter (parameters of {nb_name})")


def help_params(notebooks: Sequence[Notebook]) -> str:
    """The ``--help-params`` text: each notebook's parameters with type, default and meaning."""
    lines = ["Parameters by notebook (set with -p NAME VALUE or -f params.yaml; a parameter applies to "
             "every notebook that declares it; corpus is the positional CORPUS):", ""]
    for nb in notebooks:
        lines.append(f"{nb.name}  {nb.title}")
        if not nb.params:
            lines.append("    (no parameters)")
        w_name = max((len(p.name) for p in nb.params.values()), default=0)
        w_ann = max((len(p.annotation) for p in nb.params.values()), default=0)
        for p in nb.params.values():
            default = repr(p.default)
            lines.append(f"    {p.name:<{w_name}}  {p.annotation:<{w_ann}}  = {default}" + (f"   # {p.help}" if p.help else ""))
        lines.append("")
    return "\n".join(lines)


# =========================================================================== kernel
def ensure_kernel(name: str = config.KERNEL_NAME) -> tuple[str, dict[str, str]]:
    """Make sure the kernel ``name`` exists and starts a Python that exists.

    Returns ``(kernel_name, env)``; when the kernelspec is missing or broken, a kernelspec for the
    running interpreter is written to a temporary Jupyter path returned in ``env["JUPYTER_PATH"]``
    (nothing outside it is touched), so no ``NoSuchKernel`` can happen inside a virtual environment.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
        exe = spec.argv[0] if spec.argv else ""
        if (os.path.isabs(exe) and os.path.exists(exe)) or (not os.path.isabs(exe) and shutil.which(exe)):
            return name, {}
        reason = f"its interpreter {exe!r} does not exist"
    except NoSuchKernel:
        reason = "it is not registered"
    tmp = Path(tempfile.mkdtemp(prefix="newsdesk-kernels-"))
    kdir = tmp / "kernels" / name
    kdir.mkdir(parents=True)
    (kdir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python ({name})", "language": "python",
    }), encoding="utf-8")
    log.warning("kernel %r: %s; using this interpreter (%s). Run `make setup` to register it.", name, reason, sys.executable)
    path = os.pathsep.join([str(tmp)] + ([os.environ["JUPYTER_PATH"]] if os.environ.get("JUPYTER_PATH") else []))
    return name, {"JUPYTER_PATH": path}


# =========================================================================== HTML
def _skip_slow_imports() -> None:
    """``jsonschema`` (under nbformat) imports ``rfc3987_syntax``, which builds a Lark grammar at
    import time (about 6 s here) only to check the ``iri`` string format, which notebooks never use.
    Mark it unavailable so jsonschema skips that one checker; nothing else changes."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


_skip_slow_imports()  # also when the fork server imports this module before nbformat (WORKER_PRELOAD)


class _Blocks(HTMLParser):
    """The ``<style>`` and ``<script>`` blocks of a page (their text), its elements carrying a
    ``style=`` or ``on*=`` attribute, and the network addresses its elements would fetch."""

    FETCH_ATTRS = {"src", "href", "data", "srcset", "poster", "action", "formaction", "background", "codebase"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.style: list[str] = []
        self.script: list[str] = []
        self.attrs: list[str] = []
        self.fetches: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.attrs.append(f"<{tag} {name}=...>")
            v = (value or "").strip().lower()
            if (name in self.FETCH_ATTRS and not (tag == "a" and name == "href")  # a link fetches nothing
                    and (v.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:")) or "://" in v)):
                self.fetches.append(f"<{tag} {name}={v[:60]}>")
        if tag in ("style", "script"):
            self._open = []
            (self.style if tag == "style" else self.script).append("")

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._open is not None:
            (self.style if tag == "style" else self.script)[-1] = "".join(self._open)
            self._open = None


def page_blocks(html: str) -> _Blocks:
    """Parse ``html`` for its style and script blocks (see :class:`_Blocks`)."""
    p = _Blocks()
    p.feed(html)
    p.close()
    return p


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly this ``<style>``/``<script>`` text.

    >>> csp_hash("a{}")
    "'sha256-X1RutGBrXCt9KkSaXMK7tHftWiRscFHOhxsS8tv8hBk='"
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass(frozen=True)
class TemplateBlocks:
    """The style and script blocks a page template writes itself, as CSP hashes."""

    style: frozenset[str]
    script: frozenset[str]

    def csp(self) -> str:
        """The page's Content-Security-Policy: nothing from the network; images only as
        ``data:`` URIs; styles and scripts only the template's own, by hash."""
        parts = list(R.REPORT_CSP)
        if self.style:
            parts.append("style-src " + " ".join(sorted(self.style)))
        if self.script:
            parts.append("script-src " + " ".join(sorted(self.script)))
        return "; ".join(parts)

    def check(self, html: str, *, page: str = "page") -> None:
        """Raise ``RuntimeError`` when ``html`` holds a style or script block the template did not
        write, a ``style=``/``on*=`` attribute (the CSP would block it, so it must not be there), or
        an element that would fetch from the network. Text that merely reads like CSS or a URL is text."""
        b = page_blocks(html)
        alien = ([f"<style> {s[:60]!r}" for s in b.style if csp_hash(s) not in self.style]
                 + [f"<script> {s[:60]!r}" for s in b.script if csp_hash(s) not in self.script] + b.attrs)
        if alien:
            raise RuntimeError(f"{page}: markup the page template did not write: {alien[:3]}")
        if b.fetches:  # the template never writes these; refuse rather than ship a page that phones home
            raise RuntimeError(f"{page}: the page would fetch from the network: {b.fetches[:3]}")


def _exporter(with_code: bool):
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {"remove-cell", "remove_cell"}
    c.TagRemovePreprocessor.remove_input_tags = {"remove-input", "remove_input", "hide-input"}
    c.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output", "hide-output"}
    return HTMLExporter(
        config=c,
        template_name="lab",
        template_file="report.html.j2",
        extra_template_paths=[str(TEMPLATES_DIR)],
        exclude_input=not with_code,
        exclude_input_prompt=not with_code,
        exclude_output_prompt=True,
        embed_images=True,
        sanitize_html=False,
        require_js_url="",
        mathjax_url="",
    )


@functools.lru_cache(maxsize=None)
def report_blocks() -> TemplateBlocks:
    """The blocks the report page template writes: read from the template rendered around an
    empty notebook (code shown and hidden), once per process."""
    import nbformat

    _skip_slow_imports()
    style: set[str] = set()
    script: set[str] = set()
    for with_code in (False, True):
        page, _ = _exporter(with_code).from_notebook_node(
            nbformat.v4.new_notebook(), resources={"newsdesk": {}, "with_code": with_code})
        b = page_blocks(page)
        style.update(csp_hash(s) for s in b.style)
        script.update(csp_hash(s) for s in b.script)
    return TemplateBlocks(frozenset(style), frozenset(script))


@functools.lru_cache(maxsize=None)
def index_blocks() -> TemplateBlocks:
    """The blocks the index pages write: their one stylesheet, ``_layout.css``, included verbatim."""
    return TemplateBlocks(frozenset({csp_hash(_jinja_env().get_template("_layout.css").render())}), frozenset())


class _StyleFilter:
    """Before bleach, on the parsed tree: takes every ``<style>`` element out of the token stream
    with its text. One that is, character for character, a block of the page template (its hash
    is in ``keep``) leaves a placeholder in its place (``kept`` holds its text); any other is gone."""

    def __init__(self, source, keep: frozenset[str], token: str):
        self.source = source
        self.keep = keep
        self.token = token
        self.kept: list[str] = []

    def __iter__(self):
        held: list[dict] | None = None
        for tok in self.source:
            kind, name = tok.get("type"), tok.get("name")
            if held is None:
                if kind == "StartTag" and name == "style":
                    held = []
                elif not (kind == "EmptyTag" and name == "style"):
                    yield tok
                continue
            if kind == "EndTag" and name == "style":
                if all(t.get("type") in ("Characters", "SpaceCharacters") for t in held):
                    text = "".join(t["data"] for t in held)
                    if csp_hash(text) in self.keep:
                        self.kept.append(text)
                        yield {"type": "Characters", "data": f"{self.token}{len(self.kept) - 1}x"}
                held = None
                continue
            held.append(tok)


def _output_attr(tag: str, name: str, value: str) -> bool:
    if tag == "style":
        return False
    if name in ("class", "title", "colspan", "rowspan", "align", "valign", "id", "scope", "border",
                "width", "height", "alt"):
        return True
    if tag == "a" and name == "href":
        v = value.strip().lower()
        return v.startswith(("http://", "https://", "mailto:", "#"))
    return False


def sanitize_html(html: str, *, keep_styles: Iterable[str] | None = None) -> str:
    """Sanitize HTML produced by a cell output: tables, text formatting and links stay; any other
    markup (scripts, images, frames, forms, SVG) is escaped and shown as text; event handlers,
    ``style=`` attributes and ``javascript:`` links are removed.

    A ``<style>`` block is kept only when it is, character for character, one the page template
    writes itself (``keep_styles``: CSP hashes; by default those of :func:`report_blocks` and
    :func:`index_blocks`), and then without attributes; every other one is dropped with its text.
    No CSS is ever read to decide whether it is safe.

    >>> sanitize_html('<b>ok</b><img src=x onerror=alert(1)><script>alert(1)</script>')
    '<b>ok</b>&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> sanitize_html('<style onload=document.title="PWNED">a{}</style><p style="color:red">x</p>')
    '<p>x</p>'
    """
    import bleach
    from bleach.sanitizer import BleachSanitizerFilter

    keep = (frozenset(keep_styles) if keep_styles is not None
            else report_blocks().style | index_blocks().style)
    if not html:
        return ""
    cleaner = bleach.Cleaner(tags=[*R.REPORT_ALLOWED_TAGS, "style"], attributes=_output_attr,
                             protocols=["http", "https", "mailto", "data"], strip=False, strip_comments=True)
    styles = _StyleFilter(cleaner.walker(cleaner.parser.parseFragment(html)), keep, f"ndstyle{secrets.token_hex(8)}x")
    clean = cleaner.serializer.render(BleachSanitizerFilter(
        source=styles, allowed_tags=cleaner.tags, attributes=cleaner.attributes, strip_disallowed_tags=False,
        strip_html_comments=True, css_sanitizer=None, allowed_protocols=cleaner.protocols))
    for i, text in enumerate(styles.kept):  # the template's own CSS, as the template writes it
        clean = clean.replace(f"{styles.token}{i}x", f"<style>{text}</style>", 1)
    return clean


def _basic_colours(text: str) -> str:
    r"""Keep the 16 basic ANSI colours of a traceback or stream (rendered as classes) and drop
    256-colour and true-colour ones, which nbconvert renders as ``style=`` attributes the page's
    CSP would refuse.

    >>> _basic_colours("\x1b[38;5;9mred\x1b[0m \x1b[1;38;2;1;2;3mbold\x1b[m")
    '\x1b[91mred\x1b[0m \x1b[1mbold\x1b[m'
    """
    def basic(m: re.Match) -> str:
        params = m.group(1).split(";") if m.group(1) else []
        out, i = [], 0
        while i < len(params):
            p = params[i]
            if p in ("38", "48") and i + 1 < len(params) and params[i + 1] in ("5", "2"):
                if params[i + 1] == "5":
                    n = int(params[i + 2] or 0) if i + 2 < len(params) and params[i + 2].isdigit() else 99
                    if n < 16:
                        base = (30 if p == "38" else 40) if n < 8 else (90 if p == "38" else 100)
                        out.append(str(base + n % 8))
                    i += 3
                else:
                    i += 5
                continue
            out.append(p)
            i += 1
        if not params:
            return m.group(0)
        return f"\x1b[{';'.join(out)}m" if out else ""

    return R.REPORT_ANSI_SGR_RE.sub(basic, text)


def _papermill_error_note(source: str) -> str:
    """Papermill's notes around the cell that failed, in the report's own markup: papermill writes
    them with ``style=`` attributes, which the page's CSP refuses (the look is ``.nd-error-note``).

    >>> _papermill_error_note('<span id="papermill-error-cell" style="color:red">Execution ... stopped:</span>')
    '<div id="papermill-error-cell" class="nd-error-note">The run stopped with an error in this cell:</div>'
    """
    if 'id="papermill-error-cell"' in source:
        return '<div id="papermill-error-cell" class="nd-error-note">The run stopped with an error in this cell:</div>'
    m = re.search(r"In \[(\d+)\]", source)
    where = f"cell [{m.group(1)}]" if m else "a cell"
    return f'<div class="nd-error-note">The run stopped with an error in <a href="#papermill-error-cell">{where}</a>.</div>'


def _prepare(nb, *, with_code: bool):
    """Make a copy of an executed notebook safe and tidy to render."""
    import copy

    from nbconvert.filters.markdown import markdown2html

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags") or [])
        if cell.cell_type == "markdown" and R.REPORT_PAPERMILL_ERROR_TAG in tags:
            cell.source = _papermill_error_note(cell.source)
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr" and not with_code:
                continue  # warnings and log lines stay in the executed notebook and the log
            if out.get("output_type") == "error":
                out["traceback"] = [_basic_colours(t) for t in out.get("traceback", [])]
            if out.get("output_type") == "stream":
                t = out.get("text", "")
                out["text"] = _basic_colours("".join(t) if isinstance(t, list) else t)
            data = out.get("data")
            if data is not None:
                for key in list(data):
                    if key in R.REPORT_DROPPED_MIMETYPES or key.startswith("application/vnd.jupyter.widget"):
                        del data[key]
                if "text/markdown" in data:
                    md = data.pop("text/markdown")
                    data.setdefault("text/html", markdown2html("".join(md) if isinstance(md, list) else md))
                if isinstance(data.get("text/plain"), (str, list)):
                    t = data["text/plain"]
                    data["text/plain"] = _basic_colours("".join(t) if isinstance(t, list) else t)
                if "text/html" in data:
                    h = data["text/html"]
                    data["text/html"] = sanitize_html("".join(h) if isinstance(h, list) else h)
                if "image/svg+xml" in data and "image/png" in data:
                    del data["image/svg+xml"]
                if not data:
                    continue
            outputs.append(out)
        cell["outputs"] = outputs
        if tags & {"hide-output", "remove-output"}:
            cell["outputs"] = []
    return nb


def render_html(nb, *, with_code: bool = False, title: str | None = None,
                nav: Mapping[str, str] | None = None) -> str:
    """Render an executed notebook (``nbformat.NotebookNode``) as one self-contained HTML page.

    Code cells are hidden unless ``with_code``; images are embedded; the page loads nothing from
    the network (no require.js, MathJax or widget scripts); outputs are sanitized (:func:`sanitize_html`).
    ``nav`` may hold ``index`` (link back) and ``footer`` text.
    """
    _skip_slow_imports()
    exporter = _exporter(with_code)
    nb = _prepare(nb, with_code=with_code)
    if title:
        nb.metadata["title"] = title
    blocks = report_blocks()
    body, _ = exporter.from_notebook_node(nb, resources={"newsdesk": dict(nav or {}), "with_code": with_code,
                                                         "newsdesk_csp": blocks.csp()})
    blocks.check(body, page=title or "report")
    return body


def first_png(nb) -> bytes | None:
    """The first ``image/png`` output of a notebook, decoded."""
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data") or {}
            if "image/png" in data:
                b64 = data["image/png"]
                return base64.b64decode("".join(b64) if isinstance(b64, list) else b64)
    return None


def thumbnail(png: bytes, *, width: int = R.REPORT_THUMB_WIDTH) -> bytes:
    """A small PNG of a chart, ``width`` pixels wide."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        im = im.convert("RGBA") if im.mode not in ("RGB", "RGBA") else im
        if im.width > width:
            im = im.resize((width, max(1, round(im.height * width / im.width))), Image.LANCZOS)
        buf = io.BytesIO()
        im.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


# =========================================================================== running
@dataclass
class Result:
    """The outcome of one notebook run."""

    name: str
    title: str
    summary: str
    status: str  # "ok" | "failed"
    error: str | None
    seconds: float
    html: str | None
    ipynb: str
    thumb: str | None
    params: dict[str, Any]


@dataclass
class ReportSet:
    """One report set: a folder with its notebooks, index and the parameters it was built with."""

    label: str
    folder: str
    point: dict[str, Any]
    results: list[Result] = field(default_factory=list)
    selected: dict[str, Any] | None = None

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status != "ok"]


_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _execute(job: dict) -> dict:
    """Worker: run one notebook with papermill, render its HTML and thumbnail. Never raises."""
    os.environ.clear()
    os.environ.update(job["env"])
    _skip_slow_imports()
    t0 = time.perf_counter()
    # the kernel inherits these descriptors: its start-up chatter goes to the notebook's log
    logfd = os.open(job["log_file"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)  # the umask applies
    saved = os.dup(1), os.dup(2)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(logfd, 1)
    os.dup2(logfd, 2)
    plog = logging.getLogger("papermill")
    plog.setLevel(logging.INFO)
    plog.propagate = False
    handler = logging.FileHandler(job["log_file"], encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    plog.addHandler(handler)
    status, error = "ok", None
    html_name = thumb_name = None
    try:
        import nbformat
        import papermill as pm
        from papermill.exceptions import PapermillExecutionError

        try:
            pm.execute_notebook(job["src"], job["ipynb"], parameters=job["params"], kernel_name=job["kernel"],
                                cwd=job["cwd"], progress_bar=False, log_output=True,
                                request_save_on_cell_execute=False, execution_timeout=job["timeout"],
                                # every output is in hand when the last cell ends: stop the kernel
                                # at once instead of waiting for it to shut down (about 0.5 s each)
                                shutdown_kernel="immediate", extra_arguments=list(KERNEL_ARGS))
        except PapermillExecutionError as exc:
            status = "failed"
            evalue = _ANSI_RE.sub("", str(exc.evalue)).strip()
            error = f"{exc.ename}: {evalue}" if evalue else str(exc.ename)
            error += f" (cell {exc.exec_count})" if exc.exec_count else ""
        except Exception as exc:  # kernel died, timeout, unreadable notebook
            status = "failed"
            error = f"{type(exc).__name__}: {_ANSI_RE.sub('', str(exc)).strip()}"
        if os.path.exists(job["ipynb"]):
            nb = nbformat.read(job["ipynb"], as_version=4)
            html = render_html(nb, with_code=job["with_code"] or status != "ok", title=job["title"], nav=job["nav"])
            Path(job["html"]).write_text(html, encoding="utf-8")
            html_name = os.path.basename(job["html"])
            png = first_png(nb)
            if png is not None:
                try:
                    Path(job["thumb"]).write_bytes(thumbnail(png))
                    thumb_name = os.path.relpath(job["thumb"], os.path.dirname(job["html"]))
                except Exception as exc:  # a broken image must not lose the report
                    plog.warning("thumbnail failed: %s", exc)
    except Exception as exc:
        status = "failed"
        error = error or f"{type(exc).__name__}: {exc}"
        plog.exception("rendering failed")
    finally:
        plog.removeHandler(handler)
        handler.close()
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, logfd):
            os.close(fd)
    return {"status": status, "error": error, "seconds": time.perf_counter() - t0,
            "html": html_name, "thumb": thumb_name}


def _slug(value: str) -> str:
    s = re.sub(r"[^\w.-]+", "-", value, flags=re.UNICODE).strip("-.")
    return s[:60] or "value"


def _pid_alive(pid: int, *, started_by: float | None = None) -> bool:
    """Whether the run ``pid`` lives: a process of that number exists, is not a zombie, and (when
    ``started_by`` is given and the start time can be read) started by then, so a reused pid is
    not taken for the run that named a folder."""
    from .parallel import pid_alive

    return pid_alive(pid, started_by=started_by)


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
        if _pid_alive(int(m.group(2)), started_by=min(st.st_mtime, st.st_ctime)) or _locked(p):
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


def corpus_facts(articles, corpus: str | os.PathLike) -> dict[str, Any]:
    """What the index says about the corpus: path, articles, date span, rejects."""
    dates = articles["date"].dropna()
    rej = articles.attrs.get("rejects", [])
    return {
        "path": os.path.abspath(os.fspath(corpus)),
        "articles": int(len(articles)),
        "files": int(articles.attrs.get("n_files", 0)),
        "date_min": _day(dates.min()) if len(dates) else None,
        "date_max": _day(dates.max()) if len(dates) else None,
        "rejects": len(rej),
        "sections": int(articles["section"].nunique(dropna=True)),
    }


def glance_facts(articles, *, n: int = 6) -> dict[str, list[dict[str, Any]]]:
    """The index's front page, "what is in here": the names mentioned in the most articles, the
    most-quoted speakers and the biggest weekly spikes (:func:`newsdesk.overview.glance`), as
    short lists of plain values (the template escapes them). Empty lists when a part cannot be
    computed: the front page never stops a report.

    >>> glance_facts(load_corpus("data/sample"))["mentioned"][0]          # doctest: +SKIP
    {'name': 'Port Arden', 'articles': 175, 'share': 58.3}
    """
    from . import overview

    try:
        g = overview.glance(articles, n=n)
    except (ValueError, KeyError) as exc:       # an archive too odd for a front page still gets its reports
        log.warning("the index's front page was left out: %s", exc)
        return {"mentioned": [], "quoted": [], "spikes": []}
    m, q, sp = g["mentioned"], g["quoted"], g["spikes"]
    count = next((c for c in m.columns if c.startswith("articles")), None)
    return {
        "mentioned": [{"name": str(r["name"]), "articles": int(r[count]), "share": float(r["% of articles"])}
                      for _, r in m.iterrows()] if count else [],
        "quoted": [{"name": str(r["speaker"]), "quotes": int(r["quotes"]), "articles": int(r["articles"])}
                   for _, r in q.iterrows()],
        "spikes": [{"subject": str(r["subject"]), "week": str(r["week starting"]),
                    "articles": int(r["articles mentioning it"]), "share": float(r["% of the week's articles"])}
                   for _, r in sp.iterrows()],
    }


def selected_articles(articles, inject: Mapping[str, Mapping[str, Any]], notebooks: Sequence[Notebook]
                      ) -> dict[str, Any] | None:
    """Articles within the date, section and ``where`` filters the reports use, when any filter is
    set (the values of the first notebook declaring each filter); None otherwise."""
    from .corpus import filter_articles

    eff: dict[str, Any] = {}
    for nb in notebooks:
        for name in ("date_from", "date_to", "sections", "where"):
            if name in nb.params and name not in eff:
                eff[name] = inject.get(nb.name, {}).get(name, nb.params[name].default)
    eff = {k: v for k, v in eff.items() if v}
    if not eff:
        return None
    try:
        sub = filter_articles(articles, **eff)
    except Exception:  # the notebooks will report it
        return None
    dates = sub["date"].dropna()
    return {"articles": int(len(sub)), "filters": eff,
            "date_min": _day(dates.min()) if len(dates) else None,
            "date_max": _day(dates.max()) if len(dates) else None}


def _day(ts) -> str:
    return f"{ts.day} {ts:%b %Y}"


def _display_value(v: Any) -> str:
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)


def _jinja_env():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["value"] = _display_value
    return env


def render_index(rset: ReportSet, *, facts: Mapping[str, Any], notebooks: Sequence[Notebook],
                 user_params: Mapping[str, Any], built: dt.datetime, seconds: float,
                 up: str | None = None, with_code: bool = False, folder: str | os.PathLike | None = None) -> str:
    """The index page of one report set (Jinja2, autoescaped; the CSP of :func:`index_blocks`).

    ``folder`` is where the set's files are: each report's thumbnail is read from it and embedded
    as a ``data:`` URI (the page's CSP allows images from nowhere else).
    """
    rows = []
    for nb in notebooks:
        for name, p in nb.params.items():
            if name == "corpus":
                continue
            r = next((r for r in rset.results if r.name == nb.name), None)
            value = r.params.get(name, p.default) if r else p.default
            rows.append({"notebook": nb.name, "name": name, "value": value, "help": p.help,
                         "set": name in user_params or name in rset.point})
    shown = {}
    for name, value in {**user_params, **rset.point}.items():
        shown[name] = next((r.params[name] for r in rset.results if name in r.params), value)
    thumbs = {}
    for r in rset.results:
        png = Path(folder, r.thumb) if folder is not None and r.thumb else None
        if png is not None and png.is_file():
            thumbs[r.name] = "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii")
    blocks = index_blocks()
    glance_links = {r.name[:2]: r.html for r in rset.results if r.html and r.status == "ok"}
    html = _jinja_env().get_template("index.html.j2").render(
        rset=rset, facts=facts, params_user=shown, params_all=rows, thumbs=thumbs, csp=blocks.csp(),
        glance_links=glance_links,
        built=built.strftime("%Y-%m-%d %H:%M UTC"), seconds=round(seconds), version=__version__,
        up=up, with_code=with_code,
    )
    blocks.check(html, page="index.html")
    return html


def render_grid_index(sets: Sequence[ReportSet], *, facts: Mapping[str, Any], user_params: Mapping[str, Any],
                      built: dt.datetime, seconds: float) -> str:
    """The top index of a parameter grid, linking one report set per grid point."""
    blocks = index_blocks()
    html = _jinja_env().get_template("grid.html.j2").render(
        sets=sets, facts=facts, params_user=user_params, axes=list(sets[0].point) if sets else [],
        built=built.strftime("%Y-%m-%d %H:%M UTC"), seconds=round(seconds), version=__version__,
        csp=blocks.csp(),
    )
    blocks.check(html, page="index.html")
    return html


@dataclass
class _Plan:
    rset: ReportSet
    inject: dict[str, dict[str, Any]]


def build_reports(
    corpus: str | os.PathLike,
    out: str | os.PathLike,
    *,
    params: Mapping[str, Any] | None = None,
    raw: Iterable[str] = (),
    notebooks: Sequence[str] | str | None = None,
    notebooks_dir: str | os.PathLike | None = None,
    grid: Sequence[str] | None = None,
    with_code: bool = False,
    jobs: int | None = None,
    kernel: str | None = None,
    timeout: int | None = None,
    progress: bool | None = None,
    echo: Callable[[str], None] | None = None,
    follow_external_links: bool | None = None,
) -> list[ReportSet]:
    """Validate, run every selected notebook, render HTML and index pages, and publish ``out``.

    Returns the report sets (one, or one per grid point). A failed notebook does not stop the
    others; check ``[r for s in sets for r in s.failed]``. Raises :class:`ReportError` for bad
    parameters before anything runs, and ``newsdesk.corpus.CorpusError`` for an unreadable corpus.
    An ``out`` that is the corpus, lies inside it or contains it is refused before the corpus is
    read. ``follow_external_links`` is ``load_corpus``'s, for this process and the notebooks.

    >>> sets = build_reports("data/sample", "reports", params={"top_n": 5})   # doctest: +SKIP
    >>> [r.status for r in sets[0].results]                                    # doctest: +SKIP
    ['ok', 'ok', 'ok', 'ok', 'ok']
    """
    t_start = time.perf_counter()
    built = dt.datetime.now(dt.timezone.utc)
    out = Path(out).absolute()
    specs = discover_notebooks(notebooks_dir, select=notebooks)
    user = dict(params or {})
    raw = set(raw)
    # 1. names and types: no corpus, no kernel yet
    given = parse_grid(grid, specs)
    points = [grid_point(p, specs) for p in given]
    for p in points:
        check_names(p, specs, what="grid parameter")
        if "where" in p and isinstance(user.get("where"), Mapping):     # -p where and a --grid column
            both = set(user["where"]) & set(p["where"])
            if both:
                raise ReportError(f"{', '.join(sorted(both))} is filtered both by -p where and by --grid; keep one")
            p["where"] = {**user["where"], **p["where"]}
        clash = set(p) & set(user) - ({"where"} if "where" in p else set())
        if clash:
            raise ReportError(f"{', '.join(sorted(clash))} is set both by -p/-f and by --grid; keep one")
    base_inject = resolve_params(user, specs, raw=raw, corpus=corpus)
    plans: list[_Plan] = []
    used: set[str] = set()
    for g, p in zip(given, points):
        inject = resolve_params({**user, **p}, specs, raw=raw | set(p), corpus=corpus) if p else base_inject
        label = ", ".join(f"{k} = {v}" for k, v in g.items())
        folder = "__".join(_slug(str(v)) for v in p.values()) if p else ""
        while folder and folder.lower() in used:
            folder += "_"
        used.add(folder.lower())
        plans.append(_Plan(ReportSet(label, folder, dict(p)), inject))
    _check_out(out, corpus)
    _start_fork_server()
    # 2. the corpus: exists, and requested sections occur in it
    from .cache import unwritable, warn_read_only
    from .corpus import load_corpus

    read_only = unwritable(config.CACHE_DIR)
    if read_only is not None:   # one warning; the notebooks then compute in memory
        warn_read_only(config.CACHE_DIR, read_only)
    articles = load_corpus(corpus, follow_external_links=follow_external_links)
    from .cache import wait

    wait()  # the notebooks' kernels read the load cache: it must be on disk before they start
    for plan in plans:
        check_against_corpus(plan.inject, articles, specs)
    facts = corpus_facts(articles, corpus)
    for plan in plans:
        plan.rset.selected = selected_articles(articles, plan.inject, specs)
    # 2b. annotate once, on all cores: the notebooks then only read the store, never recompute
    from . import store

    t_ann = time.perf_counter()
    computed = store.annotate(articles, jobs=jobs, progress=progress) if read_only is None else {}
    if echo and any(computed.values()):
        echo("annotated " + ", ".join(f"{k}: {n:,} articles" for k, n in computed.items())
             + f" in {time.perf_counter() - t_ann:.1f} s")
    facts["glance"] = glance_facts(articles)      # the index's front page (reads the store just filled)
    del articles
    # 3. run
    kernel_name, kenv = ensure_kernel(kernel or config.KERNEL_NAME)
    if follow_external_links is not None:   # the notebooks load the corpus as this process did
        kenv = {**kenv, config.FOLLOW_LINKS_ENV: "1" if follow_external_links else "0"}
    _clean_stale(out)
    staging = out.parent / f".{out.name}.partial-{os.getpid()}-{secrets.token_hex(3)}"
    staging.mkdir(parents=True)
    owner = _owner_lock(staging)
    try:
        _run_all(plans, specs, staging, facts=facts, user=user, with_code=with_code, jobs=jobs,
                 kernel=kernel_name, kenv=kenv, timeout=timeout, progress=progress, echo=echo,
                 built=built, t_start=t_start)
        swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if owner is not None:
            os.close(owner)
        if kenv.get("JUPYTER_PATH"):
            shutil.rmtree(kenv["JUPYTER_PATH"].split(os.pathsep)[0], ignore_errors=True)
    return [p.rset for p in plans]


def _start_fork_server() -> None:
    """Start the fork server the notebook workers come from, importing :data:`WORKER_PRELOAD`
    in the background while this process loads and annotates (Linux; no-op when it runs already)."""
    if not sys.platform.startswith("linux"):
        return
    import multiprocessing as mp
    from multiprocessing import forkserver

    from .parallel import FORK_SERVER_OWNER_ENV

    # the fork server reads this (newsdesk.parallel, preloaded) and ends with this process; its
    # workers end with it (see _run_all), and their kernels with them (ipykernel's parent poller).
    # Only from the main thread: Linux signals the fork server when the *thread* that started it
    # ends. (Elsewhere the workers still watch this process, and the fork server ends after them.)
    if threading_main():
        os.environ[FORK_SERVER_OWNER_ENV] = str(os.getpid())
    try:
        mp.get_context("forkserver").set_forkserver_preload(list(WORKER_PRELOAD))
        forkserver.ensure_running()
    except Exception as exc:  # the workers import what they need themselves
        log.debug("fork server not started early: %s", exc)
    finally:
        os.environ.pop(FORK_SERVER_OWNER_ENV, None)


def _run_all(plans: list[_Plan], specs: Sequence[Notebook], staging: Path, *, facts, user, with_code, jobs,
             kernel, kenv, timeout, progress, echo, built, t_start) -> None:
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    echo = echo or (lambda s: None)
    env = {**os.environ, **kenv}
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    logfile = staging / "report.log"
    flog = logfile.open("a", encoding="utf-8")

    def note(msg: str) -> None:
        flog.write(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} {msg}\n")
        flog.flush()

    note(f"newsdesk {__version__} report; python {sys.executable}; kernel {kernel}")
    note(f"corpus {facts['path']}: {facts['articles']} articles, {facts['rejects']} rejects")
    jobs_list: list[tuple[_Plan, Notebook, dict]] = []
    for plan in plans:
        d = staging / plan.rset.folder if plan.rset.folder else staging
        (d / "thumbs").mkdir(parents=True, exist_ok=True)
        (d / "logs").mkdir(exist_ok=True)
        for nb in specs:
            prm = plan.inject[nb.name]
            note(f"[{plan.rset.label or 'report'}] {nb.name}: parameters {json.dumps(prm, ensure_ascii=False, default=str)}")
            jobs_list.append((plan, nb, {
                "src": str(nb.path), "ipynb": str(d / f"{nb.name}.ipynb"), "html": str(d / f"{nb.name}.html"),
                "thumb": str(d / "thumbs" / f"{nb.name}.png"), "log_file": str(d / "logs" / f"{nb.name}.log"),
                "params": prm, "kernel": kernel, "cwd": str(nb.path.parent), "with_code": with_code,
                "timeout": timeout, "env": env, "title": nb.title,
                "nav": {"index": "index.html", "footer": f"newsdesk {__version__} · built {built:%Y-%m-%d %H:%M} UTC"
                        f" · corpus {facts['path']}" + (f" · {plan.rset.label}" if plan.rset.label else "")},
            }))
    n = len(jobs_list)
    workers = max(1, min(jobs or config.default_jobs(), n))
    echo(f"running {n} notebook{'s' * (n != 1)} on {workers} worker{'s' * (workers != 1)} (log: {logfile.name})")
    bar = None
    if progress or (progress is None and sys.stderr.isatty()):
        from tqdm.auto import tqdm

        bar = tqdm(total=n, desc="reports", unit="nb", file=sys.stderr, leave=False)
    ctx = mp.get_context("forkserver" if sys.platform.startswith("linux") else "spawn")
    from . import parallel

    # every worker ends with this process, however it dies (kill -9 included): the fork server
    # it comes from is gone then too, and each worker also watches this process itself
    me = os.getpid()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=functools.partial(
        parallel.end_with_parent, owner=me, owner_started=parallel.process_started(me)))
    old_term = None
    if threading_main():
        old_term = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        futures = {pool.submit(_execute, job): (plan, nb, job) for plan, nb, job in jobs_list}
        pending = set(futures)
        outcomes: dict[tuple[str, str], dict] = {}
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for fut in done:
                plan, nb, job = futures[fut]
                try:
                    res = fut.result()
                except Exception as exc:  # worker crashed
                    res = {"status": "failed", "error": f"{type(exc).__name__}: {exc}", "seconds": 0.0,
                           "html": None, "thumb": None}
                outcomes[(plan.rset.folder, nb.name)] = res
                where = f"{plan.rset.folder}/{nb.name}" if plan.rset.folder else nb.name
                line = f"{'ok' if res['status'] == 'ok' else 'FAILED':<6} {where}  {res['seconds']:.1f} s"
                if res["error"]:
                    line += f"  {res['error']}"
                note(line)
                if bar:
                    bar.write(line)
                    bar.update(1)
                else:
                    echo(line)
    except BaseException:
        note("interrupted; the previous report is left in place")
        for proc in list(getattr(pool, "_processes", {}).values()):
            with contextlib.suppress(Exception):
                proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
        if bar:
            bar.close()
    pool.shutdown(wait=True)
    # 4. indexes
    total = time.perf_counter() - t_start
    for plan in plans:
        d = staging / plan.rset.folder if plan.rset.folder else staging
        for nb in specs:
            res = outcomes[(plan.rset.folder, nb.name)]
            plan.rset.results.append(Result(
                name=nb.name, title=nb.title, summary=nb.summary, status=res["status"], error=res["error"],
                seconds=res["seconds"], html=res["html"], ipynb=f"{nb.name}.ipynb", thumb=res["thumb"],
                params=plan.inject[nb.name]))
        html = render_index(plan.rset, facts=facts, notebooks=specs, user_params=user, built=built,
                            seconds=total, up="../index.html" if plan.rset.folder else None, with_code=with_code,
                            folder=d)
        (d / "index.html").write_text(html, encoding="utf-8")
        _write_marker(d, plan.rset, facts, built)
    if len(plans) > 1 or plans[0].rset.folder:
        html = render_grid_index([p.rset for p in plans], facts=facts, user_params=user, built=built, seconds=total)
        (staging / "index.html").write_text(html, encoding="utf-8")
        _write_marker(staging, None, facts, built, sets=[p.rset for p in plans])
    n_failed = sum(len(p.rset.failed) for p in plans)
    note(f"done in {total:.1f} s: {n - n_failed} ok, {n_failed} failed")
    flog.close()


def threading_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _raise_interrupt(signum, frame):  # SIGTERM -> the same clean-up as Ctrl-C
    raise KeyboardInterrupt


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
