"""The padding layers against their torch.nn twins."""

import pytest
import torch

import jaring.nn as nn
from tests.oracle import compare_with_torch, random_array

LAYERS_2D = [
    ("ZeroPad2d", (1,)),
    ("ConstantPad2d", ((1, 2, 0, 3), 2.5)),
    ("ReflectionPad2d", ((1, 2, 3, 1),)),
    ("ReplicationPad2d", (2,)),
    ("CircularPad2d", ((1, 2, 3, 1),)),
]
LAYERS_1D = [
    ("ConstantPad1d", (2, 1.0)),
    ("ReflectionPad1d", ((1, 2),)),
    ("ReplicationPad1d", (2,)),
    ("CircularPad1d", ((1, 3),)),
]


@pytest.mark.parametrize("name,args", LAYERS_2D)
def test_2d_layers_match_torch(name, args):
    compare_with_torch(
        getattr(nn, name)(*args), getattr(torch.nn, name)(*args), [random_array((2, 3, 5, 4), 1)]
    )


@pytest.mark.parametrize("name,args", LAYERS_1D)
def test_1d_layers_match_torch(name, args):
    compare_with_torch(getattr(nn, name)(*args), getattr(torch.nn, name)(*args), [random_array((2, 3, 5), 2)])


def test_bad_padding_is_named():
    with pytest.raises(ValueError, match="4 non-negative ints"):
        nn.ReflectionPad2d((1, 2))
