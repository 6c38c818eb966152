"""Widgets: a matrix editor and the attention explorer. They only wire controls to the math
(`self_attention`), the pictures (`plots`) and the written-out steps (`steps`).

Figures are built once per layout and then updated in place; their PNG bytes go into
`widgets.Image`, so a notebook stores nothing that changes from run to run. Every callback
catches its own errors and says what went wrong next to the control (JupyterLab would otherwise
show nothing, and the widget would just look frozen). Nothing a learner types is evaluated:
numbers are read by a regular expression.
"""
from __future__ import annotations

import base64
import functools
import html
import io
import json
import math
import re

import ipywidgets as widgets
from ipywidgets.widgets import widget_string  # TextStyle, HTMLStyle: not exported at the top
import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from . import plots, steps
from .attention import AttentionResult, as_matrix, self_attention
from .example import CHAPTER_SENTENCE, chapter_example
from .strings import DEFAULT_LANGUAGE, text

__all__ = ["MatrixEditor", "AttentionExplorer", "parse_number", "parse_matrix", "InputError",
           "MAX_TOKENS", "MAX_DIM", "PANELS"]

MAX_TOKENS = 10
_FIGURES_KEPT = 8  # laid-out figures an explorer keeps for reuse (a few MB at most)
MAX_DIM = 10
PANELS = ("Q", "K", "V", "scores", "weights", "contributions", "output", "steps")
EDITORS = ("X", "W_q", "W_k", "W_v")
CONFIG_FORMAT = "selfattn_lib.AttentionExplorer"

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_SEPARATOR = re.compile(r"[\s,]+")


class InputError(ValueError):
    """A learner's input that cannot be used; `key` and `values` select the message in `strings`."""

    def __init__(self, key: str, **values):
        super().__init__(text(key, **values))
        self.key, self.values = key, values

    def message(self, language: str) -> str:
        return text(self.key, language, **self.values)


def parse_number(value: str, row: int = 1, col: int = 1, old: str = "") -> float:
    """A finite float from text such as '-0.25' or '1e-3' (decimal mark '.'), else InputError."""
    cleaned = value.strip()
    if _NOT_FINITE.fullmatch(cleaned):
        raise InputError("not_finite", value=value, row=row, col=col, old=old)
    if not _NUMBER.fullmatch(cleaned):
        raise InputError("bad_number", value=value, row=row, col=col, old=old)
    number = float(cleaned)
    if not math.isfinite(number):  # e.g. 1e999
        raise InputError("not_finite", value=value, row=row, col=col, old=old)
    return number


def parse_matrix(pasted: str) -> np.ndarray:
    """Rows on lines, numbers separated by spaces, tabs or commas; brackets (as numpy prints
    arrays) are ignored. Raises InputError naming the first line that cannot be read."""
    rows = []
    for number, line in enumerate(pasted.splitlines(), start=1):
        cells = [c for c in _SEPARATOR.split(line.replace("[", " ").replace("]", " ")) if c]
        if not cells:
            continue
        row = []
        for cell in cells:
            if _NOT_FINITE.fullmatch(cell):
                raise InputError("paste_not_finite", line=number, value=cell)
            if not _NUMBER.fullmatch(cell):
                raise InputError("paste_bad_number", line=number, value=cell)
            value = float(cell)
            if not math.isfinite(value):
                raise InputError("paste_not_finite", line=number, value=cell)
            row.append(value)
        if rows and len(row) != len(rows[0]):
            raise InputError("paste_ragged", line=number, got=len(row), expected=len(rows[0]))
        rows.append(row)
    if not rows:
        raise InputError("paste_empty")
    return np.array(rows, dtype=float)


