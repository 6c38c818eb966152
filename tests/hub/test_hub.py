"""A class on a real JupyterHub: two students, one nbgitpuller link (issue 17). `make test-hub`.

JupyterHub (pinned, hub/.venv) with its pinned proxy runs on 127.0.0.1 with the dummy
authenticator and SimpleLocalProcessSpawner; each student's server runs in the students'
environment (the runtime set + jupyterhub + nbgitpuller + this library) with its own home.
The course is a local git clone of this repository (committed HEAD) standing for GitHub.

Two students, in two Chromium contexts at the same time: follow the link, log in, land on the
first notebook; run the explorer notebook (widgets render); each edits a cell of their copy and
saves. The teacher commits a change to that notebook; each follows the link again: the change
arrives, their edit stays, and nothing of one student's server is visible to the other. Every
browser request not to 127.0.0.1 is blocked and fails the test. The hub and all it started are
stopped at the end, and the test fails if any process of its tree is left.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import browser_helpers as bh
import hub_helpers as hh
import pytest
from say import say

REPO = hh.REPO
sys.path.insert(0, str(REPO / "tools"))
from hub_link import hub_link  # noqa: E402

STUDENTS = ("alice", "bob")
TARGET = "selfattn-notebooks"
FIRST = "notebooks/00_start_here.ipynb"
EXPLORER = "notebooks/09_explorer.ipynb"
# The teacher's change: a heading of a Markdown cell, well away from the code cell a student edits
# (nbgitpuller merges line by line; where both changed the same lines the student's side wins).
OLD_HEADING = "## Things to try"
NEW_HEADING = "## Things to try (this week: start with 2)"
EDITED_CELL = 8  # the explorer notebook's last code cell (checked below)


def git(*args, cwd: Path) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Teacher", "-c", "user.email=teacher@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout


@pytest.fixture(scope="module")
def ready(pytestconfig):
    why = bh.browser_missing() or hh.hub_missing()
    if why:
        if bh.in_ci():
            pytest.fail(f"CI=true and the hub test cannot run: {why}")
        pytest.skip(f"hub test skipped: {why}")


@pytest.fixture(scope="module")
def course(tmp_path_factory, ready) -> Path:
    """The teacher's repository: a local clone of this one, its branch called main."""
    where = tmp_path_factory.mktemp("teacher") / TARGET
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(where)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    git("checkout", "--quiet", "-B", "main", cwd=where)
    return where


def has_heading(cells: list[str]) -> bool:
    """The teacher's new heading is a line of some cell (a heading may follow a figure's caption)."""
    return any(NEW_HEADING in cell.splitlines() for cell in cells)


def teacher_changes_a_notebook(course: Path) -> str:
    """Edit the explorer notebook's heading as text (so the rest of the file stays byte for byte),
    in its MyST twin too when there is one, and commit. Returns the new commit."""
    changed = []
    for path in (course / EXPLORER, course / EXPLORER.replace(".ipynb", ".md")):
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        end = "\\n" if path.suffix == ".ipynb" else "\n"  # JSON holds a backslash-n, Markdown a newline
        assert text.count(OLD_HEADING + end) == 1, f"{path}: the heading to change is not there once"
        path.write_text(text.replace(OLD_HEADING + end, NEW_HEADING + end), encoding="utf-8")
        changed.append(str(path.relative_to(course)))
    git("commit", "--quiet", "-m", "Explorer: this week's hint", *changed, cwd=course)
    return git("rev-parse", "HEAD", cwd=course).strip()


# --- one student in the browser ---------------------------------------------------------------------


