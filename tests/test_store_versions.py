"""Store versions cover exactly what an annotator reads (issue 20, item 4).

Each annotator declares its :class:`registry.Inputs`; its version hashes those and nothing else. The
walker below follows the bytecode from the annotator's entry point through every newsdesk
function and class it reaches, and the tests check that:

- the declaration equals what is reached (a new call or a new ``R.NAME`` must be declared);
- editing code outside it (a chart, its docstring, the module's other functions) keeps the version;
- editing any declared function's source, or any declared word list or pattern, changes it.

The cross-process check of the versions, and the unit tests of stable_repr and _source, are in
test_registry.py.
"""
from __future__ import annotations

import dis
import importlib
import importlib.util
import inspect
import re
import sys
import types

import pytest

from newsdesk import mentions, quotes
from newsdesk import resources as R
from newsdesk import registry
from newsdesk import text

#: Columns of the articles frame that the loader derives from the body with newsdesk code: an
#: annotator that reads one depends on that code as much as on its own (``text_offset`` and
#: ``text_length`` are the clean-text span).
DERIVED_COLUMNS = {"text_offset": text.span_and_agency, "text_length": text.span_and_agency,
                   "agency": text.span_and_agency}

KINDS = sorted(k for k in registry.kinds() if not k.startswith("toy_"))


# --------------------------------------------------------------------------- the walker
def _short(qualname: str) -> str:
    return qualname[len("newsdesk."):] if qualname.startswith("newsdesk.") else qualname


def _ours(obj, home: str = "newsdesk") -> bool:
    mod = getattr(obj, "__module__", None) or ""
    return mod.startswith("newsdesk") or mod == home


def _codes(obj):
    """The code objects of a function, or of every method of a class (nested code included)."""
    if inspect.isclass(obj):
        for v in vars(obj).values():
            v = v.__func__ if isinstance(v, (staticmethod, classmethod)) else v
            if isinstance(v, property):
                yield from (c for f in (v.fget, v.fset, v.fdel) if f for c in _codes(f))
            elif inspect.isfunction(v) or inspect.isclass(v):
                yield from _codes(v)
        return
    todo = [inspect.unwrap(obj).__code__]
    while todo:
        code = todo.pop()
        yield code
        todo.extend(c for c in code.co_consts if isinstance(c, types.CodeType))


def _globals_of(obj) -> dict:
    obj = inspect.unwrap(obj)
    return obj.__globals__ if inspect.isfunction(obj) else vars(importlib.import_module(obj.__module__))


def _callables_in(value, home: str):
    """Functions and classes held by a value (a list of rules, a dict of handlers)."""
    if isinstance(value, dict):
        items = list(value.keys()) + list(value.values())
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    else:
        return []
    return [x for x in items if (inspect.isfunction(inspect.unwrap(x)) or inspect.isclass(x)) and _ours(x, home)]


def reached(entry) -> dict[str, set[str]]:
    """``{"functions": ..., "values": ...}``: the ``module.name`` of every function and class run
    from ``entry`` (transitively) in newsdesk or in ``entry``'s own module, and of every
    module-level value they read, whether ``NAME`` (a global of their module) or ``R.NAME`` /
    ``_text.NAME`` (a newsdesk module's attribute). Builtins and other libraries are not followed."""
    funcs: dict[str, object] = {}
    values: set[str] = set()
    todo = [entry]
    home = entry.__module__

    def see(obj, qual: str) -> None:
        if inspect.ismodule(obj):
            return
        if inspect.isfunction(inspect.unwrap(obj)) or inspect.isclass(obj):
            if _ours(obj, home):
                todo.append(obj)
            return
        if callable(obj) and not isinstance(obj, re.Pattern):
            return                      # pd, np, Counter, typing: not newsdesk code
        values.add(qual)
        todo.extend(_callables_in(obj, home))

    while todo:
        obj = todo.pop()
        qual = _short(f"{obj.__module__}.{obj.__qualname__}")
        if qual in funcs:
            continue
        funcs[qual] = obj
        g = _globals_of(obj)
        here = _short(g["__name__"])
        for code in _codes(obj):
            ins = list(dis.get_instructions(code))
            for i, op in enumerate(ins):
                if op.opname == "LOAD_GLOBAL" and op.argval in g:
                    target = g[op.argval]
                    if inspect.ismodule(target):
                        nxt = ins[i + 1] if i + 1 < len(ins) else None
                        if (target.__name__.startswith("newsdesk") and nxt is not None
                                and nxt.opname in ("LOAD_ATTR", "LOAD_METHOD")):
                            see(getattr(target, nxt.argval), f"{_short(target.__name__)}.{nxt.argval}")
                        continue
                    see(target, f"{here}.{op.argval}")
                elif op.opname == "LOAD_CONST" and isinstance(op.argval, str) and op.argval in DERIVED_COLUMNS:
                    see(DERIVED_COLUMNS[op.argval], "")
                elif op.opname == "IMPORT_NAME":
                    level = ins[i - 2].argval or 0
                    name = importlib.util.resolve_name("." * level + op.argval, g["__package__"]) \
                        if level else op.argval
                    if not name.startswith("newsdesk"):
                        continue
                    froms = ins[i - 1].argval or ()
                    mod = importlib.import_module(name)
                    for f in froms:
                        target = getattr(mod, f)
                        assert not inspect.ismodule(target), (
                            f"{qual} imports the module {name}.{f} in a function: import it at module "
                            "level so its attributes can be followed")
                        see(target, f"{_short(name)}.{f}")
                    assert froms, f"{qual} imports {name} in a function: import it at module level"
    return {"functions": set(funcs), "values": values}


