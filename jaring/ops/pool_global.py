"""Global max and average pooling: one value per channel over all of (N, C, H, W)'s H and W."""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.pool import images


class GlobalMaxPool2dFunction(Function):
    """Max over H and W per channel; the gradient goes to the first maximum."""

    @staticmethod
    def forward(ctx: Context, x: Any, keepdims: bool) -> Any:
        xp = backend.array_module(x)
        n, c, h, w = x.shape
        flat = x.transpose(0, 2, 3, 1).reshape(n, h * w, c)  # a view for channels-last memory
        # argmax returns the first maximum; (sample, pixel, channel) index triples pick it.
        where = (xp.arange(n)[:, None], flat.argmax(axis=1), xp.arange(c)[None, :])
        ctx.where = where
        ctx.shape = x.shape
        out = flat[where]
        return out.reshape(n, c, 1, 1) if keepdims else out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        n, c, h, w = ctx.shape
        flat = backend.array_module(grad).zeros((n, h * w, c), dtype=grad.dtype)
        flat[ctx.where] = grad.reshape(n, c)
        return flat.reshape(n, h, w, c).transpose(0, 3, 1, 2)


class GlobalAvgPool2dFunction(Function):
    """Mean over H and W per channel."""

    @staticmethod
    def forward(ctx: Context, x: Any, keepdims: bool) -> Any:
        ctx.shape = x.shape
        return x.mean(axis=(2, 3), keepdims=keepdims)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        n, c, h, w = ctx.shape
        xp = backend.array_module(grad)
        out = xp.empty((n, h, w, c), dtype=grad.dtype)
        out[...] = grad.reshape(n, 1, 1, c) / (h * w)
        return out.transpose(0, 3, 1, 2)


def global_max_pool2d(x: Any, keepdims: bool = False) -> Tensor:
    """Max over height and width: (N, C, H, W) -> (N, C), or (N, C, 1, 1) with keepdims.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.arange(32.0).reshape(1, 2, 4, 4)
        >>> F.global_max_pool2d(x).tolist(), F.global_max_pool2d(x, keepdims=True).shape
        ([[15.0, 31.0]], (1, 2, 1, 1))
    """
    return GlobalMaxPool2dFunction.apply(images("global_max_pool2d", x), keepdims=keepdims)


def global_avg_pool2d(x: Any, keepdims: bool = False) -> Tensor:
    """Mean over height and width: (N, C, H, W) -> (N, C), or (N, C, 1, 1) with keepdims.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.global_avg_pool2d(jaring.arange(8.0).reshape(1, 2, 2, 2)).tolist()  # (0+1+2+3) / 4, ...
        [[1.5, 5.5]]
        >>> F.global_avg_pool2d(jaring.ones(5, 3, 4, 4), keepdims=True).shape
        (5, 3, 1, 1)
    """
    return GlobalAvgPool2dFunction.apply(images("global_avg_pool2d", x), keepdims=keepdims)
