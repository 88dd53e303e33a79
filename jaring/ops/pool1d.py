"""1-D pooling as torch.nn.functional: max_pool1d, avg_pool1d and their adaptive forms on (N, C, L).

Each runs the 2-D op of jaring/ops/pool.py (or pool_adaptive.py) on a (N, C, 1, L) view, whose
one-row windows are exactly the 1-D windows: values, gradients, and the flat indices h * W + w
(here h = 0, so the position along L) are torch's. An unbatched (C, L) input gives (C, L_out).
adaptive_max_pool1d's indices come from one argmax over the padded windows of each output cell.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.geometry import _is_int
from jaring.ops.pool import avg_pool2d, max_pool2d
from jaring.ops.pool_adaptive import adaptive_avg_pool2d, windows
from jaring.ops.pool_general import PlaneGather


def _single(value: Any, name: str, op: str, minimum: int = 1) -> int:
    """An int, or a 1-tuple of one, as torch's 1-D pooling takes its sizes."""
    if isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    if not _is_int(value):
        raise ValueError(f"{op}: {name} must be an int or a 1-tuple of an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{op}: {name} must be at least {minimum}, got {value!r}")
    return int(value)


def _rows(op: str, x: Any) -> tuple[Tensor, bool]:
    """x (N, C, L) or (C, L) as a (N, C, 1, L) view, and whether it was unbatched."""
    x = as_tensor(x)
    if x.ndim not in (2, 3):
        raise ValueError(f"{op}: expected 2D (unbatched) or 3D (batched) input, got shape {x.shape}")
    unbatched = x.ndim == 2
    x = x[None] if unbatched else x
    return x.reshape(x.shape[0], x.shape[1], 1, x.shape[2]), unbatched


def _back(out: Tensor, unbatched: bool) -> Tensor:
    """(N, C, 1, L_out) back to (N, C, L_out), or (C, L_out) for an unbatched input."""
    out = out.reshape(out.shape[0], out.shape[1], out.shape[3])
    return out[0] if unbatched else out


def _window_args(op: str, kernel_size: Any, stride: Any, padding: Any) -> tuple:
    kernel = _single(kernel_size, "kernel_size", op)
    stride = kernel if stride is None or stride == () else _single(stride, "stride", op)
    padding = _single(padding, "padding", op, minimum=0)
    if padding > kernel // 2:
        raise ValueError(f"{op}: pad should be at most half of effective kernel size, got padding {padding}")
    return kernel, stride, padding


def max_pool1d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple:
    """torch.nn.functional.max_pool1d on (N, C, L) or (C, L); stride defaults to the kernel.

    padding pads both ends with -inf; with return_indices also the int64 position along L of
    each maximum (for max_unpool1d in torch). The gradient goes to the first maximum.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[[1.0, 3.0, 2.0, 5.0, 4.0]]])  # (N, C, L)
        >>> F.max_pool1d(x, 2).tolist()
        [[[3.0, 5.0]]]
        >>> values, indices = F.max_pool1d(x, 3, stride=2, padding=1, return_indices=True)
        >>> values.tolist(), indices.tolist()
        ([[[3.0, 5.0, 5.0]]], [[[1, 3, 3]]])
    """
    rows, unbatched = _rows("max_pool1d", input)
    kernel, stride, padding = _window_args("max_pool1d", kernel_size, stride, padding)
    dilation = _single(dilation, "dilation", "max_pool1d")
    out = max_pool2d(rows, (1, kernel), (1, stride), (0, padding), (1, dilation), ceil_mode, return_indices)
    if return_indices:
        values, indices = out
        return _back(values, unbatched), _back(indices, unbatched)
    return _back(out, unbatched)


