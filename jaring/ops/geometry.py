"""Window geometry shared by convolution and pooling: pairs, padding, output sizes, window views.

Layers, the Keras and PyTorch converters and the ready models read the same rules from here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend


def pair(value: Any, name: str, minimum: int = 1) -> tuple:
    """An int or a pair of ints as a pair (height, width), checked against `minimum`.

    The one rule for kernel sizes, strides, dilations, paddings and pool sizes everywhere (layers,
    ops, the Keras and PyTorch converters); `name` is the argument named in its errors.
    """
    if _is_int(value):
        values = (value, value)
    elif isinstance(value, (tuple, list, np.ndarray)):
        values = tuple(value)
    else:
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r:.80}")
    if len(values) != 2 or not all(_is_int(v) for v in values):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    if any(v < minimum for v in values):
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(values[0]), int(values[1])


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def same_padding(size: int, kernel: int, stride: int, dilation: int) -> tuple:
    """TensorFlow's "same": output ceil(size / stride), the odd pixel of padding at the end."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def resolve_padding(padding: Any, kernel: tuple, stride: tuple, dilation: tuple, size: tuple) -> tuple:
    """Padding as (top, bottom, left, right) from "valid", "same", an int, a pair or a 4-tuple."""
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            return 0, 0, 0, 0
        if mode == "same":
            return same_padding(size[0], kernel[0], stride[0], dilation[0]) + same_padding(
                size[1], kernel[1], stride[1], dilation[1]
            )
        raise ValueError(f"padding must be 'valid', 'same', an int, a pair or a 4-tuple, got {padding!r}")
    if isinstance(padding, (tuple, list)) and len(padding) == 4:
        if not all(isinstance(p, (int, np.integer)) and p >= 0 for p in padding):
            raise ValueError(f"padding (top, bottom, left, right) must be non-negative ints, got {padding!r}")
        return tuple(int(p) for p in padding)
    ph, pw = pair(padding, "padding", minimum=0)
    return ph, ph, pw, pw


def output_size(size: int, kernel: int, stride: int, before: int, after: int, dilation: int = 1) -> int:
    """Number of window positions along one axis."""
    return (size + before + after - dilation * (kernel - 1) - 1) // stride + 1


def check_window(op: str, shape: tuple, kernel: tuple, padding: tuple, dilation: tuple = (1, 1)) -> None:
    """Refuse a (dilated) window larger than the padded input, naming both sizes."""
    padded = (shape[2] + padding[0] + padding[1], shape[3] + padding[2] + padding[3])
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    if span[0] > padded[0] or span[1] > padded[1]:
        raise ValueError(
            f"{op}: the window {span[0]}x{span[1]} is larger than the padded input "
            f"{padded[0]}x{padded[1]} (input {tuple(shape)}, padding (top, bottom, left, right) {padding})"
        )


def pad_nhwc(x: Any, padding: tuple, value: float = 0.0) -> Any:
    """The NCHW array x as a channels-last (N, H, W, C) array padded with `value`.

    Without padding this is a free view; with padding, one copy into a fresh buffer whose
    border alone is filled (the interior is overwritten anyway).
    """
    top, bottom, left, right = padding
    nhwc = x.transpose(0, 2, 3, 1)
    if not any(padding):
        return nhwc
    n, h, w, c = nhwc.shape
    out = backend.array_module(x).empty((n, h + top + bottom, w + left + right, c), dtype=x.dtype)
    out[:, :top] = value
    out[:, top + h :] = value
    out[:, top : top + h, :left] = value
    out[:, top : top + h, left + w :] = value
    out[:, top : top + h, left : left + w] = nhwc
    return out


def windows(xpad: Any, kernel: tuple, stride: tuple, dilation: tuple, out_hw: tuple) -> Any:
    """Strided view (N, Ho, Wo, kh, kw, C) of every window of a channels-last array; no copy."""
    xp = backend.array_module(xpad)
    sn, sh, sw, sc = xpad.strides
    shape = (xpad.shape[0], out_hw[0], out_hw[1], kernel[0], kernel[1], xpad.shape[3])
    strides = (sn, sh * stride[0], sw * stride[1], sh * dilation[0], sw * dilation[1], sc)
    return xp.lib.stride_tricks.as_strided(xpad, shape=shape, strides=strides)
