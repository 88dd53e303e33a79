"""Elementwise arithmetic with NumPy broadcasting: each derivative sits next to its forward.

Backward returns gradients in the broadcast shape; the engine sums them to each input's shape.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.conversion import tensor_dtype
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, floating
from jaring.ops.promotion import promote, result_type, to_dtype


def broadcast_error(op: str, a: Any, b: Any) -> ValueError:
    return ValueError(f"{op}: shapes {tuple(a.shape)} and {tuple(b.shape)} cannot be broadcast together")


class Add(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        try:
            return a + b
        except ValueError:
            raise broadcast_error("add", a, b) from None

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        return grad, grad


class Sub(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        try:
            return a - b
        except ValueError:
            raise broadcast_error("sub", a, b) from None

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        return grad, (-grad if ctx.needs_input_grad[1] else None)


class Mul(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.saved = (a, b)  # save_for_backward, without a method call on this hot path
        try:
            return a * b
        except ValueError:
            raise broadcast_error("mul", a, b) from None

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        a, b = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        return (grad * b if need_a else None), (grad * a if need_b else None)


class Div(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        try:
            return a / b
        except ValueError:
            raise broadcast_error("div", a, b) from None

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        a, b = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad / b
        return (grad_a if need_a else None), (-grad_a * a / b if need_b else None)


class AddScalar(Function):
    """x + c for a Python number c: no constant tensor to build, one input in the graph."""

    @staticmethod
    def forward(ctx: Context, a: Any, c: float) -> Any:
        return a + c

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad


class MulScalar(Function):
    """x * c for a Python number c."""

    @staticmethod
    def forward(ctx: Context, a: Any, c: float) -> Any:
        ctx.c = c
        return a * c

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad * ctx.c


class Neg(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return -a

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return -grad


class PowScalar(Function):
    """x ** c for a Python number c (the common case: squares, roots, reciprocals)."""

    @staticmethod
    def forward(ctx: Context, a: Any, exponent: float) -> Any:
        ctx.save_for_backward(a)
        ctx.exponent = exponent
        return a**exponent

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        c = ctx.exponent
        if c == 0:
            return grad * 0
        return grad * (c * a ** (c - 1))


class Pow(Function):
    """a ** b with both sides tensors; d/db uses log(a), taken as 0 where a == 0 and b >= 0."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        try:
            out = a**b
        except ValueError:
            raise broadcast_error("pow", a, b) from None
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        a, b, out = ctx.saved
        xp = backend.array_module(a)
        need_a, need_b = ctx.needs_input_grad
        grad_a = None
        if need_a:  # b * a**(b-1) is 0 * inf at 0**0; torch takes the derivative there as 0
            with np.errstate(divide="ignore", invalid="ignore"):
                grad_a = xp.where(b == 0, 0, grad * b * a ** (b - 1)).astype(grad.dtype, copy=False)
        grad_b = None
        if need_b:
            with np.errstate(divide="ignore", invalid="ignore"):  # the masked places may be nan
                grad_b = xp.where((a == 0) & (b >= 0), 0, grad * out * xp.log(a))
        return grad_a, grad_b


