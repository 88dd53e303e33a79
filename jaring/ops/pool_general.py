"""Pooling with the options the fast paths of ops/pool.py leave out: dilation, ceil_mode,
return_indices (max) and ceil_mode, divisor_override (average), all as PyTorch defines them.

F.max_pool2d and F.avg_pool2d come here only when one of these options is asked for. Max
pooling keeps, per output, the flat index h * W + w of its maximum in the input plane (what
return_indices returns and max_unpool2d reads); its backward is one bincount over those indices.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.geometry import pad_nhwc, windows


def pooled_size(
    size: int, kernel: int, stride: int, before: int, after: int, dilation: int, ceil: bool
) -> int:
    """PyTorch's pooling output size; with ceil_mode the last window must start inside the
    input or the leading padding, never wholly in the trailing padding."""
    span = dilation * (kernel - 1) + 1
    out = (size + before + after - span + (stride - 1 if ceil else 0)) // stride + 1
    if ceil and (out - 1) * stride >= size + before:
        out -= 1
    return out


def pool_geometry(
    shape: tuple, kernel: tuple, stride: tuple, padding: tuple, dilation: tuple, ceil: bool
) -> tuple:
    """(output (Ho, Wo), padding (top, bottom, left, right) grown to hold the ceil-mode windows)."""
    out_hw, grown = [], list(padding)
    for axis in range(2):
        size, before, after = shape[2 + axis], padding[2 * axis], padding[2 * axis + 1]
        n = pooled_size(size, kernel[axis], stride[axis], before, after, dilation[axis], ceil)
        reach = (n - 1) * stride[axis] + dilation[axis] * (kernel[axis] - 1) + 1
        grown[2 * axis + 1] = max(after, reach - size - before)
        out_hw.append(n)
    return tuple(out_hw), tuple(grown)


def max_pool_indices(
    x: Any, kernel: tuple, stride: tuple, padding: tuple, dilation: tuple, ceil: bool
) -> Any:
    """Per output (N, C, Ho, Wo), the flat index h * W + w of its window's first maximum
    (row-major, as PyTorch; a NaN counts as the maximum, and of several NaNs PyTorch takes the
    last)."""
    xp = backend.array_module(x)
    n, c, h, w = x.shape
    out_hw, grown = pool_geometry(x.shape, kernel, stride, padding, dilation, ceil)
    lowest = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min if x.dtype.kind in "iu" else False
    win = windows(pad_nhwc(x, grown, value=lowest), kernel, stride, dilation, out_hw)
    flat = win.reshape(n, out_hw[0], out_hw[1], kernel[0] * kernel[1], c)
    offset = flat.argmax(axis=3)  # argmax's first NaN, where a window holds one
    if x.dtype.kind == "f" and xp.isnan(x).any():
        nan = xp.isnan(flat)
        last = flat.shape[3] - 1 - nan[:, :, :, ::-1].argmax(axis=3)
        offset = xp.where(nan.any(axis=3), last, offset)
    rows = xp.arange(out_hw[0])[None, :, None, None] * stride[0] + (offset // kernel[1]) * dilation[0]
    cols = xp.arange(out_hw[1])[None, None, :, None] * stride[1] + (offset % kernel[1]) * dilation[1]
    # A window of -inf ties with its padding: keep the index on a real pixel, as PyTorch does.
    rows = xp.clip(rows - padding[0], 0, h - 1)
    cols = xp.clip(cols - padding[2], 0, w - 1)
    return (rows * w + cols).transpose(0, 3, 1, 2).astype(xp.int64)


def scatter_to_planes(indices: Any, values: Any, shape: tuple) -> Any:
    """Sum values (N, C, ...) into zeros of `shape` (N, C, H, W) at the flat plane `indices`."""
    xp = backend.array_module(values)
    n, c, h, w = shape
    planes = xp.arange(n * c).reshape(n, c, *([1] * (indices.ndim - 2))) * (h * w)
    total = xp.bincount((indices + planes).ravel(), weights=values.ravel(), minlength=n * c * h * w)
    return total.astype(values.dtype, copy=False).reshape(shape)


def _per_plane(a: Any) -> Any:
    """a (N, C, ...) as (N, C, the rest flattened); spelled out, as -1 is ambiguous when N or C is 0."""
    return a.reshape(a.shape[0], a.shape[1], math.prod(a.shape[2:]))


class PlaneGather(Function):
    """out[n, c, ...] = x[n, c].flat[indices[n, c, ...]]; the backward sums into those pixels."""

    @staticmethod
    def forward(ctx: Context, x: Any, indices: Any) -> Any:
        ctx.indices, ctx.shape = indices, x.shape
        flat = _per_plane(x)
        return (
            backend.array_module(x).take_along_axis(flat, _per_plane(indices), axis=2).reshape(indices.shape)
        )

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return scatter_to_planes(ctx.indices, grad, ctx.shape)


class PlaneScatter(Function):
    """Zeros of `shape` (N, C, H, W) with x[n, c, ...] written at the flat `indices`; the
    backward reads the gradient back at those pixels (max_unpool2d)."""

    @staticmethod
    def forward(ctx: Context, x: Any, indices: Any, shape: tuple) -> Any:
        xp = backend.array_module(x)
        n, c = shape[:2]
        out = xp.zeros((n, c, shape[2] * shape[3]), dtype=x.dtype)
        xp.put_along_axis(out, _per_plane(indices), _per_plane(x), axis=2)
        ctx.indices = indices
        return out.reshape(shape)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        indices = ctx.indices
        flat = _per_plane(grad)
        return (
            backend.array_module(grad)
            .take_along_axis(flat, _per_plane(indices), axis=2)
            .reshape(indices.shape)
        )


class AvgPool2dCeilFunction(Function):
    """Mean over windows with PyTorch's divisors under ceil_mode and divisor_override."""

    @staticmethod
    def forward(
        ctx: Context,
        x: Any,
        kernel: tuple,
        stride: tuple,
        padding: tuple,
        ceil: bool,
        include_pad: bool,
        divisor: Any,
    ) -> Any:
        out_hw, grown = pool_geometry(x.shape, kernel, stride, padding, (1, 1), ceil)
        xpad = pad_nhwc(x, grown)
        win = windows(xpad, kernel, stride, (1, 1), out_hw)
        total = win.sum(axis=(3, 4))
        divisors = (
            divisor if divisor is not None else _divisors(x, kernel, stride, padding, out_hw, include_pad)
        )
        ctx.divisors, ctx.geometry = divisors, (x.shape, xpad.shape, kernel, stride, grown, out_hw)
        return (total / divisors).astype(x.dtype, copy=False).transpose(0, 3, 1, 2)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x_shape, pad_shape, kernel, stride, grown, out_hw = ctx.geometry
        xp = backend.array_module(grad)
        share = grad.transpose(0, 2, 3, 1) / ctx.divisors
        gpad = xp.zeros(pad_shape, dtype=grad.dtype)
        gwin = windows(gpad, kernel, stride, (1, 1), out_hw)
        for i in range(kernel[0]):
            for j in range(kernel[1]):
                gwin[:, :, :, i, j] += share  # windows may overlap: each offset adds in turn
        top, _, left, _ = grown
        return gpad[:, top : top + x_shape[2], left : left + x_shape[3]].transpose(0, 3, 1, 2)


