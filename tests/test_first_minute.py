"""A learner's first minute and a teacher's right to reuse (issue 23), outside the browser.

make: `make help`, one sentence for a missing or too old Python, `make lab` installing the learner's
set only with one timed line per step. The top-level requirements.txt, in step with the lock. A
module that needs the [notebooks] extra, and a notebook whose library is missing, each saying in one
sentence what to install. The environment's JupyterLab settings. Licences, citation, changelog and
the version in one place. Links inside notebooks that stay inside the repository.
(tests/test_lab_setup.py checks what the settings do, in a real browser.)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from test_binder import labextension_listing
from test_setup import LOCK, normalize, parse_lock

import selfattn_lib

REPO = Path(__file__).resolve().parents[1]
LEARNER = REPO / "requirements.txt"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb")) + sorted((REPO / "notebooks" / "pt").glob("*.ipynb"))
TEST_TOOLS = ("pytest", "hypothesis", "nbval", "playwright", "axe-playwright-python", "pytest-xdist", "ruff")


def make(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", "-C", str(REPO), *args], capture_output=True, text=True, **kwargs)


# --- make -----------------------------------------------------------------------------------


def test_make_help_lists_every_target_and_is_the_default():
    targets = re.findall(r"^([a-z][a-z-]*):", (REPO / "Makefile").read_text(), flags=re.MULTILINE)
    shown = make().stdout
    assert shown == make("help").stdout
    for target in set(targets) - {"help"}:
        assert re.search(rf"^make {re.escape(target)}\b", shown, flags=re.MULTILINE), (
            f"make help does not list {target}"
        )


def test_a_missing_python_gets_one_clear_sentence():
    result = make("lab", "PYTHON=python3.99")
    assert result.returncode != 0
    said = (result.stdout + result.stderr).strip().splitlines()
    assert len(said) == 1, said
    assert "python3.99 was not found" in said[0] and "3.11, 3.12 or 3.13" in said[0]
    assert "/bin/sh" not in said[0] and ".venv" not in said[0]


def test_a_too_old_python_gets_one_clear_sentence(tmp_path):
    old = tmp_path / "python3.9"  # answers as Python 3.9 would
    old.write_text("#!/bin/sh\ncase \"$2\" in *'>= (3, 11)'*) echo False;; *) echo 3.9;; esac\n")
    old.chmod(0o755)
    result = make("test", f"PYTHON={old}")
    said = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode != 0 and len(said) == 1, said
    assert "is Python 3.9, too old" in said[0] and "3.11, 3.12 or 3.13" in said[0]


def test_make_lab_installs_the_learners_set_only_and_make_test_adds_the_test_tools(tmp_path):
    venv = tmp_path / "venv"
    lab = make("-n", "lab", f"VENV={venv}").stdout
    assert "-r requirements.txt" in lab and "requirements/lock.txt" not in lab, lab
    test = make("-n", "test", f"VENV={venv}").stdout
    assert "-r requirements.txt" in test and "-r requirements/lock.txt" in test, test
    learner = {normalize(n) for n in re.findall(r"^([A-Za-z0-9][\w.\-]*)==", LEARNER.read_text(), flags=re.MULTILINE)}
    assert "jupyterlab" in learner and "numpy" in learner
    assert not learner & {normalize(t) for t in TEST_TOOLS}, learner & set(TEST_TOOLS)


def test_the_first_install_says_each_step_and_its_time(tmp_path):
    # the real steps, with pip replaced by `true` (the packages themselves are make test's business)
    venv = tmp_path / "venv"
    result = make(f"{venv}/.lab-stamp", f"VENV={venv}", "PIP=true", timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3, lines
    assert lines[0].startswith(f"Creating the environment {venv}")
    assert lines[1].startswith("Installing the learner's packages from requirements.txt")
    assert lines[2].startswith("Installing selfattn_lib and the course's JupyterLab settings")
    for line in lines:
        assert re.search(r" \.\.\. done in \d+ s$", line), line


# --- requirements.txt, in step with the lock ------------------------------------------------


def learner_entries() -> list[dict]:
    return parse_lock(LEARNER.read_text())


def test_requirements_txt_is_the_learners_set_from_the_lock_with_hashes():
    text = LEARNER.read_text()
    assert "make lock" in text.splitlines()[1], "requirements.txt should name the command that writes it"
    locked = {(e["name"], e["version"], e["marker"]): e for e in parse_lock(LOCK.read_text())}
    learner = learner_entries()
    assert learner, "requirements.txt is empty"
    for entry in learner:
        assert entry["hashes"], f"requirements.txt: {entry['name']} has no hash (pip -r needs every one)"
        key = (entry["name"], entry["version"], entry["marker"])
        assert key in locked, (
            f"requirements.txt has {entry['name']}=={entry['version']}, the lock does not; run make lock"
        )
        assert set(entry["hashes"]) == set(locked[key]["hashes"]), f"{entry['name']}: hashes differ from the lock"
    # the same set Binder installs (binder/requirements.txt: plain pins of requirements/notebooks.in)
    binder = {
        normalize(line.split("==")[0])
        for line in (REPO / "binder" / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert binder <= {e["name"] for e in learner}, binder - {e["name"] for e in learner}


# --- the [notebooks] extra, and a notebook without its library ---------------------------------

BLOCK = r"""
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] in {BLOCKED}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Block())
"""


def without(modules: set[str], code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO / "tests"))
    return subprocess.run(
        [sys.executable, "-c", BLOCK.format(BLOCKED=sorted(modules)) + code],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )


EXTRA = {"matplotlib", "ipywidgets", "IPython", "PIL", "anywidget"}


def test_without_the_extra_a_module_that_needs_it_says_which_extra_to_install():
    result = without(
        EXTRA,
        """
