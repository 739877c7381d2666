"""The annotation store: keyed by content hash + annotator version, computes only what is
missing, survives interruption, gives the same rows on one core and on several."""
from __future__ import annotations

import hashlib
import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from newsdesk import config, registry, storage, store

WORDS = "the minister said that talks on trade and security would resume next week in Geneva".split()


def make_articles(n: int, *, start: int = 0, dup_every: int = 0) -> pd.DataFrame:
    """A small articles frame with the loader's key columns; ``dup_every`` repeats a body."""
    rows = []
    for i in range(start, start + n):
        src = i - 1 if dup_every and i % dup_every == 0 and i > start else i
        k = 3 + src % 5
        body = ". ".join(" ".join(WORDS[(src + j) % len(WORDS): (src + j) % len(WORDS) + 4]) + f" {src}"
                         for j in range(k)) + "."
        title = f"Story {src}"
        date = f"2017-05-{1 + src % 28:02d}"
        h = hashlib.sha1(f"{title}\x1f{date}\x1f{body}".encode()).hexdigest()
        rows.append({"article_id": f"a{i:06d}", "title": title, "date": pd.Timestamp(date), "body": body,
                     "text_offset": 0, "text_length": len(body), "content_hash": h})
    df = pd.DataFrame(rows)
    for c in ("article_id", "title", "body", "content_hash"):
        df[c] = df[c].astype("str")
    return df


CALLS: list[str] = []


def sentences(articles: pd.DataFrame) -> pd.DataFrame:
    """Toy annotator: one row per '.'-separated sentence, with a score (several rows per article)."""
    CALLS.extend(articles["article_id"])
    rows = []
    for aid, body in zip(articles["article_id"], articles["body"]):
        for i, s in enumerate(x.strip() for x in body.split(".") if x.strip()):
            rows.append({"article_id": aid, "sentence": i, "text": s, "score": len(s) / 10.0})
    return pd.DataFrame(rows, columns=["article_id", "sentence", "text", "score"])


def flaky_after_60(articles: pd.DataFrame) -> pd.DataFrame:
    """Fails on the chunk holding article a000063 (for interruption tests)."""
    if "a000063" in set(articles["article_id"]):
        raise RuntimeError("annotator crashed")
    return sentences(articles)


def lengths(articles: pd.DataFrame) -> pd.DataFrame:
    CALLS.extend(articles["article_id"])
    return pd.DataFrame({"article_id": articles["article_id"], "chars": articles["body"].str.len()})


@pytest.fixture(autouse=True)
def _toy(monkeypatch):
    CALLS.clear()
    registry._load_builtin_annotators()          # real annotators register in the real registry
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    registry.register("toy_sentences", sentences, version="1")
    registry.register("toy_lengths", lengths, version="1")
    monkeypatch.setattr(config, "STORE_MIN_PARALLEL", 10)
    storage.take_repairs()
    yield


@pytest.fixture
def root(tmp_path) -> Path:
    return tmp_path / "cache"


def test_get_returns_rows_keyed_by_article_id_in_article_order(root):
    arts = make_articles(40)
    got = store.get(arts, "toy_sentences", jobs=1, root=root)
    expected = sentences(arts)
    assert list(got.columns) == ["article_id", "sentence", "text", "score"]
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert got["article_id"].dtype == "str"


def test_get_table_is_get_as_arrow(root):
    import pyarrow as pa

    arts = make_articles(30)
    t = store.get_table(arts, "toy_sentences", jobs=1, root=root)
    assert isinstance(t, pa.Table)
    pd.testing.assert_frame_equal(t.to_pandas(), store.get(arts, "toy_sentences", jobs=1, root=root))
    sub = arts.iloc[[5, 2]]
    assert store.get_table(sub, "toy_sentences", jobs=1, root=root, columns=["score"]).column_names \
        == ["article_id", "score"]
    empty = store.get_table(arts.iloc[:0], "toy_sentences", jobs=1, root=root)
    assert empty.num_rows == 0 and empty.column_names == ["article_id", "sentence", "text", "score"]


