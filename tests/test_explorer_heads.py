"""The explorer beyond the chapter (issue 13): a number of heads with one weights heatmap per head
and a W^O editor, and a switch that adds the sinusoidal positional encoding to X.

The state's checks are tested without widgets; the explorer is driven from Python as the browser
drives it. Expected numbers come from the plain-Python references (tests/reference.py) and from
the library's `multi_head_attention` / `self_attention` called on the state's own matrices."""
import json
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from reference import (reference_attention, reference_multi_head_attention,  # noqa: E402
                       reference_positional_encoding)
from selfattn_lib import (MultiHeadResult, chapter_example, multi_head_attention,  # noqa: E402
                          positional_encoding, self_attention)
from selfattn_lib.attention import AttentionResult  # noqa: E402
from selfattn_lib.explorer_state import ExplorerState, InputError, validate  # noqa: E402
from selfattn_lib.widgets import AttentionExplorer  # noqa: E402


def chapter_state(**changes) -> ExplorerState:
    ex = chapter_example()
    return ExplorerState.of(ex.tokens, ex.X, ex.W_q, ex.W_k, ex.W_v, **changes)


def zeros(name, shape):
    return np.zeros(shape)


def words(widget) -> str:
    return re.sub("<[^>]+>", "", widget.value)


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
    old = {"format": "selfattn_lib.AttentionExplorer", "version": 1, "tokens": ["a", "b"],
           "X": [[1, 0], [0, 1]], "W_q": [[1, 0], [0, 1]], "W_k": [[1, 0], [0, 1]], "W_v": [[2], [3]],
           "causal": False, "scaled": True, "focus": 0}
    state = ExplorerState.from_json(json.dumps(old))
    assert (state.n_heads, state.positions) == (1, False)
    np.testing.assert_array_equal(state.W_o, [[1.0, 0.0]])  # d_v x d_model identity
    np.testing.assert_array_equal(validate(state).output,
                                  self_attention(old["X"], old["W_q"], old["W_k"], old["W_v"], causal=False).output)


@pytest.mark.parametrize("change, words_", [
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
])
def test_bad_new_fields_in_a_file_are_refused_with_a_message(change, words_):
    data = json.loads(chapter_state().to_json())
    data.update(change)
    config = json.dumps(data).replace("Infinity", "1e400")
    with pytest.raises(InputError) as caught:
        ExplorerState.from_json(config)
    assert caught.value.key == "bad_config"
    assert words_ in str(caught.value)


# --- the explorer -----------------------------------------------------------------------------------

@pytest.fixture
def explorer():
    return AttentionExplorer()


def test_the_chapters_explorer_is_unchanged_with_one_head(explorer):
    assert explorer.n_heads.value == 1 and explorer.positions.value is False
    assert "W_o" not in explorer.editors  # no W^O editor, nor its widgets, until two heads
    assert explorer.heads_section.selected_index is None  # folded away
    assert explorer.heads_image.layout.display == "none" and explorer.attention_image.layout.display is None
    assert isinstance(explorer.result, AttentionResult)
    assert explorer.input_view.value == ""


def test_two_heads_show_two_heatmaps_and_the_multi_head_result(explorer):
    explorer.n_heads.value = 2
    state = explorer.state
    assert state.n_heads == 2 and "⚠" not in explorer.heads_message.value
    reference = multi_head_attention(state.X, state.W_q, state.W_k, state.W_v, state.W_o, 2)
    np.testing.assert_array_equal(explorer.result.output, reference.output)
    live = explorer._heads_live
    assert len(live.heads) == 2
    for h, (image, head) in enumerate(zip(live.heads, reference.heads)):
        ax = image.axes
        assert ax.get_title() == f"head {h + 1}"
        assert (image.norm.vmin, image.norm.vmax) == (0.0, 1.0)  # one scale for every head
        assert [t.get_text() for t in ax.get_xticklabels()] == state.tokens
        assert [t.get_text() for t in ax.get_yticklabels()] == state.tokens
        np.testing.assert_array_equal(np.ma.getdata(image.get_array()), head.weights)
    assert explorer.heads_png.startswith(b"\x89PNG")
    assert explorer.heads_image.layout.display is None and explorer.attention_image.layout.display == "none"
    alt = re.search(r'alt="([^"]+)"', explorer.heads_image.value).group(1)
    assert "2 heatmaps" in alt and "head 2:" in alt
    assert 'data-name="concat"' in explorer.output_view.value
    assert "set heads to 1" in words(explorer.steps_view)


