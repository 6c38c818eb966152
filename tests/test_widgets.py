"""The small widgets (MatrixEditor, notebook 01) driven from Python, and the strings they ask for.
The explorer: test_explorer_widget.py (kernel side), test_explorer_page*.py (the page)."""

import re

import numpy as np
import pytest

from selfattn_lib import strings
from selfattn_lib.widgets import InputError, MatrixEditor, parse_matrix, parse_number


def test_numpy_printed_matrices_paste_too():
    np.testing.assert_array_equal(parse_matrix("[[ 0.1 -2. ]\n [ 3.  .5]]"), [[0.1, -2.0], [3.0, 0.5]])
    np.testing.assert_array_equal(parse_matrix("1e-3, +2\n\n-4 5E1"), [[0.001, 2.0], [-4.0, 50.0]])


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


@pytest.mark.parametrize("name, at_least", [("widgets", 8), ("explorer.state", 30), ("plots", 15), ("steps", 4)])
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
