"""channel_shuffle against PyTorch: ranks, groups, dtypes, gradients, torch's errors."""

import numpy as np
import pytest
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.ops.dtype_oracle import compare_in_dtype
from tests.oracle import check_gradients, random_array


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("groups", [1, 2, 3, 6])
@pytest.mark.parametrize("shape", [(2, 6, 3), (1, 6, 1, 1), (1, 6, 2, 3), (2, 6, 1, 2, 2)])
def test_matches_torch(shape, groups, dtype):
    compare_in_dtype(
        lambda x: F.channel_shuffle(x, groups),
        lambda x: TF.channel_shuffle(x, groups),
        [random_array(shape, 1)],
        dtype,
    )


def test_gradients_by_finite_differences():
    check_gradients(lambda t: F.channel_shuffle(t, 2), [random_array((2, 4, 3), 2)])


def test_errors_are_torch_s():
    x = jaring.ones(1, 6, 2)
    with pytest.raises(RuntimeError, match="must be positive"):
        F.channel_shuffle(x, 0)
    with pytest.raises(RuntimeError, match="divisible by groups"):
        F.channel_shuffle(x, 4)
    with pytest.raises(RuntimeError, match="> 2 dims"):
        F.channel_shuffle(jaring.ones(6, 2), 2)
    with pytest.raises(TypeError, match="must be int"):
        F.channel_shuffle(x, 2.0)
