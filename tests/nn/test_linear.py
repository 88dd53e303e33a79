"""Linear and Dense against torch.nn.Linear with the same weights; gradcheck; lazy build; errors."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis.extra import numpy as hnp

import jaring
from jaring import nn
from tests.nn.helpers import check_module_gradients, compare_module_with_torch
from tests.oracle import FAST, random_array, st

leading = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)


@FAST
@given(lead=leading, sizes=st.tuples(st.integers(1, 6), st.integers(1, 6)), bias=st.booleans())
def test_linear_matches_torch(lead, sizes, bias):
    n_in, n_out = sizes
    layer = nn.Linear(n_in, n_out, bias=bias, seed=0)
    compare_module_with_torch(layer, torch.nn.Linear(n_in, n_out, bias=bias), random_array((*lead, n_in)))


class _LinearThen(torch.nn.Module):
    """torch's Linear + activation under the state_dict names of nn.Sequential({"lin": Dense})."""

    def __init__(self, n_in, n_out, act):
        super().__init__()
        self.lin = torch.nn.Linear(n_in, n_out)
        self.act = act

    def forward(self, x):
        return self.act(self.lin(x))


TORCH_ACTIVATIONS = {
    "relu": torch.nn.ReLU(),
    "tanh": torch.nn.Tanh(),
    "sigmoid": torch.nn.Sigmoid(),
    None: None,
}


@pytest.mark.parametrize("activation", sorted(TORCH_ACTIVATIONS, key=str))
def test_dense_matches_torch_linear_plus_activation(activation):
    layer = nn.Dense(4, activation=activation, seed=1)
    x = random_array((5, 3), seed=2)
    layer(x)  # builds the weights from the first input
    theirs = _LinearThen(3, 4, TORCH_ACTIVATIONS[activation] or torch.nn.Identity())
    compare_module_with_torch(nn.Sequential({"lin": layer}), theirs, x)


@pytest.mark.parametrize("bias", [True, False])
def test_gradcheck_float64(bias):
    check_module_gradients(nn.Linear(3, 2, bias=bias, seed=3), random_array((4, 3), seed=4))
    check_module_gradients(nn.Dense(2, activation="tanh", input_dim=3, seed=5), random_array((2, 1, 3)))


def test_default_init_is_pytorchs():
    layer = nn.Linear(400, 300, seed=0)
    bound = 1 / math.sqrt(400)
    for p in (layer.weight, layer.bias):
        values = p.numpy()
        assert p.dtype == np.float32 and np.abs(values).max() <= bound
        assert np.abs(values).max() == pytest.approx(bound, rel=0.02)
    assert layer.weight.shape == (300, 400) and layer.bias.shape == (300,)


def test_initializers_and_seed():
    a = nn.Linear(5, 4, weight_init="he_normal", bias_init="zeros", seed=7)
    b = nn.Linear(5, 4, weight_init="he_normal", bias_init="zeros", seed=7)
    np.testing.assert_array_equal(a.weight.numpy(), b.weight.numpy())
    assert (a.bias.numpy() == 0).all()
    c = nn.Linear(2, 2, weight_init=lambda shape: np.eye(*shape), bias_init="ones")
    np.testing.assert_array_equal(c.weight.numpy(), np.eye(2))
    dense = nn.Dense(3, input_dim=2, kernel_initializer="ones", bias_initializer="zeros")
    np.testing.assert_array_equal(dense(np.array([[1.0, 2.0]])).numpy(), [[3.0, 3.0, 3.0]])


def test_shapes_batch_one_and_leading_dims_and_dtype():
    layer = nn.Linear(3, 2)
    assert layer(jaring.ones(1, 3)).shape == (1, 2)
    assert layer(jaring.ones(2, 5, 3)).shape == (2, 5, 2)
    assert layer(jaring.ones(3)).shape == (2,)
    assert layer(np.ones((4, 3))).dtype == np.float32  # float64 data is cast to the layer's dtype


