"""Every text drawn in every figure of a notebook: run it in a fresh kernel with a recorder.

`drawn_texts(path)` executes the notebook top to bottom (nbclient, as tools/notebooks.py does)
after a first cell that wraps the `draw` of matplotlib's Text and of each of its subclasses that
draws itself (the library's heatmap cell numbers), so every text matplotlib actually draws is
recorded with the code cell that drew it: tick labels, offsets ("1e-3", "×10³"), titles, axis
labels, legends, colour bars, annotations, the cells of a heatmap, in pyplot figures and in the
stand-alone Figure objects widgets save as PNG. A tick outside the view is not drawn, so it is not
recorded. Nothing is written to the notebook.
"""

from __future__ import annotations

import json
from pathlib import Path

RECORDER = r"""
import json as _json
import matplotlib.text as _mtext
import selfattn_lib.plots  # noqa: F401  (its Text subclasses exist before the wrapping)

_drawn = {}
_cell = ["(before the first cell)"]


def _recording(draw):
    def draw_and_record(self, renderer, *args, **kwargs):
        text = self.get_text()
        if self.get_visible() and text:
            _drawn.setdefault(_cell[0], set()).add(text)
        return draw(self, renderer, *args, **kwargs)

    draw_and_record._recorded = True
    return draw_and_record


def _wrap(cls):
    draw = cls.__dict__.get("draw")
    if draw is not None and not getattr(draw, "_recorded", False):
        cls.draw = _recording(draw)
    for sub in cls.__subclasses__():
        _wrap(sub)


_wrap(_mtext.Text)


def _note_cell(info):
    _wrap(_mtext.Text)  # a Text subclass a cell defines or imports later is wrapped too
    lines = [line for line in info.raw_cell.splitlines() if line.strip()]
    _cell[0] = lines[0][:80] if lines else "(empty cell)"


get_ipython().events.register("pre_run_cell", _note_cell)
"""

REPORT = "print(_json.dumps({cell: sorted(texts) for cell, texts in _drawn.items()}))"


def drawn_texts(path: Path, timeout: int = 600) -> dict[str, list[str]]:
    """{first line of a code cell: every text its figures drew} for the notebook at `path`."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(RECORDER))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    stream = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    return json.loads(stream.strip().splitlines()[-1])
