"""Issue 27 in Chromium: the pictures the explorer exports are files a learner can use (the PNG
decodes, with the picture's words inside it; the SVG parses and holds the labels), downloaded with
names that say what they hold. The page is served from 127.0.0.1; nothing else is reachable."""
from __future__ import annotations

import functools
import io
import json
import shutil
import threading
import xml.etree.ElementTree as ET
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import browser_helpers as bh
from test_export_pictures import PALETTE, SVG, texts, weights_description

REPO = Path(__file__).resolve().parents[1]
EXPLORER = REPO / "selfattn_lib" / "explorer"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A folder served on 127.0.0.1: the explorer's modules and a bare page that loads export.js."""
    why = bh.browser_missing()
    if why:
        if bh.in_ci():
            pytest.fail(f"CI=true and the browser test cannot run: {why}")
        pytest.skip(bh.HOW_TO_RUN.format(why=why))
    root = tmp_path_factory.mktemp("share-site")
    shutil.copytree(EXPLORER, root / "explorer", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (root / "pictures.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pictures</title></head><body>'
        '<script type="module">import * as pictures from "./explorer/export.js"; window.pictures = pictures;'
        "</script></body></html>", encoding="utf-8")
    server = ThreadingHTTPServer((bh.LOCAL_HOST, 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{bh.LOCAL_HOST}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


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
    top_colour = tuple(int(PALETTE[255][k:k + 2], 16) for k in (1, 3, 5))
    assert top_colour in {colour for _, colour in rgb.getcolors(maxcolors=1 << 20)}
    page.screenshot(path=str(tmp_path / "page.png"))
    print(f"exported pictures ({language}): {files['svg']} {files['png']}")
