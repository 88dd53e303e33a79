"""jaring/nn/layout.py: channels-last or channels-first at a layer's edge, NCHW inside."""

import numpy as np
import pytest

import jaring
from jaring import nn
from jaring.nn.layout import check_data_format, from_nchw, to_nchw


def test_channels_last_goes_to_nchw_and_back_as_views():
    layer = nn.MaxPool2D(2)
    x = jaring.tensor(np.arange(2 * 4 * 5 * 3, dtype=np.float32).reshape(2, 4, 5, 3))
    inside = to_nchw(layer, x, "channels_last", channels=3)
    assert inside.shape == (2, 3, 4, 5)
    np.testing.assert_array_equal(from_nchw(inside, "channels_last").numpy(), x.numpy())
    assert to_nchw(layer, x, "channels_first").shape == (2, 4, 5, 3)


def test_errors_name_the_layer_the_layout_and_the_shape():
    layer = nn.Conv2D(2, 3, input_dim=3)
    with pytest.raises(
        ValueError, match=r"Conv2D\(.*\) expected input of shape \(N, H, W, C\), got \(4, 4\)"
    ):
        to_nchw(layer, jaring.ones(4, 4), "channels_last")
    with pytest.raises(
        ValueError, match=r"expected 3 input channels.*\(N, H, W, C=3\).*got shape \(1, 4, 4, 2\)"
    ):
        to_nchw(layer, jaring.ones(1, 4, 4, 2), "channels_last", channels=3)
    with pytest.raises(ValueError, match="data_format must be one of"):
        check_data_format("Conv2D", "nhwc")
