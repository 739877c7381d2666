"""Discovery: input forms, symlinks (loops, links outside the corpus), hidden files, the sorted file list."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpuskit import article, write
from newsdesk.corpus import load_corpus, rejects
from newsdesk.discover import discover


# --------------------------------------------------------------------------- input forms
def test_single_file_and_glob_inputs(tmp_path):
    write(tmp_path, "2017/a.txt", article("A"))
    write(tmp_path, "2017/b.txt", article("B"))
    write(tmp_path, "2018/c.txt", article("C"))
    write(tmp_path, "2018/notes.md", "not an article")
    everything = load_corpus(tmp_path, cache=False)
    assert sorted(everything["path"]) == ["2017/a.txt", "2017/b.txt", "2018/c.txt"]
    one = load_corpus(tmp_path / "2017" / "b.txt", cache=False)
    assert list(one["title"]) == ["B"]
    globbed = load_corpus(str(tmp_path / "2017" / "*.txt"), cache=False)
    assert sorted(globbed["title"]) == ["A", "B"]
    recursive = load_corpus(str(tmp_path / "**" / "c.txt"), cache=False)
    assert list(recursive["title"]) == ["C"]


def test_directory_named_like_a_file(tmp_path):
    write(tmp_path, "x.txt/inner.txt", article("Inside"))
    (tmp_path / "y.txt").mkdir()
    a = load_corpus(tmp_path / "x.txt", cache=False)  # passed directly: it is a folder, walked
    assert list(a["path"]) == ["inner.txt"]
    a = load_corpus(tmp_path, cache=False)
    assert list(a["path"]) == ["x.txt/inner.txt"] and rejects(a).empty
    write(tmp_path, "z.txt", article("Z"))
    a = load_corpus(str(tmp_path / "*.txt"), cache=False)  # a glob matching folders says so
    assert list(a["path"]) == ["z.txt"]
    assert dict(zip(rejects(a)["path"], rejects(a)["reason"])) == {
        "x.txt": "a directory, not a file (matched by the glob)",
        "y.txt": "a directory, not a file (matched by the glob)"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_named_pipe_is_rejected_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would block forever
    write(tmp_path, "good.txt", article())
    a = load_corpus(tmp_path, cache=False)
    assert rejects(a).iloc[0]["reason"] == "a named pipe (FIFO), not a regular file: not read"


# --------------------------------------------------------------------------- symlinks
def test_symlinks(tmp_path):
    write(tmp_path, "real/a.txt", article("A"))
    (tmp_path / "self.txt").symlink_to("self.txt")
    (tmp_path / "ping.txt").symlink_to("pong.txt")
    (tmp_path / "pong.txt").symlink_to("ping.txt")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    (tmp_path / "alias.txt").symlink_to("real/a.txt")
    (tmp_path / "real" / "up").symlink_to("..")
    (tmp_path / "zz-link").symlink_to("real")
    write(tmp_path, "other/b.txt", article("B"))
    (tmp_path / "linked").symlink_to("other")  # walked before 'other': the link is the one read
    a = load_corpus(tmp_path, cache=False)
    assert sorted(a["path"]) == ["alias.txt", "linked/b.txt", "real/a.txt"]
    reasons = dict(zip(rejects(a)["path"], rejects(a)["reason"]))
    assert reasons.keys() == {"self.txt", "ping.txt", "pong.txt", "gone.txt", "real/up", "zz-link", "other"}
    assert reasons["zz-link"] == "symlinked directory already read as real; not read twice"
    assert reasons["other"] == "directory already read through the symlink linked; not read twice"
    for p in ("self.txt", "ping.txt", "pong.txt"):
        assert reasons[p] == "symlink loop: the link points (via other links) back to itself"
    assert reasons["real/up"] == "symlink loop: links back to the corpus folder itself; not walked again"
    assert reasons["gone.txt"] == "broken symlink (points to 'nowhere.txt', which does not exist)"
    by_path = a.set_index("path")
    assert by_path.loc["real/a.txt", "duplicate_of"] == by_path.loc["alias.txt", "article_id"]


def _linked_corpus(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus with every kind of link, and a folder outside it holding a 'secret'."""
    outside = tmp_path / "elsewhere"
    write(outside, "secret.txt", article("Secret outside"))
    corpus = tmp_path / "corpus"
    write(corpus, "own/a.txt", article("Own article"))
    (corpus / "file-out.txt").symlink_to(outside / "secret.txt")        # a file outside
    (corpus / "dir-out").symlink_to(outside)                            # a folder outside
    (corpus / "root").symlink_to("/")                                   # ln -s / root
    (corpus / "relative-out.txt").symlink_to("../elsewhere/secret.txt")  # relative, still outside
    (corpus / "inside.txt").symlink_to("own/a.txt")                     # inside -> inside: allowed
    (corpus / "inside-dir").symlink_to("own")                           # (read once: own/ is walked later)
    (corpus / "loop.txt").symlink_to("loop.txt")
    (corpus / "broken.txt").symlink_to("../nowhere.txt")
    return corpus, outside


