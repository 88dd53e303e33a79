"""jaring/ops/filled.py: full_like takes its input's shape and dtype, as torch.full_like."""

import numpy as np
import pytest
import torch

import jaring
from tests.oracle import CASES


@pytest.mark.parametrize("shape", [(), (1,), (2, 3), (0, 2)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.bool_])
def test_full_like_matches_torch(shape, dtype):
    data = np.zeros(shape, dtype=dtype)
    fill = 2.7 if dtype != np.bool_ else True
    out = jaring.full_like(jaring.tensor(data), fill)
    expected = torch.full_like(torch.tensor(data), fill).numpy()
    assert out.dtype == expected.dtype and out.shape == expected.shape
    np.testing.assert_array_equal(out.numpy(), expected)
    CASES["torch"] += 1


def test_dtype_requires_grad_and_errors():
    out = jaring.full_like(jaring.tensor([1, 2]), 0.5, dtype=np.float64, requires_grad=True)
    assert out.dtype == np.float64 and out.requires_grad and out.tolist() == [0.5, 0.5]
    assert jaring.full_like(jaring.zeros(2), jaring.tensor(3.0)).tolist() == [3.0, 3.0]
    with pytest.raises(TypeError, match="full_like: fill_value must be a number, got list"):
        jaring.full_like(jaring.zeros(2), [1.0])


@pytest.mark.parametrize("name", ["rand_like", "randn_like"])
def test_random_likes_take_shape_dtype_and_seed(name):
    x = jaring.zeros(3, 4, dtype=np.float64)
    a, b = getattr(jaring, name)(x, generator=0), getattr(jaring, name)(x, generator=0)
    assert a.shape == (3, 4) and a.dtype == np.float64 and np.array_equal(a.numpy(), b.numpy())
    assert getattr(jaring, name)(x, dtype=jaring.float32).dtype == np.float32
    with pytest.raises(TypeError, match="floating-point"):
        getattr(jaring, name)(jaring.zeros(2, dtype=np.int64))


def test_randint_like_draws_in_its_range():
    x = jaring.zeros(200, dtype=np.int64)
    assert set(np.unique(jaring.randint_like(x, 3, 6, generator=1).numpy())) == {3, 4, 5}
    assert set(np.unique(jaring.randint_like(x, 2, generator=1).numpy())) == {0, 1}
    with pytest.raises(ValueError, match="low < high"):
        jaring.randint_like(x, 5, 5)
