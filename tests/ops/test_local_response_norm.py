"""local_response_norm against PyTorch: window sizes, ranks, dtypes, gradients, errors."""

import numpy as np
import pytest
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.ops.dtype_oracle import compare_in_dtype
from tests.oracle import check_gradients, random_array

DTYPES = [np.float32, np.float64]
SHAPES = [(2, 5, 4), (1, 1, 3), (1, 3, 1, 2), (2, 6, 3, 2, 2), (1, 2, 4)]
OPTIONS = [
    dict(size=1),
    dict(size=2),
    dict(size=3, alpha=0.1, beta=0.5, k=2.0),
    dict(size=5),
    dict(size=8, alpha=1.0),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("shape", SHAPES)
def test_matches_torch(shape, options, dtype):
    compare_in_dtype(
        lambda x: F.local_response_norm(x, **options),
        lambda x: TF.local_response_norm(x, **options),
        [random_array(shape, 1)],
        dtype,
    )


def test_gradients_by_finite_differences():
    x = random_array((2, 5, 3), 2)
    check_gradients(lambda t: F.local_response_norm(t, 3, alpha=0.5, beta=0.75, k=1.0), [x])
    check_gradients(lambda t: F.local_response_norm(t, 4, alpha=1.0, beta=1.5, k=0.5), [x])


def test_empty_input_and_no_grad():
    assert F.local_response_norm(jaring.ones(0, 3, 2), 2).shape == (0, 3, 2)
    x = jaring.ones(1, 3, 2, requires_grad=True)
    with jaring.no_grad():
        assert not F.local_response_norm(x, 2).requires_grad


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="3D or higher"):
        F.local_response_norm(jaring.ones(2, 3), 2)
    with pytest.raises(ValueError, match="size"):
        F.local_response_norm(jaring.ones(1, 2, 3), 0)
