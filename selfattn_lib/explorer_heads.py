"""The explorer beyond the chapter (notebooks 10 and 11): a number of heads with one weights
heatmap per head and a W^O editor, and a switch that adds positional encodings to X.

Views only, like `widgets`: the state (`n_heads`, `W_o`, `positions`) and every check live in
`explorer_state`; an `AttentionExplorer` calls the four hooks below (`build_controls`, `layout`,
`show_state`, `draw`) and every change still goes through its one `_act`. With one head and no
positions nothing here shows but the two controls (folded away): the chapter's explorer.
"""
from __future__ import annotations

import functools
import html
import math

import ipywidgets as widgets
import numpy as np

from . import plots, rounding, steps
from . import widgets as _w  # MatrixEditor, _LiveFigure, _table_html, _img_html (imported lazily there)
from .plots import ShownFigure

__all__ = ["build_controls", "layout", "show_state", "draw", "overview"]

_HEADS_PER_ROW = 4  # heatmaps side by side before the figure wraps to a new row


def build_controls(ex, state) -> None:
    """The heads box, the positions switch, their message and the views they add."""
    t = ex._t
    # layouts and styles from the explorer's shared models: each model is stored in the notebook
    make = ex._shared.make
    ex.n_heads = make(widgets.IntText, value=state.n_heads, description=t("explorer_heads_n"),
                      tooltip=t("explorer_heads_tooltip"), layout={"width": "10.5em"},
                      style={"description_width": "5.5em"})
    ex.n_heads.add_class("selfattn-heads")
    ex.positions = make(widgets.Checkbox, value=state.positions, description=t("explorer_positions"),
                        tooltip=t("explorer_positions_tooltip"), indent=False, layout={"width": "auto"})
    ex.positions.add_class("selfattn-positions")
    ex.heads_message = make(widgets.HTML)
    ex.heads_message.add_class("selfattn-message")
    ex.n_heads.observe(ex._guarded(functools.partial(_on_heads, ex), ex.heads_message), names="value")
    ex.positions.observe(ex._guarded(functools.partial(_on_positions, ex), ex.heads_message), names="value")
    # The W^O editor is made the first time there are two heads: an explorer that never uses
    # it stores no widget model for it in the notebook.
    ex.w_o_slot = make(widgets.HBox, [])
    ex.input_view = make(widgets.HTML)  # X + PE, when positions are on
    ex.input_view.add_class("selfattn-input-view")
    ex.heads_image = make(widgets.HTML, layout={"max_width": "100%", "display": "none"})
    ex.heads_image.add_class("selfattn-heads-view")
    ex.heads_png = b""
    ex._heads_live = None


def _on_heads(ex, change) -> None:
    if not ex._quiet:
        n_heads = change["new"]
        ex._act(ex.heads_message, lambda s: s.with_heads(n_heads))


def _on_positions(ex, change) -> None:
    if not ex._quiet:
        positions = change["new"]
        ex._act(ex.heads_message, lambda s: s.with_positions(positions))


def layout(ex, children) -> list:
    """`children` with the section of heads and positions after the toggles, and the heads'
    heatmaps where the single head's are."""
    t = ex._t
    make = ex._shared.make
    controls = make(widgets.HBox, [ex.n_heads, ex.positions],
                    layout={"flex_flow": "row wrap", "align_items": "center", "grid_gap": "4px 16px"})
    body = make(widgets.VBox, [controls, ex.heads_message,
                               make(widgets.HBox, [ex.w_o_slot, ex.input_view],
                                    layout={"flex_flow": "row wrap", "align_items": "flex-start"})])
    state = ex._state
    ex.heads_section = make(widgets.Accordion, children=[body], titles=(t("explorer_heads_section"),),
                                         selected_index=0 if state.n_heads > 1 or state.positions else None)
    ex.heads_section.add_class("selfattn-heads-section")
    children = list(children)
    after = next((i for i, child in enumerate(children) if ex.causal in getattr(child, "children", ())),
                 None)
    place = after + 1 if after is not None else (children.index(ex.message) if ex.message in children else 1)
    children.insert(place, ex.heads_section)
    if ex.attention_image in children:
        children.insert(children.index(ex.attention_image) + 1, ex.heads_image)
    else:
        children.append(ex.heads_image)
    return children


def show_state(ex) -> None:
    """The heads box, the switch and W^O show the state (called while the explorer is quiet)."""
    state = ex._state
    ex.n_heads.value, ex.positions.value = state.n_heads, state.positions
    ex.heads_message.value = ""
    if state.n_heads > 1 or "W_o" in ex.editors:
        rows = [str(r + 1) for r in range(state.d_v)]
        cols = [str(c + 1) for c in range(state.d_model)]
        if "W_o" not in ex.editors:
            editor = _w.MatrixEditor(state.W_o, rows, cols, title=f"<b>{ex._t('explorer_heads_editor_W_o')}</b>",
                                     language=ex._language, name="W^O",
                                     owner=functools.partial(ex._on_editor, "W_o"))
            editor.add_class("selfattn-editor-W_o")
            ex.editors["W_o"] = editor
            ex.w_o_slot.children = [editor]
        ex.editors["W_o"].set_value(state.W_o, rows, cols)
        _display(ex, ex.w_o_slot, state.n_heads > 1)


_LAYOUT_ATTRIBUTES = tuple(name for name in widgets.Layout.class_own_traits(sync=True) if not name.startswith("_"))


def _display(ex, widget, shown: bool) -> None:
    """Show or hide `widget` by giving it another shared layout: its layout may be shared with
    other widgets, so it is never changed in place."""
    value = None if shown else "none"
    if widget.layout.display != value:
        attrs = {name: getattr(widget.layout, name) for name in _LAYOUT_ATTRIBUTES}
        attrs = {name: v for name, v in attrs.items() if v is not None and name != "display"}
        widget.layout = ex._shared.layout(**attrs, **({} if shown else {"display": "none"}))


