"""The explorer under hostile and careless input (issue 14): every failure a learner met, driven
through the widgets' public side only. A refused action changes nothing anywhere (`to_json()`
before == after, the boxes show the state again) and says why next to its control; an accepted
one is followed by every view."""
import json
import re
import time
import tracemalloc

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from selfattn_lib import chapter_example, self_attention  # noqa: E402
from selfattn_lib.widgets import AttentionExplorer, InputError  # noqa: E402


@pytest.fixture
def explorer():
    return AttentionExplorer()


def words(widget) -> str:
    return re.sub("<[^>]+>", "", widget.value)


def boxes(explorer, name):
    """What the number boxes of one matrix show, read back as numbers."""
    return np.array([[float(cell.value.replace(",", ".")) for cell in row]
                     for row in explorer.editors[name].cells])


def assert_consistent(explorer):
    """state == boxes == result == self_attention(state), and both pictures are PNGs."""
    config = json.loads(explorer.to_json())
    for name in ("X", "W_q", "W_k", "W_v"):
        np.testing.assert_array_equal(boxes(explorer, name), config[name], err_msg=name)
    assert [box.value for box in explorer.editors["X"].row_boxes] == config["tokens"]
    assert (explorer.d_model.value, explorer.d_k.value, explorer.d_v.value) == (
        len(config["W_q"]), len(config["W_q"][0]), len(config["W_v"][0]))
    assert explorer.causal.value is config["causal"] and explorer.scaled.value is config["scaled"]
    assert explorer.focus.value == config["focus"]
    reference = self_attention(config["X"], config["W_q"], config["W_k"], config["W_v"],
                               causal=config["causal"], scaled=config["scaled"])
    for name in ("Q", "K", "V", "scores", "weights", "output"):
        np.testing.assert_array_equal(getattr(explorer.result, name), getattr(reference, name), err_msg=name)
    # the figures' artists hold these numbers
    np.testing.assert_array_equal(explorer._attention.scores.get_array(), reference.scores)
    assert len(explorer._contributions.bars) == (config["focus"] + 1 if config["causal"] else reference.n)
    assert explorer.attention_png.startswith(b"\x89PNG") and explorer.contributions_png.startswith(b"\x89PNG")


# --- a long label ----------------------------------------------------------------------------------

def test_a_ten_thousand_character_label_is_refused_quickly(explorer):
    before = explorer.to_json()
    tracemalloc.start()
    # CPU time, not wall time: the work done is what must be bounded, however busy the machine is.
    start = time.process_time()
    explorer.editors["X"].row_boxes[1].value = "x" * 10_000
    elapsed = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1.0 and peak < 50e6, (elapsed, peak)
    assert "at most 40 characters" in words(explorer.editors["X"].message)
    assert explorer.to_json() == before and explorer.editors["X"].row_boxes[1].value == "gato"
    assert_consistent(explorer)


def test_a_label_that_fits_is_shown_whole_and_shortened_in_the_plots(explorer):
    label = "extraordinariamente-longa-palavra"  # 33 characters: allowed
    explorer.editors["X"].row_boxes[1].value = label
    assert explorer.tokens[1] == label and explorer.editors["X"].row_boxes[1].value == label
    assert label in [name for name, _ in explorer.focus.options][1]
    ticks = [t.get_text() for t in explorer._attention.weights.axes.get_yticklabels()]
    assert ticks[1] == "extraordina…" and len(ticks[1]) <= 12
    assert_consistent(explorer)
    # the layout after the long label still works for the short one again
    explorer.editors["X"].row_boxes[1].value = "gato"
    assert_consistent(explorer)


# --- values near the float64 limit -----------------------------------------------------------------

@pytest.mark.parametrize("how", ["typed", "pasted"])
def test_a_value_near_the_float64_limit_in_W_v(explorer, how):
    before = explorer.to_json()
    editor = explorer.editors["W_v"]
    if how == "typed":
        editor.cells[0][0].value = "1.7e308"
    else:
        editor.paste.value = "\n".join(" ".join("1.7e308" if (r, c) == (0, 0) else "0.1" for c in range(4))
                                       for r in range(4))
        editor.paste_button.click()
    # either shown with working figures, or refused with nothing changed: here, refused
    assert "W_v would hold 1.7e+308" in words(editor.message)
    assert explorer.to_json() == before
    assert editor.cells[0][0].value == "0.1"
    assert_consistent(explorer)
    explorer.reset_all.click()  # the figures (and their cache) still work afterwards
    assert_consistent(explorer)
    editor.cells[0][0].value = "0.3"
    assert_consistent(explorer)


