"""Issue 24 (feedback that teaches) and issue 25 (decimal commas): a learner simulated on every
exercise of both editions, making the slips real students make.

Each row of SLIPS is one slip: the answer it gives (computed here, from the independent reference
implementation or plain math, never from the checker) and the diagnosis that names it (a mistake
code of the Feedback, or for notebook 07's checks, which answer with text, the strings key whose
sentence names it). The test prints, per notebook and edition, slips tried and slips named, and
asserts at least 90 % named per edition and every slip the issue lists (`listed`) named.
"""

import math
from dataclasses import dataclass

import numpy as np
import pytest
from reference import reference_attention
from say import say

from selfattn_lib import audit, chapter_example
from selfattn_lib import exercises as ex
from selfattn_lib import exercises_more as exm
from selfattn_lib import training as tr
from selfattn_lib.exercises import Feedback
from selfattn_lib.strings import text

CH = chapter_example()
X, W_q, W_k, W_v = CH.X, CH.W_q, CH.W_k, CH.W_v


def attention(X=X, W_q=W_q, W_k=W_k, W_v=W_v, causal=True, scaled=True):
    return tuple(
        np.array(m) for m in reference_attention(X.tolist(), W_q.tolist(), W_k.tolist(), W_v.tolist(), causal, scaled)
    )


Q, K, V, SCORES, WEIGHTS, OUTPUT = attention()
_, _, _, RAW, WEIGHTS_RAW, _ = attention(scaled=False)
_, _, _, _, WEIGHTS_BI, OUTPUT_BI = attention(causal=False)
_, _, _, _, WEIGHTS_UNSCALED, OUTPUT_UNSCALED = attention(scaled=False)
_, _, _, _, _, OUTPUT_TRANSPOSED_W = attention(W_q=W_q.T, W_k=W_k.T, W_v=W_v.T)
_, _, _, _, WEIGHTS_TRANSPOSED_W, _ = attention(W_q=W_q.T, W_k=W_k.T, W_v=W_v.T)
N = len(X)
FUTURE = ~np.tril(np.ones((N, N), bool))


def row_softmax(scores):
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


WEIGHTS_DK = row_softmax(np.where(FUTURE, -np.inf, Q @ K.T / 4))  # divided by d_k
WEIGHTS_MASK_ZERO = row_softmax(np.where(FUTURE, 0.0, SCORES))  # mask written as 0
WEIGHTS_RAW_MASK_ZERO = row_softmax(np.where(FUTURE, 0.0, RAW))


def comma(value):
    """What Python makes of numbers typed with decimal commas and two decimals: 0,36 -> 0, 36."""
    out = []
    for x in np.atleast_1d(np.asarray(value, float)).flat:
        whole = int(math.trunc(x))
        out += [whole, int(round(abs(x - whole) * 100))]
    return tuple(out) if np.ndim(value) == 0 else out


def comma_rows(matrix):
    return [comma(row) for row in np.asarray(matrix)]


def comma_text(value):
    return f"{value:.2f}".replace(".", ",")


@dataclass(frozen=True)
class Slip:
    notebook: str
    exercise: str
    name: str
    answer: object
    expected: str  # a mistake code, or "text:<strings key>" for a check that answers with text
    listed: bool = False  # a slip issue 24 or 25 names
    edition: str = ""  # "" both editions, "pt" the Portuguese edition only


