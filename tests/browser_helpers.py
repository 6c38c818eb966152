"""JupyterLab in a real browser, for tests/test_browser.py.

A private JupyterLab server (127.0.0.1, a token, its own settings/runtime/config folders) and
Debian's chromium driven by the pinned Python playwright. The browser may reach 127.0.0.1 only:
every other request is blocked and recorded, so a test can fail when the page tried the network.
Never downloads a browser (no `playwright install`).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
HOW_TO_RUN = (
    "browser test skipped: {why}. To run it: `sudo apt-get install chromium` (it must be at "
    "/usr/bin/chromium), then `make test`, or `bash .ci/run` as CI does (CI=true fails instead of skipping)."
)
LOCAL_HOST = "127.0.0.1"

# Settings a learner's JupyterLab does not need but a test does: every cell in the DOM (no virtual
# scrolling), no autosave (the notebooks are copies, but nothing should be written behind our back).
# What a learner's JupyterLab has (no news, no update check, ...) comes from the environment, as for
# the learner: jupyter-config/, installed with the package (tests/test_lab_setup.py).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def browser_missing() -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the pinned playwright is not installed in this environment (make install installs the locked set)"
    return None


def need_browser(config=None) -> None:
    """Skip a test that cannot find its browser, saying how to run it (reported in pytest's summary
    when `config` is given); with CI=true fail instead, since .ci/run installs chromium."""
    import pytest

    why = browser_missing()
    if why:
        if in_ci():
            pytest.fail(f"CI=true and the browser test cannot run: {why} (.ci/run installs chromium)")
        if config is not None:
            from say import say

            say(config, HOW_TO_RUN.format(why=why))
        pytest.skip(HOW_TO_RUN.format(why=why))


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # a page's requests are the test's business, not the log's
        pass


@contextlib.contextmanager
def serving(folder):
    """`folder`'s files on 127.0.0.1, on a free port, for the length of the block: its base URL
    (no trailing slash)."""
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_QuietFiles, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCAL_HOST, 0))
        return sock.getsockname()[1]


# urllib would honour http_proxy for 127.0.0.1 on some machines; the server is always local.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class LabServer:
    """`with LabServer(root_dir, work_dir) as lab:` JupyterLab serving root_dir until the block ends."""

    def __init__(self, root_dir: Path, work_dir: Path):
        self.root_dir = Path(root_dir)
        self.work_dir = Path(work_dir)
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.process: subprocess.Popen | None = None
        self.log_path = self.work_dir / "jupyterlab.log"

    @property
    def base_url(self) -> str:
        return f"http://{LOCAL_HOST}:{self.port}"

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{sep}token={self.token}"

    def _environment(self) -> dict:
        env = dict(os.environ)
        # The kernel must pick matplotlib's inline backend as it does for a learner; `make test`
        # sets MPLBACKEND=Agg, under which plt.show() draws nothing.
        env.pop("MPLBACKEND", None)
        folders = {
            "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
            "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
            "JUPYTER_CONFIG_DIR": "jupyter-config",
            "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
            "JUPYTER_DATA_DIR": "jupyter-data",
            "IPYTHONDIR": "ipython",
        }
        for variable, name in folders.items():
            folder = self.work_dir / name
            folder.mkdir(parents=True, exist_ok=True)
            env[variable] = str(folder)
        settings = self.work_dir / "lab-settings"
        for relative, values in LAB_SETTINGS.items():
            path = settings / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        return env

    name = "JupyterLab"  # what the start-up messages call the server

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--ServerApp.ip={LOCAL_HOST}",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--LabApp.expose_app_in_browser=True",
            "--ServerApp.allow_root=True",
        ]

    def start(self, timeout: float = 60.0) -> None:
        command = self.command()
        self.work_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            command,
            env=self._environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=self.root_dir,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "api/status")
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def api(self, method: str, path: str):
        request = urllib.request.Request(
            f"{self.base_url}/{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with _OPENER.open(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every session, so each notebook starts in a fresh kernel and memory stays flat."""
        for session in self.api("GET", "api/sessions"):
            self.api("DELETE", f"api/sessions/{session['id']}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def __enter__(self) -> LabServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class NetworkGuard:
    """Blocks and records every request from the browser context that is not to 127.0.0.1;
    records the page's console errors and uncaught exceptions."""

    def __init__(self):
        self.blocked: list[str] = []
        self.page_errors: list[str] = []

    def attach(self, context) -> None:
        context.route("**/*", self._route)

    def watch(self, page) -> None:
        # page.route does not see WebSockets; record any to another host (the resolver rule in
        # launch_browser makes them fail anyway).
        page.on("websocket", self._websocket)
        # A widget view that fails to render, or a front-end exception, is logged to the console
        # and nowhere else: JupyterLab on these notebooks logs no error at all, so any counts.
        page.on("pageerror", lambda error: self.page_errors.append(f"uncaught: {error}"))
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error":
            self.page_errors.append(message.text[:500])

    def _route(self, route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == LOCAL_HOST:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _websocket(self, websocket) -> None:
        if urlsplit(websocket.url).hostname != LOCAL_HOST:
            self.blocked.append(websocket.url)


def launch_browser(playwright):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        # Second line of defence: the browser process itself can resolve no host but 127.0.0.1.
        args=["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
    )


# --- the page -------------------------------------------------------------------------------

_WAIT_NOTEBOOK = """(path) => {
    const app = window.jupyterapp;
    const w = app && app.shell.currentWidget;
    return !!(w && w.context && w.context.path === path && w.sessionContext && w.content
              && w.content.widgets.length > 0);
}"""

_RUN_ALL = """async () => {
    const w = window.jupyterapp.shell.currentWidget;
    await w.context.ready;
    await w.sessionContext.ready;
    // stored execution counts would hide a run that stopped early: clear them first
    await window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs');
    // Run All's promise may settle at the first error while later cells still run (a
    // `raises-exception` cell does not stop the run); completion is judged by _RUN_FINISHED.
    window.jupyterapp.commands.execute('notebook:run-all-cells').catch(() => null);
}"""

_KERNEL_IDLE = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    const s = w.sessionContext.session;
    return !!(s && s.kernel && s.kernel.status === 'idle');
}"""

# Every cell is 'running' from the moment it is queued until its reply; the kernel is idle
# between cells too, so both must hold.
_RUN_FINISHED = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    const s = w.sessionContext.session;
    return !!(s && s.kernel && s.kernel.status === 'idle')
        && w.content.widgets.every(c => c.model.type !== 'code' || c.model.executionState !== 'running');
}"""

# One record per cell: what the model holds and what the DOM shows for its outputs.
# A rendered widget view: an ipywidgets one (.jupyter-widgets), or an anywidget one (its view's
# element, an .lm-Widget, holding what the module's render drew).
_WIDGET_VIEW = "':scope > .jupyter-widgets, :scope > .lm-Widget > *'"

_CELL_REPORT = (
    """() => {
    const WIDGET_VIEW = """
    + _WIDGET_VIEW
    + """;
    const w = window.jupyterapp.shell.currentWidget;
    return w.content.widgets.map((cell, index) => {
        const model = cell.model;
        const record = {index, type: model.type, source: model.sharedModel.getSource(),
                        tags: model.getMetadata('tags') || [], count: null, outputs: [],
                        widget_outputs: 0, widget_views: 0, text: '', broken_images: 0, math_errors: 0};
        if (model.type !== 'code') {
            record.math_errors = cell.node.querySelectorAll('mjx-merror').length;
            return record;
        }
        record.count = model.executionCount;
        record.outputs = model.outputs.toJSON().map(o => ({
            output_type: o.output_type, name: o.name || null, ename: o.ename || null,
            evalue: o.evalue || null, mimes: o.data ? Object.keys(o.data) : [],
            text: typeof o.text === 'string' ? o.text : (Array.isArray(o.text) ? o.text.join('') : ''),
        }));
        const area = cell.node.querySelector('.jp-Cell-outputArea');
        if (area) {
            record.text = area.innerText;
            // top-level outputs only: an Output widget holds output areas of its own
            record.widget_views = [...area.querySelectorAll(':scope > .jp-OutputArea-child > .jp-OutputArea-output')]
                .filter(out => out.querySelector(WIDGET_VIEW)).length;
            for (const img of area.querySelectorAll('img')) {
                if (!(img.complete && img.naturalWidth > 0)) record.broken_images += 1;
            }
            record.math_errors = area.querySelectorAll('mjx-merror').length;
        }
        record.widget_outputs = record.outputs.filter(
            o => o.mimes.includes('application/vnd.jupyter.widget-view+json')).length;
        return record;
    });
}"""
)


def open_notebook(page, lab: LabServer, relative_path: str, timeout_ms: int = 60_000) -> None:
    """Load JupyterLab with a fresh workspace showing one notebook."""
    page.goto(lab.url(f"lab/tree/{relative_path}?reset"), timeout=timeout_ms)
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=timeout_ms)
    page.evaluate("async () => { await window.jupyterapp.started; await window.jupyterapp.restored; }")
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=timeout_ms)
    page.wait_for_function(_WAIT_NOTEBOOK, arg=relative_path, timeout=timeout_ms)


