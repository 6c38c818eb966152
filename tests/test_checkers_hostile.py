"""Issue 14: whatever a learner types, the exercise checks answer with a sentence.

Never a traceback, never a warning; complex, nan and inf are never correct; indices outside
the example are refused with a message, not read Python's way (-1 = the last token).
"""

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import reference_attention

from selfattn_lib import chapter_example
from selfattn_lib import exercises as ex

CH = chapter_example()
Q, K, V, SCORES, WEIGHTS, OUTPUT = (
    np.array(m) for m in reference_attention(CH.X.tolist(), CH.W_q.tolist(), CH.W_k.tolist(), CH.W_v.tolist())
)


def _self_containing():
    loop = [1.0]
    loop.append(loop)
    return loop


def _deep(depth):
    value = [0.5]
    for _ in range(depth):
        value = [value]
    return value


HOSTILE = [
    "",
    "0.5",
    "abc",
    "0,5 0,2",
    b"\x00\xff",
    "None",
    10**400,
    -(10**400),
    [10**400, 1, 2, 3],
    [[10**400] * 4] * 3,
    1e308,
    [1e308] * 4,
    float("nan"),
    float("inf"),
    -float("inf"),
    [float("nan")] * 4,
    [float("inf")] * 4,
    1j,
    [1j, 2, 3, 4],
    np.ones(4, complex),
    [],
    [[]],
    [[], []],
    [1, [2, 3]],
    [[1, 2], [3]],
    [None, None, None, None],
    [1, "2", 3, 4],
    {"a": 1},
    {1, 2, 3},
    (x for x in range(3)),
    object(),
    print,
    np.ones((2, 2, 2, 2)),
    np.zeros(10**5),
    np.array("x"),
    True,
    False,
    [True, False],
    Fraction(1, 3),
    _self_containing(),
    _deep(3000),
    np.ma.masked_array([1, 2, 3, 4], mask=[0, 1, 0, 0]),
    np.array([1, 2, 3, 4], dtype=object),
    np.datetime64("2024-01-01"),
    slice(1, 2),
    Ellipsis,
    type,
]

CHECKS = {
    "projection": lambda a: ex.check_projection(a, 1, "q"),
    "projection_matrix": lambda a: ex.check_projection_matrix(a, "k"),
    "projection_shape": lambda a: ex.check_projection_shape(a, 5, 3, 4),
    "score": lambda a: ex.check_score(a, 2, 1),
    "scores": lambda a: ex.check_scores(a),
    "weights_row": lambda a: ex.check_weights_row(a, 2),
    "weights": lambda a: ex.check_weights(a),
    "output_row": lambda a: ex.check_output_row(a, 1),
    "output": lambda a: ex.check_output(a),
    "changed_outputs": lambda a: ex.check_changed_outputs(a, 2),
}


