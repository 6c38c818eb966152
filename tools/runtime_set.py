"""Which pinned packages form a learner's (runtime) environment: the one place that says so.

A student's JupyterHub server, Binder and `make lab` need these; the test tools (pytest, nbval,
playwright, ...) are not among them. Today the runtime set is requirements.txt up to its "# tests"
section; when the pins become a hashed lock, only this function changes.

    python tools/runtime_set.py            # prints the runtime pins, one a line (pip -r ready)
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REQUIREMENTS = REPO / "requirements.txt"
# requirements.txt lists the runtime packages first; this comment line opens the test tools.
TESTS_SECTION = "# tests"


def runtime_requirements(path: Path = REQUIREMENTS) -> list[str]:
    """The runtime pins (`name==version`), in file order, without comments or the test sections."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    stripped = [line.strip() for line in lines]
    if TESTS_SECTION not in stripped:
        raise ValueError(
            f"{path}: expected a line {TESTS_SECTION!r} after the runtime packages, found none; "
            "tools/runtime_set.py cannot tell the runtime set from the test tools"
        )
    runtime = stripped[: stripped.index(TESTS_SECTION)]
    return [line for line in runtime if line and not line.startswith("#")]


if __name__ == "__main__":
    sys.stdout.write("".join(f"{pin}\n" for pin in runtime_requirements()))
