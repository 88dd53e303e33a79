"""2-D max and average pooling over windows of (N, C, H, W), forward and backward.

The global forms (over all of H and W) are in jaring/ops/pool_global.py.

Windows are strided views of a channels-last copy or view of the input (see jaring/ops/conv.py
on memory layout); when stride equals the kernel these views are exactly a reshape into
(N, Ho, kh, Wo, kw, C) blocks. Each op loops over the kh*kw kernel offsets, never over
pixels: one vectorised maximum or sum per offset.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend, kernels
from jaring.autograd.function import Context, Function, is_grad_enabled
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.geometry import check_window, output_size, pad_nhwc, pair, resolve_padding, windows
from jaring.ops.pool_general import avg_pool2d_options, max_pool2d_options


def _geometry(x_shape: tuple, kernel: tuple, stride: tuple, padding: tuple) -> tuple:
    ho = output_size(x_shape[2], kernel[0], stride[0], padding[0], padding[1])
    wo = output_size(x_shape[3], kernel[1], stride[1], padding[2], padding[3])
    return ho, wo


def _tiles(pad_shape: tuple, kernel: tuple, stride: tuple, out_hw: tuple) -> bool:
    """Whether the windows tile the padded (N, H, W, C) input exactly: every pixel in one window."""
    covered = (out_hw[0] * kernel[0], out_hw[1] * kernel[1])
    return stride == kernel and tuple(pad_shape[1:3]) == covered


def _grad_buffer(xp: Any, shape: tuple, dtype: Any, kernel: tuple, stride: tuple, out_hw: tuple) -> Any:
    """Gradient of the padded input: left uninitialised when the windows tile it exactly, since
    then every pixel is written once; zeros otherwise."""
    return (xp.empty if _tiles(shape, kernel, stride, out_hw) else xp.zeros)(shape, dtype=dtype)


def _put(target: Any, values: Any, overlapping: bool) -> None:
    """Write one kernel offset's share; overlapping windows share pixels, so they add."""
    if overlapping:
        target += values
    else:
        target[...] = values


def _compiled(x: Any, kernel: tuple) -> bool:
    """Whether the compiled kernels take this input: NumPy floats, offsets that fit one byte."""
    return kernels.floats(x) and kernel[0] * kernel[1] <= 256


def _channels_last(a: Any) -> Any:
    """An NCHW view as a C-contiguous NHWC array for the kernels: free when its memory is already
    channels-last, a copy otherwise (e.g. a gradient cut from a padded buffer). Numba compiles
    strided arrays without vector code, so the copy costs less than what it saves."""
    return np.ascontiguousarray(a.transpose(0, 2, 3, 1))


def _padded(shape: tuple, padding: tuple) -> tuple:
    """The channels-last shape of an NCHW input after padding."""
    n, c, h, w = shape
    return n, h + padding[0] + padding[1], w + padding[2] + padding[3], c


def _divisor_grid(divisor: Any, out_hw: tuple) -> np.ndarray:
    """The average's divisor per output position, (Ho, Wo) float64, for the compiled kernels."""
    grid = np.broadcast_to(np.asarray(divisor, dtype=np.float64), (1, *out_hw, 1))
    return np.ascontiguousarray(grid[0, :, :, 0])


def _unpad(gpad: Any, x_shape: tuple, padding: tuple) -> Any:
    top, _, left, _ = padding
    return gpad[:, top : top + x_shape[2], left : left + x_shape[3]].transpose(0, 3, 1, 2)


