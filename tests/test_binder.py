"""The Binder set-up, checked without Docker (issue 5).

- `repo2docker --no-build --debug .` prints the Dockerfile Binder would build: the Python of
  binder/runtime.txt, `pip install -r binder/requirements.txt` before the repository is copied in
  (a cached layer: plain pins from the lock, issue 16), then binder/postBuild (this package).
- The README's Binder badge opens JupyterLab at a notebook that exists.
- JupyterLab renders widgets with no extra step: the widgets front end is a prebuilt extension,
  enabled in a fresh configuration, at the pinned version.

repo2docker is not in the lock (Binder would install it too): it is pinned in the Makefile and
`make binder-tools` installs it (.ci/run does). Without it this file's first tests skip with one line
saying how to run them; with CI=true they fail instead. tests/test_binder_launch.py goes further
(`make binder-launch`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from say import say

REPO = Path(__file__).resolve().parents[1]
BINDER = REPO / "binder"
REPO2DOCKER_PIN = re.search(r"^REPO2DOCKER := (\S+)$", (REPO / "Makefile").read_text(), re.M).group(1)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def requirement_lines(path: Path) -> list[str]:
    """The requirement lines of a pip requirements file, following `-r` as pip does (relative to the file)."""
    lines = []
    for raw in path.read_text().splitlines():
        line = raw.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        include = re.fullmatch(r"(?:-r|--requirement)\s*(\S+)", line)
        if include:
            lines += requirement_lines((path.parent / include.group(1)).resolve())
        else:
            lines.append(line)
    return lines


def pins(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line)
        if match:
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def find_repo2docker() -> str | None:
    beside = Path(sys.executable).parent / "repo2docker"
    return str(beside) if beside.exists() else shutil.which("repo2docker")


@pytest.fixture(scope="module")
def dockerfile(pytestconfig):
    tool = find_repo2docker()
    if tool is None:
        how = (
            f"binder check skipped: repo2docker not installed. To run it: "
            f"make binder-tools (installs {REPO2DOCKER_PIN}), then make test (or bash .ci/run)."
        )
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI=true and {how}")
        say(pytestconfig, how)
        pytest.skip(how)
    done = subprocess.run([tool, "--no-build", "--debug", "."], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"repo2docker failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def test_binder_python_is_the_pinned_one(dockerfile):
    runtime = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", runtime)
    assert match, f"binder/runtime.txt should read like python-3.11, found {runtime!r}"
    version = match.group(1)
    assert f"environment for python={version}" in dockerfile, "repo2docker did not pick runtime.txt's Python"
    # build-script paths are escaped (escapism): "-2e" is ".", "-2d" is "-", "-2f" is "/"
    unescaped = dockerfile.replace("-2e", ".").replace("-2d", "-").replace("-2f", "/")
    assert re.search(rf"COPY .*environment\.py-{re.escape(version)}-linux-64\.lock", unescaped), (
        f"the Dockerfile does not install the Python {version} environment"
    )


def test_binder_installs_the_requirements_before_copying_the_repo_then_runs_post_build(dockerfile):
    lines = dockerfile.splitlines()
    installs = [
        n for n, line in enumerate(lines) if re.search(r"\bpip install\b.*-r \"?binder/requirements\.txt\"?", line)
    ]
    assert installs, "the Dockerfile never runs pip install -r binder/requirements.txt"
    copies = [n for n, line in enumerate(lines) if re.match(r"COPY\b.*\bsrc/ \$\{REPO_DIR\}/", line)]
    assert copies, "the Dockerfile never copies the repository"
    # plain pins install before the repository is copied: a layer Docker reuses until the pins change
    assert installs[-1] < copies[0], "pip install -r binder/requirements.txt runs after the repository is copied"
    post_build = [n for n, line in enumerate(lines) if "binder/postBuild" in line]
    assert post_build and post_build[-1] > copies[0], "binder/postBuild does not run after the copy"
    # binder/ present means repo2docker ignores the root's files; nothing in binder/ may outrank requirements.txt
    for stronger in ("Dockerfile", "environment.yml"):
        assert not (BINDER / stronger).exists(), f"binder/{stronger} would replace requirements.txt"


def test_binder_requirements_hold_the_learners_pins():
    binder_pins = pins(requirement_lines(BINDER / "requirements.txt"))
    learner = pins(requirement_lines(REPO / "requirements/notebooks.in"))
    for name in ("jupyterlab", "ipywidgets", "jupyterlab-widgets", "numpy", "matplotlib", "ipykernel", "notebook"):
        assert name in learner, f"requirements/notebooks.in does not pin {name}"
        assert binder_pins.get(name) == learner[name], f"Binder's {name} differs from requirements/notebooks.in"
    name = re.search(r'^name\s*=\s*"([^"]+)"', (REPO / "pyproject.toml").read_text(), re.M).group(1)
    assert name == "selfattn_lib"


def test_readme_binder_badge_opens_jupyterlab_at_an_existing_notebook():
    readme = (REPO / "README.md").read_text()
    links = re.findall(r"\((https://mybinder\.org/v2/gh/[^)\s]+)\)", readme)
    assert links, "README.md has no Binder link"
    assert "https://mybinder.org/badge_logo.svg" in readme, "README.md has no Binder badge image"
    for link in links:
        parts = urlsplit(link)
        segments = parts.path.split("/")
        assert len(segments) == 6 and all(segments[3:6]), f"expected /v2/gh/OWNER/REPO/REF in {link}"
        urlpath = parse_qs(parts.query).get("urlpath", [""])[0]
        assert urlpath.startswith("lab/tree/"), f"{link} does not open JupyterLab at a file (urlpath=lab/tree/...)"
        target = REPO / unquote(urlpath.removeprefix("lab/tree/"))
        assert target.suffix == ".ipynb" and target.is_file(), f"{link} points at {target}, which does not exist"


def labextension_listing(tmp_path: Path) -> str:
    """`jupyter labextension list` of this environment as a fresh user sees it (as on Binder:
    nothing enabled by hand), without colours; it must succeed."""
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_DATA_DIR=str(tmp_path / "data"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True, text=True, env=env, timeout=120
    )
    listing = ANSI.sub("", done.stdout + done.stderr)
    assert done.returncode == 0, listing
    return listing


def test_jupyterlab_widgets_front_end_is_prebuilt_and_enabled(tmp_path):
    listing = labextension_listing(tmp_path)
    line = next((row for row in listing.splitlines() if "@jupyter-widgets/jupyterlab-manager" in row), None)
    assert line, f"the widgets front end is not installed:\n{listing}"
    # "(python, jupyterlab_widgets)": a prebuilt extension shipped in the pip package, no build step
    assert re.search(r"\benabled\b.*\bOK\b.*\(python, jupyterlab_widgets\)", line), line
    from importlib.metadata import version

    pinned = pins(requirement_lines(REPO / "requirements/notebooks.in"))
    assert version("jupyterlab_widgets") == pinned["jupyterlab-widgets"]
    assert version("ipywidgets") == pinned["ipywidgets"]
    assert version("jupyterlab") == pinned["jupyterlab"]
