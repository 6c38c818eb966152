"""What the explorer costs (issue 21): in the kernel, in the widget state, and in Chromium.

    python benchmarks/explorer_latency.py [--repeats N] [--no-browser]

Kernel (always): building an explorer; CPU per accepted edit (the page's proposal of a state,
validated, kept; the page writes the worked steps) at 3 tokens and at 16 tokens with 4 heads; the widget
state one explorer stores in a notebook, and the module, stylesheet and words all explorers of a
kernel share (stored once per notebook); widget models over 1,000 actions.
Browser (Debian's chromium, when present): on the plain page (tools/explorer_page.py) and in
JupyterLab, at 16 tokens, d = 8 and 4 heads, the median of N edits from the Enter key to the
animation frame that shows every view repainted; the first render (module loaded to explorer
drawn); axe-core with every rule. Code size: the explorer's files before (commit 2d73db1, the
ipywidgets explorer) and now.
Targets: edit -> repainted within one frame (16 ms); first render < 150 ms; kernel < 5 ms CPU per
accepted edit; < 20 kB of state per explorer; models constant.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))

from selfattn_lib.explorer import AttentionExplorer, ExplorerState  # noqa: E402

OLD_COMMIT = "2d73db1"
OLD_FILES = ["selfattn_lib/widgets.py", "selfattn_lib/explorer_heads.py", "selfattn_lib/explorer_state.py"]
NEW_FILES = [
    "selfattn_lib/widgets.py",
    *(
        f"selfattn_lib/explorer/{n}"
        for n in (
            "__init__.py",
            "state.py",
            "widget.py",
            "payload.py",
            "steps_view.py",
            "explorer.js",
            "steps.js",
            "loader.js",
            "standalone.js",
            "explorer.css",
            "rules.json",
        )
    ),
]


def big_state(n=16, d=8, heads=4, seed=0) -> ExplorerState:
    rng = np.random.default_rng(seed)
    m = lambda r, c: np.round(rng.normal(0, 0.5, (r, c)), 2)  # noqa: E731
    labels = [f"palavra-{k + 1}" for k in range(n)]
    return ExplorerState.of(labels, m(n, d), m(d, d), m(d, d), m(d, d), W_o=m(d, d), n_heads=heads, positions=True)


def kernel_figures(repeats: int) -> dict:
    out = {}
    for name, state in (
        ("chapter (3 tokens, 1 head)", None),
        ("16 tokens, d = 8, 1 head", big_state(heads=1)),
        ("16 tokens, d = 8, 4 heads", big_state()),
    ):
        start = time.perf_counter()
        explorer = AttentionExplorer(state) if state is not None else AttentionExplorer()
        build = time.perf_counter() - start
        cpu = []
        for k in range(repeats):
            data = json.loads(json.dumps(explorer.page_state))
            data["store"]["X"][0][0] = round(0.01 * (k + 1), 2)
            data["rev"] += 1
            t = time.process_time()
            explorer.page_state = data
            cpu.append(time.process_time() - t)
        assert explorer.refusal == {}
        out[name] = {"build_ms": build * 1000, "cpu_per_edit_ms": statistics.median(cpu) * 1000}
        state_json = {k: len(json.dumps(v)) for k, v in explorer.get_state().items()}
        out[name]["state_kB"] = sum(state_json.values()) / 1000
        # held once per kernel (and saved once per notebook), whatever the number of explorers
        shared = getattr(explorer, "library", None)
        if shared is not None:
            out[name]["shared_module_once_kB"] = sum(len(json.dumps(v)) for v in shared.get_state().values()) / 1000
    from ipywidgets.widgets import widget as ipywidget

    before = len(ipywidget._instances)
    explorer = AttentionExplorer()
    made = len(ipywidget._instances) - before
    for k in range(1000):
        data = json.loads(json.dumps(explorer.page_state))
        data["rev"] += 1
        data["focus"] = k % 3
        data["d_model"] = 4 if k % 2 else 3
        explorer.page_state = data
    out["models"] = {"after building": made, "after 1,000 actions": len(ipywidget._instances) - before}
    return out


def code_size() -> dict:
    old = sum(
        len(subprocess.run(["git", "show", f"{OLD_COMMIT}:{f}"], cwd=ROOT, capture_output=True).stdout)
        for f in OLD_FILES
    )
    new = sum((ROOT / f).stat().st_size for f in NEW_FILES)
    lines = lambda files, read: sum(read(f).count(b"\n") for f in files)  # noqa: E731
    old_lines = lines(
        OLD_FILES, lambda f: subprocess.run(["git", "show", f"{OLD_COMMIT}:{f}"], cwd=ROOT, capture_output=True).stdout
    )
    new_lines = lines(NEW_FILES, lambda f: (ROOT / f).read_bytes())
    return {"before_kB": old / 1000, "before_lines": old_lines, "after_kB": new / 1000, "after_lines": new_lines}


_TIMED_EDITS = """async ([selector, repeats]) => {
    const root = document.querySelector(selector);
    const input = root.querySelector('.selfattn-editor-W_q input.selfattn-cell[data-row="2"][data-col="2"]');
    const times = [];
    for (let k = 0; k < repeats; k++) {
        input.value = String((k % 9 + 1) / 10 + 0.05);
        const start = performance.now();
        input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
        const work = performance.now() - start;
        await new Promise(r => requestAnimationFrame(() => r()));
        const frame = performance.now() - start;
        times.push([work, frame]);
        await new Promise(r => setTimeout(r, 30));
    }
    return times;
}"""


def browser_figures(repeats: int) -> dict:
    import browser_helpers as bh
    from playwright.sync_api import sync_playwright

    why = bh.browser_missing()
    if why:
        return {"skipped": why}
    import explorer_page

    from selfattn_lib.explorer import page_payload

    out = {}
    folder = Path(tempfile.mkdtemp())
    explorer_page.build(folder)
    for heads in (4, 1):  # with one head the page also writes the worked steps (steps.js)
        write_big_page(folder, heads, page_payload("en", big_state(heads=heads)))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer((bh.LOCAL_HOST, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://{bh.LOCAL_HOST}:{server.server_address[1]}"
    with sync_playwright() as playwright:
        browser = bh.launch_browser(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for heads in (4, 1):
            renders = []
            for _ in range(5):
                page.goto(f"{base}/big{heads}.html")
                page.wait_for_selector("body[data-ready=true]")
                renders.append(page.evaluate("() => window.__render"))
            times = page.evaluate(_TIMED_EDITS, [".selfattn-explorer", repeats])
            name = (
                "plain page, 16 tokens, 4 heads" if heads == 4 else "plain page, 16 tokens, 1 head (worked steps drawn)"
            )
            out[name] = summary(times) | {
                "first render ms (median of 5)": statistics.median(r["render_ms"] for r in renders),
                "module import ms (median of 5)": statistics.median(r["import_ms"] for r in renders),
            }
        page.goto(f"{base}/index.html")
        page.wait_for_selector("body[data-ready=true]")
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        import axe_playwright_python

        page.add_script_tag(path=str(Path(axe_playwright_python.__file__).with_name("axe.min.js")))
        report = page.evaluate("""() => axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})""")
        out["axe-core, every rule, plain page"] = (
            f"{len(report['violations'])} violation(s) (axe {report['testEngine']['version']})"
        )
        server.shutdown()
        out |= jupyterlab_figures(browser, repeats)
        browser.close()
    return out


def write_big_page(folder: Path, heads: int, payload: dict) -> None:
    (folder / f"big{heads}.html").write_text(
        f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><link rel="stylesheet" href="explorer/explorer.css"><title>16 tokens</title></head>
<body><main><div id="x"></div></main><script type="module">
const t0 = performance.now();
const {{ mount }} = await import("./explorer/standalone.js");
const t1 = performance.now();
mount(document.getElementById("x"), {json.dumps(payload)});
const t2 = performance.now();
window.__render = {{import_ms: t1 - t0, render_ms: t2 - t1}};
document.body.dataset.ready = "true";
</script></body></html>""",
        encoding="utf-8",
    )


