"""Hostile corpora: the loader and the annotators finish, raise nothing and account for every input.

A fixed-seed generator writes several hundred files into a temporary folder: valid articles in
every supported encoding, random bytes, empty files, header-only files, headers without a title,
impossible dates (``February 30``, year ``20177``), weekdays contradicting their date, a 20 MB
single-line file, a 20 MB single-line body, a 60 MB (sparse) file, NUL bytes, mixed encodings,
symlink loops, an unreadable file, a named pipe, a directory named ``x.txt`` and a file name that
is not UTF-8. Each file's expected outcome is recorded by the generator, so the test checks not
only that every input is accounted for but that each reject carries the *specific* reason.

Loads and annotations run in a subprocess with a timeout: a hang fails the test instead of
blocking the suite. The timeouts are hang bounds, far above the normal run time; they are not
speed assertions.

Unreadable files: tests usually run as root in CI, and root reads a ``chmod 000`` file anyway
(CAP_DAC_OVERRIDE). When running as root, the subprocesses therefore drop CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH from their capability bounding set before exec: they stay uid 0 (so they can
still run an interpreter installed under /root) but file permissions now apply to them. Where that
is impossible (no CAP_SETPCAP), the unreadable file is expected to load as an ordinary article and
the permission test skips, saying why.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow   # 2 min of the serial suite (the hostile corpus, 20 MB articles)
ROOT = Path(__file__).resolve().parents[1]
SEED = 20261128
LOAD_BOUND_S = 300          # a load of the hostile corpus normally takes a few seconds
ANNOTATE_BOUND_S = 900      # the annotators also see one 20 MB article
MB = 2**20
MEMORY_BOUND_MB = 1500      # peak RSS of one load of the hostile corpus (measured: about 500 MB)


# --------------------------------------------------------------------------- the generator
@dataclass(frozen=True)
class Expect:
    kind: str
    articles: int = 0                  # articles this file yields
    reason: str | None = None          # regex every reject of this file must match (re.match)
    warning: str | None = None         # substring every article's warnings must contain
    no_warning: bool = False           # the articles carry no warning


WORDS = ("minister senator council budget election court police strike market border talks "
         "report vote summit rally treaty energy health school army river city village harbour "
         "storm bank union party leader farmer doctor judge mayor").split()
SECTIONS = ["World", "Politics", "Business", "Sport", "Culture", ""]
WIRES = ["- AFP", "- AFP/Reuters", "- Reuters", None]


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))).capitalize()


def _date(rng: random.Random) -> dt.datetime:
    return dt.datetime(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 1439))


def _long_date(when: dt.datetime, weekday: str | None = None) -> str:
    day = weekday or calendar.day_name[when.weekday()]
    return f"{day}, {calendar.month_name[when.month]} {when.day}, {when.year} - {when:%H:%M}"


def _article(rng: random.Random, *, title: str | None = None, date: str | None = None,
             body: str | None = None, extra: str = "") -> str:
    title = title or _title(rng)
    date = date or _long_date(_date(rng))
    paras = body or "\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))).capitalize() + "."
        for _ in range(rng.randint(1, 6)))
    wire = rng.choice(WIRES)
    return (f"## Title: {title}\n## Supertitle: {rng.choice(['', 'Analysis'])}\n"
            f"## Section: {rng.choice(SECTIONS)}\n## Date: {date}\n{extra}\n{title}\n\n{paras}\n"
            + (f"{wire}\n" if wire else ""))


def build_hostile_corpus(root: Path, seed: int = SEED, *, can_block_reads: bool = True) -> dict[str, Expect]:
    """Write the hostile corpus under ``root``; return ``{relative path: expected outcome}``."""
    rng = random.Random(seed)
    manifest: dict[str, Expect] = {}
    n = 0

    def put(kind: str, data: bytes | str, expect: Expect, *, folder: str = "", name: str | None = None) -> Path:
        nonlocal n
        n += 1
        rel = f"{folder}{name or f'{n:04d}-{kind}.txt'}"
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        manifest[rel] = expect
        return p

    ok = Expect("valid", articles=1, no_warning=True)
    folders = ["", "2016/", "2017/", "2017/deep/er/"]
    for _ in range(150):
        put("valid", _article(rng), ok, folder=rng.choice(folders))
    for _ in range(15):
        put("bom", b"\xef\xbb\xbf" + _article(rng).encode("utf-8"), Expect("bom", 1, no_warning=True))
    for _ in range(15):
        put("crlf", _article(rng).replace("\n", "\r\n"), Expect("crlf", 1, no_warning=True))
    for _ in range(8):
        put("utf16", _article(rng).encode("utf-16"), Expect("utf16", 1, no_warning=True))
    for _ in range(4):
        put("utf16-nobom", _article(rng).encode("utf-16-le"),
            Expect("utf16-nobom", 1, warning="decoded as UTF-16-LE (no byte-order mark)"))
    for _ in range(15):
        text = _article(rng, title=f"Café {_title(rng)}", body="Señor Müller: “we’ll see”. Cost: 5 €.")
        put("cp1252", text.encode("cp1252"), Expect("cp1252", 1, warning="; decoded as cp1252"))
    for _ in range(10):
        data = _article(rng, body="Ünïcode café. STRAY").encode("utf-8").replace(b"STRAY", b"\x93quoted\x94 \x81")
        put("mixed", data, Expect("mixed", 1, warning="mixed encodings: 3 byte(s) not valid UTF-8"))
    for _ in range(12):
        when = _date(rng)
        wrong = calendar.day_name[(when.weekday() + rng.randint(1, 6)) % 7]
        put("weekday", _article(rng, date=_long_date(when, wrong)), Expect("weekday", 1, warning="contradicts"))
    for _ in range(15):
        put("multi", _article(rng) + "\n" + _article(rng) + _article(rng), Expect("multi", 3))
    for _ in range(8):
        put("multi-bad", _article(rng) + _article(rng, date="Thursday, February 30, 2017 - 10:00") + _article(rng),
            Expect("multi-bad", 2, reason=r"bad '## Date:' \(line \d+\): impossible date"))
    for _ in range(5):
        put("lead-text", "A stray line of a broken scrape.\n\n" + _article(rng),
            Expect("lead-text", 1, reason=r"2 line\(s\) of text before the first '## Title:' were skipped$"))
    for _ in range(5):
        put("dup", (root / next(k for k, v in manifest.items() if v.kind == "valid")).read_bytes(),
            Expect("dup", 1, no_warning=True))
    for _ in range(30):
        put("random", rng.randbytes(rng.randint(512, 8192)), Expect("random", reason=r"binary file \("))
    for _ in range(12):
        put("empty", b"", Expect("empty", reason=r"empty file \(0 bytes\)$"))
    for _ in range(5):
        put("blank", " \n\n\t\n" * rng.randint(1, 5), Expect("blank", reason=r"empty file \(white space only\)$"))
    for _ in range(12):
        put("header-only", _article(rng).split("\n\n")[0] + "\n",
            Expect("header-only", reason=r"header only: the article has no body$"))
    for _ in range(12):
        head, _, rest = _article(rng).partition("\n")
        put("no-title", rest, Expect("no-title", reason=r"headers without a '## Title:' line$"))
    for _ in range(10):
        put("feb30", _article(rng, date=f"Tuesday, February 30, {rng.randint(2015, 2018)} - 09:00"),
            Expect("feb30", reason=r"bad '## Date:' \(line 4\): impossible date 'Tuesday, February 30, 20\d\d"))
    for _ in range(10):
        put("year20177", _article(rng, date="Friday, May 12, 20177 - 01:00"),
            Expect("year20177", reason=r"bad '## Date:' \(line 4\): year 20177 out of range"))
    for _ in range(10):
        data = bytearray(_article(rng).encode("utf-8"))
        data[rng.randint(40, len(data) - 1)] = 0
        put("nul", bytes(data), Expect("nul", reason=r"binary file \(1 NUL byte\(s\), first at line \d+\), not text$"))
    for _ in range(4):
        put("pdf", b"%PDF-1.7\n" + rng.randbytes(2000), Expect("pdf", reason=r"binary file \(a PDF document\), not text$"))
    for _ in range(3):
        put("zip", b"PK\x03\x04" + rng.randbytes(500), Expect("zip", reason=r"binary file \(a ZIP archive"))
    for _ in range(4):
        put("control", bytes(rng.randrange(1, 32) for _ in range(3000)),
            Expect("control", reason=r"binary file \([\d,]+ control characters in the first"))

    # size: a 20 MB line without headers, a 20 MB single-line body, a 60 MB file, a 200k title
    put("big-line", b"lorem ipsum " * (20 * MB // 12),
        Expect("big-line", reason=r"no '## Title:' header: not a seed-format article$"))
    body = ("The council met again. " * (20 * MB // 23)).strip()
    put("big-body", f"## Title: Long\n## Date: 2017-05-12\n\nLong\n\n{body}\n", Expect("big-body", 1, no_warning=True))
    # lines built to make a backtracking regex quadratic (header key, wire line): 5 MB each
    put("long-header-line", "## Note" + " " * (5 * MB) + "x\n",
        Expect("long-header-line", reason=r"no '## Title:' header: not a seed-format article$"))
    put("long-wire-line", _article(rng).rstrip("\n") + "\n- " + "AFP/" * (5 * MB // 4) + "\n",
        Expect("long-wire-line", 1, no_warning=True))
    put("flood", "## Title: x\n" * 200_000,  # 200,000 broken articles in one file: capped, counted
        Expect("flood", reason=r"missing '## Date:' header$|199,900 more problems in this file from line 101 on"))
    huge = put("huge", b"", Expect("huge", reason=r"file too large \(60\.0 MB, limit 50 MB\): not read"))
    with open(huge, "r+b") as fh:
        fh.truncate(60 * MB)  # sparse: costs no disk, and must never be read
    put("huge-title", "## Title: " + "x" * 200_000 + "\n## Date: 2017-05-12\n\nBody\n",
        Expect("huge-title", reason=r"header 'title' is 200,000 characters long \(line 1; limit 10,000\)"))

    # file system oddities
    (root / "self.txt").symlink_to("self.txt")
    (root / "ping.txt").symlink_to("pong.txt")
    (root / "pong.txt").symlink_to("ping.txt")
    for rel in ("self.txt", "ping.txt", "pong.txt"):
        manifest[rel] = Expect("symlink-loop", reason=r"symlink loop")
    (root / "2017" / "loop").symlink_to("..")
    manifest["2017/loop"] = Expect("dir-loop", reason=r"symlink loop: links back to the corpus folder itself; not walked again$")
    (root / "gone.txt").symlink_to("nowhere/at/all.txt")
    manifest["gone.txt"] = Expect("broken-link", reason=r"broken symlink \(points to 'nowhere/at/all.txt'")
    locked = put("unreadable", _article(rng), Expect("unreadable", reason=r"unreadable: permission denied")
                 if can_block_reads else Expect("unreadable", 1, no_warning=True))
    locked.chmod(0)
    locked_dir = root / "locked-dir"
    locked_dir.mkdir()
    (locked_dir / "inner.txt").write_text(_article(rng))
    locked_dir.chmod(0)
    if can_block_reads:
        manifest["locked-dir"] = Expect("unlistable-dir", reason=r"cannot list directory: Permission denied; "
                                                                 r"its files were not read$")
    else:
        manifest["locked-dir/inner.txt"] = Expect("unlistable-dir", 1, no_warning=True)
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.txt")
        manifest["pipe.txt"] = Expect("fifo", reason=r"a named pipe \(FIFO\), not a regular file: not read$")
    put("in-dir-x.txt", _article(rng), Expect("in-dir-x.txt", 1, no_warning=True), folder="x.txt/", name="inner.txt")
    (root / "empty-dir.txt").mkdir()  # a folder named like a file, holding nothing: no input
    bad_name = os.fsdecode(b"caf\xe9-latin1-name.txt")
    (root / bad_name).write_text(_article(rng))
    manifest["caf\\xe9-latin1-name.txt"] = Expect("bad-name", 1, no_warning=True)
    for odd in ("new\nline.txt", "quote\"s and 'apostrophes' <b>.txt", " spaced out .txt", "-dash.txt"):
        (root / odd).write_text(_article(rng))
        manifest[odd] = Expect("odd-name", 1, no_warning=True)
    (root / ".ipynb_checkpoints").mkdir()
    (root / ".ipynb_checkpoints" / "0001-valid-checkpoint.txt").write_text(_article(rng))
    manifest[".ipynb_checkpoints"] = Expect("hidden-dir", reason=r"hidden folder not read")
    (root / "2016" / "._0002-valid.txt").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")
    manifest["2016/._0002-valid.txt"] = Expect("hidden-file", reason=r"hidden file not read")
    (root / "notes.md").write_text("not a .txt file: not an input")
    (root / "image.png").write_bytes(b"\x89PNG\r\n")
    return manifest


# --------------------------------------------------------------------------- running in a subprocess
RUNNER = textwrap.dedent("""
    import hashlib, json, sys
    args = json.loads(sys.argv[1])
    import pandas as pd
    import newsdesk as nd
    from newsdesk import parallel, records
    if args.get("parallel"):
        parallel.map_chunks.__kwdefaults__["min_parallel"] = 1   # force the process pool
    out = {}
    try:
        a = nd.load_corpus(args["corpus"], strict=args.get("strict", False), cache=args.get("cache", True),
                           jobs=args.get("jobs", 1))
    except records.CorpusError as exc:
        out["corpus_error"] = str(exc)
        a = None
    if a is not None and args.get("kind"):
        from newsdesk import registry, store
        try:
            registry.annotator(args["kind"])
        except (KeyError, ImportError) as exc:
            print(json.dumps({"skip": f"annotator {args['kind']!r} not available: {exc}"}))
            sys.exit(0)
        rows = store.get(a, args["kind"], jobs=args.get("jobs", 1))
        rows = rows.astype(str)
        rows = rows.sort_values(list(rows.columns)).reset_index(drop=True)
        h = hashlib.sha1(pd.util.hash_pandas_object(rows, index=False).values.tobytes()).hexdigest()
        out["annotations"] = {"rows": len(rows), "columns": list(rows.columns), "hash": h,
                              "ids": sorted(set(rows["article_id"]))}
    if a is not None:
        out["articles"] = [[p, i, t[:60], str(d), None if pd.isna(g) else g, int(w), c,
                            None if pd.isna(u) else u, None if pd.isna(x) else x]
                           for p, i, t, d, g, w, c, u, x in zip(a["path"], a["article_id"], a["title"], a["date"],
                                                                a["agency"], a["words"], a["content_hash"],
                                                                a["duplicate_of"], a["warnings"])]
        out["rejects"] = [[p, None if pd.isna(l) else int(l), r] for p, l, r in nd.rejects(a).itertuples(index=False)]
    import resource
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))
""")


_PR_CAPBSET_DROP = 24
_DAC_CAPS = (1, 2)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH


def _drop_dac_caps() -> None:
    """preexec_fn: remove root's permission override from the child (see the module doc)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _DAC_CAPS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _root_can_be_denied(probe_dir: Path) -> bool:
    """True when a child process of ours, root or not, is refused a ``chmod 000`` file."""
    probe = probe_dir / "probe-locked"
    probe.write_text("x")
    probe.chmod(0)
    try:
        extra = {"preexec_fn": _drop_dac_caps} if _running_as_root() else {}
        proc = subprocess.run([sys.executable, "-c", f"open({str(probe)!r}).read()"], capture_output=True,
                              timeout=120, **extra)
        return proc.returncode != 0 and b"PermissionError" in proc.stderr
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        probe.unlink()


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _unlock(base: Path) -> None:
    """Make everything under ``base`` removable again (folders first, so they can be listed)."""
    subprocess.run(["chmod", "-R", "u+rwX", str(base)], capture_output=True)


