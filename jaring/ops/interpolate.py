"""F.interpolate: nearest, nearest-exact, linear and bilinear resizing, as PyTorch computes them.

Resizing is separable: each resized axis is a gather of one (nearest) or two (linear) input
positions per output with fixed weights, written as the same arithmetic PyTorch does
(w0 * x[i0] + w1 * x[i1]), so values match and infinities stay where they are. The backward
multiplies by the transpose of each axis's (out, in) interpolation matrix.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import floating

MODES = {"nearest": 1, "nearest-exact": 1, "linear": 1, "bilinear": 2}


def axis_weights(size: int, out: int, scale: float | None, mode: str, align_corners: bool) -> tuple:
    """(i0, i1, w0, w1) per output position along one axis; nearest has i1 = i0 and w1 = 0."""
    dst = np.arange(out, dtype=np.float64)
    if mode in ("nearest", "nearest-exact"):
        ratio = np.float32(1 / scale if scale else size / out)  # PyTorch computes this in float32
        shift = np.float32(0.5) if mode == "nearest-exact" else np.float32(0)
        i0 = np.minimum(np.floor((dst.astype(np.float32) + shift) * ratio).astype(np.int64), size - 1)
        return i0, i0, np.ones(out), np.zeros(out)
    if align_corners:
        src = dst * ((size - 1) / (out - 1)) if out > 1 else np.zeros(out)
    else:
        ratio = 1 / scale if scale else size / out
        src = np.maximum(ratio * (dst + 0.5) - 0.5, 0)
    i0 = np.minimum(np.floor(src).astype(np.int64), size - 1)
    i1 = np.minimum(i0 + 1, size - 1)
    w1 = src - i0
    return i0, i1, 1 - w1, w1


class Resize(Function):
    """Gather-and-blend along the trailing axes; one (i0, i1, w0, w1) table per axis."""

    @staticmethod
    def forward(ctx: Context, x: Any, tables: tuple) -> Any:
        xp = backend.array_module(x)
        ctx.tables, ctx.shape = tables, x.shape
        out = x
        for axis, (i0, i1, w0, w1) in tables:
            shape = (-1,) + (1,) * (x.ndim - 1 - axis)
            a = xp.take(out, xp.asarray(i0), axis=axis) * xp.asarray(w0, dtype=x.dtype).reshape(shape)
            if w1.any():
                a += xp.take(out, xp.asarray(i1), axis=axis) * xp.asarray(w1, dtype=x.dtype).reshape(shape)
            out = a
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.array_module(grad)
        g = grad
        for axis, (i0, i1, w0, w1) in reversed(ctx.tables):
            size = ctx.shape[axis]
            matrix = np.zeros((len(i0), size))
            np.add.at(matrix, (np.arange(len(i0)), i0), w0)
            np.add.at(matrix, (np.arange(len(i1)), i1), w1)
            moved = xp.moveaxis(g, axis, -1)
            g = xp.moveaxis(moved @ xp.asarray(matrix, dtype=grad.dtype), -1, axis)
        return g


def _sizes(x: Tensor, size: Any, scale_factor: Any, spatial: int) -> tuple:
    """(output sizes, scale factors or None) for the last `spatial` axes."""
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    if size is not None:
        sizes = (size,) * spatial if isinstance(size, (int, np.integer)) else tuple(size)
        if len(sizes) != spatial or not all(isinstance(s, (int, np.integer)) and s >= 1 for s in sizes):
            raise ValueError(f"interpolate: size must be {spatial} positive int(s), got {size!r}")
        return tuple(int(s) for s in sizes), (None,) * spatial
    factors = (scale_factor,) * spatial if isinstance(scale_factor, (int, float)) else tuple(scale_factor)
    if len(factors) != spatial or not all(isinstance(f, (int, float)) and f > 0 for f in factors):
        raise ValueError(
            f"interpolate: scale_factor must be {spatial} positive number(s), got {scale_factor!r}"
        )
    sizes = tuple(math.floor(n * f) for n, f in zip(x.shape[-spatial:], factors))
    if min(sizes) < 1:
        raise ValueError(f"interpolate: scale_factor {scale_factor!r} makes an empty output from {x.shape}")
    return sizes, tuple(float(f) for f in factors)


def interpolate(
    input: Any,
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
) -> Tensor:
    """Resize (N, C, L) or (N, C, H, W) as torch.nn.functional.interpolate.

    mode: "nearest" (PyTorch's floor rule), "nearest-exact" (rounds to the nearest centre),
    "linear" (3-D input) or "bilinear" (4-D input); align_corners (linear modes only) maps the
    corner pixels' centres onto each other. Given scale_factor, the source positions use
    1 / scale_factor unless recompute_scale_factor=True (then the output size decides, as in
    PyTorch). Bicubic, trilinear and area are not implemented.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])  # (N, C, H, W)
        >>> F.interpolate(x, scale_factor=2).shape
        (1, 1, 4, 4)
        >>> F.interpolate(x, size=(3, 3), mode="bilinear", align_corners=True).numpy()
        array([[[[1. , 1.5, 2. ],
                 [2. , 2.5, 3. ],
                 [3. , 3.5, 4. ]]]], dtype=float32)
    """
    x = floating(input)
    if mode not in MODES:
        raise ValueError(f"interpolate: mode {mode!r} is not available; choose one of {sorted(MODES)}")
    spatial = x.ndim - 2
    if spatial not in (1, 2) or (mode == "bilinear" and spatial != 2) or (mode == "linear" and spatial != 1):
        wanted = {"bilinear": "(N, C, H, W)", "linear": "(N, C, L)"}.get(mode, "(N, C, L) or (N, C, H, W)")
        raise ValueError(f"interpolate: mode {mode!r} needs input of shape {wanted}, got {x.shape}")
    if align_corners is not None and mode.startswith("nearest"):
        raise ValueError("interpolate: align_corners is only for the linear modes")
    sizes, scales = _sizes(x, size, scale_factor, spatial)
    if recompute_scale_factor:
        scales = (None,) * spatial
    tables = tuple(
        (
            x.ndim - spatial + k,
            axis_weights(x.shape[-spatial + k], sizes[k], scales[k], mode, bool(align_corners)),
        )
        for k in range(spatial)
    )
    return Resize.apply(x, tables=tables)
