"""selfattn_lib: self-attention as Jurafsky & Martin, ch. 10.1, compute it, step by step.

The math needs numpy only. `plots`, `steps` and `widgets` (matplotlib, ipywidgets) load on
first use, so `import selfattn_lib` stays light and changes no global state (its one import hook
answers for its own submodules only: selfattn_lib/_extras.py).
"""

# The version, in this one place (pyproject.toml reads it; CITATION.cff and CHANGELOG.md must agree:
# tests/test_first_minute.py). Releases are tagged vX.Y.Z (MAINTAINERS.md).
__version__ = "0.1.0"

from importlib import import_module

from . import _extras
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

_extras.install()  # a module that needs the [notebooks] extra says so, in one sentence

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

_LAZY_SUBMODULES = {
    "plots",
    "steps",
    "widgets",
    "audit",
    "exercises",
    "training",
    "strings",
    "positions",
    "multihead",
    "multihead_training",
    "corpus",
    "language_model",
    "plots_more",
    "exercises_more",
    "solutions",
}


def __getattr__(name):
    # `selfattn_lib.widgets.AttentionExplorer()` works without importing ipywidgets up front.
    if name in _LAZY_SUBMODULES:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