def _cell_text(value: float) -> str:
    """How a number appears in its box: short, and exact when that is short too."""
    value = float(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    exact = repr(value)
    return exact if len(exact) <= 8 else f"{value:.6g}"


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
            show(text("callback_failed", language, error=f"{type(exc).__name__}: {exc}"))
    return run


def _error_html(message: str) -> str:
    return f'<span style="color:#b00020">⚠ {html.escape(message)}</span>' if message else ""


def _info_html(message: str) -> str:
    return f'<span style="color:#1b5e20">{html.escape(message)}</span>' if message else ""


class MatrixEditor(widgets.VBox):
    """A grid of number boxes with row and column labels, a box to paste a whole matrix, and
    a button restoring `reset_values`. `.value` is always the last valid matrix."""

    def __init__(self, values, row_labels, col_labels, title="", reset_values=None,
                 editable_row_labels=False, language=DEFAULT_LANGUAGE):
        super().__init__(layout=widgets.Layout(margin="0 18px 10px 0", width="auto"))
        self.add_class("selfattn-matrix-editor")
        self._language = language
        self._value = as_matrix(values, "values")
        self._reset_values = None if reset_values is None else as_matrix(reset_values, "reset_values")
        self._row_labels = [str(r) for r in row_labels]
        self._col_labels = [str(c) for c in col_labels]
        self._editable_rows = editable_row_labels
        self._callbacks = []
        self._syncing = False
        self.title = widgets.HTMLMath(title)
        self.message = widgets.HTML()
        self.message.add_class("selfattn-message")
        self.paste = widgets.Textarea(placeholder=text("paste_placeholder", language),
                                      layout=widgets.Layout(width="100%", min_width="19em", height="5.8em"))
        self.paste_button = widgets.Button(description=text("paste_button", language),
                                           tooltip=text("paste_tooltip", language),
                                           layout=widgets.Layout(width="auto"))
        self.reset_button = widgets.Button(description=text("reset_button", language),
                                           tooltip=text("reset_tooltip", language),
                                           disabled=self._reset_values is None,
                                           layout=widgets.Layout(width="auto"))
        self.paste_button.on_click(self._guarded(self._on_paste))
        self.reset_button.on_click(self._guarded(self._on_reset))
        self.grid = widgets.GridBox()
        self._build_grid()
        self.children = [self.title, self.grid, self.paste,
                         widgets.HBox([self.paste_button, self.reset_button]), self.message]

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
        old_labels = (self._row_labels, self._col_labels)
        if row_labels is not None:
            self._row_labels = [str(r) for r in row_labels]
        if col_labels is not None:
            self._col_labels = [str(c) for c in col_labels]
        if reset_values is not None:
            self._reset_values = as_matrix(reset_values, "reset_values")
            self.reset_button.disabled = False
        if len(self._row_labels) != values.shape[0] or len(self._col_labels) != values.shape[1]:
            raise ValueError(f"labels must match the shape {values.shape}: got {len(self._row_labels)} "
                             f"row and {len(self._col_labels)} column labels")
        same_grid = values.shape == self._value.shape and old_labels[1] == self._col_labels
        self._value = values.copy()
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
        rows, cols = self._value.shape
        # One Layout and one style shared by all boxes of a kind: a notebook stores one model
        # per widget, and a grid of separate ones would triple its size.
        cell_layout = widgets.Layout(width="4.6em")
        label_layout = widgets.Layout(width="7.5em")
        text_style = widget_string.TextStyle()
        html_style = widget_string.HTMLStyle()
        html_layout = widgets.Layout()
        header = [widgets.HTML("", style=html_style, layout=html_layout)] + [
            widgets.HTML(f'<div style="text-align:center;color:#555">{html.escape(c)}</div>',
                         style=html_style, layout=html_layout)
            for c in self._col_labels]
        self.cells = []
        self.row_boxes = []
        items = list(header)
        for r in range(rows):
            if self._editable_rows:
                label = widgets.Text(value=self._row_labels[r], continuous_update=False,
                                     layout=label_layout, style=text_style)
                label.add_class("selfattn-token")
                label.observe(self._guarded(functools.partial(self._on_label, r)), names="value")
            else:
                label = widgets.HTML(self._row_label_html(self._row_labels[r]), style=html_style,
                                     layout=html_layout)
            self.row_boxes.append(label)
            items.append(label)
            row_cells = []
            for c in range(cols):
                cell = widgets.Text(value=_cell_text(self._value[r, c]), continuous_update=False,
                                    tooltip=text("cell_tooltip", self._language, row=r + 1, col=c + 1),
                                    layout=cell_layout, style=text_style)
                cell.add_class("selfattn-cell")
                cell.observe(self._guarded(functools.partial(self._on_cell, r, c)), names="value")
                row_cells.append(cell)
                items.append(cell)
            self.cells.append(row_cells)
        first = "7.8em" if self._editable_rows else "auto"
        self.grid.children = items
        self.grid.layout = widgets.Layout(grid_template_columns=f"{first} repeat({cols}, 4.8em)",
                                          grid_gap="2px 2px", width="max-content")
        self.grid.add_class("selfattn-grid")

    def _sync_cells(self) -> None:
        self._syncing = True
        try:
            for r, row in enumerate(self.cells):
                for c, cell in enumerate(row):
                    cell.value = _cell_text(self._value[r, c])
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

    @staticmethod
    def _row_label_html(label: str) -> str:
        return f'<div style="text-align:right;color:#555;padding-right:4px">{html.escape(label)}</div>'

    def _notify(self) -> None:
        for callback in self._callbacks:
            callback(self)

    def _guarded(self, handler):
        return _guarded(handler, self.show_message, self._language)

    # --- learner actions ----------------------------------------------------------------------
    def _on_cell(self, r, c, change) -> None:
        if self._syncing:
            return
        old = _cell_text(self._value[r, c])
        try:
            number = parse_number(change["new"], r + 1, c + 1, old)
        except InputError:
            self._syncing = True
            try:
                self.cells[r][c].value = old  # the box shows what is really used
            finally:
                self._syncing = False
            raise
        if number == self._value[r, c]:
            return
        self._value[r, c] = number
        self.show_message("")
        self._notify()

    def _on_label(self, r, change) -> None:
        if self._syncing:
            return
        new = change["new"].strip()
        if not new:
            old = self._row_labels[r]
            self._syncing = True
            try:
                self.row_boxes[r].value = old
            finally:
                self._syncing = False
            raise InputError("empty_token", old=old)
        self._row_labels[r] = new
        self.show_message("")
        self._notify()

    def _on_paste(self, _button=None) -> None:
        pasted = parse_matrix(self.paste.value)
        rows, cols = self._value.shape
        if pasted.shape != self._value.shape:
            what = text("rows_tokens" if self._editable_rows else "rows_dims", self._language)
            raise InputError("paste_shape", rows=rows, cols=cols, what=what,
                             got_rows=pasted.shape[0], got_cols=pasted.shape[1])
        self._value = pasted
        self._sync_cells()
        self.show_message(text("paste_done", self._language, rows=rows, cols=cols), error=False)
        self._notify()

    def _on_reset(self, _button=None) -> None:
        if self._reset_values is None:
            raise InputError("no_reset")
        if self._reset_values.shape != self._value.shape:
            raise InputError("reset_shape", rows=self._reset_values.shape[0], cols=self._reset_values.shape[1],
                             now_rows=self._value.shape[0], now_cols=self._value.shape[1])
        self._value = self._reset_values.copy()
        self._sync_cells()
        self.show_message("")
        self._notify()


# --- figures drawn once, then updated in place ---------------------------------------------------

def _png(fig: Figure) -> bytes:
    rgba = np.asarray(fig.canvas.buffer_rgba())
    buffer = io.BytesIO()
    # RGB, fast compression: a few ms per figure, and the same bytes for the same picture.
    PILImage.fromarray(np.ascontiguousarray(rgba[..., :3])).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class _LiveFigure:
    """A figure laid out once; later updates redraw only its changing artists over a saved
    background (blitting), which skips every tick label, title and legend."""

    def __init__(self, dpi: int = 90):
        self.fig = Figure(dpi=dpi)
        FigureCanvasAgg(self.fig)
        self._background = None
        self._dynamic = []

    def build(self, size, draw, layout="compressed") -> None:
        """Draw with `draw(fig)`, which returns the artists that change later.
        `layout=None`: `draw` places the axes itself (no layout engine: faster)."""
        self.fig.set_layout_engine(layout)
        self.fig.set_size_inches(*size)
        dynamic = draw(self.fig)
        for artist in dynamic:
            artist.set_animated(True)
        self.fig.canvas.draw()  # lays out once, draws the static parts
        self.fig.set_layout_engine("none")  # later frames keep this layout
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        self._dynamic = dynamic

    def redraw_background(self) -> None:
        """After a change to a static part (an axis range): draw the static parts again."""
        self.fig.canvas.draw()
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)

    def png(self) -> bytes:
        canvas = self.fig.canvas
        canvas.restore_region(self._background)
        for artist in self._dynamic:
            self.fig.draw_artist(artist)
        return _png(self.fig)


