"""jaring/ops/rotation.py: rot90 against PyTorch, values and gradients."""

import pytest
import torch

import jaring
from tests.oracle import check_gradients, compare_with_torch, random_array


@pytest.mark.parametrize("k", [-5, -1, 0, 1, 2, 3, 4, 6])
@pytest.mark.parametrize(
    "shape, dims",
    [((2, 3), (0, 1)), ((2, 3), (1, 0)), ((2, 3, 4), (2, 0)), ((1, 2, 3), (-1, -2)), ((1, 1), (0, 1))],
)
def test_rot90_matches_torch(shape, dims, k):
    x = random_array(shape, seed=1)
    compare_with_torch(lambda a: jaring.rot90(a, k, dims), lambda a: torch.rot90(a, k, dims), [x])
    compare_with_torch(lambda a: a.rot90(k=k, dims=list(dims)), lambda a: a.rot90(k=k, dims=list(dims)), [x])


def test_rot90_default_turn_and_gradcheck():
    assert jaring.rot90(jaring.tensor([[1, 2], [3, 4]])).tolist() == [[2, 4], [1, 3]]
    for turns in (0, 1, 2, 3):
        check_gradients(lambda a, k=turns: jaring.rot90(a, k, (1, 2)), [random_array((2, 3, 2), seed=turns)])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="expected rotation dims to be different"):
        jaring.rot90(jaring.zeros(2, 3), 1, [0, 0])
    with pytest.raises(ValueError, match="expected rotation dims to be different"):
        jaring.rot90(jaring.zeros(2, 3), 1, [0, -2])
    with pytest.raises(ValueError, match="expected total dims >= 2, but got total dims = 1"):
        jaring.rot90(jaring.zeros(2))
    with pytest.raises(ValueError, match="expected total rotation dims == 2, but got dims = 3"):
        jaring.rot90(jaring.zeros(2, 3), 1, [0, 1, 2])
    with pytest.raises(ValueError, match="out of range"):
        jaring.rot90(jaring.zeros(2, 3), 1, [0, 2])
    with pytest.raises(TypeError, match="k must be an int"):
        jaring.rot90(jaring.zeros(2, 3), 1.0)