def jupyterlab_figures(browser, repeats: int) -> dict:
    import browser_helpers as bh
    import nbformat

    root = Path(tempfile.mkdtemp())
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(
            f"import sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\nfrom explorer_latency import big_state\n"
            "from selfattn_lib.explorer import AttentionExplorer\nAttentionExplorer(big_state())"
        )
    ]
    (root / "bench").mkdir()
    nbformat.write(nb, root / "bench" / "big.ipynb")
    with bh.LabServer(root, Path(tempfile.mkdtemp())) as lab:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        bh.open_notebook(page, lab, "bench/big.ipynb")
        bh.run_all_cells(page)
        page.wait_for_selector(".selfattn-explorer .selfattn-editor-W_o", timeout=60_000)
        page.wait_for_timeout(500)
        times = page.evaluate(_TIMED_EDITS, [".selfattn-explorer", repeats])
        page.wait_for_function(bh._KERNEL_IDLE, timeout=30_000)
        refused = page.evaluate("() => document.querySelector('.selfattn-main-message').textContent")
        page.close()
    return {"JupyterLab, 16 tokens, 4 heads": summary(times) | {"kernel refused nothing": not refused}}


def summary(times) -> dict:
    work = sorted(t[0] for t in times)
    frame = sorted(t[1] for t in times)
    return {
        "edits": len(times),
        "work ms median": statistics.median(work),
        "work ms max": work[-1],
        "to next frame ms median": statistics.median(frame),
        "to next frame ms max": frame[-1],
    }


def _rounded(value):
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    figures = {"kernel": kernel_figures(args.repeats), "code size": code_size()}
    if not args.no_browser:
        figures["browser"] = browser_figures(args.repeats)
    print(json.dumps(_rounded(figures), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
