"""The explorer on a plain HTML page (tools/explorer_page.py), without Jupyter or a kernel, in
Debian's chromium: it computes and draws every view itself, makes no request outside its own
files, shows only words from strings.py / strings_pt.py, works by keyboard, and axe-core (every
rule) finds nothing. Skips like test_browser.py when chromium is missing (fails in CI)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import browser_helpers as bh
import pytest
from reference import reference_attention
from say import say

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import explorer_page  # noqa: E402

from selfattn_lib import steps  # noqa: E402
from selfattn_lib.explorer import MODULE_FILES, ExplorerState, page_payload, validate  # noqa: E402  # noqa: E402
from selfattn_lib.explorer.payload import STRING_KEYS  # noqa: E402
from selfattn_lib.explorer.steps_view import page_blocks  # noqa: E402
from selfattn_lib.strings import text  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    bh.need_browser()
    folder = tmp_path_factory.mktemp("explorer-page")
    explorer_page.build(folder)
    with bh.serving(folder) as url:
        yield folder, url


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = bh.launch_browser(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site):
    folder, base = site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    guard = bh.NetworkGuard()
    guard.attach(context)
    requests = []
    page = context.new_page()
    guard.watch(page)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{base}/index.html")
    page.wait_for_selector("body[data-ready=true]", timeout=15_000)
    yield page
    context.close()
    own = {f"{base}/index.html", *(f"{base}/explorer/{name}" for name in MODULE_FILES)}
    assert set(requests) <= own, f"requests outside the page's own files: {set(requests) - own}"
    assert guard.blocked == [] and guard.page_errors == [], (guard.blocked, guard.page_errors)


def explorer_in(page, language: str) -> bh.ExplorerPage:
    return bh.ExplorerPage(page, page.locator(f"#explorer-{language} .selfattn-explorer"))


def number(value: str) -> float:
    return float(value.replace(",", "."))


def check_numbers(explorer, state) -> None:
    m = explorer.matrices(state)
    causal = state["causal"]
    Q, K, V, _scores, weights, output = reference_attention(
        m["X"], m["W_q"], m["W_k"], m["W_v"], causal=causal, scaled=state["scaled"]
    )
    for name, ref in {"Q": Q, "K": K, "V": V, "output": output}.items():
        shown = [number(v) for row in state["tables"][name] for v in row]
        assert shown == pytest.approx([x for row in ref for x in row], abs=0.5001e-4), name
    n = len(state["tokens"])
    for i in range(n):
        for j in range(n):
            if not (causal and j > i):
                assert number(state["heatmaps"]["weights0"][i][j]) == pytest.approx(weights[i][j], abs=0.005001)


def test_the_page_is_interactive_without_a_kernel(page):
    explorer = explorer_in(page, "en")
    start = explorer.state()
    check_numbers(explorer, start)
    assert start["steps_busy"] is False and "token 3" in start["step_heading"]
    explorer.type_into(explorer.cell("X", 1, 0), "5")
    edited = explorer.state()
    assert explorer.matrices(edited)["X"][1][0] == 5 and edited["heatmaps"] != start["heatmaps"]
    check_numbers(explorer, edited)
    # no kernel, yet the worked steps follow the edit (steps.js, written just after the frame that
    # shows the other views), reading as steps.py's for that state
    explorer.settled()
    assert explorer.root.locator(".selfattn-steps-body").text_content() == steps_text(page, "en")
    explorer.root.locator(".selfattn-focus select").select_option("0")
    explorer.settled()
    assert explorer.root.locator(".selfattn-steps-body").text_content() == steps_text(page, "en")
    explorer.root.locator(".selfattn-mask label", has_text=text("bidirectional")).click()
    explorer.root.locator("button.selfattn-add").click()
    grown = explorer.state()
    assert len(grown["tokens"]) == 4 and grown["causal"] is False
    check_numbers(explorer, grown)
    # the Portuguese explorer beside it: its own state, decimal commas
    pt = explorer_in(page, "pt")
    assert pt.state()["tables"]["Q"][0][0] == "0,2000"
    explorer.root.locator("button.selfattn-reset-all").click()
    assert explorer.state()["tables"] == start["tables"]


def steps_text(page, language) -> str:
    """The text of steps.py's worked steps for the state the page shows, as the page draws them."""
    data = page.evaluate(f"window.explorer_{language}.model.get('page_state')")
    state = ExplorerState.from_page({k: v for k, v in data.items() if k != "rev"})
    worked = steps.worked_steps(
        validate(state), state.X_in, state.W_q, state.tokens, state.focus, language=language, positions=state.positions
    )

    def flat(nodes):
        return "".join(n if isinstance(n, str) else flat(n[1]) for n in nodes)

    out = []
    for block in page_blocks(worked, language):
        cells = block["head"] + [c for row in block["rows"] for c in row] if block["k"] == "table" else [block["c"]]
        out += [flat(c) for c in cells]
    return "".join(out)


