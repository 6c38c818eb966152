"""Issue 14, as properties: on random valid input (integers too) every public function agrees
with the plain-Python reference; on random invalid input it raises ValueError, and only that;
near the float64 limit it gives finite numbers or a ValueError. Never a warning.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from reference import reference_attention

from selfattn_lib import (
    attention_scores,
    causal_mask,
    combine_values,
    project,
    self_attention,
    self_attention_loop,
    softmax,
)

dims = st.integers(min_value=1, max_value=5)
flags = st.sampled_from([True, False, np.True_, np.False_])
common = settings(max_examples=60, deadline=None)


@st.composite
def matrix(draw, rows, cols, kind):
    if kind == "int":
        return draw(arrays(np.int64, (rows, cols), elements=st.integers(-6, 6)))
    if kind == "list":  # nested Python lists of ints and floats
        cell = st.integers(-6, 6) | st.floats(-6, 6)
        return [[draw(cell) for _ in range(cols)] for _ in range(rows)]
    return draw(arrays(float, (rows, cols), elements=st.floats(-20, 20)))


@st.composite
def valid_inputs(draw):
    n, d_model, d_k, d_v = draw(dims), draw(dims), draw(dims), draw(dims)
    kinds = st.sampled_from(["int", "float", "list"])
    X = draw(matrix(n, d_model, draw(kinds)))
    W_q, W_k = draw(matrix(d_model, d_k, draw(kinds))), draw(matrix(d_model, d_k, draw(kinds)))
    W_v = draw(matrix(d_model, d_v, draw(kinds)))
    return X, W_q, W_k, W_v


def close(got, expected):
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(expected, dtype=float), rtol=1e-9, atol=1e-9)


@common
@given(valid_inputs(), flags, flags)
def test_every_public_function_agrees_with_the_reference(inputs, causal, scaled):
    X, W_q, W_k, W_v = inputs
    Q, K, V, scores, weights, output = reference_attention(X, W_q, W_k, W_v, bool(causal), bool(scaled))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for implementation in (self_attention, self_attention_loop):
            r = implementation(X, W_q, W_k, W_v, causal=causal, scaled=scaled)
            for name, expected in zip(
                ("Q", "K", "V", "scores", "weights", "output"), (Q, K, V, scores, weights, output)
            ):
                close(getattr(r, name), expected)
        close(project(X, W_q), Q)
        close(project(np.asarray(X)[0], W_v), V[0])
        close(attention_scores(project(X, W_q), project(X, W_k), scaled), scores)
        n = len(X)
        close(softmax(scores, causal_mask(n) if causal else None), weights)
        close(combine_values(weights, V), output)
        assert (causal_mask(n) == np.array([[j <= i for j in range(n)] for i in range(n)])).all()


# --- invalid input: ValueError and nothing else ------------------------------------------------

JUNK = [
    None,
    "1 2",
    b"12",
    3.5,
    [],
    [[]],
    [[1, 2], [3]],
    [[1, None]],
    [["a"]],
    {"a": 1},
    {1, 2},
    object(),
    np.ones((2, 2), complex),
    np.ones((2, 2), bool),
    np.ones((2, 2, 2)),
    np.ones(0),
    np.ma.masked_array(np.ones((2, 2)), mask=[[0, 1], [0, 0]]),
    [[np.nan, 1.0]],
    [[np.inf]],
    [[10**400]],
    np.array([["x", 1]], dtype=object),
    np.ones((2, 2), "datetime64[s]"),
]
BAD_FLAGS = ["False", "True", 0, 1, None, 1.0, [True], np.array([True, False])]
BAD_N = [2.5, True, False, 0, -1, "3", None, 10**9, np.float64(3.0), [3]]


@st.composite
def invalid_call(draw):
    X, W_q, W_k, W_v = draw(valid_inputs())
    Q, K = np.asarray(X, float) @ np.asarray(W_q, float), np.asarray(X, float) @ np.asarray(W_k, float)
    n = len(X)
    junk = st.sampled_from(JUNK)
    calls = {
        "self_attention": lambda a: self_attention(*a),
        "self_attention_loop": lambda a: self_attention_loop(*a),
    }
    which = draw(st.sampled_from(["attention", "flag", "project", "scores", "mask", "softmax", "combine"]))
    if which == "attention":
        args = [X, W_q, W_k, W_v]
        args[draw(st.integers(0, 3))] = draw(junk | st.just(np.ones((7, 7))))
        fn = draw(st.sampled_from(sorted(calls)))
        return lambda: calls[fn](args)
    if which == "flag":
        bad, name = draw(st.sampled_from(BAD_FLAGS)), draw(st.sampled_from(["causal", "scaled"]))
        fn = draw(st.sampled_from([self_attention, self_attention_loop]))
        if name == "scaled" and draw(st.booleans()):
            return lambda: attention_scores(Q, K, scaled=bad)
        return lambda: fn(X, W_q, W_k, W_v, **{name: bad})
    if which == "project":
        d_model = np.shape(X)[1]
        if draw(st.booleans()):
            bad = draw(junk | st.just(np.ones((7, d_model + 1))))
            return lambda: project(bad, W_q)
        bad = draw(junk | st.just(np.ones((d_model + 1, 2))))
        return lambda: project(X, bad)
    if which == "scores":
        bad = draw(junk | st.just(np.ones((n, Q.shape[1] + 1))))
        return (lambda: attention_scores(bad, K)) if draw(st.booleans()) else (lambda: attention_scores(Q, bad))
    if which == "mask":
        bad = draw(st.sampled_from(BAD_N))
        return lambda: causal_mask(bad)
    if which == "softmax":
        scores = draw(arrays(float, (n, n), elements=st.floats(-5, 5)))
        choice = draw(st.sampled_from(["junk", "nan", "all masked", "bad mask"]))
        if choice == "junk":  # a 3-D array is a batch of score matrices: valid for softmax
            bad = draw(junk.filter(lambda v: not (isinstance(v, np.ndarray) and v.ndim == 3)))
            return lambda: softmax(bad)
        if choice == "nan":
            scores[draw(st.integers(0, n - 1)), 0] = draw(st.sampled_from([np.nan, np.inf]))
            return lambda: softmax(scores)
        if choice == "all masked":
            mask = np.tri(n, dtype=bool)
            mask[draw(st.integers(0, n - 1))] = False
            return lambda: softmax(scores, mask)
        bad = draw(
            st.sampled_from(
                [np.tri(n), np.ones((n + 1, n + 1), bool), "mask", [[1]], np.ma.masked_array(np.ones((n, n), bool))]
            )
        )
        return lambda: softmax(scores, bad)
    weights = np.full((n, n), 1.0 / n)
    if draw(st.booleans()):
        bad = draw(junk | st.just(np.ones((n, n + 1))))
        return lambda: combine_values(bad, np.ones((n, 2)))
    bad = draw(junk | st.just(np.ones((n + 1, 2))))
    return lambda: combine_values(weights, bad)


@settings(max_examples=200, deadline=None)
@given(invalid_call())
def test_invalid_input_raises_value_error_only(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError):
            call()


# --- near the float64 limit: finite in, finite out, or a clear ValueError ----------------------

huge = st.floats(
    min_value=-1.7976931348623157e308, max_value=1.7976931348623157e308, allow_nan=False, allow_infinity=False
)
mixed = st.one_of(huge, st.floats(-10, 10), st.sampled_from([1.7e308, -1.7e308, 1e154, 1e-300, 0.0]))


@st.composite
def huge_inputs(draw):
    n, d_model, d_k, d_v = draw(dims), draw(dims), draw(dims), draw(dims)
    return tuple(
        draw(arrays(float, shape, elements=mixed))
        for shape in ((n, d_model), (d_model, d_k), (d_model, d_k), (d_model, d_v))
    )


@settings(max_examples=150, deadline=None)
@given(huge_inputs(), flags, flags)
def test_huge_values_give_finite_results_or_a_value_error(inputs, causal, scaled):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for implementation in (self_attention, self_attention_loop):
            try:
                r = implementation(*inputs, causal=causal, scaled=scaled)
            except ValueError as exc:
                assert "too large" in str(exc) and "float64" in str(exc), str(exc)
                continue
            for name in ("Q", "K", "V", "scores", "weights", "output"):
                assert np.isfinite(getattr(r, name)).all(), name
            np.testing.assert_allclose(r.weights.sum(axis=1), 1.0, rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_step_functions_near_the_limit_are_finite_or_refuse(data):
    n, d = data.draw(dims), data.draw(dims)
    A = data.draw(arrays(float, (n, d), elements=mixed))
    B = data.draw(arrays(float, (d, n), elements=mixed))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for call in (
            lambda: project(A, B),
            lambda: attention_scores(A, B.T),
            lambda: softmax(A),
            lambda: combine_values(softmax(A @ np.zeros((d, n))), A),
        ):
            try:
                out = call()
            except ValueError as exc:
                assert "too large" in str(exc), str(exc)
                continue
            assert np.isfinite(out).all()
