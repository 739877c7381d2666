"""The store on disk: compaction keeps every row once, the summary and Parquet glob describe it,
and verify finds and sets aside every damaged part. (Reading, computing, damage met while reading
and read-only caches are tested through ``store.get`` in test_store.py, whose toy articles and
annotators these tests share.)"""
from __future__ import annotations

import pandas as pd

import test_store as toy  # the toy articles and annotators
from newsdesk import config, storage, store
from test_store import _toy, root  # noqa: F401  (fixtures: the toy registry, a cache folder)

make_articles, sentences = toy.make_articles, toy.sentences


def test_a_runs_parts_are_merged_and_compaction_keeps_every_row_once(root, monkeypatch):
    monkeypatch.setattr(config, "STORE_FLUSH_ARTICLES", 1)
    monkeypatch.setattr(config, "STORE_MIN_CHUNK", 10)
    monkeypatch.setattr(config, "STORE_MAX_CHUNK", 10)
    arts = make_articles(100)
    store.annotate(arts, ["toy_sentences"], jobs=1, root=root)
    d = storage.store_dir("toy_sentences", root=root)
    assert len(list(d.glob("done-*"))) == 1 and len(list(d.glob("part-*"))) == 1
    for i in range(5):                              # five small incremental runs
        store.annotate(make_articles(100 + 2 * (i + 1)), ["toy_sentences"], jobs=1, root=root,
                       compact_after=False)
    assert len(list(d.glob("done-*"))) == 6
    assert storage.compact("toy_sentences", root=root, max_parts=4) > 0
    assert len(list(d.glob("done-*"))) <= 4
    storage.compact("toy_sentences", root=root)
    assert len(list(d.glob("done-*"))) == 1
    all_arts = make_articles(110)
    pd.testing.assert_frame_equal(store.get(all_arts, "toy_sentences", jobs=1, root=root),
                                  sentences(all_arts), check_dtype=False)


def test_summary_and_parquet_glob_describe_the_store(root):
    import duckdb

    arts = make_articles(10)
    rows = store.get(arts, "toy_sentences", jobs=1, root=root)
    s = storage.summary(root=root)
    row = s[s["kind"] == "toy_sentences"].iloc[0]
    assert (row["articles"], row["rows"], bool(row["current"])) == (10, len(rows), True)
    glob = storage.parquet_glob("toy_sentences", root=root)
    n = duckdb.sql(f"SELECT count(*) FROM '{glob}'").fetchall()[0][0]
    assert n == len(rows)


def test_verify_finds_and_sets_aside_every_damaged_part(root):
    arts = make_articles(30)
    store.get(arts, "toy_sentences", jobs=1, root=root)
    store.get(arts, "toy_lengths", jobs=1, root=root)
    assert storage.verify(root=root) == (2, [])
    (f,) = storage.store_dir("toy_lengths", root=root).glob("part-*.parquet")
    toy._damage(f, "middle")
    n, problems = storage.verify(root=root, repair=False)
    assert n == 2 and [(p, fixed) for p, _, fixed in problems] == [(str(f), False)] and f.exists()
    n, problems = storage.verify(root=root)
    assert [(p, fixed) for p, _, fixed in problems] == [(str(f), True)] and not f.exists()
    assert storage.verify(root=root) == (1, [])