def avg_pool1d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """torch.nn.functional.avg_pool1d on (N, C, L) or (C, L); stride defaults to the kernel.

    count_include_pad=True divides each window by kernel_size, padded zeros included; False by
    the number of real positions in it. ceil_mode rounds the output length up.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[[1.0, 3.0, 2.0, 6.0]]])  # (N, C, L)
        >>> F.avg_pool1d(x, 2).tolist()
        [[[2.0, 4.0]]]
        >>> F.avg_pool1d(x, 3, stride=1, padding=1, count_include_pad=False).numpy().round(4).tolist()
        [[[2.0, 2.0, 3.6667, 4.0]]]
    """
    rows, unbatched = _rows("avg_pool1d", input)
    kernel, stride, padding = _window_args("avg_pool1d", kernel_size, stride, padding)
    out = avg_pool2d(rows, (1, kernel), (1, stride), (0, padding), ceil_mode, bool(count_include_pad))
    return _back(out, unbatched)


def _output_length(op: str, output_size: Any, length: int) -> int:
    if isinstance(output_size, (tuple, list)) and len(output_size) == 1:
        output_size = output_size[0]
    if output_size is None:
        return length
    return _single(output_size, "output_size", op)


def _nonempty(op: str, rows: Tensor) -> None:
    if rows.shape[3] == 0:
        raise ValueError(
            f"{op}: the input has no positions along L, got shape {rows.shape[:2] + rows.shape[3:]}"
        )


def adaptive_avg_pool1d(input: Any, output_size: Any) -> Tensor:
    """torch.nn.functional.adaptive_avg_pool1d: (N, C, L) -> (N, C, output_size), or unbatched.

    Output cell i averages inputs floor(i L / m) to ceil((i + 1) L / m) - 1, torch's windows.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[[1.0, 3.0, 2.0, 6.0, 4.0]]])
        >>> F.adaptive_avg_pool1d(x, 2).tolist()
        [[[2.0, 4.0]]]
    """
    rows, unbatched = _rows("adaptive_avg_pool1d", input)
    _nonempty("adaptive_avg_pool1d", rows)
    size = _output_length("adaptive_avg_pool1d", output_size, rows.shape[3])
    return _back(adaptive_avg_pool2d(rows, (1, size)), unbatched)


def _adaptive_argmax(xp: Any, data: Any, size: int) -> Any:
    """Per output cell (N, C, 1, m) the position of its window's first maximum."""
    length = data.shape[3]
    cells = windows(length, size)
    widest = max(stop - start for start, stop in cells)
    starts = np.array([start for start, _ in cells])
    stops = np.array([stop for _, stop in cells])
    # Each window padded to the widest by repeating its last position: a repeat never comes first.
    positions = np.minimum(starts[:, None] + np.arange(widest)[None, :], stops[:, None] - 1)
    taps = xp.asarray(positions)
    picked = data[:, :, 0][:, :, taps]  # (N, C, m, widest)
    offset = picked.argmax(axis=3)
    return xp.take(taps.reshape(-1), (xp.arange(size) * widest)[None, None, :] + offset)[:, :, None, :]


def adaptive_max_pool1d(input: Any, output_size: Any, return_indices: bool = False) -> Tensor | tuple:
    """torch.nn.functional.adaptive_max_pool1d: max over adaptive windows, (N, C, L) -> (N, C, m).

    With return_indices also the int64 position along L of each maximum; the gradient goes there.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[[1.0, 3.0, 2.0, 6.0, 4.0]]])
        >>> values, indices = F.adaptive_max_pool1d(x, 2, return_indices=True)
        >>> values.tolist(), indices.tolist()
        ([[[3.0, 6.0]]], [[[1, 3]]])
    """
    rows, unbatched = _rows("adaptive_max_pool1d", input)
    _nonempty("adaptive_max_pool1d", rows)
    size = _output_length("adaptive_max_pool1d", output_size, rows.shape[3])
    xp = backend.array_module(rows.data)
    indices = _adaptive_argmax(xp, rows.data, size).astype(xp.int64)
    values = _back(PlaneGather.apply(rows, indices=indices), unbatched)
    if not return_indices:
        return values
    return values, _back(Tensor._from_op(indices, None), unbatched)
