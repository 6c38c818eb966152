"""Instant checks for the notebooks' exercises, with a specific hint for each common mistake.

Every check computes the right answer with the library, and also the answer each common
mistake would give (forgot to divide by sqrt(d_k), W^K where W^Q belongs, a row that does not
sum to 1, a weight given to a future token, a matrix product in the wrong order, ...). The
learner's answer is compared with all of them, so the hint names the mistake actually made.

Indices i, j are 0-based, as in Python; messages use the chapter's 1-based subscripts
(i=0 -> x_1). Every check returns a `Feedback`, which a notebook shows as its message.
"""
from __future__ import annotations

import functools
import itertools
import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np

from .attention import _preview, _check_inputs, causal_mask, self_attention, softmax
from .example import chapter_example
from .strings import text

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
UNSCALED = "unscaled"            # forgot to divide by sqrt(d_k)
DIVIDED_BY_DK = "divided_by_dk"  # divided by d_k instead of sqrt(d_k)
SCALED = "scaled"                # divided by sqrt(d_k) where the exercise asks for the raw dot product
WRONG_MATRIX = "wrong_matrix"    # W^K where W^Q belongs (or any role swapped)
SWAPPED = "swapped"              # q_j . k_i instead of q_i . k_j
WRONG_TOKEN = "wrong_token"      # off by one: 1-based subscript used as a 0-based index
ROW_SUM = "row_sum"              # a row of weights that does not sum to 1
FUTURE = "future"                # a weight given to a future token
ORDER = "order"                  # a matrix product in the wrong order (or its transpose)
NO_SOFTMAX = "no_softmax"        # scores given where weights were asked
NO_EXP = "no_exp"                # scores divided by their row's sum: normalised without exp
UNWEIGHTED = "unweighted"        # a plain mean of the values, every alpha_ij taken as equal
MASKED_SCORES = "masked_scores"  # the mask applied to the scores matrix itself
NEAR_MISS = "near_miss"          # right idea, numbers off by rounding
OVERFLOW = "overflow"            # naive softmax: exp of a large score
ERROR = "error"                  # the learner's function raised an exception
ARGUMENT = "argument"            # the check itself was called with an index or option it cannot use
OTHER = "other"

_ROLE = {"q": ("query", "Q"), "k": ("key", "K"), "v": ("value", "V")}


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
    return Feedback(True, "Correct! " + message)


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
    @functools.wraps(check)
    def wrapper(*args, **kwargs):
        try:
            with np.errstate(all="ignore"):
                return check(*args, **kwargs)
        except _Refused as refused:
            return refused.feedback
    return wrapper


def _refuse(message: str):
    raise _Refused(_wrong(f"Cannot check this: {message}.", ARGUMENT))