@dataclass
class Sandbox:
    base: Path
    corpus: Path
    manifest: dict[str, Expect]
    can_block_reads: bool
    peak_rss_mb: dict = field(default_factory=dict)   # peak memory of each run, by its arguments

    def run(self, *, cache_dir: str = "cache", timeout: float = LOAD_BOUND_S, **args) -> dict:
        """Run the loader (and an annotator with ``kind=``) on the corpus in a fresh process."""
        cache = self.base / cache_dir
        cache.mkdir(exist_ok=True)
        cache.chmod(0o777)
        env = dict(os.environ, NEWSDESK_CACHE=str(cache), HOME=str(self.base), MPLCONFIGDIR=str(self.base / "mpl"),
                   NEWSDESK_JOBS="2", PYTHONHASHSEED="0")
        extra = {"preexec_fn": _drop_dac_caps} if self.can_block_reads and _running_as_root() else {}
        try:
            proc = subprocess.run([sys.executable, "-c", RUNNER, json.dumps({"corpus": str(self.corpus), **args})],
                                  capture_output=True, text=True, env=env, timeout=timeout, cwd=self.base, **extra)
        except subprocess.TimeoutExpired:
            pytest.fail(f"no result within {timeout} s (hang bound) for {args}")
        assert proc.returncode == 0, f"the run raised (args {args}):\n{proc.stderr[-4000:]}"
        assert "Traceback" not in proc.stderr, proc.stderr[-4000:]
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        self.peak_rss_mb[json.dumps(args, sort_keys=True)] = result.pop("max_rss_mb", None)
        return result


