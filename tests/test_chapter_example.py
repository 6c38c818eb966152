"""The chapter's example, computed by hand with exact fractions (not against its printed results,
which contain arithmetic errors)."""

import math
from fractions import Fraction as F

import numpy as np

from selfattn_lib import chapter_example, self_attention, self_attention_loop

# Transcribed from the chapter text (x_1, x_2, x_3 and the three weight matrices, row by row).
X_TEXT = ["1 0 2 1", "0 2 1 1", "1 1 0 2"]
WQ_TEXT = ["0.1 0.2 -0.1 0.3", "0.2 0.1 0.1 -0.2", "-0.1 0.3 0.2 0.1", "0.3 -0.2 0.1 0.2"]
WK_TEXT = ["0.2 -0.1 0.3 0.1", "0.1 0.2 -0.2 0.3", "0.3 0.1 0.1 -0.1", "-0.1 0.3 0.2 0.2"]
WV_TEXT = ["0.1 0.3 0.2 -0.1", "0.2 -0.2 0.1 0.3", "-0.1 0.1 0.3 0.2", "0.3 0.2 -0.1 0.1"]


def exact(rows):
    return [[F(v) for v in row.split()] for row in rows]


def exact_matmul(A, B):
    return [[sum(a * b for a, b in zip(row, col)) for col in zip(*B)] for row in A]


X, WQ, WK, WV = (exact(t) for t in (X_TEXT, WQ_TEXT, WK_TEXT, WV_TEXT))
Q, K, V = exact_matmul(X, WQ), exact_matmul(X, WK), exact_matmul(X, WV)
DOTS = [[sum(q * k for q, k in zip(Q[i], K[j])) for j in range(3)] for i in range(3)]


def as_float(M):
    return np.array([[float(v) for v in row] for row in M])


def test_inputs_are_the_chapters():
    ex = chapter_example()
    assert len(ex.tokens) == 3 and all(isinstance(t, str) and t for t in ex.tokens)
    for array, text in ((ex.X, X), (ex.W_q, WQ), (ex.W_k, WK), (ex.W_v, WV)):
        np.testing.assert_array_equal(array, as_float(text))


def test_a_few_entries_by_hand():
    # q_1 = x_1 W^Q, first component: 1*0.1 + 0*0.2 + 2*(-0.1) + 1*0.3 = 0.2
    assert Q[0][0] == F("0.2")
    # k_1, second component: 1*(-0.1) + 0*0.2 + 2*0.1 + 1*0.3 = 0.4
    assert K[0][1] == F("0.4")
    # v_1 = [0.2, 0.7, 0.7, 0.4]; the chapter prints [0.2, 0.8, 0.7, 0.4]
    assert V[0] == [F("0.2"), F("0.7"), F("0.7"), F("0.4")]


def test_projections_and_scores_match_exact_fractions():
    ex = chapter_example()
    for implementation in (self_attention, self_attention_loop):
        for scaled in (False, True):
            r = implementation(ex.X, ex.W_q, ex.W_k, ex.W_v, scaled=scaled)
            np.testing.assert_allclose(r.Q, as_float(Q), atol=1e-15)
            np.testing.assert_allclose(r.K, as_float(K), atol=1e-15)
            np.testing.assert_allclose(r.V, as_float(V), atol=1e-15)
            divisor = 2 if scaled else 1  # sqrt(d_k) = sqrt(4) = 2, exactly
            np.testing.assert_allclose(r.scores, as_float(DOTS) / divisor, atol=1e-15)


def test_weights_and_outputs_from_the_exact_scores():
    ex = chapter_example()
    for scaled in (False, True):
        r = self_attention(ex.X, ex.W_q, ex.W_k, ex.W_v, scaled=scaled)
        for i in range(3):
            exps = [math.exp(float(DOTS[i][j]) / (2 if scaled else 1)) for j in range(i + 1)]
            alphas = [e / sum(exps) for e in exps] + [0.0] * (2 - i)
            np.testing.assert_allclose(r.weights[i], alphas, rtol=1e-13)
            a_i = [sum(alphas[j] * float(V[j][c]) for j in range(3)) for c in range(4)]
            np.testing.assert_allclose(r.output[i], a_i, rtol=1e-13)


def test_each_call_returns_fresh_arrays():
    a, b = chapter_example(), chapter_example()
    a.W_q[0, 0] = 5.0
    assert b.W_q[0, 0] == 0.1
