"""Small ipywidgets: a matrix editor (notebook 01). The attention explorer lives in
`selfattn_lib.explorer` (one anywidget that computes and draws in the page); it is re-exported
here so `widgets.AttentionExplorer(...)` keeps working.

A refused entry changes nothing (the boxes show the matrix again) and says why next to its
control. No exception reaches ipywidgets: JupyterLab would show nothing and the widget would
look frozen. Nothing a learner types is evaluated: numbers are read by a regular expression.
"""

from __future__ import annotations

import functools
import html
import re

import ipywidgets as widgets
import numpy as np

from .attention import as_matrix
from .explorer.payload import PANELS
from .explorer.state import MAX_DIM, MAX_TOKENS, InputError, check_label, number_text, parse_matrix, parse_number
from .strings import DEFAULT_LANGUAGE, text

__all__ = [
    "MatrixEditor",
    "AttentionExplorer",  # noqa: F822 - re-exported lazily by __getattr__ below
    "parse_number",
    "parse_matrix",
    "InputError",
    "MAX_TOKENS",
    "MAX_DIM",
    "PANELS",
]


def _guarded(handler, show, language):
    """`handler` for a widget callback: an exception becomes `show(message)` next to the control,
    since JupyterLab shows nothing for it and the widget would just look frozen."""

    @functools.wraps(handler)
    def run(*args):
        try:
            handler(*args)
        except InputError as exc:
            show(exc.message(language))
        except Exception as exc:  # noqa: BLE001 - shown to the learner, never lost
            show(text("callback_failed", language, error=f"{type(exc).__name__}: {str(exc)[:200]}"))

    return run


def _error_html(message: str) -> str:
    return f'<span role="alert" style="color:#b00020">⚠ {html.escape(message)}</span>' if message else ""


def _info_html(message: str) -> str:
    return f'<span role="status" style="color:#1b5e20">{html.escape(message)}</span>' if message else ""


class _Shared:
    """Layout and style models shared by many widgets. A notebook stores one model per widget,
    per layout and per style, and a widget made with the defaults gets a layout and a style of
    its own: they were half of an explorer's models. Never change a shared one in place (that
    would change every widget using it); give the widget another one instead."""

    def __init__(self):
        self._models: dict = {}

    def make(self, kind, *args, layout=None, style=None, **attrs):
        """A `kind` widget whose layout and style (dicts of attributes, or models) are shared."""
        attrs["layout"] = layout if isinstance(layout, widgets.Layout) else self.layout(**(layout or {}))
        style_trait = kind.class_traits().get("style")
        if style_trait is not None:
            attrs["style"] = style if isinstance(style, widgets.Widget) else self._model(style_trait.klass, style or {})
        return kind(*args, **attrs)

    def layout(self, **attrs) -> widgets.Layout:
        return self._model(widgets.Layout, attrs)

    def _model(self, kind, attrs):
        key = (kind, tuple(sorted(attrs.items())))
        if key not in self._models:
            self._models[key] = kind(**attrs)
        return self._models[key]