@pytest.fixture(scope="module")
def sandbox():
    base = Path(tempfile.mkdtemp(prefix="newsdesk-hostile-"))
    can_block = _root_can_be_denied(base)
    corpus = base / "corpus"
    corpus.mkdir()
    try:
        manifest = build_hostile_corpus(corpus, can_block_reads=can_block)
        yield Sandbox(base, corpus, manifest, can_block)
    finally:
        _unlock(base)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def runs(sandbox) -> dict[str, dict]:
    """Three loads: cold cache, warm cache, and no cache through the process pool."""
    return {
        "cold": sandbox.run(),
        "warm": sandbox.run(),
        "pool": sandbox.run(cache=False, parallel=True, jobs=2),
    }


# --------------------------------------------------------------------------- tests
def test_generator_is_deterministic_and_large(tmp_path):
    try:
        a = build_hostile_corpus(tmp_path / "a")
        b = build_hostile_corpus(tmp_path / "b")
        _unlock(tmp_path)
        assert a == b and len(a) >= 350
        digest = lambda root: hashlib.sha1(b"".join(  # noqa: E731
            p.read_bytes() for p in sorted(root.rglob("*.txt")) if p.is_file() and not p.is_symlink()
            and stat.S_ISREG(p.stat().st_mode) and p.stat().st_size < 30 * MB)).hexdigest()
        assert digest(tmp_path / "a") == digest(tmp_path / "b")
        assert len({e.kind for e in a.values()}) >= 30
    finally:
        _unlock(tmp_path)


