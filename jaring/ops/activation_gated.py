"""The gated linear unit, as torch.nn.functional.glu: one half of the input gates the other.

glu splits `dim` into halves a and b and returns a * sigmoid(b) (Dauphin et al. 2017), one fused
op whose backward writes both halves' gradients into one array.
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.activation import sigmoid_array
from jaring.ops.common import floating, resolve_axis


class GLUFunction(Function):
    """a * sigmoid(b) where (a, b) are the two halves of x along `dim`."""

    @staticmethod
    def forward(ctx: Context, x: Any, dim: int) -> Any:
        xp = backend.array_module(x)
        a, b = xp.split(x, 2, axis=dim)
        gate = sigmoid_array(b)
        ctx.save_for_backward(a, gate)
        ctx.dim = dim
        return a * gate

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        a, gate = ctx.saved
        xp = backend.array_module(grad)
        grad_a = grad * gate
        grad_b = grad_a * a * (1 - gate)
        return xp.concatenate([grad_a, grad_b], axis=ctx.dim)


def glu(input: Any, dim: int = -1) -> Tensor:
    """Split `dim` into halves a and b; return a * sigmoid(b) (that axis halves).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.glu(jaring.tensor([[1.0, 2.0, 0.0, 100.0]]))  # a = (1, 2), gates sigmoid(0), sigmoid(100)
        tensor([[0.5, 2. ]])
    """
    x = floating(input)
    if x.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    axis = resolve_axis("glu", dim, x.ndim, name="dim")
    if x.shape[axis] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {axis} is size {x.shape[axis]}")
    return GLUFunction.apply(x, dim=axis)
