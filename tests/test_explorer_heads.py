"""The explorer beyond the chapter (issue 13): a number of heads with one weights heatmap per head
and a W^O editor, and a switch that adds the sinusoidal positional encoding to X.

The state's checks, without widgets (the page's arithmetic: test_explorer_page_numbers.py).
Expected numbers come from the plain-Python references (tests/reference.py) and from the
library's `self_attention` called on the state's own matrices."""

import json

import numpy as np
import pytest
from reference import reference_attention, reference_multi_head_attention, reference_positional_encoding  # noqa: E402

from selfattn_lib import MultiHeadResult, chapter_example, self_attention  # noqa: E402
from selfattn_lib.attention import AttentionResult  # noqa: E402
from selfattn_lib.explorer.state import ExplorerState, InputError, validate  # noqa: E402


def chapter_state(**changes) -> ExplorerState:
    ex = chapter_example()
    return ExplorerState.of(ex.tokens, ex.X, ex.W_q, ex.W_k, ex.W_v, **changes)


def zeros(name, shape):
    return np.zeros(shape)


# --- the state, no widgets ----------------------------------------------------------------------------


def test_by_default_one_head_no_positions_and_the_chapters_result():
    state = chapter_state()
    assert (state.n_heads, state.positions) == (1, False)
    np.testing.assert_array_equal(state.W_o, np.eye(state.d_v, state.d_model))
    result = validate(state)
    assert isinstance(result, AttentionResult)
    reference = reference_attention(state.X, state.W_q, state.W_k, state.W_v)
    np.testing.assert_allclose(result.output, reference[5], rtol=1e-12)


def test_two_heads_give_the_multi_head_result_of_the_states_matrices():
    rng = np.random.default_rng(3)
    state = chapter_state().with_heads(2).with_matrix("W_o", np.round(rng.normal(0, 1, (4, 4)), 1))
    result = validate(state)
    assert isinstance(result, MultiHeadResult) and result.n_heads == 2
    heads, concat, output = reference_multi_head_attention(state.X, state.W_q, state.W_k, state.W_v, state.W_o, 2)
    for head, ref in zip(result.heads, heads):
        np.testing.assert_allclose(head.weights, ref[4], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(result.concat, concat, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(result.output, output, rtol=1e-12, atol=1e-15)
    # and W_o really is used: the identity would give the concat itself
    assert not np.allclose(result.output, result.concat)


def test_positions_add_the_sinusoidal_encoding_before_the_projections():
    state = chapter_state().with_positions(True)
    PE = np.array(reference_positional_encoding(state.n, state.d_model))
    np.testing.assert_allclose(state.X_in, state.X + PE, rtol=1e-12, atol=1e-15)
    result = validate(state)
    reference = reference_attention(state.X + PE, state.W_q, state.W_k, state.W_v)
    np.testing.assert_allclose(result.output, reference[5], rtol=1e-12, atol=1e-15)
    assert not np.allclose(result.output, validate(chapter_state()).output)


@pytest.mark.parametrize("n_heads", [0, -1, 5, 11, True, 2.0, "2", None])
def test_a_number_of_heads_out_of_range_is_refused_saying_what_was_kept(n_heads):
    with pytest.raises(InputError) as caught:
        chapter_state().with_heads(n_heads)
    assert caught.value.key == "explorer_heads_range"
    assert "kept 1" in str(caught.value) and "from 1 to 4" in str(caught.value)


def test_heads_must_divide_d_k_and_d_v_said_never_fixed():
    state = chapter_state().with_heads(3)  # d_k = d_v = 4
    with pytest.raises(InputError) as caught:
        validate(state)
    assert caught.value.key == "explorer_heads_divide"
    assert "d_k = 4, d_v = 4" in str(caught.value)
    # a size that breaks the division is refused too, with the same message
    two = chapter_state().with_heads(2)
    with pytest.raises(InputError, match="d_k = 3"):
        validate(two.with_sizes(3, 4, 3, 4, zeros))
    validate(two.with_sizes(3, 4, 2, 6, zeros))  # 2 divides both: fine


def test_a_flag_that_is_not_a_boolean_is_refused():
    with pytest.raises(InputError) as caught:
        validate(chapter_state().with_positions("yes"))
    assert caught.value.key == "explorer_positions_flag"


def test_a_huge_output_through_W_o_is_refused_by_name():
    state = chapter_state().with_heads(2).with_matrix("W_o", np.full((4, 4), 1e12))
    state = state.with_matrix("X", np.full((3, 4), 1e5))
    with pytest.raises(InputError) as caught:
        validate(state)
    assert caught.value.key == "too_large"


def test_W_o_survives_resize_round_trips():
    state = chapter_state().with_heads(2).with_cell("W_o", 3, 2, 0.75).with_cell("W_o", 1, 3, -2.5)
    for sizes in [(3, 4, 4, 2), (3, 2, 4, 4), (3, 2, 2, 2)]:
        shrunk = state.with_sizes(*sizes, zeros)
        assert shrunk.W_o.shape == (sizes[3], sizes[1])
        back = shrunk.with_sizes(3, 4, 4, 4, zeros)
        np.testing.assert_array_equal(back.W_o, state.W_o)
        assert back == state


def test_json_round_trips_heads_W_o_and_positions():
    state = chapter_state().with_heads(4).with_positions(True).with_cell("W_o", 0, 1, 0.5)
    data = json.loads(state.to_json())
    assert (data["n_heads"], data["positions"], data["W_o"][0][1]) == (4, True, 0.5)
    again = ExplorerState.from_json(state.to_json())
    assert again == state
    np.testing.assert_array_equal(again.W_o, state.W_o)


def test_a_file_saved_before_heads_existed_still_loads():
    old = {
        "format": "selfattn_lib.AttentionExplorer",
        "version": 1,
        "tokens": ["a", "b"],
        "X": [[1, 0], [0, 1]],
        "W_q": [[1, 0], [0, 1]],
        "W_k": [[1, 0], [0, 1]],
        "W_v": [[2], [3]],
        "causal": False,
        "scaled": True,
        "focus": 0,
    }
    state = ExplorerState.from_json(json.dumps(old))
    assert (state.n_heads, state.positions) == (1, False)
    np.testing.assert_array_equal(state.W_o, [[1.0, 0.0]])  # d_v x d_model identity
    np.testing.assert_array_equal(
        validate(state).output, self_attention(old["X"], old["W_q"], old["W_k"], old["W_v"], causal=False).output
    )


@pytest.mark.parametrize(
    "change, words_",
    [
        ({"n_heads": 0}, "n_heads must be a whole number from 1 to 4"),
        ({"n_heads": 5}, "n_heads must be a whole number from 1 to 4"),
        ({"n_heads": 2.0}, "n_heads must be a whole number"),
        ({"n_heads": True}, "n_heads must be a whole number"),
        ({"n_heads": "2"}, "n_heads must be a whole number"),
        ({"positions": "yes"}, "positions must be true or false"),
        ({"positions": 1}, "positions must be true or false"),
        ({"W_o": [[1, 0, 0, 0]]}, "W_o must be d_v × d_model = 4 × 4; got 1 × 4"),
        ({"W_o": [[1e400]]}, "W_o"),
        ({"W_o": "identity"}, "W_o"),
    ],
)
def test_bad_new_fields_in_a_file_are_refused_with_a_message(change, words_):
    data = json.loads(chapter_state().to_json())
    data.update(change)
    config = json.dumps(data).replace("Infinity", "1e400")
    with pytest.raises(InputError) as caught:
        ExplorerState.from_json(config)
    assert caught.value.key == "bad_config"
    assert words_ in str(caught.value)
