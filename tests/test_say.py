"""A line a test reports (say.py) reaches the log whether the tests run in one process or side by side."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize("parallel", [[], ["-n", "2"]], ids=["one process", "two workers"])
def test_a_reported_line_reaches_the_log(tmp_path, parallel):
    (tmp_path / "conftest.py").write_text((TESTS / "conftest.py").read_text())
    (tmp_path / "test_reporting.py").write_text(
        "from say import say\n\n"
        "def test_one(pytestconfig):\n    say(pytestconfig, 'median edit latency 12.3 ms')\n\n"
        "def test_two(pytestconfig):\n    say(pytestconfig, 'screenshots: /tmp/x')\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *parallel, str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(TESTS)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "median edit latency 12.3 ms" in done.stdout
    assert "screenshots: /tmp/x" in done.stdout
