"""2-D convolution on (N, C, H, W) with weight (out, in, kh, kw): im2col and one GEMM.

Memory layout: tensors are NCHW by shape (PyTorch's convention), but the convolution writes
its output as an NCHW-shaped view of a channels-last (NHWC) buffer, as PyTorch does with
`memory_format=torch.channels_last`. With the channel axis contiguous, the im2col matrix is a
cheap strided copy, the convolution is a single GEMM whose result is already the output, and
pooling and elementwise ops keep the layout. Code that reads `.data` sees an ordinary NCHW
array either way; only its strides differ.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend, kernels
from jaring.autograd.function import Context, Function, is_grad_enabled
from jaring.autograd.tensor import Tensor
from jaring.ops import conv_columns, conv_winograd
from jaring.ops.common import as_tensor
from jaring.ops.conv_grouped import check_groups, grouped_conv2d
from jaring.ops.geometry import check_window, output_size, pad_nhwc, pair, resolve_padding, windows


class Conv2dFunction(Function):
    """Cross-correlation as in PyTorch; x (N, C, H, W), weight (O, C, kh, kw), bias (O,).

    Forward: cols (N*Ho*Wo, kh*kw*C) @ weight matrix (kh*kw*C, O), one GEMM. Backward: the
    weight gradient is one GEMM with the saved cols; the input gradient, skipped when the input
    needs none (the first layer), is a loop over the kh*kw kernel offsets, each a GEMM and a
    strided add onto the input (col2im). With relu=True the ReLU is applied in place on the
    GEMM's result and its mask folded into the backward: no separate activation array or op.

    For NumPy floats of one dtype the loops around the GEMMs are compiled (jaring/kernels/conv.py):
    the im2col columns (jaring/ops/conv_columns.py), bias plus ReLU in one pass, the ReLU's mask
    with the bias gradient in one pass (for a small weight, piece by piece of output pixels, each
    just before its share of the weight gradient), and col2im as a GEMM per batch chunk and a gather. Either
    backward takes either forward's context, so the mode may change in between.

    keep_columns=False (conv2d passes it when no gradient will be taken: inference, no_grad)
    lets the forward skip the whole im2col matrix, which only the weight gradient needs
    (conv_columns.without_columns: batch chunks, Winograd's transforms or a direct convolution).
    With a gradient to come, computing the columns once and keeping them measured faster than
    rebuilding them.
    """

    @staticmethod
    def forward(
        ctx: Context,
        x: Any,
        weight: Any,
        bias: Any = None,
        stride: tuple = (1, 1),
        padding: tuple = (0, 0, 0, 0),
        dilation: tuple = (1, 1),
        relu: bool = False,
        keep_columns: bool = True,
    ) -> Any:
        n, c, h, w = x.shape
        o, _, kh, kw = weight.shape
        ho = output_size(h, kh, stride[0], padding[0], padding[1], dilation[0])
        wo = output_size(w, kw, stride[1], padding[2], padding[3], dilation[1])
        pad_shape = (n, h + padding[0] + padding[1], w + padding[2] + padding[3], c)
        wmat = weight.transpose(2, 3, 1, 0).reshape(kh * kw * c, o)
        fast = _compiled(x, weight) if bias is None else _compiled(x, weight, bias)
        ctx.geometry = (x.shape, pad_shape, (ho, wo), stride, padding, dilation)
        if fast and not keep_columns:
            out = conv_columns.without_columns(x, weight, wmat, bias, relu, ctx.geometry)
            return out.reshape(n, ho, wo, o).transpose(0, 3, 1, 2)
        if fast:
            cols = conv_columns.columns(x, (kh, kw), (ho, wo), stride, padding, dilation)
        else:
            xpad = pad_nhwc(x, padding)
            cols = windows(xpad, (kh, kw), stride, dilation, (ho, wo)).reshape(n * ho * wo, kh * kw * c)
        out = cols @ wmat
        if fast and bias is not None and relu:
            kernels.family("conv").bias_relu(out, bias)
        else:
            if bias is not None:
                out += bias
            if relu:
                backend.array_module(out).maximum(out, 0, out=out)
        ctx.save_for_backward(cols, weight, out if relu else None)
        return out.reshape(n, ho, wo, o).transpose(0, 3, 1, 2)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        cols, weight, out = ctx.saved
        x_shape, pad_shape, (ho, wo), stride, padding, dilation = ctx.geometry
        needs = ctx.needs_input_grad
        n, c = x_shape[:2]
        o, _, kh, kw = weight.shape
        g = grad.transpose(0, 2, 3, 1).reshape(n * ho * wo, o)  # free when grad is channels-last
        wants_bias = len(needs) == 3 and needs[2]
        grad_w = grad_b = grad_x = None
        pieces = None
        if needs[1] and (_compiled(g, out, cols) if out is not None else _compiled(g, cols)):
            pieces = conv_columns.weight_gradient_by_pieces(cols, np.ascontiguousarray(g), out, wants_bias)
        if pieces is not None:  # a small weight: its gradient, the ReLU's mask and the bias's by pieces
            grad_w, grad_b, g = pieces
            grad_w = grad_w.reshape(kh, kw, c, o).transpose(3, 2, 0, 1).copy()
        elif out is not None and _compiled(g, out):  # the ReLU's mask and the bias gradient in one pass
            masked, grad_b = np.empty_like(g), np.empty(o if wants_bias else 0, dtype=g.dtype)
            kernels.family("conv").relu_backward(np.ascontiguousarray(g), out, masked, grad_b)
            g, grad_b = masked, grad_b if wants_bias else None
        elif out is not None:  # the fused ReLU's gradient: zero where it clipped
            g = g * (out > 0)
        if needs[1] and grad_w is None:
            grad_w = (cols.T @ g).reshape(kh, kw, c, o).transpose(3, 2, 0, 1).copy()
        if wants_bias and grad_b is None:
            # A GEMV with ones: much faster than g.sum(axis=0) down the long axis.
            grad_b = backend.array_module(g).ones(g.shape[0], dtype=g.dtype) @ g
        if (
            needs[0]
            and _compiled(g, weight)
            and conv_winograd.takes_input_gradient(weight.shape, stride, dilation, padding)
        ):
            grad_x = conv_winograd.input_gradient(g, weight, padding, x_shape, (ho, wo))
        elif needs[0] and _compiled(g, weight):
            grad_x = _col2im_compiled(g, weight, x_shape, (ho, wo), stride, padding, dilation)
        elif needs[0]:
            grad_x = _col2im(g, weight, pad_shape, x_shape, (ho, wo), stride, padding, dilation)
        return (grad_x, grad_w, grad_b) if len(needs) == 3 else (grad_x, grad_w)


def _compiled(*arrays: Any) -> bool:
    """Whether the compiled kernels take these arrays: NumPy floats, all of one dtype (mixed
    dtypes keep the reference code's promotion rules)."""
    return kernels.floats(*arrays) and len({a.dtype for a in arrays}) == 1


def _col2im_compiled(
    g: Any, weight: Any, x_shape: tuple, out_hw: tuple, stride: tuple, padding: tuple, dilation: tuple
) -> Any:
    """Input gradient for NumPy data: per chunk of images, one GEMM into the columns' gradient
    (images*Ho*Wo, kh*kw*C), then a compiled gather of each input pixel's shares
    (kernels.conv.col2im) while those columns are in cache.

    Faster than _col2im on one thread (each pixel written once, no padded buffer to zero and
    cut), and steadier on a loaded machine, where the reference's many small multi-threaded
    GEMMs stall on their threads' hand-offs."""
    o, c, kh, kw = weight.shape
    n, ho, wo = x_shape[0], *out_hw
    wback = weight.transpose(0, 2, 3, 1).reshape(o, kh * kw * c)
    grad = np.empty((n, *x_shape[2:], c), dtype=g.dtype)
    # a few images at a time, so that the gather reads the columns from cache, not memory
    chunk = max(1, _CACHE_BYTES // max(1, ho * wo * wback.shape[1] * g.itemsize))  # 0 without channels
    dcols = np.empty((min(chunk, n) * ho * wo, wback.shape[1]), dtype=g.dtype)
    col2im = kernels.family("conv").col2im
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        part = dcols[: (stop - start) * ho * wo]
        np.matmul(g[start * ho * wo : stop * ho * wo], wback, out=part)
        col2im(part, grad[start:stop], kh, kw, *stride, *dilation, padding[0], padding[2], ho, wo)
    return grad.transpose(0, 3, 1, 2)


# Working-set size for the input gradient's batch chunks: about one core's L2 cache.
_CACHE_BYTES = 1 << 20


def _col2im(
    g: Any,
    weight: Any,
    pad_shape: tuple,
    x_shape: tuple,
    out_hw: tuple,
    stride: tuple,
    padding: tuple,
    dilation: tuple,
) -> Any:
    """Input gradient: for each kernel offset, the output gradient (N*Ho*Wo, O) times that
    offset's (O, C) weights, added onto the padded input where the offset reads it.

    One GEMM per offset instead of one into (N*Ho*Wo, kh*kw*C) columns: each product comes
    out contiguous, so the scatter-add runs over long rows. The reference and CuPy path; NumPy
    floats take _col2im_compiled, which measured faster (see its docstring).
    """
    xp = backend.array_module(g)
    n, _, _, c = pad_shape
    (kh, kw), (ho, wo), (sh, sw), (dh, dw) = weight.shape[2:], out_hw, stride, dilation
    per_offset = xp.ascontiguousarray(weight.transpose(2, 3, 0, 1))  # (kh, kw, O, C)
    dtype = xp.result_type(g.dtype, weight.dtype)
    gpad = xp.zeros(pad_shape, dtype=dtype)
    # A few images at a time, so that the kh*kw adds onto the same gradient pixels hit the
    # cache instead of memory.
    per_image = (pad_shape[1] * pad_shape[2] * c + ho * wo * (c + g.shape[1])) * gpad.itemsize
    chunk = max(1, _CACHE_BYTES // max(1, per_image))
    share = xp.empty((min(chunk, n) * ho * wo, c), dtype=dtype)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        g_part, target = g[start * ho * wo : stop * ho * wo], gpad[start:stop]
        out = share[: g_part.shape[0]]
        for i in range(kh):
            rows = slice(i * dh, i * dh + (ho - 1) * sh + 1, sh)
            for j in range(kw):
                span = slice(j * dw, j * dw + (wo - 1) * sw + 1, sw)
                xp.matmul(g_part, per_offset[i, j], out=out)
                target[:, rows, span] += out.reshape(stop - start, ho, wo, c)
    top, _, left, _ = padding
    return gpad[:, top : top + x_shape[2], left : left + x_shape[3]].transpose(0, 3, 1, 2)


# ----- the functional form (re-exported by jaring.functional) --------------------------------


def conv2d(
    x: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
    *,
    relu: bool = False,
) -> Tensor:
    """2-D convolution as torch.nn.functional.conv2d: x (N, C, H, W), weight (O, C, kh, kw).

    padding: an int or pair (symmetric), a 4-tuple (top, bottom, left, right), "valid", or
    "same" (TensorFlow's rule: output ceil(H / stride), the extra pixel at the bottom/right
    when the total is odd; identical to PyTorch's "same" for stride 1). The output is NCHW by
    shape, channels-last in memory (see the module docstring). relu=True returns
    relu(conv2d(...)) from one op, faster than the two (Conv2D(activation="relu") uses it).

    Without a gradient to come (under no_grad, or when no input requires one), 3x3 kernels with
    stride 1 and dilation 1 on 16 or more channels of NumPy data run by Winograd's transforms:
    on outputs of 8 or more pixels a side the float32 results differ from the direct
    convolution's by about 1e-5 of their scale, on smaller ones by a few ulps. Under
    `jaring.kernels.use("numpy")` every convolution takes the im2col reference.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.randn(2, 3, 8, 8, seed=0)  # (N, C, H, W)
        >>> w = jaring.randn(4, 3, 3, 3, seed=1)  # (out, in, kh, kw)
        >>> F.conv2d(x, w).shape, F.conv2d(x, w, padding=1).shape
        ((2, 4, 6, 6), (2, 4, 8, 8))
        >>> F.conv2d(jaring.ones(1, 1, 3, 3), jaring.ones(1, 1, 3, 3)).item()  # sums the 3x3 window
        9.0
    """
    x = as_tensor(x)
    weight = as_tensor(weight, x)
    if x.ndim != 4:
        raise ValueError(f"conv2d: expected input of shape (N, C, H, W), got shape {x.shape}")
    if weight.ndim != 4:
        raise ValueError(f"conv2d: expected weight of shape (out, in, kh, kw), got shape {weight.shape}")
    if groups != 1:
        groups = check_groups("conv2d", groups, x.shape[1], weight.shape)
    elif x.shape[1] != weight.shape[1]:
        raise ValueError(
            f"conv2d: input has {x.shape[1]} channels but the weight expects {weight.shape[1]} "
            f"(input shape {x.shape}, weight shape {weight.shape})"
        )
    stride = pair(stride, "stride")
    dilation = pair(dilation, "dilation")
    kernel = weight.shape[2:]
    padding = resolve_padding(padding, kernel, stride, dilation, x.shape[2:])
    check_window("conv2d", x.shape, kernel, padding, dilation)
    inputs = [x, weight]
    if bias is not None:
        bias = as_tensor(bias, x)
        if bias.shape != (weight.shape[0],):
            raise ValueError(f"conv2d: bias must have shape ({weight.shape[0]},), got {bias.shape}")
        inputs.append(bias)
    if groups > 1:
        return grouped_conv2d(
            Conv2dFunction.apply,
            x,
            weight,
            bias,
            groups,
            bool(relu),
            stride=stride,
            padding=padding,
            dilation=dilation,
        )
    # Without a gradient to come, the forward need not keep the im2col matrix (see Conv2dFunction).
    keep = is_grad_enabled() and any(t.requires_grad for t in inputs)
    return Conv2dFunction.apply(
        *inputs, stride=stride, padding=padding, dilation=dilation, relu=bool(relu), keep_columns=keep
    )