def test_loader_accounts_for_every_input(sandbox, runs):
    res = runs["cold"]
    assert "corpus_error" not in res, res.get("corpus_error")
    got_articles: dict[str, int] = {}
    for row in res["articles"]:
        got_articles[row[0]] = got_articles.get(row[0], 0) + 1
    got_rejects: dict[str, list[str]] = {}
    for path, line, reason in res["rejects"]:
        got_rejects.setdefault(path, []).append(reason)
    seen = set(got_articles) | set(got_rejects)
    assert seen - set(sandbox.manifest) == set(), "outputs for paths that are not inputs"
    assert set(sandbox.manifest) - seen == set(), "inputs neither loaded nor rejected (lost silently)"
    problems = []
    for rel, exp in sandbox.manifest.items():
        if got_articles.get(rel, 0) != exp.articles:
            problems.append(f"{rel} ({exp.kind}): {got_articles.get(rel, 0)} articles, expected {exp.articles}; "
                            f"rejects: {got_rejects.get(rel)}")
        if exp.reason is None and rel in got_rejects:
            problems.append(f"{rel} ({exp.kind}): unexpected reject {got_rejects[rel]}")
        if exp.reason is not None and not got_rejects.get(rel):
            problems.append(f"{rel} ({exp.kind}): expected a reject matching {exp.reason!r}")
    assert not problems, "\n".join(problems[:30])