def run_all_cells(page, timeout_ms: int = 120_000) -> None:
    page.evaluate(_RUN_ALL)
    page.wait_for_timeout(300)  # let Run All queue its cells
    for _ in range(2):  # twice, a moment apart: finished, not between two cells
        page.wait_for_function(_RUN_FINISHED, timeout=timeout_ms)
        page.wait_for_timeout(300)


def cell_report(page) -> list[dict]:
    return page.evaluate(_CELL_REPORT)


_WIDGETS_SETTLED = (
    """() => { const WIDGET_VIEW = """
    + _WIDGET_VIEW
    + """;
    return window.jupyterapp.shell.currentWidget.content.widgets.every(cell => {
    if (cell.model.type !== 'code') return true;
    const wanted = cell.model.outputs.toJSON().filter(
        o => o.data && 'application/vnd.jupyter.widget-view+json' in o.data).length;
    const area = cell.node.querySelector('.jp-Cell-outputArea');
    if (!area) return wanted === 0;
    const done = [...area.querySelectorAll(':scope > .jp-OutputArea-child > .jp-OutputArea-output')].filter(
        out => out.querySelector(WIDGET_VIEW) || out.innerText.includes('Error displaying widget'));
    return done.length >= wanted;
}); }"""
)


def wait_for_widget_views(page, timeout_ms: int = 15_000) -> None:
    """Widget views render asynchronously after their output arrives; wait until each one has
    either rendered or failed. On time-out carry on: `problems` then names the missing views."""
    try:
        page.wait_for_function(_WIDGETS_SETTLED, timeout=timeout_ms)
    except Exception as exc:  # playwright's TimeoutError; the report says what is missing
        if "Timeout" not in type(exc).__name__:
            raise


