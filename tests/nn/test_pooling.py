"""Pooling layers: both data formats against PyTorch, Keras's rules, errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.nn as nn
from tests.nn.test_conv import compare_channels_last
from tests.oracle import compare_with_torch, random_array


def _to_last(x):
    """NCHW test data as the same images in NHWC."""
    return np.ascontiguousarray(x.transpose(0, 2, 3, 1))


@pytest.mark.parametrize("data_format", ["channels_first", "channels_last"])
@pytest.mark.parametrize("pool,stride", [(2, None), (3, 2), ((2, 3), (1, 2)), (1, 1)])
def test_windowed_pool_layers_match_torch(pool, stride, data_format):
    x = random_array((2, 3, 7, 8), 1)
    for layer, torch_fn in (
        (nn.MaxPool2D(pool, stride, data_format=data_format), lambda a: TF.max_pool2d(a, pool, stride)),
        (nn.AvgPool2D(pool, stride, data_format=data_format), lambda a: TF.avg_pool2d(a, pool, stride)),
    ):
        if data_format == "channels_first":
            compare_with_torch(layer, torch_fn, [x])
        else:
            compare_with_torch(
                layer, lambda a, f=torch_fn: f(a.permute(0, 3, 1, 2)).permute(0, 2, 3, 1), [_to_last(x)]
            )


def test_same_padding_layers_follow_keras():
    """MaxPool2D ignores the padding; AvgPool2D divides by the real pixels only."""
    x = random_array((1, 5, 5, 2), 2)
    out = nn.AvgPool2D(2, 2, "same")(jaring.tensor(x)).numpy()
    assert out.shape == (1, 3, 3, 2)
    np.testing.assert_allclose(out[0, 2, 2], x[0, 4, 4], rtol=1e-6)  # a corner window with one real pixel
    np.testing.assert_allclose(out[0, 0, 2], x[0, :2, 4].mean(axis=0), rtol=1e-6)
    peak = nn.MaxPool2D(3, 1, "same")(jaring.tensor(-np.abs(x) - 1)).numpy()
    assert peak.shape == (1, 5, 5, 2) and peak.max() < -1  # -inf padding never wins


@pytest.mark.parametrize("data_format", ["channels_first", "channels_last"])
def test_global_pool_layers_match_torch(data_format):
    x = random_array((3, 4, 5, 6), 3)
    data = x if data_format == "channels_first" else _to_last(x)
    for layer, torch_fn in (
        (nn.GlobalMaxPool2D(data_format), lambda a: TF.max_pool2d(a, (5, 6)).flatten(1)),
        (nn.GlobalAvgPool2D(data_format), lambda a: a.mean(dim=(2, 3))),
    ):
        if data_format == "channels_first":
            compare_with_torch(layer, torch_fn, [data])
        else:
            compare_with_torch(layer, lambda a, f=torch_fn: f(a.permute(0, 3, 1, 2)), [data])


def test_keras_names_are_aliases():
    assert nn.MaxPooling2D is nn.MaxPool2D and nn.AveragePooling2D is nn.AvgPool2D
    assert nn.GlobalAveragePooling2D is nn.GlobalAvgPool2D and nn.GlobalMaxPooling2D is nn.GlobalMaxPool2D


def test_pool_layer_errors_name_the_layer():
    with pytest.raises(
        ValueError, match=r"MaxPool2D\(pool_size=\(2, 2\)\) expected input of shape \(N, H, W, C\)"
    ):
        nn.MaxPool2D()(jaring.ones(4, 4, 3))
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        nn.AvgPool2D(padding=1)
    with pytest.raises(ValueError, match="data_format must be one of"):
        nn.GlobalAvgPool2D("NCHW")
    with pytest.raises(ValueError, match=r"window 4x4 is larger"):
        nn.MaxPool2D(4)(jaring.ones(1, 3, 3, 1))


def test_channels_last_max_pool_matches_torch_gradients():
    """The channels-last helper from the conv tests also checks a parameter-free layer."""
    compare_channels_last(
        nn.MaxPool2D(3, 2, data_format="channels_last"),
        torch.nn.MaxPool2d(3, 2),
        random_array((2, 7, 7, 3), 6),
    )
