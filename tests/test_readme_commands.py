"""Every ``make report`` command in the README works as written: the Makefile hands newsdesk the
corpus, the output folder and each parameter exactly as the user typed them (globs unexpanded,
spaces kept, lists intact), and the real CLI parser and parameter checks accept them."""
from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk import cli
from newsdesk import params as prm

ROOT = Path(__file__).resolve().parents[1]
README_MAKE = [line.split("#", 1)[0].strip() for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("make report")]
README_MAKE += [m.group(1) for m in re.finditer(r"`(make report [^`]*)`", (ROOT / "README.md").read_text(encoding="utf-8"))
                if "..." not in m.group(1)]


def _fake_venv(tmp_path: Path) -> Path:
    """A venv whose ``newsdesk`` records its arguments, so the Makefile's own quoting is tested."""
    venv = tmp_path / "fakevenv"
    (venv / "bin").mkdir(parents=True)
    exe = venv / "bin" / "newsdesk"
    exe.write_text(f"#!{sys.executable}\nimport json, os, sys\n"
                   "open(os.environ['ARGV_OUT'], 'w').write(json.dumps(sys.argv[1:]))\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    (venv / ".installed").touch()
    return venv


def _run_make(words: list[str], venv: Path, out_file: Path) -> list[str]:
    env = {**os.environ, "ARGV_OUT": str(out_file)}
    env.pop("MAKEFLAGS", None)
    r = subprocess.run(["make", "-s", "-C", str(ROOT), *words[1:], f"VENV={venv}"], env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(out_file.read_text())


def test_the_readme_has_make_report_examples():
    assert len(README_MAKE) >= 3 and any("PARAMS=" in c for c in README_MAKE)


@pytest.mark.parametrize("command", README_MAKE)
def test_readme_make_report_command_runs_as_written(command, tmp_path):
    archive = tmp_path / "archive"
    words = shlex.split(command.replace("/path/to/archive", str(archive)))   # what the user's shell does
    given = dict(w.split("=", 1) for w in words[2:] if "=" in w)
    argv = _run_make(words, _fake_venv(tmp_path), tmp_path / "argv.json")
    assert argv[:4] == ["report", given.get("CORPUS", "data/sample"), "--out", given.get("OUT", "reports")]
    args = cli.build_parser().parse_args(argv)
    values, raw = prm.parse_cli_params(args.param, args.params_file)
    resolved = prm.resolve_params(values, prm.discover_notebooks(), raw=raw)
    for name in values:                                  # every parameter reached a notebook, checked
        assert any(name in inject for inject in resolved.values())


@pytest.mark.parametrize("params, name, expected", [
    ('-p sections ["World"]', "sections", ["World"]),
    ('-p sections \'["New York", "World"]\'', "sections", ["New York", "World"]),
    ("-p terms 'flood|vaccine'", "terms", "flood|vaccine"),
    ('-p top_n 5 -p sections ["World"]', "top_n", 5),
])
def test_make_params_reach_the_notebooks_intact(params, name, expected, tmp_path):
    corpus = f"{tmp_path}/my archive/2017-*.txt"         # a space in the path, as users have
    argv = _run_make(["make", "report", f"CORPUS={corpus}", f"OUT={tmp_path}/my reports", f"PARAMS={params}"],
                     _fake_venv(tmp_path), tmp_path / "argv.json")
    assert argv[1:4] == [corpus, "--out", f"{tmp_path}/my reports"]   # the glob is newsdesk's to expand
    args = cli.build_parser().parse_args(argv)
    values, raw = prm.parse_cli_params(args.param, None)
    resolved = prm.resolve_params(values, prm.discover_notebooks(), raw=raw)
    got = [inject[name] for inject in resolved.values() if name in inject]
    assert got and all(v in (expected, [expected]) for v in got)     # terms: one term, or a list of one


@pytest.mark.parametrize("command", [[], ["load"], ["annotate"], ["quotes"], ["report"]])
def test_help_texts_are_plain_text(command, capsys):
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args([*command, "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: newsdesk") and "``" not in out and ":func:" not in out


@pytest.mark.parametrize("value, series", [
    ("email|emails", ["email", "emails"]),                       # a string with | : one series each
    ('["email|emails"]', ["email|emails"]),                      # a list item with | : one series
    ('["Russia|Kremlin", "Iran"]', ["Russia|Kremlin", "Iran"]),
    ("Iran", ["Iran"]),
])
def test_one_terms_value_gives_the_same_series_in_every_notebook(value, series):
    from newsdesk.text import parse_terms

    notebooks = prm.discover_notebooks()
    resolved = prm.resolve_params({"terms": value}, notebooks, raw={"terms"})
    taking = {name: inject["terms"] for name, inject in resolved.items() if "terms" in inject}
    assert len(taking) >= 2                                      # 02 and 04 both take terms
    for name, terms in taking.items():
        assert list(parse_terms(terms)) == series, name


@pytest.mark.parametrize("point, expected", [
    ({"section": "World"}, {"sections": "World"}),                                   # a parameter's singular
    ({"publisher": "Politico"}, {"where": {"publisher": ["Politico"]}}),             # any header column
    ({"publisher": "Politico", "agency": "AP"}, {"where": {"publisher": ["Politico"], "agency": ["AP"]}}),
    ({"top_n": "5"}, {"top_n": "5"}),
])
def test_grid_takes_any_header_column(point, expected):
    assert prm.grid_point(point, prm.discover_notebooks()) == expected
