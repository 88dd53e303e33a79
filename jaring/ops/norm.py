"""Layer normalisation and RMS normalisation over the trailing axes, each one fused op.

Both normalise every sample over its last len(normalized_shape) axes and then scale
(and for LayerNorm shift) elementwise. The analytic backward avoids the dozen small ops
a composed version would record.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor


def _param_grads(ctx: Context, grad: Any, xhat: Any, start: int) -> list:
    """Gradients of the elementwise weight and bias, summed over the leading (batch) axes."""
    lead = tuple(range(grad.ndim - ctx.norm_ndim))
    out = []
    if ctx.with_weight:
        out.append((grad * xhat).sum(axis=lead) if ctx.needs_input_grad[start] else None)
        start += 1
    if ctx.with_bias:
        out.append(grad.sum(axis=lead) if ctx.needs_input_grad[start] else None)
    return out


class LayerNormFunction(Function):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, statistics over the trailing axes."""

    @staticmethod
    def forward(
        ctx: Context, x: Any, *params: Any, norm_ndim: int, eps: float, with_weight: bool, with_bias: bool
    ) -> Any:
        axes = tuple(range(x.ndim - norm_ndim, x.ndim))
        centred = x - x.mean(axis=axes, keepdims=True)
        var = (centred * centred).mean(axis=axes, keepdims=True)
        rstd = 1.0 / (var + eps) ** 0.5
        xhat = centred * rstd
        ctx.norm_ndim, ctx.with_weight, ctx.with_bias = norm_ndim, with_weight, with_bias
        weight = params[0] if with_weight else None
        ctx.save_for_backward(xhat, rstd, weight)
        out = xhat * weight if with_weight else xhat.copy()
        if with_bias:
            out += params[-1]
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        xhat, rstd, weight = ctx.saved
        grad_x = None
        if ctx.needs_input_grad[0]:
            axes = tuple(range(grad.ndim - ctx.norm_ndim, grad.ndim))
            g = grad * weight if weight is not None else grad
            mean_g = g.mean(axis=axes, keepdims=True)
            mean_gx = (g * xhat).mean(axis=axes, keepdims=True)
            grad_x = (g - mean_g - xhat * mean_gx) * rstd
        return (grad_x, *_param_grads(ctx, grad, xhat, 1))


class RMSNormFunction(Function):
    """y = x / sqrt(mean(x^2) + eps) * weight, the mean over the trailing axes."""

    @staticmethod
    def forward(ctx: Context, x: Any, *params: Any, norm_ndim: int, eps: float, with_weight: bool) -> Any:
        axes = tuple(range(x.ndim - norm_ndim, x.ndim))
        rstd = 1.0 / ((x * x).mean(axis=axes, keepdims=True) + eps) ** 0.5
        xhat = x * rstd
        ctx.norm_ndim, ctx.with_weight, ctx.with_bias = norm_ndim, with_weight, False
        weight = params[0] if with_weight else None
        ctx.save_for_backward(xhat, rstd, weight)
        return xhat * weight if with_weight else xhat.copy()

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        xhat, rstd, weight = ctx.saved
        grad_x = None
        if ctx.needs_input_grad[0]:
            axes = tuple(range(grad.ndim - ctx.norm_ndim, grad.ndim))
            g = grad * weight if weight is not None else grad
            grad_x = (g - xhat * (g * xhat).mean(axis=axes, keepdims=True)) * rstd
        return (grad_x, *_param_grads(ctx, grad, xhat, 1))


def _normalized_shape(shape: Any) -> tuple:
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if not shape or any(not isinstance(n, (int, np.integer)) or n < 1 for n in shape):
        raise ValueError(f"normalized_shape must be one or more positive integers, got {shape}")
    return tuple(int(n) for n in shape)


def _check(op: str, x: Tensor, shape: tuple, params: dict) -> None:
    if x.dtype.kind != "f":
        raise TypeError(f"{op} needs a floating-point input, got dtype {x.dtype}")
    if x.shape[x.ndim - len(shape) :] != shape or x.ndim < len(shape):
        raise ValueError(
            f"{op}: expected an input whose last dimensions are {shape}, got input of shape {x.shape}"
        )
    for name, p in params.items():
        if p is not None and p.shape != shape:
            raise ValueError(f"{op}: {name} must have shape {shape}, got {p.shape}")


def layer_norm(
    x: Any, normalized_shape: Any, weight: Any = None, bias: Any = None, eps: float = 1e-5
) -> Tensor:
    """Normalise over the trailing `normalized_shape` axes to zero mean and unit variance.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.layer_norm(jaring.randn(2, 5, 8, seed=0), (8,)).shape  # (batch, time, features)
        (2, 5, 8)
        >>> F.layer_norm(jaring.tensor([[1.0, 2.0, 3.0]]), (3,)).numpy().round(4)
        array([[-1.2247,  0.    ,  1.2247]], dtype=float32)
    """
    x = as_tensor(x)
    shape = _normalized_shape(normalized_shape)
    weight = None if weight is None else as_tensor(weight, x)
    bias = None if bias is None else as_tensor(bias, x)
    _check("layer_norm", x, shape, {"weight": weight, "bias": bias})
    params = [p for p in (weight, bias) if p is not None]
    return LayerNormFunction.apply(
        x,
        *params,
        norm_ndim=len(shape),
        eps=float(eps),
        with_weight=weight is not None,
        with_bias=bias is not None,
    )


def rms_norm(x: Any, normalized_shape: Any, weight: Any = None, eps: float | None = None) -> Tensor:
    """Divide by the root mean square over the trailing axes; eps=None means the dtype's
    machine epsilon (torch.finfo(dtype).eps), as in PyTorch.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.rms_norm(jaring.tensor([[3.0, 4.0]]), (2,)).numpy().round(4)  # RMS of (3, 4) is sqrt(12.5)
        array([[0.8485, 1.1314]], dtype=float32)
    """
    x = as_tensor(x)
    shape = _normalized_shape(normalized_shape)
    weight = None if weight is None else as_tensor(weight, x)
    _check("rms_norm", x, shape, {"weight": weight})
    eps = float(np.finfo(x.dtype).eps) if eps is None else float(eps)
    params = [weight] if weight is not None else []
    return RMSNormFunction.apply(x, *params, norm_ndim=len(shape), eps=eps, with_weight=weight is not None)