_SIGNED = colormaps[plots.SIGNED_CMAP]  # a copy (the registry hands out copies): look it up once


def _table_html(M, row_labels, col_labels, title, name) -> str:
    """A matrix as an HTML table, cells coloured on the plots' diverging scale (4 decimals).
    `name` ("Q", "K", "V", "output") goes into data-name, a hook for tests and styles that
    does not change when the title is reworded or translated."""
    norm = plots._signed_norm(M)
    cmap = _SIGNED
    colors = cmap(norm(M))
    light = colors[..., :3] @ np.array([0.299, 0.587, 0.114]) > 0.55
    cell = "padding:1px 6px;text-align:right;font-family:monospace;font-size:12px"
    head = "".join(f'<th style="padding:1px 6px;color:#555;font-weight:normal">{html.escape(str(c))}</th>'
                   for c in col_labels)
    body = []
    for r, label in enumerate(row_labels):
        tds = "".join(
            f'<td style="{cell};background:{_hex(colors[r, c])};color:{"#000" if light[r, c] else "#fff"}">'
            f"{M[r, c]:.4f}</td>" for c in range(M.shape[1]))
        body.append(f'<tr><th style="padding:1px 6px;text-align:right;color:#555;font-weight:normal">'
                    f"{html.escape(str(label))}</th>{tds}</tr>")
    return (f'<div style="margin:0 16px 8px 0"><div style="font-weight:bold;margin-bottom:2px">'
            f"{html.escape(title)}</div><table class=\"selfattn-table\" data-name=\"{html.escape(name)}\" "
            f"style=\"border-collapse:collapse\"><tr><th></th>{head}</tr>"
            f'{"".join(body)}</table></div>')


