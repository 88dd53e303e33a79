"""Instance normalisation, as torch.nn.functional.instance_norm: each (sample, channel) of (N, C, *)
normalised over its own positions.

With the input's statistics this is group normalisation with one group per channel, the fused
GroupNormFunction; given running statistics, they move towards the batch average of the
per-instance means and unbiased variances (momentum is the new value's weight, as in torch).
Without the input's statistics it normalises by the running ones, batch_norm's evaluation form.
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.batchnorm import batch_norm
from jaring.ops.common import as_tensor
from jaring.ops.group_norm import group_norm


def _array(value: Any) -> Any:
    return value.data if isinstance(value, Tensor) else value


def _update_running(x: Any, running_mean: Any, running_var: Any, momentum: float) -> None:
    """running = (1 - momentum) * running + momentum * (batch mean of the per-instance statistic)."""
    xp = backend.array_module(x)
    flat = x.reshape(x.shape[0], x.shape[1], -1)
    if running_mean is not None:
        running_mean *= 1 - momentum
        running_mean += (momentum * flat.mean(axis=(0, 2))).astype(running_mean.dtype, copy=False)
    if running_var is not None:
        unbiased = xp.var(flat, axis=2, ddof=1).mean(axis=0)
        running_var *= 1 - momentum
        running_var += (momentum * unbiased).astype(running_var.dtype, copy=False)


def instance_norm(
    input: Any,
    running_mean: Any = None,
    running_var: Any = None,
    weight: Any = None,
    bias: Any = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """torch.nn.functional.instance_norm: normalise every (sample, channel) of (N, C, *) on its own.

    running_mean / running_var (shape (C,)) are updated in place when use_input_stats is True, and
    used instead of the input's statistics when it is False.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[[1.0, 3.0], [10.0, 30.0]]])  # (N, C, L) = (1, 2, 2)
        >>> F.instance_norm(x).numpy().round(4)
        array([[[-1.,  1.],
                [-1.,  1.]]], dtype=float32)
    """
    x = as_tensor(input)
    if x.ndim < 2:
        raise ValueError(f"instance_norm: expected input of shape (N, C, *), got shape {x.shape}")
    if x.dtype.kind != "f":
        raise TypeError(f"instance_norm needs a floating-point input, got dtype {x.dtype}")
    channels = x.shape[1]
    mean_data, var_data = _array(running_mean), _array(running_var)
    weight = None if weight is None else as_tensor(weight, x)
    bias = None if bias is None else as_tensor(bias, x)
    named = {"running_mean": mean_data, "running_var": var_data, "weight": weight, "bias": bias}
    for name, value in named.items():
        if value is not None and tuple(value.shape) != (channels,):
            raise ValueError(
                f"instance_norm: {name} must have shape (C,) = ({channels},), got {tuple(value.shape)}"
            )
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"instance_norm: momentum must be in [0, 1], got {momentum}")
    if not use_input_stats:
        if mean_data is None or var_data is None:
            raise ValueError(
                "Expected running_mean and running_var to be defined when use_input_stats is false"
            )
        return batch_norm(x, mean_data, var_data, weight, bias, training=False, eps=eps)
    if x.size // max(x.shape[0] * channels, 1) <= 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {x.shape}")
    out = group_norm(x, channels, weight, bias, eps)
    _update_running(x.data, mean_data, var_data, float(momentum))
    return out
