"""Pictures of self-attention: heatmaps of weights, scores and matrices, and the contributions
of each token to an output a_i.

Every function takes an optional `ax` (default: the current pyplot axes), returns what it drew,
and changes no global state (colour maps are copied, rcParams untouched). Titles, axis labels and
legends come from `strings.STRINGS` in the given `language` (default English). `overview` builds a
stand-alone Figure (not through pyplot), so returning it from a cell shows it exactly once.
"""

from __future__ import annotations

import io
import math

import numpy as np
from matplotlib import colormaps, style
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import findfont, get_font
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, ScalarFormatter
from matplotlib.transforms import Affine2D

from . import rounding, strings
from .attention import AttentionResult, _require_finite, as_matrix
from .steps import mode_label
from .strings import DEFAULT_LANGUAGE

__all__ = [
    "WEIGHTS_CMAP",
    "SIGNED_CMAP",
    "MASKED_COLOR",
    "weights_heatmap",
    "scores_heatmap",
    "matrix_heatmap",
    "contributions",
    "overview",
    "token_colors",
    "token_hatches",
    "update_heatmap",
    "update_contributions",
    "contribution_labels",
    "contribution_range",
    "outline_row",
    "move_outline",
    "FOCUS_COLOR",
    "ShownFigure",
    "short_label",
    "literal",
    "LABEL_CHARS",
    "number_axes",
    "written_numbers",
    "png",
    "show",
]

WEIGHTS_CMAP = "Purples"  # 0..1, one scale for every weights heatmap
SIGNED_CMAP = "RdBu_r"  # scores, X, Q, K, V, W: blue below 0, red above, white at 0
MASKED_COLOR = "#d9d9d9"  # grey + hatching: "no weight at all", distinct from a weight of 0
MASK_HATCH = "///"
MASK_LABEL = strings.text("plot_mask_label")  # English; heatmaps label in their own language
# Token colours: matplotlib's colour-blind-safe cycle (Tableau's, designed to stay distinct under
# the common colour-vision deficiencies); each token also gets its own hatch, and the legend names
# it, so no meaning is carried by colour alone.
TOKEN_STYLE = "tableau-colorblind10"
# Sparse patterns: a dense hatch (////, oo) costs Agg up to 15 times a plain bar, and the explorer
# redraws every bar at each edit; these stay distinct at a glance and cost 2 to 5 times.
TOKEN_HATCHES = ("", "/", "\\", "|", "-", "+", "x", ".", "//", "\\\\")
FOCUS_COLOR = "#ff8c00"  # the focus row's outline: orange, far from every purple of the weights


def literal(label) -> str:
    """`label` as matplotlib must be given it to draw it as typed: every `$` escaped, so no
    mathtext is parsed ("$x^2$" stays $x^2$, "R$5 e R$6" keeps its dollars, "$$" is no error).
    Every text of every picture here goes through it once (twice would show the backslash)."""
    return str(label).replace("$", r"\$")


# Beyond this, a scale centred on 0 overflows float64 inside matplotlib (vmax - vmin, axis
# ranges): such numbers are drawn divided by a power of ten and the axis labels multiply back.
_SAFE_TOP = 1e300


def _scale_for(values) -> float:
    with np.errstate(over="ignore"):  # a sum of parts may round past the limit: the limit, then
        top = float(np.abs(values).max()) if np.size(values) else 0.0
    top = min(top, float(np.finfo(float).max))
    return 1.0 if top <= _SAFE_TOP else 10.0 ** math.floor(math.log10(top))


def _scaled_ticks(axis, scale: float, language: str = DEFAULT_LANGUAGE) -> None:
    """Tick labels in the true units when the artists were drawn divided by `scale`, their
    numbers written as `language` writes them."""
    if scale == 1.0:
        if isinstance(axis.get_major_formatter(), FuncFormatter):
            axis.set_major_formatter(ScalarFormatter() if language == DEFAULT_LANGUAGE else _WrittenFormatter(language))
    else:
        # Python floats: a tick just outside the view may pass the limit (inf, not a warning)
        axis.set_major_formatter(FuncFormatter(lambda value, _pos: _tick_text(f"{float(value) * scale:.2g}", language)))


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt  # only when the caller wants pyplot's current axes

        ax = plt.gca()
    return ax


