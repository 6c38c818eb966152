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

import browser_helpers as bh
import pytest
from say import say

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def browser_ok(pytestconfig):
    bh.need_browser(pytestconfig)


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
def browser_context(browser_ok, pytestconfig):
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    guard = bh.NetworkGuard()
    with sync_playwright() as playwright:
        browser = bh.launch_browser(playwright)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        guard.attach(context)
        yield context, guard
        context.close()
        browser.close()
    say(
        pytestconfig,
        f"browser test took {time.perf_counter() - started:.0f} s (starting chromium and JupyterLab included)",
    )


@pytest.fixture
def page(browser_context, lab):
    context, guard = browser_context
    guard.blocked.clear()
    guard.page_errors.clear()
    page = context.new_page()
    guard.watch(page)
    yield page
    errors = list(guard.page_errors)
    page.close()
    lab.shutdown_kernels()
    assert guard.blocked == [], f"the page tried to reach the network: {guard.blocked}"
    assert errors == [], "errors in the browser console:\n" + "\n".join(errors)


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


# --- no answer in plain sight after Run All (issue 15, item 1) --------------------------------------

SOLUTIONS_NOTEBOOK = "02_scores.ipynb"  # one notebook here; tests/test_solutions.py covers every stored one
_NOTEBOOK_TEXT = "() => window.jupyterapp.shell.currentWidget.content.node.innerText"


def test_no_answer_is_visible_after_run_all_until_the_learner_asks(page, lab):
    """Run All runs every solution cell; before issue 15 each printed its verdict under its exercise
    ("Correct! ... = 0.3050."), JupyterLab's collapsed-output flag covering only the stored output."""
    import re

    from selfattn_lib.strings import text

    bh.open_notebook(page, lab, f"notebooks/{SOLUTIONS_NOTEBOOK}")
    bh.run_all_cells(page)
    bh.wait_for_widget_views(page)
    shown = page.evaluate(_NOTEBOOK_TEXT)
    assert "Not answered yet" in shown  # the exercise cells ran and answered the learner's None
    verdicts = re.findall(r"Correct![^\n]*", shown)
    assert verdicts == [], f"after Run All, answers are on the page: {verdicts}"
    buttons = page.locator(".selfattn-solution button")
    assert [b.strip() for b in buttons.all_inner_texts()] == [text("solution.show")] * 3
    # asked for, the first solution shows its answer under its own button; asked again, it goes
    first = page.locator(".selfattn-solution").first
    buttons.first.click()
    first.get_by_text("Correct!").wait_for(timeout=30_000)
    assert re.search(r"Correct! .*0\.3050", first.inner_text())
    assert len(re.findall(r"Correct!", page.evaluate(_NOTEBOOK_TEXT))) == 1  # the other two stay hidden
    # the label and the answer are two widget messages: wait for the label rather than race it
    page.wait_for_function(
        "([el, label]) => el.innerText.trim() === label",
        arg=[buttons.first.element_handle(), text("solution.hide")],
        timeout=30_000,
    )
    buttons.first.click()
    page.wait_for_function("el => !el.innerText.includes('Correct!')", arg=first.element_handle(), timeout=30_000)


_EDIT_AND_SAVE = """async ([heading, sentence]) => {
    const panel = window.jupyterapp.shell.currentWidget;
    await panel.context.ready;
    const cells = panel.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type === 'markdown' && cell.sharedModel.getSource().startsWith(heading)) {
            cell.sharedModel.setSource(cell.sharedModel.getSource() + '\\n\\n' + sentence);
            await panel.context.save();
            return true;
        }
    }
    return [...Array(cells.length).keys()].map(i => cells.get(i).type + ':' + cells.get(i).sharedModel.getSource().slice(0, 30));
}"""


def test_a_teachers_edit_in_jupyterlab_is_saved_into_both_files(page, lab):
    # make lab installs Jupytext and the repository's jupytext.toml pairs the notebooks: saving a
    # notebook in JupyterLab writes its Markdown twin too, so the edit reaches the text source.
    import shutil
    import sys

    import nbformat

    sys.path.insert(0, str(REPO / "tools"))
    import notebooks as pairs

    shutil.copy(REPO / "jupytext.toml", lab.root_dir / "jupytext.toml")
    path = lab.root_dir / "notebooks" / "03_softmax.ipynb"
    kernelspec = nbformat.read(path, as_version=4).metadata.kernelspec
    sentence = "A sentence a teacher adds in JupyterLab."
    try:
        bh.open_notebook(page, lab, "notebooks/03_softmax.ipynb")
        found = page.evaluate(_EDIT_AND_SAVE, ["## The equation", sentence])
        assert found is True, found
        assert sentence in path.with_suffix(".md").read_text(encoding="utf-8")
        assert pairs.pair_problem(path) is None
        assert nbformat.read(path, as_version=4).metadata.kernelspec == kernelspec
    finally:
        (lab.root_dir / "jupytext.toml").unlink()


