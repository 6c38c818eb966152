"""The explorer driven from Python, as a learner would drive it in JupyterLab: every change is
followed by `explorer.result` and by the figures' artists; every bad input leaves a message next
to its control and the last valid state in place."""
import base64
import datetime
import json
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from selfattn_lib import chapter_example, plots, self_attention, strings  # noqa: E402
from selfattn_lib.widgets import (  # noqa: E402
    MAX_TOKENS,
    AttentionExplorer,
    InputError,
    MatrixEditor,
    parse_matrix,
    parse_number,
)


@pytest.fixture(scope="module")
def chapter():
    return chapter_example()


@pytest.fixture
def explorer():
    return AttentionExplorer()


def expected(explorer, X=None, W_q=None, W_k=None, W_v=None, causal=None, scaled=None):
    """What self_attention gives for the explorer's inputs, with some replaced."""
    return self_attention(
        explorer.X if X is None else X, explorer.W_q if W_q is None else W_q,
        explorer.W_k if W_k is None else W_k, explorer.W_v if W_v is None else W_v,
        causal=explorer.result.causal if causal is None else causal,
        scaled=explorer.result.scaled if scaled is None else scaled)


def assert_result(explorer, reference):
    for name in ("Q", "K", "V", "scores", "weights", "output"):
        np.testing.assert_array_equal(getattr(explorer.result, name), getattr(reference, name), err_msg=name)
    assert explorer.result.causal == reference.causal and explorer.result.scaled == reference.scaled


def assert_figures_follow(explorer):
    """The artists on screen hold the current result's numbers."""
    result = explorer.result
    live = explorer._attention
    np.testing.assert_array_equal(live.scores.get_array(), result.scores)
    shown = live.weights.get_array()
    np.testing.assert_array_equal(np.ma.getdata(shown)[result.mask], result.weights[result.mask])
    np.testing.assert_array_equal(np.ma.getmaskarray(shown), ~result.mask)
    i = explorer.focus.value
    visible = range(i + 1) if result.causal else range(result.n)
    bars = explorer._contributions.bars
    assert len(bars) == len(visible)
    for j, container in zip(visible, bars):
        np.testing.assert_allclose([r.get_height() for r in container], result.weights[i, j] * result.V[j])
    for M in (result.Q, result.K, result.V):
        assert f"{M[-1, -1]:.4f}" in explorer.qkv_view.value
    assert f"{result.output[-1, -1]:.4f}" in explorer.output_view.value
    assert f"{result.output[i, 0]:.4f}" in explorer.steps_view.value  # a_i's table in the steps
    for png, view in ((explorer.attention_png, explorer.attention_image),
                      (explorer.contributions_png, explorer.contributions_image)):
        assert png.startswith(b"\x89PNG")
        shown = re.search(r'<img [^>]*alt="([^"]+)"[^>]*src="data:image/png;base64,([^"]+)"', view.value)
        assert shown and base64.b64decode(shown.group(2)) == png  # the picture on screen, with words


def message_text(widget):
    return re.sub("<[^>]+>", "", widget.value)


# --- the default: the chapter's example ------------------------------------------------------------

def test_starts_on_the_chapter_example(explorer, chapter):
    assert explorer.tokens == list(chapter.tokens)
    reference = self_attention(chapter.X, chapter.W_q, chapter.W_k, chapter.W_v)
    assert_result(explorer, reference)
    assert_figures_follow(explorer)
    assert explorer.focus.value == 2
    assert repr(explorer).startswith("AttentionExplorer: 3 tokens (O, gato, preto)")


def test_display_text_is_short_and_has_no_address(explorer):
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "0x" not in bundle["text/plain"] and len(bundle["text/plain"]) <= 111


# --- every kind of change is followed ---------------------------------------------------------------

def test_setting_a_cell_updates_result_and_figures(explorer, chapter):
    before = explorer.attention_png
    W_q = chapter.W_q.copy()
    W_q[0, 0] = 0.9
    explorer.editors["W_q"].cells[0][0].value = "0.9"
    assert explorer.W_q[0, 0] == 0.9
    assert_result(explorer, self_attention(chapter.X, W_q, chapter.W_k, chapter.W_v))
    assert_figures_follow(explorer)
    assert explorer.attention_png != before


