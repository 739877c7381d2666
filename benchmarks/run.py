"""`make bench`: newsdesk against naive code, side by side, in one run, with peak memory.

    .venv/bin/python benchmarks/run.py [--n 20000] [--sizes 5000,20000,100000] [--repeats 3]
    .venv/bin/python benchmarks/run.py --n 200000 --sizes 5000,200000 --repeats 1   # issue 17's row
    .venv/bin/python benchmarks/run.py --n 1000000 --sizes 5000,1000000 --repeats 1 # the 1M row

Builds a corpus of N articles in a temporary folder (by replicating ../shared/corpora/polnear-train
with shifted dates, so every copy is a distinct article; without ../shared, the bundled sample
with perturbed dates and ids), then measures, each step in its own subprocess, with the peak memory
of the whole process tree it starts (runner, fork server, workers, kernels; this process is their
child subreaper, so orphans stay in the tree), sampled every 0.2 s:

- load, cold (empty cache) and warm, against a naive loader (glob + open + regex headers + DataFrame);
- annotate, cold (empty store): each kind alone, then every kind together (one ``store.annotate``
  call, what ``newsdesk report`` does); sentences + quotes against naive per-sentence vaderSentiment
  on one process; warm: read every row back;
- the whole ``newsdesk report``, warm (loads and store filled) and cold (empty cache);
- time per article at each of ``--sizes``, against 5,000 articles (or the smallest size);
- issue 17's targets (every kind >= 1,667 articles/s cold; warm report <= 60 s and the report's
  process tree <= 4 GB at 200,000), met or not.

Every figure is the median of ``--repeats`` runs (fewer at large sizes for the slow steps, as the
table says; at least 5 interleaved rounds of naive, cold and warm load up to 50,000 articles), and
every ratio is taken between figures measured in this same run. Sizes are measured smallest first;
a run stopped with Ctrl-C or SIGTERM still prints the table of what it measured.
"""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))
POLNEAR = SHARED / "corpora" / "polnear-train" / "articles"
SAMPLE = ROOT / "data" / "sample"
DATE_RE = re.compile(r"^##[ \t]*Date:[ \t]*(.*)$", re.M)
PANDAS_KINDS = {"sentences", "quotes"}  # read back as DataFrames (as notebooks do); other kinds as Arrow


def kinds() -> list[str]:
    """Every annotation kind `newsdesk annotate` computes (the store's registry)."""
    from newsdesk import registry

    return registry.kinds()
NAIVE_SENTIMENT_ARTICLES = 1500   # naive VADER is slow: its throughput is measured on this many

TARGETS = {
    "load_cold": "no slower than naive",
    "load_warm": ">= 10x naive",
    "annotate_cold": ">= 2x naive sentiment-only",
    "annotate_warm": ">= 50x naive sentiment-only",
    "report_cold": "<= 60 s at 20k",
    "report_warm": "<= 20 s at 20k",
}
# issue 17: a million articles annotated in 10 minutes; the report in bounded memory at 200,000
ISSUE17_RATE = 1667                  # articles/s, every kind together, cold
ISSUE17_SIZE = 200_000               # the size of the report targets below
ISSUE17_REPORT_WARM_SECONDS = 60
ISSUE17_TREE_MB = 4096               # 4 GB (MiB, as every figure here), the report's whole process tree
SKIPPABLE = ("naive_sentiment", "annotate_kinds", "annotate_all", "annotate_warm", "report_warm", "report_cold")


# --------------------------------------------------------------------------- corpus
def _shift_date(text: str, days: int) -> str:
    from newsdesk.parse import parse_date

    m = DATE_RE.search(text)
    if not m or not days:
        return text
    try:
        when, _ = parse_date(m.group(1))
    except ValueError:
        return text
    d = when + dt.timedelta(days=days)
    value = f"{calendar.day_name[d.weekday()]}, {calendar.month_name[d.month]} {d.day}, {d.year} - {d:%H:%M}"
    return text[:m.start(1)] + value + text[m.end(1):]


def build_corpus(n: int, dest: Path) -> str:
    """Write ``n`` articles under ``dest``; return a description of the source."""
    if POLNEAR.is_dir():
        src, what = sorted(POLNEAR.glob("*.txt")), "polnear-train replicated"
    else:
        src, what = sorted(SAMPLE.rglob("*.txt")), "data/sample replicated (no ../shared)"
    if not src:
        sys.exit("no source articles: neither ../shared/corpora/polnear-train nor data/sample (run `make sample`)")
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in src]
    final, dest = dest, dest.with_name(dest.name + ".partial")
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for i in range(n):
        copy, j = divmod(i, len(src))
        sub = dest / f"copy{copy:04d}"
        if j == 0:
            sub.mkdir(exist_ok=True)
        # each copy is shifted by whole days, so its articles differ (content hash, id, date)
        (sub / src[j].name).write_text(_shift_date(texts[j], copy), encoding="utf-8")
    dest.rename(final)                       # a half-built corpus is never reused
    return f"{what}: {len(src)} distinct articles, {n // len(src)} shifted copies"


# --------------------------------------------------------------------------- steps (run in a child)
def naive_load(corpus: str):
    import glob

    import pandas as pd

    header = re.compile(r"^## (\w+): ?(.*)$", re.M)
    rows = []
    for path in sorted(glob.glob(os.path.join(corpus, "**", "*.txt"), recursive=True)):
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        head, _, body = text.partition("\n\n")
        row = dict(header.findall(head))
        row["path"], row["body"] = path, body
        rows.append(row)
    return len(pd.DataFrame(rows))


