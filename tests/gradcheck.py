"""Central finite differences, the independent check of every hand-written gradient."""

import numpy as np


def numeric_gradient(loss, params, name, h=1e-6):
    """d loss / d params.<name>, entry by entry: (L(w + h) - L(w - h)) / 2h.

    `loss(params)` returns a number; `params.replace(name=array)` gives a changed copy.
    """
    value = getattr(params, name)
    grad = np.zeros_like(value)
    for index in np.ndindex(value.shape):
        for sign in (+1, -1):
            moved = value.copy()
            moved[index] += sign * h
            grad[index] += sign * loss(params.replace(**{name: moved})) / (2 * h)
    return grad
