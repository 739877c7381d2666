"""store.stable_repr: word lists hash the same in every process (the cross-process check of the
annotators' versions is in test_store.py)."""
from __future__ import annotations

import pytest

from newsdesk import store

@pytest.mark.parametrize("obj_in, expected", [
    ({"b", "a"}, "['a', 'b']"),
    (frozenset({2, 1}), "[1, 2]"),
    ({"y": {"b", "a"}, "x": 1}, "{'x': 1, 'y': ['a', 'b']}"),
    (("a", ["b"]), "['a', ['b']]"),
])
def test_stable_repr(obj_in, expected):
    assert store.stable_repr(obj_in) == expected
