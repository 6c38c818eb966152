"""Checks for the exercises of notebooks 10-12 (word order, multi-head attention, the mask in
training), each with a hint for the specific mistake. Messages come from `strings`.

Every check returns an `exercises.Feedback`: truthy when right, its message the hint, in the
`language` given (the notebook's LANGUAGE; "en" by default).
"""

from __future__ import annotations

import math

import numpy as np

from . import answers
from .exercises import Feedback, _answers
from .positions import positional_encoding
from .strings import DEFAULT_LANGUAGE, text

__all__ = [
    "check_positional_value",
    "check_last_row_same",
    "check_head_relation",
    "check_concat_shape",
    "check_head_rows",
    "check_leak",
    "check_best_loss",
]

TOLERANCE = 0.0051  # as in exercises: an answer rounded to 2 decimals still counts


def _unanswered(language):
    return Feedback(False, text("ex_unanswered", language), ("unanswered",))


def _number(value, language):
    """(float, None) or (None, Feedback) for an answer that should be one number: read as every
    check reads one (`answers.read_number`: a float, a 0-d or size-1 array, a one-element list)."""
    if value is None:
        return None, _unanswered(language)
    number, problem = answers.read_number(value, language)
    if problem is None:
        return number, None
    got, code = problem
    if code == answers.DECIMAL_COMMA:
        return None, Feedback(False, got, (code,))
    return None, Feedback(False, text("ex_not_number", language, got=got), (code,))


def _index(value, language):
    """(int, None) or (None, Feedback) for an answer that should be a whole number (3 or 3.0)."""
    if value is None:
        return None, _unanswered(language)
    whole = answers.read_whole_number(value)
    if whole is None:
        return None, Feedback(False, text("ex_not_index", language, got=answers.shorten(value)), ("not_numbers",))
    return whole, None


def _close(a, b):
    return math.isfinite(a) and abs(a - b) <= TOLERANCE


# --- notebook 10: word order ----------------------------------------------------------------