EXTERNAL = "links outside the corpus"


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_symlinks_out_of_the_corpus_are_rejects_by_default(tmp_path, cold):
    corpus, outside = _linked_corpus(tmp_path)
    if not cold:
        load_corpus(corpus)                  # fill the cache: the second load is a warm one
    a = load_corpus(corpus, cache=not cold)
    assert sorted(a["path"]) == ["inside-dir/a.txt", "inside.txt"]
    assert "Secret outside" not in set(a["title"])
    reasons = dict(zip(rejects(a)["path"], rejects(a)["reason"]))
    for p in ("file-out.txt", "dir-out", "root", "relative-out.txt"):
        assert reasons[p].startswith(EXTERNAL), (p, reasons[p])
    assert reasons["loop.txt"] == "symlink loop: the link points (via other links) back to itself"
    assert reasons["broken.txt"].startswith("broken symlink (points to '../nowhere.txt'")
    assert reasons["own"] == "directory already read through the symlink inside-dir; not read twice"
    assert len(reasons) == 7                 # `root` is one reject, not the machine's files
    assert not any(p.startswith(("root/", "dir-out/")) for p in reasons)


def test_following_external_links_is_an_explicit_option(tmp_path):
    corpus, outside = _linked_corpus(tmp_path)
    (corpus / "root").unlink()               # following / would read the machine
    a = load_corpus(corpus, follow_external_links=True)
    assert sorted(a["path"]) == ["dir-out/secret.txt", "file-out.txt", "inside-dir/a.txt", "inside.txt",
                                 "relative-out.txt"]
    assert not any(rejects(a)["reason"].str.startswith(EXTERNAL))
    # the same cache, option off again: the links are rejects, never served from the cache
    b = load_corpus(corpus)
    assert sorted(b["path"]) == ["inside-dir/a.txt", "inside.txt"]
    assert load_corpus(corpus, follow_external_links=True)["path"].tolist() == a["path"].tolist()


def test_following_external_links_from_the_environment(tmp_path, monkeypatch):
    corpus, outside = _linked_corpus(tmp_path)
    (corpus / "root").unlink()
    monkeypatch.setenv("NEWSDESK_FOLLOW_EXTERNAL_LINKS", "1")
    assert "file-out.txt" in set(load_corpus(corpus)["path"])
    assert "file-out.txt" not in set(load_corpus(corpus, follow_external_links=False)["path"])


def test_a_corpus_reached_through_a_link_is_not_outside_itself(tmp_path):
    corpus, outside = _linked_corpus(tmp_path)
    via = tmp_path / "via"
    via.symlink_to(corpus)                    # the corpus folder named through a link
    a = load_corpus(via)
    assert sorted(a["path"]) == ["inside-dir/a.txt", "inside.txt"]


