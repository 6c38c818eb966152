"""benchmarks/run.py: its pieces run on tiny sizes and report what they measured.

No assertion here is about speed: timings on a shared machine vary too much. What is checked
is that the things compared compute the same function, that the memory and exponent
figures mean what they say, and that the tables, plot and notebook timing come out.
"""

import importlib.util
import json
import math
from pathlib import Path

import nbformat
import numpy as np
import pytest
from reference import reference_attention

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run)


@pytest.mark.parametrize("causal", [True, False])
def test_bare_expression_is_self_attention(causal):
    X, W_q, W_k, W_v = run.inputs(5, d=3, seed=4)
    expected = np.array(reference_attention(X.tolist(), W_q.tolist(), W_k.tolist(), W_v.tolist(), causal=causal)[5])
    np.testing.assert_allclose(run.bare_attention(X, W_q, W_k, W_v, causal=causal), expected, rtol=1e-12, atol=1e-12)


def test_rnn_recurrence_follows_its_equation_step_by_step():
    X = run.inputs(6, d=3, seed=2)[0]
    W, U = run.rnn_weights(d=3)
    h = [0.0, 0.0, 0.0]
    for t, x in enumerate(X.tolist()):  # h_t = tanh(x_t W + h_{t-1} U), plain floats
        h = [math.tanh(sum(x[c] * W[c][k] for c in range(3)) + sum(h[c] * U[c][k] for c in range(3))) for k in range(3)]
        np.testing.assert_allclose(run.rnn_recurrence(X, W, U)[t], h, rtol=1e-12)


def test_interleaved_runs_every_candidate_in_rotating_order():
    calls = []
    candidates = {name: (lambda name=name: calls.append(name)) for name in "abc"}
    times = run.interleaved(candidates, budget=0.0, min_repeats=6, max_repeats=6, min_sample=0.0)
    assert {name: len(values) for name, values in times.items()} == {"a": 6, "b": 6, "c": 6}
    assert all(t >= 0 for values in times.values() for t in values)
    rounds = [calls[3 + 3 * r : 6 + 3 * r] for r in range(6)]  # after one warm-up call each
    assert [r[0] for r in rounds] == ["a", "b", "c", "a", "b", "c"]
    assert all(sorted(r) == ["a", "b", "c"] for r in rounds)


def test_paired_ratio_is_the_median_of_same_round_ratios():
    times = {"top": [2.0, 9.0, 3.0, 4.0], "bottom": [1.0, 3.0, 3.0, 1.0]}  # ratios 2, 3, 1, 4
    ratio, (low, high) = run.paired_ratio(times, "top", "bottom")
    assert ratio == 2.5
    assert low == pytest.approx(1.75) and high == pytest.approx(3.25)


@pytest.mark.parametrize("power", [1.0, 1.5, 2.0, 3.0])
def test_fitted_exponent_recovers_a_power_law(power):
    ns = [64, 128, 256, 1024]
    assert run.fitted_exponent(ns, [7.0 * n**power for n in ns]) == pytest.approx(power)


def test_peak_memory_of_the_score_matrix_is_n_squared_floats():
    for n in (100, 300):
        Q, K = np.ones((n, 8)), np.ones((n, 8))
        peak = run.peak_bytes(run.attention_scores, Q, K)
        assert 8 * n * n <= peak <= 8 * n * n + 4096


def test_item_functions_produce_rows_on_tiny_sizes():
    bare = run.bench_matrix_vs_bare([4, 8], budget=0.0)
    assert [r["n"] for r in bare] == [4, 8]
    assert all(r["ratio"] > 0 and r["library_s"] > 0 and r["bare_s"] > 0 for r in bare)

    parallel = run.bench_parallel([4, 16], loop_max_n=4, budget=0.0)
    assert parallel[0]["loop_s"] > 0 and parallel[1]["loop_s"] is None
    assert all(r["rnn_s"] > 0 and r["matrix_s"] > 0 for r in parallel)

    rows, fits = run.bench_score_matrix([64, 128, 256], budget=0.0)
    assert fits["fitted_on"] == [64, 128, 256]
    assert fits["scores_peak_bytes"] == pytest.approx(2.0, abs=0.05)  # one n x n float array
    for r in rows:
        assert r["scores_peak_bytes"] >= 8 * r["n"] ** 2
        assert r["full_peak_bytes"] >= 2 * 8 * r["n"] ** 2  # scores and weights are both kept


def test_profile_covers_the_library_stages():
    rows = run.profile_library(8, budget=0.0)
    stages = {r["stage"]: r for r in rows}
    assert stages["input checks (shapes, types)"]["bare_s"] is None  # the bare expression checks nothing
    assert stages["finite check scores, V"]["library_s"] > 0
    assert stages["masked softmax"]["library_s"] > 0 and stages["masked softmax"]["bare_s"] > 0
    total = stages.pop("sum of the stages")
    assert total["library_s"] == pytest.approx(sum(r["library_s"] or 0 for r in stages.values()))
    assert total["bare_s"] == pytest.approx(sum(r["bare_s"] or 0 for r in stages.values()))


def test_importtime_lines_are_parsed():
    stderr = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       120 |      95000 |   numpy\n"
        "import time:       300 |     120000 | selfattn_lib\n"
    )
    assert run.parse_importtime(stderr) == {"numpy": 95000, "selfattn_lib": 120000}


def test_import_benchmark_finds_numpy_inside_selfattn_lib():
    result = run.bench_import(repeats=1)
    assert result["importtime_selfattn_lib_s"] > result["importtime_numpy_s"] > 0
    assert all(result[k] > 0 for k in ("python -c pass", "import numpy", "import selfattn_lib"))


