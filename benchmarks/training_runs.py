"""How long the training runs of notebooks 11 and 12 take (issue 13: each under 20 s on 2 cores).

    .venv/bin/python benchmarks/training_runs.py [--repeats N]

Prints wall-clock and CPU time per run (median of N), and the figures each run produced, so a
change that makes a run slower or changes its outcome shows. One BLAS thread, as the notebooks
use (set before numpy loads; pass OPENBLAS_NUM_THREADS yourself to compare).
"""

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

from selfattn_lib import language_model as lm  # noqa: E402
from selfattn_lib import multihead_training as mt  # noqa: E402


def timed(fn, repeats):
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(
        f"BLAS threads: {os.environ['OPENBLAS_NUM_THREADS']}, load average: "
        f"{', '.join(f'{v:.1f}' for v in os.getloadavg())}"
    )
    print(f"{'run':46s} {'wall s':>7s} {'cpu s':>7s}  outcome")
    runs = [
        (
            "notebook 11: two heads, 200 steps",
            lambda: mt.run_two_relation_experiment(),
            lambda e: f"final loss {e.run.final_loss:.5f}",
        ),
        (
            "notebook 11: one head of the same width",
            lambda: mt.run_two_relation_experiment(n_heads=1, d_k=4, d_v=4),
            lambda e: f"final loss {e.run.final_loss:.5f}",
        ),
        (
            "notebook 12: language model, both trainings",
            lambda: lm.run_lm_experiment(),
            lambda e: f"losses {e.causal.final_loss:.4f} (mask) / {e.unmasked.final_loss:.4f} (none)",
        ),
    ]
    for name, fn, outcome in runs:
        wall, cpu, result = timed(fn, args.repeats)
        print(f"{name:46s} {wall:7.2f} {cpu:7.2f}  {outcome(result)}")


if __name__ == "__main__":
    main()
