"""Widgets: a matrix editor and the attention explorer. They only wire controls to the state
(`explorer_state`: plain data, every check), the math (`self_attention`), the pictures (`plots`)
and the written-out steps (`steps`).

Every learner action in the explorer becomes a proposed `ExplorerState`; `validate` decides;
only an accepted state reaches the screen, and every view is drawn from it. A refused action
changes nothing (the boxes show the state again) and says why next to its control. No
exception reaches ipywidgets: JupyterLab would show nothing and the widget would look frozen.

Figures are built once per layout and then updated in place; their PNG bytes go into an
`<img>` with a text alternative (ipywidgets' Image has no alt), so a notebook stores nothing that
changes from run to run. Nothing a learner types is evaluated: numbers are read by a regular
expression.
"""
from __future__ import annotations

import base64
import functools
import html
import io
import re

import ipywidgets as widgets
import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import IdentityTransform
from PIL import Image as PILImage

from . import explorer_heads, plots, rounding, steps
from .attention import AttentionResult, as_matrix
from .example import CHAPTER_SENTENCE, chapter_example
from .explorer_state import (CONFIG_FORMAT, EDITORS, MAX_DIM, MAX_JSON, MAX_TOKENS, ExplorerState,
                             InputError, check_label, number_text, parse_matrix, parse_number, validate)
from .strings import DEFAULT_LANGUAGE, text

__all__ = ["MatrixEditor", "AttentionExplorer", "parse_number", "parse_matrix", "InputError",
           "MAX_TOKENS", "MAX_DIM", "PANELS"]

_FIGURES_KEPT = 8  # laid-out figures an explorer keeps for reuse (a few MB at most)
PANELS = ("Q", "K", "V", "scores", "weights", "contributions", "output", "steps")
_MATRIX_NAMES = {"X": "X", "W_q": "W^Q", "W_k": "W^K", "W_v": "W^V"}  # as accessible names say them


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


def _img_html(png: bytes, alt: str, css_class: str) -> str:
    """An image with a text alternative (ipywidgets' Image widget has no alt)."""
    payload = base64.b64encode(png).decode("ascii")
    return (f'<img class="{css_class}" alt="{html.escape(alt)}" style="max-width:100%" '
            f'src="data:image/png;base64,{payload}">')


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

    def __init__(self, values, row_labels, col_labels, title="", reset_values=None,
                 editable_row_labels=False, language=DEFAULT_LANGUAGE, name=None, owner=None, shared=None):
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
        self.paste = make(widgets.Textarea, placeholder=text("paste_placeholder_pt" if language == "pt" else
                                                             "paste_placeholder", language),
                                            tooltip=text("paste_label", language, name=self._name),
                                            layout=dict(width="100%", min_width="19em", height="5.8em"))
        self.paste.add_class("selfattn-paste")
        self.paste_button = make(widgets.Button, description=text("paste_button", language),
                                                 tooltip=text("paste_tooltip", language),
                                                 layout=dict(width="auto"))
        self.reset_button = make(widgets.Button, description=text("reset_button", language),
                                                 tooltip=text("reset_tooltip", language),
                                                 disabled=self._reset_values is None,
                                                 layout=dict(width="auto"))
        self.paste_button.on_click(self._guarded(self._on_paste))
        self.reset_button.on_click(self._guarded(self._on_reset))
        self.grid = make(widgets.GridBox)
        self._build_grid()
        self.children = [self.title, self.grid, self.paste,
                         make(widgets.HBox, [self.paste_button, self.reset_button]), self.message]

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
            raise ValueError(f"labels must match the shape {values.shape}: got {len(row_labels)} "
                             f"row and {len(col_labels)} column labels")
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
            for c in self._col_labels]
        self.cells = []
        self.row_boxes = []
        items = list(header)
        for r in range(rows):
            if self._editable_rows:
                # the tooltip becomes the input's title: its accessible name
                label = make(widgets.Text, value=self._row_labels[r], continuous_update=False,
                                           tooltip=text("label_tooltip", self._language, row=r + 1),
                                           layout=dict(width="7.5em"))
                label.add_class("selfattn-token")
                label.observe(self._guarded(functools.partial(self._on_label, r)), names="value")
            else:
                label = make(widgets.HTML, self._row_label_html(self._row_labels[r]))
            self.row_boxes.append(label)
            items.append(label)
            row_cells = []
            for c in range(cols):
                cell = make(widgets.Text, value=number_text(self._value[r, c], self._language),
                                          continuous_update=False,
                                          tooltip=text("cell_tooltip", self._language, name=self._name,
                                                       row=r + 1, col=c + 1),
                                          layout=dict(width="4.6em"))
                cell.add_class("selfattn-cell")
                cell.observe(self._guarded(functools.partial(self._on_cell, r, c)), names="value")
                row_cells.append(cell)
                items.append(cell)
            self.cells.append(row_cells)
        first = "7.8em" if self._editable_rows else "auto"
        self.grid.children = items
        self.grid.layout = self._shared.layout(grid_template_columns=f"{first} repeat({cols}, 4.8em)",
                                          grid_gap="2px 2px", width="max-content")
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
            raise InputError("paste_shape", rows=rows, cols=cols, what=what,
                             got_rows=pasted.shape[0], got_cols=pasted.shape[1])
        first = "  ".join(number_text(v, self._language) for v in pasted[0])
        self._propose(matrix=pasted, done=text("paste_done", self._language, rows=rows, cols=cols, first=first))

    def _on_reset(self, _button=None) -> None:
        if self._reset_values is None:
            raise InputError("no_reset")
        if self._reset_values.shape != self._value.shape:
            raise InputError("reset_shape", rows=self._reset_values.shape[0], cols=self._reset_values.shape[1],
                             now_rows=self._value.shape[0], now_cols=self._value.shape[1])
        self._propose(matrix=self._reset_values.copy())


