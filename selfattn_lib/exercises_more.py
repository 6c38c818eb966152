"""Checks for the exercises of notebooks 10-12 (word order, multi-head attention, the mask in
training), each with a hint for the specific mistake. Messages come from `strings`.

Every check returns an `exercises.Feedback`: truthy when right, its message the hint, in the
`language` given (the notebook's LANGUAGE; "en" by default).
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from .exercises import Feedback
from .positions import positional_encoding
from .strings import DEFAULT_LANGUAGE, text

__all__ = ["check_positional_value", "check_last_row_same", "check_head_relation",
           "check_concat_shape", "check_leak", "check_best_loss"]

TOLERANCE = 0.0051  # as in exercises: an answer rounded to 2 decimals still counts


def _unanswered(language):
    return Feedback(False, text("ex_unanswered", language), ("unanswered",))


def _number(value, language):
    """(float, None) or (None, Feedback) for an answer that should be one number."""
    if value is None:
        return None, _unanswered(language)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        try:
            value = float(np.asarray(value, dtype=float).item())
        except (TypeError, ValueError):
            return None, Feedback(False, text("ex_not_number", language, got=repr(value)),
                                  ("not_numbers",))
    return float(value), None


def _index(value, language):
    """(int, None) or (None, Feedback) for an answer that should be a whole number."""
    if value is None:
        return None, _unanswered(language)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return None, Feedback(False, text("ex_not_index", language, got=repr(value)),
                              ("not_numbers",))
    return int(value), None


def _close(a, b):
    return math.isfinite(a) and abs(a - b) <= TOLERANCE


# --- notebook 10: word order ----------------------------------------------------------------

def check_positional_value(value, pos, column, d_model, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: PE[pos, column] for a table of width d_model, computed by hand."""
    value, problem = _number(value, language)
    if problem is not None:
        return problem
    expected = float(positional_encoding(pos + 1, d_model)[pos, column])
    i = column // 2
    angle = pos / 10000 ** (2 * i / d_model)
    even = column % 2 == 0
    if _close(value, expected):
        return Feedback(True, text("pe_right", language, pos=pos, column=column, two_i=2 * i,
                                   d_model=d_model, function="sin" if even else "cos", value=expected))
    mistakes = [  # (mistake code, the number it gives, hint key)
        ("swapped", math.cos(angle) if even else math.sin(angle), "pe_swapped"),
        ("pair_index", (math.sin if even else math.cos)(pos / 10000 ** (2 * column / d_model)),
         "pe_pair_index"),
        ("degrees", (math.sin if even else math.cos)(math.radians(angle)), "pe_degrees"),
    ]
    for code, wrong, key in mistakes:
        if not _close(wrong, expected) and _close(value, wrong):
            return Feedback(False, text(key, language, i=i), (code,))
    return Feedback(False, text("ex_other", language, hint=text("pe_hint", language)), ("other",))


def check_last_row_same(answer, rows_equal: bool, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: True/False, are the two printed last rows the same? `rows_equal` is the fact."""
    if answer is None:
        return _unanswered(language)
    if not isinstance(answer, (bool, np.bool_)):
        return Feedback(False, text("ex_not_bool", language, got=repr(answer)), ("not_bool",))
    if bool(answer) == bool(rows_equal):
        return Feedback(True, text("order_right", language))
    return Feedback(False, text("order_wrong", language), ("mask_gives_order",))


# --- notebook 11: multi-head attention ----------------------------------------------------------

def check_head_relation(answer, attention, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: which head takes the subject? `attention` (heads, [noun, subject]) is measured."""
    attention = np.asarray(attention)
    head, problem = _index(answer, language)
    if problem is not None:
        return problem
    expected = int(np.argmax(attention[:, 1]))
    if head == expected:
        return Feedback(True, text("heads_right", language, head=head,
                                   weight=float(attention[head, 1])))
    if 0 <= head < len(attention):
        return Feedback(False, text("heads_noun", language, head=head, weight=float(attention[head, 0])),
                        ("wrong_head",))
    return Feedback(False, text("heads_range", language, last=len(attention) - 1), ("range",))


def check_concat_shape(answer, n, n_heads, d_v, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: the shape of the heads' outputs side by side, for n tokens."""
    if answer is None:
        return _unanswered(language)
    try:
        shape = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return Feedback(False, text("shape_expected", language, got=repr(answer)), ("not_shape",))
    width = n_heads * d_v
    if shape == (n, width):
        return Feedback(True, text("concat_right", language, n=n, n_heads=n_heads, d_v=d_v,
                                   width=width))
    if shape == (n, d_v):
        return Feedback(False, text("concat_one_head", language, n_heads=n_heads), ("one_head",))
    if shape == (n_heads, n, d_v):
        return Feedback(False, text("concat_stacked", language), ("stacked",))
    if shape == (width, n):
        return Feedback(False, text("concat_transposed", language), ("transposed",))
    return Feedback(False, text("ex_other", language, hint=text("concat_hint", language)), ("other",))


# --- notebook 12: the mask in training ---------------------------------------------------------

def check_leak(answer, weights, t, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: from position t, where does the model trained without the mask look most?

    `weights` is that model's (n, n) attention for one sentence; the answer is a position.
    """
    j, problem = _index(answer, language)
    if problem is not None:
        return problem
    expected = int(np.argmax(np.asarray(weights)[t]))
    if j == expected:
        return Feedback(True, text("leak_right", language, t=t, j=j))
    if j == t:
        return Feedback(False, text("leak_self", language, t=t), ("self",))
    if j < t:
        return Feedback(False, text("leak_past", language, t=t), ("past",))
    return Feedback(False, text("ex_other", language, hint=text("leak_hint", language, t=t)),
                    ("other",))


def check_best_loss(value, nouns_after=6, nouns_total=12, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: the lowest possible loss for the word after "<s> o" (six masculine nouns)."""
    value, problem = _number(value, language)
    if problem is not None:
        return problem
    expected = math.log(nouns_after)
    if _close(value, expected):
        return Feedback(True, text("best_right", language, value=expected))
    for code, wrong, key in (("ignored_gender", math.log(nouns_total), "best_ignored_gender"),
                             ("probability", 1 / nouns_after, "best_probability"),
                             ("log2", math.log2(nouns_after), "best_other_log"),
                             ("log10", math.log10(nouns_after), "best_other_log")):
        if _close(value, wrong):
            return Feedback(False, text(key, language), (code,))
    return Feedback(False, text("ex_other", language, hint=text("best_hint", language)), ("other",))
