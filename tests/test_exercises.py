"""The exercise checks: right answers pass, and each common mistake gets its own hint.

Right answers come from the plain-Python reference (tests/reference.py), and each wrong answer
is built here by making the mistake by hand, so the checks are tested against independent
numbers, not against their own output.
"""

import json
import math
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from reference import matmul, reference_attention

from selfattn_lib import chapter_example
from selfattn_lib import exercises as ex

CH = chapter_example()
Q, K, V, SCORES, WEIGHTS, OUTPUT = (
    np.array(m) for m in reference_attention(CH.X.tolist(), CH.W_q.tolist(), CH.W_k.tolist(), CH.W_v.tolist())
)
_, _, _, RAW, RAW_WEIGHTS, RAW_OUTPUT = (
    np.array(m)
    for m in reference_attention(CH.X.tolist(), CH.W_q.tolist(), CH.W_k.tolist(), CH.W_v.tolist(), scaled=False)
)
_, _, _, _, FULL_WEIGHTS, FULL_OUTPUT = (
    np.array(m)
    for m in reference_attention(CH.X.tolist(), CH.W_q.tolist(), CH.W_k.tolist(), CH.W_v.tolist(), causal=False)
)
X = CH.X


def plain_softmax(row):
    exps = [math.exp(x) for x in row]
    return [e / sum(exps) for e in exps]


def assert_right(feedback):
    assert feedback.correct and bool(feedback), feedback.message
    assert feedback.message.startswith("Correct!")
    assert repr(feedback) == str(feedback) == feedback.message


def assert_mistake(feedback, code, *words):
    assert not feedback.correct and not bool(feedback), feedback.message
    assert code in feedback.mistakes, (code, feedback.mistakes, feedback.message)
    assert not feedback.message.startswith("Correct")
    for word in words:
        assert word.lower() in feedback.message.lower(), (word, feedback.message)


def test_the_chapter_example_is_what_the_tests_assume():
    # sqrt(d_k) = 2 exactly, and the three-token example is causal with n = 3
    assert Q.shape == (3, 4) and math.sqrt(Q.shape[1]) == 2.0
    assert WEIGHTS[0].tolist() == [1.0, 0.0, 0.0]


# --- every check: None is "not answered yet", and says so ----------------------------------------

ALL_CHECKS = [
    lambda a: ex.check_projection(a, 1, "q"),
    lambda a: ex.check_projection_matrix(a, "k"),
    lambda a: ex.check_projection_shape(a, 5, 3, 4),
    lambda a: ex.check_score(a, 2, 1),
    lambda a: ex.check_scores(a),
    lambda a: ex.check_weights_row(a, 2),
    lambda a: ex.check_weights(a),
    lambda a: ex.check_output_row(a, 1),
    lambda a: ex.check_output(a),
    ex.check_softmax_function,
    lambda a: ex.check_changed_outputs(a, 2),
]


@pytest.mark.parametrize("check", ALL_CHECKS)
def test_unanswered_placeholder(check):
    feedback = check(None)
    assert_mistake(feedback, ex.UNANSWERED, "Not answered yet")


@pytest.mark.parametrize("check", ALL_CHECKS[:2] + ALL_CHECKS[3:9])
def test_text_instead_of_numbers(check):
    assert_mistake(check("0.5, 0.2"), ex.NOT_NUMBERS, "numbers")


# --- 01 projections -----------------------------------------------------------------------------


def test_projection_right_rounded_and_as_one_row():
    q2 = matmul([X[1].tolist()], CH.W_q.tolist())[0]
    assert_right(ex.check_projection(q2, 1, "q"))
    assert_right(ex.check_projection(np.round(q2, 2), 1, "q"))
    assert_right(ex.check_projection([q2], 1, "q"))  # a 1 x d_k row is fine too