class MaxPool2dFunction(Function):
    """Max over each window; the gradient goes to the first maximum (row-major), like PyTorch.

    With track=True (a gradient will be needed) the forward also records which kernel offset
    held each window's first maximum, as one byte per output: the backward then routes the
    gradient with a byte comparison per offset instead of re-finding the maxima in the float
    input. Inference (track=False) computes the maximum alone.
    """

    @staticmethod
    def forward(
        ctx: Context, x: Any, kernel: tuple, stride: tuple, padding: tuple, track: bool = True
    ) -> Any:
        out_hw = _geometry(x.shape, kernel, stride, padding)
        if _compiled(x, kernel):
            out, where = kernels.family("pool").max_pool_forward(
                _channels_last(x), *kernel, *stride, padding[0], padding[2], *out_hw, track
            )
            if track:
                ctx.argmax = where
            ctx.geometry = (x.shape, _padded(x.shape, padding), kernel, stride, padding, out_hw)
            return out.transpose(0, 3, 1, 2)
        # padding never wins the maximum: -inf for floats, the lowest value for integers
        lowest = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min if x.dtype.kind in "iu" else False
        xpad = pad_nhwc(x, padding, value=lowest)
        win = windows(xpad, kernel, stride, (1, 1), out_hw)
        xp = backend.array_module(x)
        slices = [win[:, :, :, i, j] for i in range(kernel[0]) for j in range(kernel[1])]
        if len(slices) == 1:
            out = slices[0].copy()
        elif not track:
            out = xp.maximum(slices[0], slices[1])
            for piece in slices[2:]:
                xp.maximum(out, piece, out=out)
        else:
            out, ctx.argmax = _max_and_offset(xp, slices)
        ctx.geometry = (x.shape, xpad.shape, kernel, stride, padding, out_hw)
        return out.transpose(0, 3, 1, 2)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x_shape, pad_shape, kernel, stride, padding, out_hw = ctx.geometry
        xp = backend.array_module(grad)
        g = grad.transpose(0, 2, 3, 1)  # free when grad is channels-last
        overlapping = stride[0] < kernel[0] or stride[1] < kernel[1]
        single = kernel == (1, 1)
        argmax = getattr(ctx, "argmax", None)
        if argmax is None and not single:
            raise RuntimeError(
                "max_pool2d: this output was computed with track=False and cannot be differentiated"
            )
        if not single and kernels.enabled(grad, argmax) and argmax.dtype == np.uint8:
            # the kernel writes the unpadded gradient itself: no padded buffer to allocate
            grad_x = kernels.family("pool").max_pool_backward(
                _channels_last(grad), argmax, *x_shape[2:], *kernel, *stride, padding[0], padding[2],
                _tiles(pad_shape, kernel, stride, out_hw),
            )  # fmt: skip
            return grad_x.transpose(0, 3, 1, 2)
        gpad = _grad_buffer(xp, pad_shape, grad.dtype, kernel, stride, out_hw)
        gwin = windows(gpad, kernel, stride, (1, 1), out_hw)
        offsets = [(i, j) for i in range(kernel[0]) for j in range(kernel[1])]
        if single:
            _put(gwin[:, :, :, 0, 0], g, overlapping)
            return _unpad(gpad, x_shape, padding)
        hit = xp.empty(argmax.shape, dtype=bool)
        scratch = xp.empty(g.shape, dtype=grad.dtype) if overlapping else None
        for k, (i, j) in enumerate(offsets):
            xp.equal(argmax, k, out=hit)
            target = gwin[:, :, :, i, j]
            if overlapping:
                target += xp.multiply(g, hit, out=scratch)
            else:
                xp.multiply(g, hit, out=target)
        return _unpad(gpad, x_shape, padding)


def _max_and_offset(xp: Any, slices: list) -> tuple:
    """(elementwise maximum of the slices, index of the first slice holding it).

    A later slice takes over only where it is strictly greater, so ties keep the earliest.
    np.maximum propagates NaN but `greater` never picks one, so when a window holds a NaN (rare;
    checked on the small output) the pass runs again with a NaN taking over wherever it sits, as
    in the compiled kernel and PyTorch.
    """
    out, idx = _first_maxima(xp, slices, nan=False)
    if out.dtype.kind == "f" and bool(xp.isnan(out).any()):
        out, idx = _first_maxima(xp, slices, nan=True)
    return out, idx