class Student:
    def __init__(self, name: str, browser, hub: hh.Hub):
        self.name, self.hub = name, hub
        self.guard = bh.NetworkGuard()
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.guard.attach(self.context)
        self.page = self.context.new_page()
        self.guard.watch(self.page)

    @property
    def copy(self) -> Path:
        return self.hub.home(self.name) / TARGET

    def lab_path(self, relative: str) -> str:
        return f"{TARGET}/{relative}"

    def open_link(self, link: str) -> None:
        self.page.goto(link, timeout=60_000)

    def log_in_if_asked(self) -> None:
        if "/hub/login" in self.page.url:
            self.page.fill("#username_input", self.name)
            self.page.fill("#password_input", self.hub.password)
            self.page.click("#login_submit")

    def wait_for_notebook(self, relative: str, timeout_ms: int = 180_000) -> None:
        """JupyterLab started (the spawn and the pull happen before) with this notebook open."""
        self.page.wait_for_url(f"**/user/{self.name}/lab/**", timeout=timeout_ms)
        self.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=timeout_ms)
        self.page.evaluate("async () => { await window.jupyterapp.started; await window.jupyterapp.restored; }")
        self.page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=timeout_ms)
        self.page.wait_for_function(bh._WAIT_NOTEBOOK, arg=self.lab_path(relative), timeout=timeout_ms)
        # the notebook panel exists before its file is read: wait for the content too
        self.page.evaluate("async () => { await window.jupyterapp.shell.currentWidget.context.ready; }")

    def open_notebook(self, relative: str) -> None:
        """Open a notebook in the JupyterLab already loaded, as a double click in the file browser."""
        self.page.evaluate(
            "async (path) => { await window.jupyterapp.commands.execute('docmanager:open', {path}); }",
            self.lab_path(relative),
        )
        self.page.wait_for_function(bh._WAIT_NOTEBOOK, arg=self.lab_path(relative), timeout=60_000)
        self.page.evaluate("async () => { await window.jupyterapp.shell.currentWidget.context.ready; }")

    def start_run_all(self) -> None:
        self.page.evaluate(bh._RUN_ALL)

    def wait_run_finished(self, timeout_ms: int = 240_000) -> None:
        self.page.wait_for_timeout(300)
        for _ in range(2):  # twice, a moment apart: finished, not between two cells
            self.page.wait_for_function(bh._RUN_FINISHED, timeout=timeout_ms)
            self.page.wait_for_timeout(300)

    def edit_cell(self, index: int, line: str) -> None:
        """Click into a code cell, go to its end, type a new line, save (Ctrl+S as a student would)."""
        # the notebook in front: the first notebook stays open in a hidden tab
        panel = self.page.evaluate("() => window.jupyterapp.shell.currentWidget.id")
        editor = self.page.locator(f"[id='{panel}'] .jp-Cell").nth(index).locator(".cm-content")
        editor.click()
        self.page.keyboard.press("Control+End")
        self.page.keyboard.press("End")
        self.page.keyboard.press("Enter")
        self.page.keyboard.type(line)
        self.page.keyboard.press("Escape")
        self.page.keyboard.press("Control+s")
        self.page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget; return !w.context.model.dirty; }",
            timeout=30_000,
        )

    def sources(self) -> list[str]:
        return [cell["source"] for cell in bh.cell_report(self.page)]

    def get(self, path: str):
        """A request with this student's cookies, not following redirects."""
        return self.context.request.get(
            f"{self.hub.url}/{path.lstrip('/')}", max_redirects=0, fail_on_status_code=False
        )

    def close(self) -> None:
        self.context.close()


def saved_cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(cell["source"]) for cell in notebook["cells"]]


