"""What self-attention costs, measured.

    .venv/bin/python benchmarks/run.py                  # everything, under 3 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --quick          # small sizes, few repeats, no notebooks
    .venv/bin/python benchmarks/run.py --skip-notebooks # items 1-5 only

Prints one table per item and saves benchmarks/out/benchmarks.png, results.json and
performance.md (the README "Performance" section, filled in from this run).

1. self_attention (with its input checks) against the bare numpy expression, same inputs.
2. Per-token loop, matrix form and an RNN-style recurrence of the same width, as n grows.
3. Time and peak memory (tracemalloc) of the score matrix against n, with fitted exponents.
4. `import selfattn_lib` against `import numpy` alone, in fresh processes.
5. The explorer's update latency (benchmarks/explorer_latency.py, owned by the explorer).
6. Each notebook's execution time in a fresh kernel, and the whole nbval run.

Every comparison is timed side by side in one process, the candidates interleaved round by
round, so a burst of load from elsewhere hits all of them alike. Figures are medians.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import io
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from contextlib import redirect_stdout
from pathlib import Path
from statistics import median

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from selfattn_lib import attention_scores, self_attention, self_attention_loop  # noqa: E402

D = 64  # d_model = d_k = d_v, as the issue asks
GOAL_RATIO = 1.25
NBVAL_COMMAND = [
    "-m",
    "pytest",
    "--nbval",
    "--nbval-current-env",
    "--nbval-sanitize-with",
    "tests/nbval_sanitize.cfg",
    "notebooks",
    "-q",
]

FULL = {
    "bare_ns": (64, 256, 1024, 2048),
    "parallel_ns": (16, 64, 256, 1024, 2048),
    "loop_max_n": 256,  # the loop takes ~0.4 s at n = 256 and grows as n^2
    "memory_ns": (128, 256, 512, 1024, 2048, 4096),
    "import_repeats": 7,
    "explorer_repeats": 15,  # each repeat redraws every figure twice (two cases)
    "budget": 3.0,  # seconds of timing per size in items 1-3
}
QUICK = {
    "bare_ns": (64, 256),
    "parallel_ns": (16, 64, 256),
    "loop_max_n": 64,
    "memory_ns": (64, 128, 256, 512),
    "import_repeats": 3,
    "explorer_repeats": 5,
    "budget": 0.3,
}


# ---------------------------------------------------------------- measuring

CLOCK = {"wall": time.perf_counter, "cpu": time.process_time}
clock = CLOCK["wall"]  # main() switches it with --cpu-time


def interleaved(candidates, budget=1.0, min_repeats=5, max_repeats=50, min_sample=2e-3):
    """Time each candidate (a no-argument callable) round by round; returns name -> seconds per call.

    A call shorter than `min_sample` is repeated inside one sample, so the clock's resolution
    and the loop's own cost do not show. The order rotates each round so that no candidate
    always runs first (first place catches cold caches and interrupts).
    """
    names = list(candidates)
    numbers, one_round = {}, 0.0
    for name in names:  # warm-up, which also calibrates the inner count
        start = clock()
        candidates[name]()
        once = clock() - start
        numbers[name] = max(1, int(min_sample / max(once, 1e-9)))
        one_round += once * numbers[name]
    repeats = int(min(max_repeats, max(min_repeats, budget / max(one_round, 1e-9))))
    times = {name: [] for name in names}
    gc_was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()  # a collection landing in one candidate's sample would be charged to it
    try:
        for r in range(repeats):
            shift = r % len(names)
            for name in names[shift:] + names[:shift]:
                call, number = candidates[name], numbers[name]
                start = clock()
                for _ in range(number):
                    call()
                times[name].append((clock() - start) / number)
    finally:
        if gc_was_enabled:
            gc.enable()
    return times


def paired_ratio(times, top, bottom):
    """Median over rounds of top/bottom within the same round, and its 25-75 % range."""
    ratios = np.array(times[top]) / np.array(times[bottom])
    return float(np.median(ratios)), tuple(float(q) for q in np.percentile(ratios, [25, 75]))


def peak_bytes(function, *args):
    """Peak memory traced while `function(*args)` runs (numpy reports its buffers to tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = function(*args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def fitted_exponent(ns, values):
    """Slope of log(value) against log(n), least squares: value ~ c * n^slope."""
    slope, _ = np.polyfit(np.log(np.asarray(ns, float)), np.log(np.asarray(values, float)), 1)
    return float(slope)


def inputs(n, d=D, seed=0):
    """X (n x d) and W_q, W_k, W_v (d x d), scaled so the scores stay moderate (softmax not saturated)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    W_q, W_k, W_v = (rng.standard_normal((d, d)) / math.sqrt(d) for _ in range(3))
    return X, W_q, W_k, W_v


# ---------------------------------------------------------------- the things compared


def bare_attention(X, W_q, W_k, W_v, causal=True):
    """softmax(mask(Q K^T / sqrt(d_k))) V written inline: no checks, no intermediates kept."""
    Q, K, V = X @ W_q, X @ W_k, X @ W_v
    scores = Q @ K.T / math.sqrt(K.shape[1])
    if causal:
        scores = np.where(np.tri(len(X), dtype=bool), scores, -np.inf)
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    return weights @ V


def rnn_weights(d=D, seed=1):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((d, d)) / math.sqrt(d), rng.standard_normal((d, d)) / math.sqrt(d)


def rnn_recurrence(X, W, U):
    """h_t = tanh(x_t W + h_{t-1} U), h_0 = 0: each step needs the one before, so n steps in a row.

    x_t W for every t is one matrix product up front (that part is parallel, and doing it
    once makes the RNN as fast as numpy allows); only the recurrence itself is sequential.
    """
    XW = X @ W
    H = np.empty((len(X), U.shape[1]))
    h = np.zeros(U.shape[1])
    for t in range(len(X)):
        h = np.tanh(XW[t] + h @ U)
        H[t] = h
    return H


# ---------------------------------------------------------------- items


def bench_matrix_vs_bare(ns, budget):
    rows = []
    for n in ns:
        X, W_q, W_k, W_v = inputs(n)
        library = self_attention(X, W_q, W_k, W_v).output
        if not np.allclose(library, bare_attention(X, W_q, W_k, W_v), rtol=1e-10, atol=1e-12):
            raise AssertionError(f"library and bare expression disagree at n = {n}")
        times = interleaved(
            {"library": lambda: self_attention(X, W_q, W_k, W_v), "bare": lambda: bare_attention(X, W_q, W_k, W_v)},
            budget,
        )
        ratio, (low, high) = paired_ratio(times, "library", "bare")
        rows.append(
            {
                "n": n,
                "library_s": median(times["library"]),
                "bare_s": median(times["bare"]),
                "ratio": ratio,
                "ratio_q25": low,
                "ratio_q75": high,
                "goal_met": ratio <= GOAL_RATIO,
                "rounds": len(times["bare"]),
            }
        )
    return rows


def bench_parallel(ns, loop_max_n, budget):
    W, U = rnn_weights()
    rows = []
    for n in ns:
        X, W_q, W_k, W_v = inputs(n)
        candidates = {"matrix": lambda: self_attention(X, W_q, W_k, W_v), "rnn": lambda: rnn_recurrence(X, W, U)}
        if n <= loop_max_n:
            candidates["loop"] = lambda: self_attention_loop(X, W_q, W_k, W_v)
        times = interleaved(candidates, budget, min_repeats=3)
        row = {
            "n": n,
            "matrix_s": median(times["matrix"]),
            "rnn_s": median(times["rnn"]),
            "loop_s": median(times["loop"]) if "loop" in times else None,
            "rnn_over_matrix": paired_ratio(times, "rnn", "matrix")[0],
            "loop_over_matrix": paired_ratio(times, "loop", "matrix")[0] if "loop" in times else None,
        }
        rows.append(row)
    return rows


def bench_score_matrix(ns, budget):
    """The score matrix alone (Q K^T / sqrt(d_k)) and the whole pass, time and peak memory."""
    rows = []
    for n in ns:
        X, W_q, W_k, W_v = inputs(n)
        Q, K = X @ W_q, X @ W_k
        times = interleaved(
            {"scores": lambda: attention_scores(Q, K), "full": lambda: self_attention(X, W_q, W_k, W_v)},
            budget,
            min_repeats=3,
        )
        rows.append(
            {
                "n": n,
                "scores_s": median(times["scores"]),
                "full_s": median(times["full"]),
                "scores_peak_bytes": peak_bytes(attention_scores, Q, K),
                "full_peak_bytes": peak_bytes(self_attention, X, W_q, W_k, W_v),
                "bare_peak_bytes": peak_bytes(bare_attention, X, W_q, W_k, W_v),
            }
        )
    fit_rows = [r for r in rows if r["n"] >= 256]  # below that, call overhead hides n^2
    if len(fit_rows) < 2:
        fit_rows = rows
    fits = {
        key: fitted_exponent([r["n"] for r in fit_rows], [r[key] for r in fit_rows])
        for key in ("scores_s", "full_s", "scores_peak_bytes", "full_peak_bytes")
    }
    fits["fitted_on"] = [r["n"] for r in fit_rows]
    return rows, fits


def parse_importtime(stderr):
    """Cumulative microseconds per module name from `python -X importtime` output."""
    cumulative = {}
    for line in stderr.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
            cumulative.setdefault(parts[2].strip(), int(parts[1]))
    return cumulative


def bench_import(repeats):
    """Fresh interpreters, interleaved: nothing, numpy alone, selfattn_lib (which loads numpy)."""
    programs = {"python -c pass": "pass", "import numpy": "import numpy", "import selfattn_lib": "import selfattn_lib"}
    times = {name: [] for name in programs}
    numpy_us, package_us = [], []
    for r in range(repeats + 1):  # round 0 warms the file cache and is dropped
        for name, code in programs.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
            if r:
                times[name].append(time.perf_counter() - start)
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import selfattn_lib"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        cumulative = parse_importtime(out.stderr)
        if r:
            numpy_us.append(cumulative["numpy"])
            package_us.append(cumulative["selfattn_lib"])
    result = {name: median(values) for name, values in times.items()}
    result["importtime_numpy_s"] = median(numpy_us) / 1e6
    result["importtime_selfattn_lib_s"] = median(package_us) / 1e6  # includes numpy
    result["repeats"] = repeats
    return result


def bench_explorer(repeats=30):
    """Item 5, from benchmarks/explorer_latency.py (the explorer's own script); None when it is absent.

    A measure() or run() returning figures is used as is; otherwise its command line, main(), is
    called with `--repeats` and what it prints becomes the report.
    """
    path = ROOT / "benchmarks" / "explorer_latency.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("explorer_latency", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pickling look a module up by name
    spec.loader.exec_module(module)
    function = next(
        (getattr(module, name) for name in ("measure", "run") if callable(getattr(module, name, None))), None
    )
    printed = io.StringIO()
    saved_argv = sys.argv
    try:
        with redirect_stdout(printed):
            if function is not None:
                returned = function()
            elif callable(getattr(module, "main", None)):
                sys.argv = [str(path), "--repeats", str(repeats)]  # main() reads its options from argv
                returned = module.main()
            else:
                return {"returned": None, "printed": "explorer_latency.py has no measure(), run() or main()"}
    finally:
        sys.argv = saved_argv
    return {"returned": _plain(returned), "printed": printed.getvalue().strip()}


def _plain(value):
    """JSON-friendly copy of whatever explorer_latency returned."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value if isinstance(value, (int, float, str, bool, type(None))) else repr(value)


def notebook_paths():
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def time_notebook(path, timeout=300):
    """Execute a copy of the notebook in a fresh kernel (the file is never written).

    Returns total seconds (kernel start to shutdown) and the seconds spent in cells.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,  # nbclient 0.11 fails on Output widgets without it
        record_timing=True,
    )
    error = None
    with tempfile.TemporaryFile("w+") as kernel_stderr:  # the kernel's start-up chatter, kept off the table
        start = time.perf_counter()
        try:
            client.execute(stderr=kernel_stderr)
        except CellExecutionError as exc:
            error = str(exc).strip().splitlines()[-1][:200]
        except Exception as exc:  # a kernel that dies: say so, and show what it printed
            kernel_stderr.seek(0)
            error = f"{type(exc).__name__}: {exc} {kernel_stderr.read()[-300:]}".strip()
        total = time.perf_counter() - start
    return {"notebook": path.name, "total_s": total, "cells_s": _cell_seconds(nb), "error": error}


def _cell_seconds(nb):
    from datetime import datetime

    seconds = 0.0
    for cell in nb.cells:
        stamps = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in stamps and "shell.execute_reply" in stamps:
            begin, end = (
                datetime.fromisoformat(stamps[k].replace("Z", "+00:00"))
                for k in ("iopub.execute_input", "shell.execute_reply")
            )
            seconds += (end - begin).total_seconds()
    return seconds


def run_nbval():
    start = time.perf_counter()
    out = subprocess.run([sys.executable, *NBVAL_COMMAND], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    return {"seconds": elapsed, "returncode": out.returncode, "summary": lines[-1] if lines else ""}


def profile_library(n, budget):
    """Where self_attention's time goes, stage by stage, beside the same stage of bare_attention.

    Calls the library's private helpers, so it follows attention.py as it is today; a stage
    whose helper is gone is left out.
    """
    from selfattn_lib import attention

    X, W_q, W_k, W_v = inputs(n)
    Q, K, V = X @ W_q, X @ W_k, X @ W_v
    scores = attention.attention_scores(Q, K)
    mask = attention.causal_mask(n)
    weights = attention.softmax(scores, mask)
    output = weights @ V
    check_inputs = getattr(attention, "_check_inputs", None)
    check_finite = getattr(attention, "_check_finite", None)

    def bare_softmax():
        masked = np.where(mask, scores, -np.inf)
        e = np.exp(masked - masked.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    stages = {  # stage -> (library call, bare call or None)
        # self_attention checks shapes and types up front, finiteness once on the scores and V
        "input checks (shapes, types)": (check_inputs and (lambda: check_inputs(X, W_q, W_k, W_v, finite=False)), None),
        "projections X W (x3)": (
            lambda: [attention.project(X, W) for W in (W_q, W_k, W_v)],
            lambda: [X @ W for W in (W_q, W_k, W_v)],
        ),
        "scores Q K^T / sqrt(d_k)": (lambda: attention.attention_scores(Q, K), lambda: Q @ K.T / math.sqrt(K.shape[1])),
        "finite check scores, V": (
            check_finite and (lambda: (check_finite("the scores", scores), check_finite("V", V))),
            None,
        ),
        "causal mask": (lambda: attention.causal_mask(n), lambda: np.tri(n, dtype=bool)),
        "masked softmax": (lambda: attention.softmax(scores, mask), bare_softmax),
        "weights V": (lambda: attention.combine_values(weights, V), lambda: weights @ V),
        "AttentionResult": (lambda: attention.AttentionResult(Q, K, V, scores, weights, output, K.shape[1]), None),
    }
    candidates = {}
    for stage, (library, bare) in stages.items():
        if library:
            candidates[("library", stage)] = library
        if bare:
            candidates[("bare", stage)] = bare
    times = interleaved(candidates, budget, max_repeats=200)
    rows = [
        {
            "stage": stage,
            "library_s": median(times[("library", stage)]) if ("library", stage) in times else None,
            "bare_s": median(times[("bare", stage)]) if ("bare", stage) in times else None,
        }
        for stage in stages
    ]
    rows.append(
        {
            "stage": "sum of the stages",
            "library_s": sum(r["library_s"] or 0.0 for r in rows),
            "bare_s": sum(r["bare_s"] or 0.0 for r in rows),
        }
    )
    return rows


# ---------------------------------------------------------------- reporting


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        names = [
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": f"{blas.get('name', '?')} {blas.get('version', '')}".strip(),
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "clock": "cpu time" if clock is CLOCK["cpu"] else "wall time",
        "load_before": _load(),
    }


def _load():
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def format_table(title, headers, rows):
    """A plain-text table: title, header, a rule, one line per row; columns right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(headers))]
    lines = [title, "  ".join(h.rjust(w) for h, w in zip(cells[0], widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.rjust(w) for c, w in zip(line, widths)) for line in cells[1:]]
    return "\n".join(lines)


def ms(seconds):
    if seconds is None:
        return "-"
    value = seconds * 1e3
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def mib(size):
    return f"{size / 2**20:.2f}"


def tables(results):
    out = []
    for n, rows in results.get("profile", {}).items():
        out.append(
            format_table(
                f"profile of self_attention at n = {n} (microseconds per call, median; each stage timed on its "
                f"own, so the sum differs from a whole call: item 1 has those)",
                ["stage", "library us", "bare us"],
                [
                    [
                        r["stage"],
                        "-" if r["library_s"] is None else f"{r['library_s'] * 1e6:.1f}",
                        "-" if r["bare_s"] is None else f"{r['bare_s'] * 1e6:.1f}",
                    ]
                    for r in rows
                ],
            )
        )
    if "bare" in results:
        out.append(
            format_table(
                f"1. self_attention vs bare numpy (d_model = d_k = d_v = {D}, causal; "
                f"ratio = median of per-round ratios, goal <= {GOAL_RATIO})",
                ["n", "library ms", "bare ms", "ratio", "25-75 %", "goal", "rounds"],
                [
                    [
                        r["n"],
                        ms(r["library_s"]),
                        ms(r["bare_s"]),
                        f"{r['ratio']:.2f}",
                        f"{r['ratio_q25']:.2f}-{r['ratio_q75']:.2f}",
                        "met" if r["goal_met"] else "MISSED",
                        r["rounds"],
                    ]
                    for r in results["bare"]
                ],
            )
        )
    if "parallel" in results:
        out.append(
            format_table(
                f"2. per-token loop vs matrix form vs RNN recurrence h_t = tanh(x_t W + h_{{t-1}} U), width {D}",
                ["n", "loop ms", "matrix ms", "RNN ms", "loop/matrix", "RNN/matrix"],
                [
                    [
                        r["n"],
                        ms(r["loop_s"]),
                        ms(r["matrix_s"]),
                        ms(r["rnn_s"]),
                        "-" if r["loop_over_matrix"] is None else f"{r['loop_over_matrix']:.0f}",
                        f"{r['rnn_over_matrix']:.2f}",
                    ]
                    for r in results["parallel"]
                ],
            )
        )
    if "scores" in results:
        fits = results["score_fits"]
        out.append(
            format_table(
                "3. score matrix Q K^T / sqrt(d_k) and the whole pass: time and peak memory "
                f"(fitted exponents on n = {', '.join(map(str, fits['fitted_on']))})",
                [
                    "n",
                    "scores ms",
                    "scores peak MiB",
                    "full pass ms",
                    "full peak MiB",
                    "full peak / (8 n^2)",
                    "bare peak / (8 n^2)",
                ],
                [
                    [
                        r["n"],
                        ms(r["scores_s"]),
                        mib(r["scores_peak_bytes"]),
                        ms(r["full_s"]),
                        mib(r["full_peak_bytes"]),
                        f"{r['full_peak_bytes'] / (8 * r['n'] ** 2):.2f}",
                        f"{r['bare_peak_bytes'] / (8 * r['n'] ** 2):.2f}",
                    ]
                    for r in results["scores"]
                ]
                + [
                    [
                        "exponent",
                        f"{fits['scores_s']:.2f}",
                        f"{fits['scores_peak_bytes']:.2f}",
                        f"{fits['full_s']:.2f}",
                        f"{fits['full_peak_bytes']:.2f}",
                        "",
                        "",
                    ]
                ],
            )
        )
    if "import" in results:
        r = results["import"]
        out.append(
            format_table(
                f"4. import cost in a fresh process (median of {r['repeats']})",
                ["measure", "ms"],
                [
                    ["python -c pass (process)", ms(r["python -c pass"])],
                    ["python -c 'import numpy' (process)", ms(r["import numpy"])],
                    ["python -c 'import selfattn_lib' (process)", ms(r["import selfattn_lib"])],
                    ["-X importtime: numpy", ms(r["importtime_numpy_s"])],
                    ["-X importtime: selfattn_lib (includes numpy)", ms(r["importtime_selfattn_lib_s"])],
                    ["selfattn_lib beyond numpy", ms(r["importtime_selfattn_lib_s"] - r["importtime_numpy_s"])],
                ],
            )
        )
    if "explorer" in results:
        e = results["explorer"]
        if e is None:
            out.append("5. explorer latency: not available")
        else:
            body = e.get("printed") or json.dumps(e.get("returned"), indent=2)
            out.append("5. explorer update latency (benchmarks/explorer_latency.py)\n" + body)
    if "notebooks" in results:
        rows = [
            [r["notebook"], f"{r['total_s']:.1f}", f"{r['cells_s']:.1f}", r["error"] or "ok"]
            for r in results["notebooks"]
        ]
        rows.append(
            [
                "all notebooks",
                f"{sum(r['total_s'] for r in results['notebooks']):.1f}",
                f"{sum(r['cells_s'] for r in results['notebooks']):.1f}",
                "",
            ]
        )
        out.append(
            format_table(
                "6. notebooks, each in a fresh kernel (not written back)",
                ["notebook", "total s", "in cells s", "status"],
                rows,
            )
        )
    if "nbval" in results:
        r = results["nbval"]
        out.append(f"6. whole nbval run: {r['seconds']:.1f} s, exit code {r['returncode']} ({r['summary']})")
    return "\n\n".join(out)


def plot(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(17, 9.5), constrained_layout=True)
    m = results["machine"]
    fig.suptitle(
        f"What self-attention costs, measured ({m['cpu']}, {m['cores']} cores, numpy {m['numpy']}, "
        f"BLAS threads: {m['blas_threads']}, items 1-3 in {m.get('clock', 'wall time')})",
        fontsize=14,
    )

    ax = axes[0, 0]
    if "bare" in results:
        rows = results["bare"]
        labels = [str(r["n"]) for r in rows]
        bars = ax.bar(
            labels, [r["ratio"] for r in rows], color=["#4c72b0" if r["goal_met"] else "#c44e52" for r in rows]
        )
        ax.errorbar(
            labels,
            [r["ratio"] for r in rows],
            fmt="none",
            ecolor="black",
            capsize=4,
            yerr=[[r["ratio"] - r["ratio_q25"] for r in rows], [r["ratio_q75"] - r["ratio"] for r in rows]],
        )
        ax.bar_label(
            bars,
            [f"x{r['ratio']:.2f}\n{ms(r['library_s'])} vs\n{ms(r['bare_s'])} ms" for r in rows],
            label_type="center",
            color="white",
            fontsize=9,
        )
        ax.axhline(GOAL_RATIO, color="black", linestyle="--", label=f"goal: {GOAL_RATIO}")
        ax.axhline(1.0, color="grey", linewidth=0.8)
        ax.set_ylim(0, max([GOAL_RATIO] + [r["ratio_q75"] for r in rows]) * 1.15)
        _axes(
            ax,
            "1. self_attention time / bare numpy time\n(bar: median, whisker: 25-75 %)",
            "n (tokens)",
            "ratio (1 = same speed)",
        )

    ax = axes[0, 1]
    if "parallel" in results:
        rows = results["parallel"]
        looped = [r for r in rows if r["loop_s"] is not None]
        ax.loglog([r["n"] for r in looped], [r["loop_s"] * 1e3 for r in looped], "^-", label="per-token loop")
        ax.loglog([r["n"] for r in rows], [r["matrix_s"] * 1e3 for r in rows], "o-", label="matrix form")
        ax.loglog(
            [r["n"] for r in rows], [r["rnn_s"] * 1e3 for r in rows], "s--", label="RNN recurrence (n steps in a row)"
        )
        _axes(ax, "2. Loop vs matrix form vs RNN", "n (tokens)", "time per call (ms)", ns=[r["n"] for r in rows])

    for ax, key, peak, unit, title in (
        (axes[0, 2], "scores_s", "full_s", "ms", "3. Time vs n (log-log fit)"),
        (axes[1, 0], "scores_peak_bytes", "full_peak_bytes", "MiB", "3. Peak memory vs n (tracemalloc)"),
    ):
        if "scores" not in results:
            continue
        rows, fits = results["scores"], results["score_fits"]
        scale = 1e3 if unit == "ms" else 1 / 2**20
        ns = np.array([r["n"] for r in rows], float)
        for k, style, label in ((key, "o-", "score matrix"), (peak, "s--", "whole self_attention")):
            ax.loglog(ns, [r[k] * scale for r in rows], style, label=f"{label}: fitted n^{fits[k]:.2f}")
        last = rows[-1][key] * scale
        ax.loglog(ns, last * (ns / ns[-1]) ** 2, ":", color="grey", label="n^2 for reference")
        _axes(
            ax,
            title,
            "n (tokens)",
            f"{'time per call' if unit == 'ms' else 'peak memory'} ({unit})",
            ns=[r["n"] for r in rows],
        )

    ax = axes[1, 1]
    if "import" in results:
        r = results["import"]
        labels = ["python -c pass", "import numpy", "import selfattn_lib"]
        values = [r[k] * 1e3 for k in labels]
        bars = ax.barh(labels, values, color=["#999999", "#4c72b0", "#dd8452"])
        ax.bar_label(bars, [f"{v:.0f} ms" for v in values], padding=3)
        ax.invert_yaxis()
        ax.set_xlim(0, max(values) * 1.25)
        own = (r["importtime_selfattn_lib_s"] - r["importtime_numpy_s"]) * 1e3
        _axes(
            ax,
            f"4. Fresh process, import cost\n(-X importtime: selfattn_lib's own modules {own:.0f} ms)",
            "wall time of the process (ms)",
            None,
            legend=False,
        )

    ax = axes[1, 2]
    if "notebooks" in results:
        rows = results["notebooks"]
        labels = [r["notebook"].removesuffix(".ipynb") for r in rows]
        bars = ax.barh(labels, [r["total_s"] for r in rows], color="#4c72b0", label="total (kernel start included)")
        ax.barh(labels, [r["cells_s"] for r in rows], color="#dd8452", height=0.5, label="in cells")
        ax.bar_label(bars, [f"{r['total_s']:.1f} s" for r in rows], padding=3)
        ax.invert_yaxis()
        ax.set_xlim(0, max([r["total_s"] for r in rows] + [1]) * 1.3)
        title = "6. Notebook execution, fresh kernel"
        if "nbval" in results:
            title += f"\nwhole nbval run: {results['nbval']['seconds']:.0f} s"
        _axes(ax, title, "seconds", None)
    else:
        ax.axis("off")
        ax.text(0.5, 0.5, "notebooks not timed (--skip-notebooks / --quick)", ha="center", va="center")

    explorer = results.get("explorer")
    if explorer and explorer.get("printed"):
        lines = [line for line in explorer["printed"].splitlines() if not line.startswith("machine:")]
        fig.get_layout_engine().set(rect=(0, 0.02 * (len(lines) + 2), 1, 1 - 0.02 * (len(lines) + 2)))
        fig.text(
            0.01,
            0.005,
            "5. explorer update latency (benchmarks/explorer_latency.py)\n" + "\n".join(lines),
            fontsize=9,
            family="monospace",
            va="bottom",
        )
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _axes(ax, title, xlabel, ylabel, legend=True, ns=None):
    ax.set_title(title, fontsize=12)
    if ns is not None:  # label the measured sizes, not powers of ten
        from matplotlib.ticker import NullFormatter

        ax.set_xticks(list(ns), labels=[str(n) for n in ns])
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.grid(True, which="major", alpha=0.4)
    if legend:
        ax.legend(fontsize=9)


def performance_markdown(results, command):
    """The README "Performance" section, filled in from this run."""
    m = results["machine"]
    text = [
        "## Performance",
        "",
        f"Measured on {m['cpu']}, {m['cores']} cores, {m['os']}, Python {m['python']}, "
        f"numpy {m['numpy']} ({m['blas']}, BLAS threads: {m['blas_threads']}; items 1-3 in "
        f"{m['clock']}); "
        f"load average {m['load_before']} before the run. Reproduce with:",
        "",
        "```",
        command,
        "```",
        "",
        "Medians over repeated runs; every comparison is timed side by side in one process. "
        f"d_model = d_k = d_v = {D}, causal mask on.",
        "",
    ]
    if "bare" in results:
        text += ["| n | `self_attention` | bare numpy | ratio (goal <= 1.25) |", "|---:|---:|---:|---:|"]
        text += [
            f"| {r['n']} | {ms(r['library_s'])} ms | {ms(r['bare_s'])} ms | {r['ratio']:.2f} |" for r in results["bare"]
        ] + [""]
    if "parallel" in results:
        text += [
            "The per-token loop follows the chapter's equations one token at a time; the matrix form "
            "does the same arithmetic in a few array operations; the RNN recurrence "
            "h_t = tanh(x_t W + h_{t-1} U) of the same width must take its n steps one after another.",
            "",
            "| n | per-token loop | matrix form | RNN recurrence |",
            "|---:|---:|---:|---:|",
        ]
        text += [
            f"| {r['n']} | {ms(r['loop_s'])}{' ms' if r['loop_s'] else ''} | {ms(r['matrix_s'])} ms | "
            f"{ms(r['rnn_s'])} ms |"
            for r in results["parallel"]
        ] + [""]
    if "scores" in results:
        f = results["score_fits"]
        big = results["scores"][-1]
        text += [
            f"Score matrix: time grows as n^{f['scores_s']:.2f} and peak memory as "
            f"n^{f['scores_peak_bytes']:.2f} (least squares on log-log, n = "
            f"{', '.join(map(str, f['fitted_on']))}); at n = {big['n']} it takes "
            f"{ms(big['scores_s'])} ms and {mib(big['scores_peak_bytes'])} MiB, and the whole pass "
            f"{ms(big['full_s'])} ms and {mib(big['full_peak_bytes'])} MiB at its peak.",
            "",
        ]
    if "import" in results:
        r = results["import"]
        text += [
            f"`import selfattn_lib` in a fresh process: {ms(r['import selfattn_lib'])} ms, against "
            f"{ms(r['import numpy'])} ms for `import numpy` alone ({ms(r['python -c pass'])} ms for an "
            f"empty interpreter); `-X importtime` puts selfattn_lib's own modules at "
            f"{ms(r['importtime_selfattn_lib_s'] - r['importtime_numpy_s'])} ms on top of numpy's "
            f"{ms(r['importtime_numpy_s'])} ms.",
            "",
        ]
    if results.get("explorer") and results["explorer"].get("printed"):
        lines = [line for line in results["explorer"]["printed"].splitlines() if not line.startswith("machine:")]
        text += [
            "Explorer update latency, in the kernel (`benchmarks/explorer_latency.py`):",
            "",
            "```",
            *lines,
            "```",
            "",
        ]
    if "notebooks" in results:
        total = sum(r["total_s"] for r in results["notebooks"])
        text += [
            f"Notebooks, each in a fresh kernel: {total:.1f} s for all "
            f"{len(results['notebooks'])} (slowest: "
            f"{max(results['notebooks'], key=lambda r: r['total_s'])['notebook']}, "
            f"{max(r['total_s'] for r in results['notebooks']):.1f} s)."
        ]
    if "nbval" in results:
        text += [f"The whole nbval run: {results['nbval']['seconds']:.1f} s ({results['nbval']['summary']})."]
    return "\n".join(text).rstrip() + "\n"


# ---------------------------------------------------------------- main


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats, no notebooks")
    parser.add_argument("--skip-notebooks", action="store_true", help="skip item 6 (notebooks and nbval)")
    parser.add_argument("--skip-nbval", action="store_true", help="time the notebooks but not the nbval run")
    parser.add_argument("--skip-explorer", action="store_true", help="skip item 5")
    parser.add_argument(
        "--profile", action="store_true", help="also time self_attention stage by stage beside the bare expression"
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        metavar="N",
        help="restart with OPENBLAS_NUM_THREADS=N (1 steadies figures on a busy machine)",
    )
    parser.add_argument(
        "--cpu-time",
        action="store_true",
        help="time items 1-3 in CPU time of this process, not wall time (with "
        "--blas-threads 1: waiting for a busy CPU is then not counted)",
    )
    parser.add_argument("--out", type=Path, default=OUT, help="where the plot and results go")
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(argv)
    if args.blas_threads and os.environ.get("OPENBLAS_NUM_THREADS") != str(args.blas_threads):
        # OpenBLAS reads its thread count once, when numpy loads: only a fresh process can change it
        threads = str(args.blas_threads)
        env = dict(os.environ, OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads)
        os.execve(sys.executable, [sys.executable, str(Path(__file__).resolve()), *argv], env)
    sizes = QUICK if args.quick else FULL
    global clock
    clock = CLOCK["cpu" if args.cpu_time else "wall"]
    started = time.perf_counter()
    results = {"machine": machine()}

    def step(label, function, *function_args):
        begin = time.perf_counter()
        print(f"[{time.perf_counter() - started:5.1f} s] {label} ...", flush=True)
        value = function(*function_args)
        print(f"          done in {time.perf_counter() - begin:.1f} s", flush=True)
        return value

    if args.profile:
        results["profile"] = {
            n: step(f"profile at n = {n}", profile_library, n, sizes["budget"])
            for n in (sizes["bare_ns"][0], sizes["bare_ns"][-1])
        }
    results["bare"] = step("1. library vs bare", bench_matrix_vs_bare, sizes["bare_ns"], sizes["budget"])
    results["parallel"] = step(
        "2. loop / matrix / RNN", bench_parallel, sizes["parallel_ns"], sizes["loop_max_n"], sizes["budget"]
    )
    results["scores"], results["score_fits"] = step(
        "3. score matrix", bench_score_matrix, sizes["memory_ns"], sizes["budget"]
    )
    results["import"] = step("4. import", bench_import, sizes["import_repeats"])
    if not args.skip_explorer:
        results["explorer"] = step("5. explorer latency", bench_explorer, sizes["explorer_repeats"])
    if not (args.quick or args.skip_notebooks):
        results["notebooks"] = [step(f"6. {p.name}", time_notebook, p) for p in notebook_paths()]
        if not args.skip_nbval:
            results["nbval"] = step("6. nbval", run_nbval)
    results["machine"]["load_after"] = _load()
    results["elapsed_s"] = time.perf_counter() - started

    command = " ".join([".venv/bin/python benchmarks/run.py", *argv])
    print()
    print(f"machine: {results['machine']}")
    print()
    print(tables(results))
    args.out.mkdir(parents=True, exist_ok=True)
    figure = plot(results, args.out / "benchmarks.png")
    (args.out / "results.json").write_text(json.dumps(results, indent=2, default=_plain))
    (args.out / "performance.md").write_text(performance_markdown(results, command))
    print(
        f"\nall done in {results['elapsed_s']:.0f} s; plot: {figure.relative_to(ROOT) if figure.is_relative_to(ROOT) else figure}"
        f"; figures: {args.out / 'results.json'}; README section: {args.out / 'performance.md'}"
    )
    load = results["machine"]["load_before"]
    if load is not None and load > 0.5 * (os.cpu_count() or 1):
        print(
            f"note: load average was {load} before the run: other work shared the CPU, the figures are noisy",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
