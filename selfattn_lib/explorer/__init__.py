"""The attention explorer: one folder for its state (state.py: ExplorerState, validate, the
parsing rules), its limits and colours (rules.json, read by Python and the page), its widget
(widget.py: an anywidget) and its page modules (explorer.js; steps.js, the worked steps;
standalone.js mounts them on a plain HTML page without Jupyter).

    from selfattn_lib.explorer import AttentionExplorer, page_payload
"""

from __future__ import annotations

from .payload import PANELS, page_payload
from .state import ExplorerState, InputError, validate

__all__ = ["AttentionExplorer", "ExplorerState", "InputError", "validate", "page_payload", "PANELS", "MODULE_FILES"]

# The files a plain page serves beside its HTML (tools/explorer_page.py copies them).
MODULE_FILES = ("explorer.js", "steps.js", "standalone.js", "explorer.css", "share.js", "export.js")


def __getattr__(name):
    if name == "AttentionExplorer":  # anywidget/ipywidgets only when a widget is wanted
        from .widget import AttentionExplorer

        return AttentionExplorer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