def test_a_huge_value_typed_into_X_does_not_stay_in_its_box(explorer):
    before = explorer.to_json()
    editor = explorer.editors["X"]
    editor.cells[0][0].value = "1e200"
    assert editor.cells[0][0].value == "1" and explorer.to_json() == before
    assert "X would hold 1e+200" in words(editor.message)
    # later edits, toggles and sizes work again, and the result follows them
    editor.cells[1][1].value = "3"
    assert explorer.X[1, 1] == 3 and words(editor.message) == ""
    explorer.causal.value = False
    explorer.d_v.value = 3
    assert explorer.result.causal is False and explorer.result.d_v == 3
    assert_consistent(explorer)


# --- pasted numbers: never reinterpreted silently --------------------------------------------------

def test_a_paste_with_decimal_commas_is_not_read_as_more_numbers():
    explorer = AttentionExplorer()
    before = explorer.to_json()
    editor = explorer.editors["W_q"]
    editor.paste.value = "0,5 0,5\n0,5 0,5"
    editor.paste_button.click()
    message = words(editor.message)
    assert "Pasted" not in message and "decimal comma" in message
    assert explorer.to_json() == before
    assert_consistent(explorer)


def test_a_portuguese_explorer_reads_decimal_commas():
    explorer = AttentionExplorer(language="pt")
    editor = explorer.editors["W_q"]
    editor.paste.value = "\n".join(["0,5 0,25\t-1,5;2"] * 4)
    editor.paste_button.click()
    np.testing.assert_array_equal(explorer.W_q, [[0.5, 0.25, -1.5, 2]] * 4)
    assert "0,5" in words(editor.message)  # says what was understood
    editor.cells[0][0].value = "0,75"
    editor.cells[0][1].value = "0.125"
    assert explorer.W_q[0, 0] == 0.75 and explorer.W_q[0, 1] == 0.125
    assert_consistent(explorer)
    before = explorer.to_json()
    editor.paste.value = "\n".join(["0,5, 0,25, 1, 2"] * 4)  # commas as separators: ask
    editor.paste_button.click()
    assert explorer.to_json() == before and "ponto e vírgula" in words(editor.message)


def test_an_english_explorer_accepts_a_point_and_explains_a_comma(explorer):
    editor = explorer.editors["W_k"]
    editor.cells[0][0].value = "0.5"
    assert explorer.W_k[0, 0] == 0.5
    before = explorer.to_json()
    editor.cells[0][0].value = "0,25"
    assert explorer.to_json() == before and editor.cells[0][0].value == "0.5"
    assert "0.5, not 0,5" in words(editor.message)


# --- sizes: no silent clamping, nothing lost -------------------------------------------------------

@pytest.mark.parametrize("box,value", [("d_k", 0), ("d_k", 1000), ("d_model", -3), ("d_v", 11)])
def test_a_size_out_of_range_is_refused_saying_what_was_kept(explorer, box, value):
    before = explorer.to_json()
    getattr(explorer, box).value = value
    assert f"{box} must be between 1 and 10; got {value}, kept 4" in words(explorer.message)
    assert getattr(explorer, box).value == 4 and explorer.to_json() == before
    assert_consistent(explorer)


def test_shrinking_and_growing_d_model_brings_the_numbers_back(explorer):
    explorer.editors["X"].cells[0][3].value = "7"
    explorer.editors["W_q"].cells[3][1].value = "0.9"
    before = explorer.to_json()
    explorer.d_model.value = 2
    assert explorer.X.shape == (3, 2)
    explorer.d_model.value = 4
    assert explorer.to_json() == before
    assert_consistent(explorer)


