"""`import selfattn_lib` is light and changes no global state."""

import json
import subprocess
import sys

PROBE = r"""
import json, random, sys, warnings
import numpy as np
import matplotlib
before = {
    "rc": dict(matplotlib.rcParams), "filters": list(warnings.filters),
    "print": np.get_printoptions(), "np_random": np.random.get_state()[1].tolist(),
    "random": random.getstate(),
}
loaded_before = set(sys.modules)
import selfattn_lib
after = {
    "rc": dict(matplotlib.rcParams), "filters": list(warnings.filters),
    "print": np.get_printoptions(), "np_random": np.random.get_state()[1].tolist(),
    "random": random.getstate(),
}
print(json.dumps({
    "same": {k: before[k] == after[k] for k in before},
    "new_modules": sorted(set(sys.modules) - loaded_before),
}))
"""


def run(code):
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout


def test_import_loads_neither_matplotlib_nor_ipywidgets():
    code = (
        "import sys, selfattn_lib; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('matplotlib', 'ipywidgets', 'IPython')))"
    )
    assert run(code).strip() == "[]"


def test_import_changes_no_global_state():
    report = json.loads(run(PROBE))
    assert all(report["same"].values()), report["same"]
    heavy = [m for m in report["new_modules"] if m.split(".")[0] in ("ipywidgets", "IPython")]
    assert heavy == []


def test_importtime_shows_no_plotting_or_widgets():
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import selfattn_lib"], capture_output=True, text=True, check=True
    )
    assert "selfattn_lib" in out.stderr
    assert "matplotlib" not in out.stderr and "ipywidgets" not in out.stderr


def test_submodules_load_on_first_use():
    code = "import sys, selfattn_lib; m = selfattn_lib.attention; print(selfattn_lib.chapter_example().tokens)"
    assert "gato" in run(code)
