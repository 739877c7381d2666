"""Annotator versions must be the same in every process, or the store would recompute on each run
(and Dask workers would refuse the client's work)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from newsdesk import store

CODE = "from newsdesk import store; print(store.annotator('quotes').version, store.annotator('sentences').version)"


def _versions(seed: str) -> str:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    return subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True, check=True).stdout


def test_annotator_versions_do_not_depend_on_hash_randomisation():
    got = {_versions(seed) for seed in ("1", "2", "3")}
    assert len(got) == 1, f"annotator versions differ between processes: {got}"


@pytest.mark.parametrize("obj_in, expected", [
    ({"b", "a"}, "['a', 'b']"),
    (frozenset({2, 1}), "[1, 2]"),
    ({"y": {"b", "a"}, "x": 1}, "{'x': 1, 'y': ['a', 'b']}"),
    (("a", ["b"]), "['a', ['b']]"),
])
def test_stable_repr(obj_in, expected):
    assert store.stable_repr(obj_in) == expected
