"""The sinusoidal positional encoding against a plain-Python reference, and its properties."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import reference_positional_encoding

from selfattn_lib import positional_encoding, positions
from selfattn_lib.positions import learned_positions, shift_matrix


@pytest.mark.parametrize(
    "n, d_model", [(1, 1), (1, 2), (3, 1), (4, 5), (7, 8), (10, 3), (16, 16), (50, 7), (2, 64), (128, 12)]
)
def test_matches_plain_python_reference(n, d_model):
    PE = positional_encoding(n, d_model)
    assert PE.shape == (n, d_model) and PE.dtype == float
    np.testing.assert_allclose(PE, np.array(reference_positional_encoding(n, d_model)), rtol=0, atol=1e-12)


def test_values_from_the_formula_by_hand():
    PE = positional_encoding(3, 4)
    # position 0: sin 0 = 0 in even columns, cos 0 = 1 in odd ones
    assert PE[0].tolist() == [0.0, 1.0, 0.0, 1.0]
    # position 2, pair i = 1: angle 2 / 10000^(2/4) = 2 / 100
    assert PE[2, 2] == pytest.approx(math.sin(0.02), abs=1e-15)
    assert PE[2, 3] == pytest.approx(math.cos(0.02), abs=1e-15)
    assert PE[1, 0] == pytest.approx(math.sin(1.0), abs=1e-15)


def test_odd_width_ends_with_a_sine():
    PE = positional_encoding(6, 5)
    angle = np.arange(6) / 10000 ** (4 / 5)
    np.testing.assert_allclose(PE[:, 4], np.sin(angle), atol=1e-15)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.integers(1, 20).map(lambda h: 2 * h), st.integers(-10, 10))
def test_a_shift_is_one_linear_map_for_every_position(n, d_model, k):
    PE = positional_encoding(n + 20, d_model)
    M = shift_matrix(k, d_model)
    rows = np.arange(10, 10 + n)  # pos + k stays inside the table for |k| <= 10
    np.testing.assert_allclose(PE[rows] @ M, PE[rows + k], atol=1e-9)
    # a rotation: lengths kept, and M_k M_-k = I
    np.testing.assert_allclose(M @ shift_matrix(-k, d_model), np.eye(d_model), atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 16).map(lambda h: 2 * h), st.integers(0, 8), st.integers(0, 30), st.integers(0, 30))
def test_dot_products_depend_only_on_distance(d_model, k, a, b):
    PE = positional_encoding(80, d_model)
    assert PE[a] @ PE[a + k] == pytest.approx(PE[b] @ PE[b + k], abs=1e-9)
    # every row has the same length: each (sin, cos) pair adds sin^2 + cos^2 = 1
    assert PE[a] @ PE[a] == pytest.approx(d_model / 2, abs=1e-9)


def test_dot_product_falls_with_distance_at_first():
    PE = positional_encoding(20, 16)
    near = [PE[5] @ PE[5 + k] for k in range(4)]
    assert near == sorted(near, reverse=True)


@pytest.mark.parametrize(
    "args, message",
    [
        ((0, 4), "n (the number of positions) must be an integer >= 1; got 0"),
        ((3, 0), "d_model must be an integer >= 1; got 0"),
        ((2.5, 4), "n (the number of positions) must be an integer >= 1; got 2.5"),
        ((3, "4"), "d_model must be an integer >= 1; got '4'"),
        ((True, 4), "n (the number of positions) must be an integer >= 1; got True"),
        ((-1, 4), "got -1"),
        ((None, 4), "got None"),
    ],
)
def test_bad_sizes_are_named(args, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        positional_encoding(*args)


def test_numpy_integers_are_accepted():
    assert positional_encoding(np.int64(3), np.int32(2)).shape == (3, 2)


def test_shift_matrix_needs_an_even_width_and_an_integer_shift():
    with pytest.raises(ValueError, match="d_model must be even"):
        shift_matrix(1, 5)
    with pytest.raises(ValueError, match="k \\(the shift\\) must be an integer"):
        shift_matrix(0.5, 4)


def test_learned_table_is_seeded():
    a = learned_positions(np.random.default_rng(3), 5, 4)
    b = learned_positions(np.random.default_rng(3), 5, 4)
    assert a.shape == (5, 4) and (a == b).all()


# --- bounds (issue 26): 2**63 gave shape (0, 2), (200_000, 512) took 68 s and 3 GiB ---------------


@pytest.mark.parametrize(
    "args, name",
    [
        ((2**63, 2), r"n \(the number of positions\)"),
        ((3, 2**63), "d_model"),
        ((10**6, 2), r"n \(the number of positions\)"),
        ((2, 10**6), "d_model"),
        ((200_000, 512), r"n \(the number of positions\)"),
        ((16384, 4096), "n \\* d_model"),
    ],
)
def test_sizes_beyond_the_bounds_are_refused_by_name(args, name):
    with pytest.raises(ValueError, match=rf"^{name} must be at most [0-9]+.*; got "):
        positional_encoding(*args)


def test_the_largest_table_allowed_is_still_the_formula():
    n, d_model = positions.MAX_POSITIONS, positions.MAX_ENCODING_ENTRIES // positions.MAX_POSITIONS
    PE = positional_encoding(n, d_model)
    assert PE.shape == (n, d_model)
    for pos, col in ((n - 1, 0), (n - 1, 1), (12345, d_model - 1), (7, 6)):
        angle = pos / 10000 ** ((col // 2) * 2 / d_model)
        assert PE[pos, col] == pytest.approx(math.sin(angle) if col % 2 == 0 else math.cos(angle), abs=1e-9)