def test_heads_and_positions_in_the_page(page):
    explorer = explorer_in(page, "en")
    explorer.root.locator("details.selfattn-heads-section summary").click()
    explorer.type_into(explorer.root.locator(".selfattn-heads input"), "2")
    state = explorer.state()
    assert set(state["heatmaps"]) == {"weights0", "weights1"}
    assert explorer.editor("W_o").locator("input.selfattn-cell").count() == 16
    explorer.type_into(explorer.root.locator(".selfattn-heads input"), "3")  # 4 is not divisible by 3
    assert explorer.root.locator(".selfattn-heads-section > .selfattn-message").text_content() == "⚠ " + text(
        "explorer_heads_divide", n_heads=3, d_k=4, d_v=4
    )
    explorer.root.locator(".selfattn-positions input").check()
    assert "X_in" in explorer.state()["tables"]


def test_arrow_keys_enter_and_escape_in_a_matrix(page):
    explorer = explorer_in(page, "en")
    explorer.cell("W_q", 0, 0).focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert explorer.cell("W_q", 2, 0).evaluate("e => e === document.activeElement")
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    assert explorer.cell("W_q", 2, 1).evaluate("e => e === document.activeElement")
    page.keyboard.press("ArrowUp")
    before = explorer.state()
    page.keyboard.press("Control+a")
    page.keyboard.type("9")
    page.keyboard.press("Escape")
    assert explorer.cell("W_q", 1, 1).input_value() == "0.1" and explorer.state() == before
    page.keyboard.press("Control+a")
    page.keyboard.type("0.75")
    page.keyboard.press("Enter")
    assert explorer.state()["tables"]["Q"] != before["tables"]["Q"]
    # left from the first column reaches the token's label
    explorer.cell("X", 0, 0).focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")
    assert explorer.editor("X").locator("input.selfattn-token").first.evaluate("e => e === document.activeElement")


def test_axe_core_with_every_rule_finds_nothing_on_the_page(page, pytestconfig):
    import axe_playwright_python

    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")  # folded ones too
    explorer_in(page, "en").type_into(explorer_in(page, "en").root.locator(".selfattn-heads input"), "2")
    page.add_script_tag(path=str(Path(axe_playwright_python.__file__).with_name("axe.min.js")))
    report = page.evaluate("""() => axe.run(document, {resultTypes: ['violations'],
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})""")
    found = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["html"][:160]) for v in report["violations"]]
    say(
        pytestconfig,
        f"axe-core {report['testEngine']['version']} on the plain explorer page, every rule: {len(found)} violation(s)",
    )
    assert not found, found


def test_saving_and_loading_follow_the_state(page, tmp_path):
    explorer = explorer_in(page, "en")
    root = explorer.root
    root.locator("details.selfattn-save summary").click()
    root.locator("button.selfattn-export").click()
    exported = root.locator("textarea.selfattn-json").input_value()
    explorer.type_into(explorer.cell("X", 0, 0), "7")
    # the JSON box shown after Export follows later edits (it was left with an old state)
    assert json.loads(root.locator("textarea.selfattn-json").input_value())["X"][0][0] == 7
    # the download is the state on screen
    with page.expect_download() as download:
        root.locator("button.selfattn-download").click()
    saved = tmp_path / "saved.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text())["X"][0][0] == 7
    # the same file chosen twice is read twice (the second restore was skipped)
    first = tmp_path / "first.json"
    first.write_text(exported)
    for _ in range(2):
        root.locator("input.selfattn-file").set_input_files(str(first))
        page.wait_for_function(
            "root => root.querySelector('.selfattn-editor-X input.selfattn-cell').value === '1'",
            arg=root.element_handle(),
        )
        assert root.locator(".selfattn-save .selfattn-message").text_content().startswith("Loaded")
        explorer.type_into(explorer.cell("X", 0, 0), "8")


