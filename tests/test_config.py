"""Tests for newsdesk.config: the settings applied at import."""
from __future__ import annotations

import os

import pytest


@pytest.mark.parametrize("env, expected", [(None, "jemalloc"), ("system", "system"), ("mimalloc", "mimalloc")])
def test_arrow_memory_pool_is_jemalloc_unless_the_environment_names_one(env, expected):
    import subprocess
    import sys

    code = ("import pyarrow as pa, newsdesk.corpus; print(newsdesk.config.ARROW_MEMORY_POOL, "
            "pa.default_memory_pool().backend_name)")
    environ = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if env:
        environ["ARROW_DEFAULT_MEMORY_POOL"] = env
    out = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [expected, expected]
