"""Issue 24: every exercise check reads an answer the same way (one shared reader), answers
garbage with a sentence, shows a learner's exception readably, shortens long echoes, and never
states the answer in a hint. Issue 25: a decimal comma gets the sentence that says so.

The right answers are computed here from the independent reference (or plain math).
"""

import math
import warnings

import numpy as np
import pytest
from test_slips import CHECKS, RAW, SCORES, K, Q

from selfattn_lib.exercises import Feedback

LANGUAGES = ["en", "pt"]

# exercise -> its right answer, one number
ONE_NUMBER = {
    "02.1": float(SCORES[2, 1]),
    "02.2": float(RAW[1, 0]),
    "07.3": float(Q[2] @ K[1] / 2),
    "08.2": 0.8 - 1.0,
    "10.1": math.sin(5 / 10000 ** (2 / 8)),
    "12.1": math.log(6),
}
# exercise -> its right answer, a whole number
WHOLE_NUMBER = {"12.2": 3}


def correct(result) -> bool:
    if isinstance(result, Feedback):
        return result.correct
    return result.startswith(("Correct!", "Correto!"))


def message(result) -> str:
    return result.message if isinstance(result, Feedback) else result


def quietly(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("exercise", ONE_NUMBER)
def test_one_number_is_accepted_in_every_natural_form(exercise, language):
    right = ONE_NUMBER[exercise]
    for form in (right, np.float64(right), np.array(right), np.array([right]), [right], np.array([[right]])):
        result = quietly(lambda: CHECKS[exercise](form, language))
        assert correct(result), (type(form).__name__, message(result))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("exercise", WHOLE_NUMBER)
def test_a_whole_number_is_accepted_as_int_numpy_int_and_whole_float(exercise, language):
    right = WHOLE_NUMBER[exercise]
    for form in (right, np.int64(right), float(right), np.float64(right)):
        result = quietly(lambda: CHECKS[exercise](form, language))
        assert correct(result), (type(form).__name__, message(result))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_shape_is_accepted_as_tuple_list_and_whole_floats(language):
    for form in ((5, 6), [5, 6], (5.0, 6.0), (np.int64(5), np.int64(6))):
        assert correct(CHECKS["11.1"](form, language)), form


@pytest.mark.parametrize("language", LANGUAGES)
def test_rows_are_accepted_in_any_order_and_container(language):
    for form in ([2, 3], (3, 2), {2, 3}, range(2, 4), [2.0, 3.0], np.array([2, 3])):
        assert correct(CHECKS["11.2"](form, language)), form


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_number_in_quotes_is_refused_with_the_same_words_everywhere(language):
    words = {"en": "without quotes", "pt": "sem aspas"}[language]
    for exercise, right in ONE_NUMBER.items():
        result = quietly(lambda: CHECKS[exercise](str(right), language))
        assert not correct(result) and words in message(result), (exercise, message(result))


GARBAGE = [
    10**400,
    -(10**400),
    math.inf,
    -math.inf,
    math.nan,
    None,
    "abc",
    [["a", 1], [2, 3]],
    [1, [2, "x"]],
    {"a": 1},
    object(),
    1j,
    True,
    "x" * 10_000,
    list(range(10_000)),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("exercise", sorted(set(CHECKS) - {"03.3", "08.3", "07.2"}))
def test_garbage_gets_a_short_sentence_never_a_traceback(exercise, language):
    for answer in GARBAGE:
        if exercise == "10.2" and answer is True:
            continue  # the right answer there
        result = quietly(lambda: CHECKS[exercise](answer, language))
        text = message(result)
        assert isinstance(text, str) and text and not correct(result), (exercise, answer)
        assert "<U" not in text and "dtype" not in text, text  # numpy's type codes are not for learners
        assert len(text) < 700, (exercise, len(text))  # a long answer's echo is shortened


@pytest.mark.parametrize("language", LANGUAGES)
def test_text_inside_a_list_is_quoted(language):
    result = CHECKS["04.1"]([0.1, "abc", 0.3, 0.4], language)
    assert "'abc'" in message(result), message(result)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "exercise, fn",
    [
        ("03.3", lambda s: np.exp(s) / np.exp(s).sum(axis=1)),
        ("08.3", lambda dw, w: w.sum(axis=2)),
    ],
)
def test_a_learners_exception_is_shown_as_its_own_words(exercise, fn, language):
    text = message(CHECKS[exercise](fn, language))
    assert "axis 1 is out of bounds" in text or "axis 2 is out of bounds" in text, text
    assert "AxisError(" not in text, text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("exercise", ONE_NUMBER)
def test_no_hint_states_the_answer(exercise, language):
    right = ONE_NUMBER[exercise]
    shown = {f"{right:.{d}f}" for d in (2, 3, 4)}
    shown |= {s.replace(".", ",") for s in shown}
    from test_slips import SLIPS

    answers = [s.answer for s in SLIPS if s.exercise == exercise] + [right + 0.5, right - 1.0, 42.0]
    for answer in answers:
        result = CHECKS[exercise](answer, language)
        if correct(result):
            continue
        text = message(result)
        if text.lower().startswith(("in python the decimal separator", "em python o decimal")):
            continue  # the learner's own number, written back with a point
        assert not any(f in text for f in shown), (exercise, answer, text)


# --- issue 25: decimal commas -------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "exercise, answer, fixed",
    [
        ("02.1", (0, 305), "0.305"),  # my_score = 0,305
        ("08.2", (0, 2), "0.2"),  # -0,2: the sign lost
        ("07.3", (0, 30), "0.30"),
        ("12.1", (1, 79), "1.79"),
        ("10.1", (0, 48), "0.48"),
        ("02.1", "0,89", "0.89"),  # in quotes
        ("03.1", [0, 36, 0, 33, 0, 31], "[0.36, 0.33, 0.31]"),  # a list twice as long
        ("04.2", [[0, 36] * 4] * 3, "0.36"),  # a matrix, each row twice as long
    ],
)
def test_a_decimal_comma_gets_the_point(exercise, answer, fixed, language):
    text = message(CHECKS[exercise](answer, language))
    assert text.lower().startswith(("in python the decimal separator is a point", "em python o decimal é ponto")), text
    assert fixed in text, text
    if exercise == "08.2":
        assert "-0.2" in text, text  # the lost minus sign is mentioned


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_shape_of_two_whole_numbers_is_not_read_as_a_decimal_comma(language):
    assert "0.5" not in message(CHECKS["01.3"]((0, 5), language))
    assert correct(CHECKS["01.3"]((5, 4), language))
