"""Batch normalisation over every axis but the channel axis 1, as torch.nn.functional.batch_norm.

Training normalises with the batch's mean and biased variance and moves the running
statistics towards them (running = (1 - momentum) * running + momentum * batch, the variance
unbiased, as in PyTorch); evaluation normalises with the running statistics. The backward
pass is the closed form, one fused expression instead of a chain of small ops.
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor


class BatchNorm(Function):
    """y = (x - mean) / sqrt(var + eps) * weight + bias per channel; weight and bias optional."""

    @staticmethod
    def forward(
        ctx: Context,
        x: Any,
        *params: Any,
        affine: tuple,
        running_mean: Any,
        running_var: Any,
        training: bool,
        momentum: float,
        eps: float,
    ) -> Any:
        xp = backend.array_module(x)
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
        params = list(params)
        weight = params.pop(0) if affine[0] else None
        bias = params.pop(0) if affine[1] else None
        if training:
            count = x.size // x.shape[1]
            mean = x.mean(axis=axes)
            centred = x - mean.reshape(shape)
            var = xp.square(centred).mean(axis=axes)
            if running_mean is not None:
                running_mean *= 1 - momentum
                running_mean += momentum * mean
            if running_var is not None:
                running_var *= 1 - momentum
                running_var += (momentum * count / (count - 1)) * var
        else:
            centred = x - running_mean.reshape(shape).astype(x.dtype, copy=False)
            var = running_var.astype(x.dtype, copy=False)
        invstd = 1 / xp.sqrt(var + eps)
        xhat = centred
        xhat *= invstd.reshape(shape)
        if weight is None:
            out = xhat if bias is None else xhat + bias.reshape(shape)
        else:
            out = xhat * weight.reshape(shape)
            if bias is not None:
                out += bias.reshape(shape)
        ctx.save_for_backward(xhat, invstd, weight)
        ctx.attrs = (axes, shape, training, affine)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        xhat, invstd, weight = ctx.saved
        axes, shape, training, affine = ctx.attrs
        needs = ctx.needs_input_grad
        grad_bias = grad.sum(axis=axes)
        grad_weight = (grad * xhat).sum(axis=axes)
        grad_x = None
        if needs[0]:
            scale = invstd if weight is None else invstd * weight
            if training:
                # d/dx of the batch statistics too: (g - mean(g) - xhat * mean(g * xhat)) * scale
                count = grad.size // grad.shape[1]
                grad_x = grad - (grad_bias / count).reshape(shape)
                grad_x -= xhat * (grad_weight / count).reshape(shape)
                grad_x *= scale.reshape(shape)
            else:
                grad_x = grad * scale.reshape(shape)
        grads = [grad_x]
        if affine[0]:
            grads.append(grad_weight if needs[len(grads)] else None)
        if affine[1]:
            grads.append(grad_bias if needs[len(grads)] else None)
        return tuple(grads)


# ----- the functional form (re-exported by jaring.functional) --------------------------------


def _array(value: Any) -> Any:
    return value.data if isinstance(value, Tensor) else value


def batch_norm(
    x: Any,
    running_mean: Any = None,
    running_var: Any = None,
    weight: Any = None,
    bias: Any = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """torch.nn.functional.batch_norm: normalise (N, C, ...) per channel C.

    running_mean / running_var (Tensors or arrays of shape (C,)) are updated in place when
    training; evaluation (training=False) needs them.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[1.0, 2.0], [3.0, 6.0]])  # (N, C)
        >>> mean, var = jaring.zeros(2), jaring.ones(2)
        >>> F.batch_norm(x, mean, var, training=True).numpy().round(4)
        array([[-1., -1.],
               [ 1.,  1.]], dtype=float32)
        >>> mean.numpy().round(4)  # moved 10% (momentum) towards the batch mean
        array([0.2, 0.4], dtype=float32)
    """
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"batch_norm: expected input of shape (N, C, ...), got shape {x.shape}")
    channels = x.shape[1]
    mean_data, var_data = _array(running_mean), _array(running_var)
    for name, value in (("running_mean", mean_data), ("running_var", var_data)):
        if value is not None and tuple(value.shape) != (channels,):
            raise ValueError(f"batch_norm: {name} must have shape ({channels},), got {tuple(value.shape)}")
    if not training and (mean_data is None or var_data is None):
        raise ValueError("batch_norm: evaluation (training=False) needs running_mean and running_var")
    if training and x.data.size // channels < 2:
        raise ValueError(
            f"batch_norm: training needs more than one value per channel, got input of shape {x.shape}"
        )
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"batch_norm: momentum must be in [0, 1], got {momentum}")
    params = []
    for name, value in (("weight", weight), ("bias", bias)):
        if value is not None:
            value = as_tensor(value, x)
            if value.shape != (channels,):
                raise ValueError(f"batch_norm: {name} must have shape ({channels},), got {value.shape}")
            params.append(value)
    return BatchNorm.apply(
        x,
        *params,
        affine=(weight is not None, bias is not None),
        running_mean=mean_data,
        running_var=var_data,
        training=training,
        momentum=momentum,
        eps=eps,
    )
