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

import benchkit

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


def _subcommands() -> list[str]:
    import argparse

    return [name for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction) for name in a.choices]


@pytest.mark.parametrize("command", [[], *([c] for c in _subcommands())])
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


@pytest.mark.parametrize("value, series", [
    ("flood|vaccine", ["flood", "vaccine"]),
    ('["flood|vaccine"]', ["flood|vaccine"]),
    ('["flood|trade talks", "vaccine"]', ["flood|trade talks", "vaccine"]),
])
def test_one_terms_value_draws_the_same_series_in_02_and_04(value, series):
    """Issue 18 item 5, run through what each notebook draws: the value as 02 receives it, through
    tone.term_tone (02's tone toward each term), and as 04 receives it, through timeline.attention
    (04's attention), names the same series ('email|emails' was one series in 02, two in 04)."""
    import newsdesk as nd
    from newsdesk import timeline, tone

    resolved = prm.resolve_params({"terms": value}, prm.discover_notebooks(), raw={"terms"})
    given = {name[:2]: inject["terms"] for name, inject in resolved.items() if "terms" in inject}
    articles = nd.load_corpus(ROOT / "data" / "sample")
    in_02 = tone.term_tone(articles, given["02"])["term"].tolist()
    in_04 = timeline.attention(articles, given["04"], freq="month").columns.tolist()
    assert in_02 == in_04 == series


@pytest.mark.parametrize("point, expected", [
    ({"section": "World"}, {"sections": "World"}),                                   # a parameter's singular
    ({"publisher": "Politico"}, {"where": {"publisher": ["Politico"]}}),             # any header column
    ({"publisher": "Politico", "agency": "AP"}, {"where": {"publisher": ["Politico"], "agency": ["AP"]}}),
    ({"top_n": "5"}, {"top_n": "5"}),
])
def test_grid_takes_any_header_column(point, expected):
    assert prm.grid_point(point, prm.discover_notebooks()) == expected