def test_warm_get_reads_the_store_without_computing(root):
    arts = make_articles(50)
    cold = store.get(arts, "toy_sentences", jobs=1, root=root)
    CALLS.clear()
    warm = store.get(arts, "toy_sentences", jobs=1, root=root)
    assert CALLS == []
    pd.testing.assert_frame_equal(cold, warm)


def test_cache_false_computes_the_same_rows_and_stores_nothing(root):
    arts = make_articles(30)
    fresh = store.get(arts, "toy_sentences", jobs=1, cache=False, root=root)
    assert not (root / "store").exists()
    stored = store.get(arts, "toy_sentences", jobs=1, root=root)
    pd.testing.assert_frame_equal(fresh, stored)


def test_adding_one_percent_of_articles_computes_only_those(root):
    old = make_articles(300)
    store.annotate(old, ["toy_sentences"], jobs=1, root=root)
    CALLS.clear()
    new = make_articles(3, start=300)
    both = pd.concat([old, new], ignore_index=True)
    computed = store.annotate(both, ["toy_sentences"], jobs=1, root=root)
    assert computed == {"toy_sentences": 3}
    assert sorted(CALLS) == sorted(new["article_id"])
    pd.testing.assert_frame_equal(store.get(both, "toy_sentences", jobs=1, root=root),
                                  sentences(both), check_dtype=False)


def test_subset_and_reordered_articles_get_their_own_rows(root):
    arts = make_articles(60)
    store.annotate(arts, ["toy_sentences"], jobs=1, root=root)
    sub = arts.iloc[[50, 3, 17]].reset_index(drop=True)
    got = store.get(sub, "toy_sentences", jobs=1, root=root)
    assert list(dict.fromkeys(got["article_id"])) == list(sub["article_id"])
    pd.testing.assert_frame_equal(got, sentences(sub), check_dtype=False)


def test_duplicate_articles_are_annotated_once_and_each_gets_the_rows(root):
    arts = make_articles(20, dup_every=5)        # a000005 repeats a000004, and so on
    assert arts["content_hash"].duplicated().sum() == 3
    got = store.get(arts, "toy_sentences", jobs=1, root=root)
    assert len(CALLS) == 17
    assert set(got["article_id"]) == set(arts["article_id"])
    a, b = (got[got["article_id"] == i].drop(columns="article_id").reset_index(drop=True)
            for i in ("a000004", "a000005"))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(got, sentences(arts), check_dtype=False)


def test_columns_reads_only_the_asked_columns(root):
    arts = make_articles(10)
    got = store.get(arts, "toy_sentences", jobs=1, columns=["score"], root=root)
    assert list(got.columns) == ["article_id", "score"]
    with pytest.raises(KeyError, match="nope"):
        store.get(arts, "toy_sentences", jobs=1, columns=["nope"], root=root)


def test_articles_with_no_rows_are_still_marked_done(root):
    def nothing(a):
        CALLS.extend(a["article_id"])
        return pd.DataFrame({"article_id": pd.Series([], dtype="str"), "x": pd.Series([], dtype="int64")})

    registry.register("toy_empty", nothing, version="1")
    arts = make_articles(8)
    assert len(store.get(arts, "toy_empty", jobs=1, root=root)) == 0
    CALLS.clear()
    assert len(store.get(arts, "toy_empty", jobs=1, root=root)) == 0
    assert CALLS == []


def test_a_new_version_recomputes_its_kind_only(root):
    arts = make_articles(25)
    store.annotate(arts, ["toy_sentences", "toy_lengths"], jobs=1, root=root)
    CALLS.clear()
    registry.register("toy_sentences", sentences, version="2")
    assert store.annotate(arts, ["toy_sentences", "toy_lengths"], jobs=1, root=root) == {
        "toy_sentences": 25, "toy_lengths": 0}
    assert len(CALLS) == 25
    removed = storage.prune(root=root)
    assert [d.name for d in removed] == ["toy_sentences-1"]


