"""Property: whatever a learner does, in any order, valid or not, the explorer stays one thing.
After every action: state == boxes == result == self_attention(state) (multi_head_attention with
several heads; X + PE with positions), the figures are drawn,
and a refused action (a message with ⚠) left `to_json()` exactly as it was. Headless: the
widgets are driven from Python as the browser would drive them."""
import json
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from selfattn_lib import multi_head_attention, self_attention  # noqa: E402
from selfattn_lib.explorer_state import ExplorerState, validate  # noqa: E402
from selfattn_lib.positions import positional_encoding  # noqa: E402
from selfattn_lib.widgets import AttentionExplorer  # noqa: E402

MATRICES = ("X", "W_q", "W_k", "W_v")

numbers = st.one_of(
    st.floats(-5, 5, allow_nan=False).map(lambda x: repr(round(x, 3))),
    st.sampled_from(["0", "-0.25", "1e-3", "1e200", "-1.7e308", "nan", "inf", "abc", "0,5", "", " 2 ",
                     "9" * 60, "1e12", "3e11"]),
)
labels = st.one_of(st.text(min_size=0, max_size=12),
                   st.sampled_from(["gato", "  ", "x" * 41, "a\nb", "uma-palavra-bem-comprida-mesmo"]))


def paste_text(draw, rows, cols):
    kind = draw(st.sampled_from(["good", "wrong shape", "ambiguous", "garbage", "huge"]))
    if kind == "good":
        values = draw(st.lists(st.floats(-3, 3, allow_nan=False), min_size=rows * cols, max_size=rows * cols))
        return "\n".join(" ".join(repr(round(v, 2)) for v in values[r * cols:(r + 1) * cols]) for r in range(rows))
    if kind == "wrong shape":
        return "\n".join(" ".join("1" for _ in range(cols + 1)) for _ in range(rows))
    if kind == "ambiguous":
        return "\n".join(" ".join("0,5" for _ in range(cols)) for _ in range(rows))
    if kind == "huge":
        return "\n".join(" ".join("1e300" for _ in range(cols)) for _ in range(rows))
    return draw(st.text(max_size=30))


@st.composite
def actions(draw):
    kind = draw(st.sampled_from(["cell", "cell", "paste", "label", "size", "token", "toggle", "focus",
                                 "json", "reset", "heads", "heads", "heads", "positions"]))
    if kind == "cell":
        return (kind, draw(st.sampled_from(MATRICES + ("W_o",))), draw(st.integers(0, 20)),
                draw(st.integers(0, 20)), draw(numbers))
    if kind == "paste":
        return (kind, draw(st.sampled_from(MATRICES)), draw(st.data()))
    if kind == "label":
        return (kind, draw(st.integers(0, 20)), draw(labels))
    if kind == "size":
        return (kind, draw(st.sampled_from(["d_model", "d_k", "d_v"])), draw(st.integers(-1, 12)))
    if kind == "token":
        return (kind, draw(st.sampled_from(["add", "remove"])))
    if kind == "toggle":
        return (kind, draw(st.sampled_from(["causal", "scaled"])))
    if kind == "heads":
        return (kind, draw(st.one_of(st.sampled_from([1, 2, 2, 4]), st.integers(-1, 11))))
    if kind == "positions":
        return (kind,)
    if kind == "focus":
        return (kind, draw(st.one_of(st.none(), st.integers(0, 20))))
    if kind == "json":
        return (kind, draw(st.sampled_from(["round trip", "garbage", "other sizes"])))
    return (kind,)


def act(explorer, action) -> None:
    kind = action[0]
    if kind == "cell":
        _, name, r, c, typed = action
        if name not in explorer.editors:  # W^O: made when there are two heads
            name = "W_q"
        cells = explorer.editors[name].cells
        cells[r % len(cells)][c % len(cells[0])].value = typed
    elif kind == "paste":
        _, name, data = action
        rows, cols = explorer.editors[name].value.shape
        explorer.editors[name].paste.value = paste_text(data.draw, rows, cols)
        explorer.editors[name].paste_button.click()
    elif kind == "label":
        _, r, label = action
        boxes = explorer.editors["X"].row_boxes
        boxes[r % len(boxes)].value = label
    elif kind == "size":
        getattr(explorer, action[1]).value = action[2]
    elif kind == "heads":
        explorer.n_heads.value = action[1]
    elif kind == "positions":
        explorer.positions.value = not explorer.positions.value
    elif kind == "token":
        (explorer.add_token if action[1] == "add" else explorer.remove_token).click()
    elif kind == "toggle":
        widget = getattr(explorer, action[1])
        widget.value = not widget.value
    elif kind == "focus":
        options = [value for _, value in explorer.focus.options]
        explorer.focus.value = None if action[1] is None else options[action[1] % len(options)]
    elif kind == "json":
        if action[1] == "round trip":
            explorer.json_text.value = explorer.to_json()
        elif action[1] == "garbage":
            explorer.json_text.value = '{"tokens": ["a"], "X": [[1, 2]], "W_q": [[1e308]], "W_k": 3}'
        else:
            explorer.json_text.value = json.dumps({"tokens": ["a", "b"], "X": [[1, 0], [0, 1]],
                                                   "W_q": [[1, 0], [0, 1]], "W_k": [[1, 0], [0, 1]],
                                                   "W_v": [[2], [3]], "causal": False, "focus": 0})
        explorer.load_button.click()
    else:
        explorer.reset_all.click()


