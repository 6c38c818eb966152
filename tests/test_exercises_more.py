"""The exercise checks of notebooks 10-12: right answers pass, each mistake gets its own hint."""

import math

import numpy as np
import pytest

from selfattn_lib import exercises_more as ex
from selfattn_lib.strings import STRINGS


def codes(feedback):
    return feedback.mistakes


def test_positional_value():
    # PE[3, 2] for d_model 4: pair i = 1, angle 3 / 10000^(2/4) = 0.03, a sine (even column)
    right = math.sin(0.03)
    assert ex.check_positional_value(right, 3, 2, 4)
    assert ex.check_positional_value(round(right, 2), 3, 2, 4)
    assert codes(ex.check_positional_value(math.cos(0.03), 3, 2, 4)) == ("swapped",)
    assert codes(ex.check_positional_value(math.sin(3 / 10000 ** (4 / 4)), 3, 2, 4)) == ("pair_index",)
    # PE[3, 0] for d_model 2: sin(3); in degrees sin(3 degrees)
    assert codes(ex.check_positional_value(math.sin(math.radians(3)), 3, 0, 2)) == ("degrees",)
    assert codes(ex.check_positional_value(5.0, 3, 2, 4)) == ("other",)
    assert codes(ex.check_positional_value(None, 3, 2, 4)) == ("unanswered",)
    assert codes(ex.check_positional_value("x", 3, 2, 4)) == ("not_numbers",)
    assert ex.check_positional_value(np.float64(right), 3, 2, 4)


def test_last_row_same():
    assert ex.check_last_row_same(True, rows_equal=True)
    assert codes(ex.check_last_row_same(False, rows_equal=True)) == ("mask_gives_order",)
    assert ex.check_last_row_same(False, rows_equal=False)
    assert codes(ex.check_last_row_same("yes", True)) == ("not_bool",)
    assert codes(ex.check_last_row_same(None, True)) == ("unanswered",)


def test_concat_shape():
    assert ex.check_concat_shape((5, 6), n=5, n_heads=3, d_v=2)
    assert ex.check_concat_shape([5, 6], n=5, n_heads=3, d_v=2)
    assert codes(ex.check_concat_shape((5, 2), 5, 3, 2)) == ("one_head",)
    assert codes(ex.check_concat_shape((3, 5, 2), 5, 3, 2)) == ("stacked",)
    assert codes(ex.check_concat_shape((6, 5), 5, 3, 2)) == ("transposed",)
    assert codes(ex.check_concat_shape((5, 5), 5, 3, 2)) == ("other",)
    assert codes(ex.check_concat_shape(6, 5, 3, 2)) == ("not_shape",)


def test_leak():
    weights = np.array([[0.1, 0.8, 0.1], [0.1, 0.2, 0.7], [0.2, 0.3, 0.5]])
    assert ex.check_leak(1, weights, t=0)
    assert ex.check_leak(2, weights, t=1)
    assert codes(ex.check_leak(1, weights, t=1)) == ("self",)
    assert codes(ex.check_leak(0, weights, t=1)) == ("past",)
    assert codes(ex.check_leak(2, weights, t=0)) == ("other",)
    assert ex.check_leak(1.0, weights, t=0)  # a whole float is read as every check reads one (issue 24)
    assert codes(ex.check_leak(1.5, weights, t=0)) == ("not_numbers",)


def test_best_loss():
    assert ex.check_best_loss(math.log(6))
    assert ex.check_best_loss(1.79)
    assert codes(ex.check_best_loss(math.log(12))) == ("ignored_gender",)
    assert codes(ex.check_best_loss(1 / 6)) == ("probability",)
    assert codes(ex.check_best_loss(math.log2(6))) == ("log2",)
    assert codes(ex.check_best_loss(math.log10(6))) == ("log10",)
    assert codes(ex.check_best_loss(3.0)) == ("other",)


def test_hints_are_distinct_and_in_strings():
    # each mistake's message differs from the generic one: the hint names the mistake
    generic = str(ex.check_best_loss(3.0))
    for wrong in (math.log(12), 1 / 6, math.log2(6)):
        assert str(ex.check_best_loss(wrong)) != generic
    for key in ("pe_right", "heads_noun", "concat_stacked", "leak_self", "best_probability"):
        assert key in STRINGS["en"]