# --------------------------------------------------------------------------- every other README command
# Every `newsdesk ...` command in a README code block, every inline `newsdesk CMD PLACEHOLDER ...`
# command, every Python block and the cluster block run as written. Only the README's placeholders
# are filled in: an archive (a copy of part of the sample), an output folder, a parameters file.
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```", README, re.M | re.S)]
PYTHON_BLOCKS = [code for lang, code in BLOCKS if lang == "python"]
SHELL_LINES = [line.split("  #", 1)[0].strip() for lang, code in BLOCKS if lang in ("", "sh")
               for line in code.splitlines()
               if re.match(r"(\.venv/bin/)?newsdesk ", line.strip()) and "HOST" not in line]  # HOST: the cluster's
INLINE = list(dict.fromkeys(m.group(1) for m in re.finditer(
    r"`((?:\.venv/bin/)?newsdesk (?:load|quotes|annotate) [A-Z][^`]*)`", README)))
CLUSTER = next(code for lang, code in BLOCKS if "dask scheduler" in code)
PLACEHOLDERS = [("/path/to/archive", "archive"), ("/data/archive", "archive"), ("ARCHIVE", "archive"),
                ("archive/", "archive"), ("CORPUS", "archive"), ("DIR", "out-dir"), ("FILE", "quotes.csv")]


def _fill(command: str) -> list[str]:
    """The words a shell gives newsdesk, placeholders filled in."""
    words = shlex.split(command)
    out = []
    for w in words:
        for placeholder, value in PLACEHOLDERS:
            if w == placeholder or w.startswith(placeholder) and placeholder.endswith("/"):
                w = value
                break
            w = w.replace(placeholder, value) if placeholder.startswith("/") else w
        out.append(w)
    if out[0].startswith(".venv/bin/"):
        out[0] = out[0][len(".venv/bin/"):]
    return out


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A user's folder: ``data/sample`` (the bundled sample), ``archive/`` (its World and Business
    articles and a few more, so ``--grid section=World,Business`` has both) and ``params.yaml``."""
    import shutil

    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "data" / "sample", work / "data" / "sample")
    (work / "archive").mkdir()
    for i, path in enumerate(sorted((ROOT / "data" / "sample").glob("*.txt"))):
        head = path.read_text(encoding="utf-8")[:300]
        if i % 4 == 0 and ("## Section: World" in head or "## Section: Business" in head):
            shutil.copy(path, work / "archive" / path.name)
    (work / "params.yaml").write_text("top_n: 5\nfreq: month\n", encoding="utf-8")
    return work


def _newsdesk(words: list[str], cwd: Path, cache: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / words[0]
    env = {**os.environ, "NEWSDESK_CACHE": str(cache)}
    return subprocess.run([str(exe), *words[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_the_readme_has_commands_of_every_kind():
    assert len(SHELL_LINES) >= 8 and len(INLINE) >= 3 and len(PYTHON_BLOCKS) >= 4
    assert any("--grid" in c for c in SHELL_LINES) and any(c.startswith(".venv/bin/") for c in SHELL_LINES)


@pytest.mark.slow
@pytest.mark.parametrize("command", SHELL_LINES + INLINE)
def test_readme_newsdesk_command_runs_as_written(command, workdir):
    words = _fill(command)
    r = _newsdesk(words, workdir, workdir / "cache")
    assert r.returncode == 0, f"{command}\n{r.stderr[-3000:]}"
    if words[1] == "report" and "--out" in words:
        out = workdir / words[words.index("--out") + 1]
        assert (out / "index.html").is_file()
        if "--grid" in words:                                  # one report set per grid value
            assert len(list(out.glob("*/index.html"))) == 2
    if words[1] in ("load", "quotes") and "--out" in words:
        assert (workdir / words[words.index("--out") + 1]).exists()


@pytest.mark.slow
def test_readme_python_blocks_run_as_written(workdir):
    """The blocks run in order in one session, as a reader pastes them into one notebook; the
    DuckDB block reads ``out/articles.parquet``, which `newsdesk load CORPUS --out DIR` writes."""
    cache = workdir / "cache-python"
    assert _newsdesk(["newsdesk", "load", "data/sample", "--out", "out"], workdir, cache).returncode == 0
    script = "\n\n".join(PYTHON_BLOCKS) + "\nprint('README blocks ran')\n"
    r = subprocess.run([sys.executable, "-c", script], cwd=workdir, capture_output=True, text=True, timeout=600,
                       env={**os.environ, "NEWSDESK_CACHE": str(cache), "MPLBACKEND": "Agg"})
    assert r.returncode == 0 and "README blocks ran" in r.stdout, r.stderr[-3000:]


@pytest.mark.slow
def test_readme_cluster_commands_run_as_written(workdir):
    """The scheduler, a worker and ``annotate --scheduler`` as the README writes them; only HOST
    (the address the scheduler prints) and ``/data/archive`` are filled in."""
    lines = [line.split("  #", 1)[0].strip() for line in CLUSTER.splitlines() if line.strip() and not line.startswith("#")]
    bin_ = Path(sys.executable).parent
    procs = []
    try:
        sched = subprocess.Popen([str(bin_ / "dask"), *shlex.split(lines[0])[1:]], cwd=workdir,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        procs.append(sched)
        address = None
        for line in sched.stdout:                          # "Scheduler at:   tcp://10.0.0.5:8786"
            m = re.search(r"Scheduler at:\s+(tcp://\S+)", line)
            if m:
                address = m.group(1)
                break
        assert address, "the scheduler printed no address"
        worker = [w.replace("tcp://HOST:8786", address) for w in shlex.split(lines[1])]
        procs.append(subprocess.Popen([str(bin_ / "dask"), *worker[1:]], cwd=workdir,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        words = [w.replace("tcp://HOST:8786", address) for w in _fill(lines[2])]
        r = _newsdesk(words, workdir, workdir / "cache-cluster")
        assert r.returncode == 0, r.stderr[-3000:]
        assert "computed" in (r.stdout + r.stderr)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


# --------------------------------------------------------------------------- every other make command
# `make`, `make setup`, `make test`, `make quick ...`, `make lab`, `make bench ...`, `make sample`: each
# README make command runs through the real Makefile with a venv whose programs record what they
# are given, and what they are given is checked against the real programs' own parsers (pytest
# collects with those arguments, benchmarks/run.py's parser takes them). `-o browser` keeps `make
# test` from installing Chromium. The make report commands are the tests above.
README_OTHER_MAKE = list(dict.fromkeys(
    [line.split("#", 1)[0].strip() for lang, code in BLOCKS if lang in ("", "sh") for line in code.splitlines()
     if re.match(r"make(\s|$)", line.strip())]
    + [m.group(1).strip() for m in re.finditer(r"`(make(?: [^`]*)?)`", README)]))
README_OTHER_MAKE = [c for c in README_OTHER_MAKE if "..." not in c and not c.startswith("make report")]


def _recording_venv(tmp_path: Path) -> Path:
    venv = tmp_path / "recvenv"
    (venv / "bin").mkdir(parents=True)
    for name in ("python", "jupyter", "newsdesk"):
        exe = venv / "bin" / name
        exe.write_text(f"#!{sys.executable}\nimport json, os, sys\n"
                       "open(os.environ['ARGV_OUT'], 'a').write(json.dumps([os.path.basename(sys.argv[0]), *sys.argv[1:]]) + '\\n')\n")
        exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    (venv / ".installed").touch()          # newer than requirements.lock: setup has nothing to do
    return venv


def test_the_readme_has_the_other_make_commands():
    assert {"make test", "make quick", "make lab", "make bench", "make sample"} <= set(README_OTHER_MAKE)


@pytest.mark.parametrize("command", README_OTHER_MAKE)
def test_readme_make_command_runs_as_written(command, tmp_path):
    words = shlex.split(command)
    out = tmp_path / "argv.jsonl"
    env = {**os.environ, "ARGV_OUT": str(out)}
    env.pop("MAKEFLAGS", None)
    r = subprocess.run(["make", "-s", "-C", str(ROOT), "-o", "browser", *words[1:], f"VENV={_recording_venv(tmp_path)}"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    calls = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    given = dict(w.split("=", 1) for w in words[1:] if "=" in w)
    target = next((w for w in words[1:] if "=" not in w), "setup")
    if target == "setup":
        assert calls == []
        return
    (call,) = calls
    if target in ("test", "quick"):
        extra = shlex.split(given.get("PYTEST_ARGS", ""))
        assert call[:3] == ["python", "-m", "pytest"] and call[len(call) - len(extra):] == extra
        if "-n" in extra:
            pytest.importorskip("xdist")
        if any(a.startswith("tests/") for a in extra):       # pytest takes them: collect only
            proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                                   *call[3:]], cwd=ROOT, capture_output=True, text=True, timeout=120)
            assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    elif target == "bench":
        assert call[:2] == ["python", "benchmarks/run.py"]
        bench = benchkit.load("run")
        with pytest.raises(SystemExit) as done:            # its parser takes the arguments (--help ends it)
            bench.main([*call[2:], "--help"])
        assert done.value.code == 0
        if "SIZES" in given:
            assert call[2:] == ["--sizes", given["SIZES"]]
    elif target == "sample":
        assert call == ["python", "tools/make_sample.py", "data/sample"]
    elif target == "lab":
        assert call[:3] == ["jupyter", "lab", "--notebook-dir=notebooks"]
    else:
        pytest.fail(f"no check for {command!r}")
