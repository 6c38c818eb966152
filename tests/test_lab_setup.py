"""A learner's first minute in JupyterLab (issue 23), in a real browser.

The server is the one a learner starts: `make lab` / `make lab-pt`, run as they are in a copy of the
repository, with this environment's packages and the settings installed with it (jupyter-config/,
the same files Binder's postBuild and the hub's `pip install .` install). The test adds no server
flag and no setting of its own: only a port and a token (JUPYTER_PORT, JUPYTER_TOKEN, which
`jupyter lab` reads), empty user folders (so this machine's own settings cannot help), and a
BROWSER that records the address `make lab` opens instead of opening it; and one user-level
setting that exposes `window.jupyterapp` to the test.

Checked: no news toast and no update check; the notebooks' Markdown twins hidden from the file
browser, still written on save; a notebook opened, run and closed without an edit is not marked
unsaved, asks nothing, changes no file (the course's JupyterLab extension, which must be loaded),
while an edit still asks; `make lab-pt` never reopens the English tabs; every kind of link inside a
notebook opens its target.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import browser_helpers as bh
import pytest

REPO = Path(__file__).resolve().parents[1]
ENGLISH = "notebooks/00_start_here.ipynb"
PORTUGUESE = "notebooks/pt/00_comece_aqui.ipynb"
ENGLISH_NAMES = {p.name for p in (REPO / "notebooks").glob("*.ipynb")}


def repository_copy(target: Path) -> Path:
    """The tracked files, as a fresh clone has them (the server must never touch this checkout)."""
    files = (
        subprocess.run(["git", "ls-files", "-z"], cwd=REPO, check=True, capture_output=True).stdout.decode().split("\0")
    )
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(source.read_bytes())
    return target


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "notebooks").rglob("*"))
        if p.is_file() and ".ipynb_checkpoints" not in p.parts
    }


class MakeLab:
    """`make lab` (or `make lab-pt`) in `repo`, using this environment (VENV=sys.prefix, not reinstalled)."""

    def __init__(self, repo: Path, target: str, work: Path, workspaces: Path):
        self.repo, self.target, self.work = repo, target, work
        self.port = bh._free_port()
        self.token = secrets.token_hex(16)
        self.log_path = work / f"{target}.log"
        self.opened = work / f"{target}-opened.txt"
        self.workspaces = workspaces
        self.process: subprocess.Popen | None = None
        self.url = ""

    def _environment(self) -> dict:
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # a learner's kernel draws inline (make test sets Agg)
        for variable in (
            "JUPYTER_CONFIG_DIR",
            "JUPYTERLAB_SETTINGS_DIR",
            "JUPYTER_RUNTIME_DIR",
            "JUPYTER_DATA_DIR",
            "IPYTHONDIR",
        ):
            folder = self.work / variable.lower()
            folder.mkdir(parents=True, exist_ok=True)
            env[variable] = str(folder)
        # The one thing a test needs that a learner does not: window.jupyterapp, to ask the page what
        # is open. A user-level config file, beside (not instead of) the environment's settings.
        (self.work / "jupyter_config_dir" / "jupyter_server_config.json").write_text(
            '{"LabApp": {"expose_app_in_browser": true}}'
        )
        env["JUPYTERLAB_WORKSPACES_DIR"] = str(self.workspaces)  # shared: both editions on one machine
        recorder = self.work / f"{self.target}-browser.sh"
        recorder.write_text(f'#!/bin/sh\necho "$1" >> "{self.opened}"\n')
        recorder.chmod(0o755)
        env.update(JUPYTER_PORT=str(self.port), JUPYTER_TOKEN=self.token, BROWSER=str(recorder))
        return env

    def command(self) -> list[str]:
        prefix = Path(sys.prefix)
        # -o: the environment is this one, already installed; make must not reinstall it from the copy
        return [
            "make",
            "-s",
            "-C",
            str(self.repo),
            self.target,
            f"VENV={prefix}",
            "-o",
            str(prefix / ".lab-stamp"),
            "-o",
            str(prefix / ".installed-stamp"),
        ]

    def start(self, timeout: float = 90.0) -> MakeLab:
        log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            self.command(),
            env=self._environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"make {self.target} exited with {self.process.returncode}:\n{self.log()}")
            if self.opened.exists() and self.opened.read_text().strip():
                self.url = self._address(self.opened.read_text().split()[0])
                return self
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"make {self.target} opened no browser within {timeout:.0f} s:\n{self.log()}")

    def _address(self, opened: str) -> str:
        # jupyter opens a local redirect page; the address a learner lands on is its link
        if opened.startswith("file://"):
            html = Path(opened[len("file://") :]).read_text()
            opened = re.search(r'href="([^"]+)"', html).group(1)
        return opened.replace("://localhost:", f"://{bh.LOCAL_HOST}:")

    def log(self) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-40:])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # make and the server it started
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


@pytest.fixture(scope="module")
def browser_ok(pytestconfig):
    bh.need_browser(pytestconfig)


@pytest.fixture(scope="module")
def clone(tmp_path_factory, browser_ok):
    return repository_copy(tmp_path_factory.mktemp("clone") / "selfattn-notebooks")


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory):
    return tmp_path_factory.mktemp("workspaces")


def _make_lab(target, clone, workspaces, tmp_path_factory):
    server = MakeLab(clone, target, tmp_path_factory.mktemp(target), workspaces).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def lab(clone, workspaces, tmp_path_factory):
    yield from _make_lab("lab", clone, workspaces, tmp_path_factory)


@pytest.fixture(scope="module")
def lab_pt(clone, workspaces, tmp_path_factory):
    yield from _make_lab("lab-pt", clone, workspaces, tmp_path_factory)


@pytest.fixture(scope="module")
def context(browser_ok):
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
def page(context):
    context, guard = context
    guard.blocked.clear()
    page = context.new_page()
    guard.watch(page)
    yield page
    page.close()
    assert guard.blocked == [], f"the page tried to reach the network: {guard.blocked}"


def land(page, url: str) -> None:
    """Open the address `make lab` opened, as a learner's browser does (no ?reset: the workspace
    is restored as it would be), and wait until JupyterLab has started."""
    page.goto(url, timeout=60_000)
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
    page.evaluate("async () => { await window.jupyterapp.started; await window.jupyterapp.restored; }")
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=60_000)


# Whether widget `w` shows the document at `path` (relative to the repository), whatever folder
# the server is rooted at.
IS_DOCUMENT = """(w, path) => { const p = w && w.context && w.context.path;
    return !!p && (p === path || path.endsWith('/' + p)); }"""
# The document at `path` among the open tabs, in front or not (undefined if none).
OPEN_DOCUMENT = f"(path) => [...window.jupyterapp.shell.widgets('main')].find(w => ({IS_DOCUMENT})(w, path))"


def wait_for_document(page, path: str, timeout_ms: int = 30_000) -> None:
    """Wait until the document in front is `path` and loaded. Polled, not awaited: a document
    opened while the workspace is being restored can be disposed and opened again, and the first
    one's `ready` never settles."""
    page.wait_for_function(
        f"""(path) => {{ const w = window.jupyterapp.shell.currentWidget;
                        return ({IS_DOCUMENT})(w, path) && w.context.isReady && !w.isDisposed; }}""",
        arg=path,
        timeout=timeout_ms,
        polling=100,
    )