@pytest.mark.parametrize("name", ["exercises_more", "plots_more"])
def test_every_string_key_looked_up_exists(name):
    import importlib
    import re
    from pathlib import Path

    module = importlib.import_module(f"selfattn_lib.{name}")
    source = Path(module.__file__).read_text("utf-8")
    keys = set(re.findall(r'\btext\(\s*"([a-z_0-9]+)"', source))
    # keys named in tables of mistakes, passed to text() later
    keys |= set(re.findall(r'"((?:ex|pe|order|heads|concat|shape|leak|best|plot)_[a-z_]+)"', source))
    keys -= set(module.__all__)  # function names, not keys
    assert len(keys) >= 3
    assert keys <= set(STRINGS["en"]), sorted(keys - set(STRINGS["en"]))


# (check, its arguments) for every outcome of every check: right, each mistake, bad input
EVERY_OUTCOME = [
    (ex.check_positional_value, (math.sin(0.03), 3, 2, 4)),
    (ex.check_positional_value, (math.cos(0.03), 3, 2, 4)),
    (ex.check_positional_value, (math.sin(3 / 10000), 3, 2, 4)),
    (ex.check_positional_value, (math.sin(math.radians(3)), 3, 0, 2)),
    (ex.check_positional_value, (5.0, 3, 2, 4)),
    (ex.check_positional_value, (None, 3, 2, 4)),
    (ex.check_positional_value, ("x", 3, 2, 4)),
    (ex.check_last_row_same, (True, True)),
    (ex.check_last_row_same, (False, True)),
    (ex.check_last_row_same, ("yes", True)),
    (ex.check_head_relation, (0, np.array([[0.2, 0.7], [0.8, 0.1]]))),
    (ex.check_head_relation, (1, np.array([[0.2, 0.7], [0.8, 0.1]]))),
    (ex.check_head_relation, (5, np.array([[0.2, 0.7], [0.8, 0.1]]))),
    (ex.check_head_relation, (0.5, np.array([[0.2, 0.7], [0.8, 0.1]]))),
    (ex.check_concat_shape, ((5, 6), 5, 3, 2)),
    (ex.check_concat_shape, ((5, 2), 5, 3, 2)),
    (ex.check_concat_shape, ((3, 5, 2), 5, 3, 2)),
    (ex.check_concat_shape, ((6, 5), 5, 3, 2)),
    (ex.check_concat_shape, ((5, 5), 5, 3, 2)),
    (ex.check_concat_shape, (6, 5, 3, 2)),
    (ex.check_leak, (1, np.array([[0.1, 0.8, 0.1], [0.1, 0.2, 0.7], [0.2, 0.3, 0.5]]), 0)),
    (ex.check_leak, (1, np.array([[0.1, 0.8, 0.1], [0.1, 0.2, 0.7], [0.2, 0.3, 0.5]]), 1)),
    (ex.check_leak, (0, np.array([[0.1, 0.8, 0.1], [0.1, 0.2, 0.7], [0.2, 0.3, 0.5]]), 1)),
    (ex.check_leak, (2, np.array([[0.1, 0.8, 0.1], [0.1, 0.2, 0.7], [0.2, 0.3, 0.5]]), 0)),
    (ex.check_best_loss, (math.log(6),)),
    (ex.check_best_loss, (math.log(12),)),
    (ex.check_best_loss, (1 / 6,)),
    (ex.check_best_loss, (math.log2(6),)),
    (ex.check_best_loss, (3.0,)),
]


@pytest.mark.parametrize("check, args", EVERY_OUTCOME)
def test_portuguese_feedback_is_the_same_verdict_in_portuguese(check, args):
    english, portuguese = check(*args), check(*args, language="pt")
    assert bool(portuguese) == bool(english)
    assert portuguese.mistakes == english.mistakes
    assert str(portuguese) != str(english)
    # no English sentence left: the words every English message of these checks is built from
    for word in (" the ", "Not yet", "Correct!", "answer"):
        assert word not in str(portuguese), (word, str(portuguese))
    assert check(*args, language="en").mistakes == english.mistakes


def test_a_check_refuses_an_unknown_language_by_name():
    with pytest.raises(ValueError, match="language must be one of"):
        ex.check_best_loss(3.0, language="pt-br")
