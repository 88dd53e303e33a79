"""Elementwise choices: clamp, maximum, minimum and where; the gradient goes to the value chosen.

Backward returns gradients in the broadcast shape; the engine sums them to each input's shape.
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.arith import broadcast_error
from jaring.ops.common import as_tensor
from jaring.ops.mask import nonzero
from jaring.ops.promotion import promote


class Clamp(Function):
    """Clip to [low, high]; the gradient passes where low <= x <= high (PyTorch's rule)."""

    @staticmethod
    def forward(ctx: Context, a: Any, low: Any = None, high: Any = None) -> Any:
        xp = backend.array_module(a)
        inside = xp.ones(a.shape, dtype=bool)
        if low is not None:
            inside &= a >= low
        if high is not None:
            inside &= a <= high
        ctx.save_for_backward(inside)
        return xp.clip(a, low, high).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad * ctx.saved[0]


class Maximum(Function):
    """Elementwise max; where a == b the gradient is split in half (as in PyTorch)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        try:
            out = backend.array_module(a, b).maximum(a, b)
        except ValueError:
            raise broadcast_error("maximum", a, b) from None
        ctx.save_for_backward(a, b)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        a, b = ctx.saved
        share = (a > b).astype(grad.dtype) + 0.5 * (a == b).astype(grad.dtype)
        return grad * share, grad * (1 - share)


class Minimum(Function):
    """Elementwise min; where a == b the gradient is split in half (as in PyTorch)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        try:
            out = backend.array_module(a, b).minimum(a, b)
        except ValueError:
            raise broadcast_error("minimum", a, b) from None
        ctx.save_for_backward(a, b)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        a, b = ctx.saved
        share = (a < b).astype(grad.dtype) + 0.5 * (a == b).astype(grad.dtype)
        return grad * share, grad * (1 - share)


class Where(Function):
    """cond ? a : b, with a boolean condition that receives no gradient."""

    @staticmethod
    def forward(ctx: Context, cond: Any, a: Any, b: Any) -> Any:
        xp = backend.array_module(cond, a, b)
        try:
            out = xp.where(cond, a, b)
        except ValueError:
            raise ValueError(
                f"where: condition {tuple(cond.shape)}, x {tuple(a.shape)} and y {tuple(b.shape)} "
                "cannot be broadcast together"
            ) from None
        ctx.save_for_backward(cond)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        (cond,) = ctx.saved
        xp = backend.array_module(grad)
        zero = xp.zeros((), dtype=grad.dtype)
        return None, xp.where(cond, grad, zero), xp.where(cond, zero, grad)


# ----- the functional forms (re-exported by jaring.functional) ------------------------------


def clamp(a: Any, min: Any = None, max: Any = None) -> Tensor:
    """Clip values to [min, max]; either bound may be None.

    Examples:
        >>> import jaring
        >>> jaring.clamp(jaring.tensor([-2.0, 0.5, 3.0]), min=0.0, max=1.0)
        tensor([0. , 0.5, 1. ])
    """
    if min is None and max is None:
        raise ValueError("clamp needs at least one of min and max")
    if min is not None and max is not None and min > max:
        raise ValueError(f"clamp: min ({min}) is larger than max ({max})")
    return Clamp.apply(as_tensor(a), low=min, high=max)


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise maximum of two tensors (broadcasting; dtypes promote as in PyTorch).

    Examples:
        >>> import jaring
        >>> jaring.maximum(jaring.tensor([1.0, 5.0]), jaring.tensor([3.0, 2.0]))
        tensor([3., 5.])
    """
    return Maximum.apply(*promote(a, b))


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise minimum of two tensors (broadcasting; dtypes promote as in PyTorch).

    Examples:
        >>> import jaring
        >>> jaring.minimum(jaring.tensor([1.0, 5.0]), jaring.tensor([3.0, 2.0]))
        tensor([1., 2.])
    """
    return Minimum.apply(*promote(a, b))


_NOT_GIVEN = object()


def where(condition: Any, a: Any = _NOT_GIVEN, b: Any = _NOT_GIVEN) -> Any:
    """Pick from `a` where `condition` is true, else from `b` (broadcasting).

    With the condition alone it is torch's one-argument form, `nonzero(condition, as_tuple=True)`:
    a tuple of index tensors, one per dimension.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([1.0, -2.0, 3.0])
        >>> jaring.where(x > 0, x, 0.0)
        tensor([1., 0., 3.])
        >>> jaring.where(x > 0)
        (tensor([0, 2]),)
    """
    if a is _NOT_GIVEN and b is _NOT_GIVEN:
        return nonzero(condition, as_tuple=True)
    if a is _NOT_GIVEN or b is _NOT_GIVEN:
        raise TypeError("where() takes the condition alone, or the condition, input and other")
    cond = as_tensor(condition)
    if cond.dtype != bool:
        raise TypeError(f"where: the condition must be boolean, got {cond.dtype}")
    return Where.apply(cond, *promote(a, b))