def test_showing_and_hiding_views_changes_no_shared_layout_in_place(explorer):
    """Layouts are shared between widgets (issue 14's smaller widget state): hiding the single
    head's heatmap must give it another layout, not hide every widget that shares its layout."""
    def every_layout(widget, found):
        if isinstance(widget.layout, __import__("ipywidgets").Layout):
            found[id(widget.layout)] = (widget.layout, widget.layout.get_state())
        for child in getattr(widget, "children", ()):
            every_layout(child, found)
        return found

    before = every_layout(explorer, {})
    explorer.n_heads.value = 2
    explorer.n_heads.value = 1
    explorer.n_heads.value = 2
    for layout, state in before.values():
        assert layout.get_state() == state
    assert explorer.attention_image.layout.display == "none" and explorer.heads_image.layout.display is None
    assert explorer.editors["W_o"].layout.display is None


def test_the_W_o_editor_has_accessible_names_and_drives_the_output(explorer):
    explorer.n_heads.value = 2
    editor = explorer.editors["W_o"]
    assert explorer.w_o_slot.layout.display is None
    assert editor.cells[0][1].tooltip == "W^O row 1 column 2"
    assert len(editor.cells) == 4 and len(editor.cells[0]) == 4  # d_v x d_model
    editor.cells[0][1].value = "0.5"
    state = explorer.state
    assert state.W_o[0, 1] == 0.5
    concat = explorer.result.concat
    np.testing.assert_allclose(explorer.result.output, np.array(concat) @ state.W_o, rtol=1e-12)
    # back to one head: W^O is kept (and saved) but hidden, the chapter's views come back
    explorer.n_heads.value = 1
    assert explorer.w_o_slot.layout.display == "none"
    assert explorer.attention_image.layout.display is None
    assert json.loads(explorer.to_json())["W_o"][0][1] == 0.5
    assert explorer.contributions_png.startswith(b"\x89PNG")
    np.testing.assert_array_equal(explorer.result.output,
                                  self_attention(state.X, state.W_q, state.W_k, state.W_v).output)


def test_the_positions_switch_gives_self_attention_of_X_plus_PE(explorer):
    before = explorer.result.output.copy()
    explorer.positions.value = True
    state = explorer.state
    assert state.positions is True
    PE = positional_encoding(state.n, state.d_model)
    np.testing.assert_array_equal(explorer.result.output,
                                  self_attention(state.X + PE, state.W_q, state.W_k, state.W_v).output)
    assert not np.allclose(explorer.result.output, before)
    shown = words(explorer.input_view)
    assert "X + PE" in shown and f"{state.X[1, 0] + PE[1, 0]:.4f}" in shown
    # with two heads too
    explorer.n_heads.value = 2
    np.testing.assert_array_equal(
        explorer.result.output,
        multi_head_attention(state.X + PE, state.W_q, state.W_k, state.W_v, state.W_o, 2).output)
    explorer.positions.value = False
    np.testing.assert_array_equal(explorer.result.output,
                                  multi_head_attention(state.X, state.W_q, state.W_k, state.W_v, state.W_o, 2).output)
    assert explorer.input_view.value == ""


