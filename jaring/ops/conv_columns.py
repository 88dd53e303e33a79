"""conv2d's im2col columns for NumPy data: how the forward gets them or does without them, and
how the backward multiplies them into a small weight's gradient.

With a gradient to come (training), the forward builds the whole im2col matrix, which the weight
gradient needs too (`columns`). Without one (inference, no_grad: `without_columns`), it keeps no
columns: Winograd's transforms for 3x3 kernels on 16 or more channels
(jaring/ops/conv_winograd.py), a direct convolution where there is little work per output pixel
(a first layer on 1 or 3 channels), else im2col and a GEMM a few images at a time, while their
columns are in cache. The rows of every result are output pixels in (image, row, column) order,
its columns output channels; jaring/ops/conv.py (Conv2dFunction) holds the layouts, the
reference code and the CuPy path. The backward's weight gradient is cols.T @ g; for a first
layer's small weight it is summed over pieces of rows (`weight_gradient_by_pieces`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import kernels
from jaring.ops import conv_winograd
from jaring.ops.geometry import pad_nhwc, windows

# Working-set size of the batch chunks' im2col columns: the whole matrix would make a round
# trip through memory (75 MB for 64 channels of 32x32 images in a batch of 32).
_COLUMN_BYTES = 4 << 20

# Multiply-adds per output pixel up to which the direct kernel beats im2col and a GEMM (_takes_direct).
_DIRECT_WORK = 4096

# Below this many input channels the columns are copied from the padded input a window row
# (kw * C contiguous values) at a time, by kernels.conv.im2col_rows (NumPy's copy of the window
# view when the kernel is dilated across a row): the im2col kernel, which reads the unpadded
# input C values at a time, is faster only from here on.
_COMPILED_IM2COL_CHANNELS = 16


def columns(
    x: np.ndarray, kernel: tuple, out_hw: tuple, stride: tuple, padding: tuple, dilation: tuple
) -> Any:
    """The whole im2col matrix (N*Ho*Wo, kh*kw*C) of NumPy data x (N, C, H, W): row
    (b * Ho + y) * Wo + x is output pixel (b, y, x), column (i * kw + j) * C + c the input it reads
    through kernel offset (i, j) in channel c (a zero in the padding)."""
    n, c = x.shape[:2]
    if c >= _COMPILED_IM2COL_CHANNELS:
        nhwc = np.ascontiguousarray(x.transpose(0, 2, 3, 1))
        cols = np.empty((n * out_hw[0] * out_hw[1], kernel[0] * kernel[1] * c), dtype=x.dtype)
        kernels.family("conv").im2col(
            nhwc, cols, *kernel, *stride, *dilation, padding[0], padding[2], *out_hw
        )
        return cols
    xpad = pad_nhwc(x, padding)
    if dilation[1] != 1:
        return windows(xpad, kernel, stride, dilation, out_hw).reshape(
            n * out_hw[0] * out_hw[1], kernel[0] * kernel[1] * c
        )
    cols = np.empty((n * out_hw[0] * out_hw[1], kernel[0] * kernel[1] * c), dtype=x.dtype)
    _window_rows(np.ascontiguousarray(xpad), cols, kernel, stride, dilation, out_hw)
    return cols


def without_columns(
    x: np.ndarray, weight: np.ndarray, wmat: np.ndarray, bias: Any, relu: bool, geometry: tuple
) -> np.ndarray:
    """The convolution's (N*Ho*Wo, O) result, plus bias (O,) or None, then ReLU when relu, of NumPy
    data x (N, C, H, W) with weight (O, C, kh, kw), whose im2col matrix is wmat (kh*kw*C, O), for a
    forward that keeps no columns. geometry is Conv2dFunction's ctx.geometry."""
    _, _, out_hw, stride, padding, dilation = geometry
    kernel = weight.shape[2:]
    if conv_winograd.applies(kernel, stride, dilation, x.shape[1]):
        return conv_winograd.conv3x3(
            np.ascontiguousarray(x.transpose(0, 2, 3, 1)), wmat, bias, relu, padding, out_hw,
            conv_winograd.forward_tile(out_hw),
        )  # fmt: skip
    if _takes_direct(weight.shape, out_hw[1]):
        return _direct(x, weight, bias, relu, geometry)
    return _gemm_by_chunks(x, wmat, bias, relu, kernel, geometry)


def _takes_direct(weight_shape: tuple, out_width: int) -> bool:
    """Whether a convolution run without a gradient to come takes the direct kernel: output
    channels a multiple of its 32-channel blocks, outputs at least its tile of pixels wide, and
    little work per output pixel (kh*kw*C*O at most _DIRECT_WORK): there writing and reading back
    the im2col columns costs more than the GEMM's speed saves. With more work per pixel the GEMM,
    on all cores, wins over the kernel's one."""
    o, c, kh, kw = weight_shape
    conv = kernels.family("conv")
    return o % conv.LANES == 0 and out_width >= conv.PIXELS and kh * kw * c * o <= _DIRECT_WORK


