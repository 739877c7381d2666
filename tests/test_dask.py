"""Scale-out: the same per-article chunks on a dask.distributed cluster write the same store.

Runs against a ``LocalCluster`` of 2 worker processes and compares with the local result row
for row, for a toy annotator (always) and for the real ``sentences``/``quotes`` annotators.
"""
from __future__ import annotations

import sys

import cloudpickle
import distributed
import pandas as pd
import pyarrow.parquet as pq
import pytest

from newsdesk import config, registry, storage, store

pytestmark = pytest.mark.slow

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
import test_store as toy  # noqa: E402  (the toy articles and annotator)

cloudpickle.register_pickle_by_value(toy)      # workers need not import the tests folder


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  worker_dashboard_address=None, silence_logs=40) as cluster, \
            distributed.Client(cluster, set_as_default=False) as c:
        yield c


@pytest.fixture(autouse=True)
def _registry(monkeypatch):
    registry._load_builtin_annotators()
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    registry.register("toy_sentences", toy.sentences, version="1")
    monkeypatch.setattr(config, "STORE_MIN_CHUNK", 9)
    monkeypatch.setattr(config, "STORE_MAX_CHUNK", 9)


def _parts(root, kind):
    d = storage.store_dir(kind, root=root)
    return pq.read_table(sorted(d.glob("part-*.parquet"))[0])


def test_dask_writes_the_same_store_as_local(client, tmp_path):
    arts = toy.make_articles(120, dup_every=13)
    local = store.get(arts, "toy_sentences", jobs=2, root=tmp_path / "local")
    counted = store.annotate(arts, ["toy_sentences"], scheduler=client, root=tmp_path / "dask")
    assert counted == {"toy_sentences": arts["content_hash"].nunique()}
    remote = store.get(arts, "toy_sentences", jobs=1, root=tmp_path / "dask")
    pd.testing.assert_frame_equal(local, remote)
    assert _parts(tmp_path / "local", "toy_sentences").equals(_parts(tmp_path / "dask", "toy_sentences"))


def test_dask_computes_only_what_is_missing(client, tmp_path):
    arts = toy.make_articles(60)
    store.annotate(arts.iloc[:50], ["toy_sentences"], jobs=1, root=tmp_path)
    assert store.annotate(arts, ["toy_sentences"], scheduler=client, root=tmp_path) == {"toy_sentences": 10}
    pd.testing.assert_frame_equal(store.get(arts, "toy_sentences", root=tmp_path),
                                  toy.sentences(arts), check_dtype=False)


def test_a_worker_error_reaches_the_client_and_finished_chunks_stay(client, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "STORE_FLUSH_ARTICLES", 1)
    arts = toy.make_articles(90)
    registry.register("toy_flaky", toy.flaky_after_60, version="1")
    with pytest.raises(RuntimeError, match="annotator crashed"):
        store.annotate(arts, ["toy_flaky"], scheduler=client, root=tmp_path)
    left = store.missing(arts, "toy_flaky", root=tmp_path)
    assert "a000063" in set(left["article_id"]) and len(left) < 90


@pytest.mark.parametrize("kind", ["sentences", "quotes"])
def test_real_annotators_on_dask_equal_local(client, tmp_path, sample_dir, kind):
    from newsdesk import load_corpus

    assert kind in registry.kinds()
    arts = load_corpus(sample_dir, progress=False).iloc[:150]
    local = store.get(arts, kind, jobs=2, root=tmp_path / "local")
    store.annotate(arts, [kind], scheduler=client, root=tmp_path / "dask")
    remote = store.get(arts, kind, jobs=1, root=tmp_path / "dask")
    assert len(local) > 0
    pd.testing.assert_frame_equal(local, remote)


def test_cli_annotate_with_a_scheduler(client, tmp_path, monkeypatch, capsys):
    from newsdesk.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(12):
        (corpus / f"a{i:02d}.txt").write_text(
            f"## Title: Story {i}\n## Date: 2017-05-{i + 1:02d}\n\nStory {i}\nThe minister said talks {i} "
            f"would resume. \"We are ready,\" she said.\n", encoding="utf-8")
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    assert main(["annotate", str(corpus), "--kinds", "toy_sentences",
                 "--scheduler", client.scheduler.address, "--no-progress"]) == 0
    assert "toy_sentences: 12 computed" in capsys.readouterr().out
    assert main(["annotate", str(corpus), "--kinds", "toy_sentences", "--jobs", "1", "--no-progress"]) == 0
    assert "toy_sentences: 0 computed, 12 from the store" in capsys.readouterr().out
