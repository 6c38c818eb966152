"""Pictures for notebooks 10-12: the positional encoding, and one weights heatmap per head.

Like `plots`: each function takes an optional `ax` (or a Figure), returns what it drew, and
changes no global state; every text comes from `strings` in the given `language`.
"""

from __future__ import annotations

import numpy as np

from . import plots, strings
from .strings import DEFAULT_LANGUAGE

__all__ = ["encoding_heatmap", "heads_heatmaps"]


def encoding_heatmap(PE, ax=None, colorbar=True, language=DEFAULT_LANGUAGE):
    """PE as an image: one row per position, one column per dimension, values in [-1, 1]."""
    ax = plots._axes(ax)
    PE = np.asarray(PE)
    image = ax.imshow(PE, cmap=plots.SIGNED_CMAP, vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
    ax.set_title(plots.literal(strings.text("plot_encoding_title", language, n=PE.shape[0], d_model=PE.shape[1])))
    ax.set_xlabel(plots.literal(strings.text("plot_column_axis", language)))
    ax.set_ylabel(plots.literal(strings.text("plot_position_axis", language)))
    if colorbar:
        plots.number_axes(ax.figure.colorbar(image, ax=ax).ax, language)
    return image


def heads_heatmaps(result, tokens, axes, language=DEFAULT_LANGUAGE):
    """One weights heatmap per head of a MultiHeadResult, titled "head 0", "head 1", ..."""
    return [
        plots.weights_heatmap(
            head,
            tokens,
            ax=ax,
            colorbar=False,
            language=language,
            title=strings.text("plot_head_title", language, head=h),
        )
        for h, (head, ax) in enumerate(zip(result.heads, axes))
    ]
