"""Piecewise-constant elementwise ops: sign, floor, ceil, round and trunc.

Their derivative is 0 wherever it exists, and PyTorch gives a zero gradient, so these do too
(a loss through floor() trains nothing, silently, in both). Integer input keeps its dtype and
its values, as in PyTorch (NumPy's floor would turn it into float64).
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor


class _Flat(Function):
    """`value(xp, a)` forward; backward sends a zero gradient."""

    @staticmethod
    def value(xp: Any, a: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def forward(cls, ctx: Context, a: Any, **attrs: Any) -> Any:
        return cls.value(backend.array_module(a), a, **attrs)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad * 0


class Sign(_Flat):
    value = staticmethod(lambda xp, a: xp.nan_to_num(xp.sign(a), nan=0.0))  # torch: sign(nan) == 0


class Floor(_Flat):
    value = staticmethod(lambda xp, a: xp.floor(a))


class Ceil(_Flat):
    value = staticmethod(lambda xp, a: xp.ceil(a))


class Round(_Flat):
    value = staticmethod(lambda xp, a, decimals: xp.round(a, decimals))


class Trunc(_Flat):
    value = staticmethod(lambda xp, a: xp.trunc(a))


def _flat(op: type, x: Any, **attrs: Any) -> Tensor:
    x = as_tensor(x)
    if x.dtype.kind != "f":  # integers and booleans are already whole: a copy, as torch gives
        return Tensor._from_op(x.data.copy(), None)
    return op.apply(x, **attrs)


def sign(x: Any) -> Tensor:
    """-1, 0 or 1 by the sign of each element (integers keep their dtype, booleans stay booleans).

    Examples:
        >>> import jaring
        >>> jaring.sign(jaring.tensor([-2.5, 0.0, 3.0]))
        tensor([-1.,  0.,  1.])
    """
    x = as_tensor(x)
    if x.dtype.kind in "iu":
        return Tensor._from_op(backend.array_module(x.data).sign(x.data), None)
    return _flat(Sign, x)


def floor(x: Any) -> Tensor:
    """The largest whole number <= x.

    Examples:
        >>> import jaring
        >>> jaring.floor(jaring.tensor([-1.5, 0.2, 2.0]))
        tensor([-2.,  0.,  2.])
    """
    return _flat(Floor, x)


def ceil(x: Any) -> Tensor:
    """The smallest whole number >= x.

    Examples:
        >>> import jaring
        >>> jaring.ceil(jaring.tensor([-1.5, 0.2, 2.0]))
        tensor([-1.,  1.,  2.])
    """
    return _flat(Ceil, x)


def round(x: Any, decimals: int = 0) -> Tensor:
    """x rounded to `decimals` places, halves to even (as PyTorch and NumPy).

    Examples:
        >>> import jaring
        >>> jaring.round(jaring.tensor([0.5, 1.5, 2.5]))
        tensor([0., 2., 2.])
        >>> jaring.round(jaring.tensor([1.2345]), decimals=2)
        tensor([1.23])
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int):
        raise TypeError(f"round: decimals must be an int, got {decimals!r}")
    return _flat(Round, x, decimals=decimals)


def trunc(x: Any) -> Tensor:
    """x with its fractional part dropped (rounded toward zero).

    Examples:
        >>> import jaring
        >>> jaring.trunc(jaring.tensor([-1.7, 1.7]))
        tensor([-1.,  1.])
    """
    return _flat(Trunc, x)


fix = trunc  # torch's alias


def frac(x: Any) -> Tensor:
    """The fractional part x - trunc(x), with x's sign (torch.frac); its gradient is 1.

    Examples:
        >>> import jaring
        >>> jaring.frac(jaring.tensor([-1.5, 2.25])).tolist()
        [-0.5, 0.25]
    """
    x = as_tensor(x)
    if x.dtype.kind != "f":
        raise TypeError(f"frac: expects a floating tensor, got {x.dtype} (an integer has no fractional part)")
    return x - trunc(x)
