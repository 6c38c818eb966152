"""Plots of notebooks 10-12: what they draw, and every text through strings."""

import numpy as np
from matplotlib.figure import Figure

from selfattn_lib import multi_head_attention, plots_more, positional_encoding, strings


def test_encoding_heatmap_draws_the_table_with_translated_texts(monkeypatch):
    PE = positional_encoding(10, 6)
    ax = Figure().add_subplot()
    image = plots_more.encoding_heatmap(PE, ax=ax)
    np.testing.assert_array_equal(image.get_array(), PE)
    assert ax.get_title() == "Sinusoidal positional encoding PE (10 positions × d_model = 6)"
    english = strings.STRINGS["en"]
    monkeypatch.setitem(strings.STRINGS, "pt-test", {k: "PT:" + v for k, v in english.items()})
    ax = Figure().add_subplot()
    plots_more.encoding_heatmap(PE, ax=ax, language="pt-test")
    assert all(t.startswith("PT:") for t in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()))


def test_one_heatmap_per_head():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 4))
    result = multi_head_attention(
        X, rng.normal(size=(4, 4)), rng.normal(size=(4, 4)), rng.normal(size=(4, 4)), np.eye(4), 2
    )
    fig = Figure()
    axes = fig.subplots(1, 2)
    images = plots_more.heads_heatmaps(result, ["a", "b", "c"], axes)
    assert len(images) == 2 and [ax.get_title() for ax in axes] == ["head 0", "head 1"]
    for image, head in zip(images, result.heads):
        shown = np.ma.filled(image.get_array(), np.nan)
        np.testing.assert_allclose(shown[np.tril_indices(3)], head.weights[np.tril_indices(3)])