def test_projection_wrong_matrix():
    k2 = matmul([X[1].tolist()], CH.W_k.tolist())[0]
    assert_mistake(ex.check_projection(k2, 1, "q"), ex.WRONG_MATRIX, "W^K where W^Q belongs")
    q2 = matmul([X[1].tolist()], CH.W_q.tolist())[0]
    assert_mistake(ex.check_projection(q2, 1, "k"), ex.WRONG_MATRIX, "W^Q where W^K belongs")


def test_projection_wrong_order():
    # W^Q x_2 with x_2 as a column: sum over W's columns, the transpose's product
    column = [sum(CH.W_q[r][c] * X[1][c] for c in range(4)) for r in range(4)]
    assert_mistake(ex.check_projection(column, 1, "q"), ex.ORDER, "wrong order")


def test_projection_off_by_one_token():
    q3 = matmul([X[2].tolist()], CH.W_q.tolist())[0]
    assert_mistake(ex.check_projection(q3, 1, "q"), ex.WRONG_TOKEN, "X[1]")


def test_projection_something_else_gets_a_generic_hint():
    feedback = ex.check_projection([1, 2, 3, 4], 1, "q")
    assert not feedback.correct and feedback.mistakes == (ex.OTHER,)
    assert_mistake(ex.check_projection([1, 2, 3], 1, "q"), ex.SHAPE, "shape")


def test_projection_matrix():
    assert_right(ex.check_projection_matrix(K, "k"))
    assert_mistake(ex.check_projection_matrix(Q, "k"), ex.WRONG_MATRIX, "W^Q where W^K belongs")
    assert_mistake(ex.check_projection_matrix(K.T, "k"), ex.ORDER, "transposed")
    w_x = np.array(matmul(CH.W_k.tolist(), X.T.tolist()))  # W^K X^T, 4 x 3
    assert_mistake(ex.check_projection_matrix(w_x, "k"), ex.ORDER, "wrong order")


def test_projection_shape():
    assert_right(ex.check_projection_shape((5, 4), 5, 3, 4))
    assert_mistake(ex.check_projection_shape((4, 5), 5, 3, 4), ex.ORDER, "wrong order")
    assert_mistake(ex.check_projection_shape((5, 3), 5, 3, 4), ex.SHAPE, "shape of X")
    assert_mistake(ex.check_projection_shape((3, 4), 5, 3, 4), ex.SHAPE, "shape of W^Q")
    assert_mistake(ex.check_projection_shape("five", 5, 3, 4), ex.NOT_NUMBERS)


# --- 02 scores ---------------------------------------------------------------------------------


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def test_score_right_and_rounded():
    assert_right(ex.check_score(dot(Q[2], K[1]) / 2, 2, 1))
    assert_right(ex.check_score(round(dot(Q[2], K[1]) / 2, 2), 2, 1))
    assert_right(ex.check_score(dot(Q[2], K[1]), 2, 1, scaled=False))


def test_score_forgot_sqrt_dk():
    assert_mistake(ex.check_score(dot(Q[2], K[1]), 2, 1), ex.UNSCALED, "sqrt(d_k)")


def test_score_divided_by_dk():
    assert_mistake(ex.check_score(dot(Q[2], K[1]) / 4, 2, 1), ex.DIVIDED_BY_DK, "square root")


def test_score_scaled_when_raw_asked():
    assert_mistake(ex.check_score(dot(Q[2], K[1]) / 2, 2, 1, scaled=False), ex.SCALED, "raw dot product")


def test_score_wrong_matrix_and_both_mistakes_at_once():
    assert_mistake(ex.check_score(dot(K[2], K[1]) / 2, 2, 1), ex.WRONG_MATRIX, "W^K where W^Q belongs")
    both = ex.check_score(dot(K[2], K[1]), 2, 1)
    assert_mistake(both, ex.WRONG_MATRIX, "W^K where W^Q belongs", "sqrt(d_k)")
    assert ex.UNSCALED in both.mistakes
    assert_mistake(ex.check_score(dot(Q[2], Q[1]) / 2, 2, 1), ex.WRONG_MATRIX, "W^Q where W^K belongs")