def test_glob_matches_that_link_outside_are_rejects(tmp_path):
    corpus, outside = _linked_corpus(tmp_path)
    a = load_corpus(str(corpus / "*.txt"))
    assert sorted(a["path"]) == ["inside.txt"]
    reasons = dict(zip(rejects(a)["path"], rejects(a)["reason"]))
    assert reasons["file-out.txt"].startswith(EXTERNAL) and reasons["relative-out.txt"].startswith(EXTERNAL)
    assert reasons["loop.txt"].startswith("symlink loop") and reasons["broken.txt"].startswith("broken symlink")
    b = load_corpus(str(corpus / "dir-out" / "*.txt"))          # the glob's own folder: named, so read
    assert list(b["path"]) == ["secret.txt"]
    c = load_corpus(str(corpus / "*" / "*.txt"))                 # through a folder link: rejected once
    reasons = dict(zip(rejects(c)["path"], rejects(c)["reason"]))
    assert sorted(c["path"]) == ["inside-dir/a.txt", "own/a.txt"]
    assert reasons["dir-out"].startswith(EXTERNAL)
    assert load_corpus(str(corpus / "*.txt"), follow_external_links=True)["path"].tolist() == [
        "file-out.txt", "inside.txt", "relative-out.txt"]


def test_a_file_named_as_the_corpus_is_read_wherever_it_points(tmp_path):
    corpus, outside = _linked_corpus(tmp_path)
    assert list(load_corpus(corpus / "file-out.txt")["title"]) == ["Secret outside"]


def test_undecodable_file_name_is_shown_escaped(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text(article())
    a = load_corpus(tmp_path)  # through the cache too: Parquet needs valid UTF-8
    assert list(a["path"]) == ["caf\\xe9.txt"]


def test_hidden_folders_and_files_are_listed_not_read(tmp_path):
    write(tmp_path, "a.txt", article("A"))
    write(tmp_path, ".ipynb_checkpoints/a-checkpoint.txt", article("A"))  # JupyterLab's copy
    write(tmp_path, "2017/._b.txt", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")  # macOS metadata
    write(tmp_path, ".git/notes.txt", "version control, never an article")
    a = load_corpus(tmp_path, cache=False)
    assert list(a["path"]) == ["a.txt"]
    reasons = dict(zip(rejects(a)["path"], rejects(a)["reason"]))
    assert reasons.keys() == {".ipynb_checkpoints", "2017/._b.txt"}  # .git: skipped silently
    assert reasons[".ipynb_checkpoints"].startswith("hidden folder not read")
    assert reasons["2017/._b.txt"].startswith("hidden file not read")
    assert list(load_corpus(tmp_path / ".ipynb_checkpoints", cache=False)["title"]) == ["A"]  # when asked for


# --------------------------------------------------------------------------- the file list
def _tree(tmp_path, names):
    for n in names:
        p = tmp_path / n
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("## Title: T\n## Date: 2017-05-12\n\nT\nText.\n", encoding="utf-8")
    return tmp_path


def test_discovered_files_are_sorted_by_path_with_their_stat(tmp_path):
    root = _tree(tmp_path, ["a/x.txt", "a-b/y.txt", "b.txt", "a/c/z.txt"])
    got_root, files, rejects = discover(root)
    assert got_root == str(root) and rejects == []
    assert files.relpaths == sorted(["a/x.txt", "a-b/y.txt", "b.txt", "a/c/z.txt"])   # "a-b/" < "a/"
    for i, rel in enumerate(files.relpaths):
        st = os.stat(root / rel)
        assert (files[i].abspath, int(files.sizes[i]), int(files.mtimes[i])) == \
            (str(root / rel), st.st_size, st.st_mtime_ns)


def test_source_files_keep_the_name_on_disk_of_a_non_utf8_name(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")
    try:
        (tmp_path / name).write_text("## Title: T\n## Date: 2017-05-12\n\nT\nText.\n", encoding="utf-8")
    except (UnicodeEncodeError, OSError):
        pytest.skip("the file system refuses non-UTF-8 names")
    _tree(tmp_path, ["b.txt"])
    _, files, _ = discover(tmp_path)
    assert files.relpaths == ["b.txt", "caf\\xe9.txt"]
    assert files[1].abspath == os.path.join(str(tmp_path), name)
    assert files[1:][0].abspath == os.path.join(str(tmp_path), name)     # kept through a selection
    assert os.path.exists(files.items()[1][0])