def naive_sentiment(corpus: str):
    """Per-sentence vaderSentiment on one process: the usual notebook code."""
    import glob

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    split = re.compile(r"(?<=[.!?])\s+")
    n = 0
    for path in sorted(glob.glob(os.path.join(corpus, "**", "*.txt"), recursive=True))[:NAIVE_SENTIMENT_ARTICLES]:
        with open(path, encoding="utf-8") as fh:
            body = fh.read().partition("\n\n")[2]
        scores = [sia.polarity_scores(s)["compound"] for s in split.split(body) if s.strip()]
        n += 1
        _ = sum(scores)
    return n


def load(corpus: str):
    import newsdesk as nd

    return len(nd.load_corpus(corpus, progress=False))


def _ordered_kinds() -> list[str]:
    """The target's kinds first (sentences, then quotes), then every other kind."""
    return [k for k in ("sentences", "quotes") if k in kinds()] + [k for k in kinds() if k not in PANDAS_KINDS]


def annotate(corpus: str):
    """Fill an empty store one kind at a time, load excluded; each kind timed on its own (each kind
    alone, cold), so the table can show each kind, and the target's kinds (sentences + quotes)."""
    import newsdesk as nd
    from newsdesk import store

    articles = nd.load_corpus(corpus, progress=False)
    per_kind = {}
    for k in _ordered_kinds():
        t0 = time.perf_counter()
        store.annotate(articles, [k], progress=False)
        per_kind[k] = time.perf_counter() - t0
    return len(articles), sum(per_kind.values()), {"seconds_by_kind": per_kind}


def annotate_all(corpus: str):
    """Fill an empty store with every kind in one ``store.annotate`` call (what ``newsdesk report``
    does before its notebooks), load excluded: every kind together, cold."""
    import newsdesk as nd
    from newsdesk import store

    articles = nd.load_corpus(corpus, progress=False)
    t0 = time.perf_counter()
    computed = store.annotate(articles, kinds(), progress=False)
    return len(articles), time.perf_counter() - t0, {"computed": computed}


def read_back(corpus: str):
    """Warm: check the store and read every row of every kind back (what notebooks do): sentences
    and quotes as DataFrames, other kinds as Arrow tables (as their notebooks read them)."""
    import newsdesk as nd
    from newsdesk import store

    articles = nd.load_corpus(corpus, progress=False)
    per_kind, rows = {}, {}
    for k in _ordered_kinds():
        t0 = time.perf_counter()
        computed = store.annotate(articles, [k], progress=False)[k]
        rows[k] = (len(store.get(articles, k, progress=False)) if k in PANDAS_KINDS
                   else store.get_table(articles, k, progress=False).num_rows)
        per_kind[k] = time.perf_counter() - t0
        if computed:
            raise RuntimeError(f"warm read of {k} computed {computed} articles: the store did not hit")
    return len(articles), sum(per_kind.values()), {"seconds_by_kind": per_kind, "rows": rows}


def inproc_load(corpus: str, repeats: int = 5) -> dict:
    """Warm load against the naive loader in one process with imports done (as in a notebook
    that loads again), alternating the two, median of ``repeats`` each."""
    import newsdesk as nd
    import pandas  # noqa: F401

    nd.load_corpus(corpus, progress=False)          # make sure the cache is warm
    naive, ours = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        naive_load(corpus)
        naive.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        nd.load_corpus(corpus, progress=False)
        ours.append(time.perf_counter() - t0)
    return {"naive": statistics.median(naive), "warm": statistics.median(ours)}


STEPS = {"naive_load": naive_load, "naive_sentiment": naive_sentiment, "load": load,
         "annotate": annotate, "annotate_all": annotate_all, "read_back": read_back}


def _imports(step: str) -> None:
    """Import what ``step`` uses before the clock starts: a notebook kernel has its imports done
    before it loads, and the import time is a constant, not a cost per article (it is printed
    separately, as ``import_seconds``)."""
    import glob  # noqa: F401

    import pandas  # noqa: F401
    if step == "naive_sentiment":
        import vaderSentiment.vaderSentiment  # noqa: F401
    if step in ("load", "annotate", "annotate_all", "read_back"):
        import pyarrow  # noqa: F401
        import pyarrow.compute  # noqa: F401

        import newsdesk.cache  # noqa: F401
        import newsdesk.corpus  # noqa: F401
        import newsdesk.parallel  # noqa: F401
        import newsdesk.text  # noqa: F401
    if step in ("annotate", "annotate_all", "read_back"):
        import newsdesk.quotes  # noqa: F401
        import newsdesk.sentiment  # noqa: F401
        import newsdesk.store  # noqa: F401


def child(step: str, corpus: str) -> None:
    import resource

    t_imp = time.perf_counter()
    _imports(step)
    import_seconds = time.perf_counter() - t_imp
    t0 = time.perf_counter()
    out = STEPS[step](corpus)
    seconds = time.perf_counter() - t0
    extra = None
    if isinstance(out, tuple):
        n, seconds, extra = out
    else:
        n = out
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"n": n, "seconds": seconds, "rss_mb": me, "child_rss_mb": kids, "extra": extra,
                      "import_seconds": import_seconds}))


# --------------------------------------------------------------------------- process tree memory
PR_SET_CHILD_SUBREAPER = 36
SAMPLE_SECONDS = 0.2


def become_subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux ``prctl``): a fork server or
    a kernel whose parent exits is re-parented here, not to init, so it stays in the measured tree
    (as in ``cpu_tree.py``). False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _proc_table() -> tuple[dict[int, int], dict[int, float]]:
    """``(parent, rss_mb)`` of every process in /proc."""
    parent, rss = {}, {}
    page = os.sysconf("SC_PAGE_SIZE")
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                st = fh.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{d}/statm", "rb") as fh:
                rss[int(d)] = int(fh.read().split()[1]) * page / 2**20
            parent[int(d)] = int(st[1])
        except (OSError, IndexError, ValueError):
            continue
    return parent, rss