ANNOTATOR_SRC = '''
import pandas as pd
from newsdesk import registry
FACTOR = {factor}

def annotate(articles):
    return pd.DataFrame({{"article_id": articles["article_id"], "v": articles["body"].str.len() * FACTOR}})

registry.register("toy_module", annotate, version=registry.code_version(annotate))
'''


def test_editing_an_annotators_code_invalidates_exactly_its_results(root, tmp_path, monkeypatch):
    mod_dir = tmp_path / "mods"
    mod_dir.mkdir()
    (mod_dir / "toy_annotator_mod.py").write_text(ANNOTATOR_SRC.format(factor=1))
    monkeypatch.syspath_prepend(str(mod_dir))
    mod = importlib.import_module("toy_annotator_mod")
    arts = make_articles(12)
    v1 = registry.annotator("toy_module").version
    first = store.get(arts, "toy_module", jobs=1, root=root)
    store.annotate(arts, ["toy_lengths"], jobs=1, root=root)
    (mod_dir / "toy_annotator_mod.py").write_text(ANNOTATOR_SRC.format(factor=2))
    importlib.invalidate_caches()
    importlib.reload(mod)
    assert registry.annotator("toy_module").version != v1
    second = store.get(arts, "toy_module", jobs=1, root=root)
    assert (second["v"] == 2 * first["v"]).all()
    CALLS.clear()
    assert store.annotate(arts, ["toy_lengths"], jobs=1, root=root) == {"toy_lengths": 0}
    sys.modules.pop("toy_annotator_mod", None)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_after_some_chunks_keeps_what_finished(root, monkeypatch, jobs):
    monkeypatch.setattr(config, "STORE_FLUSH_ARTICLES", 1)        # save every chunk
    monkeypatch.setattr(config, "STORE_MIN_CHUNK", 10)
    monkeypatch.setattr(config, "STORE_MAX_CHUNK", 10)
    arts = make_articles(100)
    poison = "a000075"

    def flaky(a):
        if poison in set(a["article_id"]):
            raise RuntimeError("annotator crashed")
        return sentences(a)

    registry.register("toy_flaky", flaky, version="1")
    with pytest.raises(RuntimeError, match="annotator crashed"):
        store.annotate(arts, ["toy_flaky"], jobs=jobs, root=root)
    left = store.missing(arts, "toy_flaky", root=root)
    # chunks before the failing one finished and were kept; the failing chunk was not
    assert poison in set(left["article_id"])
    assert 0 < len(left) <= 30 if jobs == 1 else len(left) < 100
    assert set(arts["article_id"][:70]).isdisjoint(left["article_id"]) if jobs == 1 else True
    registry.register("toy_flaky", sentences, version="1")          # fixed, same version
    CALLS.clear()
    assert store.annotate(arts, ["toy_flaky"], jobs=jobs, root=root) == {"toy_flaky": len(left)}
    if jobs == 1:
        assert sorted(CALLS) == sorted(left["article_id"])
    got = store.get(arts, "toy_flaky", jobs=jobs, root=root)
    pd.testing.assert_frame_equal(got, sentences(arts), check_dtype=False)


KILL_SCRIPT = '''
import sys, time
import pandas as pd
from newsdesk import config, registry, store
sys.path.insert(0, {tests!r})
from test_store import make_articles, sentences

def slow(a):
    time.sleep(0.15)
    return sentences(a)

config.STORE_FLUSH_ARTICLES = 1
config.STORE_MIN_CHUNK = config.STORE_MAX_CHUNK = 5
registry.register("toy_slow", slow, version="1")
store.annotate(make_articles(200), ["toy_slow"], jobs=1, root={root!r}, compact_after=False)
print("finished")
'''


