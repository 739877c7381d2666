"""The scripts of ``benchmarks/`` imported as modules, for the tests that check them
(``benchkit.load("run")`` is ``benchmarks/run.py``). ``sys.path`` is changed only while it imports."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name: str) -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCHMARKS))
