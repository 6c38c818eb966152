"""selfattn_lib: self-attention as Jurafsky & Martin, ch. 10.1, compute it, step by step.

The math needs numpy only. `plots`, `steps` and `widgets` (matplotlib, ipywidgets) load on
first use, so `import selfattn_lib` stays light and changes no global state.
"""
from importlib import import_module

from .attention import (
    AttentionResult,
    attention_scores,
    causal_mask,
    combine_values,
    project,
    self_attention,
    self_attention_loop,
    softmax,
)
from .example import ChapterExample, chapter_example
from .multihead import MultiHeadResult, multi_head_attention
from .positions import positional_encoding

__all__ = [
    "AttentionResult",
    "ChapterExample",
    "MultiHeadResult",
    "attention_scores",
    "causal_mask",
    "chapter_example",
    "combine_values",
    "multi_head_attention",
    "positional_encoding",
    "project",
    "self_attention",
    "self_attention_loop",
    "softmax",
]

_LAZY_SUBMODULES = {"plots", "steps", "widgets", "audit", "exercises", "training", "strings",
                    "positions", "multihead", "multihead_training", "corpus", "language_model",
                    "plots_more", "exercises_more", "solutions"}


def __getattr__(name):
    # `selfattn_lib.widgets.AttentionExplorer()` works without importing ipywidgets up front.
    if name in _LAZY_SUBMODULES:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