def test_pasting_a_matrix_replaces_it(explorer, chapter):
    editor = explorer.editors["X"]
    editor.paste.value = "1 0 2 1\n0,2,1,1\n1\t1\t0\t3\n"
    editor.paste_button.click()
    X = np.array([[1, 0, 2, 1], [0, 2, 1, 1], [1, 1, 0, 3]], dtype=float)
    np.testing.assert_array_equal(explorer.X, X)
    assert editor.cells[2][3].value == "3"
    assert_result(explorer, self_attention(X, chapter.W_q, chapter.W_k, chapter.W_v))
    assert_figures_follow(explorer)
    assert "Pasted 3 × 4" in message_text(editor.message)


def test_numpy_printed_matrices_paste_too():
    np.testing.assert_array_equal(parse_matrix("[[ 0.1 -2. ]\n [ 3.  .5]]"), [[0.1, -2.0], [3.0, 0.5]])
    np.testing.assert_array_equal(parse_matrix("1e-3, +2\n\n-4 5E1"), [[0.001, 2.0], [-4.0, 50.0]])


@pytest.mark.parametrize("causal,scaled", [(False, True), (True, False), (False, False)])
def test_toggling_mask_and_scaling(explorer, chapter, causal, scaled):
    explorer.causal.value = causal
    explorer.scaled.value = scaled
    assert_result(explorer, self_attention(chapter.X, chapter.W_q, chapter.W_k, chapter.W_v, causal, scaled))
    assert_figures_follow(explorer)
    assert bool(explorer._attention.weights._mask_patches) == causal


def test_adding_and_removing_tokens(explorer, chapter):
    explorer.add_token.click()
    assert explorer.tokens == ["O", "gato", "preto", "correu"]
    assert explorer.result.n == 4 and explorer.X.shape == (4, 4)
    np.testing.assert_array_equal(explorer.X[:3], chapter.X)
    np.testing.assert_array_equal(explorer.X[3], np.zeros(4))  # new entries start at 0 by default
    assert [label for label, _ in explorer.focus.options][-1] == "4: correu"
    assert_result(explorer, expected(explorer))
    assert_figures_follow(explorer)
    explorer.remove_token.click()
    explorer.remove_token.click()
    assert explorer.tokens == ["O", "gato"] and explorer.result.n == 2
    assert explorer.focus.value == 1
    np.testing.assert_array_equal(explorer.X, chapter.X[:2])
    assert_figures_follow(explorer)


def test_new_entries_from_a_seeded_draw(chapter):
    first, second = AttentionExplorer(), AttentionExplorer()
    for e in (first, second):
        e.fill.value = "random"
        e.seed.value = 7
        e.d_model.value = 6
    np.testing.assert_array_equal(first.X, second.X)  # same seed, same numbers
    assert np.any(first.X[:, 4:] != 0)
    np.testing.assert_array_equal(first.X[:, :4], chapter.X)  # what was there stays
    other = AttentionExplorer()
    other.fill.value, other.seed.value = "random", 8
    other.d_model.value = 6
    assert not np.array_equal(other.X, first.X)


def test_changing_d_k_d_v_and_d_model(explorer, chapter):
    explorer.d_k.value = 2
    assert explorer.W_q.shape == (4, 2) and explorer.W_k.shape == (4, 2) and explorer.result.d_k == 2
    np.testing.assert_array_equal(explorer.W_q, chapter.W_q[:, :2])
    assert_result(explorer, expected(explorer))
    explorer.d_v.value = 5
    assert explorer.W_v.shape == (4, 5) and explorer.result.output.shape == (3, 5)
    explorer.d_model.value = 3
    assert explorer.X.shape == (3, 3) and explorer.W_v.shape == (3, 5)
    assert_result(explorer, expected(explorer))
    assert_figures_follow(explorer)


