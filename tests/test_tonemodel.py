"""newsdesk.tonemodel: tone toward a named target (clear cases, the shipped weights, training)."""
from __future__ import annotations

import hashlib
import importlib.resources
import socket

import numpy as np
import pandas as pd
import pytest

import benchkit

from newsdesk import resources as R
from newsdesk import tonemodel

ROOT = tonemodel.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    return benchkit.load("train_tone")


# Written for these tests (not from NewsMTSC): one clear tone toward the named target.
@pytest.mark.parametrize("text_in, target, expected", [
    ("Critics accused Smith of lying to voters and covering up the scandal.", "Smith", "negative"),
    ("Protesters condemned Governor Ruiz, calling his policies a disgrace.", "Governor Ruiz", "negative"),
    ("The senator was arrested and charged with fraud.", "The senator", "negative"),
    ("Ms. Okafor won wide praise for her brave and brilliant rescue work.", "Ms. Okafor", "positive"),
    ("Fans cheered Lopez, who delivered a great victory for the team.", "Lopez", "positive"),
    ("Brown will meet the committee on Tuesday in Washington.", "Brown", "neutral"),
    ("The ministry published its annual report on Monday.", "The ministry", "neutral"),
    # the speaker of a hostile quote is not its object
    ("“Smith is a disgrace,” Jones said.", "Smith", "negative"),
    ("“Smith is a disgrace,” Jones said.", "Jones", "neutral"),
])
def test_target_tone_clear_cases(text_in, target, expected):
    r = tonemodel.target_tone(text_in, target)
    assert r["label"] == expected
    assert set(r) == {"label", "p_negative", "p_neutral", "p_positive", "score"}
    assert r["p_negative"] + r["p_neutral"] + r["p_positive"] == pytest.approx(1.0)
    assert r["score"] == pytest.approx(r["p_positive"] - r["p_negative"])


def test_tone_depends_on_the_target():
    s = "Officials praised Adams for the rescue, while Baker was blamed for the disaster."
    assert tonemodel.target_tone(s, "Adams")["score"] > tonemodel.target_tone(s, "Baker")["score"]


@pytest.mark.parametrize("text_in, target, expected", [
    ("The mayor met Ann Lee.", "ann lee", (14, 21)),
    ("Lee and Leeds", "Leeds", (8, 13)),
    ("Annan's visit", "Annan", (0, 5)),
    ("The mayor met Ann Lee.", (4, 9), (4, 9)),
])
def test_find_target(text_in, target, expected):
    assert tonemodel.find_target(text_in, target) == expected


@pytest.mark.parametrize("target, error", [("Jones", ValueError), ("", ValueError), ((5, 99), ValueError),
                                           ((3, 3), ValueError), (3, TypeError)])
def test_find_target_errors(target, error):
    with pytest.raises(error):
        tonemodel.find_target("Smith spoke.", target)


def test_string_and_span_targets_agree():
    s = "Critics accused Smith of lying to voters."
    assert tonemodel.target_tone(s, "Smith") == tonemodel.target_tone(s, (16, 21))


def test_target_tones_frame_matches_single_calls():
    frame = pd.DataFrame({"sentence": ["Critics accused Smith of lying.", None, "Fans cheered Lopez.",
                                       "Brown spoke on Tuesday."],
                          "target": ["Smith", "Smith", (13, 18), None]}, index=[10, 11, 12, 13])
    out = tonemodel.target_tones(frame)
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.columns.tolist() == tonemodel.TONE_COLUMNS
    for i in (10, 12):
        one = tonemodel.target_tone(frame.at[i, "sentence"], frame.at[i, "target"])
        assert out.at[i, "label"] == one["label"]
        assert out.at[i, "p_negative"] == pytest.approx(one["p_negative"])
    assert out.loc[[11, 13], "label"].isna().all() and out.loc[[11, 13], "score"].isna().all()
    assert tonemodel.target_tones(frame.iloc[:0]).empty


def test_target_tones_errors():
    with pytest.raises(KeyError):
        tonemodel.target_tones(pd.DataFrame({"text": ["x"]}))
    with pytest.raises(ValueError, match="row 0"):
        tonemodel.target_tones(pd.DataFrame({"sentence": ["Smith spoke."], "target": ["Jones"]}))