def test_a_killed_run_leaves_a_readable_store_and_resumes(root, tmp_path):
    script = tmp_path / "run.py"
    script.write_text(KILL_SCRIPT.format(tests=str(Path(__file__).parent), root=str(root)))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    d = root / "store" / "toy_slow-1"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(d.glob("done-*"))) < 3:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert b"finished" not in proc.stdout.read()
    # leave a half-written temporary file and a part without its marker, as a crash could
    (d / ".part-x.parquet.tmp").write_bytes(b"PAR1 half")
    (d / "part-99999999999999999999-deadbeef.parquet").write_bytes(b"PAR1 garbage")
    registry.register("toy_slow", sentences, version="1")
    arts = make_articles(200)
    left = store.missing(arts, "toy_slow", root=root)
    assert 0 < len(left) < 200
    CALLS.clear()
    got = store.get(arts, "toy_slow", jobs=1, root=root)
    assert sorted(CALLS) == sorted(left["article_id"])       # finished work was not redone
    pd.testing.assert_frame_equal(got, sentences(arts), check_dtype=False)


def test_a_corrupted_part_is_recomputed(root, caplog):
    arts = make_articles(30)
    store.annotate(arts.iloc[:15], ["toy_sentences"], jobs=1, root=root)
    store.annotate(arts, ["toy_sentences"], jobs=1, root=root, compact_after=False)
    d = storage.store_dir("toy_sentences", root=root)
    done = sorted(d.glob("done-*.parquet"))
    assert len(done) == 2
    done[0].write_bytes(b"not parquet")
    CALLS.clear()
    got = store.get(arts, "toy_sentences", jobs=1, root=root)
    assert sorted(CALLS) == sorted(arts["article_id"][:15])
    assert "unreadable" in caplog.text
    pd.testing.assert_frame_equal(got, sentences(arts), check_dtype=False)


def test_parallel_gives_the_same_rows_and_files_as_serial(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "STORE_MIN_CHUNK", 7)
    monkeypatch.setattr(config, "STORE_MAX_CHUNK", 7)
    arts = make_articles(300, dup_every=11)
    one = store.get(arts, "toy_sentences", jobs=1, root=tmp_path / "one")
    two = store.get(arts, "toy_sentences", jobs=2, root=tmp_path / "two")
    pd.testing.assert_frame_equal(one, two)
    tables = [pq.read_table(next(storage.store_dir("toy_sentences", root=tmp_path / r).glob("part-*")))
              for r in ("one", "two")]
    assert tables[0].equals(tables[1])


def test_rows_covered_twice_are_read_once(root):
    """Two runs at once may both store an article: its rows must not be doubled."""
    arts = make_articles(20)
    store.annotate(arts.iloc[:12], ["toy_sentences"], jobs=1, root=root)
    d = storage.store_dir("toy_sentences", root=root)
    # a second process that started before the first finished stores 8..20 again
    other = root.parent / "other"
    store.annotate(arts.iloc[8:], ["toy_sentences"], jobs=1, root=other)
    for f in sorted(storage.store_dir("toy_sentences", root=other).iterdir()):
        if f.suffix == ".parquet":
            f.rename(d / f.name)
    got = store.get(arts, "toy_sentences", jobs=1, root=root)
    pd.testing.assert_frame_equal(got, sentences(arts), check_dtype=False)
    storage.compact("toy_sentences", root=root)
    assert sum(pq.read_metadata(p).num_rows for p in d.glob("part-*")) == len(sentences(arts))


@pytest.mark.parametrize("bad, message", [
    (lambda a: pd.DataFrame({"x": [1]}), "without an 'article_id'"),
    (lambda a: pd.DataFrame({"article_id": ["zzz"], "x": [1]}), "was not given"),
    (lambda a: [1, 2], "not a DataFrame"),
])
def test_an_annotator_breaking_the_contract_gets_a_clear_error(root, bad, message):
    registry.register("toy_bad", bad, version="1")
    with pytest.raises(storage.StoreError, match=message):
        store.get(make_articles(3), "toy_bad", jobs=1, root=root)
    assert store.missing(make_articles(3), "toy_bad", root=root).shape[0] == 3


def test_unknown_kind_and_bad_articles_are_clear_errors(root):
    with pytest.raises(KeyError, match="no annotator for 'nope'"):
        store.get(make_articles(2), "nope", root=root)
    with pytest.raises(ValueError, match="content_hash"):
        store.get(pd.DataFrame({"article_id": ["a"]}), "toy_lengths", root=root)