def descendants(root_pid: int, parent: dict[int, int]) -> set[int]:
    """Every process below ``root_pid`` in the ``{pid: parent pid}`` map, ``root_pid`` excluded.

    >>> sorted(descendants(1, {2: 1, 3: 2, 4: 9}))
    [2, 3]
    """
    tree, grew = {root_pid}, True
    while grew:
        more = {p for p, pp in parent.items() if pp in tree} - tree
        grew = bool(more)
        tree |= more
    return tree - {root_pid}


def _pss_mb(pid: int) -> float:
    """Proportional set size of ``pid`` in MB (shared pages divided among their users), or 0."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


class TreeSampler:
    """Peak memory of every descendant of this process (this process excluded), sampled every
    ``interval`` seconds in a thread: the largest sum of RSS (shared pages counted in each process
    that maps them, an upper bound), the proportional set size (PSS, shared pages divided, read at
    a new peak of the sum, at most twice a second) and the largest single process."""

    def __init__(self, interval: float = SAMPLE_SECONDS):
        import threading

        self.interval, self.peak = interval, {"tree_mb": 0.0, "tree_pss_mb": 0.0, "largest_mb": 0.0}
        self._stop, self._last_pss = threading.Event(), 0.0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.enabled = Path("/proc/self/statm").exists()

    def sample(self) -> None:
        parent, rss = _proc_table()
        tree = descendants(os.getpid(), parent)
        sizes = [rss.get(p, 0.0) for p in tree]
        total = sum(sizes)
        pk = self.peak
        pk["largest_mb"] = max(pk["largest_mb"], max(sizes, default=0.0))
        now = time.monotonic()
        if total >= pk["tree_mb"] and total > 0 and now - self._last_pss >= 0.5:
            self._last_pss = now              # at a new peak of the sum, at most twice a second
            pk["tree_pss_mb"] = max(pk["tree_pss_mb"], sum(_pss_mb(p) for p in tree))
        pk["tree_mb"] = max(pk["tree_mb"], total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self):
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self.enabled:
            self._thread.join()
        return False


def _reap_orphans(timeout: float = 30.0) -> list[int]:
    """Reap the descendants re-parented here (see :func:`become_subreaper`) once a step has ended,
    waiting up to ``timeout`` s for them to exit; kill any still alive then, and return their pids."""
    end = time.monotonic() + timeout
    while True:
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            return []
        if not Path("/proc").is_dir():
            return []
        parent, _ = _proc_table()
        alive = [p for p in descendants(os.getpid(), parent) if _alive(p)]
        if not alive:
            return []
        if time.monotonic() > end:
            _kill(alive)
            return alive
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


def _kill(pids) -> None:
    import signal

    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass


def run_tree(cmd: list[str], env: dict) -> tuple[int, str, str, float, dict]:
    """Run ``cmd``; return ``(returncode, stdout, stderr, seconds, peak)`` with the peak memory of
    its whole process tree (:class:`TreeSampler`). On an interrupt the tree is killed."""
    with TreeSampler() as sampler:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            out, err = proc.communicate()
        except BaseException:
            parent, _ = _proc_table() if Path("/proc").is_dir() else ({}, {})
            _kill(descendants(os.getpid(), parent) | {proc.pid})
            proc.wait()
            raise
        seconds = time.perf_counter() - t0
        leftover = _reap_orphans()
    peak = dict(sampler.peak, sampled=sampler.enabled)
    if leftover:
        err += f"\n(bench: killed {len(leftover)} process(es) still alive 30 s after the step ended)"
    return proc.returncode, out, err, seconds, peak


# --------------------------------------------------------------------------- driver
def run_step(step: str, corpus: Path, cache: Path) -> dict:
    env = dict(os.environ, NEWSDESK_CACHE=str(cache))
    rc, out, err, _, peak = run_tree([sys.executable, __file__, "--child", step, str(corpus)], env)
    if rc != 0:
        raise RuntimeError(f"step {step} failed:\n{err[-3000:]}")
    r = json.loads(out.strip().splitlines()[-1])
    r.update(peak)
    # ru_maxrss sees a peak the 0.2 s samples can miss in a short step: the tree held at least that
    r["largest_mb"] = max(r["largest_mb"], r["rss_mb"] or 0, r["child_rss_mb"] or 0)
    r["tree_mb"] = max(r["tree_mb"], r["largest_mb"])
    return r


def run_report(corpus: Path, cache: Path, out: Path) -> dict | None:
    """``newsdesk report`` end to end, with the peak memory of the runner and every process it
    starts (fork server, workers, notebook kernels): see :func:`run_tree`."""
    exe = _newsdesk_exe()
    if exe is None:
        return None
    env = dict(os.environ, NEWSDESK_CACHE=str(cache))
    rc, _, stderr, seconds, peak = run_tree([exe, "report", str(corpus), "--out", str(out)], env)
    # the runner says what it had to annotate (nothing, when the store is warm)
    annotated = next((line for line in stderr.splitlines() if line.startswith("annotated ")), None)
    return {"seconds": seconds, "rss_mb": peak["tree_mb"] or None, "child_rss_mb": peak["largest_mb"],
            **peak, "ok": rc == 0, "annotated": annotated, "stderr": stderr[-1500:] if rc else ""}


def median_of(results: list[dict]) -> dict:
    out = dict(results[len(results) // 2])
    out["seconds"] = statistics.median(r["seconds"] for r in results)
    for k in ("rss_mb", "child_rss_mb", "tree_mb", "tree_pss_mb", "largest_mb"):
        out[k] = max(r.get(k) or 0 for r in results)
    out["runs"] = len(results)
    by = [(r.get("extra") or {}).get("seconds_by_kind") for r in results]
    if all(by):
        out["extra"] = dict(out.get("extra") or {}, seconds_by_kind={
            k: statistics.median(b[k] for b in by) for k in by[0]})
    return out


def measure(size: int, work: Path, repeats: int, slow_repeats: int, *, full: bool, log,
            report: bool = True, skip: frozenset = frozenset(), res: dict | None = None) -> dict:
    """Measure every step at ``size`` into ``res`` (filled as it goes, so an interrupted run keeps
    what it measured). ``full`` adds naive sentiment; ``report`` the warm and cold report."""
    corpus = work / f"corpus-{size}"
    if not corpus.exists():
        log(f"building a corpus of {size:,} articles ...")
        build_corpus(size, corpus)
    big = size > 50_000
    r_fast, r_slow = repeats, (1 if big else max(1, slow_repeats))
    res = {} if res is None else res

    def rep(name, k, fn):
        record(name, [fn(i) for i in range(k)])

    def record(name, runs):
        res[name] = r = median_of(runs)
        log(f"  {size:>9,} {name:<16} {r['seconds']:8.2f} s  (median of {len(runs)}; {mem(r)})")

    def fresh_cache(tag):
        d = work / f"cache-{size}-{tag}"
        shutil.rmtree(d, ignore_errors=True)
        return d

    try:
        warm_cache = fresh_cache("warm")
        run_step("load", corpus, warm_cache)                                  # fill the load cache
        # the three loads in interleaved rounds, so that a drift in the host's speed (15-45% here
        # between runs) hits the naive loader and newsdesk alike; loads are cheap: 5 rounds
        loads: dict[str, list] = {"naive_load": [], "load_cold": [], "load_warm": []}
        for i in range(r_fast if big else max(r_fast, 5)):
            loads["naive_load"].append(run_step("naive_load", corpus, warm_cache))
            loads["load_cold"].append(run_step("load", corpus, fresh_cache(f"cold{i}")))
            shutil.rmtree(work / f"cache-{size}-cold{i}", ignore_errors=True)
            os.sync()      # the cold load's cache file is flushed now, not during the next step
            loads["load_warm"].append(run_step("load", corpus, warm_cache))
        for name, runs in loads.items():
            record(name, runs)
        if full and "naive_sentiment" not in skip:
            rep("naive_sentiment", 1 if big else r_fast, lambda i: run_step("naive_sentiment", corpus, warm_cache))

        def annotate_cold(step, tag, keep):
            def run(i):
                d = fresh_cache(f"{tag}{i}")
                shutil.copytree(warm_cache / "loads", d / "loads")             # load cache warm, store empty
                r = run_step(step, corpus, d)
                if not (keep and i == r_slow - 1):
                    shutil.rmtree(d, ignore_errors=True)
                return r
            return run

        # issue 17's figures first (every kind together, then the warm report on the store it filled),
        # so that a run stopped at a large size has them; then each kind alone, reading back, cold report
        reports = report and _newsdesk_exe() is not None
        if report and not reports:
            res["report_cold"] = res["report_warm"] = None
            log("  newsdesk report is not available: n/a")
        filled = work / f"cache-{size}-all{r_slow - 1}"    # the loads and every kind stored
        if "annotate_all" not in skip:
            rep("annotate_all", r_slow, annotate_cold("annotate_all", "all", True))
        elif "annotate_warm" not in skip or (reports and "report_warm" not in skip):
            annotate_cold("annotate_all", "all", True)(r_slow - 1)            # not measured: fills the store

        def report_step(k, cache_of):
            got = []
            for i in range(r_slow):
                got.append(run_report(corpus, cache_of(i), work / f"{k}-{size}-{i}"))
                shutil.rmtree(work / f"{k}-{size}-{i}", ignore_errors=True)
            res[k] = median_of(got)
            res[k]["ok"] = ok = all(r["ok"] for r in got)
            bad = next((r for r in got if not r["ok"]), None)
            if k == "report_warm" and any(r["annotated"] for r in got):
                res[k]["ok"] = ok = False           # not a warm report: the store did not hit
                bad = {"stderr": "the warm report annotated: " + next(r["annotated"] for r in got if r["annotated"])}
            log(f"  {size:>9,} {k:<16} {res[k]['seconds']:8.2f} s  (median of {res[k]['runs']}; "
                f"{mem(res[k])}; {'ok' if ok else 'FAILED: ' + bad['stderr'][-300:]})")

        if reports and "report_warm" not in skip:
            report_step("report_warm", lambda i: filled)
        if "annotate_kinds" not in skip:
            rep("annotate_cold", r_slow, annotate_cold("annotate", "kinds", False))
        if "annotate_warm" not in skip:
            rep("annotate_warm", r_fast, lambda i: run_step("read_back", corpus, filled))
        if reports and "report_cold" not in skip:
            report_step("report_cold", lambda i: fresh_cache(f"rc{i}"))
    finally:
        for tag in list(work.glob(f"cache-{size}-*")):
            shutil.rmtree(tag, ignore_errors=True)
    return res


def report_sizes_for(n: int, sizes: list[int]) -> set[int]:
    """The sizes the report runs at: N, every size from issue 17's 200,000 up, and the base of the
    per-article ratios (5,000, or the smallest size) when a larger size has the report.

    >>> sorted(report_sizes_for(20000, [5000, 20000, 100000])), sorted(report_sizes_for(200000, [5000, 200000]))
    ([5000, 20000], [5000, 200000])
    >>> sorted(report_sizes_for(20000, [5000, 20000, 1000000]))
    [5000, 20000, 1000000]
    """
    every = sorted({n, *sizes})
    base = 5000 if 5000 in every else every[0]
    out = {n} | {s for s in sizes if s >= ISSUE17_SIZE}
    return out | ({base} if any(s > base for s in out) else set())


def _newsdesk_exe() -> str | None:
    """The ``newsdesk`` program whose ``report`` command works, or None."""
    exe = ROOT / ".venv" / "bin" / "newsdesk"
    exe = str(exe) if exe.exists() else shutil.which("newsdesk")
    if not exe or subprocess.run([exe, "report", "--help"], capture_output=True).returncode != 0:
        return None
    return exe


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    try:
        load = "%.1f %.1f %.1f" % os.getloadavg()
    except OSError:
        load = "?"
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram": ram, "python": platform.python_version(),
            "os": platform.platform(), "load_before": load}


def version_stability() -> list[str]:
    """Annotator versions must be equal in every process, or the store never hits."""
    code = "from newsdesk import registry; print(' '.join(registry.annotator(k).version for k in registry.kinds()))"
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
            for _ in range(3)}
    return [] if len(seen) == 1 else [f"annotator versions differ between processes: {sorted(seen)}; "
                                       "the store cannot hit across runs (hash-randomised version string?)"]


def fmt_rate(n, s):
    return f"{n / s:,.0f}/s" if s else "-"


def fmt_mb(mb: float | None) -> str:
    """``812 MB`` below 10 GB, ``20.3 GB`` above (1 GB = 1,024 MB, as ru_maxrss and /proc count).

    >>> fmt_mb(812.4), fmt_mb(20787.2), fmt_mb(None)
    ('812 MB', '20.3 GB', 'n/a')
    """
    if not mb:
        return "n/a"
    return f"{mb / 1024:.1f} GB" if mb >= 10 * 1024 else f"{mb:,.0f} MB"


def mem(r: dict | None) -> str:
    """A step's peak memory: the sum over its whole process tree (and its PSS), the largest process."""
    if not r:
        return "n/a"
    if r.get("sampled"):
        # PSS is read at most twice a second: in a step of a few seconds it may miss the peak
        pss = f", PSS {fmt_mb(r['tree_pss_mb'])}" if r.get("tree_pss_mb") and r["seconds"] >= 5 else ""
        return f"tree {fmt_mb(r['tree_mb'])}{pss} (largest process {fmt_mb(r.get('largest_mb'))})"
    w = r.get("child_rss_mb") or 0
    return fmt_mb(r.get("rss_mb")) + (f" (+ workers ≤{w:,.0f} MB each)" if w > 50 else "")


