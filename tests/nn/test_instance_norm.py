"""nn.InstanceNorm1d/2d/3d against torch.nn over training and evaluation steps, batched and
unbatched, with and without running statistics; state dicts, model files and checks."""

import warnings

import numpy as np
import pytest
import torch

import jaring
import jaring.nn as nn
from jaring.io import load, save
from tests.nn.helpers import check_module_gradients, compare_module_with_torch
from tests.oracle import CASES, random_array

KINDS = [
    ("InstanceNorm1d", (4, 3, 5)),
    ("InstanceNorm1d", (3, 5)),  # unbatched (C, L)
    ("InstanceNorm1d", (1, 3, 2)),
    ("InstanceNorm2d", (2, 3, 4, 3)),
    ("InstanceNorm2d", (3, 1, 4)),  # unbatched (C, H, W) with a size-1 dim
    ("InstanceNorm3d", (2, 3, 2, 2, 3)),
    ("InstanceNorm3d", (3, 2, 3, 2)),
]


def _pair(kind, dtype, **settings):
    layer = getattr(nn, kind)(3, eps=1e-3, dtype=dtype, **settings)
    twin = getattr(torch.nn, kind)(3, eps=1e-3, **settings).to(
        torch.float64 if dtype == "float64" else torch.float32
    )
    rng = np.random.default_rng(1)
    for p in layer.parameters():
        p.data[...] = rng.standard_normal(p.shape)
    twin.load_state_dict({k: torch.tensor(v) for k, v in layer.state_dict().items()})
    return layer, twin


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kind, shape", KINDS)
@pytest.mark.parametrize("momentum", [0.1, None])
@pytest.mark.parametrize("affine, track", [(False, False), (True, False), (False, True), (True, True)])
def test_steps_match_torch(kind, shape, momentum, affine, track, dtype):
    layer, twin = _pair(kind, dtype, momentum=momentum, affine=affine, track_running_stats=track)
    tol = 1e-4 if dtype == "float32" else 1e-10
    rng = np.random.default_rng(0)
    for mode in ["train", "train", "eval", "train", "eval"]:
        layer.train(mode == "train")
        twin.train(mode == "train")
        x = (rng.standard_normal(shape) * 3 + 1).astype(dtype)
        upstream = rng.standard_normal(shape).astype(dtype)
        jx, tx = jaring.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        out, expected = layer(jx), twin(tx)
        out.backward(upstream)
        expected.backward(torch.tensor(upstream))
        np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=tol, atol=tol)
        np.testing.assert_allclose(jx.grad.numpy(), tx.grad.numpy(), rtol=tol, atol=tol)
        for name, p in twin.named_parameters():
            np.testing.assert_allclose(getattr(layer, name).grad.numpy(), p.grad.numpy(), rtol=tol, atol=tol)
            p.grad = None
            getattr(layer, name).grad = None
        state, expected_state = layer.state_dict(), twin.state_dict()
        assert set(state) == set(expected_state)
        for key, value in expected_state.items():
            np.testing.assert_allclose(np.asarray(state[key], dtype=float), value.double().numpy(), rtol=tol)
        CASES["torch"] += 1


def test_layer_against_torch_with_the_shared_helper_and_gradcheck():
    layer = nn.InstanceNorm2d(3, affine=True)
    compare_module_with_torch(
        layer, torch.nn.InstanceNorm2d(3, affine=True), random_array((2, 3, 4, 4), seed=2)
    )
    check_module_gradients(nn.InstanceNorm1d(3, affine=True), random_array((2, 3, 4), seed=3))


def test_loads_a_torch_state_dict_and_survives_a_model_file(tmp_path):
    twin = torch.nn.InstanceNorm2d(4, affine=True, track_running_stats=True)
    for _ in range(3):
        twin(torch.randn(2, 4, 5, 5) * 2 + 1)
    twin.eval()
    layer = nn.InstanceNorm2d(4, affine=True, track_running_stats=True).eval()
    layer.load_state_dict({k: v.numpy() for k, v in twin.state_dict().items()})
    x = random_array((2, 4, 5, 5), seed=4)
    expected = twin(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(layer(jaring.tensor(x)).numpy(), expected, rtol=1e-5, atol=1e-5)
    reloaded = load(save(layer, tmp_path / "norm")).eval()
    assert isinstance(reloaded, nn.InstanceNorm2d) and reloaded.track_running_stats
    np.testing.assert_allclose(reloaded(jaring.tensor(x)).numpy(), expected, rtol=1e-5, atol=1e-5)
    layer.reset_running_stats()
    assert layer.running_var.numpy().tolist() == [1.0] * 4


def test_defaults_and_repr():
    layer = nn.InstanceNorm1d(3)
    assert layer.weight is None and layer.running_mean is None and layer.state_dict() == {}
    assert repr(layer) == repr(torch.nn.InstanceNorm1d(3)).replace(", bias=False", "")


def test_unused_num_features_warns_as_torch_and_checks():
    with pytest.warns(UserWarning, match="does not match num_features"):
        out = nn.InstanceNorm1d(3)(jaring.ones(2, 4, 5))
    assert out.shape == (2, 4, 5)
    with pytest.raises(ValueError, match=r"size at dim=1 to match num_features \(3\), but got: 4"):
        nn.InstanceNorm1d(3, affine=True)(jaring.ones(2, 4, 5))
    with pytest.raises(ValueError, match=r"size at dim=0 to match num_features \(3\), but got: 4"):
        nn.InstanceNorm2d(3, track_running_stats=True)(jaring.ones(4, 5, 5))
    with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 1D input"):
        nn.InstanceNorm1d(3)(jaring.ones(3))
    with pytest.raises(ValueError, match=r"expected 3D or 4D input \(got 5D input"):
        nn.InstanceNorm2d(3)(jaring.ones(1, 3, 2, 2, 2))
    with pytest.raises(ValueError, match="more than 1 spatial element"):
        nn.InstanceNorm1d(3)(jaring.ones(2, 3, 1))
    with pytest.raises(ValueError, match="num_features"):
        nn.InstanceNorm1d(0)
    with pytest.raises(ValueError, match="momentum"):
        nn.InstanceNorm1d(3, momentum=1.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.InstanceNorm3d(2)(jaring.ones(2, 2, 2, 2))  # unbatched (C, D, H, W): no warning