class MatrixEditor(widgets.VBox):
    """A grid of number boxes with row and column labels, a box to paste a whole matrix, and
    a button restoring `reset_values`. `.value` is always the last valid matrix.

    On its own the editor keeps its matrix; inside the explorer, `owner` decides: each change is
    proposed to it as `owner(editor, matrix=..., label=(row, text), done=message)`, and the owner
    shows the outcome (`set_value`, `show_message`)."""

    def __init__(
        self,
        values,
        row_labels,
        col_labels,
        title="",
        reset_values=None,
        editable_row_labels=False,
        language=DEFAULT_LANGUAGE,
        name=None,
        owner=None,
        shared=None,
    ):
        self._shared = shared if shared is not None else _Shared()
        super().__init__(layout=self._shared.layout(margin="0 18px 10px 0", width="auto"))
        make = self._shared.make
        self.add_class("selfattn-matrix-editor")
        self._language = language
        self._value = as_matrix(values, "values")
        self._reset_values = None if reset_values is None else as_matrix(reset_values, "reset_values")
        self._row_labels = [str(r) for r in row_labels]
        self._col_labels = [str(c) for c in col_labels]
        self._editable_rows = editable_row_labels
        self._callbacks = []
        self._syncing = False
        self._owner = owner
        plain_title = html.unescape(re.sub("<[^>]+>", "", title)).strip()
        self._name = name or plain_title.split(":")[0] or "matrix"
        self.title = make(widgets.HTMLMath, title)
        self.message = make(widgets.HTML)
        self.message.add_class("selfattn-message")
        self.paste = make(
            widgets.Textarea,
            placeholder=text("paste_placeholder_pt" if language == "pt" else "paste_placeholder", language),
            tooltip=text("paste_label", language, name=self._name),
            layout=dict(width="100%", min_width="19em", height="5.8em"),
        )
        self.paste.add_class("selfattn-paste")
        self.paste_button = make(
            widgets.Button,
            description=text("paste_button", language),
            tooltip=text("paste_tooltip", language),
            layout=dict(width="auto"),
        )
        self.reset_button = make(
            widgets.Button,
            description=text("reset_button", language),
            tooltip=text("reset_tooltip", language),
            disabled=self._reset_values is None,
            layout=dict(width="auto"),
        )
        self.paste_button.on_click(self._guarded(self._on_paste))
        self.reset_button.on_click(self._guarded(self._on_reset))
        self.grid = make(widgets.GridBox)
        self._build_grid()
        self.children = [
            self.title,
            self.grid,
            self.paste,
            make(widgets.HBox, [self.paste_button, self.reset_button]),
            self.message,
        ]

    # --- public ---------------------------------------------------------------------------
    @property
    def value(self) -> np.ndarray:
        return self._value.copy()

    @property
    def row_labels(self) -> list[str]:
        return list(self._row_labels)

    def on_change(self, callback) -> None:
        """Call `callback(editor)` after every valid change made by the learner."""
        self._callbacks.append(callback)

    def set_value(self, values, row_labels=None, col_labels=None, reset_values=None) -> None:
        """Replace the matrix (any shape) from code; callbacks are not called."""
        values = as_matrix(values, "values")
        row_labels = self._row_labels if row_labels is None else [str(r) for r in row_labels]
        col_labels = self._col_labels if col_labels is None else [str(c) for c in col_labels]
        if len(row_labels) != values.shape[0] or len(col_labels) != values.shape[1]:
            raise ValueError(
                f"labels must match the shape {values.shape}: got {len(row_labels)} "
                f"row and {len(col_labels)} column labels"
            )
        if reset_values is not None:
            self._reset_values = as_matrix(reset_values, "reset_values")
            self.reset_button.disabled = False
        same_grid = values.shape == self._value.shape and col_labels == self._col_labels
        if same_grid and row_labels == self._row_labels and np.array_equal(values, self._value):
            return  # the boxes already show it (they are put back after a refused change anyway)
        self._value, self._row_labels, self._col_labels = values.copy(), row_labels, col_labels
        if same_grid:
            self._sync_cells()
            self._sync_labels()
        else:
            self._build_grid()

    def show_message(self, message: str, error: bool = True) -> None:
        self.message.value = _error_html(message) if error else _info_html(message)

    def __repr__(self) -> str:
        rows, cols = self._value.shape
        return f"MatrixEditor({html.unescape(re.sub('<[^>]+>', '', self.title.value))!r}, {rows} × {cols})"

    # --- grid --------------------------------------------------------------------------------
    def _build_grid(self) -> None:
        make = self._shared.make
        rows, cols = self._value.shape
        # One layout and one style for all boxes of a kind (see _Shared): a grid of separate
        # ones would triple the widget state a notebook stores.
        header = [make(widgets.HTML, "")] + [
            make(widgets.HTML, f'<div style="text-align:center;color:#555">{html.escape(c)}</div>')
            for c in self._col_labels
        ]
        self.cells = []
        self.row_boxes = []
        items = list(header)
        for r in range(rows):
            if self._editable_rows:
                # the tooltip becomes the input's title: its accessible name
                label = make(
                    widgets.Text,
                    value=self._row_labels[r],
                    continuous_update=False,
                    tooltip=text("label_tooltip", self._language, row=r + 1),
                    layout=dict(width="7.5em"),
                )
                label.add_class("selfattn-token")
                label.observe(self._guarded(functools.partial(self._on_label, r)), names="value")
            else:
                label = make(widgets.HTML, self._row_label_html(self._row_labels[r]))
            self.row_boxes.append(label)
            items.append(label)
            row_cells = []
            for c in range(cols):
                cell = make(
                    widgets.Text,
                    value=number_text(self._value[r, c], self._language),
                    continuous_update=False,
                    tooltip=text("cell_tooltip", self._language, name=self._name, row=r + 1, col=c + 1),
                    layout=dict(width="4.6em"),
                )
                cell.add_class("selfattn-cell")
                cell.observe(self._guarded(functools.partial(self._on_cell, r, c)), names="value")
                row_cells.append(cell)
                items.append(cell)
            self.cells.append(row_cells)
        first = "7.8em" if self._editable_rows else "auto"
        self.grid.children = items
        self.grid.layout = self._shared.layout(
            grid_template_columns=f"{first} repeat({cols}, 4.8em)", grid_gap="2px 2px", width="max-content"
        )
        self.grid.add_class("selfattn-grid")

    def _sync_cells(self) -> None:
        self._syncing = True
        try:
            for r, row in enumerate(self.cells):
                for c, cell in enumerate(row):
                    cell.value = number_text(self._value[r, c], self._language)
        finally:
            self._syncing = False

    def _sync_labels(self) -> None:
        self._syncing = True
        try:
            for box, label in zip(self.row_boxes, self._row_labels):
                if self._editable_rows:
                    box.value = label
                else:
                    box.value = self._row_label_html(label)
        finally:
            self._syncing = False

    def show_state(self) -> None:
        """Every box back to the matrix and labels in use (after a refused change)."""
        self._sync_cells()
        self._sync_labels()

    @staticmethod
    def _row_label_html(label: str) -> str:
        return f'<div style="text-align:right;color:#555;padding-right:4px">{html.escape(label)}</div>'

    def _notify(self) -> None:
        for callback in self._callbacks:
            callback(self)

    def _guarded(self, handler):
        def show(message):
            self.show_state()  # whatever failed, the boxes show what is really used
            self.show_message(message)

        return _guarded(handler, show, self._language)

    # --- learner actions ----------------------------------------------------------------------
    def _propose(self, matrix=None, label=None, done="") -> None:
        if self._owner is not None:
            self._owner(self, matrix=matrix, label=label, done=done)
            return
        if matrix is not None:
            self._value = np.array(matrix, dtype=float)
        if label is not None:
            self._row_labels[label[0]] = label[1]
        self.show_state()
        self.show_message(done, error=False)
        self._notify()

    def _on_cell(self, r, c, change) -> None:
        if self._syncing:
            return
        old = number_text(self._value[r, c], self._language)
        number = parse_number(change["new"], r + 1, c + 1, old, language=self._language)
        if number == self._value[r, c]:
            self.show_state()  # "0.50" typed for 0.5: the box shows the number in use
            return
        matrix = self._value.copy()
        matrix[r, c] = number
        self._propose(matrix=matrix)

    def _on_label(self, r, change) -> None:
        if self._syncing:
            return
        new = check_label(change["new"], old=self._row_labels[r])
        if new == self._row_labels[r]:
            self.show_state()
            return
        self._propose(label=(r, new))

    def _on_paste(self, _button=None) -> None:
        pasted = parse_matrix(self.paste.value, language=self._language)
        rows, cols = self._value.shape
        if pasted.shape != self._value.shape:
            what = text("rows_tokens" if self._editable_rows else "rows_dims", self._language)
            raise InputError(
                "paste_shape", rows=rows, cols=cols, what=what, got_rows=pasted.shape[0], got_cols=pasted.shape[1]
            )
        first = "  ".join(number_text(v, self._language) for v in pasted[0])
        self._propose(matrix=pasted, done=text("paste_done", self._language, rows=rows, cols=cols, first=first))

    def _on_reset(self, _button=None) -> None:
        if self._reset_values is None:
            raise InputError("no_reset")
        if self._reset_values.shape != self._value.shape:
            raise InputError(
                "reset_shape",
                rows=self._reset_values.shape[0],
                cols=self._reset_values.shape[1],
                now_rows=self._value.shape[0],
                now_cols=self._value.shape[1],
            )
        self._propose(matrix=self._reset_values.copy())


def __getattr__(name):
    # the explorer (an anywidget) only when it is asked for
    if name == "AttentionExplorer":
        from .explorer.widget import AttentionExplorer

        return AttentionExplorer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
