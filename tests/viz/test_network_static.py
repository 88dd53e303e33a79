"""jaring/viz/network_static.py: the static drawing of neurons, weights, biases and activations."""

import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.patches import Circle

from jaring.models import FFNN
from jaring.viz import plot_network
from tests.viz.models import trained_mlp
from tests.viz.pictures import assert_drawn_png


def test_every_neuron_weight_and_bias_is_drawn(tmp_path):
    model = trained_mlp((5, 4, 3))
    fig = plot_network(model, tmp_path / "net.png")
    ax = fig.axes[0]
    assert sum(isinstance(p, Circle) for p in ax.patches) == 5 + 4 + 3
    collections = [c for c in ax.collections if isinstance(c, LineCollection)]
    drawn = sorted(len(c.get_segments()) for c in collections)
    assert drawn == sorted([5 * 4, 4, 4 * 3, 3])  # two weight matrices and two bias fans
    texts = [t.get_text() for t in ax.texts]
    assert "relu" in texts and "+1" in texts and "output\n3" in texts
    assert_drawn_png(tmp_path / "net.png")


def test_edge_colour_follows_the_weight_sign():
    model = trained_mlp((2, 2))
    ax = plot_network(model).axes[0]
    weights = model[0].weight.numpy()
    lines = max(
        (c for c in ax.collections if isinstance(c, LineCollection)), key=lambda c: len(c.get_segments())
    )
    colors = lines.get_colors()
    order = np.meshgrid(np.arange(2), np.arange(2), indexing="ij")
    values = weights[order[0].ravel(), order[1].ravel()]
    np.testing.assert_array_equal(colors[:, 2] > colors[:, 0], values >= 0)  # blue if positive, red if not


def test_wide_layers_fold_into_boxes_with_statistics(tmp_path):
    model = FFNN([784, 32, 10], ["relu", "softmax"], seed=0)
    fig = plot_network(model, tmp_path / "big.svg", fold_threshold=16)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "784 neurons" in texts and "32 neurons" in texts and "std" in texts
    assert sum(isinstance(p, Circle) for p in fig.axes[0].patches) == 10
    assert (tmp_path / "big.svg").read_text().startswith("<?xml")


def test_bad_fold_threshold():
    with pytest.raises(ValueError, match="fold_threshold must be a positive integer"):
        plot_network(trained_mlp(), fold_threshold=0)
