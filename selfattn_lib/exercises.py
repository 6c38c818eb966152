"""Instant checks for the notebooks' exercises, with a specific hint for each common mistake.

Every check computes the right answer with the library, and also the answer each common
mistake would give (forgot to divide by sqrt(d_k), W^K where W^Q belongs, a row that does not
sum to 1, a weight given to a future token, a matrix product in the wrong order, ...). The
learner's answer is compared with all of them, so the hint names the mistake actually made.

Indices i, j are 0-based, as in Python; messages use the chapter's 1-based subscripts
(i=0 -> x_1). Every check returns a `Feedback`, which a notebook shows as its message, in the
`language` the check is given (the notebook's LANGUAGE; "en" by default). Every sentence is a
`strings` key "exercises.*", so the Portuguese edition's hints name the same mistakes.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import itertools
import math
import warnings
from dataclasses import dataclass

import numpy as np

from . import answers
from .attention import LearnerError, _check_inputs, causal_mask, self_attention, softmax
from .example import chapter_example
from .rounding import written
from .strings import DEFAULT_LANGUAGE, STRINGS, text

__all__ = [
    "Feedback",
    "check_projection",
    "check_projection_matrix",
    "check_projection_shape",
    "check_score",
    "check_scores",
    "check_weights_row",
    "check_weights",
    "check_output_row",
    "check_output",
    "check_softmax_function",
    "check_changed_outputs",
]

# Answers rounded to 2 decimals by hand still count as right.
TOLERANCE = 0.0051
# Beyond this, an answer is not "nearly right" but a different number.
NEAR = 0.03

# Mistake codes (Feedback.mistakes holds one or more of these).
UNANSWERED = "unanswered"
NOT_NUMBERS = "not_numbers"
SHAPE = "shape"
UNSCALED = "unscaled"  # forgot to divide by sqrt(d_k)
DIVIDED_BY_DK = "divided_by_dk"  # divided by d_k instead of sqrt(d_k)
SCALED = "scaled"  # divided by sqrt(d_k) where the exercise asks for the raw dot product
WRONG_MATRIX = "wrong_matrix"  # W^K where W^Q belongs (or any role swapped)
SWAPPED = "swapped"  # q_j . k_i instead of q_i . k_j
WRONG_TOKEN = "wrong_token"  # off by one: 1-based subscript used as a 0-based index
ROW_SUM = "row_sum"  # a row of weights that does not sum to 1
FUTURE = "future"  # a weight given to a future token
ORDER = "order"  # a matrix product in the wrong order (or its transpose)
NO_SOFTMAX = "no_softmax"  # scores given where weights were asked
NO_EXP = "no_exp"  # scores divided by their row's sum: normalised without exp
TRANSPOSED_WEIGHT = "transposed_weight"  # x W^T where x W belongs (X @ W_k.T)
WEIGHT_NOT_SCORE = "weight_not_score"  # a weight alpha_ij given where the score is asked
MASK_ZERO = "mask_zero"  # the mask written as a score of 0 instead of -inf
ONE_TERM = "one_term"  # one term alpha_ij v_j of the sum a_i, not the whole sum
WEIGHTS_SWAPPED = "weights_swapped"  # each weight paired with the other token's value
ONLY_ITSELF = "only_itself"  # only the changed token's own output listed
RANGE = "range"  # a token or output subscript that does not exist
NOT_FINITE = "not_finite"  # a learner's function returning nan or inf on ordinary input
DECIMAL_COMMA = answers.DECIMAL_COMMA  # 0,305 typed: Python reads the tuple (0, 305)
UNWEIGHTED = "unweighted"  # a plain mean of the values, every alpha_ij taken as equal
MASKED_SCORES = "masked_scores"  # the mask applied to the scores matrix itself
NEAR_MISS = "near_miss"  # right idea, numbers off by rounding
OVERFLOW = "overflow"  # naive softmax: exp of a large score
ERROR = "error"  # the learner's function raised an exception
ARGUMENT = "argument"  # the check itself was called with an index or option it cannot use
OTHER = "other"

_ROLE = {"q": ("query", "Q"), "k": ("key", "K"), "v": ("value", "V")}

# The language of the check running now: set by `_answers` from the check's own `language`
# argument for the length of that one call (a context variable, so nothing leaks between calls,
# threads or notebooks), so the helpers below need not pass it along.
_LANGUAGE = contextvars.ContextVar("selfattn_exercises_language", default=DEFAULT_LANGUAGE)


def _t(key: str, **values) -> str:
    """The sentence "exercises.<key>" in the running check's language."""
    return text("exercises." + key, _LANGUAGE.get(), **values)


def _hint(key: str, **values) -> str:
    """The hint "hint.<key>" (the slips named in issue 15) in the running check's language."""
    return text("hint." + key, _LANGUAGE.get(), **values)