def _checks():
    leak = np.full((7, 7), 0.01)
    for t in range(6):
        leak[t, t + 1] = 0.94
    return {
        "01.1": lambda a, lang: ex.check_projection(a, i=1, name="q", language=lang),
        "01.2": lambda a, lang: ex.check_projection_matrix(a, name="k", language=lang),
        "01.3": lambda a, lang: ex.check_projection_shape(a, n=5, d_model=3, d_k=4, language=lang),
        "02.1": lambda a, lang: ex.check_score(a, i=2, j=1, language=lang),
        "02.2": lambda a, lang: ex.check_score(a, i=1, j=0, scaled=False, language=lang),
        "02.3": lambda a, lang: ex.check_scores(a, language=lang),
        "03.1": lambda a, lang: ex.check_weights_row(a, i=2, language=lang),
        "03.2": lambda a, lang: ex.check_weights_row(a, i=1, language=lang),
        "03.3": lambda a, lang: ex.check_softmax_function(a, language=lang),
        "04.1": lambda a, lang: ex.check_output_row(a, i=1, language=lang),
        "04.2": lambda a, lang: ex.check_output(a, language=lang),
        "05.1": lambda a, lang: ex.check_weights(a, language=lang),
        "05.2": lambda a, lang: ex.check_output(a, language=lang),
        "06.1": lambda a, lang: ex.check_changed_outputs(a, perturbed=2, language=lang),
        "06.2": lambda a, lang: ex.check_changed_outputs(a, perturbed=3, causal=False, language=lang),
        "06.3": lambda a, lang: ex.check_weights(a, scaled=False, language=lang),
        "07.1": lambda a, lang: audit.check_first_wrong(a, language=lang),
        "07.2": lambda a, lang: audit.check_labels(a, language=lang),
        "07.3": lambda a, lang: audit.check_corrected_score(a, language=lang),
        "08.1": lambda a, lang: tr.check_attention_target(a, language=lang),
        "08.2": lambda a, lang: tr.check_logit_gradient(a, p=0.8, y=1.0, language=lang),
        "08.3": lambda a, lang: tr.check_softmax_backward(a, language=lang),
        "10.1": lambda a, lang: exm.check_positional_value(a, pos=5, column=2, d_model=8, language=lang),
        "10.2": lambda a, lang: exm.check_last_row_same(a, rows_equal=True, language=lang),
        "10.2b": lambda a, lang: exm.check_last_row_same(a, rows_equal=False, language=lang),
        "11.1": lambda a, lang: exm.check_concat_shape(a, n=5, n_heads=3, d_v=2, language=lang),
        "11.2": lambda a, lang: exm.check_head_rows(a, head=1, n_heads=3, d_v=2, language=lang),
        "12.1": lambda a, lang: exm.check_best_loss(a, language=lang),
        "12.2": lambda a, lang: exm.check_leak(a, leak, t=2, language=lang),
    }


CHECKS = _checks()


def _softmax_backward_right(dw, w):
    return w * (dw - (w * dw).sum(axis=-1, keepdims=True))


