"""cholesky, qr, eigh, svd and svdvals against torch: values and gradients, batched, both dtypes."""

import numpy as np
import pytest
import torch

import jaring
from jaring.ops import linalg_decomp as D
from tests.oracle import check_gradients
from tests.ops.dtype_oracle import compare_in_dtype

DTYPES = [np.float32, np.float64]


def _spd(shape, seed=0):
    a = np.random.default_rng(seed).standard_normal(shape)
    return a @ a.swapaxes(-1, -2) + shape[-1] * np.eye(shape[-1])


def _joined(outputs, cat, flat):
    return cat([flat(o) for o in outputs])


def _ours(fn):
    return lambda a: _joined(fn(a), jaring.cat, lambda o: o.reshape(-1))


def _theirs(fn):
    return lambda a: _joined(fn(a), torch.cat, lambda o: o.reshape(-1))


@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (2, 4, 4)])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky(shape, dtype, upper):
    compare_in_dtype(
        lambda a: D.cholesky(a, upper=upper),
        lambda a: torch.linalg.cholesky(a, upper=upper),
        [_spd(shape)],
        dtype,
    )


def _eigh_abs(fn):
    """Eigenvalues and |eigenvectors|: each eigenvector's sign is LAPACK's free choice."""
    return lambda a: (fn(a)[0], fn(a)[1].abs())


def _svd_abs(fn):
    return lambda a: (fn(a)[0].abs(), fn(a)[1], fn(a)[2].abs())


@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (2, 4, 4)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_eigh(shape, dtype):
    tol = 1e-3 if dtype == np.float32 else None
    compare_in_dtype(
        _ours(_eigh_abs(D.eigh)), _theirs(_eigh_abs(torch.linalg.eigh)), [_spd(shape)], dtype, tol=tol
    )


@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (5, 3), (2, 4, 2)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_qr(shape, dtype):
    a = np.random.default_rng(1).standard_normal(shape)
    tol = 1e-3 if dtype == np.float32 else None
    compare_in_dtype(_ours(D.qr), _theirs(torch.linalg.qr), [a], dtype, tol=tol)


@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (5, 3), (3, 5), (2, 4, 2)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_svd_and_svdvals(shape, dtype):
    a = np.random.default_rng(2).standard_normal(shape)
    tol = 1e-3 if dtype == np.float32 else 1e-9
    compare_in_dtype(
        _ours(_svd_abs(D.svd)),
        _theirs(_svd_abs(lambda x: torch.linalg.svd(x, full_matrices=False))),
        [a],
        dtype,
        tol=tol,
    )
    compare_in_dtype(D.svdvals, torch.linalg.svdvals, [a], dtype, tol=tol)


def test_eigenvalues_alone_have_a_gradient_at_repeated_eigenvalues():
    a = jaring.eye(3, dtype=jaring.float64, requires_grad=True)
    D.eigh(a).eigenvalues.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), np.eye(3), atol=1e-12)


@pytest.mark.parametrize(
    "fn",
    [
        D.cholesky,
        lambda a: D.eigh(a).eigenvalues,
        lambda a: D.eigh(a).eigenvectors.abs(),
        lambda a: D.qr(a).Q + D.qr(a).R,
        lambda a: D.svd(a).U.abs().sum() + D.svd(a).S.sum() + D.svd(a).Vh.abs().sum(),
        D.svdvals,
    ],
)
def test_gradcheck(fn):
    """On the symmetric part: cholesky and eigh read one triangle but, as torch, give a symmetric gradient."""
    check_gradients(lambda a: fn((a + a.mT) / 2), [_spd((2, 3, 3)) + np.diag([0.0, 1.0, 2.5])])


def test_cholesky_error_speaks_torch():
    a = [[1.0, 2.0], [2.0, 1.0]]
    with pytest.raises(RuntimeError) as theirs:
        torch.linalg.cholesky(torch.tensor(a))
    with pytest.raises(jaring.linalg.LinAlgError) as ours:
        D.cholesky(jaring.tensor(a))
    assert str(ours.value) == str(theirs.value)


def test_unsupported_modes_say_so():
    with pytest.raises(RuntimeError, match="unrecognized mode 'x'"):
        D.qr(jaring.ones(2, 2), mode="x")
    with pytest.raises(NotImplementedError, match="full_matrices"):
        D.svd(jaring.ones(2, 2), full_matrices=True)
