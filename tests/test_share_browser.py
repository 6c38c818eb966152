"""Issue 27 in Chromium, on the explorer's plain page (the site's explorer page is the same module,
mounted the same way; tools/explorer_page.py builds it): "Copy link" gives a link that, opened in
a new page, shows the same state (same boxes, numbers and heatmaps); a damaged link opens the
chapter's example and says why; the pictures the explorer exports are files a learner can use (the
PNG decodes, with the picture's words inside it; the SVG parses and holds the labels), downloaded
with names that say what they hold. Served from 127.0.0.1; nothing else is reachable."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import browser_helpers as bh
import numpy as np
import pytest
from test_export_pictures import PALETTE, texts, weights_description

from selfattn_lib.explorer import share
from selfattn_lib.explorer.payload import chapter_state
from selfattn_lib.explorer.state import ExplorerState
from selfattn_lib.strings import text

REPO = Path(__file__).resolve().parents[1]
EXPLORER = REPO / "selfattn_lib" / "explorer"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A folder served on 127.0.0.1: the explorer's modules and a bare page that loads export.js."""
    bh.need_browser()
    root = tmp_path_factory.mktemp("share-site")
    shutil.copytree(EXPLORER, root / "explorer", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (root / "pictures.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pictures</title></head><body>'
        '<script type="module">import * as pictures from "./explorer/export.js"; window.pictures = pictures;'
        "</script></body></html>",
        encoding="utf-8",
    )
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "explorer_page.py"), str(root / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with bh.serving(root) as url:
        yield url


@pytest.fixture(scope="module")
def context():
    from playwright.sync_api import sync_playwright

    guard = bh.NetworkGuard()
    with sync_playwright() as playwright:
        browser = bh.launch_browser(playwright)
        ctx = browser.new_context(viewport={"width": 1200, "height": 800}, accept_downloads=True)
        guard.attach(ctx)
        yield ctx, guard
        ctx.close()
        browser.close()


@pytest.fixture
def page(context):
    ctx, guard = context
    guard.blocked.clear()
    guard.page_errors.clear()
    page = ctx.new_page()
    guard.watch(page)
    yield page
    page.close()
    assert guard.blocked == [], guard.blocked
    assert guard.page_errors == [], guard.page_errors


SAVE = """async ([d, base, format]) => {
    const svg = window.pictures.heatmapSvg(d);
    return await window.pictures.savePicture(svg, base, format, [["Title", d.title], ["Description", d.alt]]);
}"""


@pytest.mark.parametrize("language", ["en", "pt"])
def test_exported_png_decodes_and_svg_parses_with_the_labels(page, site, tmp_path, language):
    from PIL import Image

    labels = ["O", "gato", "<preto> & $x^2$"]
    d, result = weights_description(labels, language)
    d["alt"] = " ; ".join(labels)
    page.goto(f"{site}/pictures.html")
    page.wait_for_function("() => !!window.pictures")
    files = {}
    for format in ("svg", "png"):
        with page.expect_download() as info:
            name = page.evaluate(SAVE, [d, "weights-head-1", format])
        download = info.value
        assert download.suggested_filename == name == f"weights-head-1.{format}"
        files[format] = tmp_path / name
        download.save_as(files[format])
    words = texts(files["svg"].read_text(encoding="utf-8"))
    assert all(words.count(label) == 2 for label in labels)
    image = Image.open(io.BytesIO(files["png"].read_bytes()))
    image.load()  # decodes every pixel (a broken file raises here)
    svg_root = ET.fromstring(files["svg"].read_bytes())
    assert image.size == (2 * int(svg_root.get("width")), 2 * int(svg_root.get("height")))
    assert image.text["Title"] == d["title"] and all(label in image.text["Description"] for label in labels)
    # the picture is drawn, not blank: the colour of the cell weighing 1 (token 1 sees only itself) is there
    rgb = image.convert("RGB")
    top_colour = tuple(int(PALETTE[255][k : k + 2], 16) for k in (1, 3, 5))
    assert top_colour in {colour for _, colour in rgb.getcolors(maxcolors=1 << 20)}
    page.screenshot(path=str(tmp_path / "page.png"))
    print(f"exported pictures ({language}): {files['svg']} {files['png']}")


# --- the explorer's plain page -----------------------------------------------------------------------


def open_explorer(page, url: str, language: str = "en") -> bh.ExplorerPage:
    page.goto(url)
    page.wait_for_function("() => document.body.dataset.ready === 'true'")
    return bh.ExplorerPage(page, root=page.locator(f"#explorer-{language} .selfattn-explorer"))


def page_state(page, language: str = "en") -> ExplorerState:
    """The state the page's explorer holds, read by the library (exact numbers, not box texts)."""
    data = page.evaluate(f"() => window.explorer_{language}.model.get('page_state')")
    return ExplorerState.from_page({k: v for k, v in data.items() if k != "rev"})


def seen(state: dict) -> dict:
    """What a learner sees: every box, table, heatmap and the switches (not the messages)."""
    return {k: v for k, v in state.items() if k not in {"message", "messages", "steps_busy"}}


@pytest.mark.parametrize("language", ["en", "pt"])
def test_a_copied_link_opens_the_same_state_in_a_new_page(context, site, language):
    ctx, guard = context
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    url = f"{site}/page/index.html"
    first = ctx.new_page()
    guard.watch(first)
    explorer = open_explorer(first, url, language)
    # a state no one gets by accident: a fourth token, a typed number, bidirectional, two heads
    explorer.root.locator(".selfattn-add").click()
    explorer.type_into(explorer.cell("X", 0, 1), "0,7" if language == "pt" else "0.7")
    explorer.type_into(explorer.cell("W_q", 2, 3), "-1.25e-3")
    explorer.root.locator(".selfattn-mask input[type=radio]").nth(1).check()
    explorer.root.locator(".selfattn-heads-section summary").click()
    explorer.type_into(explorer.root.locator(".selfattn-heads input"), "2")
    label = explorer.root.locator(".selfattn-editor-X input.selfattn-token").nth(1)
    explorer.type_into(label, "<b>gato</b> $x^2$")
    before = explorer.state()  # (no kernel: the steps stay "waiting", so not settled())
    assert before["tokens"][1] == "<b>gato</b> $x^2$" and len(before["tokens"]) == 4
    state = page_state(first, language)
    assert state.n_heads == 2 and state.causal is False and state.X[0, 1] == 0.7

    explorer.root.locator(".selfattn-copy-link").click()
    explorer.root.locator(".selfattn-share-message", has_text=text("link_copied", language, length=0)[:12]).wait_for()
    link = first.evaluate("() => navigator.clipboard.readText()")
    assert link == explorer.root.locator("input.selfattn-link").input_value()
    assert link.startswith(url + "#state=") and len(link) < share.LONG_LINK
    assert share.state_from_link(link).to_json() == state.to_json()  # Python reads what the page wrote

    second = ctx.new_page()
    guard.watch(second)
    reopened = open_explorer(second, link, language)
    after = reopened.state()
    assert seen(after) == seen(before)  # every box, number and heatmap as it was
    assert page_state(second, language).to_json() == state.to_json()  # to the last digit
    assert (
        text("link_opened", language, n=4, d_model=4, d_k=4, d_v=4)
        in reopened.root.locator(".selfattn-share-message").inner_text()
    )
    assert reopened.root.locator(".selfattn-editor-X input.selfattn-token").nth(1).input_value() == "<b>gato</b> $x^2$"
    assert reopened.root.locator("b").count() == 0  # the label is text, not markup
    # the link box never shows an older state's link: emptied by an edit, then the new state's
    box = explorer.root.locator("input.selfattn-link")
    explorer.type_into(explorer.cell("X", 2, 2), "3")
    assert box.input_value() != link  # empty, or already the new state's link (checked next)
    first.wait_for_function("box => box.value !== ''", arg=box.element_handle())
    assert (
        share.state_from_link(box.input_value()).to_json() == page_state(first, language).to_json() != state.to_json()
    )
    first.close()
    second.close()
    assert guard.blocked == [] and guard.page_errors == [], (guard.blocked, guard.page_errors)


@pytest.mark.parametrize("language", ["en", "pt"])
def test_a_damaged_link_opens_the_chapter_example_and_says_why(page, site, language):
    good = share.state_link(
        ExplorerState.of(["a", "b"], [[1, 2], [3, 4]], [[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 0], [0, 1]]),
        base=f"{site}/page/index.html",
    )
    explorer = open_explorer(page, good[:-6], language)
    message = explorer.root.locator(".selfattn-share-message").inner_text()
    assert text("link_why_check", language) in message
    assert message.rstrip().endswith(text("link_fallback", language, why="").strip())
    assert page_state(page, language) == chapter_state()
    # a good link pasted into the address bar: only the fragment changes, the page opens it
    page.evaluate("link => { window.location.hash = link.split('#')[1]; }", good)
    page.wait_for_function(f"() => window.explorer_{language}.model.get('page_state').n === 2")
    assert page_state(page, language).tokens == ["a", "b"]
    # then a newer-format link: refused, and the learner's state stays as it is
    newer = "state=" + share.encode_state(chapter_state()).replace("A", "Ag", 1)[:2] + "AAAAAAAAAA"
    page.evaluate("fragment => { window.location.hash = fragment; }", newer)
    explorer.root.locator(".selfattn-share-message.selfattn-error").wait_for()
    assert page_state(page, language).tokens == ["a", "b"]


EXPECTED_FILES = {
    "en": ["scores-head-1", "weights-head-1", "contributions-token-3"],
    "pt": ["scores-cabeca-1", "pesos-cabeca-1", "contribuicoes-token-3"],
}


@pytest.mark.parametrize("language", ["en", "pt"])
def test_every_picture_downloads_as_svg_and_png_with_its_labels(page, site, tmp_path, language):
    from PIL import Image

    explorer = open_explorer(page, f"{site}/page/index.html", language)
    labels = chapter_state().tokens
    figures = explorer.root.locator("figure.selfattn-heatmap, figure.selfattn-contrib")
    assert figures.count() == 3
    names = []
    for k in range(figures.count()):
        for format in ("svg", "png"):
            with page.expect_download() as info:
                figures.nth(k).locator(f".selfattn-export-{format}").click()
            download = info.value
            path = tmp_path / download.suggested_filename
            download.save_as(path)
            names.append(path.name)
            if format == "svg":
                words = texts(path.read_text(encoding="utf-8"))
                assert all(label in " ".join(words) for label in labels), words
                if language == "pt":
                    numbers = [w for w in words if w[:1].isdigit() or w[:2] == "-0"]
                    assert numbers and all("." not in w for w in numbers), numbers
            else:
                image = Image.open(path)
                image.load()
                assert image.size[0] > 100 and image.text["Tokens"].split("\n") == labels
                assert image.text["Title"] and image.text["Description"]
        figures.nth(k).locator(".selfattn-export-message", has_text=names[-1]).wait_for()
    assert names == [f"{base}.{format}" for base in EXPECTED_FILES[language] for format in ("svg", "png")]
    # after an edit the picture shows the new numbers, exactly those of the table on screen
    before_edit = [
        v
        for row in explorer.state()["heatmaps"]["weights0"]
        for v in row
        if v and v != text("explorer_masked_cell", language)
    ]
    explorer.type_into(explorer.cell("X", 1, 0), "2,5" if language == "pt" else "2.5")
    masked = text("explorer_masked_cell", language)
    on_screen = [v for row in explorer.state()["heatmaps"]["weights0"] for v in row if v and v != masked]
    assert on_screen != before_edit
    with page.expect_download() as info:
        figures.nth(1).locator(".selfattn-export-svg").click()
    info.value.save_as(tmp_path / "after.svg")
    words = texts((tmp_path / "after.svg").read_text(encoding="utf-8"))
    assert not Counter(on_screen) - Counter(words), (on_screen, words)  # every number on screen is in the picture
    # several heads: one weights picture per head, named by its head
    explorer.root.locator(".selfattn-heads-section summary").click()
    explorer.type_into(explorer.root.locator(".selfattn-heads input"), "2")
    head_two = explorer.root.locator('figure.selfattn-heatmap[data-head="1"]')
    with page.expect_download() as info:
        head_two.locator(".selfattn-export-svg").click()
    assert info.value.suggested_filename == ("pesos-cabeca-2.svg" if language == "pt" else "weights-head-2.svg")


def test_the_share_and_export_controls_pass_axe_with_every_rule(page, site):
    from test_browser import axe_all_rules, axe_script

    explorer = open_explorer(page, f"{site}/page/index.html")
    page.add_script_tag(path=str(axe_script()))
    # the controls this issue adds (the rest of the explorer is audited by its own tests)
    found = page.evaluate("""() => axe.run({include: [['.selfattn-share'], ['.selfattn-share-message'], ['.selfattn-export']]},
        {resultTypes: ['violations'], runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
        'wcag22aa', 'best-practice']}})""")
    assert found["violations"] == [], [(v["id"], [n["html"] for n in v["nodes"]]) for v in found["violations"]]
    everything = axe_all_rules(page.locator("main"))["violations"]
    print("axe on the whole plain page (explorer issue's):", [(v["id"], len(v["nodes"])) for v in everything])
    assert not [
        n
        for v in everything
        for n in v["nodes"]
        if "selfattn-export" in n["html"]
        or "selfattn-link" in n["html"]
        or "selfattn-copy-link" in n["html"]
        or "selfattn-share" in n["html"]
    ]
    # every new control has a name a screen reader says
    for selector in (".selfattn-copy-link", "input.selfattn-link", ".selfattn-export-svg", ".selfattn-export-png"):
        control = explorer.root.locator(selector).first
        assert control.evaluate(
            "e => e.labels && e.labels.length ? e.labels[0].textContent : (e.getAttribute('aria-label') || e.textContent)"
        ).strip()


def test_a_long_link_is_copied_with_a_word_about_its_length(page, context, site):
    ctx, _ = context
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    rng = np.random.default_rng(16)
    big = ExplorerState.of(
        [f"palavra{k}" for k in range(16)],
        rng.normal(size=(16, 10)),
        rng.normal(size=(10, 10)),
        rng.normal(size=(10, 10)),
        rng.normal(size=(10, 10)),
    )
    link = share.state_link(big, base=f"{site}/page/index.html")
    assert share.LONG_LINK < len(link) < share.MAX_LINK
    explorer = open_explorer(page, link, "pt")
    assert page_state(page, "pt").to_json() == big.to_json()
    explorer.root.locator(".selfattn-copy-link").click()
    message = explorer.root.locator(".selfattn-share-message")
    message.filter(has_text="JSON").wait_for()
    assert message.inner_text().strip() == "⚠ " + text("link_long", "pt", length=len(link), limit=share.LONG_LINK)
    assert page.evaluate("() => navigator.clipboard.readText()") == link


# --- in JupyterLab ----------------------------------------------------------------------------------

NOTEBOOK_CODE = """from selfattn_lib.explorer import AttentionExplorer
explorer = AttentionExplorer(link={link!r})
explorer"""


def test_in_jupyterlab_a_link_opens_in_code_copy_link_points_at_the_site_and_pictures_download(
    context, site, tmp_path_factory, tmp_path
):
    import nbformat
    from PIL import Image

    ctx, guard = context
    state = ExplorerState.of(
        ["um", "<i>dois</i>", "três"],
        [[1, 0.5], [0, 2], [-1, 1]],
        [[1, 0], [0, 1]],
        [[0.5, 0], [0, 1]],
        [[1, 2], [3, 4]],
        causal=False,
        focus=0,
    )
    link = share.state_link(state, "pt")
    root = tmp_path_factory.mktemp("lab-share")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK_CODE.format(link=link))])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "share.ipynb")
    with bh.LabServer(root, tmp_path_factory.mktemp("lab-share-work")) as lab:
        ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=lab.base_url)
        page = ctx.new_page()
        guard.watch(page)
        bh.open_notebook(page, lab, "share.ipynb")
        bh.run_all_cells(page)
        bh.wait_for_widget_views(page)
        explorer = bh.ExplorerPage(page)
        in_lab = explorer.settled()
        # the same state as the site's page shows for this link
        plain = ctx.new_page()
        on_site = open_explorer(plain, f"{site}/page/index.html#" + link.split("#")[1], "en")
        assert in_lab["tokens"] == ["um", "<i>dois</i>", "três"]
        assert in_lab["heatmaps"] == on_site.state()["heatmaps"] and in_lab["tables"] == on_site.state()["tables"]
        plain.close()
        # Copy link in a notebook: the course site's explorer page, the state to the last digit
        explorer.root.locator(".selfattn-copy-link").click()
        explorer.root.locator(".selfattn-share-message", has_text=text("link_copied", length=0)[:12]).wait_for()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied.startswith(share.explorer_url("en") + "#state=")
        assert share.state_from_link(copied).to_json() == state.to_json()
        # a picture from JupyterLab
        with page.expect_download() as info:
            explorer.root.locator('figure.selfattn-heatmap[data-name="weights"] .selfattn-export-png').click()
        assert info.value.suggested_filename == "weights-head-1.png"
        info.value.save_as(tmp_path / "weights-head-1.png")
        image = Image.open(tmp_path / "weights-head-1.png")
        image.load()
        assert image.text["Tokens"].split("\n") == state.tokens
        page.close()
    assert guard.blocked == [] and guard.page_errors == [], (guard.blocked, guard.page_errors)