def test_focus_moves_the_outline_on_every_head(explorer):
    explorer.n_heads.value = 4
    explorer.focus.value = 0
    assert [outline.get_y() for outline in explorer._heads_live.outlines] == [-0.5] * 4
    explorer.focus.value = 2
    assert [outline.get_y() for outline in explorer._heads_live.outlines] == [1.5] * 4


@pytest.mark.parametrize("typed, words_", [
    (3, "3 heads need d_k and d_v divisible by 3"),
    (0, "from 1 to 4; got 0, kept 1"),
    (11, "got 11, kept 1"),
    (-2, "got -2, kept 1"),
])
def test_a_bad_number_of_heads_changes_nothing_and_says_why(explorer, typed, words_):
    before = explorer.to_json()
    explorer.n_heads.value = typed
    assert explorer.to_json() == before
    assert explorer.n_heads.value == 1  # the box shows the state again
    assert "⚠" in explorer.heads_message.value and words_ in words(explorer.heads_message)


def test_a_size_that_breaks_the_heads_is_refused_next_to_the_sizes(explorer):
    explorer.n_heads.value = 2
    before = explorer.to_json()
    explorer.d_k.value = 3
    assert explorer.to_json() == before and explorer.d_k.value == 4
    assert "2 heads need d_k and d_v divisible by 2" in words(explorer.message)
    explorer.n_heads.value = 1
    explorer.d_k.value = 3
    assert explorer.state.d_k == 3


@pytest.mark.parametrize("typed", ["abc", "1e200", "nan", "0,5", "9" * 60])
def test_hostile_W_o_boxes_change_nothing(explorer, typed):
    explorer.n_heads.value = 2
    before = explorer.to_json()
    editor = explorer.editors["W_o"]
    editor.cells[1][2].value = typed
    assert explorer.to_json() == before
    assert editor.cells[1][2].value == "0"
    assert "⚠" in editor.message.value


def test_a_hostile_W_o_paste_changes_nothing(explorer):
    explorer.n_heads.value = 2
    before = explorer.to_json()
    editor = explorer.editors["W_o"]
    editor.paste.value = "1 2 3\n4 5 6"
    editor.paste_button.click()
    assert explorer.to_json() == before and "⚠" in editor.message.value
    editor.paste.value = "\n".join(" ".join(["1e300"] * 4) for _ in range(4))
    editor.paste_button.click()
    assert explorer.to_json() == before and "⚠" in editor.message.value


def test_loading_a_file_with_heads_shows_them_and_a_bad_one_changes_nothing(explorer):
    state = chapter_state().with_heads(2).with_positions(True).with_cell("W_o", 2, 0, 1.5)
    explorer.load_json(state.to_json())
    assert explorer.state == state
    assert (explorer.n_heads.value, explorer.positions.value) == (2, True)
    assert explorer.editors["W_o"].value[2, 0] == 1.5
    before = explorer.to_json()
    data = json.loads(before)
    data["n_heads"] = 3  # does not divide d_k = 4
    explorer.json_text.value = json.dumps(data)
    explorer.load_button.click()
    assert explorer.to_json() == before
    assert "3 heads need d_k and d_v divisible by 3" in words(explorer.file_message)


def test_the_portuguese_explorer_says_it_in_portuguese():
    explorer = AttentionExplorer(language="pt")
    assert explorer.n_heads.description == "cabeças"
    explorer.n_heads.value = 3
    assert "cabeças precisam de d_k e d_v divisíveis por 3" in words(explorer.heads_message)
    explorer.n_heads.value = 2
    assert explorer._heads_live.heads[1].axes.get_title() == "cabeça 2"
    assert explorer.editors["W_o"].cells[0][1].tooltip == "W^O linha 1 coluna 2"


def test_overview_and_repr_work_with_several_heads(explorer):
    explorer.n_heads.value = 2
    fig = explorer.overview()
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[:2] == ["head 1", "head 2"]
    assert "3 tokens" in repr(explorer)
