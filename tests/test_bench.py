"""benchmarks/run.py (`make bench`): its targets, ratios and memory figures, without running the bench."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import benchkit

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    return benchkit.load("run")


@pytest.mark.parametrize(("value", "limit", "at_most", "expected"), [
    (59.9, 60, True, "yes"),
    (60, 60, True, "yes"),
    (194.0, 60, True, "**no**"),
    (1667, 1667, False, "yes"),
    (490, 1667, False, "**no**"),
    (None, 60, True, "n/a"),
])
def test_verdict(bench, value, limit, at_most, expected):
    assert bench.verdict(value, limit, at_most=at_most) == expected


@pytest.mark.parametrize(("mb", "expected"), [
    (0, "n/a"), (None, "n/a"), (812.4, "812 MB"), (4096, "4,096 MB"), (20787.2, "20.3 GB"),
])
def test_fmt_mb(bench, mb, expected):
    assert bench.fmt_mb(mb) == expected


def _res(all_s=None, warm=None, cold=None, warm_ok=True):
    res = {}
    if all_s is not None:
        res["annotate_all"] = {"seconds": all_s, "runs": 1}
    if warm is not None:
        res["report_warm"] = {"seconds": warm[0], "tree_mb": warm[1], "runs": 1, "ok": warm_ok}
    if cold is not None:
        res["report_cold"] = {"seconds": cold[0], "tree_mb": cold[1], "runs": 1, "ok": True}
    return res


@pytest.mark.parametrize(("n", "res", "expected"), [
    (200_000, _res(400.0, (194.0, 20787.0)),
     [("500 articles/s (1 run)", "**no**"), ("194.0 s (1 run)", "**no**"), ("20.3 GB (report, warm)", "**no**")]),
    (200_000, _res(100.0, (59.0, 3000.0), (300.0, 3500.0)),
     [("2,000 articles/s (1 run)", "yes"), ("59.0 s (1 run)", "yes"), ("3,500 MB (report, cold)", "yes")]),
    # a failed report is never met
    (200_000, _res(100.0, (30.0, 3000.0), warm_ok=False),
     [("2,000 articles/s (1 run)", "yes"), ("30.0 s (1 run) (**failed**)", "n/a"), ("3,000 MB (report, warm)", "yes")]),
    # away from 200,000 the report's targets are shown, not judged; the rate target holds everywhere
    (20_000, _res(10.0, (16.4, 2005.0)),
     [("2,000 articles/s (1 run)", "yes"), ("16.4 s (1 run)", "(target at 200,000)"),
      ("2,005 MB (report, warm)", "(target at 200,000)")]),
    (1_000_000, _res(), [("not measured", "n/a"), ("not measured", "n/a"), ("not measured", "n/a")]),
])
def test_issue17_rows(bench, n, res, expected):
    rows = bench.issue17_rows(n, res)
    assert [(m, v) for _, m, v in rows] == expected
    assert ">= 1,667 articles/s" in rows[0][0] and "<= 60 s at 200,000" in rows[1][0]
    assert "4,096 MB at 200,000" in rows[2][0]


def test_per_article_ratios_are_against_5000_and_skip_unmeasured_steps(bench):
    sizes = {
        1000: {"load_cold": {"seconds": 0.2}},
        5000: {"load_cold": {"seconds": 0.5}, "annotate_all": {"seconds": 10.0},
               "annotate_cold": {"seconds": 9.0, "extra": {"seconds_by_kind": {"sentences": 5.0, "quotes": 4.0}}}},
        200000: {"load_cold": {"seconds": 30.0}, "annotate_all": {"seconds": 600.0},
                 "annotate_cold": {"seconds": 500.0, "extra": {"seconds_by_kind": {"sentences": 300.0, "quotes": 200.0}}},
                 "report_warm": {"seconds": 194.0, "ok": True}},
    }
    base, ks, rows = bench.per_article(sizes)
    assert base == 5000 and ks == [1000, 5000, 200000]
    got = {step: (us, ratios) for step, us, ratios in rows}
    assert list(got) == ["load_cold", "annotate_cold:sentences", "annotate_cold:quotes", "annotate_all"]
    assert got["load_cold"] == ([200.0, 100.0, 150.0], [2.0, 1.0, 1.5])
    assert got["annotate_cold:sentences"] == ([None, 1000.0, 1500.0], [None, 1.0, 1.5])
    assert got["annotate_all"][1] == [None, 1.0, 1.5]


def test_per_article_base_is_the_smallest_size_without_5000(bench):
    base, _, rows = bench.per_article({1000: {"load_warm": {"seconds": 0.01}}, 2000: {"load_warm": {"seconds": 0.01}}})
    assert base == 1000 and rows == [("load_warm", [10.0, 5.0], [1.0, 0.5])]


def test_a_failed_report_has_no_per_article_cost(bench):
    _, _, rows = bench.per_article({5000: {"report_warm": {"seconds": 10.0, "ok": True}},
                                    20000: {"report_warm": {"seconds": 20.0, "ok": False}}})
    assert rows == []


@pytest.mark.parametrize(("parent", "root", "expected"), [
    ({2: 1, 3: 2, 4: 3, 5: 9}, 1, {2, 3, 4}),
    ({2: 1, 3: 2}, 2, {3}),
    ({2: 1}, 7, set()),
])
def test_descendants(bench, parent, root, expected):
    assert bench.descendants(root, parent) == expected


def test_table_shows_the_targets_and_what_was_not_measured(bench):
    info = {"nproc": 2, "cpu": "cpu", "ram": "1 GiB", "python": "3", "load_before": "0"}
    res = {"annotate_all": {"seconds": 400.0, "runs": 1, "tree_mb": 3000.0, "largest_mb": 900.0, "sampled": True},
           "report_warm": {"seconds": 194.0, "tree_mb": 20787.0, "tree_pss_mb": 15000.0, "largest_mb": 9300.0,
                           "sampled": True, "runs": 1, "ok": True}}
    md = bench.table(200_000, res, {5000: {"annotate_all": {"seconds": 5.0, "runs": 2}}, 200_000: res}, info,
                     "test", [])
    assert "| annotate, cold, every kind together (1 run) | 400.00 s (500 articles/s) |" in md
    assert "| >= 1,667 articles/s (issue 17) | **no** | tree 3,000 MB (largest process 900 MB) |" in md
    assert "<= 60 s at 200k (issue 17) | **no** | tree 20.3 GB, PSS 14.6 GB (largest process 9,300 MB) |" in md
    assert "| annotate_all | 1,000 | 2,000 (1 run) | 2.00× |" in md
    assert "load, cold" not in md                  # not measured: no row, no error


def test_the_parser_takes_skip_and_refuses_unknown_steps(bench, capsys):
    with pytest.raises(SystemExit) as done:
        bench.main(["--n", "10", "--skip", "report_cold,nonsense"])
    assert done.value.code == 2 and "nonsense" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        bench.main(["--sizes", "5000,200000", "--skip", "report_cold", "--help"])
    assert done.value.code == 0


SPAWNER = r"""
import json, os, subprocess, sys, time
sys.path.insert(0, sys.argv[1])
import run
# the command forks a grandchild that outlives its parent (an orphan, like a fork server) and holds 300 MB
code = ("import os, time\n"
        "if os.fork() == 0:\n"
        "    b = bytearray(300 * 2**20)\n"
        "    time.sleep(2.0)\n"
        "    os._exit(0)\n")
