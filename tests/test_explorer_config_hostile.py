"""Issue 26: ExplorerState.from_json at its edges. An integer of more than 4,300 digits, a file
saved with a UTF-8 BOM (Windows Notepad), an integer too large for the explorer: each gets the
documented InputError (or is read), never a plain ValueError from the json module."""

import codecs
import json

import pytest
from test_explorer_heads import chapter_state

from selfattn_lib.explorer.state import MAX_MAGNITUDE, ExplorerState, InputError
from selfattn_lib.strings import text


def config(**change):
    data = json.loads(chapter_state().to_json())
    data.update(change)
    return json.dumps(data)


def with_entry(name, value, row=0, col=0):
    """The chapter's configuration with one entry of matrix `name` replaced."""
    data = json.loads(chapter_state().to_json())
    data[name][row][col] = value
    return json.dumps(data)


@pytest.mark.parametrize("digits", [4301, 5000, 150_000])
def test_an_integer_beyond_pythons_digit_limit_is_an_input_error_about_its_size(digits):
    huge = with_entry("X", "HUGE").replace('"HUGE"', "7" * digits)
    with pytest.raises(InputError) as caught:
        ExplorerState.from_json(huge)
    assert caught.value.key == "bad_config"
    message = str(caught.value)
    assert "X" in message and "too large" in message and "4300" not in message
    assert "set_int_max_str_digits" not in message and len(message) < 300
    assert "Nothing was changed" in message


@pytest.mark.parametrize("value", [10**400, -(10**4000)])
def test_an_integer_beyond_float64_is_refused_for_its_size(value):
    with pytest.raises(InputError) as caught:
        ExplorerState.from_json(with_entry("W_q", value))
    message = str(caught.value)
    assert "W_q" in message and "too large" in message and "must hold only numbers" not in message


def test_a_whole_number_beyond_the_explorers_limit_is_refused_for_its_size_not_as_text():
    # 1000000000001 is a number: refused, as a float of that size is, with the limit named
    for value in (1_000_000_000_001, 1.000000000001e12):
        with pytest.raises(InputError) as caught:
            ExplorerState.from_json(with_entry("W_v", value))
        message = str(caught.value)
        assert "must hold only numbers" not in message
        assert "W_v" in message and f"{MAX_MAGNITUDE:.0e}" in message, message


def test_a_whole_number_within_the_limit_is_read_exactly():
    state = ExplorerState.from_json(with_entry("W_v", 1_000_000_000_000))
    assert state.W_v[0, 0] == 1e12


@pytest.mark.parametrize("as_bytes", [False, True])
def test_a_file_with_a_utf8_bom_is_read(as_bytes):
    saved = chapter_state().to_json()
    with_bom = codecs.BOM_UTF8 + saved.encode("utf-8") if as_bytes else "\ufeff" + saved
    assert ExplorerState.from_json(with_bom) == ExplorerState.from_json(saved)


def test_a_bom_in_the_middle_is_still_bad_json():
    with pytest.raises(InputError) as caught:
        ExplorerState.from_json('{"tokens": \ufeff["a"]}')
    assert caught.value.key == "bad_json"


def test_the_size_message_is_in_both_languages():
    for language in ("en", "pt"):
        said = text("config_number_too_large", language, name="X", value="1e+400", limit="1e+12")
        assert "X" in said and "1e+400" in said and "1e+12" in said