def test_focus_token_drives_contributions_and_steps(explorer):
    for i in (0, 1, 2):
        explorer.focus.value = i
        assert_figures_follow(explorer)
        assert f"Worked example for token {i + 1}" in explorer.steps_view.value
        assert f"a_{{{i + 1}}}" in explorer.steps_view.value


def test_token_labels_are_editable(explorer):
    explorer.editors["X"].row_boxes[1].value = "cão"
    assert explorer.tokens == ["O", "cão", "preto"]
    assert [t.get_text() for t in explorer._attention.weights.axes.get_yticklabels()] == ["O", "cão", "preto"]
    assert "cão" in explorer.steps_view.value or explorer.focus.value != 1


# --- bad input: a message next to the control, the last valid state kept ---------------------------

@pytest.mark.parametrize("typed,words", [
    ("abc", "not a number"), ("1,5", "decimal mark here is"), ("__import__('os')", "not a number"),
    ("nan", "not a finite number"), ("-inf", "not a finite number"), ("1e999", "not a finite number"),
    ("", "not a number"),
])
def test_a_bad_number_box_is_refused(explorer, chapter, typed, words):
    explorer.editors["X"].cells[1][1].value = "5"  # a valid edit elsewhere that must survive
    good = explorer.result
    editor = explorer.editors["W_k"]
    editor.cells[0][1].value = typed
    assert words in message_text(editor.message)
    assert editor.cells[0][1].value == "-0.1"  # the box shows what is really used
    assert explorer.W_k[0, 1] == chapter.W_k[0, 1]
    assert explorer.result is good and explorer.X[1, 1] == 5
    assert_figures_follow(explorer)


@pytest.mark.parametrize("pasted,words", [
    ("1 2 3 4\n5 6 7", "Line 2 has 3 numbers"),
    ("1 2 3 4\n1 2 x 4\n1 2 3 4", "Line 2: “x” is not a number"),
    ("1 2 3 4\n1 2 nan 4\n1 2 3 4", "not a finite number"),
    ("1 2 3 4\n1 2 3 4", "must be 3 × 4"),
    ("1;2;3;4", "must be 3 × 4"),
    ("1 0 2 1\n0,2 1,1\n1 1 0 3", "could be one number with a decimal comma"),
    ("   \n", "Nothing to use"),
])
def test_a_bad_paste_is_refused(explorer, pasted, words):
    explorer.editors["W_q"].cells[0][0].value = "0.7"  # typed elsewhere: kept
    good = explorer.result
    editor = explorer.editors["X"]
    before = explorer.X
    editor.paste.value = pasted
    editor.paste_button.click()
    assert words in message_text(editor.message)
    np.testing.assert_array_equal(explorer.X, before)
    assert explorer.result is good and explorer.W_q[0, 0] == 0.7
    assert_figures_follow(explorer)


def test_numbers_too_large_for_attention_keep_the_last_result(explorer):
    good = explorer.result
    editor = explorer.editors["X"]
    editor.cells[0][0].value = "1e200"
    assert "X would hold 1e+200" in message_text(editor.message) and "±1e+12" in message_text(editor.message)
    assert editor.cells[0][0].value == "1"  # the box shows what is used, not the refused number
    assert explorer.result is good
    assert_figures_follow(explorer)
    editor.cells[0][0].value = "2"  # a valid edit brings everything back
    assert explorer.result is not good and message_text(editor.message) == ""


def test_an_empty_token_label_is_refused(explorer):
    explorer.editors["X"].row_boxes[0].value = "   "
    assert "needs a label" in message_text(explorer.editors["X"].message)
    assert explorer.tokens[0] == "O" and explorer.editors["X"].row_boxes[0].value == "O"


def test_token_count_limits(explorer):
    for _ in range(3):
        explorer.remove_token.click()
    assert explorer.result.n == 1 and "At least one token" in message_text(explorer.message)
    # one below the limit, loaded at once (a click per token would lay out 16 figures)
    config = json.loads(explorer.to_json())
    config.update(tokens=[f"t{i}" for i in range(MAX_TOKENS - 1)], X=[[0.1 * i, 0, 1, 0] for i in range(MAX_TOKENS - 1)],
                  focus=0)
    explorer.load_json(json.dumps(config))
    for _ in range(2):
        explorer.add_token.click()
    assert explorer.result.n == MAX_TOKENS and f"At most {MAX_TOKENS}" in message_text(explorer.message)
    assert_figures_follow(explorer)