def test_score_swapped_roles():
    assert_mistake(ex.check_score(dot(Q[1], K[2]) / 2, 2, 1), ex.SWAPPED, "q_3 . k_2")


def test_scores_matrix():
    assert_right(ex.check_scores(SCORES))
    assert_right(ex.check_scores(RAW, scaled=False))
    assert_mistake(ex.check_scores(RAW), ex.UNSCALED, "sqrt(d_k)")
    assert_mistake(ex.check_scores(SCORES.T), ex.ORDER, "wrong order", "Q @ K.T")
    qtk = np.array(matmul(Q.T.tolist(), K.tolist())) / 2  # d_k x d_k
    assert_mistake(ex.check_scores(qtk), ex.ORDER, "wrong order")
    kk = np.array(matmul(K.tolist(), K.T.tolist())) / 2
    assert_mistake(ex.check_scores(kk), ex.WRONG_MATRIX, "W^K where W^Q belongs")
    masked = SCORES.copy()
    masked[np.triu_indices(3, 1)] = -np.inf
    assert_mistake(ex.check_scores(masked), ex.MASKED_SCORES, "before the mask")


# --- 03 softmax / the weights ------------------------------------------------------------------


def test_weights_row_right_full_or_visible_part():
    assert_right(ex.check_weights_row(plain_softmax(SCORES[2]), 2))
    assert_right(ex.check_weights_row(np.round(WEIGHTS[2], 2), 2))
    assert_right(ex.check_weights_row(plain_softmax(SCORES[1][:2]), 1))  # only j <= i written
    assert_right(ex.check_weights_row(plain_softmax(SCORES[1][:2]) + [0.0], 1))


def test_weights_row_forgot_sqrt_dk():
    assert_mistake(ex.check_weights_row(plain_softmax(RAW[2]), 2), ex.UNSCALED, "sqrt(d_k)")


def test_weights_row_future_token():
    assert_mistake(ex.check_weights_row(plain_softmax(SCORES[1]), 1), ex.FUTURE, "future")
    # a made-up row that gives weight to token 3 gets the same hint from the generic rule
    assert_mistake(ex.check_weights_row([0.5, 0.3, 0.2], 1), ex.FUTURE, "future")


def test_weights_row_does_not_sum_to_one():
    exps = [math.exp(s) for s in SCORES[2]]
    assert_mistake(ex.check_weights_row(exps, 2), ex.ROW_SUM, "sum to 1")
    assert_mistake(ex.check_weights_row([0.3, 0.3, 0.3], 2), ex.ROW_SUM, "sum to 1")
    # zeroed the future after a full softmax, without renormalising
    zeroed = plain_softmax(SCORES[1])[:2] + [0.0]
    assert_mistake(ex.check_weights_row(zeroed, 1), ex.ROW_SUM, "renormalise")


def test_weights_row_scores_instead_of_weights():
    assert_mistake(ex.check_weights_row(SCORES[2], 2), ex.NO_SOFTMAX, "softmax")


def test_weights_row_bidirectional_exercise():
    assert_right(ex.check_weights_row(plain_softmax(SCORES[0]), 0, causal=False))
    assert_mistake(ex.check_weights_row([1, 0, 0], 0, causal=False), ex.OTHER)


def causal_softmax(S):
    return np.array([plain_softmax(S[i][: i + 1]) + [0.0] * (len(S) - i - 1) for i in range(len(S))])