def test_dense_lazy_build_and_config():
    layer = nn.Dense(8, activation="relu")
    assert layer.weight is None and list(layer.named_parameters()) == []
    assert "input_dim=?" in repr(layer)
    out = layer(jaring.ones(2, 5))
    assert out.shape == (2, 8) and layer.weight.shape == (8, 5) and layer.bias.shape == (8,)
    config = layer.get_config()
    assert config["input_dim"] == 5 and config["activation"] == "relu"
    clone = nn.Dense.from_config(config)
    assert clone.weight.shape == (8, 5)
    clone.load_state_dict(layer.state_dict())
    np.testing.assert_array_equal(clone(jaring.ones(2, 5)).numpy(), out.numpy())
    no_bias = nn.Dense(2, use_bias=False, input_dim=3)
    assert [n for n, _ in no_bias.named_parameters()] == ["weight"]


def test_wrong_feature_count_names_layer_and_shapes():
    with pytest.raises(
        ValueError, match=r"Linear\(in_features=4, out_features=2.*\(\.\.\., 4\), got \(8, 3\)"
    ):
        nn.Linear(4, 2)(jaring.ones(8, 3))
    dense = nn.Dense(2, input_dim=5)
    with pytest.raises(ValueError, match=r"Dense\(units=2, input_dim=5.*\(\.\.\., 5\), got \(1, 6\)"):
        dense(jaring.ones(1, 6))
    with pytest.raises(ValueError, match="Dense"):
        nn.Dense(2)(jaring.tensor(1.0))


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="in_features must be a positive integer, got 0"):
        nn.Linear(0, 3)
    with pytest.raises(ValueError, match="units must be a positive integer"):
        nn.Dense(2.5)
    with pytest.raises(ValueError, match="unknown activation 'rellu'"):
        nn.Dense(3, activation="rellu")
    with pytest.raises(ValueError, match="unknown initializer"):
        nn.Linear(2, 2, weight_init="glorot")


def test_weight_is_column_major_and_stays_so_through_training_and_loading():
    # The weight keeps PyTorch's shape (out, in) but lies column-major in memory, so that
    # x @ W.T is a plain row-major GEMM; its gradient and the optimizer follow that layout.
    from jaring.optim import Adam

    for layer in (nn.Linear(5, 3, seed=0), nn.Dense(3, input_dim=5, seed=0)):
        w = layer.weight
        assert w.shape == (3, 5) and w.data.flags.f_contiguous and not w.data.flags.c_contiguous
        x = jaring.tensor(random_array((4, 5), 1))
        layer(x).sum().backward()
        assert w.grad.data.flags.f_contiguous
        expected = x.numpy().sum(axis=0)[None, :].repeat(3, axis=0)
        np.testing.assert_allclose(w.grad.numpy(), expected, rtol=1e-6)
        Adam(layer.parameters(), lr=0.1).step()
        assert w.data.flags.f_contiguous
        state = {k: np.array(v) for k, v in layer.state_dict().items()}
        fresh = type(layer)(5, 3, seed=1) if isinstance(layer, nn.Linear) else nn.Dense(3, input_dim=5)
        fresh.load_state_dict(state)
        assert fresh.weight.data.flags.f_contiguous
        np.testing.assert_array_equal(fresh.weight.numpy(), w.numpy())


def test_functional_linear_gradient_follows_the_weights_layout():
    import jaring.functional as F

    x = jaring.tensor(random_array((6, 4), 2))
    for order in ("C", "F"):
        w = jaring.tensor(np.asarray(random_array((3, 4), 3), order=order), requires_grad=True)
        F.linear(x, w).sum().backward()
        np.testing.assert_allclose(w.grad.numpy(), np.ones((6, 3)).T @ x.numpy(), rtol=1e-6)
        assert w.grad.data.flags[f"{order}_CONTIGUOUS"]
