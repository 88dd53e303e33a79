"""Inverse, determinant and linear solve of (batches of) square matrices, with torch's backward.

inv: gA = -A^-T g A^-T. det: gA = g det(A) A^-T, computed from the SVD so that a singular matrix
(det 0) still gets its gradient, the adjugate. slogdet and logdet: gA = g A^-T. solve (AX = B):
gB = A^-T g and gA = -gB X^T. The last two axes are the matrix, the others a batch.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.linalg_checks import LinAlgError, check_matrices, singular_error
from jaring.ops.shape import swapaxes


def _mT(a: Any) -> Any:  # noqa: N802 (torch's name)
    return a.swapaxes(-1, -2)


def invert(op: str, a: Any) -> Any:
    """A^-1 on a raw array, with torch's error for a singular matrix."""
    xp = backend.array_module(a)
    try:
        return xp.linalg.inv(a)
    except np.linalg.LinAlgError:
        raise singular_error(op, a) from None


class Inv(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = invert("linalg.inv", a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (inv_a,) = ctx.saved
        return -(_mT(inv_a) @ grad @ _mT(inv_a))


def _adjugate_t(a: Any) -> Any:
    """d det(A) / dA = adj(A)^T, from A = U diag(s) Vh: det(U) det(Vh) U diag(prod_{j!=i} s_j) Vh."""
    xp = backend.array_module(a)
    u, s, vh = xp.linalg.svd(a)
    ones = xp.ones(s.shape[:-1] + (1,), dtype=s.dtype)
    left = xp.cumprod(xp.concatenate([ones, s[..., :-1]], axis=-1), axis=-1)
    right = xp.flip(xp.cumprod(xp.concatenate([ones, xp.flip(s, -1)[..., :-1]], axis=-1), axis=-1), -1)
    others = left * right
    signs = xp.linalg.det(u) * xp.linalg.det(vh)
    return signs[..., None, None] * ((u * others[..., None, :]) @ vh)


class Det(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return backend.array_module(a).linalg.det(a)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        return grad[..., None, None] * _adjugate_t(a)


class LogAbsDet(Function):
    """log |det A|, or log det A (nan where det < 0) with signed=True; the gradient is g A^-T."""

    @staticmethod
    def forward(ctx: Context, a: Any, signed: bool) -> Any:
        xp = backend.array_module(a)
        sign, logabs = xp.linalg.slogdet(a)
        ctx.signed = signed
        ctx.save_for_backward(a, sign)
        if signed:
            return xp.where(sign < 0, xp.asarray(np.nan, dtype=logabs.dtype), logabs)
        return logabs

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        a, sign = ctx.saved
        if ctx.signed:  # torch's logdet sends no gradient where det < 0 (the value is nan)
            grad = grad * (sign > 0)
        return grad[..., None, None] * _mT(invert("linalg.slogdet", a))


class Solve(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any, vector: bool) -> Any:
        xp = backend.array_module(a)
        rhs = b[..., None] if vector else b
        try:
            x = xp.linalg.solve(a, rhs)
        except np.linalg.LinAlgError:
            raise LinAlgError(
                "torch.linalg.solve: The solver failed because the input matrix is singular."
            ) from None
        ctx.vector = vector
        ctx.save_for_backward(a, x)
        return x[..., 0] if vector else x

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        a, x = ctx.saved
        xp = backend.array_module(a)
        g = grad[..., None] if ctx.vector else grad
        grad_b = xp.linalg.solve(_mT(a), g)
        grad_a = -(grad_b @ _mT(x)) if ctx.needs_input_grad[0] else None
        return grad_a, (grad_b[..., 0] if ctx.vector else grad_b)


def inv(A: Any) -> Tensor:  # noqa: N803 (torch's name)
    """The inverse of a square matrix or of each in a batch (..., n, n); torch.linalg.inv.

    Examples:
        >>> import jaring
        >>> jaring.linalg.inv(jaring.tensor([[2.0, 0.0], [0.0, 4.0]])).tolist()
        [[0.5, 0.0], [0.0, 0.25]]
    """
    A = as_tensor(A)
    check_matrices("linalg.inv", A)
    return Inv.apply(A)


def inverse(x: Any) -> Tensor:
    """torch.inverse: the same as linalg.inv; also `x.inverse()`.

    Examples:
        >>> import jaring
        >>> jaring.tensor([[4.0]]).inverse().tolist()
        [[0.25]]
    """
    return inv(x)


def det(A: Any) -> Tensor:  # noqa: N803
    """The determinant of (a batch of) square matrices; differentiable also where it is 0.

    Examples:
        >>> import jaring
        >>> jaring.linalg.det(jaring.tensor([[1.0, 2.0], [3.0, 4.0]])).item()
        -2.0...
    """
    A = as_tensor(A)
    check_matrices("linalg.det", A)
    return Det.apply(A)


class SignLogAbsDet(NamedTuple):
    """slogdet's result, as torch's: det = sign * exp(logabsdet)."""

    sign: Tensor
    logabsdet: Tensor


def slogdet(A: Any) -> SignLogAbsDet:  # noqa: N803
    """(sign, logabsdet) of det A, stable where det itself would overflow; sign has no gradient.

    Examples:
        >>> import jaring
        >>> sign, logabsdet = jaring.linalg.slogdet(jaring.tensor([[-2.0, 0.0], [0.0, 3.0]]))
        >>> sign.item(), round(logabsdet.item(), 4)
        (-1.0, 1.7918)
    """
    A = as_tensor(A)
    check_matrices("linalg.slogdet", A)
    sign = backend.array_module(A.data).linalg.slogdet(A.data)[0]
    return SignLogAbsDet(Tensor(sign), LogAbsDet.apply(A, signed=False))


def logdet(x: Any) -> Tensor:
    """log det x: nan where det < 0 and -inf where it is 0, as torch.logdet; also `x.logdet()`.

    Examples:
        >>> import jaring
        >>> round(jaring.logdet(jaring.tensor([[2.0, 1.0], [1.0, 2.0]])).item(), 4)
        1.0986
    """
    x = as_tensor(x)
    check_matrices("logdet", x)
    return LogAbsDet.apply(x, signed=True)


def solve(A: Any, B: Any, *, left: bool = True) -> Tensor:  # noqa: N803
    """X with AX = B (XA = B for left=False); B is a vector, a matrix or batches of them (broadcast).

    As torch, B is one vector per matrix when it is 1-D or has A's batch shape plus n.

    Examples:
        >>> import jaring
        >>> A = jaring.tensor([[2.0, 0.0], [0.0, 4.0]])
        >>> jaring.linalg.solve(A, jaring.tensor([2.0, 2.0])).tolist()
        [1.0, 0.5]
    """
    A, B = as_tensor(A), as_tensor(B)
    check_matrices("linalg.solve", A)
    n = A.shape[-1]
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    if not left:
        if vector:
            raise RuntimeError(
                "linalg.solve: Vector broadcasting of the left hand side is not supported for left=False."
            )
        return swapaxes(solve(swapaxes(A, -1, -2), swapaxes(B, -1, -2)), -1, -2)
    rows = B.shape[-1] if vector else (B.shape[-2] if B.ndim >= 2 else 1)
    if rows != n:
        cols = 1 if vector else B.shape[-1]
        raise RuntimeError(
            "linalg.solve: Incompatible shapes of A and B for the equation AX = B "
            f"({n}x{n} and {rows}x{cols})"
        )
    return Solve.apply(A, B, vector=vector)