def test_weights_matrix():
    assert_right(ex.check_weights(causal_softmax(SCORES)))
    assert_right(ex.check_weights(np.array([plain_softmax(r) for r in SCORES]), causal=False))
    full = np.array([plain_softmax(r) for r in SCORES])
    assert_mistake(ex.check_weights(full), ex.FUTURE, "future")
    assert_mistake(ex.check_weights(full * np.tri(3)), ex.ROW_SUM, "renormalise")
    assert_mistake(ex.check_weights(causal_softmax(RAW)), ex.UNSCALED, "sqrt(d_k)")
    assert_mistake(ex.check_weights(causal_softmax(SCORES.T)), ex.ORDER, "wrong order")
    # the softmax taken down the columns: columns sum to 1, rows do not
    exps = np.exp(np.where(np.tri(3, dtype=bool), SCORES, -np.inf))
    assert_mistake(ex.check_weights(exps / exps.sum(axis=0)), ex.ROW_SUM, "each row")


def test_unscaled_weights_asked_for_and_the_scaled_ones_given():
    # notebook 06, exercise 3: the recipe shown above the exercise uses the scaled scores
    assert_right(ex.check_weights(causal_softmax(RAW), scaled=False))
    assert_mistake(ex.check_weights(causal_softmax(SCORES), scaled=False), ex.UNSCALED, "scaled attention")
    pt = ex.check_weights(causal_softmax(SCORES), scaled=False, language="pt")
    assert not pt.correct and "atenção com escala" in pt.message


# --- 04 / 05 outputs ---------------------------------------------------------------------------


def combine(weights, vectors):
    return np.array(matmul(np.asarray(weights).tolist(), np.asarray(vectors).tolist()))


def test_output_row():
    a2 = [WEIGHTS[1][0] * V[0][c] + WEIGHTS[1][1] * V[1][c] for c in range(4)]
    assert_right(ex.check_output_row(a2, 1))
    assert_right(ex.check_output_row(np.round(a2, 2), 1))
    assert_mistake(ex.check_output_row(combine(RAW_WEIGHTS, V)[1], 1), ex.UNSCALED, "sqrt(d_k)")
    assert_mistake(ex.check_output_row(combine(FULL_WEIGHTS, V)[1], 1), ex.FUTURE, "future")
    assert_mistake(ex.check_output_row(combine(WEIGHTS.T, V)[1], 1), ex.ORDER, "wrong order")
    assert_mistake(ex.check_output_row(combine(WEIGHTS, X)[1], 1), ex.WRONG_MATRIX, "value vectors")
    assert_mistake(ex.check_output_row(combine(WEIGHTS, K)[1], 1), ex.WRONG_MATRIX, "W^K where W^V")
    exps = np.exp(SCORES) * np.tri(3)
    assert_mistake(ex.check_output_row(combine(exps, V)[1], 1), ex.ROW_SUM, "sum to 1")


def test_output_row_of_the_first_token_is_v1():
    assert_right(ex.check_output_row(V[0], 0))


def test_output_matrix():
    assert_right(ex.check_output(combine(WEIGHTS, V)))
    assert_right(ex.check_output(OUTPUT))
    assert_mistake(ex.check_output(combine(WEIGHTS.T, V)), ex.ORDER, "wrong order")
    assert_mistake(ex.check_output(OUTPUT.T), ex.ORDER, "transposed")
    assert_mistake(ex.check_output(combine(FULL_WEIGHTS, V)), ex.FUTURE, "future")
    assert_mistake(ex.check_output(combine(RAW_WEIGHTS, V)), ex.UNSCALED, "sqrt(d_k)")
    assert_right(ex.check_output(FULL_OUTPUT, causal=False))
    assert_right(ex.check_output(RAW_OUTPUT, scaled=False))


# --- a softmax function of the learner's -------------------------------------------------------


def test_softmax_function_stable_is_right():
    def stable(row):
        top = max(row)
        exps = [math.exp(x - top) for x in row]
        return [e / sum(exps) for e in exps]

    assert_right(ex.check_softmax_function(stable))


def test_softmax_function_naive_overflows():
    def naive(row):
        exps = np.exp(row)
        return exps / exps.sum()

    assert_mistake(ex.check_softmax_function(naive), ex.OVERFLOW, "largest score")


