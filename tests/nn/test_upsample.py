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
