"""hardtanh relu6 hardsigmoid hardswish softsign: values and gradients against PyTorch."""

import numpy as np
import pytest
import torch.nn.functional as TF
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, away_from, check_gradients, compare_with_torch, random_array, shapes

OPS = {
    "hardtanh": (F.hardtanh, TF.hardtanh),
    "hardtanh_0_2": (lambda x: F.hardtanh(x, 0.0, 2.0), lambda x: TF.hardtanh(x, 0.0, 2.0)),
    "relu6": (F.relu6, TF.relu6),
    "hardsigmoid": (F.hardsigmoid, TF.hardsigmoid),
    "hardswish": (F.hardswish, TF.hardswish),
    "softsign": (F.softsign, TF.softsign),
}
KINKS = [-3.0, -1.0, 0.0, 1.0, 2.0, 3.0, 6.0]


@pytest.mark.parametrize("name", sorted(OPS))
@FAST
@given(shape=shapes)
def test_matches_torch(name, shape):
    x = away_from(random_array(shape, seed=20, low=-8, high=8), KINKS, margin=0.05)
    compare_with_torch(*OPS[name], [x])


@pytest.mark.parametrize("name", sorted(OPS))
def test_gradcheck_float64(name):
    x = away_from(random_array((3, 4), seed=21, low=-8, high=8).astype(np.float64), KINKS, margin=0.05)
    check_gradients(OPS[name][0], [x])


def test_corners_follow_torch_and_errors():
    corners = np.array([-3.0, -1.0, 0.0, 1.0, 3.0, 6.0], np.float32)
    for name in ("hardtanh", "relu6", "hardsigmoid", "hardswish"):
        compare_with_torch(*OPS[name], [corners])
    assert F.relu6(jaring.tensor([-1, 3, 9])).tolist() == [0.0, 3.0, 6.0]
    with pytest.raises(ValueError, match="min_val"):
        F.hardtanh(jaring.tensor([1.0]), 2.0, 1.0)
