"""batch_norm: values, gradients and running statistics against PyTorch, train and eval."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.oracle import check_gradients, compare_with_torch, random_array


@pytest.mark.parametrize("shape", [(4, 3, 5, 6), (1, 2, 3, 3), (8, 5), (2, 3, 4), (3, 1, 2, 2)])
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_matches_torch(shape, training, affine):
    channels = shape[1]
    x = random_array(shape, 1) * 3 + 1
    mean, var = random_array((channels,), 2), random_array((channels,), 3, 0.5, 2.0)
    stats_j, stats_t = [mean.copy(), var.copy()], [torch.tensor(mean), torch.tensor(var)]
    inputs = [x, random_array((channels,), 4), random_array((channels,), 5)] if affine else [x]
    compare_with_torch(
        lambda a, *wb: F.batch_norm(a, *stats_j, *wb, training=training, momentum=0.2, eps=1e-3),
        lambda a, *wb: TF.batch_norm(a, *stats_t, *wb, training=training, momentum=0.2, eps=1e-3),
        inputs,
        rtol=1e-4,
        atol=1e-4,
    )
    # compare_with_torch ran each side once, so each moved its running statistics once.
    np.testing.assert_allclose(stats_j[0], stats_t[0].numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(stats_j[1], stats_t[1].numpy(), rtol=1e-5, atol=1e-6)
    if training:
        assert not np.allclose(stats_j[0], mean)


def test_running_statistics_accept_tensors_and_batch_statistics_work_without_them():
    x = random_array((6, 2, 3, 3), 6)
    running_mean, running_var = jaring.zeros(2), jaring.ones(2)
    F.batch_norm(jaring.tensor(x), running_mean, running_var, training=True, momentum=1.0)
    np.testing.assert_allclose(running_mean.numpy(), x.mean(axis=(0, 2, 3)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(running_var.numpy(), x.var(axis=(0, 2, 3), ddof=1), rtol=1e-5)
    out = F.batch_norm(jaring.tensor(x), training=True)
    np.testing.assert_allclose(out.numpy().mean(axis=(0, 2, 3)), 0, atol=1e-5)


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradcheck_float64(training):
    x = random_array((3, 2, 2, 3), 7).astype(np.float64)
    w, b = random_array((2,), 8).astype(np.float64), random_array((2,), 9).astype(np.float64)
    mean, var = np.zeros(2), np.ones(2) * 1.5
    check_gradients(
        lambda a, c, d: F.batch_norm(a, mean.copy(), var.copy(), c, d, training=training), [x, w, b]
    )


def test_batch_norm_keeps_float32():
    out = F.batch_norm(jaring.ones(2, 3, 2, 2), np.zeros(3, np.float32), np.ones(3, np.float32))
    assert out.dtype == np.float32


def test_bad_batch_norm_arguments_are_refused():
    x = jaring.ones(2, 3, 4, 4)
    with pytest.raises(ValueError, match="needs running_mean and running_var"):
        F.batch_norm(x)
    with pytest.raises(ValueError, match=r"running_mean must have shape \(3,\), got \(4,\)"):
        F.batch_norm(x, np.zeros(4), np.ones(3))
    with pytest.raises(ValueError, match=r"weight must have shape \(3,\)"):
        F.batch_norm(x, training=True, weight=jaring.ones(2))
    with pytest.raises(ValueError, match="more than one value per channel"):
        F.batch_norm(jaring.ones(1, 3), training=True)
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\]"):
        F.batch_norm(x, training=True, momentum=1.5)
    with pytest.raises(ValueError, match=r"\(N, C, ...\)"):
        F.batch_norm(jaring.ones(3), training=True)