import selfattn_lib, selfattn_lib._extras as extras
ex = selfattn_lib.chapter_example()
print(selfattn_lib.self_attention(ex.X, ex.W_q, ex.W_k, ex.W_v).weights.shape)
try:
    import selfattn_lib.widgets
except extras.MissingExtra as error:
    print("MESSAGE", error)
""",
    )
    assert result.returncode == 0, result.stderr
    assert "(3, 3)" in result.stdout  # the math works without the extra
    message = result.stdout.split("MESSAGE ", 1)[1].strip()
    assert message.startswith("selfattn_lib.") and "[notebooks] extra" in message
    assert "pip install 'selfattn_lib[notebooks]'" in message


def test_without_the_extra_every_module_imports_or_names_the_extra():
    modules = sorted(p.stem for p in (REPO / "selfattn_lib").glob("*.py") if not p.stem.startswith("_"))
    result = without(
        EXTRA,
        f"""
import importlib, json, selfattn_lib._extras as extras
out = {{}}
for name in {modules!r}:
    try:
        importlib.import_module("selfattn_lib." + name)
        out[name] = "ok"
    except extras.MissingExtra as error:
        out[name] = "extra"
    except Exception as error:
        out[name] = f"{{type(error).__name__}}: {{error}}"
print(json.dumps(out))
""",
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    bad = {name: what for name, what in outcome.items() if what not in ("ok", "extra")}
    assert bad == {}, bad
    assert outcome["attention"] == "ok" and outcome["widgets"] == "extra"


def first_code_cell(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "".join(next(c for c in cells if c["cell_type"] == "code")["source"])


@pytest.fixture(scope="module")
def first_cells_without_the_library():
    """Every notebook's first cell, run in one Jupyter kernel in which selfattn_lib cannot be imported
    (as in Colab, or a notebook downloaded on its own): what each shows, as Jupyter stores it."""
    import nbformat
    from nbclient import NotebookClient

    cells = [nbformat.v4.new_code_cell(BLOCK.format(BLOCKED=["selfattn_lib"]))]
    cells += [nbformat.v4.new_code_cell(first_code_cell(path)) for path in NOTEBOOKS]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(
        notebook,
        timeout=120,
        allow_errors=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(REPO / "notebooks")}},
    ).execute()
    return {path: cell.outputs for path, cell in zip(NOTEBOOKS, notebook.cells[1:])}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO / "notebooks")))
def test_a_notebook_without_its_library_says_how_to_get_it_in_one_sentence(path, first_cells_without_the_library):
    outputs = first_cells_without_the_library[path]
    assert [o["output_type"] for o in outputs] == ["error"], outputs
    shown = outputs[0]["traceback"]  # what JupyterLab shows for an error: these lines, nothing else
    assert len(shown) == 1 and "Traceback" not in shown[0] and "\n" not in shown[0], shown
    expected = "Este notebook precisa" if path.parent.name == "pt" else "This notebook needs"
    assert expected in shown[0], shown
    assert '%pip install "selfattn_lib[notebooks] @ git+https://github.com/selfattn/selfattn-notebooks"' in shown[0]


# --- the environment's JupyterLab settings --------------------------------------------------


def test_the_learners_jupyterlab_settings_are_installed_in_this_environment():
    # `make lab` (tools/lab_settings.py) or `pip install .` put them there; a stale copy fails here
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "lab_settings.py"), "check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    overrides = json.loads((Path(sys.prefix) / "share/jupyter/lab/settings/overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}


EXTENSION = REPO / "jupyter-config" / "selfattn-lab"


def test_the_courses_jupyterlab_extension_names_its_script_by_content_and_the_version():
    package = json.loads((EXTENSION / "package.json").read_text())
    assert package["name"] == "selfattn-lab" and package["version"] == selfattn_lib.__version__
    digest = hashlib.sha256((EXTENSION / "static" / "remoteEntry.js").read_bytes()).hexdigest()[:12]
    # JupyterLab fetches `load` without a content hash of its own: a browser would keep an old copy
    assert package["jupyterlab"]["_build"] == {
        "load": f"static/remoteEntry.js?v={digest}",
        "extension": "./extension",
    }, f"remoteEntry.js changed: write ?v={digest} into jupyter-config/selfattn-lab/package.json"


def test_the_courses_jupyterlab_extension_is_listed_enabled_with_no_warning(tmp_path):
    # installed in this environment (the settings test above checks the copies), seen by a fresh user
    listing = labextension_listing(tmp_path)
    lines = [line.strip() for line in listing.splitlines() if "selfattn" in line]
    expected = f"selfattn-lab v{selfattn_lib.__version__} enabled OK (python, selfattn_lib)"
    assert lines == [expected], listing
    assert not re.search(r"(?i)warn|error|incompatible|not valid", listing), listing


def test_the_twins_pattern_hides_every_twin_and_nothing_else():
    from fnmatch import fnmatch

    config = json.loads((REPO / "jupyter-config" / "jupyter_server_config.json").read_text())
    globs = config["ContentsManager"]["hide_globs"]
    twins = {p.with_suffix(".md").name for p in NOTEBOOKS}
    documents = {p.name for p in REPO.glob("*.md")}
    assert all(any(fnmatch(name, g) for g in globs) for name in twins)
    assert not [name for name in documents if any(fnmatch(name, g) for g in globs)]


# --- links inside the notebooks --------------------------------------------------------------

LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_every_relative_link_in_a_notebook_stays_inside_the_repository_and_exists():
    # Binder roots the server at the repository, the hub at the folder nbgitpuller clones it into,
    # make lab at the repository too: a link that stays inside the repository opens under all three.
    checked = 0
    for notebook in NOTEBOOKS:
        for href in LINK.findall(notebook.with_suffix(".md").read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", href) or href.startswith("#"):
                continue
            target = (notebook.parent / href.split("#")[0]).resolve()
            assert target.is_relative_to(REPO), f"{notebook.name}: {href} points outside the repository"
            assert target.exists(), f"{notebook.name}: {href} does not exist"
            checked += 1
    assert checked > 100


# --- licences, citation, changelog, version --------------------------------------------------


def test_the_licences_cover_the_code_and_the_teaching_material():
    licence = (REPO / "LICENSE").read_text()
    assert "MIT" in licence and "Creative Commons Attribution 4.0 International" in licence
    assert "notebooks/" in licence and "selfattn_lib/" in licence
    assert "Permission is hereby granted" in (REPO / "LICENSES" / "MIT.txt").read_text()
    assert (
        "Creative Commons Attribution 4.0 International Public License"
        in (REPO / "LICENSES" / "CC-BY-4.0.txt").read_text()
    )
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT AND CC-BY-4.0"
    assert set(project["license-files"]) == {"LICENSE", "LICENSES/*.txt"}
    for readme, words in (("README.md", ("MIT", "CC BY 4.0")), ("LEIA-ME.md", ("MIT", "CC BY 4.0"))):
        text = (REPO / readme).read_text()
        assert all(word in text for word in words) and "(LICENSE)" in text, f"{readme} does not name both licences"


def test_the_version_is_written_in_one_place_and_everything_else_agrees():
    version = selfattn_lib.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "selfattn_lib.__version__"}
    citation = (REPO / "CITATION.cff").read_text()
    assert re.search(rf'^version: "{re.escape(version)}"$', citation, flags=re.MULTILINE)
    headings = re.findall(r"^## (\d+\.\d+\.\d+)", (REPO / "CHANGELOG.md").read_text(), flags=re.MULTILINE)
    assert headings and headings[0] == version, f"CHANGELOG.md's newest entry is {headings[:1]}, the version {version}"
    maintainers = (REPO / "docs" / "MAINTAINERS.md").read_text()
    assert "git tag -a v" in maintainers, "the tag convention is not written down"


# --- README and LEIA-ME -----------------------------------------------------------------------


def headings(text: str) -> list[str]:
    return re.findall(r"^## (.+)$", text, flags=re.MULTILINE)


def test_the_readme_comes_in_a_newcomers_order_and_links_the_rest():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    order = [h.split(":")[0] for h in headings(readme)]
    assert order[:4] == ["Set-up", "The notebooks", "Where the chapter is wrong", "Teaching a class"], order
    for moved in ("Performance", "The library", "The explorer", "For maintainers"):
        assert moved not in order, f"README still has a {moved!r} section"
    for document in ("docs/LIBRARY.md", "docs/PERFORMANCE.md", "docs/MAINTAINERS.md", "LICENSE", "CHANGELOG.md"):
        assert f"]({document})" in readme and (REPO / document).is_file(), document
    assert "`make help`" in readme


def test_without_make_is_the_section_ci_runs():
    sys.path.insert(0, str(REPO / "tools"))
    import without_make

    commands = without_make.readme_commands()
    assert commands == [
        "python -m venv .venv",
        ".venv/bin/python -m pip install -r requirements.txt",
        ".venv/bin/python -m pip install .",
        ".venv/bin/jupyter lab --ServerApp.root_dir=. notebooks/00_start_here.ipynb",
    ]
    assert "tools/without_make.py" in (REPO / ".ci" / "run").read_text()


def test_the_set_up_figures_are_one_measurement_with_the_command_that_measures_it():
    # the time is what the first install prints (a line per step, test above); the disk is `du -sh .venv`
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    leia = (REPO / "LEIA-ME.md").read_text(encoding="utf-8")
    time_en = re.search(r"the time it took: (\d+ min \d+ s)", readme)
    time_pt = re.search(r"o tempo que levou: (\d+ min \d+ s)", leia)
    disk_en = re.search(r"takes about (\d+) MB \(`du -sh \.venv`\)", readme)
    disk_pt = re.search(r"ocupa então\s+cerca de (\d+) MB \(`du -sh \.venv`\)", leia)
    assert time_en and time_pt and disk_en and disk_pt
    assert time_en.group(1) == time_pt.group(1) and disk_en.group(1) == disk_pt.group(1)
    for text in (readme, leia):
        assert not re.search(r"\b\d{3,} tests\b|\b\d{3,} testes\b", text), "a test count goes stale: leave it to pytest"


def test_leia_me_says_it_in_portuguese_with_the_supported_pythons_and_the_hub_details():
    leia = (REPO / "LEIA-ME.md").read_text(encoding="utf-8")
    assert "Python 3.11, 3.12 ou 3.13" in leia and "ou mais novo" not in leia
    hub = leia.split("## Para uma turma inteira (JupyterHub)", 1)[1].split("\n## ", 1)[0]
    assert "sudo -E /opt/tljh/user/bin/pip" in hub and "$PIP install --no-deps ." in hub
    assert "README.md#teaching-a-class" not in hub, "the teacher is sent to the English README"
    assert "### Sem make" in leia