def test_an_exception_inside_a_callback_is_shown_not_raised(explorer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(explorer, "_draw", broken)
    explorer.editors["W_v"].cells[0][0].value = "0.5"  # must not raise
    assert "RuntimeError: drawing failed" in message_text(explorer.editors["W_v"].message)
    explorer.add_token.click()
    assert "drawing failed" in message_text(explorer.message)


# --- save, load, reset ------------------------------------------------------------------------------

def test_export_then_load_round_trips_exactly(explorer):
    explorer.add_token.click()
    explorer.editors["X"].paste.value = "0.1 0.2 0.3 0.4\n1 2 3 4\n-1 0 1 0\n0.3333333333333333 2.5e-7 1e5 -7"
    explorer.editors["X"].paste_button.click()
    explorer.editors["X"].row_boxes[3].value = "nós"
    explorer.d_v.value = 3
    explorer.causal.value = False
    explorer.scaled.value = False
    explorer.focus.value = 1
    explorer.export_button.click()
    saved = explorer.json_text.value
    assert json.loads(saved)["tokens"] == ["O", "gato", "preto", "nós"]
    link = re.search(r'href="data:application/json;charset=utf-8;base64,([^"]+)"', explorer.download.value)
    assert base64.b64decode(link.group(1)).decode("utf-8") == saved
    state = (explorer.tokens, explorer.X, explorer.W_q, explorer.W_k, explorer.W_v)

    other = AttentionExplorer()
    other.json_text.value = saved
    other.load_button.click()
    assert other.tokens == state[0]
    for a, b in zip(state[1:], (other.X, other.W_q, other.W_k, other.W_v)):
        assert a.shape == b.shape and np.array_equal(a, b)  # bit for bit
    assert other.X[3, 0] == 1 / 3
    assert other.causal.value is False and other.scaled.value is False and other.focus.value == 1
    assert_result(other, explorer.result)
    assert_figures_follow(other)
    assert other.to_json() == saved
    assert "Loaded 4 tokens" in message_text(other.file_message)


def test_loading_from_a_file(explorer):
    explorer.causal.value = False
    saved = explorer.to_json().encode("utf-8")
    other = AttentionExplorer()
    other.upload.value = ({"name": "a.json", "type": "application/json", "size": len(saved),
                           "content": memoryview(saved), "last_modified": datetime.datetime(2026, 1, 1)},)
    assert other.causal.value is False and other.result.causal is False
    assert_result(other, explorer.result)


@pytest.mark.parametrize("config,words", [
    ("{not json", "Not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    ('{"tokens": ["a"], "X": [[1]], "W_q": [[1]], "W_k": [[1]]}', "missing W_v"),
    ('{"tokens": ["a", "b"], "X": [[1]], "W_q": [[1]], "W_k": [[1]], "W_v": [[1]]}', "2 tokens but X has 1 rows"),
    ('{"tokens": ["a"], "X": [[1, 2]], "W_q": [[1]], "W_k": [[1]], "W_v": [[1]]}', "W_q has 1 rows but X has d_model = 2"),
    ('{"tokens": ["a"], "X": [["1"]], "W_q": [[1]], "W_k": [[1]], "W_v": [[1]]}', "only numbers"),
    ('{"tokens": [""], "X": [[1]], "W_q": [[1]], "W_k": [[1]], "W_v": [[1]]}', "non-empty labels"),
    ('{"tokens": ["a"], "X": [[1]], "W_q": [[1]], "W_k": [[1]], "W_v": [[1]], "causal": "yes"}', "true or false"),
    ('{"tokens": ["a"], "X": [[1]], "W_q": [[1]], "W_k": [[1]], "W_v": [[1]], "focus": 3}', "focus must be"),
])
def test_a_bad_configuration_changes_nothing(explorer, config, words):
    explorer.editors["W_q"].cells[1][1].value = "0.8"
    before = explorer.to_json()
    good = explorer.result
    explorer.json_text.value = config
    explorer.load_button.click()
    assert words in message_text(explorer.file_message)
    assert explorer.to_json() == before and explorer.result is good
    with pytest.raises(InputError):
        explorer.load_json(config)


def test_reset_goes_back_to_the_chapter(explorer, chapter):
    explorer.add_token.click()
    explorer.d_k.value = 2
    explorer.causal.value = False
    explorer.editors["X"].cells[0][0].value = "9"
    explorer.reset_all.click()
    assert explorer.tokens == list(chapter.tokens)
    assert_result(explorer, self_attention(chapter.X, chapter.W_q, chapter.W_k, chapter.W_v))
    assert_figures_follow(explorer)


def test_one_matrix_back_to_the_chapter_values(explorer, chapter):
    editor = explorer.editors["W_v"]
    editor.cells[2][2].value = "4"
    editor.reset_button.click()
    np.testing.assert_array_equal(explorer.W_v, chapter.W_v)
    assert_result(explorer, self_attention(chapter.X, chapter.W_q, chapter.W_k, chapter.W_v))
    explorer.d_v.value = 2
    editor.reset_button.click()
    assert "use “Chapter example”" in message_text(editor.message) and explorer.W_v.shape == (4, 2)


# --- the matrix editor on its own, panels, strings ----------------------------------------------------

def test_matrix_editor_alone():
    seen = []
    editor = MatrixEditor([[1, 2], [3, 4]], ["a", "b"], ["1", "2"], title="M", reset_values=[[0, 0], [0, 0]])
    editor.on_change(lambda e: seen.append(e.value))
    editor.cells[1][0].value = "-2.5"
    np.testing.assert_array_equal(editor.value, [[1, 2], [-2.5, 4]])
    editor.reset_button.click()
    np.testing.assert_array_equal(editor.value, [[0, 0], [0, 0]])
    assert len(seen) == 2
    editor.value[0, 0] = 99  # a copy: the editor's matrix cannot be changed behind its back
    assert editor.value[0, 0] == 0
    assert "Paste" in editor.paste.placeholder and "'.'" in editor.paste.placeholder
    assert repr(editor) == "MatrixEditor('M', 2 × 2)"


def test_panels_choose_the_views(chapter):
    only_q = AttentionExplorer(panels=("Q",), editors=("X", "W_q"))
    assert only_q.attention_image not in only_q.children and only_q.qkv_view in only_q.children
    assert "K = X" not in only_q.qkv_view.value and "Q = X" in only_q.qkv_view.value
    only_q.editors["W_q"].cells[0][0].value = "1"
    assert only_q.result.Q[0, 0] == pytest.approx(1 * 1 + 0 + 2 * -0.1 + 1 * 0.3)
    with pytest.raises(ValueError, match="panels"):
        AttentionExplorer(panels=("attention",))


def test_parse_number_never_evaluates():
    assert parse_number(" -0.25 ") == -0.25 and parse_number("1e-3") == 0.001
    for text in ("1+1", "2*3", "0x10", "1_000", "(1)", "True"):
        with pytest.raises(InputError):
            parse_number(text)


def test_every_language_has_every_string():
    english = set(strings.STRINGS["en"])
    for language, table in strings.STRINGS.items():
        assert set(table) == english, language
    assert strings.text("paste_done", rows=2, cols=3, first="1  2  3") == "Pasted 2 × 3; first row read as 1  2  3."


def test_a_layout_seen_before_is_reused_with_the_new_numbers(explorer, chapter):
    causal_figure = explorer._attention
    explorer.causal.value = False
    assert explorer._attention is not causal_figure
    explorer.editors["X"].cells[2][0].value = "3"  # changed while the causal figure is hidden
    explorer.causal.value = True
    assert explorer._attention is causal_figure  # not laid out again
    X = chapter.X.copy()
    X[2, 0] = 3
    assert_result(explorer, self_attention(X, chapter.W_q, chapter.W_k, chapter.W_v))
    assert_figures_follow(explorer)  # and it shows the numbers of now, not of then


@pytest.mark.parametrize("name, at_least", [("widgets", 20), ("explorer_state", 30), ("plots", 15), ("steps", 4)])
def test_every_string_the_widgets_and_plots_ask_for_exists(name, at_least):
    """Keys looked up in widgets.py, plots.py and steps.py (text(...), strings.text(...),
    self._t(...), InputError(...), and keys chosen by a conditional) are all defined."""
    import importlib
    from pathlib import Path

    module = importlib.import_module(f"selfattn_lib.{name}")
    source = Path(module.__file__).read_text(encoding="utf-8")
    keys = set(re.findall(r'(?:\btext|\b_t|InputError|\bbad)\(\s*"([a-z_]+)"', source))
    keys |= set(re.findall(r'\("(editor_\w+|view_\w+)"\)', source))
    keys |= set(re.findall(r'\btext\(\s*"[a-z_]+" if [^"]+ else "([a-z_]+)"', source))
    keys |= set(re.findall(r'"((?:plot|mode)_[a-z_]+)"', source))  # keys passed on to a helper
    assert len(keys) > at_least
    assert keys <= set(strings.STRINGS["en"]), sorted(keys - set(strings.STRINGS["en"]))


def test_the_explorer_draws_its_plots_in_its_own_language(monkeypatch):
    """The explorer's `language` reaches the heatmaps, the contributions, the overview and its
    repr (a made-up language: every string prefixed "PT:")."""
    english = strings.STRINGS["en"]
    monkeypatch.setitem(strings.STRINGS, "pt-test", {k: "PT:" + v for k, v in english.items()})
    explorer = AttentionExplorer(language="pt-test")
    live = explorer._attention
    for image in (live.scores, live.weights):
        ax = image.axes
        for words in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()):
            assert words and all(line.startswith("PT:") for line in words.split("\n")), words
    ax = explorer._contributions.ax
    legend = [t.get_text() for legend in ax.figure.legends for t in legend.get_texts()]
    assert legend and all(words.startswith("PT:") for words in legend)
    assert all(words.startswith("PT:") for words in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()))
    fig = explorer.overview()
    assert all(a.get_title().startswith("PT:") for a in fig.axes if a.get_label() != "<colorbar>")
    assert "PT:PT:causal, PT:scaled" in repr(explorer)
    assert "PT:" not in repr(AttentionExplorer())  # the default stays English


