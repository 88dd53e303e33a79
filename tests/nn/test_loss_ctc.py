"""nn.CTCLoss against torch.nn.CTCLoss: the module passes its arguments on to ctc_loss."""

import numpy as np
import pytest
import torch

import jaring
import jaring.nn as nn
from tests.oracle import compare_with_torch, random_array


@pytest.mark.parametrize(
    "kwargs", [{}, dict(blank=3, reduction="sum"), dict(reduction="none", zero_infinity=True)]
)
def test_ctc_loss_module_matches_torch(kwargs):
    targets = np.array([[1, 2, 2], [2, 1, 0]])
    lengths = ([6, 2], [3, 2])  # input lengths, target lengths

    def jaring_fn(x):
        return nn.CTCLoss(**kwargs)(nn.functional.log_softmax(x, axis=2), targets, *lengths)

    def torch_fn(x):
        lp = x.log_softmax(2)
        return torch.nn.CTCLoss(**kwargs)(lp, torch.tensor(targets), *map(torch.tensor, lengths))

    compare_with_torch(jaring_fn, torch_fn, [random_array((6, 2, 4), 1)])


def test_ctc_loss_module_config_and_errors():
    loss_fn = nn.CTCLoss(blank=2, zero_infinity=True)
    assert repr(loss_fn) == "CTCLoss(blank=2, zero_infinity=True)"
    again = nn.CTCLoss.from_config(loss_fn.get_config())
    assert (again.blank, again.reduction, again.zero_infinity) == (2, "mean", True)
    assert list(loss_fn.parameters()) == []
    with pytest.raises(ValueError, match="reduction"):
        nn.CTCLoss(reduction="avg")
    with pytest.raises(ValueError, match="blank"):
        nn.CTCLoss(blank=-1)
    with pytest.raises(ValueError, match="blank must be a class index"):
        nn.CTCLoss(blank=4)(jaring.zeros(3, 1, 4), [[1]], [3], [1])