def write_notebook(path: Path, sources: list[tuple[str, list[str]]]) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source, metadata={"tags": tags} if tags else {}) for source, tags in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def test_the_checks_see_what_a_learner_would_see_as_broken(page, lab, browser_context):
    # the same checks, on a notebook broken in each way they look for, must report each one
    write_notebook(
        lab.root_dir / "scratch" / "broken.ipynb",
        [
            ("1 / 0", ["raises-exception"]),  # on purpose: allowed
            ("import warnings; warnings.warn('careful')", []),
            (
                "display({'application/vnd.jupyter.widget-view+json':"
                " {'model_id': 'no-such-model', 'version_major': 2, 'version_minor': 0}}, raw=True)",
                [],
            ),
            ("import ipywidgets; ipywidgets.IntSlider(1)", []),
            # a CDN image: the guard must block and record it (".invalid" never resolves anyway)
            ("from IPython.display import HTML\nHTML('<img src=\"http://cdn.example.invalid/plot.png\">')", []),
            ("int('x')", []),
            ("'not reached'", []),
        ],
    )
    bh.open_notebook(page, lab, "scratch/broken.ipynb")
    bh.run_all_cells(page)
    bh.wait_for_widget_views(page)
    found = "\n".join(bh.problems(bh.cell_report(page)))
    assert "cell 0" not in found
    assert "cell 1: stderr output" in found
    assert "cell 2: shows 'Error displaying widget'" in found
    assert "cell 2: 1 widget output(s) but only 0 rendered view(s)" in found
    assert "cell 3" not in found
    assert "cell 4: 1 image(s) did not load" in found
    assert "cell 5: error output ValueError" in found
    assert "not every code cell ran in order" in found  # the run stops at cell 5
    page.close()  # no more requests from this page: what it tried is now complete
    _context, guard = browser_context
    assert set(guard.blocked) == {"http://cdn.example.invalid/plot.png"}
    assert any("widget model not found" in e for e in guard.page_errors), guard.page_errors
    guard.blocked.clear()  # seen and expected; the page fixture fails on anything else
    guard.page_errors.clear()


# --- the explorer ---------------------------------------------------------------------------------

EXPLORER_NOTEBOOK = "09_explorer.ipynb"


def shown(value: str) -> float:
    return float(value.replace("−", "-"))


def label(key: str, **values) -> str:
    """The words the widgets show, from the one place they are kept (so a rewording never breaks this)."""
    from selfattn_lib.strings import text

    return text(key, **values)


def check_shown_numbers(explorer: bh.ExplorerPage, state: dict) -> None:
    """Every number the explorer shows equals the plain-Python reference for the inputs it shows."""
    from reference import reference_attention

    m = explorer.matrices(state)
    assert state["mask"] in (label("causal"), label("bidirectional")), state["mask"]
    causal = state["mask"] == label("causal")
    n = len(state["tokens"])
    Q, K, V, scores, weights, output = reference_attention(
        m["X"], m["W_q"], m["W_k"], m["W_v"], causal=causal, scaled=state["scaled"]
    )
    expected = {"Q": Q, "K": K, "V": V, "output": output}
    for name, reference in expected.items():
        assert name in state["tables"], f"no table named {name!r}: {list(state['tables'])}"
        title = state["table_titles"][name]
        assert title == label(f"view_{name}"), f"table {name} is titled {title!r}"
        rows = state["tables"][name]
        assert len(rows) == n, f"{title}: {len(rows)} rows for {n} tokens"
        for r, (row, ref_row) in enumerate(zip(rows, reference)):
            assert [round(shown(v), 4) for v in row] == pytest.approx([round(x, 4) for x in ref_row], abs=1.01e-4), (
                f"{title} row {r + 1}: shown {row}, reference {ref_row}"
            )
    # the heatmaps: every weight (2 decimals), masked cells empty
    shown_weights = state["heatmaps"]["weights0"]
    for i in range(n):
        for j in range(n):
            if causal and j > i:
                assert shown_weights[i][j] in (label("explorer_masked_cell"),), shown_weights[i][j]
            else:
                assert shown(shown_weights[i][j]) == pytest.approx(weights[i][j], abs=0.0051)
    # the step-by-step view, for the focus token: which weights, their values, and a_i
    focus = state["focus"]
    assert f"token {focus + 1}" in state["step_heading"]
    assert ("causal" if causal else "bidirectional") in state["step_heading"]
    softmax = [t for t in state["step_tables"] if len(t[0]) >= 2 and t[0][1] == "score"]
    assert len(softmax) == 1, state["step_tables"]
    visible = list(range(focus + 1)) if causal else list(range(n))
    assert [int(row[0].split()[0]) - 1 for row in softmax[0][1:]] == visible
    alphas = [shown(row[-1]) for row in softmax[0][1:]]
    assert alphas == pytest.approx([weights[focus][j] for j in visible], abs=1.01e-4)
    a_focus = [shown(v) for v in state["step_tables"][-1][1]]
    assert a_focus == pytest.approx(output[focus], abs=1.01e-4)


