"""What a learner sees: every notebook run in JupyterLab in a real browser (issue 5).

JupyterLab runs on 127.0.0.1 with a token and its own settings; Debian's chromium (never a
downloaded one) is driven by the pinned playwright. Any request not to 127.0.0.1 is blocked and
fails the test. Screenshots go to pytest's temporary folder (printed at the start).

Without /usr/bin/chromium this module skips with one line saying how to run it; with CI=true a
missing browser fails instead.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

import browser_helpers as bh

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))


def say(pytestconfig, line: str) -> None:
    """Print past pytest's capture, so the line shows in `make test` and CI logs."""
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{line}", flush=True)


@pytest.fixture(scope="module")
def browser_ok(pytestconfig):
    why = bh.browser_missing()
    if why:
        if bh.in_ci():
            pytest.fail(f"CI=true and the browser test cannot run: {why} (.ci/run installs chromium)")
        say(pytestconfig, bh.HOW_TO_RUN.format(why=why))
        pytest.skip(bh.HOW_TO_RUN.format(why=why))


@pytest.fixture(scope="module")
def shots(tmp_path_factory, pytestconfig, browser_ok):
    folder = tmp_path_factory.mktemp("screenshots")
    say(pytestconfig, f"browser test screenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def lab(tmp_path_factory, browser_ok):
    root = tmp_path_factory.mktemp("lab-root")
    bh.copy_notebooks(REPO / "notebooks", root / "notebooks")
    with bh.LabServer(root, tmp_path_factory.mktemp("lab-work")) as server:
        yield server


@pytest.fixture(scope="module")
def browser_context(browser_ok):
    from playwright.sync_api import sync_playwright

    guard = bh.NetworkGuard()
    with sync_playwright() as playwright:
        browser = bh.launch_browser(playwright)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        guard.attach(context)
        yield context, guard
        context.close()
        browser.close()


@pytest.fixture
def page(browser_context, lab):
    context, guard = browser_context
    guard.blocked.clear()
    page = context.new_page()
    guard.watch(page)
    yield page
    page.close()
    lab.shutdown_kernels()
    assert guard.blocked == [], f"the page tried to reach the network: {guard.blocked}"


def test_there_are_notebooks_to_open():
    assert NOTEBOOKS, "no notebooks under notebooks/"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_jupyterlab(name, page, lab, shots):
    bh.open_notebook(page, lab, f"notebooks/{name}")
    bh.run_all_cells(page)
    bh.wait_for_widget_views(page)
    bh.wait_for_images(page)
    cells = bh.cell_report(page)
    bh.screenshot_notebook(page, shots / f"{Path(name).stem}.png")
    assert cells, "JupyterLab shows no cells"
    found = bh.problems(cells)
    assert not found, f"{name} in JupyterLab:\n" + "\n".join(found)


def write_notebook(path: Path, sources: list[tuple[str, list[str]]]) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source, metadata={"tags": tags} if tags else {})
                for source, tags in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def test_the_checks_see_what_a_learner_would_see_as_broken(page, lab):
    # the same checks, on a notebook broken in each way they look for, must report each one
    write_notebook(lab.root_dir / "scratch" / "broken.ipynb", [
        ("1 / 0", ["raises-exception"]),               # on purpose: allowed
        ("import warnings; warnings.warn('careful')", []),
        ("display({'application/vnd.jupyter.widget-view+json':"
         " {'model_id': 'no-such-model', 'version_major': 2, 'version_minor': 0}}, raw=True)", []),
        ("import ipywidgets; ipywidgets.IntSlider(1)", []),
        ("int('x')", []),
        ("'not reached'", []),
    ])
    bh.open_notebook(page, lab, "scratch/broken.ipynb")
    bh.run_all_cells(page)
    bh.wait_for_widget_views(page)
    found = "\n".join(bh.problems(bh.cell_report(page)))
    assert "cell 0" not in found
    assert "cell 1: stderr output" in found
    assert "cell 2: shows 'Error displaying widget'" in found
    assert "cell 2: 1 widget output(s) but only 0 rendered view(s)" in found
    assert "cell 3" not in found
    assert "cell 4: error output ValueError" in found
    assert "not every code cell ran in order" in found  # the run stops at cell 4
