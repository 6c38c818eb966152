"""How long the explorer takes, inside the kernel, and how much widget state it stores.

    python benchmarks/explorer_latency.py [--repeats N] [--heads H]

Cases: the chapter's example (3 tokens, d = 4), 8 tokens and 16 tokens (d_model = d_k = d_v = 8).
'build': a new AttentionExplorer until every view is drawn. 'edit': a number box's text set, as
the browser does when a learner presses Enter, until every view (Q/K/V tables, heatmaps PNG,
contributions PNG, outputs, worked steps) holds the new numbers. 'focus': another focus token.
'mask': causal <-> bidirectional. Medians of wall-clock and CPU time (CPU time is steadier on a
busy machine). 'state': the JSON size of the widget state one explorer adds to a notebook
(ipywidgets' manager state, what `metadata.widgets` stores), and its number of widget models.
'--heads H' (2, 4, ...): the same cases with H heads (one heatmap per head, W^O), set right
after the explorer is made and counted in 'build'. The widget state is the one-head explorer's.
Targets (issue 14): build < 0.5 s (chapter) and < 1 s (8 tokens); focus < 50 ms (8 tokens);
edit < 50 ms (8 tokens) and < 100 ms (16 tokens).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

import ipywidgets
import numpy as np

from selfattn_lib.widgets import AttentionExplorer

WORDS = ["O", "gato", "preto", "correu", "rapidamente", "pelo", "jardim", "ontem",
         "quando", "a", "chuva", "forte", "começou", "de", "repente", "."]
TARGETS_MS = {  # case: (build, edit, focus); None: no target
    "chapter example (3 tokens, d = 4)": (500.0, 50.0, None),
    "8 tokens, d = 8": (1000.0, 50.0, 50.0),
    "16 tokens, d = 8": (None, 100.0, None),
}


def config(n: int) -> str:
    rng = np.random.default_rng(0)
    return json.dumps({
        "tokens": WORDS[:n],
        "X": np.round(rng.normal(0, 1, (n, 8)), 1).tolist(),
        **{name: np.round(rng.normal(0, 0.3, (8, 8)), 1).tolist() for name in ("W_q", "W_k", "W_v")},
        "causal": True, "scaled": True, "focus": n - 1,
    })


def build(n: int | None, heads: int = 1) -> tuple[AttentionExplorer, float, float]:
    """A new explorer on the chapter's example (n None) or on n tokens, with `heads` heads:
    (explorer, wall, CPU)."""
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    if n is None:
        explorer = AttentionExplorer()
    else:
        from selfattn_lib.explorer_state import ExplorerState

        state = ExplorerState.from_json(config(n))
        explorer = AttentionExplorer(example=_Example(state))
    if heads != 1:
        explorer.n_heads.value = heads
        assert explorer.state.n_heads == heads, "the number of heads was refused"
    return explorer, time.perf_counter() - start_wall, time.process_time() - start_cpu


class _Example:
    """What AttentionExplorer(example=...) reads: tokens, X and the three weight matrices."""

    def __init__(self, state):
        self.tokens, self.X, self.W_q, self.W_k, self.W_v = state.tokens, state.X, state.W_q, state.W_k, state.W_v


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
        assert explorer.W_q[r, c] == value, "the edit was not applied"
        if k >= 3:  # the first few warm caches (fonts, glyphs)
            walls.append(wall)
            cpus.append(cpu)
    return walls, cpus


def time_focus(explorer: AttentionExplorer, repeats: int) -> list[float]:
    cpus = []
    n = explorer.state.n  # the result of several heads is a MultiHeadResult
    for k in range(repeats):
        start = time.process_time()
        explorer.focus.value = k % n
        cpus.append(time.process_time() - start)
    return cpus


def time_toggle(explorer: AttentionExplorer, repeats: int) -> list[float]:
    """Causal <-> bidirectional: the heatmaps' layout changes, so their figures are rebuilt once."""
    cpus = []
    for _ in range(repeats):
        start = time.process_time()
        explorer.causal.value = not explorer.causal.value
        cpus.append(time.process_time() - start)
    return cpus


def widget_state_size() -> tuple[int, int]:
    """Bytes of JSON and number of models one new chapter-example explorer stores in a notebook."""
    from ipywidgets.widgets.widget import _instances  # Widget.widgets, without its deprecation warning

    before = set(_instances)
    AttentionExplorer()
    state = ipywidgets.Widget.get_manager_state(drop_defaults=True)["state"]
    mine = {k: v for k, v in state.items() if k not in before}
    return len(json.dumps(mine)), len(mine)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--heads", type=int, default=1, help="number of heads (must divide 4 and 8)")
    args = parser.parse_args()
    load = f"; load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}{load}")
    if args.heads != 1:
        print(f"{args.heads} heads")
    print(f"{'case':36s} {'build CPU':>10s} {'edit wall':>10s} {'edit CPU':>9s} {'focus':>8s} {'mask':>8s}  targets")
    ok = True
    AttentionExplorer()  # fonts and glyph caches warm, as in a kernel that has drawn before
    for name, n in (("chapter example (3 tokens, d = 4)", None), ("8 tokens, d = 8", 8), ("16 tokens, d = 8", 16)):
        builds = [build(n, args.heads) for _ in range(3)]
        explorer = builds[-1][0]
        build_cpu = 1000 * statistics.median(cpu for _, _, cpu in builds)
        walls, cpus = time_edits(explorer, args.repeats)
        focus = 1000 * statistics.median(time_focus(explorer, max(5, args.repeats // 3)))
        toggle = 1000 * statistics.median(time_toggle(explorer, max(4, args.repeats // 5)))
        wall_ms, cpu_ms = 1000 * statistics.median(walls), 1000 * statistics.median(cpus)
        targets = TARGETS_MS[name]
        for measured, target in zip((build_cpu, cpu_ms, focus), targets):
            ok &= target is None or measured <= target
        shown = ", ".join(f"{what} {t:.0f} ms" for what, t in zip(("build", "edit", "focus"), targets) if t)
        print(f"{name:36s} {build_cpu:7.0f} ms {wall_ms:7.1f} ms {cpu_ms:6.1f} ms {focus:5.1f} ms "
              f"{toggle:5.1f} ms  {shown}")
    size, models = widget_state_size()
    print(f"widget state of one explorer (chapter example): {size / 1000:.0f} kB of JSON, {models} widget models")
    print(f"medians: build over 3, edit over {args.repeats} edits of a W^Q box, focus and mask toggles; CPU time.")
    print("all within target (CPU time)" if ok else "SOME CASE IS OVER ITS TARGET (CPU time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
