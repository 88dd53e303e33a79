"""nn.Upsample against torch.nn.Upsample."""

import pytest
import torch

import jaring.nn as nn
from tests.oracle import compare_with_torch, random_array


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(scale_factor=2),
        dict(size=(3, 7), mode="bilinear"),
        dict(scale_factor=1.5, mode="bilinear", align_corners=True),
    ],
)
def test_upsample_matches_torch(kwargs):
    compare_with_torch(nn.Upsample(**kwargs), torch.nn.Upsample(**kwargs), [random_array((2, 3, 4, 5), 1)])


def test_upsample_needs_one_size():
    with pytest.raises(ValueError, match="exactly one"):
        nn.Upsample()


@pytest.mark.parametrize(
    "kwargs", [dict(scale_factor=2), dict(size=(3, 7)), dict(size=5), dict(scale_factor=(1.5, 0.5))]
)
@pytest.mark.parametrize("name", ["UpsamplingNearest2d", "UpsamplingBilinear2d"])
def test_upsampling_2d_layers_match_torch(name, kwargs):
    jaring_layer, torch_layer = getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
    compare_with_torch(jaring_layer, torch_layer, [random_array((2, 3, 4, 5), 2)])


def test_upsampling_bilinear_2d_aligns_corners():
    layer = nn.UpsamplingBilinear2d(scale_factor=2)
    assert (layer.mode, layer.align_corners) == ("bilinear", True)
    out = layer(random_array((1, 1, 3, 3), 3)).numpy()
    assert out.shape == (1, 1, 6, 6)


@pytest.mark.parametrize("name", ["UpsamplingNearest2d", "UpsamplingBilinear2d"])
def test_upsampling_2d_layers_check_their_input(name):
    with pytest.raises(ValueError, match="exactly one"):
        getattr(nn, name)()
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        getattr(nn, name)(scale_factor=2)(random_array((2, 3, 4), 0))


def test_upsampling_2d_layers_rebuild_from_config():
    layer = nn.UpsamplingBilinear2d(size=(3, 4))
    again = type(layer).from_config(layer.get_config())
    assert (again.size, again.align_corners) == ((3, 4), True)