def test_labels_are_always_drawn_as_the_literal_text(page):
    explorer = explorer_in(page, "en")
    labels = ["$x^2$", "R$5 e R$6", "<b>oi</b>"]
    for row, label in enumerate(labels):
        explorer.type_into(explorer.editor("X").locator("input.selfattn-token").nth(row), label)
    heads = explorer.root.locator('figure.selfattn-heatmap[data-name="weights"] thead th').all_text_contents()
    assert heads == labels
    assert explorer.root.locator("figure b").count() == 0  # no markup made from a label


def test_every_word_the_page_shows_comes_from_the_strings(browser, site):
    """Each string replaced by a marker ⟦key⟧: whatever text the page shows is markers, numbers,
    the learner's labels and symbols; any other word would be written in the module."""
    folder, base = site
    payload = page_payload("en")
    payload["strings"] = {
        key: f"⟦{key}⟧" + " ".join(f"{{{name}}}" for name in re.findall(r"\{(\w+)\}", text(key))) for key in STRING_KEYS
    }
    (folder / "markers.html").write_text(
        f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><link rel="stylesheet" href="explorer/explorer.css"><title>markers</title></head>
<body><main><div id="x"></div></main><script type="module">
import {{ mount }} from "./explorer/standalone.js";
const m = mount(document.getElementById("x"), {json.dumps(payload)});
document.querySelectorAll("details").forEach(d => d.open = true);
document.body.dataset.ready = "true";
</script></body></html>""",
        encoding="utf-8",
    )
    page = browser.new_page()
    page.goto(f"{base}/markers.html")
    page.wait_for_selector("body[data-ready=true]")
    explorer = bh.ExplorerPage(page, page.locator(".selfattn-explorer"))
    explorer.type_into(explorer.root.locator(".selfattn-heads input"), "2")
    explorer.type_into(explorer.cell("W_q", 0, 0), "abc")  # a message
    shown = page.evaluate("""() => {
        const root = document.querySelector('.selfattn-explorer');
        const texts = [];
        const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) if (!walk.currentNode.parentElement.closest('.selfattn-steps-body')) texts.push(walk.currentNode.textContent);
        for (const el of root.querySelectorAll('[aria-label],[title],[placeholder]'))
            for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) texts.push(el.getAttribute(a));
        return texts;
    }""")
    page.close()
    labels = set(payload["page_state"]["labels"])
    allowed = {"X", "W^Q", "W^K", "W^V", "W^O", "d_model", "d_k", "d_v", "abc", "e"}
    words = []
    for piece in shown:
        rest = re.sub(r"⟦\w+⟧|W\^[QKVO]", " ", piece)
        for label in labels:
            rest = rest.replace(label, " ")
        rest = re.sub(r"[-+]?\d[\d.,]*(e[-+]?\d+)?", " ", rest)
        words += [w for w in re.findall(r"[^\W\d_]{2,}|\S*[A-Za-z]\S*", rest) if w not in allowed]
    assert not words, sorted(set(words))


def test_one_rounding_in_every_view_and_its_text_alternative(page):
    """The old explorer showed 0.13 in a heatmap and 0.12 in its alt text (and .4f beside half up)."""
    explorer = explorer_in(page, "en")
    explorer.editor("X").locator("textarea").fill("0.125 0.375 0.625 0.875\n1.005 2.015 0.245 0.135\n3 1 0.5 0.25")
    explorer.editor("X").locator("button.selfattn-paste-button").click()
    state = explorer.state()
    description = explorer.root.locator('figure.selfattn-heatmap[data-name="weights"] p.selfattn-sr').text_content()
    weights = state["heatmaps"]["weights0"]
    said = re.findall(r"\((\d\.\d\d)\)", description)  # each row's largest weight, in words
    assert said == [max((number(v), v) for v in row if v != text("explorer_masked_cell"))[1] for row in weights]
    from selfattn_lib import rounding

    m = explorer.matrices(state)
    Q = reference_attention(m["X"], m["W_q"], m["W_k"], m["W_v"])[0]
    assert [v for row in state["tables"]["Q"] for v in row] == [rounding.fmt(x, 4) for row in Q for x in row]
