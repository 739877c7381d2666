"""The command line: exit codes and messages that name the file (and line) and say what to do."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from newsdesk.cli import main

ARTICLE = "## Title: {t}\n## Section: {s}\n## Date: {d}\n\n{t}\n\nBody of {t}.\n- AFP\n"


def make_corpus(folder: Path, items=(("a", "World", "2017-05-12"), ("b", "Sport", "2017-06-01"))) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for t, s, d in items:
        (folder / f"{t}.txt").write_text(ARTICLE.format(t=t, s=s, d=d))
    return folder


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_load_writes_articles_and_rejects(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "c")
    (corpus / "broken.txt").write_bytes(b"%PDF-1.4")
    code, out, err = run(capsys, "load", corpus, "--out", tmp_path / "out")
    assert code == 0, err
    assert out.strip() == "2 articles, 1 rejected"
    assert len(pd.read_parquet(tmp_path / "out" / "articles.parquet")) == 2
    rej = pd.read_csv(tmp_path / "out" / "rejects.csv")
    assert list(rej["path"]) == ["broken.txt"] and "PDF" in rej["reason"].iloc[0]


@pytest.mark.parametrize("argv, expected", [
    (["--date-from", "2017-05-13"], ["b"]),
    (["--date-to", "2017-05-12"], ["a"]),
    (["--sections", "sport, Culture"], ["b"]),
    (["--date-from", "2017-01-01", "--date-to", "2017-12-31", "--sections", "World"], ["a"]),
])
def test_load_filters(tmp_path, capsys, argv, expected):
    corpus = make_corpus(tmp_path / "c")
    code, out, err = run(capsys, "load", corpus, "--out", tmp_path / "out", *argv)
    assert code == 0, err
    assert sorted(pd.read_parquet(tmp_path / "out" / "articles.parquet")["title"]) == expected
    assert out.strip() == f"{len(expected)} articles, 0 rejected"


# Each failure: exit 2, one line "newsdesk load: error: ...", no traceback, what to do.
@pytest.mark.parametrize("setup, argv, pieces", [
    pytest.param("missing", [], ["does not exist", "{corpus}", "Pass a folder of .txt articles"], id="missing-path"),
    pytest.param("empty", [], ["{corpus}", "is empty: no .txt files", "Point it at a folder"], id="empty-corpus"),
    pytest.param("only-md", [], ["is empty: no .txt files"], id="no-txt-files"),
    pytest.param("ok", ["--date-from", "2019-01-01"],
                 ["none of the 2 articles", "{corpus}", "(dates 2019-01-01 to ...)",
                  "runs from 2017-05-12 to 2017-06-01", "Widen or drop the filter"], id="all-after-filter"),
    pytest.param("ok", ["--date-to", "2016-12-31"], ["(dates ... to 2016-12-31)", "Widen"], id="all-before-filter"),
    pytest.param("ok", ["--sections", "Culture"],
                 ["(sections Culture)", "with sections Sport, World", "Widen"], id="no-such-section"),
    pytest.param("ok", ["--date-from", "2017-06-01", "--date-to", "2017-05-01"],
                 ["date_from 2017-06-01 is after date_to 2017-05-01", "Swap them"], id="from-after-to"),
    pytest.param("ok", ["--date-from", "01/02/yesterday"],
                 ["date_from '01/02/yesterday' is not a date", "YYYY-MM-DD"], id="not-a-date"),
    pytest.param("bad-date", ["--strict"],
                 ["zz.txt, line 1: bad '## Date:' (line 3): impossible date", "drop --strict"], id="strict"),
    pytest.param("all-bad", [],
                 ["has no readable article: all 2 input(s) were rejected",
                  "first: x.txt, line 1: no '## Title:' header", "rejects.csv"], id="all-rejected"),
    pytest.param("glob", [], ["no files match", "Check the pattern"], id="glob-matches-nothing"),
])
def test_load_errors(tmp_path, capsys, setup, argv, pieces):
    corpus = tmp_path / "corpus"
    if setup == "empty":
        corpus.mkdir()
    elif setup == "only-md":
        corpus.mkdir()
        (corpus / "notes.md").write_text("## Title: not a .txt file\n")
    elif setup == "ok":
        make_corpus(corpus)
    elif setup == "bad-date":
        make_corpus(corpus)
        (corpus / "zz.txt").write_text("## Title: T\n## Section: World\n## Date: February 30, 2017\n\nBody\n")
    elif setup == "all-bad":
        corpus.mkdir()
        (corpus / "x.txt").write_text("plain prose, no headers\n")
        (corpus / "y.txt").write_bytes(b"")
    elif setup == "glob":
        corpus.mkdir()
        corpus = corpus / "*.txt"
    code, out, err = run(capsys, "load", corpus, "--out", tmp_path / "out", *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("newsdesk load: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for piece in pieces:
        assert piece.format(corpus=corpus) in err, (piece, err)
    if setup == "all-bad":  # nothing lost: every reason is written even though the load failed
        rej = pd.read_csv(tmp_path / "out" / "rejects.csv")
        assert list(rej["path"]) == ["x.txt", "y.txt"]
        assert rej["reason"].tolist() == ["no '## Title:' header: not a seed-format article", "empty file (0 bytes)"]
        assert len(pd.read_parquet(tmp_path / "out" / "articles.parquet")) == 0
    else:  # nothing written on a bad request
        assert not (tmp_path / "out").exists()


def test_unwritable_output_folder(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "c")
    blocker = tmp_path / "a-file"
    blocker.write_text("I am a file, not a folder")
    code, out, err = run(capsys, "load", corpus, "--out", blocker / "out")
    assert code == 2
    assert err.startswith(f"newsdesk load: error: cannot write to {blocker / 'out'}: ")
    assert "Choose a writable --out folder" in err


def test_missing_option_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["load", str(tmp_path)])
    assert exc.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_console_script_exit_code_and_message(tmp_path):
    exe = Path(sys.executable).with_name("newsdesk")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "newsdesk.cli"]
    env = dict(os.environ, NEWSDESK_CACHE=str(tmp_path / "cache"))
    missing = tmp_path / "no-such-folder"
    proc = subprocess.run([*cmd, "load", str(missing), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 2
    assert f"corpus path '{missing}' does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr
    corpus = make_corpus(tmp_path / "c")
    proc = subprocess.run([*cmd, "load", str(corpus), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "2 articles, 0 rejected"
    shutil.rmtree(tmp_path / "o")


def _linked(tmp_path: Path) -> Path:
    corpus = make_corpus(tmp_path / "c")
    outside = make_corpus(tmp_path / "elsewhere", items=(("secret", "World", "2017-05-20"),))
    (corpus / "out.txt").symlink_to(outside / "secret.txt")
    return corpus


def test_load_rejects_links_out_of_the_corpus_unless_told_to_follow_them(tmp_path, capsys):
    corpus = _linked(tmp_path)
    code, out, err = run(capsys, "load", corpus, "--out", tmp_path / "out")
    assert code == 0, err
    assert out.strip() == "2 articles, 1 rejected"
    rej = pd.read_csv(tmp_path / "out" / "rejects.csv")
    assert list(rej["path"]) == ["out.txt"] and rej["reason"].iloc[0].startswith("links outside the corpus")
    code, out, err = run(capsys, "load", corpus, "--out", tmp_path / "out", "--follow-external-links")
    assert code == 0, err
    assert sorted(pd.read_parquet(tmp_path / "out" / "articles.parquet")["title"]) == ["a", "b", "secret"]


@pytest.mark.parametrize("command", ["load", "annotate", "quotes", "report"])
def test_every_command_that_loads_takes_follow_external_links(command):
    from newsdesk.cli import build_parser

    extra = {"load": ["--out", "x"], "quotes": ["--out", "x.csv"]}.get(command, [])
    args = build_parser().parse_args([command, "corpus", *extra, "--follow-external-links"])
    assert args.follow_external_links is True
    assert build_parser().parse_args([command, "corpus", *extra]).follow_external_links is None


@pytest.mark.parametrize("command, out", [("load", "{c}"), ("load", "{c}/sub"), ("quotes", "{c}/q.csv"),
                                          ("quotes", "{c}/sub/q.jsonl")])
def test_outputs_are_never_written_into_the_corpus(tmp_path, capsys, command, out):
    corpus = make_corpus(tmp_path / "c")
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    code, _, err = run(capsys, command, corpus, "--out", out.format(c=corpus, tmp=tmp_path))
    assert code == 2 and "the corpus is never written to" in err and err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before


def test_load_output_beside_or_above_the_corpus_is_fine(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "c")
    code, _, err = run(capsys, "load", corpus, "--out", tmp_path)     # writes tmp/articles.parquet, not into c/
    assert code == 0, err
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt", "b.txt"]


# --------------------------------------------------------------------------- filesystem errors
def _no_load(*args, **kwargs):
    raise AssertionError("the corpus was read before the output was checked")


@pytest.mark.parametrize("command, where, fix", [
    ("load", "{file}/out", "Choose a writable --out folder"),
    ("load", "/proc/nd-no-such/out", "Choose a writable --out folder"),
    ("load", "{file}", "it is a file, not a folder"),
    ("quotes", "{file}/q.csv", "Choose a writable --out file"),
    ("quotes", "/proc/nd-q.csv", "Choose a writable --out file"),
    ("report", "{file}/reports", "Choose a writable --out folder"),
    ("report", "/proc/nd-reports", "Choose a writable --out folder"),
])
def test_an_unwritable_out_is_one_line_and_status_2_before_the_corpus_is_read(tmp_path, capsys, monkeypatch,
                                                                                command, where, fix):
    import newsdesk.corpus

    corpus = make_corpus(tmp_path / "c")
    blocker = tmp_path / "a-file"          # tests run as root: a path under a file is never writable
    blocker.write_text("I am a file, not a folder")
    out = where.format(file=blocker)
    monkeypatch.setattr(newsdesk.corpus, "load_corpus", _no_load)
    code, _, err = run(capsys, command, corpus, "--out", out)
    assert code == 2
    assert err.startswith(f"newsdesk {command}: error: cannot write to {out}") and fix in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("cache", ["{file}/cache", "/proc/nd-cache"])
def test_annotate_with_an_unwritable_cache_is_one_line_and_status_2_at_once(tmp_path, capsys, monkeypatch, cache):
    import newsdesk.corpus
    from newsdesk import config

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setattr(config, "CACHE_DIR", Path(cache.format(file=blocker)))
    monkeypatch.setattr(newsdesk.corpus, "load_corpus", _no_load)
    code, _, err = run(capsys, "annotate", make_corpus(tmp_path / "c"))
    assert code == 2
    assert err.startswith(f"newsdesk annotate: error: cannot write to {config.CACHE_DIR}")
    assert "NEWSDESK_CACHE" in err and err.count("\n") == 1


@pytest.mark.parametrize("in_cache, hint", [(True, "set NEWSDESK_CACHE to a writable folder"),
                                            (False, "Check that the folder exists and is writable")])
def test_a_filesystem_error_during_the_work_is_one_line_and_status_2(tmp_path, capsys, monkeypatch, in_cache, hint):
    import errno

    from newsdesk import config, store

    path = (config.CACHE_DIR / "store" / "quotes-x" / "part.parquet") if in_cache else tmp_path / "elsewhere"

    def fails(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(store, "annotate", fails)
    code, _, err = run(capsys, "annotate", make_corpus(tmp_path / "c"), "--kinds", "quotes")
    assert code == 2
    assert err.startswith(f"newsdesk annotate: error: Permission denied: {path}. ")
    assert hint in err and err.count("\n") == 1


# --------------------------------------------------------------------------- doctor and damaged caches
def _flip(path: Path, n: int = 16) -> None:
    """Overwrite ``n`` bytes in the middle of ``path`` in place (same size)."""
    with open(path, "r+b") as fh:
        fh.seek(path.stat().st_size // 2)
        old = fh.read(n)
        fh.seek(path.stat().st_size // 2)
        fh.write(bytes(b ^ 0xFF for b in old))


@pytest.fixture
def own_cache(tmp_path, monkeypatch) -> Path:
    from newsdesk import cache, config, storage

    c = tmp_path / "cache"
    monkeypatch.setattr(config, "CACHE_DIR", c)
    monkeypatch.setenv("NEWSDESK_CACHE", str(c))
    monkeypatch.setattr(cache, "_WARNED", [])
    cache._VERIFIED.clear()
    storage._VERIFIED.clear()
    storage.take_repairs()
    return c


def test_doctor_verifies_every_file_and_sets_aside_damaged_ones(tmp_path, capsys, own_cache):
    corpus = make_corpus(tmp_path / "c")
    assert run(capsys, "annotate", corpus, "--kinds", "quotes,sentences", "--no-progress")[0] == 0
    code, out, err = run(capsys, "doctor")
    assert code == 0 and "2 store part(s)" in out and ": 0 damaged" in out, out + err
    (part,) = own_cache.glob("store/quotes-*/part-*.parquet")
    (load,) = own_cache.glob("loads/*.arrow")
    _flip(part)
    _flip(load)
    code, out, err = run(capsys, "doctor", "--check")                  # report only
    assert code == 1 and f"damaged: {part}" in out and f"damaged: {load}" in out and part.exists()
    code, out, err = run(capsys, "doctor", corpus)                     # set aside and rebuild
    assert code == 1 and "rebuilt from the corpus" in out and "quotes: 2 articles" in out, out + err
    code, out, err = run(capsys, "doctor")
    assert code == 0 and ": 0 damaged" in out


def test_annotate_says_which_damaged_parts_it_recomputed(tmp_path, capsys, own_cache):
    corpus = make_corpus(tmp_path / "c")
    run(capsys, "annotate", corpus, "--kinds", "quotes", "--no-progress")
    (part,) = own_cache.glob("store/quotes-*/part-*.parquet")
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])    # truncated (issue 23)
    code, out, err = run(capsys, "annotate", corpus, "--kinds", "quotes", "--no-progress")
    assert code == 0
    assert "quotes: 2 computed, 0 from the store" in out and "1 damaged store file(s) set aside" in out
    assert str(part) in out
    code, out, err = run(capsys, "annotate", corpus, "--kinds", "quotes", "--no-progress")
    assert "quotes: 0 computed, 2 from the store" in out


def test_annotate_on_a_read_only_cache_is_one_error_before_any_work(tmp_path, capsys, own_cache, read_only):
    corpus = make_corpus(tmp_path / "c")
    own_cache.mkdir()
    read_only(own_cache)
    code, out, err = run(capsys, "annotate", corpus)
    assert code == 2
    assert err.startswith(f"newsdesk annotate: error: cannot write to {own_cache}: ")
    assert "NEWSDESK_CACHE" in err and "Traceback" not in err and out == ""


def _read_only_mount_works(tmp_path) -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    (tmp_path / "probe").mkdir()
    cmd = f"mount --bind {tmp_path / 'probe'} {tmp_path / 'probe'} && mount -o remount,bind,ro {tmp_path / 'probe'} " \
          f"&& ! touch {tmp_path / 'probe' / 'x'} 2>/dev/null"
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", cmd],
                          capture_output=True).returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("state", ["cold", "warm"])
def test_a_report_runs_on_a_read_only_cache_with_one_warning(tmp_path, own_cache, state):
    """NEWSDESK_CACHE on a read-only mount (a private mount namespace: root ignores permission
    bits, so chmod cannot make a folder read-only here). Warm: filled while writable first."""
    if not _read_only_mount_works(tmp_path):
        pytest.skip("needs root and unshare to make a read-only mount")
    corpus = make_corpus(tmp_path / "c", items=[(f"s{i}", "World" if i % 2 else "Sport", f"2017-05-{1 + i:02d}")
                                               for i in range(12)])
    own_cache.mkdir()
    exe = Path(sys.executable).with_name("newsdesk")
    if state == "warm":
        subprocess.run([str(exe), "annotate", str(corpus), "--no-progress"], check=True, capture_output=True,
                       env=dict(os.environ, NEWSDESK_CACHE=str(own_cache)), timeout=600)
    before = sorted(str(p) for p in own_cache.rglob("*") if not p.name.endswith(".lock"))
    out = tmp_path / "out"
    script = (f"mount --bind {own_cache} {own_cache} && mount -o remount,bind,ro {own_cache} && "
              f"exec {exe} report {corpus} --out {out}")
    proc = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], capture_output=True,
                          text=True, timeout=900, env=dict(os.environ, NEWSDESK_CACHE=str(own_cache)))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("the cache is read-only") == 1, proc.stderr
    assert "5 reports" in proc.stdout
    assert sorted(str(p) for p in own_cache.rglob("*") if not p.name.endswith(".lock")) == before


@pytest.mark.slow
def test_the_default_report_of_a_one_month_quote_free_corpus_of_12000_articles_succeeds_cold_and_warm(
        tmp_path, own_cache):
    """issue 22: 10,000+ articles without a quotation mark (guillemets, wire copy) wrote a quotes
    part without columns and failed 02-04 on every run; one month failed 05. 12,000 articles
    is more than config.STORE_FLUSH_ARTICLES, so a run writes several parts and merges them."""
    import random

    words = ("the council met on tuesday and agreed a new budget for roads schools and flood defences "
             "after months of talks").split()
    rng = random.Random(22)
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in range(12_000):
        body = " ".join(rng.choice(words) for _ in range(30)).capitalize() + f" {i}."
        (corpus / f"{i:05d}.txt").write_text(
            f"## Title: Council story {i}\n## Section: {'World' if i % 2 else 'Local'}\n"
            f"## Date: 2017-05-{1 + i % 28:02d}\n\nCouncil story {i}\n{body}\n", encoding="utf-8")
    exe = Path(sys.executable).with_name("newsdesk")
    env = dict(os.environ, NEWSDESK_CACHE=str(own_cache))
    for state in ("cold", "warm"):
        out = tmp_path / f"out-{state}"
        proc = subprocess.run([str(exe), "report", str(corpus), "--out", str(out)], capture_output=True, text=True,
                              env=env, timeout=1200)
        assert proc.returncode == 0, (state, proc.stderr[-3000:])
        assert "5 reports" in proc.stdout
        assert "12,000 articles" in (out / "05-keywords.html").read_text(encoding="utf-8")   # one month: the whole corpus
