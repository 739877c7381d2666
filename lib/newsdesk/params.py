"""Report parameters: what the report notebooks declare, and the values a run gives them.

Each ``notebooks/NN-name.ipynb`` declares its parameters in one ``parameters`` cell of typed,
commented literals (the one source of truth). The values a run is given (``-p``, ``-f``,
``--grid``) are checked against them **before** anything runs: an unknown name, a wrong type or an
out-of-range value stops the run with a message that names the parameter and what to do; then
against the corpus (:func:`check_against_corpus`). Values reach the notebooks as values
(papermill writes them as escaped Python literals), never as code.

>>> from newsdesk.params import discover_notebooks, resolve_params
>>> nbs = discover_notebooks()                                   # doctest: +SKIP
>>> resolve_params({"top_n": 5}, nbs)                            # doctest: +SKIP
"""
from __future__ import annotations

import ast
import datetime as dt
import difflib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from . import config
from . import resources as R
from .errors import NewsdeskError

__all__ = ["ReportError", "Param", "Notebook", "describe", "parse_parameters", "read_notebook_spec",
           "discover_notebooks", "coerce_value", "date_span", "check_date", "parse_cli_params", "all_params",
           "check_names", "resolve_params", "parse_grid", "grid_point", "grid_alias", "check_against_corpus",
           "help_params"]


class ReportError(NewsdeskError, ValueError):
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
    newsdesk.params.ReportError: top_n must be >= 1, got -1 (parameter of nb)
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
    newsdesk.params.ReportError: date_to: '2017-02-30' is not a date (day is out of range for month); write YYYY-MM-DD, e.g. 2017-05-12
    >>> check_date("9999-12-31", name="date_to")
    Traceback (most recent call last):
    ...
    newsdesk.params.ReportError: date_to: '9999-12-31' is outside the dates pandas can hold, 1678-01-01 to 2261-12-31; give a date in that range
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
    newsdesk.params.ReportError: unknown parameter 'top_nn'. Did you mean 'top_n'? ...
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
    from .corpus import date_mask, originals

    lo, hi = params.get("period_from") or "", params.get("period_to") or ""
    if not (lo or hi):
        return
    what = f"period {lo or '...'} to {hi or '...'}"
    articles = _selection(articles, params)
    unique = originals(articles)
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
    from .records import CorpusError

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

