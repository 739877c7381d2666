"""The registry of annotators: registration, stable serialisation of what a version hashes,
code versions, and versions equal in every process. (What each built-in annotator's version
covers is tested in test_store_versions.py.)"""
from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from newsdesk import registry


def sentences(articles: pd.DataFrame) -> pd.DataFrame:
    """Toy annotator: one row per article."""
    return pd.DataFrame({"article_id": articles["article_id"], "n": 1})


def lengths(articles: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"article_id": articles["article_id"], "chars": articles["body"].str.len()})


def test_code_version_covers_the_module_and_what_is_listed():
    import newsdesk.text

    here = sys.modules[__name__]
    assert registry.code_version(sentences) == registry.code_version(here) == registry.code_version(lengths)
    assert registry.code_version(here, newsdesk.text) != registry.code_version(here)
    assert registry.code_version(here, "vader 3.3.2") != registry.code_version(here, "vader 3.3.3")


def test_real_annotators_are_registered():
    known = registry.kinds()
    for mod, kind in (("newsdesk.sentiment", "sentences"), ("newsdesk.quotes", "quotes"),
                      ("newsdesk.wordcount", "keyword_counts")):
        importlib.import_module(mod)
        assert kind in known, f"{mod} should register {kind!r}"


def test_every_annotator_has_the_same_version_in_every_process():
    """A version that changes between processes (e.g. built from a set's repr, which depends on
    hash randomisation) would make the store miss on every run and Dask workers refuse work."""
    kinds = [k for k in registry.kinds() if not k.startswith("toy_")]
    assert {"sentences", "quotes", "keyword_counts"} <= set(kinds)
    code = f"from newsdesk import registry; print([registry.annotator(k).version for k in {kinds!r}])"
    seen = {}
    for seed in ("1", "2", "3"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=dict(os.environ, PYTHONHASHSEED=seed), check=True).stdout.strip()
        seen[seed] = out
    versions = {k: {eval(v)[i] for v in seen.values()} for i, k in enumerate(kinds)}
    unstable = sorted(k for k, v in versions.items() if len(v) > 1)
    assert not unstable, f"annotator version differs between processes for {unstable}"


# --------------------------------------------------------------------------- stable serialisation
@pytest.mark.parametrize("obj_in, expected", [
    ({"b", "a"}, "['a', 'b']"),
    (frozenset({2, 1}), "[1, 2]"),
    ({"y": {"b", "a"}, "x": 1}, "{'x': 1, 'y': ['a', 'b']}"),
    (("a", ["b"]), "['a', ['b']]"),
    (re.compile("a+"), "re('a+', 32)"),
    (re.compile("a+", re.I), "re('a+', 34)"),
    ([registry.stable_repr], "[<newsdesk.registry.stable_repr>]"),
])
def test_stable_repr(obj_in, expected):
    assert registry.stable_repr(obj_in) == expected


def test_stable_repr_sees_the_middle_of_a_large_array():
    import numpy as np

    a = np.zeros(10_000)
    b = a.copy()
    b[5_000] = 1
    assert repr(a) == repr(b) and registry.stable_repr(a) != registry.stable_repr(b)


def test_source_of_a_decorated_class_starts_at_its_decorator():
    assert registry._source(registry.Inputs).startswith("@dataclass(frozen=True)\nclass Inputs:")
    assert registry._source(registry.Inputs).rstrip().endswith('return h.hexdigest()[:12]')


def test_stable_repr_refuses_what_differs_between_processes():
    with pytest.raises(TypeError, match="no stable repr"):
        registry.stable_repr([object()])


def test_register_takes_a_version_or_inputs_not_both():
    with pytest.raises(TypeError):
        registry.register("toy_both", lambda a: a, version="1", inputs=registry.Inputs())
    with pytest.raises(TypeError):
        registry.register("toy_neither", lambda a: a)
