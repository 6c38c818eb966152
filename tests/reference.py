"""An independent reference for self-attention: plain Python floats, lists and math.exp.

Nothing here uses numpy or selfattn_lib, so agreement with the library means something.
"""

import math


def matmul(A, B):
    return [[sum(a * b for a, b in zip(row, col)) for col in zip(*B)] for row in A]


def reference_attention(X, W_q, W_k, W_v, causal=True, scaled=True):
    """Returns (Q, K, V, scores, weights, output) as nested lists of floats."""
    X, W_q, W_k, W_v = ([[float(v) for v in row] for row in M] for M in (X, W_q, W_k, W_v))
    Q, K, V = matmul(X, W_q), matmul(X, W_k), matmul(X, W_v)
    n, d_k = len(X), len(W_k[0])
    scale = math.sqrt(d_k) if scaled else 1.0
    scores = [[sum(q * k for q, k in zip(Q[i], K[j])) / scale for j in range(n)] for i in range(n)]
    weights = [[0.0] * n for _ in range(n)]
    for i in range(n):
        allowed = list(range(i + 1)) if causal else list(range(n))
        top = max(scores[i][j] for j in allowed)
        exps = [math.exp(scores[i][j] - top) for j in allowed]
        for j, e in zip(allowed, exps):
            weights[i][j] = e / sum(exps)
    output = [[sum(weights[i][j] * V[j][c] for j in range(n)) for c in range(len(V[0]))] for i in range(n)]
    return Q, K, V, scores, weights, output


def reference_positional_encoding(n, d_model):
    """PE[pos][2i] = sin(pos / 10000^(2i/d_model)), PE[pos][2i+1] = cos(same), with math only."""
    table = []
    for pos in range(n):
        row = []
        for column in range(d_model):
            i = column // 2
            angle = pos / 10000 ** (2 * i / d_model)
            row.append(math.sin(angle) if column % 2 == 0 else math.cos(angle))
        table.append(row)
    return table


def reference_multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads, causal=True, scaled=True):
    """Returns (per-head reference_attention tuples, concat, output) as nested lists of floats."""

    def columns(W, h):
        width = len(W[0]) // n_heads
        return [row[h * width : (h + 1) * width] for row in W]

    heads = [
        reference_attention(X, columns(W_q, h), columns(W_k, h), columns(W_v, h), causal, scaled)
        for h in range(n_heads)
    ]
    concat = [sum((head[5][i] for head in heads), []) for i in range(len(X))]
    return heads, concat, matmul(concat, [[float(v) for v in row] for row in W_o])
