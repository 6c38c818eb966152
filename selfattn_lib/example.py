"""The chapter's worked example (3 tokens, d_model = d_k = d_v = 4), exactly as printed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ChapterExample", "chapter_example", "CHAPTER_SENTENCE"]

# The chapter's sentence; its worked example uses three tokens, labelled here with its first words.
CHAPTER_SENTENCE = ("O", "gato", "preto", "correu", "rapidamente")


@dataclass(frozen=True, eq=False)
class ChapterExample:
    tokens: tuple[str, ...]
    X: np.ndarray  # (3, 4): rows x_1, x_2, x_3
    W_q: np.ndarray  # (4, 4)
    W_k: np.ndarray  # (4, 4)
    W_v: np.ndarray  # (4, 4)


def chapter_example() -> ChapterExample:
    """A fresh copy of the chapter's inputs, so editing one never changes another."""
    return ChapterExample(
        tokens=CHAPTER_SENTENCE[:3],
        X=np.array(
            [
                [1, 0, 2, 1],
                [0, 2, 1, 1],
                [1, 1, 0, 2],
            ],
            dtype=float,
        ),
        W_q=np.array(
            [
                [0.1, 0.2, -0.1, 0.3],
                [0.2, 0.1, 0.1, -0.2],
                [-0.1, 0.3, 0.2, 0.1],
                [0.3, -0.2, 0.1, 0.2],
            ]
        ),
        W_k=np.array(
            [
                [0.2, -0.1, 0.3, 0.1],
                [0.1, 0.2, -0.2, 0.3],
                [0.3, 0.1, 0.1, -0.1],
                [-0.1, 0.3, 0.2, 0.2],
            ]
        ),
        W_v=np.array(
            [
                [0.1, 0.3, 0.2, -0.1],
                [0.2, -0.2, 0.1, 0.3],
                [-0.1, 0.1, 0.3, 0.2],
                [0.3, 0.2, -0.1, 0.1],
            ]
        ),
    )