def test_reject_reasons_are_specific(sandbox, runs):
    import re

    wrong = []
    for path, line, reason in runs["cold"]["rejects"]:
        exp = sandbox.manifest[path]
        if not re.match(exp.reason or "$^", reason):
            wrong.append(f"{path} ({exp.kind}): {reason!r} does not match {exp.reason!r}")
    assert not wrong, "\n".join(wrong[:30])
    reasons = [r for _, _, r in runs["cold"]["rejects"]]
    assert not [r for r in reasons if "internal error" in r or len(r) < 15]
    distinct_kinds = {sandbox.manifest[p].kind for p, _, _ in runs["cold"]["rejects"]}
    assert len(distinct_kinds) >= 18
    # a line is given wherever one applies: every reject of a parsed article names its line
    for path, line, reason in runs["cold"]["rejects"]:
        if sandbox.manifest[path].kind in {"multi-bad", "feb30", "year20177", "header-only", "no-title", "lead-text"}:
            assert line is not None and line >= 1, (path, reason)


def test_warnings_are_specific(sandbox, runs):
    for path, *_, warnings in runs["cold"]["articles"]:
        exp = sandbox.manifest[path]
        if exp.warning:
            assert warnings and exp.warning in warnings, (path, exp.kind, warnings)
        if exp.no_warning:
            assert warnings is None, (path, exp.kind, warnings)