@pytest.fixture
def explorer_notebook(lab):
    if (lab.root_dir / "notebooks" / EXPLORER_NOTEBOOK).exists():
        return f"notebooks/{EXPLORER_NOTEBOOK}"
    write_notebook(
        lab.root_dir / "scratch" / "explorer.ipynb",
        [
            ("from selfattn_lib.widgets import AttentionExplorer\nAttentionExplorer()", []),
        ],
    )
    return "scratch/explorer.ipynb"


def test_explorer_follows_every_edit_in_jupyterlab(page, lab, shots, explorer_notebook, pytestconfig):
    bh.open_notebook(page, lab, explorer_notebook)
    bh.run_all_cells(page)
    bh.wait_for_widget_views(page)
    found = bh.problems(bh.cell_report(page))
    assert not found, "\n".join(found)
    explorer = bh.ExplorerPage(page)
    start = explorer.settled()
    check_shown_numbers(explorer, start)
    assert start["mask"] == label("causal") and start["scaled"]

    # 1. a W^Q cell: Q, the heatmaps and every number downstream follow (the steps too, written in the page)
    old = explorer.matrices(start)["W_q"][0][0]
    explorer.type_into(explorer.cell("W_q", 0, 0), "0.9")
    edited = explorer.settled()
    assert explorer.matrices(edited)["W_q"][0][0] == 0.9 != old
    assert edited["heatmaps"] != start["heatmaps"] and edited["tables"] != start["tables"]
    check_shown_numbers(explorer, edited)

    # 2. causal off
    explorer.root.locator(".selfattn-mask label", has_text=label("bidirectional")).click()
    bidirectional = explorer.settled()
    assert bidirectional["mask"] == label("bidirectional")
    assert bidirectional["heatmaps"] != edited["heatmaps"]
    check_shown_numbers(explorer, bidirectional)

    # 3. one more token
    explorer.root.locator("button.selfattn-add").click()
    grown = explorer.settled()
    assert len(grown["tokens"]) == len(bidirectional["tokens"]) + 1
    check_shown_numbers(explorer, grown)

    # 4. another focus token: its contributions and its worked steps
    assert grown["focus"] != 0
    explorer.root.locator(".selfattn-focus select").select_option(index=0)
    focused = explorer.settled()
    assert focused["focus"] == 0
    assert focused["contributions"] != grown["contributions"]
    assert focused["step_heading"] != grown["step_heading"]
    check_shown_numbers(explorer, focused)

    # 5. not a number in a box: a message by that matrix, the last valid state everywhere
    kept = focused["editors"][bh.EDITOR_ORDER.index("W_q")][1 * explorer.columns("W_q") + 1]
    explorer.type_into(explorer.cell("W_q", 1, 1), "abc")
    bad_number = label("bad_number", value="abc", row=2, col=2, old=kept)
    explorer.wait_for_message("W_q", bad_number)
    after_text = explorer.settled()
    w_q = bh.EDITOR_ORDER.index("W_q")
    assert after_text["messages"][w_q] == f"⚠ {bad_number}", after_text["messages"]
    assert after_text["message"] == ""  # said by the W^Q editor, not under the whole explorer
    assert explorer.matrices(after_text) == explorer.matrices(focused)  # the box shows the kept value
    assert after_text["heatmaps"] == focused["heatmaps"] and after_text["tables"] == focused["tables"]
    assert explorer.matrices(after_text)["W_q"][0][0] == 0.9  # nothing typed before is lost

    # 6. a pasted matrix of the wrong shape: the same
    editor = explorer.editor("W_q")
    editor.locator("textarea").fill("1 2\n3 4")
    editor.locator("button.selfattn-paste-button").click()
    wrong_shape = label("paste_shape", rows=4, cols=4, what=label("rows_dims"), got_rows=2, got_cols=2)
    explorer.wait_for_message("W_q", wrong_shape)
    after_paste = explorer.settled()
    assert explorer.matrices(after_paste) == explorer.matrices(focused)
    assert after_paste["heatmaps"] == focused["heatmaps"] and after_paste["tables"] == focused["tables"]
    # "next to the control": the message sits in the W^Q editor, just under its paste box
    message = editor.locator(".selfattn-message").bounding_box()
    paste_box = editor.locator("textarea").bounding_box()
    assert message and 0 <= message["y"] - (paste_box["y"] + paste_box["height"]) < 80
    bh.screenshot_notebook(page, shots / "explorer_after_edits.png")

    # latency: Enter in a grid cell to the frame showing every view repainted (no kernel involved)
    latencies = sorted(explorer.timed_edit("W_q", 2, 2, f"{0.05 * k:.2f}") for k in range(1, 13))
    median = (latencies[5] + latencies[6]) / 2
    say(
        pytestconfig,
        f"explorer in-browser latency, grid edit -> views repainted: median {median * 1000:.1f} ms "
        f"over {len(latencies)} edits (min {latencies[0] * 1000:.1f}, max {latencies[-1] * 1000:.1f})",
    )
    final = explorer.settled()
    explorer.wait_kernel_idle()
    assert explorer.matrices(final)["W_q"][2][2] == 0.6
    check_shown_numbers(explorer, explorer.settled())


