"""Running the page module's pure functions in node from pytest (tests/explorer_node.mjs)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from selfattn_lib.explorer.payload import strings_for
from selfattn_lib.explorer.state import RULES

HERE = Path(__file__).resolve().parent
NODE = shutil.which("node")


def need_node():
    if NODE is None:
        import os

        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("CI=true and node is not installed (apt-get install nodejs)")
        pytest.skip("node is not installed: the page module's arithmetic cannot be checked here")


def run_page(cases: list[dict]) -> list[dict]:
    """The page module's answer to each case (see explorer_node.mjs for the ops)."""
    need_node()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump({"rules": RULES, "strings": {lang: strings_for(lang) for lang in ("en", "pt")}, "cases": cases}, f)
        path = f.name
    try:
        done = subprocess.run(
            [NODE, str(HERE / "explorer_node.mjs"), path], capture_output=True, text=True, timeout=120, check=False
        )
    finally:
        Path(path).unlink()
    assert done.returncode == 0, done.stderr[-3000:]
    answers = json.loads(done.stdout)
    assert len(answers) == len(cases)
    return answers