def orange_rows_and_columns(png: bytes):
    """Pixel rows and columns of the PNG where the focus outline's orange shows."""
    import io

    from matplotlib.colors import to_rgb
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    orange = np.array([round(255 * x) for x in to_rgb(plots.FOCUS_COLOR)])
    hit = np.abs(pixels - orange).sum(axis=2) < 40
    return np.nonzero(hit.any(axis=1))[0], np.nonzero(hit.any(axis=0))[0]


def test_the_focus_row_is_outlined_on_the_weights(explorer):
    live = explorer._attention
    assert explorer.focus.value == 2
    for i in (0, 1, 2):
        before = explorer.attention_png
        explorer.focus.value = i
        assert explorer._attention is live  # moved in place: no new figure
        outline = live.focus_outline
        assert outline.axes is live.weights.axes
        # exactly row i of the weights: from column -0.5 to n - 0.5, from row i - 0.5 to i + 0.5
        assert (outline.get_x(), outline.get_y()) == (-0.5, i - 0.5)
        assert (outline.get_width(), outline.get_height()) == (3, 1)
        png = explorer.attention_png
        assert png != before  # the picture follows the focus
        # and the picture shows it there: orange pixels along row i's edges, nowhere else
        (x0, top), (x1, bottom) = live.weights.axes.transData.transform([(-0.5, i - 0.5), (2.5, i + 0.5)])
        height = live.fig.canvas.get_width_height()[1]
        top, bottom = height - top, height - bottom  # PNG rows count from the top
        rows, columns = orange_rows_and_columns(png)
        assert rows.size and columns.size
        assert abs(rows.min() - min(top, bottom)) <= 3 and abs(rows.max() - max(top, bottom)) <= 3, (rows, top, bottom)
        assert abs(columns.min() - x0) <= 3 and abs(columns.max() - x1) <= 3, (columns, x0, x1)


