"""The plots draw exactly the library's numbers, labelled, with masked cells marked."""

import matplotlib

matplotlib.use("Agg")  # before pyplot: tests never open windows

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from selfattn_lib import chapter_example, plots, self_attention  # noqa: E402


@pytest.fixture
def example():
    return chapter_example()


def result_of(example, causal=True, scaled=True):
    return self_attention(example.X, example.W_q, example.W_k, example.W_v, causal, scaled)


def new_axes(count=1):
    fig = Figure(figsize=(4.5 * count, 4), layout="constrained")
    axes = fig.subplots(1, count)
    return axes if count > 1 else axes


def tick_texts(labels):
    return [t.get_text() for t in labels]


def masked_patch_cells(image):
    """(i, j) of each hatched unit square the heatmap drew."""
    cells = []
    for patch in image._mask_patches:
        assert patch.get_hatch() and patch in image.axes.patches
        for square in patch.get_path().to_polygons(closed_only=False):
            (x0, y0), (x1, y1) = square.min(axis=0), square.max(axis=0)
            assert (x1 - x0, y1 - y0) == (1, 1)
            cells.append((round(y0 + 0.5), round(x0 + 0.5)))
    return sorted(cells)


def future_cells(n):
    return sorted((i, j) for i in range(n) for j in range(n) if j > i)


@pytest.mark.parametrize("scaled", [True, False])
@pytest.mark.parametrize("causal", [True, False])
def test_weights_heatmap_draws_the_weights(example, causal, scaled):
    result = result_of(example, causal, scaled)
    ax = new_axes()
    image = plots.weights_heatmap(result, example.tokens, ax=ax)
    drawn = image.get_array()
    allowed = np.array([[j <= i or not causal for j in range(3)] for i in range(3)])
    np.testing.assert_array_equal(np.ma.getdata(drawn)[allowed], result.weights[allowed])
    np.testing.assert_array_equal(np.ma.getmaskarray(drawn), ~allowed)
    assert image.get_clim() == (0.0, 1.0)
    assert tick_texts(ax.get_xticklabels()) == list(example.tokens)
    assert tick_texts(ax.get_yticklabels()) == list(example.tokens)
    title = ax.get_title()
    assert ("causal" in title) == causal and ("bidirectional" in title) == (not causal)
    assert ("unscaled" in title) == (not scaled)
    assert masked_patch_cells(image) == (future_cells(3) if causal else [])
    assert ("masked" in ax.get_xlabel()) == causal
    for (i, j), cell in zip(np.ndindex(3, 3), image._cells):
        expected = f"{result.weights[i, j]:.2f}" if allowed[i, j] else ""
        assert cell.get_text() == expected


def test_masked_cells_look_different_from_a_zero_weight(example):
    image = plots.weights_heatmap(result_of(example), example.tokens, ax=new_axes())
    image.axes.figure.canvas.draw()
    bad = image.cmap.get_bad()
    zero = image.cmap(image.norm(0.0))
    assert not np.allclose(bad, zero)
    assert np.allclose(bad, matplotlib.colors.to_rgba(plots.MASKED_COLOR))


def test_every_weights_heatmap_shares_one_scale(example):
    tiny = self_attention(example.X * 0.01, example.W_q, example.W_k, example.W_v)
    sharp = self_attention(example.X * 50, example.W_q, example.W_k, example.W_v)
    for result in (tiny, sharp):
        assert plots.weights_heatmap(result, example.tokens, ax=new_axes()).get_clim() == (0.0, 1.0)


