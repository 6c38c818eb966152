"""Multi-head attention against a plain-Python reference, its properties, and its bad inputs."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from reference import reference_multi_head_attention

from selfattn_lib import (
    AttentionResult,
    MultiHeadResult,
    multi_head_attention,
    positional_encoding,
    self_attention,
)
from selfattn_lib.multihead import attention_cost, split_heads

SHAPES = [  # (n, d_model, n_heads, d_k, d_v, d_out)
    (1, 1, 1, 1, 1, 1),
    (3, 4, 2, 2, 2, 4),
    (5, 6, 3, 2, 1, 2),
    (4, 3, 4, 1, 3, 5),
    (7, 8, 2, 4, 4, 8),
    (2, 5, 5, 3, 2, 1),
    (9, 4, 1, 6, 2, 3),
    (6, 10, 2, 5, 5, 10),
]


def random_inputs(rng, n, d_model, n_heads, d_k, d_v, d_out, scale=1.0):
    return (
        rng.normal(0, scale, (n, d_model)),
        rng.normal(0, scale, (d_model, n_heads * d_k)),
        rng.normal(0, scale, (d_model, n_heads * d_k)),
        rng.normal(0, scale, (d_model, n_heads * d_v)),
        rng.normal(0, scale, (n_heads * d_v, d_out)),
    )


@pytest.mark.parametrize("causal", [True, False])
@pytest.mark.parametrize("scaled", [True, False])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_matches_plain_python_reference(shape, causal, scaled):
    rng = np.random.default_rng(sum(shape) * 17 + 2 * causal + scaled)
    X, W_q, W_k, W_v, W_o = random_inputs(rng, *shape, scale=1.2)
    n_heads = shape[2]
    result = multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads, causal=causal, scaled=scaled)
    heads, concat, output = reference_multi_head_attention(
        *(m.tolist() for m in (X, W_q, W_k, W_v, W_o)), n_heads, causal, scaled
    )
    assert isinstance(result, MultiHeadResult) and result.n_heads == n_heads
    for got, want in zip(result.heads, heads):
        assert isinstance(got, AttentionResult) and got.d_k == shape[3]
        for name, value in zip(("Q", "K", "V", "scores", "weights", "output"), want):
            np.testing.assert_allclose(getattr(got, name), np.array(value), rtol=1e-11, atol=1e-11, err_msg=name)
    np.testing.assert_allclose(result.concat, np.array(concat), rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(result.output, np.array(output), rtol=1e-11, atol=1e-11)
    assert result.concat.shape == (shape[0], n_heads * shape[4])
    assert result.output.shape == (shape[0], shape[5])
    assert result.weights.shape == (n_heads, shape[0], shape[0])


def test_each_head_scales_by_its_own_d_k():
    rng = np.random.default_rng(5)
    X, W_q, W_k, W_v, W_o = random_inputs(rng, 4, 6, 3, 2, 2, 6)
    result = multi_head_attention(X, W_q, W_k, W_v, W_o, 3)
    for h, head in enumerate(result.heads):
        raw = (X @ W_q[:, 2 * h : 2 * h + 2]) @ (X @ W_k[:, 2 * h : 2 * h + 2]).T
        np.testing.assert_allclose(head.scores, raw / np.sqrt(2), rtol=1e-12)  # not sqrt(6)


values = st.floats(min_value=-5, max_value=5, allow_nan=False, allow_infinity=False)


@st.composite
def mha_inputs(draw, min_n=1):
    n = draw(st.integers(min_n, 6))
    d_model, n_heads = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    d_k, d_v, d_out = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    X = draw(arrays(float, (n, d_model), elements=values))
    W_q = draw(arrays(float, (d_model, n_heads * d_k), elements=values))
    W_k = draw(arrays(float, (d_model, n_heads * d_k), elements=values))
    W_v = draw(arrays(float, (d_model, n_heads * d_v), elements=values))
    W_o = draw(arrays(float, (n_heads * d_v, d_out), elements=values))
    return X, W_q, W_k, W_v, W_o, n_heads


common = settings(max_examples=60, deadline=None)


@common
@given(mha_inputs(min_n=2), st.randoms(use_true_random=False))
def test_without_mask_or_positions_permuting_tokens_permutes_outputs(inputs, random):
    X, W_q, W_k, W_v, W_o, n_heads = inputs
    order = list(range(len(X)))
    random.shuffle(order)
    base = multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads, causal=False)
    permuted = multi_head_attention(X[order], W_q, W_k, W_v, W_o, n_heads, causal=False)
    np.testing.assert_allclose(permuted.output, base.output[order], rtol=1e-9, atol=1e-9)
    for a, b in zip(permuted.heads, base.heads):
        np.testing.assert_allclose(a.weights, b.weights[np.ix_(order, order)], rtol=1e-9, atol=1e-12)


def test_with_positions_permuting_tokens_changes_the_outputs():
    # The same check fails once each row gets its position's encoding: order is now seen.
    rng = np.random.default_rng(11)
    failures = 0
    for _trial in range(20):
        n, d_model = 4, 6
        X, W_q, W_k, W_v, W_o = random_inputs(rng, n, d_model, 2, 3, 3, d_model)
        order = rng.permutation(n)
        if (order == np.arange(n)).all():
            order = order[::-1]
        PE = positional_encoding(n, d_model)
        base = multi_head_attention(X + PE, W_q, W_k, W_v, W_o, 2, causal=False)
        permuted = multi_head_attention(X[order] + PE, W_q, W_k, W_v, W_o, 2, causal=False)
        failures += not np.allclose(permuted.output, base.output[order], atol=1e-6)
    assert failures == 20


@common
@given(mha_inputs(), st.booleans(), st.booleans())
def test_one_head_and_identity_W_o_is_self_attention(inputs, causal, scaled):
    X, W_q, W_k, W_v, _, _ = inputs
    k, v = W_q.shape[1], W_v.shape[1]
    W_q, W_k = W_q[:, : max(1, k)], W_k[:, : max(1, k)]
    single = self_attention(X, W_q, W_k, W_v, causal=causal, scaled=scaled)
    multi = multi_head_attention(X, W_q, W_k, W_v, np.eye(v), 1, causal=causal, scaled=scaled)
    np.testing.assert_array_equal(multi.output, single.output)
    np.testing.assert_array_equal(multi.heads[0].weights, single.weights)


@common
@given(mha_inputs(min_n=2), st.data())
def test_causality_per_head_future_tokens_never_change_earlier_rows(inputs, data):
    X, W_q, W_k, W_v, W_o, n_heads = inputs
    j = data.draw(st.integers(1, len(X) - 1), label="first changed token")
    changed = X.copy()
    changed[j:] = data.draw(arrays(float, changed[j:].shape, elements=values), label="new rows")
    before = multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads)
    after = multi_head_attention(changed, W_q, W_k, W_v, W_o, n_heads)
    for a, b in zip(after.heads, before.heads):
        np.testing.assert_array_equal(a.weights[:j], b.weights[:j])
        assert (a.weights[np.triu_indices(len(X), 1)] == 0.0).all()
    np.testing.assert_array_equal(after.output[:j], before.output[:j])


def valid(n_heads=2):
    rng = np.random.default_rng(0)
    return list(random_inputs(rng, 3, 4, n_heads, 2, 2, 4)) + [n_heads]


@pytest.mark.parametrize(
    "change, message",
    [
        ({5: 0}, "n_heads must be an integer >= 1; got 0"),
        ({5: -2}, "n_heads must be an integer >= 1; got -2"),
        ({5: 1.5}, "n_heads must be an integer >= 1; got 1.5"),
        ({5: "2"}, "n_heads must be an integer >= 1; got '2'"),
        ({5: True}, "n_heads must be an integer >= 1; got True"),
        ({5: 3}, "W_q must have a number of columns divisible by n_heads = 3"),
        (
            {2: np.ones((4, 4)), 3: np.ones((4, 3)), 1: np.ones((4, 4))},
            "W_v must have a number of columns divisible by n_heads = 2",
        ),
        ({4: np.ones((3, 4))}, "W_o must have n_heads \\* d_v = 4 rows"),
        ({4: np.ones(4)}, "W_o must be a 2-D array"),
        ({4: [[np.nan] * 4] * 4}, "W_o must contain only finite numbers"),
        ({0: np.ones((3, 5))}, "W_q must have d_model = 5 rows"),
        ({1: np.ones((4, 2))}, "W_q and W_k must have the same number of columns"),
        ({0: [[1, 2], [3]]}, "X must be a 2-D array .*of numbers with rows of equal length"),
        ({3: [["a"] * 4] * 4}, "W_v must contain only numbers"),
    ],
)
def test_bad_input_is_named(change, message):
    args = valid()
    for index, value in change.items():
        args[index] = value
    before = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
    with pytest.raises(ValueError, match=message):
        multi_head_attention(*args)
    for a, b in zip(args, before):  # nothing was changed in place
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b)


def test_overflow_in_W_o_is_reported():
    X, W_q, W_k, _, _, n = valid()
    # every value is 4 (ones times ones), so each output entry is 4 * 4 * 1e308: beyond float64
    with pytest.raises(ValueError, match="concat @ W_o overflowed"):
        multi_head_attention(np.ones((3, 4)), W_q, W_k, np.ones((4, 4)), np.full((4, 2), 1e308), n)


def test_cost_of_heads_equals_one_wide_head_but_for_softmax_and_W_o():
    many = attention_cost(n=10, d_model=8, d_k=2, d_v=2, n_heads=4)
    one = attention_cost(n=10, d_model=8, d_k=8, d_v=8, n_heads=1)
    for step in ("projections", "scores", "weighted_sum", "W_o"):
        assert many[step] == one[step]
    assert many["softmax_exps"] == 4 * one["softmax_exps"] == 4 * 10 * 10
    assert one["scores"] == 10 * 10 * 8  # n^2 dot products of length 8


# --- split_heads and attention_cost check their arguments (issue 26) ------------------------------


@pytest.mark.parametrize(
    "W, n_heads, message",
    [
        (np.ones((4, 4)), 3, r"^W must have a number of columns divisible by n_heads = 3 .*; got 4 columns"),
        (np.ones((4, 4)), 8, r"^W must have a number of columns divisible by n_heads = 8 .*; got 4 columns"),
        (np.ones((4, 4)), 0, r"^n_heads must be an integer >= 1; got 0"),
        (np.ones((4, 4)), "2", r"^n_heads must be an integer >= 1; got '2'"),
        (np.ones(4), 2, r"^W must be a 2-D array"),
        ("abc", 2, r"^W must "),
    ],
)
def test_split_heads_refuses_what_would_drop_columns(W, n_heads, message):
    with pytest.raises(ValueError, match=message):
        split_heads(W, n_heads)


def test_split_heads_keeps_every_column_in_order():
    W = np.arange(24.0).reshape(4, 6)
    blocks = split_heads(W, 3)
    assert [b.shape for b in blocks] == [(4, 2)] * 3
    np.testing.assert_array_equal(np.concatenate(blocks, axis=1), W)


@pytest.mark.parametrize(
    "name, value", [("n", "3"), ("d_model", 0), ("d_k", 2.5), ("d_v", None), ("n_heads", True), ("d_out", -1)]
)
def test_attention_cost_names_a_bad_size(name, value):
    sizes = dict(n=10, d_model=8, d_k=2, d_v=2, n_heads=4, d_out=8)
    sizes[name] = value
    with pytest.raises(ValueError, match=rf"^{name} must be an integer >= 1; got "):
        attention_cost(**sizes)