def test_unreadable_file_as_root_is_explained(sandbox, runs):
    rel = next(k for k, v in sandbox.manifest.items() if v.kind == "unreadable")
    reasons = [r for p, _, r in runs["cold"]["rejects"] if p == rel]
    if sandbox.can_block_reads:
        assert reasons == ["unreadable: permission denied. Make the file readable (chmod a+r) or remove it "
                           "from the corpus"]
    else:
        # root that cannot drop CAP_DAC_OVERRIDE: permissions do not stop its reads, so the file loads
        assert reasons == [] and rel in {a[0] for a in runs["cold"]["articles"]}
        pytest.skip("running as root without CAP_SETPCAP: a chmod 000 file is readable, so the "
                    "permission-denied path is not exercised here")


def test_two_runs_give_identical_results(runs):
    assert runs["warm"] == runs["cold"]   # second run: from the load cache
    assert runs["pool"] == runs["cold"]   # third run: no cache, parsed in worker processes


def test_memory_stays_bounded(sandbox, runs):
    """~110 MB of hostile input (a 20 MB article, 5 MB lines, a 200,000-article file, a 60 MB file
    that must not be read): the peak memory of a load stays bounded (measured about 0.5 GB in
    the loading process; the bound leaves room for allocator noise)."""
    peaks = [v for k, v in sandbox.peak_rss_mb.items() if '"kind"' not in k and v]
    assert peaks and max(peaks) < MEMORY_BOUND_MB, sandbox.peak_rss_mb


def test_big_files_are_handled(runs):
    by_path = {a[0]: a for a in runs["cold"]["articles"]}
    big = next(a for p, a in by_path.items() if p.endswith("-big-body.txt"))
    assert big[5] == 4 * (20 * MB // 23)  # words: 4 per sentence, nothing lost


def test_strict_mode_raises_corpus_error_not_a_crash(sandbox):
    res = sandbox.run(strict=True, cache_dir="cache-strict")
    assert "corpus_error" in res and "strict mode stops at the first problem" in res["corpus_error"]


@pytest.mark.parametrize("kind", ["sentences", "quotes"])
def test_annotators_survive_the_hostile_corpus(sandbox, runs, kind):
    first = sandbox.run(kind=kind, timeout=ANNOTATE_BOUND_S, cache_dir="cache-annotate")
    if "skip" in first:
        pytest.skip(first["skip"])
    ann = first["annotations"]
    assert "article_id" in ann["columns"]
    loaded = {a[1] for a in runs["cold"]["articles"]}
    assert set(ann["ids"]) <= loaded
    if kind == "sentences":  # every article with words has sentences, the 20 MB one included
        with_words = {a[1] for a in runs["cold"]["articles"] if a[5] > 0}
        assert with_words <= set(ann["ids"])
    second = sandbox.run(kind=kind, timeout=ANNOTATE_BOUND_S, cache_dir="cache-annotate")
    assert second == first   # from the annotation store: identical


# --------------------------------------------------------------------------- runs sharing caches at once
def _small_corpus(dest: Path) -> Path:
    src = ROOT / "data" / "sample"
    if src.is_dir() and any(src.glob("*.txt")):
        shutil.copytree(src, dest)
    else:
        rng = random.Random(SEED)
        for i in range(60):
            (dest / f"{i // 20}").mkdir(parents=True, exist_ok=True)
            (dest / f"{i // 20}" / f"{i:03d}.txt").write_text(_article(rng))
    return dest


@pytest.mark.parametrize("kind", ["sentences", "quotes"])
def test_two_runs_sharing_caches_at_once(tmp_path, kind):
    """Two processes load and annotate the same corpus with the same (cold) load cache and
    annotation store at the same time: both succeed, agree, and leave caches a third run reuses."""
    corpus = _small_corpus(tmp_path / "corpus")
    env = dict(os.environ, NEWSDESK_CACHE=str(tmp_path / "cache"), MPLCONFIGDIR=str(tmp_path / "mpl"),
               NEWSDESK_JOBS="1")
    argv = [sys.executable, "-c", RUNNER, json.dumps({"corpus": str(corpus), "kind": kind})]
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
             for _ in range(2)]
    outs = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=ANNOTATE_BOUND_S)
            assert p.returncode == 0, err[-4000:]
            outs.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    if "skip" in outs[0]:
        pytest.skip(outs[0]["skip"])
    assert outs[0] == outs[1]
    assert outs[0]["annotations"]["rows"] > 0
    third = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=ANNOTATE_BOUND_S)
    assert third.returncode == 0, third.stderr[-4000:]
    assert json.loads(third.stdout.strip().splitlines()[-1]) == outs[0]


