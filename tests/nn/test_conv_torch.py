"""Conv1d, Conv2d and ConvTranspose2d against torch.nn with the same weights; PyTorch's init bound."""

import numpy as np
import pytest
import torch

import jaring.nn as nn
from tests.oracle import compare_with_torch, random_array


def _torch_twin(layer, torch_layer):
    torch_layer.load_state_dict({k: torch.tensor(v) for k, v in layer.state_dict().items()})
    return torch_layer


@pytest.mark.parametrize("groups,padding,bias", [(1, 0, True), (2, 1, False), (4, "same", True)])
def test_conv1d_matches_torch(groups, padding, bias):
    layer = nn.Conv1d(4, 8, 3, padding=padding, groups=groups, bias=bias, seed=0)
    twin = _torch_twin(layer, torch.nn.Conv1d(4, 8, 3, padding=padding, groups=groups, bias=bias))
    compare_with_torch(layer, twin, [random_array((2, 4, 6), 1)], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("stride,padding,output_padding,groups", [(1, 0, 0, 1), (2, 1, 1, 2), (3, 2, 2, 1)])
def test_conv_transpose2d_matches_torch(stride, padding, output_padding, groups):
    args = dict(stride=stride, padding=padding, output_padding=output_padding, groups=groups)
    layer = nn.ConvTranspose2d(4, 6, 3, seed=0, **args)
    twin = _torch_twin(layer, torch.nn.ConvTranspose2d(4, 6, 3, **args))
    compare_with_torch(layer, twin, [random_array((1, 4, 3, 4), 2)], rtol=1e-4, atol=1e-5)


def test_default_init_uses_torch_fan_in():
    layer = nn.ConvTranspose2d(4, 6, 3, groups=2, seed=0)
    bound = 1 / np.sqrt(3 * 3 * 3)  # weight (4, 3, 3, 3): fan_in from dimension 1 times the kernel
    assert np.abs(layer.weight.numpy()).max() <= bound
    assert np.abs(layer.weight.numpy()).max() > 0.8 * bound


def test_wrong_channels_and_groups_are_named():
    with pytest.raises(ValueError, match="divide by groups"):
        nn.Conv1d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="C = 4"):
        nn.Conv1d(4, 4, 3)(random_array((1, 3, 5)))


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")  # torch's note on its own speed
@pytest.mark.parametrize("padding_mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize(
    "kernel,stride,padding,dilation,groups",
    [
        (3, 1, 0, 1, 1),
        (3, 2, 1, 1, 2),
        (2, 1, "same", 1, 1),
        (3, 1, "same", 2, 4),
        ((1, 3), (2, 1), (0, 2), 1, 1),
    ],
)
def test_conv2d_matches_torch(padding_mode, kernel, stride, padding, dilation, groups):
    args = dict(stride=stride, padding=padding, dilation=dilation, groups=groups, padding_mode=padding_mode)
    layer = nn.Conv2d(4, 8, kernel, seed=0, **args)
    twin = _torch_twin(layer, torch.nn.Conv2d(4, 8, kernel, **args))
    compare_with_torch(layer, twin, [random_array((2, 4, 7, 6), 1)], rtol=1e-4, atol=1e-5)


def test_conv2d_unbatched_input_and_init_bound():
    layer = nn.Conv2d(3, 16, 3, bias=False, seed=0)
    assert layer.bias is None
    assert layer(random_array((3, 5, 5))).shape == (16, 3, 3)
    bound = 1 / np.sqrt(3 * 3 * 3)  # torch's default: uniform in +-1/sqrt(fan_in)
    assert bound * 0.9 < np.abs(layer.weight.numpy()).max() <= bound
    same_seed = nn.Conv2d(3, 16, 3, bias=False, seed=0)
    np.testing.assert_array_equal(same_seed.weight.numpy(), layer.weight.numpy())


def test_conv2d_refuses_what_torch_refuses():
    with pytest.raises(ValueError, match="strided"):
        nn.Conv2d(3, 4, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="padding_mode"):
        nn.Conv2d(3, 4, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match="C = 3"):
        nn.Conv2d(3, 4, 3)(random_array((1, 2, 5, 5)))
