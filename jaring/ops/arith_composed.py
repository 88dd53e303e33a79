"""torch's compound arithmetic: reciprocal, float_power, ldexp, addcmul and addcdiv.

reciprocal is one op (its derivative -1/x^2 read off the output); the others are written over
jaring's add, mul, div and pow, so their gradients (torch's too are these compositions) and
type promotion come from those ops.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops import arith
from jaring.ops.common import floating
from jaring.ops.promotion import result_type, to_dtype


class Reciprocal(Function):
    """1 / x; d/dx = -out^2 (-inf at 0, as torch)."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        with np.errstate(divide="ignore"):
            out = backend.array_module(a).reciprocal(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (out,) = ctx.saved
        with np.errstate(invalid="ignore", over="ignore"):
            return -grad * (out * out)


def reciprocal(x: Any) -> Tensor:
    """1 / x elementwise; integer input gives the default float dtype (1 / 0 is inf).

    Examples:
        >>> import jaring
        >>> jaring.reciprocal(jaring.tensor([2, 4, 0]))
        tensor([0.5 , 0.25,  inf])
    """
    return Reciprocal.apply(floating(x))


def float_power(input: Any, exponent: Any) -> Tensor:
    """input ** exponent computed in float64, whatever the dtypes (the result is float64).

    Examples:
        >>> import jaring
        >>> y = jaring.float_power(jaring.tensor([2, 3]), 2)
        >>> y, y.dtype
        (tensor([4., 9.], dtype=float64), dtype('float64'))
    """
    double = np.dtype(np.float64)
    if not isinstance(exponent, (int, float)) or isinstance(exponent, bool):
        exponent = to_dtype(exponent, double)
    like = input if isinstance(input, Tensor) else exponent if isinstance(exponent, Tensor) else None
    return arith.pow(to_dtype(input, double, like), exponent)


def ldexp(input: Any, other: Any) -> Tensor:
    """input * 2 ** other (torch's composition: both inputs get gradients); floats result.

    Examples:
        >>> import jaring
        >>> jaring.ldexp(jaring.tensor([1.0, 3.0]), jaring.tensor([3, -1]))
        tensor([8. , 1.5])
    """
    return arith.mul(input, arith.pow(2.0, other))


def _addc(input: Any, tensor1: Any, tensor2: Any, value: Any) -> tuple:
    """The three operands in their common dtype, and value as that dtype's kind of number."""
    dtype = result_type(input, tensor1, tensor2)
    like = next((t for t in (input, tensor1, tensor2) if isinstance(t, Tensor)), None)
    if dtype.kind != "f" and isinstance(value, float):
        value = int(value)  # torch casts value to the integer dtype
    operands = tuple(to_dtype(t, dtype, like) for t in (input, tensor1, tensor2))
    return (*operands, value)


def addcmul(input: Any, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
    """input + value * tensor1 * tensor2, elementwise with broadcasting.

    Examples:
        >>> import jaring
        >>> jaring.addcmul(jaring.ones(2), jaring.tensor([1.0, 2.0]), jaring.tensor([3.0, 4.0]), value=0.5)
        tensor([2.5, 5. ])
    """
    input, tensor1, tensor2, value = _addc(input, tensor1, tensor2, value)
    product = arith.mul(tensor1, tensor2)
    return arith.add(input, product if value == 1 else arith.mul(product, value))


def addcdiv(input: Any, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
    """input + value * tensor1 / tensor2; two integer tensors raise, as in torch.

    Examples:
        >>> import jaring
        >>> jaring.addcdiv(jaring.ones(2), jaring.tensor([1.0, 2.0]), jaring.tensor([4.0, 8.0]), value=2)
        tensor([1.5, 1.5])
    """
    kinds = [getattr(t, "dtype", np.dtype(type(t))).kind for t in (tensor1, tensor2)]
    if all(kind in "biu" for kind in kinds):
        raise TypeError(
            "addcdiv: integer division of tensor1 by tensor2 is not supported (as in torch); "
            "write input + value * tensor1 / tensor2 for true division"
        )
    input, tensor1, tensor2, value = _addc(input, tensor1, tensor2, value)
    quotient = arith.div(tensor1, tensor2)
    return arith.add(input, quotient if value == 1 else arith.mul(quotient, value))