def test_softmax_function_not_normalised_or_broken():
    assert_mistake(ex.check_softmax_function(lambda row: np.exp(row - row.max())), ex.ROW_SUM, "sum")
    assert_mistake(
        ex.check_softmax_function(lambda row: row / 0 if False else undefined_name),  # noqa: F821
        ex.ERROR,
        "NameError",
    )
    assert_mistake(ex.check_softmax_function(lambda row: [1.0]), ex.SHAPE, "shape")
    assert_mistake(ex.check_softmax_function("softmax"), ex.NOT_NUMBERS, "function itself")


# --- 06 causality ------------------------------------------------------------------------------


def test_changed_outputs_causal():
    # Theorem 1: changing x_2 can move a_2 and a_3 only
    assert_right(ex.check_changed_outputs([2, 3], 2))
    assert_right(ex.check_changed_outputs((3, 2), 2))
    assert_mistake(ex.check_changed_outputs([1, 2, 3], 2), ex.FUTURE, "Theorem 1")
    assert_mistake(ex.check_changed_outputs([2], 2), ex.ONLY_ITSELF, "attend")
    assert_right(ex.check_changed_outputs([3], 3))


def test_changed_outputs_without_mask():
    # Corollary 1.1: without the mask every output sees x_3
    assert_right(ex.check_changed_outputs([1, 2, 3], 3, causal=False))
    assert_mistake(ex.check_changed_outputs([3], 3, causal=False), ex.ONLY_ITSELF)
    assert_mistake(ex.check_changed_outputs([2, 3], 2, causal=False), ex.FUTURE, "Corollary 1.1")


# --- the checks work on any inputs, not only the chapter's --------------------------------------


def test_checks_follow_other_inputs():
    rng = np.random.default_rng(7)
    n, d_model, d_k, d_v = 4, 3, 2, 5
    other = SimpleNamespace(
        X=rng.normal(size=(n, d_model)),
        W_q=rng.normal(size=(d_model, d_k)),
        W_k=rng.normal(size=(d_model, d_k)),
        W_v=rng.normal(size=(d_model, d_v)),
    )
    q, k, v, scores, weights, output = (
        np.array(m)
        for m in reference_attention(other.X.tolist(), other.W_q.tolist(), other.W_k.tolist(), other.W_v.tolist())
    )
    assert_right(ex.check_projection(q[3], 3, "q", example=other))
    assert_right(ex.check_scores(scores, example=other))
    assert_mistake(ex.check_scores(scores * math.sqrt(d_k), example=other), ex.UNSCALED)
    assert_right(ex.check_weights(weights, example=other))
    assert_right(ex.check_output(output, example=other))
    assert_mistake(ex.check_output(output, example=None), ex.SHAPE)  # 4 x 5 against the chapter's 3 x 4


# --- the series notebooks use the checks as intended -------------------------------------------

SERIES = sorted(Path(__file__).resolve().parent.parent.glob("notebooks/0[1-8]_*.ipynb"))


