"""What every linalg op checks first, in torch's words: float input, batches of square matrices,
and which batch element a failed factorization came from.

LinAlgError is torch.linalg.LinAlgError: a RuntimeError raised when the numbers (not the shapes)
make a factorization impossible, such as a singular or a non positive-definite matrix.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor


class LinAlgError(RuntimeError):
    """A matrix the factorization cannot handle (singular, not positive-definite), as torch's."""


_TORCH_DTYPE_NAMES = {
    "int64": "Long",
    "int32": "Int",
    "int16": "Short",
    "int8": "Char",
    "uint8": "Byte",
    "bool": "Bool",
}


def check_matrices(op: str, a: Tensor, square: bool = True, name: str = "A") -> None:
    """Raise torch's error unless `a` is a floating tensor of (batches of) (square) matrices."""
    if a.ndim < 2:
        raise RuntimeError(f"{op}: The input tensor {name} must have at least 2 dimensions.")
    if a.dtype.kind not in "fc":
        kind = _TORCH_DTYPE_NAMES.get(str(a.dtype), str(a.dtype))
        raise RuntimeError(f"{op}: Expected a floating point or complex tensor as input. Got {kind}")
    if square and a.shape[-1] != a.shape[-2]:
        raise RuntimeError(
            f"{op}: {name} must be batches of square matrices, but they are "
            f"{a.shape[-2]} by {a.shape[-1]} matrices"
        )


def batch_prefix(shape: tuple, flat_index: int) -> str:
    """torch's '(Batch element i): ' for a failure in one matrix of a batch ('' for one matrix)."""
    return f"(Batch element {flat_index}): " if len(shape) > 2 else ""


def first_zero_pivot(a: Any) -> tuple[int, int]:
    """(batch element, 1-based diagonal element) of the first exactly zero pivot of LU with partial
    pivoting (LAPACK's getrf), or (-1, 0) when every matrix is invertible. Only the error path runs it."""
    mats = np.asarray(backend.to_numpy(a), dtype=np.float64).reshape((-1,) + a.shape[-2:])
    for b, m in enumerate(mats):
        u = m.copy()
        first = 0
        for k in range(u.shape[0]):
            p = k + int(np.argmax(np.abs(u[k:, k])))
            u[[k, p]] = u[[p, k]]
            if u[k, k] == 0:
                first = first or k + 1
                continue
            u[k + 1 :] -= np.outer(u[k + 1 :, k] / u[k, k], u[k])
        if first:
            return b, first
    return -1, 0


def singular_error(op: str, a: Any) -> LinAlgError:
    """torch's error for a singular input to inv (and to matrix_power with a negative n)."""
    b, k = first_zero_pivot(a)
    prefix = batch_prefix(a.shape, max(b, 0))
    return LinAlgError(
        f"{op}: {prefix}The diagonal element {max(k, 1)} is zero, the inversion could not be completed "
        "because the input matrix is singular."
    )


def not_positive_definite(op: str, a: Any) -> LinAlgError:
    """torch's cholesky error: the first batch element and the order of its failing leading minor."""
    xp = backend.array_module(a)
    mats = a.reshape((-1,) + a.shape[-2:])
    for b in range(mats.shape[0]):
        for k in range(1, a.shape[-1] + 1):
            try:
                xp.linalg.cholesky(mats[b, :k, :k])
            except np.linalg.LinAlgError:
                return LinAlgError(
                    f"{op}: {batch_prefix(a.shape, b)}The factorization could not be completed because the "
                    f"input is not positive-definite (the leading minor of order {k} is not "
                    "positive-definite)."
                )
    return LinAlgError(
        f"{op}: The factorization could not be completed because the input is not positive-definite."
    )
