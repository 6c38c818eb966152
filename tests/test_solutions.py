"""No answer in plain sight (issue 15, item 1): a solution shows only when the learner asks.

Every solution cell (tagged `solution`) only defines its solution and shows a "Show solution"
button (selfattn_lib.solutions). So:
- the stored notebooks hold no solution output: each solution cell stores the button and nothing
  else, and the button's output area is stored empty;
- running the notebook (Run All, `tools/notebooks.py execute`) runs no solution: shown here by
  running every notebook's code in-process, where nothing a solution says is printed until its
  button is pressed; pressed, each solution is right (the checker says "Correct!"), and that
  verdict is found nowhere in the stored notebook;
- in JupyterLab, after Run All, no verdict is on the page: tests/test_browser.py.
Before this design (solutions printing their check, hidden by JupyterLab's "collapsed output"
flag only) the stored-notebook tests failed on every notebook with exercises.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import jupytext
import pytest

from selfattn_lib import solutions
from selfattn_lib.strings import text

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "notebooks" / "pt").glob("[0-9][0-9]_*.ipynb")
)
WITH_EXERCISES = [
    p for p in NOTEBOOKS if p.name[:2] in {"01", "02", "03", "04", "05", "06", "07", "08", "10", "11", "12"}
]
VERDICT = re.compile(r"\bCorret[oa]!|\bCorrect!")  # what a checker says to a right answer
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def language(path: Path) -> str:
    return "pt" if path.parent.name == "pt" else "en"


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell) -> str:
    return "".join(cell["source"])


def is_solution(cell) -> bool:
    return "solution" in cell["metadata"].get("tags", [])


def output_text(output) -> str:
    """Every text an output holds (streams, text/plain, html, errors), as one string."""
    parts = [output.get("text", ""), output.get("evalue", "")]
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/"):
            parts.append(value)
    return "".join("".join(p) if isinstance(p, list) else p for p in parts)


def stored_text(path: Path) -> str:
    """All the text of a stored notebook a reader could see: outputs and saved widget state."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    shown = [output_text(o) for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    return "\n".join(shown) + json.dumps(nb["metadata"].get("widgets", {}), ensure_ascii=False)


