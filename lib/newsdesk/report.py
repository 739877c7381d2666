"""The report runner: validated parameters in, self-contained HTML reports and an index page out.

``newsdesk report CORPUS --out DIR`` runs every ``notebooks/NN-name.ipynb`` with papermill on the
project's kernel, in parallel, and writes into ``DIR``:

- ``NN-name.ipynb``: the executed notebook (outputs, and the error when it failed);
- ``NN-name.html``: the rendered report, code hidden, images embedded, no external requests;
- ``index.html``: corpus facts, parameters, build time and version, one card per report with a
  link, a one-line summary and a thumbnail of its first chart; ``thumbs/``; ``report.log``.

Parameters are checked **before** anything runs, against the notebooks' ``parameters`` cells
(:mod:`newsdesk.params`); the pages are rendered by :mod:`newsdesk.render`.

The report set is built in a hidden sibling folder and renamed into place at the end
(:mod:`newsdesk.publish`), so an interrupted run leaves the previous report as it was.

>>> from newsdesk.params import discover_notebooks, resolve_params
>>> nbs = discover_notebooks()                                   # doctest: +SKIP
>>> resolve_params({"top_n": 5}, nbs)                            # doctest: +SKIP
>>> build_reports("data/sample", "reports", params={"top_n": 5})  # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from . import __version__, config
from .params import (Notebook, ReportError, check_against_corpus, check_names, discover_notebooks, grid_point,
                     parse_grid, resolve_params)
from .publish import _check_out, _clean_stale, _owner_lock, _write_marker, swap_into_place
from .render import (ReportSet, Result, _skip_slow_imports, corpus_facts, first_png, glance_facts, no_front_page,
                     render_grid_index, render_html, render_index, selected_articles, thumbnail)

log = logging.getLogger("newsdesk.report")

__all__ = ["WORKER_PRELOAD", "KERNEL_ARGS", "ensure_kernel", "ipc_kernel_manager", "build_reports", "threading_main"]

WORKER_PRELOAD = ("newsdesk.parallel", "newsdesk.report", "papermill", "nbformat", "nbconvert", "PIL.Image")
"""Modules the notebook workers' fork server imports while the corpus loads, so that no worker
imports them again on its first notebook (about 1 s each). ``newsdesk.parallel`` comes first: it
makes the fork server end with the process that started it. (A default: to move into config.)"""
KERNEL_ARGS = ("--HistoryManager.enabled=False",
               # every chart as PNG (shown) and SVG (a file next to the page; explore.export_files),
               # the SVG drawn after the PNG on the PNG's layout (explore.svg_after_png)
               "--InlineBackend.figure_formats=png", "--InlineBackend.figure_formats=svg",
               "--IPKernelApp.exec_lines=from newsdesk.explore import svg_after_png as _nd; _nd(); del _nd")
"""Extra arguments of every notebook kernel, passed by papermill whatever the kernelspec: no IPython
history database (it would keep the executed code, with parameter values such as corpus paths,
outside ``--out`` and the cache)."""


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


def ipc_kernel_manager(sockets: str) -> type | None:
    """A ``KernelManager`` class whose kernels talk over Unix sockets named under ``sockets``.

    Kernels started side by side on TCP can pick the same free port (papermill issue #511:
    ``ZMQError: Address already in use``, then "Kernel died before replying to kernel_info").
    A socket file in a directory of the worker's own cannot be taken by another kernel. Returns
    ``None`` (papermill's TCP default) where Unix sockets are not available or the socket path
    would pass their length limit (about 107 bytes).

    >>> cls = ipc_kernel_manager("/tmp/newsdesk-kernel-x")
    >>> cls().transport
    'ipc'
    """
    if os.name != "posix" or len(os.path.join(sockets, "k-99999")) > 100:
        return None
    from jupyter_client.manager import KernelManager

    class IPCKernelManager(KernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = os.path.join(sockets, "k")  # the sockets are k-1 ... k-5

    return IPCKernelManager


# =========================================================================== running
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
    sockets = job["sockets"]
    os.makedirs(sockets, exist_ok=True)
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
                                shutdown_kernel="immediate", extra_arguments=list(KERNEL_ARGS),
                                **({"kernel_manager_class": km} if (km := ipc_kernel_manager(sockets)) else {}))
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
            from . import explore

            explore.export_files(nb, Path(job["html"]).parent, Path(job["html"]).stem)  # tables/, charts/
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
        shutil.rmtree(sockets, ignore_errors=True)
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
    del articles        # the index's front page (glance_facts) is computed by a notebook worker: _run_all
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
                 built=built, t_start=t_start, front=(str(corpus), follow_external_links))
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


def _front_page(corpus: str, follow_external_links: bool | None) -> dict:
    """Worker: the index's front page of the whole corpus (:func:`render.glance_facts`, which reads
    the store the runner filled). Queued after every notebook, it runs while the last notebooks
    do, on a worker that would otherwise wait for them, instead of before the first one starts."""
    from .corpus import load_corpus

    quiet = logging.getLogger("newsdesk")
    level = quiet.level
    quiet.setLevel(logging.ERROR)          # the runner has said what the load found
    try:
        articles = load_corpus(corpus, follow_external_links=follow_external_links)
    finally:
        quiet.setLevel(level)
    return glance_facts(articles)


def _run_all(plans: list[_Plan], specs: Sequence[Notebook], staging: Path, *, facts, user, with_code, jobs,
             kernel, kenv, timeout, progress, echo, built, t_start, front: tuple[str, bool | None]) -> None:
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from . import explore

    echo = echo or (lambda s: None)
    env = {**os.environ, **kenv}
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    # the kernels start in the notebooks' folder: a relative NEWSDESK_CACHE or NEWSDESK_HOME would
    # point them at another cache, and they would annotate the corpus again there
    env["NEWSDESK_CACHE"], env["NEWSDESK_HOME"] = str(config.CACHE_DIR), str(config.PROJECT_ROOT)
    logfile = staging / "report.log"
    flog = logfile.open("a", encoding="utf-8")

    def note(msg: str) -> None:
        flog.write(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} {msg}\n")
        flog.flush()

    note(f"newsdesk {__version__} report; python {sys.executable}; kernel {kernel}")
    note(f"corpus {facts['path']}: {facts['articles']} articles, {facts['rejects']} rejects")
    jobs_list: list[tuple[_Plan, Notebook, dict]] = []
    sockets = tempfile.mkdtemp(prefix="newsdesk-kernels-")   # a folder per kernel in it; removed below
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
                "timeout": timeout, "title": nb.title, "sockets": os.path.join(sockets, str(len(jobs_list))),
                "env": {**env, config.EXPORT_DIR_ENV: str(explore.export_dir(d, nb.name))},  # tables' CSV
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
        front_page = pool.submit(_front_page, *front)       # last: a worker takes it when it has no notebook left
        pending = set(futures) | {front_page}
        outcomes: dict[tuple[str, str], dict] = {}
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for fut in done:
                if fut is front_page:
                    try:
                        facts["glance"] = fut.result()
                    except Exception as exc:   # the front page never stops a report
                        log.warning("the index's front page was left out: %s: %s", type(exc).__name__, exc)
                        facts["glance"] = no_front_page()
                    continue
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
        # a kernel still ending keeps its bound sockets: only their names go
        shutil.rmtree(sockets, ignore_errors=True)
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


