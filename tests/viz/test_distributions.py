"""jaring/viz/distributions.py and the Module methods: histograms of chosen layers' weights and gradients."""

import numpy as np
import pytest
from matplotlib.figure import Figure

import jaring.nn as nn
from jaring.viz import plot_gradients, plot_weights
from tests.viz.models import trained_mlp
from tests.viz.pictures import assert_drawn_png


def _bar_total(ax) -> int:
    return int(round(sum(patch.get_height() for patch in ax.patches)))


def test_plot_weights_one_histogram_per_chosen_layer_counts_every_weight(tmp_path):
    model = trained_mlp((5, 4, 3))
    fig = plot_weights(model, layers=[0, 1], path=tmp_path / "w.png")
    assert isinstance(fig, Figure)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 2
    assert [_bar_total(ax) for ax in visible] == [5 * 4, 4 * 3]
    assert "layer 1" in visible[1].get_title()
    assert_drawn_png(tmp_path / "w.png")


def test_histogram_range_matches_the_weights():
    model = trained_mlp((5, 4, 3))
    ax = plot_weights(model, [1], bins=7).axes[0]
    lefts = [p.get_x() for p in ax.patches]
    right = ax.patches[-1].get_x() + ax.patches[-1].get_width()
    w = model[2].weight.numpy()
    assert len(ax.patches) == 7
    assert np.isclose(min(lefts), w.min(), atol=1e-6) and np.isclose(right, w.max(), atol=1e-6)


def test_plot_gradients_uses_the_gradients_not_the_weights(tmp_path):
    model = trained_mlp((5, 4, 3))
    ax = plot_gradients(model, layers=[-1], path=tmp_path / "g.png", bins=5).axes[0]
    assert plot_gradients(model, ["2"], bins=5).axes[0].patches[0].get_x() == ax.patches[0].get_x()
    g = model[2].weight.grad.numpy()
    right = ax.patches[-1].get_x() + ax.patches[-1].get_width()
    assert np.isclose(ax.patches[0].get_x(), g.min(), atol=1e-6) and np.isclose(right, g.max(), atol=1e-6)
    assert_drawn_png(tmp_path / "g.png")


def test_include_bias_adds_a_second_histogram():
    model = trained_mlp((5, 4, 3))
    ax = plot_weights(model, [0], bins=4, include_bias=True).axes[0]
    assert _bar_total(ax) == 5 * 4 + 4
    assert len(ax.get_legend().get_texts()) == 2


def test_gradients_before_backward_say_what_to_do():
    model = nn.Sequential(nn.Linear(3, 2))
    with pytest.raises(ValueError, match="no gradients yet.*backward"):
        plot_gradients(model, layers=[0])


def test_bad_bins_and_layers_are_refused():
    model = trained_mlp((5, 4, 3))
    with pytest.raises(ValueError, match="bins must be a positive integer"):
        plot_weights(model, bins=0)
    with pytest.raises(IndexError, match="0: 0 \\(Linear\\), 1: 2 \\(Linear\\)"):
        plot_weights(model, layers=[2])


def test_conv_and_recurrent_layers_have_histograms():
    model = nn.Sequential(nn.Conv2D(2, 3, input_dim=1, data_format="channels_first"), nn.Flatten())
    lstm = nn.LSTM(3, input_dim=2, seed=0)
    assert _bar_total(plot_weights(model).axes[0]) == 2 * 1 * 3 * 3
    assert _bar_total(plot_weights(lstm).axes[0]) == 4 * 3 * 2 + 4 * 3 * 3
