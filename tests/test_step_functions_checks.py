"""Issue 14, library half: the step functions check their arguments as self_attention does.

Each case names the argument, what was expected and what was got; integers are valid input;
flags are real booleans; a masked array is refused (its mask would silently be dropped).
"""

import numpy as np
import pytest
from reference import matmul, reference_attention
from refusals import assert_refused

from selfattn_lib import (
    attention_scores,
    causal_mask,
    chapter_example,
    combine_values,
    project,
    self_attention,
    self_attention_loop,
    softmax,
)

EX = chapter_example()


# --- integers are valid input everywhere ---------------------------------------------------


def test_attention_scores_accepts_integer_arrays():
    Q = np.array([[1, 2], [3, 4], [0, -1]])
    K = np.array([[2, 0], [1, 1], [-3, 5]])
    expected = [[sum(q * k for q, k in zip(qi, kj)) / 2**0.5 for kj in K.tolist()] for qi in Q.tolist()]
    np.testing.assert_allclose(attention_scores(Q, K), expected, rtol=1e-12)
    np.testing.assert_allclose(attention_scores(Q, K, scaled=False), matmul(Q.tolist(), K.T.tolist()))


def test_integer_inputs_work_in_every_step_function():
    X = [[1, 0, 2], [0, 1, -1]]
    W = [[1, 2], [0, 1], [3, -1]]
    np.testing.assert_allclose(project(X, W), matmul(X, W))
    np.testing.assert_allclose(project(X[0], W), matmul([X[0]], W)[0])  # one token, x_i W
    w = softmax([[1, 2, 3]])
    assert w.dtype == float
    np.testing.assert_allclose(w.sum(), 1.0)
    np.testing.assert_allclose(combine_values([[1, 0], [0, 1]], [[3, 4], [5, 6]]), [[3, 4], [5, 6]])
    n = np.int64(3)
    assert causal_mask(n).shape == (3, 3)


def test_integers_too_large_for_int64_do_not_wrap_around():
    big = np.array([[2**62, 2**62]], dtype=np.int64)
    got = project(big, np.array([[4], [4]], dtype=np.int64))  # int64 @ int64 would wrap to 0
    assert got[0, 0] == pytest.approx(2.0**65)


def test_self_attention_with_integers_matches_the_reference():
    X = [[1, 0, 1], [0, 2, 0], [1, 1, 1]]
    W_q, W_k, W_v = [[1, 0], [0, 1], [1, 1]], [[0, 1], [1, 0], [1, 1]], [[1, 2], [3, 4], [5, 6]]
    r = self_attention(np.array(X), np.array(W_q), np.array(W_k), np.array(W_v))
    ref = reference_attention(X, W_q, W_k, W_v)
    np.testing.assert_allclose(r.output, ref[5], rtol=1e-12)


# --- bad arguments: ValueError naming the argument, expected vs got --------------------------

CASES = [
    (lambda: causal_mask(2.5), ["n", "whole number", "2.5"]),
    (lambda: causal_mask(True), ["n", "whole number", "True"]),
    (lambda: causal_mask(0), ["n", "at least 1", "0"]),
    (lambda: causal_mask(-3), ["n", "at least 1", "-3"]),
    (lambda: causal_mask("3"), ["n", "whole number", "'3'"]),
    (lambda: causal_mask(None), ["n", "None"]),
    (lambda: causal_mask(10**9), ["n", "at most"]),
    (lambda: softmax([[-np.inf, -np.inf]]), ["scores", "row 0", "no allowed"]),
    (
        lambda: softmax([[1.0, 2.0], [3.0, 4.0]], np.array([[True, False], [False, False]])),
        ["mask", "row 1", "no allowed"],
    ),
    (lambda: softmax([[1.0, np.nan]]), ["scores", "nan"]),
    (lambda: softmax([[1.0, np.inf]]), ["scores", "inf"]),
    (lambda: softmax(None), ["scores", "None"]),
    (lambda: softmax("1 2 3"), ["scores", "numbers"]),
    (lambda: softmax([]), ["scores", "at least one"]),
    (lambda: softmax(3.0), ["scores", "at least 1-D"]),
    (lambda: softmax([[1.0, 2.0]], [[1, 0]]), ["mask", "bool", "int"]),
    (lambda: softmax([[1.0, 2.0]], np.ones((3, 3), bool)), ["mask", "shape", "(3, 3)", "(1, 2)"]),
    (lambda: project(None, EX.W_q), ["X", "None"]),
    (lambda: project(EX.X, None), ["W", "None"]),
    (lambda: project(EX.X, np.ones((3, 2))), ["W", "4 rows", "3 x 2"]),
    (lambda: project(EX.X, np.ones(4)), ["W", "2-D", "1-D"]),
    (lambda: project(np.ones((2, 2, 2)), np.ones((2, 2))), ["X", "3-D"]),
    (lambda: project([[1.0, np.nan]], np.ones((2, 2))), ["X", "finite", "nan"]),
    (lambda: project([[1e200, 1e200]], [[1e200], [1e200]]), ["too large", "float64"]),
    (lambda: attention_scores(np.ones((3, 4)), np.ones((3, 2))), ["Q", "K", "columns", "4", "2"]),
    (lambda: attention_scores(np.ones(4), np.ones((3, 4))), ["Q", "2-D", "1-D"]),
    (lambda: attention_scores(np.ones((3, 4)), None), ["K", "None"]),
    (
        lambda: attention_scores(np.ones((3, 4)), np.ones((3, 4)), scaled="False"),
        ["scaled", "True or False", "'False'"],
    ),
    (lambda: attention_scores(np.ones((3, 4)), np.ones((3, 4)), scaled=1), ["scaled", "True or False", "1"]),
    (lambda: attention_scores([[1e200]], [[1e200]]), ["too large", "float64"]),
    (lambda: combine_values(np.ones((3, 3)), np.ones((2, 4))), ["weights", "V", "3", "2"]),
    (lambda: combine_values(None, np.ones((2, 4))), ["weights", "None"]),
    (lambda: combine_values(np.ones((3, 3)), [["a"] * 4] * 3), ["V", "numbers"]),
    (lambda: self_attention(EX.X, EX.W_q, EX.W_k, EX.W_v, causal="False"), ["causal", "True or False", "'False'"]),
    (lambda: self_attention(EX.X, EX.W_q, EX.W_k, EX.W_v, scaled=None), ["scaled", "True or False", "None"]),
    (lambda: self_attention_loop(EX.X, EX.W_q, EX.W_k, EX.W_v, causal=0), ["causal", "True or False"]),
    (
        lambda: self_attention(np.ma.masked_array(EX.X, mask=np.eye(3, 4, dtype=bool)), EX.W_q, EX.W_k, EX.W_v),
        ["X", "masked array"],
    ),
    (lambda: project(EX.X, np.ma.masked_array(EX.W_q)), ["W", "masked array"]),
    (lambda: softmax(np.ma.masked_array([[1.0, 2.0]], mask=[[False, True]])), ["scores", "masked array"]),
    (lambda: self_attention([[10**400, 0, 0, 0]], EX.W_q, EX.W_k, EX.W_v), ["X", "float64", "too large"]),
    (lambda: self_attention({1: 2}, EX.W_q, EX.W_k, EX.W_v), ["X", "numbers"]),
    (lambda: self_attention(EX.X.astype(bool), EX.W_q, EX.W_k, EX.W_v), ["X", "numbers", "bool"]),
]


