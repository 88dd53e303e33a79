"""LocalResponseNorm, Softmax2d, RReLU and ChannelShuffle against torch.nn's, and saving."""

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from jaring.io import load, save
from tests.nn.helpers import compare_module_with_torch
from tests.oracle import check_gradients, random_array

LAYERS = [
    ("LocalResponseNorm", dict(size=3, alpha=0.1, beta=0.75, k=2.0)),
    ("LocalResponseNorm", dict(size=2)),
    ("Softmax2d", {}),
    ("ChannelShuffle", dict(groups=2)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(2, 4, 3, 5), (1, 4, 1, 1), (4, 3, 2)])
@pytest.mark.parametrize("name, args", LAYERS)
def test_layers_match_torch(name, args, shape, dtype):
    if name in ("LocalResponseNorm", "ChannelShuffle") and len(shape) == 3:
        shape = (1, *shape)  # these read axis 1 as channels: no unbatched form in torch either
    tol = 1e-5 if dtype == np.float32 else 1e-12
    compare_module_with_torch(
        getattr(nn, name)(**args), getattr(torch.nn, name)(**args), random_array(shape, 1), tol, tol, dtype
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rrelu_in_eval_matches_torch(dtype):
    tol = 1e-6 if dtype == np.float32 else 1e-12
    x = random_array((2, 3, 4), 2)
    compare_module_with_torch(nn.RReLU(0.1, 0.3).eval(), torch.nn.RReLU(0.1, 0.3).eval(), x, tol, tol, dtype)


def test_rrelu_in_training_draws_from_its_seed():
    x = jaring.tensor(-np.ones(1000, np.float32))
    first, again = nn.RReLU(seed=0), nn.RReLU(seed=0)
    a, b = first(x).numpy(), again(x).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first(x).numpy(), a)  # the layer's generator moves on
    assert (-a >= 1 / 8).all() and (-a < 1 / 3).all()
    first.eval()
    np.testing.assert_allclose(first(x).numpy(), -(1 / 8 + 1 / 3) / 2, rtol=1e-6)


def test_softmax2d_gradcheck_and_rank_error():
    check_gradients(lambda t: nn.Softmax2d()(t), [random_array((2, 3, 2, 2), 3)])
    with pytest.raises(ValueError, match="3 or 4 dimensions"):
        nn.Softmax2d()(jaring.ones(2, 3))


def test_bad_arguments():
    with pytest.raises(RuntimeError, match="must be positive"):
        nn.ChannelShuffle(0)
    with pytest.raises(ValueError, match="lower bound"):
        nn.RReLU(0.5, 0.1)


def test_torch_state_dict_loads_and_save_round_trip(tmp_path):
    model = nn.Sequential(
        nn.LocalResponseNorm(3, alpha=0.1), nn.ChannelShuffle(2), nn.Softmax2d(), nn.RReLU(0.1, 0.2, seed=1)
    )
    model.load_state_dict(
        torch.nn.Sequential(
            torch.nn.LocalResponseNorm(3), torch.nn.ChannelShuffle(2), torch.nn.Softmax2d(), torch.nn.RReLU()
        ).state_dict()
    )
    reloaded = load(save(model, tmp_path / "model")).eval()
    assert [type(m).__name__ for m in reloaded] == [
        "LocalResponseNorm",
        "ChannelShuffle",
        "Softmax2d",
        "RReLU",
    ]
    assert reloaded[0].alpha == 0.1 and reloaded[1].groups == 2 and reloaded[3].upper == 0.2
    x = jaring.tensor(random_array((2, 4, 3, 3), 4))
    np.testing.assert_allclose(reloaded(x).numpy(), model.eval()(x).numpy(), rtol=1e-6)
