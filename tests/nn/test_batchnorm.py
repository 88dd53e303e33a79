"""BatchNorm2D: both data formats against torch.nn.BatchNorm2d, running stats, lazy size, errors."""

import numpy as np
import pytest
import torch

import jaring
import jaring.nn as nn
from tests.nn.helpers import check_module_gradients, compare_module_with_torch
from tests.nn.test_conv import compare_channels_last
from tests.oracle import random_array


@pytest.mark.parametrize("data_format", ["channels_first", "channels_last"])
@pytest.mark.parametrize("training", [True, False])
def test_batchnorm2d_matches_torch(data_format, training):
    layer = nn.BatchNorm2D(3, momentum=0.7, epsilon=1e-3, data_format=data_format)  # Keras's 0.7
    torch_layer = torch.nn.BatchNorm2d(3, momentum=0.3, eps=1e-3)  # is PyTorch's 0.3
    layer.weight.data[...] = [0.5, 1.5, -1.0]
    layer.running_var.data[...] = [0.5, 2.0, 1.0]
    layer.train(training)
    torch_layer.train(training)
    x = random_array((4, 5, 6, 3), 1) * 2 + 0.5
    if data_format == "channels_first":
        compare_module_with_torch(layer, torch_layer, x.transpose(0, 3, 1, 2).copy(), rtol=1e-4, atol=1e-4)
    else:
        compare_channels_last(layer, torch_layer, x)
    for name, value in torch_layer.state_dict().items():
        np.testing.assert_allclose(
            layer.state_dict()[name], value.numpy(), rtol=1e-5, atol=1e-6, err_msg=name
        )


def test_lazy_size_and_eval_uses_running_statistics():
    layer = nn.BatchNorm2D()
    x = random_array((8, 4, 4, 2), 2) + 3
    layer(jaring.tensor(x))
    assert layer.input_dim == 2 and int(layer.num_batches_tracked.item()) == 1
    layer.eval()
    out = layer(jaring.tensor(x)).numpy()
    expected = (x - layer.running_mean.numpy()) / np.sqrt(layer.running_var.numpy() + 1e-5)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    assert int(layer.num_batches_tracked.item()) == 1


def test_batchnorm2d_gradcheck_float64():
    layer = nn.BatchNorm2D(2, data_format="channels_first")
    layer.weight.data[...] = [0.7, -1.2]
    check_module_gradients(layer, random_array((3, 2, 2, 2), 3))


def test_batchnorm2d_errors():
    with pytest.raises(
        ValueError, match=r"BatchNorm2D\(input_dim=3.*expected 3 input channels.*\(2, 4, 4, 5\)"
    ):
        nn.BatchNorm2D(3)(jaring.ones(2, 4, 4, 5))
    with pytest.raises(ValueError, match="momentum must be in"):
        nn.BatchNorm2D(3, momentum=0.99 + 1)
    with pytest.raises(ValueError, match="input_dim must be a positive integer"):
        nn.BatchNorm2D(0)
    with pytest.raises(ValueError, match="more than one value per channel"):
        nn.BatchNorm2D(3)(jaring.ones(1, 1, 1, 3))


def test_keras_words_and_files_saved_with_pytorch_words(tmp_path):
    no_shift = nn.BatchNorm2D(2, center=False)
    assert no_shift.bias is None and no_shift.weight is not None
    assert "center=False" in repr(no_shift)
    old = nn.BatchNorm2D.from_config({"num_features": 2, "momentum": 0.25, "eps": 1e-3, "affine": False})
    assert (old.momentum, old.epsilon, old.center, old.scale) == (0.75, 1e-3, False, False)