@dataclass(frozen=True)
class Feedback:
    """The outcome of a check: `correct`, the `message` shown, and the `mistakes` recognised."""

    correct: bool
    message: str
    mistakes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:  # a bare check(...) in a cell shows the message itself
        return self.message


@dataclass(frozen=True)
class _Mistake:
    codes: tuple[str, ...]
    value: np.ndarray
    hint: str


def _right(message: str) -> Feedback:
    return Feedback(True, _t("correct", message=message))


def _wrong(message: str, *codes: str) -> Feedback:
    return Feedback(False, message, tuple(codes))


class _Refused(Exception):
    """Raised inside a check to answer with `feedback` at once (a bad index, a bad option)."""

    def __init__(self, feedback: Feedback):
        super().__init__(feedback.message)
        self.feedback = feedback


def _answers(check):
    """A check that always answers with a Feedback: argument problems become sentences too.

    Arithmetic on a learner's huge numbers may overflow; the comparison handles inf and nan,
    so numpy's warnings about them would only be noise under the notebook cell.
    """
    signature = inspect.signature(check)

    @functools.wraps(check)
    def wrapper(*args, **kwargs):
        try:
            language = signature.bind(*args, **kwargs).arguments.get("language", DEFAULT_LANGUAGE)
        except TypeError:
            language = DEFAULT_LANGUAGE  # the call itself raises the TypeError below, as before
        if not isinstance(language, str) or language not in STRINGS:
            # a typo such as "pt-br" would otherwise answer in English without a word
            raise ValueError(f"language must be one of {', '.join(map(repr, STRINGS))}; got {language!r}")
        token = _LANGUAGE.set(language)
        try:
            with np.errstate(all="ignore"):
                return check(*args, **kwargs)
        except _Refused as refused:
            return refused.feedback
        finally:
            _LANGUAGE.reset(token)

    return wrapper


def _refuse(message: str):
    raise _Refused(_wrong(_t("cannot_check", message=message), ARGUMENT))