def wait_for_images(page, timeout_ms: int = 10_000) -> None:
    """Images (figures, widget PNGs from blob: URLs) decode asynchronously; give them a moment."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell-outputArea img')]
                 .every(img => img.complete)""",
        timeout=timeout_ms,
    )


def problems(cells: list[dict]) -> list[str]:
    """Everything a learner would see as broken after Run All, one line each."""
    found = []
    # a fresh kernel numbers the executed cells 1, 2, 3, ...; a stale count means the run stopped early
    code = [c for c in cells if c["type"] == "code" and c["source"].strip()]
    counts = [c["count"] for c in code]
    if counts != list(range(1, len(code) + 1)):
        found.append(f"not every code cell ran in order in a fresh kernel: execution counts {counts}")
    for cell in cells:
        where = f"cell {cell['index']}"
        for out in cell["outputs"]:
            if out["output_type"] == "error" and "raises-exception" not in cell["tags"]:
                found.append(f"{where}: error output {out['ename']}: {out['evalue']}")
            if out["output_type"] == "stream" and out["name"] == "stderr":
                found.append(f"{where}: stderr output (a warning?): {out['text'][:300]!r}")
        for phrase in ("Error displaying widget", "model not found"):
            if phrase in cell["text"]:
                found.append(f"{where}: shows {phrase!r}")
        if cell["widget_views"] < cell["widget_outputs"]:
            found.append(
                f"{where}: {cell['widget_outputs']} widget output(s) but only {cell['widget_views']} rendered view(s)"
            )
        if cell["broken_images"]:
            found.append(f"{where}: {cell['broken_images']} image(s) did not load")
        if cell["math_errors"]:
            found.append(f"{where}: {cell['math_errors']} MathJax error(s) (bad LaTeX)")
    return found


