"""Ops on the sign and the bits of floats: copysign, signbit, heaviside, nextafter and sgn.

copysign passes a gradient to its first input (0 where that input is 0, as torch); signbit,
heaviside and nextafter are steps or bit tricks that PyTorch gives no derivative, so their
results here never require grad.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.arith import broadcast_error
from jaring.ops.common import as_tensor
from jaring.ops.promotion import promote
from jaring.ops.rounding import sign


class Copysign(Function):
    """|a| with the sign of b; d/da = out / a (+-1), 0 where a == 0; b gets no gradient."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        try:
            out = backend.array_module(a, b).copysign(a, b)
        except ValueError:
            raise broadcast_error("copysign", a, b) from None
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        a, out = ctx.saved
        xp = backend.array_module(grad)
        with np.errstate(invalid="ignore"):
            ratio = xp.where(a == 0, xp.asarray(0, dtype=out.dtype), out / a)
        return grad * ratio, None


def _constant(data: Any) -> Tensor:
    return Tensor._from_op(data, None)


def copysign(input: Any, other: Any) -> Tensor:
    """The magnitude of input with the sign of other (-0.0 counts as negative); broadcasts.

    Examples:
        >>> import jaring
        >>> jaring.copysign(jaring.tensor([1.0, -2.0, 3.0]), jaring.tensor([-1.0, 1.0, -0.0]))
        tensor([-1.,  2., -3.])
    """
    return Copysign.apply(*promote(input, other, floating=True))


def signbit(x: Any) -> Tensor:
    """True where the sign bit is set: negative numbers, -0.0 and -nan (booleans: all False).

    Examples:
        >>> import jaring
        >>> jaring.signbit(jaring.tensor([-1.0, -0.0, 0.0, 2.0]))
        tensor([ True,  True, False, False])
    """
    data = as_tensor(x).data
    xp = backend.array_module(data)
    if data.dtype == bool:
        return _constant(xp.zeros(data.shape, dtype=bool))
    return _constant(xp.signbit(data))


def heaviside(input: Any, values: Any) -> Tensor:
    """The step function: 0 where input < 0 (and nan), values where input == 0, 1 where input > 0.

    `values` must have input's dtype, as torch asks (a Python number takes it).

    Examples:
        >>> import jaring
        >>> jaring.heaviside(jaring.tensor([-1.5, 0.0, 2.0]), jaring.tensor([0.5]))
        tensor([0. , 0.5, 1. ])
    """
    a = as_tensor(input).data
    xp = backend.array_module(a)
    if isinstance(values, (bool, int, float, np.number)):
        v = xp.asarray(values, dtype=a.dtype)
    else:
        v = as_tensor(values).data
        if v.dtype != a.dtype:
            raise TypeError(f"heaviside: input ({a.dtype}) and values ({v.dtype}) must have the same dtype")
    try:
        out = xp.where(a == 0, v, (a > 0).astype(a.dtype))
    except ValueError:
        raise broadcast_error("heaviside", a, v) from None
    return _constant(out)


def nextafter(input: Any, other: Any) -> Tensor:
    """The next float after input in the direction of other (no gradient, as torch).

    Examples:
        >>> import jaring
        >>> (jaring.nextafter(jaring.tensor([1.0]), jaring.tensor([2.0])) - 1).tolist()
        [1.1920928955078125e-07]
    """
    a, b = promote(input, other, floating=True)
    try:
        return _constant(backend.array_module(a.data, b.data).nextafter(a.data, b.data))
    except ValueError:
        raise broadcast_error("nextafter", a.data, b.data) from None


def sgn(x: Any) -> Tensor:
    """torch's sign for complex numbers; for real tensors (jaring's only) the same as sign.

    Examples:
        >>> import jaring
        >>> jaring.sgn(jaring.tensor([-2.0, 0.0, 3.0]))
        tensor([-1.,  0.,  1.])
    """
    return sign(x)