def _first_maxima(xp: Any, slices: list, nan: bool) -> tuple:
    """_max_and_offset's pass. The index is updated as idx += hit * (k - idx) in wrapping unsigned
    arithmetic: three byte-sized passes, several times faster than a masked copy."""
    dtype = xp.uint8 if len(slices) <= 256 else xp.int32
    out = xp.maximum(slices[0], slices[1])
    idx = _takes_over(xp, slices[1], slices[0], nan).astype(dtype)
    hit = xp.empty(out.shape, dtype=bool)
    step = xp.empty(out.shape, dtype=dtype)
    for k, piece in enumerate(slices[2:], start=2):
        _takes_over(xp, piece, out, nan, out=hit)
        xp.maximum(out, piece, out=out)
        xp.subtract(dtype(k), idx, out=step)
        xp.multiply(step, hit, out=step)
        xp.add(idx, step, out=idx)
    return out, idx


def _takes_over(xp: Any, piece: Any, best: Any, nan: bool, out: Any = None) -> Any:
    """Where `piece` replaces the running maximum `best`: strictly greater, or a NaN when `nan`."""
    hit = xp.greater(piece, best, out=out)
    if nan:
        xp.logical_or(hit, xp.isnan(piece), out=hit)
    return hit


class AvgPool2dFunction(Function):
    """Mean over each window; padded pixels count in the divisor only if `include_pad`."""

    @staticmethod
    def forward(ctx: Context, x: Any, kernel: tuple, stride: tuple, padding: tuple, include_pad: bool) -> Any:
        out_hw = _geometry(x.shape, kernel, stride, padding)
        divisor = ctx.divisor = _divisor(x, kernel, stride, padding, out_hw, include_pad)
        ctx.geometry = (x.shape, _padded(x.shape, padding), kernel, stride, padding, out_hw)
        if _compiled(x, kernel):
            out = kernels.family("pool").avg_pool_forward(
                _channels_last(x), *kernel, *stride, padding[0], padding[2], *out_hw,
                _divisor_grid(divisor, out_hw),
            )  # fmt: skip
            return out.transpose(0, 3, 1, 2)
        xpad = pad_nhwc(x, padding)
        win = windows(xpad, kernel, stride, (1, 1), out_hw)
        if x.dtype.kind != "f":  # integers: summed wide, truncated back, as torch does for int64
            return (win.sum(axis=(3, 4)) / divisor).astype(x.dtype, copy=False).transpose(0, 3, 1, 2)
        out = win[:, :, :, 0, 0].copy()
        for i in range(kernel[0]):
            for j in range(kernel[1]):
                if i or j:
                    out += win[:, :, :, i, j]
        out /= divisor
        return out.transpose(0, 3, 1, 2)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x_shape, pad_shape, kernel, stride, padding, out_hw = ctx.geometry
        xp = backend.array_module(grad)
        if _compiled(grad, kernel):
            grad_x = kernels.family("pool").avg_pool_backward(
                _channels_last(grad), *x_shape[2:], *kernel, *stride, padding[0], padding[2],
                _divisor_grid(ctx.divisor, out_hw),
            )  # fmt: skip
            return grad_x.transpose(0, 3, 1, 2)
        share = grad.transpose(0, 2, 3, 1) / ctx.divisor
        gpad = _grad_buffer(xp, pad_shape, grad.dtype, kernel, stride, out_hw)
        gwin = windows(gpad, kernel, stride, (1, 1), out_hw)
        overlapping = stride[0] < kernel[0] or stride[1] < kernel[1]
        for i in range(kernel[0]):
            for j in range(kernel[1]):
                _put(gwin[:, :, :, i, j], share, overlapping)
        return _unpad(gpad, x_shape, padding)


def _divisor(x: Any, kernel: tuple, stride: tuple, padding: tuple, out_hw: tuple, include_pad: bool) -> Any:
    """kh*kw, or per output position the number of real (unpadded) pixels in its window."""
    if include_pad or not any(padding):
        return kernel[0] * kernel[1]
    xp = backend.array_module(x)
    ones = xp.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype)
    win = windows(pad_nhwc(ones, padding), kernel, stride, (1, 1), out_hw)
    return win.sum(axis=(3, 4))


