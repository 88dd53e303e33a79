"""Matrix products: matmul (1-D, 2-D, batched with broadcasting) and the fused linear layer."""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor


def _check_matmul(a: Any, b: Any) -> None:
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(
            f"matmul: both operands need at least 1 dimension, got shapes {a.shape} and {b.shape}"
        )
    inner_a = a.shape[-1]
    inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if inner_a != inner_b:
        raise ValueError(
            f"matmul: shapes {tuple(a.shape)} and {tuple(b.shape)} are not aligned ({inner_a} != {inner_b})"
        )


class MatMul(Function):
    """a @ b with NumPy's rules; 1-D operands are promoted to matrices and squeezed back."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        _check_matmul(a, b)
        ctx.save_for_backward(a, b)
        try:
            return a @ b
        except ValueError:
            raise ValueError(
                f"matmul: batch dimensions of {tuple(a.shape)} and {tuple(b.shape)} cannot be broadcast"
            ) from None

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        a, b = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g = grad
        if b.ndim == 1:  # restore b's column axis first: for 1-D @ 1-D the gradient is 0-d
            g = g[..., None]
        if a.ndim == 1:
            g = g[..., None, :]
        grad_a = grad_b = None
        if need_a:
            grad_a = g @ b2.swapaxes(-1, -2)
            if a.ndim == 1:
                grad_a = grad_a[..., 0, :]
        if need_b:
            grad_b = a2.swapaxes(-1, -2) @ g
            if b.ndim == 1:
                grad_b = grad_b[..., 0]
        return grad_a, grad_b


class LinearFunction(Function):
    """x @ weight.T + bias in one op (PyTorch's layout: weight is (out_features, in_features)).

    Leading dimensions of x are batch dimensions. The input gradient is skipped when x needs
    none (the first layer), which saves one of the three GEMMs per layer. The weight gradient
    comes out in the weight's memory layout (see backend.linear_weight).
    """

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any, bias: Any = None) -> Any:
        if weight.ndim != 2:
            raise ValueError(f"linear: weight must be 2-D (out, in), got shape {tuple(weight.shape)}")
        if x.ndim == 0 or x.shape[-1] != weight.shape[1]:
            raise ValueError(
                f"linear: input of shape {tuple(x.shape)} does not match weight of shape "
                f"{tuple(weight.shape)} (expected last input dimension {weight.shape[1]})"
            )
        ctx.save_for_backward(x, weight)
        out = x @ weight.T
        if bias is not None:
            out += bias
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        x, weight = ctx.saved
        needs = ctx.needs_input_grad
        grad2d = grad.reshape(-1, grad.shape[-1])
        grad_x = grad @ weight if needs[0] else None
        grad_w = None
        if needs[1]:
            x2d = x.reshape(-1, x.shape[-1])
            grad_w = backend.matmul_in_order_of(weight, grad2d.T, x2d)
        if len(needs) == 3:
            return grad_x, grad_w, (grad2d.sum(axis=0) if needs[2] else None)
        return grad_x, grad_w


def matmul(a: Any, b: Any) -> Tensor:
    """Matrix product with NumPy semantics (1-D vectors, batched N-D with broadcasting); also `a @ b`.

    Examples:
        >>> import jaring
        >>> a = jaring.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        >>> b = jaring.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
        >>> jaring.matmul(a, b).tolist()
        [[4.0, 5.0], [10.0, 11.0]]
        >>> jaring.matmul(jaring.ones(5, 2, 3), b).shape
        (5, 2, 2)
    """
    a = as_tensor(a)
    return MatMul.apply(a, as_tensor(b, a))


def linear(x: Any, weight: Any, bias: Any = None) -> Tensor:
    """x @ weight.T + bias, with weight of shape (out_features, in_features) as in PyTorch.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[1.0, 2.0, 3.0]])
        >>> weight = jaring.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
        >>> F.linear(x, weight, jaring.tensor([10.0, 20.0])).tolist()
        [[11.0, 25.0]]
    """
    x = as_tensor(x)
    if bias is None:
        return LinearFunction.apply(x, as_tensor(weight))
    return LinearFunction.apply(x, as_tensor(weight), as_tensor(bias))