def _divisors(x: Any, kernel: tuple, stride: tuple, padding: tuple, out_hw: tuple, include_pad: bool) -> Any:
    """Per output (Ho, Wo, 1): the window's size clipped to input + padding (count_include_pad)
    or to the input alone, as PyTorch's avg_pool2d counts it."""
    xp = backend.array_module(x)
    counts = []
    for axis in range(2):
        size, before, after = x.shape[2 + axis], padding[2 * axis], padding[2 * axis + 1]
        start = xp.arange(out_hw[axis]) * stride[axis] - before
        end = xp.minimum(start + kernel[axis], size + after)
        if not include_pad:
            start, end = xp.maximum(start, 0), xp.minimum(end, size)
        counts.append((end - start).astype(x.dtype))
    return (counts[0][:, None] * counts[1][None, :])[:, :, None]


# ----- entry points for F.max_pool2d / F.avg_pool2d (arguments already resolved by ops/pool.py) -----


def max_pool2d_options(
    x: Tensor,
    kernel: tuple,
    stride: tuple,
    padding: tuple,
    dilation: tuple,
    ceil_mode: bool,
    return_indices: bool,
) -> Tensor | tuple:
    """Max pooling with dilation / ceil_mode; (values, indices) when return_indices."""
    indices = max_pool_indices(x.data, kernel, stride, padding, dilation, bool(ceil_mode))
    out = PlaneGather.apply(x, indices=indices)
    return (out, Tensor._from_op(indices, None)) if return_indices else out


def avg_pool2d_options(
    x: Tensor, kernel: tuple, stride: tuple, padding: tuple, ceil_mode: bool, include_pad: bool, divisor: Any
) -> Tensor:
    """Average pooling with ceil_mode / divisor_override (a positive int dividing every window)."""
    if divisor is not None and (
        isinstance(divisor, bool) or not isinstance(divisor, (int, np.integer)) or divisor < 1
    ):
        raise ValueError(f"avg_pool2d: divisor_override must be a positive int or None, got {divisor!r}")
    return AvgPool2dCeilFunction.apply(
        x,
        kernel=kernel,
        stride=stride,
        padding=padding,
        ceil=bool(ceil_mode),
        include_pad=include_pad,
        divisor=divisor,
    )