def _index(value, name: str, n: int, what: str = "token") -> int:
    """A 0-based index into n items; -1 is refused (Python would read it as the last one)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        _refuse(f"{name} must be a whole number, the 0-based index of a {what} (0 to {n - 1}); "
                f"got {_short(value)}")
    if not 0 <= value < n:
        _refuse(f"{name} must be between 0 and {n - 1} (0-based index of a {what}; there are {n}); "
                f"got {value}")
    return int(value)


def _flag(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        _refuse(f"{name} must be True or False; got {_short(value)}")
    return bool(value)


def _size(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        _refuse(f"{name} must be a whole number of at least 1; got {_short(value)}")
    return int(value)


def _name(name) -> str:
    if not isinstance(name, str) or name not in _ROLE:
        _refuse(f"name must be one of 'q', 'k', 'v'; got {_short(name)}")
    return name


def _short(value, limit: int = 40) -> str:
    return _preview(value, limit)


def _inputs(example):
    """X, W_q, W_k, W_v of `example` (the chapter's by default), checked as self_attention does."""
    if example is None:
        example = chapter_example()
    try:
        matrices = tuple(getattr(example, name) for name in ("X", "W_q", "W_k", "W_v"))
    except AttributeError:
        _refuse(f"example must have X, W_q, W_k and W_v, like chapter_example(); got {_short(example)}")
    try:
        matrices = _check_inputs(*matrices)
        self_attention(*matrices)  # values that overflow are refused here, not in the middle of a check
    except ValueError as exc:
        _refuse(f"example: {exc}")
    return matrices


def _numbers(value):
    """(float array, None), or (None, what the value is instead, and the mistake code)."""
    if isinstance(value, (str, bytes)):
        return None, (f"text ({_short(value)})", NOT_NUMBERS)
    if isinstance(value, np.ma.MaskedArray):
        return None, ("a masked array (its mask cannot be checked)", NOT_NUMBERS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = np.asarray(value)
    except Exception:  # ragged lists, self-containing lists, too deep nesting: not numbers
        return None, (f"a {type(value).__name__} that is not a table of numbers", NOT_NUMBERS)
    if array.dtype == object:
        for entry in itertools.islice(array.flat, 100_000):
            if isinstance(entry, numbers.Complex) and not isinstance(entry, numbers.Real):
                return None, ("complex numbers; the answer is real numbers (no j part)", OTHER)
            if isinstance(entry, (bool, np.bool_)) or not isinstance(entry, numbers.Real):
                return None, (f"{_short(entry)} ({type(entry).__name__}) among the numbers", NOT_NUMBERS)
            try:
                float(entry)
            except OverflowError:
                return None, (f"a number too large to compute with ({_short(entry, 20)}; the largest "
                              f"float is about 1.8e308)", OTHER)
        else:
            array = array.astype(float)
    kind = array.dtype.kind
    if kind == "c":
        return None, ("complex numbers; the answer is real numbers (no j part)", OTHER)
    if kind == "b":
        return None, ("True/False values, not numbers", NOT_NUMBERS)
    if kind not in "iuf":
        return None, (f"a {type(value).__name__} of {array.dtype} data, not numbers", NOT_NUMBERS)
    with np.errstate(over="ignore"):  # a long double beyond float64 becomes inf: not correct
        return array.astype(float), None


def _as_numbers(answer, what: str):
    """The answer as a float array, or the Feedback saying why it is not one."""
    if answer is None:
        return None, _wrong(f"Not answered yet: {what}. Replace None with your answer and run the cell again.",
                            UNANSWERED)
    array, problem = _numbers(answer)
    if problem is not None:
        got, code = problem
        return None, _wrong(f"Not yet: {what} should be numbers (a numpy array or a list of numbers); "
                            f"got {got}.", code)
    return array, None


def _whole_numbers(answer, at_most: int = 100, sets: bool = False):
    """A list or tuple (or set, when order does not matter) of whole numbers as a list of ints,
    or None (3.0 counts, 3.5 and "3" do not)."""
    if isinstance(answer, (str, bytes, dict)) or answer is None:
        return None
    if isinstance(answer, (set, frozenset)) and not sets:
        return None
    try:
        items = list(itertools.islice(iter(answer), at_most + 1))
    except Exception:  # not iterable, or a learner's iterator that fails
        return None
    if len(items) > at_most:
        return None
    out = []
    for x in items:
        if isinstance(x, (bool, np.bool_)):
            return None
        if isinstance(x, (int, np.integer)):
            out.append(int(x))
        elif isinstance(x, (float, np.floating)) and math.isfinite(x) and float(x).is_integer():
            out.append(int(x))
        else:
            return None
    return out


def _fit(array: np.ndarray, shape: tuple) -> np.ndarray:
    """Accept a (1, d) or (d, 1) answer where a vector of d numbers is expected."""
    if array.shape != shape and array.size == math.prod(shape) and array.squeeze().shape == tuple(
            s for s in shape if s != 1):
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
    matches = [m for m in mistakes if m.value is not None and not _close(m.value, expected)
               and _close(array, m.value)]
    if matches:
        return _diagnose(array, matches)
    if array.shape != expected.shape:
        return _wrong(f"Not yet: {what} should have shape {expected.shape}; yours has shape {array.shape}.",
                      SHAPE)
    if not np.isfinite(array).all():
        return _wrong(f"Not yet: your {what} contains inf or nan; every entry should be a finite number.",
                      OTHER)
    for rule in generic:
        found = rule(array)
        if found is not None:
            return found
    if _close(array, expected, NEAR):
        return _wrong(f"Almost: your {what} is within {NEAR} of the right one. Keep more decimals "
                      f"(or let numpy compute it) rather than rounding the intermediate steps.", NEAR_MISS)
    return _wrong(f"Not yet: your {what} differs from the right one. Go back to the equation and "
                  f"compute it one step at a time.", OTHER)


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
        return _wrong("Not yet. " + first.hint, *first.codes)
    codes = first.codes + tuple(c for c in other.codes if c not in first.codes)
    return _wrong("Not yet. " + first.hint + " " + text("hint.same_number", other=other.hint), *codes)


def _product(A, B):
    """A @ B, or None where the shapes make the mistake impossible (non-square inputs)."""
    try:
        return A @ B
    except ValueError:
        return None


def _vector_text(v) -> str:
    return "[" + ", ".join(f"{x:.4g}" for x in np.atleast_1d(v)) + "]"


# --- 01 projections ---------------------------------------------------------------------------

@_answers
def check_projection(answer, i, name="q", example=None) -> Feedback:
    """q_i = x_i W^Q (or k_i, v_i) for token i (0-based) of the example."""
    X, W_q, W_k, W_v = _inputs(example)
    weights = {"q": W_q, "k": W_k, "v": W_v}
    name = _name(name)
    i = _index(i, "i", len(X))
    role, letter = _ROLE[name]
    s = i + 1
    what = f"{name}_{s} = x_{s} W^{letter}"
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    W = weights[name]
    expected = X[i] @ W
    mistakes = [
        _Mistake((WRONG_MATRIX,), X[i] @ weights[other],
                 f"You used W^{_ROLE[other][1]} where W^{letter} belongs: the {role} vector is "
                 f"{name}_{s} = x_{s} W^{letter} (W_{name} in the code).")
        for other in weights if other != name
    ]
    mistakes.append(_Mistake((ORDER,), _product(W, X[i]),
                             f"The product is in the wrong order. With row vectors (the chapter's "
                             f"notation) it is x_{s} W^{letter}: the row x_{s} times the matrix, "
                             f"X[{i}] @ W_{name}. W_{name} @ X[{i}] multiplies by the matrix's rows instead."))
    for j in range(len(X)):
        if j != i:
            mistakes.append(_Mistake((WRONG_TOKEN,), X[j] @ W,
                                     f"That is {name}_{j + 1}, the {role} of token {j + 1}. Python counts "
                                     f"from 0: x_{s} is X[{i}]."))
    return _judge(array, expected, mistakes, what,
                  f"{name}_{s} = x_{s} W^{letter}: each component is x_{s} times one column of W^{letter}.")


@_answers
def check_projection_matrix(answer, name="k", example=None) -> Feedback:
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
        _Mistake((WRONG_MATRIX,), X @ weights[other],
                 f"You used W^{_ROLE[other][1]} where W^{letter} belongs: {letter} = X W^{letter} "
                 f"(X @ W_{name}); each row of {letter} is a {role} vector.")
        for other in weights if other != name
    ]
    mistakes.append(_Mistake((ORDER,), _product(W, X.T),
                             f"The product is in the wrong order: {letter} = X W^{letter} (X @ W_{name}), "
                             f"an (n x d_model) times a (d_model x d_k) matrix; W_{name} @ X.T gives a "
                             f"d_k x n matrix, one column per token, with other numbers."))
    mistakes.append(_Mistake((ORDER,), expected.T,
                             f"These are the right numbers, transposed: in the chapter's notation each "
                             f"row of {letter} is one token ({letter} = X @ W_{name}, shape n x d_k)."))
    return _judge(array, expected, mistakes, what,
                  f"{letter} = X W^{letter} computes all the {role} vectors at once, one row per token.")


@_answers
def check_projection_shape(answer, n, d_model, d_k) -> Feedback:
    """The shape of Q = X W^Q when X is n x d_model and W^Q is d_model x d_k."""
    n, d_model, d_k = _size(n, "n"), _size(d_model, "d_model"), _size(d_k, "d_k")
    what = f"the shape of Q (X is {n} x {d_model}, W^Q is {d_model} x {d_k})"
    if answer is None:
        return _wrong(f"Not answered yet: {what}. Replace None with a pair like (rows, columns).", UNANSWERED)
    whole = _whole_numbers(answer)
    if whole is None:
        return _wrong(f"Not yet: write {what} as a pair of whole numbers, e.g. (3, 4); got "
                      f"{_short(answer)}.", NOT_NUMBERS)
    shape = tuple(whole)
    if shape == (n, d_k):
        return _right(f"({n} x {d_model}) times ({d_model} x {d_k}) gives {n} x {d_k}: one row per "
                      f"token, d_k columns. The inner sizes (d_model) must match and disappear.")
    if shape == (d_k, n) and (d_k, n) != (n, d_k):
        return _wrong(f"Not yet: that is the shape the product in the wrong order (W^Q X^T) would have. "
                      f"Q = X W^Q keeps X's rows (one per token) and takes W^Q's columns.", ORDER)
    if shape == (n, d_model):
        return _wrong(f"Not yet: ({n}, {d_model}) is the shape of X itself. Multiplying by W^Q keeps "
                      f"the rows but changes the number of columns to W^Q's.", SHAPE)
    if shape == (d_model, d_k):
        return _wrong(f"Not yet: ({d_model}, {d_k}) is the shape of W^Q. The product keeps X's "
                      f"number of rows (one per token).", SHAPE)
    return _wrong("Not yet: (a x b) times (b x c) gives (a x c): the rows of the first, the "
                  "columns of the second.", OTHER)


# --- 02 scores ---------------------------------------------------------------------------------

def _scale_variants(scaled: bool, d_k: int):
    """(codes, factor, hint) for the right scaling first, then the scaling mistakes."""
    root = math.sqrt(d_k)
    if scaled:
        return [
            ((), 1 / root, ""),
            ((UNSCALED,), 1.0, f"You forgot to divide by sqrt(d_k) = sqrt({d_k}) = {root:g}: "
                                f"score = q_i . k_j / sqrt(d_k)."),
            ((DIVIDED_BY_DK,), 1 / d_k, f"You divided by d_k = {d_k}; divide by its square root, "
                                         f"sqrt(d_k) = {root:g}."),
        ]
    return [
        ((), 1.0, ""),
        ((SCALED,), 1 / root, f"This exercise asks for the raw dot product q_i . k_j, before any "
                               f"division by sqrt(d_k) = {root:g}."),
    ]


def _combine(pairs, scales):
    """Every (pair mistake x scaling mistake) except the right answer itself."""
    mistakes = []
    for pair_codes, value, pair_hint in pairs:
        for scale_codes, factor, scale_hint in scales:
            codes = pair_codes + scale_codes
            if codes:
                if pair_hint and scale_hint:
                    hint = f"{pair_hint} Also: {scale_hint[0].lower()}{scale_hint[1:]}"
                else:
                    hint = pair_hint or scale_hint
                mistakes.append(_Mistake(codes, value * factor, hint))
    return mistakes


@_answers
def check_score(answer, i, j, scaled=True, example=None) -> Feedback:
    """score(x_i, x_j) = q_i . k_j / sqrt(d_k) (no division when not `scaled`)."""
    scaled = _flag(scaled, "scaled")
    result = self_attention(*_inputs(example), causal=False, scaled=scaled)
    Q, K = result.Q, result.K
    i, j = _index(i, "i", result.n), _index(j, "j", result.n)
    s, t = i + 1, j + 1
    what = f"score(x_{s}, x_{t})" if scaled else f"the dot product q_{s} . k_{t}"
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    pairs = [
        ((), Q[i] @ K[j], ""),
        ((WRONG_MATRIX,), K[i] @ K[j], f"You used W^K where W^Q belongs: the query of token {s} is "
                                       f"q_{s} = x_{s} W^Q, so the score is q_{s} . k_{t}, not k_{s} . k_{t}."),
        ((WRONG_MATRIX,), Q[i] @ Q[j], f"You used W^Q where W^K belongs: token {t} takes part as a key, "
                                       f"k_{t} = x_{t} W^K, so the score is q_{s} . k_{t}, not q_{s} . q_{t}."),
        ((SWAPPED,), Q[j] @ K[i], f"You swapped the roles: score(x_{s}, x_{t}) takes the query of token "
                                  f"{s} and the key of token {t}: q_{s} . k_{t}, not q_{t} . k_{s}."),
    ]
    # The 0-based slip the notebook warns about: a subscript used as an index, or the other way
    # round (reading the call's i=2, j=1 as subscripts gives Q[1] @ K[0]).
    for a, b in itertools.product(range(result.n), repeat=2):
        if (a, b) not in ((i, j), (j, i)) and abs(a - i) <= 1 and abs(b - j) <= 1:  # (j, i): SWAPPED
            pairs.append(((WRONG_TOKEN,), Q[a] @ K[b],
                          text("hint.score_index", a=a + 1, b=b + 1, s=s, t=t, i=i, j=j)))
    expected = np.asarray(result.scores[i, j])
    how = "q_i . k_j / sqrt(d_k)" if scaled else "q_i . k_j"
    name = f"score(x_{s}, x_{t}) = {how}" if scaled else f"q_{s} . k_{t}"
    return _judge(array, expected, _combine(pairs, _scale_variants(scaled, result.d_k)), what,
                  f"{name} = {float(expected):.4f}.")


@_answers
def check_scores(answer, scaled=True, example=None) -> Feedback:
    """The score matrix Q K^T / sqrt(d_k), every pair (i, j), before any mask."""
    scaled = _flag(scaled, "scaled")
    result = self_attention(*_inputs(example), causal=False, scaled=scaled)
    Q, K = result.Q, result.K
    what = "the score matrix" + (" Q K^T / sqrt(d_k)" if scaled else " Q K^T")
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    pairs = [
        ((), Q @ K.T, ""),
        ((ORDER,), K @ Q.T, "The product is in the wrong order: K Q^T is the transpose of the score "
                            "matrix. Row i must hold token i's query against every key: Q @ K.T."),
        ((ORDER,), Q.T @ K, "The product is in the wrong order: Q^T K is d_k x d_k, it mixes "
                            "components, not tokens. The score matrix is Q K^T (Q @ K.T), n x n."),
        ((WRONG_MATRIX,), K @ K.T, "You used W^K where W^Q belongs: the rows come from the queries, "
                                   "Q = X W^Q, so the matrix is Q K^T, not K K^T."),
        ((WRONG_MATRIX,), Q @ Q.T, "You used W^Q where W^K belongs: the columns come from the keys, "
                                   "K = X W^K, so the matrix is Q K^T, not Q Q^T."),
    ]
    mistakes = _combine(pairs, _scale_variants(scaled, result.d_k))
    future = ~causal_mask(result.n)
    for fill in (-np.inf, 0.0):
        mistakes.append(_Mistake((MASKED_SCORES,), np.where(future, fill, result.scores),
                                 "Right numbers where j <= i, but the score matrix comes before the mask: "
                                 "it holds every pair (i, j). The causal mask is applied at the softmax step."))
    expected = result.scores
    return _judge(array, expected, mistakes, what,
                  "every score at once: entry (i, j) is q_i . k_j" + (" / sqrt(d_k)." if scaled else "."))


# --- 03 softmax, 05/06 the weights -------------------------------------------------------------

def _weight_mistakes(X, W_q, W_k, W_v, causal: bool, scaled: bool):
    """(codes, weights matrix, hint) for the ways a weights matrix commonly goes wrong."""
    right = self_attention(X, W_q, W_k, W_v, causal=causal, scaled=scaled)
    n = right.n
    mask = causal_mask(n) if causal else None
    root = math.sqrt(right.d_k)
    out = []
    if causal:
        out.append(((FUTURE,), self_attention(X, W_q, W_k, W_v, causal=False, scaled=scaled).weights,
                    "A weight went to a future token: with the causal mask token i may only attend to "
                    "j <= i, so alpha_ij = 0 for j > i. Take the softmax over the scores with j <= i only."))
        unmasked = softmax(right.scores)
        out.append(((ROW_SUM, FUTURE), unmasked * causal_mask(n),
                    "A row does not sum to 1: you zeroed the future weights after the softmax but did not "
                    "renormalise. Divide each row by its new sum, or put -inf in the future scores "
                    "before the softmax."))
    if scaled:
        out.append(((UNSCALED,), self_attention(X, W_q, W_k, W_v, causal=causal, scaled=False).weights,
                    f"You forgot to divide the scores by sqrt(d_k) = {root:g} before the softmax."))
    exps = np.exp(right.scores) * (causal_mask(n) if causal else 1.0)
    out.append(((ROW_SUM,), exps,
                "A row does not sum to 1: these are the exponentials e^score. Divide each by the "
                "sum of its row's exponentials."))
    visible = right.scores * (causal_mask(n) if causal else 1.0)
    out.append(((NO_EXP,), visible / visible.sum(axis=-1, keepdims=True),
                text("hint.no_exp")))
    out.append(((NO_SOFTMAX,), right.scores * (causal_mask(n) if causal else 1.0),
                "These are the scores. The weights are their softmax: alpha_ij = e^score_ij / sum_k e^score_ik."))
    out.append(((ORDER,), softmax(right.scores.T, mask),
                "You used K Q^T, the transpose of the score matrix (the product in the wrong order): "
                "row i of the scores must be q_i against every key, Q @ K.T."))
    column_wise = np.exp(np.where(mask if causal else True, right.scores, -np.inf))
    column_wise = column_wise / column_wise.sum(axis=0, keepdims=True)
    out.append(((ROW_SUM,), column_wise,
                "A row does not sum to 1: the softmax ran down each column. It runs along each row "
                "(token i's scores over j): normalise with axis=-1 (or axis=1)."))
    return right.weights, out


def _row_sum_rule(what):
    def rule(array):
        sums = array.sum(axis=-1)
        if not np.isclose(sums, 1.0, rtol=0, atol=0.011).all():
            bad = np.atleast_1d(sums)
            row = int(np.argmax(np.abs(bad - 1))) if bad.size > 1 else None
            where = f"row {row + 1} sums to {bad[row]:.4g}" if row is not None else f"it sums to {bad[0]:.4g}"
            return _wrong(f"Not yet: every row of {what} must sum to 1 (a probability distribution), "
                          f"but {where}. Divide by the row's sum of exponentials.", ROW_SUM)
        return None
    return rule


def _future_rule(mask):
    def rule(array):
        leaked = (np.abs(array) > TOLERANCE) & ~mask
        if leaked.any():
            i, j = np.argwhere(np.atleast_2d(leaked))[0]
            return _wrong(f"Not yet: a weight went to a future token ({np.atleast_2d(array)[i, j]:.4g} "
                          f"where j > i). With the causal mask every alpha_ij with j > i is exactly 0.", FUTURE)
        return None
    return rule


@_answers
def check_weights_row(answer, i, causal=True, scaled=True, example=None) -> Feedback:
    """alpha_ij for one token i (0-based), j = 1..n (only j <= i may be non-zero when causal)."""
    causal, scaled = _flag(causal, "causal"), _flag(scaled, "scaled")
    X, W_q, W_k, W_v = _inputs(example)
    i = _index(i, "i", len(X))
    expected, variants = _weight_mistakes(X, W_q, W_k, W_v, causal, scaled)
    n, s = len(X), i + 1
    what = f"the weights alpha_{s}j"
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    if causal and array.shape == (i + 1,) and i + 1 < n:
        array = np.concatenate([array, np.zeros(n - i - 1)])  # the visible part only: fine
    mistakes = [_Mistake(codes, value[i], hint) for codes, value, hint in variants]
    mistakes += [_Mistake((WRONG_TOKEN,), expected[j], text("hint.weights_row", got=j + 1, s=s, i=i))
                 for j in range(n) if j != i]  # another token's row: the 0-based slip
    rules = [_row_sum_rule(what)]
    if causal:
        rules.insert(0, _future_rule(causal_mask(n)[i]))
    return _judge(array, expected[i], mistakes, what,
                  f"the weights of token {s} are a probability distribution over "
                  + (f"tokens 1..{s}." if causal else "all the tokens."), rules)


@_answers
def check_weights(answer, causal=True, scaled=True, example=None) -> Feedback:
    """The whole weights matrix softmax(mask(Q K^T / sqrt(d_k))), row by row."""
    causal, scaled = _flag(causal, "causal"), _flag(scaled, "scaled")
    X, W_q, W_k, W_v = _inputs(example)
    expected, variants = _weight_mistakes(X, W_q, W_k, W_v, causal, scaled)
    what = "the weights matrix"
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    mistakes = [_Mistake(codes, value, hint) for codes, value, hint in variants]
    rules = [_row_sum_rule(what)]
    if causal:
        rules.insert(0, _future_rule(causal_mask(len(X))))
    return _judge(array, expected, mistakes, what,
                  "each row is a probability distribution" + (", zero above the diagonal." if causal else "."),
                  rules)


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
    out += [
        ((ORDER,), weights.T @ V,
         "The product is in the wrong order: you used the weights' columns (alpha_ji). a_i = sum_j "
         "alpha_ij v_j takes row i of the weights: output = weights @ V."),
        ((WRONG_MATRIX,), weights @ X, "You combined the inputs x_j. Attention combines the value "
                                      "vectors v_j = x_j W^V: output = weights @ V."),
        ((WRONG_MATRIX,), weights @ right.K, "You combined the keys k_j (W^K where W^V belongs). "
                                            "Attention combines the values v_j = x_j W^V."),
        ((WRONG_MATRIX,), weights @ right.Q, "You combined the queries q_j (W^Q where W^V belongs). "
                                            "Attention combines the values v_j = x_j W^V."),
        ((UNWEIGHTED,), _plain_mean(right.n, causal) @ V, text("hint.unweighted_mean")),
        ((UNWEIGHTED,), _plain_mean(right.n, False) @ V, text("hint.unweighted_mean")),
        ((ROW_SUM,), np.ones_like(weights) * (causal_mask(right.n) if causal else 1.0) @ V,
         "You added the values without weighting them: each v_j must be multiplied by alpha_ij, "
         "whose row sums to 1."),
    ]
    return right, out


@_answers
def check_output_row(answer, i, causal=True, scaled=True, example=None) -> Feedback:
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
    mistakes += [_Mistake((WRONG_TOKEN,), right.output[j], text("hint.output_row", got=j + 1, s=s, i=i))
                 for j in range(right.n) if j != i]
    return _judge(array, right.output[i], mistakes, what,
                  f"a_{s} = sum_j alpha_{s}j v_j, a weighted average of the values "
                  + (f"v_1..v_{s}." if causal else "of every token."))


@_answers
def check_output(answer, causal=True, scaled=True, example=None) -> Feedback:
    """The output matrix: weights @ V, one row a_i per token."""
    causal, scaled = _flag(causal, "causal"), _flag(scaled, "scaled")
    X, W_q, W_k, W_v = _inputs(example)
    right, variants = _output_mistakes(X, W_q, W_k, W_v, causal, scaled)
    what = "the output matrix"
    array, feedback = _as_numbers(answer, what)
    if feedback is not None:
        return feedback
    mistakes = [_Mistake(codes, value, hint) for codes, value, hint in variants]
    mistakes.append(_Mistake((ORDER,), right.output.T,
                             "These are the right numbers, transposed: V^T weights^T has one column per "
                             "token. The output has one row per token: weights @ V."))
    return _judge(array, right.output, mistakes, what,
                  "output = weights @ V: row i is a_i = sum_j alpha_ij v_j.")


# --- 03 a softmax of one's own -----------------------------------------------------------------

_SOFTMAX_ROWS = (
    [1.0, 2.0, 3.0],
    [0.5, 0.5],
    [1000.0, 1001.0, 1002.0],
    [-1000.0, -999.0, -1001.0],
    [0.0, 800.0],
)


@_answers
def check_softmax_function(fn) -> Feedback:
    """A learner's softmax(row) -> weights, tried on small and on very large scores."""
    if fn is None:
        return _wrong("Not answered yet: write a function that takes a 1-D array of scores and returns "
                       "its weights, and pass the function here.", UNANSWERED)
    if not callable(fn):
        return _wrong(f"Not yet: pass the function itself (its name, no parentheses); got "
                      f"{type(fn).__name__}.", NOT_NUMBERS)
    overflowed = []
    for row in _SOFTMAX_ROWS:
        scores = np.array(row)
        expected = softmax(scores)
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                returned = fn(scores.copy())
        except Exception as exc:  # the learner's code: report any failure as a hint
            return _wrong(f"Not yet: your function raised {type(exc).__name__} ({_short(exc, 200)}) on "
                          f"the scores {_vector_text(scores)}.", ERROR)
        if returned is None:
            return _wrong(f"Not yet: on {_vector_text(scores)} your function returned None; end it with "
                          f"`return` and the weights.", UNANSWERED)
        got, problem = _numbers(returned)
        if problem is not None:
            return _wrong(f"Not yet: on {_vector_text(scores)} your function returned {problem[0]}; it "
                          f"should return one weight per score.", problem[1])
        if got.shape != expected.shape:
            return _wrong(f"Not yet: on {_vector_text(scores)} your function returned shape {got.shape}; "
                          f"it should return one weight per score, shape {expected.shape}.", SHAPE)
        if not np.isfinite(got).all():
            overflowed.append(row)
            continue
        if not np.isclose(got.sum(), 1.0, atol=1e-6):
            return _wrong(f"Not yet: on {_vector_text(scores)} your weights sum to {got.sum():.4g}, not 1. "
                          f"Divide each exponential by the sum of all of them.", ROW_SUM)
        if not np.allclose(got, expected, atol=1e-6):
            return _wrong(f"Not yet: on {_vector_text(scores)} your function gives {_vector_text(got)}; "
                          f"softmax gives {_vector_text(expected)}.", OTHER)
    if overflowed:
        return _wrong(f"Almost: right on small scores, but on {_vector_text(overflowed[0])} e^score "
                      f"overflows (inf/inf = nan). Subtract the row's largest score before exp(): the "
                      f"weights do not change, and every exponential is then at most 1.", OVERFLOW)
    return _right("your softmax sums to 1 and stays finite on very large scores.")


# --- 06 causality ------------------------------------------------------------------------------

@_answers
def check_changed_outputs(answer, perturbed, causal=True, example=None) -> Feedback:
    """Which outputs a_i (1-based subscripts) change when token `perturbed` (1-based) changes."""
    causal = _flag(causal, "causal")
    X, W_q, W_k, W_v = _inputs(example)
    n = len(X)
    if isinstance(perturbed, (bool, np.bool_)) or not isinstance(perturbed, (int, np.integer)) \
            or not 1 <= perturbed <= n:
        _refuse(f"perturbed must be a token's 1-based subscript, 1 to {n}; got {_short(perturbed)}")
    perturbed = int(perturbed)
    what = f"the subscripts i of the outputs a_i that change when x_{perturbed} changes"
    if answer is None:
        return _wrong(f"Not answered yet: {what}, as a list such as [1, 2].", UNANSWERED)
    whole = _whole_numbers(answer, sets=True)
    if whole is None:
        return _wrong(f"Not yet: give {what} as a list of whole numbers, such as [1, 2]; got "
                      f"{_short(answer)}.", NOT_NUMBERS)
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
            why = "without the mask every a_i attends to every token."
        elif earlier:
            verb = "stays" if perturbed == 2 else "stay"
            why = f"a_i sees x_j only for j <= i, so {earlier} {verb} unchanged, bit for bit."
        else:
            why = f"every a_i with i >= {perturbed} attends to x_{perturbed}."
        return _right(f"{listed} change: {why}")
    if chosen == {i - 1 for i in expected}:  # every subscript one too low: 0-based indices
        return _wrong(text("hint.changed_zero_based", got=", ".join(map(str, sorted(chosen)))), WRONG_TOKEN)
    if causal and any(i < perturbed for i in chosen):
        return _wrong(f"Not yet: with the causal mask, a_i depends only on x_j with j <= i (Theorem 1). "
                      f"Can an output before position {perturbed} see x_{perturbed}?", FUTURE)
    if chosen == {perturbed}:
        return _wrong(f"Not yet: a_{perturbed} changes, but x_{perturbed} is also a key and a value for "
                      f"the tokens that can attend to it. Which are they?", OTHER)
    if not causal and chosen < expected:
        return _wrong("Not yet: without the mask (Corollary 1.1) every token attends to every other, "
                      "in both directions.", FUTURE)
    return _wrong(f"Not yet: think of which a_i have x_{perturbed} among the tokens they attend to.", OTHER)
