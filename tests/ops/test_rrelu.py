"""rrelu: the mean slope out of training equals torch's; random slopes in training stay in range,
follow the seed and carry their own gradient."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.ops.dtype_oracle import compare_in_dtype
from tests.oracle import check_gradients, random_array


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(2, 3, 4), (1,), (5,), (1, 1)])
@pytest.mark.parametrize("bounds", [(1 / 8, 1 / 3), (0.1, 0.1), (0.0, 0.5)])
def test_eval_matches_torch(shape, bounds, dtype):
    x = random_array(shape, 1)
    compare_in_dtype(
        lambda t: F.rrelu(t, *bounds), lambda t: TF.rrelu(t, *bounds, training=False), [x], dtype
    )


def test_training_slopes_lie_in_range_and_follow_the_seed():
    x = jaring.tensor(-np.ones(10000, np.float32), requires_grad=True)
    out = F.rrelu(x, 0.1, 0.3, training=True, seed=0)
    slopes = -out.numpy()
    assert slopes.min() >= 0.1 and slopes.max() < 0.3
    assert abs(slopes.mean() - 0.2) < 0.005 and len(np.unique(slopes)) > 1000
    np.testing.assert_array_equal(F.rrelu(x, 0.1, 0.3, training=True, seed=0).numpy(), out.numpy())
    assert not np.array_equal(F.rrelu(x, 0.1, 0.3, training=True, seed=1).numpy(), out.numpy())
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), slopes, rtol=1e-6)  # the gradient is each slope


def test_training_matches_torch_given_torch_slopes():
    """torch's own noise, read back from its output, gives the same gradient rule."""
    x = random_array((3, 50), 2)
    tx = torch.tensor(x, requires_grad=True)
    tout = TF.rrelu(tx, training=True)
    tout.backward(torch.ones_like(tout))
    noise = tx.grad.numpy()
    assert (noise[x > 0] == 1).all() and ((noise[x <= 0] >= 1 / 8) & (noise[x <= 0] <= 1 / 3)).all()
    out = F.rrelu(jaring.tensor(x), training=True, seed=3).numpy()
    np.testing.assert_array_equal(out[x > 0], x[x > 0])
    ratio = out[x < 0] / x[x < 0]
    assert ((ratio >= 1 / 8 - 1e-6) & (ratio <= 1 / 3 + 1e-6)).all()


def test_gradients_by_finite_differences():
    x = random_array((3, 4), 4)
    x[np.abs(x) < 0.05] = 0.5
    check_gradients(lambda t: F.rrelu(t, 0.2, 0.4), [x])
    check_gradients(lambda t: F.rrelu(t, 0.2, 0.4, training=True, seed=5), [x])


def test_bad_bounds():
    with pytest.raises(ValueError, match="lower bound"):
        F.rrelu(jaring.ones(2), 0.5, 0.1)