@_answers
def check_positional_value(value, pos, column, d_model, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: PE[pos, column] for a table of width d_model, computed by hand."""
    value, problem = _number(value, language)
    if problem is not None:
        return problem
    expected = float(positional_encoding(pos + 1, d_model)[pos, column])

    def entry(p, c, angle_of=lambda p, i: p / 10000 ** (2 * i / d_model), function=None):
        """PE[p, c] by the formula, with the angle (or the function) a slip would use."""
        function = function or (math.sin if c % 2 == 0 else math.cos)
        return function(angle_of(p, c // 2))

    i = column // 2
    even = column % 2 == 0
    if _close(value, expected):
        return Feedback(
            True,
            text(
                "pe_right",
                language,
                pos=pos,
                column=column,
                two_i=2 * i,
                d_model=d_model,
                function="sin" if even else "cos",
                value=expected,
            ),
        )
    other = math.cos if even else math.sin
    mistakes = [  # (mistake code, the number it gives, hint key)
        ("swapped", entry(pos, column, function=other), "pe_swapped"),
        ("pair_index", entry(pos, column, lambda p, i: p / 10000 ** (2 * column / d_model)), "pe_pair_index"),
        ("degrees", entry(pos, column, lambda p, i: math.radians(p / 10000 ** (2 * i / d_model))), "pe_degrees"),
        ("precedence", entry(pos, column, lambda p, i: (p / 10000) ** (2 * i / d_model)), "pe_precedence"),
        ("precedence", entry(pos, column, lambda p, i: p / 10000**2 * i / d_model), "pe_precedence"),
        ("no_function", pos / 10000 ** (2 * i / d_model), "pe_no_function"),
        ("position_from_1", entry(pos - 1, column), "pe_position_from_1"),
        ("column_from_1", entry(pos, column - 1) if column > 0 else math.nan, "pe_column_from_1"),
    ]
    for code, wrong, key in mistakes:
        if not _close(wrong, expected) and _close(value, wrong):
            return Feedback(False, text(key, language, i=i, pos=pos, column=column), (code,))
    return Feedback(False, text("ex_other", language, hint=text("pe_hint", language)), ("other",))


@_answers
def check_last_row_same(answer, rows_equal: bool, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: True/False, are two words' outputs the same? `rows_equal` is the fact."""
    if answer is None:
        return _unanswered(language)
    if not isinstance(answer, (bool, np.bool_)):
        return Feedback(False, text("ex_not_bool", language, got=answers.shorten(answer)), ("not_bool",))
    if bool(answer) == bool(rows_equal):
        return Feedback(True, text("order_right", language))
    if rows_equal:  # the same words before it, in another order: the mask does not see the order
        return Feedback(False, text("order_wrong", language), ("mask_gives_order",))
    return Feedback(False, text("order_wrong_sets", language), ("same_words_assumed",))


# --- notebook 11: multi-head attention ----------------------------------------------------------


@_answers
def check_head_relation(answer, attention, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: which head takes the subject? `attention` (heads, [noun, subject]) is measured."""
    attention = np.asarray(attention)
    head, problem = _index(answer, language)
    if problem is not None:
        return problem
    expected = int(np.argmax(attention[:, 1]))
    if head == expected:
        return Feedback(True, text("heads_right", language, head=head, weight=float(attention[head, 1])))
    if 0 <= head < len(attention):
        return Feedback(
            False, text("heads_noun", language, head=head, weight=float(attention[head, 0])), ("wrong_head",)
        )
    return Feedback(False, text("heads_range", language, last=len(attention) - 1), ("range",))


@_answers
def check_concat_shape(answer, n, n_heads, d_v, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: the shape of the heads' outputs side by side, for n tokens."""
    if answer is None:
        return _unanswered(language)
    whole = answers.read_whole_numbers(answer, at_most=10)
    if whole is None:  # text, a dict, 5.9, inf, [5, "6"]: not a shape (never int()'s truncation)
        return Feedback(False, text("shape_expected", language, got=answers.shorten(answer)), ("not_shape",))
    shape = tuple(whole)
    width = n_heads * d_v
    if shape == (n, width):
        return Feedback(True, text("concat_right", language, n=n, n_heads=n_heads, d_v=d_v, width=width))
    if shape == (n, d_v):
        return Feedback(False, text("concat_one_head", language, n_heads=n_heads), ("one_head",))
    if shape == (n_heads, n, d_v):
        return Feedback(False, text("concat_stacked", language), ("stacked",))
    if shape == (width, n):
        return Feedback(False, text("concat_transposed", language), ("transposed",))
    if shape == (n_heads * n, d_v):
        return Feedback(False, text("concat_stacked_rows", language), ("stacked_rows",))
    return Feedback(False, text("ex_other", language, hint=text("concat_hint", language)), ("other",))


@_answers
def check_head_rows(answer, head, n_heads, d_v, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: which rows of W^O (0-based) must be zeroed to switch head `head` off?

    Head h fills columns h*d_v .. (h+1)*d_v - 1 of the concatenation, and concat @ W^O reads
    column c through row c of W^O. The rows may come in any order (a list, tuple, set, range)."""
    if answer is None:
        return _unanswered(language)
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, (bool, np.bool_)):
        answer = [answer]  # one row named on its own
    rows = answers.read_whole_numbers(answer, at_most=1000, sets=True)
    if rows is None:
        return Feedback(False, text("rows_expected", language, got=answers.shorten(answer)), ("not_numbers",))
    rows = set(rows)

    def block(h):
        return set(range(h * d_v, (h + 1) * d_v))

    if rows == block(head):
        return Feedback(True, text("rows_right", language, head=head, first=head * d_v, last=(head + 1) * d_v - 1))
    if rows == {head}:
        return Feedback(False, text("rows_head_index", language, d_v=d_v), ("head_index",))
    if rows == {r + 1 for r in block(head)}:
        return Feedback(False, text("rows_from_1", language), ("from_1",))
    other = next((h for h in range(n_heads) if h != head and rows == block(h)), None)
    if other is not None:
        return Feedback(False, text("rows_other_head", language, other=other, d_v=d_v), ("other_head",))
    if len(rows) > d_v and block(head) <= rows:
        return Feedback(False, text("rows_too_many", language, d_v=d_v), ("too_many",))
    return Feedback(False, text("ex_other", language, hint=text("rows_hint", language)), ("other",))


# --- notebook 12: the mask in training ---------------------------------------------------------


@_answers
def check_leak(answer, weights, t, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: from position t, where does the model trained without the mask look most?

    `weights` is that model's (n, n) attention for one sentence; the answer is a position.
    """
    j, problem = _index(answer, language)
    if problem is not None:
        return problem
    weights = np.asarray(weights)
    expected = int(np.argmax(weights[t]))
    if not 0 <= j < len(weights):  # -1 is not "the last position" here: a position is 0 to n - 1
        return Feedback(False, text("leak_range", language, got=j, last=len(weights) - 1), ("range",))
    if j == expected:
        return Feedback(True, text("leak_right", language, t=t, j=j))
    if j == t:
        return Feedback(False, text("leak_self", language, t=t), ("self",))
    if j < t:
        return Feedback(False, text("leak_past", language, t=t), ("past",))
    return Feedback(False, text("ex_other", language, hint=text("leak_hint", language, t=t)), ("other",))


@_answers
def check_best_loss(value, nouns_after=6, nouns_total=12, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: the lowest possible loss for the word after "<s> o" (six masculine nouns)."""
    value, problem = _number(value, language)
    if problem is not None:
        return problem
    expected = math.log(nouns_after)
    if _close(value, expected):
        return Feedback(True, text("best_right", language, value=expected))
    for code, wrong, key in (
        ("ignored_gender", math.log(nouns_total), "best_ignored_gender"),
        ("probability", 1 / nouns_after, "best_probability"),
        ("log2", math.log2(nouns_after), "best_other_log"),
        ("log10", math.log10(nouns_after), "best_other_log"),
        ("sign", math.log(1 / nouns_after), "best_sign"),
        ("zero", 0.0, "best_zero"),
        ("states", math.log(4), "best_states"),
    ):
        if _close(value, wrong):
            return Feedback(False, text(key, language), (code,))
    return Feedback(False, text("ex_other", language, hint=text("best_hint", language)), ("other",))
