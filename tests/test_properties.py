"""Mathematical properties of self-attention, checked with hypothesis on many random inputs."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from selfattn_lib import causal_mask, self_attention, self_attention_loop, softmax

# Moderate values: large enough to make the softmax peaky, small enough that float64 sums of
# products are accurate to the tolerances below.
values = st.floats(min_value=-20, max_value=20, allow_nan=False, allow_infinity=False)
dims = st.integers(min_value=1, max_value=6)


@st.composite
def attention_inputs(draw, min_n=1):
    n = draw(st.integers(min_value=min_n, max_value=7))
    d_model, d_k, d_v = draw(dims), draw(dims), draw(dims)
    X = draw(arrays(float, (n, d_model), elements=values))
    W_q = draw(arrays(float, (d_model, d_k), elements=values))
    W_k = draw(arrays(float, (d_model, d_k), elements=values))
    W_v = draw(arrays(float, (d_model, d_v), elements=values))
    return X, W_q, W_k, W_v


common = settings(max_examples=60, deadline=None)


@common
@given(attention_inputs(), st.booleans(), st.booleans())
def test_weight_rows_sum_to_one_and_masked_weights_are_exactly_zero(inputs, causal, scaled):
    r = self_attention(*inputs, causal=causal, scaled=scaled)
    np.testing.assert_allclose(r.weights.sum(axis=1), 1.0, rtol=1e-12)
    assert (r.weights >= 0).all()
    if causal:
        assert (r.weights[~causal_mask(r.n)] == 0.0).all()
    for name in ("Q", "K", "V", "scores", "weights", "output"):
        assert np.isfinite(getattr(r, name)).all()


@common
@given(attention_inputs(min_n=2), st.data())
def test_causality_future_tokens_never_change_earlier_outputs(inputs, data):
    X, W_q, W_k, W_v = inputs
    n = len(X)
    j = data.draw(st.integers(min_value=1, max_value=n - 1), label="changed token")
    changed = X.copy()
    changed[j:] = data.draw(arrays(float, changed[j:].shape, elements=values), label="new rows")
    before = self_attention(X, W_q, W_k, W_v, causal=True)
    after = self_attention(changed, W_q, W_k, W_v, causal=True)
    # Theorem 1: rows i < j are untouched, exactly (not just approximately).
    np.testing.assert_array_equal(after.weights[:j], before.weights[:j])
    np.testing.assert_array_equal(after.output[:j], before.output[:j])


@common
@given(attention_inputs(min_n=2), st.randoms(use_true_random=False))
def test_without_mask_permuting_tokens_permutes_outputs(inputs, random):
    X, W_q, W_k, W_v = inputs
    order = list(range(len(X)))
    random.shuffle(order)
    r = self_attention(X, W_q, W_k, W_v, causal=False)
    p = self_attention(X[order], W_q, W_k, W_v, causal=False)
    np.testing.assert_allclose(p.output, r.output[order], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(p.weights, r.weights[np.ix_(order, order)], rtol=1e-9, atol=1e-12)


@common
@given(
    arrays(float, st.tuples(st.integers(1, 6), st.integers(1, 6)), elements=st.floats(-50, 50)),
    st.floats(min_value=-1e3, max_value=1e3),
    st.booleans(),
)
def test_adding_a_constant_to_a_row_leaves_the_softmax_unchanged(scores, c, use_mask):
    n_rows, n_cols = scores.shape
    mask = np.tri(n_rows, n_cols, dtype=bool) if use_mask else None
    if mask is not None:
        mask[:, 0] = True  # every row keeps at least one visible entry
    shifted = scores.copy()
    shifted[0] += c
    np.testing.assert_allclose(softmax(shifted, mask), softmax(scores, mask), rtol=1e-9, atol=1e-12)


@common
@given(attention_inputs(), st.booleans(), st.booleans())
def test_loop_form_equals_matrix_form(inputs, causal, scaled):
    m = self_attention(*inputs, causal=causal, scaled=scaled)
    lp = self_attention_loop(*inputs, causal=causal, scaled=scaled)
    for name in ("Q", "K", "V", "scores", "weights", "output"):
        np.testing.assert_allclose(getattr(lp, name), getattr(m, name), rtol=1e-9, atol=1e-9, err_msg=name)


@common
@given(arrays(float, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=st.floats(-1e300, 1e300)))
def test_softmax_is_finite_for_any_finite_scores(scores):
    w = softmax(scores)
    assert np.isfinite(w).all()
    np.testing.assert_allclose(w.sum(axis=1), 1.0, rtol=1e-12)