def _declared(inputs: registry.Inputs) -> dict[str, set[str]]:
    return {"functions": set(inputs.names("functions")),
            "values": set(inputs.names("values")) | set(inputs.names("caches"))}


def undeclared(fn, inputs: registry.Inputs) -> dict[str, list[str]]:
    """What ``fn`` reaches that ``inputs`` does not declare, and what it declares but never reaches."""
    got, said = reached(fn), _declared(inputs)
    out = {}
    for part in ("functions", "values"):
        if got[part] - said[part]:
            out[f"undeclared {part}"] = sorted(got[part] - said[part])
        if said[part] - got[part]:
            out[f"declared but not reached {part}"] = sorted(said[part] - got[part])
    return out


def _by_module(names) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    for n in sorted(names):
        mod, attr = n.rsplit(".", 1)
        out.setdefault(mod, []).append(attr)
    return {m: " ".join(v) for m, v in out.items()}


@pytest.fixture(params=KINDS)
def ann(request):
    return registry.annotator(request.param)


# --------------------------------------------------------------------------- declarations
def test_every_builtin_kind_is_covered():
    assert {"keyword_counts", "quotes", "sentences"} <= set(KINDS)


def test_each_annotator_declares_exactly_what_it_reaches(ann):
    assert ann.inputs is not None, f"{ann.kind} is registered without inputs="
    diff = undeclared(ann.fn, ann.inputs)
    got = reached(ann.fn)
    caches = set(ann.inputs.names("caches"))
    assert not diff, (f"{ann.kind}: its registry.Inputs differ from what its annotator reaches: {diff}\n"
                      f"declare: functions={_by_module(got['functions'])}\n"
                      f"values={_by_module(got['values'] - caches)}, caches={_by_module(caches)}")


def test_the_registered_version_is_the_hash_of_the_declared_inputs(ann):
    assert ann.version == ann.inputs.version()


def _reads_group_nouns(articles):
    return [w for w in articles if w in R.GROUP_NOUNS]


def _calls_a_quotes_helper(articles):
    return mentions._looks_like_description(list(articles))


def test_the_check_catches_an_undeclared_word_list():
    here = {__name__: "_reads_group_nouns"}
    assert undeclared(_reads_group_nouns, registry.Inputs(functions=here)) == {
        "undeclared values": ["resources.GROUP_NOUNS"]}
    ok = registry.Inputs(functions=here, values={"resources": "GROUP_NOUNS"})
    assert undeclared(_reads_group_nouns, ok) == {}


def test_the_check_catches_an_undeclared_function_and_what_it_reads():
    diff = undeclared(_calls_a_quotes_helper, registry.Inputs(functions={__name__: "_calls_a_quotes_helper"}))
    assert "mentions._looks_like_description" in diff["undeclared functions"]
    assert any(v.startswith("resources.") for v in diff["undeclared values"])


