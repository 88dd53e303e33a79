"""PyTorch-style convolution layers: Conv1d on (N, C, L), Conv2d and ConvTranspose2d on (N, C, H, W).

They take PyTorch's words (in_channels, out_channels, stride, groups, bias) and its layouts
(channels first, weights (out, in / groups, k) and (in, out / groups, kh, kw)), so state dicts
move to and from torch as they are. Default initialisation is PyTorch's: weight and bias uniform
in +-1/sqrt(fan_in), the fan_in read from the weight as torch reads it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn import init
from jaring.nn.module import Module, Parameter
from jaring.ops.geometry import pair, resolve_padding
from jaring.random import get_rng


def _positive(layer: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{layer}: {name} must be a positive integer, got {value!r}")
    return int(value)


def _check_groups(layer: str, in_channels: int, out_channels: int, groups: int) -> None:
    if in_channels % groups or out_channels % groups:
        raise ValueError(
            f"{layer}: in_channels ({in_channels}) and out_channels ({out_channels}) "
            f"must divide by groups ({groups})"
        )


class _ConvTorch(Module):
    """Weight and bias with PyTorch's default initialisation; subclasses choose the weight shape."""

    def _init_parameters(self, shape: tuple, fan_in: int, bias: bool, seed: Any, dtype: Any) -> None:
        rng = get_rng(seed)
        bound = 1.0 / math.sqrt(fan_in)
        uniform = init.resolve("uniform", lower=-bound, upper=bound)
        self.weight = Parameter(uniform(shape, seed=rng, dtype=dtype))
        self.register_parameter(
            "bias", Parameter(uniform((self.out_channels,), seed=rng, dtype=dtype)) if bias else None
        )

    def _input(self, x: Any, ndim: int) -> Tensor:
        x = x if isinstance(x, Tensor) else Tensor(x, dtype=self.weight.dtype)
        if x.dtype != self.weight.dtype:
            x = F.cast(x, self.weight.dtype)
        if x.ndim != ndim or x.shape[1] != self.in_channels:
            layout = "(N, C, L)" if ndim == 3 else "(N, C, H, W)"
            raise ValueError(
                f"{type(self).__name__}({self.extra_repr()}) expected input {layout} "
                f"with C = {self.in_channels}, got shape {x.shape}"
            )
        return x


