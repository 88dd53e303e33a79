"""Indexing: x[index] as in PyTorch, and the scatter that carries its gradient back.

PyTorch indexes as NumPy does but for integers that keep index arrays apart: see
`jaring/ops/index_order.py`.

Backward writes the gradient into zeros at the picked places, summing where an index repeats.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.index_order import inverse, torch_permutation

_FULL = slice(None)  # the ':' of an index


class GetItem(Function):
    """NumPy indexing (PyTorch's, with `order`). Backward writes the gradient into zeros,
    summing where an index repeats.

    `ctx.kind` says how: "assign" for basic indexes and boolean masks (no element is picked
    twice), "rows" for integer arrays on adjacent axes between full slices (embeddings, gathers:
    a sparse one-hot product on NumPy), "add" for any other index (ufunc `add.at`).
    `order`, where given, transposes NumPy's result into PyTorch's (see index_order.py).
    """

    @staticmethod
    def forward(ctx: Context, a: Any, index: tuple, kind: str, order: Any = None) -> Any:
        try:
            out = a[index]
        except IndexError as exc:
            raise IndexError(f"getitem on a tensor of shape {tuple(a.shape)}: {exc}") from None
        ctx.shape, ctx.index, ctx.kind, ctx.order = a.shape, index, kind, order
        return out if order is None else out.transpose(order)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.array_module(grad)
        if ctx.order is not None:
            grad = grad.transpose(inverse(ctx.order))
        if ctx.kind == "rows" and xp is np:
            return _scatter_rows(ctx.shape, ctx.index, grad)
        out = xp.zeros(ctx.shape, dtype=grad.dtype)
        if ctx.kind == "assign":
            out[ctx.index] = grad
        else:
            xp.add.at(out, ctx.index, grad)
        return out


def _scatter_rows(shape: tuple, index: tuple, grad: np.ndarray) -> np.ndarray:
    """Scatter-add for x[:, ..., i, j, :, ...]: integer arrays on adjacent axes, full slices around.

    The input is seen as (L, A, R): L leading sliced elements, A positions along the indexed axes,
    R trailing elements. With L = R = 1 NumPy's 1-D `np.add.at` has a fast path and wins;
    otherwise `np.add.at` adds one element at a time, and a one-hot CSR product (a sparse GEMM
    over whole rows) is faster.
    """
    start = next(i for i, part in enumerate(index) if part is not _FULL)
    arrays = [part.astype(np.intp, copy=False) for part in index[start:] if part is not _FULL]
    dims = shape[start : start + len(arrays)]
    flat: Any = 0
    for part, n in zip(arrays, dims):  # one step per index array, vectorised over its elements
        flat = flat * n + part + (part < 0) * n  # forward already rejected out-of-range indices
    flat = np.ravel(flat)
    lead, rest = math.prod(shape[:start]), math.prod(shape[start + len(dims) :])
    positions, m = math.prod(dims), flat.size
    if lead == 1 and rest == 1:
        out = np.zeros(positions, grad.dtype)
        np.add.at(out, flat, grad.ravel())
        return out.reshape(shape)
    import scipy.sparse  # a dependency of scikit-learn; loaded on first use only

    g = grad.reshape(lead, m, rest)
    onehot = scipy.sparse.csr_matrix((np.ones(m, grad.dtype), flat, np.arange(m + 1)), shape=(m, positions))
    columns = g[0] if lead == 1 else g.transpose(1, 0, 2).reshape(m, lead * rest)
    summed = np.asarray(onehot.T @ columns)
    if lead > 1:
        summed = summed.reshape(positions, lead, rest).transpose(1, 0, 2)
    return summed.reshape(shape)


def _index_part(part: Any, xp: Any) -> Any:
    """One entry of an index with Tensors and lists turned into arrays on the data's device."""
    if isinstance(part, Tensor):
        part = part.data
    elif isinstance(part, (list, tuple)):  # a sequence inside an index is an index array, as in NumPy
        part = np.asarray(part)
        if part.size == 0:
            part = part.astype(np.intp)
    if isinstance(part, (int, slice, type(None), type(Ellipsis), np.integer, np.bool_, bool)):
        return part
    if type(part) is np.ndarray or backend.is_cupy_array(part):
        if part.dtype.kind not in "iub":
            raise TypeError(f"getitem: index arrays hold integers or booleans, got dtype {part.dtype}")
        return xp.asarray(part)
    raise TypeError(
        f"getitem: unsupported index {part!r}; use ints, slices, None, ..., integer or boolean arrays"
    )


def _is_array(part: Any) -> bool:
    return hasattr(part, "dtype") and not isinstance(part, np.generic)


def _plan(index: tuple, ndim: int) -> tuple:
    """(kind, index) telling GetItem's backward how to scatter; see GetItem."""
    arrays = [p for p in index if _is_array(p)]
    if all(a.dtype.kind == "b" for a in arrays):
        return "assign", index
    parts = list(index)
    ellipsis = [i for i, p in enumerate(parts) if p is Ellipsis]
    if len(ellipsis) == 1:
        parts[ellipsis[0] : ellipsis[0] + 1] = [_FULL] * (ndim - len(parts) + 1)
    signature = "".join(
        "s" if isinstance(p, slice) and p == _FULL else "a" if _is_array(p) and p.dtype.kind != "b" else "x"
        for p in parts
    )
    if re.fullmatch("s*a+s*", signature):
        return "rows", tuple(_FULL if code == "s" else p for code, p in zip(signature, parts))
    return "add", index


def getitem(x: Any, index: Any) -> Tensor:
    """x[index] as in PyTorch: ints, slices, None, ..., integer and boolean arrays/Tensors.

    An index that picks the same element twice sums both gradients into it. Integers mixed
    with index arrays act as in PyTorch, not NumPy: for x of shape (3, 4, 5), x[1, :, [0, 2, 4]]
    has shape (4, 3), the arrays' dimension staying in its place (NumPy moves it first: (3, 4)).
    `x[index]` on a tensor calls this.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[0, 1, 2], [3, 4, 5]])
        >>> F.getitem(x, (1, slice(0, 2))).tolist()
        [3, 4]
        >>> x[:, jaring.tensor([2, 0])].tolist()
        [[2, 0], [5, 3]]
        >>> jaring.zeros(3, 4, 5)[1, :, [0, 2, 4]].shape
        (4, 3)
    """
    x = as_tensor(x)
    parts = index if isinstance(index, tuple) else (index,)
    if all(type(p) is int or type(p) is slice for p in parts):  # the common case, kept cheap
        return GetItem.apply(x, index=parts, kind="assign")
    xp = backend.array_module(x.data)
    parts = tuple(_index_part(p, xp) for p in parts)
    order = torch_permutation(parts, x.ndim)
    kind, parts = _plan(parts, x.ndim)
    return GetItem.apply(x, index=parts, kind=kind, order=order)