def test_the_series_has_notebooks_with_exercises():
    assert len(WITH_EXERCISES) == 22


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_solution_cell_is_tagged_and_shows_only_its_button(path):
    code = [c for c in cells(path) if c["cell_type"] == "code"]
    marked = [c for c in code if re.match(r"#\s*(Solution|Solução)", source(c))]
    tagged = [c for c in code if is_solution(c)]
    assert tagged, f"{path.name}: no cell tagged 'solution'"
    assert marked == tagged, f"{path.name}: every '# Solution' cell, and only those, is tagged 'solution'"
    hidden = text("solution.hidden", language(path))
    for cell in tagged:
        first = source(cell).splitlines()[0]
        outputs = cell["outputs"]
        kinds = [o["output_type"] for o in outputs]
        assert len(outputs) == 1 and kinds[0] in ("execute_result", "display_data"), (
            f"{path.name}, {first!r}: stored outputs {kinds}, expected the button only"
        )
        data = outputs[0]["data"]
        assert WIDGET_VIEW in data, f"{path.name}, {first!r}: stores {sorted(data)}, not a widget"
        assert "".join(data["text/plain"]) == hidden, data["text/plain"]
        assert not VERDICT.search(output_text(outputs[0]))
        assert not cell["metadata"].get("jupyter", {}).get("outputs_hidden"), "the button must be visible"


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_stored_output_areas_of_the_buttons_are_empty(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    boxes = {m: s for m, s in state.items() if "selfattn-solution" in s["state"].get("_dom_classes", [])}
    views = {o["data"][WIDGET_VIEW]["model_id"] for c in nb["cells"] if is_solution(c) for o in c["outputs"]}
    assert views and views <= set(boxes), f"{path.name}: a solution cell's view is not a solution button"
    for box in boxes.values():
        children = [state[ref.removeprefix("IPY_MODEL_")] for ref in box["state"]["children"]]
        areas = [child for child in children if child["model_name"] == "OutputModel"]
        assert len(areas) == 1 and areas[0]["state"].get("outputs", []) == [], areas
    assert not VERDICT.search(json.dumps(state, ensure_ascii=False))


# --- running the notebooks: nothing until pressed, then the right answer ----------------------------


class _Recorder:
    """Collects every SolutionButton a notebook's code creates, in order."""

    def __init__(self, monkeypatch):
        self.buttons = []
        original = solutions.SolutionButton.__init__

        def record(button, *args, **kwargs):
            original(button, *args, **kwargs)
            self.buttons.append(button)

        monkeypatch.setattr(solutions.SolutionButton, "__init__", record)


def run_notebook_code(path: Path) -> str:
    """Run the notebook's code cells (from its Markdown source) in one namespace, as Run All does;
    return everything they printed. Magics (`%matplotlib inline`) are left out: no IPython here."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    notebook = jupytext.read(path.with_suffix(".md"), fmt="md:myst")
    namespace = {"__name__": "__main__"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            code = "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))
            exec(compile(code, f"{path.name} cell", "exec"), namespace)  # noqa: S102 - our own notebooks
            plt.close("all")
    return printed.getvalue()


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_running_the_notebook_shows_no_solution_until_its_button_is_pressed(path, monkeypatch):
    recorder = _Recorder(monkeypatch)
    printed = run_notebook_code(path)
    assert not VERDICT.search(printed), f"a solution ran without its button being pressed:\n{printed}"
    buttons = recorder.buttons
    tagged = [c for c in cells(path) if is_solution(c)]
    assert len(buttons) == len(tagged) >= 2
    stored = stored_text(path)
    for number, button in enumerate(buttons, 1):
        assert not button.shown
        answer = io.StringIO()
        with contextlib.redirect_stdout(answer):
            button.toggle()  # the learner presses "Show solution"
        verdicts = [line for line in answer.getvalue().splitlines() if VERDICT.search(line)]
        assert verdicts, f"{path.name}, solution {number} is not right:\n{answer.getvalue()}"
        assert button.button.description == text("solution.hide", language(path))
        for line in verdicts:  # the verdict, with its numbers, is nowhere in the stored notebook
            assert line.strip() not in stored, f"{path.name}: {line!r} is stored in plain sight"


# --- the button itself ------------------------------------------------------------------------------


def test_the_button_runs_the_solution_only_when_pressed_and_hides_it_again(capsys):
    calls = []

    def solve():
        calls.append(1)
        print("the answer is 0.88")
        return "and a returned value"

    button = solutions.solution_button(solve, language="en")
    assert calls == [] and capsys.readouterr().out == ""
    assert button.button.description == "Show solution"
    assert repr(button) == text("solution.hidden", "en")
    button.toggle()
    assert calls == [1] and button.shown
    shown = capsys.readouterr().out
    assert "the answer is 0.88" in shown and "and a returned value" in shown
    assert button.button.description == "Hide solution"
    button.toggle()
    assert not button.shown and button.button.description == "Show solution"
    assert calls == [1]  # hiding runs nothing


def test_a_failing_solution_says_why_in_the_learners_language(capsys):
    def solve():
        return undefined_name  # noqa: F821 - a cell above it was not run

    button = solutions.SolutionButton(solve, language="pt")
    assert button.button.description == "Mostrar solução"
    button.toggle()
    said = capsys.readouterr().out
    assert said == text("solution.failed", "pt", error="NameError: name 'undefined_name' is not defined") + "\n"
    assert "Execute antes as células acima" in said


def test_the_button_refuses_what_it_cannot_run():
    with pytest.raises(TypeError, match="solve must be a function"):
        solutions.SolutionButton("gata")
    with pytest.raises(ValueError, match="language must be one of"):
        solutions.SolutionButton(print, language="pt-br")
