"""diff: differences of neighbours along a dim, torch's way (n times, with prepend/append).

Composed from slices and a subtraction, so the gradient is theirs; integer and boolean
tensors difference too (booleans as torch's: not-equal).
"""

from __future__ import annotations

import numbers
from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops import logic
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.index import getitem
from jaring.ops.shape import broadcast_to, concat


def _edge(op: str, name: str, value: Any, x: Tensor, axis: int) -> Tensor:
    value = as_tensor(value, x)
    if value.ndim == 0:  # a number counts as one slice along the dim
        shape = x.shape[:axis] + (1,) + x.shape[axis + 1 :]
        return broadcast_to(value, shape)
    if value.ndim != x.ndim:
        raise ValueError(
            f"{op}: expects {name} to have the same number of dimensions as input ({x.ndim}), "
            f"got shape {value.shape}"
        )
    return value


def diff(x: Any, n: int = 1, dim: int = -1, prepend: Any = None, append: Any = None) -> Tensor:
    """out[i] = x[i + 1] - x[i] along `dim`, applied `n` times, after joining `prepend` and
    `append` to x along dim (torch.diff; also `x.diff(...)`).

    Examples:
        >>> import jaring
        >>> jaring.diff(jaring.tensor([1, 3, 6, 10])).tolist()
        [2, 3, 4]
        >>> jaring.diff(jaring.tensor([1.0, 3.0, 6.0]), n=2, prepend=jaring.tensor([0.0])).tolist()
        [1.0, 1.0]
    """
    x = as_tensor(x)
    if x.ndim == 0:
        raise ValueError("diff: expects input to be at least one-dimensional")
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"diff: order must be an int >= 0, but got {n!r}")
    axis = resolve_axis("diff", dim, x.ndim, name="dim")
    parts = [_edge("diff", "prepend", prepend, x, axis)] if prepend is not None else []
    parts.append(x)
    if append is not None:
        parts.append(_edge("diff", "append", append, x, axis))
    out = concat(parts, axis) if len(parts) > 1 else x
    lead = (slice(None),) * axis
    for _ in range(int(n)):
        if out.shape[axis] == 0:
            break
        later, earlier = getitem(out, lead + (slice(1, None),)), getitem(out, lead + (slice(None, -1),))
        out = logic.logical_xor(later, earlier) if out.dtype == bool else later - earlier
    return out
