"""Multi-head attention: several self-attention heads side by side, mixed by W^O.

Head h (counted from 0) uses the h-th block of columns of W_q, W_k and W_v; each head is the
chapter's self-attention with its own d_k (scores divided by sqrt of the head's d_k). The
heads' outputs are put side by side (concat) and multiplied by W_o.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .attention import _check_finite, _check_inputs, as_matrix, self_attention
from .positions import check_count

__all__ = ["MultiHeadResult", "multi_head_attention", "split_heads", "attention_cost"]


@dataclass(frozen=True, eq=False)
class MultiHeadResult:
    heads: tuple  # n_heads AttentionResult, in head order
    concat: np.ndarray  # (n, n_heads * d_v)  the heads' outputs side by side
    output: np.ndarray  # (n, d_out)          concat @ W_o
    W_o: np.ndarray  # (n_heads * d_v, d_out)

    @property
    def n_heads(self) -> int:
        return len(self.heads)

    @property
    def weights(self) -> np.ndarray:
        """(n_heads, n, n): every head's alpha_ij."""
        return np.stack([head.weights for head in self.heads])


def split_heads(W, n_heads: int) -> list:
    """The n_heads blocks of columns of W, in order: block h is W[:, h*d : (h+1)*d]."""
    W = as_matrix(W, "W", copy=False)
    n_heads = check_count(n_heads, "n_heads")
    _check_divisible("W", W, n_heads, "n_heads * d")
    width = W.shape[1] // n_heads
    return [W[:, h * width : (h + 1) * width] for h in range(n_heads)]


def _check_divisible(name, W, n_heads, what):
    if W.shape[1] % n_heads:  # also refuses more heads than columns: no block may be empty
        raise ValueError(
            f"{name} must have a number of columns divisible by n_heads = {n_heads} "
            f"({what}: each head takes one block of columns); got {W.shape[1]} columns"
        )


def _check_heads(W_q, W_k, W_v, W_o, n_heads):
    n_heads = check_count(n_heads, "n_heads")
    for name, W, what in (("W_q", W_q, "n_heads * d_k"), ("W_v", W_v, "n_heads * d_v")):
        _check_divisible(name, W, n_heads, what)
    W_o = as_matrix(W_o, "W_o", copy=False)
    if W_o.shape[0] != W_v.shape[1]:
        raise ValueError(
            f"W_o must have n_heads * d_v = {W_v.shape[1]} rows, one per column of the heads' "
            f"outputs side by side; got W_o with shape {W_o.shape[0]} x {W_o.shape[1]}"
        )
    return W_o, n_heads


def multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads, causal: bool = True, scaled: bool = True) -> MultiHeadResult:
    """n_heads self-attention heads on the column blocks of W_q, W_k, W_v; output concat @ W_o.

    W_q, W_k: d_model x (n_heads * d_k); W_v: d_model x (n_heads * d_v);
    W_o: (n_heads * d_v) x d_out.
    """
    X, W_q, W_k, W_v = _check_inputs(X, W_q, W_k, W_v)
    W_o, n_heads = _check_heads(W_q, W_k, W_v, W_o, n_heads)
    heads = tuple(
        self_attention(X, q, k, v, causal=causal, scaled=scaled)
        for q, k, v in zip(split_heads(W_q, n_heads), split_heads(W_k, n_heads), split_heads(W_v, n_heads))
    )
    concat = np.concatenate([head.output for head in heads], axis=1)  # (n, n_heads * d_v)
    with np.errstate(over="ignore", invalid="ignore"):  # reported just below
        output = concat @ W_o  # (n, d_out)
    _check_finite("the output concat @ W_o", output)
    return MultiHeadResult(heads, concat, output, W_o)


def attention_cost(n, d_model, d_k, d_v, n_heads, d_out=None) -> dict:
    """Multiplications of one pass, step by step: n_heads heads of d_k, d_v each.

    One head of width n_heads*d_k costs the same in projections and scores; the heads add
    n_heads softmax rows per token instead of one, and W^O adds n * (n_heads*d_v) * d_out.
    """
    n, d_model, d_k, d_v, n_heads = (
        check_count(value, name)
        for value, name in ((n, "n"), (d_model, "d_model"), (d_k, "d_k"), (d_v, "d_v"), (n_heads, "n_heads"))
    )
    d_out = d_model if d_out is None else check_count(d_out, "d_out")
    return {
        "projections": n * d_model * n_heads * (2 * d_k + d_v),
        "scores": n_heads * n * n * d_k,
        "softmax_exps": n_heads * n * n,
        "weighted_sum": n_heads * n * n * d_v,
        "W_o": n * n_heads * d_v * d_out,
    }
