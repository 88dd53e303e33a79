"""nn.MaxPool2d, nn.AvgPool2d, nn.MaxUnpool2d and the adaptive poolings against their torch.nn twins."""

import numpy as np
import pytest
import torch

import jaring
import jaring.nn as nn
from tests.oracle import compare_with_torch, random_array


def test_max_pool2d_module_matches_torch():
    args = dict(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=True)
    compare_with_torch(nn.MaxPool2d(**args), torch.nn.MaxPool2d(**args), [random_array((2, 3, 6, 5), 1)])


def test_avg_pool2d_module_matches_torch():
    args = dict(kernel_size=2, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
    compare_with_torch(nn.AvgPool2d(**args), torch.nn.AvgPool2d(**args), [random_array((1, 2, 5, 5), 2)])


def test_unpool_module_inverts_the_indexed_pool():
    x = jaring.tensor(random_array((1, 1, 4, 4), 3))
    values, indices = nn.MaxPool2d(2, return_indices=True)(x)
    _, expected = torch.nn.MaxPool2d(2, return_indices=True)(torch.tensor(x.numpy()))
    np.testing.assert_array_equal(indices.numpy(), expected.numpy())
    restored = nn.MaxUnpool2d(2)(values, indices, output_size=(1, 1, 4, 4))
    assert restored.shape == (1, 1, 4, 4)
    assert np.isin(values.numpy(), restored.numpy()).all()


def test_adaptive_pooling_layers_match_torch():
    x = random_array((2, 3, 7, 9), 5)
    for size in [1, (3, 4), (None, 2)]:
        compare_with_torch(nn.AdaptiveAvgPool2d(size), torch.nn.AdaptiveAvgPool2d(size), [x])
        compare_with_torch(nn.AdaptiveMaxPool2d(size), torch.nn.AdaptiveMaxPool2d(size), [x])
    with pytest.raises(ValueError, match="output_size"):
        nn.AdaptiveAvgPool2d(0)
