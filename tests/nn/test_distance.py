"""jaring/nn/distance.py: PairwiseDistance and CosineSimilarity give torch.nn's values, hold no
parameters and repr their non-default arguments."""

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from tests.oracle import random_array


@pytest.mark.parametrize(
    "name, kwargs", [("PairwiseDistance", {}), ("PairwiseDistance", dict(p=1.0, eps=0.0, keepdim=True)),
                     ("CosineSimilarity", {}), ("CosineSimilarity", dict(dim=0, eps=1e-3))],
)  # fmt: skip
def test_distance_modules_match_torch(name, kwargs):
    a, b = random_array((4, 3), seed=1), random_array((1 if kwargs.get("dim", 1) else 4, 3), seed=2)
    got = getattr(nn, name)(**kwargs)(jaring.tensor(a), jaring.tensor(b))
    expected = getattr(torch.nn, name)(**kwargs)(torch.tensor(a), torch.tensor(b))
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)
    assert list(getattr(nn, name)(**kwargs).parameters()) == []


def test_reprs():
    assert repr(nn.PairwiseDistance()) == "PairwiseDistance()"
    assert repr(nn.PairwiseDistance(p=1.0, keepdim=True)) == "PairwiseDistance(p=1.0, keepdim=True)"
    assert repr(nn.CosineSimilarity(dim=0)) == "CosineSimilarity(dim=0)"
