"""Every number drawn in a figure of the Portuguese edition has a decimal comma (issue 25).

The stored PNGs cannot be read back as text, and `test_editions.python_numbers_in_outputs` reads
streams, tables and widget state only. So each Portuguese notebook is executed here in a fresh
kernel with a recorder of every text matplotlib draws (figure_text.py): tick labels and their
offsets, colour bars, titles, axis labels, legends, annotations and heatmap cells, in pyplot
figures and in the stand-alone Figures a widget saves as PNG. No drawn text may hold a number
written the Python way (`python_numbers`: 0.5, 100000). Before plots.show / plots.written_numbers
this failed on 01, 03, 06, 08, 11 and 12 (tick labels 0.2, colour bars, bar values 0.59, cells -0.07).

Cost: one execution of the 13 Portuguese notebooks, about a minute on one core (each test reports
its time, and the module its total, under "what the tests report").
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from figure_text import drawn_texts
from say import say
from test_editions import PORTUGUESE, python_numbers

NOTEBOOKS = sorted(PORTUGUESE.glob("[0-9][0-9]_*.ipynb"))
TIMES: dict[str, float] = {}


@pytest.fixture(scope="module", autouse=True)
def total_time(request):
    yield
    if TIMES:
        say(
            request.config,
            f"figures' numbers: {len(TIMES)} Portuguese notebook(s) executed with the text recorder "
            f"in {sum(TIMES.values()):.1f} s (slowest {max(TIMES, key=TIMES.get)}, {max(TIMES.values()):.1f} s)",
        )


def python_numbers_drawn(drawn: dict[str, list[str]], name: str) -> list[str]:
    return [
        f"{name}, code cell {cell!r}: {python_numbers(text)} in {text!r}"
        for cell, texts in drawn.items()
        for text in texts
        if python_numbers(text)
    ]


def test_the_portuguese_edition_is_found():
    assert len(NOTEBOOKS) == 13


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_portuguese_figures_write_numbers_with_a_decimal_comma(path):
    start = time.perf_counter()
    drawn = drawn_texts(path)
    TIMES[path.name] = time.perf_counter() - start
    assert any(drawn.values()), f"{path.name}: the recorder saw no text drawn (is the recorder broken?)"
    assert python_numbers_drawn(drawn, path.name) == []


PROBE = """
import io
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from selfattn_lib import plots

fig, (ax, heat, image) = plt.subplots(1, 3)
ax.plot([0, 1], [0.0, 0.5], label="linha 0.25")
ax.set_title("título 1.5")
ax.legend()
ax.text(0.5, 0.25, "texto 0.75")
plots.weights_heatmap(result, ["a", "b"], ax=heat, colorbar=False, language="en")
fig.colorbar(image.imshow([[0.0, 0.3], [0.6, 0.9]]), ax=image)
plt.show()
picture = Figure()
picture.add_subplot().bar([0, 1], [2.5e-7, 1.5e-7])
picture.savefig(io.BytesIO(), format="png")
"""


def probe_notebook(tmp_path: Path, code: str) -> Path:
    setup = "%matplotlib inline\nimport numpy as np\nimport selfattn_lib as sa\nresult = sa.self_attention(*[np.eye(2)] * 4)"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(setup), nbformat.v4.new_code_cell(code)])
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def test_the_recorder_sees_every_kind_of_text_and_the_check_fires(tmp_path):
    """A pyplot figure (line, legend, title, text, heatmap, colour bar) and a widget-style Figure
    saved to PNG (an offset), English numbers everywhere: the recorder gives each text to its cell,
    and the check names the Python numbers. Then the same through plots.show and
    plots.written_numbers in Portuguese: only the texts the code wrote itself are left."""
    drawn = drawn_texts(probe_notebook(tmp_path, PROBE))
    texts = set(drawn["import io"])
    # legend, title, text; line ticks; heatmap cells (0.33 and 0.67: softmax of 0 and 1/sqrt 2);
    # colour bar ticks; the bar chart's ticks over its offset
    assert {"linha 0.25", "título 1.5", "texto 0.75", "0.5", "0.33", "0.67", "0.8", "2.5", "1e\N{MINUS SIGN}7"} <= texts
    found = python_numbers_drawn(drawn, "probe")
    assert any("'linha 0.25'" in line for line in found) and any("'0.5'" in line for line in found)
    fixed = PROBE.replace("plt.show()", 'plots.show("pt")').replace('language="en"', 'language="pt"')
    fixed = fixed.replace("picture.savefig", 'plots.written_numbers(picture, "pt")\npicture.savefig')
    drawn = drawn_texts(probe_notebook(tmp_path, fixed))
    assert {"0,5", "0,33", "0,67", "0,8", "2,5", "1e\N{MINUS SIGN}7"} <= set(drawn["import io"])
    left = python_numbers_drawn(drawn, "probe")
    assert sorted(line.split(" in ")[-1] for line in left) == ["'linha 0.25'", "'texto 0.75'", "'título 1.5'"]