# --- figures drawn once, then updated in place ---------------------------------------------------

def _png(fig: Figure) -> bytes:
    rgba = np.asarray(fig.canvas.buffer_rgba())
    buffer = io.BytesIO()
    # 256 colours (a fast octree palette: every pixel within a few levels of its colour)
    # compress to a third of RGB and in less time; a notebook stores these bytes in its widget
    # state. Deterministic: the same picture gives the same bytes.
    image = PILImage.fromarray(np.ascontiguousarray(rgba[..., :3]))
    image = image.quantize(colors=256, method=PILImage.Quantize.FASTOCTREE)
    # The octree averages white with the anti-aliased pixels next to it (254): white again, so
    # the figure's background is the page's.
    palette = np.array(image.getpalette(), dtype=np.uint8).reshape(-1, 3)
    palette[(palette >= 253).all(axis=1)] = 255
    image.putpalette(palette.ravel().tolist())
    image.save(buffer, format="png", compress_level=6)
    return buffer.getvalue()


class _LiveFigure:
    """A figure laid out once; later updates redraw only its changing artists over a saved
    background (blitting), which skips every tick label, title and legend."""

    def __init__(self, dpi: int = 90):
        self.fig = Figure(dpi=dpi)
        FigureCanvasAgg(self.fig)
        self._background = None
        self._dynamic = []
        self._on_top = 0  # the last dynamic artists that may move alone (a focus outline)
        self._under = None  # the picture without them, from the last full frame

    def build(self, size, draw, layout="compressed", on_top=0) -> None:
        """Draw with `draw(fig)`, which returns the artists that change later; the last
        `on_top` of them may move alone (`png(moved_only=True)`).
        `layout=None`: `draw` places the axes itself (no layout engine: faster)."""
        self.fig.set_layout_engine(layout)
        self.fig.set_size_inches(*size)
        dynamic = draw(self.fig)
        for artist in dynamic:
            artist.set_animated(True)
        self.fig.canvas.draw()  # lays out once, draws the static parts
        self.fig.set_layout_engine("none")  # later frames keep this layout
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        self._dynamic, self._on_top, self._under = dynamic, on_top, None

    def redraw_background(self) -> None:
        """After a change to a static part (an axis range): draw the static parts again."""
        self.fig.canvas.draw()
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        self._under = None

    def redraw_parts(self, old_boxes, artists) -> None:
        """Static parts that changed in place (texts, a legend) without a full redraw: their
        old boxes painted over with the background colour, the new ones drawn on top. Only
        for parts that overlap nothing else (titles, labels, a legend in the margin)."""
        canvas = self.fig.canvas
        canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for box in old_boxes:
            cover = Rectangle((box.x0 - 2, box.y0 - 2), box.width + 4, box.height + 4, transform=IdentityTransform(),
                              facecolor=self.fig.get_facecolor(), edgecolor="none", antialiased=False)
            cover.set_figure(self.fig)
            cover.draw(renderer)
        for artist in artists:
            self.fig.draw_artist(artist)
        self._background = canvas.copy_from_bbox(self.fig.bbox)
        self._under = None

    def png(self, moved_only=False) -> bytes:
        """The picture now. `moved_only`: since the last one, only the artists on top moved
        (a focus outline), so they are drawn over the last frame without them."""
        canvas = self.fig.canvas
        split = len(self._dynamic) - self._on_top
        if moved_only and self._under is not None:
            canvas.restore_region(self._under)
        else:
            canvas.restore_region(self._background)
            for artist in self._dynamic[:split]:
                self.fig.draw_artist(artist)
            self._under = canvas.copy_from_bbox(self.fig.bbox) if self._on_top else None
        for artist in self._dynamic[split:]:
            self.fig.draw_artist(artist)
        return _png(self.fig)


