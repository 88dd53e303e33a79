"""alpha_dropout and feature_alpha_dropout: the dropped value and the affine map against torch,
statistics, gradients, seeding and errors."""

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from tests.oracle import CASES, check_gradients, random_array


def _split(out: np.ndarray) -> tuple:
    """(the value dropped units take, the mask of kept units): the dropped value is the mode."""
    values, counts = np.unique(out.round(6), return_counts=True)
    dropped = values[counts.argmax()]
    return dropped, np.abs(out - dropped) > 1e-5


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropped_value_and_affine_map_match_torch(p, dtype):
    x = random_array((400, 50), seed=1).astype(dtype) * 0.1 + 3  # far from the dropped value
    ours = F.alpha_dropout(jaring.tensor(x), p, training=True, seed=2).numpy()
    theirs = torch.nn.functional.alpha_dropout(torch.tensor(x), p, training=True).numpy()
    (our_drop, our_kept), (their_drop, their_kept) = _split(ours), _split(theirs)
    tol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(our_drop, their_drop, rtol=tol)
    # kept units are a * x + b with torch's a and b: fit them on torch's kept units
    a, b = np.polyfit(x[their_kept].astype(np.float64), theirs[their_kept].astype(np.float64), 1)
    np.testing.assert_allclose(ours[our_kept], a * x[our_kept] + b, rtol=1e-5, atol=1e-5)
    assert abs((~our_kept).mean() - p) < 0.02 and abs((~their_kept).mean() - p) < 0.02
    assert ours.dtype == dtype
    CASES["torch"] += 1


def test_feature_alpha_dropout_drops_whole_channels_as_torch():
    x = np.ones((64, 8, 3, 2), np.float32)
    ours = F.feature_alpha_dropout(jaring.tensor(x), 0.5, training=True, seed=3).numpy()
    theirs = torch.nn.functional.feature_alpha_dropout(torch.tensor(x), 0.5, training=True).numpy()
    for out in (ours, theirs):
        assert (out == out[:, :, :1, :1]).all()
    np.testing.assert_allclose(np.unique(ours), np.unique(theirs), rtol=1e-6)
    CASES["torch"] += 1


def test_statistics_are_kept():
    out = F.alpha_dropout(jaring.randn(500_000, seed=4), 0.3, training=True, seed=5).numpy()
    assert abs(out.mean()) < 0.01 and abs(out.std() - 1) < 0.01


def test_gradient_is_a_on_kept_units_and_gradcheck():
    x = jaring.tensor(random_array((50, 20), seed=6), requires_grad=True)
    out = F.alpha_dropout(x, 0.4, training=True, seed=7)
    out.sum().backward()
    kept = _split(out.numpy())[1]
    a = 1 / np.sqrt((1.7580993408473766**2 * 0.4 + 1) * 0.6)
    np.testing.assert_allclose(x.grad.numpy(), np.where(kept, a, 0.0), rtol=1e-6)
    check_gradients(lambda x: F.alpha_dropout(x, 0.4, training=True, seed=8), [random_array((3, 4), seed=9)])
    check_gradients(
        lambda x: F.feature_alpha_dropout(x, 0.4, training=True, seed=8), [random_array((2, 3, 2), seed=9)]
    )


def test_defaults_extremes_and_seeds():
    x = jaring.randn(4, 5, seed=0)
    assert F.alpha_dropout(x, 0.5) is x  # training=False by default, as in torch
    assert F.alpha_dropout(x, 0.0, training=True) is x
    np.testing.assert_array_equal(F.alpha_dropout(x, 1.0, training=True).numpy(), np.zeros((4, 5)))
    np.testing.assert_array_equal(
        F.alpha_dropout(x, 0.5, True, seed=1).numpy(), F.alpha_dropout(x, 0.5, True, seed=1).numpy()
    )


def test_errors():
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        F.alpha_dropout(jaring.ones(3), 1.5)
    with pytest.raises(RuntimeError, match="Feature dropout requires at least 2 dimensions"):
        F.feature_alpha_dropout(jaring.ones(3), 0.5, training=True)
    with pytest.raises(TypeError, match="floating-point"):
        F.alpha_dropout(jaring.tensor([1, 2]), 0.5, training=True)
