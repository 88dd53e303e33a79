"""dropout1d / dropout2d / dropout3d: the mask's shape per rank, warnings and errors as in torch
2.13, scaling, gradients, mask statistics and seeding."""

import warnings

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from tests.oracle import CASES, check_gradients, random_array

RANKS = [  # (function name, input shape): every rank torch accepts, with or without a warning
    ("dropout1d", (3, 4)),
    ("dropout1d", (2, 3, 4)),
    ("dropout2d", (2, 3)),
    ("dropout2d", (2, 3, 4)),
    ("dropout2d", (2, 3, 4, 5)),
    ("dropout2d", (2, 3, 2, 2, 2)),
    ("dropout3d", (4,)),
    ("dropout3d", (2, 3, 4)),
    ("dropout3d", (3, 2, 2, 2)),
    ("dropout3d", (2, 3, 2, 2, 2)),
    ("dropout3d", (1, 1, 1, 1, 1, 2)),
]


def _shared_axes(out: np.ndarray) -> list:
    """The axes along which every slice of `out` is constant (the mask is broadcast along them)."""
    return [a for a in range(out.ndim) if (out.min(axis=a) == out.max(axis=a)).all() and out.shape[a] > 1]


def _run(fn, x):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(x)
    return out, [str(w.message) for w in caught]


@pytest.mark.parametrize("name, shape", RANKS)
def test_mask_shape_and_warnings_match_torch(name, shape):
    big = (64,) + shape[1:] if len(shape) > 1 else (256,)  # many channels so both masks mix 0 and 2
    ours, our_warnings = _run(lambda x: getattr(F, name)(jaring.ones(*x), 0.5, seed=0).numpy(), big)
    theirs, their_warnings = _run(
        lambda x: getattr(torch.nn.functional, name)(torch.ones(x), 0.5).numpy(), big
    )
    assert ours.shape == theirs.shape
    assert set(np.unique(ours)) == set(np.unique(theirs)) == {0.0, 2.0}
    assert _shared_axes(ours) == _shared_axes(theirs)
    assert our_warnings == their_warnings
    CASES["torch"] += 1


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
def test_values_gradients_and_extremes(p, dtype):
    x = jaring.tensor(random_array((3, 5, 4, 2), seed=1).astype(dtype), requires_grad=True)
    out = F.dropout2d(x, p, seed=2)
    mask = F.dropout2d(jaring.ones(3, 5, 4, 2, dtype=dtype), p, seed=2).numpy()
    assert out.dtype == dtype and mask.dtype == dtype
    np.testing.assert_allclose(out.numpy(), x.numpy() * mask, rtol=1e-6)
    upstream = random_array(out.shape, seed=3).astype(dtype)
    out.backward(upstream)
    np.testing.assert_allclose(x.grad.numpy(), upstream * mask, rtol=1e-6)
    kept = np.unique(mask)
    expected = {0.0: [1.0], 1.0: [0.0]}[p] if p in (0.0, 1.0) else [0.0, 1 / (1 - p)]
    np.testing.assert_allclose(kept, expected, rtol=1e-6)
    with torch.no_grad():  # torch agrees on the extremes
        t = torch.nn.functional.dropout2d(torch.tensor(x.numpy()), p)
    if p in (0.0, 1.0):
        np.testing.assert_array_equal(out.numpy(), t.numpy())


def test_identity_when_not_training():
    x = jaring.randn(2, 3, 4, seed=0)
    for fn in (F.dropout1d, F.dropout2d, F.dropout3d):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert fn(x, 0.9, training=False) is x


def test_mask_statistics():
    out = F.dropout2d(jaring.ones(200, 50, 3, 3), 0.3, seed=4).numpy()
    per_channel = out[:, :, 0, 0]
    assert (out == per_channel[:, :, None, None]).all()  # one draw per (sample, channel)
    assert abs((per_channel == 0).mean() - 0.3) < 0.02
    assert abs(out.mean() - 1.0) < 0.03  # the scale keeps the expectation


def test_seeds():
    x = jaring.ones(8, 16, 3)
    same = [F.dropout1d(x, 0.5, seed=5).numpy() for _ in range(2)]
    np.testing.assert_array_equal(*same)
    rng = np.random.default_rng(5)
    first, second = F.dropout1d(x, 0.5, seed=rng).numpy(), F.dropout1d(x, 0.5, seed=rng).numpy()
    np.testing.assert_array_equal(first, same[0])
    assert not np.array_equal(first, second)  # a Generator gives a fresh mask each call
    jaring.manual_seed(3)
    a = F.dropout3d(jaring.ones(2, 8, 1, 1, 1), 0.5).numpy()
    jaring.manual_seed(3)
    np.testing.assert_array_equal(a, F.dropout3d(jaring.ones(2, 8, 1, 1, 1), 0.5).numpy())


def test_gradcheck_float64():
    x = random_array((2, 3, 4), seed=6)
    check_gradients(lambda x: F.dropout1d(x, 0.4, seed=7), [x])


@pytest.mark.parametrize("p", [-0.1, 1.5, "half", True])
def test_bad_p_in_torchs_words(p):
    for fn in (F.dropout1d, F.dropout2d, F.dropout3d):
        with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got"):
            fn(jaring.ones(2, 3, 4), p)


def test_bad_ranks_and_dtypes():
    with pytest.raises(RuntimeError, match="dropout1d: Expected 2D or 3D input, but received a 4D input"):
        F.dropout1d(jaring.ones(1, 2, 3, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError, match="Feature dropout requires at least 2 dimensions"):
            F.dropout2d(jaring.ones(4))
        with pytest.raises(RuntimeError, match="Feature dropout requires at least 2 dimensions"):
            F.dropout3d(jaring.tensor(1.0))
    with pytest.raises(TypeError, match="floating-point"):
        F.dropout1d(jaring.tensor(np.ones((2, 3), np.int64)))