def verdict(value: float | None, limit: float, *, at_most: bool = True) -> str:
    """``yes`` when ``value`` meets ``limit`` (at most, or at least), ``**no**``, ``n/a`` unmeasured.

    >>> verdict(490, 1667, at_most=False), verdict(59.0, 60), verdict(None, 60)
    ('**no**', 'yes', 'n/a')
    """
    if value is None:
        return "n/a"
    return "yes" if (value <= limit if at_most else value >= limit) else "**no**"


def runs_note(r: dict | None) -> str:
    """`` (1 run)`` for a figure of one run (large sizes), else nothing."""
    return " (1 run)" if r and r.get("runs") == 1 else ""


def kind_seconds(r: dict | None) -> dict[str, float]:
    """Seconds of each kind alone in the per-kind annotate step (empty when it was not run)."""
    return dict(((r or {}).get("extra") or {}).get("seconds_by_kind") or {})


def report_peak(res: dict) -> tuple[float | None, str]:
    """The largest process-tree peak of the reports measured (warm, cold) and which one it was."""
    got = [(r.get("tree_mb") or r.get("rss_mb"), k.split("_")[1]) for k in ("report_warm", "report_cold")
           if (r := res.get(k)) and (r.get("tree_mb") or r.get("rss_mb"))]
    return max(got) if got else (None, "")


