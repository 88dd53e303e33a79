"""cdist: the p-norm distance between every row of one batch of points and every row of another.

The differences of all pairs are taken by broadcasting and measured with `norm` (PNorm), whose
gradient at a zero distance is 0 for p = 2, as torch's cdist, not the 0/0 of sqrt at 0.
"""

from __future__ import annotations

import math
from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.shape import unsqueeze
from jaring.ops.tensor_methods_torch import norm


def cdist(x1: Any, x2: Any, p: float = 2.0) -> Tensor:
    """Distances out[..., i, j] = ||x1[..., i, :] - x2[..., j, :]||_p for x1 (..., P, M) and
    x2 (..., R, M) with batch dims that broadcast; p >= 0, inf included (torch.cdist).

    Examples:
        >>> import jaring
        >>> points = jaring.tensor([[0.0, 0.0], [3.0, 4.0]])
        >>> jaring.cdist(points, points).tolist()
        [[0.0, 5.0], [5.0, 0.0]]
        >>> jaring.cdist(points, points, p=1).tolist()
        [[0.0, 7.0], [7.0, 0.0]]
    """
    x1, x2 = as_tensor(x1), as_tensor(x2)
    for name, x in (("X1", x1), ("X2", x2)):
        if x.ndim < 2:
            raise ValueError(f"cdist only supports at least 2D tensors, {name} got: {x.ndim}D")
        if x.dtype.kind != "f":
            raise TypeError(f"cdist only supports floating-point dtypes, {name} got: {x.dtype}")
    if x1.shape[-1] != x2.shape[-1]:
        raise ValueError(
            f"cdist: X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}"
        )
    if isinstance(p, bool) or not isinstance(p, (int, float)) or math.isnan(p) or p < 0:
        raise ValueError(f"cdist only supports non-negative p values, got {p!r}")
    pairs = unsqueeze(x1, -2) - unsqueeze(x2, -3)  # (..., P, R, M)
    return norm(pairs, p=float(p) if p != math.inf else math.inf, dim=-1)