def wait_for_kernel(page) -> None:
    page.wait_for_function(
        """() => { const w = window.jupyterapp.shell.currentWidget;
                   const s = w.sessionContext && w.sessionContext.session;
                   return !!(s && s.kernel && s.kernel.status === 'idle'); }""",
        timeout=60_000,
    )


def open_paths(page) -> list[str]:
    return page.evaluate("""() => [...window.jupyterapp.shell.widgets('main')]
        .map(w => w.context ? w.context.path : null).filter(p => p)""")


# --- no news, no update check ---------------------------------------------------------------


def test_a_learners_jupyterlab_asks_nothing_about_news_and_checks_no_updates(page, lab):
    land(page, lab.url)
    wait_for_document(page, ENGLISH)
    wait_for_kernel(page)
    page.wait_for_timeout(3000)  # the news question comes a moment after start-up
    toasts = page.evaluate("() => [...document.querySelectorAll('.Toastify__toast')].map(t => t.innerText)")
    assert toasts == [], f"make lab shows notifications over the notebook: {toasts}"
    # the environment's overrides are the defaults the server gives the page (the user set nothing)
    plugin = page.evaluate("""async () => window.jupyterapp.serviceManager.settings.fetch(
        '@jupyterlab/apputils-extension:notification')""")
    defaults = {name: spec.get("default") for name, spec in plugin["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False, defaults
    assert not plugin["raw"].strip("{} \n"), f"the test's user settings are not empty: {plugin['raw']}"


# --- the Markdown twins ---------------------------------------------------------------------


def test_the_markdown_twins_are_hidden_from_the_file_browser_and_still_written(page, lab, clone):
    land(page, lab.url)
    wait_for_document(page, ENGLISH)
    for folder in ("notebooks", "notebooks/pt"):
        listed = page.evaluate(
            """async (folder) => (await window.jupyterapp.serviceManager.contents.get(
            folder, {content: true})).content.map(item => item.name)""",
            folder,
        )
        notebooks = [name for name in listed if name.endswith(".ipynb")]
        assert len(notebooks) == 13, listed
        twins = [name for name in listed if name.endswith(".md")]
        assert twins == [], f"{folder}: the file browser lists the Markdown twins: {twins}"
    # the file browser itself, opened on the notebooks' folder
    page.evaluate(
        "async () => { await window.jupyterapp.commands.execute('filebrowser:go-to-path', "
        "{path: 'notebooks/', dontShowBrowser: false}); }"
    )
    page.wait_for_selector(".jp-DirListing-item[title*='00_start_here.ipynb']", timeout=15_000)
    shown = page.evaluate("() => [...document.querySelectorAll('.jp-DirListing-itemText')].map(e => e.innerText)")
    assert not [name for name in shown if name.endswith(".md")], shown

    # a teacher's edit, saved: Jupytext still writes the twin
    twin = clone / "notebooks" / "00_start_here.md"
    page.evaluate("""() => { const w = window.jupyterapp.shell.currentWidget;
        const cell = w.content.widgets.find(c => c.model.type === 'markdown' && c.model.sharedModel.getSource().startsWith('# 00'));
        cell.model.sharedModel.setSource(cell.model.sharedModel.getSource() + '\\n\\nA teacher\\'s line.'); }""")
    page.evaluate("async () => { await window.jupyterapp.commands.execute('docmanager:save'); }")
    deadline = time.monotonic() + 15
    while "A teacher's line." not in twin.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "A teacher's line." in twin.read_text(), "saving in JupyterLab no longer writes the .md twin"
    # put the clone back as it was, for the tests that follow
    for name in (ENGLISH, "notebooks/00_start_here.md"):
        (clone / name).write_bytes((REPO / name).read_bytes())
    page.evaluate("async () => { await window.jupyterapp.commands.execute('docmanager:reload'); }")


# --- open and close, nothing asked, nothing written ---------------------------------------------


@pytest.mark.parametrize("which", ["lab", "lab_pt"])
def test_opening_and_closing_a_notebook_without_an_edit_asks_nothing_and_changes_no_file(which, request, page, clone):
    server = request.getfixturevalue(which)
    before = digests(clone)
    land(page, server.url)
    path = ENGLISH if which == "lab" else PORTUGUESE
    wait_for_document(page, path)
    wait_for_kernel(page)
    page.wait_for_timeout(3000)  # the issue saw the unsaved mark within 2 s
    dirty = page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.dirty")
    assert dirty is False, f"{path} is marked unsaved right after opening, without an edit"
    page.evaluate("() => { window.jupyterapp.commands.execute('application:close'); }")
    page.wait_for_timeout(1500)
    dialogs = page.evaluate("() => [...document.querySelectorAll('.jp-Dialog')].map(d => d.innerText)")
    assert dialogs == [], f"closing an unedited notebook asks: {dialogs}"
    assert path not in open_paths(page)
    assert digests(clone) == before, "opening and closing a notebook changed files"


def close_current(page) -> list[str]:
    """Close the notebook in front as a learner does (File > Close Tab); the questions it asks."""
    page.evaluate("() => { window.jupyterapp.commands.execute('application:close'); }")
    page.wait_for_timeout(1500)
    return page.evaluate("() => [...document.querySelectorAll('.jp-Dialog')].map(d => d.innerText)")


def discard(page) -> None:
    """The close question's Discard button (the one on screen: a dialog being dismissed may linger)."""
    page.locator(".jp-Dialog button", has_text=re.compile("Discard|Don.t Save")).filter(visible=True).first.click()


def run_all(page) -> None:
    """Run > Run All Cells, as a learner does (the stored outputs stay until each cell replaces its own)."""
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells').catch(() => null); }")
    page.wait_for_timeout(300)
    for _ in range(2):  # twice, a moment apart: finished, not between two cells
        page.wait_for_function(bh._RUN_FINISHED, timeout=120_000)
        page.wait_for_timeout(300)


# JupyterLab 4.6 marks a notebook unsaved for every output and execution count a run writes (the
# notebook's shared model, @jupyter/ydoc's YCodeCell, sets `dirty` itself), and the document manager's
# close asks "Save changes?" whenever the model is dirty; autosave then rewrites the file. The course's
# extension (jupyter-config/selfattn-lab/, installed with the environment) sets the model back to clean
# when what the learner can edit is what was loaded or saved. These tests fail without it.
PLUGIN = "selfattn-lab:runs-are-not-edits"


def test_the_courses_jupyterlab_extension_is_loaded_and_active(page, lab):
    land(page, lab.url)
    loaded = page.evaluate(
        """(id) => ({listed: JSON.parse(document.getElementById('jupyter-config-data').textContent)
                        .federated_extensions.map(e => e.name),
                     registered: window.jupyterapp.hasPlugin(id),
                     activated: window.jupyterapp.isPluginActivated(id)})""",
        PLUGIN,
    )
    assert "selfattn-lab" in loaded["listed"], f"the server does not offer the extension: {loaded['listed']}"
    assert loaded["registered"] and loaded["activated"], f"{PLUGIN} is not running in the page: {loaded}"


def is_unsaved(page) -> bool:
    return page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.dirty")


def test_running_every_cell_of_an_unedited_notebook_then_closing_it_asks_nothing_and_changes_no_file(page, lab, clone):
    before = digests(clone)
    land(page, lab.url)
    wait_for_document(page, ENGLISH)
    wait_for_kernel(page)
    run_all(page)
    page.wait_for_timeout(500)
    # autosave (every 120 s) writes only an unsaved document: not marked, not written
    unsaved = is_unsaved(page)
    dialogs = close_current(page)
    if dialogs:  # leave the notebook as it was for the tests that follow, whatever happens
        discard(page)
    assert digests(clone) == before, "running and closing a notebook changed files"
    assert not unsaved, "running an unedited notebook marks it unsaved"
    assert dialogs == [], f"closing a notebook that was run but not edited asks: {dialogs}"


EDIT_A_CODE_CELL = """() => { const w = window.jupyterapp.shell.currentWidget;
    const cell = w.content.widgets.find(c => c.model.type === 'code');
    cell.model.sharedModel.setSource(cell.model.sharedModel.getSource() + '\\n# my own line'); }"""


@pytest.mark.parametrize("when", ["after the run", "before the run"])
def test_closing_a_notebook_whose_cell_the_learner_edited_still_asks_to_save(when, page, lab, clone):
    before = digests(clone)
    land(page, lab.url)
    wait_for_document(page, ENGLISH)
    wait_for_kernel(page)
    if when == "before the run":
        page.evaluate(EDIT_A_CODE_CELL)
    run_all(page)
    if when == "after the run":
        page.evaluate(EDIT_A_CODE_CELL)
    page.wait_for_timeout(500)
    assert is_unsaved(page), f"a notebook edited {when} is not marked unsaved"
    dialogs = close_current(page)
    assert len(dialogs) == 1 and "Save" in dialogs[0], f"closing an edited notebook did not ask to save: {dialogs}"
    discard(page)
    page.wait_for_timeout(1000)
    assert ENGLISH not in open_paths(page)
    assert digests(clone) == before


def test_an_edit_the_learner_undoes_leaves_nothing_to_save(page, lab, clone):
    before = digests(clone)
    land(page, lab.url)
    wait_for_document(page, ENGLISH)
    wait_for_kernel(page)
    run_all(page)
    # typed in a code cell, then taken back with Ctrl+Z, as a learner does
    page.evaluate("""() => { const nb = window.jupyterapp.shell.currentWidget.content;
        nb.activeCellIndex = nb.widgets.findIndex(c => c.model.type === 'code'); nb.mode = 'edit'; }""")
    page.wait_for_timeout(300)
    page.keyboard.press("End")
    page.keyboard.type(" # mine")
    page.wait_for_timeout(500)
    edited = is_unsaved(page)
    for _ in range(10):
        page.keyboard.press("Control+z")
    page.wait_for_timeout(500)
    source = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.activeCell.model.sharedModel.getSource()"
    )
    undone = is_unsaved(page)
    page.keyboard.press("Escape")
    dialogs = close_current(page)
    if dialogs:
        discard(page)
    assert edited, "typing in a cell does not mark the notebook unsaved"
    assert "# mine" not in source, source
    assert not undone and dialogs == [], f"an edit undone still asks to save: {dialogs}"
    assert digests(clone) == before


# --- one workspace per edition ------------------------------------------------------------------


def test_make_lab_pt_never_reopens_the_english_sessions_tabs(page, lab, lab_pt, workspaces):
    land(page, lab.url)
    wait_for_document(page, ENGLISH)
    page.evaluate(
        "async () => { await window.jupyterapp.commands.execute('docmanager:open', "
        "{path: 'notebooks/03_softmax.ipynb'}); }"
    )
    wait_for_document(page, "notebooks/03_softmax.ipynb")
    deadline = time.monotonic() + 20  # JupyterLab saves the workspace a moment after a change
    while time.monotonic() < deadline and not any(
        "03_softmax" in p.read_text() for p in workspaces.glob("*.jupyterlab-workspace")
    ):
        time.sleep(0.3)
    land(page, lab_pt.url)
    wait_for_document(page, PORTUGUESE)
    page.wait_for_timeout(1500)
    english = [p for p in open_paths(page) if Path(p).name in ENGLISH_NAMES]
    assert english == [], f"make lab-pt reopened the English session's tabs: {english}"


# --- links inside the notebooks -----------------------------------------------------------------

# One of each kind, in each edition: a notebook beside it, the other edition's notebook, a document
# at the repository's root one or two folders up.
LINKS = [
    ("lab", ENGLISH, "01_projections.ipynb", "notebooks/01_projections.ipynb"),
    ("lab", ENGLISH, "pt/00_comece_aqui.ipynb", "notebooks/pt/00_comece_aqui.ipynb"),
    ("lab", ENGLISH, "../GLOSSARIO.md", "GLOSSARIO.md"),
    ("lab", ENGLISH, "../TEACHING.md", "TEACHING.md"),
    ("lab", "notebooks/07_checking_the_chapter.ipynb", "../ERRATA.md", "ERRATA.md"),
    ("lab_pt", PORTUGUESE, "01_projecoes.ipynb", "notebooks/pt/01_projecoes.ipynb"),
    ("lab_pt", PORTUGUESE, "../00_start_here.ipynb", ENGLISH),
    ("lab_pt", PORTUGUESE, "../../GLOSSARIO.md", "GLOSSARIO.md"),
    ("lab_pt", PORTUGUESE, "../../ENSINO.md", "ENSINO.md"),
    ("lab_pt", "notebooks/pt/07_conferindo_o_capitulo.ipynb", "../../ERRATA.pt.md", "ERRATA.pt.md"),
]


def link_text(notebook: str, href: str) -> str:
    text = (REPO / notebook).with_suffix(".md").read_text(encoding="utf-8")
    match = re.search(r"\[([^\]]+)\]\(" + re.escape(href) + r"\)", text)
    assert match, f"{notebook} has no link to {href}"
    return match.group(1)


@pytest.mark.parametrize(
    "which, notebook, href, target", LINKS, ids=[f"{n.split('/')[-1]}->{h}" for _, n, h, _ in LINKS]
)
def test_a_click_on_a_link_inside_a_notebook_opens_its_target(which, notebook, href, target, request, page):
    server = request.getfixturevalue(which)
    land(page, server.url)
    first = ENGLISH if which == "lab" else PORTUGUESE
    wait_for_document(page, first)
    if notebook != first:
        page.evaluate(
            "async (path) => { await window.jupyterapp.commands.execute('docmanager:open', {path}); }", notebook
        )
        wait_for_document(page, notebook)
    text = link_text(notebook, href)
    # Bring the cell into view (JupyterLab renders the cells near the screen only) and mark it: the
    # same link text can occur in two cells (07 links its errata at the top and at the end), and a
    # locator over the whole notebook may pick the other one, off screen, and wait on it forever.
    index = page.evaluate(
        """async (text) => { const nb = window.jupyterapp.shell.currentWidget.content;
        const i = nb.widgets.findIndex(c => c.model.type === 'markdown' && c.model.sharedModel.getSource().includes(text));
        if (i < 0) return i;
        // no activeCellIndex: in edit mode, activating a Markdown cell shows its source and hides the link
        await nb.scrollToItem(i, 'center');
        nb.widgets[i].node.setAttribute('data-link-under-test', '');
        return i; }""",
        f"[{text}]({href})",
    )
    assert index >= 0
    link = page.locator("[data-link-under-test] .jp-MarkdownOutput a", has_text=text).first
    link.wait_for(state="attached", timeout=15_000)
    assert page.evaluate(f"(path) => !({OPEN_DOCUMENT})(path)", target), f"{target} is open before the click"
    # The click is dispatched to the link itself, as a mouse click's event reaches it: JupyterLab
    # keeps scrolling a notebook just opened (cells attached while idle, the restored position), so
    # a pointer aimed at where the link stood can land on another cell. What is under test is where
    # JupyterLab's own click handler sends the link.
    page.evaluate("() => { window.__beforeTheClick = true; }")
    link.dispatch_event("click")
    # What the link must do is open its target in the main area. Which tab ends up in front is
    # JupyterLab's business: the click also focuses the notebook it was in, and under load that
    # focus can come back after the new tab was activated, so the target is looked up by path.
    try:
        page.wait_for_function(
            f"(path) => {{ const w = ({OPEN_DOCUMENT})(path); return !!w && w.context.isReady; }}",
            arg=target,
            timeout=15_000,
            polling=100,
        )
    except Exception:
        pytest.fail(
            f"under make {server.target}, the link [{text}]({href}) in {notebook} opened nothing "
            f"(open: {open_paths(page)}; same page: {page.evaluate('() => !!window.__beforeTheClick')}); "
            f"server log:\n{server.log()}"
        )
    size = page.evaluate(f"(path) => ({OPEN_DOCUMENT})(path).context.model.toString().length", target)
    assert size > 0, f"{target} opened empty"
