"""Lines a test prints for the log (timings, screenshot folders, audit summaries), past pytest's capture.

Run in one process, a line is printed at once. Under pytest-xdist (`make test` runs test files side by
side) a worker's output is never shown, so a worker appends its lines to a file the main process
named (conftest.py), and the main process prints them all in its summary, before the result line.
"""

from __future__ import annotations

import os

REPORT_FILE = "SELFATTN_TEST_REPORT"  # environment variable: where workers append their lines


def say(config, line: str) -> None:
    path = os.environ.get(REPORT_FILE)
    if hasattr(config, "workerinput") and path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(line.rstrip("\n") + "\n")
        return
    capture = config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{line}", flush=True)
