"""Self-attention, step by step, in the chapter's notation (row vectors: q_i = x_i W^Q).

Every function is pure: numpy arrays in, numpy arrays out, no printing, no state.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "AttentionResult",
    "as_matrix",
    "project",
    "attention_scores",
    "causal_mask",
    "softmax",
    "combine_values",
    "self_attention",
    "self_attention_loop",
]


@dataclass(frozen=True, eq=False)
class AttentionResult:
    """Every intermediate of one self-attention pass (n tokens)."""

    Q: np.ndarray        # (n, d_k)  queries q_i as rows
    K: np.ndarray        # (n, d_k)  keys k_j as rows
    V: np.ndarray        # (n, d_v)  values v_j as rows
    scores: np.ndarray   # (n, n)    q_i . k_j (/ sqrt(d_k) when scaled), before any mask
    weights: np.ndarray  # (n, n)    alpha_ij; masked entries exactly 0.0; rows sum to 1
    output: np.ndarray   # (n, d_v)  a_i as rows
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
        return causal_mask(self.n) if self.causal else np.ones((self.n, self.n), dtype=bool)


def as_matrix(value, name: str, copy: bool = True) -> np.ndarray:
    """Return `value` as a finite 2-D float array, or raise a ValueError that names `name`.

    With copy=False a float64 array comes back as itself (for callers that only read it).
    """
    array = _as_float_matrix(value, name, copy)
    _require_finite(array, name)
    return array


def _as_float_matrix(value, name: str, copy: bool) -> np.ndarray:
    """as_matrix without the finiteness check (self_attention checks that on its results)."""
    if value is None:
        raise ValueError(f"{name} must be a 2-D array of numbers, got None")
    try:
        array = np.asarray(value)
    except ValueError as exc:  # numpy 2 refuses ragged nested lists
        raise ValueError(
            f"{name} must be a 2-D array of numbers with rows of equal length; "
            f"got ragged data ({exc})"
        ) from None
    if array.dtype.kind not in "iuf":
        raise ValueError(
            f"{name} must contain only numbers (int or float); got data of type "
            f"{array.dtype} ({_preview(value)})"
        )
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array (a matrix: rows x columns); got {array.ndim}-D "
            f"with shape {array.shape}"
        )
    rows, cols = array.shape
    if rows == 0 or cols == 0:
        raise ValueError(f"{name} must have at least one row and one column; got shape {array.shape}")
    return array.astype(float, copy=copy)


def _require_finite(array: np.ndarray, name: str) -> None:
    if not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        raise ValueError(
            f"{name} must contain only finite numbers; got {array[tuple(bad)]} at row {bad[0]}, "
            f"column {bad[1]}"
        )


def _preview(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def project(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Row-wise projection: row i of the result is x_i W (for Q, K or V)."""
    return X @ W  # (n, d_model) @ (d_model, d) -> (n, d)


def attention_scores(Q: np.ndarray, K: np.ndarray, scaled: bool = True) -> np.ndarray:
    """scores[i, j] = q_i . k_j, divided by sqrt(d_k) when `scaled`; every pair, no mask."""
    scores = Q @ K.T  # (n, n)
    if scaled:
        scores *= 1.0 / math.sqrt(K.shape[1])
    return scores


def causal_mask(n: int) -> np.ndarray:
    """Boolean (n, n) matrix, True where j <= i: token i may look at itself and the past."""
    return np.tri(n, dtype=bool)


def softmax(scores: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Row-wise softmax of `scores`; where `mask` is False the weight is exactly 0.

    Subtracting each row's largest allowed score first leaves the result unchanged
    (softmax ignores a constant added to a row) and keeps every exp() <= 1, so finite
    scores of any size never overflow.
    """
    scores = np.asarray(scores, dtype=float)
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


def combine_values(weights: np.ndarray, V: np.ndarray) -> np.ndarray:
    """a_i = sum_j alpha_ij v_j for every i at once."""
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
            raise ValueError(
                f"{name} must have d_model = {d_model} rows to match X (X is {X.shape[0]} x "
                f"{d_model}, one row per token); got {name} with shape {W.shape[0]} x {W.shape[1]}"
            )
    if W_q.shape[1] != W_k.shape[1]:
        raise ValueError(
            f"W_q and W_k must have the same number of columns (d_k), since q_i . k_j needs "
            f"vectors of equal length; got W_q with {W_q.shape[1]} and W_k with {W_k.shape[1]}"
        )
    return X, W_q, W_k, W_v


def _check_finite(name: str, array: np.ndarray) -> None:
    if not np.isfinite(array).all():
        raise ValueError(
            f"the inputs are too large: {name} overflowed the float64 range (about 1.8e308); "
            f"use smaller values in X and the weight matrices"
        )


def self_attention(X, W_q, W_k, W_v, causal: bool = True, scaled: bool = True) -> AttentionResult:
    """Matrix form (section 10.1.4): softmax(mask(Q K^T / sqrt(d_k))) V, with every intermediate."""
    X, W_q, W_k, W_v = _check_inputs(X, W_q, W_k, W_v, finite=False)  # finiteness: below
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported just below
        Q, K, V = project(X, W_q), project(X, W_k), project(X, W_v)
        scores = attention_scores(Q, K, scaled)
    # An inf or nan in X, W_q, W_k, Q or K reaches the scores (nan * 0 is nan), one in W_v
    # reaches V: two checks cover all eight arrays; the slow path names the first bad one.
    if not (np.isfinite(scores).all() and np.isfinite(V).all()):
        for name, M in (("X", X), ("W_q", W_q), ("W_k", W_k), ("W_v", W_v)):
            _require_finite(M, name)
        for name, M in (("Q", Q), ("K", K), ("V", V), ("the scores", scores)):
            _check_finite(name, M)
    weights = softmax(scores, causal_mask(len(X)) if causal else None)
    output = combine_values(weights, V)
    return AttentionResult(Q, K, V, scores, weights, output, K.shape[1], bool(causal), bool(scaled))


def self_attention_loop(X, W_q, W_k, W_v, causal: bool = True, scaled: bool = True) -> AttentionResult:
    """Per-token form, one equation of the chapter at a time; slow, for reading beside the text."""
    X, W_q, W_k, W_v = _check_inputs(X, W_q, W_k, W_v)
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported by _check_finite
        return _attention_token_by_token(X, W_q, W_k, W_v, causal, scaled)


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
