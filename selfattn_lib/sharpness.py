"""Notebook 03's control: multiply one row's dot products q_i . k_j by a factor, then softmax.

The factor multiplies the *raw* dot products, so it means what it says: factor 1/sqrt(d_k) gives
exactly the scaled weights of the formalization, factor 1 the unscaled ones, and other factors
are sharper (larger) or flatter (smaller) versions. (An earlier version multiplied the already
scaled scores, so its "1" was the scaled attention and its "2" the unscaled one.)

The math is `row_weights`; the widget only wires a slider to it and to one bar chart, updated in
place (its PNG bytes go into an Image widget, nothing stored changes from run to run).
"""

from __future__ import annotations

import math
import numbers

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from . import plots
from .attention import AttentionResult, softmax
from .positions import check_count
from .rounding import written
from .steps import _check_index, _check_result, _check_tokens
from .strings import DEFAULT_LANGUAGE, text

__all__ = ["row_dot_products", "row_weights", "factor_options", "SharpnessControl"]

_FACTORS = (0.0, 0.1, 0.25, 1.0, 2.0, 5.0, 10.0, 20.0)


def row_dot_products(result: AttentionResult, i: int) -> np.ndarray:
    """The raw dot products q_i . k_j of row i (no division by sqrt(d_k)), whatever `result` used."""
    return result.K @ result.Q[i]


def row_weights(result: AttentionResult, i: int, factor: float) -> np.ndarray:
    """softmax over the tokens row i may see of factor * (q_i . k_j); 0 for masked tokens."""
    result = _check_result(result)
    i = _check_index("i", i, result.n, "token")
    factor = _check_factor(factor)
    visible = result.mask[i]
    weights = np.zeros(result.n)
    weights[visible] = softmax(factor * row_dot_products(result, i)[visible])
    return weights


def _check_factor(factor) -> float:
    value = math.nan
    if isinstance(factor, numbers.Real) and not isinstance(factor, (bool, np.bool_)):
        try:
            value = float(factor)
        except OverflowError:  # 10**400: a Python int beyond float64
            pass
    if not 0 <= value < math.inf:  # also False for nan
        raise ValueError(f"factor must be a finite number >= 0; got {factor!r}"[:200])
    return value


def factor_options(d_k: int, language: str = DEFAULT_LANGUAGE) -> list[tuple[str, float]]:
    """(label, factor) pairs for the slider: a few factors, 1/sqrt(d_k) and 1 named for what they are."""
    d_k = check_count(d_k, "d_k")
    scale = 1 / math.sqrt(d_k)
    values = sorted(set(_FACTORS) | {scale})
    options = []
    for value in values:
        if value == scale:
            label = text("sharpness.scaled_option", language, d_k=d_k, value=written(f"{scale:.3g}", language))
        elif value == 1.0:
            label = text("sharpness.unscaled_option", language)
        else:
            label = written(f"{value:g}", language)
        options.append((label, value))
    return options


class SharpnessControl(widgets.VBox):
    """A slider of factors and the bar chart of row i's weights at the chosen factor.

    Starts at 1/sqrt(d_k): the weights the chapter's formalization computes."""

    def __init__(self, result: AttentionResult, tokens, i: int, language: str = DEFAULT_LANGUAGE):
        result = _check_result(result)
        i = _check_index("i", i, result.n, "token")
        tokens = _check_tokens(tokens, result.n)
        self._result, self._i, self._language = result, i, language
        self.scale = 1 / math.sqrt(result.d_k)
        self.factor = widgets.SelectionSlider(
            options=factor_options(result.d_k, language),
            value=self.scale,
            description=text("sharpness.factor", language),
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="32em"),
        )
        self.picture = widgets.Image(format="png", layout=widgets.Layout(align_self="flex-start", max_width="100%"))
        self._fig = Figure(figsize=(5.5, 3.2), layout="constrained")
        ax = self._fig.add_subplot()
        self._ax = ax
        n = result.n
        self._bars = ax.bar(range(n), np.zeros(n), color=plots.token_colors(n))
        self._labels = [ax.text(j, 0, "", ha="center", va="bottom") for j in range(n)]
        ax.set_xticks(
            range(n),
            [plots.literal(f"α{_sub(i + 1)},{_sub(j + 1)} ({plots.short_label(t)})") for j, t in enumerate(tokens)],
        )
        ax.set_ylim(0, 1.1)
        ax.set_ylabel(plots.literal(text("sharpness.weight_axis", language)))
        plots.number_axes(ax, language)
        self._token = plots.short_label(tokens[i])
        self.weights = np.zeros(n)
        self.factor.observe(lambda _change: self.redraw(), names="value")
        super().__init__([self.factor, self.picture])
        self.redraw()

    def redraw(self) -> None:
        self.weights = row_weights(self._result, self._i, self.factor.value)
        for bar, label, w in zip(self._bars, self._labels, self.weights):
            bar.set_height(w)
            label.set_position((label.get_position()[0], w))
            label.set_text(written(f"{w:.2f}", self._language))
        self._ax.set_title(
            plots.literal(
                text(
                    "sharpness.title",
                    self._language,
                    i=self._i + 1,
                    token=self._token,
                    factor=self.factor.label,
                    q=f"q{_sub(self._i + 1)}",
                )
            )
        )
        self.picture.value = plots.png(self._fig, self._language)

    def __repr__(self) -> str:  # what a render without widgets shows: the chart's title and weights
        title = self._ax.get_title().replace(chr(10), chr(32)).replace("\\$", "$")  # as drawn
        return f"{title}: " + ("; " if self._language == "pt" else ", ").join(
            written(f"{w:.2f}", self._language) for w in self.weights
        )


def _sub(k: int) -> str:
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
