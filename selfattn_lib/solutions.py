"""Solutions that stay hidden until the learner asks: a "Show solution" button.

A solution cell only *defines* its solution (a function) and shows this button. Running the
cell, whether one by one, with JupyterLab's Run All or by `tools/notebooks.py execute`, prints
nothing: no answer sits under an exercise, neither in the stored notebook nor after Run All. The
solution runs, and its output appears, only when the button is pressed; pressing it again hides
it. (JupyterLab's "collapsed output" flag is not enough: it covers the stored output only, and a
re-run shows the new output.)

The widget is wiring only: the solution itself is the notebook's code, and its check is the same
checker the learner's own answer goes through.
"""

from __future__ import annotations

import ipywidgets as widgets
from IPython.display import display

from .strings import DEFAULT_LANGUAGE, text

__all__ = ["SolutionButton", "solution_button"]


class SolutionButton(widgets.VBox):
    """A button that runs `solve()` and shows what it prints or returns, in an Output area below.

    Nothing runs when the button is created. A second press clears the area again. An exception
    in the solution is shown in the area as a sentence (JupyterLab shows nothing for an exception
    in a widget callback: the button would look dead)."""

    def __init__(self, solve, language: str = DEFAULT_LANGUAGE):
        if not callable(solve):
            raise TypeError(f"solve must be a function to run when the button is pressed; got {solve!r}")
        text("solution.show", language)  # an unknown language is refused here, not on a click
        self._solve = solve
        self._language = language
        self.shown = False
        self.button = widgets.Button(
            description=text("solution.show", language),
            tooltip=text("solution.tooltip", language),
            icon="eye",
            layout=widgets.Layout(width="auto"),
        )
        self.output = widgets.Output()
        self.button.on_click(lambda _button: self.toggle())
        super().__init__([self.button, self.output])
        self.add_class("selfattn-solution")

    def toggle(self) -> None:
        """Show the solution (run it) if hidden, hide it if shown."""
        if self.shown:
            self.output.clear_output()
            self.shown = False
            self.button.description = text("solution.show", self._language)
            return
        # The label first: the page then never shows an answer under a "Show solution" button.
        self.shown = True
        self.button.description = text("solution.hide", self._language)
        with self.output:
            try:
                value = self._solve()
            except Exception as exc:  # noqa: BLE001 - said in the area the learner is looking at
                print(text("solution.failed", self._language, error=f"{type(exc).__name__}: {exc}"))
            else:
                if value is not None:
                    display(value)

    def __repr__(self) -> str:  # what a static render without widget support shows
        return text("solution.hidden", self._language)


def solution_button(solve, language: str = DEFAULT_LANGUAGE) -> SolutionButton:
    """The button for a solution cell: `def solution(): ...` then `solution_button(solution, LANGUAGE)`."""
    return SolutionButton(solve, language)
