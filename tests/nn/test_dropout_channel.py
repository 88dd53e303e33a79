"""Dropout1d/2d/3d, AlphaDropout and FeatureAlphaDropout layers: train/eval, seeded masks,
mask statistics, gradients, model files and argument checks."""

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from jaring.io import load, save

LAYERS = [
    ("Dropout1d", (6, 40, 3)),
    ("Dropout2d", (6, 40, 3, 3)),
    ("Dropout3d", (6, 40, 2, 2, 2)),
    ("FeatureAlphaDropout", (6, 40, 3, 2)),
]


@pytest.mark.parametrize("kind, shape", LAYERS)
def test_whole_channels_in_training_identity_in_eval(kind, shape):
    layer = getattr(nn, kind)(0.4, seed=0)
    x = jaring.ones(*shape)
    out = layer(x).numpy()
    per_channel = out.reshape(shape[0], shape[1], -1)
    assert (per_channel == per_channel[:, :, :1]).all()
    assert len(np.unique(out)) == 2
    dropped = (per_channel[:, :, 0] == per_channel.min()).mean()
    assert abs(dropped - 0.4) < 0.1
    assert layer.eval()(x) is x


@pytest.mark.parametrize(
    "kind", ["Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"]
)
def test_seeded_layers_repeat_their_masks_and_follow_manual_seed(kind):
    x = jaring.ones(4, 8, 2, 2) if kind != "Dropout1d" else jaring.ones(4, 8, 2)
    a, b = getattr(nn, kind)(0.5, seed=3), getattr(nn, kind)(0.5, seed=3)
    first, second = [a(x).numpy() for _ in range(2)], [b(x).numpy() for _ in range(2)]
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first[0], first[1])
    unseeded = getattr(nn, kind)(0.5)
    jaring.manual_seed(9)
    again = unseeded(x).numpy()
    jaring.manual_seed(9)
    np.testing.assert_array_equal(again, unseeded(x).numpy())


def test_gradient_and_unbatched_input():
    x = jaring.ones(3, 10, requires_grad=True)  # Dropout1d's unbatched (C, L)
    out = nn.Dropout1d(0.5, seed=1)(x)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), out.numpy())
    assert (out.numpy() == out.numpy()[:, :1]).all()
    unbatched = nn.Dropout3d(0.5, seed=2)(jaring.ones(16, 2, 2, 2)).numpy()  # (C, D, H, W)
    assert (unbatched.reshape(16, -1) == unbatched.reshape(16, -1)[:, :1]).all()


def test_dropout2d_warns_on_3d_input_as_torch():
    with pytest.warns(UserWarning, match=r"interpreted as shape \(N, C, L\)"):
        out = nn.Dropout2d(0.5, seed=0)(jaring.ones(8, 4, 5)).numpy()
    assert (out == out[:, :, :1]).all()  # one draw per (N, C), as torch does
    with pytest.warns(UserWarning, match=r"interpreted as shape \(N, C, L\)"):
        torch.nn.Dropout2d(0.5)(torch.ones(8, 4, 5))


def test_alpha_dropout_layer_keeps_selu_statistics(tmp_path):
    layer = nn.AlphaDropout(0.2, seed=0)
    out = layer(jaring.randn(200_000, seed=1)).numpy()
    assert abs(out.mean()) < 0.01 and abs(out.std() - 1) < 0.01
    model = nn.Sequential(nn.Linear(4, 4), nn.SELU(), nn.AlphaDropout(0.1), nn.Dropout2d(0.3))
    reloaded = load(save(model, tmp_path / "model"))
    assert [type(m).__name__ for m in reloaded] == ["Linear", "SELU", "AlphaDropout", "Dropout2d"]
    assert reloaded[3].p == 0.3


def test_p_checks_and_repr():
    for kind in ["Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"]:
        with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
            getattr(nn, kind)(1.5)
        with pytest.raises(ValueError, match="but got -0.1"):
            getattr(nn, kind)(-0.1)
    assert repr(nn.Dropout2d(0.25)) == "Dropout2d(p=0.25)"
    assert nn.Dropout2d(1.0)(jaring.ones(2, 3, 2, 2)).numpy().max() == 0.0  # p = 1 is allowed, as in torch