def issue17_rows(n: int, res: dict) -> list[tuple[str, str, str]]:
    """``(target, measured, met)`` for issue 17's targets at ``n`` articles. The rate target holds at
    every size; the report's two targets are at 200,000 articles (elsewhere they are shown, not judged).

    >>> issue17_rows(200000, {"annotate_all": {"seconds": 400.0, "runs": 1},
    ...     "report_warm": {"seconds": 194.0, "tree_mb": 20787.0, "runs": 1}})[0]
    ('annotate, every kind together, cold: >= 1,667 articles/s', '500 articles/s (1 run)', '**no**')
    """
    rows = []
    a = res.get("annotate_all")
    rate = n / a["seconds"] if a and a["seconds"] else None
    rows.append((f"annotate, every kind together, cold: >= {ISSUE17_RATE:,} articles/s",
                 f"{rate:,.0f} articles/s{runs_note(a)}" if rate else "not measured",
                 verdict(rate, ISSUE17_RATE, at_most=False)))
    at = n == ISSUE17_SIZE
    judge = (lambda v, lim: verdict(v, lim)) if at else (lambda v, lim: f"(target at {ISSUE17_SIZE:,})" if v else "n/a")
    w = res.get("report_warm")
    ws = w["seconds"] if w and w.get("ok", True) else None
    rows.append((f"warm `newsdesk report` <= {ISSUE17_REPORT_WARM_SECONDS} s at {ISSUE17_SIZE:,}",
                 f"{w['seconds']:.1f} s{runs_note(w)}" + ("" if w.get("ok", True) else " (**failed**)")
                 if w else "not measured", judge(ws, ISSUE17_REPORT_WARM_SECONDS)))
    peak, which = report_peak(res)
    rows.append((f"peak memory of the report's whole process tree <= {fmt_mb(ISSUE17_TREE_MB)} at {ISSUE17_SIZE:,}",
                 f"{fmt_mb(peak)} (report, {which})" if peak else "not measured", judge(peak, ISSUE17_TREE_MB)))
    return rows