def _quietly(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning escaping is a failure too
        return call()


@pytest.mark.parametrize("name", CHECKS)
@pytest.mark.parametrize("answer", HOSTILE, ids=[f"{i}" for i in range(len(HOSTILE))])
def test_any_answer_gets_a_sentence(name, answer):
    feedback = _quietly(lambda: CHECKS[name](answer))
    assert isinstance(feedback, ex.Feedback)
    assert feedback.message and not feedback.correct, feedback.message


@pytest.mark.parametrize(
    "fn",
    [
        lambda s: np.exp(s - s.max()) / np.exp(s - s.max()).sum() + 0j,  # right real part, complex
        lambda s: (np.exp(s - s.max()) / np.exp(s - s.max()).sum()).astype(complex) + 1e-3j,
        lambda s: [10**400] * len(s),
        lambda s: "0.3 0.3 0.4",
        lambda s: None,
        lambda s: [[0.5]],
        lambda s: {"a": 1},
        lambda s: _self_containing(),
        lambda s: 1 / 0,
    ],
)
def test_softmax_function_check_never_breaks(fn):
    feedback = _quietly(lambda: ex.check_softmax_function(fn))
    assert not feedback.correct and feedback.message


def test_complex_answers_are_never_correct():
    assert not ex.check_projection(Q[1] + 0j, 1, "q").correct
    assert not ex.check_projection(Q[1] + 1e-9j, 1, "q").correct
    assert not ex.check_scores(SCORES.astype(complex)).correct
    assert not ex.check_weights(WEIGHTS + 0j).correct
    assert not ex.check_score(complex(SCORES[2, 1], 1e-9), 2, 1).correct
    feedback = ex.check_output(OUTPUT + 0j)
    assert "complex" in feedback.message


def test_huge_answers_are_a_sentence_not_an_overflow_error():
    for check in (
        lambda a: ex.check_score(a, 2, 1),
        lambda a: ex.check_projection_shape(a, 5, 3, 4),
        lambda a: ex.check_changed_outputs(a, 2),
    ):
        for answer in (10**400, [10**400, 4], (float("inf"), 4), [float("inf")]):
            feedback = check(answer)
            assert not feedback.correct and feedback.message


def test_shapes_and_subscripts_are_whole_numbers_not_truncated():
    assert not ex.check_projection_shape((5.9, 4), 5, 3, 4).correct
    assert not ex.check_projection_shape("54", 5, 3, 4).correct  # not read as (5, 4)
    assert ex.check_projection_shape((5.0, np.int64(4)), 5, 3, 4).correct
    assert not ex.check_changed_outputs([2.7, 3], 2).correct
    assert not ex.check_changed_outputs("23", 2).correct
    assert not ex.check_changed_outputs([True, 3], 2).correct
    assert ex.check_changed_outputs([2, 3], 2).correct
    assert ex.check_changed_outputs({2, 3}, 2).correct  # a set is a fine way to say which
    assert ex.check_changed_outputs(np.array([3, 2]), 2).correct
    assert not ex.check_projection_shape({5, 4}, 5, 3, 4).correct  # a set has no order


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: ex.check_projection(CH.X[-1] @ CH.W_q, -1), ["i", "-1", "0", "2"]),
        (lambda: ex.check_projection(Q[0], 3), ["i", "3", "0", "2"]),
        (lambda: ex.check_projection(Q[0], 1.0), ["i", "whole number", "1.0"]),
        (lambda: ex.check_projection(Q[0], True), ["i", "whole number", "True"]),
        (lambda: ex.check_projection(Q[0], 0, "x"), ["name", "'q'", "'x'"]),
        (lambda: ex.check_score(SCORES[2, 2], -1, -1), ["i", "-1"]),
        (lambda: ex.check_score(SCORES[2, 2], 2, 5), ["j", "5"]),
        (lambda: ex.check_weights_row(WEIGHTS[2], -1), ["i", "-1"]),
        (lambda: ex.check_weights_row(WEIGHTS[2], 3), ["i", "3"]),
        (lambda: ex.check_output_row(OUTPUT[2], -1), ["i", "-1"]),
        (lambda: ex.check_changed_outputs([2, 3], 0), ["perturbed", "1", "3", "0"]),
        (lambda: ex.check_changed_outputs([2, 3], 4), ["perturbed", "4"]),
        (lambda: ex.check_changed_outputs([3], -1), ["perturbed", "-1"]),
        (lambda: ex.check_weights(WEIGHTS, causal="False"), ["causal", "True or False"]),
        (lambda: ex.check_scores(SCORES, scaled=None), ["scaled", "True or False"]),
        (lambda: ex.check_projection_shape((5, 4), -5, 3, 4), ["n", "-5"]),
        (lambda: ex.check_projection_shape((5, 4), 5, 3.5, 4), ["d_model", "3.5"]),
        (lambda: ex.check_output(OUTPUT, example=42), ["example", "X"]),
        (lambda: ex.check_projection(Q[0], 0, example=object()), ["example"]),
    ],
)
def test_bad_indices_and_arguments_are_refused_with_a_message(call, words):
    feedback = _quietly(call)
    assert not feedback.correct and ex.ARGUMENT in feedback.mistakes, feedback.message
    for word in words:
        assert word in feedback.message, (word, feedback.message)


def test_numpy_integer_indices_still_work():
    assert ex.check_projection(Q[1], np.int64(1), "q").correct
    assert ex.check_weights_row(WEIGHTS[2], np.int32(2)).correct


answers = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.complex_numbers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(answers, st.sampled_from(sorted(CHECKS)))
def test_random_typed_answers_get_a_sentence(answer, name):
    feedback = _quietly(lambda: CHECKS[name](answer))
    assert isinstance(feedback, ex.Feedback) and feedback.message
    if feedback.correct:  # only a real, finite, right answer can be correct
        array = np.asarray(answer, dtype=float) if name not in ("projection_shape", "changed_outputs") else None
        assert array is None or np.isfinite(array).all()
