"""jaring/viz/activations.py: each activation with the derivative jaring's backward computes."""

import numpy as np
import pytest
import torch

from jaring.viz import plot_activations
from jaring.viz.activations import activation_curves
from tests.viz.pictures import assert_drawn_png

X = np.linspace(-3, 3, 61)
TORCH = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda t: torch.nn.functional.leaky_relu(t, 0.1),
    "elu": torch.nn.functional.elu,
    "swish": torch.nn.functional.silu,
}


@pytest.mark.parametrize("name", sorted(TORCH))
def test_curves_and_derivatives_match_torch(name):
    y, slope = activation_curves(name, X)
    t = torch.tensor(X, requires_grad=True)
    TORCH[name](t).sum().backward()
    np.testing.assert_allclose(y, TORCH[name](t).detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(slope, t.grad.numpy(), atol=1e-12)


def test_binary_step_is_a_step_with_zero_derivative():
    y, slope = activation_curves("binary_step", X)
    np.testing.assert_array_equal(y, (X >= 0).astype(float))
    np.testing.assert_array_equal(slope, 0)


@pytest.mark.slow
def test_all_seven_panels_with_function_and_derivative(tmp_path):
    fig = plot_activations(tmp_path / "a.png")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 7
    assert all(len(ax.get_lines()) >= 2 for ax in visible)
    assert visible[0].get_title() == "sigmoid"
    assert_drawn_png(tmp_path / "a.png")


def test_bad_arguments_list_the_choices():
    with pytest.raises(ValueError, match="choose from"):
        plot_activations(names=["softsign"])
    with pytest.raises(ValueError, match="low < high"):
        plot_activations(x_range=(1, -1))
