"""Local response normalisation (AlexNet) as torch.nn.functional.local_response_norm.

Over channels (axis 1 of (N, C, *)): out_c = x_c / (k + alpha / size * sum_{c'} x_{c'}^2) ** beta,
the sum over the `size` channels c - size // 2 .. c + (size - 1) // 2 that exist (missing ones
count as zeros, the divisor stays `size`, as torch's zero padding and average pooling give).
The backward sums each channel's share back over the mirrored window.
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import floating


def _window_sum(xp: Any, a: Any, before: int, after: int) -> Any:
    """out[:, c] = sum of a[:, c - before .. c + after] over the channels that exist."""
    channels = a.shape[1]
    out = a.copy()
    for shift in range(1, before + 1):
        if shift < channels:
            out[:, shift:] += a[:, :-shift]
    for shift in range(1, after + 1):
        if shift < channels:
            out[:, :-shift] += a[:, shift:]
    return out


class LocalResponseNormFunction(Function):
    """x / d ** beta with d = k + alpha / size * (window sum of x ** 2 over channels)."""

    @staticmethod
    def forward(ctx: Context, x: Any, size: int, alpha: float, beta: float, k: float) -> Any:
        xp = backend.array_module(x)
        d = _window_sum(xp, x * x, size // 2, (size - 1) // 2)
        d *= alpha / size
        d += k
        scale = d ** (-beta)
        ctx.save_for_backward(x, d, scale)
        ctx.options = (size, alpha, beta)
        return x * scale

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, d, scale = ctx.saved
        size, alpha, beta = ctx.options
        xp = backend.array_module(grad)
        share = grad * x * scale / d
        spread = _window_sum(xp, share, (size - 1) // 2, size // 2)
        return grad * scale - (2.0 * alpha * beta / size) * x * spread


def local_response_norm(
    input: Any, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0
) -> Tensor:
    """torch.nn.functional.local_response_norm over the channels (axis 1) of (N, C, *).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.ones(1, 3, 2)  # (N, C, L)
        >>> F.local_response_norm(x, size=2, alpha=1.0, beta=1.0, k=1.0)[0, :, 0].numpy().round(4).tolist()
        [0.6667, 0.5, 0.5]
    """
    x = floating(input)
    if x.ndim < 3:
        raise ValueError(
            f"local_response_norm: Expected 3D or higher dimensionality input (got {x.ndim} dimensions)"
        )
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"local_response_norm: size must be a positive int, got {size!r}")
    if x.size == 0:
        return x * 1
    return LocalResponseNormFunction.apply(x, size=size, alpha=float(alpha), beta=float(beta), k=float(k))
