"""jaring/ops/axes.py: movedim, swapaxes, swapdims, t and mT against PyTorch."""

import pytest
import torch

import jaring
from tests.oracle import check_gradients, compare_with_torch, random_array

CASES = {
    "movedim one": (lambda x: jaring.movedim(x, 0, -1), lambda x: torch.movedim(x, 0, -1), (2, 3, 4)),
    "movedim tuples": (
        lambda x: jaring.movedim(x, (0, 1), (2, 0)),
        lambda x: torch.movedim(x, (0, 1), (2, 0)),
        (2, 3, 4),
    ),
    "movedim negative": (
        lambda x: jaring.movedim(x, (-1, 0), (1, 3)),
        lambda x: torch.movedim(x, (-1, 0), (1, 3)),
        (2, 1, 3, 4),
    ),
    "movedim of 0-d": (lambda x: jaring.movedim(x, 0, 0), lambda x: torch.movedim(x, 0, 0), ()),
    "moveaxis method": (lambda x: x.moveaxis(1, 0), lambda x: x.moveaxis(1, 0), (2, 3)),
    "movedim method": (lambda x: x.movedim(2, 0), lambda x: x.movedim(2, 0), (2, 3, 1)),
    "swapaxes": (lambda x: jaring.swapaxes(x, 0, 2), lambda x: torch.swapaxes(x, 0, 2), (2, 3, 4)),
    "swapdims method": (lambda x: x.swapdims(-1, 0), lambda x: x.swapdims(-1, 0), (2, 3)),
    "t of a matrix": (jaring.t, torch.t, (2, 3)),
    "t of a vector": (jaring.t, torch.t, (3,)),
    "t of a 0-d": (jaring.t, torch.t, ()),
    "mT of a matrix": (lambda x: x.mT, lambda x: x.mT, (2, 3)),
    "mT of a batch": (lambda x: x.mT, lambda x: x.mT, (4, 1, 2, 3)),
}


@pytest.mark.parametrize("case", CASES)
def test_values_and_gradients_match_torch(case):
    jfn, tfn, shape = CASES[case]
    x = random_array(shape)
    compare_with_torch(jfn, tfn, [x])
    check_gradients(lambda a: jfn(a) * 1.5, [x])


def test_bad_arguments_are_refused():
    x = jaring.zeros(2, 3, 4)
    with pytest.raises(ValueError, match="must have the same number of elements"):
        jaring.movedim(x, (0, 1), 2)
    with pytest.raises(ValueError, match="repeated dim in source"):
        jaring.movedim(x, (0, 0), (1, 2))
    with pytest.raises(ValueError, match="out of range"):
        jaring.movedim(x, 3, 0)
    with pytest.raises(ValueError, match="at most 2 dimensions"):
        jaring.t(x)
    with pytest.raises(ValueError, match="only supported on matrices or batches of matrices"):
        _ = jaring.zeros(3).mT
