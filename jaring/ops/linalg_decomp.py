"""Matrix decompositions with torch's backward formulas: cholesky, qr (reduced), eigh, svd
(thin) and svdvals. The last two axes are the matrix, the others a batch.

Ops with several outputs pack them into one array (jaring/ops/linalg_pack.py). eigh's and svd's
gradients divide by the gaps between eigenvalues (singular values squared), as torch's: they are
finite only where those are distinct. A function of the spectrum alone (eigenvalues, svdvals) has
no such term, and stays well defined at repeated values.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.linalg_checks import check_matrices, not_positive_definite
from jaring.ops.linalg_pack import pack, unpack, unpack_tensor
from jaring.ops.shape import swapaxes


def _mT(a: Any) -> Any:  # noqa: N802
    return a.swapaxes(-1, -2)


def _skew(a: Any) -> Any:
    return a - _mT(a)


def _gaps(values: Any) -> Any:
    """E_ij = values_j - values_i, with 1 on the diagonal (torch's divisor)."""
    xp = backend.array_module(values)
    e = values[..., None, :] - values[..., :, None]
    n = values.shape[-1]
    e[..., xp.arange(n), xp.arange(n)] = 1
    return e


class Cholesky(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        xp = backend.array_module(a)
        try:
            low = xp.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            raise not_positive_definite("linalg.cholesky", a) from None
        ctx.save_for_backward(low)
        return low

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (low,) = ctx.saved
        xp = backend.array_module(low)
        phi = xp.tril(_mT(low) @ grad)
        phi = 0.5 * (phi + _mT(xp.tril(phi, -1)))
        inv_low = xp.linalg.inv(low)
        return _mT(inv_low) @ phi @ inv_low


class QR(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        q, r = backend.array_module(a).linalg.qr(a, mode="reduced")
        ctx.shapes = [q.shape[-2:], r.shape[-2:]]
        ctx.save_for_backward(q, r)
        return pack(q, r, batch=a.shape[:-2])

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        q, r = ctx.saved
        xp = backend.array_module(q)
        m, n = q.shape[-2], r.shape[-1]
        if m < n:
            raise NotImplementedError(
                "linalg.qr: the derivative for a wide matrix (more columns than rows) is not implemented"
            )
        gq, gr = unpack(grad, ctx.shapes)
        x = xp.triu(gr @ _mT(r) - _mT(q) @ gq)
        x = x + _mT(x)
        idx = xp.arange(n)
        x[..., idx, idx] *= 0.5
        ga = q @ x + gq
        return _mT(xp.linalg.solve(r, _mT(ga)))


class Eigh(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, upper: bool) -> Any:
        xp = backend.array_module(a)
        values, vectors = xp.linalg.eigh(a, UPLO="U" if upper else "L")
        ctx.shapes = [values.shape[-1:], vectors.shape[-2:]]
        ctx.save_for_backward(values, vectors)
        return pack(values, vectors, batch=a.shape[:-2])

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        values, vectors = ctx.saved
        xp = backend.array_module(values)
        g_values, g_vectors = unpack(grad, ctx.shapes)
        n = values.shape[-1]
        if not g_vectors.any():  # eigenvalues alone: no gap term, finite at repeated eigenvalues
            return (vectors * g_values[..., None, :]) @ _mT(vectors)
        inner = 0.5 * _skew(_mT(vectors) @ g_vectors) / _gaps(values)
        inner[..., xp.arange(n), xp.arange(n)] = g_values
        return vectors @ inner @ _mT(vectors)


class SVD(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        u, s, vh = backend.array_module(a).linalg.svd(a, full_matrices=False)
        ctx.shapes = [u.shape[-2:], s.shape[-1:], vh.shape[-2:]]
        ctx.save_for_backward(u, s, vh)
        return pack(u, s, vh, batch=a.shape[:-2])

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        u, s, vh = ctx.saved
        xp = backend.array_module(u)
        gu, gs, gvh = unpack(grad, ctx.shapes)
        if not (gu.any() or gvh.any()):  # S alone, as svdvals
            return (u * gs[..., None, :]) @ vh
        m, n = u.shape[-2], vh.shape[-1]
        v, gv = _mT(vh), _mT(gvh)
        k = s.shape[-1]
        ga = (_skew(_mT(u) @ gu) * s[..., None, :] + s[..., :, None] * _skew(vh @ gv)) / _gaps(s * s)
        ga[..., xp.arange(k), xp.arange(k)] += gs
        if m > n:
            gu_sinv = gu / s[..., None, :]
            return (u @ ga + gu_sinv - u @ (_mT(u) @ gu_sinv)) @ vh
        if m < n:
            gv_sinv = gv / s[..., None, :]
            return u @ (ga @ vh + _mT(gv_sinv) - (_mT(gv_sinv) @ v) @ vh)
        return u @ ga @ vh


class SvdVals(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        u, s, vh = backend.array_module(a).linalg.svd(a, full_matrices=False)
        ctx.save_for_backward(u, vh)
        return s

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        u, vh = ctx.saved
        return (u * grad[..., None, :]) @ vh


def cholesky(A: Any, *, upper: bool = False) -> Tensor:  # noqa: N803
    """L with A = L L^T for a symmetric positive-definite A (U = L^T with upper=True); reads the
    lower triangle, as torch.linalg.cholesky.

    Examples:
        >>> import jaring
        >>> jaring.linalg.cholesky(jaring.tensor([[4.0, 2.0], [2.0, 2.0]])).tolist()
        [[2.0, 0.0], [1.0, 1.0]]
    """
    A = as_tensor(A)
    check_matrices("linalg.cholesky", A)
    low = Cholesky.apply(A)
    return swapaxes(low, -1, -2) if upper else low


class QRResult(NamedTuple):
    Q: Tensor
    R: Tensor


def qr(A: Any, mode: str = "reduced") -> QRResult:  # noqa: N803
    """A = QR with orthonormal columns in Q (m, k) and an upper-triangular R (k, n), k = min(m, n).

    Only mode="reduced" (torch's default); the gradient needs m >= n, as most uses have.

    Examples:
        >>> import jaring
        >>> Q, R = jaring.linalg.qr(jaring.tensor([[3.0, 1.0], [4.0, 2.0]]))
        >>> [round(abs(v), 4) for v in R.tolist()[0]]
        [5.0, 2.2]
    """
    A = as_tensor(A)
    if mode not in ("reduced", "r", "complete"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
            "'r', or 'complete'"
        )
    if mode != "reduced":
        raise NotImplementedError(f"linalg.qr: mode='{mode}' is not implemented; use mode='reduced'")
    check_matrices("linalg.qr", A, square=False)
    m, n = A.shape[-2:]
    k = min(m, n)
    q, r = unpack_tensor(QR.apply(A), [(m, k), (k, n)])
    return QRResult(q, r)


class EighResult(NamedTuple):
    eigenvalues: Tensor
    eigenvectors: Tensor


def eigh(A: Any, UPLO: str = "L") -> EighResult:  # noqa: N803
    """Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix, from its lower
    (UPLO="L") or upper ("U") triangle, as torch.linalg.eigh.

    The eigenvectors' gradient divides by λj - λi, as torch's: with repeated (degenerate)
    eigenvalues the eigenvectors are not unique and a loss that depends on them gets inf or nan
    gradients. A loss of the eigenvalues alone is fine there.

    Examples:
        >>> import jaring
        >>> values, vectors = jaring.linalg.eigh(jaring.tensor([[2.0, 1.0], [1.0, 2.0]]))
        >>> [round(v, 4) for v in values.tolist()]
        [1.0, 3.0]
    """
    A = as_tensor(A)
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    check_matrices("linalg.eigh", A)
    n = A.shape[-1]
    values, vectors = unpack_tensor(Eigh.apply(A, upper=UPLO == "U"), [(n,), (n, n)])
    return EighResult(values, vectors)


class SVDResult(NamedTuple):
    U: Tensor
    S: Tensor
    Vh: Tensor


def svd(A: Any, full_matrices: bool = False) -> SVDResult:  # noqa: N803
    """A = U diag(S) Vh, the thin SVD (U (m, k), S (k,) descending, Vh (k, n), k = min(m, n)).

    Only full_matrices=False here (torch's default is True: pass False in torch to match). The
    gradient through U or Vh divides by gaps between the S^2 and needs them distinct (see module).

    Examples:
        >>> import jaring
        >>> U, S, Vh = jaring.linalg.svd(jaring.tensor([[3.0, 0.0], [0.0, -4.0]]))
        >>> S.tolist()
        [4.0, 3.0]
    """
    A = as_tensor(A)
    if full_matrices:
        raise NotImplementedError(
            "linalg.svd: full_matrices=True is not implemented; pass full_matrices=False"
        )
    check_matrices("linalg.svd", A, square=False)
    m, n = A.shape[-2:]
    k = min(m, n)
    u, s, vh = unpack_tensor(SVD.apply(A), [(m, k), (k,), (k, n)])
    return SVDResult(u, s, vh)


def svdvals(A: Any) -> Tensor:  # noqa: N803
    """The singular values alone, descending; their gradient U diag(g) Vh has no gap term.

    Examples:
        >>> import jaring
        >>> jaring.linalg.svdvals(jaring.tensor([[0.0, 2.0], [1.0, 0.0]])).tolist()
        [2.0, 1.0]
    """
    A = as_tensor(A)
    check_matrices("linalg.svdvals", A, square=False)
    return SvdVals.apply(A)