def screenshot_notebook(page, path: Path) -> None:
    """The whole notebook in one picture: grow the viewport to its height, then restore it."""
    size = page.viewport_size
    height = page.evaluate(
        """() => {
            const app = window.jupyterapp;
            app.shell.collapseLeft();
            const scroller = app.shell.currentWidget.content.node.querySelector('.jp-WindowedPanel-outer')
                || app.shell.currentWidget.content.node;
            scroller.scrollTop = 0;
            return scroller.scrollHeight;
        }"""
    )
    page.set_viewport_size({"width": size["width"], "height": int(min(max(height + 200, size["height"]), 12_000))})
    page.wait_for_timeout(300)  # let the layout settle at the new size
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def copy_notebooks(source: Path, target: Path) -> None:
    """The server works on a copy, so running cells in the browser can never touch the repo."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))


# --- the attention explorer (selfattn_lib.explorer, an anywidget) in the page ---------------------
# Found by the classes explorer.js gives its elements (never by position or wording):
# .selfattn-explorer; .selfattn-editor-X, -W_q, -W_k, -W_v, -W_o (each a .selfattn-matrix-editor)
# with input.selfattn-cell, input.selfattn-token (X's labels), textarea.selfattn-paste,
# .selfattn-paste-button, .selfattn-reset and .selfattn-message; .selfattn-mask (two radios),
# .selfattn-scaled, .selfattn-focus select, .selfattn-size-d_model/-d_k/-d_v, .selfattn-add,
# .selfattn-remove, .selfattn-heads input, .selfattn-positions input;
# table.selfattn-table[data-name=Q|K|V|output|concat|X_in]; figure.selfattn-heatmap[data-name=
# scores|weights][data-head=h] holding table.selfattn-heat; .selfattn-contributions;
# .selfattn-steps; the explorer's own message: .selfattn-main-message.

EDITOR_ORDER = ("X", "W_q", "W_k", "W_v")

_EXPLORER_STATE = """(root, editorNames) => {
    const editors = editorNames.map(name => root.querySelector(`.selfattn-editor-${name}`));
    const cells = ed => ed ? [...ed.querySelectorAll('input.selfattn-cell')].map(i => i.value) : [];
    const tokens = [...root.querySelectorAll('.selfattn-editor-X input.selfattn-token')].map(i => i.value);
    const causal = root.querySelector('.selfattn-mask input[type=radio]');
    const checked = root.querySelector('.selfattn-mask input[type=radio]:checked');
    const select = root.querySelector('.selfattn-focus select');
    const tables = {}, titles = {};
    for (const table of root.querySelectorAll('table.selfattn-table')) {
        const name = table.dataset.name;
        const title = root.querySelector('#' + CSS.escape(table.getAttribute('aria-labelledby')));
        titles[name] = title ? title.textContent.trim() : '';
        tables[name] = [...table.querySelectorAll('tbody tr')].map(
            tr => [...tr.querySelectorAll('td')].map(td => td.textContent.trim()));
    }
    const heatmaps = {};
    for (const fig of root.querySelectorAll('figure.selfattn-heatmap')) {
        heatmaps[`${fig.dataset.name}${fig.dataset.head}`] = [...fig.querySelectorAll('tbody tr')].map(
            tr => [...tr.querySelectorAll('td')].map(td => td.textContent.trim()));
    }
    const steps = root.querySelector('.selfattn-steps');
    const stepTables = steps ? [...steps.querySelectorAll('table')].map(t => [...t.querySelectorAll('tr')].map(
        tr => [...tr.querySelectorAll('th,td')].map(c => c.textContent.trim()))) : [];
    const heading = steps ? steps.querySelector('h4') : null;
    const label = input => input ? root.querySelector(`label[for="${input.id}"]`).textContent.trim() : null;
    const text = element => element ? element.textContent.trim() : '';
    const contributions = root.querySelector('.selfattn-contributions');
    return {
        editors: editors.map(cells), tokens,
        mask: label(checked), causal: causal ? causal.checked : null,
        scaled: root.querySelector('.selfattn-scaled input[type=checkbox]').checked,
        focus: select ? select.selectedIndex : null,
        tables, table_titles: titles, heatmaps,
        contributions: contributions ? contributions.textContent + (contributions.querySelector('svg') ?
            contributions.querySelector('svg').getAttribute('aria-label') + contributions.querySelector('svg').innerHTML : '') : '',
        step_heading: text(heading), step_tables: stepTables,
        steps_busy: steps ? steps.querySelector('.selfattn-steps-body').getAttribute('aria-busy') === 'true' : false,
        messages: editors.map(ed => ed ? text(ed.querySelector('.selfattn-message')) : ''),
        message: text(root.querySelector('.selfattn-main-message')),
    };
}"""


class ExplorerPage:
    """Drives the first full explorer (four matrix editors) in the open page (JupyterLab or plain)."""

    def __init__(self, page, root=None):
        self.page = page
        if root is None:
            explorers = page.locator(".selfattn-explorer")
            for name in EDITOR_ORDER:  # the first that lets a learner edit all four matrices
                explorers = explorers.filter(has=page.locator(f".selfattn-editor-{name}"))
            root = explorers.first
        self.root = root
        self.root.wait_for(timeout=30_000)

    def editor(self, name: str):
        return self.root.locator(f".selfattn-editor-{name}")

    def cell(self, name: str, row: int, col: int):
        return self.editor(name).locator(f'input.selfattn-cell[data-row="{row}"][data-col="{col}"]')

    def columns(self, name: str) -> int:
        return self.editor(name).locator('input.selfattn-cell[data-row="0"]').count()

    def state(self) -> dict:
        return self.root.evaluate(_EXPLORER_STATE, list(EDITOR_ORDER))

    def settled(self, timeout_ms: int = 30_000) -> dict:
        """The state once the worked steps for it are written (just after the other views)."""
        self.page.wait_for_function(
            "root => { const s = root.querySelector('.selfattn-steps-body');"
            "          return !s || s.getAttribute('aria-busy') !== 'true'; }",
            arg=self.root.element_handle(),
            timeout=timeout_ms,
        )
        return self.state()

    def matrices(self, state: dict) -> dict:
        n = len(state["tokens"])
        out = {}
        d_model = len(state["editors"][0]) // n
        for name, values in zip(EDITOR_ORDER, state["editors"]):
            rows = n if name == "X" else d_model
            numbers = [float(v.replace(",", ".")) for v in values]
            cols = len(numbers) // rows
            out[name] = [numbers[r * cols : (r + 1) * cols] for r in range(rows)]
        return out

    def wait_for_message(self, name: str, words: str, timeout_ms: int = 30_000) -> None:
        self.editor(name).locator(".selfattn-message", has_text=words).wait_for(timeout=timeout_ms)

    def wait_kernel_idle(self, settle_ms: int = 400) -> None:
        # the kernel sends every widget update before it reports idle; let the page apply them
        self.page.wait_for_timeout(100)
        self.page.wait_for_function(_KERNEL_IDLE, timeout=30_000)
        self.page.wait_for_timeout(settle_ms)

    def type_into(self, locator, text: str) -> None:
        locator.fill(text)
        locator.press("Enter")

    def timed_edit(self, name: str, row: int, col: int, text: str) -> float:
        """Seconds from the Enter key in a grid cell to the next frame painted after it, once
        every view (Q, K, V, heatmaps, outputs, contributions) shows the new state."""
        box = self.cell(name, row, col)
        box.fill(text)
        box.evaluate("""input => {
            window.__selfattnShown = null;
            const root = input.closest('.selfattn-explorer');
            input.addEventListener('keydown', e => {
                if (e.key !== 'Enter') return;
                const start = performance.now();
                const before = root.querySelector('.selfattn-attention').textContent;
                // the views are repainted synchronously in the handlers of this key; the frame
                // that shows them is the next animation frame
                requestAnimationFrame(() => {
                    const changed = root.querySelector('.selfattn-attention').textContent !== before;
                    window.__selfattnShown = {ms: performance.now() - start, changed};
                });
            }, {capture: true, once: true});
        }""")
        box.press("Enter")
        self.page.wait_for_function("() => window.__selfattnShown !== null", timeout=30_000)
        shown = self.page.evaluate("() => window.__selfattnShown")
        assert shown["changed"], "the heatmaps did not change"
        return shown["ms"] / 1000