def refused(explorer) -> bool:
    places = [explorer.message, explorer.file_message, explorer.heads_message] + [
        e.message for e in explorer.editors.values()]
    return any("⚠" in place.value for place in places)


def check(explorer) -> None:
    state = explorer.state
    assert validate(state) is not None  # the state on screen is one the checks accept
    assert ExplorerState.from_json(state.to_json()) == ExplorerState.of(
        state.tokens, state.X, state.W_q, state.W_k, state.W_v, state.causal, state.scaled, state.focus,
        W_o=state.W_o, n_heads=state.n_heads, positions=state.positions)
    assert (explorer.n_heads.value, explorer.positions.value) == (state.n_heads, state.positions)
    for name in MATRICES + (("W_o",) if "W_o" in explorer.editors else ()):
        shown = np.array([[float(c.value) for c in row] for row in explorer.editors[name].cells])
        np.testing.assert_allclose(shown, state.matrix(name), rtol=1e-5, err_msg=name)  # boxes: 6 digits
        np.testing.assert_array_equal(explorer.editors[name].value, state.matrix(name))
    assert [b.value for b in explorer.editors["X"].row_boxes] == state.tokens
    assert (explorer.d_model.value, explorer.d_k.value, explorer.d_v.value) == state.sizes()[1:]
    assert (explorer.causal.value, explorer.scaled.value, explorer.focus.value) == (
        state.causal, state.scaled, state.focus)
    if state.n_heads > 1:
        check_heads(explorer, state)
        return
    X = state.X + positional_encoding(state.n, state.d_model) if state.positions else state.X
    reference = self_attention(X, state.W_q, state.W_k, state.W_v, causal=state.causal, scaled=state.scaled)
    for name in ("Q", "K", "V", "scores", "weights", "output"):
        np.testing.assert_array_equal(getattr(explorer.result, name), getattr(reference, name), err_msg=name)
    live = explorer._attention
    np.testing.assert_array_equal(live.scores.get_array(), reference.scores)
    np.testing.assert_array_equal(np.ma.getmaskarray(live.weights.get_array()), ~reference.mask)
    visible = state.focus + 1 if state.causal else state.n
    assert len(explorer._contributions.bars) == visible
    assert explorer.attention_png.startswith(b"\x89PNG") and explorer.contributions_png.startswith(b"\x89PNG")
    assert re.search(r'<img [^>]*alt="[^"]+"', explorer.attention_image.value)


def check_heads(explorer, state) -> None:
    """Several heads: result == multi_head_attention(state), one heatmap per head holding its weights."""
    X = state.X + positional_encoding(state.n, state.d_model) if state.positions else state.X
    reference = multi_head_attention(X, state.W_q, state.W_k, state.W_v, state.W_o, state.n_heads,
                                     causal=state.causal, scaled=state.scaled)
    np.testing.assert_array_equal(explorer.result.output, reference.output)
    live = explorer._heads_live
    assert len(live.heads) == state.n_heads
    for image, head in zip(live.heads, reference.heads):
        np.testing.assert_array_equal(np.ma.getdata(image.get_array()), head.weights)
    assert explorer.heads_png.startswith(b"\x89PNG")
    assert re.search(r'<img [^>]*alt="[^"]+"', explorer.heads_image.value)


@pytest.fixture(scope="module")
def shared():
    return AttentionExplorer()


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(actions(), min_size=1, max_size=8))
def test_every_sequence_of_actions_leaves_one_consistent_explorer(shared, sequence):
    explorer = shared
    explorer.reset_all.click()
    explorer.fill.value = "zeros"
    check(explorer)
    for action in sequence:
        before = explorer.to_json()
        act(explorer, action)  # never raises
        if refused(explorer):
            assert explorer.to_json() == before, action
        check(explorer)
