"""Every figure can be seen without a kernel and says what to read in it (issue 15, items 12, 13).

- A static figure for every widget: a notebook cell showing a widget (a solution button aside) is
  followed by a code cell that stores a PNG drawn by matplotlib, so GitHub, nbviewer or a notebook
  with its kernel closed still shows what the widget shows. Before, 01, 02, 04, 05 and 06 had
  none after their widgets (this test failed on them).
- A caption for every figure: each stored image is followed by a Markdown cell whose first line
  starts with "**Figure.**" (English edition) or "**Figura.**" (Portuguese edition). Before, no
  figure had one.
- Notebook 00's contributions figure explains the black total tick and the negative piece, with
  the numbers of the figure (recomputed here with the plain-Python reference).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reference import reference_attention

import selfattn_lib as sa
from selfattn_lib.rounding import written

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "notebooks" / "pt").glob("[0-9][0-9]_*.ipynb")
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CAPTION = {"en": "**Figure.** ", "pt": "**Figura.** "}


def ids(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def language(path: Path) -> str:
    return "pt" if path.parent.name == "pt" else "en"


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def has(cell, mime: str) -> bool:
    return cell["cell_type"] == "code" and any(mime in o.get("data", {}) for o in cell["outputs"])


def source(cell) -> str:
    return "".join(cell["source"])


def test_the_series_is_found():
    assert len(NOTEBOOKS) == 26


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_every_widget_has_a_static_figure_right_after_it(path):
    nb = cells(path)
    widgets = [i for i, c in enumerate(nb) if has(c, WIDGET_VIEW) and "solution" not in c["metadata"].get("tags", [])]
    for i in widgets:
        following = next((c for c in nb[i + 1 :] if c["cell_type"] == "code"), None)
        assert following is not None and has(following, "image/png"), (
            f"{path.name}: the widget of code cell {source(nb[i]).splitlines()[0]!r} has no stored matplotlib "
            "figure in the next code cell, so a static render shows nothing of it"
        )
        assert WIDGET_VIEW not in json.dumps([o.get("data", {}) for o in following["outputs"]])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_every_figure_is_followed_by_its_caption(path):
    nb = cells(path)
    figures = [i for i, c in enumerate(nb) if has(c, "image/png")]
    assert figures, f"{path.name} stores no figure"
    start = CAPTION[language(path)]
    for i in figures:
        after = nb[i + 1] if i + 1 < len(nb) else None
        first = source(nb[i]).splitlines()[0]
        assert after is not None and after["cell_type"] == "markdown" and source(after).startswith(start), (
            f"{path.name}: the figure of code cell {first!r} is not followed by a Markdown cell starting {start!r}"
        )
        caption = source(after).split("\n\n")[0]
        assert len(caption.split()) >= 20, f"{path.name}: the caption under {first!r} is too short to say what to read"


def test_a_caption_that_is_missing_is_named(tmp_path):
    nb = json.loads((ROOT / "notebooks" / "02_scores.ipynb").read_text(encoding="utf-8"))
    index = next(i for i, c in enumerate(nb["cells"]) if has(c, "image/png"))
    nb["cells"][index + 1]["source"] = "A paragraph that is not a caption."
    broken = tmp_path / "02_scores.ipynb"
    broken.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(AssertionError, match="is not followed by a Markdown cell starting"):
        test_every_figure_is_followed_by_its_caption(broken)


def contributions_caption(path: Path) -> str:
    nb = cells(path)
    index = next(i for i, c in enumerate(nb) if has(c, "image/png") and "overview(" in source(c))
    return source(nb[index + 1])


@pytest.mark.parametrize(
    "path", [ROOT / "notebooks/00_start_here.ipynb", ROOT / "notebooks/pt/00_comece_aqui.ipynb"], ids=ids
)
def test_start_here_explains_the_total_tick_and_the_negative_piece(path):
    example = sa.chapter_example()
    _, _, V, _, weights, output = reference_attention(
        *(M.tolist() for M in (example.X, example.W_q, example.W_k, example.W_v))
    )
    pieces = [weights[2][j] * V[j][1] for j in range(3)]  # component 2 of a_3, piece by piece
    top = sum(p for p in pieces if p > 0)
    negative = [p for p in pieces if p < 0]
    assert len(negative) == 1 and abs(output[2][1] - sum(pieces)) < 1e-12
    caption = contributions_caption(path)
    words = {"en": ("black tick", "negative", "total"), "pt": ("traço preto", "negativa", "total")}[language(path)]
    for word in words:
        assert word in caption
    # in Portuguese the numbers have a decimal comma (0,41 in prose, 0{,}41 in the formulas)
    prose = lambda text: written(text, language(path))  # noqa: E731
    formula = lambda text: written(text, language(path), math=True)  # noqa: E731
    assert (
        prose(f"the bar reaches {top:.2f}, the total is {output[2][1]:.2f}") in caption
        or prose(f"a barra chega a {top:.2f}, o total é {output[2][1]:.2f}") in caption
    )
    assert formula(f"= {negative[0]:.2f}") in caption  # the negative piece, -0.03 ...
    assert formula(f"{weights[2][1]:.2f} \\times ({V[1][1]:g})") in caption  # ... and how it is made: alpha_32 v_2