_SIGNED = colormaps[plots.SIGNED_CMAP]  # a copy (the registry hands out copies): look it up once


# What every cell and header of the tables share, said once per view instead of once per cell
# (a notebook stores the views' HTML in its widget state).
_TABLE_CSS = ("<style>table.selfattn-table td{padding:1px 6px;text-align:right;font-family:monospace;"
              "font-size:12px}table.selfattn-table th{padding:1px 6px;color:#555;font-weight:normal}"
              "table.selfattn-table tr>th:first-child{text-align:right}</style>")


def _table_html(M, row_labels, col_labels, title, name, language=DEFAULT_LANGUAGE) -> str:
    """A matrix as an HTML table, cells coloured on the plots' diverging scale (4 decimals).
    `name` ("Q", "K", "V", "output") goes into data-name, a hook for tests and styles that
    does not change when the title is reworded or translated. The view showing it adds
    _TABLE_CSS once."""
    norm = plots._signed_norm(M)
    colors = _SIGNED(norm(M))
    light = colors[..., :3] @ np.array([0.299, 0.587, 0.114]) > 0.55
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in col_labels)
    body = []
    for r, label in enumerate(row_labels):
        tds = "".join(
            f'<td style="background:{_hex(colors[r, c])};color:{"#000" if light[r, c] else "#fff"}">'
            f"{rounding.written(f'{M[r, c]:.4f}', language)}</td>" for c in range(M.shape[1]))
        body.append(f"<tr><th>{html.escape(str(label))}</th>{tds}</tr>")
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
    follow. `.state` is the ExplorerState on screen, `.result` its AttentionResult.

    `panels` chooses the live views (any of PANELS), `editors` the matrices offered for editing
    (any of "X", "W_q", "W_k", "W_v"; the others stay as they are), so a notebook can show just
    its own step.

    Beyond the chapter (`explorer_heads`): a number of heads (one weights heatmap each, a W^O
    editor; `.result` is then a MultiHeadResult) and a switch adding positional encodings to X.
    """

    def __init__(self, example=None, panels=None, editors=None, language=DEFAULT_LANGUAGE):
        self._shared = _Shared()
        super().__init__(layout=self._shared.layout())
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
        # Figures already laid out, by layout key: toggling back (mask, focus, a token added
        # then removed) reuses one instead of laying it out again.
        self._figures: dict = {}
        self._attention = self._contributions = None  # the ones on screen
        self.attention_png = self.contributions_png = b""
        state = self._state_of(example)
        try:
            result = validate(state)
        except InputError as exc:
            raise ValueError(exc.message(language)) from None
        self._state, self._result = state, result
        self._build_controls(state)
        self._build_views()
        self._show_state()
        self._draw()
        self.children = self._layout()

    # --- public ---------------------------------------------------------------------------------
    @property
    def state(self) -> ExplorerState:
        return self._state

    @property
    def result(self) -> AttentionResult:
        return self._result

    @property
    def tokens(self) -> list[str]:
        return self._state.tokens

    @property
    def X(self) -> np.ndarray:
        return self._state.X.copy()

    @property
    def W_q(self) -> np.ndarray:
        return self._state.W_q.copy()

    @property
    def W_k(self) -> np.ndarray:
        return self._state.W_k.copy()

    @property
    def W_v(self) -> np.ndarray:
        return self._state.W_v.copy()

    def to_json(self) -> str:
        """The whole configuration (tokens, matrices, toggles, focus) as JSON text."""
        return self._state.to_json()

    def load_json(self, config_text) -> None:
        """Load a configuration from `to_json`; raises InputError (nothing changed) if unusable."""
        error = self._act(None, lambda state: ExplorerState.from_json(config_text))
        if error:
            raise error

    def reset(self) -> None:
        """Back to the chapter's example: its tokens, matrices, causal and scaled."""
        error = self._act(None, lambda state: self._state_of(self._chapter))
        if error:
            raise error

    def overview(self):
        """A plain figure of the current state, for readers without a running kernel."""
        if self._state.n_heads > 1:
            return explorer_heads.overview(self)
        return plots.overview(self._result, self.tokens, i=self._state.focus, language=self._language)

    def __repr__(self) -> str:
        result, state = self._result, self._state
        mode = steps.mode_label(getattr(result, "heads", (result,))[0], self._language)  # any head: same flags
        return text("repr", self._language, n=state.n, tokens=", ".join(plots.short_label(t) for t in state.tokens),
                    d_model=state.d_model, d_k=state.d_k, d_v=state.d_v, mode=mode,
                    focus=f"{state.focus + 1} ({plots.short_label(state.tokens[state.focus])})")

    # --- the one way anything changes ------------------------------------------------------------
    def _act(self, place, propose, done="", focus_only=False):
        """`propose(state)` gives the new state; if `validate` accepts it, it is shown everywhere,
        else nothing changes. The outcome is said at `place` (a control's message). Returns the
        InputError of a refusal, or None."""
        old_state, old_result = self._state, self._result
        try:
            state = propose(old_state)
            result = old_result if state == old_state else validate(state)
        except InputError as exc:
            error = exc
        except Exception as exc:  # noqa: BLE001 - never lost, never raised into ipywidgets
            error = InputError("callback_failed", error=f"{type(exc).__name__}: {str(exc)[:200]}")
        else:
            error = None
            if state != old_state:
                try:
                    self._state, self._result = state, result
                    self._draw(focus_only=focus_only)
                except Exception as exc:  # noqa: BLE001 - a figure could not be drawn: go back
                    self._state, self._result = old_state, old_result
                    self._figures.clear()  # a half-built figure is never reused
                    error = InputError("draw_failed", error=f"{type(exc).__name__}: {str(exc)[:200]}")
                    try:
                        self._draw()
                    except Exception:  # noqa: BLE001 - the message below says enough
                        pass
        self._show_state()
        if error is not None:
            for editor in self.editors.values():  # a refused text may still be in its box
                editor.show_state()
        self._clear_messages()
        if error is not None:
            self._say(place, error.message(self._language))
        elif done:
            self._say(place, done() if callable(done) else done, error=False)
        return error

    def _state_of(self, example) -> ExplorerState:
        return ExplorerState.of([str(t) for t in example.tokens], example.X, example.W_q, example.W_k,
                                example.W_v, causal=True, scaled=True)

    def _new_entries(self, name, shape) -> np.ndarray:
        if self.fill.value == "zeros":
            return np.zeros(shape)
        # Seeded by (seed, which matrix, shape): the same choices give the same numbers.
        salt, scale = {"X": (0, 1.0), "W_q": (1, 0.3), "W_k": (2, 0.3), "W_v": (3, 0.3), "W_o": (4, 0.3)}[name]
        rng = np.random.default_rng([int(self.seed.value) & 0xFFFFFFFF, salt, *shape])
        return np.round(rng.normal(0.0, scale, size=shape), 1)

    def _new_label(self, index) -> str:
        return CHAPTER_SENTENCE[index] if index < len(CHAPTER_SENTENCE) else self._t("new_token", index=index + 1)

    # --- building -------------------------------------------------------------------------------
    def _t(self, key, **values):
        return text(key, self._language, **values)

    def _build_controls(self, state) -> None:
        make = self._shared.make
        t = self._t
        self.editors = {}
        titles = {"X": "editor_X", "W_q": "editor_W_q", "W_k": "editor_W_k", "W_v": "editor_W_v"}
        for name in EDITORS:
            M = state.matrix(name)
            rows = state.tokens if name == "X" else [str(c + 1) for c in range(M.shape[0])]
            editor = MatrixEditor(M, rows, [str(c + 1) for c in range(M.shape[1])],
                                  title=f"<b>{t(titles[name])}</b>", reset_values=getattr(self._chapter, name),
                                  editable_row_labels=(name == "X"), language=self._language,
                                  name=_MATRIX_NAMES[name], owner=functools.partial(self._on_editor, name),
                                  shared=self._shared)
            editor.add_class(f"selfattn-editor-{name}")
            self.editors[name] = editor
        self.message = make(widgets.HTML)
        self.message.add_class("selfattn-message")
        self.add_token = make(widgets.Button, description=t("add_token"), icon="plus", layout=dict(width="auto"))
        self.remove_token = make(widgets.Button, description=t("remove_token"), icon="minus",
                                                 layout=dict(width="auto"))
        self.add_token.on_click(self._guarded(self._on_add_token))
        self.remove_token.on_click(self._guarded(self._on_remove_token))
        # IntText, not BoundedIntText: a bounded box clamps silently; here the state decides.
        size = dict(layout=dict(width="10.5em"), style={"description_width": "5.5em"})
        self.d_model = make(widgets.IntText, value=1, description=t("d_model"), **size)
        self.d_k = make(widgets.IntText, value=1, description=t("d_k"), **size)
        self.d_v = make(widgets.IntText, value=1, description=t("d_v"), **size)
        for box in (self.d_model, self.d_k, self.d_v):
            box.observe(self._guarded(self._on_size), names="value")
        self.fill = make(widgets.ToggleButtons, options=[(t("fill_zeros"), "zeros"), (t("fill_random"), "random")],
                                                value="zeros", description=t("new_entries"),
                                                tooltips=[t("fill_tooltip")] * 2,
                                                style={"button_width": "auto", "description_width": "auto"})
        self.seed = make(widgets.IntText, value=0, description=t("seed"), layout=dict(width="9em"),
                                          style={"description_width": "3em"})
        self.causal = make(widgets.ToggleButtons, options=[(t("causal"), True), (t("bidirectional"), False)],
                                                  value=True, description=t("causal_toggle"),
                                                  tooltips=[t("causal_tooltip"), t("bidirectional_tooltip")],
                                                  style={"button_width": "auto", "description_width": "auto"})
        self.scaled = make(widgets.Checkbox, value=True, description=t("scaled"), indent=False,
                                             layout=dict(width="auto"))
        # Classes: stable hooks for tests and styles, whatever the words or the layout.
        self.causal.add_class("selfattn-mask")
        self.scaled.add_class("selfattn-scaled")
        self.causal.observe(self._guarded(self._on_toggle), names="value")
        self.scaled.observe(self._guarded(self._on_toggle), names="value")
        self.focus = make(widgets.Dropdown, options=[("1", 0)], value=0, description=t("focus"),
                                            style={"description_width": "auto"}, layout=dict(width="auto"))
        self.focus.add_class("selfattn-focus")
        self.focus.observe(self._guarded(self._on_focus), names="value")
        self.reset_all = make(widgets.Button, description=t("reset_all"), tooltip=t("reset_all_tooltip"),
                                              icon="undo", button_style="warning", layout=dict(width="auto"))
        self.reset_all.on_click(self._guarded(lambda _b: self._act(self.message, lambda s: self._state_of(self._chapter))))
        # save / load
        self.json_text = make(widgets.Textarea, placeholder=t("json_placeholder"), tooltip=t("json_label"),
                                                layout=dict(width="100%", height="12em"))
        self.export_button = make(widgets.Button, description=t("export"), icon="download")
        self.load_button = make(widgets.Button, description=t("load"), icon="upload")
        self.upload = make(widgets.FileUpload, accept=".json", multiple=False, description=t("upload"))
        self.download = make(widgets.HTML)
        self.file_message = make(widgets.HTML)
        self.export_button.on_click(self._guarded(self._on_export, self.file_message))
        self.load_button.on_click(self._guarded(self._on_load, self.file_message))
        self.upload.observe(self._guarded(self._on_upload, self.file_message), names="value")
        explorer_heads.build_controls(self, state)  # heads, W^O, positions (notebooks 10, 11)

    def _build_views(self) -> None:
        make = self._shared.make
        self.qkv_view = make(widgets.HTML)
        # HTML holding <img alt=...>: an Image widget cannot carry a text alternative
        self.attention_image = make(widgets.HTML, layout=dict(max_width="100%"))
        self.contributions_image = make(widgets.HTML, layout=dict(max_width="100%"))
        self.output_view = make(widgets.HTML)
        self.steps_view = make(widgets.HTMLMath)
        self.attention_image.add_class("selfattn-attention-view")
        self.contributions_image.add_class("selfattn-contributions-view")
        self.steps_view.add_class("selfattn-steps")

    def _layout(self) -> list:
        make = self._shared.make
        t = self._t
        shown = [self.editors[name] for name in self.shown_editors]
        editors = make(widgets.HBox, shown, layout=dict(flex_flow="row wrap", align_items="flex-start"))
        sizes = make(widgets.HBox, [self.add_token, self.remove_token, self.d_model, self.d_k, self.d_v],
                                   layout=dict(flex_flow="row wrap", align_items="center"))
        fills = make(widgets.HBox, [self.fill, self.seed], layout=dict(flex_flow="row wrap"))
        toggles = make(widgets.HBox, [self.causal, self.scaled, self.focus, self.reset_all],
                                     layout=dict(flex_flow="row wrap", align_items="center",
                                                           grid_gap="4px 16px"))
        buttons = make(widgets.HBox, [self.export_button, self.load_button, self.upload])
        save = make(widgets.VBox, [self.json_text, buttons, self.download, self.file_message])
        saving = make(widgets.Accordion, children=[save], titles=(t("save_title"),), selected_index=None)
        children = [make(widgets.HTML, f"<h3 style='margin:4px 0'>{html.escape(t('title'))}</h3>"
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
            children.append(make(widgets.HBox, bottom, layout=dict(flex_flow="row wrap", align_items="center")))
        if "steps" in self.panels:
            children.append(self.steps_view)
        return explorer_heads.layout(self, children)

    # --- the views follow the state ---------------------------------------------------------------
    def _show_state(self) -> None:
        """Every control shows the state (no callback runs meanwhile)."""
        state = self._state
        dims = [str(c + 1) for c in range(state.d_model)]
        chapter = self._chapter
        self._quiet = True
        try:
            self.editors["X"].set_value(state.X, state.tokens, dims, reset_values=chapter.X)
            for name, cols in (("W_q", state.d_k), ("W_k", state.d_k), ("W_v", state.d_v)):
                self.editors[name].set_value(state.matrix(name), dims, [str(c + 1) for c in range(cols)],
                                             getattr(chapter, name))
            self.d_model.value, self.d_k.value, self.d_v.value = state.d_model, state.d_k, state.d_v
            self.causal.value, self.scaled.value = state.causal, state.scaled
            options = [(self._t("focus_option", index=i + 1, token=t), i) for i, t in enumerate(state.tokens)]
            if list(self.focus.options) != options:
                self.focus.options = options
            self.focus.value = state.focus
            explorer_heads.show_state(self)
        finally:
            self._quiet = False

    def _clear_messages(self) -> None:
        for place in (self.message, self.file_message, *self.editors.values()):
            self._say(place, "")

    # --- callbacks (each guarded: errors become a message next to the control) --------------------
    def _guarded(self, handler, where=None):
        place = where if where is not None else self.message
        return _guarded(handler, functools.partial(self._say, place), self._language)

    def _say(self, place, message, error=True):
        place = self.message if place is None else place
        if isinstance(place, MatrixEditor):
            place.show_message(message, error)
        else:
            place.value = _error_html(message) if error else _info_html(message)

    def _on_editor(self, name, editor, matrix=None, label=None, done="") -> None:
        def propose(state):
            if matrix is not None:
                state = state.with_matrix(name, matrix)
            if label is not None:
                state = state.with_label(label[0], label[1])
            return state
        self._act(editor, propose, done)

    def _on_toggle(self, _change) -> None:
        if not self._quiet:
            causal, scaled = self.causal.value, self.scaled.value
            self._act(self.message, lambda s: s.with_flags(causal=causal, scaled=scaled))

    def _on_focus(self, change) -> None:
        if not self._quiet:
            self._act(self.message, lambda s: s.with_focus(change["new"]), focus_only=True)

    def _on_size(self, _change) -> None:
        if not self._quiet:
            sizes = (self._state.n, self.d_model.value, self.d_k.value, self.d_v.value)
            self._act(self.message, lambda s: s.with_sizes(*sizes, self._new_entries, self._new_label))

    def _on_add_token(self, _button=None) -> None:
        self._act(self.message, lambda s: s.with_sizes(s.n + 1, s.d_model, s.d_k, s.d_v,
                                                       self._new_entries, self._new_label))

    def _on_remove_token(self, _button=None) -> None:
        self._act(self.message, lambda s: s.with_sizes(s.n - 1, s.d_model, s.d_k, s.d_v,
                                                       self._new_entries, self._new_label))

    def _on_export(self, _button=None) -> None:
        config = self.to_json()
        self.json_text.value = config
        payload = base64.b64encode(config.encode("utf-8")).decode("ascii")
        name = "attention-explorer.json"
        self.download.value = (f'<a download="{name}" href="data:application/json;charset=utf-8;base64,{payload}" '
                               f'style="text-decoration:underline">{html.escape(self._t("download", name=name))}</a>')
        self._say(self.file_message, self._t("exported"), error=False)

    def _on_load(self, _button=None) -> None:
        self._act(self.file_message, lambda s: ExplorerState.from_json(self.json_text.value), self._loaded_message)

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        content = files[0]["content"]
        if len(content) > MAX_JSON:  # before decoding or showing it
            raise InputError("json_too_long", limit=MAX_JSON, got=len(content))
        error = self._act(self.file_message, lambda s: ExplorerState.from_json(bytes(content)),
                          self._loaded_message)
        if error is None:
            self.json_text.value = self.to_json()

    def _loaded_message(self) -> str:
        s = self._state
        return self._t("loaded", n=s.n, d_model=s.d_model, d_k=s.d_k, d_v=s.d_v)

    # --- drawing ----------------------------------------------------------------------------------------
    def _draw(self, focus_only=False) -> None:
        if explorer_heads.draw(self, focus_only):  # several heads: their own views
            return
        result, state = self._result, self._state
        tokens, focus = state.tokens, state.focus
        if focus_only:
            if "weights" in self.panels:  # only the outline of the focus row moves
                self._set_attention(self._attention_png(result, tokens, focus, numbers=False), result, tokens)
        else:
            if {"Q", "K", "V"} & set(self.panels):
                self.qkv_view.value = self._qkv_html(result, tokens)
            if {"scores", "weights"} & set(self.panels):
                self._set_attention(self._attention_png(result, tokens, focus), result, tokens)
            if "output" in self.panels:
                self.output_view.value = _TABLE_CSS + _table_html(
                    result.output, tokens, [str(c + 1) for c in range(result.d_v)], self._t("view_output"),
                    "output", self._language)
        if "contributions" in self.panels:
            self.contributions_png = self._contributions_png(result, tokens, focus)
            self.contributions_image.value = _img_html(self.contributions_png, self._contributions_alt(result, tokens, focus),
                                                       "selfattn-contributions-image")
        if "steps" in self.panels:
            worked = steps.worked_steps(result, state.X_in, state.W_q, tokens, focus, language=self._language)
            self.steps_view.value = (f"<details open><summary><b>{html.escape(self._t('view_steps'))}</b>"
                                     f"</summary>{worked.html}</details>")

    def _set_attention(self, png, result, tokens) -> None:
        self.attention_png = png
        self.attention_image.value = _img_html(png, self._attention_alt(result, tokens), "selfattn-attention-image")

    def _attention_alt(self, result, tokens) -> str:
        """The heatmaps in words: for each query token, the key it weighs most."""
        short = [plots.short_label(t) for t in tokens]
        rows = "; ".join(self._t("alt_weights_row", token=short[i], most=short[int(np.argmax(result.weights[i]))],
                                 weight=rounding.fmt(result.weights[i].max(), 2, self._language)) for i in range(result.n))
        return self._t("alt_attention", n=result.n, mode=steps.mode_label(result, self._language),
                       low=rounding.written(f"{result.scores.min():.3g}", self._language),
                       high=rounding.written(f"{result.scores.max():.3g}", self._language),
                       focus=self._state.focus + 1, rows=rows)

    def _contributions_alt(self, result, tokens, focus) -> str:
        separator = "; " if self._language == "pt" else ", "  # a decimal comma: numbers apart by ';'
        output = separator.join(rounding.fmt(v, 2, self._language) for v in result.output[focus])
        return self._t("alt_contributions", i=focus + 1, token=plots.short_label(tokens[focus]), output=output)

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
                                         self._t(f"view_{name}"), name, self._language))
        return f'{_TABLE_CSS}<div style="display:flex;flex-wrap:wrap">{"".join(parts)}</div>'

    def _attention_png(self, result, tokens, focus, numbers=True) -> bytes:
        """Scores and weights; the focus row outlined on the weights. `numbers=False`: the
        numbers on screen are current, only the outline moves."""
        which = [p for p in ("scores", "weights") if p in self.panels]
        key = (result.n, result.causal, result.scaled, tuple(tokens), tuple(which))
        live, fresh = self._figure("attention", key)
        self._attention = live
        if fresh:
            longest = max(len(plots.short_label(t)) for t in tokens)
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

            live.build(size, draw, on_top=int("weights" in which))
        else:
            if "scores" in which and numbers:
                plots.update_heatmap(live.scores, result.scores, result.mask)
            if "weights" in which:
                if numbers:
                    plots.update_heatmap(live.weights, result.weights, result.mask)
                plots.move_outline(live.focus_outline, focus)
        return live.png(moved_only=not (fresh or numbers))

    def _contributions_png(self, result, tokens, focus) -> bytes:
        # One figure for every focus token: another focus changes only the bars shown, the
        # title, the x label and the legend, not the layout (a new layout cost ~50 ms).
        key = (result.n, result.d_v, result.causal, tuple(tokens))
        live, fresh = self._figure("contributions", key)
        self._contributions = live
        # One y axis for every focus too, so choosing another token never moves it.
        low, high = plots.contribution_range(result)
        if fresh:
            longest = max(len(plots.short_label(t)) for t in tokens)
            legend_width = 1.3 + 0.075 * longest  # inches, for "αᵢ,ⱼ vⱼ (token)"
            width, height = 3.3 + 0.3 * result.d_v + legend_width, 3.2

            def draw(fig):
                # Placed by hand: a layout engine would cost more than all the rest.
                left, bottom, top = 0.75, 0.55, 0.4
                ax = fig.add_axes((left / width, bottom / height,
                                   (width - left - legend_width - 0.2) / width, (height - bottom - top) / height))
                # The last token's a_i shows every token's bars, causal or not; then the focus's.
                live.every = plots.contributions(result, tokens, result.n - 1, ax=ax, language=self._language)
                live.ax, live.focus, live.legend = ax, None, None
                ax.get_legend().remove()  # a figure legend, beside the axes, drawn with the background
                live.legend_at = ((width - legend_width) / width, 1 - top / height)
                self._contributions_focus(live, result, tokens, focus)
                plots.update_contributions(ax, live.bars, result, focus)
                ax.set_ylim(*_padded(low, high, 0.08))
                return [artist for bars in live.every for artist in bars] + [ax._contribution_total]

            live.build((width, height), draw, layout=None)
            return live.png()
        refocused = live.focus != focus
        if refocused:
            renderer = live.fig.canvas.get_renderer()
            old_boxes = [part.get_window_extent(renderer) for part in (live.ax.title, live.ax.xaxis.label, live.legend)]
            self._contributions_focus(live, result, tokens, focus)
        old_low, old_high = live.ax.get_ylim()
        plots.update_contributions(live.ax, live.bars, result, focus)
        # Keep the old axis (static, in the background) while every focus's bars fit in it and
        # fill at least half of it; otherwise redraw the background with the new limits.
        if low >= old_low and high <= old_high and (high - low) >= 0.5 * (old_high - old_low):
            live.ax.set_ylim(old_low, old_high)
            if refocused:  # only the words changed: repaint them over the old ones
                live.redraw_parts(old_boxes, [live.ax.title, live.ax.xaxis.label, live.legend])
        else:  # with headroom, so the next small edits fit without another full redraw
            live.ax.set_ylim(*_padded(low, high, 0.15))
            live.redraw_background()
        return live.png()

    def _contributions_focus(self, live, result, tokens, focus) -> None:
        """The contributions figure turned to `focus`: its bars shown, its words."""
        shown = focus + 1 if result.causal else result.n
        live.bars = live.every[:shown]
        for j, bars in enumerate(live.every):
            for rect in bars:
                rect.set_visible(j < shown)
        words = plots.contribution_labels(result, tokens, focus, self._language)
        live.ax.set_title(words["title"], fontsize=10)
        live.ax.set_xlabel(words["xlabel"])
        if live.legend is not None:
            live.legend.remove()
        live.legend = live.fig.legend([live.ax._contribution_total, *live.bars], [words["total"], *words["parts"]],
                                      loc="upper left", fontsize=8, frameon=False, bbox_to_anchor=live.legend_at)
        live.focus = focus


def _padded(low, high, margin):
    pad = margin * (high - low or 1.0)
    return low - pad, high + pad
