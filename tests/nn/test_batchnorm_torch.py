"""BatchNorm1d and BatchNorm2d against torch.nn over training and evaluation steps."""

import numpy as np
import pytest
import torch

import jaring
import jaring.nn as nn


def _pair(kind, **settings):
    twin = getattr(torch.nn, kind)(3, eps=1e-3, **settings).double()
    layer = getattr(nn, kind)(3, eps=1e-3, dtype="float64", **settings)
    if layer.affine:
        rng = np.random.default_rng(1)
        weight, bias = rng.standard_normal(3), rng.standard_normal(3)
        with torch.no_grad():
            twin.weight.copy_(torch.tensor(weight))
            twin.bias.copy_(torch.tensor(bias))
        layer.weight.data[...] = weight
        layer.bias.data[...] = bias
    return layer, twin


@pytest.mark.parametrize(
    "kind,shape", [("BatchNorm1d", (5, 3)), ("BatchNorm1d", (4, 3, 6)), ("BatchNorm2d", (4, 3, 5, 2))]
)
@pytest.mark.parametrize("momentum", [0.1, None, 0.5])
@pytest.mark.parametrize("affine,track", [(True, True), (False, True), (True, False)])
def test_steps_match_torch(kind, shape, momentum, affine, track):
    layer, twin = _pair(kind, momentum=momentum, affine=affine, track_running_stats=track)
    rng = np.random.default_rng(0)
    for mode in ["train", "train", "eval", "train", "eval"]:
        layer.train(mode == "train")
        twin.train(mode == "train")
        x = rng.standard_normal(shape) * 3 + 1
        upstream = rng.standard_normal(shape)
        jx, tx = jaring.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        out, expected = layer(jx), twin(tx)
        (out * jaring.tensor(upstream)).sum().backward()
        (expected * torch.tensor(upstream)).sum().backward()
        np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(jx.grad.numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-12)
        state, expected_state = layer.state_dict(), twin.state_dict()
        assert set(state) == set(expected_state)
        for key, value in expected_state.items():
            np.testing.assert_allclose(
                np.asarray(state[key], dtype=float), value.double().numpy(), rtol=1e-12
            )


def test_loads_a_torch_state_dict_and_resets():
    twin = torch.nn.BatchNorm2d(4)
    twin(torch.randn(8, 4, 3, 3))
    layer = nn.BatchNorm2d(4)
    layer.load_state_dict({k: v.numpy() for k, v in twin.state_dict().items()})
    np.testing.assert_allclose(layer.running_mean.numpy(), twin.running_mean.numpy())
    assert int(layer.num_batches_tracked.item()) == 1
    layer.reset_running_stats()
    assert layer.running_mean.numpy().tolist() == [0.0] * 4 and int(layer.num_batches_tracked.item()) == 0


def test_plain_arrays_take_the_layers_dtype():
    layer = nn.BatchNorm1d(2, dtype="float64")
    assert layer(np.ones((3, 2), np.float32)).dtype == np.float64


def test_bad_input_and_arguments_are_named():
    with pytest.raises(ValueError, match=r"\(N, C\) or \(N, C, L\) with C = 3"):
        nn.BatchNorm1d(3)(jaring.ones(4, 2))
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        nn.BatchNorm2d(3)(jaring.ones(4, 3))
    with pytest.raises(ValueError, match="more than one value per channel"):
        nn.BatchNorm1d(3)(jaring.ones(1, 3))
    with pytest.raises(ValueError, match="num_features"):
        nn.BatchNorm1d(0)
    with pytest.raises(ValueError, match="momentum"):
        nn.BatchNorm2d(3, momentum=1.5)