class Conv1d(_ConvTorch):
    """1-D convolution as torch.nn.Conv1d: (N, in_channels, L) -> (N, out_channels, L_out).

    padding: an int, "valid" or "same"; groups as in PyTorch (groups == in_channels: depthwise).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> conv = nn.Conv1d(3, 8, kernel_size=3, padding=1, seed=0)
        >>> conv.weight.shape, conv(jaring.ones(2, 3, 10)).shape  # (N, C, L) in and out
        ((8, 3, 3), (2, 8, 10))
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        padding: int | str = 0,
        dilation: int = 1,
        groups: int = 1,
        bias: bool = True,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.in_channels = _positive("Conv1d", "in_channels", in_channels)
        self.out_channels = _positive("Conv1d", "out_channels", out_channels)
        self.groups = _positive("Conv1d", "groups", groups)
        _check_groups("Conv1d", self.in_channels, self.out_channels, self.groups)
        self.kernel_size = _positive("Conv1d", "kernel_size", kernel_size)
        self.stride, self.padding, self.dilation = stride, padding, dilation
        shape = (self.out_channels, self.in_channels // self.groups, self.kernel_size)
        self._init_parameters(shape, shape[1] * shape[2], bias, seed, dtype)

    def forward(self, x: Any) -> Tensor:
        x = self._input(x, 3)
        return F.conv1d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


_PADDING_MODES = {"zeros": None, "reflect": "reflect", "replicate": "replicate", "circular": "circular"}


class Conv2d(_ConvTorch):
    """2-D convolution as torch.nn.Conv2d: (N, in_channels, H, W) -> (N, out_channels, H', W').

    torch's arguments in torch's order. padding: an int, a pair, "valid" or "same" (stride 1
    only, as in torch; an even kernel pads its extra pixel at the bottom/right). padding_mode
    "zeros" (default), "reflect", "replicate" or "circular" pads with F.pad before the
    convolution. An unbatched (C, H, W) input gives an unbatched output, as in torch. The
    weight has torch's shape (out_channels, in_channels / groups, kh, kw) and torch's default
    initialisation, so `load_state_dict` takes a torch model's state dict as it is. For images
    in (N, H, W, C) and Keras's words (filters, strides, activation=...), use nn.Conv2D.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> conv = nn.Conv2d(1, 8, kernel_size=3, padding=1, seed=0)
        >>> conv.weight.shape, conv(jaring.ones(2, 1, 28, 28)).shape  # (N, C, H, W) in and out
        ((8, 1, 3, 3), (2, 8, 28, 28))
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple,
        stride: int | tuple = 1,
        padding: int | tuple | str = 0,
        dilation: int | tuple = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.in_channels = _positive("Conv2d", "in_channels", in_channels)
        self.out_channels = _positive("Conv2d", "out_channels", out_channels)
        self.groups = _positive("Conv2d", "groups", groups)
        _check_groups("Conv2d", self.in_channels, self.out_channels, self.groups)
        self.kernel_size = pair(kernel_size, "Conv2d kernel_size")
        self.stride = pair(stride, "Conv2d stride")
        self.dilation = pair(dilation, "Conv2d dilation")
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                raise ValueError(
                    f"Conv2d: padding must be 'valid', 'same', an int or a pair, got {padding!r}"
                )
            if padding == "same" and self.stride != (1, 1):
                raise ValueError(
                    "Conv2d: padding='same' is not supported for strided convolutions (as in torch)"
                )
            self.padding = padding
        else:
            self.padding = pair(padding, "Conv2d padding", minimum=0)
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                f"Conv2d: padding_mode must be one of {sorted(_PADDING_MODES)}, got {padding_mode!r}"
            )
        self.padding_mode = padding_mode
        shape = (self.out_channels, self.in_channels // self.groups) + self.kernel_size
        self._init_parameters(shape, shape[1] * shape[2] * shape[3], bias, seed, dtype)

    def forward(self, x: Any) -> Tensor:
        unbatched = getattr(x, "ndim", None) == 3
        x = self._input(x[None] if unbatched else x, 4)
        padding: Any = self.padding
        mode = _PADDING_MODES[self.padding_mode]
        if mode is not None:
            top, bottom, left, right = resolve_padding(
                padding, self.kernel_size, (1, 1), self.dilation, (0, 0)
            )
            x, padding = F.pad(x, (left, right, top, bottom), mode=mode), 0
        out = F.conv2d(x, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)
        return out[0] if unbatched else out


class ConvTranspose2d(_ConvTorch):
    """Transposed 2-D convolution as torch.nn.ConvTranspose2d, NCHW.

    Output size per axis: (size - 1) * stride - 2 * padding + dilation * (kernel_size - 1) +
    output_padding + 1; weight (in_channels, out_channels / groups, kh, kw).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> up = nn.ConvTranspose2d(8, 3, kernel_size=2, stride=2, seed=0)  # doubles H and W
        >>> up.weight.shape, up(jaring.ones(1, 8, 7, 7)).shape  # (N, C, H, W) in and out
        ((8, 3, 2, 2), (1, 3, 14, 14))
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple,
        stride: int | tuple = 1,
        padding: int | tuple = 0,
        output_padding: int | tuple = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: int | tuple = 1,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.in_channels = _positive("ConvTranspose2d", "in_channels", in_channels)
        self.out_channels = _positive("ConvTranspose2d", "out_channels", out_channels)
        self.groups = _positive("ConvTranspose2d", "groups", groups)
        _check_groups("ConvTranspose2d", self.in_channels, self.out_channels, self.groups)
        self.kernel_size = pair(kernel_size, "ConvTranspose2d kernel_size")
        self.stride, self.padding = stride, padding
        self.output_padding, self.dilation = output_padding, dilation
        shape = (self.in_channels, self.out_channels // self.groups) + self.kernel_size
        # torch computes fan_in from the weight's dimension 1 (out / groups) times the kernel
        self._init_parameters(shape, shape[1] * shape[2] * shape[3], bias, seed, dtype)

    def forward(self, x: Any) -> Tensor:
        x = self._input(x, 4)
        return F.conv_transpose2d(
            x,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            self.output_padding,
            self.groups,
            self.dilation,
        )