def test_the_outline_follows_edits_and_layouts(explorer):
    explorer.focus.value = 1
    explorer.editors["W_q"].cells[0][0].value = "0.7"  # an edit redraws the numbers, keeps the row
    assert explorer._attention.focus_outline.get_y() == 0.5
    explorer.causal.value = False  # another layout, drawn with the focus row outlined too
    assert explorer._attention.focus_outline.get_y() == 0.5
    explorer.focus.value = 0
    assert explorer._attention.focus_outline.get_y() == -0.5
    explorer.causal.value = True  # back to the first layout: its outline moved to the new focus
    assert explorer._attention.focus_outline.get_y() == -0.5
    _, columns = orange_rows_and_columns(explorer.attention_png)
    (x0, _), (x1, _) = explorer._attention.weights.axes.transData.transform([(-0.5, 0), (2.5, 0)])
    assert abs(columns.min() - x0) <= 3 and abs(columns.max() - x1) <= 3


def test_stable_hooks_for_the_page(explorer):
    """Classes and data-name attributes that tests and styles find the views by."""
    hooks = {
        explorer.attention_image: "selfattn-attention-view",
        explorer.contributions_image: "selfattn-contributions-view",
        explorer.message: "selfattn-message",
        explorer.causal: "selfattn-mask",
        explorer.scaled: "selfattn-scaled",
        explorer.focus: "selfattn-focus",
        explorer.steps_view: "selfattn-steps",
    }
    for name, editor in explorer.editors.items():
        hooks[editor.message] = "selfattn-message"
        assert f"selfattn-editor-{name}" in editor._dom_classes
        assert "selfattn-matrix-editor" in editor._dom_classes
    for widget, hook in hooks.items():
        assert hook in widget._dom_classes, (widget, hook)
    assert all("selfattn-token" in box._dom_classes for box in explorer.editors["X"].row_boxes)
    # one table per matrix, named by data-name, holding that matrix's numbers
    result = explorer.result
    html = explorer.qkv_view.value + explorer.output_view.value
    tables = dict(re.findall(r'<table class="selfattn-table" data-name="(\w+)"[^>]*>(.*?)</table>', html))
    assert sorted(tables) == ["K", "Q", "V", "output"]
    for name in ("Q", "K", "V", "output"):
        shown = [float(v) for v in re.findall(r"<td[^>]*>([^<]+)</td>", tables[name])]
        np.testing.assert_allclose(shown, getattr(result, name).ravel(), atol=5e-5, err_msg=name)
    only_q = AttentionExplorer(panels=("Q", "output"), editors=("X",))
    assert re.findall(r'data-name="(\w+)"', only_q.qkv_view.value + only_q.output_view.value) == ["Q", "output"]