@pytest.mark.parametrize("kind, dropped", [
    ("quotes", ("values", "resources", "GROUP_NOUNS")),
    ("quotes", ("values", "resources", "QUOTE_OPENERS")),
    ("quotes", ("functions", "text", "content_span")),
    ("sentences", ("values", "resources", "SENTENCE_OPENERS")),
    ("keyword_counts", ("values", "resources", "STOP_WORDS")),
])
def test_dropping_a_declared_input_is_caught(kind, dropped):
    ann = registry.annotator(kind)
    part, mod, name = dropped
    table = dict(getattr(ann.inputs, part))
    table[mod] = " ".join(n for n in table[mod].split() if n != name)
    fewer = registry.Inputs(**{**vars(ann.inputs), part: table})
    assert f"{mod}.{name}" in undeclared(ann.fn, fewer)[f"undeclared {part}"]


# --------------------------------------------------------------------------- what changes a version
def _docstring_edit(src: str) -> str:
    return src.replace('"""', '"""Edited. ', 1) + "    pass  # edited\n"


def _edited_source(monkeypatch, targets, edit=_docstring_edit):
    """Make the versions see ``edit``ed source for ``targets`` (as if their file had been edited)."""
    targets = {id(inspect.unwrap(t)) for t in targets}
    real = registry._source

    def fake(obj):
        src = real(obj)
        return edit(src) if id(inspect.unwrap(obj)) in targets else src

    monkeypatch.setattr(registry, "_source", fake)


def test_source_is_what_inspect_reads(ann):
    """The versions read source without tokenising (Python 3.11+); it must be inspect.getsource's,
    less any trailing comment lines, which is what Python 3.10 hashes: both give one version."""
    for name in ann.inputs.names("functions"):
        obj = inspect.unwrap(registry._resolve(name))
        full = inspect.getsource(obj).splitlines(keepends=True)
        while full[-1].strip()[:1] in ("", "#"):
            full.pop()
        assert registry._source(obj) == "".join(full), name


def _not_declared(ann) -> list:
    """Every function and class in the annotator's modules (and text) that it does not declare."""
    declared = set(ann.inputs.names("functions"))
    mods = {n.split(".")[0] for n in declared} | {"text"}
    out = []
    for m in sorted(mods):
        mod = importlib.import_module(f"newsdesk.{m}")
        for name, obj in vars(mod).items():
            if ((inspect.isfunction(inspect.unwrap(obj)) or inspect.isclass(obj)) and obj.__module__ == mod.__name__
                    and f"{m}.{name}" not in declared):
                out.append(obj)
    return out


@pytest.mark.parametrize("chart", ["tone.plot_distribution", "speakers.chart_top_speakers",
                                   "keywords.plot_keywords", "tone.tone_by", "speakers.top_speakers"])
def test_a_chart_docstring_edit_keeps_every_version(monkeypatch, chart):
    before = {k: registry.annotator(k).inputs.version() for k in KINDS}
    _edited_source(monkeypatch, [registry._resolve(chart)])
    assert "Edited." in registry._source(registry._resolve(chart))
    assert {k: registry.annotator(k).inputs.version() for k in KINDS} == before


def test_editing_every_function_an_annotator_does_not_run_keeps_its_version(monkeypatch, ann):
    others = _not_declared(ann)
    assert len(others) > 5, "the check should cover the module's other functions"
    before = ann.inputs.version()
    _edited_source(monkeypatch, others)
    assert ann.inputs.version() == before
    _edited_source(monkeypatch, others + [registry._resolve(ann.inputs.names("functions")[0])])
    assert ann.inputs.version() != before         # the same edit, to one declared function, counts


def test_editing_any_declared_function_changes_the_version(monkeypatch, ann):
    before = ann.inputs.version()
    unchanged = []
    for name in ann.inputs.names("functions"):
        with monkeypatch.context() as m:
            _edited_source(m, [registry._resolve(name)], edit=lambda src: src.replace("(", "( ", 1))
            if ann.inputs.version() == before:
                unchanged.append(name)
    assert not unchanged, f"editing these leaves the {ann.kind} version unchanged: {unchanged}"


def test_editing_text_content_span_changes_the_quotes_version(monkeypatch):
    ann = registry.annotator("quotes")
    before = ann.inputs.version()
    _edited_source(monkeypatch, [text.content_span], edit=lambda src: src.replace("title", "headline"))
    assert ann.inputs.version() != before


