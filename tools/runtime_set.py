"""Which pinned packages form a learner's (runtime) environment: the one place that says so.

A student's JupyterHub server, Binder and `make lab` need these; the test tools (pytest, nbval,
playwright, ...) are not among them. The runtime set is `binder/requirements.txt`: `make lock`
writes it from `requirements/notebooks.in` and the hashed lock, as plain pins.

    python tools/runtime_set.py            # prints the runtime pins, one a line (pip -r ready)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNTIME = REPO / "binder" / "requirements.txt"
PIN = re.compile(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.+!]*(\s*;.*)?")


def runtime_requirements(path: Path = RUNTIME) -> list[str]:
    """The runtime pins (`name==version`), in file order, without comments."""
    lines = [line.split(" #")[0].strip() for line in Path(path).read_text(encoding="utf-8").splitlines()]
    pins = [line for line in lines if line and not line.startswith("#")]
    bad = [line for line in pins if not PIN.fullmatch(line)]
    if bad:
        raise ValueError(f"{path}: expected plain pins (name==version, as `make lock` writes them); got {bad[0]!r}")
    return pins


if __name__ == "__main__":
    sys.stdout.write("".join(f"{pin}\n" for pin in runtime_requirements()))
