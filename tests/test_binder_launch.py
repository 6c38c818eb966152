"""A Binder launch, simulated as far as it goes without Docker (issue 16). Run by `make binder-launch`
(and .ci/run), not by `make test`: it builds a whole environment (about 3 minutes here).

1. The base environment repo2docker gives the Python of binder/runtime.txt: the versions of its
   Jupyter packages are read from the conda lock file inside the pinned repo2docker package, so this
   test follows repo2docker upgrades. A fresh venv gets those versions from PyPI, every other Python
   package held to the conda lock's version where PyPI has it (a constraints file; uv installs it,
   standing in for micromamba).
2. binder/ on top, as repo2docker does it: `pip install --no-cache-dir -r binder/requirements.txt`
   (here with pip's cache, to save time; the same files), then binder/postBuild run from a copy of
   the repository. `pip check` must be clean.
3. The server as a Binder container starts it: repo2docker's command `jupyter notebook --ip 0.0.0.0
   --port 8888 --ServerApp.default_url=/lab`, here on 127.0.0.1 and a free port, under a
   /user/NAME/ prefix with a token as Binder's hub gives it.
4. Chromium opens the README badge's urlpath: the first notebook must open with a running kernel
   (of this environment) and run clean, and the explorer notebook must render its widgets.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import browser_helpers as bh
import pytest
from say import say

REPO = Path(__file__).resolve().parents[1]
EXPLORER = "notebooks/09_explorer.ipynb"
# The base environment's own packages (environment.py-3.x.yml in repo2docker); the conda name of the
# hub's single-user server differs from its PyPI name.
CONDA_TO_PYPI = {"jupyterhub-singleuser": "jupyterhub", "jupyterhub-base": "jupyterhub"}
PIP_TIMEOUT = 900  # one install step; minutes only on a machine shared with other jobs


def runtime_python() -> str:
    runtime = (REPO / "binder" / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", runtime)
    assert match, f"binder/runtime.txt should read like python-3.11, found {runtime!r}"
    return match.group(1)


def find_interpreter(version: str) -> str | None:
    """A Python `version` (3.x) that runs: this one's base, pythonX.Y on PATH, or pyenv's."""
    candidates = []
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        candidates.append(str(Path(sys.base_prefix) / "bin" / f"python{version}"))
    candidates.append(shutil.which(f"python{version}"))
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += [str(p / "bin" / f"python{version}") for p in sorted(pyenv.glob(f"{version}.*"), reverse=True)]
    for candidate in filter(None, candidates):
        try:
            done = subprocess.run(
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                timeout=30,
            )
        except OSError:
            continue
        if done.returncode == 0 and done.stdout.strip() == version:
            return candidate
    return None


def badge_urlpath() -> str:
    readme = (REPO / "README.md").read_text()
    links = re.findall(r"\((https://mybinder\.org/v2/gh/[^)\s]+)\)", readme)
    assert links, "README.md has no Binder link"
    paths = {parse_qs(urlsplit(link).query).get("urlpath", [""])[0] for link in links}
    assert len(paths) == 1, f"the README's Binder links open different pages: {paths}"
    return paths.pop()


def conda_lock_packages(lock: Path) -> dict[str, tuple[str, str]]:
    """name -> (version, build) of an explicit conda lock (URLs ending name-version-build.conda#md5)."""
    found = {}
    for line in lock.read_text().splitlines():
        if not line.startswith("https://"):
            continue
        filename = line.split("#")[0].rsplit("/", 1)[1]
        stem = re.sub(r"\.(conda|tar\.bz2)$", "", filename)
        name, version, build = stem.rsplit("-", 2)
        found[name] = (version, build)
    return found


def base_environment_spec(python: str) -> tuple[dict[str, str], dict[str, str]]:
    """(the base environment's top-level Jupyter packages, constraints for the rest), PyPI names,
    from the pinned repo2docker's files for this Python."""
    spec = find_spec("repo2docker")
    if spec is None:
        pytest.fail("repo2docker is not installed here: run `make binder-launch`, which installs the pinned one")
    conda = Path(spec.origin).parent / "buildpacks" / "conda"
    lock, wanted = conda / f"environment.py-{python}-linux-64.lock", conda / f"environment.py-{python}.yml"
    assert lock.is_file() and wanted.is_file(), f"repo2docker has no base environment for Python {python}"
    packages = conda_lock_packages(lock)
    tops = {}
    for line in wanted.read_text().splitlines():
        match = re.match(r"\s*-\s*([A-Za-z0-9_.\-]+)\s*==", line)  # `- jupyterlab==4.*`: Python packages
        if match:
            name = match.group(1)
            tops[CONDA_TO_PYPI.get(name, name)] = packages[name][0]
    assert {"notebook", "jupyterlab", "jupyter_server"} <= set(tops), tops
    # Python packages only (noarch `pyh...` or `py311...` builds); a name PyPI lacks is ignored by pip
    constraints = {
        CONDA_TO_PYPI.get(n, n): v
        for n, (v, build) in packages.items()
        if build.startswith("py") and n not in {"pip", "python"}
    }
    return tops, constraints


def run(command: list[str], cwd: Path, env: dict, what: str, timeout: float = PIP_TIMEOUT) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{what} failed ({' '.join(command)}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def folder_size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


@pytest.fixture(scope="module")
def binder_image(tmp_path_factory, pytestconfig):
    """A copy of the repository and a venv built the way repo2docker builds Binder's image."""
    started = time.perf_counter()
    python = runtime_python()
    interpreter = find_interpreter(python)
    assert interpreter, f"python{python} (binder/runtime.txt) not found on this machine"
    tops, constraints = base_environment_spec(python)
    work = tmp_path_factory.mktemp("binder")
    # what repo2docker copies into the image: the repository's files, not local environments
    repo = work / "repo"
    shutil.copytree(
        REPO,
        repo,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", "__pycache__", ".ipynb_checkpoints", "*.egg-info", "build", ".hypothesis"
        ),
    )
    prefix = work / "srv-conda-envs-notebook"
    run([interpreter, "-m", "venv", str(prefix)], work, dict(os.environ), "creating the venv")
    env = dict(os.environ, PATH=f"{prefix / 'bin'}{os.pathsep}{os.environ['PATH']}", VIRTUAL_ENV=str(prefix))
    env.pop("PYTHONPATH", None)
    pip = [str(prefix / "bin" / "python"), "-m", "pip"]
    (work / "base-constraints.txt").write_text("".join(f"{n}=={v}\n" for n, v in sorted(constraints.items())))
    # micromamba builds the real base environment; uv stands in for it here (several times faster than pip)
    uv = Path(sys.executable).parent / "uv"
    assert uv.exists(), "uv is not installed beside the tests: run `make binder-launch`, which installs the pinned one"
    run(
        [
            str(uv),
            "pip",
            "install",
            "--quiet",
            "--python",
            str(prefix / "bin" / "python"),
            "-c",
            str(work / "base-constraints.txt"),
            *[f"{n}=={v}" for n, v in sorted(tops.items())],
        ],
        work,
        env,
        "installing the base environment",
    )
    base_size = folder_size_mib(prefix)
    # repo2docker: `${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"`,
    # run in the repository folder, before the rest of the repository is copied
    run([*pip, "install", "--quiet", "-r", "binder/requirements.txt"], repo, env, "installing binder/requirements.txt")
    # then, the repository copied: `chmod +x binder/postBuild && ./binder/postBuild`
    run(["./binder/postBuild"], repo, env, "binder/postBuild")
    check = subprocess.run([*pip, "check"], cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    size = folder_size_mib(prefix)
    say(
        pytestconfig,
        f"binder launch: base environment {', '.join(f'{n}=={v}' for n, v in sorted(tops.items()))}; "
        f"{base_size:.0f} MiB, {size:.0f} MiB with binder/ installed; "
        f"built in {time.perf_counter() - started:.0f} s",
    )
    return {
        "repo": repo,
        "prefix": prefix,
        "env": env,
        "pip_check": check,
        "work": work,
        "started": started,
        "tops": tops,
    }


def test_binder_environment_is_consistent(binder_image):
    check = binder_image["pip_check"]
    assert check.returncode == 0, f"pip check in the Binder environment:\n{check.stdout}{check.stderr}"
    freeze = run(
        [str(binder_image["prefix"] / "bin" / "python"), "-m", "pip", "freeze"],
        binder_image["repo"],
        binder_image["env"],
        "pip freeze",
    )
    names = {re.split(r"[=@ ]", line, maxsplit=1)[0].lower().replace("_", "-") for line in freeze.splitlines()}
    # the learner's set is there, this package too (postBuild), and no test tool
    assert {"jupyterlab", "notebook", "ipywidgets", "matplotlib", "jupytext", "selfattn-lib"} <= names, names
    assert not names & {"pytest", "playwright", "hypothesis", "nbval", "jupyter-repo2docker"}, names & {
        "pytest",
        "playwright",
        "hypothesis",
        "nbval",
        "jupyter-repo2docker",
    }


class BinderServer(bh.LabServer):
    """The server a Binder container runs: `jupyter notebook` from the image's environment."""

    prefix_path = "/user/learner/"

    def __init__(self, root_dir: Path, work_dir: Path, environment_prefix: Path, env: dict):
        super().__init__(root_dir, work_dir)
        self.environment_prefix = environment_prefix
        self.env = env

    @property
    def base_url(self) -> str:
        return f"http://{bh.LOCAL_HOST}:{self.port}{self.prefix_path.rstrip('/')}"

    def _environment(self) -> dict:
        env = super()._environment()  # private settings, runtime and config folders
        env.update(PATH=self.env["PATH"], VIRTUAL_ENV=self.env["VIRTUAL_ENV"])
        return env

    name = "the server"

    def command(self) -> list[str]:
        return [
            str(self.environment_prefix / "bin" / "jupyter"),
            "notebook",
            f"--ip={bh.LOCAL_HOST}",
            f"--port={self.port}",
            "--ServerApp.default_url=/lab",  # repo2docker's run command
            f"--ServerApp.base_url={self.prefix_path}",
            f"--IdentityProvider.token={self.token}",  # the hub's
            "--no-browser",
            "--ServerApp.port_retries=0",
            "--ServerApp.allow_root=True",  # this machine's
            "--LabApp.expose_app_in_browser=True",  # the test's: window.jupyterapp, for browser_helpers
        ]

    def start(self, timeout: float = 300.0) -> None:  # minutes only on a busy machine
        super().start(timeout)


@pytest.fixture(scope="module")
def server(binder_image):
    if bh.browser_missing():
        pytest.fail(f"the Binder launch needs the browser: {bh.browser_missing()}")
    with BinderServer(
        binder_image["repo"], binder_image["work"] / "server", binder_image["prefix"], binder_image["env"]
    ) as lab:
        yield lab


@pytest.fixture(scope="module")
def page(server, pytestconfig):
    from playwright.sync_api import sync_playwright

    guard = bh.NetworkGuard()
    with sync_playwright() as playwright:
        browser = bh.launch_browser(playwright)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        guard.attach(context)
        page = context.new_page()
        guard.watch(page)
        yield page
        context.close()
        browser.close()
    assert not guard.blocked, f"the page tried to reach the network: {guard.blocked[:5]}"


def test_the_badge_opens_the_first_notebook_with_a_kernel_of_the_binder_environment(server, page, binder_image):
    urlpath = badge_urlpath()
    assert urlpath.startswith("lab/tree/"), urlpath
    notebook = urlpath.removeprefix("lab/tree/")
    bh.open_notebook(page, server, notebook, timeout_ms=90_000)
    page.wait_for_function(bh._KERNEL_IDLE, timeout=90_000)
    # the kernel is the one the server's environment provides, not the test's
    specs = server.api("GET", "api/kernelspecs")
    argv = specs["kernelspecs"][specs["default"]]["spec"]["argv"]
    assert Path(argv[0]).resolve().is_relative_to(binder_image["prefix"].resolve()) or argv[0] == "python", argv
    bh.run_all_cells(page)
    assert bh.problems(bh.cell_report(page)) == []


def test_the_explorer_notebook_renders_its_widgets(server, page, binder_image, pytestconfig):
    server.shutdown_kernels()
    bh.open_notebook(page, server, EXPLORER, timeout_ms=90_000)
    bh.run_all_cells(page)
    bh.wait_for_widget_views(page)
    bh.wait_for_images(page)
    cells = bh.cell_report(page)
    assert bh.problems(cells) == []
    assert sum(cell["widget_views"] for cell in cells) >= 1, "no widget view rendered"
    assert page.locator(".selfattn-explorer").count() >= 1, "the explorer did not render"
    assert page.locator('.selfattn-explorer figure.selfattn-heatmap[data-name="weights"] td').count() >= 9
    say(
        pytestconfig, f"binder launch: done {time.perf_counter() - binder_image['started']:.0f} s after the build began"
    )