def _index(value, name: str, n: int) -> int:
    """A 0-based index into n tokens; -1 is refused (Python would read it as the last one)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        _refuse(_t("index_type", name=name, last=n - 1, got=_short(value)))
    if not 0 <= value < n:
        _refuse(_t("index_range", name=name, last=n - 1, n=n, got=value))
    return int(value)


def _flag(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        _refuse(_t("flag", name=name, got=_short(value)))
    return bool(value)


def _size(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        _refuse(_t("size", name=name, got=_short(value)))
    return int(value)


def _name(name) -> str:
    if not isinstance(name, str) or name not in _ROLE:
        _refuse(_t("name", got=_short(name)))
    return name


def _short(value, limit: int = answers.ECHO) -> str:
    return answers.shorten(value, limit)


def _inputs(example):
    """X, W_q, W_k, W_v of `example` (the chapter's by default), checked as self_attention does."""
    if example is None:
        example = chapter_example()
    try:
        matrices = tuple(getattr(example, name) for name in ("X", "W_q", "W_k", "W_v"))
    except AttributeError:
        _refuse(_t("example_attributes", got=_short(example)))
    try:
        matrices = _check_inputs(*matrices)
        self_attention(*matrices)  # values that overflow are refused here, not in the middle of a check
    except ValueError as exc:
        # the library's own sentence, in the check's language when it has one (LearnerError)
        error = exc.message(_LANGUAGE.get()) if isinstance(exc, LearnerError) else exc
        _refuse(_t("example_invalid", error=error))
    return matrices


def _numbers(value):
    """(float array, None), or (None, what the value is instead, and the mistake code): the
    reading every check shares (`answers.read_numbers`), in the running check's language."""
    return answers.read_numbers(value, _LANGUAGE.get())


def _as_numbers(answer, what: str):
    """The answer as a float array, or the Feedback saying why it is not one."""
    if answer is None:
        return None, _wrong(_t("unanswered", what=what), UNANSWERED)
    array, problem = _numbers(answer)
    if problem is not None:
        got, code = problem
        if code == DECIMAL_COMMA:  # the sentence says it all: the number written with a point
            return None, _wrong(got, code)
        return None, _wrong(_t("not_numbers", what=what, got=got), code)
    return array, None


def _whole_numbers(answer, at_most: int = 100, sets: bool = False):
    """A list or tuple (or set, when order does not matter) of whole numbers as a list of ints,
    or None (3.0 counts, 3.5 and "3" do not): `answers.read_whole_numbers`."""
    return answers.read_whole_numbers(answer, at_most, sets)


def _fit(array: np.ndarray, shape: tuple) -> np.ndarray:
    """Accept a (1, d) or (d, 1) answer where a vector of d numbers is expected."""
    if (
        array.shape != shape
        and array.size == math.prod(shape)
        and array.squeeze().shape == tuple(s for s in shape if s != 1)
    ):
        return array.reshape(shape)
    return array


def _close(a: np.ndarray, b: np.ndarray, tol: float = TOLERANCE) -> bool:
    # isclose counts -inf == -inf, so a mask written as -inf can be recognised too
    return a.shape == b.shape and bool(np.isclose(a, b, rtol=0, atol=tol).all())


def _judge(array, expected, mistakes, what, success, generic=()):
    """Compare with the right answer, then with each mistake's answer, then run generic checks."""
    array = _fit(array, expected.shape)
    if _close(array, expected):
        return _right(success)
    matches = [m for m in mistakes if m.value is not None and not _close(m.value, expected) and _close(array, m.value)]
    if matches:
        return _diagnose(array, matches)
    if array.shape != expected.shape:
        comma = answers.decimal_comma(array, array, expected.shape, _LANGUAGE.get())
        if comma is not None:
            return _wrong(comma, DECIMAL_COMMA)
        return _wrong(_t("shape", what=what, expected=expected.shape, got=array.shape), SHAPE)
    if not np.isfinite(array).all():
        return _wrong(_t("not_finite", what=what), OTHER)
    for rule in generic:
        found = rule(array)
        if found is not None:
            return found
    if _close(array, expected, NEAR):
        return _wrong(_t("near_miss", what=what, near=NEAR), NEAR_MISS)
    return _wrong(_t("differs", what=what), OTHER)


def _distance(array, value) -> float:
    with np.errstate(invalid="ignore"):  # -inf - -inf, where a mask was written as -inf
        return float(np.max(np.nan_to_num(np.abs(array - value))))


def _diagnose(array, matches):
    """The hint for an answer that equals one or more mistakes' numbers.

    Two different slips can give the same number (in 02, q_2 . k_1 / 2 = 0.44 is both the 0-based
    slip and "roles swapped, sqrt(d_k) forgotten", since q_2 . k_3 = 0.88 as well). Mistakes whose
    numbers are within rounding of the nearest one cannot be told apart by the answer, so the hint
    does not claim one of them: it leads with the likelier slip (an index off by one, which the
    notebooks warn about, then a single mistake before a combination) and names the other too.
    """
    nearest = min(matches, key=lambda m: _distance(array, m.value))
    tied = [m for m in matches if _close(m.value, nearest.value)]
    tied.sort(key=lambda m: (WRONG_TOKEN not in m.codes, len(m.codes), _distance(array, m.value)))
    first = tied[0]
    other = next((m for m in tied[1:] if m.hint != first.hint), None)
    if other is None:
        return _wrong(_t("not_yet_hint", hint=first.hint), *first.codes)
    codes = first.codes + tuple(c for c in other.codes if c not in first.codes)
    both = first.hint + " " + _hint("same_number", other=other.hint)
    return _wrong(_t("not_yet_hint", hint=both), *codes)


def _product(A, B):
    """A @ B, or None where the shapes make the mistake impossible (non-square inputs)."""
    try:
        return A @ B
    except ValueError:
        return None


def _vector_text(v) -> str:
    # in Portuguese the numbers have a decimal comma, so a semicolon separates them: [0,36; 0,33]
    language = _LANGUAGE.get()
    separator = "; " if language == "pt" else ", "
    return "[" + separator.join(written(f"{x:.4g}", language) for x in np.atleast_1d(v)) + "]"


# --- 01 projections ---------------------------------------------------------------------------


@_answers
def check_projection(answer, i, name="q", example=None, language=DEFAULT_LANGUAGE) -> Feedback:
    """q_i = x_i W^Q (or k_i, v_i) for token i (0-based) of the example."""
    X, W_q, W_k, W_v = _inputs(example)
    weights = {"q": W_q, "k": W_k, "v": W_v}
    name = _name(name)
    i = _index(i, "i", len(X))
    role, letter = _ROLE[name]
    s = i + 1
    what = f"{name}_{s} = x_{s} W^{letter}"  # a formula: the same in every language
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    W = weights[name]
    expected = X[i] @ W
    mistakes = [
        _Mistake(
            (WRONG_MATRIX,),
            X[i] @ weights[other],
            _t("projection_wrong_matrix", other=_ROLE[other][1], letter=letter, role=role, name=name, s=s),
        )
        for other in weights
        if other != name
    ]
    mistakes.append(
        _Mistake(
            (TRANSPOSED_WEIGHT,), _product(X[i], W.T), _t("projection_transposed_weight", letter=letter, name=name)
        )
    )
    mistakes.append(_Mistake((ORDER,), _product(W, X[i]), _t("projection_order", s=s, letter=letter, i=i, name=name)))
    for j in range(len(X)):
        if j != i:
            mistakes.append(
                _Mistake(
                    (WRONG_TOKEN,), X[j] @ W, _t("projection_wrong_token", name=name, t=j + 1, role=role, s=s, i=i)
                )
            )
    return _judge(array, expected, mistakes, what, _t("projection_right", name=name, s=s, letter=letter))


@_answers
def check_projection_matrix(answer, name="k", example=None, language=DEFAULT_LANGUAGE) -> Feedback:
    """The whole matrix Q = X W^Q (or K, V): row i is token i's vector."""
    X, W_q, W_k, W_v = _inputs(example)
    weights = {"q": W_q, "k": W_k, "v": W_v}
    name = _name(name)
    role, letter = _ROLE[name]
    what = f"{letter} = X W^{letter}"
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    W = weights[name]
    expected = X @ W
    mistakes = [
        _Mistake(
            (WRONG_MATRIX,),
            X @ weights[other],
            _t("matrix_wrong_matrix", other=_ROLE[other][1], letter=letter, name=name, role=role),
        )
        for other in weights
        if other != name
    ]
    mistakes.append(
        _Mistake((TRANSPOSED_WEIGHT,), _product(X, W.T), _t("projection_transposed_weight", letter=letter, name=name))
    )
    mistakes.append(_Mistake((ORDER,), _product(W, X.T), _t("matrix_order", letter=letter, name=name)))
    mistakes.append(_Mistake((ORDER,), expected.T, _t("matrix_transposed", letter=letter, name=name)))
    return _judge(array, expected, mistakes, what, _t("matrix_right", letter=letter, role=role))


@_answers
def check_projection_shape(answer, n, d_model, d_k, language=DEFAULT_LANGUAGE) -> Feedback:
    """The shape of Q = X W^Q when X is n x d_model and W^Q is d_model x d_k."""
    n, d_model, d_k = _size(n, "n"), _size(d_model, "d_model"), _size(d_k, "d_k")
    what = _t("shape_what", n=n, d_model=d_model, d_k=d_k)
    if answer is None:
        return _wrong(_t("shape_unanswered", what=what), UNANSWERED)
    whole = _whole_numbers(answer)
    if whole is None:
        return _wrong(_t("shape_not_pair", what=what, got=_short(answer)), NOT_NUMBERS)
    shape = tuple(whole)
    if shape == (n, d_k):
        return _right(_t("shape_right", n=n, d_model=d_model, d_k=d_k))
    if shape == (d_k, n) and (d_k, n) != (n, d_k):
        return _wrong(_t("shape_order"), ORDER)
    if shape == (n, d_model):
        return _wrong(_t("shape_of_x", n=n, d_model=d_model), SHAPE)
    if shape == (d_model, d_k):
        return _wrong(_t("shape_of_w", d_model=d_model, d_k=d_k), SHAPE)
    return _wrong(_t("shape_other"), OTHER)


# --- 02 scores ---------------------------------------------------------------------------------


def _scale_variants(scaled: bool, d_k: int):
    """(codes, factor, hint) for the right scaling first, then the scaling mistakes."""
    root = math.sqrt(d_k)
    if scaled:
        return [
            ((), 1 / root, ""),
            ((UNSCALED,), 1.0, _t("score_unscaled", d_k=d_k, root=f"{root:g}")),
            ((DIVIDED_BY_DK,), 1 / d_k, _t("score_divided_by_dk", d_k=d_k, root=f"{root:g}")),
        ]
    return [
        ((), 1.0, ""),
        ((SCALED,), 1 / root, _t("score_scaled", root=f"{root:g}")),
    ]


def _combine(pairs, scales):
    """Every (pair mistake x scaling mistake) except the right answer itself."""
    mistakes = []
    for pair_codes, value, pair_hint in pairs:
        for scale_codes, factor, scale_hint in scales:
            codes = pair_codes + scale_codes
            if codes:
                if pair_hint and scale_hint:
                    hint = _t("also", first=pair_hint, second=scale_hint[0].lower() + scale_hint[1:])
                else:
                    hint = pair_hint or scale_hint
                mistakes.append(_Mistake(codes, value * factor, hint))
    return mistakes


@_answers
def check_score(answer, i, j, scaled=True, example=None, language=DEFAULT_LANGUAGE) -> Feedback:
    """score(x_i, x_j) = q_i . k_j / sqrt(d_k) (no division when not `scaled`)."""
    scaled = _flag(scaled, "scaled")
    result = self_attention(*_inputs(example), causal=False, scaled=scaled)
    Q, K = result.Q, result.K
    i, j = _index(i, "i", result.n), _index(j, "j", result.n)
    s, t = i + 1, j + 1
    what = f"score(x_{s}, x_{t})" if scaled else _t("dot_what", s=s, t=t)
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    pairs = [
        ((), Q[i] @ K[j], ""),
        ((WRONG_MATRIX,), K[i] @ K[j], _t("score_keys", s=s, t=t)),
        ((WRONG_MATRIX,), Q[i] @ Q[j], _t("score_queries", s=s, t=t)),
        ((SWAPPED,), Q[j] @ K[i], _t("score_swapped", s=s, t=t)),
    ]
    # The 0-based slip the notebook warns about: a subscript used as an index, or the other way
    # round (reading the call's i=2, j=1 as subscripts gives Q[1] @ K[0]).
    for a, b in itertools.product(range(result.n), repeat=2):
        if (a, b) not in ((i, j), (j, i)) and abs(a - i) <= 1 and abs(b - j) <= 1:  # (j, i): SWAPPED
            pairs.append(((WRONG_TOKEN,), Q[a] @ K[b], _hint("score_index", a=a + 1, b=b + 1, s=s, t=t, i=i, j=j)))
    mistakes = _combine(pairs, _scale_variants(scaled, result.d_k))
    mistakes = _weights_for_scores(result, mistakes, lambda w: w[i, j], s, t)
    expected = np.asarray(result.scores[i, j])
    how = "q_i . k_j / sqrt(d_k)" if scaled else "q_i . k_j"
    name = f"score(x_{s}, x_{t}) = {how}" if scaled else f"q_{s} . k_{t}"
    return _judge(array, expected, mistakes, what, f"{name} = {written(f'{float(expected):.4f}', _LANGUAGE.get())}.")


def _weights_for_scores(result, mistakes, pick, s, t):
    """`mistakes` and the weights (causal or not, scaled or not) given where scores are asked.

    Put before the other slips: a weight is a probability, which no other slip gives."""
    weights = []
    for causal in (True, False):
        for scaled in (True, False):
            root = math.sqrt(result.d_k) if scaled else 1.0
            w = softmax(result.Q @ result.K.T / root, causal_mask(result.n) if causal else None)
            weights.append(_Mistake((WEIGHT_NOT_SCORE,), np.asarray(pick(w)), _hint("weight_not_score", s=s, t=t)))
    return weights + mistakes


@_answers
def check_scores(answer, scaled=True, example=None, language=DEFAULT_LANGUAGE) -> Feedback:
    """The score matrix Q K^T / sqrt(d_k), every pair (i, j), before any mask."""
    scaled = _flag(scaled, "scaled")
    result = self_attention(*_inputs(example), causal=False, scaled=scaled)
    Q, K = result.Q, result.K
    what = _t("scores_what", formula="Q K^T / sqrt(d_k)" if scaled else "Q K^T")
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    pairs = [
        ((), Q @ K.T, ""),
        ((ORDER,), K @ Q.T, _t("scores_transposed")),
        ((ORDER,), Q.T @ K, _t("scores_components")),
        ((WRONG_MATRIX,), K @ K.T, _t("scores_keys")),
        ((WRONG_MATRIX,), Q @ Q.T, _t("scores_queries")),
    ]
    mistakes = _combine(pairs, _scale_variants(scaled, result.d_k))
    future = ~causal_mask(result.n)
    for fill in (-np.inf, 0.0):
        mistakes.append(_Mistake((MASKED_SCORES,), np.where(future, fill, result.scores), _t("scores_masked")))
    mistakes = _weights_for_scores(result, mistakes, lambda w: w, "i", "j")
    expected = result.scores
    return _judge(
        array, expected, mistakes, what, _t("scores_right", formula="q_i . k_j / sqrt(d_k)" if scaled else "q_i . k_j")
    )


# --- 03 softmax, 05/06 the weights -------------------------------------------------------------


def _weight_mistakes(X, W_q, W_k, W_v, causal: bool, scaled: bool):
    """(codes, weights matrix, hint) for the ways a weights matrix commonly goes wrong."""
    right = self_attention(X, W_q, W_k, W_v, causal=causal, scaled=scaled)
    n = right.n
    mask = causal_mask(n) if causal else None
    root = math.sqrt(right.d_k)
    out = []
    if causal:
        out.append(
            ((FUTURE,), self_attention(X, W_q, W_k, W_v, causal=False, scaled=scaled).weights, _t("weights_future"))
        )
        unmasked = softmax(right.scores)
        out.append(((ROW_SUM, FUTURE), unmasked * causal_mask(n), _t("weights_not_renormalised")))
    if scaled:
        out.append(
            (
                (UNSCALED,),
                self_attention(X, W_q, W_k, W_v, causal=causal, scaled=False).weights,
                _t("weights_unscaled", root=f"{root:g}"),
            )
        )
    else:  # the slip the other way: the scaled weights where the unscaled ones are asked for
        out.append(
            (
                (UNSCALED,),
                self_attention(X, W_q, W_k, W_v, causal=causal, scaled=True).weights,
                _t("weights_scaled", root=f"{root:g}"),
            )
        )
    if scaled:  # divided by d_k, not its square root
        out.append(
            (
                (DIVIDED_BY_DK,),
                softmax(right.scores / root, mask),
                _hint("weights_divided_by_dk", d_k=right.d_k, root=f"{root:g}"),
            )
        )
    transposed = _transposed_weights(X, W_q, W_k, W_v, causal, scaled)
    if transposed is not None:
        out.append(((TRANSPOSED_WEIGHT,), transposed.weights, _hint("weights_transposed_weight")))
    if causal:  # the mask written as a score of 0: the future tokens still get weight
        out.append(((MASK_ZERO,), softmax(np.where(mask, right.scores, 0.0)), _hint("mask_zero")))
    exps = np.exp(right.scores) * (causal_mask(n) if causal else 1.0)
    out.append(((ROW_SUM,), exps, _t("weights_exponentials")))
    visible = right.scores * (causal_mask(n) if causal else 1.0)
    out.append(((NO_EXP,), visible / visible.sum(axis=-1, keepdims=True), _hint("no_exp")))
    out.append(((NO_SOFTMAX,), visible, _t("weights_scores")))
    out.append(((ORDER,), softmax(right.scores.T, mask), _t("weights_transposed")))
    column_wise = np.exp(np.where(mask if causal else True, right.scores, -np.inf))
    column_wise = column_wise / column_wise.sum(axis=0, keepdims=True)
    out.append(((ROW_SUM,), column_wise, _t("weights_columns")))
    return right.weights, out


def _transposed_weights(X, W_q, W_k, W_v, causal, scaled):
    """Self-attention with every W transposed (X @ W.T), or None where the shapes forbid it."""
    try:
        return self_attention(X, W_q.T, W_k.T, W_v.T, causal=causal, scaled=scaled)
    except ValueError:
        return None


def _row_sum_rule(what):
    def rule(array):
        sums = array.sum(axis=-1)
        if not np.isclose(sums, 1.0, rtol=0, atol=0.011).all():
            bad = np.atleast_1d(sums)
            row = int(np.argmax(np.abs(bad - 1))) if bad.size > 1 else None
            where = (
                _t("row_sums_to", row=row + 1, total=written(f"{bad[row]:.4g}", _LANGUAGE.get()))
                if row is not None
                else _t("it_sums_to", total=written(f"{bad[0]:.4g}", _LANGUAGE.get()))
            )
            return _wrong(_t("row_sum", what=what, where=where), ROW_SUM)
        return None

    return rule


def _future_rule(mask):
    def rule(array):
        leaked = (np.abs(array) > TOLERANCE) & ~mask
        if leaked.any():
            i, j = np.argwhere(np.atleast_2d(leaked))[0]
            return _wrong(_t("future", weight=written(f"{np.atleast_2d(array)[i, j]:.4g}", _LANGUAGE.get())), FUTURE)
        return None

    return rule


@_answers
def check_weights_row(answer, i, causal=True, scaled=True, example=None, language=DEFAULT_LANGUAGE) -> Feedback:
    """alpha_ij for one token i (0-based), j = 1..n (only j <= i may be non-zero when causal)."""
    causal, scaled = _flag(causal, "causal"), _flag(scaled, "scaled")
    X, W_q, W_k, W_v = _inputs(example)
    i = _index(i, "i", len(X))
    expected, variants = _weight_mistakes(X, W_q, W_k, W_v, causal, scaled)
    n, s = len(X), i + 1
    what = _t("weights_row_what", s=s)
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    if causal and array.shape == (i + 1,) and i + 1 < n:
        array = np.concatenate([array, np.zeros(n - i - 1)])  # the visible part only: fine
    mistakes = [_Mistake(codes, value[i], hint) for codes, value, hint in variants]
    mistakes += [
        _Mistake((WRONG_TOKEN,), expected[j], _hint("weights_row", got=j + 1, s=s, i=i)) for j in range(n) if j != i
    ]  # another token's row: the 0-based slip
    rules = [_row_sum_rule(what)]
    if causal:
        rules.insert(0, _future_rule(causal_mask(n)[i]))
    return _judge(
        array,
        expected[i],
        mistakes,
        what,
        _t("weights_row_right_causal", s=s) if causal else _t("weights_row_right", s=s),
        rules,
    )


@_answers
def check_weights(answer, causal=True, scaled=True, example=None, language=DEFAULT_LANGUAGE) -> Feedback:
    """The whole weights matrix softmax(mask(Q K^T / sqrt(d_k))), row by row."""
    causal, scaled = _flag(causal, "causal"), _flag(scaled, "scaled")
    X, W_q, W_k, W_v = _inputs(example)
    expected, variants = _weight_mistakes(X, W_q, W_k, W_v, causal, scaled)
    what = _t("weights_what")
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    mistakes = [_Mistake(codes, value, hint) for codes, value, hint in variants]
    rules = [_row_sum_rule(what)]
    if causal:
        rules.insert(0, _future_rule(causal_mask(len(X))))
    return _judge(array, expected, mistakes, what, _t("weights_right_causal") if causal else _t("weights_right"), rules)


# --- 04/05 combining the values ----------------------------------------------------------------


def _plain_mean(n: int, causal: bool) -> np.ndarray:
    """Weights of a plain average: 1/i over tokens 1..i when causal, 1/n over all otherwise."""
    visible = causal_mask(n).astype(float) if causal else np.ones((n, n))
    return visible / visible.sum(axis=-1, keepdims=True)


def _output_mistakes(X, W_q, W_k, W_v, causal: bool, scaled: bool):
    right = self_attention(X, W_q, W_k, W_v, causal=causal, scaled=scaled)
    weights, V = right.weights, right.V
    _, weight_variants = _weight_mistakes(X, W_q, W_k, W_v, causal, scaled)
    out = [(codes, w @ V, hint) for codes, w, hint in weight_variants if ORDER not in codes]
    transposed = _transposed_weights(X, W_q, W_k, W_v, causal, scaled)
    if transposed is not None:
        out.append(((TRANSPOSED_WEIGHT,), transposed.output, _hint("weights_transposed_weight")))
    visible = causal_mask(right.n) if causal else np.ones((right.n, right.n), bool)
    swapped = np.zeros_like(weights)  # each row's visible weights in reverse order
    for i in range(right.n):
        js = np.flatnonzero(visible[i])
        swapped[i, js] = weights[i, js[::-1]]
    out += [
        ((ONE_TERM,), np.diag(weights)[:, None] * V, _hint("output_one_term")),
        ((ONE_TERM,), weights[:, :1] * V[0], _hint("output_one_term")),
        ((WEIGHTS_SWAPPED,), swapped @ V, _hint("output_weights_swapped")),
        ((ORDER,), weights.T @ V, _t("output_columns")),
        ((WRONG_MATRIX,), weights @ X, _t("output_inputs")),
        ((WRONG_MATRIX,), weights @ right.K, _t("output_keys")),
        ((WRONG_MATRIX,), weights @ right.Q, _t("output_queries")),
        ((UNWEIGHTED,), _plain_mean(right.n, causal) @ V, _hint("unweighted_mean")),
        ((UNWEIGHTED,), _plain_mean(right.n, False) @ V, _hint("unweighted_mean")),
        ((ROW_SUM,), np.ones_like(weights) * (causal_mask(right.n) if causal else 1.0) @ V, _t("output_unweighted")),
    ]
    return right, out


@_answers
def check_output_row(answer, i, causal=True, scaled=True, example=None, language=DEFAULT_LANGUAGE) -> Feedback:
    """a_i = sum_j alpha_ij v_j for token i (0-based)."""
    causal, scaled = _flag(causal, "causal"), _flag(scaled, "scaled")
    X, W_q, W_k, W_v = _inputs(example)
    i = _index(i, "i", len(X))
    right, variants = _output_mistakes(X, W_q, W_k, W_v, causal, scaled)
    s = i + 1
    what = f"a_{s}"
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    mistakes = [_Mistake(codes, value[i], hint) for codes, value, hint in variants]
    mistakes += [
        _Mistake((WRONG_TOKEN,), right.output[j], _hint("output_row", got=j + 1, s=s, i=i))
        for j in range(right.n)
        if j != i
    ]
    return _judge(
        array,
        right.output[i],
        mistakes,
        what,
        _t("output_row_right_causal", s=s) if causal else _t("output_row_right", s=s),
    )


@_answers
def check_output(answer, causal=True, scaled=True, example=None, language=DEFAULT_LANGUAGE) -> Feedback:
    """The output matrix: weights @ V, one row a_i per token."""
    causal, scaled = _flag(causal, "causal"), _flag(scaled, "scaled")
    X, W_q, W_k, W_v = _inputs(example)
    right, variants = _output_mistakes(X, W_q, W_k, W_v, causal, scaled)
    what = _t("output_what")
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    mistakes = [_Mistake(codes, value, hint) for codes, value, hint in variants]
    mistakes.append(_Mistake((ORDER,), right.output.T, _t("output_transposed")))
    return _judge(array, right.output, mistakes, what, _t("output_right"))


# --- 03 a softmax of one's own -----------------------------------------------------------------

_SOFTMAX_ROWS = (
    [1.0, 2.0, 3.0],
    [0.5, 0.5],
    [1000.0, 1001.0, 1002.0],
    [-1000.0, -999.0, -1001.0],
    [0.0, 800.0],
    [0.0, 2000.0],  # subtracting the mean (1000) still overflows here; only the max is safe
)
# Scores this small never overflow: nan or inf on them is not an overflow.
_SMALL = 50.0


@_answers
def check_softmax_function(fn, language=DEFAULT_LANGUAGE) -> Feedback:
    """A learner's softmax(row) -> weights, tried on small and on very large scores."""
    if fn is None:
        return _wrong(_t("softmax_unanswered"), UNANSWERED)
    if not callable(fn):
        return _wrong(_t("softmax_not_callable", type=type(fn).__name__), NOT_NUMBERS)
    overflowed = []
    for row in _SOFTMAX_ROWS:
        scores = np.array(row)
        expected = softmax(scores)
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                returned = fn(scores.copy())
        except Exception as exc:  # the learner's code: report any failure as a hint
            return _wrong(
                _t(
                    "softmax_raised",
                    error=type(exc).__name__,
                    detail=answers.error_detail(exc),
                    scores=_vector_text(scores),
                ),
                ERROR,
            )
        if returned is None:
            return _wrong(_t("softmax_none", scores=_vector_text(scores)), UNANSWERED)
        got, problem = _numbers(returned)
        if problem is not None:
            return _wrong(_t("softmax_not_numbers", scores=_vector_text(scores), got=problem[0]), problem[1])
        if got.shape != expected.shape:
            return _wrong(
                _t("softmax_shape", scores=_vector_text(scores), got=got.shape, expected=expected.shape), SHAPE
            )
        if not np.isfinite(got).all():
            if np.abs(scores).max() < _SMALL:
                return _wrong(
                    _hint("softmax_not_finite", scores=_vector_text(scores), got=_vector_text(got)), NOT_FINITE
                )
            overflowed.append(row)
            continue
        with np.errstate(all="ignore"):
            plain = scores / scores.sum()
        if np.allclose(got, plain, atol=1e-6) and not np.allclose(plain, expected, atol=1e-6):
            return _wrong(_hint("no_exp"), NO_EXP)
        if not np.isclose(got.sum(), 1.0, atol=1e-6):
            return _wrong(
                _t("softmax_sum", scores=_vector_text(scores), total=written(f"{got.sum():.4g}", _LANGUAGE.get())),
                ROW_SUM,
            )
        if not np.allclose(got, expected, atol=1e-6):
            return _wrong(
                _t(
                    "softmax_values",
                    scores=_vector_text(scores),
                    got=_vector_text(got),
                    expected=_vector_text(expected),
                ),
                OTHER,
            )
    if overflowed:
        return _wrong(_t("softmax_overflow", scores=_vector_text(overflowed[0])), OVERFLOW)
    return _right(_t("softmax_right"))


# --- 06 causality ------------------------------------------------------------------------------


@_answers
def check_changed_outputs(answer, perturbed, causal=True, example=None, language=DEFAULT_LANGUAGE) -> Feedback:
    """Which outputs a_i (1-based subscripts) change when token `perturbed` (1-based) changes."""
    causal = _flag(causal, "causal")
    X, W_q, W_k, W_v = _inputs(example)
    n = len(X)
    if (
        isinstance(perturbed, (bool, np.bool_))
        or not isinstance(perturbed, (int, np.integer))
        or not 1 <= perturbed <= n
    ):
        _refuse(_t("perturbed", n=n, got=_short(perturbed)))
    perturbed = int(perturbed)
    what = _t("changed_what", p=perturbed)
    if answer is None:
        return _wrong(_t("changed_unanswered", what=what), UNANSWERED)
    whole = _whole_numbers(answer, sets=True)
    if whole is None:
        return _wrong(_t("changed_not_list", what=what, got=_short(answer)), NOT_NUMBERS)
    chosen = set(whole)
    # Ask the library rather than assume: change x_p and see which rows of the output move.
    before = self_attention(X, W_q, W_k, W_v, causal=causal).output
    X2 = np.array(X, dtype=float, copy=True)
    X2[perturbed - 1] += 1.0
    after = self_attention(X2, W_q, W_k, W_v, causal=causal).output
    expected = {i + 1 for i in range(n) if not np.array_equal(before[i], after[i])}
    listed = ", ".join(f"a_{i}" for i in sorted(expected))
    if chosen == expected:
        earlier = ", ".join(f"a_{i}" for i in range(1, perturbed))
        if not causal:
            why = _t("changed_why_bidirectional")
        elif earlier:
            # one earlier output or several: the verb agrees ("stays" / "stay", "fica" / "ficam")
            why = _t("changed_why_one" if perturbed == 2 else "changed_why_many", earlier=earlier)
        else:
            why = _t("changed_why_all", p=perturbed)
        return _right(_t("changed_right", listed=listed, why=why))
    if chosen == {i - 1 for i in expected}:  # every subscript one too low: 0-based indices
        return _wrong(_hint("changed_zero_based", got=", ".join(map(str, sorted(chosen)))), WRONG_TOKEN)
    missing = sorted(i for i in chosen if not 1 <= i <= n)
    if missing:
        return _wrong(_hint("changed_range", got=_short(missing[0]), n=n), RANGE)
    if causal and any(i < perturbed for i in chosen):
        return _wrong(_t("changed_earlier", p=perturbed), FUTURE)
    if chosen == {perturbed}:
        return _wrong(_t("changed_only_itself", p=perturbed), ONLY_ITSELF)
    if not causal and chosen < expected:
        return _wrong(_t("changed_bidirectional"), FUTURE)
    return _wrong(_t("changed_other", p=perturbed), OTHER)