TOY = '''
from newsdesk import registry

WORDS = frozenset({words!r})
{above}

def annotate(articles):
    """Count the listed words in each body."""
    return articles.assign(n=articles["body"].map(lambda b: sum({test} for w in b.split())))[["article_id", "n"]]


def chart(counts):
    """{doc}"""
    return counts.plot()


INPUTS = registry.Inputs(functions={{"toy_versions_mod": "annotate"}}, values={{"toy_versions_mod": "WORDS"}})
registry.register("toy_versions", annotate, inputs=INPUTS)
'''


@pytest.mark.parametrize("edit, same", [
    ({"doc": "A chart of the counts, reworded."}, True),
    ({"above": "\n\ndef helper():\n    \"\"\"Unused, and it moves annotate down.\"\"\"\n"}, True),
    ({"words": ["flood", "storm", "Spokespeople"]}, False),
    ({"test": "w.lower() in WORDS"}, False),
])
def test_a_real_file_edit(tmp_path, monkeypatch, edit, same):
    """The same checks on a module file edited on disk and reloaded, for an annotator of one's own."""
    base = {"words": ["flood", "storm"], "above": "", "doc": "A chart of the counts.", "test": "w in WORDS"}
    path = tmp_path / "toy_versions_mod.py"
    path.write_text(TOY.format(**base))
    monkeypatch.syspath_prepend(str(tmp_path))
    mod = importlib.import_module("toy_versions_mod")
    try:
        before = registry.annotator("toy_versions").version
        assert undeclared(mod.annotate, mod.INPUTS) == {}
        path.write_text(TOY.format(**{**base, **edit}))
        importlib.invalidate_caches()
        importlib.reload(mod)
        assert (registry.annotator("toy_versions").version == before) is same
    finally:
        sys.modules.pop("toy_versions_mod", None)
        registry._REGISTRY.pop("toy_versions", None)


def _perturbed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        return value + "\u2063"
    if isinstance(value, (set, frozenset)):
        return type(value)(value | {"zz-edited"})
    if isinstance(value, tuple):
        return value + ("zz-edited",)
    if isinstance(value, list):
        return value + ["zz-edited"]
    if isinstance(value, dict):
        return {**value, "zz-edited": next(iter(value.values()), 0)}
    if isinstance(value, re.Pattern):
        return re.compile(value.pattern + "|zz-edited", value.flags)
    raise AssertionError(f"no edit for a {type(value).__name__}")


def test_editing_any_declared_value_changes_the_version(monkeypatch, ann):
    before = ann.inputs.version()
    unchanged = []
    for name in ann.inputs.names("values"):
        mod, attr = name.rsplit(".", 1)
        module = importlib.import_module(f"newsdesk.{mod}")
        with monkeypatch.context() as m:
            m.setattr(module, attr, _perturbed(getattr(module, attr)))
            if ann.inputs.version() == before:
                unchanged.append(name)
    assert not unchanged, f"editing these leaves the {ann.kind} version unchanged: {unchanged}"


def test_a_regex_flag_edit_changes_the_version(monkeypatch):
    ann = registry.annotator("keyword_counts")
    before = ann.inputs.version()
    monkeypatch.setattr(R, "WORD_RE", re.compile(R.WORD_RE.pattern, R.WORD_RE.flags | re.IGNORECASE))
    assert ann.inputs.version() != before


def _clear_quote_caches():
    for f in vars(quotes).values():
        getattr(f, "cache_clear", lambda: None)()


def test_adding_a_group_noun_changes_extraction_and_the_quotes_version(monkeypatch):
    """The stale-quotes case of issue 20: "Spokespeople" in ``GROUP_NOUNS`` turns a person into a
    description, so it must change the version (it did not while the hand-kept list lacked it)."""
    text = "Spokespeople said: “The talks are over.”"

    def speakers():
        return [(q["speaker"], q["speaker_kind"]) for q in quotes.extract_quotes(text)]

    before, before_speakers = registry.annotator("quotes").inputs.version(), speakers()
    monkeypatch.setattr(R, "GROUP_NOUNS", R.GROUP_NOUNS | {"Spokespeople"})
    _clear_quote_caches()
    after, after_speakers = registry.annotator("quotes").inputs.version(), speakers()
    monkeypatch.undo()
    _clear_quote_caches()
    assert (before_speakers, after_speakers) == ([("Spokespeople", "person")], [(None, "description")])
    assert after != before