def test_explorer_latency_is_called_when_present(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "ROOT", tmp_path)
    assert run.bench_explorer() is None
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "explorer_latency.py").write_text(
        "def measure():\n    print('median 12.0 ms')\n    return {'median_ms': 12.0}\n"
    )
    assert run.bench_explorer() == {"returned": {"median_ms": 12.0}, "printed": "median 12.0 ms"}


def test_explorer_latency_command_line_is_called_with_repeats(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "ROOT", tmp_path)
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "explorer_latency.py").write_text(
        "import argparse\n"
        "def main():\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--repeats', type=int, default=30)\n"
        "    print('edits timed:', parser.parse_args().repeats)\n"
        "    return 0\n"
    )
    argv = list(run.sys.argv)
    assert run.bench_explorer(repeats=4) == {"returned": 0, "printed": "edits timed: 4"}
    assert run.sys.argv == argv


def test_notebook_is_timed_in_a_fresh_kernel_and_not_written_back(tmp_path):
    path = tmp_path / "tiny.ipynb"
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("x = 6 * 7"),
            nbformat.v4.new_code_cell("raise ValueError('on purpose')", metadata={"tags": ["raises-exception"]}),
            nbformat.v4.new_code_cell("print(x)"),
        ]
    )
    nbformat.write(nb, path)
    before = path.read_bytes()
    result = run.time_notebook(path)
    assert path.read_bytes() == before
    assert result["error"] is None and result["notebook"] == "tiny.ipynb"
    assert result["total_s"] >= result["cells_s"] > 0


def test_a_failing_notebook_is_reported_not_raised(tmp_path):
    path = tmp_path / "broken.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")]), path)
    assert "ZeroDivisionError" in run.time_notebook(path)["error"]


def fake_results():
    bare = [
        {
            "n": 4,
            "library_s": 2e-4,
            "bare_s": 1e-4,
            "ratio": 2.0,
            "ratio_q25": 1.9,
            "ratio_q75": 2.1,
            "goal_met": False,
            "rounds": 5,
        },
        {
            "n": 8,
            "library_s": 1e-3,
            "bare_s": 1e-3,
            "ratio": 1.0,
            "ratio_q25": 0.9,
            "ratio_q75": 1.1,
            "goal_met": True,
            "rounds": 5,
        },
    ]
    parallel = [
        {"n": 4, "matrix_s": 1e-4, "rnn_s": 5e-5, "loop_s": 1e-3, "rnn_over_matrix": 0.5, "loop_over_matrix": 10.0},
        {"n": 8, "matrix_s": 2e-4, "rnn_s": 1e-4, "loop_s": None, "rnn_over_matrix": 0.5, "loop_over_matrix": None},
    ]
    scores = [
        {
            "n": n,
            "scores_s": 1e-6 * n * n,
            "full_s": 3e-6 * n * n,
            "scores_peak_bytes": 8 * n * n,
            "full_peak_bytes": 24 * n * n,
            "bare_peak_bytes": 32 * n * n,
        }
        for n in (4, 8)
    ]
    fits = {
        "scores_s": 2.0,
        "full_s": 2.0,
        "scores_peak_bytes": 2.0,
        "full_peak_bytes": 2.0,
        "bare_peak_bytes": 2.0,
        "fitted_on": [4, 8],
    }
    return {
        "machine": {
            "cpu": "test cpu",
            "cores": 2,
            "os": "test os",
            "python": "3",
            "numpy": "2",
            "blas": "blas",
            "blas_threads": "1",
            "clock": "wall time",
            "load_before": 0.1,
        },
        "profile": {4: [{"stage": "masked softmax", "library_s": 2e-4, "bare_s": 1e-4}]},
        "bare": bare,
        "parallel": parallel,
        "scores": scores,
        "score_fits": fits,
        "import": {
            "python -c pass": 0.02,
            "import numpy": 0.1,
            "import selfattn_lib": 0.11,
            "importtime_numpy_s": 0.08,
            "importtime_selfattn_lib_s": 0.09,
            "repeats": 1,
        },
        "explorer": {"returned": {"median_ms": 12.0}, "printed": "median 12.0 ms"},
        "notebooks": [{"notebook": "00_start_here.ipynb", "total_s": 3.0, "cells_s": 1.0, "error": None}],
        "nbval": {"seconds": 9.0, "returncode": 0, "summary": "5 passed in 9.00s"},
    }


def test_tables_show_every_item_with_its_figures():
    text = run.tables(fake_results())
    for title in (
        "profile of self_attention at n = 4",
        "1. self_attention vs bare numpy",
        "2. per-token loop",
        "3. score matrix",
        "4. import cost",
        "5. explorer update latency",
        "6. notebooks",
        "6. whole nbval run: 9.0 s",
    ):
        assert title in text
    assert "MISSED" in text and "met" in text  # n = 4 misses the 1.25 goal, n = 8 meets it
    assert "00_start_here.ipynb" in text and "median 12.0 ms" in text
    table = text.split("\n\n")[1].splitlines()
    assert len({len(line) for line in table[1:]}) == 1  # header, rule and rows line up


def test_explorer_missing_is_said_plainly():
    results = fake_results()
    results["explorer"] = None
    assert "5. explorer latency: not available" in run.tables(results)


def test_plot_and_readme_section_are_written(tmp_path):
    results = fake_results()
    path = run.plot(results, tmp_path / "out" / "plot.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000
    section = run.performance_markdown(results, ".venv/bin/python benchmarks/run.py")
    assert section.startswith("## Performance")
    assert "test cpu" in section and ".venv/bin/python benchmarks/run.py" in section
    assert "| 4 | 0.200 ms | 0.100 ms | 2.00 |" in section
    json.dumps(results, default=run._plain)  # results.json can be written