# ----- the functional forms (re-exported by jaring.functional) --------------------------------


def images(op: str, x: Any) -> Tensor:
    """x as a Tensor of images (N, C, H, W), or a clear error naming `op`."""
    x = as_tensor(x)
    if x.ndim != 4:
        raise ValueError(f"{op}: expected input of shape (N, C, H, W), got shape {x.shape}")
    return x


def _pool_args(
    op: str, x: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: tuple = (1, 1)
) -> tuple:
    images(op, x)
    kernel = pair(kernel_size, "kernel_size")
    stride = kernel if stride is None else pair(stride, "stride")
    padding = resolve_padding(padding, kernel, stride, (1, 1), x.shape[2:])
    if max(padding[:2]) > kernel[0] // 2 or max(padding[2:]) > kernel[1] // 2:
        raise ValueError(
            f"{op}: padding {padding} (top, bottom, left, right) must be at most half the kernel "
            f"{kernel}, so that every window holds a real pixel"
        )
    check_window(op, x.shape, kernel, padding, dilation)
    return kernel, stride, padding


def max_pool2d(
    x: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple:
    """Max pooling as torch.nn.functional.max_pool2d on (N, C, H, W); stride defaults to the kernel.

    padding: an int or pair (symmetric, padded with -inf), a 4-tuple (top, bottom, left, right),
    "valid" or "same" (TensorFlow's rule, as the Keras layer uses). dilation spaces the window's
    taps; ceil_mode rounds the output size up; return_indices also returns, per output, the flat
    index h * W + w of the maximum in its input plane (int64, for max_unpool2d). These three
    options run in jaring/ops/pool_general.py.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.arange(16.0).reshape(1, 1, 4, 4)  # (N, C, H, W)
        >>> F.max_pool2d(x, 2).numpy()
        array([[[[ 5.,  7.],
                 [13., 15.]]]], dtype=float32)
        >>> F.max_pool2d(jaring.ones(2, 3, 32, 32), 3, stride=2, padding=1).shape
        (2, 3, 16, 16)
    """
    x = as_tensor(x)
    dilation = pair(dilation, "dilation")
    kernel, stride, padding = _pool_args("max_pool2d", x, kernel_size, stride, padding, dilation)
    if dilation != (1, 1) or ceil_mode or return_indices:
        return max_pool2d_options(x, kernel, stride, padding, dilation, ceil_mode, return_indices)
    track = x.requires_grad and is_grad_enabled()
    return MaxPool2dFunction.apply(x, kernel=kernel, stride=stride, padding=padding, track=track)


def avg_pool2d(
    x: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """Average pooling as torch.nn.functional.avg_pool2d on (N, C, H, W), same argument order.

    count_include_pad=True (PyTorch's default) divides every window by kh*kw, padded zeros
    included; False divides by the number of real pixels, which is what Keras's
    AveragePooling2D(padding="same") does. ceil_mode rounds the output size up (the extra
    windows are divided by their part inside input + padding, as PyTorch does);
    divisor_override divides every window by that number instead.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.arange(16.0).reshape(1, 1, 4, 4)  # (N, C, H, W)
        >>> F.avg_pool2d(x, 2).numpy()
        array([[[[ 2.5,  4.5],
                 [10.5, 12.5]]]], dtype=float32)
        >>> F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)[0, 0, 0].tolist()
        [2.5, 3.0, 4.0, 4.5]
    """
    x = as_tensor(x)
    kernel, stride, padding = _pool_args("avg_pool2d", x, kernel_size, stride, padding)
    if ceil_mode or divisor_override is not None:
        return avg_pool2d_options(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
    return AvgPool2dFunction.apply(
        x, kernel=kernel, stride=stride, padding=padding, include_pad=count_include_pad
    )