def test_two_students_one_link(tmp_path_factory, course, pytestconfig):
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    assert saved_cells(course / EXPLORER)[EDITED_CELL].startswith("same = sa.self_attention("), (
        "the explorer notebook changed: pick the code cell the students edit again"
    )
    hub = hh.Hub(tmp_path_factory.mktemp("hub"), list(STUDENTS))
    hub.start()
    phases = {"hub started": time.perf_counter() - started}
    hub.watch.sample()
    hub_alone = hub.watch.peak_rss  # the hub and its proxy, no student server yet

    def phase(name: str) -> None:
        phases[name] = time.perf_counter() - started - sum(phases.values())

    students: list[Student] = []
    try:
        link = hub_link(hub.url, repo=str(course), branch="main", notebook=FIRST, target=TARGET)
        say(pytestconfig, f"hub test: {hub.url}, link {link}")
        with sync_playwright() as playwright:
            browser = bh.launch_browser(playwright)
            students = [Student(name, browser, hub) for name in STUDENTS]

            # 1. both follow the link at once: log in, the hub spawns, nbgitpuller clones, lab opens
            for student in students:
                student.open_link(link)
            for student in students:
                student.log_in_if_asked()
            for student in students:
                student.wait_for_notebook(FIRST)
                assert (student.copy / FIRST).is_file()
                cells = student.sources()
                assert cells == saved_cells(course / FIRST), f"{student.name}: first notebook differs"
            phase("log in, spawn, first pull")

            # 2. both run the explorer at the same time; its widgets render
            hub.watch.reset_mark()
            for student in students:
                student.open_notebook(EXPLORER)
            for student in students:
                student.start_run_all()
            for student in students:
                student.wait_run_finished()
            for student in students:
                bh.wait_for_widget_views(student.page)
                bh.wait_for_images(student.page)
                found = bh.problems(bh.cell_report(student.page))
                assert not found, f"{student.name}: " + "\n".join(found)
                state = bh.ExplorerPage(student.page).state()
                assert state["heatmaps"].get("weights0") and state["tables"].get("output"), student.name
            two_servers_peak = hub.watch.mark_peak
            phase("explorer run by both")

            # 3. each edits a cell of their own copy and saves
            for student in students:
                student.edit_cell(EDITED_CELL, f"# {student.name}'s own note")
            for student in students:
                saved = saved_cells(student.copy / EXPLORER)[EDITED_CELL]
                assert saved.endswith(f"\n# {student.name}'s own note"), (student.name, saved)

            # 4. the teacher commits; each follows the link again
            commit = teacher_changes_a_notebook(course)
            for student in students:
                student.open_link(link)
            for student in students:
                student.wait_for_notebook(FIRST)
            for student in students:
                other = next(s for s in students if s is not student)
                assert commit in git("log", "--format=%H", cwd=student.copy), f"{student.name}: not merged"
                on_disk = saved_cells(student.copy / EXPLORER)
                assert has_heading(on_disk), f"{student.name}: change lost"
                assert on_disk[EDITED_CELL].endswith(f"# {student.name}'s own note"), f"{student.name}: edit lost"
                assert f"# {other.name}'s own note" not in (student.copy / EXPLORER).read_text()
                # ... and the student sees both in JupyterLab
                student.open_notebook(EXPLORER)
                shown = student.sources()
                assert has_heading(shown), student.name
                assert shown[EDITED_CELL].endswith(f"# {student.name}'s own note"), student.name

            phase("edit, teacher's commit, second pull")

            # 5. nothing of one student's server is visible to the other
            for student in students:
                other = next(s for s in students if s is not student)
                for path in (
                    f"user/{other.name}/api/contents/{TARGET}/{EXPLORER}",
                    f"user/{other.name}/files/{TARGET}/{EXPLORER}",
                    f"user/{other.name}/lab/tree/{TARGET}/{EXPLORER}",
                ):
                    response = student.get(path)
                    body = response.text() if response.status < 300 else ""
                    assert response.status >= 300 and "own note" not in body, (student.name, path, response.status)
                mine = student.get(f"user/{student.name}/api/contents/")
                assert mine.status == 200
                assert {item["name"] for item in mine.json()["content"]} == {TARGET}, student.name
                # the server's root is the student's home: the way up to the other's home is refused
                # (the dots percent-encoded, or the browser would fold them away before sending)
                above = student.get(f"user/{student.name}/api/contents/%2E%2E/{other.name}/{TARGET}")
                assert above.status >= 400, (student.name, above.status)

            for student in students:
                assert not student.guard.blocked, f"{student.name}: requests left 127.0.0.1: {student.guard.blocked}"
                # shown, not failed on: the widgets' rendering is checked above, and the hub's own
                # pages are not ours to keep free of console messages
                if student.guard.page_errors:
                    say(pytestconfig, f"{student.name}'s browser console errors: {student.guard.page_errors[:5]}")
                student.close()
            browser.close()
    except Exception:
        say(pytestconfig, f"hub log ({hub.log_path}):\n{hub.log_tail()}")
        raise
    finally:
        hub.stop()
    phase("checks, browser and hub stopped")
    seconds = time.perf_counter() - started
    say(
        pytestconfig,
        f"hub test took {seconds:.0f} s; RSS of the hub's process tree: hub and proxy alone "
        f"{hub_alone / 2**20:.0f} MiB; peak with two servers running the explorer "
        f"{two_servers_peak / 2**20:.0f} MiB (whole test: {hub.watch.peak_rss / 2**20:.0f} MiB, "
        f"{hub.watch.peak_processes} processes at most)\n  "
        + "; ".join(f"{name}: {value:.0f} s" for name, value in phases.items()),
    )
    assert not hub.force_killed, f"the hub did not stop these itself: {hub.force_killed}"
    assert not hub.left_behind, f"processes left behind: {hub.left_behind}"
