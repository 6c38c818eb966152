"""Notebook 03's factor slider means what it says (issue 15, item 8): it multiplies the raw dot
products q_i . k_j, so 1/sqrt(d_k) gives the scaled weights and 1 the unscaled ones, checked
against the plain-Python reference (tests/reference.py), not against the library.

(The earlier slider multiplied the already scaled scores: at its "1" it showed the scaled weights
and the unscaled ones only at 2, so a learner setting 1/sqrt(d_k) = 0.5 got neither.)"""

import math

import numpy as np
import pytest
from reference import reference_attention

import selfattn_lib as sa
from selfattn_lib.sharpness import SharpnessControl, factor_options, row_weights
from selfattn_lib.strings import text

EXAMPLE = sa.chapter_example()
INPUTS = [M.tolist() for M in (EXAMPLE.X, EXAMPLE.W_q, EXAMPLE.W_k, EXAMPLE.W_v)]
SCALED = reference_attention(*INPUTS, scaled=True)[4]
UNSCALED = reference_attention(*INPUTS, scaled=False)[4]


def bar_heights(control):
    return [bar.get_height() for bar in control._bars]


@pytest.mark.parametrize("computed_scaled", [True, False])
@pytest.mark.parametrize("i", [1, 2])
def test_one_over_root_d_k_gives_the_scaled_weights_and_one_the_unscaled(i, computed_scaled):
    # whatever the result was computed with, the factor applies to the raw dot products
    result = sa.self_attention(EXAMPLE.X, EXAMPLE.W_q, EXAMPLE.W_k, EXAMPLE.W_v, scaled=computed_scaled)
    control = SharpnessControl(result, EXAMPLE.tokens, i=i)
    assert control.factor.value == 1 / math.sqrt(4) == 0.5
    assert control.factor.label == text("sharpness.scaled_option", d_k=4, value="0.5") == "1/√d_k = 0.5 (scaled)"
    assert control.weights == pytest.approx(SCALED[i], abs=1e-12)
    assert bar_heights(control) == pytest.approx(SCALED[i], abs=1e-12)
    control.factor.value = 1.0
    assert control.factor.label == "1 (unscaled)"
    assert control.weights == pytest.approx(UNSCALED[i], abs=1e-12)
    assert bar_heights(control) == pytest.approx(UNSCALED[i], abs=1e-12)
    assert "1 (unscaled)" in repr(control) and f"{UNSCALED[i][0]:.2f}" in repr(control)
    if i == 1:
        assert control.weights[2] == 0.0  # the future token stays masked at every factor


def test_the_factor_flattens_and_sharpens():
    result = sa.self_attention(EXAMPLE.X, EXAMPLE.W_q, EXAMPLE.W_k, EXAMPLE.W_v)
    assert row_weights(result, 2, 0.0) == pytest.approx([1 / 3] * 3)
    dots = [sum(q * k for q, k in zip(result.Q[2], result.K[j])) for j in range(3)]
    top = int(np.argmax(dots))
    assert row_weights(result, 2, 20.0)[top] > row_weights(result, 2, 1.0)[top] > row_weights(result, 2, 0.5)[top]
    with pytest.raises(ValueError, match="factor must be a finite number >= 0"):
        row_weights(result, 2, float("nan"))


@pytest.mark.parametrize("d_k", [1, 4, 9, 16])
def test_the_options_name_the_scaled_and_unscaled_factors(d_k):
    options = dict((value, label) for label, value in factor_options(d_k, "pt"))
    assert list(options) == sorted(options)
    assert options[1.0] == ("1/√d_k = 1 (com escala)" if d_k == 1 else "1 (sem escala)")
    assert options[1 / math.sqrt(d_k)].startswith("1/√d_k = ")


# --- arguments checked as steps and plots check them (issue 26) -----------------------------------


def _result():
    return sa.self_attention(*INPUTS)


@pytest.mark.parametrize(
    "i, message",
    [
        (-1, r"^i must be between 0 and 2 .*; got -1"),
        (3, r"^i must be between 0 and 2 .*; got 3"),
        (1.0, r"^i must be a whole number .*; got 1.0"),
        (True, r"^i must be a whole number .*; got True"),
    ],
)
def test_row_weights_names_a_bad_row(i, message):
    # -1 used to give the last row's weights, 4 an IndexError
    with pytest.raises(ValueError, match=message):
        row_weights(_result(), i, 1.0)


@pytest.mark.parametrize("factor", ["1", None, True, float("nan"), -1.0, float("inf"), 10**400])
def test_row_weights_names_a_bad_factor(factor):
    with pytest.raises(ValueError, match=r"^factor must be a finite number >= 0; got "):
        row_weights(_result(), 1, factor)


def test_row_weights_needs_a_result():
    with pytest.raises(ValueError, match=r"^result must be an AttentionResult"):
        row_weights(np.ones((4, 4)), 1, 1.0)


@pytest.mark.parametrize("d_k", [0, -3, 2.0, "4", None])
def test_factor_options_names_a_bad_d_k(d_k):
    with pytest.raises(ValueError, match=r"^d_k must be an integer >= 1; got "):
        factor_options(d_k)


@pytest.mark.parametrize("i", [-1, 3, "0"])
def test_the_control_refuses_a_row_it_cannot_title(i):
    # -1 used to draw the last row's bars titled "row 0 ... q_0"
    with pytest.raises(ValueError, match=r"^i must be "):
        SharpnessControl(_result(), ["a", "b", "c"], i)


def test_the_control_needs_one_token_per_row():
    with pytest.raises(ValueError, match=r"^tokens must have one word per token, 3; got 2"):
        SharpnessControl(_result(), ["a", "b"], 1)