# --- speed without losing anything: what the shortcuts draw is what a full drawing draws ----------

def test_a_new_focus_turns_the_contributions_figure_without_laying_it_out_again(explorer):
    """Another focus token reuses the figure (a new layout cost ~50 ms at 8 tokens): its bars,
    title and legend follow the focus, its y axis stays, and the picture is the one a figure
    laid out anew at that focus draws."""
    live = explorer._contributions
    ylim = live.ax.get_ylim()
    for i in (1, 0, 2, 0):
        explorer.focus.value = i
        assert explorer._contributions is live
        assert live.ax.get_ylim() == ylim  # one axis for every focus: bars compare across tokens
        assert_figures_follow(explorer)
        words = plots.contribution_labels(explorer.result, explorer.tokens, i)
        assert live.ax.get_title() == words["title"] and f"“{explorer.tokens[i]}”" in words["title"]
        assert [t.get_text() for t in live.legend.get_texts()] == [words["total"], *words["parts"]]
        assert len(words["parts"]) == i + 1  # causal: tokens 1..i
        assert not any(r.get_visible() for bars in live.every[i + 1:] for r in bars)
        fresh = AttentionExplorer()
        fresh._figures.clear()
        fresh.focus.value = i  # laid out at focus i, drawn whole
        assert fresh._contributions is not live
        assert explorer.contributions_png == fresh.contributions_png, i


