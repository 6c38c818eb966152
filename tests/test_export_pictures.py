"""Pictures exported from the explorer (issue 27): export.js turns a heatmap or the contributions
view into a standalone SVG that any XML parser reads, with the title, the token labels as literal
text, the values as shown, the 0-1 colour scale and its legend, in the learner's language (decimal
comma in Portuguese). Run in node here; the PNG (the SVG drawn on a canvas) in Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from explorer_page_cases import need_node
from matplotlib import colormaps
from matplotlib.colors import to_hex

from selfattn_lib import plots
from selfattn_lib.attention import self_attention
from selfattn_lib.example import chapter_example
from selfattn_lib.rounding import fmt
from selfattn_lib.strings import text

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
PALETTE = [to_hex(colormaps[plots.WEIGHTS_CMAP](k / 255)) for k in range(256)]
HOSTILE = ["<script>alert(1)</script>", "$x^2$", "a & b", "“R$5”"]


def shown(x: float, language: str) -> str:
    """A number as the explorer shows it: two decimals, half up; a decimal comma in Portuguese."""
    value = fmt(x, 2)
    return value.replace(".", ",") if language == "pt" else value


def weights_description(labels, language: str) -> dict:
    e = chapter_example()
    X = np.vstack([e.X, e.X[:1] + 1])[: len(labels)]
    result = self_attention(X, e.W_q, e.W_k, e.W_v)
    mode = text("mode_label", language, direction=text("mode_causal", language), scaling=text("mode_scaled", language))
    cells = [
        [
            {"masked": True, "text": ""}
            if not result.mask[i, j]
            else {
                "text": shown(w, language),
                "fill": PALETTE[min(255, int(w * 256))],
                "ink": "#000000" if w < 0.5 else "#ffffff",
            }
            for j, w in enumerate(row)
        ]
        for i, row in enumerate(result.weights)
    ]
    return {
        "title": text("plot_weights_title", language, mode=mode),
        "language": language,
        "alt": "; ".join(labels),
        "rowLabels": labels,
        "colLabels": labels,
        "xAxis": text("plot_key_axis", language),
        "yAxis": text("plot_query_axis", language),
        "cells": cells,
        "focusRow": len(labels) - 1,
        "maskedNote": text("plot_weights_masked_note", language),
        "legend": {
            "label": text("export_legend_weights", language),
            "palette": PALETTE,
            "ticks": [{"at": t, "text": shown(t, language)} for t in (0, 0.25, 0.5, 0.75, 1)],
        },
    }, result


def contributions_description(labels, language: str) -> dict:
    e = chapter_example()
    result = self_attention(e.X, e.W_q, e.W_k, e.W_v)
    i = 2
    pieces = [
        {
            "label": text("plot_contribution_part", language, i="₃", j="₁₂₃"[j], token=labels[j]),
            "colour": ["#006ba4", "#ff800e", "#ababab"][j],
            "values": (result.weights[i, j] * result.V[j]).tolist(),
        }
        for j in range(3)
    ]
    return {
        "title": text("plot_contributions_title", language, i="₃", token=labels[i]),
        "language": language,
        "alt": "alt",
        "axis": text("plot_component_axis", language, i="₃"),
        "components": ["1", "2", "3", "4"],
        "pieces": pieces,
        "total": {
            "label": text("plot_contribution_total", language, i="₃"),
            "values": result.output[i].tolist(),
            "texts": [shown(v, language) for v in result.output[i]],
        },
    }


def pictures(cases, tmp_path) -> list[str]:
    need_node()  # CI=true fails instead of skipping
    node = shutil.which("node")
    path = tmp_path / "export_cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    done = subprocess.run(
        [node, str(ROOT / "tests" / "export_node.mjs"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode("utf-8"))  # a strict XML parser: a stray '<' or '&' fails here
    assert root.tag == f"{SVG}svg"
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("language", ["en", "pt"])
def test_weights_heatmap_svg_holds_title_labels_values_scale_and_legend(language, tmp_path):
    labels = ["O", "gato", "preto"]
    d, result = weights_description(labels, language)
    (svg,) = pictures([{"op": "heatmap", "d": d}], tmp_path)
    words = texts(svg)
    root = ET.fromstring(svg.encode())
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    assert root.find(f"{SVG}title").text == d["title"].replace("\n", " — ")
    for line in d["title"].split("\n"):
        assert line in words
    assert words.count("gato") == 2 and words.count("preto") == 2  # both axes
    shown_weights = [shown(w, language) for i, row in enumerate(result.weights) for j, w in enumerate(row) if j <= i]
    for value in shown_weights:
        assert value in words
    ticks = ["0,00", "0,25", "0,50", "0,75", "1,00"] if language == "pt" else ["0.00", "0.25", "0.50", "0.75", "1.00"]
    assert all(t in words for t in ticks)
    assert text("export_legend_weights", language) in words
    assert text("plot_key_axis", language) in words and text("plot_query_axis", language) in words
    assert text("plot_weights_masked_note", language) in words  # causal: the future is hatched
    if language == "pt":
        assert not any("." in w for w in words if w[:1].isdigit()), words  # decimal comma everywhere
    stops = root.findall(f".//{SVG}stop")
    assert [s.get("stop-color") for s in stops] == PALETTE  # the whole 0-1 scale, low to high


def test_labels_are_literal_text_never_markup(tmp_path):
    d, _ = weights_description(HOSTILE, "en")
    d["alt"] = "</desc><script>alert(2)</script>"
    d["title"] = "<b>title</b> & more"
    (svg,) = pictures([{"op": "heatmap", "d": d}], tmp_path)
    words = texts(svg)
    for label in HOSTILE:
        assert words.count(label) == 2
    root = ET.fromstring(svg.encode())
    assert not root.findall(f".//{SVG}script") and not root.findall(".//script")
    assert root.find(f"{SVG}desc").text == "</desc><script>alert(2)</script>"
    assert "<b>title</b> & more" in words


def test_characters_xml_cannot_hold_are_dropped_not_fatal(tmp_path):
    d, _ = weights_description(["a\x01b", "\ud800x", "ok\ufffe"], "en")
    (svg,) = pictures([{"op": "heatmap", "d": d}], tmp_path)
    words = texts(svg)
    assert words.count("ab") == 2 and words.count("x") >= 2 and words.count("ok") == 2


@pytest.mark.parametrize("language", ["en", "pt"])
def test_contributions_svg_holds_title_legend_and_totals(language, tmp_path):
    labels = ["O", "gato", "<preto>"]
    d = contributions_description(labels, language)
    (svg,) = pictures([{"op": "contributions", "d": d}], tmp_path)
    words = texts(svg)
    assert d["title"] in words and d["axis"] in words and d["total"]["label"] in words
    for piece in d["pieces"]:
        assert piece["label"] in words
    for value in d["total"]["texts"]:
        assert value in words
    assert any("<preto>" in w for w in words)
    root = ET.fromstring(svg.encode())
    assert len(root.findall(f"{SVG}rect")) >= 1 + 3 * 4  # background and one bar piece per token and component
