"""jaring/nn/reshape.py: Flatten in both layouts, against PyTorch, and its error messages."""

import numpy as np
import pytest
import torch

import jaring
import jaring.nn as nn
from tests.oracle import compare_with_torch, random_array


def test_flatten_channels_last_uses_keras_order():
    x = random_array((2, 3, 4, 5), 4)  # (N, H, W, C)
    out = nn.Flatten()(jaring.tensor(x))
    np.testing.assert_array_equal(out.numpy(), x.reshape(2, -1))
    compare_with_torch(nn.Flatten(), torch.nn.Flatten(), [x])
    assert nn.Flatten(2)(jaring.tensor(x)).shape == (2, 3, 20)


def test_flatten_after_conv_feeds_dense_and_trains():
    model = nn.Sequential(
        nn.Conv2D(4, 3, padding="same", activation="relu", seed=0),
        nn.MaxPool2D(),
        nn.Flatten(),
        nn.Dense(2, seed=0),
    )
    out = model(jaring.tensor(random_array((3, 6, 6, 2), 5)))
    assert out.shape == (3, 2)
    out.sum().backward()
    assert all(p.grad is not None for p in model.parameters())


def test_flatten_error_names_layer():
    with pytest.raises(
        ValueError, match=r"Flatten\(start_dim=1, end_dim=-1\) cannot flatten input of shape \(3,\)"
    ):
        nn.Flatten()(jaring.ones(3))


def test_pytorch_words_for_the_axes_and_files_saved_with_the_old_ones():
    assert nn.Flatten(start_dim=2).start_dim == 2
    old = nn.Flatten.from_config({"start_axis": 2, "end_axis": -1})
    assert (old.start_dim, old.end_dim) == (2, -1)