def test_the_repainted_words_leave_no_trace_with_long_labels_and_one_column():
    """The words of another focus are painted over the old ones' boxes: with 16 long labels
    and d_v = 1 (the narrowest axes, the widest legend) nothing else is touched either."""
    rng = np.random.default_rng(1)
    n = 16
    config = json.dumps({"tokens": [f"{'W' * 37}{i}" for i in range(n)],
                         "X": rng.normal(0, 1, (n, 4)).round(1).tolist(),
                         **{name: rng.normal(0, 0.5, (4, 4)).round(1).tolist() for name in ("W_q", "W_k")},
                         "W_v": rng.normal(0, 2, (4, 1)).round(1).tolist(), "causal": True, "scaled": True,
                         "focus": n - 1})
    explorer = AttentionExplorer()
    explorer.load_json(config)
    for i in (3, 0):
        explorer.focus.value = i
        fresh = AttentionExplorer()
        fresh.load_json(config)
        fresh._figures.clear()
        fresh.focus.value = i
        assert explorer.contributions_png == fresh.contributions_png, i


def test_a_focus_change_draws_only_the_outline_and_the_same_picture(explorer):
    for i in (0, 1, 0):
        explorer.focus.value = i
        assert explorer.attention_png == explorer._attention.png()  # a whole frame: the same bytes


def _models_of(make):
    """The widget models `make()` creates, as a notebook stores them (ipywidgets' manager state)."""
    import ipywidgets
    from ipywidgets.widgets.widget import _instances

    before = set(_instances)
    make()
    state = ipywidgets.Widget.get_manager_state(drop_defaults=True)["state"]
    return {key: value for key, value in state.items() if key not in before}


def test_the_widget_state_an_explorer_stores_is_small():
    """Issue 14: 291 models and 172 kB of JSON before; layouts and styles are shared now, and
    the pictures are 256-colour PNGs."""
    models = _models_of(AttentionExplorer)
    size = len(json.dumps(models))
    assert len(models) <= 200 and size <= 110_000, (len(models), size)
    kinds = [m["model_name"] for m in models.values()]
    assert kinds.count("LayoutModel") <= 20 and kinds.count("TextStyleModel") == 1, kinds


def test_shared_layouts_are_never_changed_in_place(explorer):
    """Every number box shares one layout; resizing gives the grid another layout, it does
    not change the one the other editors' grids use."""
    cells = [cell for editor in explorer.editors.values() for row in editor.cells for cell in row]
    assert len({id(cell.layout) for cell in cells}) == 1 and len({id(cell.style) for cell in cells}) == 1
    grids = {name: editor.grid.layout for name, editor in explorer.editors.items()}
    template = grids["W_v"].grid_template_columns
    explorer.d_k.value = 3  # W^Q and W^K get 3 columns; W^V keeps 4
    assert explorer.editors["W_q"].grid.layout.grid_template_columns != template
    assert explorer.editors["W_v"].grid.layout is grids["W_v"]
    assert grids["W_v"].grid_template_columns == template
    assert_figures_follow(explorer)


def test_the_256_colour_pictures_are_the_figures_within_a_few_levels(explorer):
    """The PNGs are palette images (a third of the bytes): every pixel stays within a few
    levels of what matplotlib drew, on average within one, and white stays white (the page's)."""
    import io

    from PIL import Image

    for live, png in ((explorer._attention, explorer.attention_png),
                      (explorer._contributions, explorer.contributions_png)):
        drawn = np.asarray(live.fig.canvas.buffer_rgba())[..., :3].astype(int)
        shown = Image.open(io.BytesIO(png))
        assert shown.mode == "P"
        error = np.abs(np.asarray(shown.convert("RGB")).astype(int) - drawn).max(axis=2)
        assert error.max() <= 20 and error.mean() <= 1.0, (error.max(), error.mean())
        white = (drawn == 255).all(axis=2)
        assert white.mean() > 0.3 and (error[white] == 0).all()
