"""Bad input: a ValueError that names the argument, what was expected and what was got."""

import numpy as np
import pytest

from selfattn_lib import chapter_example, self_attention, self_attention_loop

EX = chapter_example()
GOOD = {"X": EX.X, "W_q": EX.W_q, "W_k": EX.W_k, "W_v": EX.W_v}


def call(implementation, **changes):
    args = {**GOOD, **changes}
    return implementation(args["X"], args["W_q"], args["W_k"], args["W_v"])


CASES = [
    # (argument changes, words the message must contain)
    ({"X": None}, ["X", "2-D", "None"]),
    ({"W_v": None}, ["W_v", "None"]),
    ({"X": [1.0, 2.0, 3.0, 4.0]}, ["X", "2-D", "1-D", "(4,)"]),
    ({"W_q": np.ones((4, 4, 1))}, ["W_q", "2-D", "3-D"]),
    ({"X": np.ones((3, 5))}, ["W_q", "5 rows", "4 x 4", "X is 3 x 5"]),
    ({"W_k": np.ones((3, 4))}, ["W_k", "4 rows", "3 x 4"]),
    ({"W_v": np.ones((2, 4))}, ["W_v", "4 rows", "2 x 4"]),
    ({"W_k": np.ones((4, 3))}, ["W_q", "W_k", "d_k", "4", "3"]),
    ({"X": np.ones((0, 4))}, ["X", "at least one row", "(0, 4)"]),
    ({"X": []}, ["X"]),
    ({"W_v": np.ones((4, 0))}, ["W_v", "at least one", "(4, 0)"]),
    ({"X": [[1.0, np.nan, 0.0, 0.0]]}, ["X", "finite", "nan", "row 0", "column 1"]),
    ({"W_q": np.full((4, 4), np.inf)}, ["W_q", "finite", "inf"]),
    # a bad entry met only by zeros of X still has to be found (0 * nan is nan)
    ({"W_k": np.where(np.arange(16).reshape(4, 4) == 4, np.nan, 0.5)}, ["W_k", "finite", "nan", "row 1", "column 0"]),
    (
        {"W_v": np.where(np.arange(16).reshape(4, 4) == 15, -np.inf, 0.0)},
        ["W_v", "finite", "-inf", "row 3", "column 3"],
    ),
    ({"X": np.where(np.arange(12).reshape(3, 4) == 11, np.inf, 0.0)}, ["X", "finite", "inf", "row 2", "column 3"]),
    ({"X": [[1, 2, 3, 4], [1, 2]]}, ["X", "ragged"]),
    ({"X": [["a", "b", "c", "d"]]}, ["X", "numbers", "a"]),
    ({"X": [["1", "2", "3", "4"]]}, ["X", "numbers"]),
    ({"W_q": [[1, 2, 3, None]] * 4}, ["W_q", "numbers"]),
    ({"X": np.ones((3, 4), dtype=complex)}, ["X", "numbers", "complex"]),
    ({"X": "1 0 2 1"}, ["X"]),
]


@pytest.mark.parametrize("implementation", [self_attention, self_attention_loop], ids=["matrix", "loop"])
@pytest.mark.parametrize("changes, words", CASES, ids=lambda v: str(v)[:40])
def test_bad_input_raises_a_clear_value_error(implementation, changes, words):
    with pytest.raises(ValueError) as info:
        call(implementation, **changes)
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


@pytest.mark.parametrize("implementation", [self_attention, self_attention_loop])
def test_overflowing_intermediate_values_get_a_clear_message(implementation):
    with pytest.raises(ValueError, match="too large.*float64"):
        call(implementation, X=EX.X * 1e200, W_q=EX.W_q * 1e200)
    with pytest.raises(ValueError, match="too large.*scores"):
        call(implementation, X=EX.X * 1e160)