def _direct(x: np.ndarray, weight: np.ndarray, bias: Any, relu: bool, geometry: tuple) -> np.ndarray:
    """The result by kernels.conv.direct_conv: each output pixel's sums over its window taken in
    registers, so that no im2col matrix is written and read back (see _takes_direct for when)."""
    _, _, (ho, wo), stride, padding, dilation = geometry
    o, c, kh, kw = weight.shape
    conv = kernels.family("conv")
    lanes = conv.LANES
    blocks = o // lanes
    wmat = weight.transpose(2, 3, 1, 0).reshape(kh * kw * c, blocks, lanes)
    wblocks = np.ascontiguousarray(wmat.transpose(1, 0, 2))  # (blocks, kh*kw*C, 32)
    bias = np.zeros(o, dtype=x.dtype) if bias is None else bias
    xpad = np.ascontiguousarray(pad_nhwc(x, padding))
    taps = np.array([j * dilation[1] * c + k for j in range(kw) for k in range(c)], dtype=np.int64)
    out = np.empty((x.shape[0] * ho * wo, o), dtype=x.dtype)
    floor = x.dtype.type(0 if relu else -np.inf)
    conv.direct_conv(
        xpad.reshape(xpad.shape[0], xpad.shape[1], xpad.shape[2] * c), wblocks, bias.reshape(blocks, lanes),
        out, taps, kh, c, *stride, dilation[0], ho, wo, floor,
    )  # fmt: skip
    return out


def _gemm_by_chunks(
    x: np.ndarray, wmat: np.ndarray, bias: Any, relu: bool, kernel: tuple, geometry: tuple
) -> np.ndarray:
    """The result by im2col into one reused buffer of about _COLUMN_BYTES, GEMM and bias (+ ReLU)
    a few images at a time, while their columns are in cache; the columns as in `columns`."""
    _, _, (ho, wo), stride, padding, dilation = geometry
    n, c = x.shape[:2]
    rows, width = ho * wo, kernel[0] * kernel[1] * c
    chunk = max(1, _COLUMN_BYTES // max(1, rows * width * x.itemsize))  # no channels: width 0
    cols = np.empty((min(chunk, n) * rows, width), dtype=x.dtype)
    out = np.empty((n * rows, wmat.shape[1]), dtype=x.dtype)
    conv = kernels.family("conv")
    compiled_columns = c >= _COMPILED_IM2COL_CHANNELS
    if compiled_columns:
        source = np.ascontiguousarray(x.transpose(0, 2, 3, 1))
    else:
        source = pad_nhwc(x, padding)
        if dilation[1] == 1:
            source = np.ascontiguousarray(source)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        part, result = cols[: (stop - start) * rows], out[start * rows : stop * rows]
        if compiled_columns:
            conv.im2col(source[start:stop], part, *kernel, *stride, *dilation, padding[0], padding[2], ho, wo)
        elif dilation[1] == 1:
            _window_rows(source[start:stop], part, kernel, stride, dilation, (ho, wo))
        else:
            view = windows(source[start:stop], kernel, stride, dilation, (ho, wo))
            part.reshape(view.shape)[...] = view
        np.matmul(part, wmat, out=result)
        if bias is not None and relu:
            conv.bias_relu(result, bias)
        elif bias is not None:
            result += bias
        elif relu:
            np.maximum(result, 0, out=result)
    return out


def _window_rows(
    xpad: np.ndarray, cols: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple, out_hw: tuple
) -> None:
    """Fill cols with the windows of the C-contiguous, padded channels-last xpad (N, Hp, Wp, C) by
    kernels.conv.im2col_rows, which copies each window row's kw*C values as one run (for kernels
    not dilated across a row)."""
    n, hp, wp, c = xpad.shape
    kh, kw = kernel
    kernels.family("conv").im2col_rows(
        xpad.reshape(n, hp, wp * c), cols, kh, kw * c, stride[0], stride[1] * c, dilation[0], *out_hw
    )


# Weight gradients up to this many values (kh*kw*C*O, a first layer's) are summed over pieces
# of about _PIECE_WORK multiply-adds each (weight_gradient_by_pieces).
_SMALL_WEIGHT = 2048
_PIECE_WORK = 1 << 20


def weight_gradient_by_pieces(cols: np.ndarray, g: np.ndarray, out: Any, wants_bias: bool) -> tuple:
    """(grad_w as (kh*kw*C, O), grad_b or None, the gradient at the conv's output) for NumPy data
    with a small weight (kh*kw*C*O at most _SMALL_WEIGHT) and many output pixels, or None when
    that is not the case. out is the fused ReLU's saved output, or None without a ReLU.

    cols.T @ g then has a long inner dimension (a row per output pixel) and a small result, which
    OpenBLAS splits over its threads badly: summing single-threaded products over pieces of rows
    (each below OpenBLAS's threading threshold) is faster, and each piece of g gets the ReLU's
    mask and its bias sums (kernels.conv.relu_backward) just before its product, in cache."""
    m, width = cols.shape
    o = g.shape[1]
    if not 0 < width * o <= _SMALL_WEIGHT:
        return None
    rows = 1 << max(8, (_PIECE_WORK // (width * o)).bit_length() - 1)
    if m < 2 * rows:
        return None
    grad_w, part = np.zeros((width, o), g.dtype), np.empty((width, o), g.dtype)
    masked = np.empty_like(g) if out is not None else g
    bias_part = np.empty(o if wants_bias else 0, g.dtype)
    bias_total = np.zeros(o, np.float64)
    relu_backward = kernels.family("conv").relu_backward
    for start in range(0, m, rows):
        piece = slice(start, min(start + rows, m))
        if out is not None:
            relu_backward(g[piece], out[piece], masked[piece], bias_part)
            if wants_bias:
                bias_total += bias_part
        np.matmul(cols[piece].T, masked[piece], out=part)
        grad_w += part
    if not wants_bias:
        return grad_w, None, masked
    grad_b = bias_total.astype(g.dtype) if out is not None else np.ones(m, dtype=g.dtype) @ g
    return grad_w, grad_b, masked