class Exp(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = backend.array_module(a).exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad * ctx.saved[0]


class Log(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return backend.array_module(a).log(a)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad / ctx.saved[0]


class Sqrt(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = backend.array_module(a).sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad / (2 * ctx.saved[0])


class Abs(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return backend.array_module(a).abs(a)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad * backend.array_module(grad).sign(ctx.saved[0])


class Cast(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, dtype: Any) -> Any:
        ctx.dtype = a.dtype
        return a.astype(dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad.astype(ctx.dtype)


# ----- the functional forms (re-exported by jaring.functional) ------------------------------


def _scalar_for(t: Any, value: Any) -> bool:
    """True when `value` is a plain Python number that can ride along as an op attribute.

    A float tensor with a Python number keeps its dtype under both NumPy's and torch's rules.
    """
    return (type(value) is float or type(value) is int) and isinstance(t, Tensor) and t.data.dtype.kind == "f"


def add(a: Any, b: Any) -> Tensor:
    """a + b with broadcasting; dtypes promote as in PyTorch (see jaring.ops.promotion).

    Examples:
        >>> import jaring
        >>> jaring.add(jaring.tensor([1.0, 2.0]), jaring.tensor([[10.0], [20.0]]))
        tensor([[11., 12.],
                [21., 22.]])
    """
    if _scalar_for(a, b):
        return AddScalar.apply(a, c=b)
    if _scalar_for(b, a):
        return AddScalar.apply(b, c=a)
    return Add.apply(*promote(a, b))


def sub(a: Any, b: Any) -> Tensor:
    """a - b with broadcasting; dtypes promote as in PyTorch.

    Examples:
        >>> import jaring
        >>> jaring.sub(jaring.tensor([5, 7]), 2)
        tensor([3, 5])
    """
    if _scalar_for(a, b):
        return AddScalar.apply(a, c=-b)
    return Sub.apply(*promote(a, b))


def mul(a: Any, b: Any) -> Tensor:
    """a * b elementwise with broadcasting; dtypes promote as in PyTorch.

    Examples:
        >>> import jaring
        >>> jaring.mul(jaring.tensor([1.0, 2.0, 3.0]), 2)
        tensor([2., 4., 6.])
    """
    if _scalar_for(a, b):
        return MulScalar.apply(a, c=b)
    if _scalar_for(b, a):
        return MulScalar.apply(b, c=a)
    return Mul.apply(*promote(a, b))


def div(a: Any, b: Any) -> Tensor:
    """a / b elementwise with broadcasting (true division: integers give the default float dtype).

    Examples:
        >>> import jaring
        >>> jaring.div(jaring.tensor([1, 3]), 2)
        tensor([0.5, 1.5])
    """
    return Div.apply(*promote(a, b, floating=True))


def neg(a: Any) -> Tensor:
    """The negation -a, elementwise.

    Examples:
        >>> import jaring
        >>> jaring.neg(jaring.tensor([1.0, -2.0]))
        tensor([-1.,  2.])
    """
    return Neg.apply(as_tensor(a))


def pow(a: Any, exponent: Any) -> Tensor:
    """a ** exponent; a Python-number exponent takes a faster path with the same result.

    Examples:
        >>> import jaring
        >>> jaring.pow(jaring.tensor([1.0, 2.0, 3.0]), 2)
        tensor([1., 4., 9.])
        >>> jaring.pow(2.0, jaring.tensor([0.0, 1.0, 3.0]))
        tensor([1., 2., 8.])
    """
    if isinstance(exponent, (int, float)) and not isinstance(exponent, bool):
        a = as_tensor(a)
        return PowScalar.apply(to_dtype(a, result_type(a, exponent)), exponent=exponent)
    a, exponent = promote(a, exponent)
    if a.dtype == bool:  # NumPy computes bool ** bool in int8; torch keeps bool
        return cast(Pow.apply(a, exponent), bool)
    return Pow.apply(a, exponent)


def exp(a: Any) -> Tensor:
    """e ** a; integer input gives the default float dtype, as in PyTorch.

    Examples:
        >>> import jaring
        >>> jaring.exp(jaring.tensor([0.0, 1.0]))
        tensor([1.    , 2.7183])
    """
    return Exp.apply(floating(a))


def log(a: Any) -> Tensor:
    """Natural logarithm; integer input gives the default float dtype.

    Examples:
        >>> import jaring
        >>> jaring.log(jaring.tensor([1.0, 100.0]))
        tensor([0.    , 4.6052])
    """
    return Log.apply(floating(a))


def sqrt(a: Any) -> Tensor:
    """Square root; integer input gives the default float dtype.

    Examples:
        >>> import jaring
        >>> jaring.sqrt(jaring.tensor([4, 9]))
        tensor([2., 3.])
    """
    return Sqrt.apply(floating(a))


def abs(a: Any) -> Tensor:
    """The absolute value |a|, elementwise (integers keep their dtype).

    Examples:
        >>> import jaring
        >>> jaring.abs(jaring.tensor([-1.5, 0.0, 2.0]))
        tensor([1.5, 0. , 2. ])
    """
    return Abs.apply(as_tensor(a))


def cast(a: Any, dtype: Any) -> Tensor:
    """Convert to `dtype`; a float-to-float cast passes the gradient (converted back).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = F.cast(jaring.tensor([1.7, -1.7]), "int32")
        >>> x.dtype, x.tolist()
        (dtype('int32'), [1, -1])
    """
    a = as_tensor(a)
    dtype = tensor_dtype(dtype, a.data)  # refuses object, string and complex, as Tensor() does
    if dtype.kind != "f":
        return Tensor._from_op(a.data.astype(dtype), None)
    return Cast.apply(a, dtype=dtype)
