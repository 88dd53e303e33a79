"""jaring/training/targets.py: targets checked against the first batch's output shape, once."""

import numpy as np
import pytest

import jaring
from jaring import nn
from jaring.training.objective import Objective
from jaring.training.targets import TargetCheck, check_targets


def test_array_targets_are_checked_whole_on_the_first_batch():
    check = TargetCheck(Objective(nn.Linear(2, 3), "cce"))
    check.add("fit", np.array([0, 1, 2, 5]))  # the bad label sits outside the first batch
    with pytest.raises(ValueError, match=r"fit: labels must be in \[0, 2\] because the model has 3 outputs"):
        check.first_batch("fit", jaring.tensor([0, 1]), (2, 3))


def test_loader_targets_are_checked_by_their_first_batch_then_never_again():
    check = TargetCheck(Objective(nn.Linear(2, 1), "bce"))
    check.first_batch("fit", jaring.tensor([0.0, 1.0]), (2, 1))  # (N,) for an (N, 1) output is fine
    assert check.done
    with pytest.raises(ValueError, match=r"targets in \[0, 1\]"):
        check_targets("fit", Objective(nn.Linear(2, 1), "bce"), np.array([0.0, 2.0]), (2, 1))


def test_a_loss_function_has_nothing_to_check():
    assert TargetCheck(Objective(nn.Linear(2, 1), lambda out, y: out.sum())).done