def half_up(x, places="0.01"):
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(repr(round(float(x), 9))).quantize(Decimal(places), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize("causal", [True, False])
def test_scores_heatmap_is_centred_on_zero(example, causal):
    result = result_of(example, causal)
    ax = new_axes()
    image = plots.scores_heatmap(result, example.tokens, ax=ax)
    np.testing.assert_array_equal(image.get_array(), result.scores)  # every score, masked or not
    low, high = image.get_clim()
    assert low == -high == -np.abs(result.scores).max()
    assert image.cmap.name.startswith(plots.SIGNED_CMAP)
    assert masked_patch_cells(image) == (future_cells(3) if causal else [])
    assert "√d_k" in ax.get_title()
    # one rule (issue 15): half up on the decimal value, so 0.365 -> 0.37 as 0.305 -> 0.31
    assert [c.get_text() for c in image._cells] == [half_up(s) for s in result.scores.ravel()]
    assert tick_texts(ax.get_xticklabels()) == list(example.tokens)


def test_unscaled_scores_say_so(example):
    ax = new_axes()
    plots.scores_heatmap(result_of(example, scaled=False), example.tokens, ax=ax)
    assert "unscaled" in ax.get_title()


def test_matrix_heatmap_labels_rows_and_columns(example):
    ax = new_axes()
    image = plots.matrix_heatmap(example.X, example.tokens, ax=ax, title="X")
    np.testing.assert_array_equal(image.get_array(), example.X)
    assert tick_texts(ax.get_yticklabels()) == list(example.tokens)
    assert tick_texts(ax.get_xticklabels()) == ["1", "2", "3", "4"]
    assert ax.get_title() == "X"
    assert image.get_clim() == (-2.0, 2.0)
    ax = new_axes()
    image = plots.matrix_heatmap(example.W_q, ["a", "b", "c", "d"], ["w", "x", "y", "z"], ax=ax)
    assert tick_texts(ax.get_xticklabels()) == ["w", "x", "y", "z"]
    assert [c.get_text() for c in image._cells][:3] == ["0.10", "0.20", "-0.10"]


@pytest.mark.parametrize(
    "call",
    [
        lambda e, ax: plots.matrix_heatmap(e.X, ["only", "two"], ax=ax),
        lambda e, ax: plots.matrix_heatmap(e.X, e.tokens, ["1", "2"], ax=ax),
        lambda e, ax: plots.matrix_heatmap(e.X[0], e.tokens, ax=ax),
        lambda e, ax: plots.weights_heatmap(result_of(e), ["a", "b"], ax=ax),
        lambda e, ax: plots.contributions(result_of(e), e.tokens, 3, ax=ax),
    ],
)
def test_bad_labels_or_index_raise_a_value_error(example, call):
    with pytest.raises(ValueError, match="must"):
        call(example, new_axes())


@pytest.mark.parametrize("causal", [True, False])
def test_contributions_stack_alpha_times_value(causal):
    rng = np.random.default_rng(5)
    X, W_q, W_k, W_v = (
        rng.normal(size=(4, 3)),
        rng.normal(size=(3, 3)),
        rng.normal(size=(3, 3)),
        rng.normal(size=(3, 5)),
    )
    result = self_attention(X, W_q, W_k, W_v, causal)
    tokens = ["a", "b", "c", "d"]
    for i in range(4):
        ax = new_axes()
        bars = plots.contributions(result, tokens, i, ax=ax)
        visible = range(i + 1) if causal else range(4)
        assert len(bars) == len(visible)
        totals = np.zeros(5)
        for j, container in zip(visible, bars):
            heights = [rect.get_height() for rect in container]
            # alpha_ij * v_j, component by component, by hand
            expected = [result.weights[i, j] * result.V[j, c] for c in range(5)]
            np.testing.assert_allclose(heights, expected, rtol=1e-12, atol=1e-15)
            assert tokens[j] in container.get_label()
            totals += heights
        np.testing.assert_allclose(totals, result.output[i], atol=1e-12)
        np.testing.assert_allclose(ax._contribution_total.get_ydata(), result.output[i])
        # stacked: each bar starts where the previous one of the same sign ended
        for c in range(5):
            up = down = 0.0
            for container in bars:
                rect = container[c]
                h = rect.get_height()
                assert rect.get_y() == pytest.approx(up if h >= 0 else down)
                if h >= 0:
                    up += h
                else:
                    down += h


def test_token_colours_are_the_same_in_every_view(example):
    result = result_of(example, causal=False)
    first = plots.contributions(result, example.tokens, 0, ax=new_axes())
    last = plots.contributions(result, example.tokens, 2, ax=new_axes())
    for a, b in zip(first, last):
        assert a[0].get_facecolor() == b[0].get_facecolor()


def test_overview_is_a_standalone_figure(example):
    before = plt.get_fignums()
    fig = plots.overview(result_of(example), example.tokens, i=1)
    assert isinstance(fig, Figure) and plt.get_fignums() == before  # not through pyplot
    heat = [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]
    assert len(heat) == 2 and len([ax for ax in fig.axes if ax.containers]) == 1
    assert len(plots.overview(result_of(example), example.tokens).axes) == 4  # 2 heatmaps + bars


def test_no_ax_draws_on_pyplots_current_axes(example):
    fig = plt.figure()
    try:
        image = plots.weights_heatmap(result_of(example), example.tokens)
        assert image.axes is plt.gca()
    finally:
        plt.close(fig)


def test_plotting_changes_no_global_state(example):
    params = {k: repr(v) for k, v in matplotlib.rcParams.items()}
    bad = matplotlib.colormaps[plots.WEIGHTS_CMAP].get_bad()
    FigureCanvasAgg(plots.overview(result_of(example), example.tokens, i=2)).draw()
    assert {k: repr(v) for k, v in matplotlib.rcParams.items()} == params
    assert tuple(matplotlib.colormaps[plots.WEIGHTS_CMAP].get_bad()) == tuple(bad)


def test_update_heatmap_follows_new_numbers_in_place(example):
    ax = new_axes()
    image = plots.scores_heatmap(result_of(example), example.tokens, ax=ax)
    artists = len(ax.get_children())
    other = self_attention(example.X * 3, example.W_q, example.W_k, example.W_v)
    plots.update_heatmap(image, other.scores, other.mask)
    np.testing.assert_array_equal(image.get_array(), other.scores)
    assert image.get_clim() == (-np.abs(other.scores).max(), np.abs(other.scores).max())
    assert [c.get_text() for c in image._cells] == [half_up(s) for s in other.scores.ravel()]
    assert len(ax.get_children()) == artists

    weights = plots.weights_heatmap(result_of(example), example.tokens, ax=new_axes())
    plots.update_heatmap(weights, other.weights, other.mask)
    np.testing.assert_array_equal(np.ma.getdata(weights.get_array())[other.mask], other.weights[other.mask])
    assert weights.get_clim() == (0.0, 1.0)
    assert weights._cells[1].get_text() == ""  # still masked
    with pytest.raises(ValueError, match="shape"):
        plots.update_heatmap(weights, np.zeros((2, 2)))


def test_update_contributions_moves_the_bars(example):
    ax = new_axes()
    bars = plots.contributions(result_of(example), example.tokens, 2, ax=ax)
    other = self_attention(example.X - 1, example.W_q, example.W_k, example.W_v)
    plots.update_contributions(ax, bars, other, 2)
    for j, container in enumerate(bars):
        np.testing.assert_allclose([r.get_height() for r in container], other.weights[2, j] * other.V[j])
    np.testing.assert_allclose(ax._contribution_total.get_ydata(), other.output[2])
    with pytest.raises(ValueError, match="shape"):
        plots.update_contributions(ax, bars, other, 1)


def test_cell_numbers_fit_their_cells_or_hide():
    fig = Figure(figsize=(3, 3), dpi=100)
    ax = fig.subplots()
    image = plots.matrix_heatmap(np.arange(9.0).reshape(3, 3), list("abc"), ax=ax)
    small = plots.matrix_heatmap(np.ones((40, 40)), [str(i) for i in range(40)], ax=Figure(figsize=(3, 3)).subplots())
    renderer = FigureCanvasAgg(fig).get_renderer()
    assert 5 <= image._cells[0].fitted_size(renderer) <= 9
    small_renderer = FigureCanvasAgg(small.axes.figure).get_renderer()
    assert small._cells[0].fitted_size(small_renderer) == 0.0  # 40 x 40 in 3 inches: no room


def test_overview_shows_itself_as_png_without_pyplot(example):
    fig = plots.overview(result_of(example), example.tokens)
    assert fig._repr_png_().startswith(b"\x89PNG")


def test_cell_numbers_are_drawn_where_their_cell_is():
    """The cached-glyph drawing puts upright ink in the cell centre, in the shape matplotlib's
    own text gives (upside-down digits or a misplaced decimal point would not match)."""

    def ink(fast: bool):
        fig = Figure(figsize=(4, 2), dpi=300)
        ax = fig.add_axes((0, 0, 1, 1))
        # left cell near white with black "0.47" (digits that look wrong upside down)
        image = plots.matrix_heatmap(np.array([[0.47, 7.0]]), ["a"], ax=ax)
        canvas = FigureCanvasAgg(fig)
        if not fast:  # matplotlib's own Text.draw, for comparison
            image._cells[0].draw = lambda renderer, cell=image._cells[0]: (
                cell._fontproperties.set_size(9),
                matplotlib.text.Text.draw(cell, renderer),
            )
        canvas.draw()
        gray = np.asarray(canvas.buffer_rgba())[:, :600, :3].mean(axis=2)  # the left cell
        return np.argwhere(gray < 128)

    fast, slow = ink(True), ink(False)
    assert len(fast) > 200 and abs(len(fast) - len(slow)) <= 0.1 * len(slow)
    for points in (fast, slow):  # centred on the cell (300 px square) within a few pixels
        (top, left), (bottom, right) = points.min(axis=0), points.max(axis=0)
        assert abs((top + bottom) / 2 - 300) <= 8 and abs((left + right) / 2 - 300) <= 3
    np.testing.assert_array_equal(fast.max(axis=0) - fast.min(axis=0), slow.max(axis=0) - slow.min(axis=0))
    shifted = {tuple(p) for p in fast - fast.min(axis=0)}
    reference = slow - slow.min(axis=0)
    same = sum(any((r + dr, c + dc) in shifted for dr in (-1, 0, 1) for dc in (-1, 0, 1)) for r, c in reference)
    assert same >= 0.95 * len(reference)


def test_outline_row_frames_one_row_and_moves(example):
    ax = new_axes()
    image = plots.weights_heatmap(result_of(example), example.tokens, ax=ax)
    outline = plots.outline_row(image, 1)
    assert outline in ax.patches and not outline.get_fill()
    # its corners are the corners of row 1's cells: columns -0.5 .. 2.5, rows 0.5 .. 1.5
    np.testing.assert_allclose(outline.get_bbox().get_points(), [[-0.5, 0.5], [2.5, 1.5]])
    plots.move_outline(outline, 2)
    np.testing.assert_allclose(outline.get_bbox().get_points(), [[-0.5, 1.5], [2.5, 2.5]])
    assert ax.patches.count(outline) == 1  # moved, not drawn again
    with pytest.raises(ValueError, match="between 0 and 2"):
        plots.outline_row(image, 3)


# --- words: every text in a plot comes from strings.STRINGS --------------------------------------


def words_in(fig):
    """Every word a figure shows or can show in a legend: titles, axis labels, free texts, legends
    and the labels of bars, lines and patches; not tick labels (tokens, numbers) nor cell numbers."""
    texts = [*fig.texts, *(t for legend in fig.legends for t in legend.get_texts())]
    labels = []
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        texts += [t for t in ax.texts if not isinstance(t, plots._CellText)]
        if ax.get_legend():
            texts += ax.get_legend().get_texts()
        labels += [artist.get_label() for artist in (*ax.patches, *ax.containers, *ax.lines)]
    shown = [t.get_text() for t in texts if t.get_text()]
    return sorted(shown + [label for label in labels if label and not label.startswith("_")])


def drawn_in(language, example, causal, scaled):
    """Each public drawing function, called in `language`; the figures they drew on."""
    result = result_of(example, causal, scaled)
    figures = []
    for draw in (plots.weights_heatmap, plots.scores_heatmap):
        ax = new_axes()
        draw(result, example.tokens, ax=ax, language=language)
        figures.append(ax.figure)
    ax = new_axes()
    plots.matrix_heatmap(result.Q, example.tokens, ax=ax, title="Q", language=language)
    figures.append(ax.figure)
    for i in range(3):
        ax = new_axes()
        plots.contributions(result, example.tokens, i, ax=ax, language=language)
        figures.append(ax.figure)
    figures.append(plots.overview(result, example.tokens, i=1, language=language))
    return figures


@pytest.mark.parametrize("scaled", [True, False])
@pytest.mark.parametrize("causal", [True, False])
def test_a_second_language_reaches_every_plot_text(example, monkeypatch, causal, scaled):
    """A made-up language whose every string starts with "PT:": every line of every text the
    plots show starts with it, and without it the text is the English one, so no word is left
    written in plots.py."""
    from selfattn_lib import strings

    english = strings.STRINGS["en"]
    monkeypatch.setitem(strings.STRINGS, "pt-test", {k: "PT:" + v for k, v in english.items()})
    translated = drawn_in("pt-test", example, causal, scaled)
    default = drawn_in("en", example, causal, scaled)
    for fig, fig_en in zip(translated, default):
        words, words_en = words_in(fig), words_in(fig_en)
        assert words_en and len(words) == len(words_en)
        for text in words:
            if text == "Q":  # matrix_heatmap's title is the caller's
                continue
            for line in text.split("\n"):
                assert line.startswith("PT:"), repr(text)
        assert sorted(w.replace("PT:", "") for w in words) == words_en
    # the mask patch carries a label too (shown if a learner adds a legend)
    ax = new_axes()
    image = plots.weights_heatmap(result_of(example, causal, scaled), example.tokens, ax=ax, language="pt-test")
    assert all(p.get_label() == "PT:masked (future token)" for p in image._mask_patches)


def test_english_plot_texts_are_the_chapters_words(example):
    """The default language draws exactly the English the notebooks were written with."""
    ax = new_axes()
    plots.weights_heatmap(result_of(example), example.tokens, ax=ax)
    assert ax.get_title() == "Attention weights α\ncausal, scaled"
    assert ax.get_xlabel() == "key token j\n▨ masked: a future token"
    assert ax.get_ylabel() == "query token i"
    ax = new_axes()
    image = plots.weights_heatmap(result_of(example, causal=False, scaled=False), example.tokens, ax=ax)
    assert ax.get_title() == "Attention weights α\nbidirectional, unscaled"
    assert ax.get_xlabel() == "key token j" and image._mask_patches == []
    ax = new_axes()
    image = plots.scores_heatmap(result_of(example), example.tokens, ax=ax)
    assert ax.get_title() == "Scores q·k / √d_k\ncausal"
    assert ax.get_xlabel() == "key token j\n▨ removed by the mask"
    assert ax.get_ylabel() == "query token i"
    assert [p.get_label() for p in image._mask_patches] == ["masked (future token)"]
    assert plots.MASK_LABEL == "masked (future token)"
    ax = new_axes()
    plots.scores_heatmap(result_of(example, causal=False, scaled=False), example.tokens, ax=ax)
    assert ax.get_title() == "Scores q·k (unscaled)\nbidirectional"
    ax = new_axes()
    plots.contributions(result_of(example), example.tokens, 1, ax=ax)
    assert ax.get_title() == "What a₂ (“gato”) is made of"
    assert ax.get_xlabel() == "component of a₂" and ax.get_ylabel() == "contribution"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a₂ (total)", "α₂,₁ v₁ (O)", "α₂,₂ v₂ (gato)"]


# Tableau's "Color Blind 10" palette as published by Tableau (not read from matplotlib).
COLOR_BLIND_10 = [
    "#006BA4",
    "#FF800E",
    "#ABABAB",
    "#595959",
    "#5F9ED1",
    "#C85200",
    "#898989",
    "#A2C8EC",
    "#FFBC79",
    "#CFCFCF",
]


def test_token_colours_are_colour_blind_safe_and_not_the_only_cue(example):
    from matplotlib.colors import to_hex

    assert [to_hex(c).upper() for c in plots.token_colors(10)] == COLOR_BLIND_10
    result = result_of(example, causal=False)
    ax = new_axes()
    bars = plots.contributions(result, example.tokens, 2, ax=ax)
    hatches = [container[0].get_hatch() or "" for container in bars]
    assert len(set(hatches)) == len(bars) == 3  # each token's segments also differ in texture
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    for token in example.tokens:  # and the legend names each token in words
        assert any(token in entry for entry in legend), (token, legend)


# --- labels drawn as typed, and pictures near the float64 limit (issue 26) -------------------------

import warnings  # noqa: E402

from matplotlib import colormaps  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from selfattn_lib import plots_more  # noqa: E402
from selfattn_lib.sharpness import SharpnessControl  # noqa: E402

HOSTILE = ["$x^2$", "R$5 e R$6", "$$", "a\\$b"]


def drawn_strings(fig):
    """Every text the figure draws, as matplotlib will draw it: (string, parsed as mathtext?)."""
    FigureCanvasAgg(fig).draw()  # a mathtext parser error ("$$") would raise here
    return [t._preprocess_math(t.get_text()) for t in fig.findobj(Text) if t.get_text() and t.get_visible()]


def hostile_result():
    X = np.eye(4) + 0.1
    return self_attention(X, np.eye(4), np.eye(4), np.eye(4)[:, :2])


@pytest.mark.parametrize("picture", ["weights", "scores", "matrix", "contributions", "overview", "heads"])
def test_labels_are_drawn_as_their_literal_text(picture):
    result = hostile_result()
    fig = Figure(figsize=(6, 5), layout="constrained")
    ax = fig.add_subplot()
    if picture == "weights":
        plots.weights_heatmap(result, HOSTILE, ax=ax, title="cost $5 and $6")
    elif picture == "scores":
        plots.scores_heatmap(result, HOSTILE, ax=ax)
    elif picture == "matrix":
        plots.matrix_heatmap(result.V, HOSTILE, ["$a$", "$b$"], ax=ax, title="$V$")
    elif picture == "contributions":
        plots.contributions(result, HOSTILE, 3, ax=ax)
    elif picture == "overview":
        fig = plots.overview(result, HOSTILE, i=2)
    else:
        from selfattn_lib import multi_head_attention

        heads = multi_head_attention(np.eye(4) + 0.1, np.eye(4), np.eye(4), np.eye(4), np.eye(4), 2)
        fig = Figure(figsize=(8, 4), layout="constrained")
        plots_more.heads_heatmaps(heads, HOSTILE, fig.subplots(1, 2))
    shown = drawn_strings(fig)
    assert not [s for s, math in shown if math], "a label was read as mathtext"
    texts = [s for s, _ in shown]
    for token in HOSTILE:
        assert any(token in s for s in texts), (token, texts)
    if picture == "weights":
        assert "cost $5 and $6" in texts
    if picture == "matrix":
        assert "$V$" in texts and "$a$" in texts


def test_the_sharpness_chart_draws_its_tokens_literally():
    control = SharpnessControl(hostile_result(), HOSTILE, 2)
    shown = drawn_strings(control._fig)
    assert not [s for s, math in shown if math]
    assert any("R$5 e R$6" in s for s, _ in shown) and any("($$)" in s for s, _ in shown)


def huge_scores_result(V=None):
    V = np.eye(2) if V is None else V
    # finite inputs, valid results: scores [[1e308, 0], [0, -5e307]]
    return self_attention(np.eye(2), np.diag([1e154, 5e153]), np.diag([1e154, -1e154]), V, causal=False, scaled=False)


def test_scores_near_the_float64_limit_are_painted_on_their_scale():
    result = huge_scores_result()
    assert result.scores.tolist() == [[1e308, 0.0], [0.0, -5e307]]
    cmap = colormaps[plots.SIGNED_CMAP]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow on the way
        for colorbar in (True, False):
            ax = new_axes()
            image = plots.scores_heatmap(result, ["a", "b"], ax=ax, colorbar=colorbar)
            FigureCanvasAgg(ax.figure).draw()
            painted = image.to_rgba(image.get_array())
            # on a scale centred on 0 that reaches +-1e308: 1e308 is the top, -5e307 a quarter up
            expected = [[cmap(1.0), cmap(0.5)], [cmap(0.5), cmap(0.25)]]
            np.testing.assert_allclose(painted, np.array(expected) * [1, 1, 1, 1], atol=1 / 255)
            if colorbar:
                low, high = image._colorbar.ax.get_ylim()
                assert np.isfinite([low, high]).all()
                labels = [t.get_text() for t in image._colorbar.ax.get_yticklabels() if t.get_text()]
                assert labels and any("e+307" in t or "e+308" in t for t in labels), labels


@pytest.mark.parametrize("i", [None, 0, 1])
def test_overview_near_the_float64_limit_is_drawn(i):
    big_v = huge_scores_result(np.diag([1.7e308, -1.7e308]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plots.overview(big_v, ["a", "b"], i=i)
        png = fig._repr_png_()
    assert png.startswith(b"\x89PNG")
    if i is not None:
        bars = fig.axes[2] if fig.axes[2].containers else fig.axes[-1]
        low, high = bars.get_ylim()
        ends = [r.get_y() + r.get_height() for c in bars.containers for r in c] + [
            r.get_y() for c in bars.containers for r in c
        ]
        assert np.isfinite([low, high]).all() and low <= min(ends) and max(ends) <= high


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_matrix_heatmap_refuses_what_is_not_a_finite_number(bad):
    M = np.ones((2, 3))
    M[1, 2] = bad
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"^M must contain only finite numbers; got .* at row 1, column 2"):
            plots.matrix_heatmap(M, ["a", "b"], ax=new_axes())
        image = plots.matrix_heatmap(np.ones((2, 3)), ["a", "b"], ax=new_axes())
        with pytest.raises(ValueError, match=r"^data must contain only finite numbers"):
            plots.update_heatmap(image, M)


def test_matrix_heatmap_near_the_limit_keeps_its_scale():
    M = np.array([[1.7e308, -1.7e308, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        image = plots.matrix_heatmap(M, ["a"], ax=new_axes(), colorbar=True)
        FigureCanvasAgg(image.axes.figure).draw()
        cmap = colormaps[plots.SIGNED_CMAP]
        np.testing.assert_allclose(image.to_rgba(image.get_array())[0], [cmap(1.0), cmap(0.0), cmap(0.5)], atol=1 / 255)
        plots.update_heatmap(image, np.array([[1.0, -2.0, 0.5]]))  # back to ordinary numbers
        np.testing.assert_allclose(
            image.to_rgba(image.get_array())[0], [cmap(0.75), cmap(0.0), cmap(0.625)], atol=1 / 255
        )


# --- numbers on the axes in the learner's language (issue 25): plots.show / written_numbers ------

from matplotlib.ticker import LogFormatterSciNotation, ScalarFormatter  # noqa: E402


def labels_of(fig, axis="y"):
    """The tick labels matplotlib draws (inside the view) and the offset text, after a draw."""
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    lo, hi = sorted(ax.get_ylim() if axis == "y" else ax.get_xlim())
    shown = [t.get_text() for t in ticks if lo <= (t.get_position()[1 if axis == "y" else 0]) <= hi]
    offset = (ax.yaxis if axis == "y" else ax.xaxis).get_offset_text().get_text()
    return shown, offset


def line_figure(y, configure=None):
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.plot(range(len(y)), y)
    if configure:
        configure(ax)
    return fig


def as_portuguese(label: str) -> str:
    """The independent rule: Python's decimal point -> comma, nothing else (no thousands here)."""
    return label.replace(".", ",")


@pytest.mark.parametrize(
    "y",
    [[-0.5, 0.25, 1.0], [0.0, 0.6], [-1.25e-7, 1.5e-7], [1_234_567.1, 1_234_567.5]],
    ids=["signed", "weights", "tiny: times 1e-7", "offset +1.234567e6"],
)
def test_a_portuguese_axes_writes_a_decimal_comma(y):
    english, english_offset = labels_of(line_figure(y))
    fig = plots.written_numbers(line_figure(y), "pt")
    portuguese, offset = labels_of(fig)
    assert any("." in label for label in english + [english_offset])  # the case has decimals to write
    assert portuguese == [as_portuguese(label) for label in english]
    assert offset == as_portuguese(english_offset)
    assert not any("." in label for label in portuguese + [offset])
    assert all("-" not in label for label in portuguese + [offset])  # matplotlib's minus sign, U+2212, stays


def test_portuguese_offsets_and_mathtext_read_well():
    def sci(ax):
        ax.ticklabel_format(axis="y", style="sci", scilimits=(0, 0), useMathText=True)

    english, english_offset = labels_of(line_figure([0.0015, 0.0035], sci))
    portuguese, offset = labels_of(plots.written_numbers(line_figure([0.0015, 0.0035], sci), "pt"))
    assert english_offset == "$\\times\\mathdefault{10^{\N{MINUS SIGN}3}}\\mathdefault{}$"  # the caller's style kept
    assert offset == english_offset  # ×10⁻³: no decimal to write
    # mathtext puts a space after a bare comma: 1{,}5 is set as one number
    assert portuguese == [label.replace(".", "{,}") for label in english]
    assert any("{,}" in label for label in portuguese)


def test_an_english_axes_is_left_exactly_as_it_is():
    fig = line_figure([-0.5, 0.25, 1.0])
    formatters = [fig.axes[0].xaxis.get_major_formatter(), fig.axes[0].yaxis.get_major_formatter()]
    before = labels_of(fig)
    assert plots.written_numbers(fig, "en") is fig
    assert [fig.axes[0].xaxis.get_major_formatter(), fig.axes[0].yaxis.get_major_formatter()] == formatters
    assert type(formatters[1]) is ScalarFormatter and labels_of(fig) == before


def test_token_and_log_axes_are_left_as_they_are():
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.semilogy([1, 2, 3], [0.01, 0.5, 20.0])
    ax.set_xticks([1, 2, 3], ["0.5", "gato", "1.25"])  # tokens are text, even when they look like numbers
    x_formatter, y_formatter = ax.xaxis.get_major_formatter(), ax.yaxis.get_major_formatter()
    y_before = labels_of(fig)
    plots.written_numbers(fig, "pt")
    assert ax.xaxis.get_major_formatter() is x_formatter and ax.yaxis.get_major_formatter() is y_formatter
    assert isinstance(y_formatter, LogFormatterSciNotation)
    assert labels_of(fig, "x")[0] == ["0.5", "gato", "1.25"]
    assert labels_of(fig) == y_before


def test_show_writes_every_open_pyplot_figure_and_its_colour_bar():
    plt.close("all")
    try:
        fig, (left, right) = plt.subplots(1, 2)
        image = left.imshow(np.array([[0.0, 0.25], [0.5, 0.75]]))
        bar = fig.colorbar(image, ax=left)
        right.plot([0, 1], [0.0, 0.5])
        other, ax = plt.subplots()
        ax.plot([0, 1], [-1.5, 1.5])
        plots.show("pt")
        for figure in (fig, other):
            FigureCanvasAgg(figure).draw()
        shown = [t.get_text() for a in (bar.ax, right, ax) for t in a.get_yticklabels()]
        assert any("," in label for label in shown)
        assert not any("." in label for label in shown)
        # the same figure in English: matplotlib's own labels
        fig_en, ax_en = plt.subplots()
        ax_en.plot([0, 1], [-1.5, 1.5])
        plots.show("en")
        assert type(ax_en.yaxis.get_major_formatter()) is ScalarFormatter
    finally:
        plt.close("all")


def test_written_numbers_is_idempotent_and_survives_a_cleared_figure():
    fig = line_figure([0.0, 0.5])
    plots.written_numbers(fig, "pt")
    formatter = fig.axes[0].yaxis.get_major_formatter()
    plots.written_numbers(fig, "pt")
    assert fig.axes[0].yaxis.get_major_formatter() is formatter
    fig.clear()  # a widget's redraw may start over: the next call writes the new axes too
    fig.add_subplot().plot([0, 1], [0.0, 0.5])
    assert "." in "".join(labels_of(fig)[0])
    assert "." not in "".join(labels_of(plots.written_numbers(fig, "pt"))[0])


def test_png_is_the_picture_of_the_figure_with_its_numbers_in_the_language():
    """A widget's picture (plots.png): PNG bytes of the figure as drawn, its axes written first."""
    import io

    from matplotlib.image import imread

    fig = line_figure([0.0, 0.5])
    data = plots.png(fig, "pt")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = (fig.get_size_inches() * fig.dpi).round().astype(int)
    assert imread(io.BytesIO(data)).shape[:2] == (height, width)
    shown = labels_of(fig)[0]
    assert shown and all("." not in label for label in shown) and any("," in label for label in shown)
    english = line_figure([0.0, 0.5])
    plots.png(english, "en")
    assert any("." in label for label in labels_of(english)[0])


def test_a_portuguese_colour_bar_near_the_float64_limit_writes_a_decimal_comma():
    """A scale divided by a power of ten (its own tick labels) follows the language too, and so
    does the scale after it comes back to ordinary numbers."""

    def colour_bar(language, update=None):
        fig = Figure()
        image = plots.matrix_heatmap(
            np.array([[1.7e308, -1.7e308, 0.5]]), ["a"], ax=fig.add_subplot(), colorbar=True, language=language
        )
        if update is not None:
            plots.update_heatmap(image, update)
        FigureCanvasAgg(fig).draw()
        return [t.get_text() for t in image._colorbar.ax.get_yticklabels()]

    def contribution_axis(language, values):
        fig = Figure()
        ax = fig.add_subplot()
        big = self_attention(np.eye(2), np.eye(2), np.eye(2), np.array([[1.5e308, 0.0], [0.0, 1.0]]))
        bars = plots.contributions(big, ["a", "b"], 1, ax=ax, language=language)
        if values is not None:
            plots.update_contributions(ax, bars, self_attention(*[np.eye(2)] * 3, values), 1)
        FigureCanvasAgg(fig).draw()
        return [t.get_text() for t in ax.get_yticklabels()]

    pairs = [
        (colour_bar("en"), colour_bar("pt")),
        (colour_bar("en", np.array([[1.0, -2.0, 0.5]])), colour_bar("pt", np.array([[1.0, -2.0, 0.5]]))),
        (contribution_axis("en", None), contribution_axis("pt", None)),
        (
            contribution_axis("en", np.array([[0.5, -1.5], [1.0, 0.25]])),
            contribution_axis("pt", np.array([[0.5, -1.5], [1.0, 0.25]])),
        ),
    ]
    assert all(any("." in label for label in english) for english, _ in pairs[:2])  # decimals to write
    assert any("e+" in label for label in pairs[2][0])  # the contributions' scale divided by 1e307
    for english, portuguese in pairs:
        assert portuguese == [label.replace(".", ",").replace("-", "\N{MINUS SIGN}") for label in english]
