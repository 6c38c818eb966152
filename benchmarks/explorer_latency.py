"""How long the explorer takes, inside the kernel, from a learner's change to every figure redrawn.

    python benchmarks/explorer_latency.py [--repeats N]

For each case it sets a number box's text, as the browser does when a learner presses Enter,
and times the callback until every view (Q/K/V tables, scores and weights heatmap PNG,
contributions PNG, outputs, worked steps) holds the new numbers. Prints medians of wall-clock
and CPU time (CPU time is steadier on a busy machine). Targets (issue 3): <= 50 ms for the
chapter's example, <= 100 ms for 8 tokens with d_model = d_k = d_v = 8.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

import numpy as np

from selfattn_lib.widgets import AttentionExplorer

TARGETS_MS = {"chapter example (3 tokens, d = 4)": 50.0, "8 tokens, d_model = d_k = d_v = 8": 100.0}
EIGHT_WORDS = ["O", "gato", "preto", "correu", "rapidamente", "pelo", "jardim", "ontem"]


def eight_token_explorer() -> AttentionExplorer:
    rng = np.random.default_rng(0)
    config = {
        "tokens": EIGHT_WORDS,
        "X": np.round(rng.normal(0, 1, (8, 8)), 1).tolist(),
        **{name: np.round(rng.normal(0, 0.3, (8, 8)), 1).tolist() for name in ("W_q", "W_k", "W_v")},
        "causal": True, "scaled": True, "focus": 7,
    }
    explorer = AttentionExplorer()
    explorer.load_json(json.dumps(config))
    return explorer


def time_edits(explorer: AttentionExplorer, repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of `repeats` edits, each to a different W^Q box and value."""
    cells = explorer.editors["W_q"].cells
    rows, cols = len(cells), len(cells[0])
    walls, cpus = [], []
    for k in range(repeats + 3):
        r, c = k % rows, (k // rows) % cols
        # up on even visits of a box, down on odd ones: always a real change, values stay small
        step = 0.1 if (k // (rows * cols)) % 2 == 0 else -0.1
        value = round(float(explorer.W_q[r, c]) + step, 2)
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        cells[r][c].value = repr(value)
        wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
        assert explorer.result.Q is not None and explorer.W_q[r, c] == value, "the edit was not applied"
        if k >= 3:  # the first few warm caches (fonts, glyphs)
            walls.append(wall)
            cpus.append(cpu)
    return walls, cpus


def time_focus(explorer: AttentionExplorer, repeats: int) -> list[float]:
    walls = []
    n = explorer.result.n
    for k in range(repeats):
        start = time.perf_counter()
        explorer.focus.value = k % n
        walls.append(time.perf_counter() - start)
    return walls


def time_toggle(explorer: AttentionExplorer, repeats: int) -> list[float]:
    """Causal <-> bidirectional: the heatmaps' layout changes, so their figures are rebuilt."""
    walls = []
    for _ in range(repeats):
        start = time.perf_counter()
        explorer.causal.value = not explorer.causal.value
        walls.append(time.perf_counter() - start)
    return walls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "")
    print(f"{'case':40s} {'edit wall':>10s} {'edit CPU':>9s} {'focus':>8s} {'mask':>8s} {'target':>7s}")
    ok = True
    for name, make in (("chapter example (3 tokens, d = 4)", AttentionExplorer),
                       ("8 tokens, d_model = d_k = d_v = 8", eight_token_explorer)):
        explorer = make()
        walls, cpus = time_edits(explorer, args.repeats)
        focus = time_focus(explorer, max(5, args.repeats // 3))
        toggle = time_toggle(explorer, max(4, args.repeats // 5))
        wall_ms, cpu_ms = 1000 * statistics.median(walls), 1000 * statistics.median(cpus)
        target = TARGETS_MS[name]
        ok &= cpu_ms <= target
        print(f"{name:40s} {wall_ms:8.1f} ms {cpu_ms:6.1f} ms {1000 * statistics.median(focus):5.1f} ms "
              f"{1000 * statistics.median(toggle):5.1f} ms {target:5.0f} ms")
    print(f"medians over {args.repeats} edits of a W^Q box (the target applies to these); 'focus': picking "
          "another focus token; 'mask': causal <-> bidirectional (each layout is drawn once, then reused).")
    print("all within target (CPU time)" if ok else "SOME CASE IS OVER ITS TARGET (CPU time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
