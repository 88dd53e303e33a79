"""max_unpool2d against PyTorch: values, gradient, default and explicit output sizes."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.oracle import check_gradients, compare_with_torch, random_array


@pytest.mark.parametrize(
    "shape,k,s,p,size",
    [
        ((2, 3, 7, 6), 2, 2, 0, (7, 6)),
        ((1, 1, 1, 1), 1, 1, 0, None),
        ((1, 2, 6, 6), 3, 2, 1, (6, 6)),
        ((1, 2, 5, 5), 3, 2, 1, None),
    ],
)
def test_max_unpool2d_matches_torch(shape, k, s, p, size):
    x = random_array(shape, 1)
    pooled, indices = TF.max_pool2d(torch.tensor(x), k, s, p, return_indices=True)
    idx = indices.numpy()
    compare_with_torch(
        lambda v: F.max_unpool2d(v, jaring.tensor(idx), k, s, p, size),
        lambda v: TF.max_unpool2d(v, torch.tensor(idx), k, s, p, size),
        [pooled.numpy()],
    )


def test_round_trip_keeps_the_maxima():
    x = jaring.tensor(random_array((1, 2, 4, 4), 2))
    pooled, indices = F.max_pool2d(x, 2, return_indices=True)
    back = F.max_unpool2d(pooled, indices, 2)
    np.testing.assert_array_equal(F.max_pool2d(back, 2).numpy(), pooled.numpy())
    check_gradients(lambda v: F.max_unpool2d(v, indices, 2), [pooled.numpy()])


def test_bad_indices_are_refused():
    v = random_array((1, 1, 2, 2))
    with pytest.raises(ValueError, match="indices must be in"):
        F.max_unpool2d(v, np.full((1, 1, 2, 2), 16), 2)
    with pytest.raises(TypeError, match="integers"):
        F.max_unpool2d(v, np.zeros((1, 1, 2, 2), np.float32), 2)
