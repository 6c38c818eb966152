"""Word order: the sinusoidal positional encoding of Vaswani et al. (2017), row = position.

Self-attention without a mask treats its input as a set: permuting the rows of X only permutes
the outputs. Adding a vector that depends on the position to each row makes order visible.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["positional_encoding", "shift_matrix", "learned_positions", "check_count"]

BASE = 10000.0  # as in the paper: the wavelengths go from 2*pi (pair 0) up to 2*pi * 10000^((d-2)/d)
#                 (the last pair, i = d/2 - 1), just short of the paper's "10000 * 2*pi"
# Bounds on a table: as many positions as a causal mask may have tokens (attention.MAX_MASK_TOKENS),
# and at most 2**22 entries (a 32 MB table, built with its temporaries in well under a second).
MAX_POSITIONS = 16384
MAX_D_MODEL = 16384
MAX_ENCODING_ENTRIES = 2**22


def check_count(value, name: str, minimum: int = 1) -> int:
    """`value` as an int >= minimum, or a ValueError that names `name`, expected and got."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r} (type {type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    return int(value)


def _frequencies(d_model: int) -> np.ndarray:
    """omega_i = 1 / 10000^(2i / d_model) for column pair i = 0, 1, ... (one per column)."""
    i = np.arange(d_model) // 2  # columns 2i and 2i+1 share the frequency of pair i
    return 1.0 / BASE ** (2 * i / d_model)


def positional_encoding(n, d_model) -> np.ndarray:
    """PE (n, d_model): PE[pos, 2i] = sin(pos / 10000^(2i/d_model)), PE[pos, 2i+1] = cos(same).

    Rows are positions 0..n-1. For an odd d_model the last column is a sine.
    """
    n = check_count(n, "n (the number of positions)")
    d_model = check_count(d_model, "d_model")
    for name, value, most in (("n (the number of positions)", n, MAX_POSITIONS), ("d_model", d_model, MAX_D_MODEL)):
        if value > most:
            raise ValueError(f"{name} must be at most {most}; got {value}")
    if n * d_model > MAX_ENCODING_ENTRIES:
        raise ValueError(
            f"n * d_model must be at most {MAX_ENCODING_ENTRIES} (the table's entries); "
            f"got {n} * {d_model} = {n * d_model}"
        )
    angles = np.arange(n)[:, None] * _frequencies(d_model)[None, :]  # (n, d_model)
    return np.where(np.arange(d_model) % 2 == 0, np.sin(angles), np.cos(angles))


def shift_matrix(k, d_model) -> np.ndarray:
    """M_k (d_model, d_model) with PE[pos + k] = PE[pos] @ M_k for every pos (row vectors).

    Each (sin, cos) pair turns by the angle k * omega_i, a 2x2 rotation that does not depend
    on pos: a relative shift is one fixed linear map. d_model must be even (a lone sine
    column has no cosine partner to rotate with).
    """
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise ValueError(f"k (the shift) must be an integer; got {k!r} (type {type(k).__name__})")
    d_model = check_count(d_model, "d_model")
    if d_model % 2:
        raise ValueError(f"d_model must be even for a shift matrix (sine and cosine in pairs); got {d_model}")
    M = np.zeros((d_model, d_model))
    for i in range(d_model // 2):
        theta = k * _frequencies(d_model)[2 * i]
        c, s = np.cos(theta), np.sin(theta)
        # [sin(a+t), cos(a+t)] = [sin a, cos a] @ [[cos t, -sin t], [sin t, cos t]]
        M[2 * i : 2 * i + 2, 2 * i : 2 * i + 2] = [[c, -s], [s, c]]
    return M


def learned_positions(rng: np.random.Generator, n, d_model, scale: float = 0.1) -> np.ndarray:
    """The alternative to sinusoids: a table of n free rows that training adjusts (start small)."""
    n = check_count(n, "n (the number of positions)")
    d_model = check_count(d_model, "d_model")
    return rng.normal(0.0, scale, (n, d_model))