print(json.dumps({"reaper": run.become_subreaper(),
                  "peak": run.run_tree([sys.executable, "-c", code], dict(os.environ))[4]}))
"""


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and the child subreaper are Linux's")
def test_run_tree_counts_an_orphaned_grandchild(tmp_path):
    """The memory of a process whose parent exited (a fork server, a kernel) stays in the tree."""
    script = tmp_path / "spawn.py"
    script.write_text(SPAWNER)
    out = subprocess.run([sys.executable, str(script), str(ROOT / "benchmarks")], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["reaper"] is True
    assert got["peak"]["tree_mb"] >= 290 and got["peak"]["largest_mb"] >= 290


@pytest.mark.parametrize(("n", "sizes", "expected"), [
    (20000, [5000, 20000, 100000], {5000, 20000}),              # make bench: the base gets the report too
    (200000, [5000, 200000], {5000, 200000}),                  # issue 17's row
    (20000, [5000, 200000], {5000, 20000, 200000}),            # make bench SIZES=5000,200000: the report at 200k
    (20000, [5000, 20000, 1000000], {5000, 20000, 1000000}),   # and at 1M when asked
    (2000, [1000, 2000], {1000, 2000}),                        # no 5,000: the smallest is the base
    (5000, [], {5000}),
])
def test_report_sizes(bench, n, sizes, expected):
    assert bench.report_sizes_for(n, sizes) == expected


def test_scale_rows_mark_issue_17_targets_only_where_they_apply(bench):
    kinds = {"sentences": 2.0, "quotes": 1.0}
    sizes = {
        5000: {"annotate_cold": {"seconds": 3.0, "runs": 2, "extra": {"seconds_by_kind": kinds}},
               "annotate_all": {"seconds": 2.5, "runs": 2, "tree_mb": 500.0},
               "report_warm": {"seconds": 10.0, "runs": 2, "tree_mb": 1500.0, "ok": True},
               "report_cold": {"seconds": 20.0, "runs": 2, "tree_mb": 1600.0, "ok": True}},
        200000: {"annotate_all": {"seconds": 400.0, "runs": 1, "tree_mb": 3072.0},
                 "report_warm": {"seconds": 194.0, "runs": 1, "tree_mb": 20787.0, "ok": True}},
    }
    head, rows = bench.scale_rows(sizes)
    assert head[:4] == ["articles", "runs", "`sentences` alone", "`quotes` alone"]
    assert head[-2:] == ["per article / 5,000: every kind", "per article / 5,000: warm report"]
    assert rows[0] == ["5,000", "2", "2,500/s", "5,000/s", "2,000/s yes", "10.0 s", "20.0 s", "500 MB",
                       "1,600 MB (cold)", "1.00×", "1.00×"]
    assert rows[1] == ["200,000", "1", "-", "-", "500/s **no**", "194.0 s **no**", "-", "3,072 MB",
                       "20.3 GB (warm) **no**", "4.00×", "0.48×"]


def test_a_stopped_run_prints_what_it_measured(bench):
    info = {"nproc": 2, "cpu": "cpu", "ram": "1 GiB", "python": "3", "load_before": "0"}
    at_1000 = {"annotate_all": {"seconds": 5.0, "runs": 1, "tree_mb": 500.0}}
    md = bench.table(2000, {}, {1000: at_1000}, info, "test", ["the run was stopped"])
    assert "(nothing was measured at 2,000 articles)" in md
    assert "| 1,000 | 1 | 200/s **no** | - | - | 500 MB | - | - | - |" in md
    assert "Time per article" not in md             # one size: no ratios