def test_removing_and_adding_a_token_brings_its_label_and_row_back(explorer):
    explorer.editors["X"].row_boxes[2].value = "branco"
    explorer.editors["X"].cells[2][1].value = "5"
    before = explorer.to_json()
    explorer.remove_token.click()
    assert explorer.tokens == ["O", "gato"]
    explorer.add_token.click()
    assert explorer.to_json().replace('"focus": 1', '"focus": 2') == before
    assert explorer.tokens[2] == "branco" and explorer.X[2, 1] == 5
    assert_consistent(explorer)


def test_sixteen_tokens_fit(explorer):
    for _ in range(13):
        explorer.add_token.click()
    assert explorer.result.n == 16 and words(explorer.message) == ""
    assert_consistent(explorer)
    before = explorer.to_json()
    explorer.add_token.click()
    assert explorer.to_json() == before and "At most 16 tokens" in words(explorer.message)


# --- loading JSON ------------------------------------------------------------------------------------

def config_with(**changes) -> str:
    chapter = chapter_example()
    data = {"tokens": list(chapter.tokens), "X": chapter.X.tolist(), "W_q": chapter.W_q.tolist(),
            "W_k": chapter.W_k.tolist(), "W_v": chapter.W_v.tolist(), "causal": True, "scaled": True, "focus": 2}
    data.update(changes)
    return json.dumps(data)


HOSTILE = {
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "deep in a matrix": config_with()[:-1] + ', "extra": ' + "[" * 50_000 + "]" * 50_000 + "}",
    "a number as X": config_with(X=5),
    "objects in X": config_with(X=[[{"a": 1}] * 4] * 3),
    "true in X": config_with(X=[[True, 1, 1, 1]] * 3),
    "a huge integer": config_with(W_v=[[10 ** 400, 0, 0, 0]] * 4),
    "Infinity": config_with()[:-1].replace('"W_v": [[0.1', '"W_v": [[Infinity') + "}",
    "1.7e308 in W_v": config_with(W_v=[[1.7e308, 0, 0, 0]] * 4),
    "tokens of numbers": config_with(tokens=[1, 2, 3]),
    "tokens not a list": config_with(tokens="O gato preto"),
    "a 10,000 character token": config_with(tokens=["O", "g" * 10_000, "preto"]),
    "focus as text": config_with(focus="1"),
    "focus as float": config_with(focus=1.0),
    "sizes beyond the limits": config_with(tokens=["t"] * 40, X=[[1.0] * 4] * 40),
    "good X, bad W_v": config_with(X=[[9.0, 9, 9, 9]] * 3, W_v=[[0.1, 0.2], [0.3]]),
    "a list": "[1, 2]",
    "a string": '"hello"',
    "bytes that are not UTF-8 text": "\udcff",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_configuration_changes_nothing(explorer, name):
    explorer.editors["W_q"].cells[1][1].value = "0.8"
    before = explorer.to_json()
    explorer.json_text.value = HOSTILE[name]
    explorer.load_button.click()  # never raises into the widget framework
    message = words(explorer.file_message)
    assert "Nothing was changed" in message or "nothing was changed" in message, message
    assert explorer.to_json() == before
    with pytest.raises(InputError):
        explorer.load_json(HOSTILE[name])
    assert explorer.to_json() == before
    assert_consistent(explorer)


def test_a_75_megabyte_configuration_is_refused_within_a_second(explorer):
    before = explorer.to_json()
    huge = '{"tokens": [' + '"a", ' * 15_000_000 + '"a"]}'
    assert len(huge) > 75e6
    start = time.process_time()  # CPU time: the work done, however busy the machine is
    with pytest.raises(InputError, match="at most"):
        explorer.load_json(huge)
    assert time.process_time() - start < 1.0
    assert explorer.to_json() == before


def test_a_configuration_without_focus_loads_and_exports(explorer):
    data = json.loads(config_with())
    data["focus"] = None
    explorer.load_json(json.dumps(data))
    assert json.loads(explorer.to_json())["focus"] == 2
    explorer.export_button.click()
    assert "Exported" in words(explorer.file_message)


def test_a_focus_of_none_does_not_break_export(explorer):
    before = explorer.to_json()
    explorer.focus.value = None  # no exception escapes
    assert explorer.focus.value == 2 and explorer.to_json() == before
    explorer.export_button.click()
    assert json.loads(explorer.json_text.value)["focus"] == 2
    assert_consistent(explorer)
