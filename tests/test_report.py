"""The report runner: kernels, the ``newsdesk report`` command, a real build, grids,
interrupted runs and the fork server."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from newsdesk import __version__
from newsdesk import publish
from newsdesk import report as rp
from newsdesk import resources as R

import reportkit as kit


# --------------------------------------------------------------------------- kernels
@pytest.mark.slow
def test_kernels_write_no_ipython_history(tmp_path):
    import sqlite3

    nbs = kit.fixture_notebooks(tmp_path / "nbs")
    home, ipython = tmp_path / "home", tmp_path / "ipython"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "IPYTHONDIR": str(ipython), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run([*kit.NEWSDESK, "report", str(kit.make_corpus(tmp_path / "c")), "--out", str(tmp_path / "out"),
                           "--notebooks-dir", str(nbs), "--notebooks", "03", "-p", "label", "secret-label"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "secret-label" in (tmp_path / "out" / "03-echo.html").read_text(encoding="utf-8")
    for db in [*home.rglob("history.sqlite"), *ipython.rglob("history.sqlite")]:
        with contextlib.closing(sqlite3.connect(db)) as con:
            rows = con.execute("select count(*) from history").fetchone()[0] if con.execute(
                "select name from sqlite_master where name = 'history'").fetchone() else 0
        assert rows == 0, f"{db} holds {rows} entries of executed code"


@pytest.mark.slow
def test_kernels_talk_over_private_unix_sockets_and_leave_none_behind(tmp_path):
    # TCP kernels started side by side can race for a port (papermill #511); sockets cannot
    nbs = tmp_path / "nbs"
    kit.make_notebook(nbs / "01-transport.ipynb", "# Transport\n\nPrints the kernel's connection.",
                      'label: str = "all"  # a label',
                      ["import json\nfrom ipykernel.connect import get_connection_info\n"
                       "info = get_connection_info(unpack=True)\n"
                       "print('CONN', json.dumps({'transport': info['transport'], 'ip': info['ip']}))"])
    tmp = Path(tempfile.mkdtemp(prefix="nd-"))   # short: tmp_path can pass the socket path limit
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
    try:
        proc = subprocess.run([*kit.NEWSDESK, "report", str(kit.make_corpus(tmp_path / "c")), "--out", str(tmp_path / "out"),
                               "--notebooks-dir", str(nbs)], env=env, capture_output=True, text=True, timeout=300)
        left = list(tmp.glob("newsdesk-kernel*"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert proc.returncode == 0, proc.stderr
    import nbformat

    nb = nbformat.read(next((tmp_path / "out").rglob("01-transport.ipynb")), as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    conn = json.loads(text.split("CONN ", 1)[1].splitlines()[0])
    assert conn["transport"] == "ipc"
    assert conn["ip"].startswith(str(tmp) + os.sep)
    assert not left, "a kernel's socket folder was left behind"


@pytest.mark.slow
def test_a_relative_cache_folder_is_the_kernels_cache_too(tmp_path):
    nbs = tmp_path / "nbs"
    kit.make_notebook(nbs / "01-cache.ipynb", "# Cache\n\nPrints the cache folder.", 'label: str = "all"  # a label',
                      ["from newsdesk import config\nprint('CACHE', config.CACHE_DIR)"])
    corpus = kit.make_corpus(tmp_path / "c")
    env = {**os.environ, "NEWSDESK_CACHE": "rel-cache", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run([*kit.NEWSDESK, "report", str(corpus), "--out", str(tmp_path / "out"), "--notebooks-dir", str(nbs)],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    import nbformat

    nb = nbformat.read(tmp_path / "out" / "01-cache.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert text.split("CACHE ", 1)[1].splitlines()[0] == str((tmp_path / "rel-cache").resolve())
    assert not (nbs / "rel-cache").exists()


@pytest.mark.parametrize("folder, expected", [("/tmp/newsdesk-kernel-ab12", "ipc"), ("/" + "x" * 120, None)])
def test_the_ipc_kernel_manager_falls_back_to_tcp_when_the_socket_path_is_too_long(folder, expected):
    cls = rp.ipc_kernel_manager(folder)
    assert (cls().transport if cls else None) == expected


# --------------------------------------------------------------------------- the command
def test_misspelled_parameter_fails_before_anything_runs(tmp_path):
    nbs = kit.fixture_notebooks(tmp_path / "nbs")
    # the corpus does not even exist: the name check comes first
    proc = kit.run_cli("report", str(tmp_path / "no-corpus"), "--out", str(tmp_path / "out"),
                       "--notebooks-dir", str(nbs), "-p", "top_nn", "5", timeout=60)
    assert proc.returncode == 2
    assert "unknown parameter 'top_nn'. Did you mean 'top_n'?" in proc.stderr
    assert "Valid parameters:" in proc.stderr and "sections" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow   # a CLI process per case: 2-5 s each
@pytest.mark.parametrize("args, message", [
    (["-p", "top_n", "-3"], "top_n must be >= 1, got -3"),
    (["-p", "date_from", "2017-02-30"], "date_from: '2017-02-30' is not a date"),
    (["-p", "date_to", "9999-12-31"], "date_to: '9999-12-31' is outside the dates pandas can hold, 1678-01-01 to 2261-12-31"),
    (["-p", "date_from", "2017-05-02T25:00"], "date_from: '2017-05-02T25:00' is not a date (hour must be in 0..23)"),
    (["-p", "date_from", "2030"], "date_from 2030: no article of the corpus matches"),
    (["-p", "sections", '["Sport"]'], "section 'Sport' does not occur in the corpus"),
    (["--grid", "section=World,Sprot"], "section 'Sprot' does not occur in the corpus"),
    (["--grid", "sectoin=World"], "unknown grid parameter 'sectoin'"),
    (["--notebooks", "09"], "no notebook '09'"),
    (["-p", "freq", "weekly"], "Did you mean 'week'?"),
])
def test_bad_input_exits_2_with_a_clear_message(tmp_path, args, message):
    nbs = kit.fixture_notebooks(tmp_path / "nbs")
    corpus = kit.make_corpus(tmp_path / "corpus")
    proc = kit.run_cli("report", str(corpus), "--out", str(tmp_path / "out"), "--notebooks-dir", str(nbs), *args,
                       timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert not (tmp_path / "out").exists()


def test_missing_corpus_is_a_clear_error(tmp_path):
    nbs = kit.fixture_notebooks(tmp_path / "nbs")
    proc = kit.run_cli("report", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), "--notebooks-dir", str(nbs),
                       timeout=120)
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr


def test_help_params_command(tmp_path):
    nbs = kit.fixture_notebooks(tmp_path / "nbs")
    proc = kit.run_cli("report", "--help-params", "--notebooks-dir", str(nbs), timeout=60)
    assert proc.returncode == 0
    assert "01-counts" in proc.stdout and "03-echo" in proc.stdout and "terms" in proc.stdout


# --------------------------------------------------------------------------- a real build (session-wide)
@pytest.fixture(scope="session")
def built(tmp_path_factory):
    return kit.build_fixture_reports(tmp_path_factory.getbasetemp())


@pytest.mark.slow
def test_build_exits_1_when_a_notebook_fails_and_renders_the_others(built):
    out = Path(built["out"])
    assert built["rc"] == 1, built["stderr"]
    assert "02-fails failed: ValueError: boom" in built["stderr"]
    for name in ("01-counts", "02-fails", "03-echo", "04-unsafe"):
        assert (out / f"{name}.ipynb").exists()
        assert (out / f"{name}.html").exists()
    assert (out / "report.log").read_text().count("FAILED") == 1
    manifest = json.loads((out / publish.MARKER).read_text())
    assert {r["name"]: r["status"] for r in manifest["reports"]} == {
        "01-counts": "ok", "02-fails": "failed", "03-echo": "ok", "04-unsafe": "ok"}


@pytest.mark.slow
def test_index_page(built):
    out = Path(built["out"])
    html = (out / "index.html").read_text()
    # corpus facts
    assert built["corpus"] in html
    assert "4</div>" in html  # articles
    assert "12 May 2017 – 2 Jun 2017" in html
    # parameters used, escaped, and the version
    assert "top_n" in html and "<td class=\"v\">3</td>" in html
    assert "it&#39;s &#34;quoted&#34;" in html
    assert "newsdesk 0.1.0" in html or "newsdesk " + __version__ in html
    # one card per report: link, summary, thumbnail of the first chart
    for name in ("01-counts", "03-echo", "04-unsafe"):
        assert f'href="{name}.html"' in html
    assert "How many articles each section has." in html
    # thumbnails are embedded: the page's CSP allows data: images only
    assert (out / "thumbs" / "01-counts.png").stat().st_size > 1000
    card = html[html.index('id="01-counts"'):]
    assert card[:card.index("</article>")].count('src="data:image/png;base64,') == 1
    card = html[html.index('id="03-echo"'):]
    assert "<img" not in card[:card.index("</article>")]
    assert (kit.csp_of(html) or "").startswith("default-src 'none'; img-src data:;")
    # the failure: marked, its message escaped, a link to the executed notebook
    card = html[html.index('id="02-fails"'):]
    card = card[:card.index("</article>")]
    assert "Failed" in card
    assert "boom &lt;script&gt;document.title=&#34;ndpwn&#34;&lt;/script&gt;" in card
    assert 'href="02-fails.ipynb"' in card
    assert "<script" not in html


@pytest.mark.slow
def test_reports_hide_code_and_are_small(built):
    out = Path(built["out"])
    html = (out / "01-counts.html").read_text()
    assert "value_counts" not in html  # code hidden
    assert "data:image/png;base64," in html
    assert kit.foreign_scripts(html) == []
    assert not R.REPORT_EXTERNAL_REF_RE.search(html)
    for f in out.glob("*.html"):
        assert f.stat().st_size < 2_000_000, f
    # the failed one is rendered with its code, so the reader sees where it stopped
    assert 'class="jp-CodeMirrorEditor' not in html
    assert 'class="jp-CodeMirrorEditor' in (out / "02-fails.html").read_text()


@pytest.mark.slow
def test_parameters_are_values_not_code(built):
    """A label with quotes, newline, backslashes and Python code reaches the notebook verbatim."""
    import nbformat

    nb = nbformat.read(Path(built["out"]) / "03-echo.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.get("outputs", []) if o.get("name") == "stdout")
    echoed = json.loads(printed)
    assert echoed == {"label": built["label"], "terms": ['x"y', "a'b", "<b>c</b>"], "top_n": 3}
    assert not (Path(built["notebooks"]) / "PWNED").exists()
    assert not (Path(built["out"]) / "PWNED").exists()


@pytest.mark.slow
def test_grid_builds_one_set_per_value_and_a_top_index(tmp_path, built):
    out = tmp_path / "grid"
    sets = rp.build_reports(built["corpus"], out, notebooks="01", notebooks_dir=built["notebooks"],
                            grid=["section=World,Business"], params={"top_n": 2}, progress=False)
    assert [s.folder for s in sets] == ["World", "Business"]
    assert [s.point for s in sets] == [{"sections": "World"}, {"sections": "Business"}]
    top = (out / "index.html").read_text()
    assert 'href="World/index.html"' in top and 'href="Business/index.html"' in top
    for folder, other in (("World", "Business"), ("Business", "World")):
        idx = (out / folder / "index.html").read_text()
        assert 'href="../index.html"' in idx
        assert f"These reports cover <strong>2</strong> of them" in idx
        assert f"sections = [&#34;{folder}&#34;]" in idx
        assert (out / folder / "01-counts.html").exists()
        import nbformat

        nb = nbformat.read(out / folder / "01-counts.ipynb", as_version=4)
        shown = json.dumps([o.get("data", {}).get("text/plain", "") for c in nb.cells for o in c.get("outputs", [])])
        assert folder in shown and other not in shown


def _wait_for(pred, timeout=120.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if pred():
            return True
        time.sleep(0.2)
    return False


def _running_sleeper(out: Path) -> bool:
    for log in out.parent.glob(f".{out.name}.partial-*/logs/05-sleeps.log"):
        if "Executing Cell 3" in log.read_text(errors="replace"):
            return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_interrupted_run_leaves_the_previous_report_readable(tmp_path, built, sig):
    out = tmp_path / "reports"
    shutil.copytree(built["out"], out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    nbs = tmp_path / "nbs"
    kit.sleeper_notebook(nbs, seconds=120)
    tmp = Path(tempfile.mkdtemp(prefix="nd-"))   # the kernels' socket folders
    proc = subprocess.Popen([*kit.NEWSDESK, "report", built["corpus"], "--out", str(out), "--notebooks-dir", str(nbs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "TMPDIR": str(tmp)})
    try:
        assert _wait_for(lambda: _running_sleeper(out)), "the sleeping notebook never started"
        (os.killpg if sig == signal.SIGKILL else os.kill)(proc.pid if sig != signal.SIGKILL else os.getpgid(proc.pid), sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(os.getpgid(proc.pid), signal.SIGKILL)
            proc.wait()
        sockets = list(tmp.glob("newsdesk-kernel*"))
        shutil.rmtree(tmp, ignore_errors=True)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert "Reports" in (out / "index.html").read_text()
    partials = list(tmp_path.glob(".reports.partial-*"))
    if sig == signal.SIGTERM:
        assert proc.returncode == 130
        assert "unchanged" in err
        assert _wait_for(lambda: not list(tmp_path.glob(".reports.partial-*")), 30)
        assert not sockets
    else:
        assert partials  # killed outright: the next run cleans it up
        publish._clean_stale(out)
        assert not list(tmp_path.glob(".reports.partial-*"))


def test_missing_kernel_falls_back_to_this_interpreter(monkeypatch):
    name, env = rp.ensure_kernel("nd-test-no-such-kernel")
    try:
        spec = json.loads((Path(env["JUPYTER_PATH"].split(os.pathsep)[0]) / "kernels" / name / "kernel.json").read_text())
        assert spec["argv"][0] == sys.executable
        assert spec["argv"][1:3] == ["-m", "ipykernel_launcher"]
    finally:
        shutil.rmtree(env["JUPYTER_PATH"].split(os.pathsep)[0])
    assert rp.ensure_kernel("newsdesk") == ("newsdesk", {})  # registered by make setup: used as it is


@pytest.mark.slow
def test_a_run_on_an_unregistered_kernel_name_still_works(tmp_path, built):
    sets = rp.build_reports(built["corpus"], tmp_path / "out", notebooks="03", notebooks_dir=built["notebooks"],
                            kernel="nd-test-no-such-kernel", progress=False)
    assert [r.status for r in sets[0].results] == ["ok"], sets[0].results[0].error
    assert not list(Path(tempfile.gettempdir()).glob("newsdesk-kernels-*/kernels/nd-test-no-such-kernel"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork server: Linux")
def test_the_fork_server_starts_early_with_the_worker_modules():
    code = ("from newsdesk import report; report._start_fork_server()\n"
            "from multiprocessing import forkserver as f\n"
            "s = f._forkserver\n"
            "print(s._forkserver_pid is not None, s._preload_modules == list(report.WORKER_PRELOAD))\n"
            "import sys; print('papermill' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    # running, preloading the worker modules, and this process itself did not import them
    assert out == ["True", "True", "False"]


def test_the_front_page_worker_gives_the_whole_corpus_at_a_glance():
    """The index's front page, computed by a notebook worker after the notebooks are handed out,
    is render.glance_facts of the whole corpus."""
    import newsdesk as nd
    from newsdesk import render

    corpus = str(kit.ROOT / "data" / "sample")
    want = render.glance_facts(nd.load_corpus(corpus))
    got = rp._front_page(corpus, None)
    assert got == want and got["mentioned"] and got["quoted"]