@pytest.mark.parametrize("call, words", CASES, ids=[str(i) for i in range(len(CASES))])
def test_bad_arguments_raise_a_value_error_naming_them(call, words):
    assert_refused(call, words)


def test_numpy_booleans_are_accepted_as_flags():
    r = self_attention(EX.X, EX.W_q, EX.W_k, EX.W_v, causal=np.bool_(False), scaled=np.True_)
    assert r.causal is False and r.scaled is True
    attention_scores(EX.X, EX.X, scaled=np.False_)


def test_an_all_masked_row_is_an_error_not_nan():
    with pytest.raises(ValueError, match="row 2"):
        softmax(np.zeros((3, 3)), np.array([[1, 0, 0], [1, 1, 0], [0, 0, 0]], dtype=bool))


def test_softmax_keeps_what_the_notebooks_use():
    # a 1-D row, -inf as "masked" inside the scores, a batch with one mask for every matrix
    np.testing.assert_allclose(softmax([0.0, 0.0]), [0.5, 0.5])
    np.testing.assert_array_equal(softmax([[0.0, -np.inf], [1.0, 1.0]]), [[1.0, 0.0], [0.5, 0.5]])
    w = softmax(np.zeros((2, 3, 3)), causal_mask(3))
    np.testing.assert_allclose(w[1, 2], [1 / 3] * 3)
    assert w[0, 0, 1] == 0.0


def test_a_refused_call_leaves_the_arguments_unchanged():
    scores = np.array([[1.0, np.nan]])
    with pytest.raises(ValueError):
        softmax(scores)
    assert np.isnan(scores[0, 1]) and scores[0, 0] == 1.0


# --- steps.py: the written-out steps check their arguments too -------------------------------

from selfattn_lib import steps  # noqa: E402

RESULT = self_attention(EX.X, EX.W_q, EX.W_k, EX.W_v)
TOKENS = list(EX.tokens)


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: steps.score_step(None, 0, 0), ["result", "AttentionResult", "NoneType"]),
        (lambda: steps.softmax_step(EX.X, 0), ["result", "AttentionResult", "ndarray"]),
        (lambda: steps.output_step("result", 0), ["result", "AttentionResult"]),
        (lambda: steps.mode_label(42), ["result", "AttentionResult"]),
        (lambda: steps.score_step(RESULT, 0, 0, tokens="gato"), ["tokens", "list", "str"]),
        (lambda: steps.softmax_step(RESULT, 0, tokens=TOKENS[:2]), ["tokens", "3", "2"]),
        (lambda: steps.output_step(RESULT, 0, tokens=42), ["tokens", "int"]),
        (lambda: steps.projection_step(EX.X, EX.W_q, 0, tokens=TOKENS + ["x"]), ["tokens", "3", "4"]),
        (lambda: steps.worked_steps(RESULT, EX.X[:2], EX.W_q, TOKENS, 0), ["X", "3", "2 rows"]),
        (lambda: steps.worked_steps(RESULT, EX.X, EX.W_q[:, :2], TOKENS, 0), ["W_q", "4 x 4", "4 x 2"]),
        (lambda: steps.worked_example(EX.X, EX.W_q, EX.W_k, EX.W_v, TOKENS, 0, causal="no"), ["causal"]),
        (lambda: steps.score_step(RESULT, -1, 0), ["i", "-1"]),
        (lambda: steps.projection_step([[1e200, 1e200]], [[1e200], [1e200]], 0), ["too large"]),
    ],
)
def test_step_texts_check_their_arguments(call, words):
    assert_refused(call, words)