def _text(output):
    text = output.get("text", "") or output.get("data", {}).get("text/plain", "")
    return "".join(text)  # the file stores multi-line text as a list of lines


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_series_notebook_exercises(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    exercise_cells = [
        c
        for c in cells
        if c["cell_type"] == "code"
        and re.search(r"\.check_\w+\(", "".join(c["source"]))
        and not c["metadata"].get("jupyter", {}).get("source_hidden")
    ]
    solutions = [c for c in cells if c["cell_type"] == "code" and c["metadata"].get("jupyter", {}).get("source_hidden")]
    assert 2 <= len(exercise_cells) <= 3, path.name
    assert len(solutions) == len(exercise_cells), "one collapsed solution per exercise"
    for cell in exercise_cells:  # a placeholder the learner replaces, and the check says so
        assert re.search(r"^\s*\S+ = None|: None,", "".join(cell["source"]), flags=re.M)
        assert "".join(_text(o) for o in cell["outputs"]).startswith("Not answered yet")
    for cell in solutions:  # each behind its "Show solution" button; pressed, it is right (test_solutions.py)
        assert "solution" in cell["metadata"].get("tags", [])
        assert "Correct!" not in "".join(_text(o) for o in cell["outputs"])
    title = next(c for c in cells if c["cell_type"] == "markdown" and "navigation" not in c["metadata"].get("tags", []))
    assert re.match(rf"# {path.name[:2]} · \S", "".join(title["source"]))


# --- issue 15: the slips the notebooks warn about get their own hint ---------------------------
# Each wrong answer is the one named in the issue, made by hand from the reference's numbers.


def test_score_zero_based_slip_is_not_called_a_swap():
    # 02 ex 1 asks score(x_3, x_2) with check_score(..., i=2, j=1); reading i=2, j=1 as the
    # chapter's subscripts gives Q[1] @ K[0] / 2 = 0.44, and q_2 . k_3 is 0.88 too, so "roles
    # swapped and sqrt(d_k) forgotten" gives the same number: the hint must lead with the index.
    slip = dot(Q[1], K[0]) / 2
    assert math.isclose(slip, dot(Q[1], K[2]), abs_tol=1e-12)  # the coincidence itself
    feedback = ex.check_score(slip, 2, 1)
    assert_mistake(feedback, ex.WRONG_TOKEN, "counts from 0", "Q[2]", "K[1]")
    first = feedback.message.index("counts from 0")
    assert "swapped" not in feedback.message[:first].lower()  # not claimed, at most named after
    assert "if that is what you did" in feedback.message


def test_score_one_index_off_by_one():
    assert_mistake(ex.check_score(dot(Q[1], K[1]) / 2, 2, 1), ex.WRONG_TOKEN, "q_2 and k_2", "Q[2]")


def test_weights_row_normalised_without_exp():
    row = SCORES[2].tolist()
    assert_mistake(ex.check_weights_row([x / sum(row) for x in row], 2), ex.NO_EXP, "without exponentials")
    visible = SCORES[1][:2].tolist()  # exercise 2 with the mask: only j <= i
    assert_mistake(ex.check_weights_row([x / sum(visible) for x in visible], 1), ex.NO_EXP, "np.exp")


def test_output_row_unweighted_mean_and_wrong_row():
    v = V.tolist()
    mean_visible = [(a + b) / 2 for a, b in zip(v[0], v[1])]  # a_2 sees v_1 and v_2
    mean_all = [(a + b + c) / 3 for a, b, c in zip(*v)]
    for answer in (mean_visible, mean_all):
        assert_mistake(ex.check_output_row(answer, 1), ex.UNWEIGHTED, "plain average", "alpha_ij")
    assert_mistake(ex.check_output_row(OUTPUT[0], 1), ex.WRONG_TOKEN, "a_1", "counts from 0")
    assert_mistake(ex.check_output_row(OUTPUT[2], 1), ex.WRONG_TOKEN, "a_3", "counts from 0")


def test_changed_outputs_zero_based_answer():
    assert_mistake(ex.check_changed_outputs([1, 2], 2), ex.WRONG_TOKEN, "0-based", "start at 1")
    assert_mistake(ex.check_changed_outputs([0, 1, 2], 3, causal=False), ex.WRONG_TOKEN, "0-based")
    # a genuine causality mistake still gets the Theorem 1 hint
    assert_mistake(ex.check_changed_outputs([1, 2, 3], 2), ex.FUTURE, "Theorem 1")


def test_weights_row_of_another_token():
    # 03 ex 2 asks for gato's weights (i=1); result.scores[2] is preto's row, [1] O's would be [1, 0, 0]
    assert_mistake(ex.check_weights_row(plain_softmax(SCORES[2]), 1), ex.WRONG_TOKEN, "token 3", "scores[1]")
    assert_mistake(ex.check_weights_row([1.0, 0.0, 0.0], 1), ex.WRONG_TOKEN, "token 1", "counts from 0")