def draw(ex, focus_only=False) -> bool:
    """Draw what heads and positions add; True when the views of several heads replaced the
    chapter's (the explorer then draws nothing else)."""
    state, result = ex._state, ex._result
    tokens, focus = state.tokens, state.focus
    if not focus_only:
        ex.input_view.value = (_w._table_html(state.X_in, tokens, [str(c + 1) for c in range(state.d_model)],
                                              ex._t("explorer_heads_view_input"), "X_in", ex._language)
                               if state.positions else "")
    several = state.n_heads > 1
    _display(ex, ex.heads_image, several)
    _display(ex, ex.attention_image, not several)
    if not several:
        return False
    if not focus_only:
        if {"Q", "K", "V"} & set(ex.panels):
            parts = []
            for name in ("Q", "K", "V"):
                if name in ex.panels:
                    M = np.concatenate([getattr(head, name) for head in result.heads], axis=1)
                    parts.append(_w._table_html(M, tokens, [str(c + 1) for c in range(M.shape[1])],
                                                ex._t(f"view_{name}"), name, ex._language))
            ex.qkv_view.value = f'<div style="display:flex;flex-wrap:wrap">{"".join(parts)}</div>'
        if "output" in ex.panels:
            ex.output_view.value = (
                _w._table_html(result.concat, tokens, [str(c + 1) for c in range(result.concat.shape[1])],
                               ex._t("explorer_heads_view_concat"), "concat", ex._language)
                + _w._table_html(result.output, tokens, [str(c + 1) for c in range(result.output.shape[1])],
                                 ex._t("explorer_heads_view_output"), "output", ex._language))
        note = f"<div style='color:#444;margin:4px 0'>{html.escape(ex._t('explorer_heads_one_head_only'))}</div>"
        ex.contributions_image.value = note
        ex.steps_view.value = note
    if {"scores", "weights"} & set(ex.panels):
        ex.heads_png = _heads_png(ex, result, tokens, focus, numbers=not focus_only)
        ex.heads_image.value = _w._img_html(ex.heads_png, _heads_alt(ex, result, tokens, focus),
                                            "selfattn-heads-image")
    return True


def _heads_png(ex, result, tokens, focus, numbers=True) -> bytes:
    """One weights heatmap per head, laid out once per (tokens, mask, heads), then updated in
    place like the chapter's heatmaps; the focus row outlined on each."""
    first = result.heads[0]
    n_heads = result.n_heads
    key = (first.n, first.causal, first.scaled, tuple(tokens), n_heads)
    live, fresh = ex._figure("heads", key)
    ex._heads_live = live
    if fresh:
        longest = max(len(plots.short_label(t)) for t in tokens)
        cols = min(n_heads, _HEADS_PER_ROW)
        rows = math.ceil(n_heads / cols)
        side = 3.1 + 0.12 * max(first.n - 3, 0) + 0.06 * longest

        def draw_heads(fig):
            axes = fig.subplots(rows, cols, squeeze=False).ravel()
            live.heads, live.outlines, dynamic = [], [], []
            for h, ax in enumerate(axes):
                if h >= n_heads:
                    ax.set_visible(False)
                    continue
                # the same fixed 0..1 scale on every head: colours compare across heads
                image = plots.weights_heatmap(result.heads[h], tokens, ax=ax, colorbar=False,
                                              title=ex._t("explorer_heads_title", head=h + 1),
                                              language=ex._language)
                live.heads.append(image)
                live.outlines.append(plots.outline_row(image, focus))
                dynamic += [image, *image._mask_patches, *image._cells]
            return dynamic + live.outlines  # outlines last: drawn over the cells

        live.build((side * cols + 0.1 * longest, side * rows), draw_heads)
    else:
        for image, outline, head in zip(live.heads, live.outlines, result.heads):
            if numbers:
                plots.update_heatmap(image, head.weights, head.mask)
            plots.move_outline(outline, focus)
    return live.png()


def _heads_alt(ex, result, tokens, focus) -> str:
    """The heatmaps in words: per head, for each query token the key it weighs most."""
    short = [plots.short_label(t) for t in tokens]
    heads = "; ".join(
        ex._t("explorer_heads_alt_head", head=h + 1, rows=", ".join(
            ex._t("alt_weights_row", token=short[i], most=short[int(np.argmax(head.weights[i]))],
                  weight=rounding.fmt(head.weights[i].max(), 2, ex._language)) for i in range(head.n)))
        for h, head in enumerate(result.heads))
    return ex._t("explorer_heads_alt", n_heads=result.n_heads, n=result.heads[0].n,
                 mode=steps.mode_label(result.heads[0], ex._language), focus=f"{focus + 1} ({short[focus]})",
                 heads=heads)


def overview(ex):
    """A plain figure of several heads' weights, for readers without a running kernel."""
    result, tokens = ex._result, ex._state.tokens
    cols = min(result.n_heads, _HEADS_PER_ROW)
    rows = math.ceil(result.n_heads / cols)
    fig = ShownFigure(figsize=(4.2 * cols, 3.9 * rows), layout="constrained", dpi=100)
    for h, ax in enumerate(fig.subplots(rows, cols, squeeze=False).ravel()):
        if h >= result.n_heads:
            ax.set_visible(False)
            continue
        plots.weights_heatmap(result.heads[h], tokens, ax=ax, colorbar=h == result.n_heads - 1,
                              title=ex._t("explorer_heads_title", head=h + 1), language=ex._language)
    return fig
