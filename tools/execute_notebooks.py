"""Execute notebooks top to bottom in a fresh kernel and store their outputs in place.

    python tools/execute_notebooks.py notebooks/*.ipynb

Cells tagged `raises-exception` may raise (their error is part of the lesson); any other
error stops with a message. Widget state is stored so static viewers can show the views.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path, timeout: int = 300) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
        record_timing=False,  # timestamps would change on every run
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nbformat.write(nb, path)
    return elapsed


def main(paths: list[str]) -> int:
    total = 0.0
    for name in paths:
        path = Path(name)
        elapsed = execute(path)
        total += elapsed
        print(f"{path.name}: executed in {elapsed:.1f} s", flush=True)
    print(f"all {len(paths)} notebook(s): {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