def per_article(sizes: dict[int, dict]) -> tuple[int, list[int], list[tuple[str, list, list]]]:
    """``(base, sizes, rows)``: each row ``(step, µs per article at each size, ratio to the base
    size at each size)``, the base being 5,000 articles when measured, else the smallest size.

    >>> base, ks, rows = per_article({5000: {"load_cold": {"seconds": 0.5}},
    ...                               200000: {"load_cold": {"seconds": 30.0}}})
    >>> base, rows[0]
    (5000, ('load_cold', [100.0, 150.0], [1.0, 1.5]))
    """
    ks = sorted(sizes)
    base = 5000 if 5000 in sizes else ks[0]

    def secs(res, step):
        if step.startswith("annotate_cold:"):
            return kind_seconds(res.get("annotate_cold")).get(step.split(":", 1)[1])
        r = res.get(step)
        return r["seconds"] if r and r.get("ok", True) else None

    steps = ["naive_load", "load_cold", "load_warm"]
    steps += [f"annotate_cold:{k}" for k in dict.fromkeys(k for s in ks for k in kind_seconds(sizes[s].get("annotate_cold")))]
    steps += ["annotate_all", "annotate_warm", "report_warm", "report_cold"]
    rows = []
    for step in steps:
        us = [(v / k * 1e6 if (v := secs(sizes[k], step)) is not None else None) for k in ks]
        if sum(u is not None for u in us) < 2:
            continue
        b = us[ks.index(base)]
        rows.append((step, us, [(u / b if u is not None and b else None) for u in us]))
    return base, ks, rows


def scale_rows(sizes: dict[int, dict]) -> tuple[list[str], list[list[str]]]:
    """One row per corpus size with issue 17's figures: cold annotate throughput of each kind alone
    and of every kind together, warm and cold report time, the peak memory of the process tree of
    annotate (every kind) and of the report, and the time per article against the base size (5,000
    when measured, see :func:`per_article`); issue 17's targets are marked where they apply.

    >>> head, rows = scale_rows({5000: {"annotate_all": {"seconds": 10.0, "runs": 2}},
    ...                          200000: {"annotate_all": {"seconds": 400.0, "runs": 1}}})
    >>> rows[1][:3], rows[1][-2]
    (['200,000', '1', '500/s **no**'], '1.00×')
    """
    ks = sorted(sizes)
    kinds_seen = list(dict.fromkeys(k for s in ks for k in kind_seconds(sizes[s].get("annotate_cold"))))
    base, _, per = per_article(sizes) if len(ks) > 1 else (ks[0], ks, [])
    ratio = {step: dict(zip(ks, rs)) for step, _, rs in per}
    head = (["articles", "runs"] + [f"`{k}` alone" for k in kinds_seen]
            + [f"every kind together (>= {ISSUE17_RATE:,}/s)",
               f"report, warm (<= {ISSUE17_REPORT_WARM_SECONDS} s at {ISSUE17_SIZE // 1000}k)", "report, cold",
               "tree peak: annotate, every kind", f"tree peak: report (<= {fmt_mb(ISSUE17_TREE_MB)} at {ISSUE17_SIZE // 1000}k)",
               f"per article / {base:,}: every kind", f"per article / {base:,}: warm report"])
    rows = []
    for k in ks:
        r = sizes[k]
        by = kind_seconds(r.get("annotate_cold"))
        aa, rw, rc = r.get("annotate_all"), r.get("report_warm"), r.get("report_cold")
        at = k == ISSUE17_SIZE
        runs = sorted({x["runs"] for x in (r.get("annotate_cold"), aa, rw, rc) if x and x.get("runs")})
        cells = [f"{k:,}", "/".join(map(str, runs)) or "-"]
        cells += [f"{k / by[kind]:,.0f}/s" if kind in by else "-" for kind in kinds_seen]
        cells.append(f"{k / aa['seconds']:,.0f}/s {verdict(k / aa['seconds'], ISSUE17_RATE, at_most=False)}"
                     if aa else "-")
        for rep_ in (rw, rc):
            if not rep_:
                cells.append("-")
            elif not rep_.get("ok", True):
                cells.append(f"{rep_['seconds']:.1f} s **failed**")
            else:
                mark = f" {verdict(rep_['seconds'], ISSUE17_REPORT_WARM_SECONDS)}" if at and rep_ is rw else ""
                cells.append(f"{rep_['seconds']:.1f} s{mark}")
        cells.append(fmt_mb(aa.get("tree_mb") or aa.get("rss_mb")) if aa else "-")
        peak, which = report_peak(r)
        cells.append(f"{fmt_mb(peak)} ({which})" + (f" {verdict(peak, ISSUE17_TREE_MB)}" if at else "")
                     if peak else "-")
        for step in ("annotate_all", "report_warm"):
            q = ratio.get(step, {}).get(k)
            cells.append(f"{q:.2f}×" if q is not None else "-")
        rows.append(cells)
    return head, rows