# --- hostile input and accessibility in the page (issue 14) --------------------------------------


def axe_script() -> Path:
    """axe-core as shipped (pinned) by the axe-playwright-python wheel: no CDN, no download."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js")


PORTUGUESE_EXPLORER = "pt/09_explorador.ipynb"


def axe_all_rules(root) -> dict:
    """axe-core with every rule it has (WCAG A/AA, best practice and the rest) on `root`."""
    return root.evaluate("""root => axe.run(root, {resultTypes: ['violations'],
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})""")


def test_explorer_under_hostile_input_in_jupyterlab(page, lab, shots, pytestconfig):
    """The Portuguese explorer notebook: "0,5" typed in a box is 0.5 in the result, a bad number
    gets a Portuguese message; then a bad label, a huge value, a decimal-comma paste and a resize
    round trip, each in the page; the keyboard; then axe-core (every rule) audits the explorer."""
    bh.open_notebook(page, lab, f"notebooks/{PORTUGUESE_EXPLORER}")
    bh.run_all_cells(page)
    bh.wait_for_widget_views(page)
    found = bh.problems(bh.cell_report(page))
    assert not found, "\n".join(found)
    explorer = bh.ExplorerPage(page)
    explorer.settled()
    w_q, w_v = bh.EDITOR_ORDER.index("W_q"), bh.EDITOR_ORDER.index("W_v")

    # 0. a decimal comma typed in a number box: W^Q[1, 1] becomes 0.5 and Q = X W^Q follows
    from reference import reference_attention

    import selfattn_lib as sa

    chapter = sa.chapter_example()
    explorer.type_into(explorer.cell("W_q", 0, 0), "0,5")
    start = explorer.settled()
    assert start["editors"][w_q][0] == "0,5", start["editors"][w_q][:4]  # shown back in Portuguese
    W_q = [list(row) for row in chapter.W_q]
    W_q[0][0] = 0.5  # what "0,5" must mean, put in by hand
    Q = reference_attention(chapter.X.tolist(), W_q, chapter.W_k.tolist(), chapter.W_v.tolist())[0]
    for row, ref_row in zip(start["tables"]["Q"], Q, strict=True):
        assert [shown(v.replace(",", ".")) for v in row] == pytest.approx(ref_row, abs=1.01e-4)
    assert start["tables"]["Q"][0][0] == "0,6000"  # 0.5 + 2 * (-0.1) + 0.3, with a decimal comma
    #    and a number that is not one: a Portuguese message, the box and the result unchanged
    explorer.type_into(explorer.cell("W_q", 0, 1), "0,2x")
    explorer.wait_for_message("W_q", label("bad_number", language="pt", value="0,2x", row=1, col=2, old="0,2"))
    refused = explorer.state()
    assert refused["editors"] == start["editors"] and refused["tables"] == start["tables"]

    # 1. a label far too long, an invisible one, one written as math: refused / kept literally
    token = explorer.editor("X").locator("input.selfattn-token").nth(1)
    explorer.type_into(token, "x" * 5000)
    explorer.wait_for_message("X", "no máximo 40 caracteres")
    assert explorer.state()["tokens"] == start["tokens"]
    explorer.type_into(token, "\u200b")
    explorer.wait_for_message("X", label("label_invisible", language="pt", old="gato"))
    explorer.type_into(token, "$x^2$ R$5")
    literal = explorer.settled()
    assert literal["tokens"][1] == "$x^2$ R$5"
    weights = explorer.root.locator('figure.selfattn-heatmap[data-name="weights"] thead th').all_text_contents()
    assert "$x^2$ R$5" in weights  # drawn as typed, never as math
    assert "$x^2$ R$5" in literal["step_heading"] or any(
        "$x^2$ R$5" in c for t in literal["step_tables"] for r in t for c in r
    )

    # 2. a value just above the limit in W^V: refused, quoted exactly, the box shows the value in use
    kept = literal["editors"][w_v][0]
    explorer.type_into(explorer.cell("W_v", 0, 0), "1.0000000001e12")
    explorer.wait_for_message("W_v", "1000000000100")
    after_huge = explorer.settled()
    assert after_huge["editors"][w_v][0] == kept and after_huge["tables"] == literal["tables"]

    # 3. a paste with decimal commas, numbers separated by spaces, tabs and semicolons
    editor = explorer.editor("W_q")
    editor.locator("textarea").fill("\n".join(["0,5 0,25\t-1,5; 2"] * 4))
    editor.locator("button.selfattn-paste-button").click()
    explorer.wait_for_message("W_q", "primeira linha lida como 0,5")
    pasted = explorer.settled()
    assert pasted["editors"][w_q] == ["0,5", "0,25", "-1,5", "2"] * 4
    assert pasted["heatmaps"] != after_huge["heatmaps"]

    # 4. d_model 4 -> 2 -> 4: the learner's numbers come back
    d_model = explorer.root.locator("input.selfattn-size-d_model")
    explorer.type_into(d_model, "2")
    assert len(explorer.settled()["editors"][0]) == 3 * 2
    explorer.type_into(d_model, "4")
    back = explorer.settled()
    assert back["editors"] == pasted["editors"]

    # 5. the keyboard: arrows move inside a matrix, Escape puts the number in use back, Enter applies
    first = explorer.cell("W_k", 0, 0)
    first.focus()
    page.keyboard.press("ArrowDown")
    assert explorer.cell("W_k", 1, 0).evaluate("e => e === document.activeElement")
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    assert explorer.cell("W_k", 1, 1).evaluate("e => e === document.activeElement")
    page.keyboard.press("ArrowUp")
    page.keyboard.type("7")
    page.keyboard.press("Escape")
    assert explorer.cell("W_k", 0, 1).input_value() == back["editors"][2][1]
    page.keyboard.press("Control+a")
    page.keyboard.type("0,75")
    page.keyboard.press("Enter")
    keyed = explorer.settled()
    assert keyed["editors"][2][1] == "0,75" and keyed["heatmaps"] != back["heatmaps"]
    bh.screenshot_notebook(page, shots / "explorer_hostile.png")

    # 6. accessibility: every box named by matrix, row and column; axe-core, every rule, finds nothing
    names = (
        explorer.editor("W_q")
        .locator("input.selfattn-cell")
        .evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    )
    assert names[1] == "W^Q linha 1 coluna 2"  # the Portuguese explorer names them in Portuguese
    explorer.root.locator("details.selfattn-save summary").click()
    explorer.root.locator("details.selfattn-heads-section summary").click()
    page.add_script_tag(path=str(axe_script()))
    report = axe_all_rules(explorer.root)
    found = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["html"][:160]) for v in report["violations"]]
    say(
        pytestconfig,
        f"axe-core {report['testEngine']['version']} on the explorer in JupyterLab, every rule: "
        f"{len(found)} violation(s) {found}",
    )
    assert not found, found
