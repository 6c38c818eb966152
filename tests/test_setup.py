"""One source of truth for versions: the pins that `make lab`, CI and Binder install."""
import re
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pins(path):
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            name, _, pinned = line.partition("==")
            assert pinned, f"{path.name}: {line!r} is not pinned with =="
            found[name.strip().lower().replace("_", "-")] = pinned.strip()
    return found


def test_binder_installs_exactly_the_pins_and_the_package():
    lines = [l.strip() for l in (ROOT / "binder/requirements.txt").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    assert lines == ["-r ../requirements.txt", "-e ."]


def test_binder_python_is_the_one_tested():
    runtime = (ROOT / "binder/runtime.txt").read_text().strip()
    assert runtime == f"python-{sys.version_info.major}.{sys.version_info.minor}"


def test_installed_versions_are_the_pinned_ones():
    # The environment the tests run in is the pinned set, so CI tests what learners get.
    wanted = pins(ROOT / "requirements.txt")
    assert {"numpy", "matplotlib", "ipywidgets", "jupyterlab-widgets", "jupyterlab",
            "nbval", "pytest", "hypothesis"} <= set(wanted)
    got = {name: version(name) for name in wanted}
    assert got == wanted


def test_ipywidgets_and_jupyterlab_move_together():
    wanted = pins(ROOT / "requirements.txt")
    assert wanted["ipywidgets"].startswith("8.") and wanted["jupyterlab"].startswith("4.")
    assert wanted["jupyterlab-widgets"].startswith("3.")


def test_makefile_offers_the_two_commands():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "notebooks/00_start_here.ipynb" in makefile
    assert "--nbval" in makefile and "--nbval-current-env" in makefile
    ci = (ROOT / ".ci/run").read_text()
    assert "make test" in ci
