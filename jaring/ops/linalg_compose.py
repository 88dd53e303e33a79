"""The linalg functions made of others: matrix_power (repeated squaring, inv for n < 0), pinv
(its own op, from the SVD, with torch's backward), multi_dot (a chain of matmuls) and cross."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.linalg import matmul
from jaring.ops.linalg_checks import check_matrices
from jaring.ops.linalg_inverse import inv
from jaring.ops.matrix import cross as _cross


def _mT(a: Any) -> Any:  # noqa: N802
    return a.swapaxes(-1, -2)


def matrix_power(A: Any, n: int) -> Tensor:  # noqa: N803
    """A multiplied by itself n times (n an int; 0 gives the identity, n < 0 powers of inv(A)).

    Examples:
        >>> import jaring
        >>> jaring.linalg.matrix_power(jaring.tensor([[1.0, 1.0], [0.0, 1.0]]), 3).tolist()
        [[1.0, 3.0], [0.0, 1.0]]
        >>> jaring.linalg.matrix_power(jaring.tensor([[2.0]]), -2).tolist()
        [[0.25]]
    """
    A = as_tensor(A)
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"linalg_matrix_power(): argument 'n' must be int, not {type(n).__name__}")
    check_matrices("linalg.matrix_power", A)
    if n == 0:
        xp = backend.array_module(A.data)
        return Tensor(xp.broadcast_to(xp.eye(A.shape[-1], dtype=A.dtype), A.shape).copy())
    base = inv(A) if n < 0 else A
    result, n = None, abs(n)
    while n:
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return result


class Pinv(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        xp = backend.array_module(a)
        u, s, vh = xp.linalg.svd(a, full_matrices=False)
        cutoff = s[..., :1] * (max(a.shape[-2:]) * xp.finfo(a.dtype).eps)
        s_inv = xp.where(s > cutoff, 1 / xp.where(s > cutoff, s, 1), 0)
        out = (_mT(vh) * s_inv[..., None, :]) @ _mT(u)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        a, p = ctx.saved
        ph, g = _mT(p), _mT(grad)
        if a.shape[-2] <= a.shape[-1]:
            k = g @ p
            kph = k @ ph
            return -_mT(p @ k) + kph - (a @ p) @ kph + (ph @ p) @ (g - k @ a)
        k = p @ g
        phk = ph @ k
        return -_mT(k @ p) + (g - a @ k) @ p @ ph + phk - phk @ p @ a


def pinv(A: Any, *, hermitian: bool = False) -> Tensor:  # noqa: N803
    """The Moore-Penrose pseudo-inverse from the SVD; singular values below max(m, n) * eps times
    the largest count as zero (torch's default rtol). Only hermitian=False.

    Examples:
        >>> import jaring
        >>> jaring.linalg.pinv(jaring.tensor([[2.0, 0.0], [0.0, 0.0]])).tolist()
        [[0.5, 0.0], [0.0, 0.0]]
    """
    A = as_tensor(A)
    if hermitian:
        raise NotImplementedError("linalg.pinv: hermitian=True is not implemented; use hermitian=False")
    check_matrices("linalg.pinv", A, square=False)
    return Pinv.apply(A)


def multi_dot(tensors: Sequence[Any]) -> Tensor:
    """The product of a chain of matrices, left to right; the first may be a 1-D row vector and the
    last a 1-D column vector, as torch.linalg.multi_dot (torch picks the cheapest order; the value
    is the same).

    Examples:
        >>> import jaring
        >>> a, b = jaring.ones(2, 3), jaring.ones(3, 4)
        >>> jaring.linalg.multi_dot([a, b, jaring.ones(4)]).tolist()
        [12.0, 12.0]
    """
    tensors = [as_tensor(t) for t in tensors]
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    for i, t in enumerate(tensors):
        allowed = (1, 2) if i in (0, len(tensors) - 1) else (2,)
        if t.ndim not in allowed:
            where = "first" if i == 0 else ("last" if i == len(tensors) - 1 else f"tensor {i}")
            raise RuntimeError(
                f"multi_dot(): the {where} tensor must be "
                f"{' or '.join(f'{d}D' for d in allowed)} but got {t.ndim}D"
            )
    out = tensors[0]
    for t in tensors[1:]:
        out = matmul(out, t)
    return out


def cross(input: Any, other: Any, *, dim: int = -1) -> Tensor:
    """torch.linalg.cross: jaring.cross with dim=-1 by default.

    Examples:
        >>> import jaring
        >>> jaring.linalg.cross(jaring.tensor([0.0, 1.0, 0.0]), jaring.tensor([0.0, 0.0, 1.0])).tolist()
        [1.0, 0.0, 0.0]
    """
    return _cross(input, other, dim=dim)