def token_colors(n: int) -> list:
    """One colour per token position, the same in every contributions view."""
    cycle = [to_rgba(c) for c in style.library[TOKEN_STYLE]["axes.prop_cycle"].by_key()["color"]]
    return [cycle[j % len(cycle)] for j in range(n)]


def token_hatches(n: int) -> list:
    """One hatch per token position, paired with token_colors: a second cue besides colour."""
    return [TOKEN_HATCHES[j % len(TOKEN_HATCHES)] for j in range(n)]


def _format(value: float, language: str = DEFAULT_LANGUAGE) -> str:
    if abs(value) >= 1000:
        return rounding.written(f"{value:.2g}", language)
    return rounding.fmt(value, 2, language)  # half up on the decimal value, as every step shows it


class _WrittenFormatter(ScalarFormatter):
    """matplotlib's own tick labels (its choice of ticks, decimals, offset), each number then
    written as `language` writes it: 0,5 in Portuguese."""

    def __init__(self, language: str, like: ScalarFormatter | None = None):
        super().__init__()
        if like is not None:  # what the caller set (ticklabel_format: scientific, offset, mathtext) stays
            self.__dict__.update(vars(like))
        self.language = language

    def __call__(self, x, pos=None):
        return _tick_text(super().__call__(x, pos), self.language)

    def get_offset(self):
        return _tick_text(super().get_offset(), self.language)


def _tick_text(label: str, language: str) -> str:
    """A tick label as `language` writes its numbers, with the minus sign; English: as it is."""
    if language == DEFAULT_LANGUAGE:
        return label
    # a mathtext label ($\mathdefault{0.5}$) gets 0{,}5: TeX sets a bare comma with a space after it
    math = label.startswith("$")
    plain = rounding.written(label.replace("\N{MINUS SIGN}", "-"), language, math=math)
    return plain.replace("-", "\N{MINUS SIGN}")


def number_axes(ax, language: str = DEFAULT_LANGUAGE):
    """The tick labels of `ax` (and of a colour bar's axes) with numbers as `language` writes
    them (0,5 in Portuguese; the offset too: 1,5e\N{MINUS SIGN}3); English: matplotlib's own. Only a
    plain number axis changes: a log axis, a heatmap's token labels or a formatter of the caller's
    own are left as they are. Returns `ax`."""
    if language != DEFAULT_LANGUAGE:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            if type(formatter) is ScalarFormatter:  # numbers, not a heatmap's tokens
                axis.set_major_formatter(_WrittenFormatter(language, like=formatter))
    return ax


def written_numbers(fig, language: str = DEFAULT_LANGUAGE):
    """Every axes of `fig` (colour bars and subfigures included) through `number_axes`: call it on
    a Figure before saving it, e.g. in a widget's redraw. Cheap and idempotent. Returns `fig`."""
    for ax in fig.axes:
        number_axes(ax, language)
    return fig


def png(fig, language: str = DEFAULT_LANGUAGE) -> bytes:
    """`fig` as PNG bytes (a widget's `widgets.Image`), its numbers written as `language` writes
    them (`written_numbers`): the one way a widget's picture is made, in the library and the notebooks."""
    written_numbers(fig, language)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def show(language: str = DEFAULT_LANGUAGE) -> None:
    """`plt.show()`, with the numbers of every open pyplot figure written as `language` writes
    them: what a notebook calls after drawing, the same line in both editions."""
    import matplotlib.pyplot as plt
    from matplotlib._pylab_helpers import Gcf  # pyplot's own list of its figures

    for manager in Gcf.get_all_fig_managers():
        written_numbers(manager.canvas.figure, language)
    plt.show()


