"""The project as a new user meets it: installable package, pins, console script, doctests, `make lab`."""
from __future__ import annotations

import doctest
import importlib
import json
import os
import pkgutil
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import newsdesk

ROOT = Path(__file__).resolve().parents[1]


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)", line)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def test_package_is_installed_from_lib_not_path_hacks():
    assert Path(newsdesk.__file__).resolve().is_relative_to(ROOT / "lib" / "newsdesk")
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        assert "sys.path" not in nb.read_text(encoding="utf-8"), f"{nb.name} edits sys.path"


def test_direct_dependencies_are_pinned_to_the_lock():
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lock = _lock()
    assert deps, "pyproject lists no dependencies"
    for dep in deps:
        m = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(.+)$", dep)
        assert m, f"{dep!r} is not an exact pin"
        name = m.group(1).lower().replace("_", "-")
        assert lock.get(name) == m.group(2), f"{name}: pyproject {m.group(2)} != lock {lock.get(name)}"


@pytest.mark.parametrize("pkg", ["pandas", "matplotlib", "nltk", "papermill", "jupyterlab", "vadersentiment"])
def test_design_card_packages_are_locked(pkg):
    assert pkg in _lock()


def test_environment_yml_uses_the_lock_and_ends_with_editable_install():
    text = (ROOT / "environment.yml").read_text()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert "- -r requirements.lock" in lines
    assert lines[-1] == "- -e ."


def test_console_script_runs():
    exe = Path(sys.executable).parent / "newsdesk"
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"newsdesk {newsdesk.__version__}"


def test_ci_runs_make_test():
    text = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test\s*$", text, re.M)


def _modules():
    for info in pkgutil.iter_modules(newsdesk.__path__, "newsdesk."):
        yield info.name


@pytest.mark.parametrize("modname", sorted(_modules()))
def test_docstring_examples_run(modname, monkeypatch):
    """Every example in a docstring works (those marked +SKIP need a corpus in the cwd)."""
    monkeypatch.chdir(ROOT)
    mod = importlib.import_module(modname)
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert res.failed == 0, f"{res.failed} docstring example(s) failed in {modname}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_serves_with_a_token(tmp_path):
    """`make lab` starts JupyterLab on the project's kernel; it answers on a free port with a token."""
    port, token = _free_port(), secrets.token_hex(16)
    args = (f"--no-browser --port={port} --ServerApp.ip=127.0.0.1 --IdentityProvider.token={token} "
            f"--ServerApp.open_browser=False")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"), HOME=str(tmp_path))
    proc = subprocess.Popen(["make", "-s", "lab", f"LAB_ARGS={args}"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2) as r:
                    status = r.status
                    break
            except OSError:
                time.sleep(0.5)
        assert status == 200, "JupyterLab did not answer"
        # without the token the API refuses
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=5)
        assert err.value.code == 403
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernelspecs?token={token}", timeout=5) as r:
            specs = json.load(r)
        assert "newsdesk" in specs["kernelspecs"]
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)


def _public_definitions(path: Path) -> list[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [n.name for n in tree.body
             if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not n.name.startswith("_")]
    if path.stem in ("config", "resources"):          # modules of names: every public one is API
        names += [t.id for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign))
                  for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
                  if isinstance(t, ast.Name) and not t.id.startswith("_")]
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "lib" / "newsdesk").glob("*.py")), ids=lambda p: p.stem)
def test_no_module_is_over_800_lines(path):
    """Issue 21's house rule: a module a newcomer can read (split along its seams when it grows)."""
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 800, path.name


@pytest.mark.parametrize("path", sorted((ROOT / "lib" / "newsdesk").glob("[!_]*.py")), ids=lambda p: p.stem)
def test_every_module_says_its_public_names_in_all(path):
    """``__all__`` in every module: it names only what exists, and every public function and class
    the module defines (a helper meant for the module alone starts with ``_``)."""
    import importlib

    module = importlib.import_module(f"newsdesk.{path.stem}")
    assert hasattr(module, "__all__"), f"{path.name} has no __all__"
    assert all(hasattr(module, name) for name in module.__all__)
    missing = [n for n in _public_definitions(path) if n not in module.__all__]
    assert not missing, f"{path.name}: public but not in __all__: {missing}"
