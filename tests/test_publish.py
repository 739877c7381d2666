"""Publishing a report folder: the swap into place, the marker, --out checks against the
corpus, and the clean-up of stale staging folders."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from newsdesk import publish
from newsdesk import report as rp
from newsdesk.params import ReportError

import reportkit as kit


# --------------------------------------------------------------------------- publication
def test_swap_into_place_replaces_the_old_report(tmp_path):
    out, staging = tmp_path / "reports", tmp_path / ".reports.partial-1-abc"
    out.mkdir()
    (out / "index.html").write_text("old")
    (out / publish.MARKER).write_text(json.dumps({"format": 2, "files": ["index.html"]}))
    staging.mkdir()
    (staging / "index.html").write_text("new")
    (staging / "thumbs").mkdir()
    (staging / "thumbs" / "01.png").write_bytes(b"png")
    assert publish.swap_into_place(staging, out) == []
    assert (out / "index.html").read_text() == "new"
    assert not staging.exists()
    assert list(tmp_path.iterdir()) == [out]
    marker = json.loads((out / publish.MARKER).read_text())
    assert marker["format"] == publish.MARKER_FORMAT and marker["files"] == ["index.html", "thumbs/01.png"]


def test_out_folder_that_is_not_a_report_is_never_replaced(tmp_path):
    (tmp_path / "mine.txt").write_text("precious")
    with pytest.raises(ReportError, match="not a newsdesk report folder"):
        publish._check_out(tmp_path)
    (tmp_path / "mine.txt").unlink()
    publish._check_out(tmp_path)  # empty: fine
    (tmp_path / publish.MARKER).write_text(json.dumps({"format": 2, "files": ["index.html"]}))
    (tmp_path / "index.html").write_text("x")
    publish._check_out(tmp_path)  # a previous report: fine


@pytest.mark.parametrize("marker", ["{}", "[]", "not json", '{"format": 2}', '{"format": 2, "files": "index.html"}',
                                    '{"format": 2, "files": ["../mine.txt", "/etc/passwd", "a/../b"]}'])
def test_a_marker_without_a_valid_file_list_owns_nothing_but_itself(tmp_path, marker):
    (tmp_path / publish.MARKER).write_text(marker)
    (tmp_path / "index.html").write_text("x")
    assert publish.marker_files(tmp_path) == {publish.MARKER}
    with pytest.raises(ReportError, match=r"holds 1 file\(s\) the report did not write \(index.html\)"):
        publish._check_out(tmp_path)


def test_files_the_report_did_not_write_are_named_and_the_folder_refused(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / publish.MARKER).write_text(json.dumps({"format": 2, "files": ["index.html", "logs/01.log"]}))
    for f in ("index.html", "logs/01.log", "notes.txt", "logs/mine.md"):
        (out / f).parent.mkdir(exist_ok=True)
        (out / f).write_text(f)
    with pytest.raises(ReportError, match=r"holds 2 file\(s\) the report did not write \(logs/mine.md, notes.txt\)"):
        publish._check_out(out)


def test_a_file_that_appears_during_the_run_is_kept_not_deleted(tmp_path, caplog):
    out, staging = tmp_path / "reports", tmp_path / ".reports.partial-1-abc"
    out.mkdir()
    (out / publish.MARKER).write_text(json.dumps({"format": 2, "files": ["index.html", "thumbs/01.png"]}))
    (out / "index.html").write_text("old")
    (out / "thumbs").mkdir()
    (out / "thumbs" / "01.png").write_text("old")
    (out / "thumbs" / "notes.txt").write_text("mine")       # written after _check_out
    staging.mkdir()
    (staging / "index.html").write_text("new")
    assert publish.swap_into_place(staging, out) == ["thumbs/notes.txt"]
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("reports.kept-")]
    assert len(kept) == 1 and (kept[0] / "thumbs" / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in kept[0].rglob("*")) == ["notes.txt", "thumbs"]
    assert "did not write (thumbs/notes.txt); kept in" in caplog.text
    assert (out / "index.html").read_text() == "new"


def test_a_listed_file_behind_a_symlinked_folder_is_not_deleted(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "01.png").write_text("not the report's")
    out, staging = tmp_path / "reports", tmp_path / ".reports.partial-1-abc"
    out.mkdir()
    (out / publish.MARKER).write_text(json.dumps({"format": 2, "files": ["thumbs/01.png"]}))
    (out / "thumbs").symlink_to(elsewhere)
    staging.mkdir()
    (staging / "index.html").write_text("new")
    publish.swap_into_place(staging, out)
    assert (elsewhere / "01.png").read_text() == "not the report's"


def _legacy_report(out: Path, names=("01-counts", "03-echo")) -> None:
    """A report folder as newsdesk wrote it before the marker listed its files (format 1)."""
    out.mkdir(parents=True)
    for f in ["index.html", "report.log"] + [f"{n}.{e}" for n in names for e in ("html", "ipynb")]:
        (out / f).write_text("old")
    for d, e in (("thumbs", "png"), ("logs", "log")):
        (out / d).mkdir()
        for n in names:
            (out / d / f"{n}.{e}").write_text("old")
    (out / publish.MARKER).write_text(json.dumps({"newsdesk": "0.4.0", "built": "2026-11-30T10:00:00+00:00",
                                             "corpus": {"path": "/x"},
                                             "reports": [{"name": n, "status": "ok", "error": None, "params": {}}
                                                         for n in names]}))


def test_an_older_format_marker_still_lets_its_report_be_replaced(tmp_path):
    out = tmp_path / "reports"
    _legacy_report(out)
    publish._check_out(out)                                         # every file is one the report wrote
    staging = tmp_path / ".reports.partial-1-abc"
    staging.mkdir()
    (staging / "index.html").write_text("new")
    assert publish.swap_into_place(staging, out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]
    assert sorted(p.name for p in out.iterdir()) == [publish.MARKER, "index.html"]
    # a legacy grid: the top marker names its sets, each folder has its own marker
    grid = tmp_path / "grid"
    _legacy_report(grid / "World")
    grid.joinpath("index.html").write_text("old")
    grid.joinpath(publish.MARKER).write_text(json.dumps({"newsdesk": "0.4.0", "sets": [{"folder": "World", "point": {}}]}))
    publish._check_out(grid)
    (grid / "World" / "notes.txt").write_text("mine")
    with pytest.raises(ReportError, match=r"World/notes.txt"):
        publish._check_out(grid)


def _hashes(folder: Path) -> dict[str, str]:
    import hashlib

    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            out[rel] = "link:" + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


def _refused_forms(tmp_path: Path) -> list[tuple[str, str, str]]:
    """(corpus argument, --out, expected words) for every --out that overlaps the corpus."""
    corpus = kit.make_corpus(tmp_path / "corp")
    (corpus / "sub").mkdir()
    (tmp_path / "corp-link").symlink_to(corpus)
    (tmp_path / "sub-link").symlink_to(corpus / "sub")
    c = str(corpus)
    return [
        (c, c, "is the corpus"),                                         # out == corpus
        (c, str(corpus / "sub"), "lies inside the corpus"),              # out inside corpus
        (c, str(corpus / "new" / "deeper"), "lies inside the corpus"),   # ... even a new folder
        (c, str(tmp_path), "contains the corpus"),                       # out containing corpus
        (str(tmp_path / "corp-link"), c, "is the corpus"),               # corpus named via a symlink
        (c, str(tmp_path / "corp-link"), "is the corpus"),               # out via a symlink
        (c, str(tmp_path / "sub-link"), "lies inside the corpus"),       # out inside, via a symlink
        (c + "/*.txt", c, "is the corpus"),                              # a glob corpus
        (c + "/*.txt", str(tmp_path), "contains the corpus"),
        (c + "/0*.txt", str(corpus / "sub"), "lies inside the corpus"),
        (c + "/00.txt", str(tmp_path), "contains the corpus"),           # a one-file corpus
        (c, c + "/../corp/./sub/..", "is the corpus"),                   # dots
    ]


@pytest.mark.parametrize("marker", [None, "{}", "legacy", "format2-listing-articles"])
def test_out_overlapping_the_corpus_is_refused_before_loading_and_the_corpus_is_untouched(tmp_path, monkeypatch,
                                                                                           marker):
    from newsdesk import corpus as nd_corpus

    forms = _refused_forms(tmp_path)
    corpus = tmp_path / "corp"
    if marker == "{}":
        (corpus / publish.MARKER).write_text("{}")
        (corpus / "sub" / publish.MARKER).write_text("{}")
    elif marker == "legacy":
        (corpus / publish.MARKER).write_text(json.dumps({"newsdesk": "0.4.0", "reports": [{"name": "00"}]}))
    elif marker:
        (corpus / publish.MARKER).write_text(json.dumps({"format": 2, "files": sorted(p.name for p in corpus.glob("*.txt"))}))
    (tmp_path / publish.MARKER).write_text("{}")
    before = _hashes(tmp_path)
    monkeypatch.setattr(nd_corpus, "load_corpus", lambda *a, **k: pytest.fail("loaded before refusing --out"))
    nbs = kit.fixture_notebooks(tmp_path.parent / f"{tmp_path.name}-nbs")
    for corpus_arg, out, words in forms:
        with pytest.raises(ReportError, match="the corpus is never written to or replaced") as exc:
            rp.build_reports(corpus_arg, out, notebooks_dir=nbs)
        assert words in str(exc.value), (corpus_arg, out, str(exc.value))
        assert "\n" not in str(exc.value)
    assert _hashes(tmp_path) == before


def test_out_beside_the_corpus_is_fine(tmp_path):
    forms = _refused_forms(tmp_path)
    corpus = tmp_path / "corp"
    publish._check_out(tmp_path / "reports", corpus)
    publish._check_out(tmp_path / "corp-reports", corpus)                  # a shared name prefix is not inside
    publish._check_out(corpus / "sub-reports", str(corpus / "00.txt"))     # beside a one-file corpus
    assert forms


def test_the_reproduction_exits_2_and_the_corpus_keeps_every_article(tmp_path):
    """The issue's reproduction: `{}` marker planted, newsdesk report corp --out corp."""
    corpus = kit.make_corpus(tmp_path / "corp")
    (corpus / publish.MARKER).write_text("{}")
    before = _hashes(corpus)
    nbs = kit.fixture_notebooks(tmp_path / "nbs")
    proc = kit.run_cli("report", str(corpus), "--out", str(corpus), "--notebooks-dir", str(nbs),
                       "--notebooks", "01", timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "is the corpus" in proc.stderr and "Traceback" not in proc.stderr
    assert _hashes(corpus) == before
    assert not list(tmp_path.glob(".corp.*"))


def test_stale_partial_folders_of_dead_runs_are_removed(tmp_path):
    out = tmp_path / "reports"
    dead = tmp_path / ".reports.partial-999999999-abc123"
    alive = tmp_path / f".reports.partial-{os.getpid()}-abc123"
    dead.mkdir()
    alive.mkdir()
    publish._clean_stale(out)
    assert not dead.exists() and alive.exists()


def test_a_partial_folder_is_kept_while_its_owner_lives_and_removed_when_its_pid_is_reused(tmp_path):
    out = tmp_path / "reports"
    mine = tmp_path / f".reports.partial-{os.getpid()}-aaa111"
    reused = tmp_path / f".reports.partial-{os.getpid()}-bbb222"    # made by a run before this process
    mine.mkdir()
    reused.mkdir()
    long_ago = time.time() - 7 * 24 * 3600
    os.utime(reused, (long_ago, long_ago))
    publish._clean_stale(out)
    assert mine.exists()
    from newsdesk.parallel import process_started

    assert reused.exists() == (process_started(os.getpid()) is None)  # a start time to compare: removed


def test_a_partial_folder_whose_lock_is_held_is_kept(tmp_path):
    # a run on another machine or in another pid namespace: its pid means nothing here, its lock does
    out = tmp_path / "reports"
    elsewhere = tmp_path / ".reports.partial-999999999-ccc333"
    elsewhere.mkdir()
    fd = publish._owner_lock(elsewhere)
    try:
        pid = os.fork()
        if pid == 0:                  # another process looks: the lock is not its own
            publish._clean_stale(out)
            os._exit(0)
        os.waitpid(pid, 0)
        assert elsewhere.exists() or fd is None
    finally:
        if fd is not None:
            os.close(fd)
    publish._clean_stale(out)
    assert not elsewhere.exists()