def _angle(pos, column, d_model):
    return pos / 10000 ** (2 * (column // 2) / d_model)


def _slips():
    s = []

    def add(exercise, name, answer, expected, listed=False, edition=""):
        s.append(Slip(exercise[:2], exercise, name, answer, expected, listed, edition))

    # 01 projections: q_2 = x_2 W^Q (i=1), K = X W^K, the shape of Q for n=5, d_model=3, d_k=4
    right_q = X[1] @ W_q
    add("01.1", "W^K for W^Q", X[1] @ W_k, "wrong_matrix")
    add("01.1", "W^V for W^Q", X[1] @ W_v, "wrong_matrix")
    add("01.1", "subscript 2 used as index 2", X[2] @ W_q, "wrong_token")
    add("01.1", "token x_1", X[0] @ W_q, "wrong_token")
    add("01.1", "W^Q transposed", X[1] @ W_q.T, "transposed_weight", listed=True)
    add("01.1", "decimal commas", comma(right_q), "decimal_comma", listed=True, edition="pt")
    add("01.2", "W^Q for W^K", X @ W_q, "wrong_matrix")
    add("01.2", "W^V for W^K", X @ W_v, "wrong_matrix")
    add("01.2", "X @ W_k.T", X @ W_k.T, "transposed_weight", listed=True)
    add("01.2", "K transposed", (X @ W_k).T, "order")
    add("01.2", "W^K X^T", W_k @ X.T, "order")
    add("01.2", "decimal commas, row by row", comma_rows(X @ W_k), "decimal_comma", listed=True, edition="pt")
    add("01.3", "(d_k, n)", (4, 5), "order")
    add("01.3", "the shape of X", (5, 3), "shape")
    add("01.3", "the shape of W", (3, 4), "shape")

    # 02 scores
    add("02.1", "not divided by sqrt(d_k)", Q[2] @ K[1], "unscaled")
    add("02.1", "divided by d_k", Q[2] @ K[1] / 4, "divided_by_dk")
    add("02.1", "q_j . k_i", Q[1] @ K[2] / 2, "swapped")
    add("02.1", "subscripts as indices", Q[1] @ K[0] / 2, "wrong_token", listed=True)
    add("02.1", "k . k", K[2] @ K[1] / 2, "wrong_matrix")
    add("02.1", "the weight instead of the score", WEIGHTS[2, 1], "weight_not_score", listed=True)
    add("02.1", "decimal comma", comma(SCORES[2, 1]), "decimal_comma", listed=True, edition="pt")
    add("02.1", "decimal comma as text", comma_text(SCORES[2, 1]), "decimal_comma", listed=True, edition="pt")
    add("02.2", "divided by sqrt(d_k)", Q[1] @ K[0] / 2, "scaled")
    add("02.2", "q_j . k_i", Q[0] @ K[1], "swapped")
    add("02.2", "subscripts as indices", Q[2] @ K[1], "wrong_token")
    add("02.2", "the weight instead of the dot product", WEIGHTS_RAW[1, 0], "weight_not_score", listed=True)
    add("02.3", "not divided", Q @ K.T, "unscaled")
    add("02.3", "divided by d_k", Q @ K.T / 4, "divided_by_dk")
    add("02.3", "K Q^T", K @ Q.T / 2, "order")
    add("02.3", "masked with -inf", np.where(FUTURE, -np.inf, SCORES), "masked_scores")
    add("02.3", "the weights instead of the scores", WEIGHTS_BI, "weight_not_score", listed=True)
    add("02.3", "decimal commas", comma_rows(SCORES), "decimal_comma", listed=True, edition="pt")

    # 03 softmax: alpha_3 (i=2), alpha_2 (i=1), a softmax function
    add("03.1", "not scaled", WEIGHTS_UNSCALED[2], "unscaled")
    add("03.1", "the scores", SCORES[2], "no_softmax")
    add("03.1", "exponentials not divided", np.exp(SCORES[2]), "row_sum")
    add("03.1", "normalised without exp", SCORES[2] / SCORES[2].sum(), "no_exp")
    add("03.1", "row of x_2", WEIGHTS[1], "wrong_token")
    add("03.1", "decimal commas", comma(WEIGHTS[2]), "decimal_comma", listed=True, edition="pt")
    add("03.2", "the future token kept", WEIGHTS_BI[1], "future")
    add("03.2", "masked after the softmax", row_softmax(SCORES[1]) * ~FUTURE[1], "future")
    add("03.2", "not scaled", WEIGHTS_UNSCALED[1], "unscaled")
    add("03.3", "naive exp / sum", lambda s: np.exp(s) / np.exp(s).sum(), "overflow")
    add(
        "03.3",
        "the mean subtracted, not the max",
        lambda s: np.exp(s - s.mean()) / np.exp(s - s.mean()).sum(),
        "overflow",
        listed=True,
    )
    add("03.3", "returns nan", lambda s: np.full(len(s), np.nan), "not_finite", listed=True)
    add("03.3", "normalised without exp", lambda s: s / s.sum(), "no_exp", listed=True)
    add("03.3", "exponentials not divided", lambda s: np.exp(s - s.max()), "row_sum")
    add("03.3", "sum over axis 1 of a row", lambda s: np.exp(s) / np.exp(s).sum(axis=1), "error")

    # 04 combining values: a_2 (i=1), the output
    w = WEIGHTS[1]
    add("04.1", "one term only", w[1] * V[1], "one_term", listed=True)
    add("04.1", "one term only (the other)", w[0] * V[0], "one_term", listed=True)
    add("04.1", "the two weights swapped", w[1] * V[0] + w[0] * V[1], "weights_swapped", listed=True)
    add("04.1", "scores instead of weights", SCORES[1, :2] @ V[:2], "no_softmax", listed=True)
    add("04.1", "a plain mean", V[:2].mean(axis=0), "unweighted")
    add("04.1", "a_3", OUTPUT[2], "wrong_token")
    add("04.1", "weights times X", w @ X, "wrong_matrix")
    add("04.1", "decimal commas", comma(OUTPUT[1]), "decimal_comma", listed=True, edition="pt")
    add("04.2", "weights^T V", WEIGHTS.T @ V, "order")
    add("04.2", "no mask", OUTPUT_BI, "future")
    add("04.2", "not scaled", OUTPUT_UNSCALED, "unscaled")
    add("04.2", "scores instead of weights", np.where(FUTURE, 0, SCORES) @ V, "no_softmax")
    # 05 the matrix form: weights, output
    add("05.1", "divided by d_k", WEIGHTS_DK, "divided_by_dk", listed=True)
    add("05.1", "W transposed", WEIGHTS_TRANSPOSED_W, "transposed_weight", listed=True)
    add("05.1", "mask written as 0", WEIGHTS_MASK_ZERO, "mask_zero", listed=True)
    add("05.1", "no mask", WEIGHTS_BI, "future")
    add("05.1", "not scaled", WEIGHTS_UNSCALED, "unscaled")
    add("05.1", "decimal commas", comma_rows(WEIGHTS), "decimal_comma", listed=True, edition="pt")
    add("05.2", "divided by d_k", WEIGHTS_DK @ V, "divided_by_dk", listed=True)
    add("05.2", "W transposed", OUTPUT_TRANSPOSED_W, "transposed_weight", listed=True)
    add("05.2", "mask written as 0", WEIGHTS_MASK_ZERO @ V, "mask_zero", listed=True)
    add("05.2", "output transposed", OUTPUT.T, "order")

    # 06 masking: which outputs change (a_2 changed, causal; a_3 changed, no mask), causal weights
    add("06.1", "0-based", [1, 2], "wrong_token")
    add("06.1", "every output", [1, 2, 3], "future")
    add("06.1", "only itself", [2], "only_itself")
    add("06.1", "an output that does not exist", [2, 3, 4], "range", listed=True)
    add("06.2", "only itself", [3], "only_itself")
    add("06.2", "0-based", [0, 1, 2], "wrong_token")
    add("06.2", "an output that does not exist", [1, 2, 3, 4], "range", listed=True)
    add("06.3", "scaled", WEIGHTS, "unscaled")
    add("06.3", "no mask", attention(causal=False, scaled=False)[4], "future")
    add("06.3", "mask written as 0", WEIGHTS_RAW_MASK_ZERO, "mask_zero", listed=True)
    add("06.3", "the scores", np.where(FUTURE, 0, RAW), "no_softmax")

    # 07 the chapter's audit: first wrong number, labels, a corrected score
    add("07.1", "a number after the slip", "alpha_22", "text:audit.first_carried")
    add("07.1", "a number before the slip", "k_2", "text:audit.first_right_number")
    add(
        "07.2",
        "'wrong from the beginning'",
        {"v_1": "wrong from the beginning"},
        "text:audit.labels_right",
        listed=True,
    )
    add("07.2", "'starts wrong'", {"v_1": "starts wrong"}, "text:audit.labels_right", listed=True)
    add(
        "07.2",
        "'errado desde o começo'",
        {"v_1": "errado desde o começo"},
        "text:audit.labels_right",
        listed=True,
        edition="pt",
    )
    add(
        "07.2", "'erro carregado'", {"alpha_22": "erro carregado"}, "text:audit.labels_right", listed=True, edition="pt"
    )
    add("07.2", "'correct' for a wrong number", {"v_1": "correct"}, "text:audit.labels_not_correct")
    right_32 = float(SCORES[2, 1])
    add("07.3", "not divided", float(Q[2] @ K[1]), "text:audit.score_unscaled")
    add("07.3", "divided by d_k", float(Q[2] @ K[1] / 4), "text:audit.score_divided_by_dk")
    add("07.3", "q_2 . k_3", float(SCORES[1, 2]), "text:audit.score_swapped")
    add("07.3", "the printed number", 0.89, "text:audit.score_printed")
    add("07.3", "decimal comma", comma(right_32), "text:exercises.decimal_comma", listed=True, edition="pt")

    # 08 learning the weights
    add("08.1", "the subject", "Ele", "text:training.target_ele")
    add("08.1", "the determiner", "cada", "text:training.target_cada")
    add("08.1", "the stem itself", "pret-", "text:training.target_stem")
    add("08.2", "y - p", 0.2, "sign")
    add("08.2", "p (1 - p)", 0.8 * 0.2, "sigmoid_only")
    add("08.2", "a factor of 2", -0.4, "factor", listed=True)
    add("08.2", "the loss -ln p", -math.log(0.8), "loss_not_gradient", listed=True)
    add("08.2", "dL/dp = -y/p", -1 / 0.8, "gradient_wrt_p", listed=True)
    add("08.2", "(p - y) / (p (1 - p))", -0.2 / (0.8 * 0.2), "gradient_wrt_p", listed=True)
    add("08.2", "decimal comma: the sign lost", comma(-0.2), "decimal_comma", listed=True, edition="pt")
    add("08.3", "sign", lambda dw, w: -_softmax_backward_right(dw, w), "sign")
    add("08.3", "diagonal only", lambda dw, w: w * dw, "diagonal_only")
    add(
        "08.3",
        "summed over the wrong axis",
        lambda dw, w: w * (dw - (w * dw).sum(axis=0, keepdims=True)),
        "axis",
        listed=True,
    )
    add("08.3", "keepdims missing", lambda dw, w: w * (dw - (w * dw).sum(axis=-1)), "keepdims", listed=True)
    add("08.3", "w (1 - w)", lambda dw, w: w * (1 - w) * dw, "w_one_minus_w", listed=True)

    # 10 word order: PE[5, 2] for d_model 8 (pair i = 1, angle 5 / 10000^(2/8) = 0.5, a sine)
    angle = _angle(5, 2, 8)
    add("10.1", "cosine for sine", math.cos(angle), "swapped")
    add("10.1", "column used as pair index", math.sin(5 / 10000 ** (2 * 2 / 8)), "pair_index")
    add("10.1", "degrees", math.sin(math.radians(angle)), "degrees", listed=True)
    add("10.1", "precedence: (pos / 10000) ** (2i / d)", math.sin((5 / 10000) ** (2 / 8)), "precedence", listed=True)
    add("10.1", "precedence: pos / 10000 ** 2 * i / d", math.sin(5 / 10000**2 * 1 / 8), "precedence", listed=True)
    add("10.1", "the angle, no sine", angle, "no_function", listed=True)
    add("10.1", "position counted from 1", math.sin(_angle(4, 2, 8)), "position_from_1", listed=True)
    add("10.1", "column counted from 1", math.cos(_angle(5, 1, 8)), "column_from_1", listed=True)
    add("10.1", "decimal comma", comma(math.sin(angle)), "decimal_comma", listed=True, edition="pt")
    add("10.2", "the mask gives order", False, "mask_gives_order")
    add("10.2b", "the same words anywhere in the sentence", True, "same_words_assumed")
    # 11 multi-head: the concatenation's shape (5 words, 3 heads of d_v 2), the subject's head
    add("11.1", "one head's output", (5, 2), "one_head")
    add("11.1", "stacked", (3, 5, 2), "stacked")
    add("11.1", "rows and columns confused", (6, 5), "transposed", listed=True)
    add("11.1", "heads stacked as rows", (15, 2), "stacked_rows")
    add("11.1", "text", "56", "not_shape", listed=True)
    add("11.1", "text inside", [5, "6"], "not_shape", listed=True)
    add("11.1", "fractions", (5.9, 6.7), "not_shape", listed=True)
    add("11.1", "a dict", {5: 6}, "not_shape", listed=True)
    add("11.1", "infinity", (5, math.inf), "not_shape", listed=True)
    add("11.2", "the head's number", [1], "head_index")
    add("11.2", "the head's number, bare", 1, "head_index")
    add("11.2", "rows counted from 1", [3, 4], "from_1")
    add("11.2", "head 0's rows", [0, 1], "other_head")
    add("11.2", "head 2's rows (heads from 1)", [4, 5], "other_head")
    add("11.2", "every row from the head on", [2, 3, 4, 5], "too_many")
    # 12 the mask in training: the best loss after "<s> o", where position 2 looks
    add("12.1", "ln 12", math.log(12), "ignored_gender")
    add("12.1", "1/6", 1 / 6, "probability")
    add("12.1", "log2", math.log2(6), "log2")
    add("12.1", "log10", math.log10(6), "log10")
    add("12.1", "zero", 0.0, "zero", listed=True)
    add("12.1", "ln(1/6)", math.log(1 / 6), "sign", listed=True)
    add("12.1", "ln 4", math.log(4), "states", listed=True)
    add("12.1", "decimal comma", comma(math.log(6)), "decimal_comma", listed=True, edition="pt")
    add("12.2", "-1", -1, "range", listed=True)
    add("12.2", "itself", 2, "self")
    add("12.2", "an earlier word", 1, "past")
    add("12.2", "past the end", 9, "range")
    return s


SLIPS = _slips()
LISTED = [s for s in SLIPS if s.listed]


def named(result, expected: str, language: str) -> bool:
    if expected.startswith("text:"):
        key = expected[5:]
        fragment = text(key, language).split("{")[0].strip()
        return (
            isinstance(result, str)
            and fragment in result
            or isinstance(result, Feedback)
            and fragment in result.message
        )
    return isinstance(result, Feedback) and not result.correct and expected in result.mistakes


def run(slip: Slip, language: str):
    try:
        return CHECKS[slip.exercise](slip.answer, language)
    except Exception as exc:  # a traceback names nothing: counted as missed, shown in the failure
        return exc


def slips_of(language):
    return [s for s in SLIPS if s.edition in ("", language)]


@pytest.mark.parametrize("language", ["en", "pt"])
def test_at_least_nine_in_ten_slips_are_named(language, request):
    per_notebook = {}
    missed = []
    for slip in slips_of(language):
        result = run(slip, language)
        ok = named(result, slip.expected, language)
        tried, right = per_notebook.get(slip.notebook, (0, 0))
        per_notebook[slip.notebook] = (tried + 1, right + ok)
        if not ok:
            missed.append(f"{slip.exercise} {slip.name}: {result!r}")
    tried = sum(t for t, _ in per_notebook.values())
    right = sum(r for _, r in per_notebook.values())
    say(
        request.config,
        f"slips named ({language}): "
        + ", ".join(f"{nb} {r}/{t}" for nb, (t, r) in sorted(per_notebook.items()))
        + f"; total {right}/{tried}",
    )
    assert right >= 0.9 * tried, "\n".join(missed)


# Each listed slip in each edition it belongs to (a decimal-comma slip is only the Portuguese one's).
LISTED_CASES = [(s, language) for s in LISTED for language in ("en", "pt") if s.edition in ("", language)]


@pytest.mark.parametrize(
    ("slip", "language"), LISTED_CASES, ids=[f"{s.exercise}-{s.name}-{language}" for s, language in LISTED_CASES]
)
def test_each_slip_the_issue_lists_is_named(slip, language):
    result = run(slip, language)
    assert named(result, slip.expected, language), str(result)