def _hex(rgba) -> str:
    r, g, b = (int(round(255 * x)) for x in rgba[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


# --- the explorer ---------------------------------------------------------------------------------

class AttentionExplorer(widgets.VBox):
    """Edit X, W^Q, W^K, W^V (and tokens, sizes, mask, scaling) and watch every intermediate
    follow. `.result` is the AttentionResult of the current, last valid inputs.

    `panels` chooses the live views (any of PANELS), `editors` the matrices offered for editing
    (any of "X", "W_q", "W_k", "W_v"; the others stay as they are), so a notebook can show just
    its own step.
    """

    def __init__(self, example=None, panels=None, editors=None, language=DEFAULT_LANGUAGE):
        super().__init__()
        self.add_class("selfattn-explorer")
        self._language = language
        self._chapter = chapter_example()
        example = example if example is not None else self._chapter
        self.panels = tuple(PANELS if panels is None else panels)
        self.shown_editors = tuple(EDITORS if editors is None else editors)
        unknown = set(self.panels) - set(PANELS) | set(self.shown_editors) - set(EDITORS)
        if unknown:
            raise ValueError(f"panels must be among {PANELS} and editors among {EDITORS}; got {sorted(unknown)}")
        self._quiet = False
        self._result: AttentionResult | None = None
        # Figures already laid out, by layout key: toggling back (mask, focus, a token added
        # then removed) reuses one instead of laying it out again.
        self._figures: dict = {}
        self._attention = self._contributions = None  # the ones on screen
        config = self._config_of(example, causal=True, scaled=True, focus=None)
        self._build_controls(config)
        self._build_views()
        self._apply_config(config)
        self.children = self._layout()

    # --- public ---------------------------------------------------------------------------------
    @property
    def result(self) -> AttentionResult:
        return self._result

    @property
    def tokens(self) -> list[str]:
        return self.editors["X"].row_labels

    @property
    def X(self) -> np.ndarray:
        return self.editors["X"].value

    @property
    def W_q(self) -> np.ndarray:
        return self.editors["W_q"].value

    @property
    def W_k(self) -> np.ndarray:
        return self.editors["W_k"].value

    @property
    def W_v(self) -> np.ndarray:
        return self.editors["W_v"].value

    def to_json(self) -> str:
        """The whole configuration (tokens, matrices, toggles, focus) as JSON text."""
        parts = [f' "format": {json.dumps(CONFIG_FORMAT)}', ' "version": 1',
                 f' "tokens": {json.dumps(self.tokens, ensure_ascii=False)}']
        for name in EDITORS:
            rows = ",\n".join(f"  {json.dumps(row)}" for row in self.editors[name].value.tolist())
            parts.append(f' "{name}": [\n{rows}\n ]')
        parts += [f' "causal": {json.dumps(bool(self.causal.value))}',
                  f' "scaled": {json.dumps(bool(self.scaled.value))}',
                  f' "focus": {int(self.focus.value)}']
        return "{\n" + ",\n".join(parts) + "\n}\n"

    def load_json(self, config_text: str) -> None:
        """Load a configuration from `to_json`; raises InputError (nothing changed) if unusable."""
        try:
            data = json.loads(config_text)
        except json.JSONDecodeError as exc:
            raise InputError("bad_json", error=str(exc)) from None
        self._apply_config(self._validated(data))

    def reset(self) -> None:
        """Back to the chapter's example: its tokens, matrices, causal and scaled."""
        self._apply_config(self._config_of(self._chapter, causal=True, scaled=True, focus=None))

    def overview(self):
        """A plain figure of the current state, for readers without a running kernel."""
        return plots.overview(self._result, self.tokens, i=int(self.focus.value), language=self._language)

    def __repr__(self) -> str:
        result = self._result
        mode = steps.mode_label(result, self._language)
        focus = int(self.focus.value)
        return text("repr", self._language, n=result.n, tokens=", ".join(self.tokens),
                    d_model=self.X.shape[1], d_k=result.d_k, d_v=result.d_v, mode=mode,
                    focus=f"{focus + 1} ({self.tokens[focus]})")

    # --- building -------------------------------------------------------------------------------
    def _t(self, key, **values):
        return text(key, self._language, **values)

    def _build_controls(self, config) -> None:
        t = self._t
        self.editors = {}
        titles = {"X": "editor_X", "W_q": "editor_W_q", "W_k": "editor_W_k", "W_v": "editor_W_v"}
        dims = [str(c + 1) for c in range(config["X"].shape[1])]
        for name in EDITORS:
            M = config[name]
            rows = config["tokens"] if name == "X" else dims
            editor = MatrixEditor(M, rows, [str(c + 1) for c in range(M.shape[1])],
                                  title=f"<b>{t(titles[name])}</b>", reset_values=getattr(self._chapter, name),
                                  editable_row_labels=(name == "X"), language=self._language)
            editor.on_change(self._guarded(functools.partial(self._on_edit, name), editor))
            editor.add_class(f"selfattn-editor-{name}")
            self.editors[name] = editor
        self.message = widgets.HTML()
        self.message.add_class("selfattn-message")
        self.add_token = widgets.Button(description=t("add_token"), icon="plus", layout=widgets.Layout(width="auto"))
        self.remove_token = widgets.Button(description=t("remove_token"), icon="minus",
                                           layout=widgets.Layout(width="auto"))
        self.add_token.on_click(self._guarded(self._on_add_token))
        self.remove_token.on_click(self._guarded(self._on_remove_token))
        size = dict(min=1, max=MAX_DIM, layout=widgets.Layout(width="10.5em"),
                    style={"description_width": "5.5em"})
        self.d_model = widgets.BoundedIntText(value=1, description=t("d_model"), **size)
        self.d_k = widgets.BoundedIntText(value=1, description=t("d_k"), **size)
        self.d_v = widgets.BoundedIntText(value=1, description=t("d_v"), **size)
        for box in (self.d_model, self.d_k, self.d_v):
            box.observe(self._guarded(self._on_size), names="value")
        self.fill = widgets.ToggleButtons(options=[(t("fill_zeros"), "zeros"), (t("fill_random"), "random")],
                                          value="zeros", description=t("new_entries"),
                                          tooltips=[t("fill_tooltip")] * 2,
                                          style={"button_width": "auto", "description_width": "auto"})
        self.seed = widgets.IntText(value=0, description=t("seed"), layout=widgets.Layout(width="9em"),
                                    style={"description_width": "3em"})
        self.causal = widgets.ToggleButtons(options=[(t("causal"), True), (t("bidirectional"), False)],
                                            value=True, description=t("causal_toggle"),
                                            tooltips=[t("causal_tooltip"), t("bidirectional_tooltip")],
                                            style={"button_width": "auto", "description_width": "auto"})
        self.scaled = widgets.Checkbox(value=True, description=t("scaled"), indent=False,
                                       layout=widgets.Layout(width="auto"))
        # Classes: stable hooks for tests and styles, whatever the words or the layout.
        self.causal.add_class("selfattn-mask")
        self.scaled.add_class("selfattn-scaled")
        self.causal.observe(self._guarded(self._on_toggle), names="value")
        self.scaled.observe(self._guarded(self._on_toggle), names="value")
        self.focus = widgets.Dropdown(options=[("1", 0)], value=0, description=t("focus"),
                                      style={"description_width": "auto"}, layout=widgets.Layout(width="auto"))
        self.focus.add_class("selfattn-focus")
        self.focus.observe(self._guarded(self._on_focus), names="value")
        self.reset_all = widgets.Button(description=t("reset_all"), tooltip=t("reset_all_tooltip"),
                                        icon="undo", button_style="warning", layout=widgets.Layout(width="auto"))
        self.reset_all.on_click(self._guarded(lambda _b: self.reset()))
        # save / load
        self.json_text = widgets.Textarea(placeholder=t("json_placeholder"),
                                          layout=widgets.Layout(width="100%", height="12em"))
        self.export_button = widgets.Button(description=t("export"), icon="download")
        self.load_button = widgets.Button(description=t("load"), icon="upload")
        self.upload = widgets.FileUpload(accept=".json", multiple=False, description=t("upload"))
        self.download = widgets.HTML()
        self.file_message = widgets.HTML()
        self.export_button.on_click(self._guarded(self._on_export, self.file_message))
        self.load_button.on_click(self._guarded(self._on_load, self.file_message))
        self.upload.observe(self._guarded(self._on_upload, self.file_message), names="value")

    def _build_views(self) -> None:
        self.qkv_view = widgets.HTML()
        self.attention_image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.contributions_image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.output_view = widgets.HTML()
        self.steps_view = widgets.HTMLMath()
        self.attention_image.add_class("selfattn-attention-image")
        self.contributions_image.add_class("selfattn-contributions-image")
        self.steps_view.add_class("selfattn-steps")

    def _layout(self) -> list:
        t = self._t
        shown = [self.editors[name] for name in self.shown_editors]
        editors = widgets.HBox(shown, layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))
        sizes = widgets.HBox([self.add_token, self.remove_token, self.d_model, self.d_k, self.d_v],
                             layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        fills = widgets.HBox([self.fill, self.seed], layout=widgets.Layout(flex_flow="row wrap"))
        toggles = widgets.HBox([self.causal, self.scaled, self.focus, self.reset_all],
                               layout=widgets.Layout(flex_flow="row wrap", align_items="center",
                                                     grid_gap="4px 16px"))
        save = widgets.VBox([self.json_text, widgets.HBox([self.export_button, self.load_button, self.upload]),
                             self.download, self.file_message])
        saving = widgets.Accordion(children=[save], titles=(t("save_title"),), selected_index=None)
        children = [widgets.HTML(f"<h3 style='margin:4px 0'>{html.escape(t('title'))}</h3>"
                                 f"<div style='color:#444'>{html.escape(t('intro'))}</div>"),
                    editors, sizes, fills, toggles, self.message, saving]
        if {"Q", "K", "V"} & set(self.panels):
            children.append(self.qkv_view)
        if {"scores", "weights"} & set(self.panels):
            children.append(self.attention_image)
        bottom = []
        if "contributions" in self.panels:
            bottom.append(self.contributions_image)
        if "output" in self.panels:
            bottom.append(self.output_view)
        if bottom:
            children.append(widgets.HBox(bottom, layout=widgets.Layout(flex_flow="row wrap", align_items="center")))
        if "steps" in self.panels:
            children.append(self.steps_view)
        return children

    # --- callbacks (each guarded: errors become a message next to the control) --------------------
    def _guarded(self, handler, where=None):
        place = where if where is not None else self.message
        return _guarded(handler, functools.partial(self._say, place), self._language)

    @staticmethod
    def _say(place, message, error=True):
        if isinstance(place, MatrixEditor):
            place.show_message(message, error)
        else:
            place.value = _error_html(message) if error else _info_html(message)

    def _on_edit(self, name, editor) -> None:
        if not self._recompute(editor):
            return
        self._draw()

    def _on_toggle(self, _change) -> None:
        if self._quiet:
            return
        if self._recompute(self.message):
            self._draw()

    def _on_focus(self, _change) -> None:
        if self._quiet:
            return
        self._draw(focus_only=True)

    def _on_size(self, _change) -> None:
        if self._quiet:
            return
        d_model, d_k, d_v = self.d_model.value, self.d_k.value, self.d_v.value
        n = self.X.shape[0]
        self._resize(n, d_model, d_k, d_v)

    def _on_add_token(self, _button=None) -> None:
        n = self.X.shape[0]
        if n >= MAX_TOKENS:
            raise InputError("too_many_tokens", limit=MAX_TOKENS)
        label = CHAPTER_SENTENCE[n] if n < len(CHAPTER_SENTENCE) else self._t("new_token", index=n + 1)
        self._resize(n + 1, self.X.shape[1], self.W_q.shape[1], self.W_v.shape[1], new_label=label)

    def _on_remove_token(self, _button=None) -> None:
        n = self.X.shape[0]
        if n <= 1:
            raise InputError("too_few_tokens")
        self._resize(n - 1, self.X.shape[1], self.W_q.shape[1], self.W_v.shape[1])

    def _on_export(self, _button=None) -> None:
        config = self.to_json()
        self.json_text.value = config
        payload = base64.b64encode(config.encode("utf-8")).decode("ascii")
        name = "attention-explorer.json"
        self.download.value = (f'<a download="{name}" href="data:application/json;charset=utf-8;base64,{payload}" '
                               f'style="text-decoration:underline">{html.escape(self._t("download", name=name))}</a>')
        self._say(self.file_message, self._t("exported"), error=False)

    def _on_load(self, _button=None) -> None:
        self.load_json(self.json_text.value)
        self._say(self.file_message, self._loaded_message(), error=False)

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        content = bytes(files[0]["content"]).decode("utf-8")
        self.json_text.value = content
        self.load_json(content)
        self._say(self.file_message, self._loaded_message(), error=False)

    def _loaded_message(self) -> str:
        r = self._result
        return self._t("loaded", n=r.n, d_model=self.X.shape[1], d_k=r.d_k, d_v=r.d_v)

    # --- state --------------------------------------------------------------------------------------
    def _recompute(self, place) -> bool:
        """Compute from the editors; on failure say why at `place` and keep the last result."""
        try:
            result = self_attention(self.X, self.W_q, self.W_k, self.W_v,
                                    causal=bool(self.causal.value), scaled=bool(self.scaled.value))
        except ValueError as exc:
            self._say(place, self._t("compute_failed", error=str(exc)))
            return False
        self._result = result
        self._say(self.message, "")
        return True

    def _new_entries(self, shape, salt: int, scale: float) -> np.ndarray:
        if self.fill.value == "zeros":
            return np.zeros(shape)
        # Seeded by (seed, which matrix, shape): the same choices give the same numbers.
        rng = np.random.default_rng([int(self.seed.value) & 0xFFFFFFFF, salt, *shape])
        return np.round(rng.normal(0.0, scale, size=shape), 1)

    def _grown(self, M, shape, salt, scale) -> np.ndarray:
        grown = self._new_entries(shape, salt, scale)
        rows, cols = min(shape[0], M.shape[0]), min(shape[1], M.shape[1])
        grown[:rows, :cols] = M[:rows, :cols]
        return grown

    def _resize(self, n, d_model, d_k, d_v, new_label=None) -> None:
        tokens = self.tokens[:n] + ([new_label] if new_label is not None and n > len(self.tokens) else [])
        config = {
            "tokens": tokens,
            "X": self._grown(self.X, (n, d_model), 0, 1.0),
            "W_q": self._grown(self.W_q, (d_model, d_k), 1, 0.3),
            "W_k": self._grown(self.W_k, (d_model, d_k), 2, 0.3),
            "W_v": self._grown(self.W_v, (d_model, d_v), 3, 0.3),
            "causal": bool(self.causal.value),
            "scaled": bool(self.scaled.value),
            "focus": min(int(self.focus.value), n - 1),
        }
        self._apply_config(self._validated(config))

    def _config_of(self, example, causal, scaled, focus) -> dict:
        config = {"tokens": [str(t) for t in example.tokens], "X": example.X, "W_q": example.W_q,
                  "W_k": example.W_k, "W_v": example.W_v, "causal": causal, "scaled": scaled, "focus": focus}
        return self._validated(config)

    def _validated(self, data) -> dict:
        """A complete, checked configuration, or InputError('bad_config') saying what is wrong."""
        try:
            if not isinstance(data, dict):
                raise ValueError(self._t("config_not_object"))
            missing = [k for k in ("tokens", *EDITORS) if k not in data]
            if missing:
                raise ValueError(self._t("config_missing", names=", ".join(missing)))
            tokens = data["tokens"]
            if not isinstance(tokens, list) or not all(isinstance(t, str) and t.strip() for t in tokens):
                raise ValueError(self._t("config_tokens"))
            matrices = {name: as_matrix(data[name], name) for name in EDITORS}
            n, d_model = matrices["X"].shape
            if len(tokens) != n:
                raise ValueError(self._t("config_token_count", tokens=len(tokens), rows=n))
            if not 1 <= n <= MAX_TOKENS:
                raise ValueError(self._t("too_many_tokens", limit=MAX_TOKENS))
            causal, scaled = data.get("causal", True), data.get("scaled", True)
            if not isinstance(causal, bool) or not isinstance(scaled, bool):
                raise ValueError(self._t("config_flags"))
            result = self_attention(matrices["X"], matrices["W_q"], matrices["W_k"], matrices["W_v"],
                                    causal=causal, scaled=scaled)
            for name, size in (("d_model", d_model), ("d_k", result.d_k), ("d_v", result.d_v)):
                if size > MAX_DIM:
                    raise ValueError(self._t("size_range", name=name, limit=MAX_DIM))
            focus = data.get("focus")
            focus = n - 1 if focus is None else focus
            if isinstance(focus, bool) or not isinstance(focus, int) or not 0 <= focus < n:
                raise ValueError(self._t("config_focus", last=n - 1))
        except ValueError as exc:
            raise InputError("bad_config", error=str(exc)) from None
        return {"tokens": [t.strip() for t in tokens], **matrices, "causal": causal, "scaled": scaled,
                "focus": focus, "result": result}

    def _apply_config(self, config) -> None:
        """Show a validated configuration in every control, then draw it (one recompute)."""
        tokens, X = config["tokens"], config["X"]
        n, d_model = X.shape
        d_k, d_v = config["W_q"].shape[1], config["W_v"].shape[1]
        dims = [str(c + 1) for c in range(d_model)]
        chapter = self._chapter
        self._quiet = True
        try:
            self.editors["X"].set_value(X, tokens, dims, reset_values=chapter.X)
            self.editors["W_q"].set_value(config["W_q"], dims, [str(c + 1) for c in range(d_k)], chapter.W_q)
            self.editors["W_k"].set_value(config["W_k"], dims, [str(c + 1) for c in range(d_k)], chapter.W_k)
            self.editors["W_v"].set_value(config["W_v"], dims, [str(c + 1) for c in range(d_v)], chapter.W_v)
            for editor in self.editors.values():
                editor.show_message("")
            self.d_model.value, self.d_k.value, self.d_v.value = d_model, d_k, d_v
            self.causal.value, self.scaled.value = config["causal"], config["scaled"]
            self._set_focus_options(tokens, config["focus"])
        finally:
            self._quiet = False
        self._result = config["result"]
        self._say(self.message, "")
        self._draw()

    def _set_focus_options(self, tokens, focus) -> None:
        options = [(self._t("focus_option", index=i + 1, token=t), i) for i, t in enumerate(tokens)]
        if list(self.focus.options) != options:
            self.focus.options = options
        self.focus.value = focus

    # --- drawing ----------------------------------------------------------------------------------------
    def _draw(self, focus_only=False) -> None:
        result, tokens = self._result, self.tokens
        if not focus_only:
            self._quiet = True
            try:
                self._set_focus_options(tokens, min(int(self.focus.value), result.n - 1))
            finally:
                self._quiet = False
        focus = int(self.focus.value)
        if focus_only:
            if "weights" in self.panels:  # only the outline of the focus row moves
                self.attention_image.value = self._attention_png(result, tokens, focus, numbers=False)
        else:
            if {"Q", "K", "V"} & set(self.panels):
                self.qkv_view.value = self._qkv_html(result, tokens)
            if {"scores", "weights"} & set(self.panels):
                self.attention_image.value = self._attention_png(result, tokens, focus)
            if "output" in self.panels:
                self.output_view.value = _table_html(
                    result.output, tokens, [str(c + 1) for c in range(result.d_v)], self._t("view_output"),
                    "output")
        if "contributions" in self.panels:
            self.contributions_image.value = self._contributions_png(result, tokens, focus)
        if "steps" in self.panels:
            worked = steps.worked_steps(result, self.X, self.W_q, tokens, focus)
            self.steps_view.value = (f"<details open><summary><b>{html.escape(self._t('view_steps'))}</b>"
                                     f"</summary>{worked.html}</details>")

    def _figure(self, view: str, key) -> tuple[_LiveFigure, bool]:
        """The figure of `view` laid out for `key`, and whether it still has to be drawn."""
        cache_key = (view, key)
        if cache_key in self._figures:
            self._figures[cache_key] = self._figures.pop(cache_key)  # most recently used last
            return self._figures[cache_key], False
        if len(self._figures) >= _FIGURES_KEPT:
            self._figures.pop(next(iter(self._figures)))
        self._figures[cache_key] = _LiveFigure()
        return self._figures[cache_key], True

    def _qkv_html(self, result, tokens) -> str:
        parts = []
        for name, M in (("Q", result.Q), ("K", result.K), ("V", result.V)):
            if name in self.panels:
                parts.append(_table_html(M, tokens, [str(c + 1) for c in range(M.shape[1])],
                                         self._t(f"view_{name}"), name))
        return f'<div style="display:flex;flex-wrap:wrap">{"".join(parts)}</div>'

    def _attention_png(self, result, tokens, focus, numbers=True) -> bytes:
        """Scores and weights; the focus row outlined on the weights. `numbers=False`: the
        numbers on screen are current, only the outline moves."""
        which = [p for p in ("scores", "weights") if p in self.panels]
        key = (result.n, result.causal, result.scaled, tuple(tokens), tuple(which))
        live, fresh = self._figure("attention", key)
        self._attention = live
        if fresh:
            longest = max(len(t) for t in tokens)
            side = 3.1 + 0.12 * max(result.n - 3, 0) + 0.06 * longest
            size = (4.4 * len(which) + 0.1 * longest, side)

            def draw(fig):
                axes = fig.subplots(1, len(which), squeeze=False)[0]
                dynamic = []
                for ax, name in zip(axes, which):
                    if name == "scores":
                        # No colour bar: its range would follow every edit and cost a full
                        # redraw; the numbers are in the cells, red above 0, blue below.
                        image = plots.scores_heatmap(result, tokens, ax=ax, colorbar=False, language=self._language)
                        live.scores = image
                    else:
                        image = plots.weights_heatmap(result, tokens, ax=ax, language=self._language)
                        live.weights = image
                        # The row that the contributions and the steps explain; moved, not redrawn.
                        live.focus_outline = plots.outline_row(image, focus)
                    dynamic += [image, *image._mask_patches, *image._cells]
                if "weights" in which:
                    dynamic.append(live.focus_outline)  # last: drawn over the cells
                return dynamic

            live.build(size, draw)
        else:
            if "scores" in which and numbers:
                plots.update_heatmap(live.scores, result.scores, result.mask)
            if "weights" in which:
                if numbers:
                    plots.update_heatmap(live.weights, result.weights, result.mask)
                plots.move_outline(live.focus_outline, focus)
        return live.png()

    def _contributions_png(self, result, tokens, focus) -> bytes:
        key = (result.n, result.d_v, result.causal, focus, tuple(tokens))
        live, fresh = self._figure("contributions", key)
        self._contributions = live
        if fresh:
            longest = max(len(t) for t in tokens)
            legend_width = 1.3 + 0.075 * longest  # inches, for "αᵢ,ⱼ vⱼ (token)"
            width, height = 3.3 + 0.3 * result.d_v + legend_width, 3.2

            def draw(fig):
                # Placed by hand: a layout engine would cost more than all the rest on a
                # new focus token, which needs a figure of its own.
                left, bottom, top = 0.75, 0.55, 0.4
                ax = fig.add_axes((left / width, bottom / height,
                                   (width - left - legend_width - 0.2) / width, (height - bottom - top) / height))
                live.bars = plots.contributions(result, tokens, focus, ax=ax, language=self._language)
                live.ax = ax
                legend = ax.get_legend()
                handles, labels = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
                legend.remove()  # a figure legend is drawn once, with the static background
                fig.legend(handles, labels, loc="upper left", fontsize=8, frameon=False,
                           bbox_to_anchor=((width - legend_width) / width, 1 - top / height))
                return [artist for bars in live.bars for artist in bars] + [ax._contribution_total]

            live.build((width, height), draw, layout=None)
        else:
            before = live.ax.get_ylim()
            plots.update_contributions(live.ax, live.bars, result, focus)
            low, high = live.ax.get_ylim()
            old_low, old_high = before
            # Keep the old axis (static, in the background) while the bars fit in it and fill
            # at least half of it; otherwise redraw the background with the new limits.
            if low >= old_low and high <= old_high and (high - low) >= 0.5 * (old_high - old_low):
                live.ax.set_ylim(before)
            else:  # with headroom, so the next small edits fit without another full redraw
                margin = 0.15 * (high - low)
                live.ax.set_ylim(low - margin, high + margin)
                live.redraw_background()
        return live.png()
