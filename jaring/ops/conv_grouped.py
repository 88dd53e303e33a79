"""Grouped 2-D convolution (groups > 1, depthwise included) from per-group conv2d ops.

The channels split into `groups` equal parts; group g's filters see only its part of the input,
as in PyTorch. Each group is one Conv2dFunction (im2col and a GEMM) and the outputs are
concatenated on the channel axis: no extra kernel, so every conv2d speed-up applies here too.
"""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops.activation import relu as relu_op
from jaring.ops.index import getitem
from jaring.ops.shape import concat


def grouped_conv2d(
    conv: Any, x: Tensor, weight: Tensor, bias: Tensor | None, groups: int, relu: bool, **geometry: Any
) -> Tensor:
    """conv2d with `groups` groups through `conv` (Conv2dFunction.apply); shapes already checked."""
    c_in, c_out = x.shape[1] // groups, weight.shape[0] // groups
    parts = []
    for g in range(groups):
        inputs = [
            getitem(x, (slice(None), slice(g * c_in, (g + 1) * c_in))),
            getitem(weight, slice(g * c_out, (g + 1) * c_out)),
        ]
        if bias is not None:
            inputs.append(getitem(bias, slice(g * c_out, (g + 1) * c_out)))
        parts.append(conv(*inputs, relu=False, **geometry))
    out = concat(parts, axis=1)
    return relu_op(out) if relu else out


def check_groups(op: str, groups: Any, in_channels: int, weight_shape: tuple) -> int:
    """groups must divide the input channels and the filters; weight (O, C / groups, kh, kw)."""
    if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive int, got {groups!r}")
    if in_channels % groups or weight_shape[0] % groups or weight_shape[1] * groups != in_channels:
        raise ValueError(
            f"{op}: with groups={groups} the input's {in_channels} channels and the weight's "
            f"{weight_shape[0]} filters must divide by groups, and the weight (out, in/groups, kh, kw) "
            f"must have {in_channels // groups if in_channels % groups == 0 else '?'} input channels, "
            f"got weight shape {weight_shape}"
        )
    return groups