def test_empty_articles_give_an_empty_frame(root):
    got = store.get(make_articles(1).iloc[:0], "toy_lengths", root=root)
    assert len(got) == 0 and "article_id" in got.columns


def test_articles_key_follows_ids_content_and_spans():
    arts = pd.DataFrame({"article_id": ["a", "b"], "content_hash": ["h1", "h2"],
                         "text_offset": [0, 3], "text_length": [5, 7], "body": ["x", "y"]})
    k = store.articles_key(arts)
    assert k == store.articles_key(arts.copy()) == store.articles_key(arts.drop(columns="body"))
    assert store.articles_key(arts.assign(content_hash=["h1", "h3"])) != k
    assert store.articles_key(arts.assign(text_length=[5, 8])) != k
    assert store.articles_key(arts.iloc[::-1]) != k
    assert store.articles_key(arts.head(1)) != k
    assert store.articles_key(arts.drop(columns="content_hash")) is None


@pytest.mark.parametrize("take", [[0, 1, 2, 2, 3, 9], [5, 6, 7], [3, 1, 2], list(range(10)), [], [9, 9, 9],
                                  list(range(9, -1, -1))])
def test_take_by_slices_equals_arrow_take(take):
    import numpy as np
    import pyarrow as pa

    t = pa.table({"a": list(range(10)), "words": [[str(i)] * i for i in range(10)]})
    got = store._take(t, np.array(take, dtype=np.int64))
    assert got.equals(t.take(pa.array(take, pa.int64())))


# --------------------------------------------------------------------------- empty is a shape
@pytest.mark.parametrize("kind", ["sentences", "quotes", "keyword_counts"])
def test_every_kind_keeps_its_columns_with_no_rows(root, kind):
    ann = registry.annotator(kind)
    declared = ["article_id"] + [c for c in ann.columns if c != "article_id"]
    for cache in (True, False):
        got = store.get_table(make_articles(3).iloc[:0], kind, jobs=1, cache=cache, root=root)
        assert got.num_rows == 0 and got.column_names == declared, cache


@pytest.mark.parametrize("n, flush", [(1, None), (3000, None), (12_000, None), (300, 50)],
                         ids=["1", "3000", "12000", "300-in-6-parts"])
def test_a_quote_free_corpus_stores_and_serves_every_quotes_column(root, monkeypatch, n, flush):
    """No quotation marks at all (guillemets, wire copy): 0 rows, but every column, cold and warm.
    At 10,000+ articles (more than config.STORE_FLUSH_ARTICLES) a run writes several parts and
    merges them: that merge used to keep only content_hash, and the bad part was served forever."""
    from newsdesk import quotes

    if flush:
        monkeypatch.setattr(config, "STORE_FLUSH_ARTICLES", flush)
        monkeypatch.setattr(config, "STORE_MAX_CHUNK", 25)
    arts = make_articles(n)                   # bodies without quotation marks
    cold = store.get(arts, "quotes", root=root)
    warm = store.get(arts, "quotes", root=root)
    for got in (cold, warm):
        assert len(got) == 0 and list(got.columns) == quotes.COLUMNS
    d = storage.store_dir("quotes", root=root)
    parts = list(d.glob("part-*.parquet"))
    assert len(parts) == 1                    # the run's parts were merged into one
    assert pq.read_schema(parts[0]).names == ["content_hash"] + quotes.COLUMNS[1:]
    assert store.missing(arts, "quotes", root=root).empty


def test_a_part_lacking_its_kinds_columns_is_stale_and_recomputed(root, caplog):
    """What main wrote for quote-free corpora of 10,000+ articles: a part with content_hash only."""
    import pyarrow as pa

    from newsdesk import quotes

    arts = make_articles(20)
    d = storage.store_dir("quotes", root=root)
    storage._write_part(d, pa.table({"content_hash": pa.array([], pa.string())}), list(arts["content_hash"]), [0] * 20)
    got = store.get(arts, "quotes", jobs=1, root=root)
    assert list(got.columns) == quotes.COLUMNS and len(got) == 0
    assert "wrong schema" in caplog.text
    (part,) = d.glob("part-*.parquet")
    assert "quote" in pq.read_schema(part).names