class _CellText(Text):
    """A number in a heatmap cell that sizes itself to the cell at every draw (<= 9 pt) and
    stays hidden where even 5 pt would not fit, whatever the figure's final layout."""

    def __init__(self, image, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._image = image

    def fitted_size(self, renderer) -> float:
        (x0, y0), (x1, y1) = self.axes.transData.transform([(0, 0), (1, 1)])
        per_point = renderer.points_to_pixels(1.0)
        width, height = abs(x1 - x0) / per_point, abs(y1 - y0) / per_point
        size = min(9.0, 0.85 * width / (0.6 * self._image._longest), 0.55 * height)
        return size if size >= 5.0 else 0.0

    def draw(self, renderer):
        size = self.fitted_size(renderer) if self.get_text() else 0.0
        if not size or not self.get_visible():
            return
        size = math.floor(size * 4) / 4  # a few sizes only, so the glyph cache stays small
        self._fontproperties.set_size(size)  # direct: set_fontsize() would mark the figure stale
        if isinstance(renderer, RendererAgg):
            _draw_cached(renderer, self)
        else:  # vector output (PDF, SVG) keeps real text
            super().draw(renderer)


_GLYPHS: dict = {}


class _Glyph:
    """One character drawn once into a small RGBA bitmap, with its pen origin and advance."""

    def __init__(self, char, prop, color, dpi):
        font = get_font(findfont(prop))
        font.set_size(prop.get_size_in_points(), dpi)
        self.advance = font.load_char(ord(char)).linearHoriAdvance / 65536
        em = prop.get_size_in_points() * dpi / 72
        self.pad = int(em) // 2 + 2
        width, height = int(self.advance + 2 * self.pad) + 1, int(1.6 * em) + 4
        self.baseline = int(1.2 * em) + 2  # from the top
        small = RendererAgg(width, height, dpi)
        gc = small.new_gc()
        gc.set_foreground(color)
        small.draw_text(gc, self.pad, self.baseline, char, prop, 0)
        gc.restore()
        self.rgba = np.asarray(small.buffer_rgba())[::-1].copy()  # draw_image puts row 0 at the bottom


def _draw_cached(renderer, text: Text) -> None:
    """Draw a short label from cached glyph bitmaps: the same pixels as Agg's own text, less
    the per-call layout work, which dominates a heatmap redrawn on every edit."""
    prop, color, dpi = text._fontproperties, to_rgba(text.get_color()), renderer.dpi
    glyphs = []
    for char in text.get_text():
        key = (char, hash(prop), color, dpi)
        glyph = _GLYPHS.get(key)
        if glyph is None:
            glyph = _GLYPHS[key] = _Glyph(char, prop, color, dpi)
        glyphs.append(glyph)
    x, y = text.get_transform().transform(text.get_unitless_position())
    pen = x - sum(g.advance for g in glyphs) / 2
    baseline = y - 0.36 * prop.get_size_in_points() * dpi / 72  # digits centred on the cell
    gc = renderer.new_gc()
    for glyph in glyphs:
        height = glyph.rgba.shape[0]
        renderer.draw_image(gc, round(pen - glyph.pad), round(baseline - (height - glyph.baseline)), glyph.rgba)
        pen += glyph.advance
    gc.restore()


def _heatmap(
    ax,
    data,
    mask,
    cmap,
    norm,
    row_labels,
    col_labels,
    title,
    xlabel,
    ylabel,
    colorbar,
    blank_masked,
    language=DEFAULT_LANGUAGE,
):
    """Image of `data`; where `mask` is False: hatched, and grey too when `blank_masked`."""
    rows, cols = data.shape
    scale = _scale_for(data) if norm is None else 1.0  # norm None: signed, centred on 0
    norm = _signed_norm(data / scale) if norm is None else norm
    shown = np.ma.masked_array(data / scale, mask=~mask) if blank_masked else data / scale
    image = ax.imshow(
        shown, cmap=colormaps[cmap].with_extremes(bad=MASKED_COLOR), norm=norm, aspect="equal", interpolation="nearest"
    )
    image._scale = scale
    col_labels, row_labels = [short_label(c) for c in col_labels], [short_label(r) for r in row_labels]
    ax.set_xticks(range(cols), [literal(c) for c in col_labels])
    ax.set_yticks(range(rows), [literal(r) for r in row_labels])
    ax.tick_params(length=0)
    if cols > 4 or max(len(str(c)) for c in col_labels) > 6:  # long labels side by side collide
        ax.tick_params(axis="x", labelrotation=45)
        for label in ax.get_xticklabels():
            label.set(ha="right", rotation_mode="anchor")
    for side in ax.spines.values():
        side.set_visible(False)
    if xlabel:
        ax.set_xlabel(literal(xlabel))
    if ylabel:
        ax.set_ylabel(literal(ylabel))
    if title:
        ax.set_title(literal(title), fontsize=10)
    image._blank_masked = blank_masked
    image._mask_patches = []
    hidden = list(zip(*np.nonzero(~mask)))
    if hidden:
        # One patch for all masked cells: hatching is drawn once, not once per cell.
        squares = [Path.unit_rectangle().transformed(Affine2D().translate(j - 0.5, i - 0.5)) for i, j in hidden]
        patch = PathPatch(
            Path.make_compound_path(*squares),
            fill=False,
            hatch=MASK_HATCH,
            linewidth=0,
            edgecolor="#7f7f7f",
            label=strings.text("plot_mask_label", language),
        )
        ax.add_patch(patch)
        image._mask_patches.append(patch)
    image._language = language
    labels = [_format(v, language) for v in data.ravel()]
    image._longest = max(len(t) for t in labels)
    image._cells = []
    for (i, j), text in zip(np.ndindex(rows, cols), labels):
        cell = _CellText(
            image, j, i, "" if (blank_masked and not mask[i, j]) else text, ha="center", va="center", fontsize=9
        )
        ax.add_artist(cell)
        image._cells.append(cell)
    _color_cells(image, data / scale)
    image._colorbar = None
    if colorbar:
        image._colorbar = ax.figure.colorbar(image, ax=ax, shrink=0.8, pad=0.03)
        image._colorbar.ax.tick_params(labelsize=8)
        _scaled_ticks(image._colorbar.ax.yaxis, scale, language)
        number_axes(image._colorbar.ax, language)  # after the scale: a scaled axis keeps its own
    return image


def _color_cells(image, data):
    """Dark text on light cells, white on dark ones."""
    colors = image.cmap(image.norm(data.ravel()))
    light = colors[:, :3] @ np.array([0.299, 0.587, 0.114]) > 0.55
    for cell, is_light in zip(image._cells, light):
        cell.set_color("black" if is_light else "white")


LABEL_CHARS = 12  # a token label longer than this is shortened in the plots (shown whole elsewhere)


def short_label(label, limit: int = LABEL_CHARS) -> str:
    """`label` as a plot shows it: on one line, at most `limit` characters ("…" marks a cut).
    Bounded work: only the first `limit` + 1 characters are looked at."""
    head = str(label)[: limit + 1]
    head = " ".join(head.split()) or "?"  # newlines and tabs would break the layout
    return head if len(head) <= limit else head[: limit - 1] + "…"


def _tokens(tokens, n):
    if tokens is None:
        return [str(i + 1) for i in range(n)]
    if len(tokens) != n:
        raise ValueError(f"tokens must have one label per token ({n}); got {len(tokens)}")
    return [short_label(t) for t in tokens]


def _key_axis(result: AttentionResult, note: str, language: str) -> str:
    """'key token j', with a second line on the hatched cells when there is a causal mask."""
    label = strings.text("plot_key_axis", language)
    return label + "\n" + strings.text(note, language) if result.causal else label


def weights_heatmap(result: AttentionResult, tokens, ax=None, title=None, colorbar=True, language=DEFAULT_LANGUAGE):
    """The alphas: query token i on rows, key token j on columns, fixed 0..1 scale; masked cells
    grey and hatched (a weight that does not exist, not a weight of 0)."""
    ax = _axes(ax)
    labels = _tokens(tokens, result.n)
    if title is None:
        title = strings.text("plot_weights_title", language, mode=mode_label(result, language))
    xlabel = _key_axis(result, "plot_weights_masked_note", language)
    return _heatmap(
        ax,
        result.weights,
        result.mask,
        WEIGHTS_CMAP,
        Normalize(0.0, 1.0),
        labels,
        labels,
        title,
        xlabel,
        strings.text("plot_query_axis", language),
        colorbar,
        blank_masked=True,
        language=language,
    )


def _signed_norm(data) -> Normalize:
    top = float(np.abs(data).max()) or 1.0  # all zeros: still a visible, centred scale
    return Normalize(-top, top)


def scores_heatmap(result: AttentionResult, tokens, ax=None, title=None, colorbar=True, language=DEFAULT_LANGUAGE):
    """The full score matrix on a diverging scale centred on 0; with a causal mask its
    future cells are hatched (computed, then removed by the mask before the softmax)."""
    ax = _axes(ax)
    labels = _tokens(tokens, result.n)
    if title is None:
        formula = strings.text("plot_scores_scaled" if result.scaled else "plot_scores_unscaled", language)
        direction = strings.text("mode_causal" if result.causal else "mode_bidirectional", language)
        title = strings.text("plot_scores_title", language, formula=formula, direction=direction)
    xlabel = _key_axis(result, "plot_scores_masked_note", language)
    return _heatmap(
        ax,
        result.scores,
        result.mask,
        SIGNED_CMAP,
        None,
        labels,
        labels,
        title,
        xlabel,
        strings.text("plot_query_axis", language),
        colorbar,
        blank_masked=False,
        language=language,
    )


def matrix_heatmap(M, row_labels, col_labels=None, ax=None, title=None, colorbar=False, language=DEFAULT_LANGUAGE):
    """A matrix (X, Q, K, V or a W) with labelled rows and columns, diverging scale centred on 0.
    Its title is the caller's (already in their language); `language` is accepted like everywhere."""
    ax = _axes(ax)
    M = as_matrix(M, "M", copy=False)  # finite numbers only: inf or nan has no colour on a scale
    if len(row_labels) != M.shape[0]:
        raise ValueError(f"row_labels must have one label per row ({M.shape[0]}); got {len(row_labels)}")
    if col_labels is None:
        col_labels = [str(c + 1) for c in range(M.shape[1])]
    if len(col_labels) != M.shape[1]:
        raise ValueError(f"col_labels must have one label per column ({M.shape[1]}); got {len(col_labels)}")
    return _heatmap(
        ax,
        M,
        np.ones(M.shape, dtype=bool),
        SIGNED_CMAP,
        None,
        row_labels,
        col_labels,
        title,
        None,
        None,
        colorbar,
        blank_masked=False,
        language=language,
    )


def update_heatmap(image, data, mask=None):
    """Put new numbers of the same shape into a heatmap drawn here, in place (no new artists).

    Signed heatmaps rescale around 0; a weights heatmap keeps its 0..1 scale. `mask` must be the
    one it was drawn with (a different mask needs a new heatmap).
    """
    data = np.asarray(data, dtype=float)
    if image.get_array().shape != data.shape:
        raise ValueError(f"data must keep the heatmap's shape {image.get_array().shape}; got {data.shape}")
    _require_finite(data, "data")
    if image.norm.vmin < 0:  # signed: rescale around 0
        image._scale = _scale_for(data)
        top = float(np.abs(data / image._scale).max()) or 1.0
        image.set_clim(-top, top)
        if image._colorbar is not None:
            _scaled_ticks(image._colorbar.ax.yaxis, image._scale, image._language)
            number_axes(image._colorbar.ax, image._language)
    shown = data / image._scale
    if mask is not None and image._blank_masked:
        image.set_data(np.ma.masked_array(shown, mask=~mask))
    else:
        image.set_data(shown)
    blank = np.ma.getmaskarray(image.get_array()).ravel() if image._blank_masked else [False] * data.size
    labels = [_format(v, image._language) for v in data.ravel()]
    image._longest = max(len(t) for t in labels)
    for cell, text, hidden in zip(image._cells, labels, blank):
        cell.set_text("" if hidden else text)
    _color_cells(image, shown)
    return image


def outline_row(image, i: int, color=FOCUS_COLOR):
    """Outline row `i` of a heatmap drawn here (the focus token's row) and return the outline;
    `move_outline` puts it on another row without drawing anything anew."""
    rows, cols = image.get_array().shape
    if not 0 <= i < rows:
        raise ValueError(f"i must be between 0 and {rows - 1} (0-based row index); got {i}")
    # Not clipped: the line straddles the heatmap's edge, and half of it would vanish.
    outline = Rectangle((-0.5, i - 0.5), cols, 1, fill=False, edgecolor=color, linewidth=2.5, clip_on=False, zorder=3)
    image.axes.add_patch(outline)
    return outline


def move_outline(outline, i: int):
    """Put an outline from `outline_row` on row `i`."""
    outline.set_y(i - 0.5)
    return outline


def _contribution_parts(result: AttentionResult, i: int):
    visible = list(range(i + 1)) if result.causal else list(range(result.n))
    parts = result.weights[i, visible, None] * result.V[visible]  # (len(visible), d_v): alpha_ij v_j
    return visible, parts


def _stack(parts):
    """Bottoms for stacked bars where positive parts stack up from 0 and negative ones down."""
    pos = np.where(parts > 0, parts, 0.0)
    neg = np.where(parts < 0, parts, 0.0)
    up = np.vstack([np.zeros(parts.shape[1]), np.cumsum(pos, axis=0)[:-1]])
    down = np.vstack([np.zeros(parts.shape[1]), np.cumsum(neg, axis=0)[:-1]])
    return np.where(parts >= 0, up, down)


def contributions(result: AttentionResult, tokens, i, ax=None, title=None, language=DEFAULT_LANGUAGE):
    """a_i component by component: stacked bars of alpha_ij v_j, one colour per token j,
    and a black tick at each component's total a_i. Returns the bar containers, one per j."""
    ax = _axes(ax)
    _tokens(tokens, result.n)  # the labels are checked first
    if not 0 <= i < result.n:
        raise ValueError(f"i must be between 0 and {result.n - 1} (0-based token index); got {i}")
    ax._contribution_language = language  # update_contributions writes its rescaled ticks in it
    visible, parts, bottoms, totals = _scaled_parts(ax, result, i)
    x = np.arange(result.d_v)
    colors, hatches = token_colors(result.n), token_hatches(result.n)
    words = contribution_labels(result, tokens, i, language)
    bars = []
    for row, j in enumerate(visible):
        bars.append(
            ax.bar(
                x,
                parts[row],
                bottom=bottoms[row],
                width=0.6,
                color=colors[j],
                hatch=hatches[j],
                edgecolor="white",
                linewidth=0.5,
                label=words["parts"][row],
            )
        )
    (total,) = ax.plot(
        x, totals, linestyle="none", marker="_", markersize=18, markeredgewidth=2.5, color="black", label=words["total"]
    )
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_xticks(x, [str(c + 1) for c in x])
    ax.set_xlabel(words["xlabel"])
    ax.set_ylabel(literal(strings.text("plot_contribution_axis", language)))
    number_axes(ax, language)
    ax.set_title(literal(title) if title else words["title"], fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _fit_limits(ax, parts, bottoms, totals)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax._contribution_total = total
    return bars


def contribution_labels(result: AttentionResult, tokens, i, language=DEFAULT_LANGUAGE) -> dict:
    """The words `contributions` writes for a_i: "title", "xlabel", "total" and "parts" (the
    legend label of each visible token j, in order), ready for matplotlib (`literal`)."""
    labels = _tokens(tokens, result.n)
    visible, _ = _contribution_parts(result, i)
    return {
        "title": literal(strings.text("plot_contributions_title", language, i=_sub(i + 1), token=labels[i])),
        "xlabel": literal(strings.text("plot_component_axis", language, i=_sub(i + 1))),
        "total": literal(strings.text("plot_contribution_total", language, i=_sub(i + 1))),
        "parts": [
            literal(strings.text("plot_contribution_part", language, i=_sub(i + 1), j=_sub(j + 1), token=labels[j]))
            for j in visible
        ],
    }


def contribution_range(result: AttentionResult) -> tuple[float, float]:
    """The lowest and highest ends of the stacked bars and totals of every a_i: an axis that
    holds them all stays put when another token is chosen."""
    low, high = 0.0, 0.0
    for i in range(result.n):
        _, parts = _contribution_parts(result, i)
        bottoms = _stack(parts)
        ends = np.concatenate([(bottoms + parts).ravel(), bottoms.ravel(), result.output[i]])
        low, high = min(low, float(ends.min())), max(high, float(ends.max()))
    return low, high


def _sub(k: int) -> str:
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _scaled_parts(ax, result: AttentionResult, i: int):
    """The visible tokens, and the parts, bottoms and total of a_i as drawn: in true units, or
    divided by a power of ten when a bar's end nears the float64 limit (labels multiply back)."""
    visible, parts = _contribution_parts(result, i)
    with np.errstate(over="ignore"):  # capped in _scale_for
        reach = np.abs(parts).sum(axis=0)  # the farthest a stack of bars can go from 0
    scale = _scale_for(np.concatenate([reach, result.output[i]]))
    parts = parts / scale
    ax._contribution_scale = scale
    _scaled_ticks(ax.yaxis, scale, getattr(ax, "_contribution_language", DEFAULT_LANGUAGE))
    return visible, parts, _stack(parts), result.output[i] / scale


def _fit_limits(ax, parts, bottoms, totals):
    ends = np.concatenate([(bottoms + parts).ravel(), bottoms.ravel(), np.ravel(totals), [0.0]])
    low, high = float(ends.min()), float(ends.max())
    pad = 0.08 * (high - low or 1.0)
    ax.set_ylim(low - pad, high + pad)


def update_contributions(ax, bars, result: AttentionResult, i: int):
    """Move the bars drawn by `contributions` to a new result with the same visible tokens and d_v."""
    visible, _ = _contribution_parts(result, i)
    if len(bars) != len(visible) or any(len(b) != result.d_v for b in bars):
        raise ValueError("the bars were drawn for another shape; draw them anew")
    visible, parts, bottoms, totals = _scaled_parts(ax, result, i)
    for container, heights, lows in zip(bars, parts, bottoms):
        for rect, h, low in zip(container, heights, lows):
            rect.set_height(h)
            rect.set_y(low)
    ax._contribution_total.set_ydata(totals)
    _fit_limits(ax, parts, bottoms, totals)
    return bars


class ShownFigure(Figure):
    """A Figure made without pyplot that still shows itself as a PNG when a cell returns it
    (pyplot's own display hook only knows figures that pyplot made)."""

    def _repr_png_(self) -> bytes:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        buffer = io.BytesIO()
        FigureCanvasAgg(self).print_png(buffer)
        return buffer.getvalue()


def overview(result: AttentionResult, tokens, i=None, language=DEFAULT_LANGUAGE) -> Figure:
    """Scores and weights side by side (and what a_i is made of, when `i` is given): a plain
    figure for readers who cannot run the widgets (GitHub, nbviewer, PDF)."""
    panels = 2 if i is None else 3
    fig = ShownFigure(figsize=(4.2 * panels, 3.9), layout="constrained", dpi=100)
    axes = fig.subplots(1, panels, width_ratios=[1, 1, 1.15][:panels])
    scores_heatmap(result, tokens, ax=axes[0], language=language)
    weights_heatmap(result, tokens, ax=axes[1], language=language)
    if i is not None:
        contributions(result, tokens, i, ax=axes[2], language=language)
    return fig