# --------------------------------------------------------------------------- a read-only corpus
def _snapshot(root: Path) -> dict[str, tuple]:
    snap = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames, "."]:
            p = Path(dirpath) / name
            st = os.lstat(p)
            digest = hashlib.sha1(p.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else None
            snap[str(p.relative_to(root))] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return snap


def test_read_only_corpus_is_never_written(tmp_path):
    """``chmod -R a-w`` the corpus, run load, the CLI, annotate, quotes and a report on it: every
    command succeeds and not a byte, name, mode or timestamp inside the corpus changes.

    The snapshot comparison is the real check (root could write despite the permissions). The
    CLI load also runs without root's permission override where possible, proving it needs no
    write access at all."""
    corpus = _small_corpus(tmp_path / "ro-corpus")
    (corpus / "bad.txt").write_bytes(b"%PDF-1.4")
    subprocess.run(["chmod", "-R", "a-w", str(corpus)], check=True)
    before = _snapshot(corpus)
    env = dict(os.environ, NEWSDESK_CACHE=str(tmp_path / "cache"), MPLCONFIGDIR=str(tmp_path / "mpl"))
    exe = Path(sys.executable).with_name("newsdesk")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "newsdesk.cli"]

    def run(*argv: str, timeout: float = ANNOTATE_BOUND_S, drop: bool = False) -> subprocess.CompletedProcess:
        extra = {"preexec_fn": _drop_dac_caps} if drop else {}
        proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True, env=env, timeout=timeout,
                              cwd=tmp_path, **extra)
        assert proc.returncode == 0, f"{argv[1:3]} failed on a read-only corpus:\n{proc.stderr[-4000:]}"
        return proc

    try:
        drop = _running_as_root() and _root_can_be_denied(tmp_path)
        proc = run(*cmd, "load", corpus, "--out", tmp_path / "out", timeout=LOAD_BOUND_S, drop=drop)
        assert proc.stdout.strip().endswith(", 1 rejected")
        code = ("import sys, newsdesk as nd\n"
                "from newsdesk import registry, store\n"
                "a = nd.load_corpus(sys.argv[1])\n"
                "for kind in ('sentences', 'quotes'):\n"
                "    try:\n        registry.annotator(kind)\n"
                "    except (KeyError, ImportError):\n        print('skip', kind); continue\n"
                "    print(kind, len(store.get(a, kind)))\n")
        run(sys.executable, "-c", code, corpus)
        commands = run(*cmd, "--help", timeout=120).stdout
        if " annotate" in commands:
            run(*cmd, "annotate", corpus)
        if " quotes" in commands:
            run(*cmd, "quotes", corpus, "--out", tmp_path / "quotes.csv")
        if " report" in commands and any((ROOT / "notebooks").glob("01-*.ipynb")):
            run(*cmd, "report", corpus, "--out", tmp_path / "reports", "--notebooks", "01")
        assert _snapshot(corpus) == before
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(corpus)], check=True)
