"""Self-attention, step by step, in the chapter's notation (row vectors: q_i = x_i W^Q).

Every function is pure: numpy arrays in, numpy arrays out, no printing, no state.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass

import numpy as np

from .strings import DEFAULT_LANGUAGE, learner_language, text

__all__ = [
    "AttentionResult",
    "LearnerError",
    "as_matrix",
    "project",
    "attention_scores",
    "causal_mask",
    "softmax",
    "combine_values",
    "self_attention",
    "self_attention_loop",
]


class LearnerError(ValueError):
    """A ValueError whose sentence is a `strings` key ("core.*") and its values.

    Its text is in the learner's language (`strings.learner_language()`: English, unless a
    notebook's `strings.speaker("pt")` chose Portuguese), so a Portuguese notebook shows the
    library's own errors in Portuguese; a view in a language of its own (the explorer) shows
    `message(language)`. `terms` maps a placeholder to a key of its own (e.g. name ->
    "core.the_scores"), or to (key, values), so the words inside the sentence are translated too.
    """

    def __init__(self, key: str, terms: dict | None = None, **values):
        self.key, self.terms, self.values = key, dict(terms or {}), values
        super().__init__(self.message(learner_language()))

    def message(self, language: str = DEFAULT_LANGUAGE) -> str:
        terms = {
            name: ""
            if term is None
            else text(term, language)
            if isinstance(term, str)
            else text(term[0], language, **term[1])
            for name, term in self.terms.items()
        }
        return text(self.key, language, **self.values, **terms)


@dataclass(frozen=True, eq=False)
class AttentionResult:
    """Every intermediate of one self-attention pass (n tokens)."""

    Q: np.ndarray  # (n, d_k)  queries q_i as rows
    K: np.ndarray  # (n, d_k)  keys k_j as rows
    V: np.ndarray  # (n, d_v)  values v_j as rows
    scores: np.ndarray  # (n, n)    q_i . k_j (/ sqrt(d_k) when scaled), before any mask
    weights: np.ndarray  # (n, n)    alpha_ij; masked entries exactly 0.0; rows sum to 1
    output: np.ndarray  # (n, d_v)  a_i as rows
    d_k: int
    causal: bool = True
    scaled: bool = True

    @property
    def n(self) -> int:
        return self.Q.shape[0]

    @property
    def d_v(self) -> int:
        return self.V.shape[1]

    @property
    def mask(self) -> np.ndarray:
        """True where token i may attend to token j."""
        return np.tri(self.n, dtype=bool) if self.causal else np.ones((self.n, self.n), dtype=bool)


def as_matrix(value, name: str, copy: bool = True) -> np.ndarray:
    """Return `value` as a finite 2-D float array, or raise a ValueError that names `name`.

    With copy=False a float64 array comes back as itself (for callers that only read it).
    """
    array = _as_float_matrix(value, name, copy)
    _require_finite(array, name)
    return array


def _as_float_matrix(value, name: str, copy: bool) -> np.ndarray:
    """as_matrix without the finiteness check (self_attention checks that on its results)."""
    return _as_float_array(value, name, copy, ndims=(2,))


# Beyond this many tokens a causal mask alone takes over 250 MB: refused rather than slow.
MAX_MASK_TOKENS = 16384


def _as_float_array(value, name: str, copy: bool, ndims=(2,)) -> np.ndarray:
    """`value` as a float64 array with one of `ndims` dimensions (None: any >= 1), not empty.

    Integers are converted (so int64 products cannot wrap around); anything whose meaning
    would be lost on the way is refused: a masked array's mask, text, booleans, complex parts.
    """
    if value is None:
        raise LearnerError("core.got_none", terms={"shape": _shape_words(ndims)}, name=name)
    if _is_masked(value):
        raise LearnerError("core.masked_array", name=name)
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):  # numpy 2 refuses ragged nested lists
        raise LearnerError("core.ragged", terms={"shape": _shape_words(ndims)}, name=name) from None
    if array.dtype == object:  # Python ints beyond int64, Fractions, or junk: look inside
        array = _object_numbers(array, name, value)
    if array.dtype.kind not in "iuf":
        raise LearnerError("core.not_numbers", name=name, dtype=str(array.dtype), got=_preview(value))
    if ndims is not None and array.ndim not in ndims:
        raise LearnerError(
            "core.ndim", terms={"shape": _shape_words(ndims)}, name=name, ndim=array.ndim, shape_got=str(array.shape)
        )
    if ndims is None and array.ndim == 0:
        raise LearnerError("core.single_number", name=name, got=_preview(value))
    if array.size == 0:
        what = "core.one_row_one_column" if array.ndim == 2 else "core.one_entry"
        raise LearnerError("core.empty", terms={"what": what}, name=name, shape=str(array.shape))
    if array.dtype.kind == "f" and array.dtype.itemsize > 8:  # long double: may not fit float64
        with np.errstate(over="ignore"):
            converted = array.astype(float)
        grown = np.isinf(converted) & np.isfinite(array)
        if grown.any():
            index = tuple(int(k) for k in np.argwhere(grown)[0])
            raise LearnerError("core.too_large", terms={"where": _where(index)}, name=name, got=str(array[index]))
        return converted
    return array.astype(float, copy=copy)


def _shape_words(ndims) -> str:
    """The strings key naming the shapes allowed (a 2-D matrix; 1-D or 2-D; any)."""
    if ndims is None:
        return "core.shape_any"
    if ndims == (2,):
        return "core.shape_matrix"
    assert ndims == (1, 2), ndims  # the only other one used
    return "core.shape_vector_or_matrix"


def _is_masked(value) -> bool:
    # a list of masked rows loses its masks in np.asarray just the same
    if isinstance(value, np.ma.MaskedArray):
        return True
    return isinstance(value, (list, tuple)) and any(isinstance(v, np.ma.MaskedArray) for v in value[:10_000])


def _object_numbers(array: np.ndarray, name: str, value) -> np.ndarray:
    """An object array as float64 if every entry is a real number that fits, else a ValueError."""
    for index, entry in np.ndenumerate(array):
        if isinstance(entry, (bool, np.bool_)) or not isinstance(entry, numbers.Real):
            raise LearnerError(
                "core.not_a_number",
                terms={"where": _where(index)},
                name=name,
                got=_preview(entry),
                type=type(entry).__name__,
            )
        try:
            float(entry)
        except OverflowError:
            raise LearnerError(
                "core.too_large", terms={"where": _where(index)}, name=name, got=_preview(entry, 30)
            ) from None
    return array.astype(float)


def _require_finite(array: np.ndarray, name: str) -> None:
    if not np.isfinite(array).all():
        bad = tuple(int(k) for k in np.argwhere(~np.isfinite(array))[0])
        raise LearnerError("core.not_finite", terms={"where": _where(bad)}, name=name, got=str(array[bad]))


def _where(index: tuple) -> tuple[str, dict] | None:
    """Where an entry is, as a LearnerError term: (strings key, values); None: nowhere to say."""
    if len(index) == 0:  # a single value: nothing to point at
        return None
    if len(index) == 1:
        return ("core.at_position", {"position": index[0]})
    if len(index) == 2:
        return ("core.at_row_column", {"row": index[0], "column": index[1]})
    return ("core.at_index", {"index": str(index)})


def _preview(value, limit: int = 60) -> str:
    try:
        text = repr(value)
    except Exception:  # a learner's object whose repr fails
        text = f"a {type(value).__name__}"
    text = re.sub(r" at 0x[0-9a-fA-F]+", "", text)  # no memory addresses: messages are reproducible
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _flag(value, name: str) -> bool:
    """True or False (numpy's too); "False", 0, None are refused, not read as truth values."""
    if not isinstance(value, (bool, np.bool_)):
        raise LearnerError("core.flag", name=name, got=_preview(value), type=type(value).__name__)
    return bool(value)


def _finite_result(name: str, compute, *args) -> np.ndarray:
    """compute(*args) from finite inputs; a ValueError instead of numpy's warning if it overflows."""
    with np.errstate(over="ignore", invalid="ignore"):  # reported just below
        result = compute(*args)
        # A finite sum means every entry is finite, and it needs no n x n temporary (the
        # score matrix's memory stays n^2 floats); a sum that overflows looks at each entry.
        total = result.sum()
    if not np.isfinite(total) and not np.isfinite(result).all():
        raise _overflow(name)
    return result


# The intermediate values `_overflow` names in words (the others are symbols: Q, K, V, X W).
_OVERFLOW_TERMS = {
    "the scores": "core.the_scores",
    "the output": "core.the_output",
    "the output concat @ W_o": "core.the_output_concat",
}


def _overflow(name: str) -> ValueError:
    if name in _OVERFLOW_TERMS:
        return LearnerError("core.overflow", terms={"name": _OVERFLOW_TERMS[name]})
    return LearnerError("core.overflow", name=name)


def project(X, W) -> np.ndarray:
    """Row-wise projection: row i of the result is x_i W (for Q, K or V).

    X is (n, d_model), or one token's row x_i (d_model,); W is (d_model, d).
    """
    X = _as_float_array(X, "X", copy=False, ndims=(1, 2))
    _require_finite(X, "X")
    W = as_matrix(W, "W", copy=False)
    if W.shape[0] != X.shape[-1]:
        raise LearnerError("core.w_rows", d_model=X.shape[-1], shape=str(X.shape), rows=W.shape[0], cols=W.shape[1])
    return _finite_result("X W", _project, X, W)


def _project(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    return X @ W  # (n, d_model) @ (d_model, d) -> (n, d)


def attention_scores(Q, K, scaled: bool = True) -> np.ndarray:
    """scores[i, j] = q_i . k_j, divided by sqrt(d_k) when `scaled`; every pair, no mask."""
    scaled = _flag(scaled, "scaled")
    Q, K = as_matrix(Q, "Q", copy=False), as_matrix(K, "K", copy=False)
    if Q.shape[1] != K.shape[1]:
        raise LearnerError("core.q_k_columns", q=Q.shape[1], k=K.shape[1])
    return _finite_result("the scores", _scores, Q, K, scaled)


def _scores(Q: np.ndarray, K: np.ndarray, scaled: bool) -> np.ndarray:
    scores = Q @ K.T  # (n, n); float, since Q and K are
    if scaled:
        scores *= 1.0 / math.sqrt(K.shape[1])
    return scores


def causal_mask(n: int) -> np.ndarray:
    """Boolean (n, n) matrix, True where j <= i: token i may look at itself and the past."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise LearnerError("core.n_whole", got=_preview(n), type=type(n).__name__)
    if n < 1:
        raise LearnerError("core.n_at_least_1", got=n)
    if n > MAX_MASK_TOKENS:
        raise LearnerError("core.n_at_most", limit=MAX_MASK_TOKENS, got=n)
    return np.tri(int(n), dtype=bool)


def softmax(scores, mask=None) -> np.ndarray:
    """Row-wise softmax of `scores` (along the last axis); where `mask` is False the weight is exactly 0.

    A score of -inf counts as masked too (np.where(mask, scores, -np.inf) is the chapter's way
    to write the mask). nan and +inf are refused, and so is a row with nothing left to attend to:
    its weights would be 0/0. `mask` is a bool array of scores' shape, or one that broadcasts to
    it (one (n, n) mask for a batch of score matrices).

    Subtracting each row's largest allowed score first leaves the result unchanged
    (softmax ignores a constant added to a row) and keeps every exp() <= 1, so finite
    scores of any size never overflow.
    """
    scores = _as_float_array(scores, "scores", copy=False, ndims=None)
    bad = np.isnan(scores) | (scores == np.inf)
    if bad.any():
        index = tuple(int(k) for k in np.argwhere(bad)[0])
        raise LearnerError("core.scores_finite", terms={"where": _where(index)}, got=str(scores[index]))
    allowed = scores > -np.inf
    if mask is not None:
        mask = _as_mask(mask, scores.shape)
        allowed &= mask
    empty = ~allowed.any(axis=-1)
    if empty.any():
        row = tuple(int(k) for k in np.argwhere(empty)[0])
        row_text = f"row {row[0]}" if len(row) == 1 else f"row {row[-1]} of matrix {row[:-1]}"
        raise ValueError(
            f"{'mask' if mask is not None else 'scores'}: {row_text} has no allowed entry (every "
            f"score masked or -inf), so its weights would be 0/0; each row needs at least one "
            f"visible score"
        )
    return _softmax(scores, mask)


def _as_mask(mask, shape: tuple) -> np.ndarray:
    if _is_masked(mask):
        raise ValueError("mask must be a plain bool array; got a numpy masked array")
    try:
        mask = np.asarray(mask)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"mask must be a bool array of shape {shape}; got ragged data ({exc})") from None
    if mask.dtype != bool:
        raise ValueError(
            f"mask must be a bool array (True where attending is allowed); got data of type "
            f"{mask.dtype} ({_preview(mask)}); use mask.astype(bool) if 0/1 is meant"
        )
    try:
        if np.broadcast_shapes(mask.shape, shape) != shape:
            raise ValueError
    except ValueError:
        raise ValueError(
            f"mask must have the shape of scores, {shape} (or one that broadcasts to it); got shape {mask.shape}"
        ) from None
    return mask


def _softmax(scores: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """softmax without checks, for callers whose rows are known to be finite with one visible entry."""
    # A difference below -1.8e308 rounds to -inf, whose exp() is the right answer, 0.
    with np.errstate(over="ignore"):
        if mask is None:
            shifted = scores - scores.max(axis=-1, keepdims=True)
        else:
            shifted = np.where(mask, scores, -np.inf)
            shifted -= shifted.max(axis=-1, keepdims=True)
    np.exp(shifted, out=shifted)  # exp(-inf) == 0.0 exactly
    shifted /= shifted.sum(axis=-1, keepdims=True)
    return shifted


def combine_values(weights, V) -> np.ndarray:
    """a_i = sum_j alpha_ij v_j for every i at once."""
    weights, V = as_matrix(weights, "weights", copy=False), as_matrix(V, "V", copy=False)
    if weights.shape[1] != V.shape[0]:
        raise LearnerError("core.weights_columns", rows=V.shape[0], w_rows=weights.shape[0], w_cols=weights.shape[1])
    return _finite_result("the output", _combine, weights, V)


def _combine(weights: np.ndarray, V: np.ndarray) -> np.ndarray:
    return weights @ V  # (n, n) @ (n, d_v) -> (n, d_v)


def _check_inputs(X, W_q, W_k, W_v, finite=True):
    # no copies: the inputs are only read, and Q, K, V are new arrays
    check = as_matrix if finite else _as_float_matrix
    X = check(X, "X", copy=False)
    W_q = check(W_q, "W_q", copy=False)
    W_k = check(W_k, "W_k", copy=False)
    W_v = check(W_v, "W_v", copy=False)
    d_model = X.shape[1]
    for name, W in (("W_q", W_q), ("W_k", W_k), ("W_v", W_v)):
        if W.shape[0] != d_model:
            raise LearnerError(
                "core.rows_match_x", name=name, d_model=d_model, n=X.shape[0], rows=W.shape[0], cols=W.shape[1]
            )
    if W_q.shape[1] != W_k.shape[1]:
        raise LearnerError("core.d_k_match", q=W_q.shape[1], k=W_k.shape[1])
    return X, W_q, W_k, W_v


def _check_finite(name: str, array: np.ndarray) -> None:
    if not np.isfinite(array).all():
        raise _overflow(name)


def self_attention(X, W_q, W_k, W_v, causal: bool = True, scaled: bool = True) -> AttentionResult:
    """Matrix form (section 10.1.4): softmax(mask(Q K^T / sqrt(d_k))) V, with every intermediate.

    Finite in, finite out: inputs whose intermediate values overflow float64 get a ValueError
    saying so, never a nan or inf in the result.
    """
    causal, scaled = _flag(causal, "causal"), _flag(scaled, "scaled")
    X, W_q, W_k, W_v = _check_inputs(X, W_q, W_k, W_v, finite=False)  # finiteness: below
    # The unchecked forms of the step functions: the inputs were checked once, here.
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported below
        Q, K, V = _project(X, W_q), _project(X, W_k), _project(X, W_v)
        scores = _scores(Q, K, scaled)
        # An inf or nan in X, W_q, W_k, Q or K reaches the scores (nan * 0 is nan), one in W_v
        # reaches V: two checks cover all eight arrays; the slow path names the first bad one.
        if not (np.isfinite(scores).all() and np.isfinite(V).all()):
            for name, M in (("X", X), ("W_q", W_q), ("W_k", W_k), ("W_v", W_v)):
                _require_finite(M, name)
            for name, M in (("Q", Q), ("K", K), ("V", V), ("the scores", scores)):
                _check_finite(name, M)
        weights = _softmax(scores, np.tri(len(X), dtype=bool) if causal else None)
        output = _combine(weights, V)
        # Each a_i lies within the range of the v_j, yet rounding can push a value next to the
        # float64 limit over it. A finite sum means every entry is finite: one cheap reduction
        # (a sum of huge finite entries may overflow: then each entry is looked at).
        total = output.sum()
    if not np.isfinite(total):
        _check_finite("the output", output)
    return AttentionResult(Q, K, V, scores, weights, output, K.shape[1], causal, scaled)


def self_attention_loop(X, W_q, W_k, W_v, causal: bool = True, scaled: bool = True) -> AttentionResult:
    """Per-token form, one equation of the chapter at a time; slow, for reading beside the text."""
    causal, scaled = _flag(causal, "causal"), _flag(scaled, "scaled")
    X, W_q, W_k, W_v = _check_inputs(X, W_q, W_k, W_v)
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported by _check_finite
        result = _attention_token_by_token(X, W_q, W_k, W_v, causal, scaled)
    _check_finite("the output", result.output)
    return result


def _attention_token_by_token(X, W_q, W_k, W_v, causal, scaled):
    n, d_k = len(X), W_k.shape[1]
    Q, K, V = np.empty((n, d_k)), np.empty((n, d_k)), np.empty((n, W_v.shape[1]))
    for i in range(n):
        Q[i] = X[i] @ W_q  # q_i = x_i W^Q
        K[i] = X[i] @ W_k  # k_i = x_i W^K
        V[i] = X[i] @ W_v  # v_i = x_i W^V
    for name, M in (("Q", Q), ("K", K), ("V", V)):
        _check_finite(name, M)
    scores = np.empty((n, n))
    weights = np.zeros((n, n))
    output = np.zeros((n, V.shape[1]))
    for i in range(n):
        for j in range(n):
            scores[i, j] = Q[i] @ K[j]  # score(x_i, x_j) = q_i . k_j
            if scaled:
                scores[i, j] /= math.sqrt(d_k)
        _check_finite("the scores", scores[i])
        visible = range(i + 1) if causal else range(n)  # j <= i when causal
        top = max(scores[i, j] for j in visible)  # subtracted for stability only
        exps = {j: math.exp(scores[i, j] - top) for j in visible}
        total = sum(exps.values())
        for j in visible:
            weights[i, j] = exps[j] / total  # alpha_ij
            output[i] += weights[i, j] * V[j]  # a_i = sum_j alpha_ij v_j
    return AttentionResult(Q, K, V, scores, weights, output, d_k, bool(causal), bool(scaled))