# --------------------------------------------------------------------------- integrity
def _damage(path: Path, where: str, n: int = 16) -> None:
    """Overwrite ``n`` bytes of ``path`` in place (same size) at its start, middle or end."""
    size = path.stat().st_size
    n = min(n, max(1, size // 4))
    at = {"header": 0, "middle": size // 2, "footer": max(0, size - n - 4)}[where]
    with open(path, "r+b") as fh:
        fh.seek(at)
        old = fh.read(n)
        fh.seek(at)
        fh.write(bytes((b ^ 0xFF) for b in old))
    assert path.stat().st_size == size


@pytest.mark.parametrize("which", ["part", "done"])
@pytest.mark.parametrize("where", ["header", "middle", "footer"])
def test_a_store_file_damaged_in_place_is_found_logged_and_recomputed(root, caplog, which, where):
    arts = make_articles(60)
    clean = store.get(arts, "toy_sentences", jobs=1, root=root)
    d = storage.store_dir("toy_sentences", root=root)
    (f,) = d.glob(f"{which}-*.parquet")
    _damage(f, where)
    CALLS.clear()
    storage._VERIFIED.clear()                   # as a new process (a notebook kernel) would start
    got = store.get(arts, "toy_sentences", jobs=1, root=root)
    pd.testing.assert_frame_equal(got, clean)
    assert str(f) in caplog.text and "damaged" in caplog.text
    assert sorted(CALLS) == sorted(arts["article_id"])       # its articles were recomputed
    assert [p for p, _ in storage.take_repairs()] == [str(f)]
    CALLS.clear()
    pd.testing.assert_frame_equal(store.get(arts, "toy_sentences", jobs=1, root=root), clean)
    assert CALLS == []                        # and stored again


@pytest.mark.parametrize("harm", ["truncate", "delete", "flip-after-verify"])
def test_a_short_missing_or_unreadable_part_is_treated_as_missing(root, caplog, harm):
    arts = make_articles(40)
    clean = store.get(arts, "toy_sentences", jobs=1, root=root)
    d = storage.store_dir("toy_sentences", root=root)
    (f,) = d.glob("part-*.parquet")
    if harm == "truncate":
        f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    elif harm == "delete":
        f.unlink()
    else:                                     # damaged after this process verified it (same stat)
        st = f.stat()
        _damage(f, "middle")
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    got = store.get(arts, "toy_sentences", jobs=1, root=root)
    pd.testing.assert_frame_equal(got, clean)
    if harm != "flip-after-verify":
        assert str(f) in caplog.text
    assert store.missing(arts, "toy_sentences", root=root).empty


# --------------------------------------------------------------------------- read-only store
def test_a_read_only_store_computes_in_memory_cold_and_warm(root, caplog, read_only, monkeypatch):
    from newsdesk import cache

    monkeypatch.setattr(cache, "_WARNED", [])
    arts = make_articles(40)
    expected = sentences(arts)
    warm_root, cold_root = root / "warm", root / "cold"
    store.get(arts.iloc[:25], "toy_sentences", jobs=1, root=warm_root)   # filled while writable
    before = sorted(p.name for p in warm_root.rglob("*"))
    read_only(warm_root)
    read_only(cold_root)
    CALLS.clear()
    got = store.get(arts, "toy_sentences", jobs=1, root=warm_root)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert sorted(CALLS) == sorted(arts["article_id"][25:])            # only what the store lacks
    assert sorted(p.name for p in warm_root.rglob("*")) == before      # nothing written
    got = store.get(arts, "toy_sentences", jobs=1, root=cold_root)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert not cold_root.exists()
    assert caplog.text.count("the cache is read-only") == 1            # one warning
    with pytest.raises(cache.ReadOnlyCacheError, match="NEWSDESK_CACHE"):
        store.annotate(arts, ["toy_sentences"], jobs=1, root=cold_root)
