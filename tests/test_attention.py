"""Both implementations against the independent plain-Python reference, on many shapes."""

import numpy as np
import pytest
from reference import reference_attention

from selfattn_lib import (
    AttentionResult,
    causal_mask,
    chapter_example,
    self_attention,
    self_attention_loop,
    softmax,
)

IMPLEMENTATIONS = [self_attention, self_attention_loop]
SHAPES = [  # (n, d_model, d_k, d_v)
    (1, 1, 1, 1),
    (1, 3, 2, 5),
    (2, 4, 4, 4),
    (3, 4, 4, 4),
    (5, 3, 7, 2),
    (7, 8, 2, 8),
    (10, 6, 6, 3),
    (16, 5, 9, 1),
]


def random_inputs(rng, n, d_model, d_k, d_v, scale=1.0):
    return (
        rng.normal(0, scale, (n, d_model)),
        rng.normal(0, scale, (d_model, d_k)),
        rng.normal(0, scale, (d_model, d_k)),
        rng.normal(0, scale, (d_model, d_v)),
    )


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS, ids=["matrix", "loop"])
@pytest.mark.parametrize("causal", [True, False])
@pytest.mark.parametrize("scaled", [True, False])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_matches_plain_python_reference(implementation, causal, scaled, shape):
    rng = np.random.default_rng(sum(shape) * 31 + causal * 2 + scaled)
    inputs = random_inputs(rng, *shape, scale=1.5)
    result = implementation(*inputs, causal=causal, scaled=scaled)
    expected = reference_attention(*(m.tolist() for m in inputs), causal=causal, scaled=scaled)
    for name, want in zip(("Q", "K", "V", "scores", "weights", "output"), expected):
        np.testing.assert_allclose(getattr(result, name), np.array(want), rtol=1e-12, atol=1e-12, err_msg=name)
    assert result.d_k == shape[2] and result.d_v == shape[3] and result.n == shape[0]
    assert result.causal is causal and result.scaled is scaled


def test_result_shapes_and_types():
    n, d_model, d_k, d_v = 6, 5, 3, 2
    result = self_attention(*random_inputs(np.random.default_rng(1), n, d_model, d_k, d_v))
    assert isinstance(result, AttentionResult)
    assert result.Q.shape == result.K.shape == (n, d_k)
    assert result.V.shape == (n, d_v) and result.output.shape == (n, d_v)
    assert result.scores.shape == result.weights.shape == (n, n)
    assert isinstance(result.d_k, int)


def test_scores_are_kept_before_the_mask():
    # The learner must see what the mask removes: the upper triangle is q_i . k_j, not -inf.
    ex = chapter_example()
    result = self_attention(ex.X, ex.W_q, ex.W_k, ex.W_v, causal=True)
    unmasked = self_attention(ex.X, ex.W_q, ex.W_k, ex.W_v, causal=False)
    assert np.isfinite(result.scores).all()
    np.testing.assert_array_equal(result.scores, unmasked.scores)
    assert (result.weights[~causal_mask(3)] == 0.0).all()
    assert (unmasked.weights > 0).all()


def test_scaling_divides_scores_by_sqrt_dk():
    rng = np.random.default_rng(2)
    inputs = random_inputs(rng, 4, 3, 9, 2)
    plain = self_attention(*inputs, scaled=False)
    scaled = self_attention(*inputs, scaled=True)
    np.testing.assert_allclose(scaled.scores * 3.0, plain.scores, rtol=1e-14)


def test_first_output_is_first_value_when_causal():
    # a_1 attends only to itself: alpha_11 = 1, so a_1 = v_1.
    result = self_attention(*random_inputs(np.random.default_rng(3), 5, 4, 4, 4))
    assert result.weights[0, 0] == 1.0
    np.testing.assert_array_equal(result.output[0], result.V[0])


def test_mask_property_of_result():
    r = self_attention(*random_inputs(np.random.default_rng(4), 3, 2, 2, 2), causal=False)
    assert r.mask.all()
    r = self_attention(*random_inputs(np.random.default_rng(4), 3, 2, 2, 2))
    assert r.mask.tolist() == [[True, False, False], [True, True, False], [True, True, True]]


def test_softmax_rows_and_masked_zeros():
    scores = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    mask = np.array([[True, True, False], [True, True, True]])
    w = softmax(scores, mask)
    assert w[0, 2] == 0.0
    np.testing.assert_allclose(w[0, :2], [1 / (1 + np.e), np.e / (1 + np.e)], rtol=1e-15)
    np.testing.assert_allclose(w[1], [1 / 3] * 3, rtol=1e-15)


def test_softmax_does_not_overflow_on_huge_scores():
    w = softmax(np.array([[1e308, -1e308, 1e308 / 2]]))
    assert np.isfinite(w).all()
    np.testing.assert_array_equal(w, [[1.0, 0.0, 0.0]])


def test_large_but_finite_inputs_give_finite_outputs():
    # Scores of about 1e12: a naive exp() would overflow at about 710.
    rng = np.random.default_rng(5)
    X, W_q, W_k, W_v = random_inputs(rng, 6, 4, 4, 3)
    for implementation in IMPLEMENTATIONS:
        result = implementation(X * 1e3, W_q * 1e3, W_k, W_v)
        assert np.abs(result.scores).max() > 1e5
        for name in ("Q", "K", "V", "scores", "weights", "output"):
            assert np.isfinite(getattr(result, name)).all(), name
        np.testing.assert_allclose(result.weights.sum(axis=1), 1.0)


def test_inputs_are_not_modified_and_results_are_copies():
    ex = chapter_example()
    before = [m.copy() for m in (ex.X, ex.W_q, ex.W_k, ex.W_v)]
    result = self_attention(ex.X, ex.W_q, ex.W_k, ex.W_v)
    for old, new in zip(before, (ex.X, ex.W_q, ex.W_k, ex.W_v)):
        np.testing.assert_array_equal(old, new)
    ex.X[0, 0] = 99.0  # editing the caller's array afterwards leaves the result alone
    assert result.Q[0, 0] != 99.0 * ex.W_q[0, 0]


def test_accepts_integer_lists():
    result = self_attention([[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1], [2]])
    assert result.output.dtype == float
    np.testing.assert_allclose(result.output[0], [1.0])