def table(n: int, res: dict, sizes: dict[int, dict], info: dict, source: str, notes: list[str]) -> str:
    lines = []
    lines.append(f"Machine: {info['nproc']} cores, {info['cpu']}, {info['ram']} RAM; Python {info['python']}; "
                 f"load average before the run {info['load_before']}.")
    lines.append(f"Corpus: {n:,} articles ({source}).")
    lines.append("")
    if not res:
        lines.append(f"(nothing was measured at {n:,} articles)")
    else:
        lines.append("| step | newsdesk | naive | ratio | target | met | peak memory |")
        lines.append("|---|---|---|---|---|---|---|")

    def row(name, ours, naive, ratio_txt, target, met, memory):
        lines.append(f"| {name} | {ours} | {naive} | {ratio_txt} | {target} | {met} | {memory} |")

    nl, lc, lw = res.get("naive_load"), res.get("load_cold"), res.get("load_warm")
    if nl and lc and lw:
        r_cold = nl["seconds"] / lc["seconds"]
        r_warm = nl["seconds"] / lw["seconds"]
        row("load, cold" + runs_note(lc), f"{lc['seconds']:.2f} s ({fmt_rate(n, lc['seconds'])})",
            f"{nl['seconds']:.2f} s ({fmt_rate(n, nl['seconds'])})", f"{r_cold:.1f}×", TARGETS["load_cold"],
            "yes" if r_cold >= 1 else "**no**", mem(lc))
        row("load, warm" + runs_note(lw), f"{lw['seconds']:.3f} s ({fmt_rate(n, lw['seconds'])})",
            f"{nl['seconds']:.2f} s", f"{r_warm:.1f}×", TARGETS["load_warm"], "yes" if r_warm >= 10 else "**no**",
            mem(lw))
    ns = res.get("naive_sentiment")
    naive_rate = ns["n"] / ns["seconds"] if ns else None
    naive_txt = f"{naive_rate:,.0f} articles/s (sentiment only, 1 core, on {ns['n']:,})" if ns else ""
    ac, aa, aw = res.get("annotate_cold"), res.get("annotate_all"), res.get("annotate_warm")
    by = kind_seconds(ac)
    if by:
        if naive_rate and all(k in by for k in PANDAS_KINDS):
            secs = sum(by[k] for k in PANDAS_KINDS)
            rate = n / secs
            row("annotate, cold: sentences + quotes" + runs_note(ac), f"{secs:.2f} s ({rate:,.0f} articles/s)",
                naive_txt, f"{rate / naive_rate:,.2f}×", TARGETS["annotate_cold"],
                "yes" if rate >= 2 * naive_rate else "**no**", mem(ac))
        for k, secs in by.items():
            row(f"annotate, cold, `{k}` alone" + runs_note(ac), f"{secs:.2f} s ({n / secs:,.0f} articles/s)",
                "", "", "", "", mem(ac) if k == next(iter(by)) else "(the same process as the row above)")
    if aa:
        rate = n / aa["seconds"]
        row("annotate, cold, every kind together" + runs_note(aa), f"{aa['seconds']:.2f} s ({rate:,.0f} articles/s)",
            naive_txt, f"{rate / naive_rate:,.2f}×" if naive_rate else "",
            f">= {ISSUE17_RATE:,} articles/s (issue 17)", verdict(rate, ISSUE17_RATE, at_most=False), mem(aa))
    if aw:
        rows_read = (aw.get("extra") or {}).get("rows") or {}
        wby = kind_seconds(aw)
        if naive_rate and wby and all(k in wby for k in PANDAS_KINDS):
            secs = sum(wby[k] for k in PANDAS_KINDS)
            rate = n / secs
            row("annotate, warm (read every row back): sentences + quotes" + runs_note(aw),
                f"{secs:.2f} s ({rate:,.0f} articles/s)", naive_txt, f"{rate / naive_rate:,.2f}×",
                TARGETS["annotate_warm"], "yes" if rate >= 50 * naive_rate else "**no**", mem(aw))
        rate_all = n / aw["seconds"]
        row("annotate, warm (read every row back): every kind" + runs_note(aw),
            f"{aw['seconds']:.2f} s ({rate_all:,.0f} articles/s; {sum(rows_read.values()):,} rows)", "",
            f"{rate_all / naive_rate:,.2f}×" if naive_rate else "", "(not a target)", "", mem(aw))
    for k, label, limit in (("report_warm", "report, warm (loads and store filled)", 20),
                            ("report_cold", "report, cold (empty cache)", 60)):
        if k not in res:
            continue
        r = res.get(k)
        if r is None:
            row(label, "n/a (no `newsdesk report`)", "", "", TARGETS[k], "n/a", "n/a")
            continue
        target, met = TARGETS[k], ("yes" if r["seconds"] <= limit else "**no**") if n == 20000 else "(target at 20k)"
        if k == "report_warm" and n == ISSUE17_SIZE:
            target = f"<= {ISSUE17_REPORT_WARM_SECONDS} s at {ISSUE17_SIZE // 1000}k (issue 17)"
            met = verdict(r["seconds"], ISSUE17_REPORT_WARM_SECONDS)
        if not r.get("ok", True):
            met = "**failed** (it annotated: the store did not hit)" if k == "report_warm" and r.get("annotated") \
                else "**failed**"
        row(label + runs_note(r), f"{r['seconds']:.1f} s", "", "", target, met, mem(r))
    judged = {n: res, **{k: v for k, v in sizes.items() if k >= ISSUE17_SIZE}}
    for k, r in sorted(judged.items()):
        if not any(x in r for x in ("annotate_all", "report_warm", "report_cold")):
            continue
        lines.append("")
        lines.append(f"Issue 17's targets at {k:,} articles:")
        lines.append("")
        lines.append("| target | measured | met |")
        lines.append("|---|---|---|")
        lines += [f"| {t} | {m} | {v} |" for t, m, v in issue17_rows(k, r)]
    scale = {k: v for k, v in (sizes or {n: res}).items()
             if any(x in v for x in ("annotate_cold", "annotate_all", "report_warm", "report_cold"))}
    if scale:
        head, rows = scale_rows(scale)
        lines.append("")
        lines.append("Issue 17 by corpus size: cold annotate throughput (articles/s, load excluded), report time "
                     "end to end, peak memory of the whole process tree, time per article against the base size:")
        lines.append("")
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        lines += ["| " + " | ".join(c) + " |" for c in rows]
    if len(sizes) > 1:
        base, ks, rows = per_article(sizes)
        others = [k for k in ks if k != base]
        lines.append("")
        lines.append(f"Time per article (µs) by corpus size, and its ratio to the time per article at {base:,} "
                     "(the same run; 1.00× = linear):")
        lines.append("")
        lines.append("| step | " + " | ".join(f"{k:,}" for k in ks) + " | "
                     + " | ".join(f"{k:,} / {base:,}" for k in others) + f" | peak memory at {ks[-1]:,} |")
        lines.append("|---|" + "---|" * (len(ks) + len(others) + 1))
        for step, us, ratios in rows:
            src = "annotate_cold" if step.startswith("annotate_cold:") else step
            cells = [f"{u:,.0f}" + runs_note(sizes[k].get(src)) if u is not None else "-" for k, u in zip(ks, us)]
            rat = [f"{q:.2f}×" if q is not None else "-" for k, q in zip(ks, ratios) if k != base]
            name = f"annotate_cold, `{step.split(':', 1)[1]}` alone" if step.startswith("annotate_cold:") else step
            lines.append(f"| {name} | " + " | ".join(cells) + " | " + " | ".join(rat)
                         + f" | {mem(sizes[ks[-1]].get(src))} |")
    if notes:
        lines.append("")
        lines += [f"Note: {x}" for x in notes]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20000, help="articles in the main comparison (default 20000)")
    ap.add_argument("--sizes", default="5000,20000,100000", help="corpus sizes for the per-article table")
    ap.add_argument("--repeats", type=int, default=3, help="runs per figure (the median is shown)")
    ap.add_argument("--slow-repeats", type=int, default=2,
                    help="runs of the slow steps (cold annotate, report) at sizes up to 50,000; one above")
    ap.add_argument("--work", type=Path, default=None, help="keep the corpora here (default: a temp folder)")
    ap.add_argument("--out", type=Path, default=None, help="also write the table (Markdown) and JSON here")
    ap.add_argument("--no-report", action="store_true", help="skip the `newsdesk report` runs")
    ap.add_argument("--skip", default="", metavar="STEP,...",
                    help=f"skip these steps, comma-separated, from: {', '.join(SKIPPABLE)} "
                         "(e.g. report_cold at 1,000,000 articles)")
    ap.add_argument("--child", nargs=2, metavar=("STEP", "CORPUS"), help=argparse.SUPPRESS)
    ap.add_argument("--inproc-load", type=Path, default=None, metavar="CORPUS",
                    help="only compare warm load with the naive loader inside one process, imports done")
    args = ap.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    if args.inproc_load:
        r = inproc_load(str(args.inproc_load), max(3, args.repeats))
        print(f"in one process, imports done, median of {max(3, args.repeats)}: naive {r['naive']:.3f} s, "
              f"warm load {r['warm']:.3f} s, ratio {r['naive'] / r['warm']:.1f}x")
        return 0
    skip = frozenset(x.strip() for x in args.skip.split(",") if x.strip())
    if skip - set(SKIPPABLE):
        ap.error(f"--skip: unknown step(s) {', '.join(sorted(skip - set(SKIPPABLE)))}; choose from {', '.join(SKIPPABLE)}")
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()}) if args.sizes else []
    work = args.work or Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    t_start = time.time()

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    log(f"newsdesk benchmark: n={args.n:,}, sizes={sizes}, repeats={args.repeats}, work={work}")
    notes = version_stability()
    for x in notes:
        log("WARNING: " + x)
    if notes and "PYTHONHASHSEED" not in os.environ:
        # measure what the store is designed to do; the instability itself is reported above
        os.environ["PYTHONHASHSEED"] = "0"
        notes.append("so every step ran with PYTHONHASHSEED=0 (one fixed hash seed in every process); "
                     "without it the warm figures would include recomputing that annotator.")
    reaper = become_subreaper()
    import signal

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    source = build_corpus(args.n, work / f"corpus-{args.n}") if not (work / f"corpus-{args.n}").exists() else "reused"
    if source == "reused":
        source = "polnear-train replicated" if POLNEAR.is_dir() else "data/sample replicated"
    by_size: dict[int, dict] = {}
    report_sizes = report_sizes_for(args.n, sizes)
    stopped = None
    try:
        for s in sorted({args.n, *sizes}):               # smallest first: the base of the ratios is there early
            by_size[s] = {}
            measure(s, work, args.repeats, args.slow_repeats, full=s == args.n, log=log,
                    report=not args.no_report and s in report_sizes, skip=skip, res=by_size[s])
    except KeyboardInterrupt:
        stopped = f"the run was stopped after {(time.time() - t_start) / 60:.1f} min: the figures missing were not measured."
        log("stopped: " + stopped)
    notes.append(f"naive sentiment throughput is measured on the first {NAIVE_SENTIMENT_ARTICLES:,} articles "
                 f"(it is slow). Cold annotate and the report are the median of {args.slow_repeats} runs "
                 f"(one run above 50,000 articles: marked '1 run'); the loads of {max(args.repeats, 5)} interleaved "
                 f"rounds (naive, cold, warm; {args.repeats} above 50,000 articles); the other steps of {args.repeats}.")
    notes.append("cold annotate: each kind alone is one process filling an empty store one kind at a time "
                 "(each kind timed on its own); every kind together is one `store.annotate` call for every kind "
                 "(what `newsdesk report` does first), in another empty store; the load cache is warm in both "
                 "and the load is not timed. The warm report runs on that filled cache.")
    notes.append("peak memory is sampled every 0.2 s over the whole process tree of each step: the step's "
                 "process or the report runner, the fork server, workers and notebook kernels"
                 + (" (this process is their child subreaper, so orphans stay counted)" if reaper else
                    " (no child subreaper here: orphaned processes are not counted)")
                 + ". 'tree' is the largest sum of resident memory (shared pages counted in every process that "
                 "maps them: an upper bound), PSS the proportional set size at about that moment (shared pages "
                 "divided among the processes).")
    if skip or args.no_report:
        notes.append("skipped by request: " + ", ".join(sorted(skip | ({"report_warm", "report_cold"} if args.no_report else set()))) + ".")
    if stopped:
        notes.append(stopped)
    notes.append(f"whole run took {(time.time() - t_start) / 60:.1f} min.")
    main_res = by_size.get(args.n, {})
    md = table(args.n, main_res, {k: v for k, v in by_size.items() if v}, info, source, notes)
    print(md)
    if args.out:
        args.out.write_text(md + "\n", encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps({"machine": info, "n": args.n, "results": {
            str(k): v for k, v in by_size.items()}}, indent=1, default=str), encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 130 if stopped else 0


if __name__ == "__main__":
    sys.exit(main())
