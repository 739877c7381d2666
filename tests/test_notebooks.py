"""Notebooks: every one follows the contract (clean, documented, literal parameters); each runs.

The contract (ARCHITECTURE.md): an opening markdown cell, exactly one cell tagged ``parameters``
holding typed, commented literals (``name: type = value  # meaning``) before any other code, no
stored outputs, no ``sys.path`` edits, the ``newsdesk`` kernel.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import nbformat
import pytest
import reportkit as kit

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _params_problems(source: str) -> list[str]:
    """Why a parameters cell breaks the contract (empty list: it does not)."""
    problems = []
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return [f"does not parse: {exc}"]
    if not tree.body:
        problems.append("is empty")
    comments = {tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                if tok.type == tokenize.COMMENT}
    for st in tree.body:
        where = f"line {st.lineno}"
        if not isinstance(st, ast.AnnAssign) or not isinstance(st.target, ast.Name) or st.value is None:
            problems.append(f"{where}: not an annotated assignment `name: type = value`")
            continue
        try:
            ast.literal_eval(st.value)
        except ValueError:
            problems.append(f"{where}: {st.target.id} is not a literal")
        if st.end_lineno not in comments:
            problems.append(f"{where}: {st.target.id} has no trailing `# comment`")
    return problems


def test_params_checker_rejects_bad_cells():
    assert _params_problems('corpus: str = "sample"  # where\nn: int = 3  # how many') == []
    assert _params_problems('corpus = "sample"  # untyped')
    assert _params_problems('corpus: str = "sample"')                      # no comment
    assert _params_problems('import os\ncorpus: str = os.getcwd()  # not a literal')
    assert _params_problems('x: list = [1, 2]  # ok\ny: str = f"{x}"  # not a literal')


def test_there_are_notebooks():
    assert any(p.name.startswith("01-") for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_follows_the_contract(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "newsdesk", "kernel must be 'newsdesk'"
    assert nb.cells and nb.cells[0].cell_type == "markdown", "must open with a markdown cell"
    code = [c for c in nb.cells if c.cell_type == "code"]
    for c in code:
        assert not c.get("outputs"), "outputs must not be stored (clear them before committing)"
        assert c.get("execution_count") is None, "execution counts must not be stored"
        assert "sys.path" not in c.source, "no sys.path edits: import newsdesk as installed"
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"exactly one cell tagged 'parameters', found {len(tagged)}"
    params = tagged[0]
    assert params.cell_type == "code" and code[0] is params, "the parameters cell is the first code cell"
    assert _params_problems(params.source) == []


#: Calls through which a notebook may show a table: ``newsdesk.tables.show`` and the helpers built on it.
SHOW_CALLS = {"show", "show_table", "show_kwic", "quote_explorer"}  # quote_explorer: explore.quote_explorer returns show(...)
#: Ways to build HTML by hand, or to style a table past tables.show: none belongs in a notebook.
HAND_HTML = ("HTML(", "Markdown(", "display(", "IPython.display", ".style", "to_html(", "_repr_html_", "Styler")


def _display_problems(source: str) -> list[str]:
    """Why a code cell would show something other than through tables.show (empty list: it does not).
    A cell shows its last expression unless it ends with ``;``; a chart is an assignment or a call
    ending with ``;``; ``print(...)`` is text. A plain string is not: it shows as its Python repr
    (``'no named speakers in this selection'``, quotes and all: issue 18)."""
    problems = [f"builds HTML by hand ({h})" for h in HAND_HTML if h in source]
    tree = ast.parse(source)
    if not tree.body or not isinstance(tree.body[-1], ast.Expr) or source.rstrip().endswith(";"):
        return problems

    def shown_ok(node: ast.expr) -> bool:
        if isinstance(node, ast.IfExp):
            return shown_ok(node.body) and shown_ok(node.orelse)
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            return name in SHOW_CALLS or name == "print"
        return False

    if not shown_ok(tree.body[-1].value):
        problems.append(f"shows {ast.unparse(tree.body[-1].value)[:60]!r}: wrap it in show(...) (newsdesk.tables)")
    return problems


@pytest.mark.parametrize("source, ok", [
    ("show(overview.rejects(articles))", True),
    ("x = 1\ntimeline.show_table(t, freq='week')", True),
    ("show(q) if q is not None else print('none')", True),
    ("show(q) if q is not None else 'none'", False),   # a string shows as its repr, quotes and all
    ("nq.speaker_quotes(q, followed) if followed else 'no named speakers in this selection'", False),
    ("overview.section_chart(articles);", True),
    ("fig = plot(articles)", True),
    ("print('done')", True),
    ("overview.rejects(articles)", False),
    ("table", False),
    ("lines.style.hide(axis='index')", False),
    ("from IPython.display import HTML\nHTML('<p>' + title + '</p>')", False),
    ("show(q) if q is not None else q", False),
])
def test_display_checker(source, ok):
    assert (_display_problems(source) == []) is ok


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_table_a_notebook_shows_goes_through_show(path):
    """Every table is escaped by construction (newsdesk.tables.show); no HTML is built by hand."""
    nb = nbformat.read(path, as_version=4)
    problems = {i: p for i, c in enumerate(nb.cells) if c.cell_type == "code" and (p := _display_problems(c.source))}
    assert problems == {}


@pytest.mark.slow
def test_overview_notebook_runs(tmp_path, sample_dir):
    import papermill as pm

    nb_dir = ROOT / "notebooks"
    out = tmp_path / "01-out.ipynb"
    with kit.private_kernel() as kernel:
        pm.execute_notebook(str(nb_dir / "01-corpus-overview.ipynb"), str(out), kernel_name="newsdesk",
                            cwd=str(nb_dir), progress_bar=False, **kernel)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 5                                   # each chart shown once
    text = "\n".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    n = len(list(sample_dir.glob("*.txt")))
    assert f"articles {n}" in " ".join(text.split())          # the summary counted the whole sample


@pytest.mark.slow
def test_overview_notebook_parameters_filter(tmp_path):
    """Parameters reach the analysis: a section and a date range narrow the load."""
    import papermill as pm

    nb_dir = ROOT / "notebooks"
    out = tmp_path / "01-world.ipynb"
    with kit.private_kernel() as kernel:
        pm.execute_notebook(str(nb_dir / "01-corpus-overview.ipynb"), str(out), kernel_name="newsdesk",
                            cwd=str(nb_dir), progress_bar=False,
                            parameters={"corpus": "../data/sample", "sections": ["World"],
                                        "date_from": "2023-04-01", "date_to": "2023-04-30", "show_events": False}, **kernel)
    nb = nbformat.read(out, as_version=4)
    section_table = next(c for c in nb.cells if c.cell_type == "code" and c.source.strip() == "show(overview.by_section(articles))")
    plain = section_table.outputs[0]["data"]["text/plain"]
    assert "World" in plain and "Politics" not in plain


@pytest.mark.slow
def test_keywords_notebook_honours_the_filters(tmp_path, sample_dir):
    """05 analyses only the selected dates (it used to take the whole corpus whatever the index said)."""
    import papermill as pm

    nb_dir = ROOT / "notebooks"
    out = tmp_path / "05-filtered.ipynb"
    with kit.private_kernel() as kernel:
        pm.execute_notebook(str(nb_dir / "05-keywords.ipynb"), str(out), kernel_name="newsdesk", cwd=str(nb_dir),
                            progress_bar=False, parameters={"corpus": "../data/sample", "date_from": "2023-04-01",
                                                            "date_to": "2023-05-31", "where": {"agency": ["AFP", "Reuters"]}}, **kernel)
    nb = nbformat.read(out, as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                      if o.get("output_type") == "stream")
    import newsdesk as nd

    selected = nd.load_corpus(sample_dir, date_from="2023-04-01", date_to="2023-05-31", where={"agency": ["AFP", "Reuters"]})
    period = re.search(r"([\d,]+) articles in (\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2}), ([\d,]+) outside", printed)
    whole = re.search(r"([\d,]+) articles: the whole corpus", printed)
    assert period or whole, printed[:500]
    if period:
        assert "2023-04-01" <= period.group(2) <= period.group(3) <= "2023-05-31"
        n = int(period.group(1).replace(",", "")) + int(period.group(4).replace(",", ""))
    else:
        n = int(whole.group(1).replace(",", ""))
    assert n == int(selected["duplicate_of"].isna().sum())      # exactly the selected articles, no others
