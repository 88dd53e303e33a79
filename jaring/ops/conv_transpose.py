"""2-D transposed convolution (the gradient of conv2d with respect to its input, as a layer).

x (N, C_in, H, W) and weight (C_in, C_out / groups, kh, kw), PyTorch's layout. The forward is
one GEMM, x (N*H*W, C_in) @ weight (C_in, C_out*kh*kw), whose kh*kw slices are added onto the
output at stride-spaced offsets (a col2im); the backward reads the output gradient through the
same windows conv2d uses (an im2col) and is two GEMMs. Groups split the channels into
independent transposed convolutions whose outputs are concatenated, as in PyTorch.
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.geometry import pair, windows
from jaring.ops.index import getitem
from jaring.ops.shape import concat


def transposed_size(
    size: int, kernel: int, stride: int, padding: int, output_padding: int, dilation: int
) -> int:
    """PyTorch's output size along one axis:
    (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1."""
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


class ConvTranspose2dFunction(Function):
    """Transposed convolution of one group; bias (C_out,) optional."""

    @staticmethod
    def forward(
        ctx: Context,
        x: Any,
        weight: Any,
        bias: Any = None,
        stride: tuple = (1, 1),
        padding: tuple = (0, 0),
        output_padding: tuple = (0, 0),
        dilation: tuple = (1, 1),
    ) -> Any:
        xp = backend.array_module(x)
        n, c_in, h, w = x.shape
        _, c_out, kh, kw = weight.shape
        (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
        out_hw = tuple(
            transposed_size(size, k, s, p, op, d)
            for size, k, s, p, op, d in zip((h, w), (kh, kw), stride, padding, output_padding, dilation)
        )
        # The full (uncropped) output, tall enough for the output_padding rows beyond it.
        full = ((h - 1) * sh + dh * (kh - 1) + 1, (w - 1) * sw + dw * (kw - 1) + 1)
        buf_hw = (max(full[0], ph + out_hw[0]), max(full[1], pw + out_hw[1]))
        rows = x.transpose(0, 2, 3, 1).reshape(n * h * w, c_in)
        cols = (rows @ weight.reshape(c_in, c_out * kh * kw)).reshape(n, h, w, c_out, kh, kw)
        buf = xp.zeros((n,) + buf_hw + (c_out,), dtype=cols.dtype)
        for i in range(kh):
            span_h = slice(i * dh, i * dh + (h - 1) * sh + 1, sh)
            for j in range(kw):
                buf[:, span_h, j * dw : j * dw + (w - 1) * sw + 1 : sw] += cols[..., i, j]
        out = buf[:, ph : ph + out_hw[0], pw : pw + out_hw[1]]
        if bias is not None:
            out = out + bias
        ctx.save_for_backward(rows, weight)
        ctx.geometry = (x.shape, buf_hw, out_hw, stride, padding, dilation, bias is not None)
        return out.transpose(0, 3, 1, 2)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        rows, weight = ctx.saved
        x_shape, buf_hw, out_hw, stride, (ph, pw), dilation, has_bias = ctx.geometry
        xp = backend.array_module(grad)
        n, c_in, h, w = x_shape
        _, c_out, kh, kw = weight.shape
        g = grad.transpose(0, 2, 3, 1)
        gbuf = xp.zeros((n,) + buf_hw + (c_out,), dtype=grad.dtype)
        gbuf[:, ph : ph + out_hw[0], pw : pw + out_hw[1]] = g
        # Input pixel (a, b) wrote to a * stride + k * dilation: exactly conv2d's windows.
        gcols = windows(gbuf, (kh, kw), stride, dilation, (h, w)).reshape(n * h * w, kh * kw * c_out)
        needs = ctx.needs_input_grad
        grad_x = grad_w = grad_b = None
        if needs[0]:
            wmat = weight.transpose(0, 2, 3, 1).reshape(c_in, kh * kw * c_out)
            grad_x = (gcols @ wmat.T).reshape(n, h, w, c_in).transpose(0, 3, 1, 2)
        if needs[1]:
            grad_w = (rows.T @ gcols).reshape(c_in, kh, kw, c_out).transpose(0, 3, 1, 2).copy()
        if has_bias and needs[2]:
            grad_b = g.sum(axis=(0, 1, 2))
        return (grad_x, grad_w, grad_b) if has_bias else (grad_x, grad_w)


def _check_count(op: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{op}: {name} must be a positive int, got {value!r}")
    return value


def conv_transpose2d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """Transposed 2-D convolution as torch.nn.functional.conv_transpose2d, NCHW.

    weight (C_in, C_out / groups, kh, kw); padding (int or pair) crops that many pixels from
    each side of the full output; output_padding (smaller than stride or dilation) adds rows and
    columns at the bottom and right, to pick among the input sizes a strided conv2d maps to one size.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.randn(2, 4, 5, 5, seed=0)  # (N, C_in, H, W)
        >>> w = jaring.randn(4, 3, 3, 3, seed=1)  # (C_in, C_out, kh, kw)
        >>> F.conv_transpose2d(x, w, stride=2).shape, F.conv_transpose2d(x, w, stride=2, padding=1).shape
        ((2, 3, 11, 11), (2, 3, 9, 9))
        >>> F.conv_transpose2d(jaring.ones(1, 1, 2, 2), jaring.ones(1, 1, 2, 2)).numpy()  # overlaps add up
        array([[[[1., 2., 1.],
                 [2., 4., 2.],
                 [1., 2., 1.]]]], dtype=float32)
    """
    op = "conv_transpose2d"
    x = as_tensor(input)
    weight = as_tensor(weight, x)
    groups = _check_count(op, "groups", groups)
    if x.ndim != 4 or weight.ndim != 4:
        raise ValueError(
            f"{op}: expected input (N, C_in, H, W) and weight (C_in, C_out/groups, kh, kw), "
            f"got shapes {x.shape} and {weight.shape}"
        )
    if x.shape[1] != weight.shape[0] or x.shape[1] % groups:
        raise ValueError(
            f"{op}: input has {x.shape[1]} channels, weight {weight.shape} expects {weight.shape[0]}, "
            f"and both must divide by groups={groups}"
        )
    stride, dilation = pair(stride, "stride"), pair(dilation, "dilation")
    padding, output_padding = pair(padding, "padding", 0), pair(output_padding, "output_padding", 0)
    for o, s, d in zip(output_padding, stride, dilation):
        if o >= max(s, d):
            raise ValueError(
                f"{op}: output_padding {output_padding} must be smaller than "
                f"stride {stride} or dilation {dilation}"
            )
    size = [
        transposed_size(n, k, s, p, o, d)
        for n, k, s, p, o, d in zip(x.shape[2:], weight.shape[2:], stride, padding, output_padding, dilation)
    ]
    if min(size) < 1:
        raise ValueError(
            f"{op}: padding {padding} crops the whole output (size {tuple(size)}) of input {x.shape}"
        )
    c_out = weight.shape[1] * groups
    if bias is not None:
        bias = as_tensor(bias, x)
        if bias.shape != (c_out,):
            raise ValueError(f"{op}: bias must have shape ({c_out},), got {bias.shape}")
    attrs = dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    if groups == 1:
        inputs = [x, weight] + ([bias] if bias is not None else [])
        return ConvTranspose2dFunction.apply(*inputs, **attrs)
    c_in, c_part = x.shape[1] // groups, weight.shape[1]
    parts = []
    for g in range(groups):
        inputs = [
            getitem(x, (slice(None), slice(g * c_in, (g + 1) * c_in))),
            getitem(weight, slice(g * c_in, (g + 1) * c_in)),
        ]
        if bias is not None:
            inputs.append(getitem(bias, slice(g * c_part, (g + 1) * c_part)))
        parts.append(ConvTranspose2dFunction.apply(*inputs, **attrs))
    return concat(parts, axis=1)
