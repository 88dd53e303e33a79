"""Boolean masks and positions: masked_fill, masked_select, nonzero and one_hot."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.index import getitem
from jaring.ops.shape import broadcast_to


class MaskedFill(Function):
    """`a` with `value` where the mask is true; the gradient reaches `a` where it is false."""

    @staticmethod
    def forward(ctx: Context, a: Any, value: Any, mask: Any) -> Any:
        ctx.mask = mask
        return backend.array_module(a).where(mask, value.astype(a.dtype, copy=False), a)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        xp = backend.array_module(grad)
        zero = xp.zeros((), dtype=grad.dtype)
        return xp.where(ctx.mask, zero, grad), xp.where(ctx.mask, grad, zero).sum()


def _mask(op: str, mask: Any) -> Tensor:
    mask = as_tensor(mask)
    if mask.dtype != bool:
        raise TypeError(f"{op}: mask must be boolean, got {mask.dtype}")
    return mask


def masked_fill(x: Any, mask: Any, value: Any) -> Tensor:
    """A copy of `x` with `value` (a number or a 0-d tensor) where `mask` (broadcast to x) is true.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([1.0, 2.0, 3.0])
        >>> jaring.masked_fill(x, jaring.tensor([True, False, True]), 0.0).tolist()
        [0.0, 2.0, 0.0]
    """
    x = as_tensor(x)
    mask = _mask("masked_fill", mask)
    value = as_tensor(value, x)
    if value.ndim:
        raise ValueError(f"masked_fill: value must be a number or a 0-d tensor, got shape {value.shape}")
    try:
        full = backend.array_module(mask.data).broadcast_to(mask.data, x.shape)
    except ValueError:
        raise ValueError(
            f"masked_fill: mask of shape {mask.shape} cannot be broadcast to x's {x.shape}"
        ) from None
    return MaskedFill.apply(x, value, mask=full)


def masked_select(x: Any, mask: Any) -> Tensor:
    """The 1-D tensor of x's values where `mask` is true (x and mask broadcast together).

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[1.0, -2.0], [-3.0, 4.0]])
        >>> jaring.masked_select(x, x > 0).tolist()
        [1.0, 4.0]
    """
    x = as_tensor(x)
    mask = _mask("masked_select", mask)
    try:
        shape = np.broadcast_shapes(x.shape, mask.shape)
    except ValueError:
        raise ValueError(
            f"masked_select: x {x.shape} and mask {mask.shape} cannot be broadcast together"
        ) from None
    full = backend.array_module(mask.data).broadcast_to(mask.data, shape)
    return getitem(broadcast_to(x, shape) if x.shape != shape else x, Tensor._from_op(full, None))


def nonzero(x: Any, as_tuple: bool = False) -> Any:
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or one 1-D tensor per dim.

    A 0-d input gives shape (n, 0), or with `as_tuple` a tuple holding one tensor, as in torch.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[0, 1], [2, 0]])
        >>> jaring.nonzero(x).tolist()
        [[0, 1], [1, 0]]
        >>> rows, cols = jaring.nonzero(x, as_tuple=True)
        >>> rows.tolist(), cols.tolist()
        ([0, 1], [1, 0])
    """
    x = as_tensor(x)
    xp = backend.array_module(x.data)
    data = x.data if x.ndim else x.data.reshape(1)
    where = [w.astype(np.int64) for w in xp.nonzero(data)]
    if as_tuple:
        return tuple(Tensor._from_op(w, None) for w in where)
    if x.ndim == 0:
        return Tensor._from_op(xp.zeros((len(where[0]), 0), dtype=np.int64), None)
    return Tensor._from_op(xp.stack(where, axis=1), None)


def one_hot(labels: Any, num_classes: int = -1) -> Tensor:
    """int64 one-hot rows: shape labels.shape + (num_classes,); -1 means max(labels) + 1.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.one_hot(jaring.tensor([0, 2, 1]), num_classes=3).tolist()
        [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    """
    labels = as_tensor(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"one_hot: labels must be integers, got {labels.dtype}")
    data = labels.data
    top = int(data.max()) if data.size else -1
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)):
        raise TypeError(f"one_hot: num_classes must be an int, got {num_classes!r}")
    if num_classes == -1:
        if not data.size:
            raise ValueError("one_hot: num_classes=-1 needs at least one label to infer the count from")
        num_classes = top + 1
    if num_classes < 1:
        raise ValueError(f"one_hot: num_classes must be -1 or at least 1, got {num_classes}")
    if data.size and (data.min() < 0 or top >= num_classes):
        bad = int(data.min()) if data.min() < 0 else top
        raise ValueError(f"one_hot: label {bad} is out of range (allowed: 0 to {num_classes - 1})")
    xp = backend.array_module(data)
    return Tensor._from_op((data[..., None] == xp.arange(num_classes)).astype(np.int64), None)