def test_weights_ship_in_the_package_and_load_offline(monkeypatch):
    res = importlib.resources.files("newsdesk") / "data" / tonemodel.MODEL_FILE
    assert res.is_file()

    def no_network(*a, **k):
        raise AssertionError("the tone model must not use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    with importlib.resources.as_file(res) as p:
        m = tonemodel.read_model(p)
    assert m.weights.shape == (len(m.vocab), 3) and m.weights.dtype == np.float32
    assert np.isfinite(m.weights).all()
    meta = m.meta
    assert meta["training_data"].startswith("NewsMTSC")
    assert meta["training_targets"] == 8739 and meta["training_sentences"] == 7758
    assert "MIT" in meta["training_data_licence"]
    assert {"seed", "date", "l2", "features"} <= set(meta)
    assert meta["features"] == len(m.vocab)
    # only features (words, word pairs, names of numeric features), no sentences
    assert max(len(w.split()) for w in m.vocab) <= 2


def test_shipped_model_is_the_training_scripts_configuration(bench):
    m = tonemodel.load_model()
    assert m.options == bench.CONFIG["options"]
    assert m.meta["l2"] == bench.CONFIG["l2"] and m.meta["seed"] == bench.SEED


def test_write_model_same_bytes(tmp_path):
    kw = dict(vocab=["a", "b:x y"], weights=np.arange(6.0).reshape(2, 3), bias=np.zeros(3),
              options={"window": 4}, meta={"date": "2026-12-06"})
    tonemodel.write_model(tmp_path / "a.npz", **kw)
    tonemodel.write_model(tmp_path / "b.npz", **kw)
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    m = tonemodel.read_model(tmp_path / "a.npz")
    assert m.vocab == ("a", "b:x y") and m.options == {"window": 4}
    assert np.load(tmp_path / "a.npz")["weights"].shape == (2, 3)  # a plain .npz for NumPy too


@pytest.mark.shared
def test_training_is_deterministic(shared_dir, bench, tmp_path):
    """Two trainings from the same file give the same bytes (on the first 1,500 targets, 40
    iterations, to keep the test fast; the full run is the same code)."""
    train = shared_dir / "benchmarks" / "sentiment" / "newsmtsc-train.jsonl"
    if not train.exists():
        pytest.skip("newsmtsc-train.jsonl is absent")
    digests = []
    for name in ("a.npz", "b.npz"):
        bench.train(train, tmp_path / name, bench.CONFIG, limit=1500, max_iter=40)
        digests.append(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    assert tonemodel.read_model(tmp_path / "a.npz").meta["training_targets"] == 1500


@pytest.mark.shared
def test_dev_macro_f1_beats_vader(shared_dir):
    dev = shared_dir / "benchmarks" / "sentiment" / "newsmtsc-dev.jsonl"
    if not dev.exists():
        pytest.skip("newsmtsc-dev.jsonl is absent")
    sentiment_newsmtsc = benchkit.load("sentiment_newsmtsc")
    out = sentiment_newsmtsc.evaluate(dev)
    assert out["targets"] == 343
    assert out["vader_sentence"]["macro_f1"] == pytest.approx(0.51, abs=0.02)
    assert out["tone_model"]["macro_f1"] >= out["vader_sentence"]["macro_f1"] + 0.10


def test_package_data_includes_the_weights():
    """pyproject's package-data globs cover the weights file, so a wheel carries it (checked by
    hand with ``pip wheel .``: ``newsdesk/data/tone_model.npz`` is in the wheel)."""
    import tomllib

    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["newsdesk"]
    pkg = ROOT / "lib" / "newsdesk"
    assert any((pkg / "data" / tonemodel.MODEL_FILE) in pkg.glob(g) for g in globs)


@pytest.mark.shared
def test_sentence_model_training_is_deterministic(shared_dir, bench, tmp_path):
    """The whole-sentence model rebuilds to the same bytes (on the first 1,500 records of each
    file and 40 iterations, to keep the test fast; the full run is the same code)."""
    data = shared_dir / "benchmarks" / "sentiment"
    if not (data / "newsmtsc-train.jsonl").exists() or not (data / "nyt-editorials-dev.tsv").exists():
        pytest.skip("the NewsMTSC or NYT file is absent")
    digests = []
    for name in ("a.npz", "b.npz"):
        bench.train_sentence(data / "newsmtsc-train.jsonl", data / "nyt-editorials-dev.tsv", tmp_path / name,
                             limit=1500, max_iter=40)
        digests.append(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    m = tonemodel.read_model(tmp_path / "a.npz")
    assert m.meta["training_nyt_sentences"] == 1500 and m.options["vader_weight"] == bench.SENTENCE_CONFIG["vader_weight"]


def test_the_shipped_sentence_model_is_the_documented_one():
    m = tonemodel.load_model(name=tonemodel.SENTENCE_MODEL_FILE)
    assert m.meta["kind"] == "whole sentence (no target)" and m.meta["script"] == "benchmarks/train_tone.py"
    assert m.meta["training_targets"] == 8739 and m.meta["training_nyt_sentences"] == 2568
    assert m.options == {"kind": "sentence", "vader_weight": 0.5}


@pytest.mark.parametrize("text_in", [
    "Critics didn’t like it.", "ΟΔΟΣ ΣΟΦΟΣ. ΣΟΦΟΣ’Σ end", "İstanbul İZMİR", "a_b c-d e’f’g",
    "tabs\tand\u00a0nbsp\u2028line\x1cseparators", "  “Quoted,” he said.  ", "", "💘 good 😁",
    "rock’n'roll ’til ''dawn’’ o'’clock", "ΣΟΦΟΣ’ ΟΔΟΣ'Σ",
])
def test_a_sentences_words_are_its_tokens_words(text_in):
    """The whole-sentence model reads its words token by token (cached): the same words in the same
    order as its regex over the whole lower-cased sentence."""
    whole = [w.replace("’", "'") for w in R.TONE_WORD_RE.findall(text_in.lower())]
    assert [w for t in text_in.split() for w in tonemodel._token_words(t)] == whole
