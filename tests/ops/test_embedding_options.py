"""jaring/ops/embedding_options.py: F.embedding's max_norm and scale_grad_by_freq against torch."""

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from tests.oracle import check_gradients, random_array
from tests.ops.dtype_oracle import compare_in_dtype

IDS = np.array([[0, 3, 3, 1], [3, 4, 0, 3]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("padding_idx", [None, 0, -1])
@pytest.mark.parametrize("ids", [IDS, IDS[:1, :1], np.array([2])])
def test_scale_grad_by_freq_matches_torch(dtype, padding_idx, ids):
    compare_in_dtype(
        lambda w: F.embedding(ids, w, padding_idx=padding_idx, scale_grad_by_freq=True),
        lambda w: torch.nn.functional.embedding(
            torch.tensor(ids), w, padding_idx=padding_idx, scale_grad_by_freq=True
        ),
        [random_array((5, 3), seed=1)],
        dtype,
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
def test_max_norm_renormalises_the_rows_looked_up_in_place_like_torch(dtype, norm_type):
    table = random_array((5, 3), seed=2, low=-3, high=3).astype(dtype)
    ours, theirs = jaring.tensor(table.copy()), torch.tensor(table.copy())
    out = F.embedding(IDS[:1], ours, max_norm=1.5, norm_type=norm_type)
    want = torch.nn.functional.embedding(torch.tensor(IDS[:1]), theirs, max_norm=1.5, norm_type=norm_type)
    tol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out.numpy(), want.numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=tol, atol=tol)  # row 2 untouched
    np.testing.assert_array_equal(ours.numpy()[2], table[2])


def test_max_norm_gradient_is_the_lookups_gradient():
    compare_in_dtype(
        lambda w: F.embedding(IDS, w, max_norm=0.5),
        lambda w: torch.nn.functional.embedding(torch.tensor(IDS), w, max_norm=0.5),
        [random_array((5, 2), seed=3)],
        np.float64,
    )


def test_gradcheck_float64_with_scale_grad_by_freq_on_distinct_ids():
    """Every count is 1 there, so the scaled gradient is the true one (with repeats it is not, by design)."""
    ids = np.array([[4, 0], [2, 1]])
    check_gradients(lambda w: F.embedding(ids, w, scale_grad_by_freq=True) ** 2, [random_array((5, 3))])


def test_errors():
    weight = jaring.randn(5, 2, seed=0)
    with pytest.raises(NotImplementedError, match="sparse"):
        F.embedding(IDS, weight, sparse=True)
    with pytest.raises(ValueError, match="max_norm must be >= 0"):
        F.embedding(IDS, weight, max_norm=-1.0)
    with pytest.raises(IndexError, match="token id 7"):
        F.embedding(np.array([7]), weight, max_norm=1.0, scale_grad_by_freq=True)
