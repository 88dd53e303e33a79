"""Adaptive pooling as torch.nn.functional: the output size is given, the windows follow from it.

Output cell i of an axis of size n pooled to m cells covers the inputs floor(i n / m) to
ceil((i + 1) n / m) - 1, torch's rule: the windows tile the axis when m divides n and overlap
by a pixel, or differ in size by one, when it does not. Each function picks the cheapest exact
route: global pooling for a 1x1 output, ordinary pooling when the windows tile the image, and
otherwise averaging matrices (the mean is linear: A_h @ x @ A_w^T) or one max per output cell.
Gradients come from those ops.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.linalg import matmul
from jaring.ops.pool import avg_pool2d, max_pool2d
from jaring.ops.shape import stack


def resolve_output_size(name: str, output_size: Any, size: tuple) -> tuple:
    """(oh, ow) from an int, or a pair whose None entries keep the input's size."""
    pair = output_size if isinstance(output_size, (tuple, list)) else (output_size, output_size)
    if len(pair) != 2:
        raise ValueError(f"{name}: output_size must be an int or a pair, got {output_size!r}")
    out = []
    for value, keep in zip(pair, size):
        value = keep if value is None else value
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name}: output_size must hold positive ints (or None), got {output_size!r}")
        out.append(int(value))
    return tuple(out)


def _images(name: str, x: Any) -> tuple[Tensor, bool]:
    x = as_tensor(x)
    if x.ndim not in (3, 4):
        raise ValueError(f"{name}: expected input (N, C, H, W) or (C, H, W), got shape {x.shape}")
    if x.shape[-1] == 0 or x.shape[-2] == 0:
        raise ValueError(f"{name}: the image has no pixels, got shape {x.shape}")
    return (x[None], True) if x.ndim == 3 else (x, False)


def windows(n: int, m: int) -> list[tuple[int, int]]:
    """torch's adaptive windows: (start, stop) of each of the m cells along an axis of n inputs."""
    return [((i * n) // m, -((-(i + 1) * n) // m)) for i in range(m)]


def _averaging(n: int, m: int, dtype: Any) -> np.ndarray:
    """(m, n) matrix whose row i averages window i of the axis."""
    rows = np.zeros((m, n), dtype=dtype)
    for i, (start, stop) in enumerate(windows(n, m)):
        rows[i, start:stop] = 1.0 / (stop - start)
    return rows


def adaptive_avg_pool2d(x: Any, output_size: Any) -> Tensor:
    """Mean over adaptive windows: (N, C, H, W) -> (N, C, oh, ow), as torch.nn.functional.

    output_size: an int, or a pair (None keeps that axis). A (C, H, W) input gives (C, oh, ow).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.arange(16.0).reshape(1, 1, 4, 4)
        >>> F.adaptive_avg_pool2d(x, 2).tolist()
        [[[[2.5, 4.5], [10.5, 12.5]]]]
        >>> F.adaptive_avg_pool2d(jaring.ones(2, 3, 7, 5), (3, None)).shape  # overlapping windows
        (2, 3, 3, 5)
    """
    x, unbatched = _images("adaptive_avg_pool2d", x)
    if x.dtype.kind != "f":
        raise TypeError(f"adaptive_avg_pool2d: the mean needs a floating-point input, got {x.dtype}")
    h, w = x.shape[2:]
    oh, ow = resolve_output_size("adaptive_avg_pool2d", output_size, (h, w))
    if h % oh == 0 and w % ow == 0:
        out = x if (oh, ow) == (h, w) else avg_pool2d(x, (h // oh, w // ow))
    else:
        rows = Tensor(_averaging(h, oh, x.dtype)).to(x.device)
        cols = Tensor(_averaging(w, ow, x.dtype).T.copy()).to(x.device)
        out = matmul(matmul(rows, x), cols)
    return out[0] if unbatched else out


def adaptive_max_pool2d(x: Any, output_size: Any) -> Tensor:
    """Max over adaptive windows: (N, C, H, W) -> (N, C, oh, ow), as torch.nn.functional.

    The gradient goes to one maximum of each window. Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.arange(16.0).reshape(1, 1, 4, 4)
        >>> F.adaptive_max_pool2d(x, 2).tolist()
        [[[[5.0, 7.0], [13.0, 15.0]]]]
        >>> F.adaptive_max_pool2d(x, 3).tolist()  # 3 windows of 2 on each axis of 4, overlapping
        [[[[5.0, 6.0, 7.0], [9.0, 10.0, 11.0], [13.0, 14.0, 15.0]]]]
    """
    x, unbatched = _images("adaptive_max_pool2d", x)
    n, c, h, w = x.shape
    oh, ow = resolve_output_size("adaptive_max_pool2d", output_size, (h, w))
    if h % oh == 0 and w % ow == 0:
        out = x if (oh, ow) == (h, w) else max_pool2d(x, (h // oh, w // ow))
    else:
        cells = [
            x[:, :, top:bottom, left:right].reshape(n, c, (bottom - top) * (right - left)).max(dim=2)[0]
            for top, bottom in windows(h, oh)
            for left, right in windows(w, ow)
        ]
        out = stack(cells, axis=2).reshape(n, c, oh, ow)
    return out[0] if unbatched else out
